"""``--fix`` on a link group: project-wide facts are derived once per pass, not per file.

Fixing used to swap each fixed file into the project model on its own, which
dropped every project-wide answer (the apps, their hooks and settings, the
registrations), so the next check derived them again from every module: the
time grew with the square of the group (issue #16, item 10).  Counting how
often the apps are found measures that without timing anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import flasklint_headers.model.project as project_module
from flasklint_headers.cli import main

FIXABLE = """\
from flask import Response

from pkg.core import app


@app.route("/m{index}")
def view_{index}():
    return "created", {{"X-Request": "{index}"}}, 201


@app.route("/m{index}/csv")
def csv_{index}():
    return Response("a,b", 200, "text/csv")
"""


def _group(root: Path, fixable: int) -> Path:
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text("from flask import Flask\n\napp = Flask(__name__)\n")
    for index in range(fixable):
        (package / f"m{index}.py").write_text(FIXABLE.format(index=index))
    return package


@pytest.mark.parametrize("fixable", [4, 24])
def test_fixing_a_group_derives_the_apps_a_fixed_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixable: int
) -> None:
    package = _group(tmp_path, fixable)
    calls: list[int] = []
    original = project_module.find_apps

    def counting(project):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(project)

    monkeypatch.setattr(project_module, "find_apps", counting)
    result = CliRunner().invoke(main, ["--fix", "--no-cache", "--isolated", "-q", str(package)])
    assert result.exit_code in (0, 1), result.output
    fixed = [p for p in package.glob("m*.py") if "201, {" in p.read_text()]
    assert len(fixed) == fixable  # every file was fixed
    # The first check, one re-check of the fixed files, one final check of the rest.
    assert len(calls) <= 4, f"apps derived {len(calls)} times for {fixable} fixed files"
