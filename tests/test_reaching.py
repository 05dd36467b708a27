"""reaching_value: the assignment that surely reaches a statement, or None."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from flasklint_headers.model.reaching import binds, block_places, reaching_value, reaching_values


def _ask(source: str, name: str = "r", every: bool = False) -> str | list[str] | None:
    """Code of the value(s) of ``name`` reaching the line marked ``# here``."""
    module = cst.parse_module(textwrap.dedent(source))
    func = module.body[0]
    assert isinstance(func, cst.FunctionDef)
    lines = [
        node
        for node in _walk(func)
        if isinstance(node, cst.SimpleStatementLine)
        and node.trailing_whitespace.comment is not None
        and node.trailing_whitespace.comment.value == "# here"
    ]
    (line,) = lines
    if every:
        values = reaching_values(block_places(func), name, line, line.body[-1])
        return None if values is None else sorted(module.code_for_node(v) for v in values)
    value = reaching_value(block_places(func), name, line, line.body[-1])
    return None if value is None else module.code_for_node(value)


def _walk(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _walk(child)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # straight line, the last assignment wins
        ("def f():\n    r = a()\n    r = b()\n    use(r)  # here\n", "b()"),
        # same line, before the statement
        ("def f():\n    r = a(); use(r)  # here\n", "a()"),
        # inside a branch: the assignment in the branch
        ("def f(x):\n    if x:\n        r = a()\n        use(r)  # here\n    r = b()\n", "a()"),
        # after a branch that rebinds: unknown
        ("def f(x):\n    r = a()\n    if x:\n        r = b()\n    use(r)  # here\n", None),
        # an assignment before the branch reaches into it
        ("def f(x):\n    r = a()\n    if x:\n        use(r)  # here\n", "a()"),
        # elif / else branches do not reach each other
        (
            "def f(x):\n    if x:\n        r = a()\n    elif y:\n        r = b()\n"
            "        use(r)  # here\n",
            "b()",
        ),
        # a loop that rebinds later in its body: the next round sees that value
        ("def f():\n    r = a()\n    for i in x:\n        use(r)  # here\n        r = b()\n", None),
        # a loop that does not rebind
        ("def f():\n    r = a()\n    for i in x:\n        use(r)  # here\n", "a()"),
        # try: the handler may run after the body rebinds
        (
            "def f():\n    r = a()\n    try:\n        r = b()\n    except E:\n"
            "        use(r)  # here\n",
            None,
        ),
        # other forms of binding: unknown
        ("def f():\n    r += 1\n    use(r)  # here\n", None),
        ("def f():\n    r, s = a()\n    use(r)  # here\n", None),
        ("def f():\n    with a() as r:\n        use(r)  # here\n", None),
        ("def f():\n    if (r := a()):\n        pass\n    use(r)  # here\n", None),
        # a parameter, never assigned
        ("def f(r):\n    use(r)  # here\n", None),
        # a nested function's assignment is its own
        ("def f():\n    r = a()\n    def g():\n        r = b()\n    use(r)  # here\n", "a()"),
        # a comprehension's target is its own
        ("def f():\n    r = a()\n    x = [r for r in y]\n    use(r)  # here\n", "a()"),
    ],
)
def test_reaching_value(source: str, expected: str | None) -> None:
    assert _ask(source) == expected


def test_binds_sees_imports_globals_and_deletes() -> None:
    for code in ("import r", "from x import r", "import r.s", "global r", "del r", "class r: pass"):
        assert binds(cst.parse_statement(code), "r"), code
    assert not binds(cst.parse_statement("import x.r"), "r")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # each branch's assignment
        (
            "def f(x):\n    if x:\n        r = a()\n    else:\n        r = b()\n"
            "    use(r)  # here\n",
            ["a()", "b()"],
        ),
        # no else: what reached the if, too
        (
            "def f(x):\n    r = a()\n    if x:\n        r = b()\n    use(r)  # here\n",
            ["a()", "b()"],
        ),
        # a branch that returns does not reach
        (
            "def f(x):\n    if x:\n        r = u()\n        return r\n    elif y:\n"
            "        r = a()\n    else:\n        r = b()\n    use(r)  # here\n",
            ["a()", "b()"],
        ),
        # a branch that does not bind lets the earlier value through
        (
            "def f(x):\n    r = a()\n    if x:\n        log()\n    else:\n        r = b()\n"
            "    use(r)  # here\n",
            ["a()", "b()"],
        ),
        # unbound on the path that takes no branch
        ("def f(x):\n    if x:\n        r = a()\n    use(r)  # here\n", None),
        # a walrus in the condition
        ("def f(x):\n    if (r := a()):\n        r = b()\n    use(r)  # here\n", None),
        # another kind of binding in a branch
        (
            "def f(x):\n    if x:\n        r, s = a()\n    else:\n        r = b()\n"
            "    use(r)  # here\n",
            None,
        ),
    ],
)
def test_reaching_values(source: str, expected: list[str] | None) -> None:
    assert _ask(source, every=True) == expected


def test_bound_names_of_several_statements() -> None:
    from flasklint_headers.model.reaching import bound_names

    statements = [
        cst.parse_statement(code)
        for code in ("a, *b = x", "with f() as c: pass", "def d(e): g = 1", "[h for h in y]")
    ]
    assert bound_names(*statements) == {"a", "b", "c", "d"}
    assert binds(cst.parse_statement("from m import *"), "anything")
