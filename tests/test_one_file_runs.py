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
