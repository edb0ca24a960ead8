r"""The LASSO logistic path, computed by glmnet's own Fortran with R's conventions.

LASSO objective (Friedman, Hastie & Tibshirani 2010, *J Stat Softw* 33(1), eq. 12 with
:math:`\alpha = 1`): on standardised columns :math:`z_{ij} = (x_{ij} - \bar x_j)/s_j`
(:math:`s_j` the *population* standard deviation, as glmnet's ``standardize = TRUE``)

.. math::
    \min_{\beta_0,\beta}\; -\frac1n\sum_i \bigl[y_i\eta_i - \log(1 + e^{\eta_i})\bigr]
    + \lambda \sum_j |\beta_j|, \qquad \eta_i = \beta_0 + z_i^\top\beta,

intercept unpenalised; coefficients are reported on the original scale
(:math:`\beta_j/s_j`, :math:`\beta_0 - \sum_j \beta_j \bar x_j / s_j`).

The path is computed by **glmnet's own Fortran** (``lognet``, shipped by PyPI's
``python-glmnet``, GPL-2 like R's glmnet), called with the arguments R's wrapper
passes, so it is R's answer *at R's defaults* — including glmnet's approximate
stopping rule (``thresh = 1e-7``), its default lambda sequence (``nlambda = 100``
down to ``lambda.min.ratio`` 0.01 when ``n < p``, else 1e-4), its early stop (after
at least 5 values, when the deviance ratio exceeds 0.999 or grows by less than 1e-5)
and its treatment of constant columns (coefficient 0). The exact optimum is the
same engine at a tiny ``thresh`` (e.g. ``1e-20``).

(Until issue 10, cetrus solved the objective itself, exactly, by proximal Newton steps;
that solver disagreed with R at R's default ``thresh`` by up to 9e-4 on coefficients
(another path length on some data). It is retired: the Fortran gives R's answer.)

=======================  ===============================================================
name                     R twin (glmnet 4.1-6)
=======================  ===============================================================
:func:`lasso_path`       ``glmnet(X, y, family = "binomial", lambda = …)``
:class:`LassoPath`       the ``lognet``/``glmnet`` object; ``print`` as ``print.glmnet``
:func:`default_lambdas`  glmnet's default ``lambda`` sequence rule
:data:`THRESH`, `MAXIT`  ``glmnet.control()``'s ``thresh`` and ``maxit`` defaults
=======================  ===============================================================

Cross-validation (``cv.glmnet``) is :mod:`cetrus.stats.lasso_cv`; the radiomics score
made of the chosen coefficients is :mod:`cetrus.stats.radscore`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import ConvergenceError, ConvergenceWarning, InputError
from cetrus.stats._features import columns_for, feature_matrix, lasso_outcome, resolve_xy

__all__ = ["THRESH", "MAXIT", "LassoPath", "default_lambdas", "lasso_path"]

#: glmnet.control()'s ``big`` (R replaces infinite coefficient limits by ±big).
_BIG = 9.9e35
#: glmnet's documented default convergence threshold and iteration limit.
THRESH = 1e-7
MAXIT = 100_000


# =========================================================================== glmnet's engine


@dataclass(frozen=True, slots=True)
class _Fit:
    lambdas: np.ndarray
    a0: np.ndarray
    beta: np.ndarray
    dev_ratio: np.ndarray
    nulldev: float


def _lognet(
    arr: np.ndarray,
    yv: np.ndarray,
    ulam: np.ndarray | None,
    nlambda: int,
    lambda_min_ratio: float | None,
    standardize: bool,
    thresh: float,
    maxit: int,
) -> _Fit:
    """One call of glmnet's Fortran ``lognet`` as R's ``glmnet(family = "binomial")`` makes it.

    Arguments as R 4.1-6's ``glmnet``/``lognet`` pass them (``alpha = 1``, no
    weights/offset/exclusions, ``penalty.factor = 1``, limits ±``big``, ``dfmax =
    nvars + 1``, ``pmax = nvars``, ``type.logistic = "Newton"``); the response
    matrix is ``cbind(case, control)`` (R's ``y[, c(2, 1)]``: the Fortran models the
    first column, so ``a0``/``beta`` come out for the case level with no sign flip).
    The Fortran overwrites ``x``, ``y`` and the offset, so each call gets fresh copies.
    For the default sequence the first lambda (the Fortran's ``big``) is reported
    as ``exp(2 log λ2 − log λ3)`` (R's ``fix.lam``).
    """
    from glmnet import _glmnet

    n, p = arr.shape
    x = np.array(arr, dtype=np.float64, order="F", copy=True)
    y2 = np.empty((n, 2), dtype=np.float64, order="F")
    y2[:, 0] = yv
    y2[:, 1] = 1.0 - yv
    offset = np.zeros((n, 2), dtype=np.float64, order="F")
    jd = np.zeros(1, dtype=np.int32)
    vp = np.ones(p, dtype=np.float64)
    cl = np.empty((2, p), dtype=np.float64, order="F")
    cl[0], cl[1] = -_BIG, _BIG
    if ulam is None:
        flmin = (0.01 if n < p else 1e-4) if lambda_min_ratio is None else float(lambda_min_ratio)
        if not 0.0 < flmin < 1.0:  # R: "lambda.min.ratio should be less than 1"
            raise InputError(
                f"'lambda_min_ratio' must be in (0, 1). Got {lambda_min_ratio!r} instead."
            )
        ul = np.zeros(int(nlambda), dtype=np.float64)
    else:
        flmin = 1.0
        ul = np.array(ulam, dtype=np.float64, copy=True)
    lmu, a0, ca, ia, nin, dev0, dev, alm, _nlp, jerr = _glmnet.lognet(
        1.0,
        1,
        x,
        y2,
        offset,
        jd,
        vp,
        cl,
        p,
        flmin,
        ul,
        float(thresh),
        ne=p + 1,
        nlam=ul.size,
        isd=int(bool(standardize)),
        intr=1,
        maxit=int(maxit),
        kopt=0,
    )
    if jerr > 0:
        if jerr == 7777:
            raise InputError("every feature column is constant: the LASSO has nothing to fit.")
        if 8000 < jerr < 10000:
            raise InputError(
                "one outcome class has probability below 1e-5 (glmnet's "
                f"error {jerr}): too few cases or controls for the LASSO."
            )
        raise ConvergenceError(f"glmnet's lognet failed (error code {jerr}).")  # pragma: no cover
    if jerr < 0:
        k = -jerr if jerr > -10000 else -jerr - 10000
        what = (
            "did not converge in maxit={maxit} iterations"
            if jerr > -10000
            else "exceeded pmax non-zero coefficients"
        ).format(maxit=maxit)
        warnings.warn(
            f"glmnet {what} at lambda number {k}; the path stops before it "
            f"(as R's glmnet, which warns the same).",
            ConvergenceWarning,
            stacklevel=3,
        )
    lmu = int(lmu)
    if lmu < 1:  # pragma: no cover - only with a convergence failure at the first lambda
        raise ConvergenceError("glmnet returned an empty path (no lambda converged).")
    lam = np.array(alm[:lmu], dtype=np.float64)
    if ulam is None and lmu > 2:  # R's fix.lam
        lam[0] = math.exp(2.0 * math.log(lam[1]) - math.log(lam[2]))
    beta = np.zeros((p, lmu))
    nin = np.asarray(nin[:lmu])
    kmax = int(nin.max(initial=0))
    if kmax:
        idx = np.asarray(ia[:kmax]) - 1
        block = np.asarray(ca[:kmax, 0, :lmu])
        # column l holds the first nin[l] entries; the rest of the block is not defined
        mask = np.arange(kmax)[:, None] < nin[None, :]
        beta[idx] = np.where(mask, block, 0.0)
    return _Fit(
        lambdas=lam,
        a0=np.array(a0[0, :lmu], dtype=np.float64),
        beta=beta,
        dev_ratio=np.array(dev[:lmu], dtype=np.float64),
        nulldev=float(dev0[0]),
    )


def _lambda_max(arr: np.ndarray, yv: np.ndarray, standardize: bool) -> float:
    """The smallest lambda with an all-zero path: ``max_j |x̃_jᵀ(y − ȳ)| / n`` over the
    non-constant columns, ``x̃`` centred (and scaled by the population sd when
    ``standardize``), as glmnet computes its first lambda."""
    c = arr - arr.mean(axis=0)
    g = np.abs(c.T @ (yv - yv.mean())) / arr.shape[0]
    usable = np.ptp(arr, axis=0) > 0
    if standardize:
        sd = np.sqrt(np.einsum("ij,ij->j", c, c) / arr.shape[0])
        g = g / np.where(usable, sd, 1.0)
    return float(np.max(g[usable], initial=0.0))


def _interp_coefficients(
    path_lambdas: np.ndarray, a0: np.ndarray, B: np.ndarray, s: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients at ``s`` by linear interpolation in lambda (glmnet's ``lambda.interp``,
    what ``predict(fit, s = …)`` does between the path's lambdas)."""
    k = path_lambdas.size
    if k == 1:
        return np.repeat(a0[:1], s.size), np.repeat(B[:, :1], s.size, axis=1)
    span = path_lambdas[0] - path_lambdas[-1]
    lam_n = (path_lambdas[0] - path_lambdas) / span
    sfrac = np.clip((path_lambdas[0] - s) / span, lam_n.min(), lam_n.max())
    coord = np.interp(sfrac, lam_n, np.arange(k, dtype=np.float64))
    left = np.floor(coord).astype(int)
    right = np.ceil(coord).astype(int)
    denom = lam_n[left] - lam_n[right]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (sfrac - lam_n[right]) / denom
    frac = np.where((left == right) | (np.abs(denom) < np.finfo(float).eps), 1.0, frac)
    a = a0[left] * frac + a0[right] * (1.0 - frac)
    b = B[:, left] * frac + B[:, right] * (1.0 - frac)
    return a, b


# =========================================================================== result


@dataclass(frozen=True, slots=True, repr=False)
class LassoPath(Result):
    """LASSO logistic coefficients along a decreasing ``lambdas`` sequence (glmnet's ``glmnet``).

    Attributes
    ----------
    lambdas : numpy.ndarray
        The penalties, decreasing (glmnet's ``lambda``).
    intercept : numpy.ndarray
        Intercept at each lambda (glmnet's ``a0``).
    coef : numpy.ndarray
        ``(n_features, n_lambdas)`` coefficients on the original scale (glmnet's ``beta``).
    features : tuple of str
        Feature names, in column order.
    dev_ratio : numpy.ndarray
        Fraction of the null deviance explained (glmnet's ``dev.ratio``).
    null_deviance : float
        glmnet's ``nulldev``.
    lambda_max : float
        The smallest lambda at which every coefficient is 0.
    n, n_cases : int
        Rows and cases.
    standardize : bool
        glmnet's ``standardize``.
    method : str
        How it was computed.

    See Also
    --------
    lasso_path : what builds it.
    cetrus.stats.lasso_cv.LassoCV : its cross-validation.

    Notes
    -----
    ``print(path)`` lays the path out as R's ``print.glmnet`` (``Df``, ``%Dev``,
    ``Lambda``); :meth:`to_frame` gives the same table as a DataFrame.

    References
    ----------
    .. [1] R: ``glmnet::glmnet``, ``print.glmnet``, ``coef.glmnet``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(80, 4))
    >>> y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    >>> path = lasso_path(X, y, lambdas=[0.1, 0.05, 0.01])
    >>> path
    LassoPath(n=80, n_cases=35, n_features=4, n_lambdas=3, lambda_max=0.3152, standardize=TRUE)
    >>> print(path)
    Call:  glmnet(x, y, family = "binomial", lambda = <3 values>)
    <BLANKLINE>
       Df   %Dev Lambda
    1   1  31.37   0.10
    2   1  36.41   0.05
    3   3  39.20   0.01
    >>> {k: round(v, 3) for k, v in path.coefficients(2).items()}
    {'(Intercept)': -0.189, 'x0': 2.262, 'x1': -0.105, 'x2': -0.087, 'x3': 0.0}
    """

    lambdas: np.ndarray
    intercept: np.ndarray
    coef: np.ndarray
    features: tuple[str, ...]
    dev_ratio: np.ndarray
    null_deviance: float
    lambda_max: float
    n: int
    n_cases: int
    standardize: bool
    method: str
    call: str = 'glmnet(x, y, family = "binomial")'

    _headline: ClassVar[tuple[str, ...]] = (
        "n",
        "n_cases",
        "n_features",
        "n_lambdas",
        "lambda_max",
        "standardize",
    )

    @property
    def n_features(self) -> int:
        """Number of feature columns."""
        return len(self.features)

    @property
    def n_lambdas(self) -> int:
        """Length of the path (glmnet may stop its default sequence early)."""
        return int(self.lambdas.size)

    @property
    def nzero(self) -> np.ndarray:
        """Number of non-zero coefficients at each lambda (glmnet's ``df``)."""
        return (self.coef != 0).sum(axis=0)

    def coefficients(self, index: int) -> dict[str, float]:
        """``{"(Intercept)": a0, feature: coef, …}`` at ``lambdas[index]`` (``coef(fit)[, index]``)."""
        out = {"(Intercept)": float(self.intercept[index])}
        out.update({f: float(c) for f, c in zip(self.features, self.coef[:, index])})
        return out

    def linear_predictor(self, X: Any) -> np.ndarray:
        """``(n_rows, n_lambdas)`` linear predictors (glmnet's ``predict(type = "link")``)."""
        arr = columns_for(X, self.features)
        return arr @ self.coef + self.intercept

    def to_frame(self) -> pd.DataFrame:
        """One row per lambda: ``lambda``, ``df`` (non-zero coefficients), ``dev_ratio``,
        ``intercept`` (``print.glmnet``'s table, unrounded)."""
        return pd.DataFrame(
            {
                "lambda": self.lambdas,
                "df": self.nzero,
                "dev_ratio": self.dev_ratio,
                "intercept": self.intercept,
            }
        )

    def _print_lines(self) -> list[str]:
        # print.glmnet: Df, %Dev = round(dev.ratio * 100, 2), Lambda = signif(lambda, 4)
        table = pd.DataFrame(
            {
                "Df": self.nzero,
                "%Dev": [f"{v:.2f}" for v in np.round(self.dev_ratio * 100, 2)],
                "Lambda": _signif_column(self.lambdas),
            },
            index=range(1, self.n_lambdas + 1),
        )
        return [f"Call:  {self.call}", "", *table.to_string().splitlines()]


def _signif_column(values: np.ndarray, digits: int = 4) -> list[str]:
    """A column as R prints ``signif(x, digits)`` in a data frame: one common number of
    decimals, enough for every value's ``digits`` significant digits (R's ``format``)."""
    vals = np.asarray(values, dtype=float)
    finite = vals[np.isfinite(vals) & (vals != 0)]
    if finite.size == 0:
        return [format_value(float(v), digits) for v in vals]
    rounded = np.array([float(f"{v:.{digits}g}") for v in vals])
    if np.abs(finite).max() >= 1e15 or np.abs(finite).min() < 1e-4:
        return [f"{v:.{digits - 1}e}" for v in rounded]
    decimals = 0
    for v in rounded[np.isfinite(rounded) & (rounded != 0)]:
        text = f"{v:.15g}"
        if "." in text and "e" not in text:
            decimals = max(decimals, len(text.split(".")[1]))
    return [f"{v:.{decimals}f}" for v in rounded]


# =========================================================================== public API


def default_lambdas(
    lambda_max: float, n: int, p: int, *, nlambda: int = 100, lambda_min_ratio: float | None = None
) -> np.ndarray:
    """glmnet's default sequence: ``nlambda`` log-spaced values from ``lambda_max``.

    Parameters
    ----------
    lambda_max : float
        The first (largest) lambda, e.g. :attr:`LassoPath.lambda_max`.
    n, p : int
        Rows and features (they choose the default ratio).
    nlambda : int, keyword-only
        Length of the sequence (glmnet's ``nlambda``, default 100).
    lambda_min_ratio : float, keyword-only, optional
        Smallest / largest lambda (glmnet's ``lambda.min.ratio``); default 0.01 when
        ``n < p``, else 1e-4.

    Returns
    -------
    numpy.ndarray
        The decreasing sequence.

    See Also
    --------
    lasso_path : lets glmnet's Fortran build (and stop early) this sequence.

    Notes
    -----
    The Fortran floors the ratio at ``eps = 1e-6``; so does this function. It states
    the rule; :func:`lasso_path` does not call it.

    References
    ----------
    .. [1] R: the ``lambda.min.ratio`` and ``nlambda`` arguments of ``glmnet::glmnet``.

    Examples
    --------
    >>> default_lambdas(2.0, n=50, p=100, nlambda=3)
    array([2.  , 0.2 , 0.02])
    """
    ratio = (0.01 if n < p else 1e-4) if lambda_min_ratio is None else float(lambda_min_ratio)
    ratio = max(ratio, 1e-6)
    if nlambda == 1:
        return np.array([lambda_max])
    return lambda_max * ratio ** (np.arange(nlambda) / (nlambda - 1))


def lasso_path(
    X: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: Any = None,
    features: Sequence[Any] | None = None,
    lambdas: Sequence[float] | None = None,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    thresh: float = THRESH,
    maxit: int = MAXIT,
    positive: Any = None,
) -> LassoPath:
    """LASSO logistic regression path, computed by glmnet's own Fortran (``lognet``).

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
        Feature columns of ``data`` (default: every column but ``outcome``).
    lambdas : sequence of float, keyword-only, optional
        The penalties; sorted decreasing, as glmnet does. Default: glmnet's sequence
        (``nlambda``, ``lambda_min_ratio``), which glmnet stops early once the deviance
        ratio exceeds 0.999 or gains less than 1e-5 (after 5 values).
    nlambda, lambda_min_ratio : keyword-only
        glmnet's ``nlambda`` (100) and ``lambda.min.ratio`` (see :func:`default_lambdas`).
    standardize : bool, keyword-only
        As glmnet's ``standardize`` (default ``True``, the paper's setting).
    thresh, maxit : keyword-only
        glmnet's convergence threshold and pass limit (R's defaults ``1e-7`` and ``1e5``).
        glmnet stops when no coefficient's weighted squared change exceeds ``thresh``
        times the null deviance, so its answer at the default is an approximation
        (~1e-4 relative on small coefficients); ``thresh = 1e-20`` gives the exact
        optimum to ~1e-9.
    positive : keyword-only, optional
        The case level of the outcome.

    Returns
    -------
    LassoPath
        Equal to ``glmnet(X, y, family = "binomial", lambda = lambdas, thresh = thresh)``'s
        ``lambda``, ``a0``, ``beta``, ``dev.ratio`` and ``nulldev`` (R glmnet 4.1-6; the
        same Fortran, ~1e-12 in ``validation/cases/selection.py``).

    See Also
    --------
    cetrus.stats.lasso_cv.cv_lasso : cross-validation of the path (``cv.glmnet``).
    cetrus.stats.selection.select_features : the paper's selection around it.

    Notes
    -----
    Minimised by glmnet's coordinate descent inside a Newton (IRLS) loop — own wrapper
    code rather than a Python LASSO (scikit-learn's ``LogisticRegression(penalty="l1")``
    has another objective scaling, no unpenalised-intercept path and another stopping
    rule, so it does not give R's numbers). The Fortran comes from PyPI's
    ``python-glmnet`` (GPL-2, as R's glmnet). Edge cases: constant columns get
    coefficient 0; all columns constant, or fewer than 2 cases or controls:
    :class:`~cetrus.errors.InputError`; a lambda that does not converge in ``maxit``
    passes ends the path there with a :class:`~cetrus.errors.ConvergenceWarning` (as R).

    References
    ----------
    .. [1] Friedman J, Hastie T, Tibshirani R (2010). Regularization paths for
       generalized linear models via coordinate descent. *J Stat Softw* 33(1):1–22.
    .. [2] R: ``glmnet::glmnet(x, y, family = "binomial")``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame(rng.normal(size=(80, 3)), columns=["a", "b", "c"])
    >>> d["y"] = (d["a"] + rng.normal(size=80) > 0).astype(int)
    >>> path = lasso_path(data=d, outcome="y")
    >>> path.n_lambdas, int(path.nzero[-1])
    (54, 2)
    >>> round(float(path.lambda_max), 4)
    0.243
    """
    X, y = resolve_xy(X, y, data, outcome, features, "lasso_path")
    arr, names = feature_matrix(X)
    yv = lasso_outcome(y, arr.shape[0], positive)
    return _fit_path(arr, names, yv, lambdas, nlambda, lambda_min_ratio, standardize, thresh, maxit)


def _check_control(thresh: float, maxit: int, func: str) -> None:
    """Check glmnet's ``thresh`` and ``maxit``."""
    if not (isinstance(thresh, (int, float)) and 0.0 < float(thresh) < 1.0):
        raise InputError(
            f"The 'thresh' parameter of {func} must be a number in (0, 1). Got {thresh!r} instead."
        )
    if not isinstance(maxit, (int, np.integer)) or maxit < 1:
        raise InputError(
            f"The 'maxit' parameter of {func} must be a positive integer. Got {maxit!r} instead."
        )


def _fit_path(
    arr: np.ndarray,
    names: tuple[str, ...],
    yv: np.ndarray,
    lambdas: Sequence[float] | None,
    nlambda: int,
    lambda_min_ratio: float | None,
    standardize: bool,
    thresh: float = THRESH,
    maxit: int = MAXIT,
    func: str = "lasso_path",
) -> LassoPath:
    """:func:`lasso_path` on checked inputs (``arr`` float64, ``yv`` 0/1)."""
    n, p = arr.shape
    if p < 1:
        raise InputError("X must have at least one feature column for the LASSO.")
    _check_control(thresh, maxit, func)
    if lambdas is None:
        if not isinstance(nlambda, (int, np.integer)) or nlambda < 1:
            raise InputError(
                f"The 'nlambda' parameter of {func} must be a positive integer. "
                f"Got {nlambda!r} instead."
            )
        ulam = None
        call = 'glmnet(x, y, family = "binomial")'
    else:
        lam = np.asarray(lambdas, dtype=np.float64).ravel()
        if lam.size == 0 or not np.isfinite(lam).all() or (lam < 0).any():
            raise InputError("'lambdas' must be non-negative finite numbers.")
        ulam = np.sort(lam)[::-1].copy()
        call = f'glmnet(x, y, family = "binomial", lambda = <{lam.size} values>)'
    fit = _lognet(arr, yv, ulam, int(nlambda), lambda_min_ratio, standardize, thresh, maxit)
    return LassoPath(
        lambdas=fit.lambdas,
        intercept=fit.a0,
        coef=fit.beta,
        features=names,
        dev_ratio=fit.dev_ratio,
        null_deviance=fit.nulldev,
        lambda_max=_lambda_max(arr, yv, standardize),
        n=n,
        n_cases=int(yv.sum()),
        standardize=bool(standardize),
        method=f"LASSO logistic regression (binomial, alpha=1), glmnet's Fortran "
        f"lognet, thresh={thresh:g}",
        call=call,
    )
