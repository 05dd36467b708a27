"""Property test: fixing generated Flask modules is a safe, idempotent round trip.

The generator builds a module from views with the pitfalls the rules know, in
random formatting (LF/CRLF, BOM, latin-1 coding cookie, comments, blank lines),
plus "clean" views no rule should touch. With every rule enabled it checks:
the fixed file still compiles, fixing it again changes nothing, and the
prologue and the clean views are byte-identical. To cover a new pitfall, add
one entry to ``PITFALLS``.
"""

from __future__ import annotations

import codecs
import itertools
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flasklint_headers.config import Settings
from flasklint_headers.fixer import fix_loaded
from flasklint_headers.runner import FileReport, build_project, load_file

ALL_RULES = Settings.default()

# Each pitfall is a function definition template; {n} makes names unique.
PITFALLS: dict[str, str] = {
    "dict-as-headers": (
        '@app.route("/dict{n}")\ndef dict_view{n}():\n    return {{"X-Frame-Options": "DENY"}}\n'
    ),
    "dict-with-status": (
        '@app.route("/created{n}")\n'
        "def created{n}():\n"
        '    return {{"Location": "/items/{n}"}}, 201\n'
    ),
    "misordered-tuple": (
        '@app.route("/order{n}")\ndef order{n}():\n    return ("x", {{"X-A": "1"}}, 201)\n'
    ),
    "write-after-return": (
        '@app.route("/late{n}")\n'
        "def late{n}():\n"
        '    resp = make_response("x")\n'
        "    return resp\n"
        '    resp.headers["X-Late"] = "1"\n'
    ),
    "duplicate-header": (
        '@app.route("/dup{n}")\n'
        "def dup{n}():\n"
        '    resp = make_response("x")\n'
        '    resp.headers["X-Dup"] = "1"\n'
        '    resp.headers["x-dup"] = "2"\n'
        "    return resp\n"
    ),
    "hook-without-return": (
        '@app.after_request\ndef hook{n}(response):\n    response.headers["X-Hook"] = "1"\n'
    ),
    "json-dumps": ('@app.route("/json{n}")\ndef json{n}():\n    return json.dumps({{"a": {n}}})\n'),
    "cookie-without-flags": (
        '@app.route("/cookie{n}")\n'
        "def cookie{n}():\n"
        '    resp = make_response("x")\n'
        '    resp.set_cookie("sid{n}", "1")\n'
        "    return resp\n"
    ),
    "content-length": (
        '@app.route("/len{n}")\n'
        "def length{n}():\n"
        '    resp = make_response("hello")\n'
        '    resp.headers["Content-Length"] = "5"\n'
        "    return resp\n"
    ),
}

# Pitfalls whose fix is safe (so even ``--fix`` without unsafe fixes changes the file).
SAFELY_FIXABLE = {"misordered-tuple", "duplicate-header", "hook-without-return"}

CLEAN = (
    '@app.route("/clean{n}")\n'
    "def clean{n}():  # clean view {n}\n"
    '    return "ok {n}", 200, {{"X-Request-Id": "{n}"}}\n'
)

PROLOGUE = "import json\n\nfrom flask import Flask, make_response\n\napp = Flask(__name__)\n"

COMMENTS = ["", "# a comment\n", "# caf\u00e9 \u00e0 la cr\u00e8me\n", "\n"]


@dataclass(frozen=True)
class Layout:
    newline: str
    bom: bool
    latin1: bool
    blank_lines: int


@dataclass(frozen=True)
class Generated:
    raw: bytes
    prologue: bytes
    clean_views: tuple[bytes, ...]
    layout: Layout
    # A pitfall with a safe fix is present: the fixer must change something.
    fixable: bool


def _encode(text: str, layout: Layout) -> bytes:
    return text.replace("\n", layout.newline).encode("latin-1" if layout.latin1 else "utf-8")


@st.composite
def modules(draw: st.DrawFn) -> Generated:
    layout = Layout(
        newline=draw(st.sampled_from(["\n", "\r\n"])),
        bom=draw(st.booleans()),
        latin1=draw(st.booleans()),
        blank_lines=draw(st.integers(min_value=1, max_value=3)),
    )
    if layout.bom and layout.latin1:
        layout = Layout(layout.newline, False, True, layout.blank_lines)
    kinds = draw(st.lists(st.sampled_from([*PITFALLS, "clean"]), min_size=1, max_size=6))
    header = "# -*- coding: latin-1 -*-\n" if layout.latin1 else ""
    prologue = header + PROLOGUE
    parts: list[str] = []
    clean: list[str] = []
    for n, kind in enumerate(kinds):
        block = (CLEAN if kind == "clean" else PITFALLS[kind]).format(n=n)
        comment = draw(st.sampled_from(COMMENTS))
        parts.append("\n" * layout.blank_lines + comment + block)
        if kind == "clean":
            clean.append(block)
    text = prologue + "".join(parts)
    raw = _encode(text, layout)
    if layout.bom:
        raw = codecs.BOM_UTF8 + raw
    clean_views = tuple(_encode(c, layout) for c in clean)
    fixable = bool(SAFELY_FIXABLE.intersection(kinds))
    return Generated(raw, _encode(prologue, layout), clean_views, layout, fixable)


_names = itertools.count()


def _fix(raw: bytes, directory: Path, unsafe: bool) -> bytes:
    path = directory / f"generated_{next(_names)}.py"
    path.write_bytes(raw)
    loaded = load_file(path)
    assert not isinstance(loaded, FileReport), loaded.findings
    project = build_project([loaded])
    outcome = fix_loaded(loaded, project, ALL_RULES, unsafe)
    assert outcome.converged, outcome.notes
    assert not [n for n in outcome.notes if "dropped" in n], outcome.notes
    return loaded.source.encode(outcome.text)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=modules(), unsafe=st.booleans())
def test_fix_round_trip(tmp_path: Path, generated: Generated, unsafe: bool) -> None:
    fixed = _fix(generated.raw, tmp_path, unsafe)
    compile(fixed, "generated.py", "exec", dont_inherit=True)
    assert _fix(fixed, tmp_path, unsafe) == fixed
    if generated.fixable:
        assert fixed != generated.raw
    body = fixed[len(codecs.BOM_UTF8) :] if generated.layout.bom else fixed
    assert fixed.startswith(codecs.BOM_UTF8) == generated.layout.bom
    assert body.startswith(generated.prologue)
    for view in generated.clean_views:
        assert view in body
    if generated.layout.newline == "\r\n":
        assert body.count(b"\n") == body.count(b"\r\n")
    else:
        assert b"\r" not in body
