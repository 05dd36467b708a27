"""When, during an app's setup, a hook or extension is attached to it.

Flask appends app-wide ``after_request`` functions to one list as they are
registered and runs that list in *reverse* (``Flask.process_response``);
blueprint-only hooks run first, for their blueprint's requests.  Extensions
such as Talisman register their own ``after_request`` inside ``init_app``.
So "which hook runs last" is a question about registration order, which this
module answers with a *position*: a tuple compared lexicographically.

How a position is computed for a registration node N (a decorated ``def``,
a registering call, an ``init_app`` call) relative to one app:

* the app's *setup scope* is the scope of its ``Flask(...)`` call: the factory
  function, or the module of a module-level app.  Statements there are
  numbered in source order (bodies of ``if``/``with``/``try``/loops included;
  a nested ``def`` counts at its ``def`` line, where its decorators run);
* N in the setup scope: ``(index of N's statement,)``;
* N in a helper function called from the setup scope (``register_hooks(app)``):
  the position of the call, extended by N's index inside the helper
  (followed through several levels of helpers);
* a blueprint's ``after_app_request``/``before_app_request``/... hook: Flask
  defers it until ``register_blueprint``, so the position of the
  ``register_blueprint`` call, extended by the hook's index in its module;
* N at module level of another module, for a module-level app: the position of
  the statement in the app's module that imports that module, extended by N's
  index there (the usual ``from . import views`` at the bottom);
* anything else: ``None`` (unknown order; rules must not rely on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.index import resolve_relative
from flasklint_headers.model.names import dotted_name
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.apps import AppInfo
    from flasklint_headers.model.file_model import FileModel, ScopeNode

Position = tuple[int, ...]
_MAX_DEPTH = 6


class _StatementNumbering(cst.CSTVisitor):
    """Number the statements of one scope; map registration nodes to their statement."""

    def __init__(self, model: FileModel) -> None:
        self.model = model
        self.index: dict[int, int] = {}
        self.imported: dict[str, int] = {}
        self._current = -1
        self._counter = 0

    def _statement(self) -> None:
        self._current = self._counter
        self._counter += 1

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._statement()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.BaseCompoundStatement) and not isinstance(
            node, (cst.FunctionDef, cst.ClassDef)
        ):
            self._statement()
        return super().on_visit(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._statement()
        self.index[id(node)] = self._current
        for decorator in node.decorators:
            self.index[id(decorator.decorator)] = self._current
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._statement()
        self.index[id(node)] = self._current
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        self.index[id(node)] = self._current

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted_name(alias.name)
            if name:
                self.imported.setdefault(name, self._current)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        model = self.model
        base = dotted_name(node.module) if node.module is not None else ""
        absolute = resolve_relative(
            model.module_name, model.is_package, len(node.relative), base or ""
        )
        if absolute:
            self.imported.setdefault(absolute, self._current)
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted_name(alias.name)
            if name:
                full = f"{absolute}.{name}" if absolute else name
                self.imported.setdefault(full, self._current)


def numbering(model: FileModel, scope_node: ScopeNode) -> _StatementNumbering:
    """Statement numbering of a scope (module when ``scope_node`` is None), cached."""
    cache: dict[int, _StatementNumbering] = model.__dict__.setdefault("_numbering", {})
    model.project.note_answers(model)
    node = scope_node if scope_node is not None else model.module
    key = id(node)
    found = cache.get(key)
    if found is None:
        found = _StatementNumbering(model)
        if isinstance(node, cst.Module):
            for stmt in node.body:
                walk(stmt, found)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            walk(node.body, found)
        cache[key] = found
    return found


def _scope_key(model: FileModel, scope_node: ScopeNode) -> ScopeNode:
    return None if scope_node is None or isinstance(scope_node, cst.Module) else scope_node


def position_in_app(
    app: AppInfo, model: FileModel, scope_node: ScopeNode, node: cst.CSTNode, depth: int = 0
) -> Position | None:
    """Position of ``node`` (in ``scope_node`` of ``model``) in ``app``'s setup, or None."""
    if depth > _MAX_DEPTH:
        return None
    scope_node = _scope_key(model, scope_node)
    own = numbering(model, scope_node).index.get(id(node))
    if own is None:
        return None
    app_scope = _scope_key(app.model, app.scope)
    if model is app.model and scope_node is app_scope:
        return (own,)
    if isinstance(scope_node, cst.FunctionDef):
        return _through_callers(app, model, scope_node, own, depth)
    if scope_node is None and app_scope is None:
        imported_at = numbering(app.model, None).imported.get(model.module_name)
        if imported_at is not None and model.module_name:
            return (imported_at, own)
    return None


def _through_callers(
    app: AppInfo, model: FileModel, func: cst.FunctionDef, own: int, depth: int
) -> Position | None:
    """A helper's registration happens when the helper is called during setup."""
    project = model.project
    scope = model.index.scope_of.get(func)
    if scope is None or scope.parent is None or scope.parent.is_class:
        return None
    if scope.parent is model.index.root:
        if not model.module_name:
            return None
        sites = project.call_sites(f"{model.module_name}.{func.name.value}")
    else:
        parent = scope.parent.node
        sites = [
            (model, call, parent)
            for call in scope.parent.calls
            if isinstance(call.func, cst.Name) and call.func.value == func.name.value
        ]
    for site_model, call, site_scope in sites:
        found = position_in_app(app, site_model, site_scope, call, depth + 1)  # type: ignore[arg-type]
        if found is not None:
            return (*found, own)
    return None
