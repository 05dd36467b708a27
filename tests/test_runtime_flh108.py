"""FLH108 at runtime: after ``.update(...)`` Content-Type and cookies survive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH108" / "basic.py"


def served(app: Any) -> Any:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_update_keeps_content_type_and_cookies(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH108", unsafe=True)
    # before: the hook swaps in a list, and the session write then fails
    assert served(before).get("/session").status_code == 500
    new = served(after).get("/view")
    assert new.status_code == 200
    assert new.mimetype == "text/html"
    assert new.headers["X-Frame-Options"] == "DENY"
    assert new.headers["X-Content-Type-Options"] == "nosniff"
    assert "theme=dark" in new.headers["Set-Cookie"]
    new = served(after).get("/session")
    assert new.status_code == 200 and new.mimetype == "application/json"
    assert new.headers["Set-Cookie"].startswith("session=")


def test_dict_assignment_drops_headers(tmp_path: Path) -> None:
    """What the rule is about, shown on a plain view without the hook."""
    text = FIXTURE.read_text(encoding="utf-8").replace("@app.after_request\n", "")
    variant = tmp_path / "no_hook.py"
    variant.write_text(text, encoding="utf-8")
    before, after, _ = before_and_after(variant, tmp_path, "FLH108", unsafe=True)
    old = served(before).get("/view")
    assert "Content-Type" not in old.headers and "Set-Cookie" not in old.headers
    assert served(before).get("/session").status_code == 500
    new = served(after).get("/view")
    assert new.mimetype == "text/html" and "theme=dark" in new.headers["Set-Cookie"]
    assert served(after).get("/session").status_code == 200
