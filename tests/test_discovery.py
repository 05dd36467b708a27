"""File discovery: default excludes, configured excludes, .gitignore semantics."""

from __future__ import annotations

from pathlib import Path

import pytest

from flasklint_headers.config import SettingsResolver
from flasklint_headers.discovery import discover, parse_gitignore_line


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")


def found(root: Path, *paths: Path, force_exclude: bool = False) -> list[str]:
    files = discover(paths or (root,), SettingsResolver(), force_exclude=force_exclude)
    return sorted(p.resolve().relative_to(root.resolve()).as_posix() for p in files)


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "ignored"),
    [
        ("*.py", "a/b.py", False, True),
        ("/build", "build", True, True),
        ("/build", "src/build", True, False),
        ("build/", "src/build", True, True),
        ("build/", "build", False, False),
        ("doc/*.py", "doc/a.py", False, True),
        ("doc/*.py", "doc/sub/a.py", False, False),
        ("**/gen", "a/b/gen", True, True),
        ("**/gen", "gen", True, True),
        ("a/**/b.py", "a/b.py", False, True),
        ("a/**/b.py", "a/x/y/b.py", False, True),
        ("out/**", "out/x/y.py", False, True),
        ("\\#keep.py", "#keep.py", False, True),
        ("[ab].py", "b.py", False, True),
        ("[!ab].py", "b.py", False, False),
        ("?.py", "ab.py", False, False),
    ],
)
def test_gitignore_pattern(pattern: str, path: str, is_dir: bool, ignored: bool) -> None:
    parsed = parse_gitignore_line(pattern)
    assert parsed is not None
    matched = bool(parsed.regex.match(path)) and (is_dir or not parsed.directory_only)
    assert matched is ignored


@pytest.mark.parametrize("line", ["", "# comment", "   ", "/"])
def test_gitignore_blank_and_comment_lines(line: str) -> None:
    assert parse_gitignore_line(line) is None


def test_default_excludes_and_suffixes(tmp_path: Path) -> None:
    touch(tmp_path, "app.py", "stubs.pyi", "notes.txt", ".venv/lib.py", "build/x.py")
    touch(tmp_path, "node_modules/y.py", "pkg/__pycache__/z.py", "pkg/views.py")
    assert found(tmp_path) == ["app.py", "pkg/views.py", "stubs.pyi"]


def test_gitignore_at_every_level_with_negation(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    touch(tmp_path, "app.py", "gen_a.py", "gen_keep.py", "sub/gen_b.py", "sub/local.py")
    touch(tmp_path, "sub/inner/ok.py", "logs/x.py", "data/logs/y.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\n!gen_keep.py\nlogs/\n", encoding="utf-8")
    (tmp_path / "sub" / ".gitignore").write_text("/local.py\n", encoding="utf-8")
    assert found(tmp_path) == ["app.py", "gen_keep.py", "sub/inner/ok.py"]


def test_deeper_gitignore_can_reinclude(tmp_path: Path) -> None:
    touch(tmp_path, "a/gen_x.py", "b/gen_y.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\n", encoding="utf-8")
    (tmp_path / "a" / ".gitignore").write_text("!gen_x.py\n", encoding="utf-8")
    assert found(tmp_path) == ["a/gen_x.py"]


def test_gitignore_of_the_repository_above_the_checked_directory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("generated/\n", encoding="utf-8")
    touch(tmp_path, "src/generated/x.py", "src/app.py")
    assert found(tmp_path, tmp_path / "src") == ["src/app.py"]


def test_explicit_files_are_checked_unless_force_exclude(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a config file, excludes are relative to the current directory (pre-commit's
    # is the repository root).
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, "build/x.py", "gen.py")
    (tmp_path / ".gitignore").write_text("gen.py\n", encoding="utf-8")
    explicit = (tmp_path / "build" / "x.py", tmp_path / "gen.py")
    assert found(tmp_path, *explicit) == ["build/x.py", "gen.py"]
    assert found(tmp_path, *explicit, force_exclude=True) == []


def test_configured_exclude_globs(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.flasklint-headers]\nextend-exclude = ["migrations", "app/gen_*.py"]\n',
        encoding="utf-8",
    )
    touch(tmp_path, "migrations/v1.py", "app/gen_a.py", "app/views.py", "gen_b.py")
    assert found(tmp_path) == ["app/views.py", "gen_b.py"]
