"""Address parsing and validation (email-validator), and the CR/LF header check."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.headerregistry import Address

from tausestack.notify._errors import HeaderInjectionError, InvalidAddressError

__all__ = ["check_header", "parse_address", "parse_addresses"]

_FORBIDDEN = re.compile(r"[\r\n\x00]")
_NAMED = re.compile(r'^\s*(?:"(?P<quoted>[^"]*)"|(?P<name>[^<>"]*?))\s*<(?P<addr>[^<>]*)>\s*$')


def check_header(value: str, field: str) -> str:
    """``value`` unchanged, or :class:`HeaderInjectionError` if it holds CR, LF or NUL."""
    if not isinstance(value, str):
        raise InvalidAddressError(f"{field} must be a str, not {type(value).__name__}")
    if _FORBIDDEN.search(value):
        raise HeaderInjectionError(
            f"{field} contains a line break or NUL character; refused (header injection)"
        )
    return value


def parse_address(value: str | Address, field: str) -> Address:
    """``"ada@example.com"`` or ``"Ada Lovelace <ada@example.com>"`` as a validated :class:`Address`.

    The address is checked and normalized with email-validator (syntax only, no DNS lookup).
    """
    if isinstance(value, Address):
        return parse_address(str(value), field)
    check_header(value, field)
    match = _NAMED.match(value)
    if match:
        name = (match.group("quoted") if match.group("quoted") is not None else match.group("name")) or ""
        addr = match.group("addr").strip()
    else:
        name, addr = "", value.strip()
    from email_validator import EmailNotValidError, validate_email

    try:
        validated = validate_email(addr, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidAddressError(f"{field}: {addr!r} is not a valid e-mail address ({exc})") from None
    local, _, domain = validated.normalized.rpartition("@")
    return Address(display_name=name.strip(), username=local, domain=domain)


def parse_addresses(value: str | Address | Iterable[str | Address] | None, field: str) -> tuple[Address, ...]:
    """One address or a list of them, validated (an empty result is allowed here)."""
    if value is None:
        return ()
    if isinstance(value, (str, Address)):
        return (parse_address(value, field),)
    return tuple(parse_address(item, field) for item in value)
