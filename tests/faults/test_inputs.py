"""Bad inputs: one line naming the file, key or value — before any analysis runs."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.faults.conftest import one_error, run_cli


def _set(toml: Path, section: str, line: str) -> None:
    """Set one key of ``[section]`` (replacing its line if present)."""
    name = line.split("=")[0].strip()
    lines = toml.read_text().splitlines()
    head = f"[{section}]"
    if head not in lines:
        lines += ["", head]
    at = lines.index(head)
    end = next((i for i in range(at + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    body = [ln for ln in lines[at + 1 : end] if ln.split("=")[0].strip() != name]
    toml.write_text("\n".join(lines[: at + 1] + [line] + body + lines[end:]) + "\n")


@pytest.mark.parametrize(
    "section, line, key, shown",
    [
        ("selection", 'icc_form = "ICC9"', "selection.icc_form", "'ICC9'"),
        ("output", "decimals = -1", "output.decimals", "-1"),
        ("output", "dpi = 0", "output.dpi", "0"),
        ("output", 'figure_formats = ["png", "gif"]', "output.figure_formats[1]", "'gif'"),
        ("selection", "spearman_rho = 1.5", "selection.spearman_rho", "1.5"),
        ("selection", "lasso_folds = 1", "selection.lasso_folds", "1"),
        ("selection", "conf_level = nan", "selection.conf_level", "nan"),
        ("extraction", "image_size = 0", "extraction.image_size", "0"),
        ("extraction", "seed = -1", "extraction.seed", "-1"),
        ("missing", 'policy = "impute"', "missing.policy", "'impute'"),
        ("table1", 'percent_base = "row"', "table1.percent_base", "'row'"),
    ],
)
def test_config_values_are_checked_at_load(study, capsys, section, line, key, shown):
    _set(study, section, line)
    rc, err, _ = run_cli(capsys, "analyze", "--config", study)
    one_error(rc, err, "study.toml", key, shown)
    assert err == [err[-1]]  # no step ran
    assert not (study.parent / "results").exists()


@pytest.mark.parametrize(
    "line, shown", [("workers = -3", "-3"), ("spread = 1", "1"), ('integrated = "CT"', "'CT'")]
)
def test_models_values_are_checked_at_load(study, capsys, line, shown):
    _set(study, "models", line)
    rc, err, _ = run_cli(capsys, "analyze", "--config", study)
    one_error(rc, err, "study.toml", "models.", shown)


def test_non_utf8_study_toml(study, capsys):
    study.write_bytes(study.read_bytes().replace(b'title = "SYNTHETIC', b'title = "\xff\xfeSYN'))
    rc, err, _ = run_cli(capsys, "analyze", "--config", study)
    one_error(rc, err, "study.toml", "not UTF-8")


@pytest.mark.parametrize(
    "content, said",
    [
        (b'{"res": {"x": "\xff"}}', "not UTF-8"),
        (b"res: [1, 2", "not the values file"),
        (b'["res"]', "not the values file"),
    ],
)
def test_bad_values_yml_is_named_before_pandoc(results_of, tmp_path, capsys, content, said):
    import shutil

    results = tmp_path / "results"
    shutil.copytree(results_of.parent / "results", results)
    (results / "values.yml").write_bytes(content)
    rc, err, _ = run_cli(
        capsys, "render", "--config", results_of, "--results", results, "--out", tmp_path / "docs"
    )
    one_error(rc, err, str(results / "values.yml"), said)
    assert not (tmp_path / "docs").exists()


def test_non_utf8_manuscript_is_named(results_of, tmp_path, capsys):
    qmd = results_of.parent / "manuscript.qmd"
    qmd.write_bytes(b"# Title \xff\n")
    try:
        rc, err, _ = run_cli(capsys, "render", "--config", results_of, "--out", tmp_path / "d")
        one_error(rc, err, str(qmd), "not UTF-8")
    finally:
        qmd.unlink()


def test_corrupt_parquet(tmp_path, study, capsys):
    good = study.parent / "features" / "BMODE_r1.parquet"
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    rc, err, _ = run_cli(capsys, "stat", "compare", bad, "--group", "a", "--variable", "b")
    one_error(rc, err, str(bad), "cannot read")
    good.write_bytes(bad.read_bytes())  # the study's own features file, truncated
    rc, err, _ = run_cli(capsys, "analyze", "--config", study)
    one_error(rc, err, "BMODE_r1.parquet")
    assert not (study.parent / "results").exists()


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["replica", "--out", "r", "--seed", "-1"], "--seed"),
        (["replica", "--out", "r", "--split-seed", "-1"], "--split-seed"),
        (["replica", "--out", "r", "--seed", "4294967296"], "--seed"),
        (["replica", "--out", "r", "--seed", "1.5"], "--seed"),
        (["extract", "m.csv", "--out", "f.parquet", "--seed", "-7"], "--seed"),
        (["extract", "m.csv", "--out", "f.parquet", "--size", "0"], "--size"),
        (["extract", "m.csv", "--out", "f.parquet", "--margin", "-1"], "--margin"),
        (["extract", "m.csv", "--out", "f.parquet", "--batch-size", "0"], "--batch-size"),
        (["stat", "auc", "d.csv", "--outcome", "y", "--marker", "x", "--seed", "-1"], "--seed"),
        (["stat", "select", "d.csv", "--outcome", "y", "--seed", "-2"], "--seed"),
        (["stat", "select", "d.csv", "--outcome", "y", "--folds", "1"], "--folds"),
        (
            [
                "stat",
                "auc",
                "d.csv",
                "--outcome",
                "y",
                "--score",
                "x",
                "--method",
                "bootstrap",
                "--n-boot",
                "10000000000",
            ],
            "--n-boot",
        ),
    ],
)
def test_bad_numbers_on_the_command_line(argv, flag, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rc, err, _ = run_cli(capsys, *argv)
    one_error(rc, err, f"argument {flag}", repr(argv[-1]))
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- not regular files


@pytest.fixture
def fifo(tmp_path) -> Path:
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    return p


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_devices_and_fifos_are_refused_not_read(special, fifo, tmp_path, capsys):
    path = str(fifo) if special == "fifo" else special
    rc, err, _ = run_cli(capsys, "stat", "compare", path, "--group", "g", "--variable", "v")
    one_error(rc, err, path, "not a regular file")
    rc, err, _ = run_cli(capsys, "analyze", "--config", path)
    one_error(rc, err, path, "not a regular file")
    rc, err, _ = run_cli(capsys, "audit", path, "--out", tmp_path / "a")
    one_error(rc, err, path)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"patient_id,modality,rater,image,mask\nP1,US,r1,{path},{path}\n")
    for argv in (
        ["extract", path, "--out", tmp_path / "f.parquet"],
        ["extract", manifest, "--out", tmp_path / "f.parquet", "--weights", "none"],
    ):
        rc, err, _ = run_cli(capsys, *argv)
        one_error(rc, err, path, "not a regular file")


# --------------------------------------------------------------------------- huge images


def _png_header(path: Path, width: int, height: int) -> None:
    """A PNG whose header declares width x height (no pixel data worth decoding)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("width, height", [(20000, 20000), (10000, 10000), (9000, 9000)])
def test_huge_image_is_refused_before_decoding(width, height, tmp_path, capsys):
    from PIL import Image

    from cetrus.errors import InputError
    from cetrus.imaging.io import MAX_PIXELS, image_shape, read_image, read_mask

    assert width * height > MAX_PIXELS
    big = tmp_path / "big.png"
    _png_header(big, width, height)
    mask = tmp_path / "mask.png"
    m = np.zeros((64, 64), np.uint8)
    m[20:40, 20:40] = 255
    Image.fromarray(m).save(mask)
    for fn in (image_shape, read_image, read_mask):
        with pytest.raises(InputError, match="big.png"):
            fn(big)
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"patient_id,modality,rater,image,mask\nP1,US,r1,{big},{mask}\n")
    rc, err, _ = run_cli(
        capsys,
        "extract",
        manifest,
        "--out",
        tmp_path / "f.parquet",
        "--weights",
        "none",
        "--no-cache",
    )
    one_error(rc, err, str(big), f"{MAX_PIXELS:,}")
    assert err == [err[-1]]  # no Pillow DecompressionBombWarning line either
    assert not (tmp_path / "f.parquet").exists()


# --------------------------------------------------------------------------- last resort


def test_unexpected_error_is_one_line(monkeypatch, capsys, tmp_path):
    import cetrus.study.replica as replica

    def broken(*a, **k):
        raise RuntimeError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(replica, "make_replica", broken)
    rc, err, _ = run_cli(capsys, "replica", "--out", tmp_path / "r")
    one_error(
        rc, err, "internal error", "RuntimeError", "something nobody foresaw", "CETRUS_TRACEBACK"
    )
    monkeypatch.setenv("CETRUS_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        run_cli(capsys, "replica", "--out", tmp_path / "r")
