"""Apply fixes: non-overlapping edits, re-lint, repeat to a fixed point.

Each pass takes the applicable fixes in a deterministic order (position, then
rule code) and applies every fix that touches no line an earlier fix of the
same pass touches; the others wait for the next pass, when they are recomputed
on the new text. The result of a pass must parse (libcst, and CPython too when
the original file parsed with CPython), otherwise the pass is retried fix by
fix and the fixes that break the file are dropped and reported. When fixes
still apply after ``MAX_PASSES`` passes (a fix that re-creates its own
finding), the file is left unchanged and a note says the fixes did not converge.

Bytes outside edited spans never change: edits are applied to the decoded
text, which is encoded back with the file's own encoding, BOM and newlines;
inserted line breaks follow the file's line ending.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flasklint_headers.config import Settings
from flasklint_headers.findings import Edit, Finding, Fix, Position
from flasklint_headers.fixes import is_empty_edit
from flasklint_headers.model import ProjectModel
from flasklint_headers.parsing import ParseFailure, parse_text
from flasklint_headers.runner import FileReport, LoadedFile, check_loaded
from flasklint_headers.source import SourceError, SourceFile, line_starts, read_regular_file

MAX_PASSES = 10


class _LineIndex:
    """Maps 1-based (row, column) positions to offsets; rows split like libcst's."""

    def __init__(self, text: str) -> None:
        self.starts = line_starts(text)
        self.length = len(text)

    def offset(self, pos: Position) -> int:
        if pos.row - 1 >= len(self.starts):
            return self.length
        return min(self.starts[pos.row - 1] + pos.column - 1, self.length)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    content: str


def _follow_line_ending(content: str, newline: str) -> str:
    """Make line breaks inside inserted text match the file's line ending."""
    if newline == "\n" or "\n" not in content:
        return content
    unified = content.replace("\r\n", "\n")
    return unified.replace("\n", newline)


def _rows_touched(fix: Fix) -> set[int]:
    """Lines a fix reads or writes; an insertion at a line start claims that line."""
    rows: set[int] = set()
    for edit in fix.edits:
        last = edit.end.row
        if edit.end.column == 1 and edit.end.row > edit.start.row:
            last -= 1  # an end at a line start does not touch that line
        rows.update(range(edit.start.row, last + 1))
    return rows


def _order(fixes: Iterable[tuple[str, Fix]]) -> list[tuple[str, Fix]]:
    unique: dict[tuple[Edit, ...], tuple[str, Fix]] = {}
    for code, fix in fixes:
        if changes_something(fix):
            unique.setdefault(fix.edits, (code, fix))
    return sorted(unique.values(), key=lambda cf: (min(e.start for e in cf[1].edits), cf[0]))


def select_fixes(fixes: Sequence[tuple[str, Fix]]) -> list[Fix]:
    """The fixes one pass applies: in order, skipping any that shares a line with a chosen one."""
    claimed: set[int] = set()
    chosen: list[Fix] = []
    for _code, fix in _order(fixes):
        rows = _rows_touched(fix)
        if rows & claimed:
            continue
        claimed |= rows
        chosen.append(fix)
    return chosen


def apply_edits(text: str, fixes: Sequence[Fix], newline: str = "\n") -> tuple[str, int]:
    """Apply the fixes whose edits don't share a line; returns (new text, fixes applied)."""
    chosen = select_fixes([("", fix) for fix in fixes])
    return _apply(text, chosen, newline), len(chosen)


def _apply(text: str, fixes: Sequence[Fix], newline: str) -> str:
    index = _LineIndex(text)
    spans = [
        _Span(index.offset(e.start), index.offset(e.end), _follow_line_ending(e.content, newline))
        for fix in fixes
        for e in fix.edits
    ]
    # Right to left so that earlier offsets stay valid; insertions at one point keep their order.
    ordered = sorted(enumerate(spans), key=lambda item: (item[1].start, item[1].end, item[0]))
    for _, span in reversed(ordered):
        text = text[: span.start] + span.content + text[span.end :]
    return text


@dataclass
class FixOutcome:
    text: str
    applied: int
    findings: list[Finding]
    converged: bool
    # Things the user should know: dropped fixes, no convergence, skipped files.
    notes: list[str] = field(default_factory=list)


class _Checker:
    """Decides whether fixed text is still a valid Python file."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.check_cpython = _cpython_parses(source.text)

    def failure(self, text: str) -> str | None:
        try:
            self.source.encode(text)
        except UnicodeEncodeError:
            return f"the result cannot be written in the file's encoding ({self.source.encoding})"
        parsed = parse_text(text)
        if isinstance(parsed, ParseFailure):
            return parsed.message
        if self.check_cpython and not _cpython_parses(text):
            return "the result does not compile"
        return None


def _cpython_parses(text: str) -> bool:
    """CPython compiles the text (catches what libcst accepts, e.g. ``f(a=1, a=2)``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _applicable(findings: Sequence[Finding], unsafe: bool) -> list[tuple[str, Fix]]:
    return [
        (f.code, f.fix)
        for f in findings
        if f.fix is not None and f.fix.is_applicable(unsafe) and changes_something(f.fix)
    ]


def changes_something(fix: Fix) -> bool:
    """False for a fix whose helpers all declined to edit (see ``fixes.is_empty_edit``)."""
    return not all(is_empty_edit(edit) for edit in fix.edits)


def _round_trips(loaded: LoadedFile) -> bool:
    # libcst drops a form feed at the start of a code line; its positions then
    # disagree with the text, so edits could land in the wrong place.
    return loaded.module.code == loaded.source.text


def fix_loaded(
    loaded: LoadedFile, project: ProjectModel, settings: Settings, unsafe: bool
) -> FixOutcome:
    """Fix one file to a fixed point; ``loaded`` must already be in ``project``."""
    findings = check_loaded(loaded, settings)
    outcome = FixOutcome(loaded.source.text, 0, findings, True)
    if not _applicable(findings, unsafe):
        return outcome
    if not _round_trips(loaded):
        outcome.notes.append(
            "fixes skipped: the file has a form feed (or similar) the parser does not keep"
        )
        return outcome
    checker = _Checker(loaded.source)
    current = loaded
    for _ in range(MAX_PASSES):
        fixes = select_fixes(_applicable(outcome.findings, unsafe))
        if not fixes:
            return outcome
        new_text, applied = _fix_pass(current, fixes, checker, outcome.notes)
        if applied == 0 or new_text == current.source.text:
            return outcome
        try:
            candidate = _reload(current, new_text, project)
            findings = check_loaded(candidate, settings)
        except Exception as exc:  # never lose the file: keep the last good text
            outcome.notes.append(f"fixing stopped: {type(exc).__name__}: {exc}")
            _restore(current, project)
            return outcome
        current = candidate
        outcome.findings = findings
        outcome.text = new_text
        outcome.applied += applied
    if _applicable(outcome.findings, unsafe):
        # A fix that still applies after every pass re-creates its own finding: its
        # output (the same edit applied MAX_PASSES times) is not what anyone wants.
        outcome.converged = False
        outcome.notes.append(
            f"fixes did not converge after {MAX_PASSES} passes; the file is left unchanged"
        )
        outcome.text, outcome.applied, outcome.findings = loaded.source.text, 0, findings
        _restore(loaded, project)
    return outcome


def _fix_pass(
    current: LoadedFile, fixes: list[Fix], checker: _Checker, notes: list[str]
) -> tuple[str, int]:
    """Apply ``fixes``; when the result is invalid, keep only the fixes that are fine alone."""
    text = current.source.text
    newline = current.module.default_newline
    new_text = _apply(text, fixes, newline)
    if checker.failure(new_text) is None:
        return new_text, len(fixes)
    good: list[Fix] = []
    for fix in fixes:
        reason = checker.failure(_apply(text, [fix], newline))
        if reason is None:
            good.append(fix)
        else:
            row = min(e.start for e in fix.edits).row
            notes.append(f"dropped fix '{fix.message}' at line {row}: {reason}")
    if not good:
        return text, 0
    new_text = _apply(text, good, newline)
    if checker.failure(new_text) is not None:
        # Fine alone, broken together: apply just the first.
        good = good[:1]
        new_text = _apply(text, good, newline)
    return new_text, len(good)


def _reload(current: LoadedFile, text: str, project: ProjectModel) -> LoadedFile:
    parsed = parse_text(text)
    if isinstance(parsed, ParseFailure):
        raise ValueError(parsed.message)
    loaded = LoadedFile(current.path, _with_text(current.source, text), parsed)
    loaded.model = project.add_module(parsed, current.path, replace=True)
    return loaded


def _restore(last_good: LoadedFile, project: ProjectModel) -> None:
    """Put the last good module back into the project model (best effort)."""
    # The file itself is safe either way; at worst other files lose this module's facts.
    with contextlib.suppress(Exception):
        last_good.model = project.add_module(last_good.module, last_good.path, replace=True)


def _with_text(source: SourceFile, text: str) -> SourceFile:
    return SourceFile(
        source.path,
        source.display_name,
        source.encode(text),
        text,
        source.encoding,
        source.has_bom,
        source.cr_only,
    )


def fix_report(
    loaded: LoadedFile, project: ProjectModel, settings: Settings, unsafe: bool
) -> FileReport:
    """Fix one file and describe the result (``fixed_text`` is None when nothing changed)."""
    outcome = fix_loaded(loaded, project, settings, unsafe)
    changed = outcome.applied and outcome.text != loaded.source.text
    report = FileReport(
        loaded.source.display_name,
        outcome.findings,
        loaded.source,
        fixed_text=outcome.text if changed else None,
        fixes_applied=outcome.applied if changed else 0,
    )
    report.notes.extend(outcome.notes)
    return report


def unified_diff(display_name: str, old_text: str, new_text: str) -> str:
    """A unified diff of a file before and after fixing ('' when equal), like ``ruff --diff``."""
    if old_text == new_text:
        return ""
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    diff = difflib.unified_diff(old_lines, new_lines, f"a/{display_name}", f"b/{display_name}")
    out: list[str] = []
    for line in diff:
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


class FixWriteError(OSError):
    """The fixed file could not be written; the original file is untouched."""


def write_fixed_file(source: SourceFile, text: str) -> None:
    """Write fixed text atomically, keeping mode, encoding, BOM and line endings.

    The bytes go to a temporary file in the same directory that then replaces
    the original with ``os.replace``, so a crash leaves the old or the new file,
    never half of one. A symlink is followed (its target is rewritten); a file
    that changed on disk since it was read is left alone.
    """
    target = Path(os.path.realpath(source.path))
    data = source.encode(text)
    try:
        info = os.stat(target)
        # Capped at the size read: a file that grew (or became a FIFO) has changed.
        if read_regular_file(target, len(source.raw)) != source.raw:
            raise FixWriteError(f"{source.display_name}: changed on disk while fixing; not written")
    except FileNotFoundError as exc:
        raise FixWriteError(f"{source.display_name}: deleted while fixing; not written") from exc
    except SourceError as exc:  # grew, or is no regular file any more
        raise FixWriteError(
            f"{source.display_name}: changed on disk while fixing; not written"
        ) from exc
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".flasklint-tmp", dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, info.st_mode & 0o7777)
        _keep_owner(tmp, info)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _keep_owner(path: str, info: os.stat_result) -> None:
    if hasattr(os, "chown"):
        # Not allowed for ordinary users; the mode is what matters most.
        with contextlib.suppress(OSError):
            os.chown(path, info.st_uid, info.st_gid)


__all__ = [
    "MAX_PASSES",
    "FixOutcome",
    "FixWriteError",
    "apply_edits",
    "changes_something",
    "fix_loaded",
    "fix_report",
    "select_fixes",
    "unified_diff",
    "write_fixed_file",
]
