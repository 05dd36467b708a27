"""The Flask model: one project-wide picture of apps, views, hooks and responses.

Rules never walk imports or guess what a name is; they ask the model.  A
``scope`` argument is the enclosing ``FunctionDef``/``ClassDef`` (None = module).

Per file (``FileModel``):

* ``qualified_name(expr, scope)`` - canonical dotted name through imports/aliases.
* ``kind_of(expr, scope)`` - ``flask.Flask``, ``flask.Blueprint``, ``flask_talisman.Talisman``,
  …; unannotated helper parameters get the kind every caller passes (``def setup(app)``).
* ``handler(func)`` / ``handlers()`` / ``is_view(func)`` / ``is_after_request_hook(func)``;
  ``Handler.routes``, ``Handler.owner_model`` (registering module), ``Handler.blueprint_scoped``,
  ``route_params(func)`` -> ``{"id": "int"}``.
* ``responses_in(func)`` - names holding responses (aliases too), every header write in order.
* ``call_parts(call, scope)`` / ``call_headers(call, scope)`` - arguments of
  ``make_response(...)``/``Response(...)`` (implicit header writes).
* ``response_escapes(func, name)`` - whether the response may be used outside ``func``.
* ``is_response_expr(expr, scope)``, ``return_parts(ret, func)``, ``looks_like_headers``.
* ``const(expr, scope)`` / ``const_str`` / ``string_parts`` - constant evaluation.

Project (``ProjectModel``):

* ``apps()``, ``app_of(model, expr, scope)``, ``apps_of_blueprint``, ``blueprint_registrations()``.
* ``extension_inits(app, kind)``, ``app_hooks(app, kinds)`` (registration order),
  ``hook_position``/``extension_position``/``registration_position`` (``model/ordering.py``).
* ``config(app)`` -> ``AppConfig.get(key)``: value / ``UNKNOWN`` / ``MISSING``.
* ``external_registrations(model)``, ``class_routes(qualified)``, ``call_sites(qualified)``,
  ``call_site_arguments(model, func, param)``.
"""

from flasklint_headers.model.constants import UNKNOWN
from flasklint_headers.model.file_model import FileModel, ReturnParts
from flasklint_headers.model.handlers import Handler
from flasklint_headers.model.project import ProjectModel, module_name_for
from flasklint_headers.model.responses import FunctionResponses, HeaderWrite

__all__ = [
    "UNKNOWN",
    "FileModel",
    "FunctionResponses",
    "Handler",
    "HeaderWrite",
    "ProjectModel",
    "ReturnParts",
    "module_name_for",
]
