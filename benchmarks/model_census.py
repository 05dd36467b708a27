"""Census of what the Flask model finds in real code.

Usage: ``python3 benchmarks/model_census.py [ROOT ...]`` (default: every directory
in ``/tmp/realflask/src``).  Each directory is modelled as one project; the
script prints per package the number of apps, blueprints, blueprint
registrations, views by kind, hooks by kind, extension inits and the time
taken.  It never raises: a failure is printed and the census goes on.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections import Counter
from pathlib import Path

import libcst as cst

from flasklint_headers.model import ProjectModel
from flasklint_headers.model.names import BLUEPRINT
from flasklint_headers.runner import LoadedFile, build_project, load_file

DEFAULT_ROOT = Path("/tmp/realflask/src")
VIEW_KINDS = ("route", "method_view", "restful", "error_handler", "before_request")
HOOK_KINDS = ("after_request", "after_this_request", "teardown")


def load(root: Path) -> tuple[list[LoadedFile], int]:
    loaded: list[LoadedFile] = []
    failed = 0
    for path in sorted(root.rglob("*.py")):
        result = load_file(path)
        if isinstance(result, LoadedFile):
            loaded.append(result)
        else:
            failed += 1
    return loaded, failed


def blueprints(project: ProjectModel) -> int:
    count = 0
    for model in project.all_modules():
        for scope in model.index.scopes:
            if scope.is_class:
                continue
            scope_node = None if scope is model.index.root else scope.node
            for values in scope.bindings.values():
                for value in values:
                    if isinstance(value, cst.Call):
                        callee = model.qualified_name(value.func, scope_node)
                        if callee and project.known_base_of_class(callee) == BLUEPRINT:
                            count += 1
    return count


def census(root: Path) -> dict[str, object]:
    start = time.perf_counter()
    files, failed = load(root)
    parsed = time.perf_counter()
    project = build_project(files)
    handlers: Counter[str] = Counter()
    hooks: Counter[str] = Counter()
    for model in project.all_modules():
        for handler in model.handlers().values():
            if handler.kind in VIEW_KINDS:
                handlers[
                    f"{handler.kind}:{handler.hook}" if handler.kind == "route" else handler.kind
                ] += 1
            else:
                hooks[f"{handler.kind}:{handler.hook}"] += 1
    apps = project.apps()
    result = {
        "files": len(files),
        "unparsed": failed,
        "apps": len(apps),
        "app_labels": [app.label for app in apps][:8],
        "blueprints": blueprints(project),
        "blueprint_registrations": len(project.blueprint_registrations()),
        "views": dict(sorted(handlers.items())),
        "hooks": dict(sorted(hooks.items())),
        "extension_inits": sum(len(project.extension_inits(app)) for app in apps),
        "app_wide_after_request": sum(len(project.app_hooks(app)) for app in apps),
        "configured_keys": sum(len(project.config(app).written_keys()) for app in apps),
        "parse_s": round(parsed - start, 2),
        "model_s": round(time.perf_counter() - parsed, 2),
    }
    return result


def main(argv: list[str]) -> int:
    roots = [Path(a) for a in argv] or sorted(p for p in DEFAULT_ROOT.iterdir() if p.is_dir())
    for root in roots:
        print(f"== {root.name}")
        try:
            for key, value in census(root).items():
                print(f"  {key}: {value}")
        except Exception:  # the census must report, never stop
            print("  CRASH:")
            print("    " + traceback.format_exc().replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
