"""The cache key: outside the repository, private to the user, shareable through a CI secret."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from samples import HEADER_WRITTEN_TWICE

from flasklint_headers.cache_key import ENV_VAR, cache_key, key_file_path

VIEW = HEADER_WRITTEN_TWICE
WARNING = "flasklint-headers: warning: cache not used"


def test_the_key_file_is_created_private_in_the_user_cache_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    first = cache_key()
    path = key_file_path()
    assert path == tmp_path / "home" / "flasklint-headers" / "cache-key"
    assert first.key is not None and len(first.key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache_key().key == first.key  # read back, not created again


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/dir")  # the XDG spec says: ignore it
    assert key_file_path() == Path.home() / ".cache" / "flasklint-headers" / "cache-key"


def test_a_key_file_others_can_read_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_key().key is not None
    os.chmod(key_file_path(), 0o644)
    lookup = cache_key()
    assert lookup.key is None and lookup.problem and "0600" in lookup.problem


def test_a_linked_key_file_is_not_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    elsewhere = tmp_path / "planted-key"
    elsewhere.write_text("00" * 32 + "\n")
    os.chmod(elsewhere, 0o600)
    key_file_path().parent.mkdir(parents=True)
    key_file_path().symlink_to(elsewhere)
    assert cache_key().key is None


def test_the_environment_key_wins_and_must_not_be_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv(ENV_VAR, "s" * 40)
    assert cache_key().key is not None
    assert not key_file_path().exists()  # never created when the environment has the key
    monkeypatch.setenv(ENV_VAR, "short")
    lookup = cache_key()
    assert lookup.key is None and lookup.problem and ENV_VAR in lookup.problem


def _cli(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flasklint_headers", "--output-format", "concise", "-v", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )


def test_runners_sharing_a_secret_share_the_cache(tmp_path: Path) -> None:
    """Two CI runners (two homes) restore one cache: with the secret it answers, without not."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (root / "app.py").write_text(VIEW)
    secret = {ENV_VAR: "ci-secret-" + "z" * 32}
    first = _cli(root, {**secret, "XDG_CACHE_HOME": str(tmp_path / "runner1")})
    shared = _cli(root, {**secret, "XDG_CACHE_HOME": str(tmp_path / "runner2")})
    fork = _cli(root, {"XDG_CACHE_HOME": str(tmp_path / "fork-runner")})
    assert "FLH104" in first.stdout
    assert shared.stdout == fork.stdout == first.stdout
    assert "files: cached 1," in shared.stderr  # the other runner's results answered
    assert "files: cached 0," in fork.stderr  # no secret: the restored cache is not used


def test_no_usable_key_means_no_cache_and_one_warning(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "app.py").write_text(VIEW)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache home should be")
    result = _cli(root, {"XDG_CACHE_HOME": str(blocker)})
    assert "FLH104" in result.stdout
    assert result.stderr.count(WARNING) == 1, result.stderr
    assert not (root / ".flasklint_cache").exists()
