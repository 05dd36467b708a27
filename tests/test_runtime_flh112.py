"""FLH112 at runtime: a hook that returns None breaks every request until it is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import before_and_after, fix_text, load_app

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH112" / "basic.py"


def test_hooks_return_the_response_after_the_fix(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH112", unsafe=False)
    with pytest.raises((TypeError, AttributeError), match="NoneType"):
        before.test_client().get("/")
    response = after.test_client().get("/")
    assert response.status_code == 200
    assert response.data == b"ok"
    # every hook's header made it, including the after_this_request callback
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-One"] == "1"
    assert response.headers["Cache-Control"] == "no-store"
    assert {"Cookie", "Accept"} <= set(response.vary)


def test_fix_is_applied_with_plain_fix(tmp_path: Path) -> None:
    _, _, fixed = before_and_after(FIXTURE, tmp_path, "FLH112", unsafe=False)
    assert "return None" not in fixed
    assert fixed.count("return response") >= 4


def test_fix_keeps_crlf_and_missing_final_newline(tmp_path: Path) -> None:
    source = (
        "from flask import Flask\r\n"
        "app = Flask(__name__)\r\n"
        "\r\n"
        "@app.after_request\r\n"
        "def hook(resp):\r\n"
        '\tresp.headers["X"] = "1"'
    )
    fixed = fix_text(source, tmp_path, "FLH112", unsafe=False)
    assert fixed == source + "\r\n\treturn resp"
    response = load_app(fixed, tmp_path).test_client().get("/missing")
    assert response.status_code == 404 and response.headers["X"] == "1"


def test_extension_hooks_return_the_response_after_the_fix(tmp_path: Path) -> None:
    """fixtures/FLH112/extension_init_app.py: hooks an extension's ``init_app`` registers."""
    from flask import Flask
    from runtime_support import load_module_from_text

    fixture = FIXTURE.with_name("extension_init_app.py")
    text = fixture.read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, "FLH112", unsafe=False)

    def serve(source: str):
        app = Flask(__name__)
        app.testing = True  # errors propagate instead of becoming a 500
        app.add_url_rule("/", "index", lambda: "ok")
        load_module_from_text(source, tmp_path).FlaskHelmet().init_app(app)
        return app.test_client().get("/")

    with pytest.raises((TypeError, AttributeError), match="NoneType"):
        serve(text)
    response = serve(fixed)
    assert response.status_code == 200 and response.data == b"ok"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
