"""PEP 562 lazy exports: a package's names loaded from their private modules on first use."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    module_name: str, mapping: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Build a module's ``__getattr__`` and ``__dir__`` (PEP 562) for names loaded on first use.

    ``mapping`` maps each lazy name to the module that defines it. The first access imports that
    module, caches the value in the package's globals (so ``__getattr__`` runs once per name) and
    returns it. Any other name raises :class:`AttributeError` naming the package, as Python does.
    ``__dir__`` lists the package's globals plus its ``__all__`` and the lazy names.

    Keeps ``import package`` cheap: heavy dependencies load only with the names that need them.

    >>> __getattr__, __dir__ = lazy_exports(__name__, {"create_app": "mypkg._app"})  # doctest: +SKIP
    """
    table = dict(mapping)

    def __getattr__(name: str) -> Any:
        source = table.get(name)
        if source is None:
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(source), name)
        setattr(sys.modules[module_name], name, value)
        return value

    def __dir__() -> list[str]:
        module = sys.modules[module_name]
        return sorted(set(vars(module)) | set(getattr(module, "__all__", ())) | set(table))

    return __getattr__, __dir__
