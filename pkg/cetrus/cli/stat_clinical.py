"""``cetrus stat compare | logit | calibration`` (Tables 1 and 2, calibration)."""

from __future__ import annotations

import argparse

from cetrus.cli._common import (
    CLIError,
    add_data_argument,
    add_outcome_arguments,
    conf_level_type,
    load,
    numeric_column,
    outcome_column,
    with_provenance,
)


def register(kinds: argparse._SubParsersAction) -> None:
    cmp_ = kinds.add_parser(
        "compare",
        help="compare a variable between two groups (Table 1 row: "
        "t.test / wilcox.test / chisq.test / fisher.test)",
    )
    add_data_argument(cmp_)
    cmp_.add_argument("--group", required=True, metavar="COL", help="two-level group column")
    cmp_.add_argument("--variable", required=True, metavar="COL", help="the variable compared")
    cmp_.add_argument(
        "--test",
        choices=["auto", "student", "welch", "mwu", "chisq", "fisher"],
        default="auto",
        help="auto: the paper's rule (Shapiro-Wilk + Levene; "
        "chi-squared or Fisher when an expected count < 5)",
    )
    cmp_.add_argument(
        "--kind",
        choices=["continuous", "categorical"],
        default=None,
        help="how to treat --variable (default: categorical for text, boolean "
        "and numeric columns with at most two values; else continuous)",
    )
    cmp_.set_defaults(handler=_compare)

    lg = kinds.add_parser("logit", help="logistic regression odds ratios (glm, binomial)")
    add_data_argument(lg)
    add_outcome_arguments(lg)
    lg.add_argument(
        "--predictor",
        required=True,
        action="append",
        metavar="COL",
        help="repeat for several predictors",
    )
    lg.add_argument(
        "--ci",
        choices=["wald", "profile", "profile_exact"],
        default="wald",
        help="wald: confint.default; profile: confint(glm) as R computes it "
        "(profile + spline); profile_exact: the exact profile roots",
    )
    lg.add_argument(
        "--fit",
        choices=["glm", "converged"],
        default="glm",
        help="glm: R's glm.fit at glm.control() defaults; converged: IRLS to full convergence",
    )
    lg.add_argument(
        "--conf-level",
        type=conf_level_type,
        default=0.95,
        help="confidence level of the odds ratios' intervals, in (0, 1)",
    )
    lg.add_argument(
        "--univariate", action="store_true", help="one model per predictor (one row each)"
    )
    lg.add_argument(
        "--scale",
        choices=["unit", "sd", "iqr"],
        default=None,
        help="report ORs of numeric predictors per unit, SD or IQR (default: per unit)",
    )
    lg.add_argument(
        "--reference",
        action="append",
        default=[],
        metavar="COL=LEVEL",
        help="reference level of a categorical predictor; repeat for several "
        "(default: the first level, sorted, as R's factor)",
    )
    lg.set_defaults(handler=_logit)

    cal = kinds.add_parser("calibration", help="calibration of probabilities (rms::val.prob)")
    add_data_argument(cal)
    add_outcome_arguments(cal)
    cal.add_argument("--prob", required=True, metavar="COL", help="predicted probability column")
    cal.set_defaults(handler=_calibration)


def _compare(args):
    from cetrus.stats.groups import compare_groups

    table = load(args.data, [args.group, args.variable], drop_missing=args.drop_missing)
    from cetrus.errors import InputError

    try:
        res = compare_groups(table.frame, args.group, args.variable, test=args.test, kind=args.kind)
    except InputError as exc:
        raise CLIError(f"{table.path.name}: {exc}") from None
    out = res.to_dict()
    out["groups"] = out.pop("summaries")
    return with_provenance(out, table)


def _references(items: list[str]) -> dict[str, str] | None:
    refs = {}
    for item in items:
        col, sep, level = item.partition("=")
        if not sep or not col:
            raise CLIError(f"--reference must be COL=LEVEL; got {item!r}")
        refs[col] = level
    return refs or None


def _logit(args):
    import warnings

    from cetrus.cli._common import warn
    from cetrus.errors import SeparationWarning
    from cetrus.stats.logistic import logit, univariate_logit

    table = load(args.data, [args.outcome, *args.predictor], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    kw = dict(
        ci=args.ci,
        conf_level=args.conf_level,
        positive=args.positive,
        reference=_references(args.reference),
        scale=args.scale,
        fit=args.fit,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SeparationWarning)
        if args.univariate:
            fits = univariate_logit(table.frame, args.outcome, args.predictor, **kw)
        else:
            fits = (logit(table.frame, args.outcome, args.predictor, **kw),)
    for w in caught:
        warn(str(w.message))
    keys = ("term", "coef", "se", "statistic", "pvalue", "odds_ratio", "ci_low", "ci_high", "per")
    if args.univariate:
        terms = [
            dict({k: getattr(t, k) for k in keys}, predictor=f.predictors[0], converged=f.converged)
            for f in fits
            for t in f.terms[1:]
        ]
    else:
        terms = [{k: getattr(t, k) for k in keys} for t in fits[0].terms]
    first = fits[0]
    out = {
        "terms": terms,
        "n": first.n,
        "events": first.events,
        "converged": all(f.converged for f in fits),
        "ci_method": first.ci_method,
        "conf_level": first.conf_level,
        "outcome": args.outcome,
        "levels": list(first.levels),
        "univariate": bool(args.univariate),
        "separation": sorted({t for f in fits for t in f.separation}),
        "method": first.method,
    }
    if not args.univariate:
        out.update(deviance=first.deviance, null_deviance=first.null_deviance, aic=first.aic)
    return with_provenance(out, table)


def _calibration(args):
    from cetrus.errors import InputError
    from cetrus.stats.calibration import val_prob

    table = load(args.data, [args.outcome, args.prob], drop_missing=args.drop_missing)
    coded = outcome_column(table, args.outcome, args.positive)
    prob = numeric_column(table, args.prob)
    try:
        res = val_prob(coded.is_case.astype(int), prob)
    except InputError as exc:
        raise CLIError(f"{table.path.name}: column {args.prob!r}: {exc}") from None
    out = res.to_dict()
    out["levels"] = list(coded.levels)
    return with_provenance(out, table)
