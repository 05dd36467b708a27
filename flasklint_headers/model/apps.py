"""Apps, blueprints, extensions and app-wide hooks across the project.

An app's identity is the ``Flask(...)`` call that creates it (module level or
inside a factory).  Every expression that can mean an app (a module global, a
factory local, ``create_app()``, a name imported from another module) is
traced back to that call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.index import IMPORT, PARAM, Scope, ScopedValue
from flasklint_headers.model.names import APP, BLUEPRINT, canonical

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel, ScopeNode
    from flasklint_headers.model.handlers import Handler
    from flasklint_headers.model.project import ProjectModel

_MAX_DEPTH = 12

# Extension classes whose construction/``init_app`` binds them to an app.
EXTENSION_KINDS = frozenset(
    {"flask_talisman.Talisman", "flask_cors.CORS", "flask_login.LoginManager", "flask_smorest.Api"}
)


@dataclass(eq=False)
class AppInfo:
    """One Flask application object."""

    model: FileModel = field(repr=False)
    call: cst.Call = field(repr=False)  # the ``Flask(...)`` call: report app-level findings here
    scope: ScopeNode = field(repr=False)  # module or factory function the call is in
    name: str | None = None  # the name it is bound to there, if any

    @property
    def label(self) -> str:
        where = self.model.module_name or "<module>"
        return f"{where}:{self.name or 'app'}"


@dataclass(eq=False)
class ExtensionInit:
    """``Talisman(app, **opts)`` or ``ext.init_app(app, **opts)`` (+ the constructor's options)."""

    kind: str  # canonical class name
    model: FileModel = field(repr=False)
    call: cst.Call = field(repr=False)  # the call that binds it to the app (report here)
    scope: ScopeNode = field(repr=False)
    # Keyword arguments of the constructor and of init_app, init_app winning.
    options: dict[str, cst.BaseExpression] = field(default_factory=dict, repr=False)
    constructor: cst.Call | None = field(default=None, repr=False)
    # Order of the binding call within its module (used for hook ordering).
    order: int = 0


@dataclass(eq=False)
class HookInfo:
    """An app-wide hook of one app.  ``model`` holds ``function``.

    ``position``: when it is attached during the app's setup (``model/ordering.py``);
    None when the order cannot be known.
    """

    model: FileModel
    function: cst.FunctionDef
    handler: Handler
    position: tuple[int, ...] | None = None


@dataclass(eq=False)
class BlueprintEdge:
    """``X.register_blueprint(bp)`` attaching the blueprint created by ``blueprint`` to ``app``.

    ``model``/``scope``/``call``: where the ``register_blueprint`` call is.  ``parent`` is the
    edge of the parent blueprint when ``X`` is itself a blueprint (nested blueprints).
    """

    app: AppInfo
    blueprint: cst.Call = field(repr=False)
    model: FileModel = field(repr=False)
    scope: ScopeNode = field(repr=False)
    call: cst.Call = field(repr=False)
    parent: BlueprintEdge | None = field(default=None, repr=False)


def trace_app_call(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
) -> tuple[FileModel, cst.Call, ScopeNode] | None:
    """The ``Flask(...)`` call ``expr`` evaluates to, through names, imports and factories."""
    return trace_instance(model, expr, scope, APP)


def trace_instance(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode, kind: str, depth: int = 0
) -> tuple[FileModel, cst.Call, ScopeNode] | None:
    """The constructor call of class ``kind`` that ``expr`` evaluates to (the first found)."""
    found = trace_instances(model, expr, scope, kind, depth)
    return found[0] if found else None


def trace_instances(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode, kind: str, depth: int = 0
) -> list[tuple[FileModel, cst.Call, ScopeNode]]:
    """Every constructor call of class ``kind`` that ``expr`` may evaluate to.

    Follows names, imports of project modules, factory functions (their
    returns), and unannotated parameters of module-level functions through
    their call sites in the project (``def register(app): ...`` called as
    ``register(app)`` in a factory).
    """
    if depth > _MAX_DEPTH:
        return []
    project = model.project
    if isinstance(expr, cst.Call):
        callee = model.qualified_name(expr.func, scope)
        if callee is None:
            # ``class CustomFlask(Flask)`` defined in the factory itself.
            return (
                [(model, expr, scope)] if model.local_class_base(expr.func, scope) == kind else []
            )
        if project.known_base_of_class(callee) == kind:
            return [(model, expr, scope)]
        definition = project.definition(callee)
        if definition is not None and isinstance(definition[1], cst.FunctionDef):
            target_model, func = definition
            for ret in target_model.scope_of_function(func).returns:
                if ret.value is not None:
                    found = trace_instances(target_model, ret.value, func, kind, depth + 1)
                    if found:
                        return found
        return []
    if isinstance(expr, cst.Name):
        binding_scope: Scope | None = model._binding_scope(expr.value, scope)
        if binding_scope is None:
            return []
        results: list[tuple[FileModel, cst.Call, ScopeNode]] = []
        for value in binding_scope.bindings[expr.value]:
            if value == IMPORT:
                binding = model.index.imports.get(expr.value)
                if binding is not None:
                    results += _trace_symbol_all(
                        project, canonical(binding.target), kind, depth + 1
                    )
            elif value == PARAM and isinstance(binding_scope.node, cst.FunctionDef):
                instances = _instances_of_self(model, binding_scope.node, expr.value, kind)
                if instances is not None:
                    results += instances
                    continue
                for arg_model, arg, arg_scope in project.call_site_arguments(
                    model, binding_scope.node, expr.value
                ):
                    results += trace_instances(arg_model, arg, arg_scope, kind, depth + 1)
            elif isinstance(value, cst.BaseExpression):
                node = binding_scope.node
                owner = None if isinstance(node, cst.Module) else node
                results += trace_instances(model, value, owner, kind, depth + 1)
            elif isinstance(value, ScopedValue):
                results += trace_instances(model, value.value, value.scope, kind, depth + 1)
        return _unique(results)
    if isinstance(expr, cst.Attribute):
        qualified = model.qualified_name(expr, scope)
        if qualified:
            return _trace_symbol_all(project, qualified, kind, depth + 1)
        found = []
        for value, method in model.instance_attribute_values(expr, scope):
            found += trace_instances(model, value, method, kind, depth + 1)
        return _unique(found)
    return []


def _instances_of_self(
    model: FileModel, func: cst.FunctionDef, param: str, kind: str
) -> list[tuple[FileModel, cst.Call, ScopeNode]] | None:
    """``self`` in a method of a ``Flask`` subclass: every app built from that class or a
    subclass of it (``class WikiApp(Flask)``, ``app = WikiApp()``).  None: not such a ``self``."""
    cls = model.instance_class(func, param)
    project = model.project
    if kind != APP or cls is None or project.known_base_of_class(cls) != APP:
        return None
    found = []
    for app in project.apps():
        callee = app.model.qualified_name(app.call.func, _scope_or_none(app.scope))
        if callee is not None and project.derives_from(callee, cls):
            found.append((app.model, app.call, _scope_or_none(app.scope)))
    return found


def _scope_or_none(scope: ScopeNode | cst.Module) -> ScopeNode:
    return None if isinstance(scope, cst.Module) else scope


def _unique(
    found: list[tuple[FileModel, cst.Call, ScopeNode]],
) -> list[tuple[FileModel, cst.Call, ScopeNode]]:
    seen: set[int] = set()
    result = []
    for item in found:
        if id(item[1]) not in seen:
            seen.add(id(item[1]))
            result.append(item)
    return result


def _trace_symbol_all(
    project: ProjectModel, qualified: str, kind: str, depth: int
) -> list[tuple[FileModel, cst.Call, ScopeNode]]:
    split = project.split_symbol(qualified)
    if split is None:
        attribute = project.class_attribute(qualified)  # ``Service.blueprint``
        if attribute is None:
            return []
        target_model, cls, value = attribute
        return trace_instances(target_model, value, cls, kind, depth)
    target_model, attr = split
    return trace_instances(target_model, cst.Name(attr), None, kind, depth)


def find_apps(project: ProjectModel) -> list[AppInfo]:
    apps: list[AppInfo] = []
    for model in project.all_modules():
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            named: set[int] = set()  # ``app = flask_app = Flask(...)`` is one app
            for name, values in scope.bindings.items():
                for value in values:
                    if (
                        isinstance(value, cst.Call)
                        and id(value) not in named
                        and _creates_app(model, value, scope.node)
                    ):
                        named.add(id(value))
                        apps.append(AppInfo(model, value, scope.node, name))
            # ``Flask(__name__)`` not bound to a name: a bare call, a factory's
            # ``return Flask(__name__)``, or ``self.app = Flask(__name__)`` (cellxgene).
            returned = [r.value for r in scope.returns if isinstance(r.value, cst.Call)]
            attributes = [
                e.value
                for e in scope.effects
                if isinstance(e, cst.Assign)
                and isinstance(e.value, cst.Call)
                and id(e.value) not in named
                and all(isinstance(t.target, cst.Attribute) for t in e.targets)
            ]
            for call in [*scope.calls, *returned, *attributes]:
                if _creates_app(model, call, scope.node):  # type: ignore[arg-type]
                    apps.append(AppInfo(model, call, scope.node, None))  # type: ignore[arg-type]
    return apps


def _creates_app(model: FileModel, call: cst.Call, scope: ScopeNode) -> bool:
    callee = model.qualified_name(call.func, scope)
    if callee is None:
        return model.local_class_base(call.func, scope) == APP
    return model.project.known_base_of_class(callee) == APP


def app_of(model: FileModel, expr: cst.BaseExpression, scope: ScopeNode) -> AppInfo | None:
    """The app an app-valued expression refers to (None when unknown)."""
    traced = trace_app_call(model, expr, scope)
    if traced is None:
        return None
    for app in model.project.apps():
        if app.call is traced[1]:
            return app
    return None


def apps_of(model: FileModel, expr: cst.BaseExpression, scope: ScopeNode) -> list[AppInfo]:
    """Every app an app-valued expression may refer to (a helper's ``app`` param: several)."""
    calls = {id(call) for _, call, _ in trace_instances(model, expr, scope, APP)}
    return model.project.apps_created_by(calls) if calls else []


def apps_of_owner(model: FileModel, owner: cst.BaseExpression, scope: ScopeNode) -> list[AppInfo]:
    """Apps that a registration target (app, blueprint or ``current_app``) belongs to."""
    kind = model.kind_of(owner, scope)
    project = model.project
    if kind == APP:
        found = apps_of(model, owner, scope)
        if found:
            return found
        apps = project.linked_apps(model)
        return list(apps) if len(apps) == 1 else []
    if kind == BLUEPRINT:
        return project.apps_of_blueprint(model, owner, scope)
    return []


def _extension_kind(model: FileModel, call: cst.Call, scope: ScopeNode) -> str | None:
    callee = model.qualified_name(call.func, scope)
    if callee is None:
        return None
    known = model.project.known_base_of_class(callee)
    return known if known in EXTENSION_KINDS else None


def _keywords(call: cst.Call, skip: str = "app") -> dict[str, cst.BaseExpression]:
    return {
        a.keyword.value: a.value
        for a in call.args
        if a.keyword is not None and a.keyword.value != skip
    }


def app_argument(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "app":
            return arg.value
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        return call.args[0].value
    return None


def _scope_calls(scope: Scope) -> list[cst.Call]:
    calls = list(scope.calls)
    for values in scope.bindings.values():
        calls.extend(v for v in values if isinstance(v, cst.Call))
    return calls


def find_extension_inits(project: ProjectModel) -> list[tuple[AppInfo, ExtensionInit]]:
    """Every extension bound to an app, by constructor or ``init_app``, across the project."""
    found: list[tuple[AppInfo, ExtensionInit]] = []
    for model in project.all_modules():
        order = 0
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            scope_node = None if scope is model.index.root else scope.node
            for call in _scope_calls(scope):
                order += 1
                found.extend(_extension_init(model, call, scope_node, order))
    return found


def _extension_init(
    model: FileModel, call: cst.Call, scope: ScopeNode, order: int
) -> list[tuple[AppInfo, ExtensionInit]]:
    kind = _extension_kind(model, call, scope)
    constructor: cst.Call | None = call
    if kind is None:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "init_app"):
            return []
        kind = model.kind_of(func.value, scope)
        if kind not in EXTENSION_KINDS:
            return []
        traced = trace_instance(model, func.value, scope, kind)
        constructor = traced[1] if traced is not None else None
    app_arg = app_argument(call)
    if app_arg is None:
        return []
    options = _keywords(constructor) if constructor is not None and constructor is not call else {}
    options.update(_keywords(call))
    return [
        (app, ExtensionInit(kind, model, call, scope, dict(options), constructor, order))
        for app in apps_of(model, app_arg, scope)
    ]
