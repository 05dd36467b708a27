"""Share identical whitespace and punctuation nodes between syntax trees while parsing.

Half of a libcst tree's memory is trivia: a ``SimpleWhitespace(" ")`` for
nearly every gap between tokens, a ``Newline()`` and a ``TrailingWhitespace``
for every line, a ``Comma``/``Dot``/operator node holding two of those, and a
fresh string for every occurrence of an identifier.  These nodes are
immutable and nothing here asks for their position or replaces them (rules and
fixes look at code nodes and at operators' types only; ``walk`` skips
whitespace and punctuation fields), so one instance per distinct content can
stand for all of them, and identifiers can be interned strings.  That cuts the
memory of a large project's trees by about half, for about 15 % more parsing time.

``sharing()`` switches it on for the parses inside it (``parsing.parse_text``);
trees parsed elsewhere (tests comparing with libcst's own position metadata,
for example) keep one node per occurrence.  libcst builds nodes by calling
their classes, so the sharing sits in their ``__new__``: a shared instance
comes back and ``__init__`` sets the same values on it again.  Nodes with a
comment, or with any part that is not itself shared, are never shared.

Inside ``sharing()`` libcst's per-node validation (``CSTNode._validate``,
called from ``__post_init__``) is skipped too: it guards hand-built nodes
against mistakes, and the parser only builds nodes from code it has accepted.
It costs about an eighth of parsing; tests parse every fixture both ways and
compare the trees, and check that code libcst rejects is still rejected.
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


def _fields(node_type: type) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    fields = dataclasses.fields(node_type)
    names = tuple(f.name for f in fields)
    defaults = tuple(
        f.default if f.default is not dataclasses.MISSING else None  # type: ignore[misc]
        for f in fields
    )
    # The class-level defaults are single objects too.
    _shared_ids.update(id(d) for d in defaults if isinstance(d, cst.CSTNode))
    return names, defaults


def _values(
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


def _by_value(node_type: type) -> Callable[..., Any]:
    """``__new__`` sharing ``SimpleWhitespace``/``Newline`` instances by their text."""
    names, defaults = _fields(node_type)
    by_value: dict[str | None, Any] = {}  # the hottest path: one lookup per node

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        if not _active or cls is not node_type:
            return object.__new__(cls)
        value = args[0] if args else kwargs.get(names[0], defaults[0])
        if value is not None and type(value) is not str:
            return object.__new__(cls)
        found = by_value.get(value)
        if found is None:
            found = by_value[value] = _share(cls, (cls, value))
        return found

    return new


def _by_parts(node_type: type) -> Callable[..., Any]:
    """``__new__`` sharing nodes whose parts are all shared nodes (punctuation, brackets)."""
    names, defaults = _fields(node_type)
    pairs = tuple(zip(names, defaults, strict=True))

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        if not _active or cls is not node_type:
            return object.__new__(cls)
        if args:
            values = _values(names, defaults, args, kwargs)
        else:
            values = [kwargs.get(name, default) for name, default in pairs]
        ids = tuple(map(id, values))
        if not _shared_ids.issuperset(ids):
            return object.__new__(cls)
        key = (cls, ids)
        found = _instances.get(key)
        return found if found is not None else _share(cls, key)

    return new


def _by_lines(node_type: type) -> Callable[..., Any]:
    """``__new__`` for line trivia (``TrailingWhitespace``, ``EmptyLine``,
    ``ParenthesizedWhitespace``): shared when comment-free and made of shared parts."""
    names, defaults = _fields(node_type)

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        if not _active or cls is not node_type:
            return object.__new__(cls)
        key: list[Any] = [cls]
        for value in _values(names, defaults, args, kwargs):
            if value is None or type(value) is bool:
                key.append(value)
            elif isinstance(value, cst.CSTNode):
                if id(value) not in _shared_ids:  # a comment, or unshared parts
                    return object.__new__(cls)
                key.append(id(value))
            elif isinstance(value, (tuple, list)) and _shared_ids.issuperset(map(id, value)):
                key.append(tuple(map(id, value)))
            else:
                return object.__new__(cls)
        return _share(cls, tuple(key))

    return new


def _post_init(self: Any) -> None:
    """``CSTNode.__post_init__``: libcst's validation, except for nodes our parser builds."""
    if not _active:
        self._validate()


def _interning_post_init(self: Any) -> None:
    """``Name.__post_init__``: intern the identifier while parsing, else validate.

    Cheaper than wrapping ``__init__``, which would repack every call's arguments.
    """
    if _active:
        value = self.value
        if type(value) is str:
            object.__setattr__(self, "value", sys.intern(value))
    else:
        self._validate()


_NODE_POST_INIT = cst.CSTNode.__post_init__


def _validates_only(hook: Callable[..., Any]) -> bool:
    """True when ``hook`` (libcst's ``__post_init__``) does nothing but call ``_validate``."""
    code = getattr(hook, "__code__", None)
    return code is not None and code.co_names == ("_validate",)


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


def shared_node_types() -> list[type]:
    """The node classes whose instances a parse inside ``sharing()`` may share (trivia)."""
    return [node_type for node_type, _ in _makers()]


_MAKERS: list[tuple[type, Callable[[type], Callable[..., Any]]]] = []


def _makers() -> list[tuple[type, Callable[[type], Callable[..., Any]]]]:
    # Computed once: ``_punctuation`` recognises classes by the ``__new__`` we replace.
    if not _MAKERS:
        _MAKERS.extend(_find_makers())
    return _MAKERS


def _find_makers() -> list[tuple[type, Callable[[type], Callable[..., Any]]]]:
    return [
        (cst.SimpleWhitespace, _by_value),
        (cst.Newline, _by_value),
        (cst.TrailingWhitespace, _by_lines),
        (cst.EmptyLine, _by_lines),
        (cst.ParenthesizedWhitespace, _by_lines),
        *((node_type, _by_parts) for node_type in _punctuation()),
        (cst.LeftParen, _by_parts),
        (cst.RightParen, _by_parts),
        (cst.LeftSquareBracket, _by_parts),
        (cst.RightSquareBracket, _by_parts),
        (cst.LeftCurlyBrace, _by_parts),
        (cst.RightCurlyBrace, _by_parts),
    ]


def _install() -> None:
    global _installed
    if _installed:
        return
    for node_type, make in _makers():
        # Only classes that still use object.__new__ (libcst's own do).
        if node_type.__new__ is object.__new__:
            node_type.__new__ = make(node_type)  # type: ignore[method-assign]
    # Only when libcst's hook is the plain ``self._validate()`` we replace.
    if cst.CSTNode.__post_init__ is _NODE_POST_INIT and _validates_only(_NODE_POST_INIT):
        if cst.Name.__post_init__ is _NODE_POST_INIT:
            cst.Name.__post_init__ = _interning_post_init  # type: ignore[method-assign]
        cst.CSTNode.__post_init__ = _post_init  # type: ignore[method-assign]
    _installed = True
