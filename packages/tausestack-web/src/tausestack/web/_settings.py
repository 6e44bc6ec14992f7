"""Settings of tausestack.web (environment variables ``TAUSESTACK_WEB_*``, ``.env``, ``secret:``)."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from tausestack.core import SettingsConfigDict, TauseStackSettings

__all__ = ["WebSettings"]

_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")

StrList = Annotated[list[str], NoDecode]


def _split_list(value: Any) -> Any:
    """Accept a JSON list or a comma-separated string (``a.com,b.com``) from the environment."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
    return value


class WebSettings(TauseStackSettings):
    """How :func:`~tausestack.web.create_app` builds the app.

    Every field is read from ``TAUSESTACK_WEB_<FIELD>`` (or ``.env``); lists accept JSON or a
    comma-separated string. Subclass it in ``app/config.py`` to add the app's own settings::

        class Settings(WebSettings):
            openai_api_key: SecretStr = SecretStr("secret:OPENAI_API_KEY")

    >>> WebSettings().api_prefix
    '/api'
    """

    model_config = SettingsConfigDict(env_prefix="TAUSESTACK_WEB_")

    #: Title and version shown in the OpenAPI schema.
    title: str = "TauseStack app"
    version: str = "0.1.0"
    description: str = ""
    #: ``production`` never shows exception details to clients; ``development`` does when ``debug``.
    environment: Literal["development", "test", "production"] = "development"
    #: Add the exception type and traceback to 500 responses (refused in production).
    debug: bool = False

    #: Path prefix of every discovered router (Databutton used ``/routes``).
    api_prefix: str = "/api"
    #: The Databutton layout: ``app/apis/<name>/__init__.py`` with a module-level ``router``.
    apis_dir: str = "app/apis"
    #: One router per module: ``app/routes/<name>.py``.
    routes_dir: str = "app/routes"
    #: Databutton's ``routers.json`` (``{"routers": {"name": {"disableAuth": true}}}``), if present.
    routers_config: str = "routers.json"

    #: Origins allowed by CORS (none: CORS middleware off). ``*`` allows any origin.
    cors_origins: StrList = Field(default_factory=list)
    cors_allow_credentials: bool = False
    cors_allow_methods: StrList = Field(default_factory=lambda: ["*"])
    cors_allow_headers: StrList = Field(default_factory=lambda: ["*"])
    cors_max_age: int = 600

    #: Header that carries the request ID in and out (a valid incoming one is kept).
    request_id_header: str = "X-Request-ID"
    #: Install a log handler on the ``tausestack`` logger (JSON lines or plain text).
    configure_logging: bool = True
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    #: One ``tausestack.web.access`` line per request (method, path, status, duration, user).
    access_log: bool = True

    #: Liveness (always cheap) and readiness (checks each backend) paths; public.
    health_path: str = "/healthz"
    ready_path: str = "/readyz"
    #: Modules checked by readiness; ``None`` checks every installed one among
    #: auth, storage, cache and database (a listed module that is missing is "not ready").
    readiness_checks: Annotated[list[str] | None, NoDecode] = None
    readiness_timeout: float = 3.0

    #: Serve ``/openapi.json``, ``/docs`` and ``/redoc`` (public).
    docs: bool = True

    @field_validator("cors_origins", "cors_allow_methods", "cors_allow_headers", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _split_list(value)

    @field_validator("readiness_checks", mode="before")
    @classmethod
    def _checks(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in {"", "auto", "none"}:
            return None
        return _split_list(value)

    @field_validator("api_prefix", "health_path", "ready_path")
    @classmethod
    def _path(cls, value: str) -> str:
        value = value.strip()
        if value in {"", "/"}:
            return ""
        if not value.startswith("/") or value.endswith("/") or "//" in value:
            raise ValueError(f"{value!r} must start with '/' and not end with '/' (e.g. '/api')")
        return value

    @field_validator("request_id_header")
    @classmethod
    def _header(cls, value: str) -> str:
        if not _HEADER_NAME.match(value):
            raise ValueError(f"{value!r} is not a valid HTTP header name")
        return value

    @field_validator("readiness_timeout")
    @classmethod
    def _timeout(cls, value: float) -> float:
        if value <= 0:
            raise ValueError("readiness_timeout must be positive")
        return value

    @property
    def is_production(self) -> bool:
        """Whether ``environment`` is ``production``."""
        return self.environment == "production"

    @property
    def show_errors(self) -> bool:
        """Whether 500 responses may carry the exception (``debug`` outside production)."""
        return self.debug and not self.is_production
