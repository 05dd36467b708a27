"""Share identical whitespace and punctuation nodes between syntax trees while parsing.

Half of a libcst tree's memory is trivia: a ``SimpleWhitespace(" ")`` for
nearly every gap between tokens, a ``Newline()`` and a ``TrailingWhitespace``
for every line, a ``Comma``/``Dot``/operator node holding two of those, and a
fresh string for every occurrence of an identifier.  These nodes are
immutable and nothing here asks for their position or replaces them (rules and
fixes look at code nodes and at operators' types only; ``walk`` skips
whitespace and punctuation fields), so one instance per distinct content can
stand for all of them, and identifiers can be interned strings.  That cuts the
memory of a large project's trees by about half and makes parsing faster.

``sharing()`` switches it on for the parses inside it (``parsing.parse_text``);
trees parsed elsewhere (tests comparing with libcst's own position metadata,
for example) keep one node per occurrence.  libcst builds nodes by calling
their classes, so the sharing sits in their ``__new__``: a shared instance
comes back and ``__init__`` sets the same values on it again.  Nodes with a
comment, or with any part that is not itself shared, are never shared.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import libcst as cst
from libcst._nodes import op

_active = False
_installed = False
# Shared instances by class and content (ids of shared parts); they live as
# long as the process, so their ids are stable keys.
_instances: dict[tuple[Any, ...], cst.CSTNode] = {}
_shared_ids: set[int] = set()


@contextmanager
def sharing() -> Iterator[None]:
    """Share trivia nodes among the trees parsed inside (parsing is single-threaded)."""
    global _active
    _install()
    previous, _active = _active, True
    try:
        yield
    finally:
        _active = previous


def _field_values(
    names: tuple[str, ...], defaults: tuple[Any, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> list[Any]:
    values = list(args[: len(names)])
    for name, default in zip(names[len(values) :], defaults[len(values) :], strict=True):
        values.append(kwargs.get(name, default))
    return values


def _share(cls: type, key: tuple[Any, ...]) -> Any:
    found = _instances.get(key)
    if found is None:
        found = _instances[key] = object.__new__(cls)
        _shared_ids.add(id(found))
    return found


def _sharing_new(node_type: type, kind: str) -> Callable[..., Any]:
    """``__new__`` for ``node_type``; ``kind`` says what makes two instances interchangeable."""
    fields = dataclasses.fields(node_type)
    names = tuple(f.name for f in fields)
    defaults = tuple(
        f.default if f.default is not dataclasses.MISSING else None  # type: ignore[misc]
        for f in fields
    )
    # The class-level defaults are single objects too.
    _shared_ids.update(id(d) for d in defaults if isinstance(d, cst.CSTNode))

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        if not _active or cls is not node_type:
            return object.__new__(cls)
        values = _field_values(names, defaults, args, kwargs)
        if kind == "value":  # SimpleWhitespace, Newline: by their text
            value = values[0]
            if value is None or isinstance(value, str):
                return _share(cls, (cls, value))
            return object.__new__(cls)
        if kind == "commentless" and any(isinstance(v, cst.Comment) for v in values):
            return object.__new__(cls)
        key: list[Any] = [cls]
        for value in values:
            if isinstance(value, (bool, type(None))):
                key.append(value)
            elif isinstance(value, cst.CSTNode) and id(value) in _shared_ids:
                key.append(id(value))
            elif isinstance(value, (tuple, list)) and all(id(v) in _shared_ids for v in value):
                key.append(tuple(id(v) for v in value))
            else:
                return object.__new__(cls)
        return _share(cls, tuple(key))

    return new


def _interning_init(original: Callable[..., None]) -> Callable[..., None]:
    """``Name.__init__`` storing its identifier as an interned string."""

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        if _active:
            if args and type(args[0]) is str:
                args = (sys.intern(args[0]), *args[1:])
            elif type(kwargs.get("value")) is str:
                kwargs["value"] = sys.intern(kwargs["value"])
        original(self, *args, **kwargs)

    return init


def _punctuation() -> list[type]:
    """Operator and bracket nodes made only of whitespace (``Comma``, ``Dot``, ``Add``…)."""
    found = []
    for candidate in vars(op).values():
        if (
            isinstance(candidate, type)
            and issubclass(candidate, cst.CSTNode)
            and dataclasses.is_dataclass(candidate)
            and candidate.__new__ is object.__new__
        ):
            names = [f.name for f in dataclasses.fields(candidate)]
            if names and all(name.startswith("whitespace") for name in names):
                found.append(candidate)
    return found


def _install() -> None:
    global _installed
    if _installed:
        return
    kinds: list[tuple[type, str]] = [
        (cst.SimpleWhitespace, "value"),
        (cst.Newline, "value"),
        (cst.TrailingWhitespace, "commentless"),
        (cst.EmptyLine, "commentless"),
        (cst.ParenthesizedWhitespace, "parts"),
        *((node_type, "parts") for node_type in _punctuation()),
        (cst.LeftParen, "parts"),
        (cst.RightParen, "parts"),
        (cst.LeftSquareBracket, "parts"),
        (cst.RightSquareBracket, "parts"),
        (cst.LeftCurlyBrace, "parts"),
        (cst.RightCurlyBrace, "parts"),
    ]
    for node_type, kind in kinds:
        # Only classes that still use object.__new__ (libcst's own do).
        if node_type.__new__ is object.__new__:
            node_type.__new__ = _sharing_new(node_type, kind)  # type: ignore[method-assign]
    cst.Name.__init__ = _interning_init(cst.Name.__init__)  # type: ignore[method-assign]
    _installed = True
