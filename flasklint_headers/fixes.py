"""Build text edits from libcst nodes.

Rules describe a fix in libcst terms (replace this node with that one, delete
this statement, insert code before that statement); these helpers turn that
into Ruff-style text edits so that everything outside the edited span stays
byte-for-byte identical when the fix is applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Fix, Position

if TYPE_CHECKING:
    from flasklint_headers.context import FileContext


def replace_node(ctx: FileContext, node: cst.CSTNode, new: cst.CSTNode | str) -> Edit:
    """Replace an expression-level node with another node (or source text)."""
    start, end = ctx.span(node)
    content = new if isinstance(new, str) else ctx.code_for(new)
    return Edit(start, end, content)


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


def delete_statement(ctx: FileContext, stmt: cst.BaseStatement) -> Edit:
    """Delete a whole statement line (or lines), including its line break.

    The caller must make sure the enclosing block keeps at least one statement.
    """
    first, last = statement_lines(ctx, stmt)
    return Edit(Position(first, 1), Position(last + 1, 1), "")


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
