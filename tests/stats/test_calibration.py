"""Tests of cetrus.stats.calibration (live R parity lives in validation/cases/calibration.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cetrus.errors import InputError
from cetrus.stats.calibration import lowess, val_prob

P = [
    0.708,
    0.423,
    0.78,
    0.643,
    0.13,
    0.879,
    0.697,
    0.718,
    0.159,
    0.433,
    0.365,
    0.838,
    0.597,
    0.749,
    0.427,
    0.243,
    0.521,
    0.104,
    0.753,
    0.587,
    0.694,
    0.351,
    0.875,
    0.809,
    0.712,
    0.215,
    0.447,
    0.087,
    0.181,
    0.631,
    0.683,
    0.872,
    0.327,
    0.365,
    0.449,
    0.211,
    0.16,
    0.454,
    0.243,
    0.619,
    0.422,
    0.758,
    0.645,
    0.316,
    0.757,
    0.734,
    0.379,
    0.295,
    0.63,
    0.169,
    0.22,
    0.056,
    0.719,
    0.615,
    0.649,
    0.714,
    0.44,
    0.533,
    0.169,
    0.147,
]
Y = [
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    1,
    1,
    0,
    1,
    1,
    0,
    1,
    1,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    1,
    1,
    1,
    1,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
]

# R 4.2.2, rms 6.5-0: rms::val.prob(P, Y, pl = FALSE)
R_VALPROB = {
    "dxy": 0.545142857142857,
    "c": 0.772571428571429,
    "r2": 0.243790111333945,
    "d": 0.183148267203863,
    "d_chisq": 11.9888960322318,
    "u": -0.00398851427820759,
    "u_chisq": 1.76068914330754,
    "u_pvalue": 0.414640013868428,
    "q": 0.187136781482071,
    "brier": 0.199921733333333,
    "intercept": -0.387478043575405,
    "slope": 0.981294275193839,
    "emax": 0.134717548579391,
    "e90": 0.130816021392342,
    "eavg": 0.0745670137677808,
    "spiegelhalter_z": 0.299548276750993,
    "spiegelhalter_pvalue": 0.764521742444794,
}


def test_frozen_val_prob():
    res = val_prob(Y, P)
    for field, value in R_VALPROB.items():
        # 1e-7: rms's lrm.fit stops at |Δ(−2LL)| <= 0.025·… (intercept/slope ~1e-8 from the MLE)
        assert getattr(res, field) == pytest.approx(value, abs=1e-7), field
    assert res.n == 60 and res.events == sum(Y)


def _naive_auc(p, y):
    p, y = np.asarray(p), np.asarray(y)
    cases, controls = p[y == 1], p[y == 0]
    return np.mean([(a > b) + 0.5 * (a == b) for a in cases for b in controls])


def test_exact_auc_and_binned_c():
    res = val_prob(Y, P)
    assert res.auc == pytest.approx(_naive_auc(P, Y))
    # rms bins probabilities into 1/5000 cells: C differs from the exact AUC by little
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.99, 400)
    y = (rng.random(400) < p).astype(int)
    r = val_prob(y, p)
    assert abs(r.c - r.auc) < 1e-3 and r.dxy == pytest.approx(2 * (r.c - 0.5))


def test_perfect_calibration_properties():
    # probabilities equal to the recalibrated fit: intercept 0, slope 1 (logistic score equations)
    from cetrus.stats.logistic import _irls

    rng = np.random.default_rng(3)
    lp = rng.normal(size=300)
    y = (rng.random(300) < 1 / (1 + np.exp(-lp))).astype(float)
    fit = _irls(np.column_stack([np.ones(300), lp]), y)
    p = 1 / (1 + np.exp(-(fit.beta[0] + fit.beta[1] * lp)))
    res = val_prob(y, p)
    assert res.intercept == pytest.approx(0, abs=1e-8) and res.slope == pytest.approx(1, abs=1e-8)
    assert res.u_chisq == pytest.approx(0, abs=1e-8)
    assert res.brier == pytest.approx(np.mean((p - y) ** 2))


def test_lowess_matches_naive_local_fits_without_delta():
    # with delta = 0 every point gets its own tricube-weighted linear fit
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(0, 1, 40))
    y = np.sin(4 * x) + rng.normal(0, 0.1, 40)
    xs, fit = lowess(x, y, f=0.5, delta=0.0)
    k = int(0.5 * 40 + 1e-7)
    for i in (0, 7, 20, 39):
        d = np.abs(x - x[i])
        h = np.sort(d)[k - 1]
        w = np.where(d < 0.999 * h, (1 - (d / h) ** 3) ** 3, 0.0)
        A = np.column_stack([np.ones(40), x - x[i]])
        beta = np.linalg.solve(A.T @ (A * w[:, None]), A.T @ (w * y))
        assert fit[i] == pytest.approx(beta[0], abs=1e-10)


def test_constant_predictions_follow_val_prob_special_case():
    y = [0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
    res = val_prob(y, [0.25] * 10)
    assert (res.dxy, res.c, res.slope) == (0.0, 0.5, 0.0)
    assert res.intercept == pytest.approx(math.log(0.3 / 0.7))
    assert res.eavg == pytest.approx(0.05)


@pytest.mark.parametrize(
    "y, p, match",
    [
        ([0, 1, 1], [0.2, 1.0, 0.5], "strictly between 0 and 1"),
        ([0, 1, 2], [0.2, 0.3, 0.5], "exactly two levels"),
        ([1, 1, 1], [0.2, 0.3, 0.5], "single level"),
        ([0, 1, 1], [0.2, np.nan, 0.5], "missing"),
        ([0, 1], [0.2, 0.3, 0.5], "same length"),
    ],
)
def test_bad_input(y, p, match):
    with pytest.raises(InputError, match=match):
        val_prob(y, p)


def test_figure_writes_png_and_svg(tmp_path):
    from cetrus.report.fig_calibration import plot_calibration

    paths = plot_calibration(Y, P, tmp_path / "cal" / "fig")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
    assert "Logistic calibration" in paths[1].read_text()


# --------------------------------------------------------------------------- display and API (issue 14)


def test_val_prob_result_presents_itself_as_rms_prints_it():
    import dataclasses

    res = val_prob(Y, P)
    assert len(repr(res)) < 200 and repr(res).startswith("CalibrationResult(")
    assert "spiegelhalter_pvalue=" in repr(res)
    text = str(res)
    names = text.splitlines()[0].split()
    assert names[:2] == ["Dxy", "C"]  # "C (ROC)", as val.prob names it
    for name in (
        "D:Chi-sq",
        "D:p",
        "U:Chi-sq",
        "U:p",
        "Brier",
        "Intercept",
        "Slope",
        "Emax",
        "E90",
        "Eavg",
        "S:z",
        "S:p",
    ):
        assert name in text
    assert all(len(line) <= 80 for line in text.splitlines())
    frame = res.to_frame()
    assert frame.shape == (18, 3) and list(frame.columns) == ["statistic", "field", "value"]
    assert frame.set_index("statistic").loc["S:p", "value"] == res.spiegelhalter_pvalue
    fields = {f.name for f in dataclasses.fields(res)}
    assert {"spiegelhalter_pvalue", "d_pvalue", "u_pvalue"} <= fields
    assert not {"spiegelhalter_p", "d_p", "u_p"} & fields
    html = res._repr_html_()
    assert "<table" in html and "C (ROC)" in html


def test_val_prob_data_form_equals_arrays():
    import pandas as pd

    df = pd.DataFrame({"died": Y, "risk": P})
    assert val_prob(data=df, outcome="died", score="risk") == val_prob(Y, P)
    with pytest.raises(InputError, match="not both"):
        val_prob(Y, P, data=df, outcome="died", score="risk")
    with pytest.raises(InputError, match="no column"):
        val_prob(data=df, outcome="died", score="p")
