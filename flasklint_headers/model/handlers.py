"""Which functions Flask calls: views, error handlers and request hooks.

Registrations are found in one pass over a module's scopes:

* decorators: ``@X.route/get/post/put/patch/delete/endpoint(...)``, the hook
  decorators of ``HOOK_KINDS``, ``@after_this_request``, and Flask-AppBuilder /
  Flask-Admin ``@expose(...)`` on view-class methods;
* call forms: ``X.add_url_rule(rule, endpoint, view_func)`` (also
  ``view_func=Cls.as_view(...)``), ``X.register_error_handler(code, f)``,
  ``X.after_request(f)`` and every other hook, ``X.route(rule)(f)``,
  ``after_this_request(f)``, Flask-RESTful ``api.add_resource(Cls, rule, ...)``;
* class-based views: methods of ``MethodView``/``View``/``Resource`` subclasses
  (project base classes are followed).

``X`` must resolve to a Flask app or Blueprint.  A call-form registration whose
function is imported from another project module is an *external*
registration: the project pass hands it to that module's model
(``ProjectModel.external_registrations``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.names import (
    APP,
    BLUEPRINT,
    HTTP_METHOD_NAMES,
    RESTFUL_API,
    RESTFUL_BASES,
    RESTX_API,
    VIEW_BASES,
)

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel

ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete"})

# Hook attribute -> handler kind.  Decorator (``@app.after_request``) and call
# (``app.after_request(f)``) forms both register.
HOOK_KINDS: dict[str, str] = {
    "after_request": "after_request",
    "after_app_request": "after_request",
    "before_request": "before_request",
    "before_app_request": "before_request",
    "teardown_request": "teardown",
    "teardown_app_request": "teardown",
    "teardown_appcontext": "teardown",
    "errorhandler": "error_handler",
    "app_errorhandler": "error_handler",
}
# Hooks registered for the whole app even when defined on a blueprint.
APP_WIDE_BLUEPRINT_HOOKS = frozenset(
    {"after_app_request", "before_app_request", "teardown_app_request", "app_errorhandler"}
)
# ``teardown_appcontext`` exists only on the app and runs for every app context.
APP_ONLY_HOOKS = frozenset({"teardown_appcontext"})

# Kinds of handler whose return value Flask turns into a response.
VIEW_KINDS = frozenset({"route", "method_view", "restful", "error_handler", "before_request"})

# ``@expose`` of Flask-AppBuilder and Flask-Admin: the method is a Flask view.
EXPOSE_DECORATORS = frozenset(
    {
        "flask_appbuilder.expose",
        "flask_appbuilder.baseviews.expose",
        "flask_appbuilder.views.expose",
        "flask_appbuilder.api.expose",
        "flask_admin.expose",
        "flask_admin.base.expose",
    }
)
AFTER_THIS_REQUEST = "flask.after_this_request"

# ``<converter(args):name>`` or ``<name>`` in a Werkzeug rule.
_RULE_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?"
    r"(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)


@dataclass(frozen=True)
class Handler:
    """How Flask reaches a function.

    ``kind``: ``route`` | ``method_view`` | ``restful`` | ``error_handler`` |
    ``before_request`` | ``after_request`` | ``after_this_request`` | ``teardown``.
    ``hook``: the registering attribute (``after_app_request``, ``route``, ``add_url_rule``,
    ``expose``, ...; the method name for class-based views).
    ``owner``: the expression the handler was registered on (None for class-based views,
    ``@after_this_request`` and ``@expose``).
    ``owner_kind``: ``flask.Flask`` / ``flask.Blueprint`` / None.
    ``order``: registration order within the registering file (source order).
    ``owner_scope``: the scope the registration happens in (to resolve ``owner``).
    ``owner_model``: the module holding ``owner`` when the registration is in another
    module than the function (``app.after_request(imported_hook)``); None = same module.
    ``routes``: the constant URL rules the function is routed by (``"/items/<int:id>"``).
    ``registration``: the decorator or call that registers it.
    """

    kind: str
    hook: str
    owner: cst.BaseExpression | None
    owner_kind: str | None
    order: int
    owner_scope: cst.CSTNode | None = None
    owner_model: Any = field(default=None, compare=False, repr=False)
    routes: tuple[str, ...] = ()
    registration: cst.CSTNode | None = field(default=None, compare=False, repr=False)

    @property
    def is_view(self) -> bool:
        return self.kind in VIEW_KINDS

    @property
    def restful(self) -> bool:
        return self.kind == "restful"

    @property
    def app_wide(self) -> bool:
        """True when the hook runs for every request of the app (not only a blueprint's)."""
        return (
            self.owner_kind == APP
            or self.hook in APP_WIDE_BLUEPRINT_HOOKS
            or self.hook in APP_ONLY_HOOKS
        )

    @property
    def blueprint_scoped(self) -> bool:
        """True for a hook that only runs for its blueprint's requests (``@bp.after_request``)."""
        return self.owner_kind == BLUEPRINT and not self.app_wide

    def route_params(self) -> dict[str, str]:
        """URL variables of the routes and their converter (``"string"`` when none is given).

        A variable that has different converters in different rules gets ``"string"``.
        """
        params: dict[str, str] = {}
        for rule in self.routes:
            for name, converter in parse_rule(rule).items():
                if params.get(name, converter) != converter:
                    converter = "string"
                params[name] = converter
        return params


def parse_rule(rule: str) -> dict[str, str]:
    """``{"id": "int"}`` for ``"/x/<int:id>"``; a variable without converter is ``"string"``."""
    found: dict[str, str] = {}
    for match in _RULE_VARIABLE.finditer(rule):
        converter = match.group("converter") or "string"
        found[match.group("name")] = "string" if converter == "default" else converter
    return found


@dataclass
class Registrations:
    """What one module registers: its own functions, and functions of other modules."""

    local: dict[cst.FunctionDef, Handler] = field(default_factory=dict)
    # (qualified name of the function in another project module, handler)
    external: list[tuple[str, Handler]] = field(default_factory=list)
    # Rules of class-based views: qualified class name -> constant rules
    class_routes: dict[str, list[str]] = field(default_factory=dict)


def find_handlers(model: FileModel) -> dict[cst.FunctionDef, Handler]:
    """Every handler defined in the module, found by decorators and call-form registrations."""
    return scan_registrations(model).local


def scan_registrations(model: FileModel) -> Registrations:
    """Decorator, call-form and class-based registrations of one module (cached)."""
    cached = model.__dict__.get("_registrations")
    if cached is not None:
        return cached
    scanner = _Scanner(model)
    scanner.scan()
    model.__dict__["_registrations"] = scanner.result
    model.project.note_answers(model)
    return scanner.result


def _decorator_target(decorator: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """``(owner, attr)`` of ``@owner.attr`` or ``@owner.attr(...)``."""
    expr = decorator.func if isinstance(decorator, cst.Call) else decorator
    if isinstance(expr, cst.Attribute):
        return expr.value, expr.attr.value
    return None


def call_arg(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The argument passed as ``keyword`` or at ``position`` (before any ``*args``)."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = []
    for arg in call.args:
        if arg.star:
            break
        if arg.keyword is None:
            positional.append(arg.value)
    if position < len(positional):
        return positional[position]
    return None


class _Scanner:
    def __init__(self, model: FileModel) -> None:
        self.model = model
        self.result = Registrations()
        self.order = 0

    def scan(self) -> None:
        for scope in self.model.index.scopes:
            node = scope.node
            if isinstance(node, cst.FunctionDef):
                for decorator in node.decorators:
                    self._decorator(node, decorator.decorator)
            elif isinstance(node, cst.ClassDef):
                self._class_based_views(node)
            scope_node = None if scope is self.model.index.root else scope.node
            for call in scope.calls:
                self._call(scope_node, call)

    # -- helpers ---------------------------------------------------------------------------
    def _next(self) -> int:
        self.order += 1
        return self.order - 1

    def _owner_kind(self, owner: cst.BaseExpression, scope_node: Any) -> str | None:
        kind = self.model.kind_of(owner, scope_node)
        return kind if kind in (APP, BLUEPRINT) else None

    def _rule(self, expr: cst.BaseExpression | None, scope_node: Any) -> tuple[str, ...]:
        if expr is None:
            return ()
        value = self.model.const_str(expr, scope_node)
        return (value,) if value is not None else ()

    def _add_local(self, func: cst.FunctionDef, handler: Handler) -> None:
        existing = self.result.local.get(func)
        if existing is None:
            self.result.local[func] = handler
        elif handler.routes and existing.kind == handler.kind:
            routes = existing.routes + tuple(r for r in handler.routes if r not in existing.routes)
            self.result.local[func] = replace(existing, routes=routes)

    # -- decorators ------------------------------------------------------------------------
    def _decorator(self, func: cst.FunctionDef, decorator: cst.BaseExpression) -> None:
        model = self.model
        scope = model.index.scope_of[func]
        parent = scope.parent
        scope_node = None if parent is None or parent is model.index.root else parent.node
        callee = decorator.func if isinstance(decorator, cst.Call) else decorator
        qualified = model.qualified_name(callee, scope_node)
        if qualified == AFTER_THIS_REQUEST and not isinstance(decorator, cst.Call):
            self._add_local(
                func,
                Handler(
                    "after_this_request",
                    "after_this_request",
                    None,
                    None,
                    self._next(),
                    registration=decorator,
                ),
            )
            return
        if qualified in EXPOSE_DECORATORS and parent is not None and parent.is_class:
            rule = call_arg(decorator, 0, "url") if isinstance(decorator, cst.Call) else None
            self._add_local(
                func,
                Handler(
                    "route",
                    "expose",
                    None,
                    None,
                    self._next(),
                    None,
                    routes=self._rule(rule, scope_node),
                    registration=decorator,
                ),
            )
            return
        target = _decorator_target(decorator)
        if target is None:
            return
        owner, attr = target
        is_route = attr in ROUTE_DECORATORS or attr == "endpoint"
        if not is_route and attr not in HOOK_KINDS:
            return
        # ``@app.get`` without a rule argument is not a route registration.
        if is_route and not isinstance(decorator, cst.Call):
            return
        owner_kind = self._owner_kind(owner, scope_node)
        if owner_kind is None:
            return
        if is_route:
            assert isinstance(decorator, cst.Call)
            routes = (
                () if attr == "endpoint" else self._rule(call_arg(decorator, 0, "rule"), scope_node)
            )
            handler = Handler(
                "route",
                attr,
                owner,
                owner_kind,
                self._next(),
                scope_node,
                routes=routes,
                registration=decorator,
            )
        else:
            handler = Handler(
                HOOK_KINDS[attr],
                attr,
                owner,
                owner_kind,
                self._next(),
                scope_node,
                registration=decorator,
            )
        self._add_local(func, handler)

    # -- class-based views -----------------------------------------------------------------
    def _class_based_views(self, cls: cst.ClassDef) -> None:
        model = self.model
        bases = {model.class_base_kind(base.value, cls) for base in cls.bases}
        if bases & RESTFUL_BASES:
            kind, methods = "restful", HTTP_METHOD_NAMES
        elif "flask.views.MethodView" in bases:
            kind, methods = "method_view", HTTP_METHOD_NAMES
        elif bases & VIEW_BASES:
            kind, methods = "method_view", frozenset({"dispatch_request"})
        else:
            return
        routes: tuple[str, ...] = ()
        if kind == "restful":  # Flask-RESTX ``@ns.route("/items/<int:id>")`` on the class
            scope = model.index.scope_of[cls].parent
            scope_node = None if scope is None or scope is model.index.root else scope.node
            for decorator in cls.decorators:
                call = decorator.decorator
                if (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Attribute)
                    and call.func.attr.value == "route"
                ):
                    routes += tuple(
                        r
                        for arg in call.args
                        if arg.keyword is None and not arg.star
                        for r in self._rule(arg.value, scope_node)
                    )
        body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value in methods:
                self._add_local(
                    stmt, Handler(kind, stmt.name.value, None, None, self._next(), routes=routes)
                )

    # -- call forms --------------------------------------------------------------------------
    def _call(self, scope_node: Any, call: cst.Call) -> None:
        func = call.func
        model = self.model
        if isinstance(func, cst.Call):  # ``app.route("/x")(view)``
            self._route_call(scope_node, func, call)
            return
        if isinstance(func, cst.Name):
            if model.qualified_name(func, scope_node) == AFTER_THIS_REQUEST and call.args:
                self._register(
                    scope_node,
                    call.args[0].value,
                    Handler(
                        "after_this_request", "after_this_request", None, None, 0, registration=call
                    ),
                )
            return
        if not isinstance(func, cst.Attribute):
            return
        attr = func.attr.value
        if attr == "add_resource":
            self._add_resource(scope_node, call)
            return
        routes: tuple[str, ...] = ()
        if attr == "add_url_rule":
            target = call_arg(call, 2, "view_func")
            kind, hook = "route", "add_url_rule"
            routes = self._rule(call_arg(call, 0, "rule"), scope_node)
        elif attr == "register_error_handler":
            target = call_arg(call, 1, "f")
            kind, hook = "error_handler", attr
        elif attr in HOOK_KINDS and attr not in ("errorhandler", "app_errorhandler"):
            target = call_arg(call, 0, "f")
            kind, hook = HOOK_KINDS[attr], attr
        else:
            return
        if target is None:
            return
        owner_kind = self._owner_kind(func.value, scope_node)
        if owner_kind is None:
            return
        if attr == "add_url_rule" and self._class_view_rule(scope_node, target, routes):
            return
        self._register(
            scope_node,
            target,
            Handler(
                kind, hook, func.value, owner_kind, 0, scope_node, routes=routes, registration=call
            ),
        )

    def _route_call(self, scope_node: Any, decorator: cst.Call, call: cst.Call) -> None:
        inner = decorator.func
        if not (isinstance(inner, cst.Attribute) and inner.attr.value in ROUTE_DECORATORS):
            return
        if not call.args:
            return
        owner_kind = self._owner_kind(inner.value, scope_node)
        if owner_kind is None:
            return
        routes = self._rule(call_arg(decorator, 0, "rule"), scope_node)
        self._register(
            scope_node,
            call.args[0].value,
            Handler(
                "route",
                inner.attr.value,
                inner.value,
                owner_kind,
                0,
                scope_node,
                routes=routes,
                registration=call,
            ),
        )

    def _register(self, scope_node: Any, target: cst.BaseExpression, handler: Handler) -> None:
        """Attach ``handler`` to the function ``target`` names (here or in another module)."""
        model = self.model
        function = model.function_for(target, scope_node)
        if function is not None:
            self._add_local(function, replace(handler, order=self._next()))
            return
        if not isinstance(target, (cst.Name, cst.Attribute)):
            return
        qualified = model.qualified_name(target, scope_node)
        if qualified is None:
            return
        definition = model.project.definition(qualified)
        if definition is None or not isinstance(definition[1], cst.FunctionDef):
            return
        if definition[0] is model:
            self._add_local(definition[1], replace(handler, order=self._next()))
            return
        external = replace(handler, order=self._next(), owner_model=model)
        self.result.external.append((qualified, external))

    def _class_view_rule(
        self, scope_node: Any, target: cst.BaseExpression, routes: tuple[str, ...]
    ) -> bool:
        """``view_func=Cls.as_view("name")``: remember the rules for ``Cls``'s methods."""
        if not (
            isinstance(target, cst.Call)
            and isinstance(target.func, cst.Attribute)
            and target.func.attr.value == "as_view"
        ):
            return False
        qualified = self.model.qualified_name(target.func.value, scope_node)
        if qualified is not None:
            self.result.class_routes.setdefault(qualified, []).extend(routes)
        return True

    def _add_resource(self, scope_node: Any, call: cst.Call) -> None:
        """Flask-RESTful/RESTX ``api.add_resource(Resource, "/rule", ...)``."""
        func = call.func
        assert isinstance(func, cst.Attribute)
        if self.model.kind_of(func.value, scope_node) not in (RESTFUL_API, RESTX_API):
            return
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if not positional:
            return
        qualified = self.model.qualified_name(positional[0], scope_node)
        if qualified is None:
            return
        rules = [r for expr in positional[1:] for r in self._rule(expr, scope_node)]
        self.result.class_routes.setdefault(qualified, []).extend(rules)
