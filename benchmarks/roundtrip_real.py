"""Fix round trip over real Flask packages (run on demand, not in CI).

    python benchmarks/roundtrip_real.py                 # copies /tmp/realflask/src
    python benchmarks/roundtrip_real.py --source DIR    # any tree of Python files
    python benchmarks/roundtrip_real.py --download      # pinned wheels from PyPI

Runs ``flasklint-headers --fix --unsafe-fixes`` over a copy and checks that
every changed file still compiles, exactly the files ``--diff`` announced
changed, files without fixes are byte-identical, permissions, BOM and line
endings are kept, and a second run changes nothing. Prints a summary and exits
1 when a check fails.
"""

from __future__ import annotations

import argparse
import codecs
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PINNED = [
    "httpbin==0.10.4",
    "flask-appbuilder==5.3.0",
    "mlflow==3.18.0",
    "flask-security-too==5.9.2",
    "flask-admin==2.2.1",
]
DEFAULT_SOURCE = Path("/tmp/realflask/src")


@dataclass(frozen=True)
class Snapshot:
    data: bytes
    mode: int


@dataclass
class Summary:
    files: int = 0
    changed: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def snapshot(root: Path) -> dict[Path, Snapshot]:
    files = {}
    for path in sorted(root.rglob("*.py")):
        if path.is_file() and not path.is_symlink():
            files[path.relative_to(root)] = Snapshot(
                path.read_bytes(), stat.S_IMODE(path.lstat().st_mode)
            )
    return files


def run_tool(root: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    command = [sys.executable, "-m", "flasklint_headers", "--no-cache", *args, "."]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=root, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr:
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"the tool failed: {' '.join(args)} (exit {result.returncode})")
    return result, elapsed


def announced_by_diff(output: str) -> set[Path]:
    return {Path(m) for m in re.findall(r"^\+\+\+ b/(.+?)\s*$", output, re.MULTILINE)}


def newline_kinds(data: bytes) -> Counter[str]:
    crlf = data.count(b"\r\n")
    return Counter({"crlf": crlf, "lf": data.count(b"\n") - crlf, "cr": data.count(b"\r") - crlf})


def endings_kept(before: bytes, after: bytes) -> bool:
    """No line-ending kind appears that the file did not use, and a mixed file stays mixed."""
    old, new = newline_kinds(before), newline_kinds(after)
    new_kinds = {k for k, n in new.items() if n}
    old_kinds = {k for k, n in old.items() if n}
    return new_kinds <= old_kinds or not old_kinds


def check_changed(path: Path, rel: Path, before: Snapshot, summary: Summary) -> None:
    after = path.read_bytes()
    try:
        compile(after, str(rel), "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        summary.problems.append(f"{rel}: does not compile after fixing: {exc}")
    if before.data.startswith(codecs.BOM_UTF8) != after.startswith(codecs.BOM_UTF8):
        summary.problems.append(f"{rel}: BOM added or lost")
    if not endings_kept(before.data, after):
        summary.problems.append(f"{rel}: line endings changed")
    if stat.S_IMODE(path.lstat().st_mode) != before.mode:
        summary.problems.append(f"{rel}: permissions changed")


def round_trip(copy: Path) -> Summary:
    summary = Summary()
    before = snapshot(copy)
    summary.files = len(before)
    diff, summary.seconds["diff"] = run_tool(copy, "--diff", "--unsafe-fixes")
    announced = announced_by_diff(diff.stdout)
    fixed, summary.seconds["fix"] = run_tool(copy, "--fix", "--unsafe-fixes")
    summary.notes = [line for line in fixed.stderr.splitlines() if line.strip()]
    after = snapshot(copy)
    if set(after) != set(before):
        summary.problems.append(f"files appeared or vanished: {sorted(set(after) ^ set(before))}")
    changed = {rel for rel in before if rel in after and after[rel].data != before[rel].data}
    summary.changed = len(changed)
    for rel in sorted(changed):
        check_changed(copy / rel, rel, before[rel], summary)
    if changed != announced:
        summary.problems.append(
            f"--diff announced {len(announced)} files, --fix changed {len(changed)}: "
            f"{sorted(map(str, changed ^ announced))[:10]}"
        )
    _, summary.seconds["second fix"] = run_tool(copy, "--fix", "--unsafe-fixes")
    again = snapshot(copy)
    moved = [rel for rel in after if again.get(rel) != after[rel]]
    if moved:
        summary.problems.append(f"a second --fix changed {len(moved)} files: {moved[:10]}")
    return summary


def download(target: Path) -> Path:
    wheels = target / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(wheels), *PINNED],
        check=True,
    )
    src = target / "src"
    for wheel in sorted(wheels.iterdir()):
        if wheel.suffix == ".whl":
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(src / wheel.stem)
    return src


def report(summary: Summary, fixed_stdout_tail: str = "") -> None:
    print(f"files checked:          {summary.files}")
    print(f"files changed by --fix: {summary.changed}")
    for stage, seconds in summary.seconds.items():
        print(f"time {stage + ':':<18}{seconds:6.1f} s")
    print(f"notes from the fixer:   {len(summary.notes)}")
    for note in summary.notes[:20]:
        print(f"  {note}")
    print(f"problems:               {len(summary.problems)}")
    for problem in summary.problems:
        print(f"  {problem}")
    if fixed_stdout_tail:
        print(fixed_stdout_tail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--download", action="store_true", help="pip download the pinned wheels")
    parser.add_argument("--keep", action="store_true", help="keep the fixed copy")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="flasklint-roundtrip-"))
    try:
        source = download(work) if args.download else args.source
        if not source.is_dir():
            raise SystemExit(f"{source} does not exist (use --download)")
        copy = work / "copy"
        shutil.copytree(source, copy, symlinks=True)
        summary = round_trip(copy)
        report(summary)
        if args.keep:
            print(f"fixed copy kept in {copy}")
        return 1 if summary.problems else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    raise SystemExit(main())
