"""Logistic regression odds ratios (the paper's Table 2), equal to R's ``glm``.

=========================  ==================================================================
function                   R twin
=========================  ==================================================================
:func:`logit`              ``summary(glm(y ~ ..., family = binomial))`` at ``glm.control()``
                           defaults; Wald CI = ``confint.default``; ``ci="profile"`` =
                           ``confint(glm)`` (MASS's profile + spline, R 4.2);
                           ``ci="profile_exact"`` the exact profile roots;
                           ``fit="converged"`` the fully converged fit
:func:`univariate_logit`   one ``glm`` per predictor
:func:`select_predictors`  the paper's rule (Section 2.6 / 3.2): univariate CI of the OR
                           excluding 1 → multivariable model → retained if its CI excludes 1
:func:`table_two`          the paper's Table 2 layout
=========================  ==================================================================

The model is fitted by iteratively reweighted least squares (Newton–Raphson for the
canonical logit link; McCullagh & Nelder 1989, §4.4) exactly as R's ``glm.fit`` runs it
(:func:`_glm_fit`): the same start, QR solves, convergence rule
(``|ΔD| / (|D| + 0.1) < 1e-8``, 25 iterations) and ``summary.glm``'s covariance from the
last iteration's weights, so every printed number equals R's as R comes.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value, json_safe
from cetrus.errors import ConvergenceError, InputError, SeparationWarning, UndefinedStatisticWarning
from cetrus.stats._validation import binary_outcome, choice
from cetrus.stats._validation import conf_level as check_conf_level

INTERCEPT = "(Intercept)"
_MAXIT = 100
_EPS = 1e-12


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True, repr=False)
class LogitTerm(Result):
    """One coefficient: ``statistic`` is Wald's z; ``odds_ratio`` and the CI
    (``ci_low``/``ci_high``, odds-ratio scale) are per ``per`` units of the predictor
    (1 unless scaled).

    See Also
    --------
    logit, LogitResult.to_frame

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> fit = logit("y ~ x + g", data=d)
    >>> fit.term("x")
    LogitTerm(term='x', coef=0.6364, se=0.4033, statistic=1.578, pvalue=0.1146, odds_ratio=1.89, ci_low=0.8573, ci_high=4.165)
    """

    term: str
    coef: float
    se: float
    statistic: float
    pvalue: float
    odds_ratio: float
    ci_low: float
    ci_high: float
    per: float = 1.0


@dataclass(frozen=True, slots=True, repr=False)
class Encoding(Result):
    """How a predictor enters the design: numeric, or categorical with its levels.

    See Also
    --------
    logit

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> fit = logit("y ~ x + g", data=d)
    >>> fit.encodings[1]
    Encoding(predictor='g', kind='categorical', reference='a')
    """

    predictor: str
    kind: str  # "numeric" | "categorical"
    levels: tuple = ()
    reference: Any = None

    def columns(self, values: pd.Series) -> tuple[list[str], np.ndarray]:
        """Column names (R's: ``predictor + level``) and values of this predictor's
        columns of the model matrix."""
        if self.kind == "numeric":
            from cetrus.stats._validation import numeric_vector

            return [self.predictor], numeric_vector(values.to_numpy(), self.predictor)[:, None]
        arr = _logical_as_r(values).to_numpy()
        unknown = set(pd.unique(arr).tolist()) - set(self.levels)
        if unknown:
            raise InputError(
                f"predictor {self.predictor!r} has level(s) "
                f"{sorted(map(str, unknown))} not seen when the model was fitted "
                f"(levels: {list(self.levels)})."
            )
        others = [lv for lv in self.levels if lv != self.reference]
        names = [f"{self.predictor}{lv}" for lv in others]
        return names, np.column_stack([(arr == lv).astype(np.float64) for lv in others])


@dataclass(frozen=True, slots=True, repr=False)
class LogitResult(Result):
    """A fitted binary logistic regression (``glm(family = binomial)``).

    ``terms`` holds one :class:`LogitTerm` per coefficient, ``(Intercept)`` first;
    :meth:`to_frame` gives them as a table, :meth:`summary` the full report (both CI
    kinds and the fit statistics), ``str`` prints as R's ``print.glm``.

    See Also
    --------
    logit, LogitSummary

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> fit = logit("y ~ x + g", data=d)
    >>> fit
    LogitResult(formula='y ~ x + g', n=10, events=5, deviance=9.022, aic=15.02, converged=TRUE)
    >>> print(fit)  # as R's print(glm(y ~ x + g, binomial))  # doctest: +NORMALIZE_WHITESPACE
    Call:  glm(formula = y ~ x + g, family = binomial)
    <BLANKLINE>
    Coefficients:
    (Intercept)            x           gb
        -2.5989       0.6364      -1.6036
    <BLANKLINE>
    Degrees of Freedom: 9 Total (i.e. Null);  7 Residual
    Null Deviance:	    13.86
    Residual Deviance: 9.022 	AIC: 15.02
    """

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
    covariance: np.ndarray | None = field(default=None, repr=False)
    method: str = "logistic regression (IRLS), glm(family = binomial)"
    formula: str = ""  # the model as R's formula, e.g. "y ~ age + sex"
    model_matrix: np.ndarray | None = field(default=None, repr=False)  # X, intercept first
    response: np.ndarray | None = field(default=None, repr=False)  # 0/1 outcome
    fit: str = "glm"

    _headline: ClassVar[tuple[str, ...]] = (
        "formula",
        "n",
        "events",
        "deviance",
        "aic",
        "converged",
    )

    @property
    def coefficients(self) -> dict[str, float]:
        """term → coefficient, the intercept first as ``"(Intercept)"``."""
        return {t.term: t.coef for t in self.terms}

    @property
    def call(self) -> str:
        """The R call this fit equals, e.g. ``glm(y ~ age + sex, family = binomial)``."""
        return f"glm({self.formula}, family = binomial)"

    def term(self, name: str) -> LogitTerm:
        """The :class:`LogitTerm` named ``name`` (R's coefficient name)."""
        for t in self.terms:
            if t.term == name:
                return t
        raise InputError(f"no term {name!r} in the model (terms: {[t.term for t in self.terms]}).")

    def design(self, data: pd.DataFrame) -> np.ndarray:
        """The model matrix of ``data`` (intercept column first), as R's ``model.matrix``."""
        cols = [np.ones((len(data), 1))]
        for enc in self.encodings:
            if enc.predictor not in data.columns:
                raise InputError(
                    f"column {enc.predictor!r} (a model predictor) is not in the data."
                )
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

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table: one row per term (``term``, ``coef``, ``se``,
        ``statistic`` (z), ``pvalue``, ``odds_ratio``, ``ci_low``, ``ci_high`` (of the OR,
        by ``ci_method``), ``per``)."""
        return pd.DataFrame(
            [{f.name: getattr(t, f.name) for f in dataclasses.fields(t)} for t in self.terms]
        )

    def confint(self, method: str = "profile") -> pd.DataFrame:
        """Coefficient-scale CIs at ``conf_level``: R's ``confint(fit)`` (``"profile"``:
        MASS's ``profile.glm`` + spline, R 4.2) or ``confint.default(fit)``
        (``"wald"``); columns ``ci_low``/``ci_high``, one row per term.

        Examples
        --------
        >>> import pandas as pd
        >>> from cetrus.stats.logistic import logit
        >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1]})
        >>> print(logit("y ~ x", data=d).confint("wald").round(3))
                  term  ci_low  ci_high
        0  (Intercept)  -6.929    0.948
        1            x  -0.115    1.203
        """
        choice(method, ("wald", "profile"), "method", "LogitResult.confint")
        names = [t.term for t in self.terms]
        beta = np.array([t.coef for t in self.terms])
        se = np.array([t.se for t in self.terms])
        if method == "wald":
            from scipy.special import ndtri

            q = float(ndtri(1 - (1 - self.conf_level) / 2))
            lo, hi = beta - q * se, beta + q * se
        elif self.ci_method == "profile" and all(t.per == 1.0 for t in self.terms):
            lo = np.log([t.ci_low for t in self.terms])
            hi = np.log([t.ci_high for t in self.terms])
        else:
            if self.model_matrix is None:
                raise InputError(
                    "this LogitResult has no model matrix to profile; refit it "
                    "with logit(..., ci='profile')."
                )
            fitted = _Fit(
                beta, self.deviance, self.converged, self.iterations, self.model_matrix @ beta
            )
            with _one_blas_thread():
                lo, hi = _mass_profile_ci(
                    self.model_matrix, self.response, fitted, se, self.conf_level, names
                )
        return pd.DataFrame({"term": names, "ci_low": lo, "ci_high": hi})

    def summary(self) -> LogitSummary:
        """The full report in the spirit of statsmodels' ``summary()`` and R's
        ``summary(glm)``: coefficients with SE, z, p, Wald and profile CIs, odds
        ratios, and the fit statistics (deviance, null deviance, AIC, n, events,
        iterations), headed by the R call it equals."""
        wald = self.confint("wald")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UndefinedStatisticWarning)
                prof = self.confint("profile")
        except (ConvergenceError, InputError):
            prof = wald.assign(ci_low=np.nan, ci_high=np.nan)
        pct = f"{100 * self.conf_level:g}"
        t = self.to_frame()
        table = pd.DataFrame(
            {
                "term": t["term"],
                "coef": t["coef"],
                "se": t["se"],
                "z": t["statistic"],
                "pvalue": t["pvalue"],
                "wald_ci_low": wald["ci_low"],
                "wald_ci_high": wald["ci_high"],
                "profile_ci_low": prof["ci_low"],
                "profile_ci_high": prof["ci_high"],
                "odds_ratio": np.exp(t["coef"]),
                "or_wald_ci_low": np.exp(wald["ci_low"]),
                "or_wald_ci_high": np.exp(wald["ci_high"]),
                "or_profile_ci_low": np.exp(prof["ci_low"]),
                "or_profile_ci_high": np.exp(prof["ci_high"]),
            }
        )
        stats = {
            "n": self.n,
            "events": self.events,
            "deviance": self.deviance,
            "df_residual": self.n - len(self.terms),
            "null_deviance": self.null_deviance,
            "df_null": self.n - 1,
            "aic": self.aic,
            "iterations": self.iterations,
            "converged": self.converged,
            "conf_level": self.conf_level,
        }
        return LogitSummary(
            self.call, self.outcome, tuple(self.levels), table, stats, pct, self.separation
        )

    def _print_lines(self) -> list[str]:
        from cetrus.stats.groups import _r_format_common

        names = [t.term for t in self.terms]
        values = [v.strip() for v in _r_format_common([t.coef for t in self.terms], 4)]
        common = max(len(x) for x in names + values)  # print.default: one column width
        width = [common] * len(names)
        call = self.call.replace("glm(", "glm(formula = ", 1)
        line_n: list[str] = []
        line_v: list[str] = []
        out = [f"Call:  {call}", "", "Coefficients:"]
        for nm, v, w in zip(names, values, width):  # R wraps the named vector at 80
            if sum(len(x) + 2 for x in line_n) + w + 2 > 80:
                out += ["  ".join(line_n), "  ".join(line_v)]
                line_n, line_v = [], []
            line_n.append(nm.rjust(w))
            line_v.append(v.rjust(w))
        out += [
            "  ".join(line_n),
            "  ".join(line_v),
            "",
            f"Degrees of Freedom: {self.n - 1} Total (i.e. Null);  "
            f"{self.n - len(self.terms)} Residual",
            f"Null Deviance:\t    {format_value(self.null_deviance)} ",
            f"Residual Deviance: {format_value(self.deviance)} \tAIC: {format_value(self.aic)}",
        ]
        if not self.converged:
            out.append(
                "Warning: the fit did not converge"
                + (f" (separation by {', '.join(self.separation)})" if self.separation else "")
            )
        return out

    def to_dict(self) -> dict:
        out = {
            f: json_safe(getattr(self, f))
            for f in (
                "n",
                "events",
                "converged",
                "ci_method",
                "conf_level",
                "outcome",
                "predictors",
                "levels",
                "deviance",
                "null_deviance",
                "aic",
                "iterations",
                "separation",
                "method",
            )
        }
        out["terms"] = [t.to_dict() for t in self.terms]
        return out


@dataclass(frozen=True, slots=True, repr=False)
class LogitSummary(Result):
    """What :meth:`LogitResult.summary` returns: the coefficient ``table`` (coefficient
    scale and odds ratios, Wald and profile CIs) and the fit ``statistics``; ``str``
    prints it as text, notebooks show it as HTML.

    See Also
    --------
    LogitResult.summary

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> fit = logit("y ~ x + g", data=d)
    >>> s = fit.summary()
    >>> s
    LogitSummary(glm(y ~ x + g, family = binomial))
    >>> print(s.to_frame()[["term", "coef", "profile_ci_low", "profile_ci_high"]].round(3))
              term   coef  profile_ci_low  profile_ci_high
    0  (Intercept) -2.599          -8.223            0.859
    1            x  0.636           0.036            1.807
    2           gb -1.604          -6.460            1.677
    """

    call: str
    outcome: str
    levels: tuple
    table: pd.DataFrame
    statistics: dict
    percent: str
    separation: tuple = ()

    def __repr__(self) -> str:
        return f"LogitSummary({self.call})"

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.table.copy()

    def _print_lines(self) -> list[str]:
        s = self.statistics
        case = f" (case: {self.levels[1]!r})" if len(self.levels) == 2 else ""
        head = [
            f"Logistic regression  R: {self.call}",
            f"Outcome: {self.outcome}{case}   n = {s['n']}, events = {s['events']}",
            f"Null deviance:     {format_value(s['null_deviance'], 6)} on {s['df_null']} "
            "degrees of freedom",
            f"Residual deviance: {format_value(s['deviance'], 6)} on {s['df_residual']} "
            "degrees of freedom",
            f"AIC: {format_value(s['aic'], 6)}   Fisher scoring iterations: "
            f"{s['iterations']}   converged: {'yes' if s['converged'] else 'NO'}",
        ]
        if self.separation:
            head.append(f"(quasi-)complete separation by {', '.join(self.separation)}")
        t = self.table
        p = self.percent
        coef = pd.DataFrame(
            {
                "Estimate": t["coef"],
                "Std. Error": t["se"],
                "z value": t["z"],
                "Pr(>|z|)": t["pvalue"],
                f"Wald {p}% low": t["wald_ci_low"],
                f"Wald {p}% high": t["wald_ci_high"],
                f"Profile {p}% low": t["profile_ci_low"],
                f"Profile {p}% high": t["profile_ci_high"],
            }
        )
        coef.index = t["term"].tolist()
        ors = pd.DataFrame(
            {
                "OR": t["odds_ratio"],
                f"Wald {p}% low": t["or_wald_ci_low"],
                f"Wald {p}% high": t["or_wald_ci_high"],
                f"Profile {p}% low": t["or_profile_ci_low"],
                f"Profile {p}% high": t["or_profile_ci_high"],
            }
        )
        ors.index = t["term"].tolist()
        fmt = {c: (lambda v: format_value(float(v), 4)) for c in coef.columns}
        return head + [
            "",
            "Coefficients:",
            coef.to_string(formatters=fmt),
            "",
            "Odds ratios:",
            ors.iloc[1:].to_string(
                formatters={c: (lambda v: format_value(float(v), 4)) for c in ors.columns}
            ),
        ]

    def _repr_html_(self) -> str:
        import html

        s = self.statistics
        stats = html.escape(
            f"n = {s['n']}, events = {s['events']}, deviance = "
            f"{format_value(s['deviance'], 6)} (null {format_value(s['null_deviance'], 6)}), "
            f"AIC = {format_value(s['aic'], 6)}, iterations = {s['iterations']}"
        )
        table = self.table.to_html(escape=True, index=False, float_format=format_value, border=0)
        return (
            f"<div class='cetrus-result'><p><b>{html.escape(self.call)}</b></p>"
            f"<p>{stats}</p>{table}</div>"
        )


# --------------------------------------------------------------------------- fitting

_DBL_EPS = float(np.finfo(float).eps)
_THRESH = 30.0  # R's logit link clamps |eta| > 30 (family.c: THRESH / MTHRESH)


@dataclass
class _Fit:
    beta: np.ndarray
    deviance: float
    converged: bool
    iterations: int
    eta: np.ndarray
    cov: np.ndarray | None = None  # unscaled covariance (X'WX)^-1


def _deviance(y: np.ndarray, eta: np.ndarray) -> float:
    # −2 log L = 2 Σ log(1 + exp(−s·η)), s = ±1: stable for any η
    s = 2.0 * y - 1.0
    return float(2.0 * np.logaddexp(0.0, -s * eta).sum())


def _linkinv(eta: np.ndarray) -> np.ndarray:
    """R's ``binomial()$linkinv`` (C ``logit_linkinv``): ``e/(1+e)`` with ``e`` clamped."""
    e = np.exp(np.clip(eta, -_THRESH, _THRESH))
    e = np.where(eta < -_THRESH, _DBL_EPS, np.where(eta > _THRESH, 1.0 / _DBL_EPS, e))
    return e / (1.0 + e)


def _mu_eta(eta: np.ndarray) -> np.ndarray:
    """R's ``binomial()$mu.eta`` (C ``logit_mu_eta``): ``e/(1+e)^2``, DBL_EPSILON beyond ±30."""
    e = np.exp(np.clip(eta, -_THRESH, _THRESH))
    return np.where(np.abs(eta) > _THRESH, _DBL_EPS, e / ((1.0 + e) * (1.0 + e)))


def _dev_mu(y: np.ndarray, mu: np.ndarray) -> float:
    """``sum(binomial()$dev.resids(y, mu, 1))`` for 0/1 ``y``: ``2 Σ −log P(y_i)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(2.0 * -np.where(y > 0.5, np.log(mu), np.log1p(-mu)).sum())


def _wls(Xw: np.ndarray, zw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least squares by Householder QR (as R's ``Cdqrls``): coefficients and ``R``."""
    from scipy.linalg import solve_triangular

    q, r = np.linalg.qr(Xw)
    return solve_triangular(r, q.T @ zw), r


def _unscaled_cov(r: np.ndarray) -> np.ndarray:
    """``chol2inv(R)`` = ``(RᵀR)⁻¹`` = ``(XᵀWX)⁻¹`` from the QR factor (``summary.glm``)."""
    from scipy.linalg import solve_triangular

    rinv = solve_triangular(r, np.eye(r.shape[0]))
    return rinv @ rinv.T


def _glm_fit(
    X: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray | None = None,
    etastart: np.ndarray | None = None,
    *,
    epsilon: float = 1e-8,
    maxit: int = 25,
) -> _Fit:
    """IRLS exactly as R's ``glm.fit`` (stats 4.2) for ``binomial(link = "logit")``.

    Start ``μ = (y + 0.5)/2`` (``binomial()$initialize``) or ``η = etastart``; each
    iteration solves the weighted least squares of the working response
    ``z = η − offset + (y − μ)/μ'(η)`` with weights ``μ'(η)²/V(μ)`` by QR; stop when
    ``|D − D_old| / (|D| + 0.1) < epsilon`` (``glm.control()``: 1e-8, ``maxit`` 25);
    halve the step while the deviance is not finite. The covariance is
    ``summary.glm``'s: ``chol2inv`` of the QR of the *last* iteration, whose weights
    come from the previous coefficients (so it is one step behind the returned
    coefficients, as R reports it).
    """
    n, k = X.shape
    off = np.zeros(n) if offset is None else offset
    if etastart is None:
        mu = (y + 0.5) / 2.0
        eta = np.log(mu / (1.0 - mu))
    else:
        eta = np.asarray(etastart, dtype=np.float64)
    mu = _linkinv(eta)
    if k == 0:
        eta = off.copy()
        return _Fit(np.zeros(0), _dev_mu(y, _linkinv(eta)), True, 0, eta, np.zeros((0, 0)))
    devold = _dev_mu(y, mu)
    coefold = None
    beta = np.zeros(k)
    r: np.ndarray | None = None
    converged = False
    it = 0
    for it in range(1, maxit + 1):  # noqa: B007 (read after the loop: iterations)
        me = _mu_eta(eta)
        z = (eta - off) + (y - mu) / me
        w = np.sqrt(me * me / (mu * (1.0 - mu)))
        beta, r = _wls(X * w[:, None], z * w)
        eta = X @ beta + off
        mu = _linkinv(eta)
        dev = _dev_mu(y, mu)
        if not math.isfinite(dev):
            if coefold is None:
                raise ConvergenceError(
                    "glm: no valid set of coefficients has been found; "
                    "please supply starting values"
                )
            for _ in range(maxit):
                beta = (beta + coefold) / 2.0
                eta = X @ beta + off
                mu = _linkinv(eta)
                dev = _dev_mu(y, mu)
                if math.isfinite(dev):
                    break
            else:
                raise ConvergenceError("glm: inner loop 1; cannot correct step size")
        if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        devold = dev
        coefold = beta
    assert r is not None  # maxit >= 1: the loop ran and solved at least once
    return _Fit(beta, dev, converged, it, eta, _unscaled_cov(r))


def _irls(
    X: np.ndarray,
    y: np.ndarray,
    offset: np.ndarray | None = None,
    beta0: np.ndarray | None = None,
    *,
    maxit: int = _MAXIT,
    tol: float = _EPS,
) -> _Fit:
    """IRLS to full convergence (``fit="converged"``, exact profile roots): start
    ``μ = (y + 0.5)/2`` as ``glm.fit``, relative deviance change below 1e-12, step
    halving whenever the deviance rises.

    Kept rather than statsmodels' ``GLM(Binomial()).fit()``: statsmodels' IRLS has no
    step halving, and the constrained fits of profiling (an offset, a start far from
    the optimum) then stop short — tried: the exact profile roots moved by up to 1.1
    on MASS's Pima.tr and birthwt, against 1e-6 with this loop.
    """
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
    res = linprog(
        -A.sum(axis=0),
        A_ub=-A,
        b_ub=np.zeros(len(y)),
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    if res.status != 0 or res.fun is None or res.x is None or -res.fun <= 1e-7 * len(y):
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
    res = linprog(
        -A.sum(axis=0),
        A_ub=-A,
        b_ub=np.zeros(len(y)),
        bounds=[(-1.0, 1.0)] * X.shape[1],
        method="highs",
    )
    return res.status == 0 and res.fun is not None and -res.fun > 1e-7 * len(y)


def _fmm_coef(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cubic spline through ``(x, y)`` with Forsythe, Malcolm & Moler's end conditions.

    The end slopes' third derivatives match those of the cubics through the first and
    last four points (Forsythe, Malcolm & Moler 1977, §4.4, subroutine SPLINE): R's
    ``spline(method = "fmm")``, its default. Returns ``b, c, d`` with
    ``s(u) = y_i + b_i h + c_i h² + d_i h³``, ``h = u − x_i``.
    """
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 2:
        return b, c, d
    if n < 3:
        b[:] = (y[1] - y[0]) / (x[1] - x[0])
        return b, c, d
    h = np.diff(x)
    slope = np.diff(y) / h
    # tridiagonal system for σ_i (= s''(x_i)/6): diagonal, off-diagonal h, rhs Δslope
    diag = np.empty(n)
    rhs = np.empty(n)
    diag[1:-1] = 2.0 * (h[:-1] + h[1:])
    rhs[1:-1] = slope[1:] - slope[:-1]
    diag[0], diag[-1] = -h[0], -h[-1]
    rhs[0] = rhs[-1] = 0.0
    if n > 3:
        r0 = rhs[2] / (x[3] - x[1]) - rhs[1] / (x[2] - x[0])
        rn = rhs[n - 2] / (x[n - 1] - x[n - 3]) - rhs[n - 3] / (x[n - 2] - x[n - 4])
        rhs[0] = r0 * h[0] * h[0] / (x[3] - x[0])
        rhs[-1] = -rn * h[-1] * h[-1] / (x[n - 1] - x[n - 4])
    off = h  # off-diagonal between i and i+1
    for i in range(1, n):  # forward elimination
        t = off[i - 1] / diag[i - 1]
        diag[i] -= t * off[i - 1]
        rhs[i] -= t * rhs[i - 1]
    sigma = np.empty(n)
    sigma[-1] = rhs[-1] / diag[-1]
    for i in range(n - 2, -1, -1):  # back substitution
        sigma[i] = (rhs[i] - off[i] * sigma[i + 1]) / diag[i]
    b[:-1] = slope - h * (sigma[1:] + 2.0 * sigma[:-1])
    b[-1] = slope[-1] + h[-1] * (sigma[-2] + 2.0 * sigma[-1])
    d[:-1] = (sigma[1:] - sigma[:-1]) / h
    d[-1] = d[-2]
    c[:] = 3.0 * sigma
    return b, c, d


def _regularize(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's ``regularize.values(x, y, mean)``: sort by ``x`` (stably), average tied ``x``."""
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if np.any(np.diff(x) < 0):
        o = np.argsort(x, kind="stable")
        x, y = x[o], y[o]
    ux, first, counts = np.unique(x, return_index=True, return_counts=True)
    if len(ux) < len(x):
        y = np.add.reduceat(y, first) / counts
        x = ux
    return x, y


def _spline(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """R's ``spline(x, y)``: the FMM spline evaluated at ``3·length(x)`` equispaced points."""
    x, y = _regularize(np.asarray(x, float), np.asarray(y, float))
    n_out = 3 * len(x)
    b, c, d = _fmm_coef(x, y)
    u = x[0] + np.arange(n_out) * ((x[-1] - x[0]) / (n_out - 1))
    u[-1] = x[-1]
    i = np.clip(np.searchsorted(x, u, side="right") - 1, 0, len(x) - 1)
    h = u - x[i]
    return u, y[i] + h * (b[i] + h * (c[i] + h * d[i]))


def _approx(x: np.ndarray, y: np.ndarray, v: float) -> float:
    """R's ``approx(x, y, xout = v)$y``: linear interpolation, ``NA`` (nan) outside."""
    x, y = _regularize(np.asarray(x, float), np.asarray(y, float))
    if len(x) == 0 or not x[0] <= v <= x[-1]:
        return float("nan")
    j = int(np.searchsorted(x, v, side="left"))
    if x[j] == v:
        return float(y[j])
    i = j - 1
    return float(y[i] + (y[j] - y[i]) * ((v - x[i]) / (x[j] - x[i])))


def _mass_profile_ci(
    X, y, fit: _Fit, se: np.ndarray, cl: float, names
) -> tuple[np.ndarray, np.ndarray]:
    """``confint(glm)`` as R 4.2 computes it (``MASS``'s ``profile.glm`` +
    ``confint.profile.glm``, MASS 7.3-58).

    For each coefficient and each direction the coefficient is fixed at
    ``β̂_j ± s·δ·SE_j``, ``s = 1, …, 9`` (``δ = z_max/5``,
    ``z_max = √χ²₁(1 − (1 − level)/4)``), stopping once the signed root deviance
    ``z = ±√(D_j − D̂)`` reaches ``z_max``; every constrained fit is ``glm.fit`` at its
    defaults started from the previous linear predictor. The points ``(β_j, z)`` are
    interpolated by R's default spline (FMM, ``3·n`` points) and the CI limits are
    where that spline crosses ``qnorm((1 ∓ level)/2)``, by linear interpolation
    (Venables & Ripley 2002, §8.4). An unreached limit is ``nan`` (R: ``NA``).
    """
    from scipy.special import ndtri
    from scipy.stats import chi2

    k = X.shape[1]
    alpha = (1.0 - cl) / 4.0
    zmax = math.sqrt(float(chi2.isf(alpha, 1)))
    delta = zmax / 5.0
    a = (1.0 - cl) / 2.0
    cutoff = (float(ndtri(a)), float(ndtri(1.0 - a)))
    lo, hi = np.full(k, np.nan), np.full(k, np.nan)
    lp0 = X @ fit.beta
    for j in range(k):
        others = np.delete(np.arange(k), j)
        Xi = X[:, others]
        zs, bs = [0.0], [float(fit.beta[j])]
        for sgn in (-1.0, 1.0):
            step, z, lp = 0, 0.0, lp0
            while (step := step + 1) < 10 and abs(z) < zmax:
                bj = fit.beta[j] + sgn * step * delta * se[j]
                o = X[:, j] * bj
                fm = _glm_fit(Xi, y, o, lp)
                lp = Xi @ fm.beta + o
                zz = fm.deviance - fit.deviance
                if zz <= -0.001:
                    raise ConvergenceError(
                        f"profiling {names[j]!r} found a better solution, so the original fit "
                        "had not converged (as MASS's profile.glm stops)"
                    )
                z = sgn * math.sqrt(max(zz, 0.0))
                zs.append(z)
                bs.append(float(bj))
        o = np.argsort(zs, kind="stable")
        sx, sy = _spline(np.asarray(bs)[o], np.asarray(zs)[o])
        lo[j], hi[j] = (_approx(sy, sx, c) for c in cutoff)
        if np.isnan(lo[j]) or np.isnan(hi[j]):
            warnings.warn(
                f"profile CI of {names[j]!r}: the profile does not reach the "
                "confidence limit (NA in R's confint); set to nan",
                UndefinedStatisticWarning,
                stacklevel=3,
            )
    return lo, hi


# --------------------------------------------------------------------------- input


def _is_logical(s: pd.Series) -> bool:
    if s.dtype.kind == "b" or str(s.dtype) == "boolean":
        return True
    return (
        s.dtype.kind == "O"
        and len(s) > 0
        and all(isinstance(v, (bool, np.bool_)) for v in s.dropna().tolist())
        and bool(s.notna().any())
    )


def _logical_as_r(s: pd.Series) -> pd.Series:
    """A logical (boolean) column spelled as R spells its factor levels: "FALSE"/"TRUE"."""
    if not _is_logical(s):
        return s
    return s.map(lambda v: v if pd.isna(v) else ("TRUE" if bool(v) else "FALSE")).astype(object)


def _encode(data: pd.DataFrame, predictor: str, reference: Any) -> Encoding:
    s = _logical_as_r(data[predictor])
    if isinstance(reference, (bool, np.bool_)) and s.dtype.kind == "O":
        reference = "TRUE" if reference else "FALSE"
    if isinstance(s.dtype, pd.CategoricalDtype) or s.dtype.kind in "OSUb":
        from cetrus.stats._validation import _level_key

        if isinstance(s.dtype, pd.CategoricalDtype):
            levels = [c for c in s.cat.categories if (s == c).any()]
        else:
            levels = sorted(pd.unique(s).tolist(), key=_level_key)
        if len(levels) < 2:
            raise InputError(
                f"predictor {predictor!r} is constant ({levels[0]!r}); it cannot be estimated."
            )
        ref = levels[0]
        if reference is not None:
            match = [lv for lv in levels if lv == reference or str(lv) == str(reference)]
            if not match:
                raise InputError(
                    f"reference level {reference!r} does not occur in predictor "
                    f"{predictor!r} (levels: {levels})."
                )
            ref = match[0]
        return Encoding(predictor, "categorical", tuple(levels), ref)
    if s.dtype.kind not in "iuf":
        raise InputError(f"predictor {predictor!r} must be numeric or categorical. Got {s.dtype}.")
    if reference is not None:
        raise InputError(
            f"a reference level was given for numeric predictor {predictor!r}; "
            "convert it to a categorical column first."
        )
    v = s.to_numpy()
    if v.size == 0 or not (v != v[0]).any():
        raise InputError(
            f"predictor {predictor!r} is constant ({s.iloc[0]!r}); it cannot be estimated."
        )
    return Encoding(predictor, "numeric")


def _prepare(data, outcome, predictors, positive, reference, func):
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    if isinstance(predictors, str):
        predictors = [predictors]
    predictors = list(predictors)
    if not predictors:
        raise InputError(f"The 'predictors' parameter of {func} must name at least one column.")
    if len(set(predictors)) != len(predictors):
        raise InputError(
            f"The 'predictors' parameter of {func} lists a column twice: {predictors}."
        )
    for col in [outcome, *predictors]:
        if col not in data.columns:
            avail = ", ".join(map(str, list(data.columns)[:12]))
            raise InputError(f"column {col!r} is not in the data (columns: {avail}).")
    if outcome in predictors:
        raise InputError(f"the outcome {outcome!r} cannot also be a predictor.")
    for col in predictors:
        miss = data[col].isna()
        if miss.any():
            raise InputError(
                f"column {col!r} has {int(miss.sum())} missing value(s) (first at row "
                f"{int(np.flatnonzero(miss.to_numpy())[0])}); drop or impute them first."
            )
    coded = binary_outcome(data[outcome], outcome, positive=positive)
    refs = dict(reference or {}) if not isinstance(reference, str) else {}
    if isinstance(reference, str):
        raise InputError(
            f"The 'reference' parameter of {func} must be a dict predictor → level. "
            f"Got {reference!r} instead."
        )
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
    spec = (
        scale
        if isinstance(scale, Mapping)
        else {e.predictor: scale for e in encodings if e.kind == "numeric"}
    )
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
            raise InputError(
                f"The 'scale' for {pred!r} must be 'unit', 'sd', 'iqr' or a "
                f"positive number. Got {how!r} instead."
            )
        out[pred] = per
    return out


# --------------------------------------------------------------------------- formulas

_FORMULA_HELP = (
    "a formula term must be a column or C(column) / C(column, Treatment(level)); "
    "compute transformed or interaction columns first"
)


def _model_spec(
    formula: Any, outcome: Any, predictors: Any, data: Any, reference: Any, func: str
) -> tuple[pd.DataFrame, str, list[str], Any, str]:
    """(data, outcome, predictors, reference, R formula) from either calling form."""
    if isinstance(formula, str):
        if outcome is not None or predictors is not None:
            raise InputError(
                f"{func}: give either a formula or outcome= and predictors=, not both."
            )
        if not isinstance(data, pd.DataFrame):
            raise InputError(
                f"The 'data' parameter of {func} must be a pandas DataFrame when "
                f"a formula is given. Got {type(data).__name__} instead."
            )
        outcome, predictors, refs = _parse_formula(formula, data, func)
        clash = set(refs) & set(dict(reference or {}))
        if clash:
            raise InputError(
                f"{func}: the reference level of {sorted(clash)} is given both in "
                "the formula and in reference=."
            )
        reference = {**dict(reference or {}), **refs} or None
    else:
        if formula is not None:
            if data is not None:
                raise InputError(f"{func}: the data are given twice (positionally and as data=).")
            data = formula
        if outcome is None or predictors is None:
            raise InputError(
                f"{func} needs a formula (e.g. logit('y ~ x + z', data=df)) or "
                "the outcome and predictors column names."
            )
    preds = [predictors] if isinstance(predictors, str) else list(predictors)
    return data, outcome, preds, reference, f"{outcome} ~ {' + '.join(map(str, preds))}"


def _parse_formula(
    formula: str, data: pd.DataFrame, func: str
) -> tuple[str, list[str], dict[str, Any]]:
    """Outcome, predictor columns and reference levels of an R-style formula.

    formulaic parses the formula and evaluates ``C(...)`` and its contrasts on the data;
    its :class:`ModelSpec` tells which data column each term uses and, for factors,
    the reference (``base``) of the treatment contrasts. The model matrix itself is
    then built by :func:`_prepare` as for the column API, so both forms give the same
    numbers and R's term names.
    """
    try:
        from formulaic import Formula, model_matrix
        from formulaic.parser.types import Factor
        from formulaic.transforms.contrasts import TreatmentContrasts
        from formulaic.utils.sentinels import UNSET
    except ImportError as exc:  # pragma: no cover - formulaic is a required dependency
        raise ImportError(
            f"{func} with a formula requires formulaic (pip install formulaic)"
        ) from exc
    try:
        parsed = Formula(formula)
        lhs, rhs = parsed.lhs, parsed.rhs
    except Exception as exc:  # formulaic's parser errors have several types
        raise InputError(f"{func}: cannot parse the formula {formula!r} ({exc}).") from None
    lhs_terms = list(lhs)
    if (
        len(lhs_terms) != 1
        or len(lhs_terms[0].factors) != 1
        or lhs_terms[0].factors[0].eval_method != Factor.EvalMethod.LOOKUP
    ):
        raise InputError(f"{func}: the left side of {formula!r} must be one outcome column.")
    outcome = str(lhs_terms[0].factors[0].expr)
    terms = list(rhs)
    if not any(str(t) == "1" for t in terms):
        raise InputError(f"{func}: models without an intercept are not supported ({formula!r}).")
    columns = set(map(str, data.columns))
    for t in terms:
        for fac in t.factors:
            if fac.eval_method == Factor.EvalMethod.LOOKUP and fac.expr not in columns:
                raise InputError(
                    f"column {fac.expr!r} (in the formula) is not in the data "
                    f"(columns: {', '.join(list(columns)[:12])})."
                )
    try:
        spec = model_matrix(rhs, data, na_action="ignore").model_spec
    except Exception as exc:
        raise InputError(
            f"{func}: cannot evaluate the formula {formula!r} on the data ({exc})."
        ) from None
    contrasts = {str(k): v for k, v in spec.factor_contrasts.items()}
    data_vars = set(spec.variables_by_source.get("data", set()))
    predictors, refs = [], {}
    for t in terms:
        if str(t) == "1":
            continue
        if len(t.factors) != 1:
            raise InputError(f"{func}: term {str(t)!r} is an interaction; {_FORMULA_HELP}.")
        fac = t.factors[0]
        if fac.eval_method == Factor.EvalMethod.LOOKUP:
            predictors.append(str(fac.expr))
            continue
        used = [str(v) for v in spec.term_variables[t] if str(v) in data_vars]
        state = contrasts.get(str(fac.expr))
        if not str(fac.expr).startswith("C(") or len(used) != 1 or state is None:
            raise InputError(f"{func}: term {str(t)!r} is not supported; {_FORMULA_HELP}.")
        if not isinstance(state.contrasts, TreatmentContrasts):
            raise InputError(
                f"{func}: term {str(t)!r} uses {type(state.contrasts).__name__}; "
                "only treatment (dummy) coding gives R's default odds ratios."
            )
        column = used[0]
        if not _is_logical(data[column]) and data[column].dtype.kind in "iuf":
            raise InputError(
                f"{func}: C() of the numeric column {column!r} is not supported; "
                "convert it to strings (categories) first."
            )
        predictors.append(column)
        base = state.contrasts.base
        if base is not UNSET:
            refs[column] = (
                ("TRUE" if base else "FALSE") if isinstance(base, (bool, np.bool_)) else base
            )
    return outcome, predictors, refs


# --------------------------------------------------------------------------- public API

FITS = ("glm", "converged")
CIS = ("wald", "profile", "profile_exact")


def logit(
    formula: str | pd.DataFrame | None = None,
    outcome: str | None = None,
    predictors: Sequence[str] | str | None = None,
    *,
    data: pd.DataFrame | None = None,
    ci: str = "wald",
    conf_level: float = 0.95,
    positive: Any = None,
    reference: Mapping[str, Any] | None = None,
    scale: Any = None,
    on_separation: str = "warn",
    fit: str = "glm",
) -> LogitResult:
    r"""Fit a binary logistic regression and report odds ratios, as R's ``glm``.

    Two equivalent ways to name the model (same numbers):
    ``logit("y ~ age + C(sex, Treatment('Female'))", data=df)`` (a formula, parsed by
    `formulaic <https://matthewwardrop.github.io/formulaic/>`_), or
    ``logit(df, "y", ["age", "sex"], reference={"sex": "Female"})`` (the DataFrame
    and column names; also ``logit(data=df, outcome=..., predictors=...)``).

    Parameters
    ----------
    formula : str, optional
        ``"outcome ~ term + term ..."``. A term is a column (numeric columns enter
        as they are; string, boolean and categorical columns as dummies, as R) or
        ``C(column)`` / ``C(column, Treatment(level))`` (a factor with ``level`` as
        its reference, R's ``relevel``). Term names are R's: ``(Intercept)``,
        ``sexMale``, ``ptdTRUE``. Interactions, transformations (``np.log(x)``,
        ``I(x**2)``) and models without intercept are not supported (an error says
        so); compute such columns first. For the old positional form this argument
        is the DataFrame.
    outcome : str
        Two-level outcome; the case level is ``positive`` or the larger sorted level.
    predictors : list of str
        Numeric columns enter as they are; string/boolean/categorical columns as
        dummies against a reference level (the first sorted level, as R's
        ``factor``, unless ``reference={column: level}``), named ``column + level``
        as R does (e.g. ``"education6-11yrs"``). Logical (boolean) columns have R's
        levels ``"FALSE"``/``"TRUE"`` (dummy ``ptdTRUE``; ``reference={"ptd": "FALSE"}``).
    ci : {"wald", "profile", "profile_exact"}
        ``"wald"``: :math:`\hat\beta \pm z_{1-\alpha/2}\,\mathrm{SE}` (R's
        ``confint.default``). ``"profile"``: R's ``confint(glm)`` (MASS's
        ``profile.glm`` + ``confint.profile.glm``): the signed root profile deviance
        sampled on a grid of steps and interpolated by a spline (see
        :func:`_mass_profile_ci`). ``"profile_exact"``: the two exact roots of
        :math:`D_j(b) - D_{\min} = \chi^2_{1,1-\alpha}` where :math:`D_j(b)` is the
        deviance minimised over the other coefficients with :math:`\beta_j = b`
        (Venables & Ripley 2002, §8.4), found to ~1e-10 by Brent's method; MASS's
        spline differs from them by up to ~1e-3.
    data : DataFrame
        The data (keyword; required with a formula).
    conf_level : float
    scale : None, "unit", "sd", "iqr", number, or dict predictor → one of these
        Report each numeric predictor's OR per that many units (``"sd"``: its
        standard deviation; ``"iqr"``: 75th − 25th percentile as ``rms::summary``'s
        default). The coefficient and its SE stay per unit; ``per`` records the factor.
    on_separation : {"warn", "raise"}
        What to do when the data are (quasi-)completely separated or the fit does not
        converge: return the last iterate marked ``converged=False`` with a
        :class:`SeparationWarning` naming the terms, or raise :class:`ConvergenceError`.
    fit : {"glm", "converged"}
        ``"glm"`` (default): R's ``glm.fit`` at ``glm.control()`` defaults (IRLS from
        ``μ = (y + 0.5)/2``, stop when ``|ΔD|/(|D| + 0.1) < 1e-8``, at most 25
        iterations), with ``summary.glm``'s covariance from the weights of the last
        iteration, one step behind the returned coefficients: coefficients, SE, z, p
        and CIs equal ``summary(glm(family = binomial))`` to rounding.
        ``"converged"``: IRLS run to full convergence (``|ΔD|/(|D| + 0.1) < 1e-12``,
        100 iterations, step halving) with the covariance at the final coefficients,
        the limit R approaches with ``glm.control(epsilon = 1e-14)``; R's default
        stops up to a Newton step earlier (SEs differ by ~1e-5 relative).

    Returns
    -------
    LogitResult
        ``terms`` (intercept first as ``"(Intercept)"``) with coefficient, SE, Wald
        z (``statistic``), two-sided p :math:`2\Phi(-|z|)`, OR = :math:`e^{\beta\cdot per}`
        and its CI.

    Notes
    -----
    Missing values, an unknown column, a constant predictor or a non-binary outcome
    raise :class:`InputError`. When the fit shows signs of separation (no
    convergence, a fitted probability within 1e-6 of 0 or 1, or a linear predictor
    beyond ±30) separation is confirmed by linear programming before the numbers are
    trusted (Konis 2007), so a diverging coefficient is never returned silently. The
    paper (Section 3.2, Table 2) reports such ORs per unit, with Wald CIs
    (statsmodels' default).

    The fit is our port of R's ``glm.fit`` (:func:`_glm_fit`) rather than
    statsmodels' IRLS: R's start, stopping rule and ``summary.glm``'s one-step-behind
    covariance are what make SE, z, p and the profile CIs equal R's printed values
    (statsmodels converges further and differs by ~1e-5 relative in the SEs).

    See Also
    --------
    univariate_logit : one model per predictor.
    select_predictors : the paper's selection rule.
    cetrus.stats.nomogram.nomogram : draw the fitted model.

    References
    ----------
    McCullagh, P. & Nelder, J. A. (1989). *Generalized Linear Models*, 2nd ed., §4.4;
    Venables, W. N. & Ripley, B. D. (2002). *Modern Applied Statistics with S*, §8.4.
    R: ``summary(glm(y ~ ..., family = binomial))``, ``confint.default``,
    ``confint`` (MASS's ``profile.glm``).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"age": rng.normal(60, 10, 200).round(),
    ...                   "sex": rng.choice(["Female", "Male"], 200)})
    >>> d["y"] = (rng.random(200) < 1 / (1 + np.exp(-(d.age - 60) / 10))).astype(int)
    >>> fit = logit("y ~ age + C(sex, Treatment('Female'))", data=d)
    >>> [t.term for t in fit.terms]
    ['(Intercept)', 'age', 'sexMale']
    >>> same = logit(d, "y", ["age", "sex"], reference={"sex": "Female"})
    >>> bool(np.allclose(fit.to_frame().coef, same.to_frame().coef, rtol=0, atol=0))
    True
    >>> fit.call
    'glm(y ~ age + sex, family = binomial)'
    >>> print(fit.to_frame()[["term", "odds_ratio", "ci_low", "ci_high"]].round(3))
              term  odds_ratio  ci_low  ci_high
    0  (Intercept)       0.000   0.000    0.005
    1          age       1.142   1.092    1.195
    2      sexMale       1.069   0.569    2.008
    """
    func = "logit"
    data, outcome, predictors, reference, formula_text = _model_spec(
        formula, outcome, predictors, data, reference, func
    )
    choice(ci, CIS, "ci", func)
    choice(on_separation, ("warn", "raise"), "on_separation", func)
    choice(fit, FITS, "fit", func)
    cl = check_conf_level(conf_level, func)
    coded, encodings, names, X, predictors = _prepare(
        data, outcome, predictors, positive, reference, func
    )
    y = coded.is_case.astype(np.float64)
    with _one_blas_thread():
        if np.linalg.matrix_rank(X) < X.shape[1]:
            raise InputError(
                f"the predictors {predictors} are linearly dependent (collinear "
                "design); drop one of them."
            )
        if fit == "glm":
            res = _glm_fit(X, y)
            assert res.cov is not None  # _glm_fit always returns summary.glm's covariance
            cov = res.cov
            maxit = 25
        else:
            res = _irls(X, y)
            cov = _covariance(X, res.eta)
            maxit = _MAXIT
        mu = _linkinv(res.eta)
        suspicious = (
            not res.converged
            or np.abs(res.eta).max() > _THRESH
            or np.minimum(mu, 1.0 - mu).min() < 1e-6
        )
        separated = _separation(X, y, names) if suspicious else ()
        converged = res.converged and not separated
        if not converged:
            what = (
                f"(quasi-)complete separation by {', '.join(separated)}"
                if separated
                else f"IRLS did not converge in {maxit} iterations"
            )
            message = (
                f"logistic model of {outcome!r} on {', '.join(predictors)}: {what}; "
                "the maximum-likelihood estimates do not exist (coefficients diverge). "
                "Diagnose with a cross-table of the outcome by the named predictor(s)."
            )
            if on_separation == "raise":
                raise ConvergenceError(message)
            warnings.warn(message, SeparationWarning, stacklevel=2)
        se = np.sqrt(np.diag(cov))
        from scipy.special import ndtr, ndtri

        z = res.beta / se
        p = 2.0 * ndtr(-np.abs(z))
        q = float(ndtri(1 - (1 - cl) / 2))
        if ci == "wald":
            lo, hi = res.beta - q * se, res.beta + q * se
        elif ci == "profile":
            lo, hi = _mass_profile_ci(X, y, res, se, cl, names)
        else:
            lo, hi = _profile_ci(X, y, res, se, q * q, names)
    per = _scale_factors(data, encodings, names, scale)
    terms = []
    with np.errstate(over="ignore"):  # a diverging (separated) coefficient gives OR = inf
        odds = [
            (
                np.exp(res.beta[j] * per.get(n, 1.0)),
                np.exp(lo[j] * per.get(n, 1.0)),
                np.exp(hi[j] * per.get(n, 1.0)),
            )
            for j, n in enumerate(names)
        ]
    for j, name in enumerate(names):
        k = per.get(name, 1.0)
        odds_ratio, or_low, or_high = odds[j]
        terms.append(
            LogitTerm(
                name,
                float(res.beta[j]),
                float(se[j]),
                float(z[j]),
                float(p[j]),
                float(odds_ratio),
                float(or_low),
                float(or_high),
                k,
            )
        )
    # R: null deviance of the intercept-only model, from the weighted mean of y (glm.fit)
    null = _dev_mu(y, np.full(len(y), y.mean()))
    method = (
        "logistic regression (IRLS), glm(family = binomial)"
        if fit == "glm"
        else "logistic regression (IRLS to full convergence), glm(family = binomial, "
        "control = glm.control(epsilon = 1e-14))"
    )
    return LogitResult(
        tuple(terms),
        int(len(y)),
        coded.n_cases,
        bool(converged),
        ci,
        cl,
        outcome,
        tuple(predictors),
        tuple(coded.levels),
        encodings,
        res.deviance,
        null,
        res.deviance + 2 * X.shape[1],
        res.iterations,
        separated,
        cov,
        method,
        formula_text,
        X,
        y,
        fit,
    )


_CONTROLLER = None


def _one_blas_thread():
    """Limit BLAS to one thread: the matrices here are small, and threads only add overhead
    (measured: a two-thread OpenBLAS made profile CIs ~30x slower). The controller, which
    scans the loaded libraries, is built once."""
    global _CONTROLLER
    if _CONTROLLER is None:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


def _profile_ci(X, y, fit, se, crit, names) -> tuple[np.ndarray, np.ndarray]:
    """Exact profile CI (``ci="profile_exact"``): both roots of ``D_j(b) − D_min = crit``
    for every coefficient (Brent's method), ``D_min`` the fully converged deviance."""
    from scipy.optimize import brentq

    full = _irls(X, y, beta0=fit.beta)
    fit = full

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
                warnings.warn(
                    f"profile CI bound of {names[j]!r} not found: the profile "
                    "deviance stays flat (separation?); bound set to ±inf",
                    UndefinedStatisticWarning,
                    stacklevel=3,
                )
                out[j] = side * math.inf
                continue
            a, b_ = sorted((inner, outer))
            out[j] = brentq(excess, a, b_, xtol=1e-12, rtol=1e-14, maxiter=200)
    return lo, hi


@dataclass(frozen=True, slots=True, repr=False)
class LrmFit(Result):
    """Coefficients and −2 log L of :func:`lrm_fit`.

    See Also
    --------
    lrm_fit
    """

    beta: np.ndarray
    deviance: float
    converged: bool


def _lrm_deviance_score_info(X: np.ndarray, y: np.ndarray, beta: np.ndarray):
    """−2 log L, score and information of a binary logistic model as rms's Fortran
    ``lrmfit``/``llogit`` computes them: each linear predictor clamped to ±30."""
    from scipy.special import expit

    prob = expit(np.clip(X @ beta, -30.0, 30.0))
    dev = -2.0 * float(np.sum(np.where(y > 0, np.log(prob), np.log1p(-prob))))
    score = X.T @ (y - prob)
    info = (X * (prob * (1 - prob))[:, None]).T @ X
    return dev, score, info


def lrm_fit(X: np.ndarray, y: np.ndarray, *, eps: float = 0.025, maxit: int = 12) -> LrmFit:
    """A binary logistic fit as ``rms::lrm.fit(x, y)`` makes it at its defaults.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.logistic import lrm_fit
    >>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    >>> y = np.array([0, 0, 1, 0, 0, 1, 0, 1, 1, 1.0])
    >>> fit = lrm_fit(np.column_stack([np.ones(10), x]), y)
    >>> fit.converged, np.round(fit.beta, 3).tolist()
    (True, [-2.99, 0.544])

    See Also
    --------
    logit : R's ``glm``, the paper's models.

    References
    ----------
    Harrell, F. E. (2015). *Regression Modeling Strategies*, 2nd ed.
    R: ``rms::lrm.fit(x, y)`` (rms 6.5-0).

    ``X`` holds the intercept column first. Used where rms is the R twin:
    ``rms::val.prob``'s recalibration and the model of ``rms::nomogram``.

    rms 6.5-0's Newton–Raphson (Fortran ``lrmfit``): start at the intercept
    ``qlogis(mean(y))`` and slope 0; each iteration evaluates −2 log L, the score and the
    information at the current estimate, halves the last step while −2 log L got worse,
    otherwise takes the full Newton step, and stops once −2 log L changed by at most
    ``eps`` (0.025) since the previous iteration — after taking that step, so the
    estimate is one step past the last change measured — or when the score is below
    1e-9; at most ``maxit − 1`` steps (else not converged). A fully converged fit
    differs by ~1e-5 relative (more on a nearly separated fit), which rms's printed
    coefficients, ``val.prob``'s intercept and slope and a nomogram's scale would show.
    """
    rate = float(np.mean(y))
    beta = np.zeros(X.shape[1])
    beta[0] = math.log(rate / (1 - rate))
    delta = np.zeros_like(beta)
    old, step = 1e30, 1.0
    for it in range(1, maxit):
        dev, score, info = _lrm_deviance_score_info(X, y, beta)
        if np.max(np.abs(score)) < 1e-9 and abs(dev - old) < 0.1 * eps:
            return LrmFit(beta, dev, True)
        if dev > old:
            if it == 1:
                break
            step /= 2.0
            beta = beta - step * delta
            continue
        step = 1.0
        delta = np.linalg.solve(info, score)
        beta = beta + delta
        if abs(old - dev) <= eps:
            return LrmFit(beta, _lrm_deviance_score_info(X, y, beta)[0], True)
        old = dev
    return LrmFit(beta, _lrm_deviance_score_info(X, y, beta)[0], False)


def univariate_logit(
    formula: str | pd.DataFrame | None = None,
    outcome: str | None = None,
    predictors: Sequence[str] | str | None = None,
    *,
    data: pd.DataFrame | None = None,
    **kwargs: Any,
) -> tuple[LogitResult, ...]:
    """One :func:`logit` per predictor (the univariate column of Table 2).

    Parameters
    ----------
    formula, outcome, predictors, data
        As :func:`logit`: ``univariate_logit("y ~ a + C(b, Treatment('x'))", data=df)``
        fits ``y ~ a`` and ``y ~ C(b, Treatment('x'))``; or the DataFrame and column
        names.
    **kwargs
        Options of :func:`logit` (``ci``, ``conf_level``, ``reference``, ...).

    Returns
    -------
    tuple of LogitResult
        One per predictor, in order.

    See Also
    --------
    logit, select_predictors

    References
    ----------
    R: ``lapply(predictors, function(p) glm(reformulate(p, "y"), family = binomial))``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cetrus.stats.logistic import univariate_logit
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"age": rng.normal(60, 10, 200).round(),
    ...                   "sex": rng.choice(["Female", "Male"], 200)})
    >>> d["y"] = (rng.random(200) < 1 / (1 + np.exp(-(d.age - 60) / 10))).astype(int)
    >>> [f.call for f in univariate_logit("y ~ age + sex", data=d)]
    ['glm(y ~ age, family = binomial)', 'glm(y ~ sex, family = binomial)']
    """
    data, outcome, predictors, ref, _ = _model_spec(
        formula, outcome, predictors, data, kwargs.pop("reference", None), "univariate_logit"
    )
    ref = ref or {}
    return tuple(
        logit(data, outcome, [p], reference={p: ref[p]} if p in ref else None, **kwargs)
        for p in predictors
    )


# --------------------------------------------------------------------------- the paper's rule


def _excludes_one(result: LogitResult, predictor: str) -> bool:
    """Any term of ``predictor`` whose OR CI lies entirely above or below 1."""
    enc = next(e for e in result.encodings if e.predictor == predictor)
    names = (
        [predictor]
        if enc.kind == "numeric"
        else [f"{predictor}{lv}" for lv in enc.levels if lv != enc.reference]
    )
    return any(t.ci_low > 1.0 or t.ci_high < 1.0 for t in result.terms if t.term in names)


@dataclass(frozen=True, slots=True, repr=False)
class ClinicalSelection(Result):
    """Each step of the paper's clinical-variable selection.

    See Also
    --------
    select_predictors, table_two

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.logistic import logit
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                   "y": [0, 0, 1, 0, 0, 1, 0, 1, 1, 1], "g": list("abababbaba")})
    >>> fit = logit("y ~ x + g", data=d)
    >>> from cetrus.stats.logistic import select_predictors
    >>> select_predictors("y ~ x + g", data=d)
    ClinicalSelection(candidates=['x', 'g'], passed_univariate=[], retained=[])
    """

    univariate: tuple  # LogitResult per candidate
    multivariable: LogitResult | None
    retained: tuple
    candidates: tuple
    passed_univariate: tuple
    conf_level: float
    rule: str = (
        "univariate OR CI excludes 1 -> multivariable model -> retained if its OR CI excludes 1"
    )

    _headline: ClassVar[tuple[str, ...]] = ("candidates", "passed_univariate", "retained")

    def __repr__(self) -> str:
        return (
            f"ClinicalSelection(candidates={list(self.candidates)}, "
            f"passed_univariate={list(self.passed_univariate)}, "
            f"retained={list(self.retained)})"
        )

    def _print_lines(self) -> list[str]:
        return [
            f"Clinical predictor selection ({self.rule})",
            f"candidates:        {', '.join(self.candidates)}",
            f"passed univariate: {', '.join(self.passed_univariate) or '(none)'}",
            f"retained:          {', '.join(self.retained) or '(none)'}",
            "",
            *table_two(self)._print_lines()[2:],
        ]

    def to_frame(self) -> pd.DataFrame:
        """Table 2 of this selection (see :func:`table_two`)."""
        return table_two(self).to_frame()

    def to_dict(self) -> dict:
        return {
            "candidates": list(self.candidates),
            "passed_univariate": list(self.passed_univariate),
            "retained": list(self.retained),
            "conf_level": self.conf_level,
            "rule": self.rule,
            "univariate": [u.to_dict() for u in self.univariate],
            "multivariable": None if self.multivariable is None else self.multivariable.to_dict(),
        }


def select_predictors(
    formula: str | pd.DataFrame | None = None,
    outcome: str | None = None,
    candidates: Sequence[str] | str | None = None,
    *,
    data: pd.DataFrame | None = None,
    conf_level: float = 0.95,
    ci: str = "wald",
    **kwargs: Any,
) -> ClinicalSelection:
    """The paper's rule (Sections 2.6 and 3.2) for clinical predictors, step by step.

    1. A univariate logistic model per candidate; candidates whose OR CI excludes 1
       (for a categorical candidate: any level's) pass.
    2. One multivariable model on the passing candidates.
    3. Retained: the passing candidates whose multivariable OR CI excludes 1.

    The paper retained drinking and platelet count. With no candidate passing step 1,
    ``multivariable`` is ``None`` and nothing is retained. A separated or
    non-converged model is reported (warning) and its candidate does not pass.

    Parameters
    ----------
    formula, outcome, candidates, data
        The candidates as a formula (``"y ~ a + b + C(c, Treatment('x'))"``, with
        ``data=``) or the DataFrame, outcome and candidate column names.
    conf_level : float, default 0.95
    ci : {"wald", "profile", "profile_exact"}
        The CI that decides "excludes 1" (see :func:`logit`).
    **kwargs
        Other options of :func:`logit`.

    Returns
    -------
    ClinicalSelection

    See Also
    --------
    table_two : lays the selection out as the paper's Table 2.

    References
    ----------
    R: univariate then multivariable ``glm(family = binomial)`` with ``confint.default``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from cetrus.stats.logistic import select_predictors, table_two
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame({"age": rng.normal(60, 10, 200).round(),
    ...                   "sex": rng.choice(["Female", "Male"], 200)})
    >>> d["y"] = (rng.random(200) < 1 / (1 + np.exp(-(d.age - 60) / 10))).astype(int)
    >>> sel = select_predictors("y ~ age + sex", data=d)
    >>> sel.passed_univariate, sel.retained
    (('age',), ('age',))
    >>> print(table_two(sel).to_frame().iloc[:, :3].to_string(index=False))
     Variable Univariate OR (95%CI) Univariate P
          age     1.14 (1.09, 1.19)        <0.01
    sex: Male     0.88 (0.50, 1.53)         0.65
    """
    data, outcome, candidates, ref, _ = _model_spec(
        formula, outcome, candidates, data, kwargs.pop("reference", None), "select_predictors"
    )
    if ref:
        kwargs["reference"] = ref
    cands = [candidates] if isinstance(candidates, str) else list(candidates)
    uni = univariate_logit(data, outcome, cands, conf_level=conf_level, ci=ci, **kwargs)
    passed = tuple(c for c, r in zip(cands, uni) if r.converged and _excludes_one(r, c))
    multi = None
    retained: tuple = ()
    if passed:
        ref = kwargs.pop("reference", None) or {}
        ref = {k: v for k, v in ref.items() if k in passed} or None
        multi = logit(
            data, outcome, list(passed), conf_level=conf_level, ci=ci, reference=ref, **kwargs
        )
        if multi.converged:
            retained = tuple(c for c in passed if _excludes_one(multi, c))
    return ClinicalSelection(
        uni,
        multi,
        retained,
        tuple(cands),
        passed,
        check_conf_level(conf_level, "select_predictors"),
    )


@dataclass(frozen=True, slots=True, repr=False)
class TableTwo(Result):
    """The paper's Table 2: OR (95% CI) and P, univariate and multivariable, per term.

    :meth:`to_frame` gives the table; ``frame`` is the same table as stored (kept
    for old code; use :meth:`to_frame`).

    See Also
    --------
    table_two, select_predictors
    """

    frame: pd.DataFrame
    conf_level: float

    _headline: ClassVar[tuple[str, ...]] = ("conf_level",)

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (a copy)."""
        return self.frame.copy()

    def _print_lines(self) -> list[str]:
        return [
            "Table 2: odds ratios, univariate and multivariable",
            "",
            self.frame.to_string(index=False),
        ]

    def to_markdown(self) -> str:
        from tabulate import tabulate

        return tabulate(
            self.frame.to_numpy().tolist(),
            headers=list(self.frame.columns),
            tablefmt="github",
            disable_numparse=True,
        )

    def to_dict(self) -> dict:
        return {
            "conf_level": self.conf_level,
            "rows": json_safe(self.frame.to_dict(orient="records")),
        }


def table_two(
    selection: ClinicalSelection,
    *,
    digits: int = 2,
    p_digits: int = 2,
    labels: Mapping[str, str] | None = None,
) -> TableTwo:
    """Lay out :func:`select_predictors` as the paper's Table 2.

    Columns: ``Variable``, ``Univariate OR (95%CI)``, ``Univariate P``,
    ``Multivariate OR (95%CI)``, ``Multivariate P``; one row per term (a categorical
    candidate gives one row per non-reference level, labelled ``"column: level"``);
    multivariable cells are empty for candidates not carried forward. ORs as
    ``"1.56 (1.00, 2.42)"``; P below ``10^-p_digits`` as ``"<0.01"``, as printed in
    the paper.

    Parameters
    ----------
    selection : ClinicalSelection
    digits, p_digits : int
        Decimals of the ORs and of P.
    labels : dict column → label, optional

    Returns
    -------
    TableTwo
        ``to_frame()`` is the table.

    See Also
    --------
    select_predictors

    References
    ----------
    The paper's Table 2; R: ``exp(cbind(coef(f), confint.default(f)))`` per model.

    Examples
    --------
    See :func:`select_predictors`.
    """
    from cetrus.stats.tableone import format_pvalue

    labels = dict(labels or {})
    pct = f"{100 * selection.conf_level:g}%CI"

    def fmt(t: LogitTerm) -> str:
        return f"{t.odds_ratio:.{digits}f} ({t.ci_low:.{digits}f}, {t.ci_high:.{digits}f})"

    rows = []
    for cand, uni in zip(selection.candidates, selection.univariate):
        for t in uni.terms[1:]:
            label = labels.get(cand, cand)
            if t.term != cand:
                label = f"{label}: {t.term[len(cand) :]}"
            row = [label, fmt(t), format_pvalue(t.pvalue, p_digits), "", ""]
            if selection.multivariable is not None and cand in selection.passed_univariate:
                m = selection.multivariable.term(t.term)
                row[3:] = [fmt(m), format_pvalue(m.pvalue, p_digits)]
            rows.append(row)
    frame = pd.DataFrame(
        rows,
        columns=[
            "Variable",
            f"Univariate OR ({pct})",
            "Univariate P",
            f"Multivariate OR ({pct})",
            "Multivariate P",
        ],
    )
    return TableTwo(frame, selection.conf_level)
