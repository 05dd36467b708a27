"""FLH204 at runtime: after the fix the file is sent as an attachment with the same bytes."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH204" / "basic.py"


def test_user_named_html_is_downloaded_not_rendered(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH204", unsafe=True)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    for app in (before, after):
        app.view_functions["upload"].__globals__["UPLOADS"] = str(uploads)
    cases = [
        ("get", "/uploads/evil.html", {}),
        ("get", "/download?n=evil.html", {}),
        ("get", f"/files/{'evil.html'}", {}),
        ("post", "/form", {"data": {"name": "evil.svg"}}),
    ]
    for method, url, kwargs in cases:
        old = getattr(before.test_client(), method)(url, **kwargs)
        new = getattr(after.test_client(), method)(url, **kwargs)
        assert old.status_code == new.status_code == 200, url
        assert old.mimetype in ("text/html", "image/svg+xml"), url
        assert not old.headers.get("Content-Disposition", "inline").startswith("attachment")
        assert new.headers["Content-Disposition"].startswith("attachment"), url
        assert new.data == old.data, url
