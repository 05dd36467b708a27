"""Global header providers (model/providers.py), set-by-proxy, and one-file runs of a project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flasklint_headers.config import Settings, expand_selectors
from flasklint_headers.discovery import iter_python_files
from flasklint_headers.findings import Severity
from flasklint_headers.model.providers import app_has_views, providers
from flasklint_headers.project_root import find_project_root, project_files_for
from flasklint_headers.runner import FileReport, LoadedFile, build_project, check_loaded, lint_text
from flasklint_headers.runner import load_file as _load_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
APP_WIDE = ["FLH301", "FLH302", "FLH303", "FLH304", "FLH305"]


def load_file(path: Path) -> LoadedFile:
    loaded = _load_file(path)
    assert not isinstance(loaded, FileReport)
    return loaded


def settings(*selectors: str, proxy: frozenset[str] = frozenset()) -> Settings:
    return Settings(enabled=frozenset(expand_selectors(selectors, "test")), set_by_proxy=proxy)


def codes(findings) -> list[str]:
    return sorted(f.code for f in findings)


BARE_APP = """
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"
"""


def test_bare_app_misses_everything() -> None:
    assert codes(lint_text(BARE_APP, settings("FLH3"))) == APP_WIDE


def test_set_by_proxy_covers_headers() -> None:
    proxy = frozenset({"Strict-Transport-Security", "content-security-policy"})
    found = codes(lint_text(BARE_APP, settings("FLH3", proxy=proxy)))
    assert found == ["FLH302", "FLH304", "FLH305"]


def test_unknown_middleware_downgrades_to_info() -> None:
    text = BARE_APP + "\napp.wsgi_app = Custom(app.wsgi_app)\n"
    findings = lint_text(text, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert {f.severity for f in findings} == {Severity.INFO}
    assert all("Cannot verify" in f.message for f in findings)


@pytest.mark.parametrize(
    "middleware",
    [
        "if True: app.wsgi_app = Custom(app.wsgi_app)\n",  # one-line suite
        "wrapped = app.wsgi_app = Custom(app.wsgi_app)\n",  # not the first target
        "def wrap():\n    app.wsgi_app = Custom(app.wsgi_app)\n\nwrap()\n",
    ],
)
def test_unknown_middleware_in_any_statement_form_downgrades_to_info(middleware: str) -> None:
    findings = lint_text(BARE_APP + "\n" + middleware, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert {f.severity for f in findings} == {Severity.INFO}


def test_middleware_assigned_through_a_name_is_classified_by_its_call() -> None:
    """``wrapped = DispatcherMiddleware(...)``; ``app.wsgi_app = wrapped`` adds no header."""
    text = BARE_APP + (
        "\nfrom werkzeug.middleware.dispatcher import DispatcherMiddleware\n"
        "wrapped = DispatcherMiddleware(app.wsgi_app, {})\n"
        "app.wsgi_app = wrapped\n"
    )
    findings = lint_text(text, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert not any("Cannot verify" in f.message for f in findings)


@pytest.mark.parametrize(
    ("middleware", "named"),
    [
        ("wrapped = Custom(app.wsgi_app)\napp.wsgi_app = wrapped\n", "`Custom`"),
        ("app.wsgi_app = factory()(app.wsgi_app)\n", "`factory()`"),
        # Bound twice: the name is all we can show.
        ("w = A(app.wsgi_app)\nw = B(w)\napp.wsgi_app = w\n", "`w`"),
    ],
)
def test_unknown_middleware_is_named_as_written(middleware: str, named: str) -> None:
    findings = lint_text(BARE_APP + "\n" + middleware, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert all(f"WSGI middleware {named} wraps the app" in f.message for f in findings)


PASS_THROUGH = """
class PrefixMiddleware:
    def __init__(self, app, prefix):
        self.app = app
        self.prefix = prefix

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path.startswith(self.prefix):
            environ["SCRIPT_NAME"] = self.prefix
            environ["PATH_INFO"] = path[len(self.prefix):] or "/"
            return self.app(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not here"]
"""
HEADER_ADDING = """
class AddHeaders:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        def with_headers(status, headers, exc_info=None):
            headers.append(("X-Frame-Options", "DENY"))
            return start_response(status, headers, exc_info)

        return self.app(environ, with_headers)
"""
WRAPPED_BODY = """
class Wrap:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        return Body(self.app(environ, start_response))
"""


def _wrapped_app(middleware: str, wrap: str) -> str:
    return BARE_APP + middleware + f"\napp.wsgi_app = {wrap}\n"


@pytest.mark.parametrize(
    "middleware",
    [
        "from werkzeug.debug import DebuggedApplication\n"
        "if app.debug:\n    app.wsgi_app = DebuggedApplication(app.wsgi_app, True)\n",
        "from werkzeug.middleware.proxy_fix import ProxyFix\n"
        "app.wsgi_app = ProxyFix(app.wsgi_app)\n",
        # Werkzeug before 1.0 kept it in ``contrib`` (terracotta).
        "from werkzeug.contrib.profiler import ProfilerMiddleware\n"
        "app.wsgi_app = ProfilerMiddleware(app.wsgi_app)\n",
        "from werkzeug.contrib.lint import LintMiddleware\n"
        "app.wsgi_app = LintMiddleware(app.wsgi_app)\n",
        # sematic: python-socketio answers /socket.io/ and passes everything else on.
        "import socketio\nsio = socketio.Server()\n"
        "app.wsgi_app = socketio.WSGIApp(sio, app.wsgi_app)\n",
        "from socketio import Middleware\napp.wsgi_app = Middleware(None, app.wsgi_app)\n",
        "import engineio\neio = engineio.Server()\n"
        "app.wsgi_app = engineio.WSGIApp(eio, app.wsgi_app)\n",
    ],
)
def test_pass_through_middleware_is_neutral(middleware: str) -> None:
    findings = lint_text(BARE_APP + "\n" + middleware, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert not any("Cannot verify" in f.message for f in findings)


def test_project_middleware_that_passes_responses_through_is_neutral() -> None:
    text = _wrapped_app(PASS_THROUGH, 'PrefixMiddleware(app.wsgi_app, "/db")')
    findings = lint_text(text, settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert not any("Cannot verify" in f.message for f in findings)


@pytest.mark.parametrize(
    ("middleware", "wrap"),
    [
        (HEADER_ADDING, "AddHeaders(app.wsgi_app)"),  # wraps start_response
        (WRAPPED_BODY, "Wrap(app.wsgi_app)"),  # wraps the response body
        (
            PASS_THROUGH.replace("PrefixMiddleware:", "PrefixMiddleware(Base):"),
            "PrefixMiddleware(app.wsgi_app, '/')",
        ),
    ],
)
def test_project_middleware_that_may_touch_responses_cannot_be_verified(
    middleware: str, wrap: str
) -> None:
    findings = lint_text(_wrapped_app(middleware, wrap), settings("FLH3"))
    assert codes(findings) == APP_WIDE
    assert all("Cannot verify" in f.message for f in findings)


def test_pass_through_middleware_leaves_the_app_headers_alone(tmp_path: Path) -> None:
    """Runtime: the app's own headers come out of PrefixMiddleware unchanged."""
    from runtime_support import load_module_from_text

    text = (
        BARE_APP
        + PASS_THROUGH
        + (
            "\n@app.after_request\ndef stamp(response):\n"
            '    response.headers["X-Frame-Options"] = "DENY"\n    return response\n'
        )
    )
    module = load_module_from_text(text, tmp_path)
    plain = module.app.test_client().get("/")
    module.app.wsgi_app = module.PrefixMiddleware(module.app.wsgi_app, "/db")
    wrapped = module.app.test_client().get("/db/")
    assert wrapped.status_code == plain.status_code == 200
    assert wrapped.headers == plain.headers
    assert wrapped.data == plain.data


HOOK_WITH_HELPERS = (
    BARE_APP
    + """

def stamp(resp):
    resp.headers["X-Frame-Options"] = "DENY"
    return finish(resp)


def finish(resp):
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@app.after_request
def after(response):
    response = stamp(response)
    return response
"""
)


def test_project_helpers_of_a_hook_are_followed(tmp_path: Path) -> None:
    findings = lint_text(HOOK_WITH_HELPERS, settings("FLH3"))
    assert codes(findings) == ["FLH301", "FLH303", "FLH305"]
    assert not any("Cannot verify" in f.message for f in findings)
    # Runtime: the two headers the model credits to the helpers are on every response.
    from runtime_support import load_module_from_text

    client = load_module_from_text(HOOK_WITH_HELPERS, tmp_path).app.test_client()
    for path in ("/", "/missing"):
        headers = client.get(path).headers
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_helper_that_hands_the_response_on_to_unknown_code_cannot_be_verified() -> None:
    text = HOOK_WITH_HELPERS.replace("    return resp\n", "    return vendor.apply(resp)\n", 1)
    findings = lint_text(text, settings("FLH3"))
    assert codes(findings) == ["FLH301", "FLH303", "FLH305"]
    assert all("Cannot verify" in f.message for f in findings)


def test_test_modules_are_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "tests" / "test_views.py"
    path.parent.mkdir()
    path.write_text(BARE_APP)
    assert lint_text(BARE_APP, settings("FLH3"), path=path) == []


def test_providers_of_a_factory_project() -> None:
    root = FIXTURES / "projects" / "secure_factory"
    project = build_project([load_file(p) for p in iter_python_files([root])])
    (app,) = project.apps()
    assert app_has_views(app)
    found = providers(app)
    assert [s.kind for s in found.sources] == ["talisman"]
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert found.covers(header)
    (config,) = found.talisman
    assert config.value("content_security_policy")["base-uri"] == "'self'"
    assert config.value("force_https") is True  # Talisman's default
    assert not found.unknown


def _check_project(files: list[Path], only: Path) -> list[tuple[int, str, str]]:
    loaded = [load_file(p) for p in files]
    build_project(loaded)
    target = next(item for item in loaded if item.path.resolve() == only.resolve())
    return [(f.location.row, f.code, f.message) for f in check_loaded(target, Settings.default())]


def test_one_file_run_equals_full_run(tmp_path: Path) -> None:
    """Linting one file with the project's model gives the full run's answer for it."""
    for name, package in (("secure_factory", "secureapp"), ("insecure_factory", "insecureapp")):
        root = tmp_path / name
        shutil.copytree(FIXTURES / "projects" / name, root)
        (root / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
        init = root / package / "__init__.py"
        full = _check_project(list(iter_python_files([root])), init)
        # What a pre-commit run on the one changed file sees:
        one_file = _check_project([init, *project_files_for([init])], init)
        assert one_file == full


def test_factory_alone_would_miss_findings(tmp_path: Path) -> None:
    """Why one-file runs need the rest of the project: the routes live in views.py."""
    root = tmp_path / "insecure_factory"
    shutil.copytree(FIXTURES / "projects" / "insecure_factory", root)
    init = root / "insecureapp" / "__init__.py"
    alone = [(code, message) for _, code, message in _check_project([init], init)]
    full = {code for _, code, _ in _check_project(list(iter_python_files([root])), init)}
    # Alone, the blueprint's module is unknown: it could set the headers.
    app_wide = [message for code, message in alone if code in APP_WIDE]
    assert app_wide and all(m.startswith("Cannot verify") for m in app_wide)
    assert all("`insecureapp.views`, which is not checked" in m for m in app_wide)
    assert set(APP_WIDE) <= full


def test_project_root_markers(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("")
    package = tmp_path / "src" / "pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "views.py").write_text("")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run.py").write_text("")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "ignored.py").write_text("")
    assert find_project_root(package / "views.py") == tmp_path.resolve()
    others = project_files_for([package / "views.py"])
    assert sorted(p.relative_to(tmp_path.resolve()).as_posix() for p in others) == [
        "scripts/run.py",
        "src/pkg/__init__.py",
    ]


def test_project_root_without_markers(tmp_path: Path) -> None:
    # No marker anywhere above: the top package dir, or the script's siblings.
    base = tmp_path / "nomarker"
    package = base / "pkg"
    (package / "sub").mkdir(parents=True)
    for path in (
        package / "__init__.py",
        package / "sub" / "__init__.py",
        package / "sub" / "a.py",
    ):
        path.write_text("")
    (base / "loose.py").write_text("")
    (base / "sibling.py").write_text("")
    if find_project_root(package / "sub" / "a.py") is not None:
        return  # the temp dir lives inside a marked tree on this machine
    others = project_files_for([package / "sub" / "a.py"])
    assert sorted(p.name for p in others) == ["__init__.py", "__init__.py"]
    assert [p.name for p in project_files_for([base / "loose.py"])] == ["sibling.py"]


def test_project_file_limit_falls_back_to_package(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("")
    for index in range(5):
        (tmp_path / f"other{index}.py").write_text("")
    others = project_files_for([package / "a.py"], limit=3)
    assert [p.name for p in others] == ["__init__.py"]


def test_set_by_proxy_from_pyproject(tmp_path: Path) -> None:
    """End to end: ``set-by-proxy`` in ``[tool.flasklint-headers]`` reaches FLH301-305."""
    from click.testing import CliRunner

    from flasklint_headers.cli import main

    (tmp_path / "pyproject.toml").write_text(
        "[tool.flasklint-headers]\n"
        'set-by-proxy = ["Strict-Transport-Security", "Content-Security-Policy"]\n'
    )
    app = tmp_path / "app.py"
    app.write_text(BARE_APP)
    result = CliRunner().invoke(
        main,
        ["--no-cache", "--select", "FLH3", "--output-format", "concise", str(app)],
    )
    assert "FLH304" in result.output
    assert "FLH303" not in result.output and "FLH301" not in result.output


def test_opaque_blueprints_say_why_the_header_cannot_be_verified() -> None:
    """fixtures/FLH301/opaque_blueprints.py: which unfollowable blueprints make the finding
    an info ('cannot verify') and which leave it a warning (a library's blueprint)."""
    from flasklint_headers.findings import Severity

    path = FIXTURES / "FLH301" / "opaque_blueprints.py"
    findings = lint_text(path.read_text(encoding="utf-8"), settings("FLH301"), str(path))
    by_row = {f.location.row: f for f in findings}
    assert by_row[14].severity is Severity.INFO and "loaded by name" in by_row[14].message
    assert by_row[20].severity is Severity.WARNING and "No app-wide" in by_row[20].message
    assert "may be its" in by_row[50].message
    assert "may be its" in by_row[58].message
