"""What a run produced, in the shape every output format reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from flasklint_headers.findings import Applicability, Finding
from flasklint_headers.reporting.escaping import escape


@dataclass
class RunResult:
    """Remaining findings (sorted) plus what the fixer did.

    ``texts`` maps a file's display name to the text the findings' positions
    refer to (the fixed text after ``--fix``), for source excerpts.

    After ``--fix``, ``fixed`` counts findings, not edits (see ``findings_fixed``),
    so that the summary's "Found N (F fixed, R remaining)" always has N = F + R,
    R the findings listed and F the total of the ``--show-fixes`` list.
    """

    findings: list[Finding]
    texts: dict[str, str] = field(default_factory=dict)
    fixed: int = 0
    # Display name -> code -> findings fixed in that file (``findings_fixed``).
    fixed_by_code: dict[str, Counter[str]] = field(default_factory=dict)
    # Files whose fixed text was written (--exit-non-zero-on-fix).
    changed_files: int = 0
    unsafe_fixes: bool = False
    # True when fixes were requested (--fix / --unsafe-fixes / --diff).
    fixing: bool = False

    def fix_applicable(self, finding: Finding) -> bool:
        """Would ``--fix`` (or ``--unsafe-fixes`` when given) apply this finding's fix?"""
        return finding.fix is not None and finding.fix.is_applicable(self.unsafe_fixes)

    @property
    def fixable(self) -> int:
        return sum(1 for f in self.findings if self.fix_applicable(f))

    @property
    def hidden_unsafe(self) -> int:
        """Unsafe fixes that ``--unsafe-fixes`` would add."""
        if self.unsafe_fixes:
            return 0
        return sum(
            1
            for f in self.findings
            if f.fix is not None and f.fix.applicability is Applicability.UNSAFE
        )


def findings_fixed(before: Iterable[Finding], after: Iterable[Finding]) -> Counter[str]:
    """Findings ``--fix`` made go away in one file, per code: how many fewer there are.

    Counted per code because fixing moves findings (positions, sometimes
    messages): a finding of a code is fixed when the fixed file has fewer of
    that code, whether its own fix or another one removed it (a removed
    duplicate header can settle several findings).  A finding a fix brings in
    counts as found and remaining, so found = fixed + remaining holds, and
    found is what a check without ``--fix`` reports unless fixes bring findings in.
    """
    counts = Counter(f.code for f in before)
    counts.subtract(Counter(f.code for f in after))
    return Counter({code: n for code, n in counts.items() if n > 0})


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_lines(result: RunResult) -> list[str]:
    """Ruff-style closing lines: totals, what is fixable and how."""
    remaining = len(result.findings)
    if remaining == 0 and result.fixed == 0:
        return ["All checks passed!"]
    lines = []
    if result.fixed:
        total = remaining + result.fixed
        lines.append(
            f"Found {plural(total, 'finding')} ({result.fixed} fixed, {remaining} remaining)."
        )
    else:
        lines.append(f"Found {plural(remaining, 'finding')}.")
    fixable = result.fixable
    if fixable and not result.fixing:
        flag = "--unsafe-fixes" if result.unsafe_fixes else "--fix"
        lines.append(f"[*] {fixable} fixable with {flag}.")
    hidden = result.hidden_unsafe
    if hidden:
        noun = "unsafe fix" if hidden == 1 else "unsafe fixes"
        lines.append(f"{hidden} {noun} available with --unsafe-fixes.")
    return lines


def fixed_lines(result: RunResult) -> list[str]:
    """``--show-fixes``: what was fixed, per file and code."""
    if not result.fixed_by_code:
        return []
    total = sum(sum(c.values()) for c in result.fixed_by_code.values())
    lines = [f"Fixed {plural(total, 'finding')}:"]
    for filename in sorted(result.fixed_by_code):
        lines.append(f"- {escape(filename)}:")
        for code, count in sorted(result.fixed_by_code[filename].items()):
            lines.append(f"    {count} x {code} ({_rule_name(code)})")
    return lines


def _rule_name(code: str) -> str:
    from flasklint_headers.rule_index import RULE_NAMES

    return RULE_NAMES.get(code, code)


def rule_url(finding: Finding) -> str | None:
    if finding.url:
        return finding.url
    from flasklint_headers.rules import rule_by_code_or_name

    rule = rule_by_code_or_name(finding.code)
    return rule.url() if rule else None
