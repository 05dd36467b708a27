"""The constant evaluator."""

from __future__ import annotations

import datetime

import libcst as cst
import pytest
from model_projects.support import function, project_from_sources

from flasklint_headers.model import UNKNOWN
from flasklint_headers.model.constants import as_seconds

MODULE = """\
import os
import datetime
from datetime import timedelta
from flask_cors.core import ACL_ORIGIN
import flask_talisman
from .settings import YEAR, Policy
SEP = "; "
TWICE = 1
TWICE = 2
LATER = "DENY"
def reconfigure():
    global LATER
    LATER = "SAMEORIGIN"
class Local:
    X = 5
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    root = tmp_path_factory.mktemp("consts")
    project = project_from_sources(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/settings.py": (
                "YEAR = 60 * 60 * 24 * 365\nclass Policy:\n    CSP = \"default-src 'self'\"\n"
            ),
            "pkg/mod.py": MODULE + "def f(x):\n    return x\n",
        },
    )
    return project.modules["pkg.mod"]


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("'a' 'b'", "ab"),
        ("'a' + 'b'", "ab"),
        ("60 * 60 * 24", 86400),
        ("2 ** 10 - 24 // 2", 1012),
        ("'max-age=%d; %s' % (YEAR, 'preload')", "max-age=31536000; preload"),
        ("'max-age={}'.format(YEAR)", "max-age=31536000"),
        ("'max-age={y}'.format(y=10)", "max-age=10"),
        ("f'max-age={YEAR}'", "max-age=31536000"),
        ("SEP.join(['a', 'b'])", "a; b"),
        ("str(YEAR)", "31536000"),
        ("ACL_ORIGIN.lower()", "access-control-allow-origin"),
        ("flask_talisman.DENY", "DENY"),
        ("Policy.CSP", "default-src 'self'"),
        ("Local.X + 1", 6),
        ("{**{'a': 1}, 'b': YEAR}", {"a": 1, "b": 31536000}),
        ("timedelta(days=1) * 2", datetime.timedelta(days=2)),
        ("datetime.timedelta(hours=1, minutes=1)", datetime.timedelta(seconds=3660)),
        ("os.environ.get('X')", UNKNOWN),
        ("f'max-age={os.environ[\"A\"]}'", UNKNOWN),
        ("TWICE", UNKNOWN),
        ("LATER", UNKNOWN),  # reassigned through ``global`` in reconfigure()
        ("f(1)", UNKNOWN),
        ("'x' * 10**9", UNKNOWN),
        ("1 // 0", UNKNOWN),
    ],
)
def test_const(model, expr, value):
    parsed = cst.parse_expression(expr)
    assert model.const(parsed) == value or (value is UNKNOWN and model.const(parsed) is UNKNOWN)


def test_string_parts_keep_holes(model):
    parts = model.string_parts(cst.parse_expression("f\"default-src 'self' {x}; img-src *\""))
    assert parts == ["default-src 'self' ", None, "; img-src *"]


def test_parameter_is_unknown(model):
    assert model.const(cst.Name("x"), function(model, "f")) is UNKNOWN


def test_as_seconds():
    assert as_seconds(datetime.timedelta(days=1)) == 86400
    assert as_seconds(31536000) == 31536000
    assert as_seconds("1") is None


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("X = False\n", False),
        # Replaced at import time by code we cannot follow (pgAdmin, settings_local).
        ("X = False\nlocals().update(load())\n", UNKNOWN),
        ("X = False\nglobals().setdefault('X', True)\n", UNKNOWN),
        ("X = False\ndef load():\n    globals()['X'] = True\n", UNKNOWN),
        (
            "X = False\ntry:\n    from local_settings import *\nexcept ImportError:\n    pass\n",
            UNKNOWN,
        ),
        # Bound after the star import, or namespaces that cannot rebind the module's names.
        ("from base_settings import *\nX = False\n", False),
        ("X = False\nprint(globals().get('X'))\nglobals().get('X')\n", False),
        ("X = False\ndef f():\n    locals().update({'X': True})\n", False),
    ],
)
def test_module_names_that_may_be_replaced_are_not_constants(tmp_path, source, value) -> None:
    project = project_from_sources(tmp_path, {"settings.py": source})
    model = project.modules["settings"]
    assert model.const(cst.Name("X"), None) is value
