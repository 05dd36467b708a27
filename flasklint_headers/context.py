"""Per-file state shared by the rules during one traversal."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from flasklint_headers.findings import Finding, Fix, Position, Severity
from flasklint_headers.positions import Span, code_range, spans

if TYPE_CHECKING:
    from flasklint_headers.config import Settings
    from flasklint_headers.model import FileModel
    from flasklint_headers.rules.base import Rule
    from flasklint_headers.source import SourceFile


@dataclass
class FileContext:
    source: SourceFile
    module: cst.Module
    model: FileModel
    settings: Settings
    findings: list[Finding] = field(default_factory=list)
    # Ancestors of the node being visited (outermost first), kept by the runner.
    stack: list[cst.CSTNode] = field(default_factory=list)
    # Answers several rules ask about the same node during this traversal
    # (keyed by question and node id; the project cannot change meanwhile).
    shared: dict[tuple[str, int], object] = field(default_factory=dict)
    # The FunctionDef/Lambda/ClassDef nodes among them (rules ask for these on
    # nearly every node; scanning ``stack`` each time was a hot spot).
    scopes: list[cst.CSTNode] = field(default_factory=list)
    # Findings by (code, span, message): one construct can reach a rule along
    # several paths (a Talisman call linked to each app a rebound name may
    # hold), and the user should see it once.
    _reported: dict[tuple[str, Position, Position, str], int] = field(default_factory=dict)

    # -- positions: computed once per file, and only when something is reported ----
    @cached_property
    def _spans(self) -> dict[int, Span] | None:
        return spans(self.module)

    @cached_property
    def _positions(self) -> dict[cst.CSTNode, CodeRange]:
        # Only when the cheap spans could not be computed (see positions.py).
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        return dict(wrapper.resolve(PositionProvider))

    @cached_property
    def lines(self) -> list[str]:
        # Rows as libcst counts them (a form feed does not end a line).
        from flasklint_headers.source import split_lines

        return split_lines(self.source.text)

    def code_range(self, node: cst.CSTNode) -> CodeRange:
        fast = self._spans
        if fast is not None:
            found = fast.get(id(node))
            if found is not None:
                return code_range(found)
        return self._positions[node]

    def span(self, node: cst.CSTNode) -> tuple[Position, Position]:
        """1-based (start, end) of ``node``; end is exclusive."""
        rng = self.code_range(node)
        return (
            Position(rng.start.line, rng.start.column + 1),
            Position(rng.end.line, rng.end.column + 1),
        )

    def code_for(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def line_indent(self, row: int) -> str:
        line = self.lines[row - 1] if row - 1 < len(self.lines) else ""
        return line[: len(line) - len(line.lstrip(" \t"))]

    @property
    def newline(self) -> str:
        return self.module.default_newline

    # -- navigation ------------------------------------------------------------------
    def parent(self, depth: int = 1) -> cst.CSTNode | None:
        """The ancestor ``depth`` levels above the node being visited."""
        return self.stack[-1 - depth] if len(self.stack) > depth else None

    def enclosing_function(self) -> cst.FunctionDef | None:
        for node in reversed(self.scopes):
            if type(node) is cst.FunctionDef:
                return node  # type: ignore[return-value]
            if type(node) is cst.Lambda:
                return None
        return None

    def enclosing_class(self) -> cst.ClassDef | None:
        for node in reversed(self.scopes):
            if type(node) is cst.ClassDef:
                return node  # type: ignore[return-value]
        return None

    # -- reporting ---------------------------------------------------------------------
    def report(
        self,
        rule: Rule,
        node: cst.CSTNode,
        message: str,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> None:
        start, end = self.span(node)
        key = (rule.code, start, end, message)
        known = self._reported.get(key)
        if known is not None:
            if self.findings[known].fix is None and fix is not None:
                self.findings[known] = replace(self.findings[known], fix=fix)
            return
        self._reported[key] = len(self.findings)
        effective = self.settings.severity_for(rule.code, severity or rule.severity)
        line = self.lines[start.row - 1] if start.row - 1 < len(self.lines) else ""
        self.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=effective,
                message=message,
                filename=self.source.display_name,
                location=start,
                end_location=end,
                fix=fix,
                url=rule.url(),
                source_line=line.strip(),
            )
        )
