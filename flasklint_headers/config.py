"""Settings: which rules run, with which options and severities.

Configuration comes from the ``[tool.flasklint-headers]`` table of a
``pyproject.toml``.  Each checked file uses the *nearest* ``pyproject.toml``
that has such a table, walking up from the file's directory (``--config PATH``
uses one file for every checked file; ``--isolated`` ignores config files).
Command-line selections are applied on top of the file's.

Globs in ``exclude``, ``extend-exclude`` and ``per-file-ignores`` are relative
to the directory of the ``pyproject.toml`` they come from; a glob without a
``/`` also matches a file's or directory's bare name.

``max-file-size`` (a positive integer, bytes; default 10 MiB) caps what is
read of each source file: a larger file is not read and gets FLH003, whether
it was named or found in a directory (skipping it silently would hide its
code from the check).  A FIFO, socket or device is never read: named on the
command line it gets FLH003, found while walking a directory it is skipped
like any other non-source entry.  ``pyproject.toml`` and ``.gitignore`` files
are read under the same rules with the default cap (a config file cannot
raise the cap for itself).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flasklint_headers.discovery import DEFAULT_EXCLUDES
from flasklint_headers.findings import Severity
from flasklint_headers.paths import Resolver
from flasklint_headers.source import DEFAULT_MAX_FILE_SIZE, SourceError, read_regular_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TABLE = "flasklint-headers"
SELECTION_KEYS = ("select", "extend-select", "ignore")
LIST_KEYS = (*SELECTION_KEYS, "exclude", "extend-exclude", "set-by-proxy")
TABLE_KEYS = ("per-file-ignores", "severity")
SIZE_KEY = "max-file-size"


class ConfigError(Exception):
    """A configuration problem; the message names the key and the file."""


def glob_matches(relative_path: str, pattern: str) -> bool:
    """Does a ``/``-separated path relative to the config root match ``pattern``?

    ``*`` matches across ``/`` (like Ruff's globs); a leading ``**/`` may also
    match nothing; a pattern without ``/`` also matches the last path component;
    a directory pattern also covers everything below it.
    """
    whole, last = _compiled_globs((pattern,))
    return bool(
        whole.match(relative_path)
        or (last is not None and last.match(relative_path.rsplit("/", 1)[-1]))
    )


@functools.lru_cache(maxsize=512)
def _compiled_globs(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Globs as (whole-path regex, last-component regex), for one pattern or many at once.

    Excludes are checked for every file and directory of a run; one regex per
    kind is far cheaper than ``fnmatch`` per pattern.
    """
    whole: list[str] = []
    last: list[str] = []
    for raw in patterns:
        pattern = raw.strip().removeprefix("./")
        if pattern.endswith("/"):
            pattern = pattern.rstrip("/")
        candidates = [pattern]
        if pattern.startswith("**/"):
            candidates.append(pattern[3:])
        for candidate in candidates:
            whole.append(fnmatch.translate(candidate))
            whole.append(fnmatch.translate(candidate.rstrip("/") + "/*"))
            if "/" not in candidate:
                last.append(fnmatch.translate(candidate))
    return (
        re.compile("|".join(f"(?:{w})" for w in whole) or "(?!)"),
        re.compile("|".join(f"(?:{n})" for n in last)) if last else None,
    )


@dataclass(frozen=True)
class Settings:
    # Rule codes that run.
    enabled: frozenset[str]
    # Options per rule (keyed by kebab name), already validated.
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity_overrides: dict[str, Severity] = field(default_factory=dict)
    # (glob, codes) pairs; a file matching the glob ignores the codes.
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    # Ruff's semantics: ``exclude`` replaces the default excludes, ``extend-exclude`` adds.
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    # Headers added by a proxy / CDN in front of every app (FLH301-305).
    set_by_proxy: frozenset[str] = frozenset()
    # Directory the globs above are relative to (the config file's), None = cwd.
    root: Path | None = None
    # The pyproject.toml these settings came from (None = defaults only).
    config_file: Path | None = None
    # Bytes; a larger source file is not read (FLH003).
    max_file_size: int = DEFAULT_MAX_FILE_SIZE

    def rule_option(self, rule_name: str, option: str, default: Any) -> Any:
        return self.rule_options.get(rule_name, {}).get(option, default)

    def severity_for(self, code: str, default: Severity) -> Severity:
        return self.severity_overrides.get(code, default)

    def is_enabled(self, code: str) -> bool:
        return code in self.enabled

    def relative_to_root(self, path: str | Path) -> str:
        """``path`` relative to ``root`` (posix), or as given when outside it."""
        root = os.path.abspath(self.root or os.getcwd())
        absolute = os.path.abspath(path)
        if absolute == root:
            return "."
        prefix = root.rstrip(os.sep) + os.sep
        if absolute.startswith(prefix):
            # Both are normalised absolute paths: slicing is what relpath computes.
            relative = absolute[len(prefix) :]
            return relative.replace(os.sep, "/") if os.sep != "/" else relative
        return path.as_posix() if isinstance(path, Path) else Path(path).as_posix()

    def ignored_for(self, relative_path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        paths = {Path(relative_path).as_posix(), self.relative_to_root(relative_path)}
        codes: set[str] = set()
        for pattern, ignored in self.per_file_ignores:
            negated = pattern.startswith("!")
            glob = pattern[1:] if negated else pattern
            matched = any(glob_matches(p, glob) for p in paths)
            if matched != negated:
                codes |= ignored
        return frozenset(codes)

    def excludes(self) -> tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)

    def exclusion_in(self, directory: Path) -> Callable[[str], bool]:
        """``is_excluded(directory / name)`` as a function of ``name`` (one directory's
        files checked without building their paths; discovery calls it per folder)."""
        patterns = self.excludes()
        if not patterns:
            return _never
        root = os.path.abspath(self.root or os.getcwd())
        absolute = os.path.abspath(directory)
        inside = root.rstrip(os.sep) + os.sep
        if absolute == root:
            prefix: str | None = ""
        elif absolute.startswith(inside):
            prefix = absolute[len(inside) :].replace(os.sep, "/") + "/"
        else:
            given = directory.as_posix()
            if not (given.startswith(("/", "../")) or given == ".."):
                return lambda name: self.is_excluded(directory / name)  # rare: keep it exact
            prefix = None  # outside root: a path is matched by its name only
        whole, last = _compiled_globs(patterns)

        def excluded(name: str) -> bool:
            relative = name if prefix is None else prefix + name
            return bool(whole.match(relative) or (last is not None and last.match(name)))

        return excluded

    def is_excluded(self, path: Path, ancestors: bool = False) -> bool:
        """Does an ``exclude``/``extend-exclude`` glob match ``path``?

        With ``ancestors`` its parent directories (inside ``root``) count too.
        A path outside ``root`` is matched by its name only.
        """
        patterns = self.excludes()
        if not patterns:
            return False
        relative = self.relative_to_root(path)
        if relative.startswith(("/", "../")) or relative == "..":
            relative = path.name if isinstance(path, Path) else Path(path).name
        parts = relative.split("/")
        candidates = (
            ["/".join(parts[: i + 1]) for i in range(len(parts))] if ancestors else [relative]
        )
        whole, last = _compiled_globs(patterns)
        return any(
            whole.match(c) or (last is not None and last.match(c.rsplit("/", 1)[-1]))
            for c in candidates
        )

    @classmethod
    def default(cls) -> Settings:
        from flasklint_headers.rule_index import RULE_NAMES

        return cls(enabled=frozenset(RULE_NAMES))


# -- rule selection ---------------------------------------------------------------------


def expand_selectors(selectors: Iterable[str], source: str) -> set[str]:
    """Turn codes, code prefixes (``FLH3``), kebab names and ``ALL`` into rule codes."""
    codes: set[str] = set()
    for raw in selectors:
        codes |= _selector_codes(raw, source)[1]
    return codes


def _selector_codes(raw: str, source: str) -> tuple[int, set[str]]:
    """(specificity, codes) of one selector; raises ConfigError when it matches nothing."""
    from flasklint_headers.rule_index import RULE_NAMES

    sel = raw.strip()
    if sel.upper() == "ALL":
        return 0, set(RULE_NAMES)
    by_name = {code for code, name in RULE_NAMES.items() if name == sel.lower()}
    if by_name:
        # A name is exactly as specific as the full code it stands for.
        return len(next(iter(by_name))), by_name
    matched = {code for code in RULE_NAMES if code.upper().startswith(sel.upper())}
    if not sel or not matched:
        raise ConfigError(f"unknown rule selector {sel!r} in {source}")
    return len(sel), matched


@dataclass(frozen=True)
class Selection:
    """One layer of ``select`` / ``extend-select`` / ``ignore`` (a file's or the CLI's)."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    source: str = "the command line"

    def apply(self, enabled: set[str]) -> set[str]:
        """Like Ruff: the most specific selector wins; at equal specificity ``ignore`` wins."""
        chosen: dict[str, tuple[int, bool]] = {}
        base = set(enabled)
        if self.select is not None:
            base = set()
            for sel in self.select:
                self._vote(chosen, sel, True, "select")
        for sel in self.extend_select:
            self._vote(chosen, sel, True, "extend-select")
        for sel in self.ignore:
            self._vote(chosen, sel, False, "ignore")
        result = set(base)
        for code, (_, on) in chosen.items():
            if on:
                result.add(code)
            else:
                result.discard(code)
        return result

    def _vote(self, chosen: dict[str, tuple[int, bool]], sel: str, on: bool, key: str) -> None:
        specificity, codes = _selector_codes(sel, f"{key} ({self.source})")
        for code in codes:
            previous = chosen.get(code)
            if (
                previous is None
                or specificity > previous[0]
                or (specificity == previous[0] and not on)
            ):
                chosen[code] = (specificity, on)


# -- reading pyproject.toml -------------------------------------------------------------


@dataclass(frozen=True)
class FileConfig:
    """The validated ``[tool.flasklint-headers]`` table of one file."""

    path: Path
    selection: Selection
    exclude: tuple[str, ...] | None
    extend_exclude: tuple[str, ...]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...]
    severity: dict[str, Severity]
    set_by_proxy: frozenset[str]
    rule_options: dict[str, dict[str, Any]]
    max_file_size: int = DEFAULT_MAX_FILE_SIZE

    @property
    def root(self) -> Path:
        return self.path.parent


def has_table(pyproject: Path) -> bool:
    """Is ``pyproject`` a config file of ours?  False when there is no such file.

    Anything else by that name (a directory, a FIFO, a broken link) is an
    error rather than a file to skip: a repository could otherwise switch its
    configuration off, or make the run hang on a FIFO, without a word.
    """
    if pyproject.is_file():
        return read_table(pyproject) is not None
    if os.path.lexists(pyproject):
        raise ConfigError(f"{pyproject} is not a regular file ({_file_kind(pyproject)})")
    return False


def _file_kind(path: Path) -> str:
    if path.is_dir():
        return "a directory"
    if path.is_symlink() and not path.exists():
        return "a broken symbolic link"
    return "a special file"


def read_table(path: Path) -> dict[str, Any] | None:
    """The raw ``[tool.flasklint-headers]`` table, or None when the file has none."""
    try:
        data = tomllib.loads(read_regular_file(path, DEFAULT_MAX_FILE_SIZE).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except SourceError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8
        raise ConfigError(
            f"{path} is not valid TOML: not UTF-8 (byte {exc.object[exc.start]:#04x} "
            f"at offset {exc.start})"
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
    table = data.get("tool", {}).get(TABLE) if isinstance(data.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"[tool.{TABLE}] in {path} must be a table")
    return table


def load_file_config(path: Path, table: Mapping[str, Any] | None = None) -> FileConfig:
    """Read and validate one ``pyproject.toml`` (an empty config when it has no table)."""
    path = path.resolve()
    raw = read_table(path) if table is None else table
    return _validate(path, dict(raw or {}))


def _string_list(value: Any, key: str, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' in {path} must be a list of strings")
    return tuple(value)


def _option_index() -> dict[str, dict[str, Any]]:
    """rule kebab name -> {option name: default} for every rule with options."""
    from flasklint_headers.rules import all_rules

    return {r.name: {o.name: o.default for o in r.options} for r in all_rules() if r.options}


def _validate(path: Path, table: dict[str, Any]) -> FileConfig:
    where = f"[tool.{TABLE}] of {path}"
    lists = {key: _string_list(table[key], key, path) for key in LIST_KEYS if key in table}
    source = f"{where}"
    selection = Selection(
        lists.get("select"), lists.get("extend-select", ()), lists.get("ignore", ()), source
    )
    selection.apply(set())  # raises on unknown selectors
    options_by_rule = _option_index()
    shared_defaults = {
        name: default for opts in options_by_rule.values() for name, default in opts.items()
    }
    rule_options: dict[str, dict[str, Any]] = {}
    for key, value in table.items():
        if key in LIST_KEYS or key in TABLE_KEYS or key == SIZE_KEY:
            continue
        if key in options_by_rule:
            rule_options.setdefault(key, {}).update(
                _rule_table(key, value, options_by_rule[key], path)
            )
            _check_minimums(key, value, path)
        elif key in shared_defaults:
            _check_option_type(key, value, shared_defaults[key], f"'{key}' in {path}")
            _check_minimum(key, value, f"'{key}' in {path}")
            for rule, opts in options_by_rule.items():
                if key in opts:
                    rule_options.setdefault(rule, {}).setdefault(key, value)
        else:
            raise ConfigError(f"unknown key '{key}' in {where}")
    return FileConfig(
        path=path,
        selection=selection,
        exclude=lists.get("exclude"),
        extend_exclude=lists.get("extend-exclude", ()),
        per_file_ignores=_per_file_ignores(table.get("per-file-ignores", {}), path),
        severity=_severities(table.get("severity", {}), path),
        set_by_proxy=frozenset(lists.get("set-by-proxy", ())),
        rule_options=rule_options,
        max_file_size=_max_file_size(table.get(SIZE_KEY, DEFAULT_MAX_FILE_SIZE), path),
    )


def _max_file_size(value: Any, path: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(
            f"'{SIZE_KEY}' in {path} must be a positive integer (bytes), not {value!r}"
        )
    return value


def _rule_table(rule: str, value: Any, declared: dict[str, Any], path: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"'{rule}' in {path} must be a table of rule options")
    for name, option_value in value.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise ConfigError(
                f"unknown option '{rule}.{name}' in {path} (options of {rule}: {known})"
            )
        _check_option_type(name, option_value, declared[name], f"'{rule}.{name}' in {path}")
    return dict(value)


@functools.cache
def _option_minimums() -> dict[str, int]:
    """option name -> the smallest value it accepts, for every bounded option."""
    from flasklint_headers.rules import all_rules

    return {o.name: o.minimum for r in all_rules() for o in r.options if o.minimum is not None}


def _check_minimums(rule: str, value: Any, path: Path) -> None:
    if isinstance(value, dict):
        for name, option_value in value.items():
            _check_minimum(name, option_value, f"'{rule}.{name}' in {path}")


def _check_minimum(name: str, value: Any, where: str) -> None:
    """Called after the type check: ``value`` has the option's type."""
    minimum = _option_minimums().get(name)
    if minimum is not None and isinstance(value, int | float) and value < minimum:
        raise ConfigError(f"{where} must be at least {minimum}, not {value}")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _check_option_type(name: str, value: Any, default: Any, where: str) -> None:
    if default is None:
        return
    expected = _type_name(default)
    actual = _type_name(value)
    if expected == "a number" and actual == "an integer":
        return
    if expected != actual:
        raise ConfigError(f"{where} must be {expected}, not {actual}")
    if isinstance(default, list | tuple) and default:
        item_type = _type_name(next(iter(default)))
        for item in value:
            if _type_name(item) != item_type:
                raise ConfigError(f"{where} must be a list of {item_type[2:]}s")


def _per_file_ignores(value: Any, path: Path) -> tuple[tuple[str, frozenset[str]], ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"'per-file-ignores' in {path} must be a table of glob = [codes]")
    pairs = []
    for glob, codes in value.items():
        selectors = _string_list(codes, f"per-file-ignores.{glob}", path)
        pairs.append((glob, frozenset(expand_selectors(selectors, f"per-file-ignores of {path}"))))
    return tuple(pairs)


def _severities(value: Any, path: Path) -> dict[str, Severity]:
    if not isinstance(value, dict):
        raise ConfigError(f"'severity' in {path} must be a table of code = level")
    levels = {s.value: s for s in Severity}
    result: dict[str, Severity] = {}
    for selector, level in value.items():
        if not isinstance(level, str) or level.lower() not in levels:
            raise ConfigError(
                f"'severity.{selector}' in {path} must be one of {', '.join(levels)}, not {level!r}"
            )
        for code in expand_selectors([selector], f"'severity' of {path}"):
            result[code] = levels[level.lower()]
    return result


# -- resolving settings for each file ---------------------------------------------------


def build_settings(config: FileConfig | None, cli: Selection | None = None) -> Settings:
    from flasklint_headers.rule_index import RULE_NAMES

    enabled = set(RULE_NAMES)
    if config is not None:
        enabled = config.selection.apply(enabled)
    if cli is not None:
        enabled = cli.apply(enabled)
    if config is None:
        return Settings(enabled=frozenset(enabled))
    return Settings(
        enabled=frozenset(enabled),
        rule_options=config.rule_options,
        severity_overrides=config.severity,
        per_file_ignores=config.per_file_ignores,
        exclude=config.exclude if config.exclude is not None else DEFAULT_EXCLUDES,
        extend_exclude=config.extend_exclude,
        set_by_proxy=config.set_by_proxy,
        root=config.root,
        config_file=config.path,
        max_file_size=config.max_file_size,
    )


def find_config_file(directory: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``directory`` with our table."""
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        if has_table(pyproject):
            return pyproject
    return None


def _never(name: str) -> bool:
    return False


class SettingsResolver:
    """Gives each path its Settings; caches per directory and per config file.

    ``config_path`` forces one file for every path; ``isolated`` ignores files.
    """

    def __init__(
        self,
        cli: Selection | None = None,
        config_path: Path | None = None,
        isolated: bool = False,
    ) -> None:
        self.cli = cli
        self.isolated = isolated
        self._by_dir: dict[Path, Settings] = {}
        self._by_file: dict[Path | None, Settings] = {}
        self._config_of_dir: dict[Path, Path | None] = {}
        # Keyed on the directory as given: resolving a path costs more than the lookup.
        self._by_given_dir: dict[Path, Settings] = {}
        self._paths = Resolver()
        self._forced: Settings | None = None
        if isolated:
            self._forced = build_settings(None, cli)
        elif config_path is not None:
            if not config_path.is_file():
                raise ConfigError(f"--config: {config_path} does not exist")
            self._forced = build_settings(load_file_config(config_path), cli)

    def __call__(self, path: Path) -> Settings:
        return self.for_directory(path if path.is_dir() else path.parent)

    def for_file(self, path: Path) -> Settings:
        """``self(path)`` for a path known to be a file (no ``stat``)."""
        return self.for_directory(path.parent)

    def for_directory(self, given_dir: Path) -> Settings:
        """``self(given_dir)`` for a path known to be a directory."""
        if self._forced is not None:
            return self._forced
        known = self._by_given_dir.get(given_dir)
        if known is not None:
            return known
        directory = self._paths.directory(given_dir)
        cached = self._by_dir.get(directory)
        if cached is None:
            config_file = self._config_file(directory)
            cached = self._by_file.get(config_file)
            if cached is None:
                config = load_file_config(config_file) if config_file else None
                cached = build_settings(config, self.cli)
                self._by_file[config_file] = cached
            self._by_dir[directory] = cached
        self._by_given_dir[given_dir] = cached
        return cached

    def _config_file(self, directory: Path) -> Path | None:
        """``find_config_file`` with each directory's answer kept: a tree of many
        folders under one big ``pyproject.toml`` reads and parses it once."""
        if directory not in self._config_of_dir:
            pyproject = directory / "pyproject.toml"
            if has_table(pyproject):
                found: Path | None = pyproject
            elif directory.parent == directory:
                found = None
            else:
                found = self._config_file(directory.parent)
            self._config_of_dir[directory] = found
        return self._config_of_dir[directory]

    def for_cwd(self) -> Settings:
        return self(Path.cwd())


def split_selectors(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` -> ("A", "B", "C"); None when the flag was not given."""
    if not values:
        return None
    return tuple(s.strip() for v in values for s in v.split(",") if s.strip())


SettingsFor = Callable[[Path], Settings]

__all__ = [
    "ConfigError",
    "FileConfig",
    "Selection",
    "Settings",
    "SettingsResolver",
    "build_settings",
    "expand_selectors",
    "find_config_file",
    "glob_matches",
    "load_file_config",
    "split_selectors",
]
