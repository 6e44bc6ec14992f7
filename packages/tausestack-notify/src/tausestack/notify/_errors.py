"""Errors specific to e-mail; each derives from the shared :mod:`tausestack.core` hierarchy."""

from __future__ import annotations

from tausestack.core import InvalidInputError, TauseStackError

__all__ = ["InvalidAddressError", "HeaderInjectionError", "AttachmentTooLargeError", "DeliveryError"]


class InvalidAddressError(InvalidInputError):
    """An e-mail address is malformed, or a recipient list is empty. Nothing was sent."""


class HeaderInjectionError(InvalidInputError):
    """A header value (subject, name, address, file name) contains CR, LF or NUL. Nothing was sent."""


class AttachmentTooLargeError(InvalidInputError):
    """The attachments together exceed the configured limit (10 MiB by default). Nothing was sent."""


class DeliveryError(TauseStackError):
    """The mail service answered but refused the message (a rejected recipient or sender).

    ``refused`` maps each refused address to the server's reason, when the service says.
    """

    def __init__(self, message: str, refused: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.refused = dict(refused or {})
