"""Find the Python files to check under the given paths.

Directories are walked in sorted order.  A directory or file is skipped when
it matches the default excludes (like Ruff's), the ``exclude`` /
``extend-exclude`` globs of the settings that apply to it, or a ``.gitignore``
pattern (every ``.gitignore`` from the repository root down is honoured, the
deepest one deciding last, as Git does).  Paths named explicitly on the
command line are always checked unless ``force_exclude`` is set (what
pre-commit hooks need, since they pass every changed file).

A file reached by several names in one run (a symlink and its target, two
hard links, a folder and a symlink to it) is one file: it is checked, reported
and fixed once.  It is listed under the name that reaches it without a symlink
when the run has one (the file's own name, which is where ``--fix`` writes),
else under the first name found; hard links, all equally the file's own
names, keep the first (walks are sorted, so that is stable).

Every entry with a Python suffix is yielded, whatever its type: the reader
(``source.read_regular_file``) decides, from the ``stat`` it needs anyway,
that a FIFO or device found here is skipped.
A ``.gitignore`` that is not a regular file, or is over the default size cap,
is ignored.  Identical ``.gitignore`` contents are compiled once per run, so
that one huge file committed in many directories costs what one copy does.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from flasklint_headers.source import DEFAULT_MAX_FILE_SIZE, SourceError, read_regular_file

if TYPE_CHECKING:
    from flasklint_headers.config import Settings

DEFAULT_EXCLUDES = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
    ".flasklint_cache",
    "__pycache__",
)
PYTHON_SUFFIXES = (".py", ".pyi")


def is_excluded(path: Path, patterns: Iterable[str]) -> bool:
    name = path.name
    text = path.as_posix()
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(text, p) for p in patterns)


def iter_python_files(
    paths: Iterable[Path], excludes: Iterable[str] = DEFAULT_EXCLUDES
) -> Iterator[Path]:
    """Files under ``paths`` skipping ``excludes`` by name; named files are always yielded.

    The simple walk used to find a project's modules; the CLI uses ``discover``.
    """
    patterns = tuple(excludes)
    seen: set[Path] = set()
    for root in paths:
        if not root.is_dir():
            if root not in seen:
                seen.add(root)
                yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            base = Path(dirpath)
            dirnames[:] = sorted(d for d in dirnames if not is_excluded(base / d, patterns))
            for filename in sorted(filenames):
                path = base / filename
                if (
                    path.suffix in PYTHON_SUFFIXES
                    and not is_excluded(path, patterns)
                    and path not in seen
                ):
                    seen.add(path)
                    yield path


# -- .gitignore -------------------------------------------------------------------------


@dataclass(frozen=True)
class IgnorePattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


def _translate_glob(glob: str) -> str:
    """Regex for a gitignore glob matched against a ``/``-separated relative path."""
    out: list[str] = []
    i = 0
    n = len(glob)
    while i < n:
        char = glob[i]
        if glob.startswith("**", i):
            before_ok = i == 0 or glob[i - 1] == "/"
            after = glob[i + 2 : i + 3]
            if before_ok and after == "/":
                out.append("(?:.*/)?")  # "**/" = zero or more directories
                i += 3
                continue
            if before_ok and after == "":
                out.append(".*")  # trailing "/**" = everything inside
                i += 2
                continue
            out.append("[^/]*")  # any other "**" acts like "*"
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(glob[i]))
        elif char == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "^", "]") else i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = glob[i + 1 : end]
                if body.startswith(("!", "^")):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def parse_gitignore_line(line: str) -> IgnorePattern | None:
    """One ``.gitignore`` line -> a pattern (None for blanks and comments)."""
    line = line.rstrip("\n").rstrip("\r")
    if not line or line.startswith("#"):
        return None
    # Trailing spaces are ignored unless escaped with a backslash.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negated = line.startswith("!")
    if negated or line.startswith(("\\!", "\\#")):
        line = line[1:]
    directory_only = line.endswith("/")
    line = line.rstrip("/")
    if not line:
        return None
    # A slash at the start or in the middle anchors the pattern to the .gitignore's directory.
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate_glob(line)
    prefix = "" if anchored else "(?:.*/)?"
    return IgnorePattern(re.compile(f"^{prefix}{body}$", re.S), negated, directory_only)


@dataclass(frozen=True)
class GitIgnore:
    """The patterns of one ``.gitignore`` file, relative to its directory."""

    directory: str  # absolute, normalised
    patterns: tuple[IgnorePattern, ...]

    def decide(self, relative: str, is_dir: bool) -> bool | None:
        """True = ignored, False = re-included by ``!``, None = no pattern matches."""
        for pattern in reversed(self.patterns):
            if pattern.directory_only and not is_dir:
                continue
            if pattern.regex.match(relative):
                return not pattern.negated
        return None


@lru_cache(maxsize=4096)
def load_gitignore(directory: str) -> GitIgnore | None:
    path = os.path.join(directory, ".gitignore")
    try:
        # Checked repositories are untrusted: a FIFO or a link to /dev/zero is not read.
        data = read_regular_file(path, DEFAULT_MAX_FILE_SIZE)
    except (OSError, SourceError):
        return None
    patterns = _gitignore_patterns(hashlib.sha256(data).digest(), data)
    return GitIgnore(directory, patterns) if patterns else None


_PARSED_GITIGNORES: dict[bytes, tuple[IgnorePattern, ...]] = {}
_MAX_PARSED_GITIGNORES = 4096


def _gitignore_patterns(digest: bytes, data: bytes) -> tuple[IgnorePattern, ...]:
    """The patterns of a ``.gitignore`` holding ``data``, compiled once per content.

    A repository may commit one huge ``.gitignore`` (up to the size cap) in
    hundreds of directories for the price of one blob; compiling it for each
    copy would multiply the run's time by the number of copies.  Keyed by the
    digest so that the memo holds no file's bytes.
    """
    found = _PARSED_GITIGNORES.get(digest)
    if found is None:
        lines = data.decode("utf-8", errors="replace").splitlines()
        found = tuple(p for p in map(parse_gitignore_line, lines) if p is not None)
        if len(_PARSED_GITIGNORES) >= _MAX_PARSED_GITIGNORES:  # bounded, like load_gitignore
            _PARSED_GITIGNORES.clear()
        _PARSED_GITIGNORES[digest] = found
    return found


def _repository_root(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _ignore_root(directory: str) -> str:
    """Where ``.gitignore`` lookup starts: the repository root; outside a repository,
    the current directory when ``directory`` is inside it, else ``directory`` itself."""
    root = _repository_root(directory)
    if root is not None:
        return root
    cwd = os.path.abspath(os.getcwd())
    if directory == cwd or directory.startswith(cwd.rstrip(os.sep) + os.sep):
        return cwd
    return directory


def gitignores_above(directory: str) -> list[GitIgnore]:
    """``.gitignore`` files that apply inside ``directory``: from the repository root down."""
    directory = os.path.abspath(directory)
    root = _ignore_root(directory)
    chain: list[str] = []
    current = directory
    while True:
        chain.append(current)
        if current == root:
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    found = [load_gitignore(d) for d in reversed(chain)]
    return [g for g in found if g is not None]


def gitignored(path: str, is_dir: bool, ignores: Sequence[GitIgnore]) -> bool:
    """Is ``path`` (absolute) ignored by the deepest deciding ``.gitignore``?"""
    for ignore in reversed(ignores):
        relative = os.path.relpath(path, ignore.directory).replace(os.sep, "/")
        if relative.startswith(".."):
            continue
        decision = ignore.decide(relative, is_dir)
        if decision is not None:
            return decision
    return False


def is_path_ignored(path: Path, respect_gitignore: bool = True) -> bool:
    """Is ``path`` or one of its parent directories ignored by a ``.gitignore``?"""
    if not respect_gitignore:
        return False
    absolute = os.path.abspath(path)
    parent = os.path.dirname(absolute)
    ignores = gitignores_above(parent)
    if gitignored(absolute, os.path.isdir(absolute), ignores):
        return True
    root = _ignore_root(parent)
    current = parent
    while current != root and len(current) > len(root):
        if gitignored(current, True, gitignores_above(os.path.dirname(current))):
            return True
        current = os.path.dirname(current)
    return False


# -- discovery for the CLI --------------------------------------------------------------

SettingsFor = Callable[[Path], "Settings"]


def _excluded_by_settings(path: Path, settings: Settings) -> bool:
    return settings.is_excluded(path, ancestors=True)


def discover(
    paths: Iterable[Path],
    settings_for: SettingsFor,
    force_exclude: bool = False,
    respect_gitignore: bool = True,
) -> list[Path]:
    """Python files to check under ``paths`` (see the module docstring for what is skipped).

    Each file is listed once, however many names reach it (module docstring).
    """
    found: list[Path] = []
    index_of: dict[object, int] = {}

    def add(path: Path) -> None:
        key = _file_identity(path)
        index = index_of.get(key)
        if index is None:
            index_of[key] = len(found)
            found.append(path)
        elif _is_own_name(path) and not _is_own_name(found[index]):
            found[index] = path  # the target's own name, in the first name's place

    for root in paths:
        if not root.is_dir():
            if force_exclude and (
                _excluded_by_settings(root, settings_for(root))
                or is_path_ignored(root, respect_gitignore)
            ):
                continue
            add(root)
            continue
        if force_exclude and (
            _excluded_by_settings(root, settings_for(root))
            or is_path_ignored(root, respect_gitignore)
        ):
            continue
        for path in _walk(root, settings_for, respect_gitignore):
            add(path)
    return found


def _file_identity(path: Path) -> object:
    """What makes two names one file: device and inode (a symlink, a hard link, a folder
    reached through a symlink); the absolute path when the file cannot be stat'ed."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return os.path.abspath(path)
    return (info.st_dev, info.st_ino)


def _is_own_name(path: Path) -> bool:
    """The path names the file itself, through no symlink."""
    try:
        return os.path.realpath(path) == os.path.abspath(path)
    except (OSError, ValueError):
        return False


def _walk(root: Path, settings_for: SettingsFor, respect_gitignore: bool) -> Iterator[Path]:
    start = os.path.abspath(root)
    base_ignores = gitignores_above(start) if respect_gitignore else []
    ignores_by_dir: dict[str, list[GitIgnore]] = {start: base_ignores}
    for dirpath, dirnames, filenames in os.walk(root):
        absolute = os.path.abspath(dirpath)
        ignores = ignores_by_dir.get(absolute, base_ignores)
        if respect_gitignore and absolute != start:
            own = load_gitignore(absolute)
            if own is not None:
                ignores = [*ignores, own]
        directory = Path(dirpath)
        for_directory = getattr(settings_for, "for_directory", settings_for)
        excluded = for_directory(directory).exclusion_in(directory)
        kept = []
        for name in sorted(dirnames):
            child_abs = os.path.join(absolute, name)
            if excluded(name) or (respect_gitignore and gitignored(child_abs, True, ignores)):
                continue
            ignores_by_dir[child_abs] = ignores
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if _suffix(name) not in PYTHON_SUFFIXES or excluded(name):
                continue
            if respect_gitignore and gitignored(os.path.join(absolute, name), False, ignores):
                continue
            yield directory / name


def _suffix(name: str) -> str:
    """``Path(name).suffix`` without building a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""
