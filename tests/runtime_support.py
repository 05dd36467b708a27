"""Serve fixture apps with Flask's test client, before and after a fix.

The linter never imports the code it checks; these tests do, on purpose, to
prove what a fix changes at runtime.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from flasklint_headers.config import Settings, expand_selectors
from flasklint_headers.fixer import fix_loaded
from flasklint_headers.runner import FileReport, build_project, load_file

_counter = itertools.count()


def load_module_from_text(text: str, tmp_path: Path, name: str | None = None) -> ModuleType:
    """Import ``text`` as a fresh module (a unique name each time)."""
    name = name or f"flasklint_runtime_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_app(text: str, tmp_path: Path, attr: str = "app") -> Any:
    module = load_module_from_text(text, tmp_path)
    app = getattr(module, attr)
    if callable(app) and not hasattr(app, "test_client"):
        app = app()  # an app factory
    app.testing = True
    return app


def fix_text(text: str, tmp_path: Path, select: str | list[str], unsafe: bool) -> str:
    """Run the fixer on ``text`` with only ``select`` enabled; returns the fixed text."""
    selectors = [select] if isinstance(select, str) else select
    settings = Settings(enabled=frozenset(expand_selectors(selectors, "test")))
    path = tmp_path / f"fix_input_{next(_counter)}.py"
    path.write_text(text, encoding="utf-8")
    loaded = load_file(path)
    assert not isinstance(loaded, FileReport), loaded.findings
    project = build_project([loaded])
    return fix_loaded(loaded, project, settings, unsafe).text


def before_and_after(
    fixture: Path, tmp_path: Path, select: str | list[str], unsafe: bool, attr: str = "app"
) -> tuple[Any, Any, str]:
    """(app before the fix, app after the fix, fixed text) for a fixture file."""
    text = fixture.read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, select, unsafe)
    assert fixed != text, "the fix changed nothing"
    return load_app(text, tmp_path, attr), load_app(fixed, tmp_path, attr), fixed
