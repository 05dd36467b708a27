"""Cookie rule details that fixtures cannot express: options and name heuristics."""

from __future__ import annotations

import pytest

from flasklint_headers.config import Settings
from flasklint_headers.rules._cookie_support import is_anti_csrf, is_sensitive, matches_pattern
from flasklint_headers.runner import lint_text

SOURCE = """\
from flask import Flask, make_response

app = Flask(__name__)


@app.route("/")
def index():
    resp = make_response("ok")
    resp.set_cookie("prefs", "1", secure=True, samesite="Lax")
    resp.set_cookie("session", "1", secure=True, samesite="Lax")
    return resp
"""


def _codes(settings: Settings) -> list[tuple[str, int]]:
    return [(f.code, f.location.row) for f in lint_text(SOURCE, settings)]


def test_default_patterns() -> None:
    settings = Settings(enabled=frozenset({"FLH402"}))
    assert _codes(settings) == [("FLH402", 10)]


def test_patterns_are_configurable() -> None:
    settings = Settings(
        enabled=frozenset({"FLH402"}),
        rule_options={"cookie-without-httponly": {"sensitive-cookie-patterns": ["pref"]}},
    )
    assert _codes(settings) == [("FLH402", 9)]


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("session", True),
        ("PHPSESSID", True),
        ("auth_token", True),
        ("accessToken", True),
        ("remember_me", True),
        ("user_sid", True),
        ("sid", True),
        ("sidebar", False),
        ("inside", False),
        ("jwt", True),
        ("theme", False),
    ],
)
def test_sensitive_names(name: str, sensitive: bool) -> None:
    patterns = ("sess", "login", "auth", "token", "jwt", "remember", "sid")
    assert is_sensitive(name, patterns) is sensitive


def test_short_patterns_need_a_whole_word() -> None:
    assert matches_pattern("userSid", "sid")
    assert not matches_pattern("considerate", "sid")
    assert matches_pattern("my-session-cookie", "session")


def test_anti_csrf_names() -> None:
    assert is_anti_csrf("csrftoken") and is_anti_csrf("XSRF-TOKEN")
    assert not is_anti_csrf("session")


def _session_cookie(app) -> str:  # type: ignore[no-untyped-def]
    from flask import session

    app.secret_key = "test"

    @app.route("/s")
    def set_session() -> str:
        session["a"] = 1
        return "ok"

    response = app.test_client().get("/s", base_url="https://localhost")
    return response.headers["Set-Cookie"]


def test_talisman_behaviour_the_session_rules_rely_on() -> None:
    """FLH407 treats Talisman as setting Secure and SameSite=Lax on the session cookie."""
    from flask import Flask
    from flask_talisman import Talisman

    plain = _session_cookie(Flask("plain"))
    assert "Secure" not in plain and "SameSite" not in plain  # Flask's defaults

    protected = Flask("protected")
    Talisman(protected)
    cookie = _session_cookie(protected)
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie

    # Talisman() without an app drops its options: init_app runs with the defaults.
    deferred = Talisman(session_cookie_secure=False, session_cookie_samesite=None)
    factory_app = Flask("factory")
    deferred.init_app(factory_app)
    cookie = _session_cookie(factory_app)
    assert "Secure" in cookie and "SameSite=Lax" in cookie

    weak = Flask("weak")
    Talisman(weak, session_cookie_secure=False, session_cookie_samesite=None)
    cookie = _session_cookie(weak)
    assert "Secure" not in cookie and "SameSite" not in cookie


def test_response_returned_by_a_helper_in_another_module(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from flasklint_headers.runner import build_project, check_loaded, load_file

    package = tmp_path / "svc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "helpers.py").write_text(
        "from flask import make_response\n\n\n"
        "def challenge(app):\n"
        "    response = app.make_response('')\n"
        "    response.status_code = 401\n"
        "    return response\n"
    )
    (package / "views.py").write_text(
        "from flask import Flask\n"
        "from .helpers import challenge\n\n"
        "app = Flask(__name__)\n\n\n"
        "@app.route('/')\n"
        "def index():\n"
        "    response = challenge(app)\n"
        "    response.set_cookie('stale_after', '1')\n"
        "    return response\n"
    )
    loaded = [load_file(p) for p in sorted(package.glob("*.py"))]
    build_project(loaded)
    views = next(item for item in loaded if item.source.path.name == "views.py")
    findings = check_loaded(views, Settings(enabled=frozenset({"FLH401"})))
    assert [(f.code, f.location.row) for f in findings] == [("FLH401", 10)]


SESSION_APP = """\
import os
from flask import Flask, redirect
{imports}

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]


@app.route("/")
def start():
    return redirect("/ui/")
"""


@pytest.mark.parametrize(
    ("imports", "severity"),
    [
        ("", "info"),
        # A user model's base class uses no session: still info (FlexGet's webserver).
        ("from flask_login import UserMixin", "info"),
        ("from flask_login import login_user", "warning"),
        ("import flask_login", "warning"),
        ("from flask import session", "warning"),
    ],
)
def test_flh407_is_a_warning_only_when_the_package_uses_the_session(
    imports: str, severity: str
) -> None:
    source = SESSION_APP.format(imports=imports)
    findings = [f for f in lint_text(source, Settings.default()) if f.code == "FLH407"]
    assert [f.severity.value for f in findings] == [severity]
    # The info finding says why it is only info (searx: a secret key, no session use).
    says_why = "nothing in this project visibly writes the session yet" in findings[0].message
    assert says_why == (severity == "info")


@pytest.mark.parametrize(
    ("config", "says", "never_says"),
    [
        (
            'SESSION_COOKIE_SAMESITE="Lax"',
            "no `Secure`, so the session cookie travels over plain HTTP",
            "SameSite",
        ),
        (
            "SESSION_COOKIE_SECURE=True",
            "no `SameSite`, so the session cookie travels on cross-site requests",
            "Secure`",
        ),
    ],
)
def test_flh407_names_only_the_flags_that_are_missing(
    config: str, says: str, never_says: str
) -> None:
    source = (
        "import os\nfrom flask import Flask, session\n"
        f"app = Flask(__name__)\napp.secret_key = os.environ['SECRET_KEY']\n"
        f"app.config.update({config})\n"
        "@app.route('/')\ndef index():\n    session['x'] = 1\n    return 'ok'\n"
    )
    (finding,) = [f for f in lint_text(source, Settings.default()) if f.code == "FLH407"]
    consequence = finding.message.split(": ", 1)[1]
    assert says in consequence and never_says not in consequence
