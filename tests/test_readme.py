"""README.md stays true: the rule table, the quick start, the CI script."""

from __future__ import annotations

import re
from pathlib import Path

from flasklint_headers.docs import TABLE_END, TABLE_START, readme_table, rules_page

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_the_registry() -> None:
    start = README.index(TABLE_START) + len(TABLE_START)
    end = README.index(TABLE_END)
    assert README[start:end].strip() == readme_table().strip(), (
        "README rule table is stale: run `python -m flasklint_headers.docs --write-readme`"
    )


def test_rules_page_is_current() -> None:
    page = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_page(), (
        "docs/rules.md is stale: run `python -m flasklint_headers.docs --write-readme`"
    )


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.S)


def test_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_second_command_verbatim() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script
    assert quick_start_commands()[1] in script.splitlines()


def test_benchmark_markers_exist() -> None:
    assert "<!-- benchmark:start -->" in README
    assert "<!-- benchmark:end -->" in README
