"""The relevance filter and the process pool never change results.

The whole fixture suite (every rule fixture and every multi-file project) is
checked as one tree: once as a single project of every file with the filter
off, once filtered and split into link groups; the findings must be identical.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixture_support import FIXTURES, is_golden, settings_for

from flasklint_headers.discovery import iter_python_files
from flasklint_headers.runner import RunOptions, check_paths

_SETTINGS_CACHE: dict[Path, object] = {}


def _settings(path: Path):
    found = _SETTINGS_CACHE.get(path)
    if found is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        found = settings_for(path, text)  # project files: every rule, as in test_fixtures
        _SETTINGS_CACHE[path] = found
    return found


def _fixture_files() -> list[Path]:
    # Dot files are other tests' temporary copies.
    return [
        p for p in iter_python_files([FIXTURES]) if not is_golden(p) and not p.name.startswith(".")
    ]


def _run(files: list[Path], **options) -> list[tuple]:
    reports = check_paths(files, _settings, options=RunOptions(use_cache=False, **options))
    return [
        (r.display_name, f.code, f.location, f.end_location, f.message, f.fix)
        for r in reports
        for f in r.findings
    ]


@pytest.fixture(scope="module")
def unfiltered() -> list[tuple]:
    return _run(_fixture_files(), relevance_filter=False, jobs=1)


def test_filter_on_equals_filter_off(unfiltered: list[tuple]) -> None:
    assert unfiltered, "the fixture suite must produce findings"
    assert _run(_fixture_files(), relevance_filter=True, jobs=1) == unfiltered


def test_pool_equals_serial() -> None:
    """The multi-file projects side by side: several link groups, checked in two workers."""
    files = [p for p in _fixture_files() if "projects" in p.relative_to(FIXTURES).parts]
    serial = _run(files, relevance_filter=False, jobs=1)
    assert serial
    assert _run(files, relevance_filter=True, jobs=2) == serial


def test_forked_rule_pass_equals_serial(unfiltered: list[tuple], monkeypatch) -> None:
    """The whole suite as one group whose rule pass is shared by forked children."""
    import flasklint_headers.parallel as parallel

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    splits: list[int] = []
    real = parallel.forked_map

    def counting(work, chunks):
        splits.append(len(chunks))
        return real(work, chunks)

    monkeypatch.setattr(parallel, "forked_map", counting)
    monkeypatch.setenv("FLASKLINT_SPLIT_MIN", "2")
    assert _run(_fixture_files(), relevance_filter=False, jobs=3) == unfiltered
    assert max(splits) == 3
