"""Registering, running and tabulating parity cases.

A case is a function decorated with :func:`case`; it returns (or yields) checks
``(quantity, python_value, r_value)`` or ``(quantity, python_value, r_value, Tol(...))``
to override the case's tolerance for one quantity (with a reason). Values may be
scalars, arrays (compared element-wise; long arrays are summarised by their worst
element) or non-numeric (strings, tuples of names: compared exactly).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# the generic part (tolerances, comparison rows, tabulation) ships in the package, where
# `cetrus validate` uses it on any study; re-exported here for the cases
from cetrus.parity import COLUMNS, Tol, as_tol, compare, run_checks, write_table
from cetrus.parity import summarise as _summarise

__all__ = [
    "Tol",
    "as_tol",
    "case",
    "compare",
    "discover",
    "run_case",
    "run_all",
    "run_selected",
    "summarise",
    "COLUMNS",
    "RESULTS_DIR",
]

RESULTS_DIR = Path(__file__).resolve().parent / "_results"


@dataclass
class Case:
    statistic: str
    name: str
    func: Callable[[], Iterable[tuple]]
    tolerance: Tol
    packages: tuple[str, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        return f"{self.statistic}::{self.name}"


CASES: list[Case] = []


def case(
    statistic: str, name: str, *, tolerance: float | Tol = 1e-9, packages: Iterable[str] = ()
) -> Callable:
    """Register a parity case (see the module docstring)."""

    def deco(func: Callable) -> Callable:
        CASES.append(Case(statistic, name, func, as_tol(tolerance), tuple(packages)))
        return func

    return deco


def discover() -> list[Case]:
    """Import every module of :mod:`validation.cases` (registering its cases) once."""
    from validation import cases as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        importlib.import_module(f"{pkg.__name__}.{info.name}")
    seen: dict[str, Case] = {}
    for c in CASES:
        seen.setdefault(c.id, c)
    return list(seen.values())


def run_case(c: Case) -> list[dict]:
    """Run one case; an exception becomes one failing row carrying its message."""
    return run_checks(c.statistic, c.name, c.func, c.tolerance)


def run_all(
    cases: Iterable[Case] | None = None,
    *,
    out_dir: Path = RESULTS_DIR,
    name: str = "parity",
    echo: Callable[[str], None] | None = print,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run cases, write ``{name}.csv`` (atomically) and ``{name}-summary.txt``; return the table.

    The full suite writes ``parity.csv`` (what the validation report renders); a
    selection (``-k``) writes under another name so it never replaces the full table.
    ``progress``: a progress line on stderr (default: on a terminal, not under CI).
    """
    from cetrus._progress import Progress

    cases = list(cases) if cases is not None else discover()
    rows: list[dict] = []
    start = time.perf_counter()
    with Progress(len(cases), "R parity", enabled=progress) as bar:
        for c in cases:
            rows.extend(run_case(c))
            bar.update(note=c.id)
    table = pd.DataFrame(rows, columns=COLUMNS)
    write_table(table, out_dir / f"{name}.csv")
    summary = summarise(table, time.perf_counter() - start)
    (out_dir / f"{name}-summary.txt").write_text(summary + "\n")
    if echo:
        echo(summary)
    return table


def run_selected(
    select: str | None = None,
    *,
    echo: Callable[[str], None] | None = print,
    progress: bool | None = None,
) -> tuple[pd.DataFrame, Path]:
    """``python -m validation -k SELECT`` and ``cetrus validate --suite -k SELECT``: run the
    cases whose id contains ``select`` (every case when ``None``); return the table and the
    CSV written. Raises :class:`~cetrus.errors.RUnavailableError` when R is missing and
    :class:`~cetrus.errors.InputError` when no case matches."""
    from cetrus import rbridge
    from cetrus.errors import InputError, RUnavailableError

    ok, reason = rbridge.available()
    if not ok:
        raise RUnavailableError(f"R is not available: {reason}")
    cases = [c for c in discover() if not select or select in c.id]
    if not cases:
        raise InputError(f"no parity case matches {select!r}")
    name = "parity-selection" if select else "parity"  # -k never replaces the full table
    table = run_all(cases, name=name, echo=echo, progress=progress)
    return table, RESULTS_DIR / f"{name}.csv"


def summarise(table: pd.DataFrame, seconds: float | None = None) -> str:
    """One screen: per statistic the number of checks, failures and max |Python − R|."""
    return _summarise(table, seconds)
