"""Light reachability inside one function: which statements can never run.

No control-flow graph is built; the analysis works block by block (a "block"
is the statement list of a function body, an ``if``/``else`` arm, a ``with``
body, a loop body, a ``try``/``except``/``else``/``finally`` body).  Inside a
block, everything after a statement that always *ends* the block is dead.

A statement ends its block when it is ``return``, ``raise``, ``continue`` or
``break``; a call that never returns (``abort`` of Flask, Werkzeug,
Flask-RESTful or Flask-RESTX, ``sys.exit``: ``names.NO_RETURN_CALLS``, resolved
through the model's qualified names); an ``if`` whose
arms (including an ``else``) all end; a ``with`` whose body ends in a
``return``/``continue``/``break`` with no ``raise`` or NoReturn call before it
(the context manager may swallow the exception); or a ``try``
whose body and every ``except`` handler end.  A ``finally:`` body is its own
block: the code in it runs on the way out of a ``return``, so it is never dead
because of a ``return`` in the ``try`` body.  Loops never end their enclosing
block (a ``break`` may leave them; ``while True`` is not special-cased).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import NO_RETURN_CALLS
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel

_JUMPS = (cst.Return, cst.Raise, cst.Continue, cst.Break)
# Jumps that a context manager cannot swallow.
_LOCAL_JUMPS = (cst.Return, cst.Continue, cst.Break)

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
            # A context manager can swallow an exception, but not a return.
            return self._ends_without_raise(_statements(stmt.body))
        if isinstance(stmt, cst.Try):
            if stmt.finalbody is not None and self.block_ends(_statements(stmt.finalbody.body)):
                return True
            if not self.block_ends(_statements(stmt.body)):
                return False
            return all(self.block_ends(_statements(h.body)) for h in stmt.handlers)
        return False

    def _ends_without_raise(self, block: Sequence[BlockItem]) -> bool:
        """Like ``block_ends`` but a ``raise``/``abort()`` ending may be suppressed by ``with``."""
        for stmt in block:
            ending = self._ending(stmt)
            if ending is None:
                if self._raises_inside(stmt):  # ``if x: raise E``: swallowed, on we go
                    return False
                continue
            terminator = ending[0]
            return isinstance(terminator, _LOCAL_JUMPS)
        return False

    def _raises_inside(self, stmt: BlockItem) -> bool:
        """``stmt`` holds a ``raise`` or a NoReturn call at some depth (nested defs aside)."""
        if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            return any(
                self.is_terminator(small) and not isinstance(small, _LOCAL_JUMPS)
                for small in stmt.body
            )
        return any(self._raises_inside(inner) for block in _inner_blocks(stmt) for inner in block)


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
