"""``cetrus stat compare | logit | calibration``: JSON out, exit 2 + one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cetrus.stats.calibration import val_prob
from cetrus.stats.groups import compare_groups
from cetrus.stats.logistic import logit


@pytest.fixture()
def data(tmp_path):
    rng = np.random.default_rng(1)
    n = 160
    plt = rng.normal(270, 60, n)
    drink = np.where(rng.random(n) < 0.35, "Yes", "No")
    eta = -1.5 + 0.01 * (plt - 270) + 0.6 * (drink == "Yes")
    y = rng.random(n) < 1 / (1 + np.exp(-eta))
    frame = pd.DataFrame(
        {
            "status": np.where(y, "meta", "none"),
            "PLT": plt,
            "Drinking": drink,
            "prob": np.clip(1 / (1 + np.exp(-eta)), 0.01, 0.99),
            "bad_prob": np.r_[1.0, np.full(n - 1, 0.5)],
            "const": 1.0,
            "three": rng.integers(0, 3, n),
        }
    )
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_compare_json_equals_api(cli, data):
    path, frame = data
    code, out, err = cli(
        "stat", "compare", str(path), "--group", "status", "--variable", "PLT", "--test", "welch"
    )
    assert code == 0 and err == ""
    got = json.loads(out)
    ref = compare_groups(frame, "status", "PLT", test="welch")
    assert got["test"] == "welch" and got["statistic"] == pytest.approx(ref.statistic, abs=1e-12)
    assert got["pvalue"] == pytest.approx(ref.pvalue, abs=1e-15)
    assert [g["level"] for g in got["groups"]] == ["meta", "none"]
    code, out, _ = cli("stat", "compare", str(path), "--group", "status", "--variable", "Drinking")
    assert code == 0 and json.loads(out)["test"] in ("chisq", "fisher")


def test_logit_json_equals_api(cli, data):
    path, frame = data
    code, out, err = cli(
        "stat",
        "logit",
        str(path),
        "--outcome",
        "status",
        "--predictor",
        "PLT",
        "--predictor",
        "Drinking",
        "--ci",
        "profile",
    )
    assert code == 0 and err == ""
    got = json.loads(out)
    ref = logit(frame, "status", ["PLT", "Drinking"], ci="profile")
    assert [t["term"] for t in got["terms"]] == ["(Intercept)", "PLT", "DrinkingYes"]
    assert got["terms"][1]["ci_low"] == pytest.approx(ref.terms[1].ci_low, rel=1e-12)
    assert {"n", "events", "converged", "ci_method"} <= set(got)
    assert got["ci_method"] == "profile" and got["converged"] is True
    assert got["levels"] == ["meta", "none"]  # case = larger sorted level


def test_logit_fit_and_exact_profile_options(cli, data):
    path, frame = data
    code, out, err = cli(
        "stat",
        "logit",
        str(path),
        "--outcome",
        "status",
        "--predictor",
        "PLT",
        "--ci",
        "profile_exact",
        "--fit",
        "converged",
    )
    assert code == 0 and err == ""
    ref = logit(frame, "status", ["PLT"], ci="profile_exact", fit="converged")
    got = json.loads(out)
    assert got["terms"][1]["ci_high"] == pytest.approx(ref.terms[1].ci_high, rel=1e-12)
    assert got["terms"][1]["se"] == pytest.approx(ref.terms[1].se, rel=1e-12)


def test_logit_univariate_one_row_per_predictor(cli, data):
    path, frame = data
    code, out, _ = cli(
        "stat",
        "logit",
        str(path),
        "--outcome",
        "status",
        "--positive",
        "meta",
        "--predictor",
        "PLT",
        "--predictor",
        "Drinking",
        "--univariate",
    )
    assert code == 0
    got = json.loads(out)
    assert [t["term"] for t in got["terms"]] == ["PLT", "DrinkingYes"]
    single = logit(frame, "status", ["Drinking"], positive="meta").term("DrinkingYes")
    assert got["terms"][1]["odds_ratio"] == pytest.approx(single.odds_ratio, rel=1e-12)


def test_calibration_json_equals_api(cli, data):
    path, frame = data
    code, out, err = cli(
        "stat",
        "calibration",
        str(path),
        "--outcome",
        "status",
        "--positive",
        "meta",
        "--prob",
        "prob",
    )
    assert code == 0 and err == ""
    got = json.loads(out)
    ref = val_prob(frame["status"] == "meta", frame["prob"])
    for key in (
        "dxy",
        "c",
        "r2",
        "brier",
        "intercept",
        "slope",
        "emax",
        "e90",
        "eavg",
        "spiegelhalter_z",
        "spiegelhalter_pvalue",
    ):
        assert got[key] == pytest.approx(getattr(ref, key), abs=1e-14), key


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["compare", "--group", "nope", "--variable", "PLT"], "column 'nope' not found"),
        (["compare", "--group", "three", "--variable", "PLT"], "exactly two levels"),
        (["logit", "--outcome", "three", "--predictor", "PLT"], "exactly two levels"),
        (["logit", "--outcome", "status", "--predictor", "const"], "'const' is constant"),
        (["logit", "--outcome", "status", "--predictor", "PLT", "--reference", "x"], "COL=LEVEL"),
        (["calibration", "--outcome", "status", "--prob", "bad_prob"], "strictly between 0 and 1"),
        (["calibration", "--outcome", "status", "--prob", "Drinking"], "must be numeric"),
    ],
)
def test_bad_input_exit_2_one_line(cli, data, args, fragment):
    path, _ = data
    code, out, err = cli("stat", args[0], str(path), *args[1:])
    assert code == 2 and out == ""
    assert fragment in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_separation_warns_on_stderr_and_marks_unconverged(cli, tmp_path):
    path = tmp_path / "sep.csv"
    pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [1, 2, 3, 4, 5, 6]}).to_csv(path, index=False)
    code, out, err = cli("stat", "logit", str(path), "--outcome", "y", "--predictor", "x")
    assert code == 0 and json.loads(out)["converged"] is False
    assert "separation by x" in err


def test_missing_values_subprocess(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame({"g": [0, 0, 1, 1, 0], "v": [1.0, None, 2.0, 3.0, 4.0]}).to_csv(path, index=False)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cetrus.cli",
            "stat",
            "compare",
            str(path),
            "--group",
            "g",
            "--variable",
            "v",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "missing" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
