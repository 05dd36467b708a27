"""The model's tables of names, checked against the real libraries they describe."""

from __future__ import annotations

import flask
from flask.config import ConfigAttribute

from flasklint_headers.model.names import CONFIG_ATTRIBUTES, STAR_EXPORTS


def test_star_exports_are_what_the_modules_export() -> None:
    # ``from M import *`` binds these names.
    for module, names in STAR_EXPORTS.items():
        namespace: dict[str, object] = {}
        exec(f"from {module} import *", namespace)
        assert set(names) <= set(namespace), module


def test_config_attributes_write_their_config_keys() -> None:
    app = flask.Flask(__name__)
    for attribute, key in CONFIG_ATTRIBUTES.items():
        if attribute != "debug":  # a property, not a ConfigAttribute
            assert isinstance(getattr(flask.Flask, attribute), ConfigAttribute)
        setattr(app, attribute, "marker" if attribute != "debug" else True)
        assert app.config[key] == ("marker" if attribute != "debug" else True)
