"""Inline suppressions: noqa, own-line ignore, file level, and FLH002 with its fix."""

from __future__ import annotations

import textwrap

from flasklint_headers.config import Settings, expand_selectors
from flasklint_headers.fixer import apply_edits
from flasklint_headers.runner import lint_text
from flasklint_headers.suppressions import build_index

HEADER = """\
from flask import Flask, make_response

app = Flask(__name__)
"""


def settings(*selectors: str) -> Settings:
    return Settings(enabled=frozenset(expand_selectors(selectors, "test")))


def lint(body: str, *selectors: str) -> list[tuple[int, str]]:
    text = HEADER + textwrap.dedent(body)
    findings = lint_text(text, settings(*selectors), "app.py")
    return [(f.location.row, f.code) for f in findings]


def dict_view(comment: str = "") -> str:
    return f"""
@app.route("/")
def index():
    return {{"X-Custom-Header": "value"}}{comment}
"""


def test_unsuppressed_finding_is_reported() -> None:
    assert lint(dict_view(), "FLH101", "FLH002") == [(7, "FLH101")]


def test_noqa_with_code_suppresses_that_code() -> None:
    assert lint(dict_view("  # noqa: FLH101"), "FLH101", "FLH002") == []


def test_noqa_is_case_insensitive_and_spacing_tolerant() -> None:
    assert lint(dict_view("  #NOQA:flh101"), "FLH101", "FLH002") == []


def test_bare_noqa_suppresses_everything_and_is_never_unused() -> None:
    assert lint(dict_view("  # noqa"), "FLH101", "FLH002") == []
    assert lint("x = 1  # noqa\n", "FLH101", "FLH002") == []


def test_noqa_for_another_code_does_not_suppress() -> None:
    found = lint(dict_view("  # noqa: FLH104"), "FLH101", "FLH104", "FLH002")
    assert sorted(found) == [(7, "FLH002"), (7, "FLH101")]


def test_other_tools_codes_are_ignored() -> None:
    assert lint(dict_view("  # noqa: E501"), "FLH101", "FLH002") == [(7, "FLH101")]


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    body = """
@app.route("/")
def index():
    return {"X-Custom-Header": "# noqa: FLH101"}
"""
    assert lint(body, "FLH101", "FLH002") == [(7, "FLH101")]


def test_own_line_ignore_covers_a_multiline_statement() -> None:
    body = """
@app.route("/")
def index():
    # flasklint: ignore[FLH101]  # the proxy reads this body
    return {
        "X-Custom-Header": "value",
    }
"""
    assert lint(body, "FLH101", "FLH002") == []


def test_own_line_ignore_covers_only_the_next_statement() -> None:
    body = """
@app.route("/a")
def a():
    # flasklint: ignore[FLH101]
    return {"X-Custom-Header": "value"}


@app.route("/b")
def b():
    return {"X-Custom-Header": "value"}
"""
    assert lint(body, "FLH101", "FLH002") == [(13, "FLH101")]


def test_trailing_flasklint_ignore_works_like_noqa() -> None:
    assert lint(dict_view("  # flasklint: ignore[FLH101]"), "FLH101", "FLH002") == []


def test_file_level_noqa_silences_the_file() -> None:
    text = "# flasklint: noqa\n" + dict_view()
    assert lint(text, "FLH101", "FLH002") == []


def test_file_level_noqa_with_codes_silences_only_those() -> None:
    assert lint("# flasklint: noqa: FLH101\n" + dict_view(), "FLH101", "FLH002") == []
    assert lint("# flasklint: noqa: FLH104\n" + dict_view(), "FLH101", "FLH002") == [(8, "FLH101")]


def test_file_level_noqa_must_be_on_its_own_line() -> None:
    assert lint("x = 1  # flasklint: noqa\n" + dict_view(), "FLH101") == [(8, "FLH101")]


def test_unused_code_of_a_disabled_rule_is_not_reported() -> None:
    # FLH104 might be enabled in another configuration: leave it alone.
    assert lint("x = 1  # noqa: FLH104\n", "FLH101", "FLH002") == []


def test_unknown_code_is_reported() -> None:
    text = HEADER + "x = 1  # noqa: FLH999\n"
    findings = lint_text(text, settings("FLH101", "FLH002"), "app.py")
    assert [(f.code, f.message) for f in findings] == [
        ("FLH002", "Suppression names unknown rule code FLH999")
    ]


def test_syntax_error_is_never_suppressed() -> None:
    findings = lint_text("def f(:  # noqa\n", settings("ALL"), "bad.py")
    assert [f.code for f in findings] == ["FLH001"]


def test_comments_after_a_tokenize_error_do_not_crash() -> None:
    index = build_index('x = """unterminated\n# noqa: FLH101\n')
    assert index.suppressions == []


def fixed(text: str, *selectors: str) -> str:
    findings = lint_text(text, settings(*selectors), "app.py")
    fixes = [f.fix for f in findings if f.code == "FLH002" and f.fix is not None]
    return apply_edits(text, fixes)[0]


def test_fix_removes_a_whole_trailing_noqa() -> None:
    text = HEADER + "x = 1  # noqa: FLH101\n"
    assert fixed(text, "FLH101", "FLH002") == HEADER + "x = 1\n"


def test_fix_keeps_the_used_codes() -> None:
    text = HEADER + dict_view("  # noqa: FLH104,FLH101")
    expected = HEADER + dict_view("  # noqa: FLH101")
    assert fixed(text, "FLH101", "FLH104", "FLH002") == expected


def test_fix_keeps_a_reason_after_the_directive() -> None:
    text = HEADER + "x = 1  # noqa: FLH101  # was noisy\n"
    assert fixed(text, "FLH101", "FLH002") == HEADER + "x = 1  # was noisy\n"


def test_fix_keeps_comment_text_before_the_directive() -> None:
    text = HEADER + "x = 1  # type: ignore  # noqa: FLH101\n"
    assert fixed(text, "FLH101", "FLH002") == HEADER + "x = 1  # type: ignore\n"


def test_fix_deletes_an_own_line_ignore_line() -> None:
    text = HEADER + "# flasklint: ignore[FLH101]  # because\nx = 1\n"
    assert fixed(text, "FLH101", "FLH002") == HEADER + "x = 1\n"


def test_fix_narrows_an_own_line_ignore() -> None:
    body = """
@app.route("/")
def index():
    # flasklint: ignore[FLH101, FLH104]
    return {"X-Custom-Header": "value"}
"""
    expected = body.replace("FLH101, FLH104", "FLH101")
    assert fixed(HEADER + body, "FLH101", "FLH104", "FLH002") == HEADER + expected


def test_a_form_feed_does_not_shift_rows_of_unused_suppressions() -> None:
    # str.splitlines() ends a line at a form feed; Python and libcst do not.
    text = "# page one\x0c page two\nx = 1  # noqa: FLH101\ny = 2\n"
    (finding,) = [f for f in lint_text(text) if f.code == "FLH002"]
    assert finding.location.row == 2
    assert finding.source_line == "x = 1  # noqa: FLH101"
    assert finding.fix is not None
    assert apply_edits(text, [finding.fix])[0] == "# page one\x0c page two\nx = 1\ny = 2\n"
