"""``cetrus stat icc | nomogram``: the issue's JSON keys, equal to the API; exit 2 + one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cetrus.stats.nomogram import nomogram
from cetrus.stats.reliability import FORMS, icc_wide

SF = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)
INFERT = Path(__file__).resolve().parents[1] / "stats" / "data" / "infert.csv"
FORM_KEYS = {"estimate", "statistic", "df1", "df2", "pvalue", "ci_low", "ci_high"}


@pytest.fixture()
def ratings(tmp_path):
    frame = pd.DataFrame(
        {
            "roi": np.repeat([f"p{i}" for i in range(6)], 4),
            "reader": np.tile(["J1", "J2", "J3", "J4"], 6),
            "value": SF.ravel(),
        }
    )
    path = tmp_path / "ratings.csv"
    frame.to_csv(path, index=False)
    return path, frame


def _icc_args(path, *extra):
    return (
        "stat",
        "icc",
        path,
        "--targets",
        "roi",
        "--raters",
        "reader",
        "--ratings",
        "value",
        *extra,
    )


def test_icc_json_has_six_forms_equal_to_api(cli, ratings):
    path, _ = ratings
    code, out, err = cli(*_icc_args(path, "--conf-level", "0.9"))
    assert code == 0 and err == ""
    got = json.loads(out)
    ref = icc_wide(SF, conf_level=0.9)
    for form in FORMS:
        assert set(got[form]) >= FORM_KEYS
        for key in FORM_KEYS:
            assert got[form][key] == pytest.approx(getattr(ref[form], key), abs=1e-15)
    # psych::ICC(sf, lmer = FALSE)$results["Single_random_raters", "ICC"]
    assert got["ICC2"]["estimate"] == pytest.approx(0.28976377952755922, abs=1e-12)
    assert got["ICC2"]["mcgraw_wong"] == "ICC(A,1)"
    assert (got["n_targets"], got["n_raters"], got["conf_level"]) == (6, 4, 0.9)


def test_icc_missing_rating_error_and_drop_incomplete(cli, ratings, tmp_path):
    _, frame = ratings
    frame = frame.copy()
    frame.loc[5, "value"] = np.nan
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    code, out, err = cli(*_icc_args(path))
    assert code == 2 and out == ""
    assert (
        err.count("\n") == 1
        and "missing ratings for 1 target" in err
        and "--drop-incomplete" in err
    )
    code, out, err = cli(*_icc_args(path, "--drop-incomplete"))
    assert code == 0
    got = json.loads(out)
    assert got["n_dropped"] == 1 and got["n_targets"] == 5
    assert got["ICC3"]["estimate"] == pytest.approx(
        icc_wide(np.delete(SF, 1, axis=0)).ICC3.estimate
    )


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda f: f[f.reader == "J1"], "at least two raters"),
        (lambda f: f[f.roi == "p0"], "at least two targets"),
        (lambda f: pd.concat([f, f.iloc[[0]]]), "pair ('p0', 'J1') is rated 2 times"),
        (
            lambda f: f.astype({"value": object}).assign(
                value=lambda g: g["value"].where(g.index != 3, "high")
            ),
            "non-numeric rating 'high'",
        ),
    ],
)
def test_icc_bad_input_exit_2_one_line(cli, ratings, tmp_path, mutate, message):
    _, frame = ratings
    path = tmp_path / "bad.csv"
    mutate(frame).to_csv(path, index=False)
    code, out, err = cli(*_icc_args(path))
    assert code == 2 and out == ""
    assert err.startswith("cetrus: error:") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_icc_unknown_column(cli, ratings):
    path, _ = ratings
    code, _, err = cli(
        "stat", "icc", path, "--targets", "roi", "--raters", "who", "--ratings", "value"
    )
    assert code == 2 and "column 'who' not found" in err and err.count("\n") == 1


# --------------------------------------------------------------------------- nomogram


def test_nomogram_json_keys_rows_in_file_order(cli, tmp_path):
    pytest.importorskip("cetrus.stats.logistic")
    fig = tmp_path / "figs" / "nomo"
    code, out, err = cli(
        "stat",
        "nomogram",
        INFERT,
        "--outcome",
        "case",
        "--predictor",
        "age",
        "--predictor",
        "parity",
        "--predictor",
        "induced",
        "--predictor",
        "spontaneous",
        "--figure",
        fig,
    )
    assert code == 0, err
    got = json.loads(out)
    frame = pd.read_csv(INFERT)
    preds = ["age", "parity", "induced", "spontaneous"]
    ref = nomogram(frame, "case", preds)
    assert got["scale"] == pytest.approx(ref.scale, rel=1e-12)
    assert set(got["axes"]) == set(preds)
    for p in preds:
        assert got["axes"][p]["values"] == pytest.approx(ref.axes[p].values.tolist())
        assert got["axes"][p]["points"] == pytest.approx(ref.axes[p].points.tolist())
    assert len(got["rows"]) == len(frame)
    assert [r["total_points"] for r in got["rows"]] == pytest.approx(ref.points(frame).tolist())
    assert [r["probability"] for r in got["rows"]] == pytest.approx(ref.probability(frame).tolist())
    # rms (lrm coefficients, see tests/stats/test_nomogram.py): spontaneous spans 100 points
    assert got["axes"]["spontaneous"]["points"] == pytest.approx([0, 50, 100], abs=1e-5)
    assert [Path(p).suffix for p in got["figure"]] == [".png", ".svg"]
    assert all(Path(p).stat().st_size > 1000 for p in got["figure"])


def test_nomogram_separated_model_exit_2(cli, tmp_path):
    pytest.importorskip("cetrus.stats.logistic")
    path = tmp_path / "sep.csv"
    pd.DataFrame({"x": np.arange(20.0), "y": [0] * 10 + [1] * 10}).to_csv(path, index=False)
    code, out, err = cli("stat", "nomogram", path, "--outcome", "y", "--predictor", "x")
    assert code == 2 and out == "" and err.count("\n") == 1 and "converge" in err


def test_nomogram_categorical_predictor_gets_a_level_axis(cli, tmp_path):
    path = tmp_path / "cat.csv"
    rng = np.random.default_rng(5)
    x = rng.choice(["a", "b", "c"], 120)
    y = (rng.random(120) < np.where(x == "a", 0.2, np.where(x == "b", 0.5, 0.7))).astype(int)
    pd.DataFrame({"x": x, "y": y}).to_csv(path, index=False)
    code, out, err = cli("stat", "nomogram", path, "--outcome", "y", "--predictor", "x")
    assert code == 0, err
    got = json.loads(out)
    assert got["axes"]["x"]["values"] == ["a", "b", "c"] and got["axes"]["x"]["discrete"]
    assert set(got["coefficients"]) == {"(Intercept)", "xb", "xc"}


def test_nomogram_unusable_predictor_exit_2(cli, tmp_path):
    path = tmp_path / "const.csv"
    pd.DataFrame({"x": ["a"] * 20, "y": [0, 1, 1, 0] * 5}).to_csv(path, index=False)
    code, out, err = cli("stat", "nomogram", path, "--outcome", "y", "--predictor", "x")
    assert code == 2 and out == "" and err.count("\n") == 1 and "'x' is constant" in err


def test_cli_subprocess_no_traceback(ratings, tmp_path):
    _, frame = ratings
    path = tmp_path / "dup.csv"
    pd.concat([frame, frame.iloc[[0]]]).to_csv(path, index=False)
    proc = subprocess.run(
        [sys.executable, "-m", "cetrus.cli", *map(str, _icc_args(path))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
