"""Find the Python files to check under the given paths."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    ".flasklint_cache",
    "__pycache__",
)
PYTHON_SUFFIXES = (".py", ".pyi")


def is_excluded(path: Path, patterns: Iterable[str]) -> bool:
    name = path.name
    text = path.as_posix()
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(text, p) for p in patterns)


def iter_python_files(
    paths: Iterable[Path], excludes: Iterable[str] = DEFAULT_EXCLUDES
) -> Iterator[Path]:
    """Files under ``paths``; explicitly named files are always yielded."""
    patterns = tuple(excludes)
    seen: set[Path] = set()
    for root in paths:
        if not root.is_dir():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not is_excluded(base / d, patterns))
            for filename in sorted(filenames):
                path = base / filename
                if (
                    path.suffix in PYTHON_SUFFIXES
                    and not is_excluded(path, patterns)
                    and path not in seen
                ):
                    seen.add(path)
                    yield path
