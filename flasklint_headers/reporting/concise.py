"""``--output-format concise``: one line per finding, like Ruff's concise output.

File names and messages come from the checked repository: they are escaped
(``reporting.escaping``) so that no control character reaches the terminal.
"""

from __future__ import annotations

from flasklint_headers.findings import Finding
from flasklint_headers.reporting.escaping import escape
from flasklint_headers.reporting.result import RunResult


def finding_line(finding: Finding, result: RunResult) -> str:
    marker = " [*]" if result.fix_applicable(finding) else ""
    where = f"{finding.filename}:{finding.location.row}:{finding.location.column}"
    return escape(f"{where}: {finding.code}{marker} {finding.message}")


def render(result: RunResult) -> str:
    return "".join(finding_line(f, result) + "\n" for f in result.findings)
