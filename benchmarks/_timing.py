"""Timing helpers shared by benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(func: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls, in seconds (the least-disturbed run)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def r_best_of(code: str, repeat: int = 3, **bindings) -> float:
    """Best elapsed time of R ``code`` measured inside R (``system.time``), in seconds.

    Inputs are bound once, before timing, so conversion cost is excluded.
    """
    from cetrus.rbridge import r_eval

    timer = f"min(replicate({repeat}, system.time({{ {code} }})[['elapsed']]))"
    return float(r_eval(timer, **bindings))


def row(
    benchmark: str,
    measure: str,
    value: float,
    unit: str = "",
    *,
    target: str | None = None,
    met: bool | None = None,
) -> dict:
    out = {"benchmark": benchmark, "measure": measure, "value": float(value), "unit": unit}
    if target is not None:
        out["target"] = target
        out["met"] = bool(met)
    return out
