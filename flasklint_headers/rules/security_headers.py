"""Group C: security headers (FLH3xx).

App-wide coverage (FLH301-305) is computed from the global header providers
of each app (``model/providers.py``); value checks (FLH307-314) read every
constant header value the model can see and Flask-Talisman's options
(``model/talisman.py``) through the pure parsers in ``values/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Fix, Position, Severity
from flasklint_headers.fixes import (
    delete_element,
    delete_statement,
    insert_statement_before,
    replace_node,
    statement_source,
    unsafe_fix,
)
from flasklint_headers.headers import DEPRECATED_HEADERS, INFORMATION_DISCLOSURE, SECURITY_HEADERS
from flasklint_headers.model.app_config import MISSING
from flasklint_headers.model.apps import AppInfo, trace_instance
from flasklint_headers.model.constants import UNKNOWN
from flasklint_headers.model.names import APP, BLUEPRINT, CORS, LOGIN_MANAGER, TALISMAN
from flasklint_headers.model.providers import (
    AppProviders,
    app_has_views,
    hook_headers,
    providers,
)
from flasklint_headers.model.talisman import (
    TalismanConfig,
    TalismanOption,
    option_value,
    written_value,
)
from flasklint_headers.rules._security_support import (
    SECURE_CSP,
    SECURE_HSTS,
    HeaderSite,
    builder_chain,
    deletable_line,
    header_sites,
    is_talisman_decorator_call,
    project_uses_talisman,
    secure_csp_parts,
    site_parts,
    site_text,
    string_literal,
    talisman_bindings,
    werkzeug_csp_policies,
)
from flasklint_headers.rules.base import Rule, RuleOption
from flasklint_headers.values.csp import (
    Policy,
    deprecated_directives,
    missing_non_fallback,
    parse_csp,
    render_talisman_policy,
    unsafe_sources,
)
from flasklint_headers.values.hsts import ONE_YEAR, parse_hsts
from flasklint_headers.values.permissions import feature_to_permissions
from flasklint_headers.values.referrer import SAFE_DEFAULT, check_referrer_policy
from flasklint_headers.values.xfo import check_xfo
from flasklint_headers.walk import walk

CSP_HEADERS = frozenset({"content-security-policy", "content-security-policy-report-only"})


def _first_param(func: cst.FunctionDef) -> str | None:
    params = [*func.params.posonly_params, *func.params.params]
    if params and params[0].name.value in ("self", "cls") and len(params) > 1:
        return params[1].name.value
    return params[0].name.value if params else None


# =============================================================================================
# FLH301-305: app-wide coverage
# =============================================================================================
class _MissingHeader(Rule):
    """Base of FLH301-305: one finding per app, at its ``Flask(...)`` call."""

    header_label: ClassVar[str]
    # The ``setdefault`` line the unsafe fix inserts into the single app-wide hook (or None).
    fix_header: ClassVar[tuple[str, str] | None] = None

    def covered(self, found: AppProviders) -> bool:
        raise NotImplementedError

    def visit_Module(self, node: cst.Module) -> None:
        self._apps = {id(a.call): a for a in self.model.project.apps() if a.model is self.model}

    def visit_Call(self, node: cst.Call) -> None:
        app = self._apps.get(id(node)) if self._apps else None
        if app is None or app.call is not node or app.model.is_test_module():
            return
        found = providers(app, self.ctx.settings.set_by_proxy)
        if self.covered(found) or not app_has_views(app):
            return
        if found.unknown:
            reasons = "; ".join(source.description for source in found.unknown)
            self.report(
                node,
                f"Cannot verify that every response gets {self.header_label}: {reasons}. "
                "If it sets the header, add it to `set-by-proxy` or suppress this line",
                severity=Severity.INFO,
            )
            return
        self.report(node, fix=self._fix(found))

    def _fix(self, found: AppProviders) -> Fix | None:
        if self.fix_header is None or len(found.hooks) != 1 or found.talisman:
            return None
        hook = found.hooks[0]
        if hook.model is not self.model:
            return None
        func = hook.function
        param = _first_param(func)
        if param is None or not self.model.responses_in(func).is_response_name(param):
            # ``response = helper(response)``: a write added here would not be seen as
            # setting the header, so the fix would never settle.
            return None
        body = func.body.body if isinstance(func.body, cst.IndentedBlock) else ()
        last = body[-1] if body else None
        if (
            param is None
            or not isinstance(last, cst.SimpleStatementLine)
            or len(last.body) != 1
            or not isinstance(last.body[0], cst.Return)
            or not isinstance(last.body[0].value, cst.Name)
            or last.body[0].value.value != param
        ):
            return None
        name, value = self.fix_header
        line = f'{param}.headers.setdefault("{name}", "{value}")'
        return unsafe_fix(
            f"Add `{name}: {value}` in `{func.name.value}` (kept when a view sets it)",
            insert_statement_before(self.ctx, last, line),
        )


_PROVIDER_DOCS = """
    Providers that count: Flask-Talisman bound to the app (its defaults and
    options; a falsy option turns the header off), `secure` used in an app-wide
    hook or as `SecureWSGIMiddleware`, `@app.after_request` hooks and
    `@bp.after_app_request` hooks of registered blueprints that write the
    header, and headers listed in `set-by-proxy` (`[tool.flasklint-headers]`,
    for headers your nginx or CDN adds). The whole project is analysed, so an
    app created in a factory with Talisman set up in `extensions.py` is seen.
    When unknown WSGI middleware wraps the app (or a hook hands the response to
    code that cannot be analysed) the finding is downgraded to an info saying
    the header cannot be verified. Werkzeug's `ProxyFix`/`DispatcherMiddleware`
    and project middleware whose `__call__` only rewrites `environ` and returns
    `self.app(environ, start_response)` (`ReverseProxied`, `PrefixMiddleware`)
    leave the app's headers alone and do not count as unknown. A blueprint
    that cannot be followed gives the app routes; when it comes from a module
    loaded by name (`importlib.import_module`) or from a project module
    outside the run, or could be the one whose `after_app_request` hook sets
    the header, the finding says so at info level. Apps of project subclasses
    of `Flask` are checked, with what their methods set up through `self`.
    Apps without any route, apps created in test modules (`tests/`,
    `test_*.py`, `*_test.py`, `tests.py`, `conftest.py`), apps built for
    documentation tools (in a function whose docstring mentions Sphinx, or
    `def make_doc(): doc_app = Flask(...)`) and throwaway apps used only for
    a request context inside a function are not reported.
"""


class MissingCsp(_MissingHeader):
    """## What it does
    Checks that every Flask app gets an app-wide `Content-Security-Policy`.
    Reported once per app, at its `Flask(...)` call.

    ## Why is this bad?
    Without a policy, any HTML injection becomes script execution. A CSP set
    in one view (or in a blueprint-scoped hook) misses every other route and
    the error pages. MDN HTTP Observatory takes 25 points off for it.
    {providers}

    ## Example
    ```python
    app = Flask(__name__)

    @app.route("/")
    def index():
        return render_template("index.html")
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    Talisman(app)  # default-src 'self'; object-src 'none'
    ```

    ## Fix safety
    There is no automatic fix: a policy has to be designed for the pages
    (a wrong one breaks them).

    ## References
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    - [MDN: Content-Security-Policy](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy)
    - [Flask: Security considerations](https://flask.palletsprojects.com/en/stable/web-security/)
    """

    code = "FLH301"
    name = "missing-csp"
    severity = Severity.WARNING
    message = "No app-wide Content-Security-Policy (no Talisman/secure/after_request sets it)"
    header_label = "a Content-Security-Policy"

    def covered(self, found: AppProviders) -> bool:
        return found.covers("content-security-policy")


class MissingClickjackingProtection(_MissingHeader):
    """## What it does
    Checks that every Flask app sends `X-Frame-Options` or a CSP with
    `frame-ancestors` on every response. Reported once per app, at its
    `Flask(...)` call.

    ## Why is this bad?
    A page that any site can frame is open to clickjacking: the attacker
    overlays it with a decoy and the user clicks real buttons. MDN HTTP
    Observatory takes 20 points off.
    {providers}

    ## Example
    ```python
    app = Flask(__name__)

    @app.after_request
    def headers(response):
        return response
    ```

    ## Use instead
    ```python
    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
    ```

    ## Fix safety
    When the app has exactly one app-wide `after_request` hook (and no
    Talisman), the fix inserts `response.headers.setdefault("X-Frame-Options",
    "SAMEORIGIN")` before its `return`. It is unsafe: pages that are framed by
    other sites on purpose stop working there. `setdefault` keeps any value a
    view sets itself.

    ## References
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    - [MDN: X-Frame-Options](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options)
    """

    code = "FLH302"
    name = "missing-clickjacking-protection"
    severity = Severity.WARNING
    message = (
        "No app-wide X-Frame-Options or CSP frame-ancestors (no Talisman/secure/after_request "
        "sets it)"
    )
    header_label = "X-Frame-Options or CSP `frame-ancestors`"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    fix_header = ("X-Frame-Options", "SAMEORIGIN")

    def covered(self, found: AppProviders) -> bool:
        return found.covers_frame_protection()


class MissingHsts(_MissingHeader):
    """## What it does
    Checks that every Flask app sends `Strict-Transport-Security`. Reported once
    per app, at its `Flask(...)` call.

    ## Why is this bad?
    Without HSTS the first request of a visit can go over plain HTTP, where an
    attacker on the network can strip TLS and read or change everything.
    MDN HTTP Observatory takes 20 points off. When TLS ends at a proxy that
    adds the header, list it in `set-by-proxy`.
    {providers}

    ## Example
    ```python
    app = Flask(__name__)
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    Talisman(app)  # max-age one year, includeSubDomains
    ```

    ## Fix safety
    There is no automatic fix: HSTS commits browsers to HTTPS for the whole
    `max-age`, which must be a deliberate decision.

    ## References
    - [RFC 6797](https://www.rfc-editor.org/rfc/rfc6797)
    - [MDN: Strict-Transport-Security](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security)
    """

    code = "FLH303"
    name = "missing-hsts"
    severity = Severity.WARNING
    message = "No app-wide Strict-Transport-Security (no Talisman/secure/after_request sets it)"
    header_label = "Strict-Transport-Security"

    def covered(self, found: AppProviders) -> bool:
        return found.covers("strict-transport-security")


class MissingNosniff(_MissingHeader):
    """## What it does
    Checks that every Flask app sends `X-Content-Type-Options: nosniff`.
    Reported once per app, at its `Flask(...)` call.

    ## Why is this bad?
    Without `nosniff`, browsers may guess a response's type from its content and
    run an uploaded "image" or a JSON response as script or HTML.
    {providers}

    ## Example
    ```python
    app = Flask(__name__)

    @app.after_request
    def headers(response):
        return response
    ```

    ## Use instead
    ```python
    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
    ```

    ## Fix safety
    When the app has exactly one app-wide `after_request` hook (and no
    Talisman), the fix inserts the `setdefault` line before its `return`. It is
    unsafe: a response served with a wrong Content-Type that only worked thanks
    to sniffing stops working.

    ## References
    - [MDN: X-Content-Type-Options](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Content-Type-Options)
    - [OWASP Secure Headers Project](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH304"
    name = "missing-nosniff"
    severity = Severity.WARNING
    message = (
        "No app-wide `X-Content-Type-Options: nosniff` (no Talisman/secure/after_request sets it)"
    )
    header_label = "`X-Content-Type-Options: nosniff`"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    fix_header = ("X-Content-Type-Options", "nosniff")

    def covered(self, found: AppProviders) -> bool:
        return found.covers("x-content-type-options")


class MissingReferrerPolicy(_MissingHeader):
    """## What it does
    Checks that every Flask app sends a `Referrer-Policy`. Reported once per
    app, at its `Flask(...)` call.

    ## Why is this bad?
    Browsers default to `strict-origin-when-cross-origin` today, but older ones
    send full URLs (with tokens in query strings) to other sites. Setting the
    policy makes the behaviour explicit and the same everywhere.
    {providers}

    ## Example
    ```python
    @app.after_request
    def headers(response):
        return response
    ```

    ## Use instead
    ```python
    @app.after_request
    def headers(response):
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return response
    ```

    ## Fix safety
    When the app has exactly one app-wide `after_request` hook (and no
    Talisman), the fix inserts the `setdefault` line before its `return`. It is
    unsafe because it changes what other sites see in `Referer`.

    ## References
    - [MDN: Referrer-Policy](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy)
    """

    code = "FLH305"
    name = "missing-referrer-policy"
    severity = Severity.INFO
    message = "No app-wide Referrer-Policy (no Talisman/secure/after_request sets it)"
    header_label = "a Referrer-Policy"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    fix_header = ("Referrer-Policy", SAFE_DEFAULT)

    def covered(self, found: AppProviders) -> bool:
        return found.covers("referrer-policy")


for _cls in (
    MissingCsp,
    MissingClickjackingProtection,
    MissingHsts,
    MissingNosniff,
    MissingReferrerPolicy,
):
    _cls.__doc__ = (_cls.__doc__ or "").replace("{providers}", _PROVIDER_DOCS)


# =============================================================================================
# Talisman helpers shared by FLH306-313
# =============================================================================================
class _TalismanRule(Rule):
    """Calls ``check_talisman(config)`` for every Talisman binding made in this file."""

    def visit_Module(self, node: cst.Module) -> None:
        if not project_uses_talisman(self.model):
            return
        for app, config in talisman_bindings(self.model):
            self.check_talisman(app, config)

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        pass

    def visit_Call(self, node: cst.Call) -> None:
        if type(self).check_decorator is _TalismanRule.check_decorator:
            return  # this rule has nothing to check in ``@talisman(...)``
        if not project_uses_talisman(self.model):
            return
        key = ("talisman-decorator", id(node))
        known = self.ctx.shared.get(key)
        if known is None:
            scope = self.ctx.enclosing_function()
            known = self.ctx.shared[key] = is_talisman_decorator_call(self.model, node, scope)
        if known:
            scope = self.ctx.enclosing_function()
            options = {
                arg.keyword.value: arg
                for arg in node.args
                if arg.keyword is not None and not arg.star
            }
            self.check_decorator(node, options, scope)

    def check_decorator(
        self, call: cst.Call, options: dict[str, cst.Arg], scope: cst.FunctionDef | None
    ) -> None:
        pass

    def own(self, option: TalismanOption | None) -> TalismanOption | None:
        """The option when it is written in this file (only then can it be reported)."""
        return option if option is not None and option.model is self.model else None

    def delete_option_fix(self, config: TalismanConfig, option: TalismanOption, what: str) -> Fix:
        call = config.init.call
        args = list(call.args)
        index = next(i for i, arg in enumerate(args) if arg is option.container)
        return unsafe_fix(what, delete_element(self.ctx, args, index))

    def option_fix(self, config: TalismanConfig, option: TalismanOption, what: str) -> Fix | None:
        if not option.direct:
            return None
        return self.delete_option_fix(config, option, what)


class _SiteRule(Rule):
    """Calls ``check_site`` for every constant-named header value written in this file."""

    headers: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._seen: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for site in header_sites(self.model, node):
            if not self.checks_header(site.lower) or id(site.value) in self._seen:
                continue
            self._seen.add(id(site.value))
            self.check_site(site)

    def checks_header(self, lower: str) -> bool:
        return lower in self.headers

    def check_site(self, site: HeaderSite) -> None:
        pass

    def replace_value_fix(self, site: HeaderSite, text: str, what: str) -> Fix | None:
        literal = string_literal(site.value, text)
        if literal is None:
            return None
        return unsafe_fix(what, replace_node(self.ctx, site.value, literal))

    def delete_site_fix(self, site: HeaderSite, what: str) -> Fix | None:
        if site.element is not None and site.container is not None:
            elements = list(site.container.elements)
            index = next(i for i, e in enumerate(elements) if e is site.element)
            if len(elements) == 1:
                return None
            return unsafe_fix(what, delete_element(self.ctx, elements, index))
        if site.line is not None and deletable_line(site.function, site.line):
            return unsafe_fix(what, delete_statement(self.ctx, site.line))
        return None


# =============================================================================================
# FLH306 talisman-protection-disabled
# =============================================================================================
_FALSY_MEANS_OFF = {
    "strict_transport_security": "turns off HSTS",
    "content_security_policy": "turns off the Content-Security-Policy",
    "frame_options": "turns off X-Frame-Options (clickjacking protection)",
    "x_content_type_options": "turns off `X-Content-Type-Options: nosniff`",
    "session_cookie_secure": "lets the session cookie travel over plain HTTP",
    "session_cookie_http_only": "lets JavaScript read the session cookie",
}


_CONFIG_OF_COOKIE_OPTION = {
    "session_cookie_secure": "SESSION_COOKIE_SECURE",
    "session_cookie_http_only": "SESSION_COOKIE_HTTPONLY",
}


class TalismanProtectionDisabled(_TalismanRule):
    """## What it does
    Checks `Talisman(app, ...)` and `talisman.init_app(app, ...)` for options
    that switch a protection off: `force_https=False`,
    `strict_transport_security=False`, `content_security_policy=None` (or
    `False`, `""`, `{}`), `content_security_policy_report_only=True`,
    `frame_options=None`, `x_content_type_options=False`,
    `session_cookie_secure=False`, `session_cookie_http_only=False`,
    `session_cookie_samesite=None` and `referrer_policy=None`. The two cookie
    options only stop Talisman forcing the flag, so they are reported when the
    app's config leaves it off too (`SESSION_COOKIE_SECURE` unset or False;
    `SESSION_COOKIE_HTTPONLY` set to False, since Flask's default is True), not
    when the config sets it or loads from a file. Options passed
    through `**{...}` or `**OPTIONS` dict literals are read too. Also reports a
    `Talisman()` that is never `init_app`-ed anywhere in the project (an
    `init_app` on something that cannot be traced but is named like a Talisman,
    such as `self.talisman.init_app(app)`, counts for every instance), and
    options given to `Talisman(...)` without an app: `Talisman.__init__` only
    forwards its keywords when it gets the app, so `init_app(app)` later runs
    with the defaults.

    ## Why is this bad?
    Flask-Talisman treats a falsy option as "off": `content_security_policy=None`
    sends no CSP at all, and report-only mode never blocks anything.
    `referrer_policy=None` sends the text `None`, which browsers ignore.
    `force_https=False` is reported as info when `ProxyFix` wraps the app (TLS
    is probably terminated upstream).

    ## Example
    ```python
    Talisman(app, content_security_policy=None, force_https=False)
    ```

    ## Use instead
    ```python
    Talisman(app, content_security_policy={"default-src": "'self'"})
    ```

    ## Fix safety
    The fix deletes the keyword, which restores Talisman's secure default. It
    is unsafe: the default policy can block inline scripts and third-party
    assets that the pages rely on.

    ## References
    - [Flask-Talisman options](https://github.com/wntrblm/flask-talisman#options)
    """

    code = "FLH306"
    name = "talisman-protection-disabled"
    severity = Severity.WARNING
    message = "A Talisman option turns a protection off"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        for name, option in config.explicit.items():
            if self.own(option) is None or option.value is UNKNOWN:
                continue
            problem = self._problem(name, option.value)
            if problem is None or self._strict_elsewhere(app, config, name):
                continue
            if self._config_decides(app, name):
                continue
            text = f"Talisman option `{name}={option.value!r}` {problem}"
            severity = None
            if name == "force_https" and providers(app).has_proxy_fix:
                severity = Severity.INFO
                text += " (ProxyFix is present: if TLS ends at the proxy this may be intended)"
            fix = self.option_fix(config, option, f"Remove `{name}=` (use Talisman's default)")
            self.report(option.container, text, fix=fix, severity=severity)

    def _config_decides(self, app: AppInfo, name: str) -> bool:
        """A falsy cookie option only leaves the flag to the app's own config.

        ``session_cookie_secure=False``/``session_cookie_http_only=False`` make
        Talisman not *force* the flag; ``SESSION_COOKIE_SECURE = True`` in the
        config (or a value we cannot see) still sets it, and Flask's default for
        ``SESSION_COOKIE_HTTPONLY`` is already True.
        """
        key = _CONFIG_OF_COOKIE_OPTION.get(name)
        if key is None:
            return False
        value = self.model.project.config(app).get(key)
        if value is UNKNOWN or value is True:
            return True
        return key == "SESSION_COOKIE_HTTPONLY" and value is MISSING

    def _strict_elsewhere(self, app: AppInfo, config: TalismanConfig, name: str) -> bool:
        """Another Talisman binding of the app keeps this protection on.

        ``if app.debug: Talisman(app, force_https=False) else: Talisman(app)`` is an
        environment switch, not a weakened production setup.
        """
        for other in providers(app).talisman:
            if other is config:
                continue
            value = other.value(name)
            if value is not UNKNOWN and self._problem(name, value) is None:
                return True
        return False

    @staticmethod
    def _problem(name: str, value: Any) -> str | None:
        if name == "force_https" and value is False:
            return "stops redirecting plain HTTP to HTTPS"
        if name in _FALSY_MEANS_OFF and (value is None or value is False or value in ("", {})):
            return _FALSY_MEANS_OFF[name]
        if name == "content_security_policy_report_only" and value is True:
            return "only reports CSP violations: the policy is not enforced"
        if name == "session_cookie_samesite" and value is None:
            return "sends the session cookie on cross-site requests (no SameSite)"
        if name == "referrer_policy" and value is None:
            return "sends the literal text `Referrer-Policy: None`, which browsers ignore"
        return None

    def visit_Call(self, node: cst.Call) -> None:
        if not project_uses_talisman(self.model):
            return
        scope = self.ctx.enclosing_function()
        if self.model.qualified_name(node.func, scope) != TALISMAN:
            return
        if any(a.keyword is None or a.keyword.value == "app" for a in node.args):
            return
        if _never_initialised(self.model, node):
            self.report(
                node,
                "This `Talisman()` is never `init_app`-ed: it sets no header at all",
            )
            return
        options = [a for a in node.args if a.keyword is not None or a.star == "**"]
        if options:
            # ``Talisman.__init__`` forwards its keywords to ``init_app`` only with an app.
            self.report(
                options[0],
                "Options given to `Talisman()` without an app are ignored: `init_app(app)` "
                "uses its own keywords (defaults otherwise); pass them to `init_app`",
            )


def _named_like_talisman(receiver: cst.BaseExpression) -> bool:
    """``talisman``, ``self.talisman``, ``ext.Talisman_ext``: the last name mentions it."""
    last = receiver.attr if isinstance(receiver, cst.Attribute) else receiver
    return isinstance(last, cst.Name) and "talisman" in last.value.lower()


def _never_initialised(model: Any, constructor: cst.Call) -> bool:
    """True when no linked ``X.init_app(...)`` is called on this Talisman instance."""
    for other in model.project.linked_modules(model):
        for scope in other.index.scopes:
            for call in scope.calls:
                func = call.func
                if isinstance(func, cst.Attribute) and func.attr.value == "init_app":
                    traced = trace_instance(other, func.value, scope.node, TALISMAN)
                    if traced is None or traced[1] is constructor:
                        # An untraceable receiver may be this instance: stay silent when
                        # it is a Talisman or is named like one (Invenio's
                        # ``self.talisman = talisman; self.talisman.init_app(app)``).
                        if (
                            traced is None
                            and other.kind_of(func.value, scope.node) != TALISMAN
                            and not _named_like_talisman(func.value)
                        ):
                            continue
                        return False
    return True


# =============================================================================================
# FLH307 / FLH308 CSP
# =============================================================================================
def _talisman_policy(config_value: Any, nonce_in: Any) -> Policy | None:
    if isinstance(config_value, dict):
        if not all(isinstance(k, str) for k in config_value):
            return None
        policy: dict[str, Any] = {}
        for key, value in config_value.items():
            if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                value = " ".join(value)
            if not isinstance(value, str):
                return None
            policy[key] = value
    elif isinstance(config_value, str) and config_value:
        policy = {}
        for part in config_value.split(";"):
            words = part.strip().split(" ")
            policy[words[0]] = " ".join(words[1:])
    else:
        return None
    if isinstance(nonce_in, (list, tuple)):
        for section in nonce_in:
            if isinstance(section, str) and section in policy:
                policy[section] += " 'nonce-talisman'"
    elif nonce_in is UNKNOWN:
        return None
    return parse_csp(render_talisman_policy(policy))


class _CspRule(_TalismanRule, _SiteRule):
    headers = CSP_HEADERS

    def check_policy(
        self, policy: Policy, node: cst.CSTNode, site: HeaderSite | None = None
    ) -> None:
        pass

    def check_site(self, site: HeaderSite) -> None:
        parts = site_parts(self.model, site)
        if parts is None:
            return
        self.check_policy(parse_csp(parts), site.value, site)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        for policy in werkzeug_csp_policies(self.model, node):
            self.check_policy(parse_csp(policy.parts), policy.node)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if isinstance(self.ctx.parent(), cst.Attribute) or not self._imports_secure():
            return  # only the outermost call of a builder chain
        scope = self.ctx.enclosing_function()
        chain = builder_chain(self.model, node, scope, SECURE_CSP)
        parts = secure_csp_parts(self.model, chain, scope) if chain else None
        if parts is not None:
            self.check_policy(parse_csp(parts), node)

    def _imports_secure(self) -> bool:
        cached = getattr(self, "_secure_imported", None)
        if cached is None:
            imports = self.model.index.all_imports
            cached = any(b.target.split(".")[0] == "secure" for b in imports)
            self._secure_imported = cached
        return cached

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        option = self.own(config.explicit.get("content_security_policy"))
        if option is None:
            return
        policy = _talisman_policy(option.value, config.value("content_security_policy_nonce_in"))
        if policy is not None:
            self.check_policy(policy, option.value_node)

    def check_decorator(
        self, call: cst.Call, options: dict[str, cst.Arg], scope: cst.FunctionDef | None
    ) -> None:
        arg = options.get("content_security_policy")
        if arg is None:
            return
        nonce = options.get("content_security_policy_nonce_in")
        nonce_value = option_value(self.model, nonce.value, scope) if nonce else None
        policy = _talisman_policy(option_value(self.model, arg.value, scope), nonce_value)
        if policy is not None:
            self.check_policy(policy, arg.value)


class CspUnsafeSource(_CspRule):
    """## What it does
    Evaluates every Content-Security-Policy the code sets (header writes,
    returned header dicts, implicit string concatenation and the constant parts
    of f-strings, Flask-Talisman's `content_security_policy` dict or string,
    `@talisman(content_security_policy=...)`, Werkzeug's
    `response.content_security_policy.<directive> = ...` and `secure`'s
    `ContentSecurityPolicy()` builder chains) the way browsers and MDN HTTP
    Observatory do, and reports sources that defeat it: `'unsafe-inline'` or
    `data:` in the effective `script-src` (`script-src`, else `default-src`),
    broad sources (`*`, `https:`, `http:` ...) in `script-src`/`object-src`, a
    policy that restricts neither scripts nor plugins, `'unsafe-eval'`, scripts
    over plain `http:`, and `'unsafe-inline'` in `style-src` (info).

    ## Why is this bad?
    A CSP exists to stop injected script. `'unsafe-inline'` without a nonce or
    hash lets every injected `<script>` run; `'unsafe-eval'` lets injected
    strings reach `eval()`. `'unsafe-inline'` is ignored when a nonce, a hash or
    `'strict-dynamic'` is present, so those policies are not reported. Parts of
    an f-string that cannot be evaluated never produce a finding.

    ## Example
    ```python
    response.headers["Content-Security-Policy"] = "default-src 'self' 'unsafe-inline'"
    ```

    ## Use instead
    ```python
    # Talisman(app, content_security_policy_nonce_in=["script-src"]) and
    # <script nonce="{{ csp_nonce() }}"> in templates
    response.headers["Content-Security-Policy"] = "default-src 'self'; object-src 'none'"
    ```

    ## Fix safety
    There is no automatic fix: removing a source can break pages.

    ## References
    - [MDN: CSP script-src](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/script-src)
    - [MDN HTTP Observatory scoring](https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring)
    """

    code = "FLH307"
    name = "csp-unsafe-source"
    severity = Severity.WARNING
    message = "The Content-Security-Policy allows an unsafe source"

    def check_policy(
        self, policy: Policy, node: cst.CSTNode, site: HeaderSite | None = None
    ) -> None:
        for issue in unsafe_sources(policy):
            severity = Severity.INFO if issue.severity == "info" else None
            self.report(node, issue.message, severity=severity)


class CspMissingNonFallbackDirective(_CspRule):
    """## What it does
    Checks every fully known Content-Security-Policy for the directives that do
    not fall back to `default-src`: `base-uri`, `form-action` and
    `frame-ancestors` (not when `X-Frame-Options` is sent with it, by the same
    function or by Talisman, which sends it by default). Also reports
    deprecated directives: `report-uri` without `report-to`,
    `block-all-mixed-content`, `referrer`, `plugin-types`, `prefetch-src`.

    ## Why is this bad?
    `default-src 'self'` looks strict but leaves `<base href>` injection (which
    re-points every relative script URL), form posts to any site and framing by
    any site open.

    ## Example
    ```python
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    ```

    ## Use instead
    ```python
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
    ```

    ## Fix safety
    For a plain string literal, the fix appends `; base-uri 'self'; form-action
    'self'` (those that are missing). `frame-ancestors` is not added because it
    can conflict with an `X-Frame-Options` the app sets elsewhere. The fix is
    unsafe: forms that post to other origins stop working.

    ## References
    - [OWASP Secure Headers Project: CSP best practices](https://owasp.org/www-project-secure-headers/)
    - [MDN: base-uri](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/base-uri)
    """

    code = "FLH308"
    name = "csp-missing-non-fallback-directive"
    severity = Severity.INFO
    message = "The Content-Security-Policy lacks a directive that does not fall back to default-src"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    # True while checking a policy sent together with X-Frame-Options, which already
    # governs framing: a missing ``frame-ancestors`` is then not a gap.
    _framing_covered = False

    def check_site(self, site: HeaderSite) -> None:
        self._framing_covered = any(
            other.lower == "x-frame-options" for other in header_sites(self.model, site.function)
        )
        try:
            super().check_site(site)
        finally:
            self._framing_covered = False

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        # Talisman sends X-Frame-Options (SAMEORIGIN) unless ``frame_options`` is off.
        self._framing_covered = config.headers_written()["x-frame-options"] is not False
        try:
            super().check_talisman(app, config)
        finally:
            self._framing_covered = False

    def check_policy(
        self, policy: Policy, node: cst.CSTNode, site: HeaderSite | None = None
    ) -> None:
        missing = missing_non_fallback(policy)
        if self._framing_covered:
            missing = [name for name in missing if name != "frame-ancestors"]
        if missing:
            names = "/".join(f"`{name}`" for name in missing)
            fix = self._fix(site, missing) if site is not None else None
            self.report(
                node,
                f"CSP has no {names}; "
                + ("these do not" if len(missing) > 1 else "it does not")
                + " fall back to `default-src`",
                fix=fix,
            )
        for message in deprecated_directives(policy):
            self.report(node, f"CSP: {message}")

    def _fix(self, site: HeaderSite, missing: list[str]) -> Fix | None:
        additions = [f"{name} 'self'" for name in missing if name in ("base-uri", "form-action")]
        if not additions:
            return None
        text = site_text(self.model, site)
        if text is None:
            return None
        new = text.rstrip().rstrip(";").rstrip() + "; " + "; ".join(additions)
        return self.replace_value_fix(site, new, "Append " + "; ".join(additions))


# =============================================================================================
# FLH309 HSTS
# =============================================================================================
class HstsWeak(_TalismanRule, _SiteRule):
    """## What it does
    Checks constant `Strict-Transport-Security` values, Talisman's
    `strict_transport_security_max_age`/`_preload` options and `secure`'s
    `StrictTransportSecurity().max_age(n)`: a `max-age` below
    the `hsts-min-max-age` option (default six months, 15552000 s; MDN HTTP
    Observatory's threshold), `max-age=0`, a header browsers ignore (no
    `max-age`, `:` instead of `=`, `,` instead of `;`, duplicate directives),
    `preload` without `includeSubDomains` or with `max-age` below one year
    (the hstspreload.org requirements). A `max-age` below one year is info.

    ## Why is this bad?
    A short `max-age` lets the protection lapse between visits, and an invalid
    header is ignored entirely (RFC 6797 §6.1 and §8.1).

    ## Example
    ```python
    response.headers["Strict-Transport-Security"] = "max-age=3600"
    ```

    ## Use instead
    ```python
    response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    ```

    ## Fix safety
    For plain literals, the fix raises `max-age` to one year (31536000, or the
    configured minimum when higher) keeping the other directives, and adds
    `includeSubDomains` when `preload` is present. It is unsafe: browsers will
    refuse plain HTTP to the host (and its subdomains) for that long.

    ## References
    - [RFC 6797](https://www.rfc-editor.org/rfc/rfc6797)
    - [hstspreload.org](https://hstspreload.org/)
    - [MDN: Strict-Transport-Security](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security)
    """

    code = "FLH309"
    name = "hsts-weak"
    severity = Severity.WARNING
    message = "The Strict-Transport-Security header is weak or invalid"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = frozenset({"strict-transport-security"})
    options = (
        RuleOption(
            "hsts-min-max-age",
            15552000,
            "Smallest acceptable `max-age` in seconds (default: six months, as MDN HTTP "
            "Observatory).",
            minimum=0,
        ),
    )

    def _minimum(self) -> int:
        value = self.option("hsts-min-max-age")
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else 15552000

    def _target(self) -> int:
        return max(ONE_YEAR, self._minimum())

    def _age_problem(self, max_age: int) -> tuple[str, Severity | None] | None:
        if max_age == 0:
            return "HSTS `max-age=0` switches HSTS off (browsers forget the host)", None
        if max_age < self._minimum():
            return (
                f"HSTS `max-age={max_age}` is below the minimum of {self._minimum()} s "
                "(six months by default)",
                None,
            )
        if max_age < ONE_YEAR:
            return f"HSTS `max-age={max_age}` is below one year (31536000 s)", Severity.INFO
        return None

    def check_site(self, site: HeaderSite) -> None:
        parts = site_parts(self.model, site)
        if parts is None:
            return
        hsts = parse_hsts(parts)
        if hsts.errors:
            self.report(
                site.value,
                "The HSTS header is invalid and browsers ignore it: " + "; ".join(hsts.errors),
            )
            return
        problems: list[tuple[str, Severity | None]] = []
        if hsts.max_age is not None:
            age = self._age_problem(hsts.max_age)
            if age is not None:
                problems.append(age)
        if (
            not hsts.unknown
            and hsts.preload
            and hsts.max_age is not None
            and (not hsts.include_subdomains or hsts.max_age < ONE_YEAR)
        ):
            problems.append(
                ("HSTS `preload` requires `includeSubDomains` and max-age >= 31536000", None)
            )
        if not problems:
            return
        fix = self._site_fix(site)
        for message, severity in problems:
            self.report(site.value, message, severity=severity, fix=fix)

    def _site_fix(self, site: HeaderSite) -> Fix | None:
        text = site_text(self.model, site)
        if text is None:
            return None
        hsts = parse_hsts(text)
        if hsts.errors or hsts.max_age is None or hsts.max_age == 0:
            return None
        new = text
        if hsts.max_age < self._target():
            new = re.sub(r"(?i)max-age\s*=\s*\d+", f"max-age={self._target()}", new, count=1)
        if hsts.preload and not hsts.include_subdomains:
            new = new.rstrip().rstrip(";") + "; includeSubDomains"
        if new == text:
            return None
        return self.replace_value_fix(site, new, "Use a one-year max-age")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "max_age"):
            return
        scope = self.ctx.enclosing_function()
        if builder_chain(self.model, node, scope, SECURE_HSTS) is None or len(node.args) != 1:
            return
        seconds = self.model.const(node.args[0].value, scope)
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            return
        age = self._age_problem(seconds)
        if age is not None:
            fix = None
            if isinstance(node.args[0].value, cst.Integer) and seconds != 0:
                fix = unsafe_fix(
                    "Use a one-year max-age",
                    replace_node(self.ctx, node.args[0].value, str(self._target())),
                )
            self.report(node.args[0].value, age[0], severity=age[1], fix=fix)

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        if config.value("strict_transport_security") is False:
            return
        option = self.own(config.explicit.get("strict_transport_security_max_age"))
        if (
            option is not None
            and isinstance(option.value, int)
            and not isinstance(option.value, bool)
        ):
            age = self._age_problem(option.value)
            if age is not None:
                fix = None
                if isinstance(option.value_node, cst.Integer) and option.value != 0:
                    fix = unsafe_fix(
                        "Use a one-year max-age",
                        replace_node(self.ctx, option.value_node, str(self._target())),
                    )
                self.report(option.value_node, age[0], severity=age[1], fix=fix)
        preload = self.own(config.explicit.get("strict_transport_security_preload"))
        if preload is not None and preload.value is True:
            include = config.value("strict_transport_security_include_subdomains")
            age_value = config.value("strict_transport_security_max_age")
            if include is False or (isinstance(age_value, int) and age_value < ONE_YEAR):
                self.report(
                    preload.container,
                    "HSTS `preload` requires `includeSubDomains` and max-age >= 31536000",
                )


# =============================================================================================
# FLH310 X-Frame-Options
# =============================================================================================
class XfoInvalid(_TalismanRule, _SiteRule):
    """## What it does
    Checks constant `X-Frame-Options` values and Talisman's `frame_options`
    (also in `@talisman(...)`): anything other than `DENY` or `SAMEORIGIN`,
    including `ALLOW-FROM`, `ALLOWALL` and comma-separated lists.

    ## Why is this bad?
    Modern browsers ignore `ALLOW-FROM` and every other unknown value, so the
    page is frameable by any site: the header only looks like protection.

    ## Example
    ```python
    Talisman(app, frame_options=ALLOW_FROM, frame_options_allow_from="https://a.com")
    ```

    ## Use instead
    ```python
    Talisman(
        app,
        frame_options=None,
        content_security_policy={"default-src": "'self'", "frame-ancestors": "https://a.com"},
    )
    ```

    ## Fix safety
    When the same function also writes a literal Content-Security-Policy
    without `frame-ancestors`, the fix deletes `X-Frame-Options: ALLOW-FROM
    <origin>` and appends `frame-ancestors <origin>` to that policy. It is
    unsafe: framing by that origin starts working in modern browsers (that is
    the intent of the original header). Otherwise there is no fix: the origins
    allowed to frame the page are a policy decision.

    ## References
    - [MDN: X-Frame-Options](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-Frame-Options)
    - [MDN: frame-ancestors](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/frame-ancestors)
    """

    code = "FLH310"
    name = "xfo-invalid"
    severity = Severity.WARNING
    message = "X-Frame-Options has a value browsers ignore"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = frozenset({"x-frame-options"})

    def check_site(self, site: HeaderSite) -> None:
        text = site_text(self.model, site)
        if text is None:
            # f"ALLOW-FROM {origin}": the constant prefix already decides it.
            parts = site_parts(self.model, site)
            prefix = parts[0] if parts and isinstance(parts[0], str) else ""
            if not prefix.strip().lower().startswith("allow-from"):
                return
            text = prefix.strip() + " …"
        problem = check_xfo(text)
        if problem is not None:
            fix = self._frame_ancestors_fix(site, text) if problem.kind == "allow-from" else None
            self.report(site.value, problem.message, fix=fix)

    def _frame_ancestors_fix(self, site: HeaderSite, text: str) -> Fix | None:
        """Move ``ALLOW-FROM <origin>`` into a literal CSP written in the same function."""
        origin = text.strip()[len("allow-from") :].strip()
        if not origin or " " in origin or not deletable_line(site.function, site.line):
            return None
        assert site.line is not None
        csp_sites = [
            other
            for other in header_sites(self.model, site.function)
            if other.lower == "content-security-policy" and other.line is not None
        ]
        if len(csp_sites) != 1:
            return None
        csp = csp_sites[0]
        policy_text = site_text(self.model, csp)
        if policy_text is None or "frame-ancestors" in parse_csp(policy_text).directives:
            return None
        new_policy = f"{policy_text.rstrip().rstrip(';').rstrip()}; frame-ancestors {origin}"
        literal = string_literal(csp.value, new_policy)
        if literal is None:
            return None
        return unsafe_fix(
            f"Replace X-Frame-Options with CSP `frame-ancestors {origin}`",
            delete_statement(self.ctx, site.line),
            replace_node(self.ctx, csp.value, literal),
        )

    def _check_value(self, value: Any, node: cst.CSTNode) -> None:
        if not isinstance(value, str) or not value:
            return
        problem = check_xfo(value)
        if problem is not None:
            self.report(node, problem.message.replace("X-Frame-Options: ", "frame_options="))

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        option = self.own(config.explicit.get("frame_options"))
        if option is not None:
            self._check_value(option.value, option.value_node)

    def check_decorator(
        self, call: cst.Call, options: dict[str, cst.Arg], scope: cst.FunctionDef | None
    ) -> None:
        arg = options.get("frame_options")
        if arg is not None:
            self._check_value(option_value(self.model, arg.value, scope), arg.value)


# =============================================================================================
# FLH311 X-XSS-Protection
# =============================================================================================
class XXssProtectionEnabled(_TalismanRule, _SiteRule):
    """## What it does
    Checks constant `X-XSS-Protection` values other than `0`, and Talisman's
    `x_xss_protection=True`.

    ## Why is this bad?
    The XSS auditor this header controls was removed from browsers; in the old
    ones that still have it, `1; mode=block` could be abused to leak data or
    block legitimate scripts. OWASP recommends `X-XSS-Protection: 0` (or no
    header) and a Content-Security-Policy instead. Flask-Talisman 1.1 turned it
    off by default for this reason.

    ## Example
    ```python
    response.headers["X-XSS-Protection"] = "1; mode=block"
    ```

    ## Use instead
    ```python
    response.headers["X-XSS-Protection"] = "0"
    ```

    ## Fix safety
    The fix changes the value to `"0"` (or deletes Talisman's keyword). It is
    unsafe in name only: just legacy browsers react to the header.

    ## References
    - [OWASP Secure Headers Project: X-XSS-Protection](https://owasp.org/www-project-secure-headers/#x-xss-protection)
    - [MDN: X-XSS-Protection](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/X-XSS-Protection)
    """

    code = "FLH311"
    name = "x-xss-protection-enabled"
    severity = Severity.WARNING
    message = (
        "`X-XSS-Protection` other than `0` is deprecated and can introduce vulnerabilities in "
        "old browsers; send `0` or omit it (use CSP)"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = frozenset({"x-xss-protection"})

    def check_site(self, site: HeaderSite) -> None:
        text = site_text(self.model, site)
        if text is None or text.strip() == "0":
            return
        message = (
            f"`X-XSS-Protection: {text.strip()}` is deprecated and can introduce "
            "vulnerabilities in old browsers; send `0` or omit it (use CSP)"
        )
        self.report(site.value, message, fix=self.replace_value_fix(site, "0", "Send `0`"))

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        option = self.own(config.explicit.get("x_xss_protection"))
        if option is None or option.value is UNKNOWN or not option.value:
            return
        fix = self.option_fix(config, option, "Remove `x_xss_protection=` (Talisman's default)")
        self.report(
            option.container,
            "Talisman `x_xss_protection=True` sends the deprecated `X-XSS-Protection: 1; "
            "mode=block`; remove the option",
            fix=fix,
        )


# =============================================================================================
# FLH312 deprecated security headers
# =============================================================================================
_DEPRECATED_MESSAGES = {
    "feature-policy": "`Feature-Policy` is deprecated: use `Permissions-Policy`",
    "expect-ct": "`Expect-CT` is deprecated: browsers enforce Certificate Transparency anyway",
    "public-key-pins": (
        "`Public-Key-Pins` (HPKP) is obsolete and can lock users out of the site when keys "
        "rotate; remove it"
    ),
    "public-key-pins-report-only": "`Public-Key-Pins-Report-Only` (HPKP) is obsolete; remove it",
    "x-content-security-policy": (
        "`X-Content-Security-Policy` is an obsolete prefixed CSP header that can conflict "
        "with `Content-Security-Policy`; remove it"
    ),
    "x-webkit-csp": (
        "`X-WebKit-CSP` is an obsolete prefixed CSP header that can conflict with "
        "`Content-Security-Policy`; remove it"
    ),
    "pragma": "`Pragma` is deprecated for responses: use `Cache-Control`",
}


class DeprecatedSecurityHeader(_TalismanRule, _SiteRule):
    """## What it does
    Checks writes of deprecated headers: `Feature-Policy`, `Expect-CT`,
    `Public-Key-Pins(-Report-Only)`, the prefixed CSP headers
    `X-Content-Security-Policy`/`X-WebKit-CSP`, and `Pragma`; and Talisman's
    `feature_policy=` when not empty.

    ## Why is this bad?
    Browsers ignore these headers (Feature-Policy was replaced by
    Permissions-Policy), or worse: HPKP can lock users out when keys rotate
    (reported as a warning), and prefixed CSP headers conflict with the real one.

    ## Example
    ```python
    response.headers["Feature-Policy"] = "camera 'none'"
    ```

    ## Use instead
    ```python
    response.headers["Permissions-Policy"] = "camera=()"
    ```

    ## Fix safety
    Unsafe. A simple `Feature-Policy` literal is translated to
    `Permissions-Policy` (`camera 'none'` -> `camera=()`, `geolocation 'self'`
    -> `geolocation=(self)`); writes of `Expect-CT`, HPKP, prefixed CSP and
    `Pragma` are deleted. Other forms have no fix.

    ## References
    - [OWASP Secure Headers Project: deprecated headers](https://owasp.org/www-project-secure-headers/)
    - [MDN: Permissions-Policy](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Permissions-Policy)
    """

    code = "FLH312"
    name = "deprecated-security-header"
    severity = Severity.INFO
    message = "This header is deprecated"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = DEPRECATED_HEADERS

    def check_site(self, site: HeaderSite) -> None:
        severity = Severity.WARNING if site.lower == "public-key-pins" else None
        if site.lower == "feature-policy":
            fix = self._translate(site)
        else:
            fix = self.delete_site_fix(site, f"Remove the `{site.header}` header")
        node = site.name_node if site.name_node is not None else site.value
        message = _DEPRECATED_MESSAGES[site.lower]
        if site.lower == "pragma" and any(
            other.lower == "cache-control" for other in header_sites(self.model, site.function)
        ):
            message = (
                "`Pragma` is a deprecated HTTP/1.0 header; the `Cache-Control` set here already "
                "controls caching, so `Pragma` can go"
            )
        self.report(node, message, fix=fix, severity=severity)

    def _translate(self, site: HeaderSite) -> Fix | None:
        text = site_text(self.model, site)
        translated = feature_to_permissions(text) if text is not None else None
        if translated is None or site.name_node is None:
            return None
        name = string_literal(site.name_node, "Permissions-Policy")
        value = string_literal(site.value, translated)
        if name is None or value is None:
            return None
        return unsafe_fix(
            "Send the equivalent `Permissions-Policy`",
            replace_node(self.ctx, site.name_node, name),
            replace_node(self.ctx, site.value, value),
        )

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        option = self.own(config.explicit.get("feature_policy"))
        if option is None or option.value is UNKNOWN or not option.value:
            return
        self.report(
            option.container,
            "Talisman `feature_policy=` sends the deprecated `Feature-Policy` header: use "
            "`permissions_policy=`",
        )


# =============================================================================================
# FLH313 Referrer-Policy
# =============================================================================================
class ReferrerPolicyUnsafe(_TalismanRule, _SiteRule):
    """## What it does
    Checks constant `Referrer-Policy` values and Talisman's `referrer_policy`.
    Browsers use the last valid token of a comma list; that token is judged:
    `unsafe-url` and values without any valid token are warnings, `origin`,
    `origin-when-cross-origin` and `no-referrer-when-downgrade` are info.

    ## Why is this bad?
    `unsafe-url` sends the full URL, including paths and query strings that may
    hold tokens, to every site the page links to or loads from. An invalid value
    is ignored. MDN HTTP Observatory takes 5 points off for both.

    ## Example
    ```python
    response.headers["Referrer-Policy"] = "unsafe-url"
    ```

    ## Use instead
    ```python
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    ```

    ## Fix safety
    The fix sets `strict-origin-when-cross-origin` in a plain literal. It is
    unsafe: analytics that rely on full referrers see only the origin.

    ## References
    - [MDN: Referrer-Policy](https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Referrer-Policy)
    - [W3C Referrer Policy](https://www.w3.org/TR/referrer-policy/)
    """

    code = "FLH313"
    name = "referrer-policy-unsafe"
    severity = Severity.WARNING
    message = "The Referrer-Policy leaks URLs or is invalid"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = frozenset({"referrer-policy"})

    def _verdict(self, text: str, node: cst.CSTNode, fix: Fix | None) -> None:
        verdict = check_referrer_policy(text)
        if verdict.severity is None or verdict.message is None:
            return
        severity = Severity.INFO if verdict.severity == "info" else None
        self.report(node, verdict.message, severity=severity, fix=fix)

    def check_site(self, site: HeaderSite) -> None:
        text = site_text(self.model, site)
        if text is None:
            return
        fix = self.replace_value_fix(site, SAFE_DEFAULT, f"Use `{SAFE_DEFAULT}`")
        self._verdict(text, site.value, fix)

    def check_talisman(self, app: AppInfo, config: TalismanConfig) -> None:
        option = self.own(config.explicit.get("referrer_policy"))
        if option is None or not isinstance(option.value, str):
            return  # ``None`` is FLH306's
        fix = None
        literal = string_literal(option.value_node, SAFE_DEFAULT)
        if literal is not None:
            fix = unsafe_fix(
                f"Use `{SAFE_DEFAULT}`", replace_node(self.ctx, option.value_node, literal)
            )
        self._verdict(option.value, option.value_node, fix)


# =============================================================================================
# FLH314 information disclosure
# =============================================================================================
class InformationDisclosureHeader(_SiteRule):
    """## What it does
    Checks writes of headers that reveal implementation details (the OWASP
    Secure Headers Project's list of headers to remove): `X-Powered-By`,
    `Server`, `X-AspNet-Version`, `X-Generator`, `X-Runtime`, `X-Version`, ...,
    and vendor variants of `X-Powered-By` (`X-Slack-Powered-By`).

    ## Why is this bad?
    Product and version names help attackers pick known exploits. `Server` set
    from Flask is also pointless: gunicorn drops it and sends its own, and the
    Werkzeug development server sends a second `Server` line. Strip it at the
    proxy instead.

    ## Example
    ```python
    response.headers["X-Powered-By"] = "Flask 3.1"
    ```

    ## Use instead
    Send nothing; strip `Server` at the reverse proxy. Deleting `Server` in a
    hook (`del response.headers["Server"]`) is reported too: the WSGI server adds
    its own afterwards, so it changes nothing.

    ## Fix safety
    The fix deletes the write (a standalone statement or a dict entry). It is
    unsafe only because clients could read the header.

    ## References
    - [OWASP Secure Headers Project: headers to remove](https://owasp.org/www-project-secure-headers/)
    """

    code = "FLH314"
    name = "information-disclosure-header"
    severity = Severity.INFO
    message = "This header reveals implementation details; remove it"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE
    headers = INFORMATION_DISCLOSURE

    def checks_header(self, lower: str) -> bool:
        # Vendor variants too: ``X-Slack-Powered-By``, ``X-Powered-By-Plesk``.
        return lower in self.headers or "powered-by" in lower

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        for write in self.model.responses_in(node).writes:
            if write.op in ("delitem", "pop", "remove") and write.header_lower == "server":
                self.report(
                    write.node,
                    "Removing `Server` in Flask has no effect: the WSGI server adds its own "
                    "after the app returns; strip it at the proxy (or in the server's config)",
                )

    def check_site(self, site: HeaderSite) -> None:
        if site.lower == "server":
            message = (
                "Setting `Server` from Flask is ignored by gunicorn and duplicated by the "
                "development server; strip it at the proxy"
            )
        else:
            message = f"`{site.header}` reveals implementation details; remove it"
        node = site.name_node if site.name_node is not None else site.value
        self.report(node, message, fix=self.delete_site_fix(site, f"Remove `{site.header}`"))


# =============================================================================================
# FLH315 Talisman overwrites
# =============================================================================================
class TalismanOverwritesHeader(Rule):
    """## What it does
    Checks headers written by views, error handlers, blueprint `after_request`
    hooks and app-wide `after_request` hooks registered *after* `Talisman(app)`
    (in any module; a blueprint's `after_app_request` is attached when the
    blueprint is registered),
    when the app's Talisman sets the same header with its current options:
    X-Frame-Options (unless `frame_options` is falsy), the CSP header (unless
    the CSP is off), Permissions-Policy, Document-Policy, Feature-Policy when
    not empty, Referrer-Policy (always), Strict-Transport-Security (HTTPS
    requests), X-Content-Type-Options, X-XSS-Protection and X-Download-Options
    when enabled.

    ## Why is this bad?
    Talisman writes its headers in an `after_request` hook with
    `headers[...] = value`. Flask runs view code first and after_request hooks
    in reverse registration order, so the view's (or later hook's) value is
    silently replaced, even by a weaker one: a view's `X-Frame-Options: DENY`
    becomes `SAMEORIGIN`.

    ## Example
    ```python
    Talisman(app)

    @app.route("/admin")
    def admin():
        response = make_response(render_template("admin.html"))
        response.headers["X-Frame-Options"] = "DENY"
        return response
    ```

    ## Use instead
    ```python
    @app.route("/admin")
    @talisman(frame_options="DENY")
    def admin():
        return render_template("admin.html")
    ```

    ## Fix safety
    For a route that writes a literal `X-Frame-Options`, CSP,
    Permissions-Policy or Document-Policy (a standalone statement) in the
    module where the Talisman instance is bound to a name, the fix deletes the
    write and adds `@talisman(frame_options="DENY")` (or the matching option)
    right above the `def`. It is unsafe: the header the client receives
    changes, from Talisman's app-wide value to the view's. Other headers
    (Referrer-Policy, HSTS, X-Content-Type-Options) can only be changed
    app-wide, and hooks must be reordered by hand: no fix.

    ## References
    - [Flask-Talisman per-view options](https://github.com/wntrblm/flask-talisman#per-view-options)
    - [Flask: after_request order](https://flask.palletsprojects.com/en/stable/api/#flask.Flask.after_request)
    """

    code = "FLH315"
    name = "talisman-overwrites-header"
    severity = Severity.WARNING
    message = "Flask-Talisman rewrites this header after the view; this value is discarded"
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handler(node)
        if handler is None:
            return
        overwritten: dict[str, list[Any]] = {}
        configs = list(self._talismans_after(node, handler))
        for config in configs:
            for header, on in config.headers_written().items():
                if on is True:
                    overwritten.setdefault(header, []).append(written_value(config, header))
        if not overwritten:
            return
        seen: set[int] = set()
        for site in header_sites(self.model, node):
            if site.lower not in overwritten or id(site.value) in seen:
                continue
            seen.add(id(site.value))
            text = self.model.const(site.value, site.scope)
            if isinstance(text, str) and all(
                isinstance(v, str) and v.strip().lower() == text.strip().lower()
                for v in overwritten[site.lower]
            ):
                continue  # Talisman writes the same value: redundant, not lost
            node_to_report = site.name_node if site.name_node is not None else site.value
            option = _TALISMAN_OPTION.get(site.lower, "its options")
            if handler.kind == "after_request":
                advice = f"pass it as Talisman's `{option}`, or register this hook before Talisman"
            elif site.lower in _PER_VIEW_HEADERS:
                advice = f"use `@talisman({option}=...)` on the view"
            else:
                advice = f"Talisman's `{option}` can only be set app-wide"
            values = [v for v in overwritten[site.lower] if isinstance(v, str)]
            sends = f" (it sends `{values[0]}`)" if len(values) == 1 else ""
            fix = None
            if handler.kind == "route" and len(configs) == 1:
                fix = self._decorator_fix(node, site, configs[0])
            self.report(
                node_to_report,
                f"Flask-Talisman rewrites `{site.header}` after this code runs{sends}; this "
                f"value is discarded: {advice}",
                fix=fix,
            )

    def _decorator_fix(
        self, func: cst.FunctionDef, site: HeaderSite, config: TalismanConfig
    ) -> Fix | None:
        """Move a per-view value into ``@talisman(option=value)`` on the view."""
        option = _PER_VIEW_OPTION.get(site.lower)
        instance = _instance_name(self.model, config)
        if (
            option is None
            or instance is None
            or not isinstance(site.value, cst.SimpleString)
            or not deletable_line(func, site.line)
            or site.line is None
            or any(_is_talisman_decorator(self.model, d.decorator) for d in func.decorators)
        ):
            return None
        text = self.model.const(site.value, site.scope)
        if not isinstance(text, str) or (site.lower == "x-frame-options" and check_xfo(text)):
            return None
        row = self.ctx.span(func)[0].row
        indent = self.ctx.line_indent(row)
        decorator = (
            f"{indent}@{instance}({option}={self.ctx.code_for(site.value)}){self.ctx.newline}"
        )
        return unsafe_fix(
            f"Set it with `@{instance}({option}=...)`",
            delete_statement(self.ctx, site.line),
            Edit(Position(row, 1), Position(row, 1), decorator),
        )

    def _talismans_after(self, func: cst.FunctionDef, handler: Any) -> Iterator[TalismanConfig]:
        kind = handler.kind
        if kind in ("route", "method_view", "restful", "error_handler"):
            apps = self._apps(func, handler)
            for app in apps:
                yield from providers(app).talisman
            return
        if kind != "after_request":
            return
        if handler.owner_kind == BLUEPRINT and handler.hook == "after_request":
            # Blueprint hooks run before the app's hooks (Talisman's included).
            for app in self._apps(func, handler):
                yield from providers(app).talisman
            return
        if not handler.app_wide:
            return
        # Flask runs after_request hooks in reverse registration order: a hook attached
        # after Talisman runs before it, so Talisman overwrites what it wrote.
        project = self.model.project
        owner_model = getattr(handler, "owner_model", None) or self.model
        for app in self._apps(func, handler):
            hook_at = project.hook_position(app, owner_model, handler)
            if hook_at is None:
                continue
            for config in providers(app).talisman:
                talisman_at = project.extension_position(app, config.init)
                if talisman_at is not None and hook_at > talisman_at:
                    yield config

    def _apps(self, func: cst.FunctionDef, handler: Any) -> list[AppInfo]:
        if handler.owner is None:
            # Class-based views have no owner: unambiguous only with a single linked app.
            apps = self.model.project.linked_apps(self.model)
            return list(apps) if len(apps) == 1 else []
        return self.model.project.apps_of_handler(self.model, func)


# Headers a view can set through ``@talisman(option=value)`` (``_get_local_options``).
_PER_VIEW_OPTION = {
    "x-frame-options": "frame_options",
    "content-security-policy": "content_security_policy",
    "permissions-policy": "permissions_policy",
    "document-policy": "document_policy",
}


def _instance_name(model: Any, config: TalismanConfig) -> str | None:
    """The module-level name of the Talisman instance, when it is in ``model``."""
    constructor = config.init.constructor
    if config.init.model is not model or constructor is None:
        return None
    for name, values in model.index.root.bindings.items():
        if len(values) == 1 and values[0] is constructor:
            return name
    return None


def _is_talisman_decorator(model: Any, decorator: cst.BaseExpression) -> bool:
    return isinstance(decorator, cst.Call) and model.kind_of(decorator.func, None) == TALISMAN


_TALISMAN_OPTION = {
    "x-frame-options": "frame_options",
    "content-security-policy": "content_security_policy",
    "content-security-policy-report-only": "content_security_policy",
    "permissions-policy": "permissions_policy",
    "document-policy": "document_policy",
    "feature-policy": "feature_policy",
    "referrer-policy": "referrer_policy",
    "strict-transport-security": "strict_transport_security_max_age",
    "x-content-type-options": "x_content_type_options",
    "x-xss-protection": "x_xss_protection",
    "x-download-options": "force_file_save",
}
_PER_VIEW_HEADERS = frozenset(
    {
        "x-frame-options",
        "content-security-policy",
        "content-security-policy-report-only",
        "permissions-policy",
        "document-policy",
        "feature-policy",
    }
)


# =============================================================================================
# FLH316 blueprint-scoped security hook
# =============================================================================================
class SecurityHookBlueprintScoped(Rule):
    """## What it does
    Checks `@bp.after_request` hooks of a Blueprint that set a security header
    (CSP, X-Frame-Options, HSTS, X-Content-Type-Options, Referrer-Policy,
    Permissions-Policy, COOP, CORP, COEP), themselves or through a project
    helper they hand the response to (`return add_csp_headers(response)`).

    ## Why is this bad?
    A blueprint's `after_request` runs only for that blueprint's own views. The
    headers are missing on every other route, on 404/405 pages and on static
    files, which is exactly where scanners and attackers look.

    ## Example
    ```python
    @bp.after_request
    def security_headers(response):
        response.headers["X-Frame-Options"] = "DENY"
        return response
    ```

    ## Use instead
    ```python
    @bp.after_app_request
    def security_headers(response):
        response.headers["X-Frame-Options"] = "DENY"
        return response
    ```

    ## Fix safety
    The fix renames the decorator to `after_app_request`. It is unsafe: the
    headers then apply to every response of the app, which is the point but
    changes other routes.

    ## References
    - [Flask: Blueprint.after_app_request](https://flask.palletsprojects.com/en/stable/api/#flask.Blueprint.after_app_request)
    """

    code = "FLH316"
    name = "security-hook-blueprint-scoped"
    severity = Severity.WARNING
    message = (
        "`@bp.after_request` only runs for this blueprint's views: the security headers it sets "
        "are missing on other routes and error pages. Use `@bp.after_app_request` or "
        "`@app.after_request`"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handler(node)
        if (
            handler is None
            or handler.kind != "after_request"
            or handler.owner_kind != BLUEPRINT
            or handler.hook != "after_request"
        ):
            return
        written = [s for s in header_sites(self.model, node) if s.lower in SECURITY_HEADERS]
        written_names = {
            w.header_lower
            for w in self.model.responses_in(node).writes
            if w.header_lower in SECURITY_HEADERS
        }
        # Through helpers too (moin's ``return add_csp_headers(resp)``).
        written_names |= hook_headers(self.model, node) & SECURITY_HEADERS
        if not written and not written_names:
            return
        decorator = next(
            (
                d
                for d in node.decorators
                if isinstance(d.decorator, cst.Attribute)
                and d.decorator.attr.value == "after_request"
            ),
            None,
        )
        if decorator is None:
            self.report(node.name)
            return
        assert isinstance(decorator.decorator, cst.Attribute)
        attr = decorator.decorator.attr
        fix = unsafe_fix(
            "Register the hook with `after_app_request`",
            replace_node(self.ctx, attr, "after_app_request"),
        )
        self.report(decorator.decorator, fix=fix)


# =============================================================================================
# FLH317 setup under the __main__ guard
# =============================================================================================
_CONFIG_PREFIXES = ("SESSION_COOKIE_", "REMEMBER_COOKIE_")
_CONFIG_KEYS = frozenset({"TRUSTED_HOSTS", "PREFERRED_URL_SCHEME", "SECRET_KEY_FALLBACKS"})
_INIT_KINDS = frozenset({TALISMAN, CORS, LOGIN_MANAGER})
_HOOK_ATTRS = frozenset({"after_request", "after_app_request"})


def _is_main_guard(test: cst.BaseExpression) -> bool:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [
        s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"
    ]
    return len(names) == 1 and len(strings) == 1


class _ReadNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False


class _BoundNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name):
            self.names.add(node.target.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.names.add(node.target.value)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is not None and isinstance(node.asname.name, cst.Name):
            self.names.add(node.asname.name.value)
        else:
            name = node.name
            while isinstance(name, cst.Attribute):
                name = name.value
            if isinstance(name, cst.Name):
                self.names.add(name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False


class SecuritySetupUnderMainGuard(Rule):
    """## What it does
    Checks the module-level `if __name__ == "__main__":` block for security
    setup: `Talisman(...)`, `CORS(...)`, `.init_app(app)` of Talisman, CORS or
    LoginManager, `after_request` hooks (decorated or registered by call), and
    `app.config` writes of `SESSION_COOKIE_*`, `REMEMBER_COOKIE_*`,
    `TRUSTED_HOSTS` or `PREFERRED_URL_SCHEME`.

    ## Why is this bad?
    gunicorn, uWSGI and `flask run` import the module, so `__name__` is not
    `"__main__"` and the block never runs: the protections exist only on the
    developer's machine.

    ## Example
    ```python
    app = Flask(__name__)

    if __name__ == "__main__":
        Talisman(app)
        app.run()
    ```

    ## Use instead
    ```python
    app = Flask(__name__)
    Talisman(app)

    if __name__ == "__main__":
        app.run()
    ```

    ## Fix safety
    The fix moves a single-line statement to just before the `if` block when
    every name it uses is defined before the block and something else stays in
    the block. It is unsafe: the setup then also runs under the WSGI server,
    which is the point but changes production behaviour.

    ## References
    - [Flask: Deploying to production](https://flask.palletsprojects.com/en/stable/deploying/)
    - [Python: `__main__`](https://docs.python.org/3/library/__main__.html)
    """

    code = "FLH317"
    name = "security-setup-under-main-guard"
    severity = Severity.WARNING
    message = (
        "Security setup only under `if __name__ == '__main__'`: under gunicorn or `flask run` "
        "it never executes"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.UNSAFE

    def visit_If(self, node: cst.If) -> None:
        if not isinstance(self.ctx.parent(), cst.Module) or not _is_main_guard(node.test):
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        body = list(node.body.body)
        for stmt in body:
            what = self._setup(stmt)
            if what is None:
                continue
            fix = self._move_fix(node, stmt, len(body))
            where: cst.CSTNode = stmt
            if isinstance(stmt, cst.FunctionDef) and stmt.decorators:
                where = stmt.decorators[0]
            self.report(
                where,
                f"{what} runs only under `if __name__ == '__main__'`: under gunicorn or "
                "`flask run` it never executes",
                fix=fix,
            )

    def _setup(self, stmt: cst.BaseStatement) -> str | None:
        if isinstance(stmt, cst.FunctionDef):
            for decorator in stmt.decorators:
                expr = decorator.decorator
                expr = expr.func if isinstance(expr, cst.Call) else expr
                if (
                    isinstance(expr, cst.Attribute)
                    and expr.attr.value in _HOOK_ATTRS
                    and self.model.kind_of(expr.value, None) in (APP, BLUEPRINT)
                ):
                    return f"The `{expr.attr.value}` hook `{stmt.name.value}`"
            return None
        if not isinstance(stmt, cst.SimpleStatementLine):
            return None
        for small in stmt.body:
            what = self._small_setup(small)
            if what is not None:
                return what
        return None

    def _small_setup(self, small: cst.BaseSmallStatement) -> str | None:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                what = self._config_target(target.target)
                if what is not None:
                    return what
            value: cst.BaseExpression | None = small.value
        elif isinstance(small, cst.Expr):
            value = small.value
        else:
            return None
        if not isinstance(value, cst.Call):
            return None
        callee = self.model.qualified_name(value.func, None)
        if callee in (TALISMAN, CORS):
            return f"`{callee.rsplit('.', 1)[1]}(...)`"
        func = value.func
        if isinstance(func, cst.Attribute):
            attr = func.attr.value
            if attr == "init_app" and self.model.kind_of(func.value, None) in _INIT_KINDS:
                kind = self.model.kind_of(func.value, None) or ""
                return f"`{kind.rsplit('.', 1)[1]}.init_app(...)`"
            if attr in _HOOK_ATTRS and self.model.kind_of(func.value, None) in (APP, BLUEPRINT):
                return f"The `{attr}` registration"
            if (
                attr == "update"
                and isinstance(func.value, cst.Attribute)
                and func.value.attr.value == "config"
                and self._update_keys(value)
            ):
                return "This security config"
        return None

    def _config_target(self, target: cst.BaseExpression) -> str | None:
        if not (
            isinstance(target, cst.Subscript)
            and isinstance(target.value, cst.Attribute)
            and target.value.attr.value == "config"
            and self.model.kind_of(target.value.value, None) == APP
            and len(target.slice) == 1
            and isinstance(target.slice[0].slice, cst.Index)
        ):
            return None
        key = self.model.const_str(target.slice[0].slice.value, None)
        if key is not None and _security_key(key):
            return f"`{key}`"
        return None

    def _update_keys(self, call: cst.Call) -> bool:
        assert isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.Attribute)
        if self.model.kind_of(call.func.value.value, None) != APP:
            return False
        for arg in call.args:
            if arg.keyword is not None and _security_key(arg.keyword.value):
                return True
            if arg.keyword is None and isinstance(arg.value, cst.Dict):
                for element in arg.value.elements:
                    if isinstance(element, cst.DictElement):
                        key = self.model.const_str(element.key, None)
                        if key is not None and _security_key(key):
                            return True
        return False

    def _move_fix(self, guard: cst.If, stmt: cst.BaseStatement, body_size: int) -> Fix | None:
        if body_size < 2 or not isinstance(stmt, cst.SimpleStatementLine):
            return None
        module = self.ctx.module
        index = next((i for i, s in enumerate(module.body) if s is guard), None)
        if index is None:
            return None
        bound = _BoundNames()
        for earlier in module.body[:index]:
            walk(earlier, bound)
        reads = _ReadNames()
        walk(stmt, reads)
        import builtins

        unknown = {n for n in reads.names if n not in bound.names and not hasattr(builtins, n)}
        if unknown:
            return None
        code = statement_source(self.ctx, stmt)
        return unsafe_fix(
            "Move the setup before the `if __name__ == '__main__'` block",
            delete_statement(self.ctx, stmt),
            insert_statement_before(self.ctx, guard, code.rstrip("\r\n")),
        )


def _security_key(key: str) -> bool:
    return key.startswith(_CONFIG_PREFIXES) or key in _CONFIG_KEYS


__all__ = [
    "CspMissingNonFallbackDirective",
    "CspUnsafeSource",
    "DeprecatedSecurityHeader",
    "HstsWeak",
    "InformationDisclosureHeader",
    "MissingClickjackingProtection",
    "MissingCsp",
    "MissingHsts",
    "MissingNosniff",
    "MissingReferrerPolicy",
    "ReferrerPolicyUnsafe",
    "SecurityHookBlueprintScoped",
    "SecuritySetupUnderMainGuard",
    "TalismanOverwritesHeader",
    "TalismanProtectionDisabled",
    "XXssProtectionEnabled",
    "XfoInvalid",
]
