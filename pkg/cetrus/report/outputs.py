"""Lay a study's results out: tables, figures, the text's values and its passages.

:func:`write_outputs` is called by :func:`cetrus.study.pipeline.analyze` with the results
of the steps (and the fitted objects the figures draw); it computes no statistic.

Written into the results folder:

* ``tables/NAME.csv|md`` — Table 1, Table 2, performance (all models), the paper's
  Table 4 shape (clinical, chosen modality, integrated), agreement, selection, model
  comparisons, calibration, spread, and the published-vs-regenerated appendix;
* ``figures/NAME.png|svg`` — ``lasso`` (one panel per modality), ``roc_test``,
  ``nomogram``, ``calibration_test``, ``spread_test_auc``;
* ``values.yml`` — every number the text quotes (``{{< meta res.KEY >}}``);
* ``include/*.md`` — the passages whose sentences depend on the study (see
  :mod:`cetrus.report.text`); a passage of a skipped step is empty.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cetrus.report import tables as T
from cetrus.report import text as X

__all__ = ["write_outputs", "FIGURES"]

#: figure stem → what it shows (the generic manuscript's figures)
FIGURES = {
    "lasso": "LASSO coefficient paths and cross-validated deviance per modality",
    "roc_test": "ROC curves in the test cohort",
    "nomogram": "nomogram of the final model",
    "calibration_test": "calibration of the final model in the test cohort",
    "spread_test_auc": "test AUC on every split seed",
    "calibration_models_training": "calibration of every model, training cohort",
    "calibration_models_test": "calibration of every model, test cohort",
    "decision_test": "decision curves of every model in the test cohort",
}


def write_outputs(
    results: dict,
    artifacts: dict,
    config,
    folder: Path,
    *,
    data=None,
    split=None,
    final_dir: Path | None = None,
) -> None:
    """Write tables, figures, ``values.yml`` and the passages into ``folder`` (the results
    folder being built; ``final_dir`` is where it will be renamed to)."""
    folder = Path(folder)
    for sub in ("tables", "figures", "include"):
        (folder / sub).mkdir(exist_ok=True)
    results.setdefault("tables", {})
    results.setdefault("figures", {})
    _tables(results, artifacts, config, folder / "tables")
    _figures(results, artifacts, config, folder / "figures", data, split)
    values = T.text_values(results, config)
    values.update(T.choice_values(results))
    results["values"] = values
    (folder / "values.yml").write_text(
        json.dumps({"res": values}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    X.write_passages(results, config, folder / "include", final_dir=final_dir or folder)
    _tripod(results, config, folder)


def _tripod(results: dict, config, folder: Path) -> None:
    """The TRIPOD+AI checklist: written last, as it locates the other passages, tables and
    figures in the manuscript (:mod:`cetrus.report.tripod`)."""
    from cetrus.report.tripod import write_tripod

    results["tables"]["tripod"] = write_tripod(results, config, folder)


def _tables(results: dict, artifacts: dict, config, folder: Path) -> None:
    dec = config.output.decimals
    tabs = results["tables"]
    t1 = artifacts["table1"]
    tabs["table1"] = T.write_table(T.table1_frame(t1, results, config), folder, "table1")
    tabs["table2"] = T.write_table(
        T.table2_frame(artifacts["table2"]["table"], results, config), folder, "table2"
    )
    if "icc" in results:
        tabs["icc"] = T.write_table(T.icc_table(results["icc"], dec), folder, "icc")
    tabs["selection"] = T.write_table(
        T.selection_table(results["selection"], results.get("icc", {}), dec), folder, "selection"
    )
    tabs["table1_cohort"] = T.write_table(
        T.table1_cohort_frame(artifacts["table1_cohort"], results, config), folder, "table1_cohort"
    )
    perf = results["performance"]
    names = T.model_names(results, config)
    conf = f"{100 * config.selection.conf_level:g}"
    tabs["performance"] = T.write_table(
        T.performance_table(perf, list(results["models"]), dec, names=names, conf=conf),
        folder,
        "performance",
    )
    modalities = [m.name for m in config.modalities]
    tabs["table3"] = T.write_table(
        T.performance_table(perf, modalities, dec, names=names, conf=conf), folder, "table3"
    )
    chosen = results["integrated_modality"]
    t4 = [n for n in ("Clinical", chosen, "Integrated") if n in results["models"]]
    tabs["table4"] = T.write_table(
        T.performance_table(perf, t4, dec, names=names, conf=conf), folder, "table4"
    )
    tabs["coefficients"] = T.write_table(
        T.coefficients_table(results["models"], config, dec, names=names, conf=conf),
        folder,
        "coefficients",
    )
    tabs["score_weights"] = T.write_table(
        T.score_weights_frame(results["selection"]), folder, "score_weights"
    )
    if "calibration_models" in results:
        tabs["calibration_models"] = T.write_table(
            T.calibration_models_table(results["calibration_models"], dec, names=names),
            folder,
            "calibration_models",
        )
    if "validation" in results or "validation_selection" in results:
        tabs["validation"] = T.write_table(
            T.validation_table(results, dec, names=names), folder, "validation"
        )
    if "decision" in results:
        T.decision_frame(results["decision"], names).to_csv(
            folder / "decision_curve.csv", index=False
        )
        tabs["decision"] = T.write_table(
            T.decision_table(results["decision"], dec, names), folder, "decision"
        ) + ["decision_curve.csv"]
    if "sample_size" in results:
        tabs["sample_size"] = T.write_table(
            T.sample_size_table(results["sample_size"]), folder, "sample_size"
        )
    if results.get("integrated_choice", {}).get("cv"):
        tabs["integrated_choice"] = T.write_table(
            T.integrated_choice_table(results["integrated_choice"], dec, names=names),
            folder,
            "integrated_choice",
        )
    if "comparisons" in results:
        results["delong"] = results["comparisons"]  # the name the replica's text uses
        tabs["delong"] = T.write_table(
            T.delong_table(results["comparisons"]["test"], dec, names=names), folder, "delong"
        )
    if "calibration" in results:
        tabs["calibration"] = T.write_table(
            T.calibration_table(results["calibration"], dec), folder, "calibration"
        )
    if "spread" in results:
        tabs["spread"] = T.write_table(
            T.spread_table(results["spread"], dec, names=names), folder, "spread"
        )
    if config.published is not None:
        from cetrus.study import published as pub

        comp = T.comparison_table(pub.load(config.published), results, config)
        results["comparison"] = comp.to_dict(orient="records")
        tabs["comparison"] = T.write_table(comp, folder, "comparison")


def _example_rois(config, data) -> tuple[list[dict], str]:
    """One analysed case and one control of the first modality given as images, each with
    every rater's mask (the first such patients in the manifest's order)."""
    from cetrus.imaging.io import read_image, read_mask
    from cetrus.imaging.manifest import ManifestRow, read_manifest

    modality = next((m for m in config.modalities if m.manifest is not None), None)
    if modality is None:
        return [], ""
    analysed = dict(zip(data.clinical[config.id_column].astype(str), data.y))
    rows: dict[str, dict[str, ManifestRow]] = {}
    for row in read_manifest(modality.manifest):
        if row.modality == modality.name and row.patient_id in analysed:
            rows.setdefault(row.patient_id, {})[row.rater] = row
    examples = []
    for want, label in ((True, config.outcome.case_label), (False, config.outcome.control_label)):
        pid = next((p for p, raters in rows.items() if bool(analysed[p]) == want), None)
        if pid is None:
            continue
        raters = rows[pid]
        first = next(iter(raters.values()))
        image = read_image(first.image)
        masks = {r: read_mask(row.mask) for r, row in raters.items()}
        # raters who delineated on another image of another size are left out of the panel
        masks = {r: m for r, m in masks.items() if m.shape == image.shape[:2]}
        examples.append({"title": f"{modality.name}: {label}", "image": image, "masks": masks})
    return examples, modality.name


def _figures(results: dict, artifacts: dict, config, folder: Path, data, split) -> None:
    from cetrus.report.fig_calibration import plot_calibration, plot_calibration_grid
    from cetrus.report.fig_flow import plot_example_rois, plot_flow
    from cetrus.report.fig_lasso import plot_lasso, plot_lasso_rows
    from cetrus.report.fig_nomogram import plot_nomogram
    from cetrus.report.fig_panels import placeholder
    from cetrus.report.fig_roc import plot_auc_spread, plot_roc

    figs = results["figures"]
    fmts = config.output.figure_formats
    dpi = config.output.dpi
    y = data.y
    train = split.train
    test = ~train
    names = T.model_names(results, config)
    # LASSO per modality, then the manuscript's figure: one full-width row per modality
    # (drawn, not pasted from the per-modality images: sharp in every format)
    rows = []
    for m in config.modalities:
        fs = artifacts["selections"][m.name]
        if fs.cv is None:  # nothing passed the screens: no LASSO to draw
            continue
        paths = plot_lasso(
            fs.cv.path, fs.cv, folder / f"lasso_{m.name}", title=m.name, formats=fmts
        )
        figs[f"lasso_{m.name}"] = [p.name for p in paths]
        rows.append((m.name, fs.cv.path, fs.cv))
    if rows:  # the manuscript embeds the PNG; the other formats as the study asks
        comp = plot_lasso_rows(
            rows, folder / "lasso", formats=["png"] + [f for f in fmts if f != "png"]
        )
        figs["lasso"] = [p.name for p in comp]
    else:  # a real outcome of the data, said in the figure rather than hidden
        note = placeholder(
            folder / "lasso.png", "No feature passed the screens: no LASSO was fitted"
        )
        figs["lasso"] = [note.name]
    # ROC curves, test cohort: the models of the paper's Figure 5 (clinical, chosen
    # modality, integrated), or every modality when there is no clinical model
    models = artifacts["models"]
    chosen = results["integrated_modality"]
    shown = [n for n in ("Clinical", chosen, "Integrated") if n in models]
    if len(shown) == 1:
        shown = list(models)
    perf = results["performance"]["test"]
    curves = {
        f"{names[n]} (AUC = {perf[n]['auc']:.3f})": (y[test], models[n].prob[test]) for n in shown
    }
    paths = plot_roc(curves, folder / "roc_test", title="Test cohort", formats=fmts, dpi=dpi)
    figs["roc_test"] = [p.name for p in paths]
    results["roc_test_models"] = shown
    # flow of participants (always) and example ROIs (when the study gives images)
    paths = plot_flow(
        results, config, folder / "flow", formats=["png"] + [f for f in fmts if f != "png"], dpi=dpi
    )
    figs["flow"] = [p.name for p in paths]
    examples, modality = _example_rois(config, data)
    if examples:
        paths = plot_example_rois(
            examples,
            folder / "example_rois",
            formats=["png"] + [f for f in fmts if f != "png"],
            dpi=dpi,
        )
        figs["example_rois"] = [p.name for p in paths]
        results["example_rois"] = {"modality": modality, "n": len(examples)}
    # nomogram of the final model
    if "nomogram" in results:
        paths = plot_nomogram(
            artifacts["nomogram"],
            folder / "nomogram",
            tick_labels=results["nomogram"]["tick_labels"],
            risk_label=f"Risk of {config.outcome.label.lower()}",
            formats=fmts,
        )
        figs["nomogram"] = [p.name for p in paths]
    # calibration of the final model (test)
    if "calibration" in results:
        final = results["calibration"]["model"]
        paths = plot_calibration(
            y[test].astype(int),
            models[final].prob[test],
            folder / "calibration_test",
            formats=fmts,
            dpi=dpi,
        )
        figs["calibration_test"] = [p.name for p in paths]
    # calibration of every model, one panel per model, per cohort (two panels per row)
    if "calibration_models" in results:
        for cohort, mask in (("training", train), ("test", test)):
            panels: list[tuple[str, Any, Any]] = []  # (title, outcome, predicted risk)
            for name, per in results["calibration_models"].items():
                if "skipped" in per.get(cohort, {"skipped": ""}):
                    continue
                paths = plot_calibration(
                    y[mask].astype(int),
                    models[name].prob[mask],
                    folder / f"calibration_{name}_{cohort}",
                    title=names[name],
                    formats=fmts,
                    dpi=dpi,
                )
                figs[f"calibration_{name}_{cohort}"] = [p.name for p in paths]
                letter = chr(65 + len(panels))
                panels.append(
                    (f"({letter}) {names[name]}", y[mask].astype(int), models[name].prob[mask])
                )
            stem = folder / f"calibration_models_{cohort}"
            if panels:
                comp = plot_calibration_grid(
                    panels, stem, dpi=dpi, formats=["png"] + [f for f in fmts if f != "png"]
                )
                figs[f"calibration_models_{cohort}"] = [p.name for p in comp]
            else:
                note = placeholder(
                    stem.with_suffix(".png"),
                    f"No model has calibration statistics in the {cohort} cohort (separated fits)",
                )
                figs[f"calibration_models_{cohort}"] = [note.name]
    if "decision" in results:
        from cetrus.report.fig_decision import plot_decision

        paths = plot_decision(
            results["decision"],
            folder / "decision_test",
            names=names,
            title="Test cohort",
            formats=fmts,
            dpi=dpi,
        )
        figs["decision_test"] = [p.name for p in paths]
    if "spread" in results:
        paths = plot_auc_spread(
            results["spread"], folder / "spread_test_auc", formats=fmts, dpi=dpi
        )
        figs["spread_test_auc"] = [p.name for p in paths]
