"""Parse decoded source with libcst, turning every failure into a clear message."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst


@dataclass(frozen=True)
class ParseFailure:
    message: str
    row: int
    column: int


def parse_text(text: str) -> cst.Module | ParseFailure:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _python_message(text) or ParseFailure(
            f"SyntaxError: {exc.message}{_python2_hint(text)}", exc.raw_line, exc.raw_column + 1
        )
    except RecursionError:
        return ParseFailure("SyntaxError: expression nested too deeply to analyse", 1, 1)
    except Exception as exc:  # libcst can raise other errors on odd input
        return ParseFailure(f"SyntaxError: {type(exc).__name__}: {exc}", 1, 1)


def _python_message(text: str) -> ParseFailure | None:
    """CPython's own message for the error, which is usually clearer than libcst's."""
    try:
        ast.parse(text)
    except SyntaxError as exc:
        return ParseFailure(
            f"SyntaxError: {exc.msg}{_python2_hint(text)}", exc.lineno or 1, exc.offset or 1
        )
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _python2_hint(text: str) -> str:
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("print ") and not stripped.startswith("print ("):
            return " (this looks like Python 2 code)"
        if stripped.startswith("except ") and ", " in stripped and " as " not in stripped:
            return " (this looks like Python 2 code)"
    return ""
