"""Group A: changes made at the wrong moment of a response's life (FLH103, FLH112-FLH114).

A response object is only useful while Flask can still send what is set on it:
mutations on an object that is never returned, after_request hooks that do not
hand the response back, teardown functions (which run after the response is
finalised) and streaming generators (which run after the headers were sent).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.findings import Applicability, Edit, Position, Severity
from flasklint_headers.fixes import insert_after_node, replace_node, safe_fix
from flasklint_headers.model import HeaderWrite
from flasklint_headers.model.names import NO_RETURN_CALLS
from flasklint_headers.model.responses import writes_on_names
from flasklint_headers.rules.base import Rule
from flasklint_headers.walk import walk

if TYPE_CHECKING:
    from flasklint_headers.model import FileModel

FLASK_SESSION = "flask.session"
# ``session`` methods that change it (reads such as ``get`` are fine everywhere).
SESSION_MUTATORS = frozenset({"pop", "popitem", "clear", "update", "setdefault", "__setitem__"})
SESSION_ATTRIBUTES = frozenset({"permanent", "modified"})
STREAM_WRAPPERS = frozenset({"flask.stream_with_context"})
RESPONSE_CONSTRUCTORS = frozenset({"flask.Response", "werkzeug.wrappers.Response"})


# -- small syntax helpers ----------------------------------------------------------------
def _statements(body: cst.BaseSuite) -> Sequence[cst.BaseStatement | cst.BaseSmallStatement]:
    if isinstance(body, cst.IndentedBlock):
        return body.body
    assert isinstance(body, cst.SimpleStatementSuite)
    return body.body


def positional_params(func: cst.FunctionDef) -> list[cst.Param]:
    """Positional parameters, without ``self``/``cls`` of a method."""
    params = [*func.params.posonly_params, *func.params.params]
    if params and params[0].name.value in ("self", "cls"):
        params = params[1:]
    return params


class _OwnNodes(cst.CSTVisitor):
    """Nodes of one function's own body (nested functions, classes and lambdas excluded)."""

    def __init__(self) -> None:
        self.returns: list[cst.Return] = []
        self.yields: list[cst.CSTNode] = []
        self.calls: list[cst.Call] = []
        self.assignments: list[cst.BaseSmallStatement] = []
        self.deletes: list[cst.Del] = []
        self.nested: list[cst.CSTNode] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.nested.append(node)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.nested.append(node)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        self.nested.append(node)
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.returns.append(node)

    def visit_Yield(self, node: cst.Yield) -> None:
        self.yields.append(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.assignments.append(node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assignments.append(node)

    def visit_Del(self, node: cst.Del) -> None:
        self.deletes.append(node)


def own_nodes(func: cst.FunctionDef) -> _OwnNodes:
    collector = _OwnNodes()
    walk(func.body, collector)
    return collector


def is_generator(func: cst.FunctionDef) -> bool:
    return bool(own_nodes(func).yields)


# -- reachability: can a block complete normally? ---------------------------------------
class FallThrough:
    """Decides whether control can reach the end of a block.

    Conservative towards "it does not fall through": a ``with`` body that
    raises is taken to end (a context manager could swallow the exception, but
    reporting that would be a guess), ``while True`` without ``break`` never
    completes, and calls to ``abort()``/``sys.exit()`` end the block.
    """

    def __init__(self, rule: Rule, scope: cst.FunctionDef) -> None:
        self.rule = rule
        self.scope = scope

    def block_ends(self, body: cst.BaseSuite) -> bool:
        return any(self.statement_ends(stmt) for stmt in _statements(body))

    def statement_ends(self, stmt: cst.BaseStatement | cst.BaseSmallStatement) -> bool:
        if isinstance(stmt, cst.SimpleStatementLine):
            return any(self.statement_ends(small) for small in stmt.body)
        if isinstance(stmt, (cst.Return, cst.Raise, cst.Break, cst.Continue)):
            return True
        if isinstance(stmt, cst.Expr) and isinstance(stmt.value, cst.Call):
            callee = self.rule.model.qualified_name(stmt.value.func, self.scope)
            return callee in NO_RETURN_CALLS
        if isinstance(stmt, cst.If):
            return self._if_ends(stmt)
        if isinstance(stmt, cst.With):
            return self.block_ends(stmt.body)
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            return self._try_ends(stmt)
        if isinstance(stmt, cst.While):
            return _is_always_true(stmt.test) and not _has_own_break(stmt.body)
        if isinstance(stmt, cst.Match):
            return self._match_ends(stmt)
        return False

    def _if_ends(self, stmt: cst.If) -> bool:
        if not self.block_ends(stmt.body):
            return False
        orelse = stmt.orelse
        if orelse is None:
            return False
        if isinstance(orelse, cst.If):
            return self._if_ends(orelse)
        return self.block_ends(orelse.body)

    def _try_ends(self, stmt: cst.Try | cst.TryStar) -> bool:
        if stmt.finalbody is not None and self.block_ends(stmt.finalbody.body):
            return True
        normal_path_ends = self.block_ends(stmt.body) or (
            stmt.orelse is not None and self.block_ends(stmt.orelse.body)
        )
        return normal_path_ends and all(self.block_ends(h.body) for h in stmt.handlers)

    def _match_ends(self, stmt: cst.Match) -> bool:
        irrefutable = any(
            case.guard is None
            and isinstance(case.pattern, cst.MatchAs)
            and case.pattern.pattern is None
            for case in stmt.cases
        )
        return irrefutable and all(self.block_ends(case.body) for case in stmt.cases)


def _is_always_true(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "True"
    if isinstance(test, cst.Integer):
        return test.evaluated_value != 0
    return False


class _BreakFinder(cst.CSTVisitor):
    """A ``break`` that leaves the loop being inspected (not an inner loop's)."""

    def __init__(self) -> None:
        self.found = False

    def visit_Break(self, node: cst.Break) -> None:
        self.found = True

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _has_own_break(body: cst.BaseSuite) -> bool:
    finder = _BreakFinder()
    walk(body, finder)
    return finder.found


# -- FLH112 ------------------------------------------------------------------------------
class AfterRequestMissingReturn(Rule):
    """## What it does
    Checks for `after_request` / `after_app_request` / `after_this_request`
    hooks that do not return the response on every path: the body can run
    off its end, or it contains a bare `return` / `return None`. Also reports
    hooks that take no positional parameter at all.

    ## Why is this bad?
    Flask calls each hook as `response = hook(response)` and keeps whatever
    comes back. A hook that returns `None` replaces the response with `None`,
    and the next step (the next hook, or the WSGI call) fails with
    `TypeError: 'NoneType' object is not callable` -- on every request the
    hook runs for, including error pages. A hook without a parameter fails
    even earlier, because Flask always passes the response.

    This is an easy mistake to make: the hook only *adds* headers, so
    returning something feels unnecessary.

    ## Example
    ```python
    @app.after_request
    def add_security_headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
    ```

    ## Use instead
    ```python
    @app.after_request
    def add_security_headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    ```

    ## Fix safety
    The fix is safe: it appends `return <first parameter>` where the body
    falls off its end and turns every bare `return` / `return None` into
    `return <first parameter>`. Those paths fail on every request today, so
    no working behaviour can change. Hooks without a parameter are reported
    without a fix.

    ## References
    - [Flask: `after_request`](https://flask.palletsprojects.com/en/stable/api/#flask.Flask.after_request)
    - [Flask: `after_this_request`](https://flask.palletsprojects.com/en/stable/api/#flask.after_this_request)
    """

    code = "FLH112"
    name = "after-request-missing-return"
    severity = Severity.ERROR
    message = (
        "after_request hook does not return the response on every path; Flask then fails "
        "every request (`TypeError: 'NoneType' object is not callable`)"
    )
    template = (
        "after_request hook `{hook}` does not return the response on every path; Flask then "
        "fails every request (`TypeError: 'NoneType' object is not callable`)"
    )
    fix_availability = "sometimes"
    fix_applicability = Applicability.SAFE

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.model.is_after_request_hook(node):
            return
        hook = node.name.value
        params = positional_params(node)
        if not params:
            if not isinstance(node.params.star_arg, cst.Param):
                self.report(
                    node.name,
                    f"after_request hook `{hook}` takes no parameter, but Flask calls it with the "
                    "response; every request fails with TypeError -- accept the response and "
                    "return it",
                )
            return
        if is_generator(node):
            return
        param = params[0].name.value
        message = self.template.format(hook=hook)
        for ret in own_nodes(node).returns:
            if _returns_none(ret):
                fix = safe_fix(f"Return `{param}`", replace_node(self.ctx, ret, f"return {param}"))
                self.report(ret, message, fix=fix)
        if not FallThrough(self, node).block_ends(node.body):
            fix = safe_fix(f"Append `return {param}`", self._append_return(node, param))
            self.report(node.name, message, fix=fix)

    def _append_return(self, func: cst.FunctionDef, param: str) -> Edit:
        body = func.body
        if isinstance(body, cst.SimpleStatementSuite):
            return insert_after_node(self.ctx, body.body[-1], f"; return {param}")
        last = body.body[-1]
        first_row = self.ctx.span(last)[0].row
        indent = self.ctx.line_indent(first_row)
        _, end = self.ctx.span(last)
        # ``end`` is just past the statement's last character (before its newline).
        row = end.row if end.column > 1 else end.row - 1
        line = self.ctx.lines[row - 1]
        stripped = line.rstrip("\r\n")
        newline = line[len(stripped) :] or self.ctx.newline
        if not line.endswith(("\n", "\r")):  # last line of a file without a final newline
            end_of_file = Position(row, len(stripped) + 1)
            return Edit(end_of_file, end_of_file, f"{newline}{indent}return {param}")
        return Edit(Position(row + 1, 1), Position(row + 1, 1), f"{indent}return {param}{newline}")


def _returns_none(ret: cst.Return) -> bool:
    value = ret.value
    return value is None or (isinstance(value, cst.Name) and value.value == "None")


# -- FLH103 ------------------------------------------------------------------------------
class _NameUse(cst.CSTVisitor):
    """Whether a response name is used anywhere but in its header writes and bindings.

    Conservative on purpose: a read (``if r.status_code``), a return of anything built
    from it (``return r.make_conditional(request)``), a call argument, a nested
    function mentioning it -- all count as "used otherwise", so no finding.
    """

    def __init__(self, name: str, write_statements: set[int]) -> None:
        self.name = name
        self.write_statements = write_statements
        self.escapes = False
        self._in_write = 0
        self._targets: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.write_statements:
            self._in_write += 1
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if id(original_node) in self.write_statements:
            self._in_write -= 1

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        if isinstance(node.target, cst.Name) and node.target.value == self.name:
            self._targets.add(id(node.target))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value != self.name or self._in_write or id(node) in self._targets:
            return
        self.escapes = True

    def visit_Global(self, node: cst.Global) -> None:
        if any(n.name.value == self.name for n in node.names):
            self.escapes = True

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        if any(n.name.value == self.name for n in node.names):
            self.escapes = True


class ResponseMutationDiscarded(Rule):
    """## What it does
    Checks views and hooks that set headers or cookies on a response object
    and then return a *different* value, so the changed object is never
    used.

    ## Why is this bad?
    Flask builds the response from what the function returns. A response
    object that is created, given headers or cookies, and then dropped is
    garbage: the cookie is never set and the headers never reach the client.
    The usual cause is `resp = make_response(...)`, `resp.set_cookie(...)`,
    followed by `return render_template(...)` instead of `return resp`.

    A response that leaves the function in another way -- passed to a call,
    stored on an object, captured by a nested function, yielded, declared
    `global` -- is not reported.

    ## Example
    ```python
    @app.route("/login")
    def login():
        resp = make_response()
        resp.set_cookie("theme", "dark")
        return render_template("login.html")
    ```

    ## Use instead
    ```python
    @app.route("/login")
    def login():
        resp = make_response(render_template("login.html"))
        resp.set_cookie("theme", "dark")
        return resp
    ```

    ## Fix safety
    There is no automatic fix: whether the returned value should be moved
    into the response object, or the writes moved onto the returned value,
    is a decision for the author.

    ## References
    - [Flask: About Responses](https://flask.palletsprojects.com/en/stable/quickstart/#about-responses)
    - [Flask.make_response](https://flask.palletsprojects.com/en/stable/api/#flask.make_response)
    """

    code = "FLH103"
    name = "response-mutation-discarded"
    severity = Severity.WARNING
    message = (
        "Headers/cookies are set on a response object, but this function returns something "
        "else -- the changes are lost"
    )
    template = (
        "Headers/cookies are set on `{name}`, but this function returns something else -- "
        "the changes are lost; return `{name}` (or set them on the response you return)"
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handler(node)
        if handler is None or handler.kind == "teardown":
            return
        nodes = own_nodes(node)
        if nodes.yields or not any(ret.value is not None for ret in nodes.returns):
            return
        responses = self.model.responses_in(node)
        for name in responses.names:
            writes = responses.writes_on(name)
            if not writes or self._used_otherwise(node, name, writes):
                continue
            self.report(writes[0].node, self.template.format(name=name))

    def _used_otherwise(self, func: cst.FunctionDef, name: str, writes: list[HeaderWrite]) -> bool:
        """True when ``name`` is returned, read, passed on, stored or captured anywhere."""
        use = _NameUse(name, {id(w.statement) for w in writes})
        walk(func.body, use)
        return use.escapes


# -- FLH113 ------------------------------------------------------------------------------
class ResponseChangeInTeardown(Rule):
    """## What it does
    Checks functions registered with `teardown_request`,
    `teardown_app_request` or `teardown_appcontext` for changes that can only
    matter to the response: `after_this_request(...)`, `make_response(...)`
    returned or given headers, header writes, `set_cookie` / `delete_cookie`,
    session changes and `flash(...)`. A response made only to be handed to
    other code (prometheus-flask-exporter builds one for its metric labels) is
    not reported.

    ## Why is this bad?
    Teardown functions run after the response has been finalised: the
    after-request hooks have run, the session cookie has been written, and
    the return value of a teardown function is ignored. Headers, cookies and
    session changes made there are silently lost, and a callback registered
    with `after_this_request` never runs.

    Teardown functions are meant for releasing resources (closing database
    sessions, files, connections); those are never reported.

    ## Example
    ```python
    @app.teardown_request
    def remember_visit(exc):
        session["visits"] = session.get("visits", 0) + 1
    ```

    ## Use instead
    ```python
    @app.after_request
    def remember_visit(response):
        session["visits"] = session.get("visits", 0) + 1
        return response
    ```

    ## Fix safety
    There is no automatic fix: moving code from a teardown function into an
    `after_request` hook changes when it runs (it no longer runs after an
    unhandled exception), which the author must decide.

    ## References
    - [Flask: `teardown_request`](https://flask.palletsprojects.com/en/stable/api/#flask.Flask.teardown_request)
    - [Flask: The Request Context](https://flask.palletsprojects.com/en/stable/reqcontext/)
    """

    code = "FLH113"
    name = "response-change-in-teardown"
    severity = Severity.WARNING
    message = (
        "`teardown_request` runs after the response has been finalised: header, cookie, "
        "session and `after_this_request` changes here are lost; move this to an "
        "`after_request` hook or the view"
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        handler = self.model.handler(node)
        if handler is None or handler.kind != "teardown":
            return
        for target in self._late_changes(node):
            self.report(target)

    def _late_changes(self, func: cst.FunctionDef) -> Iterator[cst.CSTNode]:
        reported: set[int] = set()
        for write in self.model.responses_in(func).writes:
            reported.add(id(write.call) if write.call is not None else id(write.statement))
            yield write.node
        yield from session_and_flash_changes(self, func, skip=reported, teardown=True)


def session_and_flash_changes(
    rule: Rule, func: cst.FunctionDef, skip: set[int], teardown: bool = False
) -> Iterator[cst.CSTNode]:
    """``after_this_request()``, ``flash()``, session changes (and, in teardown, cookie and
    ``make_response`` calls) in ``func``'s own body; calls in ``skip`` are already reported."""
    model = rule.model
    late_calls = {"flask.after_this_request", "flask.flash"}
    if teardown:
        late_calls.add("flask.make_response")
    for decorated in _nested_defs(func):
        for decorator in decorated.decorators:
            if model.qualified_name(decorator.decorator, func) == "flask.after_this_request":
                yield decorator.decorator
    nodes = own_nodes(func)
    output = _output_calls(model, func) if teardown else set()
    for call in nodes.calls:
        if id(call) in skip:
            continue
        target = call.func
        callee = model.qualified_name(target, func)
        if callee == "flask.make_response" and id(call) not in output:
            continue  # a response built for something else (metrics labels), never sent
        if callee in late_calls or (
            isinstance(target, cst.Attribute)
            and (
                (teardown and target.attr.value in ("set_cookie", "delete_cookie"))
                or (
                    target.attr.value in SESSION_MUTATORS
                    and model.qualified_name(target.value, func) == FLASK_SESSION
                )
            )
        ):
            yield call
    for stmt in nodes.assignments:
        if _is_session_assignment(model, stmt, func):
            yield stmt
    for stmt in nodes.deletes:
        if _is_session_subscript(model, stmt.target, func):
            yield stmt


def _output_calls(model: FileModel, func: cst.FunctionDef) -> set[int]:
    """ids of the calls whose response ``func`` treats as output: returned (directly or
    through a name bound once) or given headers and cookies."""
    found: set[int] = set()
    for ret in model.scope_of_function(func).returns:
        value = ret.value
        if isinstance(value, cst.Name):
            value = model.single_assigned_value(value.value, func)
        if isinstance(value, cst.Call):
            found.add(id(value))
    responses = model.responses_in(func)
    for write in responses.writes:
        found.update(
            id(v) for v in responses.names.get(write.target, ()) if isinstance(v, cst.Call)
        )
    return found


def _is_session_assignment(
    model: FileModel, stmt: cst.BaseSmallStatement, func: cst.FunctionDef
) -> bool:
    if isinstance(stmt, cst.Assign):
        targets = [t.target for t in stmt.targets]
    elif isinstance(stmt, cst.AugAssign):
        targets = [stmt.target]
    else:
        return False
    for target in targets:
        if _is_session_subscript(model, target, func):
            return True
        if (
            isinstance(target, cst.Attribute)
            and target.attr.value in SESSION_ATTRIBUTES
            and model.qualified_name(target.value, func) == FLASK_SESSION
        ):
            return True
    return False


def _is_session_subscript(
    model: FileModel, target: cst.BaseExpression, func: cst.FunctionDef
) -> bool:
    return (
        isinstance(target, cst.Subscript)
        and model.qualified_name(target.value, func) == FLASK_SESSION
    )


def _is_response_class_call(rule: Rule, call: cst.Call, scope: cst.FunctionDef) -> bool:
    """``app.response_class(...)`` / ``current_app.response_class(...)``."""
    return (
        isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "response_class"
        and rule.model.is_response_expr(call, scope)
    )


def _nested_defs(func: cst.FunctionDef) -> Iterator[cst.FunctionDef]:
    for stmt in _walk_statements(func.body):
        if isinstance(stmt, cst.FunctionDef):
            yield stmt


def _walk_statements(body: cst.BaseSuite) -> Iterator[cst.BaseStatement]:
    """Statements of a body and of its nested blocks (not inside nested defs)."""
    if not isinstance(body, cst.IndentedBlock):
        return
    for stmt in body.body:
        yield stmt
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)) or not isinstance(
            stmt, cst.BaseCompoundStatement
        ):
            continue
        yield from _walk_statements(stmt.body)
        for attr in ("orelse", "finalbody"):
            extra = getattr(stmt, attr, None)
            if extra is not None and isinstance(getattr(extra, "body", None), cst.BaseSuite):
                yield from _walk_statements(extra.body)
        for handler in getattr(stmt, "handlers", ()):
            yield from _walk_statements(handler.body)


# -- FLH114 ------------------------------------------------------------------------------
class HeaderChangeInStream(Rule):
    """## What it does
    Checks generator functions whose result a view returns as a streamed
    body -- directly, as the first element of a response tuple, or through
    `Response(gen())`, `app.response_class(gen())` or
    `stream_with_context(gen())` -- for header writes, `set_cookie`,
    session changes, `flash()` and `after_this_request` inside the
    generator.

    ## Why is this bad?
    A streamed body is produced while the server sends it, after the status
    line and headers have gone out. Code in the generator runs too late to
    change headers: a header set there is never sent, a cookie is never
    set, and a session change never reaches the session cookie.

    ## Example
    ```python
    @app.route("/export")
    def export():
        def rows():
            yield "id,name\\n"
            response.headers["X-Row-Count"] = "2"
            yield "1,a\\n2,b\\n"
        response = Response(rows(), mimetype="text/csv")
        return response
    ```

    ## Use instead
    ```python
    @app.route("/export")
    def export():
        def rows():
            yield "id,name\\n"
            yield "1,a\\n2,b\\n"
        response = Response(rows(), mimetype="text/csv")
        response.headers["X-Row-Count"] = "2"
        return response
    ```

    ## Fix safety
    There is no automatic fix: the value often depends on what the
    generator computes, so it has to be known before streaming starts (or
    sent as a trailer in the body).

    ## References
    - [Flask: Streaming Contents](https://flask.palletsprojects.com/en/stable/patterns/streaming/)
    """

    code = "FLH114"
    name = "header-change-in-stream"
    severity = Severity.WARNING
    message = (
        "This generator body runs after the headers were sent; header, cookie, session or "
        "flash changes inside it never reach the client -- set them before returning the response"
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.model.is_view(node):
            return
        seen: set[int] = set()
        for generator in self._streamed_generators(node):
            if id(generator) in seen:
                continue
            seen.add(id(generator))
            for target in self._late_changes(generator, node):
                self.report(target)

    # -- which generators are streamed --------------------------------------------------
    def _streamed_generators(self, view: cst.FunctionDef) -> Iterator[cst.FunctionDef]:
        for ret in own_nodes(view).returns:
            if ret.value is None:
                continue
            body = self.model.return_parts(ret, view).body
            if body is not None:
                yield from self._generators_in(body, view, depth=0)

    def _generators_in(
        self, expr: cst.BaseExpression, view: cst.FunctionDef, depth: int
    ) -> Iterator[cst.FunctionDef]:
        if depth > 3:
            return
        if isinstance(expr, cst.Name):
            value = self.model.single_assigned_value(expr.value, view)
            if value is not None:
                yield from self._generators_in(value, view, depth + 1)
            return
        if not isinstance(expr, cst.Call):
            return
        generator = self.model.function_for(expr.func, view)
        if generator is not None:
            if is_generator(generator):
                yield generator
            return
        callee = self.model.qualified_name(expr.func, view)
        wraps_body = (
            callee in STREAM_WRAPPERS
            or callee in RESPONSE_CONSTRUCTORS
            or callee == "flask.make_response"
            or _is_response_class_call(self, expr, view)
        )
        if wraps_body and expr.args and expr.args[0].keyword is None and not expr.args[0].star:
            yield from self._generators_in(expr.args[0].value, view, depth + 1)
        elif wraps_body:
            for arg in expr.args:
                if arg.keyword is not None and arg.keyword.value == "response":
                    yield from self._generators_in(arg.value, view, depth + 1)

    # -- what they change ------------------------------------------------------------------
    def _late_changes(
        self, generator: cst.FunctionDef, view: cst.FunctionDef
    ) -> Iterator[cst.CSTNode]:
        names = set(self.model.responses_in(generator).names)
        names |= set(self.model.responses_in(view).names)
        writes: list[HeaderWrite] = writes_on_names(self.model, generator, names)
        reported = {id(w.call) for w in writes if w.call is not None}
        for write in writes:
            yield write.node
        yield from session_and_flash_changes(self, generator, skip=reported)
