"""The study's analysis as named steps (Sections 2.6–3.5 of the paper's design).

Each step is a function of the :class:`Context` (the study's config and data, the split,
and the parts earlier steps returned) that returns its own part of the results — a
JSON-ready dict stored under the step's name — or :class:`Skip` with the reason the
step does not apply to this study (one rater: no agreement; no clinical variable
retained: no clinical or integrated model). Objects later steps or the report need
beyond numbers (the LASSO fits, the fitted models) go to ``ctx.artifacts``.
The steps compute; :mod:`cetrus.report` only lays their results out.

=================  ===================================================================
step               what
=================  ===================================================================
``table1``         baseline characteristics by outcome, the whole analysed cohort
``table1_cohort``  the same variables (and the outcome) by training/test cohort
``table2``         univariate → multivariable logistic selection of clinical variables
                   (+ likelihood-ratio P of each multi-level variable as a whole)
``icc``            rater agreement: per-feature ICC between raters, per modality with ≥ 2 raters
``selection``      per modality, training cohort: Mann–Whitney → Spearman → LASSO
``integrated_choice`` the modality joining the clinical model: by cross-validated AUC in
                   the training cohort (default), by test AUC, or fixed (``[models] integrated``)
``models``         logistic models: clinical, one per modality (its radiomics score),
                   integrated (clinical variables + the chosen modality's score)
``performance``    AUC (DeLong CI) and metrics (Clopper–Pearson CIs) at the training
                   Youden threshold
``comparisons``    paired DeLong tests between every pair of models, both cohorts
``calibration``    ``rms::val.prob`` statistics of the final model, test cohort
``calibration_models`` ``rms::val.prob`` of every model, training and test cohorts
``validation``     ``rms::validate`` optimism bootstrap of the clinical and integrated
                   models (their columns as fitted; the radiomics score taken as given)
``validation_selection`` optimism bootstrap with the WHOLE radiomics selection repeated
                   in every resample: every radiomics model and the integrated model
``decision``       decision curves (``dcurves::dca``) of every model, test cohort
``sample_size``    Riley et al.'s minimum sample size (``pmsampsize``) against the study's
``nomogram``       ``rms::nomogram`` of the final model
``spread``         selection and models refitted on every split seed: test-AUC spread
=================  ===================================================================
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cetrus._results import json_safe

__all__ = ["Context", "Skip", "STEPS", "run_steps", "model_frame", "final_model"]


@dataclass(frozen=True)
class Skip:
    """A step that does not apply to this study, and why (said in results and text)."""

    reason: str


@dataclass
class Context:
    config: Any
    data: Any
    splits: dict
    split: Any
    log: Callable[[str], None] = lambda m: None
    results: dict = field(default_factory=dict)
    artifacts: dict = field(default_factory=dict)

    @property
    def train(self) -> np.ndarray:
        return self.split.train

    @property
    def y(self) -> np.ndarray:
        return self.data.y


# --------------------------------------------------------------------------- helpers


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def model_frame(config, data, scores: dict[str, np.ndarray]) -> pd.DataFrame:
    """Clinical table for the models (categorical columns as their levels, so the models
    get R's treatment dummies) plus each radiomics score as ``score_<MODALITY>``."""
    frame = data.clinical.copy()
    for v in config.variables:
        if v.categorical:
            frame[v.column] = pd.Categorical(frame[v.column], categories=list(v.levels))
    for name, score in scores.items():
        frame[f"score_{name}"] = score
    return frame


def _references(config, columns) -> dict[str, str] | None:
    ref = {v.column: v.reference for v in config.variables if v.categorical and v.column in columns}
    return ref or None


def final_model(results: dict) -> str:
    """The model the nomogram and calibration describe: integrated, else the chosen modality."""
    models = results.get("models", {})
    return "Integrated" if "Integrated" in models else results["integrated_modality"]


# --------------------------------------------------------------------------- steps


def _comparison_entry(c, key_of) -> dict[str, Any]:
    """One Table 1 row's test and each group's summary, the group named by ``key_of``."""
    entry: dict[str, Any] = {
        "pvalue": c.pvalue,
        "test": c.test,
        "kind": c.kind,
        "method": c.method,
        "reason": c.reason,
    }
    for s in c.summaries:
        if c.kind == "continuous":
            entry[key_of(s.level)] = {
                "median": s.median,
                "p25": s.p25,
                "p75": s.p75,
                "mean": s.mean,
                "sd": s.sd,
                "n": s.n,
            }
        else:
            entry[key_of(s.level)] = {str(k): int(v) for k, v in s.counts}
    return entry


def table1(ctx: Context) -> dict:
    from cetrus.stats.tableone import table_one

    config, data = ctx.config, ctx.data
    oc = config.outcome
    labels = {v.column: v.label for v in config.variables}
    frame = data.clinical.rename(columns=labels)
    frame["_group"] = np.where(data.y, oc.case_label, oc.control_label)
    cats = [v.label for v in config.variables if v.categorical]
    conts = [v.label for v in config.variables if not v.categorical]
    t1 = table_one(
        frame,
        "_group",
        [v.label for v in config.variables],
        categorical=cats,
        continuous=conts,
        order=[oc.case_label, oc.control_label],
        labels={oc.case_label: oc.case_label, oc.control_label: oc.control_label},
        category_order={
            v.label: list(v.table_order or v.levels) for v in config.variables if v.categorical
        },
        percent_base=config.table1.percent_base,
        correct=config.table1.chisq_correct,
    )
    stats: dict[str, Any] = {}
    for c in t1.comparisons:
        stats[c.variable] = _comparison_entry(
            c, lambda lv: "metastasis" if lv == oc.case_label else "non_metastasis"
        )
    ctx.artifacts["table1"] = t1
    return {
        "stats": stats,
        "rows": t1.to_dict()["rows"],
        "percent_base": t1.percent_base,
        "group_n": {"cases": int(data.y.sum()), "controls": int((~data.y).sum())},
        "tests": sorted({c.test for c in t1.comparisons}),
    }


def table1_cohort(ctx: Context) -> dict:
    """Table 1 by cohort (training vs test), the outcome as its first row: what the split
    produced, tested as Table 1's rows are."""
    from cetrus.stats.tableone import table_one

    config, data = ctx.config, ctx.data
    oc = config.outcome
    labels = {v.column: v.label for v in config.variables}
    frame = data.clinical.rename(columns=labels)
    names = [v.label for v in config.variables]
    cats = [v.label for v in config.variables if v.categorical]
    conts = [v.label for v in config.variables if not v.categorical]
    order = {v.label: list(v.table_order or v.levels) for v in config.variables if v.categorical}
    if oc.label not in names:
        frame[oc.label] = np.where(data.y, oc.case_label, oc.control_label)
        names = [oc.label] + names
        cats = [oc.label] + cats
        order[oc.label] = [oc.case_label, oc.control_label]
    tr_label, te_label = "Training cohort", "Test cohort"
    frame["_cohort"] = np.where(ctx.train, tr_label, te_label)
    t1 = table_one(
        frame,
        "_cohort",
        names,
        categorical=cats,
        continuous=conts,
        order=[tr_label, te_label],
        labels={tr_label: tr_label, te_label: te_label},
        category_order=order,
        percent_base=config.table1.percent_base,
        correct=config.table1.chisq_correct,
    )
    stats: dict[str, Any] = {}
    for c in t1.comparisons:
        stats[c.variable] = _comparison_entry(
            c, lambda lv: "training_cohort" if lv == tr_label else "test_cohort"
        )
    ctx.artifacts["table1_cohort"] = t1
    return {
        "stats": stats,
        "rows": t1.to_dict()["rows"],
        "percent_base": t1.percent_base,
        "group_n": {"training": int(ctx.train.sum()), "test": int((~ctx.train).sum())},
        "outcome_row": oc.label if oc.label in names else None,
        "tests": sorted({c.test for c in t1.comparisons}),
    }


def _lr_pvalue(frame, predictors: list[str], drop: str, conf_level: float, config) -> float:
    """Likelihood-ratio P of ``drop`` as a whole (R: ``anova(reduced, full, test = "Chisq")``)."""
    from scipy.stats import chi2

    from cetrus.stats.logistic import logit

    full = _quiet(
        logit,
        frame,
        "_y",
        predictors,
        conf_level=conf_level,
        reference=_references(config, predictors),
    )
    rest = [p for p in predictors if p != drop]
    if rest:
        reduced = _quiet(
            logit, frame, "_y", rest, conf_level=conf_level, reference=_references(config, rest)
        )
        dev, df = reduced.deviance, len(full.terms) - len(reduced.terms)
    else:
        dev, df = full.null_deviance, len(full.terms) - 1
    return float(chi2.sf(max(dev - full.deviance, 0.0), df))


def table2(ctx: Context) -> dict:
    from cetrus.stats.logistic import select_predictors, table_two

    config, data = ctx.config, ctx.data
    s = config.selection
    rows = ctx.train if s.clinical_cohort == "training" else np.ones_like(ctx.train)
    frame = model_frame(config, data, {}).loc[rows].reset_index(drop=True)
    columns = [v.column for v in config.variables]
    sel = _quiet(
        select_predictors,
        frame,
        "_y",
        columns,
        conf_level=s.conf_level,
        reference=_references(config, columns),
    )
    # one P for a variable of three or more levels as a whole (likelihood ratio)
    whole: dict[str, dict] = {}
    for v in config.variables:
        if v.categorical and len(v.levels) > 2:
            entry = {
                "univariate": _lr_pvalue(frame, [v.column], v.column, s.conf_level, config),
                "multivariable": None,
            }
            if sel.multivariable is not None and v.column in sel.passed_univariate:
                entry["multivariable"] = _lr_pvalue(
                    frame, list(sel.passed_univariate), v.column, s.conf_level, config
                )
            whole[v.column] = entry
    ctx.artifacts["table2"] = {"selection": sel, "table": table_two(sel)}
    return {
        "cohort": s.clinical_cohort,
        "n": int(rows.sum()),
        **sel.to_dict(),
        "whole_variable_p": whole,
        "method_whole_variable": "likelihood-ratio test "
        '(R: anova(glm without, glm with the variable, test = "Chisq"))',
    }


def agreement(ctx: Context) -> dict | Skip:
    from cetrus.stats.reliability import icc_many

    form = ctx.config.selection.icc_form
    out = {}
    for m in ctx.config.modalities:
        per_rater = ctx.data.raters[m.name]
        if len(per_rater) < 2:  # said in the text: agreement is reported where two raters read
            continue
        ratings = np.stack([f.to_numpy() for f in per_rater.values()], axis=1)
        est = _quiet(icc_many, ratings).estimate[form]
        finite = est[np.isfinite(est)]
        if finite.size == 0:
            continue
        out[m.name] = {
            "form": form,
            "raters": list(per_rater),
            "mean": float(finite.mean()),
            "median": float(np.median(finite)),
            "min": float(finite.min()),
            "max": float(finite.max()),
            "fraction_above_0.9": float((finite > 0.9).mean()),
            "n_features": int(finite.size),
            "n_undefined": int(est.size - finite.size),
        }
    if not out:
        return Skip("each modality has features of one rater only: no rater agreement to measure")
    return out


def _select(config, X: pd.DataFrame, y: np.ndarray, train: np.ndarray, n_jobs: int | None = None):
    from cetrus.stats.selection import select_features

    s = config.selection
    return select_features(
        X.loc[train].reset_index(drop=True),
        y[train].astype(int),
        p_threshold=s.mwu_p,
        rho_threshold=s.spearman_rho,
        lasso=True,
        folds=s.lasso_folds,
        seed=s.lasso_seed,
        lambda_rule=s.lasso_lambda,
        n_jobs=n_jobs,
    )


def selection(ctx: Context) -> dict:
    out, fits, scores = {}, {}, {}
    for m in ctx.config.modalities:
        t0 = time.perf_counter()
        X = ctx.data.features[m.name]
        fs = _quiet(_select, ctx.config, X, ctx.y, ctx.train)
        fits[m.name] = fs
        scores[m.name] = np.asarray(fs.score(X), dtype=float)
        out[m.name] = {
            "n_features": int(X.shape[1]),
            "after_mwu": len(fs.after_mwu),
            "after_spearman": len(fs.after_spearman),
            "selected": len(fs.selected),
            "features": list(fs.selected),
            "lambda": fs.lambda_,
            "lambda_rule": fs.lambda_rule,
            "coefficients": {str(k): float(v) for k, v in dict(fs.coefficients).items()},
            "intercept": fs.intercept,
            "rater": ctx.data.model_rater.get(m.name),
        }
        ctx.log(
            f"analyze: selection {m.name}: {len(fs.selected)} of {X.shape[1]} features "
            f"({time.perf_counter() - t0:.1f} s)"
        )
    ctx.artifacts["selections"] = fits
    ctx.artifacts["scores"] = scores
    return out


@dataclass
class FittedModel:
    name: str
    predictors: list[str]
    fit: Any
    prob: np.ndarray


def _fit_models(config, data, train, retained, scores, integrated) -> dict[str, FittedModel]:
    from cetrus.stats.logistic import logit

    frame = model_frame(config, data, scores)
    tr = frame.loc[train].reset_index(drop=True)

    def fit(name: str, predictors: list[str]) -> FittedModel:
        res = _quiet(
            logit,
            tr,
            "_y",
            predictors,
            conf_level=config.selection.conf_level,
            reference=_references(config, predictors),
        )
        return FittedModel(name, predictors, res, np.asarray(res.predict_proba(frame), dtype=float))

    models = {}
    if retained:
        models["Clinical"] = fit("Clinical", list(retained))
    for name in scores:
        models[name] = fit(name, [f"score_{name}"])
    if integrated is not None and retained:
        models["Integrated"] = fit("Integrated", list(retained) + [f"score_{integrated}"])
    return models


def _performance(models: dict, y: np.ndarray, train: np.ndarray, conf_level: float) -> dict:
    from cetrus.stats.roc import auc_ci, diagnostic_metrics, youden_threshold

    perf: dict[str, dict] = {"training": {}, "test": {}}
    for name, m in models.items():
        thr = _quiet(youden_threshold, y[train], m.prob[train], conf_level=conf_level)
        for cohort, mask in (("training", train), ("test", ~train)):
            auc = _quiet(auc_ci, y[mask], m.prob[mask], conf_level=conf_level)
            dm = _quiet(
                diagnostic_metrics, y[mask], m.prob[mask], thr.threshold, conf_level=conf_level
            )
            perf[cohort][name] = {
                "auc": auc.estimate,
                "auc_ci_low": auc.ci_low,
                "auc_ci_high": auc.ci_high,
                "auc_variance": auc.variance,
                "accuracy": dm.accuracy,
                "sensitivity": dm.sensitivity,
                "specificity": dm.specificity,
                "ppv": dm.ppv,
                "npv": dm.npv,
                "threshold": thr.threshold,
                "tp": dm.tp,
                "fp": dm.fp,
                "tn": dm.tn,
                "fn": dm.fn,
                "n": int(mask.sum()),
                "cases": int(y[mask].sum()),
                **{
                    f"{k}_ci_{side}": getattr(dm, f"{k}_ci_{side}")
                    for k in ("accuracy", "sensitivity", "specificity", "ppv", "npv")
                    for side in ("low", "high")
                },
                "metric_ci_method": "Clopper-Pearson exact (binom.test)",
            }
    return perf


def models(ctx: Context) -> dict:
    config, data = ctx.config, ctx.data
    retained = list(ctx.results["table2"]["retained"])
    scores = ctx.artifacts["scores"]
    chosen = ctx.results["integrated_choice"]["modality"]
    fitted = _fit_models(config, data, ctx.train, retained, scores, chosen)
    ctx.artifacts["models"] = fitted
    ctx.results["integrated_modality"] = chosen
    out = {}
    for name, m in fitted.items():
        d = {"predictors": m.predictors, **m.fit.to_dict()}
        d.pop("covariance", None)
        out[name] = d
    return out


def _fold_auc(y: np.ndarray, p: np.ndarray) -> float:
    from cetrus.stats.roc import auc_ci

    return float(_quiet(auc_ci, y, p, method="delong").estimate)


def _cv_aucs(ctx: Context, modality: str, retained: list[str], n_folds: int) -> list[float]:
    """Per-fold AUC of the model ``retained + score_<modality>`` over stratified folds of
    the training cohort. ``cv_selection = "refit"``: Mann–Whitney → Spearman → LASSO rerun
    on each fold's training part and its score applied to the held-out fold; ``"fixed"``:
    the radiomics score selected on the whole training cohort (the CV AUC is then
    conditional on that selection). A fold whose logistic fit does not converge counts NaN."""
    from sklearn.model_selection import StratifiedKFold

    from cetrus.errors import ConvergenceError
    from cetrus.stats.logistic import logit

    config, data, y = ctx.config, ctx.data, ctx.y
    spec = config.models
    rows = np.flatnonzero(ctx.train)
    X = data.features[modality]
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=spec.cv_seed)
    aucs = []
    for inner_idx, held_idx in folds.split(rows, y[rows]):
        inner = np.zeros_like(ctx.train)
        inner[rows[inner_idx]] = True
        if spec.cv_selection == "refit":
            fs = _quiet(_select, config, X, y, inner, n_jobs=1)
            score = np.asarray(fs.score(X), dtype=float)
        else:
            score = ctx.artifacts["scores"][modality]
        frame = model_frame(config, data, {modality: score})
        # a score constant on the fold's training part (nothing selected) carries nothing
        predictors = list(retained) + ([f"score_{modality}"] if np.ptp(score[inner]) > 0 else [])
        held = rows[held_idx]
        if not predictors:
            aucs.append(0.5)  # one constant prediction for every patient
            continue
        try:
            fit = _quiet(
                logit,
                frame.loc[inner].reset_index(drop=True),
                "_y",
                predictors,
                conf_level=config.selection.conf_level,
                reference=_references(config, predictors),
            )
        except ConvergenceError:
            aucs.append(float("nan"))
            continue
        prob = np.asarray(fit.predict_proba(frame.iloc[held]), dtype=float)
        aucs.append(_fold_auc(y[held], prob))
    return aucs


def integrated_choice(ctx: Context) -> dict:
    """The modality joining the clinical model, by the rule ``[models] integrated``.

    ``best_cv`` (default): the highest mean per-fold AUC of stratified k-fold
    cross-validation in the TRAINING cohort of the model as the integrated model is built
    (the retained clinical variables + the modality's radiomics score; the score alone when
    no variable is retained). The clinical variables are those retained on the whole
    training cohort; the feature selection is refitted in each fold (``cv_selection =
    "refit"``) or taken from the whole training cohort (``"fixed"``, conditional CV).
    Ties go to the modality listed first. ``best_test``: the highest test AUC of the
    modalities' score models (the paper's choice; the test cohort then takes part in model
    selection). A modality's name: fixed by the config.
    """
    config = ctx.config
    rule = config.models.integrated
    modalities = [m.name for m in config.modalities]
    out: dict[str, Any] = {"rule": rule if rule in ("best_cv", "best_test") else "fixed"}
    if rule == "best_test":
        base = _fit_models(config, ctx.data, ctx.train, [], ctx.artifacts["scores"], None)
        perf0 = _performance(base, ctx.y, ctx.train, config.selection.conf_level)
        test_auc = {n: perf0["test"][n]["auc"] for n in modalities}
        out.update(
            modality=max(modalities, key=lambda n: test_auc[n]),
            criterion="test AUC",
            test_auc=test_auc,
        )
    elif rule == "best_cv":
        from cetrus.errors import InputError

        spec = config.models
        cases = int(ctx.y[ctx.train].sum())
        least = min(cases, int(ctx.train.sum()) - cases)
        if least < 2:
            raise InputError(
                f'{config.path.name}: models.integrated = "best_cv" needs at '
                f"least 2 patients of each outcome in the training cohort (the "
                f"smaller group has {least}); fix models.integrated to a modality"
            )
        # a small study: as many folds as the smaller outcome group allows (stratified folds
        # need a patient of each outcome in every fold), said in the results and the text
        n_folds = min(spec.cv_folds, least)
        if n_folds < spec.cv_folds:
            ctx.log(
                f"analyze: integrated_choice: {n_folds} folds (models.cv_folds = "
                f"{spec.cv_folds}, but the smaller outcome group of the training cohort "
                f"has {least} patients)"
            )
        retained = list(ctx.results["table2"]["retained"])
        cv: dict[str, dict[str, Any]] = {}
        for name in modalities:
            t0 = time.perf_counter()
            aucs = _cv_aucs(ctx, name, retained, n_folds)
            finite = [a for a in aucs if np.isfinite(a)]
            cv[name] = {
                "fold_auc": aucs,
                "mean": float(np.mean(finite)) if finite else None,
                "sd": float(np.std(finite, ddof=1)) if len(finite) > 1 else None,
                "failed_folds": len(aucs) - len(finite),
            }
            ctx.log(
                f"analyze: integrated_choice {name}: CV AUC {cv[name]['mean']} "
                f"({time.perf_counter() - t0:.1f} s)"
            )
        ranked = [n for n in modalities if cv[n]["mean"] is not None]
        if not ranked:
            raise InputError(
                f'{config.path.name}: models.integrated = "best_cv": no '
                "cross-validation fold converged for any modality; fix "
                "models.integrated to a modality"
            )
        out.update(
            modality=max(ranked, key=lambda n: cv[n]["mean"]),
            criterion="cross-validated AUC (training cohort)",
            cv={
                "folds": n_folds,
                "folds_requested": spec.cv_folds,
                "seed": spec.cv_seed,
                "selection": spec.cv_selection,
                "stratified": True,
                "summary": "mean of the per-fold AUCs",
                "predictors": retained,
                "auc": cv,
            },
        )
    else:
        out.update(modality=rule, criterion="fixed in the study configuration")
    return out


def performance(ctx: Context) -> dict:
    return _performance(ctx.artifacts["models"], ctx.y, ctx.train, ctx.config.selection.conf_level)


def comparisons(ctx: Context) -> dict | Skip:
    from cetrus.stats.roc import roc_test_pairs

    fitted = ctx.artifacts["models"]
    if len(fitted) < 2:
        return Skip("only one model: nothing to compare")
    out = {}
    for cohort, mask in (("training", ctx.train), ("test", ~ctx.train)):
        # every model against every other, from one sort per model (pROC's roc.test)
        res = _quiet(
            roc_test_pairs,
            ctx.y[mask],
            {n: m.prob[mask] for n, m in fitted.items()},
            conf_level=ctx.config.selection.conf_level,
        )
        out[cohort] = [{**r, "method": "paired DeLong"} for r in res.records()]
    return out


def calibration(ctx: Context) -> dict | Skip:
    from cetrus.stats.calibration import val_prob

    name = final_model(ctx.results)
    m = ctx.artifacts["models"][name]
    test = ~ctx.train
    p = m.prob[test]
    if np.any((p <= 0) | (p >= 1)):  # rms::val.prob needs a finite logit of every prediction
        return Skip(
            f"the {name} model predicts probabilities of exactly 0 or 1 in the test "
            "cohort (a separated fit): no calibration statistics"
        )
    cal = _quiet(val_prob, ctx.y[test].astype(int), p)
    return {"cohort": "test", "model": name, **cal.to_dict()}


def calibration_models(ctx: Context) -> dict:
    """``rms::val.prob`` of every model in both cohorts (a model predicting exactly 0 or
    1 for some patient of a cohort — a separated fit — has no statistics there: said)."""
    from cetrus.stats.calibration import val_prob

    out: dict[str, dict] = {}
    for name, m in ctx.artifacts["models"].items():
        out[name] = {}
        for cohort, mask in (("training", ctx.train), ("test", ~ctx.train)):
            p = m.prob[mask]
            if np.any((p <= 0) | (p >= 1)):
                out[name][cohort] = {
                    "skipped": f"the {name} model predicts probabilities of "
                    f"exactly 0 or 1 in the {cohort} cohort (a separated fit)"
                }
                continue
            out[name][cohort] = _quiet(val_prob, ctx.y[mask].astype(int), p).to_dict()
    return out


def _c(dxy: float) -> float:
    return 0.5 + dxy / 2.0


def _validation_entry(v, method: str) -> dict:
    t = v.table
    d = v.to_dict()
    d.update(
        method=method,
        c_orig=_c(t.loc["Dxy", "index_orig"]),
        c_optimism=t.loc["Dxy", "optimism"] / 2.0,
        c_corrected=_c(t.loc["Dxy", "index_corrected"]),
    )
    return d


def validation(ctx: Context) -> dict | Skip:
    """``rms::validate(lrm(...), B)`` of the clinical and integrated models: Efron's
    optimism bootstrap of their logistic fits on the training cohort, the columns fixed
    (the integrated model's radiomics score is taken as given: its selection's optimism
    is what ``validation_selection`` adds)."""
    from cetrus.errors import InputError
    from cetrus.stats.optimism import validate_logistic

    v = ctx.config.validation
    fitted = ctx.artifacts["models"]
    names = [n for n in ("Clinical", "Integrated") if n in fitted]
    if not names:
        return Skip(
            "no clinical variable was retained: no clinical or integrated model to validate"
        )
    if v.bootstrap == 0:
        return Skip("validation.bootstrap = 0 in the study config")
    frame = model_frame(ctx.config, ctx.data, ctx.artifacts["scores"])
    tr = frame.loc[ctx.train].reset_index(drop=True)
    y = ctx.y[ctx.train].astype(float)
    out: dict[str, Any] = {"B": v.bootstrap, "seed": v.seed, "models": {}, "skipped": {}}
    for name in names:
        fit = fitted[name].fit
        X = pd.DataFrame(fit.design(tr)[:, 1:], columns=[t.term for t in fit.terms[1:]])
        try:
            res = _quiet(validate_logistic, X, y, B=v.bootstrap, seed=v.seed)
        except InputError as exc:
            out["skipped"][name] = str(exc)
            continue
        out["models"][name] = _validation_entry(res, "rms::validate.lrm (columns fixed)")
    return out


_REFIT_STATE: dict[str, Any] = {}


def _selection_refit(rows: np.ndarray) -> dict:
    """Every radiomics model (and the integrated model) rebuilt on the training rows
    ``rows``: the whole selection per modality, then each logistic fit; linear
    predictors of all training patients (``None`` for a model that cannot be built)."""
    from threadpoolctl import threadpool_limits

    from cetrus.stats.logistic import lrm_fit
    from cetrus.stats.selection import select_features

    st = _REFIT_STATE
    config, y = st["config"], st["y"]
    s = config.selection
    yr = y[rows]
    out: dict[str, Any] = {"_counts": {}}
    n = y.size
    limit = 1 if st.get("parallel") else None

    def logistic(cols: list[np.ndarray]):
        X1 = np.column_stack([np.ones(n)] + cols)
        try:
            fit = lrm_fit(X1[rows], yr, maxit=12)
        except (np.linalg.LinAlgError, ValueError):
            return None
        if not fit.converged or not np.all(np.isfinite(fit.beta)):
            return None
        return X1 @ fit.beta

    with warnings.catch_warnings(), threadpool_limits(limits=limit):
        warnings.simplefilter("ignore")
        scores = {}
        for name, X in st["features"].items():
            fs = select_features(
                X.iloc[rows].reset_index(drop=True),
                yr.astype(int),
                p_threshold=s.mwu_p,
                rho_threshold=s.spearman_rho,
                lasso=True,
                folds=s.lasso_folds,
                seed=s.lasso_seed,
                lambda_rule=s.lasso_lambda,
                n_jobs=1 if limit else None,
            )
            out["_counts"][name] = len(fs.selected)
            if not fs.selected:  # a constant score: no model to fit
                out[name] = None
                continue
            scores[name] = np.asarray(fs.score(X), dtype=float)
            out[name] = logistic([scores[name]])
        if st["clinical"] is not None:
            chosen = st["integrated"]
            out["Integrated"] = (
                logistic([st["clinical"], scores[chosen]]) if chosen in scores else None
            )
    return out


def validation_selection(ctx: Context) -> dict | Skip:
    """Optimism bootstrap with the WHOLE radiomics selection (Mann–Whitney → Spearman →
    LASSO → score → logistic fit) repeated in every resample of the training cohort:
    the optimism of choosing the features, which ``rms::validate`` on the final score
    cannot see. ``validation.selection_bootstrap`` resamples, run in worker processes
    (``models.workers``) like the spread."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from cetrus.errors import InputError
    from cetrus.stats.optimism import validate_refit

    config = ctx.config
    B = config.validation.selection_bootstrap
    if B == 0:
        return Skip("validation.selection_bootstrap = 0 in the study config")
    train = ctx.train
    y = ctx.y[train].astype(float)
    features = {
        m.name: ctx.data.features[m.name].loc[train].reset_index(drop=True)
        for m in config.modalities
    }
    fitted = ctx.artifacts["models"]
    clinical = None
    if "Integrated" in fitted:
        fit = fitted["Integrated"].fit
        frame = model_frame(config, ctx.data, ctx.artifacts["scores"])
        tr = frame.loc[train].reset_index(drop=True)
        design = fit.design(tr)[:, 1:]
        clinical = design[:, :-1]  # the score enters last (retained variables + score)
    _REFIT_STATE.update(
        config=config,
        y=y,
        features=features,
        clinical=clinical,
        integrated=ctx.results["integrated_modality"],
    )
    counts: list[dict] = []
    workers = config.models.workers or (os.cpu_count() or 1)
    workers = max(1, min(workers, B))
    parallel = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    t0 = time.perf_counter()
    try:

        def collect(results):
            for k, out in enumerate(results, 1):
                counts.append(out.pop("_counts"))
                if k % max(1, B // 5) == 0 or k == B:
                    ctx.log(
                        f"analyze: validation_selection {k}/{B} resamples "
                        f"({time.perf_counter() - t0:.0f} s)"
                    )
                yield out

        if parallel:
            # the state is inherited by the forked workers; the apparent fit runs here. The
            # workers die with this process and leave Ctrl-C to it, as the spread's do.
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_worker_init,
                initargs=(os.getpid(),),
            )
            _REFIT_STATE["parallel"] = True
            try:
                res = validate_refit(
                    y,
                    _selection_refit,
                    B=B,
                    seed=config.validation.seed,
                    mapper=lambda f, items: collect(pool.map(f, items)),
                )
            except BaseException:  # Ctrl-C, SIGTERM, a failed resample: the workers go now
                _kill_pool(pool)
                raise
            pool.shutdown(wait=True)
        else:
            _REFIT_STATE["parallel"] = False
            res = validate_refit(
                y,
                _selection_refit,
                B=B,
                seed=config.validation.seed,
                mapper=lambda f, items: collect(map(f, items)),
            )
    except InputError as exc:  # a model that cannot be built on the training cohort itself
        return Skip(f"the optimism with the selection repeated was not computed: {exc}")
    finally:
        _REFIT_STATE.clear()
    names = [m.name for m in config.modalities] + (["Integrated"] if clinical is not None else [])
    selected = {m: [c[m] for c in counts] for m in features}
    # the run's clock and the machine's worker count go to the log, not the results (a
    # rerun on another machine writes the same results.json)
    ctx.log(
        f"analyze: validation_selection: {B} resamples on {workers if parallel else 1} "
        f"worker(s) in {time.perf_counter() - t0:.1f} s"
    )
    ctx.results.setdefault("run", {})["validation_selection"] = {
        "workers": workers if parallel else 1,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    return {
        "B": B,
        "seed": config.validation.seed,
        "models": {
            n: _validation_entry(res[n], "whole selection repeated per resample")
            for n in names
            if n in res
        },
        "not_built": [n for n in names if n not in res],  # e.g. no feature selected
        "selected_counts": selected,
        "no_feature_resamples": {m: int(sum(c == 0 for c in v)) for m, v in selected.items()},
    }


def decision(ctx: Context) -> dict:
    """Decision curves of every model in the test cohort (``dcurves::dca``), treat-all and
    treat-none, on the config's threshold grid; per model, the thresholds at which its
    net benefit exceeds both treat-all and treat-none."""
    from cetrus.stats.decision import decision_curve

    test = ~ctx.train
    grid = list(ctx.config.decision.thresholds)
    fitted = ctx.artifacts["models"]
    dc = _quiet(
        decision_curve,
        ctx.y[test].astype(int),
        {n: m.prob[test] for n, m in fitted.items()},
        thresholds=grid,
    )
    nb = {
        name: [float(x) for x in dc.net_benefit(name).to_numpy()]
        for name in list(fitted) + ["all", "none"]
    }
    best = np.maximum(np.asarray(nb["all"]), 0.0)
    useful = {}
    for name in fitted:
        above = np.asarray(nb[name]) > best + 1e-12
        idx = np.flatnonzero(above)
        useful[name] = {
            "n_thresholds": int(above.sum()),
            "low": float(grid[idx[0]]) if idx.size else None,
            "high": float(grid[idx[-1]]) if idx.size else None,
        }
    return {
        "cohort": "test",
        "thresholds": grid,
        "n": dc.n,
        "prevalence": dc.prevalence,
        "net_benefit": nb,
        "useful": useful,
        "method": "dcurves::dca (treated when risk >= threshold)",
    }


def sample_size(ctx: Context) -> dict | Skip:
    """Riley et al.'s minimum sample size for developing the models (``pmsampsize``):
    the study's outcome proportion, the candidate parameters (each clinical variable as
    encoded — one per continuous variable, levels − 1 per categorical — plus one
    radiomics score per modality) and the config's anticipated performance."""
    from cetrus.stats.samplesize import sample_size_binary

    spec = ctx.config.sample_size
    if spec.c_statistic is None and spec.cox_snell_r2 is None:
        return Skip(
            "no anticipated performance in the study config ([sample_size] "
            "c_statistic or cox_snell_r2)"
        )
    params = {v.column: (len(v.levels) - 1 if v.categorical else 1) for v in ctx.config.variables}
    params.update({f"score_{m.name}": 1 for m in ctx.config.modalities})
    total = int(sum(params.values()))
    prevalence = float(ctx.y.mean())
    res = sample_size_binary(
        prevalence,
        total,
        c_statistic=spec.c_statistic,
        cox_snell_r2=spec.cox_snell_r2,
        shrinkage=spec.shrinkage,
        mmoe=spec.mmoe,
    )
    n_train = int(ctx.train.sum())
    events_train = int(ctx.y[ctx.train].sum())
    return {
        "prevalence": prevalence,
        "parameters": total,
        "parameter_counts": params,
        "anticipated": (
            {"c_statistic": spec.c_statistic}
            if spec.c_statistic is not None
            else {"cox_snell_r2": spec.cox_snell_r2}
        ),
        "required_n": res.n,
        "required_events": res.events,
        "criteria_n": list(res.n_criteria),
        "criterion": res.criterion,
        "cox_snell_r2": res.cox_snell_r2,
        "max_cox_snell_r2": res.max_cox_snell_r2,
        "shrinkage": spec.shrinkage,
        "mmoe": spec.mmoe,
        "events_per_parameter": res.events_per_parameter,
        "n_training": n_train,
        "events_training": events_train,
        "n_cohort": int(ctx.y.size),
        "meets_training": n_train >= res.n,
        "meets_cohort": int(ctx.y.size) >= res.n,
    }


def nomogram(ctx: Context) -> dict | Skip:
    from cetrus.errors import ConvergenceError
    from cetrus.stats.nomogram import nomogram as build

    config, data = ctx.config, ctx.data
    name = final_model(ctx.results)
    m = ctx.artifacts["models"][name]
    # refit under display names (same data, same coefficients) so the axes read the
    # variables' labels: a two-level variable is one 0/1 axis whose ticks show its two
    # levels; a k-level variable one 0/1 axis per non-reference level ("Grade = G2")
    frame = data.clinical.copy()
    ticks: dict[str, dict[str, str]] = {}
    predictors = []
    for p in m.predictors:
        if p.startswith("score_"):
            mod = p[len("score_") :]
            label = f"{mod} score"
            frame[label] = ctx.artifacts["scores"][mod]
            predictors.append(label)
            continue
        v = config.variable(p)
        if v.categorical:
            for lv in v.levels[1:]:
                two = len(v.levels) == 2
                label = v.label if two else f"{v.label} = {lv}"
                frame[label] = (frame[p].astype(str) == lv).astype(float)
                ticks[label] = {"0": v.levels[0], "1": lv} if two else {"0": "no", "1": "yes"}
                predictors.append(label)
        else:
            frame[v.label] = frame[p]
            predictors.append(v.label)
    tr = frame.loc[ctx.train].reset_index(drop=True)
    try:
        nom = _quiet(build, tr, "_y", predictors)
    except ConvergenceError:  # separation: no finite coefficients to draw
        return Skip(
            f"the {name} model's logistic fit does not converge in the training cohort "
            "((quasi-)complete separation): no nomogram"
        )
    ctx.artifacts["nomogram"] = nom
    return {
        "model": name,
        "predictors": list(nom.predictors),
        "scale": nom.scale,
        "intercept": nom.intercept,
        "tick_labels": ticks,
        "axes": {k: {"values": a.values, "points": a.points} for k, a in nom.axes.items()},
    }


# --------------------------------------------------------------------------- spread

_SPREAD_STATE: dict[str, Any] = {}


def _spread_one(seed: int) -> tuple[int, dict[str, float], dict[str, int]]:
    """Selection + every model on one split seed (run in a forked worker or inline)."""
    from threadpoolctl import threadpool_limits

    st = _SPREAD_STATE
    config, data, sp = st["config"], st["data"], st["splits"][seed]
    y = data.y
    scores, counts = {}, {}
    limit = 1 if st.get("parallel") else None  # the workers already use every core
    with warnings.catch_warnings(), threadpool_limits(limits=limit):
        warnings.simplefilter("ignore")
        for m in config.modalities:
            # one thread per worker process: the workers already use every core
            fs = _select(config, data.features[m.name], y, sp.train, n_jobs=1 if limit else None)
            scores[m.name] = np.asarray(fs.score(data.features[m.name]), dtype=float)
            counts[m.name] = len(fs.selected)
        fitted = _fit_models(config, data, sp.train, st["retained"], scores, st["integrated"])
        perf = _performance(fitted, y, sp.train, config.selection.conf_level)
    return seed, {n: perf["test"][n]["auc"] for n in fitted}, counts


def _worker_init(parent: int) -> None:
    """Spread worker setup: die with the parent, leave Ctrl-C to it.

    The parent's Ctrl-C reaches the whole process group; the workers ignore it (the
    parent prints one line and stops them). ``PR_SET_PDEATHSIG`` makes the kernel send
    SIGKILL to the worker when the parent dies, however it dies (``kill -9`` included).
    """
    import ctypes
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG = 1 (Linux)
    except (OSError, AttributeError):  # not Linux: the parent stops the workers itself
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _kill_pool(pool) -> None:
    """Stop a ProcessPoolExecutor's workers at once (not after their current seed)."""
    procs = list(getattr(pool, "_processes", {}).values())
    for p in procs:
        try:
            p.kill()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(timeout=5)
        except (OSError, ValueError, AssertionError, AttributeError):
            pass


def spread(ctx: Context) -> dict | Skip:
    """Refit selection and every model on each split seed; collect the test AUCs.

    The clinical predictors and the integrated modality are those chosen on the
    reported split (re-choosing them per split would mix model selection into the
    spread); the reported split itself is not refitted. Seeds run in parallel worker
    processes (``models.workers``; 0 = one per CPU core), each deterministic.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    config = ctx.config
    if not config.models.spread:
        return Skip("models.spread = false in the study config")
    if len(ctx.splits) < 2:
        return Skip("split.seeds lists one seed only")
    perf = ctx.results["performance"]
    reported = (
        {n: perf["test"][n]["auc"] for n in ctx.artifacts["models"]},
        {n: ctx.results["selection"][n]["selected"] for n in ctx.results["selection"]},
    )
    _SPREAD_STATE.update(
        config=config,
        data=ctx.data,
        splits=ctx.splits,
        retained=list(ctx.results["table2"]["retained"]),
        integrated=ctx.results["integrated_modality"],
    )
    todo = [s for s in ctx.splits if s != config.split.reported_seed]
    workers = config.models.workers or (os.cpu_count() or 1)
    workers = max(1, min(workers, len(todo)))
    per_seed = {config.split.reported_seed: reported}
    try:
        parallel = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
        _SPREAD_STATE["parallel"] = parallel
        if parallel:
            ctx_mp = multiprocessing.get_context("fork")
            pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=ctx_mp,
                initializer=_worker_init,
                initargs=(os.getpid(),),
            )
            try:
                for seed, seed_aucs, seed_counts in pool.map(_spread_one, todo):
                    per_seed[seed] = (seed_aucs, seed_counts)
                    ctx.log(f"analyze: spread seed {seed} done ({len(per_seed)}/{len(ctx.splits)})")
            except BaseException:  # Ctrl-C, SIGTERM, a failed seed: the workers go too, now
                _kill_pool(pool)
                raise
            pool.shutdown(wait=True)
        else:
            for seed in todo:
                _, seed_aucs, seed_counts = _spread_one(seed)
                per_seed[seed] = (seed_aucs, seed_counts)
                ctx.log(f"analyze: spread seed {seed} done ({len(per_seed)}/{len(ctx.splits)})")
    finally:
        _SPREAD_STATE.clear()
    seeds = list(ctx.splits)
    names = list(per_seed[seeds[0]][0])
    aucs = {n: [per_seed[s][0][n] for s in seeds] for n in names}
    counts = {m.name: [per_seed[s][1][m.name] for s in seeds] for m in config.modalities}
    summary = {
        name: {
            "min": float(np.min(v)),
            "median": float(np.median(v)),
            "max": float(np.max(v)),
            "mean": float(np.mean(v)),
            "sd": float(np.std(v, ddof=1)) if len(v) > 1 else float("nan"),
        }
        for name, v in aucs.items()
    }
    # how many processes ran is the machine's, not the study's: the run's record, not a result
    ctx.results.setdefault("run", {})["spread_workers"] = workers
    return {
        "seeds": seeds,
        "reported_seed": config.split.reported_seed,
        "test_auc": aucs,
        "selected_counts": counts,
        "summary": summary,
    }


# --------------------------------------------------------------------------- running


def _clinical_models_skip(ctx: Context) -> None:
    if not ctx.results["table2"]["retained"]:
        ctx.results["steps"]["clinical_models"] = {
            "status": "skipped",
            "reason": "no clinical variable was retained: no clinical and no integrated model",
        }


STEPS: tuple[tuple[str, Callable[[Context], Any]], ...] = (
    ("table1", table1),
    ("table1_cohort", table1_cohort),
    ("table2", table2),
    ("icc", agreement),
    ("selection", selection),
    ("integrated_choice", integrated_choice),
    ("models", models),
    ("performance", performance),
    ("comparisons", comparisons),
    ("calibration", calibration),
    ("calibration_models", calibration_models),
    ("validation", validation),
    ("validation_selection", validation_selection),
    ("decision", decision),
    ("sample_size", sample_size),
    ("nomogram", nomogram),
    ("spread", spread),
)


def run_steps(ctx: Context) -> dict:
    """Run every step in order; each result lands in ``ctx.results[name]``, its status in
    ``ctx.results["steps"]`` and its time in ``ctx.results["run"]["steps"]`` (the run's clock,
    kept apart from the results: see :func:`cetrus.study.pipeline.analyze`)."""
    ctx.results.setdefault("steps", {})
    clock = ctx.results.setdefault("run", {}).setdefault("steps", {})
    for name, fn in STEPS:
        t0 = time.perf_counter()
        ctx.log(f"analyze: {name}")
        out = fn(ctx)
        clock[name] = round(time.perf_counter() - t0, 2)
        if isinstance(out, Skip):
            ctx.results["steps"][name] = {"status": "skipped", "reason": out.reason}
            ctx.log(f"analyze: {name} skipped: {out.reason}")
            continue
        ctx.results[name] = json_safe(out)
        ctx.results["steps"][name] = {"status": "done", "reason": ""}
        if name == "table2":
            _clinical_models_skip(ctx)
    return ctx.results
