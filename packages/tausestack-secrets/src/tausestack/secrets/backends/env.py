"""Secrets from the process environment and a ``.env`` file: ``env://`` (the default).

``env://`` reads ``os.environ`` first, then ``.env`` in the working directory (re-read when the
file changes). Options: ``prefix=APP_`` (secret ``KEY`` is variable ``APP_KEY``),
``dotenv=path/to/.env`` (``dotenv=`` turns the file off). ``put``/``delete`` change this
process's environment only; use ``dotenv://`` to write a file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from tausestack.core import BackendURL
from tausestack.secrets._backend import SecretsBackend

__all__ = ["EnvSecretsBackend", "read_dotenv"]

_cache: dict[Path, tuple[tuple[int, int], dict[str, str]]] = {}
_cache_lock = threading.Lock()


def read_dotenv(path: str | os.PathLike[str]) -> dict[str, str]:
    """The variables of a ``.env`` file (empty when it does not exist), cached by mtime and size."""
    resolved = Path(path).absolute()
    try:
        stat = resolved.stat()
    except OSError:
        return {}
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(resolved)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    from dotenv import dotenv_values

    values = {
        name: value for name, value in dotenv_values(resolved, interpolate=False).items() if value is not None
    }
    with _cache_lock:
        _cache[resolved] = (stamp, values)
    return values


class EnvSecretsBackend(SecretsBackend):
    """Environment variables, then ``.env``.

    >>> EnvSecretsBackend(prefix="APP_", dotenv=".env").get("API_KEY")   # APP_API_KEY
    """

    scheme = "env"

    def __init__(self, *, prefix: str = "", dotenv: str | None = ".env") -> None:
        self.prefix = prefix
        self.dotenv = dotenv or None

    @classmethod
    def from_url(cls, url: BackendURL) -> EnvSecretsBackend:
        url.check_options({"prefix", "dotenv"})
        return cls(prefix=url.option("prefix", "") or "", dotenv=url.option("dotenv", ".env"))

    def get(self, name: str) -> str | None:
        variable = self.prefix + name
        value = os.environ.get(variable)
        if value is None and self.dotenv is not None:
            value = read_dotenv(self.dotenv).get(variable)
        return value

    def put(self, name: str, value: str | bytes) -> None:
        os.environ[self.prefix + name] = value.decode() if isinstance(value, bytes) else value

    def delete(self, name: str) -> bool:
        return os.environ.pop(self.prefix + name, None) is not None

    def names(self) -> list[str]:
        found = set(os.environ)
        if self.dotenv is not None:
            found.update(read_dotenv(self.dotenv))
        return [
            name[len(self.prefix) :] for name in found if name.startswith(self.prefix) and name != self.prefix
        ]

    def describe(self) -> str:
        options = []
        if self.prefix:
            options.append(f"prefix={self.prefix}")
        if self.dotenv != ".env":
            options.append(f"dotenv={self.dotenv or ''}")
        return "env://" + ("?" + "&".join(options) if options else "")
