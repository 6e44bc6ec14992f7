"""URL scheme → backend, through entry points ``tausestack.<module>.backends``.

Built-in backends are registered exactly as a third-party package registers one, in its
``pyproject.toml``::

    [project.entry-points."tausestack.storage.backends"]
    gcs = "acme_tausestack_gcs:GCSStorageBackend [gcs]"

The object an entry point names is either a class with a ``from_url(url: BackendURL)``
classmethod or a callable taking the :class:`~tausestack.core.BackendURL`. Entry points are read
once, on the first backend created (never at import), and :meth:`BackendRegistry.register` adds
one at run time (tests, apps).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from tausestack.core._errors import ConfigurationError
from tausestack.core._secret_refs import resolve_secret_reference
from tausestack.core._urls import BackendURL, parse_url

if TYPE_CHECKING:
    from importlib import metadata

__all__ = ["BackendRegistry", "BackendFactory"]

T = TypeVar("T")
BackendFactory = Callable[[BackendURL], T]


class BackendRegistry(Generic[T]):
    """The backends of one module (``storage``, ``cache``...), keyed by URL scheme.

    >>> registry: BackendRegistry[object] = BackendRegistry("storage", variable="TAUSESTACK_STORAGE_URL")
    >>> registry.register("null", lambda url: object())
    >>> "null" in registry.schemes()
    True
    """

    def __init__(self, module: str, *, variable: str) -> None:
        self.module = module
        self.variable = variable
        self.group = f"tausestack.{module}.backends"
        self._lock = threading.Lock()
        self._entry_points: dict[str, metadata.EntryPoint] | None = None
        self._factories: dict[str, Callable[[BackendURL], T]] = {}

    def register(self, scheme: str, factory: Callable[[BackendURL], T] | type[Any]) -> None:
        """Register ``factory`` for ``scheme`` (overrides an entry point of the same name)."""
        with self._lock:
            self._factories[scheme.lower()] = _as_factory(factory)

    def unregister(self, scheme: str) -> None:
        """Remove a backend registered with :meth:`register`."""
        with self._lock:
            self._factories.pop(scheme.lower(), None)

    def schemes(self) -> list[str]:
        """Every known scheme, sorted."""
        return sorted(set(self._load_entry_points()) | set(self._factories))

    def factory(self, scheme: str) -> Callable[[BackendURL], T]:
        """The factory for ``scheme`` (or its base scheme, ``postgresql`` for ``postgresql+psycopg``)."""
        scheme = scheme.lower()
        for candidate in (scheme, scheme.split("+", 1)[0]):
            if candidate in self._factories:
                return self._factories[candidate]
            entry_point = self._load_entry_points().get(candidate)
            if entry_point is not None:
                factory = self._load(entry_point, scheme)
                with self._lock:
                    self._factories.setdefault(candidate, factory)
                return factory
        known = ", ".join(f"{name}://" for name in self.schemes()) or "none installed"
        raise ConfigurationError(
            f"{self.variable}: unknown {self.module} backend scheme {scheme!r}; known schemes: {known}"
        )

    def create(self, url: str | BackendURL) -> T:
        """Build the backend that ``url`` names (``url`` may be a ``secret:NAME`` reference)."""
        if isinstance(url, str):
            url = resolve_secret_reference(url, variable=self.variable)
        parsed = url if isinstance(url, BackendURL) else parse_url(url, variable=self.variable)
        return self.factory(parsed.scheme)(parsed)

    # -- internals -----------------------------------------------------------------------------

    def _load_entry_points(self) -> dict[str, metadata.EntryPoint]:
        if self._entry_points is None:
            from importlib import metadata  # imported on first backend creation, never at import

            found = {ep.name.lower(): ep for ep in metadata.entry_points(group=self.group)}
            with self._lock:
                self._entry_points = found
        return self._entry_points

    def _load(self, entry_point: metadata.EntryPoint, scheme: str) -> Callable[[BackendURL], T]:
        try:
            obj = entry_point.load()
        except ImportError as exc:
            hint = _install_hint(entry_point)
            raise ConfigurationError(
                f"{self.variable}: the {scheme}:// {self.module} backend cannot be loaded ({exc}); {hint}"
            ) from exc
        return _as_factory(obj)


def _as_factory(obj: Any) -> Callable[[BackendURL], T]:
    from_url = getattr(obj, "from_url", None)
    if callable(from_url):
        return cast("Callable[[BackendURL], T]", from_url)
    if callable(obj):
        return cast("Callable[[BackendURL], T]", obj)
    raise TypeError(f"{obj!r} is neither a backend class with from_url() nor a callable")


def _install_hint(entry_point: metadata.EntryPoint) -> str:
    dist = getattr(entry_point, "dist", None)
    name = dist.name if dist is not None else "the package that provides it"
    extras = list(getattr(entry_point, "extras", []) or [])
    if extras:
        return f"install it with: pip install '{name}[{','.join(extras)}]'"
    return f"reinstall {name}"
