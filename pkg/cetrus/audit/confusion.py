"""Threshold metrics: every integer confusion matrix behind the printed metrics.

For a cohort of ``P`` cases and ``N`` controls a classification is the matrix
``(TP, FN, TN, FP)`` with ``TP + FN = P`` and ``TN + FP = N``; accuracy = (TP+TN)/(P+N),
sensitivity = TP/P, specificity = TN/N, PPV = TP/(TP+FP), NPV = TN/(TN+FN). Every matrix
whose metrics all print as published (exact fractions against the printed rounding
intervals) is a solution; none is a finding. The cohort sizes themselves are searched the
same way: every ``(P, N)`` (at most the parent cohort's cases and controls) for which every
model of the cohort has a solution; sibling cohorts of one parent must add up to it.
Clopper–Pearson intervals of the reconstructed sensitivity and specificity equal R's
``binom.test(x, n)$conf.int`` (:func:`cetrus.stats.roc.clopper_pearson`, parity suite).
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import product

from cetrus.audit.findings import Finding, r_num
from cetrus.audit.rounding import Printed

METRIC_KEYS = ("accuracy", "sensitivity", "specificity", "ppv", "npv")
_SEARCH_MAX = 5000  # largest cohort searched when nothing bounds it


def _candidates(printed: Printed | None, total: int) -> range | list[int]:
    """Integers k in 0..total with k/total printing as ``printed`` (all when not printed)."""
    if printed is None:
        return range(total + 1)
    lo = max(math.ceil(printed.low * total), 0)  # exact: low <= k/total <= high
    hi = min(math.floor(printed.high * total), total)
    return range(lo, hi + 1)


def matrices(
    cases: int, controls: int, printed: dict[str, Printed]
) -> list[tuple[int, int, int, int]]:
    """All ``(TP, FN, TN, FP)`` for ``cases``/``controls`` whose metrics print as ``printed``."""
    if cases < 1 or controls < 1:
        return []
    out = []
    n = cases + controls
    for tp in _candidates(printed.get("sensitivity"), cases):
        for tn in _candidates(printed.get("specificity"), controls):
            fn, fp = cases - tp, controls - tn
            if "accuracy" in printed and not printed["accuracy"].allows(Fraction(tp + tn, n)):
                continue
            if "ppv" in printed and (
                tp + fp == 0 or not printed["ppv"].allows(Fraction(tp, tp + fp))
            ):
                continue
            if "npv" in printed and (
                tn + fn == 0 or not printed["npv"].allows(Fraction(tn, tn + fn))
            ):
                continue
            out.append((tp, fn, tn, fp))
    return out


def _printed_metrics(pub, row: dict) -> dict[str, Printed]:
    d = pub.decimals("performance", "decimals")
    return {m: Printed(float(row[m]), d) for m in METRIC_KEYS if m in row}


def _bounds(pub, cid: str) -> tuple[int, int]:
    """Largest cases/controls a cohort may have: its parent's, else a generous default."""
    c = pub.cohorts[cid]
    parent = pub.cohorts.get(c.parent) if c.parent else None
    for src in (parent, pub.whole if c.parent else None):
        if src is not None and src.cases is not None and src.controls is not None:
            return src.cases, src.controls
    if c.cases is not None and c.controls is not None:
        return c.cases, c.controls
    return _SEARCH_MAX, _SEARCH_MAX


def feasible_sizes(pub, cid: str, rows: dict[str, dict]) -> list[tuple[int, int]]:
    """Every (cases, controls) for which each model's printed metrics have a matrix."""
    max_p, max_n = _bounds(pub, cid)
    printed = {m: _printed_metrics(pub, r) for m, r in rows.items()}
    ps = [
        p
        for p in range(1, max_p + 1)
        if all(
            pm.get("sensitivity") is None or _candidates(pm["sensitivity"], p)
            for pm in printed.values()
        )
    ]
    ns = [
        n
        for n in range(1, max_n + 1)
        if all(
            pm.get("specificity") is None or _candidates(pm["specificity"], n)
            for pm in printed.values()
        )
    ]
    if len(ps) * len(ns) > 400_000:  # nothing constrains the size: not worth enumerating
        return []
    return [
        (p, n) for p, n in product(ps, ns) if all(matrices(p, n, pm) for pm in printed.values())
    ]


def _r_metrics(p: int, n: int, m: tuple[int, int, int, int], d: int) -> str:
    tp, fn, tn, fp = m
    return (
        f"P <- {r_num(p)}; N <- {r_num(n)}; TP <- {r_num(tp)}; TN <- {r_num(tn)}\n"
        "FN <- P - TP; FP <- N - TN\n"
        f"round(c(accuracy = (TP + TN) / (P + N), sensitivity = TP / P, specificity = TN / N,\n"
        f"        ppv = TP / (TP + FP), npv = TN / (TN + FN)), {r_num(d)})\n"
        "binom.test(TP, P)$conf.int  # Clopper-Pearson CI of the sensitivity\n"
        "binom.test(TN, N)$conf.int  # and of the specificity"
    )


def check(pub) -> list[Finding]:
    from cetrus.stats.roc import clopper_pearson

    rows_by_cohort: dict[str, dict[str, dict]] = {}
    for cid, model, row in pub.performance_rows():
        if any(m in row for m in METRIC_KEYS):
            rows_by_cohort.setdefault(cid, {})[model] = row
    if not rows_by_cohort:
        return []
    d = pub.decimals("performance", "decimals")
    out: list[Finding] = []
    sizes: dict[str, list[tuple[int, int]]] = {}
    how = (
        "for every cases P and controls N up to the parent cohort's, every TP in 0..P and TN in "
        "0..N: the five metrics as exact fractions against the printed rounding intervals"
    )
    for cid, rows in rows_by_cohort.items():
        c = pub.cohorts[cid]
        feas = feasible_sizes(pub, cid, rows)
        sizes[cid] = feas
        cells = tuple(f"performance.{cid}.{m}" for m in rows)
        declared = (c.cases, c.controls) if c.cases is not None and c.n is not None else None
        shown = ", ".join(f"{p} cases + {n} controls" for p, n in feas[:6]) + (
            " …" if len(feas) > 6 else ""
        )
        values = {
            "sizes": [list(s) for s in feas[:200]],
            "n_sizes": len(feas),
            "declared": list(declared) if declared else None,
        }
        r = (
            _r_metrics(
                *feas[0], matrices(*feas[0], _printed_metrics(pub, next(iter(rows.values()))))[0], d
            )
            if feas
            else ""
        )
        if not feas:
            verdict, sev = "inconsistent", "high"
            detail = (
                "No cohort size gives every model of this cohort a confusion matrix that "
                "reproduces its printed metrics."
            )
        elif declared is not None and declared not in feas:
            verdict, sev = "inconsistent", "high"
            detail = (
                f"The file's {declared[0]} cases + {declared[1]} controls do not reproduce "
                f"the printed metrics; sizes that do: {shown}."
            )
        elif len(feas) == 1:
            verdict, sev = "consistent", "info"
            detail = f"Exactly one size reproduces every printed metric of the cohort: {shown}."
            if declared is None:
                detail += " (The file does not give it.)"
            elif c.derived:
                detail += " It is the size the file records as derived."
        else:
            verdict, sev = "consistent", "info"
            detail = f"{len(feas)} sizes reproduce every printed metric: {shown}."
        out.append(
            Finding(
                "cohort_size",
                f"{c.label or cid}: the cohort size behind the threshold metrics",
                verdict,
                sev,
                "cases and controls of the cohort from the printed metrics",
                how,
                detail,
                cells,
                r,
                values,
            )
        )
    # siblings of one parent: do their sizes add up to it?
    parents: dict[str, list[str]] = {}
    for cid in sizes:
        parent = pub.cohorts[cid].parent
        if parent:
            parents.setdefault(parent, []).append(cid)
    for parent, kids in parents.items():
        pc = pub.cohorts[parent]
        siblings = [k for k, c in pub.cohorts.items() if c.parent == parent]
        if len(kids) != len(siblings) or len(kids) < 2 or pc.cases is None or pc.n is None:
            continue
        combos = [
            combo
            for combo in product(*(sizes[k] for k in kids))
            if sum(s[0] for s in combo) == pc.cases and sum(s[1] for s in combo) == pc.controls
        ]
        text = "; ".join(
            ", ".join(f"{k}: {s[0]} + {s[1]}" for k, s in zip(kids, combo)) for combo in combos[:5]
        )
        r = (
            ""
            if not combos
            else (
                "sizes <- rbind("
                + ", ".join(f"c({r_num(s[0])}, {r_num(s[1])})" for s in combos[0])
                + f")\ncolSums(sizes)  # the whole cohort: {r_num(pc.cases)} cases, "
                f"{r_num(pc.controls)} controls"
            )
        )
        if not combos:
            out.append(
                Finding(
                    "cohort_size",
                    f"Cohorts of {pc.label or parent} do not add up",
                    "inconsistent",
                    "high",
                    "sizes of the sub-cohorts that sum to the whole cohort",
                    "every combination of the sub-cohorts' feasible sizes against the whole "
                    "cohort's cases and controls",
                    "No combination of feasible sizes adds up to the whole cohort "
                    f"({pc.cases} cases, {pc.controls} controls).",
                    tuple(f"cohorts.{k}" for k in kids),
                    "",
                    {"parent": parent},
                )
            )
        else:
            unprinted = [k for k in kids if pub.cohorts[k].derived or pub.cohorts[k].n is None]
            out.append(
                Finding(
                    "cohort_size",
                    f"Sizes of {', '.join(kids)} that reconcile the tables with the whole cohort",
                    "consistent",
                    "low" if unprinted else "info",
                    "sizes of the sub-cohorts that sum to the whole cohort",
                    "every combination of the sub-cohorts' feasible sizes against the whole "
                    "cohort's cases and controls",
                    (
                        f"Exactly one combination: {text}."
                        if len(combos) == 1
                        else f"{len(combos)} combinations, e.g. {text}."
                    )
                    + (
                        f" The paper does not print the size of {', '.join(unprinted)}: this is "
                        "where it comes from."
                        if unprinted
                        else ""
                    ),
                    tuple(f"cohorts.{k}" for k in kids),
                    r,
                    {"combinations": [[list(s) for s in combo] for combo in combos[:50]]},
                )
            )
            if len(combos) == 1:
                for k, s in zip(kids, combos[0]):
                    sizes[k] = [s]
    # matrices of each model at the cohort's size (declared, else the unique one found)
    for cid, rows in rows_by_cohort.items():
        c = pub.cohorts[cid]
        if c.cases is not None and c.n is not None:
            size = (c.cases, c.controls)
        elif len(sizes[cid]) == 1:
            size = sizes[cid][0]
        else:
            continue
        unique: dict[str, tuple] = {}
        for model, row in rows.items():
            pm = _printed_metrics(pub, row)
            sols = matrices(size[0], size[1], pm)
            cells = tuple(f"performance.{cid}.{model}.{m}" for m in pm)
            if not sols:
                out.append(
                    Finding(
                        "confusion_matrix",
                        f"{model}, {c.label or cid}: no confusion matrix gives the printed metrics",
                        "inconsistent",
                        "high",
                        "TP, FN, TN, FP from accuracy, sensitivity, specificity, PPV, NPV",
                        f"every TP in 0..{size[0]} and TN in 0..{size[1]}, exact fractions "
                        "against the printed rounding intervals",
                        f"With {size[0]} cases and {size[1]} controls no matrix reproduces "
                        + ", ".join(f"{m} {p.text}" for m, p in pm.items())
                        + ".",
                        cells,
                        "",
                        {"cases": size[0], "controls": size[1]},
                    )
                )
                continue
            first = sols[0]
            sens_ci = clopper_pearson(first[0], size[0])
            spec_ci = clopper_pearson(first[2], size[1])
            if len(sols) == 1:
                unique[model] = first
            listing = "; ".join(f"TP {s[0]}, FN {s[1]}, TN {s[2]}, FP {s[3]}" for s in sols[:6])
            out.append(
                Finding(
                    "confusion_matrix",
                    f"{model}, {c.label or cid}: "
                    + (
                        "one confusion matrix"
                        if len(sols) == 1
                        else f"{len(sols)} confusion matrices"
                    ),
                    "consistent",
                    "info",
                    "TP, FN, TN, FP from accuracy, sensitivity, specificity, PPV, NPV",
                    f"every TP in 0..{size[0]} and TN in 0..{size[1]}, exact fractions "
                    "against the printed rounding intervals",
                    f"{listing}. Clopper-Pearson 95% CI of the sensitivity "
                    f"{sens_ci[0]:.3f}-{sens_ci[1]:.3f}, specificity {spec_ci[0]:.3f}-{spec_ci[1]:.3f}"
                    + (" (first matrix)." if len(sols) > 1 else "."),
                    cells,
                    _r_metrics(size[0], size[1], first, d),
                    {
                        "cases": size[0],
                        "controls": size[1],
                        "matrices": [list(s) for s in sols[:100]],
                        "sensitivity_ci": list(sens_ci),
                        "specificity_ci": list(spec_ci),
                    },
                )
            )
        shared: dict[tuple, list[str]] = {}
        for model, m in unique.items():
            shared.setdefault(m, []).append(model)
        for m, models in shared.items():
            if len(models) < 2:
                continue
            aucs = [rows[x]["auc"][0] for x in models if "auc" in rows[x]]
            differ = len(set(aucs)) > 1
            out.append(
                Finding(
                    "shared_matrix",
                    f"{' and '.join(models)} share one confusion matrix in the {c.label or cid}",
                    "cannot tell",
                    "low",
                    "the unique confusion matrix of each model",
                    "models whose printed metrics allow exactly one, identical, matrix",
                    f"TP {m[0]}, FN {m[1]}, TN {m[2]}, FP {m[3]} for all of them"
                    + (
                        f", although their AUCs differ ({', '.join(str(a) for a in aucs)}): the "
                        "same patients fall on each side of the threshold, or one row was copied."
                        if differ
                        else "."
                    ),
                    tuple(f"performance.{cid}.{x}" for x in models),
                    _r_metrics(size[0], size[1], m, d),
                    {"matrix": list(m), "models": models},
                )
            )
    return out
