"""Group E: CORS (FLH501-FLH509)."""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Severity
from flasklint_headers.fixes import (
    delete_statement,
    insert_statement_after,
    replace_node,
    unsafe_fix,
)
from flasklint_headers.model import UNKNOWN
from flasklint_headers.model.cors import CorsConfig, Origin, cors_configs
from flasklint_headers.model.names import variable_names
from flasklint_headers.model.responses import (
    HeaderWrite,
    mapping_writes,
    returned_headers_objects,
)
from flasklint_headers.rules._cookie_support import (
    implicit_header_mappings,
    package_imports_any,
    package_key,
    package_modules,
    project_fact,
    source_mentions,
)
from flasklint_headers.rules.base import Rule
from flasklint_headers.syntax import exclusive_branches, path_to
from flasklint_headers.walk import walk

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
ACAPN = "access-control-allow-private-network"
_VALUE_OPS = frozenset({"setitem", "set", "add", "add_header", "setdefault", "property"})


def _where(config: CorsConfig) -> str:
    return f" (resource `{config.resource}`)" if config.resource else ""


class _CorsConfigRule(Rule):
    """Visits each flask-cors set-up of the file once."""

    def visit_Module(self, node: cst.Module) -> None:
        if self.model.is_test_module():
            return  # a test suite's set-up is never deployed
        by_call: dict[int, list[CorsConfig]] = {}
        for config in cors_configs(self.model):
            by_call.setdefault(id(config.call), []).append(config)
        for configs in by_call.values():
            self.check_call(configs)

    def check_call(self, configs: list[CorsConfig]) -> None:
        """Override: every resource config of one CORS/init_app/cross_origin call."""


class CorsCredentialsAnyOrigin(_CorsConfigRule):
    """## What it does
    Checks flask-cors set-ups (``CORS(app, ...)``, ``init_app``, resources,
    ``CORS_*`` config, ``@cross_origin``) that combine
    ``supports_credentials=True`` with no origin allow-list: origins left at
    the default, ``"*"``, a regex that accepts any origin (``r"https?://.*"``),
    or an allow-list containing ``"null"``.
    Test modules are not checked: their set-ups are never deployed.

    ## Why is this bad?
    With the wildcard and ``send_wildcard=False`` (the default), flask-cors
    answers every request by echoing its ``Origin`` header, and adds
    ``Access-Control-Allow-Credentials: true``. Any website can then read
    authenticated responses of this app with the visitor's cookies. ``null``
    is the Origin of sandboxed iframes and ``data:`` pages, which any attacker
    can create.

    ## Example
    ```python
    CORS(app, supports_credentials=True)
    ```

    ## Use instead
    ```python
    CORS(app, origins=["https://app.example.com"], supports_credentials=True)
    ```

    ## Fix safety
    There is no fix: the allow-list of trusted origins is yours to write.

    ## References
    - [flask-cors: API](https://flask-cors.readthedocs.io/en/latest/api.html)
    - [MDN: Access-Control-Allow-Credentials](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Credentials)
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH501"
    name = "cors-credentials-any-origin"
    severity = Severity.ERROR
    message = (
        "flask-cors with `supports_credentials=True` and no origin allow-list reflects *any* "
        "Origin with `Access-Control-Allow-Credentials: true` — every website can read "
        "authenticated responses"
    )

    def check_call(self, configs: list[CorsConfig]) -> None:
        for config in configs:
            if config.credentials is not True:
                continue
            origins = config.origins()
            if origins is None:
                continue
            if any(o.accepts_any for o in origins):
                # ``"*"`` with send_wildcard=True and credentials makes flask-cors raise at
                # start-up instead of reflecting (an unknown send_wildcard is broken either way).
                if any(o.is_wildcard for o in origins) and config.value("send_wildcard") is True:
                    continue
                self.report(config.call, self.message + _where(config))
                return
            if any(o.is_null for o in origins):
                self.report(
                    config.call,
                    "flask-cors allows the `null` Origin with credentials: sandboxed iframes "
                    "of any website send `Origin: null` and can read authenticated responses"
                    + _where(config),
                )
                return


_END_ANCHORS = ("$", r"\Z", r"\z")
_HOST = re.compile(r"^(?P<scheme>[^/]*//)(?P<host>[^/:$]*)")
_UNESCAPED_DOT = re.compile(r"(?<!\\)\.(?![*+?{])")
_WILD_BEFORE_NAME = re.compile(r"\.[*+](?=[A-Za-z0-9])")
# ``https://*.example.com``: a shell-style star (not a regex repetition of ``.``/``]``/``)``).
_GLOB_STAR = re.compile(r"(?<![.\])\\])\*")


def _parse_regex(pattern: str) -> Any:
    try:
        import re._parser as sre_parse  # Python >= 3.11
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse  # type: ignore[no-redef]
    try:
        return sre_parse.parse(pattern)
    except Exception:  # an invalid pattern never matches in flask-cors
        return None


def _ends_anchored(items: Any) -> bool:
    """True when every way through the parsed pattern ends at ``$``/``\\Z``."""
    if not len(items):
        return False
    op, value = items[-1]
    name = str(op)
    if name == "AT":
        return str(value) in ("AT_END", "AT_END_STRING")
    if name == "SUBPATTERN":
        return _ends_anchored(value[-1])
    if name == "BRANCH":
        return all(_ends_anchored(branch) for branch in value[1])
    return False


def is_end_anchored(pattern: str) -> bool:
    parsed = _parse_regex(pattern)
    if parsed is None:
        return pattern.endswith(_END_ANCHORS)
    return _ends_anchored(parsed)


# ``.*`` / ``.+`` at the very end (before an optional ``$``): any suffix matches.
_WILD_TAIL = re.compile(r"(?<!\\)\.[*+]\$?\Z")


def regex_problems(pattern: str) -> list[str]:
    """Why a flask-cors origin regex accepts more than it should (empty when fine)."""
    if _parse_regex(pattern) is None:
        return []  # flask-cors treats an invalid pattern as "no match"
    problems = []
    if _WILD_TAIL.search(pattern):
        problems.append("tail")  # a ``$`` after it would change nothing
    elif not is_end_anchored(pattern):
        problems.append("end")
    host = _HOST.match(pattern)
    if host and _UNESCAPED_DOT.search(host.group("host")):
        problems.append("dot")
        if _GLOB_STAR.search(host.group("host")):
            problems.append("glob")
    if _WILD_BEFORE_NAME.search(pattern):
        problems.append("boundary")
    return problems


def tightened(pattern: str, raw: bool) -> str:
    """The pattern with its host dots escaped and a trailing ``$`` (source text)."""
    host = _HOST.match(pattern)
    if host:
        escaped = _UNESCAPED_DOT.sub(r"\\\\." if not raw else r"\\.", host.group("host"))
        pattern = host.group("scheme") + escaped + pattern[host.end() :]
    if not pattern.endswith(_END_ANCHORS):
        pattern += "$"
    return pattern


class CorsRegexOriginUnanchored(_CorsConfigRule):
    """## What it does
    Checks flask-cors origins that flask-cors treats as regular expressions
    (``re.compile(...)``, or a string containing one of ``*\\]?$^[()``) for
    patterns that accept look-alike origins: no trailing ``$``, an unescaped
    ``.`` in the host name, ``.*``/``.+`` directly before a name
    (``https://.*example\\.com`` also matches ``https://evilexample.com``), or
    ``.*``/``.+`` at the end (any suffix matches, ``$`` or not).
    Test modules are not checked: their set-ups are never deployed.

    ## Why is this bad?
    flask-cors tests origin patterns with ``re.match``, which anchors at the
    start only: ``https://app\\.example\\.com`` also accepts
    ``https://app.example.com.evil.net``, a domain anyone can register. An
    unescaped dot matches any character. The finding is an error when the
    set-up also allows credentials.

    ## Example
    ```python
    CORS(app, origins=[r"https://.*\\.example\\.com"], supports_credentials=True)
    ```

    ## Use instead
    ```python
    CORS(app, origins=[r"https://[a-z0-9-]+\\.example\\.com$"], supports_credentials=True)
    ```

    ## Fix safety
    For a string literal, the fix escapes the dots of the host name and
    appends ``$``. It is unsafe: it tightens matching, so an origin that was
    (wrongly) accepted is rejected afterwards.

    ## References
    - [flask-cors: origins](https://flask-cors.readthedocs.io/en/latest/api.html)
    - [Python: re.match](https://docs.python.org/3/library/re.html#re.match)
    """

    code = "FLH502"
    name = "cors-regex-origin-unanchored"
    severity = Severity.WARNING
    message = (
        "flask-cors matches regex origins with `re.match` (start-anchored only): the pattern "
        "also accepts look-alike origins. End the pattern with `$` and escape dots"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check_call(self, configs: list[CorsConfig]) -> None:
        seen: set[int] = set()
        for config in configs:
            for origin in config.origins() or []:
                if id(origin.node) in seen or origin.node is None:
                    continue
                if not origin.is_regex or origin.accepts_any or origin.text is None:
                    continue
                problems = regex_problems(origin.text)
                if not problems:
                    continue
                seen.add(id(origin.node))
                # A pattern defined in another module is reported where it is used.
                here = origin.model is self.model
                self.report(
                    origin.node if here else config.call,
                    self._message(origin.text, problems),
                    fix=self._fix(origin, problems) if here else None,
                    severity=Severity.ERROR if config.credentials is True else None,
                )

    def _message(self, pattern: str, problems: list[str]) -> str:
        reasons = {
            "end": "has no trailing `$` (flask-cors uses `re.match`, start-anchored only)",
            "tail": "ends in a wildcard, so any suffix matches (`example.com.evil.net`)",
            "dot": "has an unescaped `.` in the host name (it matches any character)",
            "boundary": "has `.*`/`.+` right before a name, so `evil` + that name matches",
            "glob": "uses `*` like a shell wildcard (in a regex it repeats the character before)",
        }
        details = "; ".join(reasons[p] for p in problems)
        return f"flask-cors origin regex `{pattern}` {details}: it accepts look-alike origins"

    def _fix(self, origin: Origin, problems: list[str]) -> Any:
        node = origin.node
        if not isinstance(node, cst.SimpleString) or {"boundary", "tail"} & set(problems):
            return None
        text = origin.text or ""
        if "glob" in problems or ("end" in problems and ("|" in text or text.endswith(")"))):
            return None  # a shell-style star, alternatives or groups: needs a human
        prefix = node.prefix.lower()
        if "b" in prefix or (node.quote * 2 in node.value and len(node.quote) == 1):
            return None
        raw = "r" in prefix
        body = node.raw_value
        if not raw and "\\" in body:
            return None
        new = f"{node.prefix}{node.quote}{tightened(body, raw)}{node.quote}"
        return unsafe_fix(
            "Escape the host's dots and anchor the pattern with `$`",
            replace_node(self.ctx, node, new),
        )


_SESSION_MODULES = ("flask.session", "flask.globals.session", "flask_session")
_AUTH_EXTENSIONS = (
    "flask_login",
    "flask_jwt_extended",
    "flask_httpauth",
    "flask_security",
    "flask_praetorian",
)
# What puts an auth extension to use: its decorators (``@login_required``,
# ``@auth.verify_password``, ``@login_manager.user_loader``), the functions that
# read or start a login, and the extensions that install login views themselves.
_AUTH_USES = frozenset(
    {
        "login_required",
        "fresh_login_required",
        "login_user",
        "current_user",
        "user_loader",
        "request_loader",
        "jwt_required",
        "jwt_optional",
        "fresh_jwt_required",
        "verify_jwt_in_request",
        "get_jwt",
        "get_jwt_identity",
        "create_access_token",
        "verify_password",
        "verify_token",
        "get_password",
        "auth_required",
        "roles_required",
        "roles_accepted",
        "permissions_required",
        "permissions_accepted",
        "http_auth_required",
        "auth_token_required",
        "Security",
        "Praetorian",
    }
)


def _has_authentication(model: Any) -> bool:
    """The package of ``model`` authenticates users: it uses the session, or uses
    (not just imports) a login or token extension.

    ``auth = HTTPBasicAuth()`` that no view ever requires protects nothing.
    """
    if package_imports_any(model, _SESSION_MODULES):
        return True
    if not package_imports_any(model, _AUTH_EXTENSIONS):
        return False
    modules = package_modules(model)
    if len(modules) == 1:
        return _uses_auth_extension(modules[0])
    return project_fact(
        model.project,
        ("auth-used", package_key(model)),
        lambda: any(_uses_auth_extension(m) for m in modules),
    )


def _uses_auth_extension(model: Any) -> bool:
    for binding in model.index.all_imports:
        module, _, name = binding.target.rpartition(".")
        if name in _AUTH_USES and module.split(".")[0] in _AUTH_EXTENSIONS:
            return True
    for scope in model.index.scopes:
        if not isinstance(scope.node, cst.FunctionDef):
            continue
        for decorator in scope.node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            name = expr.attr if isinstance(expr, cst.Attribute) else expr
            if isinstance(name, cst.Name) and name.value in _AUTH_USES:
                return True
    return False


class CorsAnyOrigin(_CorsConfigRule):
    """## What it does
    Checks flask-cors set-ups that allow every origin (the default
    ``origins="*"``) without credentials, in projects that authenticate users:
    they use ``flask.session`` or Flask-Session, or put a login or token
    extension (Flask-Login, Flask-JWT-Extended, Flask-HTTPAuth,
    Flask-Security, Flask-Praetorian) to use with its decorators
    (``@login_required``, ``@auth.verify_password``…), ``login_user``,
    ``current_user`` or the like. An extension that is imported and set up but
    never used protects nothing and does not count.

    ## Why is this bad?
    ``CORS(app)`` opens every route (default ``resources=r"/*"``) to every
    website. Without credentials the browser does not attach cookies, but
    anything readable without them (including endpoints that authenticate
    with a bearer token the page holds, or that trust the network) is exposed.
    ``*`` is meant for public, unauthenticated APIs; elsewhere list the
    origins or limit ``resources`` to the public part. ``CORS(blueprint)``
    is limited to that blueprint's routes and is not reported.

    ## Example
    ```python
    CORS(app)
    ```

    ## Use instead
    ```python
    CORS(app, resources={r"/api/public/*": {"origins": "*"}})
    ```

    ## Fix safety
    There is no fix: which routes are public is yours to decide.

    ## References
    - [flask-cors: resources](https://flask-cors.readthedocs.io/en/latest/api.html)
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH503"
    name = "cors-any-origin"
    severity = Severity.INFO
    message = (
        "flask-cors allows every origin on every route (`CORS(app)` defaults to "
        "`origins='*'`, `resources=r'/*'`)"
    )

    def check_call(self, configs: list[CorsConfig]) -> None:
        for config in configs:
            if config.credentials is not False or not config.reflects_any_origin:
                continue
            if config.kind == "blueprint":
                continue  # scoped to one blueprint's routes: the limiting this rule asks for
            if self.model.is_test_module() or not _has_authentication(self.model):
                return
            where = f"on `{config.resource}`" if config.resource else "on every route"
            self.report(
                config.call,
                f"flask-cors allows every origin {where} of an app that authenticates users; "
                "list the trusted origins or limit `resources` to public routes",
            )
            return


class CorsPrivateNetwork(_CorsConfigRule):
    """## What it does
    Checks for flask-cors ``allow_private_network=True`` (keyword, resource,
    ``CORS_ALLOW_PRIVATE_NETWORK``) and for responses that set
    ``Access-Control-Allow-Private-Network: true`` by hand.
    Test modules are not checked: their set-ups are never deployed.

    ## Why is this bad?
    Browsers send a Private-Network-Access preflight before a public website
    may call a server on a private network (an intranet service, a router,
    ``localhost``). Answering it with ``true`` opts this internal service in
    to requests from any allowed public origin. The default is False.

    ## Example
    ```python
    CORS(app, allow_private_network=True)
    ```

    ## Use instead
    ```python
    CORS(app)
    ```

    ## Fix safety
    The fix removes the keyword argument or the header write. It is unsafe:
    public pages that relied on reaching the service stop working.

    ## References
    - [Private Network Access](https://wicg.github.io/private-network-access/)
    - [flask-cors: allow_private_network](https://flask-cors.readthedocs.io/en/latest/api.html)
    """

    code = "FLH509"
    name = "cors-private-network"
    severity = Severity.WARNING
    message = (
        "`allow_private_network=True` answers Private-Network-Access preflights: public "
        "websites can reach this internal service"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check_call(self, configs: list[CorsConfig]) -> None:
        seen: set[int] = set()
        for config in configs:
            option = config.option("allow_private_network")
            if option.value is not True or option.node is None or option.model is not self.model:
                continue
            if id(option.node) in seen:
                continue
            seen.add(id(option.node))
            fix = None
            if option.arg is not None:
                edit = _remove_keyword(self, config.call, option.arg)
                fix = unsafe_fix("Remove `allow_private_network=True`", edit) if edit else None
            self.report(option.node, fix=fix)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for write in _writes(self, node, ACAPN):
            value = self.model.const(write.value_node, node) if write.value_node else UNKNOWN
            if not (isinstance(value, str) and value.strip().lower() == "true"):
                continue
            fix = None
            if len(write.line.body) == 1 and _block_keeps_statements(node, write.line):
                fix = unsafe_fix("Remove the header write", delete_statement(self.ctx, write.line))
            self.report(
                write.node,
                "`Access-Control-Allow-Private-Network: true` answers Private-Network-Access "
                "preflights: public websites can reach this internal service",
                fix=fix,
            )


def _remove_keyword(rule: Rule, call: cst.Call, arg: cst.Arg) -> Edit | None:
    args = list(call.args)
    if arg not in args:
        return None
    index = args.index(arg)
    if index == 0:
        return None
    start = rule.ctx.span(args[index - 1].value)[1]
    end = rule.ctx.span(arg.value)[1]
    return Edit(start, end, "")


def _block_keeps_statements(func: cst.FunctionDef, line: cst.SimpleStatementLine) -> bool:
    """Deleting ``line`` leaves its block non-empty."""
    finder = _BlockFinder(line)
    walk(func, finder)
    return finder.block_size > 1


class _BlockFinder(cst.CSTVisitor):
    def __init__(self, line: cst.SimpleStatementLine) -> None:
        self.line = line
        self.block_size = 0

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if any(stmt is self.line for stmt in node.body):
            self.block_size = len(node.body)


# -- hand-written CORS headers -------------------------------------------------------------------
def _writes(rule: Rule, func: cst.FunctionDef, header: str) -> Iterator[HeaderWrite]:
    for write in _all_writes(rule, func):
        if write.header_lower == header and write.op in _VALUE_OPS:
            yield write


def _all_writes(rule: Rule, func: cst.FunctionDef) -> list[HeaderWrite]:
    """Writes on the function's responses, and into the ``Headers()`` objects it returns
    for a response (``model.responses.returned_headers_objects``)."""
    key = ("cors-writes", id(func))
    found = rule.ctx.shared.get(key)
    if found is None:
        found = list(rule.model.responses_in(func).writes)
        for name in returned_headers_objects(rule.model, func):
            found += mapping_writes(rule.model, func, name)
        rule.ctx.shared[key] = found
    return found


def _on_headers_object(rule: Rule, func: cst.FunctionDef, write: HeaderWrite) -> bool:
    return write not in rule.model.responses_in(func).writes


def _is_request(rule: Rule, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
    return rule.model.qualified_name(expr, func) == "flask.request"


def _is_origin_read(rule: Rule, expr: cst.BaseExpression, func: cst.FunctionDef) -> bool:
    """``request.origin``, ``request.headers.get("Origin")``, ``request.environ[...]``, ..."""
    if isinstance(expr, cst.Attribute):
        return expr.attr.value in ("origin", "referrer") and _is_request(rule, expr.value, func)
    container: cst.BaseExpression | None = None
    key: cst.BaseExpression | None = None
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        if isinstance(index, cst.Index):
            container, key = expr.value, index.value
    elif (
        isinstance(expr, cst.Call)
        and isinstance(expr.func, cst.Attribute)
        and expr.func.attr.value == "get"
        and expr.args
    ):
        container, key = expr.func.value, expr.args[0].value
    if container is None or key is None or not isinstance(container, cst.Attribute):
        return False
    if container.attr.value not in ("headers", "environ") or not _is_request(
        rule, container.value, func
    ):
        return False
    name = rule.model.const_str(key, func)
    return name is not None and name.lower() in ("origin", "http_origin", "referer", "http_referer")


class _OriginUses(cst.CSTVisitor):
    """Finds reads of the request origin inside an expression."""

    def __init__(self, rule: Rule, func: cst.FunctionDef, names: set[str]) -> None:
        self.rule = rule
        self.func = func
        self.names = names
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found:
            return False
        if isinstance(node, cst.Name) and node.value in self.names:
            self.found = True
            return False
        if isinstance(node, cst.BaseExpression) and _is_origin_read(self.rule, node, self.func):
            self.found = True
            return False
        return True


def _origin_names(rule: Rule, func: cst.FunctionDef) -> set[str]:
    """Local names assigned (only) from the request origin."""
    names: set[str] = set()
    scope = rule.model.scope_of_function(func)
    for name, values in scope.bindings.items():
        exprs = [v for v in values if isinstance(v, cst.BaseExpression)]
        if exprs and len(exprs) == len(values):
            for expr in exprs:
                visitor = _OriginUses(rule, func, set())
                walk(expr, visitor)
                if visitor.found:
                    names.add(name)
                    break
    return names


def _mentions_origin(rule: Rule, expr: cst.CSTNode, func: cst.FunctionDef, names: set[str]) -> bool:
    visitor = _OriginUses(rule, func, names)
    walk(expr, visitor)
    return visitor.found


@dataclass
class OriginChecks:
    strong: bool = False  # exact comparison, set/dict lookup, a helper call
    weak: list[tuple[cst.CSTNode, str]] | None = None  # (node, description)


class _CheckFinder(cst.CSTVisitor):
    """How the function tests the request origin before using it."""

    def __init__(self, rule: Rule, func: cst.FunctionDef, names: set[str]) -> None:
        self.rule = rule
        self.func = func
        self.names = names
        self.result = OriginChecks(weak=[])

    def _origin(self, node: cst.CSTNode) -> bool:
        return _mentions_origin(self.rule, node, self.func, self.names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.func

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = node.left
        for target in node.comparisons:
            op, right = target.operator, target.comparator
            if isinstance(op, (cst.In, cst.NotIn)) and self._origin(left):
                text = self.rule.model.const(right, self.func)
                if isinstance(text, str):
                    self.result.weak.append((node, f"`in {text!r}` (a substring test)"))  # type: ignore[union-attr]
                else:
                    self.result.strong = True
            elif isinstance(op, (cst.Equal, cst.NotEqual, cst.Is, cst.IsNot)) and (
                self._origin(left) or self._origin(right)
            ):
                self.result.strong = True
            left = right

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("startswith", "endswith"):
            if self._origin(func.value):
                weak = self._weak_affix(func.attr.value, node)
                if weak:
                    self.result.weak.append((node, weak))  # type: ignore[union-attr]
                else:
                    self.result.strong = True
            return
        if not any(self._origin(arg.value) for arg in node.args):
            return
        name = self.rule.model.qualified_name(func, self.func)
        if name in ("re.match", "re.search") and node.args:
            pattern = self.rule.model.const_str(node.args[0].value, self.func)
            if pattern is not None and not pattern.endswith(("$", r"\Z")):
                self.result.weak.append((node, f"`{name}` without an end anchor"))  # type: ignore[union-attr]
                return
        if name in ("urllib.parse.urlparse", "urllib.parse.urlsplit"):
            return  # parsing only; the test on its result is what counts
        if isinstance(func, cst.Attribute) and self._is_write_target(func):
            return
        if _is_passive_call(func) or self.rule.model.is_response_expr(node, self.func):
            return
        self.result.strong = True  # a helper or lookup decides; trust it

    @staticmethod
    def _is_write_target(func: cst.Attribute) -> bool:
        return isinstance(func.value, cst.Attribute) and func.value.attr.value == "headers"

    def _weak_affix(self, method: str, call: cst.Call) -> str | None:
        if not call.args:
            return None
        affix = self.rule.model.const(call.args[0].value, self.func)
        values = affix if isinstance(affix, tuple) else (affix,)
        if not all(isinstance(v, str) for v in values):
            return None
        if method == "startswith":
            return f"`startswith({affix!r})` (`{values[0]}.evil.net` passes)"
        bad = [v for v in values if not v.startswith((".", "//"))]
        if bad:
            return f"`endswith({bad[0]!r})` without a leading dot (`evil{bad[0]}` passes)"
        return None


_PASSIVE_FUNCTIONS = frozenset({"print", "str", "len", "repr"})
_PASSIVE_METHODS = frozenset({"debug", "info", "warning", "error", "exception", "format", "strip"})


def _is_passive_call(func: cst.BaseExpression) -> bool:
    """Calls that use the origin without deciding anything about it (logging, formatting)."""
    if isinstance(func, cst.Name):
        return func.value in _PASSIVE_FUNCTIONS
    return isinstance(func, cst.Attribute) and func.attr.value in _PASSIVE_METHODS


def origin_checks(rule: Rule, func: cst.FunctionDef, names: set[str]) -> OriginChecks:
    finder = _CheckFinder(rule, func, names)
    walk(func.body, finder)
    return finder.result


def _credentials_on(
    rule: Rule, func: cst.FunctionDef, target: str | None, line: cst.CSTNode | None = None
) -> bool:
    """``Access-Control-Allow-Credentials: true`` written on ``target`` in ``func`` (on a
    path that can also run ``line``, when given)."""
    for write in _writes(rule, func, ACAC):
        if target is not None and write.target != target:
            continue
        if line is not None and exclusive_branches(func, line, write.line):
            continue
        value = rule.model.const(write.value_node, func) if write.value_node else UNKNOWN
        if value is True or (isinstance(value, str) and value.strip().lower() == "true"):
            return True
    return False


@dataclass(frozen=True)
class AcaoWrite:
    value: cst.BaseExpression
    node: cst.CSTNode  # to report on
    target: str | None  # response name (None for tuple headers)
    write: HeaderWrite | None
    mapping: cst.Dict | None = None  # the headers dict literal it is part of


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _credentials_for(rule: Rule, func: cst.FunctionDef, write: AcaoWrite) -> bool:
    """``Access-Control-Allow-Credentials: true`` on the same response (or headers dict)."""
    if write.mapping is None:
        line = write.write.line if write.write is not None else None
        return _credentials_on(rule, func, write.target, line)
    for element in write.mapping.elements:
        if isinstance(element, cst.DictElement):
            key = rule.model.const_str(element.key, func)
            if key is not None and key.lower() == ACAC:
                return _is_true(rule.model.const(element.value, func))
    return False


def _acao_writes(rule: Rule, func: cst.FunctionDef) -> Iterator[AcaoWrite]:
    for write in _writes(rule, func, ACAO):
        if write.value_node is not None:
            yield AcaoWrite(write.value_node, write.node, write.target, write)
    mappings = [
        rule.model.return_parts(r, func).headers for r in rule.model.scope_of_function(func).returns
    ]
    mappings += implicit_header_mappings(rule.model, func)
    seen: set[int] = set()  # one dict may be returned or passed more than once
    for headers in mappings:
        if isinstance(headers, cst.Name):
            headers = rule.model.single_assigned_value(headers.value, func) or headers
        if isinstance(headers, cst.Dict) and id(headers) not in seen:
            seen.add(id(headers))
            for element in headers.elements:
                if isinstance(element, cst.DictElement):
                    key = rule.model.const_str(element.key, func)
                    if key is not None and key.lower() == ACAO:
                        yield AcaoWrite(element.value, element, None, None, headers)


_ACAO_WRITES: weakref.WeakKeyDictionary[Any, dict[cst.FunctionDef, list[AcaoWrite]]] = (
    weakref.WeakKeyDictionary()
)


def _mentions_acao(text: str) -> bool:
    """Cheap per-file gate: the header name (or flask-cors' constant) appears in the source."""
    return source_mentions(text, ("allow-origin", "acl_origin", "allow_origin"))


class _AcaoRule(Rule):
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        per_model = _ACAO_WRITES.setdefault(self.model, {})
        writes = per_model.get(node)
        if writes is None:
            writes = list(_acao_writes(self, node)) if _mentions_acao(self.ctx.source.text) else []
            per_model[node] = writes
        if writes:
            self.check(node, writes)

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        """Override."""


class CorsOriginReflected(_AcaoRule):
    """## What it does
    Checks for ``Access-Control-Allow-Origin`` written from the request's
    ``Origin`` (``request.headers.get("Origin")``, ``request.origin``,
    ``request.environ["HTTP_ORIGIN"]``, ``request.referrer``) in a function
    that never compares it with an allow-list (``in ALLOWED``, ``==``, a
    lookup or a helper call). Writes into a `werkzeug.datastructures.Headers()`
    object that the function returns (for a response to `extend` or return)
    count like writes on a response.

    ## Why is this bad?
    Echoing the Origin grants every website cross-origin read access. With
    ``Access-Control-Allow-Credentials: true`` on the same response (an
    error), any page can read the visitor's authenticated data.

    ## Example
    ```python
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin")
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    ```

    ## Use instead
    ```python
    origin = request.headers.get("Origin")
    if origin in ALLOWED_ORIGINS:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.vary.add("Origin")
    ```

    ## Fix safety
    There is no fix: the allow-list is yours to write.

    ## References
    - [MDN: Access-Control-Allow-Origin](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin)
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH504"
    name = "cors-origin-reflected"
    severity = Severity.WARNING
    message = (
        "`Access-Control-Allow-Origin` is copied from the request's Origin without an "
        "allow-list check"
    )

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        names = _origin_names(self, func)
        reflected = [w for w in writes if _mentions_origin(self, w.value, func, names)]
        if not reflected:
            return
        checks = origin_checks(self, func, names)
        if checks.strong or checks.weak:
            return
        for write in reflected:
            credentials = _credentials_for(self, func, write)
            message = self.message
            if credentials:
                message += (
                    " — with `Access-Control-Allow-Credentials: true`, every website can read "
                    "authenticated responses"
                )
            self.report(write.node, message, severity=Severity.ERROR if credentials else None)


class CorsWildcardWithCredentials(_AcaoRule):
    """## What it does
    Checks for responses that set ``Access-Control-Allow-Origin: *`` together
    with ``Access-Control-Allow-Credentials: true``. Writes in the two branches
    of one ``if`` (``*`` only in the ``else``) never meet and are not reported.

    ## Why is this bad?
    Browsers refuse credentialed responses whose allowed origin is the
    wildcard, so the cross-origin call fails. The usual "fix" found online is
    to echo the request's Origin instead, which opens the API to every
    website; list the trusted origins instead.

    ## Example
    ```python
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    ```

    ## Use instead
    ```python
    if request.origin in ALLOWED_ORIGINS:
        resp.headers["Access-Control-Allow-Origin"] = request.origin
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.vary.add("Origin")
    ```

    ## Fix safety
    There is no fix: the allow-list is yours to write.

    ## References
    - [MDN: CORS and credentials](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards)
    """

    code = "FLH505"
    name = "cors-wildcard-with-credentials"
    severity = Severity.WARNING
    message = (
        "`Access-Control-Allow-Origin: *` with `Access-Control-Allow-Credentials: true` is "
        "rejected by browsers (and is often 'fixed' by reflecting the Origin — don't)"
    )

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        for write in writes:
            if write.target is None and write.mapping is None:
                continue
            if self.model.const(write.value, func) == "*" and _credentials_for(self, func, write):
                self.report(write.node)


class CorsInvalidOriginValue(_AcaoRule):
    """## What it does
    Checks ``Access-Control-Allow-Origin`` values that browsers cannot use
    safely: ``null``, several origins (a list, or a string with commas or
    spaces), and flask-cors allow-lists containing ``"null"``.

    ## Why is this bad?
    The header takes ``*`` or exactly one origin; a list makes the browser
    reject the response. ``null`` is the Origin of sandboxed iframes and
    ``data:`` documents, which any website can create, so allowing it allows
    everyone.

    ## Example
    ```python
    resp.headers["Access-Control-Allow-Origin"] = "https://a.example, https://b.example"
    ```

    ## Use instead
    ```python
    if request.origin in {"https://a.example", "https://b.example"}:
        resp.headers["Access-Control-Allow-Origin"] = request.origin
        resp.vary.add("Origin")
    ```

    ## Fix safety
    There is no fix.

    ## References
    - [MDN: Access-Control-Allow-Origin](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin)
    """

    code = "FLH506"
    name = "cors-invalid-origin-value"
    severity = Severity.WARNING
    message = (
        "`Access-Control-Allow-Origin` must be `*` or a single origin; `null` is exploitable "
        "(sandboxed iframes send `Origin: null`)"
    )

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        for write in writes:
            if isinstance(write.value, (cst.List, cst.Tuple)):
                self.report(
                    write.node,
                    "`Access-Control-Allow-Origin` takes one origin; a list of origins is invalid",
                )
                continue
            value = self.model.const(write.value, func)
            if not isinstance(value, str):
                continue
            text = value.strip()
            if text.lower() == "null":
                self.report(write.node)
            elif "," in text or " " in text:
                self.report(
                    write.node,
                    "`Access-Control-Allow-Origin` takes one origin; a list of origins is invalid "
                    "and browsers reject the response",
                )

    def visit_Module(self, node: cst.Module) -> None:
        seen: set[int] = set()
        for config in cors_configs(self.model):
            if config.credentials is not False:
                continue  # with credentials (or unknown) FLH501 covers it
            for origin in config.origins() or []:
                if (
                    origin.is_null
                    and origin.node is not None
                    and origin.model is self.model
                    and id(origin.node) not in seen
                ):
                    seen.add(id(origin.node))
                    self.report(
                        origin.node,
                        "flask-cors allows the `null` Origin: sandboxed iframes of any "
                        "website send `Origin: null`",
                    )


def _varies_on_origin(rule: Rule, func: cst.FunctionDef, target: str) -> bool:
    """A ``Vary`` naming Origin (or unknown) on ``target`` that does not only answer
    preflights (datagrepper adds it under ``if request.method == "OPTIONS"`` only)."""
    for write in _all_writes(rule, func):
        if write.target != target or write.header_lower != "vary":
            continue
        if _only_on_preflight(rule, func, write.line):
            continue
        value = rule.model.const(write.value_node, func) if write.value_node else UNKNOWN
        if value is UNKNOWN or (isinstance(value, str) and "origin" in value.lower()):
            return True
    return False


class CorsDynamicOriginWithoutVary(_AcaoRule):
    """## What it does
    Checks for a non-constant ``Access-Control-Allow-Origin`` written on a
    response that never gets ``Vary: Origin`` in the same function. A value
    read only from outside the function and not from the request (a
    decorator's argument, a module constant, ``current_app.config[...]``) is
    the same for every request and is not reported. A value written into a
    `Headers()` object that the function returns is reported too, without a
    fix. A write that runs only for ``OPTIONS`` requests (inside
    ``if request.method == "OPTIONS":``, or after
    ``if request.method != "OPTIONS": return ...``) is left alone: responses to
    CORS preflights are not cacheable, and browsers key their preflight cache
    by origin. For the same reason a ``Vary: Origin`` written only for
    preflights does not count.

    ## Why is this bad?
    When the allowed origin depends on the request, a shared cache (CDN,
    proxy, the browser's own cache) must know that the response varies with
    ``Origin``; otherwise it serves one origin's CORS grant to another site,
    breaking it or widening access. flask-cors adds ``Vary: Origin`` itself,
    but it leaves a response alone when the view already set the header.

    ## Example
    ```python
    if request.origin in ALLOWED:
        resp.headers["Access-Control-Allow-Origin"] = request.origin
    ```

    ## Use instead
    ```python
    if request.origin in ALLOWED:
        resp.headers["Access-Control-Allow-Origin"] = request.origin
        resp.vary.add("Origin")
    ```

    ## Fix safety
    The fix inserts ``R.vary.add("Origin")`` after the write. It is unsafe:
    it adds a response header (and changes how caches store the response).

    ## References
    - [MDN: Vary and CORS](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin#cors_and_caching)
    """

    code = "FLH507"
    name = "cors-dynamic-origin-without-vary"
    severity = Severity.WARNING
    message = (
        "Dynamic `Access-Control-Allow-Origin` without `Vary: Origin` lets shared caches serve "
        "one origin's CORS grant to another"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        for write in writes:
            if write.target is None or write.write is None:
                continue
            if self.model.const(write.value, func) is not UNKNOWN:
                continue
            if _fixed_per_process(self.model, func, write.value):
                continue
            if _varies_on_origin(self, func, write.target):
                continue
            if _only_on_preflight(self, func, write.write.line):
                continue
            if _on_headers_object(self, func, write.write):
                self.report(write.node)  # a ``Headers`` object has no ``vary``: no fix
                continue
            fix = unsafe_fix(
                "Add `Vary: Origin`",
                insert_statement_after(
                    self.ctx, write.write.line, f'{write.target}.vary.add("Origin")'
                ),
            )
            self.report(write.node, fix=fix)


def _only_on_preflight(rule: Rule, func: cst.FunctionDef, line: cst.SimpleStatementLine) -> bool:
    """``line`` runs only for ``OPTIONS`` requests (CORS preflights).

    Responses to OPTIONS are not cacheable (RFC 9110, 9.3.7) and browsers key
    their preflight cache by origin, so ``Vary: Origin`` protects nothing there.
    """
    return any(
        _means_options(rule, func, test, holds) for test, holds in _conditions_at(func, line)
    )


def _conditions_at(
    func: cst.FunctionDef, line: cst.CSTNode
) -> list[tuple[cst.BaseExpression, bool]]:
    """``(test, holds)`` for every ``if`` that decides whether ``line`` runs: the
    enclosing branches, and earlier ``if test: ... return`` exits in its blocks."""
    path = path_to(func, line)
    conditions: list[tuple[cst.BaseExpression, bool]] = []
    for parent, child in itertools.pairwise(path):
        if isinstance(parent, cst.If):
            if child is parent.body:
                conditions.append((parent.test, True))
            elif child is parent.orelse:
                conditions.append((parent.test, False))
        elif isinstance(parent, cst.IndentedBlock):
            for statement in parent.body:
                if statement is child:
                    break
                exits = isinstance(statement, cst.If) and statement.orelse is None
                if exits and _always_leaves(statement.body):
                    conditions.append((statement.test, False))
    return conditions


def _always_leaves(block: cst.BaseSuite) -> bool:
    """The block ends with ``return`` or ``raise``."""
    last = block.body[-1] if block.body else None
    if isinstance(last, cst.SimpleStatementLine) and last.body:
        return isinstance(last.body[-1], (cst.Return, cst.Raise))
    if isinstance(block, cst.SimpleStatementSuite) and block.body:
        return isinstance(block.body[-1], (cst.Return, cst.Raise))
    return False


def _means_options(
    rule: Rule, func: cst.FunctionDef, test: cst.BaseExpression, holds: bool
) -> bool:
    """``test`` being ``holds`` implies the request method is ``OPTIONS``."""
    if isinstance(test, cst.BooleanOperation):
        # ``a and b`` true: both hold; ``a or b`` false: neither holds.
        if isinstance(test.operator, cst.And if holds else cst.Or):
            return _means_options(rule, func, test.left, holds) or _means_options(
                rule, func, test.right, holds
            )
        return False
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _means_options(rule, func, test.expression, not holds)
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if isinstance(target.operator, (cst.Equal, cst.In)):
        positive = True
    elif isinstance(target.operator, (cst.NotEqual, cst.NotIn)):
        positive = False
    else:
        return False
    if positive != holds:
        return False
    left, right = test.left, target.comparator
    if isinstance(target.operator, (cst.Equal, cst.NotEqual)) and _is_method(rule, func, right):
        left, right = right, left
    return _is_method(rule, func, left) and _only_options(rule, func, right)


def _is_method(rule: Rule, func: cst.FunctionDef, expr: cst.BaseExpression) -> bool:
    """``request.method`` (of any request object), ``environ["REQUEST_METHOD"]`` or
    ``environ.get("REQUEST_METHOD")``, optionally ``.upper()``-ed."""
    upper = _method_call(expr, "upper")
    if upper is not None and not upper.args:
        expr = upper.receiver
    if isinstance(expr, cst.Attribute):
        return expr.attr.value == "method"
    key: cst.BaseExpression | None = None
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1:
        index = expr.slice[0].slice
        key = index.value if isinstance(index, cst.Index) else None
    elif (get := _method_call(expr, "get")) is not None and get.args:
        key = get.args[0].value
    return key is not None and rule.model.const_str(key, func) == "REQUEST_METHOD"


class _MethodCall(NamedTuple):
    receiver: cst.BaseExpression
    args: Sequence[cst.Arg]


def _method_call(expr: cst.BaseExpression, method: str) -> _MethodCall | None:
    """``<receiver>.<method>(<args>)``, or None."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Attribute):
        return None
    if expr.func.attr.value != method:
        return None
    return _MethodCall(expr.func.value, expr.args)


def _only_options(rule: Rule, func: cst.FunctionDef, expr: cst.BaseExpression) -> bool:
    """``"OPTIONS"`` (or ``http.HTTPMethod.OPTIONS``), or a tuple/list/set literal holding
    only that."""
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        values = [e.value for e in expr.elements if isinstance(e, cst.Element)]
        if not values or len(values) != len(expr.elements):
            return False
        return all(_only_options(rule, func, value) for value in values)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "value":
        expr = expr.value  # ``HTTPMethod.OPTIONS.value``
    if rule.model.qualified_name(expr, func) == "http.HTTPMethod.OPTIONS":
        return True
    return rule.model.const_str(expr, func) == "OPTIONS"


# Names whose value belongs to the current request.
_PER_REQUEST = ("flask.request", "flask.session", "flask.g", "flask.globals.")


def _fixed_per_process(model: Any, func: cst.FunctionDef, value: cst.BaseExpression) -> bool:
    """``value`` reads only names bound outside ``func`` that are not the request.

    A decorator's parameter (``crossdomain(origin=...)``), a module constant
    read from the environment or ``current_app.config[...]`` is one value for
    every request: caches cannot mix up origins.
    """
    for name in variable_names(value):
        if model.scope_node_of_binding(name.value, func) is func:
            return False  # a local or parameter: may be computed from the request
        qualified = model.qualified_name(name, func)
        if qualified is not None and (qualified == "flask" or qualified.startswith(_PER_REQUEST)):
            return False  # ``flask.request.origin`` reads the request through the module
    return True


class CorsWeakOriginCheck(_AcaoRule):
    """## What it does
    Checks for a request Origin that is validated with a test that
    look-alike origins pass — ``startswith``, ``endswith`` without a leading
    dot, ``in "<string>"`` (a substring test), ``re.match``/``re.search``
    without an end anchor — before it is written to
    ``Access-Control-Allow-Origin``.

    ## Why is this bad?
    ``origin.endswith("example.com")`` accepts ``https://evilexample.com``;
    ``origin.startswith("https://app.example.com")`` accepts
    ``https://app.example.com.evil.net``. Both are domains anyone can
    register. An error when the response also allows credentials.

    ## Example
    ```python
    origin = request.headers.get("Origin", "")
    if origin.endswith("example.com"):
        resp.headers["Access-Control-Allow-Origin"] = origin
    ```

    ## Use instead
    ```python
    if origin in {"https://example.com", "https://app.example.com"}:
        resp.headers["Access-Control-Allow-Origin"] = origin
    ```

    ## Fix safety
    There is no fix.

    ## References
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH508"
    name = "cors-weak-origin-check"
    severity = Severity.WARNING
    message = (
        "Origin validated with a test that look-alike origins pass; compare against an exact "
        "set of origins"
    )

    def check(self, func: cst.FunctionDef, writes: list[AcaoWrite]) -> None:
        names = _origin_names(self, func)
        reflected = [w for w in writes if _mentions_origin(self, w.value, func, names)]
        if not reflected:
            return
        checks = origin_checks(self, func, names)
        if not checks.weak:
            return
        credentials = any(_credentials_for(self, func, w) for w in reflected)
        for node, description in checks.weak:
            self.report(
                node,
                f"Origin validated with {description}: look-alike origins pass. Compare against "
                "an exact set of origins",
                severity=Severity.ERROR if credentials else None,
            )
