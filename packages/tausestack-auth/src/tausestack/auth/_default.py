"""The module-level default backend: ``get_backend()``, ``configure()``, ``reset()``..."""

from __future__ import annotations

from tausestack.auth._base import AuthBackend
from tausestack.auth._extract import forget_cookie_name
from tausestack.auth._settings import AuthSettings
from tausestack.core import BackendRegistry, ModuleDefault, is_secret_reference, redact_url

__all__ = [
    "registry",
    "get_backend",
    "configure",
    "reset",
    "health",
    "ahealth",
    "close",
    "aclose",
    "describe",
    "create_backend",
]

#: Auth backends by URL scheme (entry points ``tausestack.auth.backends``).
registry: BackendRegistry[AuthBackend] = BackendRegistry("auth", variable="TAUSESTACK_AUTH_URL")


def create_backend(url: str) -> AuthBackend:
    """Build the backend a URL names (``local://``, ``firebase://PROJECT``, ``secret:NAME``...).

    Raises :class:`~tausestack.core.ConfigurationError` for an unknown scheme, a bad option or a
    missing extra (the message says what to install).

    >>> backend = create_backend("local://")  # doctest: +SKIP
    """
    backend = registry.create(url)
    if not isinstance(backend, AuthBackend):
        raise TypeError(f"the auth backend for {redact_url(url)!r} is not an AuthBackend")
    return backend


def _build() -> AuthBackend:
    return create_backend(AuthSettings().url)


def _close(backend: AuthBackend) -> None:
    backend.close()


_default: ModuleDefault[AuthBackend] = ModuleDefault(_build, close=_close)


def get_backend() -> AuthBackend:
    """The default backend, built from ``TAUSESTACK_AUTH_URL`` (default ``local://``) on first use.

    >>> from tausestack import auth
    >>> auth.get_backend()  # doctest: +SKIP
    LocalAuthBackend('local://')
    """
    return _default.get()


def configure(url_or_backend: str | AuthBackend) -> AuthBackend:
    """Make a URL (or ``secret:NAME``) or a backend object the module default; returns it.

    >>> from tausestack import auth
    >>> auth.configure("local://?database=sqlite:///users.db")  # doctest: +SKIP
    """
    backend = url_or_backend if isinstance(url_or_backend, AuthBackend) else create_backend(url_or_backend)
    _default.configure(backend)
    return backend


def reset() -> None:
    """Forget (and close) the default; the next use reads the environment again."""
    _default.reset()
    forget_cookie_name()


# The module lifecycle (tausestack.core.ModuleDefault): health()/ahealth() check the default
# (building it on first use); close()/aclose() release its connections if it was built.
health = _default.health
ahealth = _default.ahealth
close = _default.close
aclose = _default.aclose


def describe() -> str:
    """The configured backend as short redacted text (``local://``); opens no connection."""
    if _default.is_built:
        return _default.get().describe()
    url = AuthSettings().url
    return url if is_secret_reference(url) else redact_url(url)
