"""Rule documentation rendered from the registry: ``--explain``, ``--list-rules``
and the rule table of README.md.

Regenerate the README table and ``docs/rules.md`` (the page rule URLs point
to) after adding or changing rules::

    python -m flasklint_headers.docs --write-readme
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from flasklint_headers.rules import Rule, all_rules, rule_by_code_or_name

TABLE_START = "<!-- rules-table:start -->"
TABLE_END = "<!-- rules-table:end -->"
README = Path(__file__).resolve().parent.parent / "README.md"
RULES_PAGE = README.parent / "docs" / "rules.md"


def fix_kind(rule: type[Rule]) -> str:
    """``safe``, ``unsafe`` (with "sometimes" when not every finding has one) or ``none``."""
    if rule.fix_availability == "none" or rule.fix_applicability is None:
        return "none"
    kind = rule.fix_applicability.value
    return kind if rule.fix_availability == "always" else f"{kind} (sometimes)"


def option_lines(rule: type[Rule]) -> list[str]:
    return [
        f"- `{opt.name}` (default: `{json.dumps(opt.default)}`): {opt.description}"
        for opt in rule.options
    ]


def explain(rule: type[Rule]) -> str:
    """The full Markdown page of one rule."""
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        f"Severity: {rule.severity.value} · Fix: {fix_kind(rule)}",
        "",
        f"Message: {rule.message}",
        "",
        rule.docs().strip(),
    ]
    options = option_lines(rule)
    if options and "Options" not in rule.doc_sections():
        lines += [
            "",
            "## Options",
            f"Set in `[tool.flasklint-headers.{rule.name}]` of `pyproject.toml`:",
            "",
            *options,
        ]
    return "\n".join(lines).rstrip() + "\n"


def explain_key(key: str) -> str | None:
    rule = rule_by_code_or_name(key.strip())
    return explain(rule) if rule else None


def rule_record(rule: type[Rule]) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "message": rule.message,
        "summary": rule.summary(),
        "fix": fix_kind(rule),
        "fix_availability": rule.fix_availability,
        "options": [
            {"name": o.name, "default": o.default, "description": o.description}
            for o in rule.options
        ],
        "url": rule.url(),
        "explanation": rule.docs(),
    }


def list_rules(fmt: str = "text") -> str:
    rules = all_rules()
    if fmt == "json":
        return json.dumps([rule_record(r) for r in rules], indent=2) + "\n"
    code_w = max(len(r.code) for r in rules)
    name_w = max(len(r.name) for r in rules)
    sev_w = max(len(r.severity.value) for r in rules)
    fix_w = max(len(fix_kind(r)) for r in rules)
    return "".join(
        f"{r.code:<{code_w}}  {r.name:<{name_w}}  {r.severity.value:<{sev_w}}  "
        f"{fix_kind(r):<{fix_w}}  {r.message}\n"
        for r in rules
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def readme_table() -> str:
    """The Markdown rule table between the README markers."""
    rows = [
        "| Code | Name | Severity | Fix | Summary |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules():
        rows.append(
            f"| {rule.code} | `{rule.name}` | {rule.severity.value} | {fix_kind(rule)} "
            f"| {_cell(rule.message)} |"
        )
    return "\n".join(rows) + "\n"


def _demote_headings(markdown: str) -> str:
    """``# x`` -> ``## x`` outside code fences (comments in examples stay as they are)."""
    out = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        out.append("#" + line if line.startswith("#") and not in_fence else line)
    return "\n".join(out)


def rules_page() -> str:
    """Every rule's documentation on one page, each under an ``#flhNNN`` anchor."""
    parts = [
        "# Rules\n",
        "Generated from the rule registry by `python -m flasklint_headers.docs --write-readme`;"
        " do not edit by hand.\n",
    ]
    for rule in all_rules():
        page = explain(rule)
        # One level down: the rule is a section of this page.
        page = _demote_headings(page)
        parts.append(f'<a id="{rule.code.lower()}"></a>\n\n{page}\n')
    return "\n".join(parts)


def replace_table(readme_text: str, table: str) -> str:
    start = readme_text.index(TABLE_START) + len(TABLE_START)
    end = readme_text.index(TABLE_END)
    return readme_text[:start] + "\n" + table + readme_text[end:]


def rule_index_module() -> str:
    """The text of ``rule_index.py`` for the current rules."""
    index = Path(__file__).resolve().parent / "rule_index.py"
    text = index.read_text(encoding="utf-8")
    head = text[: text.index("RULE_NAMES")]
    rows = "".join(f'    "{rule.code}": "{rule.name}",\n' for rule in all_rules())
    return f"{head}RULE_NAMES: dict[str, str] = {{\n{rows}}}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-readme", action="store_true", help="rewrite README's rule table")
    parser.add_argument("--readme", type=Path, default=README)
    args = parser.parse_args(argv)
    if args.write_readme:
        text = args.readme.read_text(encoding="utf-8")
        new = replace_table(text, readme_table())
        if new != text:
            args.readme.write_text(new, encoding="utf-8")
            print(f"updated the rule table in {args.readme}")
        page = args.readme.parent / "docs" / "rules.md"
        if not page.is_file() or page.read_text(encoding="utf-8") != rules_page():
            page.parent.mkdir(exist_ok=True)
            page.write_text(rules_page(), encoding="utf-8")
            print(f"updated {page}")
        index = Path(__file__).resolve().parent / "rule_index.py"
        if index.read_text(encoding="utf-8") != rule_index_module():
            index.write_text(rule_index_module(), encoding="utf-8")
            print(f"updated {index}")
        return 0
    sys.stdout.write(readme_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
