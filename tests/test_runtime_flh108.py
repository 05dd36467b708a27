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


def test_a_multidict_copy_keeps_headers_and_cookies(tmp_path: Path) -> None:
    """fixtures/FLH108/multidict_copy.py: ``MultiDict(response.headers)`` (not reported)
    keeps every header and ``set_cookie``; ``dict(...)`` (reported) breaks cookies."""
    from flask import session
    from runtime_support import load_module_from_text

    module = load_module_from_text(
        (FIXTURE.parent / "multidict_copy.py").read_text(encoding="utf-8"), tmp_path
    )
    app = module.app
    app.secret_key = "test"
    app.after_request_funcs[None] = [module.normalise]  # the reported hook left out

    @app.route("/")
    def index():
        session["seen"] = True
        return "hi"

    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    assert "session=" in response.headers["Set-Cookie"]
    app.after_request_funcs[None] = [module.hook]
    app.testing = False  # a real server answers 500 instead of raising into the test
    assert app.test_client().get("/").status_code == 500
