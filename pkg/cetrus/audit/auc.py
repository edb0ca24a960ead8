r"""AUC confidence intervals against the cohort's size.

Hanley & McNeil (1982, *Radiology* 143:29, eq. 2) give the variance of an AUC estimated
from ``P`` cases and ``N`` controls as

.. math::
    \mathrm{Var}(A) = \frac{A(1-A) + (P-1)(Q_1 - A^2) + (N-1)(Q_2 - A^2)}{P N},\quad
    Q_1 = \frac{A}{2-A},\quad Q_2 = \frac{2A^2}{1+A}.

A printed Wald/DeLong CI's half-width is compared with ``z·sqrt(Var)``: within a factor
of two is consistent (DeLong's estimate depends on the score distributions, Hanley–McNeil
assumes exponential ones; a factor of two in width is a factor of four in sample size).
An upper bound holds for any data: DeLong's variance is ``S10/P + S01/N`` where each ``S``
is the sample variance of placement values in [0, 1] with mean ``A``, hence at most
``A(1−A)·(1/(P−1) + 1/(N−1))`` (DeLong, DeLong & Clarke-Pearson 1988). A CI wider than
that is impossible for the cohort. A Wald/DeLong CI is also symmetric around the AUC
(unless clipped at 0 or 1), and the AUC itself is a multiple of ``1/(2PN)``.
"""

from __future__ import annotations

import math
from fractions import Fraction

from scipy import stats as sps

from cetrus.audit.findings import Finding, fmt, r_num
from cetrus.audit.rounding import Printed


def hanley_mcneil_var(auc: float, cases: int, controls: int) -> float:
    """Hanley–McNeil variance of the AUC for ``cases`` and ``controls``."""
    q1 = auc / (2 - auc)
    q2 = 2 * auc**2 / (1 + auc)
    return (auc * (1 - auc) + (cases - 1) * (q1 - auc**2) + (controls - 1) * (q2 - auc**2)) / (
        cases * controls
    )


def delong_var_max(auc: float, cases: int, controls: int) -> float:
    """Largest DeLong variance any data with this AUC and size can give."""
    if cases < 2 or controls < 2:
        return math.inf
    return auc * (1 - auc) * (1 / (cases - 1) + 1 / (controls - 1))


def _size(pub, cid: str, solved: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    c = pub.cohorts.get(cid)
    if c is not None and c.cases is not None and c.n is not None:
        return c.cases, c.controls
    return solved.get(cid)


def check(pub, solved: dict[str, tuple[int, int]] | None = None) -> list[Finding]:
    solved = solved or {}
    perf = pub.raw.get("performance", {})
    if not pub.performance_rows():
        return []
    d = pub.decimals("performance", "decimals")
    cl = float(perf.get("conf_level", 0.95))
    z = float(sps.norm.ppf(1 - (1 - cl) / 2))
    out: list[Finding] = []
    for cid, model, row in pub.performance_rows():
        if "auc" not in row:
            continue
        size = _size(pub, cid, solved)
        label = pub.cohorts[cid].label or cid
        auc = Printed(float(row["auc"][0]), d)
        cells = (f"performance.{cid}.{model}.auc",)
        if size is None:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI not checked",
                    "cannot tell",
                    "low",
                    "the AUC CI width from the cohort's size",
                    "Hanley-McNeil",
                    "The cohort's cases and controls are neither given nor recoverable.",
                    cells,
                )
            )
            continue
        p, n = size
        # the AUC as a multiple of 1/(2PN)
        k = round(auc.value * 2 * p * n)
        grim = any(
            auc.allows(Fraction(j, 2 * p * n)) for j in (k - 1, k, k + 1) if 0 <= j <= 2 * p * n
        )
        if not grim:
            out.append(
                Finding(
                    "auc_grim",
                    f"{model}, {label}: AUC impossible for the cohort's size",
                    "inconsistent",
                    "high",
                    "the AUC as a count of case-control pairs",
                    "AUC = (pairs ranked right + ties / 2) / (P N): a multiple of 1/(2PN)",
                    f"No multiple of 1/{2 * p * n} prints as {auc.text}.",
                    cells,
                    f"round((0:{r_num(2 * p * n)}) / {r_num(2 * p * n)}, {r_num(d)})",
                    {},
                )
            )
        if len(row["auc"]) != 3:
            continue
        lo, hi = Printed(float(row["auc"][1]), d), Printed(float(row["auc"][2]), d)
        half_printed = (hi.value - lo.value) / 2
        var_hm = hanley_mcneil_var(auc.value, p, n)
        half_hm = z * math.sqrt(var_hm)
        a_lo, a_hi = float(auc.low), float(auc.high)
        worst_a = (
            0.5 if a_lo <= 0.5 <= a_hi else (a_lo if abs(a_lo - 0.5) < abs(a_hi - 0.5) else a_hi)
        )
        half_max = z * math.sqrt(delong_var_max(worst_a, p, n))
        # the smallest half-width the printed bounds allow
        half_min_printed = max((float(hi.low) - float(lo.high)) / 2, 0.0)
        ratio = half_printed / half_hm if half_hm > 0 else math.inf
        r = (
            f"A <- {r_num(auc.value)}; P <- {r_num(p)}; N <- {r_num(n)}; z <- qnorm(1 - (1 - {r_num(cl)}) / 2)\n"
            "Q1 <- A / (2 - A); Q2 <- 2 * A^2 / (1 + A)\n"
            "v <- (A * (1 - A) + (P - 1) * (Q1 - A^2) + (N - 1) * (Q2 - A^2)) / (P * N)\n"
            "c(hanley_mcneil_half_width = z * sqrt(v),\n"
            f"  printed_half_width = ({r_num(hi.value)} - {r_num(lo.value)}) / 2,\n"
            "  largest_possible = z * sqrt(A * (1 - A) * (1 / (P - 1) + 1 / (N - 1))))"
        )
        values = {
            "cases": p,
            "controls": n,
            "hm_var": var_hm,
            "hm_half_width": half_hm,
            "printed_half_width": half_printed,
            "ratio": ratio,
            "max_half_width": half_max,
        }
        if half_min_printed > half_max:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI too wide for the cohort",
                    "inconsistent",
                    "high",
                    "the largest CI half-width any data of this size allow",
                    "DeLong variance <= A(1-A)(1/(P-1) + 1/(N-1))",
                    f"Printed half-width {fmt(half_printed, 4)} exceeds the largest possible "
                    f"{fmt(half_max, 4)} for {p} cases and {n} controls.",
                    cells,
                    r,
                    values,
                )
            )
        elif half_hm == 0:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI width not comparable",
                    "cannot tell",
                    "low",
                    "the AUC CI half-width expected from the cohort's size",
                    "Hanley-McNeil variance",
                    f"An AUC of {auc.text} has no Hanley-McNeil variance to compare with.",
                    cells,
                    r,
                    values,
                )
            )
        elif 0.5 <= ratio <= 2:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI width as expected",
                    "consistent",
                    "info",
                    "the AUC CI half-width expected from the cohort's size",
                    "Hanley-McNeil variance",
                    f"Printed half-width {fmt(half_printed, 4)}, Hanley-McNeil {fmt(half_hm, 4)} "
                    f"(ratio {ratio:.2f}) for {p} cases and {n} controls.",
                    cells,
                    r,
                    values,
                )
            )
        else:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI width far from the expected",
                    "inconsistent",
                    "medium",
                    "the AUC CI half-width expected from the cohort's size",
                    "Hanley-McNeil variance",
                    f"Printed half-width {fmt(half_printed, 4)}, Hanley-McNeil {fmt(half_hm, 4)} "
                    f"(ratio {ratio:.2f}) for {p} cases and {n} controls: was the CI computed "
                    "on another cohort?",
                    cells,
                    r,
                    values,
                )
            )
        # symmetry (Wald/DeLong) unless clipped at 0 or 1
        clipped = hi.value >= 1.0 or lo.value <= 0.0
        gap = abs(float(auc.exact) - float(lo.exact + hi.exact) / 2)
        if not clipped and gap > float(2 * auc.half) + 1e-12:
            out.append(
                Finding(
                    "auc_ci",
                    f"{model}, {label}: AUC CI not symmetric",
                    "inconsistent",
                    "low",
                    "the midpoint of the printed CI",
                    "a DeLong (Wald) CI is AUC +/- z SE",
                    f"The CI's midpoint {fmt(float(lo.exact + hi.exact) / 2, d + 1)} is {fmt(gap, d + 1)} "
                    f"from the AUC {auc.text}: not a Wald/DeLong CI (bootstrap?).",
                    cells,
                    f"({r_num(lo.value)} + {r_num(hi.value)}) / 2 - {r_num(auc.value)}",
                    {"gap": gap},
                )
            )
    return out
