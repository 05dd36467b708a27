"""Run the enabled rules over one parsed file in a single batched traversal."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst

from flasklint_headers.config import Settings
from flasklint_headers.context import FileContext
from flasklint_headers.findings import Finding
from flasklint_headers.model import FileModel
from flasklint_headers.rules.base import Rule
from flasklint_headers.source import SourceFile
from flasklint_headers.walk import walk

Callback = Callable[[cst.CSTNode], object]


@dataclass(frozen=True)
class RuleCrash:
    """A rule raised on a file; reported as a diagnostic instead of stopping the run."""

    code: str
    error: str


class BatchedVisitor(cst.CSTVisitor):
    """Dispatch every node to the ``visit_*``/``leave_*`` methods of all rules at once."""

    def __init__(
        self,
        rules: Sequence[Rule],
        ctx: FileContext,
        rule_times: dict[str, float] | None = None,
    ) -> None:
        self.ctx = ctx
        self.crashes: list[RuleCrash] = []
        # Seconds spent in each rule's callbacks, collected only for ``-v``.
        self.rule_times = rule_times
        self._visits: dict[str, list[tuple[Rule, Callback]]] = defaultdict(list)
        self._leaves: dict[str, list[tuple[Rule, Callback]]] = defaultdict(list)
        self._disabled: set[str] = set()
        for rule in rules:
            for attr in type(rule).visitor_methods():
                kind, _, node_type = attr.partition("_")
                table = self._visits if kind == "visit" else self._leaves
                table[node_type].append((rule, getattr(rule, attr)))

    def _call(self, entries: list[tuple[Rule, Callback]], node: cst.CSTNode) -> None:
        if self.rule_times is not None:
            self._call_timed(entries, node, self.rule_times)
            return
        for rule, callback in entries:
            if rule.code in self._disabled:
                continue
            try:
                callback(node)
            except Exception as exc:  # one broken rule must not hide the other findings
                self._disabled.add(rule.code)
                self.crashes.append(RuleCrash(rule.code, f"{type(exc).__name__}: {exc}"))

    def _call_timed(
        self, entries: list[tuple[Rule, Callback]], node: cst.CSTNode, times: dict[str, float]
    ) -> None:
        for entry in entries:
            start = time.perf_counter()
            self._call_one(*entry, node)
            code = entry[0].code
            times[code] = times.get(code, 0.0) + time.perf_counter() - start

    def _call_one(self, rule: Rule, callback: Callback, node: cst.CSTNode) -> None:
        if rule.code in self._disabled:
            return
        try:
            callback(node)
        except Exception as exc:  # one broken rule must not hide the other findings
            self._disabled.add(rule.code)
            self.crashes.append(RuleCrash(rule.code, f"{type(exc).__name__}: {exc}"))

    def ignores_leaf(self, node_type: type) -> bool:
        """No rule looks at nodes of this leaf type: ``walk`` need not enter them.

        Leaves never enclose another node, so leaving them off ``ctx.stack`` is
        invisible to every callback.
        """
        name = node_type.__name__
        return name not in self._visits and name not in self._leaves

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.ctx.stack.append(node)
        node_type = type(node)
        if node_type in _SCOPE_TYPES:
            self.ctx.scopes.append(node)
        entries = self._visits.get(node_type.__name__)
        if entries:
            self._call(entries, node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        node_type = type(original_node)
        entries = self._leaves.get(node_type.__name__)
        if entries:
            self._call(entries, original_node)
        self.ctx.stack.pop()
        if node_type in _SCOPE_TYPES:
            self.ctx.scopes.pop()


_SCOPE_TYPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def run_rules(
    source: SourceFile,
    module: cst.Module,
    model: FileModel,
    settings: Settings,
    rules: Sequence[type[Rule]],
    rule_times: dict[str, float] | None = None,
) -> tuple[list[Finding], list[RuleCrash]]:
    """All findings of ``rules`` on one file (before suppressions).

    ``rule_times`` (optional) accumulates seconds per rule code for ``-v``.
    """
    ctx = FileContext(source=source, module=module, model=model, settings=settings)
    instances = [rule(ctx) for rule in rules]
    visitor = BatchedVisitor(instances, ctx, rule_times)
    walk(module, visitor)
    findings = sorted(ctx.findings, key=lambda f: f.sort_key)
    crashes = visitor.crashes
    # Rules keep state that can point back at them (bound methods, closures):
    # break it, so that the file's tree is freed when the project lets go of it.
    for instance in instances:
        instance.__dict__.clear()
    visitor.__dict__.clear()
    ctx.__dict__.clear()
    return findings, crashes
