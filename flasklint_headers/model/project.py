"""The project pass: links the modules of one project together.

It answers cross-file questions: what a name imported from another project
module is (``from .extensions import talisman``), what a factory returns, which
project classes subclass Flask / Response / MethodView.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import libcst as cst

from flasklint_headers.disjoint import DisjointSets
from flasklint_headers.model.app_config import AppConfig, collect_configs
from flasklint_headers.model.apps import (
    AppInfo,
    BlueprintEdge,
    ExtensionInit,
    HookInfo,
    app_of,
    apps_of,
    apps_of_owner,
    find_apps,
    find_extension_inits,
    trace_instance,
)
from flasklint_headers.model.helpers import find_response_helpers
from flasklint_headers.model.index import IMPORT, Scope, plain_methods
from flasklint_headers.model.names import (
    APP,
    BLUEPRINT,
    BLUEPRINT_REGISTRATIONS,
    INSTANCE_CLASSES,
    RESPONSE_CLASSES,
    RESTFUL_BASES,
    SMOREST_API,
    VIEW_BASES,
    canonical,
)
from flasklint_headers.model.ordering import numbering, position_in_app

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel, ScopeNode
    from flasklint_headers.model.handlers import Handler

_KNOWN_BASES = INSTANCE_CLASSES | RESPONSE_CLASSES | RESTFUL_BASES | VIEW_BASES
_MAX_HOPS = 10


def _scope_or_none(node: cst.CSTNode | None) -> ScopeNode:
    return None if node is None or isinstance(node, cst.Module) else node  # type: ignore[return-value]


def _statement_calls(scope: Scope) -> list[cst.Call]:
    """Calls that are whole statements or assigned values in ``scope``."""
    calls = list(scope.calls)
    for values in scope.bindings.values():
        calls.extend(v for v in values if isinstance(v, cst.Call))
    return calls


def _param_position(func: cst.FunctionDef, param: str) -> int | None:
    """Positional index of ``param`` (-1 for keyword-only), None when not a parameter."""
    positional = [*func.params.posonly_params, *func.params.params]
    for index, item in enumerate(positional):
        if item.name.value == param:
            return index
    if any(item.name.value == param for item in func.params.kwonly_params):
        return -1
    return None


def _argument_for(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = []
    for arg in call.args:
        if arg.star:
            break  # positions after *args are unknown
        if arg.keyword is None:
            positional.append(arg.value)
    if 0 <= position < len(positional):
        return positional[position]
    return None


def _outside_call_site_arguments(
    model: FileModel, class_scope: Scope, method: cst.FunctionDef, param: str, position: int
) -> list[tuple[FileModel, cst.BaseExpression, ScopeNode]]:
    """Constructor calls (for ``__init__``) and calls on instances of a module-level class."""
    if class_scope.parent is not model.index.root or not isinstance(class_scope.node, cst.ClassDef):
        return []
    name = class_scope.node.name.value
    qualified = f"{model.module_name}.{name}" if model.module_name else name
    project = model.project
    if method.name.value == "__init__":
        sites = project.call_sites(qualified) if model.module_name else []
    else:
        sites = [
            (site_model, call, site_scope)
            for site_model, call, site_scope in project.attribute_call_sites(method.name.value)
            if isinstance(call.func, cst.Attribute)
            and project.is_instance_of(site_model, call.func.value, site_scope, qualified)
        ]
    found: list[tuple[FileModel, cst.BaseExpression, ScopeNode]] = []
    for site_model, call, site_scope in sites:
        arg = _argument_for(call, position - 1, param)
        if arg is not None:
            found.append((site_model, arg, site_scope))
    return found


def _method_call_site_arguments(
    model: FileModel, class_scope: Scope, method: cst.FunctionDef, param: str, position: int
) -> list[tuple[FileModel, cst.BaseExpression, ScopeNode]]:
    """What callers pass for ``param`` of a plain method (the first parameter is the
    instance): ``self.method(...)`` in the class's own methods, and from anywhere in the
    project the constructor for ``__init__`` (``Helmet(app)``) or a call on an instance
    (``helmet.init_app(app)`` with ``helmet = Helmet()``).  Calls from subclasses are
    not followed.
    """
    if position == 0 or any(
        isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
        for d in method.decorators
    ):
        return []
    found = _outside_call_site_arguments(model, class_scope, method, param, position)
    for caller, instance in plain_methods(model.index, class_scope):
        for call in _statement_calls(caller):
            func = call.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value == method.name.value
                and isinstance(func.value, cst.Name)
                and func.value.value == instance
            ):
                arg = _argument_for(call, position - 1 if position > 0 else position, param)
                if arg is not None:
                    found.append((model, arg, caller.node))  # type: ignore[arg-type]
    return found


def module_name_for(path: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` from its package structure, and whether it is a package."""
    path = path.resolve()
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").exists():
        parts.insert(0, directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(parts), is_package


T = TypeVar("T")


class ProjectModel:
    def __init__(self) -> None:
        self.modules: dict[str, FileModel] = {}
        self._unnamed: list[FileModel] = []
        self._guard: set[tuple[str, str]] = set()
        self._apps: list[AppInfo] | None = None
        self._edges: list[tuple[AppInfo, cst.Call]] | None = None
        self._extensions: list[tuple[AppInfo, ExtensionInit]] | None = None
        self._configs: tuple[dict[int, AppConfig], dict[int, AppConfig]] | None = None
        self._call_sites: dict[str, list[tuple[FileModel, cst.Call, ScopeNode]]] | None = None
        self._attribute_call_sites: (
            dict[str, list[tuple[FileModel, cst.Call, ScopeNode]]] | None
        ) = None
        self._registrations: dict[int, dict[cst.FunctionDef, Handler]] | None = None
        self._class_routes: dict[str, list[str]] | None = None
        self._answered: dict[int, FileModel] = {}
        self._all_modules: list[FileModel] | None = None
        self._resolved_symbols: dict[str, str] = {}
        self._known_bases: dict[str, str | None] = {}
        self._linked: tuple[dict[int, list[FileModel]], dict[int, list[AppInfo]]] | None = None
        # Facts rules derive from the model (``remember``), dropped when a module changes.
        self._remembered: dict[object, object] = {}

    def _invalidate(self) -> None:
        self._all_modules = None
        self._resolved_symbols = {}
        self._known_bases = {}
        self._linked = None
        self._remembered = {}
        self._apps = None
        self._edges = None
        self._extensions = None
        self._configs = None
        self._call_sites = None
        self._attribute_call_sites = None
        self._registrations = None
        self._class_routes = None
        # Per-module answers can depend on other modules (re-exports, registrations
        # from elsewhere, project Response subclasses): drop them too.
        for model in self._answered.values():
            model.forget_project_answers()
        self._answered = {}

    def release(self) -> None:
        """Drop every module, tree and cached answer (the run is done with this project).

        The model is full of reference cycles (modules point to the project and
        back, answers point to modules); breaking them lets reference counting
        free millions of syntax nodes at once instead of leaving them to a full
        garbage collection.  The object must not be used afterwards.
        """
        for model in self.all_modules():
            model.__dict__.clear()
        self.__dict__.clear()

    def note_answers(self, model: FileModel) -> None:
        """``model`` cached answers that may depend on other modules (see ``_invalidate``)."""
        self._answered[id(model)] = model

    def add_module(
        self,
        module: cst.Module,
        path: Path | None,
        module_name: str | None = None,
        *,
        replace: bool = False,
    ) -> FileModel:
        """Model ``module``; ``replace=True`` swaps in a new version of a known module (fixes)."""
        model = self._register(module, path, module_name, replace)
        self._invalidate()
        return model

    def replace_modules(self, modules: Sequence[tuple[cst.Module, Path | None]]) -> list[FileModel]:
        """Swap in new versions of known modules, all at once (one ``--fix`` pass).

        Every cached answer is dropped once, not once per module: re-deriving the
        project-wide facts costs time in proportion to the project, so dropping
        them per module made fixing a large link group quadratic.
        """
        models = [self._register(module, path, None, replace=True) for module, path in modules]
        if models:
            self._invalidate()
        return models

    def _register(
        self, module: cst.Module, path: Path | None, module_name: str | None, replace: bool
    ) -> FileModel:
        from flasklint_headers.model.file_model import FileModel

        if module_name is None:
            module_name, is_package = module_name_for(path) if path is not None else ("", False)
        else:
            is_package = path is not None and path.name == "__init__.py"
        model = FileModel(module, module_name, is_package, self)
        registered = self.modules.get(module_name) if module_name else None
        if module_name and (registered is None or (replace and registered.path == path)):
            self.modules[module_name] = model
        else:
            # Unnamed files, and files whose module name an earlier file took (two
            # ``app.py`` scripts in different folders): still part of the project.
            self._unnamed = [m for m in self._unnamed if not (replace and m.path == path)]
            self._unnamed.append(model)
        model.path = path
        return model

    # -- symbols ------------------------------------------------------------------------------
    def all_modules(self) -> list[FileModel]:
        """Every modelled module of the project (named ones, plus unnamed single files)."""
        if self._all_modules is None:
            seen = {id(m): m for m in self.modules.values()}
            for model in self._unnamed:
                seen.setdefault(id(model), model)
            self._all_modules = list(seen.values())
        return list(self._all_modules)

    def split_symbol(self, qualified: str) -> tuple[FileModel, str] | None:
        """``(module model, attr)`` for ``pkg.mod.attr`` when ``pkg.mod`` is a project module."""
        return self._split(qualified)

    def definition(self, qualified: str) -> tuple[FileModel, cst.FunctionDef | cst.ClassDef] | None:
        """The module-level ``def``/``class`` a qualified name refers to, if in the project."""
        return self._definition(qualified)

    # -- apps, blueprints, extensions, hooks, config -------------------------------------------
    def apps(self) -> list[AppInfo]:
        """Every ``Flask(...)`` app object in the project."""
        if self._apps is None:
            self._apps = find_apps(self)
        return self._apps

    def apps_created_by(self, call_ids: set[int]) -> list[AppInfo]:
        """The apps whose ``Flask(...)`` call is one of ``call_ids``, in ``apps()`` order."""
        by_call = self.remember("apps-by-call", self._apps_by_call)
        found = [app for call_id in call_ids for app in by_call.get(call_id, ())]
        if len(found) > 1:
            order = self.remember(
                "app-order", lambda: {id(a): i for i, a in enumerate(self.apps())}
            )
            found.sort(key=lambda app: order[id(app)])
        return found

    def _apps_by_call(self) -> dict[int, list[AppInfo]]:
        by_call: dict[int, list[AppInfo]] = {}
        for app in self.apps():
            by_call.setdefault(id(app.call), []).append(app)
        return by_call

    def remember(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` once until the project changes (for facts rules derive from the model)."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        return self._remembered[key]  # type: ignore[return-value]

    def linked_modules(self, model: FileModel) -> list[FileModel]:
        """The modules linked to ``model`` through imports, either direction (itself included).

        Questions that search "the whole project" for something not reached by
        name (the only app, any ``init_app``, cookies set elsewhere, the
        package's modules) search this set instead.  Modules are linked when one
        imports the other or one of its names, the relation the runner's link
        groups are made of: a run only ever separates unlinked sets, so these
        answers never depend on what else was checked in the same run or
        process.
        """
        return self._components()[0].get(id(model), [model])

    def linked_apps(self, model: FileModel) -> list[AppInfo]:
        """The apps created in modules linked to ``model`` (see ``linked_modules``)."""
        return self._components()[1].get(id(model), [])

    def _components(self) -> tuple[dict[int, list[FileModel]], dict[int, list[AppInfo]]]:
        if self._linked is None:
            modules = self.all_modules()
            by_id = {id(m): m for m in modules}
            sets = DisjointSets(by_id)
            for model in modules:
                for binding in model.index.all_imports:
                    target = binding.target
                    linked = self.modules.get(target) or self.modules.get(target.rpartition(".")[0])
                    if linked is not None and id(linked) in sets:
                        sets.union(id(model), id(linked))
            members = {root: [by_id[i] for i in ids] for root, ids in sets.groups().items()}
            apps: dict[int, list[AppInfo]] = {}
            for app in self.apps():
                if id(app.model) in sets:
                    apps.setdefault(sets.find(id(app.model)), []).append(app)
            self._linked = (
                {key: members[sets.find(key)] for key in by_id},
                {key: apps.get(sets.find(key), []) for key in by_id},
            )
        return self._linked

    def app_of(
        self, model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
    ) -> AppInfo | None:
        """The app an expression refers to (``app``, ``create_app()``, an imported ``app``)."""
        return app_of(model, expr, scope)

    def apps_of_blueprint(
        self, model: FileModel, bp: cst.BaseExpression, scope: ScopeNode
    ) -> list[AppInfo]:
        """Apps a blueprint is registered on (``app.register_blueprint(bp)``), across files."""
        traced = trace_instance(model, bp, scope, BLUEPRINT)
        if traced is None:
            return []
        return [app for app, bp_call in self._blueprint_edges() if bp_call is traced[1]]

    def _blueprint_edges(self) -> list[tuple[AppInfo, cst.Call]]:
        return [(edge.app, edge.blueprint) for edge in self.blueprint_registrations()]

    def blueprint_registrations(self) -> list[BlueprintEdge]:
        """Every ``register_blueprint`` that attaches a blueprint to an app, across files.

        A blueprint registered on another blueprint is attached to every app the
        parent is registered on (through the parent's ``register_blueprint`` call).
        """
        if self._edges is None:
            direct: list[BlueprintEdge] = []
            nested: list[tuple[cst.Call, FileModel, ScopeNode, cst.Call, cst.BaseExpression]] = []
            for model in self.all_modules():
                for scope in model.index.scopes:
                    if scope.is_class:
                        continue
                    scope_node = None if scope is model.index.root else scope.node
                    for call in scope.calls:
                        self._blueprint_edge(model, scope_node, call, direct, nested)
            edges = list(direct)
            for _ in range(_MAX_HOPS):  # parents first; nesting is shallow
                added = False
                for bp_call, model, scope_node, call, parent in nested:
                    parent_bp = trace_instance(model, parent, scope_node, BLUEPRINT)
                    if parent_bp is None:
                        continue
                    for edge in list(edges):
                        if edge.blueprint is not parent_bp[1]:
                            continue
                        new = BlueprintEdge(edge.app, bp_call, model, scope_node, call, edge)
                        if not any(
                            e.app is new.app and e.blueprint is bp_call and e.call is call
                            for e in edges
                        ):
                            edges.append(new)
                            added = True
                if not added:
                    break
            self._edges = edges  # type: ignore[assignment]
        return self._edges  # type: ignore[return-value]

    def _blueprint_edge(
        self,
        model: FileModel,
        scope_node: ScopeNode,
        call: cst.Call,
        direct: list[BlueprintEdge],
        nested: list[tuple[cst.Call, FileModel, ScopeNode, cst.Call, cst.BaseExpression]],
    ) -> None:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in BLUEPRINT_REGISTRATIONS):
            return
        if not call.args or call.args[0].keyword is not None or call.args[0].star:
            return
        bp = trace_instance(model, call.args[0].value, scope_node, BLUEPRINT)
        if bp is None:
            return
        owner_kind = model.kind_of(func.value, scope_node)
        if owner_kind == APP:
            for app in apps_of(model, func.value, scope_node):
                direct.append(BlueprintEdge(app, bp[1], model, scope_node, call))
        elif owner_kind == BLUEPRINT:
            nested.append((bp[1], model, scope_node, call, func.value))
        elif owner_kind == SMOREST_API:
            # ``api = Api(app)``; ``api.register_blueprint(bp)`` registers it on ``app``.
            api = trace_instance(model, func.value, scope_node, SMOREST_API)
            for app, init in self._all_extension_inits() if api is not None else ():
                if init.kind == SMOREST_API and init.constructor is api[1]:  # type: ignore[index]
                    direct.append(BlueprintEdge(app, bp[1], model, scope_node, call))

    def extension_inits(self, app: AppInfo, kind: str | None = None) -> list[ExtensionInit]:
        """``Talisman(app, …)``/``CORS(app, …)``/``ext.init_app(app, …)`` bound to ``app``."""
        return [
            init
            for owner, init in self._all_extension_inits()
            if owner is app and (kind is None or init.kind == kind)
        ]

    def _all_extension_inits(self) -> list[tuple[AppInfo, ExtensionInit]]:
        if self._extensions is None:
            self._extensions = find_extension_inits(self)
        return self._extensions

    def app_hooks(
        self, app: AppInfo, kinds: tuple[str, ...] = ("after_request",)
    ) -> list[HookInfo]:
        """App-wide hooks of ``app`` in registration order (see ``model/ordering.py``).

        Includes hooks registered on the app in any module (decorator or call form,
        in helpers called from the factory) and ``after_app_request``-style hooks of
        blueprints registered on it.  Hooks whose order cannot be known
        (``HookInfo.position is None``) come last.  Flask runs ``after_request``
        hooks in the REVERSE of this order.
        """
        hooks: list[HookInfo] = []
        for model in self.all_modules():
            for func, handler in model.handlers().items():
                if handler.kind not in kinds or not handler.app_wide or handler.owner is None:
                    continue
                owner_model = handler.owner_model or model
                owner_scope = _scope_or_none(handler.owner_scope)
                if app in apps_of_owner(owner_model, handler.owner, owner_scope):
                    position = self.hook_position(app, owner_model, handler)
                    hooks.append(HookInfo(model, func, handler, position))
        return sorted(hooks, key=lambda h: (h.position is None, h.position or ()))

    def apps_of_handler(self, model: FileModel, func: cst.FunctionDef) -> list[AppInfo]:
        """Apps a handler of ``model`` is registered on (through its blueprint), or [] if unknown.

        Class-based views, ``@after_this_request`` and ``@expose`` have no owner: [],
        except Flask-RESTX resources routed on an ``Api(app)`` (``@api.route``).
        """
        handler = model.handler(func)
        if handler is not None and handler.owner is None and handler.kind == "restful":
            from flasklint_headers.model.providers import api_apps

            return api_apps(model, func)
        if handler is None or handler.owner is None:
            return []
        owner_model = handler.owner_model or model
        return apps_of_owner(owner_model, handler.owner, _scope_or_none(handler.owner_scope))

    def hook_position(
        self, app: AppInfo, owner_model: FileModel, handler: Handler
    ) -> tuple[int, ...] | None:
        """When ``handler`` is attached to ``app`` during setup (None when unknown)."""
        node = handler.registration
        if node is None or handler.owner is None:
            return None
        scope = _scope_or_none(handler.owner_scope)
        if handler.owner_kind != BLUEPRINT:
            return position_in_app(app, owner_model, scope, node)
        own = numbering(owner_model, scope).index.get(id(node))
        traced = trace_instance(owner_model, handler.owner, scope, BLUEPRINT)
        if own is None or traced is None:
            return None
        for edge in self.blueprint_registrations():
            if edge.app is app and edge.blueprint is traced[1]:
                found = self.edge_position(edge)
                if found is not None:
                    return (*found, own)
        return None

    def edge_position(self, edge: BlueprintEdge) -> tuple[int, ...] | None:
        """When a blueprint registration takes effect in its app's setup."""
        if edge.parent is None:
            return position_in_app(edge.app, edge.model, edge.scope, edge.call)
        parent = self.edge_position(edge.parent)
        if parent is None:
            return None
        own = numbering(edge.model, edge.scope).index.get(id(edge.call))
        return (*parent, own) if own is not None else None

    def registration_position(
        self, app: AppInfo, model: FileModel, scope: ScopeNode, node: cst.CSTNode
    ) -> tuple[int, ...] | None:
        """Position of any registering node (call, decorator) in ``app``'s setup, or None."""
        return position_in_app(app, model, _scope_or_none(scope), node)

    def extension_position(self, app: AppInfo, init: ExtensionInit) -> tuple[int, ...] | None:
        """When an extension's ``init_app``/constructor runs in ``app``'s setup (or None)."""
        return position_in_app(app, init.model, _scope_or_none(init.scope), init.call)

    def config(self, app: AppInfo) -> AppConfig:
        """Effective config of ``app`` (see ``AppConfig.get``)."""
        configs = self._all_configs()[0]
        cached = configs.get(id(app))
        if cached is None:
            cached = configs[id(app)] = AppConfig()
        return cached

    def unowned_config(self, model: FileModel) -> AppConfig | None:
        """Config writes in ``model`` on a ``.config`` no app could be traced to."""
        return self._all_configs()[1].get(id(model))

    def _all_configs(self) -> tuple[dict[int, AppConfig], dict[int, AppConfig]]:
        if self._configs is None:
            self._configs = collect_configs(self)
        return self._configs

    def _split(self, qualified: str) -> tuple[FileModel, str] | None:
        module_name, _, attr = qualified.rpartition(".")
        model = self.modules.get(module_name)
        if model is None or not attr:
            return None
        return model, attr

    def resolve_symbol(self, qualified: str) -> str:
        """Follow re-exports (``pkg.compat.Response`` -> ``flask.Response``)."""
        known = self._resolved_symbols.get(qualified)
        if known is None:
            known = self._resolve_symbol(qualified)
            self._resolved_symbols[qualified] = known
        return known

    def _resolve_symbol(self, qualified: str) -> str:
        for _ in range(_MAX_HOPS):
            split = self._split(qualified)
            if split is None:
                return qualified
            model, attr = split
            binding = model.index.imports.get(attr)
            if binding is None or model.index.root.bindings.get(attr, []) != ["import"]:
                return qualified
            qualified = canonical(binding.target)
        return qualified

    def _guarded(self, tag: str, qualified: str) -> bool:
        key = (tag, qualified)
        if key in self._guard:
            return True
        self._guard.add(key)
        return False

    def kind_of_symbol(self, qualified: str) -> str | None:
        """Instance kind of a module-level name (or class attribute) of a project module."""
        split = self._split(qualified)
        attribute = self.class_attribute(qualified) if split is None else None
        if (split is None and attribute is None) or self._guarded("symbol", qualified):
            return None
        try:
            if attribute is not None:
                model, cls, value = attribute
                return model.kind_of(value, cls)
            model, attr = split  # type: ignore[misc]
            return model.kind_of(cst.Name(attr), None)
        finally:
            self._guard.discard(("symbol", qualified))

    def class_attribute(
        self, qualified: str
    ) -> tuple[FileModel, cst.ClassDef, cst.BaseExpression] | None:
        """``pkg.mod.Class.attr`` bound once in the body of a project class: its value."""
        owner, _, attr = qualified.rpartition(".")
        definition = self._definition(owner) if owner else None
        if definition is None or not isinstance(definition[1], cst.ClassDef):
            return None
        model, cls = definition
        values = model.index.scope_of[cls].bindings.get(attr, [])
        if len(values) == 1 and isinstance(values[0], cst.BaseExpression):
            return model, cls, values[0]
        return None

    def _definition(
        self, qualified: str
    ) -> tuple[FileModel, cst.FunctionDef | cst.ClassDef] | None:
        split = self._split(qualified)
        if split is None:
            return None
        model, attr = split
        for value in model.index.root.bindings.get(attr, []):
            if isinstance(value, (cst.FunctionDef, cst.ClassDef)):
                return model, value
        return None

    def kind_of_call(self, callee: str) -> str | None:
        """What calling a project function or class returns (app factories, Flask subclasses)."""
        definition = self._definition(callee)
        if definition is None or self._guarded("call", callee):
            return None
        try:
            model, node = definition
            if isinstance(node, cst.ClassDef):
                base = self.known_base_of_class(callee)
                return base if base in INSTANCE_CLASSES else None
            for ret in model.scope_of_function(node).returns:
                if ret.value is not None:
                    kind = model.kind_of(ret.value, node)
                    if kind:
                        return kind
            return None
        finally:
            self._guard.discard(("call", callee))

    def known_base_of_class(self, qualified: str) -> str | None:
        """The known framework class a (project) class derives from, if any."""
        if qualified in _KNOWN_BASES:
            return qualified
        # Answers are kept only when computed from the top (no cycle guard active):
        # inside a cycle an answer can be partial.
        outermost = not self._guard
        if outermost and qualified in self._known_bases:
            return self._known_bases[qualified]
        found = self._known_base_of_class(qualified)
        if outermost:
            self._known_bases[qualified] = found
        return found

    def class_lineage(self, qualified: str) -> list[tuple[FileModel, cst.ClassDef]]:
        """The project class ``qualified`` and its project base classes, nearest first,
        each once (classes outside the project end the walk)."""
        found: list[tuple[FileModel, cst.ClassDef]] = []
        pending, seen = [qualified], set()
        while pending and len(seen) <= _MAX_HOPS * 4:
            name = self.resolve_symbol(pending.pop(0))
            if name in seen:
                continue
            seen.add(name)
            definition = self._definition(name)
            if definition is None or not isinstance(definition[1], cst.ClassDef):
                continue
            model, node = definition
            found.append((model, node))
            pending.extend(
                base for b in node.bases if (base := model.qualified_name(b.value, None))
            )
        return found

    def derives_from(self, qualified: str, base: str) -> bool:
        """The class ``qualified`` is the project class ``base`` or a subclass of it."""
        target = self._definition(self.resolve_symbol(base))
        return target is not None and any(
            node is target[1] for _, node in self.class_lineage(qualified)
        )

    def _known_base_of_class(self, qualified: str) -> str | None:
        definition = self._definition(qualified)
        if definition is None or self._guarded("base", qualified):
            return None
        try:
            model, node = definition
            if not isinstance(node, cst.ClassDef):
                return None
            for base in node.bases:
                name = model.qualified_name(base.value, None)
                if name is not None:
                    known = self.known_base_of_class(name)
                    if known:
                        return known
            return None
        finally:
            self._guard.discard(("base", qualified))

    # -- call sites ---------------------------------------------------------------------------
    def call_sites(self, qualified: str) -> list[tuple[FileModel, cst.Call, ScopeNode]]:
        """Statement-level calls of the project function ``qualified`` (``pkg.mod.func``)."""
        if self._call_sites is None:
            self._call_sites = {}
            for model, call, scope_node in self._statement_calls():
                if not isinstance(call.func, (cst.Name, cst.Attribute)):
                    continue
                callee = model.qualified_name(call.func, scope_node)
                if callee is not None and self._split(callee) is not None:
                    self._call_sites.setdefault(callee, []).append((model, call, scope_node))
        return self._call_sites.get(qualified, [])

    def attribute_call_sites(self, attr: str) -> list[tuple[FileModel, cst.Call, ScopeNode]]:
        """Statement-level calls ``<receiver>.<attr>(...)`` anywhere in the project."""
        if self._attribute_call_sites is None:
            self._attribute_call_sites = {}
            for model, call, scope_node in self._statement_calls():
                if isinstance(call.func, cst.Attribute):
                    self._attribute_call_sites.setdefault(call.func.attr.value, []).append(
                        (model, call, scope_node)
                    )
        return self._attribute_call_sites.get(attr, [])

    def _statement_calls(self) -> Iterator[tuple[FileModel, cst.Call, ScopeNode]]:
        """Every statement-level call of the project's modules and functions."""
        for model in self.all_modules():
            for scope in model.index.scopes:
                if scope.is_class:
                    continue
                scope_node = None if scope is model.index.root else scope.node
                for call in _statement_calls(scope):
                    yield model, call, scope_node  # type: ignore[misc]

    def is_instance_of(
        self, model: FileModel, expr: cst.BaseExpression, scope: ScopeNode, qualified: str
    ) -> bool:
        """``expr`` is built by the project class ``qualified`` (see ``constructor_of``)."""
        return self.constructor_of(model, expr, scope) == qualified

    def constructor_of(
        self, model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
    ) -> str | None:
        """Qualified name of what builds ``expr``: ``Cls(...)``, or a name bound once to
        that (``single_value``)."""
        found = (model, expr, scope) if isinstance(expr, cst.Call) else None
        if found is None and isinstance(expr, cst.Name):
            found = self.single_value(model, expr, scope)
        if found is None or not isinstance(found[1], cst.Call):
            return None
        value_model, call, value_scope = found
        return value_model.qualified_name(call.func, value_scope)

    def single_value(
        self, model: FileModel, name: cst.Name, scope: ScopeNode
    ) -> tuple[FileModel, cst.BaseExpression, ScopeNode] | None:
        """The value ``name`` is bound to once by an assignment, here or in the project
        module it is imported from, with the module and scope to read that value in."""
        value = model.single_assigned_value(name.value, scope)
        if value is not None:
            bound_in = model.scope_node_of_binding(name.value, scope)
            return model, value, None if isinstance(bound_in, cst.Module) else bound_in
        if model.bindings(name.value, scope) != [IMPORT]:
            return None
        target = model.qualified_name(name, scope)
        split = self._split(target) if target else None
        if split is None:
            return None
        target_model, attr = split
        value = target_model.single_assigned_value(attr, None)
        return (target_model, value, None) if value is not None else None

    def call_site_arguments(
        self, model: FileModel, func: cst.FunctionDef, param: str
    ) -> list[tuple[FileModel, cst.BaseExpression, ScopeNode]]:
        """What callers pass for parameter ``param`` of ``func`` (module-level or nested def)."""
        scope = model.index.scope_of.get(func)
        if scope is None or scope.parent is None:
            return []
        position = _param_position(func, param)
        if position is None:
            return []
        if scope.parent.is_class:
            return _method_call_site_arguments(model, scope.parent, func, param, position)
        if scope.parent is model.index.root:
            if not model.module_name:
                sites = [
                    (model, call, None if s is model.index.root else s.node)
                    for s in model.index.scopes
                    if not s.is_class
                    for call in _statement_calls(s)
                    if isinstance(call.func, cst.Name) and call.func.value == func.name.value
                ]
            else:
                sites = self.call_sites(f"{model.module_name}.{func.name.value}")
        else:
            parent = scope.parent.node
            sites = [
                (model, call, parent)  # type: ignore[misc]
                for call in _statement_calls(scope.parent)
                if isinstance(call.func, cst.Name) and call.func.value == func.name.value
            ]
        found: list[tuple[FileModel, cst.BaseExpression, ScopeNode]] = []
        for site_model, call, site_scope in sites:
            arg = _argument_for(call, position, param)
            if arg is not None:
                found.append((site_model, arg, site_scope))
        return found

    def is_response_helper(self, func: cst.FunctionDef) -> bool:
        """A project function that is handed a response as its first argument somewhere
        (``return harden(response)`` in an ``after_request`` hook, ``self._harden(resp)``
        in a view): the header writes on that parameter are writes on a response."""
        return id(func) in self.remember("response-helpers", lambda: find_response_helpers(self))

    def is_response_class(self, qualified: str) -> bool:
        return self.known_base_of_class(qualified) in RESPONSE_CLASSES

    def external_registrations(self, model: FileModel) -> dict[cst.FunctionDef, Handler]:
        """Handlers of ``model``'s functions registered from other modules.

        ``app.add_url_rule("/", view_func=views.index)``, ``app.after_request(hooks.add)``,
        ``bp.register_error_handler(404, errors.not_found)`` … in another project module.
        The handler's ``owner_model`` is the registering module.
        """
        self._link_registrations()
        assert self._registrations is not None
        return self._registrations.get(id(model), {})

    def class_routes(self, qualified: str) -> list[str]:
        """Constant URL rules a class-based view (``Cls.as_view``/``add_resource``) is routed by."""
        self._link_registrations()
        assert self._class_routes is not None
        return self._class_routes.get(qualified, [])

    def _link_registrations(self) -> None:
        if self._registrations is not None:
            return
        from flasklint_headers.model.handlers import scan_registrations

        self._registrations = {}
        self._class_routes = {}
        for model in self.all_modules():
            found = scan_registrations(model)
            for qualified, rules in found.class_routes.items():
                self._class_routes.setdefault(self.resolve_symbol(qualified), []).extend(rules)
            for qualified, handler in found.external:
                definition = self._definition(qualified)
                if definition is None or not isinstance(definition[1], cst.FunctionDef):
                    continue
                target_model, func = definition
                self._registrations.setdefault(id(target_model), {}).setdefault(func, handler)
