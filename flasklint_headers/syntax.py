"""Small syntax helpers shared by rules (no Flask knowledge here; that is the model's)."""

from __future__ import annotations

import re

import libcst as cst

from flasklint_headers.walk import walk

_STATUS_STRING = re.compile(r"^\s*[1-5]\d\d(\s.*)?$")


class _NameUses(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.uses: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.uses.append(node)


def name_uses(root: cst.CSTNode, name: str) -> list[cst.Name]:
    """Every ``Name`` node spelled ``name`` under ``root`` (bindings included)."""
    visitor = _NameUses(name)
    walk(root, visitor)
    return visitor.uses


def name_used_elsewhere(root: cst.CSTNode, name: str, allowed: set[cst.CSTNode]) -> bool:
    """True when ``name`` is read anywhere under ``root`` other than the ``allowed`` nodes.

    Assignment targets of the name do not count as uses.
    """
    targets = _assignment_targets(root, name)
    return any(use not in allowed and use not in targets for use in name_uses(root, name))


class _Targets(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.targets: set[cst.CSTNode] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.targets.add(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self.targets.add(node.target)


def _assignment_targets(root: cst.CSTNode, name: str) -> set[cst.CSTNode]:
    visitor = _Targets(name)
    walk(root, visitor)
    return visitor.targets


def looks_like_status(expr: cst.BaseExpression) -> bool:
    """An int literal, ``HTTPStatus.X``, a ``"201 CREATED"``-style string, or a name/attribute.

    Names and calls are accepted because they usually hold a status; only string
    literals that are clearly not a status (``"body"``) are rejected.
    """
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.SimpleString):
        try:
            value = expr.evaluated_value
        except Exception:
            return False
        return isinstance(value, str) and bool(_STATUS_STRING.match(value))
    not_a_status = (cst.FormattedString, cst.ConcatenatedString, cst.Dict, cst.List, cst.Tuple)
    return not isinstance(expr, not_a_status)


def is_status_literal(expr: cst.BaseExpression) -> bool:
    """An int literal, ``HTTPStatus.X`` / ``http.HTTPStatus.X``, or a status string literal."""
    if isinstance(expr, cst.Integer):
        return True
    if isinstance(expr, cst.SimpleString):
        return looks_like_status(expr)
    if isinstance(expr, cst.Attribute):
        base = expr.value
        return (isinstance(base, cst.Name) and base.value == "HTTPStatus") or (
            isinstance(base, cst.Attribute) and base.attr.value == "HTTPStatus"
        )
    return False


def parenthesize_like(original: cst.BaseExpression, text: str) -> str:
    """Wrap ``text`` in parentheses when ``original`` was parenthesised."""
    return f"({text})" if original.lpar else text


def keyword_arg(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional_args(call: cst.Call) -> list[cst.Arg]:
    """Positional arguments up to the first ``*args``/keyword."""
    out = []
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            break
        out.append(arg)
    return out


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def exclusive_branches(func: cst.FunctionDef, first: cst.CSTNode, second: cst.CSTNode) -> bool:
    """``first`` and ``second`` sit in the body and the ``else`` of one ``if``: no run of
    ``func`` executes both (Flask-CrossDomain-Session's ``*`` only for static files)."""
    path_a, path_b = path_to(func, first), path_to(func, second)
    for index, (node_a, node_b) in enumerate(zip(path_a, path_b, strict=False)):
        if node_a is node_b:
            continue
        parent = path_a[index - 1] if index else None
        if isinstance(parent, cst.If):
            return {id(node_a), id(node_b)} == {id(parent.body), id(parent.orelse)}
        return False
    return False


def path_to(root: cst.CSTNode, target: cst.CSTNode) -> list[cst.CSTNode]:
    """Nodes from ``root`` down to ``target`` (empty when it is not inside)."""
    if root is target:
        return [root]
    if isinstance(root, cst.BaseExpression):
        return []  # statements never sit inside expressions (lambdas hold expressions only)
    for child in root.children:
        below = path_to(child, target)
        if below:
            return [root, *below]
    return []
