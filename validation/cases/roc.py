"""ROC parity: cetrus.stats.roc against pROC 1.18 (tolerance 1e-9, DESIGN.md).

Besides aSAH and generated samples: pROC's own near-tie predictor and extreme magnitudes
(its ``test-numeric-accuracy.R``) for thresholds/Youden, two identical curves for
``roc.test`` (Z = 0, p = 1, CI [0, 0]), and all pairs of K models at once
(:func:`cetrus.stats.roc.roc_test_pairs`) against ``roc.test`` pair by pair.
"""

from __future__ import annotations

import numpy as np

from cetrus.rbridge import r_eval
from cetrus.stats import auc_ci, diagnostic_metrics, roc_curve, roc_test, youden_threshold
from cetrus.stats.roc import roc_test_pairs
from validation.cases._data import HARD, NUMACC_PREDICTOR, NUMACC_RESPONSE, asah, binary_sample
from validation.harness import Tol, case

PKG = ("pROC",)

_R_AUC = """
r <- pROC::roc(y, x, levels = c(0, 1), direction = dir, quiet = TRUE)
ci <- pROC::ci.auc(r, method = "delong", conf.level = cl)
list(auc = as.numeric(pROC::auc(r)), low = ci[1], high = ci[3],
     var = pROC::var(r, method = "delong"), direction = r$direction)
"""


def _auc_checks(y, x, direction="<", conf_level=0.95):
    py = auc_ci(y, x, direction=direction, conf_level=conf_level)
    r = r_eval(
        _R_AUC,
        packages=PKG,
        y=np.asarray(y, float),
        x=np.asarray(x, float),
        dir=direction,
        cl=conf_level,
    )
    yield "auc", py.estimate, r["auc"]
    yield "ci_low", py.ci_low, r["low"]
    yield "ci_high", py.ci_high, r["high"]
    yield "variance", py.variance, r["var"]
    yield "direction", py.direction, r["direction"]


def _asah(column):
    return lambda: (asah()["poor"].to_numpy(), asah()[column].to_numpy().astype(float))


# (outcome, score) loaders: real data, tie-heavy, imbalanced and tiny samples
_SAMPLES = {
    "aSAH s100b (ties)": _asah("s100b"),
    "aSAH ndka": _asah("ndka"),
    "aSAH wfns (5 levels)": _asah("wfns"),
    "generated n=500 continuous": lambda: binary_sample(500, 0.3, 1)[:2],
    "generated n=2000 tie-heavy (4 levels)": lambda: binary_sample(2000, 0.3, 2, ties=4)[:2],
    "generated n=400 imbalanced 4%": lambda: binary_sample(400, 0.04, 3)[:2],
    "generated n=7 (3 cases)": lambda: binary_sample(7, 3 / 7, 4)[:2],
}
for _name, _load in _SAMPLES.items():
    case("auc_delong", _name, packages=PKG)(lambda load=_load: _auc_checks(*load()))


@case("auc_delong", "aSAH s100b direction '>' conf 0.9", packages=PKG)
def _auc_reversed():
    d = asah()
    yield from _auc_checks(d["poor"].to_numpy(), d["s100b"].to_numpy(), ">", 0.9)


@case("auc_delong", "aSAH ndka direction auto", packages=PKG)
def _auc_auto():
    d = asah()
    # flipping the score makes auto pick '>'
    yield from _auc_checks(d["poor"].to_numpy(), -d["ndka"].to_numpy(), "auto")


@case("auc_delong", "perfect separation (CI clipped to 1)", packages=PKG)
def _auc_perfect():
    y = np.array([0, 0, 0, 0, 1, 1, 1])
    x = np.array([0.1, 0.2, 0.3, 0.35, 0.4, 0.8, 0.9])
    yield from _auc_checks(y, x)


@case(
    "auc_bootstrap",
    "aSAH s100b stratified percentile",
    tolerance=Tol(
        abs=0.015,
        reason="R's and numpy's RNGs differ: CI bounds agree to "
        "Monte-Carlo error of 2000 replicates (~0.004 sd)",
    ),
    packages=PKG,
)
def _auc_bootstrap():
    d = asah()
    py = auc_ci(d["poor"], d["s100b"], method="bootstrap", n_boot=2000, seed=1)
    r = r_eval(
        """set.seed(1)
r <- pROC::roc(y, x, levels = c(0, 1), direction = "<", quiet = TRUE)
ci <- pROC::ci.auc(r, method = "bootstrap", boot.n = 2000, boot.stratified = TRUE,
                   progress = "none")
c(as.numeric(pROC::auc(r)), ci[1], ci[3])""",
        packages=PKG,
        y=d["poor"].to_numpy(),
        x=d["s100b"].to_numpy(),
    )
    yield "auc", py.estimate, r[0], Tol(abs=1e-9)
    yield "ci_low", py.ci_low, r[1]
    yield "ci_high", py.ci_high, r[2]


_R_TEST = """
r1 <- pROC::roc(y, a, levels = c(0, 1), direction = dir, quiet = TRUE)
r2 <- pROC::roc(y, b, levels = c(0, 1), direction = dir, quiet = TRUE)
t <- pROC::roc.test(r1, r2, method = "delong", paired = TRUE, conf.level = cl)
list(z = unname(t$statistic), p = t$p.value, est = unname(t$estimate),
     ci = as.numeric(t$conf.int))
"""


def _test_checks(y, a, b, direction="<", conf_level=0.95):
    py = roc_test(y, a, b, direction=direction, conf_level=conf_level)
    r = r_eval(
        _R_TEST,
        packages=PKG,
        y=np.asarray(y, float),
        a=np.asarray(a, float),
        b=np.asarray(b, float),
        dir=direction,
        cl=conf_level,
    )
    yield "auc_a", py.estimate[0], r["est"][0]
    yield "auc_b", py.estimate[1], r["est"][1]
    yield "statistic", py.statistic, r["z"]
    yield "pvalue", py.pvalue, r["p"]
    yield "ci_low", py.ci_low, r["ci"][0]
    yield "ci_high", py.ci_high, r["ci"][1]
    # invariance pROC's tests pin: swapping the curves negates Z, p unchanged
    swapped = roc_test(y, b, a, direction=direction, conf_level=conf_level)
    yield "statistic (swapped = -Z)", swapped.statistic, -r["z"]
    yield "pvalue (swapped)", swapped.pvalue, r["p"]


@case("roc_test_delong", "aSAH s100b vs ndka", packages=PKG)
def _test_asah():
    d = asah()
    yield from _test_checks(d["poor"], d["s100b"], d["ndka"])


@case("roc_test_delong", "aSAH s100b vs wfns conf 0.9", packages=PKG)
def _test_asah_wfns():
    d = asah()
    yield from _test_checks(d["poor"], d["s100b"], d["wfns"].astype(float), conf_level=0.9)


@case("roc_test_delong", "generated n=600 continuous", packages=PKG)
def _test_gen():
    yield from _test_checks(*binary_sample(600, 0.3, 11))


@case("roc_test_delong", "generated n=1500 tie-heavy (5 levels)", packages=PKG)
def _test_ties():
    yield from _test_checks(*binary_sample(1500, 0.3, 12, ties=5))


@case("roc_test_delong", "generated n=300 imbalanced 5%, direction '>'", packages=PKG)
def _test_imbalanced():
    y, a, b = binary_sample(300, 0.05, 13)
    yield from _test_checks(y, -a, -b, direction=">")


@case(
    "roc_test_delong", "aSAH s100b vs itself and vs 2 * s100b + 1 (identical curves)", packages=PKG
)
def _test_identical():
    d = asah()
    x = d["s100b"].to_numpy(float)
    yield from _test_checks(d["poor"], x, x)
    yield from _test_checks(d["poor"], x, 2 * x + 1)


_R_PAIRS = """
rocs <- lapply(seq_len(ncol(S)), function(k) pROC::roc(y, S[, k], levels = c(0, 1),
                                                        direction = dir, quiet = TRUE))
out <- NULL
for (i in seq_len(ncol(S) - 1)) for (j in (i + 1):ncol(S)) {
  t <- pROC::roc.test(rocs[[i]], rocs[[j]], method = "delong", paired = TRUE, conf.level = cl)
  out <- rbind(out, c(unname(t$statistic), t$p.value, as.numeric(t$conf.int), unname(t$estimate)))
}
out
"""


def _pairs_checks(y, scores, direction="<", conf_level=0.95):
    py = roc_test_pairs(y, scores, direction=direction, conf_level=conf_level)
    S = np.column_stack([np.asarray(v, float) for v in scores.values()])
    r = np.asarray(
        r_eval(_R_PAIRS, packages=PKG, y=np.asarray(y, float), S=S, dir=direction, cl=conf_level),
        dtype=float,
    ).reshape(-1, 6)
    got = np.array([[t.statistic, t.pvalue, t.ci_low, t.ci_high, *t.estimate] for t in py.tests])
    for col, name in enumerate(("Z", "p", "ci_low", "ci_high", "auc_a", "auc_b")):
        yield f"{name} (all {len(py.tests)} pairs)", got[:, col], r[:, col]


def _k_models(n, k, seed, ties=None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    base = rng.normal(size=n) + y
    out = {}
    for j in range(k):
        s = base + rng.normal(scale=0.4 + 0.15 * j, size=n)
        out[f"model{j}"] = np.round(s, 1) if ties else s
    return y, out


@case("roc_test_delong", "roc_test_pairs: 6 models, n=500 (15 pairs)", packages=PKG)
def _pairs_gen():
    yield from _pairs_checks(*_k_models(500, 6, 41))


@case(
    "roc_test_delong",
    "roc_test_pairs: 4 tie-heavy models + a copy, direction '>', conf 0.9",
    packages=PKG,
)
def _pairs_ties():
    y, sc = _k_models(300, 4, 42, ties=True)
    sc = {k: -v for k, v in sc.items()}
    sc["copy of model0"] = 3 * sc["model0"]
    yield from _pairs_checks(y, sc, ">", 0.9)


_RET = (
    'c("threshold", "sensitivity", "specificity", "accuracy", "ppv", "npv", "tp", "fp", "tn", "fn")'
)


def _youden_checks(y, x, direction="<"):
    py = youden_threshold(y, x, direction=direction)
    r = r_eval(
        f"""
r <- pROC::roc(y, x, levels = c(0, 1), direction = dir, quiet = TRUE)
co <- pROC::coords(r, "best", best.method = "youden", ret = {_RET}, transpose = FALSE)
as.list(co)""",
        packages=PKG,
        y=np.asarray(y, float),
        x=np.asarray(x, float),
        dir=direction,
    )
    ties = np.atleast_1d(np.asarray(r["threshold"], float))
    yield "tied thresholds", sorted(py.tied_thresholds), sorted(ties.tolist())
    pick = int(np.flatnonzero(ties == py.threshold)[0]) if py.threshold in ties else 0
    for key in (
        "threshold",
        "sensitivity",
        "specificity",
        "accuracy",
        "ppv",
        "npv",
        "tp",
        "fp",
        "tn",
        "fn",
    ):
        yield key, getattr(py, key), float(np.atleast_1d(r[key])[pick])


@case("youden", "aSAH s100b", packages=PKG)
def _youden_asah():
    d = asah()
    yield from _youden_checks(d["poor"], d["s100b"])


@case("youden", "aSAH ndka direction '>'", packages=PKG)
def _youden_asah_rev():
    d = asah()
    yield from _youden_checks(d["poor"], -d["ndka"], ">")


@case("youden", "generated tie-heavy n=800", packages=PKG)
def _youden_ties():
    y, a, _ = binary_sample(800, 0.2, 21, ties=6)
    yield from _youden_checks(y, a)


@case("youden", "generated imbalanced n=500 3%", packages=PKG)
def _youden_imb():
    y, a, _ = binary_sample(500, 0.03, 22)
    yield from _youden_checks(y, a)


@case(
    "youden", "pROC's near-tie predictor (test-numeric-accuracy.R), both directions", packages=PKG
)
def _youden_numacc():
    y = (NUMACC_RESPONSE == 2).astype(int)
    yield from _youden_checks(y, NUMACC_PREDICTOR)
    yield from _youden_checks(1 - y, NUMACC_PREDICTOR, ">")


_R_ALL = """
r <- pROC::roc(y, x, levels = c(0, 1), direction = dir, quiet = TRUE)
co <- pROC::coords(r, "all", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
co <- co[order(co$threshold), ]
list(threshold = co$threshold, se = co$sensitivity, sp = co$specificity)
"""


def _curve_checks(y, x, direction):
    py = roc_curve(y, x, direction=direction)
    r = r_eval(_R_ALL, packages=PKG, y=np.asarray(y, float), x=np.asarray(x, float), dir=direction)
    thr = np.asarray(r["threshold"], float)
    yield f"{direction} number of thresholds", py.thresholds.size, thr.size, Tol(abs=0)
    yield f"{direction} thresholds (exact)", py.thresholds, thr, Tol(abs=0)
    yield f"{direction} sensitivity", py.sensitivity, np.asarray(r["se"], float)
    yield f"{direction} specificity", py.specificity, np.asarray(r["sp"], float)


@case("youden", "coords 'all' on adjacent doubles near ±DBL_MAX, ±1e100, ±0", packages=PKG)
def _curve_hard():
    rng = np.random.default_rng(7)
    for k in range(3):
        idx = rng.choice(HARD.size, HARD.size, replace=bool(k % 2))
        y = np.resize([0, 1], HARD.size)
        rng.shuffle(y)
        for direction in ("<", ">"):
            for name, py, r, *tol in _curve_checks(y, HARD[idx], direction):
                yield (f"sample {k}: {name}", py, r, *tol)


@case("youden", "coords 'all' on pROC's near-tie predictor", packages=PKG)
def _curve_numacc():
    y = (NUMACC_RESPONSE == 2).astype(int)
    for direction in ("<", ">"):
        yield from _curve_checks(y, NUMACC_PREDICTOR, direction)


@case("diagnostics", "train Youden threshold applied to a test cohort", packages=PKG)
def _diag_transfer():
    y, a, _ = binary_sample(700, 0.15, 31)
    train, test = np.arange(560), np.arange(560, 700)
    t = youden_threshold(y[train], a[train]).threshold
    py = diagnostic_metrics(y[test], a[test], t)
    r = r_eval(
        f"""
r <- pROC::roc(y, x, levels = c(0, 1), direction = "<", quiet = TRUE)
as.list(pROC::coords(r, x = t, input = "threshold", ret = {_RET}, transpose = FALSE))""",
        packages=PKG,
        y=y[test].astype(float),
        x=a[test],
        t=t,
    )
    for key in ("sensitivity", "specificity", "accuracy", "ppv", "npv", "tp", "fp", "tn", "fn"):
        yield key, getattr(py, key), r[key]


@case("diagnostics", "threshold equal to a data value ('>=' rule), both directions", packages=PKG)
def _diag_boundary():
    d = asah()
    for direction, x in (("<", d["s100b"]), (">", -d["s100b"])):
        t = float(np.median(x))
        py = diagnostic_metrics(d["poor"], x, t, direction=direction)
        r = r_eval(
            f"""
r <- pROC::roc(y, x, levels = c(0, 1), direction = dir, quiet = TRUE)
as.list(pROC::coords(r, x = t, input = "threshold", ret = {_RET}, transpose = FALSE))""",
            packages=PKG,
            y=d["poor"].to_numpy(float),
            x=x.to_numpy(),
            t=t,
            dir=direction,
        )
        for key in ("tp", "fp", "tn", "fn", "sensitivity", "specificity", "ppv", "npv"):
            yield f"{direction} {key}", getattr(py, key), r[key]


@case("diagnostics", "Clopper-Pearson intervals vs binom.test", packages=("stats",))
def _diag_cp():
    d = asah()
    py = diagnostic_metrics(d["poor"], d["s100b"], 0.205, conf_level=0.9)
    for key, (x, n) in {
        "sensitivity": (py.tp, py.tp + py.fn),
        "specificity": (py.tn, py.tn + py.fp),
        "accuracy": (py.tp + py.tn, py.tp + py.tn + py.fp + py.fn),
        "ppv": (py.tp, py.tp + py.fp),
        "npv": (py.tn, py.tn + py.fn),
    }.items():
        r = r_eval("as.numeric(binom.test(x, n, conf.level = 0.9)$conf.int)", x=x, n=n)
        yield f"{key}_ci", [getattr(py, f"{key}_ci_low"), getattr(py, f"{key}_ci_high")], list(r)
    # edge counts: x = 0 and x = n
    from cetrus.stats import clopper_pearson

    for x, n in ((0, 12), (12, 12), (1, 1)):
        r = r_eval("as.numeric(binom.test(x, n)$conf.int)", x=x, n=n)
        yield f"clopper_pearson({x}, {n})", list(clopper_pearson(x, n)), list(r)
