"""A study, end to end: ``cetrus analyze --config study.toml``.

1. :func:`cetrus.study.data.load_study` reads and checks the inputs (missing values per
   ``[missing] policy``; features per modality and rater, extracted from images when a
   modality names a manifest).
2. Every split seed is drawn (a seed leaving a cohort without cases is a clear error).
3. The named steps of :mod:`cetrus.study.steps` run in order on the reported split;
   each returns its own part of the results (or the reason it does not apply).
4. :mod:`cetrus.report.outputs` lays the results out: ``tables/*.csv|md``,
   ``figures/*.png|svg``, ``values.yml`` (the numbers the manuscript's text quotes),
   ``include/*.md`` (the study-dependent passages of the manuscript), and
   ``inputs.json``, the content hash of the inputs (:mod:`cetrus.study.freshness`).

Everything lands in one folder, written atomically (built next to it, then renamed),
with ``results.json`` holding every number at full precision. A rerun on the same inputs
writes the same bytes into every file but one: ``run.json``, the run's clock (when it ran,
seconds per phase and step), which is kept out of ``results.json`` for that reason.
"""

from __future__ import annotations

import datetime as _dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cetrus._fs import atomic_directory, check_output
from cetrus._results import json_safe
from cetrus.study.data import StudyData, load_study
from cetrus.study.freshness import fingerprint, write_fingerprint
from cetrus.study.steps import Context, model_frame, run_steps

__all__ = ["analyze", "load_study", "StudyData", "default_results_dir", "model_frame"]


def default_results_dir(config) -> Path:
    """The results folder of a study: ``[output] dir``, relative to the config."""
    return config.results_dir


def _meta(config, data: StudyData) -> dict:
    from cetrus import __version__

    return {
        "title": config.title,
        "synthetic": config.synthetic,
        "config": str(config.path),
        "cetrus_version": __version__,
        "outcome": config.outcome.column,
        "outcome_label": config.outcome.label,
        "disease": config.disease,
        "authors": config.authors,
        "modalities": [m.name for m in config.modalities],
        "modality_labels": {m.name: m.label for m in config.modalities},
        "raters": {m: list(r) for m, r in data.raters.items()},
        "model_rater": dict(data.model_rater),
        "feature_sources": dict(data.feature_sources),
        "extraction": (
            vars(config.extraction) if any(m.manifest for m in config.modalities) else None
        ),
        "replica_seed": config.replica.seed if config.replica else None,
    }


def _cohort(config, data: StudyData, split) -> dict:
    y = data.y
    return {
        "n": int(y.size),
        "cases": int(y.sum()),
        "controls": int((~y).sum()),
        "n_input": data.exclusions.get("n_input", int(y.size)),
        "split_seed": split.seed,
        "split_seeds": list(config.split.seeds),
        "test_fraction": split.test_fraction,
        "stratified": split.stratified,
        "training": {
            "n": split.n_train,
            "cases": split.train_cases,
            "controls": split.n_train - split.train_cases,
        },
        "test": {
            "n": split.n_test,
            "cases": split.test_cases,
            "controls": split.n_test - split.test_cases,
        },
    }


def analyze(
    config, out: str | Path | None = None, *, log: Callable[[str], None] = lambda m: None
) -> dict:
    """Run the study pipeline and write the results folder ``out`` atomically.

    Returns the results dict (written as ``out/results.json``, but for its ``run`` part:
    the run's clock, written as ``out/run.json``). Nothing is left
    at ``out`` when a step fails: the folder is built beside it and renamed at the end.
    """
    from cetrus._optional import require_extra

    require_extra("study", "cetrus.study.analyze")  # before minutes of work, not after
    from cetrus.report.outputs import write_outputs
    from cetrus.study.split import stratified_split

    t_start = time.perf_counter()
    out = Path(out) if out is not None else default_results_dir(config)
    check_output(out, "results")  # before minutes of analysis, not after
    inputs = fingerprint(config)  # what this analysis is computed from (freshness)
    data = load_study(config, log=log)
    t_loaded = time.perf_counter()
    sp = config.split
    splits = {
        s: stratified_split(
            data.y,
            s,
            test_fraction=sp.test_fraction,
            stratify=sp.stratify,
            outcome_name=config.outcome.column,
        )
        for s in sp.seeds
    }
    split = splits[sp.reported_seed]
    results: dict[str, Any] = {
        "meta": _meta(config, data),
        "cohort": _cohort(config, data, split),
        "missing": data.exclusions,
        "settings": json_safe(
            {
                "selection": vars(config.selection),
                "models": vars(config.models),
                "split": vars(config.split),
                "table1": vars(config.table1),
                "missing": vars(config.missing),
            }
        ),
        "steps": {},
        "run": {
            "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "timings": {"load (incl. feature extraction)": round(t_loaded - t_start, 2)},
        },
    }
    ctx = Context(config, data, splits, split, log, results)
    run_steps(ctx)
    with atomic_directory(out, kind="results") as tmp:
        log("analyze: tables, figures and text values")
        t_out = time.perf_counter()
        write_fingerprint(tmp, inputs)
        write_outputs(
            results, ctx.artifacts, config, tmp, data=data, split=split, final_dir=out.resolve()
        )
        run = results["run"]
        run["timings"]["outputs (tables, figures, text)"] = round(time.perf_counter() - t_out, 2)
        run["seconds"] = round(time.perf_counter() - t_start, 2)
        numbers = {k: v for k, v in results.items() if k != "run"}
        (tmp / "results.json").write_text(
            json.dumps(json_safe(numbers), indent=1, allow_nan=False) + "\n", encoding="utf-8"
        )
        (tmp / "run.json").write_text(json.dumps(json_safe(run), indent=1) + "\n", encoding="utf-8")
    return results
