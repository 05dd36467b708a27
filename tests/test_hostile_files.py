"""Files of a checked repository that would hang a run or read without end (issue #16).

A FIFO named ``x.py`` blocks ``open``/``read`` forever, a link to ``/dev/zero``
never ends, a huge file costs memory: only regular files are read, at most
``max-file-size`` bytes (``source.read_regular_file``).  Every run is the real
CLI in a subprocess with a timeout, so a hang fails the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from samples import DICT_RETURNED_AS_HEADERS

from flasklint_headers.config import ConfigError, load_file_config

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

VIEW = DICT_RETURNED_AS_HEADERS


def _project(root: Path, pyproject: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject)
    (root / "app.py").write_text(VIEW)
    (root / "other.py").write_text(VIEW.replace("index", "other"))
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "flasklint_headers",
            "--output-format",
            "concise",
            "--select",
            "FLH0,FLH1",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,  # a blocked read fails here instead of hanging the suite
    )


def _codes(output: str, name: str) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in output.splitlines() if line.startswith(name)]


@pytest.mark.parametrize("cache", [(), ("--no-cache",)], ids=["cache", "no-cache"])
def test_a_fifo_and_a_link_to_dev_zero_in_a_walked_project_are_skipped(
    tmp_path: Path, cache: tuple[str, ...]
) -> None:
    root = _project(tmp_path / "repo")
    os.mkfifo(root / "x.py")
    (root / "y.py").symlink_to("/dev/zero")
    os.mkfifo(root / ".gitignore")  # read by discovery
    result = _run(root, *cache, ".")
    assert result.returncode == 1, result.stdout + result.stderr
    assert _codes(result.stdout, "app.py") == ["FLH101"]
    assert _codes(result.stdout, "other.py") == ["FLH101"]
    # Found while walking, they are not source files: no report (like Ruff).
    assert "x.py" not in result.stdout and "y.py" not in result.stdout


def test_a_one_file_run_reads_no_fifo_among_the_project_files(tmp_path: Path) -> None:
    # A pre-commit run naming app.py models the rest of its project (project_root.py).
    root = _project(tmp_path / "repo")
    os.mkfifo(root / "x.py")
    (root / "pkg").mkdir()
    os.mkfifo(root / "pkg" / "__init__.py")
    (root / "y.py").symlink_to("/dev/zero")
    result = _run(root, "--no-cache", "app.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith("app.py:")
    assert _codes(result.stdout, "app.py") == ["FLH101"]


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("x.py", lambda path: os.mkfifo(path), "a named pipe (FIFO), not a regular file"),
        ("y.py", lambda path: path.symlink_to("/dev/zero"), "a character device"),
    ],
    ids=["fifo", "dev-zero"],
)
def test_a_special_file_named_on_the_command_line_is_reported(
    tmp_path: Path, name: str, make, reason: str
) -> None:
    root = _project(tmp_path / "repo")
    make(root / name)
    result = _run(root, "--no-cache", name, "app.py")
    assert result.returncode == 2, result.stdout + result.stderr
    assert _codes(result.stdout, name) == ["FLH003"]
    assert reason in result.stdout
    assert _codes(result.stdout, "app.py") == ["FLH101"]


@pytest.mark.parametrize("how", ["walked", "named"])
def test_a_file_over_max_file_size_is_reported_and_not_read(tmp_path: Path, how: str) -> None:
    root = _project(tmp_path / "repo", "[tool.flasklint-headers]\nmax-file-size = 1000\n")
    (root / "big.py").write_text(VIEW + "#" * 1000 + "\n")
    result = _run(root, "--no-cache", *((".",) if how == "walked" else ("big.py", "app.py")))
    assert result.returncode == 2, result.stdout + result.stderr
    assert _codes(result.stdout, "big.py") == ["FLH003"]  # not FLH101: its code was not read
    size = (root / "big.py").stat().st_size
    assert f"larger than max-file-size ({size:,} bytes, the limit is 1,000)" in result.stdout
    assert _codes(result.stdout, "app.py") == ["FLH101"]


def test_files_at_the_cap_are_read(tmp_path: Path) -> None:
    size = len((VIEW + "#" * 10 + "\n").encode())
    root = _project(tmp_path / "repo", f"[tool.flasklint-headers]\nmax-file-size = {size}\n")
    (root / "big.py").write_text(VIEW + "#" * 10 + "\n")
    result = _run(root, "--no-cache", ".")
    assert _codes(result.stdout, "big.py") == ["FLH101"], result.stdout


@pytest.mark.parametrize("value", ["0", "-1", '"10MB"', "true", "1.5"])
def test_max_file_size_must_be_a_positive_integer(tmp_path: Path, value: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.flasklint-headers]\nmax-file-size = {value}\n")
    with pytest.raises(ConfigError, match=r"'max-file-size' in .* must be a positive integer"):
        load_file_config(path)


def test_fix_does_not_block_on_a_file_replaced_by_a_fifo(tmp_path: Path) -> None:
    # --fix reads the file again before replacing it (was it changed meanwhile?).
    path = tmp_path / "app.py"
    path.write_text(VIEW)
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from flasklint_headers.fixer import FixWriteError, write_fixed_file\n"
        "from flasklint_headers.source import read_source\n"
        "path = Path(sys.argv[1])\n"
        "source = read_source(path, 'app.py')\n"
        "path.unlink()\n"
        "os.mkfifo(path)\n"
        "try:\n"
        "    write_fixed_file(source, source.text + '# fixed\\n')\n"
        "except FixWriteError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "app.py: not a regular file; not written", result
    assert path.is_fifo()  # left alone
