"""The rule contract.

A rule is a small class: metadata (code, kebab name, severity, message, docs,
fix availability, options) plus ``visit_<Node>`` / ``leave_<Node>`` methods
that the runner calls during a single batched traversal of each file.  A rule
reports with ``self.report(node, message, fix=...)`` and asks the Flask model
(``self.model``) every question about apps, views and responses.

Docs are the class docstring in Markdown with the sections listed in
``DOC_SECTIONS`` (the tone of Ruff's rule docs).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import libcst as cst

from flasklint_headers.findings import Applicability, Fix, Severity

if TYPE_CHECKING:
    from flasklint_headers.context import FileContext
    from flasklint_headers.model import FileModel

DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "References",
)

FixAvailability = Literal["always", "sometimes", "none"]


@dataclass(frozen=True)
class RuleOption:
    """A per-rule option, set in ``[tool.flasklint-headers.<rule-name>]``."""

    name: str
    default: Any
    description: str
    # The smallest value a numeric option accepts (``config`` rejects less, exit 2).
    minimum: int | None = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    fix_availability: ClassVar[FixAvailability] = "none"
    # The strongest applicability any fix of this rule has ("safe" or "unsafe").
    fix_applicability: ClassVar[Applicability | None] = None
    options: ClassVar[Sequence[RuleOption]] = ()

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    # -- conveniences for rule bodies -------------------------------------------------
    @property
    def model(self) -> FileModel:
        """The Flask model of the file being checked (linked to the whole project)."""
        return self.ctx.model

    def option(self, name: str) -> Any:
        return self.ctx.settings.rule_option(self.name, name, self._option_default(name))

    def report(
        self,
        node: cst.CSTNode,
        message: str | None = None,
        *,
        fix: Fix | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.ctx.report(self, node, message or self.message, fix=fix, severity=severity)

    # -- metadata helpers --------------------------------------------------------------
    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """Split the Markdown docstring into ``{section title: body}``."""
        sections: dict[str, str] = {}
        title: str | None = None
        lines: list[str] = []
        for line in cls.docs().splitlines():
            if line.startswith("## "):
                if title is not None:
                    sections[title] = "\n".join(lines).strip()
                title, lines = line[3:].strip(), []
            elif title is not None:
                lines.append(line)
        if title is not None:
            sections[title] = "\n".join(lines).strip()
        return sections

    @classmethod
    def summary(cls) -> str:
        """First paragraph of "What it does", for rule lists and SARIF short descriptions."""
        body = cls.doc_sections().get("What it does", cls.message)
        return body.split("\n\n")[0].replace("\n", " ").strip()

    @classmethod
    def url(cls) -> str:
        return f"https://github.com/flasklint/flasklint-headers/blob/main/docs/rules.md#{cls.code.lower()}"

    @classmethod
    def _option_default(cls, name: str) -> Any:
        for opt in cls.options:
            if opt.name == name:
                return opt.default
        raise KeyError(f"{cls.code} has no option {name!r}")

    @classmethod
    def visitor_methods(cls) -> Iterator[str]:
        yield from _visitor_methods(cls)


@functools.cache
def _visitor_methods(cls: type) -> tuple[str, ...]:
    # ``dir`` is slow and the answer never changes: once per rule class and process.
    return tuple(
        attr
        for attr in dir(cls)
        if attr.startswith(("visit_", "leave_")) and callable(getattr(cls, attr))
    )
