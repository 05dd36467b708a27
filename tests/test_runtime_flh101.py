"""FLH101 at runtime: after the fix, the header is a header, not JSON body text."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH101" / "basic.py"


def test_dict_becomes_headers(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH101", unsafe=True)
    old = before.test_client().get("/frame")
    assert old.status_code == 200
    assert old.mimetype == "application/json"
    assert "X-Frame-Options" not in old.headers
    new = after.test_client().get("/frame")
    assert new.status_code == 200
    assert new.headers["X-Frame-Options"] == "DENY"

    old = before.test_client().get("/created")
    assert old.status_code == 201 and "Location" not in old.headers
    new = after.test_client().get("/created")
    assert new.status_code == 201 and new.headers["Location"] == "/items/1"


def test_negatives_unchanged(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH101", unsafe=True)
    for route in ("/json", "/mixed", "/empty"):
        assert before.test_client().get(route).data == after.test_client().get(route).data
