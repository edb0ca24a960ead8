"""``cetrus validate --config study.toml [--results DIR]``: the study's numbers against R.

Runs the R twin of every number in the study's tables (:func:`cetrus.study.parity.
validate_study`) on the results folder ``cetrus analyze`` wrote, writes ``parity.csv``,
``parity.md`` and ``parity-summary.txt`` into it, prints the summary (stderr) and a JSON
line of counts (stdout). Exit status: 0 when every check passes, 1 when one fails, 2
with one line when R is missing or the input is bad (no results folder: run ``cetrus
analyze`` first).
"""

from __future__ import annotations

import argparse

from cetrus.cli._common import path_type
import sys
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    val = commands.add_parser("validate", help="check every number of the study's tables "
                              "against R (writes parity.csv beside the results)")
    val.add_argument("--config", type=path_type, default=None, metavar="TOML",
                     help="study config (default: study.toml of the replica)")
    val.add_argument("--results", type=path_type, default=None, metavar="DIR",
                     help="results folder of `cetrus analyze` (default: the config's)")
    val.add_argument("--icc-features", type=int, default=12, metavar="N",
                     help="features per modality compared one by one with psych::ICC "
                          "(default 12; every feature is checked through psych's formulas)")
    val.set_defaults(handler=_validate)


def _say(message: str) -> None:
    print(f"cetrus: {message}", file=sys.stderr, flush=True)


def _validate(args):
    from cetrus.errors import InputError
    from cetrus.parity import n_failed
    from cetrus.study.config import load_config
    from cetrus.study.parity import _default_results_dir, validate_study

    config = load_config(args.config)
    results = Path(args.results) if args.results else _default_results_dir(config)
    from cetrus._fs import recover

    recover(results)  # a results folder a killed analyze swap left aside is put back
    if not (results / "results.json").is_file():
        raise InputError(f"no results in {results}: run cetrus analyze --config {config.path} "
                         f"first")
    if args.icc_features < 1:
        raise InputError(f"--icc-features must be >= 1; got {args.icc_features}")
    table = validate_study(config, results, log=_say, icc_features=args.icc_features)
    print((results / "parity-summary.txt").read_text(), file=sys.stderr, end="")
    failed = n_failed(table)
    out = {"checks": int(len(table)), "failed": failed, "parity_csv": str(results / "parity.csv"),
           "parity_md": str(results / "parity.md")}
    if failed:
        import json

        print(json.dumps(out))
        raise SystemExit(1)
    return out
