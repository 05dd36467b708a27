"""A checked repository can never put code into the linter's processes (issue #16).

CI runs the tool at the root of an untrusted checkout.  A fresh interpreter
(``python -c``, ``python -m``) puts its working directory first on
``sys.path``, so a planted ``multiprocessing/``, ``libcst/``, ``click/``,
``json.py`` or ``difflib.py`` would shadow the real module in the main process
(``python -m``) or in a pool worker started with ``spawn``.  Each planted
module here writes a marker on import; the runs are big enough to use the
pool (``-v`` must show more than one worker, or the test proves nothing).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PLANTED = ("multiprocessing/__init__.py", "libcst/__init__.py", "click/__init__.py")
PLANTED_FILES = ("json.py", "difflib.py")

VIEW = """from flask import Blueprint, make_response

bp = Blueprint("{name}", __name__)


@bp.route("/{n}")
def view_{n}():
    resp = make_response("hi")
    resp.headers["X-Frame-Options"] = "DENY"
    resp.set_cookie("session", "x")
    return resp
"""


def _plant(directory: Path, markers: Path) -> None:
    """Modules that shadow the ones the linter imports; importing one leaves a marker."""
    for name in (*PLANTED, *PLANTED_FILES):
        module = name.split("/")[0].removesuffix(".py")
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # Only builtins: the planted module may shadow what an import would need.
        path.write_text(f"open({str(markers / (module + '-' + directory.name))!r}, 'w').close()\n")


def _project(root: Path) -> Path:
    """Two packages (two link groups) of 27 files each: enough for the pool."""
    for p in range(2):
        package = root / f"pkg{p}"
        package.mkdir(parents=True)
        views = range(26)
        (package / "__init__.py").write_text(
            "from flask import Flask\n"
            + "".join(f"from .v{n} import bp as bp{n}\n" for n in views)
            + "\napp = Flask(__name__)\n"
            + "".join(f"app.register_blueprint(bp{n})\n" for n in views)
        )
        for n in views:
            (package / f"v{n}.py").write_text(VIEW.format(name=f"b{n}", n=n))
    return root


def _console_script() -> str:
    beside = Path(sys.executable).with_name("flasklint-headers")
    found = str(beside) if beside.exists() else shutil.which("flasklint-headers")
    assert found, "the flasklint-headers console script is not installed"
    return found


COMMANDS = {
    "console-script": lambda: [_console_script()],
    "python-m": lambda: [sys.executable, "-m", "flasklint_headers"],
}


def _run(command: list[str], cwd: Path, target: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLASKLINT_JOBS": "2"}
    env.pop("PYTHONPATH", None)  # the run must find the linter by its installation alone
    env.pop("PYTHONSAFEPATH", None)
    return subprocess.run(
        [*command, "--no-cache", "-v", "--output-format", "concise", target],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def _findings(output: str) -> list[str]:
    """Findings as ``pkg/file:row:col: CODE``, whatever directory they were shown from."""
    found = re.findall(r"(pkg\d/v?\w+\.py:\d+:\d+: FLH\d+)", output)
    assert found, output
    return sorted(found)


def test_a_planted_module_is_detected(tmp_path: Path) -> None:
    # Guard against a test that cannot fail: a fresh interpreter in the repository imports them.
    markers = tmp_path / "markers"
    markers.mkdir()
    repo = tmp_path / "repo"
    repo.mkdir()
    _plant(repo, markers)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSAFEPATH"}
    code = "import json, difflib, click, libcst, multiprocessing"
    subprocess.run([sys.executable, "-c", code], cwd=repo, check=True, env=env)
    assert len(list(markers.iterdir())) == len(PLANTED) + len(PLANTED_FILES)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["cwd-is-target", "cwd", "target"])
def test_planted_modules_are_never_imported(tmp_path: Path, command: str, where: str) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    clean = _project(tmp_path / "clean")
    expected = _findings(_run(COMMANDS[command](), clean, ".").stdout)

    repo = _project(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if where == "cwd-is-target":
        _plant(repo, markers)
        cwd, target = repo, "."
    elif where == "cwd":
        _plant(elsewhere, markers)
        cwd, target = elsewhere, str(repo)
    else:
        _plant(repo, markers)
        cwd, target = elsewhere, str(repo)
    result = _run(COMMANDS[command](), cwd, target)

    assert sorted(p.name for p in markers.iterdir()) == [], result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"workers\s+2\b", result.stderr), result.stderr  # the pool really ran
    assert _findings(result.stdout) == expected


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="PYTHONSAFEPATH is new in 3.11 (3.10 without fork: serial)"
)
def test_spawned_workers_put_no_working_directory_on_their_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Where the pool cannot fork (Windows) it spawns; the planted modules in the
    # working directory must stay out of those interpreters too.
    from flasklint_headers import parallel
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import RunOptions, check_paths

    markers = tmp_path / "markers"
    markers.mkdir()
    repo = _project(tmp_path / "repo")
    _plant(repo, markers)
    files = sorted(repo.rglob("pkg*/*.py"))
    monkeypatch.chdir(repo)
    monkeypatch.delenv("PYTHONSAFEPATH", raising=False)
    monkeypatch.setattr(parallel, "pool_start_method", lambda: "spawn")
    options = RunOptions(use_cache=False, jobs=2, timings=True)
    spawned = check_paths(files, Settings.default(), options=options)
    serial = check_paths(files, Settings.default(), options=RunOptions(use_cache=False, jobs=1))

    assert sorted(p.name for p in markers.iterdir()) == []
    assert re.search(r"workers\s+2\b", capsys.readouterr().err)  # the pool really ran
    assert "PYTHONSAFEPATH" not in os.environ  # restored
    assert [(r.display_name, r.findings) for r in spawned] == [
        (r.display_name, r.findings) for r in serial
    ]


@pytest.mark.parametrize(
    ("methods", "threads", "version", "expected"),
    [
        (["fork", "spawn", "forkserver"], 1, (3, 12, 0), "fork"),
        (["fork", "spawn", "forkserver"], 2, (3, 12, 0), "spawn"),  # forking with threads
        (["spawn"], 1, (3, 11, 0), "spawn"),  # Windows: PYTHONSAFEPATH
        (["spawn"], 1, (3, 10, 13), None),  # no safe way to start a worker: serial
    ],
)
def test_pool_start_method(
    monkeypatch: pytest.MonkeyPatch,
    methods: list[str],
    threads: int,
    version: tuple[int, int, int],
    expected: str | None,
) -> None:
    from flasklint_headers import parallel

    monkeypatch.setattr(parallel, "get_all_start_methods", lambda: methods)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: threads)
    monkeypatch.setattr(parallel.sys, "version_info", version)
    assert parallel.pool_start_method() == expected
