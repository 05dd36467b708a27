"""Write a fixed file back without losing it, its metadata or its other names.

``write_fixed_file`` is the only place ``--fix`` touches a checked file:

* A file that changed or vanished since it was read is left alone.
* A file whose permission bits allow no one to write it (``chmod 444``) is
  refused, even for root, who could write it anyway: those bits say the user
  does not want it written.  A file the current user cannot write is refused
  too.  Either way the file is untouched and the CLI reports a fix failure.
* A file with one name is replaced atomically: the new bytes go to a
  temporary file in the same directory (``.NAME.PID.RANDOM.flasklint-tmp``),
  which gets the owner first and then the mode (``chown`` clears setuid and
  setgid bits, so the other order would drop them) and then replaces the
  original with ``os.replace``.  A crash leaves the old file or the new one.
* A file with several hard links is rewritten in place, since replacing it
  would leave its other names with the old content.  The fixed bytes first go
  to a complete copy next to it (``.NAME.PID.RANDOM.flasklint-copy``, which
  also proves the disk has room), then over the original through one open
  file, which keeps its inode, owner, mode and links.  If that write fails
  the original bytes are written back.  Only a process killed in the middle
  of that one write can leave a partial file; its copy is then kept (see below)
  so the fixed text is never lost.
* A symlink is followed: its target is what gets rewritten.  The CLI passes
  only links whose file lies inside the checked paths (``cli._write_fixes``).

Temporary files of runs that were killed are cleaned by
``remove_stale_temp_files``, called for each directory a run writes into.  It
removes only regular files owned by this user whose names match the exact
pattern above, whose process id is not running and which are more than a
minute old (another machine sharing the directory may be writing one now), or
any such file more than an hour old (process ids get reused).  A stale
``.flasklint-copy`` is never deleted: it is reported, because the file it was
written for may be the incomplete one.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from flasklint_headers.source import SourceError, SourceFile, read_regular_file

TEMP_SUFFIX = ".flasklint-tmp"
COPY_SUFFIX = ".flasklint-copy"
# ``tempfile.mkstemp`` adds eight characters from this alphabet between prefix and suffix.
_OUR_NAME = re.compile(
    r"\.(?P<name>.+)\.(?P<pid>[1-9][0-9]{0,9})\.[a-z0-9_]{8}(?P<kind>\.flasklint-(?:tmp|copy))",
    re.S,
)
# A dead run's file younger than this may belong to a run on another machine.
MIN_STALE_AGE_SECONDS = 60.0
# Older than this, a file is stale even if its process id now names a live process.
MAX_TEMP_AGE_SECONDS = 3600.0
_NO_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


class FixWriteError(OSError):
    """The fixed file could not be written; the original file is untouched."""


def write_fixed_file(source: SourceFile, text: str) -> None:
    """Write fixed text over ``source``'s file (see the module docstring for how)."""
    target = Path(os.path.realpath(source.path))
    data = source.encode(text)
    info = _unchanged_state(target, source)
    _refuse_unwritable(target, info, source.display_name)
    if info.st_nlink > 1:
        _rewrite_in_place(target, data, source, info)
    else:
        _replace(target, data, info)


def _unchanged_state(target: Path, source: SourceFile) -> os.stat_result:
    """The file's stat, if it still holds the bytes that were read."""
    name = source.display_name
    try:
        info = os.stat(target)
        if not stat.S_ISREG(info.st_mode):
            raise FixWriteError(f"{name}: not a regular file; not written")
        # Capped at the size read: a file that grew (or became a FIFO) has changed.
        if read_regular_file(target, len(source.raw)) != source.raw:
            raise FixWriteError(f"{name}: changed on disk while fixing; not written")
    except FileNotFoundError as exc:
        raise FixWriteError(f"{name}: deleted while fixing; not written") from exc
    except SourceError as exc:  # grew, or is no regular file any more
        raise FixWriteError(f"{name}: changed on disk while fixing; not written") from exc
    return info


def _refuse_unwritable(target: Path, info: os.stat_result, name: str) -> None:
    # Refused on the bits, not only on os.access: root may write anything, but
    # a file nobody may write was made read-only on purpose.
    mode = stat.S_IMODE(info.st_mode)
    if not mode & _NO_WRITE_BITS:
        raise FixWriteError(
            f"{name}: read-only file (mode {mode:04o}); not written (make it writable to fix it)"
        )
    if not os.access(target, os.W_OK):
        raise FixWriteError(f"{name}: not writable by this user; not written")


def _new_temp(target: Path, suffix: str) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=suffix, dir=target.parent
    )


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _complete_temp(target: Path, suffix: str, data: bytes) -> str:
    """A new file beside ``target`` holding ``data``, synced to disk (removed on failure)."""
    fd, path = _new_temp(target, suffix)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        raise
    return path


def _replace(target: Path, data: bytes, info: os.stat_result) -> None:
    """Replace a file with one name: complete temporary file, then ``os.replace``."""
    tmp = _complete_temp(target, TEMP_SUFFIX, data)
    try:
        _keep_owner(tmp, info)  # before the mode: chown clears setuid and setgid
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _keep_owner(path: str, info: os.stat_result) -> None:
    if hasattr(os, "chown"):
        # Not allowed for ordinary users (they own the file anyway); the mode matters most.
        with contextlib.suppress(OSError):
            os.chown(path, info.st_uid, info.st_gid)


def _rewrite_in_place(target: Path, data: bytes, source: SourceFile, info: os.stat_result) -> None:
    """Rewrite a hard-linked file through one open file, so that every name sees the fix."""
    copy = _complete_temp(target, COPY_SUFFIX, data)
    try:
        _overwrite(target, data, source, info)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(copy)


def _overwrite(target: Path, data: bytes, source: SourceFile, info: os.stat_result) -> None:
    fd = os.open(target, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or _read_all(fd) != source.raw:
            raise FixWriteError(f"{source.display_name}: changed on disk while fixing; not written")
        try:
            _write_at_start(fd, data)
        except BaseException:
            with contextlib.suppress(OSError):
                _write_at_start(fd, source.raw)  # the original is still in memory
            raise
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _write_at_start(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)


# -- files left by killed runs -------------------------------------------------------------


@dataclass(frozen=True)
class StaleFiles:
    """What ``remove_stale_temp_files`` found in one directory."""

    removed: tuple[str, ...] = ()
    # Copies of a fixed hard-linked file: kept, since that file may be incomplete.
    kept_copies: tuple[str, ...] = ()


def remove_stale_temp_files(directory: Path, now: float | None = None) -> StaleFiles:
    """Remove the temporary files killed runs left in ``directory`` (module docstring)."""
    now = time.time() if now is None else now
    removed: list[str] = []
    kept: list[str] = []
    try:
        with os.scandir(directory) as entries:
            candidates = [(e.name, e.path) for e in entries if e.name.endswith(_OUR_SUFFIXES)]
    except OSError:
        return StaleFiles()
    for name, path in candidates:
        match = _OUR_NAME.fullmatch(name)
        if match is None or not _left_by_dead_run(path, int(match["pid"]), now):
            continue
        if match["kind"] == COPY_SUFFIX:
            kept.append(name)
            continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
            removed.append(name)
    return StaleFiles(tuple(removed), tuple(kept))


_OUR_SUFFIXES = (TEMP_SUFFIX, COPY_SUFFIX)


def _left_by_dead_run(path: str, pid: int, now: float) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False  # a link or a directory with our name is not ours
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return False
    age = now - info.st_mtime
    if age > MAX_TEMP_AGE_SECONDS:
        return True
    return age > MIN_STALE_AGE_SECONDS and not _process_running(pid)


def _process_running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    except (OverflowError, ValueError, OSError):
        return False
    return True


__all__ = [
    "COPY_SUFFIX",
    "TEMP_SUFFIX",
    "FixWriteError",
    "StaleFiles",
    "remove_stale_temp_files",
    "write_fixed_file",
]
