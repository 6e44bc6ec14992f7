"""tools/: sync-versions, check-namespace, changed-packages, on copies of the real repository."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tools import changed_packages, check_namespace, sync_versions
from tools.workspace import ROOT, compatible_range, load_packages


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's packages/ (pyproject files and version files only)."""
    for pyproject in (ROOT / "packages").glob("*/pyproject.toml"):
        target = tmp_path / pyproject.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pyproject, target)
    for version in (ROOT / "packages").glob("*/**/_version.py"):
        if "node_modules" in version.parts:
            continue
        target = tmp_path / version.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(version, target)
    return tmp_path


def test_compatible_range() -> None:
    assert compatible_range("0.1.0") == ">=0.1,<0.2"
    assert compatible_range("0.12.3") == ">=0.12,<0.13"
    assert compatible_range("1.4.2") == ">=1.4,<2"
    assert compatible_range("2.0.0rc1") == ">=2.0,<3"


def test_every_package_is_found_with_its_module() -> None:
    packages = load_packages()
    expected = {
        "tausestack",
        *(
            f"tausestack-{n}"
            for n in ["core", "storage", "secrets", "cache", "notify", "auth", "database", "web", "cli"]
        ),
    }
    assert set(packages) == expected
    assert packages["tausestack-storage"].module == "tausestack.storage"
    assert packages["tausestack"].module is None


def test_repository_is_in_sync(capsys: pytest.CaptureFixture[str]) -> None:
    assert sync_versions.main(["--check"]) == 0


def test_version_bump_is_detected_and_rewritten(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    version_file = repo / "packages/tausestack-core/src/tausestack/core/_version.py"
    version_file.write_text('__version__ = "0.2.0"\n')
    assert sync_versions.main(["--check"], root=repo) == 1
    assert "drifted" in capsys.readouterr().out
    assert sync_versions.main([], root=repo) == 0
    meta = (repo / "packages/tausestack/pyproject.toml").read_text()
    assert 'core = ["tausestack-core>=0.2,<0.3"]' in meta
    assert '"tausestack-core>=0.2,<0.3",' in meta  # in [all]
    storage = (repo / "packages/tausestack-storage/pyproject.toml").read_text()
    assert '"tausestack-core>=0.2,<0.3"' in storage
    assert 'name = "tausestack-storage"' in storage  # the project's own name is never pinned
    assert sync_versions.main(["--check"], root=repo) == 0


def test_meta_extras_carry_each_packages_extras() -> None:
    block = sync_versions.meta_extras(load_packages())
    assert 'storage = ["tausestack-storage[s3,dataframe]' in block
    assert "testing" not in block
    assert block.count("tausestack-") >= 18  # nine extras + nine in [all]


def test_check_namespace_finds_a_stray_init_in_tree_and_wheel(tmp_path: Path) -> None:
    src = tmp_path / "src" / "tausestack"
    (src / "good").mkdir(parents=True)
    (src / "good" / "__init__.py").write_text("")
    assert check_namespace.check([tmp_path / "src"]) == []
    (src / "__init__.py").write_text("")
    assert check_namespace.check([tmp_path / "src"]) == [str(src / "__init__.py")]

    wheel = tmp_path / "bad-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("tausestack/__init__.py", "")
        archive.writestr("tausestack/good/__init__.py", "")
    assert check_namespace.check([wheel]) == [f"{wheel}!tausestack/__init__.py"]
    assert check_namespace.main([str(wheel)]) == 1


def test_repository_namespace_is_clean() -> None:
    assert check_namespace.main([]) == 0


def test_changed_packages_selects_dependants() -> None:
    packages = load_packages()
    assert changed_packages.select(["packages/tausestack-web/src/tausestack/web/x.py"], packages) == [
        "tausestack",
        "tausestack-cli",
        "tausestack-web",
    ]
    auth = changed_packages.select(["packages/tausestack-auth/README.md"], packages)
    assert {"tausestack-auth", "tausestack-web", "tausestack-cli", "tausestack"} == set(auth)
    assert len(changed_packages.select(["packages/tausestack-core/x.py"], packages)) == len(packages)
    assert changed_packages.select(["README.md"], packages) == []
    for path in ("tools/x.py", ".github/workflows/ci.yml", "pyproject.toml", "hatch.toml", ".ci/run"):
        assert changed_packages.select([path], packages) == sorted(packages), path


def test_changed_packages_from_git(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert changed_packages.main(["--json", "packages/tausestack-notify/x.py"]) == 0
    assert capsys.readouterr().out.strip() == '["tausestack", "tausestack-notify"]'
    with pytest.raises(SystemExit, match="git diff"):
        changed_packages.main(["--base", "no-such-ref-xyz"])
