"""Two-group tests (the comparisons behind the paper's Table 1), each equal to its R twin.

The paper (Section 2.8, Table 1) compares the metastasis and non-metastasis groups
with the t-test when both groups look normal and variances look equal, else the
Mann–Whitney U test, and categorical variables with the χ² test. :func:`compare_groups`
makes that choice (``test="auto"``) and reports it; the Table 1 layout lives in
:mod:`cetrus.stats.tableone`.

=======================  =========================================================
function                 R twin
=======================  =========================================================
:func:`mann_whitney`     ``wilcox.test(x, y)`` at its defaults (exact when both groups
                         < 50 and no ties, else normal with ``correct=TRUE``), vectorised
                         over columns
:func:`student_t`        ``t.test(x, y, var.equal=TRUE)``
:func:`welch_t`          ``t.test(x, y)``
:func:`chi_square`       ``chisq.test(table)`` (Yates' correction for 2×2)
:func:`fisher_exact`     ``fisher.test(table)`` (p for any r×c; OR and CI for 2×2)
:func:`shapiro_wilk`     ``shapiro.test(x)``
:func:`levene`           ``car::leveneTest(y ~ group, center = median)``
:func:`compare_groups`   the formula interface, e.g. ``t.test(value ~ group)``, with
                         the paper's automatic choice of test
=======================  =========================================================

Every test takes arrays, or ``data=`` plus column names (``dv``/``group`` for the
two-sample tests, ``rows``/``columns`` for the contingency tests).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, cast

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._fexact import FISHER_MAX_LEVELS, _fisher_rxc_p
from cetrus.stats._validation import choice

_ALTERNATIVES = ("two-sided", "less", "greater")
Alternative = Literal["two-sided", "less", "greater"]


def _alternative(value: Any, func: str) -> Alternative:
    """``alternative`` in Python's spelling; R's ``"two.sided"`` is accepted as an alias."""
    if value == "two.sided":
        return "two-sided"
    # choice() has checked value is one of _ALTERNATIVES, which are Alternative's values
    return cast(Alternative, choice(value, _ALTERNATIVES, "alternative", func))


# --------------------------------------------------------------------------- R's print.htest

_ALT_TEXT = {"two-sided": "not equal to", "less": "less than", "greater": "greater than"}


def _fmt_p(p: float) -> str:
    """``format.pval(p, digits = 4)`` as print.htest writes it."""
    if p is None or not np.isfinite(p):
        return "p-value = NA"
    if p < 2.2e-16:
        return "p-value < 2.2e-16"
    return f"p-value = {format_value(float(p), 4)}"


def _htest_lines(
    method: str,
    data: str,
    stats: list[tuple[str, Any]],
    pvalue: float,
    null: tuple[str, float] | None = None,
    alternative: str = "two-sided",
    ci: tuple[float, float, float] | None = None,
    estimates: list[tuple[str, float]] | None = None,
) -> list[str]:
    """Lines laid out as R's ``print.htest`` (stats 4.2) lays them out."""
    head = ", ".join(
        [f"{k} = {format_value(v, 5) if isinstance(v, float) else v}" for k, v in stats]
        + [_fmt_p(pvalue)]
    )
    out = ["", f"\t{method.strip()}", "", f"data:  {data}", head]
    if null is not None:
        out.append(
            f"alternative hypothesis: true {null[0]} is {_ALT_TEXT[alternative]} "
            f"{format_value(float(null[1]))}"
        )
    if ci is not None:
        out += [
            f"{format_value(100 * ci[0])} percent confidence interval:",
            " " + " ".join(_r_format_common([ci[1], ci[2]])),
        ]
    if estimates:
        values = _r_format_common([v for _, v in estimates])
        width = max(max(len(k) for k, _ in estimates), *map(len, values))
        out += [
            "sample estimates:",
            " ".join(k.rjust(width) for k, _ in estimates),
            " ".join(v.rjust(width) for v in values),
        ]
    return out + [""]


def _r_format_common(values: list[float], digits: int = 7) -> list[str]:
    """R's ``format(c(...), digits = 7)`` for a few numbers: each shown to ``digits``
    significant digits at most, all with the same number of decimals."""
    decimals = 0
    for v in values:
        if not np.isfinite(v) or v == 0:
            continue
        sig = next(
            d
            for d in range(1, digits + 1)
            if float(f"{v:.{d - 1}e}") == float(f"{v:.{digits - 1}e}")
        )
        decimals = max(decimals, sig - 1 - math.floor(math.log10(abs(float(f"{v:.{sig - 1}e}")))))
    out = [
        ("Inf" if v > 0 else "-Inf")
        if np.isinf(v)
        else "NA"
        if np.isnan(v)
        else f"{v:.{decimals}f}"
        for v in values
    ]
    width = max(map(len, out))
    return [o.rjust(width) for o in out]


def _two_samples(
    x: Any, y: Any, data: Any, dv: str | None, group: str | None, func: str
) -> tuple[Any, Any]:
    """The two groups from arrays, or from ``data[dv]`` split by the two sorted levels
    of ``data[group]`` (R's ``f(dv ~ group, data)``)."""
    if data is None:
        if x is None or y is None:
            raise InputError(
                f"{func} needs the two samples 'x' and 'y', or data= with the "
                "column names dv= and group=."
            )
        return x, y
    if x is not None or y is not None:
        raise InputError(
            f"{func}: give either the samples x and y or data= with dv= and group=, not both."
        )
    if dv is None or group is None:
        raise InputError(
            f"{func}: with data=, name the value column (dv=) and the two-level "
            "group column (group=)."
        )
    v = _check_column(data, dv, "dv", func)
    g = _check_column(data, group, "group", func)
    if g.isna().any():
        raise InputError(
            f"group column {group!r} has {int(g.isna().sum())} missing value(s); drop them first."
        )
    levels = _sorted_levels(g)
    if len(levels) != 2:
        raise InputError(
            f"group column {group!r} must have exactly two levels. "
            f"Got {len(levels)}: {', '.join(repr(x) for x in levels[:6])}."
        )
    return (v[(g == levels[0]).to_numpy()].to_numpy(), v[(g == levels[1]).to_numpy()].to_numpy())


def _table_from(table: Any, data: Any, rows: str | None, columns: str | None, func: str) -> Any:
    """A count table as given, or R's ``table(data[[rows]], data[[columns]])`` (levels
    sorted; a missing value in either column is an error)."""
    if data is None:
        if table is None:
            raise InputError(
                f"{func} needs a table of counts, or data= with the column names "
                "rows= and columns=."
            )
        return table
    if table is not None:
        raise InputError(f"{func}: give either a table or data= with rows= and columns=, not both.")
    if rows is None or columns is None:
        raise InputError(f"{func}: with data=, name the two columns to cross (rows=, columns=).")
    r = _check_column(data, rows, "rows", func)
    c = _check_column(data, columns, "columns", func)
    for name, col in ((rows, r), (columns, c)):
        if col.isna().any():
            raise InputError(
                f"column {name!r} has {int(col.isna().sum())} missing value(s); drop them first."
            )
    rl, cl = _sorted_levels(r), _sorted_levels(c)
    rv, cv = r.to_numpy(), c.to_numpy()
    return np.array([[int(((rv == a) & (cv == b)).sum()) for b in cl] for a in rl])


# --------------------------------------------------------------------------- Mann–Whitney


@dataclass(frozen=True, slots=True, repr=False)
class MannWhitneyResult(Result):
    """Wilcoxon rank-sum / Mann–Whitney U test.

    ``statistic`` is R's ``W`` (the U statistic of ``x``); ``z`` is the (continuity
    corrected) normal deviate, ``nan`` for the exact test. For 2-D input every
    numeric field is an array with one entry per column.

    See Also
    --------
    mann_whitney

    Examples
    --------
    >>> from cetrus.stats.groups import mann_whitney
    >>> mann_whitney([5.1, 4.9, 6.2, 5.8, 6.0], [6.4, 7.1, 6.8, 7.3])
    MannWhitneyResult(statistic=0, pvalue=0.01587, n_x=5, n_y=4, alternative='two-sided', method='Wilcoxon rank sum exact test')
    """

    statistic: Any
    pvalue: Any
    z: Any
    n_x: int
    n_y: int
    alternative: str
    correct: bool
    exact: bool | np.ndarray  # per column when x and y are matrices
    method: str

    _headline: ClassVar[tuple[str, ...]] = (
        "statistic",
        "pvalue",
        "n_x",
        "n_y",
        "alternative",
        "method",
    )

    def _print_lines(self) -> list[str]:
        if np.ndim(self.statistic):
            return [self.method, "", f"{np.size(self.statistic)} columns; see to_frame()"]
        return _htest_lines(
            self.method,
            "x and y",
            [("W", float(self.statistic))],
            self.pvalue,
            ("location shift", 0.0),
            self.alternative,
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per column tested (``statistic``, ``pvalue``, ``z``, ``exact``)."""
        return pd.DataFrame(
            {
                "statistic": np.atleast_1d(self.statistic),
                "pvalue": np.atleast_1d(self.pvalue),
                "z": np.atleast_1d(self.z),
                "exact": np.atleast_1d(self.exact),
                "n_x": self.n_x,
                "n_y": self.n_y,
                "alternative": self.alternative,
                "method": self.method,
            }
        )


def _as_samples(
    values: Any, name: str, *, allow_inf: bool = False, drop_nan: bool = False
) -> np.ndarray:
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
    if drop_nan and arr.ndim == 1:
        arr = arr[~np.isnan(arr)]  # as R's x[!is.na(x)]
    if arr.shape[0] < 1:
        raise InputError(
            f"{name!r} is empty; each group needs at least one (non-missing) observation."
        )
    bad = np.isnan(arr) if allow_inf else ~np.isfinite(arr)
    if bad.any():
        where = np.argwhere(bad)[0]
        what = "missing" if allow_inf else "missing or infinite"
        raise InputError(
            f"{name!r} has {int(bad.sum())} {what} value(s) "
            f"(first at {tuple(int(i) for i in where)}); drop or impute them first."
        )
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


def _exact_p(w: float, m: int, n: int, alternative: str, cdf: np.ndarray | None = None) -> float:
    if cdf is None:
        counts = _pwilcox_counts(m, n)
        cdf = np.cumsum(counts) / counts.sum()

    mn = m * n

    def p_le(q: float) -> float:  # P(U <= q), q integer-valued
        q = math.floor(q + 1e-7)
        return 0.0 if q < 0 else float(cdf[min(q, mn)])

    def p_gt(q: float) -> float:  # P(U > q) as R's pwilcox(q, lower.tail = FALSE) sums it:
        # past the middle, by the mirrored lower tail (so U and m·n − U get the very same
        # p, and features tied in p are ordered alike in R and here); else 0.5 − P + 0.5
        q = math.floor(q + 1e-7)
        if q > mn / 2:
            return p_le(mn - q - 1)
        return 0.5 - p_le(q) + 0.5

    if alternative == "two-sided":
        p = p_gt(w - 1) if w > mn / 2 else p_le(w)
        return min(2.0 * p, 1.0)
    if alternative == "greater":
        return p_gt(w - 1)
    return p_le(w)


def mann_whitney(
    x: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    dv: str | None = None,
    group: str | None = None,
    correct: bool = True,
    exact: bool | None = None,
    alternative: str = "two-sided",
) -> MannWhitneyResult:
    r"""Wilcoxon rank-sum (Mann–Whitney U) test of ``x`` against ``y``, column by column.

    Parameters
    ----------
    x, y : array-like, shape (n_x,) / (n_y,) or (n_x, k) / (n_y, k)
        The two groups (``x`` is the first group: its U is reported). 2-D inputs are
        tested column by column without a Python loop (one sort per column).
        ``±inf`` are ranked as R ranks them (below/above every finite value). As R,
        missing values (NaN) are dropped from 1-D input; in 2-D input they are an
        error (each column would get its own n).
    correct : bool, default True
        Continuity correction of the normal approximation (R's ``correct``).
    exact : bool or None, default None
        ``None`` is R's default rule: the exact null distribution (R's ``pwilcox``)
        when both groups have fewer than 50 values and the column has no ties, else
        the normal approximation. ``True``/``False`` force it as R's
        ``exact = TRUE/FALSE``. As R, with ties the exact p-value cannot be computed:
        when exact was asked for (or chosen by the rule) a warning is issued and the
        normal approximation is used for that column.
    data : DataFrame, optional
        With ``dv`` and ``group``: the values ``data[dv]`` split by the two sorted
        levels of ``data[group]`` (the first level is ``x``), as R's
        ``wilcox.test(dv ~ group, data)``.
    alternative : {"two-sided", "less", "greater"}
        As R's ``alternative`` (``"greater"``: ``x`` tends to exceed ``y``); R's
        spelling ``"two.sided"`` is accepted.

    Returns
    -------
    MannWhitneyResult
        ``statistic`` = R's ``W`` = :math:`R_x - n_x(n_x+1)/2` with :math:`R_x` the
        midrank sum of ``x`` in the pooled sample; ``exact`` tells whether the exact
        p-value was used (per column for 2-D input).

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
    The paper (Table 1 and the first step of its feature selection) uses this test.

    Own code rather than :func:`scipy.stats.mannwhitneyu`: scipy has R's statistic
    and normal approximation, but not R's rule for the exact test (scipy goes exact
    up to 8 per group, R below 50 without ties) nor ``pwilcox``'s tail sums that
    make tied features order alike; and it loops over columns where this ranks
    thousands of radiomics features in one sort.

    See Also
    --------
    student_t, welch_t : the parametric tests.
    compare_groups : chooses between them by the paper's rule.

    References
    ----------
    Mann, H. B. & Whitney, D. R. (1947). *Ann. Math. Stat.* 18, 50–60.
    R: ``stats::wilcox.test(x, y)``.

    Examples
    --------
    >>> from cetrus.stats.groups import mann_whitney
    >>> res = mann_whitney([1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30],
    ...                    [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
    ...                    alternative="greater")
    >>> print(res)  # as R prints it (both warn: ties, so no exact p)  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
        Wilcoxon rank sum test with continuity correction
    <BLANKLINE>
    data:  x and y
    W = 58, p-value = 0.06646
    alternative hypothesis: true location shift is greater than 0
    <BLANKLINE>
    """
    alternative = _alternative(alternative, "mann_whitney")
    x, y = _two_samples(x, y, data, dv, group, "mann_whitney")
    if exact is not None and not isinstance(exact, (bool, np.bool_)):
        raise InputError(
            f"The 'exact' parameter of mann_whitney must be True, False or None. "
            f"Got {exact!r} instead."
        )
    xa = _as_samples(x, "x", allow_inf=True, drop_nan=True)
    ya = _as_samples(y, "y", allow_inf=True, drop_nan=True)
    if xa.ndim != ya.ndim or (xa.ndim == 2 and xa.shape[1] != ya.shape[1]):
        raise InputError(
            f"'x' and 'y' must have the same number of columns. "
            f"Got shapes {xa.shape} and {ya.shape}."
        )
    one_d = xa.ndim == 1
    x2, y2 = (xa[:, None], ya[:, None]) if one_d else (xa, ya)
    nx, ny = x2.shape[0], y2.shape[0]
    rank_sum, ties = _rank_sums(x2, y2)
    w = rank_sum - nx * (nx + 1) / 2.0

    z0 = w - nx * ny / 2.0
    if correct:
        corr = {"two-sided": np.sign(z0) * 0.5, "greater": 0.5, "less": -0.5}[alternative]
    else:
        corr = 0.0
    n = nx + ny
    var_term = (
        (nx * ny / 12.0) * ((n + 1) - ties / (n * (n - 1))) if n > 1 else np.full_like(w, np.nan)
    )
    sigma = np.sqrt(np.maximum(var_term, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (z0 - corr) / sigma
    z = np.where(sigma > 0, z, np.nan)
    from scipy.special import ndtr

    if alternative == "two-sided":
        p = 2.0 * np.minimum(ndtr(z), ndtr(-z))
    elif alternative == "greater":
        p = ndtr(-z)
    else:
        p = ndtr(z)

    want_exact = (nx < 50 and ny < 50) if exact is None else bool(exact)
    exact_cols = np.zeros(w.shape, dtype=bool)
    if want_exact:
        has_ties = ties > 0
        if has_ties.any():
            warnings.warn(
                "mann_whitney: cannot compute exact p-value with ties; "
                "using the normal approximation"
                + ("" if one_d else f" for {int(has_ties.sum())} column(s)"),
                UndefinedStatisticWarning,
                stacklevel=2,
            )
        free = np.flatnonzero(~has_ties)
        if free.size:
            counts = _pwilcox_counts(nx, ny)
            cdf = np.cumsum(counts) / counts.sum()
            for j in free:
                p[j] = _exact_p(float(w[j]), nx, ny, alternative, cdf)
                z[j] = np.nan
                exact_cols[j] = True
    if np.isnan(p[~exact_cols]).any():
        warnings.warn(
            "mann_whitney: all values tied (zero variance) in "
            + ("the sample" if one_d else f"{int(np.isnan(p).sum())} column(s)")
            + "; statistic undefined, p-value is nan",
            UndefinedStatisticWarning,
            stacklevel=2,
        )

    if exact_cols.all():
        method = "Wilcoxon rank sum exact test"
    elif correct:
        method = "Wilcoxon rank sum test with continuity correction"
    else:
        method = "Wilcoxon rank sum test"
    if one_d:
        return MannWhitneyResult(
            float(w[0]),
            float(p[0]),
            float(z[0]),
            nx,
            ny,
            alternative,
            bool(correct),
            bool(exact_cols[0]),
            method,
        )
    return MannWhitneyResult(w, p, z, nx, ny, alternative, bool(correct), exact_cols, method)


# --------------------------------------------------------------------------- t tests


@dataclass(frozen=True, slots=True, repr=False)
class TTestResult(Result):
    """Two-sample t test; ``estimate`` = mean(x) − mean(y) with its CI.

    See Also
    --------
    student_t, welch_t

    Examples
    --------
    >>> from cetrus.stats.groups import welch_t
    >>> welch_t([5.1, 4.9, 6.2, 5.8, 6.0], [6.4, 7.1, 6.8, 7.3])
    TTestResult(statistic=-4.044, df=6.906, pvalue=0.005047, estimate=-1.3, ci_low=-2.062, ci_high=-0.5378, method='Welch Two Sample t-test')
    """

    statistic: float
    df: float
    pvalue: float
    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float
    mean_x: float
    mean_y: float
    stderr: float
    n_x: int
    n_y: int
    alternative: str
    method: str

    _headline: ClassVar[tuple[str, ...]] = (
        "statistic",
        "df",
        "pvalue",
        "estimate",
        "ci_low",
        "ci_high",
        "method",
    )

    def _print_lines(self) -> list[str]:
        return _htest_lines(
            self.method,
            "x and y",
            [("t", self.statistic), ("df", self.df)],
            self.pvalue,
            ("difference in means", 0.0),
            self.alternative,
            (self.conf_level, self.ci_low, self.ci_high),
            [("mean of x", self.mean_x), ("mean of y", self.mean_y)],
        )


def _t_input(values: Any, name: str, minimum: int, func: str) -> np.ndarray:
    arr = _as_samples(values, name, drop_nan=True)  # as R's t.test: NA dropped
    if arr.ndim != 1:
        raise InputError(f"{name!r} of {func} must be one-dimensional. Got shape {arr.shape}.")
    if arr.size < minimum:
        raise InputError(
            f"not enough {name!r} observations for {func}: need at least {minimum}, got {arr.size}."
        )
    return arr


def _t_test(
    x: Any,
    y: Any,
    data: Any,
    dv: Any,
    group: Any,
    conf_level: float,
    alternative: str,
    equal_var: bool,
    func: str,
) -> TTestResult:
    """Both t tests through :func:`scipy.stats.ttest_ind`, which computes ``t.test``'s
    statistic, df, p and interval (agreement with R ≤ 1e-13 in the parity suite).

    Two R rules scipy does not have are kept here: R stops on essentially constant
    data (``stderr < 10 ε max(|x̄|, |ȳ|)``; here ``nan`` with a warning), and the
    pooled test allows a group of one observation (scipy's per-group variance is
    ``nan`` there, R's pooled variance just has no term for it).
    """
    from scipy import stats as sps

    from cetrus.stats._validation import conf_level as check_cl

    cl = check_cl(conf_level, func)
    alt = _alternative(alternative, func)
    x, y = _two_samples(x, y, data, dv, group, func)
    minimum = 1 if equal_var else 2
    xa, ya = _t_input(x, "x", minimum, func), _t_input(y, "y", minimum, func)
    nx, ny = xa.size, ya.size
    if nx + ny < 3:
        raise InputError(
            f"not enough observations for {func}: need at least 3 in total, got {nx + ny}."
        )
    mx, my = float(xa.mean()), float(ya.mean())
    method = " Two Sample t-test" if equal_var else "Welch Two Sample t-test"
    sd = [float(a.std(ddof=1)) if a.size > 1 else 0.0 for a in (xa, ya)]
    if equal_var:
        pooled = ((nx - 1) * sd[0] ** 2 + (ny - 1) * sd[1] ** 2) / (nx + ny - 2)
        stderr = math.sqrt(pooled * (1 / nx + 1 / ny))
    else:
        stderr = math.sqrt(sd[0] ** 2 / nx + sd[1] ** 2 / ny)
    diff = mx - my
    if not stderr > 10 * np.finfo(float).eps * max(abs(mx), abs(my)):
        warnings.warn(
            f"{func}: data are essentially constant; t is undefined (nan)",
            UndefinedStatisticWarning,
            stacklevel=3,
        )
        nan = float("nan")
        return TTestResult(nan, nan, nan, diff, nan, nan, cl, mx, my, stderr, nx, ny, alt, method)
    if min(nx, ny) > 1:
        res = sps.ttest_ind(xa, ya, equal_var=equal_var, alternative=alt)
        lo, hi = res.confidence_interval(cl)
        t, df, p = float(res.statistic), float(res.df), float(res.pvalue)
    else:  # a single observation in one group (pooled test only, as R allows)
        pooled_res = sps.ttest_ind_from_stats(
            mx, sd[0], nx, my, sd[1], ny, equal_var=True, alternative=alt
        )
        t, df, p = float(pooled_res.statistic), float(nx + ny - 2), float(pooled_res.pvalue)
        tail = {"two-sided": 1 - (1 - cl) / 2, "less": cl, "greater": cl}[alt]
        q = float(sps.t.ppf(tail, df)) * stderr
        lo = -np.inf if alt == "less" else diff - q
        hi = np.inf if alt == "greater" else diff + q
    return TTestResult(
        t, df, p, diff, float(lo), float(hi), cl, mx, my, stderr, nx, ny, alt, method
    )


def student_t(
    x: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    dv: str | None = None,
    group: str | None = None,
    conf_level: float = 0.95,
    alternative: str = "two-sided",
) -> TTestResult:
    r"""Student's two-sample t test with pooled variance, as ``t.test(x, y, var.equal=TRUE)``.

    .. math::
        t = \frac{\bar x - \bar y}{s_p\sqrt{1/n_x + 1/n_y}},\quad
        s_p^2 = \frac{(n_x-1)s_x^2 + (n_y-1)s_y^2}{n_x+n_y-2},\quad df = n_x + n_y - 2

    Parameters
    ----------
    x, y : array-like, optional
        The two samples (missing values dropped, as R).
    data : DataFrame, optional
        With ``dv`` (values) and ``group`` (two levels, sorted; the first is ``x``):
        R's ``t.test(dv ~ group, data, var.equal = TRUE)``.
    conf_level : float, default 0.95
        Level of the interval of ``mean(x) − mean(y)`` (R's ``conf.level``).
    alternative : {"two-sided", "less", "greater"}
        R's ``alternative``; ``"two.sided"`` is accepted.

    Returns
    -------
    TTestResult
        ``statistic`` (t), ``df``, ``pvalue``, ``estimate`` (difference of means) with
        ``ci_low``/``ci_high``; prints as R's ``print.htest``.

    See Also
    --------
    welch_t : unequal variances (R's default ``t.test``).
    mann_whitney : the rank-based alternative.

    Notes
    -----
    Computed by :func:`scipy.stats.ttest_ind` (equal to R's ``t.test``). As R: each
    group needs one observation and the two together three; data that are
    essentially constant (standard error below ``10 ε max(|x̄|, |ȳ|)``) give ``nan``
    with :class:`UndefinedStatisticWarning` (R stops with an error).

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika* 6, 1–25.
    R: ``stats::t.test(x, y, var.equal = TRUE)``.

    Examples
    --------
    >>> from cetrus.stats.groups import student_t
    >>> res = student_t([5.1, 4.9, 6.2, 5.8, 6.0], [6.4, 7.1, 6.8, 7.3])
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 5)
    (-3.8648, 7.0, 0.00617)
    >>> print(res)  # as R prints t.test(x, y, var.equal = TRUE)
    ... # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
        Two Sample t-test
    <BLANKLINE>
    data:  x and y
    t = -3.8648, df = 7, p-value = 0.006173
    alternative hypothesis: true difference in means is not equal to 0
    95 percent confidence interval:
     -2.0953819 -0.5046181
    sample estimates:
    mean of x mean of y
          5.6       6.9
    <BLANKLINE>
    """
    return _t_test(x, y, data, dv, group, conf_level, alternative, True, "student_t")


def welch_t(
    x: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    dv: str | None = None,
    group: str | None = None,
    conf_level: float = 0.95,
    alternative: str = "two-sided",
) -> TTestResult:
    r"""Welch's unequal-variance t test, as ``t.test(x, y)`` (R's default).

    .. math::
        t = \frac{\bar x - \bar y}{\sqrt{s_x^2/n_x + s_y^2/n_y}},\quad
        df = \frac{(s_x^2/n_x + s_y^2/n_y)^2}{\frac{(s_x^2/n_x)^2}{n_x-1} + \frac{(s_y^2/n_y)^2}{n_y-1}}

    Parameters
    ----------
    x, y : array-like, optional
        The two samples (missing values dropped, as R); at least two values each.
    data : DataFrame, optional
        With ``dv`` and ``group``: R's ``t.test(dv ~ group, data)``.
    conf_level : float, default 0.95
    alternative : {"two-sided", "less", "greater"}
        R's ``alternative``; ``"two.sided"`` is accepted.

    Returns
    -------
    TTestResult

    See Also
    --------
    student_t : pooled variance.

    Notes
    -----
    Computed by :func:`scipy.stats.ttest_ind` with ``equal_var=False``
    (Welch–Satterthwaite df, equal to R). Constant data: ``nan`` with a warning.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several
    different population variances are involved. *Biometrika* 34, 28–35.
    R: ``stats::t.test(x, y)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.groups import welch_t
    >>> d = pd.DataFrame({"crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "met": ["no"] * 5 + ["yes"] * 4})
    >>> res = welch_t(data=d, dv="crp", group="met")
    >>> round(res.statistic, 4), round(res.df, 3), round(res.ci_low, 4)
    (-4.0441, 6.906, -2.0622)
    """
    return _t_test(x, y, data, dv, group, conf_level, alternative, False, "welch_t")


# --------------------------------------------------------------------------- contingency tables


def _count_table(table: Any, func: str) -> np.ndarray:
    arr = table.to_numpy() if isinstance(table, pd.DataFrame) else np.asarray(table)
    try:
        arr = arr.astype(np.float64)
    except (TypeError, ValueError):
        raise InputError(
            f"The 'table' parameter of {func} must be a 2-d array of counts."
        ) from None
    if arr.ndim != 2 or min(arr.shape) < 2:
        raise InputError(
            f"The 'table' parameter of {func} must be a 2-d table with at least 2 rows "
            f"and 2 columns. Got shape {arr.shape} instead."
        )
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise InputError(f"The 'table' parameter of {func} must hold non-negative finite counts.")
    return arr


@dataclass(frozen=True, slots=True, repr=False)
class ChiSquareResult(Result):
    """Pearson's χ² test of independence on a contingency table.

    ``statistic`` is R's ``X-squared``; ``expected`` the counts under independence;
    ``correct`` whether Yates' correction was applied. Prints as R's ``print.htest``.

    See Also
    --------
    chi_square

    Examples
    --------
    >>> from cetrus.stats.groups import chi_square
    >>> chi_square([[12, 5], [7, 9]])
    ChiSquareResult(statistic=1.456, df=1, pvalue=0.2276, min_expected=6.788, method="Pearson's Chi-squared test with Yates' continuity correction")
    """

    statistic: float
    df: int
    pvalue: float
    observed: tuple
    expected: tuple
    min_expected: float
    correct: bool
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("statistic", "df", "pvalue", "min_expected", "method")

    def _print_lines(self) -> list[str]:
        return _htest_lines(
            self.method, "table", [("X-squared", self.statistic), ("df", self.df)], self.pvalue
        )


def chi_square(
    table: Any = None,
    *,
    data: pd.DataFrame | None = None,
    rows: str | None = None,
    columns: str | None = None,
    correct: bool = True,
) -> ChiSquareResult:
    r"""Pearson's χ² test of independence, as ``chisq.test(table)``.

    .. math::
        X^2 = \sum_{ij} \frac{(|O_{ij} - E_{ij}| - Y)^2}{E_{ij}},\quad
        E_{ij} = \frac{r_i c_j}{N},\quad df = (r-1)(c-1)

    where Yates' correction :math:`Y = \min(0.5, \min_{ij}|O_{ij} - E_{ij}|)` applies to
    2×2 tables when ``correct`` (R's default and rule), else :math:`Y = 0`.

    Parameters
    ----------
    table : array-like of counts, shape (r, c), optional
        The contingency table (r, c ≥ 2).
    data : DataFrame, optional
        With ``rows`` and ``columns``: the table ``table(data[[rows]], data[[columns]])``
        (levels sorted).
    correct : bool, default True
        Yates' continuity correction for 2×2 tables (R's ``correct``).

    Returns
    -------
    ChiSquareResult

    See Also
    --------
    fisher_exact : the exact test for small expected counts.
    compare_groups : picks χ² or Fisher by the smallest expected count.

    Notes
    -----
    Computed by :func:`scipy.stats.chi2_contingency`, whose Yates correction equals
    R's on a 2×2 table (every cell is equally far from its expected count there). A
    table with an empty row or column has a zero expected count; like R the
    statistic is then ``nan`` (with :class:`UndefinedStatisticWarning`).

    References
    ----------
    Pearson, K. (1900). *Philosophical Magazine* 50, 157–175; Yates, F. (1934).
    *Suppl. J. R. Stat. Soc.* 1, 217–235. R: ``stats::chisq.test(table)``.

    Examples
    --------
    >>> from cetrus.stats.groups import chi_square
    >>> res = chi_square([[84, 38], [469, 287]])
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 4)
    (1.8108, 1, 0.1784)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
        Pearson's Chi-squared test with Yates' continuity correction
    <BLANKLINE>
    data:  table
    X-squared = 1.8108, df = 1, p-value = 0.1784
    <BLANKLINE>
    """
    from scipy import stats as sps

    table = _table_from(table, data, rows, columns, "chi_square")
    obs = _count_table(table, "chi_square")
    expected = sps.contingency.expected_freq(obs) if obs.sum() > 0 else np.zeros_like(obs)
    df = (obs.shape[0] - 1) * (obs.shape[1] - 1)
    yates = correct and obs.shape == (2, 2) and float(np.abs(obs - expected).min()) > 0
    method = "Pearson's Chi-squared test" + (" with Yates' continuity correction" if yates else "")
    if (expected <= 0).any():
        warnings.warn(
            "chi_square: the table has an empty row or column (expected count 0); "
            "the statistic is nan",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
        stat = p = float("nan")
    else:
        res = sps.chi2_contingency(obs, correction=bool(yates))
        stat, p = float(res.statistic), float(res.pvalue)
    return ChiSquareResult(
        stat,
        int(df),
        p,
        tuple(map(tuple, obs.tolist())),
        tuple(map(tuple, expected.tolist())),
        float(expected.min()),
        bool(yates),
        method,
    )


@dataclass(frozen=True, slots=True, repr=False)
class FisherResult(Result):
    """Fisher's exact test; for 2×2 tables also the conditional MLE odds ratio and its CI
    (``nan`` for larger tables). Prints as R's ``print.htest``.

    See Also
    --------
    fisher_exact

    Examples
    --------
    >>> from cetrus.stats.groups import fisher_exact
    >>> fisher_exact([[12, 5], [7, 9]])
    FisherResult(pvalue=0.1663, estimate=2.977, ci_low=0.5993, ci_high=16.65, conf_level=0.95, alternative='two-sided', method="Fisher's Exact Test for Count Data")
    """

    pvalue: float
    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float
    alternative: str
    method: str

    def _print_lines(self) -> list[str]:
        if not np.isfinite(self.estimate) and np.isnan(self.ci_low):  # r×c: p only
            return _htest_lines(self.method, "table", [], self.pvalue, None)
        return _htest_lines(
            self.method,
            "table",
            [],
            self.pvalue,
            ("odds ratio", 1.0),
            self.alternative,
            (self.conf_level, self.ci_low, self.ci_high),
            [("odds ratio", self.estimate)],
        )


FISHER_CI = ("uniroot", "exact")
_UNIROOT_TOL = float(np.finfo(float).eps) ** 0.25  # uniroot()'s default tol


def _zeroin(
    f,
    lower: float,
    upper: float,
    f_lower: float,
    f_upper: float,
    *,
    tol: float = _UNIROOT_TOL,
    maxit: int = 1000,
) -> float:
    """Brent's root finder as R's ``uniroot`` runs it (``R_zeroin2``, stats 4.2).

    Bisection combined with linear / inverse quadratic interpolation on the bracket
    ``[b, c]`` (Brent 1973, ch. 4; Forsythe, Malcolm & Moler 1977, ZEROIN), stopping
    when half the bracket is within ``2·DBL_EPSILON·|b| + tol/2``. Reproducing R's
    iterates (not just its tolerance) is what makes ``fisher.test``'s printed OR and CI
    come out equal.
    """
    eps = float(np.finfo(float).eps)
    a, b, fa, fb = lower, upper, f_lower, f_upper
    c, fc = a, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):  # b must be the best approximation
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2.0 * eps * abs(b) + tol / 2.0
        new_step = (c - b) / 2.0
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:  # two distinct points: secant
                t1 = fb / fa
                p = cb * t1
                q = 1.0 - t1
            else:  # inverse quadratic interpolation
                q = fa / fc
                t1 = fb / fc
                t2 = fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2.0) and p < abs(prev_step * q / 2.0):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def fisher_exact(
    table: Any = None,
    *,
    data: pd.DataFrame | None = None,
    rows: str | None = None,
    columns: str | None = None,
    alternative: str = "two-sided",
    conf_level: float = 0.95,
    ci: str = "uniroot",
) -> FisherResult:
    r"""Fisher's exact test of independence, as ``fisher.test(table)``.

    For a 2×2 table :math:`((a, b), (c, d))` the count :math:`a` follows, given the
    margins, Fisher's noncentral hypergeometric distribution with odds ratio ψ,
    :math:`P(a) \propto \binom{m}{a}\binom{n}{k-a}\psi^a`. The two-sided p-value sums
    the probabilities (ψ = 1) no larger than the observed one times :math:`1 + 10^{-7}`
    (R's relative tolerance); ``estimate`` is the conditional MLE of ψ and the CI
    inverts the two one-sided tests (Fisher 1935; R's ``fisher.test``).

    ``ci="uniroot"`` (default) finds the MLE and the CI limits as R does: ``uniroot``
    at its default ``tol = .Machine$double.eps^0.25`` on ψ in (0, 1] or on 1/ψ in
    [ε, 1] (:func:`_zeroin`), so OR and CI equal R's printed values (which are off
    the exact roots by up to ~1e-2 relative). ``ci="exact"`` solves the same
    equations to machine precision.

    For larger r×c tables the two-sided p-value sums, over every table with the
    observed margins, the probabilities no larger than the observed table's times
    :math:`1 + 10^{-7}`, as R's network algorithm (FEXACT, Mehta & Patel 1983)
    computes it; see :func:`cetrus.stats._fexact._fisher_rxc_p`. ``estimate`` and the
    CI are ``nan`` there (as R gives none).

    Parameters
    ----------
    table : array-like of integer counts, shape (r, c), optional
    data : DataFrame, optional
        With ``rows`` and ``columns``: ``table(data[[rows]], data[[columns]])``.
    alternative : {"two-sided", "less", "greater"}
        R's ``alternative`` (``"two.sided"`` accepted); one-sided only for 2×2.
    conf_level : float, default 0.95
    ci : {"uniroot", "exact"}
        How the OR's MLE and CI limits are solved (see above).

    Returns
    -------
    FisherResult
        ``pvalue``; for 2×2 ``estimate`` (conditional MLE odds ratio) with
        ``ci_low``/``ci_high``.

    See Also
    --------
    chi_square : the large-sample test.

    Notes
    -----
    Own code rather than :func:`scipy.stats.fisher_exact`: scipy reports the sample
    odds ratio (not R's conditional MLE) and no CI, counts tables as "as extreme"
    with a relative tolerance of 1e-14 where R uses 1e-7, and has no r×c test.

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *J. R. Stat. Soc.* 98,
    39–82; Mehta, C. R. & Patel, N. R. (1983). *JASA* 78, 427–434.
    R: ``stats::fisher.test(table)``.

    Examples
    --------
    >>> from cetrus.stats.groups import fisher_exact
    >>> res = fisher_exact([[3, 1], [1, 3]])
    >>> round(res.pvalue, 4), round(res.estimate, 4)
    (0.4857, 6.4083)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    <BLANKLINE>
        Fisher's Exact Test for Count Data
    <BLANKLINE>
    data:  table
    p-value = 0.4857
    alternative hypothesis: true odds ratio is not equal to 1
    95 percent confidence interval:
       0.2117329 621.9337505
    sample estimates:
    odds ratio
      6.408309
    <BLANKLINE>
    """
    from cetrus.stats._validation import conf_level as check_cl

    table = _table_from(table, data, rows, columns, "fisher_exact")
    obs = _count_table(table, "fisher_exact")
    cl = check_cl(conf_level, "fisher_exact")
    alternative = _alternative(alternative, "fisher_exact")
    choice(ci, FISHER_CI, "ci", "fisher_exact")
    if np.any(obs != np.round(obs)):
        raise InputError("The 'table' parameter of fisher_exact must hold integer counts.")
    obs = obs.astype(np.int64)
    method = "Fisher's Exact Test for Count Data"
    if obs.shape != (2, 2):
        if alternative != "two-sided":
            raise InputError(
                "fisher_exact: only alternative='two-sided' is defined for tables "
                f"larger than 2x2. Got {alternative!r}."
            )
        nan = float("nan")
        return FisherResult(_fisher_rxc_p(obs), nan, nan, nan, cl, alternative, method)
    return _fisher_2x2(obs, alternative, cl, method, ci)


def _fisher_2x2(
    obs: np.ndarray, alternative: str, cl: float, method: str, how: str = "uniroot"
) -> FisherResult:
    from scipy import optimize
    from scipy import stats as sps

    m, n = int(obs[:, 0].sum()), int(obs[:, 1].sum())
    k, x = int(obs[0, :].sum()), int(obs[0, 0])
    lo, hi = max(0, k - n), min(k, m)
    support = np.arange(lo, hi + 1)
    logdc = sps.hypergeom.logpmf(support, m + n, m, k)

    def dnhyper(ncp: float) -> np.ndarray:
        d = logdc + math.log(ncp) * support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mnhyper(ncp: float) -> float:
        if ncp == 0:
            return float(lo)
        if math.isinf(ncp):
            return float(hi)
        return float((support * dnhyper(ncp)).sum())

    def pnhyper(q: int, ncp: float, upper: bool = False) -> float:
        if ncp == 1:
            return float(
                sps.hypergeom.sf(x - 1, m + n, m, k) if upper else sps.hypergeom.cdf(x, m + n, m, k)
            )
        if ncp == 0:
            return float(q <= lo if upper else q >= lo)
        if math.isinf(ncp):
            return float(q <= hi if upper else q >= hi)
        d = dnhyper(ncp)
        return float(d[support >= q].sum() if upper else d[support <= q].sum())

    if alternative == "less":
        p = pnhyper(x, 1.0)
    elif alternative == "greater":
        p = pnhyper(x, 1.0, upper=True)
    else:
        d = dnhyper(1.0)
        p = float(d[d <= d[x - lo] * (1 + 1e-7)].sum())

    eps = float(np.finfo(float).eps)

    def solve(g, target: float, increasing: bool) -> float:
        """ψ with g(ψ) = target, as fisher.test: on (0, 1] if g(1) is past the target on
        the side that puts the root below 1, else 1/root on [ε, 1] of g(1/t)."""
        g1 = g(1.0)
        if g1 == target:
            return 1.0
        below = (g1 > target) if increasing else (g1 < target)
        if how == "uniroot":
            if below:
                h = lambda t: g(t) - target  # noqa: E731
                return _zeroin(h, 0.0, 1.0, h(0.0), h(1.0))
            h = lambda t: g(1.0 / t) - target  # noqa: E731
            return 1.0 / _zeroin(h, eps, 1.0, h(eps), h(1.0))
        if below:
            return optimize.brentq(
                lambda t: g(t) - target, 1e-300, 1.0, xtol=1e-300, rtol=4 * eps, maxiter=500
            )
        inv = optimize.brentq(
            lambda t: g(1.0 / t) - target, eps, 1.0, xtol=1e-300, rtol=4 * eps, maxiter=500
        )
        return 1.0 / inv

    def mle() -> float:
        if x == lo:
            return 0.0
        if x == hi:
            return float("inf")
        return solve(mnhyper, float(x), increasing=True)

    def ncp_upper(alpha: float) -> float:
        if x == hi:
            return float("inf")
        return solve(lambda t: pnhyper(x, t), alpha, increasing=False)

    def ncp_lower(alpha: float) -> float:
        if x == lo:
            return 0.0
        return solve(lambda t: pnhyper(x, t, upper=True), alpha, increasing=True)

    if alternative == "less":
        ci = (0.0, ncp_upper(1 - cl))
    elif alternative == "greater":
        ci = (ncp_lower(1 - cl), float("inf"))
    else:
        a = (1 - cl) / 2
        ci = (ncp_lower(a), ncp_upper(a))
    return FisherResult(min(1.0, p), mle(), float(ci[0]), float(ci[1]), cl, alternative, method)


# --------------------------------------------------------------------------- assumptions


@dataclass(frozen=True, slots=True, repr=False)
class AssumptionTest(Result):
    """A test of an assumption (normality, equal variances): statistic, p, method.

    Prints as R prints the twin: ``shapiro.test``'s htest block, or car's
    ``leveneTest`` table.

    See Also
    --------
    shapiro_wilk, levene

    Examples
    --------
    >>> from cetrus.stats.groups import shapiro_wilk
    >>> shapiro_wilk([5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3])
    AssumptionTest(statistic=0.9571, pvalue=0.7673, n=9, method='Shapiro-Wilk normality test')
    """

    statistic: float
    pvalue: float
    df: tuple
    n: int
    method: str

    def _print_lines(self) -> list[str]:
        if not self.method.startswith("Levene"):
            return _htest_lines(self.method, "x", [("W", self.statistic)], self.pvalue)
        f = format_value(self.statistic, 4)
        p = format_value(self.pvalue, 4)
        df1, df2 = (str(d) for d in self.df)
        w = [max(2, len(df1), len(df2)), max(7, len(f)), max(6, len(p))]
        return [
            self.method,
            f"      {'Df'.rjust(w[0])} {'F value'.rjust(w[1])} {'Pr(>F)'.rjust(w[2])}",
            f"group {df1.rjust(w[0])} {f.rjust(w[1])} {p.rjust(w[2])}",
            f"      {df2.rjust(w[0])}",
        ]


def _poly(cc: tuple, x: float) -> float:
    """``cc[0] + cc[1] x + … + cc[-1] x^(len-1)`` (AS 181.2's POLY), in Horner's order."""
    if len(cc) == 1:
        return cc[0]
    p = x * cc[-1]
    for c in cc[-2:0:-1]:
        p = (p + c) * x
    return cc[0] + p


def _swilk(x: np.ndarray) -> tuple[float, float]:
    """W and its p-value by Royston's AS R94 (1995), in double precision as R's ``swilk.c``.

    ``x`` sorted, 3 ≤ n ≤ 5000. Coefficients: ``m_i = Φ⁻¹((i − 3/8)/(n + 1/4))``, the
    two extreme ones corrected by Royston's polynomials in ``1/√n``; W is the squared
    correlation of ``x`` with the antisymmetric coefficient vector, computed as
    ``1 − W`` to keep precision near 1; the p-value: exact for n = 3, else a normal
    tail of ``log(1 − W)`` (n ≥ 12) or of ``−log(γ − log(1 − W))`` (4 ≤ n ≤ 11) with
    Royston's polynomial mean and SD.
    """
    from scipy.special import ndtr, ndtri

    n = x.size
    nn2 = n // 2
    an = float(n)
    if n == 3:
        a = np.array([0.70710678])
    else:
        m = ndtri((np.arange(1, nn2 + 1) - 0.375) / (an + 0.25))
        summ2 = 2.0 * float(np.sum(m * m))
        ssumm2 = math.sqrt(summ2)
        rsn = 1.0 / math.sqrt(an)
        a1 = _poly((0.0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056), rsn) - m[0] / ssumm2
        a = m.copy()
        if n > 5:
            a2 = -m[1] / ssumm2 + _poly(
                (0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633), rsn
            )
            fac = math.sqrt(
                (summ2 - 2.0 * m[0] ** 2 - 2.0 * m[1] ** 2) / (1.0 - 2.0 * a1**2 - 2.0 * a2**2)
            )
            a[1] = a2
            a[2:] = m[2:] / -fac
        else:
            fac = math.sqrt((summ2 - 2.0 * m[0] ** 2) / (1.0 - 2.0 * a1**2))
            a[1:] = m[1:] / -fac
        a[0] = a1
    rng = x[-1] - x[0]
    xs = x / rng
    # the full antisymmetric coefficient vector: −a_1, …, (0), …, a_1
    full = np.zeros(n)
    full[:nn2] = -a
    full[n - nn2 :] = a[::-1]
    asa = full - full.sum() / n
    xsx = xs - xs.sum() / n
    ssa, ssx, sax = float(asa @ asa), float(xsx @ xsx), float(asa @ xsx)
    ssassx = math.sqrt(ssa * ssx)
    w1 = (ssassx - sax) * (ssassx + sax) / (ssa * ssx)
    w = 1.0 - w1
    if n == 3:
        pw = 1.90985931710274 * (math.asin(math.sqrt(w)) - 1.04719755119660)
        return w, max(pw, 0.0)
    y = math.log(w1)
    lxx = math.log(an)
    if n <= 11:
        gamma = _poly((-2.273, 0.459), an)
        if y >= gamma:
            return w, 1e-99
        y = -math.log(gamma - y)
        mean = _poly((0.544, -0.39978, 0.025054, -6.714e-4), an)
        sd = math.exp(_poly((1.3822, -0.77857, 0.062767, -0.0020322), an))
    else:
        mean = _poly((-1.5861, -0.31082, -0.083751, 0.0038915), lxx)
        sd = math.exp(_poly((-0.4803, -0.082676, 0.0030302), lxx))
    return w, float(ndtr(-(y - mean) / sd))


def shapiro_wilk(
    x: Any = None,
    *,
    data: pd.DataFrame | None = None,
    dv: str | None = None,
    precision: str = "double",
) -> AssumptionTest:
    """Shapiro–Wilk normality test, as ``shapiro.test(x)``.

    Parameters
    ----------
    x : array-like, optional
        The sample (missing values dropped, as R).
    data : DataFrame, optional
        With ``dv``: the column ``data[dv]``.
    precision : {"double", "single"}
        ``"double"`` (default): Royston's (1995) algorithm AS R94 in double precision,
        as R's ``swilk.c`` (:func:`_swilk`). ``"single"``: :func:`scipy.stats.shapiro`
        (the original single-precision Fortran, p within ~6e-8 relative of R).

    Returns
    -------
    AssumptionTest
        ``statistic`` (W), ``pvalue``, ``n``; prints as R's ``print.htest``.

    See Also
    --------
    levene : equal variances.
    compare_groups : uses both to choose Student's t or Mann–Whitney.

    Notes
    -----
    Own code by default because scipy's single-precision W and p differ from R's
    by up to ~6e-8 relative, beyond the 1e-9 parity tolerance. As R, ``x`` needs 3
    to 5000 values and must not be constant (:class:`InputError`).

    References
    ----------
    Shapiro, S. S. & Wilk, M. B. (1965). *Biometrika* 52, 591–611; Royston, P.
    (1995). Algorithm AS R94. *Appl. Stat.* 44, 547–551. R: ``stats::shapiro.test(x)``.

    Examples
    --------
    >>> from cetrus.stats.groups import shapiro_wilk
    >>> res = shapiro_wilk([5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3])
    >>> round(res.statistic, 4), round(res.pvalue, 4)
    (0.9571, 0.7673)
    """
    if data is not None:
        if x is not None or dv is None:
            raise InputError("shapiro_wilk: give either x or data= with dv=.")
        x = _check_column(data, dv, "dv", "shapiro_wilk")
    if x is None:
        raise InputError("shapiro_wilk needs a sample x, or data= with dv=.")
    choice(precision, ("double", "single"), "precision", "shapiro_wilk")
    xa = _as_samples(x, "x", drop_nan=True)
    if xa.ndim != 1:
        raise InputError(f"'x' of shapiro_wilk must be one-dimensional. Got shape {xa.shape}.")
    if not 3 <= xa.size <= 5000:
        raise InputError(
            f"shapiro_wilk needs between 3 and 5000 values (as R's shapiro.test). Got {xa.size}."
        )
    if np.ptp(xa) == 0:
        raise InputError("shapiro_wilk: all 'x' values are identical.")
    if precision == "single":
        from scipy import stats as sps

        res = sps.shapiro(xa)
        w, pw = float(res.statistic), float(res.pvalue)
    else:
        xs = np.sort(xa)
        if xs[-1] - xs[0] < 1e-10:
            xs = xs / (xs[-1] - xs[0])  # as shapiro.test rescales tiny ranges
        w, pw = _swilk(xs)
    return AssumptionTest(float(w), float(pw), (), int(xa.size), "Shapiro-Wilk normality test")


def levene(
    *groups: Any,
    data: pd.DataFrame | None = None,
    dv: str | None = None,
    group: str | None = None,
    center: str = "median",
) -> AssumptionTest:
    r"""Levene's test of equal variances, as ``car::leveneTest(y ~ g, center = median)``.

    The one-way ANOVA F test on :math:`z_{gi} = |y_{gi} - \tilde y_g|` with
    :math:`\tilde y_g` the group median (Brown–Forsythe) or mean (``center="mean"``,
    Levene's original): :math:`F = \frac{(N-k)\sum_g n_g(\bar z_g - \bar z)^2}
    {(k-1)\sum_g\sum_i (z_{gi} - \bar z_g)^2}` on :math:`(k-1, N-k)` df.

    Parameters
    ----------
    *groups : array-like
        Two or more samples.
    data : DataFrame, optional
        Instead of ``groups``: ``data[dv]`` split by the levels of ``data[group]``
        (sorted), as ``leveneTest(dv ~ group, data)``.
    center : {"median", "mean"}
        car's ``center`` (``median``, its default, is the Brown–Forsythe test).

    Returns
    -------
    AssumptionTest
        ``statistic`` (F), ``pvalue``, ``df`` = (k − 1, N − k); prints as car's table.

    See Also
    --------
    shapiro_wilk : the other assumption behind the paper's choice of t test.

    Notes
    -----
    Computed by :func:`scipy.stats.levene` (the same F). A zero within-group spread
    gives ``nan`` (with :class:`UndefinedStatisticWarning`) where scipy would divide
    by zero.

    References
    ----------
    Levene, H. (1960); Brown, M. B. & Forsythe, A. B. (1974). *JASA* 69, 364–367.
    R: ``car::leveneTest(y ~ group, center = median)``.

    Examples
    --------
    >>> from cetrus.stats.groups import levene
    >>> res = levene([5.1, 4.9, 6.2, 5.8, 6.0], [6.4, 7.1, 6.8, 7.3])
    >>> round(res.statistic, 4), res.df, round(res.pvalue, 4)
    (0.4749, (1, 7), 0.5129)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    Levene's Test for Homogeneity of Variance (center = median)
          Df F value Pr(>F)
    group  1  0.4749 0.5129
           7
    """
    from scipy import stats as sps

    choice(center, ("median", "mean"), "center", "levene")
    if data is not None:
        if groups:
            raise InputError(
                "levene: give either the groups or data= with dv= and group=, not both."
            )
        if dv is None or group is None:
            raise InputError(
                "levene: with data=, name the value column (dv=) and the group column (group=)."
            )
        v = _check_column(data, dv, "dv", "levene")
        g = _check_column(data, group, "group", "levene")
        groups = tuple(v[(g == lv).to_numpy()].to_numpy() for lv in _sorted_levels(g))
    if len(groups) < 2:
        raise InputError(f"levene needs at least two groups. Got {len(groups)}.")
    arrs = [_as_samples(g, f"group {i + 1}") for i, g in enumerate(groups)]
    centre = np.median if center == "median" else np.mean
    k, n = len(arrs), sum(a.size for a in arrs)
    if n <= k:
        raise InputError(f"levene needs more observations ({n}) than groups ({k}).")
    df1, df2 = k - 1, n - k
    if all(np.all(np.abs(a - centre(a)) == np.abs(a - centre(a)).mean()) for a in arrs):
        warnings.warn(
            "levene: no spread within groups; F is undefined (nan)",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
        f = p = float("nan")
    else:
        res = sps.levene(*arrs, center="median" if center == "median" else "mean")
        f, p = float(res.statistic), float(res.pvalue)
    return AssumptionTest(
        f, p, (df1, df2), int(n), f"Levene's Test for Homogeneity of Variance (center = {center})"
    )


# --------------------------------------------------------------------------- one variable, two groups

TESTS = ("auto", "student", "welch", "mwu", "chisq", "fisher")


@dataclass(frozen=True, slots=True, repr=False)
class GroupSummary(Result):
    """One group's description: continuous (mean, sd, median, quartiles) or counts per level.

    See Also
    --------
    Comparison, compare_groups

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.groups import compare_groups
    >>> d = pd.DataFrame({"crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "met": ["no"] * 5 + ["yes"] * 4})
    >>> compare_groups(d, "met", "crp").summaries[0]
    GroupSummary(level='no', n=5, mean=5.6, sd=0.5701, median=5.8, p25=5.1, p75=6)
    """

    level: Any
    n: int
    mean: float = float("nan")
    sd: float = float("nan")
    median: float = float("nan")
    p25: float = float("nan")
    p75: float = float("nan")
    counts: tuple = ()  # ((category, count), ...) for categorical variables

    _headline: ClassVar[tuple[str, ...]] = ("level", "n", "mean", "sd", "median", "p25", "p75")


@dataclass(frozen=True, slots=True, repr=False)
class Comparison(Result):
    """One variable compared between two groups, with the test used and why.

    ``statistic`` follows R's formula interface with the groups in sorted level
    order: t of group 1 − group 2, W = U of group 1, χ² (``nan`` for Fisher).

    See Also
    --------
    compare_groups, cetrus.stats.tableone.table_one

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.groups import compare_groups
    >>> d = pd.DataFrame({"crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "met": ["no"] * 5 + ["yes"] * 4})
    >>> c = compare_groups(d, "met", "crp")
    >>> c
    Comparison(variable='crp', group='met', test='student', statistic=-3.865, pvalue=0.006173)
    >>> print(c.to_frame().round(3).to_string(index=False))
    level  n  mean    sd  median  p25  p75
       no  5   5.6 0.570    5.80  5.1 6.00
      yes  4   6.9 0.392    6.95  6.7 7.15
    """

    variable: str
    group: str
    levels: tuple
    kind: str  # "continuous" | "categorical"
    test: str  # "student" | "welch" | "mwu" | "chisq" | "fisher"
    statistic: float
    pvalue: float
    method: str
    reason: str
    summaries: tuple
    categories: tuple = ()
    normality_pvalues: tuple = ()
    levene_pvalue: float = float("nan")
    n: int = 0
    n_missing: int = 0

    _headline: ClassVar[tuple[str, ...]] = ("variable", "group", "test", "statistic", "pvalue")

    def _print_lines(self) -> list[str]:
        levels = " vs ".join(map(str, self.levels))
        stat = (
            ""
            if not np.isfinite(self.statistic)
            else f"statistic = {format_value(self.statistic, 5)}, "
        )
        return [
            f"{self.variable} by {self.group} ({levels}): {self.method}",
            f"{stat}{_fmt_p(self.pvalue)}",
            f"n = {self.n} ({self.n_missing} missing)",
            f"test chosen: {self.reason}",
            "",
            self.to_frame().to_string(index=False),
        ]

    def to_frame(self) -> pd.DataFrame:
        """One row per group (continuous: n, mean, sd, median, quartiles) or per group
        and category (categorical: n of the category)."""
        if self.kind == "categorical":
            return pd.DataFrame(
                [
                    {"level": s.level, "category": c, "n": k}
                    for s in self.summaries
                    for c, k in s.counts
                ]
            )
        return pd.DataFrame(
            [
                {f: getattr(s, f) for f in ("level", "n", "mean", "sd", "median", "p25", "p75")}
                for s in self.summaries
            ]
        )


def _is_categorical(s: pd.Series) -> bool:
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "bOSU":
        return True
    if s.dtype.kind in "iuf":
        return s.dropna().nunique() <= 2
    return True


def _sorted_levels(s: pd.Series) -> list:
    from cetrus.stats._validation import _level_key

    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().tolist())
        return [c for c in s.cat.categories if c in present]
    return sorted(pd.unique(s.dropna()).tolist(), key=_level_key)


def _check_column(data: pd.DataFrame, column: str, param: str, func: str) -> pd.Series:
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    if column not in data.columns:
        avail = ", ".join(map(str, list(data.columns)[:12]))
        raise InputError(
            f"The {param!r} parameter of {func} names column {column!r}, "
            f"which is not in the data (columns: {avail})."
        )
    return data[column]


def compare_groups(
    data: pd.DataFrame,
    group: str,
    variable: str,
    *,
    test: str = "auto",
    kind: str | None = None,
    missing: str = "error",
    alpha: float = 0.05,
    correct: bool = True,
) -> Comparison:
    """Compare ``variable`` between the two levels of ``group`` (one row of Table 1).

    Parameters
    ----------
    data : DataFrame
    group : str
        Column with exactly two levels; they are taken in sorted order (or the
        categorical order of a pandas Categorical), as R's formula interface does.
    variable : str
        The variable to compare.
    test : {"auto", "student", "welch", "mwu", "chisq", "fisher"}
        ``"auto"`` is the paper's rule (Section 2.8): for a continuous variable,
        Student's t when Shapiro–Wilk keeps normality (p > ``alpha``) in both
        groups and median-centred Levene keeps equal variances (p > ``alpha``),
        otherwise Mann–Whitney U (normal approximation with tie and continuity
        correction); for a categorical variable χ² (Yates for 2×2), or Fisher's
        exact test when an expected count is below 5. The chosen test and the
        reason are reported.
    kind : {"continuous", "categorical"}, optional
        Default: categorical for string, boolean and categorical columns and for
        numeric columns with at most two distinct values; continuous otherwise.
    missing : {"error", "drop"}
        Missing values in ``variable`` raise (default) or are dropped for this
        variable only (``n_missing`` records how many). Missing ``group`` is an error.
    correct : bool, default True
        Yates' continuity correction of χ² for 2×2 tables (R's ``chisq.test``
        default). The paper's printed P values for sex, smoking and drinking
        (0.148, 0.756, 0.101) are those of the *uncorrected* test on its counts
        (Yates gives 0.178, 0.835, 0.125): pass ``correct=False`` to reproduce them.

    Notes
    -----
    A group with fewer than two members is an error. Shapiro–Wilk needs 3–5000
    values and a non-constant group; when it cannot be computed, normality is not
    assumed (Mann–Whitney is used, and ``reason`` says so).

    Returns
    -------
    Comparison
        The test used and why (``test``, ``reason``), its ``statistic`` and
        ``pvalue``, and each group's summary (``to_frame()``).

    See Also
    --------
    cetrus.stats.tableone.table_one : every variable, laid out as Table 1.
    student_t, welch_t, mann_whitney, chi_square, fisher_exact : the tests it runs.

    References
    ----------
    R: the formula interfaces ``t.test(variable ~ group, var.equal = TRUE)``,
    ``wilcox.test(variable ~ group)``, ``chisq.test(table(group, variable))``,
    ``fisher.test(...)``, with ``shapiro.test`` and ``car::leveneTest`` deciding.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.groups import compare_groups
    >>> d = pd.DataFrame({"crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "met": ["no"] * 5 + ["yes"] * 4})
    >>> c = compare_groups(d, "met", "crp")
    >>> c.test, round(c.pvalue, 4)
    ('student', 0.0062)
    """
    func = "compare_groups"
    choice(test, TESTS, "test", func)
    choice(missing, ("error", "drop"), "missing", func)
    if kind is not None:
        choice(kind, ("continuous", "categorical"), "kind", func)
    g = _check_column(data, group, "group", func)
    v = _check_column(data, variable, "variable", func)
    if g.isna().any():
        raise InputError(
            f"group column {group!r} has {int(g.isna().sum())} missing value(s); drop them first."
        )
    n_missing = int(v.isna().sum())
    if n_missing:
        if missing == "error":
            first = int(np.flatnonzero(v.isna().to_numpy())[0])
            raise InputError(
                f"column {variable!r} has {n_missing} missing value(s) (first at row "
                f"{first}); drop or impute them, or pass missing='drop'."
            )
        keep = v.notna().to_numpy()
        g, v = g[keep], v[keep]
    levels = _sorted_levels(g)
    if len(levels) != 2:
        shown = ", ".join(repr(x) for x in levels[:6])
        raise InputError(
            f"group column {group!r} must have exactly two levels. Got {len(levels)}: {shown}."
        )
    masks = [(g == lv).to_numpy() for lv in levels]
    for lv, m in zip(levels, masks):
        if m.sum() < 2:
            raise InputError(
                f"group {lv!r} of column {group!r} has {int(m.sum())} member(s) "
                f"with {variable!r} observed; each group needs at least 2."
            )
    if kind is None:
        kind = "categorical" if _is_categorical(v) else "continuous"
    if test in ("student", "welch", "mwu") and kind == "categorical":
        if v.dtype.kind not in "iufb":
            raise InputError(
                f"test {test!r} needs a numeric variable; column {variable!r} is {v.dtype}."
            )
        kind = "continuous"
    if test in ("chisq", "fisher"):
        kind = "categorical"
    common = dict(
        variable=variable,
        group=group,
        levels=tuple(levels),
        kind=kind,
        n=int(len(v)),
        n_missing=n_missing,
    )
    if kind == "continuous":
        return _compare_continuous(v, masks, levels, test, alpha, common)
    return _compare_categorical(v, masks, levels, test, common, correct)


def _compare_continuous(v, masks, levels, test, alpha, common) -> Comparison:
    from cetrus.stats._validation import numeric_vector

    values = numeric_vector(v.to_numpy(), common["variable"])
    a, b = values[masks[0]], values[masks[1]]
    normal_p: list[float] = []
    lev_p = float("nan")
    reason = f"requested test {test!r}"
    if test == "auto":
        notes = []
        for lv, x in zip(levels, (a, b)):
            if 3 <= x.size <= 5000 and np.ptp(x) > 0:
                normal_p.append(shapiro_wilk(x).pvalue)
            else:
                normal_p.append(float("nan"))
                notes.append(f"Shapiro-Wilk not computable in group {lv!r} (n={x.size})")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            lev_p = levene(a, b).pvalue
        normal = all(p > alpha for p in normal_p)
        equal_var = lev_p > alpha
        test = "student" if normal and equal_var else "mwu"
        shown = ", ".join(f"{lv!r} p={p:.3g}" for lv, p in zip(levels, normal_p))
        reason = f"Shapiro-Wilk {shown}; Levene (median) p={lev_p:.3g}; " + (
            "both normal with equal variances -> Student t"
            if test == "student"
            else "not (normal in both groups and equal variances) -> Mann-Whitney U"
        )
        if notes:
            reason += "; " + "; ".join(notes)
    res: TTestResult | MannWhitneyResult
    if test == "student":
        res = student_t(a, b)
    elif test == "welch":
        res = welch_t(a, b)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            res = mann_whitney(a, b)
    summaries = tuple(_describe(lv, x) for lv, x in zip(levels, (a, b)))
    return Comparison(
        **common,
        test=test,
        statistic=float(res.statistic),
        pvalue=float(res.pvalue),
        method=res.method.strip(),
        reason=reason,
        summaries=summaries,
        normality_pvalues=tuple(normal_p),
        levene_pvalue=lev_p,
    )


def _describe(level, x: np.ndarray) -> GroupSummary:
    # quantiles as R's quantile(type = 7) (numpy's default linear interpolation)
    p25, med, p75 = np.quantile(x, [0.25, 0.5, 0.75])
    sd = float(x.std(ddof=1)) if x.size > 1 else float("nan")
    return GroupSummary(level, int(x.size), float(x.mean()), sd, float(med), float(p25), float(p75))


def _compare_categorical(v, masks, levels, test, common, correct=True) -> Comparison:
    cats = _sorted_levels(v)
    if len(cats) < 2:
        raise InputError(
            f"column {common['variable']!r} is constant ({cats[0]!r}); "
            "a categorical comparison needs at least two categories."
        )
    values = v.to_numpy()
    table = np.array([[int(((values == c) & m).sum()) for c in cats] for m in masks])
    chi = chi_square(table, correct=correct)
    reason = f"requested test {test!r}"
    if test == "auto":
        test = "fisher" if chi.min_expected < 5 else "chisq"
        reason = f"smallest expected count {chi.min_expected:.3g} " + (
            "< 5 -> Fisher's exact test" if test == "fisher" else ">= 5 -> chi-squared"
        )
    if test == "fisher":
        if len(cats) > FISHER_MAX_LEVELS:
            raise InputError(
                f"column {common['variable']!r} has {len(cats)} distinct values: "
                f"Fisher's exact test is run on at most {FISHER_MAX_LEVELS} "
                "categories (is it continuous? use a continuous test or "
                "chi-squared)"
            )
        res = fisher_exact(table)
        stat, p, method = float("nan"), res.pvalue, res.method
    else:
        stat, p, method = chi.statistic, chi.pvalue, chi.method
    summaries = tuple(
        GroupSummary(lv, int(m.sum()), counts=tuple(zip(cats, row.tolist())))
        for lv, m, row in zip(levels, masks, table)
    )
    return Comparison(
        **common,
        test=test,
        statistic=float(stat),
        pvalue=float(p),
        method=method,
        reason=reason,
        summaries=summaries,
        categories=tuple(cats),
    )
