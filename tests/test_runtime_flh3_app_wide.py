"""FLH302/304/305 at runtime: after the fix the header is on every response, 404 included."""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import before_and_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("code", "header", "value"),
    [
        ("FLH302", "X-Frame-Options", "SAMEORIGIN"),
        ("FLH304", "X-Content-Type-Options", "nosniff"),
        ("FLH305", "Referrer-Policy", "strict-origin-when-cross-origin"),
    ],
)
def test_header_on_every_response(tmp_path: Path, code: str, header: str, value: str) -> None:
    fixture = FIXTURES / code / "missing.py"
    before, after, _ = before_and_after(fixture, tmp_path, code, unsafe=True)
    for path, status in (("/", 200), ("/does-not-exist", 404)):
        old = before.test_client().get(path)
        new = after.test_client().get(path)
        assert old.status_code == new.status_code == status
        assert header not in old.headers
        assert new.headers[header] == value
        assert new.data == old.data


def test_setdefault_keeps_a_view_value(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH302" / "missing.py"
    _, after, _ = before_and_after(fixture, tmp_path, "FLH302", unsafe=True)

    @after.route("/embeddable")
    def embeddable():
        return "x", {"X-Frame-Options": "DENY"}

    assert after.test_client().get("/embeddable").headers.getlist("X-Frame-Options") == ["DENY"]


def test_global_app_hook_covers_the_factory_app(tmp_path: Path) -> None:
    """fixtures/FLH305/global_app.py: main()'s hook is on build_app()'s app, not on admin."""
    from runtime_support import load_module_from_text

    text = (FIXTURES / "FLH305" / "global_app.py").read_text(encoding="utf-8")
    module = load_module_from_text(text, tmp_path)
    module.main()
    assert module.app.test_client().get("/").headers["Referrer-Policy"] == "same-origin"
    assert "Referrer-Policy" not in module.admin.test_client().get("/admin").headers


def test_a_flask_subclass_sets_up_every_app_it_builds(tmp_path: Path) -> None:
    """fixtures/FLH301/flask_subclass.py: what ``__init__`` does through ``self`` (blueprints,
    hooks) is on every app built from the class or its subclasses."""
    from runtime_support import load_module_from_text

    text = (FIXTURES / "FLH301" / "flask_subclass.py").read_text(encoding="utf-8")
    module = load_module_from_text(text, tmp_path)
    for app in (module.create_app(), module.public):
        response = app.test_client().get("/")
        assert response.status_code == 200  # the blueprint's view is served...
        assert "Content-Security-Policy" not in response.headers  # ...without a CSP
    secure = module.create_secure_app().test_client().get("/")
    assert secure.status_code == 200
    assert secure.headers["Content-Security-Policy"] == "default-src 'self'"
