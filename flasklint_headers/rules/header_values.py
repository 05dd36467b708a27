"""Group A: header values that cannot be sent as written (FLH111, FLH115, FLH116)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst

from flasklint_headers.findings import Applicability, Fix, Severity
from flasklint_headers.fixes import delete_statement, replace_node, unsafe_fix
from flasklint_headers.model import HeaderWrite
from flasklint_headers.model.responses import call_parts, mapping_writes, returned_headers_objects
from flasklint_headers.rules.base import Rule
from flasklint_headers.rules.content_type import header_entries, is_str_body

# Writes that store the given value as the header's text.
VALUE_OPS = frozenset({"setitem", "set", "add", "add_header", "setdefault"})
# RFC 9110 field-name token.
TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# Werkzeug turns IRIs in these into URIs before sending (``get_wsgi_headers``).
IRI_HEADERS = frozenset({"location", "content-location"})
REQUEST_MAPPINGS = frozenset(
    {
        "flask.request.headers",
        "flask.request.args",
        "flask.request.form",
        "flask.request.values",
        "flask.request.cookies",
        "flask.request.environ",
    }
)
STREAMING_CALLS = frozenset(
    {"flask.stream_with_context", "flask.stream_template", "flask.stream_template_string"}
)
FILE_SIZE_CALLS = frozenset({"os.path.getsize"})
LATIN1_ENCODINGS = frozenset({"latin-1", "latin1", "iso-8859-1", "ascii", "us-ascii"})


@dataclass(frozen=True)
class HeaderValue:
    """One ``name: value`` a function gives a response.

    ``in_mapping``: the value sits in a headers mapping/list given to a response
    constructor, ``extend``/``update`` or a returned tuple (a list value there
    means several header lines, which is legitimate).
    ``write``: the header write statement (None for mapping entries).
    """

    name: str | None
    name_node: cst.BaseExpression | None
    value_node: cst.BaseExpression
    in_mapping: bool
    scope: cst.FunctionDef | None
    write: HeaderWrite | None = None
    # A keyword option of ``headers.set/add(name, value, filename=...)``: Werkzeug
    # appends it to the value as ``; filename="..."`` without encoding it.
    option: bool = False
    # The body the headers go with, for mapping entries (None when unknown).
    body: cst.BaseExpression | None = None

    @property
    def lower(self) -> str | None:
        return self.name.lower() if self.name is not None else None


class _HeaderValueRule(Rule):
    """Finds every header value of a file and hands each to ``check`` (one rule per subclass)."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for value in self._write_values(node):
            self.check(value)

    def visit_Call(self, node: cst.Call) -> None:
        scope = self.ctx.enclosing_function()
        parts = call_parts(self.model, node, scope)
        if parts is not None:
            for value in self._mapping_values(parts.headers, scope, parts.body):
                self.check(value)

    def visit_Return(self, node: cst.Return) -> None:
        func = self.ctx.enclosing_function()
        if func is None or node.value is None or not self.model.is_view(func):
            return
        parts = self.model.return_parts(node, func)
        for value in self._mapping_values(parts.headers, func, parts.body):
            self.check(value)

    def check(self, value: HeaderValue) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError(type(self).__name__)

    def _write_values(self, func: cst.FunctionDef) -> Iterator[HeaderValue]:
        writes = list(self.model.responses_in(func).writes)
        for name in returned_headers_objects(self.model, func):  # a helper's ``Headers()``
            writes += mapping_writes(self.model, func, name)
        for write in writes:
            if write.op in VALUE_OPS and write.value_node is not None:
                yield HeaderValue(
                    write.header, write.name_node, write.value_node, False, func, write
                )
                for arg in write.call.args if write.call is not None else ():
                    if arg.keyword is not None and not arg.star:
                        yield HeaderValue(write.header, None, arg.value, False, func, write, True)
            elif write.op == "property" and write.value_node is not None:
                yield HeaderValue(write.header, None, write.value_node, False, func, write)
            elif write.op in ("update", "extend") or write.op == "ior":
                yield from self._mapping_values(write.value_node, func)

    def _mapping_values(
        self,
        headers: cst.BaseExpression | None,
        scope: cst.FunctionDef | None,
        body: cst.BaseExpression | None = None,
    ) -> Iterator[HeaderValue]:
        for name, name_node, value_node in header_entries(self, headers, scope) or []:
            yield HeaderValue(name, name_node, value_node, True, scope, body=body)


def _string_literal_value(node: cst.BaseExpression) -> str | bytes | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = ast.literal_eval(node.value)
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, (str, bytes)) else None
    return None


# -- FLH115 ----------------------------------------------------------------------------------
class HeaderValueType(_HeaderValueRule):
    """## What it does
    Checks header values that are not strings: `bytes` (a `b"..."` literal,
    an `.encode()` call, or a name bound once to either), `None`,
    `True`/`False`, or a list/tuple/set/dict given to
    `headers[...] =`, `headers.set()` or `headers.add()`. Also reports, as
    information, values read with `.get(...)` from `request.headers`,
    `request.args`, `request.environ` and similar mappings, which are `None`
    when the key is missing. Values written into a `Headers()` object that a
    helper returns (for a response to `extend` or return) are checked too.

    ## Why is this bad?
    Werkzeug stores every header value as `str(value)`. `b"nosniff"` is sent
    as the text `b'nosniff'`, `None` as `None`, `True` as `True` and
    `["a", "b"]` as `['a', 'b']` -- none of them is what the code meant, and
    the header silently stops working (for example
    `Access-Control-Allow-Origin: None` when the request had no `Origin`, or
    `Access-Control-Allow-Credentials: True`, which browsers reject: only the
    exact text `true` counts). Werkzeug 2.3 deprecated passing bytes
    and 3.0 stopped decoding them.

    Lists inside a mapping given to `Response(headers=...)`, `extend()` or
    `update()` are fine: they become several header lines.

    ## Example
    ```python
    response.headers["X-Content-Type-Options"] = b"nosniff"
    ```

    ## Use instead
    ```python
    response.headers["X-Content-Type-Options"] = "nosniff"
    ```

    ## Fix safety
    The fix is unsafe because the header text changes (to what was
    intended): an ASCII `b"..."` literal becomes the same `"..."` literal,
    and a trailing `.encode()` / `.encode("latin-1")` is dropped; `True` /
    `False` become `"true"` / `"false"`. Other values have no automatic fix.

    ## References
    - [Werkzeug: Headers](https://werkzeug.palletsprojects.com/en/stable/datastructures/#werkzeug.datastructures.Headers)
    """

    code = "FLH115"
    name = "header-value-type"
    severity = Severity.WARNING
    message = (
        "Header value is `bytes`/`None`/a `bool`/a container; Werkzeug calls `str()` on it and "
        "sends `b'...'` / `None` / `True` / `['a', 'b']`"
    )
    template = "Header value is {kind}; Werkzeug calls `str()` on it and sends {sent}"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self, value: HeaderValue) -> None:
        if value.option:
            return
        if value.write is not None and value.write.op == "property":
            return  # header properties (``R.location = None``) remove the header instead
        node = value.value_node
        scope = value.scope
        literal = _string_literal_value(node)
        if isinstance(literal, bytes) or (
            isinstance(node, cst.ConcatenatedString)
            and isinstance(self.model.const(node, scope), bytes)
        ):
            self._report(node, "`bytes`", "`b'...'`", self._bytes_literal_fix(node))
            return
        if isinstance(node, cst.Call) and self._is_encode(node):
            self._report(node, "`bytes` (`.encode()`)", "`b'...'`", self._encode_fix(node))
            return
        if isinstance(node, cst.Name) and self._bound_to_bytes(node, scope):
            self._report(node, f"`bytes` (`{node.value}` holds bytes)", "`b'...'`", None)
            return
        if isinstance(node, cst.Name) and node.value == "None":
            self._report(node, "`None`", "the text `None`", None)
            return
        if isinstance(node, cst.Name) and node.value in ("True", "False"):
            text = node.value.lower()
            fix = unsafe_fix(f'Send `"{text}"`', replace_node(self.ctx, node, f'"{text}"'))
            self._report(node, "a `bool`", f"`{node.value}` (capitalised)", fix)
            return
        if not value.in_mapping and isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
            if value.write is not None and value.write.op == "setlist":
                return
            self._report(node, "a container", "its `repr()` such as `['a', 'b']`", None)
            return
        if isinstance(node, cst.Call) and self._maybe_none_get(node, scope):
            self.report(
                node,
                "Header value may be `None` (`.get()` without a default); Werkzeug would send "
                "the text `None` (e.g. `Access-Control-Allow-Origin: None` when no Origin was "
                "sent) -- give a default or skip the header",
                severity=Severity.INFO,
            )

    def _report(self, node: cst.CSTNode, kind: str, sent: str, fix: Fix | None) -> None:
        self.report(node, self.template.format(kind=kind, sent=sent), fix=fix)

    def _bound_to_bytes(self, name: cst.Name, scope: cst.FunctionDef | None) -> bool:
        """``value = url.encode()`` / ``value = b"..."``: the name's only binding is bytes."""
        value = self.model.single_assigned_value(name.value, scope)
        if value is None:
            return False
        if isinstance(value, cst.Call):
            # ``str.encode()`` / ``.encode("utf-8")``; not ``jwt.encode(payload, key)``.
            return (
                self._is_encode(value)
                and len(value.args) <= 1
                and all(
                    a.keyword is None and isinstance(self.model.const(a.value, scope), str)
                    for a in value.args
                )
            )
        return isinstance(self.model.const(value, scope), bytes)

    @staticmethod
    def _is_encode(call: cst.Call) -> bool:
        return isinstance(call.func, cst.Attribute) and call.func.attr.value == "encode"

    def _bytes_literal_fix(self, node: cst.BaseExpression) -> Fix | None:
        if not isinstance(node, cst.SimpleString):
            return None
        value = _string_literal_value(node)
        prefix = node.prefix
        new_prefix = prefix.replace("b", "").replace("B", "")
        new = new_prefix + node.value[len(prefix) :]
        try:
            text = ast.literal_eval(new)
        except (ValueError, SyntaxError):
            return None
        if not isinstance(value, bytes) or not value.isascii() or text != value.decode("ascii"):
            return None
        return unsafe_fix("Use a `str` literal", replace_node(self.ctx, node, new))

    def _encode_fix(self, call: cst.Call) -> Fix | None:
        assert isinstance(call.func, cst.Attribute)
        if len(call.args) > 1:
            return None
        if call.args:
            arg = call.args[0]
            encoding = self.model.const_str(arg.value, self.ctx.enclosing_function())
            if arg.keyword not in (None,) and arg.keyword.value != "encoding":
                return None
            if encoding is None or encoding.lower() not in LATIN1_ENCODINGS:
                return None
        receiver = call.func.value
        return unsafe_fix(
            "Drop `.encode()`",
            replace_node(self.ctx, call, self.ctx.code_for(receiver)),
        )

    def _maybe_none_get(self, call: cst.Call, scope: cst.FunctionDef | None) -> bool:
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "get"):
            return False
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if len(call.args) != 1 or len(positional) != 1:
            if len(positional) != 2 or len(call.args) != 2:
                return False
            default = positional[1].value
            if not (isinstance(default, cst.Name) and default.value == "None"):
                return False
        owner = func.value
        if self.model.qualified_name(owner, scope) in REQUEST_MAPPINGS:
            return True
        if isinstance(owner, cst.Name) and scope is not None:
            bound = self.model.single_assigned_value(owner.value, scope)
            return isinstance(bound, cst.Dict)
        return False


# -- FLH116 ----------------------------------------------------------------------------------
class HeaderNotTransmittable(_HeaderValueRule):
    """## What it does
    Checks literal header names and values (including the constant parts of
    f-strings) that cannot be sent on the wire: values with characters
    outside Latin-1 or control characters, values with a line break, and
    names that are not HTTP tokens (spaces, `:`, non-ASCII letters).

    ## Why is this bad?
    HTTP/1.1 header values are bytes; WSGI servers encode them as Latin-1.
    Flask's test client accepts any text, so tests pass, but the Werkzeug
    development server fails with `UnicodeEncodeError` (the client gets an
    empty reply) and gunicorn answers 500 for a value like `"Zoë ☃"`. A
    line break in a value makes Werkzeug raise `ValueError` on every
    request. A name that is not a token is rejected by gunicorn and sent
    verbatim by the development server.

    `Location` and `Content-Location` are exempt: Werkzeug converts IRIs in
    them to URIs before sending.

    ## Example
    ```python
    response.headers["X-Author"] = "Zoë ☃"
    ```

    ## Use instead
    ```python
    from urllib.parse import quote

    response.headers["X-Author"] = quote("Zoë ☃")
    ```

    ## Fix safety
    There is no automatic fix: the right encoding (percent-encoding,
    RFC 8187 `filename*=`, ASCII transliteration) depends on the header.
    For download file names, let `send_file(download_name=...)` build
    `Content-Disposition`.

    ## References
    - [PEP 3333: Unicode issues](https://peps.python.org/pep-3333/#unicode-issues)
    - [RFC 9110, section 5.5: Field Values](https://www.rfc-editor.org/rfc/rfc9110#section-5.5)
    """

    code = "FLH116"
    name = "header-not-transmittable"
    severity = Severity.ERROR
    message = (
        "Header value has non-Latin-1 characters (or the name is not a valid HTTP token). "
        "The test client accepts it, real servers fail (UnicodeEncodeError / gunicorn 500)"
    )

    def check(self, value: HeaderValue) -> None:
        if value.name is not None and value.name_node is not None and not TOKEN.match(value.name):
            self.report(
                value.name_node,
                f"Header name {value.name!r} is not a valid HTTP token (RFC 9110): gunicorn "
                "answers 500, the development server sends it as is -- use letters, digits "
                "and `-`",
            )
        if value.lower in IRI_HEADERS:
            return
        parts = self.model.string_parts(value.value_node, value.scope)
        if not parts:
            return
        text = "".join(p for p in parts if p is not None)
        if "\r" in text or "\n" in text:
            self.report(
                value.value_node,
                "Header value contains a line break: Werkzeug raises `ValueError` on every "
                "request -- remove the `\\r`/`\\n`",
            )
        elif any(ord(ch) > 0xFF for ch in text):
            self.report(value.value_node)
        elif any((ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F for ch in text):
            self.report(
                value.value_node,
                "Header value contains a control character; servers reject it or send a broken "
                "header -- remove it",
            )


# -- FLH111 ----------------------------------------------------------------------------------
class ManualContentLength(_HeaderValueRule):
    """## What it does
    Checks for code that sets `Content-Length` by hand:
    `response.headers["Content-Length"] = ...`, `response.content_length = ...`,
    or a `Content-Length` entry in a headers mapping.

    ## Why is this bad?
    Werkzeug computes `Content-Length` from the body when the header is
    absent. Once it is set by hand, Werkzeug trusts it: a wrong value makes
    clients cut the body short or wait for bytes that never come, and on a
    keep-alive connection the surplus bytes are read as the next response.
    The usual mistake is `len(text)` on a `str`, which counts characters,
    not the UTF-8 bytes that are sent (`len("café") == 4`, but it is 5
    bytes).

    Werkzeug measures only bodies it holds whole (`str`, `bytes`, a list, a
    `jsonify()` result). A length set for any other body (a generator, a file,
    an iterator from another module) is the only length there is and is not
    reported, except a size taken from the file being streamed
    (`os.path.getsize`, `.stat().st_size`), reported as information. The
    length of bytes (`len(response.data)`, `len(body.encode())`), a constant
    equal to the constant body's size, and `HEAD` responses are not reported
    either: those lengths are right.

    ## Example
    ```python
    body = render_template("page.html")
    response = make_response(body)
    response.headers["Content-Length"] = str(len(body))
    ```

    ## Use instead
    ```python
    body = render_template("page.html")
    response = make_response(body)  # Werkzeug sets Content-Length
    ```

    ## Fix safety
    The fixes are unsafe because a header changes: `len(s)` of a `str`
    becomes `len(s.encode())` (the byte count Werkzeug sends, since it
    encodes `str` bodies as UTF-8); a write on a response whose body is a
    `str`, `bytes` or `jsonify()` result is deleted, so Werkzeug computes
    the value itself.

    ## References
    - [RFC 9110, section 8.6: Content-Length](https://www.rfc-editor.org/rfc/rfc9110#section-8.6)
    - [Werkzeug: `automatically_set_content_length`](https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response.automatically_set_content_length)
    """

    code = "FLH111"
    name = "manual-content-length"
    severity = Severity.WARNING
    message = (
        "Setting Content-Length by hand disables Werkzeug's computation; a wrong value "
        "truncates or desynchronises the connection"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    MESSAGE_FILE_SIZE = (
        "Content-Length is taken from the file's size: it must equal the bytes actually "
        "sent, so a file that changes while it is served breaks the connection"
    )

    def check(self, value: HeaderValue) -> None:
        if value.lower != "content-length" or value.option:
            return
        node = value.value_node
        scope = value.scope
        measured = _len_argument(node)
        if measured is not None and is_str_body(self, measured, scope):
            self.report(
                node,
                f"{self.message}. `len()` of a `str` counts characters, not the UTF-8 bytes "
                "that are sent",
                # Deleting is better when Werkzeug can measure the body itself.
                fix=self._delete_fix(value) or self._encode_fix(measured),
                severity=Severity.ERROR,
            )
            return
        if value.write is not None and scope is not None and self._for_head(scope, value.write):
            return  # a HEAD response declares the size of the body it does not send
        if self._streamed(value):
            return  # Werkzeug cannot measure a generator: a manual length is the only one
        declared = self.model.const(node, scope)
        actual = self._constant_body_length(value)
        if actual is not None and isinstance(declared, (int, str)) and str(declared).isdigit():
            if int(declared) == actual:
                return  # exactly what Werkzeug would compute
            self.report(
                node,
                f"Content-Length is {declared} but the body is {actual} bytes: clients truncate "
                "it or wait for more -- delete the header and let Werkzeug compute it",
                fix=self._delete_fix(value),
                severity=Severity.ERROR,
            )
            return
        if measured is not None and self._is_bytes(measured, scope):
            return  # the exact byte count: nothing to gain from reporting it
        if self._is_file_size(node, scope):
            self.report(node, self.MESSAGE_FILE_SIZE, severity=Severity.INFO)
            return
        if not self._werkzeug_measures(value):
            # Werkzeug only computes the length of str/bytes/list bodies; for
            # anything else (a file, an iterator) a manual length is the only one.
            return
        self.report(node, fix=self._delete_fix(value))

    def _werkzeug_measures(self, value: HeaderValue) -> bool:
        """The body is one Werkzeug measures itself (a str, bytes or ``jsonify()`` result)."""
        scope = value.scope
        if value.write is not None:
            return scope is not None and self._measurable(value.write.target, scope)
        body = value.body
        if body is None:
            return False
        return isinstance(self.model.const(body, scope), (str, bytes)) or is_str_body(
            self, body, scope
        )

    def _bodies(self, value: HeaderValue) -> list[cst.BaseExpression | None]:
        """The body expressions the header goes with (None: a response built without one)."""
        scope = value.scope
        if value.write is None:
            return [value.body]
        if scope is None:
            return []
        bodies: list[cst.BaseExpression | None] = []
        for expr in self.model.responses_in(scope).names.get(value.write.target, []):
            parts = call_parts(self.model, expr, scope) if isinstance(expr, cst.Call) else None
            if parts is None:
                return []
            bodies.append(parts.body)
        return bodies

    def _constant_body_length(self, value: HeaderValue) -> int | None:
        """Byte length of a constant body (UTF-8 for str, as Werkzeug sends it), else None."""
        lengths = set()
        bodies = self._bodies(value)
        for body in bodies:
            if body is None:
                lengths.add(0)
                continue
            constant = self.model.const(body, value.scope)
            if isinstance(constant, str):
                constant = constant.encode("utf-8")
            if not isinstance(constant, bytes):
                return None
            lengths.add(len(constant))
        return lengths.pop() if len(lengths) == 1 else None

    def _streamed(self, value: HeaderValue) -> bool:
        """The body is produced by a generator (or a stream wrapper) while it is sent."""
        scope = value.scope
        bodies: list[cst.BaseExpression] = []
        if value.body is not None:
            bodies.append(value.body)
        elif value.write is not None and scope is not None:
            for expr in self.model.responses_in(scope).names.get(value.write.target, []):
                if isinstance(expr, cst.Call):
                    parts = call_parts(self.model, expr, scope)
                    if parts is not None and parts.body is not None:
                        bodies.append(parts.body)
        return any(self._is_stream(body, scope) for body in bodies)

    def _is_stream(self, body: cst.BaseExpression, scope: cst.FunctionDef | None) -> bool:
        if isinstance(body, cst.GeneratorExp):
            return True
        if isinstance(body, cst.Name) and scope is not None:
            bound = self.model.single_assigned_value(body.value, scope)
            return bound is not None and bound is not body and self._is_stream(bound, scope)
        if not isinstance(body, cst.Call):
            return False
        if self.model.qualified_name(body.func, scope) in STREAMING_CALLS:
            return True
        if isinstance(body.func, cst.Name) and body.func.value == "iter":
            return True
        generator = self.model.function_for(body.func, scope)
        return generator is not None and self.model.scope_of_function(generator).has_yield

    def _for_head(self, func: cst.FunctionDef, write: HeaderWrite) -> bool:
        """The write sits under an ``if`` that tests for a HEAD request."""
        tests = _enclosing_if_tests(func.body, write.line)
        return any("HEAD" in self.ctx.code_for(test) for test in tests or [])

    def _is_bytes(self, expr: cst.BaseExpression, scope: cst.FunctionDef | None) -> bool:
        if isinstance(self.model.const(expr, scope), bytes):
            return True
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
            return expr.func.attr.value == "encode"
        if isinstance(expr, cst.Name) and scope is not None:
            bound = self.model.single_assigned_value(expr.value, scope)
            return bound is not None and bound is not expr and self._is_bytes(bound, scope)
        return False

    def _encode_fix(self, measured: cst.BaseExpression) -> Fix:
        text = self.ctx.code_for(measured)
        if not isinstance(measured, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            text = f"({text})"
        return unsafe_fix(
            "Count the encoded bytes",
            replace_node(self.ctx, measured, f"{text}.encode()"),
        )

    def _is_file_size(self, node: cst.BaseExpression, scope: cst.FunctionDef | None) -> bool:
        if isinstance(node, cst.Call) and _is_str_call(node):
            return self._is_file_size(node.args[0].value, scope)
        if isinstance(node, cst.Attribute) and node.attr.value == "st_size":
            return True
        if isinstance(node, cst.Call):
            return self.model.qualified_name(node.func, scope) in FILE_SIZE_CALLS
        if isinstance(node, cst.Name) and scope is not None:
            bound = self.model.single_assigned_value(node.value, scope)
            return bound is not None and bound is not node and self._is_file_size(bound, scope)
        return False

    def _delete_fix(self, value: HeaderValue) -> Fix | None:
        """Delete a whole write statement on a response whose body Werkzeug can measure."""
        write = value.write
        scope = value.scope
        if write is None or scope is None or len(write.line.body) != 1:
            return None
        if write.op not in VALUE_OPS and write.op != "property":
            return None
        if not self._measurable(write.target, scope):
            return None
        block = _find_block(scope, write.line)
        if block is None or len(block) < 2:
            return None
        return unsafe_fix(
            "Let Werkzeug compute Content-Length", delete_statement(self.ctx, write.line)
        )

    def _measurable(self, name: str, scope: cst.FunctionDef) -> bool:
        responses = self.model.responses_in(scope)
        constructions = responses.names.get(name, [])
        if not constructions:
            return False
        for expr in constructions:
            if not isinstance(expr, cst.Call):
                return False
            if self.model.qualified_name(expr.func, scope) == "flask.jsonify":
                continue
            parts = call_parts(self.model, expr, scope)
            if parts is None or parts.body is None:
                return False
            body = parts.body
            literal = isinstance(self.model.const(body, scope), (str, bytes))
            if not literal and not is_str_body(self, body, scope):
                return False
        return True


def _enclosing_if_tests(
    root: cst.CSTNode, line: cst.SimpleStatementLine
) -> list[cst.BaseExpression] | None:
    """The tests of the ``if``/``elif`` statements around ``line`` (None when not found)."""
    if root is line:
        return []
    for child in root.children:
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        found = _enclosing_if_tests(child, line)
        if found is not None:
            if isinstance(root, cst.If):
                found.append(root.test)
            return found
    return None


def _find_block(root: cst.CSTNode, line: cst.SimpleStatementLine) -> list[cst.CSTNode] | None:
    if isinstance(root, cst.IndentedBlock) and line in root.body:
        return list(root.body)
    for child in root.children:
        found = _find_block(child, line)
        if found is not None:
            return found
    return None


def _is_str_call(call: cst.Call) -> bool:
    return (
        isinstance(call.func, cst.Name)
        and call.func.value == "str"
        and len(call.args) == 1
        and call.args[0].keyword is None
        and not call.args[0].star
    )


def _len_argument(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """``x`` of ``len(x)`` / ``str(len(x))``."""
    if isinstance(node, cst.Call) and _is_str_call(node):
        node = node.args[0].value
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "len"
        and len(node.args) == 1
        and node.args[0].keyword is None
        and not node.args[0].star
    ):
        return node.args[0].value
    return None
