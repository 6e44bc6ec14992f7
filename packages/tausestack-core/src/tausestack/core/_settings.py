"""The settings base every module's settings derive from.

``TAUSESTACK_`` prefix, ``.env`` support, and ``secret:NAME`` values resolved through
:mod:`tausestack.secrets` when the settings are built::

    class StorageSettings(TauseStackSettings):
        model_config = SettingsConfigDict(env_prefix="TAUSESTACK_STORAGE_")
        url: str = "file://.tausestack/storage"

    StorageSettings().url   # TAUSESTACK_STORAGE_URL, or .env, or the default
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tausestack.core._secret_refs import is_secret_reference, resolve_secret_reference

__all__ = ["TauseStackSettings", "SettingsConfigDict"]


class TauseStackSettings(BaseSettings):
    """Base class of TauseStack settings: env prefix ``TAUSESTACK_``, ``.env``, ``secret:`` refs.

    Any ``str`` or :class:`~pydantic.SecretStr` field may hold ``secret:NAME``; it is replaced by
    the secret's value when the settings object is built (and only then is
    :mod:`tausestack.secrets` imported). Fields listed in ``plain_fields`` never resolve.
    """

    model_config = SettingsConfigDict(
        env_prefix="TAUSESTACK_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        validate_default=True,
    )

    plain_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def variable_name(cls, field: str) -> str:
        """The environment variable that sets ``field`` (``TAUSESTACK_STORAGE_URL``)."""
        info = cls.model_fields[field]
        if isinstance(info.validation_alias, str):
            return info.validation_alias.upper()
        if info.alias:
            return info.alias.upper()
        prefix = str(cls.model_config.get("env_prefix", ""))
        return f"{prefix}{field}".upper()

    @model_validator(mode="after")
    def _resolve_secret_references(self) -> TauseStackSettings:
        for name in type(self).model_fields:
            if name in self.plain_fields:
                continue
            value: Any = getattr(self, name)
            if isinstance(value, SecretStr):
                raw = value.get_secret_value()
                if is_secret_reference(raw):
                    resolved = resolve_secret_reference(raw, variable=self.variable_name(name))
                    object.__setattr__(self, name, SecretStr(resolved))
            elif is_secret_reference(value):
                resolved = resolve_secret_reference(value, variable=self.variable_name(name))
                object.__setattr__(self, name, resolved)
        return self
