"""A cache planted in the checked repository: the real CLI on it, end to end (issue #16).

The attacker commits ``.flasklint_cache`` (or poisons a shared CI cache).  They
know the tool, its file formats and the repository's content, and run the tool
themselves - under their own key, never the victim's.  Every run here is the CLI
in a subprocess; the victim's key file lives in the session's tmp dir (conftest).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import stat
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import libcst as cst
import pytest
from samples import HEADER_WRITTEN_TWICE

from flasklint_headers import tree_cache
from flasklint_headers.cache import combine, content_hash

VIEW = HEADER_WRITTEN_TWICE
README = "# The project\n\nPlease do not delete me.\n"
ATTACKER_SECRET = "the-attacker-runs-the-tool-too-0123456789"
WARNING = "flasklint-headers: warning: cache not used"
# Generous: a normal run takes seconds; the attacks hang for ever on today's main.
TIMEOUT = 120


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'victim'\n")
    (root / "README.md").write_text(README)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "app.py").write_text(VIEW)
    (root / "pkg" / "util.py").write_text("def add(a, b):\n    return a + b\n")
    return root


def _cli(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "--output-format", "concise", *args, "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


def _as_attacker(root: Path, *args: str) -> None:
    result = _cli(root, *args, env={"FLASKLINT_CACHE_KEY": ATTACKER_SECRET})
    assert result.returncode in (0, 1), result.stderr


def _expected(root: Path) -> str:
    baseline = _cli(root, "--no-cache")
    assert "FLH104" in baseline.stdout
    return baseline.stdout


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


# -- the attacker's tools: rewrite a cache file the tool wrote, re-signed with their key -----
def _attacker_mac(purpose: str, data: bytes) -> bytes:
    key = hashlib.blake2b(ATTACKER_SECRET.encode(), digest_size=32).digest()
    digest = hashlib.blake2b(key=key, digest_size=32)
    digest.update(purpose.encode() + b"\0" + data)
    return digest.hexdigest().encode()


def _tamper_json(path: Path, change: Callable[[dict], None]) -> None:
    raw = path.read_bytes()
    signed = raw.startswith(b"flasklint-cache-mac ")
    body = raw.partition(b"\n")[2] if signed else raw
    data = json.loads(body)
    change(data)
    body = json.dumps(data).encode()
    if signed:
        body = b"flasklint-cache-mac " + _attacker_mac(path.name, body) + b"\n" + body
    path.write_bytes(body)


def _tree_file(root: Path, name: str) -> Path:
    source = root / "pkg" / name
    return tree_cache.tree_directory(root / ".flasklint_cache") / f"{combine(str(source))}.tree"


def _plant_tree(root: Path, name: str, compressed: bytes) -> None:
    """A tree file for ``pkg/<name>`` holding ``compressed`` (a zlib stream of a pickle)."""
    path = _tree_file(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    magic = getattr(tree_cache, "_MAGIC")  # noqa: B009 - the attacker reads the source too
    header = magic + content_hash((root / "pkg" / name).read_bytes()).encode() + b"\n"
    if magic == b"flasklint-tree 1\n":
        path.write_bytes(header + compressed)
    else:
        mac = _attacker_mac("tree", header + compressed)
        path.write_bytes(header + mac + b"\n" + compressed)


def _only_trees_committed(root: Path) -> None:
    for planted in (root / ".flasklint_cache").glob("*.json"):
        planted.unlink()  # the attack is the tree: results would answer before it is read


# -- item 2: links ------------------------------------------------------------------------------
def test_a_trees_link_to_the_repository_root_deletes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    expected = _expected(root)
    cache = root / ".flasklint_cache"
    cache.mkdir()
    (cache / "trees-0000000000000000").symlink_to("../")
    result = _cli(root)
    assert (root / "README.md").read_text() == README
    assert (root / "pkg" / "app.py").read_text() == VIEW
    assert result.stdout == expected
    assert result.stderr.count(WARNING) == 1, result.stderr
    assert "is a symbolic link" in result.stderr


def test_a_linked_cache_directory_leaves_its_target_untouched(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    expected = _expected(root)
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "results-v1.json").write_text("{}")  # named like an old schema's file
    (target / "facts-v2.json").write_text("{}")
    (target / "notes.txt").write_text("mine")
    before = _snapshot(target)
    (root / ".flasklint_cache").symlink_to(target)
    first, second = _cli(root), _cli(root)
    assert _snapshot(target) == before
    for result in (first, second):
        assert result.stdout == expected
        assert result.stderr.count(WARNING) == 1, result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (chown)")
def test_a_cache_directory_of_another_user_is_not_used(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    expected = _expected(root)
    cache = root / ".flasklint_cache"
    cache.mkdir()
    os.chown(cache, 12345, 12345)
    result = _cli(root)
    assert result.stdout == expected
    assert result.stderr.count(WARNING) == 1 and "another user" in result.stderr
    assert list(cache.iterdir()) == []  # nothing written into someone else's directory


# -- item 3: planted content --------------------------------------------------------------------
def test_a_planted_cache_with_emptied_findings_changes_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    expected = _expected(root)
    _as_attacker(root)
    results = next((root / ".flasklint_cache").glob("results-v*.json"))

    def empty_findings(data: dict) -> None:
        for entry in data["results"].values():
            entry[1] = []

    _tamper_json(results, empty_findings)
    first, second = _cli(root), _cli(root)
    assert first.stdout == second.stdout == expected
    assert WARNING not in first.stderr  # a foreign cache is simply not used: no noise


def test_a_planted_stat_entry_cannot_claim_other_content(tmp_path: Path) -> None:
    """The attacker's cache describes a harmless app.py; the stats shortcut says it is unchanged."""
    root = _repo(tmp_path)
    app = root / "pkg" / "app.py"
    harmless = VIEW.replace('"SAMEORIGIN"', '"DENY"').replace(
        '    resp.headers["X-Frame-Options"] = "DENY"\n', "", 1
    )
    app.write_text(harmless)
    assert "FLH104" not in _cli(root, "--no-cache").stdout
    _as_attacker(root)
    old_digest = content_hash(harmless.encode())
    app.write_text(VIEW)
    expected = _expected(root)
    now = app.stat()
    signature = [now.st_size, now.st_ino, now.st_mtime_ns, now.st_ctime_ns, old_digest]
    results = next((root / ".flasklint_cache").glob("results-v*.json"))
    _tamper_json(results, lambda data: data["stats"].update({str(app): signature}))
    assert _cli(root).stdout == expected


def _stored_trees(root: Path) -> None:
    """The attacker lets the tool store the project's trees (an edited project stores them)."""
    _as_attacker(root)
    with (root / "pkg" / "app.py").open("a") as handle:
        handle.write("# edited\n")
    _as_attacker(root)
    assert _tree_file(root, "app.py").exists()


def test_a_planted_empty_module_tree_hides_nothing(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _stored_trees(root)
    expected = _expected(root)
    empty = pickle.dumps(cst.Module(body=[]), protocol=pickle.HIGHEST_PROTOCOL)
    _plant_tree(root, "app.py", zlib.compress(empty))
    _only_trees_committed(root)
    assert _cli(root).stdout == expected


def _self_sharing_module(levels: int) -> cst.Module:
    """``x + x`` where each ``x`` is the level below: tiny as a pickle, 2**levels as a tree."""
    expression: cst.BaseExpression = cst.Name("x")
    for _ in range(levels):
        expression = cst.BinaryOperation(expression, cst.Add(), expression)
    line = cst.SimpleStatementLine([cst.Expr(expression)])
    return cst.Module(body=[line])


def test_a_self_sharing_tree_cannot_hang_the_run(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _stored_trees(root)
    expected = _expected(root)
    bomb = pickle.dumps(_self_sharing_module(80), protocol=pickle.HIGHEST_PROTOCOL)
    _plant_tree(root, "app.py", zlib.compress(bomb))
    _only_trees_committed(root)
    assert _cli(root).stdout == expected  # within TIMEOUT, or subprocess raises


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("where", ["results", "tree"])
def test_a_fifo_named_like_a_cache_file_cannot_block_the_run(tmp_path: Path, where: str) -> None:
    root = _repo(tmp_path)
    expected = _expected(root)
    if where == "results":
        _as_attacker(root)
        path = next((root / ".flasklint_cache").glob("results-v*.json"))
        path.unlink()
    else:
        path = _tree_file(root, "app.py")
        path.parent.mkdir(parents=True)
    os.mkfifo(path)
    result = _cli(root)  # a reader opening a FIFO waits for a writer: TIMEOUT
    assert result.stdout == expected
    assert stat.S_ISFIFO(os.lstat(path).st_mode)  # left alone, not read
    if where == "results":
        assert result.stderr.count(WARNING) == 1 and "not a regular file" in result.stderr


_PEAK_RSS = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _zlib_bomb(size: int) -> bytes:
    """About ``size`` zero bytes compressed (1 GiB: about 1 MB)."""
    compressor = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [compressor.compress(chunk) for _ in range(size >> 20)]
    return b"".join(parts) + compressor.flush()


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB on Linux")
def test_a_zlib_bomb_tree_keeps_memory_bounded(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _stored_trees(root)
    expected = _expected(root)
    _plant_tree(root, "app.py", _zlib_bomb(1 << 30))
    _only_trees_committed(root)
    command = [sys.executable, "-m", "flasklint_headers", "--output-format", "concise", "."]
    peak = subprocess.run(
        [sys.executable, "-c", _PEAK_RSS, *command],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        check=True,
    )
    peak_mib = int(peak.stdout) / 1024
    assert peak_mib < 400, f"peak RSS {peak_mib:.0f} MiB"  # a decompressed bomb is 1 GiB
    assert _cli(root).stdout == expected
