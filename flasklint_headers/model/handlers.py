"""Which functions Flask calls: views, error handlers and request hooks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import (
    APP,
    BLUEPRINT,
    HTTP_METHOD_NAMES,
    RESTFUL_BASES,
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

# Kinds of handler whose return value Flask turns into a response.
VIEW_KINDS = frozenset({"route", "method_view", "restful", "error_handler", "before_request"})


@dataclass(frozen=True)
class Handler:
    """How Flask reaches a function.

    ``kind``: ``route`` | ``method_view`` | ``restful`` | ``error_handler`` |
    ``before_request`` | ``after_request`` | ``after_this_request`` | ``teardown``.
    ``hook``: the registering attribute (``after_app_request``, ``route``, ...).
    ``owner``: the expression the handler was registered on (None for class-based views).
    ``owner_kind``: ``flask.Flask`` / ``flask.Blueprint`` / None.
    ``order``: registration order within the file (source order).
    """

    kind: str
    hook: str
    owner: cst.BaseExpression | None
    owner_kind: str | None
    order: int
    # The scope the registration happens in (to resolve ``owner``).
    owner_scope: cst.CSTNode | None = None

    @property
    def is_view(self) -> bool:
        return self.kind in VIEW_KINDS

    @property
    def restful(self) -> bool:
        return self.kind == "restful"

    @property
    def app_wide(self) -> bool:
        """True when the hook runs for every request of the app (not only a blueprint's)."""
        return self.owner_kind == APP or self.hook in APP_WIDE_BLUEPRINT_HOOKS


def _decorator_target(decorator: cst.BaseExpression) -> tuple[cst.BaseExpression, str] | None:
    """``(owner, attr)`` of ``@owner.attr`` or ``@owner.attr(...)``."""
    expr = decorator.func if isinstance(decorator, cst.Call) else decorator
    if isinstance(expr, cst.Attribute):
        return expr.value, expr.attr.value
    return None


def _call_arg(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    if position < len(positional):
        return positional[position].value
    return None


def find_handlers(model: FileModel) -> dict[cst.FunctionDef, Handler]:
    """Every handler defined in the module, found by decorators and call-form registrations."""
    handlers: dict[cst.FunctionDef, Handler] = {}
    order = 0
    for scope in model.index.scopes:
        node = scope.node
        if isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                found = _handler_from_decorator(model, node, decorator.decorator, order)
                if found is not None:
                    handlers.setdefault(node, found)
                    order += 1
        elif isinstance(node, cst.ClassDef):
            order = _class_based_views(model, node, handlers, order)
        for call in scope.calls:
            order = _call_registration(model, scope.node, call, handlers, order)
    return handlers


def _owner_kind(model: FileModel, owner: cst.BaseExpression, scope_node: cst.CSTNode) -> str | None:
    kind = model.kind_of(owner, scope_node)
    return kind if kind in (APP, BLUEPRINT) else None


def _handler_from_decorator(
    model: FileModel, func: cst.FunctionDef, decorator: cst.BaseExpression, order: int
) -> Handler | None:
    if model.qualified_name(decorator, func) == "flask.after_this_request":
        return Handler("after_this_request", "after_this_request", None, None, order)
    target = _decorator_target(decorator)
    if target is None:
        return None
    owner, attr = target
    scope_node = model.index.scope_of[func].parent.node  # type: ignore[union-attr]
    if attr not in ROUTE_DECORATORS and attr not in HOOK_KINDS:
        return None
    owner_kind = _owner_kind(model, owner, scope_node)
    if owner_kind is None:
        return None
    if attr in ROUTE_DECORATORS:
        # ``@app.get`` without a rule argument is not a route registration.
        if attr != "route" and not isinstance(decorator, cst.Call):
            return None
        return Handler("route", attr, owner, owner_kind, order, scope_node)
    return Handler(HOOK_KINDS[attr], attr, owner, owner_kind, order, scope_node)


def _class_based_views(
    model: FileModel, cls: cst.ClassDef, handlers: dict[cst.FunctionDef, Handler], order: int
) -> int:
    bases = {model.class_base_kind(base.value, cls) for base in cls.bases}
    if bases & RESTFUL_BASES:
        kind, methods = "restful", HTTP_METHOD_NAMES
    elif "flask.views.MethodView" in bases:
        kind, methods = "method_view", HTTP_METHOD_NAMES
    elif bases & VIEW_BASES:
        kind, methods = "method_view", frozenset({"dispatch_request"})
    else:
        return order
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value in methods:
            handlers.setdefault(stmt, Handler(kind, stmt.name.value, None, None, order))
            order += 1
    return order


def _call_registration(
    model: FileModel,
    scope_node: cst.CSTNode,
    call: cst.Call,
    handlers: dict[cst.FunctionDef, Handler],
    order: int,
) -> int:
    func = call.func
    if not isinstance(func, cst.Attribute):
        return order
    attr = func.attr.value
    if attr == "add_url_rule":
        target = _call_arg(call, 2, "view_func")
        kind, hook = "route", "add_url_rule"
    elif attr == "register_error_handler":
        target = _call_arg(call, 1, "f")
        kind, hook = "error_handler", attr
    elif attr in HOOK_KINDS and attr not in ("errorhandler", "app_errorhandler"):
        target = _call_arg(call, 0, "f")
        kind, hook = HOOK_KINDS[attr], attr
    else:
        return order
    if target is None:
        return order
    owner_kind = _owner_kind(model, func.value, scope_node)
    if owner_kind is None:
        return order
    function = model.function_for(target, scope_node)
    if function is not None:
        handlers.setdefault(
            function, Handler(kind, hook, func.value, owner_kind, order, scope_node)
        )
        return order + 1
    return order
