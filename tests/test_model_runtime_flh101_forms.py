"""FLH101 on the forms the model now recognises (class views, add_url_rule, factories).

Before the fix the header dict is served as the JSON body; after it, it is a header.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from runtime_support import before_and_after

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "FLH101"


@pytest.mark.parametrize(
    ("fixture", "method", "route", "status", "header", "value", "attr"),
    [
        ("class_views.py", "get", "/items", 200, "Cache-Control", "no-store", "app"),
        ("class_views.py", "post", "/items", 201, "Location", "/items/1", "app"),
        ("class_views.py", "delete", "/users", 202, "Content-Language", "en", "app"),
        ("class_views.py", "get", "/ping", 200, "X-Frame-Options", "DENY", "app"),
        ("class_views.py", "get", "/legacy", 302, "Location", "/new", "app"),
        ("factory_app.py", "get", "/page", 200, "X-Frame-Options", "DENY", "create_app"),
        ("factory_app.py", "get", "/helper-route", 200, "Cache-Control", "no-store", "create_app"),
        ("factory_app.py", "get", "/factory", 201, "Location", "/x", "create_app"),
    ],
)
def test_header_dict_becomes_headers(
    tmp_path: Path, fixture, method, route, status, header, value, attr
) -> None:
    before, after, _ = before_and_after(FIXTURES / fixture, tmp_path, "FLH101", True, attr)
    old = getattr(before.test_client(), method)(route)
    assert old.status_code == status
    assert old.mimetype == "application/json"
    assert old.headers.get(header) != value
    new = getattr(after.test_client(), method)(route)
    assert new.status_code == status
    assert new.headers[header] == value
    assert new.data == b""
