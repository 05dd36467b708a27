"""``--output-format sarif``: SARIF 2.1.0 for code-scanning services.

Results point at files relative to ``%SRCROOT%`` (the current directory) and
carry ``partialFingerprints`` built from the rule, the file, the whitespace-
normalised source line and the occurrence index of that triple, so a finding
keeps its fingerprint when lines are added or removed above it.

Artifact URIs percent-encode the file name's bytes as the file system holds
them (RFC 3986: a space is ``%20``, a name byte that is not UTF-8 ``%E9``), so
every name, hostile or not, gives a valid URI that names exactly that file;
other strings go through ``escaping.json_safe`` (valid UTF-8 JSON).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from flasklint_headers import __version__
from flasklint_headers.findings import Finding, Position, Severity
from flasklint_headers.reporting.escaping import json_safe, raw_bytes
from flasklint_headers.reporting.result import RunResult, rule_url

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/flasklint/flasklint-headers"
FINGERPRINT_KEY = "flasklintHeaders/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
BASE_ID = "%SRCROOT%"


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    docs = rule.docs()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.message},
        "fullDescription": {"text": rule.summary()},
        "help": {"text": docs or rule.message, "markdown": docs or rule.message},
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": [rule.code[:4], rule.name],
            "fix": rule.fix_availability,
        },
    }


def _artifact(filename: str) -> dict[str, str]:
    """A relative URI against %SRCROOT% when the file is under the cwd, else a file URI."""
    path = Path(filename)
    if path.is_absolute():
        try:
            relative = path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return {"uri": path.resolve().as_uri()}
        return {"uri": _uri_path(relative.as_posix()), "uriBaseId": BASE_ID}
    return {"uri": _uri_path(Path(os.path.normpath(filename)).as_posix()), "uriBaseId": BASE_ID}


def _uri_path(posix_path: str) -> str:
    """A relative path as a URI reference: its raw bytes, percent-encoded."""
    return quote(raw_bytes(posix_path), safe="/")


def _region(start: Position, end: Position) -> dict[str, int]:
    region = {"startLine": start.row, "startColumn": start.column}
    if (end.row, end.column) >= (start.row, start.column):
        region["endLine"] = end.row
        region["endColumn"] = end.column
    return region


def _normalised(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def fingerprint(finding: Finding, occurrence: int, line: str) -> str:
    key = "\0".join(
        [finding.code, Path(finding.filename).as_posix(), _normalised(line), str(occurrence)]
    )
    # surrogatepass: a name that is not UTF-8 still hashes (to the same digest as before
    # for every name that is).
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _source_line(finding: Finding, result: RunResult) -> str:
    if finding.source_line:
        return finding.source_line
    lines = result.texts.get(finding.filename, "").splitlines()
    row = finding.location.row
    return lines[row - 1] if 0 < row <= len(lines) else ""


def _fixes(finding: Finding) -> list[dict[str, Any]]:
    if finding.fix is None:
        return []
    replacements = [
        {
            "deletedRegion": _region(edit.start, edit.end),
            "insertedContent": {"text": edit.content},
        }
        for edit in finding.fix.edits
    ]
    return [
        {
            "description": {
                "text": f"{finding.fix.message} ({finding.fix.applicability.value} fix)"
            },
            "artifactChanges": [
                {"artifactLocation": _artifact(finding.filename), "replacements": replacements}
            ],
        }
    ]


def build_log(result: RunResult) -> dict[str, Any]:
    from flasklint_headers.rules import all_rules

    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    seen: Counter[tuple[str, str, str]] = Counter()
    results = []
    for finding in result.findings:
        line = _source_line(finding, result)
        key = (finding.code, finding.filename, _normalised(line))
        occurrence = seen[key]
        seen[key] += 1
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _artifact(finding.filename),
                        "region": _region(finding.location, finding.end_location),
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding, occurrence, line)},
        }
        if finding.code in index:
            entry["ruleIndex"] = index[finding.code]
        fixes = _fixes(finding)
        if fixes:
            entry["fixes"] = fixes
        url = rule_url(finding)
        if url:
            entry["properties"] = {"url": url}
        results.append(entry)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "flasklint-headers",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {BASE_ID: {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(result: RunResult) -> str:
    return json.dumps(json_safe(build_log(result)), indent=2) + "\n"
