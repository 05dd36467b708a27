"""``--fix`` runs of every fixture and model project, summarised for comparison.

``test_fix_equivalence.py`` compares today's runs with ``fix_expectations.json``,
recorded from the per-file fixer that fixed one file to a fixed point before
the next (before the group driver of issue #16, item 10).  Each case runs the
real CLI (in process) on a private copy: every rule fixture alone under its
own file name with its fixture's rules, every multi-file project whole with
every rule; safe fixes, then unsafe fixes too.  The summary is what a user
sees: the text of each rewritten file, the findings left, the exit code.

Re-record (only for an intended change of results) with
``python tests/fix_runs.py`` and review the diff of the JSON file.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fixture_support import FIXTURES, ROOT, project_dirs, rule_fixture_files, settings_for

from flasklint_headers.cli import main

EXPECTATIONS = Path(__file__).resolve().parent / "fix_expectations.json"
MODEL_PROJECTS = Path(__file__).resolve().parent / "model_projects"


def cases() -> dict[str, tuple[list[Path], list[str]]]:
    """Case name -> (files or directories to copy, rule selectors)."""
    found: dict[str, tuple[list[Path], list[str]]] = {}
    for path in rule_fixture_files():
        codes = sorted(settings_for(path, path.read_text(encoding="utf-8")).enabled)
        found[path.relative_to(FIXTURES).as_posix()] = ([path], codes)
    for project in project_dirs():
        found[project.relative_to(ROOT).as_posix()] = ([project], ["ALL"])
    for project in sorted(p for p in MODEL_PROJECTS.iterdir() if p.is_dir()):
        if not project.name.startswith("_"):
            found[project.relative_to(ROOT).as_posix()] = ([project], ["ALL"])
    return found


def _copy(sources: list[Path], into: Path) -> Path:
    tree = into / "tree"
    tree.mkdir(parents=True)
    for source in sources:
        if source.is_dir():
            skip = shutil.ignore_patterns("__pycache__")
            shutil.copytree(source, tree / source.name, ignore=skip)
        else:
            shutil.copyfile(source, tree / source.name)
    return tree


def _cli(tree: Path, selectors: list[str], flags: list[str]) -> tuple[int, list[list[Any]]]:
    """Exit code and findings (file, row, column, code) of one CLI run on ``tree``."""
    flags = [*flags, "--no-cache", "--isolated", "--output-format", "json", "--exit-zero"]
    flags += ["--select", ",".join(selectors)]
    result = CliRunner().invoke(main, [*flags, str(tree)], catch_exceptions=False)
    prefix = f"{tree.as_posix()}/"
    findings = []
    for found in json.loads(result.stdout or "[]"):
        row, column = found["location"]["row"], found["location"]["column"]
        findings.append([found["filename"].removeprefix(prefix), row, column, found["code"]])
    return result.exit_code, findings


def run_case(sources: list[Path], selectors: list[str], unsafe: bool, workdir: Path) -> Any:
    """The CLI's ``--fix`` on a copy of ``sources`` (in ``workdir/tree``): rewritten
    texts, findings left, exit code."""
    tree = _copy(sources, workdir)
    before = {p: p.read_bytes() for p in sorted(tree.rglob("*.py"))}
    exit_code, findings = _cli(tree, selectors, ["--fix", *(["--unsafe-fixes"] if unsafe else [])])
    return {
        "exit": exit_code,
        "rewritten": {
            path.relative_to(tree).as_posix(): path.read_text(encoding="utf-8")
            for path, data in before.items()
            if path.read_bytes() != data
        },
        "findings": findings,
    }


def plain_findings(tree: Path, selectors: list[str]) -> list[list[Any]]:
    """What a plain check (no fixing) reports on ``tree``."""
    return _cli(tree, selectors, [])[1]


def run_all(workdir: Path) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for name, (sources, selectors) in cases().items():
        for unsafe in (False, True):
            key = f"{name} {'unsafe' if unsafe else 'safe'}"
            summary[key] = run_case(sources, selectors, unsafe, workdir / str(len(summary)))
    return summary


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        recorded = run_all(Path(tmp))
    EXPECTATIONS.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(recorded)} runs in {EXPECTATIONS}", file=sys.stderr)
