"""``secret:NAME`` settings values, resolved through :mod:`tausestack.secrets`."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable

from tausestack.core._errors import ConfigurationError
from tausestack.core._logging import register_secret

__all__ = ["SECRET_PREFIX", "is_secret_reference", "resolve_secret_reference"]

SECRET_PREFIX = "secret:"  # noqa: S105 - a prefix, not a password

_resolving = threading.local()


def is_secret_reference(value: object) -> bool:
    """Whether ``value`` is a ``secret:NAME`` reference."""
    return isinstance(value, str) and value.startswith(SECRET_PREFIX)


def _secrets_getter() -> Callable[[str], str]:
    try:
        module = importlib.import_module("tausestack.secrets")
    except ModuleNotFoundError as exc:
        if exc.name in ("tausestack.secrets", "tausestack"):
            raise LookupError("tausestack-secrets is not installed") from exc
        raise
    getter: Callable[[str], str] = module.get
    return getter


def resolve_secret_reference(value: str, *, variable: str) -> str:
    """Return ``value``, or the secret it names when it is ``secret:NAME``.

    The secret is read through ``tausestack.secrets.get`` (its configured backend). Raises
    :class:`ConfigurationError` naming ``variable`` when tausestack-secrets is not installed, the
    secret does not exist, or a secret reference is used while resolving a secret. The resolved
    value is registered for log redaction.
    """
    if not is_secret_reference(value):
        return value
    name = value[len(SECRET_PREFIX) :].strip()
    if not name:
        raise ConfigurationError(f"{variable}={value!r} names no secret; write secret:NAME")
    if getattr(_resolving, "active", False):
        raise ConfigurationError(
            f"{variable} is a secret: reference, which cannot be used by the secrets backend's own "
            "configuration; give it a plain value"
        )
    _resolving.active = True
    try:
        try:
            getter = _secrets_getter()
        except LookupError:
            raise ConfigurationError(
                f"{variable} refers to the secret {name!r}, but tausestack-secrets is not installed; "
                "install it with: pip install tausestack-secrets"
            ) from None
        try:
            resolved = getter(name)
        except KeyError:
            raise ConfigurationError(
                f"{variable} refers to the secret {name!r}, which the configured secrets backend "
                "does not have; set it (tausestack secrets set NAME) or fix the reference"
            ) from None
    finally:
        _resolving.active = False
    register_secret(resolved)
    return resolved
