"""Effective ``app.config`` of one app, as far as the source shows it.

``AppConfig.get(key)`` returns the constant value, ``UNKNOWN`` when it is set
from something we cannot evaluate (the environment, a function call), or
``MISSING`` when nothing in the project sets it (Flask's default applies).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.constants import UNKNOWN

if TYPE_CHECKING:
    from flasklint_headers.model.apps import AppInfo
    from flasklint_headers.model.file_model import FileModel, ScopeNode


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class ConfigWrite:
    key: str
    value: Any  # constant value or UNKNOWN
    model: FileModel
    node: cst.CSTNode  # where to report (the value expression or the call)
    value_node: cst.BaseExpression | None


@dataclass
class AppConfig:
    writes: list[ConfigWrite] = field(default_factory=list)
    # True when config is also loaded from somewhere we cannot see (env, file, unknown object).
    has_unknown_source: bool = False

    def get(self, key: str) -> Any:
        """Last written constant value, ``UNKNOWN``, or ``MISSING``."""
        write = self.last_write(key)
        if write is None:
            return UNKNOWN if self.has_unknown_source else MISSING
        return write.value

    def last_write(self, key: str) -> ConfigWrite | None:
        found = None
        for write in self.writes:
            if write.key == key:
                found = write
        return found


def collect_config(app: AppInfo) -> AppConfig:
    """Config writes on ``app`` anywhere in the project, in module then source order."""
    from flasklint_headers.model.apps import app_of

    config = AppConfig()
    for model in app.model.project.all_modules():
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            _collect_in_scope(model, scope.node, app, config, app_of)
    return config


class _ConfigCalls(cst.CSTVisitor):
    """``X.config[K] = V``, ``X.config.update/from_mapping/from_object/...`` directly in one scope."""

    def __init__(self) -> None:
        self.items: list[tuple[cst.BaseExpression, str, cst.CSTNode]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            sub = target.target
            if isinstance(sub, cst.Subscript) and _config_owner(sub.value) is not None:
                self.items.append((_config_owner(sub.value), "setitem", node))  # type: ignore[arg-type]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            owner = _config_owner(func.value)
            if owner is not None:
                self.items.append((owner, func.attr.value, node))


def _config_owner(expr: cst.BaseExpression) -> cst.BaseExpression | None:
    if isinstance(expr, cst.Attribute) and expr.attr.value == "config":
        return expr.value
    return None


def _collect_in_scope(
    model: FileModel, scope_node: ScopeNode, app: AppInfo, config: AppConfig, app_of
) -> None:
    body = scope_node.body if scope_node is not None else None
    if body is None:
        return
    visitor = _ConfigCalls()
    if isinstance(scope_node, cst.Module):
        for stmt in scope_node.body:
            stmt.visit(visitor)
    else:
        scope_node.body.visit(visitor)
    for owner, op, node in visitor.items:
        target = app_of(model, owner, scope_node)
        if target is not app:
            continue
        if op == "setitem":
            assert isinstance(node, cst.Assign)
            sub = node.targets[0].target
            assert isinstance(sub, cst.Subscript)
            index = sub.slice[0].slice if len(sub.slice) == 1 else None
            key = model.const_str(index.value, scope_node) if isinstance(index, cst.Index) else None
            if key is not None:
                value = model.const(node.value, scope_node)
                config.writes.append(ConfigWrite(key, value, model, node.value, node.value))
        elif op in ("update", "from_mapping") and isinstance(node, cst.Call):
            _collect_mapping_call(model, scope_node, node, config)
        elif op in ("from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env"):
            config.has_unknown_source = True


def _collect_mapping_call(
    model: FileModel, scope_node: ScopeNode, call: cst.Call, config: AppConfig
) -> None:
    for arg in call.args:
        if arg.keyword is not None:
            value = model.const(arg.value, scope_node)
            config.writes.append(ConfigWrite(arg.keyword.value, value, model, arg.value, arg.value))
        elif arg.star == "**" or arg.star == "":
            mapping = arg.value
            if isinstance(mapping, cst.Dict):
                for element in mapping.elements:
                    if isinstance(element, cst.DictElement):
                        key = model.const_str(element.key, scope_node)
                        if key is not None:
                            value = model.const(element.value, scope_node)
                            config.writes.append(
                                ConfigWrite(key, value, model, element.value, element.value)
                            )
            else:
                config.has_unknown_source = True
