"""The light rule table (``rule_index.py``) must say exactly what the rules say."""

from __future__ import annotations

from flasklint_headers.docs import rule_index_module
from flasklint_headers.rule_index import RULE_NAMES
from flasklint_headers.rules import all_rules


def test_rule_index_matches_the_rules() -> None:
    assert {rule.code: rule.name for rule in all_rules()} == RULE_NAMES
    assert list(RULE_NAMES) == [rule.code for rule in all_rules()]


def test_rule_index_file_is_what_the_generator_writes() -> None:
    from pathlib import Path

    import flasklint_headers.rule_index as index

    assert Path(index.__file__).read_text(encoding="utf-8") == rule_index_module()
