"""Syntax trees kept between runs, for the files of a project that is being edited.

The result cache answers a link group only when none of its files changed, so
an edit in a project whose modules all import each other re-parses every one
of them: about 20 s on a 1,300-file project, on every pre-commit run that
names a file in it.  Parsing is most of that, and reading back a pickled
libcst tree costs about a seventh of parsing the source again.

So a tree is stored for the files that will be modelled again:

* files modelled as another file's project context (one-file and pre-commit
  runs, editors): every such run models them again;
* files of a group that is checked again after an edit (it had results in the
  cache): the project is being worked on.

A cold run over a whole tree stores none (writing costs about a quarter of
parsing, and nothing says the tree will be needed again).  Every cached run
looks for a stored tree before parsing.

One file per source path, named after the path and the versions of this tool,
libcst and Python, so the directory never grows past one tree per file; it
holds the content digest the tree was parsed from, and a tree whose digest is
not the file's current one is ignored.

A cache directory inside a checked-out repository is not to be trusted, so a
stored tree is used only when all of these hold (else the file is parsed as if
nothing was stored):

* it is a regular file, opened without following links (``cache_files.py``);
* its MAC, under the secret kept outside the repository (``cache_key.py``),
  covers the content digest and the compressed pickle: a planted or edited
  tree (an emptied module, say) is not authentic, and an authentic tree is
  only used for the content it was parsed from;
* it decompresses to at most ``32 * source size + 64 KiB`` (stored pickles are
  below 9x their source), checked while decompressing, so a zlib bomb stops there;
* the unpickler builds libcst's own syntax node classes only (their
  constructors store their fields and nothing else): a pickle cannot run code;
* the tree it builds is bounded (``_bounded``): at most ``16 * source size +
  4096`` nodes counted as a walk visits them (parsed trees hold under 1.3 per
  byte), no deeper than pickling could have written, without cycles, and with
  no node reachable twice except the whitespace and punctuation nodes the
  parser itself shares (``trivia.shared_node_types``).  So a tree that shares
  its own subtrees cannot make the rules' walks exponential.

The MAC alone keeps out trees nobody with the key wrote; the bounds keep a
tree that somehow verifies (a leaked key) from hanging the run or exhausting
memory.  Anything unexpected (a damaged, truncated or foreign file, a full
disk, a tree too deep to pickle) means parsing.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst
from libcst._maybe_sentinel import MaybeSentinel

from flasklint_headers import __version__
from flasklint_headers.cache import combine, prepare_cache_dir
from flasklint_headers.cache_files import (
    own_directory_problem,
    read_regular,
    remove_directory,
)
from flasklint_headers.cache_key import MAC_HEX_LENGTH, mac, verify
from flasklint_headers.trivia import shared_node_types

_MAGIC = b"flasklint-tree 2\n"
_MAC_PURPOSE = "tree"
# Bounds on what a stored tree may cost, per byte of its source (see the module docstring).
_PICKLE_BYTES_PER_SOURCE_BYTE = 32
_PICKLE_BYTES_SLACK = 64 * 1024
_NODES_PER_SOURCE_BYTE = 16
_NODES_SLACK = 4096


@dataclass(frozen=True)
class TreeSlot:
    """Where one file's tree lives, the content it must match, and whether to store it."""

    path: str
    digest: str
    store: bool
    # The cache's secret (``cache_key.py``): never shown in a repr or a traceback.
    key: bytes = field(default=b"", repr=False)


def tree_directory(cache_dir: Path) -> Path:
    """The trees of this tool, libcst and Python version (pickles are version-bound)."""
    return cache_dir / f"trees-{_version_tag()}"


def tree_slot(cache_dir: Path, location: str, digest: str, store: bool, key: bytes) -> TreeSlot:
    name = combine(location)  # one file per source path: the directory stays bounded
    return TreeSlot(str(tree_directory(cache_dir) / f"{name}.tree"), digest, store, key)


def remove_stale_directories(cache_dir: Path) -> None:
    """Drop trees of other versions (they can never be read again), never following a link."""
    current = tree_directory(cache_dir).name
    try:
        stale = [e.name for e in os.scandir(cache_dir) if e.name.startswith("trees-")]
    except OSError:
        return
    for name in stale:
        if name != current:
            remove_directory(cache_dir, name)


def load_tree(slot: TreeSlot, source_size: int) -> cst.Module | None:
    """The stored tree of the slot's file, if it is authentic, was parsed from the same
    content (of ``source_size`` bytes) and stays within the bounds."""
    if not slot.key:
        return None
    limit = _PICKLE_BYTES_PER_SOURCE_BYTE * source_size + _PICKLE_BYTES_SLACK
    # zlib can grow incompressible data a little; more than that is not ours.
    found = read_regular(slot.path, len(_MAGIC) + 256 + limit + limit // 64)
    if found is None:
        return None
    data = found[0]
    header = _MAGIC + slot.digest.encode("ascii") + b"\n"
    end = len(header) + MAC_HEX_LENGTH
    if not data.startswith(header) or data[end : end + 1] != b"\n":
        return None
    compressed = data[end + 1 :]
    if not verify(slot.key, _MAC_PURPOSE, header + compressed, data[len(header) : end]):
        return None
    try:
        pickled = _decompress(compressed, limit)
        tree = _NodeUnpickler(io.BytesIO(pickled)).load() if pickled is not None else None
    except Exception:  # damaged, truncated or foreign: parse instead
        return None
    if not isinstance(tree, cst.Module):
        return None
    node_limit = _NODES_PER_SOURCE_BYTE * source_size + _NODES_SLACK
    return tree if _bounded(tree, node_limit, sys.getrecursionlimit()) else None


def _decompress(data: bytes, limit: int) -> bytes | None:
    """``data`` decompressed, or None once it would exceed ``limit`` bytes (a zlib bomb)."""
    decompressor = zlib.decompressobj()
    out = decompressor.decompress(data, limit + 1)
    if len(out) > limit or decompressor.unconsumed_tail or not decompressor.eof:
        return None
    return out


def _bounded(tree: cst.Module, node_limit: int, depth_limit: int) -> bool:
    """The tree's walk visits at most ``node_limit`` nodes, at most ``depth_limit`` deep,
    and only trivia nodes are reachable twice (which also rules out cycles).

    Level by level with ``gc.get_referents`` (the node's fields, in C): this
    adds about a third to the unpickling (which is about a seventh of parsing).
    """
    walked, code_types = _node_types()
    seen: set[int] = set()
    level: list[object] = [tree]
    visited = 1
    for _ in range(depth_limit):
        referents = gc.get_referents(*level)
        level = [r for r in referents if type(r) in walked]
        visited += len(level)
        if visited > node_limit:
            return False
        if not level:
            return True
        code = [r for r in level if type(r) in code_types]
        before = len(seen)
        seen.update(map(id, code))
        if len(seen) - before != len(code):  # a node reached twice: a shared subtree
            return False
    return False


# Node fields hold sequences of nodes as tuples (the parser) or lists (a pickle may).
_SEQUENCES = (tuple, list)
_NODE_TYPES: tuple[frozenset[type], frozenset[type]] | None = None


def _node_types() -> tuple[frozenset[type], frozenset[type]]:
    """(what a walk descends into: node classes and sequences, the node classes that must
    not be reached twice: all but those the parser shares between places)."""
    global _NODE_TYPES
    if _NODE_TYPES is None:
        found: set[type] = set()
        pending: list[type] = [cst.CSTNode]
        while pending:
            for subclass in pending.pop().__subclasses__():
                if subclass not in found:
                    found.add(subclass)
                    pending.append(subclass)
        _NODE_TYPES = (
            frozenset(found | set(_SEQUENCES)),
            frozenset(found - set(shared_node_types())),
        )
    return _NODE_TYPES


def store_tree(slot: TreeSlot, tree: cst.Module) -> None:
    """Write the tree (call it before anything else holds the tree); never raises."""
    try:
        payload = zlib.compress(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL), 1)
    except (RecursionError, pickle.PicklingError, TypeError, ValueError):
        return  # too deep to pickle: this file is parsed every time
    if not slot.key:
        return
    header = _MAGIC + slot.digest.encode("ascii") + b"\n"
    tag = mac(slot.key, _MAC_PURPOSE, header + payload).encode("ascii") + b"\n"
    path = Path(slot.path)
    try:
        if own_directory_problem(path.parent) is not None:
            prepare_cache_dir(path.parent.parent)
            path.parent.mkdir(exist_ok=True)
            if own_directory_problem(path.parent) is not None:
                return  # a link or someone else's directory: never write through it
        fd, temporary = tempfile.mkstemp(prefix=".tree.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
                handle.write(tag)
                handle.write(payload)
            os.replace(temporary, path)  # readers see the old tree or the new one
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
    except OSError:  # read-only tree, full disk: nothing stored
        return


class _NodeUnpickler(pickle.Unpickler):
    """Builds libcst syntax nodes and nothing else."""

    def find_class(self, module: str, name: str) -> type:
        if module.startswith("libcst._nodes.") or (
            module == "libcst._maybe_sentinel" and name == "MaybeSentinel"
        ):
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                found is MaybeSentinel or issubclass(found, cst.CSTNode)
            ):
                return found
        raise pickle.UnpicklingError(f"not a syntax node class: {module}.{name}")


_VERSION_TAG: str | None = None


def _version_tag() -> str:
    global _VERSION_TAG
    if _VERSION_TAG is None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            libcst_version = version("libcst")
        except PackageNotFoundError:
            libcst_version = "unknown"
        _VERSION_TAG = combine(__version__, libcst_version, sys.version)[:16]
    return _VERSION_TAG
