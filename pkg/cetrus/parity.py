"""Checks of Python against R: tolerances, comparison rows and the parity table.

A *check* is ``(quantity, python_value, r_value)`` or ``(quantity, python_value,
r_value, Tol(...))`` (overriding the default tolerance for that quantity, with a
reason). Values may be scalars, arrays (compared element-wise; long arrays are
summarised by their worst element) or non-numeric (strings, tuples of names:
compared exactly). :func:`run_checks` turns a generator of checks into table rows
(columns :data:`COLUMNS`); a generator that raises becomes one failing row carrying
the message, so a crash is never a silent pass.

Used by ``cetrus validate`` (:mod:`cetrus.study.parity`, the R twin of a study's
tables) and by the repository's parity suite (``validation/harness.py``). Nothing
here imports R: the R side is computed by the callers through :mod:`cetrus.rbridge`.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Tol",
    "as_tol",
    "COLUMNS",
    "compare",
    "run_checks",
    "summarise",
    "write_table",
    "n_failed",
]

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
        if math.isnan(py) or math.isnan(r):
            return False
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
    """A number is an absolute tolerance."""
    return tol if isinstance(tol, Tol) else Tol(abs=float(tol))


def _is_numeric(v: Any) -> bool:
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, float, np.integer, np.floating)):
        return True
    if isinstance(v, np.ndarray) and v.dtype.kind in "iuf":
        return True
    return (
        isinstance(v, (list, tuple))
        and len(v) > 0
        and all(
            isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
            for x in v
        )
    )


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _normalise(v: Any) -> Any:
    if isinstance(v, np.ndarray):
        v = v.tolist()
    if isinstance(v, (list, tuple)):
        return tuple(_normalise(x) for x in v)
    if isinstance(v, np.generic):
        return v.item()
    return v


def compare(statistic: str, case_name: str, quantity: str, py: Any, r: Any, tol: Tol) -> list[dict]:
    """Rows comparing one quantity (element-wise for arrays)."""
    base = {"statistic": statistic, "case": case_name, "tolerance": str(tol)}
    if not (_is_numeric(py) and _is_numeric(r)):
        same = _normalise(py) == _normalise(r)
        return [
            {
                **base,
                "quantity": quantity,
                "python": _fmt(py),
                "r": _fmt(r),
                "abs_diff": 0.0 if same else float("nan"),
                "pass": bool(same),
            }
        ]
    a = np.atleast_1d(np.asarray(py, dtype=float))
    b = np.atleast_1d(np.asarray(r, dtype=float))
    if a.shape != b.shape:
        return [
            {
                **base,
                "quantity": quantity,
                "python": f"shape {a.shape}",
                "r": f"shape {b.shape}",
                "abs_diff": float("nan"),
                "pass": False,
            }
        ]
    scalar = np.ndim(py) == 0 and np.ndim(r) == 0
    a, b = a.ravel(), b.ravel()
    oks = np.array([tol.ok(x, y) for x, y in zip(a, b)], dtype=bool)
    with np.errstate(invalid="ignore"):  # inf - inf: equal infinities pass via Tol.ok
        diffs = np.abs(a - b)
    if scalar:
        return [
            {
                **base,
                "quantity": quantity,
                "python": repr(float(a[0])),
                "r": repr(float(b[0])),
                "abs_diff": float(diffs[0]),
                "pass": bool(oks[0]),
            }
        ]
    if a.size <= _EXPAND_MAX:
        return [
            {
                **base,
                "quantity": f"{quantity}[{i}]",
                "python": repr(float(x)),
                "r": repr(float(y)),
                "abs_diff": float(d),
                "pass": bool(ok),
            }
            for i, (x, y, d, ok) in enumerate(zip(a, b, diffs, oks))
        ]
    finite = np.where(np.isnan(diffs), -1.0, diffs)
    worst = int(np.flatnonzero(~oks)[0]) if not oks.all() else int(np.argmax(finite))
    return [
        {
            **base,
            "quantity": f"{quantity}[worst of {a.size} at {worst}]",
            "python": repr(float(a[worst])),
            "r": repr(float(b[worst])),
            "abs_diff": float(np.nanmax(diffs)) if np.isfinite(diffs).any() else float("nan"),
            "pass": bool(oks.all()),
        }
    ]


def run_checks(
    statistic: str, case_name: str, checks: Callable[[], Iterable[tuple]], tolerance: float | Tol
) -> list[dict]:
    """Rows of every check ``checks()`` yields; an exception (or no check at all) becomes
    one failing row carrying its message."""
    default = as_tol(tolerance)
    try:
        rows: list[dict] = []
        for check in checks():
            quantity, py, r, *rest = check
            tol = as_tol(rest[0]) if rest else default
            rows.extend(compare(statistic, case_name, quantity, py, r, tol))
        if not rows:
            raise RuntimeError("the case produced no checks")
        return rows
    except Exception as exc:  # a crashing case is a failing case, reported not raised
        msg = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        return [
            {
                "statistic": statistic,
                "case": case_name,
                "quantity": "error",
                "python": msg,
                "r": traceback.format_exc(limit=2).splitlines()[-1][:200],
                "abs_diff": float("nan"),
                "tolerance": str(default),
                "pass": False,
            }
        ]


def n_failed(table: pd.DataFrame) -> int:
    return int((~table["pass"].astype(bool)).sum())


def write_table(table: pd.DataFrame, path: Path) -> Path:
    """Write the parity table as CSV atomically (a reader never sees half a table)."""
    from cetrus._fs import atomic_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as tmp:
        table.to_csv(tmp, index=False)
    return path


def summarise(
    table: pd.DataFrame,
    seconds: float | None = None,
    *,
    title: str = "cetrus R parity",
    versions: bool = True,
) -> str:
    """One screen: per statistic the number of checks, failures and max |Python − R|."""
    from tabulate import tabulate

    lines = []
    for stat, g in table.groupby("statistic", sort=True):
        diffs = pd.to_numeric(g["abs_diff"], errors="coerce")
        lines.append(
            [
                stat,
                g["case"].nunique(),
                len(g),
                n_failed(g),
                f"{diffs.max():.2e}" if diffs.notna().any() else "-",
                ", ".join(sorted(set(g["tolerance"]))),
            ]
        )
    fails = n_failed(table)
    head = f"{title}: {len(table)} checks, {fails} failed"
    if seconds is not None:
        head += f" ({seconds:.1f} s)"
    if versions:
        try:
            from cetrus import rbridge

            head += "\n" + ", ".join(f"{k} {v}" for k, v in rbridge.versions().items())
        except Exception as exc:  # the summary must still print when R vanished mid-run
            head += f"\n(R versions unavailable: {exc})"
    body = tabulate(
        lines, headers=["statistic", "cases", "checks", "failed", "max |py-R|", "tolerance"]
    )
    out = f"{head}\n{body}"
    if fails:
        bad = table[~table["pass"].astype(bool)].head(15)
        out += "\n\nFAILED:\n" + "\n".join(
            f"  {r.statistic}::{r.case} {r.quantity}: python={r.python} r={r.r} diff={r.abs_diff}"
            for r in bad.itertuples()
        )
    return out
