"""Tests of cetrus.stats.roc: frozen pROC values, a naive O(n²) reference, invariances,
edge cases and bad input. The live R comparison is in validation/cases/roc.py."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from cetrus.errors import AUCBelowHalfWarning, InputError, UndefinedStatisticWarning
from cetrus.stats import (
    auc_ci,
    clopper_pearson,
    diagnostic_metrics,
    roc_curve,
    roc_test,
    youden_threshold,
)
from cetrus.stats.roc import roc_test_pairs
from validation.cases._data import HARD, NUMACC_PREDICTOR, NUMACC_RESPONSE

# A deterministic tie-heavy sample (60 patients, 26 cases) for frozen pROC values.
_I = np.arange(60)
Y = ((_I * 11) % 7 < 3).astype(int)
X = ((_I * 37) % 29) / 4.0 + 1.5 * Y
X2 = ((_I * 13) % 17) / 2.0 + 0.8 * Y


@pytest.fixture(scope="module")
def asah():
    """The frozen sample (kept under its old name: the fixture used by every test)."""
    return Y, X


def naive_auc_and_var(y, x):
    """O(n²) DeLong straight from the definition (DeLong et al. 1988): the reference."""
    cases, controls = x[y == 1], x[y == 0]
    psi = (cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])
    v10, v01 = psi.mean(axis=1), psi.mean(axis=0)
    auc = psi.mean()
    var = v10.var(ddof=1) / cases.size + v01.var(ddof=1) / controls.size
    return auc, var, v10, v01


def test_auc_ci_frozen_proc_values(asah):
    # R: r <- roc(y, x, levels = c(0, 1), direction = "<")
    #    c(auc(r), ci.auc(r, method = "delong")[c(1, 3)], var(r))
    res = auc_ci(*asah)
    assert_allclose(res.estimate, 0.72228506787330315, atol=1e-12)
    assert_allclose(res.ci_low, 0.5918546783688482, atol=1e-12)
    assert_allclose(res.ci_high, 0.85271545737775811, atol=1e-12)
    assert_allclose(res.variance, 0.0044285484500416628, atol=1e-15)
    assert (res.n_cases, res.n_controls, res.method, res.direction) == (26, 34, "delong", "<")


def test_auc_matches_naive_reference_on_ties():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    x = rng.integers(0, 5, 300).astype(float) + y * 0.5
    auc, var, *_ = naive_auc_and_var(y, x)
    res = auc_ci(y, x)
    assert_allclose(res.estimate, auc, atol=1e-14)
    assert_allclose(res.variance, var, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(-4, 4)), min_size=6, max_size=60))
def test_auc_and_variance_equal_naive_for_any_tied_sample(pairs):
    y = np.array([p[0] for p in pairs])
    x = np.array([p[1] for p in pairs], dtype=float)
    if y.sum() < 2 or (1 - y).sum() < 2:
        return
    auc, var, *_ = naive_auc_and_var(y, x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AUCBelowHalfWarning)  # random samples: either side of 0.5
        res = auc_ci(y, x)
    assert_allclose(res.estimate, auc, atol=1e-13)
    assert_allclose(res.variance, var, atol=1e-13)


def test_roc_test_frozen_proc_values():
    # R: t <- roc.test(roc(y, x), roc(y, x2), method = "delong", paired = TRUE)
    #    c(t$statistic, t$p.value, t$conf.int)
    res = roc_test(Y, X, X2)
    assert_allclose(res.statistic, 1.8579894024090495, atol=1e-12)
    assert_allclose(res.pvalue, 0.063170519263225935, atol=1e-12)
    assert_allclose(
        [res.ci_low, res.ci_high], [-0.0090956567252067355, 0.34054362052611165], atol=1e-12
    )
    swapped = roc_test(Y, X2, X)
    assert_allclose(swapped.statistic, -res.statistic, atol=1e-14)
    assert_allclose(swapped.pvalue, res.pvalue, atol=1e-14)
    assert_allclose(res.difference, res.estimate[0] - res.estimate[1])


def test_roc_test_of_identical_curves_is_z0_p1_as_proc():
    # R: r <- roc(y, x); t <- roc.test(r, r); c(t$statistic, t$p.value, t$conf.int)  # 0 1 0 0
    #    (also for roc(y, 2 * x + 1): identical placements)
    for other in (X, 2 * X + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pROC does not warn either
            res = roc_test(Y, X, other)
        assert (res.statistic, res.pvalue, res.ci_low, res.ci_high, res.difference) == (
            0,
            1,
            0,
            0,
            0,
        )


def _models(k, n=300, seed=5):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    base = rng.normal(size=n) + y
    scores = {
        f"m{j}": np.round(base + rng.normal(scale=0.3 + 0.2 * j, size=n), 1) for j in range(k)
    }
    return y, scores


def test_roc_test_pairs_equal_pairwise_roc_test():
    y, scores = _models(5)
    scores["copy"] = scores["m0"] * 3  # identical placements to m0
    res = roc_test_pairs(y, scores, conf_level=0.9)
    names = list(scores)
    assert res.names == tuple(names) and len(res.tests) == 6 * 5 // 2
    assert res.pairs == tuple((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
    for (a, b), t in zip(res.pairs, res.tests):
        one = roc_test(y, scores[a], scores[b], conf_level=0.9)
        assert_allclose(
            [t.statistic, t.pvalue, t.ci_low, t.ci_high, t.difference, *t.estimate],
            [one.statistic, one.pvalue, one.ci_low, one.ci_high, one.difference, *one.estimate],
            rtol=1e-12,
            atol=1e-15,
        )
    t = res.test("m0", "copy")
    assert (t.statistic, t.pvalue, t.ci_low, t.ci_high) == (0, 1, 0, 0)
    back = res.test("m3", "m1")
    assert_allclose(back.statistic, -res.test("m1", "m3").statistic)
    assert back.estimate == res.test("m1", "m3").estimate[::-1]
    # the covariance matrix: diagonal = each curve's DeLong variance
    assert_allclose(
        np.diag(res.covariance), [auc_ci(y, scores[k]).variance for k in names], rtol=1e-12
    )
    assert_allclose(res.covariance, res.covariance.T, rtol=1e-13)
    rec = res.records()[0]
    assert (
        rec["model_a"] == "m0" and rec["model_b"] == "m1" and rec["pvalue"] == res.tests[0].pvalue
    )
    with pytest.raises(InputError, match="no test of 'm0' against 'zz'"):
        res.test("m0", "zz")


def test_roc_test_pairs_bad_input():
    y, scores = _models(2)
    with pytest.raises(InputError, match="at least 2 curves"):
        roc_test_pairs(y, {"a": scores["m0"]})
    with pytest.raises(InputError, match="mapping"):
        roc_test_pairs(y, [scores["m0"], scores["m1"]])
    with pytest.raises(InputError, match="m1"):
        roc_test_pairs(y, {"m0": scores["m0"], "m1": scores["m1"][:-1]})


def test_roc_test_matches_naive_covariance():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 200)
    a = rng.normal(size=200) + y
    b = a + rng.normal(scale=0.7, size=200)
    _, _, xa, ya = naive_auc_and_var(y, a)
    _, _, xb, yb = naive_auc_and_var(y, b)
    m, n = y.sum(), (1 - y).sum()
    s = np.cov(np.vstack([xa, xb])) / m + np.cov(np.vstack([ya, yb])) / n
    sd = np.sqrt(s[0, 0] + s[1, 1] - 2 * s[0, 1])
    res = roc_test(y, a, b)
    assert_allclose(res.statistic, (xa.mean() - xb.mean()) / sd, rtol=1e-12)


def test_flipping_labels_gives_one_minus_auc(asah):
    y, x = asah
    a = auc_ci(y, x)
    with pytest.warns(AUCBelowHalfWarning, match=r"< 0.5 under direction '<'.*'>'"):
        flipped = auc_ci(1 - y, x)
    assert_allclose(flipped.estimate, 1 - a.estimate, atol=1e-14)
    assert_allclose(flipped.variance, a.variance, atol=1e-15)


def test_direction_reverse_and_auto(asah):
    y, x = asah
    assert_allclose(auc_ci(y, -x, direction=">").estimate, auc_ci(y, x).estimate)
    auto = auc_ci(y, -x, direction="auto")
    assert auto.direction == ">"
    assert_allclose(auto.estimate, auc_ci(y, x).estimate)


def test_ci_clipped_to_unit_interval():
    y = np.array([0, 0, 0, 1, 1, 1])
    res = auc_ci(y, np.array([1.0, 2, 3, 4, 5, 6]))
    assert res.estimate == 1.0 and res.ci_high == 1.0 and res.variance == 0.0


def test_single_case_gives_nan_variance_with_warning():
    with pytest.warns(UndefinedStatisticWarning):
        res = auc_ci([0, 0, 0, 1], [0.1, 0.2, 0.3, 0.4])
    assert res.estimate == 1.0 and np.isnan(res.variance) and np.isnan(res.ci_low)


def test_bootstrap_is_seeded_and_brackets_the_estimate(asah):
    a = auc_ci(*asah, method="bootstrap", n_boot=500, seed=7)
    b = auc_ci(*asah, method="bootstrap", n_boot=500, seed=7)
    assert a == b
    assert a.ci_low < a.estimate < a.ci_high
    # close to the DeLong interval on 113 patients
    d = auc_ci(*asah)
    assert abs(a.ci_low - d.ci_low) < 0.03 and abs(a.ci_high - d.ci_high) < 0.03


def test_bootstrap_replicates_equal_naive_resample_auc():
    from cetrus.stats import roc as roc_mod

    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 60)
    x = rng.integers(0, 6, 60).astype(float)
    prep = roc_mod._prepare(y, x, "<", None, "t")
    pl = roc_mod._tie_groups(prep.is_case, prep.score)
    fast = roc_mod._bootstrap_aucs(prep, pl, 20, seed=3)
    # replay the same draws naively (one chunk: all case draws, then all control draws)
    g = np.random.default_rng(3)
    cases, controls = x[y == 1], x[y == 0]
    case_draws = g.integers(0, cases.size, size=(20, cases.size))
    control_draws = g.integers(0, controls.size, size=(20, controls.size))
    naive = []
    for ci, co in zip(case_draws, control_draws):
        naive.append(
            naive_auc_and_var(
                np.r_[np.ones(ci.size), np.zeros(co.size)], np.r_[cases[ci], controls[co]]
            )[0]
        )
    assert_allclose(fast, naive, atol=1e-14)


def test_roc_curve_and_youden(asah):
    y, x = asah
    curve = roc_curve(y, x)
    assert curve.thresholds[0] == -np.inf and curve.thresholds[-1] == np.inf
    assert curve.sensitivity[0] == 1 and curve.specificity[-1] == 1
    assert np.all(np.diff(curve.thresholds) > 0)
    # R: coords(roc(y, x), "best", best.method = "youden", ret = c("threshold", "tp", "fp", "tn", "fn"))
    best = youden_threshold(y, x)
    assert_allclose(best.threshold, 4.375, atol=1e-12)
    assert (best.tp, best.fp, best.tn, best.fn) == (17, 11, 23, 9)
    assert best.rule == "youden" and best.threshold in best.tied_thresholds


def test_youden_on_procs_near_tie_predictor_equals_proc():
    # R: r <- roc(resp, pred, levels = c(1, 2), direction = "<")
    #    coords(r, "best", ret = c("threshold", "sensitivity", "specificity", "tp", "fp", "tn", "fn"))
    #    -> threshold 0x1.4e9e09262614dp-1, sensitivity 1, specificity 0.7142857142857143, 11 2 5 0
    #    sprintf("%a", r$thresholds)[5:8]; sprintf("%a", auc(r)) -> 0x1.8ef606a63bd82p-1
    y = NUMACC_RESPONSE == 2
    best = youden_threshold(y, NUMACC_PREDICTOR)
    assert best.threshold == float.fromhex("0x1.4e9e09262614dp-1")
    assert (best.tp, best.fp, best.tn, best.fn) == (11, 2, 5, 0)
    assert best.specificity == pytest.approx(0.7142857142857143, abs=1e-15)  # was 0.571
    curve = roc_curve(y, NUMACC_PREDICTOR)
    assert [t.hex() for t in curve.thresholds[4:8]] == [
        "0x1.14ce1c76fe8d1p-1",
        "0x1.4e9e09262614dp-1",
        "0x1.4e9e09262614ep-1",
        "0x1.5134dac3bbe7ep-1",
    ]
    assert auc_ci(y, NUMACC_PREDICTOR).estimate == pytest.approx(
        float.fromhex("0x1.8ef606a63bd82p-1"), abs=1e-15
    )
    # R: r2 <- roc(2 - resp, pred, levels = c(0, 1), direction = ">"); coords(r2, "best")
    #    -> threshold 0x1.4e9e09262614cp-1, sensitivity 0.7142857142857143, specificity 1
    rev = youden_threshold(~y, NUMACC_PREDICTOR, direction=">")
    assert rev.threshold == float.fromhex("0x1.4e9e09262614cp-1")
    assert (rev.sensitivity, rev.specificity) == (pytest.approx(0.7142857142857143, abs=1e-15), 1.0)


_EASY = np.array(
    [
        -103,
        -102,
        -101,
        -10,
        -9,
        -8,
        -7,
        -6,
        -5,
        -0.1,
        -0.01,
        -0.001,
        0,
        0,
        0.001,
        0.01,
        0.1,
        5,
        6,
        7,
        8,
        9,
        10,
        101,
        102,
        103.0,
    ]
)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("direction", ["<", ">"])
def test_extreme_magnitudes_and_adjacent_doubles_as_an_easy_predictor(seed, direction):
    # pROC's test-numeric-accuracy.R: adjacent doubles near ±DBL_MAX, ±1e100 and ±0 must
    # give the curve of the same ranks spelled with easy numbers; and each threshold must
    # classify as its curve point says (no midpoint overflows or lands on a data value)
    rng = np.random.default_rng(seed)
    idx = rng.choice(HARD.size, HARD.size, replace=bool(seed % 2))
    y = np.resize([0, 1], HARD.size)
    rng.shuffle(y)
    hard, easy = (
        roc_curve(y, HARD[idx], direction=direction),
        roc_curve(y, _EASY[idx], direction=direction),
    )
    np.testing.assert_array_equal(hard.sensitivity, easy.sensitivity)
    np.testing.assert_array_equal(hard.specificity, easy.specificity)
    assert np.all(np.isfinite(hard.thresholds[1:-1])) and np.all(np.diff(hard.thresholds) > 0)
    for k in range(1, hard.thresholds.size - 1):
        m = diagnostic_metrics(y, HARD[idx], hard.thresholds[k], direction=direction)
        assert (m.sensitivity, m.specificity) == (hard.sensitivity[k], hard.specificity[k])


def test_auc_below_half_warns_and_keeps_the_direction():
    y = np.array([0, 0, 0, 1, 1, 1])
    x = np.array([6.0, 5, 2, 3, 1, 4])
    with pytest.warns(AUCBelowHalfWarning, match="pROC's direction='auto'"):
        res = auc_ci(y, x)
    assert res.direction == "<" and res.estimate == pytest.approx(2 / 9)
    with warnings.catch_warnings():
        warnings.simplefilter("error", AUCBelowHalfWarning)
        assert auc_ci(y, x, direction=">").estimate == pytest.approx(7 / 9)
        assert auc_ci(y, x, direction="auto").direction == ">"


def test_threshold_transfers_between_cohorts():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 400)
    x = rng.normal(size=400) + y
    t = youden_threshold(y[:300], x[:300]).threshold
    res = diagnostic_metrics(y[300:], x[300:], t)
    called = x[300:] >= t
    assert res.tp == int((called & (y[300:] == 1)).sum())
    assert res.tn == int((~called & (y[300:] == 0)).sum())
    assert_allclose(res.accuracy, (res.tp + res.tn) / 100)


def test_diagnostic_direction_reverse_uses_le():
    y = np.array([0, 0, 1, 1])
    x = np.array([3.0, 2.0, 1.0, 2.0])
    res = diagnostic_metrics(y, x, 2.0, direction=">")
    assert (res.tp, res.fp, res.tn, res.fn) == (2, 1, 1, 0)


def test_zero_denominator_is_nan_with_warning():
    with pytest.warns(UndefinedStatisticWarning):
        res = diagnostic_metrics([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 10.0)
    assert np.isnan(res.ppv) and res.npv == 0.5


def test_clopper_pearson_frozen_binom_test():
    # R: binom.test(7, 20)$conf.int
    assert_allclose(clopper_pearson(7, 20), (0.15390920478454115, 0.59218853453282816), atol=1e-12)
    assert clopper_pearson(0, 5)[0] == 0.0 and clopper_pearson(5, 5)[1] == 1.0


def test_large_n_is_memory_linear():
    # a cases x controls matrix at this n would need ~ 2e11 bytes; finishing proves it is not formed
    rng = np.random.default_rng(0)
    n = 1_000_000
    y = rng.random(n) < 0.3
    x = rng.normal(size=n) + y
    res = auc_ci(y, x)
    assert 0.7 < res.estimate < 0.8 and res.variance > 0


@pytest.mark.parametrize(
    "y, x, match",
    [
        ([0, 1, np.nan, 1], [1, 2, 3, 4], "missing"),
        ([0, 1, 0, 1], [1, np.nan, 3, 4], "missing"),
        ([1, 1, 1, 1], [1, 2, 3, 4], "single level"),
        ([0, 1, 2, 1], [1, 2, 3, 4], "exactly two levels"),
        ([0, 1, 0, 1], ["a", "b", "c", "d"], "numeric"),
        ([0, 1, 0, 1], [1, 2, 3], "same length"),
    ],
)
def test_bad_input_raises_clear_errors(y, x, match):
    with pytest.raises(InputError, match=match):
        auc_ci(y, x)


def test_bad_parameters_name_the_parameter():
    with pytest.raises(InputError, match="'direction' parameter of auc_ci"):
        auc_ci([0, 1], [1, 2], direction="up")
    with pytest.raises(InputError, match="'conf_level' parameter"):
        auc_ci([0, 1, 0, 1], [1, 2, 3, 4], conf_level=95)
    with pytest.raises(InputError, match="positive level 'x'"):
        auc_ci([0, 1, 0, 1], [1, 2, 3, 4], positive="x")


def test_string_outcome_and_positive_level():
    y = pd.Series(["no", "yes", "no", "yes", "no"])
    x = [0.1, 0.9, 0.3, 0.4, 0.5]
    assert auc_ci(y, x).estimate == auc_ci(y, x, positive="yes").estimate
    with pytest.warns(AUCBelowHalfWarning):
        below = auc_ci(y, x, positive="no")
    assert_allclose(below.estimate, 1 - auc_ci(y, x).estimate)


def test_results_are_frozen_and_json_safe(asah):
    res = auc_ci(*asah)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.estimate = 0.5  # type: ignore[misc]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = auc_ci([0, 0, 0, 1], [1, 2, 3, 4]).to_dict()
    assert d["variance"] is None and set(res.to_dict()) >= {"estimate", "ci_low", "ci_high"}


@pytest.mark.parametrize(
    "cases, controls",
    [
        ([1.0, 1.0, 3.0, 3.0], [0.0, 0.0, 2.0, 2.0, 4.0]),  # ties within classes only
        ([1.0, 2.0, 2.0, 3.0], [2.0, 0.0, 3.0, 3.0, 1.0]),  # ties across classes
        ([5.0, 5.0, 5.0], [5.0, 5.0]),  # everything tied
    ],
)
def test_within_and_across_class_ties_equal_naive(cases, controls):
    y = np.r_[np.ones(len(cases)), np.zeros(len(controls))].astype(int)
    x = np.r_[cases, controls]
    auc, var, *_ = naive_auc_and_var(y, x)
    res = auc_ci(y, x)
    assert_allclose([res.estimate, res.variance], [auc, var], atol=1e-15)


# --------------------------------------------------------------------------- display and API (issue 14)


def _big():
    rng = np.random.default_rng(3)
    y = np.r_[np.zeros(400, int), np.ones(300, int)]
    return y, rng.normal(size=700) + 0.8 * y, rng.normal(size=700) + 0.5 * y


def test_reprs_are_short_and_name_the_headline():
    y, a, b = _big()
    results = [
        auc_ci(y, a),
        auc_ci(y, a, method="bootstrap", n_boot=50, seed=1),
        roc_test(y, a, b),
        roc_test(y, a, b, paired=False),
        roc_test_pairs(y, {"a": a, "b": b, "c": a + b}),
        youden_threshold(y, a),
        diagnostic_metrics(y, a, 0.3),
        roc_curve(y, a),
    ]
    for res in results:
        text = repr(res)
        assert len(text) < 200, text
        assert text.startswith(type(res).__name__ + "(")
    assert "estimate=" in repr(results[0]) and "pvalue=" in repr(results[2])
    assert "n_thresholds=" in repr(results[-1])


def test_auc_prints_as_proc():
    res = auc_ci(Y, X)
    lines = str(res).splitlines()
    assert lines[0] == f"Area under the curve: {res.estimate:.4g}"
    assert lines[1] == f"95% CI: {res.ci_low:.4g}-{res.ci_high:.4g} (DeLong)"
    assert lines[2] == "Data: 34 controls < 26 cases (direction '<')"
    assert "stratified bootstrap replicates" in str(
        auc_ci(Y, X, method="bootstrap", n_boot=20, seed=0)
    )
    assert str(auc_ci(Y, X, conf_level=0.9)).splitlines()[1].startswith("90% CI: ")


def test_roc_test_prints_the_htest_block():
    text = str(roc_test(Y, X, X2, alternative="greater"))
    lines = text.splitlines()
    assert lines[0] == "DeLong's test for two correlated ROC curves"
    assert lines[3].startswith("Z = ") and ", p-value = " in lines[3]
    assert lines[4] == "alternative hypothesis: true difference in AUC is greater than 0"
    assert lines[5] == "95 percent confidence interval:"
    assert "AUC of a" in text and "sample estimates:" in text
    unpaired = str(roc_test(Y, X, X2, paired=False, alternative="less")).splitlines()
    assert unpaired[0] == "DeLong's test for two ROC curves"
    assert unpaired[3].startswith("D = ") and ", df = " in unpaired[3]
    assert unpaired[4].endswith("is less than 0")


def test_threshold_and_curve_print_their_tables():
    text = str(youden_threshold(Y, X))
    assert text.startswith("Diagnostic metrics at threshold ")
    assert "rule: youden" in text and "95% CI low" in text
    for metric in ("sensitivity", "specificity", "accuracy", "ppv", "npv"):
        assert metric in text
    curve = str(roc_curve(Y, X))
    assert f"Area under the curve: {auc_ci(Y, X).estimate:.4g}" in curve


def test_to_frame_shapes():
    curve = roc_curve(Y, X)
    frame = curve.to_frame()
    assert list(frame.columns) == ["threshold", "sensitivity", "specificity"]
    assert frame.shape == (curve.thresholds.size, 3)
    assert_allclose(frame["sensitivity"], curve.sensitivity)
    pairs = roc_test_pairs(Y, {"x": X, "x2": X2, "s": X + X2})
    frame = pairs.to_frame()
    assert frame.shape == (3, 9)
    assert frame.to_dict(orient="records") == pairs.records()
    assert roc_test(Y, X, X2).to_frame().shape == (1, 13)
    thr = diagnostic_metrics(Y, X, 4.0).to_frame()
    assert thr.shape == (5, 4) and list(thr["metric"]) == [
        "sensitivity",
        "specificity",
        "accuracy",
        "ppv",
        "npv",
    ]
    assert auc_ci(Y, X).to_frame().shape[0] == 1


def test_html_is_escaped():
    html = roc_test_pairs(Y, {"<script>a": X, "b&c": X2})._repr_html_()
    assert "&lt;script&gt;a" in html and "<script>" not in html and "b&amp;c" in html
    assert "<table" in roc_curve(Y, X)._repr_html_()


def test_data_form_equals_array_form():
    df = pd.DataFrame({"y": Y, "x": X, "x2": X2})
    assert auc_ci(data=df, outcome="y", score="x") == auc_ci(Y, X)
    boot = dict(method="bootstrap", n_boot=30, seed=4)
    assert auc_ci(data=df, outcome="y", score="x", **boot) == auc_ci(Y, X, **boot)
    named = roc_test(data=df, outcome="y", score_a="x", score_b="x2")
    assert named.labels == ("x", "x2") and "data:  x and x2" in str(named)
    assert dataclasses.replace(named, labels=("a", "b")) == roc_test(Y, X, X2)
    unpaired = roc_test(
        data=df, outcome="y", score_a="x", score_b="x2", paired=False, outcome_b="y"
    ).to_dict()
    assert unpaired.pop("labels") == ["x", "x2"]
    want = roc_test(Y, X, X2, paired=False).to_dict()
    want.pop("labels")
    assert unpaired == want
    a = roc_test_pairs(data=df, outcome="y", scores=["x", "x2"])
    b = roc_test_pairs(Y, {"x": X, "x2": X2})
    assert a.tests == b.tests and a.names == b.names
    c1, c2 = roc_curve(data=df, outcome="y", score="x"), roc_curve(Y, X)
    assert np.array_equal(c1.thresholds, c2.thresholds)
    assert np.array_equal(c1.sensitivity, c2.sensitivity)
    assert youden_threshold(data=df, outcome="y", score="x") == youden_threshold(Y, X)
    assert diagnostic_metrics(data=df, outcome="y", score="x", threshold=4.0) == diagnostic_metrics(
        Y, X, 4.0
    )


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda df: auc_ci(Y, X, data=df, outcome="y", score="x"), "not both"),
        (lambda df: auc_ci(data=df, outcome="y", score="nope"), "no column"),
        (lambda df: auc_ci(data=df, outcome="y"), "score"),
        (lambda df: auc_ci(outcome="y", score="x"), "needs data="),
        (lambda df: auc_ci(data=df.to_numpy(), outcome="y", score="x"), "DataFrame"),
        (lambda df: auc_ci(Y), "y_score"),
        (lambda df: roc_test(data=df, outcome="y", score_a="x", score_b=X2), "column name"),
        (lambda df: roc_test(Y, X, X2, outcome="y"), "needs"),
        (lambda df: roc_test_pairs(data=df, outcome="y", scores={"x": X}), "column"),
        (lambda df: diagnostic_metrics(data=df, outcome="y", score="x"), "threshold"),
    ],
)
def test_data_form_errors(call, match):
    df = pd.DataFrame({"y": Y, "x": X, "x2": X2})
    with pytest.raises(InputError, match=match):
        call(df)


@pytest.mark.parametrize("paired", [True, False])
def test_r_spelling_of_alternative_is_an_alias(paired):
    r = roc_test(Y, X, X2, paired=paired, alternative="two.sided")
    assert r.to_dict() == roc_test(Y, X, X2, paired=paired, alternative="two-sided").to_dict()
    assert r.alternative == "two-sided"
    with pytest.raises(InputError, match="two.sided"):
        roc_test(Y, X, X2, paired=paired, alternative="both")


def test_metric_intervals_are_named_low_and_high():
    res = diagnostic_metrics(Y, X, 4.0, conf_level=0.9)
    import dataclasses

    names = {f.name for f in dataclasses.fields(res)}
    assert not {"sensitivity_ci", "specificity_ci", "accuracy_ci", "ppv_ci", "npv_ci"} & names
    counts = {
        "sensitivity": (res.tp, res.tp + res.fn),
        "specificity": (res.tn, res.tn + res.fp),
        "accuracy": (res.tp + res.tn, len(Y)),
        "ppv": (res.tp, res.tp + res.fp),
        "npv": (res.tn, res.tn + res.fn),
    }
    for k, (x, n) in counts.items():
        low, high = clopper_pearson(x, n, 0.9)
        assert getattr(res, f"{k}_ci_low") == low and getattr(res, f"{k}_ci_high") == high
        assert isinstance(getattr(res, f"{k}_ci_low"), float)
    assert res.to_dict()["sensitivity_ci_low"] == res.sensitivity_ci_low


def test_clopper_pearson_from_scipy_equals_the_beta_quantiles():
    # the formula the library call replaced: Beta^-1(a/2; x, n-x+1), Beta^-1(1-a/2; x+1, n-x)
    from scipy import special

    for n in (1, 2, 7, 20, 113):
        for x in range(n + 1):
            for level in (0.8, 0.95, 0.99):
                a = 1 - level
                low = 0.0 if x == 0 else special.betaincinv(x, n - x + 1, a / 2)
                high = 1.0 if x == n else special.betaincinv(x + 1, n - x, 1 - a / 2)
                assert_allclose(clopper_pearson(x, n, level), (low, high), rtol=1e-13, atol=0)
    assert all(np.isnan(clopper_pearson(0, 0)))


def test_curve_area_equals_the_auc():
    y, a, _ = _big()
    assert roc_curve(y, a).auc == pytest.approx(auc_ci(y, a).estimate, abs=1e-14)
    assert roc_curve(Y, X, direction=">").auc == pytest.approx(
        auc_ci(Y, X, direction=">").estimate, abs=1e-14
    )
