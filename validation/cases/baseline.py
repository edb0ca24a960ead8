"""Baseline-comparison parity (Table 1): cetrus.stats.baseline against R's stats/car.

Tolerance 1e-8 (DESIGN.md: t / Welch / MWU / χ² / Fisher).
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from cetrus.rbridge import r_dataset, r_eval
from cetrus.stats.baseline import mann_whitney
from validation.cases._data import asah
from validation.harness import case

TOL = 1e-8


@functools.lru_cache(maxsize=None)
def infert():
    """R's ``datasets::infert`` (248 women, case-control study of infertility)."""
    return r_dataset("datasets", "infert")


def _split(values, groups):
    values, groups = np.asarray(values, float), np.asarray(groups)
    levels = sorted(set(groups.tolist()))
    return values[groups == levels[0]], values[groups == levels[1]]


# --------------------------------------------------------------------------- Mann–Whitney

_R_MWU = """
w <- suppressWarnings(wilcox.test(x, y, exact = ex, correct = cc, alternative = alt))
c(w$statistic, w$p.value)
"""


def _mwu_checks(x, y, *, exact=False, correct=True, alternative="two.sided"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        py = mann_whitney(x, y, exact=exact, correct=correct, alternative=alternative)
    r = r_eval(_R_MWU, x=np.asarray(x, float), y=np.asarray(y, float), ex=exact, cc=correct,
               alt=alternative)
    yield "W", py.statistic, float(r[0])
    yield "pvalue", py.pvalue, float(r[1])


def _gen(seed, nx, ny, *, levels=None, shift=0.5):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=nx), rng.normal(shift, size=ny)
    if levels:
        x, y = np.floor(x * levels / 3), np.floor(y * levels / 3)
    return x, y


_MWU_SAMPLES = {
    "infert age by case (ties)": lambda: _split(infert()["age"], infert()["case"]),
    "infert parity by case (heavy ties)": lambda: _split(infert()["parity"], infert()["case"]),
    "aSAH s100b by outcome": lambda: _split(asah()["s100b"], asah()["outcome"]),
    "aSAH ndka by outcome": lambda: _split(asah()["ndka"], asah()["outcome"]),
    "generated n=3 vs 4": lambda: _gen(1, 3, 4),
    "generated n=1 vs 5": lambda: _gen(2, 1, 5),
    "generated 300 vs 200, 5 levels": lambda: _gen(3, 300, 200, levels=5),
    "generated identical groups (z=0)": lambda: (np.array([1.0, 2, 3]), np.array([3.0, 2, 1])),
}
for _name, _load in _MWU_SAMPLES.items():
    case("mann_whitney", _name, tolerance=TOL)(lambda load=_load: _mwu_checks(*load()))


@case("mann_whitney", "aSAH ndka one-sided, no continuity correction", tolerance=TOL)
def _mwu_options():
    x, y = _split(asah()["ndka"], asah()["outcome"])
    yield from _mwu_checks(x, y, correct=False, alternative="less")
    yield from (("greater " + q, a, b) for q, a, b in _mwu_checks(x, y, alternative="greater"))


@case("mann_whitney", "exact, no ties (8 vs 6, 20 vs 15)", tolerance=TOL)
def _mwu_exact():
    for seed, (nx, ny) in enumerate([(8, 6), (20, 15)]):
        x, y = _gen(10 + seed, nx, ny)
        for alt in ("two.sided", "less", "greater"):
            for q, a, b in _mwu_checks(x, y, exact=True, alternative=alt):
                yield f"{nx}v{ny} {alt} {q}", a, b


@case("mann_whitney", "exact requested with ties (R falls back to normal)", tolerance=TOL)
def _mwu_exact_ties():
    yield from _mwu_checks(np.array([1.0, 2, 2, 4, 5]), np.array([2.0, 3, 6, 7]), exact=True)


@case("mann_whitney", "2-D 120 vs 90 × 60 columns (column by column in R)", tolerance=TOL)
def _mwu_matrix():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(120, 60))
    y = rng.normal(0.3, size=(90, 60))
    x[:, ::3], y[:, ::3] = np.round(x[:, ::3]), np.round(y[:, ::3])  # tie-heavy columns
    x[:, 5], y[:, 5] = 1.0, 1.0  # constant column: z and p undefined (nan) in both
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        py = mann_whitney(x, y)
    r = r_eval("""
res <- sapply(seq_len(ncol(x)), function(j) {
  w <- suppressWarnings(wilcox.test(x[, j], y[, j], exact = FALSE, correct = TRUE))
  c(unname(w$statistic), w$p.value)
})
list(W = res[1, ], p = res[2, ])""", x=x, y=y)
    yield "W", py.statistic, np.asarray(r["W"], float)
    yield "pvalue", py.pvalue, np.asarray(r["p"], float)
