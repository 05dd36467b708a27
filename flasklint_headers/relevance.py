"""Decide from a file's bytes whether it needs a full (libcst) parse.

libcst parsing costs about twelve times Python's own ``ast.parse``, and in real
projects most files never touch Flask.  So the pipeline parses only:

1. **seeds** - files that mention Flask, Werkzeug, Quart or a Flask extension
   (case-insensitive ``flask`` also catches ``flask_talisman`` and project
   classes such as ``MyFlask``), one of our own suppression comments, a
   registration call (``.route(``, ``add_url_rule``, ``register_blueprint``,
   ``init_app``, hook decorators), cookie calls or Flask cookie/session config
   keys;
2. **everything a parsed file imports** from the project (transitively), and
   every project module named in one of its string literals
   (``app.config.from_object("pkg.settings")``): re-exports, constants,
   factories and view functions registered elsewhere live there.  A string
   ``"a.b.c"`` that is not a module names attribute ``c`` of module ``a.b``;
   the model can only find that attribute where the word ``c`` occurs, so
   ``"config.yml"`` does not pull in a ``config`` module without ``yml``;
3. **importers with a reason** - a file that imports a parsed module and
   mentions a response/header/app word (``headers``, ``Response``, ``app``…).
   That is how a file with no Flask import gets a Flask object
   (``from .compat import Response``, ``from myapp import app``), and how call
   sites that decide a parameter's kind (``setup(app)``) stay visible.

Steps 2 and 3 repeat until nothing new is added.  Every other file cannot
produce a finding: the model only links modules through imports and module
names, and a rule only fires on Flask objects, which such a file cannot reach.
The one visible difference: a syntax error (FLH001) in a file that is never
parsed is not reported - we lint Flask code, not every file.

Everything here works on bytes with regular expressions and must stay free of
libcst imports (it runs in the fast path of every invocation).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flasklint_headers.disjoint import DisjointSets
from flasklint_headers.paths import Resolver

# Plain substring tests (``bytes.__contains__`` is a fast memmem); regular
# expressions with many alternatives are ~50x slower on megabytes of source.
_SEED_WORDS_ANY_CASE = (b"flask", b"werkzeug", b"quart", b"talisman")
_SEED_WORDS = (
    b"FLH",
    b"SESSION_COOKIE",
    b"REMEMBER_COOKIE",
    b"PERMANENT_SESSION",
    b"SECRET_KEY",
    b"PREFERRED_URL_SCHEME",
    b"from_object",
    b"from_mapping",
    b"from_pyfile",
    b"from_prefixed_env",
    b"register_blueprint",
    b"add_url_rule",
    b"init_app",
    b".route(",
    b"after_request",
    b"after_app_request",
    b"after_this_request",
    b"before_request",
    b"errorhandler",
    b"set_cookie",
    b"delete_cookie",
    b"make_response",
)
_REASON_WORDS_ANY_CASE = (
    b"header",
    b"response",
    b"cookie",
    b"redirect",
    b"jsonify",
    b"send_file",
    b"send_from_directory",
    b"abort",
    b"app",
    b"config",
    b"secret_key",
    b"resource",
    b"view",
    b"blueprint",
    b"status",
    b"cors",
    b"csp",
    b"hsts",
    b"content-",
    b"x-",
)
_DYNAMIC_IMPORT_WORDS = (b"from_object", b"import_string", b"import_module")
_DOTTED_STRING_RE = re.compile(rb"""["']([A-Za-z_]\w*(?:\.\w+)+)(?::\w+)?["']""")
_NAME_RE = re.compile(rb"[A-Za-z_][\w.]*")
_FLH_CODE_RE = re.compile(rb"FLH\d")


@dataclass(frozen=True)
class FileFacts:
    """What the filter needs to know about one file, read from its bytes."""

    module_name: str
    is_package: bool
    seed: bool
    has_reason: bool
    # Absolute dotted names this file imports.
    references: tuple[str, ...]
    # Dotted string literals that may name a module or a module's attribute
    # (only in files that import dynamically), minus those already imported.
    string_references: tuple[str, ...] = ()


def resolve_relative(module_name: str, is_package: bool, level: int, target: str) -> str:
    """Absolute name of ``from <level dots><target> import``; same rules as the model's index."""
    if level == 0:
        return target
    parts = module_name.split(".") if module_name else []
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)] if level - 1 <= len(parts) else []
    base = ".".join(parts)
    if target:
        return f"{base}.{target}" if base else target
    return base


class ModuleNamer:
    """Dotted module names of files (the model's ``module_name_for``), caching directory checks."""

    def __init__(self) -> None:
        self._package_dir: dict[Path, bool] = {}
        self._paths = Resolver()
        self._packages: dict[Path, str] = {}

    def _is_package_dir(self, directory: Path) -> bool:
        known = self._package_dir.get(directory)
        if known is None:
            known = os.path.exists(directory / "__init__.py")
            self._package_dir[directory] = known
        return known

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, resolving each directory once (a symlinked file in full)."""
        return self._paths.file(path)

    def name_for(self, path: Path) -> tuple[str, bool]:
        path = self.resolve(path)
        is_package = path.name == "__init__.py"
        package = self._package_of(path.parent)
        if is_package:
            return package, True
        return (f"{package}.{path.stem}" if package else path.stem), False

    def _package_of(self, directory: Path) -> str:
        """Dotted package name of a directory ("" outside a package), once per directory."""
        known = self._packages.get(directory)
        if known is None:
            if not self._is_package_dir(directory):
                known = ""
            elif directory.parent == directory:
                known = directory.name
            else:
                parent = self._package_of(directory.parent)
                known = f"{parent}.{directory.name}" if parent else directory.name
            self._packages[directory] = known
        return known


def _import_statements(data: bytes) -> list[bytes]:
    """Text of every ``import``/``from`` statement (parenthesised name lists joined)."""
    statements: list[bytes] = []
    position = data.find(b"import")
    while position != -1:
        line_start = data.rfind(b"\n", 0, position) + 1
        line_end = data.find(b"\n", position)
        if line_end == -1:
            line_end = len(data)
        line = data[line_start:line_end].lstrip()
        if line.startswith((b"from ", b"from\t", b"import ", b"import\t")):
            if b"(" in line and b")" not in line:
                close = data.find(b")", line_end)
                line_end = len(data) if close == -1 else close + 1
                line = data[line_start:line_end].lstrip()
            elif line.rstrip().endswith(b"\\"):
                line_end = data.find(b"\n", line_end + 1)
                line_end = len(data) if line_end == -1 else line_end
                line = data[line_start:line_end].lstrip().replace(b"\\\n", b" ")
            statements.append(line.split(b"#", 1)[0])
        position = data.find(b"import", max(line_end, position + 6))
    return statements


def _names(items: bytes) -> list[str]:
    names = []
    for item in items.strip().strip(b"()").split(b","):
        match = _NAME_RE.match(item.strip())
        if match:
            names.append(match.group().decode("ascii", "replace"))
    return names


def _imported_names(data: bytes, module_name: str, is_package: bool) -> list[str]:
    found: list[str] = []
    for statement in _import_statements(data):
        for part in statement.split(b";"):
            part = part.strip()
            if part.startswith(b"import"):
                for name in _names(part[6:]):
                    # ``import a.b.c`` binds ``a``: ``a.x`` and ``a.b.x`` are reachable too.
                    pieces = name.split(".")
                    found.extend(".".join(pieces[:n]) for n in range(1, len(pieces) + 1))
                continue
            head, sep, names = part[4:].partition(b"import")
            if not sep:
                continue
            base = head.strip()
            dots = len(base) - len(base.lstrip(b"."))
            target = base[dots:].decode("ascii", "replace")
            absolute = resolve_relative(module_name, is_package, dots, target)
            if absolute:
                found.append(absolute)
            for leaf in _names(names):
                found.append(f"{absolute}.{leaf}" if absolute else leaf)
    return found


def _any(data: bytes, words: Sequence[bytes]) -> bool:
    return any(word in data for word in words)


def is_seed(data: bytes, lowered: bytes | None = None) -> bool:
    """True when the file itself may hold something a rule checks (see module docstring)."""
    lowered = data.lower() if lowered is None else lowered
    if _any(lowered, _SEED_WORDS_ANY_CASE):
        return True
    if b"FLH" in data and _FLH_CODE_RE.search(data):
        return True
    return _any(data, _SEED_WORDS[1:])


def file_facts(data: bytes, module_name: str, is_package: bool) -> FileFacts:
    lowered = data.lower()
    seed = is_seed(data, lowered)
    references = tuple(dict.fromkeys(_imported_names(data, module_name, is_package)))
    strings: tuple[str, ...] = ()
    if _any(data, _DYNAMIC_IMPORT_WORDS):
        imported = set(references)
        strings = tuple(
            dict.fromkeys(
                name
                for m in _DOTTED_STRING_RE.finditer(data)
                if (name := m.group(1).decode("ascii", "replace")) not in imported
            )
        )
    return FileFacts(
        module_name,
        is_package,
        seed,
        seed or _any(lowered, _REASON_WORDS_ANY_CASE),
        references,
        strings,
    )


def has_word(data: bytes, word: str) -> bool:
    """True when ``word`` occurs in ``data`` as a whole identifier (a superset of bindings)."""
    encoded = word.encode("ascii", "replace")
    start = data.find(encoded)
    while start != -1:
        end = start + len(encoded)
        before = data[start - 1 : start] if start else b""
        after = data[end : end + 1]
        if not _is_identifier_byte(before) and not _is_identifier_byte(after):
            return True
        start = data.find(encoded, start + 1)
    return False


def _is_identifier_byte(byte: bytes) -> bool:
    return bool(byte) and (byte.isalnum() or byte == b"_" or byte[0] >= 0x80)


def _referenced_modules(reference: str, by_name: dict[str, list[int]]) -> Iterable[int]:
    """Files a dotted reference can mean: the module ``a.b.c`` or the attribute ``c`` of ``a.b``.

    The model splits a qualified name once (``module.attribute``), so enclosing
    packages further up are never consulted.
    """
    yield from by_name.get(reference, ())
    parent = reference.rpartition(".")[0]
    if parent:
        yield from by_name.get(parent, ())


# ``contains_word(index, word)``: does file ``index`` contain the identifier ``word``?
WordCheck = Callable[[int, str], bool]


def targets_of(
    facts: Sequence[FileFacts], contains_word: WordCheck | None = None
) -> list[set[int]]:
    """For each file, the files its references can mean (and files sharing its module name).

    Without ``contains_word`` a string reference ``"a.b.c"`` may mean any
    module ``a.b`` (always safe, but ``"config.yml"`` then links every module
    named ``config``).
    """
    by_name: dict[str, list[int]] = {}
    for index, fact in enumerate(facts):
        if fact.module_name:
            by_name.setdefault(fact.module_name, []).append(index)
    targets: list[set[int]] = []
    for index, fact in enumerate(facts):
        found: set[int] = set()
        for reference in fact.references:
            found.update(_referenced_modules(reference, by_name))
        for reference in fact.string_references:
            found.update(by_name.get(reference, ()))
            parent, _, attribute = reference.rpartition(".")
            for candidate in by_name.get(parent, ()) if parent else ():
                if contains_word is None or contains_word(candidate, attribute):
                    found.add(candidate)
        if fact.module_name:
            # Same-named modules shadow each other in the model: keep them together.
            found.update(by_name[fact.module_name])
        found.discard(index)
        targets.append(found)
    return targets


def select_files(facts: Sequence[FileFacts], targets: Sequence[set[int]] | None = None) -> set[int]:
    """Indices of the files to parse (seeds, then the closure described in the module docstring)."""
    targets = targets_of(facts) if targets is None else targets
    importers: dict[int, list[int]] = {}
    for index, fact in enumerate(facts):
        if fact.has_reason:
            for target in targets[index]:
                importers.setdefault(target, []).append(index)
    selected: set[int] = set()
    pending = [i for i, fact in enumerate(facts) if fact.seed]
    while pending:
        index = pending.pop()
        if index in selected:
            continue
        selected.add(index)
        pending.extend(targets[index])
        pending.extend(importers.get(index, ()))
    return selected


def link_groups(
    facts: Sequence[FileFacts],
    selected: Iterable[int],
    targets: Sequence[set[int]] | None = None,
) -> list[list[int]]:
    """Split the selected files into groups that never refer to each other.

    Two files are linked when one refers to the other's module (or they share
    a module name).  The model only connects modules through names, and its
    searches beyond names stay within linked modules
    (``ProjectModel.linked_modules``), so each group can be modelled and checked
    on its own with the same answers.  Groups keep the input order of their files.
    """
    targets = targets_of(facts) if targets is None else targets
    chosen = sorted(set(selected))
    sets = DisjointSets(chosen)
    for index in chosen:
        for target in targets[index]:
            if target in sets:
                sets.union(index, target)
    groups = sets.groups()
    return sorted(groups.values(), key=lambda g: g[0])
