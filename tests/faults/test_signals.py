"""Ctrl-C, SIGTERM and SIGKILL during `cetrus analyze`: one line (130 / 143), nothing
half-written, and no spread worker process outlives the command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.faults.conftest import subprocess_env


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
@pytest.mark.parametrize("how, status", [("SIGINT", 130), ("SIGTERM", 143), ("SIGKILL", -9)])
def test_killed_during_spread(spread_study: Path, how, status):
    out = spread_study.parent / "results"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cetrus", "analyze", "--config", str(spread_study)],
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
        start_new_session=True,
    )
    try:
        seen = []
        for line in proc.stderr:  # wait until the workers are computing seeds
            seen.append(line)
            if "spread seed" in line:
                break
        else:
            pytest.fail("analyze ended before the spread: " + "".join(seen))
        workers = _children(proc.pid)
        assert len(workers) == 2, workers
        if how == "SIGINT":  # Ctrl-C at a terminal reaches the whole process group
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, getattr(signal, how))
        rc = proc.wait(timeout=60)
        # the rest of stderr, without waiting for an EOF a surviving worker would withhold
        chunks: list[str] = []
        reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read()), daemon=True)
        reader.start()
        reader.join(timeout=15)
        rest = "".join(chunks)
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in _children(proc.pid) if proc.poll() is None else []:
            os.kill(w, signal.SIGKILL)
    assert rc == status, rest
    after = [ln for ln in rest.splitlines() if "spread seed" not in ln]
    if how == "SIGKILL":
        assert after == []
    else:
        assert len(after) == 1 and after[0].startswith("cetrus: error: "), rest
        assert "Traceback" not in rest
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [w for w in workers if _alive(w)]
    for w in survivors:  # do not leave them running after the failure is recorded
        os.kill(w, signal.SIGKILL)
    assert not survivors, "spread workers outlived the command"
    assert not out.exists()
    assert not [p.name for p in spread_study.parent.iterdir() if p.name.startswith(".")]
