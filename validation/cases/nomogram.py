"""Nomogram parity: cetrus.stats.nomogram against rms 6.5-0 ``nomogram(lrm, fun = plogis)``
with ``datadist`` defaults (1e-6, DESIGN.md), and ``r_pretty`` against R's ``pretty`` (exact).

Each model case checks the scale, rms's ``Intercept``, every axis's values and points,
the total-points / linear-predictor / risk axes, and every patient's total points and
probability (rms: ``(f$linear.predictors − Intercept) · sc`` and ``plogis``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cetrus.rbridge import r_dataset, r_eval
from cetrus.stats.nomogram import nomogram, r_pretty
from validation.cases._data import asah
from validation.harness import case

PKG = ("rms",)

_R_NOMOGRAM = """
dd <- rms::datadist(d); options(datadist = dd)
f <- rms::lrm(as.formula(paste(outcome, "~", paste(preds, collapse = " + "))), data = d)
nom <- rms::nomogram(f, fun = plogis)
info <- attr(nom, "info")
out <- list(coef = as.numeric(coef(f)), sc = info$sc, Intercept = unname(info$Intercept),
     lp_at = as.numeric(info$lp.at), total = as.numeric(nom$total.points$x),
     lp = as.numeric(nom$lp$x), risk = as.numeric(nom[["Predicted Value"]]$x),
     risk_at = as.numeric(nom[["Predicted Value"]]$x.real),
     tp = as.numeric((f$linear.predictors - info$Intercept) * info$sc),
     prob = as.numeric(plogis(f$linear.predictors)), fail = f$fail,
     values = lapply(preds, function(p) as.numeric(nom[[p]][[p]])),
     points = lapply(preds, function(p) as.numeric(nom[[p]]$points)))
options(datadist = NULL)
out
"""


def _checks(d: pd.DataFrame, outcome: str, preds: list[str], *, fit_here: bool = False):
    """``fit_here``: fit with cetrus's logit instead of taking lrm's coefficients, so the
    case checks the whole path (fit → nomogram) against rms."""
    r = r_eval(
        _R_NOMOGRAM, packages=PKG, d=d[[outcome, *preds]], outcome=outcome, preds=np.array(preds)
    )
    if r["fail"]:
        raise RuntimeError("rms::lrm did not converge")
    coefs = dict(zip(["(Intercept)", *preds], np.atleast_1d(r["coef"]).tolist()))
    if fit_here:
        nom = nomogram(d, outcome, preds)
        for term, value in coefs.items():
            yield f"coefficient {term} (cetrus logit vs lrm)", nom.coefficients[term], value
    else:
        nom = nomogram(d, outcome, preds, coefficients=coefs)
    yield "scale", nom.scale, r["sc"]
    yield "Intercept (lp at 0 points)", nom.intercept, r["Intercept"]
    for p, values, points in zip(preds, r["values"], r["points"]):
        yield f"{p} axis values", nom.axes[p].values, np.atleast_1d(values)
        yield f"{p} points", nom.axes[p].points, np.atleast_1d(points)
    yield "total points axis", nom.total_points_at, np.atleast_1d(r["total"])
    yield "linear predictor axis values", nom.lp_at, np.atleast_1d(r["lp_at"])
    yield "linear predictor axis points", nom.lp_points, np.atleast_1d(r["lp"])
    yield "risk axis values", nom.risk_at, np.atleast_1d(r["risk_at"])
    yield "risk axis points", nom.risk_points, np.atleast_1d(r["risk"])
    yield "patients' total points", nom.points(d), np.atleast_1d(r["tp"])
    yield "patients' probability", nom.probability(d), np.atleast_1d(r["prob"])


@case(
    "nomogram",
    "infert: age (continuous) + parity, induced, spontaneous (discrete)",
    tolerance=1e-6,
    packages=PKG,
)
def _infert():
    d = r_dataset("datasets", "infert")
    yield from _checks(d, "case", ["age", "parity", "induced", "spontaneous"])


@case(
    "nomogram",
    "aSAH: age, s100b (continuous) + wfns (5 levels) + female (0/1)",
    tolerance=1e-6,
    packages=PKG,
)
def _asah():
    d = asah().copy()
    d["female"] = (d["gender"] == "Female").astype(int)
    yield from _checks(d, "poor", ["age", "s100b", "wfns", "female"])


@case(
    "nomogram",
    "infert fitted by cetrus.stats.logistic.logit (whole path)",
    tolerance=1e-6,
    packages=PKG,
)
def _infert_fitted():
    d = r_dataset("datasets", "infert")
    yield from _checks(d, "case", ["age", "parity", "induced", "spontaneous"], fit_here=True)


@case(
    "nomogram",
    "aSAH fitted by cetrus.stats.logistic.logit (whole path)",
    tolerance=1e-6,
    packages=PKG,
)
def _asah_fitted():
    d = asah().copy()
    d["female"] = (d["gender"] == "Female").astype(int)
    yield from _checks(d, "poor", ["age", "s100b", "wfns", "female"], fit_here=True)


@case("nomogram", "aSAH: one predictor (ndka)", tolerance=1e-6, packages=PKG)
def _asah_one():
    yield from _checks(asah(), "poor", ["ndka"])


@case(
    "nomogram",
    "generated: 10 vs 11 distinct values, negative coefficient, strong model",
    tolerance=1e-6,
    packages=PKG,
)
def _generated():
    rng = np.random.default_rng(21)
    n = 400
    d = pd.DataFrame(
        {
            "ten": rng.integers(0, 10, n).astype(float),  # discrete axis
            "eleven": rng.integers(0, 11, n) * 0.5,  # pretty axis
            "marker": rng.lognormal(1.0, 0.6, n),
        }
    )
    lp = -1.0 + 0.35 * d["ten"] - 0.4 * d["eleven"] + 0.6 * d["marker"]
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    yield from _checks(d, "y", ["ten", "eleven", "marker"])


@case("r_pretty", "pretty(c(lo, hi), n) on 1,660 ranges (n = 1, 3, 5, 10)", tolerance=0.0)
def _pretty():
    rng = np.random.default_rng(0)
    lo, hi = [], []
    for _ in range(400):
        a = rng.normal() * 10.0 ** rng.integers(-6, 7)
        lo.append(a)
        hi.append(a + abs(rng.normal()) * 10.0 ** rng.integers(-8, 7))
    edge = [
        (0, 0),
        (0, 1),
        (-1, 0),
        (1, 1),
        (5, 5),
        (0, 100),
        (0, 1e-300),
        (1, 1 + 1e-15),
        (-3.2, 7.7),
        (0.02, 0.98),
        (1e10, 1e10 + 1),
        (-1e-5, 1e-5),
        (0, 145.3),
        (21, 44),
        (0.3, 0.3),
    ]
    lo += [a for a, _ in edge]
    hi += [b for _, b in edge]
    lo_a, hi_a = np.array(lo, float), np.array(hi, float)
    for n in (1, 3, 5, 10):
        rs = r_eval(
            "lapply(seq_along(lo), function(i) pretty(c(lo[i], hi[i]), n = n))",
            lo=lo_a,
            hi=hi_a,
            n=n,
        )
        py = [r_pretty([a, b], n) for a, b in zip(lo_a, hi_a)]
        rs = [np.atleast_1d(np.asarray(r, float)) for r in rs]
        yield (
            f"n={n}: lengths",
            np.array([len(p) for p in py], float),
            np.array([len(r) for r in rs], float),
        )
        same = [p.shape == r.shape for p, r in zip(py, rs)]
        yield (
            f"n={n}: values (concatenated)",
            np.concatenate([p for p, s in zip(py, same) if s]),
            np.concatenate([r for r, s in zip(rs, same) if s]),
        )


_R_NOMOGRAM_FACTOR = """
dd <- rms::datadist(d); options(datadist = dd)
f <- rms::lrm(low ~ age + lwt + race + smoke, data = d)
nom <- rms::nomogram(f, fun = plogis)
info <- attr(nom, "info")
out <- list(coef = as.numeric(coef(f)), sc = info$sc, Intercept = unname(info$Intercept),
     lp_at = as.numeric(info$lp.at), total = as.numeric(nom$total.points$x),
     lp = as.numeric(nom$lp$x), risk = as.numeric(nom[["Predicted Value"]]$x),
     risk_at = as.numeric(nom[["Predicted Value"]]$x.real),
     tp = as.numeric((f$linear.predictors - info$Intercept) * info$sc),
     prob = as.numeric(plogis(f$linear.predictors)), fail = f$fail,
     race_levels = as.character(nom$race$race), race_points = as.numeric(nom$race$points),
     values = lapply(c("age", "lwt", "smoke"), function(p) as.numeric(nom[[p]][[p]])),
     points = lapply(c("age", "lwt", "smoke"), function(p) as.numeric(nom[[p]]$points)))
options(datadist = NULL)
out
"""


@case(
    "nomogram",
    "birthwt (MASS): age + lwt + race (3-level factor) + smoke, fitted by logit",
    tolerance=1e-6,
    packages=("rms", "MASS"),
)
def _factor():
    """A multi-level factor gets one axis with its level labels, each level at the points
    of its coefficient (rms draws a factor so); the whole path (cetrus fit → nomogram)."""
    b = r_dataset("MASS", "birthwt")
    d = pd.DataFrame(
        {
            "low": b["low"].astype(int),
            "age": b["age"].astype(float),
            "lwt": b["lwt"].astype(float),
            "race": pd.Categorical(
                b["race"].map({1: "white", 2: "black", 3: "other"}),
                categories=["white", "black", "other"],
            ),
            "smoke": b["smoke"].astype(int),
        }
    )
    r = r_eval(_R_NOMOGRAM_FACTOR, packages=PKG, d=d)
    if r["fail"]:
        raise RuntimeError("rms::lrm did not converge")
    nom = nomogram(d, "low", ["age", "lwt", "race", "smoke"])
    names = ["(Intercept)", "age", "lwt", "raceblack", "raceother", "smoke"]
    for term, value in zip(names, np.atleast_1d(r["coef"]).tolist()):
        yield f"coefficient {term} (cetrus logit vs lrm)", nom.coefficients[term], value
    yield "scale", nom.scale, r["sc"]
    yield "Intercept (lp at 0 points)", nom.intercept, r["Intercept"]
    yield "race axis levels", nom.axes["race"].labels, tuple(map(str, r["race_levels"]))
    yield "race points", nom.axes["race"].points, np.atleast_1d(r["race_points"])
    for p, values, points in zip(["age", "lwt", "smoke"], r["values"], r["points"]):
        yield f"{p} axis values", nom.axes[p].values, np.atleast_1d(values)
        yield f"{p} points", nom.axes[p].points, np.atleast_1d(points)
    yield "total points axis", nom.total_points_at, np.atleast_1d(r["total"])
    yield "linear predictor axis values", nom.lp_at, np.atleast_1d(r["lp_at"])
    yield "linear predictor axis points", nom.lp_points, np.atleast_1d(r["lp"])
    yield "risk axis values", nom.risk_at, np.atleast_1d(r["risk_at"])
    yield "risk axis points", nom.risk_points, np.atleast_1d(r["risk"])
    yield "patients' total points", nom.points(d), np.atleast_1d(r["tp"])
    yield "patients' probability", nom.probability(d), np.atleast_1d(r["prob"])
