"""After a group is checked its trees are freed at once, not left to the garbage collector."""

from __future__ import annotations

import gc
from pathlib import Path

import libcst as cst
import pytest

import flasklint_headers.runner as runner
from flasklint_headers.config import Settings
from flasklint_headers.source import decode_source
from flasklint_headers.timing import Timings

APP = b"""from flask import Flask, make_response
from .views import index

app = Flask(__name__)
app.add_url_rule("/", view_func=index)
"""
VIEWS = b"""from flask import make_response


def index():
    resp = make_response("hi")
    resp.headers["X-Frame-Options"] = "ALLOW"
    return resp
"""


def test_trees_are_freed_by_reference_counting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "shopx"
    package.mkdir()
    sources = []
    for name, data in (("__init__.py", b""), ("app.py", APP), ("views.py", VIEWS)):
        (package / name).write_bytes(data)
        sources.append(decode_source(data, package / name, f"shopx/{name}"))
    trees: list[int] = []
    original = runner.load_source

    def keeping(source):  # type: ignore[no-untyped-def]
        loaded = original(source)
        trees.append(id(loaded.module))
        return loaded

    monkeypatch.setattr(runner, "load_source", keeping)
    was_enabled = gc.isenabled()
    gc.disable()  # only reference counting may free them
    try:
        reports = runner.check_group(sources, [Settings.default()] * 3, Timings())
        alive = {id(o) for o in gc.get_objects() if type(o) is cst.Module}
        assert len(trees) == 3
        assert not alive & set(trees)
    finally:
        if was_enabled:
            gc.enable()
    assert [f.code for f in reports[2].findings if f.code == "FLH311"] or any(
        r.findings for r in reports
    )
