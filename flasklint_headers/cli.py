"""Command line interface (modelled on Ruff's ``ruff check``).

Exit codes: 0 nothing left to report, 1 findings remain (after ``--fix`` only
what remains counts; with ``--diff``, a diff exists), 2 a usage or
configuration error, or a file that could not be read or parsed.

Heavy modules (libcst, the rules) are imported inside the command so that
``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from flasklint_headers import __version__

if TYPE_CHECKING:
    from flasklint_headers.config import Settings, SettingsResolver
    from flasklint_headers.reporting.result import RunResult
    from flasklint_headers.runner import FileReport

FORMATS = ("full", "concise", "json", "github", "sarif")
EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class Options:
    """Every flag, parsed."""

    paths: tuple[Path, ...]
    fix: bool
    unsafe_fixes: bool
    diff: bool
    show_fixes: bool
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    output_format: str
    output_file: Path | None
    statistics: bool
    config: Path | None
    isolated: bool
    exit_zero: bool
    exit_non_zero_on_fix: bool
    stdin_filename: str | None
    force_exclude: bool
    no_cache: bool
    cache_dir: Path | None
    quiet: bool
    verbose: bool

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    @property
    def reading_stdin(self) -> bool:
        return self.paths == (Path("-"),)


def _fail(message: str) -> NoReturn:
    click.echo(f"flasklint-headers: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _explain(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from flasklint_headers.docs import explain_key

    text = explain_key(value)
    if text is None:
        _fail(f"--explain: no rule with the code or name {value!r} (see --list-rules)")
    click.echo(text, nl=False)
    ctx.exit(EXIT_CLEAN)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes and write the files.")
@click.option(
    "--unsafe-fixes", is_flag=True, help="Also apply (with --fix/--diff) or show unsafe fixes."
)
@click.option(
    "--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing (exit 1 if any)."
)
@click.option("--show-fixes", is_flag=True, help="List what --fix fixed, per file and rule.")
@click.option("--select", multiple=True, help="Rules to check: codes, prefixes (FLH3), names, ALL.")
@click.option("--extend-select", multiple=True, help="Rules to add to the selection.")
@click.option("--ignore", multiple=True, help="Rules to leave out.")
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="full",
    show_default=True,
    help="How to print findings.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Use this pyproject.toml for every file (instead of the nearest one).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when anything was fixed.")
@click.option(
    "--stdin-filename",
    help="Check standard input (path '-') as this file: its config and its project.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply excludes and .gitignore to paths named on the command line too.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), help="Cache directory."
)
@click.option(
    "--explain",
    metavar="CODE|NAME",
    callback=_explain,
    expose_value=False,
    is_eager=True,
    help="Show the documentation of a rule and exit.",
)
@click.option(
    "--list-rules", is_flag=True, help="List every rule (as JSON with --output-format json)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print findings only (no summary).")
@click.option("-v", "--verbose", is_flag=True, help="Print the config used and timings.")
@click.version_option(__version__, "-V", "--version", prog_name="flasklint-headers")
def main(list_rules: bool, config_path: Path | None, **flags: Any) -> None:
    """Check Flask code for HTTP response-header and security-header mistakes.

    PATHS are files or directories (default: the current directory); '-' reads
    standard input.
    """
    if list_rules:
        from flasklint_headers.docs import list_rules as render_rules

        fmt = "json" if flags["output_format"] == "json" else "text"
        click.echo(render_rules(fmt), nl=False)
        sys.exit(EXIT_CLEAN)
    options = Options(config=config_path, **flags)
    sys.exit(run(options))


def run(options: Options) -> int:
    from flasklint_headers.config import ConfigError

    try:
        resolver = _resolver(options)
        if options.reading_stdin:
            return _run_stdin(options, resolver)
        return _run_paths(options, resolver)
    except ConfigError as exc:
        click.echo(f"flasklint-headers: error: {exc}", err=True)
        return EXIT_ERROR
    except (click.ClickException, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug of ours: one clear line, the traceback only with -v
        if options.verbose:
            import traceback

            traceback.print_exc()
        click.echo(
            f"flasklint-headers: internal error: {type(exc).__name__}: {exc} "
            "(please report it; -v shows the traceback)",
            err=True,
        )
        return EXIT_ERROR


def _resolver(options: Options) -> SettingsResolver:
    from flasklint_headers.config import Selection, SettingsResolver, split_selectors

    if options.stdin_filename is not None and not options.reading_stdin:
        raise click.UsageError("--stdin-filename needs '-' as the only path")
    if Path("-") in options.paths and not options.reading_stdin:
        raise click.UsageError("'-' (standard input) must be the only path")
    cli = Selection(
        split_selectors(options.select),
        split_selectors(options.extend_select) or (),
        split_selectors(options.ignore) or (),
        "the command line",
    )
    return SettingsResolver(cli, options.config, options.isolated)


# -- files -------------------------------------------------------------------------------


def _run_paths(options: Options, resolver: SettingsResolver) -> int:
    from flasklint_headers.discovery import discover
    from flasklint_headers.runner import RunOptions, check_paths

    paths = options.paths or (Path("."),)
    missing = [p for p in paths if not p.exists()]
    files: list[Path] = []

    def discovered() -> Iterator[Path]:
        # Consumed inside the runner, so that ``-v`` shows discovery as its own stage.
        files.extend(
            discover(
                [p for p in paths if p.exists()], resolver, force_exclude=options.force_exclude
            )
        )
        files.extend(missing)  # the runner reports them as unreadable (FLH003)
        yield from files

    run_options = RunOptions(
        use_cache=not options.no_cache,
        cache_dir=options.cache_dir,
        timings=options.verbose,
        project_context=True,
        covered_dirs=tuple(p for p in paths if p.is_dir()),
        named_files=frozenset(p for p in paths if not p.is_dir()),
    )
    fixed_by_code: dict[str, Counter[str]] = {}
    fixer = _fixer(options, fixed_by_code) if options.fixing else None
    reports = check_paths(discovered(), resolver, fixer, options=run_options)
    if options.verbose:
        _print_verbose(files, resolver)
    return _finish(options, reports, fixed_by_code)


def _fixer(options: Options, fixed_by_code: dict[str, Counter[str]]) -> Any:
    from flasklint_headers.fixer import fix_report
    from flasklint_headers.runner import check_loaded

    unsafe = options.unsafe_fixes

    def fix(loaded: Any, project: Any, settings: Settings) -> FileReport:
        before = check_loaded(loaded, settings) if options.show_fixes else None
        report = fix_report(loaded, project, settings, unsafe)
        if before is not None and report.fixes_applied:
            counts = Counter(f.code for f in before if f.fix and f.fix.is_applicable(unsafe))
            counts.subtract(Counter(f.code for f in report.findings))
            fixed = Counter({code: n for code, n in counts.items() if n > 0})
            if fixed:
                fixed_by_code[report.display_name] = fixed
        return report

    return fix


def _print_verbose(files: list[Path], resolver: SettingsResolver) -> None:
    configs = sorted({str(resolver(f).config_file) for f in files if resolver(f).config_file})
    click.echo(f"checked {len(files)} files; config: {', '.join(configs) or 'none'}", err=True)


def _finish(
    options: Options, reports: list[FileReport], fixed_by_code: dict[str, Counter[str]]
) -> int:
    failed = any(r.failed for r in reports)
    for report in reports:
        for note in report.notes:
            click.echo(f"{report.display_name}: {note}", err=True)
    if options.diff:
        return _finish_diff(options, reports, failed)
    if options.fix:
        from flasklint_headers.fixer import write_fixed_file  # imports libcst: only when fixing

        for report in reports:
            if report.fixed_text is not None and report.source is not None:
                try:
                    write_fixed_file(report.source, report.fixed_text)
                except OSError as exc:  # FixWriteError or the OS: the original is untouched
                    click.echo(f"{report.display_name}: fix not written: {exc}", err=True)
                    failed = True
    result = _result(options, reports, fixed_by_code)
    _emit(options, result)
    return _exit_code(options, result, failed)


def _result(
    options: Options, reports: list[FileReport], fixed_by_code: dict[str, Counter[str]]
) -> RunResult:
    from flasklint_headers.reporting.result import RunResult

    findings = sorted(
        (f for r in reports for f in r.findings), key=lambda f: (f.sort_key, f.message)
    )
    texts = {}
    for report in reports:
        if report.fixed_text is not None:
            texts[report.display_name] = report.fixed_text
        elif report.source is not None:
            texts[report.display_name] = report.source.text
    return RunResult(
        findings=findings,
        texts=texts,
        fixed=sum(r.fixes_applied for r in reports) if options.fix else 0,
        fixed_by_code=fixed_by_code,
        unsafe_fixes=options.unsafe_fixes,
        fixing=options.fix,
    )


def _exit_code(options: Options, result: RunResult, failed: bool) -> int:
    if failed:
        return EXIT_ERROR
    if options.exit_non_zero_on_fix and result.fixed:
        return EXIT_FINDINGS
    if result.findings and not options.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _emit(options: Options, result: RunResult, err: bool = False) -> None:
    from flasklint_headers.reporting import TEXT_FORMATS, render
    from flasklint_headers.reporting import statistics as stats
    from flasklint_headers.reporting.result import fixed_lines, summary_lines

    text_format = options.output_format in TEXT_FORMATS
    if options.statistics:
        body = stats.render(result, "json" if options.output_format == "json" else "text")
    else:
        body = render(result, options.output_format)
    closing: list[str] = []
    if text_format and not options.quiet and not options.statistics:
        if options.show_fixes:
            closing += fixed_lines(result)
        closing += summary_lines(result)
    if text_format and body and closing and not options.statistics:
        body += "\n"
    if closing:
        body += "\n".join(closing) + "\n"
    _write(options, body, err)


def _write(options: Options, text: str, err: bool = False) -> None:
    if options.output_file is not None:
        options.output_file.parent.mkdir(parents=True, exist_ok=True)
        options.output_file.write_text(text, encoding="utf-8")
        return
    click.echo(text, nl=False, err=err)


def unified_diff(name: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _finish_diff(options: Options, reports: list[FileReport], failed: bool) -> int:
    diffs = []
    fixed = 0
    for report in reports:
        if report.fixed_text is None or report.source is None:
            continue
        diffs.append(unified_diff(report.display_name, report.source.text, report.fixed_text))
        fixed += report.fixes_applied
    _write(options, "".join(diffs))
    remaining = sum(len(r.findings) for r in reports)
    if not options.quiet:
        if fixed:
            noun = "finding" if fixed == 1 else "findings"
            click.echo(f"Would fix {fixed} {noun} ({remaining} remaining).", err=True)
        else:
            click.echo(f"No fixes available ({remaining} findings remaining).", err=True)
    if failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if diffs else EXIT_CLEAN


# -- standard input -----------------------------------------------------------------------


def _run_stdin(options: Options, resolver: SettingsResolver) -> int:
    from flasklint_headers.fixer import fix_report
    from flasklint_headers.runner import FileReport, build_project, check_loaded, load_source
    from flasklint_headers.source import SourceError, decode_source

    name = options.stdin_filename or "-"
    path = Path(name if options.stdin_filename else "stdin.py")
    data = sys.stdin.buffer.read()
    settings = resolver(path.absolute())
    if options.force_exclude and options.stdin_filename and _stdin_excluded(path, settings):
        if options.fix:
            sys.stdout.buffer.write(data)
        return EXIT_CLEAN
    try:
        source = decode_source(data, path, name)
    except SourceError as exc:
        if options.fix:
            sys.stdout.buffer.write(data)
        click.echo(f"{name}: {exc}", err=True)
        return EXIT_ERROR
    if options.stdin_filename:
        report = _check_named_stdin(options, resolver, source)
    else:
        loaded = load_source(source)
        if isinstance(loaded, FileReport):
            report = loaded
        else:
            project = build_project([loaded])
            if options.fixing:
                report = fix_report(loaded, project, settings, options.unsafe_fixes)
            else:
                report = FileReport(name, check_loaded(loaded, settings), source)
    for note in report.notes:
        click.echo(f"{report.display_name}: {note}", err=True)
    if options.diff:
        return _finish_diff(options, [report], report.failed)
    if options.fix:
        sys.stdout.buffer.write(source.encode(report.fixed_text) if report.fixed_text else data)
        sys.stdout.flush()
    result = _result(options, [report], {})
    _emit(options, result, err=options.fix)
    return _exit_code(options, result, report.failed)


def _check_named_stdin(options: Options, resolver: SettingsResolver, source: Any) -> FileReport:
    """Check standard input as the file it names, in that file's project.

    An editor sends the unsaved buffer of a project file: its hooks, config and
    registrations elsewhere in the project decide its findings, exactly as in
    a run on the saved file (``RunOptions.project_context``).
    """
    from flasklint_headers.runner import RunOptions, check_paths

    run_options = RunOptions(
        use_cache=not options.no_cache,
        cache_dir=options.cache_dir,
        timings=options.verbose,
        project_context=True,
        replacements=(source,),
    )
    fixer = _fixer(options, {}) if options.fixing else None
    (report,) = check_paths([source.path], resolver, fixer, options=run_options)
    return report


def _stdin_excluded(path: Path, settings: Settings) -> bool:
    from flasklint_headers.discovery import is_path_ignored

    return settings.is_excluded(path.absolute(), ancestors=True) or is_path_ignored(path)


def entry() -> None:
    """The console script: ``main`` and a fast exit.

    A big run leaves a large object graph (syntax trees, the project model);
    letting the interpreter free it object by object at exit can take longer
    than the run itself.  The process is ending anyway: flush and leave.
    (Tests call ``main`` through click's runner, which never gets here.)
    """
    try:
        main()
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # closed pipe: the code still tells the result
            raise exc from None
        os._exit(exc.code or 0)
