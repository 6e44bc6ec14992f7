"""Fixtures for tausestack-notify tests: a real SMTP server (aiosmtpd) on a free port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tausestack import notify
from tausestack.core.testing import free_port, service_missing


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def _fresh_default_notifier() -> Iterator[None]:
    notify.reset()
    yield
    notify.reset()


@dataclass
class SMTPServer:
    """An aiosmtpd server: what it received, and the credentials it accepts."""

    host: str
    port: int
    received: list[Any] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def url(self, userinfo: str = "") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"smtp://{at}{self.host}:{self.port}?timeout=5s"


class _Handler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.startswith("reject"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.server.received.append(envelope)
        return "250 Message accepted"

    async def handle_NOOP(self, server: Any, session: Any, envelope: Any, arg: str) -> str:
        self.server.commands.append("NOOP")
        return "250 OK"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.server.commands.append("QUIT")
        return "221 Bye"


class _Authenticator:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    def __call__(self, smtp: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        login, password = (
            value.decode() if isinstance(value, bytes) else str(value)
            for value in (auth_data.login, auth_data.password)
        )
        self.server.logins.append((login, password))
        # handled=False: aiosmtpd then answers 535 itself (True would leave the client waiting)
        return AuthResult(success=(login, password) == ("mailer", "s3cret-pass"), handled=False)


def _start(auth: bool, *, stopped: bool = False) -> Iterator[SMTPServer]:
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        service_missing("aiosmtpd is not installed, so SMTP tests cannot run")
    server = SMTPServer("127.0.0.1", free_port())
    options: dict[str, Any] = {}
    if auth:
        options = {"authenticator": _Authenticator(server), "auth_require_tls": False}
    controller = Controller(_Handler(server), hostname=server.host, port=server.port, **options)
    controller.start()
    if stopped:
        controller.stop()
        yield server
        return
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[SMTPServer]:
    """A local SMTP server (no auth, no TLS) started for the test."""
    yield from _start(auth=False)


@pytest.fixture
def smtp_auth_server() -> Iterator[SMTPServer]:
    """A local SMTP server requiring LOGIN/PLAIN auth as mailer / s3cret-pass."""
    yield from _start(auth=True)


@pytest.fixture
def stopped_smtp_server() -> Iterator[SMTPServer]:
    """An SMTP server (with auth) that was started and then stopped: nothing listens any more."""
    yield from _start(auth=True, stopped=True)
