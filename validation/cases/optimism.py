"""Bootstrap internal validation: cetrus.stats.optimism.validate_logistic and
calibrate_logistic against ``rms::validate(lrm(...), B=)`` and ``rms::calibrate`` given R's
own resamples (DESIGN: 1e-8).

R draws the resamples: ``set.seed(s); validate(f, B = B)`` and, after the same
``set.seed(s)``, ``sapply(1:B, function(i) sample(n, replace = TRUE))`` — validate.lrm
and calibrate consume the generator only through those draws — so both sides see the same rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cetrus.rbridge import r_eval
from cetrus.stats.optimism import INDEXES, validate_logistic
from validation.cases._data import asah
from validation.harness import case

TOL = 1e-8
PKG = ("rms",)

_R = """
d <- data.frame(y = y, X)
f <- rms::lrm(y ~ ., data = d, x = TRUE, y = TRUE)
set.seed(seed); v <- rms::validate(f, B = B)
set.seed(seed); idx <- sapply(seq_len(B), function(i) sample(nrow(d), replace = TRUE))
list(v = unclass(v)[, 1:6, drop = FALSE], rows = rownames(v), idx = idx)
"""


def _checks(X: pd.DataFrame, y, *, B: int, seed: int):
    y = np.asarray(y, dtype=float)
    out = r_eval(_R, packages=PKG, X=X.astype(float), y=y, B=B, seed=seed)
    idx = np.asarray(out["idx"], dtype=int).reshape(len(y), B, order="F").T - 1
    table = np.asarray(out["v"], dtype=float).reshape(len(INDEXES), 6, order="F")
    rows = list(np.atleast_1d(out["rows"]))
    py = validate_logistic(X, y, resamples=idx).table
    cols = ["index_orig", "training", "test", "optimism", "index_corrected", "n"]
    for i, name in enumerate(rows):
        for j, col in enumerate(cols):
            if name == "Emax" and col in ("index_orig", "training"):
                continue  # rms prints 0 there; not an estimate
            yield f"{name} {col}", float(py.loc[name, col]), float(table[i, j])


def _generated(seed: int, n: int, rate: float = -1.5):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.normal(size=n), "c": (rng.random(n) < 0.4).astype(float)}
    )
    lp = rate + 0.8 * X["a"] - 0.5 * X["b"] + 0.7 * X["c"]
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    return X, y


@case("validate", "generated n=702, 3 predictors, B=40", tolerance=TOL, packages=PKG)
def _n702():
    X, y = _generated(5, 702)
    yield from _checks(X, y, B=40, seed=7)


@case("validate", "aSAH: poor ~ s100b + ndka + age, B=60", tolerance=TOL, packages=PKG)
def _asah():
    d = asah()
    yield from _checks(d[["s100b", "ndka", "age"]], d["poor"], B=60, seed=11)


@case("validate", "generated n=80 rare events, one predictor, B=30", tolerance=TOL, packages=PKG)
def _small():
    X, y = _generated(9, 80, rate=-2.0)
    yield from _checks(X[["a"]], y, B=30, seed=3)


_R_CAL = """
d <- data.frame(y = y, X)
f <- rms::lrm(y ~ ., data = d, x = TRUE, y = TRUE)
set.seed(seed); v <- rms::calibrate(f, B = B)
set.seed(seed); idx <- sapply(seq_len(B), function(i) sample(nrow(d), replace = TRUE))
pr <- attr(v, "predicted"); s <- !is.na(v[, "predy"] + v[, "calibrated.corrected"])
err <- pr - approx(v[s, "predy"], v[s, "calibrated.corrected"], xout = pr, ties = mean)$y
list(v = unclass(v)[, 1:9, drop = FALSE], idx = idx, mae = mean(abs(err), na.rm = TRUE),
     mse = mean(err^2, na.rm = TRUE), q90 = unname(quantile(abs(err), 0.9, na.rm = TRUE)))
"""


def _cal_checks(X: pd.DataFrame, y, *, B: int, seed: int):
    from cetrus.stats.optimism import calibrate_logistic

    y = np.asarray(y, dtype=float)
    out = r_eval(_R_CAL, packages=PKG, X=X.astype(float), y=y, B=B, seed=seed)
    idx = np.asarray(out["idx"], dtype=int).reshape(len(y), B, order="F").T - 1
    curve = np.asarray(out["v"], dtype=float).reshape(-1, 9, order="F")
    py = calibrate_logistic(X, y, resamples=idx)
    cols = list(py.curve.columns)
    for i in range(curve.shape[0]):
        for j, col in enumerate(cols):
            yield f"grid {i + 1} {col}", float(py.curve.iloc[i, j]), float(curve[i, j])
    yield "mean absolute error", py.mean_abs_error, float(np.ravel(out["mae"])[0])
    yield "mean squared error", py.mean_squared_error, float(np.ravel(out["mse"])[0])
    yield "0.9 quantile of absolute error", py.q90_abs_error, float(np.ravel(out["q90"])[0])


@case("calibrate", "generated n=702, 3 predictors, B=40", tolerance=TOL, packages=PKG)
def _cal_n702():
    X, y = _generated(5, 702)
    yield from _cal_checks(X, y, B=40, seed=7)


@case("calibrate", "aSAH: poor ~ s100b + ndka + age, B=50", tolerance=TOL, packages=PKG)
def _cal_asah():
    d = asah()
    yield from _cal_checks(d[["s100b", "ndka", "age"]], d["poor"], B=50, seed=13)
