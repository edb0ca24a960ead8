"""Mann–Whitney over many columns: the feature-selection workload (878 × 1,920).

Target (issue 3 / Engineer R's feature selection): all 1,920 columns of 878
patients in well under 0.5 s. R's ``wilcox.test`` in an ``apply`` loop over the same
matrix is timed in the same run, and scipy's vectorised ``mannwhitneyu`` for reference.
"""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats.groups import mann_whitney

B = "mann_whitney"


def run(quick: bool = False) -> list[dict]:
    n, k = 878, (240 if quick else 1920)
    rng = np.random.default_rng(0)
    y = rng.random(n) < 0.3
    X = rng.normal(size=(n, k)) + 0.2 * y[:, None]
    X[:, ::4] = np.round(X[:, ::4], 1)  # a quarter of the columns tie-heavy
    a, b = X[~y], X[y]
    rows = []
    t = best_of(lambda: mann_whitney(a, b), 5)
    rows.append(row(B, f"mann_whitney {n} x {k:,} columns", t, "s", target="< 0.5 s", met=t < 0.5))
    from scipy.stats import mannwhitneyu

    t_sp = best_of(lambda: mannwhitneyu(a, b, method="asymptotic", axis=0), 3)
    rows.append(row(B, "scipy.stats.mannwhitneyu(axis=0)", t_sp, "s"))
    r = r_best_of(
        "apply(X, 2, function(v) wilcox.test(v[!g], v[g], exact = FALSE)$p.value)",
        repeat=1,
        X=X,
        g=y,
    )
    rows.append(row(B, "R apply(wilcox.test(exact=FALSE))", r, "s"))
    rows.append(row(B, "speed-up vs R", r / t, "x"))
    return rows
