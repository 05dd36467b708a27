"""Plain data that flows out of the linter: findings, fixes and text edits.

Positions are 1-based rows and 1-based columns counted in code points of the
decoded source, like Ruff's JSON output.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Position:
    row: int
    column: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` (inclusive) and ``end`` (exclusive) with ``content``."""

    start: Position
    end: Position
    content: str


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def is_applicable(self, unsafe: bool) -> bool:
        return self.applicability is Applicability.SAFE or unsafe


@dataclass
class Finding:
    code: str
    name: str
    severity: Severity
    message: str
    filename: str
    location: Position
    end_location: Position
    fix: Fix | None = None
    url: str | None = None
    # The source line the finding starts on; used for stable fingerprints.
    source_line: str = field(default="", compare=False)

    def with_filename(self, filename: str) -> Finding:
        return replace(self, filename=filename)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.location.row, self.location.column, self.code)


def diagnostic(
    code: str,
    name: str,
    filename: str,
    message: str,
    row: int = 1,
    column: int = 1,
) -> Finding:
    """A finding that does not come from a rule (syntax errors, unreadable files, crashes)."""
    position = Position(row, column)
    return Finding(code, name, Severity.ERROR, message, filename, position, position)
