"""k-fold cross-validation of the LASSO path, with ``cv.glmnet``'s rules.

``cv.glmnet``'s rules (folds, interpolation, weighted ``cvm``/``cvsd``,
``lambda.min``/``lambda.1se``) reimplemented from R glmnet 4.1-6's ``cv.glmnet.raw``,
``cv.lognet``, ``cvcompute`` and ``getOptcv.glmnet``; every fit is glmnet's own
Fortran (:mod:`cetrus.stats.lasso`).

=======================  ===============================================================
name                     R twin (glmnet 4.1-6)
=======================  ===============================================================
:func:`cv_lasso`         ``cv.glmnet(X, y, family = "binomial", foldid = …)``
:class:`LassoCV`         the ``cv.glmnet`` object; ``print`` as ``print.cv.glmnet``
:func:`make_folds`       ``sample(rep(seq(nfolds), length = n))`` (numpy's RNG, not R's)
=======================  ===============================================================

Speed: R glmnet 4.1-6 runs glmnetpp, a C++ port of this Fortran with the same
iterations; per fit it needs about half the CPU time of python-glmnet's Fortran.
:func:`cv_lasso` runs its independent fits (full data + one per fold) on threads
(the Fortran releases the GIL), so with free cores it catches up; see
``benchmarks/bench_selection.py``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._features import feature_matrix, lasso_outcome, resolve_xy
from cetrus.stats.lasso import (  # the engine's private parts: lasso_cv is its other half
    MAXIT,
    THRESH,
    LassoPath,
    _check_control,
    _Fit,
    _fit_path,
    _interp_coefficients,
    _lognet,
    _signif_column,
)

__all__ = ["LassoCV", "cv_lasso", "make_folds"]

#: cv.lognet's probability clamp for the deviance.
_PROB_MIN = 1e-5


@dataclass(frozen=True, slots=True, repr=False)
class LassoCV(Result):
    """k-fold cross-validated LASSO (glmnet's ``cv.glmnet``, ``type.measure = "deviance"``).

    Attributes
    ----------
    lambdas : numpy.ndarray
        The full-data path's lambdas (glmnet's ``lambda``).
    cvm, cvsd : numpy.ndarray
        Mean cross-validated binomial deviance and its standard error per lambda.
    cvup, cvlo : numpy.ndarray
        ``cvm + cvsd`` and ``cvm - cvsd`` (glmnet's names; error bars, not a confidence
        interval).
    nzero : numpy.ndarray
        Non-zero coefficients of the full-data fit per lambda.
    lambda_min, lambda_1se : float
        Largest lambda with minimal ``cvm``; largest lambda with ``cvm`` within one
        ``cvsd`` of that minimum.
    index_min, index_1se : int
        Their 0-based positions (R's ``index`` is 1-based).
    foldid : numpy.ndarray
        Fold (1..k) of each row.
    n_folds : int
    seed : int or None
        Seed of :func:`make_folds` (``None`` when ``foldid`` was given).
    measure : str
        ``"deviance"``.
    path : LassoPath
        The full-data fit (glmnet's ``glmnet.fit``).

    See Also
    --------
    cv_lasso : what builds it.
    cetrus.stats.radscore.radiomics_score : the score at ``lambda_min``/``lambda_1se``.

    Notes
    -----
    ``print(cv)`` lays it out as R's ``print.cv.glmnet`` (``Lambda``, ``Index``,
    ``Measure``, ``SE``, ``Nonzero`` at ``min`` and ``1se``); :meth:`to_frame` gives the
    whole curve.

    References
    ----------
    .. [1] R: ``glmnet::cv.glmnet``, ``print.cv.glmnet``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(80, 4))
    >>> y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    >>> cv = cv_lasso(X, y, folds=5, seed=0, n_jobs=1)
    >>> cv
    LassoCV(lambda_min=0.04072, lambda_1se=0.0857, n_folds=5, seed=0, measure='deviance')
    >>> print(cv)
    Call:  cv.glmnet(x, y, family = "binomial", nfolds = 5)
    <BLANKLINE>
    Measure: Binomial Deviance
    <BLANKLINE>
          Lambda  Index Measure       SE  Nonzero
    min  0.04072     23  0.9262  0.05783        1
    1se  0.08570     15  0.9747  0.04761        1
    """

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

    _headline: ClassVar[tuple[str, ...]] = (
        "lambda_min",
        "lambda_1se",
        "n_folds",
        "seed",
        "measure",
    )

    def to_frame(self) -> pd.DataFrame:
        """One row per lambda: ``lambda``, ``cvm``, ``cvsd``, ``cvup``, ``cvlo``, ``nzero``
        (``cv.glmnet``'s curve, as its ``plot`` draws it)."""
        return pd.DataFrame(
            {
                "lambda": self.lambdas,
                "cvm": self.cvm,
                "cvsd": self.cvsd,
                "cvup": self.cvup,
                "cvlo": self.cvlo,
                "nzero": self.nzero,
            }
        )

    def _print_lines(self) -> list[str]:
        # print.cv.glmnet: signif(c(lambda, measure, SE), 4) with the 1-based index
        idx = [self.index_min, self.index_1se]
        table = pd.DataFrame(
            {
                "Lambda": _signif_column(self.lambdas[idx]),
                "Index": [i + 1 for i in idx],
                "Measure": _signif_column(self.cvm[idx]),
                "SE": _signif_column(self.cvsd[idx]),
                "Nonzero": [int(self.nzero[i]) for i in idx],
            },
            index=["min", "1se"],
        )
        folds = "foldid = foldid" if self.seed is None else f"nfolds = {self.n_folds}"
        return [
            f'Call:  cv.glmnet(x, y, family = "binomial", {folds})',
            "",
            "Measure: Binomial Deviance",
            "",
            *table.to_string().splitlines(),
        ]


def _workers(n_jobs: int | None, tasks: int) -> int:
    if n_jobs is None:
        import os

        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not on Linux
            cpus = os.cpu_count() or 1
        return max(1, min(cpus, tasks))
    if not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1:
        raise InputError(
            f"The 'n_jobs' parameter of cv_lasso must be a positive integer or None. "
            f"Got {n_jobs!r} instead."
        )
    return min(int(n_jobs), tasks)


def make_folds(n: int, folds: int = 10, seed: int | None = None) -> np.ndarray:
    """Fold labels 1..folds, as glmnet's ``sample(rep(seq(nfolds), length = n))``.

    Parameters
    ----------
    n : int
        Number of rows.
    folds : int
        Number of folds (glmnet's ``nfolds``).
    seed : int, optional
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        ``n`` labels in 1..folds, sizes as equal as possible, in random order.

    See Also
    --------
    cv_lasso : uses them (or a ``foldid`` you give).

    Notes
    -----
    Same scheme as R's (balanced sizes, random order) from a numpy Generator; R's RNG
    differs, so pass ``foldid`` to reproduce an R run.

    References
    ----------
    .. [1] R: the ``foldid`` rule inside ``glmnet::cv.glmnet``.

    Examples
    --------
    >>> np.bincount(make_folds(23, 5, seed=0))[1:]
    array([5, 5, 5, 4, 4])
    """
    rng = np.random.default_rng(seed)
    return rng.permutation(np.resize(np.arange(1, folds + 1), n))


def cv_lasso(
    X: Any = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: Any = None,
    features: Sequence[Any] | None = None,
    folds: int = 10,
    seed: int | None = None,
    foldid: Sequence[int] | np.ndarray | None = None,
    lambdas: Sequence[float] | None = None,
    nlambda: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    thresh: float = THRESH,
    maxit: int = MAXIT,
    n_jobs: int | None = None,
    positive: Any = None,
) -> LassoCV:
    """k-fold cross-validation of the LASSO path, as ``cv.glmnet(family = "binomial")``.

    Parameters
    ----------
    X, y : optional
        Features and binary outcome (see :func:`cetrus.stats.lasso.lasso_path`); or
        ``data=`` with ``outcome=`` (and ``features=``, default every other column).
    data, outcome, features : keyword-only, optional
        The table form of ``X``, ``y``.
    folds : int, keyword-only
        Number of folds when ``foldid`` is not given (glmnet's ``nfolds``, >= 3).
    seed : int, keyword-only, optional
        Seed of the fold assignment (:func:`make_folds`).
    foldid : sequence or array of int, keyword-only, optional
        Fold label of each row (as glmnet's ``foldid``); overrides ``folds``/``seed``.
    lambdas, nlambda, lambda_min_ratio, standardize, thresh, maxit : keyword-only
        As :func:`~cetrus.stats.lasso.lasso_path` (each fold's fit too, as ``cv.glmnet``
        passes its ``...`` to every ``glmnet`` call).
    n_jobs : int, keyword-only, optional
        Threads for the full-data fit and the fold fits (default: the CPUs this
        process may use, at most ``folds + 1``; ``1`` = one after the other). The
        fits are independent, so the result does not depend on ``n_jobs``.
    positive : keyword-only, optional
        The case level of the outcome.

    Returns
    -------
    LassoCV
        ``cvm``/``cvsd`` (binomial deviance, glmnet's default ``type.measure``),
        ``lambda_min`` and ``lambda_1se``, and the full-data ``path``.

    See Also
    --------
    cetrus.stats.lasso.lasso_path : the path it cross-validates.
    cetrus.stats.radscore.radiomics_score : the chosen coefficients as a score.

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
    from the rows' deviances, ``/(n − 1)``); so does cetrus. A fold whose training rows
    hold fewer than 2 cases or controls: :class:`~cetrus.errors.InputError`. Own code:
    no Python library has ``cv.glmnet``'s rules.

    References
    ----------
    .. [1] Friedman J, Hastie T, Tibshirani R (2010). *J Stat Softw* 33(1):1–22.
    .. [2] R: ``glmnet::cv.glmnet(x, y, family = "binomial")``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> d = pd.DataFrame(rng.normal(size=(80, 4)), columns=["a", "b", "c", "d"])
    >>> d["y"] = (d["a"] + rng.normal(size=80) > 0).astype(int)
    >>> cv = cv_lasso(data=d, outcome="y", foldid=np.resize([1, 2, 3, 4], 80), n_jobs=1)
    >>> round(cv.lambda_min, 4), int(cv.nzero[cv.index_min])
    (0.0447, 1)
    """
    X, y = resolve_xy(X, y, data, outcome, features, "cv_lasso")
    arr, names = feature_matrix(X)
    n = arr.shape[0]
    yv = lasso_outcome(y, n, positive)
    if foldid is None:
        if not isinstance(folds, (int, np.integer)) or folds < 3 or folds > n:
            raise InputError(
                f"The 'folds' parameter of cv_lasso must be an integer in [3, n={n}]. "
                f"Got {folds!r} instead."
            )
        fid = make_folds(n, int(folds), seed)
    else:
        raw = np.asarray(foldid).ravel()
        if raw.size != n:
            raise InputError(f"'foldid' has {raw.size} values but X has {n} rows.")
        _, fid = np.unique(raw, return_inverse=True)
        fid = fid + 1
        if fid.max() < 3:
            raise InputError(
                f"'foldid' must define at least 3 folds (glmnet's rule). Got {fid.max()}."
            )
    k = int(fid.max())
    _check_control(thresh, maxit, "cv_lasso")
    for f in range(1, k + 1):
        yt = yv[fid != f]
        if min(yt.sum(), yt.size - yt.sum()) < 2:
            raise InputError(
                f"fold {f} leaves fewer than 2 cases or controls for training; "
                f"use fewer folds or stratified foldid."
            )
    ulam = (
        None
        if lambdas is None
        else np.sort(np.asarray(lambdas, dtype=np.float64).ravel())[::-1].copy()
    )
    grouped = n / k >= 3
    if not grouped:
        warnings.warn(
            "grouped=FALSE enforced (as cv.glmnet does), since < 3 observations per fold.",
            UndefinedStatisticWarning,
            stacklevel=2,
        )

    def full_fit() -> LassoPath:
        return _fit_path(
            arr,
            names,
            yv,
            lambdas,
            nlambda,
            lambda_min_ratio,
            standardize,
            thresh,
            maxit,
            "cv_lasso",
        )

    def fold_fit(f: int) -> _Fit:
        train = fid != f
        return _lognet(
            arr[train], yv[train], ulam, int(nlambda), lambda_min_ratio, standardize, thresh, maxit
        )

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
    from scipy.special import expit

    lam = full.lambdas
    fold_means = np.zeros((k, lam.size))
    fold_sizes = np.zeros(k)
    row_dev = None if grouped else np.zeros((n, lam.size))
    for f, fit in enumerate(fold_fits, start=1):
        test = fid == f
        a, b = _interp_coefficients(fit.lambdas, fit.a0, fit.beta, lam)
        eta = arr[test] @ b + a
        prob = np.clip(expit(eta), _PROB_MIN, 1.0 - _PROB_MIN)
        yy = yv[test][:, None]
        dev = -2.0 * (yy * np.log(prob) + (1.0 - yy) * np.log(1.0 - prob))
        fold_means[f - 1] = dev.mean(axis=0)
        fold_sizes[f - 1] = test.sum()
        if row_dev is not None:
            row_dev[test] = dev
    wts = fold_sizes / fold_sizes.sum()
    cvm = wts @ fold_means
    if row_dev is None:
        cvsd = np.sqrt((wts @ (fold_means - cvm) ** 2) / (k - 1))
    else:
        cvsd = np.sqrt(((row_dev - cvm) ** 2).mean(axis=0) / (n - 1))
    i_min = int(np.flatnonzero(cvm <= cvm.min())[0])  # lambdas decrease: first = largest
    i_1se = int(np.flatnonzero(cvm <= cvm[i_min] + cvsd[i_min])[0])
    return LassoCV(
        lambdas=lam,
        cvm=cvm,
        cvsd=cvsd,
        cvup=cvm + cvsd,
        cvlo=cvm - cvsd,
        nzero=full.nzero,
        lambda_min=float(lam[i_min]),
        lambda_1se=float(lam[i_1se]),
        index_min=i_min,
        index_1se=i_1se,
        foldid=fid,
        n_folds=k,
        seed=None if foldid is not None else seed,
        measure="deviance",
        path=full,
    )
