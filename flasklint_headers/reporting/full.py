"""``--output-format full`` (default): each finding with its source lines, a caret
range under the reported code and the fix title, like Ruff's full output."""

from __future__ import annotations

from flasklint_headers.findings import Finding
from flasklint_headers.reporting.concise import finding_line
from flasklint_headers.reporting.result import RunResult

CONTEXT_LINES = 1


def _excerpt(finding: Finding, text: str) -> list[str]:
    lines = text.splitlines()
    row = finding.location.row
    if not lines or row < 1 or row > len(lines):
        return []
    first = max(1, row - CONTEXT_LINES)
    last = min(len(lines), row + CONTEXT_LINES)
    width = len(str(last))
    gutter = " " * width
    out = [f"{gutter} |"]
    for number in range(first, last + 1):
        source = lines[number - 1].expandtabs(4) if "\t" in lines[number - 1] else lines[number - 1]
        out.append(f"{number:>{width}} | {source}".rstrip())
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
    prefix = line[:start].expandtabs(4) if "\t" in line[:start] else line[:start]
    pad = "".join(" " if not ch.isspace() else ch for ch in prefix.replace("\t", "    "))
    return f"{pad}{'^' * (end - start)} {finding.code}"


def render_finding(finding: Finding, result: RunResult) -> str:
    parts = [finding_line(finding, result)]
    parts.extend(_excerpt(finding, result.texts.get(finding.filename, "")))
    if finding.fix is not None:
        note = "" if result.fix_applicable(finding) else " (unsafe: needs --unsafe-fixes)"
        parts.append(f"  = help: {finding.fix.message}{note}")
    return "\n".join(parts) + "\n"


def render(result: RunResult) -> str:
    return "\n".join(render_finding(f, result) for f in result.findings)
