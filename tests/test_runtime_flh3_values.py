"""Runtime checks of the FLH306-FLH317 fixes with Flask's test client."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HTTPS = "https://localhost"


def test_flh306_restores_talisman_defaults(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH306" / "runtime.py", tmp_path, "FLH306", True
    )
    old = before.test_client().get("/")
    assert old.status_code == 200 and "Content-Security-Policy" not in old.headers
    new = after.test_client().get("/", base_url=HTTPS)
    assert new.headers["Content-Security-Policy"] == "default-src 'self'; object-src 'none'"
    # force_https is back: plain HTTP is redirected.
    redirect = after.test_client().get("/")
    assert redirect.status_code == 302 and redirect.location.startswith("https://")


def test_flh308_appends_directives(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH308" / "policies.py", tmp_path, "FLH308", True
    )
    # Talisman (registered first) runs last and overwrites view CSPs; read the view's
    # value by turning its hook off for this check.
    for app in (before, after):
        app.after_request_funcs[None] = []
    old = before.test_client().get("/", base_url=HTTPS).headers["Content-Security-Policy"]
    new = after.test_client().get("/", base_url=HTTPS).headers["Content-Security-Policy"]
    assert old == "default-src 'self'"
    assert new == "default-src 'self'; base-uri 'self'; form-action 'self'"


def test_flh309_raises_max_age(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH309" / "runtime.py", tmp_path, "FLH309", True
    )
    assert before.test_client().get("/").headers["Strict-Transport-Security"] == (
        "max-age=86400; preload"
    )
    assert after.test_client().get("/").headers["Strict-Transport-Security"] == (
        "max-age=31536000; preload; includeSubDomains"
    )


def test_flh311_sends_zero(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH311" / "runtime.py", tmp_path, "FLH311", True
    )
    assert before.test_client().get("/").headers["X-XSS-Protection"] == "1; mode=block"
    assert after.test_client().get("/").headers["X-XSS-Protection"] == "0"


def test_flh311_talisman_keyword_removed(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH311" / "xxp.py", tmp_path, "FLH311", True)
    # Talisman used to overwrite the hook's value with the enabled auditor.
    assert before.test_client().get("/zero", base_url=HTTPS).headers["X-XSS-Protection"] == (
        "1; mode=block"
    )
    assert after.test_client().get("/zero", base_url=HTTPS).headers["X-XSS-Protection"] == "0"


def test_flh312_translates_and_deletes(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH312" / "runtime.py", tmp_path, "FLH312", True
    )
    old = before.test_client().get("/").headers
    new = after.test_client().get("/").headers
    assert old["Feature-Policy"] and old["Expect-CT"]
    assert "Feature-Policy" not in new and "Expect-CT" not in new
    assert new["Permissions-Policy"] == "camera=(), geolocation=(self)"


def test_flh313_safe_policy(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH313" / "runtime.py", tmp_path, "FLH313", True
    )
    assert before.test_client().get("/").headers["Referrer-Policy"] == "unsafe-url"
    assert after.test_client().get("/").headers["Referrer-Policy"] == (
        "strict-origin-when-cross-origin"
    )


def test_flh314_header_removed(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH314" / "runtime.py", tmp_path, "FLH314", True
    )
    assert before.test_client().get("/").headers["X-Powered-By"] == "Flask"
    new = after.test_client().get("/")
    assert "X-Powered-By" not in new.headers and new.headers["Cache-Control"] == "no-store"


def test_flh316_header_reaches_other_blueprints(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH316" / "blueprint_hook.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH316", True)
    assert before.test_client().get("/").headers["X-Frame-Options"] == "DENY"
    assert "X-Frame-Options" not in before.test_client().get("/api/").headers
    assert "X-Frame-Options" not in before.test_client().get("/missing").headers
    assert after.test_client().get("/api/").headers["X-Frame-Options"] == "DENY"
    assert after.test_client().get("/missing").headers["X-Frame-Options"] == "DENY"


def test_flh317_setup_runs_on_import(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH317" / "main_guard.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH317", True)
    # Importing (as gunicorn does) never ran the guarded setup...
    assert "Content-Security-Policy" not in before.test_client().get("/").headers
    assert not before.config.get("SESSION_COOKIE_SECURE")
    # ...after the fix it does.
    assert after.test_client().get("/", base_url=HTTPS).headers["Content-Security-Policy"]
    assert after.config["SESSION_COOKIE_SECURE"] is True


def test_flh315_per_view_value_survives(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH315" / "per_view.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH315", True)
    # Talisman replaced the view's DENY with its app-wide SAMEORIGIN ...
    assert before.test_client().get("/admin").headers["X-Frame-Options"] == "SAMEORIGIN"
    # ... the per-view option keeps DENY.
    assert after.test_client().get("/admin").headers["X-Frame-Options"] == "DENY"
    assert after.test_client().get("/plain").headers["X-Frame-Options"] == "SAMEORIGIN"


def test_flh315_per_view_csp(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH315" / "overwrites.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH315", True)
    old = before.test_client().get("/").headers["Content-Security-Policy"]
    new = after.test_client().get("/").headers["Content-Security-Policy"]
    assert old == "default-src 'self'; object-src 'none'"
    assert new == "default-src 'none'"


def test_flh310_allow_from_becomes_frame_ancestors(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH310" / "runtime.py", tmp_path, "FLH310", True
    )
    old = before.test_client().get("/").headers
    new = after.test_client().get("/").headers
    assert old["X-Frame-Options"] == "ALLOW-FROM https://partner.example"
    assert "X-Frame-Options" not in new
    assert new["Content-Security-Policy"] == (
        "default-src 'self'; frame-ancestors https://partner.example"
    )


def test_flh311_headers_in_a_local_mapping(tmp_path: Path) -> None:
    """A Headers object passed as headers= stays the response's own (later writes are
    sent, and reported); a dict is copied (later writes are not, and are not reported)."""
    fixture = FIXTURES / "FLH311" / "headers_variable.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH311", unsafe=True)
    assert before.test_client().get("/headers-object").headers["X-XSS-Protection"] == "1"
    assert after.test_client().get("/headers-object").headers["X-XSS-Protection"] == "0"
    old = before.test_client().get("/dict").headers["X-XSS-Protection"]
    assert old == "1; mode=block"  # the write after Response(...) never arrives
    assert after.test_client().get("/dict").headers["X-XSS-Protection"] == "0"


def test_flh312_removes_pragma_from_a_returned_headers_object(tmp_path: Path) -> None:
    before, after, _ = before_and_after(
        FIXTURES / "FLH312" / "returned_headers_object.py", tmp_path, "FLH312", True
    )
    old = before.test_client().get("/")
    new = after.test_client().get("/")
    assert old.headers["Pragma"] == "no-cache"
    assert "Pragma" not in new.headers
    assert new.headers["Cache-Control"] == old.headers["Cache-Control"]
    assert new.data == old.data == b"ok"


def test_flh316_helper_set_header_reaches_other_blueprints(tmp_path: Path) -> None:
    fixture = FIXTURES / "FLH316" / "via_helper.py"
    before, after, _ = before_and_after(fixture, tmp_path, "FLH316", True)
    csp = "default-src 'self'"
    assert before.test_client().get("/").headers["Content-Security-Policy"] == csp
    assert "Content-Security-Policy" not in before.test_client().get("/admin/").headers
    assert after.test_client().get("/admin/").headers["Content-Security-Policy"] == csp
    assert after.test_client().get("/missing").headers["Content-Security-Policy"] == csp


def test_flh310_a_helper_handed_the_response_writes_its_headers(tmp_path: Path) -> None:
    """fixtures/FLH310/helper.py: the hook's helper (two deep) sets the reported value on
    every response; the dict handed to ``describe`` is a JSON body, not headers."""
    from runtime_support import load_module_from_text

    app = load_module_from_text(
        (FIXTURES / "FLH310" / "helper.py").read_text(encoding="utf-8"), tmp_path
    ).app
    client = app.test_client()
    assert client.get("/page").headers["X-Frame-Options"] == "ALLOWALL"
    settings = client.get("/settings")
    assert settings.get_json() == {"X-Frame-Options": "ALLOWALL"}
    assert settings.headers.getlist("X-Frame-Options") == ["ALLOWALL"]  # from the hook only
    app.after_request_funcs[None] = []  # the view's own helper, without the hook over it
    assert client.get("/widget").headers["X-Frame-Options"] == "ALLOW-FROM https://b.example"
