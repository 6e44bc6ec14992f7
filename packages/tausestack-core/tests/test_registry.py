from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from tausestack.core import BackendRegistry, BackendURL, ConfigurationError


class FakeBackend:
    def __init__(self, url: BackendURL) -> None:
        self.url = url

    @classmethod
    def from_url(cls, url: BackendURL) -> FakeBackend:
        return cls(url)


def _install_fake_distribution(tmp_path: Path, group: str, entries: str, module_source: str | None) -> None:
    """Write a real installed distribution (dist-info with entry_points.txt) onto sys.path."""
    site = tmp_path / "site"
    dist = site / "acme_backends-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-backends\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{textwrap.dedent(entries)}")
    if module_source is not None:
        (site / "acme_backends.py").write_text(textwrap.dedent(module_source))
    sys.path.insert(0, str(site))


@pytest.fixture
def fake_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.delitem(sys.modules, "acme_backends", raising=False)
    return tmp_path


def test_third_party_backend_is_found_through_entry_points(fake_site: Path) -> None:
    _install_fake_distribution(
        fake_site,
        "tausestack.widgets.backends",
        "acme = acme_backends:AcmeBackend\n",
        """
        class AcmeBackend:
            def __init__(self, bucket):
                self.bucket = bucket
            @classmethod
            def from_url(cls, url):
                return cls(url.host)
        """,
    )
    registry: BackendRegistry[object] = BackendRegistry("widgets", variable="TAUSESTACK_WIDGETS_URL")
    assert registry.schemes() == ["acme"]
    backend = registry.create("acme://my-bucket")
    assert type(backend).__name__ == "AcmeBackend"
    assert backend.bucket == "my-bucket"  # type: ignore[attr-defined]


def test_missing_extra_gives_an_install_hint(fake_site: Path) -> None:
    _install_fake_distribution(
        fake_site,
        "tausestack.widgets.backends",
        "fancy = acme_backends_missing_module:Fancy [fancy]\n",
        None,
    )
    registry: BackendRegistry[object] = BackendRegistry("widgets", variable="TAUSESTACK_WIDGETS_URL")
    with pytest.raises(ConfigurationError) as info:
        registry.create("fancy://x")
    message = str(info.value)
    assert "TAUSESTACK_WIDGETS_URL" in message
    assert "pip install 'acme-backends[fancy]'" in message


def test_unknown_scheme_lists_known_ones() -> None:
    registry: BackendRegistry[FakeBackend] = BackendRegistry("gadgets", variable="TAUSESTACK_GADGETS_URL")
    registry.register("memory", FakeBackend)
    registry.register("file", lambda url: FakeBackend(url))
    with pytest.raises(ConfigurationError) as info:
        registry.create("ftp://host/x")
    message = str(info.value)
    assert "TAUSESTACK_GADGETS_URL" in message
    assert "'ftp'" in message
    assert "file://, memory://" in message


def test_runtime_registration_and_driver_suffix() -> None:
    registry: BackendRegistry[FakeBackend] = BackendRegistry("gadgets", variable="V")
    registry.register("postgresql", FakeBackend)
    backend = registry.create("postgresql+psycopg://db/app")
    assert backend.url.scheme == "postgresql+psycopg"
    registry.unregister("postgresql")
    with pytest.raises(ConfigurationError):
        registry.create("postgresql://db/app")


def test_register_refuses_non_callables() -> None:
    registry: BackendRegistry[object] = BackendRegistry("gadgets", variable="V")
    with pytest.raises(TypeError):
        registry.register("x", 42)  # type: ignore[arg-type]


def test_bad_url_error_names_the_variable() -> None:
    registry: BackendRegistry[object] = BackendRegistry("gadgets", variable="TAUSESTACK_GADGETS_URL")
    with pytest.raises(ConfigurationError, match="TAUSESTACK_GADGETS_URL"):
        registry.create("nonsense")
