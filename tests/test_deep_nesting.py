"""Deeply nested but valid (or nearly valid) Python never crashes the run.

libcst nests what ``ast`` keeps flat (boolean chains, joined literals) and
needs several levels per bracket; before the guard in ``parsing.py`` these
files aborted the whole run with RecursionError (about 1,000 levels) or killed
it with SIGSEGV and no output (libcst's native parser, from about 1,500 nested
brackets or 10,000 chained operators).  Each one now gets one FLH001 and the
normal app beside it keeps its findings.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from samples import DICT_RETURNED_AS_HEADERS

from flasklint_headers.parsing import MAX_DEPTH, ParseFailure, nesting_bound, parse_text

FLASK = "from flask import Flask\n"  # so that the relevance filter parses the file

APP = DICT_RETURNED_AS_HEADERS


def and_chain(terms: int, operator: str = "and") -> str:
    return FLASK + "x = " + f" {operator} ".join(["a"] * terms) + "\n"


def and_chain_on_lines(terms: int) -> str:
    return FLASK + "x = (\n" + "    a and\n" * (terms - 1) + "    a\n)\n"


def joined_strings(pieces: int) -> str:
    return FLASK + "x = (\n" + '    "a"\n' * pieces + ")\n"


def nested_lists(levels: int) -> str:
    return FLASK + "x = " + "[" * levels + "]" * levels + "\n"


def nested_dicts(levels: int) -> str:
    return FLASK + "x = " + '{"a": ' * levels + "1" + "}" * levels + "\n"


def nested_parentheses(levels: int) -> str:
    return FLASK + "x = " + "(" * levels + "1" + ")" * levels + "\n"


def plus_chain(terms: int) -> str:
    return FLASK + "x = (\n" + "    1 +\n" * (terms - 1) + "    1\n)\n"


def lists_hiding_behind_strings(levels: int) -> str:
    # Every level holds a string with a closing bracket: a bracket count that
    # did not skip strings would see no nesting at all.
    return FLASK + "x = " + '[")", ' * levels + "]" * levels + "\n"


Generator = Callable[[int], str]

# (generator, size, words the FLH001 message must contain)
DEEP_FILES: list[tuple[Generator, int, str]] = [
    (and_chain, 1_000, "nested too deeply"),
    (and_chain, 10_000, "nested too deeply"),
    (lambda n: and_chain(n, "or"), 1_000, "nested too deeply"),
    (and_chain_on_lines, 1_000, "nested too deeply"),
    (joined_strings, 1_000, "nested too deeply"),
    (joined_strings, 10_000, "nested too deeply"),
    (nested_lists, 500, "too many nested parentheses"),
    (nested_lists, 10_000, "too many nested parentheses"),
    (nested_dicts, 600, "too many nested parentheses"),
    (nested_dicts, 10_000, "too many nested parentheses"),
    (nested_parentheses, 990, "too many nested parentheses"),
    (nested_parentheses, 10_000, "too many nested parentheses"),
    (plus_chain, 1_000, "nested too deeply"),
    (plus_chain, 10_000, "nested too deeply"),
    (lists_hiding_behind_strings, 1_000, "nested too deeply"),
    (lists_hiding_behind_strings, 10_000, "nested too deeply"),
]


def _run_cli(directory: Path) -> tuple[int, dict[str, list[dict[str, object]]]]:
    completed = subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "--no-cache", "--output-format", "json", "."],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode >= 0, f"killed by signal {-completed.returncode}"
    by_file: dict[str, list[dict[str, object]]] = {}
    for finding in json.loads(completed.stdout):
        by_file.setdefault(Path(str(finding["filename"])).name, []).append(finding)
    return completed.returncode, by_file


@pytest.fixture(scope="module")
def app_findings(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    directory = tmp_path_factory.mktemp("app_alone")
    (directory / "app.py").write_text(APP)
    code, by_file = _run_cli(directory)
    assert code == 1
    codes = sorted(str(f["code"]) for f in by_file["app.py"])
    assert "FLH101" in codes
    return codes


@pytest.mark.parametrize(
    ("generate", "size", "words"),
    DEEP_FILES,
    ids=[f"{g.__name__}-{n}" for g, n, _ in DEEP_FILES],
)
def test_deep_file_gets_one_flh001_and_the_app_beside_it_keeps_its_findings(
    tmp_path: Path, app_findings: list[str], generate: Generator, size: int, words: str
) -> None:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "deep.py").write_text(generate(size))
    code, by_file = _run_cli(tmp_path)
    assert code == 2
    (finding,) = by_file["deep.py"]
    assert finding["code"] == "FLH001"
    assert words in str(finding["message"])
    assert sorted(str(f["code"]) for f in by_file["app.py"]) == app_findings


def test_hand_written_deep_code_is_still_analysed(tmp_path: Path) -> None:
    deep_ish = (
        "x = " + "[" * 100 + "]" * 100 + "\n"
        "y = (\n" + "    a and\n" * 299 + "    a\n)\n"
        "z = (\n" + '    "a"\n' * 400 + ")\n"
    )
    (tmp_path / "app.py").write_text(APP + deep_ish)
    code, by_file = _run_cli(tmp_path)
    assert code == 1
    assert "FLH001" not in {f["code"] for f in by_file["app.py"]}
    assert "FLH101" in {f["code"] for f in by_file["app.py"]}


# Levels libcst builds above the chain / the joined literal in these files.
_ABOVE_CHAIN = 3
_ABOVE_LITERAL = 2


@pytest.mark.parametrize(
    ("make", "allowed"),
    [(and_chain_on_lines, MAX_DEPTH - _ABOVE_CHAIN), (joined_strings, MAX_DEPTH - _ABOVE_LITERAL)],
    ids=["and-chain", "joined-literals"],
)
def test_the_limit_is_exact(make: Generator, allowed: int) -> None:
    assert not isinstance(parse_text(make(allowed)), ParseFailure)
    refused = parse_text(make(allowed + 1))
    assert isinstance(refused, ParseFailure)
    assert refused.message.startswith("cannot analyse this file: expression nested too deeply")
    assert f"({MAX_DEPTH + 1} levels" in refused.message


@pytest.mark.parametrize(
    "text",
    [and_chain_on_lines(300), joined_strings(300), nested_lists(150), plus_chain(300)],
    ids=["and-chain", "joined-literals", "lists", "plus-chain"],
)
def test_the_bound_is_never_below_the_depth(text: str) -> None:
    import ast

    from flasklint_headers.parsing import _cst_depth

    assert nesting_bound(text) >= _cst_depth(ast.parse(text), text)[0]


def test_ordinary_code_stays_below_the_bound() -> None:
    # What keeps normal files from paying for the precise measurement.
    source = (Path(__file__).parent.parent / "flasklint_headers" / "runner.py").read_text()
    assert nesting_bound(source) < MAX_DEPTH
    rows = "".join(f'    "key{i}": [{i}, "v"],\n' for i in range(5_000))
    data = FLASK + "DATA = {\n" + rows + "}\n"
    assert nesting_bound(data) < MAX_DEPTH


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_a_recursion_error_in_the_model_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Defence in depth: with less recursion depth than the guard assumes, the
    # deep file's model runs out of it; the app beside it is unaffected.
    import flasklint_headers.depth as depth
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import check_paths

    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "deep.py").write_text(and_chain_on_lines(400))
    settings = Settings(enabled=frozenset({"FLH101"}))
    paths = [tmp_path / "app.py", tmp_path / "deep.py"]
    monkeypatch.setattr(depth, "RECURSION_LIMIT", 0)  # the run leaves the limit alone
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_stack_depth() + 150)
    try:
        reports = {Path(r.display_name).name: r for r in check_paths(paths, settings)}
    finally:
        sys.setrecursionlimit(limit)
    assert [f.code for f in reports["app.py"].findings] == ["FLH101"]
    (finding,) = reports["deep.py"].findings
    assert finding.code == "FLH001"
    assert "nested too deeply" in finding.message
    assert reports["deep.py"].failed
    assert "to model" in finding.message


def test_a_recursion_error_in_the_rule_walk_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flasklint_headers.linter as linter
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import check_paths

    real_walk = linter.walk

    def walk_out_of_depth(module: object, visitor: object) -> None:
        if "deep_marker" in getattr(module, "code", ""):
            raise RecursionError("maximum recursion depth exceeded")
        real_walk(module, visitor)  # type: ignore[arg-type]

    monkeypatch.setattr(linter, "walk", walk_out_of_depth)
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "deep.py").write_text(APP + "deep_marker = 1\n")
    settings = Settings(enabled=frozenset({"FLH101"}))
    paths = [tmp_path / "app.py", tmp_path / "deep.py"]
    reports = {Path(r.display_name).name: r for r in check_paths(paths, settings)}
    assert [f.code for f in reports["app.py"].findings] == ["FLH101"]
    (finding,) = reports["deep.py"].findings
    assert finding.code == "FLH001"
    assert "nested too deeply to check" in finding.message
    assert reports["deep.py"].failed


def test_fix_works_on_a_file_just_below_the_limit(tmp_path: Path) -> None:
    # libcst's code generation and position metadata recurse twice per level.
    path = tmp_path / "app.py"
    original = APP + and_chain_on_lines(MAX_DEPTH - _ABOVE_CHAIN)[len(FLASK) :]
    path.write_text(original)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "flasklint_headers",
            "--no-cache",
            "--select",
            "FLH101",
            "--fix",
            "--unsafe-fixes",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "FLH000" not in completed.stdout, completed.stdout
    assert completed.returncode == 0, completed.stdout + completed.stderr
    fixed = path.read_text()
    assert fixed != original
    assert fixed.endswith(original[len(APP) :])
