"""FLH201 at runtime: after the fix the JSON is typed as JSON and the body bytes are unchanged."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after, fix_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "FLH201"
ROUTES = {
    "/plain": 200,
    "/status": 201,
    "/http-status": 202,
    "/headers": 200,
    "/header-pairs": 200,
    "/name": 200,
    "/response": 200,
    "/app-response-class": 200,
    "/make-response": 200,
    "/make-response-status": 404,
}


def test_json_typed_and_body_unchanged(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "basic.py", tmp_path, "FLH201", unsafe=True)
    for route, status in ROUTES.items():
        old = before.test_client().get(route)
        new = after.test_client().get(route)
        assert old.mimetype == "text/html", route
        assert new.headers["Content-Type"] == "application/json", route
        assert new.status_code == old.status_code == status, route
        assert new.data == old.data, route
        # headers that were there before are still there
        for key in ("X-Request-Id", "X-A"):
            assert new.headers.get(key) == old.headers.get(key), route


def test_safe_fix_changes_nothing(tmp_path: Path) -> None:
    text = (FIXTURES / "basic.py").read_text(encoding="utf-8")
    assert fix_text(text, tmp_path, "FLH201", unsafe=False) == text
