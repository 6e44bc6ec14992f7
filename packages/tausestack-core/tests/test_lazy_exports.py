from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from tausestack.core import lazy_exports

NAME = "tausestack_test_lazy_pkg"


@pytest.fixture
def package() -> Iterator[types.ModuleType]:
    """A throwaway package whose ``dedent`` and ``missing`` load lazily."""
    module = types.ModuleType(NAME)
    module.__all__ = ["dedent", "eager"]  # type: ignore[attr-defined]
    module.eager = 1  # type: ignore[attr-defined]
    module.__getattr__, module.__dir__ = lazy_exports(  # type: ignore[method-assign]
        NAME, {"dedent": "textwrap", "missing": "tausestack_no_such_module_xyz"}
    )
    sys.modules[NAME] = module
    yield module
    del sys.modules[NAME]


def test_loads_on_first_use_and_caches_in_globals(package: types.ModuleType) -> None:
    import textwrap

    assert "dedent" not in vars(package)
    assert package.dedent is textwrap.dedent
    assert vars(package)["dedent"] is textwrap.dedent


def test_unknown_name_names_the_module(package: types.ModuleType) -> None:
    with pytest.raises(AttributeError, match=f"module '{NAME}' has no attribute 'nope'"):
        _ = package.nope
    assert not hasattr(package, "other")


def test_broken_source_module_raises_import_error(package: types.ModuleType) -> None:
    with pytest.raises(ModuleNotFoundError):
        _ = package.missing


def test_dir_lists_globals_all_and_lazy_names(package: types.ModuleType) -> None:
    listing = dir(package)
    assert listing == sorted(listing)
    assert {"dedent", "eager", "missing", "__all__"} <= set(listing)
    assert "nope" not in listing


def test_core_uses_it() -> None:
    import tausestack.core

    assert {"ModuleDefault", "SupportsLifecycle", "lazy_exports"} <= set(dir(tausestack.core))
    with pytest.raises(AttributeError, match=r"module 'tausestack\.core' has no attribute 'nope'"):
        _ = tausestack.core.nope  # type: ignore[attr-defined]
