"""FLH107 at runtime: ``jsonify(x, status=404)`` raises; the fixed tuple answers 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH107" / "basic.py"


def served(app: Any) -> Any:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_status_and_headers_move_into_the_tuple(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH107", unsafe=False)
    for route in ("/status", "/headers", "/both", "/app-json"):
        assert served(before).get(route).status_code == 500, route
    new = after.test_client().get("/status")
    assert new.status_code == 404 and new.get_json() == {"error": "not found"}
    assert new.mimetype == "application/json"
    new = after.test_client().get("/headers")
    assert new.status_code == 200 and new.headers["X-A"] == "1"
    new = after.test_client().get("/both")
    assert new.status_code == 201 and new.headers["X-A"] == "1"
    assert new.get_json() == [1, 2]
    assert after.test_client().get("/app-json").status_code == 404


def test_unfixed_forms_unchanged(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH107", unsafe=False)
    for route in ("/indent", "/not-returned", "/keywords-only", "/data-keywords"):
        old, new = served(before).get(route), served(after).get(route)
        assert (old.status, old.data) == (new.status, new.data), route
    # keywords alone are JSON keys, not a status: the reason for the warning
    assert served(before).get("/keywords-only").get_json() == {"status": 404, "message": "gone"}
