"""``cetrus bench`` and ``cetrus validate --suite``: the checkout's own suites.

The live R parity suite (``validation/``) and the speed benchmarks (``benchmarks/``) are
folders of a cetrus checkout, not of the installed package. These commands find the
checkout — the one the imported ``cetrus`` lives in (an editable install or
``PYTHONPATH=pkg``), else the current folder or one above it — and run its suite; from
a wheel outside a checkout they say so in one line (exit 2).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from cetrus.cli._common import CLIError


def register(commands: argparse._SubParsersAction) -> None:
    ben = commands.add_parser(
        "bench",
        help="the speed benchmarks against R of a cetrus "
        "checkout (= python -m benchmarks; writes benchmarks/_results/)",
    )
    ben.add_argument(
        "-k",
        dest="select",
        default=None,
        metavar="NAME",
        help="only benchmark modules whose name contains NAME (default: all)",
    )
    ben.add_argument(
        "--quick", action="store_true", help="smaller sizes, a smoke run (default: the full sizes)"
    )
    ben.set_defaults(handler=_bench)


def find_checkout(folder: str, command: str) -> Path:
    """The root of the cetrus checkout holding ``folder`` (``validation``, ``benchmarks``)."""
    import cetrus

    here = Path.cwd().resolve()
    # <root>/pkg/cetrus/__init__.py: the checkout whose code is the code being run
    candidates = [Path(cetrus.__file__).resolve().parents[2], here, *here.parents]
    for root in candidates:
        if (root / folder / "__init__.py").is_file() and (root / "pkg" / "cetrus").is_dir():
            return root
    raise CLIError(
        f"cetrus {command} needs the {folder}/ folder of a cetrus checkout, which "
        f"an installed wheel does not ship; run it inside a clone of the repository "
        f"(none found at {here} or above)"
    )


def import_from_checkout(module: str, command: str):
    """Import ``module`` (``validation.harness`` …) from the checkout found for ``command``."""
    top = module.split(".")[0]
    root = find_checkout(top, command)
    loaded = sys.modules.get(top)
    if loaded is not None:
        where = Path(getattr(loaded, "__file__", "") or "").resolve()
        if where.parent != (root / top):
            raise CLIError(
                f"a module {top!r} from {where.parent} is already imported; cetrus "
                f"{command} needs the one in {root}"
            )
    elif str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return importlib.import_module(module)


def run_suite(select: str | None) -> dict:
    """``cetrus validate --suite [-k SELECT]``: the live R parity suite of the checkout."""
    harness = import_from_checkout("validation.harness", "validate --suite")
    table, path = harness.run_selected(select, echo=lambda text: print(text, file=sys.stderr))
    failed = int((~table["pass"].astype(bool)).sum())
    out = {"checks": int(len(table)), "failed": failed, "parity_csv": str(path)}
    if failed:
        print(json.dumps(out))
        raise SystemExit(1)
    return out


def _bench(args):
    main = import_from_checkout("benchmarks.__main__", "bench").main
    argv = (["-k", args.select] if args.select else []) + (["--quick"] if args.quick else [])
    code = main(argv)
    if code:
        raise SystemExit(code)
    return None
