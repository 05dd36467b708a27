"""Content-Security-Policy values: directives, effective sources and weaknesses.

The input is a list of constant text segments with ``None`` for unknown
holes (the model's ``string_parts``).  A source token that touches a hole is
*unknown*: it could be a nonce, a host or nothing.  Every question below
answers ``None``/stays silent when a hole could change the answer, so an
f-string policy is only judged on what is certain.

Evaluation follows the browsers (CSP Level 3) and MDN HTTP Observatory:
``script-src`` / ``object-src`` / ``style-src`` fall back to ``default-src``
(and to "anything" when that is absent too); ``'unsafe-inline'`` is ignored
when a nonce, a hash or ``'strict-dynamic'`` is present; host and scheme
sources in ``script-src`` are ignored under ``'strict-dynamic'``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_HOLE = "\x00"
# Sources that allow (almost) any origin (MDN Observatory's "dangerously broad" list).
BROAD_SOURCES = frozenset(
    {"*", "http:", "https:", "ftp:", "http://*", "https://*", "http://*.*", "https://*.*"}
)
# Directives that never fall back to default-src (OSHP "Prevent CSP bypasses").
NON_FALLBACK_DIRECTIVES = ("base-uri", "form-action", "frame-ancestors")
DEPRECATED_DIRECTIVES = {
    "block-all-mixed-content": (
        "`block-all-mixed-content` is deprecated (use `upgrade-insecure-requests`)"
    ),
    "referrer": "the CSP `referrer` directive is obsolete (use the `Referrer-Policy` header)",
    "plugin-types": "`plugin-types` is obsolete (use `object-src 'none'`)",
    "prefetch-src": "`prefetch-src` is deprecated and ignored by browsers",
}
_HASH_OR_NONCE = re.compile(r"^'(nonce-|sha256-|sha384-|sha512-)", re.IGNORECASE)
_DIRECTIVE_NAME = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Directive:
    name: str  # lower-case
    sources: tuple[str, ...]  # as written; holes appear as tokens containing "\x00"

    @property
    def lowered(self) -> tuple[str, ...]:
        return tuple(s.lower() for s in self.sources)

    @property
    def has_unknown(self) -> bool:
        return any(_HOLE in s for s in self.sources)

    def has(self, source: str) -> bool:
        return source in self.lowered

    @property
    def has_nonce_or_hash(self) -> bool:
        return any(_HASH_OR_NONCE.match(s) for s in self.sources)


@dataclass(frozen=True)
class Policy:
    directives: dict[str, Directive] = field(default_factory=dict)
    # Duplicated directive names (browsers use the first one).
    duplicates: tuple[str, ...] = ()
    # True when a hole could hide directive names (new directives may exist).
    open_ended: bool = False

    def get(self, name: str) -> Directive | None:
        return self.directives.get(name)

    def effective(self, name: str) -> Directive | None:
        """The directive that governs ``name`` (``script-src`` -> ``default-src``).

        None when neither is present, or when the fallback is uncertain because
        an unknown hole may define ``name`` itself.
        """
        own = self.directives.get(name)
        if own is not None or self.open_ended:
            return own
        return self.directives.get("default-src")


def join_parts(parts: Sequence[str | None]) -> str:
    return "".join(_HOLE if p is None else p for p in parts)


def parse_csp(parts: Sequence[str | None] | str) -> Policy:
    """Parse one serialized policy.

    A directive that comes after an unknown hole is dropped (the hole may have
    defined it first, and browsers keep the first one), and ``open_ended`` is
    set whenever any hole exists (it may add directives).
    """
    text = parts if isinstance(parts, str) else join_parts(parts)
    directives: dict[str, Directive] = {}
    duplicates: list[str] = []
    hole_seen = False
    for chunk in text.split(";"):
        tokens = chunk.split()
        if tokens:
            name = tokens[0].lower()
            if not hole_seen and _DIRECTIVE_NAME.match(name):
                if name in directives:
                    duplicates.append(name)
                else:
                    directives[name] = Directive(name, tuple(tokens[1:]))
        hole_seen = hole_seen or _HOLE in chunk
    return Policy(directives, tuple(duplicates), _HOLE in text)


@dataclass(frozen=True)
class CspIssue:
    kind: str  # short machine name
    message: str
    severity: str  # "warning" | "info"


def _unsafe_inline_ignored(directive: Directive) -> bool:
    return directive.has_nonce_or_hash or directive.has("'strict-dynamic'")


def _script_issues(policy: Policy) -> list[CspIssue]:
    issues: list[CspIssue] = []
    script = policy.effective("script-src")
    if script is None:
        if not policy.open_ended:
            issues.append(
                CspIssue(
                    "script-unrestricted",
                    "CSP restricts no scripts: it has neither `script-src` nor `default-src`",
                    "warning",
                )
            )
        return issues
    label = f"`{script.name}`" + (" (used for scripts)" if script.name == "default-src" else "")
    strict_dynamic = script.has("'strict-dynamic'")
    if (
        script.has("'unsafe-inline'")
        and not _unsafe_inline_ignored(script)
        and not script.has_unknown
    ):
        issues.append(
            CspIssue(
                "unsafe-inline",
                f"CSP allows `'unsafe-inline'` in {label} with no nonce or hash: inline script "
                "injection is not blocked",
                "warning",
            )
        )
    if script.has("data:") and not strict_dynamic:
        issues.append(
            CspIssue(
                "data-script",
                f"CSP allows `data:` URLs in {label}: injected markup can load script from a "
                "`data:` URL",
                "warning",
            )
        )
    broad = [s for s in script.sources if s.lower() in BROAD_SOURCES]
    if broad and not strict_dynamic:
        issues.append(
            CspIssue(
                "broad-script",
                f"CSP allows `{broad[0]}` in {label}: scripts can be loaded from almost any origin",
                "warning",
            )
        )
    if script.has("'unsafe-eval'"):
        issues.append(
            CspIssue(
                "unsafe-eval",
                f"CSP allows `'unsafe-eval'` in {label}: `eval()` of injected strings is not "
                "blocked",
                "warning",
            )
        )
    insecure = [s for s in script.sources if _insecure_scheme(s)]
    if insecure and not strict_dynamic:
        issues.append(
            CspIssue(
                "insecure-script",
                f"CSP allows scripts over plain HTTP (`{insecure[0]}` in {label})",
                "warning",
            )
        )
    return issues


def _insecure_scheme(source: str) -> bool:
    lower = source.lower()
    return lower == "http:" or (lower.startswith("http://") and _HOLE not in lower)


def _object_issues(policy: Policy) -> list[CspIssue]:
    obj = policy.effective("object-src")
    if obj is None:
        if policy.open_ended or policy.effective("script-src") is None:
            return []  # already reported as "restricts no scripts"
        return [
            CspIssue(
                "object-unrestricted",
                "CSP does not restrict plugins: add `object-src 'none'` (or a `default-src`)",
                "warning",
            )
        ]
    broad = [s for s in obj.sources if s.lower() in BROAD_SOURCES]
    if broad:
        return [
            CspIssue(
                "broad-object",
                f"CSP allows `{broad[0]}` in `{obj.name}` for plugins (`object-src`): use "
                "`object-src 'none'`",
                "warning",
            )
        ]
    return []


def _style_issues(policy: Policy) -> list[CspIssue]:
    style = policy.effective("style-src")
    if style is None or style.has_unknown:
        return []
    issues: list[CspIssue] = []
    label = f"`{style.name}`" + (" (used for styles)" if style.name == "default-src" else "")
    script = policy.effective("script-src")
    if style.has("'unsafe-eval'") and (script is None or script.name != style.name):
        issues.append(
            CspIssue(
                "unsafe-eval-style",
                f"CSP allows `'unsafe-eval'` in {label}",
                "warning",
            )
        )
    if style.has("'unsafe-inline'") and not style.has_nonce_or_hash:
        issues.append(
            CspIssue(
                "unsafe-inline-style",
                f"CSP allows `'unsafe-inline'` in {label}: injected inline styles are not blocked",
                "info",
            )
        )
    return issues


def unsafe_sources(policy: Policy) -> list[CspIssue]:
    """Weaknesses of the policy as MDN Observatory scores them (FLH307)."""
    return [*_script_issues(policy), *_object_issues(policy), *_style_issues(policy)]


def missing_non_fallback(policy: Policy) -> list[str]:
    """``base-uri``/``form-action``/``frame-ancestors`` absent from a fully known policy."""
    if policy.open_ended:
        return []
    return [name for name in NON_FALLBACK_DIRECTIVES if name not in policy.directives]


def deprecated_directives(policy: Policy) -> list[str]:
    """Messages for deprecated directives present in the policy (FLH308)."""
    messages = [
        DEPRECATED_DIRECTIVES[name] for name in policy.directives if name in DEPRECATED_DIRECTIVES
    ]
    if (
        "report-uri" in policy.directives
        and "report-to" not in policy.directives
        and not policy.open_ended
    ):
        messages.append(
            "`report-uri` is deprecated: add a `report-to` directive (keep `report-uri` for "
            "old browsers)"
        )
    return messages


def render_talisman_policy(policy: dict[str, str | Sequence[str]] | str) -> str:
    """The header value Flask-Talisman 1.1 sends for a ``content_security_policy`` option."""
    if isinstance(policy, str):
        items: list[tuple[str, str]] = []
        for part in policy.split(";"):
            words = part.strip().split(" ")
            items.append((words[0], " ".join(words[1:])))
    else:
        items = [
            (name, value if isinstance(value, str) else " ".join(value))
            for name, value in policy.items()
        ]
    return "; ".join(f"{name} {value}" for name, value in items)
