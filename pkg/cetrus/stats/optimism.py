"""Bootstrap internal validation of a logistic model: ``rms::validate.lrm`` and
``rms::calibrate``.

For each bootstrap resample the model is refitted (as ``rms::lrm.fit`` fits it: the
Newton–Raphson of :func:`cetrus.stats.logistic.lrm_fit`, at most 12 iterations) and each
index is computed twice: on the resample it was fitted on (*training*) and on the
original data (*test*). The mean difference over the resamples that fitted is the
*optimism*; ``index.corrected = index.orig − optimism`` (Efron's optimism bootstrap;
Harrell, *Regression Modeling Strategies*, 2nd ed., §5.3.5).

The indexes, as rms 6.5-0 defines them (``validate.lrm``'s ``discrim``), for a linear
predictor ``x`` evaluated on outcomes ``y`` (n patients):

- ``Dxy``: Somers' D of x and y, 2·(C − ½) (``Hmisc::somers2``);
- ``R2``: Nagelkerke's R² — of the fit itself (training, original) or of the logistic
  recalibration ``y ~ x`` (test);
- ``Intercept``, ``Slope``: the recalibration's coefficients (0 and 1 when the model is
  evaluated on its own data);
- ``Emax``: the largest |p − calibrated p| over p ∈ [0, 1] (step 0.0005) of the corrected
  intercept and slope — only its ``index.corrected`` is meaningful (rms prints 0 for the
  original and training columns);
- ``D`` = (LR − 1)/n (discrimination), ``U`` = (deviance of x as it stands − deviance
  of the recalibration − 2)/n (unreliability; −2/n on the training data), ``Q`` = D − U;
- ``B``: Brier score of plogis(x);
- ``g``: Gini's mean difference of the (recalibrated) linear predictor, ``gp`` of the
  predicted probabilities (``Hmisc::GiniMd``).

The resamples are ``sample(n, replace = TRUE)`` draws; give R's own (``resamples=``) and
every number equals rms (the parity suite does), or a ``seed`` for numpy's generator. A
resample whose refit fails (singular or not converged) is skipped, as rms skips it, and
``n`` counts the resamples used.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError

__all__ = [
    "OptimismValidation",
    "OptimismCalibration",
    "validate_logistic",
    "validate_refit",
    "calibrate_logistic",
    "gini_md",
    "somers_dxy",
    "INDEXES",
]

INDEXES = ("Dxy", "R2", "Intercept", "Slope", "Emax", "D", "U", "Q", "B", "g", "gp")
COLUMNS = ("index_orig", "training", "test", "optimism", "index_corrected", "n")
_EMAX_GRID = np.arange(0, 2001) * 0.0005  # seq(0, 1, 0.0005)


def gini_md(x: np.ndarray) -> float:
    """Gini's mean difference, mean |x_i − x_j| over pairs i ≠ j (``Hmisc::GiniMd``).

    Parameters
    ----------
    x : array-like of float

    Returns
    -------
    float
        ``nan`` with fewer than two values.

    See Also
    --------
    validate_logistic : reports it as ``g`` (linear predictor) and ``gp`` (probabilities).

    Notes
    -----
    Computed from the sorted values in O(n log n) (a weighted sum of order statistics),
    not from the n² pairs.

    References
    ----------
    David HA (1968). Gini's mean difference rediscovered. *Biometrika* 55:573–575.
    R: ``Hmisc::GiniMd(x)``.

    Examples
    --------
    >>> from cetrus.stats.optimism import gini_md
    >>> round(gini_md([1.0, 2.0, 4.0]), 6)  # (1 + 3 + 2) / 3
    2.0
    """
    x = np.sort(np.asarray(x, dtype=float))
    n = x.size
    if n < 2:
        return float("nan")
    w = 4.0 * (np.arange(1, n + 1) - (n - 1) / 2.0) / n / (n - 1)
    return float(np.sum(w * (x - x.mean())))


def somers_dxy(x: np.ndarray, y: np.ndarray) -> float:
    """Somers' D of a score and a 0/1 outcome, 2(C − ½), ties counted ½.

    Parameters
    ----------
    x : array-like of float
        Score (e.g. a linear predictor).
    y : array-like of 0/1
        Outcome.

    Returns
    -------
    float
        ``nan`` when cases or controls are missing.

    See Also
    --------
    cetrus.stats.roc.auc_ci : C itself, with an interval.

    Notes
    -----
    C comes from the sorted controls by binary search, without ranking all scores; it
    is called once per index per bootstrap resample, so it stays a few numpy calls
    (``scipy.stats.somersd`` builds the full contingency table of x by y and gives the
    asymmetric D, not ``somers2``'s ``2(C − ½)`` directly).

    References
    ----------
    R: ``Hmisc::somers2(x, y)["Dxy"]``.

    Examples
    --------
    >>> from cetrus.stats.optimism import somers_dxy
    >>> somers_dxy([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])
    0.5
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=bool)
    cases, controls = x[y], np.sort(x[~y])
    if cases.size == 0 or controls.size == 0:
        return float("nan")
    below = np.searchsorted(controls, cases, side="left")
    tied = np.searchsorted(controls, cases, side="right") - below
    c = (below.sum() + 0.5 * tied.sum()) / (cases.size * controls.size)
    return float(2.0 * (c - 0.5))


def _nagelkerke(lr: float, null_dev: float, n: int) -> float:
    return (1.0 - math.exp(-lr / n)) / (1.0 - math.exp(-null_dev / n))


def _null_deviance(y: np.ndarray) -> float:
    p = float(np.mean(y))
    if p in (0.0, 1.0):
        return 0.0
    n1 = float(np.sum(y))
    return -2.0 * (n1 * math.log(p) + (y.size - n1) * math.log1p(-p))


def _fit(X1: np.ndarray, y: np.ndarray):
    """rms lrm.fit at validate's settings; ``None`` when it fails (singular, diverged)."""
    from cetrus.stats.logistic import lrm_fit

    if y.min() == y.max():  # a resample with one outcome value: rms's fit errors, skipped
        return None
    try:
        fit = lrm_fit(X1, y, maxit=12)
    except np.linalg.LinAlgError:
        return None
    if not fit.converged or not np.all(np.isfinite(fit.beta)):
        return None
    return fit


def _deviance_as_is(x: np.ndarray, y: np.ndarray) -> float:
    """−2 log L of the linear predictor x taken as it stands (``L01`` in rms)."""
    return float(-2.0 * np.sum(y * x - np.logaddexp(0.0, x)))


def _indexes_own(fit, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A fit evaluated on the data it was fitted on (rms ``evalfit = TRUE``)."""
    n = y.size
    null_dev = _null_deviance(y)
    lr = null_dev - fit.deviance
    d = (lr - 1.0) / n
    u = -2.0 / n
    prob = 1.0 / (1.0 + np.exp(-x))
    return np.array(
        [
            somers_dxy(x, y),
            _nagelkerke(lr, null_dev, n),
            0.0,
            1.0,
            0.0,
            d,
            u,
            d - u,
            float(np.mean((y - prob) ** 2)),
            gini_md(x),
            gini_md(prob),
        ]
    )


def _indexes_other(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A linear predictor evaluated on other data (rms ``evalfit = FALSE``): the
    recalibration ``y ~ x`` by lrm.fit."""
    n = y.size
    null_dev = _null_deviance(y)
    refit = _fit(np.column_stack([np.ones(n), x]), y)
    if refit is None:  # rms would stop here; an index it cannot compute is NA
        return np.full(len(INDEXES), np.nan)
    intercept, slope = float(refit.beta[0]), float(refit.beta[1])
    lr = null_dev - refit.deviance
    d = (lr - 1.0) / n
    u = (_deviance_as_is(x, y) - refit.deviance - 2.0) / n
    prob = 1.0 / (1.0 + np.exp(-x))
    lp = slope * x
    return np.array(
        [
            somers_dxy(x, y),
            _nagelkerke(lr, null_dev, n),
            intercept,
            slope,
            0.0,
            d,
            u,
            d - u,
            float(np.mean((y - prob) ** 2)),
            gini_md(lp),
            gini_md(1.0 / (1.0 + np.exp(-(intercept + lp)))),
        ]
    )


def _emax(intercept: float, slope: float) -> float:
    with np.errstate(divide="ignore", over="ignore"):
        logit = np.log(_EMAX_GRID / (1.0 - _EMAX_GRID))
        cal = 1.0 / (1.0 + np.exp(-(intercept + slope * logit)))
    diff = np.abs(_EMAX_GRID - cal)
    return float(np.nanmax(diff))


@dataclass(frozen=True, slots=True, repr=False)
class OptimismValidation(Result):
    """``rms::validate.lrm``'s table: one row per index, columns ``index_orig``,
    ``training``, ``test``, ``optimism``, ``index_corrected``, ``n``.

    ``print`` lays the table out as rms's ``print.validate``; ``to_frame()`` gives it as
    a tidy table with the index name as a column.

    See Also
    --------
    validate_logistic, validate_refit : compute it.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.optimism import validate_logistic
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(120, 2))
    >>> y = (rng.uniform(size=120) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    >>> res = validate_logistic(X, y, B=20, seed=0)
    >>> res
    OptimismValidation(B=20, n_used=20, n=120, dxy_corrected=0.394)
    >>> print(res)  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    Bootstrap validation (rms::validate.lrm), B = 20, 20 resamples used, n = 120
    <BLANKLINE>
               index.orig  training    test  optimism  index.corrected   n
    Dxy            0.4508    0.4954  0.4386    0.0568           0.3940  20
    R2             0.1729    0.2279  0.1627    0.0652           0.1076  20
    ...
    >>> res.to_frame().shape
    (11, 7)
    """

    _headline: ClassVar[tuple[str, ...]] = ("B", "n_used", "n", "dxy_corrected")

    table: pd.DataFrame
    B: int
    n_used: int
    n: int
    predictors: tuple[str, ...]

    @property
    def dxy_corrected(self) -> float:
        """The optimism-corrected Somers' Dxy."""
        return self.corrected("Dxy")

    def corrected(self, index: str) -> float:
        """The optimism-corrected value of one index (e.g. ``"Dxy"``)."""
        return float(self.table["index_corrected"].loc[index])

    def _print_lines(self) -> list[str]:
        shown = self.table.copy()
        shown.columns = ["index.orig", "training", "test", "optimism", "index.corrected", "n"]
        shown["n"] = shown["n"].astype(int)
        return [
            f"Bootstrap validation (rms::validate.lrm), B = {self.B}, {self.n_used} "
            f"resamples used, n = {self.n}",
            "",
        ] + shown.round(4).to_string().splitlines()

    def to_frame(self) -> pd.DataFrame:
        """The index table, one row per index (column ``index``: Dxy, R2, …)."""
        return self.table.rename_axis("index").reset_index()

    def to_dict(self) -> dict[str, Any]:
        from cetrus._results import json_safe

        return {
            "B": self.B,
            "n_used": self.n_used,
            "n": self.n,
            "predictors": list(self.predictors),
            "table": json_safe({k: dict(v) for k, v in self.table.iterrows()}),
        }


def _design(
    X: Any,
    predictors: Sequence[str] | None,
    data: pd.DataFrame | None,
    func: str = "validate_logistic",
) -> tuple[np.ndarray, tuple[str, ...]]:
    if data is not None:
        if predictors is None:
            raise InputError(f"{func}: with data=, name the predictors")
        missing = [c for c in predictors if c not in data.columns]
        if missing:
            raise InputError(f"{func}: no column {missing[0]!r} in data")
        frame = data[list(predictors)]
    else:
        frame = pd.DataFrame(X) if not isinstance(X, pd.DataFrame) else X
    try:
        arr = frame.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{func}: predictors must be numeric (code categorical variables as 0/1 columns first)"
        ) from None
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise InputError(f"{func}: X must be a 2-D design with at least one column")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{func}: predictors have missing or infinite values")
    return arr, tuple(str(c) for c in frame.columns)


def _inputs(
    X: Any,
    y: Any,
    data: pd.DataFrame | None,
    outcome: str | None,
    predictors: Sequence[str] | None,
    func: str,
) -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    """The design (n × p), its column names and the 0/1 outcome as floats, from arrays or
    ``data=`` + column names; one clear error naming ``func`` otherwise."""
    if data is not None:
        if outcome is None or outcome not in data.columns:
            raise InputError(f"{func}: outcome column {outcome!r} not in data")
        y = data[outcome]
    arr, names = _design(X, predictors, data, func)
    yv = np.asarray(y)
    if yv.shape != (arr.shape[0],):
        raise InputError(f"{func}: y has {yv.size} values for {arr.shape[0]} rows")
    values = set(pd.unique(yv).tolist())
    if not values <= {0, 1} or len(values) < 2:
        raise InputError(f"{func}: y must be 0/1 with both values present")
    return arr, names, yv.astype(float)


def _accumulate(
    train_sum: np.ndarray,
    test_sum: np.ndarray,
    used: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
) -> None:
    """Add one resample's indexes where both are defined (predab.resample: an NA index
    is not counted for that index only)."""
    ok = np.isfinite(train + test)
    used += ok
    train_sum += np.where(ok, train, 0.0)
    test_sum += np.where(ok, test, 0.0)


def _means(train_sum: np.ndarray, test_sum: np.ndarray, used: np.ndarray):
    with np.errstate(invalid="ignore", divide="ignore"):
        return train_sum / used, test_sum / used


def _resamples(resamples: Any, B: Any, seed: int | None, n: int, func: str) -> np.ndarray:
    """The B × n row indices of the bootstrap: given (R's draws, 0-based) or drawn."""
    if resamples is None:
        if (
            isinstance(B, bool)
            or not isinstance(B, (int, np.integer, float))
            or int(B) != B
            or B < 1
        ):
            raise InputError(f"{func}: B must be a whole number >= 1; got {B!r}")
        rng = np.random.default_rng(seed)
        return rng.integers(0, n, size=(int(B), n))
    arr = np.asarray(resamples)
    if arr.ndim != 2 or arr.shape[1] != n or arr.shape[0] < 1:
        raise InputError(f"{func}: resamples must be B × {n} row indices")
    if not np.issubdtype(arr.dtype, np.integer) or arr.min() < 0 or arr.max() >= n:
        raise InputError(f"{func}: resamples hold row indices outside 0..n-1")
    return arr


def validate_logistic(
    X: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    predictors: Sequence[str] | None = None,
    B: int = 40,
    seed: int | None = None,
    resamples: np.ndarray | None = None,
) -> OptimismValidation:
    """Optimism-corrected performance of a logistic model (``rms::validate(lrm, B=)``).

    Parameters
    ----------
    X, y : array-like
        Design matrix without intercept (n × p, numeric) and 0/1 outcome; or
    data, outcome, predictors
        A DataFrame and the column names.
    B : int
        Bootstrap resamples (rms's default 40).
    seed : int, optional
        Seed of numpy's generator for the resamples.
    resamples : array (B × n) of int, optional
        Row indices of each resample, 0-based (R's ``sample(n, replace = TRUE)`` − 1):
        with R's draws the result equals rms's.

    Returns
    -------
    OptimismValidation
        The index table (``print`` shows it as ``print.validate`` does).

    See Also
    --------
    validate_refit : the same bootstrap around a whole model-building procedure.
    calibrate_logistic : the bias-corrected calibration curve.
    cetrus.stats.calibration.val_prob : the apparent indexes on new data.

    Notes
    -----
    A resample whose refit fails (separation, a singular design, no convergence) is
    skipped, as rms skips it: ``n_used`` counts the refits used and the table's ``n``
    column the resamples each index was averaged over (an undefined index on a
    resample is left out for that index only). A model that does not converge on the
    full data raises :class:`~cetrus.errors.InputError`. ``Emax`` is meaningful only as
    ``index_corrected`` (rms prints 0 in the other columns).

    References
    ----------
    Harrell FE. Regression Modeling Strategies, 2nd ed. Springer 2015, §5.3. R:
    ``rms::validate(lrm(y ~ ., x = TRUE, y = TRUE), B = 40)``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from cetrus.stats.optimism import validate_logistic
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame(rng.normal(size=(120, 2)), columns=["age", "score"])
    >>> df["y"] = (rng.uniform(size=120) < 1 / (1 + np.exp(-df["age"]))).astype(int)
    >>> res = validate_logistic(data=df, outcome="y", predictors=["age", "score"],
    ...                         B=20, seed=0)
    >>> round(res.corrected("Slope"), 4)
    0.8768
    >>> res.to_frame().equals(
    ...     validate_logistic(df[["age", "score"]], df["y"], B=20, seed=0).to_frame())
    True
    """
    arr, names, yv = _inputs(X, y, data, outcome, predictors, "validate_logistic")
    n = yv.size
    resamples = _resamples(resamples, B, seed, n, "validate_logistic")
    B = resamples.shape[0]

    X1 = np.column_stack([np.ones(n), arr])
    full = _fit(X1, yv)
    if full is None:
        raise InputError(
            "validate_logistic: the model does not converge on the full data "
            "(separation or a singular design)"
        )
    orig = _indexes_own(full, X1 @ full.beta, yv)
    train_sum = np.zeros(len(INDEXES))
    test_sum = np.zeros(len(INDEXES))
    used = np.zeros(len(INDEXES))
    fits = 0
    for idx in resamples:
        fit = _fit(X1[idx], yv[idx])
        if fit is None:
            continue
        fits += 1
        lp = X1 @ fit.beta
        train = _indexes_own(fit, lp[idx], yv[idx])
        test = _indexes_other(lp, yv)
        _accumulate(train_sum, test_sum, used, train, test)
    training, testing = _means(train_sum, test_sum, used)
    optimism = training - testing
    corrected = orig - optimism
    rows = np.column_stack([orig, training, testing, optimism, corrected, used])
    table = pd.DataFrame(rows, index=list(INDEXES), columns=list(COLUMNS))
    emax = _emax(corrected[2], corrected[3])
    table.loc["Emax"] = [0.0, 0.0, emax, emax, emax, used[0]]
    return OptimismValidation(table=table, B=int(B), n_used=fits, n=n, predictors=names)


# --------------------------------------------------------------------------- any refit


class _AsFitted:
    """What :func:`_indexes_own` reads of a fit: its deviance on its own rows."""

    __slots__ = ("deviance",)

    def __init__(self, deviance: float) -> None:
        self.deviance = deviance


def _own(lp: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _indexes_own(_AsFitted(_deviance_as_is(lp, y)), lp, y)


def validate_refit(
    y: Any,
    refit: Callable[[np.ndarray], Mapping[str, Any]],
    *,
    B: int = 40,
    seed: int | None = None,
    resamples: np.ndarray | None = None,
    mapper: Callable = map,
) -> dict[str, OptimismValidation]:
    """Optimism bootstrap of any model-building procedure, as :func:`validate_logistic`
    does it for one logistic fit, with the whole procedure repeated in every resample.

    ``refit(rows)`` builds the model(s) on the patients ``rows`` (row indices into ``y``,
    with repeats: a bootstrap resample) — e.g. a radiomics selection (Mann–Whitney →
    Spearman → LASSO → score) followed by the logistic fit of the score — and returns,
    per model name, its linear predictor for **all** n patients (``None`` when the
    procedure fails on that resample: skipped and not counted, as rms skips a failed
    refit). ``refit(arange(n))`` is the model as reported (the apparent indexes). Names
    starting with ``_`` are the caller's bookkeeping and are ignored.

    The final stage must be a maximum-likelihood logistic fit with an intercept, so that
    on its own rows the recalibration is exactly intercept 0, slope 1 and the deviance of
    the linear predictor is the fit's (how :func:`validate_logistic` evaluates a fit on
    its own data); with that, a ``refit`` that only refits a logistic model on fixed
    columns gives :func:`validate_logistic`'s table (the tests check it). ``mapper`` maps
    ``refit`` over the resamples (``map``, or a process pool's ``map``), in order.

    Parameters
    ----------
    y : array-like of 0/1
        The outcome.
    refit : callable
        ``refit(rows) -> {name: linear predictor for all n patients or None}``.
    B, seed, resamples
        As :func:`validate_logistic`.
    mapper : callable
        ``map`` or a pool's ``map`` (results in order).

    Returns
    -------
    dict of str to OptimismValidation
        One per model (``n_used``: resamples whose refit gave that model); a model
        ``refit(arange(n))`` cannot build (``None``) is left out.

    See Also
    --------
    validate_logistic : one logistic fit on fixed columns.

    Notes
    -----
    A resample on which ``refit`` gives ``None`` or a non-finite linear predictor for a
    model is skipped for that model only.

    References
    ----------
    Harrell FE. Regression Modeling Strategies, 2nd ed., §5.3.5. R: ``rms::predab.resample``
    with a custom ``fit`` (what ``validate`` does around ``lrm.fit``).

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.logistic import lrm_fit
    >>> from cetrus.stats.optimism import validate_refit
    >>> rng = np.random.default_rng(1)
    >>> X1 = np.column_stack([np.ones(120), rng.normal(size=(120, 2))])
    >>> y = (rng.uniform(size=120) < 1 / (1 + np.exp(-X1[:, 1]))).astype(float)
    >>> def refit(rows):
    ...     return {"model": X1 @ lrm_fit(X1[rows], y[rows]).beta}
    >>> out = validate_refit(y, refit, B=20, seed=0)
    >>> sorted(out), out["model"].n_used
    (['model'], 20)
    """
    yv = np.asarray(y, dtype=float)
    if yv.ndim != 1 or not set(np.unique(yv).tolist()) <= {0.0, 1.0} or np.unique(yv).size < 2:
        raise InputError("validate_refit: y must be a 1-D 0/1 outcome with both values")
    n = yv.size
    resamples = _resamples(resamples, B, seed, n, "validate_refit")
    apparent = refit(np.arange(n))
    state: dict[str, list] = {}
    for name, lp in apparent.items():
        if str(name).startswith("_"):  # the caller's own bookkeeping, not a model
            continue
        if lp is None:  # not buildable on the data as given (e.g. no feature selected):
            continue  # nothing to validate; left out of the result
        lp = np.asarray(lp, dtype=float)
        if lp.shape != (n,):
            raise InputError(f"validate_refit: refit gave {lp.size} values for {n} patients")
        # train sum, test sum, used per index, fits
        state[name] = [
            _own(lp, yv),
            np.zeros(len(INDEXES)),
            np.zeros(len(INDEXES)),
            np.zeros(len(INDEXES)),
            0,
        ]
    for idx, out in zip(resamples, mapper(refit, list(resamples))):
        for name, st in state.items():
            lp = out.get(name)
            if lp is None:
                continue
            lp = np.asarray(lp, dtype=float)
            if not np.all(np.isfinite(lp)):
                continue
            st[4] += 1
            train = _own(lp[idx], yv[idx])
            test = _indexes_other(lp, yv)
            _accumulate(st[1], st[2], st[3], train, test)
    result = {}
    for name, (orig, train_sum, test_sum, used, fits) in state.items():
        training, testing = _means(train_sum, test_sum, used)
        optimism = training - testing
        corrected = orig - optimism
        table = pd.DataFrame(
            np.column_stack([orig, training, testing, optimism, corrected, used]),
            index=list(INDEXES),
            columns=list(COLUMNS),
        )
        emax = _emax(corrected[2], corrected[3])
        table.loc["Emax"] = [0.0, 0.0, emax, emax, emax, used[0]]
        result[name] = OptimismValidation(
            table=table, B=int(resamples.shape[0]), n_used=fits, n=n, predictors=(name,)
        )
    return result


# --------------------------------------------------------------------------- calibrate


@dataclass(frozen=True, slots=True, repr=False)
class OptimismCalibration(Result):
    """``rms::calibrate(lrm)``: the apparent and bias-corrected calibration curves.

    ``curve`` has one row per predicted probability of the grid ``predy``: the
    apparent (``calibrated_orig``) and optimism-corrected (``calibrated_corrected``)
    observed probability, and predab.resample's columns for the error ``cal − predy``.
    ``mean_abs_error``, ``mean_squared_error`` and ``q90_abs_error`` are what
    ``print(calibrate(...))`` reports over the model's predicted probabilities.

    See Also
    --------
    calibrate_logistic : computes it.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.optimism import calibrate_logistic
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(120, 2))
    >>> y = (rng.uniform(size=120) < 1 / (1 + np.exp(-X[:, 0]))).astype(int)
    >>> res = calibrate_logistic(X, y, B=20, seed=0)
    >>> res.to_frame().shape
    (50, 9)
    >>> print(res)  # doctest: +ELLIPSIS
    Bootstrap calibration (rms::calibrate), B = 20, 20 resamples used
    <BLANKLINE>
    n=120   Mean absolute error=... Mean squared error=...
    0.9 Quantile of absolute error=...
    ...
    """

    _headline: ClassVar[tuple[str, ...]] = (
        "B",
        "n_used",
        "n",
        "mean_abs_error",
        "mean_squared_error",
        "q90_abs_error",
    )

    curve: pd.DataFrame
    B: int
    n_used: int
    n: int
    mean_abs_error: float
    mean_squared_error: float
    q90_abs_error: float
    predictors: tuple[str, ...]

    def _print_lines(self) -> list[str]:
        # print.calibrate: the error summary over the model's predictions, then the curve
        return [
            f"Bootstrap calibration (rms::calibrate), B = {self.B}, {self.n_used} resamples used",
            "",
            f"n={self.n}   Mean absolute error={self.mean_abs_error:.3g}   "
            f"Mean squared error={self.mean_squared_error:.3g}",
            f"0.9 Quantile of absolute error={self.q90_abs_error:.3g}",
            "",
        ] + self.curve.round(4).to_string(index=False).splitlines()

    def to_frame(self) -> pd.DataFrame:
        """The calibration curve, one row per grid point ``predy``."""
        return self.curve.copy()

    def to_dict(self) -> dict[str, Any]:
        from cetrus._results import json_safe

        return {
            "B": self.B,
            "n_used": self.n_used,
            "n": self.n,
            "mean_abs_error": self.mean_abs_error,
            "mean_squared_error": self.mean_squared_error,
            "q90_abs_error": self.q90_abs_error,
            "predictors": list(self.predictors),
            "curve": json_safe(self.curve.to_dict(orient="list")),
        }


def _cal_error(prob: np.ndarray, y: np.ndarray, predy: np.ndarray) -> np.ndarray:
    """rms calibrate's ``cal.error``: ``lowess(p, y, iter = 0)`` read off at ``predy``
    by ``approx`` (NA outside the smooth's range; tied x take the first value) − predy."""
    from cetrus.stats.calibration import lowess

    xs, fit = lowess(prob, y)
    keep = np.ones(xs.size, dtype=bool)
    keep[1:] = xs[1:] != xs[:-1]
    return np.interp(predy, xs[keep], fit[keep], left=np.nan, right=np.nan) - predy


def calibrate_logistic(
    X: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    predictors: Sequence[str] | None = None,
    B: int = 40,
    seed: int | None = None,
    resamples: np.ndarray | None = None,
    predy: Sequence[float] | None = None,
) -> OptimismCalibration:
    """Bootstrap bias-corrected calibration curve of a logistic model
    (``rms::calibrate(lrm(..., x = TRUE, y = TRUE), B =)``).

    The apparent curve is R's ``lowess(p, y, iter = 0)`` of the fitted probabilities; each
    resample's refit gives the curve's error on its own rows (training) and on the
    original data (test); their mean difference per grid point is the optimism removed
    from the apparent curve. Arguments as :func:`validate_logistic`; ``predy`` is the grid
    of predicted probabilities (default rms's: 50 points from the 5th smallest to the 5th
    largest fitted probability).

    Parameters
    ----------
    X, y : array-like, optional
        Predictors (n × p) and binary outcome; or ``data`` with ``outcome`` and
        ``predictors`` (column names).
    B : int
        Bootstrap resamples (rms's default 40).
    seed : int, optional
        Seed of cetrus's resampler.
    resamples : ndarray, optional
        B × n row indices (0-based), e.g. R's, to reproduce rms exactly.
    predy : sequence of float, optional
        Grid of predicted probabilities in (0, 1).

    Returns
    -------
    OptimismCalibration
        The curve per grid point and the mean / 0.9-quantile absolute error;
        prints as rms's ``print.calibrate``.

    See Also
    --------
    validate_logistic, val_prob, lowess

    Notes
    -----
    A resample whose refit does not converge is skipped (``n_used`` counts the rest); a
    grid point outside a resample's smooth is NA there, as ``approx`` leaves it.

    References
    ----------
    Harrell FE. Regression Modeling Strategies, 2nd ed., §10.11. R: ``rms::calibrate``.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from cetrus.stats.optimism import calibrate_logistic
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame(rng.normal(size=(120, 2)), columns=["age", "score"])
    >>> df["y"] = (rng.uniform(size=120) < 1 / (1 + np.exp(-df["age"]))).astype(int)
    >>> res = calibrate_logistic(data=df, outcome="y", predictors=["age", "score"], B=20,
    ...                          seed=0)
    >>> res.curve.shape, round(res.mean_abs_error, 4)
    ((50, 9), 0.0198)
    """
    arr, names, yv = _inputs(X, y, data, outcome, predictors, "calibrate_logistic")
    n = yv.size
    resamples = _resamples(resamples, B, seed, n, "calibrate_logistic")
    X1 = np.column_stack([np.ones(n), arr])
    full = _fit(X1, yv)
    if full is None:
        raise InputError(
            "calibrate_logistic: the model does not converge on the full data "
            "(separation or a singular design)"
        )
    predicted = 1.0 / (1.0 + np.exp(-(X1 @ full.beta)))
    if predy is None:
        if n < 11:
            raise InputError("calibrate_logistic: needs n > 10 for the default grid; give predy")
        p = np.sort(predicted)
        grid = np.linspace(p[4], p[n - 5], 50)
    else:
        grid = np.asarray(predy, dtype=float)
        if grid.ndim != 1 or grid.size == 0 or np.any((grid <= 0) | (grid >= 1)):
            raise InputError("calibrate_logistic: predy must be probabilities in (0, 1)")
    orig = _cal_error(predicted, yv, grid)
    train_sum = np.zeros(grid.size)
    test_sum = np.zeros(grid.size)
    used = np.zeros(grid.size)
    fits = 0
    for idx in resamples:
        fit = _fit(X1[idx], yv[idx])
        if fit is None:
            continue
        fits += 1
        prob = 1.0 / (1.0 + np.exp(-(X1 @ fit.beta)))
        train = _cal_error(prob[idx], yv[idx], grid)
        test = _cal_error(prob, yv, grid)
        _accumulate(train_sum, test_sum, used, train, test)
    training, testing = _means(train_sum, test_sum, used)
    optimism = training - testing
    cal_orig = orig + grid
    curve = pd.DataFrame(
        {
            "predy": grid,
            "calibrated_orig": cal_orig,
            "calibrated_corrected": cal_orig - optimism,
            "index_orig": orig,
            "training": training,
            "test": testing,
            "optimism": optimism,
            "index_corrected": orig - optimism,
            "n": used,
        }
    )
    ok = np.isfinite((curve["predy"] + curve["calibrated_corrected"]).to_numpy())
    err = predicted - np.interp(
        predicted, grid[ok], curve["calibrated_corrected"].to_numpy()[ok], left=np.nan, right=np.nan
    )
    abs_err = np.abs(err[np.isfinite(err)])
    return OptimismCalibration(
        curve=curve,
        B=resamples.shape[0],
        n_used=fits,
        n=n,
        mean_abs_error=float(abs_err.mean()),
        mean_squared_error=float(np.mean(abs_err**2)),
        q90_abs_error=float(np.quantile(abs_err, 0.9)),
        predictors=names,
    )
