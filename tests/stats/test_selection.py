"""Tests for the radiomics selection: screening (Spearman filter), lasso (glmnet's path),
lasso_cv (cv.glmnet's rules), radscore, agreement, and the pipeline in selection."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit
from scipy.stats import spearmanr

from cetrus.errors import ConvergenceWarning, InputError, UndefinedStatisticWarning
from cetrus.stats.feature_agreement import agreement, rater_agreement
from cetrus.stats.lasso import _interp_coefficients, default_lambdas, lasso_path
from cetrus.stats.lasso_cv import cv_lasso, make_folds
from cetrus.stats.screening import mwu_pvalues, spearman, spearman_filter
from cetrus.stats.selection import select_features


def _frozen_data():
    rng = np.random.default_rng(2024)
    X = np.round(rng.normal(size=(40, 4)), 2)
    y = (X[:, 0] - X[:, 1] + rng.normal(size=40) > 0).astype(float)
    assert X[0].tolist() == [1.03, 1.64, 1.15, -0.97]  # the generator's stream is unchanged
    return X, y


def _sample(n=150, p=12, seed=0, signal=(1.0, -0.8)):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 5.0, p) + rng.normal(size=p)
    eta = sum(b * (X[:, j] - X[:, j].mean()) / X[:, j].std() for j, b in enumerate(signal))
    y = (rng.random(n) < expit(eta)).astype(int)
    return X, y


def _kkt(X, y, a0, coef, lam):
    """Largest violation of the lasso optimality conditions on the standardised scale."""
    sd = X.std(axis=0)
    Z = (X - X.mean(axis=0)) / sd
    r = expit(a0 + X @ coef) - y
    g = Z.T @ r / len(y)
    bs = coef * sd
    nz = bs != 0
    active = np.abs(g[nz] + lam * np.sign(bs[nz])).max(initial=0.0)
    inactive = max(np.abs(g[~nz]).max(initial=0.0) - lam, 0.0)
    return max(active, inactive, abs(r.mean()))


# --------------------------------------------------------------------------- Spearman


def test_spearman_frozen_r():
    # R: cor(X, method = "spearman")[1:2, 3:4]
    X, _ = _frozen_data()
    expected = [
        [-0.09168113448868952, -0.15684526671284513],
        [0.24897940058380974, 0.08333333333333331],
    ]
    np.testing.assert_allclose(spearman(X)[:2, 2:], expected, atol=1e-14)


def test_spearman_equals_pearson_of_midranks_with_ties():
    # naive reference: pandas' average ranks, then the textbook Pearson formula
    rng = np.random.default_rng(3)
    X = np.round(rng.normal(size=(60, 5)))
    r = pd.DataFrame(X).rank(method="average").to_numpy()
    c = r - r.mean(axis=0)
    ref = (c.T @ c) / np.sqrt(np.outer((c * c).sum(0), (c * c).sum(0)))
    np.testing.assert_allclose(spearman(X), ref, atol=1e-12)
    np.testing.assert_allclose(spearman(X[:, :2]), ref[:2, :2], atol=1e-12)  # 2 columns
    assert spearman(X[:, :1]).tolist() == [[1.0]]  # one column


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_spearman_invariant_to_monotone_transforms(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 4))
    Y = np.column_stack([np.exp(X[:, 0]), X[:, 1] ** 3, 2 * X[:, 2] + 7, -X[:, 3]])
    flip = np.array([1, 1, 1, -1.0])
    np.testing.assert_allclose(spearman(Y), spearman(X) * np.outer(flip, flip), atol=1e-12)


def test_spearman_constant_column_is_nan_with_warning():
    X = np.column_stack([np.arange(10.0), np.ones(10)])
    with pytest.warns(UndefinedStatisticWarning, match="constant"):
        rho = spearman(X)
    assert np.isnan(rho[0, 1]) and rho[0, 0] == 1.0


def _naive_filter(X, order, thr):
    rho = (
        spearmanr(X).statistic
        if X.shape[1] > 2
        else np.corrcoef(np.argsort(np.argsort(X, axis=0), axis=0).T)
    )
    kept = []
    for j in order:
        if all(abs(rho[j, k]) <= thr for k in kept):
            kept.append(j)
    return tuple(kept)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.3, 0.95))
def test_spearman_filter_equals_naive_greedy(seed, thr):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(40, 3))
    X = np.column_stack([base[:, i % 3] + rng.normal(scale=0.4, size=40) for i in range(9)])
    order = list(rng.permutation(9))
    assert spearman_filter(X, order, threshold=thr) == _naive_filter(X, order, thr)


def test_spearman_filter_keeps_first_of_a_redundant_pair_and_uses_labels():
    rng = np.random.default_rng(1)
    a = rng.normal(size=50)
    X = pd.DataFrame({"a": a, "a2": a * 2 + 0.01 * rng.normal(size=50), "b": rng.normal(size=50)})
    assert spearman_filter(X, ["a2", "b", "a"]) == ("a2", "b")
    assert spearman_filter(X) == ("a", "b")
    with pytest.raises(InputError, match="'zz'"):
        spearman_filter(X, ["zz"])


# --------------------------------------------------------------------------- LASSO path


def test_lasso_frozen_glmnet():
    # R: f <- glmnet::glmnet(X, y, family = "binomial", lambda = c(0.1, 0.02), thresh = 1e-20)
    #    as.numeric(f$a0); as.matrix(f$beta)
    X, y = _frozen_data()
    fit = lasso_path(X, y, lambdas=[0.02, 0.1], thresh=1e-20)
    np.testing.assert_allclose(fit.lambdas, [0.1, 0.02])
    np.testing.assert_allclose(
        fit.intercept, [-0.3632357460333508, -0.30465036722148187], rtol=1e-7
    )
    expected = np.array(
        [
            [0.8374765622503589, 1.7180243254975036],
            [-0.1940946401538753, -0.7660636107307653],
            [0.0, 0.23750708345007376],
            [0.0, -0.10421542569993023],
        ]
    )
    np.testing.assert_allclose(fit.coef, expected, rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("seed,p", [(0, 12), (1, 60)])
def test_lasso_at_tiny_thresh_satisfies_kkt(seed, p):
    X, y = _sample(n=80, p=p, seed=seed)
    with warnings.catch_warnings():
        # p = 60: the saturated tail of the path does not reach thresh = 1e-18 in maxit
        # passes; glmnet (and R) return the path before it, with this warning
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = lasso_path(X, y, thresh=1e-18)
    for i in range(0, fit.lambdas.size, 7):
        assert _kkt(X, y, fit.intercept[i], fit.coef[:, i], fit.lambdas[i]) < 1e-9
    # R's default thresh stops coordinate descent early: an approximation, looser KKT
    approx = lasso_path(X, y)
    worst = max(
        _kkt(X, y, approx.intercept[i], approx.coef[:, i], approx.lambdas[i])
        for i in range(approx.lambdas.size)
    )
    assert 1e-9 < worst < 1e-2


def test_lasso_leaves_its_input_alone_and_is_repeatable():
    # glmnet's Fortran standardises x and rewrites y and the offset in place
    X, y = _sample(p=6)
    X0, y0 = X.copy(), y.copy()
    a, b = lasso_path(X, y), lasso_path(X, y)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(a.coef, b.coef)


def test_lasso_above_lambda_max_is_null_model():
    X, y = _sample()
    fit = lasso_path(X, y)
    assert np.all(fit.coef[:, 0] == 0)
    np.testing.assert_allclose(fit.intercept[0], np.log(y.mean() / (1 - y.mean())), rtol=1e-12)
    # just below lambda_max exactly one feature enters
    below = lasso_path(X, y, lambdas=[fit.lambda_max * 0.999])
    assert (below.coef[:, 0] != 0).sum() == 1


def test_default_lambdas_follow_glmnet_rule():
    lam = default_lambdas(2.0, n=50, p=100)
    np.testing.assert_allclose(lam[[0, -1]], [2.0, 0.02])
    np.testing.assert_allclose(np.diff(np.log(lam)), np.log(0.01) / 99)
    assert default_lambdas(2.0, n=200, p=100)[-1] == pytest.approx(2e-4)


def test_lasso_constant_column_gets_zero_and_scale_invariance():
    X, y = _sample(p=5)
    Xc = np.column_stack([X, np.full(len(y), 3.0)])
    fit = lasso_path(Xc, y, lambdas=[0.01])
    assert fit.coef[-1, 0] == 0.0
    # standardisation: rescaling a column rescales its coefficient inversely
    X2 = X.copy()
    X2[:, 0] *= 10
    a, b = lasso_path(X, y, lambdas=[0.02]), lasso_path(X2, y, lambdas=[0.02])
    np.testing.assert_allclose(b.coef[0, 0] * 10, a.coef[0, 0], rtol=1e-9)
    np.testing.assert_allclose(a.linear_predictor(X), b.linear_predictor(X2), rtol=1e-9)


def test_lasso_bad_input():
    X, y = _sample()
    with pytest.raises(InputError, match="missing or infinite"):
        lasso_path(np.where(np.eye(len(y), X.shape[1]) == 1, np.nan, X), y)
    with pytest.raises(InputError, match="two levels"):
        lasso_path(X, np.zeros(len(y)))
    with pytest.raises(InputError, match="at least 2 cases"):
        lasso_path(X, np.r_[1, np.zeros(len(y) - 1)])
    with pytest.raises(InputError, match="non-negative"):
        lasso_path(X, y, lambdas=[-1.0])
    with pytest.raises(InputError, match="every feature column is constant"):
        lasso_path(np.ones((len(y), 3)), y)
    with pytest.raises(InputError, match="'thresh'"):
        lasso_path(X, y, thresh=0)
    with pytest.raises(InputError, match="'lambda_min_ratio'"):
        lasso_path(X, y, lambda_min_ratio=1.5)


# --------------------------------------------------------------------------- CV


def test_cv_frozen_glmnet_lambda_min():
    # R: f <- glmnet::cv.glmnet(X, y, family = "binomial", foldid = rep_len(1:4, 40), thresh = 1e-20)
    #    c(f$lambda.min, f$lambda.1se, f$cvm[1], length(f$lambda))
    X, y = _frozen_data()
    cv = cv_lasso(X, y, foldid=np.resize(np.arange(1, 5), 40), thresh=1e-20)
    assert cv.lambda_min == pytest.approx(0.03332122535365437, rel=1e-10)
    assert cv.lambda_1se == pytest.approx(0.11167950722783855, rel=1e-10)
    assert cv.cvm[0] == pytest.approx(1.4325131765800334, rel=1e-8)
    assert cv.lambdas.size == 61


def _glmnet_data(name):
    """R data sets saved for these tests (``write.csv``), with a fixed ``foldid``:

    glmnet_infert.csv  -- infert: case, age, parity, induced, spontaneous,
                          edu12 = (education == "12+ yrs"); set.seed(14);
                          foldid = sample(rep(1:10, length = 248))
    glmnet_birthwt.csv -- MASS::birthwt: low and model.matrix(~ age + lwt + factor(race) +
                          smoke + ptl + ht + ui + ftv)[, -1]; set.seed(1);
                          foldid = sample(rep(1:10, length = 189))
    """
    from pathlib import Path

    d = pd.read_csv(Path(__file__).parent / "data" / f"glmnet_{name}.csv")
    y = d.pop(d.columns[0]).to_numpy(float)
    foldid = d.pop("foldid").to_numpy()
    return d.to_numpy(float), y, foldid


# R (glmnet 4.1-6, default thresh = 1e-7), for each data set above:
#   f <- cv.glmnet(X, y, family = "binomial", foldid = foldid); g <- f$glmnet.fit
#   c(length(f$lambda), f$lambda.min, f$lambda.1se, f$cvm[1], f$cvsd[1], f$cvm[f$index[1]])
#   as.numeric(coef(f, s = "lambda.min"))
#   c(g$lambda[c(1, 2, length(g$lambda))], g$nulldev, g$dev.ratio[length(g$lambda)])
_R_CV_DEFAULT = {
    "infert": dict(
        cv=[
            60,
            0.0034511052061280451,
            0.0816010172181520083,
            1.2809286678112214997,
            0.0356361669522865313,
            1.1151483906895829357,
        ],
        coef=[
            -2.153403093734377993,
            0.037088788067949914,
            -0.666580064398367922,
            1.098698228173459190,
            1.834753390691757025,
            -0.325825925000455097,
        ],
        path=[
            1.7176231933888494e-01,
            1.5650342828560718e-01,
            7.0972403338084378e-04,
            3.1617111081640422e02,
            1.7924309281960685e-01,
        ],
    ),
    "birthwt": dict(
        cv=[
            52,
            0.010692822120096845,
            0.090862623361122524,
            1.267980273052764506,
            0.068320877793542456,
            1.205964169578930267,
        ],
        coef=[
            0.242276304711594559,
            -0.019099372010384325,
            -0.012297258876806914,
            0.930690730481749440,
            0.603445017504247394,
            0.704870395341214762,
            0.468574748082380255,
            1.502686307469015103,
            0.631183085706411795,
            0.0,
        ],
        path=[
            9.0862623361122524e-02,
            8.2790638329604010e-02,
            7.9027676043571615e-04,
            2.3467199619321843e02,
            1.4222884138942324e-01,
        ],
    ),
}


@pytest.mark.parametrize("name", ["infert", "birthwt"])
def test_cv_equals_r_glmnet_at_default_thresh(name):
    X, y, foldid = _glmnet_data(name)
    want = _R_CV_DEFAULT[name]
    cv = cv_lasso(X, y, foldid=foldid)
    i = cv.index_min
    assert cv.lambdas.size == want["cv"][0]
    got = [cv.lambda_min, cv.lambda_1se, cv.cvm[0], cv.cvsd[0], cv.cvm[i]]
    np.testing.assert_allclose(got, want["cv"][1:], rtol=1e-10)
    coef = np.r_[cv.path.intercept[i], cv.path.coef[:, i]]
    np.testing.assert_allclose(coef, want["coef"], rtol=1e-10, atol=1e-13)
    p = cv.path
    np.testing.assert_allclose(
        [p.lambdas[0], p.lambdas[1], p.lambdas[-1], p.null_deviance, p.dev_ratio[-1]],
        want["path"],
        rtol=1e-10,
    )
    # R's first lambda is extrapolated from the 2nd and 3rd; it is lambda_max
    assert p.lambda_max == pytest.approx(p.lambdas[0], rel=1e-12)


def test_cv_threads_give_the_serial_result():
    X, y = _sample(n=120, p=15, seed=6)
    foldid = make_folds(len(y), 5, 3)
    one = cv_lasso(X, y, foldid=foldid, n_jobs=1)
    for jobs in (3, None):
        many = cv_lasso(X, y, foldid=foldid, n_jobs=jobs)
        np.testing.assert_array_equal(many.cvm, one.cvm)
        np.testing.assert_array_equal(many.cvsd, one.cvsd)
        np.testing.assert_array_equal(many.path.coef, one.path.coef)
    with pytest.raises(InputError, match="'n_jobs'"):
        cv_lasso(X, y, foldid=foldid, n_jobs=0)


def test_cv_with_few_rows_per_fold_is_ungrouped_as_glmnet():
    # 2 rows per fold: R enforces grouped = FALSE (cvsd from the rows, / (n - 1)).
    # R (X, y written with %.17g): f <- cv.glmnet(X, y, family = "binomial", foldid = rep_len(1:20, 40))
    #   c(f$lambda.min, f$lambda.1se, f$cvsd[c(1, 10, length(f$lambda))], f$cvm[10])
    X, y = _sample(n=40, p=5, seed=3)
    with pytest.warns(UndefinedStatisticWarning, match="grouped=FALSE"):
        cv = cv_lasso(X, y, foldid=np.resize(np.arange(1, 21), 40))
    got = [cv.lambda_min, cv.lambda_1se, cv.cvsd[0], cv.cvsd[9], cv.cvsd[-1], cv.cvm[9]]
    np.testing.assert_allclose(
        got,
        [
            0.072308122801669414,
            0.126360498147160466,
            0.052306301307452521,
            0.094863487227543744,
            0.322400931172924510,
            1.096811961975522776,
        ],
        rtol=1e-10,
    )


def test_cv_rules_and_seeded_folds():
    X, y = _sample(seed=4)
    cv = cv_lasso(X, y, folds=5, seed=7)
    assert cv.lambda_min == cv.lambdas[cv.index_min] == max(cv.lambdas[cv.cvm <= cv.cvm.min()])
    assert cv.lambda_1se >= cv.lambda_min
    assert cv.cvm[cv.index_1se] <= cv.cvm[cv.index_min] + cv.cvsd[cv.index_min]
    assert np.array_equal(cv.foldid, make_folds(len(y), 5, 7))
    np.testing.assert_array_equal(np.bincount(cv.foldid)[1:], [30] * 5)
    again = cv_lasso(X, y, folds=5, seed=7)
    np.testing.assert_array_equal(cv.cvm, again.cvm)
    with pytest.raises(InputError, match="foldid"):
        cv_lasso(X, y, foldid=[1, 2, 3])
    with pytest.raises(InputError, match="'folds'"):
        cv_lasso(X, y, folds=2)


def test_interpolation_is_glmnets_linear_rule():
    lam = np.array([1.0, 0.5, 0.25])
    a0 = np.array([0.0, 1.0, 2.0])
    B = np.array([[0.0, 2.0, 4.0]])
    a, b = _interp_coefficients(lam, a0, B, np.array([1.0, 0.75, 0.25, 0.1, 2.0]))
    np.testing.assert_allclose(a, [0.0, 0.5, 2.0, 2.0, 0.0])
    np.testing.assert_allclose(b[0], [0.0, 1.0, 4.0, 4.0, 0.0])


# --------------------------------------------------------------------------- the three steps


def _feature_frame(seed=0, n=160):
    X, y = _sample(n=n, p=20, seed=seed, signal=(1.2, -1.0, 0.6))
    frame = pd.DataFrame(X, columns=[f"f{j:04d}" for j in range(20)])
    frame["f0003"] = frame["f0000"] * 2 + 0.001 * np.random.default_rng(9).normal(size=n)
    return frame, y


def test_select_features_steps_and_score():
    X, y = _feature_frame()
    fs = select_features(X, y, seed=1)
    pv = mwu_pvalues(X, y)
    assert fs.after_mwu == tuple(c for c in X.columns if pv[c] < 0.05)
    # visiting order: ascending p; f0003 duplicates f0000 so only the one with smaller p stays
    assert list(fs.after_spearman) == sorted(fs.after_spearman, key=lambda c: pv[c])
    assert not {"f0000", "f0003"} <= set(fs.after_spearman)
    assert set(fs.selected) <= set(fs.after_spearman) and fs.selected
    score = fs.score(X)
    manual = fs.intercept + X[list(fs.selected)].to_numpy() @ [
        fs.coefficients[f] for f in fs.selected
    ]
    np.testing.assert_allclose(score, manual)
    i = fs.cv.index_min
    np.testing.assert_allclose(score, fs.cv.path.linear_predictor(X)[:, i])
    assert fs.lambda_ == fs.cv.lambda_min
    d = fs.to_dict()
    assert {"mwu_pvalues", "after_mwu", "after_spearman", "selected", "coefficients"} <= set(d)


def test_select_features_ties_visit_in_column_order():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(20), np.zeros(20)]
    a = y * 3 + rng.normal(size=40)
    X = pd.DataFrame({"b": a.copy(), "a": a.copy()})  # identical p-values, perfectly correlated
    fs = select_features(X, y, lasso=False)
    assert fs.after_spearman == ("b",)
    with pytest.raises(InputError, match="without the LASSO"):
        fs.score(X)


def test_select_features_nothing_passes_gives_intercept_only():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 3)), columns=["a", "b", "c"])
    y = np.r_[np.ones(20), np.zeros(40)]
    with pytest.warns(UndefinedStatisticWarning, match="intercept-only"):
        fs = select_features(X, y, p_threshold=1e-12)
    assert fs.selected == () and fs.cv is None
    np.testing.assert_allclose(fs.score(X), np.log(20 / 40))


def test_select_features_bad_input():
    X, y = _feature_frame()
    with pytest.raises(InputError, match="lambda_rule"):
        select_features(X, y, lambda_rule="max")
    with pytest.raises(InputError, match="DataFrame"):
        select_features(X.to_numpy(), y)
    bad = X.assign(f0001=X["f0001"].astype(str))
    with pytest.raises(InputError, match="'f0001'"):
        select_features(bad, y)


# --------------------------------------------------------------------------- agreement


def _icc2_naive(a, b):
    x = np.column_stack([a, b])
    n, k = x.shape
    gm = x.mean()
    msr = k * ((x.mean(1) - gm) ** 2).sum() / (n - 1)
    msc = n * ((x.mean(0) - gm) ** 2).sum() / (k - 1)
    sse = ((x - x.mean(1, keepdims=True) - x.mean(0, keepdims=True) + gm) ** 2).sum()
    mse = sse / ((n - 1) * (k - 1))
    return (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)


def test_agreement_matches_shrout_fleiss_icc2_and_aligns_rows():
    rng = np.random.default_rng(0)
    r1 = pd.DataFrame(
        rng.normal(size=(25, 3)), columns=["f0", "f1", "f2"], index=[f"P{i}" for i in range(25)]
    )
    r2 = r1 + rng.normal(scale=0.3, size=r1.shape)
    icc = agreement(r1, r2.iloc[::-1])  # shuffled rows are matched by index
    for c in r1.columns:
        assert icc[c] == pytest.approx(_icc2_naive(r1[c], r2[c]), rel=1e-12)
    with pytest.raises(InputError, match="same patients"):
        agreement(r1, r2.rename(index={"P0": "Q"}))
    with pytest.raises(InputError, match="same columns"):
        agreement(r1, r2.rename(columns={"f0": "g"}))


def test_rater_agreement_long_table():
    rng = np.random.default_rng(1)
    rows = []
    for m in ("TDUS", "CEUS"):
        base = rng.normal(size=(10, 3))
        for r, noise in (("1", 0.0), ("2", 0.2)):
            for i in range(10):
                rows.append(
                    {
                        "patient_id": f"P{i}",
                        "modality": m,
                        "rater": r,
                        **{f"f{j:04d}": base[i, j] + noise * rng.normal() for j in range(3)},
                        "f0003": 0.0,
                    }
                )
    frame = pd.DataFrame(rows)
    res = rater_agreement(frame)
    assert set(res.mean) == {"TDUS", "CEUS"} and res.n_undefined["TDUS"] == 1
    assert res.mean["TDUS"] == pytest.approx(res.icc["TDUS"].iloc[:3].mean())
    assert res.reliable("TDUS", 0.5) == [
        c for c in ["f0000", "f0001", "f0002"] if res.icc["TDUS"][c] > 0.5
    ]
    with pytest.raises(InputError, match="rater 'x'"):
        rater_agreement(frame, raters=("1", "x"))


def test_mwu_pvalues_use_wilcox_normal_approximation():
    # R: wilcox.test(c(1.5, 2, 3, 4), c(0, 1, 1.5), exact = FALSE, correct = TRUE)$p.value
    X = pd.DataFrame({"a": [1.5, 2, 3, 4, 0, 1, 1.5]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = mwu_pvalues(X, [1, 1, 1, 1, 0, 0, 0])
    assert p["a"] == pytest.approx(0.0744618314174055, rel=1e-9)


def test_constant_columns_do_not_scramble_the_visiting_order():
    """A constant column's MWU p is nan; the visiting order (ascending p, ties by column)
    of the features that passed must not depend on where such columns sit."""
    import warnings

    import numpy as np
    import pandas as pd

    from cetrus.stats.selection import mwu_pvalues, select_features

    rng = np.random.default_rng(3)
    y = np.r_[np.ones(30), np.zeros(40)].astype(int)
    base = rng.normal(size=(70, 12)) + 0.8 * y[:, None] * (np.arange(12) < 8)
    base[:, 6] = base[:, 0] + rng.normal(scale=0.05, size=70)  # redundant with column 0
    cols = {f"f{j:02d}": base[:, j] for j in range(12)}
    for k in range(6):  # constant columns interleaved
        cols[f"c{k}"] = np.ones(70)
    X = pd.DataFrame(cols)[sorted(cols, key=lambda c: int(c[1:]) * 2 + (c[0] == "c"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fs = select_features(X, y, lasso=False)
        p = mwu_pvalues(X, y)
    passed = [c for c in X.columns if p[c] < 0.05]
    expected = sorted(passed, key=lambda c: (p[c], list(X.columns).index(c)))
    # the greedy filter visits in that order: its kept features are a subsequence of it
    kept = list(fs.after_spearman)
    assert kept == [c for c in expected if c in kept]
    assert not ("f00" in kept and "f06" in kept)  # one of the redundant pair goes


# --------------------------------------------------------------------------- API and display


def test_data_and_column_names_equal_arrays():
    X, y = _sample(n=120, p=6, seed=5)
    d = pd.DataFrame(X, columns=[f"c{j}" for j in range(6)]).assign(out=y)
    feats = ["c0", "c1", "c3"]
    a = lasso_path(X[:, [0, 1, 3]], y, lambdas=[0.05, 0.01])
    b = lasso_path(data=d, outcome="out", features=feats, lambdas=[0.05, 0.01])
    np.testing.assert_array_equal(a.coef, b.coef)
    assert b.features == tuple(feats)
    fid = make_folds(120, 4, 0)
    np.testing.assert_array_equal(
        cv_lasso(X, y, foldid=fid, n_jobs=1).cvm,
        cv_lasso(data=d, outcome="out", foldid=fid, n_jobs=1).cvm,
    )
    np.testing.assert_array_equal(
        mwu_pvalues(data=d, outcome="out").to_numpy(), mwu_pvalues(X, y).to_numpy()
    )
    np.testing.assert_array_equal(spearman(data=d, features=feats), spearman(X[:, [0, 1, 3]]))
    fs1 = select_features(d.drop(columns="out"), y, folds=4, n_jobs=1)
    fs2 = select_features(data=d, outcome="out", folds=4, n_jobs=1)
    assert fs1.selected == fs2.selected and fs1.coefficients == fs2.coefficients
    with pytest.raises(InputError, match="not both"):
        lasso_path(X, data=d, outcome="out")
    with pytest.raises(InputError, match="'outcome' column 'nope'"):
        cv_lasso(data=d, outcome="nope")
    with pytest.raises(InputError, match="also listed"):
        select_features(data=d, outcome="out", features=["c0", "out"])
    with pytest.raises(InputError, match="needs the outcome"):
        lasso_path(X)


def test_old_imports_from_selection_still_work():
    import cetrus.stats.selection as sel
    from cetrus.stats import feature_agreement as agreement_module
    from cetrus.stats import lasso as lasso_module

    assert sel.lasso_path is lasso_module.lasso_path
    assert sel.rater_agreement is agreement_module.rater_agreement
    for name in (
        "cv_lasso",
        "make_folds",
        "spearman",
        "spearman_filter",
        "mwu_pvalues",
        "LassoCV",
        "LassoPath",
        "RaterAgreement",
        "agreement",
        "default_lambdas",
    ):
        assert hasattr(sel, name)


def test_results_print_short_and_like_r():
    X, y = _sample(n=150, p=30, seed=2)
    frame = pd.DataFrame(X, columns=[f"f{j:02d}" for j in range(30)])
    fs = select_features(frame, y, folds=5, seed=0, n_jobs=1)
    text = repr(fs)
    assert len(text) < 250 and f"n_selected={len(fs.selected)}" in text
    assert f"n_after_mwu={len(fs.after_mwu)}" in text and "n_features=30" in text
    out = str(fs)
    assert "Mann-Whitney U p < 0.05" in out and "lambda.min" in out
    for f in fs.selected:
        assert f in out
    table = fs.to_frame()
    assert list(table["feature"]) == list(fs.selected)
    np.testing.assert_allclose(table["coefficient"], [fs.coefficients[f] for f in fs.selected])
    np.testing.assert_allclose(fs.score(frame), fs.radscore(frame))
    cv = fs.cv
    assert len(repr(cv)) < 150 and len(repr(cv.path)) < 150
    lines = str(cv).splitlines()
    assert lines[2] == "Measure: Binomial Deviance"
    assert lines[4].split() == ["Lambda", "Index", "Measure", "SE", "Nonzero"]
    assert lines[5].split()[:2] == ["min", f"{cv.lambda_min:.4g}"]
    assert int(lines[5].split()[2]) == cv.index_min + 1
    assert int(lines[6].split()[-1]) == int(cv.nzero[cv.index_1se])
    path_lines = str(cv.path).splitlines()
    assert (
        path_lines[2].split() == ["Df", "%Dev", "Lambda"]
        and len(path_lines) == 3 + cv.path.n_lambdas
    )
    assert float(path_lines[-1].split()[2]) == pytest.approx(100 * cv.path.dev_ratio[-1], abs=0.006)
    assert (
        cv.to_frame().shape == (cv.lambdas.size, 6)
        and cv.path.to_frame().shape[0] == cv.path.n_lambdas
    )
    assert "<table" in fs._repr_html_()


def test_radiomics_score_equals_path_linear_predictor():
    from cetrus.stats.radscore import radiomics_score

    X, y = _sample(n=120, p=8, seed=9)
    cv = cv_lasso(X, y, folds=4, seed=2, n_jobs=1)
    for rule, i in (("min", cv.index_min), ("1se", cv.index_1se)):
        s = radiomics_score(cv, lambda_rule=rule)
        np.testing.assert_allclose(
            s.score(X[:, [int(f[1:]) for f in s.features]]),
            cv.path.linear_predictor(X)[:, i],
            rtol=1e-12,
            atol=1e-12,
        )
        assert s.to_frame()["feature"].iloc[0] == "(Intercept)"
    with pytest.raises(InputError, match="lambda_rule"):
        radiomics_score(cv, lambda_rule="max")


def test_rater_agreement_prints_one_line_per_modality():
    rng = np.random.default_rng(4)
    rows = [
        {"patient_id": i, "modality": m, "rater": r, "f0": v + 0.1 * rng.normal()}
        for m in ("TDUS", "CEUS")
        for i, v in enumerate(rng.normal(size=8))
        for r in "AB"
    ]
    res = rater_agreement(pd.DataFrame(rows))
    assert res.to_frame()["modality"].tolist() == ["TDUS", "CEUS"]
    assert "TDUS=" in repr(res) and str(res).count("\n") == 4


@pytest.mark.parametrize(
    "module", ["screening", "lasso", "lasso_cv", "radscore", "feature_agreement", "selection"]
)
def test_docstring_examples_run(module):
    # the numpydoc Examples are doctests; `make test` runs them here
    import doctest
    import importlib

    mod = importlib.import_module(f"cetrus.stats.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 0 and result.failed == 0
