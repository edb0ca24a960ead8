"""The manuscript's study-dependent passages, written as Markdown include files.

A sentence whose shape depends on the study — how many modalities and raters, which
variables have how many levels, who was excluded, whether a clinical variable was
retained (and so whether an integrated model exists), whether the spread was run —
is composed here from the results and written to ``include/NAME.md``; the template
includes it with ``{{< include ../results/include/NAME.md >}}`` (Quarto and
``cetrus render`` alike). A passage of a step that did not run says why, or is empty.

Every string that comes from the config or the data (labels, levels, modality names)
passes through :func:`cetrus.report.tables.md_text`, so it is printed, never parsed.
"""

from __future__ import annotations

from pathlib import Path

from cetrus.report.tables import (
    _and,
    figure_float,
    fmt,
    fmt_p,
    md_text,
    model_names,
    table_float,
    tests_legend,
)
from cetrus.study.steps import final_model

__all__ = ["write_passages", "PASSAGES"]

PASSAGES = (
    "banner",
    "population",
    "variables",
    "features",
    "agreement_methods",
    "models_methods",
    "statistics_methods",
    "agreement_results",
    "models_results",
    "comparisons_results",
    "nomogram_results",
    "calibration_results",
    "spread_results",
    "discussion",
    "appendix",
    "choice_limitation",
    "baseline_tables",
    "cohort_results",
    "calibration_models_results",
    "validation_results",
    "decision_results",
    "sample_size_results",
    "coefficients_results",
)


def _steps(results: dict) -> dict:
    return results.get("steps", {})


def _skipped(results: dict, name: str) -> str | None:
    st = _steps(results).get(name)
    return st["reason"] if st and st["status"] == "skipped" else None


def banner(results: dict, config, env: _Env) -> str:
    if not config.synthetic:
        return ""
    seed = results["meta"].get("replica_seed")
    origin = (
        f"the SYNTHETIC replica cohort (`cetrus replica --seed {seed}`), built from the "
        "published marginals of the paper"
        if config.replica is not None
        else "SYNTHETIC data generated for this study (`study.synthetic = true`)"
    )
    return (
        "::: {.callout-warning}\n"
        "**SYNTHETIC DATA — not patient data.** Every number, table and figure in this "
        f"document was computed on {origin}. It demonstrates and audits the pipeline; it "
        "is not evidence about patients.\n:::\n"
    )


def population(results: dict, config, env: _Env) -> str:
    c = results["cohort"]
    miss = results.get("missing", {})
    parts = []
    if miss.get("excluded"):
        counts = _and(
            [f"{md_text(_label(config, col))} ({k})" for col, k in miss["missing"].items()]
        )
        parts.append(
            f"Of {miss['n_input']} patients, {miss['excluded']} were excluded because "
            f"of missing values (complete-case analysis; missing values per variable: "
            f"{counts}), leaving {c['n']} patients for analysis."
        )
    else:
        parts.append(f"The study included {c['n']} patients; no value was missing.")
    oc = config.outcome
    parts.append(
        f"{c['cases']} patients belonged to the {md_text(oc.case_label.lower())} and "
        f"{c['controls']} to the {md_text(oc.control_label.lower())}."
    )
    seeds = len(c["split_seeds"])
    train_pct = f"{100 * (1 - c['test_fraction']):g}"
    test_pct = f"{100 * c['test_fraction']:g}"
    how = "stratified by outcome" if c["stratified"] else "without stratification"
    if seeds > 1:
        parts.append(
            f"The patients were split at random {seeds} times ({how}) into training "
            f"and test cohorts at a {train_pct}:{test_pct} ratio; the split with seed "
            f"{c['split_seed']} is reported and the others give the spread of test "
            "performance."
        )
    else:
        parts.append(
            f"The patients were split at random ({how}, seed {c['split_seed']}) into "
            f"training and test cohorts at a {train_pct}:{test_pct} ratio."
        )
    parts.append(
        f"The training cohort had {c['training']['n']} patients ({c['training']['cases']} "
        f"cases, {c['training']['controls']} controls) and the test cohort "
        f"{c['test']['n']} ({c['test']['cases']} cases, {c['test']['controls']} "
        "controls)."
    )
    return " ".join(parts) + "\n"


def _label(config, column: str) -> str:
    for v in config.variables:
        if v.column == column:
            return v.label
    if column == config.outcome.column:
        return config.outcome.label
    return column


def variables(results: dict, config, env: _Env) -> str:
    items = []
    for v in config.variables:
        if v.categorical:
            levels = ", ".join(md_text(lv) for lv in v.levels)
            items.append(
                f"- {md_text(v.label)}: categorical, {len(v.levels)} levels ({levels}; "
                f"reference {md_text(v.reference)})"
            )
        else:
            unit = f", {md_text(v.unit)}" if v.unit else ""
            items.append(f"- {md_text(v.label)}: continuous{unit}")
    return (
        f"The outcome was {md_text(config.outcome.label.lower())}. "
        f"{len(config.variables)} clinical variables were analysed:\n\n" + "\n".join(items) + "\n"
    )


def features(results: dict, config, env: _Env) -> str:
    meta = results["meta"]
    n_feat = sorted({r["n_features"] for r in results["selection"].values()})
    lines = []
    for m in config.modalities:
        raters = meta["raters"].get(m.name, [])
        src = meta["feature_sources"].get(m.name, "")
        lines.append(
            f"- {md_text(m.name)} ({md_text(m.label)}): {len(raters)} rater"
            f"{'s' if len(raters) != 1 else ''} ({', '.join(md_text(r) for r in raters)}); "
            f"models use rater {md_text(meta['model_rater'][m.name])}'s features; "
            f"source: {md_text(src)}"
        )
    ex = meta.get("extraction")
    text = (
        f"{len(config.modalities)} imaging modalit{'ies' if len(config.modalities) != 1 else 'y'}"
        " entered the analysis:\n\n" + "\n".join(lines) + "\n\n"
    )
    if ex:
        weights = {
            "imagenet": "ImageNet-pretrained weights (torchvision)",
            "none": "seeded RANDOM weights (not pretrained: these features demonstrate "
            "the pipeline and carry no transferred knowledge)",
        }.get(ex["weights"], "weights from a local state-dict file")
        text += (
            f"Deep features ({'/'.join(map(str, n_feat))} per modality) were extracted from "
            f"the penultimate layer of DenseNet201 ({weights}) for the bounding box of each "
            f"region of interest (margin {ex['margin']} pixels) resized to "
            f"{ex['image_size']}×{ex['image_size']} pixels.\n"
        )
    else:
        text += (
            f"Each modality's feature tables held {'/'.join(map(str, n_feat))} deep features "
            "per patient.\n"
        )
    if "example_rois" in results.get("figures", {}):
        rois = results["example_rois"]
        text += (
            "\n@fig-rois shows the regions of interest of one "
            f"{md_text(config.outcome.case_label.lower())} and one "
            f"{md_text(config.outcome.control_label.lower())} patient, "
            f"{md_text(rois['modality'])}, as each rater delineated them.\n\n"
            + figure_float(
                "fig-rois",
                env.figure("example_rois"),
                f"Example regions of interest ({md_text(rois['modality'])}) "
                "with each rater's contour.",
            )
        )
    return text


def agreement_methods(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "icc")
    if reason:
        return f"Rater agreement was not assessed: {md_text(reason)}.\n"
    icc = results["icc"]
    mods = _and([md_text(m) for m in icc])
    return (
        f"Agreement between raters was measured per feature by the intraclass correlation "
        f"coefficient ({md_text(config.selection.icc_form)}; `psych::ICC`) for {mods}.\n"
    )


def _choice(results: dict) -> dict:
    """How the integrated model's modality was chosen (the ``integrated_choice`` step)."""
    return results.get("integrated_choice", {})


def _choice_how(results: dict, config) -> str:
    """The rule that chose the integrated model's modality, as a noun phrase."""
    ch = _choice(results)
    rule = ch.get("rule")
    if rule == "best_test":
        return "the modality whose model had the highest test AUC"
    if rule == "best_cv":
        cv = ch["cv"]
        model = (
            "the retained clinical variables plus its radiomics score, as the integrated "
            "model is built"
            if cv["predictors"]
            else "its radiomics score alone, no clinical variable being retained"
        )
        text = (
            f"the modality whose model ({model}) had the highest mean AUC over "
            f"{cv['folds']} stratified cross-validation folds of the training cohort "
            f"(fold seed {cv['seed']}; "
        )
        if cv["selection"] == "refit":
            text += (
                "the Mann–Whitney, Spearman and LASSO feature selection was repeated within "
                "each fold's training part, the clinical variables being those retained on "
                "the whole training cohort)"
            )
        else:
            text += (
                "the radiomics score was the one selected on the whole training cohort, so "
                "the cross-validated AUC is conditional on that feature selection)"
            )
        return text
    return (
        f"the {md_text(ch.get('modality', config.models.integrated))} modality, fixed in the "
        "study configuration"
    )


def _choice_limitation(results: dict, config) -> str:
    """The limitation sentence of a modality chosen by its test AUC (empty otherwise)."""
    if _choice(results).get("rule") != "best_test":
        return ""
    model = "integrated model" if "Integrated" in results.get("models", {}) else "final model"
    return (
        f"The modality of the {model} was chosen by its test AUC, which uses the test "
        "cohort for model selection: the test performance of that model is optimistic. "
    )


def choice_limitation(results: dict, config, env: _Env) -> str:
    """:func:`_choice_limitation` alone, for a manuscript with its own discussion."""
    text = _choice_limitation(results, config).strip()
    return text + "\n" if text else ""


def models_methods(results: dict, config, env: _Env) -> str:
    mods = _and([md_text(m.name) for m in config.modalities])
    how = _choice_how(results, config)
    text = (
        f"Logistic regression models were fitted on the training cohort: one per modality "
        f"({mods}), each on its radiomics score"
    )
    if "Clinical" in results["models"]:
        text += (
            ", a clinical model on the retained clinical variables, and an integrated model "
            f"on the retained variables plus the radiomics score of {how}."
        )
    else:
        text += (
            f". No clinical variable was retained, so there is no clinical and no "
            f"integrated model; the final model is that of {how}."
        )
    return text + (
        "\nThe final model is described by a nomogram and by its calibration in the test cohort.\n"
    )


def statistics_methods(results: dict, config, env: _Env) -> str:
    conf = f"{100 * config.selection.conf_level:g}"
    tests = results["table1"].get("tests", [])
    continuous = [t for t in tests if t in ("student", "welch", "mwu")]
    categorical = [t for t in tests if t in ("chisq", "fisher")]
    text = (
        "Continuous variables were compared between the outcome groups by Student's t "
        "test when both groups were normal (Shapiro–Wilk P > 0.05) with equal variances "
        "(Levene, median-centred, P > 0.05), and by the Mann–Whitney U test otherwise"
    )
    if not continuous:
        text = "No continuous variable was compared"
    text += "; categorical variables by the chi-square test"
    text += (
        (" with" if config.table1.chisq_correct else " without")
        + " continuity correction on 2×2 tables, or Fisher's exact test when an expected count was below 5"
    )
    if not categorical:
        text += " (no categorical variable)"
    base = "the whole cohort" if config.table1.percent_base == "cohort" else "each group"
    text += f". Percentages are of {base}. "
    if results["table2"].get("whole_variable_p"):
        text += (
            "For variables with three or more levels, Table 2 also gives the "
            "likelihood-ratio P of the variable as a whole. "
        )
    text += (
        f"AUCs are given with DeLong's {conf}% CI and compared by the paired DeLong test; "
        "accuracy, sensitivity, specificity, PPV and NPV are computed at the Youden "
        "threshold of the training cohort, applied unchanged to the test cohort, with "
        f"exact Clopper–Pearson {conf}% CIs (as R's `binom.test`). Calibration is "
        "described by `rms::val.prob`'s statistics for every model in both cohorts. "
        "Optimism was estimated by the bootstrap on the training cohort "
        "(`rms::validate`; for the radiomics models with the whole feature selection "
        "repeated in every resample); clinical usefulness by decision curves "
        "(`dcurves::dca`) in the test cohort. "
        f"Two-sided P < {1 - config.selection.conf_level:g} was significant. Every statistic "
        "was computed with cetrus (Python) and checked against its R twin (pROC, rms, "
        "stats, psych, glmnet; see the validation report).\n"
    )
    return text


def agreement_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "icc")
    if reason:
        return f"Rater agreement was not assessed: {md_text(reason)}.\n"
    icc = results["icc"]
    parts = [
        f"{md_text(m)}: mean {fmt(r['mean'], 2)} ({100 * r['fraction_above_0.9']:.1f}% of "
        f"features above 0.9)"
        for m, r in icc.items()
    ]
    one = [m.name for m in config.modalities if m.name not in icc]
    text = (
        f"The per-feature ICCs ({md_text(config.selection.icc_form)}) between raters were: "
        + "; ".join(parts)
        + " (@tbl-icc)."
    )
    if one:
        text += f" {_and([md_text(m) for m in one])} had one rater only."
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-icc", env.table("icc"), "Rater agreement of the deep features per modality"
        )
    )


def models_results(results: dict, config, env: _Env) -> str:
    d = config.output.decimals
    perf = results["performance"]
    names = model_names(results, config)
    lines = []
    for name in results["models"]:
        tr, te = perf["training"][name], perf["test"][name]
        lines.append(
            f"- {md_text(names[name])}: AUC {fmt(tr['auc'], d)} "
            f"({fmt(tr['auc_ci_low'], d)}–{fmt(tr['auc_ci_high'], d)}) in training and "
            f"{fmt(te['auc'], d)} ({fmt(te['auc_ci_low'], d)}–{fmt(te['auc_ci_high'], d)}) "
            "in test"
        )
    separated = [
        n
        for n, m in results["models"].items()
        if m.get("separation") or not m.get("converged", True)
    ]
    if separated:
        lines.append("")
        many = len(separated) > 1
        lines.append(
            f"The logistic fit{'s' if many else ''} of the "
            f"{_and([md_text(names[n]) for n in separated])} did not converge in the "
            "training cohort ((quasi-)complete separation): "
            f"{'their' if many else 'its'} coefficients are not finite estimates and "
            f"{'their AUCs are' if many else 'its AUC is'} optimistic."
        )
    chosen = results["integrated_modality"]
    rule = _choice(results).get("rule", "")  # "" (no choice step) takes the defaults below
    if "Integrated" in results["models"]:
        how = {
            "best_test": "had the highest test AUC and was combined",
            "best_cv": "had the highest cross-validated AUC in the training cohort and was "
            "combined",
        }.get(rule, "was combined, as fixed in the study configuration,")
        tail = (
            f"The {md_text(chosen)} model {how} with the retained clinical variables "
            f"({md_text(_and(_retained_labels(results, config)))}) into the integrated model."
        )
    else:
        tail = (
            "No clinical variable was retained: there is no clinical and no integrated "
            f"model, and the {md_text(chosen)} model is the final model"
        )
        tail += {
            "best_test": " (highest test AUC).",
            "best_cv": " (highest cross-validated AUC in the training cohort).",
        }.get(rule, ".")
    return (
        "Discrimination of each model (AUC with DeLong CI):\n\n"
        + "\n".join(lines)
        + "\n\n"
        + tail
        + "\n"
        + _choice_cv_results(results, config, env)
    )


def _choice_cv_results(results: dict, config, env: _Env) -> str:
    """The cross-validated AUCs that chose the modality (rule ``best_cv``), with their table."""
    ch = _choice(results)
    if ch.get("rule") != "best_cv":
        return ""
    d = config.output.decimals
    cv = ch["cv"]
    parts = [f"{md_text(m)} {fmt(r['mean'], d)}" for m, r in cv["auc"].items()]
    failed = sum(r["failed_folds"] for r in cv["auc"].values())
    text = (
        f"\nMean AUC over the {cv['folds']} cross-validation folds of the training cohort: "
        + "; ".join(parts)
        + " (@tbl-model-choice)."
        + (
            f" {failed} fold fit{'s' if failed != 1 else ''} did not converge and "
            f"{'were' if failed != 1 else 'was'} left out of the mean."
            if failed
            else ""
        )
    )
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-model-choice",
            env.table("integrated_choice"),
            "Cross-validated AUC in the training cohort of each modality's model as the integrated "
            "model is built: the rule that chose the integrated model's modality",
        )
    )


def _retained_labels(results: dict, config) -> list[str]:
    return [_label(config, c) for c in results["table2"].get("retained", [])]


def comparisons_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "comparisons")
    if reason:
        return f"No comparison of AUCs: {md_text(reason)}.\n"
    names = model_names(results, config)
    pairs = results["comparisons"]["test"]
    sig = [
        p
        for p in pairs
        if p["pvalue"] is not None and p["pvalue"] < 1 - config.selection.conf_level
    ]
    text = (
        f"In the test cohort, {len(pairs)} pair{'s' if len(pairs) != 1 else ''} of models "
        "were compared by the paired DeLong test (@tbl-delong); "
    )
    if sig:
        text += (
            "the AUCs differed significantly for "
            + _and(
                [
                    f"{md_text(names[p['model_a']])} vs {md_text(names[p['model_b']])} "
                    f"(P {'< 0.001' if p['pvalue'] < 0.001 else '= ' + fmt_p(p['pvalue'])})"
                    for p in sig
                ]
            )
            + "."
        )
    else:
        text += "no pair differed significantly."
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-delong", env.table("delong"), "Paired DeLong tests between the models, test cohort"
        )
    )


def nomogram_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "nomogram")
    name = model_names(results, config)[final_model(results)].lower()
    if reason:
        return f"No nomogram of the {md_text(name)} is drawn: {md_text(reason)}.\n"
    return (
        f"The nomogram (@fig-nomogram) turns the predictors of the {md_text(name)} into "
        f"points and a predicted probability of {md_text(config.outcome.label.lower())}.\n\n"
        + figure_float("fig-nomogram", env.figure("nomogram"), f"Nomogram of the {md_text(name)}.")
    )


def calibration_results(results: dict, config, env: _Env) -> str:
    d = config.output.decimals
    name = model_names(results, config)[final_model(results)]
    reason = _skipped(results, "calibration")
    if reason:
        return (
            f"The calibration of the {md_text(name.lower())} was not assessed: {md_text(reason)}.\n"
        )
    cal = results["calibration"]
    return (
        f"In the test cohort the {md_text(name.lower())} had a calibration slope of "
        f"{fmt(cal.get('slope'), d)}, intercept {fmt(cal.get('intercept'), d)} and Brier "
        f"score {fmt(cal.get('brier'), d)} (@tbl-calibration, @fig-calibration).\n\n"
        + table_float(
            "tbl-calibration",
            env.table("calibration"),
            f"Calibration of the {md_text(name.lower())} in the test cohort "
            "(`rms::val.prob` statistics)",
        )
        + "\n"
        + figure_float(
            "fig-calibration",
            env.figure("calibration_test"),
            f"Calibration of the {md_text(name.lower())} in the test cohort.",
        )
    )


def spread_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "spread")
    if reason:
        return f"The spread over several random splits was not computed: {md_text(reason)}.\n"
    d = config.output.decimals
    sp = results["spread"]
    names = model_names(results, config)
    parts = [
        f"{md_text(names[n])} {fmt(r['min'], d)}–{fmt(r['max'], d)} (median {fmt(r['median'], d)})"
        for n, r in sp["summary"].items()
    ]
    return (
        f"Refitting selection and models on each of the {len(sp['seeds'])} splits, the test "
        "AUCs ranged: " + "; ".join(parts) + " (@tbl-spread, @fig-spread). One reported "
        "split is one draw from this spread.\n\n"
        + table_float("tbl-spread", env.table("spread"), "Test AUC over all split seeds")
        + "\n"
        + figure_float(
            "fig-spread",
            env.figure("spread_test_auc"),
            "Test AUC of each model on every split seed; the reported split is circled.",
        )
    )


def discussion(results: dict, config, env: _Env) -> str:
    c = results["cohort"]
    n_feat = sorted({r["n_features"] for r in results["selection"].values()})
    text = (
        f"The gap between training and test AUCs of each radiomics model shows how much "
        f"a model selected from {'/'.join(map(str, n_feat))} features on "
        f"{c['training']['cases']} training cases can be flattered by the cohort it was "
        "selected on"
    )
    if "spread" in results:
        text += "; the spread of test AUCs across random splits shows what one split can hide"
    text += ". "
    text += _choice_limitation(results, config)
    if results.get("missing", {}).get("excluded"):
        text += (
            "Patients with missing values were excluded (complete-case analysis), which "
            "assumes the values are missing completely at random. "
        )
    if config.synthetic:
        text += "The data are SYNTHETIC: nothing here is evidence about patients."
    return text + "\n"


def appendix(results: dict, config, env: _Env) -> str:
    if "comparison" not in results:
        return ""
    return (
        "# Appendix: published and regenerated values {.appendix .unnumbered}\n\n"
        "Each published value (from the study's `[published] file`, with its source) beside "
        "the value regenerated here. The published tables themselves, checked against each "
        "other before any data (`cetrus audit`), are in the [audit report](audit/audit.html)."
        "\n\n"
        + table_float(
            "tbl-appendix",
            env.table("comparison"),
            "Published and regenerated values, side by side",
        )
    )


def _legend_caption(title: str, tests: list[str], config) -> str:
    import pandas as pd

    abbrev = {
        "student": "t",
        "welch": "Welch t",
        "mwu": "MWU",
        "mann_whitney": "MWU",
        "chisq": "χ²",
        "fisher": "Fisher",
    }
    legend = tests_legend(
        pd.DataFrame({"Test": [abbrev.get(t, t) for t in tests]}), config.table1.chisq_correct
    )
    base = "the whole cohort" if config.table1.percent_base == "cohort" else "each column"
    return (
        f"{title}. Continuous variables as mean ± SD where the t test is used, else median "
        f"(P25, P75); categorical as n (%) of {base}. {legend}"
    )  # cetrus's own words


def cohort_results(results: dict, config, env: _Env) -> str:
    c = results["cohort"]
    t1c = results["table1_cohort"]
    alpha = 1 - config.selection.conf_level
    sig = [k for k, r in t1c["stats"].items() if r["pvalue"] is not None and r["pvalue"] < alpha]
    text = (
        f"The training ({c['training']['n']} patients) and test ({c['test']['n']}) cohorts "
        "are compared in @tbl-cohorts"
    )
    text += (
        f"; they differed (P < {alpha:g}) in {_and([md_text(x) for x in sig])}."
        if sig
        else f"; no variable differed between them (all P ≥ {alpha:g})."
    )
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-cohorts",
            env.table("table1_cohort"),
            _legend_caption(
                "Characteristics of the training and test cohorts", t1c["tests"], config
            ),
        )
    )


def baseline_tables(results: dict, config, env: _Env) -> str:
    oc = config.outcome
    return (
        table_float(
            "tbl-baseline",
            env.table("table1"),
            _legend_caption(
                f"Baseline characteristics by outcome ({md_text(oc.case_label)} vs "
                f"{md_text(oc.control_label)})",
                results["table1"].get("tests", []),
                config,
            ),
        )
        + "\n"
        + cohort_results(results, config, env)
    )


def calibration_models_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "calibration_models")
    if reason:
        return f"The calibration of the models was not assessed: {md_text(reason)}.\n"
    d = config.output.decimals
    names = model_names(results, config)
    cal = results["calibration_models"]
    parts, missing = [], []
    for name, per in cal.items():
        r = per.get("test", {})
        if "skipped" in r:
            missing.append(f"{md_text(names[name])} ({md_text(r['skipped'])})")
            continue
        parts.append(
            f"{md_text(names[name])} slope {fmt(r.get('slope'), d)}, intercept "
            f"{fmt(r.get('intercept'), d)}, Brier {fmt(r.get('brier'), d)}"
        )
    text = (
        (
            "In the test cohort the calibration of the models (`rms::val.prob`; "
            "@tbl-calibration-models, @fig-calibration-models-test) was: " + "; ".join(parts) + "."
        )
        if parts
        else "No model has calibration statistics in the test cohort."
    )
    if missing:
        text += " Not assessed: " + "; ".join(missing) + "."
    text += (
        " In the training cohort, where each model was fitted, the logistic calibration "
        "is ideal by construction (intercept 0, slope 1); its curves are in "
        "@fig-calibration-models-training."
    )
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-calibration-models",
            env.table("calibration_models"),
            "Calibration of every model in the training and test cohorts "
            "(`rms::val.prob` statistics)",
        )
        + "\n"
        + figure_float(
            "fig-calibration-models-test",
            env.figure("calibration_models_test"),
            "Calibration of every model in the test cohort (panels in the "
            "order of @tbl-calibration-models).",
        )
        + "\n"
        + figure_float(
            "fig-calibration-models-training",
            env.figure("calibration_models_training"),
            "Calibration of every model in the training cohort.",
        )
    )


def validation_results(results: dict, config, env: _Env) -> str:
    d = config.output.decimals
    names = model_names(results, config)
    parts = []
    rv = _skipped(results, "validation")
    if rv:
        parts.append(
            f"The bootstrap validation of the clinical and integrated models was not "
            f"run: {md_text(rv)}."
        )
    else:
        val = results["validation"]
        lines = [
            f"{md_text(names[n])} C {fmt(e['c_orig'], d)} apparent, "
            f"{fmt(e['c_corrected'], d)} corrected (calibration slope "
            f"{fmt(e['table']['Slope']['index_corrected'], d)})"
            for n, e in val["models"].items()
        ]
        text = (
            f"Bootstrap validation on the training cohort (`rms::validate`, B = "
            f"{val['B']}, seed {val['seed']}), with each model's columns fixed: "
            + "; ".join(lines)
            + "."
        )
        if val.get("skipped"):
            text += (
                " Not validated: "
                + "; ".join(
                    f"{md_text(names.get(n, n))} ({md_text(r)})" for n, r in val["skipped"].items()
                )
                + "."
            )
        if "Integrated" in val["models"]:
            text += (
                " The integrated model's radiomics score is taken as given there, so its "
                "selection's optimism is not included."
            )
        parts.append(text)
    rs = _skipped(results, "validation_selection")
    if rs:
        parts.append(
            f"The bootstrap with the whole radiomics selection repeated was not run: {md_text(rs)}."
        )
    else:
        vs = results["validation_selection"]
        lines = [
            f"{md_text(names[n])} C {fmt(e['c_orig'], d)} apparent, optimism "
            f"{fmt(e['c_optimism'], d)}, {fmt(e['c_corrected'], d)} corrected "
            f"({e['n_used']} of {e['B']} resamples used)"
            for n, e in vs["models"].items()
        ]
        empty = {m: k for m, k in vs["no_feature_resamples"].items() if k}
        text = (
            f"Repeating the whole radiomics selection (Mann–Whitney U, Spearman, LASSO, "
            f"score, logistic fit) in each of {vs['B']} bootstrap resamples of the training "
            f"cohort (seed {vs['seed']}): " + "; ".join(lines) + "."
        )
        if empty:
            text += (
                " Resamples in which no feature passed the selection (no model to fit, "
                "skipped as `rms` skips a failed refit): "
                + _and([f"{md_text(m)} {k}" for m, k in empty.items()])
                + "."
            )
        if "Integrated" in vs["models"]:
            text += (
                " For the integrated model the modality and the clinical variables are "
                "those of the reported fit; the score is re-selected in every resample."
            )
        text += (
            f" With only {vs['B']} resamples this estimate is itself noisy "
            "(`validation.selection_bootstrap` sets B)."
            if vs["B"] < 100
            else ""
        )
        parts.append(text)
    text = " ".join(parts)
    if "validation" not in results and "validation_selection" not in results:
        return text + "\n"
    return (
        text + " Optimism is the mean, over the resamples, of each index in the resample "
        "minus the same model's index in the training cohort; the corrected index is the "
        "apparent one minus the optimism (@tbl-validation).\n\n"
        + table_float(
            "tbl-validation",
            env.table("validation"),
            "Optimism-corrected performance on the training cohort (bootstrap; C = AUC)",
        )
    )


def decision_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "decision")
    if reason:
        return f"No decision curve analysis: {md_text(reason)}.\n"
    dc = results["decision"]
    names = model_names(results, config)
    grid = dc["thresholds"]
    parts = []
    for name, u in dc["useful"].items():
        if u["n_thresholds"]:
            parts.append(
                f"{md_text(names[name])} at {u['n_thresholds']} of {len(grid)} "
                f"thresholds between {u['low']:g} and {u['high']:g}"
            )
        else:
            parts.append(f"{md_text(names[name])} at none")
    return (
        f"Decision curves in the test cohort ({dc['n']} patients, prevalence "
        f"{dc['prevalence']:.3f}; thresholds {grid[0]:g} to {grid[-1]:g}; @fig-decision) "
        "give the net benefit of treating the patients whose predicted risk reaches the "
        "threshold. A model's net benefit exceeded both treating everyone and treating "
        "no one: " + "; ".join(parts) + ". With few test cases these curves are "
        "imprecise; the values are in `tables/decision_curve.csv` (@tbl-decision).\n\n"
        + figure_float(
            "fig-decision",
            env.figure("decision_test"),
            "Decision curves of the models in the test cohort, with treat-all and treat-none.",
        )
        + "\n"
        + table_float(
            "tbl-decision", env.table("decision"), "Net benefit at selected thresholds, test cohort"
        )
    )


def sample_size_results(results: dict, config, env: _Env) -> str:
    reason = _skipped(results, "sample_size")
    if reason:
        return f"No sample-size calculation: {md_text(reason)}.\n"
    ss = results["sample_size"]
    counts = ss["parameter_counts"]
    clinical = sum(v for k, v in counts.items() if not k.startswith("score_"))
    scores = sum(v for k, v in counts.items() if k.startswith("score_"))
    ant = ss["anticipated"]
    perf = (
        f"an anticipated C statistic of {ant['c_statistic']:g} (Cox–Snell R² "
        f"{ss['cox_snell_r2']:.3f})"
        if "c_statistic" in ant
        else f"an anticipated Cox–Snell R² of {ant['cox_snell_r2']:g}"
    )
    meets = "meets" if ss["meets_training"] else "does not meet"
    text = (
        f"Following Riley et al. (`pmsampsize`), developing a model with {ss['parameters']} "
        f"candidate parameters ({clinical} for the clinical variables as encoded — one per "
        f"continuous variable, one per non-reference level of a categorical variable — and "
        f"{scores} for the radiomics scores, one per modality), an outcome proportion of "
        f"{ss['prevalence']:.3f} (the analysed cohort's) and {perf} requires at least "
        f"{ss['required_n']} patients ({ss['required_events']:.0f} events; criterion "
        f"{ss['criterion']} decides, @tbl-sample-size). The training cohort of "
        f"{ss['n_training']} patients ({ss['events_training']} events) {meets} it"
    )
    if not ss["meets_training"]:
        text += (
            f"; the whole cohort of {ss['n_cohort']} "
            f"{'would' if ss['meets_cohort'] else 'would not either'}"
        )
    text += (
        ". The anticipated performance is the study configuration's "
        "(`[sample_size]`), not estimated from these data."
    )
    return (
        text
        + "\n\n"
        + table_float(
            "tbl-sample-size",
            env.table("sample_size"),
            "Minimum sample size per criterion (Riley et al.)",
        )
    )


def coefficients_results(results: dict, config, env: _Env) -> str:
    n_feat = {m: len(r.get("coefficients", {})) for m, r in results["selection"].items()}
    return (
        f"@tbl-coefficients gives each model's intercept and coefficients (β and odds "
        f"ratio with Wald {100 * config.selection.conf_level:g}% CIs). A radiomics score "
        "is the LASSO linear predictor: its intercept plus the weighted sum of its "
        "features ("
        + _and([f"{md_text(m)} {k}" for m, k in n_feat.items()])
        + " features); every weight, at full precision, is in "
        "`tables/score_weights.csv` of the results folder.\n\n"
        + table_float(
            "tbl-coefficients",
            env.table("coefficients"),
            "Coefficients of the fitted logistic models (training cohort)",
        )
    )


class _Env:
    """Where a passage finds its tables (embedded: an include inside an include resolves
    differently in Quarto and pandoc) and how it names figures (relative to the
    manuscript, as Quarto resolves an included file's images)."""

    def __init__(self, results_dir: Path, manuscript_dir: Path, final_dir: Path) -> None:
        self.results_dir = results_dir
        self.manuscript_dir = manuscript_dir
        self.final_dir = final_dir

    def table(self, name: str) -> str:
        return (self.results_dir / "tables" / f"{name}.md").read_text(encoding="utf-8")

    def figure(self, stem: str) -> str:
        import os

        target = self.final_dir / "figures" / f"{stem}.png"
        return Path(os.path.relpath(target, self.manuscript_dir)).as_posix()


def write_passages(results: dict, config, folder: Path, *, final_dir: Path | None = None) -> None:
    """Write every passage of :data:`PASSAGES` into ``folder`` (``include/`` of the results
    being built); ``final_dir`` is where the results folder will live (figure paths)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    env = _Env(folder.parent, config.manuscript.parent, Path(final_dir or folder.parent))
    for name in PASSAGES:
        (folder / f"{name}.md").write_text(globals()[name](results, config, env), encoding="utf-8")
    from cetrus.report.tables import parity_markdown

    (folder / "parity.md").write_text(parity_markdown(None), encoding="utf-8")
