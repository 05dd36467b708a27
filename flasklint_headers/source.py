"""Read a file's bytes and decode them the way Python would (PEP 263 cookie, BOM).

The decoded text is what every later stage sees; ``encode`` turns edited text
back into bytes with the same encoding, BOM and line endings, so that bytes
outside an edited span stay identical.
"""

from __future__ import annotations

import codecs
import io
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


def decode_source(raw: bytes, path: Path, display_name: str) -> SourceFile:
    """Decode ``raw`` like the interpreter does; raise SourceError with a clear reason."""
    if b"\x00" in raw:
        raise SourceError("file contains NUL bytes (not a Python source file)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as exc:
        raise SourceError(f"cannot determine the encoding: {exc}") from exc
    has_bom = raw.startswith(codecs.BOM_UTF8)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = raw[len(codecs.BOM_UTF8) :] if has_bom else raw
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc}") from exc
    cr_only = "\r" in text and "\n" not in text
    if cr_only:
        text = text.replace("\r", "\n")
    return SourceFile(path, display_name, raw, text, encoding, has_bom, cr_only)


def read_source(path: Path, display_name: str) -> SourceFile:
    try:
        raw = path.read_bytes()
    except IsADirectoryError as exc:
        raise SourceError("is a directory, expected a file") from exc
    except FileNotFoundError as exc:
        raise SourceError("no such file") from exc
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    return decode_source(raw, path, display_name)
