"""The Flask model as one file's rules see it (linked to the whole project)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.constants import UNKNOWN, ConstantEvaluator
from flasklint_headers.model.handlers import Handler, find_handlers
from flasklint_headers.model.helpers import first_analyses
from flasklint_headers.model.index import (
    IMPORT,
    PARAM,
    ModuleIndex,
    Scope,
    ScopedValue,
    plain_methods,
)
from flasklint_headers.model.names import (
    APP,
    BLUEPRINT,
    INSTANCE_CLASSES,
    RESPONSE_FACTORIES,
    SECURE,
    SECURE_CONSTRUCTORS,
    canonical,
)
from flasklint_headers.model.responses import (
    CallParts,
    FunctionResponses,
    analyse_function,
    call_parts,
    response_escapes,
)

if TYPE_CHECKING:
    from flasklint_headers.model.project import ProjectModel

ScopeNode = cst.Module | cst.FunctionDef | cst.ClassDef | None

_HEADERS_CONTAINERS = (cst.Dict, cst.List, cst.Tuple)


@dataclass(frozen=True)
class ReturnParts:
    """A returned value split the way ``Flask.make_response`` splits it (catalogue §1.1).

    For Flask-RESTful resources every 2-tuple is ``(data, status)``.
    ``length`` is the tuple length (1 when the value is not a tuple literal).
    """

    node: cst.Return
    body: cst.BaseExpression | None
    status: cst.BaseExpression | None
    headers: cst.BaseExpression | None
    length: int


_TEST_PARTS = frozenset({"test", "tests", "testing", "conftest"})
_NOT_INSTANCE_METHODS = frozenset({"staticmethod", "classmethod"})


class FileModel:
    """Answers questions about one module.  Create through ``ProjectModel.add_module``."""

    def __init__(
        self,
        module: cst.Module,
        module_name: str,
        is_package: bool,
        project: ProjectModel,
    ) -> None:
        self.module = module
        self.module_name = module_name
        self.is_package = is_package
        self.project = project
        self.path: Path | None = None
        self.index = ModuleIndex(module, module_name, is_package)
        self._constants = ConstantEvaluator(self)
        self._handlers: dict[cst.FunctionDef, Handler] | None = None
        self._responses: dict[cst.FunctionDef, FunctionResponses] = {}
        self._kind_guard: set[int] = set()
        self._qualified: dict[tuple[str, int], str | None] = {}
        # (id of a class scope, attribute) -> values its methods assign to ``self.<attribute>``.
        self._instance_attributes: dict[tuple[int, str], list[Any]] = {}

    def is_test_module(self) -> bool:
        """A module of a test suite (``tests/``, ``test_*.py``, ``*_test.py``, ``tests.py``,
        ``conftest.py``): its apps are never deployed."""
        # Prefixes only in the dotted module name and the file name: a checkout may live
        # under ``~/test_projects/``. Directories count by exact name (``tests/`` of
        # pytest layouts, which often have no ``__init__.py``).
        parts = self.module_name.split(".") if self.module_name else []
        if self.path is not None:
            parts.append(self.path.stem)
            if any(d in _TEST_PARTS for d in self.path.parent.parts):
                return True
        return any(p in _TEST_PARTS or p.startswith("test_") or p.endswith("_test") for p in parts)

    def forget_project_answers(self) -> None:
        """Drop cached answers that depend on other modules (the project changed)."""
        self._handlers = None
        self._responses = {}
        self._qualified = {}
        for key in ("_registrations", "_config_ops", "_numbering"):
            self.__dict__.pop(key, None)

    # -- scopes and bindings --------------------------------------------------------------
    def _scope(self, node: ScopeNode) -> Scope:
        if node is None:
            return self.index.root
        return self.index.scope_of.get(node, self.index.root)

    def _binding_scope(self, name: str, scope_node: ScopeNode) -> Scope | None:
        """The scope whose binding of ``name`` is visible from ``scope_node`` (LEGB)."""
        scope: Scope | None = self._scope(scope_node)
        first = True
        while scope is not None:
            if name in scope.globals:
                return self.index.root if name in self.index.root.bindings else None
            # Class bodies are not visible from functions nested in them.
            if name in scope.bindings and (first or not scope.is_class):
                return scope
            first = False
            scope = scope.parent
        return None

    def bindings(self, name: str, scope_node: ScopeNode = None) -> list[Any]:
        scope = self._binding_scope(name, scope_node)
        return scope.bindings[name] if scope is not None else []

    def single_assigned_value(
        self, name: str, scope_node: ScopeNode = None
    ) -> cst.BaseExpression | None:
        """The value of ``name`` when it is bound exactly once, by a plain assignment."""
        values = self.bindings(name, scope_node)
        if len(values) == 1 and isinstance(values[0], cst.BaseExpression):
            return values[0]
        return None

    def may_rebind_global(self, name: str) -> bool:
        """The module-level ``name`` may get another value at import time
        (``from config_local import *`` after it, ``locals().update(...)``)."""
        index = self.index
        return index.rebinds_all_globals or name in index.maybe_rebound

    def scope_node_of_binding(self, name: str, scope_node: ScopeNode = None) -> ScopeNode:
        scope = self._binding_scope(name, scope_node)
        return scope.node if scope is not None else None

    def function_for(
        self, expr: cst.BaseExpression, scope_node: ScopeNode = None
    ) -> cst.FunctionDef | None:
        """The ``def`` a name refers to, when it is defined in this module; also a bound
        method ``self.add_headers`` in a method of a module-level class (or in a function
        nested in one: Flask-OpenTracing's hook calls ``self._after_request_fn``)."""
        if isinstance(expr, cst.Name):
            for value in self.bindings(expr.value, scope_node):
                if isinstance(value, cst.FunctionDef):
                    return value
        elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            method = self.scope_node_of_binding(expr.value.value, scope_node)
            if isinstance(method, cst.FunctionDef) and self.instance_class(
                method, expr.value.value
            ):
                owner = self.index.scope_of[method].parent
                assert owner is not None  # instance_class found the class
                methods = owner.bindings.get(expr.attr.value, [])
                if len(methods) == 1 and isinstance(methods[0], cst.FunctionDef):
                    return methods[0]
        return None

    def scope_of_function(self, func: cst.FunctionDef) -> Scope:
        return self.index.scope_of[func]

    # -- names -------------------------------------------------------------------------------
    def qualified_name(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> str | None:
        """Canonical dotted name of ``expr`` through imports and aliases (None for locals)."""
        # ``type(...) is`` rather than isinstance: node classes are ABCs, and a failing
        # isinstance on one is slow; this runs for nearly every expression rules see.
        expr_type = type(expr)
        if expr_type is cst.Name:
            # Asked for nearly every name the rules see: keep each answer (it depends
            # only on the name, its scope and the project, which drops it on change).
            key = (expr.value, id(scope_node))
            if key in self._qualified:
                return self._qualified[key]
            if not self._qualified:
                self.project.note_answers(self)
            found = self._qualified_name_of(expr, scope_node)
            self._qualified[key] = found
            return found
        if expr_type is cst.Attribute:
            base = self.qualified_name(expr.value, scope_node)
            if base is None:
                return None
            return self.project.resolve_symbol(canonical(f"{base}.{expr.attr.value}"))
        return None

    def _qualified_name_of(self, expr: cst.Name, scope_node: ScopeNode) -> str | None:
        scope = self._binding_scope(expr.value, scope_node)
        if scope is None:
            return None
        values = scope.bindings[expr.value]
        if IMPORT in values:
            binding = self.index.imports.get(expr.value)
            if binding is not None:
                return self.project.resolve_symbol(canonical(binding.target))
            return None
        if scope is self.index.root and any(
            isinstance(v, (cst.FunctionDef, cst.ClassDef)) for v in values
        ):
            return f"{self.module_name}.{expr.value}" if self.module_name else expr.value
        return None

    # -- instances -------------------------------------------------------------------------
    def kind_of(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> str | None:
        """What ``expr`` holds (``flask.Flask``, ``flask.Blueprint``, …)."""
        key = id(expr)
        if key in self._kind_guard:
            return None
        self._kind_guard.add(key)
        try:
            return self._kind_of(expr, scope_node)
        finally:
            self._kind_guard.discard(key)

    def _kind_of(self, expr: cst.BaseExpression, scope_node: ScopeNode) -> str | None:
        if isinstance(expr, cst.Call):
            callee = self.qualified_name(expr.func, scope_node)
            if callee is None:
                base = self.local_class_base(expr.func, scope_node)
                return base if base in INSTANCE_CLASSES else None
            if callee in INSTANCE_CLASSES:
                return callee
            if callee in SECURE_CONSTRUCTORS:
                return SECURE
            return self.project.kind_of_call(callee)
        if isinstance(expr, (cst.Name, cst.Attribute)):
            qualified = self.qualified_name(expr, scope_node)
            if qualified == "flask.current_app":
                return APP
            if qualified is not None and isinstance(expr, cst.Attribute):
                return self.project.kind_of_symbol(qualified)
            if isinstance(expr, cst.Attribute):
                kinds = {
                    self.kind_of(v, s) for v, s in self.instance_attribute_values(expr, scope_node)
                }
                return kinds.pop() if len(kinds) == 1 else None
        if isinstance(expr, cst.Name):
            scope = self._binding_scope(expr.value, scope_node)
            if scope is None:
                return None
            for value in scope.bindings[expr.value]:
                if value == IMPORT:
                    binding = self.index.imports.get(expr.value)
                    if binding is not None:
                        kind = self.project.kind_of_symbol(canonical(binding.target))
                        if kind:
                            return kind
                elif value == PARAM:
                    annotation = scope.annotations.get(expr.value)
                    if annotation is not None:
                        kind = self.class_base_kind(annotation, scope.node)
                        if kind in INSTANCE_CLASSES:
                            return kind
                    elif isinstance(scope.node, cst.FunctionDef):
                        kind = self._kind_of_instance_param(scope.node, expr.value)
                        if kind:
                            return kind
                        kind = self._kind_from_callers(scope.node, expr.value)
                        if kind:
                            return kind
                        if self._is_extension_app_param(scope.node, expr.value):
                            return APP
                elif isinstance(value, cst.BaseExpression):
                    kind = self.kind_of(value, scope.node)
                    if kind:
                        return kind
                elif isinstance(value, ScopedValue):
                    kind = self.kind_of(value.value, value.scope)
                    if kind:
                        return kind
        return None

    def instance_class(self, func: cst.FunctionDef, param: str) -> str | None:
        """Qualified name of the module-level class whose instance ``param`` is: the
        first parameter (``self``) of a plain method of that class."""
        scope = self.index.scope_of.get(func)
        owner = scope.parent if scope is not None else None
        if owner is None or not owner.is_class or owner.parent is not self.index.root:
            return None
        positional = [*func.params.posonly_params, *func.params.params]
        if not positional or positional[0].name.value != param:
            return None
        if any(
            isinstance(d.decorator, cst.Name) and d.decorator.value in _NOT_INSTANCE_METHODS
            for d in func.decorators
        ):
            return None
        name = owner.node.name.value  # type: ignore[union-attr]
        return f"{self.module_name}.{name}" if self.module_name else name

    def _kind_of_instance_param(self, func: cst.FunctionDef, param: str) -> str | None:
        """``self`` in a method of a ``Flask``/``Blueprint`` subclass is that app or blueprint."""
        cls = self.instance_class(func, param)
        if cls is None:
            return None
        kind = self.project.known_base_of_class(cls)
        return kind if kind in (APP, BLUEPRINT) else None

    def instance_attribute_values(
        self, expr: cst.Attribute, scope_node: ScopeNode
    ) -> list[tuple[cst.BaseExpression, cst.FunctionDef]]:
        """``self.app`` in a method of a module-level class: every value the class's
        methods assign to ``self.app`` (``self.app = Flask(__name__)``), with its method."""
        receiver = expr.value
        if not isinstance(receiver, cst.Name) or not isinstance(scope_node, cst.FunctionDef):
            return []
        if self.instance_class(scope_node, receiver.value) is None:
            return []
        owner = self.index.scope_of[scope_node].parent
        key = (id(owner), expr.attr.value)
        known = self._instance_attributes.get(key)
        if known is not None:
            return known
        found: list[tuple[cst.BaseExpression, cst.FunctionDef]] = []
        self._instance_attributes[key] = found
        for scope, instance in plain_methods(self.index, owner):
            method = scope.node
            assert isinstance(method, cst.FunctionDef)
            for effect in scope.effects:
                if not isinstance(effect, cst.Assign):
                    continue
                for target in effect.targets:
                    node = target.target
                    if (
                        isinstance(node, cst.Attribute)
                        and node.attr.value == expr.attr.value
                        and isinstance(node.value, cst.Name)
                        and node.value.value == instance
                    ):
                        found.append((effect.value, method))
        return found

    def _is_extension_app_param(self, func: cst.FunctionDef, param: str) -> bool:
        """``app`` in a Flask extension's ``def init_app(self, app)`` that project code
        never calls with an app (a library's extension): by Flask's extension
        convention, the app."""
        if func.name.value != "init_app" or param != "app":
            return False
        positional = [*func.params.posonly_params, *func.params.params]
        if len(positional) < 2 or positional[1].name.value != "app":
            return False
        if self.instance_class(func, positional[0].name.value) is None:
            return False
        # No caller passes something we know is not an app (``self.init_app(app)`` in
        # ``__init__`` passes on its own unknown parameter).
        return all(
            model.kind_of(arg, scope) in (None, APP)
            for model, arg, scope in self.project.call_site_arguments(self, func, param)
        )

    def _kind_from_callers(self, func: cst.FunctionDef, param: str) -> str | None:
        """The kind every caller passes for an unannotated parameter (``def setup(app)``)."""
        kinds = {
            model.kind_of(arg, scope)
            for model, arg, scope in self.project.call_site_arguments(self, func, param)
        }
        if len(kinds) == 1:
            return kinds.pop()
        return None

    def local_class_base(
        self, expr: cst.BaseExpression, scope_node: ScopeNode = None, depth: int = 0
    ) -> str | None:
        """The known framework class that a class defined inside a function derives
        from (``def create_app(): class CustomFlask(Flask): ...``); module-level
        classes have qualified names and go through ``known_base_of_class``."""
        if type(expr) is not cst.Name or depth > 4:
            return None
        scope = self._binding_scope(expr.value, scope_node)
        if scope is None or scope is self.index.root:
            return None
        values = scope.bindings[expr.value]
        if len(values) != 1 or not isinstance(values[0], cst.ClassDef):
            return None
        for base in values[0].bases:
            qualified = self.qualified_name(base.value, scope.node)
            if qualified is not None:
                known = self.project.known_base_of_class(qualified)
            else:
                known = self.local_class_base(base.value, scope.node, depth + 1)
            if known:
                return known
        return None

    def class_base_kind(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> str | None:
        """Canonical name of a class expression, following project subclasses to known bases."""
        qualified = self.qualified_name(expr, scope_node)
        if qualified is None:
            return None
        return self.project.known_base_of_class(qualified) or qualified

    # -- handlers -----------------------------------------------------------------------------
    def handlers(self) -> dict[cst.FunctionDef, Handler]:
        """Every function of this module that Flask calls, with how it is registered."""
        if self._handlers is None:
            handlers = dict(find_handlers(self))
            for func, handler in self.project.external_registrations(self).items():
                handlers.setdefault(func, handler)
            self._add_class_routes(handlers)
            self._handlers = handlers
            self.project.note_answers(self)
        return self._handlers

    def _add_class_routes(self, handlers: dict[cst.FunctionDef, Handler]) -> None:
        """Give class-based view methods the rules their class is registered with."""
        for func, handler in handlers.items():
            if handler.kind not in ("method_view", "restful") or handler.routes:
                continue
            cls = self.index.scope_of[func].parent
            if cls is None or not cls.is_class or cls.parent is not self.index.root:
                continue
            qualified = f"{self.module_name}.{cls.qualname}" if self.module_name else cls.qualname
            routes = self.project.class_routes(qualified)
            if routes:
                handlers[func] = replace(handler, routes=tuple(dict.fromkeys(routes)))

    def route_params(self, func: cst.FunctionDef) -> dict[str, str]:
        """URL variables of ``func``'s routes and their converters (``{"id": "int"}``).

        Empty when ``func`` is not routed or its rules are not constant.  A variable
        without converter is ``"string"``.
        """
        handler = self.handler(func)
        return handler.route_params() if handler is not None else {}

    def views(self) -> list[cst.FunctionDef]:
        """Every function of this module whose return value Flask turns into a response."""
        return [func for func, handler in self.handlers().items() if handler.is_view]

    def handler(self, func: cst.FunctionDef) -> Handler | None:
        return self.handlers().get(func)

    def is_view(self, func: cst.FunctionDef | None) -> bool:
        """True for routes, class-based view methods, error handlers and before_request hooks."""
        if func is None:
            return False
        handler = self.handler(func)
        return handler is not None and handler.is_view

    def is_after_request_hook(self, func: cst.FunctionDef | None) -> bool:
        if func is None:
            return False
        handler = self.handler(func)
        return handler is not None and handler.kind in ("after_request", "after_this_request")

    # -- responses --------------------------------------------------------------------------
    def is_response_expr(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> bool:
        """True when ``expr`` evaluates to a Flask/Werkzeug response object."""
        if not isinstance(expr, cst.Call):
            return False
        callee = self.qualified_name(expr.func, scope_node)
        if callee in RESPONSE_FACTORIES:
            return True
        if callee is not None and self.project.is_response_class(callee):
            return True
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in (
            "make_response",
            "response_class",
            "make_default_options_response",
        ):
            return self.kind_of(func.value, scope_node) == APP
        return False

    def responses_in(self, func: cst.FunctionDef) -> FunctionResponses:
        """Names holding a response in ``func`` and every header write on them, in source order."""
        cached = self._responses.get(func)
        if cached is None:
            if self.project.is_response_helper(func):
                cached = analyse_function(self, func, True)
            else:  # analysed already while looking for helpers (``model/helpers.py``)
                cached = first_analyses(self.project).get(id(func)) or analyse_function(
                    self, func, self.is_after_request_hook(func)
                )
            self._responses[func] = cached
            self.project.note_answers(self)
        return cached

    def call_parts(self, call: cst.Call, scope_node: ScopeNode = None) -> CallParts | None:
        """Body/status/headers/mimetype arguments of ``make_response``/``Response(...)`` calls."""
        return call_parts(self, call, scope_node)

    def call_headers(
        self, call: cst.Call, scope_node: ScopeNode = None
    ) -> cst.BaseExpression | None:
        """The headers argument (implicit header write) of a response-constructing call."""
        parts = call_parts(self, call, scope_node)
        return parts.headers if parts is not None else None

    def response_escapes(self, func: cst.FunctionDef, name: str) -> bool:
        """True when the response held by ``name`` (or an alias of it) may be used outside ``func``.

        See ``responses.response_escapes``; ``return r`` / ``return r, 200`` do not escape.
        """
        responses = self.responses_in(func)
        root = responses.root_of(name)
        names = {n for n in responses.names if responses.root_of(n) == root} | {name}
        names |= {h for h, owner in responses.header_aliases.items() if owner in names}
        return response_escapes(func, names)

    def return_parts(self, ret: cst.Return, func: cst.FunctionDef | None = None) -> ReturnParts:
        value = ret.value
        restful = func is not None and (h := self.handler(func)) is not None and h.restful
        if not isinstance(value, cst.Tuple):
            return ReturnParts(ret, value, None, None, 1 if value is not None else 0)
        elements = [e.value for e in value.elements]
        if any(isinstance(e, cst.StarredElement) for e in value.elements):
            return ReturnParts(ret, None, None, None, -1)
        if len(elements) == 3:
            return ReturnParts(ret, elements[0], elements[1], elements[2], 3)
        if len(elements) == 2:
            if not restful and self.looks_like_headers(elements[1], func):
                return ReturnParts(ret, elements[0], None, elements[1], 2)
            return ReturnParts(ret, elements[0], elements[1], None, 2)
        return ReturnParts(ret, elements[0] if elements else None, None, None, len(elements))

    def looks_like_headers(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> bool:
        """A dict/list/tuple literal, ``Headers(...)``, or a name bound once to one."""
        if isinstance(expr, _HEADERS_CONTAINERS):
            return True
        if isinstance(expr, cst.Call):
            return self.qualified_name(expr.func, scope_node) in (
                "werkzeug.datastructures.Headers",
                "builtins.dict",
            ) or (isinstance(expr.func, cst.Name) and expr.func.value == "dict")
        if isinstance(expr, cst.Name):
            value = self.single_assigned_value(expr.value, scope_node)
            return value is not None and self.looks_like_headers(
                value, self.scope_node_of_binding(expr.value, scope_node)
            )
        return False

    # -- constants --------------------------------------------------------------------------
    def const(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> Any:
        """The constant value of ``expr`` or ``UNKNOWN``."""
        return self._constants.evaluate(expr, scope_node)

    def const_str(self, expr: cst.BaseExpression, scope_node: ScopeNode = None) -> str | None:
        value = self.const(expr, scope_node)
        return value if isinstance(value, str) else None

    def string_parts(
        self, expr: cst.BaseExpression, scope_node: ScopeNode = None
    ) -> list[str | None] | None:
        """Constant segments of a string, with ``None`` for unknown f-string holes."""
        return self._constants.string_parts(expr, scope_node)

    @staticmethod
    def is_unknown(value: Any) -> bool:
        return value is UNKNOWN
