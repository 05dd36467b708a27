"""Attacks from the adversarial review of issue #16 that got through, run end to end.

Each test plants what a hostile repository could commit and runs the real CLI
on it (``python -m flasklint_headers`` in a subprocess).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CLI = (sys.executable, "-m", "flasklint_headers", "--no-cache")

APP = """from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return {"X-Frame-Options": "ALLOWALL"}
"""


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    return project


def test_output_file_committed_as_a_link_is_not_written_through(tmp_path: Path) -> None:
    """CI writes ``-o report.sarif`` in the checkout; the repository committed
    ``report.sarif`` as a link to a file of the runner's: that file stays intact."""
    project = _project(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (project / "report.sarif").symlink_to(victim)
    result = _run(project, "--output-format", "sarif", "-o", "report.sarif", ".")
    assert victim.read_text() == "precious\n"
    assert result.returncode == 2
    assert "symbolic link" in result.stderr and "internal error" not in result.stderr


def test_output_file_link_to_a_missing_file_is_not_followed(tmp_path: Path) -> None:
    """A dangling link would create a file wherever it points."""
    project = _project(tmp_path)
    target = tmp_path / "created-outside.txt"
    (project / "report.txt").symlink_to(target)
    result = _run(project, "-o", "report.txt", ".")
    assert not target.exists()
    assert result.returncode == 2 and "symbolic link" in result.stderr


def test_output_file_may_be_a_link_to_a_device(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (a link to a character device) is a common idiom and stays allowed."""
    project = _project(tmp_path)
    result = _run(project, "-o", "/dev/stdout", ".")
    assert result.returncode == 1, result.stderr
    assert "FLH301" in result.stdout


def test_output_file_under_a_regular_file_is_a_clean_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "taken").write_text("")
    result = _run(project, "-o", "taken/report.txt", ".")
    assert result.returncode == 2
    assert "internal error" not in result.stderr
    assert "cannot write the report" in result.stderr
