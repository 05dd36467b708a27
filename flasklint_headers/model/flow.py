"""Light reachability inside one function: which statements can never run.

No control-flow graph is built; the analysis works block by block (a "block"
is the statement list of a function body, an ``if``/``else`` arm, a ``with``
body, a loop body, a ``try``/``except``/``else``/``finally`` body).  Inside a
block, everything after a statement that always *ends* the block is dead.

A statement ends its block when it is ``return``, ``raise``, ``continue`` or
``break``; a call that never returns (``abort`` of Flask, Werkzeug,
Flask-RESTful or Flask-RESTX, ``sys.exit``: ``names.NO_RETURN_CALLS``, resolved
through the model's qualified names); an ``if`` whose
arms (including an ``else``) all end; a ``with`` whose body ends on every path
without raising (see below); or a ``try`` whose body and every ``except``
handler end.  A ``finally:`` body is its own
block: the code in it runs on the way out of a ``return``, so it is never dead
because of a ``return`` in the ``try`` body.  Loops never end their enclosing
block (a ``break`` may leave them; ``while True`` is not special-cased).

A ``with`` (or ``async with``) is the one place where a ``raise`` does not
end the path: the manager's ``__exit__`` may swallow the exception (it
returns True, or it is ``contextlib.suppress``) and the code after the
``with`` runs.  Managers are not looked into, so every one is taken to
possibly swallow a ``raise`` or ``abort()`` in its body (except the builtin
``open()``, whose file object never swallows: its body is an ordinary block), while
``return``/``break``/``continue`` still end it (``__exit__`` runs but cannot
cancel them) and so does ``os._exit()`` (the process ends).  Exceptions that
ordinary statements may raise are not modelled, except in the body of
``contextlib.suppress(...)``, which exists to swallow them: such a ``with``
never ends its block.  Being unsure means "may run": the rules that use this
report dead code, and must stay quiet when it might run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import (
    NO_RETURN_CALLS,
    NON_SUPPRESSING_MANAGERS,
    PROCESS_ENDING_CALLS,
    SUPPRESSING_MANAGERS,
)
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel

_JUMPS = (cst.Return, cst.Raise, cst.Continue, cst.Break)

# A block item: a statement, or the one-line suite of ``if x: return r``.
BlockItem = cst.BaseStatement | cst.SimpleStatementSuite


@dataclass(frozen=True)
class DeadCode:
    """Statements that follow ``terminator`` in the same block and never run.

    ``terminator``: the small statement that ends the block (``return``,
    ``raise``, ``abort(...)``, ...) or the compound statement whose arms all end.
    ``terminator_line``: the block-level statement holding it.
    ``statements``: the dead block-level statements, in order.  When the
    terminator shares a line with other small statements (``return r; x = 1``),
    the dead small statements of that line are in ``same_line``.
    """

    terminator: cst.CSTNode
    terminator_line: BlockItem
    statements: tuple[BlockItem, ...]
    same_line: tuple[cst.BaseSmallStatement, ...] = ()


class Reachability:
    """Dead code of one function, computed once."""

    def __init__(self, model: FileModel, func: cst.FunctionDef) -> None:
        self.model = model
        self.func = func
        self.dead_code: list[DeadCode] = []
        self._dead_small: dict[cst.BaseSmallStatement, DeadCode] = {}
        self._scan_block(_statements(func.body))
        for dead in self.dead_code:
            for small in small_statements_of(dead):
                self._dead_small.setdefault(small, dead)

    def is_dead(self, small: cst.BaseSmallStatement) -> bool:
        return small in self._dead_small

    def dead_code_of(self, small: cst.BaseSmallStatement) -> DeadCode | None:
        """The dead run that holds ``small`` (runs never overlap: a dead block is not scanned)."""
        return self._dead_small.get(small)

    # -- the scan ---------------------------------------------------------------------
    def _scan_block(self, block: Sequence[BlockItem]) -> None:
        for position, stmt in enumerate(block):
            for inner in _inner_blocks(stmt):
                self._scan_block(inner)
            ending = self._ending(stmt)
            if ending is None:
                continue
            terminator, same_line = ending
            rest = tuple(block[position + 1 :])
            if rest or same_line:
                self.dead_code.append(DeadCode(terminator, stmt, rest, same_line))
            return

    def _ending(
        self, stmt: BlockItem
    ) -> tuple[cst.CSTNode, tuple[cst.BaseSmallStatement, ...]] | None:
        """(terminator, dead small statements on the same line) when ``stmt`` ends its block."""
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            for position, small in enumerate(stmt.body):
                if self.is_terminator(small):
                    return small, tuple(stmt.body[position + 1 :])
            return None
        return (stmt, ()) if self.block_statement_ends(stmt) else None

    def is_terminator(self, small: cst.BaseSmallStatement) -> bool:
        """``return``, ``raise``, ``continue``, ``break`` or a NoReturn call (``abort(403)``)."""
        if isinstance(small, _JUMPS):
            return True
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return self.model.qualified_name(small.value.func, self.func) in NO_RETURN_CALLS
        return False

    def block_ends(self, block: Sequence[BlockItem]) -> bool:
        return any(self._ending(stmt) is not None for stmt in block)

    def block_statement_ends(self, stmt: BlockItem) -> bool:
        if isinstance(stmt, cst.If):
            if stmt.orelse is None:
                return False
            if not self.block_ends(_statements(stmt.body)):
                return False
            orelse = stmt.orelse
            if isinstance(orelse, cst.If):
                return self.block_statement_ends(orelse)
            return self.block_ends(_statements(orelse.body))
        if isinstance(stmt, cst.With):
            return self._with_ends(stmt)
        if isinstance(stmt, cst.Try):
            if stmt.finalbody is not None and self.block_ends(_statements(stmt.finalbody.body)):
                return True
            if not self.block_ends(_statements(stmt.body)):
                return False
            return all(self.block_ends(_statements(h.body)) for h in stmt.handlers)
        return False

    def _with_ends(self, stmt: cst.With) -> bool:
        """True when no path through ``stmt`` (``with`` or ``async with``) goes on after it.

        The manager's ``__exit__`` sees every exception leaving the body and may swallow
        it (``__exit__`` returning True, ``contextlib.suppress``); the code after the
        ``with`` then runs.  It cannot swallow a ``return``/``break``/``continue``.  So
        the body must end on every path, and no path may leave it by ``raise`` or by a
        NoReturn call that raises (``abort()``, ``sys.exit()``; ``os._exit()`` ends the
        process and cannot be swallowed).  Managers are not looked into: any of them
        but ``open()`` may swallow what is raised explicitly; exceptions a statement might
        raise are not modelled, except under a manager that exists to swallow them
        (``contextlib.suppress``): such a ``with`` never ends its block.
        """
        managers = [self._manager_name(item) for item in stmt.items]
        if any(name in SUPPRESSING_MANAGERS for name in managers):
            return False
        body = _statements(stmt.body)
        if all(name in NON_SUPPRESSING_MANAGERS for name in managers):
            return self.block_ends(body)  # like any other block: a raise ends it
        return self.block_ends(body) and not self._may_raise_out(body)

    def _manager_name(self, item: cst.WithItem) -> str | None:
        """Qualified name of the callable that makes the manager (``open(path)``: the builtin)."""
        manager = item.item
        if not isinstance(manager, cst.Call):
            return None
        func = manager.func
        if isinstance(func, cst.Name) and func.value == "open":
            rebound = self.model.bindings("open", self.func) or self.model.may_rebind_global("open")
            return None if rebound else "builtins.open"
        return self.model.qualified_name(func, self.func)

    def _may_raise_out(self, block: Sequence[BlockItem]) -> bool:
        """True when a path through ``block`` may leave it by an explicit raise.

        Only the statements up to the one that ends the block count (the rest never
        runs).  A ``raise`` in a nested ``try`` counts whether a handler catches it or
        not: matching exception types is beyond this model, and counting it only
        keeps code alive, the safe side for rules that report dead code.
        """
        for stmt in block:
            if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                for small in stmt.body:
                    if self._raises(small):
                        return True
                    if self.is_terminator(small):
                        return False
                continue
            if any(self._may_raise_out(inner) for inner in _inner_blocks(stmt)):
                return True
            if self._ending(stmt) is not None:
                return False
        return False

    def _raises(self, small: cst.BaseSmallStatement) -> bool:
        """``raise`` or a NoReturn call that raises (``abort(403)``, not ``os._exit(1)``)."""
        if isinstance(small, cst.Raise):
            return True
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            callee = self.model.qualified_name(small.value.func, self.func)
            return callee in NO_RETURN_CALLS and callee not in PROCESS_ENDING_CALLS
        return False


# -- tree helpers --------------------------------------------------------------------------
def _statements(body: cst.BaseSuite) -> Sequence[BlockItem]:
    if isinstance(body, cst.IndentedBlock):
        return body.body
    # ``if x: return r; r.a = 1`` - a one-line suite behaves like one statement line.
    assert isinstance(body, cst.SimpleStatementSuite)
    return (body,)


def _inner_blocks(stmt: BlockItem) -> Iterator[Sequence[BlockItem]]:
    """The statement lists nested directly in a compound statement (not nested defs)."""
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) or not isinstance(
        stmt, cst.BaseCompoundStatement
    ):
        return
    if isinstance(stmt, cst.If):
        yield _statements(stmt.body)
        if stmt.orelse is not None:
            orelse = stmt.orelse
            if isinstance(orelse, cst.If):
                yield (orelse,)
            else:
                yield _statements(orelse.body)
        return
    if isinstance(stmt, (cst.Try, cst.TryStar)):
        yield _statements(stmt.body)
        for handler in stmt.handlers:
            yield _statements(handler.body)
        if stmt.orelse is not None:
            yield _statements(stmt.orelse.body)
        if stmt.finalbody is not None:
            yield _statements(stmt.finalbody.body)
        return
    if isinstance(stmt, (cst.For, cst.While)):
        yield _statements(stmt.body)
        if stmt.orelse is not None:
            yield _statements(stmt.orelse.body)
        return
    if isinstance(stmt, cst.Match):
        for case in stmt.cases:
            yield _statements(case.body)
        return
    body = getattr(stmt, "body", None)
    if isinstance(body, cst.BaseSuite):
        yield _statements(body)


class _SmallCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[cst.BaseSmallStatement] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseSmallStatement):
            self.found.append(node)
        return super().on_visit(node)


def small_statements_of(dead: DeadCode) -> Iterator[cst.BaseSmallStatement]:
    yield from dead.same_line
    for stmt in dead.statements:
        collector = _SmallCollector()
        walk(stmt, collector)
        yield from collector.found
