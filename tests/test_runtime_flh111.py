"""FLH111 at runtime: after the fix Content-Length matches the bytes that are sent."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after, fix_text, load_app

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH111" / "basic.py"


def _with_template(app, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "x.html").write_text("<p>caf\u00e9</p>", encoding="utf-8")
    app.template_folder = str(templates)


def test_content_length_is_right_after_the_fix(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH111", unsafe=True)
    for app in (before, after):
        _with_template(app, tmp_path)
    for route in ("/len-str", "/template", "/wrong", "/json"):
        old = before.test_client().get(route)
        new = after.test_client().get(route)
        assert int(old.headers["Content-Length"]) != len(old.data), route
        assert int(new.headers["Content-Length"]) == len(new.data), route
        assert new.data == old.data, route


def test_encode_fix_when_werkzeug_cannot_measure(tmp_path: Path) -> None:
    # An iterator body: Werkzeug cannot measure it, the write stays, and
    # ``len(s.encode())`` is the byte count (``len(s)`` on a str is still an error here).
    source = """
from flask import Flask, Response

app = Flask(__name__)


@app.route("/")
def index():
    text = "caf\\u00e9"
    resp = Response(iter([text.encode()]))
    resp.headers["Content-Length"] = str(len(text))
    return resp
"""

    fixed = fix_text(source, tmp_path, "FLH111", unsafe=True)
    assert "str(len(text.encode()))" in fixed
    old = load_app(source, tmp_path).test_client().get("/")
    new = load_app(fixed, tmp_path).test_client().get("/")
    assert old.headers["Content-Length"] == "4"
    assert new.headers["Content-Length"] == "5" == str(len(new.data))
