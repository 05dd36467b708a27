"""Group A: response-construction correctness (FLH1xx)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Fix, Position, Severity
from flasklint_headers.fixes import (
    delete_element,
    delete_statement,
    replace_node,
    safe_fix,
    statement_lines,
    unsafe_fix,
)
from flasklint_headers.headers import (
    HOP_BY_HOP,
    MULTI_VALUE,
    SEVERE_DUPLICATES,
    SINGLETONS,
    is_known_header,
    is_valid_token,
)
from flasklint_headers.model.flow import DeadCode, Reachability, small_statements_of
from flasklint_headers.model.index import IMPORT, PARAM
from flasklint_headers.model.reaching import block_places, bound_names, reaching_values
from flasklint_headers.rules._response_support import (
    HeaderEntry,
    constructor_headers,
    header_entries,
    is_app_method,
    is_jsonify,
    is_make_response,
    is_response_constructor,
    is_text_body,
    side_effect_free,
)
from flasklint_headers.rules.base import Rule
from flasklint_headers.syntax import (
    exclusive_branches,
    is_status_literal,
    keyword_arg,
    looks_like_status,
    name_used_elsewhere,
    name_uses,
    parenthesize_like,
    positional_args,
)
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.context import FileContext
    from flasklint_headers.model import FileModel, HeaderWrite


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
            if _is_body_text(self, status, func):
                return  # ``(headers, body)``: FLH105's misordered tuple
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


# -- shared helpers ------------------------------------------------------------------------
def _swap(ctx: FileContext, first: cst.BaseExpression, second: cst.BaseExpression) -> list[Edit]:
    """Edits that exchange the source text of two expressions."""
    return [
        replace_node(ctx, first, ctx.code_for(second)),
        replace_node(ctx, second, ctx.code_for(first)),
    ]


def _all_header_keys(rule: Rule, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
    """A non-empty dict literal whose keys are all string literals naming known headers."""
    if not isinstance(expr, cst.Dict) or not expr.elements:
        return False
    for element in expr.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(
            element.key, (cst.SimpleString, cst.ConcatenatedString)
        ):
            return False
        name = rule.model.const_str(element.key, func)
        if name is None or not is_known_header(name):
            return False
    return True


def _is_body_text(rule: Rule, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
    """A str literal, f-string or ``render_template()`` call (what a body usually is)."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return not is_status_literal(expr) if isinstance(expr, cst.SimpleString) else True
    if isinstance(expr, cst.Call):
        return rule.model.qualified_name(expr.func, func) in (
            "flask.render_template",
            "flask.render_template_string",
        )
    return False


class ResponseTupleMisordered(Rule):
    """## What it does
    Checks for response tuples whose parts are in the wrong order:
    ``(body, headers, status)`` instead of ``(body, status, headers)``,
    ``(headers, body)`` instead of ``(body, headers)``, tuples with four or more
    parts. The same applies to ``make_response(body, headers, status)`` and
    ``app.make_response((body, headers, status))``.

    ## Why is this bad?
    ``Flask.make_response`` reads a 3-tuple strictly by position as
    ``(body, status, headers)``. With the headers in the middle, Flask tries to
    iterate the integer status as headers and every request ends in a 500
    (``TypeError: 'int' object is not iterable``). With ``(headers, body)`` the
    dict becomes a JSON body and the string becomes the status line
    (``0 body``), which strict servers such as gunicorn reject. Tuples with
    four or more parts always raise ``TypeError``.

    In Flask-RESTful resources ``(data, headers, status)`` fails the same way.
    ``return data, {"X-A": "1"}`` is *not* reported there: RESTful reads it as
    ``(data, status)``, but its JSON output hands that "status" to
    ``flask.make_response``, which takes a dict in that place as headers, so it
    works.

    ## Example
    ```python
    @app.post("/items")
    def create():
        return "created", {"Location": "/items/1"}, 201
    ```

    ## Use instead
    ```python
    @app.post("/items")
    def create():
        return "created", 201, {"Location": "/items/1"}
    ```

    ## Fix safety
    The fix is safe: the flagged code fails on every request, so reordering
    the parts cannot break a response that works today. Tuples with four or
    more parts are reported without a fix.

    ## References
    - [Flask: About Responses](https://flask.palletsprojects.com/en/stable/quickstart/#about-responses)
    - [Flask.make_response](https://flask.palletsprojects.com/en/stable/api/#flask.Flask.make_response)
    - [Flask-RESTful: Responses](https://flask-restful.readthedocs.io/en/latest/quickstart.html#resourceful-routing)
    """

    code = "FLH105"
    name = "response-tuple-misordered"
    severity = Severity.ERROR
    message = (
        "Response tuple is `(body, headers, status)`; Flask expects `(body, status, headers)` "
        "— this raises TypeError on every request"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    MESSAGE_HEADERS_FIRST = (
        "Response tuple is `(headers, body)`: the dict becomes the JSON body and the string "
        "becomes the status line `0 body`"
    )
    MESSAGE_TOO_LONG = (
        "Response tuple has {count} parts; Flask accepts at most `(body, status, headers)` "
        "— this raises TypeError on every request"
    )

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not isinstance(node.value, cst.Tuple) or not self.model.is_view(func):
            return
        handler = self.model.handler(func)
        restful = handler is not None and handler.restful
        self._check_parts(node.value, [e.value for e in node.value.elements], func, restful)

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not self.model.is_view(func):
            return
        if is_make_response(self.model, node, func):
            args = node.args
            if all(a.keyword is None and not a.star for a in args) and len(args) == 3:
                self._check_parts(node, [a.value for a in args], func, restful=False)
            return
        if is_app_method(self.model, node, func, "make_response"):
            args = positional_args(node)
            if len(node.args) == 1 and len(args) == 1 and isinstance(args[0].value, cst.Tuple):
                rv = args[0].value
                self._check_parts(rv, [e.value for e in rv.elements], func, restful=False)

    def _check_parts(
        self,
        node: cst.CSTNode,
        parts: list[cst.BaseExpression],
        func: cst.FunctionDef,
        restful: bool,
    ) -> None:
        if any(isinstance(p, cst.StarredElement) for p in parts):
            return
        if len(parts) >= 4:
            self.report(node, self.MESSAGE_TOO_LONG.format(count=len(parts)))
            return
        if len(parts) == 3:
            _, headers, status = parts
            if self.model.looks_like_headers(headers, func) and is_status_literal(status):
                fix = safe_fix("Swap the status and headers", *_swap(self.ctx, headers, status))
                self.report(node, fix=fix)
            return
        if len(parts) != 2:
            return
        first, second = parts
        # Flask-RESTful reads every 2-tuple as (data, code), yet its JSON output passes
        # that "code" to ``flask.make_response``, which takes a dict there as headers:
        # ``return data, {...}`` works in a Resource, so only plain views are checked.
        if (
            not restful
            and _all_header_keys(self, first, func)
            and _is_body_text(self, second, func)
        ):
            fix = safe_fix("Put the body first", *_swap(self.ctx, first, second))
            self.report(node, self.MESSAGE_HEADERS_FIRST, fix=fix)


class ResponsePositionalArgs(Rule):
    """## What it does
    Checks for ``Response(...)`` calls that pass a MIME type positionally:
    ``Response(body, "application/json")`` (second argument) or
    ``Response(body, 200, "text/csv")`` (third argument).

    ## Why is this bad?
    The signature is ``Response(response, status, headers, mimetype,
    content_type)``. A MIME type in second place becomes the *status*: Werkzeug
    turns the non-numeric text into the status line ``0 application/json``,
    serves the body as ``text/html``, and strict servers such as gunicorn
    refuse the status and answer 500. A string in third place is read as the
    headers and raises ``ValueError`` on every request.

    ## Example
    ```python
    @app.route("/data")
    def data():
        return Response(payload, "application/json")
    ```

    ## Use instead
    ```python
    @app.route("/data")
    def data():
        return Response(payload, mimetype="application/json")
    ```

    ## Fix safety
    The fix is safe: it turns the literal into a ``mimetype=`` keyword (or
    ``content_type=`` when it already carries parameters such as
    ``; charset=utf-8``), which is what the code meant; the original call
    produces a broken status line or an exception every time. No fix is
    offered when a keyword of that name is already present or when the MIME
    type is not the last positional argument.

    ## References
    - [Werkzeug: Response](https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response)
    - [Flask: Response](https://flask.palletsprojects.com/en/stable/api/#flask.Response)
    """

    code = "FLH106"
    name = "response-positional-args"
    severity = Severity.ERROR
    message = (
        "`Response(body, 'application/json')` passes the MIME type as the status (signature "
        "is `Response(response, status, headers, mimetype, content_type)`)"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    TEMPLATE = (
        "`{literal}` is passed positionally as the {role} of `Response(...)`; the signature is "
        "`Response(response, status, headers, mimetype, content_type)`"
    )

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        if not is_response_constructor(self.model, node, scope):
            return
        args = positional_args(node)
        if len(args) >= 2 and self._mime_literal(args[1].value, require_slash=True):
            self._report(node, args, 1, "status")
        elif len(args) >= 3 and self._mime_literal(args[2].value, require_slash=False):
            self._report(node, args, 2, "headers")

    def _mime_literal(self, expr: cst.BaseExpression, require_slash: bool) -> bool:
        if not isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
            return False
        text = self.model.const_str(expr)
        # A non-empty string read as headers raises; "" happens to mean "no headers".
        return bool(text) and (not require_slash or "/" in text)

    def _report(self, call: cst.Call, args: list[cst.Arg], index: int, role: str) -> None:
        literal = args[index].value
        text = self.model.const_str(literal) or ""
        keyword = "content_type" if ";" in text else "mimetype"
        message = self.TEMPLATE.format(literal=self.ctx.code_for(literal), role=role)
        fix: Fix | None = None
        is_last = index == len(args) - 1 and not any(a.star for a in call.args)
        clash = keyword_arg(call, "mimetype") or keyword_arg(call, "content_type")
        if is_last and clash is None and "/" in text:
            fix = safe_fix(
                f"Pass it as `{keyword}=`",
                replace_node(self.ctx, literal, f"{keyword}={self.ctx.code_for(literal)}"),
            )
        self.report(literal, message, fix=fix)


_JSONIFY_STATUS_KWARGS = ("status", "status_code", "code")


def _header_like_key(key: str | None) -> bool:
    return key is not None and (is_known_header(key) or key.lower().startswith("x-"))


class JsonifyKwargs(Rule):
    """## What it does
    Checks for ``jsonify()`` calls given keyword arguments: together with
    positional data (``jsonify(data, status=404)``, ``jsonify(x, indent=2)``),
    or alone when a keyword names a response setting or ``json.dumps`` option
    *and* has its shape: an HTTP status other than 200 for
    ``status``/``status_code``/``code`` (``jsonify(status=404)``), a dict of
    response header names for ``headers``, a MIME type for
    ``mimetype``/``content_type``, an int ``indent``, a bool ``sort_keys``, a
    function for ``default``.

    Keywords that are plainly JSON data are not reported: ``status="ok"`` (an
    API's status field), ``code=error.code``, and any keywords of a ``jsonify``
    whose status is set beside it (``return jsonify(status="error"), 429``).

    ## Why is this bad?
    ``jsonify`` serialises *either* its positional arguments *or* its keyword
    arguments. Mixing both raises ``TypeError`` on every call. Keyword
    arguments alone become keys of the JSON object: ``jsonify(status=404)``
    answers 200 with the body ``{"status": 404}``, and ``indent=2`` is data,
    not formatting.

    ## Example
    ```python
    @app.route("/missing")
    def missing():
        return jsonify({"error": "not found"}, status=404)
    ```

    ## Use instead
    ```python
    @app.route("/missing")
    def missing():
        return jsonify({"error": "not found"}), 404
    ```

    ## Fix safety
    For the mixed form, when the call is the value of a ``return`` and its only
    keywords are a status (``status``/``status_code``/``code``) and/or
    ``headers``, the fix moves them into a response tuple:
    ``return jsonify(x), 404``. It is safe because the original call raises on
    every request. Other forms are reported without a fix: whether
    ``jsonify(status=404)`` meant a status or a JSON key needs a human.

    ## References
    - [Flask: jsonify](https://flask.palletsprojects.com/en/stable/api/#flask.json.jsonify)
    - [Flask: About Responses](https://flask.palletsprojects.com/en/stable/quickstart/#about-responses)
    """

    code = "FLH107"
    name = "jsonify-kwargs"
    severity = Severity.ERROR
    message = (
        "`jsonify()` takes data only: with positional data, keyword arguments raise TypeError; "
        "alone, `status=`/`headers=` become JSON keys, not response settings"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    MESSAGE_MIXED = (
        "`jsonify()` with positional data and keyword arguments raises TypeError on every call"
    )
    MESSAGE_KWARGS = (
        "`jsonify({names})` serialises these keywords as JSON keys; they do not set the "
        "response's status, headers or formatting"
    )

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        if not is_jsonify(self.model, node, scope):
            return
        if any(a.star == "**" for a in node.args):
            return
        keywords = [a for a in node.args if a.keyword is not None]
        positional = [a for a in node.args if a.keyword is None]
        if not keywords:
            return
        if positional:
            self.report(node, self.MESSAGE_MIXED, fix=self._mixed_fix(node, positional, keywords))
            return
        if self._status_set_beside(node):
            return  # ``return jsonify(status="error"), 429``: the keys are data
        suspects = [
            a.keyword.value
            for a in keywords
            if a.keyword is not None and self._meant_as_setting(a.keyword.value, a.value, scope)
        ]
        if suspects:
            names = ", ".join(f"{name}=" for name in suspects)
            self.report(node, self.MESSAGE_KWARGS.format(names=names), severity=Severity.WARNING)

    def _status_set_beside(self, call: cst.Call) -> bool:
        """The call is the body of a returned tuple that also gives a status."""
        ret = self.ctx.parent(3)
        if not isinstance(ret, cst.Return) or not isinstance(self.ctx.parent(2), cst.Tuple):
            return False
        parts = self.model.return_parts(ret, self.ctx.enclosing_function())
        return parts.body is call and parts.status is not None

    def _meant_as_setting(
        self, name: str, value: cst.BaseExpression, scope: cst.FunctionDef | None
    ) -> bool:
        """Whether ``name=value`` reads as a response setting or ``json.dumps`` option.

        Only values of the setting's own shape count: ``status=404`` does,
        ``status="ok"`` (a JSON status field, as in Alerta's API) and
        ``status=alert.status`` do not. ``status=200`` changes nothing either way.
        """
        if name in _JSONIFY_STATUS_KWARGS:
            constant = self.model.const(value, scope)
            if type(constant) is int:
                return 100 <= constant <= 599 and constant != 200
            return isinstance(value, cst.Attribute) and is_status_literal(value)  # HTTPStatus.X
        if name == "headers":
            return (
                isinstance(value, cst.Dict)
                and bool(value.elements)
                and all(
                    isinstance(e, cst.DictElement)
                    and _header_like_key(self.model.const_str(e.key, scope))
                    for e in value.elements
                )
            )
        if name in ("mimetype", "content_type"):
            text = self.model.const_str(value, scope)
            return text is not None and "/" in text and " " not in text
        if name == "indent":
            return isinstance(value, cst.Integer)
        if name == "sort_keys":
            return isinstance(value, cst.Name) and value.value in ("True", "False")
        if name == "separators":
            return isinstance(value, cst.Tuple) and len(value.elements) == 2
        if name in ("default", "cls"):
            # A function or encoder class passed by name (``default=str``).
            return isinstance(value, cst.Name) and (
                value.value in ("str", "repr")
                or self.model.function_for(value, scope) is not None
                or value.value.endswith("Encoder")
            )
        return False

    def _mixed_fix(
        self, call: cst.Call, positional: list[cst.Arg], keywords: list[cst.Arg]
    ) -> Fix | None:
        parent = self.ctx.parent()
        if not isinstance(parent, cst.Return) or parent.value is not call:
            return None
        if any(a.star for a in positional):
            return None
        by_name = {a.keyword.value: a for a in keywords if a.keyword is not None}
        status_names = [n for n in by_name if n in _JSONIFY_STATUS_KWARGS]
        if len(status_names) > 1 or set(by_name) - {*status_names, "headers"}:
            return None
        parts = [self._call_without_keywords(call, positional)]
        if status_names:
            parts.append(self.ctx.code_for(by_name[status_names[0]].value))
        elif "headers" in by_name and not self.model.looks_like_headers(
            by_name["headers"].value, self.ctx.enclosing_function()
        ):
            # ``(body, headers)`` only reads as headers for dict/list/Headers values.
            return None
        if "headers" in by_name:
            parts.append(self.ctx.code_for(by_name["headers"].value))
        return safe_fix(
            "Move the status/headers into a response tuple",
            replace_node(self.ctx, call, ", ".join(parts)),
        )

    def _call_without_keywords(self, call: cst.Call, positional: list[cst.Arg]) -> str:
        last = positional[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        args = [*positional[:-1], last]
        return self.ctx.code_for(call.with_changes(args=args))


_MULTI_DICTS = frozenset(
    {"werkzeug.datastructures.MultiDict", "werkzeug.datastructures.OrderedMultiDict"}
)


class HeadersObjectReplaced(Rule):
    """## What it does
    Checks for assignments that replace a response's ``headers`` object, such
    as ``response.headers = {"X-Frame-Options": "DENY"}``.

    ## Why is this bad?
    ``response.headers`` is a Werkzeug ``Headers`` object that already holds
    ``Content-Type``, ``Content-Length`` and any cookie set so far. Assigning a
    plain dict throws all of that away, and every later ``set_cookie()`` —
    including Flask's own session saving — fails with ``AttributeError: 'dict'
    object has no attribute 'add'``.

    Assigning a ``werkzeug.datastructures.Headers(...)`` object, another
    response's ``headers``, or a ``MultiDict`` made from the headers
    (``MultiDict(response.headers)``, which keeps them all and supports
    ``set_cookie``) is not reported.

    ## Example
    ```python
    @app.after_request
    def secure(response):
        response.headers = {"X-Frame-Options": "DENY"}
        return response
    ```

    ## Use instead
    ```python
    @app.after_request
    def secure(response):
        response.headers.update({"X-Frame-Options": "DENY"})
        return response
    ```

    ## Fix safety
    The fix (``.update(...)`` instead of the assignment) is unsafe: the
    headers that the assignment used to drop (Content-Type, cookies, Vary)
    are now sent, which changes the response.

    ## References
    - [Werkzeug: Headers](https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers)
    - [Flask: Sessions](https://flask.palletsprojects.com/en/stable/api/#sessions)
    """

    code = "FLH108"
    name = "headers-object-replaced"
    severity = Severity.ERROR
    message = (
        "Assigning a plain dict to `response.headers` discards Content-Type, cookies and Vary, "
        "and breaks later `set_cookie()`/session saving"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for write in self.model.responses_in(node).writes:
            if write.op != "assign" or write.value_node is None:
                continue
            if self._keeps_headers_type(write.value_node, node):
                continue
            self.report(write.statement, fix=self._fix(write.statement, write.value_node))

    def _keeps_headers_type(self, value: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        """``Headers(...)``, ``other.headers``, ``other.headers.copy()``, or a Werkzeug
        ``MultiDict`` made from the headers (flask-cors: it keeps every header and has the
        ``add`` that ``set_cookie`` needs)."""
        if isinstance(value, cst.Call):
            callee = value.func
            if isinstance(callee, cst.Attribute) and self._is_headers_attr(callee.value):
                return True
            qualified = self.model.qualified_name(callee, func)
            if qualified == "werkzeug.datastructures.Headers":
                return True
            return qualified in _MULTI_DICTS and any(
                self._is_headers_attr(arg.value) for arg in value.args if not arg.keyword
            )
        return self._is_headers_attr(value)

    @staticmethod
    def _is_headers_attr(value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Attribute) and value.attr.value == "headers"

    def _fix(self, stmt: cst.BaseSmallStatement, value: cst.BaseExpression) -> Fix | None:
        if not isinstance(stmt, cst.Assign) or len(stmt.targets) != 1:
            return None
        if not isinstance(value, (cst.Dict, cst.List, cst.Name, cst.Call)) or (
            isinstance(value, cst.Name) and value.value == "None"
        ):
            return None
        target = self.ctx.code_for(stmt.targets[0].target)
        if target in self.ctx.code_for(value):
            return None  # ``R.headers = dict(R.headers)``: updating with itself says nothing
        text = f"{target}.update({self.ctx.code_for(value)})"
        return unsafe_fix("Update the existing headers instead", replace_node(self.ctx, stmt, text))


class _BlockFinder(cst.CSTVisitor):
    """The statement list (``IndentedBlock``) that holds a given statement line."""

    def __init__(self, line: cst.BaseStatement) -> None:
        self.line = line
        self.block: cst.IndentedBlock | None = None

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        if self.line in node.body:
            self.block = node
            return False
        return self.block is None


def _delete_write_fix(
    ctx: FileContext,
    func: cst.FunctionDef,
    stmt: cst.BaseSmallStatement,
    line: cst.SimpleStatementLine,
    message: str,
) -> Fix | None:
    """Unsafe fix deleting a whole one-statement line (``pass`` if the block would be empty)."""
    if len(line.body) != 1 or line.body[0] is not stmt:
        return None
    finder = _BlockFinder(line)
    walk(func, finder)
    if finder.block is None:
        return None
    if len(finder.block.body) == 1:
        return unsafe_fix(message, replace_node(ctx, stmt, "pass"))
    return unsafe_fix(message, delete_statement(ctx, line))


def _function_mentions_101(func: cst.FunctionDef) -> bool:
    """A literal 101 anywhere in the function (a ``101 Switching Protocols`` response)."""
    finder = _IntegerFinder("101")
    walk(func, finder)
    return finder.found


class _IntegerFinder(cst.CSTVisitor):
    def __init__(self, value: str) -> None:
        self.value = value
        self.found = False

    def visit_Integer(self, node: cst.Integer) -> None:
        if node.value == self.value:
            self.found = True


def _delete_entry(ctx: FileContext, entry: HeaderEntry) -> Edit:
    """Remove the entry from its dict/list literal, leaving the other entries' text alone."""
    container = entry.container
    elements = list(container.elements)
    if len(elements) == 1:
        brackets = {cst.Dict: "{}", cst.List: "[]", cst.Tuple: "()"}[type(container)]
        return replace_node(ctx, container, brackets)
    position = next(i for i, e in enumerate(elements) if e is entry.node)
    return delete_element(ctx, elements, position)


# (node to report, header name, fix)
_HopFinding = tuple[cst.CSTNode, str, Fix | None]

_SETTING_OPS = frozenset({"setitem", "set", "add", "add_header", "setdefault", "setlist"})


class HopByHopHeader(Rule):
    """## What it does
    Checks for responses that set a hop-by-hop header: ``Connection``,
    ``Keep-Alive``, ``Proxy-Authenticate``, ``Proxy-Authorization``, ``TE``,
    ``Trailer``, ``Trailers``, ``Transfer-Encoding`` or ``Upgrade`` — by a
    header write on a response object or as an entry of the headers given to
    ``Response(...)``, ``make_response(...)`` or a returned response tuple.

    ## Why is this bad?
    These headers describe one connection, which belongs to the server, not
    the application. PEP 3333 forbids WSGI applications from sending them.
    What happens then depends on the server: gunicorn silently drops them,
    ``wsgiref`` fails with an ``AssertionError``, and the Werkzeug development
    server sends them *next to* its own framing headers — e.g. both
    ``Transfer-Encoding: chunked`` and ``Content-Length``, the kind of
    framing conflict that request-smuggling attacks feed on.

    Functions that answer ``101 Switching Protocols`` (a literal ``101`` in
    the function) are skipped: the ``Upgrade``/``Connection`` pair is how a
    protocol switch is announced.

    ## Example
    ```python
    @app.route("/stream")
    def stream():
        response = make_response(data)
        response.headers["Transfer-Encoding"] = "chunked"
        return response
    ```

    ## Use instead
    ```python
    @app.route("/stream")
    def stream():
        return make_response(data)  # the server decides how to frame the body
    ```

    ## Fix safety
    The fix deletes the statement (or the entry of the headers literal). It is
    unsafe because the header disappears from the response on servers that
    used to pass it on.

    ## References
    - [PEP 3333: Other HTTP features](https://peps.python.org/pep-3333/#other-http-features)
    - [RFC 9110 §7.6.1: Connection](https://www.rfc-editor.org/rfc/rfc9110#section-7.6.1)
    """

    code = "FLH110"
    name = "hop-by-hop-header"
    severity = Severity.WARNING
    message = (
        "`Transfer-Encoding` is a hop-by-hop header; WSGI applications must not set it "
        "(PEP 3333). gunicorn drops it, wsgiref asserts, the dev server sends conflicting framing"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    TEMPLATE = (
        "`{name}` is a hop-by-hop header; WSGI applications must not set it (PEP 3333). "
        "gunicorn drops it, wsgiref asserts, the dev server sends conflicting framing"
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._reported: set[cst.CSTNode] = set()
        self._switching: dict[cst.FunctionDef, bool] = {}

    def _hop(self, name: str | None) -> bool:
        return name is not None and name.lower() in HOP_BY_HOP

    def _emit(self, node: cst.CSTNode, name: str, fix: Fix | None) -> None:
        if node in self._reported:
            return
        self._reported.add(node)
        severity = Severity.ERROR if name.lower() == "transfer-encoding" else None
        self.report(node, self.TEMPLATE.format(name=name), fix=fix, severity=severity)

    def _mentions_101(self, func: cst.FunctionDef | None) -> bool:
        if func is None:
            return False
        cached = self._switching.get(func)
        if cached is None:
            cached = self._switching[func] = _function_mentions_101(func)
        return cached

    def _emit_all(self, func: cst.FunctionDef | None, found: list[_HopFinding]) -> None:
        if not found or self._mentions_101(func):
            return
        for node, name, fix in found:
            self._emit(node, name, fix)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        found: list[_HopFinding] = []
        for write in self.model.responses_in(node).writes:
            if write.op in ("update", "extend"):
                found.extend(self._literal_entries(write.value_node, node))
            elif write.op in _SETTING_OPS and self._hop(write.header):
                assert write.header is not None
                fix = _delete_write_fix(
                    self.ctx,
                    node,
                    write.statement,
                    write.line,
                    f"Delete the `{write.header}` write",
                )
                found.append((write.node, write.header, fix))
        self._emit_all(node, found)

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or node.value is None or not self.model.is_view(func):
            return
        parts = self.model.return_parts(node, func)
        if parts.headers is not None:
            self._emit_all(func, self._literal_entries(parts.headers, func))

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        headers = constructor_headers(self.model, node, scope)
        if headers is not None:
            self._emit_all(scope, self._literal_entries(headers, scope))

    def _literal_entries(
        self, expr: cst.BaseExpression | None, func: cst.FunctionDef | None
    ) -> list[_HopFinding]:
        found: list[_HopFinding] = []
        for entry in header_entries(self.model, expr, func):
            if not self._hop(entry.name):
                continue
            assert entry.name is not None
            fix = None
            if isinstance(entry.container, (cst.Dict, cst.List)):
                fix = unsafe_fix(
                    f"Remove the `{entry.name}` entry",
                    _delete_entry(self.ctx, entry),
                )
            found.append((entry.node, entry.name, fix))
        return found


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[cst.Name] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node)


def _names_in(nodes: list[cst.CSTNode]) -> set[cst.Name]:
    collector = _NameCollector()
    for node in nodes:
        walk(node, collector)
    return collector.names


class _AttributeAssignments(cst.CSTVisitor):
    """``R`` in ``R.status_code = ...``-style assignments (not ``R.headers = ...``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.bases: set[cst.Name] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == self.name
            and target.attr.value != "headers"
        ):
            self.bases.add(target.value)


def _attribute_assignment_bases(func: cst.FunctionDef, name: str) -> set[cst.Name]:
    """Uses of ``name`` that only set one of its attributes; a header property set this
    way is a header write of its own (``HeaderWrite.op == "property"``)."""
    collector = _AttributeAssignments(name)
    walk(func.body, collector)
    return collector.bases


class _LoopCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.loops: list[cst.CSTNode] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_For(self, node: cst.For) -> None:
        self.loops.append(node)

    def visit_While(self, node: cst.While) -> None:
        self.loops.append(node)


# Calls whose result, given to ``make_response``, is a body or a fresh response.
_FRESH_BODY_CALLS = frozenset({"flask.jsonify", "json.dumps", "flask.json.dumps"})

# Names holding a response in a function -> what they are bound to.
_Names = dict[str, list[cst.BaseExpression | str]]

_MULTI_VALUE_ADVICE = {
    "set-cookie": "use `set_cookie()` or `headers.add()`",
    "vary": "use `response.vary.add(...)`",
    "link": "use `headers.add()`",
    "www-authenticate": "use `headers.add()`",
}


def _origin_targets(
    func: cst.FunctionDef, name: str, values: list[cst.BaseExpression]
) -> set[cst.Name]:
    """The ``name`` targets of ``name = value`` for each of ``values`` (they bind, not use)."""
    finder = _AssignmentsOf(name, values)
    walk(func.body, finder)
    return finder.targets


class _AssignmentsOf(cst.CSTVisitor):
    def __init__(self, name: str, values: list[cst.BaseExpression]) -> None:
        self.name = name
        self.values = {id(v) for v in values}
        self.targets: set[cst.Name] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        if id(node.value) not in self.values:
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name) and target.target.value == self.name:
                self.targets.add(target.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


def _only_when_absent(
    model: FileModel, func: cst.FunctionDef, write: HeaderWrite, lower: str
) -> bool:
    """``write`` on R runs only under ``if "<header>" not in R.headers[.keys()]:``, or
    under ``if not value:`` / ``if value is None:`` with ``value = R.headers.get(...)``."""
    finder = _AbsenceGuards(model, func, write, lower)
    walk(func.body, finder)
    return finder.guarded


def _reads_header(
    model: FileModel, func: cst.FunctionDef, expr: cst.BaseExpression, target: str, lower: str
) -> bool:
    """``R.headers.get("<header>"[, default])`` or ``R.headers["<header>"]`` on ``target``."""
    key: cst.BaseExpression | None = None
    container: cst.BaseExpression | None = None
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        if expr.func.attr.value == "get" and expr.args and expr.args[0].keyword is None:
            key, container = expr.args[0].value, expr.func.value
    elif isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index):
            key, container = index.value, expr.value
    if key is None or not (
        isinstance(container, cst.Attribute)
        and container.attr.value == "headers"
        and isinstance(container.value, cst.Name)
        and container.value.value == target
    ):
        return False
    name = model.const_str(key, func)
    return name is not None and name.lower() == lower


def _header_variables(model: FileModel, func: cst.FunctionDef, target: str, lower: str) -> set[str]:
    """Names bound once in ``func`` to the header's current value
    (``vary = R.headers.get("Vary")``)."""
    return {
        name
        for name, values in model.scope_of_function(func).bindings.items()
        if len(values) == 1
        and isinstance(values[0], cst.BaseExpression)
        and _reads_header(model, func, values[0], target, lower)
    }


class _HeaderReads(cst.CSTVisitor):
    def __init__(self, model: FileModel, func: cst.FunctionDef, target: str, lower: str) -> None:
        self.model, self.func, self.target, self.lower = model, func, target, lower
        self.variables = _header_variables(model, func, target, lower)
        self.found = False

    def visit_Name(self, node: cst.Name) -> None:
        self.found |= node.value in self.variables

    def visit_Call(self, node: cst.Call) -> None:
        self.found |= _reads_header(self.model, self.func, node, self.target, self.lower)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.found |= _reads_header(self.model, self.func, node, self.target, self.lower)


def _keeps_existing_value(
    model: FileModel, func: cst.FunctionDef, write: HeaderWrite, lower: str
) -> bool:
    """The new value is built from the header's current one (flask-compress:
    ``R.headers["Vary"] = f"{vary}, Accept-Encoding"``): nothing is dropped."""
    if write.value_node is None:
        return False
    reads = _HeaderReads(model, func, write.target, lower)
    write.value_node.visit(reads)
    return reads.found


class _AbsenceGuards(cst.CSTVisitor):
    def __init__(
        self, model: FileModel, func: cst.FunctionDef, write: HeaderWrite, lower: str
    ) -> None:
        self.model = model
        self.func = func
        self.line = write.line
        self.target = write.target  # the guard must test the written object's headers
        self.lower = lower
        self.guards: list[bool] = []
        self.presence: list[bool] = []
        self.guarded = False
        self.variables = _header_variables(model, func, write.target, lower)

    def visit_If(self, node: cst.If) -> None:
        self.guards.append(self._tests_absence(node.test))
        self.presence.append(self._tests_presence(node.test))

    def leave_If(self, original_node: cst.If) -> None:
        self.guards.pop()
        self.presence.pop()

    def visit_Else(self, node: cst.Else) -> bool:
        if self.guards:
            # The ``else`` of an absence test runs when the header is there; the ``else``
            # of ``if "Vary" in R.headers:`` runs when it is not (datagrepper).
            self.guards[-1] = self.presence[-1]
        return True

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        if node is self.line and any(self.guards):
            self.guarded = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def _tests_presence(self, test: cst.BaseExpression) -> bool:
        """``"<header>" in R.headers`` (or a variable holding its value, tested as true)."""
        if isinstance(test, cst.Name):
            return test.value in self.variables
        return self._tests_membership(test, cst.In)

    def _tests_absence(self, test: cst.BaseExpression) -> bool:
        """``"<header>" not in R.headers``, ``not value`` or ``value is None``."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return isinstance(test.expression, cst.Name) and test.expression.value in self.variables
        if (
            isinstance(test, cst.Comparison)
            and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Is)
        ):
            comparator = test.comparisons[0].comparator
            return (
                isinstance(test.left, cst.Name)
                and test.left.value in self.variables
                and isinstance(comparator, cst.Name)
                and comparator.value == "None"
            )
        return self._tests_membership(test, cst.NotIn)

    def _tests_membership(self, test: cst.BaseExpression, operator: type) -> bool:
        """``"<header>" <operator> R.headers[.keys()]`` on the written object."""
        if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
            return False
        target = test.comparisons[0]
        if not isinstance(target.operator, operator):
            return False
        name = self.model.const(test.left, self.func)
        if not (isinstance(name, str) and name.lower() == self.lower):
            return False
        container = target.comparator
        if (
            isinstance(container, cst.Call)
            and isinstance(container.func, cst.Attribute)
            and container.func.attr.value == "keys"
            and not container.args
        ):
            container = container.func.value
        return (
            isinstance(container, cst.Attribute)
            and container.attr.value == "headers"
            and isinstance(container.value, cst.Name)
            and container.value.value == self.target
        )


class MultiValueHeaderClobbered(Rule):
    """## What it does
    Checks for writes that *replace* a header which may legitimately appear
    several times — ``Set-Cookie``, ``Vary``, ``Link``, ``WWW-Authenticate``:
    ``response.headers["Set-Cookie"] = ...``, ``headers.set(...)``,
    ``headers.setlist(...)``, ``headers.update({...})``,
    ``headers.setdefault("Set-Cookie", ...)``, ``response.vary = ...`` (the
    property replaces every Vary value; ``= None`` deletes the header), and
    response tuples that return such a header next to a response object that
    already carries it.

    ## Why is this bad?
    Werkzeug's ``headers[k] = v``, ``set`` and ``update`` remove every other
    line of that name first. Writing ``Set-Cookie`` this way silently drops
    the cookies set before it; writing ``Vary`` drops ``Vary: Cookie`` or
    ``Vary: Origin``, which is what stops shared caches from serving one
    user's response to another. ``setdefault`` does nothing at all when the
    header is already there. Since Flask 2.0, headers returned in a tuple next
    to a response object are applied with ``update`` and replace in the same
    way; a list of pairs that repeats a name keeps only its last pair.

    The finding is an error when an earlier write of the same header on the
    same response is visible in the function (a cookie is provably lost). A
    write on a response created in the same function without headers, that
    nothing touched before, is not reported: there is nothing to replace yet,
    and what Flask adds later (the session cookie, ``Vary: Cookie``) is added,
    not set. Nor is a write under ``if "<header>" not in R.headers:`` (or in the
    ``else`` of ``if "<header>" in R.headers:``, or under ``if not value:`` with
    ``value = R.headers.get("<header>")``), nor one whose new value is built
    from the current one (``f"{value}, Accept-Encoding"``).

    ## Example
    ```python
    @app.route("/login")
    def login():
        response = make_response("ok")
        response.set_cookie("theme", "dark")
        response.headers["Set-Cookie"] = "session=abc; Secure; HttpOnly"
        return response
    ```

    ## Use instead
    ```python
    @app.route("/login")
    def login():
        response = make_response("ok")
        response.set_cookie("theme", "dark")
        response.headers.add("Set-Cookie", "session=abc; Secure; HttpOnly")
        return response
    ```

    ## Fix safety
    The fix turns the write into an ``add`` (``response.vary.add("Origin")``
    for a single ``Vary`` token). It is unsafe: the lines that used to be
    dropped are now sent. (The only case where it would change nothing — a
    fresh response with no earlier write — is not reported.) ``setlist``/
    ``update`` calls, tuple forms and ``response.vary = None`` are reported
    without a fix.

    ## References
    - [Werkzeug: Headers](https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers)
    - [RFC 6265 §3: Set-Cookie must not be folded](https://www.rfc-editor.org/rfc/rfc6265#section-3)
    - [RFC 9110 §12.5.5: Vary](https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5)
    """

    code = "FLH109"
    name = "multi-value-header-clobbered"
    severity = Severity.WARNING
    message = (
        "`headers['Set-Cookie'] = …` replaces every Set-Cookie already on the response; use "
        "`set_cookie()` or `headers.add()`"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    TEMPLATE = "`{call}` replaces every `{name}` already on the response; {advice}"
    TEMPLATE_SETDEFAULT = (
        "`headers.setdefault({name!r}, …)` does nothing when a `{name}` is already on the "
        "response; {advice}"
    )
    TEMPLATE_TUPLE = (
        "Headers returned next to a response object replace its headers of the same name: "
        "this `{name}` drops the `{name}` already on `{target}`"
    )
    TEMPLATE_REPEATED = (
        "Headers returned next to a response object are applied with `update()`: only the last "
        "`{name}` of this list is sent"
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        responses = self.model.responses_in(node)
        for write in responses.writes:
            self._check_write(node, responses.names, responses.writes, write)

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not isinstance(node.value, cst.Tuple) or not self.model.is_view(func):
            return
        responses = self.model.responses_in(func)
        self._check_return(func, responses.names, responses.writes, node)

    # -- statement forms ----------------------------------------------------------------
    def _check_write(
        self, func: cst.FunctionDef, names: _Names, writes: list[HeaderWrite], write: HeaderWrite
    ) -> None:
        if write.op in ("update", "ior"):
            for entry in header_entries(self.model, write.value_node, func):
                if entry.lower in _MULTI_VALUE_ADVICE:
                    assert entry.name is not None
                    self._report_replace(func, names, writes, write, entry.node, entry.name)
            return
        if write.op == "property" and write.header_lower == "vary":
            # ``R.vary = …`` replaces every Vary value (``= None`` deletes the header).
            self._report_replace(func, names, writes, write, write.statement, "Vary")
            return
        if write.op not in ("setitem", "set", "setlist", "setdefault"):
            return
        if write.header is None or write.header_lower not in _MULTI_VALUE_ADVICE:
            return
        self._report_replace(func, names, writes, write, write.node, write.header)

    def _report_replace(
        self,
        func: cst.FunctionDef,
        names: _Names,
        writes: list[HeaderWrite],
        write: HeaderWrite,
        node: cst.CSTNode,
        header: str,
    ) -> None:
        lower = header.lower()
        advice = _MULTI_VALUE_ADVICE[lower]
        origins = self._origins(func, names, write)
        since = min(self.ctx.span(o)[0] for o in origins) if origins else None
        earlier = self._earlier_same_header(func, writes, write, lower, since)
        if write.op == "setdefault":
            message = self.TEMPLATE_SETDEFAULT.format(name=header, advice=advice)
        else:
            call = {
                "setitem": f"headers[{header!r}] = …",
                "set": f"headers.set({header!r}, …)",
                "setlist": f"headers.setlist({header!r}, …)",
                "property": f"{write.target}.vary = …",
            }.get(write.op, "headers.update(…)")
            message = self.TEMPLATE.format(call=call, name=header, advice=advice)
        if not earlier and self._fresh_untouched(func, origins, writes, write, lower):
            # Nothing can be on the response yet: the write replaces nothing, and Flask's
            # own later additions (session cookie, ``Vary: Cookie``) use ``add``.
            return
        if not earlier and _only_when_absent(self.model, func, write, lower):
            return  # ``if "WWW-Authenticate" not in resp.headers:``: nothing to replace
        if _keeps_existing_value(self.model, func, write, lower):
            return  # read-modify-write: the old value is part of the new one
        severity = Severity.ERROR if earlier else None
        fix = self._fix(func, write, lower)
        self.report(node, message, fix=fix, severity=severity)

    def _earlier_same_header(
        self,
        func: cst.FunctionDef,
        writes: list[HeaderWrite],
        write: HeaderWrite,
        lower: str,
        since: Any = None,
    ) -> bool:
        """An earlier write of ``lower`` on the same object (made after ``since``, its
        creation, when that is known)."""
        position = self.ctx.span(write.statement)[0]
        for other in writes:
            if other is write or other.target != write.target or other.header_lower != lower:
                continue
            if exclusive_branches(func, write.line, other.line):
                continue  # ``if "Vary" in R.headers: … else: …``: never both
            other_position = self.ctx.span(other.statement)[0]
            if other_position < position and (since is None or other_position >= since):
                return True
        return False

    def _origins(
        self, func: cst.FunctionDef, names: _Names, write: HeaderWrite
    ) -> list[cst.BaseExpression]:
        """The expressions the written object comes from: the name's only binding, or
        the assignments that reach the write (``model/reaching.py``); [] when unknown."""
        bound = names.get(write.target, [])
        if len(bound) == 1:
            return [bound[0]] if isinstance(bound[0], cst.BaseExpression) else []
        found = reaching_values(block_places(func), write.target, write.line, write.statement)
        return found or []

    def _fix(self, func: cst.FunctionDef, write: HeaderWrite, lower: str) -> Fix | None:
        if write.op == "property":
            return self._vary_property_fix(func, write)
        if write.op not in ("setitem", "set", "setdefault") or write.name_node is None:
            return None
        if write.value_node is None:
            return None
        call = write.call
        if call is not None and (
            len(call.args) != 2 or any(a.keyword is not None or a.star for a in call.args)
        ):
            return None
        target = write.target
        value = self.model.const_str(write.value_node, func)
        if lower == "vary" and value is not None and _is_single_token(value):
            text = f"{target}.vary.add({self.ctx.code_for(write.value_node)})"
        else:
            text = (
                f"{target}.headers.add({self.ctx.code_for(write.name_node)}, "
                f"{self.ctx.code_for(write.value_node)})"
            )
        return unsafe_fix(
            "Add the header instead of replacing it", replace_node(self.ctx, write.node, text)
        )

    def _vary_property_fix(self, func: cst.FunctionDef, write: HeaderWrite) -> Fix | None:
        """``R.vary = "Accept"`` -> ``R.vary.add("Accept")`` (one constant token only;
        ``= None`` deletes the header, which ``add`` cannot say)."""
        value = write.value_node
        text = self.model.const_str(value, func) if value is not None else None
        if value is None or text is None or not _is_single_token(text):
            return None
        if not isinstance(write.statement, cst.Assign) or len(write.statement.targets) != 1:
            return None
        replacement = f"{write.target}.vary.add({self.ctx.code_for(value)})"
        return unsafe_fix(
            "Add the Vary value instead of replacing them all",
            replace_node(self.ctx, write.statement, replacement),
        )

    def _fresh_untouched(
        self,
        func: cst.FunctionDef,
        origins: list[cst.BaseExpression],
        writes: list[HeaderWrite],
        write: HeaderWrite,
        lower: str,
    ) -> bool:
        """R is created here without headers and nothing could have added ``lower`` before.

        ``origins``: see ``_origins`` (``r = make_response(a)`` on each branch, or a
        rebinding ``r = make_response(b)``).
        """
        if not origins or not all(
            isinstance(origin, cst.Call) and self._fresh_call(origin, func) for origin in origins
        ):
            return False
        position = self.ctx.span(write.statement)[0]
        if self._inside_loop(func, write.statement):
            return False
        # The object is new at ``created``: only what happens to it since then counts.
        created = min(self.ctx.span(origin)[0] for origin in origins)
        for other in writes:
            if other is write or other.target != write.target:
                continue
            other_position = self.ctx.span(other.statement)[0]
            if created <= other_position < position and other.header_lower in (None, lower):
                return False
        # Any other use of R before this write (``helper(r)``) could have set the header.
        # The binding ``r = make_response(...)`` names R before its value.
        allowed = _names_in([w.statement for w in writes])
        allowed |= _attribute_assignment_bases(func, write.target)
        allowed |= _origin_targets(func, write.target, origins)
        for use in name_uses(func.body, write.target):
            use_position = self.ctx.span(use)[0]
            if use in allowed or use_position >= position or use_position < created:
                continue
            return False
        return True

    def _fresh_call(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        if constructor_headers(self.model, call, func) is not None:
            return False
        if is_make_response(self.model, call, func) or is_app_method(
            self.model, call, func, "make_response"
        ):
            args = positional_args(call)
            if len(args) != len(call.args):
                return False
            return not args or not self._may_hold_response(args[0].value, func)
        return True

    def _may_hold_response(self, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        """``make_response(x)`` returns ``x`` itself when it is already a response."""
        if isinstance(expr, cst.Tuple) and expr.elements:
            return self._may_hold_response(expr.elements[0].value, func)
        if isinstance(expr, cst.Name):
            bound = self.model.bindings(expr.value, func)
            if not bound or PARAM in bound or IMPORT in bound:
                return True  # a parameter or a global: could be anything
            return any(
                not isinstance(value, cst.BaseExpression) or self._may_hold_response(value, func)
                for value in bound
            )
        if isinstance(expr, cst.Call):
            if is_text_body(self.model, expr, func):
                return False
            if self.model.qualified_name(expr.func, func) in _FRESH_BODY_CALLS:
                return False
            callee = expr.func
            # "...".format(...), "".join(...)
            return not (
                isinstance(callee, cst.Attribute)
                and isinstance(callee.value, (cst.SimpleString, cst.FormattedString))
            )
        return isinstance(expr, (cst.Attribute, cst.Subscript))

    def _inside_loop(self, func: cst.FunctionDef, stmt: cst.CSTNode) -> bool:
        collector = _LoopCollector()
        walk(func.body, collector)
        start, end = self.ctx.span(stmt)
        for loop in collector.loops:
            loop_start, loop_end = self.ctx.span(loop)
            if loop_start <= start and end <= loop_end:
                return True
        return False

    # -- tuple forms ----------------------------------------------------------------------
    def _check_return(
        self,
        func: cst.FunctionDef,
        names: _Names,
        writes: list[HeaderWrite],
        ret: cst.Return,
    ) -> None:
        parts = self.model.return_parts(ret, func)
        if parts.body is None or parts.headers is None:
            return
        body = parts.body
        is_name = isinstance(body, cst.Name) and body.value in names
        if not is_name and not self.model.is_response_expr(body, func):
            return
        entries = [
            e
            for e in header_entries(self.model, parts.headers, func)
            if e.lower in _MULTI_VALUE_ADVICE
        ]
        seen: dict[str, int] = {}
        for entry in entries:
            assert entry.lower is not None
            seen[entry.lower] = seen.get(entry.lower, 0) + 1
        reported: set[str] = set()
        for entry in entries:
            assert entry.lower is not None and entry.name is not None
            if entry.lower in reported:
                continue
            if seen[entry.lower] > 1 and isinstance(entry.container, (cst.List, cst.Tuple)):
                reported.add(entry.lower)
                self.report(entry.node, self.TEMPLATE_REPEATED.format(name=entry.name))
                continue
            if is_name:
                assert isinstance(body, cst.Name)
                ret_position = self.ctx.span(ret)[0]
                earlier = any(
                    w.target == body.value
                    and w.header_lower == entry.lower
                    and self.ctx.span(w.statement)[0] < ret_position
                    for w in writes
                )
                if earlier:
                    reported.add(entry.lower)
                    self.report(
                        entry.node,
                        self.TEMPLATE_TUPLE.format(name=entry.name, target=body.value),
                        severity=Severity.ERROR,
                    )


def _is_single_token(value: str) -> bool:
    return is_valid_token(value)


class _BlockIndex(cst.CSTVisitor):
    """Statement line -> (its block, its position) for every block of a function."""

    def __init__(self) -> None:
        self.where: dict[cst.CSTNode, tuple[cst.IndentedBlock, int]] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not self.where  # only the outermost function

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        for position, stmt in enumerate(node.body):
            self.where[stmt] = (node, position)


_REPLACING_OPS = frozenset({"setitem", "set"})
# Werkzeug's ``get_wsgi_headers`` re-sets these from their last value before sending,
# so duplicates collapse to one line (checked against Werkzeug 3.1).
_COLLAPSED_ON_SEND = frozenset({"location", "content-location"})
_DUPLICATE_LINES = SINGLETONS - _COLLAPSED_ON_SEND
_APPENDING_OPS = frozenset({"add", "add_header"})
_JUMP_TYPES = (cst.Return, cst.Raise, cst.Continue, cst.Break)


class DuplicateHeaderWrite(Rule):
    """## What it does
    Checks for a header written twice on the same response, comparing names
    case-insensitively:

    - a value that is set and then set again before anything reads it
      (``r.headers["X-Frame-Options"] = ...`` twice, also in other spellings
      such as ``x-frame-options``): the first write is dead;
    - a single-valued header (``Content-Type``, ``Location``,
      ``X-Frame-Options``, ``Strict-Transport-Security``, ...) added twice with
      ``headers.add()``, or twice in one headers literal given to
      ``Response(headers=...)``, ``make_response(body, {...})`` or returned in a
      tuple with a text body: two lines are sent;
    - ``headers.add("Content-Type", ...)`` on a response, which always has a
      ``Content-Type`` already.

    Headers that may repeat (``Set-Cookie``, ``Vary``, ``Link``, ...) are left
    to FLH109. ``Location`` and ``Content-Location`` are only checked for
    overwrites: Werkzeug re-sets them from their last value before sending,
    so an added duplicate never reaches the client.

    ## Why is this bad?
    Header names are case-insensitive. Werkzeug's ``headers[k] = v`` replaces
    every earlier value, so the first write is noise that hides which value
    wins. ``add()`` and the ``Headers`` constructor keep duplicates, so
    ``{"X-Frame-Options": "DENY", "x-frame-options": "SAMEORIGIN"}`` sends two
    conflicting lines. RFC 9110 forbids repeating a field that is not a list,
    browsers resolve the conflict differently (HSTS honours only the first),
    and a doubled ``Content-Type`` or ``Location`` is an error.

    ## Example
    ```python
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["x-frame-options"] = "SAMEORIGIN"
    ```

    ## Use instead
    ```python
    response.headers["x-frame-options"] = "SAMEORIGIN"
    ```

    ## Fix safety
    Deleting the dead first write is safe when its value has no side effects
    (a literal, a name, an attribute): the same header value is sent, only its
    position in the header list may change. Turning a second ``add`` into a
    ``set``, or keeping only the last entry of a literal, is unsafe: one of the
    two lines the client used to receive disappears.

    ## References
    - [RFC 9110 §5.3: Field order](https://www.rfc-editor.org/rfc/rfc9110#section-5.3)
    - [Werkzeug: Headers](https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers)
    """

    code = "FLH104"
    name = "duplicate-header-write"
    severity = Severity.WARNING
    message = (
        "`X-Frame-Options` is written twice on this response (header names are "
        "case-insensitive): the first value is overwritten"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    OVERWRITTEN = (
        "`{name}` is written twice on this response (header names are case-insensitive): "
        "the first value is overwritten"
    )
    TWO_LINES = (
        "`{name}` is written twice on this response (header names are case-insensitive): "
        "two `{name}` lines are sent"
    )
    BY_CONSTRUCTION = (
        "`{name}` is already set when the response is built; `headers.add()` sends a second "
        "`{name}` line (use `headers[...] = ...` or the `mimetype=`/`content_type=` argument)"
    )

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._reported: set[cst.CSTNode] = set()

    def _emit(self, node: cst.CSTNode, template: str, name: str, fix: Fix | None) -> None:
        if node in self._reported:
            return
        self._reported.add(node)
        severity = Severity.ERROR if name.lower() in SEVERE_DUPLICATES else None
        self.report(node, template.format(name=name), fix=fix, severity=severity)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        responses = self.model.responses_in(node)
        writes = [w for w in responses.writes if w.header_lower not in MULTI_VALUE]
        if len(writes) >= 2:
            index = _BlockIndex()
            walk(node, index)
            self._overwrites(node, writes, index.where)
            self._added_twice(node, writes, index.where)
        if writes:
            self._added_after_construction(responses.names, responses.writes)

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or not isinstance(node.value, cst.Tuple) or not self.model.is_view(func):
            return
        parts = self.model.return_parts(node, func)
        if parts.body is not None and is_text_body(self.model, parts.body, func):
            self._literal(parts.headers, func)

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        headers = constructor_headers(self.model, node, scope)
        if headers is None:
            return
        if is_make_response(self.model, node, scope):
            args = positional_args(node)
            if not args or not is_text_body(self.model, args[0].value, scope):
                return
        self._literal(headers, scope)

    # -- (a) set, then set again -----------------------------------------------------------
    def _overwrites(
        self,
        func: cst.FunctionDef,
        writes: list[HeaderWrite],
        where: dict[cst.CSTNode, tuple[cst.IndentedBlock, int]],
    ) -> None:
        events = self._replacing_events(func, writes)
        for position, (first, first_entry) in enumerate(events):
            for second, second_entry in events[position + 1 :]:
                first_name = first_entry.name if first_entry else first.header
                second_name = second_entry.name if second_entry else second.header
                assert first_name is not None and second_name is not None
                if second.target != first.target or second_name.lower() != first_name.lower():
                    continue
                same_call = first is second
                if same_call or self._dead_between(func, first, second, writes, where):
                    node = first_entry.node if first_entry else first.node
                    fix = (
                        self._delete_entry_fix(first, first_entry)
                        if first_entry
                        else self._delete_fix(func, first)
                    )
                    self._emit(node, self.OVERWRITTEN, first_name, fix)
                break

    def _replacing_events(
        self, func: cst.FunctionDef, writes: list[HeaderWrite]
    ) -> list[tuple[HeaderWrite, HeaderEntry | None]]:
        """Writes that replace a named header: ``[]=``/``set`` and each ``update`` entry."""
        events: list[tuple[HeaderWrite, HeaderEntry | None]] = []
        for write in writes:
            if write.op in _REPLACING_OPS and write.header_lower:
                events.append((write, None))
            elif write.op == "update":
                for entry in header_entries(self.model, write.value_node, func):
                    if entry.lower is not None and entry.lower not in MULTI_VALUE:
                        events.append((write, entry))
        return events

    def _delete_entry_fix(self, write: HeaderWrite, entry: HeaderEntry) -> Fix | None:
        """Remove a dead entry of an inline ``update({...})`` literal."""
        if write.value_node is not entry.container or not isinstance(entry.container, cst.Dict):
            return None
        if not side_effect_free(entry.value_node):
            return None
        if len(entry.container.elements) == 1:
            if len(write.line.body) != 1:
                return None
            return safe_fix("Delete the overwritten write", delete_statement(self.ctx, write.line))
        return safe_fix(
            "Delete the overwritten entry",
            _delete_entry(self.ctx, entry),
        )

    def _dead_between(
        self,
        func: cst.FunctionDef,
        first: HeaderWrite,
        second: HeaderWrite,
        writes: list[HeaderWrite],
        where: dict[cst.CSTNode, tuple[cst.IndentedBlock, int]],
    ) -> bool:
        """Nothing between the two writes (in one block) can read or keep the first value."""
        if first.line not in where or second.line not in where:
            return False
        block, start = where[first.line]
        other_block, end = where[second.line]
        if block is not other_block or end <= start:
            return False
        other_writes = {
            w.line: w for w in writes if w.header_lower not in (None, first.header_lower)
        }
        for stmt in block.body[start + 1 : end]:
            if not isinstance(stmt, cst.SimpleStatementLine):
                return False
            if any(isinstance(small, _JUMP_TYPES) for small in stmt.body):
                return False
            if stmt in other_writes:
                continue
            if name_uses(stmt, first.target):
                return False
        if len(first.line.body) != 1 or len(second.line.body) != 1:
            return False
        # ``r.headers["X"] = r.headers["X"] + "..."`` reads the first value.
        return second.value_node is None or not name_uses(second.value_node, first.target)

    def _delete_fix(self, func: cst.FunctionDef, write: HeaderWrite) -> Fix | None:
        call = write.call
        values = [a.value for a in call.args] if call is not None else [write.value_node]
        if any(v is None or not side_effect_free(v) for v in values):
            return None
        if write.name_node is None or not side_effect_free(write.name_node):
            return None
        return safe_fix("Delete the overwritten write", delete_statement(self.ctx, write.line))

    # -- (b) add twice ---------------------------------------------------------------------
    def _added_twice(
        self,
        func: cst.FunctionDef,
        writes: list[HeaderWrite],
        where: dict[cst.CSTNode, tuple[cst.IndentedBlock, int]],
    ) -> None:
        adds = [w for w in writes if w.op in _APPENDING_OPS and w.header_lower in _DUPLICATE_LINES]
        for position, first in enumerate(adds):
            for second in adds[position + 1 :]:
                if second.target != first.target or second.header_lower != first.header_lower:
                    continue
                if first.line not in where or second.line not in where:
                    continue
                if where[first.line][0] is not where[second.line][0]:
                    continue
                assert second.header is not None
                self._emit(second.node, self.TWO_LINES, second.header, self._add_to_set(second))
                break

    def _add_to_set(self, write: HeaderWrite) -> Fix | None:
        call = write.call
        if call is None or not isinstance(call.func, cst.Attribute):
            return None
        return unsafe_fix(
            "Replace the earlier value", replace_node(self.ctx, call.func.attr, "set")
        )

    # -- (c) add of a header the constructor already set -----------------------------------
    def _added_after_construction(self, names: _Names, writes: list[HeaderWrite]) -> None:
        for write in writes:
            if write.op not in _APPENDING_OPS or write.header_lower != "content-type":
                continue
            # Every response gets a Content-Type when it is built (``default_mimetype``).
            if write.node in self._reported or not names.get(write.target):
                continue
            position = self.ctx.span(write.statement)[0]
            removed = any(
                w.target == write.target
                and w.header_lower in (None, "content-type")
                and w.op in ("delitem", "remove", "pop", "clear", "assign")
                and self.ctx.span(w.statement)[0] < position
                for w in writes
            )
            if removed:
                continue
            assert write.header is not None
            self._emit(write.node, self.BY_CONSTRUCTION, write.header, self._add_to_set(write))

    # -- (b) the same name twice in one headers literal ------------------------------------
    def _literal(self, expr: cst.BaseExpression | None, func: cst.FunctionDef | None) -> None:
        seen: dict[str, HeaderEntry] = {}
        for entry in header_entries(self.model, expr, func):
            lower = entry.lower
            if lower is None or lower not in _DUPLICATE_LINES:
                continue
            first = seen.get(lower)
            if first is None:
                seen[lower] = entry
                continue
            if isinstance(entry.container, cst.Dict) and first.name == entry.name:
                continue  # an exact duplicate key: the dict keeps one (pyflakes F601)
            assert entry.name is not None
            fix = unsafe_fix(
                "Keep only the last entry",
                _delete_entry(self.ctx, first),
            )
            self._emit(entry.node, self.TWO_LINES, entry.name, fix)


class HeaderWriteAfterReturn(Rule):
    """## What it does
    Checks for header and cookie changes, ``session[...]`` assignments and
    ``flash(...)`` calls placed after a ``return``, ``raise``, ``continue``,
    ``break`` or a call that never returns (``abort(...)`` of Flask, Werkzeug,
    Flask-RESTful or Flask-RESTX, ``sys.exit()``, ``os._exit()``) in the same
    block (or after an ``if``/``else`` whose arms all end), where they can
    never run.

    Code in a ``finally:`` block is not reported: it runs on the way out of a
    ``return``, before Flask processes the returned response. Nor is code
    after a ``with`` block that may leave by an exception (``raise``,
    ``abort()``): the context manager may swallow it (``contextlib.suppress``,
    an ``__exit__`` returning True) and the code after the block then runs.
    A ``with`` whose every path ends in ``return``/``break``/``continue``
    does end the block (a manager cannot swallow those), and so does one
    under ``open()`` (a file swallows nothing); under ``contextlib.suppress``,
    nothing after the block is reported.

    ## Why is this bad?
    Python leaves the function at ``return``; statements after it are dead.
    The response goes out without the header, the cookie is never set, the
    session is never changed. Nothing fails, so the mistake survives tests
    that do not look at headers.

    ## Example
    ```python
    @app.route("/")
    def index():
        response = make_response(render_template("index.html"))
        return response
        response.headers["X-Frame-Options"] = "DENY"
    ```

    ## Use instead
    ```python
    @app.route("/")
    def index():
        response = make_response(render_template("index.html"))
        response.headers["X-Frame-Options"] = "DENY"
        return response
    ```

    ## Fix safety
    When the ``return`` returns the response being changed and the dead
    writes that follow it only use names bound before it, the fix moves them
    to just before the ``return``. It is unsafe: the response changes (which
    is the point), and the code may have been parked there on purpose.
    Deleting the dead code would keep behaviour but lose the intent, so it is
    not offered.

    ## References
    - [Python: The return statement](https://docs.python.org/3/reference/simple_stmts.html#the-return-statement)
    - [Flask: abort](https://flask.palletsprojects.com/en/stable/api/#flask.abort)
    """

    code = "FLH102"
    name = "header-write-after-return"
    severity = Severity.WARNING
    message = (
        "Header/cookie change after `return` is unreachable — it is never applied to the response"
    )
    TEMPLATE = "{subject} after {kind} is unreachable — it never runs"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        reach = Reachability(self.model, node)
        if not reach.dead_code:
            return
        writes = {w.statement: w for w in self.model.responses_in(node).writes}
        for dead in reach.dead_code:
            fix = self._move_fix(node, dead, writes)
            for small in _dead_smalls(dead):
                if reach.dead_code_of(small) is not dead:
                    continue  # reported with the outer run
                subject = "Header/cookie change" if small in writes else None
                if subject is None and self._session_or_flash(small, node):
                    subject = "`flash()`" if isinstance(small, cst.Expr) else "Session change"
                if subject is not None:
                    self.report(small, self._message(dead, subject), fix=fix)
                    fix = None

    def _message(self, dead: DeadCode, subject: str) -> str:
        terminator = dead.terminator
        kinds: dict[type[cst.CSTNode], str] = {
            cst.Return: "`return`",
            cst.Raise: "`raise`",
            cst.Continue: "`continue`",
            cst.Break: "`break`",
        }
        kind = kinds.get(type(terminator), "a statement whose every branch leaves the block")
        if isinstance(terminator, cst.Expr) and isinstance(terminator.value, cst.Call):
            # A call that never returns: name it as written (``abort()``, ``sys.exit()``).
            kind = f"`{self.ctx.code_for(terminator.value.func)}()`"
        return self.TEMPLATE.format(subject=subject, kind=kind)

    def _session_or_flash(self, small: cst.BaseSmallStatement, func: cst.FunctionDef) -> bool:
        if isinstance(small, (cst.Assign, cst.AugAssign)):
            targets = (
                [t.target for t in small.targets]
                if isinstance(small, cst.Assign)
                else [small.target]
            )
            return any(
                isinstance(t, cst.Subscript)
                and self.model.qualified_name(t.value, func) == "flask.session"
                for t in targets
            )
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return self.model.qualified_name(small.value.func, func) == "flask.flash"
        return False

    def _move_fix(
        self, func: cst.FunctionDef, dead: DeadCode, writes: dict[cst.CSTNode, HeaderWrite]
    ) -> Fix | None:
        ret = dead.terminator
        line = dead.terminator_line
        if not isinstance(ret, cst.Return) or dead.same_line:
            return None
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            return None
        returned = _returned_name(ret)
        if returned is None:
            return None
        moved: list[cst.SimpleStatementLine] = []
        for stmt in dead.statements:
            if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
                break
            write = writes.get(stmt.body[0])
            if write is None or write.target != returned:
                break
            moved.append(stmt)
        if not moved:
            return None
        bound_later = bound_names(*dead.statements)
        if any(name.value in bound_later for name in _names_in(list(moved))):
            return None
        first, last = statement_lines(self.ctx, line)
        moved_last = statement_lines(self.ctx, moved[-1])[1]
        returned_text = "".join(self.ctx.lines[first - 1 : last])
        moved_text = "".join(self.ctx.lines[last:moved_last])
        if not moved_text.endswith(("\n", "\r")):
            return None
        return unsafe_fix(
            "Move the header changes before the `return`",
            Edit(Position(first, 1), Position(moved_last + 1, 1), moved_text + returned_text),
        )


def _returned_name(ret: cst.Return) -> str | None:
    """``r`` for ``return r`` / ``return r, 200`` / ``return r, 200, {...}``."""
    value = ret.value
    if isinstance(value, cst.Tuple) and value.elements:
        value = value.elements[0].value
    return value.value if isinstance(value, cst.Name) else None


def _dead_smalls(dead: DeadCode) -> list[cst.BaseSmallStatement]:
    return list(small_statements_of(dead))
