"""Table 1 summaries of continuous variables: medians and quartiles, means (GRIM).

Median/quartiles: P25 <= median <= P75. With a data resolution ``g`` (``granularity``,
e.g. 1 for whole years) the median of ``n`` values is a multiple of ``g`` (``n`` odd) or
of ``g/2`` (``n`` even), and a quartile under any of R's nine ``quantile`` types is a
multiple of ``g/4``. Means: the GRIM test (Brown & Heathers 2017) — the mean of ``n``
values on a grid ``g`` is a multiple of ``g/n``. Group sizes are the Table 1 cohort's
cases and controls.
"""

from __future__ import annotations

import math
from fractions import Fraction

from cetrus.audit.findings import Finding, fmt, r_num
from cetrus.audit.rounding import Printed


def on_grid(printed: Printed, step: Fraction) -> bool:
    """Whether some multiple of ``step`` prints as ``printed``."""
    k = math.ceil(printed.low / step)
    return k * step <= printed.high


def _group_sizes(pub) -> dict[str, int]:
    t1 = pub.table1
    cohort = pub.cohorts.get(t1.get("cohort")) if t1.get("cohort") else pub.whole
    case_group = t1.get("case_group")
    groups = pub.groups
    if cohort is None or cohort.cases is None or case_group is None or len(groups) != 2:
        return {}
    other = next(g for g in groups if g != case_group)
    return {case_group: cohort.cases, other: cohort.controls}


def check(pub) -> list[Finding]:
    out: list[Finding] = []
    sizes = _group_sizes(pub)
    disordered = []
    for var, row in pub.continuous.items():
        d = pub.decimals("table1", "summary_decimals", row)
        summary = row.get("summary", "median_iqr")
        g = row.get("granularity")
        for grp in pub.groups:
            vals = row[grp]
            cell = f"table1.continuous.{var}.{grp}"
            if summary == "median_iqr":
                med, q1, q3 = (Printed(float(v), d) for v in vals)
                if not (q1.low <= med.high and med.low <= q3.high and q1.low <= q3.high):
                    disordered.append(cell)
                    out.append(
                        Finding(
                            "quartiles",
                            f"Table 1 {var} ({grp}): median outside its quartiles",
                            "inconsistent",
                            "high",
                            "the order of P25, median, P75",
                            "P25 <= median <= P75 within the printed rounding",
                            f"Printed {med.text} ({q1.text}, {q3.text}).",
                            (cell,),
                            f"diff(c({r_num(q1.value)}, {r_num(med.value)}, {r_num(q3.value)}))"
                            "  # all >= 0",
                            {},
                        )
                    )
                if g is None or grp not in sizes:
                    continue
                n = sizes[grp]
                step = Fraction(str(g)) if n % 2 else Fraction(str(g)) / 2
                qstep = Fraction(str(g)) / 4
                bad = []
                if not on_grid(med, step):
                    bad.append(f"median {med.text} is not a multiple of {float(step):g} (n = {n})")
                for name, q in (("P25", q1), ("P75", q3)):
                    if not on_grid(q, qstep):
                        bad.append(f"{name} {q.text} is not a multiple of {float(qstep):g}")
                r = (
                    f"n <- {r_num(n)}; g <- {r_num(float(g))}\n"
                    f"{r_num(med.value)} / (if (n %% 2 == 1) g else g / 2)  # an integer for a possible median\n"
                    f"c({r_num(q1.value)}, {r_num(q3.value)}) / (g / 4)  # integers for possible quartiles"
                )
                out.append(
                    Finding(
                        "median_grid",
                        f"Table 1 {var} ({grp}): median and quartiles "
                        + ("possible" if not bad else "impossible")
                        + f" for n = {n}",
                        "consistent" if not bad else "inconsistent",
                        "info" if not bad else "medium",
                        "the values a median and quartiles of n values on the data grid can take",
                        f"median on a grid of {float(step):g}, quartiles (any R quantile type) on "
                        f"{float(qstep):g}",
                        "; ".join(bad)
                        or f"Median {med.text} and quartiles {q1.text}, {q3.text} are possible.",
                        (cell,),
                        r,
                        {"n": n, "granularity": g},
                    )
                )
            else:
                mean = Printed(
                    float(vals[0]), d
                )  # the SD gets no grid check (GRIMMER is not implemented)
                if g is None or grp not in sizes:
                    continue
                n = sizes[grp]
                step = Fraction(str(g)) / n
                ok = on_grid(mean, step)
                r = (
                    f"n <- {r_num(n)}; g <- {r_num(float(g))}\n"
                    f"k <- round({r_num(mean.value)} * n / g) + (-1:1)\n"
                    f"round(k * g / n, {r_num(d)})  # does {r_num(mean.value)} appear?"
                )
                out.append(
                    Finding(
                        "grim",
                        f"Table 1 {var} ({grp}): mean " + ("passes" if ok else "fails") + " GRIM",
                        "consistent" if ok else "inconsistent",
                        "info" if ok else "high",
                        "whether the printed mean is a possible mean of n values on the data grid",
                        "GRIM: a multiple of g/n within the printed rounding interval",
                        f"Mean {mean.text} of n = {n} values on a grid of {g}: "
                        + ("possible." if ok else "no sum of such values gives it."),
                        (cell,),
                        r,
                        {"n": n, "granularity": g},
                    )
                )
    return out


def check_t(pub) -> list[Finding]:
    """P of mean ± SD rows recomputed by Student's and Welch's t from the summaries."""
    from scipy import stats as sps

    sizes = _group_sizes(pub)
    groups = pub.groups
    out = []
    for var, row in pub.continuous.items():
        if (
            row.get("summary") != "mean_sd"
            or "pvalue" not in row
            or len(groups) != 2
            or any(g not in sizes for g in groups)
        ):
            continue
        (m1, s1), (m2, s2) = row[groups[0]], row[groups[1]]
        n1, n2 = sizes[groups[0]], sizes[groups[1]]
        pp = Printed(
            float(row["pvalue"]), pub.decimals("table1", "p_decimals", row), row.get("pvalue_bound")
        )
        student = float(sps.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=True).pvalue)
        welch = float(sps.ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False).pvalue)
        # the summaries are rounded: a P between these extremes is possible
        match = [
            k for k, p in (("student", student), ("welch", welch)) if pp.allows(float(p), rel=0)
        ]
        d = pub.decimals("table1", "summary_decimals", row)
        h = 0.5 * 10**-d
        corners: list[float] = []
        for dm1 in (-h, h):
            for dm2 in (-h, h):
                for ds in (-h, h):
                    corners.append(
                        float(
                            sps.ttest_ind_from_stats(
                                m1 + dm1,
                                max(s1 + ds, 1e-12),
                                n1,
                                m2 + dm2,
                                max(s2 + ds, 1e-12),
                                n2,
                                equal_var=False,
                            ).pvalue
                        )
                    )
        possible = pp.overlaps(min(corners + [student]), max(corners + [student]))
        r = (
            f"set.seed(1); x <- {r_num(m1)} + {r_num(s1)} * scale(rnorm({r_num(n1)}))[, 1]\n"
            f"y <- {r_num(m2)} + {r_num(s2)} * scale(rnorm({r_num(n2)}))[, 1]  # exactly these means and SDs\n"
            "c(student = t.test(x, y, var.equal = TRUE)$p.value, welch = t.test(x, y)$p.value)"
        )
        verdict = "consistent" if (match or possible) else "inconsistent"
        out.append(
            Finding(
                "continuous_p",
                f"Table 1 {var}: t-test P "
                + ("reproduced" if verdict == "consistent" else "not reproduced"),
                verdict,
                "info" if verdict == "consistent" else "medium",
                "the P of the group comparison from means, SDs and group sizes",
                "Student's and Welch's t from the summaries (and over their rounding)",
                f"Printed P {pp.text}; Student {fmt(student, 4)}, Welch {fmt(welch, 4)}.",
                (f"table1.continuous.{var}.pvalue",),
                r,
                {"student": float(student), "welch": float(welch), "matches": match},
            )
        )
    return out
