"""Simulated papers: a random cohort analysed for real, printed at given decimals.

``simulate(seed)`` draws a cohort (seeded), computes Table 1 (counts, percentages, P values
by the variant it picks, medians/quartiles and means/SDs of integer variables), crude
odds ratios with Wald CIs, and three models' AUC (DeLong CI) and threshold metrics in a
stratified training/test split, then prints every number at its decimals (half up) into a
published-numbers document. Such a document is internally consistent by construction;
tests mutate single cells to make deliberate errors.
"""

from __future__ import annotations

import copy
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
from scipy import stats as sps

from cetrus.stats.groups import chi_square, fisher_exact
from cetrus.stats.roc import auc_ci

Z = float(sps.norm.ppf(0.975))


def pr(x: float, d: int) -> float:
    """``x`` printed with ``d`` decimals (half up on its exact binary value)."""
    return float(Decimal(float(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def pr_p(p: float, d: int) -> dict:
    floor = 10.0**-d
    if p < floor:
        return {"pvalue": floor, "pvalue_bound": "<"}
    return {"pvalue": pr(p, d)}


def simulate(
    seed: int,
    *,
    n: int | None = None,
    prevalence: float | None = None,
    declare_split: bool | None = None,
) -> dict:
    rng = np.random.default_rng(seed)
    n = int(n or rng.integers(200, 900))
    prevalence = float(prevalence or rng.uniform(0.12, 0.4))
    y = (rng.random(n) < prevalence).astype(int)
    y[:2] = [0, 1]
    cases = int(y.sum())
    doc: dict = {
        "schema": 1,
        "meta": {"title": f"Simulated paper {seed}", "outcome": "event"},
        "cohorts": {"all": {"n": n, "cases": cases, "label": "All patients"}},
    }
    pct_dec = int(rng.choice([1, 2]))
    denominator = str(rng.choice(["column", "table"]))
    t1: dict = {
        "cohort": "all",
        "groups": ["event", "no_event"],
        "case_group": "event",
        "percent_decimals": pct_dec,
        "summary_decimals": 2,
        "p_decimals": 3,
        "categorical": {},
        "continuous": {},
    }
    t2: dict = {"cohort": "all", "or_decimals": 2, "p_decimals": 3, "univariate": {}}
    variant = str(rng.choice(["chisq_yates", "chisq_uncorrected", "fisher"]))
    doc["truth"] = {"variant": variant, "denominator": denominator}
    for name, levels in (
        ("Sex", ["Male", "Female"]),
        ("Smoker", ["Yes", "No"]),
        ("Stage", ["I", "II", "III"]),
    ):
        k = len(levels)
        base = rng.dirichlet(np.ones(k) * 3)
        shift = rng.dirichlet(np.ones(k) * 3)
        x = np.where(
            y == 1,
            [rng.choice(k, p=0.6 * base + 0.4 * shift) for _ in range(n)],
            rng.choice(k, size=n, p=base),
        )
        ev = [int(((x == i) & (y == 1)).sum()) for i in range(k)]
        ne = [int(((x == i) & (y == 0)).sum()) for i in range(k)]
        if min(ev + ne) == 0:
            ev = [
                c + 1 for c in ev
            ]  # keep every cell populated (then y no longer matches; fine for counts)
        row: dict = {"levels": levels, "event": ev, "no_event": ne}
        tot = sum(ev) + sum(ne)
        for g, counts in (("event", ev), ("no_event", ne)):
            den = sum(counts) if denominator == "column" else tot
            row[f"percent_{g}"] = [pr(100 * c / den, pct_dec) for c in counts]
        table = np.array([ev, ne], dtype=float).T
        p = {
            "chisq_yates": chi_square(table, correct=True).pvalue,
            "chisq_uncorrected": chi_square(table, correct=False).pvalue,
            "fisher": fisher_exact(table).pvalue,
        }[variant if k == 2 or variant != "chisq_yates" else "chisq_uncorrected"]
        row.update(pr_p(p, 3))
        t1["categorical"][name] = row
        if k == 2:
            a, b, c, d = ev[0], ev[1], ne[0], ne[1]
            lor = math.log(a * d / (b * c))
            se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
            ors = [
                pr(math.exp(lor), 2),
                pr(math.exp(lor - Z * se), 2),
                pr(math.exp(lor + Z * se), 2),
            ]
            entry = {"or": ors, "exposed": levels[0], **pr_p(2 * sps.norm.sf(abs(lor) / se), 3)}
            if ors[1] - 0.005 > 1 or ors[2] + 0.005 < 1:
                entry["significant"] = True
            elif ors[1] + 0.005 < 1 < ors[2] - 0.005:
                entry["significant"] = False
            t2["univariate"][name] = entry
    cases_n = int(y.sum())
    # integer-valued continuous variables
    age = np.round(rng.normal(60 + 3 * y, 10)).astype(int)
    row = {"granularity": 1, "pvalue": 0.5}
    for g, mask in (("event", y == 1), ("no_event", y == 0)):
        q1, med, q3 = np.percentile(age[mask], [25, 50, 75])
        row[g] = [pr(med, 2), pr(q1, 2), pr(q3, 2)]
    row.update(pr_p(sps.mannwhitneyu(age[y == 1], age[y == 0]).pvalue, 3))
    t1["continuous"]["Age"] = row
    score = rng.integers(0, 21, size=n) + rng.integers(0, 3, size=n) * y
    row = {"summary": "mean_sd", "granularity": 1}
    for g, mask in (("event", y == 1), ("no_event", y == 0)):
        row[g] = [pr(score[mask].mean(), 2), pr(score[mask].std(ddof=1), 2)]
    row.update(pr_p(sps.ttest_ind(score[y == 1], score[y == 0], equal_var=False).pvalue, 3))
    t1["continuous"]["Score"] = row
    doc["table1"] = t1
    doc["table2"] = t2
    # stratified split and three models
    test = np.zeros(n, dtype=bool)
    for cls in (0, 1):
        idx = np.flatnonzero(y == cls)
        test[rng.choice(idx, size=max(2, int(round(0.25 * idx.size))), replace=False)] = True
    declare = bool(rng.random() < 0.5) if declare_split is None else declare_split
    for cid, mask in (("training", ~test), ("test", test)):
        c = {"parent": "all", "label": f"{cid.capitalize()} cohort"}
        if declare:
            c.update(n=int(mask.sum()), cases=int(y[mask].sum()))
        doc["cohorts"][cid] = c
    perf: dict = {"decimals": 3, "auc_ci": "DeLong"}
    labels: dict = {}
    for j, model in enumerate(("ModelA", "ModelB", "ModelC")):
        labels[model] = [f"model {'ABC'[j]}"]
        s = rng.normal(size=n) + rng.uniform(0.3, 1.5) * y
        thr = float(np.quantile(s[~test], rng.uniform(0.4, 0.75)))
        for cid, mask in (("training", ~test), ("test", test)):
            yy, ss = y[mask], s[mask]
            a = auc_ci(yy, ss)
            pred = ss >= thr
            tp = int((pred & (yy == 1)).sum())
            fp = int((pred & (yy == 0)).sum())
            tn = int((~pred & (yy == 0)).sum())
            fn = int((~pred & (yy == 1)).sum())
            if tp + fp == 0 or tn + fn == 0:
                continue
            perf.setdefault(cid, {})[model] = {
                "auc": [pr(a.estimate, 3), pr(a.ci_low, 3), pr(a.ci_high, 3)],
                "accuracy": pr((tp + tn) / mask.sum(), 3),
                "sensitivity": pr(tp / (tp + fn), 3),
                "specificity": pr(tn / (tn + fp), 3),
                "ppv": pr(tp / (tp + fp), 3),
                "npv": pr(tn / (tn + fn), 3),
            }
    doc["performance"] = perf
    labels.update(
        {
            "training": ["training cohort"],
            "test": ["test cohort"],
            "Sex": ["sex"],
            "Smoker": ["smoking"],
            "Age": ["age"],
            "Score": ["score"],
        }
    )
    doc["labels"] = labels
    doc["truth"]["cases"] = cases_n
    return doc


def statements(doc: dict) -> list[str]:
    """Sentences quoting the tables correctly."""
    out = []
    perf = doc["performance"]
    for model in ("ModelA", "ModelB", "ModelC"):
        if model in perf.get("training", {}) and model in perf.get("test", {}):
            a, b = perf["training"][model]["auc"][0], perf["test"][model]["auc"][0]
            out.append(
                f"Model {model[-1]} reached an AUC of {a:.3f} in the training cohort and {b:.3f} "
                "in the test cohort."
            )
    for name, row in doc["table1"]["categorical"].items():
        if row.get("pvalue_bound") == "<" or row["pvalue"] < 0.04:
            out.append(
                f"The groups differed in {name.lower() if name != 'Smoker' else 'smoking'} (P < 0.05)."
            )
        elif row["pvalue"] > 0.06:
            out.append(
                f"The groups did not differ in {name.lower() if name != 'Smoker' else 'smoking'} (P > 0.05)."
            )
    return out


# --------------------------------------------------------------------------- writing TOML


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() and k.isascii() else json.dumps(k)


def _val(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(doc: dict) -> str:
    lines: list[str] = []

    def table(path: list[str], d: dict) -> None:
        scalars = {k: v for k, v in d.items() if not isinstance(v, dict)}
        subs = {k: v for k, v in d.items() if isinstance(v, dict)}
        if path and (scalars or not subs):
            lines.append("[" + ".".join(_key(p) for p in path) + "]")
        for k, v in scalars.items():
            lines.append(f"{_key(k)} = {_val(v)}")
        if scalars or path:
            lines.append("")
        for k, v in subs.items():
            table(path + [k], v)

    table([], {k: v for k, v in doc.items() if k != "truth"})
    return "\n".join(lines) + "\n"


def write(
    doc: dict, folder: Path, name: str = "published.toml", sentences: list[str] | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = copy.deepcopy(doc)
    if sentences is not None:
        (folder / "statements.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
        doc["statements"] = {"file": "statements.txt"}
    path = folder / name
    path.write_text(dumps(doc), encoding="utf-8")
    return path
