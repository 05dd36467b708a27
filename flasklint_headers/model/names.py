"""Canonical names of the Flask / Werkzeug / extension APIs the model knows.

Every alias a user can reach an API by (``flask.helpers.make_response``,
``werkzeug.wrappers.response.Response``, ...) maps to one canonical name, so
rules compare against a single spelling.
"""

from __future__ import annotations

import libcst as cst

from flasklint_headers.walk import walk

_ALIASES: dict[str, str] = {
    # apps and blueprints
    "flask.app.Flask": "flask.Flask",
    "flask.blueprints.Blueprint": "flask.Blueprint",
    "flask.sansio.blueprints.Blueprint": "flask.Blueprint",
    "apiflask.APIFlask": "flask.Flask",
    "apiflask.app.APIFlask": "flask.Flask",
    "apiflask.APIBlueprint": "flask.Blueprint",
    "apiflask.blueprint.APIBlueprint": "flask.Blueprint",
    "flask_smorest.Blueprint": "flask.Blueprint",
    "flask_smorest.blueprint.Blueprint": "flask.Blueprint",
    "flask_smorest.api.Api": "flask_smorest.Api",
    "eve.Eve": "flask.Flask",
    "eve.flaskapp.Eve": "flask.Flask",
    "flask_openapi3.OpenAPI": "flask.Flask",
    "flask_openapi3.openapi.OpenAPI": "flask.Flask",
    "flask_openapi3.APIBlueprint": "flask.Blueprint",
    "flask_openapi3.blueprint.APIBlueprint": "flask.Blueprint",
    # responses
    "flask.helpers.make_response": "flask.make_response",
    "flask.wrappers.Response": "flask.Response",
    "werkzeug.Response": "werkzeug.wrappers.Response",
    "werkzeug.wrappers.response.Response": "werkzeug.wrappers.Response",
    "werkzeug.sansio.response.Response": "werkzeug.wrappers.Response",
    # Werkzeug < 2.1 names, still found in ``try: import … except ImportError:`` fallbacks
    "werkzeug.wrappers.BaseResponse": "werkzeug.wrappers.Response",
    "werkzeug.BaseResponse": "werkzeug.wrappers.Response",
    "werkzeug.wrappers.base_response.BaseResponse": "werkzeug.wrappers.Response",
    "flask.json.jsonify": "flask.jsonify",
    "flask.helpers.redirect": "flask.redirect",
    "werkzeug.redirect": "werkzeug.utils.redirect",
    "flask.helpers.send_file": "flask.send_file",
    "flask.helpers.send_from_directory": "flask.send_from_directory",
    "flask.helpers.stream_with_context": "flask.stream_with_context",
    "flask.templating.stream_template": "flask.stream_template",
    "flask.templating.stream_template_string": "flask.stream_template_string",
    "flask.templating.render_template": "flask.render_template",
    "flask.templating.render_template_string": "flask.render_template_string",
    "flask.helpers.abort": "flask.abort",
    "werkzeug.exceptions.abort": "flask.abort",
    "flask_restx.errors.abort": "flask_restx.abort",
    "flask.ctx.after_this_request": "flask.after_this_request",
    "flask.globals.request": "flask.request",
    "flask.globals.session": "flask.session",
    "flask.globals.current_app": "flask.current_app",
    "flask.globals.g": "flask.g",
    "flask.helpers.flash": "flask.flash",
    "flask.helpers.url_for": "flask.url_for",
    "werkzeug.datastructures.headers.Headers": "werkzeug.datastructures.Headers",
    "werkzeug.Headers": "werkzeug.datastructures.Headers",
    # class-based views
    "flask.views.MethodView": "flask.views.MethodView",
    # extensions
    "flask_talisman.talisman.Talisman": "flask_talisman.Talisman",
    "flask_cors.extension.CORS": "flask_cors.CORS",
    "flask_cors.decorator.cross_origin": "flask_cors.cross_origin",
    "flask_login.login_manager.LoginManager": "flask_login.LoginManager",
    "secure.secure.Secure": "secure.Secure",
    "flask_restful.Resource": "flask_restful.Resource",
    "flask_restx.resource.Resource": "flask_restx.Resource",
    "flask_restx.Resource": "flask_restx.Resource",
    "flask_restful.Api": "flask_restful.Api",
    "flask_restx.api.Api": "flask_restx.Api",
    # json serialisers
    "flask.json.dumps": "flask.json.dumps",
    "simplejson.dumps": "simplejson.dumps",
}

# Canonical names of the callables that return a response object (catalogue §4 "Conventions").
RESPONSE_FACTORIES = frozenset(
    {
        "flask.make_response",
        "flask.Response",
        "werkzeug.wrappers.Response",
        "flask.jsonify",
        "flask.redirect",
        "werkzeug.utils.redirect",
        "flask.send_file",
        "flask.send_from_directory",
        "werkzeug.utils.send_file",
        "werkzeug.utils.send_from_directory",
        "flask.stream_template",
        "flask.stream_template_string",
    }
)
RESPONSE_CLASSES = frozenset({"flask.Response", "werkzeug.wrappers.Response"})
# Calls that never return: they always raise (``abort`` of Flask, Werkzeug,
# Flask-RESTful and Flask-RESTX) or end the process.
NO_RETURN_CALLS = frozenset(
    {"flask.abort", "flask_restful.abort", "flask_restx.abort", "sys.exit", "os._exit", "os.abort"}
)
# The NoReturn calls that end the process rather than raise: no ``with`` can swallow them.
PROCESS_ENDING_CALLS = frozenset({"os._exit", "os.abort"})
# Context managers that exist to swallow exceptions from any statement of their body.
SUPPRESSING_MANAGERS = frozenset({"contextlib.suppress"})
# Context managers whose ``__exit__`` never swallows an exception (file objects return
# None); the builtin ``open`` is matched by name when nothing in its module rebinds it.
NON_SUPPRESSING_MANAGERS = frozenset({"io.open", "builtins.open"})
JSONIFY = frozenset({"flask.jsonify"})

# Kinds of instance the model tracks, keyed by the canonical class name.
APP = "flask.Flask"
BLUEPRINT = "flask.Blueprint"
TALISMAN = "flask_talisman.Talisman"
CORS = "flask_cors.CORS"
LOGIN_MANAGER = "flask_login.LoginManager"
SECURE = "secure.Secure"
RESTFUL_API = "flask_restful.Api"
RESTX_API = "flask_restx.Api"
# flask-smorest's ``Api(app)``: its ``register_blueprint`` registers on the app.
SMOREST_API = "flask_smorest.Api"
INSTANCE_CLASSES = frozenset(
    {APP, BLUEPRINT, TALISMAN, CORS, LOGIN_MANAGER, SECURE, RESTFUL_API, RESTX_API, SMOREST_API}
)
# Werkzeug's header collection: an object of it passed to a response stays the response's own.
HEADERS_CLASSES = frozenset({"werkzeug.datastructures.Headers", "werkzeug.Headers"})
# Methods that register a blueprint on their receiver (flask-openapi3's ``register_api``).
BLUEPRINT_REGISTRATIONS = frozenset({"register_blueprint", "register_api"})
# ``secure`` builders that produce a Secure instance.
SECURE_CONSTRUCTORS = frozenset({"secure.Secure.with_default_headers", "secure.Secure.from_preset"})

VIEW_BASES = frozenset({"flask.views.MethodView", "flask.views.View"})
RESTFUL_BASES = frozenset({"flask_restful.Resource", "flask_restx.Resource"})
HTTP_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})


def canonical(qualified: str) -> str:
    """The canonical spelling of a qualified name (itself when it has no alias)."""
    if qualified in _ALIASES:
        return _ALIASES[qualified]
    # ``flask.json.provider.DefaultJSONProvider`` etc. stay as they are; a dotted
    # prefix alias (``werkzeug.wrappers.response.Response.x``) maps its head.
    head, _, tail = qualified.rpartition(".")
    if head in _ALIASES:
        return f"{_ALIASES[head]}.{tail}"
    return qualified


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return f"{base}.{expr.attr.value}" if base else None
    return None


def module_attr_chain(node: cst.BaseExpression | cst.ImportFrom) -> str:
    """The dotted module path of an import's ``module`` expression."""
    if isinstance(node, cst.ImportFrom):
        return dotted_name(node.module) or "" if node.module is not None else ""
    return dotted_name(node) or ""


# App attributes that read and write a config key (Flask's ``ConfigAttribute`` and
# the ``debug`` property): ``app.secret_key = v`` sets ``SECRET_KEY``.
CONFIG_ATTRIBUTES = {
    "secret_key": "SECRET_KEY",
    "testing": "TESTING",
    "permanent_session_lifetime": "PERMANENT_SESSION_LIFETIME",
    "debug": "DEBUG",
}

# App attributes whose assignment changes how responses are made (index effects).
APP_STATE_ATTRIBUTES = frozenset({"session_interface"})

# What ``from <module> import *`` binds, for the modules whose names rules look at
# (their ``__all__``; Flask has none, so its public names the model knows).
STAR_EXPORTS: dict[str, tuple[str, ...]] = {
    "flask_cors": ("CORS", "cross_origin"),
    "flask_talisman": (
        "ALLOW_FROM",
        "DEFAULT_CSP_POLICY",
        "DEFAULT_DOCUMENT_POLICY",
        "DEFAULT_FEATURE_POLICY",
        "DEFAULT_PERMISSIONS_POLICY",
        "DENY",
        "GOOGLE_CSP_POLICY",
        "NONCE_LENGTH",
        "SAMEORIGIN",
        "Talisman",
    ),
    "flask": (
        "Blueprint",
        "Flask",
        "Response",
        "abort",
        "after_this_request",
        "current_app",
        "g",
        "jsonify",
        "make_response",
        "redirect",
        "render_template",
        "render_template_string",
        "request",
        "send_file",
        "send_from_directory",
        "session",
        "stream_template",
        "stream_template_string",
        "stream_with_context",
        "url_for",
    ),
}


def variable_names(expr: cst.BaseExpression) -> list[cst.Name]:
    """The variables ``expr`` reads: names, but not attribute names (``b`` in ``a.b``)."""
    finder = _VariableFinder()
    walk(expr, finder)
    return finder.names


class _VariableFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        # Only the base of ``a.b.c`` is a variable; ``b`` and ``c`` are attribute names.
        walk(node.value, self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False
