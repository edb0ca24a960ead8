"""The paper's analysis, end to end: ``cetrus analyze --config study.toml --out DIR``.

Steps (Sections 2.6–3.5 of the paper, then three checks the paper did not report):

1. **Table 1** — baseline characteristics by outcome on the whole cohort
   (:func:`cetrus.stats.baseline.table_one`, the paper's test rule).
2. **Table 2** — univariate logistic regression of every clinical variable; those with a
   95 % CI of the OR excluding 1 enter a multivariable model; those still excluding 1
   are retained (:func:`cetrus.stats.logistic.select_predictors`), on the cohort
   ``selection.clinical_cohort`` names (training, by default).
3. **Rater ICC** per modality: ``icc_many(...).estimate[form]`` over the 1,920 features.
4. **Feature selection per modality, on the training cohort only**: Mann–Whitney U
   (P < 0.05) → Spearman (|ρ| > 0.9 removed) → LASSO with cross-validated λ
   (:func:`cetrus.stats.selection.select_features`). The radiomics score of a patient is
   the LASSO linear predictor.
5. **Models** (logistic, fit on the training cohort): clinical (retained variables),
   TDUS, CDUS, CEUS (their radiomics score), integrated (retained variables + the score
   of the modality with the highest test AUC, Section 2.7).
6. **Tables 3 and 4** — AUC with DeLong 95 % CI, accuracy, sensitivity, specificity, PPV
   and NPV in both cohorts, at the Youden threshold of the training cohort (applied
   unchanged to the test cohort).
7. **Figures 4–6** — LASSO paths/CV (per modality), test ROC curves, nomogram.
8. Beyond the paper: paired DeLong tests between the models (test cohort), calibration
   of the integrated model (test cohort, ``rms::val.prob``'s statistics) and the spread
   of test AUCs over all split seeds.

Everything lands in one folder, written atomically (built next to it, then renamed):
``results.json`` (every number), ``values.yml`` (the numbers the manuscript's text
quotes, formatted), ``tables/*.csv|md``, ``figures/*.png|svg``.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from cetrus._results import json_safe
from cetrus._fs import atomic_directory
from cetrus.errors import InputError

__all__ = ["analyze", "load_study", "StudyData", "default_results_dir", "REPO_ROOT", "MODEL_ORDER"]

REPO_ROOT = Path(__file__).resolve().parents[3]
MODEL_ORDER = ("Clinical", "TDUS", "CDUS", "CEUS", "Integrated")


def default_results_dir(config) -> Path:
    """``results/`` next to the study config."""
    return config.root / "results"


# --------------------------------------------------------------------------- loading

@dataclass
class StudyData:
    """The checked inputs: clinical table (outcome coded 0/1) and rater feature tables."""

    clinical: pd.DataFrame
    y: np.ndarray
    features: dict[str, pd.DataFrame]        # rater 1, rows in clinical order
    features_r2: dict[str, pd.DataFrame]     # rater 2 (may be missing for a modality)
    feature_files: dict[str, Path]


def _read(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except Exception as exc:  # noqa: BLE001 — any reader failure becomes one clear line
        raise InputError(f"cannot read {path.name}: {str(exc).splitlines()[0]}") from None


def _columns_hint(frame: pd.DataFrame) -> str:
    cols = list(map(str, frame.columns[:10]))
    return ", ".join(cols) + (", …" if frame.shape[1] > 10 else "")


def load_study(config) -> StudyData:
    """Read and check the clinical table and the feature tables named by ``config``.

    Errors name the file and the column (or patient id) at fault.
    """
    config.require_files()
    path = config.clinical
    clinical = _read(path)
    name = path.name
    for col, what in ((config.id_column, "id column (data.id)"),
                      (config.outcome.column, "outcome column (outcome.column)")):
        if col not in clinical.columns:
            raise InputError(f"{name}: {what} {col!r} not found (columns: {_columns_hint(clinical)})")
    ids = clinical[config.id_column].astype(str)
    if ids.duplicated().any():
        raise InputError(f"{name}: patient id {ids[ids.duplicated()].iloc[0]!r} occurs twice in "
                         f"{config.id_column!r}")
    out = clinical[config.outcome.column]
    if out.isna().any():
        raise InputError(f"{name}: outcome column {config.outcome.column!r} has "
                         f"{int(out.isna().sum())} missing value(s)")
    levels = sorted(pd.unique(out).tolist(), key=str)
    pos = config.outcome.positive
    matches = [lv for lv in levels if str(lv) == str(pos)]
    if len(levels) != 2 or not matches:
        raise InputError(f"{name}: outcome column {config.outcome.column!r} must have two levels "
                         f"including outcome.positive = {pos!r}; got {levels[:6]!r}")
    y = (out.astype(str) == str(pos)).to_numpy()
    for v in config.variables:
        if v.column not in clinical.columns:
            raise InputError(f"{name}: clinical variable {v.column!r} (variables.{v.column}) not "
                             f"found (columns: {_columns_hint(clinical)})")
        s = clinical[v.column]
        if s.isna().any():
            raise InputError(f"{name}: column {v.column!r} has {int(s.isna().sum())} missing "
                             f"value(s) (first at data row {int(np.flatnonzero(s.isna())[0]) + 1})")
        if v.type == "categorical":
            bad = sorted(set(s.astype(str)) - set(v.levels))
            if bad:
                raise InputError(f"{name}: column {v.column!r} has level {bad[0]!r} not in "
                                 f"variables.{v.column}.levels {list(v.levels)!r}")
            clinical[v.column] = s.astype(str)
        elif s.dtype.kind not in "iuf":
            conv = pd.to_numeric(s, errors="coerce")
            row = int(np.flatnonzero(conv.isna())[0])
            raise InputError(f"{name}: column {v.column!r} must be numeric; got {s.iloc[row]!r} "
                             f"at data row {row + 1}")
    clinical = clinical.assign(**{config.id_column: ids.to_numpy()})
    clinical["_y"] = y.astype(int)

    features, features_r2, files = {}, {}, {}
    for m in config.modalities:
        if m.rater1 is None:
            m_path = _extract(config, m)
        else:
            m_path = m.rater1
        files[m.name] = m_path
        features[m.name] = _feature_table(m_path, config.id_column, ids, name)
        if m.rater2 is not None:
            features_r2[m.name] = _feature_table(m.rater2, config.id_column, ids, name)
            if list(features_r2[m.name].columns) != list(features[m.name].columns):
                raise InputError(f"{m.rater2.name}: feature columns differ from {m_path.name}")
    return StudyData(clinical, y, features, features_r2, files)


def _extract(config, modality) -> Path:
    """Features of a modality given as an image manifest (cetrus.imaging, cached)."""
    from cetrus.imaging import extract_features  # contract of the radiomics issue

    out = config.root / ".cetrus-features" / f"{modality.name}.parquet"
    return Path(extract_features(modality.manifest, out))


def _feature_table(path: Path, id_column: str, ids: pd.Series, clinical_name: str) -> pd.DataFrame:
    frame = _read(path)
    if id_column not in frame.columns:
        raise InputError(f"{path.name}: id column {id_column!r} not found "
                         f"(columns: {_columns_hint(frame)})")
    fids = frame[id_column].astype(str)
    if fids.duplicated().any():
        raise InputError(f"{path.name}: patient id {fids[fids.duplicated()].iloc[0]!r} occurs twice")
    missing = ids[~ids.isin(set(fids))]
    if len(missing):
        raise InputError(f"{path.name}: {len(missing)} patient(s) of {clinical_name} have no "
                         f"features (first: {missing.iloc[0]!r})")
    extra = fids[~fids.isin(set(ids))]
    if len(extra):
        raise InputError(f"{path.name}: {len(extra)} patient(s) are not in {clinical_name} "
                         f"(first: {extra.iloc[0]!r})")
    x = frame.set_index(fids).drop(columns=[id_column]).loc[ids.to_numpy()]
    nonnum = [c for c in x.columns if x[c].dtype.kind not in "iuf"]
    if nonnum:
        raise InputError(f"{path.name}: feature column {nonnum[0]!r} is not numeric")
    if x.isna().to_numpy().any():
        col = x.columns[x.isna().any().to_numpy()][0]
        raise InputError(f"{path.name}: feature column {col!r} has missing values")
    x.index = range(len(x))
    return x.astype(np.float64)


# --------------------------------------------------------------------------- the analysis

@dataclass
class _Model:
    name: str
    predictors: list[str]
    fit: Any
    prob: np.ndarray


def _table1(config, data: StudyData) -> dict:
    from cetrus.stats.baseline import table_one

    labels = {v.column: v.label for v in config.variables}
    frame = data.clinical.rename(columns=labels)
    frame["_group"] = np.where(data.y, config.outcome.case_label, config.outcome.control_label)
    cats = [v.label for v in config.variables if v.type == "categorical"]
    conts = [v.label for v in config.variables if v.type == "continuous"]
    t1 = table_one(frame, "_group", [v.label for v in config.variables], categorical=cats,
                   continuous=conts, order=[config.outcome.case_label, config.outcome.control_label],
                   labels={config.outcome.case_label: config.outcome.case_label,
                           config.outcome.control_label: config.outcome.control_label},
                   category_order={v.label: list(reversed(v.levels)) if v.levels[0] in ("No",)
                                   else list(v.levels) for v in config.variables
                                   if v.type == "categorical"},
                   percent_base="cohort", correct=config.selection.chisq_correct)
    # structured numbers per variable/group for results.json and the appendix
    stats: dict[str, Any] = {}
    for c in t1.comparisons:
        entry: dict[str, Any] = {"pvalue": c.pvalue, "test": c.test, "kind": c.kind}
        for s in c.summaries:
            key = "metastasis" if s.level == config.outcome.case_label else "non_metastasis"
            if c.kind == "continuous":
                entry[key] = {"median": s.median, "p25": s.p25, "p75": s.p75, "mean": s.mean,
                              "sd": s.sd, "n": s.n}
            else:
                entry[key] = {str(k): int(v) for k, v in s.counts}
        stats[c.variable] = entry
    return {"object": t1, "stats": stats}


def _table2(config, data: StudyData, train: np.ndarray) -> dict:
    from cetrus.stats.logistic import select_predictors, table_two

    rows = train if config.selection.clinical_cohort == "training" else np.ones_like(train)
    frame = data.clinical.loc[rows].reset_index(drop=True)
    ref = {v.column: v.reference for v in config.variables if v.type == "categorical"}
    sel = select_predictors(frame, "_y", [v.column for v in config.variables],
                            conf_level=config.selection.conf_level, reference=ref)
    return {"selection": sel, "table": table_two(sel), "cohort": config.selection.clinical_cohort,
            "n": int(rows.sum())}


def _variable_label(config, text: str) -> str:
    """``"drinking: Yes"`` → ``"Drinking: Yes"``; ``"plt"`` → ``"PLT"``."""
    column, sep, rest = text.partition(": ")
    for v in config.variables:
        if v.column == column.strip():
            return f"{v.label}{sep}{rest}"
    return text


def _icc(config, data: StudyData) -> dict:
    from cetrus.stats.reliability import icc_many

    out = {}
    for m in config.modalities:
        if m.name not in data.features_r2:
            continue
        ratings = np.stack([data.features[m.name].to_numpy(), data.features_r2[m.name].to_numpy()],
                           axis=1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = icc_many(ratings).estimate[config.selection.icc_form]
        est = est[np.isfinite(est)]
        out[m.name] = {"form": config.selection.icc_form, "mean": float(est.mean()),
                       "median": float(np.median(est)), "min": float(est.min()),
                       "max": float(est.max()), "fraction_above_0.9": float((est > 0.9).mean()),
                       "n_features": int(est.size), "estimates": est}
    return out


def _select(config, X: pd.DataFrame, y: np.ndarray, train: np.ndarray):
    from cetrus.stats.selection import select_features

    s = config.selection
    return select_features(X.loc[train].reset_index(drop=True), y[train].astype(int),
                           p_threshold=s.mwu_p, rho_threshold=s.spearman_rho, lasso=True,
                           folds=s.lasso_folds, seed=s.lasso_seed, lambda_rule=s.lasso_lambda)


def model_frame(config, data: StudyData, scores: dict[str, np.ndarray]) -> pd.DataFrame:
    """Clinical table for the models: categorical variables as 0/1 indicators of their
    non-reference level (so the nomogram and the models take numbers), plus the
    radiomics scores as ``score_<MODALITY>``."""
    frame = data.clinical.copy()
    for v in config.variables:
        if v.type == "categorical":
            frame[v.column] = (frame[v.column].astype(str) == v.levels[1]).astype(float)
    for name, score in scores.items():
        frame[f"score_{name}"] = score
    return frame


def _fit_models(config, data: StudyData, train: np.ndarray, retained: list[str],
                scores: dict[str, np.ndarray], integrated: str | None) -> dict[str, _Model]:
    from cetrus.stats.logistic import logit

    frame = model_frame(config, data, scores)
    tr = frame.loc[train].reset_index(drop=True)

    def fit(name: str, predictors: list[str]) -> _Model:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = logit(tr, "_y", predictors, conf_level=config.selection.conf_level)
        return _Model(name, predictors, res, np.asarray(res.predict_proba(frame), dtype=float))

    models = {}
    if retained:
        models["Clinical"] = fit("Clinical", list(retained))
    for name in scores:
        models[name] = fit(name, [f"score_{name}"])
    if integrated is not None:
        models["Integrated"] = fit("Integrated", list(retained) + [f"score_{integrated}"])
    return models


def _performance(models: dict[str, _Model], y: np.ndarray, train: np.ndarray,
                 conf_level: float) -> dict:
    from cetrus.stats.roc import auc_ci, diagnostic_metrics, youden_threshold

    perf: dict[str, dict] = {"training": {}, "test": {}}
    for name, m in models.items():
        thr = youden_threshold(y[train], m.prob[train], conf_level=conf_level)
        for cohort, mask in (("training", train), ("test", ~train)):
            auc = auc_ci(y[mask], m.prob[mask], conf_level=conf_level)
            dm = diagnostic_metrics(y[mask], m.prob[mask], thr.threshold, conf_level=conf_level)
            perf[cohort][name] = {
                "auc": auc.estimate, "auc_ci_low": auc.ci_low, "auc_ci_high": auc.ci_high,
                "auc_variance": auc.variance, "accuracy": dm.accuracy,
                "sensitivity": dm.sensitivity, "specificity": dm.specificity, "ppv": dm.ppv,
                "npv": dm.npv, "threshold": thr.threshold, "tp": dm.tp, "fp": dm.fp,
                "tn": dm.tn, "fn": dm.fn, "n": int(mask.sum()), "cases": int(y[mask].sum())}
    return perf


def _delong_pairs(models: dict[str, _Model], y: np.ndarray, mask: np.ndarray,
                  conf_level: float) -> list[dict]:
    from cetrus.stats.roc import roc_test

    names = [n for n in MODEL_ORDER if n in models]
    out = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = roc_test(y[mask], models[a].prob[mask], models[b].prob[mask],
                             conf_level=conf_level)
            out.append({"model_a": a, "model_b": b, "auc_a": t.estimate[0], "auc_b": t.estimate[1],
                        "difference": t.difference, "ci_low": t.ci_low, "ci_high": t.ci_high,
                        "statistic": t.statistic, "pvalue": t.pvalue, "method": "paired DeLong"})
    return out


def analyze(config, out: str | Path, *, log: Callable[[str], None] = lambda m: None) -> dict:
    """Run the study pipeline and write the results folder ``out`` atomically.

    Returns the results dict (also written as ``out/results.json``). Nothing is left
    at ``out`` when a step fails: the folder is built beside it and renamed at the end.
    """
    from cetrus.study.split import stratified_split

    t_start = time.perf_counter()
    out = Path(out)
    data = load_study(config)
    y = data.y
    sp = config.split
    # check every seed's split first: a seed leaving no case in a cohort is a clear error
    splits = {s: stratified_split(y, s, test_fraction=sp.test_fraction, stratify=sp.stratify,
                                  outcome_name=config.outcome.column) for s in sp.seeds}
    split = splits[sp.reported_seed]
    train = split.train
    with atomic_directory(out) as tmp:
        results = _run(config, data, splits, split, train, tmp, log)
        results["meta"]["seconds"] = round(time.perf_counter() - t_start, 2)
        _write_json(tmp / "results.json", results)
    return results


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(json_safe(obj), indent=1, allow_nan=False) + "\n")


def _run(config, data: StudyData, splits: dict, split, train: np.ndarray, tmp: Path,
         log: Callable[[str], None]) -> dict:
    from cetrus import __version__
    from cetrus.report import tables as T

    (tmp / "tables").mkdir()
    (tmp / "figures").mkdir()
    y = data.y
    dec = config.output.decimals
    timings: dict[str, float] = {}

    def step(name):
        timings[name] = time.perf_counter()
        log(f"analyze: {name}")

    def done(name):
        timings[name] = round(time.perf_counter() - timings[name], 2)

    results: dict[str, Any] = {
        "meta": {"title": config.title, "synthetic": config.synthetic, "config": str(config.path),
                 "cetrus_version": __version__,
                 "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                 "outcome": config.outcome.column, "outcome_label": config.outcome.label,
                 "modalities": [m.name for m in config.modalities],
                 "modality_labels": {m.name: m.label for m in config.modalities},
                 "replica_seed": config.replica.seed if config.replica else None},
        "cohort": {"n": int(y.size), "cases": int(y.sum()), "controls": int((~y).sum()),
                   "split_seed": split.seed, "split_seeds": list(config.split.seeds),
                   "test_fraction": split.test_fraction, "stratified": split.stratified,
                   "training": {"n": split.n_train, "cases": split.train_cases,
                                "controls": split.n_train - split.train_cases},
                   "test": {"n": split.n_test, "cases": split.test_cases,
                            "controls": split.n_test - split.test_cases}},
        "settings": json_safe({"selection": vars(config.selection), "models": vars(config.models),
                               "split": vars(config.split)}),
        "tables": {}, "figures": {}, "timings": timings,
    }

    # ---- Table 1
    step("table1")
    t1 = _table1(config, data)
    results["table1"] = {"stats": t1["stats"], "rows": t1["object"].to_dict()["rows"]}
    results["tables"]["table1"] = T.write_table(t1["object"].frame.drop(columns="Test"),
                                                tmp / "tables", "table1")
    done("table1")

    # ---- Table 2
    step("table2")
    t2 = _table2(config, data, train)
    sel = t2["selection"]
    retained = list(sel.retained)
    results["table2"] = {"cohort": t2["cohort"], "n": t2["n"], **sel.to_dict()}
    t2_frame = (t2["table"].frame if hasattr(t2["table"], "frame") else t2["table"]).copy()
    t2_frame.iloc[:, 0] = [_variable_label(config, str(x)) for x in t2_frame.iloc[:, 0]]
    results["tables"]["table2"] = T.write_table(t2_frame, tmp / "tables", "table2")
    done("table2")

    # ---- ICC
    step("icc")
    icc = _icc(config, data)
    results["icc"] = {k: {kk: vv for kk, vv in v.items() if kk != "estimates"} for k, v in icc.items()}
    results["tables"]["icc"] = T.write_table(T.icc_table(results["icc"], dec), tmp / "tables", "icc")
    done("icc")

    # ---- feature selection (training cohort only) and radiomics scores
    scores: dict[str, np.ndarray] = {}
    selections = {}
    results["selection"] = {}
    for m in config.modalities:
        step(f"selection {m.name}")
        X = data.features[m.name]
        fs = _select(config, X, y, train)
        selections[m.name] = fs
        scores[m.name] = np.asarray(fs.score(X), dtype=float)
        results["selection"][m.name] = {
            "n_features": int(X.shape[1]), "after_mwu": len(fs.after_mwu),
            "after_spearman": len(fs.after_spearman), "selected": len(fs.selected),
            "features": list(fs.selected), "lambda": fs.lambda_,
            "coefficients": {str(k): float(v) for k, v in dict(fs.coefficients).items()},
            "intercept": fs.intercept}
        done(f"selection {m.name}")
    results["tables"]["selection"] = T.write_table(
        T.selection_table(results["selection"], results["icc"], dec), tmp / "tables", "selection")

    # ---- models and performance
    step("models")
    modalities = [m.name for m in config.modalities]
    base = _fit_models(config, data, train, retained, scores, None)
    perf0 = _performance(base, y, train, config.selection.conf_level)
    if config.models.integrated == "best_test":
        integrated = max(modalities, key=lambda n: perf0["test"][n]["auc"])
    else:
        integrated = config.models.integrated
    models = _fit_models(config, data, train, retained, scores, integrated)
    perf = _performance(models, y, train, config.selection.conf_level)
    results["integrated_modality"] = integrated
    results["models"] = {name: {"predictors": m.predictors, **m.fit.to_dict()}
                         for name, m in models.items()}
    for drop in ("covariance",):
        for v in results["models"].values():
            v.pop(drop, None)
    results["performance"] = perf
    t3 = T.performance_table(perf, modalities, dec)
    t4 = T.performance_table(perf, [n for n in ("Clinical", integrated, "Integrated") if n in models],
                             dec, names={"Clinical": "Clinical model", integrated: f"{integrated} model",
                                         "Integrated": "Integrated model"})
    results["tables"]["table3"] = T.write_table(t3, tmp / "tables", "table3")
    results["tables"]["table4"] = T.write_table(t4, tmp / "tables", "table4")
    done("models")

    # ---- beyond the paper: DeLong pairs, calibration
    step("delong")
    results["delong"] = {c: _delong_pairs(models, y, mask, config.selection.conf_level)
                         for c, mask in (("training", train), ("test", ~train))}
    results["tables"]["delong"] = T.write_table(T.delong_table(results["delong"]["test"], dec),
                                                tmp / "tables", "delong")
    done("delong")
    step("calibration")
    from cetrus.stats.calibration import val_prob

    cal = val_prob(y[~train].astype(int), models["Integrated"].prob[~train])
    results["calibration"] = {"cohort": "test", "model": "Integrated", **cal.to_dict()}
    results["tables"]["calibration"] = T.write_table(T.calibration_table(results["calibration"], dec),
                                                     tmp / "tables", "calibration")
    done("calibration")

    # ---- figures
    step("figures")
    fmts = config.output.figure_formats
    results["figures"].update(_figures(config, data, train, selections, scores, models, integrated, perf,
                                       tmp / "figures", fmts, results))
    done("figures")

    # ---- spread of test AUCs over all split seeds
    if config.models.spread:
        step("spread")
        reported = ({n: perf["test"][n]["auc"] for n in models},
                    {n: results["selection"][n]["selected"] for n in modalities})
        results["spread"] = _spread(config, data, splits, retained, integrated, reported)
        results["tables"]["spread"] = T.write_table(T.spread_table(results["spread"], dec),
                                                    tmp / "tables", "spread")
        from cetrus.report.fig_roc import plot_auc_spread

        paths = plot_auc_spread(results["spread"], tmp / "figures" / "spread_test_auc",
                                formats=fmts, dpi=config.output.dpi)
        results["figures"]["spread"] = [p.name for p in paths]
        done("spread")

    # ---- published vs regenerated; values quoted by the manuscript text
    from cetrus.study import published as pub

    published = pub.load()
    comp = T.comparison_table(published, results, config)
    results["comparison"] = json_safe(comp.to_dict(orient="records"))
    results["tables"]["comparison"] = T.write_table(comp, tmp / "tables", "comparison")
    values = T.text_values(results, config)
    (tmp / "values.yml").write_text(json.dumps({"res": values}, indent=1, ensure_ascii=False) + "\n")
    results["values"] = values
    T.write_includes(results, tmp, config)
    return results


def _figures(config, data, train, selections, scores, models, integrated, perf, fig_dir: Path,
             fmts, results) -> dict:
    from cetrus.report.fig_calibration import plot_calibration
    from cetrus.report.fig_lasso import plot_lasso
    from cetrus.report.fig_nomogram import plot_nomogram
    from cetrus.report.fig_panels import compose_panels, placeholder
    from cetrus.report.fig_roc import plot_roc
    from cetrus.stats.nomogram import nomogram

    y = data.y
    figs: dict[str, Any] = {}
    # Figure 4: LASSO per modality, then one composite panel
    pngs = []
    for m in config.modalities:
        fs = selections[m.name]
        if fs.cv is None:  # nothing passed the screens: no LASSO to draw
            continue
        paths = plot_lasso(fs.cv.path, fs.cv, fig_dir / f"fig4_lasso_{m.name}", title=m.name)
        figs[f"fig4_{m.name}"] = [p.name for p in paths]
        pngs.append(next(p for p in paths if p.suffix == ".png"))
    if pngs:
        comp = compose_panels(pngs, fig_dir / "fig4_lasso.png",
                              labels=[f"({chr(65 + k)}) {p.stem.rsplit('_', 1)[-1]}"
                                      for k, p in enumerate(pngs)])
    else:  # a real outcome of the data, said in the figure rather than hidden
        comp = placeholder(fig_dir / "fig4_lasso.png",
                           "No feature passed the screens: no LASSO was fitted")
    figs["fig4"] = [comp.name]
    # Figure 5: test ROC curves of clinical, best modality, integrated
    names = [n for n in ("Clinical", integrated, "Integrated") if n in models]
    label = {"Clinical": "Clinical model", integrated: f"{integrated} model",
             "Integrated": "Integrated model"}
    mask = ~train
    curves = {f"{label[n]} (AUC = {perf['test'][n]['auc']:.3f})": (y[mask], models[n].prob[mask])
              for n in names}
    paths = plot_roc(curves, fig_dir / "fig5_roc_test", title="Test cohort", formats=fmts,
                     dpi=config.output.dpi)
    figs["fig5"] = [p.name for p in paths]
    # Figure 6: nomogram of the integrated model, refitted under display names (same data,
    # same coefficients) so the axes read "Drinking", "PLT", "CEUS score", not column names
    names = {v.column: (f"{v.label} ({v.levels[1]})" if v.type == "categorical" else v.label)
             for v in config.variables}
    names.update({f"score_{n}": f"{n} score" for n in scores})
    fr = model_frame(config, data, scores).rename(columns=names)
    tr = fr.loc[train].reset_index(drop=True)
    nom = nomogram(tr, "_y", [names.get(p, p) for p in models["Integrated"].predictors])
    paths = plot_nomogram(nom, fig_dir / "fig6_nomogram")
    figs["fig6"] = [p.name for p in paths]
    results["nomogram"] = {"predictors": list(nom.predictors), "scale": nom.scale,
                           "intercept": nom.intercept,
                           "axes": {k: {"values": a.values, "points": a.points}
                                    for k, a in nom.axes.items()}}
    # calibration of the integrated model (test)
    paths = plot_calibration(y[mask].astype(int), models["Integrated"].prob[mask],
                             fig_dir / "calibration_integrated_test")
    figs["calibration"] = [p.name for p in paths]
    return figs


_SPREAD_STATE: dict[str, Any] = {}


def _spread_one(seed: int) -> tuple[int, dict[str, float], dict[str, int]]:
    """Selection + every model on one split seed (run in a forked worker or inline)."""
    from threadpoolctl import threadpool_limits

    st = _SPREAD_STATE
    config, data, sp = st["config"], st["data"], st["splits"][seed]
    y = data.y
    scores, counts = {}, {}
    # one BLAS thread per worker process: the workers already use every core
    limit = 1 if st.get("parallel") else None
    with warnings.catch_warnings(), threadpool_limits(limits=limit):
        warnings.simplefilter("ignore")
        for m in config.modalities:
            fs = _select(config, data.features[m.name], y, sp.train)
            scores[m.name] = np.asarray(fs.score(data.features[m.name]), dtype=float)
            counts[m.name] = len(fs.selected)
        models = _fit_models(config, data, sp.train, st["retained"], scores, st["integrated"])
        perf = _performance(models, y, sp.train, config.selection.conf_level)
    return seed, {n: perf["test"][n]["auc"] for n in models}, counts


def _spread(config, data: StudyData, splits: dict, retained: list[str], integrated: str,
            reported: tuple[dict[str, float], dict[str, int]]) -> dict:
    """Refit selection and every model on each split seed; collect the test AUCs.

    The clinical predictors and the integrated modality are those chosen on the
    reported split (re-choosing them per split would mix model selection into the
    spread); the reported split itself is not refitted. Seeds run in parallel worker
    processes (``models.workers``; 0 = one per CPU core), each deterministic.
    """
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    _SPREAD_STATE.update(config=config, data=data, splits=splits, retained=retained,
                         integrated=integrated)
    todo = [s for s in splits if s != config.split.reported_seed]
    workers = config.models.workers or (os.cpu_count() or 1)
    workers = max(1, min(workers, len(todo)))
    per_seed = {config.split.reported_seed: reported}
    try:
        parallel = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
        _SPREAD_STATE["parallel"] = parallel
        if parallel:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
                for seed, aucs, counts in pool.map(_spread_one, todo):
                    per_seed[seed] = (aucs, counts)
        else:
            for seed in todo:
                _, aucs, counts = _spread_one(seed)
                per_seed[seed] = (aucs, counts)
    finally:
        _SPREAD_STATE.clear()
    seeds = list(splits)
    names = list(per_seed[seeds[0]][0])
    aucs = {n: [per_seed[s][0][n] for s in seeds] for n in names}
    counts = {m.name: [per_seed[s][1][m.name] for s in seeds] for m in config.modalities}
    summary = {name: {"min": float(np.min(v)), "median": float(np.median(v)),
                      "max": float(np.max(v)), "mean": float(np.mean(v)),
                      "sd": float(np.std(v, ddof=1)) if len(v) > 1 else float("nan")}
               for name, v in aucs.items()}
    return {"seeds": seeds, "reported_seed": config.split.reported_seed, "test_auc": aucs,
            "selected_counts": counts, "summary": summary, "workers": workers}
