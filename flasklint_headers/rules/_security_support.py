"""Shared machinery of the security-header rules (FLH3xx).

``header_sites(model, func)`` lists every place in ``func`` where a header
*value* is written with a name we know: ``R.headers[K] = V`` and the Headers
methods, ``R.headers.update({...})`` (also through a module constant),
``for k, v in CONST.items(): R.headers[k] = v``, the headers part of returned
tuples, ``headers=`` arguments and ``make_response(body, status, headers)``,
and writes into a local ``{}``/``Headers()`` passed as ``headers=`` (a dict
until the constructor copies it; a ``Headers`` object, which Werkzeug keeps as
the response's own, throughout). Talisman bindings of the file are listed by ``talisman_bindings``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import HEADERS_CLASSES, TALISMAN
from flasklint_headers.model.providers import providers
from flasklint_headers.model.responses import (
    HeaderWrite,
    mapping_writes,
    returned_headers_objects,
)
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model import FileModel, ProjectModel
    from flasklint_headers.model.apps import AppInfo
    from flasklint_headers.model.talisman import TalismanConfig

_VALUE_OPS = frozenset({"setitem", "set", "add", "add_header", "setdefault"})
_MAPPING_OPS = frozenset({"update", "extend", "ior"})


@dataclass(eq=False)
class HeaderSite:
    """One constant-named header written with a value expression."""

    header: str  # as spelled
    value: cst.BaseExpression
    name_node: cst.BaseExpression | None
    scope: cst.FunctionDef | None  # where ``value`` is evaluated (None: module level)
    function: cst.FunctionDef  # the function the write happens in
    # A standalone ``R.headers[...] = …`` statement (deletable), else None.
    line: cst.SimpleStatementLine | None = None
    # The ``"K": V`` element of a dict literal, with its dict, else None.
    element: cst.DictElement | None = None
    container: cst.Dict | None = None

    @property
    def lower(self) -> str:
        return self.header.lower()


_SITES_ATTR = "_flasklint_header_sites"


def header_sites(model: FileModel, func: cst.FunctionDef) -> list[HeaderSite]:
    cache: dict[cst.FunctionDef, list[HeaderSite]] | None = getattr(model, _SITES_ATTR, None)
    if cache is None:
        cache = {}
        setattr(model, _SITES_ATTR, cache)
    sites = cache.get(func)
    if sites is None:
        sites = list(_collect_sites(model, func))
        cache[func] = sites
    return sites


def _collect_sites(model: FileModel, func: cst.FunctionDef) -> Iterator[HeaderSite]:
    yield from _write_sites(model, func, model.responses_in(func).writes)
    for mapping in _implicit_mappings(model, func):
        yield from _mapping_sites(model, mapping, func, func)
    for call in _candidate_calls(model, func):
        variable = _headers_variable(model, call, func)
        if variable is not None:
            name, copied = variable
            writes = mapping_writes(model, func, name, call if copied else None)
            yield from _write_sites(model, func, writes)
    for name in returned_headers_objects(model, func):
        yield from _write_sites(model, func, mapping_writes(model, func, name))


def _write_sites(
    model: FileModel, func: cst.FunctionDef, writes: list[HeaderWrite]
) -> Iterator[HeaderSite]:
    for write in writes:
        if write.op in _VALUE_OPS and write.value_node is not None:
            if write.header is not None:
                # Only a line that is exactly this one statement may be deleted by a fix.
                body = write.line.body
                line = write.line if len(body) == 1 and body[0] is write.statement else None
                yield HeaderSite(write.header, write.value_node, write.name_node, func, func, line)
            elif isinstance(write.name_node, cst.Name):
                yield from _loop_sites(model, func, write.name_node.value)
        elif write.op in _MAPPING_OPS and write.value_node is not None:
            yield from _mapping_sites(model, write.value_node, func, func)


def _implicit_mappings(model: FileModel, func: cst.FunctionDef) -> Iterator[cst.BaseExpression]:
    """Header mappings in returned tuples, ``headers=`` and ``make_response`` arguments.

    Read from the model's scope index (returns, bound values, statement calls)
    instead of walking the body again: a second full walk per function costs
    more than all the rules together on large projects.
    """
    scope = model.scope_of_function(func)
    if model.is_view(func):
        for ret in scope.returns:
            if isinstance(ret.value, cst.Tuple):
                parts = model.return_parts(ret, func)
                if isinstance(parts.headers, (cst.Dict, cst.List)):
                    yield parts.headers
    for call in _candidate_calls(model, func):
        yield from _call_mappings(model, call, func)


def _candidate_calls(model: FileModel, func: cst.FunctionDef) -> list[cst.Call]:
    """Calls that may build a response: statement calls, bound values, returned values."""
    scope = model.scope_of_function(func)
    is_view = model.is_view(func)
    calls: list[cst.Call] = list(scope.calls)
    for values in scope.bindings.values():
        calls.extend(v for v in values if isinstance(v, cst.Call))
    for ret in scope.returns:
        value = ret.value
        if isinstance(value, cst.Call):
            calls.append(value)
        elif is_view and isinstance(value, cst.Tuple):
            parts = model.return_parts(ret, func)
            if isinstance(parts.body, cst.Call):
                calls.append(parts.body)
    return calls


def _headers_variable(
    model: FileModel, call: cst.Call, func: cst.FunctionDef
) -> tuple[str, bool] | None:
    """``(h, copied)`` for ``Response(..., headers=h)`` when ``h = {}`` / ``Headers()`` in
    ``func``. Werkzeug copies a dict but keeps a ``Headers`` object as the response's own:
    later writes to it are sent too (``copied`` False)."""
    headers = next(
        (a.value for a in call.args if a.keyword is not None and a.keyword.value == "headers"),
        None,
    )
    if not isinstance(headers, cst.Name) or not model.is_response_expr(call, func):
        return None
    value = model.single_assigned_value(headers.value, func)
    if model.scope_node_of_binding(headers.value, func) is not func:
        return None
    if isinstance(value, cst.Dict) or (
        isinstance(value, cst.Call) and not value.args and _is_builtin(model, value.func, "dict")
    ):
        return headers.value, True
    if (
        isinstance(value, cst.Call)
        and not value.args
        and model.qualified_name(value.func, func) in HEADERS_CLASSES
    ):
        return headers.value, False
    return None


def _is_builtin(model: FileModel, expr: cst.BaseExpression, name: str) -> bool:
    """``expr`` is the builtin ``name`` (not rebound anywhere in its module)."""
    return (
        isinstance(expr, cst.Name) and expr.value == name and name not in model.index.root.bindings
    )


def _call_mappings(
    model: FileModel, call: cst.Call, func: cst.FunctionDef
) -> Iterator[cst.BaseExpression]:
    headers = next(
        (a.value for a in call.args if a.keyword is not None and a.keyword.value == "headers"),
        None,
    )
    if isinstance(headers, (cst.Dict, cst.List)) and model.is_response_expr(call, func):
        yield headers
    if not any(isinstance(a.value, (cst.Dict, cst.List)) for a in call.args[1:3]):
        return
    if model.qualified_name(call.func, func) == "flask.make_response":
        positional = [a for a in call.args if a.keyword is None and not a.star]
        for arg in positional[1:3]:
            if isinstance(arg.value, (cst.Dict, cst.List)):
                yield arg.value


def _mapping_sites(
    model: FileModel,
    expr: cst.BaseExpression,
    scope: cst.FunctionDef | None,
    func: cst.FunctionDef,
) -> Iterator[HeaderSite]:
    """Elements of a dict literal (or a name bound once to one) with constant keys."""
    literal: cst.BaseExpression | None = expr
    literal_scope: cst.CSTNode | None = scope
    if isinstance(expr, cst.Name):
        literal = model.single_assigned_value(expr.value, scope)
        literal_scope = model.scope_node_of_binding(expr.value, scope)
    if isinstance(literal, cst.Dict):
        for element in literal.elements:
            if not isinstance(element, cst.DictElement):
                continue
            key = model.const_str(element.key, literal_scope)
            if key is not None:
                yield HeaderSite(
                    key,
                    element.value,
                    element.key,
                    literal_scope if isinstance(literal_scope, cst.FunctionDef) else None,
                    func,
                    None,
                    element,
                    literal,
                )
    elif isinstance(literal, (cst.List, cst.Tuple)):
        for item in literal.elements:
            pair = item.value
            if isinstance(pair, cst.Tuple) and len(pair.elements) == 2:
                key = model.const_str(pair.elements[0].value, literal_scope)
                if key is not None:
                    yield HeaderSite(
                        key,
                        pair.elements[1].value,
                        pair.elements[0].value,
                        literal_scope if isinstance(literal_scope, cst.FunctionDef) else None,
                        func,
                    )


def _loop_sites(model: FileModel, func: cst.FunctionDef, key_name: str) -> Iterator[HeaderSite]:
    """``for k, v in CONST.items(): R.headers[k] = v`` -> the elements of CONST."""
    finder = _ForIterables(key_name)
    walk(func.body, finder)
    for iterable in finder.iterables:
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Attribute)
            and iterable.func.attr.value == "items"
        ):
            yield from _mapping_sites(model, iterable.func.value, func, func)


class _ForIterables(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.iterables: list[cst.BaseExpression] = []

    def visit_For(self, node: cst.For) -> None:
        target = node.target
        if isinstance(target, cst.Tuple) and target.elements:
            first = target.elements[0].value
            if isinstance(first, cst.Name) and first.value == self.name:
                self.iterables.append(node.iter)


# -- values ---------------------------------------------------------------------------------
def site_text(model: FileModel, site: HeaderSite) -> str | None:
    """The full constant value of a site, None when any part is unknown."""
    value = model.const(site.value, site.scope)
    return value if isinstance(value, str) else None


def site_parts(model: FileModel, site: HeaderSite) -> list[str | None] | None:
    return model.string_parts(site.value, site.scope)


def string_literal(original: cst.BaseExpression, text: str) -> str | None:
    """Source of a plain string literal holding ``text``, in the quote style of ``original``.

    None when ``original`` is not a plain (non-raw, non-bytes) string literal or
    the text would need escapes.
    """
    if not isinstance(original, cst.SimpleString):
        return None
    prefix = original.prefix.lower()
    if prefix not in ("", "u") or "\\" in text or "\n" in text:
        return None
    quote = original.quote
    if quote[0] in text:
        other = '"' if quote[0] == "'" else "'"
        if other in text:
            return None
        quote = other * len(quote)
    return f"{original.prefix}{quote}{text}{quote}"


# -- edits ----------------------------------------------------------------------------------
class _BlockOf(cst.CSTVisitor):
    def __init__(self, line: cst.SimpleStatementLine) -> None:
        self.line = line
        self.block: cst.IndentedBlock | None = None

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if any(stmt is self.line for stmt in node.body):
            self.block = node


def deletable_line(func: cst.FunctionDef, line: cst.SimpleStatementLine | None) -> bool:
    """True when removing ``line`` leaves its block non-empty."""
    if line is None or len(line.body) != 1:
        return False
    finder = _BlockOf(line)
    walk(func, finder)
    return finder.block is not None and len(finder.block.body) > 1


# -- Talisman bindings of a file ------------------------------------------------------------
def talisman_bindings(model: FileModel) -> list[tuple[AppInfo, TalismanConfig]]:
    """Talisman bindings whose binding call is in ``model``, with their app."""
    project = model.project
    by_model = project.remember("talisman-bindings", lambda: _talisman_bindings_by_model(project))
    return by_model.get(id(model), [])


def _talisman_bindings_by_model(
    project: ProjectModel,
) -> dict[int, list[tuple[AppInfo, TalismanConfig]]]:
    found: dict[int, list[tuple[AppInfo, TalismanConfig]]] = {}
    for app in project.apps():
        for config in providers(app).talisman:
            found.setdefault(id(config.init.model), []).append((app, config))
    return found


def project_uses_talisman(model: FileModel) -> bool:
    """True when some module of the project imports flask_talisman (cheap gate for rules)."""
    project = model.project
    return project.remember(
        "uses-flask-talisman",
        lambda: any(
            binding.target.split(".")[0] == "flask_talisman"
            for module in project.all_modules()
            for binding in module.index.all_imports
        ),
    )


def is_talisman_decorator_call(model: FileModel, call: cst.Call, scope: cst.CSTNode | None) -> bool:
    """``@talisman(frame_options=...)``: calling a Talisman *instance*."""
    if not isinstance(call.func, (cst.Name, cst.Attribute)) or not project_uses_talisman(model):
        return False
    if model.qualified_name(call.func, scope) == TALISMAN:
        return False
    return model.kind_of(call.func, scope) == TALISMAN


# -- Werkzeug's ``R.content_security_policy.<directive> = value`` ----------------------------
@dataclass(eq=False)
class DirectivePolicy:
    """A CSP assembled from Werkzeug directive properties on one response object."""

    node: cst.CSTNode  # the first directive assignment (where findings are reported)
    parts: list[str | None]
    open_ended: bool = False


def werkzeug_csp_policies(model: FileModel, func: cst.FunctionDef) -> list[DirectivePolicy]:
    responses = model.responses_in(func)
    by_target: dict[str, DirectivePolicy] = {}
    for write in responses.writes:
        if write.op != "property" or write.header_lower not in (
            "content-security-policy",
            "content-security-policy-report-only",
        ):
            continue
        statement = write.statement
        if not isinstance(statement, cst.Assign) or write.value_node is None:
            continue
        target = statement.targets[0].target
        if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Attribute)):
            continue
        directive = target.attr.value.replace("_", "-")
        value = model.const(write.value_node, func)
        policy = by_target.get(write.target)
        if policy is None:
            # A response passed in (a hook parameter) may carry directives set elsewhere.
            from_elsewhere = "param" in responses.names.get(write.target, [])
            policy = DirectivePolicy(write.value_node, [], from_elsewhere)
            by_target[write.target] = policy
        policy.parts.extend([directive, " ", value if isinstance(value, str) else None, "; "])
    for policy in by_target.values():
        if policy.open_ended:
            # Directives assigned here replace earlier ones; the others stay unknown.
            policy.parts.append(None)
    return list(by_target.values())


# -- ``secure`` builder chains ----------------------------------------------------------------
SECURE_CSP = frozenset(
    {"secure.ContentSecurityPolicy", "secure.headers.content_security_policy.ContentSecurityPolicy"}
)
SECURE_HSTS = frozenset(
    {
        "secure.StrictTransportSecurity",
        "secure.headers.strict_transport_security.StrictTransportSecurity",
    }
)


def builder_chain(
    model: FileModel, call: cst.Call, scope: cst.CSTNode | None, roots: frozenset[str]
) -> list[tuple[str, cst.Call]] | None:
    """``Root().a(x).b(y)`` -> ``[("a", call_a), ("b", call_b)]`` when Root is in ``roots``."""
    methods: list[tuple[str, cst.Call]] = []
    current: cst.BaseExpression = call
    while isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
        methods.append((current.func.attr.value, current))
        current = current.func.value
    if not isinstance(current, cst.Call) or model.qualified_name(current.func, scope) not in roots:
        return None
    return list(reversed(methods))


def secure_csp_parts(
    model: FileModel, chain: list[tuple[str, cst.Call]], scope: cst.CSTNode | None
) -> list[str | None] | None:
    """The policy a ``ContentSecurityPolicy()`` chain builds; open-ended (later calls may add)."""
    parts: list[str | None] = []
    for method, call in chain:
        if method in ("value", "set", "clear", "report_only", "custom", "custom_directive"):
            return None  # replaces or extends the policy in ways not modelled here
        if method in ("enforce", "upgrade_insecure_requests", "block_all_mixed_content"):
            continue
        values = [model.const(arg.value, scope) for arg in call.args]
        parts.append(method.replace("_", "-"))
        for value in values:
            parts.extend([" ", value if isinstance(value, str) else None])
        parts.append("; ")
    parts.append(None)
    return parts
