"""Inputs shared by parity cases: R's real data sets and seeded generated samples."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from cetrus import rbridge


@functools.cache
def asah() -> pd.DataFrame:
    """pROC's ``aSAH`` (113 patients, subarachnoid haemorrhage): outcome Good/Poor → 0/1."""
    d = rbridge.r_dataset("pROC", "aSAH").copy()
    d["poor"] = (d["outcome"] == "Poor").astype(int)
    d["wfns"] = d["wfns"].astype(int)
    return d


def binary_sample(
    n: int, prevalence: float, seed: int, *, ties: int | None = None, shift: float = 0.8
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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


#: pROC's tests/testthat/test-numeric-accuracy.R: near-tied doubles (naive midpoints
#: (a + b) / 2 round onto a data value) and extreme magnitudes (frozen in tests too)
NUMACC_RESPONSE = np.array([2, 1, 1, 2, 2, 1, 2, 2, 1, 1, 1, 2, 1, 2, 2, 2, 2, 2])
NUMACC_PREDICTOR = np.array(
    [
        0.960602681556147,
        0.0794407386056549,
        0.144842404246611,
        0.931816485855784,
        0.931816485855784,
        0.97764041048215,
        0.653549466997938699464,
        0.796401132206396,
        0.427720540184519,
        0.811278021288732,
        0.0188323116581187,
        0.653549466997938588442,
        0.653549466997938477419,
        0.959111701445925,
        0.931816485855784,
        0.663663279418747,
        0.800100838413179,
        0.780456095511079,
    ]
)
HARD = np.array(
    [
        float.fromhex(h)
        for h in [
            "-0x1.fffffffffffffp+1023",
            "-0x1.ffffffffffffep+1023",
            "-0x1.ffffffffffffdp+1023",
            "-0x1.249ad2594c37fp+332",
            "-0x1.249ad2594c37ep+332",
            "-0x1.249ad2594c37dp+332",
            "-0x1.249ad2594c37cp+332",
            "-0x1.249ad2594c37bp+332",
            "-0x1.249ad2594c37ap+332",
            "-0x0.0000000000003p-1022",
            "-0x0.0000000000002p-1022",
            "-0x0.0000000000001p-1022",
            "-0x0p+0",
            "0x0p+0",
            "0x0.0000000000001p-1022",
            "0x0.0000000000002p-1022",
            "0x0.0000000000003p-1022",
            "0x1.249ad2594c37ap+332",
            "0x1.249ad2594c37bp+332",
            "0x1.249ad2594c37cp+332",
            "0x1.249ad2594c37dp+332",
            "0x1.249ad2594c37ep+332",
            "0x1.249ad2594c37fp+332",
            "0x1.ffffffffffffdp+1023",
            "0x1.ffffffffffffep+1023",
            "0x1.fffffffffffffp+1023",
        ]
    ]
)
