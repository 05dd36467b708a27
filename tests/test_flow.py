"""Unit tests of the block-level reachability helper (``model/flow.py``)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from flasklint_headers.model.flow import Reachability, small_statements_of
from flasklint_headers.runner import LoadedFile, build_project, load_file


def reachability(tmp_path: Path, code: str) -> tuple[Reachability, cst.Module]:
    path = tmp_path / "module.py"
    path.write_text(textwrap.dedent(code), encoding="utf-8")
    loaded = load_file(path)
    assert isinstance(loaded, LoadedFile)
    build_project([loaded])
    assert loaded.model is not None
    func = next(s for s in loaded.module.body if isinstance(s, cst.FunctionDef))
    return Reachability(loaded.model, func), loaded.module


def dead_lines(tmp_path: Path, code: str) -> list[str]:
    """Source of every dead small statement, in order."""
    reach, module = reachability(tmp_path, code)
    out = []
    for dead in reach.dead_code:
        out.extend(module.code_for_node(s).strip() for s in small_statements_of(dead))
    return out


def test_after_return_in_the_same_block(tmp_path: Path) -> None:
    code = """
    def f(r):
        x = 1
        return r
        r.a = 1
        r.b = 2
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1", "r.b = 2"]


@pytest.mark.parametrize("jump", ["raise ValueError", "continue", "break"])
def test_other_jumps(tmp_path: Path, jump: str) -> None:
    code = f"""
    def f(r):
        for i in r:
            {jump}
            r.a = 1
        r.b = 2
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1"]


def test_abort_through_aliases(tmp_path: Path) -> None:
    code = """
    import flask as fl
    from werkzeug.exceptions import abort as stop

    def f(r):
        if r:
            fl.abort(403)
            r.a = 1
        stop(404)
        r.b = 2
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1", "r.b = 2"]


def test_local_function_named_abort_is_not_noreturn(tmp_path: Path) -> None:
    code = """
    def f(r):
        abort(403)
        r.a = 1

    def abort(code):
        pass
    """
    assert dead_lines(tmp_path, code) == []


def test_if_else_both_arms_end(tmp_path: Path) -> None:
    code = """
    def f(r):
        if r:
            return 1
        elif r is None:
            raise ValueError
        else:
            return 2
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1"]


def test_if_without_else_does_not_end(tmp_path: Path) -> None:
    code = """
    def f(r):
        if r:
            return 1
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == []


def test_finally_is_never_dead(tmp_path: Path) -> None:
    code = """
    def f(r):
        try:
            return r
        finally:
            r.a = 1
    """
    assert dead_lines(tmp_path, code) == []


def test_try_whose_handlers_all_end(tmp_path: Path) -> None:
    code = """
    def f(r):
        try:
            return r
        except KeyError:
            raise
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1"]


def test_try_with_a_handler_that_falls_through(tmp_path: Path) -> None:
    code = """
    def f(r):
        try:
            return r
        except KeyError:
            pass
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == []


def test_with_return_ends_but_with_raise_may_be_suppressed(tmp_path: Path) -> None:
    ends = """
    def f(r):
        with r:
            return r
        r.a = 1
    """
    assert dead_lines(tmp_path, ends) == ["r.a = 1"]
    suppressed = """
    def f(r):
        with r:
            raise ValueError
        r.a = 1
    """
    assert dead_lines(tmp_path, suppressed) == []


def test_same_line_and_one_line_suites(tmp_path: Path) -> None:
    code = """
    def f(r):
        if r: return r; r.a = 1
        return r; r.b = 2
    """
    assert dead_lines(tmp_path, code) == ["r.a = 1", "r.b = 2"]


def test_loops_do_not_end_the_enclosing_block(tmp_path: Path) -> None:
    code = """
    def f(r):
        while True:
            return r
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == []


def test_nested_functions_are_separate(tmp_path: Path) -> None:
    code = """
    def f(r):
        def inner():
            return 1
        r.a = 1
        return r
    """
    assert dead_lines(tmp_path, code) == []


def test_is_dead_and_dead_code_of(tmp_path: Path) -> None:
    reach, _ = reachability(
        tmp_path,
        """
        def f(r):
            return r
            r.a = 1
        """,
    )
    (dead,) = reach.dead_code
    (line,) = dead.statements
    assert isinstance(line, cst.SimpleStatementLine)
    assert reach.is_dead(line.body[0]) and reach.dead_code_of(line.body[0]) is dead
    assert isinstance(dead.terminator, cst.Return)
