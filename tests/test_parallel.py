"""The process pool: used only when it pays, and identical to a serial run."""

from __future__ import annotations

from pathlib import Path

from flasklint_headers.config import Settings
from flasklint_headers.parallel import MIN_FILES_FOR_POOL, worker_count
from flasklint_headers.runner import RunOptions, check_paths
from flasklint_headers.timing import Timings

VIEW = """from flask import Blueprint, make_response
from .constants import FRAME

bp = Blueprint("{name}", __name__)


@bp.route("/{n}")
def view_{n}():
    resp = make_response("hi")
    resp.headers["X-Frame-Options"] = FRAME
    resp.headers["X-Frame-Options"] = "DENY"
    resp.set_cookie("session", "x")
    return resp, 200, {{"Content-Type": "text/plain"}}
"""


def _packages(root: Path, packages: int, views: int) -> list[Path]:
    for p in range(packages):
        pkg = root / f"pkg{p}"
        pkg.mkdir(parents=True)
        (pkg / "__init__.py").write_text(
            "from flask import Flask\n"
            + "".join(f"from .v{n} import bp as bp{n}\n" for n in range(views))
            + "\napp = Flask(__name__)\n"
            + "".join(f"app.register_blueprint(bp{n})\n" for n in range(views))
        )
        (pkg / "constants.py").write_text('FRAME = "SAMEORIGIN"\n')
        for n in range(views):
            (pkg / f"v{n}.py").write_text(VIEW.format(name=f"b{n}", n=n))
    return sorted(root.rglob("*.py"))


def _run(files: list[Path], jobs: int, timings: bool = False) -> list[tuple]:
    options = RunOptions(use_cache=False, jobs=jobs, timings=timings)
    reports = check_paths(files, Settings.default(), options=options)
    return [
        (r.display_name, f.code, f.location, f.message, f.fix) for r in reports for f in r.findings
    ]


def test_small_runs_stay_serial() -> None:
    few = [[None] * 3, [None] * 2]
    assert worker_count(few, None) == 1
    assert worker_count([[None] * MIN_FILES_FOR_POOL], None) == 1  # one group: nothing to split
    assert worker_count([[None] * 2] * 2, 4) == 2  # explicit --jobs wins, capped by groups


def test_pool_equals_serial(tmp_path: Path) -> None:
    files = _packages(tmp_path, packages=3, views=18)
    serial = _run(files, jobs=1)
    assert len({name.split("/")[-2] for name, *_ in serial}) == 3  # every package reports
    assert _run(files, jobs=2) == serial


def test_pool_merges_worker_timings(tmp_path: Path, capsys) -> None:
    files = _packages(tmp_path, packages=2, views=26)
    _run(files, jobs=2, timings=True)
    err = capsys.readouterr().err
    for stage in ("read", "filter", "parse", "model", "rules"):
        assert f"  {stage} " in err
    assert "workers 2" in err
    assert "FLH104" in err  # per-rule times


def test_timings_render_lists_rules_slowest_first() -> None:
    timings = Timings(enabled=True)
    timings.add("parse", 1.5)
    timings.rules.update({"FLH101": 0.1, "FLH104": 0.3})
    text = timings.render(2.0)
    assert text.index("FLH104") < text.index("FLH101")
    assert "elapsed" in text


def test_unrelated_code_in_the_run_never_changes_a_projects_findings(tmp_path: Path) -> None:
    """A hook registered on an ``app`` parameter nobody calls belongs to the only *linked* app.

    Counting every app of the run instead made ``pkg_a``'s findings depend on
    whether the unrelated ``pkg_b`` was checked in the same process (serial
    runs) or not (pool, or ``pkg_a`` alone).
    """
    route = '\n\n@app.route("/")\ndef index():\n    return "hi"\n'
    (tmp_path / "pkg_a").mkdir()
    (tmp_path / "pkg_a" / "__init__.py").write_text("")
    (tmp_path / "pkg_a" / "app.py").write_text(
        'from flask import Flask\n\nNAME = "a"\napp = Flask(NAME)\n' + route
    )
    (tmp_path / "pkg_a" / "hooks.py").write_text(
        "from flask import Flask\n\nfrom pkg_a.app import NAME\n\n\n"
        "def init(app: Flask) -> None:\n    app.after_request(_csp)\n\n\n"
        "def _csp(resp):\n"
        '    resp.headers["Content-Security-Policy"] = "default-src \'self\'"\n'
        "    return resp\n"
    )
    (tmp_path / "pkg_b").mkdir()
    (tmp_path / "pkg_b" / "__init__.py").write_text("")
    (tmp_path / "pkg_b" / "app.py").write_text(
        'from flask import Flask\n\napp = Flask("b")\n' + route
    )
    alone = _run(sorted((tmp_path / "pkg_a").glob("*.py")), jobs=1)
    assert "FLH303" in {code for _, code, *_ in alone}
    assert "FLH301" not in {code for _, code, *_ in alone}  # the hook sets the CSP
    together = _run(sorted(tmp_path.rglob("*.py")), jobs=1)
    assert [f for f in together if "pkg_a" in f[0]] == alone


class _SegfaultingSource:
    """Stands in for a file whose checking crashes native code: unpickling it in the
    worker dereferences address 0 (a real SIGSEGV, as libcst's parser used to give)."""

    display_name = "crash.py"

    def __reduce__(self) -> tuple[object, tuple[int]]:
        import ctypes

        return ctypes.string_at, (0,)


def test_a_worker_that_dies_costs_only_its_group(tmp_path: Path) -> None:
    from flasklint_headers.parallel import Member, check_groups
    from flasklint_headers.source import read_source

    settings = Settings(enabled=frozenset({"FLH101"}))
    app = tmp_path / "app.py"
    app.write_text(
        'from flask import Flask\napp = Flask(__name__)\n@app.route("/")\n'
        'def index():\n    return {"X-Frame-Options": "DENY"}\n'
    )
    good = [Member(read_source(app, "app.py"), settings)]
    crashing = [Member(_SegfaultingSource(), settings)]  # type: ignore[arg-type]
    reports = check_groups([good, crashing, good], jobs=2, timings=Timings())
    for group in (reports[0], reports[2]):
        assert [f.code for f in group[0].findings] == ["FLH101"]
        assert not group[0].failed
    (crashed,) = reports[1]
    assert crashed.failed
    assert [f.code for f in crashed.findings] == ["FLH001"]
    assert "crashed" in crashed.findings[0].message
