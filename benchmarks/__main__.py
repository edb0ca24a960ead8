"""``python -m benchmarks [-k NAME] [--quick]``: run the speed benchmarks, print ratios.

Each ``benchmarks/bench_*.py`` defines ``run(quick: bool) -> list[dict]``; a row has
``benchmark``, ``measure`` and ``value`` (+ ``unit``, ``target``, ``met`` when there is
a target). Rows are printed as they come and saved to ``benchmarks/_results/bench.json``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "_results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("-k", dest="select", default=None, help="only modules containing this")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (smoke run)")
    args = parser.parse_args(argv)
    import benchmarks as pkg

    rows: list[dict] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("bench_") or (args.select and args.select not in info.name):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        print(f"== {info.name}", flush=True)
        for row in module.run(quick=args.quick):
            rows.append(row)
            target = (
                f"  target {row['target']}: {'met' if row.get('met') else 'NOT met'}"
                if "target" in row
                else ""
            )
            print(
                f"  {row['measure']:<55} {row['value']:>12.4g} {row.get('unit', ''):<8}{target}",
                flush=True,
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(rows, indent=2))
    missed = [r for r in rows if "met" in r and not r["met"]]
    print(f"\n{len(rows)} measures, {len(missed)} targets missed; wrote {OUT / 'bench.json'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
