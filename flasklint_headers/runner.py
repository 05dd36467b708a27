"""The pipeline: discover -> read & decode -> parse -> Flask model -> rules -> suppressions.

``check_paths`` is what the CLI calls; ``lint_text`` runs the same pipeline on
one in-memory source (stdin mode, tests).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from flasklint_headers.config import Settings
from flasklint_headers.findings import Finding
from flasklint_headers.linter import diagnostic, run_rules
from flasklint_headers.model import FileModel, ProjectModel
from flasklint_headers.parsing import ParseFailure, parse_text
from flasklint_headers.rules import Rule, all_rules
from flasklint_headers.source import SourceError, SourceFile, decode_source, read_source
from flasklint_headers.suppressions import apply_suppressions


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
    # Set when the file could not be read or parsed (exit code 2).
    failed: bool = False
    notes: list[str] = field(default_factory=list)


def display_name(path: Path) -> str:
    """The path as given, relative to the current directory when inside it."""
    try:
        return (
            os.path.relpath(path) if path.is_absolute() and _inside_cwd(path) else path.as_posix()
        )
    except ValueError:
        return path.as_posix()


def _inside_cwd(path: Path) -> bool:
    try:
        path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return True


def load_source(source: SourceFile) -> LoadedFile | FileReport:
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
    project = project or ProjectModel()
    for loaded in files:
        loaded.model = project.add_module(loaded.module, loaded.path)
    return project


def enabled_rules(settings: Settings) -> list[type[Rule]]:
    return [r for r in all_rules() if settings.is_enabled(r.code)]


def check_loaded(
    loaded: LoadedFile, settings: Settings, relative_path: str | None = None
) -> list[Finding]:
    """Rules + suppressions + per-file ignores for one loaded, modelled file."""
    assert loaded.model is not None, "build_project() first"
    ignored = settings.ignored_for(relative_path or loaded.source.display_name)
    rules = [r for r in enabled_rules(settings) if r.code not in ignored]
    findings, crashes = run_rules(loaded.source, loaded.module, loaded.model, settings, rules)
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
        settings.enabled,
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
    # Collect per-stage and per-rule timings (``-v``).
    timings: bool = False


SettingsFor = Callable[[Path], Settings]


def check_paths(
    files: Iterable[Path],
    settings: Settings | SettingsFor,
    fix: Callable[[LoadedFile, ProjectModel, Settings], FileReport] | None = None,
    options: RunOptions | None = None,
) -> list[FileReport]:
    """Check (or, with ``fix``, fix) every file; the project model spans all of them.

    ``settings`` is one Settings for every file or a function giving each file's
    Settings (nearest ``pyproject.toml``).
    """
    settings_for: SettingsFor = settings if callable(settings) else (lambda _path: settings)
    options = options or RunOptions()
    reports: list[FileReport] = []
    loaded_files: list[LoadedFile] = []
    for path in files:
        loaded = load_file(path)
        if isinstance(loaded, FileReport):
            reports.append(loaded)
        else:
            loaded_files.append(loaded)
    project = build_project(loaded_files)
    for loaded in loaded_files:
        file_settings = settings_for(loaded.path)
        if fix is not None:
            reports.append(fix(loaded, project, file_settings))
        else:
            findings = check_loaded(loaded, file_settings)
            reports.append(FileReport(loaded.source.display_name, findings, loaded.source))
    return sorted(reports, key=lambda r: r.display_name)


def lint_text(
    text: str,
    settings: Settings | None = None,
    filename: str = "<stdin>",
    path: Path | None = None,
) -> list[Finding]:
    """Lint one in-memory source (used by stdin mode and tests)."""
    settings = settings or Settings.default()
    source = decode_source(text.encode("utf-8"), path or Path(filename), filename)
    loaded = load_source(source)
    if isinstance(loaded, FileReport):
        return loaded.findings
    build_project([loaded])
    return check_loaded(loaded, settings)
