"""Result cache (like Ruff's): unchanged files are not parsed again.

Per absolute path, ``results-v*.json`` holds:

* the file's findings keyed on the tool version, the effective settings, the
  file's content hash and the hash of its *link group* (every file it is
  modelled with, see ``relevance.link_groups``): an edit anywhere in the group
  invalidates the group's project-dependent results, nothing else;
* its stat and content hash (an unchanged stat means the file is not read);

plus the last few run plans (link groups per set of inputs).  ``facts-v*.json``
holds each file's relevance facts keyed on its content hash, so that planning
afresh does not rescan unchanged files; only such runs load it.  Syntax
trees of projects being edited live beside them (``tree_cache.py``).

JSON, not pickle: a cache directory inside a checked-out repository must never
be able to run code.  Nor may it change results: it can be committed by an
attacker or restored from a shared CI cache, and an attacker knows the content
of the files they plant, so every file starts with a MAC under a secret kept
outside the repository (``cache_key.py``) and a file whose MAC does not verify
is treated as absent (and replaced on save); the MAC is checked in chunks
before the file is read whole, so a planted file costs a read, not its size in
memory.  That covers every entry,
the stat shortcut (``known_digest``) included.  Nothing in the directory is
followed through a link or read unless it is a regular file (``cache_files.py``);
a directory that is a link, not the user's own, or holds a link, is not used at
all, and the run says so once on stderr and goes on without a cache.

Writes go to a temporary file and ``os.replace`` it, so readers see the old or
the new cache, never half of one.  Anything unexpected (corrupt JSON, wrong
schema, permissions, a concurrent writer) makes the cache behave as empty or
read-only; it never fails the run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, BinaryIO

from flasklint_headers import __version__
from flasklint_headers.cache_files import (
    directory_problem,
    own_directory_problem,
    read_regular,
    remove_file,
)
from flasklint_headers.cache_key import MAC_HEX_LENGTH, cache_key, mac, mac_hasher, verify
from flasklint_headers.findings import Applicability, Edit, Finding, Fix, Position, Severity
from flasklint_headers.relevance import FileFacts

CACHE_DIR_NAME = ".flasklint_cache"
_SCHEMA = 4
_FILE_NAME = f"results-v{_SCHEMA}.json"
_FACTS_FILE_NAME = f"facts-v{_SCHEMA}.json"
# A cache file starts with this and its MAC (``cache_key.mac``) on the first line.
_MAC_PREFIX = b"flasklint-cache-mac "
# Larger files are not read (a planted one must not exhaust memory).
_MAX_JSON_BYTES = 512 * 1024 * 1024
_MAC_CHUNK_BYTES = 1024 * 1024
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by flasklint-headers.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def combine(*parts: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


_ROOT_MARKERS = ("pyproject.toml", ".git", ".hg")


# Run plans kept (one per distinct set of inputs and options).
_MAX_PLANS = 8
# File times this close to the moment a file was read are not trusted (see record_stat).
_RACY_NS = 2_000_000_000


def _stat_signature(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns]


def default_cache_dir(cwd: Path | None = None) -> Path:
    """``.flasklint_cache`` at the project root: the nearest folder up from ``cwd`` holding
    ``pyproject.toml`` or a repository; ``cwd`` itself when there is none."""
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in _ROOT_MARKERS):
            return folder / CACHE_DIR_NAME
    return start / CACHE_DIR_NAME


# -- (de)serialisation of findings -----------------------------------------------------------


def _finding_to_json(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["severity"] = finding.severity.value
    if finding.fix is not None:
        data["fix"]["applicability"] = finding.fix.applicability.value
    return data


def _position(data: dict[str, Any]) -> Position:
    return Position(int(data["row"]), int(data["column"]))


def _finding_from_json(data: dict[str, Any]) -> Finding:
    fix = None
    if data.get("fix") is not None:
        raw = data["fix"]
        fix = Fix(
            raw["message"],
            Applicability(raw["applicability"]),
            tuple(
                Edit(_position(e["start"]), _position(e["end"]), str(e["content"]))
                for e in raw["edits"]
            ),
        )
    return Finding(
        code=str(data["code"]),
        name=str(data["name"]),
        severity=Severity(data["severity"]),
        message=str(data["message"]),
        filename=str(data["filename"]),
        location=_position(data["location"]),
        end_location=_position(data["end_location"]),
        fix=fix,
        url=data.get("url"),
        source_line=str(data.get("source_line", "")),
    )


class _JsonFile:
    """One JSON file of named sections (dicts from path or key to an entry), authenticated.

    ``save`` merges into what is on disk when another run replaced the file
    since it was loaded, so that run's entries survive (those verify too).
    """

    def __init__(self, path: Path, sections: tuple[str, ...], key: bytes) -> None:
        self.path = path
        self.sections = sections
        self.key = key
        self.data: dict[str, dict[str, Any]] = {name: {} for name in sections}
        self.dirty = False
        self._stamp: tuple[int, int, int] | None = None
        self.load()

    def load(self) -> None:
        self._stamp = None
        self.data = {name: {} for name in self.sections}
        found = read_regular(self.path, _MAX_JSON_BYTES, self._mac_verifies)
        if found is None:  # missing, unreadable, not a regular file, too large
            return
        raw, stat = found
        self._stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        body = self._authenticated(raw)
        if body is None:  # planted, damaged, or written under another key
            return
        try:
            data = json.loads(body)
            if data.get("schema") != _SCHEMA or data.get("version") != __version__:
                return
            loaded = {name: data.get(name, {}) for name in self.sections}
            if all(isinstance(part, dict) for part in loaded.values()):
                self.data = loaded
        except Exception:  # corrupt: start empty
            self.data = {name: {} for name in self.sections}

    def _mac_verifies(self, handle: BinaryIO) -> bool:
        """The open file's MAC verifies, checked in chunks: a planted file under
        ``_MAX_JSON_BYTES`` that does not verify is never held in memory whole.
        (``_authenticated`` checks again what is then read, so a file replaced
        in between gains nothing.)"""
        line = handle.readline(len(_MAC_PREFIX) + MAC_HEX_LENGTH + 1)
        if not line.startswith(_MAC_PREFIX) or not line.endswith(b"\n"):
            return False
        digest = mac_hasher(self.key, self.path.name)
        for chunk in iter(lambda: handle.read(_MAC_CHUNK_BYTES), b""):
            digest.update(chunk)
        expected = digest.hexdigest().encode("ascii")
        return hmac.compare_digest(expected, line[len(_MAC_PREFIX) : -1])

    def _authenticated(self, raw: bytes) -> bytes | None:
        """The JSON after the MAC line if the MAC verifies, else None."""
        line, newline, body = raw.partition(b"\n")
        if not newline or not line.startswith(_MAC_PREFIX):
            return None
        claimed = line[len(_MAC_PREFIX) :]
        if len(claimed) != MAC_HEX_LENGTH or not verify(self.key, self.path.name, body, claimed):
            return None
        return body

    def save(self) -> None:
        """Write if anything changed (raises on I/O errors; the cache catches them)."""
        if not self.dirty:
            return
        data = self.data
        if not self._unchanged_on_disk():
            ours = self.data
            self.load()  # entries another run wrote meanwhile survive
            data = {name: {**self.data[name], **ours[name]} for name in self.sections}
            if "plans" in data:  # ours are the newest
                older = {k: v for k, v in self.data["plans"].items() if k not in ours["plans"]}
                data["plans"] = {**older, **ours["plans"]}
        if "plans" in data:
            data["plans"] = dict(list(data["plans"].items())[-_MAX_PLANS:])
        payload = {"schema": _SCHEMA, "version": __version__, **data}
        body = json.dumps(payload, separators=(",", ":")).encode()
        line = _MAC_PREFIX + mac(self.key, self.path.name, body).encode("ascii") + b"\n"
        _atomic_write(self.path, line + body)
        self.data = data
        self.dirty = False

    def _unchanged_on_disk(self) -> bool:
        """The file is the one this run loaded (no other run replaced it)."""
        if self._stamp is None:
            return not self.path.exists()
        try:
            stat = os.lstat(self.path)
        except OSError:
            return False
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns) == self._stamp


class ResultCache:
    """Load at the start of a run, ``save`` once at the end.

    Two files: results, run plans and file stats (what every run needs), and
    the relevance facts (only needed when a run plans afresh), loaded on first use.
    ``key`` authenticates them (``cache_key.py``); the stored trees use it too.
    """

    def __init__(self, directory: Path, key: bytes) -> None:
        self.directory = directory
        self.key = key
        self._main = _JsonFile(self.path, ("results", "plans", "stats"), key)
        self._facts_file: _JsonFile | None = None

    @property
    def path(self) -> Path:
        return self.directory / _FILE_NAME

    @property
    def _results(self) -> dict[str, Any]:
        return self._main.data["results"]

    @property
    def _plans(self) -> dict[str, Any]:
        return self._main.data["plans"]

    @property
    def _stats(self) -> dict[str, Any]:
        return self._main.data["stats"]

    @property
    def _facts(self) -> dict[str, Any]:
        if self._facts_file is None:
            self._facts_file = _JsonFile(self.directory / _FACTS_FILE_NAME, ("facts",), self.key)
        return self._facts_file.data["facts"]

    # -- file stats --------------------------------------------------------------------------
    def known_digest(self, path: str, stat: os.stat_result) -> str | None:
        """The content digest recorded for ``path`` if its stat says it has not changed since.

        Like Git's index: size, inode and modification/change times must all be
        as recorded (``record_stat`` refuses times too close to the reading).
        """
        entry = self._stats.get(path)
        try:
            if entry is None or entry[:4] != _stat_signature(stat):
                return None
            return str(entry[4])
        except Exception:
            return None

    def record_stat(self, path: str, stat: os.stat_result, digest: str) -> None:
        """Remember ``digest`` for ``path`` as of ``stat`` (the stat taken before reading)."""
        signature = _stat_signature(stat)
        # A file changed within the clock's resolution of this reading could
        # change again with the same times: such a stat proves nothing.
        if max(stat.st_mtime_ns, stat.st_ctime_ns) > time.time_ns() - _RACY_NS:
            if self._stats.pop(path, None) is not None:
                self._main.dirty = True
            return
        if self._stats.get(path) != [*signature, digest]:
            self._stats[path] = [*signature, digest]
            self._main.dirty = True

    # -- facts -------------------------------------------------------------------------------
    def facts(self, path: str, digest: str, module_name: str) -> FileFacts | None:
        entry = self._facts.get(path)
        try:
            if entry is None or entry[0] != digest or entry[1] != module_name:
                return None
            references, string_references = _names(entry[5]), _names(entry[6])
            if references is None or string_references is None:
                return None  # not what store_facts writes: recompute from the file
            return FileFacts(
                module_name,
                bool(entry[2]),
                bool(entry[3]),
                bool(entry[4]),
                references,
                string_references,
            )
        except Exception:
            return None

    def store_facts(self, path: str, digest: str, facts: FileFacts) -> None:
        self._facts[path] = [digest, *facts_entry(facts)]
        assert self._facts_file is not None
        self._facts_file.dirty = True

    # -- run plans ---------------------------------------------------------------------------
    def plan(self, signature: str) -> tuple[list[Any], list[list[int]], int, set[int]] | None:
        """(per-file entries, link groups, files selected, files whose words were consulted)
        of an earlier run, unchecked."""
        entry = self._plans.get(signature)
        try:
            if entry is None:
                return None
            files, groups, selected, consulted = entry
            return (
                list(files),
                [[int(i) for i in g] for g in groups],
                int(selected),
                {int(i) for i in consulted},
            )
        except Exception:
            return None

    def store_plan(
        self,
        signature: str,
        files: list[Any],
        groups: list[list[int]],
        selected: int,
        consulted: list[int],
    ) -> None:
        # Only the newest few: a plan is worth keeping for the next run, not forever.
        while len(self._plans) >= _MAX_PLANS:
            self._plans.pop(next(iter(self._plans)))
        self._plans.pop(signature, None)  # re-inserted as the newest
        self._plans[signature] = [files, groups, selected, consulted]
        self._main.dirty = True

    # -- results -----------------------------------------------------------------------------
    def findings(self, path: str, key: str) -> list[Finding] | None:
        entry = self._results.get(path)
        try:
            if entry is None or entry[0] != key:
                return None
            return [_finding_from_json(f) for f in entry[1]]
        except Exception:
            return None

    def store_findings(self, path: str, key: str, findings: list[Finding]) -> None:
        self._results[path] = [key, [_finding_to_json(f) for f in findings]]
        self._main.dirty = True

    # -- writing -----------------------------------------------------------------------------
    def save(self) -> None:
        """Merge into what is on disk now and replace it atomically; never raises."""
        files = [self._main, *([self._facts_file] if self._facts_file is not None else [])]
        if not any(f.dirty for f in files):
            return
        try:
            self._prepare_directory()
            for file in files:
                file.save()
        except Exception:  # read-only tree, full disk, races: the next run starts cold
            return

    def _prepare_directory(self) -> None:
        prepare_cache_dir(self.directory)
        for stale in self.directory.glob("*-v*.json"):  # earlier schemas' files
            if stale.name not in (_FILE_NAME, _FACTS_FILE_NAME):
                remove_file(stale)  # a link is removed itself, never what it points to

    def has_results(self, path: str) -> bool:
        """True when some earlier run stored findings for ``path`` (under any key)."""
        return path in self._results


def prepare_cache_dir(directory: Path) -> None:
    """Create the cache directory, tagged for backup tools and ignored by Git.

    Raises ``OSError`` when it is (or meanwhile became) a link or not the user's own.
    """
    directory.mkdir(parents=True, exist_ok=True)
    problem = own_directory_problem(directory)
    if problem is not None:
        raise OSError(problem)
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        _atomic_write(tag, _CACHEDIR_TAG.encode())
    ignore = directory / ".gitignore"
    if not ignore.exists():
        _atomic_write(ignore, b"# Created by flasklint-headers automatically.\n*\n")


def _names(value: Any) -> tuple[str, ...] | None:
    """A stored list of dotted names, or None when it holds anything else.

    Even a signed file is checked: a wrong type here would fail the run later,
    far from the cache (``relevance.targets_of``), and the cache must never fail it.
    """
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        return None
    return tuple(value)


def facts_entry(facts: FileFacts) -> list[Any]:
    """A file's relevance facts as JSON data (what ``ResultCache.facts`` reads back)."""
    return [
        facts.module_name,
        facts.is_package,
        facts.seed,
        facts.has_reason,
        list(facts.references),
        list(facts.string_references),
    ]


def facts_digest(facts: FileFacts) -> str:
    """Changes exactly when the facts do (run plans keep it per file)."""
    return combine(json.dumps(facts_entry(facts)))


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def open_cache(
    directory: Path | None, warn: Callable[[str], None] | None = None
) -> ResultCache | None:
    """The cache in ``directory`` (default ``./.flasklint_cache``), or None when unusable.

    A directory that is not safe to use (``cache_files.directory_problem``) or a
    missing key (``cache_key.py``) means no cache, said once through ``warn``
    (default: one line on stderr).
    """
    try:
        directory = directory or default_cache_dir()
        problem = directory_problem(directory)
        lookup = cache_key() if problem is None else None
        if lookup is not None and lookup.key is not None:
            return ResultCache(directory, lookup.key)
        problem = problem or (lookup.problem if lookup else None) or "no cache key"
    except Exception as exc:
        problem = f"{type(exc).__name__}: {exc}"
    (warn or _warn_on_stderr)(f"cache not used: {problem}")
    return None


def _warn_on_stderr(message: str) -> None:
    # Paths come from the checked repository: no control characters reach the terminal.
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    sys.stderr.write(f"flasklint-headers: warning: {shown}\n")
    sys.stderr.flush()
