"""Tests of cetrus.stats.groups (live R parity lives in validation/cases/baseline.py)."""

from __future__ import annotations

import itertools
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats as sps

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats.groups import (
    chi_square,
    compare_groups,
    fisher_exact,
    levene,
    mann_whitney,
    shapiro_wilk,
    student_t,
    welch_t,
)

# --------------------------------------------------------------------------- Mann–Whitney


def _naive_mwu(x, y, correct=True):
    """O(n_x·n_y) reference: U by pairwise comparison, tie variance from value counts."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    u = sum((xi > yj) + 0.5 * (xi == yj) for xi in x for yj in y)
    nx, ny = len(x), len(y)
    n = nx + ny
    _, counts = np.unique(np.concatenate([x, y]), return_counts=True)
    sigma = math.sqrt(nx * ny / 12 * ((n + 1) - (counts**3 - counts).sum() / (n * (n - 1))))
    d = u - nx * ny / 2
    z = (d - (np.sign(d) * 0.5 if correct else 0.0)) / sigma
    return u, 2 * min(sps.norm.cdf(z), sps.norm.sf(z))


# R 4.2.2:
# x <- c(1.5, 2, 2, 3.1, 4, 7); y <- c(2, 3.1, 5, 6, 6, 8, 9)
# wilcox.test(x, y, exact=FALSE, correct=TRUE)   -> W = 9.5, p = 0.11307037495798454
# wilcox.test(x, y, exact=FALSE, correct=FALSE)  -> p = 0.097607069473352334
# x2 <- c(0.3, 1.2, 2.8, 4.1, 5.0); y2 <- c(1.0, 3.3, 6.1, 7.4, 8.8, 9.2)
# wilcox.test(x2, y2, exact=TRUE)                -> W = 6, p = 0.12554112554112554
X_R = [1.5, 2, 2, 3.1, 4, 7]
Y_R = [2, 3.1, 5, 6, 6, 8, 9]


def test_mann_whitney_frozen_r_values():
    res = mann_whitney(X_R, Y_R, exact=False)
    assert res.statistic == 9.5
    assert_allclose(res.pvalue, 0.11307037495798454, rtol=1e-12)
    assert res.method == "Wilcoxon rank sum test with continuity correction"
    assert_allclose(
        mann_whitney(X_R, Y_R, exact=False, correct=False).pvalue, 0.097607069473352334, rtol=1e-12
    )
    ex = mann_whitney([0.3, 1.2, 2.8, 4.1, 5.0], [1.0, 3.3, 6.1, 7.4, 8.8, 9.2], exact=True)
    assert ex.statistic == 6 and ex.exact and math.isnan(ex.z)
    assert_allclose(ex.pvalue, 0.12554112554112554, rtol=1e-12)
    assert ex.method == "Wilcoxon rank sum exact test"


# R 4.2.2, ?wilcox.test's two-sample example (Hollander & Wolfe 1973, p. 69):
# x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
# y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
# wilcox.test(x, y, alternative = "g")$p.value                  -> 0.1272061272061272 (exact)
# wilcox.test(x, y)$p.value                                     -> 0.2544122544122544
# wilcox.test(x, y, alternative = "greater", exact = FALSE, correct = FALSE)$p.value
#                                                               -> 0.1103356809599234
# and its one-sample data used as two samples (ties: normal, with R's warning):
# x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
# y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
# wilcox.test(x, y)                                             -> W = 58, p = 0.13291945818531886
HW_X = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
HW_Y = [1.15, 0.88, 0.90, 0.74, 1.21]


def test_r_help_example_at_r_defaults():
    res = mann_whitney(HW_X, HW_Y, alternative="greater")
    assert res.exact and res.statistic == 35 and res.method == "Wilcoxon rank sum exact test"
    assert_allclose(res.pvalue, 0.1272061272061272, rtol=1e-12)
    assert_allclose(mann_whitney(HW_X, HW_Y).pvalue, 0.2544122544122544, rtol=1e-12)
    normal = mann_whitney(HW_X, HW_Y, alternative="greater", exact=False, correct=False)
    assert_allclose(normal.pvalue, 0.1103356809599234, rtol=1e-12)
    x = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
    y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    with pytest.warns(UndefinedStatisticWarning, match="cannot compute exact p-value with ties"):
        tied = mann_whitney(x, y)
    assert not tied.exact and tied.statistic == 58
    assert_allclose(tied.pvalue, 0.13291945818531886, rtol=1e-12)


def test_default_rule_is_exact_below_50_only():
    rng = np.random.default_rng(8)
    small = mann_whitney(rng.normal(size=49), rng.normal(size=30))
    big = mann_whitney(rng.normal(size=50), rng.normal(size=30))
    assert small.exact and not big.exact
    assert big.method == "Wilcoxon rank sum test with continuity correction"


# R 4.2.2: Inf is ranked, NA dropped
# wilcox.test(c(-Inf, 1, 5, Inf), c(2, 3, 4, Inf, NA))  -> W = 6.5, p = 0.77150340914030824
#                                                          (ties: normal, continuity correction)
# wilcox.test(c(-Inf, 1, 5, 7, Inf), c(2, 3, 4, 6, NA)) -> W = 11, p = 0.90476190476190466 (exact)
def test_infinite_values_are_ranked_as_r_ranks_them():
    with pytest.warns(UndefinedStatisticWarning, match="ties"):
        res = mann_whitney([-np.inf, 1, 5, np.inf], [2, 3, 4, np.inf, np.nan])
    assert res.statistic == 6.5 and res.n_y == 4
    assert_allclose(res.pvalue, 0.77150340914030824, rtol=1e-12)
    ex = mann_whitney([-np.inf, 1, 5, 7, np.inf], [2, 3, 4, 6, np.nan])
    assert ex.exact and ex.statistic == 11
    assert_allclose(ex.pvalue, 0.90476190476190466, rtol=1e-12)
    with pytest.raises(InputError, match="missing"):
        mann_whitney(np.array([[1.0], [np.nan]]), np.array([[2.0], [3.0]]))


def test_exact_matches_enumeration():
    # the exact null distribution of U by brute force over all C(9, 4) splits
    x, y = [0.1, 0.5, 2.2, 3.0], [1.1, 1.7, 2.9, 4.4, 5.0]
    pooled = np.array(x + y)
    w_obs = mann_whitney(x, y).statistic
    us = []
    for idx in itertools.combinations(range(9), 4):
        mask = np.zeros(9, bool)
        mask[list(idx)] = True
        us.append(_naive_mwu(pooled[mask], pooled[~mask])[0])
    us = np.array(us)
    for alt, expect in [("less", np.mean(us <= w_obs)), ("greater", np.mean(us >= w_obs))]:
        assert_allclose(mann_whitney(x, y, exact=True, alternative=alt).pvalue, expect, rtol=1e-12)
    two = min(1.0, 2 * (np.mean(us >= w_obs) if w_obs > 10 else np.mean(us <= w_obs)))
    assert_allclose(mann_whitney(x, y, exact=True).pvalue, two, rtol=1e-12)


def test_exact_with_ties_falls_back_with_warning():
    with pytest.warns(UndefinedStatisticWarning, match="ties"):
        res = mann_whitney([1, 2, 2, 4], [2, 3, 5], exact=True)
    assert not res.exact
    assert_allclose(res.pvalue, mann_whitney([1, 2, 2, 4], [2, 3, 5], exact=False).pvalue)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=15),
    st.lists(st.integers(0, 6), min_size=1, max_size=15),
    st.booleans(),
)
def test_matches_naive_reference(xs, ys, correct):
    x, y = np.array(xs, float), np.array(ys, float)
    if np.unique(np.concatenate([x, y])).size == 1:
        return  # all tied: undefined, tested separately
    res = mann_whitney(x, y, correct=correct, exact=False)
    u, p = _naive_mwu(x, y, correct)
    assert res.statistic == pytest.approx(u, abs=1e-12)
    assert res.pvalue == pytest.approx(p, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-5, 5), min_size=2, max_size=12),
    st.lists(st.floats(-5, 5), min_size=2, max_size=12),
)
def test_swapping_groups_mirrors_w_keeps_p(xs, ys):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)
        a, b = mann_whitney(xs, ys), mann_whitney(ys, xs)
        shifted = mann_whitney(np.array(xs) * 4, np.array(ys) * 4)  # exact monotone map
    assert a.statistic + b.statistic == pytest.approx(len(xs) * len(ys))
    assert a.pvalue == pytest.approx(b.pvalue, nan_ok=True)
    assert shifted.statistic == a.statistic


def test_two_d_equals_column_by_column():
    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=(40, 25)), 1)
    y = np.round(rng.normal(0.4, size=(31, 25)), 1)
    res = mann_whitney(x, y)
    assert res.statistic.shape == (25,) and res.pvalue.shape == (25,)
    for j in range(25):
        col = mann_whitney(x[:, j], y[:, j])
        assert res.statistic[j] == col.statistic
        assert res.pvalue[j] == pytest.approx(col.pvalue, rel=1e-13)
    # DataFrame input works the same way
    import pandas as pd

    res_df = mann_whitney(pd.DataFrame(x), pd.DataFrame(y))
    assert_allclose(res_df.pvalue, res.pvalue)


def test_scipy_agrees_as_second_reference():
    rng = np.random.default_rng(5)
    x, y = np.round(rng.normal(size=(50, 4)), 1), np.round(rng.normal(size=(45, 4)), 1)
    ours = mann_whitney(x, y)
    ref = sps.mannwhitneyu(x, y, method="asymptotic", use_continuity=True, axis=0)
    assert_allclose(ours.statistic, ref.statistic)
    assert_allclose(ours.pvalue, ref.pvalue, rtol=1e-10)


def test_constant_sample_is_undefined():
    with pytest.warns(UndefinedStatisticWarning, match="tied"):
        res = mann_whitney([2, 2, 2], [2, 2])
    assert res.statistic == 3.0 and math.isnan(res.pvalue)  # R: W = 3, p = NA


@pytest.mark.parametrize(
    "x, y, match",
    [
        ([], [1, 2], "'x' is empty"),
        ([[1.0], [np.nan]], [[1.0], [2.0]], "'x' has 1 missing"),  # 2-D: R's n would vary
        ([np.nan, np.nan], [1, 2], "'x' is empty"),
        ([1, 2], ["a", "b"], "'y' must be numeric"),
        (np.ones((3, 2)), np.ones((3, 3)), "same number of columns"),
        (np.ones((3, 2)), np.ones(3), "same number of columns"),
    ],
)
def test_bad_input(x, y, match):
    with pytest.raises(InputError, match=match):
        mann_whitney(x, y)


def test_bad_alternative():
    with pytest.raises(InputError, match="'alternative' parameter of mann_whitney"):
        mann_whitney([1, 2], [3, 4], alternative="two_sided")


def test_alternative_python_spelling_and_r_alias_agree():
    x, y = [1.2, 3.4, 2.2, 5.0], [4.1, 6.3, 5.5, 7.0, 6.1]
    for f in (mann_whitney, student_t, welch_t):
        a, b = f(x, y, alternative="two-sided"), f(x, y, alternative="two.sided")
        assert a.pvalue == b.pvalue and a.alternative == b.alternative == "two-sided"
    assert fisher_exact([[3, 1], [1, 3]], alternative="two.sided").alternative == "two-sided"


# --------------------------------------------------------------------------- t, chi-square, Fisher, assumptions

# R 4.2.2:
# x <- c(5.1, 4.8, 6.0, 5.5, 5.9, 4.7); y <- c(6.2, 6.8, 5.9, 7.1, 6.5)
# t.test(x, y, var.equal=TRUE): t = -3.7053695345130748, p = 0.0048798262491905808,
#                               CI = (-1.8789258170741103, -0.45440751625922365)
# t.test(x, y): t = -3.763223313993294, df = 8.9794632543766273, p = 0.0044810629142837451
# chisq.test(matrix(c(12, 7, 5, 9), 2)): X2 = 1.4559963788146839, p = 0.22756821457580992
# fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value = 0.48571428571428582
# car::leveneTest(c(x, y), factor(rep(1:2, c(6, 5)))): F = 0.57542457542458014, p = 0.46751066241871486
# shapiro.test(x): W = 0.9080058762340999, p = 0.42340784623189825
TX = [5.1, 4.8, 6.0, 5.5, 5.9, 4.7]
TY = [6.2, 6.8, 5.9, 7.1, 6.5]


def test_t_tests_frozen_r_values():
    st_ = student_t(TX, TY)
    assert_allclose(
        [st_.statistic, st_.pvalue, st_.ci_low, st_.ci_high],
        [-3.7053695345130748, 0.0048798262491905808, -1.8789258170741103, -0.45440751625922365],
        rtol=1e-12,
    )
    assert st_.df == 9 and st_.estimate == pytest.approx(np.mean(TX) - np.mean(TY))
    w = welch_t(TX, TY)
    assert_allclose(
        [w.statistic, w.df, w.pvalue],
        [-3.763223313993294, 8.9794632543766273, 0.0044810629142837451],
        rtol=1e-12,
    )


def test_t_tests_match_scipy_and_are_antisymmetric():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=14), rng.normal(0.5, 2, size=9)
    for ours, eq in ((student_t, True), (welch_t, False)):
        ref = sps.ttest_ind(x, y, equal_var=eq)
        a, b = ours(x, y), ours(y, x)
        assert_allclose([a.statistic, a.pvalue], [ref.statistic, ref.pvalue], rtol=1e-12)
        assert a.statistic == pytest.approx(-b.statistic) and a.pvalue == pytest.approx(b.pvalue)
        assert a.ci_low == pytest.approx(-b.ci_high)


def test_constant_data_t_is_undefined():
    with pytest.warns(UndefinedStatisticWarning, match="constant"):
        res = student_t([2.0, 2.0, 2.0], [2.0, 2.0])
    assert math.isnan(res.statistic) and math.isnan(res.pvalue)


def test_chi_square_and_fisher_frozen_r_values():
    ch = chi_square([[12, 5], [7, 9]])
    assert_allclose(
        [ch.statistic, ch.pvalue], [1.4559963788146839, 0.22756821457580992], rtol=1e-12
    )
    assert ch.correct and "Yates" in ch.method
    assert_allclose(fisher_exact([[3, 1], [1, 3]]).pvalue, 0.48571428571428582, rtol=1e-12)


def test_chi_square_matches_scipy_without_yates_and_for_rxc():
    table = np.array([[10, 4, 3], [2, 8, 5]])
    ref = sps.chi2_contingency(table, correction=False)
    ours = chi_square(table)
    assert not ours.correct and ours.df == 2
    assert_allclose([ours.statistic, ours.pvalue], [ref.statistic, ref.pvalue], rtol=1e-12)
    with pytest.warns(UndefinedStatisticWarning, match="empty row"):
        assert math.isnan(chi_square([[0, 0], [3, 4]]).statistic)


def test_fisher_2x2_against_scipy_and_enumeration():
    table = np.array([[7, 2], [3, 8]])
    ours = fisher_exact(table, ci="exact")  # scipy solves to machine precision too
    assert_allclose(ours.pvalue, sps.fisher_exact(table).pvalue, rtol=1e-10)
    ref = sps.contingency.odds_ratio(table, kind="conditional")
    assert_allclose(ours.estimate, ref.statistic, rtol=1e-6)
    ci = ref.confidence_interval(0.95)
    assert_allclose([ours.ci_low, ours.ci_high], [ci.low, ci.high], rtol=1e-6)
    # the r x c enumeration gives the same p as the 2 x 2 formula
    from cetrus.stats._fexact import _fisher_rxc_p

    assert_allclose(_fisher_rxc_p(table), ours.pvalue, rtol=1e-12)
    assert fisher_exact([[0, 5], [6, 2]]).estimate == 0.0  # x at its lower bound


# R 4.2.2: f <- fisher.test(matrix(c(7, 3, 2, 8), 2)); sprintf("%.17g", c(f$estimate, f$conf.int))
# -> 8.1530626043573449 0.88211748931581513 127.05584183011146  (uniroot's default tol)
# ?fisher.test's Job satisfaction table (4 x 4, n = 96):
# Job <- matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4)
# sprintf("%.17g", fisher.test(Job)$p.value) -> 0.78268493896563884
def test_fisher_equals_r_at_its_defaults():
    r_or = fisher_exact([[7, 2], [3, 8]])
    assert_allclose(
        [r_or.estimate, r_or.ci_low, r_or.ci_high],
        [8.1530626043573449, 0.88211748931581513, 127.05584183011146],
        rtol=1e-9,
    )
    exact = fisher_exact([[7, 2], [3, 8]], ci="exact")
    assert abs(exact.estimate / r_or.estimate - 1) > 1e-6  # R's printed OR is uniroot's
    job = np.array([[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]])
    assert_allclose(fisher_exact(job).pvalue, 0.78268493896563884, rtol=1e-9)
    assert_allclose(fisher_exact(job.T).pvalue, 0.78268493896563884, rtol=1e-9)


def test_fisher_rxc_equals_enumeration():
    from itertools import product

    from scipy.special import gammaln

    from cetrus.stats._fexact import _fisher_rxc_p

    obs = np.array([[3, 0, 2], [1, 4, 0], [2, 1, 5]])
    rows, cols, n = obs.sum(1), obs.sum(0), obs.sum()

    def logp(t):
        return (
            gammaln(rows + 1).sum()
            + gammaln(cols + 1).sum()
            - gammaln(n + 1)
            - gammaln(t + 1).sum()
        )

    ref, p_obs = 0.0, logp(obs)
    for a, b, c, d in product(
        *(range(int(min(rows[i], cols[j])) + 1) for i in range(2) for j in range(2))
    ):
        t = np.array([[a, b, 0], [c, d, 0], [0, 0, 0]])
        t[0, 2], t[1, 2] = rows[0] - a - b, rows[1] - c - d
        t[2, :2] = cols[:2] - t[:2, :2].sum(0)
        t[2, 2] = rows[2] - t[2, :2].sum()
        if (t < 0).any() or t[:, 2].sum() != cols[2]:
            continue
        if logp(t) <= p_obs + 3.45254e-7:
            ref += math.exp(logp(t))
    assert_allclose(_fisher_rxc_p(obs), ref, rtol=1e-12)


# R 4.2.2: sprintf("%.17g", c(s$statistic, s$p.value)) for s <- shapiro.test(x) with
# x = TX -> 0.9080058762340999 0.42340784623189825; x = infert$age ->
# 0.97605841364617629 0.00033875230740469637; x = c(2.1, 3.3, 3.9) (n = 3, exact p) ->
# 0.96428571428571419 0.6368868450289632
def test_shapiro_and_levene_frozen_r_values():
    sw = shapiro_wilk(TX)
    assert_allclose([sw.statistic, sw.pvalue], [0.9080058762340999, 0.42340784623189825], rtol=1e-9)
    age = pd.read_csv(Path(__file__).resolve().parent / "data" / "infert_full.csv")["age"]
    sw = shapiro_wilk(age)
    assert_allclose(
        [sw.statistic, sw.pvalue], [0.97605841364617629, 0.00033875230740469637], rtol=1e-9
    )
    single = shapiro_wilk(age, precision="single")  # scipy's single-precision AS R94
    assert abs(single.pvalue / 0.00033875230740469637 - 1) > 1e-9
    sw = shapiro_wilk([2.1, 3.3, 3.9])
    assert_allclose([sw.statistic, sw.pvalue], [0.96428571428571419, 0.6368868450289632], rtol=1e-9)
    lv = levene(TX, TY)
    assert_allclose(
        [lv.statistic, lv.pvalue], [0.57542457542458014, 0.46751066241871486], rtol=1e-12
    )
    assert lv.df == (1, 9)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: chi_square([[1, 2, 3]]), "at least 2 rows"),
        (lambda: chi_square([[1, -2], [3, 4]]), "non-negative"),
        (lambda: fisher_exact([[1.5, 2], [3, 4]]), "integer counts"),
        (lambda: welch_t([1.0], [2.0, 3.0]), "not enough 'x'"),
        (lambda: student_t([1.0], [2.0]), "at least 3 in total"),
        (lambda: shapiro_wilk([1.0, 2.0]), "between 3 and 5000"),
        (lambda: shapiro_wilk([1.0, 1.0, 1.0]), "identical"),
        (lambda: student_t(TX, TY, conf_level=1.5), "conf_level"),
    ],
)
def test_bad_input_other_tests(call, match):
    with pytest.raises(InputError, match=match):
        call()


# --------------------------------------------------------------------------- compare_groups


def _cohort(seed=0, n=200):
    rng = np.random.default_rng(seed)
    dm = (rng.random(n) < 0.3).astype(int)
    return pd.DataFrame(
        {
            "DM": dm,
            "Age": np.round(rng.normal(60, 8, n)),
            "CRP": rng.lognormal(1, 1, n) * (1 + dm),
            "Sex": np.where(rng.random(n) < 0.6, "Male", "Female"),
            "Drinking": (rng.random(n) < 0.3).astype(int),
            "Rare": np.where(np.arange(n) < 4, "yes", "no"),
        }
    )


def test_auto_rule_picks_documented_tests():
    d = _cohort()
    skewed = compare_groups(d, "DM", "CRP")
    assert skewed.test == "mwu" and skewed.kind == "continuous"
    assert "Mann-Whitney" in skewed.reason and skewed.normality_pvalues[0] < 0.05
    assert skewed.statistic == mann_whitney(d.CRP[d.DM == 0], d.CRP[d.DM == 1]).statistic
    normal = compare_groups(d, "DM", "Age")
    assert normal.test == "student"
    assert min(normal.normality_pvalues) > 0.05 and normal.levene_pvalue > 0.05
    assert normal.statistic == pytest.approx(
        student_t(d.Age[d.DM == 0], d.Age[d.DM == 1]).statistic
    )
    assert compare_groups(d, "DM", "Sex").test == "chisq"
    assert compare_groups(d, "DM", "Drinking").kind == "categorical"  # 0/1 numeric
    rare = compare_groups(d, "DM", "Rare")
    assert rare.test == "fisher" and "< 5" in rare.reason and math.isnan(rare.statistic)


def test_group_order_is_sorted_and_reason_recorded():
    d = _cohort()
    d["G"] = np.where(d.DM == 1, "b_case", "a_control")
    c = compare_groups(d, "G", "CRP", test="welch")
    assert c.levels == ("a_control", "b_case") and c.reason == "requested test 'welch'"
    assert c.statistic == pytest.approx(welch_t(d.CRP[d.DM == 0], d.CRP[d.DM == 1]).statistic)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(group="nope", variable="Age"), "not in the data"),
        (dict(group="Sex", variable="Rare", test="student"), "needs a numeric variable"),
        (dict(group="Age", variable="CRP"), "exactly two levels"),
        (dict(group="DM", variable="Age", test="ttest"), "'test' parameter"),
    ],
)
def test_compare_groups_bad_input(kwargs, match):
    with pytest.raises(InputError, match=match):
        compare_groups(_cohort(), **kwargs)


def test_compare_groups_missing_and_tiny_groups():
    d = _cohort()
    d.loc[3, "Age"] = np.nan
    with pytest.raises(InputError, match="'Age' has 1 missing"):
        compare_groups(d, "DM", "Age")
    assert compare_groups(d, "DM", "Age", missing="drop").n_missing == 1
    tiny = pd.DataFrame({"g": [0, 0, 0, 1], "x": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(InputError, match="group 1 .* has 1 member"):
        compare_groups(tiny, "g", "x")


# --------------------------------------------------------------------------- data= and printing


def _two_groups():
    return pd.DataFrame(
        {
            "crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
            "met": ["no"] * 5 + ["yes"] * 4,
            "sex": ["F", "M", "M", "F", "M", "F", "M", "M", "M"],
        }
    )


def test_data_and_columns_equal_arrays():
    d = _two_groups()
    x, y = d.crp[d.met == "no"].to_numpy(), d.crp[d.met == "yes"].to_numpy()
    for f in (mann_whitney, student_t, welch_t):
        assert f(data=d, dv="crp", group="met").to_dict() == f(x, y).to_dict()
    assert levene(data=d, dv="crp", group="met").to_dict() == levene(x, y).to_dict()
    assert shapiro_wilk(data=d, dv="crp").to_dict() == shapiro_wilk(d.crp).to_dict()
    table = [[2, 3], [1, 3]]  # table(met, sex): rows no/yes, columns F/M
    assert chi_square(data=d, rows="met", columns="sex").observed == ((2.0, 3.0), (1.0, 3.0))
    assert (
        fisher_exact(data=d, rows="met", columns="sex").to_dict() == fisher_exact(table).to_dict()
    )
    with pytest.raises(InputError, match="not both"):
        student_t(x, y, data=d, dv="crp", group="met")
    with pytest.raises(InputError, match="dv="):
        welch_t(data=d, group="met")
    with pytest.raises(InputError, match="exactly two levels"):
        mann_whitney(data=d.assign(met=list("abcabcabc")), dv="crp", group="met")


# R 4.2.2: x <- c(5.1, 4.9, 6.2, 5.8, 6.0); y <- c(6.4, 7.1, 6.8, 7.3)
#   print(t.test(x, y, var.equal = TRUE)); print(chisq.test(matrix(c(84, 469, 38, 287), 2)))
#   car::leveneTest(c(x, y) ~ factor(rep(1:2, c(5, 4))))
R_T_PRINT = """
\tTwo Sample t-test

data:  x and y
t = -3.8648, df = 7, p-value = 0.006173
alternative hypothesis: true difference in means is not equal to 0
95 percent confidence interval:
 -2.0953819 -0.5046181
sample estimates:
mean of x mean of y
      5.6       6.9
"""
R_CHISQ_PRINT = """
\tPearson's Chi-squared test with Yates' continuity correction

data:  table
X-squared = 1.8108, df = 1, p-value = 0.1784
"""
R_LEVENE_PRINT = """Levene's Test for Homogeneity of Variance (center = median)
      Df F value Pr(>F)
group  1  0.4749 0.5129
       7"""


def test_results_print_as_r_prints_them():
    x, y = [5.1, 4.9, 6.2, 5.8, 6.0], [6.4, 7.1, 6.8, 7.3]
    assert str(student_t(x, y)).strip("\n") == R_T_PRINT.strip("\n")
    assert str(chi_square([[84, 38], [469, 287]])).strip("\n") == R_CHISQ_PRINT.strip("\n")
    assert str(levene(x, y)) == R_LEVENE_PRINT
    r = repr(welch_t(x, y))
    assert r.startswith("TTestResult(statistic=-4.044, df=6.906, pvalue=0.005047") and len(r) < 200
    wide = mann_whitney(np.zeros((5, 300)) + np.arange(5)[:, None], np.ones((4, 300)) * 2.5)
    assert len(repr(wide)) < 300 and wide.to_frame().shape == (300, 8)
