"""Stored syntax trees: read back exactly, used only for the same content, never run code."""

from __future__ import annotations

import json
import pickle
import shutil
import zlib
from pathlib import Path

import libcst as cst
import pytest
from click.testing import CliRunner

import flasklint_headers.runner as runner
from flasklint_headers import tree_cache
from flasklint_headers.cache import content_hash
from flasklint_headers.cache_key import cache_key, mac
from flasklint_headers.cli import main
from flasklint_headers.config import Settings
from flasklint_headers.parsing import parse_text
from flasklint_headers.source import decode_source
from flasklint_headers.timing import Timings
from flasklint_headers.tree_cache import TreeSlot, load_tree, store_tree, tree_slot

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PROJECTS = FIXTURES / "projects"


def _key() -> bytes:
    key = cache_key().key
    assert key is not None
    return key


def _slot(tmp_path: Path, text: str, name: str = "app.py") -> TreeSlot:
    digest = content_hash(text.encode())
    return tree_slot(tmp_path / "cache", str(tmp_path / name), digest, True, _key())


def _load(slot: TreeSlot, text: str = "x = 1\n") -> object:
    return load_tree(slot, len(text.encode()))


def _fixture_sources() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.py") if ".fixed" not in p.name)


def test_every_fixture_reads_back_as_the_same_tree(tmp_path: Path) -> None:
    checked = 0
    for path in _fixture_sources():
        text = path.read_text(encoding="utf-8")
        parsed = parse_text(text)
        if not hasattr(parsed, "code"):
            continue  # a syntax-error fixture: nothing to store
        slot = _slot(tmp_path, text, path.name)
        store_tree(slot, parsed)
        loaded = load_tree(slot, len(text.encode()))
        assert loaded is not None, path
        assert loaded.code == text
        assert loaded.deep_equals(parsed), path
        checked += 1
    assert checked > 100


def _group_findings(paths: list[Path], trees: list[TreeSlot] | None) -> list[list[tuple]]:
    sources = [decode_source(p.read_bytes(), p, p.name) for p in paths]
    reports = runner.check_group(
        sources, [Settings.default()] * len(sources), Timings(), trees=trees
    )
    return [[(f.code, f.location, f.message, f.fix) for f in r.findings] for r in reports]


@pytest.mark.parametrize("forked", [False, True], ids=["stored-here", "stored-by-a-child"])
@pytest.mark.parametrize("project", sorted(p.name for p in PROJECTS.iterdir() if p.is_dir()))
def test_a_project_checked_from_stored_trees_has_the_same_findings(
    project: str, forked: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "_MIN_TREES_TO_FORK", 1 if forked else 10**6)
    paths = sorted((PROJECTS / project).rglob("*.py"))
    slots = [
        tree_slot(tmp_path, str(p), content_hash(p.read_bytes()), store=True, key=_key())
        for p in paths
    ]
    parsed = _group_findings(paths, slots)  # parses and stores every tree
    sizes = [len(p.read_bytes()) for p in paths]
    assert all(load_tree(slot, size) is not None for slot, size in zip(slots, sizes, strict=True))
    assert _group_findings(paths, slots) == parsed == _group_findings(paths, None)


def test_a_tree_of_other_content_is_ignored(tmp_path: Path) -> None:
    slot = _slot(tmp_path, "x = 1\n")
    store_tree(slot, parse_text("x = 1\n"))
    edited = TreeSlot(slot.path, content_hash(b"x = 2\n"), True, slot.key)
    assert _load(edited) is None
    assert _load(slot) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:40] + b"\0" * 100,  # garbage after the header
        lambda data: b"not a tree at all",
        lambda data: b"",
    ],
)
def test_a_damaged_tree_file_means_parsing(tmp_path: Path, damage) -> None:
    slot = _slot(tmp_path, "x = 1\n")
    store_tree(slot, parse_text("x = 1\n"))
    path = Path(slot.path)
    path.write_bytes(damage(path.read_bytes()))
    assert _load(slot) is None


class _Planted:
    """What an attacker would plant: unpickling it would create a marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def _plant(slot: TreeSlot, payload: bytes) -> None:
    """Write ``payload`` as the slot's tree, authentic (as if the key had leaked)."""
    Path(slot.path).parent.mkdir(parents=True, exist_ok=True)
    header = b"flasklint-tree 2\n" + slot.digest.encode() + b"\n"
    compressed = zlib.compress(payload)
    tag = mac(slot.key, "tree", header + compressed).encode() + b"\n"
    Path(slot.path).write_bytes(header + tag + compressed)


def test_a_planted_pickle_cannot_run_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    slot = _slot(tmp_path, "x = 1\n")
    _plant(slot, pickle.dumps(_Planted(marker)))
    assert _load(slot) is None
    assert not marker.exists()
    # Hidden inside a real tree, the same object is refused too.
    module = parse_text("x = 1\n")
    _plant(slot, pickle.dumps(module.with_changes(header=[_Planted(marker)])))
    assert _load(slot) is None
    assert not marker.exists()
    # A pickle of something that is not a module tree is not used either.
    _plant(slot, pickle.dumps(parse_text("x = 1\n").body[0]))
    assert _load(slot) is None


def test_a_tree_too_deep_to_pickle_is_parsed_every_time(tmp_path: Path) -> None:
    text = "x = " + "[" * 300 + "]" * 300 + "\n"
    slot = _slot(tmp_path, text)
    store_tree(slot, parse_text(text))  # no error
    assert _load(slot, text) is None


def test_an_unwritable_cache_never_fails(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the directory should be")
    slot = _slot(tmp_path, "x = 1\n")
    store_tree(slot, parse_text("x = 1\n"))
    assert _load(slot) is None


def test_trees_of_other_versions_are_removed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    stale = cache / "trees-0123456789abcdef"
    stale.mkdir(parents=True)
    (stale / "old.tree").write_bytes(b"old")
    current = tree_cache.tree_directory(cache)
    current.mkdir()
    (current / "new.tree").write_bytes(b"new")
    tree_cache.remove_stale_directories(cache)
    assert not stale.exists()
    assert (current / "new.tree").exists()


# -- in runs ---------------------------------------------------------------------------------


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files the runner parses (not those it reads back from stored trees)."""
    seen: list[str] = []
    original = runner.load_source

    def counting(source):  # type: ignore[no-untyped-def]
        seen.append(source.path.name)
        return original(source)

    monkeypatch.setattr(runner, "load_source", counting)
    return seen


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "insecure_factory"
    shutil.copytree(PROJECTS / "insecure_factory", root)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr("flasklint_headers.cache._RACY_NS", 0)  # files written just now
    return root


def _json(*args: str) -> list[dict]:
    result = CliRunner().invoke(main, ["--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _edit(path: Path, number: int) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"# edit {number}\n")


def test_a_one_file_run_reads_its_project_from_stored_trees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    root = _project(tmp_path, monkeypatch)
    given = "insecureapp/__init__.py"
    first = _json(given)
    context = len(parses) - 1
    assert context >= 1  # the project's other file was modelled
    for number in range(2):
        _edit(root / given, number)
        parses.clear()
        assert _json(given) == _json("--no-cache", given)
        # Only the edited file was parsed again (then the no-cache run parsed all).
        assert parses[:2] == ["__init__.py", "__init__.py"]
        assert len(parses) == 1 + (1 + context)
    assert first  # the fixture project has findings to compare


def test_context_files_are_modelled_but_never_cached_as_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(tmp_path, monkeypatch)
    _json("insecureapp/__init__.py")  # the project's other files as context
    assert _json(".") == _json("--no-cache", ".")
    assert any(f["filename"].endswith("views.py") for f in _json("."))


def test_an_edited_project_stores_its_trees_then_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    root = _project(tmp_path, monkeypatch)
    cache = root / ".flasklint_cache"
    _json(".")
    assert not list(cache.glob("trees-*/*.tree"))  # a cold run stores none
    views = root / "insecureapp" / "views.py"
    _edit(views, 1)
    parses.clear()
    _json(".")
    files = len(parses)
    assert len(list(cache.glob("trees-*/*.tree"))) == files  # the project is being edited
    _edit(views, 2)
    parses.clear()
    assert _json(".") == _json("--no-cache", ".")
    assert parses[0] == "views.py"
    assert len(parses) == 1 + files


def test_fixing_never_reads_stored_trees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parses: list[str]
) -> None:
    root = _project(tmp_path, monkeypatch)
    given = "insecureapp/__init__.py"
    _json(given)
    assert list((root / ".flasklint_cache").glob("trees-*/*.tree"))  # the context's tree
    parses.clear()
    result = CliRunner().invoke(main, ["--fix", "--unsafe-fixes", given])
    assert result.exit_code in (0, 1), result.output
    assert sorted(parses) == ["__init__.py", "views.py"]


# -- bounds that hold even for an authentic tree (a leaked key) --------------------------------
def test_a_tree_sharing_its_own_subtrees_is_refused(tmp_path: Path) -> None:
    expression: cst.BaseExpression = cst.Name("x")
    for _ in range(80):  # 2**80 nodes to walk
        expression = cst.BinaryOperation(expression, cst.Add(), expression)
    module = cst.Module(body=[cst.SimpleStatementLine([cst.Expr(expression)])])
    slot = _slot(tmp_path, "x = 1\n")
    _plant(slot, pickle.dumps(module))
    refused = _load(slot) is None  # (not in the assert: a failure would print 2**80 nodes)
    assert refused


def test_a_code_node_reached_twice_is_refused_but_shared_trivia_is_not(tmp_path: Path) -> None:
    text = "f(a, b, c)\n"
    parsed = parse_text(text)  # commas and their whitespace are shared (trivia.py)
    slot = _slot(tmp_path, text)
    _plant(slot, pickle.dumps(parsed))
    assert _load(slot, text) is not None
    name = cst.Name("a")
    twice = cst.Module(body=[cst.SimpleStatementLine([cst.Expr(name), cst.Expr(name)])])
    _plant(slot, pickle.dumps(twice))
    assert _load(slot, text) is None


def test_a_tree_larger_than_its_source_allows_is_refused(tmp_path: Path) -> None:
    text = "x = 1\n"
    many = "\n".join(f"v{n} = {n}" for n in range(5000)) + "\n"
    slot = _slot(tmp_path, text)
    _plant(slot, pickle.dumps(parse_text(many)))
    assert _load(slot, text) is None  # far more nodes than six bytes of source can hold
    assert _load(slot, many) is not None


def test_a_zlib_bomb_is_not_decompressed_past_the_bound(tmp_path: Path) -> None:
    import tracemalloc

    compressor = zlib.compressobj(9)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(256)) + compressor.flush()
    slot = _slot(tmp_path, "x = 1\n")
    _plant(slot, b"")  # the directory and an authentic header for the payload below
    header = b"flasklint-tree 2\n" + slot.digest.encode() + b"\n"
    tag = mac(slot.key, "tree", header + bomb).encode() + b"\n"
    Path(slot.path).write_bytes(header + tag + bomb)
    tracemalloc.start()
    try:
        assert _load(slot) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20  # 256 MiB decompressed would be the bomb


def test_a_tree_under_another_key_is_not_used(tmp_path: Path) -> None:
    slot = _slot(tmp_path, "x = 1\n")
    store_tree(slot, parse_text("x = 1\n"))
    assert _load(slot) is not None
    assert _load(TreeSlot(slot.path, slot.digest, True, b"k" * 32)) is None
    assert _load(TreeSlot(slot.path, slot.digest, True, b"")) is None  # no key: no trees


def test_a_stale_trees_link_is_removed_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "trees-0123456789abcdef").symlink_to(outside)
    tree_cache.remove_stale_directories(cache)
    assert (outside / "precious.txt").read_text() == "keep"
    assert not (cache / "trees-0123456789abcdef").is_symlink()
