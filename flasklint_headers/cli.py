"""Command line interface (modelled on Ruff's)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from flasklint_headers import __version__


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply unsafe fixes.")
@click.option("--select", default=None, help="Comma-separated rule codes, prefixes or names.")
@click.option("--output-format", type=click.Choice(["full", "concise"]), default="full")
@click.version_option(__version__, prog_name="flasklint-headers")
def main(
    paths: tuple[Path, ...], fix: bool, unsafe_fixes: bool, select: str | None, output_format: str
) -> None:
    """Check Flask code for HTTP response-header and security-header mistakes."""
    from flasklint_headers.config import Settings, expand_selectors
    from flasklint_headers.discovery import iter_python_files
    from flasklint_headers.fixer import fix_report
    from flasklint_headers.runner import check_paths

    settings = Settings.default()
    if select:
        settings = Settings(enabled=frozenset(expand_selectors(select.split(","), "--select")))
    files = list(iter_python_files(paths or (Path("."),)))
    fixer = None
    if fix or unsafe_fixes:

        def fixer(loaded, project, s):
            return fix_report(loaded, project, s, unsafe_fixes)

    reports = check_paths(files, settings, fixer)
    remaining = 0
    for report in reports:
        if report.fixed_text is not None and report.source is not None:
            from flasklint_headers.fixer import write_fixed_file

            write_fixed_file(report.source, report.fixed_text)
        for f in report.findings:
            remaining += 1
            click.echo(f"{f.filename}:{f.location.row}:{f.location.column}: {f.code} {f.message}")
    sys.exit(1 if remaining else 0)
