"""``python -m validation [-k SUBSTRING]``: run the parity suite; exit 1 on any failure."""

from __future__ import annotations

import argparse
import sys

from cetrus import rbridge
from validation.harness import RESULTS_DIR, discover, run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m validation", description=__doc__)
    parser.add_argument("-k", dest="select", default=None,
                        help="only cases whose 'statistic::name' contains this text")
    args = parser.parse_args(argv)
    ok, reason = rbridge.available()
    if not ok:
        print(f"validation: R is not available: {reason}", file=sys.stderr)
        return 2
    cases = [c for c in discover() if not args.select or args.select in c.id]
    if not cases:
        print(f"validation: no case matches {args.select!r}", file=sys.stderr)
        return 2
    name = "parity-selection" if args.select else "parity"  # -k never replaces the full table
    table = run_all(cases, name=name)
    print(f"\nwrote {RESULTS_DIR / (name + '.csv')}")
    return 0 if table["pass"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
