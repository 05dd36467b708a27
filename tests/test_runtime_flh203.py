"""FLH203 at runtime: removing the ignored ``mimetype=`` changes nothing on the wire."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH203" / "basic.py"


def _wire(response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.headers.items()), response.data


def test_nothing_changes(tmp_path: Path) -> None:
    for unsafe in (False, True):
        before, after, fixed = before_and_after(FIXTURE, tmp_path, "FLH203", unsafe=unsafe)
        # the safe fix leaves ``mimetype=pick_type()`` (a call) alone
        assert ("mimetype=pick_type()" in fixed) is not unsafe
        for route in ("/a", "/b", "/c", "/d"):
            old = before.test_client().get(route)
            new = after.test_client().get(route)
            assert old.headers["Content-Type"] == "text/csv; charset=utf-8"
            assert _wire(new) == _wire(old), route


def test_mimetype_is_used_when_content_type_is_none() -> None:
    # Why FLH203 only fires for a constant content_type: ``None`` falls back to mimetype.
    from flask import Response

    response = Response("x", mimetype="text/plain", content_type=None)
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    response = Response("x", mimetype="text/plain", content_type="text/csv")
    assert response.headers["Content-Type"] == "text/csv"
