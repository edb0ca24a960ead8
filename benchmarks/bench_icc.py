"""Per-feature ICC for the paper's size: 1,920 DenseNet features × 878 ROIs × 2 sonographers.

Target (issue 4): ``icc_many`` (all six forms, F, p and CIs) well under a second — we
hold it to 0.5 s. psych has no vectorised ICC; ``psych::ICC(lmer = FALSE)`` is timed on
a slice of features in the same run and scaled to 1,920 for the ratio.
"""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats.reliability import icc_many

B = "icc"


def _ratings(n: int, k: int, nf: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.normal(size=(n, 1, nf))
    return truth + rng.normal(scale=0.3, size=(n, k, nf)) + rng.normal(scale=0.1, size=(1, k, nf))


def run(quick: bool = False) -> list[dict]:
    n, k, nf = 878, 2, (480 if quick else 1920)
    x = _ratings(n, k, nf)
    rows = []
    t = best_of(lambda: icc_many(x), 5)
    rows.append(
        row(
            B,
            f"icc_many {nf} features x {n} targets x {k} raters",
            t,
            "s",
            target="< 0.5 s",
            met=t < 0.5,
        )
    )

    n_r = 4 if quick else 10
    slice_ = np.ascontiguousarray(x[:, :, :n_r].transpose(2, 0, 1).reshape(n_r * n, k))
    r_t = r_best_of(
        f"for (f in 0:{n_r - 1}) psych::ICC(s[f * {n} + 1:{n}, ], lmer = FALSE)", repeat=2, s=slice_
    )
    r_full = r_t / n_r * nf
    rows.append(row(B, f"psych::ICC(lmer=FALSE) per feature, x{nf} (from {n_r})", r_full, "s"))
    rows.append(row(B, "speed-up vs psych::ICC loop", r_full / t, "x"))
    return rows
