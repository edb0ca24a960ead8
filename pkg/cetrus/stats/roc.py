"""ROC analysis with pROC's semantics: AUC, DeLong variance and CI, the paired DeLong
test, the Youden threshold and diagnostic metrics at a threshold.

Validated against pROC 1.18 (``roc(levels = c(0, 1), direction = "<")``,
``ci.auc(method = "delong")``, ``var()``, ``roc.test(method = "delong", paired = TRUE)``,
``coords(best.method = "youden")``) in ``validation/cases/roc.py`` at 1e-9.

Conventions (pROC's)
--------------------
* ``direction="<"``: controls have lower scores than cases; an observation is called
  positive when ``score >= threshold``. ``">"``: the reverse (``score <= threshold``).
  ``"auto"``: ``"<"`` when ``median(controls) <= median(cases)``, else ``">"``.
* Ties between a case and a control count ½ (Mann–Whitney kernel).
* Thresholds are pROC's (``roc.utils.thresholds``): the midpoints between consecutive
  distinct scores, plus ±inf; ``a/2 + b/2`` where ``(a + b)/2`` would exceed 1e100 in
  magnitude (no overflow near ±DBL_MAX); and where a midpoint of two adjacent doubles
  rounds onto one of them, the value that still separates them under the positive-call
  rule (the upper one for ``"<"``, the lower one for ``">"``). So every threshold
  classifies the data exactly as its ROC point says.
* An AUC below 0.5 under the chosen direction is reported as it is, with an
  :class:`~cetrus.errors.AUCBelowHalfWarning` (pROC's ``direction = "auto"`` would flip it).

Algorithms
----------
Everything is computed from one ``argsort`` of the scores: within each run of tied
scores the numbers of cases and controls give every DeLong placement at once
(DeLong, DeLong & Clarke-Pearson 1988, *Biometrics* 44:837; the sorting formulation of
Sun & Xu 2014, *IEEE Signal Process. Lett.* 21:1389). Time O(n log n), memory O(n);
no cases × controls matrix is ever formed.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import numpy as np
import pandas as pd
from scipy import special, stats

from cetrus._results import Result, format_value
from cetrus.errors import AUCBelowHalfWarning, InputError, UndefinedStatisticWarning
from cetrus.stats._data import alternative as _alternative
from cetrus.stats._data import column as _col
from cetrus.stats._data import resolve
from cetrus.stats._validation import (
    BinaryOutcome,
    binary_outcome,
    choice,
    numeric_vector,
    same_length,
)
from cetrus.stats._validation import (
    conf_level as _check_conf,
)

__all__ = [
    "AUCResult",
    "ROCTestResult",
    "ROCPairwise",
    "ThresholdResult",
    "ROCCurve",
    "auc_ci",
    "roc_test",
    "roc_test_pairs",
    "roc_curve",
    "youden_threshold",
    "diagnostic_metrics",
    "resolve_direction",
    "Resamples",
    "stratified_resamples",
]

_DIRECTIONS = ("<", ">", "auto")


# --------------------------------------------------------------------------- results


def _ci_label(level: float) -> str:
    return f"{100 * level:.4g}%"


def _alternative_text(alternative: str) -> str:
    """roc.test's htest line: the alternative about the difference in AUC."""
    word = {"two-sided": "not equal to", "less": "less than", "greater": "greater than"}
    return f"alternative hypothesis: true difference in AUC is {word[alternative]} 0"


def _format_p(p: float) -> str:
    """R's ``format.pval`` with 4 digits (``< 2.2e-16`` below machine epsilon)."""
    if p is None or np.isnan(p):
        return "NA"
    return "< 2.2e-16" if p < 2.220446049250313e-16 else format_value(p)


@dataclass(frozen=True, slots=True, repr=False)
class AUCResult(Result):
    """AUC with its confidence interval (pROC's ``ci.auc``).

    Attributes
    ----------
    estimate : float
        The AUC under ``direction``.
    ci_low, ci_high : float
        The interval at ``conf_level`` (DeLong: clipped to [0, 1] as pROC does;
        bootstrap: percentile interval).
    variance : float
        DeLong's variance (pROC's ``var``) or the bootstrap variance of the AUCs.
    conf_level : float
    method : {"delong", "bootstrap"}
    direction : {"<", ">"}
    n_cases, n_controls : int
    n_boot, seed : int or None
        Bootstrap replicates and seed (``None`` for DeLong, and ``seed`` for given
        resamples).

    See Also
    --------
    auc_ci : computes it.

    Examples
    --------
    >>> from cetrus.stats import auc_ci
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = auc_ci(y, [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8])
    >>> res
    AUCResult(estimate=0.88, ci_low=0.6583, ci_high=1, method='delong')
    >>> print(res)
    Area under the curve: 0.88
    95% CI: 0.6583-1 (DeLong)
    Data: 5 controls < 5 cases (direction '<')
    >>> res.to_frame().columns.tolist()[:3]
    ['estimate', 'ci_low', 'ci_high']
    """

    _headline: ClassVar[tuple[str, ...]] = ("estimate", "ci_low", "ci_high", "method")

    estimate: float
    ci_low: float
    ci_high: float
    variance: float
    conf_level: float
    method: str
    direction: str
    n_cases: int
    n_controls: int
    n_boot: int | None = None
    seed: int | None = None

    def _print_lines(self) -> list[str]:
        how = (
            "DeLong"
            if self.method == "delong"
            else f"{self.n_boot} stratified bootstrap replicates"
        )
        return [
            f"Area under the curve: {format_value(self.estimate)}",
            f"{_ci_label(self.conf_level)} CI: {format_value(self.ci_low)}-"
            f"{format_value(self.ci_high)} ({how})",
            f"Data: {self.n_controls} controls {self.direction} {self.n_cases} cases "
            f"(direction '{self.direction}')",
        ]


@dataclass(frozen=True, slots=True, repr=False)
class ROCTestResult(Result):
    """DeLong test of two AUCs (pROC's ``roc.test(method = "delong")``).

    Paired (the default): ``statistic`` is Z, ``ci_low``/``ci_high`` the two-sided
    interval of the difference (two-sided also under a one-sided ``alternative``, as
    pROC reports it), ``df`` is None. Unpaired: ``statistic`` is pROC's D with
    Welch–Satterthwaite ``df`` and a Student-t ``pvalue``; pROC gives no interval
    (``ci_low``/``ci_high`` are nan); ``n_cases``/``n_controls`` are curve a's and
    ``n_cases_b``/``n_controls_b`` curve b's.

    Attributes
    ----------
    estimate : tuple of float
        (AUC of curve a, AUC of curve b).
    difference : float
        AUC_a − AUC_b.
    ci_low, ci_high : float
        Interval of the difference (paired only).
    statistic, pvalue : float
        Z (paired) or D (unpaired) and its P value under ``alternative``.
    conf_level, method, direction, n_cases, n_controls, alternative, paired, df,
    n_cases_b, n_controls_b
        How it was computed.

    See Also
    --------
    roc_test, roc_test_pairs

    Examples
    --------
    >>> from cetrus.stats import roc_test
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = roc_test(y, [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25])
    >>> res
    ROCTestResult(difference=0.08, statistic=0.417, pvalue=0.6767, method='delong')
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    DeLong's test for two correlated ROC curves
    <BLANKLINE>
    data:  a and b
    Z = 0.417, p-value = 0.6767
    alternative hypothesis: true difference in AUC is not equal to 0
    95 percent confidence interval:
     -0.296 0.456
    sample estimates:
    AUC of a AUC of b
        0.88      0.8
    >>> res.to_frame().shape
    (1, 13)
    """

    _headline: ClassVar[tuple[str, ...]] = ("difference", "statistic", "pvalue", "method")

    estimate: tuple[float, float]
    difference: float
    ci_low: float
    ci_high: float
    statistic: float
    pvalue: float
    conf_level: float
    method: str
    direction: tuple[str, str]
    n_cases: int
    n_controls: int
    alternative: str = "two-sided"
    paired: bool = True
    df: float | None = None
    n_cases_b: int | None = None
    n_controls_b: int | None = None
    #: what the printout calls the two curves: the score columns with data=, else a and b
    labels: tuple[str, str] = ("a", "b")

    def _print_lines(self, names: tuple[str, str] | None = None) -> list[str]:
        a, b = names or self.labels
        if self.paired:
            lines = [
                "DeLong's test for two correlated ROC curves",
                "",
                f"data:  {a} and {b}",
                f"Z = {format_value(self.statistic)}, p-value = {_format_p(self.pvalue)}",
                _alternative_text(self.alternative),
                f"{100 * self.conf_level:.4g} percent confidence interval:",
                f" {format_value(self.ci_low)} {format_value(self.ci_high)}",
            ]
        else:
            lines = [
                "DeLong's test for two ROC curves",
                "",
                f"data:  {a} and {b}",
                f"D = {format_value(self.statistic)}, df = {format_value(self.df)}, "
                f"p-value = {_format_p(self.pvalue)}",
                _alternative_text(self.alternative),
            ]
        heads = (f"AUC of {a}", f"AUC of {b}")
        values = [format_value(v) for v in self.estimate]
        widths = [max(len(h), len(v)) for h, v in zip(heads, values)]
        lines += [
            "sample estimates:",
            " ".join(h.rjust(w) for h, w in zip(heads, widths)),
            " ".join(v.rjust(w) for v, w in zip(values, widths)),
        ]
        return lines

    def to_frame(self) -> Any:
        """One row: auc_a, auc_b, difference, ci_low, ci_high, statistic, df, pvalue,
        alternative, paired, conf_level, method, n."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "auc_a": self.estimate[0],
                    "auc_b": self.estimate[1],
                    "difference": self.difference,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "statistic": self.statistic,
                    "df": float("nan") if self.df is None else self.df,
                    "pvalue": self.pvalue,
                    "alternative": self.alternative,
                    "paired": self.paired,
                    "conf_level": self.conf_level,
                    "method": self.method,
                    "n": self.n_cases + self.n_controls,
                }
            ]
        )


@dataclass(frozen=True, slots=True, repr=False)
class ROCPairwise(Result):
    """Paired DeLong tests of every pair of K correlated ROC curves (same patients).

    ``auc[k]`` and ``covariance`` (K × K, DeLong's ``S = S10/m + S01/n``) describe all
    curves at once; ``pairs[i]`` names the two curves of ``tests[i]`` (every ``a`` before
    ``b`` in the order the scores were given). Each test equals :func:`roc_test` of
    that pair and pROC's ``roc.test(paired = TRUE)``.

    See Also
    --------
    roc_test_pairs : computes it.
    ROCPairwise.to_frame : one row per pair.

    Examples
    --------
    >>> from cetrus.stats import roc_test_pairs
    >>> y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> res = roc_test_pairs(y, {"m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                          "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25],
    ...                          "m3": [0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.45, 0.8, 0.9, 0.7]})
    >>> res
    ROCPairwise(n_curves=3, n_cases=5, n_controls=5, method='delong')
    >>> res.to_frame()[["model_a", "model_b", "pvalue"]].round(4)
      model_a model_b  pvalue
    0      m1      m2  0.6767
    1      m1      m3  0.5371
    2      m2      m3  0.3320
    """

    _headline: ClassVar[tuple[str, ...]] = ("n_curves", "n_cases", "n_controls", "method")

    names: tuple[str, ...]
    auc: tuple[float, ...]
    covariance: np.ndarray
    pairs: tuple[tuple[str, str], ...]
    tests: tuple[ROCTestResult, ...]
    conf_level: float
    method: str
    direction: tuple[str, ...]
    n_cases: int
    n_controls: int

    @property
    def n_curves(self) -> int:
        """K, the number of curves."""
        return len(self.names)

    def test(self, a: str, b: str) -> ROCTestResult:
        """The test of curve ``a`` against curve ``b`` (``b`` against ``a`` negates Z and the difference)."""
        for (x, z), t in zip(self.pairs, self.tests):
            if (x, z) == (a, b):
                return t
            if (x, z) == (b, a):
                import dataclasses

                return dataclasses.replace(
                    t,
                    estimate=(t.estimate[1], t.estimate[0]),
                    difference=-t.difference,
                    ci_low=-t.ci_high,
                    ci_high=-t.ci_low,
                    statistic=-t.statistic,
                    direction=(t.direction[1], t.direction[0]),
                )
        raise InputError(f"no test of {a!r} against {b!r}; the curves are {', '.join(self.names)}.")

    def records(self) -> list[dict[str, Any]]:
        """One dict per pair: model_a, model_b, auc_a, auc_b, difference, ci_low, ci_high,
        statistic, pvalue (JSON-safe)."""
        from cetrus._results import json_safe

        return [
            json_safe(
                {
                    "model_a": a,
                    "model_b": b,
                    "auc_a": t.estimate[0],
                    "auc_b": t.estimate[1],
                    "difference": t.difference,
                    "ci_low": t.ci_low,
                    "ci_high": t.ci_high,
                    "statistic": t.statistic,
                    "pvalue": t.pvalue,
                }
            )
            for (a, b), t in zip(self.pairs, self.tests)
        ]

    def to_frame(self) -> Any:
        """One row per pair: model_a, model_b, auc_a, auc_b, difference, ci_low, ci_high,
        statistic, pvalue."""
        import pandas as pd

        cols = [
            "model_a",
            "model_b",
            "auc_a",
            "auc_b",
            "difference",
            "ci_low",
            "ci_high",
            "statistic",
            "pvalue",
        ]
        return pd.DataFrame(
            [
                {
                    "model_a": a,
                    "model_b": b,
                    "auc_a": t.estimate[0],
                    "auc_b": t.estimate[1],
                    "difference": t.difference,
                    "ci_low": t.ci_low,
                    "ci_high": t.ci_high,
                    "statistic": t.statistic,
                    "pvalue": t.pvalue,
                }
                for (a, b), t in zip(self.pairs, self.tests)
            ],
            columns=cols,
        )

    def _print_lines(self) -> list[str]:
        lines = [
            f"DeLong's tests for {self.n_curves} correlated ROC curves "
            f"({self.n_controls} controls, {self.n_cases} cases)",
            "",
        ]
        frame = self.to_frame()
        body = frame.to_string(index=False, float_format=format_value)
        return lines + body.splitlines()


@dataclass(frozen=True, slots=True, repr=False)
class ThresholdResult(Result):
    """Confusion counts and diagnostic metrics at one threshold.

    ``<metric>_ci_low``/``<metric>_ci_high`` are exact Clopper–Pearson intervals
    (``binom.test``'s) at ``conf_level``, for sensitivity, specificity, accuracy, ppv
    and npv.

    See Also
    --------
    diagnostic_metrics, youden_threshold : compute it.

    Examples
    --------
    >>> from cetrus.stats import diagnostic_metrics
    >>> res = diagnostic_metrics([0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                          [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8], 0.5)
    >>> res
    ThresholdResult(threshold=0.5, sensitivity=0.8, specificity=0.8, ppv=0.8, npv=0.8)
    >>> print(res)  # doctest: +NORMALIZE_WHITESPACE
    Diagnostic metrics at threshold 0.5 (positive: score >= threshold; rule: fixed)
    tp = 4, fp = 1, tn = 4, fn = 1
         metric  estimate  95% CI low  95% CI high
    sensitivity       0.8      0.2836       0.9949
    specificity       0.8      0.2836       0.9949
       accuracy       0.8      0.4439       0.9748
            ppv       0.8      0.2836       0.9949
            npv       0.8      0.2836       0.9949
    >>> res.to_frame().shape
    (5, 4)
    """

    _headline: ClassVar[tuple[str, ...]] = ("threshold", "sensitivity", "specificity", "ppv", "npv")
    _metrics: ClassVar[tuple[str, ...]] = ("sensitivity", "specificity", "accuracy", "ppv", "npv")

    threshold: float
    direction: str
    rule: str
    sensitivity: float
    specificity: float
    accuracy: float
    ppv: float
    npv: float
    tp: int
    fp: int
    tn: int
    fn: int
    sensitivity_ci_low: float
    sensitivity_ci_high: float
    specificity_ci_low: float
    specificity_ci_high: float
    accuracy_ci_low: float
    accuracy_ci_high: float
    ppv_ci_low: float
    ppv_ci_high: float
    npv_ci_low: float
    npv_ci_high: float
    conf_level: float
    ci_method: str = "clopper-pearson"
    tied_thresholds: tuple[float, ...] = ()

    def to_frame(self) -> Any:
        """One row per metric: metric, estimate, ci_low, ci_high."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "metric": k,
                    "estimate": getattr(self, k),
                    "ci_low": getattr(self, f"{k}_ci_low"),
                    "ci_high": getattr(self, f"{k}_ci_high"),
                }
                for k in self._metrics
            ]
        )

    def _print_lines(self) -> list[str]:
        rule = "score >= threshold" if self.direction == "<" else "score <= threshold"
        level = _ci_label(self.conf_level)
        frame = self.to_frame().rename(
            columns={"ci_low": f"{level} CI low", "ci_high": f"{level} CI high"}
        )
        lines = [
            f"Diagnostic metrics at threshold {format_value(self.threshold)} "
            f"(positive: {rule}; rule: {self.rule})",
            f"tp = {self.tp}, fp = {self.fp}, tn = {self.tn}, fn = {self.fn}",
        ]
        if len(self.tied_thresholds) > 1:
            lines.append(
                "tied thresholds: " + ", ".join(format_value(t) for t in self.tied_thresholds)
            )
        return lines + frame.to_string(index=False, float_format=format_value).splitlines()


@dataclass(frozen=True, slots=True, repr=False)
class ROCCurve(Result):
    """Every threshold of the empirical ROC curve with its sensitivity and specificity.

    See Also
    --------
    roc_curve : computes it.

    Examples
    --------
    >>> from cetrus.stats import roc_curve
    >>> curve = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve
    ROCCurve(n_thresholds=5, auc=0.75, direction='<', n_cases=2, n_controls=2)
    >>> curve.to_frame()
       threshold  sensitivity  specificity
    0       -inf          1.0          0.0
    1      0.225          1.0          0.5
    2      0.375          0.5          0.5
    3      0.600          0.5          1.0
    4        inf          0.0          1.0
    """

    _headline: ClassVar[tuple[str, ...]] = (
        "n_thresholds",
        "auc",
        "direction",
        "n_cases",
        "n_controls",
    )

    thresholds: np.ndarray
    sensitivity: np.ndarray
    specificity: np.ndarray
    direction: str
    n_cases: int
    n_controls: int

    @property
    def n_thresholds(self) -> int:
        """How many thresholds (points) the curve has."""
        return int(self.thresholds.size)

    @property
    def auc(self) -> float:
        """Area under the empirical curve (trapezoids; equals the Mann–Whitney AUC)."""
        fpr = 1.0 - self.specificity
        order = np.lexsort((self.sensitivity, fpr))
        return float(np.trapezoid(self.sensitivity[order], fpr[order]))

    def to_frame(self) -> Any:
        """One row per threshold: threshold, sensitivity, specificity."""
        import pandas as pd

        return pd.DataFrame(
            {
                "threshold": self.thresholds,
                "sensitivity": self.sensitivity,
                "specificity": self.specificity,
            }
        )

    def _print_lines(self) -> list[str]:
        return [
            f"Data: {self.n_controls} controls {self.direction} {self.n_cases} cases.",
            f"Area under the curve: {format_value(self.auc)}",
            f"{self.n_thresholds} thresholds (pROC's: -Inf, midpoints, Inf)",
        ]


@dataclass(frozen=True, slots=True)
class Resamples:
    """Stratified bootstrap resamples: row ``b`` of ``cases`` (B × n_cases) and of
    ``controls`` (B × n_controls) holds the 0-based positions, among the cases and
    among the controls *in input order*, drawn for replicate ``b``.

    pROC (``stratified.ci.auc`` and friends) draws each replicate as
    ``controls <- sample(roc$controls, replace = TRUE)`` then
    ``cases <- sample(roc$cases, replace = TRUE)``; the same indices, generated in R
    with ``sample.int(n, replace = TRUE)`` in that order and passed here (minus 1),
    make cetrus's bootstrap results equal pROC's draw for draw.

    See Also
    --------
    stratified_resamples : seeded draws.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats import Resamples
    >>> rs = Resamples(cases=np.array([[0, 0, 1]]), controls=np.array([[1, 0]]))
    >>> rs.n_boot
    1
    """

    cases: np.ndarray
    controls: np.ndarray

    @property
    def n_boot(self) -> int:
        """How many replicates (rows)."""
        return int(self.cases.shape[0])


def stratified_resamples(
    n_cases: int, n_controls: int, n_boot: int = 2000, seed: int | None = None
) -> Resamples:
    """Seeded stratified resamples (cases and controls drawn separately, with replacement).

    Parameters
    ----------
    n_cases, n_controls : int
        Group sizes.
    n_boot : int
        Replicates (>= 1).
    seed : int, optional
        Seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    Resamples
        ``n_boot`` rows of 0-based positions among the cases and among the controls.

    See Also
    --------
    auc_ci, cetrus.stats.roc_more.ci_coords : take them as ``resamples=``.

    Notes
    -----
    Per replicate the controls are drawn first, then the cases, as pROC does; the
    draws come from numpy's generator, not R's, so they differ from pROC's draws
    (pass R's ``sample.int`` draws minus 1 to reproduce pROC).

    References
    ----------
    R: pROC's internal ``stratified.ci.auc`` (``sample(roc$controls, replace = TRUE)``,
    then ``sample(roc$cases, replace = TRUE)``).

    Examples
    --------
    >>> from cetrus.stats import stratified_resamples
    >>> rs = stratified_resamples(3, 4, n_boot=5, seed=0)
    >>> rs.n_boot, rs.cases.shape, rs.controls.shape
    (5, (5, 3), (5, 4))
    """
    n_boot = _check_n_boot(n_boot, "stratified_resamples")
    cases = np.empty((n_boot, n_cases), dtype=np.int64)
    controls = np.empty((n_boot, n_controls), dtype=np.int64)
    for b, (case_idx, control_idx) in enumerate(_draws(n_cases, n_controls, n_boot, seed)):
        cases[b], controls[b] = case_idx, control_idx
    return Resamples(cases, controls)


def _draws(n_cases: int, n_controls: int, n_boot: int, seed: int | None):
    """One replicate at a time (memory O(n)): (case indices, control indices), the
    controls drawn first as pROC does; the rows of :func:`stratified_resamples`."""
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        control_idx = rng.integers(0, n_controls, size=n_controls)
        yield rng.integers(0, n_cases, size=n_cases), control_idx


def _check_n_boot(n_boot: Any, func: str, minimum: int = 1) -> int:
    ok = (
        isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) and n_boot >= minimum
    )
    if not ok:
        raise InputError(
            f"The 'n_boot' parameter of {func} must be an integer >= {minimum}. "
            f"Got {n_boot!r} instead."
        )
    return int(n_boot)


def _as_resamples(resamples: Any, m: int, n: int, func: str) -> Resamples:
    """Check given resamples against the data: shapes (B × m, B × n), B >= 1, indices in range."""
    if isinstance(resamples, Mapping):
        try:
            resamples = Resamples(resamples["cases"], resamples["controls"])
        except KeyError as exc:
            raise InputError(
                f"The 'resamples' parameter of {func} needs the keys 'cases' and "
                f"'controls'; {exc.args[0]!r} is missing."
            ) from None
    if not isinstance(resamples, Resamples):
        raise InputError(
            f"The 'resamples' parameter of {func} must be a Resamples or a mapping "
            f"with 'cases' and 'controls'. Got {type(resamples).__name__} instead."
        )
    out = {}
    for key, size in (("cases", m), ("controls", n)):
        arr = np.asarray(getattr(resamples, key))
        if arr.ndim != 2 or arr.shape[1] != size or arr.shape[0] < 1:
            raise InputError(
                f"resamples.{key} of {func} must be a (n_boot >= 1) x {size} array "
                f"of indices (the number of {key}). Got shape {arr.shape}."
            )
        if arr.dtype.kind not in "iu":
            if arr.dtype.kind != "f" or not np.all(arr == np.round(arr)):
                raise InputError(f"resamples.{key} of {func} must hold integer indices.")
            arr = arr.astype(np.int64)
        if arr.size and (arr.min() < 0 or arr.max() >= size):
            raise InputError(
                f"resamples.{key} of {func} holds indices outside 0..{size - 1} "
                f"(0-based positions among the {key}). Got {arr.min()}..{arr.max()}."
            )
        out[key] = arr
    if out["cases"].shape[0] != out["controls"].shape[0]:
        raise InputError(
            f"resamples.cases and resamples.controls of {func} must have the same "
            f"number of rows (replicates). Got {out['cases'].shape[0]} and "
            f"{out['controls'].shape[0]}."
        )
    return Resamples(out["cases"], out["controls"])


# --------------------------------------------------------------------------- core


@dataclass(frozen=True, slots=True)
class _Prepared:
    is_case: np.ndarray
    score: np.ndarray  # oriented so that "<" holds (negated for ">")
    direction: str
    m: int  # cases
    n: int  # controls


def _prepare(
    y_true: Any, y_score: Any, direction: str, positive: Any, func: str, score_name: str = "y_score"
) -> _Prepared:
    choice(direction, _DIRECTIONS, "direction", func)
    outcome = (
        y_true
        if isinstance(y_true, BinaryOutcome)  # already coded (roc_test's 2nd score)
        else binary_outcome(y_true, "y_true", positive=positive)
    )
    score = numeric_vector(y_score, score_name)
    same_length(y_true=outcome.is_case, **{score_name: score})
    direction = resolve_direction(outcome.is_case, score, direction)
    oriented = -score if direction == ">" else score
    return _Prepared(outcome.is_case, oriented, direction, outcome.n_cases, outcome.n_controls)


def resolve_direction(is_case: np.ndarray, score: np.ndarray, direction: str) -> str:
    """pROC's ``direction = "auto"``: ``"<"`` when median(controls) <= median(cases).

    Parameters
    ----------
    is_case : numpy.ndarray of bool
        True for cases.
    score : numpy.ndarray of float
        The predictor.
    direction : {"<", ">", "auto"}
        Returned unchanged unless ``"auto"``.

    Returns
    -------
    str
        ``"<"`` or ``">"``.

    See Also
    --------
    auc_ci : its ``direction`` argument.

    Notes
    -----
    Equal medians give ``"<"`` (pROC's rule, ``<=``).

    References
    ----------
    R: ``pROC::roc(..., direction = "auto")``.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.roc import resolve_direction
    >>> resolve_direction(np.array([False, False, True, True]), np.array([3.0, 4, 1, 2]), "auto")
    '>'
    """
    if direction != "auto":
        return direction
    return "<" if np.median(score[~is_case]) <= np.median(score[is_case]) else ">"


def _counts_before(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted runs, ``first`` winning ties; count the other run before each element.

    numpy's stable sort merges two presorted runs in linear time. Returns, for each
    element of ``first``, how many ``second`` values precede it in the merge (those
    strictly below it), and for each element of ``second`` how many ``first`` values
    precede it (those ``<=`` it).
    """
    order = np.argsort(np.concatenate((first, second)), kind="stable")
    from_second = order >= first.size
    before_first = np.flatnonzero(~from_second) - np.arange(first.size)
    before_second = np.flatnonzero(from_second) - np.arange(second.size)
    return before_first, before_second


@dataclass(frozen=True, slots=True)
class _DeLong:
    """DeLong placements: V10 of every case, V01 of every control, and the AUC."""

    v10: np.ndarray  # fraction of controls below each case (ties ½)
    v01: np.ndarray  # fraction of cases above each control (ties ½)
    theta: float


def _delong(
    is_case: np.ndarray, score: np.ndarray, m: int, n: int, *, input_order: bool = False
) -> _DeLong:
    """Placements from sorting cases and controls separately and merging them.

    ``psi(X, Y) = 1`` if ``Y < X``, ``½`` if equal (DeLong 1988, eq. 2), so
    ``V10 = (#controls < x + #controls <= x) / 2n`` and
    ``V01 = (#cases > y + #cases >= y) / 2m``. With ``input_order`` the placements
    are returned in the input order of cases and controls (for the paired test).
    """
    cases, controls = score[is_case], score[~is_case]
    if input_order:
        case_order, control_order = np.argsort(cases), np.argsort(controls)
        cases, controls = cases[case_order], controls[control_order]
    else:
        cases, controls = np.sort(cases), np.sort(controls)
    # controls first among ties: #controls <= each case, #cases < each control
    cases_below, controls_le = _counts_before(controls, cases)
    # a case ties a control iff the largest control <= it equals it
    at_or_below = controls[np.maximum(controls_le - 1, 0)]
    has_ties = bool(np.any((controls_le > 0) & (at_or_below == cases)))
    if has_ties:  # cases first among ties: #controls < each case, #cases <= each control
        controls_lt, cases_le = _counts_before(cases, controls)
    else:
        controls_lt, cases_le = controls_le, cases_below
    v10 = (controls_lt + controls_le) / (2.0 * n)
    v01 = ((m - cases_le) + (m - cases_below)) / (2.0 * m)
    if input_order:
        v10[case_order] = v10.copy()
        v01[control_order] = v01.copy()
    return _DeLong(v10, v01, float(v10.mean()))


def _delong_variance(p: _DeLong, m: int, n: int) -> float:
    """Var(AUC) = S10/m + S01/n with S the unbiased variances of the placements."""
    if m < 2 or n < 2:
        return float("nan")
    return float(np.var(p.v10, ddof=1) / m + np.var(p.v01, ddof=1) / n)


@dataclass(frozen=True, slots=True)
class _TieGroups:
    """Runs of tied scores in sorted order, with cases and controls per run."""

    order: np.ndarray  # argsort of the oriented scores
    starts: np.ndarray  # start index (in sorted order) of each run
    cases: np.ndarray  # cases per run
    controls: np.ndarray  # controls per run


def _tie_groups(is_case: np.ndarray, score: np.ndarray) -> _TieGroups:
    order = np.argsort(score)
    sorted_scores = score[order]
    new_group = np.empty(score.size, dtype=bool)
    new_group[0] = True
    np.not_equal(sorted_scores[1:], sorted_scores[:-1], out=new_group[1:])
    starts = np.flatnonzero(new_group)
    cases = np.add.reduceat(is_case[order].astype(np.int64), starts)
    controls = np.diff(starts, append=score.size) - cases
    return _TieGroups(order, starts, cases, controls)


def _warn_below_half(auc: float, direction: str, stacklevel: int = 2) -> None:
    """Say so when the AUC under the chosen direction is below 0.5 (pROC's ``auto`` would flip it)."""
    if auc < 0.5:
        other = ">" if direction == "<" else "<"
        warnings.warn(
            f"AUC = {auc:.4g} < 0.5 under direction {direction!r}: the score ranks "
            f"controls above cases; direction {other!r} (what pROC's direction='auto' "
            f"would pick) gives {1.0 - auc:.4g}.",
            AUCBelowHalfWarning,
            stacklevel=stacklevel + 1,
        )


def _normal_ci(estimate: float, sd: float, level: float) -> tuple[float, float]:
    z = special.ndtri(0.5 + level / 2.0)
    return estimate - z * sd, estimate + z * sd


# --------------------------------------------------------------------------- public API


def auc_ci(
    y_true: Any = None,
    y_score: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    method: str = "delong",
    n_boot: int = 2000,
    seed: int | None = None,
    positive: Any = None,
    resamples: Resamples | Mapping | None = None,
) -> AUCResult:
    """Area under the ROC curve with a DeLong or stratified-bootstrap confidence interval.

    Parameters
    ----------
    y_true : array-like, optional
        Binary outcome; the case level is ``positive``, else the larger sorted level.
    y_score : array-like of float, optional
        Predictor (higher = more likely a case for ``direction="<"``).
    data : pandas.DataFrame, optional
        Take the outcome and the score from these columns instead of arrays.
    outcome, score : str, optional
        Column names of the outcome and the score in ``data``.
    direction : {"<", ">", "auto"}
        pROC's direction (see the module docstring).
    conf_level : float
        Confidence level of the interval.
    method : {"delong", "bootstrap"}
        ``"delong"``: normal interval around the AUC with DeLong's variance, clipped
        to [0, 1] as pROC does. ``"bootstrap"``: percentile interval (R's quantile
        type 7) of ``n_boot`` AUCs from resampling cases and controls separately
        (pROC's stratified bootstrap); ``variance`` is the bootstrap variance.
    n_boot, seed : int
        Bootstrap replicates and the seed of :func:`numpy.random.default_rng`.
    positive : optional
        The case level of the outcome (default: the larger sorted level).
    resamples : Resamples or mapping, optional
        Given stratified resamples (``method="bootstrap"`` only; ``n_boot`` and ``seed``
        are then ignored): with the indices pROC draws (see :class:`Resamples`) the
        interval equals ``ci.auc(method = "bootstrap")`` digit for digit.

    Returns
    -------
    AUCResult
        ``estimate``, ``ci_low``, ``ci_high``, ``variance`` and how they were computed.

    See Also
    --------
    roc_test : DeLong test of two AUCs.
    roc_curve : the curve itself.
    cetrus.stats.roc_more.auc_partial : partial AUC.

    Notes
    -----
    AUC = P(case > control) + ½ P(case = control). DeLong's variance
    ``S10/m + S01/n`` (DeLong et al. 1988) needs two cases and two controls; with
    fewer the variance and interval are ``nan`` (with an
    :class:`~cetrus.UndefinedStatisticWarning`). An AUC below 0.5 under the chosen
    direction is returned as it is with an :class:`~cetrus.errors.AUCBelowHalfWarning`.
    The seeded bootstrap draws with numpy (not R's RNG); given pROC's resamples it
    equals pROC exactly.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). Comparing the areas under two or
    more correlated receiver operating characteristic curves: a nonparametric
    approach. *Biometrics* 44:837–845.
    R: ``pROC::ci.auc(roc(y, x, levels = c(0, 1), direction = "<"), method = "delong")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import auc_ci
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25],
    ...                    "m3": [0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.45, 0.8, 0.9, 0.7]})
    >>> res = auc_ci(data=df, outcome="y", score="m1")
    >>> round(res.estimate, 4), round(float(res.ci_low), 4), float(res.ci_high)
    (0.88, 0.6583, 1.0)
    >>> auc_ci(df["y"], df["m1"]) == res
    True
    >>> boot = auc_ci(df["y"], df["m1"], method="bootstrap", n_boot=500, seed=1)
    >>> boot.method, boot.n_boot
    ('bootstrap', 500)
    """
    func = "auc_ci"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    level = _check_conf(conf_level, func)
    choice(method, ("delong", "bootstrap"), "method", func)
    if resamples is not None and method != "bootstrap":
        raise InputError(
            f"The 'resamples' parameter of {func} applies to method='bootstrap' "
            f"only. Got method={method!r}."
        )
    prep = _prepare(y_true, y_score, direction, positive, func)
    pl = _delong(prep.is_case, prep.score, prep.m, prep.n)
    _warn_below_half(pl.theta, prep.direction)
    if method == "delong":
        variance = _delong_variance(pl, prep.m, prep.n)
        if np.isnan(variance):
            warnings.warn(
                "DeLong variance needs at least 2 cases and 2 controls; returning nan",
                UndefinedStatisticWarning,
                stacklevel=2,
            )
            low = high = float("nan")
        else:
            low, high = _normal_ci(pl.theta, np.sqrt(variance), level)
            low, high = max(low, 0.0), min(high, 1.0)  # pROC clips to [0, 1]
        return AUCResult(
            pl.theta, low, high, variance, level, "delong", prep.direction, prep.m, prep.n
        )
    groups = _tie_groups(prep.is_case, prep.score)
    if resamples is not None:
        rs = _as_resamples(resamples, prep.m, prep.n, func)
        aucs = _resampled_aucs(prep, groups, rs.cases, rs.controls)
        n_boot, seed = rs.n_boot, None
    else:
        if int(n_boot) < 2:
            raise InputError(
                f"The 'n_boot' parameter of {func} must be an integer >= 2. Got {n_boot!r} instead."
            )
        aucs = _bootstrap_aucs(prep, groups, int(n_boot), seed)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(aucs, [alpha, 1.0 - alpha])
    variance = float(np.var(aucs, ddof=1)) if aucs.size > 1 else float("nan")
    return AUCResult(
        pl.theta,
        float(low),
        float(high),
        variance,
        level,
        "bootstrap",
        prep.direction,
        prep.m,
        prep.n,
        int(n_boot),
        seed,
    )


def _bootstrap_aucs(prep: _Prepared, pl: _TieGroups, n_boot: int, seed: int | None) -> np.ndarray:
    """AUCs of stratified bootstrap resamples, many replicates at once.

    A resample only changes how many times each tie group's cases and controls are
    drawn, so each replicate's AUC follows from per-group counts in O(groups).
    """
    rng = np.random.default_rng(seed)
    group_sorted = np.repeat(np.arange(pl.starts.size), np.diff(pl.starts, append=prep.score.size))
    group = np.empty_like(group_sorted)
    group[pl.order] = group_sorted
    case_group, control_group = group[prep.is_case], group[~prep.is_case]
    n_groups = pl.starts.size
    out = np.empty(n_boot)
    chunk = max(1, min(n_boot, 2_000_000 // max(n_groups + prep.m + prep.n, 1)))
    for lo in range(0, n_boot, chunk):
        k = min(chunk, n_boot - lo)
        cases = case_group[rng.integers(0, prep.m, size=(k, prep.m))]
        controls = control_group[rng.integers(0, prep.n, size=(k, prep.n))]
        offsets = (np.arange(k) * n_groups)[:, None]
        ctrl_counts = np.bincount((controls + offsets).ravel(), minlength=k * n_groups)
        ctrl_counts = ctrl_counts.reshape(k, n_groups)
        below = np.cumsum(ctrl_counts, axis=1) - ctrl_counts
        per_group = below + 0.5 * ctrl_counts
        out[lo : lo + k] = np.take_along_axis(per_group, cases, axis=1).sum(axis=1)
    return out / (prep.m * prep.n)


def _group_index(prep: _Prepared, pl: _TieGroups) -> tuple[np.ndarray, np.ndarray]:
    """Tie-group number of every case and of every control (input order)."""
    group_sorted = np.repeat(np.arange(pl.starts.size), np.diff(pl.starts, append=prep.score.size))
    group = np.empty_like(group_sorted)
    group[pl.order] = group_sorted
    return group[prep.is_case], group[~prep.is_case]


def _resampled_aucs(
    prep: _Prepared, pl: _TieGroups, case_idx: np.ndarray, control_idx: np.ndarray
) -> np.ndarray:
    """AUCs of given stratified resamples (rows of 0-based case/control positions)."""
    case_group, control_group = _group_index(prep, pl)
    n_groups = pl.starts.size
    n_boot = case_idx.shape[0]
    out = np.empty(n_boot)
    chunk = max(1, min(n_boot, 2_000_000 // max(n_groups + prep.m + prep.n, 1)))
    for lo in range(0, n_boot, chunk):
        k = min(chunk, n_boot - lo)
        cases = case_group[case_idx[lo : lo + k]]
        controls = control_group[control_idx[lo : lo + k]]
        offsets = (np.arange(k) * n_groups)[:, None]
        ctrl_counts = np.bincount((controls + offsets).ravel(), minlength=k * n_groups)
        ctrl_counts = ctrl_counts.reshape(k, n_groups)
        below = np.cumsum(ctrl_counts, axis=1) - ctrl_counts
        per_group = below + 0.5 * ctrl_counts
        out[lo : lo + k] = np.take_along_axis(per_group, cases, axis=1).sum(axis=1)
    return out / (prep.m * prep.n)


_ALTERNATIVES = ("two-sided", "less", "greater")


def _pvalue(stat: float, alternative: str, df: float | None = None) -> float:
    """pROC's p: two-sided 2F(−|s|), "greater" F(−s), "less" F(s); F normal or Student t(df)."""
    if np.isnan(stat):
        return float("nan")
    cdf = special.ndtr if df is None else (lambda v: special.stdtr(df, v))
    if alternative == "two-sided":
        return float(2.0 * cdf(-abs(stat)))
    return float(cdf(-stat) if alternative == "greater" else cdf(stat))


def roc_test(
    y_true: Any = None,
    score_a: Any = None,
    score_b: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    outcome_b: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    positive: Any = None,
    alternative: str = "two-sided",
    paired: bool = True,
    y_true_b: Any = None,
) -> ROCTestResult:
    """DeLong test that two ROC curves have equal AUC: paired (default) or unpaired,
    two- or one-sided.

    Parameters
    ----------
    y_true, score_a, score_b : array-like, optional
        Outcome and the two predictors (paired: the same patients). With ``data``,
        ``score_a`` and ``score_b`` are column names.
    data : pandas.DataFrame, optional
        Take the outcome and both scores from its columns.
    outcome : str, optional
        Column name of the outcome in ``data``.
    outcome_b : str, optional
        Column name of curve b's outcome in ``data`` (``paired=False`` only; default
        ``outcome``).
    direction : {"<", ">", "auto"}
    conf_level : float
        Level of the (paired) interval of the difference.
    positive : optional
        The case level of the outcome.
    alternative : {"two-sided", "less", "greater"}
        About AUC_a − AUC_b; R's spelling ``"two.sided"`` is accepted as an alias.
    paired : bool
        R's ``paired``; ``False`` compares two independent samples.
    y_true_b : array-like, optional
        Outcome of ``score_b``'s sample when ``paired=False`` (default ``y_true``).

    Returns
    -------
    ROCTestResult
        ``statistic`` (Z or D), ``pvalue``, the AUCs in ``estimate``, ``difference``
        and its interval ``ci_low``/``ci_high``.

    See Also
    --------
    roc_test_pairs : every pair of K curves from one sort per curve.
    auc_ci : one AUC with its interval.

    Notes
    -----
    ``Z = (AUC_a − AUC_b) / sqrt(L S Lᵀ)`` with ``S = cov(V10)/m + cov(V01)/n`` the
    covariance of the two curves' placements and ``L = (1, −1)``
    (DeLong et al. 1988); two-sided ``p = 2 Φ(−|Z|)``. The interval is
    ``difference ± z_{1−α/2} · sqrt(L S Lᵀ)``, as pROC 1.18 reports it (not clipped).
    ``direction`` applies to each curve (with ``"auto"`` chosen per curve, as pROC).

    Two curves with identical placements (the same curve, or a monotone transform of
    it) have difference 0 and standard error 0: Z = 0, p = 1 and the interval [0, 0],
    as pROC's ``delong.paired.test`` sets it. Swapping ``score_a`` and ``score_b``
    negates Z and the difference and leaves p unchanged. Fewer than two cases or
    controls give nan with an :class:`~cetrus.UndefinedStatisticWarning`.

    ``alternative`` is about AUC_a − AUC_b: ``"greater"`` gives ``p = Φ(−Z)``,
    ``"less"`` ``p = Φ(Z)``; the interval stays two-sided (pROC's).

    ``paired=False``: DeLong's test for two *independent* curves — curve a on
    (``y_true``, ``score_a``), curve b on (``y_true_b``, ``score_b``), ``y_true_b``
    defaulting to ``y_true``. ``D = (AUC_a − AUC_b) / sqrt(V_a + V_b)`` with each ``V``
    DeLong's variance ``S10/m + S01/n``, referred to Student's t with the
    Welch–Satterthwaite ``df = (V_a + V_b)² / (V_a²/(N_a − 1) + V_b²/(N_b − 1))``,
    ``N`` the curve's total count (pROC 1.18's ``delong.unpaired.test``). No interval
    (nan).

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). *Biometrics* 44:837–845.
    Robin X et al. (2011). pROC. *BMC Bioinformatics* 12:77.
    R: ``pROC::roc.test(roc1, roc2, method = "delong", paired = TRUE,
    alternative = "two.sided")``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import roc_test
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25],
    ...                    "m3": [0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.45, 0.8, 0.9, 0.7]})
    >>> res = roc_test(data=df, outcome="y", score_a="m1", score_b="m2")
    >>> round(res.statistic, 4), round(res.pvalue, 4)
    (0.417, 0.6767)
    >>> round(roc_test(df["y"], df["m1"], df["m2"], alternative="greater").pvalue, 4)
    0.3383
    >>> unpaired = roc_test(df["y"], df["m1"], df["m2"], paired=False)
    >>> round(unpaired.df, 2)
    16.47
    """
    func = "roc_test"
    if data is not None:
        (y_true,) = resolve(func, data, {"y_true": y_true}, {"outcome": outcome})
        score_a_name, score_b_name = str(score_a), str(score_b)
        score_a = _col(data, score_a, "score_a", func)
        score_b = _col(data, score_b, "score_b", func)
        if outcome_b is not None:
            if y_true_b is not None:
                raise InputError(f"{func} takes y_true_b or outcome_b, not both.")
            y_true_b = _col(data, outcome_b, "outcome_b", func)
    else:
        if outcome is not None or outcome_b is not None:
            raise InputError(
                f"The 'outcome' parameter of {func} is a column name and needs "
                "data= (a DataFrame); pass arrays positionally otherwise."
            )
        if y_true is None or score_a is None or score_b is None:
            raise InputError(
                f"{func} needs y_true, score_a and score_b (arrays), or data= "
                "with outcome, score_a and score_b (column names)."
            )
    level = _check_conf(conf_level, func)
    alternative = _alternative(alternative, func)
    choice(paired, (True, False), "paired", func)
    labels = (score_a_name, score_b_name) if data is not None else ("a", "b")
    if not paired:
        return _replace(
            _unpaired(
                y_true,
                score_a,
                y_true if y_true_b is None else y_true_b,
                score_b,
                direction,
                positive,
                level,
                alternative,
                func,
            ),
            labels=labels,
        )
    if y_true_b is not None:
        raise InputError(
            f"The 'y_true_b' parameter of {func} applies to paired=False only; "
            f"paired curves share y_true."
        )
    coded = binary_outcome(y_true, "y_true", positive=positive)
    a = _prepare(coded, score_a, direction, None, func, "score_a")
    b = _prepare(coded, score_b, direction, None, func, "score_b")
    res = _pairwise(labels, [a, b], level).tests[0]
    if alternative == "two-sided":
        return res
    return _replace(res, pvalue=_pvalue(res.statistic, alternative), alternative=alternative)


def _unpaired(
    y_a: Any,
    score_a: Any,
    y_b: Any,
    score_b: Any,
    direction: str,
    positive: Any,
    level: float,
    alternative: str,
    func: str,
) -> ROCTestResult:
    a = _prepare(
        binary_outcome(y_a, "y_true", positive=positive), score_a, direction, None, func, "score_a"
    )
    b = _prepare(
        binary_outcome(y_b, "y_true_b", positive=positive),
        score_b,
        direction,
        None,
        func,
        "score_b",
    )
    pa = _delong(a.is_case, a.score, a.m, a.n)
    pb = _delong(b.is_case, b.score, b.m, b.n)
    va, vb = _delong_variance(pa, a.m, a.n), _delong_variance(pb, b.m, b.n)
    if np.isnan(va) or np.isnan(vb):
        warnings.warn(
            "the unpaired DeLong test needs at least 2 cases and 2 controls per "
            "curve; returning nan",
            UndefinedStatisticWarning,
            stacklevel=3,
        )
    diff = pa.theta - pb.theta
    with np.errstate(divide="ignore", invalid="ignore"):
        d = float(np.divide(diff, np.sqrt(va + vb)))
        df = float(np.divide((va + vb) ** 2, va**2 / (a.m + a.n - 1) + vb**2 / (b.m + b.n - 1)))
    return ROCTestResult(
        (pa.theta, pb.theta),
        diff,
        float("nan"),
        float("nan"),
        d,
        _pvalue(d, alternative, df),
        level,
        "delong",
        (a.direction, b.direction),
        a.m,
        a.n,
        alternative=alternative,
        paired=False,
        df=df,
        n_cases_b=b.m,
        n_controls_b=b.n,
    )


def roc_test_pairs(
    y_true: Any = None,
    scores: Mapping[str, Any] | Sequence[str] | None = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    positive: Any = None,
) -> ROCPairwise:
    """Paired DeLong tests of all pairs of K correlated ROC curves, from one sort per curve.

    Parameters
    ----------
    y_true : array-like, optional
        Binary outcome shared by every curve (the same patients).
    scores : mapping of name → array-like of float, or sequence of column names
        K ≥ 2 predictors (e.g. the predicted probabilities of K models), in the order
        the pairs are formed: ``(names[i], names[j])`` for ``i < j``. With ``data``, the
        column names of the K scores (they name the curves).
    data : pandas.DataFrame, optional
        Take the outcome and the scores from its columns.
    outcome : str, optional
        Column name of the outcome in ``data``.
    direction : {"<", ">", "auto"}
        As :func:`roc_test`, applied to each curve (``"auto"`` per curve, as pROC).
    conf_level : float
        Level of each difference's interval.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    ROCPairwise
        The K AUCs, their DeLong covariance matrix and the K(K−1)/2 tests; each test
        equals :func:`roc_test` on that pair. ``to_frame()`` has one row per pair.

    See Also
    --------
    roc_test : one pair, also unpaired or one-sided.

    Notes
    -----
    DeLong's placements are computed once per curve, and the covariance matrix
    ``S = S10/m + S01/n`` of all K AUCs once; the variance of each difference is then
    ``S_ii + S_jj − S_ij − S_ji`` (pROC's ``L S Lᵀ``). Re-sorting every curve for every
    pair, as pairwise calls do, costs K − 1 sorts per curve. Identical curves give
    Z = 0, p = 1 as in :func:`roc_test`.

    References
    ----------
    DeLong ER, DeLong DM, Clarke-Pearson DL (1988). *Biometrics* 44:837–845.
    R: ``pROC::roc.test(roc_i, roc_j, method = "delong", paired = TRUE)`` for each pair.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import roc_test_pairs
    >>> df = pd.DataFrame({"y": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    ...                    "m1": [0.1, 0.3, 0.2, 0.6, 0.4, 0.5, 0.9, 0.7, 0.35, 0.8],
    ...                    "m2": [0.2, 0.1, 0.5, 0.3, 0.6, 0.4, 0.7, 0.9, 0.8, 0.25],
    ...                    "m3": [0.3, 0.2, 0.1, 0.4, 0.5, 0.6, 0.45, 0.8, 0.9, 0.7]})
    >>> res = roc_test_pairs(data=df, outcome="y", scores=["m1", "m2", "m3"])
    >>> res.pairs
    (('m1', 'm2'), ('m1', 'm3'), ('m2', 'm3'))
    >>> round(res.test("m2", "m1").statistic, 4)
    -0.417
    """
    func = "roc_test_pairs"
    if data is not None:
        (y_true,) = resolve(func, data, {"y_true": y_true}, {"outcome": outcome})
        if isinstance(scores, (str, Mapping)) or scores is None:
            raise InputError(
                f"The 'scores' parameter of {func} must be a list of column "
                f"names when data= is given. Got {type(scores).__name__} instead."
            )
        scores = {str(c): _col(data, c, "scores", func) for c in scores}
    elif outcome is not None:
        raise InputError(
            f"The 'outcome' parameter of {func} is a column name and needs "
            "data= (a DataFrame); pass arrays positionally otherwise."
        )
    level = _check_conf(conf_level, func)
    if not isinstance(scores, Mapping):
        raise InputError(
            f"The 'scores' parameter of {func} must be a mapping of name to "
            f"scores. Got {type(scores).__name__} instead."
        )
    if len(scores) < 2:
        raise InputError(
            f"The 'scores' parameter of {func} needs at least 2 curves. Got {len(scores)}."
        )
    coded = binary_outcome(y_true, "y_true", positive=positive)
    names = tuple(str(k) for k in scores)
    if len(set(names)) != len(names):
        raise InputError(f"The names in 'scores' of {func} must be distinct as strings.")
    preps = [
        _prepare(coded, v, direction, None, func, f"scores[{k!r}]")
        for k, v in zip(names, scores.values())
    ]
    return _pairwise(names, preps, level)


def _pairwise(names: tuple[str, ...], preps: list[_Prepared], level: float) -> ROCPairwise:
    """The DeLong covariance of K curves and the paired test of every pair."""
    m, n = preps[0].m, preps[0].n
    k = len(preps)
    placements = [_delong(p.is_case, p.score, m, n, input_order=True) for p in preps]
    theta = np.array([pl.theta for pl in placements])
    if m < 2 or n < 2:
        warnings.warn(
            "the paired DeLong test needs at least 2 cases and 2 controls; returning nan",
            UndefinedStatisticWarning,
            stacklevel=3,
        )
        S = np.full((k, k), np.nan)
    else:
        # pROC's delong.paired.calculations: placements centred at each curve's AUC
        V10 = np.column_stack([pl.v10 for pl in placements]) - theta
        V01 = np.column_stack([pl.v01 for pl in placements]) - theta
        S = (V10.T @ V10) / ((m - 1) * m) + (V01.T @ V01) / ((n - 1) * n)
    zcrit = special.ndtri(0.5 + level / 2.0)
    pairs, tests = [], []
    for i in range(k):
        for j in range(i + 1, k):
            same = np.array_equal(placements[i].v10, placements[j].v10) and np.array_equal(
                placements[i].v01, placements[j].v01
            )
            var = 0.0 if same else float(S[i, i] - S[j, i] - (S[i, j] - S[j, j]))
            diff = float(theta[i] - theta[j])
            sig = float(np.sqrt(var)) if var >= 0 else float("nan")
            if sig == 0.0 and diff == 0.0:
                z = 0.0  # pROC's delong.paired.test: identical curves give Z = 0
            else:
                with np.errstate(divide="ignore", invalid="ignore"):
                    z = float(np.divide(diff, sig))
            p = float(2.0 * special.ndtr(-abs(z))) if not np.isnan(z) else float("nan")
            pairs.append((names[i], names[j]))
            tests.append(
                ROCTestResult(
                    (float(theta[i]), float(theta[j])),
                    diff,
                    diff - zcrit * sig,
                    diff + zcrit * sig,
                    z,
                    p,
                    level,
                    "delong",
                    (preps[i].direction, preps[j].direction),
                    m,
                    n,
                    labels=(names[i], names[j]),
                )
            )
    return ROCPairwise(
        names,
        tuple(float(t) for t in theta),
        S,
        tuple(pairs),
        tuple(tests),
        level,
        "delong",
        tuple(p.direction for p in preps),
        m,
        n,
    )


def _proc_thresholds(values: np.ndarray, direction: str) -> np.ndarray:
    """pROC's thresholds for the sorted distinct scores ``values`` (``roc.utils.thresholds``).

    ``K + 1`` thresholds: −inf, the K − 1 midpoints, +inf. A midpoint is ``(a + b)/2``,
    or ``a/2 + b/2`` where the former exceeds 1e100 in magnitude (it would overflow
    near ±DBL_MAX). Between two adjacent doubles the midpoint rounds onto one of
    them; it is then replaced by the value that keeps the two apart under the
    positive-call rule: ``b`` for ``"<"`` (positive when score >= threshold), ``a``
    for ``">"`` (positive when score <= threshold) — pROC 1.18's correction.
    """
    lo = np.concatenate(([-np.inf], values))
    hi = np.concatenate((values, [np.inf]))
    with np.errstate(over="ignore", invalid="ignore"):
        plain = (lo + hi) / 2.0
        halves = lo / 2.0 + hi / 2.0
    t = np.where(np.abs(plain) > 1e100, halves, plain)
    if values.size > 1:
        inner = t[1:-1]
        a, b = values[:-1], values[1:]
        if direction == "<":
            inner[inner == a] = b[inner == a]
        else:
            inner[inner == b] = a[inner == b]
    return t


def roc_curve(
    y_true: Any = None,
    y_score: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    positive: Any = None,
) -> ROCCurve:
    """The empirical ROC curve at pROC's thresholds (−inf, midpoints, +inf).

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor (as :func:`auc_ci`).
    data : pandas.DataFrame, optional
        Take them from its columns ``outcome`` and ``score`` instead.
    outcome, score : str, optional
        Column names in ``data``.
    direction : {"<", ">", "auto"}
        pROC's direction.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    ROCCurve
        ``thresholds``, ``sensitivity``, ``specificity`` (``to_frame()`` gives them as a
        table) in increasing threshold order, on the original score scale.

    See Also
    --------
    auc_ci : the area with its interval.
    cetrus.stats.roc_more.roc_coords : more coordinates, ``"best"`` points.

    Notes
    -----
    Sensitivity and specificity are ``tp / n_cases`` and ``tn / n_controls`` at each
    threshold. Thresholds follow pROC (see :func:`_proc_thresholds`), so each
    classifies the data exactly as its point on the curve — also for near-tied scores
    and scores near ±DBL_MAX.

    References
    ----------
    R: ``pROC::coords(roc(y, x, levels = c(0, 1), direction = "<"), "all")`` (in
    increasing threshold order).

    Examples
    --------
    >>> from cetrus.stats import roc_curve
    >>> curve = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> curve.thresholds.round(3).tolist()
    [-inf, 0.225, 0.375, 0.6, inf]
    >>> curve.sensitivity.tolist(), curve.specificity.tolist()
    ([1.0, 1.0, 0.5, 0.5, 0.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    y_true, y_score = resolve(
        "roc_curve",
        data,
        {"y_true": y_true, "y_score": y_score},
        {"outcome": outcome, "score": score},
    )
    prep = _prepare(y_true, y_score, direction, positive, "roc_curve")
    original = -prep.score if prep.direction == ">" else prep.score  # original scale
    pl = _tie_groups(prep.is_case, original)
    values = original[pl.order][pl.starts]
    cuts = _proc_thresholds(values, prep.direction)
    # cut k lies between distinct values k-1 and k: groups >= k are above it
    cases_above = np.concatenate((np.cumsum(pl.cases[::-1])[::-1], [0]))
    controls_below = np.concatenate(([0], np.cumsum(pl.controls)))
    if prep.direction == "<":  # positive: score >= cut
        sens = cases_above / prep.m
        spec = controls_below / prep.n
    else:  # positive: score <= cut
        sens = (prep.m - cases_above) / prep.m
        spec = (prep.n - controls_below) / prep.n
    return ROCCurve(cuts, sens, spec, prep.direction, prep.m, prep.n)


def youden_threshold(
    y_true: Any = None,
    y_score: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    positive: Any = None,
) -> ThresholdResult:
    """The threshold maximising Youden's J = sensitivity + specificity − 1, with the
    diagnostic metrics there.

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor (as :func:`auc_ci`).
    data : pandas.DataFrame, optional
        Take them from its columns ``outcome`` and ``score`` instead.
    outcome, score : str, optional
        Column names in ``data``.
    direction : {"<", ">", "auto"}
        pROC's direction.
    conf_level : float
        Level of the Clopper–Pearson intervals of the metrics.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    ThresholdResult
        As :func:`diagnostic_metrics` at the chosen threshold, with ``rule="youden"``.

    See Also
    --------
    diagnostic_metrics : the metrics at a given threshold.
    cetrus.stats.roc_more.roc_coords : other ``best.method`` rules and weights.

    Notes
    -----
    Uses pROC's thresholds (midpoints between consecutive distinct scores). When
    several thresholds tie for the maximum (pROC's ``coords`` returns them all), the
    result reports the most sensitive one (the lowest for ``"<"``, the highest for
    ``">"``) and lists every tied threshold in ``tied_thresholds``.

    References
    ----------
    Youden WJ (1950). Index for rating diagnostic tests. *Cancer* 3:32–35.
    R: ``pROC::coords(r, "best", best.method = "youden")``.

    Examples
    --------
    >>> from cetrus.stats import youden_threshold
    >>> res = youden_threshold([0, 0, 0, 1, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.3, 0.9])
    >>> res.threshold, res.sensitivity, res.specificity
    (0.6000000000000001, 0.6666666666666666, 1.0)
    """
    y_true, y_score = resolve(
        "youden_threshold",
        data,
        {"y_true": y_true, "y_score": y_score},
        {"outcome": outcome, "score": score},
    )
    curve = roc_curve(y_true, y_score, direction=direction, positive=positive)
    j = curve.sensitivity + curve.specificity
    tied = np.flatnonzero(j == j.max())
    ties = tuple(float(t) for t in curve.thresholds[tied])
    best = ties[0] if curve.direction == "<" else ties[-1]
    res = diagnostic_metrics(
        y_true, y_score, best, direction=curve.direction, conf_level=conf_level, positive=positive
    )
    return _replace(res, rule="youden", tied_thresholds=ties)


_R = TypeVar("_R", ThresholdResult, ROCTestResult)


def _replace(res: _R, **changes: Any) -> _R:
    import dataclasses

    return dataclasses.replace(res, **changes)


def diagnostic_metrics(
    y_true: Any = None,
    y_score: Any = None,
    threshold: float | None = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    score: str | None = None,
    direction: str = "<",
    conf_level: float = 0.95,
    positive: Any = None,
) -> ThresholdResult:
    """Sensitivity, specificity, accuracy, PPV, NPV (with tp/fp/tn/fn) at ``threshold``.

    Parameters
    ----------
    y_true, y_score : array-like, optional
        Binary outcome and predictor (as :func:`auc_ci`).
    data : pandas.DataFrame, optional
        Take them from its columns ``outcome`` and ``score`` instead.
    outcome, score : str, optional
        Column names in ``data``.
    direction : {"<", ">", "auto"}
        pROC's direction.
    threshold : float
        The cut-off (required; keyword with ``data``).
    conf_level : float
        Level of the Clopper–Pearson intervals.
    positive : optional
        The case level of the outcome.

    Returns
    -------
    ThresholdResult
        The five metrics with ``<metric>_ci_low``/``<metric>_ci_high`` and the counts.

    See Also
    --------
    youden_threshold : the metrics at the Youden-optimal threshold.
    clopper_pearson : the interval of one proportion.

    Notes
    -----
    Positive call: ``score >= threshold`` for ``"<"``, ``score <= threshold`` for
    ``">"`` (pROC's rule), so a threshold chosen on a training cohort applies
    unchanged to a test cohort. ``direction="auto"`` is resolved on *this* data;
    pass the training direction explicitly when applying a training threshold.
    Intervals are exact Clopper–Pearson (``binom.test``); a ratio with a zero
    denominator (e.g. PPV with no positive calls) is ``nan`` with an
    :class:`~cetrus.UndefinedStatisticWarning`.

    References
    ----------
    R: ``pROC::coords(r, x = threshold, input = "threshold", ret = c("sensitivity",
    "specificity", "accuracy", "ppv", "npv", "tp", "fp", "tn", "fn"))`` and
    ``binom.test(x, n)$conf.int``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import diagnostic_metrics
    >>> df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "rad": [0.1, 0.4, 0.35, 0.8, 0.3, 0.9]})
    >>> res = diagnostic_metrics(data=df, outcome="y", score="rad", threshold=0.5)
    >>> res.tp, res.fp, res.tn, res.fn
    (2, 0, 3, 1)
    >>> round(res.sensitivity_ci_low, 4), round(res.sensitivity_ci_high, 4)
    (0.0943, 0.9916)
    """
    func = "diagnostic_metrics"
    y_true, y_score = resolve(
        func, data, {"y_true": y_true, "y_score": y_score}, {"outcome": outcome, "score": score}
    )
    level = _check_conf(conf_level, func)
    try:
        t = float("nan") if threshold is None else float(threshold)
    except (TypeError, ValueError):
        t = float("nan")
    if np.isnan(t):
        raise InputError(
            f"The 'threshold' parameter of {func} must be a number. Got {threshold!r} instead."
        )
    prep = _prepare(y_true, y_score, direction, positive, func)
    called = prep.score >= (-t if prep.direction == ">" else t)
    tp = int(np.count_nonzero(called & prep.is_case))
    fp = int(np.count_nonzero(called & ~prep.is_case))
    fn = prep.m - tp
    tn = prep.n - fp
    ratios = {
        "sensitivity": (tp, tp + fn),
        "specificity": (tn, tn + fp),
        "accuracy": (tp + tn, prep.m + prep.n),
        "ppv": (tp, tp + fp),
        "npv": (tn, tn + fn),
    }
    values = {k: (x / d if d else float("nan")) for k, (x, d) in ratios.items()}
    cis = {k: clopper_pearson(x, d, level) for k, (x, d) in ratios.items()}
    if any(d == 0 for _, d in ratios.values()):
        warnings.warn(
            "a diagnostic ratio has a zero denominator at this threshold; it is nan",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
    return ThresholdResult(
        t,
        prep.direction,
        "fixed",
        sensitivity=values["sensitivity"],
        specificity=values["specificity"],
        accuracy=values["accuracy"],
        ppv=values["ppv"],
        npv=values["npv"],
        tp=tp,
        fp=fp,
        tn=tn,
        fn=fn,
        sensitivity_ci_low=cis["sensitivity"][0],
        sensitivity_ci_high=cis["sensitivity"][1],
        specificity_ci_low=cis["specificity"][0],
        specificity_ci_high=cis["specificity"][1],
        accuracy_ci_low=cis["accuracy"][0],
        accuracy_ci_high=cis["accuracy"][1],
        ppv_ci_low=cis["ppv"][0],
        ppv_ci_high=cis["ppv"][1],
        npv_ci_low=cis["npv"][0],
        npv_ci_high=cis["npv"][1],
        conf_level=level,
    )


def clopper_pearson(x: int, n: int, conf_level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for ``x`` successes in ``n`` trials (``binom.test``'s).

    Parameters
    ----------
    x, n : int
        Successes and trials, ``0 <= x <= n``.
    conf_level : float
        Confidence level.

    Returns
    -------
    (low, high) : tuple of float
        ``(nan, nan)`` when ``n == 0``.

    See Also
    --------
    diagnostic_metrics : uses it for every metric.
    scipy.stats.beta : whose quantile function gives both bounds.

    Notes
    -----
    Lower = Beta⁻¹(α/2; x, n − x + 1) (0 when x = 0); upper = Beta⁻¹(1 − α/2; x + 1,
    n − x) (1 when x = n), from :data:`scipy.stats.beta`'s ``ppf`` — the quantile R's
    ``qbeta`` computes, so the bounds equal ``binom.test``'s to the last digits.
    ``scipy.stats.binomtest(x, n).proportion_ci(method="exact")`` is not used: it finds
    the same bounds by root-finding on the binomial tail, up to 2.5e-13 (2e-11
    relative) away from ``qbeta``'s, which would change the replica's metric intervals
    beyond their frozen 1e-12. ``n == 0`` is an undefined proportion: (nan, nan), as a
    zero-denominator metric.

    References
    ----------
    Clopper CJ, Pearson ES (1934). *Biometrika* 26:404–413.
    R: ``binom.test(x, n, conf.level = conf_level)$conf.int``.

    Examples
    --------
    >>> from cetrus.stats import clopper_pearson
    >>> [round(v, 6) for v in clopper_pearson(7, 20)]
    [0.153909, 0.592189]
    >>> clopper_pearson(0, 5)[0], clopper_pearson(5, 5)[1]
    (0.0, 1.0)
    """
    if n == 0:
        return (float("nan"), float("nan"))
    alpha = 1.0 - conf_level
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return (low, high)
