"""Tables of the manuscript: the paper's shapes, written as CSV and markdown.

Rounding happens here, only when presenting; ``results.json`` keeps full precision.
Also builds the appendix table (published vs regenerated, side by side), the values
the manuscript's text quotes (``values.yml``) and the markdown include files.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from cetrus.errors import InputError

__all__ = [
    "markdown",
    "write_table",
    "performance_table",
    "icc_table",
    "selection_table",
    "delong_table",
    "calibration_table",
    "spread_table",
    "comparison_table",
    "text_values",
    "integrated_choice_table",
    "choice_values",
    "table1_frame",
    "table2_frame",
    "model_names",
    "md_text",
    "fmt",
    "fmt_p",
    "parity_markdown",
    "table1_cohort_frame",
    "coefficients_table",
    "score_weights_frame",
    "calibration_models_table",
    "validation_table",
    "decision_frame",
    "decision_table",
    "sample_size_table",
    "tests_legend",
    "term_label",
]

METRIC_NAMES = {
    "accuracy": "Accuracy",
    "sensitivity": "Sensitivity",
    "specificity": "Specificity",
    "ppv": "PPV",
    "npv": "NPV",
}


def fmt(x: Any, decimals: int = 3) -> str:
    """A number rounded for presentation (``NA`` for missing/non-finite)."""
    if x is None:
        return "NA"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "NA"
    return f"{v:.{decimals}f}"


def fmt_p(p: Any, decimals: int = 3) -> str:
    """P value as the paper prints it: ``<0.001`` below 10^-decimals."""
    if p is None or not math.isfinite(float(p)):
        return "NA"
    bound = 10.0**-decimals
    return f"<{bound:.{decimals}f}" if float(p) < bound else f"{float(p):.{decimals}f}"


_MD_SPECIAL = set("\\`*_{}[]<>()#+!|@$~^&\"'=:;")


def md_text(text: Any) -> str:
    """Any text as inert Markdown: every punctuation mark that Markdown, Quarto shortcodes
    or raw HTML could act on is backslash-escaped (pandoc prints it literally)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


def _longest_token(cell: str) -> int:
    """Characters of the longest stretch a line cannot break inside: text breaks at spaces
    and after a hyphen or dash, never inside a number or a word (Markdown escapes
    uncounted)."""
    plain = re.sub(r"\\(.)", r"\1", cell)
    return max((len(w) for w in re.split(r"\s+|(?<=[-–])", plain)), default=0)


def markdown(frame: pd.DataFrame) -> str:
    """Pipe table read by Quarto and pandoc alike; every cell is text (escaped by
    :func:`md_text`), so a label cannot become markup.

    Column widths: pandoc (and Quarto) size the columns of a wide pipe table by the
    dashes under each header. Each column gets dashes for its longest token — the
    longest word or number, which a line cannot break — plus room for the cell's
    padding, so in the DOCX a column is never narrower than what it must hold whole:
    no number breaks ("0.4 22"), no word splits ("TDU S"); cells wrap between tokens.
    """
    header = [md_text(c) for c in frame.columns]
    cells = [[md_text(c) for c in row] for row in frame.astype(str).to_numpy().tolist()]
    widths = [
        max([_longest_token(h)] + [_longest_token(r[j]) for r in cells]) + 3
        for j, h in enumerate(header)
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("-" * w for w in widths) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines) + "\n"


def table_float(ident: str, table_md: str, caption: str) -> str:
    """A cross-referenced table in Quarto's div form: ``::: {#tbl-ID}``, the table, the
    caption as the div's last paragraph, ``:::``. Quarto numbers this form also when the
    table arrives through a shortcode at render time (the caption form ``: Caption
    {#tbl-ID}`` is parsed earlier, before shortcodes run); ``cetrus render`` reads both.
    ``caption`` is Markdown the caller has escaped."""
    return f"::: {{#{ident}}}\n\n{table_md.rstrip()}\n\n{caption}\n\n:::\n"


def figure_float(ident: str, path: str, caption: str) -> str:
    """A cross-referenced figure in Quarto's div form (see :func:`table_float`)."""
    return f"::: {{#{ident}}}\n\n![]({path})\n\n{caption}\n\n:::\n"


def write_table(frame: pd.DataFrame, folder: Path, stem: str) -> list[str]:
    """Write ``stem.csv`` and ``stem.md``; return the file names."""
    frame.to_csv(folder / f"{stem}.csv", index=False)
    (folder / f"{stem}.md").write_text(markdown(frame), encoding="utf-8")
    return [f"{stem}.csv", f"{stem}.md"]


def model_names(results: dict, config) -> dict[str, str]:
    """Display name of each model: "Clinical model", "<MODALITY> model", "Integrated model"."""
    out = {"Clinical": "Clinical model", "Integrated": "Integrated model"}
    out.update({m.name: f"{m.name} model" for m in config.modalities})
    return out


def table1_frame(t1, results: dict, config) -> pd.DataFrame:
    """Table 1 with the group sizes in the headers and each row's test named."""
    frame = t1.to_frame()
    oc = config.outcome
    n = results["table1"]["group_n"]
    frame = frame.rename(
        columns={
            oc.case_label: f"{oc.case_label} (n = {n['cases']})",
            oc.control_label: f"{oc.control_label} (n = {n['controls']})",
        }
    )
    names = {
        "student": "t",
        "welch": "Welch t",
        "mwu": "MWU",
        "mann_whitney": "MWU",
        "chisq": "χ²",
        "fisher": "Fisher",
    }
    frame["Test"] = [names.get(t, t) if t else "" for t in frame["Test"]]
    units = {v.label: v.unit for v in config.variables if v.unit}
    frame["Variable"] = [f"{x} ({units[x]})" if x in units else x for x in frame["Variable"]]
    return frame


def table2_frame(t2, results: dict, config) -> pd.DataFrame:
    """Table 2 with the variables' labels; a variable of three or more levels gets a
    header row with its likelihood-ratio P as a whole, its levels below it."""
    frame = t2.to_frame() if hasattr(t2, "to_frame") else t2.copy()
    whole = results["table2"].get("whole_variable_p", {})
    rows = []
    done = set()
    for row in frame.itertuples(index=False):
        text = str(row[0])
        column, sep, level = text.partition(": ")
        v = next((v for v in config.variables if v.column == column), None)
        label = v.label if v else column
        if v is not None and column in whole and column not in done:
            done.add(column)
            w = whole[column]
            rows.append(
                [
                    f"{label} (vs {v.reference})",
                    "",
                    fmt_p(w["univariate"], 3),
                    "",
                    "" if w["multivariable"] is None else fmt_p(w["multivariable"], 3),
                ]
            )
        if sep and v is not None and len(v.levels) == 2:
            cells = [f"{label}: {level} (vs {v.reference})"]
        elif sep:
            cells = [f"  {level}"]
        else:
            cells = [label]
        rows.append(cells + [str(x) for x in row[1:]])
    return pd.DataFrame(rows, columns=list(frame.columns))


def _with_ci(r: dict, key: str, decimals: int) -> str:
    low, high = r.get(f"{key}_ci_low"), r.get(f"{key}_ci_high")
    if low is None and high is None:
        return fmt(r[key], decimals)
    return f"{fmt(r[key], decimals)} ({fmt(low, decimals)} - {fmt(high, decimals)})"


def performance_table(
    perf: dict,
    models: list[str],
    decimals: int = 3,
    names: dict[str, str] | None = None,
    conf: str = "95",
) -> pd.DataFrame:
    """Tables 3/4: cohort, model, AUC (DeLong CI), accuracy, sensitivity, specificity, PPV,
    NPV (each with its exact Clopper–Pearson CI) and the threshold they were computed at
    (the training cohort's Youden threshold, applied unchanged to the test cohort)."""
    names = names or {}
    rows = []
    for cohort, label in (("training", "Training cohort"), ("test", "Test cohort")):
        for k, m in enumerate(models):
            r = perf[cohort][m]
            rows.append(
                {
                    "Cohort": label if k == 0 else "",
                    "Model": names.get(m, m),
                    f"AUC ({conf}%CI)": _with_ci(r, "auc", decimals),
                    **{
                        f"{METRIC_NAMES[k2]} ({conf}%CI)": _with_ci(r, k2, decimals)
                        for k2 in METRIC_NAMES
                    },
                    "Threshold": fmt(r["threshold"], decimals),
                }
            )
    return pd.DataFrame(rows)


#: the tests Table 1 names per row, spelled out (the tables' footnote)
TEST_NAMES = {
    "t": "Student's t test",
    "Welch t": "Welch's t test",
    "MWU": "Mann–Whitney U test",
    "χ²": "Pearson's chi-square test",
    "Fisher": "Fisher's exact test",
}


def tests_legend(frame: pd.DataFrame, correct: bool) -> str:
    """The footnote of a Table 1: each abbreviation of its Test column, spelled out."""
    used = [t for t in TEST_NAMES if t in set(frame["Test"])]
    parts = []
    for t in used:
        name = TEST_NAMES[t]
        if t == "χ²":
            name += (
                " (with Yates' correction on 2×2 tables)"
                if correct
                else " (without continuity correction)"
            )
        parts.append(f"{t}, {name}")
    return "Test: " + "; ".join(parts) + "." if parts else ""


def table1_cohort_frame(t1, results: dict, config) -> pd.DataFrame:
    """Table 1 by cohort (training vs test) with the group sizes in the headers, units and
    each row's test."""
    frame = t1.to_frame()
    n = results["table1_cohort"]["group_n"]
    frame = frame.rename(
        columns={
            "Training cohort": f"Training cohort (n = {n['training']})",
            "Test cohort": f"Test cohort (n = {n['test']})",
        }
    )
    names = {
        "student": "t",
        "welch": "Welch t",
        "mwu": "MWU",
        "mann_whitney": "MWU",
        "chisq": "χ²",
        "fisher": "Fisher",
    }
    frame["Test"] = [names.get(t, t) if t else "" for t in frame["Test"]]
    units = {v.label: v.unit for v in config.variables if v.unit}
    frame["Variable"] = [f"{x} ({units[x]})" if x in units else x for x in frame["Variable"]]
    return frame


def term_label(term: str, config) -> str:
    """A model term in the study's words: ``score_CEUS`` → ``CEUS score``, R's dummy name
    ``drinkingYes`` → ``Drinking: Yes (vs No)``."""
    if term == "(Intercept)":
        return "Intercept"
    if term.startswith("score_"):
        return f"{term[len('score_') :]} score"
    for v in config.variables:
        if term == v.column:
            return v.label
        if v.categorical and term.startswith(v.column) and term[len(v.column) :] in v.levels:
            return f"{v.label}: {term[len(v.column) :]} (vs {v.reference})"
    return term


def coefficients_table(
    models: dict, config, decimals: int = 3, names: dict[str, str] | None = None, conf: str = "95"
) -> pd.DataFrame:
    """Every fitted model: intercept and coefficients, β and OR with their Wald CIs
    (``confint.default``), P."""
    names = names or {}
    rows = []
    for name, m in models.items():
        for k, t in enumerate(m["terms"]):
            lo, hi = t.get("ci_low"), t.get("ci_high")
            blo = math.log(lo) if lo not in (None, 0) and math.isfinite(lo) and lo > 0 else None
            bhi = math.log(hi) if hi not in (None, 0) and math.isfinite(hi) and hi > 0 else None
            rows.append(
                {
                    "Model": names.get(name, name) if k == 0 else "",
                    "Term": term_label(t["term"], config),
                    f"β ({conf}%CI)": f"{fmt(t['coef'], decimals)} ({fmt(blo, decimals)} - "
                    f"{fmt(bhi, decimals)})",
                    f"OR ({conf}%CI)": (
                        ""
                        if t["term"] == "(Intercept)"
                        else f"{fmt(t['odds_ratio'], decimals)} ({fmt(lo, decimals)}"
                        f" - {fmt(hi, decimals)})"
                    ),
                    "P": fmt_p(t["pvalue"], decimals),
                }
            )
    return pd.DataFrame(rows)


def score_weights_frame(selection: dict) -> pd.DataFrame:
    """Each modality's radiomics score: its LASSO intercept and feature weights at full
    precision (the score = intercept + Σ weight × feature)."""
    rows = []
    for m, r in selection.items():
        rows.append(
            {"Modality": m, "Feature": "(Intercept)", "Weight": repr(float(r["intercept"]))}
        )
        for f, w in r.get("coefficients", {}).items():
            rows.append({"Modality": m, "Feature": f, "Weight": repr(float(w))})
    return pd.DataFrame(rows, columns=["Modality", "Feature", "Weight"])


_CAL_SHOWN = [
    ("c", "C"),
    ("brier", "Brier"),
    ("intercept", "Intercept"),
    ("slope", "Slope"),
    ("emax", "Emax"),
    ("eavg", "Eavg"),
    ("spiegelhalter_pvalue", "Spiegelhalter P"),
]


def calibration_models_table(
    cal: dict, decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """``rms::val.prob`` of every model in both cohorts (one row per model and cohort)."""
    names = names or {}
    rows = []
    for cohort, label in (("training", "Training cohort"), ("test", "Test cohort")):
        for k, (name, per) in enumerate(cal.items()):
            r = per.get(cohort, {})
            row = {"Cohort": label if k == 0 else "", "Model": names.get(name, name)}
            for key, head in _CAL_SHOWN:
                if "skipped" in r:
                    row[head] = "NA"
                else:
                    row[head] = (
                        fmt_p(r.get(key), decimals)
                        if key == "spiegelhalter_pvalue"
                        else fmt(r.get(key), decimals)
                    )
            rows.append(row)
    return pd.DataFrame(rows)


def validation_table(
    results: dict, decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Optimism-corrected performance: apparent, optimism and corrected C (= AUC), the
    corrected calibration slope, Nagelkerke R² and Brier score, per model and procedure."""
    names = names or {}
    rows = []
    for step, label in (
        ("validation", "rms::validate, columns fixed"),
        ("validation_selection", "whole selection repeated"),
    ):
        for name, e in (results.get(step) or {}).get("models", {}).items():
            t = e["table"]
            rows.append(
                {
                    "Model": names.get(name, name),
                    "Procedure": label,
                    "B (used)": f"{e['B']} ({e['n_used']})",
                    "C apparent": fmt(e["c_orig"], decimals),
                    "C optimism": fmt(e["c_optimism"], decimals),
                    "C corrected": fmt(e["c_corrected"], decimals),
                    "Slope corrected": fmt(t["Slope"]["index_corrected"], decimals),
                    "R² apparent": fmt(t["R2"]["index_orig"], decimals),
                    "R² corrected": fmt(t["R2"]["index_corrected"], decimals),
                    "Brier apparent": fmt(t["B"]["index_orig"], decimals),
                    "Brier corrected": fmt(t["B"]["index_corrected"], decimals),
                }
            )
    return pd.DataFrame(rows)


def decision_frame(decision: dict, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Net benefit of every model, treat-all and treat-none at each threshold (full
    precision: the CSV behind the decision-curve figure)."""
    names = names or {}
    nb = decision["net_benefit"]
    frame = pd.DataFrame({"Threshold": decision["thresholds"]})
    for name, values in nb.items():
        label = {"all": "Treat all", "none": "Treat none"}.get(name, names.get(name, name))
        frame[label] = values
    return frame


def decision_table(
    decision: dict, decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """Net benefit at the grid's thresholds nearest 0.05, 0.1, 0.2, …, 0.9 (the figure's
    values, a few of them)."""
    full = decision_frame(decision, names)
    grid = full["Threshold"].to_numpy()
    picks = []
    for t in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        i = int(abs(grid - t).argmin())
        if abs(grid[i] - t) < 1e-9 and i not in picks:
            picks.append(i)
    shown = full.iloc[picks] if picks else full
    out = shown.copy()
    for c in out.columns:
        out[c] = [fmt(x, 2 if c == "Threshold" else decimals) for x in out[c]]
    return out.reset_index(drop=True)


def sample_size_table(ss: dict) -> pd.DataFrame:
    names = [
        "1: small overfitting (shrinkage ≥ {:g})".format(ss["shrinkage"]),
        "2: small optimism in apparent R²",
        "3: precise overall risk (margin {:g})".format(ss["mmoe"]),
    ]
    return pd.DataFrame(
        {"Criterion (Riley et al.)": names, "Required n": [str(n) for n in ss["criteria_n"]]}
    )


def icc_table(icc: dict, decimals: int = 3) -> pd.DataFrame:
    rows = [
        {
            "Modality": m,
            "Form": v["form"],
            "Features": v["n_features"],
            "Mean ICC": fmt(v["mean"], decimals),
            "Median ICC": fmt(v["median"], decimals),
            "Min": fmt(v["min"], decimals),
            "ICC > 0.9": f"{100 * v['fraction_above_0.9']:.1f}%",
        }
        for m, v in icc.items()
    ]
    return pd.DataFrame(rows)


def selection_table(selection: dict, icc: dict, decimals: int = 3) -> pd.DataFrame:
    rows = []
    for m, v in selection.items():
        rows.append(
            {
                "Modality": m,
                "Extracted": v["n_features"],
                "Mann-Whitney P < threshold": v["after_mwu"],
                "After Spearman filter": v["after_spearman"],
                "LASSO non-zero": v["selected"],
                "lambda": f"{float(v['lambda']):.4g}",
                "Mean ICC": fmt(icc.get(m, {}).get("mean"), 2),
            }
        )
    return pd.DataFrame(rows)


def delong_table(
    pairs: list[dict], decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    names = names or {}
    return pd.DataFrame(
        [
            {
                "Model A": names.get(p["model_a"], p["model_a"]),
                "Model B": names.get(p["model_b"], p["model_b"]),
                "AUC A": fmt(p["auc_a"], decimals),
                "AUC B": fmt(p["auc_b"], decimals),
                "Difference (95% CI)": f"{fmt(p['difference'], decimals)} "
                f"({fmt(p['ci_low'], decimals)}, "
                f"{fmt(p['ci_high'], decimals)})",
                "Z": fmt(p["statistic"], 2),
                "P": fmt_p(p["pvalue"]),
            }
            for p in pairs
        ]
    )


def calibration_table(cal: dict, decimals: int = 3) -> pd.DataFrame:
    keys = [
        ("c", "C (AUC)"),
        ("dxy", "Somers' Dxy"),
        ("r2", "Nagelkerke R2"),
        ("brier", "Brier score"),
        ("intercept", "Calibration intercept"),
        ("slope", "Calibration slope"),
        ("emax", "Emax"),
        ("eavg", "Eavg"),
        ("spiegelhalter_z", "Spiegelhalter Z"),
        ("spiegelhalter_pvalue", "Spiegelhalter P"),
    ]
    return pd.DataFrame(
        [{"Statistic": label, "Value": fmt(cal.get(k), decimals)} for k, label in keys if k in cal]
    )


def spread_table(
    spread: dict, decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    names = names or {}
    rows = []
    for name, v in spread["summary"].items():
        aucs = spread["test_auc"][name]
        rep = aucs[spread["seeds"].index(spread["reported_seed"])]
        rows.append(
            {
                "Model": names.get(name, name),
                "Reported split": fmt(rep, decimals),
                "Median": fmt(v["median"], decimals),
                "Min - max": f"{fmt(v['min'], decimals)} - {fmt(v['max'], decimals)}",
                "SD": fmt(v["sd"], decimals),
                "Splits": len(aucs),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- appendix


def integrated_choice_table(
    choice: dict, decimals: int = 3, names: dict[str, str] | None = None
) -> pd.DataFrame:
    """The cross-validated AUCs (rule ``best_cv``) that chose the integrated model's modality."""
    names = names or {}
    cv = choice["cv"]
    rows = []
    for m, r in cv["auc"].items():
        finite = len(r["fold_auc"]) - r["failed_folds"]
        rows.append(
            {
                "Modality": m,
                "Model": names.get(m, m),
                "CV AUC, mean (SD)": f"{fmt(r['mean'], decimals)} ({fmt(r['sd'], decimals)})",
                "Folds": f"{finite} of {len(r['fold_auc'])}",
                "Feature selection": (
                    "refitted in each fold"
                    if cv["selection"] == "refit"
                    else "whole training cohort"
                ),
                "Chosen": "yes" if m == choice["modality"] else "",
            }
        )
    return pd.DataFrame(rows)


def choice_values(results: dict) -> dict[str, str]:
    """``res.integrated_rule``: how the integrated model's modality was chosen, in words."""
    ch = results.get("integrated_choice", {})
    rule = ch.get("rule")
    text = {
        "best_test": "the modality with the highest test AUC",
        "best_cv": "the modality with the highest cross-validated AUC in the training cohort",
    }.get(rule, f"the {ch.get('modality', '')} modality, fixed in the study configuration")
    return {"integrated_rule": text}


def comparison_table(published, results: dict, config) -> pd.DataFrame:
    """Published and regenerated values side by side (the manuscript's appendix)."""
    rows: list[dict] = []

    def add(section, quantity, pub_value, regen, decimals=3, source=""):
        d = None
        try:
            d = float(regen) - float(pub_value)
        except (TypeError, ValueError):
            pass
        rows.append(
            {
                "Section": section,
                "Quantity": quantity,
                "Published": pub_value if isinstance(pub_value, str) else fmt(pub_value, decimals),
                "Regenerated": regen if isinstance(regen, str) else fmt(regen, decimals),
                "Difference": fmt(d, decimals) if d is not None else "",
                "Source": source,
            }
        )

    c = results["cohort"]
    add(
        "Cohort",
        "Patients",
        published.n_patients,
        c["n"],
        0,
        published.source("counts", "patients"),
    )
    add("Cohort", "With distant metastasis", published.n_metastasis, c["cases"], 0, "Table 1")
    for k, key in (("training", "train"), ("test", "test")):
        add(
            "Cohort",
            f"{k.capitalize()} cases",
            published.count(f"{key}_cases"),
            c[k]["cases"],
            0,
            "derived from Tables 3-4",
        )
        add(
            "Cohort",
            f"{k.capitalize()} controls",
            published.count(f"{key}_controls"),
            c[k]["controls"],
            0,
            "derived from Tables 3-4",
        )
    # Table 1
    t1 = results.get("table1", {}).get("stats", {})
    for name, row in published.categorical.items():
        if name not in t1:
            continue
        for g, gl in (("metastasis", "metastasis"), ("non_metastasis", "no metastasis")):
            for level, count in zip(row["levels"], row[g]):
                add(
                    "Table 1",
                    f"{name} = {level} ({gl}), n",
                    count,
                    t1[name].get(g, {}).get(level, float("nan")),
                    0,
                    "Table 1",
                )
        add("Table 1", f"{name}, P", row["pvalue"], t1[name]["pvalue"], 3, "Table 1")
    for name, row in published.continuous.items():
        if name not in t1:
            continue
        for g, gl in (("metastasis", "metastasis"), ("non_metastasis", "no metastasis")):
            s = t1[name].get(g, {})
            for pos, q in enumerate(("median", "p25", "p75")):
                add(
                    "Table 1",
                    f"{name} {q.upper() if q != 'median' else 'median'} ({gl})",
                    row[g][pos],
                    s.get(q, float("nan")),
                    2,
                    "Table 1",
                )
        pub_p = ("<" + fmt(row["pvalue"])) if row.get("pvalue_bound") == "<" else row["pvalue"]
        add(
            "Table 1",
            f"{name}, P",
            pub_p,
            fmt_p(t1[name]["pvalue"]) if isinstance(pub_p, str) else t1[name]["pvalue"],
            3,
            "Table 1",
        )
    # Table 2 (retained variables)
    t2 = results.get("table2", {})
    add(
        "Table 2",
        "Retained clinical variables",
        ", ".join(published.retained),
        ", ".join(labels_of(config, t2.get("retained", []))),
        0,
        published.source("table2", "retained"),
    )
    # ICC and selected features
    for m, v in published.mean_icc.items():
        if m in results.get("icc", {}):
            add("Section 3.3", f"Mean ICC {m}", v, results["icc"][m]["mean"], 2, "Section 3.3")
    for m, v in published.selected_features.items():
        if m in results.get("selection", {}):
            add(
                "Section 3.3",
                f"Selected features {m}",
                v,
                results["selection"][m]["selected"],
                0,
                "Section 3.3",
            )
    # Tables 3-4
    integrated = results.get("integrated_modality")
    for cohort in ("training", "test"):
        for model in ("Clinical", "TDUS", "CDUS", "CEUS", "Integrated"):
            regen = results.get("performance", {}).get(cohort, {}).get(model)
            if regen is None:
                continue
            p = published.performance(cohort, model)
            table = f"Table {p['table']}"
            label = model if model != "Integrated" else f"Integrated (clinical + {integrated})"
            add(table, f"{label}, {cohort}: AUC", p["auc"], regen["auc"], 3, table)
            add(
                table,
                f"{label}, {cohort}: AUC 95% CI",
                f"{fmt(p['auc_ci_low'])} - {fmt(p['auc_ci_high'])}",
                f"{fmt(regen['auc_ci_low'])} - {fmt(regen['auc_ci_high'])}",
                3,
                table,
            )
            for k in METRIC_NAMES:
                add(table, f"{label}, {cohort}: {METRIC_NAMES[k]}", p[k], regen[k], 3, table)
    return pd.DataFrame(rows)


def labels_of(config, columns) -> list[str]:
    out = []
    for c in columns:
        try:
            out.append(config.variable(c).label)
        except InputError:  # a dummy-coded name like "drinkingYes": label of its variable
            base = next((v for v in config.variables if str(c).startswith(v.column)), None)
            out.append(base.label if base else str(c))
    return out


# --------------------------------------------------------------------------- manuscript inputs


def _and(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def text_values(results: dict, config) -> dict[str, str]:
    """Every number the manuscript's text quotes, formatted (``{{< meta res.KEY >}}``).

    The keys without a modality's or a model's name exist for every study; keys named
    after a modality or model (``icc_<m>``, ``<model>_test_auc``) exist where it does.
    """
    d = config.output.decimals
    v: dict[str, str] = {}
    c = results["cohort"]
    miss = results.get("missing", {})
    v.update(
        n=str(c["n"]),
        cases=str(c["cases"]),
        controls=str(c["controls"]),
        n_input=str(miss.get("n_input", c["n"])),
        n_excluded=str(miss.get("excluded", 0)),
        n_train=str(c["training"]["n"]),
        n_test=str(c["test"]["n"]),
        train_cases=str(c["training"]["cases"]),
        train_controls=str(c["training"]["controls"]),
        test_cases=str(c["test"]["cases"]),
        test_controls=str(c["test"]["controls"]),
        split_seed=str(c["split_seed"]),
        n_seeds=str(len(c["split_seeds"])),
        test_percent=f"{100 * c['test_fraction']:g}",
        train_percent=f"{100 * (1 - c['test_fraction']):g}",
        stratified="stratified by outcome" if c["stratified"] else "unstratified",
    )
    s = config.selection
    v.update(
        mwu_p=f"{s.mwu_p:g}",
        rho=f"{s.spearman_rho:g}",
        folds=str(s.lasso_folds),
        lambda_rule="λ_min" if s.lasso_lambda == "min" else "λ_1se",
        icc_form=s.icc_form,
        conf=f"{100 * s.conf_level:g}",
        alpha=f"{1 - s.conf_level:g}",
        clinical_cohort="training cohort" if s.clinical_cohort == "training" else "whole cohort",
        n_variables=str(len(config.variables)),
        n_modalities=str(len(config.modalities)),
        modalities=_and([m.name for m in config.modalities]),
        synthetic=(
            "SYNTHETIC replica cohort"
            if config.synthetic and config.replica
            else "SYNTHETIC data"
            if config.synthetic
            else "study cohort"
        ),
        replica_seed=str(results["meta"].get("replica_seed")),
        title=config.title,
        authors=config.authors or "cetrus",
        disease=config.disease or "the studied disease",
        outcome=config.outcome.label.lower(),
        outcome_label=config.outcome.label,
        case_label=config.outcome.case_label,
        control_label=config.outcome.control_label,
    )
    # Table 1: variables with P < 1 - conf_level
    t1 = results.get("table1", {}).get("stats", {})
    alpha = 1 - s.conf_level
    sig = [k for k, r in t1.items() if r["pvalue"] is not None and r["pvalue"] < alpha]
    v["t1_significant"] = _and(sig) if sig else "none of the variables"
    v["t1_not_significant"] = _and([k for k in t1 if k not in sig]) or "none"
    # Table 2
    t2 = results.get("table2", {})
    v["retained"] = _and(labels_of(config, t2.get("retained", []))) or "no variable"
    v["n_retained"] = str(len(t2.get("retained", [])))
    v["table2_n"] = str(t2.get("n", ""))
    # ICC, selection
    for m, r in results.get("icc", {}).items():
        v[f"icc_{m.lower()}"] = fmt(r["mean"], 2)
        v[f"icc_{m.lower()}_above"] = f"{100 * r['fraction_above_0.9']:.1f}"
    for m, r in results.get("selection", {}).items():
        v[f"sel_{m.lower()}"] = str(r["selected"])
        v[f"mwu_{m.lower()}"] = str(r["after_mwu"])
        v[f"spear_{m.lower()}"] = str(r["after_spearman"])
    n_feat = sorted({r["n_features"] for r in results.get("selection", {}).values()})
    v["n_features"] = "/".join(map(str, n_feat))
    # performance
    integ = results.get("integrated_modality", "")
    v["best"] = integ
    from cetrus.study.steps import final_model

    v["final_model"] = model_names(results, config).get(final_model(results), "").lower()
    for cohort, ck in (("training", "train"), ("test", "test")):
        for model, r in results.get("performance", {}).get(cohort, {}).items():
            key = f"{model.lower()}_{ck}"
            v[f"{key}_auc"] = fmt(r["auc"], d)
            v[f"{key}_ci"] = f"{fmt(r['auc_ci_low'], d)}–{fmt(r['auc_ci_high'], d)}"
            for k in METRIC_NAMES:
                v[f"{key}_{k}"] = fmt(r[k], d)
            v[f"{key}_all"] = ", ".join(
                fmt(r[k], d)
                for k in ("auc", "accuracy", "sensitivity", "specificity", "ppv", "npv")
            )
    test = results.get("performance", {}).get("test", {})
    if test:
        mods = [m.name for m in config.modalities if m.name in test]
        order = sorted(mods, key=lambda m: -test[m]["auc"])
        v["rank_test"] = " > ".join(f"{m} ({fmt(test[m]['auc'], d)})" for m in order)
    for cohort, ck in (("training", "train"), ("test", "test")):  # aliases for the chosen modality
        r = results.get("performance", {}).get(cohort, {}).get(integ)
        if r:
            for k in list(v):
                if k.startswith(f"{integ.lower()}_{ck}_"):
                    v["best_" + k[len(integ) + 1 :]] = v[k]

    def eq_p(p):  # "= 0.351" / "< 0.001" for "P {{< meta … >}}" in the text
        t = fmt_p(p)
        return f"< {t[1:]}" if t.startswith("<") else f"= {t}"

    for p in results.get("comparisons", {}).get("test", []):
        v[f"delong_{p['model_a'].lower()}_{p['model_b'].lower()}_p"] = eq_p(p["pvalue"])
        for a, b in ((p["model_a"], p["model_b"]), (p["model_b"], p["model_a"])):
            if a == integ:
                v[f"delong_best_{b.lower()}_p"] = eq_p(p["pvalue"])
            if b == integ:
                v[f"delong_{a.lower()}_best_p"] = eq_p(p["pvalue"])
        v[f"delong_{p['model_a'].lower()}_{p['model_b'].lower()}_diff"] = fmt(p["difference"], d)
    cal = results.get("calibration", {})
    for k in ("slope", "intercept", "brier", "emax", "spiegelhalter_pvalue"):
        if k in cal:
            v[f"cal_{k}"] = fmt(cal[k], d) if k != "spiegelhalter_pvalue" else fmt_p(cal[k])
    sp = results.get("spread")
    if sp:
        for name, r in sp["summary"].items():
            v[f"spread_{name.lower()}"] = f"{fmt(r['min'], d)}–{fmt(r['max'], d)}"
            v[f"spread_{name.lower()}_median"] = fmt(r["median"], d)
    if sp and integ.lower() and f"spread_{integ.lower()}" in v:
        v["spread_best"] = v[f"spread_{integ.lower()}"]
    # values carrying the study's own words (title, labels, level and modality names)
    # are text, never markup: Quarto and pandoc parse metadata strings as Markdown
    for key in _USER_TEXT_VALUES:
        if key in v:
            v[key] = md_text(v[key])
    return v


#: text_values keys whose value holds strings from the config or the data
_USER_TEXT_VALUES = (
    "title",
    "authors",
    "disease",
    "outcome",
    "outcome_label",
    "case_label",
    "control_label",
    "modalities",
    "retained",
    "t1_significant",
    "t1_not_significant",
    "best",
    "rank_test",
    "final_model",
)


def parity_markdown(csv: Path | None = None) -> str:
    """A parity table (``cetrus validate``'s ``parity.csv`` beside a study's results, or
    ``make validate``'s) as markdown: a per-statistic summary (cases, checks,
    max |Python − R|, failures), then every row. Without one, says so plainly."""
    if csv is None or not Path(csv).is_file():
        return (
            "::: {.callout-warning}\n**Not validated yet.** The study's numbers have not "
            "been checked against R: run `cetrus validate --config study.toml` (R with "
            "pROC, psych and glmnet is required), then render again.\n:::\n"
        )
    table = pd.read_csv(csv, float_precision="round_trip")
    table["abs_diff"] = pd.to_numeric(table["abs_diff"], errors="coerce")
    summary = table.groupby("statistic").agg(
        cases=("case", "nunique"),
        checks=("quantity", "size"),
        max_abs_diff=("abs_diff", "max"),
        failed=("pass", lambda s: int((~s.astype(bool)).sum())),
    )
    summary = summary.reset_index()
    summary["max_abs_diff"] = summary["max_abs_diff"].map(lambda x: f"{x:.2e}")
    n_fail = int((~table["pass"].astype(bool)).sum())
    head = (
        f"**{len(table)} checks in {table['case'].nunique()} cases, {n_fail} failed.** "
        f"Source: `{csv.name}`.\n\n"
    )
    summary.columns = ["Statistic", "Cases", "Checks", "Max abs diff", "Failed"]
    full = table[["statistic", "case", "quantity", "python", "r", "abs_diff", "tolerance", "pass"]]
    full = full.assign(abs_diff=full["abs_diff"].map(lambda x: f"{x:.2e}"))
    # thousands of rows: a raw HTML table, which pandoc (and Quarto) pass through as-is;
    # parsed as a markdown pipe table it took pandoc minutes
    rows = full.to_html(index=False, escape=True, border=0, classes="parity-table")
    return (
        head
        + table_float("tbl-parity-summary", markdown(summary), "Parity summary per statistic")
        + "\n"
        + "**Every check: Python against R**\n\n```{=html}\n"
        + rows
        + "\n```\n"
    )
