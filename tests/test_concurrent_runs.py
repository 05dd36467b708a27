"""Two runs at once on one tree, sharing one cache, both succeed and agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VIEW = """from flask import Flask, make_response

app = Flask(__name__)


@app.route("/{n}")
def view_{n}():
    resp = make_response("hi")
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    return resp
"""


def _cli(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flasklint_headers", "--output-format", "concise", *args, "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_runs_at_once_agree(tmp_path: Path) -> None:
    for n in range(12):
        (tmp_path / f"m{n}.py").write_text(VIEW.format(n=n))
    (tmp_path / "plain.py").write_text("x = 1\n")
    first, second = _cli(tmp_path), _cli(tmp_path)
    out1, err1 = first.communicate(timeout=300)
    out2, err2 = second.communicate(timeout=300)
    assert first.returncode == second.returncode == 1, err1 + err2
    assert out1 == out2 and "FLH104" in out1
    assert (tmp_path / ".flasklint_cache" / "CACHEDIR.TAG").exists()
    # A warm run over the cache the two runs wrote agrees too, and so does --no-cache.
    warm = _cli(tmp_path)
    assert warm.communicate(timeout=300)[0] == out1
    fresh = _cli(tmp_path, "--no-cache")
    assert fresh.communicate(timeout=300)[0] == out1


def test_runs_while_another_rewrites_the_cache(tmp_path: Path) -> None:
    for n in range(6):
        (tmp_path / f"m{n}.py").write_text(VIEW.format(n=n))
    baseline = _cli(tmp_path, "--no-cache").communicate(timeout=300)[0]
    runs = [_cli(tmp_path) for _ in range(4)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 1 for run in runs), [err for _, err in outputs]
    assert all(out == baseline for out, _ in outputs)


def test_one_file_runs_at_once_share_stored_trees(tmp_path: Path) -> None:
    """Both runs store the project's trees at the same time; later runs read them back."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "shared.py").write_text("TITLE = 'x'\n")
    for n in range(8):
        (package / f"m{n}.py").write_text("from pkg.shared import TITLE\n" + VIEW.format(n=n))

    def run(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "flasklint_headers", "--output-format", "concise", *args],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    baseline = run("--no-cache", "pkg/m0.py").communicate(timeout=300)[0]
    assert "FLH104" in baseline
    runs = [run("pkg/m0.py") for _ in range(3)]
    assert all(r.communicate(timeout=300)[0] == baseline for r in runs)
    assert list((tmp_path / ".flasklint_cache").glob("trees-*/*.tree"))
    with (package / "m0.py").open("a") as handle:
        handle.write("# edited\n")
    assert run("pkg/m0.py").communicate(timeout=300)[0] == baseline
