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
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
from scipy import special

from cetrus._results import Result
from cetrus.errors import AUCBelowHalfWarning, InputError, UndefinedStatisticWarning
from cetrus.stats._validation import (
    BinaryOutcome,
    binary_outcome,
    choice,
    conf_level as _check_conf,
    numeric_vector,
    same_length,
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

@dataclass(frozen=True, slots=True)
class AUCResult(Result):
    """AUC with its confidence interval (pROC's ``ci.auc``)."""

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


@dataclass(frozen=True, slots=True)
class ROCTestResult(Result):
    """DeLong test of two AUCs (pROC's ``roc.test(method = "delong")``).

    Paired (the default): ``statistic`` is Z, ``ci_low``/``ci_high`` the two-sided
    interval of the difference (two-sided also under a one-sided ``alternative``, as
    pROC reports it), ``df`` is None. Unpaired: ``statistic`` is pROC's D with
    Welch–Satterthwaite ``df`` and a Student-t ``pvalue``; pROC gives no interval
    (``ci_low``/``ci_high`` are nan); ``n_cases``/``n_controls`` are curve a's and
    ``n_cases_b``/``n_controls_b`` curve b's.
    """

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


@dataclass(frozen=True, slots=True)
class ROCPairwise(Result):
    """Paired DeLong tests of every pair of K correlated ROC curves (same patients).

    ``auc[k]`` and ``covariance`` (K × K, DeLong's ``S = S10/m + S01/n``) describe all
    curves at once; ``pairs[i]`` names the two curves of ``tests[i]`` (every ``a`` before
    ``b`` in the order the scores were given). Each test equals :func:`roc_test` of
    that pair and pROC's ``roc.test(paired = TRUE)``.
    """

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

    def test(self, a: str, b: str) -> ROCTestResult:
        """The test of curve ``a`` against curve ``b`` (``b`` against ``a`` negates Z and the difference)."""
        for (x, z), t in zip(self.pairs, self.tests):
            if (x, z) == (a, b):
                return t
            if (x, z) == (b, a):
                import dataclasses

                return dataclasses.replace(
                    t, estimate=(t.estimate[1], t.estimate[0]), difference=-t.difference,
                    ci_low=-t.ci_high, ci_high=-t.ci_low, statistic=-t.statistic,
                    direction=(t.direction[1], t.direction[0]))
        raise InputError(f"no test of {a!r} against {b!r}; the curves are {', '.join(self.names)}.")

    def records(self) -> list[dict[str, Any]]:
        """One dict per pair: model_a, model_b, auc_a, auc_b, difference, ci_low, ci_high,
        statistic, pvalue (JSON-safe)."""
        from cetrus._results import json_safe

        return [json_safe({"model_a": a, "model_b": b, "auc_a": t.estimate[0], "auc_b": t.estimate[1],
                           "difference": t.difference, "ci_low": t.ci_low, "ci_high": t.ci_high,
                           "statistic": t.statistic, "pvalue": t.pvalue})
                for (a, b), t in zip(self.pairs, self.tests)]


@dataclass(frozen=True, slots=True)
class ThresholdResult(Result):
    """Confusion counts and diagnostic metrics at one threshold.

    ``*_ci`` are exact Clopper–Pearson intervals (``binom.test``'s), at ``conf_level``.
    """

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
    sensitivity_ci: tuple[float, float]
    specificity_ci: tuple[float, float]
    accuracy_ci: tuple[float, float]
    ppv_ci: tuple[float, float]
    npv_ci: tuple[float, float]
    conf_level: float
    ci_method: str = "clopper-pearson"
    tied_thresholds: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class ROCCurve(Result):
    """Every threshold of the empirical ROC curve with its sensitivity and specificity."""

    thresholds: np.ndarray
    sensitivity: np.ndarray
    specificity: np.ndarray
    direction: str
    n_cases: int
    n_controls: int


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
    """

    cases: np.ndarray
    controls: np.ndarray

    @property
    def n_boot(self) -> int:
        return int(self.cases.shape[0])


def stratified_resamples(n_cases: int, n_controls: int, n_boot: int = 2000,
                         seed: int | None = None) -> Resamples:
    """Seeded stratified resamples (cases and controls drawn separately, with replacement)
    from :func:`numpy.random.default_rng`; per replicate controls first, then cases."""
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
    ok = isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) and n_boot >= minimum
    if not ok:
        raise InputError(f"The 'n_boot' parameter of {func} must be an integer >= {minimum}. "
                         f"Got {n_boot!r} instead.")
    return int(n_boot)


def _as_resamples(resamples: Any, m: int, n: int, func: str) -> Resamples:
    """Check given resamples against the data: shapes (B × m, B × n), B >= 1, indices in range."""
    if isinstance(resamples, Mapping):
        try:
            resamples = Resamples(resamples["cases"], resamples["controls"])
        except KeyError as exc:
            raise InputError(f"The 'resamples' parameter of {func} needs the keys 'cases' and "
                             f"'controls'; {exc.args[0]!r} is missing.") from None
    if not isinstance(resamples, Resamples):
        raise InputError(f"The 'resamples' parameter of {func} must be a Resamples or a mapping "
                         f"with 'cases' and 'controls'. Got {type(resamples).__name__} instead.")
    out = {}
    for key, size in (("cases", m), ("controls", n)):
        arr = np.asarray(getattr(resamples, key))
        if arr.ndim != 2 or arr.shape[1] != size or arr.shape[0] < 1:
            raise InputError(f"resamples.{key} of {func} must be a (n_boot >= 1) x {size} array "
                             f"of indices (the number of {key}). Got shape {arr.shape}.")
        if arr.dtype.kind not in "iu":
            if arr.dtype.kind != "f" or not np.all(arr == np.round(arr)):
                raise InputError(f"resamples.{key} of {func} must hold integer indices.")
            arr = arr.astype(np.int64)
        if arr.size and (arr.min() < 0 or arr.max() >= size):
            raise InputError(f"resamples.{key} of {func} holds indices outside 0..{size - 1} "
                             f"(0-based positions among the {key}). Got {arr.min()}..{arr.max()}.")
        out[key] = arr
    if out["cases"].shape[0] != out["controls"].shape[0]:
        raise InputError(f"resamples.cases and resamples.controls of {func} must have the same "
                         f"number of rows (replicates). Got {out['cases'].shape[0]} and "
                         f"{out['controls'].shape[0]}.")
    return Resamples(out["cases"], out["controls"])


# --------------------------------------------------------------------------- core

@dataclass(frozen=True, slots=True)
class _Prepared:
    is_case: np.ndarray
    score: np.ndarray  # oriented so that "<" holds (negated for ">")
    direction: str
    m: int  # cases
    n: int  # controls


def _prepare(y_true: Any, y_score: Any, direction: str, positive: Any, func: str,
             score_name: str = "y_score") -> _Prepared:
    choice(direction, _DIRECTIONS, "direction", func)
    outcome = (y_true if isinstance(y_true, BinaryOutcome)  # already coded (roc_test's 2nd score)
               else binary_outcome(y_true, "y_true", positive=positive))
    score = numeric_vector(y_score, score_name)
    same_length(y_true=outcome.is_case, **{score_name: score})
    direction = resolve_direction(outcome.is_case, score, direction)
    oriented = -score if direction == ">" else score
    return _Prepared(outcome.is_case, oriented, direction, outcome.n_cases, outcome.n_controls)


def resolve_direction(is_case: np.ndarray, score: np.ndarray, direction: str) -> str:
    """pROC's ``direction = "auto"``: ``"<"`` when median(controls) <= median(cases)."""
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


def _delong(is_case: np.ndarray, score: np.ndarray, m: int, n: int, *,
            input_order: bool = False) -> _DeLong:
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

    order: np.ndarray      # argsort of the oriented scores
    starts: np.ndarray     # start index (in sorted order) of each run
    cases: np.ndarray      # cases per run
    controls: np.ndarray   # controls per run


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
        warnings.warn(f"AUC = {auc:.4g} < 0.5 under direction {direction!r}: the score ranks "
                      f"controls above cases; direction {other!r} (what pROC's direction='auto' "
                      f"would pick) gives {1.0 - auc:.4g}.", AUCBelowHalfWarning,
                      stacklevel=stacklevel + 1)


def _normal_ci(estimate: float, sd: float, level: float) -> tuple[float, float]:
    z = special.ndtri(0.5 + level / 2.0)
    return estimate - z * sd, estimate + z * sd


# --------------------------------------------------------------------------- public API

def auc_ci(y_true: Any, y_score: Any, *, direction: str = "<", conf_level: float = 0.95,
           method: str = "delong", n_boot: int = 2000, seed: int | None = None,
           positive: Any = None, resamples: Resamples | Mapping | None = None) -> AUCResult:
    """Area under the ROC curve with a DeLong or stratified-bootstrap confidence interval.

    Parameters
    ----------
    y_true : array-like
        Binary outcome; the case level is ``positive``, else the larger sorted level.
    y_score : array-like of float
        Predictor (higher = more likely a case for ``direction="<"``).
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
    resamples : Resamples or mapping, optional
        Given stratified resamples (``method="bootstrap"`` only; ``n_boot`` and ``seed``
        are then ignored): with the indices pROC draws (see :class:`Resamples`) the
        interval equals ``ci.auc(method = "bootstrap")`` digit for digit.

    Returns
    -------
    AUCResult

    Notes
    -----
    AUC = P(case > control) + ½ P(case = control). DeLong's variance
    ``S10/m + S01/n`` (DeLong et al. 1988) needs two cases and two controls; with
    fewer the variance and interval are ``nan`` (with an
    :class:`~cetrus.UndefinedStatisticWarning`). The seeded bootstrap draws with
    numpy (not R's RNG); given pROC's resamples it equals pROC exactly.
    Matches ``pROC::ci.auc(roc(y, x, levels = c(0, 1), direction = "<"), method = "delong")``.
    """
    func = "auc_ci"
    level = _check_conf(conf_level, func)
    choice(method, ("delong", "bootstrap"), "method", func)
    if resamples is not None and method != "bootstrap":
        raise InputError(f"The 'resamples' parameter of {func} applies to method='bootstrap' "
                         f"only. Got method={method!r}.")
    prep = _prepare(y_true, y_score, direction, positive, func)
    pl = _delong(prep.is_case, prep.score, prep.m, prep.n)
    _warn_below_half(pl.theta, prep.direction)
    if method == "delong":
        variance = _delong_variance(pl, prep.m, prep.n)
        if np.isnan(variance):
            warnings.warn("DeLong variance needs at least 2 cases and 2 controls; "
                          "returning nan", UndefinedStatisticWarning, stacklevel=2)
            low = high = float("nan")
        else:
            low, high = _normal_ci(pl.theta, np.sqrt(variance), level)
            low, high = max(low, 0.0), min(high, 1.0)  # pROC clips to [0, 1]
        return AUCResult(pl.theta, low, high, variance, level, "delong", prep.direction,
                         prep.m, prep.n)
    groups = _tie_groups(prep.is_case, prep.score)
    if resamples is not None:
        rs = _as_resamples(resamples, prep.m, prep.n, func)
        aucs = _resampled_aucs(prep, groups, rs.cases, rs.controls)
        n_boot, seed = rs.n_boot, None
    else:
        if int(n_boot) < 2:
            raise InputError(f"The 'n_boot' parameter of {func} must be an integer >= 2. "
                             f"Got {n_boot!r} instead.")
        aucs = _bootstrap_aucs(prep, groups, int(n_boot), seed)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(aucs, [alpha, 1.0 - alpha])
    variance = float(np.var(aucs, ddof=1)) if aucs.size > 1 else float("nan")
    return AUCResult(pl.theta, float(low), float(high), variance, level,
                     "bootstrap", prep.direction, prep.m, prep.n, int(n_boot), seed)


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
        out[lo:lo + k] = np.take_along_axis(per_group, cases, axis=1).sum(axis=1)
    return out / (prep.m * prep.n)


def _group_index(prep: _Prepared, pl: _TieGroups) -> tuple[np.ndarray, np.ndarray]:
    """Tie-group number of every case and of every control (input order)."""
    group_sorted = np.repeat(np.arange(pl.starts.size), np.diff(pl.starts, append=prep.score.size))
    group = np.empty_like(group_sorted)
    group[pl.order] = group_sorted
    return group[prep.is_case], group[~prep.is_case]


def _resampled_aucs(prep: _Prepared, pl: _TieGroups, case_idx: np.ndarray,
                    control_idx: np.ndarray) -> np.ndarray:
    """AUCs of given stratified resamples (rows of 0-based case/control positions)."""
    case_group, control_group = _group_index(prep, pl)
    n_groups = pl.starts.size
    n_boot = case_idx.shape[0]
    out = np.empty(n_boot)
    chunk = max(1, min(n_boot, 2_000_000 // max(n_groups + prep.m + prep.n, 1)))
    for lo in range(0, n_boot, chunk):
        k = min(chunk, n_boot - lo)
        cases = case_group[case_idx[lo:lo + k]]
        controls = control_group[control_idx[lo:lo + k]]
        offsets = (np.arange(k) * n_groups)[:, None]
        ctrl_counts = np.bincount((controls + offsets).ravel(), minlength=k * n_groups)
        ctrl_counts = ctrl_counts.reshape(k, n_groups)
        below = np.cumsum(ctrl_counts, axis=1) - ctrl_counts
        per_group = below + 0.5 * ctrl_counts
        out[lo:lo + k] = np.take_along_axis(per_group, cases, axis=1).sum(axis=1)
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


def roc_test(y_true: Any, score_a: Any, score_b: Any, *, direction: str = "<",
             conf_level: float = 0.95, positive: Any = None, alternative: str = "two-sided",
             paired: bool = True, y_true_b: Any = None) -> ROCTestResult:
    """DeLong test that two ROC curves have equal AUC: paired (default) or unpaired,
    two- or one-sided.

    Parameters
    ----------
    y_true, score_a, score_b : array-like
        Outcome and the two predictors (paired: the same patients).
    direction : {"<", ">", "auto"}
    conf_level : float
        Level of the (paired) interval of the difference.
    alternative : {"two-sided", "less", "greater"}
        R's ``alternative`` (``"two.sided"`` spelled the Python way).
    paired : bool
        R's ``paired``; ``False`` compares two independent samples.
    y_true_b : array-like, optional
        Outcome of ``score_b``'s sample when ``paired=False`` (default ``y_true``).

    Returns
    -------
    ROCTestResult

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
    negates Z and the difference and leaves p unchanged. For more than two curves use
    :func:`roc_test_pairs` (one sort per curve). Matches
    ``pROC::roc.test(roc1, roc2, method = "delong", paired = TRUE)``.

    ``alternative`` (R's ``"two.sided"``, ``"less"``, ``"greater"``) is about
    AUC_a − AUC_b: ``"greater"`` gives ``p = Φ(−Z)``, ``"less"`` ``p = Φ(Z)``; the
    interval stays two-sided (pROC's).

    ``paired=False``: DeLong's test for two *independent* curves — curve a on
    (``y_true``, ``score_a``), curve b on (``y_true_b``, ``score_b``), ``y_true_b``
    defaulting to ``y_true``. ``D = (AUC_a − AUC_b) / sqrt(V_a + V_b)`` with each ``V``
    DeLong's variance ``S10/m + S01/n``, referred to Student's t with the
    Welch–Satterthwaite ``df = (V_a + V_b)² / (V_a²/(N_a − 1) + V_b²/(N_b − 1))``,
    ``N`` the curve's total count (pROC 1.18's ``delong.unpaired.test``; Robin et al.
    2011, *BMC Bioinformatics* 12:77). No interval (nan). Matches
    ``pROC::roc.test(roc1, roc2, method = "delong", paired = FALSE, alternative = )``.
    """
    func = "roc_test"
    level = _check_conf(conf_level, func)
    choice(alternative, _ALTERNATIVES, "alternative", func)
    choice(paired, (True, False), "paired", func)
    if not paired:
        return _unpaired(y_true, score_a, y_true if y_true_b is None else y_true_b, score_b,
                         direction, positive, level, alternative, func)
    if y_true_b is not None:
        raise InputError(f"The 'y_true_b' parameter of {func} applies to paired=False only; "
                         f"paired curves share y_true.")
    outcome = binary_outcome(y_true, "y_true", positive=positive)
    a = _prepare(outcome, score_a, direction, None, func, "score_a")
    b = _prepare(outcome, score_b, direction, None, func, "score_b")
    res = _pairwise(("a", "b"), [a, b], level).tests[0]
    if alternative == "two-sided":
        return res
    return _replace(res, pvalue=_pvalue(res.statistic, alternative), alternative=alternative)


def _unpaired(y_a: Any, score_a: Any, y_b: Any, score_b: Any, direction: str, positive: Any,
              level: float, alternative: str, func: str) -> ROCTestResult:
    a = _prepare(binary_outcome(y_a, "y_true", positive=positive), score_a, direction, None,
                 func, "score_a")
    b = _prepare(binary_outcome(y_b, "y_true_b", positive=positive), score_b, direction, None,
                 func, "score_b")
    pa = _delong(a.is_case, a.score, a.m, a.n)
    pb = _delong(b.is_case, b.score, b.m, b.n)
    va, vb = _delong_variance(pa, a.m, a.n), _delong_variance(pb, b.m, b.n)
    if np.isnan(va) or np.isnan(vb):
        warnings.warn("the unpaired DeLong test needs at least 2 cases and 2 controls per "
                      "curve; returning nan", UndefinedStatisticWarning, stacklevel=3)
    diff = pa.theta - pb.theta
    with np.errstate(divide="ignore", invalid="ignore"):
        d = float(np.divide(diff, np.sqrt(va + vb)))
        df = float(np.divide((va + vb) ** 2,
                             va ** 2 / (a.m + a.n - 1) + vb ** 2 / (b.m + b.n - 1)))
    return ROCTestResult((pa.theta, pb.theta), diff, float("nan"), float("nan"), d,
                         _pvalue(d, alternative, df), level, "delong",
                         (a.direction, b.direction), a.m, a.n, alternative=alternative,
                         paired=False, df=df, n_cases_b=b.m, n_controls_b=b.n)


def roc_test_pairs(y_true: Any, scores: Mapping[str, Any], *, direction: str = "<",
                   conf_level: float = 0.95, positive: Any = None) -> ROCPairwise:
    """Paired DeLong tests of all pairs of K correlated ROC curves, from one sort per curve.

    Parameters
    ----------
    y_true : array-like
        Binary outcome shared by every curve (the same patients).
    scores : mapping of name → array-like of float
        K ≥ 2 predictors (e.g. the predicted probabilities of K models), in the order
        the pairs are formed: ``(names[i], names[j])`` for ``i < j``.
    direction : {"<", ">", "auto"}
        As :func:`roc_test`, applied to each curve (``"auto"`` per curve, as pROC).
    conf_level : float
        Level of each difference's interval.

    Returns
    -------
    ROCPairwise
        The K AUCs, their DeLong covariance matrix and the K(K−1)/2 tests; each test
        equals :func:`roc_test` on that pair and
        ``pROC::roc.test(roc_i, roc_j, method = "delong", paired = TRUE)``.

    Notes
    -----
    DeLong's placements (DeLong, DeLong & Clarke-Pearson 1988, *Biometrics* 44:837) are
    computed once per curve, and the covariance matrix ``S = S10/m + S01/n`` of all K
    AUCs once; the variance of each difference is then ``S_ii + S_jj − S_ij − S_ji``
    (pROC's ``L S Lᵀ``). Re-sorting every curve for every pair, as pairwise calls do,
    costs K − 1 sorts per curve.
    """
    func = "roc_test_pairs"
    level = _check_conf(conf_level, func)
    if not isinstance(scores, Mapping):
        raise InputError(f"The 'scores' parameter of {func} must be a mapping of name to "
                         f"scores. Got {type(scores).__name__} instead.")
    if len(scores) < 2:
        raise InputError(f"The 'scores' parameter of {func} needs at least 2 curves. "
                         f"Got {len(scores)}.")
    outcome = binary_outcome(y_true, "y_true", positive=positive)
    names = tuple(str(k) for k in scores)
    if len(set(names)) != len(names):
        raise InputError(f"The names in 'scores' of {func} must be distinct as strings.")
    preps = [_prepare(outcome, v, direction, None, func, f"scores[{k!r}]")
             for k, v in zip(names, scores.values())]
    return _pairwise(names, preps, level)


def _pairwise(names: tuple[str, ...], preps: list[_Prepared], level: float) -> ROCPairwise:
    """The DeLong covariance of K curves and the paired test of every pair."""
    m, n = preps[0].m, preps[0].n
    k = len(preps)
    placements = [_delong(p.is_case, p.score, m, n, input_order=True) for p in preps]
    theta = np.array([pl.theta for pl in placements])
    if m < 2 or n < 2:
        warnings.warn("the paired DeLong test needs at least 2 cases and 2 controls; "
                      "returning nan", UndefinedStatisticWarning, stacklevel=3)
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
            same = (np.array_equal(placements[i].v10, placements[j].v10)
                    and np.array_equal(placements[i].v01, placements[j].v01))
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
            tests.append(ROCTestResult((float(theta[i]), float(theta[j])), diff,
                                       diff - zcrit * sig, diff + zcrit * sig, z, p, level,
                                       "delong", (preps[i].direction, preps[j].direction), m, n))
    return ROCPairwise(names, tuple(float(t) for t in theta), S, tuple(pairs), tuple(tests),
                       level, "delong", tuple(p.direction for p in preps), m, n)


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


def roc_curve(y_true: Any, y_score: Any, *, direction: str = "<",
              positive: Any = None) -> ROCCurve:
    """The empirical ROC curve at pROC's thresholds (−inf, midpoints, +inf).

    Sensitivity and specificity are ``tp / n_cases`` and ``tn / n_controls`` at each
    threshold, in increasing threshold order (original score scale). Thresholds
    follow pROC (see :func:`_proc_thresholds`), so each classifies the data exactly as
    its point on the curve — also for near-tied scores and scores near ±DBL_MAX.
    Matches ``pROC::coords(r, "all")`` (in increasing threshold order).
    """
    prep = _prepare(y_true, y_score, direction, positive, "roc_curve")
    score = -prep.score if prep.direction == ">" else prep.score  # original scale
    pl = _tie_groups(prep.is_case, score)
    values = score[pl.order][pl.starts]
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


def youden_threshold(y_true: Any, y_score: Any, *, direction: str = "<",
                     conf_level: float = 0.95, positive: Any = None) -> ThresholdResult:
    """The threshold maximising Youden's J = sensitivity + specificity − 1.

    Uses pROC's thresholds (midpoints between consecutive distinct scores). When
    several thresholds tie for the maximum (pROC's ``coords`` returns them all), the
    result reports the most sensitive one (the lowest for ``"<"``, the highest for
    ``">"``) and lists every tied threshold in ``tied_thresholds``.
    Matches ``pROC::coords(r, "best", best.method = "youden")``.
    """
    curve = roc_curve(y_true, y_score, direction=direction, positive=positive)
    j = curve.sensitivity + curve.specificity
    tied = np.flatnonzero(j == j.max())
    ties = tuple(float(t) for t in curve.thresholds[tied])
    best = ties[0] if curve.direction == "<" else ties[-1]
    res = diagnostic_metrics(y_true, y_score, best, direction=curve.direction,
                             conf_level=conf_level, positive=positive)
    return _replace(res, rule="youden", tied_thresholds=ties)


def _replace(res: ThresholdResult, **changes: Any) -> ThresholdResult:
    import dataclasses

    return dataclasses.replace(res, **changes)


def diagnostic_metrics(y_true: Any, y_score: Any, threshold: float, *, direction: str = "<",
                       conf_level: float = 0.95, positive: Any = None) -> ThresholdResult:
    """Sensitivity, specificity, accuracy, PPV, NPV (with tp/fp/tn/fn) at ``threshold``.

    Positive call: ``score >= threshold`` for ``"<"``, ``score <= threshold`` for
    ``">"`` (pROC's rule), so a threshold chosen on a training cohort applies
    unchanged to a test cohort. ``direction="auto"`` is resolved on *this* data;
    pass the training direction explicitly when applying a training threshold.
    Intervals are exact Clopper–Pearson (``binom.test``); a ratio with a zero
    denominator (e.g. PPV with no positive calls) is ``nan``.
    Matches ``pROC::coords(r, x = threshold, input = "threshold", ret = c(...))``.
    """
    func = "diagnostic_metrics"
    level = _check_conf(conf_level, func)
    try:
        t = float(threshold)
    except (TypeError, ValueError):
        t = float("nan")
    if np.isnan(t):
        raise InputError(f"The 'threshold' parameter of {func} must be a number. "
                         f"Got {threshold!r} instead.")
    prep = _prepare(y_true, y_score, direction, positive, func)
    called = prep.score >= (-t if prep.direction == ">" else t)
    tp = int(np.count_nonzero(called & prep.is_case))
    fp = int(np.count_nonzero(called & ~prep.is_case))
    fn = prep.m - tp
    tn = prep.n - fp
    ratios = {
        "sensitivity": (tp, tp + fn), "specificity": (tn, tn + fp),
        "accuracy": (tp + tn, prep.m + prep.n), "ppv": (tp, tp + fp), "npv": (tn, tn + fn),
    }
    values = {k: (x / d if d else float("nan")) for k, (x, d) in ratios.items()}
    cis = {f"{k}_ci": clopper_pearson(x, d, level) for k, (x, d) in ratios.items()}
    if any(d == 0 for _, d in ratios.values()):
        warnings.warn("a diagnostic ratio has a zero denominator at this threshold; it is nan",
                      UndefinedStatisticWarning, stacklevel=2)
    return ThresholdResult(t, prep.direction, "fixed", **values, tp=tp, fp=fp, tn=tn, fn=fn,
                           **cis, conf_level=level)


def clopper_pearson(x: int, n: int, conf_level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for ``x`` successes in ``n`` trials (``binom.test``'s).

    Lower = Beta⁻¹(α/2; x, n − x + 1) (0 when x = 0); upper = Beta⁻¹(1 − α/2; x + 1, n − x)
    (1 when x = n). Clopper & Pearson (1934), *Biometrika* 26:404.
    """
    if n == 0:
        return (float("nan"), float("nan"))
    alpha = 1.0 - conf_level
    low = 0.0 if x == 0 else float(special.betaincinv(x, n - x + 1, alpha / 2))
    high = 1.0 if x == n else float(special.betaincinv(x + 1, n - x, 1 - alpha / 2))
    return (low, high)
