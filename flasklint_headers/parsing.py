"""Parse decoded source with libcst, turning every failure into one clear message.

libcst's parser is slow (worse than linear) on very long operator chains such
as generated ``x = 1 + 1 + ... + 1`` expressions, and Python's own parser gives
up on them with a RecursionError. Files that could hold such an expression (a
very long line, or a large file) are first measured with ``ast``; if they
nest deeper than ``MAX_NESTING`` they are reported instead of analysed.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

import libcst as cst

from flasklint_headers.source import line_starts
from flasklint_headers.trivia import sharing

# Deeper than any hand-written code; libcst needs seconds from about 2,000 levels.
MAX_NESTING = 1000
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
    if _might_nest_deeply(text):
        failure = _nesting_failure(text)
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


def _nesting_failure(text: str) -> ParseFailure | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (RecursionError, MemoryError):
        # CPython gives up on this nesting; libcst could crash the process on it.
        return ParseFailure("SyntaxError: expression nested too deeply to analyse", 1, 1)
    except (SyntaxError, ValueError):
        return None  # libcst reports it (with CPython's message when possible)
    depth, row = _max_depth(tree, line_starts(text))
    if depth > MAX_NESTING:
        return ParseFailure(
            f"SyntaxError: expression nested too deeply to analyse ({depth} levels)", row, 1
        )
    return None


def _max_depth(tree: ast.Module, starts: list[int]) -> tuple[int, int]:
    """Deepest nesting of the tree and its line, skipping subtrees too short to matter.

    Every level takes at least one character, so a subtree spanning fewer
    characters than the depth still allowed cannot go too deep. (Columns are
    UTF-8 byte offsets, hence the safety margin.) Iterative: no recursion.
    """
    limit = MAX_NESTING // 2
    best, best_row = 0, 1
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > best:
            best, best_row = depth, getattr(node, "lineno", best_row)
        for child in ast.iter_child_nodes(node):
            span = _span(child, starts)
            if span is not None and depth + span < limit:
                continue
            stack.append((child, depth + 1))
    return best, best_row


def _span(node: ast.AST, starts: list[int]) -> int | None:
    """Approximate length of a node's source in characters (None when it has no position)."""
    line = getattr(node, "lineno", None)
    end_line = getattr(node, "end_lineno", None)
    if line is None or end_line is None or end_line > len(starts) or line < 1:
        return None
    start = starts[line - 1] + node.col_offset  # type: ignore[attr-defined]
    end = starts[end_line - 1] + (node.end_col_offset or 0)  # type: ignore[attr-defined]
    return end - start


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
