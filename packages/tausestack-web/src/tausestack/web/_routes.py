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


def _included(route: Any) -> tuple[Any, Any] | None:
    """``(router, include context)`` of a router included live (FastAPI >= 0.130), else ``None``."""
    router = getattr(route, "original_router", None)
    context = getattr(route, "include_context", None)
    if router is None or context is None or not hasattr(context, "prefix"):
        return None
    return router, context


def _kind(route: Any) -> RouteKind:
    if isinstance(route, Mount):
        return "mount"
    if isinstance(route, WebSocketRoute) or type(route).__name__ == "APIWebSocketRoute":
        return "websocket"
    return "http"


def _walk(
    routes: Sequence[BaseRoute], prefix: str, tags: tuple[Any, ...], dependencies: tuple[Any, ...]
) -> Iterator[RouteView]:
    for route in routes:
        included = _included(route)
        if included is not None:
            router, context = included
            yield from _walk(
                router.routes,
                prefix + str(context.prefix or ""),
                (*tags, *(getattr(context, "tags", None) or ())),
                (*dependencies, *(getattr(context, "dependencies", None) or ())),
            )
            continue
        kind = _kind(route)
        methods_raw = getattr(route, "methods", None) or ()
        methods = tuple(sorted(str(method) for method in methods_raw))
        if kind == "http" and set(methods) == {"GET", "HEAD"} and type(route).__name__ != "APIRoute":
            methods = ("GET",)
        route_tags = (*tags, *(getattr(route, "tags", None) or ()))
        yield RouteView(
            path=prefix + str(getattr(route, "path", "") or ""),
            methods=methods,
            kind=kind,
            endpoint=getattr(route, "endpoint", None),
            name=str(getattr(route, "name", "") or ""),
            tags=tuple(dict.fromkeys(str(getattr(tag, "value", tag)) for tag in route_tags)),
            include_in_schema=bool(getattr(route, "include_in_schema", True)),
            dependencies=(*dependencies, *(getattr(route, "dependencies", None) or ())),
            guarded=type(route).__name__ in _GUARDED,
        )


def iter_routes(routes: Sequence[BaseRoute]) -> Iterator[RouteView]:
    """Every effective route under ``routes`` (a router's or an app's ``.routes``), in order.

    Included routers are walked without building FastAPI's per-route request state, so this
    stays cheap on apps with hundreds of routes.
    """
    yield from _walk(routes, "", (), ())


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
