"""Group D: cookies (FLH401-FLH410)."""

from __future__ import annotations

import datetime
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Severity
from flasklint_headers.fixes import (
    insert_after_node,
    insert_statement_after,
    replace_node,
    safe_fix,
    unsafe_fix,
)
from flasklint_headers.model import UNKNOWN
from flasklint_headers.model.app_config import MISSING
from flasklint_headers.model.names import LOGIN_MANAGER, TALISMAN
from flasklint_headers.model.providers import app_has_views, session_cookie_from_project
from flasklint_headers.model.talisman import talisman_config
from flasklint_headers.rules._cookie_support import (
    ABSENT,
    DEFAULT_SENSITIVE_PATTERNS,
    CookieCall,
    describe,
    dump_cookie_call,
    implicit_header_mappings,
    imports_any,
    is_anti_csrf,
    is_sensitive,
    keyword_edits,
    linked_set_cookies,
    package_key,
    package_modules,
    project_fact,
    py_string,
    remove_argument,
    response_cookie_calls,
    session_interface_params,
    set_keyword,
    source_mentions,
)
from flasklint_headers.rules.base import Rule, RuleOption
from flasklint_headers.values.cookies import (
    SetCookie,
    folded_cookie_count,
    is_valid_samesite,
    parse_set_cookie,
    prefix_violations,
)
from flasklint_headers.walk import walk

SENSITIVE_OPTION = RuleOption(
    "sensitive-cookie-patterns",
    list(DEFAULT_SENSITIVE_PATTERNS),
    "Case-insensitive parts of cookie names that mark a cookie as sensitive "
    "(patterns of three letters or fewer must be a whole word of the name).",
)
_WRITE_OPS = frozenset({"setitem", "set", "add", "add_header", "setdefault"})


@dataclass(eq=False)
class ManualCookie:
    """A hand-built ``Set-Cookie`` value written on a response."""

    node: cst.BaseExpression  # the value expression
    parsed: SetCookie | None
    parts: list[str | None] | None
    target: str | None = None  # the response name, for the set_cookie rewrite
    statement: cst.BaseSmallStatement | None = None
    line: cst.SimpleStatementLine | None = None
    op: str | None = None


def _is_set_cookie(header: Any) -> bool:
    return isinstance(header, str) and header.lower() == "set-cookie"


class _CookieRule(Rule):
    """Finds every cookie write in a file and hands each one to ``check``."""

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for cookie in response_cookie_calls(self.model, node):
            self.check(cookie)
        # Hand-built cookies need the header name somewhere in the file: skip the walk otherwise.
        if source_mentions(self.ctx.source.text, ("set-cookie",)):
            for manual in manual_cookies(self.model, node):
                self.check_manual(manual)

    def visit_Call(self, node: cst.Call) -> None:
        callee = node.func
        callee_type = type(callee)  # not isinstance: a failing check on a node class is slow
        if callee_type is cst.Attribute:
            last = callee.attr.value  # type: ignore[attr-defined]
        elif callee_type is cst.Name:
            last = callee.value  # type: ignore[attr-defined]
        else:
            return
        # Cheap pre-check: the name resolution below is only needed for dump_cookie.
        if last != "dump_cookie" and not self.model.index.imports.get(last):
            return
        cookie = dump_cookie_call(self.model, node, self.ctx.enclosing_function())
        if cookie is not None:
            self.check(cookie)

    def check(self, cookie: CookieCall) -> None:
        """Override: one ``set_cookie``/``delete_cookie``/``dump_cookie`` call."""

    def check_manual(self, manual: ManualCookie) -> None:
        """Override: one hand-built Set-Cookie value."""

    def sensitive(self, name: str | None) -> bool:
        return is_sensitive(name, self.option("sensitive-cookie-patterns"))

    def report_session_interface(
        self,
        cookie: CookieCall,
        interface: tuple[str, str],
        flag: str,
        message: str,
        severity: Severity | None = None,
    ) -> None:
        """A session interface's cookie leaves ``flag`` out: the fix passes
        ``self.get_cookie_<flag>(app)``, so the ``SESSION_COOKIE_*`` setting decides."""
        instance, app = interface
        value = f"{instance}.get_cookie_{flag}({app})"
        edits = set_keyword(self.ctx, cookie, flag, value)
        fix = unsafe_fix(f"Add `{flag}={value}`", *edits) if edits else None
        self.report(cookie.call, message, fix=fix, severity=severity)


_MANUAL: weakref.WeakKeyDictionary[Any, dict[cst.FunctionDef, list[ManualCookie]]] = (
    weakref.WeakKeyDictionary()
)


def manual_cookies(model: Any, func: cst.FunctionDef) -> list[ManualCookie]:
    """Hand-built Set-Cookie values written in ``func`` (cached: every cookie rule asks)."""
    per_model = _MANUAL.setdefault(model, {})
    found = per_model.get(func)
    if found is None:
        found = list(_find_manual_cookies(model, func))
        per_model[func] = found
    return found


def _find_manual_cookies(model: Any, func: cst.FunctionDef) -> Iterator[ManualCookie]:
    for write in model.responses_in(func).writes:
        if write.op in _WRITE_OPS and _is_set_cookie(write.header):
            if write.value_node is not None:
                yield _manual(model, write.value_node, func, write)
        elif write.op in ("extend", "update") and write.value_node is not None:
            yield from _from_mapping(model, write.value_node, func)
    mappings = [
        model.return_parts(ret, func).headers for ret in model.scope_of_function(func).returns
    ]
    mappings += implicit_header_mappings(model, func)
    seen: set[int] = set()  # one headers literal may be returned or passed more than once
    for mapping in mappings:
        if isinstance(mapping, cst.Name):
            mapping = model.single_assigned_value(mapping.value, func) or mapping
        if mapping is not None and id(mapping) not in seen:
            seen.add(id(mapping))
            yield from _from_mapping(model, mapping, func)


def _from_mapping(
    model: Any, expr: cst.BaseExpression, func: cst.FunctionDef
) -> Iterator[ManualCookie]:
    if isinstance(expr, cst.Dict):
        for element in expr.elements:
            if isinstance(element, cst.DictElement) and _is_set_cookie(
                model.const(element.key, func)
            ):
                yield _manual(model, element.value, func)
    elif isinstance(expr, (cst.List, cst.Tuple)):
        for element in expr.elements:
            pair = element.value
            if isinstance(pair, cst.Tuple) and len(pair.elements) == 2:
                key, value = (e.value for e in pair.elements)
                if _is_set_cookie(model.const(key, func)):
                    yield _manual(model, value, func)


def _manual(
    model: Any, value: cst.BaseExpression, func: cst.FunctionDef, write: Any = None
) -> ManualCookie:
    is_dump = isinstance(value, cst.Call) and dump_cookie_call(model, value, func) is not None
    parts = None if is_dump else model.string_parts(value, func)
    parsed = parse_set_cookie(parts) if parts is not None else None
    if write is None:
        return ManualCookie(value, parsed, parts)
    return ManualCookie(value, parsed, parts, write.target, write.statement, write.line, write.op)


class CookieWithoutSecure(_CookieRule):
    """## What it does
    Checks for cookies set with ``set_cookie()`` (or ``dump_cookie()``, or a
    hand-written ``Set-Cookie`` header) without the ``Secure`` attribute. This
    includes the session cookie that a project ``SessionInterface`` writes in
    ``save_session`` on the response Flask hands it: written with a constant
    instead of ``self.get_cookie_secure(app)``, it ignores
    ``SESSION_COOKIE_SECURE``; that finding is an error, and its fix passes
    ``secure=self.get_cookie_secure(app)``.

    ## Why is this bad?
    Werkzeug's ``set_cookie`` defaults to ``secure=False``, so the browser also
    sends the cookie over plain HTTP, where anyone on the network can read it.
    Mozilla's HTTP Observatory penalises every cookie without ``Secure`` and
    session cookies even more. ``partitioned=True`` implies ``Secure`` and is
    accepted. Values that are not constants (``secure=app.config[...]``) are
    never reported, nor are deletions (``delete_cookie``, or ``set_cookie``
    with ``max_age=0`` or ``expires=0``): the browser drops the cookie.

    Cookies whose name looks sensitive (option ``sensitive-cookie-patterns``,
    by default ``sess``, ``login``, ``auth``, ``token``, ``jwt``, ``remember``,
    ``sid``) are reported as errors, other cookies as warnings. Flags passed
    positionally (``set_cookie("a", v, None, None, "/", None, True)``) count.

    ## Example
    ```python
    resp.set_cookie("session_id", sid, httponly=True)
    ```

    ## Use instead
    ```python
    resp.set_cookie("session_id", sid, httponly=True, secure=True)
    ```

    ## Fix safety
    The fix adds (or sets) ``secure=True``. It is unsafe: over plain HTTP (for
    example a local development server) the browser stops sending the cookie.

    ## Options
    - ``sensitive-cookie-patterns``

    ## References
    - [Flask: Set-Cookie options](https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options)
    - [MDN: Set-Cookie](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie)
    """

    code = "FLH401"
    name = "cookie-without-secure"
    severity = Severity.WARNING
    message = "Cookie is set without `Secure`; it will be sent over plain HTTP"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    options = (SENSITIVE_OPTION,)

    def check(self, cookie: CookieCall) -> None:
        if cookie.deletes or not cookie.secure_off:
            return
        interface = session_interface_params(cookie)
        if interface is not None:
            message = (
                "The session cookie is set without `Secure`: this session interface ignores "
                "`SESSION_COOKIE_SECURE`, so it is sent over plain HTTP"
            )
            self.report_session_interface(cookie, interface, "secure", message, Severity.ERROR)
            return
        edits = set_keyword(self.ctx, cookie, "secure", "True")
        fix = unsafe_fix("Add `secure=True`", *edits) if edits else None
        self.report(
            cookie.call,
            f"{describe(cookie.name)} is set without `Secure`; it will be sent over plain HTTP",
            fix=fix,
            severity=Severity.ERROR if self.sensitive(cookie.name) else None,
        )

    def check_manual(self, manual: ManualCookie) -> None:
        parsed = manual.parsed
        if parsed is None or not parsed.complete or parsed.secure or parsed.has("partitioned"):
            return
        self.report(
            manual.node,
            f"{describe(parsed.name)} is set without `Secure`; it will be sent over plain HTTP",
            severity=Severity.ERROR if self.sensitive(parsed.name) else None,
        )


class CookieWithoutHttponly(_CookieRule):
    """## What it does
    Checks for cookies with a sensitive-looking name (session, login, auth,
    token, jwt, remember, sid) that are set without ``HttpOnly``. Deletions
    (``delete_cookie``, ``set_cookie`` with ``max_age=0`` or ``expires=0``)
    are not reported. The session cookie a project ``SessionInterface`` writes
    in ``save_session`` without ``httponly`` is reported whatever its name (the
    interface ignores ``SESSION_COOKIE_HTTPONLY``), with a fix that passes
    ``httponly=self.get_cookie_httponly(app)``.

    ## Why is this bad?
    Werkzeug defaults to ``httponly=False``: any script on the page, including
    an injected one, can read ``document.cookie`` and steal the session. Names
    containing ``csrf``/``xsrf`` are exempt: double-submit anti-CSRF tokens
    must stay readable by JavaScript.

    ## Example
    ```python
    resp.set_cookie("auth_token", token, secure=True)
    ```

    ## Use instead
    ```python
    resp.set_cookie("auth_token", token, secure=True, httponly=True)
    ```

    ## Fix safety
    The fix adds ``httponly=True``. It is unsafe: front-end code that reads
    the cookie stops seeing it.

    ## Options
    - ``sensitive-cookie-patterns``

    ## References
    - [OWASP: HttpOnly](https://owasp.org/www-community/HttpOnly)
    - [MDN: Set-Cookie](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie)
    """

    code = "FLH402"
    name = "cookie-without-httponly"
    severity = Severity.WARNING
    message = "Sensitive cookie is readable by JavaScript; set `httponly=True`"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    options = (SENSITIVE_OPTION,)

    def _applies(self, name: str | None) -> bool:
        return self.sensitive(name) and not is_anti_csrf(name)

    def check(self, cookie: CookieCall) -> None:
        interface = session_interface_params(cookie)
        if interface is not None:
            # The session cookie, whatever its configured name: ``SESSION_COOKIE_HTTPONLY``
            # (on by default in Flask) is ignored when the interface leaves the flag out.
            if not cookie.deletes and cookie.definitely_off("httponly"):
                message = (
                    "The session cookie is readable by JavaScript: this session interface "
                    "ignores `SESSION_COOKIE_HTTPONLY`"
                )
                self.report_session_interface(cookie, interface, "httponly", message)
            return
        if cookie.deletes or not self._applies(cookie.name):
            return
        if not cookie.definitely_off("httponly"):
            return
        edits = set_keyword(self.ctx, cookie, "httponly", "True")
        fix = unsafe_fix("Add `httponly=True`", *edits) if edits else None
        self.report(
            cookie.call,
            f"Sensitive cookie `{cookie.name}` is readable by JavaScript; set `httponly=True`",
            fix=fix,
        )

    def check_manual(self, manual: ManualCookie) -> None:
        parsed = manual.parsed
        if (
            parsed is None
            or not parsed.complete
            or parsed.httponly
            or not self._applies(parsed.name)
        ):
            return
        self.report(
            manual.node,
            f"Sensitive cookie `{parsed.name}` is readable by JavaScript; add `HttpOnly`",
        )


class CookieWithoutSamesite(_CookieRule):
    """## What it does
    Checks for cookies set without a ``SameSite`` attribute. Deletions
    (``delete_cookie``, ``set_cookie`` with ``max_age=0`` or ``expires=0``)
    are not reported. The session cookie written by a project
    ``SessionInterface.save_session`` is reported as a warning (the interface
    ignores ``SESSION_COOKIE_SAMESITE``), with a fix that passes
    ``samesite=self.get_cookie_samesite(app)``.

    ## Why is this bad?
    Werkzeug defaults to ``samesite=None`` (no attribute). Browsers then apply
    their own default, which differs between browsers and versions; an explicit
    ``Lax`` or ``Strict`` keeps the cookie off cross-site requests and is a
    cheap defence against CSRF. The Flask documentation recommends ``Lax``.

    Reported as info, or as a warning for sensitive and anti-CSRF cookie names.

    ## Example
    ```python
    resp.set_cookie("theme", "dark")
    ```

    ## Use instead
    ```python
    resp.set_cookie("theme", "dark", samesite="Lax")
    ```

    ## Fix safety
    The fix adds ``samesite="Lax"``. It is unsafe: cross-site requests that
    relied on the cookie (an embedded widget, a cross-site POST) stop carrying it.

    ## Options
    - ``sensitive-cookie-patterns``

    ## References
    - [Flask: Set-Cookie options](https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options)
    - [MDN: SameSite cookies](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value)
    """

    code = "FLH403"
    name = "cookie-without-samesite"
    severity = Severity.INFO
    message = "Cookie has no `SameSite` attribute; set `samesite='Lax'` (or `'Strict'`)"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    options = (SENSITIVE_OPTION,)

    def _severity(self, name: str | None) -> Severity | None:
        if self.sensitive(name) or is_anti_csrf(name):
            return Severity.WARNING
        return None

    def check(self, cookie: CookieCall) -> None:
        if cookie.deletes or cookie.effective("samesite") is not None:
            return
        interface = session_interface_params(cookie)
        if interface is not None:
            message = (
                "The session cookie has no `SameSite` attribute: this session interface "
                "ignores `SESSION_COOKIE_SAMESITE`"
            )
            self.report_session_interface(cookie, interface, "samesite", message, Severity.WARNING)
            return
        edits = set_keyword(self.ctx, cookie, "samesite", '"Lax"')
        fix = unsafe_fix('Add `samesite="Lax"`', *edits) if edits else None
        self.report(
            cookie.call,
            f"{describe(cookie.name)} has no `SameSite` attribute; set `samesite='Lax'` "
            "(or `'Strict'`)",
            fix=fix,
            severity=self._severity(cookie.name),
        )

    def check_manual(self, manual: ManualCookie) -> None:
        parsed = manual.parsed
        if parsed is None or not parsed.complete or parsed.has("samesite"):
            return
        self.report(
            manual.node,
            f"{describe(parsed.name)} has no `SameSite` attribute; add `SameSite=Lax`",
            severity=self._severity(parsed.name),
        )


class SamesiteNoneWithoutSecure(_CookieRule):
    """## What it does
    Checks for cookies with ``SameSite=None`` that are not ``Secure`` — on
    ``set_cookie``/``delete_cookie``/``dump_cookie``, hand-written
    ``Set-Cookie`` values, and the ``SESSION_COOKIE_*`` / ``REMEMBER_COOKIE_*``
    configuration.

    ## Why is this bad?
    RFC 6265bis tells browsers to ignore a ``SameSite=None`` cookie unless it
    is ``Secure``, and current browsers do. The cookie is silently dropped: the
    login or the cross-site embed that needed it never works.

    ## Example
    ```python
    resp.set_cookie("widget", token, samesite="None")
    app.config["SESSION_COOKIE_SAMESITE"] = "None"
    ```

    ## Use instead
    ```python
    resp.set_cookie("widget", token, samesite="None", secure=True)
    app.config["SESSION_COOKIE_SAMESITE"] = "None"
    app.config["SESSION_COOKIE_SECURE"] = True
    ```

    ## Fix safety
    The fix adds ``secure=True`` (or sets the matching ``*_SECURE`` key to
    True). It is safe: browsers reject the cookie today, so no working
    behaviour changes.

    ## References
    - [RFC 6265bis: the SameSite attribute](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html)
    - [MDN: SameSite=None requires Secure](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#none)
    """

    code = "FLH404"
    name = "samesite-none-without-secure"
    severity = Severity.ERROR
    message = "`SameSite=None` without `Secure`: modern browsers reject this cookie entirely"
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    def check(self, cookie: CookieCall) -> None:
        samesite = cookie.value("samesite")
        if not (isinstance(samesite, str) and samesite.lower() == "none") or not cookie.secure_off:
            return
        edits = set_keyword(self.ctx, cookie, "secure", "True")
        fix = safe_fix("Add `secure=True`", *edits) if edits else None
        self.report(cookie.call, fix=fix)

    def check_manual(self, manual: ManualCookie) -> None:
        parsed = manual.parsed
        if parsed is None or not parsed.complete or parsed.secure:
            return
        samesite = parsed.samesite
        if samesite is not None and samesite.lower() == "none":
            self.report(manual.node)

    def visit_Module(self, node: cst.Module) -> None:
        self._reported: set[int] = set()  # a config class shared by several apps: report once
        for app_config in _app_configs_touching(self):
            for prefix in ("SESSION_COOKIE", "REMEMBER_COOKIE"):
                self._check_config(app_config, prefix)

    def _check_config(self, app_config: _AppCookieConfig, prefix: str) -> None:
        samesite = app_config.effective(f"{prefix}_SAMESITE")
        if not (isinstance(samesite.value, str) and samesite.value.lower() == "none"):
            return
        secure = app_config.effective(f"{prefix}_SECURE")
        if secure.value is UNKNOWN or secure.value is True:
            return
        node = samesite.node
        if node is None or samesite.model is not self.model or id(node) in self._reported:
            return
        self._reported.add(id(node))
        fix = None
        if secure.node is not None and secure.model is self.model:
            if isinstance(secure.node, cst.Name) and secure.node.value == "False":
                fix = safe_fix(
                    f"Set `{prefix}_SECURE` to True", replace_node(self.ctx, secure.node, "True")
                )
        elif secure.value is MISSING:
            edit = _add_config_key(self, node, f"{prefix}_SECURE", "True")
            fix = safe_fix(f"Set `{prefix}_SECURE = True`", edit) if edit else None
        self.report(
            node,
            f"`{prefix}_SAMESITE` is 'None' but `{prefix}_SECURE` is not True: browsers reject "
            "this cookie entirely",
            fix=fix,
        )


class InvalidSamesiteValue(_CookieRule):
    """## What it does
    Checks for ``samesite=`` values that Werkzeug cannot serialise: anything
    but ``None`` or a string whose ``.title()`` is ``Strict``, ``Lax`` or
    ``None`` — in ``set_cookie``/``delete_cookie``/``dump_cookie``, in
    ``SESSION_COOKIE_SAMESITE``/``REMEMBER_COOKIE_SAMESITE`` and in Talisman's
    ``session_cookie_samesite``.

    ## Why is this bad?
    ``werkzeug.http.dump_cookie`` raises ``ValueError`` for an unknown string
    and ``AttributeError`` for a bool (``True.title()``) when the response is
    built: every request that sets the cookie fails with a 500.

    ## Example
    ```python
    resp.set_cookie("prefs", "1", samesite=True)
    ```

    ## Use instead
    ```python
    resp.set_cookie("prefs", "1", samesite="Lax")
    ```

    ## Fix safety
    There is no fix: only you know whether ``Lax`` or ``Strict`` was meant.

    ## References
    - [Werkzeug: dump_cookie](https://werkzeug.palletsprojects.com/en/stable/http/#werkzeug.http.dump_cookie)
    """

    code = "FLH405"
    name = "invalid-samesite-value"
    severity = Severity.ERROR
    message = (
        "Invalid `samesite` value; Werkzeug raises at response time. Use 'Lax', 'Strict' or 'None'"
    )

    def _message(self, value: Any) -> str:
        return (
            f"`samesite={value!r}` is not valid; Werkzeug raises at response time. "
            "Use 'Lax', 'Strict' or 'None'"
        )

    def check(self, cookie: CookieCall) -> None:
        value = cookie.value("samesite")
        if value is ABSENT or value is UNKNOWN or is_valid_samesite(value):
            return
        arg = cookie.arg("samesite")
        assert arg is not None
        self.report(arg.value, self._message(value))

    def visit_Module(self, node: cst.Module) -> None:
        seen: set[int] = set()
        for app_config in _app_configs(self):
            for key in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
                setting = app_config.effective(key)
                value = setting.value
                if value is UNKNOWN or value is MISSING or is_valid_samesite(value):
                    continue
                if setting.node is None or setting.model is not self.model:
                    continue
                if id(setting.node) in seen:
                    continue
                seen.add(id(setting.node))
                self.report(setting.node, self._message(value))


class CookiePrefixViolation(_CookieRule):
    """## What it does
    Checks cookies named ``__Host-…`` or ``__Secure-…`` whose attributes break
    the prefix rules: ``__Secure-`` needs ``Secure``; ``__Host-`` needs
    ``Secure``, ``Path=/`` and no ``Domain``.

    ## Why is this bad?
    Browsers enforce cookie prefixes (RFC 6265bis): a prefixed cookie that
    breaks its rules is rejected, so it is never stored (or, for
    ``delete_cookie``, never deleted).

    ## Example
    ```python
    resp.set_cookie("__Host-sid", sid, domain="example.com", path="/app", secure=True)
    ```

    ## Use instead
    ```python
    resp.set_cookie("__Host-sid", sid, path="/", secure=True)
    ```

    ## Fix safety
    The fix adds ``secure=True``, removes ``domain=`` and sets ``path="/"``.
    It is safe: browsers reject this cookie today. No fix is offered when an
    offending argument is passed positionally.

    ## References
    - [MDN: cookie prefixes](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#cookie_prefixes)
    - [RFC 6265bis: cookie name prefixes](https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html)
    """

    code = "FLH406"
    name = "cookie-prefix-violation"
    severity = Severity.ERROR
    message = (
        "A `__Host-` cookie must be `Secure`, have `Path=/` and no `Domain`; "
        "browsers reject this one"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    def _message(self, name: str) -> str:
        if name.startswith("__Host-"):
            return (
                f"`{name}`: a `__Host-` cookie must be `Secure`, have `Path=/` and no `Domain`; "
                "browsers reject this one"
            )
        return f"`{name}`: a `__Secure-` cookie must be `Secure`; browsers reject this one"

    def check(self, cookie: CookieCall) -> None:
        name = cookie.name
        if name is None:
            return
        secure = cookie.effective("secure")
        partitioned = cookie.effective("partitioned")
        path = cookie.effective("path")
        domain = cookie.effective("domain")
        if UNKNOWN in (secure, partitioned) or any(v is UNKNOWN for v in (path, domain)):
            return
        problems = prefix_violations(
            name, bool(secure) or bool(partitioned), path, domain is not None and domain != ""
        )
        if not problems:
            return
        wanted = {}
        if "secure" in problems:
            wanted["secure"] = "True"
        if "path" in problems:
            wanted["path"] = '"/"'
        edits = keyword_edits(self.ctx, cookie, wanted) if wanted else []
        fixable = bool(edits) or not wanted
        if "domain" in problems:
            removal = remove_argument(self.ctx, cookie, "domain")
            fixable = fixable and removal is not None
            edits.extend(removal or ())
        fix = safe_fix("Make the cookie satisfy its prefix", *edits) if fixable and edits else None
        self.report(cookie.call, self._message(name), fix=fix)

    def check_manual(self, manual: ManualCookie) -> None:
        parsed = manual.parsed
        if parsed is None or parsed.name is None or not parsed.complete:
            return
        problems = prefix_violations(parsed.name, parsed.secure, parsed.path, parsed.has("domain"))
        if problems:
            self.report(manual.node, self._message(parsed.name))


def _same_point(edits: list[Edit]) -> bool:
    """Two insertions at one point would be ordered arbitrarily; combine or skip them."""
    points = [e.start for e in edits if e.start == e.end]
    return len(points) != len(set(points))


class InsecureSessionCookieConfig(Rule):
    """## What it does
    Checks each Flask app's effective session-cookie configuration:
    ``SESSION_COOKIE_SECURE`` not True, ``SESSION_COOKIE_HTTPONLY`` set to
    False, ``SESSION_COOKIE_SAMESITE`` unset or None. The configuration is read
    across the project (``app.config[...]``, ``update``, ``from_mapping``,
    config classes passed to ``from_object``); values from the environment are
    never reported. Flask-Talisman sets ``Secure`` and ``SameSite=Lax`` on the
    session cookie by default, so an app with Talisman is not reported for
    those. An app that sets no secret key anywhere (``SECRET_KEY`` or
    ``app.secret_key``) and keeps Flask's own session interface sends no
    session cookie at all (writing the session raises), and is not reported
    (unless the app is stored on an object, ``self.app = app``, for code
    outside the project to configure); nor are apps whose ``session_interface``
    (set on the app or as a class attribute of its project ``Flask`` subclass)
    is a project class that writes the cookie its own way (it overrides a
    ``get_cookie_*`` method, such as a ``get_cookie_secure`` returning
    ``request.is_secure``, or ``save_session`` without calling
    ``super().save_session``), or a value that cannot be followed; nor apps in
    test modules, which are never deployed.

    ## Why is this bad?
    Flask's defaults are ``SESSION_COOKIE_SECURE=False`` and no SameSite: the
    signed session cookie, which is the login, travels over plain HTTP and on
    cross-site requests. Findings are warnings when the project uses the
    session (``flask.session``, Flask-Login beyond its ``UserMixin`` model
    class, Flask-WTF, Flask-Session), else info, and then the message says that
    nothing visibly writes the session yet.

    ## Example
    ```python
    app = Flask(__name__)
    app.secret_key = os.environ["SECRET_KEY"]
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE="Lax")
    app.secret_key = os.environ["SECRET_KEY"]
    ```

    ## Fix safety
    The fix flips a literal ``False`` to ``True`` (``None`` to ``"Lax"``), or
    inserts ``app.config.update(...)`` after the ``Flask(...)`` assignment. It
    is unsafe: over plain HTTP the session stops working, and cross-site
    flows that relied on the cookie stop carrying it.

    ## References
    - [Flask: Set-Cookie options](https://flask.palletsprojects.com/en/stable/web-security/#set-cookie-options)
    - [Flask: configuration](https://flask.palletsprojects.com/en/stable/config/#SESSION_COOKIE_SECURE)
    """

    code = "FLH407"
    name = "insecure-session-cookie-config"
    severity = Severity.WARNING
    message = (
        "Session cookie is sent without `Secure` (`SESSION_COOKIE_SECURE` is False/unset) — "
        "set it to True for HTTPS deployments"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    prefix = "SESSION_COOKIE"
    what = "Session cookie"

    def applies(self, app_config: _AppCookieConfig) -> bool:
        return not _never_sends_session(app_config) and not session_cookie_from_project(
            app_config.app
        )

    def default_severity(self, app_config: _AppCookieConfig) -> Severity | None:
        return None if _uses_session(app_config.app.model) else Severity.INFO

    def visit_Module(self, node: cst.Module) -> None:
        self._reported: set[int] = set()  # a config class shared by several apps: report once
        for app_config in _app_configs_touching(self):
            # Apps of a test suite are never deployed, and an app without a single
            # view (a throwaway ``Flask(__name__)``) never sets a cookie.
            app = app_config.app
            if app.model.is_test_module() or not _has_views(app):
                continue
            if self.applies(app_config):
                self._check(app_config)

    def _check(self, app_config: _AppCookieConfig) -> None:
        severity = self.default_severity(app_config)
        missing: list[str] = []
        prefix = self.prefix
        secure = app_config.effective(f"{prefix}_SECURE")
        if secure.value is MISSING:
            missing.append(f"{prefix}_SECURE=True")
        elif secure.value is not UNKNOWN and not secure.value:
            self._report_value(
                secure,
                f"{self.what} is sent without `Secure` (`{prefix}_SECURE` is False)",
                "True",
                severity,
            )
        httponly = app_config.effective(f"{prefix}_HTTPONLY")
        if httponly.value is not UNKNOWN and httponly.value is not MISSING and not httponly.value:
            self._report_value(
                httponly,
                f"{self.what} is readable by JavaScript (`{prefix}_HTTPONLY` is False)",
                "True",
                severity,
            )
        samesite = app_config.effective(f"{prefix}_SAMESITE")
        if samesite.value is MISSING:
            missing.append(f'{prefix}_SAMESITE="Lax"')
        elif samesite.value is None:
            self._report_value(
                samesite,
                f"{self.what} has no SameSite attribute (`{prefix}_SAMESITE` is None)",
                '"Lax"',
                severity,
            )
        if missing and app_config.app.model is self.model:
            self._report_missing(app_config, missing, severity)

    def _report_value(
        self, setting: _Setting, message: str, replacement: str, severity: Severity | None
    ) -> None:
        if setting.node is None or setting.model is not self.model:
            return
        if id(setting.node) in self._reported:
            return
        self._reported.add(id(setting.node))
        fix = None
        literal = setting.node
        if isinstance(literal, cst.Name) and literal.value in ("False", "None"):
            fix = unsafe_fix(
                f"Set it to {replacement}", replace_node(self.ctx, literal, replacement)
            )
        self.report(setting.node, message, fix=fix, severity=severity)

    def _report_missing(
        self, app_config: _AppCookieConfig, missing: list[str], severity: Severity | None
    ) -> None:
        keys = ", ".join(f"`{m.split('=')[0]}`" for m in missing)
        message = f"{self.what} flags are unset ({keys}): {self.missing_consequence(missing)}"
        if severity is Severity.INFO and self.code == "FLH407":
            # searx: a secret key, but nothing writes the session (no cookie is sent yet).
            message += "; nothing in this project visibly writes the session yet"
        fix = None
        app = app_config.app
        line = _assignment_line(app.model.module, app.call)
        if line is not None and app.name is not None:
            code = f"{app.name}.config.update({', '.join(missing)})"
            fix = unsafe_fix(
                "Set the cookie flags after creating the app",
                insert_statement_after(self.ctx, line, code),
            )
        self.report(app.call, message, fix=fix, severity=severity)

    def missing_consequence(self, missing: list[str]) -> str:
        """What Flask's defaults mean for the flags in ``missing`` (only those)."""
        secure = any(m.startswith(f"{self.prefix}_SECURE") for m in missing)
        samesite = any(m.startswith(f"{self.prefix}_SAMESITE") for m in missing)
        defaults = " and ".join(
            flag for flag, on in (("no `Secure`", secure), ("no `SameSite`", samesite)) if on
        )
        effects = " and ".join(
            effect
            for effect, on in (("over plain HTTP", secure), ("on cross-site requests", samesite))
            if on
        )
        return f"Flask defaults to {defaults}, so the session cookie travels {effects}"


class InsecureRememberCookieConfig(InsecureSessionCookieConfig):
    """## What it does
    Checks apps that use Flask-Login's remember-me cookie (a ``LoginManager``
    bound to the app and a ``login_user(..., remember=...)`` call) for
    ``REMEMBER_COOKIE_SECURE`` not True, ``REMEMBER_COOKIE_HTTPONLY`` set to
    False, and ``REMEMBER_COOKIE_SAMESITE`` unset or None.

    ## Why is this bad?
    Flask-Login's defaults are ``REMEMBER_COOKIE_SECURE=False`` and no
    SameSite, and the cookie is a login token that lasts 365 days by default.
    Flask-Talisman does not touch this cookie, so Talisman does not help here.

    ## Example
    ```python
    app = Flask(__name__)
    login_manager.init_app(app)
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    app.config.update(REMEMBER_COOKIE_SECURE=True, REMEMBER_COOKIE_SAMESITE="Lax")
    login_manager.init_app(app)
    ```

    ## Fix safety
    The fix flips a literal ``False`` to ``True`` (``None`` to ``"Lax"``) or
    inserts ``app.config.update(...)`` after the ``Flask(...)`` assignment. It
    is unsafe: over plain HTTP "remember me" stops working.

    ## References
    - [Flask-Login: cookie settings](https://flask-login.readthedocs.io/en/latest/#cookie-settings)
    """

    code = "FLH408"
    name = "insecure-remember-cookie-config"
    severity = Severity.WARNING
    message = (
        "Flask-Login's remember-me cookie is sent without `Secure` (`REMEMBER_COOKIE_SECURE` "
        "defaults to False); it is a 365-day login token"
    )
    prefix = "REMEMBER_COOKIE"
    what = "Flask-Login's remember-me cookie"

    def missing_consequence(self, missing: list[str]) -> str:
        secure = any(m.startswith(f"{self.prefix}_SECURE") for m in missing)
        samesite = any(m.startswith(f"{self.prefix}_SAMESITE") for m in missing)
        defaults = " and ".join(
            flag for flag, on in (("no `Secure`", secure), ("no `SameSite`", samesite)) if on
        )
        return (
            f"Flask-Login defaults to {defaults} for this login token "
            "(valid 365 days unless `REMEMBER_COOKIE_DURATION` says otherwise)"
        )

    def applies(self, app_config: _AppCookieConfig) -> bool:
        project = self.model.project
        if not project.extension_inits(app_config.app, LOGIN_MANAGER):
            return False
        app_model = app_config.app.model
        key = package_key(app_model) if app_model.module_name else id(app_model)
        return project_fact(
            project, ("remember", key), lambda: _uses_remember(package_modules(app_model))
        )

    def default_severity(self, app_config: _AppCookieConfig) -> Severity | None:
        return None

    def _check(self, app_config: _AppCookieConfig) -> None:
        super()._check(app_config)
        duration = app_config.effective("REMEMBER_COOKIE_DURATION")
        days = _days(duration.value)
        if duration.value is MISSING and app_config.app.model is self.model:
            self.report(
                app_config.app.call,
                "Flask-Login's remember-me cookie lasts 365 days by default; set "
                "`REMEMBER_COOKIE_DURATION` to 30 days or less",
                severity=Severity.INFO,
            )
        elif (
            days is not None
            and days > _MAX_REMEMBER_DAYS
            and duration.model is self.model
            and duration.node is not None
            and id(duration.node) not in self._reported
        ):
            self._reported.add(id(duration.node))
            self.report(
                duration.node,
                f"Flask-Login's remember-me cookie lasts {days:g} days; a stolen cookie stays a "
                "valid login that long. Prefer 30 days or less",
                severity=Severity.INFO,
            )


_MAX_REMEMBER_DAYS = 30


def _days(value: Any) -> float | None:
    """A duration in days: ``timedelta`` or seconds (Flask-Login accepts both)."""
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value / 86400
    return None


class ManualSetCookieHeader(_CookieRule):
    """## What it does
    Checks for ``Set-Cookie`` headers built by hand (a string, f-string,
    ``%``/``format`` or concatenation written with ``headers[...]``,
    ``headers.add``, a headers dict or list in a returned tuple).

    ## Why is this bad?
    ``set_cookie()`` validates the attributes and quotes the value, so a value
    containing ``;`` cannot inject attributes. Hand-built strings get none of
    that, and several cookies joined with commas in one header
    (``"a=1, b=2"``) are never split by browsers (RFC 6265 §3 forbids folding
    Set-Cookie): only a mangled first cookie is stored. Folded cookies are
    errors. The attributes of constant strings are also checked by FLH401-406.

    ## Example
    ```python
    resp.headers["Set-Cookie"] = "theme=dark; Path=/; Secure"
    ```

    ## Use instead
    ```python
    resp.set_cookie("theme", "dark", secure=True)
    ```

    ## Fix safety
    For a constant ``name=value; Attr...`` written on a known response, the
    fix rewrites it to ``R.set_cookie(...)`` with the same attributes
    (``path=None`` when the string had no Path). It is unsafe:
    ``set_cookie`` adds a cookie where ``headers["Set-Cookie"] = ...``
    replaced all earlier ones, and it may quote the value differently.

    ## References
    - [Werkzeug: Response.set_cookie](https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response.set_cookie)
    - [RFC 6265 §3](https://www.rfc-editor.org/rfc/rfc6265#section-3)
    """

    code = "FLH409"
    name = "manual-set-cookie-header"
    severity = Severity.WARNING
    message = (
        "`Set-Cookie` is built by hand; use `response.set_cookie()` (quoting, validated attributes)"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check_manual(self, manual: ManualCookie) -> None:
        if not _is_string_building(manual.node):
            return
        if manual.parts is not None and folded_cookie_count(manual.parts) > 1:
            self.report(
                manual.node,
                "Several cookies are folded into one `Set-Cookie` header; browsers never split "
                "it — use one `set_cookie()` call per cookie",
                severity=Severity.ERROR,
            )
            return
        self.report(manual.node, fix=self._fix(manual))

    def _fix(self, manual: ManualCookie) -> Any:
        parsed = manual.parsed
        if (
            parsed is None
            or manual.target is None
            or manual.statement is None
            or manual.op not in ("setitem", "add", "set")
            or not isinstance(manual.statement, (cst.Assign, cst.Expr))
            or manual.parts is None
            or any(p is None for p in manual.parts)
            or parsed.name is None
            or parsed.value is None
        ):
            return None
        arguments = _set_cookie_arguments(parsed)
        if arguments is None:
            return None
        call = f"{manual.target}.set_cookie({', '.join(arguments)})"
        return unsafe_fix("Use `set_cookie()`", replace_node(self.ctx, manual.statement, call))


def _set_cookie_arguments(parsed: SetCookie) -> list[str] | None:
    assert parsed.name is not None and parsed.value is not None
    arguments = [py_string(parsed.name), py_string(parsed.value)]
    keywords: dict[str, str] = {"path": "None"}
    for key, value in parsed.attributes.items():
        if value is None:
            return None
        if key == "path":
            keywords["path"] = py_string(value)
        elif key == "domain":
            keywords["domain"] = py_string(value)
        elif key == "max-age" and value.isdigit():
            keywords["max_age"] = value
        elif key == "expires":
            keywords["expires"] = py_string(value)
        elif key in ("secure", "httponly", "partitioned") and value == "":
            keywords[key] = "True"
        elif key == "samesite" and is_valid_samesite(value):
            keywords["samesite"] = py_string(value)
        else:
            return None
    order = (
        "max_age",
        "expires",
        "path",
        "domain",
        "secure",
        "httponly",
        "samesite",
        "partitioned",
    )
    arguments.extend(f"{k}={keywords[k]}" for k in order if k in keywords)
    return arguments


def _is_string_building(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if isinstance(node, cst.BinaryOperation):
        return isinstance(node.operator, (cst.Add, cst.Modulo))
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.attr.value == "format" and isinstance(
            node.func.value, (cst.SimpleString, cst.ConcatenatedString)
        )
    return False


class DeleteCookieMismatch(_CookieRule):
    """## What it does
    Pairs every ``delete_cookie("name", ...)`` with the ``set_cookie("name", ...)``
    calls of the project and reports a deletion whose ``path`` or ``domain``
    differs (and, for cookies that need them, ``secure`` or ``partitioned``).

    ## Why is this bad?
    A cookie is identified by its name, domain and path (RFC 6265 §5.3). A
    deletion with another path or domain creates a second, expired cookie and
    leaves the original in place: "log out" does not log out. ``__Host-``,
    ``__Secure-`` and ``SameSite=None`` cookies can only be deleted by a
    ``Secure`` deletion, and a partitioned cookie only by a partitioned one.
    Names set with different attributes in different places are skipped.

    ## Example
    ```python
    resp.set_cookie("remember", token, path="/app")
    ...
    resp.delete_cookie("remember")
    ```

    ## Use instead
    ```python
    resp.delete_cookie("remember", path="/app")
    ```

    ## Fix safety
    The fix copies the differing keyword arguments from the ``set_cookie``
    call. It is unsafe: the deletion now removes a cookie it used to leave alone.

    ## References
    - [RFC 6265 §5.3: storage model](https://www.rfc-editor.org/rfc/rfc6265#section-5.3)
    """

    code = "FLH410"
    name = "delete-cookie-mismatch"
    severity = Severity.WARNING
    message = (
        "`delete_cookie()` uses a different path/domain than the `set_cookie` that created "
        "it — the browser keeps the cookie"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self, cookie: CookieCall) -> None:
        name = cookie.name
        if cookie.kind != "delete_cookie" or name is None:
            return
        setters = linked_set_cookies(self.model).get(name, [])
        if not setters:
            return
        wanted = _identity(setters[0])
        if wanted is None or any(_identity(s) != wanted for s in setters[1:]):
            return
        have = {param: cookie.effective(param) for param in wanted}
        if any(v is UNKNOWN for v in have.values()):
            return
        differing = [p for p in wanted if have[p] != wanted[p] and p in ("path", "domain")]
        if _needs_secure_deletion(name, setters[0]):
            differing += [p for p in ("secure", "partitioned") if bool(have[p]) != bool(wanted[p])]
        if not differing:
            return
        setter = setters[0]
        wanted_code = {}
        for param in differing:
            source = setter.arg(param)
            wanted_code[param] = (
                setter.model.module.code_for_node(source.value)
                if source is not None
                else repr(wanted[param])
            )
        edits = keyword_edits(self.ctx, cookie, wanted_code)
        fix = (
            unsafe_fix("Delete the cookie with the attributes it was set with", *edits)
            if edits
            else None
        )
        attrs = ", ".join(f"`{p}`" for p in differing)
        self.report(
            cookie.call,
            f"`delete_cookie({name!r})` uses a different {attrs} than the `set_cookie` that "
            "created it — the browser keeps the cookie",
            fix=fix,
        )


def _identity(cookie: CookieCall) -> dict[str, Any] | None:
    identity = {p: cookie.effective(p) for p in ("path", "domain", "secure", "partitioned")}
    if any(v is UNKNOWN for v in identity.values()):
        return None
    return identity


def _needs_secure_deletion(name: str, setter: CookieCall) -> bool:
    samesite = setter.effective("samesite")
    return (
        name.startswith(("__Host-", "__Secure-"))
        or (isinstance(samesite, str) and samesite.lower() == "none")
        or setter.definitely_on("partitioned")
    )


# -- app configuration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Setting:
    value: Any  # constant, UNKNOWN or MISSING
    node: cst.CSTNode | None  # where it is written (None for defaults)
    model: Any = None


@dataclass(eq=False)
class _AppCookieConfig:
    app: Any  # AppInfo
    config: Any  # AppConfig
    talisman: list[Any]  # ExtensionInit of Talisman

    def _config(self, key: str) -> _Setting:
        value = self.config.get(key)  # conditional writes and unknown sources included
        write = self.config.last_write(key)
        if write is None or value is UNKNOWN:
            return _Setting(value, None)
        return _Setting(value, write.value_node or write.node, write.model)

    def effective(self, key: str) -> _Setting:
        """The value the app runs with, Talisman's session-cookie options included."""
        setting = self._config(key)
        if not key.startswith("SESSION_COOKIE_") or not self.talisman:
            return setting
        option = {
            "SESSION_COOKIE_SECURE": "session_cookie_secure",
            "SESSION_COOKIE_HTTPONLY": "session_cookie_http_only",
            "SESSION_COOKIE_SAMESITE": "session_cookie_samesite",
        }.get(key)
        if option is None:
            return setting
        for init in self.talisman:
            # Talisman reads only the options of the call that binds it to the app
            # (``Talisman()`` without an app drops its keyword arguments).
            talisman = talisman_config(init)
            value = talisman.value(option)
            explicit = talisman.explicit.get(option)
            expr = explicit.value_node if explicit is not None else None
            if value is UNKNOWN:
                return _Setting(UNKNOWN, None)
            if key == "SESSION_COOKIE_SAMESITE":
                # Talisman writes SESSION_COOKIE_SAMESITE unconditionally at init.
                return _Setting(value, expr, init.model)
            if value:
                return _Setting(True, expr, init.model)
            if expr is not None and setting.value is MISSING:
                # An explicit ``session_cookie_secure=False``: report it where it is written.
                return _Setting(value, expr, init.model)
        return setting


def _app_configs(rule: Rule) -> list[_AppCookieConfig]:
    project = rule.model.project
    result = []
    for app in project.apps():
        result.append(
            _AppCookieConfig(app, project.config(app), project.extension_inits(app, TALISMAN))
        )
    return result


def _app_configs_touching(rule: Rule) -> list[_AppCookieConfig]:
    """The apps whose cookie findings can land in ``rule.model``.

    Findings are reported where the app is created or where a setting is
    written (config writes, Talisman's binding call); other apps are skipped
    without being checked (this runs once per file, over every app).
    """
    project = rule.model.project
    by_model = project_fact(project, ("cookie-config-models",), lambda: _configs_by_model(rule))
    return by_model.get(id(rule.model), [])


def _configs_by_model(rule: Rule) -> dict[int, list[_AppCookieConfig]]:
    found: dict[int, list[_AppCookieConfig]] = {}
    for app_config in _app_configs(rule):
        models = {id(app_config.app.model)}
        models.update(id(write.model) for write in app_config.config.writes)
        models.update(id(init.model) for init in app_config.talisman)
        for model in models:
            found.setdefault(model, []).append(app_config)
    return found


def _has_views(app: Any) -> bool:
    return project_fact(app.model.project, ("views", id(app)), lambda: app_has_views(app))


_SESSION_USERS = (
    "flask.session",
    "flask.globals.session",
    "flask_login",
    "flask_wtf",
    "flask_session",
    "flask_security",
)


# Session interfaces that may send a cookie without the app's secret key.
_CUSTOM_SESSION_MODULES = ("flask.sessions", "flask_session", "flask_kvsession")


def _never_sends_session(app_config: _AppCookieConfig) -> bool:
    """No secret key anywhere and Flask's own session interface: no session cookie, ever.

    Without ``SECRET_KEY`` Flask opens a ``NullSession``, which is never saved
    (writing to it raises, Flask-Login's ``login_user`` included), so the app
    sends no session cookie whatever its flags.  A key written on an app the
    model cannot trace, in the app's module or in a module importing it
    (``def enable_auth(app=app): app.secret_key = ...``), may be this app's.
    """
    if app_config.effective("SECRET_KEY").value is not MISSING:
        return False  # set, or maybe set (environment, files, unknown objects)
    if _stored_on_an_object(app_config.app):
        return False  # ``self.app = app``: code outside the project may set the key
    model = app_config.app.model
    project = model.project
    for module in project.linked_modules(model):
        unowned = project.unowned_config(module)
        if unowned is None or unowned.last_write("SECRET_KEY") is None:
            continue
        if module is model or _imports_module(module, model.module_name):
            return False  # maybe on this app: ``def setup(app=app): app.secret_key = ...``
    return not project_fact(
        model.project,
        ("custom-session", id(model)),
        # Linked modules only: the answer must not depend on unrelated files in the run.
        lambda: imports_any(model.project.linked_modules(model), _CUSTOM_SESSION_MODULES),
    )


def _stored_on_an_object(app: Any) -> bool:
    """The app is put on an attribute where it is created (``self.app = app``): an object
    that hands it to code outside the project (Locust's web UI, configured by locustfiles)."""
    finder = _AttributeStores(app)
    walk(app.scope if app.scope is not None else app.model.module, finder)
    return finder.found


class _AttributeStores(cst.CSTVisitor):
    def __init__(self, app: Any) -> None:
        self.app = app
        self.found = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.app.scope  # other functions are other scopes

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        app = self.app
        value = node.value
        holds_app = value is app.call or (
            isinstance(value, cst.Name) and app.name is not None and value.value == app.name
        )
        if holds_app and any(isinstance(t.target, cst.Attribute) for t in node.targets):
            self.found = True


def _imports_module(model: Any, module_name: str) -> bool:
    """``model`` imports ``module_name`` or a name from it."""
    if not module_name:
        return False
    prefix = module_name + "."
    return any(
        b.target == module_name or b.target.startswith(prefix) for b in model.index.all_imports
    )


# Flask-Login names that are model classes: importing them uses no session.
_NO_SESSION_NAMES = frozenset(
    {
        "flask_login.UserMixin",
        "flask_login.AnonymousUserMixin",
        "flask_login.mixins.UserMixin",
        "flask_login.mixins.AnonymousUserMixin",
    }
)


def _uses_session(app_model: Any) -> bool:
    """The app's own package uses the session (or an extension that does).

    Importing only Flask-Login's ``UserMixin`` (a user model's base class) does not.
    """
    return project_fact(
        app_model.project,
        ("session-users", package_key(app_model) if app_model.module_name else id(app_model)),
        lambda: any(
            binding.target not in _NO_SESSION_NAMES
            and any(
                binding.target == p or binding.target.startswith(p + ".") for p in _SESSION_USERS
            )
            for module in package_modules(app_model)
            for binding in module.index.imports.values()
        ),
    )


class _LoginUserCalls(cst.CSTVisitor):
    def __init__(self, model: Any) -> None:
        self.model = model
        self.found = False

    def visit_Call(self, node: cst.Call) -> None:
        if self.found:
            return
        name = self.model.qualified_name(node.func, None)
        if name not in ("flask_login.login_user", "flask_login.utils.login_user"):
            return
        remember = None
        for index, arg in enumerate(node.args):
            if arg.star:
                self.found = True
                return
            if (arg.keyword is not None and arg.keyword.value == "remember") or (
                arg.keyword is None and index == 1
            ):
                remember = arg.value
        if remember is None:
            return
        value = self.model.const(remember, None)
        if value is UNKNOWN or value:
            self.found = True


def _uses_remember(models: list[Any]) -> bool:
    for model in models:
        if not any(b.target.startswith("flask_login") for b in model.index.imports.values()):
            continue
        visitor = _LoginUserCalls(model)
        walk(model.module, visitor)
        if visitor.found:
            return True
    return False


class _LineFinder(cst.CSTVisitor):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target
        self.line: cst.SimpleStatementLine | None = None
        self._current: cst.SimpleStatementLine | None = None

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._current = node

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.line is not None:
            return False
        if node is self.target:
            self.line = self._current
            return False
        return super().on_visit(node)


def _assignment_line(module: cst.Module, call: cst.Call) -> cst.SimpleStatementLine | None:
    """The ``name = Flask(...)`` line holding ``call`` (None for other shapes)."""
    finder = _LineFinder(call)
    walk(module, finder)
    line = finder.line
    if line is None or len(line.body) != 1:
        return None
    stmt = line.body[0]
    if isinstance(stmt, cst.Assign) and stmt.value is call and len(stmt.targets) == 1:
        return line
    if isinstance(stmt, cst.AnnAssign) and stmt.value is call:
        return line
    return None


def _add_config_key(rule: Rule, value_node: cst.CSTNode, key: str, code: str) -> Edit | None:
    """Add ``key = code`` next to the config write whose value is ``value_node``."""
    finder = _ParentFinder(value_node)
    walk(rule.model.module, finder)
    parent, line = finder.parent, finder.line
    if isinstance(parent, cst.Arg) and parent.keyword is not None:
        return insert_after_node(rule.ctx, value_node, f", {key}={code}")
    if isinstance(parent, cst.DictElement):
        return insert_after_node(rule.ctx, value_node, f", {py_string(key)}: {code}")
    if line is None or len(line.body) != 1:
        return None
    stmt = line.body[0]
    if isinstance(parent, cst.Assign) and parent is stmt:
        target = stmt.targets[0].target
        if isinstance(target, cst.Subscript):
            owner = rule.ctx.code_for(target.value)
            return insert_statement_after(rule.ctx, line, f"{owner}[{py_string(key)}] = {code}")
        if isinstance(target, cst.Name) and isinstance(finder.scope, cst.ClassDef):
            return insert_statement_after(rule.ctx, line, f"{key} = {code}")
    return None


class _ParentFinder(cst.CSTVisitor):
    def __init__(self, target: cst.CSTNode) -> None:
        self.target = target
        self.stack: list[cst.CSTNode] = []
        self.parent: cst.CSTNode | None = None
        self.line: cst.SimpleStatementLine | None = None
        self.scope: cst.CSTNode | None = None

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.parent is not None:
            return False
        if node is self.target:
            self.parent = self.stack[-1] if self.stack else None
            for ancestor in reversed(self.stack):
                if self.line is None and isinstance(ancestor, cst.SimpleStatementLine):
                    self.line = ancestor
                if isinstance(ancestor, (cst.ClassDef, cst.FunctionDef)):
                    self.scope = ancestor
                    break
            return False
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()
