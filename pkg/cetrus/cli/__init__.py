"""The ``cetrus`` command.

``cetrus stat KIND DATA [options]`` prints one JSON object; other subcommands run the
study (extract, replica, analyze, render, paper). Every :class:`~cetrus.CetrusError`
(and a missing file) becomes one line on stderr and exit status 2 — never a traceback.

Each command family lives in its own module exposing ``register(subparsers)``; the
module names are listed below so the parser is built without importing heavy code.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Sequence

from cetrus.cli._common import CLIError, OneLineParser

#: modules adding kinds to ``cetrus stat``
STAT_MODULES = ["cetrus.cli.stat_roc", "cetrus.cli.stat_agreement", "cetrus.cli.stat_clinical", "cetrus.cli.stat_radiomics"]
#: modules adding top-level commands
COMMAND_MODULES: list[str] = ["cetrus.cli.commands_study", "cetrus.cli.commands_imaging",
                             "cetrus.cli.commands_validate", "cetrus.cli.commands_audit"]


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="cetrus", description="Regenerate the CETRUS radiomics study "
                           "and check every number against R.")
    from cetrus import __version__

    parser.add_argument("--version", action="version", version=f"cetrus {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    commands.required = True
    stat = commands.add_parser("stat", help="one statistic on a CSV/parquet file, as JSON")
    kinds = stat.add_subparsers(dest="kind", metavar="KIND", parser_class=OneLineParser)
    kinds.required = True
    for name in STAT_MODULES:
        importlib.import_module(name).register(kinds)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from cetrus.errors import CetrusError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except (CetrusError, CLIError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"cetrus: error: {message}", file=sys.stderr)
        return 2
    if result is not None:
        from cetrus._results import json_safe

        text = json.dumps(json_safe(result), indent=2, allow_nan=False) + "\n"
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `cetrus stat … | head`
            sys.stderr.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
