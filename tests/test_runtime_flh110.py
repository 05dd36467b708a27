"""FLH110 at runtime: after the fix the hop-by-hop header is gone, the rest stays."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH110" / "basic.py"


def test_hop_by_hop_headers_removed(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH110", unsafe=True)
    expectations = {
        "/chunked": ("Transfer-Encoding",),
        "/keep-alive": ("Connection", "Keep-Alive"),
        "/tuple": ("Connection",),
        "/constructor": ("Transfer-Encoding",),
        "/make-response": ("TE",),
        "/only-statement": ("Connection",),
    }
    for route, names in expectations.items():
        old = before.test_client().get(route)
        new = after.test_client().get(route)
        for name in names:
            assert name in old.headers, (route, name)
            assert name not in new.headers, (route, name)
        assert new.data == old.data == b"hello", route
        assert new.headers.get("X-A") == old.headers.get("X-A"), route
    assert "Upgrade" in before.test_client().get("/chunked").headers
    assert "Upgrade" not in after.test_client().get("/chunked").headers


def test_protocol_switch_untouched(tmp_path: Path) -> None:
    _, after, _ = before_and_after(FIXTURE, tmp_path, "FLH110", unsafe=True)
    new = after.test_client().get("/switch")
    assert new.status_code == 101 and new.headers["Upgrade"] == "websocket"


def test_multiline_literals_lose_only_the_hop_by_hop_entry(tmp_path: Path) -> None:
    fixture = FIXTURE.with_name("multiline_literals.py")
    before, after, _ = before_and_after(fixture, tmp_path, "FLH110", unsafe=True)
    for debug in (True, False):  # the dict branch, then the list-of-pairs branch
        before.debug = after.debug = debug
        old = before.test_client().get("/events")
        new = after.test_client().get("/events")
        assert old.headers["Connection"] == "keep-alive"
        assert "Connection" not in new.headers
        assert new.headers["Cache-Control"] == "no-cache"
        assert new.headers.get("X-Accel-Buffering") == old.headers.get("X-Accel-Buffering")
        assert new.data == old.data == b"data: 1\n\n"
    old, new = before.test_client().get("/only"), after.test_client().get("/only")
    assert old.headers["Connection"] == "close" and "Connection" not in new.headers
    assert new.data == old.data == b"ok"
