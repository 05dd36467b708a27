"""Rule registry: every ``Rule`` subclass defined in a module of this package.

Rule families live one per module (``response_construction``, ``content_type``,
``security_headers``, ``cookies``, ``cors``, ...).  Adding a rule means adding a
class to one of them; nothing else has to be edited.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from flasklint_headers.rules.base import Rule

__all__ = ["Rule", "all_rules", "rule_by_code_or_name"]


@cache
def all_rules() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Rule)
                and obj is not Rule
                and "code" in vars(obj)
                and obj.__module__ == module.__name__
            ):
                if obj.code in found and found[obj.code] is not obj:
                    raise RuntimeError(f"duplicate rule code {obj.code}")
                found[obj.code] = obj
    return tuple(sorted(found.values(), key=lambda r: r.code))


def rule_by_code_or_name(key: str) -> type[Rule] | None:
    key_lower = key.lower()
    for rule in all_rules():
        if rule.code.lower() == key_lower or rule.name == key_lower:
            return rule
    return None
