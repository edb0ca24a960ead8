"""Logistic regression odds ratios (the paper's Table 2), equal to R's ``glm``.

=========================  ==================================================================
function                   R twin
=========================  ==================================================================
:func:`logit`              ``glm(y ~ ..., family = binomial)``; Wald CI = ``confint.default``;
                           profile CI = exact root of the profile deviance (``MASS``'s
                           ``confint(glm)`` approximates it by a spline: agrees to ~1e-4)
:func:`univariate_logit`   one ``glm`` per predictor
:func:`select_predictors`  the paper's rule (Section 2.6 / 3.2): univariate CI of the OR
                           excluding 1 → multivariable model → retained if its CI excludes 1
:func:`table_two`          the paper's Table 2 layout
=========================  ==================================================================

The model is fitted by iteratively reweighted least squares (Newton–Raphson for the
canonical logit link; McCullagh & Nelder 1989, §4.4), the algorithm of R's
``glm.fit``, run to a tighter convergence criterion than R's default
(``|ΔD| / (|D| + 0.1) < 1e-8``) so that R's own rounding dominates any difference.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from cetrus._results import Result, json_safe
from cetrus.errors import ConvergenceError, InputError, SeparationWarning, UndefinedStatisticWarning
from cetrus.stats._validation import binary_outcome, choice, conf_level as check_conf_level

INTERCEPT = "(Intercept)"
_MAXIT = 100
_EPS = 1e-12


# --------------------------------------------------------------------------- results

@dataclass(frozen=True, slots=True)
class LogitTerm(Result):
    """One coefficient: ``statistic`` is Wald's z; ``odds_ratio`` and the CI are per ``per``
    units of the predictor (1 unless scaled)."""

    term: str
    coef: float
    se: float
    statistic: float
    pvalue: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    per: float = 1.0


@dataclass(frozen=True, slots=True)
class Encoding(Result):
    """How a predictor enters the design: numeric, or categorical with its levels."""

    predictor: str
    kind: str  # "numeric" | "categorical"
    levels: tuple = ()
    reference: Any = None

    def columns(self, values: pd.Series) -> tuple[list[str], np.ndarray]:
        if self.kind == "numeric":
            from cetrus.stats._validation import numeric_vector

            return [self.predictor], numeric_vector(values.to_numpy(), self.predictor)[:, None]
        arr = values.to_numpy()
        unknown = set(pd.unique(arr).tolist()) - set(self.levels)
        if unknown:
            raise InputError(f"predictor {self.predictor!r} has level(s) "
                             f"{sorted(map(str, unknown))} not seen when the model was fitted "
                             f"(levels: {list(self.levels)}).")
        others = [lv for lv in self.levels if lv != self.reference]
        names = [f"{self.predictor}{lv}" for lv in others]
        return names, np.column_stack([(arr == lv).astype(np.float64) for lv in others])


@dataclass(frozen=True, slots=True)
class LogitResult(Result):
    """A fitted binary logistic regression (``glm(family = binomial)``)."""

    terms: tuple
    n: int
    events: int
    converged: bool
    ci_method: str
    conf_level: float
    outcome: str
    predictors: tuple
    levels: tuple = ()  # (control level, case level) of the outcome
    encodings: tuple = ()
    deviance: float = float("nan")
    null_deviance: float = float("nan")
    aic: float = float("nan")
    iterations: int = 0
    separation: tuple = ()  # terms involved in (quasi-)complete separation
    covariance: np.ndarray = field(default=None, repr=False)
    method: str = "logistic regression (IRLS), glm(family = binomial)"

    @property
    def coefficients(self) -> dict[str, float]:
        """term → coefficient, the intercept first as ``"(Intercept)"``."""
        return {t.term: t.coef for t in self.terms}

    def term(self, name: str) -> LogitTerm:
        for t in self.terms:
            if t.term == name:
                return t
        raise InputError(f"no term {name!r} in the model (terms: {[t.term for t in self.terms]}).")

    def design(self, data: pd.DataFrame) -> np.ndarray:
        """The model matrix of ``data`` (intercept column first), as R's ``model.matrix``."""
        cols = [np.ones((len(data), 1))]
        for enc in self.encodings:
            if enc.predictor not in data.columns:
                raise InputError(f"column {enc.predictor!r} (a model predictor) is not in the data.")
            cols.append(enc.columns(data[enc.predictor])[1])
        return np.hstack(cols)

    def linear_predictor(self, data: pd.DataFrame) -> np.ndarray:
        """``X β`` for new data (R's ``predict(fit, newdata)``, link scale)."""
        beta = np.array([t.coef for t in self.terms])
        return self.design(data) @ beta

    def predict_proba(self, data: pd.DataFrame) -> np.ndarray:
        """Predicted probability of the case level (``predict(fit, newdata, type = "response")``)."""
        from scipy.special import expit

        return expit(self.linear_predictor(data))

    def to_dict(self) -> dict:
        out = {f: json_safe(getattr(self, f)) for f in (
            "n", "events", "converged", "ci_method", "conf_level", "outcome", "predictors",
            "levels", "deviance", "null_deviance", "aic", "iterations", "separation", "method")}
        out["terms"] = [t.to_dict() for t in self.terms]
        return out


# --------------------------------------------------------------------------- fitting

@dataclass
class _Fit:
    beta: np.ndarray
    deviance: float
    converged: bool
    iterations: int
    eta: np.ndarray


def _deviance(y: np.ndarray, eta: np.ndarray) -> float:
    # −2 log L = 2 Σ log(1 + exp(−s·η)), s = ±1: stable for any η
    s = 2.0 * y - 1.0
    return float(2.0 * np.logaddexp(0.0, -s * eta).sum())


def _irls(X: np.ndarray, y: np.ndarray, offset: np.ndarray | None = None,
          beta0: np.ndarray | None = None, *, maxit: int = _MAXIT, tol: float = _EPS) -> _Fit:
    """IRLS for the logit link, as ``glm.fit`` (start ``μ = (y + 0.5)/2``), tighter tolerance."""
    from scipy.special import expit

    off = np.zeros(len(y)) if offset is None else offset
    if X.shape[1] == 0:
        eta = off.copy()
        return _Fit(np.zeros(0), _deviance(y, eta), True, 0, eta)
    if beta0 is None:
        mu = (y + 0.5) / 2.0
        eta = np.log(mu / (1.0 - mu))
    else:
        eta = X @ beta0 + off
    dev_old = math.inf
    beta = np.zeros(X.shape[1]) if beta0 is None else beta0.copy()
    converged = False
    it = 0
    for it in range(1, maxit + 1):
        mu = expit(eta)
        w = np.maximum(mu * (1.0 - mu), np.finfo(float).eps)
        z = (eta - off) + (y - mu) / w
        sw = np.sqrt(w)
        new, *_ = np.linalg.lstsq(X * sw[:, None], z * sw, rcond=None)
        eta_new = X @ new + off
        dev = _deviance(y, eta_new)
        if it > 1 or beta0 is not None:
            # step halving: the deviance is convex, so a shorter Newton step always helps
            # (R's glm.fit only halves on non-finite deviance; from a far start, as in
            # profiling, the full step can overshoot and diverge)
            base = _deviance(y, X @ beta + off) if it == 1 else dev_old
            halvings = 0
            while dev > base * (1 + 1e-15) + 1e-300 and halvings < 60:
                new = (new + beta) / 2.0
                eta_new = X @ new + off
                dev = _deviance(y, eta_new)
                halvings += 1
        beta, eta = new, eta_new
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
    return _Fit(beta, dev, converged, it, eta)


def _covariance(X: np.ndarray, eta: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    mu = expit(eta)
    w = np.maximum(mu * (1.0 - mu), np.finfo(float).eps)
    info = X.T @ (X * w[:, None])
    return np.linalg.inv(info)


def _separation(X: np.ndarray, y: np.ndarray, names: list[str]) -> tuple[str, ...]:
    """Terms along which the data are (quasi-)completely separated, by linear programming.

    Separation exists iff some direction ``b ≠ 0`` has ``s_i x_iᵀ b ≥ 0`` for every
    observation (``s_i = ±1`` the outcome sign) with at least one strict inequality
    (Albert & Anderson 1984). With ``b`` boxed in [−1, 1] (after scaling the columns)
    the LP ``max Σ s_i x_iᵀ b`` is positive exactly then (Konis 2007, the method of R's
    ``detectseparation``); the non-zero entries of ``b`` name the terms involved.
    """
    from scipy.optimize import linprog

    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    A = (2.0 * y - 1.0)[:, None] * (X / scale)
    res = linprog(-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(y)),
                  bounds=[(-1.0, 1.0)] * X.shape[1], method="highs")
    if res.status != 0 or -res.fun <= 1e-7 * len(y):
        return ()
    if X.shape[1] == 2:
        return (names[1],)
    # name the terms that separate on their own (with the intercept); when only a
    # combination separates, the terms of the LP's separating direction
    alone = tuple(n for j, n in enumerate(names) if j > 0 and _separates(X[:, [0, j]], y))
    if alone:
        return alone
    involved = tuple(n for n, v in zip(names, res.x) if abs(v) > 1e-7 and n != INTERCEPT)
    return involved or (INTERCEPT,)


def _separates(X: np.ndarray, y: np.ndarray) -> bool:
    from scipy.optimize import linprog

    scale = np.abs(X).max(axis=0)
    scale[scale == 0] = 1.0
    A = (2.0 * y - 1.0)[:, None] * (X / scale)
    res = linprog(-A.sum(axis=0), A_ub=-A, b_ub=np.zeros(len(y)),
                  bounds=[(-1.0, 1.0)] * X.shape[1], method="highs")
    return res.status == 0 and -res.fun > 1e-7 * len(y)


# --------------------------------------------------------------------------- input

def _encode(data: pd.DataFrame, predictor: str, reference: Any) -> Encoding:
    s = data[predictor]
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "OSUb":
        from cetrus.stats._validation import _level_key

        if isinstance(s.dtype, pd.CategoricalDtype):
            levels = [c for c in s.cat.categories if (s == c).any()]
        else:
            levels = sorted(pd.unique(s).tolist(), key=_level_key)
        if len(levels) < 2:
            raise InputError(f"predictor {predictor!r} is constant ({levels[0]!r}); "
                             "it cannot be estimated.")
        ref = levels[0]
        if reference is not None:
            match = [lv for lv in levels if lv == reference or str(lv) == str(reference)]
            if not match:
                raise InputError(f"reference level {reference!r} does not occur in predictor "
                                 f"{predictor!r} (levels: {levels}).")
            ref = match[0]
        return Encoding(predictor, "categorical", tuple(levels), ref)
    if s.dtype.kind not in "iuf":
        raise InputError(f"predictor {predictor!r} must be numeric or categorical. Got {s.dtype}.")
    if reference is not None:
        raise InputError(f"a reference level was given for numeric predictor {predictor!r}; "
                         "convert it to a categorical column first.")
    if s.nunique() < 2:
        raise InputError(f"predictor {predictor!r} is constant ({s.iloc[0]!r}); "
                         "it cannot be estimated.")
    return Encoding(predictor, "numeric")


def _prepare(data, outcome, predictors, positive, reference, func):
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"The 'data' parameter of {func} must be a pandas DataFrame. "
                         f"Got {type(data).__name__} instead.")
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(predictors)
    if not predictors:
        raise InputError(f"The 'predictors' parameter of {func} must name at least one column.")
    if len(set(predictors)) != len(predictors):
        raise InputError(f"The 'predictors' parameter of {func} lists a column twice: {predictors}.")
    for col in [outcome, *predictors]:
        if col not in data.columns:
            avail = ", ".join(map(str, list(data.columns)[:12]))
            raise InputError(f"column {col!r} is not in the data (columns: {avail}).")
    if outcome in predictors:
        raise InputError(f"the outcome {outcome!r} cannot also be a predictor.")
    for col in predictors:
        miss = data[col].isna()
        if miss.any():
            raise InputError(f"column {col!r} has {int(miss.sum())} missing value(s) (first at row "
                             f"{int(np.flatnonzero(miss.to_numpy())[0])}); drop or impute them first.")
    coded = binary_outcome(data[outcome], outcome, positive=positive)
    refs = dict(reference or {}) if not isinstance(reference, str) else {}
    if isinstance(reference, str):
        raise InputError(f"The 'reference' parameter of {func} must be a dict predictor → level. "
                         f"Got {reference!r} instead.")
    unknown = set(refs) - set(predictors)
    if unknown:
        raise InputError(f"reference given for {sorted(unknown)}, which are not predictors.")
    encodings = tuple(_encode(data, p, refs.get(p)) for p in predictors)
    names, cols = [INTERCEPT], [np.ones((len(data), 1))]
    for enc in encodings:
        n_, c_ = enc.columns(data[enc.predictor])
        names += n_
        cols.append(c_)
    X = np.hstack(cols)
    return coded, encodings, names, X, predictors


def _scale_factors(data, encodings, names, scale) -> dict[str, float]:
    """Per-term multiplier of the coefficient for the reported OR (1 = per unit)."""
    out = {n: 1.0 for n in names}
    if scale is None:
        return out
    spec = scale if isinstance(scale, Mapping) else {e.predictor: scale for e in encodings
                                                      if e.kind == "numeric"}
    for pred, how in spec.items():
        enc = next((e for e in encodings if e.predictor == pred), None)
        if enc is None or enc.kind != "numeric":
            raise InputError(f"scale given for {pred!r}, which is not a numeric predictor.")
        x = data[pred].to_numpy(dtype=np.float64)
        if how in (None, "unit"):
            per = 1.0
        elif how == "sd":
            per = float(x.std(ddof=1))
        elif how == "iqr":
            # as rms::summary with datadist defaults: 75th − 25th percentile (quantile type 7)
            q1, q3 = np.quantile(x, [0.25, 0.75])
            per = float(q3 - q1)
        elif isinstance(how, (int, float)) and not isinstance(how, bool) and how > 0:
            per = float(how)
        else:
            raise InputError(f"The 'scale' for {pred!r} must be 'unit', 'sd', 'iqr' or a "
                             f"positive number. Got {how!r} instead.")
        out[pred] = per
    return out


# --------------------------------------------------------------------------- public API

def logit(data: pd.DataFrame, outcome: str, predictors: Sequence[str] | str, *,
          ci: str = "wald", conf_level: float = 0.95, positive: Any = None,
          reference: Mapping[str, Any] | None = None, scale: Any = None,
          on_separation: str = "warn") -> LogitResult:
    r"""Fit a binary logistic regression and report odds ratios, as R's ``glm``.

    Parameters
    ----------
    data : DataFrame
    outcome : str
        Two-level outcome; the case level is ``positive`` or the larger sorted level.
    predictors : list of str
        Numeric columns enter as they are; string/boolean/categorical columns as
        dummies against a reference level (the first sorted level, as R's
        ``factor``, unless ``reference={column: level}``), named ``column + level``
        as R does (e.g. ``"education6-11yrs"``).
    ci : {"wald", "profile"}
        ``"wald"``: :math:`\hat\beta \pm z_{1-\alpha/2}\,\mathrm{SE}` (R's
        ``confint.default``). ``"profile"``: the two roots of
        :math:`D_j(b) - D(\hat\beta) = \chi^2_{1,1-\alpha}` where :math:`D_j(b)` is the
        deviance minimised over the other coefficients with :math:`\beta_j = b`
        (Venables & Ripley 2002, §8.4), found to ~1e-10 by Brent's method. R's
        ``confint()`` on a glm interpolates the same profile with a spline, so it
        agrees to about 1e-4.
    conf_level : float
    scale : None, "unit", "sd", "iqr", number, or dict predictor → one of these
        Report each numeric predictor's OR per that many units (``"sd"``: its
        standard deviation; ``"iqr"``: 75th − 25th percentile as ``rms::summary``'s
        default). The coefficient and its SE stay per unit; ``per`` records the factor.
    on_separation : {"warn", "raise"}
        What to do when the data are (quasi-)completely separated or the fit does not
        converge: return the last iterate marked ``converged=False`` with a
        :class:`SeparationWarning` naming the terms, or raise :class:`ConvergenceError`.

    Returns
    -------
    LogitResult
        ``terms`` (intercept first as ``"(Intercept)"``) with coefficient, SE, Wald
        z (``statistic``), two-sided p :math:`2\Phi(-|z|)`, OR = :math:`e^{\beta\cdot per}`
        and its CI.

    Notes
    -----
    Missing values, an unknown column, a constant predictor or a non-binary outcome
    raise :class:`InputError`. Separation is detected by linear programming before
    the numbers are trusted (Konis 2007), so a diverging coefficient is never
    returned silently. The paper (Section 3.2, Table 2) reports such ORs per unit,
    with Wald CIs (statsmodels' default).
    """
    func = "logit"
    choice(ci, ("wald", "profile"), "ci", func)
    choice(on_separation, ("warn", "raise"), "on_separation", func)
    cl = check_conf_level(conf_level, func)
    coded, encodings, names, X, predictors = _prepare(data, outcome, predictors, positive,
                                                      reference, func)
    y = coded.is_case.astype(np.float64)
    if np.linalg.matrix_rank(X) < X.shape[1]:
        raise InputError(f"the predictors {predictors} are linearly dependent (collinear design); "
                         "drop one of them.")
    fit = _irls(X, y)
    separated = _separation(X, y, names)
    converged = fit.converged and not separated
    if not converged:
        what = (f"(quasi-)complete separation by {', '.join(separated)}" if separated
                else f"IRLS did not converge in {_MAXIT} iterations")
        message = (f"logistic model of {outcome!r} on {', '.join(predictors)}: {what}; "
                   "the maximum-likelihood estimates do not exist (coefficients diverge). "
                   "Diagnose with a cross-table of the outcome by the named predictor(s).")
        if on_separation == "raise":
            raise ConvergenceError(message)
        warnings.warn(message, SeparationWarning, stacklevel=2)
    cov = _covariance(X, fit.eta)
    se = np.sqrt(np.diag(cov))
    from scipy.special import ndtr, ndtri

    z = fit.beta / se
    p = 2.0 * ndtr(-np.abs(z))
    q = float(ndtri(1 - (1 - cl) / 2))
    if ci == "wald":
        lo, hi = fit.beta - q * se, fit.beta + q * se
    else:
        lo, hi = _profile_ci(X, y, fit, se, q * q, names)
    per = _scale_factors(data, encodings, names, scale)
    terms = []
    with np.errstate(over="ignore"):  # a diverging (separated) coefficient gives OR = inf
        odds = [(np.exp(fit.beta[j] * per.get(n, 1.0)), np.exp(lo[j] * per.get(n, 1.0)),
                 np.exp(hi[j] * per.get(n, 1.0))) for j, n in enumerate(names)]
    for j, name in enumerate(names):
        k = per.get(name, 1.0)
        terms.append(LogitTerm(name, float(fit.beta[j]), float(se[j]), float(z[j]), float(p[j]),
                               *(float(v) for v in odds[j]), k))
    null = _irls(np.ones((len(y), 1)), y)
    return LogitResult(tuple(terms), int(len(y)), coded.n_cases, bool(converged), ci, cl, outcome,
                       tuple(predictors), tuple(coded.levels), encodings, fit.deviance,
                       null.deviance, fit.deviance + 2 * X.shape[1], fit.iterations, separated,
                       cov)


def _profile_ci(X, y, fit, se, crit, names) -> tuple[np.ndarray, np.ndarray]:
    """Both roots of ``D_j(b) − D̂ = crit`` for every coefficient (Brent's method)."""
    from scipy.optimize import brentq

    k = X.shape[1]
    lo, hi = np.full(k, np.nan), np.full(k, np.nan)
    for j in range(k):
        others = np.delete(np.arange(k), j)
        Xo = X[:, others]
        start = fit.beta[others]
        bhat = fit.beta[j]

        def excess(b: float) -> float:
            f = _irls(Xo, y, X[:, j] * b, start)
            return f.deviance - fit.deviance - crit

        for side, out in ((-1.0, lo), (1.0, hi)):
            step = 2.0 * math.sqrt(crit) * se[j]
            inner, outer = bhat, bhat + side * step
            found = False
            for _ in range(30):  # expand until the profile rises past the critical value
                if excess(outer) > 0:
                    found = True
                    break
                inner, outer = outer, bhat + (outer - bhat) * 2.0
            if not found:
                warnings.warn(f"profile CI bound of {names[j]!r} not found: the profile "
                              "deviance stays flat (separation?); bound set to ±inf",
                              UndefinedStatisticWarning, stacklevel=3)
                out[j] = side * math.inf
                continue
            a, b_ = sorted((inner, outer))
            out[j] = brentq(excess, a, b_, xtol=1e-12, rtol=1e-14, maxiter=200)
    return lo, hi


def univariate_logit(data: pd.DataFrame, outcome: str, predictors: Sequence[str],
                     **kwargs: Any) -> tuple[LogitResult, ...]:
    """One :func:`logit` per predictor (the univariate column of Table 2)."""
    if isinstance(predictors, str):
        predictors = [predictors]
    ref = kwargs.pop("reference", None) or {}
    return tuple(logit(data, outcome, [p], reference={p: ref[p]} if p in ref else None, **kwargs)
                 for p in predictors)


# --------------------------------------------------------------------------- the paper's rule

def _excludes_one(result: LogitResult, predictor: str) -> bool:
    """Any term of ``predictor`` whose OR CI lies entirely above or below 1."""
    enc = next(e for e in result.encodings if e.predictor == predictor)
    names = [predictor] if enc.kind == "numeric" else [
        f"{predictor}{lv}" for lv in enc.levels if lv != enc.reference]
    return any(t.ci_low > 1.0 or t.ci_high < 1.0 for t in result.terms if t.term in names)


@dataclass(frozen=True, slots=True)
class ClinicalSelection(Result):
    """Each step of the paper's clinical-variable selection."""

    univariate: tuple  # LogitResult per candidate
    multivariable: LogitResult | None
    retained: tuple
    candidates: tuple
    passed_univariate: tuple
    conf_level: float
    rule: str = ("univariate OR CI excludes 1 -> multivariable model -> retained if its "
                 "OR CI excludes 1")

    def to_dict(self) -> dict:
        return {"candidates": list(self.candidates),
                "passed_univariate": list(self.passed_univariate),
                "retained": list(self.retained), "conf_level": self.conf_level, "rule": self.rule,
                "univariate": [u.to_dict() for u in self.univariate],
                "multivariable": None if self.multivariable is None else
                self.multivariable.to_dict()}


def select_predictors(data: pd.DataFrame, outcome: str, candidates: Sequence[str], *,
                      conf_level: float = 0.95, ci: str = "wald", **kwargs: Any
                      ) -> ClinicalSelection:
    """The paper's rule (Sections 2.6 and 3.2) for clinical predictors, step by step.

    1. A univariate logistic model per candidate; candidates whose OR CI excludes 1
       (for a categorical candidate: any level's) pass.
    2. One multivariable model on the passing candidates.
    3. Retained: the passing candidates whose multivariable OR CI excludes 1.

    The paper retained drinking and platelet count. With no candidate passing step 1,
    ``multivariable`` is ``None`` and nothing is retained. A separated or
    non-converged model is reported (warning) and its candidate does not pass.
    """
    cands = [candidates] if isinstance(candidates, str) else list(candidates)
    uni = univariate_logit(data, outcome, cands, conf_level=conf_level, ci=ci, **kwargs)
    passed = tuple(c for c, r in zip(cands, uni) if r.converged and _excludes_one(r, c))
    multi = None
    retained: tuple = ()
    if passed:
        ref = kwargs.pop("reference", None) or {}
        ref = {k: v for k, v in ref.items() if k in passed} or None
        multi = logit(data, outcome, list(passed), conf_level=conf_level, ci=ci, reference=ref,
                      **kwargs)
        if multi.converged:
            retained = tuple(c for c in passed if _excludes_one(multi, c))
    return ClinicalSelection(uni, multi, retained, tuple(cands), passed,
                             check_conf_level(conf_level, "select_predictors"))


@dataclass(frozen=True, slots=True)
class TableTwo(Result):
    """The paper's Table 2: OR (95% CI) and P, univariate and multivariable, per term."""

    frame: pd.DataFrame
    conf_level: float

    def to_markdown(self) -> str:
        from tabulate import tabulate

        return tabulate(self.frame.to_numpy().tolist(), headers=list(self.frame.columns),
                        tablefmt="github", disable_numparse=True)

    def to_dict(self) -> dict:
        return {"conf_level": self.conf_level,
                "rows": json_safe(self.frame.to_dict(orient="records"))}


def table_two(selection: ClinicalSelection, *, digits: int = 2, p_digits: int = 2,
              labels: Mapping[str, str] | None = None) -> TableTwo:
    """Lay out :func:`select_predictors` as the paper's Table 2.

    Columns: ``Variable``, ``Univariate OR (95%CI)``, ``Univariate P``,
    ``Multivariate OR (95%CI)``, ``Multivariate P``; one row per term (a categorical
    candidate gives one row per non-reference level, labelled ``"column: level"``);
    multivariable cells are empty for candidates not carried forward. ORs as
    ``"1.56 (1.00, 2.42)"``; P below ``10^-p_digits`` as ``"<0.01"``, as printed in
    the paper.
    """
    from cetrus.stats.baseline import format_pvalue

    labels = dict(labels or {})
    pct = f"{100 * selection.conf_level:g}%CI"

    def fmt(t: LogitTerm) -> str:
        return f"{t.odds_ratio:.{digits}f} ({t.ci_low:.{digits}f}, {t.ci_high:.{digits}f})"

    rows = []
    for cand, uni in zip(selection.candidates, selection.univariate):
        for t in uni.terms[1:]:
            label = labels.get(cand, cand)
            if t.term != cand:
                label = f"{label}: {t.term[len(cand):]}"
            row = [label, fmt(t), format_pvalue(t.pvalue, p_digits), "", ""]
            if selection.multivariable is not None and cand in selection.passed_univariate:
                m = selection.multivariable.term(t.term)
                row[3:] = [fmt(m), format_pvalue(m.pvalue, p_digits)]
            rows.append(row)
    frame = pd.DataFrame(rows, columns=["Variable", f"Univariate OR ({pct})", "Univariate P",
                                        f"Multivariate OR ({pct})", "Multivariate P"])
    return TableTwo(frame, selection.conf_level)
