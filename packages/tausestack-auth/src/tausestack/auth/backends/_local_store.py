"""The local backend's tables (SQLAlchemy Core): users and refresh tokens, on any SQL database."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from tausestack.auth._errors import UserExistsError, UserNotFoundError
from tausestack.auth._user import User
from tausestack.core import BackendUnavailableError, ConfigurationError, redact_url

__all__ = ["UserStore", "UserRecord", "RefreshRecord", "metadata"]

metadata = sa.MetaData()

users = sa.Table(
    "tausestack_auth_users",
    metadata,
    sa.Column("uid", sa.String(128), primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("email_verified", sa.Boolean, nullable=False, default=False),
    sa.Column("password_hash", sa.String(512), nullable=True),
    sa.Column("name", sa.String(256), nullable=True),
    sa.Column("picture", sa.String(2048), nullable=True),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("claims", sa.JSON, nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("token_version", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
)

refresh_tokens = sa.Table(
    "tausestack_auth_refresh_tokens",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("uid", sa.String(128), nullable=False, index=True),
    sa.Column("family", sa.String(64), nullable=False, index=True),
    sa.Column("secret_hash", sa.String(128), nullable=False),
    sa.Column("token_version", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("used", sa.Boolean, nullable=False, default=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

_PROFILE = ("name", "picture", "email_verified", "disabled")


@dataclass(frozen=True, repr=False)
class UserRecord:
    """A user row: the public :class:`User` plus what verification needs (never in reprs)."""

    user: User
    password_hash: str | None
    token_version: int

    def __repr__(self) -> str:
        return f"UserRecord(uid={self.user.uid!r})"


@dataclass(frozen=True, repr=False)
class RefreshRecord:
    id: str
    uid: str
    family: str
    secret_hash: str
    token_version: int
    expires_at: float
    used: bool
    revoked: bool


def _record(row: Mapping[Any, Any]) -> UserRecord:
    user = User(
        uid=row["uid"],
        email=row["email"],
        email_verified=bool(row["email_verified"]),
        name=row["name"],
        picture=row["picture"],
        roles=list(row["roles"] or []),
        claims=dict(row["claims"] or {}),
        provider="password" if row["password_hash"] else "local",
        disabled=bool(row["disabled"]),
    )
    return UserRecord(user, row["password_hash"], int(row["token_version"]))


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class UserStore:
    """Users and refresh tokens in one SQL database; tables are created on first use.

    Database errors become :class:`BackendUnavailableError` (their text, which may hold the
    database URL, is redacted).
    """

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except sa.exc.ArgumentError:
            raise ConfigurationError(
                f"TAUSESTACK_AUTH_URL: database {redact_url(url)!r} is not a SQL URL"
            ) from None
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def describe(self) -> str:
        return self.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                if self.url.get_backend_name() == "sqlite" and self.url.database not in (
                    None,
                    "",
                    ":memory:",
                ):
                    _create_private_file(Path(self.url.database))
                try:
                    engine = sa.create_engine(self.url, pool_pre_ping=True)
                    metadata.create_all(engine)
                except (SQLAlchemyError, ImportError) as exc:
                    raise self._unavailable(exc) from None
                self._engine = engine
            return self._engine

    def _unavailable(self, exc: BaseException) -> BackendUnavailableError:
        text = redact_url(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return BackendUnavailableError(f"auth user database {self.describe()} failed: {text}")

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as connection:
                yield connection
        except IntegrityError:
            raise
        except (OperationalError, SQLAlchemyError) as exc:
            raise self._unavailable(exc) from None

    def close(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()

    def ping(self) -> None:
        with self.begin() as connection:
            connection.execute(sa.text("SELECT 1"))

    # -- users -----------------------------------------------------------------------------------

    def find(self, *, uid: str | None = None, email: str | None = None) -> UserRecord | None:
        column, value = (users.c.uid, uid) if uid is not None else (users.c.email, email)
        with self.begin() as connection:
            row = connection.execute(sa.select(users).where(column == value)).mappings().first()
        return None if row is None else _record(row)

    def get(self, *, uid: str | None = None, email: str | None = None) -> UserRecord:
        record = self.find(uid=uid, email=email)
        if record is None:
            raise UserNotFoundError(f"no user with {'uid' if uid is not None else 'e-mail'} {uid or email!r}")
        return record

    def insert(self, values: dict[str, Any]) -> UserRecord:
        now = time.time()
        row = {"token_version": 0, "created_at": now, "updated_at": now, **values}
        try:
            with self.begin() as connection:
                connection.execute(users.insert().values(**row))
        except IntegrityError:
            raise UserExistsError(
                f"a user with the e-mail {values['email']!r} or this uid already exists"
            ) from None
        return self.get(uid=values["uid"])

    def update(self, uid: str, values: dict[str, Any], *, bump_version: bool = False) -> UserRecord:
        changes: dict[str, Any] = {**values, "updated_at": time.time()}
        if bump_version:
            changes["token_version"] = users.c.token_version + 1
        try:
            with self.begin() as connection:
                result = connection.execute(users.update().where(users.c.uid == uid).values(**changes))
                if bump_version:
                    connection.execute(
                        refresh_tokens.update().where(refresh_tokens.c.uid == uid).values(revoked=True)
                    )
        except IntegrityError:
            raise UserExistsError(f"another user already has the e-mail {values.get('email')!r}") from None
        if result.rowcount == 0:
            raise UserNotFoundError(f"no user with uid {uid!r}")
        return self.get(uid=uid)

    def delete(self, uid: str) -> None:
        with self.begin() as connection:
            connection.execute(refresh_tokens.delete().where(refresh_tokens.c.uid == uid))
            result = connection.execute(users.delete().where(users.c.uid == uid))
        if result.rowcount == 0:
            raise UserNotFoundError(f"no user with uid {uid!r}")

    # -- refresh tokens --------------------------------------------------------------------------

    def add_refresh(self, record: RefreshRecord) -> None:
        with self.begin() as connection:
            connection.execute(
                refresh_tokens.insert().values(
                    id=record.id,
                    uid=record.uid,
                    family=record.family,
                    secret_hash=record.secret_hash,
                    token_version=record.token_version,
                    expires_at=record.expires_at,
                    used=False,
                    revoked=False,
                    created_at=time.time(),
                )
            )

    def find_refresh(self, token_id: str) -> RefreshRecord | None:
        with self.begin() as connection:
            row = (
                connection.execute(sa.select(refresh_tokens).where(refresh_tokens.c.id == token_id))
                .mappings()
                .first()
            )
        if row is None:
            return None
        return RefreshRecord(
            id=row["id"],
            uid=row["uid"],
            family=row["family"],
            secret_hash=row["secret_hash"],
            token_version=int(row["token_version"]),
            expires_at=float(row["expires_at"]),
            used=bool(row["used"]),
            revoked=bool(row["revoked"]),
        )

    def use_refresh(self, token_id: str) -> bool:
        """Mark a refresh token used; ``False`` when it already was (a concurrent or replayed use)."""
        with self.begin() as connection:
            result = connection.execute(
                refresh_tokens.update()
                .where(refresh_tokens.c.id == token_id, refresh_tokens.c.used.is_(False))
                .values(used=True)
            )
        return bool(result.rowcount == 1)

    def revoke_family(self, family: str) -> None:
        with self.begin() as connection:
            connection.execute(
                refresh_tokens.update().where(refresh_tokens.c.family == family).values(revoked=True)
            )

    def purge_expired_refresh(self, now: float) -> int:
        with self.begin() as connection:
            result = connection.execute(refresh_tokens.delete().where(refresh_tokens.c.expires_at < now))
        return int(result.rowcount)
