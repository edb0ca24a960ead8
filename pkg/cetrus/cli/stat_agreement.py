"""``cetrus stat icc | nomogram``: rater agreement (psych's ICC) and rms nomograms."""

from __future__ import annotations

import argparse
from typing import Any

from cetrus.cli._common import (
    CLIError,
    add_data_argument,
    add_outcome_arguments,
    conf_level_type,
    load,
    outcome_column,
    path_type,
    read_table,
)


def register(kinds: argparse._SubParsersAction) -> None:
    icc = kinds.add_parser(
        "icc", help="six Shrout-Fleiss ICCs from long ratings (psych::ICC, lmer = FALSE)"
    )
    icc.add_argument(
        "data",
        type=path_type,
        metavar="DATA",
        help="CSV (or parquet), one row per (target, rater) rating",
    )
    icc.add_argument(
        "--targets", required=True, metavar="COL", help="rated subject (e.g. patient/ROI)"
    )
    icc.add_argument("--raters", required=True, metavar="COL", help="rater (e.g. sonographer)")
    icc.add_argument("--ratings", required=True, metavar="COL", help="numeric rating")
    icc.add_argument(
        "--conf-level",
        type=conf_level_type,
        default=0.95,
        help="confidence level of the ICC intervals, in (0, 1)",
    )
    icc.add_argument(
        "--drop-incomplete",
        action="store_true",
        help="drop targets lacking a rating from any rater (reported as n_dropped)",
    )
    icc.set_defaults(handler=_icc)

    nom = kinds.add_parser(
        "nomogram", help="points of rms::nomogram(lrm, fun = plogis) for a logistic model"
    )
    add_data_argument(nom)
    add_outcome_arguments(nom)
    nom.add_argument(
        "--predictor",
        required=True,
        action="append",
        metavar="COL",
        help="numeric predictor (repeat for each)",
    )
    nom.add_argument(
        "--figure",
        default=None,
        metavar="PATH",
        help="also draw the nomogram: PATH.png and PATH.svg (extension optional; "
        "default: no figure)",
    )
    nom.set_defaults(handler=_nomogram)


def _icc(args):
    from pathlib import Path

    from cetrus.stats.reliability import FORMS, icc

    frame = read_table(args.data)
    for col in (args.targets, args.raters, args.ratings):
        if col not in frame.columns:
            avail = ", ".join(map(str, frame.columns[:12]))
            raise CLIError(f"column {col!r} not found in {Path(args.data).name} (columns: {avail})")
    res = icc(
        frame,
        args.targets,
        args.raters,
        args.ratings,
        conf_level=args.conf_level,
        drop_incomplete=args.drop_incomplete,
    )
    out: dict[str, Any] = {form: res[form].to_dict() for form in FORMS}
    out.update(
        conf_level=res.conf_level,
        n_targets=res.n_targets,
        n_raters=res.n_raters,
        n_dropped=res.n_dropped,
        method=res.method,
    )
    return out


def _nomogram(args):
    from cetrus.stats.nomogram import nomogram

    predictors = list(dict.fromkeys(args.predictor))
    table = load(args.data, [args.outcome, *predictors], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    nom = nomogram(table.frame, args.outcome, predictors, positive=args.positive)
    total = nom.points(table.frame)
    prob = nom.probability(table.frame)
    out = {
        "scale": nom.scale,
        "intercept": nom.intercept,
        "axes": {
            p: {"values": a.values, "points": a.points, "discrete": a.discrete}
            for p, a in nom.axes.items()
        },
        "total_points_axis": nom.total_points_at,
        "linear_predictor_axis": {"values": nom.lp_at, "points": nom.lp_points},
        "risk_axis": {"values": nom.risk_at, "points": nom.risk_points},
        "coefficients": nom.coefficients,
        "rows": [{"total_points": float(t), "probability": float(p)} for t, p in zip(total, prob)],
        "n": len(table.frame),
        "method": nom.method,
    }
    if table.dropped_missing:
        out["dropped_missing"] = table.dropped_missing
    if args.figure:
        from pathlib import Path

        from cetrus.report.fig_nomogram import plot_nomogram

        stem = Path(args.figure)
        if stem.suffix.lower() in (".png", ".svg"):
            stem = stem.with_suffix("")
        out["figure"] = [str(p) for p in plot_nomogram(nom, stem)]
    return out
