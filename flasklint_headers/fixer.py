"""Apply fixes: non-overlapping edits, re-lint, repeat to a fixed point.

Each pass takes the applicable fixes in a deterministic order (position, then
rule code) and applies every fix that touches no line an earlier fix of the
same pass touches; the others wait for the next pass, when they are recomputed
on the new text. The result of a pass must parse (libcst, and CPython too when
the original file parsed with CPython), otherwise the pass is retried fix by
fix and the fixes that break the file are dropped and reported. When fixes
still apply after ``MAX_PASSES`` passes (a fix that re-creates its own
finding), the file is left unchanged and a note says the fixes did not converge.

The files of one link group are fixed together (``fix_files``), pass by pass:
each pass changes every file that has fixes left, swaps the changed modules
into the project model at once and checks only them again; the project-wide
facts (apps, hooks, settings, registrations) are derived again once per pass,
not once per file, so fixing costs about two plain checks however large the
group.  Files not checked since the last change are checked again at the end:
a fix in one module can answer a finding reported in another, and the
findings reported are always those of the fixed project.  The passes are
counted per file; context files (modelled for a partial run) are never
rewritten.

Bytes outside edited spans never change: edits are applied to the decoded
text, which is encoded back with the file's own encoding, BOM and newlines;
inserted line breaks follow the file's line ending.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flasklint_headers.config import Settings
from flasklint_headers.findings import Edit, Finding, Fix, Position
from flasklint_headers.fixes import is_empty_edit
from flasklint_headers.model import ProjectModel
from flasklint_headers.parsing import ParseFailure, parse_text
from flasklint_headers.runner import FileReport, LoadedFile, check_loaded
from flasklint_headers.source import SourceFile, line_starts
from flasklint_headers.writing import FixWriteError, write_fixed_file

if TYPE_CHECKING:
    import libcst as cst

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
    # The findings the outcome starts with: the file's, before any fix.
    original_findings: list[Finding] = field(init=False)

    def __post_init__(self) -> None:
        self.original_findings = list(self.findings)


class _Checker:
    """Decides whether fixed text is still a valid Python file."""

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.check_cpython = _cpython_parses(source.text)
        # The last text parsed and its tree: the pass that accepts a text then
        # models that tree instead of parsing the text again.
        self._last: tuple[str, cst.Module | ParseFailure] | None = None

    def tree_of(self, text: str) -> cst.Module | ParseFailure:
        if self._last is None or self._last[0] != text:
            self._last = (text, parse_text(text))
        return self._last[1]

    def failure(self, text: str) -> str | None:
        try:
            self.source.encode(text)
        except UnicodeEncodeError:
            return f"the result cannot be written in the file's encoding ({self.source.encoding})"
        parsed = self.tree_of(text)
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


@dataclass(frozen=True)
class FixTarget:
    """A file to fix: loaded and already in the project model, with its settings."""

    loaded: LoadedFile
    settings: Settings


@dataclass(eq=False)
class _FileFix:
    """One file's way through the group's passes."""

    target: FixTarget
    outcome: FixOutcome
    # The last good version: in the project model, its findings in ``outcome``.
    current: LoadedFile
    checker: _Checker | None = None
    passes: int = 0
    # False once the file can make no more progress (fixes dropped, no
    # convergence, a crash, text the parser does not keep): never tried again.
    fixing: bool = True
    # ``outcome.findings`` predate a change elsewhere in the project.
    stale: bool = False


@dataclass(frozen=True)
class _Change:
    """A version of a file to swap into the project model."""

    file: _FileFix
    loaded: LoadedFile
    applied: int
    # The file goes back to its original text (its fixes did not converge).
    revert: bool = False


def fix_loaded(
    loaded: LoadedFile, project: ProjectModel, settings: Settings, unsafe: bool
) -> FixOutcome:
    """Fix one file to a fixed point; ``loaded`` must already be in ``project``."""
    return fix_files([FixTarget(loaded, settings)], project, unsafe)[0]


def fix_files(
    targets: Sequence[FixTarget], project: ProjectModel, unsafe: bool
) -> list[FixOutcome]:
    """Fix the files of one project together, each to its own fixed point.

    Pass by pass: every file with applicable fixes gets its next pass (as
    ``_fix_pass`` describes), the changed files are swapped into the model at
    once (``ProjectModel.replace_modules``: the project-wide facts are derived
    again once per pass, not once per file) and only they are checked again.
    When no changed file has fixes left, the files not checked since the last
    change are checked again: a fix in one module can change another module's
    findings (a hook or a setting fixed in one file answers an app-wide finding
    reported in another), so the findings reported are always those of the
    final project.  Should that reveal new applicable fixes, the passes go on.
    The files given are the project's link group (``runner._fix_group``), the
    only files whose answers can depend on each other; other modules of the
    project (context files) are modelled and never rewritten.

    Each file keeps today's per-file guarantees: at most ``MAX_PASSES``
    passes, after which a file whose fixes still apply is left unchanged; a
    fix whose result is invalid is dropped; on an exception the file keeps
    its last good text.  Files are fixed from the same starting state, so the
    result does not depend on the order of ``targets``.
    """
    files = [_start(target, unsafe) for target in targets]
    while True:
        changes = [c for f in files if (c := _next_change(f, unsafe)) is not None]
        if changes:
            _swap_in(changes, files, project)
            continue
        stale = [f for f in files if f.stale]
        if not stale:
            return [f.outcome for f in files]
        for file in stale:
            _recheck(file, project)


def _start(target: FixTarget, unsafe: bool) -> _FileFix:
    loaded = target.loaded
    findings = check_loaded(loaded, target.settings)
    file = _FileFix(target, FixOutcome(loaded.source.text, 0, findings, True), loaded)
    if _applicable(findings, unsafe) and not _round_trips(loaded):
        file.outcome.notes.append(
            "fixes skipped: the file has a form feed (or similar) the parser does not keep"
        )
        file.fixing = False
    return file


def _next_change(file: _FileFix, unsafe: bool) -> _Change | None:
    """The file's next version when it has fixes to apply (None: it is done for now)."""
    if not file.fixing or file.stale:
        return None
    fixes = select_fixes(_applicable(file.outcome.findings, unsafe))
    if not fixes:
        return None  # at a fixed point, unless another file's change gives it new fixes
    if file.passes == MAX_PASSES:
        # A fix that still applies after every pass re-creates its own finding: its
        # output (the same edit applied MAX_PASSES times) is not what anyone wants.
        file.fixing = False
        file.outcome.converged = False
        file.outcome.notes.append(
            f"fixes did not converge after {MAX_PASSES} passes; the file is left unchanged"
        )
        return _Change(file, file.target.loaded, 0, revert=True)
    if file.checker is None:
        file.checker = _Checker(file.current.source)
    outcome = file.outcome
    new_text, applied = _fix_pass(file.current, fixes, file.checker, outcome.notes)
    if applied == 0 or new_text == file.current.source.text:
        file.fixing = False
        return None
    try:
        candidate = _loaded_with(file.current, new_text, file.checker)
    except Exception as exc:  # never lose the file: keep the last good text
        outcome.notes.append(f"fixing stopped: {type(exc).__name__}: {exc}")
        file.fixing = False
        return None
    return _Change(file, candidate, applied)


def _swap_in(changes: Sequence[_Change], files: Sequence[_FileFix], project: ProjectModel) -> None:
    """Put one pass's new versions into the model, then check the changed files again."""
    try:
        _replace(project, [change.loaded for change in changes])
    except Exception:  # a version the model cannot take: find it, keep the others
        changes = _swap_one_by_one(changes, project)
    for file in files:
        file.stale = True  # every answer of the project may have changed
    failed: list[_FileFix] = []
    for change in changes:
        file = change.file
        outcome = file.outcome
        if change.revert:
            file.current = change.loaded
            outcome.text, outcome.applied = change.loaded.source.text, 0
            continue  # stale: checked again with the final project
        try:
            findings = check_loaded(change.loaded, file.target.settings)
        except Exception as exc:  # never lose the file: keep the last good text
            outcome.notes.append(f"fixing stopped: {type(exc).__name__}: {exc}")
            file.fixing = False
            failed.append(file)
            continue
        file.current, file.stale, file.passes = change.loaded, False, file.passes + 1
        outcome.findings, outcome.text = findings, change.loaded.source.text
        outcome.applied += change.applied
    if failed:
        # Back to the last good versions; their findings are kept as they were, and the
        # others were checked with the failed versions: they are checked again.
        with contextlib.suppress(Exception):  # at worst other files lose these modules' facts
            _replace(project, [file.current for file in failed])
        kept = {id(file) for file in failed}
        for file in files:
            file.stale = id(file) not in kept


def _swap_one_by_one(changes: Sequence[_Change], project: ProjectModel) -> list[_Change]:
    """The slow way, only after a batch failed: a version that fails to model is
    replaced by the file's last good one again (it keeps its last good text)."""
    taken: list[_Change] = []
    for change in changes:
        try:
            _replace(project, [change.loaded])
            taken.append(change)
        except Exception as exc:
            change.file.outcome.notes.append(f"fixing stopped: {type(exc).__name__}: {exc}")
            change.file.fixing = False
            with contextlib.suppress(Exception):  # at worst other files lose its facts
                _replace(project, [change.file.current])
    return taken


def _recheck(file: _FileFix, project: ProjectModel) -> None:
    """Check an unchanged file again after other files changed."""
    try:
        file.outcome.findings = check_loaded(file.current, file.target.settings)
    except Exception as exc:  # its earlier findings are the best there is
        file.outcome.notes.append(f"checking again failed: {type(exc).__name__}: {exc}")
        file.fixing = False
    file.stale = False


def _replace(project: ProjectModel, versions: Sequence[LoadedFile]) -> None:
    models = project.replace_modules([(loaded.module, loaded.path) for loaded in versions])
    for loaded, model in zip(versions, models, strict=True):
        loaded.model = model


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


def _loaded_with(current: LoadedFile, text: str, checker: _Checker) -> LoadedFile:
    """``current`` with new text, parsed once (the checker's tree when it parsed this text)."""
    parsed = checker.tree_of(text)
    if isinstance(parsed, ParseFailure):
        raise ValueError(parsed.message)
    return LoadedFile(current.path, _with_text(current.source, text), parsed)


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
    return fix_reports([(loaded, settings)], project, unsafe)[0]


def fix_reports(
    files: Sequence[tuple[LoadedFile, Settings]], project: ProjectModel, unsafe: bool
) -> list[FileReport]:
    """Fix the files of one link group together (``fix_files``); a report per file, in order."""
    outcomes = fix_files(
        [FixTarget(loaded, settings) for loaded, settings in files], project, unsafe
    )
    return [_report(loaded, outcome) for (loaded, _), outcome in zip(files, outcomes, strict=True)]


def _report(loaded: LoadedFile, outcome: FixOutcome) -> FileReport:
    changed = outcome.applied and outcome.text != loaded.source.text
    report = FileReport(
        loaded.source.display_name,
        # Findings of the fixed project: an unchanged file's may differ from its
        # original ones when a fix elsewhere settled them (``fix_files``).
        outcome.findings,
        loaded.source,
        fixed_text=outcome.text if changed else None,
        fixes_applied=outcome.applied if changed else 0,
        original_findings=outcome.original_findings,
    )
    report.notes.extend(outcome.notes)
    return report


__all__ = [
    "MAX_PASSES",
    "FixOutcome",
    "FixTarget",
    "FixWriteError",
    "apply_edits",
    "changes_something",
    "fix_files",
    "fix_loaded",
    "fix_report",
    "fix_reports",
    "select_fixes",
    "write_fixed_file",
]
