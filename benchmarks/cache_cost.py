"""What the cache's safety checks cost (not a test): warm runs and stored-tree loading.

Builds a project of a few hundred files from packages installed beside this tool
(Flask, Werkzeug, Jinja, Click and friends: nothing is downloaded), then prints:

* a warm run of the CLI (nothing changed; median of five) - every cache file is
  read and authenticated;
* an edited run in the largest link group after the group's trees were stored
  (median of three) - those trees are read back;
* ``load_tree`` of every stored tree in one process (median of three), the
  part that authenticating and bounding a tree adds to.

Usage: ``python benchmarks/cache_cost.py [--workdir DIR]``.  Uses a throw-away
cache key (``FLASKLINT_CACHE_KEY``) so the user's own key file is not touched.
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PACKAGES = (
    "flask",
    "werkzeug",
    "jinja2",
    "click",
    "itsdangerous",
    "blinker",
    "markupsafe",
    "flask_cors",
    "flask_login",
    "flask_restful",
    "flask_talisman",
    "requests",
    "urllib3",
)
# Edited to re-check the largest link group (its modules import each other).
TOUCH = "werkzeug/routing/map.py"


def _copy_packages(root: Path) -> int:
    count = 0
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        source = Path(next(iter(spec.submodule_search_locations)))
        shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        count += sum(1 for _ in (root / name).rglob("*.py"))
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    return count


def _run(root: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "-q", "--exit-zero", *args, "."],
        cwd=root,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def _edit(path: Path, n: int) -> None:
    with path.open("a") as handle:
        handle.write(f"# edit {n}\n")


def _load(tree_cache: object, slot: object, size: int) -> object:
    load = tree_cache.load_tree  # type: ignore[attr-defined]
    if "source_size" in inspect.signature(load).parameters:  # bounded by the source (issue #16)
        return load(slot, size)
    return load(slot)


def _load_all_trees(root: Path, cache_dir: Path) -> float:
    from flasklint_headers import tree_cache
    from flasklint_headers.cache import content_hash
    from flasklint_headers.parsing import parse_text

    parameters = inspect.signature(tree_cache.tree_slot).parameters
    extra: dict[str, object] = {}
    if "key" in parameters:  # authenticated trees (issue #16)
        from flasklint_headers.cache_key import cache_key

        extra["key"] = cache_key().key
    slots = []
    for path in sorted(root.rglob("*.py")):
        data = path.read_bytes()
        slot = tree_cache.tree_slot(cache_dir, str(path), content_hash(data), True, **extra)
        tree = parse_text(data.decode("utf-8"))
        if hasattr(tree, "code"):
            tree_cache.store_tree(slot, tree)
            slots.append((slot, len(data)))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        loaded = sum(1 for slot, size in slots if _load(tree_cache, slot, size) is not None)
        times.append(time.perf_counter() - start)
    assert loaded == len(slots), (loaded, len(slots))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="flh-cache-bench-"))
    os.environ["FLASKLINT_CACHE_KEY"] = "benchmark-only-key-" + "x" * 32
    root = workdir / "project"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    files = _copy_packages(root)
    cold = _run(root)
    warm = statistics.median(_run(root) for _ in range(5))
    touched = root / TOUCH
    _edit(touched, 0)
    _run(root)  # the first edit stores the group's trees
    edited = []
    for n in range(1, 4):
        _edit(touched, n)
        edited.append(_run(root))
    loading = _load_all_trees(root, workdir / "tree-cache")
    print(f"files:                      {files}")
    print(f"cold run:                   {cold:7.2f} s")
    print(f"warm run (median of 5):     {warm:7.2f} s")
    print(f"edited run, trees read (3): {statistics.median(edited):7.2f} s")
    print(f"load_tree of every file:    {loading:7.3f} s")


if __name__ == "__main__":
    main()
