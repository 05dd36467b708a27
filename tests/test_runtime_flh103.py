"""What FLH103, FLH113 and FLH114 report is really lost at runtime (they have no fix).

Each test serves the fixture app with Flask's test client and shows that the
reported change never reaches the client.
"""

from __future__ import annotations

from pathlib import Path

from runtime_support import load_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _app(code: str, name: str, tmp_path: Path):
    text = (FIXTURES / code / name).read_text(encoding="utf-8")
    return load_app(text, tmp_path)


def test_flh103_discarded_response_changes_are_lost(tmp_path: Path) -> None:
    app = _app("FLH103", "basic.py", tmp_path)
    app.after_request_funcs.clear()  # the fixture's replacing hook is checked separately
    client = app.test_client()
    api = client.get("/api")
    assert api.get_json() == {"ok": True}
    assert "X-A" not in api.headers
    assert "Cache-Control" not in api.headers
    go = client.get("/go")
    assert "X-Reason" not in go.headers
    items = client.get("/items")
    assert items.status_code == 201 and "Location" not in items.headers


def test_flh103_hook_that_replaces_the_response(tmp_path: Path) -> None:
    app = _app("FLH103", "basic.py", tmp_path)
    response = app.test_client().get("/go")
    assert response.data == b"replaced"
    assert "X-Old" not in response.headers


def test_flh113_teardown_changes_are_lost(tmp_path: Path) -> None:
    app = _app("FLH113", "basic.py", tmp_path)
    app.secret_key = "test"
    # keep the two teardown functions that can run without raising
    kept = {"remember_visit", "late_hook"}
    funcs = app.teardown_request_funcs[None]
    funcs[:] = [f for f in funcs if f.__name__ in kept]
    app.teardown_appcontext_funcs.clear()
    seen: list[object] = []

    def record(exc: BaseException | None) -> None:
        # registered first, so it runs last: the fixture's teardown did change the session
        from flask import session

        seen.append(session.get("visits"))

    funcs.insert(0, record)

    @app.route("/")
    def index():
        return "ok"

    client = app.test_client()
    response = client.get("/")
    assert response.status_code == 200
    # neither the session change nor the after_this_request callback reached the response
    assert "Set-Cookie" not in response.headers
    assert "X-Late" not in response.headers
    with client.session_transaction() as session:
        assert "visits" not in session
    assert seen[0] == 1


def test_flh114_header_set_while_streaming_is_never_sent(tmp_path: Path) -> None:
    app = _app("FLH114", "basic.py", tmp_path)
    response = app.test_client().get("/stream")
    assert response.data == b"ab"
    assert "X-Late" not in response.headers
