"""``python -m flasklint_headers``: the console script's entry, started by module name.

``python -m`` puts the working directory first on ``sys.path``.  CI runs the
linter at the root of the repository it checks, so a ``json.py`` or ``click/``
planted there would be imported in place of the real module (``cli`` and the
runner import theirs lazily, and spawned pool workers inherit this
``sys.path``).  The working directory is dropped from ``sys.path`` before
anything else is imported, unless this package itself was imported from it (a
run from our own checkout: that directory is ours, not the checked tree's).

What the interpreter imports before this file runs (``runpy``, this package's
``__init__``) cannot be defended here: on untrusted checkouts use the
console script, or ``python -P -m flasklint_headers`` (``-I`` on Python 3.10).
Importing the package as a library never touches ``sys.path``.
"""

import os
import sys


def _without_working_directory(path: list[str], package_parent: str, cwd: str) -> list[str]:
    """``path`` minus its entries for the working directory (``''`` or the cwd itself),
    kept when the package was imported from there."""
    here = os.path.realpath(cwd)
    if os.path.realpath(package_parent) == here:
        return path
    return [entry for entry in path if entry and os.path.realpath(entry) != here]


def _drop_working_directory() -> None:
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was deleted: nothing there to import
        return
    sys.path[:] = _without_working_directory(sys.path, package_parent, cwd)


_drop_working_directory()

from flasklint_headers.cli import entry  # noqa: E402 - only after sys.path is safe

if __name__ == "__main__":
    entry()
