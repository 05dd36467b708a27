"""The pre-commit hooks, run through real ``pre-commit try-repo`` on a throw-away repository.

pre-commit builds a virtual environment for this package (pip needs to reach PyPI);
set FLASKLINT_SKIP_PRECOMMIT=1 to skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("FLASKLINT_SKIP_PRECOMMIT") == "1", reason="FLASKLINT_SKIP_PRECOMMIT=1"
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(not (REPO / ".git").exists(), reason="not a git checkout"),
]

PITFALL = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return {"X-Custom-Header": "value"}


@app.route("/ok")
def ok():
    return "ok"  # noqa: FLH104
"""


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def throwaway(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "app.py").write_text(PITFALL, encoding="utf-8")
    git(repo, "add", "app.py")
    return repo


def try_repo(repo: Path) -> subprocess.CompletedProcess[str]:
    """Run every hook of this repository (one environment build) on ``app.py``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "--files", "app.py"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )


def test_hooks_report_and_fix(throwaway: Path) -> None:
    result = try_repo(throwaway)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    # The check hook runs first and reports; the fix hook then applies the safe fix.
    assert "flasklint-headers" in output and "flasklint-headers (fix)" in output
    assert "app.py:8:12: FLH101" in output
    assert "app.py:13:18: FLH002" in output
    fixed = (throwaway / "app.py").read_text(encoding="utf-8")
    assert fixed == PITFALL.replace('"ok"  # noqa: FLH104', '"ok"')
