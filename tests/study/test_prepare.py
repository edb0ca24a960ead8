"""`cetrus prepare` (quarto render's pre-render step) and `cetrus analyze --if-stale`:
the analysis runs again only when the content of its inputs changed."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from cetrus.cli import main
from cetrus.study.config import load_config
from cetrus.study.freshness import INPUTS_FILE, fingerprint, is_fresh
from tests.study.conftest import write_tiny_study


def _stamp(results):
    return (results / "results.json").stat().st_mtime_ns


@pytest.fixture
def study(tmp_path):
    return write_tiny_study(tmp_path, n=120)


def test_if_stale_skips_only_while_inputs_are_unchanged(study, capsys):
    config = load_config(study)
    results = config.results_dir
    assert main(["analyze", "--config", str(study), "--if-stale"]) == 0
    first = _stamp(results)
    recorded = json.loads((results / INPUTS_FILE).read_text())
    assert recorded == fingerprint(config) and recorded["files"] == 1 + 3 * 2
    capsys.readouterr()

    # unchanged content (a touch changes the time, not the bytes): skipped
    os.utime(config.clinical, None)
    assert main(["analyze", "--config", str(study), "--if-stale"]) == 0
    assert _stamp(results) == first
    assert "analysis skipped" in capsys.readouterr().err

    # one clinical value changed: analysed again
    clinical = pd.read_csv(config.clinical)
    clinical.loc[0, "age"] += 1.0
    clinical.to_csv(config.clinical, index=False)
    assert not is_fresh(results, fingerprint(config))
    assert main(["analyze", "--config", str(study), "--if-stale"]) == 0
    second = _stamp(results)
    assert second != first
    assert is_fresh(results, fingerprint(config))

    # a feature file changed: analysed again
    feat = config.modalities[0].features[0][1]
    frame = pd.read_parquet(feat)
    frame.iloc[0, 1] = frame.iloc[0, 1] + 1
    frame.to_parquet(feat, index=False)
    assert not is_fresh(results, fingerprint(config))

    # without --if-stale the analysis always runs
    assert main(["analyze", "--config", str(study)]) == 0
    assert _stamp(results) != second


def test_config_edit_makes_results_stale(study):
    config = load_config(study)
    assert main(["analyze", "--config", str(study)]) == 0
    assert is_fresh(config.results_dir, fingerprint(config))
    study.write_text(study.read_text() + "\n# a comment is an edit too\n")
    config = load_config(study)
    assert not is_fresh(config.results_dir, fingerprint(config))


def test_incomplete_results_are_stale(study):
    config = load_config(study)
    assert main(["analyze", "--config", str(study)]) == 0
    (config.results_dir / "values.yml").unlink()
    assert not is_fresh(config.results_dir, fingerprint(config))


def test_prepare_twice_analyses_once(study, capsys):
    config = load_config(study)
    assert main(["prepare", "--config", str(study), "--no-validate"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["analysis"] == "ran" and out["parity"].startswith("skipped")
    first = _stamp(config.results_dir)
    assert main(["prepare", "--config", str(study), "--no-validate"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["analysis"] == "current"
    assert _stamp(config.results_dir) == first


@pytest.mark.slow
def test_prepare_validates_once_against_r(study, r, capsys):
    config = load_config(study)
    assert main(["prepare", "--config", str(study)]) == 0
    assert json.loads(capsys.readouterr().out)["parity"] == "ran"
    parity = (config.results_dir / "parity.csv").stat().st_mtime_ns
    assert main(["prepare", "--config", str(study)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["analysis"] == "current" and out["parity"] == "current"
    assert (config.results_dir / "parity.csv").stat().st_mtime_ns == parity
