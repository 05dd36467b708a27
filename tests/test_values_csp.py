"""CSP parser and evaluator (values/csp.py)."""

from __future__ import annotations

import pytest

from flasklint_headers.values.csp import (
    deprecated_directives,
    missing_non_fallback,
    parse_csp,
    render_talisman_policy,
    unsafe_sources,
)


def kinds(text: str | list[str | None]) -> list[str]:
    return [issue.kind for issue in unsafe_sources(parse_csp(text))]


def test_parse_directives_case_insensitive_first_wins() -> None:
    policy = parse_csp("Default-Src 'self';; script-src 'none'; script-src *")
    assert set(policy.directives) == {"default-src", "script-src"}
    assert policy.get("script-src").sources == ("'none'",)
    assert policy.duplicates == ("script-src",)


def test_strict_policy_has_no_issue() -> None:
    assert kinds("default-src 'self'; object-src 'none'") == []
    assert kinds("default-src 'none'") == []


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("default-src 'self' 'unsafe-inline'", ["unsafe-inline", "unsafe-inline-style"]),
        ("script-src 'self' 'unsafe-inline'; object-src 'none'", ["unsafe-inline"]),
        ("script-src data:; object-src 'none'", ["data-script"]),
        ("script-src https:; object-src 'none'", ["broad-script"]),
        ("script-src *; object-src 'none'", ["broad-script"]),
        ("script-src 'self' 'unsafe-eval'; object-src 'none'", ["unsafe-eval"]),
        ("script-src http://cdn.example.com; object-src 'none'", ["insecure-script"]),
        ("default-src 'self'; object-src *", ["broad-object"]),
        ("script-src 'self'", ["object-unrestricted"]),
        ("img-src 'self'", ["script-unrestricted"]),
        ("default-src 'self'; style-src 'unsafe-inline'", ["unsafe-inline-style"]),
    ],
)
def test_unsafe_sources(policy: str, expected: list[str]) -> None:
    assert kinds(policy) == expected


def test_nonce_hash_strict_dynamic_neutralise_unsafe_inline() -> None:
    assert kinds("script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'") == []
    assert kinds("script-src 'sha256-abc=' 'unsafe-inline'; object-src 'none'") == []
    assert (
        kinds("script-src 'strict-dynamic' 'nonce-x' 'unsafe-inline' https:; object-src 'none'")
        == []
    )


def test_script_src_overrides_default_src() -> None:
    assert kinds("default-src *; script-src 'self'; object-src 'none'") == []
    assert kinds("default-src 'self'; script-src 'unsafe-inline'; object-src 'none'") == [
        "unsafe-inline"
    ]


def test_holes_stay_unknown() -> None:
    # the hole may be a nonce: 'unsafe-inline' is not reported
    assert kinds(["script-src 'nonce-", None, "' 'unsafe-inline'; object-src 'none'"]) == []
    # directives after a hole are unknown; fallbacks are uncertain
    assert kinds(["default-src 'self' 'unsafe-inline'; ", None]) == []
    assert missing_non_fallback(parse_csp(["default-src 'self'; ", None])) == []
    # but a certain weakness before the hole is still found
    assert kinds(["script-src 'unsafe-eval'; object-src 'none'; img-src ", None]) == ["unsafe-eval"]


def test_missing_non_fallback_and_deprecated() -> None:
    policy = parse_csp("default-src 'self'; base-uri 'self'; report-uri /csp")
    assert missing_non_fallback(policy) == ["form-action", "frame-ancestors"]
    messages = deprecated_directives(policy)
    assert len(messages) == 1 and "report-to" in messages[0]
    assert deprecated_directives(parse_csp("report-uri /x; report-to grp")) == []
    assert len(deprecated_directives(parse_csp("block-all-mixed-content; referrer origin"))) == 2


def test_render_talisman_policy_matches_flask_talisman() -> None:
    assert (
        render_talisman_policy({"default-src": "'self'", "script-src": ["'self'", "cdn.com"]})
        == "default-src 'self'; script-src 'self' cdn.com"
    )
    assert render_talisman_policy("default-src 'self'; img-src *") == (
        "default-src 'self'; img-src *"
    )
