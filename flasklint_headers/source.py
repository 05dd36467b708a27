"""Read a file's bytes and decode them the way Python would (PEP 263 cookie, BOM).

The decoded text is what every later stage sees; ``encode`` turns edited text
back into bytes with the same encoding, BOM and line endings, so that bytes
outside an edited span stay identical.
"""

from __future__ import annotations

import codecs
import errno
import io
import itertools
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be read or decoded; the message is shown to the user."""


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


def read_source(path: Path, display_name: str) -> SourceFile:
    """Read and decode one file; every failure becomes a SourceError with a clear reason."""
    try:
        raw = path.read_bytes()
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
