"""FLH116's premise at runtime: the test client accepts what a real WSGI server cannot send.

Served in-process through ``wsgiref`` (no socket), which encodes the status line
and headers as ISO-8859-1 the way PEP 3333 servers do.
"""

from __future__ import annotations

import io
from pathlib import Path
from wsgiref.handlers import SimpleHandler

from flask import Flask, make_response
from runtime_support import load_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "FLH116"


def _serve(app: Flask, path: str) -> tuple[bytes, str]:
    """(raw bytes written by the server, its error log)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
    }
    out, err = io.BytesIO(), io.StringIO()
    handler = SimpleHandler(io.BytesIO(), out, err, environ)
    handler.run(app)
    return out.getvalue(), err.getvalue()


def _app_with_header(name: str, value: str, **options: str) -> Flask:
    app = Flask(__name__)

    @app.route("/")
    def index():
        resp = make_response("x")
        resp.headers.set(name, value, **options)
        return resp

    return app


def test_non_latin1_value_passes_test_client_but_not_a_server() -> None:
    app = _app_with_header("X-Name", "Zo\u00eb \u2603")
    assert app.test_client().get("/").headers["X-Name"] == "Zo\u00eb \u2603"
    raw, log = _serve(app, "/")
    # the server dies while writing the headers: the client gets a truncated reply
    assert not raw.endswith(b"\r\n\r\nx")
    assert "UnicodeEncodeError" in log


def test_non_latin1_option_is_not_encoded_by_werkzeug() -> None:
    app = _app_with_header("Content-Disposition", "attachment", filename="\u65e5\u672c.txt")
    raw, log = _serve(app, "/")
    # the server dies while writing the headers: the client gets a truncated reply
    assert not raw.endswith(b"\r\n\r\nx")
    assert "UnicodeEncodeError" in log


def test_latin1_and_iri_headers_are_fine() -> None:
    raw, _ = _serve(_app_with_header("X-Name", "Zo\u00eb"), "/")
    assert b"X-Name: Zo\xeb" in raw
    raw, _ = _serve(_app_with_header("Location", "/caf\u00e9/\u2603"), "/")
    assert b"Location: /caf%C3%A9/%E2%98%83" in raw


def test_line_break_fails_every_request(tmp_path: Path) -> None:
    app = load_app((FIXTURES / "basic.py").read_text(encoding="utf-8"), tmp_path)
    app.testing = False
    assert app.test_client().get("/").status_code == 500
