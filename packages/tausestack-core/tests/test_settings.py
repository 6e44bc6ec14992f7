from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from tausestack.core import ConfigurationError, SettingsConfigDict, TauseStackSettings, _secret_refs, redact


class WidgetSettings(TauseStackSettings):
    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_WIDGET_")
    url: str = "memory://"
    api_key: SecretStr | None = None
    retries: int = 3


@pytest.fixture
def fake_secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A stand-in for tausestack.secrets.get: core's tests must not depend on that package."""
    store: dict[str, str] = {}

    def getter() -> Callable[[str], str]:
        return store.__getitem__

    monkeypatch.setattr(_secret_refs, "_secrets_getter", getter)
    return store


def test_defaults_env_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert WidgetSettings().url == "memory://"
    Path(".env").write_text("TAUSESTACK_WIDGET_URL=file://from-dotenv\nTAUSESTACK_WIDGET_RETRIES=5\n")
    settings = WidgetSettings()
    assert (settings.url, settings.retries) == ("file://from-dotenv", 5)
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "redis://from-env")
    assert WidgetSettings().url == "redis://from-env"  # the environment beats .env


def test_variable_name() -> None:
    assert WidgetSettings.variable_name("url") == "TAUSESTACK_WIDGET_URL"
    assert TauseStackSettings.model_config["env_prefix"] == "TAUSESTACK_"


def test_secret_references_resolve(monkeypatch: pytest.MonkeyPatch, fake_secrets: dict[str, str]) -> None:
    fake_secrets["WIDGET_URL"] = "redis://user:s3cr3t-pw@host/0"
    fake_secrets["WIDGET_KEY"] = "key-0123456789"
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:WIDGET_URL")
    monkeypatch.setenv("TAUSESTACK_WIDGET_API_KEY", "secret:WIDGET_KEY")
    settings = WidgetSettings()
    assert settings.url == "redis://user:s3cr3t-pw@host/0"
    assert isinstance(settings.api_key, SecretStr)
    assert settings.api_key.get_secret_value() == "key-0123456789"
    assert "key-0123456789" not in repr(settings)
    # resolved values are registered for redaction
    assert "key-0123456789" not in redact("sending key-0123456789")


def test_missing_secret_names_the_variable_not_a_value(
    monkeypatch: pytest.MonkeyPatch, fake_secrets: dict[str, str]
) -> None:
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:NOPE")
    with pytest.raises(ConfigurationError) as info:
        WidgetSettings()
    message = str(info.value)
    assert "TAUSESTACK_WIDGET_URL" in message
    assert "'NOPE'" in message


def test_empty_secret_name(monkeypatch: pytest.MonkeyPatch, fake_secrets: dict[str, str]) -> None:
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:  ")
    with pytest.raises(ConfigurationError, match="names no secret"):
        WidgetSettings()


def test_secrets_package_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> object:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(_secret_refs.importlib, "import_module", not_installed)
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:WIDGET_URL")
    with pytest.raises(ConfigurationError) as info:
        WidgetSettings()
    assert "TAUSESTACK_WIDGET_URL" in str(info.value)
    assert "pip install tausestack-secrets" in str(info.value)


def test_reentrant_reference_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A secrets backend configured through a secret: reference would recurse forever."""

    def getter() -> Callable[[str], str]:
        def get(name: str) -> str:
            return _secret_refs.resolve_secret_reference("secret:OTHER", variable="TAUSESTACK_SECRETS_URL")

        return get

    monkeypatch.setattr(_secret_refs, "_secrets_getter", getter)
    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:WIDGET_URL")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_SECRETS_URL"):
        WidgetSettings()


def test_plain_fields_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    class Plain(WidgetSettings):
        plain_fields = frozenset({"url"})

    monkeypatch.setenv("TAUSESTACK_WIDGET_URL", "secret:NOT_RESOLVED")
    assert Plain().url == "secret:NOT_RESOLVED"
