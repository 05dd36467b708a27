"""Which other files a one-file run needs, so it sees the whole project's model.

App-wide rules (FLH301-305, FLH315) need every module of the project: Talisman
is often created in ``extensions.py`` and bound in a factory elsewhere.  When a
pre-commit hook passes one changed file, the runner adds the files returned by
``project_files_for`` to the model (they are modelled, not reported on).

The project root of a file is the nearest directory above it that holds
``pyproject.toml``, ``setup.cfg``, ``setup.py`` or ``.git`` (the markers config
discovery uses); without one, the top directory of the file's package; for a
loose script, its own directory (siblings only).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from flasklint_headers.discovery import DEFAULT_EXCLUDES, iter_python_files

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# A root with more Python files than this is not scanned whole (e.g. a monorepo
# or a home directory with .git); the file's top package is used instead.
MAX_PROJECT_FILES = 5000


def find_project_root(path: Path) -> Path | None:
    """Nearest ancestor directory with a root marker, or None."""
    directory = path.resolve().parent
    for candidate in (directory, *directory.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return None


def top_package_dir(path: Path) -> Path | None:
    """The outermost directory of the package chain ``path`` belongs to, or None."""
    directory = path.resolve().parent
    top = None
    while (directory / "__init__.py").exists():
        top = directory
        if directory.parent == directory:
            break
        directory = directory.parent
    return top


def _python_files(root: Path, limit: int) -> list[Path] | None:
    files: list[Path] = []
    for file in iter_python_files([root], DEFAULT_EXCLUDES):
        if file.suffix != ".py":
            continue
        files.append(file.resolve())
        if len(files) > limit:
            return None
    return files


def _files_for(path: Path, limit: int) -> list[Path]:
    root = find_project_root(path)
    if root is not None:
        files = _python_files(root, limit)
        if files is not None:
            return files
    package = top_package_dir(path)
    if package is not None:
        files = _python_files(package, limit)
        if files is not None:
            return files
    directory = path.resolve().parent
    return sorted(p.resolve() for p in directory.glob("*.py") if p.is_file())


def project_files_for(paths: Iterable[Path], limit: int = MAX_PROJECT_FILES) -> list[Path]:
    """The other ``.py`` files of the projects that ``paths`` (files) belong to.

    The given files themselves are not in the result; the order is stable.
    """
    given = {p.resolve() for p in paths}
    extra: dict[Path, None] = {}
    roots_done: set[Path] = set()
    for path in sorted(given):
        if path.is_dir():
            continue
        key = find_project_root(path) or top_package_dir(path) or path.parent
        if key in roots_done:
            continue
        roots_done.add(key)
        for file in _files_for(path, limit):
            if file not in given:
                extra.setdefault(file, None)
    return list(extra)
