"""tausestack.storage beside the raw libraries, in one run (DESIGN.md section 5).

Targets: local JSON put+get 1 KiB ≤ 1.25 of the same durable steps by hand (temp file, fsync,
rename, directory fsync, read) and, with ``?fsync=false``, ≤ 1.25 of fsspec's local filesystem;
S3 put/get 1 KiB and 8 MiB ≤ 1.10 of raw boto3 on the same moto server; dataframe round trip
1e6 x 10 ≤ 1.05 of raw ``to_parquet``/``read_parquet`` with peak memory ≤ 1.2; cold
``import tausestack.storage`` ≤ 150 ms.

Run: ``$(hatch env find hatch-test.py3.11)/bin/python tools/bench/bench_storage.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.bench.ratios import Result, compare, report

KiB = 1024
MiB = 1024 * KiB


def _value_1kib() -> dict[str, object]:
    value: dict[str, object] = {"id": 1, "tags": ["a", "b"], "text": ""}
    value["text"] = "x" * (KiB - len(json.dumps(value)))
    assert len(json.dumps(value)) == KiB
    return value


def _dumps(value: object) -> bytes:
    """What storage.json.put writes: compact UTF-8 JSON, NaN refused."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def bench_local_json(workdir: Path) -> list[Result]:
    from tausestack.storage import Storage

    value = _value_1kib()
    durable = Storage(f"file://{workdir}/ts")
    fast = Storage(f"file://{workdir}/ts-nofsync?fsync=false")
    raw_dir = workdir / "raw"
    raw_dir.mkdir()

    def raw_put_get(sync: bool) -> object:
        path = raw_dir / "key"
        tmp = raw_dir / f".key.tmp{os.getpid()}"
        with open(tmp, "wb") as file:
            file.write(_dumps(value))
            file.flush()
            if sync:
                os.fsync(file.fileno())
        os.replace(tmp, path)
        if sync:
            fd = os.open(raw_dir, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        with open(path, "rb") as file:
            return json.loads(file.read())

    def ours_durable() -> object:
        durable.json.put("bench/key", value)
        return durable.json.get("bench/key")

    def ours_fast() -> object:
        fast.json.put("bench/key", value)
        return fast.json.get("bench/key")

    results = [
        compare(
            "local json put+get 1 KiB (fsync) / by hand",
            ours=ours_durable,
            raw=lambda: raw_put_get(True),
            number=40,
            batches=15,
            target=1.25,
        ),
        compare(
            "local json put+get 1 KiB (fsync=false) / by hand",
            ours=ours_fast,
            raw=lambda: raw_put_get(False),
            number=200,
            batches=15,
        ),
    ]
    try:
        import fsspec  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        print("fsspec is not installed: skipping the fsspec comparison (uv pip install fsspec)")
        return results
    fs = fsspec.filesystem("file")
    fs_path = str(workdir / "fsspec" / "key")
    fs.makedirs(str(workdir / "fsspec"), exist_ok=True)

    def fsspec_put_get() -> object:
        # the same encoding as ours (compact, UTF-8, NaN refused) and the same decoding
        with fs.open(fs_path, "wb") as file:
            file.write(_dumps(value))
        with fs.open(fs_path, "rb") as file:
            return json.loads(file.read())

    results.append(
        compare(
            "local json put+get 1 KiB (fsync=false) / fsspec",
            ours=ours_fast,
            raw=fsspec_put_get,
            number=200,
            batches=15,
            target=1.25,
        )
    )
    # The floor: temp file + rename by hand against the same fsspec in-place write. On ext4,
    # renaming over an existing file starts writeback of the new file's data (auto_da_alloc),
    # which an in-place overwrite does not pay, so this ratio bounds what any atomic write reaches.
    results.append(
        compare(
            "  (floor) atomic steps by hand (fsync=false) / fsspec",
            ours=lambda: raw_put_get(False),
            raw=fsspec_put_get,
            number=200,
            batches=15,
        )
    )
    return results


def bench_s3(workdir: Path) -> list[Result]:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        print("boto3 or moto[server] is not installed: skipping the S3 comparison")
        return []
    from tausestack.core.testing import MotoServer
    from tausestack.storage import Storage

    server = MotoServer.start(workdir)
    try:
        raw = server.client("s3")
        raw.create_bucket(Bucket="bench")
        os.environ.update(server.environ())
        store = Storage(f"s3://bench?endpoint_url={server.endpoint_url}&region={server.region}")
        results = []
        for label, size, number in (("1 KiB", KiB, 40), ("8 MiB", 8 * MiB, 3)):
            data = os.urandom(size)

            def ours_put(data: bytes = data) -> None:
                store.binary.put("obj", data)

            def raw_put(data: bytes = data) -> None:
                raw.put_object(
                    Bucket="bench",
                    Key="raw/obj",
                    Body=data,
                    ContentType="application/octet-stream",
                    Metadata={},
                )

            ours_put()
            raw_put()
            results.append(
                compare(
                    f"s3 put {label} / boto3 put_object",
                    ours=ours_put,
                    raw=raw_put,
                    number=number,
                    batches=7,
                    target=1.10,
                )
            )
            results.append(
                compare(
                    f"s3 get {label} / boto3 get_object",
                    ours=lambda: store.binary.get("obj"),
                    raw=lambda: raw.get_object(Bucket="bench", Key="raw/obj")["Body"].read(),
                    number=number,
                    batches=7,
                    target=1.10,
                )
            )
        return results
    finally:
        server.stop()


def _frame(rows: int) -> object:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    columns: dict[str, object] = {}
    for index in range(10):
        kind = index % 5
        if kind == 0:
            columns[f"f{index}"] = rng.random(rows)
        elif kind == 1:
            columns[f"i{index}"] = rng.integers(0, 1_000_000, rows)
        elif kind == 2:
            columns[f"t{index}"] = pd.date_range("2024-01-01", periods=rows, freq="s", tz="UTC")
        elif kind == 3:
            columns[f"c{index}"] = pd.Categorical(rng.choice(["red", "green", "blue"], rows))
        else:
            columns[f"n{index}"] = pd.array(rng.integers(0, 100, rows), dtype="Int64")
    return pd.DataFrame(columns)


def bench_dataframe(workdir: Path, rows: int) -> list[Result]:
    try:
        import pandas as pd
    except ImportError:
        print("pandas is not installed: skipping the dataframe comparison")
        return []
    from tausestack.storage import Storage

    df = _frame(rows)
    store = Storage(f"file://{workdir}/df")
    raw_path = workdir / "raw.parquet"

    def raw_round_trip() -> object:
        df.to_parquet(raw_path, index=False)  # type: ignore[attr-defined]
        with open(raw_path, "rb") as file:
            os.fsync(file.fileno())  # the same durability our put gives
        return pd.read_parquet(raw_path)

    def ours_round_trip() -> object:
        store.dataframe.put("bench", df)  # type: ignore[arg-type]
        return store.dataframe.get("bench")

    return [
        compare(
            f"dataframe {rows:,} x 10 put+get / to_parquet+read_parquet",
            ours=ours_round_trip,
            raw=raw_round_trip,
            number=1,
            batches=7,
            target=1.05,
        )
    ]


PEAK_SCRIPT = r"""
import os, sys
sys.path.insert(0, sys.argv[4])
from tools.bench.bench_storage import _frame
import pandas as pd
mode, rows, workdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
df = _frame(rows)
if mode == "ours":
    from tausestack.storage import Storage
    store = Storage("file://" + workdir + "/peak-" + mode)
def rss_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
    raise RuntimeError(field)
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the high-water mark
base = rss_kib("VmRSS:")
if mode == "ours":
    store.dataframe.put("peak", df)
    back = store.dataframe.get("peak")
else:
    path = workdir + "/peak-raw.parquet"
    df.to_parquet(path, index=False)
    back = pd.read_parquet(path)
assert len(back) == rows
print(rss_kib("VmHWM:") - base, int(df.memory_usage(deep=True).sum()) // 1024)
"""


def peak_memory(workdir: Path, rows: int) -> None:
    root = str(Path(__file__).resolve().parents[2])
    peaks: dict[str, list[int]] = {"ours": [], "raw": []}
    frame_kib = 0
    for _ in range(3):
        for mode in ("raw", "ours"):
            out = subprocess.run(
                [sys.executable, "-c", PEAK_SCRIPT, mode, str(rows), str(workdir), root],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            peak, frame_kib = (int(part) for part in out.strip().splitlines()[-1].split())
            peaks[mode].append(peak)
    ours, raw = statistics.median(peaks["ours"]), statistics.median(peaks["raw"])
    ratio = ours / raw if raw else float("inf")
    verdict = "ok" if ratio <= 1.2 else "OVER TARGET"
    print(
        f"dataframe {rows:,} x 10 ({frame_kib / 1024:.0f} MiB in memory) peak memory above baseline: "
        f"ours {ours / 1024:.0f} MiB, "
        f"raw {raw / 1024:.0f} MiB, ratio {ratio:.2f} (target 1.20) {verdict}"
    )


def cold_import() -> None:
    code = "import time; t = time.perf_counter(); import {m}; print(time.perf_counter() - t)"
    samples: dict[str, list[float]] = {"tausestack.storage": [], "tausestack.core": []}
    for _ in range(5):
        for module in samples:
            out = subprocess.run(
                [sys.executable, "-c", code.format(m=module)], capture_output=True, text=True, check=True
            )
            samples[module].append(float(out.stdout))
    storage_ms = statistics.median(samples["tausestack.storage"]) * 1e3
    core_ms = statistics.median(samples["tausestack.core"]) * 1e3
    verdict = "ok" if storage_ms <= 150 else "OVER TARGET"
    print(
        f"cold import tausestack.storage: {storage_ms:.0f} ms (target 150) {verdict} "
        f"(import tausestack.core alone: {core_ms:.0f} ms; interpreter start-up not included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="dataframe rows (10 columns)")
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["json", "s3", "dataframe", "memory", "import"]
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tausestack-bench-storage-"))
    try:
        results: list[Result] = []
        if "json" not in args.skip:
            results += bench_local_json(workdir)
        if "s3" not in args.skip:
            results += bench_s3(workdir)
        if "dataframe" not in args.skip:
            results += bench_dataframe(workdir, args.rows)
        report(results)
        if "memory" not in args.skip:
            peak_memory(workdir, args.rows)
        if "import" not in args.skip:
            cold_import()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"(bench took {time.perf_counter() - started:.0f} s)")
