"""Attacks from the second adversarial review of issue #16 that got through, run end to end.

Each test plants what a hostile repository could commit and runs the real CLI
(``python -m flasklint_headers`` in a subprocess) on it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from flasklint_headers.cache import _FACTS_FILE_NAME, _FILE_NAME, _MAC_PREFIX
from tests.samples import DICT_RETURNED_AS_HEADERS

CLI = (sys.executable, "-m", "flasklint_headers", "--output-format", "concise")

# Under the cache's 512 MiB cap on a file it reads, so the size check alone does not refuse it.
_PLANTED_BYTES = 400 * 1024 * 1024
# A run that reads the planted file whole needs more than its size; one that does not, far less.
_PEAK_MEMORY_BOUND_BYTES = 250 * 1024 * 1024


def _run_measured(cwd: Path) -> tuple[int, str, int]:
    """Exit code, stdout and the peak resident memory (bytes) of one CLI run."""
    with subprocess.Popen(
        [*CLI, "."], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        stdout = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, stdout, usage.ru_maxrss * 1024  # kilobytes on Linux


def test_planted_huge_cache_file_without_a_valid_mac_is_not_held_in_memory(
    tmp_path: Path,
) -> None:
    """A committed ``.flasklint_cache`` holding results and facts files just under
    the size cap, each with a well-formed (but forged) MAC line: the attacker has
    no key, so the MAC fails, and finding that out must not cost their size in
    memory (git stores such a file of zeros in well under a megabyte)."""
    project = tmp_path / "project"
    cache = project / ".flasklint_cache"
    cache.mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'victim'\n")
    (project / "app.py").write_text(DICT_RETURNED_AS_HEADERS)
    baseline = subprocess.run(
        [*CLI, "--no-cache", "."], cwd=project, capture_output=True, text=True, timeout=120
    )
    for name in (_FILE_NAME, _FACTS_FILE_NAME):
        with (cache / name).open("wb") as planted:
            planted.write(_MAC_PREFIX + b"0" * 64 + b"\n{")
            planted.truncate(_PLANTED_BYTES)  # sparse: costs the test no disk
    returncode, stdout, peak = _run_measured(project)
    assert (returncode, stdout) == (baseline.returncode, baseline.stdout)
    assert peak < _PEAK_MEMORY_BOUND_BYTES, f"peak memory {peak / 2**20:.0f} MiB"
