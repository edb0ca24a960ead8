"""ICC parity: cetrus.stats.reliability against psych 2.2.9 ``ICC(lmer = FALSE)`` (1e-9, DESIGN.md).

Every case checks the six forms × (ICC, F, df1, df2, p, lower, upper bound). One case
shows how psych's default ``lmer = TRUE`` differs when REML truncates a variance
component at zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cetrus.rbridge import r_eval
from cetrus.stats.reliability import FORMS, _forms, icc, icc_many, icc_wide
from validation.harness import Tol, case

PKG = ("psych",)

#: Shrout & Fleiss (1979) Table 1: 6 targets × 4 judges — the example of ``?psych::ICC``
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)

_R_ICC = """
res <- psych::ICC(x, lmer = lmer, alpha = 1 - cl)$results
list(icc = res$ICC, F = res$F, df1 = res$df1, df2 = res$df2, p = res$p,
     low = res[["lower bound"]], high = res[["upper bound"]])
"""
_COLS = {
    "estimate": "icc",
    "statistic": "F",
    "df1": "df1",
    "df2": "df2",
    "pvalue": "p",
    "ci_low": "low",
    "ci_high": "high",
}


def _psych(x: np.ndarray, conf_level: float = 0.95, lmer: bool = False) -> dict:
    packages = PKG + (("lme4",) if lmer else ())
    return r_eval(_R_ICC, packages=packages, x=np.asarray(x, float), cl=conf_level, lmer=lmer)


#: F is a ratio of mean squares that reaches 1e6 when raters nearly agree; there R's
#: ``aov`` residual sum of squares (a QR fit) carries ~1e-12 relative rounding
_F_TOL = Tol(
    abs=1e-9,
    rel=1e-10,
    reason="large F (near-perfect agreement): compared relatively, "
    "R's aov QR rounding is ~1e-12 relative",
)


def _checks(res, r: dict, tol: Tol | None = None):
    for i, form in enumerate(FORMS):
        for field, rname in _COLS.items():
            check = (f"{form} {field}", getattr(res[form], field), float(r[rname][i]))
            this = tol if tol is not None else (_F_TOL if field == "statistic" else None)
            yield check + ((this,) if this is not None else ())


def _wide_checks(x, conf_level=0.95):
    yield from _checks(icc_wide(x, conf_level=conf_level), _psych(x, conf_level))


def _generated(n, k, seed, *, target_sd=1.0, rater_sd=0.5, noise_sd=1.0, digits=None):
    rng = np.random.default_rng(seed)
    x = (
        rng.normal(scale=target_sd, size=(n, 1))
        + rng.normal(scale=rater_sd, size=(1, k))
        + rng.normal(scale=noise_sd, size=(n, k))
        + 10.0
    )
    return np.round(x, digits) if digits is not None else x


@case("icc", "Shrout & Fleiss 1979 (psych's sf example)", packages=PKG)
def _sf():
    yield from _wide_checks(SHROUT_FLEISS)


@case("icc", "Shrout & Fleiss 1979, conf_level 0.90", packages=PKG)
def _sf90():
    yield from _wide_checks(SHROUT_FLEISS, 0.90)


@case("icc", "Shrout & Fleiss 1979, long input, shuffled rows, string labels", packages=PKG)
def _sf_long():
    n, k = SHROUT_FLEISS.shape
    long = pd.DataFrame(
        {
            "roi": np.repeat([f"p{i}" for i in range(n)], k),
            "reader": np.tile([f"J{j + 1}" for j in range(k)], n),
            "value": SHROUT_FLEISS.ravel(),
        }
    )
    long = long.sample(frac=1.0, random_state=3).reset_index(drop=True)
    yield from _checks(icc(long, "roi", "reader", "value"), _psych(SHROUT_FLEISS))


_GENERATED = {
    "generated n=878 k=2 (the paper's two sonographers)": lambda: _generated(878, 2, 1),
    "generated n=40 k=5 strong rater bias": lambda: _generated(40, 5, 2, rater_sd=2.0),
    "generated n=60 k=3 Likert 1-5 (ties)": lambda: np.clip(
        _generated(60, 3, 3, digits=0) - 7, 1, 5
    ),
    "generated n=3 k=2 (smallest)": lambda: _generated(3, 2, 4),
    "generated n=50 k=4 no target variance (negative ICC)": lambda: _generated(
        50, 4, 5, target_sd=0.0
    ),
    "generated n=200 k=2 near-perfect agreement": lambda: _generated(200, 2, 6, noise_sd=1e-3),
}
for _name, _make in _GENERATED.items():
    case("icc", _name, packages=PKG)(lambda make=_make: _wide_checks(make()))


@case("icc", "generated n=100 k=3, conf_level 0.99", packages=PKG)
def _conf99():
    yield from _wide_checks(_generated(100, 3, 7), 0.99)


@case("icc", "icc_many: 12 features vs psych one by one", packages=PKG)
def _many():
    rng = np.random.default_rng(8)
    n, k, nf = 45, 3, 12
    x = (
        rng.normal(size=(n, 1, nf)) * rng.uniform(0.1, 3.0, size=nf)
        + rng.normal(scale=0.5, size=(1, k, nf))
        + rng.normal(size=(n, k, nf))
    )
    res = icc_many(x)
    rs = [_psych(x[:, :, f]) for f in range(nf)]
    for i, form in enumerate(FORMS):
        for field, rname in _COLS.items():
            py = np.broadcast_to(np.asarray(getattr(res, field)[form], float), (nf,))
            yield f"{form} {field}", py, np.array([float(r[rname][i]) for r in rs])


@case("icc", "REML truncation: psych lmer=TRUE vs lmer=FALSE", packages=PKG + ("lme4",))
def _reml_truncation():
    """Raters agree better than the residual (MSJ < MSE): REML sets the rater variance to 0.

    ANOVA rows are at 1e-9. The lmer=TRUE rows compare psych's REML answer with
    cetrus's formulas fed the mean squares REML implies (rater variance 0 ⇒ MSJ = MSE
    = MSW): ICC2 and ICC3 collapse onto ICC1, so psych's default differs from the
    ANOVA (Shrout–Fleiss) estimates cetrus reports.
    """
    rng = np.random.default_rng(11)
    n, k = 30, 4
    x = rng.normal(size=(n, 1)) + rng.normal(size=(n, k))
    x = x - x.mean(axis=0) + rng.normal(scale=0.02, size=k)  # nearly equal rater means
    res = icc_wide(x)
    if not res.ms_raters < 0.2 * res.ms_error:
        raise RuntimeError("the generated data no longer truncate the rater variance")
    yield from _checks(res, _psych(x))
    msw = np.array([res.ms_within])
    implied = _forms(np.array([res.ms_targets]), msw, msw, msw, n, k, 0.95)
    r = _psych(x, lmer=True)
    reason = (
        "psych lmer=TRUE: REML truncates the negative rater variance at 0 (MSJ = MSE = MSW); "
        "agreement to lme4's optimiser tolerance"
    )
    for i, form in enumerate(FORMS):
        for field in ("estimate", "statistic", "pvalue", "ci_low", "ci_high"):
            yield (
                f"lmer=TRUE {form} {field} (REML-implied)",
                float(implied[form][field][0]),
                float(r[_COLS[field]][i]),
                Tol(abs=1e-4, rel=1e-4, reason=reason),
            )
    yield (
        "ANOVA ICC3 minus lmer=TRUE ICC3 (the difference lmer=FALSE avoids)",
        round(res.ICC3.estimate - float(r["icc"][2]), 3),
        round(res.ICC3.estimate - float(implied["ICC3"]["estimate"][0]), 3),
        Tol(abs=1e-3, reason="shows the size of the truncation effect, rounded to 3 digits"),
    )
