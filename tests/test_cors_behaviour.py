"""Regression tests pinning the flask-cors behaviour the CORS rules rely on (catalogue A.5b, A.8b).

Written against flask-cors 6.0.2 (installed here); the catalogue's experiments
used 6.0.5 and give the same answers.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask, make_response
from flask_cors import CORS, cross_origin

from flasklint_headers.model.cors import DEFAULTS, probably_regex

EVIL = "https://evil.example"


def _app(**options: object) -> Flask:
    app = Flask("cors_behaviour")
    CORS(app, **options)

    @app.route("/")
    def index() -> str:
        return "x"

    return app


def _grant(app: Flask, origin: str) -> tuple[str | None, str | None]:
    response = app.test_client().get("/", headers={"Origin": origin})
    return (
        response.headers.get("Access-Control-Allow-Origin"),
        response.headers.get("Access-Control-Allow-Credentials"),
    )


@pytest.mark.parametrize("origin", [EVIL, "null", "https://app.example.com.evil.net"])
def test_credentials_with_default_origins_reflect_everything(origin: str) -> None:
    # FLH501: the default origins ("*") plus supports_credentials echo any Origin, null included.
    assert _grant(_app(supports_credentials=True), origin) == (origin, "true")
    assert _grant(_app(origins="*", supports_credentials=True), origin) == (origin, "true")


def test_default_reflects_without_credentials() -> None:
    # FLH503: CORS(app) answers every origin (no credentials header).
    assert _grant(_app(), EVIL) == (EVIL, None)


def test_send_wildcard_with_credentials_is_refused() -> None:
    with pytest.raises(ValueError):
        _app(origins="*", supports_credentials=True, send_wildcard=True)


def test_regex_origins_are_only_start_anchored() -> None:
    # FLH502: re.match accepts a look-alike suffix.
    app = _app(origins=[re.compile(r"https://app\.example\.com")], supports_credentials=True)
    assert _grant(app, "https://app.example.com.evil.net") == (
        "https://app.example.com.evil.net",
        "true",
    )
    app = _app(origins=r"https://.*\.example\.com", supports_credentials=True)
    assert _grant(app, "https://evil.example.com.attacker.net")[0] is not None
    assert _grant(app, EVIL) == (None, None)
    # With the trailing $ the look-alike is refused.
    anchored = _app(origins=r"https://app\.example\.com$", supports_credentials=True)
    assert _grant(anchored, "https://app.example.com.evil.net") == (None, None)
    assert _grant(anchored, "https://app.example.com") == ("https://app.example.com", "true")


def test_a_wildcard_tail_accepts_any_suffix_even_with_a_dollar() -> None:
    # FLH502 "tail": ``.*`` at the end swallows the look-alike; ``$`` after it changes nothing.
    for pattern in (r"https?://\w*\.?example\.com:?\d*/?.*", r"https?://\w*\.?example\.com.*$"):
        app = _app(origins=[pattern])
        assert _grant(app, "http://example.com.evil.net")[0] == "http://example.com.evil.net"


def test_plain_strings_are_compared_exactly() -> None:
    app = _app(origins=["https://app.example.com"], supports_credentials=True)
    assert _grant(app, "https://app.example.com.evil.net") == (None, None)
    assert probably_regex("https://app.example.com") is False
    assert probably_regex(r"https://app\.example\.com") is True


def test_null_in_the_allow_list_is_granted() -> None:
    # FLH501/FLH506: "null" is a plain string match.
    app = _app(origins=["https://app.example.com", "null"], supports_credentials=True)
    assert _grant(app, "null") == ("null", "true")


def test_resource_options_beat_keyword_arguments() -> None:
    # The model resolves resource dicts over kwargs (the brief had it the other way).
    app = _app(
        resources={r"/*": {"origins": ["https://app.example.com"]}},
        origins="*",
        supports_credentials=True,
    )
    assert _grant(app, EVIL) == (None, None)


def test_config_keys_are_read_and_kwargs_win() -> None:
    app = Flask("configured")
    app.config["CORS_SUPPORTS_CREDENTIALS"] = True
    app.config["CORS_ORIGINS"] = ["https://app.example.com"]
    CORS(app, origins="*")

    @app.route("/")
    def index() -> str:
        return "x"

    assert _grant(app, EVIL) == (EVIL, "true")


def test_private_network_is_off_by_default() -> None:
    assert DEFAULTS["allow_private_network"] is False
    # A Private-Network-Access preflight is answered "false" unless the option is on.
    for options, expected in (({}, "false"), ({"allow_private_network": True}, "true")):
        app = _app(**options)
        response = app.test_client().options(
            "/",
            headers={
                "Origin": EVIL,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Private-Network": "true",
            },
        )
        assert response.headers.get("Access-Control-Allow-Private-Network") == expected


def test_dynamic_origin_gets_vary_from_flask_cors() -> None:
    # Several allowed origins make the header dynamic: flask-cors adds Vary: Origin itself.
    app = _app(origins=["https://app.example.com", "https://admin.example.com"])
    response = app.test_client().get("/", headers={"Origin": "https://app.example.com"})
    assert "Origin" in response.headers.get("Vary", "")


def test_manual_acao_disables_flask_cors_for_that_response() -> None:
    # A.8b / FLH507: flask-cors leaves a response alone when the view set ACAO: no Vary added.
    app = Flask("manual")
    CORS(app, supports_credentials=True)

    @app.route("/")
    def index():  # type: ignore[no-untyped-def]
        response = make_response("x")
        response.headers["Access-Control-Allow-Origin"] = "https://a.example"
        return response

    response = app.test_client().get("/", headers={"Origin": EVIL})
    assert response.headers.getlist("Access-Control-Allow-Origin") == ["https://a.example"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Origin" not in response.headers.get("Vary", "")


def test_cross_origin_decorator_reflects_with_credentials() -> None:
    app = Flask("decorated")

    @app.route("/")
    @cross_origin(supports_credentials=True)
    def index() -> str:
        return "x"

    assert _grant(app, EVIL) == (EVIL, "true")


def test_cross_origin_with_send_wildcard_and_credentials_fails_per_request() -> None:
    app = Flask("raises")

    @app.route("/")
    @cross_origin(supports_credentials=True, send_wildcard=True)
    def index() -> str:
        return "x"

    app.testing = False
    assert app.test_client().get("/", headers={"Origin": EVIL}).status_code == 500


def test_cors_on_a_blueprint_covers_only_its_routes() -> None:
    # Why FLH503 skips CORS(blueprint): the app's other routes get no grant.
    from flask import Blueprint

    app = Flask(__name__)
    public = Blueprint("public", __name__)
    CORS(public)
    public.add_url_rule("/api/", "api", lambda: "ok")
    app.add_url_rule("/private", "private", lambda: "secret")
    app.register_blueprint(public, url_prefix="/pub")
    client = app.test_client()
    headers = {"Origin": EVIL}
    assert client.get("/pub/api/", headers=headers).headers["Access-Control-Allow-Origin"] == EVIL
    assert "Access-Control-Allow-Origin" not in client.get("/private", headers=headers).headers
