"""AppConfig: what the model says an app's config is (value / UNKNOWN / MISSING)."""

from __future__ import annotations

import datetime

from model_projects.support import load_project, project_from_sources

from flasklint_headers.model import UNKNOWN
from flasklint_headers.model.app_config import MISSING


def _config(tmp_path, files):
    project = project_from_sources(tmp_path, files)
    apps = project.apps()
    assert len(apps) == 1
    return project.config(apps[0])


def test_factory_project_config():
    project = load_project("factory")
    (app,) = project.apps()
    config = project.config(app)
    # from_object(settings.ProductionConfig): inherited and own UPPERCASE attributes
    assert config.get("SESSION_COOKIE_HTTPONLY") is True
    assert config.get("HSTS_MAX_AGE") == 31536000
    assert config.get("REMEMBER_COOKIE_DURATION") == datetime.timedelta(days=14)
    assert "lower_case_is_ignored" not in config.written_keys()
    # set True by the class, set False only in a dev branch -> not a known constant
    assert config.get("SESSION_COOKIE_SECURE") is UNKNOWN
    assert [w.op for w in config.writes_for("SESSION_COOKIE_SECURE")] == ["from_object", "setitem"]
    assert config.writes_for("SESSION_COOKIE_SECURE")[1].conditional
    assert config.get("SESSION_COOKIE_SAMESITE") == "Lax"
    assert config.get("SECRET_KEY") is UNKNOWN  # os.environ.get
    assert config.get("PREFERRED_URL_SCHEME") == "https"
    assert config.get("NOT_SET_ANYWHERE") is MISSING
    assert not config.has_unknown_source
    write = config.write_for("HSTS_MAX_AGE")
    assert write is not None and write.model.module_name == "shop.settings"


def test_setitem_update_mapping_forms(tmp_path):
    config = _config(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\n"
                "BASE = {'SESSION_COOKIE_SAMESITE': 'Strict'}\n"
                "app = Flask(__name__)\n"
                "cfg = app.config\n"
                "app.config['SESSION_COOKIE_SECURE'] = True\n"
                "app.config.update(SESSION_COOKIE_HTTPONLY=False)\n"
                "app.config.update({'A': 1, **BASE})\n"
                "app.config.from_mapping(dict(B='b'))\n"
                "cfg['C'] = 60 * 60\n"
                "app.config.setdefault('SESSION_COOKIE_SECURE', False)\n"
                "app.config.setdefault('REMEMBER_COOKIE_SECURE', True)\n"
                "app.config.setdefault('SESSION_COOKIE_NAME', 'x')\n"
            )
        },
    )
    assert config.get("SESSION_COOKIE_SECURE") is True  # setdefault keeps it
    assert config.get("SESSION_COOKIE_HTTPONLY") is False
    assert config.get("A") == 1
    assert config.get("SESSION_COOKIE_SAMESITE") == "Strict"
    assert config.get("B") == "b"
    assert config.get("C") == 3600
    assert config.get("REMEMBER_COOKIE_SECURE") is True
    assert config.get("SESSION_COOKIE_NAME") is MISSING  # Flask default key: setdefault no-op
    assert not config.has_unknown_source


def test_unknown_sources(tmp_path):
    for line in (
        "app.config.from_pyfile('settings.cfg')",
        "app.config.from_envvar('APP_SETTINGS')",
        "app.config.from_prefixed_env()",
        "app.config.from_object(os.environ['CONFIG'])",
        "app.config.from_object('not_in_project.Config')",
        "app.config.update(load())",
        "app.config[key] = True",
    ):
        config = _config(
            tmp_path / str(abs(hash(line))),
            {"app.py": f"import os\nfrom flask import Flask\napp = Flask(__name__)\n{line}\n"},
        )
        assert config.has_unknown_source, line
        assert config.get("SESSION_COOKIE_SECURE") is UNKNOWN, line


def test_from_object_string_module_and_class(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "pkg/__init__.py": (
                "from flask import Flask\n"
                "def create_app():\n"
                "    app = Flask(__name__)\n"
                "    app.config.from_object('pkg.defaults')\n"
                "    app.config.from_object('pkg.settings.Prod')\n"
                "    return app\n"
            ),
            "pkg/defaults.py": "SESSION_COOKIE_SAMESITE = 'Lax'\nDEBUG = False\n",
            "pkg/settings.py": (
                "import os\n"
                "from .defaults import DEBUG\n"
                "class Base(object):\n"
                "    SESSION_COOKIE_SECURE = False\n"
                "class Prod(Base):\n"
                "    SESSION_COOKIE_SECURE = True\n"
                "    SECRET_KEY = os.getenv('KEY')\n"
                "    @property\n"
                "    def DATABASE_URI(self):\n"
                "        return 'x'\n"
            ),
        },
    )
    (app,) = project.apps()
    config = project.config(app)
    assert config.get("SESSION_COOKIE_SAMESITE") == "Lax"
    assert config.get("SESSION_COOKIE_SECURE") is True
    assert config.get("SECRET_KEY") is UNKNOWN
    assert config.get("DATABASE_URI") is UNKNOWN
    assert not config.has_unknown_source


def test_from_object_class_with_unknown_base_is_incomplete(tmp_path):
    config = _config(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\n"
                "from somewhere import BaseConfig\n"
                "class Config(BaseConfig):\n"
                "    SESSION_COOKIE_SECURE = True\n"
                "app = Flask(__name__)\n"
                "app.config.from_object(Config)\n"
            )
        },
    )
    assert config.get("SESSION_COOKIE_SECURE") is True
    assert config.has_unknown_source
    assert config.get("SESSION_COOKIE_HTTPONLY") is UNKNOWN


def test_current_app_config_is_not_setup(tmp_path):
    config = _config(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask, current_app\n"
                "app = Flask(__name__)\n"
                "def view():\n"
                "    current_app.config['SESSION_COOKIE_SECURE'] = False\n"
            )
        },
    )
    assert config.get("SESSION_COOKIE_SECURE") is MISSING


def test_config_set_in_helper_called_from_factory(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "pkg/__init__.py": (
                "from flask import Flask\n"
                "from .setup import configure\n"
                "def create_app():\n"
                "    app = Flask(__name__)\n"
                "    configure(app)\n"
                "    return app\n"
            ),
            "pkg/setup.py": "def configure(app):\n    app.config['SESSION_COOKIE_SECURE'] = True\n",
        },
    )
    (app,) = project.apps()
    assert project.config(app).get("SESSION_COOKIE_SECURE") is True


def test_conditional_write_agreeing_with_previous_value(tmp_path):
    config = _config(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\n"
                "app = Flask(__name__)\n"
                "app.config['SESSION_COOKIE_SECURE'] = True\n"
                "if app.debug:\n"
                "    app.config['SESSION_COOKIE_SECURE'] = True\n"
                "    app.config['SESSION_COOKIE_HTTPONLY'] = False\n"
            )
        },
    )
    assert config.get("SESSION_COOKIE_SECURE") is True
    assert config.get("SESSION_COOKIE_HTTPONLY") is UNKNOWN


def test_config_attributes_of_the_app(tmp_path):
    # ``app.secret_key`` and friends are Flask ConfigAttributes: they write the config.
    config = _config(
        tmp_path,
        {
            "app.py": (
                "import datetime\n"
                "from flask import Flask\n"
                "app = Flask(__name__)\n"
                "app.secret_key = 'dev'\n"
                "app.permanent_session_lifetime = datetime.timedelta(days=3)\n"
                "def setup(flask_app):\n"
                "    flask_app.testing = True\n"
                "setup(app)\n"
                "class Other:\n"
                "    pass\n"
                "other = Other()\n"
                "other.debug = True\n"
            ),
        },
    )
    assert config.get("SECRET_KEY") == "dev"
    assert [w.op for w in config.writes_for("SECRET_KEY")] == ["setattr"]
    assert config.get("PERMANENT_SESSION_LIFETIME") == datetime.timedelta(days=3)
    assert config.get("TESTING") is True
    assert config.get("DEBUG") is MISSING  # set on another object


def test_setdefault_of_unknown_keys_cannot_touch_flask_defaults(tmp_path):
    """flask-compress: ``for key, value in defaults: app.config.setdefault(key, value)``."""
    config = _config(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask\napp = Flask(__name__)\n"
                "DEFAULTS = [('COMPRESS_LEVEL', 6)]\n"
                "for key, value in DEFAULTS:\n    app.config.setdefault(key, value)\n"
            )
        },
    )
    assert not config.has_unknown_source
    assert config.get("SESSION_COOKIE_SECURE") is MISSING  # preset by Flask: setdefault no-op
    assert config.get("REMEMBER_COOKIE_SECURE") is UNKNOWN  # may have been filled
