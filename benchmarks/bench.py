"""Speed benchmark on about a million lines of real Flask-ecosystem code (not a test).

Downloads a pinned set of packages with ``pip download --no-deps`` into a
temporary directory, unpacks them, then prints one table measured in this run:

* files and lines of Python, and each run's files per second (all files over its wall time);
* two yardsticks: Python's ``ast.parse`` of every file in one process, and
  ``libcst.parse_module`` of every file in one process;
* a floor for the design issue #6 sketches (libcst only where a rule can fire,
  ``ast`` facts for the rest): ``libcst.parse_module`` of the files that mention
  Flask, Werkzeug or a registration call (``relevance.is_seed``: apps, views,
  hooks and settings live there) and ``ast.parse`` of all other files, one
  process each.  Their CPU time over the cores is what such a run costs before
  any analysis, unless it also leaves some of those files to ``ast``;
* flasklint-headers cold (empty cache), warm (nothing changed) and after one
  file's content changed (median of three runs each for the last two), each
  with wall time, its ratio to the ``ast.parse`` yardstick and peak memory
  (largest process of the tool's process tree, from ``getrusage(RUSAGE_CHILDREN)``
  in a wrapper process);
* the developer's loop in the largest link group (its files import each other,
  so an edit re-checks all of them): a first edit (the group's syntax trees are
  stored, ``tree_cache.py``), the next edit (they are read back), and a
  pre-commit style run naming only the edited file.

Usage: ``python benchmarks/bench.py [--workdir DIR] [--jobs N] [--show-timings]``.
Targets (issue #6, 2 cores): cold <= 2x, warm <= 0.2x, one file touched <= 0.3x,
peak memory <= 500 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from flasklint_headers.relevance import is_seed

PINS = (
    # The five named in issue #6.
    "httpbin==0.10.4",
    "flask-appbuilder==5.3.0",
    "mlflow==3.18.0",
    "flask-security-too==5.9.2",
    "flask-admin==2.2.1",
    # More Flask-based code to reach about a million lines.
    "apache-superset==4.1.1",
    "apache-airflow==2.10.4",
    "indico==3.2.9",
    "dash==2.18.2",
    "flask-restx==1.3.0",
    "connexion==3.1.0",
    "flask-sqlalchemy==3.1.1",
    # Not Flask or Werkzeug themselves: as project modules they would shadow the
    # real framework names that the model resolves to.
)

# The file whose content changes for the "one file touched" run (a Flask view module).
TOUCH_SUFFIX = "httpbin/core.py"
# The same inside the largest link group (these packages import each other): a
# change there re-checks the whole group, so it is measured and shown too.
TOUCH_IN_BIG_GROUP_SUFFIX = "superset/views/core.py"

_YARDSTICK = r"""
import sys, time
from pathlib import Path
paths = [Path(p) for p in sys.stdin.read().split("\n") if p]
datas = [p.read_bytes() for p in paths]
if sys.argv[1] == "ast":
    import ast
    parse = ast.parse
else:
    import libcst
    parse = libcst.parse_module
start, cpu = time.perf_counter(), time.process_time()
failed = 0
for data in datas:
    try:
        parse(data)
    except Exception:
        failed += 1
print(time.perf_counter() - start, time.process_time() - cpu, failed)
"""

_WRAPPER = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(done.stderr.decode(errors="replace")[-3000:])
cpu = usage.ru_utime + usage.ru_stime
print(elapsed, usage.ru_maxrss, done.returncode, cpu)
"""


def download(workdir: Path) -> Path:
    downloads = workdir / "dl"
    source = workdir / "src"
    if source.is_dir() and any(source.iterdir()):
        return source
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(downloads), *PINS],
        check=True,
    )
    source.mkdir(parents=True, exist_ok=True)
    for archive in sorted(downloads.iterdir()):
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zipped:
                zipped.extractall(source / archive.stem)
        elif archive.name.endswith(".tar.gz"):
            with tarfile.open(archive) as tarred:
                tarred.extractall(source, filter="data")
    return source


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def yardstick(kind: str, files: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of parsing every file in one process."""
    done = subprocess.run(
        [sys.executable, "-c", _YARDSTICK, kind],
        input="\n".join(map(str, files)),
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, _failed = done.stdout.split()
    return float(wall), float(cpu)


def tool_run(
    source: Path, cache_dir: Path, jobs: int | None
) -> tuple[tuple[float, float], float, str]:
    """((wall, CPU seconds), peak MB, stderr) of one CLI run over ``source``."""
    command = [
        sys.executable,
        "-m",
        "flasklint_headers",
        "--output-format",
        "concise",
        "--exit-zero",
        "--cache-dir",
        str(cache_dir),
        "-v",
        str(source),
    ]
    env = dict(os.environ)
    if jobs is not None:
        env["FLASKLINT_JOBS"] = str(jobs)
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command], capture_output=True, text=True, env=env
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"tool run failed:\n{done.stderr}")
    elapsed, peak_kb, code, cpu = done.stdout.split()
    if code not in ("0", "1"):
        raise SystemExit(f"tool exited {code}:\n{done.stderr}")
    return (float(elapsed), float(cpu)), int(peak_kb) / 1024, done.stderr


REPEATS = 3

Run = tuple[tuple[float, float], float, str]


def median_run(runs: list[Run]) -> Run:
    """The run with the median wall time."""
    return sorted(runs, key=lambda run: run[0][0])[len(runs) // 2]


def touched_run(
    source: Path,
    cache_dir: Path,
    jobs: int | None,
    files: list[Path],
    suffix: str,
    recache: bool = True,
    edit: int = 1,
    only_that_file: bool = False,
) -> tuple[tuple[float, float], float, str]:
    """A run after one file's content changed (restored afterwards; ``recache``: re-run then).

    ``edit`` numbers the change (each number is different content);
    ``only_that_file`` names just the changed file, as pre-commit does.
    """
    touched_file = next(p for p in files if p.as_posix().endswith(suffix))
    original = touched_file.read_bytes()
    try:
        touched_file.write_bytes(original + f"\n# touched by the benchmark ({edit})\n".encode())
        return tool_run(touched_file if only_that_file else source, cache_dir, jobs)
    finally:
        touched_file.write_bytes(original)
        if recache:
            tool_run(source, cache_dir, jobs)  # the cache holds the original again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, help="reuse downloads here (default: a temp dir)")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--show-timings", action="store_true", help="print the tool's -v output")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="flasklint-bench-"))
    source = download(workdir)
    files = python_files(source)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    ast_s = yardstick("ast", files)
    libcst_s = yardstick("libcst", files)
    seeds = [p for p in files if is_seed(p.read_bytes())]
    floor_libcst = yardstick("libcst", seeds)
    floor_ast = yardstick("ast", sorted(set(files) - set(seeds)))
    # Bytecode as after ``pip install`` (which compiles it): with PYTHONDONTWRITEBYTECODE
    # set, every short run would otherwise compile the package again.
    package = Path(__file__).resolve().parent.parent / "flasklint_headers"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    cache_dir = workdir / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    cold = tool_run(source, cache_dir, args.jobs)
    # Short runs vary with the machine (page cache, neighbours): the median of three.
    warm = median_run([tool_run(source, cache_dir, args.jobs) for _ in range(REPEATS)])
    touched = median_run(
        [touched_run(source, cache_dir, args.jobs, files, TOUCH_SUFFIX) for _ in range(REPEATS)]
    )
    big = (source, cache_dir, args.jobs, files, TOUCH_IN_BIG_GROUP_SUFFIX)
    touched_big = touched_run(*big, recache=False, edit=1)
    touched_big_again = touched_run(*big, recache=False, edit=2)
    precommit_big = touched_run(*big, recache=False, edit=3, only_that_file=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = [
        ("yardstick: ast.parse, 1 process", ast_s, None, ""),
        ("yardstick: libcst.parse_module, 1 process", libcst_s, None, ""),
        (f"floor: libcst.parse_module of the {len(seeds):,} seed files", floor_libcst, None, ""),
        (f"floor: ast.parse of the other {len(files) - len(seeds):,}", floor_ast, None, ""),
        ("flasklint-headers cold (empty cache)", cold[0], cold[1], "<= 2x"),
        ("flasklint-headers warm (nothing changed)", warm[0], warm[1], "<= 0.2x"),
        ("flasklint-headers, one file changed", touched[0], touched[1], "<= 0.3x"),
        ("largest link group: first edit (trees stored)", touched_big[0], touched_big[1], ""),
        ("largest link group: next edit", touched_big_again[0], touched_big_again[1], ""),
        ("largest link group: next edit, only that file named", *precommit_big[:2], ""),
    ]
    print(f"{len(files)} files, {lines:,} lines of Python, {len(PINS)} packages, {cores} cores")
    print()
    # CPU seconds are reported too: on a busy machine wall time says more about the neighbours.
    # files/s: every file of the corpus over the run's wall time.
    print("| run | wall s | files/s | x ast (wall) | CPU s | x ast (CPU) | peak MB | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, (wall, cpu), peak, target in rows:
        memory = f"{peak:.0f}" if peak is not None else ""
        rate = f"{len(files) / wall:,.0f}" if wall > 0 else ""
        print(
            f"| {name} | {wall:.2f} | {rate} | {wall / ast_s[0]:.2f} | {cpu:.2f} "
            f"| {cpu / ast_s[1]:.2f} | {memory} | {target} |"
        )
    floor = (floor_libcst[1] + floor_ast[1]) / cores / ast_s[1]
    print(
        f"\nFloor on {cores} cores for libcst on the seed files and ast.parse on the rest: "
        f"{floor:.2f}x the ast.parse yardstick (both rows' CPU time over the cores)."
    )
    if args.show_timings:
        runs = (
            ("cold", cold),
            ("warm", warm),
            ("touched", touched),
            ("touched big", touched_big),
            ("touched big again", touched_big_again),
            ("pre-commit big", precommit_big),
        )
        for label, run in runs:
            print(f"\n-- {label} -v --\n{run[2]}")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"\n(benchmark took {time.perf_counter() - start:.0f} s)", file=sys.stderr)
