"""FLH104 at runtime: deleting the dead write sends the same single value."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH104" / "basic.py"


def test_safe_fix_sends_the_same_value(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH104", unsafe=False)
    for route, name in (("/overwritten", "X-Frame-Options"), ("/set-then-set", "Cache-Control")):
        old, new = before.test_client().get(route), after.test_client().get(route)
        assert old.headers.getlist(name) == new.headers.getlist(name), route
        assert len(new.headers.getlist(name)) == 1, route
        assert sorted(old.headers.items()) == sorted(new.headers.items()), route
    assert after.test_client().get("/overwritten").headers["X-Frame-Options"] == "SAMEORIGIN"
    old, new = before.test_client().get("/update"), after.test_client().get("/update")
    assert sorted(old.headers.items()) == sorted(new.headers.items())
    assert new.headers.getlist("Referrer-Policy") == ["same-origin"]
    assert new.headers.getlist("X-Content-Type-Options") == ["NOSNIFF"]
    assert new.headers.getlist("X-B") == ["2"]


def test_duplicate_lines_before_and_one_after(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH104", unsafe=True)
    cases = {
        "/added-twice": ("X-Frame-Options", "SAMEORIGIN"),
        "/content-type-added": ("Content-Type", "text/plain"),
        "/literal": ("X-Frame-Options", "SAMEORIGIN"),
        "/constructor": ("Content-Type", "text/html"),
        "/pairs": ("ETag", '"b"'),
    }
    for route, (name, value) in cases.items():
        old, new = before.test_client().get(route), after.test_client().get(route)
        assert len(old.headers.getlist(name)) == 2, route
        assert new.headers.getlist(name) == [value], route


def test_negatives_keep_their_behaviour(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH104", unsafe=True)
    old = before.test_client().get("/list-based")
    assert old.headers.getlist("Vary") == ["Origin", "Cookie"]
    assert (
        len(before.test_client().get("/tuple-on-response").headers.getlist("X-Frame-Options")) == 1
    )
    assert before.test_client().get("/location-added").headers.getlist("Location") == ["/b"]
    for route in (
        "/location-added",
        "/read-between",
        "/conditional",
        "/replaced-then-added",
        "/appended-value",
    ):
        old, new = before.test_client().get(route), after.test_client().get(route)
        assert sorted(old.headers.items()) == sorted(new.headers.items()), route
