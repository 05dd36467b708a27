"""How deep a syntax tree may nest, and the recursion room that needs.

Kept apart from ``parsing.py`` (which imports libcst) so that a run answered
from the cache can hold ``recursion_room`` without loading libcst.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

# Levels of a libcst tree (a bracket: up to three).  Far deeper than hand-written
# code (CPython itself refuses more than 200 nested brackets); below where the
# recursive walks (RecursionError at ~1,000) and libcst's parser (SIGSEGV at
# ~1,500 brackets) fail, with a margin for the frames already on the stack.
MAX_DEPTH = 500
# Python frames the deepest tree let through may need: libcst's code generation
# and position metadata recurse twice per level (``--fix``), the walks once, on
# top of the caller's stack.  Pure Python frames: safe far beyond this.
RECURSION_LIMIT = 3 * MAX_DEPTH + 1000


@contextmanager
def recursion_room() -> Iterator[None]:
    """Raise the recursion limit to ``RECURSION_LIMIT`` (never lower it) for a run."""
    limit = sys.getrecursionlimit()
    if limit < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)
