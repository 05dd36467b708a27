"""Which assignment of a name reaches a statement, when one surely does.

``resp`` may be bound to a response on one path and to something unknown on
another (``resp = renderers[kind](data)`` / ``resp = make_response(text)``).
A header write right after ``resp = make_response(text)`` is still on that
response.  ``reaching_value`` answers for one statement: walking back through
the statements that run before it, the first one that binds the name must be
a plain ``name = value``, with nothing in between that could rebind it (a
branch, a loop going round, a ``try``); otherwise it answers None.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from flasklint_headers.walk import walk

# (statements of the block, index of the statement in it, compound statement owning the block)
Place = tuple[Sequence[cst.CSTNode], int, cst.CSTNode | None]

# Compound statements whose other parts may run before (or again before) a statement
# inside them: a rebinding anywhere in them makes the answer unknown.
_REPEATING = (cst.For, cst.While, cst.Try, cst.TryStar, cst.Match)


def block_places(func: cst.FunctionDef) -> dict[int, Place]:
    """Where each statement of ``func`` sits (by ``id``): its block and the block's owner."""
    places: dict[int, Place] = {}
    _index_suite(func.body, None, places)
    return places


def reaching_value(
    places: dict[int, Place], name: str, line: cst.SimpleStatementLine, statement: cst.CSTNode
) -> cst.BaseExpression | None:
    """The value of the ``name = value`` that surely reaches ``statement`` (in ``line``).

    ``places``: ``block_places`` of the function holding ``line``.
    """
    values = reaching_values(places, name, line, statement)
    return values[0] if values is not None and len(values) == 1 else None


def reaching_values(
    places: dict[int, Place], name: str, line: cst.SimpleStatementLine, statement: cst.CSTNode
) -> list[cst.BaseExpression] | None:
    """The values of the ``name = value`` assignments that may reach ``statement``.

    None when some path reaches it with another kind of binding, with none, or
    through a loop, ``try`` or ``match`` that rebinds the name. ``if``/``elif``/
    ``else`` branches contribute their own last assignments (a branch ending
    in ``return``/``raise``/``break``/``continue`` none); a path taking no
    branch contributes what reaches the ``if``.
    """
    # Earlier small statements of the same line first (``r = f(); r.headers[...] = 1``).
    before = list(line.body)
    if statement in before:
        before = before[: before.index(statement)]
    found = _last_binding(before, name)
    if found is not None:
        return [found[0]] if found[0] is not None else None
    return _values_before(places, line, name)


# ``_scan`` found nothing binding the name in the statements it was given.
_NOTHING: list[cst.BaseExpression] = []


def _values_before(
    places: dict[int, Place], node: cst.CSTNode, name: str
) -> list[cst.BaseExpression] | None:
    """What reaches statement ``node`` (ascending through the blocks around it)."""
    while True:
        place = places.get(id(node))
        if place is None:
            return None
        statements, index, owner = place
        found = _scan(places, statements[:index], name)
        if found is not _NOTHING:
            return found
        if owner is None:
            return None  # the top of the function: a parameter, a global or unbound
        if isinstance(owner, _REPEATING) and binds(owner, name):
            return None
        node = owner


def _scan(
    places: dict[int, Place], statements: Sequence[cst.CSTNode], name: str
) -> list[cst.BaseExpression] | None:
    """What the last of ``statements`` binding ``name`` leaves in it (``_NOTHING``: none binds)."""
    for earlier in reversed(statements):
        if isinstance(earlier, cst.SimpleStatementLine):
            found = _last_binding(list(earlier.body), name)
            if found is not None:
                return [found[0]] if found[0] is not None else None
        elif binds(earlier, name):
            return _if_values(places, earlier, name) if isinstance(earlier, cst.If) else None
    return _NOTHING


def _if_values(
    places: dict[int, Place], node: cst.If, name: str
) -> list[cst.BaseExpression] | None:
    values: list[cst.BaseExpression] = []
    falls_through = True  # no ``else``: a path may take no branch
    current: cst.If | None = node
    blocks: list[cst.BaseSuite] = []
    while current is not None:
        if binds(current.test, name):
            return None  # a walrus in a condition
        blocks.append(current.body)
        orelse = current.orelse
        if isinstance(orelse, cst.Else):
            blocks.append(orelse.body)
            falls_through = False
        current = orelse if isinstance(orelse, cst.If) else None
    for block in blocks:
        if not isinstance(block, cst.IndentedBlock):
            return None  # a one-line suite: not indexed
        if _leaves_early(block):
            continue
        found = _scan(places, block.body, name)
        if found is _NOTHING:
            falls_through = True
        elif found is None:
            return None
        else:
            values += found
    if falls_through:
        before = _values_before(places, node, name)
        if before is None:
            return None
        values += before
    return values


def _leaves_early(block: cst.IndentedBlock) -> bool:
    """The block ends in ``return``/``raise``/``break``/``continue``: it never falls through."""
    last = block.body[-1] if block.body else None
    return isinstance(last, cst.SimpleStatementLine) and isinstance(
        last.body[-1], (cst.Return, cst.Raise, cst.Break, cst.Continue)
    )


def _last_binding(
    small: Sequence[cst.CSTNode], name: str
) -> tuple[cst.BaseExpression | None] | None:
    """``(value,)`` for the last small statement binding ``name`` (value None when it is not
    a plain ``name = value``); None when none of them binds it."""
    for stmt in reversed(small):
        if not binds(stmt, name):
            continue
        if (
            isinstance(stmt, cst.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0].target, cst.Name)
            and stmt.targets[0].target.value == name
        ):
            return (stmt.value,)
        return (None,)
    return None


def _index_suite(suite: cst.BaseSuite, owner: cst.CSTNode | None, out: dict[int, Place]) -> None:
    if not isinstance(suite, cst.IndentedBlock):
        return  # a one-line suite holds small statements only: nothing is tracked there
    statements = suite.body
    for index, stmt in enumerate(statements):
        out[id(stmt)] = (statements, index, owner)
        _index_children(stmt, out)


def _index_children(stmt: cst.CSTNode, out: dict[int, Place]) -> None:
    if isinstance(stmt, cst.If):
        _index_suite(stmt.body, stmt, out)
        orelse = stmt.orelse
        if isinstance(orelse, cst.If):
            out[id(orelse)] = ((), 0, stmt)  # an ``elif``: what runs before it, runs before ``if``
            _index_children(orelse, out)
        elif isinstance(orelse, cst.Else):
            _index_suite(orelse.body, stmt, out)
    elif isinstance(stmt, (cst.For, cst.While)):
        _index_suite(stmt.body, stmt, out)
        if stmt.orelse is not None:
            _index_suite(stmt.orelse.body, stmt, out)
    elif isinstance(stmt, (cst.Try, cst.TryStar)):
        _index_suite(stmt.body, stmt, out)
        for handler in stmt.handlers:
            _index_suite(handler.body, stmt, out)
        if stmt.orelse is not None:
            _index_suite(stmt.orelse.body, stmt, out)
        if stmt.finalbody is not None:
            _index_suite(stmt.finalbody.body, stmt, out)
    elif isinstance(stmt, cst.With):
        _index_suite(stmt.body, stmt, out)
    elif isinstance(stmt, cst.Match):
        for case in stmt.cases:
            _index_suite(case.body, stmt, out)


def binds(node: cst.CSTNode, name: str) -> bool:
    """True when running ``node`` may bind ``name`` in the enclosing function."""
    names = bound_names(node)
    return name in names or "*" in names


def bound_names(*nodes: cst.CSTNode) -> set[str]:
    """Every name that running ``nodes`` may bind in the enclosing function (assignments,
    ``for``/``with``/``except``/walrus targets, imports, ``del``, ``global``, defs...)."""
    finder = _Bindings()
    for node in nodes:
        walk(node, finder)
    return finder.names


class _Bindings(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def _bind(self, target: cst.CSTNode | None) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node.name)  # ``with … as``, ``except … as``, ``import … as``

    def visit_Del(self, node: cst.Del) -> None:
        self._bind(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            bound = node.name
            while isinstance(bound, cst.Attribute):  # ``import a.b`` binds ``a``
                bound = bound.value
            self._bind(bound)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self.names.add("*")  # binds names nobody can list

    def visit_Global(self, node: cst.Global) -> None:
        self.names.update(n.name.value for n in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.names.update(n.name.value for n in node.names)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        self._bind(node.name)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        self._bind(node.name)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        self._bind(node.rest)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._bind(node.name)
        return False  # its body is another scope

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._bind(node.name)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    # Comprehension targets are local to the comprehension (Python 3).
    def visit_CompFor(self, node: cst.CompFor) -> bool:
        walk(node.iter, self)
        for condition in node.ifs:
            walk(condition, self)
        if node.inner_for_in is not None:
            walk(node.inner_for_in, self)
        return False
