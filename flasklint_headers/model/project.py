"""The project pass: links the modules of one project together.

It answers cross-file questions: what a name imported from another project
module is (``from .extensions import talisman``), what a factory returns, which
project classes subclass Flask / Response / MethodView.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst

from flasklint_headers.model.names import (
    INSTANCE_CLASSES,
    RESPONSE_CLASSES,
    RESTFUL_BASES,
    VIEW_BASES,
    canonical,
)

if TYPE_CHECKING:
    from flasklint_headers.model.file_model import FileModel
    from flasklint_headers.model.handlers import Handler

_KNOWN_BASES = INSTANCE_CLASSES | RESPONSE_CLASSES | RESTFUL_BASES | VIEW_BASES
_MAX_HOPS = 10


def module_name_for(path: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` from its package structure, and whether it is a package."""
    path = path.resolve()
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").exists():
        parts.insert(0, directory.name)
        if directory.parent == directory:
            break
        directory = directory.parent
    return ".".join(parts), is_package


class ProjectModel:
    def __init__(self) -> None:
        self.modules: dict[str, FileModel] = {}
        self._guard: set[tuple[str, str]] = set()

    def add_module(
        self,
        module: cst.Module,
        path: Path | None,
        module_name: str | None = None,
        *,
        replace: bool = False,
    ) -> FileModel:
        """Model ``module``; ``replace=True`` swaps in a new version of a known module (after a fix)."""
        from flasklint_headers.model.file_model import FileModel

        if module_name is None:
            module_name, is_package = module_name_for(path) if path is not None else ("", False)
        else:
            is_package = path is not None and path.name == "__init__.py"
        model = FileModel(module, module_name, is_package, self)
        if module_name and (replace or module_name not in self.modules):
            self.modules[module_name] = model
        return model

    # -- symbols ------------------------------------------------------------------------------
    def _split(self, qualified: str) -> tuple[FileModel, str] | None:
        module_name, _, attr = qualified.rpartition(".")
        model = self.modules.get(module_name)
        if model is None or not attr:
            return None
        return model, attr

    def resolve_symbol(self, qualified: str) -> str:
        """Follow re-exports through project modules: ``pkg.compat.Response`` -> ``flask.Response``."""
        for _ in range(_MAX_HOPS):
            split = self._split(qualified)
            if split is None:
                return qualified
            model, attr = split
            binding = model.index.imports.get(attr)
            if binding is None or model.index.root.bindings.get(attr, []) != ["import"]:
                return qualified
            qualified = canonical(binding.target)
        return qualified

    def _guarded(self, tag: str, qualified: str) -> bool:
        key = (tag, qualified)
        if key in self._guard:
            return True
        self._guard.add(key)
        return False

    def kind_of_symbol(self, qualified: str) -> str | None:
        """Instance kind of a module-level name of a project module."""
        split = self._split(qualified)
        if split is None or self._guarded("symbol", qualified):
            return None
        try:
            model, attr = split
            return model.kind_of(cst.Name(attr), None)
        finally:
            self._guard.discard(("symbol", qualified))

    def _definition(
        self, qualified: str
    ) -> tuple[FileModel, cst.FunctionDef | cst.ClassDef] | None:
        split = self._split(qualified)
        if split is None:
            return None
        model, attr = split
        for value in model.index.root.bindings.get(attr, []):
            if isinstance(value, (cst.FunctionDef, cst.ClassDef)):
                return model, value
        return None

    def kind_of_call(self, callee: str) -> str | None:
        """What calling a project function or class returns (app factories, Flask subclasses)."""
        definition = self._definition(callee)
        if definition is None or self._guarded("call", callee):
            return None
        try:
            model, node = definition
            if isinstance(node, cst.ClassDef):
                base = self.known_base_of_class(callee)
                return base if base in INSTANCE_CLASSES else None
            for ret in model.scope_of_function(node).returns:
                if ret.value is not None:
                    kind = model.kind_of(ret.value, node)
                    if kind:
                        return kind
            return None
        finally:
            self._guard.discard(("call", callee))

    def known_base_of_class(self, qualified: str) -> str | None:
        """The known framework class a (project) class derives from, if any."""
        if qualified in _KNOWN_BASES:
            return qualified
        definition = self._definition(qualified)
        if definition is None or self._guarded("base", qualified):
            return None
        try:
            model, node = definition
            if not isinstance(node, cst.ClassDef):
                return None
            for base in node.bases:
                name = model.qualified_name(base.value, None)
                if name is not None:
                    known = self.known_base_of_class(name)
                    if known:
                        return known
            return None
        finally:
            self._guard.discard(("base", qualified))

    def is_response_class(self, qualified: str) -> bool:
        return self.known_base_of_class(qualified) in RESPONSE_CLASSES

    def external_registrations(self, model: FileModel) -> dict[cst.FunctionDef, Handler]:
        """Handlers of ``model``'s functions registered from other modules (``add_url_rule``)."""
        return {}
