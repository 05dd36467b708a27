"""Resolving many paths of one tree cheaply (a run resolves thousands).

``Path.resolve()`` checks every component of the path; files of one tree share
their folders, so ``Resolver`` resolves each folder once, from its parent's
answer (one ``lstat`` for a folder that is not a symlink).  One instance lives
for one run: the file system may change between runs.
"""

from __future__ import annotations

from pathlib import Path


class Resolver:
    def __init__(self) -> None:
        self._dirs: dict[Path, Path] = {}

    def directory(self, directory: Path) -> Path:
        """``directory.resolve()``."""
        known = self._dirs.get(directory)
        if known is None:
            parent = directory.parent
            if (
                parent != directory
                and directory.name not in ("", ".", "..")
                and not directory.is_symlink()
            ):
                known = self.directory(parent) / directory.name
            else:
                known = directory.resolve()
            self._dirs[directory] = known
        return known

    def file(self, path: Path) -> Path:
        """``path.resolve()`` (a symlinked file in full)."""
        if path.is_symlink():
            return path.resolve()
        return self.directory(path.parent) / path.name
