"""Backend URLs: ``scheme://[user[:password]@]host[:port][/path][?option=value&...]``.

Every module reads one URL (``TAUSESTACK_STORAGE_URL=s3://bucket/prefix?region=eu-west-1``) and
hands the parsed :class:`BackendURL` to the backend's factory. Errors name the setting the URL
came from, and a URL's password never appears in ``repr()`` or in error messages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from tausestack.core._durations import parse_duration
from tausestack.core._errors import ConfigurationError, InvalidInputError

__all__ = ["BackendURL", "parse_url", "redact_url"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SECRET_OPTION = re.compile(r"(?i)(password|passwd|secret|token|api[_-]?key|access[_-]?key|credential)")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True, repr=False)
class BackendURL:
    """A parsed backend URL. Build it with :func:`parse_url`.

    ``location`` is what follows ``scheme://`` without credentials and options: a bucket and
    prefix (``bucket/prefix``), a directory (``.tausestack/storage`` or ``/var/data``), a host.
    """

    scheme: str
    location: str
    host: str | None
    port: int | None
    path: str
    username: str | None = None
    password: str | None = field(default=None, compare=False)
    options: Mapping[str, str] = field(default_factory=dict)
    variable: str = "URL"
    raw: str = field(default="", compare=False)

    @property
    def base_scheme(self) -> str:
        """The scheme without a ``+driver`` suffix (``postgresql+psycopg`` → ``postgresql``)."""
        return self.scheme.split("+", 1)[0]

    def redacted(self) -> str:
        """The URL with its password and secret-looking options replaced by ``***``."""
        return redact_url(self.raw)

    def __repr__(self) -> str:
        return f"BackendURL({self.redacted()!r})"

    def __str__(self) -> str:
        return self.redacted()

    # -- typed options -------------------------------------------------------------------------

    def option(self, name: str, default: str | None = None) -> str | None:
        """The option ``name`` as text, or ``default`` when absent."""
        return self.options.get(name, default)

    def require(self, name: str) -> str:
        """The option ``name``; :class:`ConfigurationError` naming the setting when absent."""
        value = self.options.get(name)
        if value is None or value == "":
            raise ConfigurationError(
                f"{self.variable}={self.redacted()!r} needs the option {name!r} (add ?{name}=... to the URL)"
            )
        return value

    def option_bool(self, name: str, default: bool) -> bool:
        """The option ``name`` as a boolean (``1/true/yes/on`` or ``0/false/no/off``)."""
        value = self.options.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigurationError(
            f"{self.variable}: option {name}={value!r} is not a boolean (use true/false)"
        )

    def option_int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        """The option ``name`` as an integer, at least ``minimum`` when given."""
        value = self.options.get(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigurationError(f"{self.variable}: option {name}={value!r} is not an integer") from None
        if minimum is not None and number < minimum:
            raise ConfigurationError(f"{self.variable}: option {name}={number} must be at least {minimum}")
        return number

    def option_float(self, name: str, default: float) -> float:
        """The option ``name`` as a float."""
        value = self.options.get(name)
        if value is None:
            return default
        try:
            return float(value)
        except ValueError:
            raise ConfigurationError(f"{self.variable}: option {name}={value!r} is not a number") from None

    def option_duration(self, name: str, default: float | None) -> float | None:
        """The option ``name`` as seconds (``30``, ``90s``, ``5m``, ``2h``)."""
        value = self.options.get(name)
        if value is None:
            return default
        try:
            return parse_duration(value, name=f"{self.variable} option {name}")
        except InvalidInputError as exc:
            raise ConfigurationError(str(exc)) from None

    def check_options(self, allowed: set[str] | frozenset[str]) -> None:
        """Refuse options the backend does not know, so a typo is not silently ignored."""
        unknown = sorted(set(self.options) - set(allowed))
        if unknown:
            known = ", ".join(sorted(allowed)) or "none"
            raise ConfigurationError(
                f"{self.variable}: unknown option(s) {', '.join(unknown)} for {self.scheme}:// "
                f"(known: {known})"
            )


def parse_url(url: str, *, variable: str = "URL") -> BackendURL:
    """Parse a backend URL, raising :class:`ConfigurationError` that names ``variable``.

    >>> parse_url("s3://bucket/prefix?region=eu-west-1").options["region"]
    'eu-west-1'
    """
    if not isinstance(url, str):
        raise ConfigurationError(f"{variable} must be a URL string, not {type(url).__name__}")
    text = url.strip()
    if not text:
        raise ConfigurationError(f"{variable} is empty; set it to a URL such as 'memory://'")
    if _CONTROL.search(text):
        raise ConfigurationError(f"{variable} contains control characters")
    scheme, sep, _ = text.partition("://")
    if not sep or not _SCHEME.match(scheme):
        raise ConfigurationError(
            f"{variable}={redact_url(text)!r} is not a backend URL; expected scheme://location "
            "(for example memory://, file://.tausestack/data, redis://127.0.0.1:6379/0)"
        )
    parts = urlsplit(text)
    try:
        port = parts.port
    except ValueError:
        raise ConfigurationError(f"{variable}={redact_url(text)!r} has an invalid port") from None
    try:
        # A literal "+" in an option is kept (URLs as options: database=postgresql+psycopg://...);
        # a space is written %20.
        query = parts.query.replace("+", "%2B")
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ConfigurationError(f"{variable}={redact_url(text)!r} has a malformed query string") from None
    options: dict[str, str] = {}
    for key, value in pairs:
        if key in options:
            raise ConfigurationError(f"{variable}: option {key!r} is given twice")
        options[key] = value
    host_part = parts.netloc.rpartition("@")[2]
    location = host_part + parts.path
    return BackendURL(
        scheme=scheme.lower(),
        location=location,
        host=parts.hostname,
        port=port,
        path=parts.path,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        options=options,
        variable=variable,
        raw=text,
    )


_USERINFO = re.compile(r"(?P<pre>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)(?P<pw>[^@/\s]*)(?P<at>@)")
_QUERY_SECRET = re.compile(r"(?P<key>[?&][^=&#\s]*)=(?P<val>[^&#\s]*)")


def redact_url(url: str) -> str:
    """Hide the password and secret-looking query options of ``url``.

    >>> redact_url("redis://user:hunter2@host:6379/0?token=abc&db=1")
    'redis://user:***@host:6379/0?token=***&db=1'
    """

    def _query(match: re.Match[str]) -> str:
        key = match.group("key")
        if _SECRET_OPTION.search(key):
            return f"{key}=***"
        return match.group(0)

    text = _USERINFO.sub(lambda m: f"{m.group('pre')}***{m.group('at')}", url)
    return _QUERY_SECRET.sub(_query, text)
