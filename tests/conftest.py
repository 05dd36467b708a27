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
