"""One cheap walk over a module that records what the model needs.

It records imports, scopes (module, classes, functions) with the names they
bind and the values bound, returns and yields per function, and module-level
expression statements (where call-form registrations such as
``app.add_url_rule(...)`` live).  This replaces libcst's scope and
qualified-name providers, which cost far more than the parse itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple, TypeGuard

import libcst as cst

from flasklint_headers.model.names import (
    APP_STATE_ATTRIBUTES,
    CONFIG_ATTRIBUTES,
    STAR_EXPORTS,
    dotted_name,
)
from flasklint_headers.walk import walk

# Marker values for bindings that are not plain ``name = value`` assignments.
PARAM = "param"
IMPORT = "import"
OTHER = "other"


@dataclass(frozen=True, eq=False)
class ScopedValue:
    """A module-level name assigned inside a function that declares it ``global``."""

    value: cst.BaseExpression
    scope: cst.FunctionDef | cst.ClassDef  # where the names in ``value`` are looked up


Binding = cst.BaseExpression | cst.FunctionDef | cst.ClassDef | ScopedValue | str


class WsgiAssignment(NamedTuple):
    """``… = X.wsgi_app = value``: the statement, its ``X.wsgi_app`` target, its scope node."""

    statement: cst.Assign
    target: cst.Attribute
    scope: cst.FunctionDef | cst.ClassDef | None  # None at module level


def _is_wsgi_app(target: cst.BaseExpression) -> TypeGuard[cst.Attribute]:
    return isinstance(target, cst.Attribute) and target.attr.value == "wsgi_app"


@dataclass(eq=False)
class Scope:
    node: cst.Module | cst.FunctionDef | cst.ClassDef
    parent: Scope | None
    qualname: str
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    # Names in a ``global`` statement here: assigning them binds the module's name.
    declared_global: set[str] = field(default_factory=set)
    # Functions only:
    returns: list[cst.Return] = field(default_factory=list)
    has_yield: bool = False
    # Annotations of parameters, by name.
    annotations: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # Expression-statement calls directly in this scope's body, in order.
    calls: list[cst.Call] = field(default_factory=list)
    # Statements that may change state through a subscript, an attribute or a call, in
    # source order: ``Assign`` with a subscript or ``name.attr`` target or a call value,
    # ``Del``, and ``Expr`` calls.
    effects: list[cst.CSTNode] = field(default_factory=list)
    # ids of effects / calls nested in if/try/for/while/with/match inside this scope.
    conditional: set[int] = field(default_factory=set)

    def bind(self, name: str, value: Binding) -> None:
        self.bindings.setdefault(name, []).append(value)

    @property
    def is_function(self) -> bool:
        return isinstance(self.node, cst.FunctionDef)

    @property
    def is_class(self) -> bool:
        return isinstance(self.node, cst.ClassDef)


@dataclass(frozen=True)
class ImportBinding:
    """``local`` refers to ``target`` (absolute dotted name after resolving relative imports)."""

    local: str
    target: str


def resolve_relative(module_name: str, is_package: bool, level: int, target: str) -> str:
    """Absolute dotted name of ``from <level dots><target> import ...``."""
    if level == 0:
        return target
    parts = module_name.split(".") if module_name else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base


class ModuleIndex(cst.CSTVisitor):
    """Walk a module once; afterwards ``scopes``, ``scope_of`` and ``imports`` are filled."""

    def __init__(self, module: cst.Module, module_name: str, is_package: bool) -> None:
        self.module_name = module_name
        self.is_package = is_package
        self.root = Scope(module, None, "")
        self.scopes: list[Scope] = [self.root]
        # FunctionDef / ClassDef -> its scope
        self.scope_of: dict[cst.CSTNode, Scope] = {module: self.root}
        self.imports: dict[str, ImportBinding] = {}
        self.all_imports: list[ImportBinding] = []
        # ``X.wsgi_app = …`` statements (WSGI middleware), collected here to spare the
        # project a second walk of every module.
        self.wsgi_app_assignments: list[WsgiAssignment] = []
        self._stack: list[Scope] = [self.root]
        self._lambda_depth = 0
        # Depth of conditional blocks, per open scope.
        self._blocks: list[int] = [0]
        # ``from flask_cors import *`` at module level: modules whose public names we know.
        self._star_modules: list[str] = []
        # Module-level names whose value may be replaced at import time by code we cannot
        # follow: bound before ``from <other module> import *`` (``config_local``
        # overrides), or all of them after ``locals().update(...)``/``globals()[k] = v``.
        self.maybe_rebound: set[str] = set()
        self.rebinds_all_globals = False
        walk(module, self)
        self._bind_star_imports()

    def _bind_star_imports(self) -> None:
        """Bind the known public names of star-imported modules that nothing else binds."""
        for module in self._star_modules:
            for name in STAR_EXPORTS[module]:
                if name not in self.root.bindings:
                    self._record_import(name, f"{module}.{name}")

    # -- scopes ------------------------------------------------------------------------
    @property
    def current(self) -> Scope:
        return self._stack[-1]

    def _push(self, node: cst.FunctionDef | cst.ClassDef) -> None:
        parent = self.current
        qual = f"{parent.qualname}.{node.name.value}" if parent.qualname else node.name.value
        scope = Scope(node, parent, qual)
        self.scopes.append(scope)
        self.scope_of[node] = scope
        self._stack.append(scope)
        self._blocks.append(0)

    def _pop(self) -> None:
        self._stack.pop()
        self._blocks.pop()

    def _effect(self, node: cst.CSTNode) -> None:
        self.current.effects.append(node)
        if self._blocks[-1]:
            self.current.conditional.add(id(node))

    # Conditional blocks: writes inside them may not happen.
    def _enter_block(self, node: cst.CSTNode) -> None:
        self._blocks[-1] += 1

    def _leave_block(self, original_node: cst.CSTNode) -> None:
        self._blocks[-1] -= 1

    visit_If = _enter_block
    leave_If = _leave_block
    visit_Try = _enter_block
    leave_Try = _leave_block
    visit_TryStar = _enter_block
    leave_TryStar = _leave_block
    visit_While = _enter_block
    leave_While = _leave_block
    visit_With = _enter_block
    leave_With = _leave_block
    visit_Match = _enter_block
    leave_Match = _leave_block

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._bind(node.name.value, node)
        self._push(node)
        params = node.params
        for param in (
            *params.posonly_params,
            *params.params,
            *params.kwonly_params,
        ):
            self.current.bind(param.name.value, PARAM)
            if param.annotation is not None:
                self.current.annotations[param.name.value] = param.annotation.annotation
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.current.bind(star.name.value, PARAM)
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._bind(node.name.value, node)
        self._push(node)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._pop()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self._lambda_depth += 1
        return True

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._lambda_depth -= 1

    # -- bindings ----------------------------------------------------------------------
    def _bind(self, name: str, value: Binding) -> None:
        """Bind ``name`` in this scope and, after ``global name``, in the module too.

        Lookups of a ``global`` name go to the module, so the module's binding
        is what answers "what does ``app`` hold"; it keeps the function, where
        the value's own names are looked up.  The binding stays here as well:
        scans for the calls a scope makes (``app = Flask(...)``) read it.
        """
        current = self.current
        current.bind(name, value)
        if current is self.root or name not in current.declared_global:
            return
        if isinstance(value, cst.BaseExpression):
            self.root.bind(name, ScopedValue(value, current.node))  # type: ignore[arg-type]
        else:
            self.root.bind(name, IMPORT if value == IMPORT else OTHER)

    def _bind_target(self, target: cst.BaseExpression, value: Binding) -> None:
        if isinstance(target, cst.Name):
            self._bind(target.value, value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, OTHER)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, OTHER)

    def visit_Assign(self, node: cst.Assign) -> None:
        wsgi_target: cst.Attribute | None = None
        for target in node.targets:
            self._bind_target(target.target, node.value)
            sub = target.target
            if isinstance(sub, cst.Subscript) and self._is_module_namespace(sub.value):
                self.rebinds_all_globals = True
            if wsgi_target is None and _is_wsgi_app(target.target):
                wsgi_target = target.target
        if wsgi_target is not None:
            scope = self.current.node
            owner = None if type(scope) is cst.Module else scope
            self.wsgi_app_assignments.append(WsgiAssignment(node, wsgi_target, owner))
        if isinstance(node.value, cst.Call) or any(
            isinstance(t.target, cst.Subscript)
            or _is_config_attribute(t.target)
            # ``self.app = app``: what an instance attribute holds (``instance_attribute_values``)
            or (isinstance(t.target, cst.Attribute) and isinstance(t.target.value, cst.Name))
            for t in node.targets
        ):
            self._effect(node)

    def visit_Del(self, node: cst.Del) -> None:
        self._effect(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind_target(node.target, node.value if node.value is not None else OTHER)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, OTHER)

    def visit_For(self, node: cst.For) -> None:  # type: ignore[override]
        self._bind_target(node.target, OTHER)
        self._blocks[-1] += 1

    def leave_For(self, original_node: cst.For) -> None:
        self._blocks[-1] -= 1

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, OTHER)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, OTHER)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value)

    def visit_Global(self, node: cst.Global) -> None:
        names = [n.name.value for n in node.names]
        self.current.globals.update(names)
        self.current.declared_global.update(names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.current.globals.update(n.name.value for n in node.names)

    # Comprehension variables live in their own scope; do not leak them.
    def visit_CompFor(self, node: cst.CompFor) -> None:
        return None

    # -- imports -----------------------------------------------------------------------
    def _record_import(self, local: str, target: str) -> None:
        binding = ImportBinding(local, target)
        self.all_imports.append(binding)
        self._bind(local, IMPORT)
        # Module-level imports win; function-level imports are recorded only if new.
        if self.current is self.root or local not in self.imports:
            self.imports[local] = binding

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._record_import(alias.asname.name.value, full)
            else:
                head = full.split(".")[0]
                self._record_import(head, head)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            module = dotted_name(node.module) if node.module is not None else None
            if not node.relative and module in STAR_EXPORTS and self.current is self.root:
                self._star_modules.append(module)
            elif self.current is self.root:
                self.maybe_rebound.update(self.root.bindings)
            return
        base = dotted_name(node.module) if node.module is not None else ""
        level = len(node.relative)
        absolute = resolve_relative(self.module_name, self.is_package, level, base or "")
        for alias in node.names:
            name = dotted_name(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            target = f"{absolute}.{name}" if absolute else name
            self._record_import(local, target)

    # -- control flow facts ------------------------------------------------------------
    def visit_Return(self, node: cst.Return) -> None:
        if self.current.is_function and self._lambda_depth == 0:
            self.current.returns.append(node)

    def visit_Yield(self, node: cst.Yield) -> None:
        if self.current.is_function and self._lambda_depth == 0:
            self.current.has_yield = True

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self.current.calls.append(node.value)
            self._effect(node.value)
            func = node.value.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value in _MUTATING_METHODS
                and self._is_module_namespace(func.value)
            ):
                self.rebinds_all_globals = True  # pgAdmin's ``locals().update(...)``

    def _is_module_namespace(self, expr: cst.BaseExpression) -> bool:
        """``globals()``, or ``locals()``/``vars()`` at module level: the module's names."""
        if not (isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Name)):
            return False
        name = expr.func.value
        return name == "globals" or (name in ("locals", "vars") and self.current is self.root)


_MUTATING_METHODS = frozenset({"update", "setdefault", "pop", "popitem", "clear"})


def plain_methods(index: ModuleIndex, class_scope: Scope | None) -> Iterator[tuple[Scope, str]]:
    """The scopes of the methods defined in ``class_scope``, each with the name of its
    first parameter (the instance, for a plain method)."""
    for scope in index.scopes:
        method = scope.node
        if scope.parent is not class_scope or not isinstance(method, cst.FunctionDef):
            continue
        positional = [*method.params.posonly_params, *method.params.params]
        if positional:
            yield scope, positional[0].name.value


def _is_config_attribute(target: cst.BaseExpression) -> bool:
    """``X.secret_key``-like targets: they write the app's config (``app_config``), and
    ``X.session_interface`` (``APP_STATE_ATTRIBUTES``)."""
    return isinstance(target, cst.Attribute) and (
        target.attr.value in CONFIG_ATTRIBUTES or target.attr.value in APP_STATE_ATTRIBUTES
    )
