"""``cetrus replica | analyze | render | paper``: the study, end to end.

* ``replica --out DIR --seed N`` writes the SYNTHETIC replica cohort.
* ``analyze --config study.toml --out DIR`` runs the paper's pipeline into a results folder.
* ``render [--results DIR]`` renders reports/manuscript.qmd (and validation.qmd) with pandoc
  to self-contained HTML and DOCX in reports/_output/ (Quarto users: ``quarto render``).
* ``paper [--config X]`` = replica (when the config asks for one and it is missing) →
  analyze → render, then prints where the manuscript is.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    rep = commands.add_parser("replica", help="write the SYNTHETIC replica cohort (seconds)")
    rep.add_argument("--out", required=True, metavar="DIR", help="output folder")
    rep.add_argument("--seed", type=int, default=0, help="seed of every draw (default 0)")
    rep.add_argument("--split-seed", type=int, default=0,
                     help="the reported split's seed (study.toml split.reported_seed)")
    rep.set_defaults(handler=_replica)

    ana = commands.add_parser("analyze", help="run the study pipeline into a results folder")
    ana.add_argument("--config", default=None, metavar="TOML",
                     help="study config (default: study.toml of the replica)")
    ana.add_argument("--out", default=None, metavar="DIR", help="results folder (default results/)")
    ana.set_defaults(handler=_analyze)

    ren = commands.add_parser("render", help="render the manuscript with pandoc (HTML + DOCX)")
    ren.add_argument("--results", default=None, metavar="DIR",
                     help="results folder written by `cetrus analyze` (default results/)")
    ren.add_argument("--out", default=None, metavar="DIR",
                     help="output folder (default reports/_output/)")
    ren.set_defaults(handler=_render)

    pap = commands.add_parser("paper", help="replica (if needed) → analyze → render")
    pap.add_argument("--config", default=None, metavar="TOML",
                     help="study config (default: study.toml of the replica)")
    pap.add_argument("--results", default=None, metavar="DIR",
                     help="results folder (default results/ next to the config)")
    pap.set_defaults(handler=_paper)


def _say(message: str) -> None:
    print(f"cetrus: {message}", file=sys.stderr, flush=True)


def _replica(args):
    from cetrus.study.replica import write_replica

    t0 = time.perf_counter()
    out = write_replica(args.out, args.seed, split_seed=args.split_seed)
    _say(f"SYNTHETIC replica cohort (seed {args.seed}) written to {out} "
         f"in {time.perf_counter() - t0:.1f} s")
    return {"replica": str(out), "seed": args.seed, "synthetic": True}


def _analyze(args):
    from cetrus.study.config import load_config
    from cetrus.study.pipeline import analyze, default_results_dir

    config = load_config(args.config)
    out = Path(args.out) if args.out else default_results_dir(config)
    t0 = time.perf_counter()
    analyze(config, out, log=_say)
    _say(f"results written to {out} in {time.perf_counter() - t0:.1f} s")
    return {"results": str(out), "results_json": str(out / "results.json")}


def _render(args):
    from cetrus.report.render import default_output_dir, render_all
    from cetrus.study.pipeline import REPO_ROOT

    results = Path(args.results) if args.results else REPO_ROOT / "results"
    out = Path(args.out) if args.out else default_output_dir()
    paths = render_all(results, out)
    return {k: str(v) for k, v in paths.items()}


def _paper(args):
    from cetrus.report.render import default_output_dir, render_all
    from cetrus.study.config import load_config
    from cetrus.study.pipeline import analyze, default_results_dir
    from cetrus.study.replica import write_replica

    t0 = time.perf_counter()
    config = load_config(args.config)
    if config.replica is not None and not (config.replica.folder.is_dir() and config.clinical.is_file()):
        _say(f"building the SYNTHETIC replica cohort into {config.replica.folder}")
        write_replica(config.replica.folder, config.replica.seed,
                      split_seed=config.split.reported_seed)
    results = Path(args.results) if args.results else default_results_dir(config)
    analyze(config, results, log=_say)
    paths = render_all(results, default_output_dir())
    elapsed = time.perf_counter() - t0
    for key in ("manuscript_html", "manuscript_docx"):
        print(f"{key.replace('_', '.').replace('manuscript.', 'manuscript ')}: {paths[key]}")
    _say(f"paper done in {elapsed:.0f} s")
    return None
