"""Local storage under concurrency and crashes: real processes, a real filesystem.

8 processes writing the same key leave one complete, valid value (and readers never see a torn
one); a writer killed with SIGKILL in the middle of a write leaves the old value readable.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tausestack.core.testing import wait_until
from tausestack.storage import Storage

WRITERS = 8
ROUNDS = 15

WRITER = """
import sys, time, os
from pathlib import Path
from tausestack.storage import Storage
root, index, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
store = Storage("file://" + root)
while not go.exists():
    time.sleep(0.005)
for round_ in range(ROUNDS):
    store.json.put("shared/report", {"writer": index, "round": round_, "payload": str(index) * 200_000})
""".replace("ROUNDS", str(ROUNDS))

READER = """
import sys, time
from pathlib import Path
from tausestack.storage import Storage
root, go, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
store = Storage("file://" + root)
while not go.exists():
    time.sleep(0.005)
reads = 0
while not stop.exists():
    value = store.json.get("shared/report", default=None)
    if value is not None:
        payload = value["payload"]
        assert payload == str(value["writer"]) * 200_000, "torn read"
        reads += 1
print(reads)
"""


def test_eight_processes_writing_one_key_leave_one_complete_value(tmp_path: Path) -> None:
    root = tmp_path / "store"
    go, stop = tmp_path / "go", tmp_path / "stop"
    store = Storage(f"file://{root}")
    store.json.put("shared/report", {"writer": -1, "round": -1, "payload": ""})
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(root), str(index), str(go)])
        for index in range(WRITERS)
    ]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root), str(go), str(stop)], stdout=subprocess.PIPE, text=True
    )
    go.touch()
    try:
        codes = [writer.wait(timeout=120) for writer in writers]
    finally:
        stop.touch()
    out, _ = reader.communicate(timeout=60)
    assert codes == [0] * WRITERS
    assert reader.returncode == 0, "a reader saw a torn or invalid value"
    assert int(out) > 0
    value = store.json.get("shared/report")
    assert value["writer"] in range(WRITERS)
    assert value["round"] == ROUNDS - 1 or value["round"] in range(ROUNDS)
    assert value["payload"] == str(value["writer"]) * 200_000
    leftovers = [path.name for path in (root / "json" / "shared").iterdir()]
    assert leftovers == ["report"], leftovers
    assert [entry.name for entry in store.json.list()] == ["shared/report"]


KILLED_WRITER = """
import sys, time
from pathlib import Path
from tausestack.storage import Storage
root, ready = sys.argv[1], Path(sys.argv[2])
store = Storage("file://" + root)
with store.binary.open("model.bin", "wb") as file:
    file.write(b"N" * (4 * 1024 * 1024))
    file.flush()
    ready.touch()
    time.sleep(120)
    file.write(b"never")
"""


def test_a_writer_killed_mid_write_leaves_the_old_value(tmp_path: Path) -> None:
    root = tmp_path / "store"
    ready = tmp_path / "ready"
    store = Storage(f"file://{root}")
    store.binary.put("model.bin", b"old value")
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(root), str(ready)])
    try:
        assert wait_until(ready.exists, timeout=60), "the writer never started writing"
    finally:
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert store.binary.get("model.bin") == b"old value"
    assert [entry.name for entry in store.binary.list()] == ["model.bin"]
    partial = [path for path in (root / "binary").iterdir() if path.name != "model.bin"]
    assert len(partial) == 1  # the dead writer's temporary file: never a key
    assert partial[0].stat().st_size == 4 * 1024 * 1024
    store.binary.put("model.bin", b"new value")
    assert store.binary.get("model.bin") == b"new value"


KILLED_JSON_WRITER = """
import sys, time
from pathlib import Path
from tausestack.storage import Storage
root, ready = sys.argv[1], Path(sys.argv[2])
store = Storage("file://" + root)
ready.touch()
round_ = 0
while True:
    round_ += 1
    store.json.put("state", {"round": round_, "payload": "z" * 500_000})
"""


def test_killing_a_busy_json_writer_never_corrupts_the_value(tmp_path: Path) -> None:
    root = tmp_path / "store"
    ready = tmp_path / "ready"
    store = Storage(f"file://{root}")
    store.json.put("state", {"round": 0, "payload": "z" * 500_000})
    for _ in range(3):
        ready.unlink(missing_ok=True)
        writer = subprocess.Popen([sys.executable, "-c", KILLED_JSON_WRITER, str(root), str(ready)])
        assert wait_until(ready.exists, timeout=60)
        time.sleep(0.3)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        value = store.json.get("state")
        assert value["payload"] == "z" * 500_000
        assert json.loads((root / "json" / "state").read_bytes()) == value
