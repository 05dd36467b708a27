"""FLH105 at runtime: the misordered tuples fail before the fix and answer after it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime_support import before_and_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "FLH105"


def served(app: Any) -> Any:
    """A test client that answers 500 for an exception, like a deployed app."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app.test_client()


def test_swapped_status_and_headers(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "basic.py", tmp_path, "FLH105", unsafe=False)
    for route in ("/swapped", "/swapped-name", "/make-response", "/app-make-response"):
        assert served(before).get(route).status_code == 500, route
        new = after.test_client().get(route)
        assert new.status_code == 201, route
    new = after.test_client().get("/swapped")
    assert new.headers["X-A"] == "1" and new.data == b"created"
    assert after.test_client().get("/swapped-name").headers["Location"].endswith("/items/1")
    assert after.test_client().get("/swapped-list").status == "201 CREATED"
    assert after.test_client().get("/swapped-headers-object").status_code == 202


def test_headers_first(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "basic.py", tmp_path, "FLH105", unsafe=False)
    old = served(before).get("/headers-first")
    assert old.status == "0 body"
    assert "X-Frame-Options" not in old.headers
    new = after.test_client().get("/headers-first")
    assert new.status_code == 200
    assert new.data == b"body" and new.headers["X-Frame-Options"] == "DENY"
    new = after.test_client().get("/headers-first-template")
    assert new.data == b"<p>hi</p>" and new.headers["Cache-Control"] == "no-store"


def test_negatives_unchanged(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "basic.py", tmp_path, "FLH105", unsafe=False)
    for route in ("/right-order", "/body-and-headers", "/json-and-status", "/data-keys"):
        old, new = served(before).get(route), after.test_client().get(route)
        assert (old.status, old.data) == (new.status, new.data), route


def test_restful_three_tuple_swapped(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "restful.py", tmp_path, "FLH105", unsafe=False)
    assert served(before).put("/items").status_code == 500
    new = after.test_client().put("/items")
    assert new.status_code == 201 and new.headers["X-A"] == "1"
    assert new.get_json() == {"id": 1}


def test_restful_two_tuple_with_headers_works(tmp_path: Path) -> None:
    """Not reported, unlike the catalogue says: RESTful's JSON output passes the "code"
    to ``flask.make_response``, which reads a dict in that place as headers."""
    before, _, _ = before_and_after(FIXTURES / "restful.py", tmp_path, "FLH105", unsafe=False)
    for method in ("get", "post"):
        old = getattr(served(before), method)("/items")
        assert old.status_code == 200 and old.get_json() == {"id": 1}
    assert served(before).get("/items").headers["X-A"] == "1"
    assert served(before).post("/items").headers["Location"].endswith("/items/1")


def test_factory_app_all_group_a_fixes(tmp_path: Path) -> None:
    """Views and hooks inside ``create_app()``: every fix of FLH102-FLH110 at once."""
    codes = ["FLH102", "FLH104", "FLH105", "FLH106", "FLH107", "FLH108", "FLH109", "FLH110"]
    before, after, _ = before_and_after(
        FIXTURES / "factory.py", tmp_path, codes, unsafe=True, attr="create_app"
    )
    # the hook replaces the headers object: the old app loses Content-Type everywhere
    old = served(before).get("/twice")
    assert "Content-Type" not in old.headers and "X-A" not in old.headers
    client = after.test_client()
    new = client.get("/misordered")
    assert new.status_code == 201 and new.headers["X-A"] == "1"
    assert "Connection" not in new.headers and new.headers["X-B"] == "1"
    assert client.get("/positional").mimetype == "application/json"
    assert client.get("/jsonify").status_code == 404
    assert client.get("/dead").headers["X-A"] == "1"
    new = client.get("/twice")
    assert new.headers.getlist("X-A") == ["2"] and new.mimetype == "text/html"
