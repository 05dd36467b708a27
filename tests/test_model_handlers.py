"""Handlers, apps, blueprints, extensions and registration order."""

from __future__ import annotations

import sys

import libcst as cst
import pytest
from model_projects.support import HERE, function, load_project, project_from_sources

from flasklint_headers.model.handlers import parse_rule
from flasklint_headers.model.names import APP, BLUEPRINT, TALISMAN


@pytest.fixture(scope="module")
def shop():
    return load_project("factory")


def _handlers(project):
    return {
        (model.module_name, func.name.value): handler
        for model in project.all_modules()
        for func, handler in model.handlers().items()
    }


def test_every_handler_of_the_factory_project(shop):
    found = {key: (h.kind, h.hook, h.owner_kind) for key, h in _handlers(shop).items()}
    assert found == {
        ("shop.api", "teapot"): ("error_handler", "register_error_handler", BLUEPRINT),
        ("shop.api", "get"): ("restful", "get", None),
        ("shop.api", "post"): ("restful", "post", None),
        ("shop.api", "not_found"): ("error_handler", "errorhandler", BLUEPRINT),
        ("shop.api.views", "list_users"): ("route", "add_url_rule", BLUEPRINT),
        ("shop.hooks", "teardown"): ("teardown", "teardown_appcontext", APP),
        ("shop.hooks", "add_frame_options"): ("after_request", "after_request", APP),
        ("shop.hooks", "add_security_headers"): ("after_request", "after_request", APP),
        ("shop.views.main", "item"): ("route", "route", BLUEPRINT),
        ("shop.views.main", "plain"): ("route", "get", BLUEPRINT),
        ("shop.views.main", "admin_index"): ("route", "route", BLUEPRINT),
        ("shop.views.main", "get"): ("method_view", "get", None),
        ("shop.views.main", "bp_only"): ("after_request", "after_request", BLUEPRINT),
        ("shop.views.main", "everywhere"): ("after_request", "after_app_request", BLUEPRINT),
    }


def test_external_registration_knows_the_registering_module(shop):
    handlers = _handlers(shop)
    assert handlers[("shop.hooks", "add_security_headers")].owner_model.module_name == "shop"
    assert handlers[("shop.api.views", "list_users")].owner_model.module_name == "shop.api"
    assert handlers[("shop.views.main", "item")].owner_model is None
    views = shop.modules["shop.api.views"]
    assert views.is_view(function(views, "list_users"))


def test_views_and_hooks_queries(shop):
    main = shop.modules["shop.views.main"]
    assert main.is_view(function(main, "item"))
    assert main.is_view(function(main, "ItemAPI.get"))
    assert not main.is_view(function(main, "ItemAPI.helper"))
    assert not main.is_view(function(main, "not_a_view"))
    assert main.is_after_request_hook(function(main, "bp_only"))
    assert main.handler(function(main, "bp_only")).blueprint_scoped
    assert main.handler(function(main, "everywhere")).app_wide
    api = shop.modules["shop.api"]
    assert api.handler(function(api, "UserResource.get")).restful


def test_route_params(shop):
    main = shop.modules["shop.views.main"]
    assert main.route_params(function(main, "item")) == {"item_id": "int", "rest": "path"}
    # MethodView registered with add_url_rule(view_func=ItemAPI.as_view(...))
    assert main.route_params(function(main, "ItemAPI.get")) == {"item_id": "uuid"}
    api = shop.modules["shop.api"]
    # Flask-RESTful api.add_resource(UserResource, "/users/<int:user_id>")
    assert api.route_params(function(api, "UserResource.get")) == {"user_id": "int"}
    assert main.route_params(function(main, "not_a_view")) == {}


def test_parse_rule():
    assert parse_rule("/a/<x>/<int(min=1):y>/<any(a, b):z>") == {
        "x": "string",
        "y": "int",
        "z": "any",
    }
    assert parse_rule("/static") == {}


def test_apps_blueprints_extensions(shop):
    (app,) = shop.apps()
    assert app.model.module_name == "shop" and app.name == "app"
    edges = {
        (e.blueprint.args[0].value.value, e.parent is not None)
        for e in shop.blueprint_registrations()
    }
    assert edges == {('"main"', False), ('"api"', False), ('"admin"', True)}
    inits = shop.extension_inits(app)
    assert [i.kind for i in inits] == [TALISMAN, "flask_cors.CORS"]
    talisman = inits[0]
    # options of the constructor in extensions.py merged with init_app's
    assert set(talisman.options) == {"content_security_policy", "force_https"}
    assert talisman.constructor is not None


def _forget_shop_modules() -> None:
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        del sys.modules[name]


def test_app_hook_order_matches_flask(shop):
    """The model's order of app-wide after_request hooks is Flask's registration order."""
    (app_info,) = shop.apps()
    hooks = shop.app_hooks(app_info)
    names = [h.function.name.value for h in hooks]
    assert names == ["add_security_headers", "add_frame_options", "everywhere"]
    assert all(h.position is not None for h in hooks)
    (talisman,) = shop.extension_inits(app_info, TALISMAN)
    talisman_at = shop.extension_position(app_info, talisman)
    assert talisman_at is not None and talisman_at < hooks[0].position

    _forget_shop_modules()  # another test may have imported a different ``shop`` package
    sys.path.insert(0, str(HERE / "factory"))
    try:
        import shop as shop_package

        app = shop_package.create_app()
    finally:
        sys.path.remove(str(HERE / "factory"))
        _forget_shop_modules()
    registered = [f.__name__ for f in app.after_request_funcs[None]]
    ours = [n for n in registered if n in names]
    assert ours == names
    # Talisman's own hook is registered before every project hook (so runs after them)
    assert registered.index("_set_response_headers") < registered.index(names[0])
    assert [f.__name__ for f in app.after_request_funcs["main"]] == ["bp_only"]
    assert [f.__name__ for f in app.teardown_appcontext_funcs] == ["teardown"]


def test_helper_parameter_is_an_app_through_call_sites(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "pkg/__init__.py": (
                "from flask import Flask\n"
                "from .hooks import register\n"
                "def create_app():\n"
                "    app = Flask(__name__)\n"
                "    register(app)\n"
                "    return app\n"
            ),
            "pkg/hooks.py": (
                "def register(app):\n"
                "    @app.after_request\n"
                "    def late(response):\n"
                "        return response\n"
                "def unrelated(app):\n"
                "    @app.after_request\n"
                "    def not_a_hook(response):\n"
                "        return response\n"
            ),
        },
    )
    hooks = project.modules["pkg.hooks"]
    assert hooks.is_after_request_hook(function(hooks, "register.late"))
    # ``unrelated`` is never called with an app: its parameter stays unknown
    assert hooks.handler(function(hooks, "unrelated.not_a_hook")) is None
    (app,) = project.apps()
    assert [h.function.name.value for h in project.app_hooks(app)] == ["late"]


def test_kinds_of_instances(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/base.py": (
                "import flask as f\n"
                "class MyFlask(f.Flask):\n"
                "    pass\n"
                "class MyBlueprint(f.Blueprint):\n"
                "    pass\n"
            ),
            "pkg/app.py": (
                "from flask import Flask, current_app\n"
                "from .base import MyFlask, MyBlueprint\n"
                "app = MyFlask(__name__)\n"
                "bp = MyBlueprint('b', __name__)\n"
                "def setup(application: Flask):\n"
                "    return application\n"
                "def view():\n"
                "    return current_app\n"
            ),
            "pkg/reexport.py": "from .app import app as application\n",
            "pkg/user.py": "from .reexport import application\n",
        },
    )
    model = project.modules["pkg.app"]
    assert model.kind_of(cst.Name("app")) == APP
    assert model.kind_of(cst.Name("bp")) == BLUEPRINT
    setup = function(model, "setup")
    assert model.kind_of(cst.Name("application"), setup) == APP
    assert model.kind_of(cst.Name("current_app"), function(model, "view")) == APP
    user = project.modules["pkg.user"]
    assert user.kind_of(cst.Name("application")) == APP
    assert project.app_of(user, cst.Name("application"), None) is project.apps()[0]


def test_call_forms_and_decorators(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask, after_this_request\n"
                "from flask_appbuilder import BaseView, expose\n"
                "app = Flask(__name__)\n"
                "def ping():\n"
                "    return 'pong'\n"
                "app.route('/ping/<name>')(ping)\n"
                "@app.endpoint('legacy')\n"
                "def legacy():\n"
                "    return 'x'\n"
                "@app.route('/a')\n"
                "def a():\n"
                "    def cleanup(response):\n"
                "        return response\n"
                "    after_this_request(cleanup)\n"
                "    @after_this_request\n"
                "    def other(response):\n"
                "        return response\n"
                "    return 'a'\n"
                "class MyView(BaseView):\n"
                "    @expose('/list/<int:pk>')\n"
                "    def list(self, pk):\n"
                "        return 'x'\n"
                "    def helper(self):\n"
                "        return 'y'\n"
                "class NotAView:\n"
                "    def get(self):\n"
                "        return 'z'\n"
            )
        },
    )
    (model,) = project.all_modules()
    assert model.handler(function(model, "ping")).routes == ("/ping/<name>",)
    assert model.handler(function(model, "legacy")).kind == "route"
    assert model.is_after_request_hook(function(model, "a.cleanup"))
    assert model.is_after_request_hook(function(model, "a.other"))
    assert model.route_params(function(model, "MyView.list")) == {"pk": "int"}
    assert model.handler(function(model, "MyView.helper")) is None
    assert model.handler(function(model, "NotAView.get")) is None


def test_lookalikes_are_not_handlers(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "app.py": (
                "from fastapi import FastAPI\n"
                "import click\n"
                "api = FastAPI()\n"
                "@api.get('/x')\n"
                "def fast():\n"
                "    return {}\n"
                "class Router:\n"
                "    def route(self, rule):\n"
                "        return lambda f: f\n"
                "router = Router()\n"
                "@router.route('/y')\n"
                "def routed():\n"
                "    return 'y'\n"
            )
        },
    )
    (model,) = project.all_modules()
    assert model.handlers() == {}


def test_restx_namespace_route_on_resource_class(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "app.py": (
                "from flask_restx import Namespace, Resource\n"
                "ns = Namespace('items')\n"
                "@ns.route('/<int:item_id>', '/<string:slug>')\n"
                "class Item(Resource):\n"
                "    def get(self, item_id=None, slug=None):\n"
                "        return {}, 200\n"
            )
        },
    )
    (model,) = project.all_modules()
    get = function(model, "Item.get")
    assert model.handler(get).restful
    assert model.route_params(get) == {"item_id": "int", "slug": "string"}


def test_order_of_module_level_app_with_views_imported_at_the_bottom(tmp_path):
    project = project_from_sources(
        tmp_path,
        {
            "pkg/__init__.py": (
                "from flask import Flask\n"
                "from flask_talisman import Talisman\n"
                "app = Flask(__name__)\n"
                "@app.after_request\n"
                "def first(response):\n"
                "    return response\n"
                "Talisman(app)\n"
                "from . import views\n"
            ),
            "pkg/views.py": (
                "from . import app\n"
                "@app.after_request\n"
                "def second(response):\n"
                "    return response\n"
            ),
        },
    )
    (app,) = project.apps()
    hooks = project.app_hooks(app)
    assert [h.function.name.value for h in hooks] == ["first", "second"]
    (talisman,) = project.extension_inits(app, TALISMAN)
    at = project.extension_position(app, talisman)
    assert hooks[0].position < at < hooks[1].position


def test_views_and_apps_of_handler(shop):
    (app,) = shop.apps()
    main = shop.modules["shop.views.main"]
    assert {f.name.value for f in main.views()} == {"item", "plain", "admin_index", "get"}
    # nested blueprint admin_bp -> main_bp -> app
    assert shop.apps_of_handler(main, function(main, "admin_index")) == [app]
    assert shop.apps_of_handler(main, function(main, "ItemAPI.get")) == []
    views = shop.modules["shop.api.views"]
    assert shop.apps_of_handler(views, function(views, "list_users")) == [app]


METHODS = """\
from flask import Flask

app = Flask(__name__)
holder = None


class Server:
    def run(self, other):
        self.setup(app)
        self.setup(flask_app=app)
        self.static_setup(app)
        other.setup(app)  # another object's method: not a call of Server.setup

    def setup(self, flask_app):
        return flask_app

    @staticmethod
    def static_setup(flask_app):
        return flask_app


def configure():
    global holder
    holder = Flask("holder")
"""


def test_method_parameters_take_the_kind_their_class_passes(tmp_path):
    project = project_from_sources(tmp_path, {"methods.py": METHODS})
    model = project.modules["methods"]
    setup = function(model, "Server.setup")
    passed = project.call_site_arguments(model, setup, "flask_app")
    assert [model.module.code_for_node(arg) for _, arg, _ in passed] == ["app", "app"]
    assert model.kind_of(cst.Name("flask_app"), setup) == APP
    # Static methods, and parameters of other objects' methods, are not followed.
    static = function(model, "Server.static_setup")
    assert project.call_site_arguments(model, static, "flask_app") == []
    assert project.call_site_arguments(model, setup, "self") == []


def test_global_assignment_in_a_function_binds_the_module_name(tmp_path):
    project = project_from_sources(tmp_path, {"methods.py": METHODS})
    model = project.modules["methods"]
    assert model.kind_of(cst.Name("holder")) == APP
    assert [a.name for a in project.apps()] == ["app", "holder"]


def test_one_app_bound_to_two_names_is_one_app(tmp_path):
    """CKAN: ``app = flask_app = CKANFlask(...)``."""
    project = project_from_sources(
        tmp_path,
        {"chained.py": "from flask import Flask\n\napp = flask_app = Flask(__name__)\n"},
    )
    assert [a.name for a in project.apps()] == ["app"]


def test_self_in_a_flask_subclass_is_every_app_built_from_it(tmp_path) -> None:
    project = project_from_sources(
        tmp_path,
        {
            "wiki/__init__.py": "",
            "wiki/base.py": (
                "from flask import Blueprint, Flask\n"
                "bp = Blueprint('bp', __name__)\n"
                "class WikiApp(Flask):\n"
                "    def __init__(self):\n"
                "        super().__init__('wiki')\n"
                "        self.register_blueprint(bp)\n"
                "    @classmethod\n"
                "    def build(cls):\n"
                "        return cls()\n"
                "class Helper:\n"
                "    def setup(self):\n"
                "        return self\n"
            ),
            "wiki/app.py": (
                "from wiki.base import WikiApp\n"
                "class Public(WikiApp):\n"
                "    pass\n"
                "def create_app():\n"
                "    return WikiApp()\n"
                "public = Public()\n"
            ),
        },
    )
    base = project.modules["wiki.base"]
    init = function(base, "WikiApp.__init__")
    assert base.instance_class(init, "self") == "wiki.base.WikiApp"
    assert base.kind_of(cst.Name("self"), init) == APP
    assert base.instance_class(function(base, "WikiApp.build"), "cls") is None
    assert base.kind_of(cst.Name("self"), function(base, "Helper.setup")) is None
    assert project.derives_from("wiki.app.Public", "wiki.base.WikiApp")
    assert not project.derives_from("wiki.base.WikiApp", "wiki.app.Public")
    # Both apps (one a factory's bare ``return WikiApp()``) get the blueprint.
    apps = {edge.app.label for edge in project.blueprint_registrations()}
    assert apps == {"wiki.app:app", "wiki.app:public"}
