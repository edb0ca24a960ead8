"""``cetrus validate``: numbers against R, of a study or of the package.

``cetrus validate --config study.toml [--results DIR]`` runs the R twin of every number
in the study's tables (:func:`cetrus.study.parity.validate_study`) on the results folder
``cetrus analyze`` wrote, writes ``parity.csv``, ``parity.md`` and ``parity-summary.txt``
into it, prints the summary (stderr) and a JSON line of counts (stdout).

``cetrus validate --suite [-k SUBSTR]`` runs the package's live R parity suite instead
(``python -m validation``: every case of a checkout's ``validation/``, or those whose
``statistic::name`` contains SUBSTR), writing ``validation/_results/parity.csv``.

Exit status: 0 when every check passes, 1 when one fails, 2 with one line when R is
missing or the input is bad (no results folder: run ``cetrus analyze`` first; --suite
outside a checkout).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cetrus.cli._common import path_type, positive_int_type

ICC_FEATURES = 12


def register(commands: argparse._SubParsersAction) -> None:
    val = commands.add_parser(
        "validate",
        help="check every number of the study's tables "
        "against R (writes parity.csv beside the results); --suite: the "
        "package's own R parity suite",
    )
    val.add_argument(
        "--config",
        type=path_type,
        default=None,
        metavar="TOML",
        help="study config (default: ./study.toml)",
    )
    val.add_argument(
        "--results",
        type=path_type,
        default=None,
        metavar="DIR",
        help="results folder of `cetrus analyze` (default: the config's)",
    )
    val.add_argument(
        "--icc-features",
        type=positive_int_type,
        default=None,
        metavar="N",
        help=f"features per modality compared one by one with psych::ICC "
        f"(default: {ICC_FEATURES}; every feature is checked through psych's "
        f"formulas)",
    )
    val.add_argument(
        "--suite",
        action="store_true",
        help="run the live R parity suite of a cetrus checkout (= python -m "
        "validation) instead of a study's numbers (default: the study)",
    )
    val.add_argument(
        "-k",
        dest="select",
        default=None,
        metavar="SUBSTR",
        help="with --suite: only cases whose 'statistic::name' contains SUBSTR "
        "(writes parity-selection.csv; default: every case)",
    )
    val.set_defaults(handler=_validate)


def _say(message: str) -> None:
    print(f"cetrus: {message}", file=sys.stderr, flush=True)


def _validate(args):
    from cetrus.cli._common import CLIError

    if args.suite:
        given = [
            o
            for o, v in (
                ("--config", args.config),
                ("--results", args.results),
                ("--icc-features", args.icc_features),
            )
            if v is not None
        ]
        if given:
            raise CLIError(f"{given[0]} is an option of a study's validation, not of --suite")
        from cetrus.cli.commands_checkout import run_suite

        return run_suite(args.select)
    if args.select is not None:
        raise CLIError("-k selects cases of the parity suite: use it with --suite")
    from cetrus.errors import InputError
    from cetrus.parity import n_failed
    from cetrus.study.config import load_config
    from cetrus.study.parity import _default_results_dir, validate_study

    config = load_config(args.config)
    results = Path(args.results) if args.results else _default_results_dir(config)
    from cetrus._fs import recover

    recover(results)  # a results folder a killed analyze swap left aside is put back
    if not (results / "results.json").is_file():
        raise InputError(
            f"no results in {results}: run cetrus analyze --config {config.path} first"
        )
    icc_features = ICC_FEATURES if args.icc_features is None else args.icc_features
    if icc_features < 1:
        raise InputError(f"--icc-features must be >= 1; got {icc_features}")
    table = validate_study(config, results, log=_say, icc_features=icc_features)
    print((results / "parity-summary.txt").read_text(), file=sys.stderr, end="")
    failed = n_failed(table)
    out = {
        "checks": int(len(table)),
        "failed": failed,
        "parity_csv": str(results / "parity.csv"),
        "parity_md": str(results / "parity.md"),
    }
    if failed:
        import json

        print(json.dumps(out))
        raise SystemExit(1)
    return out
