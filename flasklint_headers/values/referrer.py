"""Referrer-Policy values (W3C Referrer Policy §4, §8.1)."""

from __future__ import annotations

from dataclasses import dataclass

VALID_POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)
# Policies that send the full URL or the origin to other sites (Observatory penalises them).
UNSAFE = {
    "unsafe-url": "warning",
    "origin": "info",
    "origin-when-cross-origin": "info",
    "no-referrer-when-downgrade": "info",
}
SAFE_DEFAULT = "strict-origin-when-cross-origin"


@dataclass(frozen=True)
class ReferrerVerdict:
    policy: str | None  # the effective token, None when no token is valid
    severity: str | None  # None = fine
    message: str | None


def effective_policy(value: str) -> str | None:
    """The last valid token of a comma-separated list (browsers use that one)."""
    effective = None
    for token in value.split(","):
        token = token.strip().lower()
        if token in VALID_POLICIES:
            effective = token
    return effective


def check_referrer_policy(value: str) -> ReferrerVerdict:
    policy = effective_policy(value)
    if policy is None:
        return ReferrerVerdict(
            None,
            "warning",
            f"`Referrer-Policy: {value.strip()}` has no valid policy; browsers ignore it and "
            "use their default",
        )
    severity = UNSAFE.get(policy)
    if severity is None:
        return ReferrerVerdict(policy, None, None)
    if policy == "unsafe-url":
        message = (
            "`Referrer-Policy: unsafe-url` leaks full URLs (including query strings) to other sites"
        )
    elif policy == "no-referrer-when-downgrade":
        message = (
            "`Referrer-Policy: no-referrer-when-downgrade` sends full URLs (including query "
            "strings) to every HTTPS site"
        )
    else:
        message = f"`Referrer-Policy: {policy}` sends the origin to other sites on every request"
    return ReferrerVerdict(policy, severity, message)
