"""flask-cors option resolution in the model (model/cors.py)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst

from flasklint_headers.model import UNKNOWN, ProjectModel
from flasklint_headers.model.cors import CorsConfig, cors_configs

PROJECT = Path(__file__).resolve().parent.parent / "fixtures" / "projects" / "cors_factory"


def _configs(source: str) -> list[CorsConfig]:
    project = ProjectModel()
    model = project.add_module(cst.parse_module(source), None, "single")
    return cors_configs(model)


def test_defaults() -> None:
    (config,) = _configs(
        "from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app)\n"
    )
    assert config.credentials is False
    assert config.reflects_any_origin is True
    assert config.option("origins").source == "default"


def test_precedence_resource_over_kwargs_over_config() -> None:
    source = """
from flask import Flask
from flask_cors import CORS
app = Flask(__name__)
app.config["CORS_SUPPORTS_CREDENTIALS"] = True
app.config["CORS_ORIGINS"] = ["https://config.example"]
RESOURCES = {"/api/*": {"origins": "https://res.example"}, "/x": {}}
CORS(app, origins="https://kw.example", resources=RESOURCES)
"""
    api, other = _configs(source)
    assert api.resource == "/api/*"
    assert [o.text for o in api.origins() or []] == ["https://res.example"]
    assert [o.text for o in other.origins() or []] == ["https://kw.example"]
    assert api.credentials is True and api.option("supports_credentials").source == "config"


def test_init_app_merges_constructor_options() -> None:
    source = """
from flask import Flask
from flask_cors import CORS
cors = CORS(origins="*")
def create_app():
    app = Flask(__name__)
    cors.init_app(app, supports_credentials=True)
    return app
"""
    (config,) = _configs(source)
    assert config.credentials is True and config.reflects_any_origin is True


def test_unknown_values_stay_unknown() -> None:
    source = """
import os
from flask import Flask
from flask_cors import CORS
app = Flask(__name__)
CORS(app, origins=os.environ["ORIGINS"], supports_credentials=os.environ.get("C") == "1")
"""
    (config,) = _configs(source)
    assert config.origins() is None
    assert config.credentials is UNKNOWN


def test_star_kwargs_from_a_constant_dict() -> None:
    source = """
from flask import Flask
from flask_cors import CORS
OPTIONS = {"supports_credentials": True}
app = Flask(__name__)
CORS(app, **OPTIONS)
"""
    (config,) = _configs(source)
    assert config.credentials is True


def test_regex_entries() -> None:
    source = r"""
import re
from flask import Flask
from flask_cors import CORS
ORIGINS = [re.compile(r"https://app\.example\.com"), "https://plain.example", r"https?://.*"]
app = Flask(__name__)
CORS(app, origins=ORIGINS)
"""
    (config,) = _configs(source)
    compiled, plain, anything = config.origins() or []
    assert compiled.compiled and compiled.is_regex and not compiled.accepts_any
    assert not plain.is_regex
    assert anything.is_regex and anything.accepts_any


def test_blueprint_and_decorator() -> None:
    source = """
from flask import Blueprint, Flask
from flask_cors import CORS, cross_origin
app = Flask(__name__)
bp = Blueprint("bp", __name__)
CORS(bp, supports_credentials=True)

@app.route("/")
@cross_origin(origins=["https://a.example"])
def index():
    return "x"
"""
    kinds = {c.kind: c for c in _configs(source)}
    assert kinds["blueprint"].credentials is True
    assert kinds["blueprint"].reflects_any_origin is True
    assert [o.text for o in kinds["decorator"].origins() or []] == ["https://a.example"]


def test_cross_file_factory_project() -> None:
    project = ProjectModel()
    models = {}
    for path in sorted(PROJECT.rglob("*.py")):
        models[path.name] = project.add_module(cst.parse_module(path.read_text()), path)
    (config,) = cors_configs(models["__init__.py"])
    assert config.kind == "extension" and config.app is not None
    assert config.credentials is True
    assert config.option("supports_credentials").source == "config"
    assert config.reflects_any_origin is True
    assert cors_configs(models["extensions.py"]) == []


def test_regex_problems_follow_the_regex_structure() -> None:
    from flasklint_headers.rules.cors import regex_problems, tightened

    assert regex_problems(r"https://a\.example\.com$") == []
    assert regex_problems(r"(https://a\.example\.com$|https://b\.example\.com$)") == []
    assert regex_problems(r"https://(www|app)\.example\.com\Z") == []
    assert regex_problems(r"https://a\.example\.com|https://b\.example\.com$") == ["end"]
    assert regex_problems(r"https://api.example.com$") == ["dot"]
    assert regex_problems(r"https://.*example\.com$") == ["boundary"]
    assert regex_problems("https://*.example.com") == ["end", "dot", "glob"]
    assert regex_problems("[invalid") == []
    assert tightened(r"https://api.example.com", raw=True) == r"https://api\.example\.com$"
    assert tightened("https://api.example.com", raw=False) == "https://api\\\\.example\\\\.com$"


def test_origins_across_modules_and_partial_lists(tmp_path: Path) -> None:
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import build_project, check_loaded, load_file

    package = tmp_path / "svc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        'PATTERNS = [r"^http://localhost(:[0-9]+)?$", r"https://app\\.example\\.com"]\n'
    )
    (package / "main.py").write_text(
        "import os\n"
        "from flask import Flask\n"
        "from flask_cors import CORS\n"
        "from .settings import PATTERNS\n"
        "app = Flask(__name__)\n"
        'CORS(app, origins=os.environ["EXTRA"].split(",") + PATTERNS, supports_credentials=True)\n'
    )
    loaded = [load_file(p) for p in sorted(package.glob("*.py"))]
    build_project(loaded)
    (config,) = cors_configs(loaded[1].model)
    texts = [o.text for o in config.origins() or []]
    assert texts == [None, r"^http://localhost(:[0-9]+)?$", r"https://app\.example\.com"]
    settings = Settings(enabled=frozenset({"FLH501", "FLH502"}))
    findings = check_loaded(loaded[1], settings)
    assert [(f.code, f.location.row, f.severity.value) for f in findings] == [
        ("FLH502", 6, "error")
    ]
    assert check_loaded(loaded[2], settings) == []


def test_one_file_run_equals_the_project_run(tmp_path: Path) -> None:
    """Linting only the factory module (pre-commit style) finds what the project run finds."""
    import shutil

    from flasklint_headers.config import Settings
    from flasklint_headers.project_root import project_files_for
    from flasklint_headers.runner import build_project, check_loaded, load_file

    root = tmp_path / "cors_factory"
    shutil.copytree(PROJECT, root)
    factory = root / "corsapp" / "__init__.py"
    settings = Settings(
        enabled=frozenset(
            {f"FLH{n}" for n in range(401, 411)} | {f"FLH{n}" for n in range(501, 510)}
        )
    )

    everything = [load_file(p) for p in sorted(root.rglob("*.py"))]
    build_project(everything)
    (full,) = [check_loaded(item, settings) for item in everything if item.source.path == factory]

    alone = load_file(factory)
    build_project([alone, *(load_file(p) for p in project_files_for([factory]))])
    single = check_loaded(alone, settings)

    def key(findings):
        return [(f.code, f.location, f.message) for f in findings]

    assert key(full) == key(single)
    assert [f.code for f in single] == ["FLH501"]
    # Without the rest of the project the config class is unknown: nothing is claimed.
    lonely = load_file(factory)
    build_project([lonely])
    assert check_loaded(lonely, settings) == []
