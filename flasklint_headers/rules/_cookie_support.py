"""Cookie writes as the cookie rules see them (shared by ``cookies.py``; not a rule module).

A *cookie call* is ``R.set_cookie(...)`` / ``R.delete_cookie(...)`` on a
response object the model knows, or ``werkzeug.http.dump_cookie(...)``.  Its
arguments are bound to Werkzeug's parameter names (flags may be positional),
and each flag evaluates to a constant, ``ABSENT`` (the default applies) or
``UNKNOWN`` (never report on it).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import libcst as cst

from flasklint_headers.model import UNKNOWN
from flasklint_headers.model.responses import HeaderWrite, save_session_response
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.context import FileContext
    from flasklint_headers.model import FileModel, ProjectModel

# ``werkzeug/sansio/response.py`` and ``werkzeug/http.py`` signatures (Werkzeug 3.1).
SET_COOKIE_PARAMS = (
    "key",
    "value",
    "max_age",
    "expires",
    "path",
    "domain",
    "secure",
    "httponly",
    "samesite",
    "partitioned",
)
DELETE_COOKIE_PARAMS = ("key", "path", "domain", "secure", "httponly", "samesite", "partitioned")
DUMP_COOKIE_PARAMS = (
    "key",
    "value",
    "max_age",
    "expires",
    "path",
    "domain",
    "secure",
    "httponly",
    "sync_expires",
    "max_size",
    "samesite",
    "partitioned",
)
_PARAMS = {
    "set_cookie": SET_COOKIE_PARAMS,
    "delete_cookie": DELETE_COOKIE_PARAMS,
    "dump_cookie": DUMP_COOKIE_PARAMS,
}
DUMP_COOKIE_NAMES = frozenset({"werkzeug.http.dump_cookie", "werkzeug.dump_cookie"})
# Defaults shared by the three signatures.
DEFAULTS: dict[str, Any] = {
    "path": "/",
    "domain": None,
    "secure": False,
    "httponly": False,
    "samesite": None,
    "partitioned": False,
}

DEFAULT_SENSITIVE_PATTERNS = ("sess", "login", "auth", "token", "jwt", "remember", "sid")
ANTI_CSRF_PATTERNS = ("csrf", "xsrf")


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def session_interface_params(cookie: CookieCall) -> tuple[str, str] | None:
    """``(self, app)`` parameter names when ``cookie`` is written by a project
    ``SessionInterface.save_session`` on the response Flask hands it: the session
    cookie, whose flags ``self.get_cookie_secure(app)`` & co. read from the config."""
    func = cookie.scope
    if func is None or save_session_response(cookie.model, func) is None:
        return None
    params = [*func.params.posonly_params, *func.params.params]
    return params[0].name.value, params[1].name.value


@dataclass(eq=False)
class CookieCall:
    kind: str  # set_cookie | delete_cookie | dump_cookie
    call: cst.Call
    args: dict[str, cst.Arg]
    model: FileModel
    scope: cst.FunctionDef | None

    def arg(self, param: str) -> cst.Arg | None:
        return self.args.get(param)

    def value(self, param: str) -> Any:
        """Constant value of ``param``, ``ABSENT`` when not passed, else ``UNKNOWN``."""
        arg = self.args.get(param)
        if arg is None:
            return ABSENT
        return self.model.const(arg.value, self.scope)

    def effective(self, param: str) -> Any:
        """The value Werkzeug uses (the default when absent), or ``UNKNOWN``."""
        value = self.value(param)
        return DEFAULTS.get(param) if value is ABSENT else value

    @property
    def name(self) -> str | None:
        value = self.value("key")
        return value if isinstance(value, str) else None

    @property
    def deletes(self) -> bool:
        """The call removes the cookie: ``delete_cookie``, or an expiry already past.

        ``delete_cookie`` itself is ``set_cookie(key, expires=0, max_age=0)``.
        ``Max-Age`` wins over ``Expires`` in browsers, so ``expires=0`` deletes
        only without a ``max_age``.
        """
        if self.kind == "delete_cookie":
            return True
        max_age = self.value("max_age")
        if _is_number(max_age):
            return max_age <= 0
        if max_age not in (ABSENT, None):
            return False
        expires = self.value("expires")
        return _is_number(expires) and expires <= 0

    def definitely_off(self, param: str) -> bool:
        value = self.effective(param)
        return value is not UNKNOWN and not value

    def definitely_on(self, param: str) -> bool:
        value = self.effective(param)
        return value is not UNKNOWN and bool(value)

    @property
    def secure_off(self) -> bool:
        """No Secure attribute: ``secure`` off and no ``partitioned=True`` (which forces it)."""
        return self.definitely_off("secure") and self.definitely_off("partitioned")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def bind_arguments(call: cst.Call, params: Sequence[str]) -> dict[str, cst.Arg] | None:
    """Map the call's arguments to parameter names; None for ``*args``/``**kwargs``/surprises."""
    bound: dict[str, cst.Arg] = {}
    position = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if position >= len(params):
                return None
            bound[params[position]] = arg
            position += 1
        else:
            name = arg.keyword.value
            if name not in params or name in bound:
                return None
            bound[name] = arg
    return bound if "key" in bound else None


def cookie_call_from_write(
    model: FileModel, func: cst.FunctionDef, write: HeaderWrite
) -> CookieCall | None:
    if write.op not in ("set_cookie", "delete_cookie") or write.call is None:
        return None
    args = bind_arguments(write.call, _PARAMS[write.op])
    if args is None:
        return None
    return CookieCall(write.op, write.call, args, model, func)


def dump_cookie_call(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef | None
) -> CookieCall | None:
    if model.qualified_name(call.func, scope) not in DUMP_COOKIE_NAMES:
        return None
    args = bind_arguments(call, DUMP_COOKIE_PARAMS)
    if args is None:
        return None
    return CookieCall("dump_cookie", call, args, model, scope)


_CALLS: weakref.WeakKeyDictionary[FileModel, dict[cst.FunctionDef, list[CookieCall]]] = (
    weakref.WeakKeyDictionary()
)


def response_cookie_calls(model: FileModel, func: cst.FunctionDef) -> list[CookieCall]:
    """``set_cookie``/``delete_cookie`` calls on response objects directly in ``func``."""
    per_model = _CALLS.setdefault(model, {})
    found = per_model.get(func)
    if found is None:
        found = []
        for write in model.responses_in(func).writes:
            cookie = cookie_call_from_write(model, func, write)
            if cookie is not None:
                found.append(cookie)
        found.extend(_helper_response_cookie_calls(model, func))
        per_model[func] = found
    return found


# -- responses returned by the project's own helpers ------------------------------------------
# ``response = digest_challenge_response(app, ...)`` where the helper returns
# ``app.make_response(...)``: the model's ``responses_in`` does not follow helper
# calls yet, so the cookie rules recognise this one shape themselves.
_RETURNS_RESPONSE: weakref.WeakKeyDictionary[FileModel, dict[cst.FunctionDef, bool]] = (
    weakref.WeakKeyDictionary()
)


def returns_response(model: FileModel, func: cst.FunctionDef) -> bool:
    """Every ``return`` of ``func`` returns a response object (and there is one)."""
    per_model = _RETURNS_RESPONSE.setdefault(model, {})
    if func in per_model:
        return per_model[func]
    per_model[func] = False  # recursion guard
    returns = [r.value for r in model.scope_of_function(func).returns]
    names = model.responses_in(func).names
    result = bool(returns) and all(
        value is not None
        and (
            model.is_response_expr(value, func)
            or (isinstance(value, cst.Name) and value.value in names)
        )
        for value in returns
    )
    per_model[func] = result
    return result


def _helper_of(
    model: FileModel, call: cst.Call, scope: cst.FunctionDef
) -> tuple[FileModel, cst.FunctionDef] | None:
    local = model.function_for(call.func, scope)
    if local is not None:
        return model, local
    qualified = model.qualified_name(call.func, scope)
    if qualified is None:
        return None
    definition = model.project.definition(qualified)
    if definition is None or not isinstance(definition[1], cst.FunctionDef):
        return None
    return definition[0], definition[1]


def _helper_response_names(model: FileModel, func: cst.FunctionDef) -> set[str]:
    """Local names bound only to calls of project helpers that return a response."""
    known = model.responses_in(func).names
    names: set[str] = set()
    for name, values in model.scope_of_function(func).bindings.items():
        if name in known or not values:
            continue
        if not all(isinstance(v, cst.Call) for v in values):
            continue
        helpers = [_helper_of(model, v, func) for v in values]  # type: ignore[arg-type]
        if all(h is not None and h[1] is not func and returns_response(*h) for h in helpers):
            names.add(name)
    return names


class _CookieMethodCalls(cst.CSTVisitor):
    def __init__(self, func: cst.FunctionDef, names: set[str]) -> None:
        self.func = func
        self.names = names
        self.calls: list[tuple[str, cst.Call]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.func

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in ("set_cookie", "delete_cookie")
            and isinstance(call.func.value, cst.Name)
            and call.func.value.value in self.names
        ):
            self.calls.append((call.func.attr.value, call))


def _helper_response_cookie_calls(model: FileModel, func: cst.FunctionDef) -> list[CookieCall]:
    names = _helper_response_names(model, func)
    if not names:
        return []
    visitor = _CookieMethodCalls(func, names)
    walk(func, visitor)
    found = []
    for kind, call in visitor.calls:
        args = bind_arguments(call, _PARAMS[kind])
        if args is not None:
            found.append(CookieCall(kind, call, args, model, func))
    return found


def _functions(model: FileModel) -> Iterable[cst.FunctionDef]:
    for scope in model.index.scopes:
        if isinstance(scope.node, cst.FunctionDef):
            yield scope.node


def linked_set_cookies(model: FileModel) -> dict[str, list[CookieCall]]:
    """Every ``set_cookie`` with a literal name in the modules linked to ``model``, by name."""
    linked = model.project.linked_modules(model)
    return project_fact(model.project, ("set_cookies", id(linked[0])), lambda: _set_cookies(linked))


def _set_cookies(modules: list[FileModel]) -> dict[str, list[CookieCall]]:
    by_name: dict[str, list[CookieCall]] = {}
    for model in modules:
        for func in _functions(model):
            for cookie in response_cookie_calls(model, func):
                if cookie.kind == "set_cookie" and cookie.name is not None:
                    by_name.setdefault(cookie.name, []).append(cookie)
    return by_name


# -- names ---------------------------------------------------------------------------------
def _tokens(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [t for t in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if t]


def matches_pattern(name: str, pattern: str) -> bool:
    """Case-insensitive substring match; patterns of 3 letters or fewer must be a whole word.

    (``sid`` matches ``sid`` and ``user_sid`` but not ``sidebar``.)
    """
    pattern = pattern.lower()
    if len(pattern) <= 3:
        return pattern in _tokens(name)
    return pattern in name.lower()


def is_sensitive(name: str | None, patterns: Iterable[str]) -> bool:
    return name is not None and any(matches_pattern(name, p) for p in patterns)


def is_anti_csrf(name: str | None) -> bool:
    return name is not None and any(p in name.lower() for p in ANTI_CSRF_PATTERNS)


def describe(name: str | None) -> str:
    return f"Cookie `{name}`" if name is not None else "This cookie"


# -- fix helpers -----------------------------------------------------------------------------
def set_keyword(ctx: FileContext, cookie: CookieCall, param: str, code: str) -> list[Any]:
    """Edits that make ``param`` equal ``code`` (replacing or adding the argument)."""
    return keyword_edits(ctx, cookie, {param: code})


def remove_argument(ctx: FileContext, cookie: CookieCall, param: str) -> tuple[Any, ...] | None:
    """Delete a keyword argument (with its separator); None when it is positional."""
    from flasklint_headers.findings import Edit

    arg = cookie.arg(param)
    if arg is None or arg.keyword is None:
        return None
    args = list(cookie.call.args)
    index = args.index(arg)
    if index == 0:
        return None
    previous = args[index - 1]
    start = ctx.span(previous.value)[1]
    end = ctx.span(arg.value)[1]
    return (Edit(start, end, ""),)


def py_string(text: str) -> str:
    """A double-quoted Python literal for ``text``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def is_known(value: Any) -> bool:
    return value is not UNKNOWN


def keyword_edits(ctx: FileContext, cookie: CookieCall, values: dict[str, str]) -> list[Any]:
    """Edits that make each ``param`` equal its code: replace passed ones, append the others.

    The appended keywords go into one insertion (two insertions at one point
    would conflict).  Empty when the call has no argument to anchor on.
    """
    from flasklint_headers.fixes import replace_node

    edits: list[Any] = []
    added: list[str] = []
    for param, code in values.items():
        existing = cookie.arg(param)
        if existing is not None:
            edits.append(replace_node(ctx, existing.value, code))
        else:
            added.append(f"{param}={code}")
    if added:
        if not cookie.call.args:
            return []
        edits.append(append_keywords(ctx, cookie.call, added))
    return edits


def append_keywords(ctx: FileContext, call: cst.Call, keywords: list[str]) -> Any:
    """One insertion adding ``keywords`` (``"name=code"``) after the call's last argument.

    A call laid out one argument per line with a trailing comma gets one new
    line per keyword, in the same style.
    """
    from flasklint_headers.fixes import insert_after_node

    last = call.args[-1]
    comma = last.comma
    if isinstance(comma, cst.Comma) and isinstance(
        comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        indent = ctx.line_indent(ctx.span(last.value)[0].row)
        text = "".join(f",{ctx.newline}{indent}{keyword}" for keyword in keywords)
    else:
        text = "".join(f", {keyword}" for keyword in keywords)
    return insert_after_node(ctx, last.value, text)


# -- project scoping -------------------------------------------------------------------------------
def package_modules(model: FileModel) -> list[FileModel]:
    """The modules of ``model``'s top-level package linked to it (just ``model`` outside a package).

    Only linked modules (``ProjectModel.linked_modules``): the answer must not
    depend on which other files share the run.
    """
    top = model.module_name.split(".")[0] if model.module_name else ""
    if not top or ("." not in model.module_name and not model.is_package):
        return [model]
    return [
        m
        for m in model.project.linked_modules(model)
        if m.module_name == top or m.module_name.startswith(top + ".")
    ]


def package_key(model: FileModel) -> tuple[str, int]:
    """Caches ``package_modules`` answers: the top package within one linked set."""
    top = model.module_name.split(".")[0] if model.module_name else ""
    return top, id(model.project.linked_modules(model)[0])


def imports_any(models: Iterable[FileModel], prefixes: Iterable[str]) -> bool:
    """True when one of ``models`` imports a name under one of ``prefixes``."""
    prefixes = tuple(prefixes)
    for model in models:
        for binding in model.index.imports.values():
            target = binding.target
            if any(target == p or target.startswith(p + ".") for p in prefixes):
                return True
    return False


class _CallCollector(cst.CSTVisitor):
    def __init__(self, func: cst.FunctionDef) -> None:
        self.func = func
        self.calls: list[cst.Call] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return node is self.func

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)


def implicit_header_mappings(model: FileModel, func: cst.FunctionDef) -> list[cst.BaseExpression]:
    """Headers literals passed to ``make_response(...)``/``Response(headers=...)`` in ``func``."""
    collector = _CallCollector(func)
    walk(func, collector)
    found: list[cst.BaseExpression] = []
    for call in collector.calls:
        headers = model.call_headers(call, func)
        if isinstance(headers, cst.Name):
            headers = model.single_assigned_value(headers.value, func) or headers
        if isinstance(headers, (cst.Dict, cst.List, cst.Tuple)):
            found.append(headers)
    return found


def project_fact(project: ProjectModel, key: Any, compute: Any) -> Any:
    """``compute()`` once per project state (rules run per file; these facts are project-wide)."""
    return project.remember(("cookies", key), compute)


def package_imports_any(model: FileModel, prefixes: tuple[str, ...]) -> bool:
    """``imports_any`` over the package of ``model``, cached per project and package."""
    top = model.module_name.split(".")[0] if model.module_name else ""
    if not top or ("." not in model.module_name and not model.is_package):
        return imports_any([model], prefixes)
    return project_fact(
        model.project,
        ("imports", package_key(model), prefixes),
        lambda: imports_any(package_modules(model), prefixes),
    )


@functools.lru_cache(maxsize=64)
def source_mentions(text: str, needles: tuple[str, ...]) -> bool:
    """True when ``text`` contains one of ``needles`` (case-insensitive), cached per file text.

    A cheap gate before walking function bodies; ``str`` caches its hash, so a
    repeated call with the same file text costs no rescan.
    """
    lowered = text.lower()
    return any(needle in lowered for needle in needles)
