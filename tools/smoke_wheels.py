"""Build every wheel, install each package alone into a fresh venv, import it, run one call.

Each package states its smoke call in its pyproject.toml::

    [tool.tausestack]
    smoke = "import tausestack.storage as s; s.json.put('k', 1); assert s.json.get('k') == 1"

The venv gets the package's wheel, the wheels of the tausestack packages it depends on and
nothing else but their declared third-party dependencies (no extras), so a missing dependency or
a hidden import of an optional library fails here. Every wheel is also checked for a
namespace-breaking ``tausestack/__init__.py``.

Usage: ``python tools/smoke_wheels.py [--only NAME ...] [--keep]``. Needs ``uv`` (hatch ships it)
or falls back to ``python -m build`` and ``venv`` + ``pip``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.check_namespace import problems_in_wheel
from tools.workspace import ROOT, Package, load_packages


def _run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()[-4000:]
        raise RuntimeError(f"`{' '.join(argv)}` failed ({result.returncode}):\n{output}")


def build_wheel(package: Package, outdir: Path, uv: str | None) -> Path:
    """Build ``package``'s wheel into ``outdir`` and return its path."""
    before = set(outdir.glob("*.whl"))
    if uv:
        _run([uv, "build", "--wheel", "--out-dir", str(outdir), str(package.path)])
    else:
        _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(package.path)])
    built = sorted(set(outdir.glob("*.whl")) - before)
    prefix = package.name.replace("-", "_") + "-"
    matches = [wheel for wheel in built if wheel.name.startswith(prefix)]
    if len(matches) != 1:
        raise RuntimeError(f"expected one wheel for {package.name}, found {[w.name for w in built]}")
    return matches[0]


def sibling_closure(name: str, packages: dict[str, Package]) -> list[str]:
    """``name`` and every tausestack package it depends on (declared dependencies only)."""
    seen: list[str] = []
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        stack.extend(sorted(packages[current].sibling_dependencies()))
    return seen


def smoke_code(package: Package) -> str:
    code = package.tool.get("smoke")
    if package.module is None:
        return code or f"import importlib.metadata as m; print(m.version({package.name!r}))"
    if not code:
        raise RuntimeError(f"{package.name}: add [tool.tausestack] smoke = '...' to its pyproject.toml")
    return str(code)


def smoke_one(
    name: str, packages: dict[str, Package], wheels: dict[str, Path], work: Path, uv: str | None
) -> None:
    venv = work / f"venv-{name}"
    wheel_files = [str(wheels[item]) for item in sibling_closure(name, packages)]
    if uv:
        _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)])
        python = venv / "bin" / "python"
        _run([uv, "pip", "install", "--quiet", "--python", str(python), *wheel_files])
    else:
        _run([sys.executable, "-m", "venv", str(venv)])
        python = venv / "bin" / "python"
        _run([str(python), "-m", "pip", "install", "--quiet", *wheel_files])
    rundir = work / f"run-{name}"
    rundir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TAUSESTACK_", "PYTHON"))}
    _run([str(python), "-c", smoke_code(packages[name])], cwd=rundir, env=env)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="package names to smoke-test")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    packages = load_packages(root)
    selected = sorted(args.only) if args.only else sorted(packages)
    unknown = [name for name in selected if name not in packages]
    if unknown:
        print(f"unknown package(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    uv = shutil.which("uv")
    work = Path(tempfile.mkdtemp(prefix="tausestack-smoke-"))
    failures: list[str] = []
    try:
        wheel_dir = work / "wheels"
        wheel_dir.mkdir()
        needed = sorted({dep for name in selected for dep in sibling_closure(name, packages)})
        wheels: dict[str, Path] = {}
        for name in needed:
            wheels[name] = build_wheel(packages[name], wheel_dir, uv)
            broken = problems_in_wheel(wheels[name])
            if broken:
                failures.append(f"{name}: namespace-breaking file(s) {broken}")
        for name in selected:
            started = time.monotonic()
            try:
                smoke_one(name, packages, wheels, work, uv)
            except RuntimeError as exc:
                failures.append(f"{name}: {exc}")
                print(f"FAIL {name}", flush=True)
            else:
                print(f"ok   {name} ({time.monotonic() - started:.1f}s)", flush=True)
    finally:
        if args.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"\n{failure}", file=sys.stderr)
    print(f"smoke-wheels: {len(selected) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
