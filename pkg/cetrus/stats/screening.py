r"""Screening rules of the radiomics selection: the Mann–Whitney screen and the Spearman filter.

The paper (Section 2.5) screens the DenseNet201 features of each modality on the
training cohort before the LASSO (:mod:`cetrus.stats.lasso`):

1. **Mann–Whitney U screen** (:func:`mwu_pvalues`), keep ``p < 0.05`` — R's
   ``wilcox.test(x, y)`` at its defaults, one p-value per column;
2. **Spearman redundancy filter** (:func:`spearman_filter`) — visit features by
   ascending Mann–Whitney p (ties: column order) and keep one when
   :math:`|\rho| \le 0.9` with every feature already kept; :math:`\rho` is R's
   ``cor(x, method = "spearman")`` (:func:`spearman`).

=======================  ===============================================================
function                 R twin
=======================  ===============================================================
:func:`mwu_pvalues`      ``sapply(X, function(x) wilcox.test(x[y == 1], x[y == 0])$p.value)``
:func:`spearman`         ``cor(X, method = "spearman")``
:func:`spearman_filter`  the paper's greedy rule on that matrix (no R function)
=======================  ===============================================================

Every function takes arrays or ``data=`` plus column names (``features=``, and
``outcome=`` for :func:`mwu_pvalues`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._features import feature_matrix, resolve_x, resolve_xy
from cetrus.stats._validation import binary_outcome

__all__ = ["mwu_pvalues", "spearman", "spearman_filter"]


def mwu_pvalues(
    X: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: Any = None,
    features: Sequence[Any] | None = None,
    positive: Any = None,
) -> pd.Series:
    """Two-sided Mann–Whitney p-value of every feature, cases against controls.

    Parameters
    ----------
    X : DataFrame or 2-D array, optional
        Features (rows = patients); or pass ``data=``.
    y : array-like, optional
        Binary outcome (the case level: ``positive``, else the larger of two sorted levels).
    data : DataFrame, keyword-only, optional
        Table holding the outcome and the features (instead of ``X``, ``y``).
    outcome : column label, keyword-only
        The outcome's column in ``data``.
    features : sequence of column labels, keyword-only, optional
        The feature columns in ``data`` (default: every column but ``outcome``).
    positive : keyword-only, optional
        The case level of the outcome.

    Returns
    -------
    pandas.Series
        ``pvalue`` per feature (index: the column names; ``x0, x1, …`` for an array).
        A constant column's p-value is ``nan`` (R: ``NaN``).

    See Also
    --------
    cetrus.stats.baseline.mann_whitney : the test itself (vectorised over columns).
    spearman_filter : the next step of the selection.

    Notes
    -----
    R's ``wilcox.test`` at its defaults: the exact p-value when both groups have fewer
    than 50 values and there are no ties, else the normal approximation with continuity
    and tie correction. Own code (:func:`cetrus.stats.baseline.mann_whitney`) rather
    than ``scipy.stats.mannwhitneyu``, whose ``method="auto"`` switches to the normal
    approximation at another sample size than R.

    References
    ----------
    .. [1] Mann HB, Whitney DR (1947). On a test of whether one of two random variables
       is stochastically larger than the other. *Ann Math Stat* 18:50–60.
    .. [2] R: ``stats::wilcox.test(x, y)``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1, 1, 1, 1, 0, 0, 0],
    ...                   "a": [1.5, 2, 3, 4, 0, 1, 1.5], "b": [1, 2, 3, 4, 5, 6, 7]})
    >>> mwu_pvalues(data=d, outcome="y").round(4)
    a    0.0745
    b    0.0571
    Name: pvalue, dtype: float64
    """
    from cetrus.stats.baseline import mann_whitney

    X, y = resolve_xy(X, y, data, outcome, features, "mwu_pvalues")
    arr, names = feature_matrix(X)
    case = binary_outcome(y, "y", positive=positive).is_case
    if case.size != arr.shape[0]:
        raise InputError(f"'y' has {case.size} values but X has {arr.shape[0]} rows.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)  # constant columns: p = nan
        res = mann_whitney(arr[case], arr[~case])
    return pd.Series(np.asarray(res.pvalue, dtype=float), index=list(names), name="pvalue")


def spearman(
    X: Any = None, *, data: pd.DataFrame | None = None, features: Sequence[Any] | None = None
) -> np.ndarray:
    """Spearman's rank correlation matrix of the columns of ``X``.

    Parameters
    ----------
    X : DataFrame or 2-D array, optional
        Features (rows = patients); or pass ``data=``.
    data : DataFrame, keyword-only, optional
        Table holding the features.
    features : sequence of column labels, keyword-only, optional
        The columns of ``data`` to correlate (default: all).

    Returns
    -------
    numpy.ndarray
        ``(p, p)`` correlation matrix, columns in input order.

    See Also
    --------
    spearman_filter : the greedy redundancy filter built on it.
    scipy.stats.spearmanr : what computes it.

    Notes
    -----
    Pearson correlation of the columns' mid-ranks, computed by
    ``scipy.stats.spearmanr`` (equal to R's ``cor(X, method = "spearman")`` to ~1e-15,
    ``validation/cases/selection.py``). A constant column has undefined correlations:
    its row and column are ``nan`` (R: ``NA``), with one
    :class:`~cetrus.errors.UndefinedStatisticWarning`.

    References
    ----------
    .. [1] Spearman C (1904). The proof and measurement of association between two
       things. *Am J Psychol* 15:72–101.
    .. [2] R: ``stats::cor(X, method = "spearman")``.

    Examples
    --------
    >>> X = [[1, 2, 9], [2, 1, 8], [3, 4, 7], [4, 3, 5]]
    >>> spearman(X).round(2)
    array([[ 1. ,  0.6, -1. ],
           [ 0.6,  1. , -0.6],
           [-1. , -0.6,  1. ]])
    """
    from scipy.stats import spearmanr

    arr, names = feature_matrix(resolve_x(X, data, features, "spearman"))
    p = arr.shape[1]
    const = np.ptp(arr, axis=0) == 0 if arr.shape[0] else np.ones(p, dtype=bool)
    if p == 1:
        rho = np.ones((1, 1))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant input: scipy warns, we warn below
            r = spearmanr(arr).statistic
        rho = np.array([[1.0, r], [r, 1.0]]) if p == 2 else np.array(r, dtype=np.float64)
    np.fill_diagonal(rho, 1.0)
    if const.any():
        rho[const, :] = np.nan
        rho[:, const] = np.nan
        warnings.warn(
            f"Spearman correlation is undefined (nan) for {int(const.sum())} constant "
            f"column(s), e.g. {names[int(np.flatnonzero(const)[0])]!r}.",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    return rho


def _unit_ranks(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of each column, centred and scaled to unit norm; also which were constant.

    The product of two such columns is their Spearman correlation; the filter needs
    only the kept feature against the rest, never the whole matrix.
    """
    from scipy.stats import rankdata

    ranks = rankdata(arr, axis=0, method="average")
    c = ranks - ranks.mean(axis=0)
    norm = np.sqrt(np.einsum("ij,ij->j", c, c))
    const = norm <= 1e-12 * max(1.0, float(np.abs(ranks).max(initial=0.0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(const, 0.0, c / np.where(const, 1.0, norm))
    return z, const


def spearman_filter(
    X: Any = None,
    order: Sequence[Any] | None = None,
    *,
    data: pd.DataFrame | None = None,
    features: Sequence[Any] | None = None,
    threshold: float = 0.9,
) -> tuple:
    r"""Greedy redundancy filter: keep a feature when :math:`|\rho| \le` ``threshold`` with all kept.

    Parameters
    ----------
    X : DataFrame or 2-D array, optional
        Features (rows = patients); or pass ``data=``.
    order : sequence, optional
        The visiting order — column labels (DataFrame) or indices (array); the paper
        visits by ascending Mann–Whitney p (ties by column order). Default: column
        order. Columns not listed are not considered.
    data : DataFrame, keyword-only, optional
        Table holding the features.
    features : sequence of column labels, keyword-only, optional
        The columns of ``data`` to filter (default: all).
    threshold : float, keyword-only
        Keep when :math:`|\rho_{jk}| \le` threshold for every kept ``k`` (default 0.9).

    Returns
    -------
    tuple
        The kept labels (or indices), in visiting order.

    See Also
    --------
    spearman : the correlation it uses.
    mwu_pvalues : the p-values that set the paper's visiting order.

    Notes
    -----
    Columns are ranked once; each newly kept feature is correlated (one matrix–vector
    product) with the not-yet-visited, not-yet-excluded features, which are then
    excluded when :math:`|\rho| >` threshold. That is the greedy rule, computed without
    the full correlation matrix (so not by ``scipy.stats.spearmanr``). Constant columns
    (undefined ρ) are never kept (:class:`~cetrus.errors.UndefinedStatisticWarning`).

    References
    ----------
    .. [1] The paper's Section 2.5; R: ``cor(X, method = "spearman")`` for each ρ.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1, 2, 3, 4, 5], "a2": [2, 4, 6, 8, 11], "b": [5, 1, 4, 2, 3]})
    >>> spearman_filter(X, ["a2", "b", "a"])
    ('a2', 'b')
    """
    X = resolve_x(X, data, features, "spearman_filter")
    arr, names = feature_matrix(X)
    if not 0.0 <= float(threshold) <= 1.0:
        raise InputError(
            f"The 'threshold' parameter of spearman_filter must be in [0, 1]. "
            f"Got {threshold!r} instead."
        )
    labels = list(X.columns) if isinstance(X, pd.DataFrame) else list(range(arr.shape[1]))
    if order is None:
        idx = np.arange(arr.shape[1])
    else:
        lookup = {lab: j for j, lab in enumerate(labels)}
        try:
            idx = np.array([lookup[o] for o in order], dtype=np.intp)
        except KeyError as exc:
            raise InputError(
                f"'order' names {exc.args[0]!r}, which is not a column of X."
            ) from None
        if np.unique(idx).size != idx.size:
            raise InputError("'order' lists a column more than once.")
    if idx.size == 0:
        return ()
    z, const = _unit_ranks(arr[:, idx])
    if const.any():
        warnings.warn(
            f"{int(const.sum())} constant column(s) skipped by the Spearman filter "
            f"(undefined correlation), e.g. {names[int(idx[np.flatnonzero(const)[0]])]!r}.",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    z = np.asfortranarray(z)
    alive = ~const
    kept: list[int] = []
    thr = float(threshold)
    for j in range(idx.size):
        if not alive[j]:
            continue
        kept.append(j)
        alive[j] = False
        rest = np.flatnonzero(alive[j + 1 :]) + j + 1
        if rest.size:
            rho = z[:, j] @ z[:, rest]
            alive[rest[np.abs(rho) > thr]] = False
    return tuple(labels[int(idx[k])] for k in kept)
