"""``--output-format github``: GitHub Actions workflow commands (annotations).

Values come from the checked repository.  CR and LF get GitHub's own
workflow-command escaping (``%0D``/``%0A``, with ``%`` as ``%25``; ``:`` and
``,`` too in properties), which the runner decodes, so a raw newline can never
start a workflow command of its own and a file name still names its file.
Every other control character (the log viewer renders ESC sequences), bidi
control and undecodable byte is escaped as in the human formats
(``reporting.escaping``), since GitHub's escaping has no form for them.
"""

from __future__ import annotations

from flasklint_headers.findings import Finding, Severity
from flasklint_headers.reporting.escaping import escape
from flasklint_headers.reporting.result import RunResult

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return escape(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def finding_line(finding: Finding) -> str:
    props = ",".join(
        [
            f"file={_escape_property(finding.filename)}",
            f"line={finding.location.row}",
            f"col={finding.location.column}",
            f"endLine={finding.end_location.row}",
            f"endColumn={finding.end_location.column}",
            f"title={_escape_property(f'flasklint-headers ({finding.code})')}",
        ]
    )
    return f"::{LEVELS[finding.severity]} {props}::{_escape_data(finding.message)}"


def render(result: RunResult) -> str:
    return "".join(finding_line(f) + "\n" for f in result.findings)
