"""Baseline-comparison parity (Table 1): cetrus.stats.groups against R's stats/car.

Tolerance 1e-9 (DESIGN.md: t / Welch / MWU / χ² / Fisher / Shapiro). Against R *at its
defaults*: ``wilcox.test(x, y)`` (exact/normal rule), ``fisher.test`` OR/CI (uniroot) and
r×c p (FEXACT), ``shapiro.test`` (swilk.c): 1e-9 relative.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np

from cetrus.rbridge import r_dataset, r_eval
from cetrus.stats.groups import (
    chi_square,
    compare_groups,
    fisher_exact,
    levene,
    mann_whitney,
    shapiro_wilk,
    student_t,
    welch_t,
)
from validation.cases._data import asah
from validation.harness import Tol, case

TOL = 1e-9


@functools.cache
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
    r = r_eval(
        _R_MWU,
        x=np.asarray(x, float),
        y=np.asarray(y, float),
        ex=exact,
        cc=correct,
        alt=alternative,
    )
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
    r = r_eval(
        """
res <- sapply(seq_len(ncol(x)), function(j) {
  w <- suppressWarnings(wilcox.test(x[, j], y[, j], exact = FALSE, correct = TRUE))
  c(unname(w$statistic), w$p.value)
})
list(W = res[1, ], p = res[2, ])""",
        x=x,
        y=y,
    )
    yield "W", py.statistic, np.asarray(r["W"], float)
    yield "pvalue", py.pvalue, np.asarray(r["p"], float)


_R_MWU_DEFAULT = """
w <- suppressWarnings(wilcox.test(x, y, alternative = alt))
c(w$statistic, w$p.value, as.numeric(grepl("exact", w$method)))
"""


@case(
    "mann_whitney",
    "R's defaults (exact < 50 without ties, else normal; Inf ranked)",
    tolerance=Tol(rel=1e-9, abs=1e-15),
)
def _mwu_defaults():
    hw_x = np.array([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46])
    hw_y = np.array([1.15, 0.88, 0.90, 0.74, 1.21])
    samples = {
        "?wilcox.test H&W example, greater": (hw_x, hw_y, "greater"),
        "?wilcox.test H&W example": (hw_x, hw_y, "two.sided"),
        "?wilcox.test depression data as two samples (ties)": (
            np.array([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]),
            np.array([0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]),
            "two.sided",
        ),
        "generated 49 vs 30 (exact)": (*_gen(21, 49, 30), "two.sided"),
        "generated 50 vs 30 (normal)": (*_gen(22, 50, 30), "less"),
        "generated 12 vs 9 (exact), less": (*_gen(23, 12, 9), "less"),
        "Inf and -Inf ranked, NaN dropped": (
            np.array([-np.inf, 1, 5, 7, np.inf]),
            np.array([2, 3, 4, 6, np.nan]),
            "two.sided",
        ),
        "tied Inf (normal)": (
            np.array([-np.inf, 1, 5, np.inf]),
            np.array([2, 3, 4, np.inf]),
            "greater",
        ),
        "aSAH s100b by outcome (72 vs 41)": (
            *_split(asah()["s100b"], asah()["outcome"]),
            "two.sided",
        ),
        "birthwt lwt by low": (
            *_split(r_dataset("MASS", "birthwt")["lwt"], r_dataset("MASS", "birthwt")["low"]),
            "two.sided",
        ),
    }
    for name, (x, y, alt) in samples.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            py = mann_whitney(x, y, alternative=alt)
        r = r_eval(_R_MWU_DEFAULT, x=np.asarray(x, float), y=np.asarray(y, float), alt=alt)
        yield f"{name} W", py.statistic, float(r[0])
        yield f"{name} pvalue", py.pvalue, float(r[1])
        yield f"{name} exact used", py.exact, bool(r[2])


# --------------------------------------------------------------------------- t tests

_R_T = """
t <- t.test(x, y, var.equal = ve, conf.level = cl, alternative = alt)
c(unname(t$statistic), unname(t$parameter), t$p.value, t$conf.int[1], t$conf.int[2])
"""


def _t_checks(x, y, *, welch, conf_level=0.95, alternative="two.sided"):
    f = welch_t if welch else student_t
    py = f(x, y, conf_level=conf_level, alternative=alternative)
    r = r_eval(
        _R_T,
        x=np.asarray(x, float),
        y=np.asarray(y, float),
        ve=not welch,
        cl=conf_level,
        alt=alternative,
    )
    for q, a, b in zip(
        ("t", "df", "pvalue", "ci_low", "ci_high"),
        (py.statistic, py.df, py.pvalue, py.ci_low, py.ci_high),
        r,
    ):
        yield q, a, float(b)


_T_SAMPLES = {
    "infert age by case": lambda: _split(infert()["age"], infert()["case"]),
    "aSAH age by outcome": lambda: _split(asah()["age"], asah()["outcome"]),
    "generated 2 vs 3 (tiny)": lambda: _gen(4, 2, 3),
    "generated 40 vs 9 unequal variances": lambda: (_gen(5, 40, 9)[0] * 4, _gen(5, 40, 9)[1]),
}
for _name, _load in _T_SAMPLES.items():
    case("student_t", _name, tolerance=TOL)(lambda load=_load: _t_checks(*load(), welch=False))
    case("welch_t", _name, tolerance=TOL)(lambda load=_load: _t_checks(*load(), welch=True))


@case("student_t", "generated n=1 vs 2 (R's minimum)", tolerance=TOL)
def _t_minimum():
    yield from _t_checks(np.array([1.3]), np.array([2.0, 2.9]), welch=False)


@case("welch_t", "aSAH ndka one-sided, conf 0.9", tolerance=TOL)
def _welch_options():
    x, y = _split(asah()["ndka"], asah()["outcome"])
    yield from _t_checks(x, y, welch=True, conf_level=0.9, alternative="less")
    yield from _t_checks(x, y, welch=True, conf_level=0.9, alternative="greater")


# --------------------------------------------------------------------------- chi-square, Fisher

_R_CHI = """
ch <- suppressWarnings(chisq.test(tab, correct = cc))
c(unname(ch$statistic), unname(ch$parameter), ch$p.value)
"""


def _chi_checks(table, correct=True):
    table = np.asarray(table)
    py = chi_square(table, correct=correct)
    r = r_eval(_R_CHI, tab=table.astype(float), cc=correct)
    yield "X2", py.statistic, float(r[0])
    yield "df", float(py.df), float(r[1])
    yield "pvalue", py.pvalue, float(r[2])


_R_FISHER = """
f <- fisher.test(tab, alternative = alt, conf.level = cl)
if (is.null(f$estimate)) c(f$p.value, NA, NA, NA) else
  c(f$p.value, unname(f$estimate), f$conf.int[1], f$conf.int[2])
"""

# fisher.test's OR and CI are uniroot's (tol = .Machine$double.eps^0.25) iterates; cetrus
# runs the same iteration by default (ci="exact" is checked against the exact roots below).
_UNIROOT = Tol(rel=1e-9, abs=1e-14, reason="fisher.test at its defaults: uniroot's iterates")


def _fisher_checks(table, alternative="two.sided", conf_level=0.95):
    table = np.asarray(table)
    py = fisher_exact(table, alternative=alternative, conf_level=conf_level)
    r = r_eval(_R_FISHER, tab=table.astype(float), alt=alternative, cl=conf_level)
    yield "pvalue", py.pvalue, float(r[0])
    if table.shape == (2, 2):
        yield "odds_ratio", py.estimate, float(r[1]), _UNIROOT
        yield "ci_low", py.ci_low, float(r[2]), _UNIROOT
        yield "ci_high", py.ci_high, float(r[3]), _UNIROOT


def _crosstab(a, b):
    import pandas as pd

    return pd.crosstab(np.asarray(a), np.asarray(b)).to_numpy()


_TABLES = {
    "infert education x case (3x2)": lambda: _crosstab(infert()["education"], infert()["case"]),
    "infert induced x case (3x2)": lambda: _crosstab(infert()["induced"], infert()["case"]),
    "aSAH gender x outcome (2x2)": lambda: _crosstab(asah()["gender"], asah()["outcome"]),
    "aSAH wfns x outcome (5x2)": lambda: _crosstab(asah()["wfns"], asah()["outcome"]),
    "paper Table 1 Sex (2x2)": lambda: np.array([[84, 38], [469, 287]]),
    "2x2 small counts": lambda: np.array([[3, 1], [1, 3]]),
    "2x2 with a zero cell": lambda: np.array([[0, 5], [6, 2]]),
    "2x2 |O-E| < 0.5 (Yates capped)": lambda: np.array([[5, 5], [5, 6]]),
}
for _name, _load in _TABLES.items():
    case("chi_square", _name, tolerance=TOL)(lambda load=_load: _chi_checks(load()))
    case("fisher_exact", _name, tolerance=TOL)(lambda load=_load: _fisher_checks(load()))


@case("chi_square", "2x2 without Yates; 3x3", tolerance=TOL)
def _chi_options():
    yield from _chi_checks([[12, 5], [7, 9]], correct=False)
    yield from (("3x3 " + q, a, b) for q, a, b in _chi_checks([[10, 4, 3], [2, 8, 5], [6, 6, 9]]))


@case("fisher_exact", "2x2 one-sided, conf 0.9; 3x3 sparse", tolerance=TOL)
def _fisher_options():
    for alt in ("less", "greater"):
        for q, *rest in _fisher_checks([[7, 2], [3, 8]], alt, 0.9):
            yield (f"{alt} {q}", *rest)
    yield from (
        ("3x3 " + q, *rest) for q, *rest in _fisher_checks([[3, 0, 1], [1, 4, 0], [0, 1, 5]])
    )


_JOB = "matrix(c(1,2,1,0, 3,3,6,1, 10,10,14,9, 6,7,12,11), 4, 4)"  # ?fisher.test's Job


@case(
    "fisher_exact",
    "r x c at R's defaults (FEXACT): Job 4x4 n=96, birthwt, Pima.tr, sparse",
    tolerance=Tol(rel=1e-9, abs=1e-15),
)
def _fisher_rxc():
    tables = {
        "Job satisfaction 4x4 (?fisher.test)": np.asarray(r_eval(_JOB), dtype=float),
        "birthwt race x ftv>0 x low: race x ftv (3x6)": _crosstab(
            r_dataset("MASS", "birthwt")["race"], r_dataset("MASS", "birthwt")["ftv"]
        ),
        "Pima.tr npreg>5 x type x bp tertile (2x3)": _crosstab(
            r_dataset("MASS", "Pima.tr")["npreg"].to_numpy() > 5,
            np.digitize(r_dataset("MASS", "Pima.tr")["bp"], [64, 76]),
        ),
        "sparse 3x4": np.array([[2, 0, 1, 4], [0, 3, 0, 1], [1, 1, 5, 0]]),
        "2x5 long": np.array([[3, 1, 4, 1, 5], [2, 6, 5, 3, 5]]),
        "5x3 with a zero column removed by margins": np.array(
            [[1, 0, 2], [3, 0, 1], [0, 0, 4], [2, 0, 2], [1, 0, 0]]
        ),
    }
    for name, table in tables.items():
        for q, *rest in _fisher_checks(table):
            yield (f"{name} {q}", *rest)


_R_FISHER_EXACT_ROOTS = """
# fisher.test's own formulas with uniroot at a tight tolerance: the exact roots
m <- sum(tab[, 1]); n <- sum(tab[, 2]); k <- sum(tab[1, ]); x <- tab[1, 1]
lo <- max(0, k - n); hi <- min(k, m); support <- lo:hi
logdc <- dhyper(support, m, n, k, log = TRUE)
dn <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
mn <- function(ncp) sum(support * dn(ncp))
pn <- function(ncp, upper) sum(dn(ncp)[if (upper) support >= x else support <= x])
f <- function(g) uniroot(g, c(1e-8, 1e8), tol = 1e-14)$root
a <- (1 - 0.95) / 2
c(f(function(t) mn(t) - x), f(function(t) pn(t, TRUE) - a), f(function(t) pn(t, FALSE) - a))
"""


@case("fisher_exact", "2x2 OR and CI (ci='exact') vs exact roots in R", tolerance=Tol(rel=1e-8))
def _fisher_roots():
    for name, table in {
        "aSAH gender": _crosstab(asah()["gender"], asah()["outcome"]),
        "paper Sex": np.array([[84, 38], [469, 287]]),
        "small": np.array([[3, 1], [1, 3]]),
    }.items():
        py = fisher_exact(table, ci="exact")
        r = r_eval(_R_FISHER_EXACT_ROOTS, tab=table.astype(float))
        yield f"{name} odds_ratio", py.estimate, float(r[0])
        yield f"{name} ci_low", py.ci_low, float(r[1])
        yield f"{name} ci_high", py.ci_high, float(r[2])


# --------------------------------------------------------------------------- assumptions


@case(
    "shapiro_wilk",
    "infert, aSAH and generated samples (n = 3 ... 5000)",
    tolerance=Tol(rel=1e-9, abs=1e-15),
)
def _shapiro():
    samples = {
        "infert age": infert()["age"],
        "aSAH s100b": asah()["s100b"],
        "aSAH ndka": asah()["ndka"],
        "n=3": _gen(6, 3, 1)[0],
        "n=11": _gen(7, 11, 1)[0],
        "n=500": _gen(8, 500, 1)[0],
        "n=60 ties": np.round(_gen(9, 60, 1)[0]),
        "n=4": _gen(13, 4, 1)[0],
        "n=5": _gen(14, 5, 1)[0],
        "n=12": _gen(15, 12, 1)[0],
        "n=5000": _gen(16, 5000, 1)[0],
        "n=200 exponential": np.exp(_gen(17, 200, 1)[0]),
        "birthwt bwt": r_dataset("MASS", "birthwt")["bwt"],
        "Pima.tr glu": r_dataset("MASS", "Pima.tr")["glu"],
    }
    for name, x in samples.items():
        x = np.asarray(x, float)
        py = shapiro_wilk(x)
        r = r_eval("s <- shapiro.test(x); c(unname(s$statistic), s$p.value)", x=x)
        yield f"{name} W", py.statistic, float(r[0])
        yield f"{name} pvalue", py.pvalue, float(r[1])


@case("levene_median", "car::leveneTest(center = median)", tolerance=TOL, packages=("car",))
def _levene():
    samples = {
        "infert age by case": _split(infert()["age"], infert()["case"]),
        "aSAH ndka by outcome": _split(asah()["ndka"], asah()["outcome"]),
        "generated 5 vs 7": _gen(11, 5, 7),
        "generated 80 vs 20 unequal": (_gen(12, 80, 20)[0] * 3, _gen(12, 80, 20)[1]),
    }
    for name, (a, b) in samples.items():
        py = levene(a, b)
        y = np.concatenate([a, b])
        g = np.array(["a"] * len(a) + ["b"] * len(b))
        r = r_eval(
            "l <- car::leveneTest(y, factor(g), center = median); c(l[1, 'F value'], "
            "l[1, 'Pr(>F)'])",
            packages=("car",),
            y=y,
            g=g,
        )
        yield f"{name} F", py.statistic, float(r[0])
        yield f"{name} pvalue", py.pvalue, float(r[1])


# --------------------------------------------------------------------------- compare_groups

_R_FORMULA = {
    "student": "t <- t.test(v ~ g, var.equal = TRUE); c(unname(t$statistic), t$p.value)",
    "welch": "t <- t.test(v ~ g); c(unname(t$statistic), t$p.value)",
    "mwu": "w <- suppressWarnings(wilcox.test(v ~ g, exact = FALSE, correct = TRUE)); "
    "c(unname(w$statistic), w$p.value)",
    "chisq": "ch <- suppressWarnings(chisq.test(table(g, v))); c(unname(ch$statistic), ch$p.value)",
    "fisher": "c(NaN, fisher.test(table(g, v))$p.value)",
}


@case("compare_groups", "infert and aSAH through R's formula interface", tolerance=TOL)
def _compare():
    import pandas as pd

    inf = infert().copy()
    a = asah().copy()
    specs = [
        (inf, "case", "age", "auto"),
        (inf, "case", "parity", "auto"),
        (inf, "case", "education", "auto"),
        (inf, "case", "spontaneous", "chisq"),
        (inf, "case", "age", "student"),
        (inf, "case", "age", "welch"),
        (a, "outcome", "s100b", "auto"),
        (a, "outcome", "age", "auto"),
        (a, "outcome", "gender", "auto"),
        (a, "outcome", "wfns", "fisher"),
        (a, "gender", "ndka", "mwu"),
    ]
    for data, group, var, test in specs:
        py = compare_groups(data, group, var, test=test)
        v = data[var]
        v = v.astype(str) if py.kind == "categorical" else v.astype(float)
        r = r_eval(
            _R_FORMULA[py.test],
            v=v.to_numpy(),
            g=pd.Series(pd.Categorical(data[group].astype(str))),
        )
        label = f"{var} by {group} ({test} -> {py.test})"
        yield f"{label} statistic", py.statistic, float(r[0])
        yield f"{label} pvalue", py.pvalue, float(r[1])
