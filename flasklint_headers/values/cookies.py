"""``Set-Cookie`` header values: what a browser reads from a hand-built cookie string.

The input is a list of constant text segments with ``None`` for unknown holes
(the model's ``string_parts``), so an f-string such as
``f"sid={token}; Path=/; HttpOnly"`` can still be checked: the holes stay
unknown and only what is certain is reported.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Stands for an unknown hole while parsing; never part of a real header value.
_HOLE = "\x00"
# ``Expires=Wed, 21 Oct 2026 07:28:00 GMT``: the comma after the weekday is not a fold.
_EXPIRES_COMMA = re.compile(r"(?i)(expires\s*=\s*[a-z]{3,9}),")
# A comma followed by ``name=`` starts a second cookie (RFC 6265 §3: never fold).
_FOLD = re.compile(r",\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*=")

SAMESITE_VALUES = frozenset({"strict", "lax", "none"})


@dataclass(frozen=True)
class SetCookie:
    """One parsed ``Set-Cookie`` value.

    ``name``: the cookie name, or None when it contains an unknown hole.
    ``attributes``: lower-cased attribute name -> value (``""`` for flags such as
    ``Secure``; None when the value is an unknown hole).
    ``complete``: False when an unknown hole could add attributes we cannot see;
    rules must then not report a *missing* attribute.
    """

    name: str | None
    value: str | None
    attributes: dict[str, str | None] = field(default_factory=dict)
    complete: bool = True

    def has(self, attribute: str) -> bool:
        return attribute.lower() in self.attributes

    @property
    def secure(self) -> bool:
        # ``Partitioned`` cookies are only stored when Secure, but a browser does
        # not add Secure for you; only the flag itself counts here.
        return self.has("secure")

    @property
    def httponly(self) -> bool:
        return self.has("httponly")

    @property
    def samesite(self) -> str | None:
        """The SameSite value as written (None when absent or unknown)."""
        return self.attributes.get("samesite")

    @property
    def path(self) -> str | None:
        return self.attributes.get("path")

    @property
    def domain(self) -> str | None:
        return self.attributes.get("domain")


def _join(parts: Sequence[str | None]) -> str:
    return "".join(_HOLE if part is None else part for part in parts)


def _clean(text: str) -> str | None:
    """``text`` stripped, or None when it contains a hole."""
    return None if _HOLE in text else text.strip()


def parse_set_cookie(parts: Sequence[str | None] | str) -> SetCookie | None:
    """Parse one Set-Cookie value; None when it does not look like ``name=value``."""
    text = parts if isinstance(parts, str) else _join(parts)
    segments = text.split(";")
    first = segments[0]
    if "=" not in first:
        return None
    raw_name, _, raw_value = first.partition("=")
    name = _clean(raw_name)
    if name is not None and not name:
        return None
    attributes: dict[str, str | None] = {}
    complete = True
    for segment in segments[1:]:
        key, sep, raw = segment.partition("=")
        if _HOLE in key:
            complete = False  # the hole could be any attribute, or several
            continue
        key = key.strip().lower()
        if not key:
            continue
        attributes[key] = _clean(raw) if sep else ""
    if text.endswith(_HOLE) and len(segments) > 1:
        complete = False  # a trailing hole may append further attributes
    return SetCookie(name, _clean(raw_value), attributes, complete)


def folded_cookie_count(parts: Sequence[str | None] | str) -> int:
    """How many cookies a comma-joined Set-Cookie value carries (1 when not folded).

    Commas inside ``Expires=`` dates are ignored; holes never count as commas.
    """
    text = parts if isinstance(parts, str) else _join(parts)
    text = _EXPIRES_COMMA.sub(r"\1 ", text)
    return 1 + len(_FOLD.findall(text))


def is_valid_samesite(value: object) -> bool:
    """What ``dump_cookie`` accepts: None, or a str whose ``.title()`` is Strict/Lax/None."""
    if value is None:
        return True
    return isinstance(value, str) and value.title() in ("Strict", "Lax", "None")


def prefix_violations(name: str, secure: bool, path: str | None, has_domain: bool) -> list[str]:
    """Why a ``__Host-``/``__Secure-`` cookie would be rejected (RFC 6265bis cookie prefixes).

    ``path`` is the effective Path attribute (None when absent).  The prefixes
    are matched case-sensitively: older browsers ignore other spellings.
    """
    problems: list[str] = []
    if name.startswith("__Host-"):
        if not secure:
            problems.append("secure")
        if has_domain:
            problems.append("domain")
        if path != "/":
            problems.append("path")
    elif name.startswith("__Secure-") and not secure:
        problems.append("secure")
    return problems
