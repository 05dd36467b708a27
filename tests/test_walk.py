"""``walk.walk`` must call visitors exactly as libcst's own ``visit`` does, on code nodes."""

from __future__ import annotations

import functools
import sys
import sysconfig
from pathlib import Path

import libcst as cst
import pytest

from flasklint_headers.walk import is_leaf, walk

ROOT = Path(__file__).resolve().parent.parent
# Real code with every construct Python has: the standard library, our fixtures and package.
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = sorted(
    [
        *STDLIB.glob("*.py"),
        *(ROOT / "fixtures").rglob("*.py"),
        *(ROOT / "flasklint_headers").rglob("*.py"),
    ]
)


class _Recorder(cst.CSTVisitor):
    """Records every visit/leave by node identity (generic hooks)."""

    def __init__(self, skip: type | None = None) -> None:
        self.events: list[tuple[str, int]] = []
        self.nodes: dict[int, cst.CSTNode] = {}
        self.skip = skip

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        self.nodes[id(node)] = node
        return not (self.skip is not None and isinstance(node, self.skip))

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class _TypedRecorder(cst.CSTVisitor):
    """Records through typed hooks only (the fast path of ``walk``)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.events.append(("visit", id(node)))

    def leave_Call(self, original_node: cst.Call) -> None:
        self.events.append(("leave", id(original_node)))

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("visit", id(node)))

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.events.append(("visit", id(node)))
        return False  # children skipped, as in libcst

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.events.append(("visit", id(node)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.events.append(("leave", id(original_node)))


def _parse(path: Path) -> cst.Module | None:
    try:
        return cst.parse_module(path.read_bytes())
    except Exception:  # fixtures of bad input, files libcst cannot read
        return None


@functools.lru_cache(maxsize=1)
def _sample_modules(limit: int) -> list[tuple[Path, cst.Module]]:
    chosen = SAMPLES[:: max(1, len(SAMPLES) // limit)]
    parsed = [(path, _parse(path)) for path in chosen]
    return [(path, module) for path, module in parsed if module is not None]


@pytest.mark.parametrize("skip", [None, cst.FunctionDef, cst.Call])
def test_generic_hooks_match_libcst(skip: type | None) -> None:
    modules = _sample_modules(40)
    assert len(modules) > 30
    for path, module in modules:
        expected = _Recorder(skip)
        module.visit(expected)
        got = _Recorder(skip)
        walk(module, got)
        visited = {node_id for _, node_id in got.events}
        # The walk skips only trivia: whitespace, comments, punctuation, operators' spacing.
        kept = [event for event in expected.events if event[1] in visited]
        assert got.events == kept, path
        skipped = {type(expected.nodes[i]).__name__ for _, i in expected.events} - {
            type(got.nodes[i]).__name__ for _, i in got.events
        }
        assert not skipped & _CODE_TYPES, (path, skipped & _CODE_TYPES)


def test_typed_hooks_match_libcst() -> None:
    for path, module in _sample_modules(40):
        expected = _TypedRecorder()
        module.visit(expected)
        got = _TypedRecorder()
        walk(module, got)
        assert got.events == expected.events, path


# Node types any visitor of ours (rules and model) reacts to: the walk must reach all of them.
def _code_types() -> set[str]:
    import flasklint_headers.model  # noqa: F401  (load every visitor class)
    from flasklint_headers.rules import all_rules

    all_rules()
    names = {
        attr.partition("_")[2]
        for module in list(sys.modules.values())
        if getattr(module, "__name__", "").startswith("flasklint_headers")
        for cls in list(vars(module).values())
        if isinstance(cls, type)
        for attr in vars(cls)
        if attr.startswith(("visit_", "leave_"))
    }
    return {n for n in names if isinstance(getattr(cst, n, None), type)}


_CODE_TYPES = _code_types() | {"Name", "Call", "Attribute", "SimpleStatementLine", "Return"}


class _QuietLeavesRecorder(_Recorder):
    """A generic visitor that declares every leaf type but ``Name`` uninteresting."""

    def ignores_leaf(self, node_type: type) -> bool:
        return node_type is not cst.Name


def test_leaves_a_generic_visitor_ignores_are_not_entered() -> None:
    for path, module in _sample_modules(40):
        everything = _Recorder()
        walk(module, everything)
        got = _QuietLeavesRecorder()
        walk(module, got)
        visited = {node_id for _, node_id in got.events}
        assert got.events == [e for e in everything.events if e[1] in visited], path
        left_out = [everything.nodes[i] for _, i in everything.events if i not in visited]
        # Only leaves are left out: no node with code below it, and no name (it asked for them).
        assert all(is_leaf(type(node)) for node in left_out), path
        assert not any(isinstance(node, cst.Name) for node in left_out), path
        strings = [n for n in everything.nodes.values() if isinstance(n, cst.SimpleString)]
        assert all(id(n) not in visited for n in strings), path
