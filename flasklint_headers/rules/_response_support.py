"""Syntax-level helpers shared by the response-construction rules (FLH102-FLH110).

They ask the Flask model what names mean and only look at literal shapes
themselves (dict/list literals of headers, call arguments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import APP
from flasklint_headers.syntax import keyword_arg, positional_args

if TYPE_CHECKING:
    from flasklint_headers.model import FileModel

# Callables whose result is a Response built from the arguments (catalogue FLH106).
RESPONSE_CONSTRUCTORS = frozenset({"flask.Response", "werkzeug.wrappers.Response"})
TEMPLATE_RENDERERS = frozenset({"flask.render_template", "flask.render_template_string"})


@dataclass(frozen=True)
class HeaderEntry:
    """One ``name: value`` entry of a headers literal.

    ``name``: the constant header name or None; ``node``: the dict element or the
    pair tuple/list in a list of pairs; ``container``: the literal holding it.
    """

    name: str | None
    name_node: cst.BaseExpression
    value_node: cst.BaseExpression
    node: cst.CSTNode
    container: cst.Dict | cst.List | cst.Tuple

    @property
    def lower(self) -> str | None:
        return self.name.lower() if self.name is not None else None


def headers_literal(
    model: FileModel, expr: cst.BaseExpression | None, scope: cst.FunctionDef | None
) -> cst.Dict | cst.List | cst.Tuple | None:
    """The dict / list-of-pairs literal ``expr`` is (or a local name bound once to)."""
    if expr is None:
        return None
    if isinstance(expr, cst.Name):
        value = model.single_assigned_value(expr.value, scope)
        if value is None or isinstance(value, cst.Name):
            return None
        return headers_literal(model, value, scope)
    if isinstance(expr, (cst.Dict, cst.List, cst.Tuple)):
        return expr
    return None


def header_entries(
    model: FileModel, expr: cst.BaseExpression | None, scope: cst.FunctionDef | None
) -> list[HeaderEntry]:
    """Entries of a headers literal (``{"X-A": v}`` or ``[("X-A", v), ...]``)."""
    literal = headers_literal(model, expr, scope)
    if literal is None:
        return []
    entries: list[HeaderEntry] = []
    for element in literal.elements:
        if isinstance(literal, cst.Dict):
            if not isinstance(element, cst.DictElement):
                continue
            key, value, node = element.key, element.value, element
        else:
            pair = element.value if isinstance(element, cst.Element) else None
            if not isinstance(pair, (cst.Tuple, cst.List)) or len(pair.elements) != 2:
                continue
            key, value, node = pair.elements[0].value, pair.elements[1].value, element
        name = model.const_str(key, scope)
        entries.append(HeaderEntry(name, key, value, node, literal))
    return entries


def is_make_response(model: FileModel, call: cst.Call, scope: cst.FunctionDef | None) -> bool:
    """``flask.make_response(...)`` (the helper, not ``app.make_response``)."""
    return model.qualified_name(call.func, scope) == "flask.make_response"


def is_app_method(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef | None, *names: str
) -> bool:
    """``X.<name>(...)`` where X is a Flask app (``app``, ``current_app``, ``self.app``...)."""
    callee = call.func
    return (
        isinstance(callee, cst.Attribute)
        and callee.attr.value in names
        and model.kind_of(callee.value, scope) == APP
    )


def is_response_constructor(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef | None
) -> bool:
    """``Response(...)``, ``werkzeug.wrappers.Response(...)``, ``app.response_class(...)``."""
    if model.qualified_name(call.func, scope) in RESPONSE_CONSTRUCTORS:
        return True
    return is_app_method(model, call, scope, "response_class")


def is_jsonify(model: FileModel, call: cst.Call, scope: cst.FunctionDef | None) -> bool:
    """``flask.jsonify(...)`` or ``app.json.response(...)``."""
    if model.qualified_name(call.func, scope) == "flask.jsonify":
        return True
    callee = call.func
    return (
        isinstance(callee, cst.Attribute)
        and callee.attr.value == "response"
        and isinstance(callee.value, cst.Attribute)
        and callee.value.attr.value == "json"
        and model.kind_of(callee.value.value, scope) == APP
    )


def is_text_body(model: FileModel, expr: cst.BaseExpression, scope: cst.FunctionDef | None) -> bool:
    """A body Flask wraps in a *new* response (str/bytes literal, f-string, rendered template)."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if isinstance(expr, cst.Call):
        return model.qualified_name(expr.func, scope) in TEMPLATE_RENDERERS
    return False


def constructor_headers(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef | None
) -> cst.BaseExpression | None:
    """The headers argument a response constructor / ``make_response`` call was given."""
    args = positional_args(call)
    if is_response_constructor(model, call, scope):
        explicit = keyword_arg(call, "headers")
        if explicit is not None:
            return explicit.value
        return args[2].value if len(args) > 2 else None
    if is_make_response(model, call, scope):
        if len(args) == 3:
            return args[2].value
        if len(args) == 2 and model.looks_like_headers(args[1].value, scope):
            return args[1].value
    return None


def side_effect_free(expr: cst.BaseExpression) -> bool:
    """Literals, names, attribute chains and f-strings/containers of those."""
    if isinstance(
        expr,
        (cst.SimpleString, cst.Integer, cst.Float, cst.Name, cst.Ellipsis),
    ):
        return True
    if isinstance(expr, cst.Attribute):
        return side_effect_free(expr.value)
    if isinstance(expr, cst.ConcatenatedString):
        return side_effect_free(expr.left) and side_effect_free(expr.right)
    if isinstance(expr, cst.FormattedString):
        return all(
            side_effect_free(part.expression)
            for part in expr.parts
            if isinstance(part, cst.FormattedStringExpression)
        )
    if isinstance(expr, (cst.Tuple, cst.List)):
        return all(side_effect_free(e.value) for e in expr.elements)
    return False
