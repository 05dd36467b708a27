"""FLH202 at runtime: after the fix a charset is declared and the body bytes are unchanged."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH202" / "basic.py"
EXPECTED = {
    "/html": "text/html; charset=utf-8",
    "/template": "text/html; charset=utf-8",
    "/bytes": "text/csv; charset=utf-8",
    "/header": "text/plain; charset=utf-8",
    "/property": "text/csv; charset=utf-8",
    "/tuple": "text/html; charset=utf-8",
    "/js": "application/javascript; charset=utf-8",
}


def test_charset_appears(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH202", unsafe=True)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "x.html").write_text("<p>caf\u00e9</p>", encoding="utf-8")
    for app in (before, after):
        app.template_folder = str(templates)
    for route, content_type in EXPECTED.items():
        old = before.test_client().get(route)
        new = after.test_client().get(route)
        assert old.status_code == new.status_code == 200, route
        assert "charset" not in old.headers["Content-Type"], route
        assert new.headers["Content-Type"] == content_type, route
        assert new.data == old.data, route
        # a str body is encoded as UTF-8, so the declared charset is the true one
        assert new.mimetype_params.get("charset") == "utf-8"


def test_mixed_bindings_fix_only_the_response_they_follow(tmp_path: Path) -> None:
    fixture = FIXTURE.with_name("mixed_bindings.py")
    before, after, _ = before_and_after(fixture, tmp_path, "FLH202", unsafe=True)
    for route in ("/text/plain", "/through-headers", "/branches"):
        old = before.test_client().get(route)
        new = after.test_client().get(route)
        assert old.headers["Content-Type"] == "text/plain"
        assert new.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert new.data == old.data
