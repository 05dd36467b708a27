"""Project functions that are handed a response: ``return harden(response)``.

Rules read the header writes on names that hold a response
(``model/responses.py``).  A helper's first parameter holds one when an
``after_request`` hook, a view or another helper passes its response to it as
the first argument, or a response made in that argument
(``return no_cache(make_response(body))``); its writes
(``response.headers["X-Frame-Options"] = …``) are then checked like the hook's
own.  This pass finds those helpers across the project, a few helpers deep,
from each function's own analysis: it cannot ask ``FileModel.responses_in``,
whose answer depends on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.responses import FunctionResponses, analyse_function
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel
    from flasklint_headers.model.project import ProjectModel

# How many helpers deep a response is followed (hook -> helper -> helper ...).
_MAX_DEPTH = 4


def find_response_helpers(project: ProjectModel) -> set[int]:
    """``id`` of every project function handed a response as its first argument.

    Each function's own analysis is kept in ``first_analyses(project)``:
    ``responses_in`` reuses it for every function that is not a helper.
    """
    analyses = first_analyses(project)
    found: set[int] = set()
    pending: list[tuple[FileModel, cst.FunctionDef]] = []
    for model in project.all_modules():
        for scope in model.index.scopes:
            func = scope.node
            if not isinstance(func, cst.FunctionDef):
                continue
            analysis = analyse_function(model, func, model.is_after_request_hook(func))
            analyses[id(func)] = analysis
            pending += _unseen(found, _helpers_given_a_new_response(model, func))
            if analysis.names:
                pending += _unseen(
                    found, _helpers_given_a_response(model, func, set(analysis.names))
                )
    for _ in range(_MAX_DEPTH):  # helpers of helpers
        next_round: list[tuple[FileModel, cst.FunctionDef]] = []
        for model, func in pending:
            names = analyse_function(model, func, True).names
            if names:
                next_round += _unseen(found, _helpers_given_a_response(model, func, set(names)))
        if not next_round:
            break
        pending = next_round
    return found


def _unseen(
    found: set[int], helpers: list[tuple[FileModel, cst.FunctionDef]]
) -> list[tuple[FileModel, cst.FunctionDef]]:
    """The helpers not found before (now recorded in ``found``)."""
    new = []
    for model, func in helpers:
        if id(func) not in found:
            found.add(id(func))
            new.append((model, func))
    return new


def first_analyses(project: ProjectModel) -> dict[int, FunctionResponses]:
    """Analyses made by ``find_response_helpers`` (hooks and plain functions), by ``id``."""
    return project.remember("first-response-analyses", dict)


class _ResponseArguments(cst.CSTVisitor):
    """Calls in a function (not in nested ones) whose first argument is a response name."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.calls: list[cst.Call] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or node.args[0].keyword is not None or node.args[0].star:
            return
        first = node.args[0].value
        if isinstance(first, cst.Name) and first.value in self.names:
            self.calls.append(node)


def _helpers_given_a_response(
    model: FileModel, func: cst.FunctionDef, names: set[str]
) -> list[tuple[FileModel, cst.FunctionDef]]:
    visitor = _ResponseArguments(names)
    walk(func.body, visitor)
    return _helpers_called(model, func, visitor.calls)


def _helpers_given_a_new_response(
    model: FileModel, func: cst.FunctionDef
) -> list[tuple[FileModel, cst.FunctionDef]]:
    """``return no_cache(make_response(body))``, ``resp = cors(jsonify(data))``: a response
    made in the call's first argument (read from the scope index: no walk)."""
    scope = model.index.scope_of[func]
    candidates = [r.value for r in scope.returns if isinstance(r.value, cst.Call)]
    candidates += scope.calls
    candidates += [
        v for values in scope.bindings.values() for v in values if isinstance(v, cst.Call)
    ]
    calls = [
        call
        for call in candidates
        if isinstance(call, cst.Call)
        and call.args
        and call.args[0].keyword is None
        and not call.args[0].star
        and model.is_response_expr(call.args[0].value, func)
    ]
    return _helpers_called(model, func, calls)


def _helpers_called(
    model: FileModel, func: cst.FunctionDef, calls: list[cst.Call]
) -> list[tuple[FileModel, cst.FunctionDef]]:
    found = []
    for call in calls:
        callee = _project_function(model, call.func, func)
        if callee is None:
            continue
        callee_model, definition = callee
        if callee_model.handler(definition) is not None:
            continue  # a view or hook is not a helper: Flask calls it its own way
        found.append(callee)
    return found


def _project_function(
    model: FileModel, expr: cst.BaseExpression, scope: cst.FunctionDef
) -> tuple[FileModel, cst.FunctionDef] | None:
    """The project ``def`` a callee means: a function of this module or an imported one,
    ``self.method`` of the caller's own class, or a method of a project object."""
    local = model.function_for(expr, scope)
    if local is not None:
        return model, local
    qualified = model.qualified_name(expr, scope)
    definition = model.project.definition(qualified) if qualified else None
    if definition is not None and isinstance(definition[1], cst.FunctionDef):
        return definition  # type: ignore[return-value]
    if isinstance(expr, cst.Attribute):
        return _method_of_instance(model, expr.value, scope, expr.attr.value)
    return None


def _method_of_instance(
    model: FileModel, receiver: cst.BaseExpression, scope: cst.FunctionDef, name: str
) -> tuple[FileModel, cst.FunctionDef] | None:
    """``ConsentData().finalize`` / ``data.finalize`` with ``data = ConsentData()``: the
    method ``name`` defined in the body of that project class."""
    qualified = model.project.constructor_of(model, receiver, scope)
    definition = model.project.definition(qualified) if qualified else None
    if definition is None or not isinstance(definition[1], cst.ClassDef):
        return None
    class_model, cls = definition
    for statement in cls.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return class_model, statement
    return None
