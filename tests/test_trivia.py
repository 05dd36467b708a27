"""Shared whitespace nodes (``trivia.sharing``): same code, same positions of code nodes."""

from __future__ import annotations

import sysconfig
from collections.abc import Iterator
from pathlib import Path

import libcst as cst
import pytest

from flasklint_headers import trivia
from flasklint_headers.parsing import parse_text
from flasklint_headers.positions import spans

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = sorted([*STDLIB.glob("*.py"), *(ROOT / "flasklint_headers").rglob("*.py")])
CHOSEN = SAMPLES[:: max(1, len(SAMPLES) // 15)]


def _nodes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node in field order, shared ones once per occurrence."""
    yield node
    for child in node.children:
        yield from _nodes(child)


@pytest.mark.parametrize("path", CHOSEN, ids=lambda p: p.name)
def test_shared_trees_generate_the_same_code_and_code_positions(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    plain = cst.parse_module(text)
    shared = parse_text(text)
    assert isinstance(shared, cst.Module)
    # Against libcst's own output, not the text: libcst 1.9 itself drops the space
    # in ``except A :`` (3.11/3.12's webbrowser.py); the fixer skips such files.
    assert shared.code == plain.code
    assert shared.deep_equals(plain)
    plain_spans, shared_spans = spans(plain), spans(shared)
    assert plain_spans is not None and shared_spans is not None
    pairs = list(zip(_nodes(plain), _nodes(shared), strict=True))
    for before, after in pairs:
        assert type(before) is type(after)
        if id(after) not in trivia._shared_ids:
            assert shared_spans[id(after)] == plain_spans[id(before)], type(after).__name__
    # The point of it: far fewer whitespace objects.
    distinct = {id(after) for _, after in pairs if isinstance(after, cst.SimpleWhitespace)}
    total = sum(isinstance(after, cst.SimpleWhitespace) for _, after in pairs)
    assert total < 50 or len(distinct) * 5 < total


def test_comments_are_never_shared() -> None:
    text = "x = 1  # one\ny = 2  # one\n\n# lone\n# lone\nz = 3\n"
    module = parse_text(text)
    assert isinstance(module, cst.Module)
    trailing = [
        statement.trailing_whitespace
        for statement in module.body
        if isinstance(statement, cst.SimpleStatementLine)
    ]
    assert trailing[0] is not trailing[1]  # both carry a comment
    assert trailing[0].comment is not None and trailing[0].comment.value == "# one"
    lines = module.body[2].leading_lines
    assert [line.comment.value for line in lines if line.comment] == ["# lone", "# lone"]
    assert lines[-1] is not lines[-2]
    assert module.code == text


def test_sharing_is_off_outside_our_parser() -> None:
    text = "a = 1\nb = 2\n"
    trivia._install()
    plain = cst.parse_module(text)
    first, second = (s.body[0].targets[0].whitespace_after_equal for s in plain.body)
    assert first.value == second.value and first is not second  # nodes compare by identity
    shared = parse_text(text)
    assert isinstance(shared, cst.Module)
    first, second = (s.body[0].targets[0].whitespace_after_equal for s in shared.body)
    assert first is second


def test_nodes_built_by_hand_inside_a_sharing_block_still_work() -> None:
    with trivia.sharing():
        space = cst.SimpleWhitespace(" ")
        again = cst.SimpleWhitespace(value=" ")
        other = cst.SimpleWhitespace("  ")
        newline = cst.Newline()
        with_comment = cst.TrailingWhitespace(comment=cst.Comment("# x"), newline=newline)
    assert space is again and space is not other
    assert space.value == " " and other.value == "  "
    assert with_comment.comment is not None
    module = cst.Module(body=[cst.SimpleStatementLine([cst.Pass()])])
    assert module.code == cst.parse_module("pass\n").code


def test_identifiers_are_interned_only_inside_our_parser() -> None:
    text = "some_long_identifier = some_long_identifier + other.some_long_identifier\n"
    shared = parse_text(text)
    assert isinstance(shared, cst.Module)
    names = [n.value for n in _nodes(shared) if isinstance(n, cst.Name)]
    assert len(names) == 4 and names.count("some_long_identifier") == 3
    first = names[0]
    assert all(n is first for n in names if n == "some_long_identifier")
    plain = [n.value for n in _nodes(cst.parse_module(text)) if isinstance(n, cst.Name)]
    assert plain[0] is not plain[1]  # libcst itself makes one string per occurrence
    with pytest.raises(cst.CSTValidationError):  # validation still runs
        cst.Name("")


FIXTURES = sorted((ROOT / "fixtures").rglob("*.py"))


def _plain_parse(text: str) -> cst.Module | Exception:
    try:
        return cst.parse_module(text)  # outside our parser: libcst validates every node
    except Exception as exc:
        return exc


def test_skipping_validation_while_parsing_changes_no_tree() -> None:
    """Our parser skips libcst's per-node validation; every fixture parses to the same tree."""
    assert FIXTURES
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        plain, ours = _plain_parse(text), parse_text(text)
        if isinstance(plain, Exception):
            assert not isinstance(ours, cst.Module), path
            continue
        assert isinstance(ours, cst.Module), path
        assert ours.code == text and ours.deep_equals(plain), path


@pytest.mark.parametrize(
    "text",
    [
        "def f(:\n    pass\n",
        "print 'python 2'\n",
        "x = (1,\n",
        "class C:\npass\n",
        "f(**a, *b)\n",
        "lambda: (yield)\n",
        "x = 1 +\n",
    ],
)
def test_code_libcst_rejects_is_still_rejected_without_validation(text: str) -> None:
    plain = _plain_parse(text)
    ours = parse_text(text)
    assert isinstance(plain, Exception) == (not isinstance(ours, cst.Module))


def test_validation_is_skipped_only_inside_our_parser() -> None:
    trivia._install()
    with trivia.sharing():  # skipped: the parser only builds nodes from valid code
        cst.Name("not a name")  # Name's own hook (interning)
        cst.Integer("not a number")  # every other node's hook
    with pytest.raises(cst.CSTValidationError):
        cst.Integer("not a number")
    with pytest.raises(cst.CSTValidationError):
        cst.SimpleWhitespace("x")  # not whitespace: libcst's validation rejects it
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
    module = parse_text("value = 1\n")
    assert isinstance(module, cst.Module)
    with pytest.raises(cst.CSTValidationError):  # still on after a parse
        cst.Name("")


def test_positions_hoisted_from_a_shared_node_are_of_this_occurrence() -> None:
    # The ``)`` closing the import is a shared punctuation node that also closed
    # ``(1)`` above: the import's end must be its own ``)``, not the first one's.
    text = "x = (1)\nfrom os import (path,\n    sep)\ny = 1\n"
    shared = parse_text(text)
    plain = cst.parse_module(text)
    assert isinstance(shared, cst.Module)
    shared_spans, plain_spans = spans(shared), spans(plain)
    assert shared_spans is not None and plain_spans is not None
    assert shared.body[1].body[0].rpar is shared.body[0].body[0].value.rpar[0]
    assert shared_spans[id(shared.body[1])] == plain_spans[id(plain.body[1])] == (2, 0, 3, 8)
