"""The result cache: warm runs reuse results, edits invalidate, a broken cache never fails."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from samples import HEADER_WRITTEN_TWICE

import flasklint_headers.runner as runner
from flasklint_headers.cache import ResultCache, content_hash
from flasklint_headers.cache_key import cache_key, mac
from flasklint_headers.config import Settings
from flasklint_headers.findings import Applicability, Edit, Finding, Fix, Position, Severity
from flasklint_headers.fixer import fix_reports
from flasklint_headers.runner import RunOptions, check_paths

VIEW = HEADER_WRITTEN_TWICE


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "app.py").write_text(VIEW, encoding="utf-8")
    (root / "util.py").write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    return root


def _cache(directory: Path) -> ResultCache:
    """The cache as runs open it (under the test session's key)."""
    key = cache_key().key
    assert key is not None
    return ResultCache(directory, key)


def _read_signed(path: Path) -> dict:
    return json.loads(path.read_bytes().partition(b"\n")[2])


def _write_signed(path: Path, data: dict) -> None:
    """Write entries as a run holding the key would (tests of what entries may hold)."""
    key = cache_key().key
    assert key is not None
    body = json.dumps(data).encode()
    path.write_bytes(b"flasklint-cache-mac " + mac(key, path.name, body).encode() + b"\n" + body)


def _files(root: Path) -> list[Path]:
    return sorted(root.glob("*.py"))


def _run(root: Path, cache_dir: Path | None, **kwargs) -> list[tuple]:
    options = RunOptions(use_cache=cache_dir is not None, cache_dir=cache_dir, jobs=1)
    reports = check_paths(_files(root), Settings.default(), options=options, **kwargs)
    return [
        (r.display_name, f.code, f.location, f.message, f.fix) for r in reports for f in r.findings
    ]


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files the runner parses."""
    seen: list[str] = []
    original = runner.load_source

    def counting(source):
        seen.append(source.path.name)
        return original(source)

    monkeypatch.setattr(runner, "load_source", counting)
    return seen


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per run that planned afresh (did not reuse a cached plan)."""
    seen: list[int] = []
    original = runner._plan

    def counting(*args, **kwargs):
        seen.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(runner, "_plan", counting)
    return seen


def test_warm_run_parses_nothing_and_agrees(project: Path, parses: list[str]) -> None:
    cache_dir = project / ".flasklint_cache"
    cold = _run(project, cache_dir)
    assert cold and parses == ["app.py"]
    parses.clear()
    assert _run(project, cache_dir) == cold
    assert parses == []
    assert (
        (cache_dir / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (cache_dir / ".gitignore").read_text().splitlines()[-1] == "*"


def test_an_edit_invalidates(project: Path, parses: list[str]) -> None:
    cache_dir = project / ".flasklint_cache"
    _run(project, cache_dir)
    (project / "app.py").write_text(VIEW.replace('"SAMEORIGIN"', '"DENY"'), encoding="utf-8")
    parses.clear()
    warm = _run(project, cache_dir)
    assert parses == ["app.py"]
    assert warm == _run(project, None)


def test_a_fresh_checkout_with_a_restored_cache_parses_nothing(
    project: Path, parses: list[str]
) -> None:
    """CI restores ``.flasklint_cache`` into a new clone: same bytes, new inodes and times."""
    cache_dir = project / ".flasklint_cache"
    cold = _run(project, cache_dir)
    for path in _files(project):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        os.utime(path, (1_000_000_000, 1_000_000_000))  # another clone, another time
    parses.clear()
    assert _run(project, cache_dir) == cold
    assert parses == []


def test_settings_change_invalidates(project: Path) -> None:
    cache_dir = project / ".flasklint_cache"
    assert _run(project, cache_dir)
    options = RunOptions(cache_dir=cache_dir, jobs=1)
    only_cookies = Settings(enabled=frozenset({"FLH401"}))
    reports = check_paths(_files(project), only_cookies, options=options)
    assert not [f for r in reports for f in r.findings]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b'{"schema": 1, "version": "0", "facts": 1}',
        b"\x00\xff" * 50,
        json.dumps({"schema": 1, "version": "x", "facts": {}, "results": {}}).encode(),
    ],
)
def test_corrupt_cache_falls_back(project: Path, content: bytes) -> None:
    cache_dir = project / ".flasklint_cache"
    expected = _run(project, None)
    cache_dir.mkdir()
    (cache_dir / _cache(cache_dir).path.name).write_bytes(content)
    assert _run(project, cache_dir) == expected
    assert _run(project, cache_dir) == expected


def test_wrong_entries_are_ignored(project: Path) -> None:
    cache_dir = project / ".flasklint_cache"
    expected = _run(project, cache_dir)
    path = _cache(cache_dir).path
    data = _read_signed(path)
    for entry in data["results"].values():
        entry[1] = [{"code": "nonsense"}]
    _write_signed(path, data)
    assert _run(project, cache_dir) == expected


@pytest.mark.parametrize("references", [[None, 3], "flask", {"a": 1}])
def test_signed_facts_of_the_wrong_type_are_not_used(tmp_path: Path, references: object) -> None:
    """A facts entry holds lists of names; anything else (even signed, under a leaked
    key) is recomputed from the file instead of failing the run in the filter."""
    from flasklint_headers.relevance import FileFacts

    cache = _cache(tmp_path)
    cache.store_facts("/p/app.py", "d1", FileFacts("app", False, True, True, ("flask",)))
    cache.save()
    (path,) = tmp_path.glob("facts-v*.json")
    data = _read_signed(path)
    data["facts"]["/p/app.py"][5] = references
    _write_signed(path, data)
    assert _cache(tmp_path).facts("/p/app.py", "d1", "app") is None


def test_an_unchanged_run_reuses_its_plan_and_agrees(project: Path, planned: list[int]) -> None:
    """The second identical run skips the relevance filter (the plan is cached)."""
    cache_dir = project / ".flasklint_cache"
    cold = _run(project, cache_dir)
    planned.clear()
    assert _run(project, cache_dir) == cold
    assert planned == []
    # An edit that keeps every file's imports and Flask words keeps the plan ...
    (project / "util.py").write_text("def add(a, b):\n    return b + a\n", encoding="utf-8")
    warm = _run(project, cache_dir)
    assert planned == []
    assert warm == _run(project, None)
    # ... one that changes what the relevance filter sees does not.
    (project / "util.py").write_text("from app import app\n", encoding="utf-8")
    planned.clear()
    warm = _run(project, cache_dir)
    assert planned == [1]
    assert warm == _run(project, None)
    planned.clear()
    assert _run(project, cache_dir) == warm
    assert planned == []


def test_a_file_whose_words_the_plan_read_re_plans_when_edited(
    tmp_path: Path, planned: list[int]
) -> None:
    """``from_object("settings.Prod")`` links ``settings`` only once it has a ``Prod``.

    Adding the class changes none of settings.py's relevance facts, so only the
    plan's record of the files whose words it read makes the next run re-plan.
    """
    (tmp_path / "app.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n"
        'app.config.from_object("settings.Prod")\n\n\n'
        '@app.route("/")\ndef index():\n    return "hi"\n',
        encoding="utf-8",
    )
    (tmp_path / "settings.py").write_text("X = 1\n", encoding="utf-8")
    cache_dir = tmp_path / ".flasklint_cache"
    before = _run(tmp_path, cache_dir)
    planned.clear()
    (tmp_path / "settings.py").write_text("class Prod:\n    SECRET_KEY = 'dev'\n", encoding="utf-8")
    after = _run(tmp_path, cache_dir)
    assert planned == [1]
    assert after == _run(tmp_path, None)
    # The class makes the config complete, so FLH407 can now tell the session flags are unset.
    assert {f[1] for f in after} - {f[1] for f in before} == {"FLH407"}


@pytest.mark.parametrize(
    "plan",
    [
        None,
        7,
        ["x"],
        [["a"], [[0, 1]], 1],
        [[], "no", 1],
        [["a", "b"], [[0, 5]], 1],
        [[1, 2], [[0, 1]], 2],
        [[["a", "d", "m", False], ["b", "e", "n", False]], [[0, 1]], 2],
        [[["a", "d", "m", False], ["b", "e", "n", False]], [[0, 1]], 2, ["x"]],
    ],
)
def test_a_damaged_plan_is_ignored(project: Path, plan: object) -> None:
    cache_dir = project / ".flasklint_cache"
    expected = _run(project, cache_dir)
    path = _cache(cache_dir).path
    data = _read_signed(path)
    data["plans"] = {key: plan for key in data["plans"]}
    _write_signed(path, data)
    assert _run(project, cache_dir) == expected


def test_unwritable_cache_location_never_fails(project: Path) -> None:
    blocker = project / "not-a-dir"
    blocker.write_text("x")
    assert _run(project, blocker / "cache") == _run(project, None)


def test_no_cache_writes_nothing(project: Path) -> None:
    _run(project, None)
    assert not (project / ".flasklint_cache").exists()


def test_fix_mode_ignores_cached_results(project: Path) -> None:
    cache_dir = project / ".flasklint_cache"
    _run(project, cache_dir)
    # Poison the cache: a fix run must not report (or apply) these.
    cache = _cache(cache_dir)
    key_path = str((project / "app.py").resolve())
    cache._results[key_path][1] = []
    cache._dirty = True
    cache.save()

    def fixer(files, project_model):
        return fix_reports(files, project_model, unsafe=False)

    options = RunOptions(cache_dir=cache_dir, jobs=1)
    reports = check_paths(_files(project), Settings.default(), fixer, options=options)
    app_report = next(r for r in reports if r.display_name.endswith("app.py"))
    assert app_report.fixed_text is not None or app_report.findings


def test_findings_round_trip_through_json(tmp_path: Path) -> None:
    finding = Finding(
        "FLH104",
        "duplicate",
        Severity.WARNING,
        "m",
        "a.py",
        Position(3, 5),
        Position(3, 9),
        Fix("f", Applicability.UNSAFE, (Edit(Position(3, 1), Position(4, 1), "x\r\n"),)),
        "https://example.invalid",
        "  line",
    )
    cache = _cache(tmp_path)
    cache.store_findings("/a.py", "k", [finding])
    cache.save()
    loaded = _cache(tmp_path).findings("/a.py", "k")
    assert loaded == [finding]
    assert loaded[0].source_line == "  line"


def test_content_hash_distinguishes_bytes() -> None:
    assert content_hash(b"a\n") != content_hash(b"a\r\n")


def test_default_location_is_the_project_root(tmp_path: Path) -> None:
    from flasklint_headers.cache import default_cache_dir

    (tmp_path / "pyproject.toml").write_text("")
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    assert default_cache_dir(nested) == tmp_path.resolve() / ".flasklint_cache"


def test_other_working_directory_gets_its_own_display_names(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = project / ".flasklint_cache"
    options = RunOptions(cache_dir=cache_dir, jobs=1)
    monkeypatch.chdir(project)
    here = check_paths([project / "app.py"], Settings.default(), options=options)
    assert here[0].findings[0].filename == "app.py"
    monkeypatch.chdir(project.parent)
    above = check_paths([project / "app.py"], Settings.default(), options=options)
    assert above[0].findings[0].filename == "proj/app.py"


def test_saves_keep_what_another_run_wrote_meanwhile(tmp_path: Path) -> None:
    finding = Finding("FLH101", "x", Severity.WARNING, "m", "a.py", Position(1, 1), Position(1, 2))
    first, second = _cache(tmp_path), _cache(tmp_path)
    first.store_findings("/a.py", "key-a", [finding])
    first.save()
    second.store_findings("/b.py", "key-b", [])
    second.save()  # the file changed since ``second`` loaded it: merged, not replaced
    merged = _cache(tmp_path)
    assert merged.findings("/a.py", "key-a") == [finding]
    assert merged.findings("/b.py", "key-b") == []
    # Unchanged since it was loaded: written without re-reading, nothing lost.
    merged.store_findings("/c.py", "key-c", [])
    merged.save()
    again = _cache(tmp_path)
    assert again.findings("/a.py", "key-a") == [finding]
    assert again.findings("/c.py", "key-c") == []


# -- unchanged files are not read (stat signatures, like Git's index) ---------------------------
@pytest.fixture
def trusted_times(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a test just wrote have fresh times, which the cache rightly distrusts."""
    monkeypatch.setattr("flasklint_headers.cache._RACY_NS", 0)


def test_an_unchanged_tree_is_not_read_again(
    project: Path, reads: list[str], trusted_times: None
) -> None:
    cache_dir = project / ".flasklint_cache"
    cold = _run(project, cache_dir)
    assert sorted(reads) == ["app.py", "util.py"]
    reads.clear()
    # app.py has findings: it is read for the report's source lines, util.py is not.
    assert _run(project, cache_dir) == cold
    assert reads == ["app.py"]


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    project: Path, reads: list[str], trusted_times: None
) -> None:
    cache_dir = project / ".flasklint_cache"
    _run(project, cache_dir)
    app = project / "app.py"
    before = app.stat()
    edited = VIEW.replace('"SAMEORIGIN"', '"DENYXXXXXX"')  # same length
    assert len(edited) == len(VIEW)
    app.write_text(edited, encoding="utf-8")
    os.utime(app, ns=(before.st_atime_ns, before.st_mtime_ns))  # the change time still moves
    assert app.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    warm = _run(project, cache_dir)
    assert "app.py" in reads
    assert warm == _run(project, None)


def test_fresh_file_times_are_not_trusted(project: Path, reads: list[str]) -> None:
    """A file written within the clock's resolution of its reading may change unseen."""
    cache_dir = project / ".flasklint_cache"
    cold = _run(project, cache_dir)
    reads.clear()
    assert _run(project, cache_dir) == cold
    assert sorted(reads) == ["app.py", "util.py"]  # both just written: read again


def test_a_file_gone_before_its_cached_report_is_read(
    project: Path, monkeypatch: pytest.MonkeyPatch, trusted_times: None
) -> None:
    cache_dir = project / ".flasklint_cache"
    _run(project, cache_dir)

    def vanished(path, name, *limits):
        raise runner.SourceError("no such file (deleted, or a broken symlink)")

    monkeypatch.setattr(runner, "read_source", vanished)
    warm = _run(project, cache_dir)
    assert [(Path(name).name, code) for name, code, *_ in warm] == [("app.py", "FLH003")]


def test_files_of_earlier_schemas_are_removed(project: Path) -> None:
    cache_dir = project / ".flasklint_cache"
    cache_dir.mkdir()
    (cache_dir / "results-v1.json").write_text("{}")
    (cache_dir / "facts-v2.json").write_text("{}")
    (cache_dir / "notes.txt").write_text("kept")
    _run(project, cache_dir)
    names = sorted(p.name for p in cache_dir.iterdir())
    assert "results-v1.json" not in names and "facts-v2.json" not in names
    assert "notes.txt" in names
    assert _cache(cache_dir).path.name in names


def test_a_warm_run_does_not_load_the_facts(
    project: Path, trusted_times: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relevance facts are only needed to plan afresh; a reused plan keeps a digest of them."""
    import flasklint_headers.cache as cache_module

    cache_dir = project / ".flasklint_cache"
    _run(project, cache_dir)
    loaded: list[str] = []
    original = cache_module._JsonFile.load

    def recording(self):
        loaded.append(self.path.name)
        return original(self)

    monkeypatch.setattr(cache_module._JsonFile, "load", recording)
    (project / "util.py").write_text("def add(a, b):\n    return b + a\n", encoding="utf-8")
    warm = _run(project, cache_dir)
    assert loaded and not any(name.startswith("facts") for name in loaded)
    # A new import changes util.py's facts: planning afresh reads the others' facts.
    (project / "util.py").write_text("import json\n", encoding="utf-8")
    loaded.clear()
    assert _run(project, cache_dir) == _run(project, None)
    assert any(name.startswith("facts") for name in loaded)
    assert warm
