"""``[tool.flasklint-headers]``: selection, validation, nearest-file resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from flasklint_headers.config import (
    ConfigError,
    Selection,
    Settings,
    SettingsResolver,
    build_settings,
    find_config_file,
    glob_matches,
    load_file_config,
)
from flasklint_headers.findings import Severity
from flasklint_headers.rules import all_rules

ALL = {r.code for r in all_rules()}


def write_config(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "pyproject.toml"
    path.write_text("[tool.flasklint-headers]\n" + body, encoding="utf-8")
    return path


def settings_from(tmp_path: Path, body: str, cli: Selection | None = None):
    return build_settings(load_file_config(write_config(tmp_path, body)), cli)


def test_defaults_enable_every_rule(tmp_path: Path) -> None:
    assert settings_from(tmp_path, "").enabled == ALL


def test_select_prefix_and_name(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'select = ["FLH10", "missing-csp"]')
    assert settings.enabled == {c for c in ALL if c.startswith("FLH10")} | {"FLH301"}


def test_more_specific_selector_wins(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'ignore = ["FLH3"]\nextend-select = ["FLH301"]')
    assert "FLH301" in settings.enabled
    assert "FLH302" not in settings.enabled
    assert "FLH101" in settings.enabled


def test_ignore_wins_a_tie(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'select = ["FLH101"]\nignore = ["FLH101"]')
    assert "FLH101" not in settings.enabled


def test_cli_select_replaces_file_select(tmp_path: Path) -> None:
    cli = Selection(select=("FLH104",))
    settings = settings_from(tmp_path, 'select = ["FLH101"]', cli)
    assert settings.enabled == {"FLH104"}


def test_cli_ignore_applies_on_top(tmp_path: Path) -> None:
    cli = Selection(ignore=("FLH1",))
    settings = settings_from(tmp_path, 'select = ["FLH101", "FLH301"]', cli)
    assert settings.enabled == {"FLH301"}


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('selct = ["FLH1"]', "unknown key 'selct'"),
        ('select = ["FLH999"]', "unknown rule selector 'FLH999'"),
        ('select = "FLH1"', "'select'"),
        ("[tool.flasklint-headers.hsts-weak]\nmin = 3", "unknown option 'hsts-weak.min'"),
        (
            '[tool.flasklint-headers.hsts-weak]\nhsts-min-max-age = "1y"',
            "must be an integer, not a string",
        ),
        ('[tool.flasklint-headers.severity]\nFLH101 = "fatal"', "severity.FLH101"),
        ('[tool.flasklint-headers.per-file-ignores]\n"a.py" = ["nope"]', "'nope'"),
        ("sensitive-cookie-patterns = 3", "must be a list, not an integer"),
    ],
)
def test_invalid_config_names_key_and_file(tmp_path: Path, body: str, fragment: str) -> None:
    path = write_config(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        load_file_config(path)
    assert fragment in str(info.value)
    assert str(path.resolve()) in str(info.value)


def test_invalid_toml(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.flasklint-headers\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_file_config(path)


def test_rule_options_severities_and_proxy_headers(tmp_path: Path) -> None:
    body = (
        'set-by-proxy = ["Strict-Transport-Security"]\n'
        'sensitive-cookie-patterns = ["sid"]\n'
        "[tool.flasklint-headers.severity]\n"
        'FLH3 = "info"\n'
        "[tool.flasklint-headers.hsts-weak]\n"
        "hsts-min-max-age = 31536000\n"
    )
    settings = settings_from(tmp_path, body)
    assert settings.set_by_proxy == {"Strict-Transport-Security"}
    assert settings.rule_option("hsts-weak", "hsts-min-max-age", 0) == 31536000
    assert settings.rule_option("cookie-without-secure", "sensitive-cookie-patterns", []) == ["sid"]
    assert settings.severity_for("FLH301", Severity.WARNING) is Severity.INFO
    assert settings.severity_for("FLH101", Severity.WARNING) is Severity.WARNING


def test_per_file_ignores_relative_to_config_dir(tmp_path: Path) -> None:
    body = (
        "[tool.flasklint-headers.per-file-ignores]\n"
        '"tests/*" = ["FLH4"]\n'
        '"legacy.py" = ["FLH101"]\n'
    )
    settings = settings_from(tmp_path, body)
    assert "FLH401" in settings.ignored_for(str(tmp_path / "tests" / "test_x.py"))
    assert settings.ignored_for(str(tmp_path / "app" / "legacy.py")) == {"FLH101"}
    assert settings.ignored_for(str(tmp_path / "app" / "views.py")) == frozenset()


def test_exclude_replaces_defaults_extend_exclude_adds(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'extend-exclude = ["migrations"]')
    assert settings.is_excluded(tmp_path / "migrations")
    assert settings.is_excluded(tmp_path / ".venv")
    replaced = settings_from(tmp_path / "b", 'exclude = ["gen_*.py"]')
    assert replaced.is_excluded(tmp_path / "b" / "gen_x.py")
    assert not replaced.is_excluded(tmp_path / "b" / ".venv")


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("tests/test_a.py", "tests/*", True),
        ("tests/sub/test_a.py", "tests/*", True),
        ("src/tests/test_a.py", "tests/*", False),
        ("src/legacy.py", "legacy.py", True),
        ("src/legacy.py", "**/legacy.py", True),
        ("legacy.py", "**/legacy.py", True),
        ("migrations/v1/x.py", "migrations", True),
        ("app/views.py", "*.pyi", False),
    ],
)
def test_glob_matches(path: str, pattern: str, expected: bool) -> None:
    assert glob_matches(path, pattern) is expected


def test_nearest_pyproject_with_our_table_wins(tmp_path: Path) -> None:
    write_config(tmp_path, 'select = ["FLH101"]')
    inner = tmp_path / "services" / "api"
    write_config(inner, 'select = ["FLH104"]')
    # A pyproject.toml without our table is skipped.
    plain = tmp_path / "services" / "plain"
    plain.mkdir(parents=True)
    (plain / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    resolver = SettingsResolver()
    assert resolver(inner / "app.py").enabled == {"FLH104"}
    assert resolver(inner / "deep" / "x.py").enabled == {"FLH104"}
    assert resolver(plain / "app.py").enabled == {"FLH101"}
    assert find_config_file(plain) == (tmp_path / "pyproject.toml").resolve()


def test_config_flag_and_isolated(tmp_path: Path) -> None:
    config = write_config(tmp_path / "cfg", 'select = ["FLH105"]')
    write_config(tmp_path / "proj", 'select = ["FLH101"]')
    assert SettingsResolver(config_path=config)(tmp_path / "proj" / "a.py").enabled == {"FLH105"}
    assert SettingsResolver(isolated=True)(tmp_path / "proj" / "a.py").enabled == ALL
    with pytest.raises(ConfigError, match="does not exist"):
        SettingsResolver(config_path=tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "patterns",
    [
        ("build",),
        ("*.py",),
        ("pkg/gen_*.py", "legacy"),
        ("**/migrations/*",),
        ("pkg",),
        ("x/../pkg/*",),
    ],
)
@pytest.mark.parametrize("where", ["root", "sub", "outside", "outside-relative"])
def test_exclusion_in_a_directory_equals_is_excluded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: tuple[str, ...], where: str
) -> None:
    """Discovery's per-folder exclusion check answers exactly like ``is_excluded``."""
    root = tmp_path / "proj"
    (root / "pkg" / "migrations").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    settings = Settings(enabled=ALL, extend_exclude=patterns, root=root)
    monkeypatch.chdir(root)
    directory = {
        "root": root,
        "sub": root / "pkg" / "migrations",
        "outside": tmp_path / "other",
        "outside-relative": Path("..") / "other",
    }[where]
    names = ["a.py", "gen_x.py", "build", "legacy", "migrations", "pkg", "x.pyi"]
    excluded = settings.exclusion_in(directory)
    for name in names:
        assert excluded(name) == settings.is_excluded(directory / name), name
    assert Settings(enabled=ALL, exclude=()).exclusion_in(directory)("build") is False
