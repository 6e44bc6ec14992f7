"""Walking an app's routes (every FastAPI version) and the route table of ``tausestack routes``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from starlette.routing import BaseRoute, Mount, WebSocketRoute

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["RouteInfo", "RouteView", "iter_routes", "route_table"]

RouteKind = Literal["http", "websocket", "mount"]

_GUARDED = frozenset({"APIRoute", "APIWebSocketRoute"})


@dataclass(frozen=True)
class RouteView:
    """One effective route of an app: its full path (prefixes applied) and what serves it."""

    path: str
    methods: tuple[str, ...]
    kind: RouteKind
    endpoint: Callable[..., Any] | None
    name: str
    tags: tuple[str, ...]
    include_in_schema: bool
    dependencies: tuple[Any, ...]
    #: Whether the auth layer guards it (FastAPI routes); plain Starlette routes and mounts are not.
    guarded: bool


@dataclass(frozen=True)
class RouteInfo:
    """A row of ``tausestack routes``: path, methods, auth (``public``/``required``/``roles:a,b``), tags.

    ``module`` names where the endpoint is defined and ``name`` the route name.
    """

    path: str
    methods: tuple[str, ...]
    auth: str
    tags: tuple[str, ...] = ()
    name: str = ""
    module: str = ""
    kind: RouteKind = "http"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _contexts(routes: Sequence[BaseRoute]) -> Iterator[Any]:
    try:  # FastAPI >= 0.130 keeps included routers live and exposes their effective routes
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI copied routes into the parent on include_router
        yield from routes
        return
    yield from iter_route_contexts(routes)


def _original(route: Any) -> Any:
    return getattr(route, "original_route", route)


def iter_routes(routes: Sequence[BaseRoute]) -> Iterator[RouteView]:
    """Every effective route under ``routes`` (a router's or an app's ``.routes``), in order."""
    for context in _contexts(routes):
        original = _original(context)
        path = str(getattr(context, "path", "") or "")
        if isinstance(original, Mount):
            kind: RouteKind = "mount"
        elif isinstance(original, WebSocketRoute) or type(original).__name__ == "APIWebSocketRoute":
            kind = "websocket"
        else:
            kind = "http"
        methods_raw = getattr(context, "methods", None) or ()
        methods = tuple(sorted(str(method) for method in methods_raw))
        if kind == "http" and set(methods) == {"GET", "HEAD"} and type(original).__name__ != "APIRoute":
            methods = ("GET",)
        tags = tuple(str(getattr(tag, "value", tag)) for tag in (getattr(context, "tags", None) or ()))
        dependencies = tuple(getattr(context, "dependencies", None) or ())
        yield RouteView(
            path=path,
            methods=methods,
            kind=kind,
            endpoint=getattr(context, "endpoint", None),
            name=str(getattr(context, "name", "") or ""),
            tags=tags,
            include_in_schema=bool(getattr(context, "include_in_schema", True)),
            dependencies=dependencies,
            guarded=type(original).__name__ in _GUARDED,
        )


def route_table(app: FastAPI) -> list[RouteInfo]:
    """The app's routes with their effective auth rule, for ``tausestack routes`` and audits.

    Auth is ``public``, ``required`` or ``roles:a,b``; mounts (static files, sub-apps) are served
    as they are and shown as ``public``. Routes are listed in the order they are matched.

    >>> from tausestack.web import create_app, route_table
    >>> app = create_app(apis_dir="app/apis")        # doctest: +SKIP
    >>> [(r.path, r.auth) for r in route_table(app)]  # doctest: +SKIP
    [('/healthz', 'public'), ('/api/items', 'required')]
    """
    from tausestack.web._state import web_state

    state = web_state(app)
    rows: list[RouteInfo] = []
    for view in iter_routes(app.router.routes):
        requirement = state.requirement_for_view(view) if state is not None else None
        auth = requirement.describe() if requirement is not None else "public"
        endpoint = view.endpoint
        rows.append(
            RouteInfo(
                path=view.path,
                methods=view.methods if view.kind != "websocket" else ("WEBSOCKET",),
                auth=auth,
                tags=view.tags,
                name=view.name,
                module=str(getattr(endpoint, "__module__", "") or ""),
                kind=view.kind,
            )
        )
    return rows
