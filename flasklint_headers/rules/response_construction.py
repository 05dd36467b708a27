"""Group A: response-construction correctness (FLH1xx)."""

from __future__ import annotations

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Severity
from flasklint_headers.fixes import replace_node, unsafe_fix
from flasklint_headers.headers import is_known_header
from flasklint_headers.rules.base import Rule
from flasklint_headers.syntax import looks_like_status, name_used_elsewhere, parenthesize_like


class DictReturnedAsHeaders(Rule):
    """## What it does
    Checks for views that return a dict whose keys are all HTTP header names,
    such as ``return {"X-Frame-Options": "DENY"}``.

    ## Why is this bad?
    Flask turns a returned dict into a JSON *body* (``Flask.make_response``
    serialises ``dict`` and ``list`` return values with ``app.json.response``).
    No header is set: the client receives ``{"X-Frame-Options": "DENY"}`` as
    ``application/json`` and the page stays frameable. Headers belong in the
    headers part of a response tuple: ``(body, headers)`` or
    ``(body, status, headers)``.

    Helpers that build header dicts (``def _auth_headers(): return {...}``)
    are not views and are never reported.

    ## Example
    ```python
    @app.route("/frame")
    def frame():
        return {"X-Frame-Options": "DENY"}
    ```

    ## Use instead
    ```python
    @app.route("/frame")
    def frame():
        return "", {"X-Frame-Options": "DENY"}
    ```

    ## Fix safety
    The fix is unsafe: it changes the body (from the JSON text of the dict to
    an empty string) and the Content-Type (from ``application/json`` to
    ``text/html``). Put the real body in the first element afterwards.

    ## References
    - [Flask: About Responses](https://flask.palletsprojects.com/en/stable/quickstart/#about-responses)
    - [Flask.make_response](https://flask.palletsprojects.com/en/stable/api/#flask.Flask.make_response)
    """

    code = "FLH101"
    name = "dict-returned-as-headers"
    severity = Severity.WARNING
    message = (
        "This dict looks like HTTP headers but is returned as the response body: Flask "
        "serialises it to JSON and sets no headers"
    )
    fix_availability = "always"
    fix_applicability = Applicability.UNSAFE

    def _header_dict(
        self, expr: cst.BaseExpression | None, func: cst.FunctionDef
    ) -> cst.BaseExpression | None:
        """``expr`` when it is (or names) a dict literal whose keys are all header names."""
        if expr is None:
            return None
        literal = expr
        if isinstance(expr, cst.Name):
            value = self.model.single_assigned_value(expr.value, func)
            if value is None or name_used_elsewhere(func, expr.value, allowed={expr}):
                return None
            literal = value
        if not isinstance(literal, cst.Dict) or not literal.elements:
            return None
        for element in literal.elements:
            if not isinstance(element, cst.DictElement):
                return None
            key = element.key
            if not isinstance(key, (cst.SimpleString, cst.ConcatenatedString)):
                return None
            text = self.model.const_str(key, func)
            if text is None or not is_known_header(text):
                return None
        return expr

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not self.model.is_view(func) or node.value is None:
            return
        value = node.value
        if isinstance(value, cst.Tuple):
            elements = [e.value for e in value.elements]
            if len(elements) != 2 or any(isinstance(e, cst.StarredElement) for e in value.elements):
                return
            headers, status = elements
            if self._header_dict(headers, func) is None or not looks_like_status(status):
                return
            text = f'"", {self.ctx.code_for(status)}, {self.ctx.code_for(headers)}'
            fix = unsafe_fix(
                "Move the dict into the headers position of the response tuple",
                replace_node(self.ctx, value, parenthesize_like(value, text)),
            )
            self.report(headers, fix=fix)
            return
        if self._header_dict(value, func) is None:
            return
        fix = unsafe_fix(
            "Return an empty body with these headers",
            replace_node(self.ctx, value, f'"", {self.ctx.code_for(value)}'),
        )
        self.report(value, fix=fix)

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not self.model.is_view(func) or not self._is_make_response(node, func):
            return
        args = node.args
        if not 1 <= len(args) <= 2 or any(a.keyword is not None or a.star for a in args):
            return
        headers = args[0].value
        if self._header_dict(headers, func) is None:
            return
        if len(args) == 2:
            status = args[1].value
            if not looks_like_status(status):
                return
            new_args = f'"", {self.ctx.code_for(status)}, {self.ctx.code_for(headers)}'
        else:
            new_args = f'"", {self.ctx.code_for(headers)}'
        start = self.ctx.span(args[0].value)[0]
        end = self.ctx.span(args[-1].value)[1]
        fix = unsafe_fix("Pass an empty body and these headers", Edit(start, end, new_args))
        self.report(headers, fix=fix)

    def _is_make_response(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        if self.model.qualified_name(call.func, func) == "flask.make_response":
            return True
        callee = call.func
        return (
            isinstance(callee, cst.Attribute)
            and callee.attr.value == "make_response"
            and self.model.kind_of(callee.value, func) == "flask.Flask"
        )
