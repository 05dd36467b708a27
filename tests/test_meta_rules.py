"""Every registered rule is complete: docs, metadata, --explain, fixtures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flasklint_headers.docs import explain
from flasklint_headers.findings import Applicability, Severity
from flasklint_headers.rules import Rule, all_rules
from flasklint_headers.rules.base import DOC_SECTIONS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXPECT_RE = re.compile(r"#\s*expect:\s*[A-Z]+\d+")
# Emitted by the pipeline itself (unparsable or unreadable files): tested in test_cli.py.
PIPELINE_CODES = {"FLH001", "FLH003"}
RULES = all_rules()


def rule_id(rule: type[Rule]) -> str:
    return rule.code


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_docs_have_every_section(rule: type[Rule]) -> None:
    sections = rule.doc_sections()
    # The six sections in order; an "Options" section may document rule options.
    required = [title for title in sections if title != "Options"]
    assert required == list(DOC_SECTIONS), f"{rule.code}: sections {list(sections)}"
    for title, body in sections.items():
        assert body.strip(), f"{rule.code}: section {title!r} is empty"


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_metadata_is_valid(rule: type[Rule]) -> None:
    assert re.fullmatch(r"FLH\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    assert isinstance(rule.severity, Severity)
    assert rule.message.strip()
    assert rule.fix_availability in ("always", "sometimes", "none")
    if rule.fix_availability == "none":
        assert rule.fix_applicability is None
    else:
        assert isinstance(rule.fix_applicability, Applicability)
    for option in rule.options:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", option.name)
        assert option.description.strip()


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", RULES, ids=rule_id)
def test_explain_renders(rule: type[Rule]) -> None:
    text = explain(rule)
    assert text.startswith(f"# {rule.name} ({rule.code})\n")
    for title in DOC_SECTIONS:
        assert f"## {title}" in text
    for option in rule.options:
        assert f"`{option.name}`" in text


def _has_negative(text: str) -> bool:
    """A file without expectations, or a def (view or hook) whose lines carry none."""
    if not EXPECT_RE.search(text):
        return True
    blocks = re.split(r"\n(?=@|def |class )", text)
    return any(
        re.search(r"^\s*def ", block, re.M) and not EXPECT_RE.search(block) for block in blocks
    )


@pytest.mark.parametrize("rule", [r for r in RULES if r.code not in PIPELINE_CODES], ids=rule_id)
def test_has_positive_and_negative_fixtures(rule: type[Rule]) -> None:
    directory = FIXTURES / rule.code
    files = [p for p in directory.glob("*.py") if not p.name.endswith(".fixed.py")]
    assert files, f"{rule.code} has no fixtures in {directory}"
    texts = [p.read_text(encoding="utf-8") for p in files]
    positive = re.compile(rf"#\s*expect:.*\b{rule.code}\b")
    assert any(positive.search(t) for t in texts), f"{rule.code}: no `# expect: {rule.code}`"
    assert any(_has_negative(t) for t in texts), f"{rule.code}: no negative case"
