"""Cache keys for ``@cached`` calls: from a template, a callable, or a stable default.

The default key is ``module.qualname(args)``: each argument is encoded by type, so ``f(1)``,
``f("1")``, ``f(1.0)`` and ``f(True)`` get different keys, while ``f(1)``, ``f(x=1)`` and a default
filled in get the same one. A first parameter named ``self`` or ``cls`` is left out of the default
key. Long argument lists are hashed (BLAKE2b) to keep keys short.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import hashlib
import inspect
import string
import uuid
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from tausestack.cache._keys import MAX_KEY_LENGTH, bad_key, glob_escape
from tausestack.core import InvalidInputError

__all__ = ["CallKey"]

_PRIMITIVES: frozenset[type] = frozenset({str, int, float, bool, type(None), bytes, complex})
_STABLE_REPR: frozenset[type] = frozenset(
    {datetime.datetime, datetime.date, datetime.time, datetime.timedelta, decimal.Decimal, uuid.UUID}
)
_MAX_READABLE = 200
_UNSET: Any = object()
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def encode(value: Any) -> str:
    """A text that differs whenever the value or its type differs (for default keys)."""
    kind = type(value)
    if kind in _PRIMITIVES or kind in _STABLE_REPR:
        return repr(value)
    if kind is tuple:
        return "(" + ",".join(map(encode, value)) + ",)"
    if kind is list:
        return "[" + ",".join(map(encode, value)) + "]"
    if kind is dict:
        return "{" + ",".join(sorted(f"{encode(k)}:{encode(v)}" for k, v in value.items())) + "}"
    if kind is set or kind is frozenset:
        return kind.__name__ + "{" + ",".join(sorted(map(encode, value))) + "}"
    if isinstance(value, enum.Enum):
        return f"{kind.__qualname__}.{value.name}"
    if isinstance(value, PurePath):
        return f"{kind.__name__}({str(value)!r})"
    dump_json = getattr(value, "model_dump_json", None)
    if callable(dump_json):  # pydantic models
        return f"{kind.__qualname__}{dump_json()}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return f"{kind.__qualname__}{encode(fields)}"
    raise InvalidInputError(
        f"@cached cannot build a stable key from a {kind.__qualname__} argument; "
        "give the decorator key='name:{arg}' or key=callable"
    )


class CallKey:
    """Builds the cache key of one call of ``func``."""

    def __init__(self, func: Callable[..., Any], template: str | Callable[..., str] | None) -> None:
        self.signature = inspect.signature(func)
        params = list(self.signature.parameters.values())
        self.names = [param.name for param in params]
        self.method_like = (
            bool(params) and params[0].name in ("self", "cls") and params[0].kind in _POSITIONAL
        )
        self.prefix = f"{func.__module__}.{func.__qualname__}"
        self._simple = all(param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for param in params)
        self._required = sum(1 for param in params if param.default is inspect.Parameter.empty)
        self._defaults = tuple(param.default for param in params[self._required :])
        self._index = {name: position for position, name in enumerate(self.names)}
        self.template = template
        self.fields: set[str] = set()
        if isinstance(template, str):
            self.fields = _template_fields(template, self.names, self.prefix)
        elif template is not None and not callable(template):
            raise InvalidInputError("@cached key= must be a str template or a callable returning str")
        first = self.names[0] if self.method_like else None
        self.uses_first = first is not None and (callable(template) or first in self.fields)

    # -- argument binding ------------------------------------------------------------------------

    def values(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
        """Every parameter's value in signature order (defaults filled in); TypeError like a call."""
        if self._simple:
            count = len(args)
            if not kwargs:
                if count == len(self.names):
                    return args
                if self._required <= count < len(self.names):
                    return args + self._defaults[count - self._required :]
            elif count <= len(self.names):
                filled = list(args) + [_UNSET] * (len(self.names) - count)
                for name, value in kwargs.items():
                    position = self._index.get(name)
                    if position is None or filled[position] is not _UNSET:
                        break
                    filled[position] = value
                else:
                    for position in range(self._required, len(filled)):
                        if filled[position] is _UNSET:
                            filled[position] = self._defaults[position - self._required]
                    if not any(value is _UNSET for value in filled[: self._required]):
                        return tuple(filled)
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return tuple(bound.arguments.values())

    # -- keys ----------------------------------------------------------------------------------

    def __call__(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
        template = self.template
        if template is None:
            values = self.values(args, kwargs)
            if self.method_like:
                values = values[1:]
            joined = ",".join(map(encode, values))
            if len(joined) <= _MAX_READABLE:
                return f"{self.prefix}({joined})"
            return f"{self.prefix}#{hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()}"
        if isinstance(template, str):
            values = self.values(args, kwargs)
            key = template.format_map(dict(zip(self.names, values, strict=True)))
        else:
            self.values(args, kwargs)  # the same TypeError as the call for bad arguments
            key = template(*args, **kwargs)
        if type(key) is not str or not key or len(key) > MAX_KEY_LENGTH:
            raise bad_key(key)
        return key

    def for_invalidate(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
        """The key for ``.invalidate(...)``: like a call, without ``self``/``cls`` unless the key uses it."""
        if self.method_like and not self.uses_first:
            args = (None, *args)
        return self(args, kwargs)

    def pattern(self) -> str:
        """A glob matching every key this function can produce (for ``invalidate_all``)."""
        if self.template is None:
            return glob_escape(self.prefix) + "[(#]*"
        if isinstance(self.template, str):
            parts = []
            for literal, field, _spec, _conv in string.Formatter().parse(self.template):
                parts.append(glob_escape(literal))
                if field is not None:
                    parts.append("*")
            return "".join(parts)
        raise InvalidInputError("invalidate_all() needs a default or template key, not a key callable")


def _template_fields(template: str, names: list[str], where: str) -> set[str]:
    fields: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InvalidInputError(f"@cached key template {template!r} of {where} is malformed: {exc}") from None
    for _literal, field, _spec, _conv in parsed:
        if field is None:
            continue
        root = field.split(".", 1)[0].split("[", 1)[0]
        if not root or root.isdigit():
            raise InvalidInputError(
                f"@cached key template {template!r} of {where} must name parameters ({{user_id}}), not positions"
            )
        if root not in names:
            raise InvalidInputError(
                f"@cached key template {template!r} of {where} names {root!r}, which is not a parameter "
                f"(parameters: {', '.join(names) or 'none'})"
            )
        fields.add(root)
    if not template:
        raise InvalidInputError(f"@cached key template of {where} is empty")
    return fields
