"""The command line: exit codes, modes, formats, configuration (CliRunner and a real process)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flasklint_headers.cli import main

REPO = Path(__file__).resolve().parent.parent

DICT_VIEW = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return {"X-Custom-Header": "value"}
"""
FIXED_DICT_VIEW = DICT_VIEW.replace('return {"X', 'return "", {"X')
# Files that never mention Flask are not parsed at all (see flasklint_headers/relevance.py),
# so the broken files below import flask.
CLEAN = """\
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "hello"
"""
STALE_NOQA = CLEAN.replace('"hello"', '"hello"  # noqa: FLH101')


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cli(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


# -- exit codes ---------------------------------------------------------------------------


def test_clean_file_exits_zero(project: Path) -> None:
    write(project, "app.py", CLEAN)
    result = cli("--select", "FLH101", "app.py")
    assert result.exit_code == 0
    assert result.stdout == "All checks passed!\n"


def test_findings_exit_one_with_summary(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "app.py")
    assert result.exit_code == 1
    assert result.stdout.startswith("app.py:8:12: FLH101 ")
    assert "8 |     return {" in result.stdout
    assert "^^^^ FLH101" in result.stdout
    assert "= help: Return an empty body with these headers" in result.stdout
    assert result.stdout.endswith("Found 1 finding.\n1 unsafe fix available with --unsafe-fixes.\n")


def test_exit_zero(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    assert cli("--select", "FLH101", "--exit-zero", "app.py").exit_code == 0


def test_default_path_is_the_current_directory(project: Path) -> None:
    write(project, "pkg/app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "concise")
    assert result.exit_code == 1
    assert result.stdout.startswith("pkg/app.py:8:12: FLH101 ")


def test_syntax_error_exits_two_but_reports_other_files(project: Path) -> None:
    write(project, "a.py", DICT_VIEW)
    write(project, "b.py", 'import flask\nprint "python 2"\n')
    result = cli("--select", "FLH101", "--output-format", "concise", ".")
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("a.py:8:12: FLH101 ")
    assert lines[1].startswith("b.py:2:") and " FLH001 " in lines[1]


def test_missing_path_exits_two_with_one_line(project: Path) -> None:
    result = cli("--output-format", "concise", "nope.py")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].startswith("nope.py:1:1: FLH003 ")
    assert "Traceback" not in result.output


def test_undecodable_file_exits_two(project: Path) -> None:
    (project / "latin.py").write_bytes(b'x = "\xff"\n')
    result = cli("--output-format", "concise", "latin.py")
    assert result.exit_code == 2
    assert " FLH003 " in result.stdout


def test_empty_file_is_clean(project: Path) -> None:
    write(project, "empty.py", "")
    assert cli("empty.py").exit_code == 0


# -- fixing ---------------------------------------------------------------------------------


def test_fix_writes_and_only_remaining_findings_count(project: Path) -> None:
    path = write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--fix", "--unsafe-fixes", "app.py")
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == FIXED_DICT_VIEW
    assert result.stdout == "Found 1 finding (1 fixed, 0 remaining).\n"


def test_fix_applies_only_safe_fixes(project: Path) -> None:
    path = write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--fix", "app.py")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == DICT_VIEW


def test_exit_non_zero_on_fix(project: Path) -> None:
    path = write(project, "app.py", STALE_NOQA)
    result = cli("--select", "FLH101,FLH002", "--fix", "--exit-non-zero-on-fix", "app.py")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == CLEAN
    assert cli("--select", "FLH101,FLH002", "--fix", "app.py").exit_code == 0


def test_show_fixes_lists_what_was_fixed(project: Path) -> None:
    write(project, "app.py", STALE_NOQA)
    result = cli("--select", "FLH101,FLH002", "--fix", "--show-fixes", "app.py")
    assert "Fixed 1 finding:\n- app.py:\n    1 x FLH002 (unused-suppression)\n" in result.stdout


def test_diff_never_writes_and_exits_one(project: Path) -> None:
    path = write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--diff", "--unsafe-fixes", "app.py")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == DICT_VIEW
    assert result.stdout.startswith("--- a/app.py\n+++ b/app.py\n")
    assert '-    return {"X-Custom-Header": "value"}\n' in result.stdout
    assert '+    return "", {"X-Custom-Header": "value"}\n' in result.stdout
    assert "Would fix 1 finding (0 remaining)." in result.stderr


def test_diff_without_fixes_exits_zero(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--diff", "app.py")
    assert result.exit_code == 0
    assert result.stdout == ""


# -- standard input -------------------------------------------------------------------------


def test_stdin_check(project: Path) -> None:
    result = cli(
        "-", "--stdin-filename", "views.py", "--select", "FLH101", "--output-format",
        "concise", stdin=DICT_VIEW,
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stdout.startswith("views.py:8:12: FLH101 ")


def test_stdin_fix_prints_code_and_messages_to_stderr(project: Path) -> None:
    result = cli(
        "-", "--stdin-filename", "views.py", "--select", "FLH101", "--fix", "--unsafe-fixes",
        stdin=DICT_VIEW,
    )  # fmt: skip
    assert result.exit_code == 0
    assert result.stdout == FIXED_DICT_VIEW
    assert "1 fixed, 0 remaining" in result.stderr


def test_stdin_fix_echoes_unchanged_code(project: Path) -> None:
    result = cli("-", "--select", "FLH101", "--fix", stdin=DICT_VIEW)
    assert result.exit_code == 1
    assert result.stdout == DICT_VIEW
    assert "FLH101" in result.stderr


def test_stdin_filename_uses_per_file_ignores(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[tool.flasklint-headers]\nper-file-ignores = { "legacy/*" = ["FLH101"] }\n',
    )
    result = cli("-", "--stdin-filename", "legacy/views.py", "--select", "FLH101", stdin=DICT_VIEW)
    assert result.exit_code == 0


APP_PACKAGE = """\
from flask import Flask

app = Flask(__name__)


@app.route("/health")
def health():
    return "ok"


from pkg import security, views  # noqa: E402
"""
SECURITY_HOOK = """\
from pkg import app


@app.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = "default-src 'self'"
    return response
"""
VIEWS = """\
from pkg import app


@app.route("/")
def index():
    return "hello"
"""


def test_stdin_filename_is_checked_in_its_project(project: Path) -> None:
    # An editor sends the buffer of pkg/__init__.py: the hook in pkg/security.py
    # sets the CSP for the whole app, as a run on the saved file would know.
    write(project, "pkg/__init__.py", APP_PACKAGE)
    write(project, "pkg/security.py", SECURITY_HOOK)
    write(project, "pkg/views.py", VIEWS)
    on_disk = cli("--select", "FLH301", "pkg/__init__.py")
    assert on_disk.exit_code == 0, on_disk.output
    named = cli("-", "--stdin-filename", "pkg/__init__.py", "--select", "FLH301", stdin=APP_PACKAGE)
    assert named.exit_code == 0, named.output
    # Unnamed standard input has no project: the app looks unprotected.
    unnamed = cli("-", "--select", "FLH301", "--output-format", "concise", stdin=APP_PACKAGE)
    assert unnamed.exit_code == 1
    assert "FLH301" in unnamed.stdout


@pytest.mark.parametrize("use_cache", [True, False])
def test_stdin_replaces_the_file_on_disk(project: Path, use_cache: bool) -> None:
    write(project, "pkg/__init__.py", APP_PACKAGE)
    write(project, "pkg/security.py", SECURITY_HOOK)
    views = write(project, "pkg/views.py", VIEWS)
    cache = () if use_cache else ("--no-cache",)
    args = ("--select", "FLH101", "--output-format", "concise", *cache)
    edited = VIEWS.replace('"hello"', '{"X-Custom-Header": "value"}')
    result = cli("-", "--stdin-filename", "pkg/views.py", *args, stdin=edited)
    assert result.exit_code == 1
    assert result.stdout.startswith("pkg/views.py:6:12: FLH101 ")
    # The saved file is still clean: nothing of the buffer was cached as its state.
    assert cli("pkg/views.py", *args).exit_code == 0
    views.write_text(edited, encoding="utf-8")
    assert cli("-", "--stdin-filename", "pkg/views.py", *args, stdin=VIEWS).exit_code == 0
    assert cli("pkg/views.py", *args).exit_code == 1


def test_stdin_fix_in_project_writes_only_stdout(project: Path) -> None:
    write(project, "pkg/__init__.py", APP_PACKAGE)
    write(project, "pkg/security.py", SECURITY_HOOK)
    views = write(project, "pkg/views.py", VIEWS)
    edited = VIEWS.replace('"hello"', '{"X-Custom-Header": "value"}')
    result = cli(
        "-", "--stdin-filename", "pkg/views.py", "--select", "FLH101", "--fix", "--unsafe-fixes",
        stdin=edited,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == edited.replace('return {"X', 'return "", {"X')
    assert views.read_text(encoding="utf-8") == VIEWS


# -- output formats -------------------------------------------------------------------------


def test_json_shape(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "json", "app.py")
    assert result.exit_code == 1
    [finding] = json.loads(result.stdout)
    assert list(finding) == [
        "code", "name", "severity", "message", "filename", "location", "end_location",
        "fix", "url",
    ]  # fmt: skip
    assert finding["code"] == "FLH101"
    assert finding["name"] == "dict-returned-as-headers"
    assert finding["severity"] == "warning"
    assert finding["message"].startswith("This dict looks like HTTP headers")
    assert finding["filename"] == "app.py"
    assert finding["location"] == {"row": 8, "column": 12}
    assert finding["end_location"] == {"row": 8, "column": 40}
    assert finding["fix"] == {
        "applicability": "unsafe",
        "message": "Return an empty body with these headers",
        "edits": [
            {
                "content": '"", {"X-Custom-Header": "value"}',
                "location": {"row": 8, "column": 12},
                "end_location": {"row": 8, "column": 40},
            }
        ],
    }
    assert finding["url"].endswith("#flh101")


def test_json_includes_syntax_errors(project: Path) -> None:
    write(project, "bad.py", "from flask import Flask\ndef f(:\n    pass\n")
    result = cli("--output-format", "json", "bad.py")
    assert result.exit_code == 2
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["name"], finding["severity"]) == (
        "FLH001",
        "syntax-error",
        "error",
    )
    assert finding["fix"] is None


def test_json_clean_is_an_empty_array(project: Path) -> None:
    write(project, "app.py", CLEAN)
    result = cli("--output-format", "json", "--select", "FLH101", "app.py")
    assert json.loads(result.stdout) == []


def test_absolute_paths_inside_cwd_are_made_relative(project: Path) -> None:
    path = write(project, "sub/app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "json", str(path))
    assert json.loads(result.stdout)[0]["filename"] == "sub/app.py"


def test_concise_marks_fixes_available_at_the_current_level(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    safe = cli("--select", "FLH101", "--output-format", "concise", "app.py")
    unsafe = cli("--select", "FLH101", "--output-format", "concise", "--unsafe-fixes", "app.py")
    assert " FLH101 This dict" in safe.stdout
    assert " FLH101 [*] This dict" in unsafe.stdout
    assert "[*] 1 fixable with --unsafe-fixes." in unsafe.stdout


def test_github_format(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "github", "app.py")
    line = result.stdout.splitlines()[0]
    assert line.startswith(
        "::warning file=app.py,line=8,col=12,endLine=8,endColumn=40,"
        "title=flasklint-headers (FLH101)::This dict looks like HTTP headers"
    )
    assert len(result.stdout.splitlines()) == 1


def test_output_file(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "json", "-o", "out/report.json", "app.py")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads((project / "out" / "report.json").read_text())[0]["code"] == "FLH101"


def test_statistics_text_and_json(project: Path) -> None:
    write(project, "a.py", DICT_VIEW)
    write(project, "b.py", DICT_VIEW)
    text = cli("--select", "FLH101", "--statistics", ".")
    assert text.exit_code == 1
    assert text.stdout == "2\tFLH101\t    dict-returned-as-headers\n"
    data = cli("--select", "FLH101", "--statistics", "--output-format", "json", ".")
    assert json.loads(data.stdout) == [
        {"code": "FLH101", "name": "dict-returned-as-headers", "count": 2, "fixable": False}
    ]


def test_quiet_drops_the_summary(project: Path) -> None:
    write(project, "app.py", CLEAN)
    assert cli("-q", "--select", "FLH101", "app.py").stdout == ""


# -- rule documentation ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["FLH101", "flh101", "dict-returned-as-headers"])
def test_explain(key: str) -> None:
    result = cli("--explain", key)
    assert result.exit_code == 0
    assert result.stdout.startswith("# dict-returned-as-headers (FLH101)\n")
    for section in ("## What it does", "## Why is this bad?", "## Fix safety", "Severity: "):
        assert section in result.stdout


def test_explain_unknown_rule() -> None:
    result = cli("--explain", "FLH999")
    assert result.exit_code == 2
    assert "no rule with the code or name 'FLH999'" in result.stderr


def test_list_rules_text_and_json() -> None:
    text = cli("--list-rules")
    assert text.exit_code == 0
    assert any(
        line.startswith("FLH101  dict-returned-as-headers") for line in text.stdout.splitlines()
    )
    rules = json.loads(cli("--list-rules", "--output-format", "json").stdout)
    by_code = {r["code"]: r for r in rules}
    assert by_code["FLH101"]["name"] == "dict-returned-as-headers"
    assert by_code["FLH101"]["fix"] == "unsafe"
    assert by_code["FLH002"]["fix"] == "safe"
    assert "## What it does" in by_code["FLH101"]["explanation"]


# -- selection and configuration ------------------------------------------------------------


def test_select_by_name_and_prefix_and_ignore(project: Path) -> None:
    write(project, "app.py", DICT_VIEW)
    assert cli("--select", "dict-returned-as-headers", "app.py").exit_code == 1
    assert cli("--select", "FLH1", "--ignore", "FLH101", "app.py").exit_code == 0
    assert cli("--select", "FLH104", "--extend-select", "FLH101", "app.py").exit_code == 1


def test_unknown_selector_is_a_usage_error(project: Path) -> None:
    result = cli("--select", "FLH999", ".")
    assert result.exit_code == 2
    assert "unknown rule selector 'FLH999'" in result.stderr


def test_unknown_config_key_exits_two_naming_key_and_file(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.flasklint-headers]\nselcet = ["FLH1"]\n')
    write(project, "app.py", CLEAN)
    result = cli("app.py")
    assert result.exit_code == 2
    assert "unknown key 'selcet'" in result.stderr
    assert str((project / "pyproject.toml").resolve()) in result.stderr


def test_per_file_ignores(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[tool.flasklint-headers]\nselect = ["FLH101"]\n'
        '[tool.flasklint-headers.per-file-ignores]\n"legacy/*" = ["FLH101"]\n',
    )
    write(project, "legacy/old.py", DICT_VIEW)
    write(project, "new.py", DICT_VIEW)
    result = cli("--output-format", "concise", ".")
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "FLH101" in line] == [
        "new.py"
    ]


def test_nearest_pyproject_per_file_in_nested_projects(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.flasklint-headers]\nselect = ["FLH101"]\n')
    write(project, "svc/pyproject.toml", '[tool.flasklint-headers]\nselect = ["FLH104"]\n')
    write(project, "top.py", DICT_VIEW)
    write(project, "svc/inner.py", DICT_VIEW)
    result = cli("--output-format", "concise", ".")
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " FLH" in line] == [
        "top.py"
    ]
    forced = cli("--output-format", "concise", "--config", "pyproject.toml", ".")
    assert sorted(line.split(":")[0] for line in forced.stdout.splitlines() if " FLH" in line) == [
        "svc/inner.py",
        "top.py",
    ]
    isolated = cli("--isolated", "--select", "FLH104", ".")
    assert isolated.exit_code == 0


def test_severity_override(project: Path) -> None:
    write(project, "pyproject.toml", '[tool.flasklint-headers.severity]\nFLH101 = "error"\n')
    write(project, "app.py", DICT_VIEW)
    result = cli("--select", "FLH101", "--output-format", "json", "app.py")
    assert json.loads(result.stdout)[0]["severity"] == "error"


def test_gitignore_and_force_exclude(project: Path) -> None:
    write(project, ".gitignore", "generated/\n")
    write(project, "generated/app.py", DICT_VIEW)
    write(project, "app.py", CLEAN)
    assert cli("--select", "FLH101", ".").exit_code == 0
    assert cli("--select", "FLH101", "generated/app.py").exit_code == 1
    forced = cli("--select", "FLH101", "--force-exclude", "generated/app.py")
    assert forced.exit_code == 0


def test_stdin_needs_dash() -> None:
    result = CliRunner().invoke(main, ["--stdin-filename", "x.py", "a.py"])
    assert result.exit_code == 2
    assert "--stdin-filename needs '-'" in result.output


# -- a real process ---------------------------------------------------------------------------


def run_module(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_subprocess_exit_codes_and_stdin(tmp_path: Path) -> None:
    write(tmp_path, "app.py", DICT_VIEW)
    write(tmp_path, "bad.py", "from flask import Flask\ndef f(:\n")
    found = run_module("--select", "FLH101", "--output-format", "concise", "app.py", cwd=tmp_path)
    assert found.returncode == 1, found.stderr
    assert found.stdout.startswith("app.py:8:12: FLH101 ")
    broken = run_module("--select", "FLH101", "bad.py", "app.py", cwd=tmp_path)
    assert broken.returncode == 2
    assert "Traceback" not in broken.stderr
    fixed = run_module(
        "-", "--stdin-filename", "app.py", "--select", "FLH101", "--fix", "--unsafe-fixes",
        cwd=tmp_path, stdin=DICT_VIEW,
    )  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    assert fixed.stdout == FIXED_DICT_VIEW


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_do_not_import_libcst(tmp_path: Path, flag: str) -> None:
    code = (
        "import sys\n"
        "from flasklint_headers.cli import main\n"
        f"try:\n    main(['{flag}'])\nexcept SystemExit:\n    pass\n"
        f"assert 'libcst' not in sys.modules, 'libcst imported by {flag}'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    expected = "flasklint-headers, version " if flag == "--version" else "Usage: "
    assert result.stdout.startswith(expected)


def test_a_run_answered_from_the_cache_does_not_import_libcst(tmp_path: Path) -> None:
    """Warm runs parse nothing: loading libcst and the rules would cost more than the run."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    code = (
        "import sys\n"
        "from flasklint_headers.cli import main\n"
        "try:\n    main(['--cache-dir', 'cache', '-q', 'examples'])\nexcept SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)\n"
    )

    def run() -> str:
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO), "FLASKLINT_JOBS": "1"},
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()[-1]

    assert run() == "True"  # cold: parsed
    assert run() == "False"  # warm: every answer from the cache


# -- the example app -------------------------------------------------------------------------


def test_examples_show_findings_from_several_families(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = cli("--output-format", "json", "examples/")
    assert result.exit_code == 1
    codes = {f["code"] for f in json.loads(result.stdout)}
    families = {code[:4] for code in codes}
    assert {"FLH1", "FLH2", "FLH3", "FLH4", "FLH5"} <= families, sorted(codes)
    assert {"FLH101", "FLH102", "FLH104", "FLH105", "FLH112", "FLH201", "FLH501"} <= codes


def test_examples_work_after_unsafe_fixes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    shutil.copytree(REPO / "examples" / "shop", tmp_path / "shop")
    monkeypatch.chdir(tmp_path)
    cli("--fix", "--unsafe-fixes", "shop")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        monkeypatch.delitem(sys.modules, name)
    from shop import create_app  # type: ignore[import-not-found]

    client = create_app().test_client()
    health = client.get("/api/health")
    assert health.status_code == 200  # the after_request hook returns the response again
    assert health.headers["X-Health"] == "ok"
    assert client.get("/api/products").headers["Content-Type"] == "application/json"
    missing = client.get("/api/products/99")
    assert (missing.status_code, missing.headers["Cache-Control"]) == (404, "no-store")
    created = client.post("/api/products", json={"name": "Saucer", "price": 3})
    assert created.headers["Location"] == "/api/products/3"
    login = client.post("/api/login")
    cookie = login.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_noqa_for_a_per_file_ignored_code_is_not_unused(project: Path) -> None:
    write(
        project,
        "pyproject.toml",
        '[tool.flasklint-headers]\nselect = ["FLH101", "FLH002"]\n'
        '[tool.flasklint-headers.per-file-ignores]\n"legacy/*" = ["FLH101"]\n',
    )
    write(project, "legacy/old.py", STALE_NOQA)
    assert cli("legacy/old.py").exit_code == 0
    assert cli("--isolated", "--select", "FLH101,FLH002", "legacy/old.py").exit_code == 1
