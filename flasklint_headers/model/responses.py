"""Response objects inside one function: which names hold one, and every header write.

A *header write* is any statement that changes the headers of a response
object (catalogue §4 "Conventions"): ``R.headers[K] = V``, ``R.headers.set/
add/...``, ``R.headers = ...``, header properties (``R.location = ...``,
``R.vary.add(...)``), ``R.set_cookie/delete_cookie``.  Implicit writes through
returned tuples and ``headers=`` arguments are described by ``ReturnParts``
and ``CallHeaders`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.index import PARAM
from flasklint_headers.model.names import APP, RESPONSE_CLASSES
from flasklint_headers.model.reaching import Place, block_places, reaching_values
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel

ScopeNodeT = cst.CSTNode | None

# Methods of ``Headers`` that write, by the op name used in HeaderWrite.op.
HEADER_METHODS = frozenset(
    {
        "set",
        "add",
        "add_header",
        "setdefault",
        "setlist",
        "extend",
        "update",
        "remove",
        "pop",
        "clear",
    }
)
# Werkzeug response properties that write a header (``werkzeug/sansio/response.py``).
HEADER_PROPERTIES: dict[str, str] = {
    "location": "Location",
    "content_type": "Content-Type",
    "mimetype": "Content-Type",
    "content_length": "Content-Length",
    "content_location": "Content-Location",
    "content_encoding": "Content-Encoding",
    "content_language": "Content-Language",
    "content_md5": "Content-MD5",
    "expires": "Expires",
    "last_modified": "Last-Modified",
    "date": "Date",
    "age": "Age",
    "retry_after": "Retry-After",
    "allow": "Allow",
    "vary": "Vary",
    "cache_control": "Cache-Control",
    "content_security_policy": "Content-Security-Policy",
    "content_security_policy_report_only": "Content-Security-Policy-Report-Only",
    "access_control_allow_credentials": "Access-Control-Allow-Credentials",
    "access_control_allow_origin": "Access-Control-Allow-Origin",
    "access_control_allow_headers": "Access-Control-Allow-Headers",
    "access_control_allow_methods": "Access-Control-Allow-Methods",
    "access_control_expose_headers": "Access-Control-Expose-Headers",
    "access_control_max_age": "Access-Control-Max-Age",
    "cross_origin_opener_policy": "Cross-Origin-Opener-Policy",
    "cross_origin_embedder_policy": "Cross-Origin-Embedder-Policy",
    "www_authenticate": "WWW-Authenticate",
}
# Set-like header properties written through a method call: ``R.vary.add("Origin")``.
HEADER_SET_PROPERTIES = frozenset(
    {
        "vary",
        "allow",
        "content_language",
        "access_control_allow_headers",
        "access_control_allow_methods",
        "access_control_expose_headers",
    }
)


@dataclass(eq=False)
class HeaderWrite:
    """One header-changing statement on a response object.

    ``op``: ``setitem`` | ``delitem`` | ``assign`` (``R.headers = …``) | ``ior`` (``|=``) |
    a Headers method name (``set``, ``add``, ``setdefault``, ``extend``, ``update``, …) |
    ``property`` (``R.location = …``) | ``property_add`` (``R.vary.add(…)``) |
    ``set_cookie`` | ``delete_cookie``.
    ``header``: the header name when it is a known constant (as spelled), else None.
    ``statement``: the small statement (``Assign``/``Expr``/``Del``/``AugAssign``).
    ``line``: the ``SimpleStatementLine`` holding it.
    ``call``: the call node for method forms.
    """

    target: str
    op: str
    header: str | None
    name_node: cst.BaseExpression | None
    value_node: cst.BaseExpression | None
    statement: cst.BaseSmallStatement
    line: cst.SimpleStatementLine
    call: cst.Call | None = None

    @property
    def header_lower(self) -> str | None:
        return self.header.lower() if self.header is not None else None

    @property
    def node(self) -> cst.CSTNode:
        """The node to report on."""
        return self.call if self.call is not None else self.statement


@dataclass
class FunctionResponses:
    """Response objects of one function.

    ``names``: name -> the expressions bound to it that make it a response (``"param"``
    for the first parameter of an after_request hook; a ``Name`` for an alias).
    ``aliases``: alias name -> the name it was bound from (``r2 = resp``), chains resolved
    by ``root_of``.  ``header_aliases``: name -> response name for ``h = resp.headers``.
    ``writes``: every header write in source order (``HeaderWrite.target`` is the name
    written through, which may be an alias; use ``writes_on_object`` to merge aliases).
    """

    function: cst.FunctionDef
    names: dict[str, list[cst.BaseExpression | str]] = field(default_factory=dict)
    writes: list[HeaderWrite] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    header_aliases: dict[str, str] = field(default_factory=dict)

    def writes_on(self, name: str) -> list[HeaderWrite]:
        """Writes through exactly ``name``."""
        return [w for w in self.writes if w.target == name]

    def root_of(self, name: str) -> str:
        """The original response name behind an alias chain (``r3 = r2 = resp`` -> ``resp``)."""
        seen = {name}
        while name in self.aliases and self.aliases[name] not in seen:
            name = self.aliases[name]
            seen.add(name)
        return name

    def writes_on_object(self, name: str) -> list[HeaderWrite]:
        """Writes on the object ``name`` holds, through any of its aliases."""
        root = self.root_of(name)
        return [w for w in self.writes if self.root_of(w.target) == root]

    def is_response_name(self, name: str) -> bool:
        return name in self.names


def analyse_function(
    model: FileModel, func: cst.FunctionDef, first_param_is_response: bool
) -> FunctionResponses:
    scope = model.index.scope_of[func]
    result = FunctionResponses(func)
    response_param = _first_param(func) if first_param_is_response else None
    response_param = response_param or save_session_response(model, func)
    candidates: dict[str, list] = {}
    for name, values in scope.bindings.items():
        if name in scope.globals:
            continue
        if name == response_param:
            if all(v == PARAM for v in values):
                result.names[name] = ["param"]
            continue
        if values and all(isinstance(v, cst.BaseExpression) for v in values):
            if all(model.is_response_expr(v, func) for v in values):
                result.names[name] = list(values)
            else:
                candidates[name] = list(values)
    mixed = {
        name: values
        for name, values in candidates.items()
        if any(model.is_response_expr(v, func) for v in values)
    }
    _add_aliases(result, candidates)
    if result.names:
        collector = _WriteCollector(model, func, set(result.names), result.header_aliases)
        walk(func.body, collector)
        result.writes = collector.writes
    if mixed:
        result.writes = _with_reaching_writes(model, func, result.writes, mixed, candidates)
    return result


def _with_reaching_writes(
    model: FileModel,
    func: cst.FunctionDef,
    writes: list[HeaderWrite],
    mixed: dict[str, list],
    candidates: dict[str, list],
) -> list[HeaderWrite]:
    """Add the writes on names bound to a response on some paths only (``mixed``) that
    only response assignments reach (``model/reaching.py``); in source order.

    The names stay out of ``FunctionResponses.names``: what they hold elsewhere is
    unknown, so rules asking "does this name hold a response" still hear no.
    """
    places = block_places(func)
    lines = _lines(func)

    def is_response_at(name: str, line: cst.SimpleStatementLine, stmt: cst.CSTNode) -> bool:
        values = reaching_values(places, name, line, stmt)
        return bool(values) and all(model.is_response_expr(v, func) for v in values)

    direct = _WriteCollector(model, func, set(mixed))
    walk(func.body, direct)
    found = [w for w in direct.writes if is_response_at(w.target, w.line, w.statement)]
    # ``h = resp.headers`` right after ``resp = make_response(...)``: writes through ``h``.
    aliases: dict[str, str] = {}
    for name, values in candidates.items():
        value = values[0] if len(values) == 1 else None
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "headers"
            and isinstance(value.value, cst.Name)
            and value.value.value in mixed
        ):
            line, stmt = _assignment_of(places, lines, value)
            if line is not None and is_response_at(value.value.value, line, stmt):
                aliases[name] = value.value.value
    if aliases:
        through = _WriteCollector(model, func, set(), aliases)
        walk(func.body, through)
        found += through.writes
    if not found:
        return writes
    order = {id(line): i for i, line in enumerate(lines)}
    return sorted([*writes, *found], key=lambda w: order.get(id(w.line), -1))


def mapping_writes(
    model: FileModel, func: cst.FunctionDef, name: str, copied_by: cst.Call | None = None
) -> list[HeaderWrite]:
    """Header writes into the local mapping ``name`` (``h["K"] = v``, ``h.add(k, v)``, ...),
    up to ``copied_by``, the call that copies it, when given."""
    collector = _WriteCollector(model, func, set(), {name: name}, stop=copied_by)
    walk(func.body, collector)
    return collector.writes


def returned_headers_objects(model: FileModel, func: cst.FunctionDef) -> list[str]:
    """Local names bound once to a new ``werkzeug.datastructures.Headers()`` that ``func``
    returns (``def cors_headers(): h = Headers(); h["..."] = ...; return h``): what is
    written into them is meant for a response.  A returned dict is not: it may be a body."""
    from flasklint_headers.model.names import HEADERS_CLASSES

    found = []
    for ret in model.scope_of_function(func).returns:
        if not isinstance(ret.value, cst.Name) or ret.value.value in found:
            continue
        name = ret.value.value
        if model.scope_node_of_binding(name, func) is not func:
            continue
        value = model.single_assigned_value(name, func)
        if (
            isinstance(value, cst.Call)
            and not value.args
            and model.qualified_name(value.func, func) in HEADERS_CLASSES
        ):
            found.append(name)
    return found


def _lines(func: cst.FunctionDef) -> list[cst.SimpleStatementLine]:
    """Every statement line of ``func`` (not of nested functions), in source order."""
    collector = _LineCollector()
    walk(func.body, collector)
    return collector.lines


class _LineCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.lines: list[cst.SimpleStatementLine] = []

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        self.lines.append(node)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _assignment_of(
    places: dict[int, Place], lines: list[cst.SimpleStatementLine], value: cst.BaseExpression
) -> tuple[cst.SimpleStatementLine | None, cst.CSTNode | None]:
    """The statement line and ``Assign`` whose value is ``value`` (None when not found)."""
    for line in lines:
        if id(line) not in places:
            continue
        for stmt in line.body:
            if isinstance(stmt, cst.Assign) and stmt.value is value:
                return line, stmt
    return None, None


def _add_aliases(result: FunctionResponses, candidates: dict[str, list]) -> None:
    """``r2 = resp`` (every binding an alias of a response name) and ``h = resp.headers``."""
    changed = True
    while changed:
        changed = False
        for name, values in list(candidates.items()):
            sources = {v.value for v in values if isinstance(v, cst.Name)}
            if len(sources) == 1 and len(values) == sum(isinstance(v, cst.Name) for v in values):
                source = next(iter(sources))
                if source in result.names and source != name:
                    result.names[name] = list(values)
                    result.aliases[name] = source
                    del candidates[name]
                    changed = True
    for name, values in candidates.items():
        if len(values) != 1:
            continue
        value = values[0]
        if (
            isinstance(value, cst.Attribute)
            and value.attr.value == "headers"
            and isinstance(value.value, cst.Name)
            and value.value.value in result.names
        ):
            result.header_aliases[name] = value.value.value


# Flask calls ``session_interface.save_session(app, session, response)`` with the response
# it is about to send (``flask/app.py`` ``process_response``).
_SESSION_INTERFACE_MODULES = ("flask.sessions.", "flask_session.")


def save_session_response(model: FileModel, func: cst.FunctionDef) -> str | None:
    """The ``response`` parameter of ``save_session`` in a project ``SessionInterface``."""
    if func.name.value != "save_session":
        return None
    params = [*func.params.posonly_params, *func.params.params]
    if len(params) != 4 or params[0].name.value != "self":
        return None
    owner = model.instance_class(func, "self")
    if owner is None:
        return None
    for base_model, cls in model.project.class_lineage(owner):
        for base in cls.bases:
            name = base_model.qualified_name(base.value, None) or ""
            if name.startswith(_SESSION_INTERFACE_MODULES):
                return params[3].name.value
    return None


def _first_param(func: cst.FunctionDef) -> str | None:
    params = [*func.params.posonly_params, *func.params.params]
    if params and params[0].name.value in ("self", "cls") and len(params) > 1:
        return params[1].name.value
    return params[0].name.value if params else None


class _WriteCollector(cst.CSTVisitor):
    def __init__(
        self,
        model: FileModel,
        func: cst.FunctionDef,
        names: set[str],
        header_aliases: dict[str, str] | None = None,
        stop: cst.Call | None = None,
    ) -> None:
        self.model = model
        self.func = func
        self.names = names
        self.header_aliases = header_aliases or {}
        self.writes: list[HeaderWrite] = []
        self._line: cst.SimpleStatementLine | None = None
        # Writes after this call are not collected (it copies the mapping written to).
        self._stop = stop
        self._stopped = False

    def visit_Call(self, node: cst.Call) -> None:
        if node is self._stop:
            self._stopped = True

    # Nested functions and classes are separate scopes.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._line = node

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        # A one-line body (``def f(r): r.headers[...] = 1``) is a SimpleStatementSuite:
        # without this reset its writes would be filed under the previous line.
        self._line = None

    def _target(self, expr: cst.BaseExpression) -> str | None:
        return expr.value if isinstance(expr, cst.Name) and expr.value in self.names else None

    def _headers_of(self, expr: cst.BaseExpression) -> str | None:
        """Name R when ``expr`` is ``R.headers`` (or a name bound once to ``R.headers``)."""
        if isinstance(expr, cst.Attribute) and expr.attr.value == "headers":
            return self._target(expr.value)
        if isinstance(expr, cst.Name):
            return self.header_aliases.get(expr.value)
        return None

    def _header(self, expr: cst.BaseExpression | None) -> str | None:
        if expr is None:
            return None
        value = self.model.const(expr, self.func)
        return value if isinstance(value, str) else None

    def _add(
        self,
        target: str,
        op: str,
        name_node: cst.BaseExpression | None,
        value: cst.BaseExpression | None,
        stmt: cst.BaseSmallStatement,
        call: cst.Call | None = None,
        header: str | None = None,
    ) -> None:
        if self._line is None or self._stopped:
            return  # writes in one-line suites are not tracked (no statement line to edit)
        if header is None and name_node is not None:
            header = self._header(name_node)
        self.writes.append(
            HeaderWrite(target, op, header, name_node, value, stmt, self._line, call)
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        for assign_target in node.targets:
            self._assignment(assign_target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment(node.target, node.value, node)

    def _assignment(
        self, target: cst.BaseExpression, value: cst.BaseExpression, stmt: cst.BaseSmallStatement
    ) -> None:
        if isinstance(target, cst.Subscript):
            name = self._headers_of(target.value)
            if name is not None and len(target.slice) == 1:
                index = target.slice[0].slice
                key = index.value if isinstance(index, cst.Index) else None
                self._add(name, "setitem", key, value, stmt)
            return
        if isinstance(target, cst.Attribute):
            owner = self._target(target.value)
            if owner is not None:
                attr = target.attr.value
                if attr == "headers":
                    self._add(owner, "assign", None, value, stmt)
                elif attr in HEADER_PROPERTIES:
                    self._add(owner, "property", None, value, stmt, header=HEADER_PROPERTIES[attr])
                return
            # R.content_security_policy.default_src = "..." and similar
            inner = target.value
            if isinstance(inner, cst.Attribute) and inner.attr.value in HEADER_PROPERTIES:
                owner = self._target(inner.value)
                if owner is not None:
                    self._add(
                        owner,
                        "property",
                        None,
                        value,
                        stmt,
                        header=HEADER_PROPERTIES[inner.attr.value],
                    )

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        name = self._headers_of(node.target)
        if name is not None and isinstance(node.operator, cst.BitOrAssign):
            self._add(name, "ior", None, node.value, node)

    def visit_Del(self, node: cst.Del) -> None:
        targets = node.target.elements if isinstance(node.target, cst.Tuple) else None
        for target in [e.value for e in targets] if targets else [node.target]:
            if isinstance(target, cst.Subscript):
                name = self._headers_of(target.value)
                if name is not None and len(target.slice) == 1:
                    index = target.slice[0].slice
                    key = index.value if isinstance(index, cst.Index) else None
                    self._add(name, "delitem", key, None, node)

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        method = call.func.attr.value
        owner_expr = call.func.value
        args = [a for a in call.args if a.keyword is None and not a.star]
        first = args[0].value if args else None
        second = args[1].value if len(args) > 1 else None
        headers_owner = self._headers_of(owner_expr)
        if headers_owner is not None and method in HEADER_METHODS:
            if method in ("extend", "update"):
                mapping = first
                if mapping is None and call.args and call.args[0].keyword is not None:
                    mapping = None
                self._add(headers_owner, method, None, mapping, node, call)
            elif method == "clear":
                self._add(headers_owner, method, None, None, node, call)
            else:
                self._add(headers_owner, method, first, second, node, call)
            return
        owner = self._target(owner_expr)
        if owner is not None and method in ("set_cookie", "delete_cookie"):
            self._add(owner, method, None, first, node, call, header="Set-Cookie")
            return
        if (
            isinstance(owner_expr, cst.Attribute)
            and owner_expr.attr.value in HEADER_SET_PROPERTIES
            and method in ("add", "update", "clear", "discard", "remove")
        ):
            prop_owner = self._target(owner_expr.value)
            if prop_owner is not None:
                self._add(
                    prop_owner,
                    "property_add",
                    None,
                    first,
                    node,
                    call,
                    header=HEADER_PROPERTIES[owner_expr.attr.value],
                )


# -- implicit writes through constructor arguments -------------------------------------------


@dataclass(frozen=True)
class CallParts:
    """The arguments of a response-constructing call, by meaning.

    ``headers`` is the implicit header write of ``make_response(body, status, headers)`` /
    ``Response(body, status, headers)`` / ``Response(headers=...)``.  ``kind`` is
    ``"make_response"`` or ``"response_class"``.
    """

    call: cst.Call
    kind: str
    body: cst.BaseExpression | None
    status: cst.BaseExpression | None
    headers: cst.BaseExpression | None
    mimetype: cst.BaseExpression | None = None
    content_type: cst.BaseExpression | None = None


_RESPONSE_PARAMS = ("response", "status", "headers", "mimetype", "content_type")


def call_parts(model: FileModel, call: cst.Call, scope: ScopeNodeT) -> CallParts | None:
    """Split a ``make_response(...)``/``Response(...)`` call (None for other calls)."""
    if any(a.star for a in call.args):
        return None
    kind = response_call_kind(model, call, scope)
    if kind == "response_class":
        values: dict[str, cst.BaseExpression] = {}
        positional = [a.value for a in call.args if a.keyword is None]
        for name, value in zip(_RESPONSE_PARAMS, positional, strict=False):
            values[name] = value
        for arg in call.args:
            if arg.keyword is not None:
                values[arg.keyword.value] = arg.value
        return CallParts(
            call,
            kind,
            values.get("response"),
            values.get("status"),
            values.get("headers"),
            values.get("mimetype"),
            values.get("content_type"),
        )
    if kind == "make_response":
        args = [a.value for a in call.args if a.keyword is None]
        if len(args) == 1 and isinstance(args[0], cst.Tuple):
            if any(isinstance(e, cst.StarredElement) for e in args[0].elements):
                return None
            args = [e.value for e in args[0].elements]
        body = args[0] if args else None
        if len(args) >= 3:
            return CallParts(call, kind, body, args[1], args[2])
        if len(args) == 2:
            if model.looks_like_headers(args[1], scope):
                return CallParts(call, kind, body, None, args[1])
            return CallParts(call, kind, body, args[1], None)
        return CallParts(call, kind, body, None, None)
    return None


def response_call_kind(model: FileModel, call: cst.Call, scope: ScopeNodeT) -> str | None:
    """``"make_response"`` / ``"response_class"`` / None for a call."""
    callee = model.qualified_name(call.func, scope)
    if callee == "flask.make_response":
        return "make_response"
    if callee in RESPONSE_CLASSES or (
        callee is not None and model.project.is_response_class(callee)
    ):
        return "response_class"
    func = call.func
    if (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("make_response", "response_class")
        and model.kind_of(func.value, scope) == APP
    ):
        return func.attr.value
    return None


# -- escape analysis -------------------------------------------------------------------------

# Builtins that look at an object without keeping it.
_INSPECTING_CALLS = frozenset(
    {"isinstance", "len", "bool", "id", "type", "repr", "str", "print", "hasattr", "getattr"}
)


def response_escapes(func: cst.FunctionDef, names: set[str]) -> bool:
    """True when the object held by any of ``names`` may be changed or kept outside ``func``.

    Escapes: passed to a call (except a few inspecting builtins), stored in a container,
    attribute or subscript, yielded, declared ``global``/``nonlocal``, or referenced by
    a nested function or lambda.  Returning it, aliasing it (``r2 = r``), reading its
    attributes and calling its methods do not escape.
    """
    finder = _EscapeFinder(names)
    walk(func.body, finder)
    return finder.escapes


class _EscapeFinder(cst.CSTVisitor):
    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.escapes = False
        self._stack: list[cst.CSTNode] = []
        self._nested = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.escapes:
            return False
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            self._nested += 1
        if isinstance(node, cst.Name) and node.value in self.names and self._escaping_use():
            self.escapes = True
            return False
        if isinstance(node, (cst.Global, cst.Nonlocal)) and any(
            n.name.value in self.names for n in node.names
        ):
            self.escapes = True
            return False
        self._stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self._stack and self._stack[-1] is original_node:
            self._stack.pop()
        if isinstance(original_node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            self._nested -= 1

    def _escaping_use(self) -> bool:
        if self._nested:
            return True
        parent = self._stack[-1] if self._stack else None
        grand = self._stack[-2] if len(self._stack) > 1 else None
        if parent is None:
            return False
        if isinstance(parent, cst.Attribute):
            return False  # r.headers / r.set_cookie(...)
        if isinstance(parent, cst.Arg):
            call = self._stack[-2] if len(self._stack) > 1 else None
            return not (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Name)
                and call.func.value in _INSPECTING_CALLS
            )
        if isinstance(parent, (cst.Element, cst.DictElement, cst.StarredElement)):
            # ``return r, 200`` keeps it local; any other container escapes.
            container = grand
            outer = self._stack[-3] if len(self._stack) > 2 else None
            return not (isinstance(container, cst.Tuple) and isinstance(outer, cst.Return))
        if isinstance(parent, (cst.Yield, cst.Await)):
            return True
        if isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign)):
            return False
        if isinstance(parent, cst.Assign):
            # value of an assignment: only plain-name targets keep it local
            return not all(isinstance(t.target, cst.Name) for t in parent.targets)
        if isinstance(parent, cst.NamedExpr):
            return False
        return False


def writes_on_names(model: FileModel, func: cst.FunctionDef, names: set[str]) -> list[HeaderWrite]:
    """Header writes in ``func``'s own body on any of ``names``.

    Unlike ``FileModel.responses_in`` the names need not be bound in ``func``:
    a generator nested in a view writes on the view's response through its closure.
    """
    if not names:
        return []
    collector = _WriteCollector(model, func, set(names))
    walk(func.body, collector)
    return collector.writes
