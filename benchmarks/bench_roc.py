"""ROC speed at n = 1,000,000 (30 % cases): the sort floor, cetrus, and pROC in the same run.

Targets (issue 2): ``auc_ci`` within 3x one ``numpy.argsort`` of the scores and at least
8x faster than ``ci.auc(roc(...), method = "delong")``; ``roc_test`` at least 10x faster
than ``roc.test`` (R timed including the two ``roc()`` calls, the work cetrus does from
raw data; roc.test on prebuilt curves is reported too). Tie-heavy scores stay O(n log n).

Target (issue 10): paired DeLong over all 45 pairs of K = 10 models
(``roc_test_pairs``, one sort per model) at least 10x faster than pROC's ``roc()`` per
model + ``roc.test`` per pair, at n = 100,000 (10,000 with ``--quick``).
"""

from __future__ import annotations

import numpy as np

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats import auc_ci, roc_test
from cetrus.stats.roc import roc_test_pairs

B = "roc"


def _sample(n: int, seed: int = 0, levels: int | None = None):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(np.int64)
    a = rng.normal(size=n) + 0.8 * y
    b = 0.5 * a + rng.normal(size=n)
    if levels:
        a = np.floor(a * levels / 4).astype(float)
        b = np.floor(b * levels / 4).astype(float)
    return y, a, b


def run(quick: bool = False) -> list[dict]:
    n = 100_000 if quick else 1_000_000
    y, a, b = _sample(n)
    rows = []
    t_sort = best_of(lambda: np.argsort(a), 5)
    t_auc = best_of(lambda: auc_ci(y, a), 5)
    t_test = best_of(lambda: roc_test(y, a, b), 3)
    rows.append(row(B, f"numpy.argsort n={n:,}", t_sort, "s"))
    rows.append(row(B, "auc_ci (delong)", t_auc, "s"))
    rows.append(
        row(B, "auc_ci / argsort", t_auc / t_sort, "x", target="<= 3", met=t_auc / t_sort <= 3)
    )
    rows.append(row(B, "roc_test (paired delong)", t_test, "s"))

    yf = y.astype(float)
    r_auc = r_best_of(
        'pROC::ci.auc(pROC::roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE), '
        'method = "delong")',
        repeat=2,
        y=yf,
        a=a,
    )
    rows.append(row(B, "pROC ci.auc(roc(...), delong)", r_auc, "s"))
    rows.append(
        row(B, "speed-up vs pROC ci.auc", r_auc / t_auc, "x", target=">= 8", met=r_auc / t_auc >= 8)
    )
    r_test = r_best_of(
        'r1 <- pROC::roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE); '
        'r2 <- pROC::roc(y, b, levels = c(0, 1), direction = "<", quiet = TRUE); '
        'pROC::roc.test(r1, r2, method = "delong", paired = TRUE)',
        repeat=2,
        y=yf,
        a=a,
        b=b,
    )
    rows.append(row(B, "pROC roc.test incl. roc()", r_test, "s"))
    rows.append(
        row(
            B,
            "speed-up vs pROC roc.test",
            r_test / t_test,
            "x",
            target=">= 10",
            met=r_test / t_test >= 10,
        )
    )
    from cetrus.rbridge import r_eval

    r_eval(
        'r1 <- pROC::roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE); '
        'r2 <- pROC::roc(y, b, levels = c(0, 1), direction = "<", quiet = TRUE); '
        'assign(".cetrus_r1", r1, globalenv()); assign(".cetrus_r2", r2, globalenv()); invisible(NULL)',
        packages=["pROC"],
        y=yf,
        a=a,
        b=b,
    )
    r_test_only = r_best_of(
        'pROC::roc.test(.cetrus_r1, .cetrus_r2, method = "delong", paired = TRUE)', repeat=2
    )
    r_eval("rm(.cetrus_r1, .cetrus_r2, envir = globalenv()); invisible(gc())")
    rows.append(row(B, "pROC roc.test on prebuilt curves", r_test_only, "s"))
    rows.append(row(B, "speed-up vs roc.test on prebuilt curves", r_test_only / t_test, "x"))

    # tie-heavy: 40 distinct values; time must scale like n log n, not n^2
    yt, at, _ = _sample(n, 1, levels=10)
    small = n // 10
    t_big = best_of(lambda: auc_ci(yt, at), 3)
    t_small = best_of(lambda: auc_ci(yt[:small], at[:small]), 5)
    rows.append(row(B, f"auc_ci tie-heavy ({np.unique(at).size} values) n={n:,}", t_big, "s"))
    ratio = t_big / t_small
    rows.append(
        row(
            B,
            "tie-heavy time(n) / time(n/10)",
            ratio,
            "x",
            target="<= 20 (n log n)",
            met=ratio <= 20,
        )
    )
    rows += _pairs(10_000 if quick else 100_000, 10)
    return rows


def _pairs(n: int, k: int) -> list[dict]:
    """All K(K-1)/2 paired DeLong tests: roc_test_pairs vs pROC (and vs roc_test per pair)."""
    rng = np.random.default_rng(5)
    y = (rng.random(n) < 0.3).astype(np.int64)
    base = rng.normal(size=n) + 0.8 * y
    S = np.column_stack([base + rng.normal(scale=0.5 + 0.1 * j, size=n) for j in range(k)])
    scores = {f"m{j}": S[:, j] for j in range(k)}
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    roc_test_pairs(y, scores)  # warm-up
    t_all = best_of(lambda: roc_test_pairs(y, scores), 3)
    t_each = best_of(lambda: [roc_test(y, S[:, i], S[:, j]) for i, j in pairs], 1)
    r_all = r_best_of(
        "rocs <- lapply(seq_len(ncol(S)), function(k) pROC::roc(y, S[, k], levels = c(0, 1), "
        'direction = "<", quiet = TRUE)); '
        "for (i in seq_len(ncol(S) - 1)) for (j in (i + 1):ncol(S)) "
        'pROC::roc.test(rocs[[i]], rocs[[j]], method = "delong", paired = TRUE)',
        repeat=1,
        y=y.astype(float),
        S=S,
    )
    label = f"K={k} ({len(pairs)} pairs) n={n:,}"
    return [
        row(B, f"roc_test_pairs {label}", t_all, "s"),
        row(B, f"roc_test pair by pair {label}", t_each, "s"),
        row(B, f"pROC roc() x{k} + roc.test x{len(pairs)}", r_all, "s"),
        row(
            B,
            "speed-up vs pROC, all pairs",
            r_all / t_all,
            "x",
            target=">= 10",
            met=r_all / t_all >= 10,
        ),
        row(B, "roc_test_pairs vs roc_test pair by pair", t_each / t_all, "x"),
    ]
