import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the files the runner reads from disk."""
    import flasklint_headers.runner as runner

    seen: list[str] = []
    original = runner.read_source

    def counting(path, name, *limits):
        seen.append(Path(path).name)
        return original(path, name, *limits)

    monkeypatch.setattr(runner, "read_source", counting)
    return seen


@pytest.fixture(autouse=True)
def secret_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixture apps read their secret key from the environment, as deployed apps do."""
    monkeypatch.setenv("SECRET_KEY", "test-secret-key")


@pytest.fixture(autouse=True)
def cache_key_outside_the_users_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The cache key file (``cache_key.py``) lives in a tmp dir, never in the real home.

    Subprocesses inherit the environment, so CLI runs use it too.
    """
    home = tmp_path_factory.getbasetemp() / "user-cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("FLASKLINT_CACHE_KEY", raising=False)
    return home
