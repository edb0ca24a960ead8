"""Odds ratios with CIs: Wald symmetry, the P a CI implies, crude ORs, significance claims.

A Wald CI is ``exp(log OR ± z·SE)``: symmetric around the OR on the log scale, so
``OR = sqrt(low · high)`` within the rounding of the three printed numbers. Its SE is
``(log high − log low) / (2 z)`` and the two-sided Wald P is ``2 Φ(−|log OR| / SE)``
(``z = qnorm(1 − α/2)``); the extremes over the rounding box of (OR, low, high) are compared
with the printed P. A univariate OR of a two-level Table 1 variable is compared with the
crude OR of Table 1's counts, ``(a·d)/(b·c)`` with Wald SE ``sqrt(1/a + 1/b + 1/c + 1/d)``
(Woolf 1955) — the same as R's ``glm(cbind(cases, controls) ~ exposure, binomial)`` on
the 2×2 table; the ratio of the SEs estimates how many patients the published model was
fitted on, ``n · (SE_counts / SE_printed)²``.
"""

from __future__ import annotations

import math

from scipy import stats as sps

from cetrus.audit.findings import Finding, fmt, r_num, r_vec
from cetrus.audit.rounding import Printed


def _triple(pub, part: str, row: dict) -> tuple[Printed, Printed, Printed]:
    d = pub.decimals("table2", "or_decimals", row)
    est, lo, hi = (Printed(float(v), d) for v in row["or"])  # [OR, CI low, CI high], checked
    return est, lo, hi


def _p(pub, row: dict) -> Printed | None:
    if "pvalue" not in row:
        return None
    return Printed(
        float(row["pvalue"]), pub.decimals("table2", "p_decimals", row), row.get("pvalue_bound")
    )


def wald_p_range(
    est: Printed, lo: Printed, hi: Printed, z: float, *, grid: int = 400
) -> tuple[float, float]:
    """Smallest and largest Wald P over the rounding box of the printed OR and CI.

    The true values satisfy low <= OR <= high. The largest P takes the OR nearest 1 and the
    widest CI; the smallest P, for each OR on a grid of its interval (``grid`` steps), the
    narrowest CI that still contains it.
    """
    e_lo, e_hi = float(est.low), float(est.high)
    a_lo, a_hi = max(float(lo.low), 0.0), float(lo.high)
    b_lo, b_hi = float(hi.low), float(hi.high)

    def p_of(e: float, a: float, b: float) -> float:
        if e <= 0 or a <= 0:
            return 1.0  # a bound printed as 0: the SE is unbounded
        if b <= a:
            return 0.0 if e != 1 else 1.0
        se = (math.log(b) - math.log(a)) / (2 * z)
        return float(2 * sps.norm.sf(abs(math.log(e)) / se))

    near_one = min(max(1.0, e_lo), e_hi)
    p_max = p_of(near_one, a_lo, b_hi)
    p_min = 1.0
    for i in range(grid + 1):
        e = e_lo + (e_hi - e_lo) * i / grid
        if e <= 0:
            continue
        p_min = min(p_min, p_of(e, min(e, a_hi), max(e, b_lo)))
    return p_min, p_max


def crude_or(a: int, b: int, c: int, d: int, z: float) -> tuple[float, float, float, float]:
    """Crude OR of exposed cases a, unexposed cases b, exposed controls c, unexposed controls d:
    (OR, Wald low, high, SE of log OR)."""
    if min(a, b, c, d) == 0:
        return (float("nan"),) * 4
    lor = math.log(a * d / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return math.exp(lor), math.exp(lor - z * se), math.exp(lor + z * se), se


def _claimed(pub, part: str, var: str, row: dict) -> bool | None:
    if "significant" in row:
        return bool(row["significant"])
    if part == "univariate" and pub.multivariable:
        return var in pub.multivariable
    if part == "multivariable" and pub.retained:
        return var in pub.retained
    return None


def check(pub) -> list[Finding]:
    t2 = pub.raw.get("table2")
    if not t2:
        return []
    cl = float(t2.get("conf_level", 0.95))
    z = float(sps.norm.ppf(1 - (1 - cl) / 2))
    out: list[Finding] = []
    for part in ("univariate", "multivariable"):
        for var, row in t2.get(part, {}).items():
            est, lo, hi = _triple(pub, part, row)
            cells = (f"table2.{part}.{var}.or",)
            base_r = (
                f"or <- {r_num(est.value)}; lo <- {r_num(lo.value)}; hi <- {r_num(hi.value)}\n"
                f"z <- qnorm(1 - (1 - {r_num(cl)}) / 2)\n"
            )
            # log symmetry
            g_lo = math.sqrt(max(float(lo.low), 0) * float(hi.low))
            g_hi = math.sqrt(float(lo.high) * float(hi.high))
            sym = est.overlaps(g_lo, g_hi)
            out.append(
                Finding(
                    "or_symmetry",
                    f"Table 2 {part} {var}: CI "
                    + (
                        "symmetric on the log scale (Wald)"
                        if sym
                        else "not symmetric on the log scale (not Wald)"
                    ),
                    "consistent" if sym else "inconsistent",
                    "info" if sym else "low",
                    "the geometric mean of the CI bounds",
                    "sqrt(low * high) over the printed rounding "
                    "intervals against the printed OR's interval",
                    f"sqrt(low x high) lies in {fmt(g_lo, 4)}-{fmt(g_hi, 4)}; the OR printed {est.text} "
                    + (
                        "can be it."
                        if sym
                        else "cannot: the CI is not exp(log OR +/- z SE) (profile likelihood?)."
                    ),
                    cells,
                    base_r + "sqrt(lo * hi)  # equals or for a Wald CI",
                    {"geo_low": g_lo, "geo_high": g_hi},
                )
            )
            # P implied by the CI
            pp = _p(pub, row)
            if pp is not None and sym:
                p_lo, p_hi = wald_p_range(est, lo, hi, z)
                ok = pp.overlaps(p_lo, p_hi)
                coarse = ok and p_hi - p_lo > 0.5
                r = base_r + (
                    "se <- (log(hi) - log(lo)) / (2 * z)\n2 * pnorm(-abs(log(or)) / se)"
                    f"  # printed P: {'' if pp.bound is None else '< '}{r_num(pp.value)}"
                )
                out.append(
                    Finding(
                        "or_pvalue",
                        f"Table 2 {part} {var}: P "
                        + (
                            "not constrained by the printed CI"
                            if coarse
                            else "agrees with"
                            if ok
                            else "disagrees with"
                        )
                        + (" the CI" if not coarse else ""),
                        "cannot tell" if coarse else "consistent" if ok else "inconsistent",
                        "low" if coarse else "info" if ok else "medium",
                        "the Wald P implied by the printed OR and CI",
                        "SE = (log high - log low) / (2z), P = 2 pnorm(-|log OR| / SE), extremes over the "
                        "rounding box of the three printed numbers",
                        f"The CI implies P between {fmt(p_lo, 4)} and {fmt(p_hi, 4)}; printed {pp.text}."
                        + (
                            " The OR and CI are printed with too few digits to say more (an OR per unit of "
                            "a wide-ranging variable: per SD or more decimals would show it)."
                            if coarse
                            else ""
                        ),
                        cells + (f"table2.{part}.{var}.pvalue",),
                        r,
                        {"p_low": p_lo, "p_high": p_hi},
                    )
                )
            # significance claims against the CI touching 1
            claim = _claimed(pub, part, var, row)
            excl_sure = lo.low > 1 or hi.high < 1
            incl_sure = lo.high < 1 < hi.low
            if claim:
                if excl_sure:
                    verdict, sev, text = (
                        "consistent",
                        "info",
                        "the CI excludes 1 at the printed precision.",
                    )
                elif incl_sure:
                    verdict, sev, text = "inconsistent", "high", "the printed CI includes 1."
                else:
                    verdict, sev, text = (
                        "cannot tell",
                        "medium",
                        f"the printed CI ({lo.text}, {hi.text}) touches 1: whether it "
                        "excludes 1 depends on digits the paper does not print.",
                    )
                pnote = ""
                if pp is not None:
                    if float(pp.high) < 1 - cl:
                        pnote = f" Printed P {pp.text} is below {1 - cl:.2f}."
                        if (
                            verdict == "cannot tell"
                        ):  # the P carries the claim; the CI is too coarse
                            sev = "low"
                            pnote += " The P supports the claim; the CI is printed too coarsely to show it."
                    elif float(pp.low) >= 1 - cl:
                        pnote = f" Printed P {pp.text} is not below {1 - cl:.2f}."
                        if verdict == "consistent":
                            verdict, sev = "inconsistent", "medium"
                    else:
                        pnote = f" Printed P {pp.text} does not say on which side of {1 - cl:.2f} it lies."
                out.append(
                    Finding(
                        "significance_claim",
                        f"Table 2 {part} {var}: claimed significant; "
                        + text.split(":")[0].rstrip("."),
                        verdict,
                        sev,
                        "whether the printed CI excludes 1 for a variable the paper treats as significant",
                        "the rounding intervals of the printed CI bounds against 1",
                        f"The paper selects {var} as significant; " + text + pnote,
                        cells + ((f"table2.{part}.{var}.pvalue",) if pp else ()),
                        base_r + "c(lo > 1 | hi < 1)  # the printed bounds only",
                        {"claimed": True},
                    )
                )
    out.extend(_crude(pub, z))
    return out


def _crude(pub, z: float) -> list[Finding]:
    t2 = pub.raw.get("table2", {})
    t1 = pub.table1
    case_group = t1.get("case_group")
    groups = pub.groups
    if not case_group or not t2.get("univariate"):
        return []
    controls = [g for g in groups if g != case_group]
    t1_cohort = pub.cohorts.get(t1.get("cohort")) if t1.get("cohort") else pub.whole
    t2_cohort_id = t2.get("cohort")
    out = []
    for var, row in t2["univariate"].items():
        cat = pub.categorical.get(var)
        if cat is None or len(cat["levels"]) != 2:
            continue
        est, lo, hi = _triple(pub, "univariate", row)
        cases = cat[case_group]
        ctrl = [sum(x) for x in zip(*(cat[g] for g in controls))]
        codings = []
        for e in (0, 1):
            if "exposed" in row and cat["levels"][e] != row["exposed"]:
                continue
            u = 1 - e
            o, l_, h_, se = crude_or(cases[e], cases[u], ctrl[e], ctrl[u], z)
            codings.append((e, o, l_, h_, se))
        if not codings:
            continue
        e, o, l_, h_, se = min(
            codings,
            key=lambda t: (
                abs(math.log(t[1]) - math.log(max(est.value, 1e-12))) if t[1] == t[1] else math.inf
            ),
        )
        if o != o:
            continue
        level = cat["levels"][e]
        match = est.allows(o) and lo.allows(l_) and hi.allows(h_)
        se_printed = (
            (math.log(hi.value) - math.log(lo.value)) / (2 * z) if lo.value > 0 else float("nan")
        )
        n_table = sum(cases) + sum(ctrl)
        n_eff = (
            n_table * (se / se_printed) ** 2
            if se_printed and se_printed == se_printed
            else float("nan")
        )
        near = None
        if n_eff == n_eff:
            known = [c for c in pub.cohorts.values() if c.n is not None]
            near = min(known, key=lambda c: abs(c.n - n_eff), default=None)
        a, b, c, d = cases[e], cases[1 - e], ctrl[e], ctrl[1 - e]
        r = (
            f"cases <- {r_vec([a, b])}; controls <- {r_vec([c, d])}; exposed <- c(1, 0)\n"
            "fit <- glm(cbind(cases, controls) ~ exposed, family = binomial)\n"
            "exp(c(coef(fit)[2], confint.default(fit)[2, ]))  # crude OR and Wald CI\n"
            f"# printed: {r_num(est.value)} ({r_num(lo.value)}, {r_num(hi.value)})\n"
            f"se_counts <- sqrt(sum(1 / c(cases, controls)))\n"
            f"se_printed <- (log({r_num(hi.value)}) - log({r_num(lo.value)})) / (2 * qnorm(0.975))\n"
            f"{r_num(n_table)} * (se_counts / se_printed)^2  # patients the printed CI implies"
        )
        same_cohort = (
            t2_cohort_id is not None and t1_cohort is not None and t2_cohort_id == t1_cohort.id
        )
        values = {
            "crude_or": o,
            "crude_low": l_,
            "crude_high": h_,
            "se_counts": se,
            "se_printed": se_printed,
            "n_table1": n_table,
            "n_implied": n_eff,
            "exposed_level_index": e,
            "nearest_cohort": near.id if near else None,
        }
        cells = (f"table2.univariate.{var}.or", f"table1.categorical.{var}")
        if match:
            out.append(
                Finding(
                    "crude_or",
                    f"Table 2 {var}: univariate OR equals Table 1's crude OR",
                    "consistent",
                    "info",
                    "the crude OR of Table 1's counts",
                    "(a d)/(b c) with Woolf's Wald CI, both codings of the two levels",
                    f"Crude OR ({level} vs the other level) {fmt(o, 3)} ({fmt(l_, 3)}, {fmt(h_, 3)}) "
                    f"prints as {est.text} ({lo.text}, {hi.text}).",
                    cells,
                    r,
                    values,
                )
            )
        else:
            subset = (
                (
                    f" The printed CI's width implies a fit on about {n_eff:.0f} patients (Table 1 has "
                    f"{n_table})"
                    + (f", closest to the {near.label or near.id} ({near.n})" if near else "")
                    + "."
                )
                if n_eff == n_eff
                else ""
            )
            if t2_cohort_id is not None and not same_cohort:
                verdict, sev = "cannot tell", "info"
                lead = f"Table 2 is declared fitted on cohort {t2_cohort_id!r}, Table 1 describes another."
            else:
                verdict, sev = "inconsistent", "medium"
                lead = (
                    "Table 2 does not match Table 1's counts: the model was fitted on another subset "
                    "or with other coding."
                )
            out.append(
                Finding(
                    "crude_or",
                    f"Table 2 {var}: univariate OR differs from Table 1's crude OR",
                    verdict,
                    sev,
                    "the crude OR of Table 1's counts",
                    "(a d)/(b c) with Woolf's Wald CI, the coding closest to the printed OR",
                    f"{lead} Crude OR ({level} vs the other level) {fmt(o, 3)} ({fmt(l_, 3)}, "
                    f"{fmt(h_, 3)}); printed {est.text} ({lo.text}, {hi.text}).{subset}",
                    cells,
                    r,
                    values,
                )
            )
    return out
