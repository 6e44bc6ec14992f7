"""Which packages a change touches, plus every package that depends on them.

Usage: ``python tools/changed_packages.py [--base REF] [--json] [PATH ...]``. Paths come from
``git diff --name-only BASE...HEAD`` (default base ``origin/main``) unless given. A change to
``tools/``, ``.github/``, ``.ci/``, ``tests-integration/`` or a root configuration file selects
every package. Prints one distribution name a line (or a JSON list).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.workspace import ROOT, Package, load_packages

EVERYTHING_PREFIXES = ("tools/", ".github/", ".ci/", "tests-integration/")
EVERYTHING_FILES = {"pyproject.toml", "hatch.toml", "conftest.py", "uv.lock"}


def dependants(packages: dict[str, Package]) -> dict[str, set[str]]:
    """For each package, every package that depends on it, directly or not."""
    direct: dict[str, set[str]] = {name: set() for name in packages}
    for package in packages.values():
        for dependency in package.sibling_dependencies(with_extras=True):
            if dependency in direct:
                direct[dependency].add(package.name)
    closure: dict[str, set[str]] = {}
    for name in packages:
        seen: set[str] = set()
        stack = [name]
        while stack:
            for user in direct[stack.pop()]:
                if user not in seen:
                    seen.add(user)
                    stack.append(user)
        closure[name] = seen
    return closure


def select(paths: Iterable[str], packages: dict[str, Package]) -> list[str]:
    """The packages to test for a change to ``paths``."""
    by_dir = {package.path.name: name for name, package in packages.items()}
    chosen: set[str] = set()
    for path in paths:
        if path.startswith(EVERYTHING_PREFIXES) or path in EVERYTHING_FILES:
            return sorted(packages)
        parts = path.split("/")
        if len(parts) > 1 and parts[0] == "packages" and parts[1] in by_dir:
            chosen.add(by_dir[parts[1]])
    users = dependants(packages)
    for name in list(chosen):
        chosen |= users[name]
    return sorted(chosen)


def git_changed(base: str, root: Path) -> list[str]:
    result = subprocess.run(
        ["git", "diff", "--name-only", f"{base}...HEAD"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"git diff against {base!r} failed: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line]


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="changed paths (default: from git diff)")
    parser.add_argument("--base", default="origin/main", help="git ref to diff against")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    args = parser.parse_args(argv)
    paths = args.paths or git_changed(args.base, root)
    selected = select(paths, load_packages(root))
    print(json.dumps(selected) if args.json else "\n".join(selected))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
