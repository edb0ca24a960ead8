"""Tests of cetrus.stats.logistic (live R parity lives in validation/cases/logistic.py)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from cetrus.errors import (
    ConvergenceError,
    InputError,
    SeparationWarning,
    UndefinedStatisticWarning,
)
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


# The fully converged fit (fit="converged") and the exact profile root (ci="profile_exact").
# R 4.2.2 (d = cohort() passed through rpy2):
# ctl <- glm.control(epsilon = 1e-14, maxit = 100)
# f <- glm(dm ~ PLT + Drinking + Stage, family = binomial, data = d, control = ctl)
# summary(f)$coefficients[, 1:2], [, 4]; deviance(f)
# profile CI of PLT: uniroot of glm.fit(X[, -2], y, offset = X[, 2] * b)$deviance - dmin
#                    - qchisq(0.95, 1), tol = 1e-13
R_TERMS = ["(Intercept)", "PLT", "DrinkingYes", "StageII", "StageIII"]
R_COEF = [
    -3.30991608378454,
    0.00947813296816754,
    0.409284588068493,
    -0.012093974932233,
    -0.16632869179236,
]
R_SE = [
    1.02117779137385,
    0.00339877803629783,
    0.374714149380421,
    0.425781003786577,
    0.43588020318643,
]
R_P = [
    0.00118997131723027,
    0.0052921952083595,
    0.27471964429617,
    0.977339762928943,
    0.702763519897285,
]
R_PLT_PROFILE = (0.00306390702774624, 0.0164683999208248)
R_DEVIANCE = 183.817443678078


def test_frozen_r_values_converged_fit_and_exact_profile():
    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking", "Stage"], fit="converged")
    assert [t.term for t in res.terms] == R_TERMS
    assert_allclose([t.coef for t in res.terms], R_COEF, rtol=1e-9)
    assert_allclose([t.se for t in res.terms], R_SE, rtol=1e-8)
    assert_allclose([t.pvalue for t in res.terms], R_P, rtol=1e-7)
    assert res.deviance == pytest.approx(R_DEVIANCE, rel=1e-12)
    assert res.converged and res.n == 150 and res.events == int(d.dm.sum())
    plt = res.term("PLT")
    assert plt.odds_ratio == pytest.approx(math.exp(plt.coef))
    assert plt.ci_low == pytest.approx(math.exp(plt.coef - 1.959963984540054 * plt.se))
    prof = logit(d, "dm", ["PLT", "Drinking", "Stage"], ci="profile_exact", fit="converged").term(
        "PLT"
    )
    assert_allclose(np.log([prof.ci_low, prof.ci_high]), R_PLT_PROFILE, rtol=1e-8)


def test_irls_matches_statsmodels():
    import statsmodels.api as sm

    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking"], fit="converged")
    X = sm.add_constant(np.column_stack([d.PLT, (d.Drinking == "Yes").astype(float)]))
    ref = sm.GLM(d.dm.to_numpy(), X, family=sm.families.Binomial()).fit(tol=1e-14)
    assert_allclose([t.coef for t in res.terms], ref.params, rtol=1e-9)
    assert_allclose([t.se for t in res.terms], ref.bse, rtol=1e-8)


def test_profile_deviance_hits_the_critical_value():
    # the defining property of the profile bound, checked by refitting with an offset
    from scipy.stats import chi2

    from cetrus.stats.logistic import _irls

    d = cohort()
    res = logit(d, "dm", ["PLT", "Drinking"], ci="profile_exact", fit="converged")
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
        unit.odds_ratio**10
    )


def _separated():
    return pd.DataFrame(
        {
            "y": [0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
            "x": [1.0, 2, 3, 4, 4, 5, 6, 7, 2.5, 8],
            "z": [0.3, 1.2, -0.4, 0.8, 0.1, -1.0, 0.5, 0.2, 0.9, -0.3],
        }
    )


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
    assert list(tab.frame.columns) == [
        "Variable",
        "Univariate OR (95%CI)",
        "Univariate P",
        "Multivariate OR (95%CI)",
        "Multivariate P",
    ]
    assert tab.frame.Variable.tolist() == ["PLT", "Drinking: Yes", "Noise"]
    row = tab.frame.iloc[0]
    assert row.iloc[1] == f"{uni_plt.odds_ratio:.2f} ({uni_plt.ci_low:.2f}, {uni_plt.ci_high:.2f})"
    assert row.iloc[3] != "" and tab.frame.iloc[2, 3] == ""  # Noise not carried forward
    assert tab.to_markdown().startswith("| Variable")


def test_univariate_equals_single_fits():
    d = cohort()
    uni = univariate_logit(d, "dm", ["PLT", "Stage"], ci="profile")
    assert (
        uni[1].term("StageIII").ci_low
        == logit(d, "dm", ["Stage"], ci="profile").term("StageIII").ci_low
    )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(predictors=["nope"]), "column 'nope' is not in the data"),
        (dict(predictors=["Const"]), "'Const' is constant"),
        (dict(outcome="Stage", predictors=["PLT"]), "exactly two levels"),
        (dict(predictors=["PLT", "PLT2"]), "linearly dependent"),
        (dict(predictors=["Miss"]), "'Miss' has 1 missing"),
        (dict(predictors=["PLT"], ci="spline"), "'ci' parameter of logit"),
        (dict(predictors=["Stage"], reference={"Stage": "IV"}), "reference level 'IV'"),
        (dict(predictors=["PLT"], scale="mad"), "'scale' for 'PLT'"),
    ],
)
def test_bad_input(kwargs, match):
    d = cohort()
    d["Const"] = 1.0
    d["PLT2"] = d.PLT * 2
    d["Miss"] = d.PLT.where(d.index != 5)
    kwargs.setdefault("outcome", "dm")
    with pytest.raises(InputError, match=match):
        logit(d, **kwargs)


# --------------------------------------------------------------------------- R at its defaults

DATA = Path(__file__).resolve().parent / "data"


def infert_data() -> pd.DataFrame:
    """R's ``datasets::infert`` (``write.csv(infert)``, R 4.2.2), education as R's factor."""
    d = pd.read_csv(DATA / "infert_full.csv")
    d["education"] = pd.Categorical(d["education"], categories=["0-5yrs", "6-11yrs", "12+ yrs"])
    return d


def birthwt_data() -> pd.DataFrame:
    """MASS's ``bwt`` (``example(birthwt)``): logical smoke/ht/ui, ``ptd`` = ptl > 0."""
    b = pd.read_csv(DATA / "birthwt.csv")
    return pd.DataFrame(
        {
            "low": b.low,
            "age": b.age,
            "lwt": b.lwt,
            "race": pd.Categorical(
                b.race.map({1: "white", 2: "black", 3: "other"}),
                categories=["white", "black", "other"],
            ),
            "smoke": b.smoke > 0,
            "ptd": b.ptl > 0,
            "ht": b.ht > 0,
            "ui": b.ui > 0,
            "ftv": pd.Categorical(b.ftv),
        }
    )


# R 4.2.2, MASS 7.3-58.2, options(digits = 17):
# f <- glm(case ~ age + parity + education + spontaneous + induced, family = binomial,
#          data = infert)
# summary(f)$coefficients; confint(f); confint.default(f)
# c(deviance(f), f$null.deviance, AIC(f), f$iter)
INFERT_TERMS = [
    "(Intercept)",
    "age",
    "parity",
    "education6-11yrs",
    "education12+ yrs",
    "spontaneous",
    "induced",
]
INFERT_COEF = [
    -1.149236536863725,
    0.039582001698910421,
    -0.82827738080998481,
    -1.0442435817853919,
    -1.4032050872379271,
    2.0459050192518982,
    1.2887573786822097,
]
INFERT_SE = [
    1.4121953744517013,
    0.031202533064172033,
    0.19648949214493855,
    0.79254976267092414,
    0.83415617596907177,
    0.31015652115747516,
    0.30146019277606451,
]
INFERT_Z = [
    -0.81379429337808684,
    1.2685509095529177,
    -4.2153774828783925,
    -1.3175747832744906,
    -1.6821850963433425,
    6.5963630608725285,
    4.2750499388141279,
]
INFERT_P = [
    0.41576280482126943,
    0.20460128237579975,
    2.4936073857380308e-05,
    0.18764603165479887,
    0.092532953189373199,
    4.2136633280370572e-11,
    1.910944566277539e-05,
]
INFERT_PROF_LO = [
    -3.9518106868933276,
    -0.021115797207791422,
    -1.2334867884615623,
    -2.6134902158376212,
    -3.0649873609442051,
    1.4658207943946446,
    0.71562198676715927,
]
INFERT_PROF_HI = [
    1.6111990336105459,
    0.10170956189635688,
    -0.46001712504294534,
    0.55599764530367846,
    0.26385456978885302,
    2.6864448174431694,
    1.9027363109693289,
]
INFERT_WALD_LO = [
    -3.9170886099231144,
    -0.021573839333286965,
    -1.2133897087546301,
    -2.5976125725761703,
    -3.0381211496189628,
    1.4380094082130117,
    0.69790625806862172,
]
INFERT_WALD_HI = [
    1.6186155361956647,
    0.10073784273110781,
    -0.44316505286533947,
    0.5091254090053865,
    0.23171097514310879,
    2.6538006302907844,
    1.8796084992957978,
]
INFERT_DEV = [257.79769020552897, 316.17111081640439, 271.79769020552897, 4]


def test_infert_equals_r_glm_and_confint_at_defaults():
    d = infert_data()
    preds = ["age", "parity", "education", "spontaneous", "induced"]
    wald = logit(d, "case", preds)
    assert [t.term for t in wald.terms] == INFERT_TERMS
    assert_allclose([t.coef for t in wald.terms], INFERT_COEF, rtol=1e-10)
    assert_allclose([t.se for t in wald.terms], INFERT_SE, rtol=1e-10)
    assert_allclose([t.statistic for t in wald.terms], INFERT_Z, rtol=1e-10)
    assert_allclose([t.pvalue for t in wald.terms], INFERT_P, rtol=1e-10)
    assert_allclose(np.log([t.ci_low for t in wald.terms]), INFERT_WALD_LO, rtol=1e-10)
    assert_allclose(np.log([t.ci_high for t in wald.terms]), INFERT_WALD_HI, rtol=1e-10)
    assert_allclose(
        [wald.deviance, wald.null_deviance, wald.aic, wald.iterations], INFERT_DEV, rtol=1e-12
    )
    prof = logit(d, "case", preds, ci="profile")
    assert_allclose(np.log([t.ci_low for t in prof.terms]), INFERT_PROF_LO, rtol=1e-8)
    assert_allclose(np.log([t.ci_high for t in prof.terms]), INFERT_PROF_HI, rtol=1e-8)
    # the converged fit is another (named) answer: its SEs differ from R's default
    conv = logit(d, "case", preds, fit="converged")
    assert conv.method != wald.method
    assert not np.allclose([t.se for t in conv.terms], INFERT_SE, rtol=1e-8, atol=0)


# R 4.2.2, MASS 7.3-58.2 (MASS's example(birthwt)):
# bwt <- with(birthwt, data.frame(low = factor(low), age, lwt,
#   race = factor(race, labels = c("white", "black", "other")), smoke = (smoke > 0),
#   ptd = factor(ptl > 0), ht = (ht > 0), ui = (ui > 0), ftv = factor(ftv)))
# f <- glm(low ~ ., family = binomial, data = bwt)
# summary(f)$coefficients; confint(f); c(deviance(f), f$null.deviance, AIC(f), f$iter)
BWT_TERMS = [
    "(Intercept)",
    "age",
    "lwt",
    "raceblack",
    "raceother",
    "smokeTRUE",
    "ptdTRUE",
    "htTRUE",
    "uiTRUE",
    "ftv1",
    "ftv2",
    "ftv3",
    "ftv4",
    "ftv6",
]
BWT_COEF = [
    0.64046829756605916,
    -0.037718669236987197,
    -0.014021215658164816,
    1.1868929284981882,
    0.76042344456032862,
    0.72064526645344851,
    1.4469909154929201,
    1.7813176373433643,
    0.65706792149768023,
    -0.45986528142820748,
    -0.0058813271352517642,
    1.1551771000933655,
    -0.60084976486569019,
    -12.12617813208942,
]
BWT_SE = [
    1.276771320737383,
    0.038853410421994958,
    0.0073214206732377298,
    0.54190801282964485,
    0.46885648029887844,
    0.43342708156289061,
    0.49799972528417941,
    0.7354446354404357,
    0.46665614537785771,
    0.48228208681456558,
    0.53636049235612548,
    0.86333775239045207,
    1.3293526779479214,
    882.74410064530105,
]
BWT_P = [
    0.61592698603486729,
    0.33165072335095391,
    0.055480397481609697,
    0.028508932789934976,
    0.10483155859744089,
    0.096378944560235089,
    0.0036654284796833734,
    0.015431266022937724,
    0.15912087399932792,
    0.34032701841819141,
    0.99125117127514195,
    0.18088466123434929,
    0.6512785449684676,
    0.98903987461104781,
]
BWT_PROF_LO = [
    -1.8522501389600943,
    -0.11580371050680298,
    -0.029046691000727213,
    0.12681685931975961,
    -0.14900843571110414,
    -0.12476571173799239,
    0.48874281842628531,
    0.3760863575105432,
    -0.26958917766872093,
    -1.4424904129713374,
    -1.1062243118244512,
    -0.54634574785746071,
    -3.8124669081694167,
    np.nan,
]
BWT_PROF_HI = [
    3.1826603773972315,
    0.037247831326507247,
    -0.00013519312200949672,
    2.2689493859482557,
    1.7006271912662623,
    1.5856664363202686,
    2.4569010307501737,
    3.3077413532045639,
    1.5736123662793982,
    0.46366441543795373,
    1.0213739482780131,
    2.9513117335415848,
    1.8328217014364525,
    166.81770392045112,
]
BWT_DEV = [193.39024046926599, 234.67199619321852, 221.39024046926596, 13]


def test_birthwt_equals_r_with_logical_columns_and_a_separated_level():
    d = birthwt_data()
    preds = ["age", "lwt", "race", "smoke", "ptd", "ht", "ui", "ftv"]
    # ftv = 6 is one woman: R converges (13 iterations) to a diverging ftv6; cetrus names it
    with (
        pytest.warns(SeparationWarning, match="separation by ftv6"),
        pytest.warns(UndefinedStatisticWarning, match="'ftv6'.*does not reach"),
    ):
        res = logit(d, "low", preds, ci="profile")
    assert [t.term for t in res.terms] == BWT_TERMS
    assert_allclose([t.coef for t in res.terms], BWT_COEF, rtol=1e-10)
    assert_allclose([t.se for t in res.terms], BWT_SE, rtol=1e-10)
    assert_allclose([t.pvalue for t in res.terms], BWT_P, rtol=1e-10)
    assert_allclose([res.deviance, res.null_deviance, res.aic, res.iterations], BWT_DEV, rtol=1e-12)
    # R's confint: NA where the profile never reaches the limit
    assert_allclose(np.log([t.ci_low for t in res.terms]), BWT_PROF_LO, rtol=1e-8)
    assert_allclose(np.log([t.ci_high for t in res.terms]), BWT_PROF_HI, rtol=1e-8)


def test_logical_columns_keep_r_spelling():
    d = birthwt_data()
    res = logit(d, "low", ["ptd", "smoke"], reference={"ptd": "FALSE"})
    assert [t.term for t in res.terms] == ["(Intercept)", "ptdTRUE", "smokeTRUE"]
    assert [e.levels for e in res.encodings] == [("FALSE", "TRUE"), ("FALSE", "TRUE")]
    flipped = logit(d, "low", ["ptd"], reference={"ptd": "TRUE"})
    assert flipped.terms[1].term == "ptdFALSE"
    assert flipped.terms[1].coef == pytest.approx(-res.term("ptdTRUE").coef, rel=0.2)
    same = logit(d, "low", ["ptd"], reference={"ptd": False})
    assert same.terms[1].term == "ptdTRUE"
    # Python bools in an object column, and prediction from new boolean data
    obj = d.assign(ptd=d.ptd.astype(object))
    assert logit(obj, "low", ["ptd"]).terms[1].term == "ptdTRUE"
    assert_allclose(
        same.predict_proba(d.iloc[:5]),
        logit(obj, "low", ["ptd"]).predict_proba(d.iloc[:5]),
        rtol=1e-12,
    )


# --------------------------------------------------------------------------- formula front end, display


def _mixed(seed=3, n=300):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "age": rng.normal(60, 10, n).round(),
            "sex": rng.choice(["Female", "Male"], n),
            "stage": rng.choice(["I", "II", "III"], n),
            "ptd": rng.random(n) < 0.3,
        }
    )
    eta = -0.5 + 0.04 * (d.age - 60) + 0.6 * (d.sex == "Male") + 0.8 * d.ptd
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return d


def test_formula_equals_column_api_with_r_term_names():
    d = _mixed()
    f = logit(
        "y ~ age + C(sex, Treatment('Female')) + C(stage, Treatment('II')) + ptd",
        data=d,
        ci="profile",
    )
    c = logit(d, "y", ["age", "sex", "stage", "ptd"], reference={"stage": "II"}, ci="profile")
    assert [t.term for t in f.terms] == [
        "(Intercept)",
        "age",
        "sexMale",
        "stageI",
        "stageIII",
        "ptdTRUE",
    ]
    pd.testing.assert_frame_equal(f.to_frame(), c.to_frame())  # bit for bit
    assert f.call == "glm(y ~ age + sex + stage + ptd, family = binomial)"
    kw = logit(data=d, outcome="y", predictors=["age"])  # keyword form of the column API
    assert kw.coefficients == logit("y ~ age", data=d).coefficients
    # a boolean reference in the formula is R's level name
    t = logit("y ~ C(ptd, Treatment(True))", data=d)
    assert [x.term for x in t.terms] == ["(Intercept)", "ptdFALSE"]
    uni = univariate_logit("y ~ age + C(stage, Treatment('III'))", data=d)
    assert [u.call for u in uni] == [
        "glm(y ~ age, family = binomial)",
        "glm(y ~ stage, family = binomial)",
    ]
    assert (
        uni[1].term("stageI").coef
        == logit(d, "y", ["stage"], reference={"stage": "III"}).term("stageI").coef
    )


@pytest.mark.parametrize(
    "formula, match",
    [
        ("y ~ age:sex", "interaction"),
        ("y ~ np.log(age)", "not supported"),
        ("y ~ age - 1", "without an intercept"),
        ("y ~ C(sex, Sum)", "only treatment"),
        ("y ~ nope", "'nope'"),
        ("y + age ~ sex", "one outcome column"),
    ],
)
def test_formula_errors_name_the_problem(formula, match):
    with pytest.raises(InputError, match=match):
        logit(formula, data=_mixed())


def test_formula_and_columns_together_is_an_error():
    d = _mixed()
    with pytest.raises(InputError, match="not both"):
        logit("y ~ age", "y", ["age"], data=d)
    with pytest.raises(InputError, match="given twice"):
        logit(d, "y", ["age"], data=d)
    with pytest.raises(InputError, match="needs a formula"):
        logit(data=d)


def test_result_displays():
    d = _mixed()
    fit = logit("y ~ age + sex", data=d)
    r = repr(fit)
    assert r.startswith("LogitResult(formula='y ~ age + sex', n=300") and len(r) < 200
    text = str(fit)
    assert text.startswith("Call:  glm(formula = y ~ age + sex, family = binomial)")
    assert "Residual Deviance:" in text and "AIC:" in text
    frame = fit.to_frame()
    assert frame.columns.tolist()[:5] == ["term", "coef", "se", "statistic", "pvalue"]
    assert frame.shape == (3, 9)
    assert "<table" in fit._repr_html_()
    s = fit.summary()
    table = s.to_frame()
    # Wald CI from the SE; the profile CI equals logit(ci="profile")
    prof = logit("y ~ age + sex", data=d, ci="profile")
    np.testing.assert_allclose(table["or_profile_ci_low"], prof.to_frame()["ci_low"], rtol=1e-12)
    np.testing.assert_allclose(table["or_wald_ci_high"], frame["ci_high"], rtol=1e-12)
    assert s.statistics["events"] == fit.events and s.statistics["df_residual"] == 297
    out = str(s)
    assert "glm(y ~ age + sex, family = binomial)" in out and "Profile 95% low" in out
    assert "Null deviance" in out and "AIC" in out and "<table" in s._repr_html_()
    sel = select_predictors("y ~ age + sex + stage", data=d)
    assert "retained:" in str(sel) and sel.to_frame().shape[1] == 5
    assert table_two(sel).to_frame().equals(table_two(sel).frame)
