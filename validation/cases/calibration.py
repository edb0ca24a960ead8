"""Calibration parity: cetrus.stats.calibration.val_prob against ``rms::val.prob`` (1e-7)."""

from __future__ import annotations

import numpy as np

from cetrus.rbridge import r_eval
from cetrus.stats.calibration import lowess, val_prob
from cetrus.stats.logistic import logit
from validation.cases._data import asah
from validation.harness import case

TOL = 1e-7
PKG = ("rms",)
# val.prob's output order; D:p is NA in rms 6.5 (lrm.fit with maxit = 1 reports no P),
# so it is not compared (cetrus reports the χ²(1) tail of D:Chi-sq).
_NAMES = {
    "Dxy": "dxy",
    "C (ROC)": "c",
    "R2": "r2",
    "D": "d",
    "D:Chi-sq": "d_chisq",
    "U": "u",
    "U:Chi-sq": "u_chisq",
    "U:p": "u_pvalue",
    "Q": "q",
    "Brier": "brier",
    "Intercept": "intercept",
    "Slope": "slope",
    "Emax": "emax",
    "E90": "e90",
    "Eavg": "eavg",
    "S:z": "spiegelhalter_z",
    "S:p": "spiegelhalter_pvalue",
}


def _checks(y, p):
    y, p = np.asarray(y, float), np.asarray(p, float)
    py = val_prob(y, p)
    r = r_eval("rms::val.prob(p, y, pl = FALSE)", packages=PKG, p=p, y=y)
    for r_name, field in _NAMES.items():
        yield r_name, getattr(py, field), float(r[r_name])


def _generated(seed, n, *, miscal=(0.3, 0.7), rate=-1.0, digits=None):
    rng = np.random.default_rng(seed)
    lp = rng.normal(rate, 1.3, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(miscal[0] + miscal[1] * lp)))).astype(int)
    p = 1 / (1 + np.exp(-lp))
    if digits:  # heavy ties in the predictions
        p = np.clip(np.round(p, digits), 10.0**-digits, 1 - 10.0**-digits)
    return y, p


@case(
    "calibration",
    "aSAH: glm(poor ~ s100b + ndka + age) fitted probabilities",
    tolerance=TOL,
    packages=PKG,
)
def _asah():
    d = asah()
    fit = logit(d, "poor", ["s100b", "ndka", "age"])
    p = fit.predict_proba(d)
    yield from _checks(d["poor"], p)
    auc = r_eval(
        "as.numeric(pROC::auc(y, p, levels = c(0, 1), direction = '<', quiet = TRUE))",
        packages=("pROC",),
        y=d["poor"].to_numpy(float),
        p=p,
    )
    yield "exact C = pROC AUC (not binned)", val_prob(d["poor"], p).auc, float(auc)


_SAMPLES = {
    "generated n=500 miscalibrated": lambda: _generated(1, 500),
    "generated n=300 tied predictions (2 decimals)": lambda: _generated(2, 300, digits=2),
    "generated n=40 small": lambda: _generated(3, 40, miscal=(0.0, 1.0)),
    "generated n=2000 rare events (~3 %)": lambda: _generated(4, 2000, rate=-4.0),
    "generated n=200 overconfident": lambda: _generated(5, 200, miscal=(-0.2, 0.4)),
}
for _name, _load in _SAMPLES.items():
    case("calibration", _name, tolerance=TOL, packages=PKG)(lambda load=_load: _checks(*load()))


@case("calibration", "all predictions equal (val.prob's special case)", tolerance=TOL, packages=PKG)
def _constant():
    # val.prob 6.5 builds 20 numbers for 18 names in this branch, so its Emax, E90,
    # S:z and S:p are shifted copies of other numbers: only the well-defined ones compared
    y = np.array([0, 1, 0, 0, 1, 0, 0, 0, 1, 0])
    keep = {
        "Dxy",
        "C (ROC)",
        "R2",
        "D",
        "U",
        "U:Chi-sq",
        "U:p",
        "Q",
        "Brier",
        "Intercept",
        "Slope",
        "Eavg",
    }
    yield from (chk for chk in _checks(y, np.full(10, 0.25)) if chk[0] in keep)


@case("lowess", "R's lowess(iter = 0) on aSAH and generated data", tolerance=1e-10)
def _lowess():
    d = asah()
    for name, (x, y) in {
        "aSAH s100b vs poor": (d["s100b"], d["poor"]),
        "generated ties": _generated(6, 150, digits=1)[::-1],
        "generated f=0.3": _generated(7, 90)[::-1],
    }.items():
        x, y = np.asarray(x, float), np.asarray(y, float)
        f = 0.3 if "0.3" in name else 2 / 3
        xs, fit = lowess(x, y, f=f)
        r = r_eval("l <- lowess(x, y, f = f, iter = 0); list(x = l$x, y = l$y)", x=x, y=y, f=f)
        yield f"{name} x", xs, np.asarray(r["x"], float)
        yield f"{name} fit", fit, np.asarray(r["y"], float)
