"""``cetrus stat auc | roc-test | threshold``."""

from __future__ import annotations

import argparse

from cetrus.cli._common import (
    CLIError,
    add_data_argument,
    add_outcome_arguments,
    conf_level_type,
    int_range,
    load,
    numeric_column,
    outcome_column,
    seed_type,
    warn,
    with_provenance,
)


def register(kinds: argparse._SubParsersAction) -> None:
    auc = kinds.add_parser("auc", help="AUC with DeLong or bootstrap CI (pROC's ci.auc)")
    _common(auc)
    auc.add_argument("--score", required=True, metavar="COL", help="numeric marker column")
    auc.add_argument(
        "--method",
        choices=["delong", "bootstrap"],
        default="delong",
        help="delong: DeLong's variance, normal interval; bootstrap: stratified "
        "percentile interval (pROC's ci.auc methods)",
    )
    auc.add_argument(
        "--n-boot",
        type=int_range(2, 1_000_000),
        default=2000,
        help="bootstrap resamples of --method bootstrap (2 to 1,000,000; default 2000)",
    )
    auc.add_argument(
        "--seed",
        type=seed_type,
        default=None,
        help="seed of the bootstrap resamples (default: none, a fresh random "
        "draw each run; give one to reproduce a bootstrap CI)",
    )
    auc.set_defaults(handler=_auc)

    test = kinds.add_parser("roc-test", help="paired DeLong test of two AUCs (pROC's roc.test)")
    _common(test)
    test.add_argument(
        "--score",
        required=True,
        action="append",
        metavar="COL",
        help="give twice: the two scores to compare",
    )
    test.add_argument(
        "--method",
        choices=["delong"],
        default="delong",
        help='paired DeLong test (pROC\'s roc.test method = "delong")',
    )
    test.set_defaults(handler=_roc_test)

    thr = kinds.add_parser(
        "threshold", help="diagnostic metrics at a threshold or the Youden point"
    )
    _common(thr)
    thr.add_argument("--score", required=True, metavar="COL", help="numeric marker column")
    group = thr.add_mutually_exclusive_group()
    group.add_argument(
        "--rule",
        choices=["youden"],
        default=None,
        help="youden: the threshold maximising sensitivity + specificity "
        '(pROC\'s coords(best.method = "youden"); default: youden '
        "unless --threshold is given)",
    )
    group.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="T",
        help="apply a fixed threshold (e.g. one chosen on a training cohort; "
        "default: none, the Youden point)",
    )
    thr.set_defaults(handler=_threshold)


def _common(p: argparse.ArgumentParser) -> None:
    add_data_argument(p)
    add_outcome_arguments(p)
    p.add_argument(
        "--direction",
        choices=["<", ">", "auto"],
        default="<",
        help="pROC's direction: '<' controls score lower than cases, '>' higher, "
        "'auto' '<' when median(controls) <= median(cases)",
    )
    p.add_argument(
        "--conf-level",
        type=conf_level_type,
        default=0.95,
        help="confidence level of the intervals, in (0, 1)",
    )


def _auc(args):
    import warnings

    from cetrus.errors import AUCBelowHalfWarning
    from cetrus.stats import auc_ci

    table = load(args.data, [args.outcome, args.score], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", AUCBelowHalfWarning)
        res = auc_ci(
            table.frame[args.outcome],
            numeric_column(table, args.score),
            direction=args.direction,
            conf_level=args.conf_level,
            method=args.method,
            n_boot=args.n_boot,
            seed=args.seed,
            positive=args.positive,
        )
    out = res.to_dict()
    below = [str(w.message) for w in caught if issubclass(w.category, AUCBelowHalfWarning)]
    for w in caught:
        if not issubclass(w.category, AUCBelowHalfWarning):  # anything else: as before
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if below:
        # the AUC is reported under the direction asked for; say that it is below 0.5
        warn(below[0])
        out["warning"] = below[0]
    return with_provenance(out, table)


def _roc_test(args):
    from cetrus.stats import roc_test

    if len(args.score) != 2:
        raise CLIError(f"roc-test needs --score exactly twice; got {len(args.score)}")
    a, b = args.score
    table = load(args.data, [args.outcome, a, b], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    res = roc_test(
        table.frame[args.outcome],
        numeric_column(table, a),
        numeric_column(table, b),
        direction=args.direction,
        conf_level=args.conf_level,
        positive=args.positive,
    )
    out = res.to_dict()
    out["scores"] = [a, b]
    return with_provenance(out, table)


def _threshold(args):
    from cetrus.stats import diagnostic_metrics, youden_threshold

    table = load(args.data, [args.outcome, args.score], drop_missing=args.drop_missing)
    outcome_column(table, args.outcome, args.positive)
    y, x = table.frame[args.outcome], numeric_column(table, args.score)
    if args.threshold is not None:
        res = diagnostic_metrics(
            y,
            x,
            args.threshold,
            direction=args.direction,
            conf_level=args.conf_level,
            positive=args.positive,
        )
    else:
        res = youden_threshold(
            y, x, direction=args.direction, conf_level=args.conf_level, positive=args.positive
        )
    return with_provenance(res.to_dict(), table)
