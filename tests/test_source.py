"""Decoding (PEP 263, BOM, line endings) and parsing diagnostics."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from flasklint_headers.parsing import PYTHON2_HINT, ParseFailure, parse_text
from flasklint_headers.source import SourceError, decode_source, line_starts, split_lines


def _decode(raw: bytes):
    return decode_source(raw, Path("m.py"), "m.py")


@pytest.mark.parametrize(
    ("raw", "encoding", "text"),
    [
        (b"x = 1\n", "utf-8", "x = 1\n"),
        (codecs.BOM_UTF8 + b"x = '\xc3\xa9'\n", "utf-8", "x = 'é'\n"),
        (
            b"# -*- coding: latin-1 -*-\nx = '\xe9'\n",
            "iso8859-1",
            "# -*- coding: latin-1 -*-\nx = 'é'\n",
        ),
        (b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nx = '\x80'\n", "cp1252", None),
        (codecs.BOM_UTF8 + b"# coding: utf-8\nx = 1\n", "utf-8", "# coding: utf-8\nx = 1\n"),
        (b"", "utf-8", ""),
    ],
    ids=["plain", "bom", "latin-1", "cp1252-second-line", "bom-and-cookie", "empty"],
)
def test_decoding_and_exact_re_encoding(raw: bytes, encoding: str, text: str | None) -> None:
    source = _decode(raw)
    assert source.encoding == encoding
    if text is not None:
        assert source.text == text
    assert source.encode(source.text) == raw


def test_cr_only_files_are_analysed_with_lf_and_written_back_with_cr() -> None:
    source = _decode(b"a = 1\rb = 2\r")
    assert source.cr_only and source.text == "a = 1\nb = 2\n"
    assert source.encode("a = 1\nc = 3\nb = 2\n") == b"a = 1\rc = 3\rb = 2\r"


def test_mixed_line_endings_are_kept_as_they_are() -> None:
    raw = b"a = 1\r\nb = 2\rc = 3\n"
    source = _decode(raw)
    assert not source.cr_only and source.text == raw.decode()
    assert source.encode(source.text) == raw


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"x = 1\x00", "NUL bytes"),
        (b"x = 1\ny = '\xff'\n", "cannot decode as utf-8 at line 2, column 6 (byte 0xFF)"),
        (b"# coding: klingon\n", "unknown encoding: klingon"),
        (codecs.BOM_UTF8 + b"# coding: latin-1\n", "byte order mark"),
        (b"# coding: ascii\nx = '\xc3\xa9'\n", "cannot decode as ascii at line 2"),
        (b"\xe9 = 1\n", "cannot decode as utf-8 at line 1, column 1"),
    ],
    ids=["nul", "undecodable", "unknown-cookie", "bom-vs-cookie", "wrong-cookie", "first-line"],
)
def test_decoding_errors_are_one_clear_line(raw: bytes, words: str) -> None:
    with pytest.raises(SourceError) as info:
        _decode(raw)
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_line_splitting_matches_libcst() -> None:
    text = "a\r\nb\rc\n\x0cd\x0be\n"
    assert split_lines(text) == ["a\r\n", "b\r", "c\n", "\x0cd\x0be\n"]
    assert line_starts(text) == [0, 3, 5, 7, 12]
    assert split_lines("x") == ["x"] and split_lines("") == []


@pytest.mark.parametrize(
    "text",
    ["print 'hi'\n", "exec 'code'\n", "raise E, 'no'\n", "print x, y\n"],
)
def test_python2_code_is_named(text: str) -> None:
    result = parse_text(text)
    assert isinstance(result, ParseFailure)
    assert result.message.endswith(PYTHON2_HINT)


def test_python3_syntax_error_has_no_python2_hint() -> None:
    result = parse_text("def f(:\n    print('x')\n")
    assert isinstance(result, ParseFailure)
    assert PYTHON2_HINT not in result.message
    assert (result.row, result.column) == (1, 7)


def test_deep_nesting_is_a_clean_failure_not_a_crash() -> None:
    for text in ("x = " + "-" * 60_000 + "1\n", "x = " + "+".join(["1"] * 3_000) + "\n"):
        result = parse_text(text)
        assert isinstance(result, ParseFailure)
        assert "nested too deeply" in result.message


def test_ordinary_nesting_still_parses() -> None:
    text = "x = " + "(" * 150 + "1" + ")" * 150 + "\n" + "y = " + "+".join(["1"] * 400) + "\n"
    assert not isinstance(parse_text(text), ParseFailure)


def test_valid_python_libcst_cannot_parse_is_not_called_a_syntax_error() -> None:
    lines = "".join(f'    b"{"ab" * 35}"\n' for _ in range(14_000))
    result = parse_text(f"BLOB = (\n{lines})\n")
    assert isinstance(result, ParseFailure)
    # 14,000 joined literals nest 14,000 levels in libcst: refused before parsing.
    assert result.message.startswith("cannot analyse this file: expression nested too deeply")
