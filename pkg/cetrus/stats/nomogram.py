"""Nomograms for logistic models with the points of ``rms::nomogram``.

Validated against rms 6.5-0 — ``dd <- datadist(d); options(datadist = dd);
f <- lrm(y ~ x1 + …, data = d); nomogram(f, fun = plogis)`` — in
``validation/cases/nomogram.py`` at 1e-6 (DESIGN.md): axis values, points, scale,
total points, linear predictor and probability axes.

How rms builds the nomogram (rms 6.5-0 ``nomogram``, ``datadist``, ``value.chk``)
--------------------------------------------------------------------------------
For predictors ``x_j`` with coefficients ``β_j`` and intercept ``β_0``:

1. **Axis values.** ``datadist`` keeps the sorted distinct values of a predictor with at
   most ``n_unique = 10`` distinct values: the axis is *discrete* and shows exactly those
   values. Otherwise the axis shows ``pretty(range(x), n = 10)`` (``value.chk`` with
   ``type.range = "full"``: the whole data range, not the 10th/(n−10)th order
   statistics ``datadist`` uses for effects). ``pretty`` is R's; :func:`r_pretty`
   reproduces it bit for bit.
2. **Scale.** Each axis value ``v`` contributes ``β_j v`` to the linear predictor
   (``predict(type = "terms")`` without centring). With ``lo_j``/``hi_j`` the smallest
   and largest contribution over axis ``j``, the scale is
   ``sc = 100 / max_j (hi_j − lo_j)``: the predictor whose axis spans the widest range
   of the linear predictor gets 0–100 points.
3. **Points** of value ``v``: ``(β_j v − lo_j) · sc``. A patient's total points are the
   sum over predictors, and
   ``linear predictor = β_0 + Σ_j lo_j + total / sc``, ``risk = plogis(lp)``.
4. **Total-points axis**: ``pretty(c(0, max(100, sc · max(lp_at − β_0 − Σ lo_j))), n = 10)``
   (just ``pretty(c(0, 100))`` for one predictor), where ``lp_at`` — the
   **linear-predictor axis** — is ``pretty(range(fitted linear predictors), n = 10)``.
5. **Risk axis** (``fun = plogis``): probabilities ``pretty(plogis(range(lp_at)), n = 10)``,
   placed where rms places them: by linear interpolation (``approx``) of the inverse of
   ``plogis`` tabulated on 1,000 equally spaced linear-predictor values over
   ``range(lp_at)``; probabilities outside that range are dropped, as rms drops them.

Scope and edge cases
--------------------
* Numeric predictors enter linearly (a numeric predictor with few values, e.g. 0/1,
  gets a discrete axis). Categorical predictors — string, boolean or pandas
  categorical columns, the ones :func:`~cetrus.stats.logistic.logit` turns into
  dummies — get one axis per factor showing its levels (in level order: sorted, or
  the categorical's order), each level at the points of its coefficient (the
  reference level at its coefficient 0), as ``rms::nomogram`` draws a factor.
  Splines and interactions are not drawn.
* A predictor that does not vary, all-zero coefficients, a model that did not converge
  (``fit.converged`` false): :class:`~cetrus.errors.InputError` /
  :class:`~cetrus.errors.ConvergenceError`.
* Missing values in the outcome or predictors: an error naming the column (drop them
  first; rms's ``lrm`` would drop them silently).
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import ConvergenceError, InputError
from cetrus.stats._validation import binary_outcome, numeric_vector

__all__ = ["NomogramAxis", "Nomogram", "nomogram", "r_pretty", "r_format"]

_DBL_EPS = sys.float_info.epsilon
_DBL_MIN = sys.float_info.min
_DBL_MAX = sys.float_info.max
INTERCEPT = "(Intercept)"


# --------------------------------------------------------------------------- R's pretty()


def _pretty_bounds(
    lo: float,
    up: float,
    ndiv: int,
    min_n: int,
    shrink_sml: float,
    h: float,
    h5: float,
    f_min: float,
) -> tuple[float, float, int]:
    """Bounds and number of intervals of R's ``pretty`` (``R_pretty`` in R's src/appl/pretty.c,
    R ≥ 4.2: rounding epsilon 1e-10, ``f.min``), with ``eps.correct = 0`` and bounds returned."""
    rounding_eps = 1e-10
    dx = up - lo
    if dx == 0 and up == 0:
        cell, i_small = 1.0, True
    else:
        cell = max(abs(lo), abs(up))
        u = 1 + ((1 / (1 + h)) if h5 >= 1.5 * h + 0.5 else (1.5 / (1 + h5)))
        u *= max(1, ndiv) * _DBL_EPS
        i_small = dx < cell * u * 3
    if i_small:
        if cell > 10:
            cell = 9 + cell / 10
        cell *= shrink_sml
        if min_n > 1:
            cell /= min_n
    else:
        cell = dx
        if math.isfinite(dx):
            if ndiv > 1:
                cell /= ndiv
        elif ndiv >= 2:
            cell = up / ndiv - lo / ndiv
    subsmall = f_min * _DBL_MIN or _DBL_MIN
    if cell < subsmall:
        cell = subsmall
    elif cell > _DBL_MAX / 1.25:
        cell = _DBL_MAX / 1.25
    base = 10.0 ** math.floor(math.log10(cell))
    unit = base
    if 2 * base - cell < h * (cell - unit):
        unit = 2 * base
        if 5 * base - cell < h5 * (cell - unit):
            unit = 5 * base
            if 10 * base - cell < h * (cell - unit):
                unit = 10 * base
    ns = math.floor(lo / unit + rounding_eps)
    nu = math.ceil(up / unit - rounding_eps)
    while ns * unit > lo + rounding_eps * unit:
        ns -= 1
    while not math.isfinite(ns * unit):
        ns += 1
    while nu * unit < up - rounding_eps * unit:
        nu += 1
    while not math.isfinite(nu * unit):
        nu -= 1
    k = int(0.5 + nu - ns)
    if k < min_n:
        k = min_n - k
        if lo == 0 and ns == 0 and up != 0:
            nu += k
        elif up == 0 and nu == 0 and lo != 0:
            ns -= k
        elif ns >= 0:
            nu += k // 2
            ns -= k // 2 + k % 2
        else:
            ns -= k // 2
            nu += k // 2 + k % 2
        ndiv = min_n
    else:
        ndiv = k
    # bounds are widened to ns*unit / nu*unit only when that covers the input range
    if ns * unit < lo:
        lo = ns * unit
    if nu * unit > up:
        up = nu * unit
    return lo, up, ndiv


def _r_seq_length(start: float, stop: float, length: int) -> np.ndarray:
    """``seq.int(start, stop, length.out = length)`` for doubles (R's do_seq): ends exact,
    interior ``start + i · (stop − start)/(length − 1)``."""
    out = np.empty(length)
    if length > 0:
        out[0] = start
    if length > 1:
        out[-1] = stop
    if length > 2:
        by = (stop - start) / (length - 1)
        out[1:-1] = start + np.arange(1, length - 1, dtype=float) * by
    return out


def r_pretty(
    x: Any,
    n: int = 5,
    *,
    min_n: int | None = None,
    shrink_sml: float = 0.75,
    high_u_bias: float = 1.5,
    u5_bias: float | None = None,
    f_min: float = 2.0**-20,
) -> np.ndarray:
    """R's ``pretty(x, n)``: about ``n + 1`` equally spaced round values covering ``range(x)``.

    Reproduces ``base::pretty.default`` of R 4.2 (``eps.correct = 0``): the step is
    1, 2, 5 or 10 × a power of 10 chosen by R's biased rule (``high.u.bias = 1.5``,
    ``u5.bias = 0.5 + 1.5 · high.u.bias``), at least ``min_n = n %/% 3`` intervals, the
    sequence built like ``seq.int(lo, up, length.out = ndiv + 1)`` and values within
    1e-14 steps of 0 set to 0. Validated bit for bit against R on many ranges
    (``validation/cases/nomogram.py``).

    Parameters
    ----------
    x : array-like
        Values whose finite range is to be covered; an empty/all-non-finite input gives an
        empty array (as R).
    n : int
        Desired number of intervals.

    Returns
    -------
    numpy.ndarray

    See Also
    --------
    nomogram : its axes are placed by this.

    References
    ----------
    R: ``base::pretty(x, n)`` (R 4.2, ``R_pretty`` in src/appl/pretty.c).

    Examples
    --------
    >>> r_pretty([0.03, 0.97], 10).tolist()
    [0.0, 0.1, 0.2, 0.30000000000000004, 0.4, 0.5, 0.6000000000000001, 0.7000000000000001, 0.8, 0.9, 1.0]
    """
    arr = np.asarray(x, dtype=float).ravel()
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        return arr
    n = int(n)
    if n < 0:
        raise InputError(
            f"The 'n' parameter of r_pretty must be a non-negative integer. Got {n!r} instead."
        )
    min_n = n // 3 if min_n is None else int(min_n)
    if u5_bias is None:
        u5_bias = 0.5 + 1.5 * high_u_bias
    lo, up, ndiv = _pretty_bounds(
        float(arr.min()), float(arr.max()), n, min_n, shrink_sml, high_u_bias, u5_bias, f_min
    )
    s = _r_seq_length(lo, up, ndiv + 1)
    if ndiv:
        delta = up / ndiv - lo / ndiv  # diff(range(l, u) / n)
        s[np.abs(s) < 1e-14 * delta] = 0.0
    return s


def r_format(value: float, digits: int = 7) -> str:
    """A number as R's ``format(x)`` prints it (7 significant digits, fixed unless the
    scientific form is narrower) — used for axis labels, as rms's ``Format``.

    See Also
    --------
    r_pretty

    References
    ----------
    R: ``base::format(x)`` at ``options(digits = 7)``.

    Examples
    --------
    >>> from cetrus.stats.nomogram import r_format
    >>> r_format(0.30000000000000004), r_format(1e-10), r_format(120.0)
    ('0.3', '1e-10', '120')
    """
    v = float(value)
    if not math.isfinite(v):
        return {math.inf: "Inf", -math.inf: "-Inf"}.get(v, "NaN")
    if v == 0:
        return "0"
    sig = digits
    for d in range(1, digits + 1):  # fewest significant digits that round-trip at `digits`
        if float(f"{v:.{d - 1}e}") == float(f"{v:.{digits - 1}e}"):
            sig = d
            break
    sci = f"{v:.{sig - 1}e}"
    mant, exp = sci.split("e")
    sci = f"{mant}e{exp[0]}{abs(int(exp)):02d}"
    e10 = int(math.floor(math.log10(abs(float(f"{v:.{sig - 1}e}")))))
    decimals = max(0, sig - 1 - e10)
    fixed = f"{v:.{decimals}f}"
    return fixed if len(fixed) <= len(sci) else sci


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True, repr=False)
class NomogramAxis(Result):
    """One predictor's axis: the values rms shows and the points of each.

    For a numeric predictor ``values`` are numbers and ``coefficient`` its slope; for a
    categorical one (``kind="categorical"``) ``values`` are the levels, ``effects``
    each level's coefficient (0 for the reference) and ``coefficient`` is ``nan``.

    See Also
    --------
    nomogram, Nomogram

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import nomogram
    >>> df = pd.DataFrame({"y": [0, 1, 0, 1, 1, 0, 0, 1, 0, 1],
    ...                    "age": [40, 62, 45, 70, 58, 50, 38, 66, 55, 49]})
    >>> axis = nomogram(df, "y", ["age"]).axes["age"]
    >>> axis.kind, axis.labels[:3]
    ('numeric', ('38', '40', '45'))
    """

    values: np.ndarray
    points: np.ndarray
    labels: tuple[str, ...]
    discrete: bool
    coefficient: float
    kind: str = "numeric"
    effects: np.ndarray | None = None  # β·value (numeric) or the level's coefficient

    _headline: ClassVar[tuple[str, ...]] = ("kind", "discrete", "coefficient")

    def to_frame(self) -> pd.DataFrame:
        """One row per axis tick: ``label``, ``value``, ``points``."""
        return pd.DataFrame(
            {"label": list(self.labels), "value": list(self.values), "points": self.points}
        )


@dataclass(frozen=True, slots=True, repr=False)
class Nomogram(Result):
    """A logistic-model nomogram with rms's axes (see the module docstring).

    ``scale`` is points per unit of linear predictor; ``intercept`` is the linear
    predictor at 0 total points (rms's ``Intercept`` attribute). Use :meth:`points`,
    :meth:`linear_predictor` and :meth:`probability` for any patients.

    See Also
    --------
    nomogram

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.nomogram import nomogram
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> nom = nomogram(d, "y", ["x", "g"])
    >>> nom
    Nomogram(outcome='y', n=10, scale=17.46, intercept=-3.566)
    >>> nom.axes["g"]
    NomogramAxis(kind='categorical', discrete=TRUE, coefficient=NA)
    """

    predictors: tuple[str, ...]
    coefficients: dict[str, float]
    scale: float
    maxscale: float
    intercept: float
    axes: dict[str, NomogramAxis]
    total_points_at: np.ndarray
    lp_at: np.ndarray
    lp_points: np.ndarray
    risk_at: np.ndarray
    risk_points: np.ndarray
    outcome: str
    n: int
    method: str

    _headline: ClassVar[tuple[str, ...]] = ("outcome", "n", "scale", "intercept")

    def _print_lines(self) -> list[str]:
        out = [
            f"Points per unit of linear predictor: {format_value(self.scale)}",
            f"Linear predictor at 0 points:         {format_value(self.intercept)}",
            "",
        ]
        for p in self.predictors:
            ax = self.axes[p]
            out.append(f"{p}:")
            out += [f"  {lab:>10}  {pt:7.2f}" for lab, pt in zip(ax.labels, ax.points)]
        out += ["", "Total points → risk:"]
        out += [
            f"  {r_format(t):>10}  {format_value(float(pr))}"
            for t, pr in zip(self.total_points_at, self.points_to_probability(self.total_points_at))
        ]
        return out

    def to_frame(self) -> pd.DataFrame:
        """Every axis tick: ``axis`` (predictor), ``label``, ``value``, ``points``."""
        return pd.concat(
            [
                self.axes[p].to_frame().assign(axis=p)[["axis", "label", "value", "points"]]
                for p in self.predictors
            ],
            ignore_index=True,
        )

    def _frame(self, data: Any) -> pd.DataFrame:
        if isinstance(data, Mapping) and not isinstance(data, pd.DataFrame):
            data = pd.DataFrame({k: np.atleast_1d(v) for k, v in data.items()})
        if not isinstance(data, pd.DataFrame):
            raise InputError(
                "The 'data' parameter of Nomogram.points must be a DataFrame or a "
                f"mapping of predictor → values. Got {type(data).__name__} instead."
            )
        missing = [p for p in self.predictors if p not in data.columns]
        if missing:
            raise InputError(
                f"predictor column {missing[0]!r} is not in the data "
                f"(needs: {', '.join(self.predictors)})."
            )
        return data

    def predictor_points(self, data: Any) -> pd.DataFrame:
        """Points of each predictor for each row of ``data`` (one column per predictor)."""
        data = self._frame(data)
        cols = {}
        for p in self.predictors:
            ax = self.axes[p]
            assert ax.effects is not None  # nomogram() sets every axis's effects
            lo = float(np.min(ax.effects))
            cols[p] = (_effects(ax, data[p], p) - lo) * self.scale
        return pd.DataFrame(cols, index=getattr(data, "index", None))

    def points(self, data: Any) -> np.ndarray:
        """Total points of each row of ``data`` (rms: sum of the predictors' points)."""
        return self.predictor_points(data).to_numpy().sum(axis=1)

    def linear_predictor(self, data: Any) -> np.ndarray:
        """Linear predictor ``intercept + total points / scale`` (= β_0 + Σ β_j x_j)."""
        return self.intercept + self.points(data) / self.scale

    def probability(self, data: Any) -> np.ndarray:
        """Predicted risk ``plogis(linear predictor)`` of each row."""
        from scipy.special import expit

        return expit(self.linear_predictor(data))

    def points_to_probability(self, total_points: Any) -> np.ndarray:
        """Risk at given total points (reading the nomogram's bottom axes)."""
        from scipy.special import expit

        tp = np.asarray(total_points, dtype=float)
        return expit(self.intercept + tp / self.scale)


# --------------------------------------------------------------------------- construction


def _effects(ax: NomogramAxis, values: Any, name: str) -> np.ndarray:
    """Each row's contribution to the linear predictor on this axis (β·x, or the
    coefficient of the row's level)."""
    if ax.kind == "numeric":
        return ax.coefficient * numeric_vector(values, name)
    from cetrus.stats.logistic import _logical_as_r

    s = _logical_as_r(pd.Series(values))
    if s.isna().any():
        raise InputError(f"{name!r} has {int(s.isna().sum())} missing value(s); drop them first.")
    assert ax.effects is not None  # nomogram() sets every axis's effects
    lookup = {lv: e for lv, e in zip(ax.values.tolist(), ax.effects.tolist())}
    unknown = sorted({str(v) for v in s.tolist() if v not in lookup})
    if unknown:
        raise InputError(
            f"predictor {name!r} has level(s) {unknown} not on its axis "
            f"(levels: {list(ax.labels)})."
        )
    return np.array([lookup[v] for v in s.tolist()], dtype=float)


def _term_names(enc: Any) -> list[str]:
    if enc.kind == "numeric":
        return [enc.predictor]
    return [f"{enc.predictor}{lv}" for lv in enc.levels if lv != enc.reference]


def _encodings(
    data: pd.DataFrame,
    predictors: list[str],
    fit: Any,
    coefficients: Any,
    reference: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """How each predictor enters the model (numeric, or a factor with its levels and
    reference), as :func:`cetrus.stats.logistic.logit` encodes it."""
    from cetrus.stats.logistic import Encoding, _encode

    fit_encodings = getattr(fit, "encodings", ()) if fit is not None else ()
    if fit_encodings:
        encs = {e.predictor: e for e in fit_encodings}
        if all(p in encs for p in predictors):
            return {p: encs[p] for p in predictors}
    reference = dict(reference or {})
    out = {}
    for p in predictors:
        enc = _encode(data, p, reference.get(p))
        if enc.kind == "categorical" and coefficients is not None and p not in reference:
            # the reference is the level without a coefficient (R: model.matrix's dropped one)
            absent = [lv for lv in enc.levels if f"{p}{lv}" not in dict(coefficients)]
            if len(absent) != 1:
                raise InputError(
                    f"the coefficients of factor {p!r} must name all levels but one "
                    f"(the reference) as '{p}<level>'; levels: {list(enc.levels)}."
                )
            enc = Encoding(p, "categorical", enc.levels, absent[0])
        out[p] = enc
    return out


def _coefficients_from(
    fit: Any, coefficients: Any, predictors: Sequence[str], terms: Sequence[str]
) -> dict[str, float]:
    if fit is not None and coefficients is not None:
        raise InputError("nomogram takes either 'fit' or 'coefficients', not both.")
    if fit is not None:
        if not getattr(fit, "converged", True):
            raise ConvergenceError(
                "nomogram needs a converged logistic model; the fit did not converge "
                "(check for separation in the predictors)."
            )
        coefficients = fit.coefficients
        fit_preds = tuple(getattr(fit, "predictors", ()) or ())
        if fit_preds and tuple(fit_preds) != tuple(predictors):
            raise InputError(
                f"the fit's predictors {list(fit_preds)} differ from the nomogram's "
                f"{list(predictors)}."
            )
    coefs = {str(k): float(v) for k, v in dict(coefficients).items()}
    need = [INTERCEPT, *terms]
    missing = [k for k in need if k not in coefs]
    if missing:
        raise InputError(
            f"coefficient {missing[0]!r} is missing (coefficients given: {', '.join(coefs)})."
        )
    extra = [k for k in coefs if k not in need]
    if extra:
        raise InputError(
            f"coefficient {extra[0]!r} has no predictor in the nomogram; the "
            f"nomogram draws only linear terms of {', '.join(predictors)}."
        )
    if not all(math.isfinite(coefs[k]) for k in need):
        bad = next(k for k in need if not math.isfinite(coefs[k]))
        raise ConvergenceError(
            f"coefficient {bad!r} is not finite ({coefs[bad]}); the model did not converge."
        )
    return {k: coefs[k] for k in need}


def _fit_logit(
    data: pd.DataFrame,
    outcome: str,
    predictors: list[str],
    positive: Any,
    reference: Mapping[str, Any] | None,
) -> dict[str, float]:
    from cetrus.errors import SeparationWarning
    from cetrus.stats.logistic import logit, lrm_fit

    with warnings.catch_warnings():  # non-convergence becomes the ConvergenceError below
        warnings.simplefilter("ignore", SeparationWarning)
        fit = logit(
            data, outcome, predictors, positive=positive, reference=reference, fit="converged"
        )
    if not fit.converged:
        terms = ", ".join(getattr(fit, "separation", ()) or ()) or "the predictors"
        raise ConvergenceError(
            f"the logistic model of {outcome!r} did not converge "
            f"((quasi-)complete separation by {terms}); no nomogram exists."
        )
    # the coefficients rms::lrm (the nomogram's R twin) reports: its Newton-Raphson stops
    # by its own rule (-2 log L change <= 0.025, then one more step)
    y = binary_outcome(data[outcome], outcome, positive=positive).is_case.astype(float)
    rms = lrm_fit(fit.design(data), y)
    if not rms.converged:
        raise ConvergenceError(
            f"the logistic model of {outcome!r} did not converge in rms's "
            f"Newton-Raphson (12 iterations); no nomogram exists."
        )
    return {t.term: float(b) for t, b in zip(fit.terms, rms.beta)}


def nomogram(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    *,
    fit: Any = None,
    coefficients: Mapping[str, float] | None = None,
    positive: Any = None,
    reference: Mapping[str, Any] | None = None,
    maxscale: float = 100.0,
    nint: int = 10,
    n_unique: int = 10,
) -> Nomogram:
    """Nomogram of a logistic model, equal to ``rms::nomogram(lrm_fit, fun = plogis)``.

    Parameters
    ----------
    data : DataFrame
        The data the model is (or was) fitted on: the axes (``datadist``) and the
        linear-predictor axis (``range(fitted lp)``) come from it.
    outcome : str
        Binary outcome column (case level: the larger of two sorted levels).
    predictors : sequence of str
        Predictor columns: numeric ones enter linearly; categorical ones (string,
        boolean, pandas categorical) as factors, one axis per factor showing its
        levels, as :func:`~cetrus.stats.logistic.logit` encodes them.
    fit : LogitResult, optional, keyword-only
        A fitted :func:`cetrus.stats.logistic.logit` model on these predictors; by
        default the model is fitted here (``logit``'s design, rms's ``lrm.fit`` rule).
    coefficients : mapping, optional, keyword-only
        Instead of a fit: ``{"(Intercept)": b0, predictor: b, factor + level: b, …}``
        (R's coefficient names, e.g. from ``glm``, or a published model); a factor's
        reference is the level without a coefficient.
    positive : optional, keyword-only
        The outcome's case level when fitting (default: the larger of two sorted levels).
    reference : dict predictor → level, optional, keyword-only
        Reference levels of factors (default: the first level), as in ``logit``.
    maxscale, nint, n_unique : keyword-only
        rms's ``maxscale`` (points of the widest predictor, 100), ``nint`` (intervals
        asked of ``pretty``, 10) and ``datadist``'s ``n.unique`` (at most this many
        distinct values → a discrete axis, 10).

    Returns
    -------
    Nomogram
        ``scale``, ``axes`` (predictor → values, points), the total-points,
        linear-predictor and risk axes, and methods for new patients.

    Raises
    ------
    ConvergenceError
        The model did not converge.
    InputError
        Missing columns or values, constant predictors, zero coefficients.

    See Also
    --------
    cetrus.stats.logistic.logit : the model.
    r_pretty : R's ``pretty``, which places the axis ticks.

    References
    ----------
    Harrell, F. E. (2015). *Regression Modeling Strategies*, 2nd ed., §10.
    R: ``rms::nomogram(lrm(y ~ ...), fun = plogis)`` with ``datadist`` defaults.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cetrus.stats.nomogram import nomogram
    >>> rng = np.random.default_rng(7)
    >>> d = pd.DataFrame({"age": rng.normal(60, 10, 300).round(),
    ...                   "stage": rng.choice(["I", "II", "III"], 300)})
    >>> eta = -0.5 + 0.05 * (d.age - 60) + d.stage.map({"I": 0, "II": 0.7, "III": 1.5})
    >>> d["y"] = (rng.random(300) < 1 / (1 + np.exp(-eta))).astype(int)
    >>> nom = nomogram(d, "y", ["age", "stage"])
    >>> nom.axes["stage"].labels
    ('I', 'II', 'III')
    >>> [round(float(p), 1) for p in nom.axes["stage"].points]
    [0.0, 34.4, 58.6]
    >>> round(float(nom.probability({"age": [70], "stage": ["III"]})[0]), 3)
    0.822
    """
    func = "nomogram"
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(dict.fromkeys(predictors))
    if not predictors:
        raise InputError(f"{func} needs at least one predictor.")
    for col in [outcome, *predictors]:
        if col not in data.columns:
            raise InputError(
                f"column {col!r} is not in the data "
                f"(columns: {', '.join(map(str, data.columns[:12]))})."
            )
    if outcome in predictors:
        raise InputError(f"the outcome {outcome!r} cannot also be a predictor.")
    y = binary_outcome(data[outcome], outcome, positive=positive)
    for p in predictors:
        miss = data[p].isna()
        if miss.any():
            raise InputError(
                f"{p!r} has {int(miss.sum())} missing value(s) (first at position "
                f"{int(np.flatnonzero(miss.to_numpy())[0])}); drop or impute them "
                "first."
            )
    encs = _encodings(data, predictors, fit, coefficients, reference)
    terms = [t for p in predictors for t in _term_names(encs[p])]
    if fit is None and coefficients is None:
        coefficients = _fit_logit(
            data,
            outcome,
            predictors,
            positive,
            {p: e.reference for p, e in encs.items() if e.kind == "categorical"},
        )
    coefs = _coefficients_from(fit, coefficients, predictors, terms)
    if not any(coefs[t] != 0 for t in terms):
        raise InputError(f"{func}: every coefficient is 0, so no predictor carries points.")

    axes_values, effects, discrete = [], [], []
    for p in predictors:
        enc = encs[p]
        if enc.kind == "categorical":
            levels = np.array(enc.levels, dtype=object)
            axes_values.append(levels)
            effects.append(
                np.array([0.0 if lv == enc.reference else coefs[f"{p}{lv}"] for lv in enc.levels])
            )
            discrete.append(True)
            continue
        uniq = np.unique(numeric_vector(data[p], p))
        if uniq.size < 2:
            raise InputError(f"predictor {p!r} is constant ({uniq[0]!r}); it cannot have an axis.")
        if uniq.size <= n_unique:
            axes_values.append(uniq)
            discrete.append(True)
        else:
            axes_values.append(r_pretty(uniq[[0, -1]], nint))
            discrete.append(False)
        effects.append(coefs[p] * axes_values[-1])
    lows = np.array([t.min() for t in effects])
    spans = np.array([t.max() - t.min() for t in effects])
    sc = maxscale / spans.max()
    intercept = coefs[INTERCEPT] + float(math.fsum(lows))

    axes = {}
    for j, p in enumerate(predictors):
        pts = (effects[j] - lows[j]) * sc
        categorical = encs[p].kind == "categorical"
        axes[p] = NomogramAxis(
            values=axes_values[j],
            points=pts,
            labels=tuple(str(v) if categorical else r_format(v) for v in axes_values[j]),
            discrete=discrete[j],
            coefficient=float("nan") if categorical else float(coefs[p]),
            kind=encs[p].kind,
            effects=effects[j],
        )

    lp_fit = coefs[INTERCEPT] + np.sum([_effects(axes[p], data[p], p) for p in predictors], axis=0)
    lp_at = r_pretty([lp_fit.min(), lp_fit.max()], nint)
    sum_max = (
        maxscale if len(predictors) == 1 else max(maxscale, sc * float(np.max(lp_at - intercept)))
    )
    total_at = r_pretty([0.0, sum_max], nint)
    lp_points = (lp_at - intercept) * sc
    risk_at, risk_lp = _risk_axis(lp_at, nint)
    return Nomogram(
        predictors=tuple(predictors),
        coefficients=coefs,
        scale=float(sc),
        maxscale=float(maxscale),
        intercept=intercept,
        axes=axes,
        total_points_at=total_at,
        lp_at=lp_at,
        lp_points=lp_points,
        risk_at=risk_at,
        risk_points=(risk_lp - intercept) * sc,
        outcome=outcome,
        n=int(y.is_case.size),
        method="rms::nomogram(lrm, fun = plogis) with datadist defaults",
    )


def _risk_axis(lp_at: np.ndarray, nint: int) -> tuple[np.ndarray, np.ndarray]:
    """rms's ``fun = plogis`` axis: pretty probabilities and their linear predictors found
    by ``approx`` on a 1,000-point table of plogis over ``range(lp_at)``."""
    from scipy.special import expit

    lo, hi = float(lp_at.min()), float(lp_at.max())
    fat = r_pretty(expit(np.array([lo, hi])), nint)
    # seq(lo, hi, length = 1000) as seq.default builds it: from + (1:998) * (del / 999), to
    xseq = np.empty(1000)
    xseq[0], xseq[-1] = lo, hi
    xseq[1:-1] = lo + np.arange(1, 999, dtype=float) * ((hi - lo) / 999)
    fu = expit(xseq)
    # approx(..., ties = mean): collapse equal plogis values (saturation) to their mean lp
    ufu, inverse = np.unique(fu, return_inverse=True)
    mean_x = np.bincount(inverse, weights=xseq) / np.bincount(inverse)
    inside = (fat >= ufu[0]) & (fat <= ufu[-1])
    return fat[inside], _r_approx(ufu, mean_x, fat[inside])


def _r_approx(x: np.ndarray, y: np.ndarray, v: np.ndarray) -> np.ndarray:
    """R's ``approx`` (linear, rule 1) at ``v`` inside ``[x[0], x[-1]]``, same arithmetic:
    ``y[i] + (y[j] − y[i]) · ((v − x[i]) / (x[j] − x[i]))``, exact at the knots."""
    if x.size == 1:
        return np.full(v.shape, y[0])
    i = np.clip(np.searchsorted(x, v, side="right") - 1, 0, x.size - 2)
    j = i + 1
    with np.errstate(invalid="ignore", divide="ignore"):
        out = y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i]))
    out = np.where(v == x[j], y[j], out)
    return np.where(v == x[i], y[i], out)
