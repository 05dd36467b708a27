"""``positions.spans`` must give every node exactly the range libcst's PositionProvider gives."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from flasklint_headers.positions import code_range, spans

ROOT = Path(__file__).resolve().parent.parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLES = sorted(
    [
        *STDLIB.glob("*.py"),
        *(ROOT / "fixtures").rglob("*.py"),
        *(ROOT / "flasklint_headers").rglob("*.py"),
    ]
)
CHOSEN = SAMPLES[:: max(1, len(SAMPLES) // 50)]


def _parse(path: Path) -> cst.Module | None:
    try:
        return cst.parse_module(path.read_bytes())
    except Exception:  # fixtures of bad input
        return None


@pytest.mark.parametrize("path", CHOSEN, ids=lambda p: p.name)
def test_spans_match_the_position_provider(path: Path) -> None:
    module = _parse(path)
    if module is None:
        pytest.skip("libcst cannot parse this file")
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found = spans(module)
    assert found is not None
    assert len(found) == len(expected)
    for node, rng in expected.items():
        assert code_range(found[id(node)]) == rng, (path, type(node).__name__)


def test_odd_line_endings() -> None:
    for text in ("x = 1\r\ny = (1,\r\n  2)\r\n", "a = 1\rb = 2\r", "s = '''\n\n'''\nz = 3", ""):
        module = cst.parse_module(text)
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        found = spans(module)
        assert found is not None
        assert {id(n): r for n, r in expected.items()} == {
            k: code_range(v) for k, v in found.items()
        }
