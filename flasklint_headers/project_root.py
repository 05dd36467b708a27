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

import os
from collections.abc import Iterable
from pathlib import Path

from flasklint_headers.discovery import DEFAULT_EXCLUDES, iter_python_files
from flasklint_headers.paths import Resolver

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")
# A root with more Python files than this is not scanned whole (e.g. a monorepo
# or a home directory with .git); the file's top package is used instead.
MAX_PROJECT_FILES = 5000


class DirectoryFacts:
    """Project roots and top packages of directories, each looked up once.

    A run over thousands of files asks the same questions of the same few
    folders; one instance lives for one run (the file system may change between runs).
    """

    def __init__(self) -> None:
        self._roots: dict[Path, Path | None] = {}
        self._tops: dict[Path, Path | None] = {}
        self._paths = Resolver()

    def project_key_of_dir(self, directory: Path) -> Path:
        """What identifies the project of the files in ``directory`` (resolved)."""
        return self.root_of_dir(directory) or self.top_package_of_dir(directory) or directory

    def resolve_dir(self, directory: Path) -> Path:
        return self._paths.directory(directory)

    def resolve(self, path: Path) -> Path:
        return self._paths.file(path)

    def root_of_dir(self, directory: Path) -> Path | None:
        if directory not in self._roots:
            if any((directory / marker).exists() for marker in ROOT_MARKERS):
                self._roots[directory] = directory
            elif directory.parent == directory:
                self._roots[directory] = None
            else:
                self._roots[directory] = self.root_of_dir(directory.parent)
        return self._roots[directory]

    def top_package_of_dir(self, directory: Path) -> Path | None:
        if directory not in self._tops:
            if not (directory / "__init__.py").exists():
                self._tops[directory] = None
            elif directory.parent == directory:
                self._tops[directory] = directory
            else:
                self._tops[directory] = self.top_package_of_dir(directory.parent) or directory
        return self._tops[directory]


def find_project_root(path: Path, facts: DirectoryFacts | None = None) -> Path | None:
    """Nearest ancestor directory with a root marker, or None."""
    return (facts or DirectoryFacts()).root_of_dir(path.resolve().parent)


def top_package_dir(path: Path, facts: DirectoryFacts | None = None) -> Path | None:
    """The outermost directory of the package chain ``path`` belongs to, or None."""
    return (facts or DirectoryFacts()).top_package_of_dir(path.resolve().parent)


def _python_files(root: Path, limit: int, facts: DirectoryFacts) -> list[Path] | None:
    files: list[Path] = []
    for file in iter_python_files([root], DEFAULT_EXCLUDES):
        if file.suffix != ".py":
            continue
        files.append(facts.resolve(file))
        if len(files) > limit:
            return None
    return files


def _files_for(path: Path, limit: int, facts: DirectoryFacts) -> list[Path]:
    root = find_project_root(path, facts)
    if root is not None:
        files = _python_files(root, limit, facts)
        if files is not None:
            return files
    package = top_package_dir(path, facts)
    if package is not None:
        files = _python_files(package, limit, facts)
        if files is not None:
            return files
    directory = path.resolve().parent
    return sorted(p.resolve() for p in directory.glob("*.py") if p.is_file())


def project_files_for(
    paths: Iterable[Path],
    limit: int = MAX_PROJECT_FILES,
    facts: DirectoryFacts | None = None,
    covered_dirs: Iterable[Path] = (),
    symlinked: bool | None = None,
) -> list[Path]:
    """The other ``.py`` files of the projects that ``paths`` (files) belong to.

    The given files themselves are not in the result; the order is stable.
    A project root inside one of ``covered_dirs`` (directories the run was given
    whole) is not walked again: its files are already among ``paths``.
    ``symlinked``: whether any of ``paths`` is a symlink, if the caller knows.
    """
    facts = facts or DirectoryFacts()
    paths = list(paths)
    covered = tuple(d.resolve() for d in covered_dirs)

    def is_covered(key: Path) -> bool:
        return any(key == d or d in key.parents for d in covered)

    if (
        covered
        and all(
            is_covered(facts.project_key_of_dir(facts.resolve_dir(parent)))
            for parent in {path.parent for path in paths}
        )
        # A link may lead elsewhere.
        and not (any(os.path.islink(p) for p in paths) if symlinked is None else symlinked)
    ):
        return []  # a run over whole projects (the usual directory run): nothing to add
    given = {facts.resolve(p) for p in paths}
    extra: dict[Path, None] = {}
    roots_done: set[Path] = set()
    for path in sorted(given):
        key = facts.project_key_of_dir(path.parent)
        if key in roots_done:
            continue
        roots_done.add(key)
        if is_covered(key):
            continue
        for file in _files_for(path, limit, facts):
            if file not in given:
                extra.setdefault(file, None)
    return list(extra)
