"""Fail when a ``tausestack/__init__.py`` exists in a source tree or a built wheel (PEP 420).

Usage: ``python tools/check_namespace.py [WHEEL_OR_DIR ...]``. With no arguments it checks every
package's ``src/`` and every wheel under ``packages/*/dist`` and ``dist/``.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.workspace import ROOT

NAMESPACE_INIT = "tausestack/__init__.py"


def problems_in_tree(directory: Path) -> list[str]:
    """Paths of namespace-breaking files under ``directory``."""
    return sorted(
        str(path)
        for path in directory.rglob("__init__.py")
        if path.parent.name == "tausestack" and "node_modules" not in path.parts
    )


def problems_in_wheel(wheel: Path) -> list[str]:
    """Members of ``wheel`` that break the namespace (or a missing subpackage)."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    return [
        f"{wheel}!{name}" for name in names if name == NAMESPACE_INIT or name.endswith("/" + NAMESPACE_INIT)
    ]


def default_targets(root: Path) -> list[Path]:
    targets = [path for path in sorted((root / "packages").glob("*/src")) if path.is_dir()]
    targets += sorted((root / "packages").glob("*/dist/*.whl"))
    targets += sorted((root / "dist").glob("*.whl"))
    return targets


def check(targets: Iterable[Path]) -> list[str]:
    found: list[str] = []
    for target in targets:
        if target.is_dir():
            found.extend(problems_in_tree(target))
            found.extend(p for wheel in sorted(target.glob("*.whl")) for p in problems_in_wheel(wheel))
        elif target.suffix == ".whl":
            found.extend(problems_in_wheel(target))
        else:
            raise SystemExit(f"not a directory or wheel: {target}")
    return found


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", type=Path, help="wheels or directories (default: the repo)")
    args = parser.parse_args(argv)
    targets = args.targets or default_targets(root)
    found = check(targets)
    for item in found:
        print(f"namespace-breaking file: {item}", file=sys.stderr)
    if found:
        print("tausestack is a PEP 420 namespace: delete every tausestack/__init__.py", file=sys.stderr)
        return 1
    print(f"namespace ok ({len(targets)} target(s) checked)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
