"""``--output-format full`` (default): each finding with its source lines, a caret
range under the reported code and the fix title, like Ruff's full output.

Quoted source lines are escaped like file names and messages
(``reporting.escaping``; tabs are expanded instead), and the carets are laid
out under the escaped text.  Lines are split where Python splits them (LF,
CRLF, CR), not at form feeds or U+2028 as ``str.splitlines`` would: the row
numbers of findings count Python's lines.
"""

from __future__ import annotations

import re

from flasklint_headers.findings import Finding
from flasklint_headers.reporting.concise import finding_line
from flasklint_headers.reporting.escaping import escape
from flasklint_headers.reporting.result import RunResult

CONTEXT_LINES = 1
TAB_WIDTH = 4
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def source_lines(text: str) -> list[str]:
    """``text`` split into Python's physical lines, without their line breaks."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def _shown(source: str) -> str:
    """How a piece of a source line is printed: escaped, tabs expanded."""
    return escape(source, keep="\t").expandtabs(TAB_WIDTH)


def _excerpt(finding: Finding, text: str) -> list[str]:
    lines = source_lines(text)
    row = finding.location.row
    if not lines or row < 1 or row > len(lines):
        return []
    first = max(1, row - CONTEXT_LINES)
    last = min(len(lines), row + CONTEXT_LINES)
    width = len(str(last))
    gutter = " " * width
    out = [f"{gutter} |"]
    for number in range(first, last + 1):
        out.append(f"{number:>{width}} | {_shown(lines[number - 1])}".rstrip())
        if number == row:
            out.append(f"{gutter} | {_carets(finding, lines[row - 1])}")
    out.append(f"{gutter} |")
    return out


def _carets(finding: Finding, line: str) -> str:
    start = finding.location.column - 1
    if finding.end_location.row == finding.location.row:
        end = finding.end_location.column - 1
    else:
        end = len(line.rstrip())
    end = max(end, start + 1)
    pad = " " * len(_shown(line[:start]))
    # Each escaped character widens the range; a tab counts as one, as it always has.
    width = max(len(escape(line[start:end], keep="\t")), end - start)
    return f"{pad}{'^' * width} {finding.code}"


def render_finding(finding: Finding, result: RunResult) -> str:
    parts = [finding_line(finding, result)]
    parts.extend(_excerpt(finding, result.texts.get(finding.filename, "")))
    if finding.fix is not None:
        note = "" if result.fix_applicable(finding) else " (unsafe: needs --unsafe-fixes)"
        parts.append(escape(f"  = help: {finding.fix.message}{note}"))
    return "\n".join(parts) + "\n"


def render(result: RunResult) -> str:
    return "\n".join(render_finding(f, result) for f in result.findings)
