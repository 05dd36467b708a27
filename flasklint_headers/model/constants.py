"""A small evaluator for constant strings, numbers, booleans and containers.

Anything it cannot prove constant is ``UNKNOWN``; rules must never report on
an unknown value.  ``string_parts`` keeps f-string holes as ``None`` segments
so that value parsers (CSP, HSTS, ...) can still read the constant parts.
"""

from __future__ import annotations

import ast
import datetime
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.index import IMPORT

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel


class _Unknown:
    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()
_MAX_DEPTH = 20

# Constants of libraries, by canonical qualified name (cheap to know, common in headers code).
KNOWN_CONSTANTS: dict[str, Any] = {
    "flask_cors.core.ACL_ORIGIN": "Access-Control-Allow-Origin",
    "flask_cors.core.ACL_METHODS": "Access-Control-Allow-Methods",
    "flask_cors.core.ACL_ALLOW_HEADERS": "Access-Control-Allow-Headers",
    "flask_cors.core.ACL_EXPOSE_HEADERS": "Access-Control-Expose-Headers",
    "flask_cors.core.ACL_CREDENTIALS": "Access-Control-Allow-Credentials",
    "flask_cors.core.ACL_MAX_AGE": "Access-Control-Max-Age",
    "flask_cors.core.ACL_RESPONSE_PRIVATE_NETWORK": "Access-Control-Allow-Private-Network",
    "flask_talisman.DENY": "DENY",
    "flask_talisman.SAMEORIGIN": "SAMEORIGIN",
    "flask_talisman.ALLOW_FROM": "ALLOW-FROM",
    "flask_talisman.talisman.DENY": "DENY",
    "flask_talisman.talisman.SAMEORIGIN": "SAMEORIGIN",
    "flask_talisman.talisman.ALLOW_FROM": "ALLOW-FROM",
    "flask_talisman.talisman.ONE_YEAR_IN_SECS": 31556926,
    "flask_talisman.talisman.DEFAULT_REFERRER_POLICY": "strict-origin-when-cross-origin",
}
TIMEDELTA = "datetime.timedelta"
_TIMEDELTA_UNITS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
# Pure str methods evaluated on constant receivers.
_STR_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "title", "capitalize"})


class ConstantEvaluator:
    def __init__(self, model: FileModel) -> None:
        self.model = model

    def evaluate(
        self, expr: cst.BaseExpression, scope: cst.CSTNode | None = None, depth: int = 0
    ) -> Any:
        if depth > _MAX_DEPTH:
            return UNKNOWN
        method = getattr(self, f"_eval_{type(expr).__name__}", None)
        if method is None:
            return UNKNOWN
        return method(expr, scope, depth + 1)

    # -- literals ----------------------------------------------------------------------
    def _eval_SimpleString(self, expr: cst.SimpleString, scope: Any, depth: int) -> Any:
        try:
            return ast.literal_eval(expr.value)
        except (ValueError, SyntaxError):
            return UNKNOWN

    def _eval_ConcatenatedString(self, expr: cst.ConcatenatedString, scope: Any, depth: int) -> Any:
        left = self.evaluate(expr.left, scope, depth)
        right = self.evaluate(expr.right, scope, depth)
        if isinstance(left, (str, bytes)) and type(left) is type(right):
            return left + right
        return UNKNOWN

    def _eval_FormattedString(self, expr: cst.FormattedString, scope: Any, depth: int) -> Any:
        parts = self.string_parts(expr, scope, depth)
        if parts is None or any(p is None for p in parts):
            return UNKNOWN
        return "".join(parts)  # type: ignore[arg-type]

    def _eval_Integer(self, expr: cst.Integer, scope: Any, depth: int) -> Any:
        return expr.evaluated_value

    def _eval_Float(self, expr: cst.Float, scope: Any, depth: int) -> Any:
        return expr.evaluated_value

    def _eval_UnaryOperation(self, expr: cst.UnaryOperation, scope: Any, depth: int) -> Any:
        value = self.evaluate(expr.expression, scope, depth)
        if isinstance(expr.operator, cst.Minus) and isinstance(value, (int, float)):
            return -value
        if isinstance(expr.operator, cst.Not) and value is not UNKNOWN:
            return not value
        return UNKNOWN

    def _eval_BinaryOperation(self, expr: cst.BinaryOperation, scope: Any, depth: int) -> Any:
        left = self.evaluate(expr.left, scope, depth)
        right = self.evaluate(expr.right, scope, depth)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        op = expr.operator
        try:
            if isinstance(op, cst.Add) and type(left) is type(right):
                return left + right
            if _is_number(left) and _is_number(right):
                return _arithmetic(op, left, right)
            if isinstance(op, cst.Modulo) and isinstance(left, str):
                return left % right
            if isinstance(left, datetime.timedelta):
                return _timedelta_arithmetic(op, left, right)
            if isinstance(op, cst.Multiply) and isinstance(left, str) and isinstance(right, int):
                return left * right if right < 1000 else UNKNOWN
        except Exception:  # a constant expression that would raise is not a constant
            return UNKNOWN
        return UNKNOWN

    def _eval_Name(self, expr: cst.Name, scope: Any, depth: int) -> Any:
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        value = self.model.single_assigned_value(expr.value, scope)
        if value is None:
            if self.model.bindings(expr.value, scope) != [IMPORT]:
                return UNKNOWN  # unbound, rebound, a parameter, or a try/except import
            return self._imported(expr, scope, depth)
        bound_in = self.model.scope_node_of_binding(expr.value, scope)
        if isinstance(bound_in, cst.Module) and self.model.may_rebind_global(expr.value):
            return UNKNOWN
        return self.evaluate(value, bound_in, depth)

    def _imported(self, expr: cst.BaseExpression, scope: Any, depth: int) -> Any:
        """A constant imported from a project module or a known library constant."""
        qualified = self.model.qualified_name(expr, scope)
        if qualified is None:
            return UNKNOWN
        if qualified in KNOWN_CONSTANTS:
            return KNOWN_CONSTANTS[qualified]
        split = self.model.project.split_symbol(qualified)
        if split is None:
            return UNKNOWN
        target, attr = split
        if target is self.model and isinstance(expr, cst.Name) and expr.value == attr:
            return UNKNOWN
        return target._constants.evaluate(cst.Name(attr), None, depth)

    def _eval_Attribute(self, expr: cst.Attribute, scope: Any, depth: int) -> Any:
        """``module.CONST``, ``ConfigClass.ATTR`` (project code) and known library constants."""
        value = self._imported(expr, scope, depth)
        if value is not UNKNOWN:
            return value
        owner = self.model.qualified_name(expr.value, scope)
        definition = self.model.project.definition(owner) if owner else None
        if definition is None and isinstance(expr.value, cst.Name):
            local = self.model.bindings(expr.value.value, scope)
            classes = [v for v in local if isinstance(v, cst.ClassDef)]
            if len(local) == 1 and classes:
                definition = (self.model, classes[0])
        if definition is None or not isinstance(definition[1], cst.ClassDef):
            return UNKNOWN
        model, cls = definition
        class_scope = model.index.scope_of.get(cls)
        values = class_scope.bindings.get(expr.attr.value, []) if class_scope else []
        if len(values) == 1 and isinstance(values[0], cst.BaseExpression):
            return model._constants.evaluate(values[0], cls, depth)
        return UNKNOWN

    def _eval_Call(self, expr: cst.Call, scope: Any, depth: int) -> Any:
        """Constant calls: ``timedelta(...)``, ``str.format``/``join``, ``str(n)``, ``.lower()``."""
        if any(a.star for a in expr.args):
            return UNKNOWN
        func = expr.func
        if isinstance(func, cst.Attribute) and not isinstance(func.value, (cst.Name,)):
            return self._string_method(expr, func, scope, depth)
        qualified = self.model.qualified_name(func, scope)
        if qualified == TIMEDELTA:
            return self._timedelta(expr, scope, depth)
        if isinstance(func, cst.Name) and func.value in ("str", "int") and qualified is None:
            if self.model.bindings(func.value, scope) or len(expr.args) != 1:
                return UNKNOWN
            value = self.evaluate(expr.args[0].value, scope, depth)
            if (
                func.value == "str"
                and isinstance(value, (str, int))
                and not isinstance(value, bool)
            ):
                return str(value)
            if func.value == "int" and isinstance(value, int) and not isinstance(value, bool):
                return value
            return UNKNOWN
        if isinstance(func, cst.Attribute):
            return self._string_method(expr, func, scope, depth)
        return UNKNOWN

    def _string_method(self, expr: cst.Call, func: cst.Attribute, scope: Any, depth: int) -> Any:
        receiver = self.evaluate(func.value, scope, depth)
        if not isinstance(receiver, str):
            return UNKNOWN
        method = func.attr.value
        args = [self.evaluate(a.value, scope, depth) for a in expr.args if a.keyword is None]
        kwargs = {
            a.keyword.value: self.evaluate(a.value, scope, depth)
            for a in expr.args
            if a.keyword is not None
        }
        if any(v is UNKNOWN for v in (*args, *kwargs.values())):
            return UNKNOWN
        try:
            if method == "format":
                return receiver.format(*args, **kwargs)
            if method == "join" and len(args) == 1 and not kwargs:
                items = args[0]
                if isinstance(items, (list, tuple)) and all(isinstance(i, str) for i in items):
                    return receiver.join(items)
                return UNKNOWN
            if method in _STR_METHODS and not kwargs and len(args) <= 1:
                return getattr(receiver, method)(*args)
        except Exception:  # a call that would raise is not a constant
            return UNKNOWN
        return UNKNOWN

    def _timedelta(self, expr: cst.Call, scope: Any, depth: int) -> Any:
        values: dict[str, Any] = {}
        positional = [a for a in expr.args if a.keyword is None]
        for unit, arg in zip(_TIMEDELTA_UNITS, positional, strict=False):
            values[unit] = self.evaluate(arg.value, scope, depth)
        for arg in expr.args:
            if arg.keyword is not None:
                values[arg.keyword.value] = self.evaluate(arg.value, scope, depth)
        if not all(k in _TIMEDELTA_UNITS and _is_number(v) for k, v in values.items()):
            return UNKNOWN
        try:
            return datetime.timedelta(**values)
        except (OverflowError, TypeError, ValueError):
            return UNKNOWN

    def _eval_Dict(self, expr: cst.Dict, scope: Any, depth: int) -> Any:
        result: dict[Any, Any] = {}
        for element in expr.elements:
            if isinstance(element, cst.StarredDictElement):
                spread = self.evaluate(element.value, scope, depth)
                if not isinstance(spread, dict):
                    return UNKNOWN
                result.update(spread)
                continue
            key = self.evaluate(element.key, scope, depth)
            if key is UNKNOWN:
                return UNKNOWN
            result[key] = self.evaluate(element.value, scope, depth)
        return result

    def _eval_List(self, expr: cst.List, scope: Any, depth: int) -> Any:
        return self._sequence(expr, scope, depth, list)

    def _eval_Tuple(self, expr: cst.Tuple, scope: Any, depth: int) -> Any:
        return self._sequence(expr, scope, depth, tuple)

    def _eval_Set(self, expr: cst.Set, scope: Any, depth: int) -> Any:
        values = self._sequence(expr, scope, depth, list)
        if values is UNKNOWN:
            return UNKNOWN
        try:
            return set(values)
        except TypeError:
            return UNKNOWN

    def _sequence(self, expr: Any, scope: Any, depth: int, kind: type) -> Any:
        values = []
        for element in expr.elements:
            if isinstance(element, cst.StarredElement):
                return UNKNOWN
            values.append(self.evaluate(element.value, scope, depth))
        return kind(values)

    # -- f-strings with holes -------------------------------------------------------------
    def string_parts(
        self, expr: cst.BaseExpression, scope: Any = None, depth: int = 0
    ) -> list[str | None] | None:
        """Constant segments of a string expression, ``None`` for each unknown hole.

        Returns None when the expression is not a string at all.
        """
        if isinstance(expr, cst.FormattedString):
            parts: list[str | None] = []
            for part in expr.parts:
                if isinstance(part, cst.FormattedStringText):
                    text = _fstring_text(expr.start, part.value, expr.end)
                    if text is None:
                        return None
                    parts.append(text)
                else:
                    inner = self.evaluate(part.expression, scope, depth + 1)
                    spec = part.format_spec or part.conversion
                    if _is_number(inner) and not spec:
                        inner = str(inner)
                    parts.append(inner if isinstance(inner, str) and not spec else None)
            return parts
        if isinstance(expr, cst.ConcatenatedString):
            left = self.string_parts(expr.left, scope, depth + 1)
            right = self.string_parts(expr.right, scope, depth + 1)
            if left is None or right is None:
                return None
            return left + right
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            left = self.string_parts(expr.left, scope, depth + 1)
            right = self.string_parts(expr.right, scope, depth + 1)
            if left is None and right is None:
                return None
            return (left or [None]) + (right or [None])
        value = self.evaluate(expr, scope, depth)
        if isinstance(value, str):
            return [value]
        return None


def _fstring_text(start: str, raw: str, end: str) -> str | None:
    """Evaluate the literal text of one f-string segment (``{{`` is a brace)."""
    prefix = "".join(ch for ch in start if ch.isalpha() and ch not in "fF")
    quote = start.lstrip("rRbBuUfF")
    try:
        value = ast.literal_eval(f"{prefix}{quote}{raw}{end}")
    except (ValueError, SyntaxError):
        return None
    return value.replace("{{", "{").replace("}}", "}") if isinstance(value, str) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _arithmetic(op: cst.BaseBinaryOp, left: Any, right: Any) -> Any:
    if isinstance(op, cst.Add):
        return left + right
    if isinstance(op, cst.Multiply):
        return left * right
    if isinstance(op, cst.Subtract):
        return left - right
    if isinstance(op, cst.FloorDivide):
        return left // right
    if isinstance(op, cst.Divide):
        return left / right
    if isinstance(op, cst.Modulo):
        return left % right
    if isinstance(op, cst.Power) and isinstance(right, int) and abs(right) <= 64:
        return left**right
    return UNKNOWN


def _timedelta_arithmetic(op: cst.BaseBinaryOp, left: datetime.timedelta, right: Any) -> Any:
    if isinstance(op, (cst.Add, cst.Subtract)) and isinstance(right, datetime.timedelta):
        return left + right if isinstance(op, cst.Add) else left - right
    if isinstance(op, cst.Multiply) and _is_number(right):
        return left * right
    return UNKNOWN


def as_seconds(value: Any) -> int | float | None:
    """Seconds of a constant duration: an int/float, or a ``timedelta`` (None otherwise)."""
    if isinstance(value, datetime.timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds == int(seconds) else seconds
    if _is_number(value):
        return value
    return None
