"""tausestack.notify to the file backend, beside the same work done by hand with the stdlib.

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_notify.py`` (about 20 s).

* ours: ``Notifier("file://<dir>").email(...)``: address validation (email-validator), CR/LF
  checks, HTML → text, MIME building, one new ``.eml`` file written;
* stdlib by hand: an ``EmailMessage`` with the same headers, text and HTML parts and
  attachment, ``as_bytes()`` written to a new file (no validation at all);
* bare file write: only creating a file and writing the same number of bytes, the floor any
  file backend pays, shown so the file system's cost is visible.

Each is run in the working directory (``TAUSESTACK_BENCH_MAIL_DIR`` overrides) and, when it exists,
in ``/dev/shm`` (memory), which shows the CPU-bound rate. Target (issue 4): ≥ 1000 messages/s.
"""

from __future__ import annotations

import email.policy
import itertools
import os
import sys
import tempfile
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.ratios import Result, compare, report

HTML = "<h1>Weekly report</h1><p>Hello <b>Ada</b>, the numbers are <a href='https://acme.io/r'>here</a>.</p>"
TEXT = "Weekly report\n\nHello Ada, the numbers are here (https://acme.io/r)."
CSV = b"name,score\nAda,10\nAlan,9\n" * 20
SHM = Path("/dev/shm")  # noqa: S108 - a memory file system, to show the CPU-bound rate


def run_in(base: str, label: str) -> tuple[list[Result], float]:
    from tausestack.notify import Notifier, attachment

    with tempfile.TemporaryDirectory(dir=base, prefix=".bench-notify-") as tmp:
        ours_dir, raw_dir = Path(tmp) / "ours", Path(tmp) / "raw"
        raw_dir.mkdir()
        notifier = Notifier(f"file://{ours_dir}", default_from="Acme <noreply@acme.io>")
        counter = itertools.count()
        size = len(
            notifier.build(
                "Ada Lovelace <ada@example.com>",
                "Weekly report",
                content_html=HTML,
                attachments=[attachment(CSV, file_name="scores.csv")],
            ).as_bytes()
        )
        payload = b"x" * size

        def ours() -> None:
            notifier.email(
                "Ada Lovelace <ada@example.com>",
                "Weekly report",
                content_html=HTML,
                attachments=[attachment(CSV, file_name="scores.csv")],
            )

        def by_hand() -> None:
            message = EmailMessage(policy=email.policy.SMTP)
            message["From"] = "Acme <noreply@acme.io>"
            message["To"] = "Ada Lovelace <ada@example.com>"
            message["Subject"] = "Weekly report"
            message["Message-ID"] = make_msgid(domain="acme.io")
            message.set_content(TEXT)
            message.add_alternative(HTML, subtype="html")
            message.add_attachment(CSV, "text", "csv", filename="scores.csv")
            (raw_dir / f"m{next(counter)}.eml").write_bytes(message.as_bytes())

        def bare_write() -> None:
            fd = os.open(raw_dir / f"b{next(counter)}.eml", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)

        results = [
            compare(
                f"email → file [{label}] vs stdlib by hand", ours=ours, raw=by_hand, number=40, batches=11
            ),
            compare(
                f"email → file [{label}] vs bare file write", ours=ours, raw=bare_write, number=40, batches=11
            ),
        ]
    return results, 1 / results[0].ours_seconds


def main() -> None:
    results: list[Result] = []
    rates: list[str] = []
    bases = [(os.environ.get("TAUSESTACK_BENCH_MAIL_DIR", "."), "disk")]
    if SHM.is_dir():
        bases.append((str(SHM), "tmpfs"))
    for base, label in bases:
        found, rate = run_in(base, label)
        results += found
        verdict = "ok" if rate >= 1000 else "UNDER TARGET"
        rates.append(f"- file backend on {label} ({base}): {rate:,.0f} messages/s (target ≥ 1000) {verdict}")
    report(results, title="tausestack.notify / raw (median of interleaved batches; ratio < 1 is faster)")
    print("\n".join(rates))


if __name__ == "__main__":
    main()
