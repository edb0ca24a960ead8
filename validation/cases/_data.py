"""Inputs shared by parity cases: R's real data sets and seeded generated samples."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from cetrus import rbridge


@functools.lru_cache(maxsize=None)
def asah() -> pd.DataFrame:
    """pROC's ``aSAH`` (113 patients, subarachnoid haemorrhage): outcome Good/Poor → 0/1."""
    d = rbridge.r_dataset("pROC", "aSAH").copy()
    d["poor"] = (d["outcome"] == "Poor").astype(int)
    d["wfns"] = d["wfns"].astype(int)
    return d


def binary_sample(n: int, prevalence: float, seed: int, *, ties: int | None = None,
                  shift: float = 0.8) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Outcome and two correlated scores; ``ties`` rounds scores onto that many levels."""
    rng = np.random.default_rng(seed)
    n_cases = max(1, int(round(n * prevalence)))
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_cases, replace=False)] = 1
    common = rng.normal(size=n)
    a = common + shift * y + rng.normal(scale=0.8, size=n)
    b = 0.6 * common + 0.5 * shift * y + rng.normal(scale=1.0, size=n)
    if ties:
        a = np.digitize(a, np.quantile(a, np.linspace(0, 1, ties + 1)[1:-1])).astype(float)
        b = np.digitize(b, np.quantile(b, np.linspace(0, 1, ties + 1)[1:-1])).astype(float)
    return y, a, b
