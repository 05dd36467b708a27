"""Unit tests of the block-level reachability helper (``model/flow.py``)."""

from __future__ import annotations

import contextlib
import itertools
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


def test_with_raise_before_its_return_may_be_suppressed(tmp_path: Path) -> None:
    """A ``raise`` nested before the ``return`` leaves the body; a manager that
    swallows it lets the code after the ``with`` run (found by the property test)."""
    code = """
    def f(r):
        with r:
            if r.x:
                raise KeyError
            return 1
        r.a = 1
    """
    assert dead_lines(tmp_path, code) == []


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


# -- property: a statement reported dead never runs ------------------------------------------
# Random function bodies built from returns, raises, abort(), if/else, try/except/finally,
# with blocks (one of which swallows exceptions) and loops with continue/break.  Every
# ``hits.append(N)`` the analysis calls dead must stay unexecuted for every input.

HEADER = """
from flask import abort


class Swallow:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


"""


@st.composite
def _block(draw: st.DrawFn, depth: int, in_loop: bool, counter: list[int]) -> list[str]:
    size = draw(st.integers(min_value=1, max_value=4))
    lines: list[str] = []
    for _ in range(size):
        lines.extend(draw(_statement(depth, in_loop, counter)))
    return lines


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


@st.composite
def _statement(draw: st.DrawFn, depth: int, in_loop: bool, counter: list[int]) -> list[str]:
    simple = ["mark", "mark", "return", "raise", "abort"]
    if in_loop:
        simple += ["continue", "break"]
    compound = ["if", "ifelse", "try", "tryfinally", "with", "for"] if depth > 0 else []
    kind = draw(st.sampled_from(simple + compound))
    flag = draw(st.integers(min_value=0, max_value=2))
    if kind == "mark":
        counter[0] += 1
        return [f"hits.append({counter[0]})"]
    if kind == "return":
        return ["return 1"]
    if kind == "raise":
        return ["raise KeyError"]
    if kind == "abort":
        return ["abort(403)"]
    if kind in ("continue", "break"):
        return [kind]

    def block(loop: bool = in_loop) -> list[str]:
        return _indent(draw(_block(depth - 1, loop, counter)))

    if kind == "if":
        return [f"if flags[{flag}]:", *block()]
    if kind == "ifelse":
        return [f"if flags[{flag}]:", *block(), "else:", *block()]
    if kind == "try":
        return ["try:", *block(), "except KeyError:", *block()]
    if kind == "tryfinally":
        return ["try:", *block(), "finally:", *block()]
    if kind == "with":
        manager = draw(st.sampled_from(["Swallow()", "open(__file__)"]))
        return [f"with {manager}:", *block()]
    return ["for _ in range(2):", *block(loop=True)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_dead_statements_never_run(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    counter = [0]
    body = data.draw(_block(3, False, counter))
    code = HEADER + "def f(flags, hits):\n" + "\n".join(_indent(body)) + "\n"
    tmp_path = tmp_path_factory.mktemp("flow")
    path = tmp_path / "module.py"
    path.write_text(code, encoding="utf-8")
    loaded = load_file(path)
    assert isinstance(loaded, LoadedFile)
    build_project([loaded])
    assert loaded.model is not None
    func = next(s for s in loaded.module.body if isinstance(s, cst.FunctionDef))
    reach = Reachability(loaded.model, func)
    dead_marks = set()
    for dead in reach.dead_code:
        for small in small_statements_of(dead):
            text = loaded.module.code_for_node(small).strip()
            if text.startswith("hits.append("):
                dead_marks.add(int(text[len("hits.append(") : -1]))
    namespace: dict[str, object] = {}
    exec(compile(code, str(path), "exec"), namespace)  # the generated code only appends
    for flags in itertools.product([False, True], repeat=3):
        hits: list[int] = []
        # raise / abort() end the call; that is fine
        with contextlib.suppress(Exception):
            namespace["f"](flags, hits)  # type: ignore[operator]
        assert not dead_marks & set(hits), (code, flags, hits, dead_marks)
