"""``python -m validation [-k SUBSTRING]``: run the parity suite; exit 1 on any failure.

The same as ``cetrus validate --suite [-k SUBSTRING]`` (which also works from an
installed ``cetrus`` inside a checkout). A progress line is shown on a terminal.
"""

from __future__ import annotations

import argparse
import sys

from cetrus.errors import CetrusError
from validation.harness import run_selected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m validation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-k",
        dest="select",
        default=None,
        help="only cases whose 'statistic::name' contains this text (default: every case)",
    )
    args = parser.parse_args(argv)
    try:
        table, path = run_selected(args.select)
    except CetrusError as exc:  # R missing, no case matches
        print(f"validation: {exc}", file=sys.stderr)
        return 2
    print(f"\nwrote {path}")
    return 0 if table["pass"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
