"""Shared machinery for the annotated fixtures in ``fixtures/``.

A line that must be reported ends with ``# expect: FLH101`` (several codes
comma-separated, a code repeated once per expected finding).  Every finding
must be annotated and every annotation must be found.

Fixtures under ``fixtures/<CODE>/`` run with only that rule selected (plus
FLH002); a first-line directive ``# fixture: select=ALL`` (or a list of
selectors) overrides that.  Directories under ``fixtures/projects/`` are
multi-file projects linted as a whole, with every rule enabled.

Golden files beside a fixture: ``name.fixed.py`` (after ``--fix``) and
``name.unsafe.fixed.py`` (after ``--fix --unsafe-fixes``).  A missing golden
file means the fix must change nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from flasklint_headers.config import Settings, expand_selectors
from flasklint_headers.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*(?P<codes>[A-Z]+\d+(?:\s*,\s*[A-Z]+\d+)*)\s*$")
SELECT_RE = re.compile(r"#\s*fixture:\s*select=(?P<sel>[\w,\s-]+)")


def is_golden(path: Path) -> bool:
    return path.name.endswith(".fixed.py")


def rule_fixture_files() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.glob("*/*.py")
        if not is_golden(p)
        and not p.name.startswith(".")
        and p.parent.name != "projects"
        and not p.parent.name.startswith("_")
    )


def project_dirs() -> list[Path]:
    base = FIXTURES / "projects"
    return sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []


def expected_codes(text: str) -> Counter[tuple[int, str]]:
    expected: Counter[tuple[int, str]] = Counter()
    for row, line in enumerate(text.splitlines(), start=1):
        match = EXPECT_RE.search(line)
        if match:
            for code in match.group("codes").split(","):
                expected[(row, code.strip())] += 1
    return expected


def settings_for(path: Path, text: str) -> Settings:
    first = text.splitlines()[0] if text else ""
    match = SELECT_RE.search(first)
    if match:
        selectors = [s.strip() for s in match.group("sel").split(",")]
    elif path.parent.name.startswith("FLH"):
        selectors = [path.parent.name, "FLH002"]
    else:
        selectors = ["ALL"]
    return Settings(enabled=frozenset(expand_selectors(selectors, str(path))))


def actual_codes(findings: list[Finding]) -> Counter[tuple[int, str]]:
    return Counter((f.location.row, f.code) for f in findings)


def describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"  {f.location.row}:{f.location.column} {f.code} {f.message}" for f in findings
    )
