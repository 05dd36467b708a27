"""The group fixer gives what the per-file fixer gave, on every fixture and model project.

``fix_expectations.json`` was recorded (``tests/fix_runs.py``) from the fixer that
fixed one file to a fixed point before the next; the runs here go through the
pass-based group driver (``fixer.fix_files``).  Rewritten texts, findings left
and exit codes must be the same, with one recorded exception: in
``fixtures/projects/insecure_factory`` (unsafe fixes) the per-file driver
checked ``__init__.py`` before the FLH316 fix in ``views.py`` made its
blueprint hook app-wide, and so reported FLH302 and FLH304 on ``__init__.py``
that the fixed project no longer has; the expectation holds the correct
findings (``test_findings_left_are_those_of_the_fixed_project``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fix_runs import EXPECTATIONS, cases, plain_findings, run_case

EXPECTED = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
CASES = cases()
KEYS = [f"{name} {mode}" for name in CASES for mode in ("safe", "unsafe")]


def test_every_case_was_recorded() -> None:
    assert sorted(KEYS) == sorted(EXPECTED)


@pytest.mark.parametrize("key", KEYS)
def test_fix_run_matches_the_per_file_driver(key: str, tmp_path: Path) -> None:
    name, mode = key.rsplit(" ", 1)
    sources, selectors = CASES[name]
    assert run_case(sources, selectors, mode == "unsafe", tmp_path) == EXPECTED[key]


@pytest.mark.parametrize("key", [k for k in KEYS if EXPECTED[k]["rewritten"]])
def test_findings_left_are_those_of_the_fixed_project(key: str, tmp_path: Path) -> None:
    # A fix in one file can answer a finding reported in another (a hook made
    # app-wide): what --fix reports must be what a check of the result reports.
    name, mode = key.rsplit(" ", 1)
    sources, selectors = CASES[name]
    left = run_case(sources, selectors, mode == "unsafe", tmp_path)["findings"]
    assert left == plain_findings(tmp_path / "tree", selectors)
