"""Per-stage and per-rule timings for ``-v`` (a developer's view of where the time goes).

Stages run in the main process and in workers; worker times are CPU-side wall
times added up, so with a pool the stage sum can exceed the elapsed time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

STAGES = (
    "discover",
    "read",
    "filter",
    "cache",
    "parse",
    "model",
    "rules",
    "fixes",
    "release",
    "report",
)


@dataclass
class Timings:
    enabled: bool = False
    stages: dict[str, float] = field(default_factory=dict)
    rules: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + seconds

    def count(self, name: str, amount: int = 1) -> None:
        if self.enabled:
            self.counts[name] = self.counts.get(name, 0) + amount

    def merge(self, other: Timings) -> None:
        for name, seconds in other.stages.items():
            self.add(name, seconds)
        for code, seconds in other.rules.items():
            self.rules[code] = self.rules.get(code, 0.0) + seconds
        for name, amount in other.counts.items():
            self.counts[name] = self.counts.get(name, 0) + amount

    def render(self, elapsed: float | None = None) -> str:
        """A small table for stderr."""
        lines = ["timings (seconds):"]
        ordered = [s for s in STAGES if s in self.stages]
        ordered += sorted(s for s in self.stages if s not in STAGES)
        for name in ordered:
            lines.append(f"  {name:<10} {self.stages[name]:8.3f}")
        if elapsed is not None:
            lines.append(f"  {'elapsed':<10} {elapsed:8.3f}")
        if self.counts:
            lines.append("files: " + ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items())))
        if self.rules:
            lines.append("rule time (seconds, slowest first):")
            for code, seconds in sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0])):
                lines.append(f"  {code:<10} {seconds:8.3f}")
        return "\n".join(lines)
