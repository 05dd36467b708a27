"""Apply fixes: non-overlapping edits, re-lint, repeat to a fixed point.

Each pass applies every applicable fix whose edits do not overlap an earlier
one, re-parses (a pass whose result does not parse is dropped) and re-lints.
Bytes outside edited spans never change: edits are applied to the decoded
text, which is encoded back with the file's own encoding, BOM and newlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flasklint_headers.config import Settings
from flasklint_headers.findings import Edit, Finding, Fix, Position
from flasklint_headers.model import ProjectModel
from flasklint_headers.parsing import ParseFailure, parse_text
from flasklint_headers.runner import FileReport, LoadedFile, check_loaded
from flasklint_headers.source import SourceFile

MAX_PASSES = 10


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(i + 1)
        self.length = len(text)

    def offset(self, pos: Position) -> int:
        if pos.row - 1 >= len(self.starts):
            return self.length
        return min(self.starts[pos.row - 1] + pos.column - 1, self.length)


def apply_edits(text: str, fixes: Sequence[Fix]) -> tuple[str, int]:
    """Apply the fixes whose edits don't overlap; returns (new text, fixes applied)."""
    index = _LineIndex(text)
    taken: list[tuple[int, int]] = []
    chosen: list[tuple[int, int, str]] = []
    applied = 0
    for fix in fixes:
        spans = [(index.offset(e.start), index.offset(e.end), e.content) for e in fix.edits]
        if any(_overlaps(s, e, taken) for s, e, _ in spans):
            continue
        taken.extend((s, e) for s, e, _ in spans)
        chosen.extend(spans)
        applied += 1
    for start, end, content in sorted(chosen, key=lambda c: (c[0], c[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    for s, e in taken:
        if start < e and s < end:
            return True
        # Two insertions at the same point would be ordered arbitrarily.
        if start == end == s == e:
            return True
    return False


@dataclass
class FixOutcome:
    text: str
    applied: int
    findings: list[Finding]
    converged: bool


def fix_loaded(
    loaded: LoadedFile, project: ProjectModel, settings: Settings, unsafe: bool
) -> FixOutcome:
    """Fix one file to a fixed point; ``loaded`` must already be in ``project``."""
    current = loaded
    applied_total = 0
    findings = check_loaded(current, settings)
    for _ in range(MAX_PASSES):
        fixes = [f.fix for f in findings if f.fix is not None and f.fix.is_applicable(unsafe)]
        if not fixes:
            return FixOutcome(current.source.text, applied_total, findings, True)
        new_text, applied = apply_edits(current.source.text, fixes)
        if applied == 0 or new_text == current.source.text:
            return FixOutcome(current.source.text, applied_total, findings, True)
        parsed = parse_text(new_text)
        if isinstance(parsed, ParseFailure):
            # Never write code that does not parse: stop with what we had.
            return FixOutcome(current.source.text, applied_total, findings, True)
        source = _with_text(current.source, new_text)
        current = LoadedFile(current.path, source, parsed)
        current.model = project.add_module(parsed, current.path, replace=True)
        applied_total += applied
        findings = check_loaded(current, settings)
    return FixOutcome(current.source.text, applied_total, findings, False)


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
    outcome = fix_loaded(loaded, project, settings, unsafe)
    report = FileReport(
        loaded.source.display_name,
        outcome.findings,
        loaded.source,
        fixed_text=outcome.text if outcome.applied else None,
        fixes_applied=outcome.applied,
    )
    if not outcome.converged:
        report.notes.append(f"fixes did not converge after {MAX_PASSES} passes")
    return report


__all__ = ["Edit", "FixOutcome", "apply_edits", "fix_loaded", "fix_report"]


def write_fixed_file(source: SourceFile, text: str) -> None:
    """Write fixed text atomically (temp file + ``os.replace``), keeping mode, encoding, BOM, newlines."""
    import os
    import tempfile

    data = source.encode(text)
    path = source.path
    mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".flasklint-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
