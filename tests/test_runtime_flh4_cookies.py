"""Cookie fixes at runtime: what the browser receives before and after each fix."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from runtime_support import before_and_after, load_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _cookies(app, route: str) -> dict[str, str]:
    """Set-Cookie values of one response, by cookie name."""
    response = app.test_client().get(route)
    assert response.status_code == 200, response.data
    return {v.split("=", 1)[0]: v for v in response.headers.getlist("Set-Cookie")}


def _attributes(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


def test_flh401_adds_secure(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH401" / "basic.py", tmp_path, "FLH401", True)
    for route, name in [
        ("/plain", "theme"),
        ("/session", "session_id"),
        ("/explicit-false", "auth_token"),
        ("/positional", "prefs"),
        ("/multi-line", "lang"),
        ("/dump", "tracking"),
    ]:
        assert "secure" not in _attributes(_cookies(before, route)[name])
        new = _cookies(after, route)[name]
        assert "secure" in _attributes(new)
        # Nothing else changed.
        assert _attributes(new) - {"secure"} == _attributes(_cookies(before, route)[name])
    assert "secure" in _attributes(_cookies(after, "/plain")["visited"])  # the after_request hook


def test_flh402_adds_httponly(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH402" / "basic.py", tmp_path, "FLH402", True)
    old, new = _cookies(before, "/login"), _cookies(after, "/login")
    for name in ("auth_token", "sessionid", "user_sid", "rememberMe"):
        assert "httponly" not in _attributes(old[name])
        assert "httponly" in _attributes(new[name])


def test_flh403_adds_samesite_lax(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH403" / "basic.py", tmp_path, "FLH403", True)
    old, new = _cookies(before, "/"), _cookies(after, "/")
    for name in ("theme", "session", "csrftoken"):
        assert "samesite" not in _attributes(old[name])
        assert "SameSite=Lax" in new[name]


@pytest.mark.parametrize("unsafe", [False, True])
def test_flh404_makes_samesite_none_secure(tmp_path: Path, unsafe: bool) -> None:
    fixture = FIXTURES / "FLH404" / "basic.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH404", unsafe)
    old, new = _cookies(before, "/embed"), _cookies(after, "/embed")
    for name in ("widget", "tracker", "third"):
        assert "secure" not in _attributes(old[name])
        # The browser now accepts it: SameSite=None together with Secure.
        assert "secure" in _attributes(new[name])
        assert "samesite=none" in new[name].lower()
    deleted = _cookies(after, "/forget")["widget"]
    assert "secure" in _attributes(deleted) and "samesite=none" in deleted.lower()


def test_flh404_config_fix_makes_session_cookie_secure(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH404" / "config.py", tmp_path, "FLH404", unsafe=False
    )
    for app in (before, after):
        app.secret_key = "test"

        @app.route("/s")
        def set_session() -> str:
            from flask import session

            session["a"] = 1
            return "ok"

    old = _cookies(before, "/s")["session"]
    new = _cookies(after, "/s")["session"]
    assert "samesite=none" in old.lower() and "secure" not in _attributes(old)
    assert "samesite=none" in new.lower() and "secure" in _attributes(new)
    assert after.config["REMEMBER_COOKIE_SECURE"] is True


def test_flh406_prefix_cookies_become_valid(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH406" / "basic.py", tmp_path, "FLH406", False)
    new = _cookies(after, "/")
    for name in ("__Host-sid", "__Host-pref", "__Host-cart", "__Host-all"):
        attributes = _attributes(new[name])
        assert "secure" in attributes and "domain" not in attributes
        assert "Path=/;" in new[name] + ";" and "Path=/x" not in new[name]
    assert "secure" in _attributes(new["__Secure-token"])
    assert "secure" in _attributes(_cookies(after, "/logout")["__Host-sid"])
    assert "secure" not in _attributes(_cookies(before, "/")["__Host-sid"])


def _session_cookie(app) -> str:
    app.secret_key = "test"

    @app.route("/_session")
    def _set() -> str:
        from flask import session

        session["x"] = 1
        return "ok"

    return _cookies(app, "/_session")["session"]


def test_flh407_session_cookie_flags(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH407" / "basic.py", tmp_path, "FLH407", True)
    old, new = _session_cookie(before), _session_cookie(after)
    assert "secure" not in _attributes(old) and "samesite" not in _attributes(old)
    assert "secure" in _attributes(new) and "SameSite=Lax" in new
    before, after, _ = before_and_after(
        FIXTURES / "FLH407" / "explicit.py", tmp_path, "FLH407", True
    )
    new = _session_cookie(after)
    assert {"secure", "httponly"} <= _attributes(new) and "SameSite=Lax" in new


def test_flh407_without_a_secret_key_no_session_cookie_is_sent(tmp_path: Path) -> None:
    # Why FLH407 is silent on no_secret_key.py: Flask opens a NullSession, never saved.
    text = (FIXTURES / "FLH407" / "no_secret_key.py").read_text(encoding="utf-8")
    text += (
        "\n\nfrom flask import session\n\n\n"
        "@app.route('/read')\ndef read():\n    return str(session.get('x'))\n\n\n"
        "@app.route('/write')\ndef write():\n    session['x'] = 1\n    return 'ok'\n"
    )
    app = load_app(text, tmp_path)
    client = app.test_client()
    for route in ("/", "/read"):
        response = client.get(route)
        assert response.status_code == 200
        assert response.headers.getlist("Set-Cookie") == []
    with pytest.raises(RuntimeError, match="secret key"):
        client.get("/write")


def test_flh407_app_configured_in_a_method(tmp_path: Path) -> None:
    """configured_in_method.py: Server.run() configures both apps through its own methods."""
    before, after, _ = before_and_after(
        FIXTURES / "FLH407" / "configured_in_method.py", tmp_path, "FLH407", True
    )
    module_before = sys.modules[before.import_name]
    module_after = sys.modules[after.import_name]
    module_before.Server().run()
    module_after.Server().run()
    # The app the linter left alone was secure already; ``other`` is fixed.
    assert {"secure"} <= _attributes(_session_cookie(module_before.app))
    old = _session_cookie(module_before.other)
    new = _session_cookie(module_after.other)
    assert "secure" not in _attributes(old) and "samesite" not in _attributes(old)
    assert "secure" in _attributes(new) and "SameSite=Lax" in new


def test_flh408_remember_cookie_flags(tmp_path: Path) -> None:
    pytest.importorskip("flask_login")
    _, after, _ = before_and_after(FIXTURES / "FLH408" / "basic.py", tmp_path, "FLH408", True)
    assert after.config["REMEMBER_COOKIE_SECURE"] is True
    assert after.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    from flask_login import UserMixin, login_user

    class User(UserMixin):
        id = "1"

    after.secret_key = "test"
    after.login_manager.user_loader(lambda _id: User())

    @after.route("/remember")
    def remember() -> str:
        login_user(User(), remember=True)
        return "ok"

    remember_cookie = _cookies(after, "/remember")["remember_token"]
    assert "secure" in _attributes(remember_cookie) and "SameSite=Lax" in remember_cookie


def test_flh409_rewrite_sends_the_same_cookie(tmp_path: Path) -> None:
    before, after, fixed = before_and_after(
        FIXTURES / "FLH409" / "basic.py", tmp_path, "FLH409", True
    )
    assert "set_cookie" in fixed
    for route, name in [("/constant", "theme"), ("/no-path", "lang")]:
        old = _cookies(before, route)[name]
        new = _cookies(after, route)[name]
        assert old.split(";")[0] == new.split(";")[0]
        old_attributes = {a.strip().lower() for a in old.split(";")[1:]}
        new_attributes = {a.strip().lower() for a in new.split(";")[1:]}
        # set_cookie adds Expires next to Max-Age (sync_expires); nothing else differs.
        extra = {a for a in new_attributes - old_attributes if a.startswith("expires=")}
        assert new_attributes - extra == old_attributes
        assert bool(extra) == any(a.startswith("max-age=") for a in old_attributes)


def test_flh410_deletion_matches_the_cookie(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH410" / "basic.py", tmp_path, "FLH410", True)
    client = after.test_client()
    client.get("/login", base_url="https://www.example.com")
    assert client.get_cookie("remember", path="/app", domain="www.example.com") is not None
    client.get("/logout", base_url="https://www.example.com")
    assert client.get_cookie("remember", path="/app", domain="www.example.com") is None
    assert client.get_cookie("pref", domain="example.com") is None

    old = before.test_client()
    old.get("/login", base_url="https://www.example.com")
    old.get("/logout", base_url="https://www.example.com")
    # Before the fix the deletion missed the cookie.
    assert old.get_cookie("remember", path="/app", domain="www.example.com") is not None


def test_set_cookie_deletions_expire_at_once(tmp_path: Path) -> None:
    # Why FLH401-403 skip set_cookie(..., expires=0 / max_age=0): the browser drops it.
    text = (FIXTURES / "FLH401" / "negatives.py").read_text(encoding="utf-8")
    app = load_app(text, tmp_path)
    headers = app.test_client().get("/logout").headers.getlist("Set-Cookie")
    cookies = {value.split("=", 1)[0]: value for value in headers}
    assert "Expires=Thu, 01 Jan 1970 00:00:00 GMT" in cookies["auth_token"]
    assert "Max-Age=0" in cookies["session_id"]
    assert "Max-Age=-1" in cookies["sid"]  # RFC 6265: Max-Age <= 0 expires at once
    assert "Expires=Thu, 01 Jan 1970 00:00:00 GMT" in cookies["theme"]  # delete_cookie


def test_session_config_through_self_in_a_flask_subclass(tmp_path: Path) -> None:
    """fixtures/FLH407/flask_subclass.py: the flags written through ``self.config`` count."""
    from runtime_support import load_module_from_text

    module = load_module_from_text(
        (FIXTURES / "FLH407" / "flask_subclass.py").read_text(encoding="utf-8"), tmp_path
    )
    plain = module.create_app().test_client().get("/").headers["Set-Cookie"]
    hardened = module.create_hardened_app().test_client().get("/").headers["Set-Cookie"]
    assert "Secure" not in plain and "SameSite" not in plain
    assert "Secure" in hardened and "SameSite=Lax" in hardened


def test_a_session_interface_of_its_own_decides_the_flags(tmp_path: Path) -> None:
    """fixtures/FLH407/session_interface.py: ``own``'s interface makes the cookie Secure on
    HTTPS whatever the settings (not reported); ``renamed`` keeps Flask's getters, so
    the settings decide, and the fix makes its cookie Secure and SameSite."""
    fixture = FIXTURES / "FLH407" / "session_interface.py"
    for name in ("own", "own_class"):
        own = load_app(fixture.read_text(encoding="utf-8"), tmp_path, name)
        secure = own.test_client().get("/", base_url="https://x").headers["Set-Cookie"]
        assert "Secure" in secure
        assert "Secure" not in own.test_client().get("/").headers["Set-Cookie"]
    before, after, _ = before_and_after(fixture, tmp_path, "FLH407", True, attr="renamed")
    old = before.test_client().get("/", base_url="https://x").headers["Set-Cookie"]
    new = after.test_client().get("/", base_url="https://x").headers["Set-Cookie"]
    assert "Secure" not in old and "SameSite" not in old
    assert "Secure" in new and "SameSite=Lax" in new


@pytest.mark.parametrize("secure_config", [True, False])
def test_flh401_fix_in_a_session_interface(tmp_path: Path, secure_config: bool) -> None:
    """The interface ignored ``SESSION_COOKIE_SECURE``; after the fix
    (``secure=self.get_cookie_secure(app)``) the session id cookie follows it."""
    from flask import Flask, session
    from runtime_support import fix_text, load_module_from_text

    text = (FIXTURES / "FLH401" / "session_interface.py").read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, "FLH401", unsafe=True)

    def session_cookie(source: str) -> str:
        module = load_module_from_text(source, tmp_path)
        app = Flask(__name__)
        app.config.update(SECRET_KEY="test", SESSION_COOKIE_SECURE=secure_config)
        app.session_interface = module.StoreSessionInterface()

        @app.route("/")
        def index() -> str:
            session["seen"] = True
            return "ok"

        return _cookies(app, "/")["session"]

    before, after = session_cookie(text), session_cookie(fixed)
    assert "secure" not in _attributes(before)
    assert ("secure" in _attributes(after)) == secure_config
    assert _attributes(after) - {"secure"} == _attributes(before)


@pytest.mark.parametrize("fixture", ["config_by_name.py", "local_flask_subclass.py"])
def test_flh407_fix_of_factory_apps(tmp_path: Path, fixture: str) -> None:
    """The reported factory's app sends a Secure session cookie after the fix; its
    ``from_object(CONFIGS[name])`` / local ``Flask`` subclass keeps working."""
    before, after, _ = before_and_after(
        FIXTURES / "FLH407" / fixture, tmp_path, "FLH407", True, attr="create_app"
    )
    old = _cookies(before, "/")["session"]
    new = _cookies(after, "/")["session"]
    assert "secure" not in _attributes(old)
    assert "secure" in _attributes(new)


def _interface_session_cookie(source: str, tmp_path: Path, **config: object) -> str:
    """The session cookie an app sends through the fixture's ``StoreSessionInterface``."""
    from flask import Flask, session
    from runtime_support import load_module_from_text

    module = load_module_from_text(source, tmp_path)
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", **config)
    app.session_interface = module.StoreSessionInterface()
    app.session_interface.open_session = lambda app, request: _SidSession(sid="abc")

    @app.route("/")
    def index() -> str:
        session["seen"] = True
        return "ok"

    return _cookies(app, "/")["session"]


class _SidSession(dict):
    """A session with the ``sid`` the fixture's interface writes."""

    def __init__(self, sid: str) -> None:
        super().__init__()
        self.sid = sid
        self.permanent = False
        self.modified = False
        self.accessed = False
        self.new = True


def test_flh403_fix_in_a_session_interface(tmp_path: Path) -> None:
    """After the fix (``samesite=self.get_cookie_samesite(app)``) the interface's session
    cookie carries ``SESSION_COOKIE_SAMESITE``."""
    from runtime_support import fix_text

    text = (FIXTURES / "FLH403" / "session_interface.py").read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, "FLH403", unsafe=True)
    before = _interface_session_cookie(text, tmp_path, SESSION_COOKIE_SAMESITE="Strict")
    after = _interface_session_cookie(fixed, tmp_path, SESSION_COOKIE_SAMESITE="Strict")
    assert "samesite" not in _attributes(before)
    assert "SameSite=Strict" in after


def test_flh402_fix_in_a_session_interface(tmp_path: Path) -> None:
    """After the fix (``httponly=self.get_cookie_httponly(app)``) the interface's session
    cookie is ``HttpOnly``, as Flask's default ``SESSION_COOKIE_HTTPONLY`` asks."""
    from runtime_support import fix_text

    text = (FIXTURES / "FLH402" / "session_interface.py").read_text(encoding="utf-8")
    fixed = fix_text(text, tmp_path, "FLH402", unsafe=True)
    assert "httponly" not in _attributes(_interface_session_cookie(text, tmp_path))
    assert "httponly" in _attributes(_interface_session_cookie(fixed, tmp_path))
