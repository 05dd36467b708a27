"""Text renderers and the summary lines, on hand-made findings."""

from __future__ import annotations

from collections import Counter

from flasklint_headers.findings import Applicability, Edit, Finding, Fix, Position, Severity
from flasklint_headers.reporting import render
from flasklint_headers.reporting.github import finding_line as github_line
from flasklint_headers.reporting.result import RunResult, fixed_lines, summary_lines

TEXT = "def index():\n    x = 1\n    return {'X-A': '1'}\n"


def finding(
    code: str = "FLH101",
    row: int = 3,
    col: int = 12,
    end: tuple[int, int] = (3, 24),
    fix: Applicability | None = None,
    severity: Severity = Severity.WARNING,
    message: str = "looks like headers",
) -> Finding:
    return Finding(
        code=code,
        name="dict-returned-as-headers",
        severity=severity,
        message=message,
        filename="app.py",
        location=Position(row, col),
        end_location=Position(*end),
        fix=None
        if fix is None
        else Fix("Do it", fix, (Edit(Position(row, col), Position(*end), "x"),)),
    )


def test_full_shows_context_carets_and_help() -> None:
    result = RunResult([finding(fix=Applicability.SAFE)], texts={"app.py": TEXT})
    assert render(result, "full") == (
        "app.py:3:12: FLH101 [*] looks like headers\n"
        "  |\n"
        "2 |     x = 1\n"
        "3 |     return {'X-A': '1'}\n"
        "  |            ^^^^^^^^^^^^ FLH101\n"
        "  |\n"
        "  = help: Do it\n"
    )


def test_full_multiline_span_underlines_to_the_end_of_the_first_line() -> None:
    text = "x = {\n    'a': 1,\n}\n"
    result = RunResult([finding(row=1, col=5, end=(3, 2))], texts={"app.py": text})
    assert "1 | x = {\n  |     ^ FLH101\n" in render(result, "full")


def test_full_unsafe_fix_says_how_to_enable_it() -> None:
    result = RunResult([finding(fix=Applicability.UNSAFE)], texts={"app.py": TEXT})
    assert "  = help: Do it (unsafe: needs --unsafe-fixes)\n" in render(result, "full")


def test_full_without_source_text_prints_the_header_line_only() -> None:
    result = RunResult([finding()])
    assert render(result, "full") == "app.py:3:12: FLH101 looks like headers\n"


def test_concise() -> None:
    result = RunResult([finding(fix=Applicability.UNSAFE)], unsafe_fixes=True)
    assert render(result, "concise") == "app.py:3:12: FLH101 [*] looks like headers\n"


def test_github_levels_and_escaping() -> None:
    info = finding(severity=Severity.INFO, message="50% of\nheaders")
    assert github_line(info) == (
        "::notice file=app.py,line=3,col=12,endLine=3,endColumn=24,"
        "title=flasklint-headers (FLH101)::50%25 of%0Aheaders"
    )
    assert github_line(finding(severity=Severity.ERROR)).startswith("::error ")


def test_summary_lines() -> None:
    assert summary_lines(RunResult([])) == ["All checks passed!"]
    mixed = RunResult(
        [finding(fix=Applicability.SAFE), finding(fix=Applicability.UNSAFE), finding()]
    )
    assert summary_lines(mixed) == [
        "Found 3 findings.",
        "[*] 1 fixable with --fix.",
        "1 unsafe fix available with --unsafe-fixes.",
    ]
    after_fix = RunResult([finding()], fixed=2, fixing=True)
    assert summary_lines(after_fix) == ["Found 3 findings (2 fixed, 1 remaining)."]
    all_fixed = RunResult([], fixed=1, fixing=True)
    assert summary_lines(all_fixed) == ["Found 1 finding (1 fixed, 0 remaining)."]


def test_fixed_lines() -> None:
    result = RunResult(
        [], fixed_by_code={"b.py": Counter({"FLH002": 2}), "a.py": Counter({"FLH101": 1})}
    )
    assert fixed_lines(result) == [
        "Fixed 3 findings:",
        "- a.py:",
        "    1 x FLH101 (dict-returned-as-headers)",
        "- b.py:",
        "    2 x FLH002 (unused-suppression)",
    ]
