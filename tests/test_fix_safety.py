"""``--fix`` on a hostile or unusual tree, end to end through the real CLI (a subprocess).

Read-only files, setuid/setgid bits, hard links, a symlink next to its target,
temporary files of killed runs, and summary counts that add up
(``writing.py``, ``discovery.py``, ``reporting/result.py``).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

DICT_VIEW = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return {"X-Custom-Header": "value"}
"""
FIXED_DICT_VIEW = DICT_VIEW.replace('return {"X', 'return "", {"X')
FIX = ("--isolated", "--no-cache", "--select", "FLH101", "--fix", "--unsafe-fixes")


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def plant(path: Path, text: str = DICT_VIEW) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def dead_pid() -> int:
    """The process id of a process that has exited."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def make_old(path: Path, seconds: float = 600) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


# -- read-only files -------------------------------------------------------------------------


def test_a_read_only_file_is_refused_and_untouched(tmp_path: Path) -> None:
    app = plant(tmp_path / "app.py")
    os.chmod(app, 0o444)
    result = run_cli(tmp_path, *FIX, "app.py")
    assert result.returncode == 2
    assert "app.py: fix not written: app.py: read-only file (mode 0444)" in result.stderr
    assert app.read_text(encoding="utf-8") == DICT_VIEW
    assert stat.S_IMODE(app.stat().st_mode) == 0o444
    # Not written, so not fixed: the finding is listed and counted as remaining.
    assert "app.py:8:12: FLH101 " in result.stdout
    assert result.stdout.endswith("Found 1 finding.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]


def test_other_files_are_still_fixed_next_to_a_read_only_one(tmp_path: Path) -> None:
    locked = plant(tmp_path / "a.py")
    other = plant(tmp_path / "b.py")
    os.chmod(locked, 0o444)
    result = run_cli(tmp_path, *FIX, ".")
    assert result.returncode == 2
    assert locked.read_text(encoding="utf-8") == DICT_VIEW
    assert other.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert "Found 2 findings (1 fixed, 1 remaining)." in result.stdout


# -- mode bits and hard links ----------------------------------------------------------------


def test_setuid_and_setgid_bits_are_kept(tmp_path: Path) -> None:
    app = plant(tmp_path / "app.py")
    os.chmod(app, 0o6755)
    result = run_cli(tmp_path, *FIX, "app.py")
    assert result.returncode == 0, result.stderr
    assert app.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert stat.S_IMODE(app.stat().st_mode) == 0o6755


def test_every_hard_link_sees_the_fix(tmp_path: Path) -> None:
    app = plant(tmp_path / "project" / "app.py")
    outside = tmp_path / "elsewhere" / "same.py"
    outside.parent.mkdir()
    os.link(app, outside)
    inode = app.stat().st_ino
    result = run_cli(tmp_path / "project", *FIX, ".")
    assert result.returncode == 0, result.stderr
    assert app.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert outside.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert app.stat().st_ino == outside.stat().st_ino == inode
    assert sorted(p.name for p in app.parent.iterdir()) == ["app.py"]  # no copy left


def test_two_hard_links_in_one_tree_are_one_file(tmp_path: Path) -> None:
    first = plant(tmp_path / "a.py")
    second = tmp_path / "b.py"
    os.link(first, second)
    check = run_cli(tmp_path, "--isolated", "--no-cache", "--select", "FLH101", ".")
    assert check.stdout.count(": FLH101 ") == 1
    assert "a.py:8:12: FLH101 " in check.stdout
    result = run_cli(tmp_path, *FIX, ".")
    assert result.returncode == 0, result.stderr
    assert "Found 1 finding (1 fixed, 0 remaining)." in result.stdout
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    assert second.read_text(encoding="utf-8") == FIXED_DICT_VIEW


# -- symlinks --------------------------------------------------------------------------------


def test_a_symlink_and_its_target_are_checked_and_fixed_once(tmp_path: Path) -> None:
    app = plant(tmp_path / "app.py")
    link = tmp_path / "alias.py"
    link.symlink_to("app.py")
    check = run_cli(tmp_path, "--isolated", "--no-cache", "--select", "FLH101", ".")
    assert check.returncode == 1
    # Under the target's own name, although the link sorts first.
    assert check.stdout.count(": FLH101 ") == 1
    assert check.stdout.startswith("app.py:8:12: FLH101 ")
    result = run_cli(tmp_path, *FIX, ".")
    assert result.returncode == 0, result.stderr
    assert "Found 1 finding (1 fixed, 0 remaining)." in result.stdout
    assert app.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert link.is_symlink()


def test_a_symlink_whose_target_is_not_in_the_run_keeps_its_name(tmp_path: Path) -> None:
    plant(tmp_path / "real" / "app.py")
    checked = tmp_path / "checked"
    checked.mkdir()
    (checked / "alias.py").symlink_to(tmp_path / "real" / "app.py")
    check = run_cli(checked, "--isolated", "--no-cache", "--select", "FLH101", ".")
    assert check.stdout.startswith("alias.py:8:12: FLH101 ")


# -- temporary files of killed runs ----------------------------------------------------------


def test_stale_temp_files_of_dead_runs_go_and_nothing_else(tmp_path: Path) -> None:
    plant(tmp_path / "app.py")
    pid = dead_pid()
    stale = tmp_path / f".app.py.{pid}.k3x_9qz0.flasklint-tmp"
    fresh = tmp_path / f".app.py.{pid}.aaaaaaaa.flasklint-tmp"  # another machine's, maybe
    live = tmp_path / f".app.py.{os.getpid()}.bbbbbbbb.flasklint-tmp"  # this test process
    look_alikes = [
        tmp_path / ".app.py.flasklint-tmp",
        tmp_path / f".app.py.{pid}.k3x_9qz0.flasklint-tmp.orig",
        tmp_path / f"app.py.{pid}.k3x_9qz0.flasklint-tmp",
        tmp_path / f".app.py.{pid}.TOOLONG12.flasklint-tmp",
        tmp_path / "notes.flasklint-tmp",
    ]
    for path in [stale, fresh, live, *look_alikes]:
        path.write_text("user data\n")
    for path in [stale, live, *look_alikes]:
        make_old(path)
    elsewhere = plant(tmp_path / "untouched" / f".app.py.{pid}.cccccccc.flasklint-tmp", "x\n")
    make_old(elsewhere)  # a directory this run does not write into
    result = run_cli(tmp_path, *FIX, "app.py")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert f"{stale.name}: removed, a temporary file left by an interrupted --fix" in result.stderr
    for path in [fresh, live, *look_alikes, elsewhere]:
        assert path.read_text() == ("x\n" if path == elsewhere else "user data\n"), path


def test_a_stale_temp_symlink_is_not_followed_or_removed(tmp_path: Path) -> None:
    plant(tmp_path / "app.py")
    precious = plant(tmp_path / "precious.txt", "keep\n")
    trap = tmp_path / f".app.py.{dead_pid()}.abcdefgh.flasklint-tmp"
    trap.symlink_to(precious)
    os.utime(trap, (1, 1), follow_symlinks=False)
    result = run_cli(tmp_path, *FIX, "app.py")
    assert result.returncode == 0, result.stderr
    assert trap.is_symlink() and precious.read_text() == "keep\n"


def test_a_copy_of_an_interrupted_in_place_rewrite_is_kept(tmp_path: Path) -> None:
    plant(tmp_path / "app.py")
    copy = plant(tmp_path / f".app.py.{dead_pid()}.abcdefgh.flasklint-copy", FIXED_DICT_VIEW)
    make_old(copy)
    result = run_cli(tmp_path, *FIX, "app.py")
    assert result.returncode == 0, result.stderr
    assert copy.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert f"{copy.name}: kept, the fixed text of a file an interrupted --fix" in result.stderr


# -- counts ----------------------------------------------------------------------------------

# Several fixable findings per code, overlapping and unsafe fixes, findings that
# one fix settles for another: before, this file gave "Found 11 findings
# (6 fixed, 5 remaining)" after 15 found, and --show-fixes listed 8.
MANY_FIXES = REPO / "fixtures" / "FLH404" / "basic.py"


def _counts(stdout: str) -> tuple[int, int, int]:
    match = re.search(r"Found (\d+) findings? \((\d+) fixed, (\d+) remaining\)\.", stdout)
    assert match is not None, stdout
    found, fixed, remaining = map(int, match.groups())
    return found, fixed, remaining


def _listed_fixed(stdout: str) -> tuple[int, int]:
    """(the total the --show-fixes header gives, the sum of its per-code lines)."""
    header = re.search(r"^Fixed (\d+) findings?:$", stdout, re.M)
    assert header is not None, stdout
    lines = re.findall(r"^    (\d+) x FLH\d+ ", stdout, re.M)
    return int(header.group(1)), sum(map(int, lines))


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_found_is_fixed_plus_remaining_and_the_list_agrees(tmp_path: Path, unsafe: bool) -> None:
    shutil.copy(MANY_FIXES, tmp_path / "app.py")
    common = ("--isolated", "--no-cache", "--select", "ALL")
    plain = run_cli(tmp_path, *common, "--output-format", "concise", "app.py")
    found_before = plain.stdout.count(": FLH")
    assert found_before > 5
    flags = ("--fix", "--show-fixes", "--unsafe-fixes") if unsafe else ("--fix", "--show-fixes")
    result = run_cli(tmp_path, *common, *flags, "app.py")
    assert result.returncode in (0, 1), result.stderr
    found, fixed, remaining = _counts(result.stdout)
    assert found == found_before
    assert found == fixed + remaining
    assert _listed_fixed(result.stdout) == (fixed, fixed)
    left = run_cli(tmp_path, *common, "--output-format", "concise", "app.py")
    assert left.stdout.count(": FLH") == remaining
