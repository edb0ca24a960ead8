"""validate_logistic (rms::validate.lrm): its parts by brute force, its bootstrap by hand,
bad input. The comparison with rms itself, given R's resamples, is the parity suite's
(validation/cases/optimism.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from cetrus.errors import InputError
from cetrus.stats.logistic import lrm_fit
from cetrus.stats.optimism import INDEXES, gini_md, somers_dxy, validate_logistic


def _data(n=150, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 3, n).astype(float)})
    lp = -0.5 + 1.0 * X["a"] + 0.4 * X["b"]
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    return X, y


def test_gini_md_is_the_mean_absolute_pairwise_difference():
    x = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0])
    pairs = [abs(a - b) for a, b in itertools.permutations(x, 2)]
    assert gini_md(x) == pytest.approx(np.mean(pairs), rel=1e-14)
    assert np.isnan(gini_md([1.0]))


def test_somers_dxy_counts_ties_half():
    x = np.array([0.1, 0.4, 0.4, 0.8, 0.3, 0.4])
    y = np.array([0, 0, 1, 1, 0, 1])
    pairs = [
        (1.0 if a > b else 0.5 if a == b else 0.0)
        for a, ya in zip(x, y)
        for b, yb in zip(x, y)
        if ya == 1 and yb == 0
    ]
    assert somers_dxy(x, y) == pytest.approx(2 * (np.mean(pairs) - 0.5), rel=1e-14)


def test_optimism_is_training_minus_test_over_the_given_resamples():
    X, y = _data()
    rng = np.random.default_rng(3)
    idx = rng.integers(0, len(y), size=(5, len(y)))
    res = validate_logistic(X, y, resamples=idx)
    X1 = np.column_stack([np.ones(len(y)), X.to_numpy()])
    dxy_train, dxy_test = [], []
    for rows in idx:
        fit = lrm_fit(X1[rows], y[rows].astype(float))
        lp = X1 @ fit.beta
        dxy_train.append(somers_dxy(lp[rows], y[rows]))
        dxy_test.append(somers_dxy(lp, y))
    t = res.table
    assert t.loc["Dxy", "training"] == pytest.approx(np.mean(dxy_train), rel=1e-13)
    assert t.loc["Dxy", "test"] == pytest.approx(np.mean(dxy_test), rel=1e-13)
    assert t.loc["Dxy", "optimism"] == pytest.approx(np.mean(dxy_train) - np.mean(dxy_test))
    assert (
        (t["index_corrected"] == t["index_orig"] - t["optimism"])
        .loc[[i for i in INDEXES if i != "Emax"]]
        .all()
    )
    assert t.loc["Slope", "training"] == 1.0 and t.loc["Intercept", "training"] == 0.0
    assert res.n_used == 5 and (t["n"] == 5).all()
    assert list(t.index) == list(INDEXES)
    assert "rms::validate.lrm" in str(res)


def test_seeded_resamples_repeat_and_data_form_agrees():
    X, y = _data()
    a = validate_logistic(X, y, B=8, seed=4)
    b = validate_logistic(
        data=X.assign(event=y), outcome="event", predictors=["a", "b"], B=8, seed=4
    )
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.predictors == ("a", "b")


def test_a_resample_that_cannot_be_fitted_is_skipped():
    X, y = _data(40, seed=2)
    idx = np.tile(np.arange(len(y)), (3, 1))
    idx[1] = np.flatnonzero(y == 0)[0]  # one row repeated: one outcome value, no fit
    res = validate_logistic(X, y, resamples=idx)
    assert res.n_used == 2 and res.table.loc["Dxy", "n"] == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"B": 0}, "B must be a whole number >= 1"),
        ({"B": 2.5}, "B must be"),
        ({"resamples": np.zeros((2, 3), dtype=int)}, r"resamples must be B × 150"),
        ({"resamples": np.full((2, 150), 150)}, "outside 0..n-1"),
    ],
)
def test_bad_input_is_one_clear_error(kwargs, match):
    X, y = _data()
    with pytest.raises(InputError, match=match):
        validate_logistic(X, y, **kwargs)


def test_bad_data():
    X, y = _data()
    with pytest.raises(InputError, match="0/1 with both values"):
        validate_logistic(X, np.zeros(len(y)))
    with pytest.raises(InputError, match="y has 3 values for 150 rows"):
        validate_logistic(X, [0, 1, 0])
    with pytest.raises(InputError, match="missing or infinite"):
        validate_logistic(X.assign(a=np.nan), y)
    with pytest.raises(InputError, match="no column 'zz'"):
        validate_logistic(data=X.assign(event=y), outcome="event", predictors=["zz"])
    with pytest.raises(InputError, match="numeric"):
        validate_logistic(X.assign(a="x"), y)


# --------------------------------------------------------------------------- calibrate


def test_calibrate_curve_is_apparent_minus_optimism():
    from cetrus.stats.calibration import lowess
    from cetrus.stats.optimism import calibrate_logistic

    X, y = _data(200, seed=4)
    rng = np.random.default_rng(8)
    idx = rng.integers(0, len(y), size=(4, len(y)))
    res = calibrate_logistic(X, y, resamples=idx)
    c = res.curve
    assert len(c) == 50 and res.n_used == 4
    # the grid: 5th smallest to 5th largest fitted probability
    X1 = np.column_stack([np.ones(len(y)), X.to_numpy()])
    p = np.sort(1 / (1 + np.exp(-(X1 @ lrm_fit(X1, y.astype(float)).beta))))
    assert c["predy"].iloc[0] == pytest.approx(p[4]) and c["predy"].iloc[-1] == pytest.approx(p[-5])
    # the apparent curve is lowess(p, y) read at the grid
    xs, fit = lowess(1 / (1 + np.exp(-(X1 @ lrm_fit(X1, y.astype(float)).beta))), y)
    assert c["calibrated_orig"].to_numpy() == pytest.approx(np.interp(c["predy"], xs, fit))
    np.testing.assert_allclose(c["calibrated_corrected"], c["calibrated_orig"] - c["optimism"])
    np.testing.assert_allclose(c["optimism"], c["training"] - c["test"])
    assert 0 <= res.mean_abs_error <= res.q90_abs_error + 1e-12
    assert "rms::calibrate" in str(res)


def test_calibrate_bad_input():
    from cetrus.stats.optimism import calibrate_logistic

    X, y = _data()
    with pytest.raises(InputError, match="B must be a whole number"):
        calibrate_logistic(X, y, B=-1)
    with pytest.raises(InputError, match=r"predy must be probabilities in \(0, 1\)"):
        calibrate_logistic(X, y, B=2, predy=[0.0, 0.5])
    with pytest.raises(InputError, match="n > 10"):
        calibrate_logistic(X.iloc[:8], y[:8] * 0 + np.array([0, 1] * 4), B=2)


# --------------------------------------------------------------------------- display (issue 14)


def test_validation_prints_as_print_validate_and_gives_its_table():
    X, y = _data()
    res = validate_logistic(X, y, B=10, seed=1)
    assert len(repr(res)) < 200 and "dxy_corrected=" in repr(res)
    lines = str(res).splitlines()
    assert lines[2].split() == [
        "index.orig",
        "training",
        "test",
        "optimism",
        "index.corrected",
        "n",
    ]
    assert [line.split()[0] for line in lines[3:]] == list(INDEXES)
    frame = res.to_frame()
    assert frame.shape == (11, 7) and list(frame["index"]) == list(INDEXES)
    assert frame.set_index("index").loc["Dxy", "index_corrected"] == res.dxy_corrected
    assert "<table" in res._repr_html_()


def test_calibration_prints_as_print_calibrate_and_gives_its_curve():
    from cetrus.stats.optimism import calibrate_logistic

    X, y = _data()
    res = calibrate_logistic(X, y, B=5, seed=1)
    assert len(repr(res)) < 200
    text = str(res)
    assert f"n={res.n}   Mean absolute error=" in text
    assert "0.9 Quantile of absolute error=" in text
    assert res.to_frame().shape == (50, 9)
    assert res.to_frame() is not res.curve  # a copy: the result stays frozen
