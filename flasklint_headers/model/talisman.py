"""Flask-Talisman 1.1 option resolution (catalogue §2.3).

``talisman_config(init)`` turns one ``Talisman(app, **opts)`` /
``talisman.init_app(app, **opts)`` binding into the effective options: the
keywords of the *binding* call (``Talisman()`` without an app drops its
keywords: ``__init__`` only forwards them to ``init_app`` when ``app`` is
given), ``**{...}`` / ``**NAME`` dict literals resolved, and Talisman's
defaults for everything else.  A value we cannot evaluate is ``UNKNOWN``;
``**something_unknown`` makes every option unknown.

``headers_written()`` says which headers Talisman writes with those options
(falsy means off; report-only CSP writes ``Content-Security-Policy-Report-Only``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model.constants import UNKNOWN

if TYPE_CHECKING:
    from flasklint_headers.model.apps import ExtensionInit
    from flasklint_headers.model.file_model import FileModel, ScopeNode

ONE_YEAR_IN_SECS = 31556926
DEFAULT_CSP = {"default-src": "'self'", "object-src": "'none'"}
# Talisman 1.1.0 ``init_app`` defaults (``flask_talisman/talisman.py`` L71-95).
DEFAULTS: dict[str, Any] = {
    "feature_policy": {},
    "permissions_policy": {"browsing-topics": "()"},
    "document_policy": {},
    "force_https": True,
    "force_https_permanent": False,
    "force_file_save": False,
    "frame_options": "SAMEORIGIN",
    "frame_options_allow_from": None,
    "strict_transport_security": True,
    "strict_transport_security_preload": False,
    "strict_transport_security_max_age": ONE_YEAR_IN_SECS,
    "strict_transport_security_include_subdomains": True,
    "content_security_policy": DEFAULT_CSP,
    "content_security_policy_report_uri": None,
    "content_security_policy_report_only": False,
    "content_security_policy_nonce_in": None,
    "referrer_policy": "strict-origin-when-cross-origin",
    "session_cookie_secure": True,
    "session_cookie_http_only": True,
    "session_cookie_samesite": "Lax",
    "x_content_type_options": True,
    "x_xss_protection": False,
}
# Module constants of flask_talisman that users pass as option values.
_CONSTANTS = {
    "DENY": "DENY",
    "SAMEORIGIN": "SAMEORIGIN",
    "ALLOW_FROM": "ALLOW-FROM",
    "ONE_YEAR_IN_SECS": ONE_YEAR_IN_SECS,
    "DEFAULT_CSP_POLICY": DEFAULT_CSP,
    "DEFAULT_REFERRER_POLICY": "strict-origin-when-cross-origin",
    "DEFAULT_SESSION_COOKIE_SAMESITE": "Lax",
    "DEFAULT_PERMISSIONS_POLICY": {"browsing-topics": "()"},
    "DEFAULT_DOCUMENT_POLICY": {},
    "DEFAULT_FEATURE_POLICY": {},
}
# Options that ``@talisman(...)`` can override per view (``_get_local_options`` L216-239).
PER_VIEW_OPTIONS = frozenset(
    {
        "force_https",
        "frame_options",
        "frame_options_allow_from",
        "content_security_policy",
        "content_security_policy_nonce_in",
        "permissions_policy",
        "document_policy",
        "feature_policy",
    }
)


@dataclass(eq=False)
class TalismanOption:
    """One option given explicitly: its value (or UNKNOWN) and where it is written."""

    name: str
    value: Any
    value_node: cst.BaseExpression
    # The ``kw=value`` argument, or the ``"kw": value`` element of a ``**{...}`` dict.
    container: cst.Arg | cst.DictElement
    # True when written directly as a keyword of the binding call (deletable by a fix).
    direct: bool
    model: FileModel = field(repr=False)


@dataclass(eq=False)
class TalismanConfig:
    init: ExtensionInit
    explicit: dict[str, TalismanOption] = field(default_factory=dict)
    # ``**opts`` that could not be resolved: any option may be set.
    opaque: bool = False

    def value(self, name: str) -> Any:
        """Effective option value: explicit constant, UNKNOWN, or Talisman's default."""
        option = self.explicit.get(name)
        if option is not None:
            return option.value
        if self.opaque:
            return UNKNOWN
        return DEFAULTS[name]

    def headers_written(self) -> dict[str, bool | None]:
        """Lower-case header -> True (written), False (not written), None (cannot tell)."""

        def on(name: str) -> bool | None:
            value = self.value(name)
            return None if value is UNKNOWN else bool(value)

        csp = on("content_security_policy")
        report_only = on("content_security_policy_report_only")
        enforced: bool | None
        if csp is False or report_only is True:
            enforced = False
        elif csp is None or report_only is None:
            enforced = None
        else:
            enforced = True
        reported: bool | None
        if csp is False or report_only is False:
            reported = False
        elif csp is None or report_only is None:
            reported = None
        else:
            reported = True
        return {
            "content-security-policy": enforced,
            "content-security-policy-report-only": reported,
            "x-frame-options": on("frame_options"),
            "strict-transport-security": on("strict_transport_security"),
            "x-content-type-options": on("x_content_type_options"),
            # Always written, even ``None`` (sent as the text "None").
            "referrer-policy": True,
            "permissions-policy": on("permissions_policy"),
            "document-policy": on("document_policy"),
            "feature-policy": on("feature_policy"),
            "x-xss-protection": on("x_xss_protection"),
            "x-download-options": on("force_file_save"),
        }

    def csp_has_frame_ancestors(self) -> bool | None:
        policy = self.value("content_security_policy")
        if policy is UNKNOWN:
            return None
        if isinstance(policy, dict):
            return any(isinstance(k, str) and k.lower() == "frame-ancestors" for k in policy)
        if isinstance(policy, str):
            return "frame-ancestors" in policy.lower()
        return False


def option_value(model: FileModel, expr: cst.BaseExpression, scope: ScopeNode) -> Any:
    """Constant value of an option expression, knowing flask_talisman's constants."""
    qualified = model.qualified_name(expr, scope)
    if qualified is not None:
        for prefix in ("flask_talisman.", "flask_talisman.talisman."):
            if qualified.startswith(prefix) and qualified[len(prefix) :] in _CONSTANTS:
                return _CONSTANTS[qualified[len(prefix) :]]
    return model.const(expr, scope)


def talisman_config(init: ExtensionInit) -> TalismanConfig:
    config = TalismanConfig(init)
    model, scope = init.model, init.scope
    for arg in init.call.args:
        if arg.keyword is not None:
            if arg.keyword.value == "app":
                continue
            name = arg.keyword.value
            value = option_value(model, arg.value, scope)
            config.explicit[name] = TalismanOption(name, value, arg.value, arg, True, model)
        elif arg.star == "**":
            if not _spread(config, model, arg.value, scope):
                config.opaque = True
        elif arg.star == "*":
            config.opaque = True
    return config


def _spread(
    config: TalismanConfig, model: FileModel, expr: cst.BaseExpression, scope: ScopeNode
) -> bool:
    """Record the options of ``**{...}`` / ``**NAME`` (a dict literal bound once)."""
    literal: cst.BaseExpression | None = expr
    literal_scope = scope
    if isinstance(expr, cst.Name):
        literal = model.single_assigned_value(expr.value, scope)
        literal_scope = model.scope_node_of_binding(expr.value, scope)
    if not isinstance(literal, cst.Dict):
        return False
    for element in literal.elements:
        if not isinstance(element, cst.DictElement):
            return False
        key = model.const_str(element.key, literal_scope)
        if key is None:
            return False
        value = option_value(model, element.value, literal_scope)
        config.explicit[key] = TalismanOption(key, value, element.value, element, False, model)
    return True


def _structured(policy: Any) -> Any:
    if isinstance(policy, str):
        return policy
    if isinstance(policy, dict):
        return ", ".join(f"{key}={value}" for key, value in policy.items())
    return UNKNOWN


def written_value(config: TalismanConfig, header: str) -> Any:
    """The text Talisman writes for ``header`` (lower-case), or UNKNOWN.

    Used to tell a pointless-but-harmless duplicate (the same value) from a value
    Talisman silently replaces.
    """
    from flasklint_headers.values.csp import render_talisman_policy

    value = config.value
    if header == "x-content-type-options":
        return "nosniff"
    if header == "x-xss-protection":
        return "1; mode=block"
    if header == "x-download-options":
        return "noopen"
    if header == "referrer-policy":
        policy = value("referrer_policy")
        return UNKNOWN if policy is UNKNOWN else str(policy)
    if header == "x-frame-options":
        frame = value("frame_options")
        if not isinstance(frame, str):
            return UNKNOWN
        if frame == "ALLOW-FROM":
            allow = value("frame_options_allow_from")
            return UNKNOWN if allow is UNKNOWN else f"{frame} {allow}"
        return frame
    if header in ("permissions-policy", "document-policy", "feature-policy"):
        return _structured(value(header.replace("-", "_")))
    if header == "strict-transport-security":
        age = value("strict_transport_security_max_age")
        include = value("strict_transport_security_include_subdomains")
        preload = value("strict_transport_security_preload")
        if UNKNOWN in (age, include, preload):
            return UNKNOWN
        text = f"max-age={age}"
        text += "; includeSubDomains" if include else ""
        return text + ("; preload" if preload else "")
    if header.startswith("content-security-policy"):
        policy = value("content_security_policy")
        nonce = value("content_security_policy_nonce_in")
        report_uri = value("content_security_policy_report_uri")
        if nonce or UNKNOWN in (nonce, report_uri) or not isinstance(policy, (dict, str)):
            return UNKNOWN
        text = render_talisman_policy(policy)
        if report_uri and "report-uri" not in text:
            text += "; report-uri " + str(report_uri)
        return text
    return UNKNOWN
