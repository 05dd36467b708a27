"""Build text edits from libcst nodes.

Rules describe a fix in libcst terms (replace this node with that one, delete
this statement, insert code before that statement); these helpers turn that
into Ruff-style text edits so that everything outside the edited span stays
byte-for-byte identical when the fix is applied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Fix, Position
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.context import FileContext


def replace_node(ctx: FileContext, node: cst.CSTNode, new: cst.CSTNode | str) -> Edit:
    """Replace an expression-level node with another node (or source text)."""
    start, end = ctx.span(node)
    content = new if isinstance(new, str) else ctx.code_for(new)
    return Edit(start, end, content)


def delete_element(
    ctx: FileContext,
    items: Sequence[cst.Arg | cst.BaseDictElement | cst.BaseElement],
    index: int,
) -> Edit:
    """Delete one argument or literal element in place, keeping the others' separators.

    The edit covers only the element and one separator, so the remaining
    elements keep their indentation and comments (re-rendering the literal
    would lose the indentation of the block around it).
    """
    item = items[index]
    start, _ = ctx.span(item)
    own_lines = _own_lines(ctx, start, item.value)
    if own_lines is not None:
        return own_lines
    if index + 1 < len(items):
        return Edit(start, ctx.span(items[index + 1])[0], "")
    value = item.value
    if index > 0:
        previous = items[index - 1].value
        return Edit(ctx.span(previous)[1], ctx.span(value)[1], "")
    return Edit(start, ctx.span(value)[1], "")


_REST_OF_ELEMENT_LINE = re.compile(r"\s*,?\s*(#.*)?\s*")


def _own_lines(ctx: FileContext, start: Position, value: cst.BaseExpression) -> Edit | None:
    """Delete whole lines when the element has them to itself (one element per line).

    Comments on other lines stay (in libcst they belong to the previous
    element's comma); the element's own trailing comment goes with it.
    """
    lines = ctx.lines
    end = ctx.span(value)[1]
    if end.row > len(lines) or lines[start.row - 1][: start.column - 1].strip():
        return None
    rest = lines[end.row - 1][end.column - 1 :]
    for _ in getattr(value, "rpar", ()):  # the value's own closing parentheses
        rest = rest.lstrip()
        if not rest.startswith(")"):
            return None
        rest = rest[1:]
    if not _REST_OF_ELEMENT_LINE.fullmatch(rest):
        return None
    return Edit(Position(start.row, 1), Position(end.row + 1, 1), "")


def insert_at(position: Position, content: str) -> Edit:
    return Edit(position, position, content)


def insert_after_node(ctx: FileContext, node: cst.CSTNode, content: str) -> Edit:
    _, end = ctx.span(node)
    return insert_at(end, content)


def insert_before_node(ctx: FileContext, node: cst.CSTNode, content: str) -> Edit:
    start, _ = ctx.span(node)
    return insert_at(start, content)


def statement_lines(ctx: FileContext, stmt: cst.CSTNode) -> tuple[int, int]:
    """First and last row of a statement (its own syntax, not its leading comments)."""
    start, end = ctx.span(stmt)
    last = end.row if end.column > 1 else end.row - 1
    return start.row, max(start.row, last)


def delete_statement(ctx: FileContext, stmt: cst.CSTNode) -> Edit:
    """Delete a statement, including its line break when it has its lines to itself.

    ``stmt`` is a statement line, a compound statement or a small statement
    (``Assign``, ``Expr``...). A small statement that shares its line with others
    (``a = 1; resp.headers["X"] = "1"``) is removed with its ``;`` and the other
    statements stay. A statement line holding several small statements is not
    deleted (the caller cannot mean all of them): the edit is empty, and the fixer
    ignores fixes made only of empty edits.

    Contract: the enclosing block must keep at least one statement. Use
    ``delete_statement_keeping_block`` when the statement may be the only one.
    """
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) > 1:
        start, _ = ctx.span(stmt)
        return no_edit_at(start)
    if isinstance(stmt, cst.BaseSmallStatement):
        line = _statement_line_of(ctx, stmt)
        if line is None:
            start, _ = ctx.span(stmt)
            return no_edit_at(start)
        if len(line.body) > 1:
            return _delete_small_statement(ctx, line, stmt)
        stmt = line
    first, last = statement_lines(ctx, stmt)
    return Edit(Position(first, 1), Position(last + 1, 1), "")


def delete_statement_keeping_block(ctx: FileContext, stmt: cst.CSTNode) -> Edit:
    """Like ``delete_statement``, but put ``pass`` in its place when it is alone in its block."""
    target = stmt
    if isinstance(stmt, cst.BaseSmallStatement):
        line = _statement_line_of(ctx, stmt)
        if line is not None and len(line.body) == 1:
            target = line
    if isinstance(target, cst.BaseStatement) and _is_only_statement(ctx, target):
        if isinstance(target, cst.SimpleStatementLine):
            start, _ = ctx.span(target.body[0])
            _, end = ctx.span(target.body[-1])
            return Edit(start, end, "pass")
        first, last = statement_lines(ctx, target)
        indent = ctx.line_indent(first)
        return Edit(Position(first, 1), Position(last + 1, 1), f"{indent}pass{ctx.newline}")
    return delete_statement(ctx, stmt)


def is_empty_edit(edit: Edit) -> bool:
    """An edit that changes nothing (how a helper declines to edit)."""
    return edit.start == edit.end and not edit.content


def no_edit_at(position: Position) -> Edit:
    """An empty edit: the fix declines to change anything here."""
    return Edit(position, position, "")


def _delete_small_statement(
    ctx: FileContext, line: cst.SimpleStatementLine, small: cst.BaseSmallStatement
) -> Edit:
    """Remove one of several ``;``-separated statements together with one separator."""
    index = next(i for i, s in enumerate(line.body) if s is small)
    if index + 1 < len(line.body):
        start, _ = ctx.span(small)
        end, _ = ctx.span(line.body[index + 1])
    else:
        _, start = ctx.span(line.body[index - 1])
        _, end = ctx.span(small)
    return Edit(start, end, "")


class _ParentFinder(cst.CSTVisitor):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target
        self.stack: list[cst.CSTNode] = []
        self.parents: list[cst.CSTNode] | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.parents is not None:
            return False
        if node is self.target:
            self.parents = list(self.stack)
            return False
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()


def _ancestors(ctx: FileContext, node: cst.CSTNode) -> list[cst.CSTNode]:
    """Ancestors of ``node`` (outermost first); [] when it is not in the module."""
    finder = _ParentFinder(node)
    walk(ctx.module, finder)
    return finder.parents or []


def _statement_line_of(
    ctx: FileContext, small: cst.BaseSmallStatement
) -> cst.SimpleStatementLine | None:
    ancestors = _ancestors(ctx, small)
    parent = ancestors[-1] if ancestors else None
    return parent if isinstance(parent, cst.SimpleStatementLine) else None


def _is_only_statement(ctx: FileContext, stmt: cst.BaseStatement) -> bool:
    ancestors = _ancestors(ctx, stmt)
    parent = ancestors[-1] if ancestors else None
    if isinstance(parent, cst.IndentedBlock):
        return len(parent.body) == 1
    return False  # module level may be empty; suites hold small statements only


def insert_statement_before(ctx: FileContext, stmt: cst.BaseStatement, code: str) -> Edit:
    """Insert ``code`` (one or more lines, no indentation) as statements before ``stmt``."""
    first, _ = statement_lines(ctx, stmt)
    indent = ctx.line_indent(first)
    text = "".join(f"{indent}{line}{ctx.newline}" for line in code.splitlines())
    return insert_at(Position(first, 1), text)


def insert_statement_after(ctx: FileContext, stmt: cst.BaseStatement, code: str) -> Edit:
    """Insert ``code`` as statements after ``stmt``, at the same indentation."""
    first, last = statement_lines(ctx, stmt)
    indent = ctx.line_indent(first)
    text = "".join(f"{indent}{line}{ctx.newline}" for line in code.splitlines())
    return insert_at(Position(last + 1, 1), text)


def statement_source(ctx: FileContext, stmt: cst.BaseStatement) -> str:
    """The exact source text of whole statement lines, dedented to column 0."""
    first, last = statement_lines(ctx, stmt)
    indent = ctx.line_indent(first)
    out = []
    for line in ctx.lines[first - 1 : last]:
        out.append(line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t"))
    return "".join(out)


def make_fix(message: str, applicability: Applicability, *edits: Edit) -> Fix:
    return Fix(message, applicability, tuple(sorted(edits, key=lambda e: (e.start, e.end))))


def safe_fix(message: str, *edits: Edit) -> Fix:
    return make_fix(message, Applicability.SAFE, *edits)


def unsafe_fix(message: str, *edits: Edit) -> Fix:
    return make_fix(message, Applicability.UNSAFE, *edits)
