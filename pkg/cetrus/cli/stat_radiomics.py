"""``cetrus stat select | lasso``: the radiomics feature selection and the LASSO path."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from cetrus.cli._common import (
    CLIError,
    add_data_argument,
    add_outcome_arguments,
    int_range,
    load,
    numeric_column,
    outcome_column,
    seed_type,
    with_provenance,
)


def register(kinds: argparse._SubParsersAction) -> None:
    sel = kinds.add_parser(
        "select", help="Mann-Whitney → Spearman → LASSO selection (wilcox.test, cor, cv.glmnet)"
    )
    _common(sel)
    sel.add_argument(
        "--p-threshold",
        type=float,
        default=0.05,
        metavar="P",
        help="keep features with Mann-Whitney p < P (default 0.05)",
    )
    sel.add_argument(
        "--rho-threshold",
        type=float,
        default=0.9,
        metavar="R",
        help="Spearman redundancy threshold: keep when |rho| <= R (default 0.9)",
    )
    sel.add_argument("--no-lasso", action="store_true", help="stop after the Spearman filter")
    sel.add_argument(
        "--folds", type=int_range(3, 1000), default=10, metavar="K", help="CV folds (default 10)"
    )
    sel.add_argument(
        "--seed", type=seed_type, default=0, help="seed of the fold assignment (default 0)"
    )
    sel.add_argument(
        "--foldid",
        default=None,
        metavar="COL",
        help="column with each row's fold (overrides --folds/--seed; default: "
        "none, folds drawn from --folds and --seed)",
    )
    sel.add_argument(
        "--lambda-rule",
        choices=["min", "1se"],
        default="min",
        help="lambda.min (default) or lambda.1se",
    )
    sel.set_defaults(handler=_select)

    las = kinds.add_parser(
        "lasso", help="LASSO logistic path at given lambdas (glmnet(family='binomial', lambda=…))"
    )
    _common(las)
    las.add_argument(
        "--lambda",
        dest="lambdas",
        type=float,
        action="append",
        required=True,
        metavar="L",
        help="a penalty; repeat for several (reported decreasing, as glmnet)",
    )
    las.set_defaults(handler=_lasso)


def _common(p: argparse.ArgumentParser) -> None:
    add_data_argument(p)
    add_outcome_arguments(p)
    p.add_argument(
        "--feature-prefix",
        required=True,
        metavar="P",
        help="use every column whose name starts with P as a feature",
    )


def _features(args, extra: Sequence[str] = ()):
    from cetrus.cli._common import read_table

    head = read_table(args.data)
    cols = [
        str(c)
        for c in head.columns
        if str(c).startswith(args.feature_prefix) and str(c) != args.outcome and c not in extra
    ]
    if not cols:
        raise CLIError(f"no column of {args.data} starts with {args.feature_prefix!r}")
    table = load(args.data, [args.outcome, *extra, *cols], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    import pandas as pd

    X = pd.DataFrame({c: numeric_column(table, c) for c in cols})
    return table, X


def _select(args):
    from cetrus.stats.selection import select_features

    extra = [args.foldid] if args.foldid else []
    table, X = _features(args, extra)
    foldid = numeric_column(table, args.foldid).astype(int) if args.foldid else None
    res = select_features(
        X,
        table.frame[args.outcome],
        p_threshold=args.p_threshold,
        rho_threshold=args.rho_threshold,
        lasso=not args.no_lasso,
        folds=args.folds,
        seed=args.seed,
        foldid=foldid,
        lambda_rule=args.lambda_rule,
        positive=args.positive,
    )
    out = {
        "mwu_pvalues": res.mwu_pvalues,
        "after_mwu": list(res.after_mwu),
        "after_spearman": list(res.after_spearman),
        "selected": list(res.selected),
        "coefficients": res.coefficients,
        "intercept": res.intercept,
        "lambda": res.lambda_,
        "lambda_rule": res.lambda_rule,
        "p_threshold": res.p_threshold,
        "rho_threshold": res.rho_threshold,
        "n_cases": res.n_cases,
        "method": res.method,
    }
    if res.cv is not None:
        out.update(
            {
                "lambda_min": res.cv.lambda_min,
                "lambda_1se": res.cv.lambda_1se,
                "folds": res.cv.n_folds,
                "seed": res.cv.seed,
            }
        )
    return with_provenance(out, table)


def _lasso(args):
    from cetrus.stats.lasso import lasso_path

    table, X = _features(args)
    res = lasso_path(X, table.frame[args.outcome], lambdas=args.lambdas, positive=args.positive)
    out = {
        "lambda": res.lambdas,
        "intercept": res.intercept,
        "coef": {f: res.coef[j] for j, f in enumerate(res.features)},
        "dev_ratio": res.dev_ratio,
        "null_deviance": res.null_deviance,
        "n_cases": res.n_cases,
        "method": res.method,
    }
    return with_provenance(out, table)
