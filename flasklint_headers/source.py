"""Read a file's bytes and decode them the way Python would (PEP 263 cookie, BOM).

The decoded text is what every later stage sees; ``encode`` turns edited text
back into bytes with the same encoding, BOM and line endings, so that bytes
outside an edited span stay identical.

The checked tree is untrusted, and so is every file read from it (sources,
``pyproject.toml``, ``.gitignore``): ``read_regular_file`` reads only regular
files, at most a size cap.  A FIFO named ``x.py`` would block ``open`` and
``read`` forever and a link to ``/dev/zero`` never ends, so the path is
``stat``-ed first (a device is never even opened), then opened without
blocking (``O_NONBLOCK``: a FIFO swapped in meanwhile cannot block either),
and the opened descriptor is ``fstat``-ed again before anything is read.
"""

from __future__ import annotations

import codecs
import errno
import io
import itertools
import os
import re
import stat
import tokenize
from dataclasses import dataclass
from pathlib import Path

# Sources larger than this are not read (``max-file-size``): above the largest
# real Python files (generated API clients, 4-6 MB), far below what hurts.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be read or decoded; the message is shown to the user."""


class NotRegularFileError(SourceError):
    """A FIFO, socket or device where a file was expected: never read.

    Found while walking a directory it is skipped silently (not a source file,
    as Ruff skips it); named on the command line it is reported (FLH003).
    """


class FileTooLargeError(SourceError):
    """A regular file over ``max-file-size``: reported wherever it was found,
    since skipping it silently would hide its code from the check."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    display_name: str
    raw: bytes
    text: str
    encoding: str
    has_bom: bool
    # Files with old-Mac "\r" line endings are analysed with "\n" (libcst cannot
    # round-trip lone "\r") and converted back on write.
    cr_only: bool = False

    def encode(self, text: str) -> bytes:
        """Encode edited analysis text back into the file's own bytes."""
        if self.cr_only:
            text = text.replace("\n", "\r")
        data = text.encode(self.encoding)
        if self.has_bom and not data.startswith(codecs.BOM_UTF8):
            data = codecs.BOM_UTF8 + data
        return data


# libcst (like the tokenizer) ends a line at "\r\n", "\r" or "\n"; nothing else.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offsets where each line starts (rows split exactly like libcst's positions)."""
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


def split_lines(text: str) -> list[str]:
    """Lines with their endings; unlike ``str.splitlines`` a form feed does not end a line."""
    starts = line_starts(text)
    lines = [text[a:b] for a, b in itertools.pairwise(starts)]
    if starts[-1] < len(text):
        lines.append(text[starts[-1] :])
    return lines


def decode_source(raw: bytes, path: Path, display_name: str) -> SourceFile:
    """Decode ``raw`` like the interpreter does; raise SourceError with a clear reason."""
    if b"\x00" in raw:
        raise SourceError("file contains NUL bytes (not a Python source file)")
    encoding = _declared_encoding(raw)
    has_bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if has_bom else raw
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(_decode_error_message(body, encoding, exc)) from exc
    cr_only = "\r" in text and "\n" not in text
    if cr_only:
        text = text.replace("\r", "\n")
    return SourceFile(path, display_name, raw, text, encoding, has_bom, cr_only)


def _declared_encoding(raw: bytes) -> str:
    """The PEP 263 encoding (BOM or coding cookie), utf-8 by default."""
    first_break = raw.find(b"\n")
    second_break = raw.find(b"\n", first_break + 1) if first_break != -1 else -1
    head = raw if second_break == -1 else raw[:second_break]
    if b"coding" not in head and not raw.startswith(codecs.BOM_UTF8):
        # No cookie can be there (it must sit in the first two lines): skip the
        # tokenizer. Bytes that are not UTF-8 fail when the body is decoded.
        return "utf-8"
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        reason = str(exc)
        if reason.startswith("unknown encoding"):
            raise SourceError(f"{reason} in the coding cookie") from exc
        if reason.startswith("encoding problem"):
            raise SourceError(
                "the file starts with a UTF-8 byte order mark but its coding cookie "
                "declares another encoding"
            ) from exc
        try:  # tokenize rejects a first line that is not UTF-8: say where
            raw.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            message = _decode_error_message(raw, "utf-8", decode_error)
            raise SourceError(message) from exc
        raise SourceError(f"cannot determine the encoding: {reason}") from exc
    encoding = codecs.lookup(encoding).name
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _decode_error_message(body: bytes, encoding: str, exc: UnicodeDecodeError) -> str:
    row = body.count(b"\n", 0, exc.start) + 1
    column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = body[exc.start : exc.start + 1].hex().upper()
    hint = " (add a coding cookie or save it as UTF-8)" if encoding == "utf-8" else ""
    return f"cannot decode as {encoding} at line {row}, column {column} (byte 0x{byte}){hint}"


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> NotRegularFileError:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    return NotRegularFileError(f"{kind}, not a regular file: not read")


def _too_large(size: int | None, limit: int) -> FileTooLargeError:
    """``size``: None when the file grew past the cap while it was read."""
    measured = f"{size:,} bytes, " if size is not None else ""
    return FileTooLargeError(
        f"file is larger than max-file-size ({measured}the limit is {limit:,}): not read; "
        "raise max-file-size in [tool.flasklint-headers] or exclude the file"
    )


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (module docstring).

    Raises ``NotRegularFileError``, ``FileTooLargeError`` or ``OSError``.
    """
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(info.st_mode)
    if info.st_size > limit:
        raise _too_large(info.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # swapped since the stat above
            raise _not_regular(info.st_mode)
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        data = _read_at_most(handle, min(info.st_size, limit) + 1, limit + 1)
    if len(data) > limit:
        raise _too_large(None, limit)
    return data


def _read_at_most(handle: io.FileIO, expected: int, most: int) -> bytes:
    """Up to ``most`` bytes; ``expected`` (the size from ``fstat``, plus one to see
    the end) in one call, so a small file never costs a cap-sized buffer."""
    data = b""
    want = expected
    while len(data) < most:
        chunk = handle.read(min(want, most - len(data)))
        if chunk is None:  # "no data yet": only a pipe or device says that
            raise _not_regular(stat.S_IFIFO)
        if not chunk:
            break
        data += chunk
        want = 64 * 1024  # a file that grew since fstat (or reports no size, procfs)
    return data


def read_source(path: Path, display_name: str, max_size: int = DEFAULT_MAX_FILE_SIZE) -> SourceFile:
    """Read and decode one file; every failure becomes a SourceError with a clear reason."""
    try:
        raw = read_regular_file(path, max_size)
    except SourceError:
        raise
    except IsADirectoryError as exc:
        raise SourceError("is a directory, expected a file") from exc
    except FileNotFoundError as exc:
        raise SourceError("no such file (deleted, or a broken symlink)") from exc
    except PermissionError as exc:
        raise SourceError("permission denied") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SourceError("symlink loop") from exc
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    return decode_source(raw, path, display_name)
