"""Feature-Policy and Permissions-Policy values.

``feature_to_permissions`` translates the simple Feature-Policy forms into the
structured-header syntax of Permissions-Policy (for FLH312's fix):
``camera 'none'`` -> ``camera=()``, ``geolocation 'self'`` -> ``geolocation=(self)``,
``x 'self' https://a.com`` -> ``x=(self "https://a.com")``, ``x *`` -> ``x=*``.
Anything else (``'src'``, wildcards in hosts, unknown tokens) gives ``None``.
"""

from __future__ import annotations

import re

_FEATURE = re.compile(r"^[a-z][a-z0-9-]*$")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?/?$")


def _allowlist(tokens: list[str]) -> str | None:
    lowered = [t.lower() for t in tokens]
    if lowered == ["'none'"]:
        return "()"
    if lowered == ["*"]:
        return "*"
    items: list[str] = []
    for token, lower in zip(tokens, lowered, strict=True):
        if lower == "'self'":
            items.append("self")
        elif _ORIGIN.match(token):
            items.append(f'"{token.rstrip("/")}"')
        else:
            return None
    return f"({' '.join(items)})" if items else None


def feature_to_permissions(value: str) -> str | None:
    """The equivalent Permissions-Policy value, or None when not a simple translation."""
    parts: list[str] = []
    for chunk in value.split(";"):
        tokens = chunk.split()
        if not tokens:
            continue
        feature = tokens[0].lower()
        if not _FEATURE.match(feature) or len(tokens) < 2:
            return None
        allow = _allowlist(tokens[1:])
        if allow is None:
            return None
        parts.append(f"{feature}={allow}")
    return ", ".join(parts) if parts else None
