"""Property tests: the value parsers accept any text (and holes) without raising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flasklint_headers.values.csp import (
    deprecated_directives,
    missing_non_fallback,
    parse_csp,
    unsafe_sources,
)
from flasklint_headers.values.hsts import parse_hsts
from flasklint_headers.values.permissions import feature_to_permissions
from flasklint_headers.values.referrer import check_referrer_policy
from flasklint_headers.values.xfo import check_xfo

TOKENS = st.sampled_from(
    [
        "default-src",
        "script-src",
        "object-src",
        "style-src",
        "'self'",
        "'none'",
        "'unsafe-inline'",
        "'unsafe-eval'",
        "'nonce-abc'",
        "'strict-dynamic'",
        "*",
        "https:",
        "data:",
        "http://a.com",
        ";",
        " ",
        ",",
        "max-age=10",
        "includeSubDomains",
        "preload",
        "=",
        '"',
    ]
)
PARTS = st.lists(st.one_of(st.none(), st.text(max_size=8), TOKENS), max_size=12)


@settings(max_examples=100, deadline=None)
@given(PARTS)
def test_csp_never_raises(parts: list[str | None]) -> None:
    policy = parse_csp(parts)
    unsafe_sources(policy)
    deprecated_directives(policy)
    missing = missing_non_fallback(policy)
    if None in parts:
        assert missing == []  # a hole may add any directive


@settings(max_examples=100, deadline=None)
@given(PARTS)
def test_hsts_never_raises(parts: list[str | None]) -> None:
    hsts = parse_hsts(parts)
    if None in parts:
        assert hsts.unknown and not hsts.errors


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_simple_parsers_never_raise(text: str) -> None:
    check_xfo(text)
    check_referrer_policy(text)
    translated = feature_to_permissions(text)
    assert translated is None or "=" in translated
