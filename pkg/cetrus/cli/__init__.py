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
import os
import sys
from collections.abc import Sequence

from cetrus.cli._common import CLIError, OneLineParser

#: modules adding kinds to ``cetrus stat``
STAT_MODULES = [
    "cetrus.cli.stat_roc",
    "cetrus.cli.stat_agreement",
    "cetrus.cli.stat_clinical",
    "cetrus.cli.stat_radiomics",
]
#: version of the JSON ``cetrus stat`` prints (its top-level ``"schema"`` key). 2: the
#: result fields carry the one vocabulary (``*_ci_low``/``*_ci_high`` instead of tuples,
#: ``*_pvalue`` instead of ``*_p``); see CHANGELOG.md.
STAT_SCHEMA = 2
#: modules adding top-level commands
COMMAND_MODULES: list[str] = [
    "cetrus.cli.commands_study",
    "cetrus.cli.commands_imaging",
    "cetrus.cli.commands_validate",
    "cetrus.cli.commands_audit",
    "cetrus.cli.commands_checkout",
]


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="cetrus",
        description="Regenerate the CETRUS radiomics study and check every number against R.",
    )
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


class Terminated(BaseException):
    """SIGTERM (or SIGHUP) arrived: unwind like Ctrl-C so temporary folders are removed."""


def _on_signal(signum, frame):  # pragma: no cover - exercised through a subprocess
    raise Terminated(signum)


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's message, naming the file an OSError carries."""
    if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
        what = exc.strerror or (str(exc).splitlines() or [type(exc).__name__])[0]
        names = [n for n in (exc.filename, exc.filename2) if n is not None]
        return f"{what}: {os.fsdecode(names[0])}" if names else what
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``cetrus`` command; every failure is ONE line on stderr.

    Exit status: 0 done, 2 bad input or a failure writing the output (disk full,
    read-only folder: the line names the file), 130 interrupted (Ctrl-C), 143 terminated
    (SIGTERM). An unexpected error is one line too (``internal error``); set
    ``CETRUS_TRACEBACK=1`` to see its traceback.
    """
    import signal
    import threading

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            num = getattr(signal, name, None)
            if num is not None and signal.getsignal(num) in (signal.SIG_DFL, None):
                previous[num] = signal.signal(num, _on_signal)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _error_line("interrupted (Ctrl-C); nothing was half-written")
        return 130
    except Terminated as exc:
        signum = exc.args[0] if exc.args else 15
        _error_line("terminated by a signal; nothing was half-written")
        return 128 + int(signum)
    finally:
        for num, handler in previous.items():
            signal.signal(num, handler)


def _error_line(message: str) -> None:
    try:
        print(f"cetrus: error: {message}", file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or a broken pipe: nothing more to say
        pass


def _main(argv: Sequence[str] | None) -> int:
    from cetrus.errors import CetrusError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.handler(args)
    except (CetrusError, CLIError) as exc:
        _error_line(_one_line(exc))
        return 2
    except OSError as exc:  # disk full, read-only folder, permission, …: names the file
        _error_line(_one_line(exc))
        return 2
    except ModuleNotFoundError as exc:
        # an optional dependency imported without cetrus._optional: still the extra's name
        from cetrus._optional import EXTRA_OF, missing_extra

        if (exc.name or "").split(".")[0] not in EXTRA_OF:
            if os.environ.get("CETRUS_TRACEBACK"):
                raise
            _error_line(
                f"internal error (ModuleNotFoundError: {_one_line(exc)}); set "
                "CETRUS_TRACEBACK=1 for the traceback"
            )
            return 2
        _error_line(str(missing_extra(exc.name or "", f"cetrus {args.command}", exc)))
        return 2
    except MemoryError:
        _error_line("out of memory")
        return 2
    except RecursionError as exc:
        _error_line(f"internal error: {_one_line(exc)}")
        return 2
    except Exception as exc:  # noqa: BLE001 - the last resort: still one line, no traceback
        if os.environ.get("CETRUS_TRACEBACK"):
            raise
        _error_line(
            f"internal error ({type(exc).__name__}: {_one_line(exc)}); set "
            "CETRUS_TRACEBACK=1 for the traceback"
        )
        return 2
    if result is not None:
        from cetrus._results import json_safe

        if args.command == "stat" and isinstance(result, dict):
            result = {"schema": STAT_SCHEMA, **result}

        text = json.dumps(json_safe(result), indent=2, allow_nan=False) + "\n"
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # e.g. `cetrus stat … | head`
            sys.stderr.close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
