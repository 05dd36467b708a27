"""Parse decoded source with libcst, turning every failure into one clear message.

Deep nesting is guarded *before* libcst sees the file.  libcst nests what
Python's ``ast`` keeps flat (``a and b and ...``, implicitly joined string
literals) and needs two or three levels per bracket; its native parser
overflows the C stack and kills the process (SIGSEGV, no output) from about
1,500 nested brackets or 3,000-10,000 chained operators, and the model's and
rules' recursive walks raise RecursionError from about 1,000 levels.  So:

1. ``nesting_bound`` is one cheap pass over the text (strings and comments
   skipped by a regex, then only brackets, commas and newlines visited) giving
   an upper bound on how deep libcst could nest the file.  Every level of a
   libcst tree costs at least one character (a bracket level: three nodes for
   at most four characters counted), so below ``MAX_DEPTH`` nothing is
   measured further: almost every real file stops here.
2. Otherwise (or for very long lines / large files, where libcst is slow on
   long operator chains) ``ast`` parses the file and ``_cst_depth`` measures
   it the way libcst nests it.  Deeper than ``MAX_DEPTH``: the file gets one
   FLH001 "cannot analyse this file" instead of being parsed.  A file the
   bound flags and CPython rejects (990 nested parentheses: "too many nested
   parentheses") gets CPython's message: libcst would accept or crash on it.

Trees that pass still need up to two Python frames per level (libcst's code
generation and position metadata, used by ``--fix``): runs hold
``depth.recursion_room`` for that.  A RecursionError that still happens costs only
its file (``runner.py``), and a worker that dies only its group (``parallel.py``).
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

import libcst as cst

from flasklint_headers.depth import MAX_DEPTH
from flasklint_headers.source import line_starts
from flasklint_headers.trivia import sharing

# Below these sizes no expression can nest deeply enough to matter.
LONG_LINE = 2000
LARGE_FILE = 50_000

PYTHON2_HINT = " (this looks like Python 2 code, which is not supported)"


@dataclass(frozen=True)
class ParseFailure:
    message: str
    row: int
    column: int


def parse_text(text: str) -> cst.Module | ParseFailure:
    """A libcst module, or a ParseFailure saying why the text cannot be analysed."""
    deep = nesting_bound(text) >= MAX_DEPTH
    if deep or _might_nest_deeply(text):
        failure = _nesting_failure(text, deep)
        if failure is not None:
            return failure
    try:
        with sharing():  # trivia nodes shared, names interned: half the memory
            module = cst.parse_module(text)
        if _EXCEPT_COMMA.search(text):
            # libcst accepts Python 2's ``except E, e:``; CPython 3 does not.
            python = _python_message(text)
            if python is not None:
                return python
        return module
    except cst.ParserSyntaxError as exc:
        python = _python_message(text)
        if python is not None:
            return python
        if _cpython_accepts(text):
            # Valid Python libcst cannot handle (e.g. thousands of concatenated strings).
            message = f"cannot analyse this file: the parser gave up ({exc.message})"
            return ParseFailure(message, exc.raw_line, exc.raw_column + 1)
        return ParseFailure(
            f"SyntaxError: {exc.message}{_python2_hint(text)}", exc.raw_line, exc.raw_column + 1
        )
    except RecursionError:
        return ParseFailure("SyntaxError: expression nested too deeply to analyse", 1, 1)
    except Exception as exc:  # libcst can raise other errors on odd input
        return ParseFailure(f"SyntaxError: {type(exc).__name__}: {exc}", 1, 1)


def _might_nest_deeply(text: str) -> bool:
    if len(text) >= LARGE_FILE:
        return True
    if len(text) < LONG_LINE:
        return False
    return any(len(line) >= LONG_LINE for line in text.splitlines())


def _nesting_failure(text: str, deep: bool) -> ParseFailure | None:
    """Why the text cannot be handed to libcst, or None when it can.

    ``deep``: the bound says libcst might nest it too deeply, so a file CPython
    rejects is reported with CPython's message rather than given to libcst.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (RecursionError, MemoryError):
        # CPython gives up on this nesting; libcst could crash the process on it.
        return ParseFailure("SyntaxError: expression nested too deeply to analyse", 1, 1)
    except SyntaxError as exc:
        if not deep:
            return None  # libcst reports it (with CPython's message when possible)
        return ParseFailure(
            f"SyntaxError: {exc.msg}{_python2_hint(text)}", exc.lineno or 1, exc.offset or 1
        )
    except ValueError:
        return None
    depth, row = _cst_depth(tree, text)
    if depth > MAX_DEPTH:
        message = (
            "cannot analyse this file: expression nested too deeply "
            f"({depth} levels; at most {MAX_DEPTH} are analysed)"
        )
        return ParseFailure(message, row, 1)
    return None


def _cst_depth(tree: ast.Module, text: str) -> tuple[int, int]:
    """How deep libcst would nest the tree (an upper bound), and the line where.

    Per ``ast`` node: a boolean operation with n operands nests n - 1 levels
    in libcst (one ``BooleanOperation`` per operator), a literal joined from n
    pieces n levels (``ConcatenatedString``), anything else one, and what a
    bracket holds two more (``List`` -> ``Element`` -> value, ``Call`` ->
    ``Arg`` -> value; not a call's function: ``f()()`` nests one per call).  A
    subtree spanning fewer characters than a third of the depth still allowed
    cannot go too deep and is skipped (columns are UTF-8 bytes: a safe
    overestimate).  Iterative: no recursion.
    """
    starts = line_starts(text)
    best, best_row = 0, 1
    stack: list[tuple[ast.AST, int, bool]] = [(tree, 0, False)]
    while stack:
        node, above, in_joined = stack.pop()
        depth = above + (1 if in_joined else _weight(node, above, text, starts))
        if depth > best:
            best, best_row = depth, getattr(node, "lineno", best_row)
        bracketed = isinstance(node, _BRACKETED)
        joined = isinstance(node, ast.JoinedStr)  # its parts repeat its position (3.11)
        for child in ast.iter_child_nodes(node):
            below = depth + 2 if bracketed and not _is_callee(node, child) else depth
            span = _span(child, starts)
            if span is not None and below + 3 * span < MAX_DEPTH:
                continue
            stack.append((child, below, joined))
    return best, best_row


_BRACKETED = (
    ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Call, ast.Subscript,
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
)  # fmt: skip


def _is_callee(node: ast.AST, child: ast.AST) -> bool:
    """The called or subscripted expression (one level below, unlike the arguments)."""
    return (isinstance(node, ast.Call) and child is node.func) or (
        isinstance(node, ast.Subscript) and child is node.value
    )


def _weight(node: ast.AST, above: int, text: str, starts: list[int]) -> int:
    if isinstance(node, ast.BoolOp):
        return max(len(node.values) - 1, 1)
    if isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
    ):
        span = _span(node, starts)
        # Each piece takes two characters at least; a plain literal holds nothing
        # below it, so its pieces are counted only when they could matter.
        if span is None or span < 4:
            return 1
        if isinstance(node, ast.Constant) and above + span // 2 < MAX_DEPTH:
            return 1
        start = starts[node.lineno - 1] + node.col_offset
        return max(len(_SKIPPED.findall(text, start, start + span)), 1)
    return 1


def _span(node: ast.AST, starts: list[int]) -> int | None:
    """Approximate length of a node's source in characters (None when it has no position)."""
    line = getattr(node, "lineno", None)
    end_line = getattr(node, "end_lineno", None)
    if line is None or end_line is None or end_line > len(starts) or line < 1:
        return None
    start = starts[line - 1] + node.col_offset  # type: ignore[attr-defined]
    end = starts[end_line - 1] + (node.end_col_offset or 0)  # type: ignore[attr-defined]
    return end - start


# What ``nesting_bound`` does not look into: string literals (any prefix,
# triple-quoted ones across lines, an unterminated one to the end of its line or
# of the file), comments and backslash continuations.  Each becomes one "s".
_SKIPPED = re.compile(
    r"""[rRuUbBfF]{0,2}(?:'''(?:[^\\']|\\.|'(?!''))*(?:'''|\Z)"""
    r'''|"""(?:[^\\"]|\\.|"(?!""))*(?:"""|\Z)'''
    r"""|'(?:[^\\'\n]|\\.)*'?|"(?:[^\\"\n]|\\.)*"?)"""
    r"|#[^\n]*|\\\r?\n",
    re.DOTALL,
)
_MARKS = re.compile(r"[()\[\]{},;\n]")


def nesting_bound(text: str) -> int:
    """An upper bound on the depth of the libcst tree of ``text`` (in characters).

    Every element (what lies between commas, or a logical line) is bounded by
    its own characters - chained operators, joined literals, attributes: each
    level takes one at least - plus the deepest bracket inside it, and a
    bracket by its deepest element plus three.  One regex pass drops strings
    and comments; the loop visits only brackets, commas and line ends.
    """
    if 2 * len(text) < MAX_DEPTH:
        return 2 * len(text)  # a bracket level takes two characters, three nodes
    cleaned = _SKIPPED.sub("s", text)
    own = inner = best = 0  # the current element's own characters, deepest bracket; group
    outer: list[tuple[int, int, int]] = []
    last = 0
    for mark in _MARKS.finditer(cleaned):
        char, position = mark.group(), mark.start()
        own += position - last
        last = position + 1
        if char in "([{":
            outer.append((own + 1, inner, best))
            own = inner = best = 0
        elif char in ")]}":
            best = max(best, own + inner)
            if outer:  # a stray closing bracket (invalid code) closes nothing
                group = best + 3
                own, inner, best = outer.pop()
                inner = max(inner, group)
            else:
                own = inner = 0
        elif char == "\n" and outer:
            own += 1  # a line inside brackets continues the element
        else:
            best = max(best, own + inner)
            own = inner = 0
    best = max(best, own + len(cleaned) - last + inner)
    while outer:  # unclosed brackets (invalid code)
        group = best + 3
        own, inner, best = outer.pop()
        best = max(best, own + max(inner, group))
    return best


def _cpython_accepts(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _python_message(text: str) -> ParseFailure | None:
    """CPython's own message for the error, which is usually clearer than libcst's."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return ParseFailure(
            f"SyntaxError: {exc.msg}{_python2_hint(text)}", exc.lineno or 1, exc.offset or 1
        )
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


# Statements and literals that only Python 2 accepts.
_PYTHON2_LINE = re.compile(
    r"""^\s*(?:
        print\s+(?![\s(=.\[]|$)            # print "x"   (not print(...), print = ...)
      | exec\s+["'\w]                      # exec "code"
      | except\s+[\w.]+\s*,\s*\w+\s*:      # except E, e:
      | raise\s+[\w.]+\s*,                 # raise E, "message"
    )""",
    re.VERBOSE,
)


# ``except E, e:`` (not ``except (A, B):``): the one Python 2 form libcst parses.
_EXCEPT_COMMA = re.compile(r"^[ \t]*except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:", re.MULTILINE)


def _python2_hint(text: str) -> str:
    for line in text.splitlines():
        if _PYTHON2_LINE.match(line):
            return PYTHON2_HINT
    return ""
