"""Global header providers: what sets headers on *every* response of an app (catalogue §4 C).

``providers(app, set_by_proxy)`` collects, across the whole project:

1. Flask-Talisman bound to the app (``Talisman(app, …)`` or ``t.init_app(app, …)``),
   with its effective options (``model/talisman.py``);
2. ``secure`` (``Secure.with_default_headers()`` / ``from_preset`` / ``Secure(csp=…)``)
   whose ``set_headers(response)`` runs in an app-wide hook, or
   ``app.wsgi_app = SecureWSGIMiddleware(app.wsgi_app, …)``;
3. app-wide ``after_request`` hooks (including ``after_app_request`` of
   registered blueprints) and the literal header names they write;
4. ``app.wsgi_app = Unknown(app.wsgi_app)`` and hooks that hand the response
   to code we cannot see: *unknown* providers (rules say "cannot verify");
5. the ``set-by-proxy`` setting (headers added by nginx / a CDN).

Per-view writes and blueprint-scoped ``after_request`` hooks never count:
they miss error pages and other routes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import (
    APP,
    RESTFUL_API,
    RESTX_API,
    SECURE,
    TALISMAN,
    canonical,
)
from flasklint_headers.model.responses import FunctionResponses, analyse_function
from flasklint_headers.model.talisman import TalismanConfig, talisman_config
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.apps import AppInfo, HookInfo
    from flasklint_headers.model.file_model import FileModel, ScopeNode
    from flasklint_headers.model.project import ProjectModel

# Pseudo header: CSP ``frame-ancestors`` (an alternative to X-Frame-Options).
FRAME_ANCESTORS = "csp:frame-ancestors"
# What every ``secure`` preset sets (secure 2.0.1 ``_internal/presets.py``).
SECURE_PRESET_HEADERS = frozenset(
    {
        "content-security-policy",
        "strict-transport-security",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
    }
)
# ``Secure(...)`` keyword -> header.
SECURE_KEYWORDS = {
    "cache": "cache-control",
    "coep": "cross-origin-embedder-policy",
    "coop": "cross-origin-opener-policy",
    "corp": "cross-origin-resource-policy",
    "csp": "content-security-policy",
    "hsts": "strict-transport-security",
    "permissions": "permissions-policy",
    "referrer": "referrer-policy",
    "xpcdp": "x-permitted-cross-domain-policies",
    "xdfc": "x-dns-prefetch-control",
    "server": "server",
    "xcto": "x-content-type-options",
    "xfo": "x-frame-options",
}
SECURE_MIDDLEWARE = frozenset(
    {"secure.middleware.SecureWSGIMiddleware", "secure.middleware.wsgi.SecureWSGIMiddleware"}
)
# WSGI middleware known to add no security headers (wrapping with them changes nothing here).
# Library functions that take the response only to set or delete cookies.
COOKIE_ONLY_HELPERS = frozenset(
    f"flask_jwt_extended.{module}{name}"
    for module in ("", "utils.")
    for name in (
        "set_access_cookies",
        "set_refresh_cookies",
        "unset_jwt_cookies",
        "unset_access_cookies",
        "unset_refresh_cookies",
    )
)

NEUTRAL_MIDDLEWARE = frozenset(
    {
        "werkzeug.middleware.proxy_fix.ProxyFix",
        "werkzeug.contrib.fixers.ProxyFix",
        "werkzeug.middleware.dispatcher.DispatcherMiddleware",
        "werkzeug.wsgi.DispatcherMiddleware",
        "werkzeug.middleware.shared_data.SharedDataMiddleware",
        "werkzeug.middleware.profiler.ProfilerMiddleware",
        "werkzeug.contrib.profiler.ProfilerMiddleware",  # Werkzeug < 1.0
        "werkzeug.middleware.lint.LintMiddleware",
        "werkzeug.contrib.lint.LintMiddleware",  # Werkzeug < 1.0
        "werkzeug.debug.DebuggedApplication",
        "werkzeug.middleware.http_proxy.ProxyMiddleware",
        "sentry_sdk.integrations.wsgi.SentryWsgiMiddleware",
        # Socket.IO / Engine.IO answer their own path (and static files they are
        # given) and hand every other request to the wrapped app untouched.
        "socketio.WSGIApp",
        "socketio.Middleware",
        "socketio.middleware.WSGIApp",
        "socketio.middleware.Middleware",
        "engineio.WSGIApp",
        "engineio.Middleware",
        "engineio.middleware.WSGIApp",
        "engineio.middleware.Middleware",
    }
)
PROXY_FIX = frozenset(
    {"werkzeug.middleware.proxy_fix.ProxyFix", "werkzeug.contrib.fixers.ProxyFix"}
)
_WRITE_OPS = frozenset(
    {"setitem", "set", "add", "add_header", "setdefault", "setlist", "property", "property_add"}
)


@dataclass(eq=False)
class ProviderSource:
    """One thing that sets headers on every response of the app."""

    kind: str  # "talisman" | "secure" | "hook" | "proxy" | "unknown"
    headers: frozenset[str]  # lower-case header names (plus FRAME_ANCESTORS)
    description: str
    model: FileModel | None = field(default=None, repr=False)
    node: cst.CSTNode | None = field(default=None, repr=False)


@dataclass(eq=False)
class AppProviders:
    app: AppInfo
    sources: list[ProviderSource] = field(default_factory=list)
    # Providers we cannot see into (unknown WSGI middleware, opaque hook helpers).
    unknown: list[ProviderSource] = field(default_factory=list)
    talisman: list[TalismanConfig] = field(default_factory=list)
    # App-wide after_request hooks, in registration order.
    hooks: list[HookInfo] = field(default_factory=list)
    has_proxy_fix: bool = False

    def covers(self, header: str) -> bool:
        """True when some provider certainly (or possibly, for unknown options) sets ``header``."""
        lower = header.lower()
        return any(lower in source.headers for source in self.sources)

    def covers_frame_protection(self) -> bool:
        return self.covers("x-frame-options") or self.covers(FRAME_ANCESTORS)


def providers(app: AppInfo, set_by_proxy: Iterable[str] = ()) -> AppProviders:
    """The global header providers of ``app`` (cached per project state)."""
    base = _project_cache(app.model.project).setdefault(id(app), None)
    if base is None:
        base = _collect(app)
        _project_cache(app.model.project)[id(app)] = base
    proxy = frozenset(h.lower() for h in set_by_proxy)
    if not proxy:
        return base
    result = AppProviders(
        app,
        [*base.sources, ProviderSource("proxy", proxy, "set-by-proxy setting")],
        base.unknown,
        base.talisman,
        base.hooks,
        base.has_proxy_fix,
    )
    return result


def _project_cache(project: ProjectModel) -> dict[int, AppProviders | None]:
    """Cache keyed by app; dropped whenever the project's set of modules changes."""
    return project.remember("providers", dict)


def _collect(app: AppInfo) -> AppProviders:
    project = app.model.project
    result = AppProviders(app)
    for init in project.extension_inits(app, TALISMAN):
        config = talisman_config(init)
        result.talisman.append(config)
        result.sources.append(_talisman_source(config))
    result.hooks = project.app_hooks(app, ("after_request",))
    for hook in result.hooks:
        _hook_sources(hook, result)
    _middleware_sources(app, result)
    _opaque_registrations(app, result)
    _opaque_blueprint_sources(app, result)
    return result


def _opaque_blueprint_sources(app: AppInfo, result: AppProviders) -> None:
    """A blueprint we cannot follow is registered on the app, and the project has an
    app-wide blueprint hook (``after_app_request``) not known to be on any app: it may
    be that blueprint's, and set headers on every response."""
    project = app.model.project
    registrations = [b for b in opaque_blueprints(project) if b.app is app]
    if not registrations:
        return
    hook = _unplaced_app_wide_hook(app)
    for registration in registrations:
        model, call = registration.model, registration.call
        code = model.module.code_for_node(call.args[0].value)
        origin = _imported_from(model, call.args[0].value)
        if _loaded_by_name(model, call, registration.scope):
            reason = f"blueprint `{code}` comes from a module loaded by name"
        elif origin is not None and _same_package(model, origin):
            reason = f"blueprint `{code}` comes from `{origin}`, which is not checked"
        elif hook is not None and origin is None:
            reason = (
                f"blueprint `{code}` cannot be followed, and `after_app_request` hook "
                f"`{hook.name.value}` may be its"
            )
        else:
            continue  # a library's blueprint: it is not what sets the app's headers
        result.unknown.append(ProviderSource("unknown", frozenset(), reason, model, call))
        return


# Calls that import a module named by a string: what they return cannot be followed.
_DYNAMIC_IMPORTS = frozenset(
    {"importlib.import_module", "werkzeug.utils.import_string", "builtins.__import__", "__import__"}
)


def _root_name(expr: cst.BaseExpression) -> cst.Name | None:
    """``mod`` in ``mod.blueprint()``, ``mod.bp`` or ``mods[name].bp``."""
    while isinstance(expr, (cst.Attribute, cst.Call, cst.Subscript)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return expr if isinstance(expr, cst.Name) else None


def _imported_from(model: FileModel, expr: cst.BaseExpression) -> str | None:
    """The module the expression starts from when it is imported from a module that is
    not modelled (a library, or a project file outside the run)."""
    root = _root_name(expr)
    binding = model.index.imports.get(root.value) if root is not None else None
    if binding is None:
        return None
    target = canonical(binding.target)
    project = model.project
    if target in project.modules or project.split_symbol(target) is not None:
        return None
    return target.rpartition(".")[0] or target


def _same_package(model: FileModel, module: str) -> bool:
    """``module`` is in the model's own top-level package (a project file, not a library)."""
    own = model.module_name.partition(".")[0]
    return bool(own) and module.partition(".")[0] == own


def _loaded_by_name(model: FileModel, call: cst.Call, scope: ScopeNode) -> bool:
    """``register_blueprint(mod.bp)`` where ``mod = importlib.import_module(...)``."""
    root = _root_name(call.args[0].value)
    if root is None:
        return False
    for value in model.bindings(root.value, scope):
        while isinstance(value, (cst.Attribute, cst.Subscript)):
            value = value.value
        if isinstance(value, cst.Call):
            callee = model.qualified_name(value.func, scope)
            if callee in _DYNAMIC_IMPORTS:
                return True
    return False


def _unplaced_app_wide_hook(app: AppInfo) -> cst.FunctionDef | None:
    """An ``after_app_request`` hook of a blueprint registered on no known app."""
    from flasklint_headers.model.apps import apps_of_owner

    project = app.model.project
    for model in project.linked_modules(app.model):
        for func, handler in model.handlers().items():
            if handler.hook != "after_app_request" or handler.owner is None:
                continue
            if not apps_of_owner(model, handler.owner, handler.owner_scope):
                return func
    return None


def _opaque_registrations(app: AppInfo, result: AppProviders) -> None:
    """``app.after_request(f)`` where ``f`` is not a project function (a library's hook)."""
    for model, scope, call in _method_calls(app.model.project, "after_request"):
        owner = call.func.value  # type: ignore[attr-defined]
        target = call.args[0].value
        if _project_function(model, target, scope):
            continue
        if model.kind_of(owner, scope) != APP:
            continue
        if model.project.app_of(model, owner, scope) is not app:
            continue
        code = model.module.code_for_node(target)
        result.unknown.append(
            ProviderSource(
                "unknown",
                frozenset(),
                f"`after_request({code})` registers code that cannot be checked",
                model,
                call,
            )
        )


def _method_calls(
    project: ProjectModel, method: str
) -> Iterator[tuple[FileModel, ScopeNode, cst.Call]]:
    """Statement calls ``X.<method>(arg, ...)`` with a plain first positional argument in
    the project's modules and functions: (module, scope, call)."""
    for model in project.all_modules():
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            scope_node = None if scope is model.index.root else scope.node
            for call in scope.calls:
                func = call.func
                if (
                    isinstance(func, cst.Attribute)
                    and func.attr.value == method
                    and call.args
                    and call.args[0].keyword is None
                    and not call.args[0].star
                ):
                    yield model, scope_node, call  # type: ignore[misc]


def _project_function(model: FileModel, expr: cst.BaseExpression, scope: ScopeNode) -> bool:
    if model.function_for(expr, scope) is not None:
        return True
    qualified = model.qualified_name(expr, scope)
    return qualified is not None and model.project.definition(qualified) is not None


def _talisman_source(config: TalismanConfig) -> ProviderSource:
    written = config.headers_written()
    # ``None`` (cannot tell) counts as covered: unknown never produces a finding.
    headers = {name for name, on in written.items() if on is not False}
    frame = config.csp_has_frame_ancestors()
    if written["content-security-policy"] is not False and frame is not False:
        headers.add(FRAME_ANCESTORS)
    return ProviderSource(
        "talisman", frozenset(headers), "Flask-Talisman", config.init.model, config.init.call
    )


# -- hooks ----------------------------------------------------------------------------------
def _hook_sources(hook: HookInfo, result: AppProviders) -> None:
    model, func = hook.model, hook.function
    headers, opaque = _headers_written(model, func, model.responses_in(func), 0)
    description = f"after_request hook `{func.name.value}`"
    if headers:
        result.sources.append(ProviderSource("hook", frozenset(headers), description, model, func))
    if opaque:
        result.unknown.append(
            ProviderSource(
                "unknown",
                frozenset(),
                f"{description} passes the response to code that cannot be checked",
                model,
                func,
            )
        )


def hook_headers(model: FileModel, func: cst.FunctionDef) -> set[str]:
    """Lower-case names of the headers an ``after_request`` hook writes on the response,
    through the project helpers it hands the response to (``return add_csp(resp)``)."""
    return _headers_written(model, func, model.responses_in(func), 0)[0]


# How deep project helpers that receive the response are followed.
_MAX_HELPER_DEPTH = 4


def _headers_written(
    model: FileModel, func: cst.FunctionDef, responses: FunctionResponses, depth: int
) -> tuple[set[str], bool]:
    """Headers ``func`` writes on the response it gets, and whether other code gets it too.

    A project function the response is handed to as its first argument
    (``response = add_headers(response)``) is followed; anything else that
    receives the response makes the answer opaque.
    """
    headers: set[str] = set()
    opaque = False
    for write in responses.writes:
        if write.op in _WRITE_OPS:
            if write.header is not None:
                headers.add(write.header.lower())
                if write.header.lower() == "content-security-policy" and _has_frame_ancestors(
                    model, write.value_node, func
                ):
                    headers.add(FRAME_ANCESTORS)
            else:
                names = _loop_keys(model, func, write.name_node)
                if names is None:
                    opaque = True
                headers.update(names or ())
        elif write.op in ("update", "extend", "ior"):
            names = _mapping_keys(model, write.value_node, func)
            if names is None:
                opaque = True
            headers.update(names or ())
        elif write.op == "assign":
            opaque = True
    param = _first_param(func)
    for call in _calls_with(func, param):
        secure_headers = _secure_headers_of_call(model, call, func)
        if secure_headers is not None:
            headers.update(secure_headers)
            continue
        if model.qualified_name(call.func, func) in COOKIE_ONLY_HELPERS:
            continue  # sets or deletes cookies, nothing else
        helper = _response_helper(model, call, func, param) if depth < _MAX_HELPER_DEPTH else None
        if helper is None:
            opaque = True
            continue
        helper_model, helper_func = helper
        found, helper_opaque = _headers_written(
            helper_model,
            helper_func,
            analyse_function(helper_model, helper_func, first_param_is_response=True),
            depth + 1,
        )
        headers.update(found)
        opaque = opaque or helper_opaque
    return headers, opaque


def _response_helper(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef, param: str | None
) -> tuple[FileModel, cst.FunctionDef] | None:
    """The project ``def`` a call hands the response to as its first argument (plain calls)."""
    args = call.args
    if not args or args[0].keyword is not None or args[0].star:
        return None
    first = args[0].value
    if not (isinstance(first, cst.Name) and first.value == param):
        return None
    if any(isinstance(a.value, cst.Name) and a.value.value == param for a in args[1:]):
        return None
    local = model.function_for(call.func, scope)
    if local is not None:
        found: tuple[FileModel, cst.FunctionDef | cst.ClassDef] | None = (model, local)
    else:
        qualified = model.qualified_name(call.func, scope)
        found = model.project.definition(qualified) if qualified else None
    if found is None or not isinstance(found[1], cst.FunctionDef):
        return None
    helper_model, helper = found
    params = [*helper.params.posonly_params, *helper.params.params]
    if not params or params[0].name.value in ("self", "cls") or helper.decorators:
        return None
    return helper_model, helper


def _has_frame_ancestors(
    model: FileModel, value: cst.BaseExpression | None, scope: ScopeNode
) -> bool:
    if value is None:
        return False
    from flasklint_headers.values.csp import parse_csp

    parts = model.string_parts(value, scope)
    if parts is None:
        return False
    # Any frame-ancestors counts: even ``*`` is a deliberate framing decision (and
    # adding X-Frame-Options next to it would change nothing: CSP takes precedence).
    return parse_csp(parts).get("frame-ancestors") is not None


def _mapping_keys(
    model: FileModel, value: cst.BaseExpression | None, scope: ScopeNode
) -> set[str] | None:
    """Lower-case keys of a constant mapping / list of pairs, or None when unknown."""
    if value is None:
        return None
    const = model.const(value, scope)
    if isinstance(const, dict) and all(isinstance(k, str) for k in const):
        return {k.lower() for k in const}
    if isinstance(const, (list, tuple)):
        keys: set[str] = set()
        for item in const:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                return None
            keys.add(item[0].lower())
        return keys
    return None


def _loop_keys(
    model: FileModel, func: cst.FunctionDef, key: cst.BaseExpression | None
) -> set[str] | None:
    """``for k, v in CONST.items(): r.headers[k] = v`` -> the keys of CONST."""
    if not isinstance(key, cst.Name):
        return None
    finder = _ForLoops(key.value)
    walk(func.body, finder)
    for iterable in finder.iterables:
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Attribute)
            and iterable.func.attr.value == "items"
        ):
            iterable = iterable.func.value
        keys = _mapping_keys(model, iterable, func)
        if keys is not None:
            return keys
    return None


class _ForLoops(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.iterables: list[cst.BaseExpression] = []

    def visit_For(self, node: cst.For) -> None:
        target = node.target
        first = (
            target.elements[0].value
            if isinstance(target, cst.Tuple) and target.elements
            else target
        )
        if isinstance(first, cst.Name) and first.value == self.name:
            self.iterables.append(node.iter)


def _first_param(func: cst.FunctionDef) -> str | None:
    params = [*func.params.posonly_params, *func.params.params]
    if params and params[0].name.value in ("self", "cls") and len(params) > 1:
        return params[1].name.value
    return params[0].name.value if params else None


class _CallsWith(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.calls: list[cst.Call] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if any(isinstance(a.value, cst.Name) and a.value.value == self.name for a in node.args):
            self.calls.append(node)


def _calls_with(func: cst.FunctionDef, param: str | None) -> list[cst.Call]:
    """Calls in ``func`` that receive the response object itself as an argument."""
    if param is None:
        return []
    finder = _CallsWith(param)
    walk(func.body, finder)
    return finder.calls


def _secure_headers_of_call(
    model: FileModel, call: cst.Call, scope: ScopeNode
) -> frozenset[str] | None:
    """Headers set by ``<secure instance>.set_headers(response)``; None for any other call."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "set_headers"):
        return None
    if model.kind_of(func.value, scope) != SECURE:
        return None
    return secure_instance_headers(model, func.value, scope)


def secure_instance_headers(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
) -> frozenset[str]:
    """Headers a ``secure.Secure`` instance sets (presets: all; ``Secure(csp=…)``: those given)."""
    value: cst.BaseExpression | None = expr
    for _ in range(5):
        if not isinstance(value, cst.Name):
            break
        next_scope = model.scope_node_of_binding(value.value, scope)
        value = model.single_assigned_value(value.value, scope)
        scope = next_scope
    if isinstance(value, cst.Call) and model.qualified_name(value.func, scope) == SECURE:
        if any(arg.star for arg in value.args):
            return SECURE_PRESET_HEADERS | frozenset(SECURE_KEYWORDS.values())
        headers = {
            SECURE_KEYWORDS[arg.keyword.value]
            for arg in value.args
            if arg.keyword is not None and arg.keyword.value in SECURE_KEYWORDS
        }
        return frozenset(headers)
    # A preset (or an instance we cannot trace): every preset sets the core headers.
    return SECURE_PRESET_HEADERS


# -- WSGI middleware ------------------------------------------------------------------------
def _middleware_sources(app: AppInfo, result: AppProviders) -> None:
    for model in app.model.project.all_modules():
        for assign, target, scope in model.index.wsgi_app_assignments:
            if model.kind_of(target.value, scope) != APP:
                continue
            if model.project.app_of(model, target.value, scope) is not app:
                continue
            _classify_middleware(model, assign, scope, result)


def _middleware_value(
    model: FileModel, value: cst.BaseExpression, scope: ScopeNode
) -> tuple[cst.BaseExpression, ScopeNode]:
    """The call that built the middleware: ``app.wsgi_app = wrapped`` follows ``wrapped``
    when it is assigned once (``wrapped = DispatcherMiddleware(...)``)."""
    if isinstance(value, cst.Name):
        assigned = model.single_assigned_value(value.value, scope)
        if isinstance(assigned, cst.Call):
            return assigned, model.scope_node_of_binding(value.value, scope)
    return value, scope


def _passes_responses_through(project: ProjectModel, callee: str) -> bool:
    """A project middleware class that hands the app's responses back untouched.

    Its ``__call__(self, environ, start_response)`` may rewrite ``environ``
    (``ReverseProxied``, ``PrefixMiddleware``) and answer some requests itself,
    but every use of ``start_response`` is either calling it (its own answer)
    or ``return self.<app>(environ, start_response)``: the wrapped app's status,
    headers and body reach the server as the app made them. No nested function
    may see ``start_response`` (that is how header-adding wrappers are built).
    """
    found = project.definition(callee)
    if found is None or not isinstance(found[1], cst.ClassDef):
        return False
    cls = found[1]
    if any(not (isinstance(b.value, cst.Name) and b.value.value == "object") for b in cls.bases):
        return False
    call = next(
        (
            stmt
            for stmt in cls.body.body
            if isinstance(stmt, cst.FunctionDef) and stmt.name.value == "__call__"
        ),
        None,
    )
    if call is None or call.decorators or call.asynchronous is not None:
        return False
    params = call.params.params
    if len(params) != 3 or call.params.star_arg is not cst.MaybeSentinel.DEFAULT:
        return False
    checker = _StartResponseUses(params[2].name.value)
    walk(call.body, checker)
    return checker.pass_through


class _StartResponseUses(cst.CSTVisitor):
    """Does ``start_response`` only get called, or passed on in ``return self.x(environ, it)``?"""

    def __init__(self, name: str) -> None:
        self.name = name
        self.pass_through = True
        self._allowed: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.pass_through = False
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.pass_through = False
        return False

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Attribute)
            and isinstance(value.func.value, cst.Name)
            and value.func.value.value == "self"
            and len(value.args) == 2
            and not any(a.keyword or a.star for a in value.args)
            and isinstance(value.args[1].value, cst.Name)
        ):
            self._allowed.add(id(value.args[1].value))

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == self.name:
            self._allowed.add(id(node.func))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name and id(node) not in self._allowed:
            self.pass_through = False


def _as_written(model: FileModel, expr: cst.BaseExpression) -> str:
    text = " ".join(model.module.code_for_node(expr).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _classify_middleware(
    model: FileModel, assign: cst.Assign, scope: ScopeNode, result: AppProviders
) -> None:
    value, scope = _middleware_value(model, assign.value, scope)
    callee = model.qualified_name(value.func, scope) if isinstance(value, cst.Call) else None
    if callee in PROXY_FIX:
        result.has_proxy_fix = True
    if callee in NEUTRAL_MIDDLEWARE or (
        callee is not None and _passes_responses_through(model.project, callee)
    ):
        return
    if callee in SECURE_MIDDLEWARE:
        assert isinstance(value, cst.Call)
        secure_arg = next(
            (a.value for a in value.args if a.keyword is not None and a.keyword.value == "secure"),
            None,
        )
        headers = (
            secure_instance_headers(model, secure_arg, scope)
            if secure_arg is not None
            else SECURE_PRESET_HEADERS
        )
        result.sources.append(
            ProviderSource("secure", headers, "SecureWSGIMiddleware", model, assign)
        )
        return
    name = callee or _as_written(model, value.func if isinstance(value, cst.Call) else value)
    result.unknown.append(
        ProviderSource(
            "unknown",
            frozenset(),
            f"WSGI middleware `{name}` wraps the app",
            model,
            assign,
        )
    )


# -- views ------------------------------------------------------------------------------------
def app_has_views(app: AppInfo) -> bool:
    """True when a route of the app (or of a blueprint registered on it) exists, and the
    app is one that is served (``is_served``).

    Class-based views and Flask-RESTful resources have no owner in the model:
    a RESTX resource counts for the app of the ``Api(app)`` it is routed on, else
    when ``app`` is the only app linked to its module. ``add_url_rule`` with any
    view (a lambda, a factory's result) and a blueprint that cannot be followed
    (``opaque_blueprints``) count too.
    """
    project = app.model.project
    return id(app) in project.remember("apps-with-views", lambda: _apps_with_views(project))


# ``SessionInterface`` methods that decide the session cookie's attributes.
_COOKIE_FLAG_METHODS = frozenset(
    {"get_cookie_secure", "get_cookie_samesite", "get_cookie_httponly"}
)


def session_cookie_from_project(app: AppInfo) -> bool:
    """The app's ``session_interface`` is replaced by code that writes the session cookie
    its own way: a project class overriding a ``get_cookie_*`` method (indico's
    ``get_cookie_secure`` returns ``request.is_secure``) or ``save_session`` without
    handing over to ``super().save_session`` (OctoPrint and changedetection.io do hand
    over), or a value that cannot be followed.  Then the ``SESSION_COOKIE_*`` settings
    may not decide the flags."""
    project = app.model.project
    found = project.remember("custom-session-interfaces", lambda: _session_interfaces(project))
    return id(app) in found


def _session_interfaces(project: ProjectModel) -> set[int]:
    from flasklint_headers.model.apps import apps_of

    found: set[int] = set()
    for model in project.all_modules():
        for scope in model.index.scopes:
            scope_node = None if scope is model.index.root else scope.node
            for effect in scope.effects:
                if not isinstance(effect, cst.Assign):
                    continue
                for target in effect.targets:
                    attribute = target.target
                    if not (
                        isinstance(attribute, cst.Attribute)
                        and attribute.attr.value == "session_interface"
                    ):
                        continue
                    if not _writes_cookie_itself(model, effect.value, scope_node):
                        continue
                    found.update(id(app) for app in apps_of(model, attribute.value, scope_node))
    for app in project.apps():  # ``class IndicoFlask(Flask): session_interface = ...``
        value = _class_session_interface(app)
        if value is not None and _writes_cookie_itself(value[0], value[1], value[2]):
            found.add(id(app))
    return found


def _class_session_interface(
    app: AppInfo,
) -> tuple[FileModel, cst.BaseExpression, ScopeNode] | None:
    """The ``session_interface = ...`` class attribute of the app's project class (or of
    its project bases): (its module, the value, the class)."""
    scope = None if isinstance(app.scope, cst.Module) else app.scope
    callee = app.model.qualified_name(app.call.func, scope)
    for model, cls in app.model.project.class_lineage(callee) if callee else ():
        for statement in cls.body.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value == "session_interface"
                    for t in small.targets
                ):
                    return model, small.value, None
    return None


def _writes_cookie_itself(
    model: FileModel, value: cst.BaseExpression, scope: ScopeNode, depth: int = 0
) -> bool:
    if depth > 3:
        return True
    if isinstance(value, cst.Name):
        bound = model.single_assigned_value(value.value, scope)
        return True if bound is None else _writes_cookie_itself(model, bound, scope, depth + 1)
    if not isinstance(value, cst.Call):
        return True  # cannot be followed
    callee = model.qualified_name(value.func, scope)
    if callee is None:
        return True
    definition = model.project.definition(model.project.resolve_symbol(callee))
    if definition is None:
        # A library's interface (flask-session's, Flask's own) asks ``get_cookie_*``,
        # which read the ``SESSION_COOKIE_*`` settings.
        return False
    target_model, node = definition
    if isinstance(node, cst.FunctionDef):  # a factory: what it returns
        returns = [r.value for r in target_model.scope_of_function(node).returns if r.value]
        return not returns or any(
            _writes_cookie_itself(target_model, r, node, depth + 1) for r in returns
        )
    lineage = model.project.class_lineage(model.project.resolve_symbol(callee))
    return any(_overrides_cookie_methods(cls) for _, cls in lineage)


def _overrides_cookie_methods(cls: cst.ClassDef) -> bool:
    for statement in cls.body.body:
        if not isinstance(statement, cst.FunctionDef):
            continue
        name = statement.name.value
        if name in _COOKIE_FLAG_METHODS:
            return True
        if name == "save_session" and not _hands_over(statement):
            return True
    return False


class _SuperSave(cst.CSTVisitor):
    """Finds ``super().save_session(...)`` or ``Base.save_session(self, ...)``."""

    def __init__(self) -> None:
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "save_session"):
            return
        owner = func.value
        if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name):
            self.found |= owner.func.value == "super"
        elif isinstance(owner, (cst.Name, cst.Attribute)) and node.args:
            first = node.args[0].value
            self.found |= isinstance(first, cst.Name) and first.value == "self"


def _hands_over(save_session: cst.FunctionDef) -> bool:
    """``save_session`` ends up in the base class's (``super().save_session(...)``), which
    writes the cookie with the ``get_cookie_*`` settings."""
    visitor = _SuperSave()
    walk(save_session.body, visitor)
    return visitor.found


# What says that an app is built for documentation tools, never served:
# ``def make_doc(): """Only used for sphinx documentation"""`` (Sphinx's autoflask).
_DOCS_TOOL_WORDS = frozenset({"sphinx", "autoflask", "apidoc"})
_DOCS_WORDS = frozenset({"doc", "docs"})
_DOCS_PHRASES = ("sphinx", "autoflask")
# Methods of an app used only for a context (``app.test_request_context(...)``).
_CONTEXT_METHODS = frozenset({"test_request_context", "app_context", "request_context"})
# ... and what serves it (``app.run()``, ``serve(app.wsgi_app)``).
_SERVING_ATTRIBUTES = frozenset({"run", "wsgi_app", "__call__"})


def is_served(app: AppInfo) -> bool:
    """False for apps that exist for another purpose than serving requests.

    * Built in a function made for documentation tools: its docstring mentions
      Sphinx or autoflask, its name has a word ``sphinx``/``autoflask``/``apidoc``,
      or both its name and the app's have a word ``doc``/``docs``
      (``def make_doc(): doc_app = Flask(...)``; rucio's apps for ``autoflask``).
      A ``create_docs_app()`` whose app is called ``app`` may serve docs: checked.
    * A throwaway inside a function, used only for a request or app context
      (``Flask("rpc").test_request_context(...)``): every use of its name there is an
      attribute of it, one of them a context method, and it is never run
      (``run``, ``wsgi_app``).
    """
    scope = app.scope
    if not isinstance(scope, cst.FunctionDef):
        return True
    if _for_documentation(scope, app.name):
        return False
    return app.name is None or not _context_only(scope, app.name)


def _words(name: str) -> set[str]:
    return set(name.lower().split("_"))


def _for_documentation(func: cst.FunctionDef, app_name: str | None) -> bool:
    words = _words(func.name.value)
    if words & _DOCS_TOOL_WORDS:
        return True
    if words & _DOCS_WORDS and app_name is not None and _words(app_name) & _DOCS_WORDS:
        return True
    docstring = (func.get_docstring() or "").lower()
    return any(phrase in docstring for phrase in _DOCS_PHRASES)


class _NameAsBase(cst.CSTVisitor):
    """Attributes read or written on ``name`` (``name.attr``), and the assignments to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.attributes: list[str] = []
        self.assignments = 0

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.name:
            self.attributes.append(node.attr.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.assignments += 1


def _context_only(func: cst.FunctionDef, name: str) -> bool:
    from flasklint_headers.syntax import name_uses

    visitor = _NameAsBase(name)
    walk(func, visitor)
    if len(name_uses(func, name)) != len(visitor.attributes) + visitor.assignments:
        return False  # returned, passed on, stored: it may be served
    attributes = set(visitor.attributes)
    return bool(attributes & _CONTEXT_METHODS) and not attributes & _SERVING_ATTRIBUTES


def api_apps(model: FileModel, method: cst.FunctionDef) -> list[AppInfo]:
    """Apps of the ``Api(app)`` a Flask-RESTX resource class is routed on (``@api.route``)."""
    from flasklint_headers.model.apps import app_argument, apps_of, trace_instance

    scope = model.index.scope_of.get(method)
    cls_scope = scope.parent if scope is not None else None
    if cls_scope is None or not isinstance(cls_scope.node, cst.ClassDef):
        return []
    outer = cls_scope.parent
    outer_node = None if outer is None or outer is model.index.root else outer.node
    found: list[AppInfo] = []
    for decorator in cls_scope.node.decorators:
        call = decorator.decorator
        if not (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "route"
        ):
            continue
        for kind in (RESTX_API, RESTFUL_API):
            traced = trace_instance(model, call.func.value, outer_node, kind)
            if traced is None:
                continue
            api_model, constructor, api_scope = traced
            app = app_argument(constructor)
            if app is not None:
                found += apps_of(api_model, app, api_scope)
    return found


def _apps_with_views(project: ProjectModel) -> set[int]:
    """``id`` of every app with a view: one pass over the handlers, however many apps."""
    from flasklint_headers.model.apps import apps_of_owner

    found: set[int] = set()
    for model in project.all_modules():
        for func, handler in model.handlers().items():
            if handler.kind not in ("route", "method_view", "restful"):
                continue
            if handler.owner is None:
                apps = api_apps(model, func) if handler.kind == "restful" else []
                linked = project.linked_apps(model)
                if not apps and len(linked) == 1:
                    apps = linked
                found.update(id(a) for a in apps)
                continue
            found.update(id(a) for a in apps_of_owner(model, handler.owner, handler.owner_scope))
        found.update(_apps_with_url_rules(model))
    found.update(id(b.app) for b in opaque_blueprints(project))
    return {i for i in found if is_served(_app_by_id(project, i))}


def _app_by_id(project: ProjectModel, key: int) -> AppInfo:
    return next(app for app in project.apps() if id(app) == key)


@dataclass(frozen=True, eq=False)
class OpaqueBlueprint:
    """``app.register_blueprint(x)`` where ``x`` cannot be traced to a ``Blueprint(...)``."""

    app: AppInfo
    model: FileModel
    call: cst.Call
    scope: ScopeNode


def opaque_blueprints(project: ProjectModel) -> list[OpaqueBlueprint]:
    """Blueprints registered on an app that the model cannot follow: from a module loaded
    by name (``importlib.import_module(...).bp``) or from a library.  Their routes are
    the app's too.  Computed once per project."""
    return project.remember("opaque-blueprints", lambda: _opaque_blueprints(project))


def _opaque_blueprints(project: ProjectModel) -> list[OpaqueBlueprint]:
    from flasklint_headers.model.apps import apps_of, trace_instance
    from flasklint_headers.model.names import BLUEPRINT

    found: list[OpaqueBlueprint] = []
    for model, scope, call in _method_calls(project, "register_blueprint"):
        owner = call.func.value  # type: ignore[attr-defined]
        if trace_instance(model, call.args[0].value, scope, BLUEPRINT) is not None:
            continue
        if model.kind_of(owner, scope) != APP:
            continue
        found.extend(
            OpaqueBlueprint(app, model, call, scope) for app in apps_of(model, owner, scope)
        )
    return found


def _apps_with_url_rules(model: FileModel) -> set[int]:
    """Apps given a view by ``add_url_rule(rule, endpoint, <any view>)``: also a lambda or
    a factory's result, which have no ``def`` to become a handler (pywebio)."""
    from flasklint_headers.model.apps import apps_of_owner
    from flasklint_headers.model.handlers import call_arg

    found: set[int] = set()
    for scope in model.index.scopes:
        if scope.is_class:
            continue
        scope_node = None if scope is model.index.root else scope.node
        for call in scope.calls:
            func = call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "add_url_rule"):
                continue
            view = call_arg(call, 2, "view_func")
            if view is None or (isinstance(view, cst.Name) and view.value == "None"):
                continue
            found.update(id(a) for a in apps_of_owner(model, func.value, scope_node))
    return found
