"""Wheels: each builds without a namespace-breaking file, installs alone, and imports beside others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tools import smoke_wheels
from tools.workspace import load_packages


@pytest.mark.slow
def test_core_and_meta_wheels_install_alone_and_work(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke_wheels.main(["--only", "tausestack-core", "tausestack"]) == 0
    out = capsys.readouterr().out
    assert "ok   tausestack-core" in out
    assert "2 passed, 0 failed" in out


@pytest.mark.slow
def test_two_packages_from_separate_wheels_import_side_by_side(tmp_path: Path) -> None:
    packages = load_packages()
    uv = smoke_wheels.shutil.which("uv")
    wheels = {
        name: smoke_wheels.build_wheel(packages[name], tmp_path, uv)
        for name in ("tausestack-core", "tausestack-secrets")
    }
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    if uv:
        subprocess.run(
            [uv, "pip", "install", "--quiet", "--python", str(python), *map(str, wheels.values())], check=True
        )
    else:  # pragma: no cover - uv ships with hatch
        subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(python), "install", *map(str, wheels.values())],
            check=True,
        )
    code = (
        "import tausestack.core, tausestack.secrets, tausestack; "
        "assert not hasattr(tausestack, '__file__') or tausestack.__file__ is None; "
        "print(sorted(tausestack.__path__))"
    )
    result = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "site-packages/tausestack" in result.stdout


def test_smoke_refuses_unknown_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert smoke_wheels.main(["--only", "tausestack-nope"]) == 2
    assert "unknown package" in capsys.readouterr().err
