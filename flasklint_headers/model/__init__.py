"""The Flask model: one project-wide picture of apps, views, hooks and responses.

Rules never walk imports or guess what a name is; they ask the model:

* ``FileModel.qualified_name(expr, scope)`` - canonical dotted name through imports/aliases.
* ``FileModel.kind_of(expr, scope)`` - ``flask.Flask``, ``flask.Blueprint``, …
* ``FileModel.handler(func)`` / ``is_view(func)`` / ``is_after_request_hook(func)``.
* ``FileModel.responses_in(func)`` - names holding responses and every header write on them.
* ``FileModel.is_response_expr(expr, scope)``, ``return_parts(ret, func)``, ``looks_like_headers``.
* ``FileModel.const(expr, scope)`` / ``const_str`` / ``string_parts`` - constant evaluation.
* ``ProjectModel`` - cross-file links (re-exports, factories, subclasses, registrations).
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
