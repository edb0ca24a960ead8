"""Audit parity: every recomputation of ``cetrus audit`` that has an R counterpart.

* categorical P variants (``cetrus.audit.table1.p_variants``) vs ``chisq.test`` (default,
  i.e. Yates on 2×2), ``chisq.test(correct = FALSE)`` and ``fisher.test``;
* Clopper–Pearson intervals of reconstructed sensitivities/specificities vs ``binom.test``;
* the Hanley–McNeil variance (``cetrus.audit.auc.hanley_mcneil_var``) vs the same formula
  evaluated in R (Hanley & McNeil 1982, eq. 2; no R package exports it);
* the crude OR and its Wald CI from Table 1 counts (``cetrus.audit.odds.crude_or``) vs
  ``glm(cbind(cases, controls) ~ exposure, binomial)`` with ``confint.default``;
* the Wald P a printed OR and CI imply vs ``2 * pnorm(-abs(log(or)) / se)``;
* t-test P values from means and SDs (``cetrus.audit.summaries.check_t``'s computation) vs
  ``t.test`` on data built in R to have exactly those means and SDs.

R at its defaults; tolerance 1e-9 (DESIGN.md: χ² / Fisher / t), except where noted.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as sps

from cetrus.rbridge import r_eval
from validation.harness import Tol, case

TOL = 1e-9

#: the paper's Table 1 (levels × groups) and generated tables, 2×2 and larger
_TABLES = {
    "paper Sex 84/38 vs 469/287": [[84, 469], [38, 287]],
    "paper Smoking 41/81 vs 265/491": [[41, 265], [81, 491]],
    "paper Drinking 46/76 vs 229/527": [[46, 229], [76, 527]],
    "small 2x2 with a zero": [[0, 7], [5, 3]],
    "3x2 generated": [[12, 30], [8, 41], [15, 22]],
    "4x2 generated": [[3, 9], [5, 2], [7, 7], [1, 6]],
}

_R_P = """
tab <- matrix(x, nrow = nr, byrow = TRUE)
c(suppressWarnings(chisq.test(tab)$p.value),
  suppressWarnings(chisq.test(tab, correct = FALSE)$p.value),
  fisher.test(tab)$p.value)
"""


def _p_checks(table):
    from cetrus.audit.table1 import p_variants

    arr = np.asarray(table, dtype=float)
    py = p_variants(arr)
    r = r_eval(_R_P, x=arr.ravel(), nr=arr.shape[0])
    yield "chisq.test p", py["chisq_yates"], float(r[0])
    yield "chisq.test(correct = FALSE) p", py["chisq_uncorrected"], float(r[1])
    yield "fisher.test p", py["fisher"], float(r[2])


for _name, _table in _TABLES.items():
    case("audit_categorical_p", _name, tolerance=TOL)(lambda t=_table: _p_checks(t))


@case("audit_clopper_pearson", "reconstructed matrices of the paper vs binom.test", tolerance=TOL)
def _binom():
    from cetrus.stats.roc import clopper_pearson

    # TP/P and TN/N of the matrices the audit reconstructs from Tables 3-4, plus the edges
    for x, n in (
        (16, 24),
        (112, 152),
        (91, 98),
        (519, 604),
        (14, 24),
        (47, 152),
        (0, 24),
        (24, 24),
    ):
        r = r_eval("as.numeric(binom.test(x, n)$conf.int)", x=x, n=n)
        yield f"binom.test({x}, {n})$conf.int", list(clopper_pearson(x, n)), list(r)


_R_HM = """
Q1 <- A / (2 - A); Q2 <- 2 * A^2 / (1 + A)
(A * (1 - A) + (P - 1) * (Q1 - A^2) + (N - 1) * (Q2 - A^2)) / (P * N)
"""


@case(
    "audit_hanley_mcneil",
    "variance for the paper's cohorts and edge AUCs",
    tolerance=Tol(rel=1e-12, reason="a closed formula: agreement to rounding error"),
)
def _hm():
    from cetrus.audit.auc import hanley_mcneil_var

    for a, p, n in (
        (0.74, 24, 152),
        (0.95, 98, 604),
        (0.5, 24, 152),
        (0.999, 10, 10),
        (0.521, 24, 152),
    ):
        yield (
            f"var(A = {a}, P = {p}, N = {n})",
            hanley_mcneil_var(a, p, n),
            float(r_eval(_R_HM, A=a, P=p, N=n)),
        )


_R_GLM = """
exposed <- c(1, 0)
fit <- glm(cbind(cases, controls) ~ exposed, family = binomial)
c(exp(c(coef(fit)[2], confint.default(fit)[2, ])), sqrt(vcov(fit)[2, 2]))
"""


@case(
    "audit_crude_or",
    "Table 1 counts vs glm on the 2x2 table",
    tolerance=Tol(
        rel=1e-9,
        reason="glm's IRLS stops at a deviance change of 1e-8; the saturated "
        "fit is then exact to ~1e-12 relative",
    ),
)
def _crude():
    from cetrus.audit.odds import crude_or

    z = float(sps.norm.ppf(0.975))
    for a, b, c, d in ((46, 76, 229, 527), (41, 81, 265, 491), (38, 84, 287, 469), (3, 17, 40, 9)):
        py = crude_or(a, b, c, d, z)
        r = r_eval(_R_GLM, cases=np.array([a, b], float), controls=np.array([c, d], float))
        yield f"OR, CI, SE of ({a}, {b}, {c}, {d})", list(py), [float(v) for v in r]


@case("audit_wald_p", "P implied by a printed OR and CI", tolerance=TOL)
def _wald_p():
    from cetrus.audit.odds import wald_p_range
    from cetrus.audit.rounding import Printed

    z = float(sps.norm.ppf(0.975))
    for est, lo, hi in ((1.56, 1.00, 2.42), (0.68, 0.42, 1.08), (29.43, 0.01, 103588.26)):
        # at zero decimals of slack (12 printed decimals) the range collapses onto the Wald P
        p_lo, p_hi = wald_p_range(Printed(est, 12), Printed(lo, 12), Printed(hi, 12), z, grid=1)
        r = float(
            r_eval(
                "se <- (log(hi) - log(lo)) / (2 * qnorm(0.975)); 2 * pnorm(-abs(log(est)) / se)",
                est=est,
                lo=lo,
                hi=hi,
            )
        )
        yield f"Wald P of {est} ({lo}, {hi})", p_lo, r, Tol(abs=1e-9)
        yield f"Wald P of {est} ({lo}, {hi}), upper end", p_hi, r, Tol(abs=1e-9)


_R_T = """
x <- m1 + s1 * as.numeric(scale(seq_len(n1)))
y <- m2 + s2 * as.numeric(scale(seq_len(n2)))
c(t.test(x, y, var.equal = TRUE)$p.value, t.test(x, y)$p.value)
"""


@case("audit_t_from_summaries", "Student and Welch P from means and SDs vs t.test", tolerance=TOL)
def _t():
    for m1, s1, n1, m2, s2, n2 in (
        (10.2, 3.1, 30, 9.1, 2.7, 120),
        (0.5, 1.0, 5, 1.5, 2.0, 7),
        (60.0, 10.0, 122, 59.0, 11.5, 756),
    ):
        student = sps.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=True).pvalue
        welch = sps.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue
        r = r_eval(_R_T, m1=m1, s1=s1, n1=n1, m2=m2, s2=s2, n2=n2)
        yield f"Student P ({m1}, {s1}, {n1}) vs ({m2}, {s2}, {n2})", float(student), float(r[0])
        yield f"Welch P ({m1}, {s1}, {n1}) vs ({m2}, {s2}, {n2})", float(welch), float(r[1])
        assert math.isfinite(student)
