"""The linter never imports or executes the code it checks.

Every module of the fixture project writes a marker file when it is imported
(also through ``conftest``-style, ``__init__`` and ``from_object`` config modules
that the model reads). Checking and fixing it through the CLI must leave no marker.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MARKER_CODE = (
    "import pathlib as _pathlib\n"
    "_pathlib.Path(__file__).with_name('IMPORTED-' + _pathlib.Path(__file__).stem).touch()\n"
)

FILES = {
    "shop/__init__.py": MARKER_CODE
    + "from flask import Flask\n"
    + "from shop.views import bp\n"
    + "\n"
    + "def create_app():\n"
    + "    app = Flask(__name__)\n"
    + '    app.config.from_object("shop.settings")\n'
    + "    app.register_blueprint(bp)\n"
    + "    return app\n",
    "shop/settings.py": MARKER_CODE + "SESSION_COOKIE_SECURE = False\n",
    "shop/views.py": MARKER_CODE
    + "from flask import Blueprint\n"
    + "\n"
    + 'bp = Blueprint("shop", __name__)\n'
    + "\n"
    + "\n"
    + '@bp.route("/")\n'
    + "def index():\n"
    + '    return {"X-Frame-Options": "DENY"}\n',
    "app.py": MARKER_CODE
    + "from shop import create_app\n"
    + "\n"
    + "app = create_app()\n"
    + 'if __name__ == "__main__":\n'
    + "    app.run(debug=True)\n",
    "conftest.py": MARKER_CODE,
    "setup.py": MARKER_CODE + "from setuptools import setup\nsetup(name='shop')\n",
}


def _project(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _markers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("IMPORTED-*"))


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "--no-cache", *args, "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_marker_works(tmp_path: Path) -> None:
    # Guard against a test that cannot fail: importing really writes the marker.
    root = _project(tmp_path)
    subprocess.run([sys.executable, "-c", "import shop.settings"], cwd=root, check=True)
    assert _markers(root) == ["IMPORTED-__init__", "IMPORTED-settings", "IMPORTED-views"]


@pytest.mark.parametrize(
    "args",
    [(), ("--fix",), ("--fix", "--unsafe-fixes"), ("--diff", "--unsafe-fixes")],
    ids=["check", "fix", "unsafe-fix", "diff"],
)
def test_checking_and_fixing_never_import_the_code(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = _project(tmp_path)
    result = _run(root, *args)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert _markers(root) == []
    if "--unsafe-fixes" in args and "--diff" not in args:
        assert 'return "", {' in (root / "shop/views.py").read_text()
    else:
        assert "FLH101" in result.stdout or "X-Frame-Options" in result.stdout
