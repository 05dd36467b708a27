"""FLH109 at runtime: after the fix every cookie arrives; safe fixes change nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime_support import before_and_after, load_app

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH109" / "basic.py"


def cookies(response: Any) -> list[str]:
    return [value.split(";")[0] for value in response.headers.getlist("Set-Cookie")]


def test_unsafe_fix_keeps_every_cookie(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH109", unsafe=True)
    old, new = before.test_client().get("/cookie-lost"), after.test_client().get("/cookie-lost")
    assert cookies(old) == ["session=abc"]
    assert cookies(new) == ["theme=dark", "session=abc"]
    old, new = before.test_client().get("/update"), after.test_client().get("/update")
    assert cookies(old) == ["b=2"]
    old, new = before.test_client().get("/setdefault"), after.test_client().get("/setdefault")
    assert cookies(old) == ["a=1"]
    assert cookies(new) == ["a=1", "c=3"]
    old, new = (
        before.test_client().get("/helper-touched"),
        after.test_client().get("/helper-touched"),
    )
    assert cookies(old) == ["session=abc"]
    assert cookies(new) == ["remember=1", "session=abc"]
    new = after.test_client().get("/link")
    assert new.headers.getlist("Link") == ["</a.css>; rel=preload", "</b.js>; rel=preload"]


def test_fresh_responses_lose_nothing(tmp_path: Path) -> None:
    """Why a fresh response is not reported (the catalogue would): nothing is dropped,
    and the session cookie Flask adds after the view still arrives."""
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH109", unsafe=True)
    names = [c.split("=")[0] for c in cookies(before.test_client().get("/fresh"))]
    assert names == ["theme", "session"]
    # the after_request hook, which is reported, does drop the view's Vary ...
    assert before.test_client().get("/vary").headers.getlist("Vary") == ["Accept-Encoding"]
    # ... and keeps it once fixed
    vary = after.test_client().get("/vary").headers.getlist("Vary")
    assert vary == ["Origin, Accept-Encoding"]


def test_tuple_forms_are_what_the_rule_says(tmp_path: Path) -> None:
    before, _, _ = before_and_after(FIXTURE, tmp_path, "FLH109", unsafe=True)
    assert cookies(before.test_client().get("/tuple-on-response")) == ["b=2"]
    assert cookies(before.test_client().get("/tuple-repeated")) == ["b=2"]
    # the negatives really keep their cookies
    assert cookies(before.test_client().get("/tuple-on-text")) == ["a=1", "b=2"]
    assert cookies(before.test_client().get("/tuple-on-fresh")) == ["a=1"]


def test_fresh_on_every_path_and_rebound_lose_nothing(tmp_path: Path) -> None:
    """Why FLH109 is silent on negatives.py's /either and /rebound: nothing is dropped."""
    text = FIXTURE.with_name("negatives.py").read_text(encoding="utf-8")
    client = load_app(text, tmp_path).test_client()
    assert client.get("/either").headers.getlist("Vary") == ["Origin"]
    assert cookies(client.get("/rebound")) == ["final=2"]  # the draft's cookie was never on it


def test_a_branch_that_touched_the_header_loses_it(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH109", unsafe=True)
    old = before.test_client().get("/either-touched/1")
    new = after.test_client().get("/either-touched/1")
    # (The app-wide hook replaces Vary too, and its fix adds instead.)
    assert "Cookie" not in old.headers.get("Vary", "")
    assert {"Cookie", "Origin"} <= {v.strip() for v in new.headers.get("Vary", "").split(",")}


def test_the_vary_property_replaces_and_the_fix_adds(tmp_path: Path) -> None:
    """fixtures/FLH109/vary_property.py: the view's ``Vary: Accept-Language`` is lost to
    ``response.vary = ...``; after the fix both values are sent."""
    fixture = FIXTURE.parent / "vary_property.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH109", unsafe=True)
    assert before.test_client().get("/").headers["Vary"] == "Accept-Encoding"
    assert after.test_client().get("/").headers["Vary"] == "Accept-Language, Accept-Encoding"
    # ``= None`` (the hook Flask runs last) deletes the header: reported, no fix.
    assert "Vary" not in before.test_client().get("/missing").headers
    assert "Vary" not in after.test_client().get("/missing").headers
