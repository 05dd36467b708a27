"""Settings: which rules run, with which options and severities.

Loading ``[tool.flasklint-headers]`` from ``pyproject.toml`` lives here too
(see ``load_settings``); the ``Settings`` object is what every other stage uses.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flasklint_headers.findings import Severity


class ConfigError(Exception):
    """A configuration problem; the message names the key and the file."""


@dataclass(frozen=True)
class Settings:
    # Rule codes that run.
    enabled: frozenset[str]
    # Options per rule (keyed by kebab name), already validated.
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    # (glob, codes) pairs; a file matching the glob ignores the codes.
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    # Headers added by a proxy / CDN in front of every app (FLH301-305).
    set_by_proxy: frozenset[str] = frozenset()

    def rule_option(self, rule_name: str, option: str, default: Any) -> Any:
        return self.rule_options.get(rule_name, {}).get(option, default)

    def severity_for(self, code: str, default: Severity) -> Severity:
        return self.severity_overrides.get(code, default)

    def is_enabled(self, code: str) -> bool:
        return code in self.enabled

    def ignored_for(self, relative_path: str) -> frozenset[str]:
        codes: set[str] = set()
        for pattern, ignored in self.per_file_ignores:
            if fnmatch.fnmatch(relative_path, pattern) or fnmatch.fnmatch(
                relative_path.rsplit("/", 1)[-1], pattern
            ):
                codes |= ignored
        return frozenset(codes)

    @classmethod
    def default(cls) -> Settings:
        from flasklint_headers.rules import all_rules

        return cls(enabled=frozenset(r.code for r in all_rules()))


def expand_selectors(selectors: Iterable[str], source: str) -> set[str]:
    """Turn codes, code prefixes (``FLH3``), kebab names and ``ALL`` into rule codes."""
    from flasklint_headers.rules import all_rules

    rules = all_rules()
    codes: set[str] = set()
    for raw in selectors:
        sel = raw.strip()
        if not sel:
            continue
        if sel.upper() == "ALL":
            codes |= {r.code for r in rules}
            continue
        matched = {
            r.code for r in rules if r.code.upper().startswith(sel.upper()) or r.name == sel.lower()
        }
        if not matched:
            raise ConfigError(f"unknown rule selector {sel!r} in {source}")
        codes |= matched
    return codes
