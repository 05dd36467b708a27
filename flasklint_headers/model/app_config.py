"""Effective ``app.config`` of one app, as far as the source shows it.

``AppConfig.get(key)`` returns the constant value, ``UNKNOWN`` when it is set
from something we cannot evaluate (the environment, a function call, a file),
or ``MISSING`` when nothing in the project sets it (Flask's default applies).

What counts as a write on an app's config (the owner must resolve to that
app; ``current_app.config`` is runtime state, not the app's setup, and is
ignored):

* ``X.config[K] = V`` (a non-constant ``K`` makes the whole config unknown),
  ``del X.config[K]`` / ``X.config.pop(K)`` (the key becomes unknown);
* ``X.config.update(...)`` / ``from_mapping(...)``: keyword arguments, dict
  literals, ``dict(...)`` calls and ``**CONST`` spreads of constant dicts;
* ``X.config.setdefault(K, V)``: only when nothing set ``K`` before and ``K``
  is not one of Flask's own defaults;
* ``X.config.from_object(obj)``: a project class (UPPERCASE class attributes,
  project base classes first), an instance of one, a project module, or the
  string ``"pkg.module"`` / ``"pkg.module.Class"`` naming one of those; also
  ``from_object(CONFIGS[name])`` over a module-level dict literal of those
  (each applied as a conditional write: one of them applies);
* ``from_pyfile``/``from_envvar``/``from_file``/``from_prefixed_env`` and any
  ``from_object`` we cannot follow mark ``has_unknown_source``.

A write nested in ``if``/``try``/loops is *conditional*: it only keeps the
effective value when it agrees with what was there before, otherwise the key
becomes ``UNKNOWN`` (a linter must not claim a value that depends on a branch).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.constants import UNKNOWN
from flasklint_headers.model.names import CONFIG_ATTRIBUTES

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel, ScopeNode
    from flasklint_headers.model.project import ProjectModel


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

# ``flask.Flask.default_config`` keys (Flask 3.1): ``setdefault`` on them is a no-op.
FLASK_DEFAULT_KEYS = frozenset(
    {
        "APPLICATION_ROOT",
        "DEBUG",
        "EXPLAIN_TEMPLATE_LOADING",
        "MAX_CONTENT_LENGTH",
        "MAX_COOKIE_SIZE",
        "MAX_FORM_MEMORY_SIZE",
        "MAX_FORM_PARTS",
        "PERMANENT_SESSION_LIFETIME",
        "PREFERRED_URL_SCHEME",
        "PROPAGATE_EXCEPTIONS",
        "PROVIDE_AUTOMATIC_OPTIONS",
        "SECRET_KEY",
        "SECRET_KEY_FALLBACKS",
        "SEND_FILE_MAX_AGE_DEFAULT",
        "SERVER_NAME",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_PARTITIONED",
        "SESSION_COOKIE_PATH",
        "SESSION_COOKIE_SAMESITE",
        "SESSION_COOKIE_SECURE",
        "SESSION_REFRESH_EACH_REQUEST",
        "TEMPLATES_AUTO_RELOAD",
        "TESTING",
        "TRAP_BAD_REQUEST_ERRORS",
        "TRAP_HTTP_EXCEPTIONS",
        "TRUSTED_HOSTS",
        "USE_X_SENDFILE",
    }
)
UNKNOWN_SOURCES = frozenset({"from_pyfile", "from_envvar", "from_file", "from_prefixed_env"})
_MAPPING_METHODS = frozenset({"update", "from_mapping"})
_MAX_CLASS_DEPTH = 10


@dataclass(frozen=True)
class ConfigWrite:
    """One key written on an app's config.

    ``op``: ``setitem`` | ``setattr`` | ``update`` | ``from_mapping`` | ``setdefault`` |
    ``from_object`` | ``delete``.  ``node`` is where to report (the value expression,
    or the call when there is no value expression); ``model`` is the module holding
    ``node`` (for ``from_object`` that is the module of the config class).
    """

    key: str
    value: Any  # constant value or UNKNOWN
    model: FileModel = field(repr=False)
    node: cst.CSTNode = field(repr=False)
    value_node: cst.BaseExpression | None = field(repr=False)
    op: str = "setitem"
    # True when the write sits under if/try/for/while/with inside its scope.
    conditional: bool = False


@dataclass
class AppConfig:
    writes: list[ConfigWrite] = field(default_factory=list)
    # True when config is also loaded from somewhere we cannot see (env, file, unknown object).
    has_unknown_source: bool = False
    # ``setdefault`` with a key we cannot read (``for k, v in DEFAULTS: ...setdefault(k, v)``,
    # flask-compress): it may fill any key Flask does not preset, never one it does.
    has_unknown_defaults: bool = False

    def get(self, key: str) -> Any:
        """Effective constant value, ``UNKNOWN``, or ``MISSING`` (Flask's default applies)."""
        unknown = self.has_unknown_source or (
            self.has_unknown_defaults and key not in FLASK_DEFAULT_KEYS
        )
        value: Any = UNKNOWN if unknown else MISSING
        for write in self.writes:
            if write.key != key:
                continue
            if not write.conditional:
                value = write.value
            elif value is UNKNOWN or value is MISSING or write.value != value:
                value = UNKNOWN
        return value

    def last_write(self, key: str) -> ConfigWrite | None:
        """The last write of ``key`` in the project (None when nothing writes it)."""
        found = None
        for write in self.writes:
            if write.key == key:
                found = write
        return found

    def write_for(self, key: str) -> ConfigWrite | None:
        """The write a rule should report on for ``key`` (the last one), or None."""
        return self.last_write(key)

    def writes_for(self, key: str) -> list[ConfigWrite]:
        """Every write of ``key``, in order."""
        return [w for w in self.writes if w.key == key]

    def written_keys(self) -> set[str]:
        """Every key some write sets."""
        return {w.key for w in self.writes}


# -- collection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _ConfigOp:
    owner: cst.BaseExpression  # the expression before ``.config``
    op: str  # "setitem" | "delitem" | a method name of Config
    node: cst.CSTNode  # Assign / Del / Call
    conditional: bool


def collect_configs(project: ProjectModel) -> tuple[dict[int, AppConfig], dict[int, AppConfig]]:
    """Config writes of every app (by ``id``), in module then source order.

    One pass over the project's config operations: a project with many apps
    (examples, tests) costs no more than one with a single app.  The second
    mapping holds, per module (by ``id``), the writes on a ``.config`` that
    no app could be traced to (``app`` a parameter nobody passes, ...).
    """
    from flasklint_headers.model.apps import apps_of

    configs: dict[int, AppConfig] = {}
    unowned: dict[int, AppConfig] = {}
    for model in project.all_modules():
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            scope_node = _scope_arg(scope.node)
            for item in config_ops(model, scope.node):
                apps = apps_of(model, item.owner, scope_node)
                if not apps:
                    _apply(model, scope_node, item, unowned.setdefault(id(model), AppConfig()))
                done: set[int] = set()
                for app in apps:
                    if id(app) not in done:
                        done.add(id(app))
                        _apply(model, scope_node, item, configs.setdefault(id(app), AppConfig()))
    return configs, unowned


def _scope_arg(node: cst.CSTNode | None) -> ScopeNode:
    return None if isinstance(node, cst.Module) else node  # type: ignore[return-value]


def config_ops(model: FileModel, scope_node: cst.CSTNode) -> list[_ConfigOp]:
    """``X.config`` operations directly in one scope, from the index (cached on the model)."""
    cache: dict[int, list[_ConfigOp]] = model.__dict__.setdefault("_config_ops", {})
    model.project.note_answers(model)
    key = id(scope_node)
    if key in cache:
        return cache[key]
    scope = model.index.scope_of.get(scope_node)
    items: list[_ConfigOp] = []
    if scope is not None:
        owner_scope = _scope_arg(scope_node)
        for node in scope.effects:
            conditional = id(node) in scope.conditional
            for owner, op, where in _config_effects(node):
                # ``app.secret_key = v`` writes the config through the app itself.
                found = owner if op == "setattr" else config_owner(model, owner, owner_scope)
                if found is not None:
                    items.append(_ConfigOp(found, op, where, conditional))
    cache[key] = items
    return items


def _config_effects(
    node: cst.CSTNode,
) -> list[tuple[cst.BaseExpression, str, cst.CSTNode]]:
    """``(expression before .config?, op, node)`` candidates of one effect statement."""
    found: list[tuple[cst.BaseExpression, str, cst.CSTNode]] = []
    if isinstance(node, cst.Assign):
        for target in node.targets:
            if isinstance(target.target, cst.Subscript):
                found.append((target.target.value, "setitem", node))
                break
            if (
                isinstance(target.target, cst.Attribute)
                and target.target.attr.value in CONFIG_ATTRIBUTES
            ):
                found.append((target.target.value, "setattr", node))
                break
        if isinstance(node.value, cst.Call):
            found.extend(_config_effects(node.value))
    elif isinstance(node, cst.Del):
        if isinstance(node.target, cst.Subscript):
            found.append((node.target.value, "delitem", node))
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        found.append((node.func.value, node.func.attr.value, node))
    return found


def config_owner(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
) -> cst.BaseExpression | None:
    """``X`` for ``X.config`` (or for a local name bound once to ``X.config``)."""
    if isinstance(expr, cst.Attribute) and expr.attr.value == "config":
        return expr.value
    if isinstance(expr, cst.Name):
        value = model.single_assigned_value(expr.value, scope)
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "config"
            and _scope_arg(model.scope_node_of_binding(expr.value, scope)) is _scope_arg(scope)
        ):
            return value.value
    return None


def _apply(model: FileModel, scope: ScopeNode, item: _ConfigOp, config: AppConfig) -> None:
    node = item.node
    if item.op == "setitem" and isinstance(node, cst.Assign):
        _setitem(model, scope, node, item.conditional, config)
    elif item.op == "setattr" and isinstance(node, cst.Assign):
        _setattr(model, scope, node, item.conditional, config)
    elif item.op in ("delitem", "pop") and isinstance(node, (cst.Del, cst.Call)):
        key_node = _deleted_key(node)
        key = model.const_str(key_node, scope) if key_node is not None else None
        if key is None:
            config.has_unknown_source = True
        else:
            config.writes.append(
                ConfigWrite(key, UNKNOWN, model, node, None, "delete", item.conditional)
            )
    elif item.op in _MAPPING_METHODS and isinstance(node, cst.Call):
        _mapping_call(model, scope, node, item.op, item.conditional, config)
    elif item.op == "setdefault" and isinstance(node, cst.Call):
        _setdefault(model, scope, node, item.conditional, config)
    elif item.op == "from_object" and isinstance(node, cst.Call):
        if not node.args or not _from_object(model, scope, node, item.conditional, config):
            config.has_unknown_source = True
    elif item.op in UNKNOWN_SOURCES:
        config.has_unknown_source = True


def _setitem(
    model: FileModel, scope: ScopeNode, node: cst.Assign, conditional: bool, config: AppConfig
) -> None:
    for target in node.targets:
        sub = target.target
        if not isinstance(sub, cst.Subscript):
            continue
        index = sub.slice[0].slice if len(sub.slice) == 1 else None
        key = model.const_str(index.value, scope) if isinstance(index, cst.Index) else None
        if key is None:
            config.has_unknown_source = True
            continue
        value = model.const(node.value, scope)
        config.writes.append(
            ConfigWrite(key, value, model, node.value, node.value, "setitem", conditional)
        )


def _setattr(
    model: FileModel, scope: ScopeNode, node: cst.Assign, conditional: bool, config: AppConfig
) -> None:
    for target in node.targets:
        attribute = target.target
        if isinstance(attribute, cst.Attribute) and attribute.attr.value in CONFIG_ATTRIBUTES:
            key = CONFIG_ATTRIBUTES[attribute.attr.value]
            value = model.const(node.value, scope)
            config.writes.append(
                ConfigWrite(key, value, model, node.value, node.value, "setattr", conditional)
            )


def _deleted_key(node: cst.Del | cst.Call) -> cst.BaseExpression | None:
    if isinstance(node, cst.Call):
        return node.args[0].value if node.args else None
    target = node.target
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        return index.value if isinstance(index, cst.Index) else None
    return None


def _mapping_call(
    model: FileModel,
    scope: ScopeNode,
    call: cst.Call,
    op: str,
    conditional: bool,
    config: AppConfig,
) -> None:
    for arg in call.args:
        if arg.keyword is not None:
            value = model.const(arg.value, scope)
            config.writes.append(
                ConfigWrite(arg.keyword.value, value, model, arg.value, arg.value, op, conditional)
            )
            continue
        if arg.star == "*":
            config.has_unknown_source = True
            continue
        if not _mapping_argument(model, scope, arg.value, op, conditional, config):
            config.has_unknown_source = True


def _mapping_argument(
    model: FileModel,
    scope: ScopeNode,
    mapping: cst.BaseExpression,
    op: str,
    conditional: bool,
    config: AppConfig,
) -> bool:
    """Record the items of a mapping argument; False when it cannot be read completely."""
    if isinstance(mapping, cst.Dict):
        complete = True
        for element in mapping.elements:
            if isinstance(element, cst.StarredDictElement):
                complete &= _mapping_argument(model, scope, element.value, op, conditional, config)
                continue
            key = model.const_str(element.key, scope)
            if key is None:
                complete = False
                continue
            value = model.const(element.value, scope)
            config.writes.append(
                ConfigWrite(key, value, model, element.value, element.value, op, conditional)
            )
        return complete
    if isinstance(mapping, cst.Call) and model.qualified_name(mapping.func, scope) in (
        None,
        "builtins.dict",
    ):
        if not (isinstance(mapping.func, cst.Name) and mapping.func.value == "dict"):
            return False
        if model.bindings("dict", scope):  # a local ``dict`` is not the builtin
            return False
        _mapping_call(model, scope, mapping, op, conditional, config)
        return True
    if isinstance(mapping, cst.Name):
        value = model.single_assigned_value(mapping.value, scope)
        if isinstance(value, (cst.Dict, cst.Call)):
            owner = model.scope_node_of_binding(mapping.value, scope)
            owner_scope = None if isinstance(owner, cst.Module) else owner
            return _mapping_argument(model, owner_scope, value, op, conditional, config)
        constant = model.const(mapping, scope)
        if isinstance(constant, dict) and all(isinstance(k, str) for k in constant):
            for key, item in constant.items():
                config.writes.append(ConfigWrite(key, item, model, mapping, None, op, conditional))
            return True
    return False


def _setdefault(
    model: FileModel, scope: ScopeNode, call: cst.Call, conditional: bool, config: AppConfig
) -> None:
    if not call.args:
        return
    key = model.const_str(call.args[0].value, scope)
    if key is None:
        config.has_unknown_defaults = True
        return
    if key in FLASK_DEFAULT_KEYS or config.last_write(key) is not None:
        return  # setdefault keeps the existing value
    value_node = call.args[1].value if len(call.args) > 1 else None
    value = model.const(value_node, scope) if value_node is not None else None
    config.writes.append(
        ConfigWrite(key, value, model, value_node or call, value_node, "setdefault", conditional)
    )


# -- from_object ---------------------------------------------------------------------------


def _from_object(
    model: FileModel, scope: ScopeNode, call: cst.Call, conditional: bool, config: AppConfig
) -> bool:
    """Record the UPPERCASE attributes of the object; False when it cannot be followed."""
    arg = call.args[0].value
    if isinstance(arg, cst.Subscript):
        return _from_object_choice(model, scope, arg, config)
    return _from_object_value(model, scope, arg, conditional, config)


def _from_object_choice(
    model: FileModel, scope: ScopeNode, arg: cst.Subscript, config: AppConfig
) -> bool:
    """``from_object(CONFIGS[name])`` over a constant dict of config objects: one of
    them applies, so each is applied as a conditional write (a key they do not all
    leave alone becomes unknown; a key none of them sets stays Flask's default)."""
    found = _constant_dict(model, arg.value, scope)
    if found is None:
        return False
    dict_model, literal, dict_scope = found
    choices = [e.value for e in literal.elements if isinstance(e, cst.DictElement)]
    if not choices or len(choices) != len(literal.elements):
        return False
    complete = True
    for choice in choices:
        complete &= _from_object_value(dict_model, dict_scope, choice, True, config)
    return complete


def _constant_dict(
    model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
) -> tuple[FileModel, cst.Dict, ScopeNode] | None:
    """The dict literal a name is bound to once (``ProjectModel.single_value``), with the
    module and scope its values are read in."""
    found = model.project.single_value(model, expr, scope) if isinstance(expr, cst.Name) else None
    if found is None or not isinstance(found[1], cst.Dict):
        return None
    return found[0], found[1], found[2]


def _from_object_value(
    model: FileModel,
    scope: ScopeNode,
    arg: cst.BaseExpression,
    conditional: bool,
    config: AppConfig,
) -> bool:
    project = model.project
    if isinstance(arg, cst.Call) and not arg.args:  # ``from_object(Config())``
        arg = arg.func
    if isinstance(arg, cst.Name) and arg.value == "__name__" and not model.bindings("__name__"):
        return _module_attributes(model, conditional, config)
    target = model.const_str(arg, scope)
    if target is None:
        if not isinstance(arg, (cst.Name, cst.Attribute)):
            return False
        target = model.qualified_name(arg, scope)
        if target is None:
            return False
    if target in project.modules:
        return _module_attributes(project.modules[target], conditional, config)
    definition = project.definition(target)
    if definition is None or not isinstance(definition[1], cst.ClassDef):
        return False
    return _class_attributes(definition[0], definition[1], conditional, config, 0)


def _is_config_key(name: str) -> bool:
    return name.isupper()


def _module_attributes(model: FileModel, conditional: bool, config: AppConfig) -> bool:
    complete = not model.index.rebinds_all_globals
    for name, values in model.index.root.bindings.items():
        if not _is_config_key(name):
            continue
        if model.may_rebind_global(name):
            last = values[-1] if isinstance(values[-1], cst.CSTNode) else model.module
            config.writes.append(
                ConfigWrite(name, UNKNOWN, model, last, None, "from_object", conditional)
            )
            continue
        value_node = values[-1] if isinstance(values[-1], cst.BaseExpression) else None
        if value_node is None:
            complete = False  # imported or otherwise bound: unknown
            continue
        value = model.const(value_node, None) if len(values) == 1 else UNKNOWN
        config.writes.append(
            ConfigWrite(name, value, model, value_node, value_node, "from_object", conditional)
        )
    return complete


def _class_attributes(
    model: FileModel, cls: cst.ClassDef, conditional: bool, config: AppConfig, depth: int
) -> bool:
    """Base classes first (project ones are followed), then the class's own attributes."""
    if depth > _MAX_CLASS_DEPTH:
        return False
    complete = True
    for base in cls.bases:
        if base.keyword is not None:
            continue
        qualified = model.qualified_name(base.value, None)
        if qualified in ("object", "builtins.object"):
            continue
        if isinstance(base.value, cst.Name) and base.value.value == "object":
            continue
        definition = model.project.definition(qualified) if qualified else None
        if definition is None or not isinstance(definition[1], cst.ClassDef):
            complete = False
            continue
        complete &= _class_attributes(definition[0], definition[1], conditional, config, depth + 1)
    scope = model.index.scope_of.get(cls)
    if scope is None:
        return False
    for name, values in scope.bindings.items():
        if not _is_config_key(name):
            continue
        last = values[-1]
        if isinstance(last, cst.FunctionDef):  # an UPPERCASE property: computed at runtime
            config.writes.append(
                ConfigWrite(name, UNKNOWN, model, last, None, "from_object", conditional)
            )
            continue
        value_node = last if isinstance(last, cst.BaseExpression) else None
        value = (
            model.const(value_node, cls) if value_node is not None and len(values) == 1 else UNKNOWN
        )
        config.writes.append(
            ConfigWrite(
                name, value, model, value_node or cls, value_node, "from_object", conditional
            )
        )
    return complete
