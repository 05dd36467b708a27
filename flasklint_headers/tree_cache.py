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

Pickle can run code, and a cache directory inside a checked-out repository is
not to be trusted, so the trees are read by an unpickler that can only build
libcst's own syntax node classes (whose constructors store their fields and
nothing else).  A planted file can at worst describe a wrong tree - as a
planted results file can already claim wrong findings - never run code.
Anything unexpected (a damaged, truncated or foreign file, a full disk, a tree
too deep to pickle) means the file is parsed as if nothing was stored.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import libcst as cst
from libcst._maybe_sentinel import MaybeSentinel

from flasklint_headers import __version__
from flasklint_headers.cache import combine, prepare_cache_dir

_MAGIC = b"flasklint-tree 1\n"


@dataclass(frozen=True)
class TreeSlot:
    """Where one file's tree lives, the content it must match, and whether to store it."""

    path: str
    digest: str
    store: bool


def tree_directory(cache_dir: Path) -> Path:
    """The trees of this tool, libcst and Python version (pickles are version-bound)."""
    return cache_dir / f"trees-{_version_tag()}"


def tree_slot(cache_dir: Path, location: str, digest: str, store: bool) -> TreeSlot:
    name = combine(location)  # one file per source path: the directory stays bounded
    return TreeSlot(str(tree_directory(cache_dir) / f"{name}.tree"), digest, store)


def remove_stale_directories(cache_dir: Path) -> None:
    """Drop trees of other versions (they can never be read again)."""
    current = tree_directory(cache_dir).name
    try:
        stale = [p for p in cache_dir.glob("trees-*") if p.name != current]
    except OSError:
        return
    for directory in stale:
        for tree in directory.glob("*"):
            tree.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # another run is writing into it
            directory.rmdir()


def load_tree(slot: TreeSlot) -> cst.Module | None:
    """The stored tree of the slot's file, if it was parsed from the same content."""
    try:
        with open(slot.path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    header = _MAGIC + slot.digest.encode("ascii") + b"\n"
    if not data.startswith(header):
        return None
    try:
        tree = _NodeUnpickler(io.BytesIO(zlib.decompress(data[len(header) :]))).load()
    except Exception:  # damaged, truncated or foreign: parse instead
        return None
    return tree if isinstance(tree, cst.Module) else None


def store_tree(slot: TreeSlot, tree: cst.Module) -> None:
    """Write the tree (call it before anything else holds the tree); never raises."""
    try:
        payload = zlib.compress(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL), 1)
    except (RecursionError, pickle.PicklingError, TypeError, ValueError):
        return  # too deep to pickle: this file is parsed every time
    header = _MAGIC + slot.digest.encode("ascii") + b"\n"
    path = Path(slot.path)
    try:
        if not path.parent.is_dir():
            prepare_cache_dir(path.parent.parent)
            path.parent.mkdir(exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".tree.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header)
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
