"""``tausestack --help`` cold (a fresh interpreter each time) beside a bare Typer app's ``--help``.

Target (DESIGN.md section 5): ``tausestack --help`` ≤ 400 ms cold. The bare app has the same shape
(8 commands, 3 of them groups) and nothing else, so the ratio is the CLI's own start-up cost:
lazy imports keep every SDK module, FastAPI, uvicorn and pydantic out of ``--help``.
Also shown: the interpreter's own start-up (``python -c pass``), included in both figures.

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_cli.py``
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.ratios import compare, report

BARE_APP = '''
import typer

app = typer.Typer(no_args_is_help=True, add_completion=False)
for group in ("db", "storage", "secrets"):
    sub = typer.Typer(help=f"{group} commands")
    @sub.command()
    def ls(prefix: str = "") -> None:
        """List."""
    app.add_typer(sub, name=group)

@app.command()
def init(name: str, template: str = "api", force: bool = False) -> None:
    """Create a project."""

@app.command()
def run(host: str = "127.0.0.1", port: int = 8000, reload: bool = True, workers: int = 1) -> None:
    """Serve."""

@app.command()
def routes(json: bool = False) -> None:
    """Routes."""

@app.command()
def deploy(target: str = "docker", dry_run: bool = False) -> None:
    """Deploy."""

@app.command()
def doctor() -> None:
    """Doctor."""

app(prog_name="bare")
'''

TARGET_SECONDS = 0.400


def run(argv: list[str]) -> None:
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def median_seconds(argv: list[str], runs: int = 9) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        run(argv)
        samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_cli.py"
        bare.write_text(BARE_APP)
        ours = [sys.executable, "-m", "tausestack.cli", "--help"]
        raw = [sys.executable, str(bare), "--help"]
        results = [
            compare(
                "tausestack --help (cold) / bare typer --help",
                ours=lambda: run(ours),
                raw=lambda: run(raw),
                number=1,
                batches=15,
            ),
            compare(
                "tausestack --version (cold) / bare typer --help",
                ours=lambda: run([sys.executable, "-m", "tausestack.cli", "--version"]),
                raw=lambda: run(raw),
                number=1,
                batches=9,
            ),
        ]
    report(results, title="tausestack CLI start-up (fresh interpreter per call)")
    interpreter = median_seconds([sys.executable, "-c", "pass"])
    help_seconds = results[0].ours_seconds
    verdict = "ok" if help_seconds <= TARGET_SECONDS else "OVER TARGET"
    print(
        f"\ntausestack --help: {help_seconds * 1e3:.0f} ms cold (target ≤ {TARGET_SECONDS * 1e3:.0f} ms: {verdict}); "
        f"interpreter start-up alone: {interpreter * 1e3:.0f} ms"
    )


if __name__ == "__main__":
    main()
