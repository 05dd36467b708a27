"""A small evaluator for constant strings, numbers, booleans and containers.

Anything it cannot prove constant is ``UNKNOWN``; rules must never report on
an unknown value.  ``string_parts`` keeps f-string holes as ``None`` segments
so that value parsers (CSP, HSTS, ...) can still read the constant parts.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

import libcst as cst

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
            if isinstance(left, (int, float)) and isinstance(right, (int, float)):
                if isinstance(op, cst.Multiply):
                    return left * right
                if isinstance(op, cst.Subtract):
                    return left - right
                if isinstance(op, cst.FloorDivide):
                    return left // right
            if isinstance(op, cst.Modulo) and isinstance(left, str):
                return left % right
        except Exception:  # a constant expression that would raise is not a constant
            return UNKNOWN
        return UNKNOWN

    def _eval_Name(self, expr: cst.Name, scope: Any, depth: int) -> Any:
        if expr.value in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[expr.value]
        value = self.model.single_assigned_value(expr.value, scope)
        if value is None:
            return UNKNOWN
        return self.evaluate(
            value,
            None if value is None else self.model.scope_node_of_binding(expr.value, scope),
            depth,
        )

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
