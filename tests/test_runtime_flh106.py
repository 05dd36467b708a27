"""FLH106 at runtime: the MIME type stops being the status line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH106" / "basic.py"


def served(app: Any) -> Any:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_mime_type_becomes_mimetype(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH106", unsafe=False)
    old = served(before).get("/json")
    assert old.status == "0 application/json"
    assert old.mimetype == "text/html"
    new = after.test_client().get("/json")
    assert new.status_code == 200
    assert new.mimetype == "application/json"
    assert new.data == old.data


def test_third_positional_and_content_type(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH106", unsafe=False)
    assert served(before).get("/csv").status_code == 500
    new = after.test_client().get("/csv")
    assert new.status_code == 200 and new.mimetype == "text/csv"
    new = after.test_client().get("/charset")
    assert new.status_code == 200
    assert new.headers["Content-Type"] == "text/plain; charset=utf-8"
    for route in ("/werkzeug", "/werkzeug-top", "/response-class"):
        new = after.test_client().get(route)
        assert new.status_code == 200 and new.mimetype.startswith("application/"), route


def test_not_fixed_forms_unchanged(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH106", unsafe=False)
    for route in ("/app-response-class", "/headers-string", "/status-string", "/keywords"):
        old, new = served(before).get(route), served(after).get(route)
        assert (old.status, old.data) == (new.status, new.data), route
