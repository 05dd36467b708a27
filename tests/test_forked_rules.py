"""Sharing a group's rule pass with forked children (``parallel.forked_map``)."""

from __future__ import annotations

import os
import threading

import pytest

from flasklint_headers import parallel
from flasklint_headers.parallel import forked_map, split_allowances, split_chunks

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")


def test_chunks_cover_every_index_in_order_with_balanced_weight(monkeypatch) -> None:
    monkeypatch.setenv("FLASKLINT_SPLIT_MIN", "4")
    weights = [5, 1, 1, 1, 9, 1, 1, 1, 2, 3, 4, 1]
    chunks = split_chunks(weights, 3)
    assert len(chunks) == 3
    assert [i for chunk in chunks for i in chunk] == list(range(len(weights)))
    shares = [sum(weights[i] for i in chunk) for chunk in chunks]
    assert max(shares) <= sum(weights) // 3 + max(weights)


def test_one_chunk_when_small_or_not_allowed(monkeypatch) -> None:
    monkeypatch.delenv("FLASKLINT_SPLIT_MIN", raising=False)
    assert split_chunks([1] * (parallel.MIN_FILES_FOR_SPLIT - 1), 8) == [
        range(parallel.MIN_FILES_FOR_SPLIT - 1)
    ]
    assert split_chunks([1] * 1000, 1) == [range(1000)]
    assert split_chunks([], 4) == [range(0)]
    many = split_chunks([1] * parallel.MIN_FILES_FOR_SPLIT, 8)
    # At least half the minimum per process: no child for a handful of files.
    assert len(many) == 2


def test_every_chunk_non_empty_even_with_one_heavy_file(monkeypatch) -> None:
    monkeypatch.setenv("FLASKLINT_SPLIT_MIN", "2")
    chunks = split_chunks([1000, 1, 1, 1], 4)
    assert all(len(chunk) for chunk in chunks)
    assert [i for chunk in chunks for i in chunk] == [0, 1, 2, 3]


def test_only_the_dominant_group_may_split(monkeypatch) -> None:
    monkeypatch.delenv("FLASKLINT_JOBS", raising=False)
    monkeypatch.setattr(parallel, "available_cores", lambda: 4)
    groups = [[None] * 70, [None] * 20, [None] * 10]
    assert split_allowances(groups, None) == [4, 1, 1]
    assert split_allowances([[None] * 50, [None] * 50], None) == [1, 1]
    assert split_allowances(groups, 1) == [1, 1, 1]  # --jobs 1 means one process
    assert split_allowances(groups, 2) == [2, 1, 1]


@needs_fork
def test_results_come_back_in_chunk_order() -> None:
    parent = os.getpid()
    chunks = [range(0, 3), range(3, 5), range(5, 9)]
    results = forked_map(lambda chunk: (list(chunk), os.getpid()), chunks)
    assert [r[0] for r in results] == [[0, 1, 2], [3, 4], [5, 6, 7, 8]]
    assert results[0][1] == parent
    assert all(pid != parent for _, pid in results[1:])  # the others really ran in children


@needs_fork
def test_a_failing_child_is_redone_here() -> None:
    parent = os.getpid()

    def work(chunk: range) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return [i * 2 for i in chunk]

    assert forked_map(work, [range(2), range(2, 4)]) == [[0, 2], [4, 6]]


@needs_fork
def test_a_child_that_dies_is_redone_here() -> None:
    parent = os.getpid()

    def work(chunk: range) -> int:
        if os.getpid() != parent:
            os._exit(3)
        return sum(chunk)

    assert forked_map(work, [range(3), range(3, 6)]) == [3, 12]


@needs_fork
def test_no_fork_while_other_threads_run() -> None:
    parent = os.getpid()
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        results = forked_map(lambda chunk: os.getpid(), [range(1), range(1, 2)])
    finally:
        release.set()
        thread.join()
    assert results == [parent, parent]


@needs_fork
def test_an_error_here_leaves_no_child_behind(monkeypatch) -> None:
    parent = os.getpid()
    forked: list[int] = []
    real = parallel._fork_child

    def remembering(work, chunk):
        pid, reader = real(work, chunk)
        forked.append(pid)
        return pid, reader

    monkeypatch.setattr(parallel, "_fork_child", remembering)

    def work(chunk: range) -> None:
        if os.getpid() == parent:
            raise KeyError("parent trouble")
        import time

        time.sleep(30)

    with pytest.raises(KeyError):
        forked_map(work, [range(1), range(1, 2)])
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # killed and reaped
