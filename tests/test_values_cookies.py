"""The Set-Cookie value parser (pure functions)."""

from __future__ import annotations

import pytest
from werkzeug.http import dump_cookie

from flasklint_headers.values.cookies import (
    folded_cookie_count,
    is_valid_samesite,
    parse_set_cookie,
    prefix_violations,
)


def test_constant_cookie() -> None:
    parsed = parse_set_cookie("sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax")
    assert parsed is not None
    assert (parsed.name, parsed.value) == ("sid", "abc")
    assert parsed.secure and parsed.httponly and parsed.complete
    assert parsed.samesite == "Lax"
    assert parsed.path == "/"
    assert parsed.domain is None


def test_attribute_names_are_case_insensitive() -> None:
    parsed = parse_set_cookie("a=1; SECURE; httponly; samesite=none; DOMAIN=example.com")
    assert parsed is not None
    assert parsed.secure and parsed.httponly
    assert parsed.samesite == "none"
    assert parsed.domain == "example.com"


def test_hole_in_value_keeps_attributes() -> None:
    parsed = parse_set_cookie(["user=", None, "; Secure; SameSite=Lax"])
    assert parsed is not None
    assert parsed.name == "user" and parsed.value is None
    assert parsed.secure and parsed.complete


def test_hole_in_attributes_makes_it_incomplete() -> None:
    parsed = parse_set_cookie(["theme=dark; ", None])
    assert parsed is not None and not parsed.complete
    parsed = parse_set_cookie(["theme=dark; Path=/; ", None, "=1"])
    assert parsed is not None and not parsed.complete


def test_hole_in_name() -> None:
    parsed = parse_set_cookie([None, "=1; Secure"])
    assert parsed is not None and parsed.name is None


@pytest.mark.parametrize("text", ["", "novalue", "=1; Secure"])
def test_not_a_cookie(text: str) -> None:
    assert parse_set_cookie(text) is None


def test_parses_what_werkzeug_writes() -> None:
    text = dump_cookie("k", "v", max_age=10, secure=True, httponly=True, samesite="Strict")
    parsed = parse_set_cookie(text)
    assert parsed is not None
    assert parsed.secure and parsed.httponly and parsed.samesite == "Strict"
    assert parsed.attributes["max-age"] == "10"


def test_folding() -> None:
    assert folded_cookie_count("a=1; Secure") == 1
    assert folded_cookie_count("a=1, b=2") == 2
    assert folded_cookie_count("a=1; Secure, b=2; HttpOnly, c=3") == 3
    # The comma of an Expires date is not a fold.
    assert folded_cookie_count("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure") == 1
    assert folded_cookie_count(dump_cookie("a", "1", expires=0)) == 1
    # Holes never count as commas.
    assert folded_cookie_count(["a=", None, "; Secure"]) == 1


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (None, True),
        ("Lax", True),
        ("lax", True),
        ("STRICT", True),
        ("none", True),
        ("Relaxed", False),
        (True, False),
        (False, False),
        (1, False),
    ],
)
def test_samesite_matches_werkzeug(value: object, valid: bool) -> None:
    assert is_valid_samesite(value) is valid
    try:
        dump_cookie("a", "1", samesite=value)  # type: ignore[arg-type]
        werkzeug_accepts = True
    except (ValueError, AttributeError):
        werkzeug_accepts = False
    assert werkzeug_accepts is valid


def test_prefixes() -> None:
    assert prefix_violations("__Host-a", True, "/", False) == []
    assert prefix_violations("__Host-a", False, "/x", True) == ["secure", "domain", "path"]
    assert prefix_violations("__Host-a", True, None, False) == ["path"]
    assert prefix_violations("__Secure-a", False, "/x", True) == ["secure"]
    assert prefix_violations("__Secure-a", True, "/x", True) == []
    assert prefix_violations("plain", False, None, True) == []
