r"""Radiomics feature selection: Mann–Whitney → Spearman → LASSO, and the radiomics score.

The paper (Sections 2.4–2.6) screens the 1,920 DenseNet201 features of each modality
on the training cohort in three steps and turns the survivors into one number per
patient:

1. **Mann–Whitney U** screen, keep ``p < 0.05`` — R's ``wilcox.test(x, y)`` at its
   defaults (exact p when both groups have fewer than 50 values and no ties, else the
   normal approximation with continuity correction)
   (:func:`cetrus.stats.baseline.mann_whitney`, vectorised over columns);
2. **Spearman redundancy filter** — visit features by ascending MWU p (ties: column
   order) and keep one when :math:`|\rho| \le 0.9` with every feature already kept;
   :math:`\rho` is R's ``cor(x, method = "spearman")`` (Pearson correlation of
   mid-ranks);
3. **LASSO logistic regression** with glmnet's objective and k-fold CV
   (``glmnet::cv.glmnet(x, y, family = "binomial")``), keep the non-zero
   coefficients at ``lambda.min`` (or ``lambda.1se``);
4. **radiomics score** = the LASSO linear predictor
   (``predict(fit, newx, s = lambda, type = "link")``).

=======================  ===============================================================
function                 R twin
=======================  ===============================================================
:func:`spearman`         ``cor(X, method = "spearman")``
:func:`spearman_filter`  the paper's greedy rule on that matrix
:func:`lasso_path`       ``glmnet(X, y, family = "binomial", lambda = …)``
:func:`cv_lasso`         ``cv.glmnet(X, y, family = "binomial", foldid = …)``
:func:`select_features`  the three steps above
:func:`agreement`        ``psych::ICC`` per feature (via :func:`cetrus.stats.reliability.icc_many`)
=======================  ===============================================================

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
same engine at a tiny ``thresh`` (e.g. ``1e-20``). ``cv.glmnet``'s rules (folds,
interpolation, weighted ``cvm``/``cvsd``, ``lambda.min``/``lambda.1se``) are
reimplemented here, from R glmnet 4.1-6's ``cv.glmnet.raw``, ``cv.lognet``,
``cvcompute`` and ``getOptcv.glmnet``.

(Until issue 10, cetrus solved the objective itself, exactly, by proximal Newton steps;
that solver disagreed with R at R's default ``thresh`` by up to 9e-4 on coefficients
(another path length on some data). It is retired: the Fortran gives R's answer.)

Speed: R glmnet 4.1-6 runs glmnetpp, a C++ port of this Fortran with the same
iterations; per fit it needs about half the CPU time of python-glmnet's Fortran.
:func:`cv_lasso` runs its independent fits (full data + one per fold) on threads
(the Fortran releases the GIL), so with free cores it catches up; see
``benchmarks/bench_selection.py``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import ConvergenceError, ConvergenceWarning, InputError, UndefinedStatisticWarning
from cetrus.stats._validation import binary_outcome, choice


# =========================================================================== data checks

def _matrix(X: Any, name: str = "X") -> tuple[np.ndarray, tuple[str, ...]]:
    """X as float64 (n, p) and its column names (``x0, x1, …`` for arrays)."""
    if isinstance(X, pd.DataFrame):
        names = tuple(str(c) for c in X.columns)
        bad = [(c, dt) for c, dt in X.dtypes.items()
               if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt))]
        if bad:
            raise InputError(f"column {str(bad[0][0])!r} of {name!r} must be numeric "
                             f"(dtype {bad[0][1]}).")
        arr = X.to_numpy(dtype=np.float64)
    else:
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, None]
        names = tuple(f"x{j}" for j in range(arr.shape[1] if arr.ndim == 2 else 0))
    if arr.ndim != 2:
        raise InputError(f"{name!r} must be two-dimensional (rows = patients). "
                         f"Got shape {arr.shape} instead.")
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(f"{name!r} has a missing or infinite value (row {int(bad[0])}, column "
                         f"{names[int(bad[1])]!r}); drop or impute it first.")
    return arr, names


def _outcome(y: Any, n: int, positive: Any) -> np.ndarray:
    out = binary_outcome(y, "y", positive=positive)
    if out.is_case.size != n:
        raise InputError(f"'y' has {out.is_case.size} values but X has {n} rows.")
    if min(out.n_cases, out.n_controls) < 2:
        # glmnet refuses a class with 0 or 1 observations
        raise InputError(f"'y' needs at least 2 cases and 2 controls for the LASSO; got "
                         f"{out.n_cases} case(s) and {out.n_controls} control(s).")
    return out.is_case.astype(np.float64)


# =========================================================================== Spearman

def _rank_columns(arr: np.ndarray) -> np.ndarray:
    """Mid-ranks of each column (ties → average rank), one sort per column."""
    from scipy.stats import rankdata

    return rankdata(arr, axis=0, method="average")


def _unit_columns(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centre columns and scale them to unit norm; also return which were constant."""
    c = arr - arr.mean(axis=0)
    norm = np.sqrt(np.einsum("ij,ij->j", c, c))
    const = norm <= 1e-12 * max(1.0, float(np.abs(arr).max(initial=0.0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(const, 0.0, c / np.where(const, 1.0, norm))
    return z, const


def spearman(X: Any) -> np.ndarray:
    """Spearman's rank correlation matrix of the columns of ``X``.

    Pearson correlation of the columns' mid-ranks — R's ``cor(X, method = "spearman")``.
    A constant column has undefined correlations (``nan``, as R's ``NA``) and gives an
    :class:`UndefinedStatisticWarning`.
    """
    arr, names = _matrix(X)
    z, const = _unit_columns(_rank_columns(arr))
    rho = z.T @ z
    np.clip(rho, -1.0, 1.0, out=rho)
    np.fill_diagonal(rho, 1.0)
    if const.any():
        rho[const, :] = np.nan
        rho[:, const] = np.nan
        warnings.warn(f"Spearman correlation is undefined (nan) for {int(const.sum())} constant "
                      f"column(s), e.g. {names[int(np.flatnonzero(const)[0])]!r}.",
                      UndefinedStatisticWarning, stacklevel=2)
    return rho


def spearman_filter(X: Any, order: Sequence[Any] | None = None, *,
                    threshold: float = 0.9) -> tuple:
    r"""Greedy redundancy filter: keep a feature when :math:`|\rho| \le` ``threshold`` with all kept.

    Parameters
    ----------
    X : DataFrame or 2-D array (rows = patients).
    order : the visiting order — column labels (DataFrame) or indices (array); the
        paper visits by ascending Mann–Whitney p (ties by column order). Default: column
        order. Columns not listed are not considered.
    threshold : keep when :math:`|\rho_{jk}| \le` threshold for every kept ``k``.

    Returns
    -------
    tuple
        The kept labels (or indices), in visiting order.

    Notes
    -----
    Columns are ranked once; each newly kept feature is correlated (one matrix–vector
    product) with the not-yet-visited, not-yet-excluded features, which are then
    excluded when :math:`|\rho| >` threshold. That is the greedy rule, computed without
    the full correlation matrix. Constant columns (undefined ρ) are never kept
    (:class:`UndefinedStatisticWarning`).
    """
    arr, names = _matrix(X)
    if not 0.0 <= float(threshold) <= 1.0:
        raise InputError(f"The 'threshold' parameter of spearman_filter must be in [0, 1]. "
                         f"Got {threshold!r} instead.")
    labels = list(X.columns) if isinstance(X, pd.DataFrame) else list(range(arr.shape[1]))
    if order is None:
        idx = np.arange(arr.shape[1])
    else:
        lookup = {lab: j for j, lab in enumerate(labels)}
        try:
            idx = np.array([lookup[o] for o in order], dtype=np.intp)
        except KeyError as exc:
            raise InputError(f"'order' names {exc.args[0]!r}, which is not a column of X.") from None
        if np.unique(idx).size != idx.size:
            raise InputError("'order' lists a column more than once.")
    if idx.size == 0:
        return ()
    z, const = _unit_columns(_rank_columns(arr[:, idx]))
    if const.any():
        warnings.warn(f"{int(const.sum())} constant column(s) skipped by the Spearman filter "
                      f"(undefined correlation), e.g. {names[int(idx[np.flatnonzero(const)[0]])]!r}.",
                      UndefinedStatisticWarning, stacklevel=2)
    z = np.asfortranarray(z)
    alive = ~const
    kept: list[int] = []
    thr = float(threshold)
    for j in range(idx.size):
        if not alive[j]:
            continue
        kept.append(j)
        alive[j] = False
        rest = np.flatnonzero(alive[j + 1:]) + j + 1
        if rest.size:
            rho = z[:, j] @ z[:, rest]
            alive[rest[np.abs(rho) > thr]] = False
    return tuple(labels[int(idx[k])] for k in kept)


# =========================================================================== glmnet's engine

#: glmnet.control()'s ``big`` (R replaces infinite coefficient limits by ±big).
_BIG = 9.9e35
#: cv.lognet's probability clamp for the deviance.
_PROB_MIN = 1e-5
#: glmnet's documented default convergence threshold and iteration limit.
THRESH = 1e-7
MAXIT = 100_000


@dataclass(frozen=True, slots=True)
class _Fit:
    lambdas: np.ndarray
    a0: np.ndarray
    beta: np.ndarray
    dev_ratio: np.ndarray
    nulldev: float


def _lognet(arr: np.ndarray, yv: np.ndarray, ulam: np.ndarray | None, nlambda: int,
            lambda_min_ratio: float | None, standardize: bool, thresh: float,
            maxit: int) -> _Fit:
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
            raise InputError(f"'lambda_min_ratio' must be in (0, 1). Got {lambda_min_ratio!r} instead.")
        ul = np.zeros(int(nlambda), dtype=np.float64)
    else:
        flmin = 1.0
        ul = np.array(ulam, dtype=np.float64, copy=True)
    lmu, a0, ca, ia, nin, dev0, dev, alm, _nlp, jerr = _glmnet.lognet(
        1.0, 1, x, y2, offset, jd, vp, cl, p, flmin, ul, float(thresh), ne=p + 1,
        nlam=ul.size, isd=int(bool(standardize)), intr=1, maxit=int(maxit), kopt=0)
    if jerr > 0:
        if jerr == 7777:
            raise InputError("every feature column is constant: the LASSO has nothing to fit.")
        if 8000 < jerr < 10000:
            raise InputError("one outcome class has probability below 1e-5 (glmnet's "
                             f"error {jerr}): too few cases or controls for the LASSO.")
        raise ConvergenceError(f"glmnet's lognet failed (error code {jerr}).")  # pragma: no cover
    if jerr < 0:
        k = -jerr if jerr > -10000 else -jerr - 10000
        what = ("did not converge in maxit={maxit} iterations" if jerr > -10000
                else "exceeded pmax non-zero coefficients").format(maxit=maxit)
        warnings.warn(f"glmnet {what} at lambda number {k}; the path stops before it "
                      f"(as R's glmnet, which warns the same).", ConvergenceWarning, stacklevel=3)
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
    return _Fit(lambdas=lam, a0=np.array(a0[0, :lmu], dtype=np.float64), beta=beta,
                dev_ratio=np.array(dev[:lmu], dtype=np.float64), nulldev=float(dev0[0]))


def _expit(eta: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(eta)


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


# =========================================================================== results

@dataclass(frozen=True, slots=True)
class LassoPath(Result):
    """LASSO logistic coefficients along a decreasing ``lambdas`` sequence (glmnet's ``glmnet``).

    ``coef`` has shape ``(n_features, n_lambdas)`` (glmnet's ``beta``), on the original
    scale; ``intercept`` is glmnet's ``a0``; ``dev_ratio`` its ``dev.ratio``;
    ``null_deviance`` its ``nulldev``.
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

    @property
    def nzero(self) -> np.ndarray:
        """Number of non-zero coefficients at each lambda (glmnet's ``df``)."""
        return (self.coef != 0).sum(axis=0)

    def coefficients(self, index: int) -> dict[str, float]:
        """``{"(Intercept)": a0, feature: coef, …}`` at ``lambdas[index]``."""
        out = {"(Intercept)": float(self.intercept[index])}
        out.update({f: float(c) for f, c in zip(self.features, self.coef[:, index])})
        return out

    def linear_predictor(self, X: Any) -> np.ndarray:
        """``(n_rows, n_lambdas)`` linear predictors (glmnet's ``predict(type = "link")``)."""
        arr = _columns_for(X, self.features)
        return arr @ self.coef + self.intercept


@dataclass(frozen=True, slots=True)
class LassoCV(Result):
    """k-fold cross-validated LASSO (glmnet's ``cv.glmnet``, ``type.measure = "deviance"``)."""

    lambdas: np.ndarray
    cvm: np.ndarray
    cvsd: np.ndarray
    cvup: np.ndarray
    cvlo: np.ndarray
    nzero: np.ndarray
    lambda_min: float
    lambda_1se: float
    index_min: int
    index_1se: int
    foldid: np.ndarray
    n_folds: int
    seed: int | None
    measure: str
    path: LassoPath


@dataclass(frozen=True, slots=True)
class FeatureSelection(Result):
    """The three-step selection and the radiomics score's coefficients.

    ``after_mwu`` is in column order; ``after_spearman`` in visiting order (ascending
    MWU p, ties by column order); ``selected`` are the features with a non-zero LASSO
    coefficient at ``lambda_`` (chosen by ``lambda_rule``), in ``after_spearman`` order.
    """

    mwu_pvalues: dict[str, float]
    after_mwu: tuple[str, ...]
    after_spearman: tuple[str, ...]
    selected: tuple[str, ...]
    coefficients: dict[str, float]
    intercept: float
    lambda_: float
    lambda_rule: str
    cv: LassoCV | None
    lasso: bool
    p_threshold: float
    rho_threshold: float
    n: int
    n_cases: int
    method: str

    def score(self, X: Any) -> np.ndarray:
        """The radiomics score: ``intercept + X[selected] @ coefficients`` (the LASSO linear predictor)."""
        if not self.lasso:
            raise InputError("this selection ran without the LASSO (lasso=False): it has no "
                             "radiomics score.")
        if not self.selected:
            n = len(X)
            return np.full(n, self.intercept)
        arr = _columns_for(X, self.selected)
        return arr @ np.array([self.coefficients[f] for f in self.selected]) + self.intercept


def _columns_for(X: Any, features: Sequence[str]) -> np.ndarray:
    if isinstance(X, pd.DataFrame):
        missing = [f for f in features if f not in X.columns]
        if missing:
            raise InputError(f"column {missing[0]!r} (a selected feature) not found in the data.")
        arr, _ = _matrix(X[list(features)])
        return arr
    arr, _ = _matrix(X)
    if arr.shape[1] != len(features):
        raise InputError(f"X must have {len(features)} columns (the features in order). "
                         f"Got {arr.shape[1]} instead.")
    return arr


# =========================================================================== public LASSO API

def default_lambdas(lambda_max: float, n: int, p: int, *, nlambda: int = 100,
                    lambda_min_ratio: float | None = None) -> np.ndarray:
    """glmnet's default sequence: ``nlambda`` log-spaced values from ``lambda_max``.

    The smallest is ``lambda_max * lambda.min.ratio`` with ``lambda.min.ratio`` 0.01
    when ``n < p`` else 1e-4 (glmnet's documented default; its Fortran floors it at
    ``eps = 1e-6``). :func:`lasso_path` lets glmnet's Fortran build the sequence (and
    stop it early); this function states the rule.
    """
    ratio = (0.01 if n < p else 1e-4) if lambda_min_ratio is None else float(lambda_min_ratio)
    ratio = max(ratio, 1e-6)
    if nlambda == 1:
        return np.array([lambda_max])
    return lambda_max * ratio ** (np.arange(nlambda) / (nlambda - 1))


def lasso_path(X: Any, y: Any, lambdas: Sequence[float] | None = None, *, nlambda: int = 100,
               lambda_min_ratio: float | None = None, standardize: bool = True,
               thresh: float = THRESH, maxit: int = MAXIT, positive: Any = None) -> LassoPath:
    """LASSO logistic regression path, computed by glmnet's own Fortran (``lognet``).

    Parameters
    ----------
    X : DataFrame or 2-D array of features (rows = patients).
    y : binary outcome (the case level: ``positive`` or the larger of two sorted levels).
    lambdas : the penalties; sorted decreasing, as glmnet does. Default: glmnet's
        sequence (``nlambda``, ``lambda_min_ratio``), which glmnet stops early once the
        deviance ratio exceeds 0.999 or gains less than 1e-5 (after 5 values).
    standardize : as glmnet's ``standardize`` (default ``True``, the paper's setting).
    thresh, maxit : glmnet's convergence threshold and pass limit (R's defaults
        ``1e-7`` and ``1e5``). glmnet stops when no coefficient's weighted squared change
        exceeds ``thresh`` times the null deviance, so its answer at the default is an
        approximation (~1e-4 relative on small coefficients); ``thresh = 1e-20`` gives the
        exact optimum to ~1e-9.

    Returns
    -------
    LassoPath
        Equal to ``glmnet(X, y, family = "binomial", lambda = lambdas, thresh = thresh)``'s
        ``lambda``, ``a0``, ``beta``, ``dev.ratio`` and ``nulldev`` (R glmnet 4.1-6; the
        same Fortran, ~1e-13).

    Notes
    -----
    Objective (Friedman, Hastie & Tibshirani 2010, *J Stat Softw* 33(1), eq. 12 with
    α = 1) minimised by glmnet's coordinate descent inside a Newton (IRLS) loop. The
    Fortran comes from PyPI's ``python-glmnet`` (GPL-2, as R's glmnet); it is called
    with the arguments R's wrapper passes (see ``_lognet``).
    """
    arr, names = _matrix(X)
    yv = _outcome(y, arr.shape[0], positive)
    return _lasso_path(arr, names, yv, lambdas, nlambda, lambda_min_ratio, standardize,
                       thresh, maxit)


def _check_control(thresh: float, maxit: int, func: str) -> None:
    if not (isinstance(thresh, (int, float)) and 0.0 < float(thresh) < 1.0):
        raise InputError(f"The 'thresh' parameter of {func} must be a number in (0, 1). "
                         f"Got {thresh!r} instead.")
    if not isinstance(maxit, (int, np.integer)) or maxit < 1:
        raise InputError(f"The 'maxit' parameter of {func} must be a positive integer. "
                         f"Got {maxit!r} instead.")


def _lasso_path(arr, names, yv, lambdas, nlambda, lambda_min_ratio, standardize,
                thresh=THRESH, maxit=MAXIT, func="lasso_path") -> LassoPath:
    n, p = arr.shape
    if p < 1:
        raise InputError("X must have at least one feature column for the LASSO.")
    _check_control(thresh, maxit, func)
    if lambdas is None:
        if not isinstance(nlambda, (int, np.integer)) or nlambda < 1:
            raise InputError(f"The 'nlambda' parameter of {func} must be a positive integer. "
                             f"Got {nlambda!r} instead.")
        ulam = None
    else:
        lam = np.asarray(lambdas, dtype=np.float64).ravel()
        if lam.size == 0 or not np.isfinite(lam).all() or (lam < 0).any():
            raise InputError("'lambdas' must be non-negative finite numbers.")
        ulam = np.sort(lam)[::-1].copy()
    fit = _lognet(arr, yv, ulam, int(nlambda), lambda_min_ratio, standardize, thresh, maxit)
    return LassoPath(lambdas=fit.lambdas, intercept=fit.a0, coef=fit.beta, features=names,
                     dev_ratio=fit.dev_ratio, null_deviance=fit.nulldev,
                     lambda_max=_lambda_max(arr, yv, standardize), n=n,
                     n_cases=int(yv.sum()), standardize=bool(standardize),
                     method=f"LASSO logistic regression (binomial, alpha=1), glmnet's Fortran "
                            f"lognet, thresh={thresh:g}")


def _interp_coefficients(path_lambdas: np.ndarray, a0: np.ndarray, B: np.ndarray,
                         s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients at ``s`` by linear interpolation in lambda (glmnet's ``lambda.interp``)."""
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


def _workers(n_jobs: int | None, tasks: int) -> int:
    if n_jobs is None:
        import os

        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            cpus = os.cpu_count() or 1
        return max(1, min(cpus, tasks))
    if not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1:
        raise InputError(f"The 'n_jobs' parameter of cv_lasso must be a positive integer or None. "
                         f"Got {n_jobs!r} instead.")
    return min(int(n_jobs), tasks)


def make_folds(n: int, folds: int = 10, seed: int | None = None) -> np.ndarray:
    """Fold labels 1..folds, as glmnet's ``sample(rep(seq(nfolds), length = n))``.

    Same scheme (balanced sizes, random order) from a numpy Generator; R's RNG differs,
    so pass ``foldid`` to reproduce an R run.
    """
    rng = np.random.default_rng(seed)
    return rng.permutation(np.resize(np.arange(1, folds + 1), n))


def cv_lasso(X: Any, y: Any, *, folds: int = 10, seed: int | None = None,
             foldid: Sequence[int] | None = None, lambdas: Sequence[float] | None = None,
             nlambda: int = 100, lambda_min_ratio: float | None = None,
             standardize: bool = True, thresh: float = THRESH, maxit: int = MAXIT,
             n_jobs: int | None = None, positive: Any = None) -> LassoCV:
    """k-fold cross-validation of the LASSO path, as ``cv.glmnet(family = "binomial")``.

    Parameters
    ----------
    X, y : features and binary outcome (see :func:`lasso_path`).
    folds : number of folds when ``foldid`` is not given (glmnet's ``nfolds``, >= 3).
    seed : seed of the fold assignment (:func:`make_folds`).
    foldid : fold label of each row (as glmnet's ``foldid``); overrides ``folds``/``seed``.
    lambdas, nlambda, lambda_min_ratio, standardize, thresh, maxit : as :func:`lasso_path`
        (each fold's fit too, as ``cv.glmnet`` passes its ``...`` to every ``glmnet`` call).
    n_jobs : threads for the full-data fit and the fold fits (default: the CPUs this
        process may use, at most ``folds + 1``; ``1`` = one after the other). The
        fits are independent, so the result does not depend on ``n_jobs``.

    Returns
    -------
    LassoCV
        ``cvm``/``cvsd`` (binomial deviance, glmnet's default ``type.measure``),
        ``lambda_min`` (largest lambda with minimal ``cvm``) and ``lambda_1se`` (largest
        lambda with ``cvm`` within one ``cvsd`` of it), and the full-data ``path``.

    Notes
    -----
    As glmnet 4.1-6's ``cv.glmnet.raw`` (``alignment = "lambda"``, ``grouped = TRUE``):
    the path is fitted on all rows; each fold's training rows are fitted with the
    ``lambda`` argument as given — so with the default ``NULL`` each fold gets its *own*
    default sequence — and the fold's coefficients are linearly interpolated at the
    full-data lambdas (``predict(fit, s = lambda)``, i.e. ``lambda.interp``); held-out
    probabilities are clamped to [1e-5, 1 − 1e-5]; the deviance
    ``−2[y log p + (1−y) log(1−p)]`` is averaged per fold; ``cvm`` is the mean of the
    fold averages weighted by fold size and
    ``cvsd = sqrt(weighted mean of (fold average − cvm)² / (folds − 1))``. With fewer
    than 3 rows per fold R switches to ``grouped = FALSE`` with a warning (``cvsd``
    from the rows' deviances, ``/(n − 1)``); so does cetrus.
    """
    arr, names = _matrix(X)
    n = arr.shape[0]
    yv = _outcome(y, n, positive)
    if foldid is None:
        if not isinstance(folds, (int, np.integer)) or folds < 3 or folds > n:
            raise InputError(f"The 'folds' parameter of cv_lasso must be an integer in [3, n={n}]. "
                             f"Got {folds!r} instead.")
        fid = make_folds(n, int(folds), seed)
    else:
        raw = np.asarray(foldid).ravel()
        if raw.size != n:
            raise InputError(f"'foldid' has {raw.size} values but X has {n} rows.")
        _, fid = np.unique(raw, return_inverse=True)
        fid = fid + 1
        if fid.max() < 3:
            raise InputError(f"'foldid' must define at least 3 folds (glmnet's rule). Got {fid.max()}.")
    k = int(fid.max())
    _check_control(thresh, maxit, "cv_lasso")
    for f in range(1, k + 1):
        yt = yv[fid != f]
        if min(yt.sum(), yt.size - yt.sum()) < 2:
            raise InputError(f"fold {f} leaves fewer than 2 cases or controls for training; "
                             f"use fewer folds or stratified foldid.")
    ulam = None if lambdas is None else np.sort(np.asarray(lambdas, dtype=np.float64).ravel())[::-1].copy()
    grouped = n / k >= 3
    if not grouped:
        warnings.warn("grouped=FALSE enforced (as cv.glmnet does), since < 3 observations per fold.",
                      UndefinedStatisticWarning, stacklevel=2)

    def full_fit() -> LassoPath:
        return _lasso_path(arr, names, yv, lambdas, nlambda, lambda_min_ratio, standardize,
                           thresh, maxit, "cv_lasso")

    def fold_fit(f: int) -> _Fit:
        train = fid != f
        return _lognet(arr[train], yv[train], ulam, int(nlambda), lambda_min_ratio, standardize,
                       thresh, maxit)

    workers = _workers(n_jobs, k + 1)
    if workers == 1:
        full = full_fit()
        fold_fits = [fold_fit(f) for f in range(1, k + 1)]
    else:
        from concurrent.futures import ThreadPoolExecutor

        # the 11 fits are independent (each fold gets its own default sequence, as in R);
        # the Fortran releases the GIL, so threads run them on several cores
        with ThreadPoolExecutor(max_workers=workers) as pool:
            full_future = pool.submit(full_fit)
            fold_futures = [pool.submit(fold_fit, f) for f in range(1, k + 1)]
            full = full_future.result()
            fold_fits = [fu.result() for fu in fold_futures]
    lam = full.lambdas
    fold_means = np.zeros((k, lam.size))
    fold_sizes = np.zeros(k)
    row_dev = None if grouped else np.zeros((n, lam.size))
    for f, fit in enumerate(fold_fits, start=1):
        test = fid == f
        a, b = _interp_coefficients(fit.lambdas, fit.a0, fit.beta, lam)
        eta = arr[test] @ b + a
        prob = np.clip(_expit(eta), _PROB_MIN, 1.0 - _PROB_MIN)
        yy = yv[test][:, None]
        dev = -2.0 * (yy * np.log(prob) + (1.0 - yy) * np.log(1.0 - prob))
        fold_means[f - 1] = dev.mean(axis=0)
        fold_sizes[f - 1] = test.sum()
        if row_dev is not None:
            row_dev[test] = dev
    wts = fold_sizes / fold_sizes.sum()
    cvm = wts @ fold_means
    if grouped:
        cvsd = np.sqrt((wts @ (fold_means - cvm) ** 2) / (k - 1))
    else:
        cvsd = np.sqrt(((row_dev - cvm) ** 2).mean(axis=0) / (n - 1))
    i_min = int(np.flatnonzero(cvm <= cvm.min())[0])  # lambdas decrease: first = largest
    i_1se = int(np.flatnonzero(cvm <= cvm[i_min] + cvsd[i_min])[0])
    return LassoCV(lambdas=lam, cvm=cvm, cvsd=cvsd, cvup=cvm + cvsd, cvlo=cvm - cvsd,
                   nzero=full.nzero, lambda_min=float(lam[i_min]), lambda_1se=float(lam[i_1se]),
                   index_min=i_min, index_1se=i_1se, foldid=fid, n_folds=k,
                   seed=None if foldid is not None else seed, measure="deviance", path=full)


# =========================================================================== the paper's rule

def mwu_pvalues(X: pd.DataFrame, y: Any, *, positive: Any = None) -> pd.Series:
    """Two-sided Mann–Whitney p-value of every column (cases vs controls).

    ``wilcox.test(x[y == 1], x[y == 0])$p.value`` per column, at R's defaults (exact p
    when both groups have fewer than 50 values and no ties), via
    :func:`cetrus.stats.baseline.mann_whitney` (vectorised).
    """
    from cetrus.stats.baseline import mann_whitney

    arr, names = _matrix(X)
    case = binary_outcome(y, "y", positive=positive).is_case
    if case.size != arr.shape[0]:
        raise InputError(f"'y' has {case.size} values but X has {arr.shape[0]} rows.")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)  # constant columns: p = nan
        res = mann_whitney(arr[case], arr[~case])
    return pd.Series(np.asarray(res.pvalue, dtype=float), index=list(names), name="pvalue")


def select_features(X: pd.DataFrame, y: Any, *, p_threshold: float = 0.05,
                    rho_threshold: float = 0.9, lasso: bool = True, folds: int = 10,
                    seed: int | None = 0, foldid: Sequence[int] | None = None,
                    lambda_rule: str = "min", n_jobs: int | None = None,
                    positive: Any = None) -> FeatureSelection:
    """The paper's three-step selection (see the module docstring) on a training cohort.

    Parameters
    ----------
    X : DataFrame of candidate features (rows = training patients).
    y : binary outcome.
    p_threshold : keep features with Mann–Whitney ``p < p_threshold``.
    rho_threshold : Spearman redundancy threshold (keep when ``|rho| <= rho_threshold``).
    lasso : run step 3 (``False`` stops after the Spearman filter).
    folds, seed, foldid : cross-validation folds (:func:`cv_lasso`).
    lambda_rule : ``"min"`` (``lambda.min``) or ``"1se"`` (``lambda.1se``).
    n_jobs : threads of the LASSO's cross-validation (:func:`cv_lasso`); pass ``1``
        inside worker processes that already use every core.

    Returns
    -------
    FeatureSelection
        With :meth:`FeatureSelection.score` giving the radiomics score of any cohort.

    Notes
    -----
    Edge cases: columns with an undefined p-value (constant) never pass the screen; if
    nothing passes, ``selected`` is empty and the score is the intercept-only model
    (``logit(mean(y))``) with an :class:`UndefinedStatisticWarning`. A single surviving
    feature is still fitted (glmnet itself needs two columns).
    """
    if not isinstance(X, pd.DataFrame):
        raise InputError("'X' of select_features must be a DataFrame (feature names are reported).")
    choice(lambda_rule, ("min", "1se"), "lambda_rule", "select_features")
    if not 0.0 < float(p_threshold) <= 1.0:
        raise InputError(f"The 'p_threshold' parameter of select_features must be in (0, 1]. "
                         f"Got {p_threshold!r} instead.")
    arr, names = _matrix(X)
    yv = binary_outcome(y, "y", positive=positive).is_case.astype(float)
    if yv.size != arr.shape[0]:
        raise InputError(f"'y' has {yv.size} values but X has {arr.shape[0]} rows.")
    pv = mwu_pvalues(X, yv)
    passed = pv.to_numpy() < float(p_threshold)  # nan → False
    after_mwu = tuple(n for n, ok in zip(names, passed) if ok)
    # sort only the features that passed: a constant column's p is nan, and nan keys
    # leave a sort's order undefined (it scrambled the visiting order of the others)
    pvals = pv.to_numpy()
    order = [names[j] for j in sorted(np.flatnonzero(passed), key=lambda j: (pvals[j], j))]
    Xs = pd.DataFrame(arr, columns=list(names))
    after_spearman = tuple(spearman_filter(Xs[list(after_mwu)], order, threshold=rho_threshold)) \
        if after_mwu else ()
    base = dict(mwu_pvalues={k: float(v) for k, v in pv.items()}, after_mwu=after_mwu,
                after_spearman=after_spearman, p_threshold=float(p_threshold),
                rho_threshold=float(rho_threshold), n=int(yv.size), n_cases=int(yv.sum()))
    method = ("Mann-Whitney U (wilcox.test at R's defaults) p < {:g}; Spearman |rho| <= {:g} "
              "greedy by ascending p; ").format(float(p_threshold), float(rho_threshold))
    if not lasso:
        return FeatureSelection(**base, selected=after_spearman, coefficients={}, intercept=float("nan"),
                                lambda_=float("nan"), lambda_rule=lambda_rule, cv=None,
                                lasso=False, method=method + "no LASSO")
    ybar = float(yv.mean())
    if not after_spearman:
        warnings.warn("no feature passed the Mann-Whitney screen: the radiomics score is the "
                      "intercept-only model.", UndefinedStatisticWarning, stacklevel=2)
        return FeatureSelection(**base, selected=(), coefficients={},
                                intercept=math.log(ybar / (1 - ybar)), lambda_=float("nan"),
                                lambda_rule=lambda_rule, cv=None, lasso=True,
                                method=method + "LASSO skipped")
    cv = cv_lasso(Xs[list(after_spearman)], yv, folds=folds, seed=seed, foldid=foldid,
                  n_jobs=n_jobs)
    i = cv.index_min if lambda_rule == "min" else cv.index_1se
    coef = cv.path.coef[:, i]
    selected = tuple(f for f, c in zip(after_spearman, coef) if c != 0)
    coefficients = {f: float(c) for f, c in zip(after_spearman, coef) if c != 0}
    return FeatureSelection(**base, selected=selected, coefficients=coefficients,
                            intercept=float(cv.path.intercept[i]), lambda_=float(cv.lambdas[i]),
                            lambda_rule=lambda_rule, cv=cv, lasso=True,
                            method=method + f"LASSO logistic (glmnet lognet), {cv.n_folds}-fold "
                                            f"CV deviance, lambda.{lambda_rule}")


# =========================================================================== rater agreement

def agreement(features_r1: pd.DataFrame, features_r2: pd.DataFrame, *, form: str = "ICC2",
              conf_level: float = 0.95) -> pd.Series:
    """Per-feature ICC between two raters' ROIs (rows = the same patients, matched by index).

    ``form`` is one of psych's six (default ``ICC2``: two-way random effects, absolute
    agreement, single rater — ``psych::ICC(cbind(r1, r2))$results["Single_random_raters"]``).
    Computed for all features at once by :func:`cetrus.stats.reliability.icc_many`.
    Features whose ratings do not vary give ``nan``.
    """
    from cetrus.stats.reliability import FORMS, icc_many

    choice(form, tuple(FORMS), "form", "agreement")
    if not isinstance(features_r1, pd.DataFrame) or not isinstance(features_r2, pd.DataFrame):
        raise InputError("agreement needs two DataFrames (rows = patients, columns = features).")
    if list(features_r1.columns) != list(features_r2.columns):
        extra = set(features_r1.columns) ^ set(features_r2.columns)
        what = f"column {sorted(map(str, extra))[0]!r} is in one only" if extra else "columns differ in order"
        raise InputError(f"the raters' feature tables must have the same columns ({what}).")
    if features_r1.index.has_duplicates or features_r2.index.has_duplicates:
        raise InputError("the raters' feature tables must have unique row labels (patients).")
    if set(features_r1.index) != set(features_r2.index):
        diff = sorted(map(str, set(features_r1.index) ^ set(features_r2.index)))
        raise InputError(f"the raters' feature tables must cover the same patients "
                         f"({diff[0]!r} is in one only).")
    a, _ = _matrix(features_r1, "features_r1")
    b, _ = _matrix(features_r2.loc[features_r1.index], "features_r2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)  # dead (all-zero) features
        res = icc_many(np.stack([a, b], axis=1), conf_level=conf_level)
    return pd.Series(res.estimate[form], index=list(features_r1.columns), name=form)


@dataclass(frozen=True, slots=True)
class RaterAgreement(Result):
    """Per-modality rater agreement of a features table (the paper's mean ICC 0.92/0.91/0.94)."""

    icc: dict[str, pd.Series]
    mean: dict[str, float]
    n_patients: dict[str, int]
    n_undefined: dict[str, int]
    raters: tuple[str, str]
    form: str

    def reliable(self, modality: str, threshold: float = 0.9) -> list[str]:
        """Features of ``modality`` with ICC > ``threshold`` (the paper's "good agreement")."""
        s = self.icc[modality]
        return [str(f) for f in s.index[s.to_numpy() > threshold]]

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "n_patients": self.n_patients, "n_undefined": self.n_undefined,
                "raters": list(self.raters), "form": self.form}


def rater_agreement(features: pd.DataFrame, *, raters: Sequence[str] | None = None,
                    form: str = "ICC2", feature_prefix: str = "f") -> RaterAgreement:
    """ICC per feature and its mean, per modality, from a long features table.

    ``features`` is what :func:`cetrus.imaging.extract.extract_features` writes
    (``patient_id, modality, rater`` + feature columns starting with ``feature_prefix``).
    ``raters`` picks the two raters (default: the two there are). Patients without both
    raters' ROIs are left out (counted in ``n_patients``). Undefined ICCs (features that
    do not vary, e.g. dead ReLU channels) are excluded from the mean and counted.
    """
    need = ("patient_id", "modality", "rater")
    missing = [c for c in need if c not in features.columns]
    if missing:
        raise InputError(f"features table lacks column {missing[0]!r}.")
    cols = [c for c in features.columns if str(c).startswith(feature_prefix) and c not in need]
    if not cols:
        raise InputError(f"no feature columns starting with {feature_prefix!r}.")
    rater_col = features["rater"].astype(str)
    present = sorted(rater_col.unique())
    if raters is None:
        if len(present) != 2:
            raise InputError(f"rater agreement needs exactly two raters; found {len(present)} "
                             f"({', '.join(present)}); pass raters=(A, B).")
        pair = (present[0], present[1])
    else:
        pair = tuple(str(r) for r in raters)
        if len(pair) != 2:
            raise InputError("'raters' must name exactly two raters.")
        for r in pair:
            if r not in present:
                raise InputError(f"rater {r!r} not found (raters: {', '.join(present)}).")
    icc, mean, n_pat, n_undef = {}, {}, {}, {}
    for modality in pd.unique(features["modality"]):
        sub = features[features["modality"] == modality]
        ra = sub[rater_col[sub.index] == pair[0]].set_index("patient_id")[cols]
        rb = sub[rater_col[sub.index] == pair[1]].set_index("patient_id")[cols]
        common = ra.index.intersection(rb.index)
        if len(common) < 2:
            raise InputError(f"modality {modality!r}: fewer than 2 patients have both raters' ROIs.")
        s = agreement(ra.loc[common], rb.loc[common], form=form)
        icc[str(modality)] = s
        defined = s.dropna()
        mean[str(modality)] = float(defined.mean()) if len(defined) else float("nan")
        n_pat[str(modality)] = int(len(common))
        n_undef[str(modality)] = int(s.isna().sum())
    return RaterAgreement(icc=icc, mean=mean, n_patients=n_pat, n_undefined=n_undef,
                          raters=pair, form=form)
