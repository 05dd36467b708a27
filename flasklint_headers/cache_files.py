"""Reading and deleting inside a cache directory without following links.

The cache directory may come from the checked repository, so anything in it
can be a symbolic link (to ``../``, to the user's home), a FIFO that blocks a
reader forever, or a directory owned by someone else.  The cache therefore

* refuses a cache directory that is a link, not a directory, or not owned by
  the user, and one holding any link or non-regular file at its top
  (``directory_problem``): the run goes on without a cache and says why once;
* opens every file with ``O_NOFOLLOW | O_NONBLOCK`` and reads it only if it is
  a regular file of bounded size (``read_regular``), and, for a caller that can
  tell from a streamed look (a MAC), only if that look accepts it: a planted
  file under the size bound then costs a read, not its size in memory;
* deletes through directory descriptors, ``lstat``-ing first, so a link is at
  most removed itself and what it points to is never touched.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def directory_problem(directory: Path) -> str | None:
    """Why ``directory`` must not be used as a cache; None when it is fine or absent."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return None  # created (as a real directory) when the cache is saved
    except OSError as exc:
        return f"{directory} cannot be examined ({exc.strerror or exc})"
    own = _ownership_problem(directory, info)
    if own is not None:
        return own
    try:
        entries = list(os.scandir(directory))
    except OSError as exc:
        return f"{directory} cannot be listed ({exc.strerror or exc})"
    for entry in entries:
        try:
            entry_info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # gone meanwhile (another run cleaning up)
        if stat.S_ISLNK(entry_info.st_mode):
            return f"{entry.path} is a symbolic link"
        if stat.S_ISDIR(entry_info.st_mode):
            own = _ownership_problem(Path(entry.path), entry_info)
            if own is not None:
                return own
        elif not stat.S_ISREG(entry_info.st_mode):
            return f"{entry.path} is not a regular file"
    return None


def _ownership_problem(path: Path, info: os.stat_result) -> str | None:
    if stat.S_ISLNK(info.st_mode):
        return f"{path} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a directory"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"{path} is owned by another user (uid {info.st_uid})"
    return None


def read_regular(
    path: Path | str, limit: int, accept: Callable[[BinaryIO], bool] | None = None
) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file of at most ``limit`` bytes (not through a link), or None.

    ``accept``, when given, first looks at the open file (from its start, in
    chunks); a file it refuses reads as empty bytes (its stat still tells the
    caller which file it was).
    """
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            if accept is not None:
                if not accept(handle):
                    return b"", info
                handle.seek(0)
            data = handle.read(limit + 1)
        except OSError:
            return None
    return (data, info) if len(data) <= limit else None


def remove_file(path: Path) -> None:
    """Delete ``path`` if it is a file or a link (a link itself, never its target)."""
    with contextlib.suppress(OSError):
        info = os.lstat(path)
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            os.unlink(path)


def remove_directory(parent: Path, name: str) -> None:
    """Delete the files in ``parent/name``, then the directory, never leaving it.

    The directory is opened without following links and emptied through its
    descriptor, so swapping it for a link meanwhile changes nothing outside.
    A link named ``name`` is removed itself.
    """
    try:
        parent_fd = os.open(parent, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError:
        return
    try:
        info = os.lstat(name, dir_fd=parent_fd)
        if stat.S_ISLNK(info.st_mode):
            os.unlink(name, dir_fd=parent_fd)
            return
        if not stat.S_ISDIR(info.st_mode):
            return
        fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=parent_fd)
        try:
            for entry in os.scandir(fd):
                if not entry.is_dir(follow_symlinks=False):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.name, dir_fd=fd)
        finally:
            os.close(fd)
        os.rmdir(name, dir_fd=parent_fd)  # fails while another run writes into it
    except OSError:
        return
    finally:
        os.close(parent_fd)


def own_directory_problem(directory: Path) -> str | None:
    """Why ``directory`` (which exists) is not a directory of the user's own; None if it is."""
    try:
        return _ownership_problem(directory, os.lstat(directory))
    except OSError as exc:
        return f"{directory} cannot be examined ({exc.strerror or exc})"
