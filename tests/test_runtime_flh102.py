"""FLH102 at runtime: moved header writes take effect; the negatives really run."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import before_and_after, load_app

from flasklint_headers.config import Settings, expand_selectors
from flasklint_headers.runner import lint_text

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH102" / "basic.py"


def test_moved_writes_take_effect(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH102", unsafe=True)
    old, new = before.test_client().get("/after-return"), after.test_client().get("/after-return")
    assert "X-Frame-Options" not in old.headers and "Set-Cookie" not in old.headers
    assert new.headers["X-Frame-Options"] == "DENY"
    assert new.headers["Set-Cookie"].startswith("seen=1")
    old, new = before.test_client().get("/tuple-return"), after.test_client().get("/tuple-return")
    assert "X-A" not in old.headers
    assert new.status_code == 201 and new.headers["X-A"] == "1"
    for route in ("/in-arm", "/item"):
        assert "X-A" not in before.test_client().get(route).headers, route
        assert after.test_client().get(route).headers["X-A"] == "1", route


def test_unfixed_dead_code_and_negatives(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH102", unsafe=True)
    client = after.test_client()
    assert client.get("/after-abort").status_code == 403
    assert "X-A" not in client.get("/name-bound-later").headers
    assert "X-A" not in client.get("/loop").headers
    # code the rule leaves alone does run
    assert before.test_client().get("/finally").headers["X-Finally"] == "1"
    assert before.test_client().get("/conditional-return").headers["X-A"] == "1"
    assert before.test_client().get("/handled").headers["X-A"] == "1"
    assert before.test_client().get("/suppressed").headers["X-A"] == "1"
    assert before.test_client().get("/not-flask-abort").headers["X-A"] == "1"


NO_RETURN = FIXTURE.parent / "other_no_return_calls.py"


def test_writes_after_other_no_return_calls_never_run(tmp_path: Path) -> None:
    text = NO_RETURN.read_text(encoding="utf-8")
    only_flh102 = Settings(enabled=frozenset(expand_selectors(["FLH102"], "test")))
    flagged = {f.location.row for f in lint_text(text, only_flh102)}
    assert flagged == {14, 22, 30}
    app = load_app(text, tmp_path)
    client = app.test_client()
    gone = client.get("/restful")  # Flask-RESTful's abort raises: the write never runs
    assert gone.status_code == 404 and "X-Gone" not in gone.headers
    with pytest.raises(SystemExit):  # sys.exit is not an Exception: it leaves the app
        client.get("/exit")
    # The negative: a local ``abort`` returns, and the header is set.
    assert client.get("/local").headers["X-Maybe"] == "1"


WITH_BLOCKS = FIXTURE.parent / "with_blocks.py"


def test_writes_after_with_blocks(tmp_path: Path) -> None:
    text = WITH_BLOCKS.read_text(encoding="utf-8")
    only_flh102 = Settings(enabled=frozenset(expand_selectors(["FLH102"], "test")))
    flagged = {f.location.row for f in lint_text(text, only_flh102)}
    assert flagged == {47, 58}
    client = load_app(text, tmp_path).test_client()
    # The negatives: a swallowed exception goes on after the ``with``, and the write runs.
    assert client.get("/swallowed-on-one-path?fail=1").headers["X-A"] == "1"
    assert client.get("/suppress").headers["X-A"] == "1"
    # The flagged writes never run.
    assert "X-Never" not in client.get("/open").headers
    assert "X-Never" not in client.get("/nested").headers
