"""A one-file run (what pre-commit does) answers like a run over the whole project."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flasklint_headers.cli import main

PROJECTS = Path(__file__).resolve().parent.parent / "fixtures" / "projects"


def _findings(*paths: str) -> set[tuple[str, int, str]]:
    result = CliRunner().invoke(main, ["--no-cache", "--output-format", "json", *paths])
    assert result.exit_code in (0, 1), result.output
    return {(f["filename"], f["location"]["row"], f["code"]) for f in json.loads(result.stdout)}


@pytest.mark.parametrize("project", ["insecure_factory", "secure_factory", "cors_factory"])
def test_each_file_alone_matches_the_project_run(
    project: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / project
    shutil.copytree(PROJECTS / project, root)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(root)
    whole = _findings(".")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.py"))
    alone: set[tuple[str, int, str]] = set()
    for file in files:
        alone |= _findings(file)
    assert {(os.path.normpath(f), r, c) for f, r, c in alone} == {
        (os.path.normpath(f), r, c) for f, r, c in whole
    }


def test_context_files_are_never_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "insecure_factory"
    shutil.copytree(PROJECTS / "insecure_factory", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(root)
    views = root / "insecureapp" / "views.py"
    before = views.read_bytes()
    result = CliRunner().invoke(
        main, ["--no-cache", "--fix", "--unsafe-fixes", "insecureapp/__init__.py"]
    )
    assert result.exit_code in (0, 1), result.output
    assert views.read_bytes() == before


def test_a_root_inside_a_given_directory_is_not_walked_again(tmp_path: Path) -> None:
    from flasklint_headers.project_root import project_files_for

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    package = tmp_path / "pkg"
    package.mkdir()
    for name in ("__init__.py", "a.py", "b.py"):
        (package / name).write_text("")
    given = [package / "a.py"]
    assert {p.name for p in project_files_for(given)} == {"__init__.py", "b.py"}
    # The run was given the whole root: its files are all in the run already.
    assert project_files_for(given, covered_dirs=[tmp_path]) == []
    # A directory below the root does not cover the rest of the project.
    assert {p.name for p in project_files_for(given, covered_dirs=[package])} == {
        "__init__.py",
        "b.py",
    }


def test_the_project_context_reads_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str]
) -> None:
    """A pre-commit run reads and re-scans only the project files that changed since the last."""
    monkeypatch.setattr("flasklint_headers.cache._RACY_NS", 0)  # files written just now
    root = tmp_path / "insecure_factory"
    shutil.copytree(PROJECTS / "insecure_factory", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (root / "tools").mkdir()
    (root / "tools" / "report.py").write_text("print('unrelated')\n", encoding="utf-8")
    monkeypatch.chdir(root)
    given = "insecureapp/__init__.py"

    def run() -> str:
        result = CliRunner().invoke(main, ["--output-format", "concise", given])
        assert result.exit_code in (0, 1), result.output
        return result.stdout

    first = run()
    assert "report.py" in reads
    reads.clear()
    assert run() == first
    assert "report.py" not in reads  # unchanged: neither read nor scanned again
    assert (
        run()
        == CliRunner().invoke(main, ["--no-cache", "--output-format", "concise", given]).stdout
    )
