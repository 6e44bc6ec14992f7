"""Start a helper process, wait until it answers, stop it by its PID."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

__all__ = ["ServiceProcess", "free_port", "wait_until", "port_open"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts TCP connections on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], *, timeout: float, interval: float = 0.1) -> bool:
    """Call ``check`` until it returns True or ``timeout`` seconds pass; return the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return True
        except Exception:  # noqa: S110 - a service that is still starting may fail in any way
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


class ServiceProcess:
    """A child process in its own process group, stopped by its PID (and group) on :meth:`stop`.

    >>> proc = ServiceProcess(["redis-server", "--port", "7001"], name="redis")  # doctest: +SKIP
    >>> proc.start(ready=lambda: port_open("127.0.0.1", 7001), timeout=10)     # doctest: +SKIP
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        name: str,
        cwd: str | Path | None = None,
        env: Mapping[str, str] | None = None,
        log_path: str | Path | None = None,
    ) -> None:
        self.argv = list(argv)
        self.name = name
        self.cwd = cwd
        self.env = dict(env) if env is not None else None
        self.log_path = Path(log_path) if log_path else None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def start(self, *, ready: Callable[[], bool], timeout: float) -> None:
        """Start the process and wait until ``ready()``; raise RuntimeError with its log if not."""
        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()  # type: ignore[union-attr]
        process = self.process

        def _ready() -> bool:
            if process.poll() is not None:
                raise _Exited
            return ready()

        try:
            ok = wait_until(_ready, timeout=timeout)
        except _Exited:
            ok = False
        if not ok or process.poll() is not None:
            self.stop()
            raise RuntimeError(
                f"{self.name} did not become ready within {timeout:.0f}s "
                f"(exit code {process.returncode}); log:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path or not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the process by its PID: SIGTERM to its group, then SIGKILL after ``timeout``."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)


class _Exited(Exception):
    pass
