"""A rerun writes the same bytes: `cetrus replica`, `cetrus analyze` and `cetrus render`, each
run twice in fresh processes on the same inputs, leave byte-identical files (figures in PNG,
SVG and PDF, tables, values.yml, passages, results.json, the self-contained HTML, the DOCX).

The second analyze takes every ROI's features from the cache the first one filled, so this
also checks that cached and freshly extracted features give the same outputs. The only file
allowed to differ is ``run.json`` (the run's clock, kept out of ``results.json``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cetrus.cli import main
from tests.study.second_study import make_second_study

pytest.importorskip("torch")

#: files that record the run's clock, by design
CLOCK_FILES = {"run.json"}


def _snapshot(*folders: Path) -> dict[str, bytes]:
    files = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p.name not in CLOCK_FILES:
                files[str(p.relative_to(folder.parent))] = p.read_bytes()
    return files


def _cetrus(*args: str, env: dict) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cetrus.cli", *args], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, f"cetrus {' '.join(args)}: {proc.stderr[-2000:]}"


def _differing(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    names = sorted(set(first) | set(second))
    return [n for n in names if first.get(n) != second.get(n)]


@pytest.fixture
def study(tmp_path_factory):
    from cetrus.report.render import RenderError, _pandoc

    try:
        _pandoc()
    except RenderError as exc:  # pandoc is part of `make setup`: under CI its absence fails
        if os.environ.get("CI"):
            pytest.fail(f"pandoc unavailable under CI: {exc}")
        pytest.skip(f"pandoc unavailable: {exc}")
    root = tmp_path_factory.mktemp("bytes") / "study"
    assert main(["init", str(root)]) == 0
    toml = make_second_study(root, n_patients=24, images=True, image_size=64)
    text = toml.read_text()
    assert "seeds = [0, 1, 2, 3, 4]" in text and "[output]" not in text
    # a short spread; every figure format cetrus writes
    toml.write_text(
        text.replace("seeds = [0, 1, 2, 3, 4]", "seeds = [0, 1]")
        + '\n[output]\nfigure_formats = ["png", "svg", "pdf"]\n'
    )
    env = dict(os.environ, CETRUS_CACHE_DIR=str(root.parent / "cache"), MPLBACKEND="Agg")
    env.pop("SOURCE_DATE_EPOCH", None)  # the fixed default must do it alone
    return root, env


@pytest.mark.slow
def test_analyze_and_render_twice_write_the_same_bytes(study):
    root, env = study
    config = str(root / "study.toml")
    runs = []
    for _ in range(2):
        _cetrus("analyze", "--config", config, env=env)
        _cetrus("render", "--config", config, env=env)
        runs.append(_snapshot(root / "results", root / "_output"))
    first, second = runs
    figures = {Path(n).suffix for n in first if "/figures/" in n}
    assert figures == {".png", ".svg", ".pdf"}
    for name in (
        "results/results.json",
        "results/values.yml",
        "_output/manuscript.html",
        "_output/manuscript.docx",
        "_output/validation.html",
    ):
        assert name in first, name
    assert len(first) > 40
    assert _differing(first, second) == []
    assert (root / "results" / "run.json").is_file()
    # the DOCX's zip entries and its core properties carry the fixed date, not the clock's
    import zipfile

    with zipfile.ZipFile(root / "_output" / "manuscript.docx") as z:
        core = z.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in z.infolist()}
    assert stamps == {(1980, 1, 1, 0, 0, 0)}
    assert ">1980-01-01T00:00:00Z</dcterms:created>" in core
    assert ">1980-01-01T00:00:00Z</dcterms:modified>" in core


def test_replica_twice_writes_the_same_bytes(tmp_path):
    env = dict(os.environ)
    runs = []
    for _ in range(2):
        _cetrus("replica", "--out", str(tmp_path / "replica"), env=env)
        runs.append(_snapshot(tmp_path / "replica"))
    assert len(runs[0]) >= 8
    assert _differing(*runs) == []


def test_save_figure_leaves_the_users_rcparams_and_writes_no_dates(tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    from cetrus.report._figsave import save_figure

    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0], marker="o")
    try:
        with matplotlib.rc_context({"svg.hashsalt": "the user's own"}):
            paths = [save_figure(fig, tmp_path / f"a.{f}") for f in ("png", "svg", "pdf")]
            assert matplotlib.rcParams["svg.hashsalt"] == "the user's own"
            again = save_figure(fig, tmp_path / "b.svg")
        with pytest.raises(ValueError, match="eps"):
            save_figure(fig, tmp_path / "a.eps")
    finally:
        plt.close(fig)
    svg = paths[1].read_text()
    assert "<dc:date>" not in svg and 'id="' in svg
    assert again.read_bytes() == paths[1].read_bytes()
    assert b"/CreationDate" not in paths[2].read_bytes()
