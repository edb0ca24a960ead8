"""Two-group baseline comparisons (the paper's Table 1), each equal to its R twin.

=======================  =========================================================
function                 R twin
=======================  =========================================================
:func:`mann_whitney`     ``wilcox.test(x, y, exact=FALSE, correct=TRUE)`` (vectorised
                         over columns; ``exact=True`` as ``wilcox.test(exact=TRUE)``)
=======================  =========================================================
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._validation import choice

_ALTERNATIVES = ("two.sided", "less", "greater")


# --------------------------------------------------------------------------- Mann–Whitney

@dataclass(frozen=True, slots=True)
class MannWhitneyResult(Result):
    """Wilcoxon rank-sum / Mann–Whitney U test.

    ``statistic`` is R's ``W`` (the U statistic of ``x``); ``z`` is the (continuity
    corrected) normal deviate, ``nan`` for the exact test. For 2-D input every
    numeric field is an array with one entry per column.
    """

    statistic: Any
    pvalue: Any
    z: Any
    n_x: int
    n_y: int
    alternative: str
    correct: bool
    exact: bool
    method: str


def _as_samples(values: Any, name: str) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.DataFrame)) else np.asarray(values)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise InputError(f"{name!r} must be numeric. Got dtype {arr.dtype} instead.") from None
    arr = np.asarray(arr, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise InputError(f"{name!r} must be 1-d or 2-d (samples × columns). Got shape {arr.shape}.")
    if arr.shape[0] < 1:
        raise InputError(f"{name!r} is empty; each group needs at least one observation.")
    bad = ~np.isfinite(arr)
    if bad.any():
        where = np.argwhere(bad)[0]
        raise InputError(f"{name!r} has {int(bad.sum())} missing or infinite value(s) "
                         f"(first at {tuple(int(i) for i in where)}); drop or impute them first.")
    return arr


def _rank_sums(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Midrank sum of ``x`` in the pooled sample and ``sum(t³ − t)`` over tie groups.

    Column-wise on (n, k) arrays with one sort per column (O(n log n)): after
    sorting, each element's tie group runs from ``start`` to ``end``; its midrank is
    ``(start + end)/2 + 1`` and ``Σ_elements (t² − 1) = Σ_groups (t³ − t)``.
    Works on the transposed (k, n) copy so every sort runs over contiguous memory.
    """
    nx = x.shape[0]
    pooled = np.ascontiguousarray(np.concatenate([x, y], axis=0).T)
    n = pooled.shape[1]
    order = np.argsort(pooled, axis=1)  # midranks make the sort's stability irrelevant
    s = np.take_along_axis(pooled, order, axis=1)
    idx = np.arange(n, dtype=np.int64)[None, :]
    is_first = np.ones(s.shape, dtype=bool)
    is_first[:, 1:] = s[:, 1:] != s[:, :-1]
    is_last = np.ones(s.shape, dtype=bool)
    is_last[:, :-1] = is_first[:, 1:]
    start = np.maximum.accumulate(np.where(is_first, idx, 0), axis=1)
    end = np.minimum.accumulate(np.where(is_last, idx, n)[:, ::-1], axis=1)[:, ::-1]
    midrank = (start + end) * 0.5 + 1.0
    t = (end - start + 1).astype(np.float64)
    rank_sum_x = np.where(order < nx, midrank, 0.0).sum(axis=1)
    ties = (t * t - 1.0).sum(axis=1)
    return rank_sum_x, ties


def _pwilcox_counts(m: int, n: int) -> np.ndarray:
    """Counts of each U = 0..m·n over all C(m+n, m) arrangements (no ties).

    The generating function is the Gaussian binomial ``Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i)``
    (Mann & Whitney 1947); R's ``pwilcox`` counts the same recursion (``cwilcox``).
    """
    size = m * n + 1
    c = np.zeros(size)
    c[0] = 1.0
    for i in range(1, m + 1):
        # multiply by (1 − q^{n+i}), then divide by (1 − q^i) (a lag-i cumulative sum)
        k = n + i
        if k < size:
            c[k:] -= c[:-k].copy()
        for j in range(i, size):
            c[j] += c[j - i]
    return c


def _exact_p(w: float, m: int, n: int, alternative: str) -> float:
    counts = _pwilcox_counts(m, n)
    total = counts.sum()
    cdf = np.cumsum(counts) / total

    def p_le(q: float) -> float:  # P(U <= q), q integer-valued
        q = math.floor(q + 1e-7)
        return 0.0 if q < 0 else float(cdf[min(q, m * n)])

    if alternative == "two.sided":
        p = 1.0 - p_le(w - 1) if w > m * n / 2 else p_le(w)
        return min(2.0 * p, 1.0)
    if alternative == "greater":
        return 1.0 - p_le(w - 1)
    return p_le(w)


def mann_whitney(x: Any, y: Any, *, correct: bool = True, exact: bool = False,
                 alternative: str = "two.sided") -> MannWhitneyResult:
    r"""Wilcoxon rank-sum (Mann–Whitney U) test of ``x`` against ``y``, column by column.

    Parameters
    ----------
    x, y : array-like, shape (n_x,) / (n_y,) or (n_x, k) / (n_y, k)
        The two groups (``x`` is the first group: its U is reported). 2-D inputs are
        tested column by column without a Python loop (one sort per column).
    correct : bool, default True
        Continuity correction of the normal approximation (R's ``correct``).
    exact : bool, default False
        Exact null distribution (R's ``pwilcox``). As in R, with ties the exact
        p-value cannot be computed: a warning is issued and the normal approximation
        is used for that column.
    alternative : {"two.sided", "less", "greater"}
        As R's ``alternative`` (``"greater"``: ``x`` tends to exceed ``y``).

    Returns
    -------
    MannWhitneyResult
        ``statistic`` = R's ``W`` = :math:`R_x - n_x(n_x+1)/2` with :math:`R_x` the
        midrank sum of ``x`` in the pooled sample.

    Notes
    -----
    Normal approximation with tie and continuity correction, exactly as R's
    ``wilcox.test(x, y, exact=FALSE, correct=TRUE)`` (stats 4.2):

    .. math::
        z = \frac{W - n_x n_y/2 - \operatorname{sign}(W - n_x n_y/2)\,/2}
                 {\sqrt{\frac{n_x n_y}{12}\Bigl(n_x + n_y + 1 -
                  \frac{\sum_j (t_j^3 - t_j)}{(n_x+n_y)(n_x+n_y-1)}\Bigr)}}

    with :math:`t_j` the tie-group sizes; two-sided :math:`p = 2\min(\Phi(z), 1-\Phi(z))`.

    Edge cases: a column that is constant across both groups has zero variance;
    like R its ``z`` and p-value are ``nan`` (with :class:`UndefinedStatisticWarning`).
    Missing values are an error (R drops them, which would give each column its own n).
    The paper (Table 1 and the first step of its feature selection) uses this test.
    """
    choice(alternative, _ALTERNATIVES, "alternative", "mann_whitney")
    xa, ya = _as_samples(x, "x"), _as_samples(y, "y")
    if xa.ndim != ya.ndim or (xa.ndim == 2 and xa.shape[1] != ya.shape[1]):
        raise InputError(f"'x' and 'y' must have the same number of columns. "
                         f"Got shapes {xa.shape} and {ya.shape}.")
    one_d = xa.ndim == 1
    x2, y2 = (xa[:, None], ya[:, None]) if one_d else (xa, ya)
    nx, ny = x2.shape[0], y2.shape[0]
    rank_sum, ties = _rank_sums(x2, y2)
    w = rank_sum - nx * (nx + 1) / 2.0

    z0 = w - nx * ny / 2.0
    if correct:
        corr = {"two.sided": np.sign(z0) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    else:
        corr = 0.0
    n = nx + ny
    var_term = (nx * ny / 12.0) * ((n + 1) - ties / (n * (n - 1))) if n > 1 else np.full_like(w, np.nan)
    sigma = np.sqrt(np.maximum(var_term, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (z0 - corr) / sigma
    z = np.where(sigma > 0, z, np.nan)
    from scipy.special import ndtr

    if alternative == "two.sided":
        p = 2.0 * np.minimum(ndtr(z), ndtr(-z))
    elif alternative == "greater":
        p = ndtr(-z)
    else:
        p = ndtr(z)

    exact_cols = np.zeros(w.shape, dtype=bool)
    if exact:
        has_ties = ties > 0
        if has_ties.any():
            warnings.warn("mann_whitney: cannot compute exact p-value with ties; "
                          "using the normal approximation" + ("" if one_d else
                          f" for {int(has_ties.sum())} column(s)"), UndefinedStatisticWarning,
                          stacklevel=2)
        for j in np.flatnonzero(~has_ties):
            p[j] = _exact_p(float(w[j]), nx, ny, alternative)
            z[j] = np.nan
            exact_cols[j] = True
    if np.isnan(p[~exact_cols]).any():
        warnings.warn("mann_whitney: all values tied (zero variance) in "
                      + ("the sample" if one_d else f"{int(np.isnan(p).sum())} column(s)")
                      + "; statistic undefined, p-value is nan", UndefinedStatisticWarning,
                      stacklevel=2)

    if exact and exact_cols.all():
        method = "Wilcoxon rank sum exact test"
    elif correct:
        method = "Wilcoxon rank sum test with continuity correction"
    else:
        method = "Wilcoxon rank sum test"
    if one_d:
        return MannWhitneyResult(float(w[0]), float(p[0]), float(z[0]), nx, ny, alternative,
                                 bool(correct), bool(exact_cols[0]), method)
    return MannWhitneyResult(w, p, z, nx, ny, alternative, bool(correct), bool(exact), method)
