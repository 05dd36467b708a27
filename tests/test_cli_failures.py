"""The CLI fails well (issue #16, items 7 and 8): ``--fix`` on standard input
always gives the code back, a closed pipe ends the run quietly, and a broken or
odd ``pyproject.toml`` is a config error naming the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from samples import DICT_RETURNED_AS_HEADERS

from flasklint_headers.cli import main

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command SIGPIPE ended

CLI = (sys.executable, "-m", "flasklint_headers", "--no-cache")
FIXABLE = DICT_RETURNED_AS_HEADERS
# Not what an encoder would write: CRLF, a trailing space, no final newline.
ODD_BYTES = FIXABLE.replace("\n", "\r\n").encode() + b"x = 1 "


def cli(
    cwd: Path, *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, *args], cwd=cwd, input=stdin, capture_output=True, timeout=120, env=env
    )


def assert_echoed(result: subprocess.CompletedProcess[bytes], data: bytes, error: str) -> None:
    assert result.stdout == data
    assert result.returncode == 2
    assert error in result.stderr.decode(), result.stderr


# -- item 7: --fix on standard input ---------------------------------------------------------


def test_stdin_fix_still_fixes(tmp_path: Path) -> None:
    result = cli(
        tmp_path, "--unsafe-fixes", "--fix", "--select", "FLH101", "-", stdin=FIXABLE.encode()
    )
    assert result.returncode == 0, result.stderr
    assert b'return "", {"X-Frame-Options": "DENY"}' in result.stdout


def _crashing_fixer(directory: Path) -> dict[str, str]:
    """An environment whose interpreter breaks the fixer at start-up (``sitecustomize``)."""
    directory.mkdir()
    (directory / "sitecustomize.py").write_text(
        "import flasklint_headers.fixer as fixer\n"
        "\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('planted bug')\n"
        "\n"
        "fixer.fix_report = broken\n"
        "fixer.fix_reports = broken\n"
    )
    path = os.pathsep.join(filter(None, [str(directory), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "stdin-filename"])
def test_stdin_fix_echoes_the_input_on_an_internal_error(tmp_path: Path, named: bool) -> None:
    env = _crashing_fixer(tmp_path / "hook")
    project = tmp_path / "project"
    project.mkdir()
    args = ("--stdin-filename", "app.py") if named else ()
    result = cli(project, "--unsafe-fixes", "--fix", *args, "-", stdin=ODD_BYTES, env=env)
    assert_echoed(result, ODD_BYTES, "internal error: RuntimeError: planted bug")


def test_stdin_fix_echoes_the_input_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import flasklint_headers.fixer as fixer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planted bug")

    monkeypatch.setattr(fixer, "fix_report", broken)
    result = CliRunner().invoke(main, ["--no-cache", "--fix", "-"], input=ODD_BYTES)
    assert result.stdout_bytes == ODD_BYTES
    assert result.exit_code == 2
    assert "planted bug" in result.stderr


def test_stdin_fix_echoes_a_file_that_does_not_parse(tmp_path: Path) -> None:
    data = b"from flask import Flask\r\ndef f(:\r\n    pass \x1b"
    assert_echoed(cli(tmp_path, "--fix", "-", stdin=data), data, "FLH001")


def test_stdin_fix_echoes_the_input_on_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flasklint-headers]\nselect = 3\n")
    result = cli(tmp_path, "--fix", "--stdin-filename", "app.py", "-", stdin=ODD_BYTES)
    assert_echoed(result, ODD_BYTES, "must be a list of strings")


# -- item 8: a closed pipe ------------------------------------------------------------------


def _to_closed_pipe(cwd: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run with stdout a pipe nobody reads any more (``| head`` after its line)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [*CLI, *args], cwd=cwd, stdout=write_end, stderr=subprocess.PIPE, timeout=120
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("views", [1, 400], ids=["buffered", "streamed"])
def test_broken_pipe_exits_quietly(tmp_path: Path, views: int) -> None:
    # One view: the report sits in the buffer until the exit's flush; 400: it is
    # written (and fails) while the report is printed.
    routes = "".join(
        f'\n\n@app.route("/{i}")\ndef view_{i}():\n    return {{"X-Frame-Options": "DENY"}}\n'
        for i in range(views)
    )
    (tmp_path / "app.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n" + routes)
    result = _to_closed_pipe(tmp_path, "--select", "FLH101", ".")
    assert result.returncode == EXIT_BROKEN_PIPE
    assert result.stderr == b""


# -- item 8: configuration files -------------------------------------------------------------


def _config_error(tmp_path: Path) -> str:
    (tmp_path / "app.py").write_text(FIXABLE)
    result = cli(tmp_path, ".")
    assert result.returncode == 2, result.stderr
    stderr = result.stderr.decode()
    assert "internal error" not in stderr and "Traceback" not in stderr
    assert str(tmp_path / "pyproject.toml") in stderr
    return stderr


def test_latin1_pyproject_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(
        b'[tool.flasklint-headers]\n# caf\xe9\nselect = ["ALL"]\n'
    )
    stderr = _config_error(tmp_path)
    assert "is not valid TOML: not UTF-8 (byte 0xe9 at offset 30)" in stderr


def test_pyproject_that_is_a_directory_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    assert "is not a regular file (a directory)" in _config_error(tmp_path)


def test_pyproject_that_is_a_fifo_is_a_config_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pyproject.toml")
    assert "is not a regular file (a special file)" in _config_error(tmp_path)


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ("[tool.flasklint-headers.hsts-weak]\nhsts-min-max-age = -1\n", "'hsts-weak."),
        ("[tool.flasklint-headers]\nhsts-min-max-age = -1\n", "'"),
    ],
    ids=["rule-table", "top-level"],
)
def test_negative_hsts_min_max_age_is_a_config_error(
    tmp_path: Path, table: str, where: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(table)
    stderr = _config_error(tmp_path)
    assert f"{where}hsts-min-max-age' in " in stderr
    assert "must be at least 0, not -1" in stderr


def test_zero_hsts_min_max_age_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.flasklint-headers.hsts-weak]\nhsts-min-max-age = 0\n"
    )
    (tmp_path / "app.py").write_text(FIXABLE)
    assert cli(tmp_path, "--select", "FLH309", ".").returncode == 0
