"""X-Frame-Options values (RFC 7034; OSHP)."""

from __future__ import annotations

from dataclasses import dataclass

VALID = frozenset({"deny", "sameorigin"})


@dataclass(frozen=True)
class XfoProblem:
    kind: str  # "allow-from" | "allowall" | "list" | "invalid"
    message: str


def check_xfo(value: str) -> XfoProblem | None:
    """None for ``DENY``/``SAMEORIGIN`` (any case); otherwise why browsers ignore it."""
    stripped = value.strip()
    lower = stripped.lower()
    if lower in VALID:
        return None
    if lower.startswith("allow-from"):
        return XfoProblem(
            "allow-from",
            f"`X-Frame-Options: {stripped}` is obsolete and ignored by modern browsers: the page "
            "is frameable. Use CSP `frame-ancestors`",
        )
    if lower == "allowall":
        return XfoProblem(
            "allowall",
            "`X-Frame-Options: ALLOWALL` is not a valid value: the page is frameable by anyone",
        )
    if "," in lower:
        return XfoProblem(
            "list",
            f"`X-Frame-Options: {stripped}` lists several values; browsers ignore the header",
        )
    return XfoProblem(
        "invalid",
        f"`X-Frame-Options: {stripped}` is not `DENY` or `SAMEORIGIN`; browsers ignore it",
    )
