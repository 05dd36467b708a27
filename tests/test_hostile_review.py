"""Attacks from the adversarial review of issue #16 that got through, run end to end.

Each test plants what a hostile repository could commit and runs the real CLI
on it (``python -m flasklint_headers`` in a subprocess).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


FIXABLE = APP.replace('"ALLOWALL"', '"DENY"')  # FLH101: a dict return without a body


def _fix(cwd: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    return _run(cwd, "--fix", "--unsafe-fixes", "--select", "FLH101", *paths)


def test_fix_does_not_write_through_a_link_out_of_the_checked_tree(tmp_path: Path) -> None:
    """A committed ``views.py -> ../../runner/site-packages/x.py`` would let a stranger's
    repository make ``--fix`` rewrite (and clean temporary files beside) a file of the
    runner's.  The link is still checked; its fix is refused with a diagnostic."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "own.py").write_text(FIXABLE)
    outside = tmp_path / "runner" / "x.py"
    outside.parent.mkdir()
    outside.write_text(FIXABLE)
    stale = outside.parent / ".x.py.999999999.abcdefgh.flasklint-tmp"
    stale.write_text("")
    os.utime(stale, (0, 0))
    (project / "views.py").symlink_to(outside)
    for paths in ((".",), ("views.py", "own.py")):
        result = _fix(project, *paths)
        assert outside.read_text() == FIXABLE, paths
        assert stale.exists()
        assert "views.py: fix not written" in result.stderr and "outside" in result.stderr
        assert result.returncode == 2
        assert (project / "own.py").read_text() != FIXABLE  # the rest is still fixed
        (project / "own.py").write_text(FIXABLE)


def test_fix_writes_through_a_link_inside_the_checked_tree(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pkg" / "real.py").write_text(FIXABLE)
    (project / "alias.py").symlink_to(Path("pkg", "real.py"))
    result = _fix(project, "alias.py", "pkg")
    assert result.returncode == 0, result.stderr
    assert (project / "pkg" / "real.py").read_text() != FIXABLE
    assert (project / "alias.py").is_symlink()


HOSTILE_NAME = "evil\x1b]0;pwned\x07\n::error file=x.py::boom.py"


def test_fix_failures_and_cleanup_notes_escape_the_file_name(tmp_path: Path) -> None:
    """The lines --fix prints on stderr (a refused read-only file, a removed temporary
    file) name files of the checked repository: no ESC, no line break that starts
    a workflow command."""
    project = tmp_path / "project"
    project.mkdir()
    refused = project / HOSTILE_NAME
    refused.write_text(FIXABLE)
    refused.chmod(0o444)
    (project / "pkg").mkdir()
    (project / "pkg" / "ok.py").write_text(FIXABLE)
    stale = project / "pkg" / f".{HOSTILE_NAME}.999999999.abcdefgh.flasklint-tmp"
    stale.write_text("")
    os.utime(stale, (0, 0))
    result = _fix(project, ".")
    assert "fix not written" in result.stderr and not stale.exists()
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert not any(line.startswith("::") for line in result.stderr.splitlines()), result.stderr


# A lone CR inside a triple-quoted string is valid Python; the Actions runner reads
# its log line by line and ends a line at a CR too, so the diff line after it
# would start with the workflow command.
CR_SOURCE = FIXABLE.replace(
    "def index():\n", 'def index():\n    doc = """a\r::error file=x.py::forged"""\n'
)


def _forged_commands(log: str) -> list[str]:
    """Workflow commands the Actions runner would act on (lines as it splits them),
    outside a ``::stop-commands::TOKEN`` ... ``::TOKEN::`` fence."""
    commands, stop = [], None
    for line in re.split(r"\r\n|\r|\n", log):
        if stop is not None:
            stop = None if line == f"::{stop}::" else stop
        elif line.startswith("::stop-commands::"):
            stop = line.removeprefix("::stop-commands::")
        elif line.startswith("::"):
            commands.append(line)
    return commands


@pytest.mark.parametrize("tool", ["git", "patch"])
def test_diff_in_github_actions_forges_no_workflow_command(tmp_path: Path, tool: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_bytes(CR_SOURCE.encode())
    result = subprocess.run(
        [*CLI, "--diff", "--unsafe-fixes", "--select", "FLH101", "."],
        cwd=project,
        capture_output=True,
        timeout=120,
        env={**os.environ, "GITHUB_ACTIONS": "true"},
    )
    assert result.returncode == 1, result.stderr
    log = result.stdout.decode()
    assert "+    return " in log
    assert _forged_commands(log) == []
    # ... and the diff still applies, fence and all.
    command = ["git", "apply", "-"] if tool == "git" else ["patch", "-p1", "--quiet"]
    if tool == "git":
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    applied = subprocess.run(command, cwd=project, input=result.stdout, capture_output=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    fixed = (project / "app.py").read_bytes().decode()
    assert '\r::error file=x.py::forged"""' in fixed and "return " in fixed and fixed != CR_SOURCE


def test_identical_gitignores_are_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repository can commit one big ``.gitignore`` blob in hundreds of directories
    at the cost of one (Git stores it once); compiling its patterns again for each
    directory would multiply the run's time by the number of copies."""
    from flasklint_headers import discovery

    patterns = "".join(f"generated{i}/*.py\n" for i in range(50))
    for n in range(20):
        (tmp_path / f"d{n}").mkdir()
        (tmp_path / f"d{n}" / ".gitignore").write_text(patterns)
    parsed = []
    real_parse = discovery.parse_gitignore_line
    monkeypatch.setattr(
        discovery, "parse_gitignore_line", lambda line: parsed.append(line) or real_parse(line)
    )
    discovery.load_gitignore.cache_clear()
    monkeypatch.setattr(discovery, "_PARSED_GITIGNORES", {})
    try:
        ignores = [discovery.load_gitignore(str(tmp_path / f"d{n}")) for n in range(20)]
    finally:
        discovery.load_gitignore.cache_clear()
    assert len(parsed) == 50
    assert all(i is not None and len(i.patterns) == 50 for i in ignores)
    assert {i.directory for i in ignores if i is not None} == {
        str(tmp_path / f"d{n}") for n in range(20)
    }


@pytest.mark.parametrize(
    ("link", "named"),
    [
        # Named on the command line (as pre-commit names files) through a folder link.
        ("vendor", "vendor/x.py"),
        # CI runs ``flasklint-headers src --fix``; the repository committed ``src`` as a link.
        ("src", "src"),
    ],
    ids=["file-through-linked-folder", "named-folder-is-a-link"],
)
def test_fix_does_not_write_through_a_linked_folder_out_of_the_tree(
    tmp_path: Path, link: str, named: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "runner"
    outside.mkdir()
    (outside / "x.py").write_text(FIXABLE)
    (project / link).symlink_to(outside)
    result = _fix(project, named)
    assert (outside / "x.py").read_text() == FIXABLE
    assert "fix not written" in result.stderr and result.returncode == 2
