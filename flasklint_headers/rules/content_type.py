"""Group B: Content-Type correctness (FLH201-FLH204)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Fix, Position, Severity
from flasklint_headers.fixes import insert_after_node, replace_node, safe_fix, unsafe_fix
from flasklint_headers.model import HeaderWrite
from flasklint_headers.model.names import variable_names
from flasklint_headers.model.responses import CallParts, call_parts
from flasklint_headers.rules.base import Rule
from flasklint_headers.syntax import is_status_literal, keyword_arg
from flasklint_headers.walk import walk

JSON_CONTENT_TYPE = '{"Content-Type": "application/json"}'
# Serialisers that return JSON *text* (str or bytes), catalogue FLH201.
JSON_DUMPS = frozenset(
    {
        "json.dumps",
        "flask.json.dumps",
        "simplejson.dumps",
        "ujson.dumps",
        "rapidjson.dumps",
        "orjson.dumps",
        "bson.json_util.dumps",
    }
)
# Pydantic v2's model method.  v1's ``.json()`` is left out: ``requests``' ``.json()`` is a dict.
JSON_METHODS = frozenset({"model_dump_json"})
# ``@X.<attr>(...)`` decorators that register a view or hook with Flask.
REGISTRATION_ATTRS = frozenset(
    {
        "route",
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "endpoint",
        "errorhandler",
        "app_errorhandler",
        "before_request",
        "before_app_request",
        "expose",
    }
)
# Decorators known to return the view's value unchanged (or only add headers).
PASS_THROUGH_DECORATORS = frozenset(
    {
        "flask_appbuilder.expose",
        "flask_admin.expose",
        "flask_login.login_required",
        "flask_login.fresh_login_required",
        "flask_login.utils.login_required",
        "flask_cors.cross_origin",
        "flask_security.auth_required",
        "flask_security.login_required",
        "flask_security.roles_required",
        "flask_security.roles_accepted",
    }
)
TEMPLATE_RENDERERS = frozenset({"flask.render_template", "flask.render_template_string"})
SEND_FILE = frozenset({"flask.send_file", "werkzeug.utils.send_file"})
SEND_FROM_DIRECTORY = frozenset({"flask.send_from_directory", "werkzeug.utils.send_from_directory"})
# Words that mark a directory of user-provided files.
UPLOAD_WORDS = ("upload", "media", "attachment", "user_file", "userfile", "user_content")
SANITISERS = frozenset({"werkzeug.utils.secure_filename", "werkzeug.secure_filename"})
PATH_JOINS = frozenset({"os.path.join", "posixpath.join"})
# Calls whose result is text built from their arguments.
_TEXT_CALLS = (
    SANITISERS
    | PATH_JOINS
    | frozenset(
        {
            "str",
            "os.path.basename",
            "posixpath.basename",
            "pathlib.Path",
            "werkzeug.utils.safe_join",
            "werkzeug.security.safe_join",
            "flask.safe_join",
        }
    )
)
# String methods: the result is the receiver's text, changed.
_TEXT_METHODS = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "removeprefix",
        "removesuffix",
        "get",
        "getlist",
        "split",
        "rsplit",
        "title",
        "casefold",
    }
)
# Route converters whose values cannot carry a file extension.
SAFE_CONVERTERS = frozenset({"int", "float", "uuid"})
# Types besides ``text/*`` whose text a browser decodes with a guessed charset.
CHARSET_TYPES = frozenset({"application/javascript", "application/x-javascript"})
# A charset parameter adds nothing: SSE is always UTF-8, and XML documents carry their
# encoding in a BOM or the XML declaration, defaulting to UTF-8 (RFC 7303, section 3).
CHARSET_EXEMPT = frozenset({"text/event-stream", "text/xml", "application/xml"})


# -- shared helpers ------------------------------------------------------------------------
def header_entries(
    rule: Rule, expr: cst.BaseExpression | None, scope: cst.FunctionDef | None
) -> list[tuple[str | None, cst.BaseExpression, cst.BaseExpression]] | None:
    """``(name, name node, value node)`` of a dict / list-of-pairs headers literal.

    None when ``expr`` is not such a literal (a name, ``Headers(...)``, a call...), so
    callers can tell "no Content-Type here" from "cannot know".
    """
    if not isinstance(expr, (cst.Dict, cst.List, cst.Tuple)):
        return None
    entries = []
    for element in expr.elements:
        if isinstance(expr, cst.Dict):
            if not isinstance(element, cst.DictElement):
                return None  # ``**other``: unknown keys
            key, value = element.key, element.value
        else:
            pair = element.value if isinstance(element, cst.Element) else None
            if not isinstance(pair, (cst.Tuple, cst.List)) or len(pair.elements) != 2:
                return None
            key, value = pair.elements[0].value, pair.elements[1].value
        entries.append((rule.model.const_str(key, scope), key, value))
    return entries


def lacks_content_type(
    rule: Rule, headers: cst.BaseExpression | None, scope: cst.FunctionDef
) -> bool | None:
    """True/False for a headers literal without/with Content-Type; None when unknown."""
    if headers is None:
        return True
    entries = header_entries(rule, headers, scope)
    if entries is None:
        return None
    names = [name.lower() if name is not None else None for name, _, _ in entries]
    if None in names:
        return None
    return "content-type" not in names


def is_str_body(rule: Rule, expr: cst.BaseExpression | None, scope: cst.FunctionDef | None) -> bool:
    """A body that is certainly ``str`` (literal, f-string, rendered template, ``json.dumps``)."""
    if expr is None:
        return False
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        return isinstance(rule.model.const(expr, scope), str)
    if isinstance(expr, cst.FormattedString):
        return "b" not in expr.prefix.lower()
    if isinstance(expr, cst.Call):
        callee = rule.model.qualified_name(expr.func, scope)
        return callee in TEMPLATE_RENDERERS or callee in (JSON_DUMPS - {"orjson.dumps"})
    if isinstance(expr, cst.Name) and scope is not None:
        value = rule.model.single_assigned_value(expr.value, scope)
        return value is not None and value is not expr and is_str_body(rule, value, scope)
    return False


def append_to_call(rule: Rule, call: cst.Call, text: str) -> Edit:
    """Insert ``text`` as a new last argument of ``call``.

    A call laid out one argument per line with a trailing comma gets the new
    argument on its own line, in the same style.
    """
    ctx = rule.ctx
    if not call.args:
        return replace_node(ctx, call, f"{ctx.code_for(call.func)}({text})")
    last = call.args[-1]
    # The Arg's span covers parentheses around its value (the value's own span does not).
    start, end = ctx.span(last)
    comma_end = _comma_end(rule, end)
    call_end = ctx.span(call)[1]
    if comma_end is not None and call_end.row > end.row:
        indent = ctx.line_indent(start.row)
        return Edit(comma_end, comma_end, f"{ctx.newline}{indent}{text},")
    return insert_after_node(ctx, last, f", {text}")


def _comma_end(rule: Rule, end: Position) -> Position | None:
    """Position just after a comma that directly follows ``end`` on the same line."""
    line = rule.ctx.lines[end.row - 1]
    rest = line[end.column - 1 :]
    stripped = rest.lstrip(" \t")
    if not stripped.startswith(","):
        return None
    return Position(end.row, end.column + len(rest) - len(stripped) + 1)


def delete_argument(rule: Rule, call: cst.Call, arg: cst.Arg) -> Edit:
    """Remove ``arg`` and the comma that separates it from its neighbour.

    An argument alone on its line (one argument per line) is removed with its
    line, keeping a comment that follows it on that line.
    """
    ctx = rule.ctx
    args = list(call.args)
    index = args.index(arg)
    start, end = ctx.span(arg)
    if index + 1 < len(args):
        next_start = ctx.span(args[index + 1])[0]
        if next_start.row == end.row:
            return Edit(start, next_start, "")
        comma_end = _comma_end(rule, end) or end
        line = ctx.lines[start.row - 1]
        before = line[: start.column - 1]
        after = line[comma_end.column - 1 :]
        if not before.strip() and start.row == end.row:
            if not after.strip():
                return Edit(Position(start.row, 1), Position(start.row + 1, 1), "")
            # keep the trailing comment, at the argument's indentation
            comment = Position(comma_end.row, comma_end.column + len(after) - len(after.lstrip()))
            return Edit(start, comment, "")
        return Edit(start, comma_end, "")
    previous_end = ctx.span(args[index - 1])[1]
    return Edit(previous_end, end, "")


def side_effect_free(expr: cst.BaseExpression) -> bool:
    """Literals, names and attribute chains: evaluating them changes nothing."""
    if isinstance(expr, (cst.SimpleString, cst.Integer, cst.Float, cst.Name)):
        return True
    if isinstance(expr, cst.ConcatenatedString):
        return side_effect_free(expr.left) and side_effect_free(expr.right)
    if isinstance(expr, cst.Attribute):
        return side_effect_free(expr.value)
    return False


def content_type_needs_charset(value: str) -> bool:
    """``text/*`` and JavaScript types without a ``charset=`` parameter (XML excepted)."""
    media, _, params = value.partition(";")
    media = media.strip().lower()
    if "charset=" in params.lower().replace(" ", ""):
        return False
    if media in CHARSET_EXEMPT or media.endswith("+xml"):
        return False
    return media.startswith("text/") or media in CHARSET_TYPES


# -- FLH201 --------------------------------------------------------------------------------
class JsonServedAsHtml(Rule):
    """## What it does
    Checks views that return JSON text made by `json.dumps()` (or
    `flask.json.dumps`, `simplejson`, `ujson`, `rapidjson`, `orjson`,
    `bson.json_util`, pydantic's `model_dump_json()`) without giving it a
    JSON Content-Type: returned directly, in a response tuple, through
    `make_response(...)` or `Response(...)`.

    ## Why is this bad?
    Flask sends a returned `str` or `bytes` as `text/html; charset=utf-8`.
    A JSON document served as HTML is rendered by a browser that opens it,
    so any user-controlled string inside it (`{"name": "<script>..."}`) can
    run as script. Clients that check the type also reject it.

    Responses whose Content-Type is set elsewhere -- `mimetype=` /
    `content_type=`, a `Content-Type` header in the tuple, a later
    `resp.mimetype = ...` -- are not reported, and neither are Flask-RESTful
    resources (which serialise return values themselves).

    ## Example
    ```python
    @app.route("/user")
    def user():
        return json.dumps({"name": name})
    ```

    ## Use instead
    ```python
    @app.route("/user")
    def user():
        return json.dumps({"name": name}), {"Content-Type": "application/json"}
    ```

    Returning the dict itself (`return {"name": name}`) or `jsonify(...)` also
    works, but changes the body bytes: Flask's JSON provider sorts keys,
    writes compact separators and adds a trailing newline.

    ## Fix safety
    The fix is unsafe: it changes the Content-Type header a client sees
    (from `text/html` to `application/json`). It keeps the body byte for
    byte: it adds `{"Content-Type": "application/json"}` as the tuple's
    headers (or to an existing headers literal), or `mimetype="application/json"`
    to `Response(...)`.

    ## References
    - [Flask: APIs with JSON](https://flask.palletsprojects.com/en/stable/quickstart/#apis-with-json)
    - [OWASP Secure Headers: X-Content-Type-Options](https://owasp.org/www-project-secure-headers/#x-content-type-options)
    """

    code = "FLH201"
    name = "json-served-as-html"
    severity = Severity.WARNING
    message = (
        "JSON string returned without a JSON Content-Type -- Flask sends it as "
        "`text/html; charset=utf-8` (reflected data in it can execute as HTML)"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def _in_json_view(self) -> cst.FunctionDef | None:
        func = self.ctx.enclosing_function()
        if func is None or not self.model.is_view(func):
            return None
        handler = self.model.handler(func)
        if handler is None or handler.restful or self._wrapped(func):
            return None
        return func

    def _wrapped(self, func: cst.FunctionDef) -> bool:
        """A decorator that may rewrite the return value (``@json_response``) stands between
        the view and Flask; only registrations and known pass-through decorators do not."""
        for decorator in func.decorators:
            expr = decorator.decorator
            callee = expr.func if isinstance(expr, cst.Call) else expr
            if isinstance(callee, cst.Attribute) and callee.attr.value in REGISTRATION_ATTRS:
                continue
            if self.model.qualified_name(callee, func) in PASS_THROUGH_DECORATORS:
                continue
            return True
        return False

    def is_json_text(self, expr: cst.BaseExpression | None, func: cst.FunctionDef) -> bool:
        if expr is None:
            return False
        if isinstance(expr, cst.Name):
            value = self.model.single_assigned_value(expr.value, func)
            return value is not None and isinstance(value, cst.Call) and self._dumps(value, func)
        return isinstance(expr, cst.Call) and self._dumps(expr, func)

    def _dumps(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        callee = call.func
        if self.model.qualified_name(callee, func) in JSON_DUMPS:
            return True
        if isinstance(callee, cst.Attribute):
            if callee.attr.value in JSON_METHODS:
                return True
            # ``orjson.dumps(x).decode()``
            inner = callee.value
            return (
                callee.attr.value == "decode"
                and isinstance(inner, cst.Call)
                and self.model.qualified_name(inner.func, func) == "orjson.dumps"
            )
        return False

    # -- return E / return E, S / return E, S, H ----------------------------------------------
    def visit_Return(self, node: cst.Return) -> None:
        func = self._in_json_view()
        if func is None or node.value is None:
            return
        parts = self.model.return_parts(node, func)
        if not self.is_json_text(parts.body, func) or parts.body is None:
            return
        if parts.length == 1:
            fix = unsafe_fix(
                "Add a JSON Content-Type header",
                insert_after_node(self.ctx, node.value, f", {JSON_CONTENT_TYPE}"),
            )
        elif parts.length in (2, 3):
            fix = self._fix_status_headers(parts.status, parts.headers, func, node.value)
            if fix is False:
                return
        else:
            return
        if self._content_type_set_by_hooks():
            return
        self.report(parts.body, fix=fix or None)

    def _fix_status_headers(
        self,
        status: cst.BaseExpression | None,
        headers: cst.BaseExpression | None,
        func: cst.FunctionDef,
        root: cst.CSTNode,
    ) -> Fix | bool | None:
        """The fix for ``(E, S)``/``(E, H)``/``(E, S, H)``; False when E is typed or unknown."""
        if headers is not None:
            missing = lacks_content_type(self, headers, func)
            if not missing:
                return False
            return self._add_to_headers(headers)
        if status is None or not self._is_status(status, func):
            return False
        anchor = self._element_of(status, root)
        return unsafe_fix(
            "Add a JSON Content-Type header",
            insert_after_node(self.ctx, anchor, f", {JSON_CONTENT_TYPE}"),
        )

    @staticmethod
    def _element_of(value: cst.BaseExpression, root: cst.CSTNode) -> cst.CSTNode:
        """The tuple Element / call Arg of ``root`` holding ``value`` (spans include parens)."""
        elements = root.elements if isinstance(root, cst.Tuple) else getattr(root, "args", ())
        for child in elements:
            if child.value is value:
                return child
        return value

    def _is_status(self, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        if is_status_literal(expr):
            return True
        value = self.model.const(expr, func)
        return isinstance(value, int) and not isinstance(value, bool)

    def _add_to_headers(self, headers: cst.BaseExpression) -> Fix | None:
        """Add the JSON type to a dict / list-of-pairs headers literal."""
        if isinstance(headers, cst.Dict):
            entry, empty = '"Content-Type": "application/json"', "{%s}"
        elif isinstance(headers, cst.List):
            entry, empty = '("Content-Type", "application/json")', "[%s]"
        else:
            return None
        # Element spans include parentheses around their values.
        if headers.elements:
            edit = insert_after_node(self.ctx, headers.elements[-1], f", {entry}")
        else:
            edit = replace_node(self.ctx, headers, empty % entry)
        return unsafe_fix("Add a JSON Content-Type header", edit)

    # -- make_response(E) / Response(E) ---------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = self._in_json_view()
        if func is None:
            return
        parts = call_parts(self.model, node, func)
        if parts is None or not self.is_json_text(parts.body, func):
            return
        if parts.body is None or any(a.star for a in node.args):
            return
        if self._typed_after_construction(node, func):
            return
        if parts.kind == "response_class":
            fix = self._response_class_fix(node, parts, func)
        else:
            fix = self._make_response_fix(node, parts, func)
        if fix is False or self._content_type_set_by_hooks():
            return
        self.report(parts.body, fix=fix or None)

    def _response_class_fix(
        self, call: cst.Call, parts: CallParts, func: cst.FunctionDef
    ) -> Fix | bool | None:
        if parts.mimetype is not None or parts.content_type is not None:
            return False
        if not lacks_content_type(self, parts.headers, func):
            return False
        return unsafe_fix(
            'Pass mimetype="application/json"',
            append_to_call(self, call, 'mimetype="application/json"'),
        )

    def _make_response_fix(
        self, call: cst.Call, parts: CallParts, func: cst.FunctionDef
    ) -> Fix | bool | None:
        args = call.args
        if len(args) == 1 and isinstance(args[0].value, cst.Tuple):
            return False  # make_response((body, ...)): rare, left alone
        if parts.headers is None and parts.status is None:
            return unsafe_fix(
                "Add a JSON Content-Type header",
                append_to_call(self, call, JSON_CONTENT_TYPE),
            )
        return self._fix_status_headers(parts.status, parts.headers, func, call)

    def _typed_after_construction(self, call: cst.Call, func: cst.FunctionDef) -> bool:
        """The constructed response gets its type later (``r.mimetype = ...``, tuple headers)."""
        parent = self.ctx.parent()
        if isinstance(parent, (cst.Element, cst.Arg)):
            return True  # inside a tuple or passed on: the headers may be set there
        if not isinstance(parent, cst.Assign):
            return False
        targets = [t.target for t in parent.targets]
        if len(targets) != 1 or not isinstance(targets[0], cst.Name):
            return True
        name = targets[0].value
        responses = self.model.responses_in(func)
        for write in responses.writes_on_object(name):
            if write.header_lower in (None, "content-type"):
                return True
        return self._returned_with_headers(name, func)

    def _returned_with_headers(self, name: str, func: cst.FunctionDef) -> bool:
        finder = _Returns()
        walk(func.body, finder)
        for ret in finder.returns:
            parts = self.model.return_parts(ret, func)
            if (
                isinstance(parts.body, cst.Name)
                and parts.body.value == name
                and parts.headers is not None
            ):
                return True
        return False

    def _content_type_set_by_hooks(self) -> bool:
        """The project types responses itself: an after_request hook writes Content-Type,
        or a response class changes ``default_mimetype`` (API-only apps)."""
        linked = self.model.project.linked_modules(self.model)
        return self.model.project.remember(
            ("flh201-typed-elsewhere", id(linked[0])), lambda: _types_responses(linked)
        )


def _types_responses(modules: list[Any]) -> bool:
    for model in modules:
        for scope in model.index.scopes:
            if scope.is_class and "default_mimetype" in scope.bindings:
                return True
        for func, handler in model.handlers().items():
            if handler.kind != "after_request":
                continue
            writes = model.responses_in(func).writes
            if any(w.header_lower == "content-type" for w in writes):
                return True
    return False


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.returns: list[cst.Return] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.returns.append(node)


# -- FLH202 --------------------------------------------------------------------------------
class TextTypeWithoutCharset(Rule):
    """## What it does
    Checks for text Content-Types given without a `charset` parameter:
    `Response(..., content_type="text/html")`, `resp.content_type = "text/plain"`,
    or a `Content-Type` header literal such as `"text/html"`. Text types are
    `text/*` and `application/javascript`. `text/event-stream` is always
    UTF-8, and XML types (`text/xml`, `application/xml`, `*+xml`) declare
    their encoding inside the document (BOM or `<?xml encoding=...?>`,
    UTF-8 by default, RFC 7303), so they are not reported.

    ## Why is this bad?
    Werkzeug adds `; charset=utf-8` only when the type is passed as
    `mimetype=`; `content_type=` and header values are sent verbatim. Without
    a charset the browser guesses the encoding of the page, which garbles
    non-ASCII text and, for HTML, has been a cross-site scripting vector
    (content sniffed as UTF-7 and similar). Reported as info, or as a
    warning for `text/html`.

    ## Example
    ```python
    return Response(page, content_type="text/html")
    ```

    ## Use instead
    ```python
    return Response(page, mimetype="text/html")  # sends text/html; charset=utf-8
    ```

    ## Fix safety
    The fix is unsafe because the Content-Type header text changes. When the
    body is a `str`, Werkzeug encodes it as UTF-8, so `mimetype=` (or the
    added `; charset=utf-8`) states exactly what is sent. For a `bytes` body
    in another encoding, check the charset after applying the fix.

    ## References
    - [Werkzeug: Response `mimetype` and `content_type`](https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response)
    - [MDN: Content-Type](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Type)
    """

    code = "FLH202"
    name = "text-type-without-charset"
    severity = Severity.INFO
    message = (
        "`content_type='text/html'` sends no charset (Werkzeug only adds one for `mimetype=`); "
        "browsers will sniff the encoding"
    )
    template = (
        "`{value}` sends no charset (Werkzeug only adds one for `mimetype=`); browsers will "
        "sniff the encoding"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def _check(self, value_node: cst.BaseExpression, scope: cst.FunctionDef | None) -> str | None:
        value = self.model.const_str(value_node, scope)
        if value is None or not content_type_needs_charset(value):
            return None
        return value

    def _report(self, node: cst.CSTNode, value: str, fix: Fix | None) -> None:
        media = value.partition(";")[0].strip().lower()
        severity = Severity.WARNING if media == "text/html" else Severity.INFO
        self.report(node, self.template.format(value=value), fix=fix, severity=severity)

    def _literal_fix(self, value_node: cst.BaseExpression) -> Fix | None:
        """``"text/html"`` -> ``"text/html; charset=utf-8"`` for a plain string literal."""
        if not isinstance(value_node, cst.SimpleString):
            return None
        quote = value_node.quote
        text = value_node.value
        inner = text[len(value_node.prefix) + len(quote) : -len(quote)]
        if "\\" in inner:
            return None
        new = f"{value_node.prefix}{quote}{inner}; charset=utf-8{quote}"
        return unsafe_fix("Add `; charset=utf-8`", replace_node(self.ctx, value_node, new))

    # Response(..., content_type=...) and headers given to constructors.
    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        parts = call_parts(self.model, node, scope)
        if parts is None:
            return
        if parts.content_type is not None:
            value = self._check(parts.content_type, scope)
            if value is not None:
                self._report(parts.content_type, value, self._kwarg_fix(node, parts, scope))
        self._check_headers(parts.headers, scope)

    def _kwarg_fix(
        self, call: cst.Call, parts: CallParts, scope: cst.FunctionDef | None
    ) -> Fix | None:
        arg = keyword_arg(call, "content_type")
        assert parts.content_type is not None
        if arg is None or arg.keyword is None:
            return self._literal_fix(parts.content_type)
        value = self.model.const_str(parts.content_type, scope) or ""
        simple = ";" not in value
        if simple and parts.mimetype is None and is_str_body(self, parts.body, scope):
            return unsafe_fix(
                "Pass the type as `mimetype=` so Werkzeug adds the charset",
                replace_node(self.ctx, arg.keyword, "mimetype"),
            )
        return self._literal_fix(parts.content_type)

    def _check_headers(
        self, headers: cst.BaseExpression | None, scope: cst.FunctionDef | None
    ) -> None:
        for name, _, value_node in header_entries(self, headers, scope) or []:
            if name is None or name.lower() != "content-type":
                continue
            value = self._check(value_node, scope)
            if value is not None:
                self._report(value_node, value, self._literal_fix(value_node))

    # return body, {"Content-Type": "text/html"}
    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or node.value is None or not self.model.is_view(func):
            return
        parts = self.model.return_parts(node, func)
        self._check_headers(parts.headers, func)

    # resp.headers["Content-Type"] = "text/html", resp.content_type = "text/plain"
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for write in self.model.responses_in(node).writes:
            if write.header_lower != "content-type" or not self._sets_verbatim(write):
                continue
            value_node = write.value_node
            if value_node is None:
                continue
            value = self._check(value_node, node)
            if value is not None:
                self._report(value_node, value, self._literal_fix(value_node))

    @staticmethod
    def _sets_verbatim(write: HeaderWrite) -> bool:
        if write.op in ("setitem", "set", "add", "add_header", "setdefault"):
            return True
        statement = write.statement
        # ``R.mimetype = ...`` gets a charset from Werkzeug; ``R.content_type = ...`` does not.
        return (
            write.op == "property"
            and isinstance(statement, cst.Assign)
            and isinstance(statement.targets[0].target, cst.Attribute)
            and statement.targets[0].target.attr.value == "content_type"
        )


# -- FLH203 --------------------------------------------------------------------------------
class MimetypeIgnored(Rule):
    """## What it does
    Checks for `Response(...)` / `app.response_class(...)` calls that pass
    both `mimetype=` and `content_type=`.

    ## Why is this bad?
    Werkzeug uses `content_type` when it is given and ignores `mimetype`
    entirely. The `mimetype=` argument is dead code that suggests a type
    (and a charset) the response does not have.

    A `content_type=` that may be `None` (a parameter, a variable) is not
    reported: then `mimetype=` is the fallback and does matter.

    ## Example
    ```python
    return Response(data, mimetype="text/plain", content_type="text/csv; charset=utf-8")
    ```

    ## Use instead
    ```python
    return Response(data, content_type="text/csv; charset=utf-8")
    ```

    ## Fix safety
    The fix is safe: it removes the `mimetype=` argument, which has no
    effect on the response. When the removed value is not a literal, name or
    attribute (so evaluating it might have side effects), the fix is unsafe.

    ## References
    - [Werkzeug: Response](https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response)
    """

    code = "FLH203"
    name = "mimetype-ignored"
    severity = Severity.WARNING
    message = "`mimetype=` is ignored because `content_type=` is also given"
    fix_availability = "always"
    fix_applicability = Applicability.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        mimetype = keyword_arg(node, "mimetype")
        content_type = keyword_arg(node, "content_type")
        if mimetype is None or content_type is None:
            return
        parts = call_parts(self.model, node, scope)
        if parts is None or parts.kind != "response_class":
            return
        if self.model.const_str(content_type.value, scope) is None:
            return  # may be None at runtime: then mimetype is used
        edit = delete_argument(self, node, mimetype)
        if side_effect_free(mimetype.value):
            fix = safe_fix("Remove the ignored `mimetype=` argument", edit)
        else:
            fix = unsafe_fix("Remove the ignored `mimetype=` argument", edit)
        self.report(mimetype, fix=fix)


# -- FLH204 --------------------------------------------------------------------------------
class SendFileUntrustedType(Rule):
    """## What it does
    Checks `send_file(...)` / `send_from_directory(...)` calls whose file
    name -- the `download_name`, or else the path -- comes from the request
    (a route variable or `request.*`, through string and path operations),
    when neither `mimetype=` nor `as_attachment=True` is given. A value
    looked up with the request's data (a database row, `MAPS.get(id)`) is the
    server's own and is not reported.

    ## Why is this bad?
    Without `mimetype=`, the Content-Type is guessed from the file name's
    extension. If users choose that name (uploads, a `?name=` parameter), a
    file called `x.html` or `x.svg` is served as `text/html` /
    `image/svg+xml` and rendered inline by the browser -- stored cross-site
    scripting on your origin. `as_attachment=True` makes the browser
    download the file instead.

    The finding is an error when the raw request value names the file, and
    a warning when it went through `secure_filename()` first (which removes
    path tricks but keeps the `.html` extension).

    Names with a constant extension (`f"{id}.pdf"`), constant paths, the
    app's static folder, and paths outside a directory that holds uploads
    (its expression, or the assignment its names come from, mentions
    `upload`, `media`, `attachment`...) are not
    reported: a documentation or single-page-app folder is meant to serve
    its own HTML.

    ## Example
    ```python
    @app.route("/uploads/<name>")
    def upload(name):
        return send_from_directory(UPLOADS, name)
    ```

    ## Use instead
    ```python
    @app.route("/uploads/<name>")
    def upload(name):
        return send_from_directory(UPLOADS, name, as_attachment=True)
    ```

    ## Fix safety
    The fix is unsafe: it adds `as_attachment=True`, which changes
    `Content-Disposition` from `inline` to `attachment`, so browsers download
    files (images, PDFs) they used to display. Passing an explicit
    `mimetype=` is the alternative when inline display is wanted.

    ## References
    - [Flask: `send_file`](https://flask.palletsprojects.com/en/stable/api/#flask.send_file)
    - [OWASP Secure Headers: best practices for hosting uploaded files](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH204"
    name = "send-file-untrusted-type"
    severity = Severity.WARNING
    message = (
        "Content-Type will be guessed from a filename that may be user-controlled; pass "
        "`mimetype=` or `as_attachment=True` (uploaded HTML/SVG would otherwise render inline)"
    )
    fix_availability = "always"
    fix_applicability = Applicability.UNSAFE

    def visit_Call(self, node: cst.Call) -> None:
        func = self.ctx.enclosing_function()
        if func is None:
            return
        callee = self.model.qualified_name(node.func, func)
        if callee not in SEND_FILE and callee not in SEND_FROM_DIRECTORY:
            return
        if any(a.star for a in node.args) or keyword_arg(node, "mimetype") is not None:
            return
        werkzeug = callee.startswith("werkzeug.")
        positional = [a.value for a in node.args if a.keyword is None]
        download = keyword_arg(node, "download_name")
        if callee in SEND_FILE:
            # flask: (path_or_file, mimetype, as_attachment, download_name); werkzeug adds environ
            offset = 1 if werkzeug else 0
            if len(positional) > 1 + offset or not positional:
                return  # positional mimetype
            path, directory = positional[0], positional[0]
        else:
            if len(positional) < 2 or self._is_static_folder(positional[0], func):
                return
            path, directory = positional[1], positional[0]
        # A name chosen by the request decides the type wherever the file lives; a path
        # only matters in a directory that holds uploads (a docs or SPA folder serving
        # its own HTML inline is intended).
        if download is not None:
            name = download.value
        elif self._holds_uploads(directory, func):
            name = path
        else:
            return
        attachment = keyword_arg(node, "as_attachment")
        if attachment is not None and self.model.const(attachment.value, func) is True:
            return
        if attachment is not None and self.model.const(attachment.value, func) is not False:
            return  # decided at runtime
        if name is None or self._type_is_fixed(name, func):
            return
        if not self._from_request(name, func, depth=0):
            return
        if attachment is not None:
            edit = replace_node(self.ctx, attachment.value, "True")
        else:
            edit = append_to_call(self, node, "as_attachment=True")
        # A raw request value is worse than a ``secure_filename``-ed one (catalogue FLH204).
        severity = Severity.WARNING if self._sanitised(name, func) else Severity.ERROR
        self.report(node, fix=unsafe_fix("Send the file as an attachment", edit), severity=severity)

    def _sanitised(self, expr: cst.BaseExpression, func: cst.FunctionDef, depth: int = 0) -> bool:
        """``secure_filename(...)`` is applied somewhere in the value or its assignments."""
        if depth > 4:
            return False
        finder = _CallFinder()
        walk(expr, finder)
        for call in finder.calls:
            if self.model.qualified_name(call.func, func) in SANITISERS:
                return True
        for name in variable_names(expr):
            value = self.model.single_assigned_value(name.value, func)
            if value is not None and value is not expr and self._sanitised(value, func, depth + 1):
                return True
        return False

    def _holds_uploads(self, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        """The directory expression (or the assignments it comes from) names uploads."""
        texts = [self.ctx.code_for(expr)]
        for name in variable_names(expr):
            value = self.model.single_assigned_value(name.value, func)
            if value is not None:
                texts.append(self.ctx.code_for(value))
                texts.extend(str(self.model.const(inner, func)) for inner in variable_names(value))
            texts.append(str(self.model.const(name, func)))
        text = " ".join(texts).lower()
        return any(word in text for word in UPLOAD_WORDS)

    def _is_static_folder(self, directory: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        if isinstance(directory, cst.Attribute) and directory.attr.value == "static_folder":
            return True
        return self.model.const_str(directory, func) in ("static", "./static")

    def _type_is_fixed(self, name: cst.BaseExpression, func: cst.FunctionDef) -> bool:
        """A constant name, or one whose last segment has a constant extension."""
        if isinstance(name, cst.Call) and self.model.qualified_name(name.func, func) in PATH_JOINS:
            positional = [a.value for a in name.args if a.keyword is None and not a.star]
            return bool(positional) and self._type_is_fixed(positional[-1], func)
        parts = self.model.string_parts(name, func)
        if not parts:
            return self.model.const_str(name, func) is not None
        last = parts[-1]
        if last is None:
            return False
        tail = last.rsplit("/", 1)[-1]
        return all(p is not None for p in parts) or "." in tail

    def _from_request(self, expr: cst.BaseExpression, func: cst.FunctionDef, depth: int) -> bool:
        """``expr``'s text comes from a route variable or ``flask.request`` (a few
        assignments deep), through string and path operations only.

        A value *looked up* with request data (``Media.query.filter_by(name=x).first()``,
        ``MAPS.get(map_id)``, ``MAPS[map_id]``) is the server's own data, not the request's.
        """
        if depth > 4:
            return False
        if isinstance(expr, cst.Name):
            return self._name_from_request(expr, func, depth)
        if isinstance(expr, (cst.Attribute, cst.Subscript)):
            return self._from_request(expr.value, func, depth)  # ``request.args[...]``
        if isinstance(expr, cst.Call):
            return self._call_from_request(expr, func, depth)
        if isinstance(expr, cst.FormattedString):
            return any(
                self._from_request(part.expression, func, depth)
                for part in expr.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(expr, (cst.BinaryOperation, cst.BooleanOperation)):
            return self._from_request(expr.left, func, depth) or self._from_request(
                expr.right, func, depth
            )
        if isinstance(expr, cst.IfExp):
            return self._from_request(expr.body, func, depth) or self._from_request(
                expr.orelse, func, depth
            )
        return False

    def _name_from_request(self, name: cst.Name, func: cst.FunctionDef, depth: int) -> bool:
        route_params = {
            param
            for param, converter in self.model.route_params(func).items()
            if converter not in SAFE_CONVERTERS
        }
        if name.value in route_params:
            return True
        if (self.model.qualified_name(name, func) or "").startswith("flask.request"):
            return True
        value = self.model.single_assigned_value(name.value, func)
        local = value is not None and self.model.scope_node_of_binding(name.value, func) is func
        return local and self._from_request(value, func, depth + 1)  # type: ignore[arg-type]

    def _call_from_request(self, call: cst.Call, func: cst.FunctionDef, depth: int) -> bool:
        callee = self.model.qualified_name(call.func, func)
        method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
        # ``os.path.join(UPLOADS, name)``, ``secure_filename(name)``, ``"{}".format(name)``
        builds_text = callee in _TEXT_CALLS or method in ("format", "join")
        if builds_text and any(self._from_request(a.value, func, depth) for a in call.args):
            return True
        if (method is not None and callee is None) or method in _TEXT_METHODS:
            # A method of request text (``name.lower()``, ``request.args.get("n")``).
            return self._from_request(call.func.value, func, depth)  # type: ignore[attr-defined]
        return False


class _CallFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
