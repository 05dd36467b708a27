"""SARIF 2.1.0 output: schema-valid, rules documented, stable fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from flasklint_headers.cli import main
from flasklint_headers.rules import all_rules

REPO = Path(__file__).resolve().parent.parent
# Read in place from the shared data directory; never copied into the repository.
SCHEMA = REPO / ".." / "shared" / "data" / "sarif-schema-2.1.0.json"

VIEWS = """\
from flask import Flask

app = Flask(__name__)


@app.route("/a")
def a():
    return {"X-Custom-Header": "value"}


@app.route("/b")
def b():
    return {"X-Custom-Header": "value"}
"""


def sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> dict:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir(exist_ok=True)
    (tmp_path / "pkg" / "views.py").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["--select", "FLH101,FLH001", "--output-format", "sarif", "."]
    )
    assert result.exit_code in (1, 2), result.output
    return json.loads(result.stdout)


def test_validates_against_the_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    jsonschema = pytest.importorskip("jsonschema")
    log = sarif(tmp_path, monkeypatch, VIEWS)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)


def test_driver_rules_carry_full_docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = sarif(tmp_path, monkeypatch, VIEWS)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "flasklint-headers"
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {r.code for r in all_rules()}
    flh101 = rules["FLH101"]
    assert flh101["name"] == "dict-returned-as-headers"
    assert flh101["shortDescription"]["text"]
    assert flh101["fullDescription"]["text"]
    assert "## Why is this bad?" in flh101["help"]["markdown"]
    assert flh101["helpUri"].startswith("https://")
    assert flh101["defaultConfiguration"]["level"] == "warning"


def test_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = sarif(tmp_path, monkeypatch, VIEWS)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file://")
    first = run["results"][0]
    assert first["ruleId"] == "FLH101"
    assert first["level"] == "warning"
    assert run["tool"]["driver"]["rules"][first["ruleIndex"]]["id"] == "FLH101"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "pkg/views.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 8, "startColumn": 12, "endLine": 8, "endColumn": 40}
    [fix] = first["fixes"]
    [change] = fix["artifactChanges"]
    assert (
        change["replacements"][0]["insertedContent"]["text"] == '"", {"X-Custom-Header": "value"}'
    )
    assert change["replacements"][0]["deletedRegion"]["startLine"] == 8


def fingerprints(log: dict) -> list[str]:
    return [r["partialFingerprints"]["flasklintHeaders/v1"] for r in log["runs"][0]["results"]]


def test_fingerprints_are_unique_and_survive_shifted_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = fingerprints(sarif(tmp_path, monkeypatch, VIEWS))
    shifted = VIEWS.replace("app = Flask", "# a comment\n\n\napp = Flask")
    after = fingerprints(sarif(tmp_path, monkeypatch, shifted))
    assert len(set(before)) == 2  # identical lines are told apart by occurrence
    assert before == after


def test_syntax_errors_are_results_with_error_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = sarif(tmp_path, monkeypatch, "from flask import Flask\ndef f(:\n")
    [result] = log["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("FLH001", "error")
