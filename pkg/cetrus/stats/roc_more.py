"""pROC's toolbox beyond the AUC: partial AUC, coordinates at a sensitivity or
specificity, best thresholds by Youden or closeness to the top-left corner (with
cost/prevalence weights), likelihood ratios, bootstrap intervals of coordinates and
thresholds from replayable resamples, DeLong variance and covariance, and
``power.roc.test``.

Each function equals one pROC 1.18 function (named in its docstring) with
``roc(levels = c(0, 1), direction = "<")`` conventions (see :mod:`cetrus.stats.roc`);
``validation/cases/roc_toolbox.py`` checks them against live pROC. Bootstrap results
equal pROC's when given pROC's resamples (:class:`~cetrus.stats.roc.Resamples`);
otherwise cetrus draws its own with a seeded numpy generator.

The ROC curve of a sample is kept in pROC's sorted order: specificity non-decreasing
(thresholds increasing for ``"<"``, decreasing for ``">"``), one point per pROC
threshold (−inf, the midpoints between distinct scores, +inf).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, overload

import numpy as np
import pandas as pd
from scipy import special

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._data import column as _col
from cetrus.stats._data import resolve
from cetrus.stats._validation import binary_outcome, choice
from cetrus.stats._validation import conf_level as _check_conf
from cetrus.stats.roc import (
    Resamples,
    _as_resamples,
    _check_n_boot,
    _delong,
    _draws,
    _prepare,
    _Prepared,
    _proc_thresholds,
)

__all__ = [
    "PartialAUCResult",
    "CoordsResult",
    "CoordsCI",
    "ThresholdsCI",
    "PowerResult",
    "auc_partial",
    "roc_coords",
    "ci_coords",
    "ci_thresholds",
    "roc_var",
    "roc_cov",
    "power_roc_test",
    "power_roc_test_paired",
    "power_roc_test_binormal",
]


# --------------------------------------------------------------------------- results


def _boot_label(level: float, n_boot: int | None) -> str:
    return f"{100 * level:.4g}% CI ({n_boot} stratified bootstrap replicates)"


@dataclass(frozen=True, slots=True, repr=False)
class PartialAUCResult(Result):
    """Partial AUC over a specificity or sensitivity range, with a bootstrap interval.

    ``limits`` is (low, high) of the focus; ``correct`` says whether McClish's
    standardisation was applied. ``ci_low``/``ci_high`` are percentile bounds of
    ``n_boot`` stratified bootstrap replicates (nan when ``ci=False``).

    See Also
    --------
    auc_partial : computes it.

    Examples
    --------
    >>> from cetrus.stats.roc_more import auc_partial
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = auc_partial(y, [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8], ci=False)
    >>> res
    PartialAUCResult(estimate=0.12, ci_low=NA, ci_high=NA, focus='specificity')
    >>> print(res)
    Partial area under the curve (specificity 1-0.8): 0.12
    """

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high", "focus")

    estimate: float
    ci_low: float
    ci_high: float
    conf_level: float
    focus: str
    limits: tuple[float, float]
    correct: bool
    direction: str
    n_cases: int
    n_controls: int
    method: str = "bootstrap"
    n_boot: int | None = None
    seed: int | None = None

    def _print_lines(self) -> list[str]:
        # pROC's print.auc: "Partial area under the curve (specificity 1-0.8): 0.0412"
        head = "Corrected partial" if self.correct else "Partial"
        lo, hi = self.limits
        lines = [
            f"{head} area under the curve ({self.focus} {format_value(hi)}-"
            f"{format_value(lo)}): {format_value(self.estimate)}"
        ]
        if self.n_boot is not None:
            lines.append(
                f"{_boot_label(self.conf_level, self.n_boot)}: "
                f"{format_value(self.ci_low)}-{format_value(self.ci_high)}"
            )
        return lines

    def to_frame(self) -> Any:
        """One row: estimate, ci_low, ci_high, focus, limit_low, limit_high, correct, …"""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "estimate": self.estimate,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "conf_level": self.conf_level,
                    "focus": self.focus,
                    "limit_low": self.limits[0],
                    "limit_high": self.limits[1],
                    "correct": self.correct,
                    "direction": self.direction,
                    "n_cases": self.n_cases,
                    "n_controls": self.n_controls,
                    "n_boot": self.n_boot,
                }
            ]
        )


_COORD_FIELDS = (
    "threshold",
    "sensitivity",
    "specificity",
    "accuracy",
    "tp",
    "fp",
    "tn",
    "fn",
    "ppv",
    "npv",
    "lr_positive",
    "lr_negative",
    "youden",
    "closest_topleft",
)


@dataclass(frozen=True, slots=True, repr=False)
class CoordsResult(Result):
    """Points of the ROC curve (one element per requested point; pROC's ``coords``).

    ``tp``/``fp``/``tn``/``fn`` are ``se·n_cases`` etc. and may be fractional where a
    point was interpolated; ``threshold`` is nan there (pROC's NA). ``youden`` is
    pROC's ``se + r·sp`` and ``closest_topleft`` ``(1 − se)² + r(1 − sp)²`` with
    ``r = (1 − prevalence) / (cost · prevalence)`` from ``best_weights``.
    ``lr_positive = se / (1 − sp)`` and ``lr_negative = (1 − se) / sp``.
    ``to_frame()`` has one row per point (pROC's ``coords(transpose = FALSE)``).

    See Also
    --------
    roc_coords : computes it.

    Examples
    --------
    >>> from cetrus.stats.roc_more import roc_coords
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = roc_coords(y, [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8], "best")
    >>> res
    CoordsResult(n_points=3, input='threshold', best_method='youden', direction='<')
    >>> print(res)  # three thresholds tie for the best Youden index
       threshold  specificity  sensitivity
    0      0.325          0.6            1
    1       0.45          0.8          0.8
    2       0.65            1          0.6
    """

    _headline: ClassVar[tuple[str, ...]] = ("n_points", "input", "best_method", "direction")

    x: tuple[Any, ...]
    input: str
    threshold: np.ndarray
    sensitivity: np.ndarray
    specificity: np.ndarray
    accuracy: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    ppv: np.ndarray
    npv: np.ndarray
    lr_positive: np.ndarray
    lr_negative: np.ndarray
    youden: np.ndarray
    closest_topleft: np.ndarray
    direction: str
    best_method: str
    best_weights: tuple[float, float]
    n_cases: int
    n_controls: int

    @property
    def n_points(self) -> int:
        """How many points were read."""
        return int(np.asarray(self.sensitivity).size)

    def to_frame(self) -> Any:
        """One row per point, a column per coordinate."""
        import pandas as pd

        return pd.DataFrame({k: np.asarray(getattr(self, k), dtype=float) for k in _COORD_FIELDS})

    def _print_lines(self) -> list[str]:
        shown = self.to_frame()[["threshold", "specificity", "sensitivity"]]
        return shown.to_string(float_format=format_value).splitlines()


@dataclass(frozen=True, slots=True, repr=False)
class CoordsCI(Result):
    """Bootstrap percentile intervals of ROC coordinates (pROC's ``ci.coords``).

    ``ci_low[name]``, ``median[name]``, ``ci_high[name]`` are arrays with one element
    per ``x`` for every ``name`` in ``ret``; ``n_omitted`` counts replicates dropped
    under ``best_policy="omit"``. ``to_frame()`` is long: one row per (x, coordinate).

    See Also
    --------
    ci_coords : computes it.

    Examples
    --------
    >>> from cetrus.stats.roc_more import ci_coords
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> s = [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8]
    >>> res = ci_coords(y, s, [0.45], n_boot=200, seed=1)
    >>> res
    CoordsCI(conf_level=0.95, n_boot=200, input='threshold', n_omitted=0)
    >>> res.to_frame().columns.tolist()
    ['x', 'coordinate', 'ci_low', 'median', 'ci_high']
    """

    _headline: ClassVar[tuple[str, ...]] = ("conf_level", "n_boot", "input", "n_omitted")

    x: tuple[Any, ...]
    input: str
    ret: tuple[str, ...]
    ci_low: dict[str, np.ndarray]
    median: dict[str, np.ndarray]
    ci_high: dict[str, np.ndarray]
    conf_level: float
    n_boot: int
    seed: int | None
    direction: str
    best_method: str
    best_weights: tuple[float, float]
    best_policy: str
    n_omitted: int = 0

    def to_frame(self) -> Any:
        """One row per (x, coordinate): x, coordinate, ci_low, median, ci_high."""
        import pandas as pd

        rows = []
        for name in self.ret:
            for i, x in enumerate(self.x):
                rows.append(
                    {
                        "x": x,
                        "coordinate": name,
                        "ci_low": float(np.asarray(self.ci_low[name])[i]),
                        "median": float(np.asarray(self.median[name])[i]),
                        "ci_high": float(np.asarray(self.ci_high[name])[i]),
                    }
                )
        return pd.DataFrame(rows, columns=["x", "coordinate", "ci_low", "median", "ci_high"])

    def _print_lines(self) -> list[str]:
        # pROC's print.ci.coords: one row per x, low/median/high per coordinate
        frame = self.to_frame()
        wide = frame.pivot(index="x", columns="coordinate", values=["ci_low", "median", "ci_high"])
        cols = [(stat, name) for name in self.ret for stat in ("ci_low", "median", "ci_high")]
        wide = wide[cols]
        wide.index.name = None
        wide.columns = [
            f"{name}.{ {'ci_low': 'low', 'median': 'median', 'ci_high': 'high'}[s] }"
            for s, name in cols
        ]
        head = f"{_boot_label(self.conf_level, self.n_boot)}:"
        if self.n_omitted:
            head += f" ({self.n_omitted} replicates omitted)"
        return [head] + wide.to_string(float_format=format_value).splitlines()


@dataclass(frozen=True, slots=True, repr=False)
class ThresholdsCI(Result):
    """Bootstrap intervals of sensitivity and specificity at fixed thresholds
    (pROC's ``ci.thresholds``): one element per threshold.

    See Also
    --------
    ci_thresholds : computes it.

    Examples
    --------
    >>> from cetrus.stats.roc_more import ci_thresholds
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> s = [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8]
    >>> res = ci_thresholds(y, s, [0.45, 0.65], n_boot=200, seed=1)
    >>> res
    ThresholdsCI(n_thresholds=2, conf_level=0.95, n_boot=200, direction='<')
    >>> res.to_frame().shape
    (2, 7)
    """

    _headline: ClassVar[tuple[str, ...]] = ("n_thresholds", "conf_level", "n_boot", "direction")

    thresholds: np.ndarray
    sensitivity_ci_low: np.ndarray
    sensitivity_median: np.ndarray
    sensitivity_ci_high: np.ndarray
    specificity_ci_low: np.ndarray
    specificity_median: np.ndarray
    specificity_ci_high: np.ndarray
    conf_level: float
    n_boot: int
    seed: int | None
    direction: str

    @property
    def n_thresholds(self) -> int:
        """How many thresholds."""
        return int(np.asarray(self.thresholds).size)

    def to_frame(self) -> Any:
        """One row per threshold: threshold and the six interval columns."""
        import pandas as pd

        return pd.DataFrame(
            {
                "threshold": self.thresholds,
                "specificity_ci_low": self.specificity_ci_low,
                "specificity_median": self.specificity_median,
                "specificity_ci_high": self.specificity_ci_high,
                "sensitivity_ci_low": self.sensitivity_ci_low,
                "sensitivity_median": self.sensitivity_median,
                "sensitivity_ci_high": self.sensitivity_ci_high,
            }
        )

    def _print_lines(self) -> list[str]:
        # pROC's print.ci.thresholds: sp.low sp.median sp.high se.low se.median se.high
        frame = self.to_frame().set_index("threshold")
        frame.index.name = None
        frame.columns = ["sp.low", "sp.median", "sp.high", "se.low", "se.median", "se.high"]
        return [f"{_boot_label(self.conf_level, self.n_boot)}:"] + frame.to_string(
            float_format=format_value
        ).splitlines()


@dataclass(frozen=True, slots=True, repr=False)
class PowerResult(Result):
    """Sample size, power or significance level of an ROC test (pROC's ``power.roc.test``).

    ``ncases`` is left unrounded (as pROC); round up to plan a study. ``print`` lays it
    out as R's ``power.htest``.

    See Also
    --------
    power_roc_test, power_roc_test_paired, power_roc_test_binormal : compute it.

    Examples
    --------
    >>> from cetrus.stats.roc_more import PowerResult
    >>> res = PowerResult(30.0, 30.0, 0.05, 0.8, "two-sided",
    ...                   "One ROC curve power calculation", 0.7)
    >>> res
    PowerResult(ncases=30, ncontrols=30, sig_level=0.05, power=0.8, auc=0.7)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
         One ROC curve power calculation
    <BLANKLINE>
             ncases = 30
          ncontrols = 30
                auc = 0.7
          sig.level = 0.05
              power = 0.8
    """

    ncases: float
    ncontrols: float
    sig_level: float
    power: float
    alternative: str
    method: str
    auc: float | None = None
    auc_b: float | None = None

    _headline: ClassVar[tuple[str, ...]] = (
        "ncases",
        "ncontrols",
        "sig_level",
        "power",
        "auc",
        "auc_b",
    )

    def _print_lines(self) -> list[str]:
        items: list[tuple[str, float | None]] = [
            ("ncases", self.ncases),
            ("ncontrols", self.ncontrols),
        ]
        if self.auc_b is not None:
            items += [("auc1", self.auc), ("auc2", self.auc_b)]
        elif self.auc is not None:
            items.append(("auc", self.auc))
        items += [("sig.level", self.sig_level), ("power", self.power)]
        width = max(len(k) for k, _ in items)
        return [f"     {self.method}", ""] + [
            f"     {k.rjust(width)} = {format_value(v)}" for k, v in items
        ]


# --------------------------------------------------------------------------- curve core


def _curve(
    cases: np.ndarray, controls: np.ndarray, direction: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(thresholds, se, sp) of the empirical curve on the original score scale, in
    pROC's sorted order (sp non-decreasing)."""
    m, n = cases.size, controls.size
    values = np.unique(np.concatenate((cases, controls)))
    thr = _proc_thresholds(values, direction)
    cs, ct = np.sort(cases), np.sort(controls)
    if direction == "<":  # positive: score >= t
        se = (m - np.searchsorted(cs, thr, "left")) / m
        sp = np.searchsorted(ct, thr, "left") / n
        return thr, se, sp
    se = np.searchsorted(cs, thr, "right") / m  # positive: score <= t
    sp = (n - np.searchsorted(ct, thr, "right")) / n
    return thr[::-1], se[::-1], sp[::-1]


def _split(prep: _Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Cases and controls on the original score scale, in input order."""
    score = -prep.score if prep.direction == ">" else prep.score
    return score[prep.is_case], score[~prep.is_case]


def _at_thresholds(
    cases_sorted: np.ndarray, controls_sorted: np.ndarray, t: np.ndarray, direction: str
) -> tuple[np.ndarray, np.ndarray]:
    """se, sp at thresholds ``t`` (pROC's rule) from sorted cases and controls."""
    m, n = cases_sorted.size, controls_sorted.size
    if direction == "<":
        return (
            (m - np.searchsorted(cases_sorted, t, "left")) / m,
            np.searchsorted(controls_sorted, t, "left") / n,
        )
    return (
        np.searchsorted(cases_sorted, t, "right") / m,
        (n - np.searchsorted(controls_sorted, t, "right")) / n,
    )


# --------------------------------------------------------------------------- partial AUC


def _check_unit_range(limits: Any, func: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in limits)
    except (TypeError, ValueError):
        raise InputError(
            f"The 'limits' parameter of {func} must be two numbers (low, high) in "
            f"[0, 1]. Got {limits!r} instead."
        ) from None
    if not (0.0 <= lo <= 1.0 and 0.0 <= hi <= 1.0):
        raise InputError(f"The 'limits' parameter of {func} must lie in [0, 1]. Got {limits!r}.")
    if not lo < hi:
        raise InputError(
            f"The 'limits' parameter of {func} must be (low, high) with low < high. Got {limits!r}."
        )
    return lo, hi


def _pauc(se: np.ndarray, sp: np.ndarray, focus: str, lo: float, hi: float) -> float:
    """Trapezoidal area between ``lo`` and ``hi`` of the focus axis, the curve linearly
    interpolated at the two limits (pROC's ``auc.roc`` with ``partial.auc``)."""
    if focus == "specificity":
        x, y = sp, se
    else:
        x, y = se[::-1], sp[::-1]
    inside = (x <= hi) & (x >= lo)
    xi, yi = x[inside], y[inside]
    if xi.size == 0:  # both limits within one segment
        k = int(np.argmax(x >= hi))  # first point at or beyond hi
        j = k - 1
        width = x[k] - x[j]
        y_hi = y[k] + (x[k] - hi) / width * (y[j] - y[k])
        y_lo = y[j] - (lo - x[j]) / width * (y[j] - y[k])
        return float((y_hi + y_lo) / 2 * (hi - lo))
    area = float(np.sum((xi[1:] - xi[:-1]) * ((yi[1:] + yi[:-1]) / 2)))
    if not np.any(xi == hi):  # piece from the last inside point to hi
        k = int(np.argmax(x >= hi))
        j = k - 1
        y_at = y[k] + (hi - x[k]) / (x[j] - x[k]) * (y[j] - y[k])
        area += (hi - x[j]) * (y[j] + y_at) / 2
    if not np.any(xi == lo):  # piece from lo to the first inside point
        k = int(np.argmax(x > lo))
        j = k - 1
        y_at = y[k] + (x[k] - lo) / (x[k] - x[j]) * (y[j] - y[k])
        area += (x[k] - lo) * (y[k] + y_at) / 2
    return area


def _mcclish(area: float, lo: float, hi: float) -> float:
    """McClish (1989) standardisation: (1 + (pAUC − min)/(max − min)) / 2, with
    min the area under the diagonal and max the width of the range (pROC's)."""
    mn = ((1.0 - hi) + (1.0 - lo)) * (hi - lo) / 2
    mx = hi - lo
    return (1.0 + (area - mn) / (mx - mn)) / 2


def _mcclish_min(lo: float, hi: float) -> float:
    return ((1.0 - hi) + (1.0 - lo)) * (hi - lo) / 2


def auc_partial(
    y_true: Any = None,
    y_score: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    focus: str = "specificity",
    limits: tuple[float, float] = (0.8, 1.0),
    correct: bool = False,
    direction: str = "<",
    ci: bool = True,
    conf_level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = None,
    resamples: Resamples | Mapping | None = None,
    positive: Any = None,
) -> PartialAUCResult:
    """Partial area under the ROC curve, optionally McClish-corrected, with a stratified
    bootstrap percentile interval.

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor (as :func:`~cetrus.stats.auc_ci`).
    data : pandas.DataFrame, optional
        Take the outcome and the score from its columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    focus : {"specificity", "sensitivity"}
        The axis ``limits`` apply to (R's ``partial.auc.focus``).
    limits : (float, float)
        ``(low, high)`` within [0, 1], low < high; R's ``partial.auc = c(high, low)``.
    correct : bool
        McClish's correction (R's ``partial.auc.correct``):
        ``(1 + (pAUC − min)/(max − min)) / 2`` with ``max = high − low`` and
        ``min = ((1 − high) + (1 − low))(high − low)/2``, so 0.5 is chance and 1 perfect.
        A curve whose partial area lies below ``min`` gives nan with an
        :class:`~cetrus.UndefinedStatisticWarning` (pROC: NA and a warning); bootstrap
        replicates are corrected regardless (pROC's ``allow.invalid.partial.auc.correct``).
    direction : {"<", ">", "auto"}
    ci : bool
        Compute the bootstrap interval. pROC offers no DeLong variance for a partial
        AUC (``ci.auc``/``var`` stop with "DeLong method is not supported for partial
        AUC"), so the interval is bootstrap only.
    conf_level, n_boot, seed : float, int, int
        Interval level, replicates (>= 1) and seed of the numpy resampler.
    resamples : Resamples or mapping, optional
        Given resamples instead (see :class:`~cetrus.stats.roc.Resamples`).
    positive : optional
        The case level of the outcome.

    Returns
    -------
    PartialAUCResult
        ``estimate`` with ``ci_low``/``ci_high`` (nan when ``ci=False``).

    See Also
    --------
    cetrus.stats.roc.auc_ci : the full AUC.
    roc_coords : the curve's points.

    Notes
    -----
    The partial area is the trapezoidal area of the empirical curve between the limits,
    with the curve linearly interpolated at each limit (Dodd & Pepe 2003,
    *Biometrics* 59:614; McClish 1989, *Med Decis Making* 9:190). Equals
    ``pROC::auc(roc, partial.auc = c(high, low), partial.auc.focus = focus,
    partial.auc.correct = correct)`` and its interval
    ``ci.auc(..., method = "bootstrap")`` (quantile type 7) given pROC's resamples.

    References
    ----------
    McClish DK (1989). Analyzing a portion of the ROC curve. *Med Decis Making* 9:190–195.
    R: ``pROC::auc(roc, partial.auc = c(1, 0.8), partial.auc.focus = "specificity",
    partial.auc.correct = FALSE)`` and ``pROC::ci.auc(..., method = "bootstrap")``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> res = auc_partial(data=df, outcome="y", score="m1", n_boot=200, seed=1)
    >>> print(res)
    Partial area under the curve (specificity 1-0.8): 0.12
    95% CI (200 stratified bootstrap replicates): 0.04-0.2
    >>> round(auc_partial(df["y"], df["m1"], correct=True, ci=False).estimate, 4)
    0.7778
    """
    func = "auc_partial"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    choice(focus, ("specificity", "sensitivity"), "focus", func)
    choice(correct, (True, False), "correct", func)
    lo, hi = _check_unit_range(limits, func)
    level = _check_conf(conf_level, func)
    prep = _prepare(y_true, y_score, direction, positive, func)
    cases, controls = _split(prep)
    _, se, sp = _curve(cases, controls, prep.direction)
    area = _pauc(se, sp, focus, lo, hi)
    if correct:
        if area < _mcclish_min(lo, hi):
            warnings.warn(
                "the McClish correction is undefined for a partial ROC curve below "
                "the diagonal (pROC returns NA); returning nan",
                UndefinedStatisticWarning,
                stacklevel=2,
            )
            area = float("nan")
        else:
            area = _mcclish(area, lo, hi)
    low = high = float("nan")
    used_boot, used_seed = None, None
    if ci:
        rs = _resamples_for(resamples, n_boot, seed, prep.m, prep.n, func)
        reps = np.empty(rs.n_boot)
        for b, (ci_, ni_) in enumerate(rs):
            _, bse, bsp = _curve(cases[ci_], controls[ni_], prep.direction)
            a = _pauc(bse, bsp, focus, lo, hi)
            reps[b] = _mcclish(a, lo, hi) if correct else a
        alpha = (1.0 - level) / 2.0
        low, high = (float(v) for v in np.quantile(reps, [alpha, 1.0 - alpha]))
        used_boot, used_seed = rs.n_boot, (None if resamples is not None else seed)
    return PartialAUCResult(
        float(area),
        low,
        high,
        level,
        focus,
        (lo, hi),
        bool(correct),
        prep.direction,
        prep.m,
        prep.n,
        "bootstrap",
        used_boot,
        used_seed,
    )


@dataclass(frozen=True, slots=True)
class _Replicates:
    """Given resamples, or cetrus's seeded draws generated one replicate at a time."""

    n_boot: int
    given: Resamples | None
    seed: int | None
    m: int
    n: int

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        if self.given is not None:
            return iter(zip(self.given.cases, self.given.controls))
        return _draws(self.m, self.n, self.n_boot, self.seed)


def _resamples_for(
    resamples: Any, n_boot: Any, seed: int | None, m: int, n: int, func: str
) -> _Replicates:
    if resamples is not None:
        rs = _as_resamples(resamples, m, n, func)
        return _Replicates(rs.n_boot, rs, None, m, n)
    return _Replicates(_check_n_boot(n_boot, func), None, seed, m, n)


# --------------------------------------------------------------------------- coords

_INPUTS = ("threshold", "sensitivity", "specificity")


def _weights_ratio(best_weights: Any, func: str) -> tuple[tuple[float, float], float]:
    """r = (1 − prevalence) / (cost · prevalence) from ``best_weights = (cost, prevalence)``."""
    try:
        cost, prev = (float(v) for v in best_weights)
    except (TypeError, ValueError):
        raise InputError(
            f"The 'best_weights' parameter of {func} must be (cost, prevalence). "
            f"Got {best_weights!r} instead."
        ) from None
    if not 0.0 < prev < 1.0:
        raise InputError(
            f"The prevalence in 'best_weights' of {func} must lie in (0, 1). Got {prev!r}."
        )
    if not (math.isfinite(cost) and cost > 0):
        raise InputError(
            f"The cost in 'best_weights' of {func} must be a positive number. Got {cost!r}."
        )
    return (cost, prev), (1.0 - prev) / (cost * prev)


def _criterion(se: np.ndarray, sp: np.ndarray, r: float, method: str) -> np.ndarray:
    """pROC's optimality criterion (larger is better)."""
    if method == "youden":
        return se + r * sp
    return -((1.0 - se) ** 2 + r * (1.0 - sp) ** 2)


def _points(
    thr: np.ndarray,
    se: np.ndarray,
    sp: np.ndarray,
    x: Any,
    input: str,
    cases: np.ndarray,
    controls: np.ndarray,
    direction: str,
    r: float,
    best_method: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(threshold, se, sp) of the requested points on one curve (pROC's ``coords``)."""
    if isinstance(x, str):  # "best" / "local maximas" / "all"
        if x == "best":
            crit = _criterion(se, sp, r, best_method)
            keep = crit == crit.max()
        elif x == "all":
            keep = np.ones(thr.size, dtype=bool)
        else:
            keep = _local_maxima(se, sp)
        return thr[keep], se[keep], sp[keep]
    x = np.asarray(x, dtype=float)
    if input == "threshold":
        s, p = _at_thresholds(np.sort(cases), np.sort(controls), x, direction)
        return x.copy(), s, p
    values = se if input == "sensitivity" else sp
    out_t = np.full(x.size, np.nan)
    out_se, out_sp = np.empty(x.size), np.empty(x.size)
    for i, v in enumerate(x):
        hits = np.flatnonzero(values == v)
        if hits.size:  # exact: the last point for sensitivity, the first for specificity
            k = hits[-1] if input == "sensitivity" else hits[0]
            out_t[i], out_se[i], out_sp[i] = thr[k], se[k], sp[k]
            continue
        # interpolate between the neighbours that bracket v (pROC: threshold NA)
        k = int(np.argmax(values < v)) if input == "sensitivity" else int(np.argmax(values > v))
        frac = (v - values[k]) / (values[k - 1] - values[k])
        out_se[i] = se[k] + frac * (se[k - 1] - se[k])
        out_sp[i] = sp[k] + frac * (sp[k - 1] - sp[k])
    return out_t, out_se, out_sp


def _local_maxima(se: np.ndarray, sp: np.ndarray) -> np.ndarray:
    """The curve's corners (pROC's ``"local maximas"``), on sp-sorted points."""
    n = se.size
    keep = np.zeros(n, dtype=bool)
    pairs = np.column_stack((sp, se))
    first = np.ones(n, dtype=bool)
    _, idx = np.unique(pairs, axis=0, return_index=True)
    first[:] = False
    first[idx] = True  # first occurrence of each (sp, se)
    ks = np.flatnonzero(first)
    s, p = se[ks], sp[ks]
    k = ks.size
    if k == 1:
        flags = np.array([True])
    elif k == 2:
        flags = np.array([s[0] > s[1], p[1] > p[0]])
    else:
        flags = np.empty(k, dtype=bool)
        flags[0] = s[0] > s[1]
        for i in range(1, k - 1):
            flags[i] = (
                (p[i] > p[i - 1] and s[i] > s[i + 1])
                or (p[i] > p[i - 1] and s[i] == 0)
                or (s[i] > s[i - 1] and p[i] == 1)
            )
        flags[-1] = p[-1] > p[-2]
    keep[ks] = flags
    return keep


def _derived(
    t: np.ndarray, se: np.ndarray, sp: np.ndarray, m: int, n: int, r: float
) -> dict[str, np.ndarray]:
    """pROC's ``roc.utils.calc.coords`` from se and sp (plus the likelihood ratios)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        tp = se * m
        fn = m - tp
        tn = sp * n
        fp = n - tn
        return {
            "threshold": t,
            "sensitivity": se,
            "specificity": sp,
            "accuracy": (tp + tn) / (m + n),
            "tp": tp,
            "fp": fp,
            "tn": tn,
            "fn": fn,
            "ppv": tp / (tp + fp),
            "npv": tn / (tn + fn),
            "lr_positive": se / (1.0 - sp),
            "lr_negative": (1.0 - se) / sp,
            "youden": se + r * sp,
            "closest_topleft": (1.0 - se) ** 2 + r * (1.0 - sp) ** 2,
        }


def _check_x(x: Any, input: str, func: str, allowed: Sequence[str]) -> Any:
    if isinstance(x, str):
        choice(x, tuple(allowed), "x", func)
        return x
    try:
        arr = np.atleast_1d(np.asarray(x, dtype=float))
    except (TypeError, ValueError):
        raise InputError(
            f"The 'x' parameter of {func} must be numbers or one of "
            f"{', '.join(map(repr, allowed))}. Got {x!r} instead."
        ) from None
    if arr.ndim != 1 or arr.size == 0 or np.isnan(arr).any():
        raise InputError(
            f"The 'x' parameter of {func} must be one or more numbers without "
            f"nan. Got {x!r} instead."
        )
    if input != "threshold" and ((arr < 0) | (arr > 1)).any():
        raise InputError(
            f"The 'x' parameter of {func} is a {input} and must lie in [0, 1]. Got {x!r}."
        )
    return arr


def roc_coords(
    y_true: Any = None,
    y_score: Any = None,
    x: Any = "best",
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    input: str = "threshold",
    direction: str = "<",
    best_method: str = "youden",
    best_weights: tuple[float, float] = (1.0, 0.5),
    positive: Any = None,
) -> CoordsResult:
    """Coordinates of the empirical ROC curve at thresholds, sensitivities or specificities,
    or at the best threshold(s).

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor.
    x : float, sequence of float, or {"best", "local maximas", "all"}
        Where to read the curve, in units of ``input`` (a keyword with ``data``).
    data : pandas.DataFrame, optional
        Take the outcome and the score from its columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    input : {"threshold", "sensitivity", "specificity"}
        A threshold is applied with pROC's rule (``score >= t`` positive for ``"<"``).
        A sensitivity or specificity between two curve points is linearly
        interpolated between them (threshold nan, counts fractional); at an exact
        match pROC takes the last such point for sensitivity (the most specific) and
        the first for specificity (the most sensitive).
    best_method : {"youden", "closest.topleft"}
        ``x="best"`` maximises ``se + r·sp`` (Youden 1950, weighted) or minimises
        ``(1 − se)² + r(1 − sp)²`` (Perkins & Schisterman 2006, *Am J Epidemiol*
        163:670), ``r = (1 − prevalence)/(cost · prevalence)`` (Zweig & Campbell 1993,
        *Clin Chem* 39:561). Every tied optimum is returned (pROC's ``coords``).
    best_weights : (cost, prevalence)
        R's ``best.weights``; the default (1, 0.5) gives r = 1.
    direction : {"<", ">", "auto"}
        pROC's direction.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    CoordsResult
        Also the likelihood ratios ``LR+ = se/(1 − sp)`` and ``LR− = (1 − se)/sp``
        (Deeks & Altman 2004, *BMJ* 329:168), not a pROC output; pROC's
        ``coords(ret = c("tpr", "fpr", "fnr", "tnr"))`` gives their terms.

    See Also
    --------
    ci_coords : bootstrap intervals of the same coordinates.
    cetrus.stats.roc.youden_threshold : one Youden threshold with exact intervals.

    Notes
    -----
    ``tp`` etc. are ``se·n_cases`` as pROC computes them; a ratio with a zero
    denominator (e.g. PPV where nothing is called positive) is nan.

    References
    ----------
    Youden WJ (1950). *Cancer* 3:32–35. R: ``pROC::coords(roc, x, input = input,
    ret = "all", best.method =, best.weights =, transpose = FALSE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> res = roc_coords(data=df, outcome="y", score="m1", x=[0.8, 0.9], input="specificity")
    >>> res.to_frame()[["specificity", "sensitivity"]]
       specificity  sensitivity
    0          0.8          0.8
    1          0.9          0.6
    """
    func = "roc_coords"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    choice(input, _INPUTS, "input", func)
    choice(best_method, ("youden", "closest.topleft"), "best_method", func)
    weights, r = _weights_ratio(best_weights, func)
    x = _check_x(x, input, func, ("best", "local maximas", "all"))
    prep = _prepare(y_true, y_score, direction, positive, func)
    cases, controls = _split(prep)
    thr, se, sp = _curve(cases, controls, prep.direction)
    t, s, p = _points(thr, se, sp, x, input, cases, controls, prep.direction, r, best_method)
    vals = _derived(t, s, p, prep.m, prep.n, r)
    xs = (x,) if isinstance(x, str) else tuple(float(v) for v in x)
    return CoordsResult(
        xs,
        input,
        **vals,
        direction=prep.direction,
        best_method=best_method,
        best_weights=weights,
        n_cases=prep.m,
        n_controls=prep.n,
    )


_CI_RET = (
    "threshold",
    "sensitivity",
    "specificity",
    "accuracy",
    "tp",
    "fp",
    "tn",
    "fn",
    "ppv",
    "npv",
    "youden",
    "closest_topleft",
)


def ci_coords(
    y_true: Any = None,
    y_score: Any = None,
    x: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    input: str = "threshold",
    ret: Sequence[str] | None = None,
    direction: str = "<",
    best_method: str = "youden",
    best_weights: tuple[float, float] = (1.0, 0.5),
    best_policy: str = "stop",
    conf_level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = None,
    resamples: Resamples | Mapping | None = None,
    positive: Any = None,
) -> CoordsCI:
    """Stratified bootstrap percentile intervals of ROC coordinates (pROC's ``ci.coords``).

    Each replicate resamples cases and controls separately, rebuilds the curve and reads
    :func:`roc_coords` at ``x``; the interval is the ``(1 ± conf_level)/2`` quantiles
    (R's type 7) of the replicates, the median reported too.

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor.
    x : float, sequence of float, or "best"
        Where to read each replicate's curve (required; a keyword with ``data``).
    data : pandas.DataFrame, optional
        Take the outcome and the score from its columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    input : {"threshold", "sensitivity", "specificity"}
    ret : sequence of str, optional
        Any of ``threshold`` (only with ``x="best"`` or ``input="threshold"``, as pROC),
        ``sensitivity``, ``specificity``, ``accuracy``, ``tp``, ``fp``, ``tn``, ``fn``,
        ``ppv``, ``npv``, ``youden``, ``closest_topleft``. Default as pROC:
        threshold, specificity, sensitivity (threshold dropped unless ``input="threshold"``).
    best_policy : {"stop", "omit"}
        A replicate with several best thresholds (``x="best"``): ``"stop"`` raises,
        ``"omit"`` drops the replicate (pROC's NA row). pROC's ``"random"`` draws from
        R's RNG and is not offered.
    direction, best_method, best_weights
        As :func:`roc_coords`.
    conf_level : float
        Interval level.
    n_boot, seed, resamples
        As :func:`auc_partial`; with pROC's resamples the result equals
        ``pROC::ci.coords(roc, x, input, ret, best.method, best.weights, best.policy,
        boot.n, conf.level)``.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    CoordsCI
        ``ci_low``, ``median``, ``ci_high`` per coordinate (``to_frame()``: long).

    See Also
    --------
    roc_coords : the coordinates on the sample itself.
    ci_thresholds : intervals at fixed thresholds.

    Notes
    -----
    A coordinate undefined on a replicate (nan) is left out of that coordinate's
    quantiles (R's ``na.rm = TRUE``); all nan gives nan.

    References
    ----------
    Efron B, Tibshirani RJ (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    R: ``pROC::ci.coords(roc, x = "best", input = "threshold", boot.n = 2000)``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> res = ci_coords(data=df, outcome="y", score="m1", x=0.45, n_boot=200, seed=1)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    95% CI (200 stratified bootstrap replicates):
          threshold.low  threshold.median  threshold.high  specificity.low
          specificity.median  specificity.high  sensitivity.low  sensitivity.median
          sensitivity.high
    0.45  0.45  0.45  0.45  0.4  0.8  1  0.4  0.8  1
    """
    func = "ci_coords"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    if x is None:
        raise InputError(f"{func} needs x (where to read the curve).")
    choice(input, _INPUTS, "input", func)
    choice(best_method, ("youden", "closest.topleft"), "best_method", func)
    choice(best_policy, ("stop", "omit"), "best_policy", func)
    weights, r = _weights_ratio(best_weights, func)
    level = _check_conf(conf_level, func)
    x = _check_x(x, input, func, ("best",))
    if ret is None:
        ret = (
            ("threshold", "specificity", "sensitivity")
            if input == "threshold"
            else ("specificity", "sensitivity")
        )
    ret = tuple([ret] if isinstance(ret, str) else ret)
    for name in ret:
        choice(name, _CI_RET, "ret", func)
    if "threshold" in ret and not (isinstance(x, str) or input == "threshold"):
        raise InputError(
            f"ret='threshold' of {func} needs x='best' or input='threshold' "
            f"(an interpolated sensitivity/specificity has no threshold)."
        )
    prep = _prepare(y_true, y_score, direction, positive, func)
    cases, controls = _split(prep)
    rs = _resamples_for(resamples, n_boot, seed, prep.m, prep.n, func)
    k = 1 if isinstance(x, str) else x.size
    reps = np.full((rs.n_boot, len(ret), k), np.nan)
    omitted = 0
    for b, (ci_, ni_) in enumerate(rs):
        bc, bn = cases[ci_], controls[ni_]
        thr, se, sp = _curve(bc, bn, prep.direction)
        t, s, p = _points(thr, se, sp, x, input, bc, bn, prep.direction, r, best_method)
        if isinstance(x, str) and t.size != 1:
            if best_policy == "stop":
                raise InputError(
                    f"{func}: replicate {b + 1} has {t.size} best thresholds; pass "
                    f"best_policy='omit' to drop such replicates (pROC's "
                    f"best.policy)."
                )
            omitted += 1
            continue
        vals = _derived(t, s, p, prep.m, prep.n, r)
        for j, name in enumerate(ret):
            reps[b, j] = vals[name]
    alpha = (1.0 - level) / 2.0
    low, med, high = {}, {}, {}
    for j, name in enumerate(ret):
        q = _nanquantile(reps[:, j, :], (alpha, 0.5, 1.0 - alpha))
        low[name], med[name], high[name] = q[0], q[1], q[2]
    xs = (x,) if isinstance(x, str) else tuple(float(v) for v in x)
    return CoordsCI(
        xs,
        input,
        ret,
        low,
        med,
        high,
        level,
        rs.n_boot,
        None if resamples is not None else seed,
        prep.direction,
        best_method,
        weights,
        best_policy,
        omitted,
    )


def _nanquantile(a: np.ndarray, probs: Sequence[float]) -> np.ndarray:
    """R's ``quantile(na.rm = TRUE)`` (type 7) per column; nan where a column is all nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(a, probs, axis=0)


def ci_thresholds(
    y_true: Any = None,
    y_score: Any = None,
    thresholds: Any = "local maximas",
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = None,
    resamples: Resamples | Mapping | None = None,
    positive: Any = None,
) -> ThresholdsCI:
    """Bootstrap intervals of sensitivity and specificity at fixed thresholds
    (pROC's ``ci.thresholds``).

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor.
    thresholds : sequence of float or {"local maximas", "best", "all"}
        Where to count (a keyword with ``data``).
    data : pandas.DataFrame, optional
        Take the outcome and the score from its columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    direction, conf_level, n_boot, seed, resamples, positive
        As :func:`ci_coords`.

    Returns
    -------
    ThresholdsCI
        Low, median and high sensitivity and specificity per threshold.

    See Also
    --------
    ci_coords : intervals of any coordinate, also at a sensitivity or specificity.

    Notes
    -----
    ``thresholds`` are numbers, or ``"best"``/``"local maximas"``/``"all"`` (read on the
    full sample first, as pROC: ``"best"`` is Youden with every tie). The thresholds stay
    fixed while cases and controls are resampled; each replicate's sensitivity and
    specificity are counted with pROC's rule; the interval is the type-7 quantiles, the
    median reported too. With pROC's resamples it equals pROC's.

    References
    ----------
    R: ``pROC::ci.thresholds(roc, thresholds = , boot.n = , conf.level = )``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> res = ci_thresholds(data=df, outcome="y", score="m1", thresholds=[0.45, 0.65],
    ...                     n_boot=200, seed=1)
    >>> print(res)
    95% CI (200 stratified bootstrap replicates):
          sp.low  sp.median  sp.high  se.low  se.median  se.high
    0.45     0.4        0.8        1     0.4        0.8        1
    0.65       1          1        1     0.2        0.6        1
    """
    func = "ci_thresholds"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    level = _check_conf(conf_level, func)
    prep = _prepare(y_true, y_score, direction, positive, func)
    cases, controls = _split(prep)
    if isinstance(thresholds, str):
        choice(thresholds, ("best", "local maximas", "all"), "thresholds", func)
        thr, se, sp = _curve(cases, controls, prep.direction)
        t = _points(
            thr, se, sp, thresholds, "threshold", cases, controls, prep.direction, 1.0, "youden"
        )[0]
    else:
        t = _check_x(thresholds, "threshold", func, ())
    rs = _resamples_for(resamples, n_boot, seed, prep.m, prep.n, func)
    se_b = np.empty((rs.n_boot, t.size))
    sp_b = np.empty((rs.n_boot, t.size))
    for b, (ci_, ni_) in enumerate(rs):
        se_b[b], sp_b[b] = _at_thresholds(
            np.sort(cases[ci_]), np.sort(controls[ni_]), t, prep.direction
        )
    alpha = (1.0 - level) / 2.0
    qs = np.quantile(se_b, (alpha, 0.5, 1.0 - alpha), axis=0)
    qp = np.quantile(sp_b, (alpha, 0.5, 1.0 - alpha), axis=0)
    return ThresholdsCI(
        np.asarray(t, float),
        qs[0],
        qs[1],
        qs[2],
        qp[0],
        qp[1],
        qp[2],
        level,
        rs.n_boot,
        None if resamples is not None else seed,
        prep.direction,
    )


# --------------------------------------------------------------------------- var / cov


def roc_var(
    y_true: Any = None,
    y_score: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    positive: Any = None,
) -> float:
    """DeLong's variance of the AUC.

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Outcome and predictor.
    data : pandas.DataFrame, optional
        Take the outcome and the score from its columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    direction : {"<", ">", "auto"}
    positive : optional
        The case level of the outcome.

    Returns
    -------
    float
        ``S10/m + S01/n``, the unbiased variances of the case and control placements
        over the numbers of cases m and controls n (DeLong, DeLong & Clarke-Pearson
        1988, *Biometrics* 44:837); nan with fewer than 2 cases or controls.

    See Also
    --------
    roc_cov : the covariance of two paired AUCs.
    cetrus.stats.roc.auc_ci : reports it as ``variance``.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). *Biometrics* 44:837–845.
    R: ``pROC::var(roc, method = "delong")``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> round(roc_var(data=df, outcome="y", score="m1"), 6)
    0.0128
    """
    func = "roc_var"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    prep = _prepare(y_true, y_score, direction, positive, func)
    pl = _delong(prep.is_case, prep.score, prep.m, prep.n)
    if prep.m < 2 or prep.n < 2:
        return float("nan")
    return float(np.var(pl.v01, ddof=1) / prep.n + np.var(pl.v10, ddof=1) / prep.m)


def roc_cov(
    y_true: Any = None,
    score_a: Any = None,
    score_b: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    direction: str = "<",
    positive: Any = None,
) -> float:
    """DeLong's covariance of two paired AUCs (the same patients).

    Parameters
    ----------
    y_true : array-like
        Outcome shared by both curves.
    score_a, score_b : array-like of float
        The two predictors (column names with ``data``).
    data : pandas.DataFrame, optional
        Take the outcome and the scores from its columns.
    outcome : str, optional
        Column name of the outcome in ``data``.
    direction : {"<", ">", "auto"}
        Applied to each curve (``"auto"`` per curve, as pROC).
    positive : optional
        The case level of the outcome.

    Returns
    -------
    float
        ``cov(V10_a, V10_b)/m + cov(V01_a, V01_b)/n`` of the two curves' placements
        (DeLong et al. 1988, *Biometrics* 44:837); ``roc_cov(y, a, a) == roc_var(y, a)``.

    See Also
    --------
    roc_var : one curve's variance.
    cetrus.stats.roc.roc_test_pairs : the covariance matrix of K curves.

    Notes
    -----
    nan with fewer than 2 cases or controls.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). *Biometrics* 44:837–845.
    R: ``pROC::cov(roc1, roc2, method = "delong")``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25]})
    >>> round(roc_cov(data=df, outcome="y", score_a="m1", score_b="m1"), 6)
    0.0128
    """
    func = "roc_cov"
    if data is not None:
        (y_true,) = resolve(func, data, {"y_true": y_true}, {"outcome": outcome})
        score_a = _col(data, score_a, "score_a", func)
        score_b = _col(data, score_b, "score_b", func)
    elif outcome is not None:
        raise InputError(
            f"The 'outcome' parameter of {func} is a column name and needs "
            "data= (a DataFrame); pass arrays positionally otherwise."
        )
    coded = binary_outcome(y_true, "y_true", positive=positive)
    a = _prepare(coded, score_a, direction, None, func, "score_a")
    b = _prepare(coded, score_b, direction, None, func, "score_b")
    return _cov(a, b)


def _cov(a: _Prepared, b: _Prepared) -> float:
    m, n = a.m, a.n
    if m < 2 or n < 2:
        return float("nan")
    pa = _delong(a.is_case, a.score, m, n, input_order=True)
    pb = _delong(b.is_case, b.score, m, n, input_order=True)
    cx = np.dot(pb.v10 - pb.v10.mean(), pa.v10 - pa.v10.mean()) / (m - 1)
    cy = np.dot(pb.v01 - pb.v01.mean(), pa.v01 - pa.v01.mean()) / (n - 1)
    return float(cx / m + cy / n)


# --------------------------------------------------------------------------- power


def _zeroin(
    f: Callable[[float], float],
    lower: float,
    upper: float,
    f_lower: float,
    f_upper: float,
    tol: float,
) -> float:
    """R's ``uniroot`` (the one implementation, :func:`cetrus.stats.baseline._zeroin`),
    quiet about the infinities the power equations reach at an AUC of 0.5."""
    from cetrus.stats.baseline import _zeroin as zeroin

    with np.errstate(all="ignore"):
        return float(zeroin(f, lower, upper, f_lower, f_upper, tol=tol))


def _var_theta(theta: float, kappa: float) -> float:
    """Obuchowski's variance function of an AUC under the binormal model with B = 1
    (Obuchowski, Lieber & Wians 2004, *Clin Chem* 50:1118; pROC keeps the literal 1.414)."""
    a = special.ndtri(theta) * 1.414
    return float((0.0099 * np.exp(-(a**2) / 2)) * ((5 * a**2 + 8) + (a**2 + 8) / kappa))


@overload
def _check_prob(value: None, name: str, func: str, *, open_: bool = ...) -> None: ...
@overload
def _check_prob(value: float, name: str, func: str, *, open_: bool = ...) -> float: ...
@overload
def _check_prob(value: Any, name: str, func: str, *, open_: bool = ...) -> float | None: ...
def _check_prob(value: Any, name: str, func: str, *, open_: bool = False) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    ok = (0.0 < v < 1.0) if open_ else (0.0 <= v <= 1.0)
    if not ok:
        raise InputError(
            f"The '{name}' parameter of {func} must be a number in "
            f"{'(0, 1)' if open_ else '[0, 1]'}. Got {value!r} instead."
        )
    return v


@overload
def _check_positive(value: None, name: str, func: str) -> None: ...
@overload
def _check_positive(value: float, name: str, func: str) -> float: ...
@overload
def _check_positive(value: Any, name: str, func: str) -> float | None: ...
def _check_positive(value: Any, name: str, func: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not (math.isfinite(v) and v > 0):
        raise InputError(
            f"The '{name}' parameter of {func} must be a positive number. Got {value!r} instead."
        )
    return v


def _check_auc(value: Any, name: str, func: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not 0.5 < v < 1.0:
        raise InputError(
            f"The '{name}' parameter of {func} must be an AUC in (0.5, 1) "
            f"(above chance, below perfect). Got {value!r} instead."
        )
    return v


@overload
def _alpha(sig_level: None, alternative: str) -> None: ...
@overload
def _alpha(sig_level: float, alternative: str) -> float: ...
@overload
def _alpha(sig_level: float | None, alternative: str) -> float | None: ...
def _alpha(sig_level: float | None, alternative: str) -> float | None:
    if sig_level is None:
        return None
    return sig_level / 2 if alternative == "two-sided" else sig_level


def _back(sig_level: float, alternative: str) -> float:
    return sig_level * 2 if alternative == "two-sided" else sig_level


# pROC's spellings of power.roc.test's alternative, accepted as aliases
_POWER_ALIASES = {"two.sided": "two-sided", "one.sided": "one-sided"}


def power_roc_test(
    *,
    auc: float | None = None,
    ncases: float | None = None,
    ncontrols: float | None = None,
    kappa: float = 1.0,
    sig_level: float | None = 0.05,
    power: float | None = None,
    alternative: str = "two-sided",
) -> PowerResult:
    """Power, sample size, significance level or detectable AUC of the test that one
    ROC curve's AUC exceeds 0.5 (pROC's ``power.roc.test(auc =, ncases =, ...)``).

    Leave exactly one of ``power``, ``sig_level``, ``auc`` or the sample size
    (``ncases`` and ``ncontrols`` both None) unset; ``kappa`` = ncontrols/ncases
    completes a sample size given by one count.

    Formula (Obuchowski, Lieber & Wians 2004, *Clin Chem* 50:1118; Obuchowski &
    McClish 1997, *Stat Med* 16:1529), with ``δ = AUC − 0.5``,
    ``V0 = 0.0792 (1 + 1/κ)`` and ``VA = 0.0099 e^{−A²/2} ((5A² + 8) + (A² + 8)/κ)``,
    ``A = 1.414 Φ⁻¹(AUC)``:
    ``ncases = (z_α √V0 + z_β √VA)² / δ²``. A two-sided ``sig_level`` is halved
    (R's ``alternative = "two.sided"``; ``"one-sided"`` is R's ``"one.sided"``).
    ``ncases`` is not rounded. An AUC solved for comes from Brent's method on
    (0.5, 1 − 1e-16) at ``uniroot``'s default tolerance (eps^0.25), iterate for
    iterate as R's ``uniroot``.

    Parameters
    ----------
    auc : float, optional
        Anticipated AUC in (0.5, 1); solved for when None.
    ncases, ncontrols : float, optional
        Sample size; both None to solve it (``kappa`` then splits it).
    kappa : float
        ncontrols / ncases when only one count (or none) is given.
    sig_level, power : float or None
        Significance level and power in (0, 1); the one set to None is solved for.
    alternative : {"two-sided", "one-sided"}
        R's ``"two.sided"``/``"one.sided"`` are accepted aliases.

    Returns
    -------
    PowerResult
        ``ncases``, ``ncontrols``, ``sig_level``, ``power`` and ``auc`` with the unknown
        filled in; prints as R's ``power.htest``.

    See Also
    --------
    power_roc_test_paired, power_roc_test_binormal, auc_ci

    References
    ----------
    Obuchowski NA, Lieber ML, Wians FH (2004). *Clin Chem* 50:1118–1125.
    Obuchowski NA, McClish DK (1997). *Stat Med* 16:1529–1542.
    R: ``pROC::power.roc.test(auc =, ncases =, ncontrols =, sig.level =, power =)``.

    Examples
    --------
    >>> from cetrus.stats.roc_more import power_roc_test
    >>> round(power_roc_test(auc=0.75, ncases=30, ncontrols=30).power, 4)
    0.9457
    >>> round(power_roc_test(auc=0.75, power=0.9).ncases, 2)  # pROC leaves it unrounded
    25.02
    """
    func = "power_roc_test"
    alternative = _POWER_ALIASES.get(alternative, alternative)
    choice(alternative, ("two-sided", "one-sided"), "alternative", func)
    sig_level = _check_prob(sig_level, "sig_level", func, open_=True)
    power = _check_prob(power, "power", func, open_=True)
    ncases = _check_positive(ncases, "ncases", func)
    ncontrols = _check_positive(ncontrols, "ncontrols", func)
    kappa = _check_positive(kappa, "kappa", func)
    if auc is not None:
        auc = _check_auc(auc, "auc", func)
    if ncontrols is None and ncases is not None and kappa is not None:
        ncontrols = kappa * ncases
    elif ncases is None and ncontrols is not None and kappa is not None:
        ncases = ncontrols / kappa
    unknown = [
        name for name, v in (("power", power), ("sig_level", sig_level), ("auc", auc)) if v is None
    ]
    if ncases is None and ncontrols is None:
        unknown.append("ncases")
    if len(unknown) != 1:
        raise InputError(
            f"{func}: leave exactly one of power, sig_level, auc or the sample size "
            f"(ncases and ncontrols) unset. Unset: {', '.join(unknown) or 'none'}."
        )
    alpha = _alpha(sig_level, alternative)
    method = "One ROC curve power calculation"
    if auc is None:
        # auc is the one unknown: power, sig_level and both counts (kappa fills one) are set
        assert power is not None and sig_level is not None and alpha is not None
        assert ncases is not None and ncontrols is not None
        kap = ncontrols / ncases
        za, zb = special.ndtri(1 - alpha), special.ndtri(power)

        def f(x: float) -> float:
            with np.errstate(divide="ignore", invalid="ignore"):
                return float(
                    np.divide(
                        (za * np.sqrt(0.0792 * (1 + 1 / kap)) + zb * np.sqrt(_var_theta(x, kap)))
                        ** 2,
                        np.float64(x - 0.5) ** 2,
                    )
                    - ncases
                )

        lo, hi = 0.5, 1 - 1e-16
        flo, fhi = f(lo), f(hi)
        if flo * fhi > 0:
            raise InputError(
                f"{func}: no AUC in (0.5, 1) gives this power with {ncases:g} cases "
                f"and {ncontrols:g} controls."
            )
        auc = _zeroin(f, lo, hi, flo, fhi, np.finfo(float).eps ** 0.25)
        return PowerResult(ncases, ncontrols, sig_level, power, alternative, method, auc)
    if ncases is None or ncontrols is None:
        # the sample size is the one unknown (kappa completes a single count, so both
        # are None here): power and sig_level are set
        assert power is not None and sig_level is not None and alpha is not None
        va = _var_theta(auc, kappa)
        v0 = 0.0792 * (1 + 1 / kappa)
        delta = auc - 0.5
        n_d = _solve_nd(special.ndtri(1 - alpha), special.ndtri(power), v0, va, delta)
        return PowerResult(n_d, kappa * n_d, sig_level, power, alternative, method, auc)
    v_a_kappa = ncontrols / ncases
    va = _var_theta(auc, v_a_kappa)
    v0 = 0.0792 * (1 + 1 / v_a_kappa)
    delta = auc - 0.5
    if power is None:
        assert sig_level is not None and alpha is not None  # power is the one unknown
        zb = (math.sqrt(ncases * delta**2) - special.ndtri(1 - alpha) * math.sqrt(v0)) / math.sqrt(
            va
        )
        return PowerResult(
            ncases, ncontrols, sig_level, float(special.ndtr(zb)), alternative, method, auc
        )
    za = (math.sqrt(ncases * delta**2) - special.ndtri(power) * math.sqrt(va)) / math.sqrt(v0)
    return PowerResult(
        ncases,
        ncontrols,
        _back(1 - float(special.ndtr(za)), alternative),
        power,
        alternative,
        method,
        auc,
    )


def _solve_nd(za: float, zb: float, v0: float, va: float, delta: float) -> float:
    return float((za * math.sqrt(v0) + zb * math.sqrt(va)) ** 2 / delta**2)


def _two_curve(
    v1: float,
    v2: float,
    c12: float,
    delta: float,
    ncases: float,
    sig_level: float | None,
    power: float | None,
    alternative: str,
    func: str,
) -> tuple[float, float, float]:
    """(ncases, sig_level, power) for a difference of two AUCs with per-case
    variances v1, v2 and covariance c12: null variance ``2 v1 − 2 c12`` (pROC's), alternative
    variance ``v1 + v2 − 2 c12``."""
    if delta == 0:
        raise InputError(
            f"{func}: the two AUCs are equal; a power or sample size needs a "
            f"difference between them."
        )
    v0 = 2 * v1 - 2 * c12
    va = v1 + v2 - 2 * c12
    alpha = _alpha(sig_level, alternative)
    if v0 < 0 or va < 0:
        # pROC takes sqrt() of the negative variance and returns NaN with R's warning
        warnings.warn(
            f"{func}: the {'null' if v0 < 0 else 'alternative'} variance of the AUC "
            f"difference is negative ({v0 if v0 < 0 else va:.3g}): the covariance "
            f"exceeds what the variances allow, so the answer is NaN (as pROC's).",
            UndefinedStatisticWarning,
            stacklevel=3,
        )
        nan = float("nan")
        if power is None:
            assert sig_level is not None  # the callers require power or sig_level
            return ncases, sig_level, nan
        if sig_level is None:
            return ncases, nan, power
        return nan, sig_level, power
    if power is None:
        assert sig_level is not None and alpha is not None  # as above
        zb = (math.sqrt(ncases * delta**2) - special.ndtri(1 - alpha) * math.sqrt(v0)) / math.sqrt(
            va
        )
        return ncases, sig_level, float(special.ndtr(zb))
    if sig_level is None:
        za = (math.sqrt(ncases * delta**2) - special.ndtri(power) * math.sqrt(va)) / math.sqrt(v0)
        return ncases, _back(1 - float(special.ndtr(za)), alternative), power
    assert alpha is not None  # sig_level is set here
    n_d = _solve_nd(special.ndtri(1 - alpha), special.ndtri(power), v0, va, delta)
    return n_d, sig_level, power


def power_roc_test_paired(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    sig_level: float | None = 0.05,
    power: float | None = None,
    kappa: float | None = None,
    alternative: str = "two-sided",
    direction: str = "<",
    positive: Any = None,
    method: str = "delong",
    partial: tuple[float, float] | None = None,
) -> PowerResult:
    """Power, sample size or significance level for comparing two paired ROC curves, from
    the pilot data's DeLong variances and covariance (pROC's
    ``power.roc.test(roc1, roc2, method = "delong")``), or from Obuchowski's binormal
    variances (``method = "obuchowski"``).

    With ``V1 = n_cases·var(AUC_a)``, ``V2``, ``C = n_cases·cov`` (DeLong et al. 1988)
    and ``δ = AUC_a − AUC_b``: null variance ``V0 = 2V1 − 2C`` and alternative variance
    ``VA = V1 + V2 − 2C`` (pROC's), then ``ncases = (z_α √V0 + z_β √VA)² / δ²``
    (Obuchowski & McClish 1997, *Stat Med* 16:1529). ``power=None`` gives the power at
    the pilot's ncases; ``sig_level=None`` the level; both set, the sample size
    (``ncontrols = kappa·ncases``, kappa defaulting to the pilot's ratio). A two-sided
    ``sig_level`` is halved.

    ``method = "obuchowski"`` (pROC's ``var.roc.obuchowski``/``cov.roc.obuchowski``):
    each curve's binormal intercept ``A`` and slope ``B`` are the least-squares line
    ``Φ⁻¹(sp) ~ Φ⁻¹(se)`` through its finite ROC points (pROC's
    ``smooth(roc, method = "binormal")``); ``ra``/``rn`` are the Pearson correlations of
    the two scores among cases/controls; ``V1``, ``V2`` and ``C`` are Obuchowski &
    McClish's (1997) variance and covariance of the (partial) binormal area, and ``δ``
    the difference of the empirical (partial) AUCs. ``partial = (low, high)``, a
    specificity range as pROC's ``partial.auc = c(high, low)`` (``obuchowski`` only;
    DeLong's variance has no partial form, as in pROC), uses the uncorrected partial
    areas and the false-positive range (1 − high, 1 − low).

    Parameters
    ----------
    y_true : array-like
        Binary outcome of the pilot data, shared by both scores.
    score_a, score_b : array-like of float
        The two tests' scores on the same patients.
    sig_level, power : float or None
        In (0, 1); ``power=None`` solves the power at the pilot's size,
        ``sig_level=None`` the level, both set the sample size.
    kappa : float, optional
        ncontrols / ncases of a solved sample size (default: the pilot's ratio).
    alternative : {"two-sided", "one-sided"}
        R's ``"two.sided"``/``"one.sided"`` are accepted aliases.
    direction : {"<", ">"}
        As in :func:`roc_test`.
    positive : optional
        The case level of ``y_true``.
    method : {"delong", "obuchowski"}
        Variance of the AUCs (pROC's ``method``).
    partial : (float, float), optional
        Specificity range of partial areas (``method="obuchowski"`` only).

    Returns
    -------
    PowerResult
        With the pilot's AUCs (or partial AUCs) as ``auc`` and ``auc_b``.

    See Also
    --------
    power_roc_test, power_roc_test_binormal, roc_test

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). *Biometrics* 44:837–845.
    Obuchowski NA, McClish DK (1997). *Stat Med* 16:1529–1542.
    R: ``pROC::power.roc.test(roc1, roc2, method = "delong" | "obuchowski")``.

    Examples
    --------
    >>> from cetrus.stats.roc_more import power_roc_test_paired
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = power_roc_test_paired(y, [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                             [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25],
    ...                             power=0.8)
    >>> round(res.ncases, 1), round(res.ncontrols, 1)
    (176.3, 176.3)
    """
    func = "power_roc_test_paired"
    alternative = _POWER_ALIASES.get(alternative, alternative)
    choice(alternative, ("two-sided", "one-sided"), "alternative", func)
    choice(method, ("delong", "obuchowski"), "method", func)
    if partial is not None:
        if method != "obuchowski":
            raise InputError(
                f"{func}: DeLong's variance has no partial-AUC form; use "
                f"method='obuchowski' with partial= (pROC refuses it too)."
            )
        p_lo, p_hi = _check_unit_range(partial, func)
    sig_level = _check_prob(sig_level, "sig_level", func, open_=True)
    power = _check_prob(power, "power", func, open_=True)
    kappa = _check_positive(kappa, "kappa", func)
    if sig_level is None and power is None:
        raise InputError(
            f"{func}: give sig_level, power or both (the sample size is solved "
            f"when both are given)."
        )
    outcome = binary_outcome(y_true, "y_true", positive=positive)
    a = _prepare(outcome, score_a, direction, None, func, "score_a")
    b = _prepare(outcome, score_b, direction, None, func, "score_b")
    if a.m < 2 or a.n < 2:
        raise InputError(f"{func} needs at least 2 cases and 2 controls for DeLong's variance.")
    pa = _delong(a.is_case, a.score, a.m, a.n)
    pb = _delong(b.is_case, b.score, b.m, b.n)
    m = a.m
    if method == "delong":
        v1 = float((np.var(pa.v01, ddof=1) / a.n + np.var(pa.v10, ddof=1) / m) * m)
        v2 = float((np.var(pb.v01, ddof=1) / a.n + np.var(pb.v10, ddof=1) / m) * m)
        c12 = _cov(a, b) * m
        theta_a, theta_b = pa.theta, pb.theta
    else:
        cases_a, controls_a = _split(a)
        cases_b, controls_b = _split(b)
        fpr = None if partial is None else (1.0 - p_lo, 1.0 - p_hi)
        curves, params = [], []
        for cs, ct, label in ((cases_a, controls_a, "score_a"), (cases_b, controls_b, "score_b")):
            _, se, sp = _curve(cs, ct, direction)
            curves.append((se, sp))
            params.append(_binormal_fit(se, sp, func, label))
        (a1, b1), (a2, b2) = params
        kap = a.n / a.m
        ra = _pearson(cases_a, cases_b, func, "cases")
        rn = _pearson(controls_a, controls_b, func, "controls")
        v1 = _binormal_var(a1, b1, kap, fpr)
        v2 = _binormal_var(a2, b2, kap, fpr)
        c12 = _binormal_cov(a1, b1, a2, b2, rn, ra, kap, fpr)
        if partial is None:
            theta_a, theta_b = pa.theta, pb.theta
        else:
            theta_a, theta_b = (_pauc(se, sp, "specificity", p_lo, p_hi) for se, sp in curves)
    if kappa is None:
        kappa = a.n / a.m
    nc, sl, pw = _two_curve(
        v1, v2, c12, theta_a - theta_b, float(m), sig_level, power, alternative, func
    )
    # solving power or level keeps the pilot's counts; solving the size uses kappa (pROC)
    nn = float(a.n) if (power is None or sig_level is None) else kappa * nc
    return PowerResult(
        nc, nn, sl, pw, alternative, "Two ROC curves power calculation", theta_a, theta_b
    )


def _binormal_fit(se: np.ndarray, sp: np.ndarray, func: str, label: str) -> tuple[float, float]:
    """Intercept and slope of ``lm(qnorm(sp) ~ qnorm(se))`` over the curve's points where
    both are finite (pROC's ``smooth.roc.binormal``)."""
    with np.errstate(divide="ignore"):
        qse, qsp = special.ndtri(se), special.ndtri(sp)
    keep = np.isfinite(qse) & np.isfinite(qsp)
    qse, qsp = qse[keep], qsp[keep]
    centred = qse - qse.mean() if qse.size else qse
    ss = float(centred @ centred)
    if qse.size <= 1 or ss == 0.0:
        raise InputError(
            f"{func}: the ROC curve of {label} has too few points strictly inside "
            f"(0, 1) for the binormal fit Obuchowski's variance needs (pROC: "
            f"'ROC curve not smoothable')."
        )
    slope = float(centred @ (qsp - qsp.mean())) / ss
    return float(qsp.mean() - slope * qse.mean()), slope


def _pearson(u: np.ndarray, v: np.ndarray, func: str, group: str) -> float:
    """R's ``cor(u, v)``; a constant score has no correlation."""
    du, dv = u - u.mean(), v - v.mean()
    den = math.sqrt(float(du @ du) * float(dv @ dv))
    if den == 0.0:
        raise InputError(
            f"{func}: a score is constant among the {group}, so the correlation "
            f"Obuchowski's covariance needs is undefined."
        )
    return float(du @ dv) / den


def power_roc_test_binormal(
    *,
    a1: float,
    b1: float,
    a2: float,
    b2: float,
    rn: float,
    ra: float,
    delta: float,
    ncases: float | None = None,
    ncontrols: float | None = None,
    kappa: float = 1.0,
    sig_level: float | None = 0.05,
    power: float | None = None,
    fpr: tuple[float, float] | None = None,
    alternative: str = "two-sided",
) -> PowerResult:
    """Power or sample size for comparing two ROC curves given binormal parameters
    (Obuchowski & McClish 1997, *Stat Med* 16:1529; pROC's ``power.roc.test(list(A1 =,
    B1 =, A2 =, B2 =, rn =, ra =, delta =))``).

    ``a*``/``b*`` are the binormal intercepts and slopes, ``rn``/``ra`` the correlations
    of the two tests' scores among controls/cases (0 for uncorrelated curves), ``delta``
    the difference to detect; ``fpr = (FPR1, FPR2)`` restricts both areas to a
    false-positive range (R's ``FPR11 = FPR21 = FPR1``, ``FPR12 = FPR22 = FPR2``; pROC
    takes FPR1 = 1 − low specificity, FPR2 = 1 − high specificity). Variances ``V(A, B)``
    and the covariance follow the paper's equations (pROC's ``var.params.obuchowski``
    and ``cov.params.obuchowski``); null variance ``V0 = 2·V1 − 2·C`` and alternative
    variance ``VA = V1 + V2 − 2·C`` as pROC. Give ``ncases`` (or ``ncontrols``) to solve
    power or sig_level; leave it unset to solve the sample size.

    Parameters
    ----------
    a1, b1, a2, b2 : float
        Binormal intercept and slope of each curve.
    rn, ra : float
        Correlations in [-1, 1] of the two scores among controls and among cases.
    delta : float
        The difference of AUCs to detect.
    ncases, ncontrols : float, optional
        Sample size (one count completes the other through ``kappa``); None to solve it.
    kappa : float
        ncontrols / ncases.
    sig_level, power : float or None
        In (0, 1); the one set to None is solved for.
    fpr : (float, float), optional
        False-positive range of a partial area.
    alternative : {"two-sided", "one-sided"}
        R's ``"two.sided"``/``"one.sided"`` are accepted aliases.

    Returns
    -------
    PowerResult

    See Also
    --------
    power_roc_test_paired, power_roc_test

    References
    ----------
    Obuchowski NA, McClish DK (1997). *Stat Med* 16:1529–1542.
    R: ``pROC::power.roc.test(list(A1 =, B1 =, A2 =, B2 =, rn =, ra =, delta =))``.

    Examples
    --------
    >>> from cetrus.stats.roc_more import power_roc_test_binormal
    >>> res = power_roc_test_binormal(a1=0.8, b1=1, a2=1.2, b2=1, rn=0.5, ra=0.5, delta=0.1,
    ...                               power=0.8)
    >>> round(res.ncases, 2)
    140.44
    """
    func = "power_roc_test_binormal"
    alternative = _POWER_ALIASES.get(alternative, alternative)
    choice(alternative, ("two-sided", "one-sided"), "alternative", func)
    sig_level = _check_prob(sig_level, "sig_level", func, open_=True)
    power = _check_prob(power, "power", func, open_=True)
    ncases = _check_positive(ncases, "ncases", func)
    ncontrols = _check_positive(ncontrols, "ncontrols", func)
    kappa = _check_positive(kappa, "kappa", func)
    for name, v in (("a1", a1), ("b1", b1), ("a2", a2), ("b2", b2), ("delta", delta)):
        if not isinstance(v, (int, float, np.number)) or not math.isfinite(float(v)):
            raise InputError(
                f"The '{name}' parameter of {func} must be a finite number. Got {v!r} instead."
            )
    for name, v in (("rn", rn), ("ra", ra)):
        if not -1.0 <= float(v) <= 1.0:
            raise InputError(
                f"The '{name}' parameter of {func} is a correlation in [-1, 1]. Got {v!r} instead."
            )
    if fpr is not None:
        try:
            f1, f2 = (float(v) for v in fpr)
        except (TypeError, ValueError):
            f1 = f2 = float("nan")
        if not (0.0 <= f1 <= 1.0 and 0.0 <= f2 <= 1.0) or f1 == f2:
            raise InputError(
                f"The 'fpr' parameter of {func} must be two distinct "
                f"false-positive rates in [0, 1]. Got {fpr!r} instead."
            )
        fpr = (f1, f2)
    if ncontrols is None and ncases is not None:
        ncontrols = kappa * ncases
    elif ncases is None and ncontrols is not None:
        ncases = ncontrols / kappa
    if ncases is not None and ncontrols is not None:  # set together by the lines above
        kappa = ncontrols / ncases
    if ncases is None and (power is None or sig_level is None):
        raise InputError(
            f"{func}: without ncases give both sig_level and power (the sample size is solved)."
        )
    if ncases is not None and power is not None and sig_level is not None:
        raise InputError(f"{func}: leave one of power, sig_level or ncases unset.")
    if ncases is not None and power is None and sig_level is None:
        raise InputError(f"{func}: with ncases give power or sig_level (the other is solved).")
    v1 = _binormal_var(a1, b1, kappa, fpr)
    v2 = _binormal_var(a2, b2, kappa, fpr)
    c12 = _binormal_cov(a1, b1, a2, b2, rn, ra, kappa, fpr)
    nc = ncases if ncases is not None else float("nan")
    nc, sl, pw = _two_curve(v1, v2, c12, float(delta), nc, sig_level, power, alternative, func)
    return PowerResult(
        nc,
        kappa * nc if ncontrols is None else ncontrols,
        sl,
        pw,
        alternative,
        "Two ROC curves power calculation",
    )


def _fg(a: float, b: float, fpr: tuple[float, float] | None) -> tuple[float, float]:
    """Derivatives f, g of the (partial) binormal area with respect to A and B
    (Obuchowski & McClish 1997, appendix)."""
    e1 = math.exp(-(a**2) / (2 * (1 + b**2)))
    e2 = 1 + b**2
    if fpr is None:
        return e1 * (2 * math.pi * e2) ** -0.5, -e1 * a * b * (2 * math.pi * e2**3) ** -0.5
    c1, c2 = ((special.ndtri(f) + a * b / e2) * math.sqrt(e2) for f in fpr)
    e3 = special.ndtr(c1) - special.ndtr(c2)
    e4 = math.exp(-(c1**2) / 2) - math.exp(-(c2**2) / 2)
    f = e1 * (2 * math.pi * e2) ** -0.5 * e3
    g = e1 * (2 * math.pi * e2) ** -1 * (-e4) - a * b * e1 * (2 * math.pi * e2**3) ** -0.5 * e3
    return float(f), float(g)


def _binormal_var(a: float, b: float, kappa: float, fpr: tuple[float, float] | None) -> float:
    f, g = _fg(a, b, fpr)
    return f**2 * (1 + b**2 / kappa + a**2 / 2) + g**2 * b**2 * (1 + kappa) / (2 * kappa)


def _binormal_cov(
    a1: float,
    b1: float,
    a2: float,
    b2: float,
    rn: float,
    ra: float,
    kappa: float,
    fpr: tuple[float, float] | None,
) -> float:
    f1, g1 = _fg(a1, b1, fpr)
    f2, g2 = _fg(a2, b2, fpr)
    return (
        f1 * f2 * (ra + rn * b1 * b2 / kappa + ra**2 * a1 * a2 / 2)
        + g1 * g2 * (b1 * b2 * (rn**2 + kappa * ra**2) / (2 * kappa))
        + f1 * g2 * (ra**2 * a1 * b2 / 2)
        + f2 * g1 * (ra**2 * a2 * b1 / 2)
    )
