"""Tests of cetrus.stats.baseline (live R parity lives in validation/cases/baseline.py)."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats as sps

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats.baseline import mann_whitney


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
    res = mann_whitney(X_R, Y_R)
    assert res.statistic == 9.5
    assert_allclose(res.pvalue, 0.11307037495798454, rtol=1e-12)
    assert res.method == "Wilcoxon rank sum test with continuity correction"
    assert_allclose(mann_whitney(X_R, Y_R, correct=False).pvalue, 0.097607069473352334, rtol=1e-12)
    ex = mann_whitney([0.3, 1.2, 2.8, 4.1, 5.0], [1.0, 3.3, 6.1, 7.4, 8.8, 9.2], exact=True)
    assert ex.statistic == 6 and ex.exact and math.isnan(ex.z)
    assert_allclose(ex.pvalue, 0.12554112554112554, rtol=1e-12)
    assert ex.method == "Wilcoxon rank sum exact test"


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
    assert_allclose(res.pvalue, mann_whitney([1, 2, 2, 4], [2, 3, 5]).pvalue)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=15),
       st.lists(st.integers(0, 6), min_size=1, max_size=15), st.booleans())
def test_matches_naive_reference(xs, ys, correct):
    x, y = np.array(xs, float), np.array(ys, float)
    if np.unique(np.concatenate([x, y])).size == 1:
        return  # all tied: undefined, tested separately
    res = mann_whitney(x, y, correct=correct)
    u, p = _naive_mwu(x, y, correct)
    assert res.statistic == pytest.approx(u, abs=1e-12)
    assert res.pvalue == pytest.approx(p, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=2, max_size=12),
       st.lists(st.floats(-5, 5), min_size=2, max_size=12))
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


@pytest.mark.parametrize("x, y, match", [
    ([], [1, 2], "'x' is empty"),
    ([1, np.nan], [1, 2], "'x' has 1 missing"),
    ([1, 2], ["a", "b"], "'y' must be numeric"),
    (np.ones((3, 2)), np.ones((3, 3)), "same number of columns"),
    (np.ones((3, 2)), np.ones(3), "same number of columns"),
])
def test_bad_input(x, y, match):
    with pytest.raises(InputError, match=match):
        mann_whitney(x, y)


def test_bad_alternative():
    with pytest.raises(InputError, match="'alternative' parameter of mann_whitney"):
        mann_whitney([1, 2], [3, 4], alternative="two-sided")
