"""Auth declarations: what a router or a route says about who may call it.

A declaration lives on the endpoint function (``__tausestack_auth__`` for the route,
``__tausestack_router_auth__`` for the router that registered it), so it survives
``include_router`` in every FastAPI version. The app resolves it once per endpoint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from tausestack.core import ConfigurationError

__all__ = [
    "AuthDeclaration",
    "AuthRequirement",
    "PUBLIC",
    "REQUIRED",
    "public",
    "requires_auth",
    "declare_route",
    "declare_router",
    "route_declaration",
    "router_declaration",
    "normalize_roles",
    "resolve",
]

F = TypeVar("F", bound=Callable[..., Any])

ROUTE_ATTRIBUTE = "__tausestack_auth__"
ROUTER_ATTRIBUTE = "__tausestack_router_auth__"


@dataclass(frozen=True)
class AuthDeclaration:
    """What one router or route declares: ``auth_required`` (``None``: inherit) and ``roles``."""

    auth_required: bool | None = None
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.roles and self.auth_required is False:
            raise ConfigurationError(
                f"a public route cannot require roles {list(self.roles)}: "
                "drop auth_required=False/public=True or the roles"
            )

    @classmethod
    def of(
        cls,
        *,
        auth_required: bool | None = None,
        public: bool | None = None,
        roles: Iterable[str] | None = None,
    ) -> AuthDeclaration:
        """Build a declaration from the keyword forms routes and routers accept."""
        if public is not None:
            if auth_required is not None and auth_required == public:
                raise ConfigurationError("public=True contradicts auth_required=True")
            auth_required = not public
        return cls(auth_required=auth_required, roles=normalize_roles(roles))

    @property
    def is_empty(self) -> bool:
        return self.auth_required is None and not self.roles


@dataclass(frozen=True)
class AuthRequirement:
    """The resolved rule of one route: public, or authenticated with every role in ``roles``."""

    public: bool
    roles: tuple[str, ...] = ()

    def describe(self) -> str:
        """``public``, ``required`` or ``roles:a,b`` (the ``tausestack routes`` column)."""
        if self.public:
            return "public"
        if self.roles:
            return "roles:" + ",".join(self.roles)
        return "required"


PUBLIC = AuthRequirement(public=True)
REQUIRED = AuthRequirement(public=False)


def normalize_roles(roles: Iterable[str] | str | None) -> tuple[str, ...]:
    """Roles as a tuple of distinct non-empty names (order kept); a bare string is refused."""
    if roles is None:
        return ()
    if isinstance(roles, str):
        raise ConfigurationError(f"roles must be a list of names, not the string {roles!r}")
    result: list[str] = []
    for role in roles:
        if not isinstance(role, str) or not role.strip():
            raise ConfigurationError(f"invalid role name {role!r}: roles are non-empty strings")
        if role not in result:
            result.append(role)
    return tuple(result)


def _target(endpoint: Callable[..., Any]) -> Any:
    return getattr(endpoint, "__func__", endpoint)


def declare_route(endpoint: F, declaration: AuthDeclaration) -> F:
    """Attach a route-level declaration to ``endpoint`` (refuses a conflicting second one)."""
    if declaration.is_empty:
        return endpoint
    target = _target(endpoint)
    existing = getattr(target, ROUTE_ATTRIBUTE, None)
    if existing is not None and existing != declaration:
        raise ConfigurationError(
            f"{_name(endpoint)} is declared twice with different auth rules ({existing} and {declaration})"
        )
    setattr(target, ROUTE_ATTRIBUTE, declaration)
    return endpoint


def declare_router(endpoint: F, declaration: AuthDeclaration) -> F:
    """Record the declaration of the router that registers ``endpoint``."""
    target = _target(endpoint)
    existing = getattr(target, ROUTER_ATTRIBUTE, None)
    if existing is not None and existing != declaration:
        raise ConfigurationError(
            f"{_name(endpoint)} is registered on routers with different auth rules "
            f"({existing} and {declaration}); use one function per route"
        )
    setattr(target, ROUTER_ATTRIBUTE, declaration)
    return endpoint


def route_declaration(endpoint: Callable[..., Any] | None) -> AuthDeclaration | None:
    """The route-level declaration on ``endpoint``, if any."""
    if endpoint is None:
        return None
    value = getattr(endpoint, ROUTE_ATTRIBUTE, None)
    return value if isinstance(value, AuthDeclaration) else None


def router_declaration(endpoint: Callable[..., Any] | None) -> AuthDeclaration | None:
    """The declaration of the router that registered ``endpoint``, if it was a TauseStack router."""
    if endpoint is None:
        return None
    value = getattr(endpoint, ROUTER_ATTRIBUTE, None)
    return value if isinstance(value, AuthDeclaration) else None


def resolve(route: AuthDeclaration | None, router: AuthDeclaration | None) -> AuthRequirement:
    """Combine a route's and its router's declarations; auth is required unless declared public.

    The route decides when it says ``auth_required``; otherwise the router does; otherwise
    auth is required. Roles add up (a user needs every one) and always imply authentication.
    """
    route = route or AuthDeclaration()
    router = router or AuthDeclaration()
    if route.auth_required is False:
        return PUBLIC
    roles = normalize_roles([*router.roles, *route.roles])
    if roles:
        return AuthRequirement(public=False, roles=roles)
    required = route.auth_required if route.auth_required is not None else router.auth_required
    if required is False:
        return PUBLIC
    return REQUIRED


def public(endpoint: F) -> F:
    """Mark one route public (no token needed), whatever its router declares.

    Works on routes of any ``APIRouter`` (put it under the route decorator or above it)::

        @router.get("/status")
        @public
        def status() -> dict[str, str]:
            return {"status": "ok"}
    """
    return declare_route(endpoint, AuthDeclaration(auth_required=False))


def requires_auth(*roles: str) -> Callable[[F], F]:
    """Mark one route protected (optionally with roles), even inside a public router::

    @router.delete("/items/{item_id}")
    @requires_auth("admin")
    def delete_item(item_id: str) -> None: ...
    """
    declaration = AuthDeclaration(auth_required=True, roles=normalize_roles(roles))

    def decorate(endpoint: F) -> F:
        return declare_route(endpoint, declaration)

    return decorate


def _name(endpoint: Callable[..., Any]) -> str:
    module = getattr(endpoint, "__module__", "?")
    return f"{module}.{getattr(endpoint, '__qualname__', repr(endpoint))}"
