"""The fix engine: pass selection, fixed point, invalid results, encodings, atomic writes, diffs."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest
from samples import DICT_RETURNED_AS_HEADERS

import flasklint_headers.fixer as fixer
import flasklint_headers.writing as writing
from flasklint_headers.cli import unified_diff
from flasklint_headers.config import Settings
from flasklint_headers.findings import Applicability, Edit, Finding, Fix, Position, Severity
from flasklint_headers.fixer import (
    FixWriteError,
    apply_edits,
    fix_loaded,
    fix_report,
    select_fixes,
    write_fixed_file,
)
from flasklint_headers.runner import FileReport, LoadedFile, build_project, load_file

FLH101 = Settings(enabled=frozenset({"FLH101"}))

VIEW = DICT_RETURNED_AS_HEADERS
VIEW_FIXED = VIEW.replace('return {"X-Frame', 'return "", {"X-Frame')


def _fix(edits: list[Edit], unsafe: bool = False) -> Fix:
    return Fix("t", Applicability.UNSAFE if unsafe else Applicability.SAFE, tuple(edits))


def _edit(row: int, col: int, end_row: int, end_col: int, content: str) -> Edit:
    return Edit(Position(row, col), Position(end_row, end_col), content)


def _load(path: Path) -> tuple[LoadedFile, object]:
    loaded = load_file(path)
    assert not isinstance(loaded, FileReport), loaded.findings
    return loaded, build_project([loaded])


def _fix_bytes(tmp_path: Path, raw: bytes, unsafe: bool = True) -> bytes:
    path = tmp_path / "app.py"
    path.write_bytes(raw)
    loaded, project = _load(path)
    report = fix_report(loaded, project, FLH101, unsafe)  # type: ignore[arg-type]
    if report.fixed_text is None:
        return raw
    write_fixed_file(loaded.source, report.fixed_text)
    return path.read_bytes()


# -- choosing and applying edits -------------------------------------------------------------


def test_apply_edits_right_to_left_with_columns() -> None:
    text = "ab = 1\ncd = 2\n"
    fixes = [_fix([_edit(2, 1, 2, 3, "xyz")]), _fix([_edit(1, 6, 1, 7, "10")])]
    assert apply_edits(text, fixes) == ("ab = 10\nxyz = 2\n", 2)


def test_fixes_touching_one_line_wait_for_the_next_pass() -> None:
    first = _fix([_edit(2, 1, 2, 2, "A")])
    same_line = _fix([_edit(2, 3, 2, 4, "B")])
    deletes_line = _fix([_edit(2, 1, 3, 1, "")])
    other = _fix([_edit(4, 1, 4, 1, "# x\n")])
    chosen = select_fixes(
        [("FLH1", same_line), ("FLH2", deletes_line), ("FLH3", other), ("FLH0", first)]
    )
    # Ordered by position then code: FLH0 wins line 2; the others on line 2 wait.
    assert chosen == [first, other]


def test_selection_is_deterministic_by_position_then_code() -> None:
    a = _fix([_edit(2, 1, 2, 2, "A")])
    b = _fix([_edit(2, 1, 2, 2, "B")])
    assert select_fixes([("FLH9", b), ("FLH1", a)]) == [a]
    assert select_fixes([("FLH1", a), ("FLH9", b)]) == [a]


def test_identical_fixes_from_two_findings_apply_once() -> None:
    edit = _edit(1, 1, 1, 1, "x")
    assert apply_edits("y\n", [_fix([edit]), _fix([edit])]) == ("xy\n", 1)


def test_insertions_at_one_point_keep_their_order_within_a_fix() -> None:
    fix = _fix([_edit(1, 1, 1, 1, "a = 1\n"), _edit(1, 1, 1, 1, "b = 2\n")])
    assert apply_edits("c = 3\n", [fix]) == ("a = 1\nb = 2\nc = 3\n", 1)


def test_inserted_lines_follow_a_crlf_file() -> None:
    fix = _fix([_edit(2, 1, 2, 1, "x = 1\ny = 2\n")])
    assert apply_edits("a\r\nb\r\n", [fix], "\r\n") == ("a\r\nx = 1\r\ny = 2\r\nb\r\n", 1)


def test_positions_count_lone_cr_as_a_line_break_like_libcst() -> None:
    # Mixed endings: "\r" alone ends line 2, so row 3 is "c = 3".
    fix = _fix([_edit(3, 5, 3, 6, "4")])
    assert apply_edits("a = 1\r\nb = 2\rc = 3\n", [fix]) == ("a = 1\r\nb = 2\rc = 4\n", 1)


def test_declined_fixes_are_ignored() -> None:
    empty = _fix([_edit(1, 1, 1, 1, "")])
    assert fixer.changes_something(empty) is False
    assert select_fixes([("FLH1", empty)]) == []


# -- the fixed point -------------------------------------------------------------------------


def _finding(fix: Fix | None, row: int = 1, code: str = "FLH999") -> Finding:
    return Finding(
        code, "test", Severity.ERROR, "m", "app.py", Position(row, 1), Position(row, 2), fix
    )


def _fake_rules(monkeypatch: pytest.MonkeyPatch, propose) -> None:
    """Replace the rules with ``propose(text) -> list[Finding]``."""
    monkeypatch.setattr(
        fixer, "check_loaded", lambda loaded, _settings: propose(loaded.source.text)
    )


def test_real_rule_fix_and_idempotence(tmp_path: Path) -> None:
    assert _fix_bytes(tmp_path, VIEW.encode()) == VIEW_FIXED.encode()
    assert _fix_bytes(tmp_path, VIEW_FIXED.encode()) == VIEW_FIXED.encode()


def test_safe_only_leaves_unsafe_fixes(tmp_path: Path) -> None:
    assert _fix_bytes(tmp_path, VIEW.encode(), unsafe=False) == VIEW.encode()


def test_fixes_on_one_line_are_spread_over_passes(tmp_path: Path, monkeypatch) -> None:
    def propose(text: str) -> list[Finding]:
        # Two findings on line 1 until both tokens are gone.
        findings = []
        line = text.splitlines()[0]
        for token in ("aa", "bb"):
            col = line.find(token)
            if col >= 0:
                findings.append(_finding(_fix([_edit(1, col + 1, 1, col + 3, token.upper())])))
        return findings

    path = tmp_path / "app.py"
    path.write_text("x = aa + bb\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert (outcome.text, outcome.applied, outcome.converged) == ("x = AA + BB\n", 2, True)


def test_a_fix_that_breaks_parsing_is_dropped_and_reported(tmp_path: Path, monkeypatch) -> None:
    def propose(text: str) -> list[Finding]:
        findings = []
        if "good" in text:
            row = text.splitlines().index("good = 1") + 1
            findings.append(_finding(_fix([_edit(row, 1, row, 5, "fine")]), row))
        if "bad = 2" in text:
            row = text.splitlines().index("bad = 2") + 1
            findings.append(_finding(_fix([_edit(row, 1, row, 8, "bad = (")]), row))
        return findings

    path = tmp_path / "app.py"
    path.write_text("good = 1\nbad = 2\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.text == "fine = 1\nbad = 2\n"
    assert any("dropped fix" in note and "line 2" in note for note in outcome.notes)


def test_a_result_cpython_rejects_is_dropped(tmp_path: Path, monkeypatch) -> None:
    # libcst parses `f(a=1, a=1)`; CPython refuses to compile it.
    def propose(text: str) -> list[Finding]:
        fix = _fix([_edit(1, 3, 1, 6, "a=1, a=1")])
        return [_finding(fix)] if text.startswith("f(a=1)") else []

    path = tmp_path / "app.py"
    path.write_text("f(a=1)\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.text == "f(a=1)\n"
    assert any("does not compile" in note for note in outcome.notes)


def test_non_converging_fixes_stop_after_the_cap(tmp_path: Path, monkeypatch) -> None:
    def propose(text: str) -> list[Finding]:
        return [_finding(_fix([_edit(1, 1, 1, 1, "# again\n")]))]

    path = tmp_path / "app.py"
    path.write_text("x = 1\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.converged is False
    assert (outcome.text, outcome.applied) == ("x = 1\n", 0)  # not ten copies of the edit
    assert any("did not converge" in note for note in outcome.notes)
    report = fix_report(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert any("did not converge" in note for note in report.notes)


def test_a_crash_while_relinting_keeps_the_last_good_text(tmp_path: Path, monkeypatch) -> None:
    calls = []

    def propose(text: str) -> list[Finding]:
        calls.append(text)
        if len(calls) > 2:
            raise RuntimeError("boom")
        return [_finding(_fix([_edit(1, 1, 1, 1, "# n\n")]))]

    path = tmp_path / "app.py"
    path.write_text("x = 1\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.text == "# n\nx = 1\n"
    assert any("boom" in note for note in outcome.notes)


def test_a_crash_while_modelling_keeps_the_last_good_text(tmp_path: Path, monkeypatch) -> None:
    from flasklint_headers.model import file_model

    def propose(text: str) -> list[Finding]:
        return [_finding(_fix([_edit(1, 1, 1, 1, "# boom\n")]))] if "boom" not in text else []

    original_init = file_model.FileModel.__init__

    def init(self, module, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "boom" in module.code:
            raise RuntimeError("model failed")
        original_init(self, module, *args, **kwargs)

    path = tmp_path / "app.py"
    path.write_text("x = 1\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    monkeypatch.setattr(file_model.FileModel, "__init__", init)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert (outcome.text, outcome.applied) == ("x = 1\n", 0)
    assert any("model failed" in note for note in outcome.notes)


def test_unencodable_fix_is_dropped(tmp_path: Path, monkeypatch) -> None:
    def propose(text: str) -> list[Finding]:
        return [_finding(_fix([_edit(2, 6, 2, 7, '"\u20ac"')]))] if "1" in text else []

    path = tmp_path / "app.py"
    path.write_bytes(b"# coding: latin-1\nx = 1\n")
    loaded, project = _load(path)
    _fake_rules(monkeypatch, propose)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.text == "# coding: latin-1\nx = 1\n"
    assert any("latin" in note or "8859" in note for note in outcome.notes)


def test_form_feed_files_are_not_fixed(tmp_path: Path) -> None:
    raw = VIEW.replace("@app.route", "\x0c@app.route").encode()
    path = tmp_path / "app.py"
    path.write_bytes(raw)
    loaded, project = _load(path)
    outcome = fix_loaded(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert outcome.text == raw.decode()
    assert outcome.notes and outcome.findings


def test_fix_report_without_changes_has_no_fixed_text(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text(VIEW_FIXED)
    loaded, project = _load(path)
    report = fix_report(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert report.fixed_text is None and report.fixes_applied == 0


# -- bytes outside the edits -----------------------------------------------------------------


def _expected(raw: bytes, old: bytes, new: bytes) -> bytes:
    assert raw.count(old) == 1
    return raw.replace(old, new)


OLD = b'return {"X-Frame-Options": "DENY"}'
NEW = b'return "", {"X-Frame-Options": "DENY"}'


@pytest.mark.parametrize(
    "raw",
    [
        VIEW.replace("\n", "\r\n").encode(),
        codecs.BOM_UTF8 + VIEW.encode(),
        codecs.BOM_UTF8 + VIEW.replace("\n", "\r\n").encode(),
        ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + VIEW).encode("latin-1"),
        ("# coding: cp1252\n# \u20ac\n" + VIEW).encode("cp1252"),
        VIEW.replace("\n", "\r").encode(),
        VIEW.replace("\n", "\r\n", 3)
        .replace("app = Flask(__name__)\r\n", "app = Flask(__name__)\r")
        .encode(),
        VIEW.replace("    ", "\t").encode(),
        VIEW.encode()[:-1],  # no newline at the end
    ],
    ids=["crlf", "bom", "bom-crlf", "latin-1", "cp1252", "cr-only", "mixed", "tabs", "no-eol"],
)
def test_only_edited_bytes_change(tmp_path: Path, raw: bytes) -> None:
    old = OLD.replace(b"    ", b"\t") if b"\t" in raw else OLD
    new = NEW.replace(b"    ", b"\t") if b"\t" in raw else NEW
    fixed = _fix_bytes(tmp_path, raw)
    assert fixed == _expected(raw, old, new)
    assert _fix_bytes(tmp_path, fixed) == fixed


# -- writing ---------------------------------------------------------------------------------


def _loaded_with_fix(tmp_path: Path, name: str = "app.py") -> tuple[LoadedFile, str]:
    path = tmp_path / name
    path.write_text(VIEW)
    loaded, project = _load(path)
    report = fix_report(loaded, project, FLH101, True)  # type: ignore[arg-type]
    assert report.fixed_text is not None
    return loaded, report.fixed_text


def test_write_keeps_permissions_and_leaves_no_temp_file(tmp_path: Path) -> None:
    loaded, text = _loaded_with_fix(tmp_path)
    os.chmod(loaded.path, 0o751)
    write_fixed_file(loaded.source, text)
    assert loaded.path.read_text() == VIEW_FIXED
    assert stat.S_IMODE(os.stat(loaded.path).st_mode) == 0o751
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]


def test_write_follows_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    loaded, text = _loaded_with_fix(real)
    link = tmp_path / "link.py"
    link.symlink_to(loaded.path)
    source = load_file(link)
    assert not isinstance(source, FileReport)
    write_fixed_file(source.source, text)
    assert link.is_symlink() and loaded.path.read_text() == VIEW_FIXED


def test_write_refuses_a_file_changed_on_disk(tmp_path: Path) -> None:
    loaded, text = _loaded_with_fix(tmp_path)
    loaded.path.write_text(VIEW + "# edited meanwhile\n")
    with pytest.raises(FixWriteError, match="changed on disk"):
        write_fixed_file(loaded.source, text)
    assert loaded.path.read_text().endswith("# edited meanwhile\n")


def test_write_refuses_a_deleted_file(tmp_path: Path) -> None:
    loaded, text = _loaded_with_fix(tmp_path)
    loaded.path.unlink()
    with pytest.raises(FixWriteError, match="deleted"):
        write_fixed_file(loaded.source, text)
    assert not loaded.path.exists()


def test_a_failed_write_keeps_the_original(tmp_path: Path, monkeypatch) -> None:
    loaded, text = _loaded_with_fix(tmp_path)

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(writing.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_fixed_file(loaded.source, text)
    assert loaded.path.read_text() == VIEW
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]


# -- diff ------------------------------------------------------------------------------------


def test_unified_diff() -> None:
    diff = unified_diff("pkg/app.py", VIEW, VIEW_FIXED)
    assert diff.startswith("--- a/pkg/app.py\n+++ b/pkg/app.py\n@@ ")
    assert '\n-    return {"X-Frame-Options": "DENY"}\n' in diff
    assert '\n+    return "", {"X-Frame-Options": "DENY"}\n' in diff
    assert unified_diff("a.py", VIEW, VIEW) == ""


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = unified_diff("a.py", "x = 1", "x = 2")
    assert diff.endswith(
        "-x = 1\n\\ No newline at end of file\n+x = 2\n\\ No newline at end of file\n"
    )


def test_a_failed_in_place_write_puts_the_original_back(tmp_path: Path, monkeypatch) -> None:
    loaded, text = _loaded_with_fix(tmp_path)
    os.link(loaded.path, tmp_path / "other.py")  # two names: rewritten in place
    real_write = os.write
    calls = []

    def fail_the_rewrite(fd: int, data) -> int:
        calls.append(fd)
        if len(calls) == 2:  # the first write is the copy, the second the rewrite
            raise OSError("disk full")
        return real_write(fd, data)

    monkeypatch.setattr(writing.os, "write", fail_the_rewrite)
    with pytest.raises(OSError, match="disk full"):
        write_fixed_file(loaded.source, text)
    assert loaded.path.read_text() == VIEW == (tmp_path / "other.py").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py", "other.py"]
