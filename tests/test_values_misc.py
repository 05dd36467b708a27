"""X-Frame-Options, Referrer-Policy and Feature-Policy translation (values/*)."""

from __future__ import annotations

import pytest

from flasklint_headers.values.permissions import feature_to_permissions
from flasklint_headers.values.referrer import check_referrer_policy, effective_policy
from flasklint_headers.values.xfo import check_xfo


@pytest.mark.parametrize("value", ["DENY", "sameorigin", " SameOrigin "])
def test_xfo_valid(value: str) -> None:
    assert check_xfo(value) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("ALLOW-FROM https://a.com", "allow-from"),
        ("ALLOWALL", "allowall"),
        ("DENY, SAMEORIGIN", "list"),
        ("none", "invalid"),
    ],
)
def test_xfo_invalid(value: str, kind: str) -> None:
    problem = check_xfo(value)
    assert problem is not None and problem.kind == kind


def test_referrer_last_valid_token_wins() -> None:
    assert effective_policy("unsafe-url, strict-origin-when-cross-origin") == (
        "strict-origin-when-cross-origin"
    )
    assert effective_policy("no-referrer, bogus") == "no-referrer"
    assert effective_policy("bogus") is None


@pytest.mark.parametrize(
    ("value", "severity"),
    [
        ("unsafe-url", "warning"),
        ("origin", "info"),
        ("origin-when-cross-origin", "info"),
        ("no-referrer-when-downgrade", "info"),
        ("None", "warning"),
        ("no-referrer", None),
        ("strict-origin-when-cross-origin", None),
        ("same-origin", None),
    ],
)
def test_referrer_verdicts(value: str, severity: str | None) -> None:
    assert check_referrer_policy(value).severity == severity


@pytest.mark.parametrize(
    ("feature", "permissions"),
    [
        ("camera 'none'", "camera=()"),
        ("geolocation 'self'", "geolocation=(self)"),
        ("fullscreen 'self' https://a.com", 'fullscreen=(self "https://a.com")'),
        ("camera 'none'; microphone 'none'", "camera=(), microphone=()"),
        ("autoplay *", "autoplay=*"),
        ("camera 'src'", None),
        ("camera https://*.a.com", None),
        ("camera", None),
    ],
)
def test_feature_policy_translation(feature: str, permissions: str | None) -> None:
    assert feature_to_permissions(feature) == permissions
