"""Unit tests of the edit builders in ``flasklint_headers.fixes``, applied by the fixer."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from flasklint_headers.config import Settings
from flasklint_headers.context import FileContext
from flasklint_headers.findings import Edit
from flasklint_headers.fixer import _apply
from flasklint_headers.fixes import (
    delete_element,
    delete_statement,
    delete_statement_keeping_block,
    insert_statement_after,
    insert_statement_before,
    is_empty_edit,
    replace_node,
    safe_fix,
    statement_source,
)
from flasklint_headers.source import decode_source


def _context(text: str) -> FileContext:
    source = decode_source(text.encode("utf-8"), Path("t.py"), "t.py")
    module = cst.parse_module(source.text)
    return FileContext(source, module, None, Settings.default())  # type: ignore[arg-type]


def _find(ctx: FileContext, kind: type[cst.CSTNode], code: str) -> cst.CSTNode:
    """The node of ``kind`` whose source starts with the line ``code``."""
    found: list[cst.CSTNode] = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, kind) and _first_line(ctx, node) == code:
                found.append(node)
            return True

    ctx.module.visit(Finder())
    assert len(found) == 1, f"{len(found)} matches for {code!r}"
    return found[0]


def _first_line(ctx: FileContext, node: cst.CSTNode) -> str:
    lines = ctx.module.code_for_node(node).strip().splitlines()
    code = [line.strip() for line in lines if not line.strip().startswith("#")]
    return code[0].rstrip("; ")


def _line(ctx: FileContext, code: str) -> cst.SimpleStatementLine:
    node = _find(ctx, cst.SimpleStatementLine, code)
    assert isinstance(node, cst.SimpleStatementLine)
    return node


def _edited(ctx: FileContext, *edits: Edit) -> str:
    text = _apply(ctx.source.text, [safe_fix("t", *edits)], ctx.newline)
    cst.parse_module(text)  # every helper must leave valid code
    return text


MODULE = 'import x\nresp = x.r()\nresp.headers["A"] = "1"\nprint(resp)\n'
NESTED = (
    "class V:\n"
    "    def get(self):\n"
    "        if True:\n"
    '            resp.headers["A"] = "1"\n'
    "            return resp\n"
    "        return None\n"
)


def test_delete_statement_at_module_level() -> None:
    ctx = _context(MODULE)
    edit = delete_statement(ctx, _line(ctx, 'resp.headers["A"] = "1"'))
    assert _edited(ctx, edit) == "import x\nresp = x.r()\nprint(resp)\n"


def test_delete_statement_deeply_indented() -> None:
    ctx = _context(NESTED)
    edit = delete_statement(ctx, _line(ctx, 'resp.headers["A"] = "1"'))
    assert _edited(ctx, edit) == NESTED.replace('            resp.headers["A"] = "1"\n', "")


def test_delete_statement_keeps_comment_lines_and_removes_trailing_comment() -> None:
    text = "a = 1\n# why\nb = 2  # trailing\nc = 3\n"
    ctx = _context(text)
    assert _edited(ctx, delete_statement(ctx, _line(ctx, "b = 2  # trailing"))) == (
        "a = 1\n# why\nc = 3\n"
    )


def test_delete_statement_multiline_statement() -> None:
    text = "a = 1\nb = f(\n    2,\n    3,\n)\nc = 3\n"
    ctx = _context(text)
    assert _edited(ctx, delete_statement(ctx, _line(ctx, "b = f("))) == "a = 1\nc = 3\n"


def test_delete_statement_last_line_without_newline() -> None:
    ctx = _context("a = 1\nb = 2")
    assert _edited(ctx, delete_statement(ctx, _line(ctx, "b = 2"))) == "a = 1\n"


def test_delete_statement_crlf() -> None:
    ctx = _context("a = 1\r\nb = 2\r\nc = 3\r\n")
    assert _edited(ctx, delete_statement(ctx, _line(ctx, "b = 2"))) == "a = 1\r\nc = 3\r\n"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("a = 1", "b = 2; c = 3\n"),
        ("b = 2", "a = 1; c = 3\n"),
        ("c = 3", "a = 1; b = 2\n"),
    ],
)
def test_delete_small_statement_sharing_a_line(target: str, expected: str) -> None:
    ctx = _context("a = 1; b = 2; c = 3\n")
    small = _find(ctx, cst.Assign, target)
    assert _edited(ctx, delete_statement(ctx, small)) == expected


def test_delete_statement_refuses_a_line_of_several_statements() -> None:
    ctx = _context("a = 1; b = 2\n")
    edit = delete_statement(ctx, _line(ctx, "a = 1; b = 2"))
    assert is_empty_edit(edit)


def test_delete_small_statement_alone_on_its_line_deletes_the_line() -> None:
    ctx = _context("a = 1\nb = 2\n")
    assert _edited(ctx, delete_statement(ctx, _find(ctx, cst.Assign, "b = 2"))) == "a = 1\n"


def test_delete_keeping_block_inserts_pass_for_the_only_statement() -> None:
    text = "def f(resp):\n    resp.headers['A'] = '1'  # note\n\n\nx = 1\n"
    ctx = _context(text)
    edit = delete_statement_keeping_block(ctx, _line(ctx, "resp.headers['A'] = '1'  # note"))
    assert _edited(ctx, edit) == "def f(resp):\n    pass  # note\n\n\nx = 1\n"


def test_delete_keeping_block_compound_only_statement() -> None:
    text = "def f(x):\n    if x:\n        y = 1\n    # end\nz = 2\n"
    ctx = _context(text)
    edit = delete_statement_keeping_block(ctx, _find(ctx, cst.If, "if x:"))
    assert _edited(ctx, edit) == "def f(x):\n    pass\n    # end\nz = 2\n"


def test_delete_keeping_block_with_siblings_just_deletes() -> None:
    ctx = _context("def f():\n    a = 1\n    return a\n")
    edit = delete_statement_keeping_block(ctx, _line(ctx, "a = 1"))
    assert _edited(ctx, edit) == "def f():\n    return a\n"


def test_delete_keeping_block_small_statement_in_shared_line() -> None:
    ctx = _context("def f():\n    a = 1; b = 2\n")
    edit = delete_statement_keeping_block(ctx, _find(ctx, cst.Assign, "b = 2"))
    assert _edited(ctx, edit) == "def f():\n    a = 1\n"


def test_insert_before_and_after_use_indentation_and_file_newline() -> None:
    text = "def f(resp):\r\n\tif resp:\r\n\t\treturn resp\r\n"
    ctx = _context(text)
    ret = _line(ctx, "return resp")
    before = insert_statement_before(ctx, ret, "resp.x = 1\nresp.y = 2")
    assert _edited(ctx, before) == (
        "def f(resp):\r\n\tif resp:\r\n\t\tresp.x = 1\r\n\t\tresp.y = 2\r\n\t\treturn resp\r\n"
    )
    after = insert_statement_after(ctx, _find(ctx, cst.If, "if resp:"), "z()")
    assert _edited(ctx, after) == text + "\tz()\r\n"


def test_statement_source_is_dedented_with_own_line_endings() -> None:
    ctx = _context(NESTED)
    assert statement_source(ctx, _line(ctx, "return resp")) == "return resp\n"


def test_replace_node_keeps_surroundings() -> None:
    ctx = _context("x = f(1)  # c\n")
    edit = replace_node(ctx, _find(ctx, cst.Integer, "1"), cst.Integer("2"))
    assert _edited(ctx, edit) == "x = f(2)  # c\n"


def _first_literal(ctx: FileContext) -> cst.Dict | cst.List | cst.Call:
    found: list[cst.CSTNode] = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, (cst.Dict, cst.List, cst.Call)) and not found:
                found.append(node)
            return True

    ctx.module.visit(Finder())
    return found[0]  # type: ignore[return-value]


def _elements(node: cst.Dict | cst.List | cst.Call) -> list:
    return list(node.args if isinstance(node, cst.Call) else node.elements)


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        # One element per line: whole lines go, comments on other lines stay.
        (
            "h = {\n    'A': 1,\n    'B': 2,  # b\n    # about C\n    'C': 3,\n}\n",
            1,
            "h = {\n    'A': 1,\n    # about C\n    'C': 3,\n}\n",
        ),
        (
            "h = [\n    ('A', '1'),\n    ('B', '2')  # last, no comma\n]\n",
            1,
            "h = [\n    ('A', '1'),\n]\n",
        ),
        (
            "f(\n    app,\n    force_https=False,\n    x=1,\n)\n",
            1,
            "f(\n    app,\n    x=1,\n)\n",
        ),
        # The closing bracket shares the element's line: only the element goes.
        ("h = {\n    'A': 1,\n    'B': 2}\n", 1, "h = {\n    'A': 1}\n"),
        # One line: the element and one separator.
        ("h = {'A': 1, 'B': 2, 'C': 3}\n", 1, "h = {'A': 1, 'C': 3}\n"),
        ("h = {'A': 1, 'B': 2}\n", 1, "h = {'A': 1}\n"),
        ("h = {'A': 1, 'B': 2}\n", 0, "h = {'B': 2}\n"),
    ],
)
def test_delete_element_keeps_the_rest_of_the_literal(text: str, index: int, expected: str) -> None:
    ctx = _context(text)
    literal = _first_literal(ctx)
    assert _edited(ctx, delete_element(ctx, _elements(literal), index)) == expected
