"""``cetrus init | replica | analyze | prepare | render | paper``: a study, end to end.

* ``init DIR`` writes a commented ``study.toml``, ``_quarto.yml``, the generic
  ``manuscript.qmd`` and ``validation.qmd``, ``style.css``, the study's Quarto extension
  (``_extensions/cetrus``) and a ``.gitignore`` into DIR.
* ``replica --out DIR --seed N`` writes the SYNTHETIC replica cohort.
* ``analyze --config study.toml`` runs the study's steps into its results folder
  (``--if-stale``: only when its inputs changed since the last analysis).
* ``prepare --config study.toml`` is ``quarto render``'s pre-render step: replica (if
  needed) → analyze and validate, each only when stale → the published tables' audit.
* ``render --config study.toml`` renders its manuscript (HTML + DOCX) and validation
  report (HTML) with pandoc into its ``[report] output`` folder (Quarto users:
  ``quarto render``).
* ``paper --config study.toml`` = replica (when the config asks for one and it is
  missing) → analyze → validate against R (when R is available; said plainly when it
  is not) → render, then prints where the manuscript is.

``--config`` defaults to ``study.toml`` in the current folder (in this repository: the
replica study).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cetrus.cli._common import path_type, seed_type

_CONFIG_HELP = "study config (default: ./study.toml)"


def register(commands: argparse._SubParsersAction) -> None:
    ini = commands.add_parser(
        "init",
        help="write a new study's study.toml, _quarto.yml and generic manuscript into a folder",
    )
    ini.add_argument(
        "dir", type=path_type, metavar="DIR", help="folder to create (or an empty folder)"
    )
    ini.set_defaults(handler=_init)

    rep = commands.add_parser("replica", help="write the SYNTHETIC replica cohort (seconds)")
    rep.add_argument("--out", type=path_type, required=True, metavar="DIR", help="output folder")
    rep.add_argument("--seed", type=seed_type, default=0, help="seed of every draw (default 0)")
    rep.add_argument(
        "--split-seed",
        type=seed_type,
        default=0,
        help="the reported split's seed (study.toml split.reported_seed; default 0)",
    )
    rep.set_defaults(handler=_replica)

    ana = commands.add_parser("analyze", help="run the study pipeline into its results folder")
    ana.add_argument("--config", type=path_type, default=None, metavar="TOML", help=_CONFIG_HELP)
    ana.add_argument(
        "--out",
        type=path_type,
        default=None,
        metavar="DIR",
        help="results folder (default: [output] dir of the config)",
    )
    ana.add_argument(
        "--if-stale",
        action="store_true",
        help="skip the analysis when the results folder already holds the "
        "analysis of exactly these inputs (content hash of the config, its "
        "data files and the cetrus version; default: always analyse)",
    )
    ana.set_defaults(handler=_analyze)

    pre = commands.add_parser(
        "prepare",
        help="quarto render's pre-render step: replica (if "
        "needed) → analyze and validate unless the results are current "
        "→ the published tables' audit",
    )
    pre.add_argument("--config", default=None, metavar="TOML", help=_CONFIG_HELP)
    pre.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the R parity of the study's numbers (default: run it when R "
        "is available and the results have none yet)",
    )
    pre.set_defaults(handler=_prepare)

    ren = commands.add_parser("render", help="render the manuscript with pandoc (HTML + DOCX)")
    ren.add_argument("--config", type=path_type, default=None, metavar="TOML", help=_CONFIG_HELP)
    ren.add_argument(
        "--results",
        type=path_type,
        default=None,
        metavar="DIR",
        help="results folder (default: [output] dir of the config)",
    )
    ren.add_argument(
        "--out",
        type=path_type,
        default=None,
        metavar="DIR",
        help="output folder (default: [report] output of the config)",
    )
    ren.set_defaults(handler=_render)

    pap = commands.add_parser("paper", help="replica (if needed) → analyze → validate → render")
    pap.add_argument("--config", type=path_type, default=None, metavar="TOML", help=_CONFIG_HELP)
    pap.add_argument(
        "--results",
        type=path_type,
        default=None,
        metavar="DIR",
        help="results folder (default: [output] dir of the config)",
    )
    pap.add_argument(
        "--no-validate",
        action="store_true",
        help="skip the R parity of the study's numbers (default: run it when R is available)",
    )
    pap.set_defaults(handler=_paper)


def _say(message: str) -> None:
    print(f"cetrus: {message}", file=sys.stderr, flush=True)


TEMPLATE_FILES = (
    "study.toml",
    "_quarto.yml",
    "manuscript.qmd",
    "validation.qmd",
    "style.css",
    "reference.docx",
    "_extensions/cetrus/_extension.yml",
    "_extensions/cetrus/cetrus.lua",
    ".gitignore",
)
# package data cannot hold a dot file reliably: the template's .gitignore ships as gitignore
_TEMPLATE_SOURCE = {".gitignore": "gitignore"}


def _init(args):
    from importlib import resources

    from cetrus.cli._common import CLIError

    target = Path(args.dir)
    if target.exists() and not target.is_dir():
        raise CLIError(f"{target} exists and is not a folder")
    clash = [f for f in TEMPLATE_FILES if (target / f).exists()]
    if clash:
        raise CLIError(f"{target / clash[0]} already exists; cetrus init never overwrites a file")
    from cetrus._fs import check_output
    from cetrus.errors import OutputError

    if not target.exists():
        check_output(target, "init")  # a parent that is a file, a read-only folder: said now
    created = not target.exists()
    source = resources.files("cetrus") / "templates"
    written: list[str] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in TEMPLATE_FILES:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            src = source.joinpath(*_TEMPLATE_SOURCE.get(name, name).split("/"))
            with open(target / name, "xb") as fh:  # never overwrites (x: exclusive create)
                written.append(str(target / name))
                fh.write(src.read_bytes())
    except BaseException as exc:  # disk full, Ctrl-C: remove what this run wrote, nothing else
        for f in written:
            Path(f).unlink(missing_ok=True)
        for sub in (target / "_extensions" / "cetrus", target / "_extensions"):
            try:
                sub.rmdir()  # only if this run left it empty
            except OSError:
                pass
        if created:
            try:
                target.rmdir()
            except OSError:
                pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(exc.errno, f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    _say(
        f"wrote {', '.join(TEMPLATE_FILES)} into {target}; edit study.toml, then run "
        f"`cetrus paper --config {target / 'study.toml'}`"
    )
    return {"init": str(target), "files": written}


def _replica(args):
    from cetrus.study.replica import write_replica

    t0 = time.perf_counter()
    out = write_replica(args.out, args.seed, split_seed=args.split_seed)
    _say(
        f"SYNTHETIC replica cohort (seed {args.seed}) written to {out} "
        f"in {time.perf_counter() - t0:.1f} s"
    )
    return {"replica": str(out), "seed": args.seed, "synthetic": True}


def _load(args):
    from cetrus.study.config import load_config

    config = load_config(args.config)
    rep = config.replica
    if rep is not None and not (rep.folder.is_dir() and config.clinical.is_file()):
        from cetrus.study.replica import write_replica

        _say(f"building the SYNTHETIC replica cohort into {rep.folder}")
        write_replica(rep.folder, rep.seed, split_seed=config.split.reported_seed)
    return config


def _analyze(args):
    from cetrus.study.freshness import fingerprint, is_fresh
    from cetrus.study.pipeline import analyze

    config = _load(args)
    out = Path(args.out) if args.out else config.results_dir
    if args.if_stale and is_fresh(out, fingerprint(config)):
        _say(f"results in {out} are current (inputs unchanged): analysis skipped")
        return {"results": str(out), "results_json": str(out / "results.json"), "skipped": True}
    t0 = time.perf_counter()
    analyze(config, out, log=_say)
    _say(f"results written to {out} in {time.perf_counter() - t0:.1f} s")
    return {"results": str(out), "results_json": str(out / "results.json")}


def _check_render_inputs(config, results: Path, out: Path) -> None:
    """Before pandoc runs: the output folder may be replaced, and the manuscript sources
    and the results' values.yml are UTF-8 (values.yml: JSON) — errors name the file."""
    import json

    from cetrus._fs import check_output
    from cetrus.errors import InputError

    check_output(out, "output")
    for p in (config.manuscript, config.validation_source, results / "values.yml"):
        if not p.is_file():
            continue  # said by the renderer, with its own hint
        try:
            text = p.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{p}: not UTF-8 text (byte {exc.start})") from None
        if p.name == "values.yml":
            try:
                values = json.loads(text)
            except ValueError as exc:
                raise InputError(
                    f"{p}: not the values file cetrus analyze writes ({exc}); "
                    f"run cetrus analyze again"
                ) from None
            if not isinstance(values, dict) or not isinstance(values.get("res"), dict):
                raise InputError(
                    f"{p}: not the values file cetrus analyze writes (no 'res' "
                    f"mapping); run cetrus analyze again"
                )


def _render(args):
    from cetrus._fs import recover
    from cetrus.report.render import render_all
    from cetrus.study.config import load_config

    config = load_config(args.config)
    results = Path(args.results) if args.results else config.results_dir
    recover(results)  # a results folder a killed analyze swap left aside is put back
    _check_render_inputs(config, results, Path(args.out) if args.out else config.render_dir)
    paths = render_all(config, results=args.results, out=args.out)
    return {k: str(v) for k, v in paths.items()}


def _validate_study(config, results: Path) -> None:
    """The R twin of every number in the study's tables, beside the results (if R is here)."""
    from cetrus import rbridge

    ok, reason = rbridge.available()
    if not ok:
        _say(
            f"R is not available ({reason}): the validation report says the study's numbers "
            "were NOT checked against R; install R and run `cetrus validate`"
        )
        return
    from cetrus.study.parity import validate_study

    _say("validating the study's numbers against R")
    table = validate_study(config, results, log=_say)  # also the validation report's include
    failed = int((~table["pass"].astype(bool)).sum())
    _say(f"R parity: {len(table)} checks, {failed} failed")


def _paper(args):
    from cetrus._fs import check_output
    from cetrus.report.render import render_all
    from cetrus.study.pipeline import analyze

    t0 = time.perf_counter()
    config = _load(args)
    results = Path(args.results) if args.results else config.results_dir
    check_output(config.render_dir, "output")  # before the analysis, not after
    analyze(config, results, log=_say)
    _check_render_inputs(config, results, config.render_dir)
    if not args.no_validate:
        _validate_study(config, results)
    paths = render_all(config, results=results)
    elapsed = time.perf_counter() - t0
    for key in ("manuscript_html", "manuscript_docx", "validation_html", "audit_html"):
        if key in paths:
            print(f"{key.replace('_', ' ')}: {paths[key]}")
    _say(f"paper done in {elapsed:.0f} s")
    return None


def _parity_done(results: Path) -> bool:
    """The results folder already holds its R parity (``cetrus validate`` writes
    ``parity.csv``, then ``parity.md`` and its copy under ``include/``; a new analysis
    replaces the whole folder, so a parity found there belongs to these results)."""
    md = results / "parity.md"
    inc = results / "include" / "parity.md"
    return (
        (results / "parity.csv").is_file()
        and md.is_file()
        and inc.is_file()
        and md.read_bytes() == inc.read_bytes()
    )


def _prepare(args):
    """What ``quarto render`` needs before it renders (the project's ``pre-render``).

    Quarto runs it before every render, also of one format or one document, so each
    step is skipped when its output is current: the analysis when ``inputs.json`` matches
    the inputs' content hash, the parity when the results already hold one. The audit of
    the published tables (``[published] file``) is written into the render folder, where
    the manuscript's appendix links to it.
    """
    from cetrus.study.freshness import fingerprint, is_fresh
    from cetrus.study.pipeline import analyze

    t0 = time.perf_counter()
    config = _load(args)
    results = config.results_dir
    done = {"results": str(results)}
    if is_fresh(results, fingerprint(config)):
        _say(f"results in {results} are current (inputs unchanged): analysis skipped")
        done["analysis"] = "current"
    else:
        analyze(config, results, log=_say)
        done["analysis"] = "ran"
    if args.no_validate:
        done["parity"] = "skipped (--no-validate)"
    elif _parity_done(results):
        _say("the results already hold their R parity: validation skipped")
        done["parity"] = "current"
    else:
        _validate_study(config, results)
        done["parity"] = "ran" if _parity_done(results) else "not run (R not available)"
    if config.published is not None:
        from cetrus._fs import MARKER
        from cetrus.audit import REPORT_HTML, run_audit

        if not config.render_dir.exists():  # the documents' folder, marked as cetrus's own
            config.render_dir.mkdir(parents=True)  # (so `cetrus render` may replace it later)
            (config.render_dir / MARKER).write_text("output\n", encoding="utf-8")
        run_audit(config.published, config.render_dir / "audit")
        done["audit_html"] = str(config.render_dir / "audit" / REPORT_HTML)
    _say(f"prepared in {time.perf_counter() - t0:.0f} s")
    return done
