"""Response objects, header writes, implicit writes and escapes."""

from __future__ import annotations

import libcst as cst
import pytest
from model_projects.support import function, load_project, project_from_sources


@pytest.fixture(scope="module")
def shop():
    return load_project("factory")


def _single(tmp_path, source):
    project = project_from_sources(tmp_path, {"app.py": source})
    (model,) = project.all_modules()
    return model


def test_aliases_and_writes(shop):
    main = shop.modules["shop.views.main"]
    item = function(main, "item")
    responses = main.responses_in(item)
    assert set(responses.names) == {"resp", "alias"}
    assert responses.root_of("alias") == "resp"
    assert [w.header for w in responses.writes_on_object("resp")] == ["X-Item"]
    assert responses.writes_on("resp") == []  # written through the alias


def test_project_response_subclass_and_lookalikes(shop):
    main = shop.modules["shop.views.main"]
    plain = main.responses_in(function(main, "plain"))
    # werkzeug Response re-exported by shop.compat counts; shop.util.Response does not
    assert set(plain.names) == {"real"}
    assert [(w.target, w.op, w.header) for w in plain.writes] == [("real", "add", "X-Real")]
    util = shop.modules["shop.util"]
    assert util.responses_in(function(util, "fetch")).names == {}
    views = shop.modules["shop.api.views"]
    assert views.responses_in(function(views, "list_users")).names == {}


def test_hook_parameter_is_a_response(shop):
    main = shop.modules["shop.views.main"]
    hook = main.responses_in(function(main, "everywhere"))
    assert hook.names == {"response": ["param"]}
    assert [(w.op, w.header) for w in hook.writes] == [("set_cookie", "Set-Cookie")]
    bp_only = main.responses_in(function(main, "bp_only"))
    assert [(w.op, w.header) for w in bp_only.writes] == [("property_add", "Vary")]


SOURCE = """\
import flask as f
from flask import current_app, json, make_response as mr
from werkzeug.wrappers import Response
import requests

app = f.Flask(__name__)
HEADERS = {"X-A": "1"}

@app.route("/")
def view():
    r = mr("body", 201, {"X-B": "2"})
    h = r.headers
    h["X-C"] = "3"
    r.headers.set("X-D", "4")
    del r.headers["X-E"]
    r.headers |= {"X-F": "6"}
    r.location = "/x"
    r.content_security_policy.default_src = "'self'"
    s = app.response_class("x", headers=HEADERS, mimetype="text/plain")
    t = current_app.make_response(("x", {"X-G": "7"}))
    u = Response("x", 200, [("X-H", "8")])
    w = requests.get("http://example.com")
    w.headers["X-Never"] = "1"
    j = json.dumps({})
    return r
"""


def test_every_write_form_and_call_parts(tmp_path):
    model = _single(tmp_path, SOURCE)
    view = function(model, "view")
    responses = model.responses_in(view)
    assert set(responses.names) == {"r", "s", "t", "u"}
    assert responses.header_aliases == {"h": "r"}
    assert [(w.target, w.op, w.header) for w in responses.writes] == [
        ("r", "setitem", "X-C"),
        ("r", "set", "X-D"),
        ("r", "delitem", "X-E"),
        ("r", "ior", None),
        ("r", "property", "Location"),
        ("r", "property", "Content-Security-Policy"),
    ]
    calls = {name: values[0] for name, values in responses.names.items()}
    headers = {name: model.call_headers(call, view) for name, call in calls.items()}
    code = cst.Module([]).code_for_node
    assert {k: code(v) if v is not None else None for k, v in headers.items()} == {
        "r": '{"X-B": "2"}',
        "s": "HEADERS",
        "t": '{"X-G": "7"}',
        "u": '[("X-H", "8")]',
    }
    parts = model.call_parts(calls["s"], view)
    assert parts is not None and parts.kind == "response_class"
    assert code(parts.mimetype) == '"text/plain"'
    r_parts = model.call_parts(calls["r"], view)
    assert code(r_parts.status) == "201"


@pytest.mark.parametrize(
    ("body", "escapes"),
    [
        ("return r", False),
        ("return r, 200", False),
        ("r2 = r\n    return r2", False),
        ("r.headers['X'] = '1'\n    return r", False),
        ("isinstance(r, str)\n    return r", False),
        ("keep(r)\n    return r", True),
        ("CACHE['k'] = r\n    return r", True),
        ("g.response = r\n    return r", True),
        ("items = [r]\n    return r", True),
        ("yield r", True),
        ("global r\n    r = make_response('x')", True),
        ("def inner():\n        return r\n    return inner", True),
        ("h = r.headers\n    keep(h)\n    return r", True),
    ],
)
def test_response_escapes(tmp_path, body, escapes):
    source = (
        "from flask import Flask, g, make_response\n"
        "app = Flask(__name__)\n"
        "CACHE = {}\n"
        "@app.route('/')\n"
        "def view():\n"
        f"    r = make_response('x')\n    {body}\n"
    )
    model = _single(tmp_path, source)
    assert model.response_escapes(function(model, "view"), "r") is escapes


def test_return_parts_restful_and_flask(shop):
    api = shop.modules["shop.api"]
    get = function(api, "UserResource.get")
    (ret,) = api.scope_of_function(get).returns
    parts = api.return_parts(ret, get)
    assert parts.length == 2 and parts.status is not None and parts.headers is None
    admin = function(shop.modules["shop.views.main"], "admin_index")
    main = shop.modules["shop.views.main"]
    (ret,) = main.scope_of_function(admin).returns
    parts = main.return_parts(ret, admin)
    assert parts.length == 3 and isinstance(parts.headers, cst.Dict)


ALIASES = """\
import flask as f
import flask.wrappers
import werkzeug
import requests
import httpx
from flask import current_app, json
from flask import make_response as mr
from werkzeug.wrappers import Response as WResponse
import json as stdjson

app = f.Flask(__name__)

class Response:
    pass

class MyResponse(WResponse):
    pass

def view():
    pass
"""


@pytest.mark.parametrize(
    ("expr", "is_response"),
    [
        ("f.make_response('x')", True),
        ("mr('x')", True),
        ("json.jsonify(a=1)", True),
        ("f.jsonify(a=1)", True),
        ("werkzeug.Response('x')", True),
        ("flask.wrappers.Response('x')", True),
        ("WResponse('x')", True),
        ("MyResponse('x')", True),
        ("current_app.make_response('x')", True),
        ("app.response_class('x')", True),
        ("f.redirect('/x')", True),
        ("f.send_file('x')", True),
        ("Response()", False),
        ("requests.Response()", False),
        ("requests.get('http://x')", False),
        ("httpx.Response(200)", False),
        ("stdjson.dumps({})", False),
        ("json.dumps({})", False),
        ("f.render_template('x.html')", False),
    ],
)
def test_is_response_expr_through_aliases(tmp_path, expr, is_response):
    model = _single(tmp_path, ALIASES)
    assert (
        model.is_response_expr(cst.parse_expression(expr), function(model, "view")) is is_response
    )


def test_helpers_handed_a_response(tmp_path) -> None:
    model = _single(
        tmp_path,
        "from flask import Flask, make_response\n"
        "app = Flask(__name__)\n"
        "def ping(response):\n"
        "    response.headers['X-A'] = '1'\n"
        "    return pong(response)\n"
        "def pong(response):\n"  # calls ping back: the pass must stop
        "    response.headers['X-B'] = '2'\n"
        "    return ping(response)\n"
        "def fill(data):\n"
        "    data['X-C'] = '3'\n"
        "    return data\n"
        "@app.after_request\n"
        "def hook(response):\n"
        "    fill({})\n"
        "    return ping(response)\n"
        "@app.route('/')\n"
        "def view():\n"
        "    return helper_of_view(make_response('x'))\n"
        "def helper_of_view(response):\n"
        "    response.headers['X-D'] = '4'\n"
        "    return response\n",
    )
    project = model.project
    for name, expected in (("ping", True), ("pong", True), ("fill", False), ("view", False)):
        assert project.is_response_helper(function(model, name)) is expected, name
    # Handed a response made in the argument: ``helper_of_view(make_response('x'))``.
    assert project.is_response_helper(function(model, "helper_of_view"))
    assert [w.header for w in model.responses_in(function(model, "pong")).writes] == ["X-B"]
    assert model.responses_in(function(model, "fill")).writes == []
