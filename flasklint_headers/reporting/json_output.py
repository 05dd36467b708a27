"""``--output-format json``: a JSON array of findings (a stable shape for other tools).

Each finding: ``code``, ``name``, ``severity``, ``message``, ``filename``,
``location``/``end_location`` (``{row, column}``, 1-based), ``fix`` (null or
``{applicability, message, edits: [{content, location, end_location}]}``), ``url``.

The text is valid UTF-8 JSON whatever the repository holds: control characters
are JSON escapes, and a file name byte that is not UTF-8 is written as the four
characters ``\\xNN`` (``escaping.json_safe``), as the human formats show it.
"""

from __future__ import annotations

import json
from typing import Any

from flasklint_headers.findings import Finding, Position
from flasklint_headers.reporting.escaping import json_safe
from flasklint_headers.reporting.result import RunResult, rule_url


def _position(pos: Position) -> dict[str, int]:
    return {"row": pos.row, "column": pos.column}


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [
                {
                    "content": edit.content,
                    "location": _position(edit.start),
                    "end_location": _position(edit.end),
                }
                for edit in finding.fix.edits
            ],
        }
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "filename": finding.filename,
        "location": _position(finding.location),
        "end_location": _position(finding.end_location),
        "fix": fix,
        "url": rule_url(finding),
    }


def render(result: RunResult) -> str:
    return json.dumps(json_safe([finding_to_dict(f) for f in result.findings]), indent=2) + "\n"
