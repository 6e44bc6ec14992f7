"""Each package README opens with a runnable example: run it, as a new user would, in an empty directory.

The first ```python block of every package README runs in a fresh interpreter, in an empty working
directory, with no TAUSESTACK_* configuration (so on the embedded defaults). It runs under a
module name other than ``__main__``, so an example's ``if __name__ == "__main__": uvicorn.run(...)``
guard does not start a server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.workspace import ROOT, load_packages

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
# tausestack-cli's README opens with a shell session (init, pytest, run); that session is what
# tests-integration/test_cli_project.py runs. The meta-package has no code.
PACKAGES = sorted(name for name in load_packages() if name not in {"tausestack", "tausestack-cli"})


def first_python_block(readme: Path) -> str | None:
    match = _BLOCK.search(readme.read_text(encoding="utf-8"))
    return match.group(1) if match else None


@pytest.mark.parametrize("name", PACKAGES)
def test_readme_opens_with_a_runnable_example(name: str, tmp_path: Path) -> None:
    readme = load_packages()[name].path / "README.md"
    code = first_python_block(readme)
    assert code is not None, f"{readme} has no ```python example"
    _run_example(readme, code, tmp_path)


def test_top_readme_examples_run(tmp_path: Path) -> None:
    readme = ROOT / "README.md"
    blocks = _BLOCK.findall(readme.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    _run_example(readme, "\n\n".join(blocks), tmp_path)


def _run_example(readme: Path, code: str, tmp_path: Path) -> None:
    example = tmp_path / "readme_example.py"
    example.write_text(code, encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TAUSESTACK_") or key.startswith("TAUSESTACK_TEST_")
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import runpy; runpy.run_path('readme_example.py', run_name='readme_example')",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{readme}'s first example failed:\n{result.stdout}\n{result.stderr}"
