"""FLH115 at runtime: after the fix header values are sent as text, not ``b'...'``."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "FLH115" / "basic.py"


def test_bytes_values_become_text(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH115", unsafe=True)
    old = before.test_client().get("/bytes")
    new = after.test_client().get("/bytes")
    assert old.headers["X-Content-Type-Options"] == "b'nosniff'"
    assert old.headers["X-Frame-Options"] == "b'DENY'"
    assert old.headers["X-Token"] == "b'abc'"
    assert old.headers["X-Name"] == "b'/bytes'"
    assert new.headers["X-Content-Type-Options"] == "nosniff"
    assert new.headers["X-Frame-Options"] == "DENY"
    assert new.headers["X-Token"] == "abc"
    assert new.headers["X-Name"] == "/bytes"
    # UTF-8 encoding has no fix: still the bytes repr
    assert new.headers["X-Utf8"] == old.headers["X-Utf8"]

    assert before.test_client().get("/mapping").headers["X-Bytes"] == "b'abc'"
    assert after.test_client().get("/mapping").headers["X-Bytes"] == "abc"
    assert after.test_client().get("/constructor").headers["X-Escaped"] == "\\u00e9"


def test_values_without_fix_show_the_problem(tmp_path: Path) -> None:
    before, _, _ = before_and_after(FIXTURE, tmp_path, "FLH115", unsafe=True)
    client = before.test_client()
    assert client.get("/none").headers["X-Request-Id"] == "None"
    assert client.get("/container").headers["Vary"] == "['Cookie', 'Origin']"
    assert client.get("/origin").headers["Access-Control-Allow-Origin"] == "None"


def test_bool_values_become_the_lowercase_text(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURE, tmp_path, "FLH115", unsafe=True)
    old = before.test_client().get("/bool").headers
    new = after.test_client().get("/bool").headers
    # Browsers accept credentials only for the exact text "true".
    assert old["Access-Control-Allow-Credentials"] == "True"
    assert new["Access-Control-Allow-Credentials"] == "true"
    assert (old["X-Inertia"], new["X-Inertia"]) == ("True", "true")
    assert before.test_client().get("/bool-mapping").headers["X-Debug"] == "False"
    assert after.test_client().get("/bool-mapping").headers["X-Debug"] == "false"


def test_bytes_through_a_variable_are_sent_as_their_repr(tmp_path: Path) -> None:
    before, _, _ = before_and_after(FIXTURE, tmp_path, "FLH115", unsafe=True)
    response = before.test_client().get("/bytes-variable?u=https://sp.example")
    assert response.headers["X-Sp-Url"] == "b'https://sp.example'"


def test_a_missing_environ_key_is_sent_as_the_text_none(tmp_path: Path) -> None:
    """fixtures/FLH115/environ_and_headers_object.py: without the request header, both
    values go out as ``None`` (directly, and through the helper's ``Headers()`` object)."""
    from runtime_support import load_module_from_text

    app = load_module_from_text(
        (FIXTURE.parent / "environ_and_headers_object.py").read_text(encoding="utf-8"),
        tmp_path,
    ).app
    client = app.test_client()
    assert client.get("/direct").headers["Access-Control-Allow-Headers"] == "None"
    assert client.get("/helper").headers["Access-Control-Allow-Origin"] == "None"
    sent = client.get("/helper", headers={"Origin": "https://a.example"})
    assert sent.headers["Access-Control-Allow-Origin"] == "https://a.example"
