"""The replica study's numbers, frozen: a restructuring of the pipeline or the report
changes no number of the manuscript.

``data/replica_golden.json`` holds every number of ``results.json`` (spread aside) of
the replica study (seed 0, the repository's study.toml). It was written when the
pipeline became named steps, after checking that the 1,945 values of results.json were
identical to those of the former single-function pipeline (only R's term name
``drinkingYes``, formerly ``drinking``, and a nomogram axis label changed).
Issue 11 B5 added the keys ``table1_cohort``, ``calibration_models``, ``validation``,
``validation_selection`` (its ``seconds`` and ``workers`` left out: timing and machine),
``decision`` and ``sample_size`` (and metric CIs in ``performance``); the file was
regenerated then, the numbers already in it unchanged.
A deliberate change of a statistic (e.g. matching R at its default settings) changes
these numbers: regenerate the file in the same commit and say why.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze
from cetrus.study.replica import write_replica

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "data" / "replica_golden.json"


def _differences(expected, actual, path="", out=None):
    out = [] if out is None else out
    if isinstance(expected, dict):
        for k, v in expected.items():
            if not isinstance(actual, dict) or k not in actual:
                out.append(f"{path}/{k}: missing")
            else:
                _differences(v, actual[k], f"{path}/{k}", out)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            out.append(
                f"{path}: length {len(expected)} → "
                f"{len(actual) if isinstance(actual, list) else actual!r}"
            )
        else:
            for i, (e, a) in enumerate(zip(expected, actual)):
                _differences(e, a, f"{path}/{i}", out)
    elif isinstance(expected, float) and isinstance(actual, (int, float)):
        # u_chisq is a difference of two −2 log L of ~10³ that is 0 in theory on the
        # training data (a model recalibrated on its own rows): its last bits are the
        # round-off of those sums (±1e-13 between BLAS thread counts), not a change.
        abs_tol = 1e-11 if path.endswith("/u_chisq") else 1e-14
        same = (math.isnan(expected) and math.isnan(actual)) or math.isclose(
            expected, actual, rel_tol=1e-12, abs_tol=abs_tol
        )
        if not same:
            out.append(f"{path}: {expected!r} → {actual!r}")
    elif expected != actual:
        out.append(f"{path}: {expected!r} → {actual!r}")
    return out


@pytest.mark.slow
def test_replica_numbers_unchanged(tmp_path):
    data = tmp_path / "replica"
    write_replica(data, 0, split_seed=0)
    text = (REPO / "study.toml").read_text().replace('"data/replica', f'"{data}')
    text = text.replace("spread = true ", "spread = false")
    text = text.replace('"pkg/cetrus/data/paper/', f'"{REPO}/pkg/cetrus/data/paper/')
    text = text.replace('"reports/', f'"{REPO}/reports/')
    (tmp_path / "study.toml").write_text(text)
    config = load_config(tmp_path / "study.toml")
    assert config.models.spread is False and config.clinical.parent == data
    analyze(config, tmp_path / "results")
    actual = json.loads((tmp_path / "results" / "results.json").read_text())
    expected = json.loads(GOLDEN.read_text())
    diffs = _differences(expected, actual)
    assert not diffs, f"{len(diffs)} numbers changed, first: " + "; ".join(diffs[:8])
