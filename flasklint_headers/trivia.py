"""Share identical whitespace nodes between syntax trees while parsing.

About a third of a libcst tree's memory is whitespace: a ``SimpleWhitespace("
")`` object for nearly every gap between tokens, a ``Newline()`` and a
``TrailingWhitespace`` for every line.  They are immutable, and nothing here
ever asks for their position or replaces them (rules and fixes work on code
nodes; ``walk`` skips whitespace fields), so one instance per distinct value
can stand for all of them.  That cuts the memory of a large project's trees by
about a third.

``sharing()`` switches it on for the parses inside it (``parsing.parse_text``);
trees parsed elsewhere (tests comparing with libcst's own position metadata,
for example) keep one node per occurrence.  libcst builds nodes by calling
their classes, so the sharing sits in their ``__new__``: a shared instance
comes back and ``__init__`` sets the same values on it again.  Nodes that
carry a comment are never shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import libcst as cst

_active = False
_installed = False
# Values bound the caches: whitespace strings and combinations of shared nodes.
_simple: dict[str, cst.SimpleWhitespace] = {}
_newline: dict[str | None, cst.Newline] = {}
_trailing: dict[tuple[int, int], cst.TrailingWhitespace] = {}
_empty: dict[tuple[bool, int, int], cst.EmptyLine] = {}


@contextmanager
def sharing() -> Iterator[None]:
    """Share whitespace nodes among the trees parsed inside (not reentrant-safe
    across threads; parsing is single-threaded)."""
    global _active
    _install()
    previous, _active = _active, True
    try:
        yield
    finally:
        _active = previous


def _arg(args: tuple[Any, ...], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def _simple_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    if _active and cls is cst.SimpleWhitespace:
        value = _arg(args, kwargs, 0, "value", None)
        if isinstance(value, str):
            found = _simple.get(value)
            if found is None:
                found = _simple[value] = object.__new__(cls)
            return found
    return object.__new__(cls)


def _newline_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    if _active and cls is cst.Newline:
        value = _arg(args, kwargs, 0, "value", None)
        if value is None or isinstance(value, str):
            found = _newline.get(value)
            if found is None:
                found = _newline[value] = object.__new__(cls)
            return found
    return object.__new__(cls)


def _trailing_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    if _active and cls is cst.TrailingWhitespace:
        whitespace = _arg(args, kwargs, 0, "whitespace", None)
        comment = _arg(args, kwargs, 1, "comment", None)
        newline = _arg(args, kwargs, 2, "newline", None)
        if comment is None and _is_shared(whitespace, newline):
            key = (id(whitespace), id(newline))
            found = _trailing.get(key)
            if found is None:
                found = _trailing[key] = object.__new__(cls)
            return found
    return object.__new__(cls)


def _empty_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    if _active and cls is cst.EmptyLine:
        indent = _arg(args, kwargs, 0, "indent", True)
        whitespace = _arg(args, kwargs, 1, "whitespace", None)
        comment = _arg(args, kwargs, 2, "comment", None)
        newline = _arg(args, kwargs, 3, "newline", None)
        if comment is None and isinstance(indent, bool) and _is_shared(whitespace, newline):
            key = (indent, id(whitespace), id(newline))
            found = _empty.get(key)
            if found is None:
                found = _empty[key] = object.__new__(cls)
            return found
    return object.__new__(cls)


def _is_shared(whitespace: object, newline: object) -> bool:
    """Both parts are cached instances (their ids are stable keys)."""
    return (
        isinstance(whitespace, cst.SimpleWhitespace)
        and _simple.get(whitespace.value) is whitespace
        and isinstance(newline, cst.Newline)
        and _newline.get(newline.value) is newline
    )


def _install() -> None:
    global _installed
    if _installed:
        return
    for node_type, new in (
        (cst.SimpleWhitespace, _simple_new),
        (cst.Newline, _newline_new),
        (cst.TrailingWhitespace, _trailing_new),
        (cst.EmptyLine, _empty_new),
    ):
        # Only classes that still use object.__new__ (libcst's own do).
        if node_type.__new__ is object.__new__:
            node_type.__new__ = new  # type: ignore[assignment, method-assign]
    _installed = True
