"""flask-cors configuration as an app runs with it (flask-cors 6, ``flask_cors/core.py``).

``cors_configs(model)`` lists every flask-cors set-up written in one module:
``CORS(app, **kw)``, ``cors.init_app(app, **kw)`` (the constructor's options
included, wherever it is created), ``CORS(blueprint, **kw)`` and
``@cross_origin(**kw)``.  Each resource of ``resources={pattern: {...}}``
gets its own ``CorsConfig``.  Options resolve the way flask-cors merges them
(``get_cors_options``: later wins): defaults, then the app's ``CORS_*``
config, then the constructor's and ``init_app``'s keyword arguments, then the
resource's own dict.  (The resource dict beats the keyword arguments: the
``CORS`` docstring lists "resource level settings" first, and
``init_app`` passes the resource options last.)

Origins are kept as written so rules can point at one entry: flask-cors
treats an entry as a regex when it is a compiled pattern or a string
containing one of ``*\\]?$^[()`` and tests it with ``re.match`` — anchored at
the start only.  ``"*"`` becomes ``".*"`` (``re_fix``), the wildcard that
reflects any request Origin unless ``send_wildcard`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.constants import UNKNOWN
from flasklint_headers.model.names import BLUEPRINT, CORS

if TYPE_CHECKING:
    from flasklint_headers.model.apps import AppInfo
    from flasklint_headers.model.file_model import FileModel, ScopeNode

CROSS_ORIGIN = "flask_cors.cross_origin"
# ``flask_cors/core.py`` DEFAULT_OPTIONS (the ones the rules read).
DEFAULTS: dict[str, Any] = {
    "origins": "*",
    "supports_credentials": False,
    "send_wildcard": False,
    "allow_private_network": False,
    "vary_header": True,
    "always_send": True,
}
_REGEX_CHARS = frozenset("*\\]?$^[()")
# Origins an attacker controls; a pattern accepting these accepts anything.
_ATTACKER_ORIGINS = ("https://attacker.invalid", "http://attacker.invalid")
_MAX_HOPS = 6


def probably_regex(text: str) -> bool:
    """flask-cors' own test (``core.py`` ``probably_regex``)."""
    return any(ch in _REGEX_CHARS for ch in text)


@dataclass(frozen=True)
class OptionValue:
    """One resolved option: its constant value (or UNKNOWN) and where it was written."""

    value: Any
    source: str  # default | config | kwarg | resource
    node: cst.BaseExpression | None = None
    model: FileModel | None = None
    scope: ScopeNode = None
    arg: cst.Arg | None = None  # the keyword argument, for kwarg options


@dataclass(frozen=True)
class Origin:
    """One entry of ``origins``: its text (None when unknown), and how flask-cors treats it."""

    text: str | None
    node: cst.BaseExpression | None
    model: FileModel | None
    compiled: bool = False  # ``re.compile(...)``

    @property
    def is_regex(self) -> bool:
        return self.compiled or (self.text is not None and probably_regex(self.text))

    @property
    def is_wildcard(self) -> bool:
        return self.text in ("*", ".*")

    @property
    def accepts_any(self) -> bool:
        """The wildcard, or a regex that also accepts an attacker's origin."""
        if self.is_wildcard:
            return True
        if self.text is None or not self.is_regex:
            return False
        try:
            pattern = re.compile(self.text, re.IGNORECASE)
        except re.error:
            return False
        return all(pattern.match(o) for o in _ATTACKER_ORIGINS)

    @property
    def is_null(self) -> bool:
        return self.text is not None and not self.is_regex and self.text.lower() == "null"


@dataclass(eq=False)
class CorsConfig:
    kind: str  # extension | blueprint | decorator
    call: cst.Call  # where the set-up is written (report here)
    model: FileModel
    scope: ScopeNode
    options: dict[str, OptionValue] = field(default_factory=dict)
    resource: str | None = None  # resource pattern, for per-resource configs
    app: AppInfo | None = None

    def option(self, name: str) -> OptionValue:
        found = self.options.get(name)
        if found is not None:
            return found
        return OptionValue(DEFAULTS.get(name, UNKNOWN), "default")

    def value(self, name: str) -> Any:
        return self.option(name).value

    @property
    def credentials(self) -> Any:
        """True / False / UNKNOWN."""
        value = self.value("supports_credentials")
        return UNKNOWN if value is UNKNOWN else bool(value)

    def origins(self) -> list[Origin] | None:
        """The ``origins`` entries, or None when they cannot be read."""
        option = self.option("origins")
        if option.source == "default":
            return [Origin("*", None, None)]
        if option.node is None or option.model is None:
            value = option.value
            if isinstance(value, str):
                return [Origin(value, None, None)]
            if isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value):
                return [Origin(v, None, None) for v in value]
            return None
        found = _origins(option.model, option.node, option.scope, 0)
        return None if all(o.text is None for o in found) else found

    @property
    def reflects_any_origin(self) -> bool | None:
        """True when a request from any Origin gets that Origin echoed back (or ``*``)."""
        origins = self.origins()
        if origins is None:
            return None
        return any(o.accepts_any for o in origins)


def _origins(
    model: FileModel, node: cst.BaseExpression, scope: ScopeNode, depth: int
) -> list[Origin]:
    """The entries of an origins expression; unknown parts become ``Origin(None, ...)``.

    Lists built with ``+`` and names imported from other project modules are
    followed, so a partly dynamic list still shows its constant entries.
    """
    unknown = [Origin(None, node, model)]
    if depth > _MAX_HOPS:
        return unknown
    if isinstance(node, cst.Name) and node.value not in ("None", "True", "False"):
        value = model.single_assigned_value(node.value, scope)
        if value is not None:
            return _origins(model, value, model.scope_node_of_binding(node.value, scope), depth + 1)
        return _imported_origins(model, node, scope, depth) or unknown
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _origins(model, node.left, scope, depth + 1) + _origins(
            model, node.right, scope, depth + 1
        )
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        found: list[Origin] = []
        for element in node.elements:  # ``*OTHER`` spreads are followed the same way
            found.extend(_origins(model, element.value, scope, depth + 1))
        return found
    if isinstance(node, cst.Call):
        if model.qualified_name(node.func, scope) == "re.compile" and node.args:
            pattern = model.const_str(node.args[0].value, scope)
            return [Origin(pattern, node.args[0].value, model, compiled=True)]
        return unknown
    text = model.const_str(node, scope)
    return [Origin(text, node, model)]


def _imported_origins(
    model: FileModel, node: cst.Name, scope: ScopeNode, depth: int
) -> list[Origin] | None:
    """Follow ``from .settings import ORIGINS`` to the constant in that project module."""
    qualified = model.qualified_name(node, scope)
    if qualified is None:
        return None
    split = model.project.split_symbol(qualified)
    if split is None:
        return None
    target, attr = split
    value = target.single_assigned_value(attr, None)
    if value is None:
        return None
    return _origins(target, value, None, depth + 1)


def _kwargs(
    model: FileModel, call: cst.Call, scope: ScopeNode, skip_first: bool
) -> dict[str, OptionValue] | None:
    """Keyword options of one call (``**CONST`` dicts included); None when unreadable."""
    options: dict[str, OptionValue] = {}
    for index, arg in enumerate(call.args):
        if arg.star == "**":
            spread = arg.value
            if isinstance(spread, cst.Name):
                spread = model.single_assigned_value(spread.value, scope) or spread
            if not isinstance(spread, cst.Dict):
                return None
            for element in spread.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                key = model.const_str(element.key, scope)
                if key is None:
                    return None
                options[key] = OptionValue(
                    model.const(element.value, scope), "kwarg", element.value, model, scope
                )
        elif arg.star:
            return None
        elif arg.keyword is not None:
            name = arg.keyword.value
            if name == "app":
                continue
            options[name] = OptionValue(
                model.const(arg.value, scope), "kwarg", arg.value, model, scope, arg
            )
        elif not (skip_first and index == 0):
            return None
    return options


def _config_options(app: AppInfo | None) -> dict[str, OptionValue] | None:
    """``CORS_*`` keys of the app's config; None when the config is not fully known."""
    if app is None:
        return {}
    config = app.model.project.config(app)
    options: dict[str, OptionValue] = {}
    for name in (*DEFAULTS, "resources"):
        key = f"CORS_{name.upper()}"
        value = config.get(key)  # conditional writes and unknown sources included
        write = config.last_write(key)
        if value is UNKNOWN or write is None:
            if value is UNKNOWN:
                options[name] = OptionValue(UNKNOWN, "config")
            continue
        options[name] = OptionValue(
            value, "config", write.value_node, write.model, _scope_of(write)
        )
    return options


def _scope_of(write: Any) -> ScopeNode:
    return getattr(write, "scope", None)


def _resources(
    options: dict[str, OptionValue],
) -> list[tuple[str | None, dict[str, OptionValue]]] | None:
    """Per-resource option dicts of ``resources={pattern: {...}}``; None when unreadable."""
    option = options.get("resources")
    if option is None or option.node is None or option.model is None:
        if option is not None and option.value is UNKNOWN:
            return None
        return [(None, {})]
    model, node, scope = option.model, option.node, option.scope
    if isinstance(node, cst.Name):
        node = model.single_assigned_value(node.value, scope) or node
    if not isinstance(node, cst.Dict):
        return [(None, {})]
    found: list[tuple[str | None, dict[str, OptionValue]]] = []
    for element in node.elements:
        if not isinstance(element, cst.DictElement):
            return None
        pattern = model.const_str(element.key, scope)
        value = element.value
        if isinstance(value, cst.Name):
            value = model.single_assigned_value(value.value, scope) or value
        if not isinstance(value, cst.Dict):
            return None
        resource: dict[str, OptionValue] = {}
        for item in value.elements:
            if not isinstance(item, cst.DictElement):
                return None
            key = model.const_str(item.key, scope)
            if key is None:
                return None
            resource[key] = OptionValue(
                model.const(item.value, scope), "resource", item.value, model, scope
            )
        found.append((pattern, resource))
    return found


def _resolve(
    kind: str,
    call: cst.Call,
    model: FileModel,
    scope: ScopeNode,
    layers: list[dict[str, OptionValue]],
    app: AppInfo | None,
) -> list[CorsConfig]:
    merged: dict[str, OptionValue] = {}
    for layer in layers:
        merged.update(layer)
    resources = _resources(merged) if kind != "decorator" else [(None, {})]
    if resources is None:
        return []
    configs = []
    for pattern, resource in resources:
        options = dict(merged)
        options.update(resource)
        configs.append(CorsConfig(kind, call, model, scope, options, pattern, app))
    return configs


def cors_configs(model: FileModel) -> list[CorsConfig]:
    """Every flask-cors set-up written in ``model`` (one per resource)."""
    cached = getattr(model, "_cors_configs", None)
    if cached is not None:
        return cached
    configs: list[CorsConfig] = []
    project = model.project
    bound_calls: set[int] = set()
    for app in project.apps():
        for init in project.extension_inits(app, CORS):
            if init.model is not model:
                continue
            bound_calls.add(id(init.call))
            layers = _extension_layers(init, app)
            if layers is not None:
                configs.extend(_resolve("extension", init.call, model, init.scope, layers, app))
    if not _imports_flask_cors(model):
        # Blueprint set-ups and decorators need flask_cors imported here.
        model._cors_configs = configs  # type: ignore[attr-defined]
        return configs
    for scope in model.index.scopes:
        if scope.is_class:
            continue
        for call in _calls(scope):
            if id(call) in bound_calls:
                continue
            callee = model.qualified_name(call.func, scope.node)
            if callee == CORS and call.args and call.args[0].keyword is None:
                if model.kind_of(call.args[0].value, scope.node) != BLUEPRINT:
                    continue
                # A blueprint has no ``config``: flask-cors reads no CORS_* keys for it.
                kwargs = _kwargs(model, call, scope.node, skip_first=True)
                if kwargs is not None:
                    configs.extend(_resolve("blueprint", call, model, scope.node, [kwargs], None))
    configs.extend(_decorator_configs(model))
    model._cors_configs = configs  # type: ignore[attr-defined]
    return configs


def _imports_flask_cors(model: FileModel) -> bool:
    return any(
        b.target == "flask_cors" or b.target.startswith("flask_cors.")
        for b in model.index.imports.values()
    )


def _calls(scope: Any) -> list[cst.Call]:
    calls = list(scope.calls)
    for values in scope.bindings.values():
        calls.extend(v for v in values if isinstance(v, cst.Call))
    return calls


def _extension_layers(init: Any, app: AppInfo) -> list[dict[str, OptionValue]] | None:
    config = _config_options(app)
    if config is None:
        return None
    layers = [config]
    constructor = init.constructor
    if constructor is not None and constructor is not init.call:
        owner_model = _model_of_call(init, constructor)
        if owner_model is None:
            return None
        kwargs = _kwargs(owner_model, constructor, None, skip_first=True)
        if kwargs is None:
            return None
        layers.append(kwargs)
    kwargs = _kwargs(init.model, init.call, init.scope, skip_first=True)
    if kwargs is None:
        return None
    layers.append(kwargs)
    return layers


def _model_of_call(init: Any, call: cst.Call) -> FileModel | None:
    """The module a constructor call is written in (it may be another file)."""
    for candidate in init.model.project.all_modules():
        for scope in candidate.index.scopes:
            if call in _calls(scope):
                return candidate
    return None


def _decorator_configs(model: FileModel) -> list[CorsConfig]:
    configs: list[CorsConfig] = []
    apps = model.project.linked_apps(model)
    app = apps[0] if len(apps) == 1 else None
    for scope in model.index.scopes:
        node = scope.node
        if not isinstance(node, cst.FunctionDef):
            continue
        for decorator in node.decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call):
                continue
            if model.qualified_name(call.func, scope.parent.node if scope.parent else None) != (
                CROSS_ORIGIN
            ):
                continue
            outer = scope.parent.node if scope.parent is not None else None
            kwargs = _kwargs(model, call, outer, skip_first=False)
            if kwargs is None:
                continue
            if app is None:
                # The app (and its CORS_* config) is unknown: only the given options count.
                layers = [dict.fromkeys(DEFAULTS, OptionValue(UNKNOWN, "config")), kwargs]
            else:
                config = _config_options(app)
                if config is None:
                    continue
                layers = [config, kwargs]
            configs.extend(_resolve("decorator", call, model, outer, layers, app))
    return configs
