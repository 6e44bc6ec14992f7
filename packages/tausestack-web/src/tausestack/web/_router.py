"""The router decorator/factory of roadmap task 1.2: ``router(auth_required=..., tags=[...])``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar, overload

from fastapi import APIRouter
from starlette.types import Receive, Send

from tausestack.core import ConfigurationError
from tausestack.web._declarations import AuthDeclaration, declare_route, declare_router

__all__ = ["RouterOptions", "TauseStackRouter", "router", "router_options"]

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R", bound=APIRouter)

OPTIONS_ATTRIBUTE = "tausestack_options"


@dataclass(frozen=True)
class RouterOptions:
    """What a router declares for discovery: auth, its name, and the prefix/tags added when mounted."""

    auth: AuthDeclaration = field(default_factory=AuthDeclaration)
    name: str | None = None
    prefix: str = ""
    tags: tuple[str, ...] = field(default=())


def router_options(api_router: APIRouter) -> RouterOptions | None:
    """The options attached to ``api_router`` by :func:`router`, if any."""
    value = getattr(api_router, OPTIONS_ATTRIBUTE, None)
    return value if isinstance(value, RouterOptions) else None


def _check_prefix(prefix: str) -> str:
    if prefix and (not prefix.startswith("/") or prefix.endswith("/")):
        raise ConfigurationError(f"router prefix {prefix!r} must start with '/' and not end with '/'")
    return prefix


class TauseStackRouter(APIRouter):
    """An ``APIRouter`` that carries an auth declaration and accepts per-route auth keywords.

    Every route method (``get``, ``post``, ..., ``api_route``, ``websocket``) also takes
    ``public=``, ``auth_required=`` and ``roles=``. Built by :func:`router`.
    """

    def __init__(
        self,
        *,
        auth_required: bool | None = None,
        roles: Sequence[str] | None = None,
        name: str | None = None,
        prefix: str = "",
        tags: list[str | Enum] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(prefix=_check_prefix(prefix), tags=tags, **kwargs)
        self.auth = AuthDeclaration.of(auth_required=auth_required, roles=roles)
        setattr(self, OPTIONS_ATTRIBUTE, RouterOptions(auth=self.auth, name=name))

    # -- every route records the router's declaration ------------------------------------------

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        declare_router(endpoint, self.auth)
        super().add_api_route(path, endpoint, **kwargs)

    def add_api_websocket_route(
        self, path: str, endpoint: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> None:
        declare_router(endpoint, self.auth)
        super().add_api_websocket_route(path, endpoint, *args, **kwargs)

    # -- per-route keywords --------------------------------------------------------------------

    def api_route(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().api_route(path, **kwargs), declaration)

    def get(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().get(path, **kwargs), declaration)

    def put(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().put(path, **kwargs), declaration)

    def post(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().post(path, **kwargs), declaration)

    def delete(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().delete(path, **kwargs), declaration)

    def patch(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().patch(path, **kwargs), declaration)

    def options(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().options(path, **kwargs), declaration)

    def head(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().head(path, **kwargs), declaration)

    def trace(self, path: str, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().trace(path, **kwargs), declaration)

    def websocket(self, path: str, name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
        declaration = _pop_declaration(kwargs)
        return _declared(super().websocket(path, name=name, **kwargs), declaration)

    # -- the decorator form ----------------------------------------------------------------------

    def __call__(self, *args: Any) -> Any:
        """``@router(...)`` on a function returning an ``APIRouter``, or ``router(...)(api_router)``.

        Called with ``(scope, receive, send)`` (or ASGI2-style with a scope) it is the ASGI
        application, as every Starlette router.
        """
        if len(args) != 1:
            return super().__call__(*args)
        target = args[0]
        if isinstance(target, Mapping):  # an ASGI server that took us for an ASGI2 app: scope first
            asgi = super().__call__

            async def instance(receive: Receive, send: Send) -> None:
                await asgi(dict(target), receive, send)

            return instance
        return _attach(self, target)


def _pop_declaration(kwargs: dict[str, Any]) -> AuthDeclaration:
    return AuthDeclaration.of(
        auth_required=kwargs.pop("auth_required", None),
        public=kwargs.pop("public", None),
        roles=kwargs.pop("roles", None),
    )


def _declared(decorator: Callable[[F], F], declaration: AuthDeclaration) -> Callable[[F], F]:
    if declaration.is_empty:
        return decorator

    def register(endpoint: F) -> F:
        declare_route(endpoint, declaration)
        return decorator(endpoint)

    return register


def _attach(template: TauseStackRouter, target: Any) -> APIRouter:
    if template.routes:
        raise ConfigurationError(
            "a router used as a decorator must not have routes of its own; "
            "use router(...) either as the router or as the decorator"
        )
    result = target() if callable(target) and not isinstance(target, APIRouter) else target
    if not isinstance(result, APIRouter):
        raise ConfigurationError(
            f"@router(...) decorates an APIRouter or a function returning one, got {type(result).__name__}"
        )
    template_options = router_options(template) or RouterOptions()
    options = RouterOptions(
        auth=template.auth,
        name=template_options.name,
        prefix=template.prefix,
        tags=tuple(str(getattr(tag, "value", tag)) for tag in template.tags),
    )
    existing = router_options(result)
    if (
        existing is not None
        and not existing.auth.is_empty
        and not options.auth.is_empty
        and existing.auth != options.auth
    ):
        raise ConfigurationError(
            f"this router already declares {existing.auth}; it cannot also be decorated with {options.auth}"
        )
    if existing is not None and options.auth.is_empty:
        options = RouterOptions(
            auth=existing.auth, name=options.name, prefix=options.prefix, tags=options.tags
        )
    setattr(result, OPTIONS_ATTRIBUTE, options)
    return result


@overload
def router(
    *,
    auth_required: bool | None = ...,
    roles: Sequence[str] | None = ...,
    tags: list[str | Enum] | None = ...,
    prefix: str = ...,
    name: str | None = ...,
    **kwargs: Any,
) -> TauseStackRouter: ...


@overload
def router(
    target: R,
    /,
    *,
    auth_required: bool | None = ...,
    roles: Sequence[str] | None = ...,
    tags: list[str | Enum] | None = ...,
    prefix: str = ...,
    name: str | None = ...,
) -> R: ...


def router(
    target: APIRouter | None = None,
    /,
    *,
    auth_required: bool | None = None,
    roles: Sequence[str] | None = None,
    tags: list[str | Enum] | None = None,
    prefix: str = "",
    name: str | None = None,
    **kwargs: Any,
) -> APIRouter:
    """A router with auth metadata: the factory and decorator of roadmap task 1.2.

    Auth is required unless the router says ``auth_required=False``; ``roles`` adds roles every
    user must have (403 otherwise). Routes can override with ``public=True``,
    ``auth_required=...`` or ``roles=[...]``. Discovery mounts it under the API prefix.

    Factory (a module-level ``router`` in ``app/apis/<name>/__init__.py``)::

        from tausestack.web import router as make_router
        router = make_router(tags=["items"], auth_required=False)

        @router.get("/items")
        def list_items() -> list[str]: ...

        @router.delete("/items/{item_id}", roles=["admin"])
        def delete_item(item_id: str) -> None: ...

    Decorator, on a function that builds the router or on an existing ``APIRouter``::

        @make_router(tags=["admin"], roles=["admin"])
        def router() -> APIRouter:
            api = APIRouter()
            ...
            return api

        router = make_router(APIRouter(), auth_required=False)

    Errors: :class:`~tausestack.core.ConfigurationError` for a bad prefix or a public router
    with roles.
    """
    if target is not None:
        if kwargs:
            raise ConfigurationError(f"unexpected APIRouter options for an existing router: {sorted(kwargs)}")
        template = TauseStackRouter(
            auth_required=auth_required, roles=roles, tags=tags, prefix=prefix, name=name
        )
        return _attach(template, target)
    return TauseStackRouter(
        auth_required=auth_required, roles=roles, tags=tags, prefix=prefix, name=name, **kwargs
    )
