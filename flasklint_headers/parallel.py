"""Check link groups on every core.

A link group (``relevance.link_groups``) is a set of files that refer to each
other; groups never do, so each one is parsed, modelled and checked on its own,
in a worker, with the same results as in one process.  What crosses process
boundaries is plain data: the decoded ``SourceFile``, its ``Settings`` and where
its stored tree lives (``Member``) go in, ``FileReport``s (findings are
dataclasses) come out - never libcst trees.

The model makes this safe: every question that searches beyond names
("the only app", "any ``init_app``") searches the modules linked to the asking
one (``ProjectModel.linked_modules``), never the whole run, so a group gives
the same answers alone as together with unrelated groups.  Serial runs check
the groups one after another too (only one group's trees in memory at a time).

Small runs stay in the main process: starting workers costs more than a few
files (a one-file pre-commit run must start fast).

A worker that dies (a crash in native code; ``parsing.py`` refuses the inputs
known to cause one) breaks the whole pool: every group not yet finished is
checked again, each in a fresh worker of its own, and a group whose worker
dies again gets one FLH001 per file.  The other groups keep their results.

Inside a group, the rule pass can use idle cores too (``forked_map``): once the
group is parsed and modelled, forked children share the trees and the model
copy-on-write and each checks a share of the files.  That matters when one
group holds most of a project (packages that import each other): without it
the other cores sit idle while that group is checked.

Workers never import anything from the checked tree.  CI runs the linter at
the root of an untrusted checkout, and a fresh interpreter (``spawn`` runs
``python -c``) puts its working directory first on ``sys.path``: a planted
``multiprocessing/`` or ``libcst/`` there would run in every worker.  So on
POSIX the pool *forks* (``fork`` start method): a worker is a copy of this
process, with its modules already imported and nothing looked up again.  A
forked copy of a process with other threads may deadlock (Python 3.12 warns
about it); the executor forks all its workers before it starts its own
thread, and the pool forks only while this process runs a single thread.
Otherwise (Windows, or threads running) workers are spawned with
``PYTHONSAFEPATH=1`` (Python 3.11+), so that their interpreter puts nothing
before the installation on ``sys.path``; they then take this process's
``sys.path``, from which ``__main__`` has dropped the working directory.  On
Python 3.10 without ``fork`` the run stays serial: same results, one core.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, TypeVar

from flasklint_headers.timing import Timings

if TYPE_CHECKING:
    from flasklint_headers.config import Settings
    from flasklint_headers.runner import FileReport
    from flasklint_headers.source import SourceFile
    from flasklint_headers.tree_cache import TreeSlot


@dataclass(frozen=True)
class Member:
    """One file of a link group, as a worker needs it."""

    source: SourceFile
    settings: Settings
    # Modelled for the other files' sake (``RunOptions.project_context``), never checked.
    context: bool = False
    # Its stored syntax tree (``tree_cache.py``); None: always parse.
    tree: TreeSlot | None = None


Group = Sequence[Member]

# Below this many files to parse, a pool costs more than it saves.
MIN_FILES_FOR_POOL = 50
# A group's rule pass is shared with forked children from this many files on
# (``FLASKLINT_SPLIT_MIN`` overrides it, so tests can split small groups).
MIN_FILES_FOR_SPLIT = 200

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(groups: Sequence[Group], jobs: int | None) -> int:
    """How many workers to start (1 = stay serial)."""
    files = sum(len(g) for g in groups)
    jobs = _jobs_from_env(jobs)  # the variable is for benchmarks and CI tuning
    if jobs is not None:
        return max(1, min(jobs, len(groups)))
    if files < MIN_FILES_FOR_POOL or len(groups) < 2:
        return 1
    return max(1, min(available_cores(), len(groups)))


def _jobs_from_env(jobs: int | None) -> int | None:
    if jobs is None and os.environ.get("FLASKLINT_JOBS", "").isdigit():
        return int(os.environ["FLASKLINT_JOBS"])
    return jobs


def split_allowances(groups: Sequence[Group], jobs: int | None) -> list[int]:
    """How many processes may share each group's rule pass.

    Only a group holding most of the files to parse may split: its rule pass
    starts after its long parse, when the other groups are done and their
    cores idle.  Splitting every group would only crowd the cores.
    """
    jobs = _jobs_from_env(jobs)
    cores = available_cores() if jobs is None else max(1, jobs)
    total = sum(len(g) for g in groups)
    return [cores if cores > 1 and 2 * len(g) > total else 1 for g in groups]


def _split_minimum() -> int:
    value = os.environ.get("FLASKLINT_SPLIT_MIN", "")
    return int(value) if value.isdigit() else MIN_FILES_FOR_SPLIT


def split_chunks(weights: Sequence[int], allowance: int) -> list[range]:
    """Consecutive index ranges of about equal weight, one per process (at most ``allowance``)."""
    count = len(weights)
    minimum = _split_minimum()
    parts = 1
    if allowance > 1 and count >= minimum and hasattr(os, "fork"):
        parts = max(1, min(allowance, count // max(1, minimum // 2), count))
    if parts == 1:
        return [range(count)]
    total = sum(weights) or 1
    bounds = [0]
    running = 0
    for index, weight in enumerate(weights):
        running += weight
        # Close a chunk once it reaches its share (never leaving later chunks empty).
        reached_share = running * parts >= total * len(bounds)
        if len(bounds) < parts and reached_share and count - (index + 1) >= parts - len(bounds):
            bounds.append(index + 1)
    bounds.append(count)
    return [range(a, b) for a, b in itertools.pairwise(bounds) if b > a]


def forked_map(work: Callable[[range], R], chunks: Sequence[range]) -> list[R]:
    """``work(chunk)`` for every chunk: the first here, the others in forked children.

    Children see this process's memory as it is (trees and model included) and
    send back the pickled result.  A child that fails, or any setting where
    forking is unsafe (no ``fork``, other threads running), falls back to
    running that chunk here, so the results never depend on how it ran.
    """
    if len(chunks) <= 1 or not hasattr(os, "fork") or threading.active_count() > 1:
        return [work(chunk) for chunk in chunks]
    pending: list[tuple[int, int, range]] = []
    try:
        for chunk in chunks[1:]:
            pending.append((*_fork_child(work, chunk), chunk))
        results = [work(chunks[0])]
        while pending:
            pid, reader, chunk = pending.pop(0)
            results.append(_collect_child(pid, reader, work, chunk))
        return results
    finally:
        for pid, reader, _ in pending:  # only after an error here: leave no child behind
            _abandon_child(pid, reader)


def start_in_child(work: Callable[[], None]) -> int | None:
    """Start ``work()`` in a forked child and return its pid (for ``wait_for_child``).

    None when forking is unsafe (no ``fork``, other threads running): the caller
    does the work itself.  The child shares this process's memory as it is now.
    """
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # child: never return into the caller's code
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


def wait_for_child(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _fork_child(work: Callable[[range], R], chunk: range) -> tuple[int, int]:
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into the caller's code
        status = 1
        try:
            os.close(reader)
            payload = pickle.dumps(work(chunk), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _collect_child(pid: int, reader: int, work: Callable[[range], R], chunk: range) -> R:
    with os.fdopen(reader, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        try:
            return pickle.loads(payload)  # our own child's output
        except Exception:
            pass
    return work(chunk)


def _abandon_child(pid: int, reader: int) -> None:
    import signal

    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    os.close(reader)
    with contextlib.suppress(OSError):
        os.waitpid(pid, 0)


def _check_one(
    group: Group, timings_enabled: bool, split: int = 1
) -> tuple[list[FileReport], Timings]:
    """Worker entry point (top level so that a spawned worker can import it)."""
    from flasklint_headers.depth import recursion_room
    from flasklint_headers.runner import check_group

    timings = Timings(enabled=timings_enabled)
    with recursion_room():  # a spawned worker starts with the default limit
        reports = check_group(
            [m.source for m in group],
            [m.settings for m in group],
            timings,
            split,
            context=[m.context for m in group],
            trees=[m.tree for m in group],
        )
    for report in reports:
        report.source = None  # the main process has it; don't ship it back
    return reports, timings


def pool_start_method() -> str | None:
    """How workers start without importing from the checked tree (module docstring);
    None: no safe way, check serially."""
    if "fork" in get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    if sys.version_info >= (3, 11):
        return "spawn"  # with PYTHONSAFEPATH (``_safe_path_for_children``)
    return None


@contextlib.contextmanager
def _safe_path_for_children(method: str) -> Iterator[None]:
    """While spawning: children's interpreters put no directory of theirs on ``sys.path``."""
    if method == "fork":
        yield
        return
    previous = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PYTHONSAFEPATH", None)
        else:
            os.environ["PYTHONSAFEPATH"] = previous


def _pool_results(
    groups: Sequence[Group], splits: Sequence[int], workers: int, method: str, timings: Timings
) -> list[tuple[list[FileReport], Timings]]:
    # Largest groups first so that one big group does not start last.
    order = sorted(range(len(groups)), key=lambda i: -len(groups[i]))
    slots: list[tuple[list[FileReport], Timings] | None] = [None] * len(groups)
    context: BaseContext = get_context(method)
    # The environment stays set until the pool is shut down: a spawning executor
    # may start a worker whenever work is submitted.
    with (
        _safe_path_for_children(method),
        ProcessPoolExecutor(workers, mp_context=context) as pool,
    ):
        futures = {i: pool.submit(_check_one, groups[i], timings.enabled, splits[i]) for i in order}
        for index, future in futures.items():
            with contextlib.suppress(BrokenProcessPool):  # retried below
                slots[index] = future.result()
    for index in order:
        if slots[index] is None:
            # A worker died (a crash in native code takes the whole pool with it):
            # every unfinished group is checked again, each in a worker of its own.
            slots[index] = _check_in_own_worker(
                groups[index], timings.enabled, splits[index], method
            )
    return [slot for slot in slots if slot is not None]


def _check_in_own_worker(
    group: Group, timings_enabled: bool, split: int, method: str
) -> tuple[list[FileReport], Timings]:
    """``_check_one`` in a fresh worker; if that one dies too, one FLH001 per file."""
    with (
        _safe_path_for_children(method),
        ProcessPoolExecutor(1, mp_context=get_context(method)) as pool,
    ):
        future = pool.submit(_check_one, group, timings_enabled, split)
        try:
            return future.result()
        except BrokenProcessPool:
            return _worker_died(group), Timings(enabled=timings_enabled)


def _worker_died(group: Group) -> list[FileReport]:
    """Reports for a group whose worker died twice: which of its files did it is unknown."""
    from flasklint_headers.findings import diagnostic
    from flasklint_headers.runner import FileReport

    others = len(group) - 1
    linked = f" or one of the {others} files linked to it" if others else ""
    message = f"cannot analyse this file: the process checking it{linked} crashed"
    return [
        FileReport(
            member.source.display_name,
            [diagnostic("FLH001", "syntax-error", member.source.display_name, message)],
            failed=True,
        )
        for member in group
    ]


def check_groups(
    groups: Sequence[Group], jobs: int | None, timings: Timings
) -> list[list[FileReport]]:
    """Reports per group, in the order of ``groups`` (identical to a serial run)."""
    workers = worker_count(groups, jobs)
    splits = split_allowances(groups, jobs)
    method = pool_start_method() if workers > 1 else None
    if method is None:
        workers = 1
        results = [
            _check_one(group, timings.enabled, split)
            for group, split in zip(groups, splits, strict=True)
        ]
    else:
        results = _pool_results(groups, splits, workers, method, timings)
    timings.count("workers", workers)
    for _, worker_timings in results:
        timings.merge(worker_timings)
    return [reports for reports, _ in results]
