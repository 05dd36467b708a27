"""Command line interface (modelled on Ruff's ``ruff check``).

Exit codes: 0 nothing left to report, 1 findings remain (after ``--fix`` only
what remains counts; with ``--diff``, a diff exists), 2 a usage or
configuration error, or a file that could not be read or parsed; 141 the
reader of standard output went away (``| head``), reported as quietly as
SIGPIPE would end ``cat``.

Everything printed for people (findings, notes, errors, the ``--diff`` file
names) is escaped by ``reporting.escaping``: the checked repository is
untrusted, and its names and values must not drive the terminal or a CI log.
The ``--diff`` content off a terminal keeps the file's bytes (so that it
applies); in GitHub Actions a diff holding a lone CR is fenced from the
runner's workflow commands (``_fence_workflow_commands``).  ``-o`` never writes
through a link to a file, and ``--fix`` never through a link out of the
checked paths (``_write_fixes``).
``--fix`` on standard input always writes the code back (``StdinFilter``).

Heavy modules (libcst, the rules) are imported inside the command so that
``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import stat
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
EXIT_BROKEN_PIPE = 128 + 13  # 141: what a shell reports for a command SIGPIPE ended


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


def _diagnostic(text: str) -> None:
    """One line to stderr; escaped, since it may quote file names and values."""
    from flasklint_headers.reporting.escaping import escape

    click.echo(escape(text), err=True)


def _fail(message: str) -> NoReturn:
    _diagnostic(f"flasklint-headers: error: {message}")
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


@dataclass
class StdinFilter:
    """Standard input, and what ``--fix`` on it writes back: exactly one copy of the
    code on stdout, the fixed code or else the input as read.

    An editor filters its buffer through ``flasklint-headers - --fix`` and puts
    whatever comes out in its place; an empty stdout after a failure would
    wipe the buffer.  So on any failure (a config error, a parse error, a bug of
    ours, an interrupt) the input's bytes are echoed unchanged, the error goes
    to stderr and the exit code is non-zero.
    """

    data: bytes
    filtering: bool
    written: bool = False

    def write(self, code: bytes) -> None:
        # Marked first: a write that fails half-way (a closed pipe) is not retried.
        self.written = True
        sys.stdout.buffer.write(code)
        sys.stdout.buffer.flush()

    def echo_input(self) -> None:
        """Write the input back unchanged, unless stdout already has the code."""
        if not self.filtering or self.written:
            return
        with contextlib.suppress(OSError, ValueError):  # stdout is gone: nothing to save
            self.write(self.data)


def run(options: Options) -> int:
    stdin = None
    if options.reading_stdin:
        stdin = StdinFilter(sys.stdin.buffer.read(), filtering=options.fix and not options.diff)
    try:
        code = _run_reporting_errors(options, stdin)
    except BaseException:
        if stdin is not None:
            stdin.echo_input()
        raise
    if stdin is not None:
        stdin.echo_input()
    return code


def _run_reporting_errors(options: Options, stdin: StdinFilter | None) -> int:
    from flasklint_headers.config import ConfigError

    try:
        resolver = _resolver(options)
        if stdin is not None:
            return _run_stdin(options, resolver, stdin)
        return _run_paths(options, resolver)
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except ConfigError as exc:
        _diagnostic(f"flasklint-headers: error: {exc}")
        return EXIT_ERROR
    except (click.ClickException, KeyboardInterrupt):
        raise
    except Exception as exc:  # a bug of ours: one clear line, the traceback only with -v
        if options.verbose:
            import traceback

            traceback.print_exc()
        _diagnostic(
            f"flasklint-headers: internal error: {type(exc).__name__}: {exc} "
            "(please report it; -v shows the traceback)"
        )
        return EXIT_ERROR


def _quiet_broken_pipe() -> int:
    """The reader of our output has gone (``flasklint-headers . | head -1``): stop
    quietly, as ``cat`` or ``grep`` do, with the shell's code for a command that
    SIGPIPE ended (128 + 13), which no normal run returns.

    Both streams are pointed at the null device (the recipe in Python's ``signal``
    docs), so that flushing what is still buffered cannot fail again at exit.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        # Not a real file under a test runner: nothing to redirect.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE


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
    fixer = _fixer(options) if options.fixing else None
    reports = check_paths(discovered(), resolver, fixer, options=run_options)
    if options.verbose:
        _print_verbose(files, resolver)
    return _finish(options, reports)


def _fixer(options: Options) -> Any:
    from flasklint_headers.fixer import fix_reports

    unsafe = options.unsafe_fixes

    def fix(files: list[tuple[Any, Settings]], project: Any) -> list[FileReport]:
        """Fix one link group (its files together: ``fixer.fix_files``).

        Each report keeps the findings from before fixing: what counts as fixed
        is measured against them (``_fixed_by_file``).
        """
        return fix_reports(files, project, unsafe)

    return fix


def _print_verbose(files: list[Path], resolver: SettingsResolver) -> None:
    configs = sorted({str(resolver(f).config_file) for f in files if resolver(f).config_file})
    _diagnostic(f"checked {len(files)} files; config: {', '.join(configs) or 'none'}")


def _finish(options: Options, reports: list[FileReport]) -> int:
    failed = any(r.failed for r in reports)
    for report in reports:
        for note in report.notes:
            _diagnostic(f"{report.display_name}: {note}")
    if options.diff:
        return _finish_diff(options, reports, failed)
    if options.fix and not _write_fixes(reports, _checked_roots(options)):
        failed = True
    result = _result(options, reports)
    _emit(options, result)
    return _exit_code(options, result, failed)


def _checked_roots(options: Options) -> tuple[str, ...]:
    """Real paths of the directories this run checks: the working directory, each
    directory named on the command line and the folder of each file named.

    A named path inside the working directory counts only when no link below the
    working directory leads to it: CI names ``src`` or pre-commit names
    ``vendor/x.py`` in the checkout, where the repository may have committed
    ``src`` or ``vendor`` as a link out of it.
    """
    cwd = os.path.realpath(".")
    roots = [cwd]
    for path in options.paths or (Path("."),):
        named = os.path.abspath(path)
        folder = named if os.path.isdir(named) else os.path.dirname(named)
        real = os.path.realpath(folder)
        inside = os.path.relpath(folder, os.path.abspath("."))
        outside_checkout = inside == os.pardir or inside.startswith(os.pardir + os.sep)
        # Outside the working directory the user named it: taken as it resolves.
        if outside_checkout or real == os.path.normpath(os.path.join(cwd, inside)):
            roots.append(real)
    return tuple(roots)


def _outside_roots(path: Path, roots: tuple[str, ...]) -> bool:
    """``path`` is reached through a link (itself or a folder on the way) and its file
    lies outside every checked root."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return False
    return not any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _write_fixes(reports: list[FileReport], roots: tuple[str, ...]) -> bool:
    """Write every fixed file (``writing.py``); False when one could not be written.

    A file that is not written keeps its original findings in the report, so
    they are listed and counted as remaining, not fixed.  Before the first
    write into a directory, the temporary files of killed runs there go.

    A symbolic link is written through only when its file lies inside ``roots``
    (``_checked_roots``): a checked repository may commit ``views.py`` as a link
    to a file of the machine running it (another checkout, an installed
    package), and a stranger's pull request must not make ``--fix`` rewrite it
    (or clean temporary files beside it).  Such a link is checked and its fix
    refused, as for a read-only file.
    """
    from flasklint_headers.writing import write_fixed_file

    cleaned: set[str] = set()
    written = True
    for report in reports:
        if report.fixed_text is None or report.source is None:
            continue
        if _outside_roots(report.source.path, roots):
            _diagnostic(
                f"{report.display_name}: fix not written: a symbolic link to a file "
                "outside the checked paths"
            )
            _keep_unfixed(report)
            written = False
            continue
        directory = os.path.dirname(os.path.realpath(report.source.path))
        if directory not in cleaned:
            cleaned.add(directory)
            _clean_directory(directory)
        try:
            write_fixed_file(report.source, report.fixed_text)
        except OSError as exc:  # FixWriteError or the OS: the original is untouched
            _diagnostic(f"{report.display_name}: fix not written: {exc}")
            _keep_unfixed(report)
            written = False
    return written


def _clean_directory(directory: str) -> None:
    from flasklint_headers.runner import display_name
    from flasklint_headers.writing import remove_stale_temp_files

    stale = remove_stale_temp_files(Path(directory))
    for name in stale.removed:
        shown = display_name(Path(directory, name))
        _diagnostic(f"{shown}: removed, a temporary file left by an interrupted --fix")
    for name in stale.kept_copies:
        shown = display_name(Path(directory, name))
        _diagnostic(
            f"{shown}: kept, the fixed text of a file an interrupted --fix was rewriting; "
            "check that file and delete this copy"
        )


def _keep_unfixed(report: FileReport) -> None:
    if report.original_findings is not None:
        report.findings = report.original_findings
    report.fixed_text = None
    report.fixes_applied = 0


def _fixed_by_file(reports: list[FileReport]) -> dict[str, Counter[str]]:
    """Per file and code, the findings fixed (``reporting.result.findings_fixed``)."""
    from flasklint_headers.reporting.result import findings_fixed

    fixed: dict[str, Counter[str]] = {}
    for report in reports:
        if report.fixed_text is None or report.original_findings is None:
            continue
        counts = findings_fixed(report.original_findings, report.findings)
        if counts:
            fixed[report.display_name] = counts
    return fixed


def _result(options: Options, reports: list[FileReport]) -> RunResult:
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
    fixed_by_code = _fixed_by_file(reports) if options.fix else {}
    return RunResult(
        findings=findings,
        texts=texts,
        fixed=sum(sum(counts.values()) for counts in fixed_by_code.values()),
        fixed_by_code=fixed_by_code,
        changed_files=sum(1 for r in reports if r.fixed_text is not None) if options.fix else 0,
        unsafe_fixes=options.unsafe_fixes,
        fixing=options.fix,
    )


def _exit_code(options: Options, result: RunResult, failed: bool) -> int:
    if failed:
        return EXIT_ERROR
    if options.exit_non_zero_on_fix and result.changed_files:
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
        _write_output_file(options.output_file, text)
        return
    # color=True: print exactly this text.  Off a terminal click would strip what looks
    # like an ANSI sequence, which corrupts a diff of a file holding one (the reports
    # are escaped already and hold none).
    click.echo(text, nl=False, err=err, color=True)


def _write_output_file(path: Path, text: str) -> None:
    """Write the report to ``-o path``; a failure is one error line (exit 2), not a crash."""
    problem = _output_link_problem(path)
    if problem is not None:
        _fail(problem)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write the report to {path}: {exc.strerror or exc}")


def _output_link_problem(path: Path) -> str | None:
    """Why ``-o path`` must not be written: it is a link to a file (or to nothing).

    CI names ``-o`` inside the checkout, where the repository may have committed
    that name as a link to a file of the runner's (``~/.bashrc``): writing through
    it would replace that file.  A link to a device or a pipe (``/dev/stdout``,
    ``/proc/self/fd/1``) is still written, as that is where the user sends it.
    """
    if not path.is_symlink():
        return None
    try:
        target_mode = path.stat().st_mode
    except OSError:  # dangling: writing would create a file wherever it points
        target_mode = None
    if target_mode is not None and not stat.S_ISREG(target_mode):
        return None
    return (
        f"-o {path} is a symbolic link to a file; not writing through it "
        "(name the file itself, or remove the link)"
    )


def _patch_lines(text: str) -> list[str]:
    """``text`` cut after each LF, as ``patch`` and ``git apply`` count lines.

    (``str.splitlines`` would also cut at form feeds, U+2028 and other breaks,
    and the diff would then claim a missing newline in the middle of a file.)
    """
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def unified_diff(name: str, before: str, after: str, for_terminal: bool = False) -> str:
    """A unified diff that ``patch -p1`` and ``git apply`` apply to the file.

    A name with control characters, quotes or backslashes is quoted as git quotes
    it (``escaping.diff_path``).  Content lines are the file's own bytes, so that
    the diff applies; only when the diff goes to a terminal, where nobody applies
    it, are their control characters escaped (tabs and line ends kept).
    """
    from flasklint_headers.reporting.escaping import diff_path

    lines = difflib.unified_diff(
        _patch_lines(before),
        _patch_lines(after),
        fromfile=diff_path(f"a/{name}"),
        tofile=diff_path(f"b/{name}"),
    )
    out = []
    for line in lines:
        if for_terminal:
            line = _terminal_line(line)
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _terminal_line(line: str) -> str:
    from flasklint_headers.reporting.escaping import escape

    body = line.rstrip("\r\n")
    return escape(body, keep="\t") + line[len(body) :]


def _finish_diff(options: Options, reports: list[FileReport], failed: bool) -> int:
    diffs = []
    for_terminal = options.output_file is None and sys.stdout.isatty()
    for report in reports:
        if report.fixed_text is None or report.source is None:
            continue
        diffs.append(
            unified_diff(report.display_name, report.source.text, report.fixed_text, for_terminal)
        )
    fixed = sum(sum(counts.values()) for counts in _fixed_by_file(reports).values())
    text = "".join(diffs)
    if options.output_file is None and not for_terminal:
        text = _fence_workflow_commands(text)
    _write(options, text)
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


def _fence_workflow_commands(diff: str) -> str:
    """``diff`` between ``::stop-commands::`` lines when it runs in GitHub Actions and
    holds a lone CR.

    Off a terminal the diff keeps the file's bytes, so that it applies.  A lone
    CR (valid in a triple-quoted string) ends a line for the Actions runner, so
    what follows it in the checked file would start a log line and be run as a
    workflow command (``::error``, ``::add-mask::``).  The runner ignores
    commands between ``::stop-commands::TOKEN`` and ``::TOKEN::``; ``patch``
    and ``git apply`` skip those two lines as text around the patch.
    """
    if os.environ.get("GITHUB_ACTIONS") != "true" or "\r" not in diff.replace("\r\n", ""):
        return diff
    import secrets

    token = secrets.token_hex(16)
    return f"::stop-commands::{token}\n{diff}::{token}::\n"


# -- standard input -----------------------------------------------------------------------


def _run_stdin(options: Options, resolver: SettingsResolver, stdin: StdinFilter) -> int:
    from flasklint_headers.fixer import fix_report
    from flasklint_headers.runner import FileReport, build_project, check_loaded, load_source
    from flasklint_headers.source import SourceError, decode_source

    name = options.stdin_filename or "-"
    path = Path(name if options.stdin_filename else "stdin.py")
    data = stdin.data
    settings = resolver(path.absolute())
    if options.force_exclude and options.stdin_filename and _stdin_excluded(path, settings):
        if options.fix:
            stdin.write(data)
        return EXIT_CLEAN
    try:
        source = decode_source(data, path, name)
    except SourceError as exc:
        _diagnostic(f"{name}: {exc}")  # ``run`` echoes the input
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
        _diagnostic(f"{report.display_name}: {note}")
    if options.diff:
        return _finish_diff(options, [report], report.failed)
    if options.fix:
        stdin.write(source.encode(report.fixed_text) if report.fixed_text else data)
    result = _result(options, [report])
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
    fixer = _fixer(options) if options.fixing else None
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
        except BrokenPipeError:  # the reader left before the buffered rest was written
            os._exit(_quiet_broken_pipe())
        except (OSError, ValueError):  # closed pipe: the code still tells the result
            raise exc from None
        os._exit(exc.code or 0)
