"""Logistic-regression parity: cetrus.stats.logistic against R's glm / confint.

Tolerances (DESIGN.md): coefficients, SEs, p and Wald CIs 1e-6; profile CIs 1e-6
against the exact root of R's profile deviance, 5e-4 against MASS's spline-based
``confint(glm)``.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from cetrus.errors import SeparationWarning
from cetrus.rbridge import r_eval
from cetrus.stats.logistic import logit
from validation.cases._data import asah
from validation.cases.baseline import infert
from validation.harness import Tol, case

TOL = 1e-6
PKG = ("MASS",)

# glm with a tight epsilon: R's default (1e-8 on the relative deviance change) stops one
# Newton step early, which leaves SEs ~1e-5 from their converged values.
_R_FIT = """
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
f <- glm(fml, family = binomial, data = d, control = ctl)
f0 <- glm(fml, family = binomial, data = d)
s <- summary(f)$coefficients
list(names = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), z = unname(s[, 3]),
     p = unname(s[, 4]), wald = unname(confint.default(f, level = cl)),
     coef0 = unname(coef(f0)), se0 = unname(sqrt(diag(vcov(f0)))),
     deviance = deviance(f), aic = AIC(f), null = f$null.deviance)
"""

_R_PROFILE = """
ctl <- glm.control(epsilon = 1e-14, maxit = 200)
f <- glm(fml, family = binomial, data = d, control = ctl)
X <- model.matrix(f); y <- f$y; dmin <- deviance(f); crit <- qchisq(cl, 1)
se <- sqrt(diag(vcov(f)))
root <- function(j, side) {
  g <- function(b) glm.fit(X[, -j, drop = FALSE], y, offset = X[, j] * b, family = binomial(),
                           control = ctl)$deviance - dmin - crit
  bhat <- unname(coef(f)[j]); lim <- bhat + side * 2 * sqrt(crit) * se[j]
  while (g(lim) < 0) lim <- bhat + 2 * (lim - bhat)
  uniroot(g, sort(c(bhat, lim)), tol = 1e-13)$root
}
exact <- cbind(sapply(seq_len(ncol(X)), root, side = -1), sapply(seq_len(ncol(X)), root, side = 1))
mass <- suppressMessages(MASS:::confint.glm(f, level = cl))
list(exact = unname(exact), mass = unname(as.matrix(mass)))
"""


def _formula(outcome, predictors):
    return f"{outcome} ~ {' + '.join(f'`{p}`' for p in predictors)}"


def _fit_checks(data, outcome, predictors, *, conf_level=0.95, profile=True, r_data=None,
                spline_tol=5e-4, **kw):
    r_data = data if r_data is None else r_data
    fml = _formula(outcome, predictors)
    py = logit(data, outcome, predictors, conf_level=conf_level, **kw)
    r = r_eval(_R_FIT + "", d=r_data, fml=r_eval(f"quote({fml})", convert=False), cl=conf_level)
    names = [t.term for t in py.terms]
    yield "term names", tuple(names), tuple(str(n).replace("`", "") for n in r["names"])
    for i, t in enumerate(py.terms):
        yield f"{t.term} coef", t.coef, float(r["coef"][i])
        yield f"{t.term} se", t.se, float(r["se"][i])
        yield f"{t.term} z", t.statistic, float(r["z"][i])
        yield f"{t.term} p", t.pvalue, float(r["p"][i])
        yield f"{t.term} wald ci_low (log)", np.log(t.ci_low), float(r["wald"][i, 0])
        yield f"{t.term} wald ci_high (log)", np.log(t.ci_high), float(r["wald"][i, 1])
        yield f"{t.term} coef vs default glm", t.coef, float(r["coef0"][i]), Tol(
            abs=1e-6, rel=1e-6, reason="glm default epsilon=1e-8")
        yield f"{t.term} se vs default glm", t.se, float(r["se0"][i]), Tol(
            abs=1e-4, rel=1e-3, reason="glm default epsilon=1e-8 stops a step early; SE ~1e-5 off")
    yield "deviance", py.deviance, float(r["deviance"])
    yield "null deviance", py.null_deviance, float(r["null"])
    yield "AIC", py.aic, float(r["aic"])
    if not profile:
        return
    pp = logit(data, outcome, predictors, conf_level=conf_level, ci="profile", **kw)
    rp = r_eval(_R_PROFILE, packages=PKG, d=r_data, fml=r_eval(f"quote({fml})", convert=False),
                cl=conf_level)
    spline = Tol(abs=spline_tol, reason="MASS confint(glm) interpolates the profile with a spline")
    for i, t in enumerate(pp.terms):
        lo, hi = np.log(t.ci_low), np.log(t.ci_high)
        yield f"{t.term} profile ci_low vs exact root", lo, float(rp["exact"][i, 0])
        yield f"{t.term} profile ci_high vs exact root", hi, float(rp["exact"][i, 1])
        yield f"{t.term} profile ci_low vs MASS confint", lo, float(rp["mass"][i, 0]), spline
        yield f"{t.term} profile ci_high vs MASS confint", hi, float(rp["mass"][i, 1]), spline


@functools.lru_cache(maxsize=None)
def _asah_model_data() -> pd.DataFrame:
    d = asah()[["poor", "age", "gender", "s100b", "ndka", "wfns"]].copy()
    d["wfns"] = d["wfns"].astype(str)  # 5-level factor
    return d


@case("logit", "infert: case ~ age + parity + education + spontaneous + induced", tolerance=TOL,
      packages=PKG)
def _infert_full():
    yield from _fit_checks(infert(), "case",
                           ["age", "parity", "education", "spontaneous", "induced"])


@case("logit", "infert: reference level '12+ yrs', conf 0.9", tolerance=TOL, packages=PKG)
def _infert_reference():
    d = infert().copy()
    r_d = d.copy()
    r_d["education"] = pd.Categorical(r_d["education"],
                                      categories=["12+ yrs", "0-5yrs", "6-11yrs"])
    yield from _fit_checks(d, "case", ["education", "spontaneous"], conf_level=0.9,
                           reference={"education": "12+ yrs"}, r_data=r_d)


@case("logit", "aSAH: poor ~ age + gender + s100b + wfns (5-level factor)", tolerance=TOL,
      packages=PKG)
def _asah_full():
    yield from _fit_checks(_asah_model_data(), "poor", ["age", "gender", "s100b", "wfns"],
                           profile=False)


@case("logit", "aSAH univariate: poor ~ s100b; poor ~ ndka", tolerance=TOL, packages=PKG)
def _asah_univariate():
    for p in ("s100b", "ndka"):
        for q, *rest in _fit_checks(_asah_model_data(), "poor", [p]):
            yield (f"{p}: {q}", *rest)


@case("logit", "generated rare events (n=600, 2.5 % cases, large-scale predictor)",
      tolerance=TOL, packages=PKG)
def _rare():
    rng = np.random.default_rng(11)
    n = 600
    plt = rng.normal(270, 60, n)
    drink = (rng.random(n) < 0.3).astype(int)
    eta = -4.0 + 0.006 * (plt - 270) + 0.5 * drink
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    d = pd.DataFrame({"dm": y, "PLT": plt, "Drinking": drink})
    py = logit(d, "dm", ["PLT"])
    yield "events", py.events, int(r_eval("sum(y)", y=y))
    # MASS samples the profile at steps of 0.1·z and splines it; on this skewed
    # rare-event profile the spline is off by up to ~1e-3 (exact roots agree to 1e-6)
    yield from _fit_checks(d, "dm", ["PLT", "Drinking"], spline_tol=2e-3)


@case("logit", "quasi-complete separation is detected (R: fitted probabilities 0 or 1)",
      tolerance=TOL)
def _separation():
    d = pd.DataFrame({"y": [0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
                      "x": [1.0, 2, 3, 4, 4, 5, 6, 7, 2.5, 8],
                      "z": [0.3, 1.2, -0.4, 0.8, 0.1, -1.0, 0.5, 0.2, 0.9, -0.3]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        py = logit(d, "y", ["x", "z"])
    r = r_eval("""f <- suppressWarnings(glm(y ~ x + z, family = binomial, data = d))
p <- fitted(f); any(p < 1e-8 | p > 1 - 1e-8) || max(abs(coef(f))) > 10""", d=d)
    yield "separation flagged", (not py.converged), bool(r)
    yield "separating term named", py.separation, ("x",)
    yield "SeparationWarning names x", any(issubclass(w.category, SeparationWarning)
                                           and "'x'" not in str(w.message) and "by x" in
                                           str(w.message) for w in caught), True
