"""Per-app state of tausestack.web: settings, router declarations and the resolved auth rules."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tausestack.web._declarations import (
    PUBLIC,
    AuthDeclaration,
    AuthRequirement,
    normalize_roles,
    resolve,
    route_declaration,
    router_declaration,
)
from tausestack.web._settings import WebSettings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tausestack.auth import AuthBackend
    from tausestack.web._discovery import DiscoveredRouter
    from tausestack.web._routes import RouteView

__all__ = ["WebState", "web_state"]

STATE_KEY = "tausestack_web"


@dataclass
class WebState:
    """What ``create_app`` knows about its app, kept on ``app.state.tausestack_web``."""

    settings: WebSettings
    auth_backend: AuthBackend | None = None
    routers: list[DiscoveredRouter] = field(default_factory=list)
    #: Router-level declarations of discovered routers (routers.json included), by endpoint.
    router_rules: dict[Any, AuthDeclaration] = field(default_factory=dict)
    #: Endpoints that are public by construction (health, readiness).
    public_endpoints: set[Any] = field(default_factory=set)
    _cache: dict[Any, AuthRequirement] = field(default_factory=dict)

    def backend(self) -> AuthBackend:
        """The auth backend: the one given to ``create_app``, else tausestack.auth's default."""
        if self.auth_backend is not None:
            return self.auth_backend
        return _default_backend()

    def requirement(self, endpoint: Callable[..., Any] | None) -> AuthRequirement:
        """The auth rule of the route served by ``endpoint`` (cached; default: auth required)."""
        try:
            return self._cache[endpoint]
        except KeyError:
            pass
        except TypeError:  # an unhashable endpoint: resolve each time
            return self._resolve(endpoint)
        rule = self._resolve(endpoint)
        self._cache[endpoint] = rule
        return rule

    def _resolve(self, endpoint: Callable[..., Any] | None) -> AuthRequirement:
        if endpoint is not None and endpoint in self.public_endpoints:
            return PUBLIC
        router_rule = self.router_rules.get(endpoint) if endpoint is not None else None
        if router_rule is None:
            router_rule = router_declaration(endpoint)
        return resolve(route_declaration(endpoint), router_rule)

    def requirement_for_view(self, view: RouteView) -> AuthRequirement:
        """The rule a route table shows: unguarded routes are public; ``require_roles`` counts."""
        if not view.guarded:
            return PUBLIC
        rule = self.requirement(view.endpoint)
        extra = _dependency_roles(view.dependencies)
        if extra:
            return AuthRequirement(public=False, roles=normalize_roles([*rule.roles, *extra]))
        return rule

    def forget_cache(self) -> None:
        self._cache.clear()


@functools.cache
def _auth_module() -> Any:
    """``tausestack.auth``, imported on first use (not at import time) and then kept."""
    return importlib.import_module("tausestack.auth")


def _default_backend() -> AuthBackend:
    backend: AuthBackend = _auth_module().get_backend()
    return backend


def _dependency_roles(dependencies: tuple[Any, ...]) -> list[str]:
    roles: list[str] = []
    for dependency in dependencies:
        call = getattr(dependency, "dependency", None)
        roles.extend(getattr(call, "__tausestack_roles__", ()) or ())
    return roles


def web_state(app: FastAPI) -> WebState | None:
    """The :class:`WebState` of an app built by ``create_app`` (``None`` for another app)."""
    value = getattr(app.state, STATE_KEY, None)
    return value if isinstance(value, WebState) else None
