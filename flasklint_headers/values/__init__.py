"""Pure parsers for header values (no libcst, no Flask)."""
