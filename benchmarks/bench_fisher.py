"""Fisher's exact test on r×c tables: cetrus's network algorithm against R's FEXACT
(``fisher.test`` at its default workspace), same tables, same run. No target (issue 10
asks for R's answers on every table R answers); the ratios are recorded."""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats.groups import fisher_exact

B = "fisher_rxc"


def run(quick: bool = False) -> list[dict]:
    tables = {
        "Job 4x4 n=96 (?fisher.test)": np.array(
            [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]
        ),
        "FEXACT's 3x7 example n=60": np.array(
            [[1, 8, 5, 4, 4, 2, 2], [5, 3, 3, 4, 3, 1, 0], [10, 1, 4, 0, 0, 0, 0]]
        ),
    }
    if not quick:
        tables["random 6x6 n~50"] = np.random.default_rng(5).poisson(1.4, (6, 6))
    rows = []
    for name, tab in tables.items():
        t = best_of(lambda tab=tab: fisher_exact(tab), 2)
        r = r_best_of("fisher.test(x)$p.value", repeat=2, x=tab.astype(float))
        rows.append(row(B, f"fisher_exact {name}", t, "s"))
        rows.append(row(B, f"R fisher.test {name}", r, "s"))
        rows.append(row(B, f"speed-up vs R, {name}", r / t, "x"))
    return rows
