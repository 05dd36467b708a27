"""``--statistics``: findings counted per rule (text table or JSON)."""

from __future__ import annotations

import json
from collections import Counter

from flasklint_headers.reporting.result import RunResult


def rows(result: RunResult) -> list[dict[str, object]]:
    counts: Counter[str] = Counter(f.code for f in result.findings)
    names = {f.code: f.name for f in result.findings}
    fixable = {f.code for f in result.findings if result.fix_applicable(f)}
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [
        {"code": code, "name": names[code], "count": count, "fixable": code in fixable}
        for code, count in ordered
    ]


def render(result: RunResult, fmt: str) -> str:
    table = rows(result)
    if fmt == "json":
        return json.dumps(table, indent=2) + "\n"
    if not table:
        return ""
    width = max(len(str(row["count"])) for row in table)
    return "".join(
        f"{row['count']:>{width}}\t{row['code']}\t{'[*] ' if row['fixable'] else '    '}"
        f"{row['name']}\n"
        for row in table
    )
