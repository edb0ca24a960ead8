"""Tests of cetrus.stats.logistic (live R parity lives in validation/cases/logistic.py)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cetrus.errors import ConvergenceError, InputError, SeparationWarning
from cetrus.stats.logistic import (
    logit,
    select_predictors,
    table_two,
    univariate_logit,
)


def cohort():
    rng = np.random.default_rng(2024)
    n = 150
    plt = np.round(rng.normal(270, 60, n), 1)
    drink = np.where(rng.random(n) < 0.35, "Yes", "No")
    stage = rng.choice(["I", "II", "III"], n)
    eta = -1.2 + 0.01 * (plt - 270) + 0.7 * (drink == "Yes") + 0.4 * (stage == "III")
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return pd.DataFrame({"dm": y, "PLT": plt, "Drinking": drink, "Stage": stage})


# R 4.2.2 (d = cohort() passed through rpy2):
# ctl <- glm.control(epsilon = 1e-14, maxit = 100)
# f <- glm(dm ~ PLT + Drinking + Stage, family = binomial, data = d, control = ctl)
# summary(f)$coefficients[, 1:2], [, 4]; deviance(f)
# profile CI of PLT: uniroot of glm.fit(X[, -2], y, offset = X[, 2] * b)$deviance - dmin
#                    - qchisq(0.95, 1), tol = 1e-13
R_TERMS = ["(Intercept)", "PLT", "DrinkingYes", "StageII", "StageIII"]
R_COEF = [-3.30991608378454, 0.00947813296816754, 0.409284588068493, -0.012093974932233,
          -0.16632869179236]
R_SE = [1.02117779137385, 0.00339877803629783, 0.374714149380421, 0.425781003786577,
        0.43588020318643]
R_P = [0.00118997131723027, 0.0052921952083595, 0.27471964429617, 0.977339762928943,
       0.702763519897285]
R_PLT_PROFILE = (0.00306390702774624, 0.0164683999208248)
R_DEVIANCE = 183.817443678078


def test_frozen_r_values_wald_and_profile():
    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking", "Stage"])
    assert [t.term for t in res.terms] == R_TERMS
    assert_allclose([t.coef for t in res.terms], R_COEF, rtol=1e-9)
    assert_allclose([t.se for t in res.terms], R_SE, rtol=1e-8)
    assert_allclose([t.pvalue for t in res.terms], R_P, rtol=1e-7)
    assert res.deviance == pytest.approx(R_DEVIANCE, rel=1e-12)
    assert res.converged and res.n == 150 and res.events == int(d.dm.sum())
    plt = res.term("PLT")
    assert plt.odds_ratio == pytest.approx(math.exp(plt.coef))
    assert plt.ci_low == pytest.approx(math.exp(plt.coef - 1.959963984540054 * plt.se))
    prof = logit(d, "dm", ["PLT", "Drinking", "Stage"], ci="profile").term("PLT")
    assert_allclose(np.log([prof.ci_low, prof.ci_high]), R_PLT_PROFILE, rtol=1e-8)


def test_irls_matches_statsmodels():
    import statsmodels.api as sm

    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking"])
    X = sm.add_constant(np.column_stack([d.PLT, (d.Drinking == "Yes").astype(float)]))
    ref = sm.GLM(d.dm.to_numpy(), X, family=sm.families.Binomial()).fit(tol=1e-14)
    assert_allclose([t.coef for t in res.terms], ref.params, rtol=1e-9)
    assert_allclose([t.se for t in res.terms], ref.bse, rtol=1e-8)


def test_profile_deviance_hits_the_critical_value():
    # the defining property of the profile bound, checked by refitting with an offset
    from scipy.stats import chi2

    from cetrus.stats.logistic import _irls

    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking"], ci="profile")
    X = res.design(d)
    y = d.dm.to_numpy(float)
    for b in np.log([res.term("DrinkingYes").ci_low, res.term("DrinkingYes").ci_high]):
        f = _irls(X[:, [0, 1]], y, X[:, 2] * b)
        assert f.deviance - res.deviance == pytest.approx(chi2.ppf(0.95, 1), abs=1e-8)


def test_reference_level_and_prediction():
    d = cohort()
    a = logit(d, "dm", ["Stage"])
    b = logit(d, "dm", ["Stage"], reference={"Stage": "III"})
    assert [t.term for t in b.terms] == ["(Intercept)", "StageI", "StageII"]
    assert b.term("StageI").coef == pytest.approx(-a.term("StageIII").coef, abs=1e-9)
    assert_allclose(a.predict_proba(d), b.predict_proba(d), atol=1e-12)  # same model
    lp = a.linear_predictor(d.iloc[:3])
    assert lp.shape == (3,) and set(a.coefficients) == {"(Intercept)", "StageII", "StageIII"}
    with pytest.raises(InputError, match="not seen when the model was fitted"):
        a.predict_proba(pd.DataFrame({"Stage": ["IV"]}))


def test_scaling_per_sd_and_iqr():
    d = cohort()
    unit = logit(d, "dm", ["PLT"]).term("PLT")
    sd = logit(d, "dm", ["PLT"], scale="sd").term("PLT")
    iqr = logit(d, "dm", ["PLT"], scale={"PLT": "iqr"}).term("PLT")
    assert sd.coef == unit.coef and sd.per == pytest.approx(d.PLT.std())
    assert sd.odds_ratio == pytest.approx(unit.odds_ratio ** d.PLT.std())
    q1, q3 = np.quantile(d.PLT, [0.25, 0.75])
    assert iqr.ci_high == pytest.approx(unit.ci_high ** (q3 - q1))
    assert logit(d, "dm", ["PLT"], scale=10).term("PLT").odds_ratio == pytest.approx(
        unit.odds_ratio ** 10)


def _separated():
    return pd.DataFrame({"y": [0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
                         "x": [1.0, 2, 3, 4, 4, 5, 6, 7, 2.5, 8],
                         "z": [0.3, 1.2, -0.4, 0.8, 0.1, -1.0, 0.5, 0.2, 0.9, -0.3]})


def test_separation_is_reported_never_silent():
    with pytest.warns(SeparationWarning, match="separation by x"):
        res = logit(_separated(), "y", ["x", "z"])
    assert not res.converged and res.separation == ("x",)
    with pytest.raises(ConvergenceError, match="separation by x"):
        logit(_separated(), "y", ["x"], on_separation="raise")
    complete = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [1.0, 2, 3, 4, 5, 6]})
    with pytest.warns(SeparationWarning):
        assert not logit(complete, "y", ["x"]).converged


def test_no_false_separation_alarm():
    with warnings.catch_warnings():
        warnings.simplefilter("error", SeparationWarning)
        assert logit(cohort(), "dm", ["PLT", "Drinking", "Stage"]).separation == ()


def test_selection_rule_and_table_two():
    d = cohort()
    rng = np.random.default_rng(0)
    d["Noise"] = rng.normal(size=len(d))
    sel = select_predictors(d, "dm", ["PLT", "Drinking", "Noise"])
    assert [u.predictors for u in sel.univariate] == [("PLT",), ("Drinking",), ("Noise",)]
    uni_plt = sel.univariate[0].term("PLT")
    assert uni_plt.ci_low > 1 and "PLT" in sel.passed_univariate
    for c, u in zip(sel.candidates, sel.univariate):
        t = u.terms[1]
        assert (c in sel.passed_univariate) == (t.ci_low > 1 or t.ci_high < 1)
    assert sel.multivariable.predictors == sel.passed_univariate
    assert set(sel.retained) <= set(sel.passed_univariate)
    tab = table_two(sel)
    assert list(tab.frame.columns) == ["Variable", "Univariate OR (95%CI)", "Univariate P",
                                       "Multivariate OR (95%CI)", "Multivariate P"]
    assert tab.frame.Variable.tolist() == ["PLT", "Drinking: Yes", "Noise"]
    row = tab.frame.iloc[0]
    assert row.iloc[1] == f"{uni_plt.odds_ratio:.2f} ({uni_plt.ci_low:.2f}, {uni_plt.ci_high:.2f})"
    assert row.iloc[3] != "" and tab.frame.iloc[2, 3] == ""  # Noise not carried forward
    assert tab.to_markdown().startswith("| Variable")


def test_univariate_equals_single_fits():
    d = cohort()
    uni = univariate_logit(d, "dm", ["PLT", "Stage"], ci="profile")
    assert uni[1].term("StageIII").ci_low == logit(d, "dm", ["Stage"], ci="profile").term(
        "StageIII").ci_low


@pytest.mark.parametrize("kwargs, match", [
    (dict(predictors=["nope"]), "column 'nope' is not in the data"),
    (dict(predictors=["Const"]), "'Const' is constant"),
    (dict(outcome="Stage", predictors=["PLT"]), "exactly two levels"),
    (dict(predictors=["PLT", "PLT2"]), "linearly dependent"),
    (dict(predictors=["Miss"]), "'Miss' has 1 missing"),
    (dict(predictors=["PLT"], ci="spline"), "'ci' parameter of logit"),
    (dict(predictors=["Stage"], reference={"Stage": "IV"}), "reference level 'IV'"),
    (dict(predictors=["PLT"], scale="mad"), "'scale' for 'PLT'"),
])
def test_bad_input(kwargs, match):
    d = cohort()
    d["Const"] = 1.0
    d["PLT2"] = d.PLT * 2
    d["Miss"] = d.PLT.where(d.index != 5)
    kwargs.setdefault("outcome", "dm")
    with pytest.raises(InputError, match=match):
        logit(d, **kwargs)
