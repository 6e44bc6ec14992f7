"""A local HTTP server for the Supabase tests: serves a JWKS the test controls and replays
recorded GoTrue admin responses (no GoTrue server can run on this machine)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tausestack.core.testing import free_port

#: A user as GoTrue's admin API returned it (recorded from a Supabase project, ids replaced).
RECORDED_USER: dict[str, Any] = {
    "id": "8a1d3c53-7d3c-4b7e-9d6a-2f0e6c1b9a01",
    "aud": "authenticated",
    "role": "authenticated",
    "email": "ada@example.com",
    "email_confirmed_at": "2024-05-01T10:00:00.000000Z",
    "phone": "",
    "confirmed_at": "2024-05-01T10:00:00.000000Z",
    "last_sign_in_at": "2024-05-02T08:30:12.123456Z",
    "app_metadata": {"provider": "email", "providers": ["email"], "roles": ["admin"], "plan": "pro"},
    "user_metadata": {"email_verified": True, "name": "Ada Lovelace"},
    "identities": [],
    "created_at": "2024-05-01T10:00:00.000000Z",
    "updated_at": "2024-05-02T08:30:12.123456Z",
    "is_anonymous": False,
}
RECORDED_NOT_FOUND: dict[str, Any] = {"code": 404, "error_code": "user_not_found", "msg": "User not found"}
RECORDED_EMAIL_EXISTS: dict[str, Any] = {
    "code": 422,
    "error_code": "email_exists",
    "msg": "A user with this email address has already been registered",
}


class ReplayServer:
    """``routes[(METHOD, path)] = (status, json)``; every request is appended to ``requests``."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], tuple[int, Any]] = {}
        self.requests: list[tuple[str, str, Any]] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                path = urlsplit(self.path).path
                with server.lock:
                    server.requests.append((self.command, self.path, body))
                    status, payload = server.routes.get((self.command, path), (404, {"msg": "no such route"}))
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, requested, _ in self.requests if urlsplit(requested).path == path)

    @contextmanager
    def running(self) -> Iterator[ReplayServer]:
        self._thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
