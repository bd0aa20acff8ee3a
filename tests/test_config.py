"""Settings: every one documented (in its description and in the README), read from `KG_`
variables, and unsafe values refused at start-up."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from kg.config import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
FIELDS = sorted(Settings.model_fields)
STRONG_TOKEN = "x7Gq2LrV9pWm4TzK8cNf"


def readme_rows() -> dict[str, list[str]]:
    """The README's settings table: variable name to its cells."""
    rows: dict[str, list[str]] = {}
    for line in README.read_text("utf-8").splitlines():
        match = re.match(r"^\|\s*`(KG_[A-Z0-9_]+)`\s*\|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def without_kg_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in list(os.environ):
        if key.startswith("KG_"):
            monkeypatch.delenv(key)


@pytest.mark.parametrize("name", FIELDS)
def test_every_setting_has_a_description(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description is not None and len(description.strip()) > 10


@pytest.mark.skipif(not README.is_file(), reason="no README.md yet")
@pytest.mark.parametrize("name", FIELDS)
def test_every_setting_is_in_the_readme_with_its_default(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = readme_rows()
    variable = f"KG_{name.upper()}"
    assert variable in rows, f"README.md does not document {variable}"
    documented = rows[variable][0].strip("`")
    without_kg_variables(monkeypatch)
    default = getattr(Settings(), name)
    if default is None:
        assert documented == "unset", variable
    elif isinstance(default, bool):
        assert documented == str(default).lower(), variable
    elif isinstance(default, int | float):
        assert float(documented) == default, variable
    elif isinstance(default, list):
        assert documented == ("empty" if not default else str(default)), variable
    else:
        assert documented == str(default), variable


def test_settings_come_from_kg_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", "http://127.0.0.1:7878")
    monkeypatch.setenv("KG_BATCH_SIZE", "8")
    monkeypatch.setenv("KG_CORS_ORIGINS", '["http://localhost:3000"]')
    monkeypatch.setenv("KG_ALLOW_SERVICE", "true")
    settings = Settings()
    assert settings.is_remote
    assert settings.batch_size == 8
    assert settings.cors_origins == ["http://localhost:3000"]
    assert settings.allow_service is True


def test_defaults_are_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    without_kg_variables(monkeypatch)
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert not settings.updates_enabled
    assert not settings.allow_service
    assert not settings.is_remote


@pytest.mark.parametrize("token", ["", "   ", "changeme", "Secret", "short-token"])
def test_weak_update_tokens_are_refused(token: str) -> None:
    with pytest.raises(ValidationError, match="KG_API_TOKEN"):
        Settings(api_token=token)


def test_a_strong_token_enables_updates() -> None:
    assert Settings(api_token=STRONG_TOKEN).updates_enabled


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("store", "  "),
        ("port", 0),
        ("port", 70000),
        ("batch_size", 0),
        ("workers", 0),
        ("store_timeout", 0),
        ("query_timeout", -1),
        ("max_body_bytes", 10),
    ],
)
def test_out_of_range_values_are_refused(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Settings(**{field: value})  # type: ignore[arg-type]
