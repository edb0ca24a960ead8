"""Killed runs: their temporary folders are removed by the next run (only those of dead
processes), and a kill at any moment of the final swap leaves the old output or the new
one — never neither."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cetrus import _fs
from tests.faults.conftest import one_error, run_cli, snapshot, subprocess_env

PUBLISHED = (
    Path(__file__).resolve().parents[2] / "pkg" / "cetrus" / "data" / "paper" / "published.toml"
)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert not _fs._pid_alive(proc.pid)
    return proc.pid


def test_next_run_removes_temp_folders_of_dead_runs_only(tmp_path, capsys):
    out = tmp_path / "audit"
    dead = tmp_path / f".audit.tmp-{_dead_pid()}-0a1b2c3d"
    (dead / "figures").mkdir(parents=True)
    (dead / "figures" / "big.bin").write_bytes(b"\0" * 100_000)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = tmp_path / f".audit.tmp-{sleeper.pid}-deadbeef"  # a run still writing
        live.mkdir()
        legacy_old = tmp_path / ".audit.tmp-k2j4h5g6"  # an older cetrus's, two days old
        legacy_old.mkdir()
        two_days = time.time() - 2 * 86400
        os.utime(legacy_old, (two_days, two_days))
        legacy_new = tmp_path / ".audit.tmp-abcd1234"  # an older cetrus's, maybe running
        legacy_new.mkdir()
        other = tmp_path / ".other.tmp-1-aaaa"  # not this output's: not ours to judge here
        other.mkdir()
        rc, err, _ = run_cli(capsys, "audit", PUBLISHED, "--out", out)
        assert rc == 0, err
        assert not dead.exists() and not legacy_old.exists()
        assert live.is_dir() and legacy_new.is_dir() and other.is_dir()
        assert (out / "findings.json").is_file()
    finally:
        sleeper.kill()
        sleeper.wait()


_KILL_SCRIPT = r"""
import os, sys
from pathlib import Path
from cetrus import _fs
mode, out = sys.argv[1], Path(sys.argv[2])
if mode == "between_renames":  # no renameat2: the two-rename fallback, killed between them
    _fs._exchange = lambda a, b: False
    real = os.rename
    def rename(a, b):
        real(a, b)
        if Path(b).name.startswith("." + out.name + ".old-"):
            os._exit(137)  # like SIGKILL: no clean-up runs
    _fs.os.rename = rename
elif mode == "after_exchange":  # killed right after the swap, before the old one is removed
    def rmtree(p):
        os._exit(137)
    _fs._rmtree = rmtree
with _fs.atomic_directory(out, kind="audit") as tmp:
    (tmp / "findings.json").write_text("new")
    (tmp / "audit.html").write_text("new")
print("not killed")
"""


def _killed_swap(mode: str, out: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, mode, str(out)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=60,
    )
    assert proc.returncode == 137, proc.stdout + proc.stderr


@pytest.fixture
def previous(tmp_path, capsys) -> tuple[Path, dict]:
    out = tmp_path / "audit"
    assert run_cli(capsys, "audit", PUBLISHED, "--out", out)[0] == 0
    return out, snapshot(out)


def test_kill_between_the_two_renames_is_recovered(previous, capsys):
    out, before = previous
    _killed_swap("between_renames", out)
    assert not out.exists()  # the moment the old code lost the target
    olds = [p for p in out.parent.iterdir() if p.name.startswith(".audit.old-")]
    assert len(olds) == 1 and snapshot(olds[0]) == before
    _fs.recover(out)  # what every next run does first
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_next_command_after_a_kill_between_renames(previous, capsys):
    out, before = previous
    _killed_swap("between_renames", out)
    rc, err, _ = run_cli(capsys, "audit", PUBLISHED, "--out", out)  # restored, then replaced
    assert rc == 0, err
    assert snapshot(out) == before  # same input, same findings
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_even_a_failing_next_command_puts_the_old_output_back(previous, tmp_path, capsys):
    out, before = previous
    _killed_swap("between_renames", out)
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml\n")
    rc, err, _ = run_cli(capsys, "audit", bad, "--out", out)
    one_error(rc, err, "bad.toml")
    assert snapshot(out) == before


def test_kill_right_after_the_exchange_leaves_the_new_output(previous, capsys):
    out, before = previous
    probe_a, probe_b = out.parent / "pa", out.parent / "pb"
    probe_a.mkdir()
    probe_b.mkdir()
    (probe_a / "a").touch()
    if not _fs._exchange(probe_a, probe_b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here: the fallback is tested above")
    assert (probe_b / "a").exists() and not (probe_a / "a").exists()
    _killed_swap("after_exchange", out)
    assert (out / "findings.json").read_text() == "new"
    leftovers = [p for p in out.parent.iterdir() if p.name.startswith(".audit.tmp-")]
    assert len(leftovers) == 1 and snapshot(leftovers[0]) == before  # the old output
    assert run_cli(capsys, "audit", PUBLISHED, "--out", out)[0] == 0
    assert not leftovers[0].exists() and snapshot(out) == before


def test_failure_inside_leaves_previous_output_and_no_temp(previous, monkeypatch, capsys):
    out, before = previous
    import cetrus.audit.report as report

    def boom(pub, findings, path):
        path.write_text("half")
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "write_html", boom)
    rc, err, _ = run_cli(capsys, "audit", PUBLISHED, "--out", out)
    one_error(rc, err, "interrupted", status=130)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []
