"""Inline suppressions.

* trailing ``# noqa`` (everything) or ``# noqa: FLH101, FLH104`` on a line a finding starts on;
* own-line ``# flasklint: ignore[FLH101, FLH104]  # reason`` above a statement: covers
  every line of the next statement (multi-line statements too);
* a trailing ``# flasklint: ignore[FLH101]`` works like ``# noqa: FLH101``;
* file-level ``# flasklint: noqa`` (everything) or ``# flasklint: noqa: FLH301, FLH302``
  on a line of its own.

Codes that belong to other tools (``# noqa: E501``) are left alone.  FLH002
reports a suppression code of ours that suppressed nothing, or that names no
rule at all; a bare ``# noqa`` is shared with other linters and never reported.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass, field

from flasklint_headers.findings import Applicability, Edit, Finding, Fix, Position, Severity
from flasklint_headers.source import split_lines

NOQA_RE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?", re.I)
IGNORE_RE = re.compile(r"#\s*flasklint:\s*ignore\[(?P<codes>[^\]]*)\]", re.I)
FILE_NOQA_RE = re.compile(
    r"#\s*flasklint:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*))?\s*(?:#.*)?$",
    re.I,
)
MAYBE_DIRECTIVE_RE = re.compile(r"noqa|flasklint", re.I)
OUR_CODE_RE = re.compile(r"flh", re.I)
OUR_PREFIX = "FLH"


@dataclass
class Suppression:
    row: int  # row of the comment
    column: int  # 1-based column of the comment start
    end_column: int
    rows: range  # rows it covers
    codes: frozenset[str] | None  # None = every code
    kind: str  # "noqa" | "ignore"
    comment: str
    used: set[str] = field(default_factory=set)


@dataclass
class SuppressionIndex:
    suppressions: list[Suppression]
    file_level: bool
    # Codes suppressed in the whole file by ``# flasklint: noqa: CODE``.
    file_codes: frozenset[str] = frozenset()

    def suppresses(self, finding: Finding) -> bool:
        if self.file_level or finding.code in self.file_codes:
            return True
        hit = False
        for sup in self.suppressions:
            if finding.location.row in sup.rows and (
                sup.codes is None or finding.code in sup.codes
            ):
                sup.used.add(finding.code)
                hit = True
        return hit


def _comments(text: str) -> list[tuple[int, int, str, bool]]:
    """(row, col0, comment text, own_line) for every comment token."""
    out = []
    try:
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        for tok in tokens:
            if tok.type == tokenize.COMMENT:
                own_line = tok.line[: tok.start[1]].strip() == ""
                out.append((tok.start[0], tok.start[1], tok.string, own_line))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return out


def _statement_ranges(text: str) -> dict[int, range]:
    """First row of each statement -> the rows it spans."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return {}
    ranges: dict[int, range] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            end = node.end_lineno or node.lineno
            if first not in ranges or ranges[first].stop < end + 1:
                ranges[first] = range(first, end + 1)
    return ranges


def _parse_codes(raw: str) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in raw.split(",") if c.strip())


def build_index(text: str) -> SuppressionIndex:
    suppressions: list[Suppression] = []
    file_level = False
    file_codes: set[str] = set()
    statements: dict[int, range] | None = None
    # Rows as libcst and the tokenizer count them (a form feed does not end a line).
    lines = [line.rstrip("\r\n") for line in split_lines(text)]
    for row, col, comment, own_line in _comments(text):
        file_noqa = FILE_NOQA_RE.match(comment) if own_line else None
        if file_noqa:
            if file_noqa.group("codes"):
                file_codes |= _parse_codes(file_noqa.group("codes"))
            else:
                file_level = True
            continue
        ignore = IGNORE_RE.search(comment)
        if ignore and not own_line:
            suppressions.append(
                Suppression(
                    row,
                    col + 1,
                    col + 1 + len(comment),
                    range(row, row + 1),
                    _parse_codes(ignore.group("codes")),
                    "ignore-trailing",
                    comment,
                )
            )
            continue
        if ignore and own_line:
            if statements is None:
                statements = _statement_ranges(text)
            target = _next_code_row(lines, row)
            covered = statements.get(target, range(target, target + 1)) if target else range(0)
            suppressions.append(
                Suppression(
                    row,
                    col + 1,
                    col + 1 + len(comment),
                    covered,
                    _parse_codes(ignore.group("codes")),
                    "ignore",
                    comment,
                )
            )
            continue
        noqa = NOQA_RE.search(comment)
        if noqa and not own_line:
            codes = noqa.group("codes")
            parsed = _parse_codes(codes) if codes else None
            suppressions.append(
                Suppression(
                    row,
                    col + 1,
                    col + 1 + len(comment),
                    range(row, row + 1),
                    parsed,
                    "noqa",
                    comment,
                )
            )
    return SuppressionIndex(suppressions, file_level, frozenset(file_codes))


def _next_code_row(lines: list[str], row: int) -> int | None:
    for index in range(row, len(lines)):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return index + 1
    return None


def apply_suppressions(
    findings: list[Finding], text: str, filename: str, enabled: frozenset[str], report_unused: bool
) -> list[Finding]:
    """Drop suppressed findings; add FLH002 for our codes that suppressed nothing."""
    if not MAYBE_DIRECTIVE_RE.search(text):
        return findings
    if not findings and not OUR_CODE_RE.search(text):
        return findings  # nothing to drop, and no directive can name one of our codes
    index = build_index(text)
    kept = [f for f in findings if f.code in ("FLH001",) or not index.suppresses(f)]
    if not report_unused or index.file_level:
        return kept
    lines = split_lines(text)
    for sup in index.suppressions:
        unused = _unused_codes(sup, enabled)
        if unused is None:
            continue
        kept.append(_unused_finding(sup, unused, filename, lines))
    return kept


def _unused_codes(sup: Suppression, enabled: frozenset[str]) -> list[str] | None:
    """Our codes in ``sup`` that matched nothing (None when nothing to report).

    A code of a rule that is not enabled is left alone (the rule might be
    enabled elsewhere); a code that names no rule at all is reported.
    """
    if sup.codes is None:
        return None  # a bare directive is shared with other linters; never report it
    known = _known_codes()
    ours = sorted(c for c in sup.codes if c.startswith(OUR_PREFIX) and c != "FLH002")
    unused = [c for c in ours if c not in sup.used and (c in enabled or c not in known)]
    return unused or None


def _known_codes() -> frozenset[str]:
    from flasklint_headers.rules import all_rules

    return frozenset(r.code for r in all_rules())


def _unused_message(unused: list[str]) -> str:
    known = _known_codes()
    unknown = [c for c in unused if c not in known]
    stale = [c for c in unused if c in known]
    parts = []
    if stale:
        parts.append(f"Unused suppression of {', '.join(stale)}: nothing here is reported")
    if unknown:
        noun = "code" if len(unknown) == 1 else "codes"
        parts.append(f"Suppression names unknown rule {noun} {', '.join(unknown)}")
    return "; ".join(parts)


def _remove_trailing_directive(sup: Suppression, match: re.Match[str], line: str) -> Edit:
    """Delete a trailing directive, keeping other comment text before or after it."""
    rest = sup.comment[match.end() :].strip()
    lead = sup.comment[: match.start()].rstrip()
    if lead:
        # A directive after other comment text (a type-ignore, say): keep that text.
        start_col = sup.column + len(lead)
        content = f"  {rest if rest.startswith('#') else '# ' + rest}" if rest else ""
        return Edit(Position(sup.row, start_col), Position(sup.row, sup.end_column), content)
    before = line[: sup.column - 1]
    trimmed = before.rstrip(" \t")
    content = "  " + (rest if rest.startswith("#") else f"# {rest}") if rest else ""
    return Edit(Position(sup.row, len(trimmed) + 1), Position(sup.row, sup.end_column), content)


def _unused_finding(
    sup: Suppression, unused: list[str], filename: str, lines: list[str]
) -> Finding:
    remaining = sorted(c for c in (sup.codes or ()) if c not in unused)
    line = lines[sup.row - 1] if sup.row - 1 < len(lines) else ""
    start = Position(sup.row, sup.column)
    end = Position(sup.row, sup.end_column)
    match = NOQA_RE.search(sup.comment) if sup.kind == "noqa" else IGNORE_RE.search(sup.comment)
    assert match is not None
    if remaining:
        replacement = "# noqa: " if sup.kind == "noqa" else "# flasklint: ignore["
        replacement += ", ".join(remaining) + ("" if sup.kind == "noqa" else "]")
        edit = Edit(
            Position(sup.row, sup.column + match.start()),
            Position(sup.row, sup.column + match.end()),
            replacement,
        )
    elif sup.kind in ("noqa", "ignore-trailing"):
        edit = _remove_trailing_directive(sup, match, line)
    else:
        edit = Edit(Position(sup.row, 1), Position(sup.row + 1, 1), "")
    return Finding(
        code="FLH002",
        name="unused-suppression",
        severity=Severity.WARNING,
        message=_unused_message(unused),
        filename=filename,
        location=start,
        end_location=end,
        fix=Fix("Remove unused suppression", Applicability.SAFE, (edit,)),
        url=None,
        source_line=line.strip(),
    )
