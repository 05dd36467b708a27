"""Strict-Transport-Security values (RFC 6797 §6.1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_HOLE = "\x00"
SIX_MONTHS = 15552000  # MDN HTTP Observatory's minimum
ONE_YEAR = 31536000  # hstspreload.org's minimum for preload
_DIRECTIVE = re.compile(r'^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*("?)([^";]*)\2)?\s*$')


@dataclass(frozen=True)
class Hsts:
    max_age: int | None = None
    include_subdomains: bool = False
    preload: bool = False
    # Problems that make browsers ignore the whole header.
    errors: list[str] = field(default_factory=list)
    # True when an unknown hole makes the value uncertain.
    unknown: bool = False


def parse_hsts(parts: Sequence[str | None] | str) -> Hsts:
    text = parts if isinstance(parts, str) else "".join(_HOLE if p is None else p for p in parts)
    if _HOLE in text:
        return _parse_partial(text)
    errors: list[str] = []
    max_age: int | None = None
    include = preload = False
    seen: set[str] = set()
    if "," in text:
        errors.append("directives are separated by `,` instead of `;`")
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        match = _DIRECTIVE.match(chunk)
        if match is None:
            errors.append(f"`{chunk.strip()}` is not a valid directive (use `max-age=<seconds>`)")
            continue
        name = match.group(1).lower()
        value = match.group(3)
        if name in seen:
            errors.append(f"`{name}` appears twice")
        seen.add(name)
        if name == "max-age":
            if value is None or not value.strip().isdigit():
                errors.append("`max-age` needs a number of seconds")
            else:
                max_age = int(value.strip())
        elif name == "includesubdomains":
            include = True
        elif name == "preload":
            preload = True
    if max_age is None and not any("max-age" in e for e in errors):
        errors.append("there is no `max-age` directive")
    return Hsts(max_age, include, preload, errors)


def _parse_partial(text: str) -> Hsts:
    """Only the max-age of ``max-age=NNN; …{hole}`` is certain."""
    match = re.match(r"^\s*max-age\s*=\s*(\d+)\s*;", text, re.IGNORECASE)
    max_age = int(match.group(1)) if match else None
    return Hsts(max_age=max_age, unknown=True)


def hsts_value(max_age: int, include_subdomains: bool, preload: bool) -> str:
    value = f"max-age={max_age}"
    if include_subdomains:
        value += "; includeSubDomains"
    if preload:
        value += "; preload"
    return value
