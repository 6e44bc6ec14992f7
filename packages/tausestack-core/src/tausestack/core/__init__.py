"""tausestack.core: what every TauseStack package shares.

Settings (:class:`TauseStackSettings`), backend URLs (:func:`parse_url`) and the backend
registry (:class:`BackendRegistry`), the error hierarchy, the sync/async bridge
(:func:`run_sync`, :func:`async_twin`), the lazy module default (:class:`LazyDefault`, and
:class:`ModuleDefault` with the module-level ``health``/``close`` lifecycle), PEP 562 lazy
exports (:func:`lazy_exports`) and logging that redacts secrets (:func:`get_logger`).

Importing this package is cheap: each name is loaded from its private module on first use
(pydantic-settings and anyio only when settings or the bridge are used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tausestack.core._lazy_exports import lazy_exports

if TYPE_CHECKING:
    from tausestack.core._bridge import async_twin, in_event_loop, run_async, run_sync
    from tausestack.core._default import LazyDefault
    from tausestack.core._durations import Duration, parse_duration
    from tausestack.core._errors import (
        AccessDeniedError,
        AuthenticationError,
        AuthError,
        BackendUnavailableError,
        ConfigurationError,
        ConflictError,
        InvalidInputError,
        InvalidKeyError,
        KeyNotFoundError,
        NotFoundError,
        ObjectNotFoundError,
        PermissionDeniedError,
        SyncInEventLoopError,
        TauseStackError,
        UnsupportedOperationError,
    )
    from tausestack.core._logging import REDACTED, RedactingFilter, get_logger, redact, register_secret
    from tausestack.core._module_default import ModuleDefault, SupportsLifecycle
    from tausestack.core._registry import BackendFactory, BackendRegistry
    from tausestack.core._secret_refs import SECRET_PREFIX, is_secret_reference, resolve_secret_reference
    from tausestack.core._settings import SettingsConfigDict, TauseStackSettings
    from tausestack.core._urls import BackendURL, parse_url, redact_url
    from tausestack.core._version import __version__

_LAZY: dict[str, str] = {
    "async_twin": "tausestack.core._bridge",
    "in_event_loop": "tausestack.core._bridge",
    "run_async": "tausestack.core._bridge",
    "run_sync": "tausestack.core._bridge",
    "LazyDefault": "tausestack.core._default",
    "ModuleDefault": "tausestack.core._module_default",
    "SupportsLifecycle": "tausestack.core._module_default",
    "Duration": "tausestack.core._durations",
    "parse_duration": "tausestack.core._durations",
    "AccessDeniedError": "tausestack.core._errors",
    "AuthenticationError": "tausestack.core._errors",
    "AuthError": "tausestack.core._errors",
    "BackendUnavailableError": "tausestack.core._errors",
    "ConfigurationError": "tausestack.core._errors",
    "ConflictError": "tausestack.core._errors",
    "InvalidInputError": "tausestack.core._errors",
    "InvalidKeyError": "tausestack.core._errors",
    "KeyNotFoundError": "tausestack.core._errors",
    "NotFoundError": "tausestack.core._errors",
    "ObjectNotFoundError": "tausestack.core._errors",
    "PermissionDeniedError": "tausestack.core._errors",
    "SyncInEventLoopError": "tausestack.core._errors",
    "TauseStackError": "tausestack.core._errors",
    "UnsupportedOperationError": "tausestack.core._errors",
    "REDACTED": "tausestack.core._logging",
    "RedactingFilter": "tausestack.core._logging",
    "get_logger": "tausestack.core._logging",
    "redact": "tausestack.core._logging",
    "register_secret": "tausestack.core._logging",
    "BackendFactory": "tausestack.core._registry",
    "BackendRegistry": "tausestack.core._registry",
    "SECRET_PREFIX": "tausestack.core._secret_refs",
    "is_secret_reference": "tausestack.core._secret_refs",
    "resolve_secret_reference": "tausestack.core._secret_refs",
    "SettingsConfigDict": "tausestack.core._settings",
    "TauseStackSettings": "tausestack.core._settings",
    "BackendURL": "tausestack.core._urls",
    "parse_url": "tausestack.core._urls",
    "redact_url": "tausestack.core._urls",
    "__version__": "tausestack.core._version",
}

__all__ = [
    "__version__",
    # settings
    "TauseStackSettings",
    "SettingsConfigDict",
    "SECRET_PREFIX",
    "is_secret_reference",
    "resolve_secret_reference",
    # URLs and backends
    "BackendURL",
    "parse_url",
    "redact_url",
    "BackendRegistry",
    "BackendFactory",
    "LazyDefault",
    "ModuleDefault",
    "SupportsLifecycle",
    "lazy_exports",
    # errors
    "TauseStackError",
    "ConfigurationError",
    "NotFoundError",
    "KeyNotFoundError",
    "ObjectNotFoundError",
    "InvalidInputError",
    "InvalidKeyError",
    "BackendUnavailableError",
    "AccessDeniedError",
    "UnsupportedOperationError",
    "ConflictError",
    "AuthError",
    "AuthenticationError",
    "PermissionDeniedError",
    "SyncInEventLoopError",
    # sync/async
    "run_sync",
    "run_async",
    "async_twin",
    "in_event_loop",
    # durations
    "Duration",
    "parse_duration",
    # logging
    "get_logger",
    "register_secret",
    "redact",
    "RedactingFilter",
    "REDACTED",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
