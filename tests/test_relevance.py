"""The byte-level relevance filter: what it keeps, what it skips, and that it loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from flasklint_headers.config import Settings
from flasklint_headers.model import module_name_for
from flasklint_headers.model.index import resolve_relative as model_resolve_relative
from flasklint_headers.relevance import (
    ModuleNamer,
    file_facts,
    has_word,
    is_seed,
    link_groups,
    resolve_relative,
    select_files,
    targets_of,
)
from flasklint_headers.runner import RunOptions, check_paths


def _write(root: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


def _selected_names(root: Path, files: dict[str, str]) -> set[str]:
    paths = _write(root, files)
    namer = ModuleNamer()
    facts = [file_facts(p.read_bytes(), *namer.name_for(p)) for p in paths]
    return {paths[i].relative_to(root).as_posix() for i in select_files(facts)}


@pytest.mark.parametrize(
    "text",
    [
        "from flask import Flask\n",
        "import werkzeug\n",
        "from flask_talisman import Talisman\n",
        "class MyFlask(Base): pass\n",
        "x = 1  # noqa: FLH101\n",
        "app.config['SESSION_COOKIE_SECURE'] = False\n",
        "bp.add_url_rule('/', view_func=v)\n",
        "@app.route('/')\ndef index(): pass\n",
        "resp.set_cookie('a', 'b')\n",
    ],
)
def test_seeds(text: str) -> None:
    assert is_seed(text.encode())


@pytest.mark.parametrize(
    "text", ["import os\nprint(os.getcwd())\n", "def add(a, b):\n    return a + b\n", ""]
)
def test_not_seeds(text: str) -> None:
    assert not is_seed(text.encode())


@pytest.mark.parametrize(
    ("module", "is_package", "level", "target"),
    [
        ("pkg.mod", False, 1, "other"),
        ("pkg.mod", False, 2, ""),
        ("pkg", True, 1, "sub"),
        ("pkg.a.b", False, 3, "x.y"),
        ("mod", False, 1, ""),
        ("", False, 2, "x"),
        ("pkg", False, 0, "flask"),
    ],
)
def test_resolve_relative_matches_the_model(
    module: str, is_package: bool, level: int, target: str
) -> None:
    assert resolve_relative(module, is_package, level, target) == model_resolve_relative(
        module, is_package, level, target
    )


def test_module_names_match_the_model(tmp_path: Path) -> None:
    paths = _write(
        tmp_path,
        {"pkg/__init__.py": "", "pkg/sub/__init__.py": "", "pkg/sub/m.py": "", "script.py": ""},
    )
    namer = ModuleNamer()
    for path in paths:
        assert namer.name_for(path) == module_name_for(path)


def test_import_forms_are_all_seen() -> None:
    data = (
        b"import a.b.c as d, e\n"
        b"from .sibling import (\n    one,\n    two,  # comment\n)\n"
        b"from .. import up\n"
        b"from x.y import \\\n    z\n"
        b"if True: import late\n"
        b"app.config.from_object('pkg.settings.Prod')\n"
    )
    facts = file_facts(data, "pkg.sub.mod", False)
    for name in (
        "a",
        "a.b",
        "a.b.c",
        "e",
        "pkg.sub.sibling.one",
        "pkg.sub.sibling.two",
        "pkg.up",
        "x.y.z",
    ):
        assert name in facts.references, name
    assert facts.string_references == ("pkg.settings.Prod",)


def test_closure_keeps_what_the_model_needs(tmp_path: Path) -> None:
    selected = _selected_names(
        tmp_path,
        {
            "app/__init__.py": (
                "from flask import Flask\nfrom . import views\n"
                "app = Flask(__name__)\napp.config.from_object('app.settings')\n"
            ),
            "app/views.py": "from .constants import POLICY\ndef page():\n    return 'x'\n",
            "app/constants.py": "from .base import BASE\nPOLICY = BASE + '; x'\n",
            "app/base.py": "BASE = \"default-src 'self'\"\n",
            "app/settings.py": "DEBUG = False\n",
            "app/compat.py": "from flask import Response as R\n",
            "app/api.py": "from .compat import R\ndef get():\n    return R('x', headers={})\n",
            "app/unrelated.py": "def add(a, b):\n    return a + b\n",
            "app/math_user.py": "from .unrelated import add\nprint(add(1, 2))\n",
        },
    )
    assert selected == {
        "app/__init__.py",
        "app/views.py",
        "app/constants.py",
        "app/base.py",
        "app/settings.py",
        "app/compat.py",
        "app/api.py",
    }


def test_link_groups_split_independent_projects(tmp_path: Path) -> None:
    paths = _write(
        tmp_path,
        {
            "one/__init__.py": "from flask import Flask\nfrom .views import bp\n",
            "one/views.py": "from flask import Blueprint\nbp = Blueprint('b', __name__)\n",
            "two/__init__.py": "from flask import Flask\napp = Flask(__name__)\n",
        },
    )
    namer = ModuleNamer()
    facts = [file_facts(p.read_bytes(), *namer.name_for(p)) for p in paths]
    groups = link_groups(facts, select_files(facts))
    named = sorted(sorted(paths[i].relative_to(tmp_path).as_posix() for i in g) for g in groups)
    assert named == [["one/__init__.py", "one/views.py"], ["two/__init__.py"]]


def _findings(paths: list[Path], relevance_filter: bool) -> list[tuple]:
    settings = Settings.default()
    options = RunOptions(use_cache=False, relevance_filter=relevance_filter, jobs=1)
    return [
        (r.display_name, f.code, f.location, f.message)
        for r in check_paths(paths, settings, options=options)
        for f in r.findings
    ]


def test_finding_through_a_re_export_survives_the_filter(tmp_path: Path) -> None:
    # views.py never mentions Flask: its Response comes through compat.py.
    paths = _write(
        tmp_path,
        {
            "shop/__init__.py": (
                "from flask import Flask\nfrom . import views\n\napp = Flask(__name__)\n"
                "app.add_url_rule('/', view_func=views.page)\n"
            ),
            "shop/compat.py": "from flask import make_response as build\n",
            "shop/views.py": (
                "from .compat import build\n\n\ndef page():\n    resp = build('hi')\n"
                "    resp.headers['X-Frame-Options'] = 'DENY'\n"
                "    resp.headers['X-Frame-Options'] = 'SAMEORIGIN'\n    return resp\n"
            ),
            "shop/util.py": "def add(a, b):\n    return a + b\n",
        },
    )
    unfiltered = _findings(paths, relevance_filter=False)
    assert any(name.endswith("views.py") for name, *_ in unfiltered)
    assert _findings(paths, relevance_filter=True) == unfiltered


def test_a_string_names_a_module_attribute_only_where_the_word_occurs(tmp_path: Path) -> None:
    files = {
        "app.py": (
            "from flask import Flask\nimport importlib\n"
            "app = Flask(__name__)\napp.config.from_object('settings.Prod')\n"
            "TEMPLATE = 'config.yml'\n"
        ),
        "settings.py": "class Prod:\n    DEBUG = True\n",
        "config.py": "VALUE = 1  # a yml_loader and .yml_x are other words\n",
        "other.py": "X = 1\n",
    }
    facts = []
    for name, text in files.items():
        data = text.encode()
        facts.append(file_facts(data, name[:-3], False))
    datas = [text.encode() for text in files.values()]

    def contains_word(index: int, word: str) -> bool:
        return has_word(datas[index], word)

    assert targets_of(facts, contains_word)[0] == {1}
    # Without the word test every module a string may mean is linked (safe, coarser).
    assert targets_of(facts)[0] == {1, 2}


@pytest.mark.parametrize(
    ("data", "word", "expected"),
    [
        (b"class Prod:\n", "Prod", True),
        (b"x = Prod", "Prod", True),
        (b"Production = 1", "Prod", False),
        (b"_Prod = 1", "Prod", False),
        (b"ProdX Prod2 x.Prod_", "Prod", False),
        (b"Production; Prod(", "Prod", True),
        ("\u00e9Prod = 1".encode(), "Prod", False),  # non-ASCII letters are identifier letters
        (b"", "Prod", False),
    ],
)
def test_has_word_matches_whole_identifiers(data: bytes, word: str, expected: bool) -> None:
    assert has_word(data, word) is expected


def test_disjoint_sets_group_in_input_order() -> None:
    from flasklint_headers.disjoint import DisjointSets

    sets = DisjointSets(["a", "b", "c", "d", "e"])
    sets.union("d", "b")
    sets.union("e", "d")
    assert "a" in sets and "z" not in sets
    assert sorted(sets.groups().values()) == [["a"], ["b", "d", "e"], ["c"]]
    assert sets.find("b") == sets.find("e") != sets.find("c")
