"""``--fix`` time against a plain check on one large link group (not a test).

Generates a package of N modules (default 1,000) that import each other and
register views on one Flask app; a third of the modules hold fixable code
(FLH105 and FLH106, safe fixes; FLH101, an unsafe fix; FLH112, a hook that
forgets its response, in some).  Every file is linked to every other, so the
runner models them as one project, the case where ``--fix`` used to re-derive
the project-wide facts after every pass of every file (issue #16, item 10).

Each run starts from a fresh copy of the tree, cold (``--no-cache``), and
prints the wall times and their ratio to the plain check.  Target: ``--fix``
at most 3x the plain check.

Usage: ``python benchmarks/fix_scale.py [--files N] [--workdir DIR] [--skip-unsafe]
[--command "python -m flasklint_headers"]`` (``--command`` runs another checkout, to
compare before and after).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGE = "bigapp"

CORE = """\
from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = "from-the-environment"
"""

PLAIN_MODULE = """\
from flask import Response, jsonify

from {package}.core import app
from {package} import {neighbour}


@app.route("/m{index}/plain")
def plain_{index}():
    return jsonify({{"module": {index}, "next": {neighbour}.__name__}})


def helper_{index}(value):
    return Response(value, mimetype="text/plain")
"""

FIXABLE_MODULE = """\
from flask import Response, jsonify

from {package}.core import app
from {package} import {neighbour}


@app.route("/m{index}/created")
def created_{index}():
    return "created", {{"X-Request": "{index}"}}, 201


@app.route("/m{index}/csv")
def csv_{index}():
    return Response("a,b\\n", 200, "text/csv")


@app.route("/m{index}/frame")
def frame_{index}():
    return {{"X-Frame-Options": "DENY"}}


@app.route("/m{index}/json")
def json_{index}():
    return jsonify({{"module": {index}, "next": {neighbour}.__name__}})
"""

HOOK = """

@app.after_request
def stamp_{index}(response):
    response.headers["X-Module-{index}"] = "1"
"""


def module_text(index: int, files: int) -> str:
    neighbour = f"m{(index + 1) % files}"
    fields = {"package": PACKAGE, "index": index, "neighbour": neighbour}
    if index % 3:
        return PLAIN_MODULE.format(**fields)
    text = FIXABLE_MODULE.format(**fields)
    if index % 30 == 0:
        text += HOOK.format(**fields)
    return text


def generate(root: Path, files: int) -> Path:
    package = root / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "core.py").write_text(CORE, encoding="utf-8")
    for index in range(files - 2):  # with __init__ and core: ``files`` files
        text = module_text(index, files - 2)
        (package / f"m{index}.py").write_text(text, encoding="utf-8")
    return package


def timed_run(template: Path, workdir: Path, name: str, flags: list[str], tool: list[str]) -> float:
    """Wall time of one cold CLI run on a fresh copy of ``template``."""
    tree = workdir / name
    if tree.exists():
        shutil.rmtree(tree)
    shutil.copytree(template, tree)
    command = [*tool, "--no-cache", "-q", *flags, str(tree)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=workdir)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    if flags and "--fix" in flags:
        changed = sum(
            1
            for path in sorted(tree.rglob("*.py"))
            if path.read_bytes() != (template / path.relative_to(tree)).read_bytes()
        )
        print(f"  {' '.join(flags)}: {changed} files rewritten", file=sys.stderr)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--skip-unsafe", action="store_true")
    parser.add_argument(
        "--command", help="the tool to run (default: this Python's -m flasklint_headers)"
    )
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="flasklint-fixscale-"))
    template = workdir / "template"
    if template.exists():
        shutil.rmtree(template)
    generate(template, args.files)
    tool = (
        shlex.split(args.command) if args.command else [sys.executable, "-m", "flasklint_headers"]
    )
    runs = [("check", [])]
    runs.append(("--fix", ["--fix"]))
    if not args.skip_unsafe:
        runs.append(("--fix --unsafe-fixes", ["--fix", "--unsafe-fixes"]))
    times = {
        label: timed_run(template, workdir, f"run{i}", flags, tool)
        for i, (label, flags) in enumerate(runs)
    }
    base = times["check"]
    print(f"{args.files} files in one link group, a third fixable (cold, --no-cache)")
    for label, seconds in times.items():
        target = "" if label == "check" else "  (target <= 3x)"
        print(f"  {label:<22} {seconds:8.2f} s  {seconds / base:5.2f}x{target}")


if __name__ == "__main__":
    main()
