"""What the nesting guard (``parsing.nesting_bound``) costs on real code (not a test).

Reads every ``.py`` file under a directory (default: the site-packages of the
running interpreter, thousands of real files) and prints, per MB of source:

* the time of ``nesting_bound`` (paid by every parsed file of 250+ characters);
* how many files and MB its bound flags (those pay ``ast.parse`` plus the
  ``_cst_depth`` measurement too) and the time of that precise check;
* the time of ``libcst.parse_module`` on a sample (every tenth file), the
  yardstick the guard is added to;
* the deepest file by the precise measure (how far real code stays from
  ``MAX_DEPTH``).

Usage: ``python benchmarks/nesting_guard.py [DIRECTORY]``.
"""

from __future__ import annotations

import ast
import contextlib
import sys
import sysconfig
import time
import warnings
from pathlib import Path

import libcst as cst

from flasklint_headers.parsing import MAX_DEPTH, _cst_depth, _nesting_failure, nesting_bound


def _texts(root: Path) -> list[tuple[Path, str]]:
    texts = []
    for path in sorted(root.rglob("*.py")):
        try:
            texts.append((path, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return texts


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sysconfig.get_paths()["purelib"])
    texts = _texts(root)
    megabytes = sum(len(text) for _, text in texts) / 1e6
    print(f"{len(texts)} files, {megabytes:.1f} MB under {root}")

    started = time.perf_counter()
    bounds = [nesting_bound(text) for _, text in texts]
    bound_seconds = time.perf_counter() - started
    print(f"nesting_bound: {1000 * bound_seconds / megabytes:.1f} ms/MB")

    flagged = [text for (_, text), bound in zip(texts, bounds, strict=True) if bound >= MAX_DEPTH]
    flagged_mb = sum(map(len, flagged)) / 1e6
    started = time.perf_counter()
    for text in flagged:
        _nesting_failure(text, deep=True)
    precise_seconds = time.perf_counter() - started
    print(
        f"flagged: {len(flagged)} files, {flagged_mb:.2f} MB; precise check "
        f"{precise_seconds:.2f} s = {1000 * precise_seconds / megabytes:.1f} ms per MB of all files"
    )

    sample = texts[::10]
    sample_mb = sum(len(text) for _, text in sample) / 1e6
    started = time.perf_counter()
    for _, text in sample:
        with contextlib.suppress(Exception):  # a yardstick: failures cost what they cost
            cst.parse_module(text)
    libcst_seconds = time.perf_counter() - started
    print(f"libcst.parse_module: {1000 * libcst_seconds / sample_mb:.0f} ms/MB (every tenth file)")

    deepest, deepest_path = 0, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for path, text in texts:
            try:
                depth = _cst_depth(ast.parse(text), text)[0]
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                continue
            if depth > deepest:
                deepest, deepest_path = depth, path
    print(f"deepest file: {deepest} levels ({deepest_path}); MAX_DEPTH = {MAX_DEPTH}")


if __name__ == "__main__":
    main()
