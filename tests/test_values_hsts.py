"""HSTS parser (values/hsts.py)."""

from __future__ import annotations

import pytest

from flasklint_headers.values.hsts import hsts_value, parse_hsts


def test_valid_header() -> None:
    hsts = parse_hsts("max-age=63072000; includeSubDomains; preload")
    assert (hsts.max_age, hsts.include_subdomains, hsts.preload, hsts.errors) == (
        63072000,
        True,
        True,
        [],
    )


def test_case_and_quotes_are_accepted() -> None:
    # RFC 6797 §6.1.1 allows a quoted-string value; directive names are case-insensitive.
    assert parse_hsts('Max-Age="31536000"; INCLUDESUBDOMAINS').max_age == 31536000
    assert parse_hsts('Max-Age="31536000"; INCLUDESUBDOMAINS').include_subdomains


@pytest.mark.parametrize(
    "value",
    [
        "max-age:31536000",
        "max-age=31536000, includeSubDomains",
        "includeSubDomains",
        "max-age=abc",
        "max-age=1; max-age=2",
        "",
    ],
)
def test_invalid(value: str) -> None:
    assert parse_hsts(value).errors


def test_holes() -> None:
    partial = parse_hsts(["max-age=300; ", None])
    assert partial.unknown and partial.max_age == 300 and not partial.errors
    unknown = parse_hsts(["max-age=", None])
    assert unknown.unknown and unknown.max_age is None and not unknown.errors


def test_render() -> None:
    assert hsts_value(31536000, True, False) == "max-age=31536000; includeSubDomains"
