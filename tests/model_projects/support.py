"""Load a project directory into a ProjectModel the way the runner does."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from flasklint_headers.model import FileModel, ProjectModel
from flasklint_headers.runner import LoadedFile, build_project, load_file

HERE = Path(__file__).resolve().parent


def load_project(name: str) -> ProjectModel:
    files = []
    for path in sorted((HERE / name).rglob("*.py")):
        loaded = load_file(path)
        assert isinstance(loaded, LoadedFile), path
        files.append(loaded)
    return build_project(files)


def module(project: ProjectModel, name: str) -> FileModel:
    return project.modules[name]


def function(model: FileModel, qualname: str) -> cst.FunctionDef:
    for scope in model.index.scopes:
        if scope.qualname == qualname and isinstance(scope.node, cst.FunctionDef):
            return scope.node
    raise KeyError(qualname)


def project_from_sources(tmp_path: Path, files: dict[str, str]) -> ProjectModel:
    """Write ``files`` (relative path -> text) under ``tmp_path`` and model them."""
    loaded_files = []
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for path in sorted(tmp_path.rglob("*.py")):
        loaded = load_file(path)
        assert isinstance(loaded, LoadedFile), path
        loaded_files.append(loaded)
    return build_project(loaded_files)
