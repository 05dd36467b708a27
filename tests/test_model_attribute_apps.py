"""Apps kept in an instance attribute (cellxgene's ``self.app = Flask(...)``)."""

from __future__ import annotations

from pathlib import Path

from model_projects.support import project_from_sources

from flasklint_headers.model.providers import is_served, providers

MAIN = """\
from flask import Flask

main_app = Flask("main")


@main_app.after_request
def csp(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    return response


@main_app.route("/")
def index():
    return "hi"
"""

SERVER = """\
from flask import Blueprint, Flask

from pkg.main import main_app

web = Blueprint("web", __name__)


@web.route("/")
def page():
    return "page"


def add_nosniff(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class Server:
    def __init__(self):
        self.app = Flask(__name__)
        self.app.register_blueprint(web)
        self.harden()

    def harden(self):
        self.app.after_request(add_nosniff)
"""


def test_self_app_is_traced_among_several_apps(tmp_path: Path) -> None:
    project = project_from_sources(
        tmp_path, {"pkg/__init__.py": "", "pkg/main.py": MAIN, "pkg/server.py": SERVER}
    )
    (server_app,) = [app for app in project.apps() if app.name is None]
    # Its blueprint's view and its hook are found through ``self.app`` in other methods,
    # though another app in the linked modules rules out guessing "the only app".
    assert is_served(server_app)
    headers = {h for source in providers(server_app).sources for h in source.headers}
    assert "x-content-type-options" in headers
    assert "content-security-policy" not in headers
