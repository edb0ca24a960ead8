"""Calibration of predicted probabilities, equal to ``rms::val.prob`` (rms 6.5).

Given outcomes ``y`` (0/1) and predicted probabilities ``p`` (logit ``L = qlogis(p)``):

* discrimination: ``C`` = concordance of ``p`` with ``y`` (ties count ½) and Somers'
  ``Dxy = 2(C − ½)``, computed as rms does — ``lrm.fit``'s Fortran bins the
  probabilities into cells of width 1/5000 (``floor(5000 p)``) before counting
  concordant pairs, so ``C`` can differ from the exact AUC by ~1e-4; ``auc`` holds
  the exact value (pROC's AUC);
* ``R2``: Nagelkerke's :math:`R^2 = (1 - e^{-LR/n}) / (1 - e^{-D_0/n})` with
  :math:`LR = D_0 - D(L)` the likelihood-ratio χ² of the predictions taken as they are
  (``lrm.fit(L, y, initial = c(0, 1), maxit = 1)``) and :math:`D_0` the null deviance;
* ``brier`` = :math:`\\frac1n\\sum (p_i - y_i)^2`;
* calibration ``intercept`` and ``slope``: the logistic regression of ``y`` on ``L``
  (Cox 1958; ``lrm.fit(L, y)``);
* ``emax``, ``e90``, ``eavg``: max, 90th percentile (``quantile`` type 7) and mean of
  :math:`|p_i - \\hat s(p_i)|` with :math:`\\hat s` R's ``lowess(p, y, iter = 0)``
  (Cleveland 1979, no robustness iterations), read back at each ``p_i``
  (``approx(..., ties = mean)``);
* Spiegelhalter's (1986) z test:
  :math:`z = \\sum (y_i - p_i)(1 - 2p_i) / \\sqrt{\\sum (1 - 2p_i)^2 p_i (1 - p_i)}`,
  two-sided p.

Also ``D``, ``U`` and ``Q`` (Harrell's discrimination, unreliability and quality
indexes) as val.prob reports them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._data import resolve
from cetrus.stats._validation import binary_outcome, numeric_vector, same_length

#: val.prob's names, in its output order, for each field (print and to_frame)
_R_NAMES = (
    ("Dxy", "dxy"),
    ("C (ROC)", "c"),
    ("R2", "r2"),
    ("D", "d"),
    ("D:Chi-sq", "d_chisq"),
    ("D:p", "d_pvalue"),
    ("U", "u"),
    ("U:Chi-sq", "u_chisq"),
    ("U:p", "u_pvalue"),
    ("Q", "q"),
    ("Brier", "brier"),
    ("Intercept", "intercept"),
    ("Slope", "slope"),
    ("Emax", "emax"),
    ("E90", "e90"),
    ("Eavg", "eavg"),
    ("S:z", "spiegelhalter_z"),
    ("S:p", "spiegelhalter_pvalue"),
)


@dataclass(frozen=True, slots=True, repr=False)
class CalibrationResult(Result):
    """``rms::val.prob`` statistics (names as its output: Dxy, C (ROC), R2, Brier, …).

    Attributes
    ----------
    dxy, c, r2, brier : float
        Somers' Dxy, C (binned as rms does), Nagelkerke R², Brier score.
    intercept, slope : float
        Logistic recalibration (Cox 1958).
    emax, e90, eavg : float
        Max, 90th percentile and mean absolute calibration error against lowess.
    spiegelhalter_z, spiegelhalter_pvalue : float
        Spiegelhalter's z and its two-sided P value (val.prob's ``S:z``, ``S:p``).
    n, events : int
    auc : float
        The exact AUC (C without rms's binning).
    d, d_chisq, d_pvalue : float
        Discrimination index, its χ² and P (``D``, ``D:Chi-sq``, ``D:p``).
    u, u_chisq, u_pvalue : float
        Unreliability index, its χ² (2 df) and P (``U``, ``U:Chi-sq``, ``U:p``).
    q : float
        Quality index ``D − U``.
    method : str

    See Also
    --------
    val_prob : computes it.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats import val_prob
    >>> rng = np.random.default_rng(0)
    >>> p = rng.uniform(0.05, 0.95, 200)
    >>> y = (rng.uniform(size=200) < p).astype(int)
    >>> res = val_prob(y, p)
    >>> res  # doctest: +NORMALIZE_WHITESPACE
    CalibrationResult(c=0.8369, brier=0.1671, intercept=-0.2633, slope=1.133, emax=0.09156,
                      spiegelhalter_pvalue=0.547)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
       Dxy C (ROC)     R2      D D:Chi-sq       D:p        U U:Chi-sq    U:p      Q
    0.6738  0.8369 0.4163 0.3693    74.86 5.047e-18 0.002866    2.573 0.2762 0.3664
     Brier Intercept Slope    Emax     E90    Eavg     S:z   S:p
    0.1671   -0.2633 1.133 0.09156 0.08875 0.03763 -0.6022 0.547
    >>> res.to_frame().round(4).head(3)
      statistic field   value
    0       Dxy   dxy  0.6738
    1   C (ROC)     c  0.8369
    2        R2    r2  0.4163
    """

    _headline: ClassVar[tuple[str, ...]] = (
        "c",
        "brier",
        "intercept",
        "slope",
        "emax",
        "spiegelhalter_pvalue",
    )

    dxy: float
    c: float
    r2: float
    brier: float
    intercept: float
    slope: float
    emax: float
    e90: float
    eavg: float
    spiegelhalter_z: float
    spiegelhalter_pvalue: float
    n: int
    auc: float = float("nan")
    d: float = float("nan")
    d_chisq: float = float("nan")
    d_pvalue: float = float("nan")
    u: float = float("nan")
    u_chisq: float = float("nan")
    u_pvalue: float = float("nan")
    q: float = float("nan")
    events: int = 0
    method: str = "rms::val.prob (lowess iter = 0)"

    def to_frame(self) -> Any:
        """val.prob's named vector as a table: statistic (R's name), field, value."""
        import pandas as pd

        return pd.DataFrame(
            [{"statistic": r, "field": f, "value": float(getattr(self, f))} for r, f in _R_NAMES]
        )

    def _print_lines(self) -> list[str]:
        """The named vector as R prints it: names right-aligned over values, 80 columns."""
        cells = [(r, format_value(getattr(self, f))) for r, f in _R_NAMES]
        lines: list[str] = []
        row: list[tuple[str, str]] = []
        width = 0
        for name, value in cells:
            w = max(len(name), len(value)) + 1
            if row and width + w > 80:
                lines += _named_rows(row)
                row, width = [], 0
            row.append((name, value))
            width += w
        return lines + _named_rows(row)


def _named_rows(row: list[tuple[str, str]]) -> list[str]:
    widths = [max(len(n), len(v)) for n, v in row]
    return [
        " ".join(n.rjust(w) for (n, _), w in zip(row, widths)),
        " ".join(v.rjust(w) for (_, v), w in zip(row, widths)),
    ]


# --------------------------------------------------------------------------- lowess


def lowess(
    x: Any, y: Any, *, f: float = 2 / 3, delta: float | None = None, engine: str = "auto"
) -> tuple[np.ndarray, np.ndarray]:
    """R's ``lowess(x, y, f, iter = 0, delta)``: locally weighted linear fit, no robustness steps.

    Cleveland's (1979) algorithm as R's ``clowess``: points sorted by ``x``; each fit
    uses the ``max(min(floor(f·n + 1e-7), n), 2)`` nearest points with tricube
    weights; fits are computed only at points more than ``delta`` (default 1 % of
    the range of ``x``) apart and linearly interpolated in between; tied ``x``
    share a fit. Returns ``(sorted x, fitted y)``.

    ``engine``: ``"compiled"`` walks the points once in a numba-compiled loop
    (:mod:`cetrus.stats._lowess_kernel`; extra ``fast``), ``"arrays"`` computes all
    anchors' fits as one numpy array (no compiler needed), ``"auto"`` (default) the
    compiled loop when numba is installed. Both give R's smooth; they differ by rounding
    only (≤ 1e-13 in the tests).

    Examples
    --------
    >>> from cetrus.stats.calibration import lowess
    >>> xs, fit = lowess([1, 2, 3, 4, 5, 6], [0, 0, 1, 0, 1, 1])
    >>> fit.round(4).tolist()
    [-0.1198, 0.2863, 0.4274, 0.5726, 0.7137, 1.1198]
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    n = xs.size
    if delta is None:
        delta = 0.01 * (xs[-1] - xs[0]) if n else 0.0
    fit = np.empty(n)
    if n < 2:
        fit[:] = ys
        return xs, fit
    ns = max(min(int(f * n + 1e-7), n), 2)
    if engine not in ("auto", "compiled", "arrays"):
        raise InputError(f"lowess: engine must be 'auto', 'compiled' or 'arrays', not {engine!r}")
    if engine != "arrays":
        from cetrus.stats._lowess_kernel import compiled, smooth_sorted

        kernel = compiled()
        if kernel is None and engine == "compiled":
            raise InputError("lowess: engine='compiled' needs numba: pip install 'cetrus[fast]'")
        if kernel is not None:
            return xs, smooth_sorted(xs, ys, ns, delta, kernel)
    rng = xs[-1] - xs[0]
    # 0-based translation of clowess's 1-based loop. The loop only walks the points to
    # find where a local fit is needed ("anchors", more than delta apart) and its window;
    # the weighted fits of all anchors are then computed at once (one anchors × window
    # array), and the points between anchors interpolated as clowess does.
    anchors, lefts = [], []
    nleft, nright, last, i = 0, ns - 1, -1, 0
    while True:
        while nright < n - 1 and xs[i] - xs[nleft] > xs[nright + 1] - xs[i]:
            nleft += 1
            nright += 1
        anchors.append(i)
        lefts.append(nleft)
        # points tied with the anchor share its fit; the next anchor is the last point
        # within delta of it (clowess's scan, by binary search)
        last = int(np.searchsorted(xs, xs[i], side="right")) - 1
        if last >= n - 1:
            break
        i = max(last + 1, int(np.searchsorted(xs, xs[last] + delta, side="right")) - 1)
    a_idx = np.asarray(anchors)
    lefts_arr = np.asarray(lefts)
    step = max(1, 4_000_000 // n)  # anchors per batch: at most ~4e6 weights in memory
    a_fit = np.concatenate(
        [
            _lowest_many(xs, ys, a_idx[k : k + step], lefts_arr[k : k + step], ns, rng)
            for k in range(0, a_idx.size, step)
        ]
    )
    fit[a_idx] = a_fit
    # ties of each anchor
    tie_end = np.searchsorted(xs, xs[a_idx], side="right")
    for k in np.flatnonzero(tie_end - a_idx > 1):
        fit[a_idx[k] : tie_end[k]] = a_fit[k]
    # between consecutive anchors: alpha·fit[next] + (1 − alpha)·fit[last tie of previous]
    prev_last = tie_end[:-1] - 1
    nxt = a_idx[1:]
    gap = np.flatnonzero(nxt - prev_last > 1)
    if gap.size:
        lengths = nxt[gap] - prev_last[gap] - 1
        owner = np.repeat(gap, lengths)
        j = np.concatenate([np.arange(prev_last[g] + 1, nxt[g]) for g in gap])
        lo, hi = prev_last[owner], nxt[owner]
        alpha = (xs[j] - xs[lo]) / (xs[hi] - xs[lo])
        fit[j] = alpha * fit[hi] + (1.0 - alpha) * fit[lo]
    return xs, fit


def _lowest_many(
    x: np.ndarray, y: np.ndarray, anchors: np.ndarray, lefts: np.ndarray, ns: int, rng: float
) -> np.ndarray:
    """clowess's ``lowest`` at every anchor at once: the weighted linear fit at x[i] from
    the points nleft.. (those within 0.999·h of x[i]), tricube weights. Each anchor's
    points are gathered as one row of a band (its window, padded), so the work is
    anchors × window, not anchors × n."""
    xa = x[anchors]
    h = np.maximum(xa - x[lefts], x[lefts + ns - 1] - xa)
    h9, h1 = 0.999 * h, 0.001 * h
    nrt = np.searchsorted(x, xa + h9, side="right") - 1  # last point within 0.999 h
    width = nrt - lefts + 1
    k = np.arange(int(width.max()))
    cols = np.minimum(lefts[:, None] + k[None, :], x.size - 1)
    xw, yw = x[cols], y[cols]
    r = np.abs(xw - xa[:, None])
    inside = (k[None, :] < width[:, None]) & (r <= h9[:, None])
    u = r / np.where(h > 0, h, 1.0)[:, None]
    t = 1.0 - u * u * u
    w = t * t * t  # tricube (1 − (r/h)³)³
    w[r <= h1[:, None]] = 1.0
    w[h <= 0] = 1.0  # h = 0: every point at the anchor's x weighs 1
    w *= inside
    total = w.sum(axis=1)
    ok = total > 0
    w /= np.where(ok, total, 1.0)[:, None]
    a = np.einsum("ij,ij->i", w, xw)
    d = xw - a[:, None]
    c = np.einsum("ij,ij->i", w, d * d)
    slope = (h > 0) & (np.sqrt(c) > 0.001 * rng)
    b = np.where(slope, (xa - a) / np.where(slope, c, 1.0), 0.0)
    out = np.einsum("ij,ij->i", w, yw) + b * np.einsum("ij,ij->i", w, d * yw)
    return np.where(ok, out, y[anchors])


# --------------------------------------------------------------------------- val.prob

_RMS_BINS = 5000  # rms 6.5 lrm.fit: ftable bins of width 1/5000 (found by matching val.prob)


def _rms_binned(p: np.ndarray) -> np.ndarray:
    """The probability cell lrm.fit counts a prediction in (its logit clamped to ±30)."""
    lg = np.clip(np.log(p / (1 - p)), -30.0, 30.0)
    return np.floor(_RMS_BINS * (1.0 / (1.0 + np.exp(-lg))))


def _concordance(p: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    n1 = int(y.sum())
    n0 = y.size - n1
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def val_prob(
    y: Any = None,
    prob: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    positive: Any = None,
) -> CalibrationResult:
    """Calibration and discrimination of predicted probabilities, as ``rms::val.prob(p, y)``.

    Parameters
    ----------
    y : array-like, optional
        Two-level outcome (case = ``positive`` or the larger sorted level).
    prob : array-like, optional
        Predicted probabilities of the case, strictly inside (0, 1).
    data : pandas.DataFrame, optional
        Take the outcome and the probabilities from its columns.
    outcome, score : str, optional
        Column names of the outcome and of the predicted probabilities in ``data``.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    CalibrationResult
        See the module docstring for each formula; ``print`` shows val.prob's named
        vector, ``to_frame()`` the same as a table.

    See Also
    --------
    lowess : the smoother of the calibration curve.
    cetrus.stats.optimism.calibrate_logistic : the bootstrap-corrected curve.

    Notes
    -----
    ``val.prob`` silently drops probabilities of exactly 0 or 1 from the logistic
    calibration only (their logit is infinite); here they are an error, as are
    missing values. All-equal probabilities are handled as val.prob does
    (slope and Dxy 0, C ½, intercept = logit of the event rate). Cases and controls
    must both be present (a single class raises). A recalibration that does not
    converge warns (:class:`~cetrus.UndefinedStatisticWarning`).

    References
    ----------
    Harrell FE (2015). *Regression Modeling Strategies*, 2nd ed., Springer.
    Spiegelhalter DJ (1986). *Statistics in Medicine* 5:421–433.
    R: ``rms::val.prob(p, y, pl = FALSE)`` (rms 6.5).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from cetrus.stats import val_prob
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"p": rng.uniform(0.05, 0.95, 200)})
    >>> df["y"] = (rng.uniform(size=200) < df["p"]).astype(int)
    >>> res = val_prob(data=df, outcome="y", score="p")
    >>> round(res.slope, 3), round(res.spiegelhalter_pvalue, 3)
    (1.133, 0.547)
    >>> val_prob(df["y"], df["p"]) == res
    True
    """
    y, prob = resolve(
        "val_prob", data, {"y": y, "prob": prob}, {"outcome": outcome, "score": score}
    )
    coded = binary_outcome(y, "y")
    if positive is not None:
        coded = binary_outcome(y, "y", positive=positive)
    yy = coded.is_case.astype(np.float64)
    p = numeric_vector(prob, "prob")
    same_length(y=yy, prob=p)
    if (p <= 0).any() or (p >= 1).any():
        bad = p[(p <= 0) | (p >= 1)][0]
        raise InputError(
            f"'prob' must lie strictly between 0 and 1 (a logit must exist). Got {bad!r}."
        )
    from scipy.special import logit as qlogis
    from scipy.stats import chi2, norm

    n = yy.size
    lg = qlogis(p)
    brier = float(np.mean((p - yy) ** 2))
    w = 1 - 2 * p
    spi_z = float(np.sum((yy - p) * w) / math.sqrt(np.sum(w * w * p * (1 - p))))
    spi_p = float(2 * norm.sf(abs(spi_z)))
    rate = yy.mean()
    dev0 = -2.0 * (yy.sum() * math.log(rate) + (n - yy.sum()) * math.log(1 - rate))
    l01 = float(2.0 * np.logaddexp(0.0, -(2 * yy - 1) * lg).sum())
    if np.unique(p).size == 1:
        intc = math.log(rate / (1 - rate))
        d = -1.0 / n
        u_chisq = l01 - dev0
        u_p = float(chi2.sf(u_chisq, 1))
        u = (u_chisq - 1) / n
        e = abs(p[0] - rate)
        # (val.prob 6.5 builds 20 numbers for 18 names here, so its Emax..S:p are shifted)
        return CalibrationResult(
            0.0,
            0.5,
            0.0,
            brier,
            intc,
            0.0,
            e,
            e,
            e,
            spi_z,
            spi_p,
            n,
            0.5,
            d,
            0.0,
            1.0,
            u,
            u_chisq,
            u_p,
            d - u,
            coded.n_cases,
        )
    from cetrus.stats.logistic import lrm_fit

    recal = lrm_fit(np.column_stack([np.ones(n), lg]), yy)
    if not recal.converged:
        warnings.warn(
            "val_prob: the logistic recalibration did not converge",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    c = _concordance(_rms_binned(p), yy)
    lr = dev0 - l01
    r2 = (1 - math.exp(-lr / n)) / (1 - math.exp(-dev0 / n))
    d = (lr - 1) / n
    u_chisq = l01 - recal.deviance
    u = (u_chisq - 2) / n
    xs, sm = lowess(p, yy)
    # approx(Sm, xout = p, ties = mean): tied x share one fitted value, so read it back
    smooth_at = np.interp(p, *_collapse_ties(xs, sm))
    er = np.abs(p - smooth_at)
    return CalibrationResult(
        dxy=2 * (c - 0.5),
        c=c,
        r2=float(r2),
        brier=brier,
        intercept=float(recal.beta[0]),
        slope=float(recal.beta[1]),
        emax=float(er.max()),
        e90=float(np.quantile(er, 0.9)),
        eavg=float(er.mean()),
        spiegelhalter_z=spi_z,
        spiegelhalter_pvalue=spi_p,
        n=n,
        auc=_concordance(p, yy),
        d=float(d),
        d_chisq=float(lr),
        d_pvalue=float(chi2.sf(lr, 1)),
        u=float(u),
        u_chisq=float(u_chisq),
        u_pvalue=float(chi2.sf(u_chisq, 2)),
        q=float(d - u),
        events=coded.n_cases,
    )


def _collapse_ties(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ux, inv = np.unique(x, return_inverse=True)
    sums = np.bincount(inv, weights=y)
    counts = np.bincount(inv)
    return ux, sums / counts
