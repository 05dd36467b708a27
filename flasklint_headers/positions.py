"""Line/column spans of syntax nodes, as libcst's ``PositionProvider`` gives them, cheaper.

``MetadataWrapper.resolve(PositionProvider)`` generates the module's code and
records a ``CodeRange`` of two ``CodePosition`` objects for every node, through
the metadata framework; on a large file that costs more than parsing it. This
module runs the same code generation with a state that records plain tuples
keyed by node identity (libcst nodes compare and hash by identity), with the
same rules: the first record of a node wins, and syntactic positions hoisted
from child nodes override.

It uses libcst's code generation hooks (``CodegenState``), which are internal:
``spans`` returns None when they behave unexpectedly, and callers then use
``PositionProvider`` itself. ``tests/test_positions.py`` checks every node of
real files against ``PositionProvider``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple[int, int, int, int]  # start line, start column, end line, end column (0-based)

_NEWLINE_RE = re.compile(r"\r\n?|\n")


class _SpanState(CodegenState):
    def __init__(self, module: cst.Module) -> None:
        super().__init__(
            default_indent=module.default_indent, default_newline=module.default_newline
        )
        self.line = 1
        self.column = 0
        self.starts: list[tuple[int, int]] = []
        self.spans: dict[int, Span] = {}
        # The span of each node's latest occurrence: a shared whitespace or
        # punctuation node (``trivia.py``) occurs many times, and a syntactic
        # position hoisted from it (``end_node=self.rpar``) needs this occurrence.
        self.latest: dict[int, Span] = {}
        # Nodes whose current occurrence got a syntactic position (it beats the full one).
        self._syntactic: set[int] = set()

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE_RE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.starts.pop()
        key = id(node)
        span = (line, column, self.line, self.column)
        if key in self._syntactic:
            self._syntactic.discard(key)
        else:
            self.latest[key] = span
        if key not in self.spans:
            self.spans[key] = span

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = (self.line, self.column)
        try:
            yield
        finally:
            end = (self.line, self.column)
            if start_node is not None:
                start = self.latest[id(start_node)][:2]
            if end_node is not None:
                end = self.latest[id(end_node)][2:]
            self.spans[id(node)] = self.latest[id(node)] = (*start, *end)
            self._syntactic.add(id(node))


def spans(module: cst.Module) -> dict[int, Span] | None:
    """``id(node) -> span`` for every node of ``module``; None when this cannot be computed."""
    state = _SpanState(module)
    try:
        module._codegen(state)
    except Exception:  # libcst internals changed: the caller falls back to PositionProvider
        return None
    if state.starts or id(module) not in state.spans:
        return None
    return state.spans


def code_range(span: Span) -> Any:
    """The ``CodeRange`` that ``PositionProvider`` gives for a span."""
    from libcst.metadata import CodePosition, CodeRange

    return CodeRange(CodePosition(span[0], span[1]), CodePosition(span[2], span[3]))
