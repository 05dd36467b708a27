"""A read-only walk over libcst trees, in libcst's order, without libcst's cost.

``node.visit(visitor)`` rebuilds every node it passes (``_visit_and_replace_children``)
even when the visitor changes nothing; on real code that costs more than the
rules themselves.  ``walk`` calls the same visitor methods on the same code
nodes in the same order, but only reads:

* fields holding only whitespace, comments and punctuation are skipped (no rule
  or model visitor looks at them, and they never contain code);
* leaves (names, literals, operators) are not entered when the visitor has no
  hook for their type (or its ``ignores_leaf`` says so): about 40 % of the nodes;
* a visitor that overrides ``on_visit``/``on_leave`` gets those called, exactly as
  libcst does; otherwise ``visit_<Type>``/``leave_<Type>`` are called directly;
* a ``visit_*``/``on_visit`` returning False skips the children, as in libcst.

``tests/test_walk.py`` checks the order against libcst's own ``visit`` on real code.
``visit_<Type>_<field>`` attribute hooks are not supported (none are used).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import libcst as cst

# Fields that only hold whitespace, comments and punctuation: never code.
TRIVIA_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "lpar",
        "rpar",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "comma",
        "semicolon",
        "equal",
        "dot",
        "colon",
        "header",
        "footer",
        "indent",
        "trailing_whitespace",
        "asynchronous",
        "star",
        "whitespace_after_star",
        "first_colon",
        "second_colon",
        "leading_whitespace",
    }
)

# libcst visits these nodes' fields in source order, which differs from the
# order the dataclass declares them in (e.g. a def's decorators come first).
_SOURCE_ORDER: dict[str, tuple[str, ...]] = {
    "FunctionDef": ("decorators", "name", "type_parameters", "params", "returns", "body"),
    "ClassDef": ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    "ExceptHandler": ("type", "name", "body"),
    "ExceptStarHandler": ("type", "name", "body"),
    "IfExp": ("body", "test", "orelse"),
    "Arg": ("keyword", "value"),
    "MatchCase": ("pattern", "guard", "body"),
    "TypeAlias": ("name", "type_parameters", "value"),
    "ImportFrom": ("relative", "module", "names"),
    "SimpleStatementSuite": ("body",),
    "Slice": ("lower", "upper", "step"),
    "Parameters": (
        "posonly_params",
        "posonly_ind",
        "params",
        "star_arg",
        "kwonly_params",
        "star_kwarg",
    ),
}

_FIELDS: dict[type, tuple[str, ...]] = {}


def code_fields(node_type: type) -> tuple[str, ...]:
    """Names of the fields of ``node_type`` that can hold code, in libcst's visit order."""
    found = _FIELDS.get(node_type)
    if found is None:
        declared = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in TRIVIA_FIELDS and not f.name.startswith("whitespace")
        )
        order = _SOURCE_ORDER.get(node_type.__name__)
        if order is not None:
            found = tuple(name for name in order if name in declared)
            found += tuple(name for name in declared if name not in found)
        else:
            found = declared
        _FIELDS[node_type] = found
    return found


# Nodes whose only code field holds a string, never a node.
_STRING_LEAVES = frozenset({cst.Name, cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary})
_IS_LEAF: dict[type, bool] = {}


def is_leaf(node_type: type) -> bool:
    """True when nodes of ``node_type`` have no code children (names, literals, operators)."""
    known = _IS_LEAF.get(node_type)
    if known is None:
        known = node_type in _STRING_LEAVES or not code_fields(node_type)
        _IS_LEAF[node_type] = known
    return known


# How the walk treats a child value, by its type (computed once per type and walk).
_SKIP, _STEP = 0, 1


def _child_mode(value_type: type, quiet_leaf: Callable[[type], bool]) -> int:
    """``_STEP`` into a child of this type, or ``_SKIP`` it (not a node, or a quiet leaf)."""
    if not issubclass(value_type, cst.CSTNode):
        return _SKIP
    return _SKIP if is_leaf(value_type) and quiet_leaf(value_type) else _STEP


def _never(node_type: type) -> bool:
    return False


Hooks = tuple[Callable[[Any, Any], Any] | None, Callable[[Any, Any], Any] | None]


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """``node.visit(visitor)`` for a visitor that only reads (see the module docstring).

    Leaves (names, literals, operators) are not even entered when the visitor
    has nothing to do there: no ``visit_``/``leave_`` method for their type, or,
    for an ``on_visit`` visitor, ``visitor.ignores_leaf(type)`` says so.
    """
    visitor_type = type(visitor)
    if (
        visitor_type.on_visit is not cst.CSTVisitor.on_visit
        or visitor_type.on_leave is not cst.CSTVisitor.on_leave
    ):
        ignores_leaf = getattr(visitor, "ignores_leaf", None)
        _walk_generic(node, visitor.on_visit, visitor.on_leave, ignores_leaf)
        return
    hooks: dict[type, Hooks] = {}

    def typed_hooks(node_type: type) -> Hooks:
        name = node_type.__name__
        pair = (
            getattr(visitor_type, f"visit_{name}", None),
            getattr(visitor_type, f"leave_{name}", None),
        )
        hooks[node_type] = pair
        return pair

    def mode_of(value_type: type) -> int:
        mode = modes[value_type] = _child_mode(value_type, has_no_hooks)
        return mode

    def has_no_hooks(node_type: type) -> bool:
        return (hooks.get(node_type) or typed_hooks(node_type)) == (None, None)

    modes: dict[type, int] = {}

    def step(current: cst.CSTNode) -> None:
        node_type = type(current)
        enter, leave = hooks.get(node_type) or typed_hooks(node_type)
        if enter is None or enter(visitor, current) is not False:
            for field_name in _FIELDS.get(node_type) or code_fields(node_type):
                value = getattr(current, field_name)
                if type(value) in (tuple, list):
                    for item in value:
                        mode = modes.get(type(item))
                        if mode or (mode is None and mode_of(type(item))):
                            step(item)
                else:
                    mode = modes.get(type(value))
                    if mode or (mode is None and mode_of(type(value))):
                        step(value)
        if leave is not None:
            leave(visitor, current)

    try:
        step(node)
    finally:
        # ``step`` refers to itself through its closure: unbind it, or every walk
        # would leave a reference cycle holding the visitor (and its tree) alive.
        step = None  # type: ignore[assignment]


# The child loop below repeats the one in ``walk`` on purpose: this is the
# innermost loop of every run, and a shared generator costs more than the copy.
def _walk_generic(
    node: cst.CSTNode,
    on_visit: Callable[[cst.CSTNode], bool],
    on_leave: Callable[[cst.CSTNode], None],
    ignores_leaf: Callable[[type], bool] | None = None,
) -> None:
    modes: dict[type, int] = {}

    def mode_of(value_type: type) -> int:
        mode = modes[value_type] = _child_mode(value_type, ignores_leaf or _never)
        return mode

    def step(current: cst.CSTNode) -> None:
        if on_visit(current):
            node_type = type(current)
            for field_name in _FIELDS.get(node_type) or code_fields(node_type):
                value = getattr(current, field_name)
                if type(value) in (tuple, list):
                    for item in value:
                        mode = modes.get(type(item))
                        if mode or (mode is None and mode_of(type(item))):
                            step(item)
                else:
                    mode = modes.get(type(value))
                    if mode or (mode is None and mode_of(type(value))):
                        step(value)
        on_leave(current)

    try:
        step(node)
    finally:
        # ``step`` refers to itself through its closure: unbind it, or every walk
        # would leave a reference cycle holding the visitor (and its tree) alive.
        step = None  # type: ignore[assignment]
