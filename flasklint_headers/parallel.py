"""Check link groups on every core.

A link group (``relevance.link_groups``) is a set of files that refer to each
other; groups never do, so each one is parsed, modelled and checked on its own,
in a worker, with the same results as in one process.  What crosses process
boundaries is plain data: the decoded ``SourceFile`` and its ``Settings`` go
in, ``FileReport``s (findings are dataclasses) come out - never libcst trees.

One known difference from a single process: the model's fallback "an app
owner it cannot resolve belongs to the project's only app" counts the apps of
the group, not of the whole run, so in a run with several independent apps a
group holding one app may attribute such an owner to it where a one-process
run (several apps) would not.  Serial runs therefore model all selected files
as one project.

Small runs stay in the main process: starting workers costs more than a few
files (a one-file pre-commit run must start fast).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING

from flasklint_headers.timing import Timings

if TYPE_CHECKING:
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import FileReport
    from flasklint_headers.source import SourceFile

Group = Sequence[tuple["SourceFile", "Settings"]]

# Below this many files to parse, a pool costs more than it saves.
MIN_FILES_FOR_POOL = 50


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(groups: Sequence[Group], jobs: int | None) -> int:
    """How many workers to start (1 = stay serial)."""
    files = sum(len(g) for g in groups)
    if jobs is None and os.environ.get("FLASKLINT_JOBS", "").isdigit():
        jobs = int(os.environ["FLASKLINT_JOBS"])  # for benchmarks and CI tuning
    if jobs is not None:
        return max(1, min(jobs, len(groups)))
    if files < MIN_FILES_FOR_POOL or len(groups) < 2:
        return 1
    return max(1, min(available_cores(), len(groups)))


def _check_one(group: Group, timings_enabled: bool) -> tuple[list[FileReport], Timings]:
    """Worker entry point (top level so that ``spawn`` can import it)."""
    from flasklint_headers.runner import check_group

    timings = Timings(enabled=timings_enabled)
    reports = check_group([s for s, _ in group], [c for _, c in group], timings)
    for report in reports:
        report.source = None  # the main process has it; don't ship it back
    return reports, timings


def check_groups(
    groups: Sequence[Group], jobs: int | None, timings: Timings
) -> list[list[FileReport]]:
    """Reports per group, in the order of ``groups`` (identical to a serial run)."""
    workers = worker_count(groups, jobs)
    if workers <= 1:
        results = [_check_one(group, timings.enabled) for group in groups]
    else:
        # Largest groups first so that one big group does not start last.
        order = sorted(range(len(groups)), key=lambda i: -len(groups[i]))
        slots: list[tuple[list[FileReport], Timings] | None] = [None] * len(groups)
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            futures = {i: pool.submit(_check_one, groups[i], timings.enabled) for i in order}
            for index, future in futures.items():
                slots[index] = future.result()
        results = [slot for slot in slots if slot is not None]
    timings.count("workers", workers)
    for _, worker_timings in results:
        timings.merge(worker_timings)
    return [reports for reports, _ in results]
