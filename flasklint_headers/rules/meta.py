"""Diagnostics the pipeline emits itself: parse errors, unreadable files, unused suppressions."""

from __future__ import annotations

from flasklint_headers.findings import Applicability, Severity
from flasklint_headers.rules.base import Rule


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that cannot be parsed as Python 3 source, and valid code
    nested too deeply to analyse ("cannot analyse this file: ..."): more than
    500 levels of the syntax tree, such as a generated 1,000-term ``and`` chain
    or 1,000 implicitly joined string literals.  Such files are refused before
    they are parsed, so that they cannot crash the run.

    ## Why is this bad?
    A file that does not parse cannot be checked; its findings would silently be
    missing. Python 2 files (``print "x"``) are the usual cause.

    ## Example
    ```python
    print "hello"
    ```

    ## Use instead
    ```python
    print("hello")
    ```

    ## Fix safety
    There is no fix.

    ## References
    - [Python grammar](https://docs.python.org/3/reference/grammar.html)
    """

    code = "FLH001"
    name = "syntax-error"
    severity = Severity.ERROR
    message = "SyntaxError: the file could not be parsed"


class UnusedSuppressionRule(Rule):
    """## What it does
    Reports a ``# noqa: FLH...`` or ``# flasklint: ignore[...]`` comment that
    suppresses nothing.

    ## Why is this bad?
    Stale suppressions hide future findings on the same line and mislead
    reviewers into thinking something there is still wrong.

    ## Example
    ```python
    resp.headers["X-Frame-Options"] = "DENY"  # noqa: FLH104
    ```

    ## Use instead
    ```python
    resp.headers["X-Frame-Options"] = "DENY"
    ```

    ## Fix safety
    The fix removes the unused code (or the whole comment when nothing is left)
    and is safe: comments do not change what the program does.

    ## References
    - [Ruff RUF100](https://docs.astral.sh/ruff/rules/unused-noqa/)
    """

    code = "FLH002"
    name = "unused-suppression"
    severity = Severity.WARNING
    message = "Unused suppression"
    fix_availability = "always"
    fix_applicability = Applicability.SAFE


class UnreadableFileRule(Rule):
    """## What it does
    Reports a path that could not be read or decoded: a missing file, a
    directory where a file was expected, a permission error, undecodable bytes,
    a wrong coding cookie or NUL bytes.  Also a file larger than
    `max-file-size` (default 10 MiB; wherever it was found), and a FIFO,
    socket or device named on the command line (one found while walking a
    directory is skipped: it is not a source file).  Neither is ever read.

    ## Why is this bad?
    The file is not checked at all; the exit code says so (2) so CI does not
    pass silently.

    ## Example
    ```python
    # -*- coding: utf-8 -*-
    x = "\xff"   # saved as Latin-1 bytes
    ```

    ## Use instead
    Save the file in the encoding its coding cookie declares (UTF-8 by default).

    ## Fix safety
    There is no fix.

    ## References
    - [PEP 263](https://peps.python.org/pep-0263/)
    """

    code = "FLH003"
    name = "unreadable-file"
    severity = Severity.ERROR
    message = "The file could not be read"
