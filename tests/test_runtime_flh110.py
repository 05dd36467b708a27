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
