"""Pin the Flask-Talisman 1.1 behaviour the FLH3xx rules rely on (catalogue §2.3, A.5).

If an upgrade of flask-talisman changes any of this, the model in
``flasklint_headers/model/talisman.py`` must change with it.
"""

from __future__ import annotations

import inspect

import pytest
from flask import Flask, make_response
from flask_talisman import Talisman

from flasklint_headers.model.talisman import DEFAULTS
from flasklint_headers.values.csp import render_talisman_policy

HTTPS = "https://localhost"


def _app(**options) -> Flask:
    app = Flask(__name__)
    Talisman(app, force_https=False, **options)

    @app.route("/")
    def index():
        return "x"

    return app


def test_defaults_match_the_model() -> None:
    signature = inspect.signature(Talisman.init_app)
    defaults = {
        name: param.default
        for name, param in signature.parameters.items()
        if param.default is not inspect.Parameter.empty
    }
    assert defaults == DEFAULTS


def test_a5_overwrites_in_reverse_registration_order() -> None:
    app = Flask(__name__)

    @app.after_request
    def before_talisman(resp):
        resp.headers["Referrer-Policy"] = "no-referrer"
        return resp

    Talisman(app, force_https=False)

    @app.after_request
    def after_talisman(resp):
        resp.headers["Permissions-Policy"] = "camera=()"
        return resp

    @app.route("/")
    def index():
        r = make_response("x")
        r.headers["X-Frame-Options"] = "DENY"
        r.headers["Content-Security-Policy"] = "default-src 'none'"
        return r

    headers = app.test_client().get("/").headers
    # View values are replaced, even by weaker ones.
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Content-Security-Policy"] == "default-src 'self'; object-src 'none'"
    # A hook registered before Talisman runs after it and wins ...
    assert headers["Referrer-Policy"] == "no-referrer"
    # ... one registered after Talisman runs before it and loses.
    assert headers["Permissions-Policy"] == "browsing-topics=()"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "X-XSS-Protection" not in headers
    # HSTS only on secure requests.
    assert "Strict-Transport-Security" not in headers
    secure = app.test_client().get("/", base_url=HTTPS).headers
    assert secure["Strict-Transport-Security"] == "max-age=31556926; includeSubDomains"


def test_session_cookie_config_is_overwritten_at_init() -> None:
    app = Flask(__name__)
    app.config["SESSION_COOKIE_SAMESITE"] = "None"
    Talisman(app, force_https=False)
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("value", [None, False, "", {}])
def test_falsy_csp_means_no_csp(value) -> None:
    headers = _app(content_security_policy=value).test_client().get("/").headers
    assert "Content-Security-Policy" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"  # unrelated headers stay


@pytest.mark.parametrize("value", [None, False, ""])
def test_falsy_frame_options_means_no_xfo(value) -> None:
    assert "X-Frame-Options" not in _app(frame_options=value).test_client().get("/").headers


def test_report_only_is_not_enforced() -> None:
    headers = (
        _app(content_security_policy_report_only=True, content_security_policy_report_uri="/r")
        .test_client()
        .get("/")
        .headers
    )
    assert "Content-Security-Policy" not in headers
    assert headers["Content-Security-Policy-Report-Only"].endswith("report-uri /r")


def test_report_only_without_uri_raises() -> None:
    with pytest.raises(ValueError):
        _app(content_security_policy_report_only=True)


def test_referrer_policy_none_sends_the_text_none() -> None:
    assert _app(referrer_policy=None).test_client().get("/").headers["Referrer-Policy"] == "None"


def test_allow_from_and_xss_protection() -> None:
    headers = (
        _app(
            frame_options="ALLOW-FROM",
            frame_options_allow_from="https://a.com",
            x_xss_protection=True,
        )
        .test_client()
        .get("/")
        .headers
    )
    assert headers["X-Frame-Options"] == "ALLOW-FROM https://a.com"
    assert headers["X-XSS-Protection"] == "1; mode=block"


def test_constructor_without_app_drops_its_options() -> None:
    # Talisman(**opts) without an app ignores opts: only init_app's keywords count.
    talisman = Talisman(content_security_policy=None)
    app = Flask(__name__)
    talisman.init_app(app, force_https=False)

    @app.route("/")
    def index():
        return "x"

    assert app.test_client().get("/").headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "policy",
    [
        {"default-src": "'self'", "script-src": ["'self'", "cdn.example.com"]},
        "default-src 'self'; img-src *",
        {"default-src": "'none'"},
    ],
)
def test_policy_rendering_matches(policy) -> None:
    header = _app(content_security_policy=policy).test_client().get("/").headers
    assert header["Content-Security-Policy"] == render_talisman_policy(policy)


def test_nonce_is_added_to_listed_sections() -> None:
    app = _app(
        content_security_policy={"default-src": "'self'", "script-src": "'self' 'unsafe-inline'"},
        content_security_policy_nonce_in=["script-src"],
    )
    header = app.test_client().get("/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline' 'nonce-" in header


def test_blueprint_hooks_run_before_talisman() -> None:
    """FLH315: a blueprint's after_request runs before the app's hooks, Talisman's included."""
    from flask import Blueprint

    app = Flask(__name__)
    Talisman(app, force_https=False)
    bp = Blueprint("bp", __name__)

    @bp.after_request
    def bp_hook(resp):
        resp.headers["Permissions-Policy"] = "geolocation=()"
        return resp

    @bp.route("/")
    def index():
        return "x"

    app.register_blueprint(bp)
    assert app.test_client().get("/").headers["Permissions-Policy"] == "browsing-topics=()"


def test_error_handler_headers_are_overwritten() -> None:
    app = _app()

    @app.errorhandler(404)
    def not_found(error):
        return "missing", 404, {"X-Frame-Options": "DENY"}

    assert app.test_client().get("/nope").headers["X-Frame-Options"] == "SAMEORIGIN"


def test_after_app_request_registered_after_talisman_is_overwritten() -> None:
    """FLH315: a blueprint's after_app_request is attached at register_blueprint time."""
    from flask import Blueprint

    app = Flask(__name__)
    Talisman(app, force_https=False)
    site = Blueprint("site", __name__)

    @site.after_app_request
    def site_headers(resp):
        resp.headers["Permissions-Policy"] = "fullscreen=()"
        return resp

    @site.route("/")
    def index():
        return "x"

    app.register_blueprint(site)
    assert app.test_client().get("/").headers["Permissions-Policy"] == "browsing-topics=()"


def _session_cookie(app: Flask) -> str:
    app.secret_key = "test"

    @app.route("/session")
    def session_view():
        from flask import session

        session["x"] = 1
        return "x"

    return app.test_client().get("/session", base_url=HTTPS).headers["Set-Cookie"]


def test_falsy_cookie_options_leave_the_flags_to_the_config() -> None:
    """FLH306 fixtures/FLH306/cookie_options.py: what each cookie option really does."""
    assert "Secure" in _session_cookie(_app())  # Talisman forces it by default
    assert "Secure" not in _session_cookie(_app(session_cookie_secure=False))
    configured = Flask(__name__)
    configured.config["SESSION_COOKIE_SECURE"] = True
    Talisman(configured, force_https=False, session_cookie_secure=False)
    assert "Secure" in _session_cookie(configured)
    # Flask's default SESSION_COOKIE_HTTPONLY is True: the option alone changes nothing.
    assert "HttpOnly" in _session_cookie(_app(session_cookie_http_only=False))
    readable = Flask(__name__)
    readable.config["SESSION_COOKIE_HTTPONLY"] = False
    Talisman(readable, force_https=False, session_cookie_http_only=False)
    assert "HttpOnly" not in _session_cookie(readable)
