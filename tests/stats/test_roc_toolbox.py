"""pROC's toolbox (cetrus.stats.roc_more, roc_test's new options): properties, brute-force
re-computations and bad input. Live parity with pROC is in validation/cases/roc_toolbox.py."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats import (
    Resamples,
    auc_ci,
    auc_partial,
    ci_coords,
    ci_thresholds,
    diagnostic_metrics,
    power_roc_test,
    power_roc_test_binormal,
    power_roc_test_paired,
    roc_coords,
    roc_cov,
    roc_curve,
    roc_test,
    roc_test_pairs,
    roc_var,
    stratified_resamples,
    youden_threshold,
)


def _sample(n=150, seed=0, ties=None, prevalence=0.4):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(int)
    common = rng.normal(size=n)
    a = common + 0.9 * y + rng.normal(scale=0.7, size=n)
    b = 0.5 * common + 0.5 * y + rng.normal(size=n)
    if ties:
        a, b = np.round(a * ties) / ties, np.round(b * ties) / ties
    return y, a, b


def _naive_placements(y, x):
    """DeLong placements from the full cases × controls kernel (O(mn))."""
    cases, controls = x[y == 1], x[y == 0]
    psi = (cases[:, None] > controls[None, :]) + 0.5 * (cases[:, None] == controls[None, :])
    return psi.mean(axis=1), psi.mean(axis=0), psi.mean()


def _naive_var(y, x):
    v10, v01, _ = _naive_placements(y, x)
    return np.var(v10, ddof=1) / v10.size + np.var(v01, ddof=1) / v01.size


def _curve_points(y, x):
    """(sp, se) of the empirical curve with sp ascending, brute force over every cut."""
    cuts = np.concatenate(([-np.inf], np.unique(x), [np.inf]))
    se = np.array([np.mean(x[y == 1] >= c) for c in cuts])
    sp = np.array([np.mean(x[y == 0] < c) for c in cuts])
    return sp, se


def _area_between(xs, ys, lo, hi):
    """Exact area under the piecewise-linear curve through (xs, ys), xs ascending, between
    lo and hi (vertical segments contribute nothing)."""
    total = 0.0
    for x0, x1, y0, y1 in zip(xs[:-1], xs[1:], ys[:-1], ys[1:]):
        if x1 <= x0:
            continue
        a, b = max(lo, x0), min(hi, x1)
        if b <= a:
            continue
        f = lambda t: y0 + (y1 - y0) * (t - x0) / (x1 - x0)  # noqa: E731
        total += (b - a) * (f(a) + f(b)) / 2
    return total


# --------------------------------------------------------------------------- partial AUC


@pytest.mark.parametrize("ties", [None, 2])
def test_partial_auc_full_range_is_the_auc_and_ranges_add_up(ties):
    y, a, _ = _sample(ties=ties)
    full = auc_ci(y, a).estimate
    for focus in ("specificity", "sensitivity"):
        whole = auc_partial(y, a, focus=focus, limits=(0.0, 1.0), ci=False).estimate
        assert whole == pytest.approx(full, abs=1e-12)
        parts = sum(
            auc_partial(y, a, focus=focus, limits=lim, ci=False).estimate
            for lim in ((0.0, 0.37), (0.37, 0.81), (0.81, 1.0))
        )
        assert parts == pytest.approx(full, abs=1e-12)


@pytest.mark.parametrize("ties", [None, 3])
@pytest.mark.parametrize("limits", [(0.8, 1.0), (0.5, 0.83), (0.9013, 0.9017), (0.2, 0.45)])
def test_partial_auc_equals_exact_area_of_the_interpolated_curve(ties, limits):
    y, a, _ = _sample(n=120, seed=3, ties=ties)
    sp, se = _curve_points(y, a)
    lo, hi = limits
    spec = auc_partial(y, a, focus="specificity", limits=limits, ci=False).estimate
    assert spec == pytest.approx(_area_between(sp, se, lo, hi), abs=1e-12)
    sens = auc_partial(y, a, focus="sensitivity", limits=limits, ci=False).estimate
    assert sens == pytest.approx(_area_between(se[::-1], sp[::-1], lo, hi), abs=1e-12)


def test_mcclish_correction_formula_and_bounds():
    y, a, _ = _sample()
    lo, hi = 0.8, 1.0
    raw = auc_partial(y, a, limits=(lo, hi), ci=False).estimate
    cor = auc_partial(y, a, limits=(lo, hi), correct=True, ci=False).estimate
    mn, mx = ((1 - hi) + (1 - lo)) * (hi - lo) / 2, hi - lo
    assert cor == pytest.approx((1 + (raw - mn) / (mx - mn)) / 2, abs=1e-15)
    perfect = auc_partial([0, 0, 1, 1], [1, 2, 3, 4], limits=(lo, hi), correct=True, ci=False)
    assert perfect.estimate == pytest.approx(1.0, abs=1e-15)
    # a curve under the diagonal: nan with a warning (pROC: NA)
    with pytest.warns(UndefinedStatisticWarning):
        below = auc_partial(y, -a, limits=(lo, hi), correct=True, ci=False)
    assert math.isnan(below.estimate)


def test_partial_auc_bootstrap_equals_brute_force_over_the_given_resamples():
    y, a, _ = _sample(n=80, seed=5, ties=2)
    m, n = int(y.sum()), int((1 - y).sum())
    rs = stratified_resamples(m, n, 60, seed=9)
    res = auc_partial(y, a, limits=(0.7, 0.95), correct=True, resamples=rs, conf_level=0.9)
    cases, controls = a[y == 1], a[y == 0]
    reps = []
    for ci, ni in zip(rs.cases, rs.controls):
        yy = np.r_[np.ones(m, int), np.zeros(n, int)]
        xx = np.r_[cases[ci], controls[ni]]
        sp, se = _curve_points(yy, xx)
        area = _area_between(sp, se, 0.7, 0.95)
        mn, mx = ((1 - 0.95) + (1 - 0.7)) * 0.25 / 2, 0.25
        reps.append((1 + (area - mn) / (mx - mn)) / 2)
    low, high = np.quantile(reps, [0.05, 0.95])
    assert (res.ci_low, res.ci_high) == (
        pytest.approx(low, abs=1e-12),
        pytest.approx(high, abs=1e-12),
    )
    assert res.n_boot == 60 and res.seed is None


def test_seeded_bootstrap_is_reproducible_and_equals_its_resamples():
    y, a, _ = _sample()
    r1 = auc_partial(y, a, n_boot=200, seed=4)
    r2 = auc_partial(y, a, n_boot=200, seed=4)
    rs = stratified_resamples(int(y.sum()), int((1 - y).sum()), 200, seed=4)
    r3 = auc_partial(y, a, resamples=rs)
    assert (r1.ci_low, r1.ci_high) == (r2.ci_low, r2.ci_high) == (r3.ci_low, r3.ci_high)
    assert r1.ci_low < r1.estimate < r1.ci_high


# --------------------------------------------------------------------------- auc_ci replay


def test_auc_ci_with_resamples_equals_naive_auc_of_each_replicate():
    y, a, _ = _sample(n=90, seed=2, ties=2)
    m, n = int(y.sum()), int((1 - y).sum())
    rs = stratified_resamples(m, n, 80, seed=1)
    res = auc_ci(y, a, method="bootstrap", resamples=rs)
    cases, controls = a[y == 1], a[y == 0]
    aucs = []
    for ci, ni in zip(rs.cases, rs.controls):
        c, k = cases[ci], controls[ni]
        aucs.append(((c[:, None] > k) + 0.5 * (c[:, None] == k)).mean())
    low, high = np.quantile(aucs, [0.025, 0.975])
    assert res.ci_low == pytest.approx(low, abs=1e-12)
    assert res.ci_high == pytest.approx(high, abs=1e-12)
    assert res.n_boot == 80
    # the identity resample reproduces the sample: a degenerate interval at the AUC
    ident = Resamples(np.tile(np.arange(m), (3, 1)), np.tile(np.arange(n), (3, 1)))
    deg = auc_ci(y, a, method="bootstrap", resamples=ident)
    assert deg.ci_low == pytest.approx(deg.estimate) and deg.ci_high == pytest.approx(deg.estimate)


def test_auc_ci_seeded_bootstrap_unchanged_by_the_resamples_option():
    y, a, _ = _sample()
    before = auc_ci(y, a, method="bootstrap", n_boot=300, seed=7)
    again = auc_ci(y, a, method="bootstrap", n_boot=300, seed=7)
    assert before == again and before.seed == 7


# --------------------------------------------------------------------------- tests


def test_unpaired_delong_equals_naive_formula():
    y1, a, _ = _sample(n=120, seed=11, ties=2)
    y2, _, b = _sample(n=200, seed=12)
    res = roc_test(y1, a, b, y_true_b=y2, paired=False)
    va, vb = _naive_var(y1, a), _naive_var(y2, b)
    theta_a, theta_b = _naive_placements(y1, a)[2], _naive_placements(y2, b)[2]
    d = (theta_a - theta_b) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(y1) - 1) + vb**2 / (len(y2) - 1))
    from scipy import stats

    assert res.statistic == pytest.approx(d, rel=1e-12)
    assert res.df == pytest.approx(df, rel=1e-12)
    assert res.pvalue == pytest.approx(2 * stats.t.sf(abs(d), df), rel=1e-10)
    assert math.isnan(res.ci_low) and math.isnan(res.ci_high) and res.paired is False
    assert (res.n_cases_b, res.n_controls_b) == (int(y2.sum()), int((1 - y2).sum()))
    swapped = roc_test(y2, b, a, y_true_b=y1, paired=False)
    assert swapped.statistic == pytest.approx(-res.statistic, rel=1e-12)
    assert swapped.pvalue == pytest.approx(res.pvalue, rel=1e-12)


@pytest.mark.parametrize("paired", [True, False])
def test_one_sided_pvalues_partition_the_two_sided_one(paired):
    y, a, b = _sample(seed=21)
    two = roc_test(y, a, b, paired=paired)
    less = roc_test(y, a, b, paired=paired, alternative="less")
    greater = roc_test(y, a, b, paired=paired, alternative="greater")
    assert less.pvalue + greater.pvalue == pytest.approx(1.0, abs=1e-14)
    assert two.pvalue == pytest.approx(2 * min(less.pvalue, greater.pvalue), rel=1e-12)
    if paired:  # the interval stays two-sided under a one-sided alternative (pROC)
        assert (less.ci_low, less.ci_high) == (two.ci_low, two.ci_high)
    else:  # pROC's unpaired DeLong test has no interval
        assert math.isnan(less.ci_low) and math.isnan(two.ci_high) and two.df > 0
    assert greater.statistic == two.statistic and greater.alternative == "greater"


def test_paired_default_is_unchanged():
    y, a, b = _sample(seed=22)
    res = roc_test(y, a, b)
    pair = roc_test_pairs(y, {"a": a, "b": b}).tests[0]
    assert res == pair
    assert res.alternative == "two-sided" and res.paired and res.df is None


# --------------------------------------------------------------------------- var / cov


def test_var_and_cov_equal_delong_pieces():
    y, a, b = _sample(seed=31, ties=3)
    assert roc_var(y, a) == pytest.approx(_naive_var(y, a), rel=1e-12)
    assert roc_var(y, a) == pytest.approx(auc_ci(y, a).variance, rel=1e-12)
    assert roc_cov(y, a, a) == pytest.approx(roc_var(y, a), rel=1e-12)
    assert roc_cov(y, a, b) == pytest.approx(roc_cov(y, b, a), rel=1e-12)
    S = roc_test_pairs(y, {"a": a, "b": b}).covariance
    assert roc_cov(y, a, b) == pytest.approx(S[0, 1], rel=1e-10)
    v10a, v01a, _ = _naive_placements(y, a)
    v10b, v01b, _ = _naive_placements(y, b)
    naive = np.cov(v10a, v10b)[0, 1] / v10a.size + np.cov(v01a, v01b)[0, 1] / v01a.size
    assert roc_cov(y, a, b) == pytest.approx(naive, rel=1e-12)


# --------------------------------------------------------------------------- coords


def test_coords_at_thresholds_equal_diagnostic_metrics_and_lrs():
    y, a, _ = _sample(seed=41)
    ts = np.quantile(a, [0.2, 0.5, 0.8])
    co = roc_coords(y, a, ts)
    for i, t in enumerate(ts):
        dm = diagnostic_metrics(y, a, t)
        for key in ("sensitivity", "specificity", "ppv", "npv", "accuracy"):
            assert getattr(co, key)[i] == pytest.approx(getattr(dm, key), abs=1e-14)
        assert co.tp[i] == pytest.approx(dm.tp) and co.fn[i] == pytest.approx(dm.fn)
        assert co.lr_positive[i] == pytest.approx(dm.sensitivity / (1 - dm.specificity))
        assert co.lr_negative[i] == pytest.approx((1 - dm.sensitivity) / dm.specificity)


def test_coords_by_sensitivity_interpolates_and_matches_exact_points():
    y, a, _ = _sample(seed=42, ties=2)
    curve = roc_curve(y, a)
    for input in ("sensitivity", "specificity"):
        values = getattr(curve, input)
        co = roc_coords(y, a, values, input=input)
        assert np.allclose(getattr(co, input), values, atol=1e-15)
        # the threshold read there classifies the data into that very point
        for t, s, p in zip(co.threshold, co.sensitivity, co.specificity):
            with warnings.catch_warnings():  # ±inf thresholds: no positive / negative calls
                warnings.simplefilter("ignore", UndefinedStatisticWarning)
                dm = diagnostic_metrics(y, a, t)
            assert (dm.sensitivity, dm.specificity) == (pytest.approx(s), pytest.approx(p))
    # between two points: linear, threshold nan, the requested value returned
    grid = np.linspace(0.01, 0.99, 37)
    co = roc_coords(y, a, grid, input="sensitivity")
    assert np.allclose(co.sensitivity, grid, atol=1e-12)
    assert np.all(np.diff(co.specificity) <= 1e-15)  # more sensitive → less specific
    sp, se = _curve_points(y, a)
    for g, s in zip(grid, co.specificity):
        if g in se:
            continue
        k = np.flatnonzero(se < g)[0]  # se descends along ascending sp
        frac = (g - se[k]) / (se[k - 1] - se[k])
        assert s == pytest.approx(sp[k] + frac * (sp[k - 1] - sp[k]), abs=1e-12)
    assert np.isnan(co.threshold[~np.isin(grid, se)]).all()


def test_best_thresholds_brute_force():
    y, a, _ = _sample(seed=43, ties=2)
    sp, se = _curve_points(y, a)
    yt = youden_threshold(y, a)
    best = roc_coords(y, a, "best")
    assert sorted(best.threshold.tolist()) == sorted(yt.tied_thresholds)
    for cost, prev in ((1.0, 0.5), (2.0, 0.3), (0.5, 0.2)):
        r = (1 - prev) / (cost * prev)
        yd = roc_coords(y, a, "best", best_weights=(cost, prev))
        assert np.all(yd.youden == pytest.approx(np.max(se + r * sp)))
        tl = roc_coords(y, a, "best", best_method="closest.topleft", best_weights=(cost, prev))
        d = (1 - se) ** 2 + r * (1 - sp) ** 2
        assert np.all(tl.closest_topleft == pytest.approx(d.min()))
        assert tl.threshold.size == int(np.sum(d == d.min()))


# --------------------------------------------------------------------------- ci.coords / ci.thresholds


def test_ci_thresholds_equal_brute_force():
    y, a, _ = _sample(seed=51)
    m, n = int(y.sum()), int((1 - y).sum())
    rs = stratified_resamples(m, n, 50, seed=2)
    ts = np.array([-0.5, 0.3, 1.1])
    res = ci_thresholds(y, a, ts, resamples=rs)
    cases, controls = a[y == 1], a[y == 0]
    se = np.array([[np.mean(cases[ci] >= t) for t in ts] for ci in rs.cases])
    sp = np.array([[np.mean(controls[ni] < t) for t in ts] for ni in rs.controls])
    assert np.allclose(res.sensitivity_ci_low, np.quantile(se, 0.025, axis=0), atol=1e-14)
    assert np.allclose(res.sensitivity_median, np.median(se, axis=0), atol=1e-14)
    assert np.allclose(res.specificity_ci_high, np.quantile(sp, 0.975, axis=0), atol=1e-14)


def test_ci_coords_equal_roc_coords_per_replicate():
    y, a, _ = _sample(seed=52)
    m, n = int(y.sum()), int((1 - y).sum())
    rs = stratified_resamples(m, n, 40, seed=3)
    res = ci_coords(
        y,
        a,
        [0.6, 0.9],
        input="sensitivity",
        ret=("specificity", "ppv"),
        resamples=rs,
        conf_level=0.8,
    )
    cases, controls = a[y == 1], a[y == 0]
    yy = np.r_[np.ones(m, int), np.zeros(n, int)]
    reps = np.array(
        [
            [
                roc_coords(
                    yy, np.r_[cases[ci], controls[ni]], [0.6, 0.9], input="sensitivity"
                ).specificity
            ]
            for ci, ni in zip(rs.cases, rs.controls)
        ]
    )[:, 0, :]
    assert np.allclose(res.ci_low["specificity"], np.quantile(reps, 0.1, axis=0), atol=1e-14)
    assert np.allclose(res.ci_high["specificity"], np.quantile(reps, 0.9, axis=0), atol=1e-14)


def test_ci_coords_best_policy():
    # two score levels, no signal: a replicate whose middle point has se + sp <= 1 has two
    # best points (both corners), one with se + sp > 1 a single best
    rng = np.random.default_rng(53)
    y, a = rng.integers(0, 2, 60), rng.integers(0, 2, 60).astype(float)
    with pytest.raises(InputError, match="best_policy"):
        ci_coords(y, a, "best", n_boot=200, seed=1)
    res = ci_coords(y, a, "best", n_boot=200, seed=1, best_policy="omit")
    assert 0 < res.n_omitted < 200
    assert res.ci_low["threshold"][0] <= res.ci_high["threshold"][0]


# --------------------------------------------------------------------------- power


def test_one_curve_power_round_trips():
    n = power_roc_test(auc=0.75, power=0.8, kappa=1.5)
    assert n.ncontrols == pytest.approx(1.5 * n.ncases)
    back = power_roc_test(auc=0.75, ncases=n.ncases, ncontrols=n.ncontrols)
    assert back.power == pytest.approx(0.8, abs=1e-12)
    sig = power_roc_test(
        auc=0.75, ncases=n.ncases, ncontrols=n.ncontrols, power=0.8, sig_level=None
    )
    assert sig.sig_level == pytest.approx(0.05, abs=1e-12)
    solved = power_roc_test(ncases=n.ncases, ncontrols=n.ncontrols, power=0.8)
    assert solved.auc == pytest.approx(0.75, abs=1e-4)  # uniroot's tolerance
    one = power_roc_test(auc=0.75, ncases=30, ncontrols=30, alternative="one-sided")
    two = power_roc_test(auc=0.75, ncases=30, ncontrols=30)
    assert one.power > two.power
    # the formula: ncases = (z_a sqrt(V0) + z_b sqrt(VA))^2 / delta^2
    from scipy.stats import norm

    A = norm.ppf(0.75) * 1.414
    va = 0.0099 * math.exp(-(A**2) / 2) * ((5 * A**2 + 8) + (A**2 + 8) / 1.5)
    v0 = 0.0792 * (1 + 1 / 1.5)
    expect = (norm.ppf(0.975) * math.sqrt(v0) + norm.ppf(0.8) * math.sqrt(va)) ** 2 / 0.25**2
    assert n.ncases == pytest.approx(expect, rel=1e-12)


def test_two_curve_power_from_delong_pieces():
    y, a, b = _sample(n=200, seed=61)
    m = int(y.sum())
    res = power_roc_test_paired(y, a, b, sig_level=0.05, power=0.9)
    v1, v2, c = roc_var(y, a) * m, roc_var(y, b) * m, roc_cov(y, a, b) * m
    delta = auc_ci(y, a).estimate - auc_ci(y, b).estimate
    from scipy.stats import norm

    expect = (
        norm.ppf(0.975) * math.sqrt(2 * v1 - 2 * c) + norm.ppf(0.9) * math.sqrt(v1 + v2 - 2 * c)
    ) ** 2 / delta**2
    assert res.ncases == pytest.approx(expect, rel=1e-12)
    pw = power_roc_test_paired(y, a, b)
    assert 0 < pw.power < 1 and pw.ncases == m
    # uncorrelated binormal curves: the covariance term vanishes
    un = power_roc_test_binormal(a1=1.5, b1=1, a2=1.0, b2=1, rn=0, ra=0, delta=0.07, power=0.8)
    assert un.ncases > 0 and un.ncontrols == pytest.approx(un.ncases)


# --------------------------------------------------------------------------- bad input


def test_bad_input_errors_name_the_argument():
    y, a, b = _sample()
    cases = [
        (lambda: auc_partial(y, a, n_boot=0), "n_boot"),
        (lambda: ci_coords(y, a, "best", n_boot=0), "n_boot"),
        (lambda: ci_thresholds(y, a, [0.1], n_boot=-3), "n_boot"),
        (lambda: auc_partial(y, a, limits=(0.8, 1.2), ci=False), "limits"),
        (lambda: auc_partial(y, a, limits=(-0.1, 0.5), ci=False), "limits"),
        (lambda: auc_partial(y, a, limits=(1.0, 0.8), ci=False), "limits"),
        (lambda: auc_partial(y, a, limits=(0.8, 0.8), ci=False), "limits"),
        (lambda: auc_partial(y, a, focus="fpr", ci=False), "focus"),
        (lambda: power_roc_test(auc=0.5, ncases=20, ncontrols=20), "auc"),
        (lambda: power_roc_test(auc=1.0, ncases=20, ncontrols=20), "auc"),
        (lambda: power_roc_test(auc=0.3, power=0.8), "auc"),
        (lambda: power_roc_test(auc=0.8, ncases=20, ncontrols=20, power=0.8), "exactly one"),
        (lambda: power_roc_test(auc=0.8, ncases=20, power=1.2, sig_level=None), "power"),
        (lambda: power_roc_test_paired(y, a, a), "equal"),
        (
            lambda: power_roc_test_binormal(a1=1, b1=1, a2=1, b2=1, rn=0, ra=0, delta=0, power=0.8),
            "equal",
        ),
        (
            lambda: power_roc_test_binormal(
                a1=1, b1=1, a2=1, b2=1, rn=2, ra=0, delta=0.1, power=0.8
            ),
            "rn",
        ),
        (lambda: roc_coords(y, a, [0.5, 1.1], input="sensitivity"), "'x'"),
        (lambda: roc_coords(y, a, -0.1, input="specificity"), "'x'"),
        (lambda: roc_coords(y, a, "best", best_weights=(1, 1.0)), "prevalence"),
        (lambda: roc_coords(y, a, "best", best_method="nearest"), "best_method"),
        (
            lambda: ci_coords(y, a, [0.9], input="sensitivity", ret=("threshold",), n_boot=5),
            "threshold",
        ),
        (lambda: roc_test(y, a, b, alternative="two_sided"), "alternative"),
        (lambda: auc_ci(y, a, resamples=stratified_resamples(3, 3, 2, 0)), "resamples"),
        (lambda: roc_test(y, a, b, y_true_b=y), "y_true_b"),
        (
            lambda: auc_ci(y, a, method="bootstrap", resamples={"cases": np.zeros((3, 2), int)}),
            "controls",
        ),
        (
            lambda: auc_ci(
                y,
                a,
                method="bootstrap",
                resamples=Resamples(np.zeros((3, 5), int), np.zeros((3, 5), int)),
            ),
            "resamples.cases",
        ),
        (
            lambda: auc_partial(
                y,
                a,
                resamples=Resamples(
                    np.full((2, int(y.sum())), int(y.sum())), np.zeros((2, int((1 - y).sum())), int)
                ),
            ),
            "outside",
        ),
    ]
    for call, needle in cases:
        with pytest.raises(InputError, match=needle), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()


# --------------------------------------------------------------------------- display and API (issue 14)


def test_toolbox_results_have_short_reprs_and_tidy_frames():
    y, a, b = _sample(n=600)
    pauc = auc_partial(y, a, n_boot=20, seed=1)
    coords = roc_coords(y, a, "all")
    cc = ci_coords(y, a, [0.0, 0.5], n_boot=20, seed=1, ret=("sensitivity", "specificity"))
    ct = ci_thresholds(y, a, [0.0, 0.5, 1.0], n_boot=20, seed=1)
    power = power_roc_test_paired(y, a, b)
    for res in (pauc, coords, cc, ct, power, power_roc_test(auc=0.75, ncases=30, ncontrols=30)):
        assert len(repr(res)) < 200, repr(res)
        assert "<table" in res._repr_html_()
    assert coords.to_frame().shape == (coords.n_points, 14)
    assert coords.n_points > 500  # the whole curve, yet the repr stays short
    frame = cc.to_frame()
    assert frame.shape == (4, 5) and set(frame["coordinate"]) == {"sensitivity", "specificity"}
    assert ct.to_frame().shape == (3, 7)
    np.testing.assert_array_equal(ct.to_frame()["sensitivity_ci_low"], ct.sensitivity_ci_low)
    assert pauc.to_frame().shape[0] == 1


def test_toolbox_prints_as_proc():
    y, a, b = _sample()
    lines = str(auc_partial(y, a, n_boot=20, seed=1, correct=True)).splitlines()
    assert lines[0].startswith("Corrected partial area under the curve (specificity 1-0.8): ")
    assert lines[1].startswith("95% CI (20 stratified bootstrap replicates): ")
    assert str(auc_partial(y, a, ci=False)).count("\n") == 0
    ct = str(ci_thresholds(y, a, [0.0, 0.5], n_boot=20, seed=1)).splitlines()
    assert ct[1].split() == ["sp.low", "sp.median", "sp.high", "se.low", "se.median", "se.high"]
    cc = str(ci_coords(y, a, "best", n_boot=20, seed=1, best_policy="omit")).splitlines()
    assert "threshold.low" in cc[1] and "sensitivity.high" in cc[1]
    one = str(power_roc_test(auc=0.75, ncases=30, ncontrols=30)).splitlines()
    assert one[0].strip() == "One ROC curve power calculation"
    assert [line.split(" = ")[0].strip() for line in one[2:]] == [
        "ncases",
        "ncontrols",
        "auc",
        "sig.level",
        "power",
    ]
    two = str(power_roc_test_paired(y, a, b)).splitlines()
    assert two[0].strip() == "Two ROC curves power calculation"
    assert "auc1" in two[4] and "auc2" in two[5]


def test_toolbox_data_form_equals_arrays():
    import pandas as pd

    y, a, b = _sample()
    df = pd.DataFrame({"y": y, "a": a, "b": b})
    kw = dict(n_boot=15, seed=2)
    assert auc_partial(data=df, outcome="y", score="a", **kw) == auc_partial(y, a, **kw)
    c1 = roc_coords(data=df, outcome="y", score="a", x="best").to_frame()
    pd.testing.assert_frame_equal(c1, roc_coords(y, a, "best").to_frame())
    c1 = ci_coords(data=df, outcome="y", score="a", x=[0.5], **kw).to_frame()
    pd.testing.assert_frame_equal(c1, ci_coords(y, a, [0.5], **kw).to_frame())
    t1 = ci_thresholds(data=df, outcome="y", score="a", thresholds=[0.5], **kw).to_frame()
    pd.testing.assert_frame_equal(t1, ci_thresholds(y, a, [0.5], **kw).to_frame())
    assert roc_var(data=df, outcome="y", score="a") == roc_var(y, a)
    assert roc_cov(data=df, outcome="y", score_a="a", score_b="b") == roc_cov(y, a, b)
    with pytest.raises(InputError, match="needs x"):
        ci_coords(data=df, outcome="y", score="a")
    with pytest.raises(InputError, match="needs data="):
        roc_cov(y, a, b, outcome="y")
