"""Table 1 checks: percentages against counts, counts against the cohort, categorical P values.

Percentages
    Each printed percentage is recomputed from its count over every candidate denominator —
    the group's total (column), the level's total across groups (row), the variable's total
    (table) and the cohort's n — and rounded by each rule of
    :data:`cetrus.audit.rounding.RULES`. A denominator whose cells all sum to 100 % is also
    tried with largest-remainder rounding (the adjustment that makes a column sum to exactly
    100). Cells that only the adjustment explains are reported, as are cells no rule explains.
P values
    Recomputed from the counts (levels × groups) as R's ``chisq.test`` with and without
    Yates' continuity correction and ``fisher.test`` (:func:`cetrus.stats.groups.chi_square`,
    :func:`cetrus.stats.groups.fisher_exact`, which equal R to 1e-9 in the parity suite);
    every variant that prints as the published P is named, and so is the variant that
    explains every row of the table.
"""

from __future__ import annotations

import warnings
from fractions import Fraction
from typing import Any

import numpy as np

from cetrus.audit.findings import Finding, fmt, r_num, r_vec
from cetrus.audit.rounding import RULES, Printed, largest_remainder, round_rule

_RULE_TEXT = {
    "half_up": "rounded half up",
    "half_even": "rounded half to even",
    "truncate": "truncated",
    "largest_remainder": "largest-remainder rounding",
}


def _p_printed(pub, section: str, row: dict) -> Printed | None:
    if "pvalue" not in row:
        return None
    return Printed(
        float(row["pvalue"]), pub.decimals(section, "p_decimals", row), row.get("pvalue_bound")
    )


def check_counts(pub) -> list[Finding]:
    """Group totals of each categorical row against the cohort's cases and controls."""
    t1 = pub.table1
    cid = t1.get("cohort")
    cohort = pub.cohorts.get(cid) if cid else pub.whole
    case_group = t1.get("case_group")
    groups = pub.groups
    if cohort is None or case_group is None or cohort.cases is None:
        return []
    control_groups = [g for g in groups if g != case_group]
    out = []
    for var, row in pub.categorical.items():
        cases = sum(row[case_group])
        controls = sum(sum(row[g]) for g in control_groups)
        cells = tuple(f"table1.categorical.{var}.{g}" for g in groups)
        r = (
            f"cases <- {r_vec(row[case_group])}\ncontrols <- {r_vec([sum(x) for x in zip(*(row[g] for g in control_groups))])}\n"
            f"c(sum(cases), sum(controls))  # against the cohort: {r_num(cohort.cases)} cases, "
            f"{r_num(cohort.controls)} controls"
        )
        values = {
            "cases": cases,
            "controls": controls,
            "cohort_cases": cohort.cases,
            "cohort_controls": cohort.controls,
        }
        if cases > cohort.cases or controls > cohort.controls:
            out.append(
                Finding(
                    "table1_counts",
                    f"Table 1 {var}: more patients than the cohort has",
                    "inconsistent",
                    "high",
                    "group totals of the counts",
                    "sum of the counts of each group against the cohort's cases and controls",
                    f"{cases} cases and {controls} controls counted; the cohort has "
                    f"{cohort.cases} and {cohort.controls}.",
                    cells,
                    r,
                    values,
                )
            )
        elif cases < cohort.cases or controls < cohort.controls:
            out.append(
                Finding(
                    "table1_counts",
                    f"Table 1 {var}: counts do not cover the cohort",
                    "cannot tell",
                    "low",
                    "group totals of the counts",
                    "sum of the counts of each group against the cohort's cases and controls",
                    f"{cohort.cases - cases} cases and {cohort.controls - controls} controls "
                    "are not counted (missing values?).",
                    cells,
                    r,
                    values,
                )
            )
    return out


def check_percentages(pub) -> list[Finding]:
    t1 = pub.table1
    groups = pub.groups
    cid = t1.get("cohort")
    cohort = pub.cohorts.get(cid) if cid else pub.whole
    out: list[Finding] = []
    usage: dict[str, list[str]] = {}
    for var, row in pub.categorical.items():
        if not any(f"percent_{g}" in row for g in groups):
            continue
        d = pub.decimals("table1", "percent_decimals", row)
        cells = []  # (cell id, group, level index, count, Printed)
        for g in groups:
            pct = row.get(f"percent_{g}")
            if pct is None:
                continue
            for i, (c, p) in enumerate(zip(row[g], pct)):
                cells.append(
                    (
                        f"table1.categorical.{var}.percent_{g}[{i}]",
                        g,
                        i,
                        int(c),
                        Printed(float(p), d),
                    )
                )
        table_total = sum(sum(row[g]) for g in groups)
        dens: dict[str, dict] = {
            "column": {cell[0]: sum(row[cell[1]]) for cell in cells},
            "row": {cell[0]: sum(row[g][cell[2]] for g in groups) for cell in cells},
            "table": {cell[0]: table_total for cell in cells},
        }
        if cohort is not None and cohort.n is not None and cohort.n != table_total:
            dens["cohort"] = {cell[0]: cohort.n for cell in cells}
        # partitions whose shares sum to 100 %: cells sharing one denominator set
        parts = {
            "column": lambda cell: cell[1],
            "row": lambda cell: cell[2],
            "table": lambda cell: 0,
            "cohort": lambda cell: 0,
        }
        explained: dict[str, dict[str, list[str]]] = {}  # denominator -> cell -> rules
        for dn, den in dens.items():
            per: dict[str, list[str]] = {cell[0]: [] for cell in cells}
            for cell in cells:
                if den[cell[0]] == 0:
                    continue
                q = Fraction(100 * cell[3], den[cell[0]])
                for rule in RULES:
                    if round_rule(q, d, rule) == cell[4].exact:
                        per[cell[0]].append(rule)
            # largest remainder within each partition whose counts add up to the denominator
            blocks: dict = {}
            for cell in cells:
                blocks.setdefault(parts[dn](cell), []).append(cell)
            for block in blocks.values():
                den0 = den[block[0][0]]
                if den0 == 0 or sum(c[3] for c in block) != den0:
                    continue
                lr = largest_remainder([Fraction(100 * c[3], den0) for c in block], d)
                if lr is None:
                    continue
                if all(v == c[4].exact for v, c in zip(lr, block)):
                    for c in block:
                        per[c[0]].append("largest_remainder")
            explained[dn] = per
        # one rule for the whole variable: a (denominator, rule) that reproduces every cell
        combos = [
            (dn, rule)
            for dn in explained
            for rule in RULES + ("largest_remainder",)
            if all(rule in explained[dn][c[0]] for c in cells)
        ]
        simple = [(dn, rule) for dn, rule in combos if rule in RULES]
        adjusted = [(dn, rule) for dn, rule in combos if rule == "largest_remainder"]
        cell_ids = tuple(c[0] for c in cells)
        counts = [c[3] for c in cells]
        printed = [float(c[4].exact) for c in cells]

        def r_code(dn: str) -> str:
            den = [dens[dn][c[0]] for c in cells]
            return (
                f"count <- {r_vec(counts)}\nden <- {r_vec(den)}\nprinted <- {r_vec(printed)}\n"
                f"exact <- 100 * count / den\ncbind(exact, half_up = floor(exact * 10^{d} + 0.5) / 10^{d}, "
                f"truncated = floor(exact * 10^{d}) / 10^{d}, printed)\n"
                f"sum(printed)  # percentages of one denominator sum to 100"
            )

        def den_text(dn: str) -> str:
            return f"{dn} total ({', '.join(map(str, sorted(set(dens[dn].values()))))})"

        values: dict[str, Any] = {
            dn: {
                "denominators": [dens[dn][c[0]] for c in cells],
                "exact": [100 * c[3] / dens[dn][c[0]] if dens[dn][c[0]] else None for c in cells],
                "rules": [explained[dn][c[0]] for c in cells],
            }
            for dn in dens
        }
        values["printed"] = printed
        values["counts"] = counts
        how = (
            "count / denominator x 100 in exact arithmetic, for the denominators column (group "
            "total), row (level total), table (variable total) and cohort (the cohort's n), each "
            f"rounded to {d} decimals half up, half to even, truncated, and by largest remainder "
            "within cells that sum to 100; one rule for all cells of the variable"
        )
        if simple:
            dn = simple[0][0]
            rules = [_RULE_TEXT[r] for x, r in simple if x == dn]
            usage.setdefault(dn, []).append(var)
            values["rule"] = [dn, simple[0][1]]
            out.append(
                Finding(
                    "percentages",
                    f"Table 1 {var}: percentages of the {dn} total",
                    "consistent",
                    "info",
                    "every printed percentage from its count",
                    how,
                    f"All {len(cells)} percentages are counts over the {den_text(dn)}, "
                    f"{' or '.join(rules)}.",
                    cell_ids,
                    r_code(dn),
                    values,
                )
            )
        elif adjusted:
            dn = adjusted[0][0]
            usage.setdefault(dn, []).append(var)
            values["rule"] = [dn, "largest_remainder"]
            odd = [
                c
                for c in cells
                if round_rule(Fraction(100 * c[3], dens[dn][c[0]]), d, "half_up") != c[4].exact
            ]
            lines = []
            for c in odd:
                q = Fraction(100 * c[3], dens[dn][c[0]])
                lines.append(
                    f"{c[0]}: {c[3]}/{dens[dn][c[0]]} = {fmt(q, d + 3)} % rounds to "
                    f"{fmt(round_rule(q, d, 'half_up'), d)}, printed {c[4].text}"
                )
            out.append(
                Finding(
                    "percentages",
                    f"Table 1 {var}: percentages sum to 100 only through adjusted rounding",
                    "consistent",
                    "low",
                    "every printed percentage from its count",
                    how,
                    f"Percentages of the {den_text(dn)}. Conventional rounding does not give "
                    f"{len(odd)} cell(s); largest-remainder rounding (which forces the cells to "
                    "sum to exactly 100) gives them all: " + "; ".join(lines) + ".",
                    tuple(c[0] for c in odd),
                    r_code(dn),
                    values,
                )
            )
        else:
            best_dn, best_rule = max(
                ((dn, r) for dn in explained for r in RULES),
                key=lambda x: sum(x[1] in explained[x[0]][c[0]] for c in cells),
            )
            bad = [c for c in cells if best_rule not in explained[best_dn][c[0]]]
            lines = []
            for c in bad:
                den = dens[best_dn][c[0]]
                share = Fraction(100 * c[3], den) if den else None
                other = [_RULE_TEXT[r] for r in explained[best_dn][c[0]]]
                lines.append(
                    f"{c[0]}: {c[3]}/{den} = {fmt(share, d + 3)} %, printed {c[4].text}"
                    + (f" (only if {' or '.join(other)})" if other else "")
                )
            mixed = all(explained[best_dn][c[0]] for c in cells)
            worst = max(
                (
                    abs(float(Fraction(100 * c[3], dens[best_dn][c[0]]) - c[4].exact))
                    for c in bad
                    if dens[best_dn][c[0]]
                ),
                default=0.0,
            )
            sev = "high" if worst > 1.0 else "medium"
            values["rule"] = [best_dn, best_rule]
            out.append(
                Finding(
                    "percentages",
                    f"Table 1 {var}: "
                    + (
                        "percentages rounded by different rules"
                        if mixed
                        else "percentages no denominator and rounding rule explain"
                    ),
                    "inconsistent",
                    sev,
                    "every printed percentage from its count",
                    how,
                    f"Closest: the {den_text(best_dn)}, {_RULE_TEXT[best_rule]} "
                    f"({len(cells) - len(bad)} of {len(cells)} cells). Not reproduced: "
                    + "; ".join(lines)
                    + ".",
                    tuple(c[0] for c in bad),
                    r_code(best_dn),
                    values,
                )
            )
    if len(usage) == 1:
        dn, vs = next(iter(usage.items()))
        out.append(
            Finding(
                "percentages",
                f"Table 1 percentages are of the {dn} total"
                + ("" if dn == "column" else ", not of each group"),
                "consistent",
                "info" if dn == "column" else "low",
                "the denominator behind each variable's percentages",
                "the denominator that reproduces all of a variable's percentages",
                f"Every variable with percentages ({', '.join(vs)}) uses the {dn} total"
                + (
                    "."
                    if dn == "column"
                    else "; a reader expecting the usual group (column) percentages "
                    "would misread them."
                ),
                (),
                "",
                {"denominator": dn, "variables": vs},
            )
        )
    if len(usage) > 1:
        out.append(
            Finding(
                "percentages",
                "Table 1 mixes denominators for percentages",
                "cannot tell",
                "low",
                "the denominator behind each variable's percentages",
                "the denominator that reproduces all of a variable's percentages",
                "; ".join(f"{dn}: {', '.join(vs)}" for dn, vs in usage.items()) + ".",
                (),
                "",
                {"usage": usage},
            )
        )
    return out


def p_variants(table: np.ndarray) -> dict[str, float]:
    """P of a levels × groups count table under χ² (Yates, as R's default), χ² without
    correction and Fisher's exact test."""
    from cetrus.stats.groups import chi_square, fisher_exact

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {
            "chisq_yates": chi_square(table, correct=True).pvalue,
            "chisq_uncorrected": chi_square(table, correct=False).pvalue,
        }
        # r×c Fisher enumerates every table with the margins: only for small ones
        small = table.shape == (2, 2) or (table.size <= 8 and table.sum() <= 1000)
        out["fisher"] = fisher_exact(table).pvalue if small else float("nan")
    # chisq_yates is R's chisq.test default: Yates' correction on 2x2 tables only, so on a
    # larger table it is the uncorrected test
    return out


_VARIANT_TEXT = {
    "chisq_yates": "chi-square as chisq.test's default (Yates' correction on 2x2 tables)",
    "chisq_uncorrected": "chi-square without continuity correction (chisq.test(correct = FALSE))",
    "fisher": "Fisher's exact test (fisher.test)",
}
_VARIANT_SHORT = {
    "chisq_yates": "chi-square as R's default",
    "chisq_uncorrected": "chi-square without continuity correction",
    "fisher": "Fisher's exact test",
}
_VARIANT_R = {
    "chisq_yates": "chisq.test(tab)$p.value",
    "chisq_uncorrected": "chisq.test(tab, correct = FALSE)$p.value",
    "fisher": "fisher.test(tab)$p.value",
}


def check_pvalues(pub) -> list[Finding]:
    groups = pub.groups
    out: list[Finding] = []
    explains: dict[str, int] = {}
    n_rows = 0
    for var, row in pub.categorical.items():
        printed = _p_printed(pub, "table1", row)
        if printed is None:
            continue
        table = np.array(
            [[row[g][i] for g in groups] for i in range(len(row["levels"]))], dtype=float
        )
        if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
            out.append(
                Finding(
                    "categorical_p",
                    f"Table 1 {var}: P cannot be recomputed",
                    "cannot tell",
                    "low",
                    "P from the counts",
                    "a level or group with no patients",
                    "A row or column of the table is empty.",
                    (f"table1.categorical.{var}.pvalue",),
                )
            )
            continue
        n_rows += 1
        ps = p_variants(table)
        match = [k for k, p in ps.items() if printed.allows(p)]
        for k in match:
            explains[k] = explains.get(k, 0) + 1
        nr, nc = table.shape
        r = (
            f"tab <- matrix({r_vec(table.ravel().astype(int).tolist())}, nrow = {nr}, byrow = TRUE)\n"
            + "\n".join(f"{_VARIANT_R[k]}  # {fmt(p, 6)}" for k, p in ps.items())
        )
        detail = (
            f"Printed P {printed.text}; recomputed: "
            + "; ".join(f"{_VARIANT_TEXT[k]} {fmt(p, 4)}" for k, p in ps.items())
            + ". "
            + (f"Reproduced by: {', '.join(match)}." if match else "No variant reproduces it.")
        )
        cells = (f"table1.categorical.{var}.pvalue",) + tuple(
            f"table1.categorical.{var}.{g}" for g in groups
        )
        out.append(
            Finding(
                "categorical_p",
                f"Table 1 {var}: P value " + ("reproduced" if match else "not reproduced"),
                "consistent" if match else "inconsistent",
                "info" if match else "medium",
                "the P value of the categorical comparison from its counts",
                "chisq.test with and without correct, fisher.test, on the levels × groups table",
                detail,
                cells,
                r,
                {"printed": printed.value, "bound": printed.bound, **ps, "matches": match},
            )
        )
    if n_rows:
        all_rows = [k for k, c in explains.items() if c == n_rows]
        if all_rows:
            text = ", ".join(_VARIANT_TEXT[k] for k in all_rows)
            r_default = "chisq_yates" in all_rows
            out.append(
                Finding(
                    "categorical_p",
                    "Test behind Table 1's categorical P values: "
                    + "; ".join(_VARIANT_SHORT[k] for k in all_rows),
                    "consistent",
                    "info" if r_default else "low",
                    "which test variant reproduces every categorical P",
                    "each variant's P against the printed P at its decimals, row by row",
                    f"All {n_rows} categorical P values are reproduced by: {text}."
                    + (
                        ""
                        if r_default
                        else " R's chisq.test default (Yates' correction on 2x2 "
                        "tables) does not reproduce them: a reader checking in R gets other P values."
                    ),
                    (),
                    "",
                    {"variants": all_rows, "rows": n_rows},
                )
            )
        else:
            out.append(
                Finding(
                    "categorical_p",
                    "No single test reproduces Table 1's categorical P values",
                    "inconsistent",
                    "medium",
                    "which test variant reproduces every categorical P",
                    "each variant's P against the printed P at its decimals, row by row",
                    "Rows reproduced per variant: "
                    + ", ".join(f"{k} {explains.get(k, 0)}/{n_rows}" for k in _VARIANT_TEXT)
                    + ".",
                    (),
                    "",
                    {"explains": explains, "rows": n_rows},
                )
            )
    return out
