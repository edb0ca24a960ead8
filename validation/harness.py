"""Registering, running and tabulating parity cases.

A case is a function decorated with :func:`case`; it returns (or yields) checks
``(quantity, python_value, r_value)`` or ``(quantity, python_value, r_value, Tol(...))``
to override the case's tolerance for one quantity (with a reason). Values may be
scalars, arrays (compared element-wise; long arrays are summarised by their worst
element) or non-numeric (strings, tuples of names: compared exactly).
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

RESULTS_DIR = Path(__file__).resolve().parent / "_results"
COLUMNS = ["statistic", "case", "quantity", "python", "r", "abs_diff", "tolerance", "pass"]
_EXPAND_MAX = 50  # arrays longer than this are reported by their worst element


@dataclass(frozen=True)
class Tol:
    """Pass when ``|py − r| <= abs`` or ``|py − r| <= rel · |r|``; ``reason`` says why it is loose."""

    abs: float = 0.0
    rel: float = 0.0
    reason: str = ""

    def ok(self, py: float, r: float) -> bool:
        if math.isnan(py) and math.isnan(r):
            return True  # both undefined: the same answer
        if math.isinf(py) or math.isinf(r):
            return py == r
        diff = abs(py - r)
        return diff <= self.abs or diff <= self.rel * abs(r)

    def __str__(self) -> str:
        parts = []
        if self.abs:
            parts.append(f"{self.abs:g}")
        if self.rel:
            parts.append(f"rel {self.rel:g}")
        return " or ".join(parts) or "exact"


def as_tol(tol: float | Tol) -> Tol:
    return tol if isinstance(tol, Tol) else Tol(abs=float(tol))


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


def case(statistic: str, name: str, *, tolerance: float | Tol = 1e-9,
         packages: Iterable[str] = ()) -> Callable:
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


def _is_numeric(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, float, np.integer, np.floating)):
        return True
    if isinstance(v, np.ndarray) and v.dtype.kind in "iuf":
        return True
    if isinstance(v, (list, tuple)) and v and all(
        isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool) for x in v
    ):
        return True
    return False


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return repr(v)
    return str(v)


def compare(statistic: str, case_name: str, quantity: str, py: Any, r: Any, tol: Tol) -> list[dict]:
    """Rows comparing one quantity (element-wise for arrays)."""
    base = {"statistic": statistic, "case": case_name, "tolerance": str(tol)}
    if not (_is_numeric(py) and _is_numeric(r)):
        same = _normalise(py) == _normalise(r)
        return [{**base, "quantity": quantity, "python": _fmt(py), "r": _fmt(r),
                 "abs_diff": 0.0 if same else float("nan"), "pass": bool(same)}]
    a = np.atleast_1d(np.asarray(py, dtype=float))
    b = np.atleast_1d(np.asarray(r, dtype=float))
    if a.shape != b.shape:
        return [{**base, "quantity": quantity, "python": f"shape {a.shape}", "r": f"shape {b.shape}",
                 "abs_diff": float("nan"), "pass": False}]
    scalar = np.ndim(py) == 0 and np.ndim(r) == 0
    a, b = a.ravel(), b.ravel()
    oks = np.array([tol.ok(x, y) for x, y in zip(a, b)], dtype=bool)
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities pass via Tol.ok
        diffs = np.abs(a - b)
    if scalar:
        return [{**base, "quantity": quantity, "python": repr(float(a[0])), "r": repr(float(b[0])),
                 "abs_diff": float(diffs[0]), "pass": bool(oks[0])}]
    if a.size <= _EXPAND_MAX:
        return [{**base, "quantity": f"{quantity}[{i}]", "python": repr(float(x)), "r": repr(float(y)),
                 "abs_diff": float(d), "pass": bool(ok)}
                for i, (x, y, d, ok) in enumerate(zip(a, b, diffs, oks))]
    finite = np.where(np.isnan(diffs), -1.0, diffs)
    worst = int(np.flatnonzero(~oks)[0]) if not oks.all() else int(np.argmax(finite))
    return [{**base, "quantity": f"{quantity}[worst of {a.size} at {worst}]",
             "python": repr(float(a[worst])), "r": repr(float(b[worst])),
             "abs_diff": float(np.nanmax(diffs)) if np.isfinite(diffs).any() else float("nan"),
             "pass": bool(oks.all())}]


def _normalise(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return tuple(_normalise(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def run_case(c: Case) -> list[dict]:
    """Run one case; an exception becomes one failing row carrying its message."""
    try:
        rows: list[dict] = []
        for check in c.func():
            quantity, py, r, *rest = check
            tol = as_tol(rest[0]) if rest else c.tolerance
            rows.extend(compare(c.statistic, c.name, quantity, py, r, tol))
        if not rows:
            raise RuntimeError("the case produced no checks")
        return rows
    except Exception as exc:  # a crashing case is a failing case, reported not raised
        msg = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        return [{"statistic": c.statistic, "case": c.name, "quantity": "error", "python": msg,
                 "r": traceback.format_exc(limit=2).splitlines()[-1][:200],
                 "abs_diff": float("nan"), "tolerance": str(c.tolerance), "pass": False}]


def run_all(cases: Iterable[Case] | None = None, *, out_dir: Path = RESULTS_DIR,
            name: str = "parity", echo: Callable[[str], None] | None = print) -> pd.DataFrame:
    """Run cases, write ``{name}.csv`` (atomically) and ``{name}-summary.txt``; return the table.

    The full suite writes ``parity.csv`` (what the validation report renders); a
    selection (``-k``) writes under another name so it never replaces the full table.
    """
    cases = list(cases) if cases is not None else discover()
    rows: list[dict] = []
    start = time.perf_counter()
    for c in cases:
        rows.extend(run_case(c))
    table = pd.DataFrame(rows, columns=COLUMNS)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / f"{name}.csv.tmp"
    table.to_csv(tmp, index=False)
    tmp.replace(out_dir / f"{name}.csv")
    summary = summarise(table, time.perf_counter() - start)
    (out_dir / f"{name}-summary.txt").write_text(summary + "\n")
    if echo:
        echo(summary)
    return table


def summarise(table: pd.DataFrame, seconds: float | None = None) -> str:
    """One screen: per statistic the number of checks, failures and max |Python − R|."""
    from tabulate import tabulate

    from cetrus import rbridge

    grouped = table.groupby("statistic", sort=True)
    lines = []
    for stat, g in grouped:
        lines.append([stat, g["case"].nunique(), len(g), int((~g["pass"].astype(bool)).sum()),
                      f"{g['abs_diff'].max():.2e}" if g["abs_diff"].notna().any() else "-",
                      ", ".join(sorted(set(g["tolerance"])))])
    n_fail = int((~table["pass"].astype(bool)).sum())
    head = f"cetrus R parity: {len(table)} checks, {n_fail} failed"
    if seconds is not None:
        head += f" ({seconds:.1f} s)"
    try:
        head += "\n" + ", ".join(f"{k} {v}" for k, v in rbridge.versions().items())
    except Exception as exc:  # summary must still print when R vanished mid-run
        head += f"\n(R versions unavailable: {exc})"
    body = tabulate(lines, headers=["statistic", "cases", "checks", "failed", "max |py-R|", "tolerance"])
    out = f"{head}\n{body}"
    if n_fail:
        bad = table[~table["pass"].astype(bool)].head(15)
        out += "\n\nFAILED:\n" + "\n".join(
            f"  {r.statistic}::{r.case} {r.quantity}: python={r.python} r={r.r} diff={r.abs_diff}"
            for r in bad.itertuples())
    return out
