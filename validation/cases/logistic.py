"""Logistic-regression parity: cetrus.stats.logistic against R's glm / confint.

Tolerances (DESIGN.md): against R *at its defaults* (``glm(family = binomial)``,
``summary.glm``, ``confint.default``) coefficients, SEs, z, p and Wald CIs 1e-10
relative; R 4.2's ``confint(glm)`` (MASS ``profile.glm`` + spline) 1e-8 relative.
Also checked, each testing its own option: ``fit="converged"`` against
``glm(..., epsilon = 1e-14)`` (1e-6) and ``ci="profile_exact"`` against the exact root
of R's profile deviance (1e-6).
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from cetrus.errors import SeparationWarning
from cetrus.rbridge import r_dataset, r_eval
from cetrus.stats.logistic import logit
from validation.cases._data import asah
from validation.cases.baseline import infert
from validation.harness import Tol, case

TOL = Tol(rel=1e-10, abs=1e-14)
CONFINT = Tol(rel=1e-8, abs=1e-12, reason="R's confint(glm) at defaults (MASS profile + spline)")
TIGHT = Tol(abs=1e-6, reason="converged fit vs glm(epsilon = 1e-14); exact profile root")
PKG = ("MASS",)

_R_FIT = """
f <- glm(fml, family = binomial, data = d)
s <- summary(f)$coefficients
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
fc <- glm(fml, family = binomial, data = d, control = ctl)
sc <- summary(fc)$coefficients
list(names = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), z = unname(s[, 3]),
     p = unname(s[, 4]), wald = unname(confint.default(f, level = cl)),
     deviance = deviance(f), aic = AIC(f), null = f$null.deviance, iter = f$iter,
     coefc = unname(sc[, 1]), sec = unname(sc[, 2]), pc = unname(sc[, 4]))
"""

_R_PROFILE = """
f0 <- glm(fml, family = binomial, data = d)
mass <- suppressWarnings(suppressMessages(confint(f0, level = cl)))
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
exact <- if (exact) cbind(sapply(seq_len(ncol(X)), root, side = -1),
                          sapply(seq_len(ncol(X)), root, side = 1)) else NULL
list(exact = if (is.null(exact)) NULL else unname(exact), mass = unname(as.matrix(mass)))
"""


def _formula(outcome, predictors):
    return f"{outcome} ~ {' + '.join(f'`{p}`' for p in predictors)}"


def _fit_checks(
    data, outcome, predictors, *, conf_level=0.95, profile=True, r_data=None, exact=True, **kw
):
    r_data = data if r_data is None else r_data
    fml = _formula(outcome, predictors)
    py = logit(data, outcome, predictors, conf_level=conf_level, **kw)
    pc = logit(data, outcome, predictors, conf_level=conf_level, fit="converged", **kw)
    r = r_eval(_R_FIT, d=r_data, fml=r_eval(f"quote({fml})", convert=False), cl=conf_level)
    names = [t.term for t in py.terms]
    yield "term names", tuple(names), tuple(str(n).replace("`", "") for n in r["names"])
    for i, t in enumerate(py.terms):
        yield f"{t.term} coef", t.coef, float(r["coef"][i])
        yield f"{t.term} se", t.se, float(r["se"][i])
        yield f"{t.term} z", t.statistic, float(r["z"][i])
        yield f"{t.term} p", t.pvalue, float(r["p"][i])
        for side, v, rv in (
            ("low", t.ci_low, r["wald"][i, 0]),
            ("high", t.ci_high, r["wald"][i, 1]),
        ):
            if 0 < v < np.inf:
                yield f"{t.term} wald ci_{side} (log)", np.log(v), float(rv)
            else:  # a diverging (separated) coefficient: the OR under/overflows in both
                with np.errstate(over="ignore", under="ignore"):
                    r_or = float(np.exp(rv))
                yield f"{t.term} wald ci_{side} (OR)", v, r_or
        if py.separation:
            continue  # separated: the fully converged fit diverges; nothing to compare
        c = pc.terms[i]
        yield (
            f"{t.term} coef, fit='converged' vs epsilon=1e-14",
            c.coef,
            float(r["coefc"][i]),
            TIGHT,
        )
        yield f"{t.term} se, fit='converged' vs epsilon=1e-14", c.se, float(r["sec"][i]), TIGHT
    yield "deviance", py.deviance, float(r["deviance"])
    yield "null deviance", py.null_deviance, float(r["null"])
    yield "AIC", py.aic, float(r["aic"])
    yield "IRLS iterations", py.iterations, int(np.ravel(r["iter"])[0])
    if not profile:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp = logit(data, outcome, predictors, conf_level=conf_level, ci="profile", **kw)
        pe = (
            logit(
                data,
                outcome,
                predictors,
                conf_level=conf_level,
                ci="profile_exact",
                fit="converged",
                **kw,
            )
            if exact
            else None
        )
    rp = r_eval(
        _R_PROFILE,
        packages=PKG,
        d=r_data,
        fml=r_eval(f"quote({fml})", convert=False),
        cl=conf_level,
        exact=exact,
    )
    mass = np.asarray(rp["mass"], dtype=float).reshape(-1, 2)
    for i, t in enumerate(pp.terms):
        lo, hi = np.log(t.ci_low), np.log(t.ci_high)
        yield f"{t.term} confint ci_low", lo, float(mass[i, 0]), CONFINT
        yield f"{t.term} confint ci_high", hi, float(mass[i, 1]), CONFINT
        if exact:
            e = pe.terms[i]
            yield (
                f"{t.term} profile_exact ci_low vs exact root",
                np.log(e.ci_low),
                float(rp["exact"][i, 0]),
                TIGHT,
            )
            yield (
                f"{t.term} profile_exact ci_high vs exact root",
                np.log(e.ci_high),
                float(rp["exact"][i, 1]),
                TIGHT,
            )


@functools.cache
def _asah_model_data() -> pd.DataFrame:
    d = asah()[["poor", "age", "gender", "s100b", "ndka", "wfns"]].copy()
    d["wfns"] = d["wfns"].astype(str)  # 5-level factor
    return d


@case(
    "logit",
    "infert: case ~ age + parity + education + spontaneous + induced",
    tolerance=TOL,
    packages=PKG,
)
def _infert_full():
    yield from _fit_checks(
        infert(), "case", ["age", "parity", "education", "spontaneous", "induced"]
    )


@case("logit", "infert: reference level '12+ yrs', conf 0.9", tolerance=TOL, packages=PKG)
def _infert_reference():
    d = infert().copy()
    r_d = d.copy()
    r_d["education"] = pd.Categorical(r_d["education"], categories=["12+ yrs", "0-5yrs", "6-11yrs"])
    yield from _fit_checks(
        d,
        "case",
        ["education", "spontaneous"],
        conf_level=0.9,
        reference={"education": "12+ yrs"},
        r_data=r_d,
    )


@case(
    "logit",
    "aSAH: poor ~ age + gender + s100b + wfns (5-level factor)",
    tolerance=TOL,
    packages=PKG,
)
def _asah_full():
    yield from _fit_checks(
        _asah_model_data(), "poor", ["age", "gender", "s100b", "wfns"], profile=False
    )


@case("logit", "aSAH univariate: poor ~ s100b; poor ~ ndka", tolerance=TOL, packages=PKG)
def _asah_univariate():
    for p in ("s100b", "ndka"):
        for q, *rest in _fit_checks(_asah_model_data(), "poor", [p]):
            yield (f"{p}: {q}", *rest)


@case(
    "logit",
    "generated rare events (n=600, 2.5 % cases, large-scale predictor)",
    tolerance=TOL,
    packages=PKG,
)
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
    yield from _fit_checks(d, "dm", ["PLT", "Drinking"])


@functools.cache
def _birthwt() -> tuple[pd.DataFrame, pd.DataFrame]:
    """MASS's ``bwt`` (``example(birthwt)``) for cetrus (logical columns as bool) and for R."""
    b = r_dataset("MASS", "birthwt")
    py = pd.DataFrame(
        {
            "low": b["low"].astype(int),
            "age": b["age"].astype(float),
            "lwt": b["lwt"].astype(float),
            "race": pd.Categorical(
                b["race"].map({1: "white", 2: "black", 3: "other"}),
                categories=["white", "black", "other"],
            ),
            "smoke": b["smoke"] > 0,
            "ptd": b["ptl"] > 0,
            "ht": b["ht"] > 0,
            "ui": b["ui"] > 0,
            "ftv": pd.Categorical(b["ftv"].astype(int)),
        }
    )
    r = r_eval(
        """with(birthwt, data.frame(low = factor(low), age, lwt,
  race = factor(race, labels = c("white", "black", "other")), smoke = (smoke > 0),
  ptd = factor(ptl > 0), ht = (ht > 0), ui = (ui > 0), ftv = factor(ftv)))""",
        packages=PKG,
        convert=False,
    )
    return py, r


@case(
    "logit",
    "birthwt (MASS): low ~ age + lwt + race + smoke + ptd + ht + ui (logical columns)",
    tolerance=TOL,
    packages=PKG,
)
def _birthwt_main():
    py, r = _birthwt()
    yield from _fit_checks(py, "low", ["age", "lwt", "race", "smoke", "ptd", "ht", "ui"], r_data=r)


@case(
    "logit",
    "birthwt (MASS): low ~ . with ftv (ftv6: one woman, separated; confint NA)",
    tolerance=TOL,
    packages=PKG,
)
def _birthwt_all():
    py, r = _birthwt()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparationWarning)
        yield from _fit_checks(
            py,
            "low",
            ["age", "lwt", "race", "smoke", "ptd", "ht", "ui", "ftv"],
            r_data=r,
            exact=False,
        )


@case("logit", "birthwt (MASS): reference = {'ptd': 'TRUE'}, conf 0.9", tolerance=TOL, packages=PKG)
def _birthwt_reference():
    py, r = _birthwt()
    r2 = r_eval("within(d, ptd <- relevel(ptd, ref = 'TRUE'))", d=r, convert=False)
    yield from _fit_checks(
        py, "low", ["ptd", "lwt"], r_data=r2, conf_level=0.9, reference={"ptd": "TRUE"}
    )


@case(
    "logit",
    "Pima.tr (MASS): type ~ npreg + glu + bp + skin + bmi + ped + age",
    tolerance=TOL,
    packages=PKG,
)
def _pima():
    d = r_dataset("MASS", "Pima.tr")
    yield from _fit_checks(d, "type", ["npreg", "glu", "bp", "skin", "bmi", "ped", "age"], r_data=d)


@case(
    "logit",
    "biopsy (MASS, complete cases): class ~ V1 + V3 + V4 + V6 + V7 (+ univariate V8)",
    tolerance=TOL,
    packages=PKG,
)
def _biopsy():
    d = r_eval("na.omit(MASS::biopsy)", packages=PKG)
    d = d.assign(malignant=(d["class"] == "malignant").astype(int))
    yield from _fit_checks(d, "malignant", ["V1", "V3", "V4", "V6", "V7"])
    for q, *rest in _fit_checks(d, "malignant", ["V8"]):
        yield (f"V8: {q}", *rest)


@case(
    "logit", "quasi-complete separation is detected (R: fitted probabilities 0 or 1)", tolerance=TOL
)
def _separation():
    d = pd.DataFrame(
        {
            "y": [0, 0, 0, 0, 1, 1, 1, 1, 0, 1],
            "x": [1.0, 2, 3, 4, 4, 5, 6, 7, 2.5, 8],
            "z": [0.3, 1.2, -0.4, 0.8, 0.1, -1.0, 0.5, 0.2, 0.9, -0.3],
        }
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        py = logit(d, "y", ["x", "z"])
    r = r_eval(
        """f <- suppressWarnings(glm(y ~ x + z, family = binomial, data = d))
p <- fitted(f); any(p < 1e-8 | p > 1 - 1e-8) || max(abs(coef(f))) > 10""",
        d=d,
    )
    yield "separation flagged", (not py.converged), bool(r)
    yield "separating term named", py.separation, ("x",)
    yield (
        "SeparationWarning names x",
        any(
            issubclass(w.category, SeparationWarning)
            and "'x'" not in str(w.message)
            and "by x" in str(w.message)
            for w in caught
        ),
        True,
    )


_R_FORMULA = """
d2 <- within(d, race <- relevel(race, ref = "black"))
f <- glm(low ~ age + lwt + race + smoke + ptd, family = binomial, data = d2)
s <- summary(f)$coefficients
ci <- suppressMessages(confint(f, level = 0.95))
list(names = rownames(s), coef = unname(s[, 1]), se = unname(s[, 2]), z = unname(s[, 3]),
     p = unname(s[, 4]), profile = unname(as.matrix(ci)), deviance = deviance(f), aic = AIC(f))
"""


@case(
    "logit",
    "formula: low ~ age + lwt + C(race, Treatment('black')) + smoke + ptd (birthwt)",
    tolerance=TOL,
    packages=PKG,
)
def _formula_front_end():
    """The formula front end (formulaic) against R's glm on the same model, with R's term
    names, and against the column API (identical numbers: the same design and fit)."""
    py, r = _birthwt()
    fml = "low ~ age + lwt + C(race, Treatment('black')) + smoke + ptd"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = logit(fml, data=py, ci="profile")
        cols = logit(
            py,
            "low",
            ["age", "lwt", "race", "smoke", "ptd"],
            reference={"race": "black"},
            ci="profile",
        )
    rr = r_eval(_R_FORMULA, packages=PKG, d=r)
    yield "term names (R's)", tuple(t.term for t in f.terms), tuple(map(str, rr["names"]))
    prof = np.asarray(rr["profile"], dtype=float).reshape(-1, 2)
    for i, t in enumerate(f.terms):
        yield f"{t.term} coef", t.coef, float(rr["coef"][i])
        yield f"{t.term} se", t.se, float(rr["se"][i])
        yield f"{t.term} z", t.statistic, float(rr["z"][i])
        yield f"{t.term} p", t.pvalue, float(rr["p"][i])
        yield f"{t.term} confint ci_low", np.log(t.ci_low), float(prof[i, 0]), CONFINT
        yield f"{t.term} confint ci_high", np.log(t.ci_high), float(prof[i, 1]), CONFINT
        c = cols.terms[i]
        same = Tol(abs=0.0, reason="formula vs column API: same design, same fit")
        for what in ("coef", "se", "ci_low", "ci_high"):
            yield (
                f"{t.term} {what}: formula == column API",
                getattr(t, what),
                getattr(c, what),
                same,
            )
    yield "deviance", f.deviance, float(rr["deviance"])
    yield "AIC", f.aic, float(rr["aic"])
