"""``--output-format github``: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from flasklint_headers.findings import Finding, Severity
from flasklint_headers.reporting.result import RunResult

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


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
