"""The pipeline: discover -> read & decode -> parse -> Flask model -> rules -> suppressions.

``check_paths`` is what the CLI calls; ``lint_text`` runs the same pipeline on
one in-memory source (stdin mode, tests).
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING, Any

from flasklint_headers.config import ConfigError, Settings
from flasklint_headers.findings import Finding, diagnostic
from flasklint_headers.source import (
    DEFAULT_MAX_FILE_SIZE,
    NotRegularFileError,
    SourceError,
    SourceFile,
    decode_source,
    read_source,
)
from flasklint_headers.timing import Timings

if TYPE_CHECKING:
    import libcst as cst

    from flasklint_headers.cache import ResultCache
    from flasklint_headers.model import FileModel, ProjectModel
    from flasklint_headers.parallel import Member
    from flasklint_headers.project_root import DirectoryFacts
    from flasklint_headers.relevance import FileFacts
    from flasklint_headers.rules import Rule
    from flasklint_headers.tree_cache import TreeSlot

# libcst, the model and the rules are imported where first needed: a run whose
# files are all irrelevant (a typical one-file pre-commit run) never loads them.


@dataclass
class LoadedFile:
    path: Path
    source: SourceFile
    module: cst.Module
    model: FileModel | None = None


@dataclass
class FileReport:
    """Everything the reporters and the fixer need about one file."""

    display_name: str
    findings: list[Finding]
    source: SourceFile | None = None
    # Text after applying fixes (None when nothing was fixed).
    fixed_text: str | None = None
    fixes_applied: int = 0
    # The findings before fixing (set by the fixer, None when not fixing): what
    # ``--fix`` counts as fixed is measured against these (``reporting.result``).
    original_findings: list[Finding] | None = None
    # Set when the file could not be read or parsed (exit code 2).
    failed: bool = False
    notes: list[str] = field(default_factory=list)


def display_name(path: Path, cwd: str | None = None) -> str:
    """The path as given, relative to the current directory when inside it.

    ``cwd`` is ``os.getcwd()`` (a caller naming thousands of files passes it once).
    """
    if not path.is_absolute():
        return path.as_posix()
    try:
        cwd = os.getcwd() if cwd is None else cwd
        text = os.path.normpath(path)
        prefix = os.path.join(cwd, "")
        if text.startswith(prefix):
            return text[len(prefix) :]  # what relpath computes, without its cost
        directory = text.rpartition(os.sep)[0]
        if _dir_inside_cwd(directory or os.sep, cwd):
            return os.path.relpath(path, cwd)
        return path.as_posix()
    except (ValueError, OSError):
        return path.as_posix()


@functools.lru_cache(maxsize=4096)
def _dir_inside_cwd(directory: str, cwd: str) -> bool:
    # Once per folder (and working directory), not per file: a folder reached
    # through a symlink may still lie inside the working directory.
    try:
        resolved = Path(_resolved_dir(directory))
        resolved_cwd = Path(_resolved_dir(cwd))
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop
        return False
    return resolved == resolved_cwd or resolved_cwd in resolved.parents


@functools.lru_cache(maxsize=4096)
def _resolved_dir(directory: str) -> str:
    """``os.path.realpath`` of an absolute, normalised folder, from its parent's answer
    (one ``lstat`` per folder instead of one per component)."""
    parent = os.path.dirname(directory)
    if parent == directory or os.path.islink(directory):
        return os.path.realpath(directory)
    return os.path.join(_resolved_dir(parent), os.path.basename(directory))


def load_source(source: SourceFile) -> LoadedFile | FileReport:
    from flasklint_headers.parsing import ParseFailure, parse_text

    parsed = parse_text(source.text)
    if isinstance(parsed, ParseFailure):
        finding = diagnostic(
            "FLH001", "syntax-error", source.display_name, parsed.message, parsed.row, parsed.column
        )
        return FileReport(source.display_name, [finding], source, failed=True)
    return LoadedFile(source.path, source, parsed)


def load_file(path: Path, name: str | None = None) -> LoadedFile | FileReport:
    name = name or display_name(path)
    try:
        source = read_source(path, name)
    except SourceError as exc:
        finding = diagnostic("FLH003", "unreadable-file", name, f"{name}: {exc}")
        return FileReport(name, [finding], None, failed=True)
    return load_source(source)


def build_project(files: Sequence[LoadedFile], project: ProjectModel | None = None) -> ProjectModel:
    """Link every loaded file into one project model (sets ``LoadedFile.model``)."""
    from flasklint_headers.model import ProjectModel

    project = project or ProjectModel()
    for loaded in files:
        loaded.model = project.add_module(loaded.module, loaded.path)
    return project


def enabled_rules(settings: Settings) -> list[type[Rule]]:
    from flasklint_headers.rules import all_rules

    return [r for r in all_rules() if settings.is_enabled(r.code)]


def check_loaded(
    loaded: LoadedFile,
    settings: Settings,
    relative_path: str | None = None,
    rule_times: dict[str, float] | None = None,
) -> list[Finding]:
    """Rules + suppressions + per-file ignores for one loaded, modelled file."""
    from flasklint_headers.linter import run_rules
    from flasklint_headers.suppressions import apply_suppressions

    assert loaded.model is not None, "build_project() first"
    ignored = settings.ignored_for(relative_path or loaded.source.display_name)
    rules = [r for r in enabled_rules(settings) if r.code not in ignored]
    findings, crashes = run_rules(
        loaded.source, loaded.module, loaded.model, settings, rules, rule_times
    )
    for crash in crashes:
        findings.append(
            diagnostic(
                "FLH000",
                "internal-error",
                loaded.source.display_name,
                f"rule {crash.code} crashed on this file ({crash.error}); please report it",
            )
        )
    findings = apply_suppressions(
        findings,
        loaded.source.text,
        loaded.source.display_name,
        # A code switched off for this file (per-file-ignores) cannot make a noqa "unused".
        settings.enabled - ignored,
        report_unused=settings.is_enabled("FLH002") and "FLH002" not in ignored,
    )
    return sorted(findings, key=lambda f: f.sort_key)


@dataclass(frozen=True)
class RunOptions:
    """How to run (not what to check): cache, parallelism, timing output."""

    use_cache: bool = True
    cache_dir: Path | None = None
    # Worker processes; None = decide from the number of files and cores.
    jobs: int | None = None
    # Collect per-stage and per-rule timings (``-v``); printed to stderr.
    timings: bool = False
    # Parse only files that can matter (``relevance.py``); off = parse every file.
    relevance_filter: bool = True
    # Model the rest of each file's project too (``project_root.py``), so that a
    # one-file run (pre-commit) answers like a run over the whole project.  The
    # extra files are modelled, never reported on or fixed.
    project_context: bool = False
    # Directories given to the run whole: their files were discovered with the
    # user's excludes, so the context pass need not walk a project root inside one.
    covered_dirs: tuple[Path, ...] = ()
    # In-memory contents that stand in for files on disk (standard input read as
    # ``--stdin-filename``): the run reads these instead of the files, and the
    # cache never records them as the files' state.
    replacements: tuple[SourceFile, ...] = ()
    # The files named on the command line; the others were found walking a
    # directory (a FIFO or device among those is skipped, not reported).
    # None: every file was named (the library's callers pass files).
    named_files: frozenset[Path] | None = None


SettingsFor = Callable[[Path], Settings]
# Fixes the checked files of one link group, modelled in the project given (context
# files are in the model only); a report per file, in order (``fixer.fix_reports``).
GroupFixer = Callable[[Sequence[tuple[LoadedFile, Settings]], "ProjectModel"], list[FileReport]]


def check_paths(
    files: Iterable[Path],
    settings: Settings | SettingsFor,
    fix: GroupFixer | None = None,
    options: RunOptions | None = None,
) -> list[FileReport]:
    """Check (or, with ``fix``, fix) every file, each link group modelled as one project.

    ``settings`` is one Settings for every file or a function giving each file's
    Settings (nearest ``pyproject.toml``).  Stages: read every file, keep
    the relevant ones (``relevance.py``), split them into link groups, answer
    unchanged groups from the cache (``cache.py``) and check the rest serially
    or in a process pool (``parallel.py``).
    """
    settings_for: SettingsFor = settings if callable(settings) else (lambda _path: settings)
    options = options or RunOptions()
    timings = Timings(enabled=options.timings)
    started = time.perf_counter()
    from flasklint_headers.depth import recursion_room

    with recursion_room():
        reports = _run(files, settings_for, fix, options, timings)
    if options.timings:
        print(timings.render(time.perf_counter() - started), file=sys.stderr)
    return reports


@dataclass
class _Input:
    """One readable file on its way through the pipeline.

    A file the cache knows unchanged (by its stat) is read only if a stage
    needs its text (``source``); most warm runs read none.
    """

    path: Path
    display_name: str
    digest: str
    loaded: SourceFile | None = None
    settings: Settings | None = None
    cache_key: str = ""
    # Absolute resolved path: the cache's key for this file.
    location: str = ""
    # A project file added only for the model (RunOptions.project_context).
    context: bool = False
    # Set by the relevance facts pass (or a reused plan).
    module_name: str = ""
    is_package: bool = False
    # Digest of the file's relevance facts (``cache.facts_digest``).
    facts_digest: str = ""
    # The path is a symlink (its project may lie elsewhere); None: not looked at.
    is_link: bool | None = False
    # Its settings' ``max-file-size``: what may be read of it.
    max_size: int = DEFAULT_MAX_FILE_SIZE

    @property
    def source(self) -> SourceFile:
        """The decoded file, read now if it was not yet (raises ``SourceError``)."""
        if self.loaded is None:
            self.loaded = read_source(self.path, self.display_name, self.max_size)
        return self.loaded


def _default_max_size(_path: Path) -> int:
    return DEFAULT_MAX_FILE_SIZE


def _read_all(
    paths: Iterable[Path],
    timings: Timings,
    cache: ResultCache | None = None,
    replacements: Sequence[SourceFile] = (),
    max_size_for: Callable[[Path], int] = _default_max_size,
    named: Callable[[Path], bool] = lambda _path: True,
) -> tuple[list[_Input], list[FileReport]]:
    """Every readable file with its digest; unchanged ones (``cache.known_digest``) unread.

    A FIFO, socket or device that was not ``named`` (found while walking a
    directory) is no source file: it is left out without a report.
    """
    from flasklint_headers.cache import content_hash

    inputs: list[_Input] = []
    failures: list[FileReport] = []
    unread = 0
    cwd = os.getcwd()
    in_memory = {source.path: source for source in replacements}
    for path in paths:
        replacement = in_memory.get(path)
        if replacement is not None:
            inputs.append(
                _Input(
                    path,
                    replacement.display_name,
                    content_hash(replacement.raw),
                    replacement,
                    is_link=None,  # not looked at: the file may not even exist yet
                )
            )
            continue
        name = display_name(path, cwd)
        max_size = max_size_for(path)
        stat = key = None
        is_link = False
        if cache is not None:
            try:
                key = os.path.abspath(path)
                stat = os.lstat(path)
                if S_ISLNK(stat.st_mode):
                    is_link = True
                    stat = os.stat(path)
            except (OSError, ValueError):  # reading will say what is wrong
                stat = None
            digest = cache.known_digest(key, stat) if stat is not None else None
            if digest is not None:
                inputs.append(_Input(path, name, digest, is_link=is_link, max_size=max_size))
                unread += 1
                continue
        try:
            source = read_source(path, name, max_size)
        except NotRegularFileError as exc:
            if named(path):
                failures.append(_unreadable(name, exc))
            continue
        except SourceError as exc:
            failures.append(_unreadable(name, exc))
            continue
        digest = content_hash(source.raw)
        if cache is not None and stat is not None and key is not None:
            cache.record_stat(key, stat, digest)
        link = is_link if stat else None
        inputs.append(_Input(path, name, digest, source, is_link=link, max_size=max_size))
    timings.count("read", len(inputs) - unread)
    timings.count("unchanged by stat", unread)
    return inputs, failures


def _unreadable(name: str, exc: SourceError) -> FileReport:
    finding = diagnostic("FLH003", "unreadable-file", name, f"{name}: {exc}")
    return FileReport(name, [finding], None, failed=True)


def _load_sources(
    inputs: Sequence[_Input], indices: Iterable[int], reports: list[FileReport]
) -> set[int]:
    """Read the not yet read files among ``indices``; the ones that fail are reported
    (a file deleted since its stat was taken) and returned."""
    failed: set[int] = set()
    for index in indices:
        item = inputs[index]
        if item.loaded is not None:
            continue
        try:
            item.source  # noqa: B018 - reads the file
        except SourceError as exc:
            failed.add(index)
            if not item.context:
                reports.append(_unreadable(item.display_name, exc))
    return failed


def _facts(inputs: Sequence[_Input], cache: ResultCache | None) -> list[FileFacts]:
    from flasklint_headers.cache import facts_digest
    from flasklint_headers.relevance import ModuleNamer, file_facts

    namer = ModuleNamer()
    facts: list[FileFacts] = []
    for item in inputs:
        item.location = str(namer.resolve(item.path))
        module_name, is_package = namer.name_for(item.path)
        item.module_name, item.is_package = module_name, is_package
        known = cache.facts(item.location, item.digest, module_name) if cache else None
        if known is None or known.is_package != is_package:
            try:
                data: bytes | None = item.source.raw
            except SourceError:  # gone since its stat: reported when its group is checked
                data = None
            known = file_facts(data or b"", module_name, is_package)
            if cache is not None and data is not None:
                cache.store_facts(item.location, item.digest, known)
        item.facts_digest = facts_digest(known)
        facts.append(known)
    return facts


def _groups(
    inputs: Sequence[_Input], options: RunOptions, cache: ResultCache | None
) -> tuple[list[list[int]], int]:
    """Link groups of the files to parse, and how many files the filter selected."""
    if not options.relevance_filter:
        # Unfiltered: one project of every file, exactly as without this machinery.
        return ([list(range(len(inputs)))] if inputs else []), len(inputs)
    signature = _plan_signature(inputs)
    known = cache.plan(signature) if cache is not None else None
    reused = _reuse_plan(inputs, cache, known) if cache is not None else None
    if reused is not None:
        groups, selected, contents_changed, consulted = reused
        if not contents_changed:
            return groups, selected
        # Same plan, new contents: store it with the new digests below.
    else:
        groups, selected, consulted = _plan(inputs, cache)
    if cache is not None:
        cache.store_plan(
            signature,
            [[_location(i), i.digest, i.module_name, i.is_package, i.facts_digest] for i in inputs],
            groups,
            selected,
            sorted(consulted),
        )
    return groups, selected


def _reuse_plan(
    inputs: Sequence[_Input],
    cache: ResultCache,
    known: tuple[list[Any], list[list[int]], int, set[int]] | None,
) -> tuple[list[list[int]], int, bool, set[int]] | None:
    """The plan of an earlier run over the same paths, if no file's relevance facts changed.

    The plan depends on the files' facts (``relevance.py``; the plan keeps a
    digest of each), and on the words of the few files a string reference may
    name (``consulted``): an edit that keeps a file's imports, module name and
    seed words (most edits) keeps it.
    Returns (groups, files selected, whether any file's contents changed, consulted).
    """
    from flasklint_headers.cache import facts_digest
    from flasklint_headers.relevance import file_facts

    if known is None:
        return None
    files, groups, selected, consulted = known
    changed = False
    try:
        if len(files) != len(inputs) or not all(
            0 <= i < len(inputs) for group in groups for i in group
        ):
            return None
        for index, (item, entry) in enumerate(zip(inputs, files, strict=True)):
            _location, digest, module_name, is_package, known_facts = entry
            if digest == item.digest:
                continue
            if index in consulted:
                return None
            changed = True
            try:
                data = item.source.raw
            except SourceError:  # gone since its stat: plan afresh
                return None
            after = file_facts(data, str(module_name), bool(is_package))
            if facts_digest(after) != known_facts:
                return None
    except (TypeError, ValueError):  # a damaged entry: plan afresh
        return None
    for item, (location, _digest, module_name, is_package, known_facts) in zip(
        inputs, files, strict=True
    ):
        item.location, item.module_name, item.is_package = location, module_name, is_package
        item.facts_digest = known_facts
    return groups, selected, changed, consulted


def _plan_signature(inputs: Sequence[_Input]) -> str:
    """Identifies a run's inputs (paths as given, from where).

    Contents are checked file by file in ``_reuse_plan``.  (Module names also
    depend on which folders hold an ``__init__.py``; those are inputs themselves,
    except above the folders given, which a run does not see change.)
    """
    from flasklint_headers.cache import combine

    return combine(os.getcwd(), *(f"{item.path}\0{item.context}" for item in inputs))


def _plan(
    inputs: Sequence[_Input], cache: ResultCache | None
) -> tuple[list[list[int]], int, set[int]]:
    """Link groups, files selected, and the files whose words the plan consulted."""
    from flasklint_headers.relevance import link_groups, select_files, targets_of

    facts = _facts(inputs, cache)
    consulted: set[int] = set()
    targets = targets_of(facts, _word_check(inputs, consulted))
    selected = select_files(facts, targets)
    groups = link_groups(facts, selected, targets)
    return groups, len(selected), consulted


def _word_check(inputs: Sequence[_Input], consulted: set[int]) -> Callable[[int, str], bool]:
    """``relevance.targets_of``'s word test on the files' bytes, noting the files it read."""
    from flasklint_headers.relevance import has_word

    def contains_word(index: int, word: str) -> bool:
        consulted.add(index)
        try:
            return has_word(inputs[index].source.raw, word)
        except SourceError:  # unreadable now: link it, which is always safe
            return True

    return contains_word


def _settings_key(settings: Settings) -> str:
    """A stable text form of Settings (sets sorted: their repr order varies per process)."""

    def norm(value: object) -> object:
        if isinstance(value, (set, frozenset)):
            return sorted(repr(norm(v)) for v in value)
        if isinstance(value, dict):
            return sorted((repr(k), repr(norm(v))) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        if hasattr(value, "__dataclass_fields__"):
            return [(f, norm(getattr(value, f))) for f in sorted(value.__dataclass_fields__)]
        return value

    return repr(norm(settings))


def _run(
    files: Iterable[Path],
    settings_for: SettingsFor,
    fix: GroupFixer | None,
    options: RunOptions,
    timings: Timings,
) -> list[FileReport]:
    from flasklint_headers import __version__
    from flasklint_headers.cache import combine, open_cache

    with timings.stage("discover"):
        paths = list(files)
    # Fix mode rewrites files: it never trusts (or fills) the result cache.
    cache = open_cache(options.cache_dir) if options.use_cache and fix is None else None
    # These are files: a resolver that can skip the is-it-a-directory check does.
    settings_for_file = getattr(settings_for, "for_file", settings_for)

    def max_size_for(path: Path) -> int:
        try:
            return settings_for_file(path).max_file_size
        except ConfigError:  # raised again where the file's settings are needed, as before
            return DEFAULT_MAX_FILE_SIZE

    def named(path: Path) -> bool:
        return options.named_files is None or path in options.named_files

    with timings.stage("read"):
        inputs, reports = _read_all(
            paths, timings, cache, options.replacements, max_size_for, named
        )
    if options.project_context:
        with timings.stage("context"):
            inputs += _linked_context(inputs, timings, options.covered_dirs, cache, max_size_for)
    with timings.stage("filter"):
        groups, selected = _groups(inputs, options, cache)
    timings.count("parsed", selected)
    chosen = {index for group in groups for index in group}
    for index, item in enumerate(inputs):
        if index not in chosen and not item.context:
            # Nothing in this file can be reported (relevance.py); no parse needed.
            reports.append(FileReport(item.display_name, [], item.loaded))
    settings_keys: dict[int, str] = {}
    todo: list[list[int]] = []
    with timings.stage("cache"):
        for group in groups:
            members = sorted(f"{_location(inputs[i])}\0{inputs[i].digest}" for i in group)
            group_key = combine(*members)
            for index in group:
                item = inputs[index]
                item.settings = settings_for_file(item.path)
                skey = settings_keys.get(id(item.settings))
                if skey is None:  # one Settings object serves many files: its key once
                    skey = settings_keys[id(item.settings)] = _settings_key(item.settings)
                # Findings carry display names (relative to the cwd): key on both.
                item.cache_key = combine(
                    __version__, skey, item.digest, group_key, os.getcwd(), item.display_name
                )
            cached = _cached_group(inputs, group, cache, reports)
            if cached is None:
                todo.append(group)
            else:
                reports.extend(r for i, r in cached if not inputs[i].context)
        timings.count("cached", len(chosen) - sum(len(g) for g in todo))
    with timings.stage("read"):
        gone = _load_sources(inputs, (i for group in todo for i in group), reports)
    if gone:
        todo = [[i for i in group if i not in gone] for group in todo]
    if fix is not None:
        for group in todo:
            reports.extend(_fix_group([inputs[i] for i in group], fix, timings))
    else:
        from flasklint_headers.parallel import check_groups

        checked = check_groups(_members(inputs, todo, cache), options.jobs, timings)
        for group, group_reports in zip(todo, checked, strict=True):
            for index, report in zip(group, group_reports, strict=True):
                report.source = inputs[index].source
                if cache is not None and not report.failed and not inputs[index].context:
                    item = inputs[index]
                    cache.store_findings(_location(item), item.cache_key, report.findings)
                if not inputs[index].context:
                    reports.append(report)
    with timings.stage("cache"):
        if cache is not None:
            cache.save()
    return sorted(reports, key=lambda r: r.display_name)


def _members(
    inputs: Sequence[_Input], groups: Sequence[Sequence[int]], cache: ResultCache | None
) -> list[list[Member]]:
    """The groups to check, as workers need them (``tree_cache.py`` says which trees to store)."""
    from flasklint_headers.parallel import Member

    if cache is None or not groups:
        return [[Member(inputs[i].source, inputs[i].settings) for i in group] for group in groups]
    from flasklint_headers.tree_cache import remove_stale_directories, tree_slot

    remove_stale_directories(cache.directory)
    members = []
    for group in groups:
        edited = any(cache.has_results(_location(inputs[i])) for i in group)
        members.append(
            [
                Member(
                    inputs[i].source,
                    inputs[i].settings,
                    inputs[i].context,
                    tree_slot(
                        cache.directory,
                        _location(inputs[i]),
                        inputs[i].digest,
                        store=edited or inputs[i].context,
                        key=cache.key,
                    ),
                )
                for i in group
            ]
        )
    return members


def _linked_context(
    given: list[_Input],
    timings: Timings,
    covered_dirs: Sequence[Path] = (),
    cache: ResultCache | None = None,
    max_size_for: Callable[[Path], int] = _default_max_size,
) -> list[_Input]:
    """The other files of the given files' projects that the model links them to.

    Only files connected to a given file through imports (either direction,
    among the files the relevance filter keeps) can change its findings, and
    only files under the same import root (the directory above the top
    package) can be what its imports mean; the rest of the project is skipped.
    """
    from flasklint_headers.project_root import DirectoryFacts, project_files_for
    from flasklint_headers.relevance import select_files, targets_of

    directories = DirectoryFacts()
    extra, _unreadable = _read_all(
        project_files_for(
            (item.path for item in given),
            facts=directories,
            covered_dirs=covered_dirs,
            symlinked=None
            if any(item.is_link is None for item in given)
            else any(item.is_link for item in given),
        ),
        timings,
        cache,  # unchanged project files are not read again, nor their facts recomputed
        max_size_for=max_size_for,
        named=lambda _path: False,  # context files are never reported on
    )
    if not extra:
        return []
    candidates = [*given, *extra]
    facts = _facts(candidates, cache)
    targets = targets_of(facts, _word_check(candidates, set()))
    relevant = select_files(facts, targets)
    roots = [_import_root(item.path, directories) for item in candidates]
    neighbours: dict[int, set[int]] = {i: set() for i in relevant}
    for index in relevant:
        for target in targets[index]:
            if target in relevant and roots[target] == roots[index]:
                neighbours[index].add(target)
                neighbours[target].add(index)
    seen = {i for i in range(len(given)) if i in relevant}
    pending = list(seen)
    while pending:
        for other in neighbours[pending.pop()]:
            if other not in seen:
                seen.add(other)
                pending.append(other)
    for item in given:
        item.location = ""  # _facts set it; keep the main pass's bookkeeping unchanged
    context = [candidates[i] for i in sorted(seen) if i >= len(given)]
    for item in context:
        item.context = True
        item.location = ""
    return context


def _import_root(path: Path, directories: DirectoryFacts) -> Path:
    """The directory a file's absolute imports are resolved from."""
    resolved = directories.resolve(path)
    top = directories.top_package_of_dir(resolved.parent)
    return top.parent if top is not None else resolved.parent


def _location(item: _Input) -> str:
    if not item.location:  # unfiltered runs skip the facts pass that sets it
        item.location = str(item.path.resolve())
    return item.location


def _cached_group(
    inputs: Sequence[_Input],
    group: Sequence[int],
    cache: ResultCache | None,
    failures: list[FileReport],
) -> list[tuple[int, FileReport]] | None:
    """Reports for every file of the group from the cache, or None if any is missing.

    Files with findings are read (reporters quote their lines); a file that can
    no longer be read gets its diagnostic in ``failures`` instead.
    """
    if cache is None:
        return None
    found: list[tuple[int, list[Finding]]] = []
    for index in group:
        if inputs[index].context:  # modelled, never checked: its own findings are not needed
            continue
        findings = cache.findings(_location(inputs[index]), inputs[index].cache_key)
        if findings is None:
            return None
        found.append((index, findings))
    gone = _load_sources(inputs, (i for i, findings in found if findings), failures)
    return [
        (i, FileReport(inputs[i].display_name, findings, inputs[i].loaded))
        for i, findings in found
        if i not in gone
    ]


def check_group(
    sources: Sequence[SourceFile],
    settings: Sequence[Settings],
    timings: Timings,
    split: int = 1,
    context: Sequence[bool] | None = None,
    trees: Sequence[TreeSlot | None] | None = None,
) -> list[FileReport]:
    """Parse, model and check one link group; reports in the order of ``sources``.

    ``split`` processes may share the rule pass (``parallel.forked_map``).
    Files marked in ``context`` are parsed and modelled but not checked (their
    reports are empty); ``trees`` says where each file's stored tree lives.
    """
    from flasklint_headers.parallel import forked_map, split_chunks

    with _trees_out_of_gc():
        by_position, modelled, project, stored = _parse_and_model(sources, timings, trees)
        try:
            loaded = [(p, item) for p, item in modelled if not (context and context[p])]
            for position, item in modelled:
                if context and context[position]:
                    by_position[position] = FileReport(item.source.display_name, [], item.source)

            def check_chunk(chunk: range) -> tuple[list[list[Finding]], dict[str, float]]:
                rule_times: dict[str, float] | None = {} if timings.enabled else None
                findings = [
                    _check_or_too_deep(item, settings[position], rule_times)
                    for position, item in (loaded[i] for i in chunk)
                ]
                return findings, rule_times or {}

            with timings.stage("rules"):
                chunks = split_chunks([len(item.source.text) for _, item in loaded], split)
                for chunk, (findings, rule_times) in zip(
                    chunks, forked_map(check_chunk, chunks), strict=True
                ):
                    for index, file_findings in zip(chunk, findings, strict=True):
                        position, item = loaded[index]
                        by_position[position] = FileReport(
                            item.source.display_name,
                            file_findings,
                            item.source,
                            failed=any(f.code == "FLH001" for f in file_findings),
                        )
                    for code, seconds in rule_times.items():
                        timings.rules[code] = timings.rules.get(code, 0.0) + seconds
                if len(chunks) > 1:
                    timings.count("rule forks", len(chunks) - 1)
            loaded.clear()
            _release(project, modelled, timings)
        finally:
            stored()  # the child storing trees (if any) is done
    return [by_position[p] for p in range(len(sources))]


def _check_or_too_deep(
    loaded: LoadedFile, settings: Settings, rule_times: dict[str, float] | None
) -> list[Finding]:
    """``check_loaded``, or the file's one FLH001 when the rule walk runs out of depth."""
    try:
        return check_loaded(loaded, settings, rule_times=rule_times)
    except RecursionError:
        return too_deep_report(loaded.source, "check").findings


def _parse_and_model(
    sources: Sequence[SourceFile],
    timings: Timings,
    trees: Sequence[TreeSlot | None] | None = None,
) -> tuple[dict[int, FileReport], list[tuple[int, LoadedFile]], ProjectModel, Callable[[], None]]:
    """Reports of files that failed to parse (by position), the parsed files, their
    project, and what to call once the group is done (waits for trees being stored)."""
    failed: dict[int, FileReport] = {}
    loaded: list[tuple[int, LoadedFile]] = []
    to_store: list[tuple[TreeSlot, cst.Module]] = []
    with timings.stage("parse"):
        for position, source in enumerate(sources):
            slot = trees[position] if trees else None
            result = _load_stored(source, slot) if slot else None
            if result is not None:
                timings.count("trees loaded")
            else:
                result = load_source(source)
                if slot and slot.store and isinstance(result, LoadedFile):
                    to_store.append((slot, result.module))
            if isinstance(result, FileReport):
                failed[position] = result
            else:
                loaded.append((position, result))
            gc.freeze()
        finish = _store_trees(to_store, timings)
    with timings.stage("model"):
        project = _model_each(loaded, failed)
        gc.freeze()
    return failed, loaded, project, finish


def _model_each(
    loaded: list[tuple[int, LoadedFile]], failed: dict[int, FileReport]
) -> ProjectModel:
    """``build_project``, except that a file too deep to model becomes its own FLH001.

    ``parsing.py`` refuses files deeper than the recursive walks can go; this is
    the defence behind it, so that one file never costs the others' results.
    """
    from flasklint_headers.model import ProjectModel

    project = ProjectModel()
    modelled: list[tuple[int, LoadedFile]] = []
    for position, item in loaded:
        try:
            build_project([item], project)  # FileModel is built before it is registered
        except RecursionError:
            failed[position] = too_deep_report(item.source, "model")
        else:
            modelled.append((position, item))
    loaded[:] = modelled
    return project


def too_deep_report(source: SourceFile, stage: str) -> FileReport:
    """One FLH001 for a file whose ``stage`` ran out of recursion depth."""
    message = f"cannot analyse this file: nested too deeply to {stage} (RecursionError)"
    finding = diagnostic("FLH001", "syntax-error", source.display_name, message)
    return FileReport(source.display_name, [finding], source, failed=True)


def _load_stored(source: SourceFile, slot: TreeSlot) -> LoadedFile | None:
    from flasklint_headers.tree_cache import load_tree

    tree = load_tree(slot, len(source.raw))
    return None if tree is None else LoadedFile(source.path, source, tree)


# From this many trees on, a forked child stores them while the group is modelled
# and checked (storing costs about a quarter of parsing); fewer are stored here.
_MIN_TREES_TO_FORK = 20


def _store_trees(
    to_store: Sequence[tuple[TreeSlot, cst.Module]], timings: Timings
) -> Callable[[], None]:
    """Store the trees (``tree_cache.py``); returns what waits until they are stored."""
    from flasklint_headers.parallel import start_in_child, wait_for_child
    from flasklint_headers.tree_cache import store_tree

    def store_all() -> None:
        for slot, tree in to_store:
            store_tree(slot, tree)

    timings.count("trees stored", len(to_store))
    child = start_in_child(store_all) if len(to_store) >= _MIN_TREES_TO_FORK else None
    if child is None:
        store_all()
        return lambda: None
    return lambda: wait_for_child(child)


def _release(project: ProjectModel, loaded: list[tuple[int, LoadedFile]], timings: Timings) -> None:
    """Free the group's trees now, by reference counting (see ``ProjectModel.release``)."""
    with timings.stage("release"):
        project.release()
        for _, item in loaded:
            item.model = None
        loaded.clear()


@contextmanager
def _trees_out_of_gc() -> Iterator[None]:
    """Let the cyclic garbage collector skip the syntax trees and the model.

    They hold millions of objects that live until the group is done, and every
    full collection would walk all of them again (a third of the run time on a
    large project).  Callers ``gc.freeze()`` after adding long-lived objects;
    at the end they become collectable again.
    """
    try:
        yield
    finally:
        gc.unfreeze()


def _fix_group(items: Sequence[_Input], fix: GroupFixer, timings: Timings) -> list[FileReport]:
    """Fix one link group: its files are handed to ``fix`` together (``fixer.fix_files``)."""
    context_names = {item.source.display_name for item in items if item.context}
    with _trees_out_of_gc():
        failed, loaded, project, _ = _parse_and_model([item.source for item in items], timings)
        reports = list(failed.values())
        targets: list[tuple[LoadedFile, Settings]] = []
        for position, file in loaded:
            item = items[position]
            assert item.settings is not None
            if not item.context:  # context files are modelled, never rewritten
                targets.append((file, item.settings))
        with timings.stage("fixes"):
            reports.extend(fix(targets, project))
        _release(project, loaded, timings)
    return [r for r in reports if r.display_name not in context_names]


def lint_text(
    text: str,
    settings: Settings | None = None,
    filename: str = "<stdin>",
    path: Path | None = None,
) -> list[Finding]:
    """Lint one in-memory source (used by stdin mode and tests)."""
    from flasklint_headers.depth import recursion_room

    settings = settings or Settings.default()
    source = decode_source(text.encode("utf-8"), path or Path(filename), filename)
    loaded = load_source(source)
    if isinstance(loaded, FileReport):
        return loaded.findings
    with recursion_room():
        build_project([loaded])
        return check_loaded(loaded, settings)
