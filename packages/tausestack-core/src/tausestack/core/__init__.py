"""tausestack.core: what every TauseStack package shares.

Settings (:class:`TauseStackSettings`), backend URLs (:func:`parse_url`) and the backend
registry (:class:`BackendRegistry`), the error hierarchy, the sync/async bridge
(:func:`run_sync`, :func:`async_twin`), the lazy module default (:class:`LazyDefault`) and
logging that redacts secrets (:func:`get_logger`).
"""

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
from tausestack.core._registry import BackendFactory, BackendRegistry
from tausestack.core._secret_refs import SECRET_PREFIX, is_secret_reference, resolve_secret_reference
from tausestack.core._settings import SettingsConfigDict, TauseStackSettings
from tausestack.core._urls import BackendURL, parse_url, redact_url
from tausestack.core._version import __version__

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
