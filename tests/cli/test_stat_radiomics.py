"""``cetrus stat select | lasso``: JSON keys, agreement with the Python API, one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cetrus.stats.lasso import lasso_path
from cetrus.stats.selection import select_features


@pytest.fixture()
def data_file(tmp_path):
    rng = np.random.default_rng(0)
    n = 120
    X = rng.normal(size=(n, 8))
    y = (rng.random(n) < 1 / (1 + np.exp(-(1.2 * X[:, 0] - X[:, 1])))).astype(int)
    frame = pd.DataFrame(X, columns=[f"feat{j}" for j in range(8)])
    frame["dm"] = y
    frame["fold"] = np.resize(np.arange(1, 6), n)
    frame["note"] = "x"
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_select_json_matches_api(cli, data_file):
    path, frame = data_file
    rc, out, _ = cli(
        *[
            "stat",
            "select",
            str(path),
            "--outcome",
            "dm",
            "--feature-prefix",
            "feat",
            "--folds",
            "5",
            "--seed",
            "3",
        ]
    )
    assert rc == 0
    res = json.loads(out)
    for key in ("mwu_pvalues", "after_mwu", "after_spearman", "selected", "coefficients", "lambda"):
        assert key in res
    api = select_features(frame.filter(like="feat"), frame["dm"], folds=5, seed=3)
    assert res["selected"] == list(api.selected) and res["lambda"] == pytest.approx(api.lambda_)
    assert res["coefficients"] == pytest.approx(api.coefficients)
    assert set(res["mwu_pvalues"]) == {f"feat{j}" for j in range(8)} and res["n"] == 120


def test_select_with_foldid_and_no_lasso(cli, data_file):
    path, frame = data_file
    rc, out, _ = cli(
        *[
            "stat",
            "select",
            str(path),
            "--outcome",
            "dm",
            "--feature-prefix",
            "feat",
            "--foldid",
            "fold",
            "--lambda-rule",
            "1se",
        ]
    )
    assert rc == 0 and json.loads(out)["folds"] == 5
    rc, out, _ = cli(
        *["stat", "select", str(path), "--outcome", "dm", "--feature-prefix", "feat", "--no-lasso"]
    )
    res = json.loads(out)
    assert rc == 0 and res["selected"] == res["after_spearman"] and res["lambda"] is None


def test_lasso_json_matches_api(cli, data_file):
    path, frame = data_file
    rc, out, _ = cli(
        *[
            "stat",
            "lasso",
            str(path),
            "--outcome",
            "dm",
            "--feature-prefix",
            "feat",
            "--lambda",
            "0.02",
            "--lambda",
            "0.1",
        ]
    )
    assert rc == 0
    res = json.loads(out)
    assert res["lambda"] == [0.1, 0.02]
    api = lasso_path(frame.filter(like="feat"), frame["dm"], lambdas=[0.1, 0.02])
    np.testing.assert_allclose(res["intercept"], api.intercept)
    np.testing.assert_allclose(res["coef"]["feat0"], api.coef[0])
    assert len(res["coef"]) == 8


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["--feature-prefix", "zz", "--lambda", "0.1"], "no column"),
        (["--feature-prefix", "feat", "--lambda", "-1"], "non-negative"),
        (["--feature-prefix", "no", "--lambda", "0.1"], "'note'"),
    ],
)
def test_lasso_errors_are_one_line(cli, data_file, argv, fragment):
    path, _ = data_file
    rc, out, err = cli(*["stat", "lasso", str(path), "--outcome", "dm", *argv])
    assert rc == 2 and out == "" and fragment in err and err.count("\n") == 1


def test_select_bad_outcome_is_one_line(cli, data_file, tmp_path):
    path, frame = data_file
    frame.assign(dm=1).to_csv(tmp_path / "one.csv", index=False)
    rc, _, err = cli(
        *[
            "stat",
            "select",
            str(tmp_path / "one.csv"),
            "--outcome",
            "dm",
            "--feature-prefix",
            "feat",
        ]
    )
    assert rc == 2 and "two levels" in err and err.count("\n") == 1
