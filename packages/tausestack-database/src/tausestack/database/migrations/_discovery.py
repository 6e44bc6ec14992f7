"""Finding the models' metadata: import the configured modules, collect their ``MetaData``.

A model module is named ``package.module`` (every declarative base and ``MetaData`` found in
it counts) or ``package.module:Base`` (that one). The project directory (the parent of the
migrations directory) is put on ``sys.path`` first, so ``app.models`` imports as it does in the app.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from tausestack.core import ConfigurationError

__all__ = ["model_modules", "discover_metadata"]

MODELS_VARIABLE = "TAUSESTACK_DATABASE_MODELS"


def model_modules(explicit: str | Sequence[str] | None, fallback: Sequence[str] | None) -> list[str]:
    """The model modules to import: ``explicit``, else ``TAUSESTACK_DATABASE_MODELS``, else ``fallback``."""
    for source in (explicit, os.environ.get(MODELS_VARIABLE) or None, fallback):
        if source:
            items = source.split(",") if isinstance(source, str) else list(source)
            return [item.strip() for item in items if item and item.strip()]
    return []


def discover_metadata(modules: Sequence[str], project: Path) -> list[MetaData]:
    """Import ``modules`` and return the distinct ``MetaData`` they define.

    With no modules, the metadata of :class:`tausestack.database.Base` (whatever is imported).
    Raises :class:`ConfigurationError` naming the module when an import fails.
    """
    root = str(project.resolve())
    if root not in sys.path:
        sys.path.insert(0, root)
    found: dict[int, MetaData] = {}
    for spec in modules:
        name, _, attribute = spec.partition(":")
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ConfigurationError(
                f"cannot import the models module {name!r} ({exc}); set MODELS in the migrations env.py, "
                f"{MODELS_VARIABLE}, or models=... to the module that defines your models"
            ) from exc
        if attribute:
            target = getattr(module, attribute, None)
            metadata = _metadata_of(target)
            if metadata is None:
                raise ConfigurationError(f"{spec!r} is not a declarative base or a MetaData")
            found.setdefault(id(metadata), metadata)
            continue
        for value in vars(module).values():
            metadata = _metadata_of(value)
            if metadata is not None:
                found.setdefault(id(metadata), metadata)
    if not modules:
        from tausestack.database import Base

        found[id(Base.metadata)] = Base.metadata
    return list(found.values())


def _metadata_of(value: Any) -> MetaData | None:
    if isinstance(value, MetaData):
        return value
    if isinstance(value, type) and issubclass(value, DeclarativeBase) and value is not DeclarativeBase:
        metadata = value.metadata
        return metadata if isinstance(metadata, MetaData) else None
    return None
