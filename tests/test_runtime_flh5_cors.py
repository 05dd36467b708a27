"""CORS fixes at runtime: what a foreign origin gets before and after each fix."""

from __future__ import annotations

from pathlib import Path

from runtime_support import before_and_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _grant(app, origin: str, route: str = "/") -> tuple[str | None, str | None]:
    if route not in {rule.rule for rule in app.url_map.iter_rules()}:
        app.add_url_rule(route, route, lambda: "x")
    response = app.test_client().get(route, headers={"Origin": origin})
    return (
        response.headers.get("Access-Control-Allow-Origin"),
        response.headers.get("Access-Control-Allow-Credentials"),
    )


def test_flh502_anchored_patterns_refuse_look_alikes(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH502" / "basic.py", tmp_path, "FLH502", True)
    for look_alike in (
        "https://app.example.com.evil.net",
        "https://apixexample.com",
        "https://api.example.com.evil.net",
        "https://evil.example.com.attacker.net",
    ):
        assert _grant(before, look_alike)[0] == look_alike
        assert _grant(after, look_alike) == (None, None)
    for legit in ("https://app.example.com", "https://api.example.com", "https://x.example.com"):
        assert _grant(after, legit) == (legit, "true")


def test_flh507_adds_vary_origin(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH507" / "basic.py", tmp_path, "FLH507", True)
    headers = {"Origin": "https://app.example.com"}
    old = before.test_client().get("/", headers=headers)
    new = after.test_client().get("/", headers=headers)
    assert old.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Origin" not in old.headers.get("Vary", "")
    assert new.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Origin" in new.headers.get("Vary", "")
    # A foreign origin still gets nothing.
    assert (
        "Access-Control-Allow-Origin"
        not in after.test_client().get("/", headers={"Origin": "https://evil.example"}).headers
    )


def test_flh509_private_network_access_is_refused(tmp_path: Path) -> None:
    before, after, _ = before_and_after(FIXTURES / "FLH509" / "basic.py", tmp_path, "FLH509", True)
    preflight = {
        "Origin": "https://app.example.com",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Private-Network": "true",
    }
    old = before.test_client().options("/device", headers=preflight)
    new = after.test_client().options("/device", headers=preflight)
    assert old.headers.get("Access-Control-Allow-Private-Network") == "true"
    assert new.headers.get("Access-Control-Allow-Private-Network") == "false"
    view_old = before.test_client().get("/device")
    view_new = after.test_client().get("/device")
    assert view_old.headers.get("Access-Control-Allow-Private-Network") == "true"
    assert "Access-Control-Allow-Private-Network" not in view_new.headers


def test_a_returned_headers_object_reaches_the_response(tmp_path: Path) -> None:
    """fixtures/FLH504 and FLH507 returned_headers_object.py: what a helper writes into a
    ``Headers()`` object it returns is sent, merged with ``extend`` or in a return tuple."""
    from runtime_support import load_module_from_text

    reflected = load_module_from_text(
        (FIXTURES / "FLH504" / "returned_headers_object.py").read_text(encoding="utf-8"),
        tmp_path,
    ).app
    evil = "https://evil.example"
    assert _grant(reflected, evil, "/auth/validate") == (evil, "true")
    unvaried = load_module_from_text(
        (FIXTURES / "FLH507" / "returned_headers_object.py").read_text(encoding="utf-8"),
        tmp_path,
    ).app
    response = unvaried.test_client().get("/", headers={"Origin": "https://app.example.com"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Vary" not in response.headers
