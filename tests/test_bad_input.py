"""Bad input never crashes the run nor hides other files' findings.

Every bad file gives exactly one diagnostic (FLH001 for parse errors, FLH003
for files that cannot be read or decoded) and the run exits with code 2, while
the good file beside it is still reported (FLH101).
"""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from samples import DICT_RETURNED_AS_HEADERS

from flasklint_headers.config import Settings
from flasklint_headers.runner import FileReport, RunOptions, check_paths

SETTINGS = Settings(enabled=frozenset({"FLH101"}))

GOOD = DICT_RETURNED_AS_HEADERS

# name -> (bytes, expected code, words the message must contain)
FLASK = b"from flask import Flask\n"  # parse errors are reported in files the linter analyses

# name -> (bytes, expected code, words the message must contain)
BAD_FILES: dict[str, tuple[bytes, str, str]] = {
    "syntax.py": (FLASK + b"def f(:\n    pass\n", "FLH001", "SyntaxError"),
    "python2.py": (FLASK + b"print 'hello'\n", "FLH001", "Python 2"),
    "python2_raise.py": (FLASK + b"raise ValueError, 'no'\n", "FLH001", "Python 2"),
    # libcst parses this one; CPython 3 does not (flask-secure-headers).
    "python2_except.py": (
        FLASK + b"try:\n    pass\nexcept ValueError, e:\n    pass\n",
        "FLH001",
        "Python 2",
    ),
    "nul.py": (FLASK + b"x = 1\x00\n", "FLH003", "NUL"),
    "undecodable.py": (FLASK + b"y = '\xff\xfe'\n", "FLH003", "line 2"),
    "unknown_cookie.py": (b"# -*- coding: klingon -*-\n" + FLASK, "FLH003", "klingon"),
    "wrong_cookie.py": (b"# coding: ascii\n" + FLASK + b"x = '\xc3\xa9'\n", "FLH003", "ascii"),
    "bom_cookie.py": (codecs.BOM_UTF8 + b"# coding: latin-1\n" + FLASK, "FLH003", "byte order"),
    "deep.py": (FLASK + b"x = " + b"-" * 50_000 + b"1\n", "FLH001", "nested too deeply"),
    "long_chain.py": (
        FLASK + b"x = " + b" + ".join([b"1"] * 5_000) + b"\n",
        "FLH001",
        "nested too deeply",
    ),
    "tabs.py": (FLASK + b"if True:\n        x = 1\n\ty = 2\n", "FLH001", "SyntaxError"),
}

# Files that are odd but fine: no diagnostic at all.
FINE_FILES: dict[str, bytes] = {
    "empty.py": b"",
    "only_bom.py": codecs.BOM_UTF8,
    "only_comment.py": b"# nothing here",
    "crlf.py": GOOD.replace("\n", "\r\n").encode(),
    "cr_only.py": GOOD.replace("\n", "\r").encode(),
    "latin1.py": b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + GOOD.encode(),
    "form_feed.py": b"x = 1\n\x0c\ny = 2\n",
    "tabs_ok.py": b"if True:\n\tx = 1\n",
    # Python 3 forms next to the Python 2 one libcst accepts.
    "except_tuple.py": b"try:\n    pass\nexcept (ValueError, KeyError):\n    pass\n",
    "except_text.py": b'"""\nexcept ValueError, e:\n"""\n',
}


def _codes(report: FileReport) -> list[str]:
    return [f.code for f in report.findings]


def _by_name(reports: list[FileReport]) -> dict[str, FileReport]:
    return {Path(r.display_name).name: r for r in reports}


def _write(tmp_path: Path, files: dict[str, bytes]) -> list[Path]:
    paths = []
    for name, raw in files.items():
        path = tmp_path / name
        path.write_bytes(raw)
        paths.append(path)
    return paths


def test_each_bad_file_gives_one_diagnostic_and_others_are_checked(tmp_path: Path) -> None:
    files = {name: raw for name, (raw, _, _) in BAD_FILES.items()}
    paths = _write(tmp_path, {"good.py": GOOD.encode(), **files})
    reports = _by_name(check_paths(paths, SETTINGS))
    assert _codes(reports["good.py"]) == ["FLH101"]
    assert not reports["good.py"].failed
    for name, (_, code, words) in BAD_FILES.items():
        report = reports[name]
        assert _codes(report) == [code], (name, report.findings)
        assert report.failed, name
        assert words in report.findings[0].message, (name, report.findings[0].message)
        assert "\n" not in report.findings[0].message


def test_odd_but_valid_files_are_fine(tmp_path: Path) -> None:
    reports = _by_name(check_paths(_write(tmp_path, FINE_FILES), SETTINGS))
    for name in FINE_FILES:
        assert not reports[name].failed, (name, reports[name].findings)
    for name in ("crlf.py", "cr_only.py", "latin1.py"):
        assert _codes(reports[name]) == ["FLH101"], name
    for name in ("empty.py", "only_bom.py", "only_comment.py", "form_feed.py", "tabs_ok.py"):
        assert _codes(reports[name]) == [], name


def test_large_generated_file_is_not_pathologically_slow(tmp_path: Path) -> None:
    # 5 MB: a Flask view, then generated data and comments.
    data = "".join(f'TEXT_{i} = "{"generated " * 6}"  # row {i}\n' for i in range(5_000))
    comment = "# " + "generated comment " * 4 + "\n"
    text = GOOD + data + comment * ((5_000_000 - len(GOOD) - len(data)) // len(comment) + 1)
    path = tmp_path / "big.py"
    path.write_text(text)
    started = time.perf_counter()
    (report,) = check_paths([path], SETTINGS)
    assert time.perf_counter() - started < 90
    assert _codes(report) == ["FLH101"]


def test_syntax_errors_in_files_outside_the_flask_filter_with_the_filter_off(
    tmp_path: Path,
) -> None:
    paths = _write(tmp_path, {"plain.py": b"def f(:\n", "good.py": GOOD.encode()})
    options = RunOptions(relevance_filter=False, use_cache=False)
    reports = _by_name(check_paths(paths, SETTINGS, options=options))
    assert _codes(reports["plain.py"]) == ["FLH001"]
    assert _codes(reports["good.py"]) == ["FLH101"]


def test_directory_passed_as_a_file(tmp_path: Path) -> None:
    (tmp_path / "pkg.py").mkdir()
    good = _write(tmp_path, {"good.py": GOOD.encode()})
    reports = _by_name(check_paths([tmp_path / "pkg.py", *good], SETTINGS))
    assert _codes(reports["pkg.py"]) == ["FLH003"]
    assert "directory" in reports["pkg.py"].findings[0].message
    assert _codes(reports["good.py"]) == ["FLH101"]


def test_file_passed_as_a_directory(tmp_path: Path) -> None:
    (good,) = _write(tmp_path, {"good.py": GOOD.encode()})
    reports = check_paths([Path(f"{good}/inner.py"), good], SETTINGS)
    assert [_codes(r) for r in reports] == [["FLH101"], ["FLH003"]]
    assert "Not a directory" in reports[1].findings[0].message


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    good = _write(tmp_path, {"good.py": GOOD.encode()})
    reports = _by_name(check_paths([tmp_path / "a.py", *good], SETTINGS))
    assert _codes(reports["a.py"]) == ["FLH003"]
    assert "symlink loop" in reports["a.py"].findings[0].message
    assert _codes(reports["good.py"]) == ["FLH101"]


def test_file_deleted_after_discovery(tmp_path: Path) -> None:
    paths = _write(tmp_path, {"gone.py": GOOD.encode(), "good.py": GOOD.encode()})
    paths[0].unlink()
    reports = _by_name(check_paths(paths, SETTINGS))
    assert _codes(reports["gone.py"]) == ["FLH003"]
    assert "no such file" in reports["gone.py"].findings[0].message
    assert _codes(reports["good.py"]) == ["FLH101"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = _write(tmp_path, {"secret.py": GOOD.encode(), "good.py": GOOD.encode()})
    real_open = os.open

    def open_file(path: str | Path, flags: int, *args: int) -> int:
        # Root can read a chmod 000 file, so deny opening it here instead.
        if Path(path).name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", open_file)
    reports = _by_name(check_paths(paths, SETTINGS))
    assert _codes(reports["secret.py"]) == ["FLH003"]
    assert "permission denied" in reports["secret.py"].findings[0].message
    assert _codes(reports["good.py"]) == ["FLH101"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod 000 files anyway")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    (path,) = _write(tmp_path, {"secret.py": GOOD.encode()})
    path.chmod(0)
    (report,) = check_paths([path], SETTINGS)
    assert _codes(report) == ["FLH003"]


# -- end to end through the CLI ----------------------------------------------------------------


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "--no-cache", "--select", "FLH101", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _assert_clean_failure(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "good.py:8:" in result.stdout and "FLH101" in result.stdout


def _lines_about(output: str, name: str) -> list[str]:
    return [line for line in output.splitlines() if name in line and ("FLH00" in line)]


def test_cli_reports_every_bad_file_once_and_still_checks_the_rest(tmp_path: Path) -> None:
    files = {name: raw for name, (raw, _, _) in BAD_FILES.items()}
    _write(tmp_path, {"good.py": GOOD.encode(), **files})
    (tmp_path / "loop_a.py").symlink_to(tmp_path / "loop_b.py")
    (tmp_path / "loop_b.py").symlink_to(tmp_path / "loop_a.py")
    result = _cli(tmp_path, "--output-format", "concise", ".")
    _assert_clean_failure(result)
    for name, (_, code, _) in BAD_FILES.items():
        lines = _lines_about(result.stdout, name)
        assert len(lines) == 1 and code in lines[0], (name, result.stdout)
    assert len(_lines_about(result.stdout, "loop_a.py")) == 1


@pytest.mark.parametrize(
    "make_path",
    [
        lambda tmp: str(tmp / "missing.py"),
        lambda tmp: str(tmp / "good.py" / "inner.py"),
    ],
    ids=["missing", "file-as-directory"],
)
def test_cli_bad_paths(tmp_path: Path, make_path: Callable[[Path], str]) -> None:
    _write(tmp_path, {"good.py": GOOD.encode()})
    result = _cli(tmp_path, "--output-format", "concise", "good.py", make_path(tmp_path))
    _assert_clean_failure(result)


def test_cli_path_named_like_an_option(tmp_path: Path) -> None:
    _write(tmp_path, {"-x.py": GOOD.encode(), "good.py": GOOD.encode()})
    result = _cli(tmp_path, "--output-format", "concise", "--", "-x.py", "good.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "-x.py:8:" in result.stdout and "good.py:8:" in result.stdout


def test_cli_fix_leaves_bad_files_alone_and_fixes_the_rest(tmp_path: Path) -> None:
    files = {name: raw for name, (raw, _, _) in BAD_FILES.items()}
    _write(tmp_path, {"good.py": GOOD.encode(), **files})
    result = _cli(tmp_path, "--fix", "--unsafe-fixes", ".")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert 'return "", {' in (tmp_path / "good.py").read_text()
    for name, (raw, _, _) in BAD_FILES.items():
        assert (tmp_path / name).read_bytes() == raw, name
