"""Output formats: one module per format, all rendering the same ``RunResult``.

``render(result, fmt)`` returns the text to print; the CLI decides where it goes.
"""

from __future__ import annotations

from collections.abc import Callable

from flasklint_headers.reporting.result import RunResult

FORMATS = ("full", "concise", "json", "github", "sarif")
# Formats meant for people: they get a summary line and a statistics table.
TEXT_FORMATS = ("full", "concise")


def renderer(fmt: str) -> Callable[[RunResult], str]:
    if fmt == "full":
        from flasklint_headers.reporting.full import render
    elif fmt == "concise":
        from flasklint_headers.reporting.concise import render
    elif fmt == "json":
        from flasklint_headers.reporting.json_output import render
    elif fmt == "github":
        from flasklint_headers.reporting.github import render
    elif fmt == "sarif":
        from flasklint_headers.reporting.sarif import render
    else:
        raise ValueError(f"unknown output format {fmt!r}")
    return render


def render(result: RunResult, fmt: str) -> str:
    return renderer(fmt)(result)


__all__ = ["FORMATS", "TEXT_FORMATS", "RunResult", "render", "renderer"]
