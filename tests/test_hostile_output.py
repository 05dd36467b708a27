"""A hostile repository cannot drive the terminal or the CI log through our output
(issue #16, items 4 and 8): every format, run through the real CLI on planted files
whose names and header values hold ESC sequences, CR/LF, ``::error`` and bidi
overrides, and whose names are not UTF-8.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCHEMA_NAME = "sarif-schema-2.1.0.json"
CLI = (sys.executable, "-m", "flasklint_headers", "--no-cache")

# ESC (a colour), a line break that would start a workflow command, a carriage return.
HOSTILE_NAME = "evil\x1b[31m\n::error file=x.py::pwned\r.py"
# Not UTF-8: Python names it with surrogateescape ("caf\udce9.py").
LATIN1_NAME = os.fsdecode(b"caf\xe9.py")
# Raw ESC/BEL/RLO in the source lines; the value also holds an escaped newline.
SOURCE = (
    "from flask import Flask\n"
    "\n"
    "app = Flask(__name__)\n"
    "\n"
    "\n"
    '@app.route("/")\n'
    "def index():\n"
    '    return {"X-Frame-Options": "DENY\x1b[2J"}\n'
    "\n"
    "\n"
    "@app.after_request\n"
    "def hook(response):\n"
    '    response.headers["X-Frame-Options"] = '
    '"ALLOW\x1b]0;pwned\x07\\n::error file=a.py::boom\u202e"\n'
    "    return response\n"
)
RULES = "FLH101,FLH116,FLH310"
# What must never reach a terminal or a log: C0 (but tab and LF, which we print ourselves),
# DEL, C1, bidi controls.  Checked on the raw bytes, decoded as UTF-8.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def plant(directory: Path, names: tuple[str, ...] = (HOSTILE_NAME, LATIN1_NAME)) -> None:
    directory.mkdir(exist_ok=True)
    for name in names:
        (directory / name).write_text(SOURCE, encoding="utf-8")


def cli(cwd: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*CLI, "--select", RULES, *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=120,
    )


def assert_inert(output: bytes) -> str:
    """``output`` is valid UTF-8 with no control character but line ends; returns it."""
    text = output.decode("utf-8")  # strict: an undecodable name byte would fail here
    assert not UNSAFE.search(text), [line for line in text.splitlines() if UNSAFE.search(line)]
    return text


def assert_no_forged_command(text: str) -> None:
    assert not any(line.startswith("::") for line in text.splitlines()), text


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_human_formats_escape_names_values_and_source_lines(tmp_path: Path, fmt: str) -> None:
    plant(tmp_path)
    result = cli(tmp_path, "--output-format", fmt, ".")
    assert result.returncode == 1, result.stderr
    text = assert_inert(result.stdout)
    assert_no_forged_command(text)
    assert "evil\\x1b[31m\\n::error file=x.py::pwned\\r.py:13:43: FLH310" in text
    assert "caf\\xe9.py:13:43: FLH310" in text
    assert "ALLOW\\x1b]0;pwned\\x07\\n::error file=a.py::boom\\u202e" in text
    assert_inert(result.stderr)


def test_full_format_lays_carets_under_the_escaped_source_line(tmp_path: Path) -> None:
    plant(tmp_path, (LATIN1_NAME,))
    result = cli(tmp_path, "--select", "FLH101", ".")
    lines = assert_inert(result.stdout).splitlines()
    source = next(line for line in lines if line.startswith("8 |"))
    carets = lines[lines.index(source) + 1]
    assert source == '8 |     return {"X-Frame-Options": "DENY\\x1b[2J"}'
    start = source.index("{")
    assert carets == "  | " + " " * (start - 4) + "^" * (len(source) - start) + " FLH101"


def test_full_format_counts_lines_as_python_does(tmp_path: Path) -> None:
    """A form feed or U+2028 inside a line does not shift the quoted source."""
    (tmp_path / "app.py").write_text(SOURCE.replace("def index", "\x0c\u2028def index"))
    result = cli(tmp_path, "--select", "FLH101", ".")
    text = assert_inert(result.stdout)
    assert '8 |     return {"X-Frame-Options": "DENY\\x1b[2J"}' in text
    assert "7 | \\x0c\\u2028def index():" in text


def test_github_format_has_one_command_per_finding(tmp_path: Path) -> None:
    plant(tmp_path)
    result = cli(tmp_path, "--output-format", "github", ".")
    text = assert_inert(result.stdout)
    lines = text.splitlines()
    assert len(lines) == 6  # three findings in each of the two files
    assert all(re.match(r"::(error|warning|notice) file=", line) for line in lines), text
    hostile = [line for line in lines if "evil" in line]
    # GitHub's escaping for CR/LF and ':' (the runner decodes it back to the real name);
    # ESC has no GitHub escape and is shown as in the other formats.
    assert all(
        line.startswith("::")
        and "file=evil\\x1b[31m%0A%3A%3Aerror file=x.py%3A%3Apwned%0D.py," in line
        for line in hostile
    ), hostile
    assert any(
        line.endswith(
            "ALLOW\\x1b]0;pwned\\x07%0A::error file=a.py::boom\\u202e` is not `DENY` or "
            "`SAMEORIGIN`; browsers ignore it"
        )
        for line in hostile
    ), hostile
    assert any("file=caf\\xe9.py," in line for line in lines), text


def test_statistics_and_show_fixes(tmp_path: Path) -> None:
    plant(tmp_path)
    stats = cli(tmp_path, "--statistics", ".")
    assert "FLH310" in assert_inert(stats.stdout)
    fixed = cli(tmp_path, "--fix", "--unsafe-fixes", "--show-fixes", ".")
    text = assert_inert(fixed.stdout)
    assert "- evil\\x1b[31m\\n::error file=x.py::pwned\\r.py:" in text
    assert "- caf\\xe9.py:" in text
    assert_no_forged_command(text)


def test_diagnostics_on_stderr_are_escaped(tmp_path: Path) -> None:
    project = tmp_path / "evil\x1b]0;pwned\x07\n::error file=a.py::boom"
    project.mkdir()
    (project / "pyproject.toml").write_text("[tool.flasklint-headers]\nselect = 3\n")
    (project / "app.py").write_text(SOURCE)
    result = cli(tmp_path, ".")
    assert result.returncode == 2
    text = assert_inert(result.stderr)
    assert "evil\\x1b]0;pwned\\x07\\n::error file=a.py::boom/pyproject.toml" in text
    assert_no_forged_command(text)


def test_json_is_valid_utf8_with_hostile_names(tmp_path: Path) -> None:
    plant(tmp_path)
    result = cli(tmp_path, "--output-format", "json", ".")
    findings = json.loads(result.stdout.decode("utf-8"))
    names = {f["filename"] for f in findings}
    # Controls survive losslessly as JSON escapes; the byte that is not UTF-8 reads \xe9.
    assert names == {HOSTILE_NAME, "caf\\xe9.py"}
    assert "ALLOW\x1b]0;pwned\x07\n::error file=a.py::boom\u202e" in "".join(
        f["message"] for f in findings
    )


def _sarif_schema() -> Path | None:
    # The schema lives in the shared data directory next to the checkout (or the
    # checkout's parent, for a worktree); it is never copied into the repository.
    for parent in REPO.parents:
        candidate = parent / "shared" / "data" / SCHEMA_NAME
        if candidate.is_file():
            return candidate
    return None


def test_sarif_is_schema_valid_with_hostile_names(tmp_path: Path) -> None:
    plant(tmp_path)
    (tmp_path / "with space#1.py").write_text(SOURCE)
    result = cli(tmp_path, "--output-format", "sarif", ".")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout.decode("utf-8"))
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {
        "evil%1B%5B31m%0A%3A%3Aerror%20file%3Dx.py%3A%3Apwned%0D.py",
        "caf%E9.py",
        "with%20space%231.py",
    }
    schema = _sarif_schema()
    if schema is None:
        pytest.skip("SARIF schema not available")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(log, json.loads(schema.read_text(encoding="utf-8")))


@pytest.mark.parametrize("fmt", ["full", "json", "sarif"])
def test_output_file_with_a_name_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    plant(tmp_path, (LATIN1_NAME,))
    result = cli(tmp_path, "--output-format", fmt, "-o", "report.txt", ".")
    assert result.returncode == 1, result.stderr
    text = (tmp_path / "report.txt").read_bytes().decode("utf-8")
    if fmt == "full":
        assert "caf\\xe9.py:8:12: FLH101" in text
    elif fmt == "json":
        assert {f["filename"] for f in json.loads(text)} == {"caf\\xe9.py"}
    else:
        location = json.loads(text)["runs"][0]["results"][0]["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "caf%E9.py"


# -- --diff ---------------------------------------------------------------------------------


def _diff(tmp_path: Path, names: tuple[str, ...]) -> tuple[Path, bytes]:
    project = tmp_path / "project"
    plant(project, names)
    result = cli(project, "--diff", "--unsafe-fixes", "--select", "FLH101", ".")
    assert result.returncode == 1, result.stderr
    return project, result.stdout


def _fixed_copy(tmp_path: Path, project: Path) -> Path:
    fixed = tmp_path / "fixed"
    shutil.copytree(project, fixed)
    subprocess.run(
        [*CLI, "--fix", "--unsafe-fixes", "--select", "FLH101", "."],
        cwd=fixed,
        capture_output=True,
        timeout=120,
    )
    return fixed


def _tree(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.suffix == ".py"}


def test_diff_quotes_hostile_names_like_git(tmp_path: Path) -> None:
    _, diff = _diff(tmp_path, (HOSTILE_NAME, LATIN1_NAME))
    headers = [line for line in diff.split(b"\n") if line.startswith((b"---", b"+++"))]
    assert sorted(headers) == sorted(
        [
            b'--- "a/evil\\033[31m\\n::error file=x.py::pwned\\r.py"',
            b'+++ "b/evil\\033[31m\\n::error file=x.py::pwned\\r.py"',
            b'--- "a/caf\\351.py"',
            b'+++ "b/caf\\351.py"',
        ]
    )


@pytest.mark.parametrize("tool", ["git", "patch"])
def test_diff_applies_with_hostile_names_and_content(tmp_path: Path, tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed")
    project, diff = _diff(tmp_path, (HOSTILE_NAME, LATIN1_NAME))
    expected = _tree(_fixed_copy(tmp_path, project))
    assert b"\x1b[2J" in diff  # the file's own bytes, so that the diff applies
    command = ["git", "apply", "-"] if tool == "git" else ["patch", "-p1", "--quiet"]
    applied = subprocess.run(command, cwd=project, input=diff, capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stderr
    assert _tree(project) == expected


def test_diff_of_a_file_with_form_feeds_applies(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    # Line 5, inside the hunk's context, is a form feed alone (old style page break).
    (project / "app.py").write_text(SOURCE.replace("\n\n\n@app.route", "\n\n\x0c\n@app.route"))
    result = cli(project, "--diff", "--unsafe-fixes", "--select", "FLH101", ".")
    assert result.returncode == 1, result.stderr
    assert b"\n \x0c\n" in result.stdout and b"No newline" not in result.stdout
    expected = _tree(_fixed_copy(tmp_path, project))
    applied = subprocess.run(
        ["patch", "-p1", "--quiet"], cwd=project, input=result.stdout, capture_output=True
    )
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert _tree(project) == expected


def test_diff_on_a_terminal_escapes_content(tmp_path: Path) -> None:
    project = tmp_path / "project"
    plant(project, (HOSTILE_NAME,))
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [*CLI, "--diff", "--unsafe-fixes", "--select", "FLH101", "."],
            cwd=project,
            stdout=terminal,
            stderr=subprocess.DEVNULL,
        )
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the process closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 1
    finally:
        os.close(controller)
    shown = b"".join(chunks).replace(b"\r\n", b"\n")  # the terminal's own line ends
    assert_inert(shown)
    assert b'-    return {"X-Frame-Options": "DENY\\x1b[2J"}' in shown
