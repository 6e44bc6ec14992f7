"""Secrets in a dotenv file: ``dotenv://.env`` or ``dotenv:///abs/path/secrets.env``.

Reads and writes the file (``put``/``delete`` rewrite it atomically, keeping other lines).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

from tausestack.core import BackendURL, InvalidInputError
from tausestack.secrets._backend import SecretsBackend
from tausestack.secrets.backends.env import read_dotenv

__all__ = ["DotenvSecretsBackend"]

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


class DotenvSecretsBackend(SecretsBackend):
    """A ``.env`` file as a secrets store.

    >>> backend = DotenvSecretsBackend("secrets.env")
    >>> backend.put("API_KEY", "k-123")
    """

    scheme = "dotenv"

    def __init__(self, path: str | os.PathLike[str] = ".env") -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: BackendURL) -> DotenvSecretsBackend:
        url.check_options(set())
        return cls(url.location or ".env")

    def get(self, name: str) -> str | None:
        return read_dotenv(self.path).get(name)

    def names(self) -> list[str]:
        return list(read_dotenv(self.path))

    def put(self, name: str, value: str | bytes) -> None:
        text = value.decode() if isinstance(value, bytes) else value
        if _ENV_NAME.fullmatch(name) is None:
            raise InvalidInputError(
                f"{name!r} cannot be a variable in a dotenv file (use letters, digits, '_')"
            )
        if "\x00" in text:
            raise InvalidInputError("a dotenv secret cannot contain a NUL character")
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        self._rewrite(name, f'{name}="{escaped}"')

    def delete(self, name: str) -> bool:
        if name not in read_dotenv(self.path):
            return False
        self._rewrite(name, None)
        return True

    def _rewrite(self, name: str, line: str | None) -> None:
        path = Path(self.path)
        with self._lock:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError:
                lines = []
            pattern = re.compile(rf"^\s*(?:export\s+)?{re.escape(name)}\s*=")
            kept = [item for item in lines if not pattern.match(item)]
            if line is not None:
                kept.append(line)
            tmp = path.with_name(f".{path.name}.~tmp{os.urandom(4).hex()}")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as file:
                    file.write("\n".join(kept) + ("\n" if kept else ""))
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(tmp, path)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise

    def describe(self) -> str:
        return f"dotenv://{self.path}"
