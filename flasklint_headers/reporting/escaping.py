"""Escaping of untrusted text (file names, header values, source lines) for output.

The checked repository is untrusted: a file name or a header value may hold
an ESC sequence that recolours or rewrites the terminal, a newline that fakes
a GitHub workflow command (``\\n::error file=...::``), a carriage return that
hides the rest of a line, or a bidi override that shows code in another order
than it runs (Trojan Source).  Every human format escapes such characters
before printing, in one documented, reversible-looking notation close to
Python's ``repr``:

* ``\\t``, ``\\n`` and ``\\r`` are shown as those two characters;
* every other C0 control (U+0000-U+001F), DEL (U+007F) and every C1 control
  (U+0080-U+009F) as ``\\xNN`` (ESC is ``\\x1b``);
* the bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069 and
  the line/paragraph separators U+2028/U+2029 as ``\\uNNNN``;
* a byte of a file name that is not valid UTF-8 (Python's ``surrogateescape``,
  U+DC80-U+DCFF) as ``\\xNN``, the byte itself; any other lone surrogate as
  ``\\uNNNN`` (it cannot be encoded at all).

Backslashes are left alone (rule messages quote ``\\r``/``\\n`` themselves),
so the notation is for reading, not for decoding.  Structured formats (JSON,
SARIF) keep control characters, which ``json.dumps`` escapes losslessly, and
only replace lone surrogates (``json_safe``), which strict JSON readers reject.
"""

from __future__ import annotations

import re
from typing import Any

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped_char(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    point = ord(char)
    if point < 0x100:
        return f"\\x{point:02x}"
    if 0xDC80 <= point <= 0xDCFF:  # surrogateescape: the undecodable byte itself
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"


def needs_escaping(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def escape(text: str, keep: str = "") -> str:
    """``text`` with every unsafe character escaped, except those in ``keep``."""
    if not needs_escaping(text):
        return text
    return _UNSAFE.sub(
        lambda match: match[0] if match[0] in keep else _escaped_char(match[0]), text
    )


def json_safe(value: Any) -> Any:
    """``value`` (a JSON-ready structure) with lone surrogates in its strings escaped,
    so that the JSON text is valid UTF-8 for every reader."""
    if isinstance(value, str):
        if _SURROGATE.search(value) is None:
            return value
        return _SURROGATE.sub(lambda match: _escaped_char(match[0]), value)
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def raw_bytes(name: str) -> bytes:
    """The bytes of a file name as the file system holds them (undoing surrogateescape)."""
    try:
        return name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system name decodes to
        return name.encode("utf-8", "surrogatepass")


_GIT_NAMED = {
    0x07: "\\a",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\v",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def diff_path(name: str) -> str:
    """A name for a ``---``/``+++`` line: as is when harmless, else quoted like git.

    git writes such names as ``"a/na\\033me"`` (C escapes, octal bytes), and both
    ``git apply`` and GNU ``patch`` read that form back to the exact name, so the
    diff stays applicable while no control character reaches the terminal.
    """
    if not needs_escaping(name) and '"' not in name and "\\" not in name:
        return name
    out = []
    for byte in raw_bytes(name):
        if byte in _GIT_NAMED:
            out.append(_GIT_NAMED[byte])
        elif byte < 0x20 or byte >= 0x7F:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'
