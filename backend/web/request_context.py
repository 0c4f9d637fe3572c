"""Every request gets an id (echoed in X-Request-ID and problem bodies), a log line and metrics."""

from __future__ import annotations

import logging
import os
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.web.metrics import observe_request

log = logging.getLogger("xhht.request")
REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.encode()
# A caller's (or proxy's) id is kept when it is short and plain; anything else gets a fresh one.
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
QUIET_ROUTES = ("/health", "/metrics", "/assets")


@dataclass
class RequestContext:
    """What the log line of a request says about it, filled in as the request goes."""

    request_id: str
    user: str = ""
    unit: str = ""


_CURRENT: ContextVar[RequestContext | None] = ContextVar("xhht_request", default=None)


def current_request_id() -> str | None:
    """The id of the request being answered, if any."""
    context = _CURRENT.get()
    return context.request_id if context else None


def note_principal(username: str, unit: str) -> None:
    """Record who is acting, for the request's log line (never their token)."""
    context = _CURRENT.get()
    if context is not None:
        context.user, context.unit = username, unit


def _incoming_id(scope: Scope) -> str:
    """The caller's X-Request-ID when safe, otherwise a new random id."""
    for name, value in scope.get("headers", []):
        if name == _REQUEST_ID_KEY:
            given = value.decode("latin-1")
            if SAFE_ID.match(given):
                return given
    return os.urandom(16).hex()


class RequestObserver:
    """ASGI middleware: request id, one structured log line, latency and status metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap one HTTP request; other scopes pass through."""
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        context = RequestContext(_incoming_id(scope))
        token = _CURRENT.set(context)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((_REQUEST_ID_KEY, context.request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _CURRENT.reset(token)
            self._finish(scope, context, status, time.perf_counter() - started)

    @staticmethod
    def _finish(scope: Scope, context: RequestContext, status: int, seconds: float) -> None:
        """Metrics and the log line (quiet routes only at debug level)."""
        method = str(scope.get("method", ""))
        route = str(scope.get("path_template") or "unmatched")
        observe_request(method, route, status, seconds)
        quiet = route.startswith(QUIET_ROUTES) and status < 400
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %d",
            method,
            route,
            status,
            extra={
                "request_id": context.request_id,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user": context.user,
                "unit": context.unit,
            },
        )
