"""tausestack.secrets beside the raw lookups, in one run.

``secrets.get`` on ``env://`` beside ``os.environ.get``; on ``aws-secrets://`` (moto server) beside
raw boto3 ``get_secret_value``, uncached (``force_refresh``) and cached (the default 300 s TTL).

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_secrets.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.ratios import Result, compare, report


def bench_env() -> list[Result]:
    from tausestack.secrets import Secrets

    os.environ["BENCH_SECRET"] = "value-0123456789"  # noqa: S105 - a benchmark value
    store = Secrets("env://?dotenv=")
    return [
        compare(
            "env get / os.environ.get",
            ours=lambda: store.get("BENCH_SECRET"),
            raw=lambda: os.environ.get("BENCH_SECRET"),
            number=5000,
            batches=9,
        )
    ]


def bench_aws() -> list[Result]:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        print("boto3 or moto[server] is not installed: skipping the Secrets Manager comparison")
        return []
    from tausestack.core.testing import MotoServer
    from tausestack.secrets import Secrets

    server = MotoServer.start(Path(tempfile.mkdtemp(prefix="tausestack-bench-secrets-")))
    try:
        os.environ.update(server.environ())
        raw = server.client("secretsmanager")
        raw.create_secret(Name="app/KEY", SecretString="value-0123456789")
        store = Secrets(
            f"aws-secrets://?prefix=app/&endpoint_url={server.endpoint_url}&region={server.region}"
        )
        store.get("KEY")

        def raw_get() -> object:
            return raw.get_secret_value(SecretId="app/KEY")["SecretString"]

        return [
            compare(
                "aws get uncached / boto3 get_secret_value",
                ours=lambda: store.get("KEY", force_refresh=True),
                raw=raw_get,
                number=30,
                batches=7,
                target=1.10,
            ),
            compare(
                "aws get cached (TTL) / boto3 get_secret_value",
                ours=lambda: store.get("KEY"),
                raw=raw_get,
                number=30,
                batches=7,
            ),
        ]
    finally:
        server.stop()


def main() -> None:
    report(bench_env() + bench_aws())


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
