"""Output paths: a file the user named is never moved or replaced; a folder is replaced
only when cetrus wrote it; a full or read-only disk is one line naming the output."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from cetrus._fs import MARKER
from tests.faults.conftest import one_error, run_cli, snapshot

PUBLISHED = (
    Path(__file__).resolve().parents[2] / "pkg" / "cetrus" / "data" / "paper" / "published.toml"
)


def _commands(study: Path, out: Path) -> dict[str, list[str]]:
    """Every command that writes a folder, writing to ``out``."""
    return {
        "analyze": ["analyze", "--config", study, "--out", out],
        "render": ["render", "--config", study, "--out", out],
        "audit": ["audit", PUBLISHED, "--out", out],
        "replica": ["replica", "--out", out],
        "paper": ["paper", "--config", study, "--results", out, "--no-validate"],
    }


@pytest.mark.parametrize("command", ["analyze", "render", "audit", "replica", "paper"])
def test_existing_file_as_output_is_an_error_and_stays(command, study, tmp_path, capsys):
    target = tmp_path / "keep.txt"
    target.write_text("the user's file\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    rc, err, _ = run_cli(capsys, *_commands(study, target)[command])
    one_error(rc, err, str(target))
    assert err == [err[-1]]  # said before any work: the only line
    assert target.read_text() == "the user's file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no .keep.txt.old, no temp


@pytest.mark.parametrize("command", ["analyze", "render", "audit", "replica", "init"])
def test_output_under_a_regular_file(command, study, tmp_path, capsys):
    f = tmp_path / "somefile"
    f.write_text("x")
    argv = ["init", f / "x"] if command == "init" else _commands(study, f / "x")[command]
    rc, err, _ = run_cli(capsys, *argv)
    one_error(rc, err, str(f))
    assert f.read_text() == "x" and sorted(p.name for p in tmp_path.iterdir()) == [
        "somefile",
        "study",
    ]


@pytest.mark.parametrize("command", ["analyze", "audit", "replica"])
def test_a_users_folder_is_not_replaced(command, study, tmp_path, capsys):
    folder = tmp_path / "mine"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.txt").write_text("notes")
    (folder / "sub" / "data.csv").write_text("a,b\n1,2\n")
    before = snapshot(folder)
    rc, err, _ = run_cli(capsys, *_commands(study, folder)[command])
    one_error(rc, err, str(folder), "not written by cetrus")
    assert snapshot(folder) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_own_folder_is_replaced_and_other_kinds_are_not(results_of, tmp_path, capsys):
    out = tmp_path / "audit"
    assert run_cli(capsys, "audit", PUBLISHED, "--out", out)[0] == 0
    assert (out / MARKER).read_text().split()[0] == "audit"
    (out / "stale.txt").write_text("from before")
    assert run_cli(capsys, "audit", PUBLISHED, "--out", out)[0] == 0  # replaced as a whole
    assert not (out / "stale.txt").exists() and (out / "findings.json").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
    # a results folder is not an audit folder, nor a place to render into
    results = results_of.parent / "results"
    before = snapshot(results)
    one_error(
        *run_cli(capsys, "audit", PUBLISHED, "--out", results)[:2], str(results), "analysis results"
    )
    one_error(
        *run_cli(capsys, "render", "--config", results_of, "--out", results)[:2], str(results)
    )
    assert snapshot(results) == before


def test_folder_of_an_older_cetrus_is_replaced(tmp_path, capsys):
    out = tmp_path / "audit"
    out.mkdir()
    for name in ("findings.json", "audit.html"):  # what every audit folder holds
        (out / name).write_text("old")
    assert run_cli(capsys, "audit", PUBLISHED, "--out", out)[0] == 0
    assert (out / "findings.json").read_text() != "old" and (out / MARKER).is_file()


@pytest.mark.parametrize(
    "argv",
    [
        ["replica", "--out", ""],
        ["audit", str(PUBLISHED), "--out", ""],
        ["analyze", "--out", ""],
        ["render", "--out", ""],
        ["extract", "m.csv", "--out", ""],
        ["validate", "--results", ""],
        ["stat", "auc", "", "--outcome", "y", "--marker", "x"],
    ],
)
def test_empty_path_is_refused(argv, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, err, _ = run_cli(capsys, *argv)
    one_error(rc, err, "empty string")
    assert list(tmp_path.iterdir()) == []


def test_current_folder_is_never_the_output(tmp_path, capsys, monkeypatch):
    (tmp_path / "work.txt").write_text("w")
    (tmp_path / MARKER).write_text("audit\n")  # even one that looks like cetrus's
    monkeypatch.chdir(tmp_path)
    for out, said in (
        (".", "must be named"),
        ("..", "must be named"),
        (str(tmp_path), "current folder"),
        (str(tmp_path.parent), "current folder"),
    ):
        rc, err, _ = run_cli(capsys, "audit", PUBLISHED, "--out", out)
        one_error(rc, err, said)
    assert (tmp_path / "work.txt").read_text() == "w"


def test_symlinked_output_is_refused(tmp_path, capsys):
    real = tmp_path / "real"
    assert run_cli(capsys, "audit", PUBLISHED, "--out", real)[0] == 0
    link = tmp_path / "link"
    link.symlink_to(real)
    before = snapshot(real)
    one_error(*run_cli(capsys, "audit", PUBLISHED, "--out", link)[:2], str(link), "symbolic link")
    assert link.is_symlink() and snapshot(real) == before


# --------------------------------------------------------------------------- full disk


def _full_disk_writer(real):
    """write_outputs that writes a little, then meets a full disk (ENOSPC) as matplotlib,
    pandas or pyarrow would report it."""

    def write(results, artifacts, config, folder, **kw):
        (Path(folder) / "tables").mkdir(exist_ok=True)
        (Path(folder) / "tables" / "half.csv").write_text("a,b\n")
        raise OSError(
            errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(folder) / "figures" / "x.png")
        )

    return write


def test_full_disk_during_analyze_keeps_the_previous_results(results_of, capsys, monkeypatch):
    import cetrus.report.outputs as outputs

    results = results_of.parent / "results"
    before = snapshot(results)
    monkeypatch.setattr(outputs, "write_outputs", _full_disk_writer(outputs.write_outputs))
    rc, err, _ = run_cli(capsys, "analyze", "--config", results_of)
    line = one_error(rc, err, f"cannot write {results}", "No space left on device")
    assert ".tmp-" not in line  # the output the user named, not cetrus's temp folder
    assert snapshot(results) == before
    assert not [p for p in results.parent.iterdir() if p.name.startswith(".results")]


def test_permission_error_while_writing_is_one_line(study, tmp_path, capsys, monkeypatch):
    import cetrus.audit.report as report

    def denied(pub, findings, path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(report, "write_html", denied)
    out = tmp_path / "a"
    rc, err, _ = run_cli(capsys, "audit", PUBLISHED, "--out", out)
    one_error(rc, err, f"cannot write {out}", "Permission denied")
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def _mount_tmpfs(where: Path, options: str) -> None:
    where.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({proc.stderr.strip()[:80]}); the in-process "
            "fault injections above cover the same paths"
        )


@pytest.fixture
def mounts(tmp_path):
    made: list[Path] = []

    def mount(name: str, options: str) -> Path:
        p = tmp_path / name
        _mount_tmpfs(p, options)
        made.append(p)
        return p

    yield mount
    for p in made:
        subprocess.run(["umount", "-l", str(p)], capture_output=True)


def test_real_full_disk(mounts, capsys):
    disk = mounts("full", "size=16k")
    for argv, out in (
        (["audit", PUBLISHED, "--out"], disk / "audit"),
        (["replica", "--out"], disk / "replica"),
    ):
        rc, err, _ = run_cli(capsys, *argv, out)
        one_error(rc, err, f"cannot write {out}", "No space left on device")
        assert list(disk.iterdir()) == []  # the temp folder went with the failure
    (disk / "ballast").write_bytes(b"\0" * 12_000)  # too little room left for the templates
    rc, err, _ = run_cli(capsys, "init", disk / "new")
    one_error(rc, err, f"cannot write {disk / 'new'}", "No space left on device")
    assert [p.name for p in disk.iterdir()] == ["ballast"]  # init removed what it wrote


def test_real_read_only_folder(mounts, study, capsys):
    ro = mounts("ro", "size=64k,ro")
    for argv, out in (
        (["analyze", "--config", study, "--out"], ro / "res"),
        (["render", "--config", study, "--out"], ro / "out"),
        (["audit", PUBLISHED, "--out"], ro / "a"),
        (["replica", "--out"], ro / "r"),
        (["init"], ro / "i"),
    ):
        rc, err, _ = run_cli(capsys, *argv, out)
        one_error(rc, err, str(out), "read-only file system")
        assert err == [err[-1]]  # said before any analysis


# --------------------------------------------------------------------------- output files


@pytest.fixture
def manifest(tmp_path) -> Path:
    """A manifest whose one row is missing its image: extraction fails at once."""
    m = tmp_path / "m.csv"
    m.write_text("patient_id,modality,rater,image,mask\nP1,US,r1,missing.png,missing.png\n")
    return m


@pytest.mark.parametrize("case", ["folder", "user_file", "under_file", "device"])
def test_extract_out_is_checked_before_extraction(case, manifest, tmp_path, capsys):
    user = tmp_path / "notes.parquet"
    user.write_text("not a cetrus parquet")
    out = {
        "folder": tmp_path,
        "user_file": user,
        "under_file": user / "f.parquet",
        "device": Path("/dev/null"),
    }[case]
    said = {
        "folder": "is a folder",
        "user_file": "not written by cetrus",
        "under_file": f"{user} is a file",
        "device": "not a regular file",
    }[case]
    rc, err, _ = run_cli(capsys, "extract", manifest, "--out", out, "--weights", "none")
    one_error(rc, err, str(out), said)
    assert user.read_text() == "not a cetrus parquet"


def test_stale_temp_files_of_dead_runs_are_removed(manifest, tmp_path, capsys):
    import sys

    from cetrus._fs import write_text_atomic

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    dead, live = proc.pid, os.getpid()
    out = tmp_path / "f.parquet"
    stale = [tmp_path / f".f.parquet.{dead}.tmp", tmp_path / f".f.parquet.tmp-{dead}-0a1b2c3d"]
    kept = [tmp_path / f".f.parquet.{live}.tmp", tmp_path / ".f.parquet.notes"]
    for p in stale + kept:
        p.write_bytes(b"\0" * 1000)
    rc, err, _ = run_cli(capsys, "extract", manifest, "--out", out, "--weights", "none")
    one_error(rc, err, "missing.png")  # the extraction failed; the clean-up happened first
    assert not any(p.exists() for p in stale) and all(p.exists() for p in kept)
    # the parity files `cetrus validate` writes go through the same temp-file rule
    target = tmp_path / "parity.md"
    (tmp_path / f".parity.md.tmp-{dead}-00ff00ff").write_text("half")
    write_text_atomic(target, "whole\n")
    assert target.read_text() == "whole\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".parity")]
