"""Run every annotated fixture: expected findings, golden fixes, idempotence."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_support import (
    FIXTURES,
    actual_codes,
    describe,
    expected_codes,
    project_dirs,
    rule_fixture_files,
    settings_for,
)

from flasklint_headers.config import Settings
from flasklint_headers.discovery import iter_python_files
from flasklint_headers.fixer import fix_loaded
from flasklint_headers.runner import FileReport, LoadedFile, build_project, check_loaded, load_file


def _load(path: Path, display: str | None = None) -> LoadedFile:
    loaded = load_file(path, display or path.relative_to(FIXTURES).as_posix())
    assert not isinstance(loaded, FileReport), describe(loaded.findings)
    return loaded


def _lint(path: Path, settings: Settings, display: str | None = None):
    loaded = _load(path, display)
    build_project([loaded])
    return check_loaded(loaded, settings)


def _copy_beside(path: Path, text: str, tmp_dir: Path) -> Path:
    """Write ``text`` under the fixture's own file name in a private temp dir.

    Same file name = same module name and messages; a private dir keeps
    concurrent test runs from seeing each other's files.
    """
    target = tmp_dir / path.name
    target.write_text(text, encoding="utf-8", newline="")
    return target


def _fix_text(path: Path, text: str, settings: Settings, unsafe: bool, tmp_dir: Path) -> str:
    copy = _copy_beside(path, text, tmp_dir)
    loaded = _load(copy, path.relative_to(FIXTURES).as_posix())
    project = build_project([loaded])
    return fix_loaded(loaded, project, settings, unsafe).text


FILES = rule_fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_fixture_findings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    findings = _lint(path, settings_for(path, text))
    expected = expected_codes(text)
    actual = actual_codes(findings)
    missing = expected - actual
    unexpected = actual - expected
    assert not missing and not unexpected, (
        f"missing: {sorted(missing.elements())}\nunexpected: {sorted(unexpected.elements())}\n"
        f"all findings:\n{describe(findings)}"
    )


@pytest.mark.parametrize("unsafe", [False, True], ids=["fix", "unsafe-fix"])
@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FILES])
def test_fixture_fixes(path: Path, unsafe: bool, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    settings = settings_for(path, text)
    golden = path.with_name(f"{path.stem}.{'unsafe.' if unsafe else ''}fixed.py")
    fixed = _fix_text(path, text, settings, unsafe, tmp_path)
    if golden.exists():
        assert fixed == golden.read_text(encoding="utf-8")
    else:
        assert fixed == text, f"fix changed the file but {golden.name} does not exist:\n{fixed}"
    # Idempotent: fixing the fixed output changes nothing, and no applicable fix is left.
    assert _fix_text(path, fixed, settings, unsafe, tmp_path) == fixed
    copy = _copy_beside(path, fixed, tmp_path)
    findings = _lint(copy, settings, path.relative_to(FIXTURES).as_posix())
    leftover = [f for f in findings if f.fix and f.fix.is_applicable(unsafe)]
    assert not leftover, describe(leftover)


PROJECTS = project_dirs()


@pytest.mark.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS])
def test_project_fixture(project: Path) -> None:
    files = list(iter_python_files([project]))
    loaded = [_load(p) for p in files]
    build_project(loaded)
    settings = Settings.default()
    problems = []
    for item in loaded:
        findings = check_loaded(item, settings)
        expected = expected_codes(item.source.text)
        actual = actual_codes(findings)
        if expected != actual:
            problems.append(f"{item.source.display_name}:\n{describe(findings)}")
    assert not problems, "\n".join(problems)
