"""Radiomics feature selection: the pipeline Mann–Whitney → Spearman → LASSO → score.

This module is the **pipeline** (:func:`select_features`, :class:`FeatureSelection`);
each step lives in its own module, and this one re-exports their public names so
that imports from ``cetrus.stats.selection`` written before the split keep working:

=====================================  ==========================================  ==========================
module                                 what                                        R twin
=====================================  ==========================================  ==========================
:mod:`cetrus.stats.screening`          ``mwu_pvalues``, ``spearman``,              ``wilcox.test``,
                                       ``spearman_filter``                         ``cor(method="spearman")``
:mod:`cetrus.stats.lasso`              ``lasso_path`` (glmnet's Fortran),          ``glmnet``
                                       ``LassoPath``, ``default_lambdas``
:mod:`cetrus.stats.lasso_cv`           ``cv_lasso``, ``LassoCV``, ``make_folds``   ``cv.glmnet``
:mod:`cetrus.stats.radscore`           ``radiomics_score``, ``RadiomicsScore``     ``predict(type = "link")``
:mod:`cetrus.stats.feature_agreement`  ``agreement``, ``rater_agreement``,         ``psych::ICC`` per feature
                                       ``RaterAgreement``
=====================================  ==========================================  ==========================

The paper (Sections 2.4–2.6) screens the 1,920 DenseNet201 features of each modality
on the training cohort in three steps and turns the survivors into one number per
patient:

1. **Mann–Whitney U** screen, keep ``p < 0.05`` — R's ``wilcox.test(x, y)`` at its
   defaults;
2. **Spearman redundancy filter** — visit features by ascending MWU p (ties: column
   order) and keep one when ``|rho| <= 0.9`` with every feature already kept;
3. **LASSO logistic regression** with glmnet's objective and k-fold CV
   (``glmnet::cv.glmnet(x, y, family = "binomial")``), keep the non-zero
   coefficients at ``lambda.min`` (or ``lambda.1se``);
4. **radiomics score** = the LASSO linear predictor
   (``predict(fit, newx, s = lambda, type = "link")``).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypedDict

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._features import feature_matrix, resolve_xy
from cetrus.stats._validation import binary_outcome, choice
from cetrus.stats.feature_agreement import RaterAgreement, agreement, rater_agreement
from cetrus.stats.lasso import MAXIT, THRESH, LassoPath, default_lambdas, lasso_path
from cetrus.stats.lasso_cv import LassoCV, cv_lasso, make_folds
from cetrus.stats.radscore import RadiomicsScore, radiomics_score
from cetrus.stats.screening import mwu_pvalues, spearman, spearman_filter

__all__ = [
    # the pipeline
    "FeatureSelection",
    "select_features",
    # re-exported from the step modules (imports from before the split)
    "mwu_pvalues",
    "spearman",
    "spearman_filter",
    "THRESH",
    "MAXIT",
    "LassoPath",
    "default_lambdas",
    "lasso_path",
    "LassoCV",
    "cv_lasso",
    "make_folds",
    "RadiomicsScore",
    "radiomics_score",
    "RaterAgreement",
    "agreement",
    "rater_agreement",
]


class _ScreenFields(TypedDict):
    """The screening fields every :class:`FeatureSelection` carries (LASSO or not)."""

    mwu_pvalues: dict[str, float]
    after_mwu: tuple[str, ...]
    after_spearman: tuple[str, ...]
    p_threshold: float
    rho_threshold: float
    n: int
    n_cases: int


@dataclass(frozen=True, slots=True, repr=False)
class FeatureSelection(Result):
    """The three-step selection and the radiomics score's coefficients.

    Attributes
    ----------
    mwu_pvalues : dict
        ``{feature: Mann–Whitney p}`` of every candidate.
    after_mwu : tuple of str
        Features with ``p < p_threshold``, in column order.
    after_spearman : tuple of str
        Kept by the Spearman filter, in visiting order (ascending p, ties by column order).
    selected : tuple of str
        Features with a non-zero LASSO coefficient at ``lambda_``, in ``after_spearman``
        order.
    coefficients : dict
        ``{feature: coefficient}`` of ``selected``.
    intercept, lambda_ : float
        The score's intercept and the lambda (``nan`` when the LASSO did not run).
    lambda_rule : str
        ``"min"`` or ``"1se"``.
    cv : LassoCV or None
        The cross-validated LASSO (``None`` when it did not run).
    lasso : bool
        Whether step 3 was asked for.
    p_threshold, rho_threshold : float
    n, n_cases : int
    method : str

    See Also
    --------
    select_features : builds it.
    cetrus.stats.radscore.RadiomicsScore : :attr:`radscore`, the score itself.

    Notes
    -----
    ``repr`` shows the counts at each stage; ``print`` a stage-by-stage summary and the
    score's coefficients; :meth:`to_frame` the selected features with their coefficient
    and Mann–Whitney p.

    References
    ----------
    .. [1] R: ``wilcox.test``, ``cor(method = "spearman")``, ``glmnet::cv.glmnet``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> y = np.r_[np.ones(40), np.zeros(40)].astype(int)
    >>> X = pd.DataFrame(rng.normal(size=(80, 6)) + 0.8 * y[:, None] * [1, 1, 0, 0, 1, 0],
    ...                  columns=[f"f{j}" for j in range(6)])
    >>> fs = select_features(X, y, folds=5, seed=1, n_jobs=1)
    >>> fs
    FeatureSelection(n_features=6, n_after_mwu=3, n_after_spearman=3, n_selected=3, lambda_=0.01408, lambda_rule='min', n=80, n_cases=40)
    >>> print(fs)
    Radiomics feature selection (n = 80, 40 cases)
    <BLANKLINE>
    stage                                            features
    candidates                                              6
    Mann-Whitney U p < 0.05                                 3
    Spearman |rho| <= 0.9, greedy by ascending p            3
    LASSO, 5-fold CV deviance, lambda.min = 0.01408         3
    <BLANKLINE>
    Radiomics score = intercept + sum of coefficient x feature:
        feature coefficient mwu_pvalue
    (Intercept)     -0.7956         NA
             f4      0.6217    0.00121
             f1       0.767   0.001842
             f0       0.478   0.009808
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

    _headline: ClassVar[tuple[str, ...]] = (
        "n_features",
        "n_after_mwu",
        "n_after_spearman",
        "n_selected",
        "lambda_",
        "lambda_rule",
        "n",
        "n_cases",
    )

    @property
    def n_features(self) -> int:
        """Candidate features (before the screen)."""
        return len(self.mwu_pvalues)

    @property
    def n_after_mwu(self) -> int:
        """Features passing the Mann–Whitney screen."""
        return len(self.after_mwu)

    @property
    def n_after_spearman(self) -> int:
        """Features kept by the Spearman filter."""
        return len(self.after_spearman)

    @property
    def n_selected(self) -> int:
        """Features with a non-zero LASSO coefficient."""
        return len(self.selected)

    @property
    def radscore(self) -> RadiomicsScore:
        """The radiomics score (:class:`~cetrus.stats.radscore.RadiomicsScore`)."""
        if not self.lasso:
            raise InputError(
                "this selection ran without the LASSO (lasso=False): it has no radiomics score."
            )
        return RadiomicsScore(
            features=self.selected,
            coefficients=dict(self.coefficients),
            intercept=self.intercept,
            lambda_=self.lambda_,
            lambda_rule=self.lambda_rule,
        )

    def score(self, X: Any) -> np.ndarray:
        """The radiomics score: ``intercept + X[selected] @ coefficients`` (the LASSO linear predictor)."""
        return self.radscore.score(X)

    def to_frame(self) -> pd.DataFrame:
        """The selected features: ``feature``, ``coefficient``, ``mwu_pvalue`` (one row each,
        in selection order; empty when nothing was selected or without the LASSO the
        Spearman survivors with ``coefficient`` ``nan``)."""
        feats = self.selected if self.lasso else self.after_spearman
        return pd.DataFrame(
            {
                "feature": list(feats),
                "coefficient": [float(self.coefficients.get(f, np.nan)) for f in feats],
                "mwu_pvalue": [float(self.mwu_pvalues[f]) for f in feats],
            }
        )

    def _print_lines(self) -> list[str]:
        stages = [
            ("candidates", self.n_features),
            (f"Mann-Whitney U p < {self.p_threshold:g}", self.n_after_mwu),
            (
                f"Spearman |rho| <= {self.rho_threshold:g}, greedy by ascending p",
                self.n_after_spearman,
            ),
        ]
        if self.lasso and self.cv is not None:
            stages.append(
                (
                    f"LASSO, {self.cv.n_folds}-fold CV deviance, lambda.{self.lambda_rule}"
                    f" = {format_value(self.lambda_)}",
                    self.n_selected,
                )
            )
        elif self.lasso:
            stages.append(("LASSO skipped (nothing to fit)", 0))
        width = max(len(s) for s, _ in stages)
        lines = [
            f"Radiomics feature selection (n = {self.n}, {self.n_cases} cases)",
            "",
            f"{'stage':<{width}}  features",
            *(f"{s:<{width}}  {c:>8}" for s, c in stages),
        ]
        if self.lasso:
            frame = self.to_frame()
            head = pd.DataFrame(
                {
                    "feature": ["(Intercept)"],
                    "coefficient": [self.intercept],
                    "mwu_pvalue": [np.nan],
                }
            )
            frame = pd.concat([head, frame], ignore_index=True)
            for col in ("coefficient", "mwu_pvalue"):
                frame[col] = [format_value(float(v)) for v in frame[col]]
            lines += [
                "",
                "Radiomics score = intercept + sum of coefficient x feature:",
                *frame.to_string(index=False).splitlines(),
            ]
        return lines


def select_features(
    X: pd.DataFrame | None = None,
    y: Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: Any = None,
    features: Sequence[Any] | None = None,
    p_threshold: float = 0.05,
    rho_threshold: float = 0.9,
    lasso: bool = True,
    folds: int = 10,
    seed: int | None = 0,
    foldid: Sequence[int] | np.ndarray | None = None,
    lambda_rule: str = "min",
    n_jobs: int | None = None,
    positive: Any = None,
) -> FeatureSelection:
    """The paper's three-step selection (see the module docstring) on a training cohort.

    Parameters
    ----------
    X : DataFrame, optional
        Candidate features (rows = training patients; names are reported); or ``data=``.
    y : array-like, optional
        Binary outcome.
    data, outcome, features : keyword-only, optional
        The table form: ``data[outcome]`` is ``y``, ``data[features]`` is ``X``
        (default: every other column).
    p_threshold : float, keyword-only
        Keep features with Mann–Whitney ``p < p_threshold`` (default 0.05).
    rho_threshold : float, keyword-only
        Spearman redundancy threshold (keep when ``|rho| <= rho_threshold``; default 0.9).
    lasso : bool, keyword-only
        Run step 3 (``False`` stops after the Spearman filter).
    folds, seed, foldid : keyword-only
        Cross-validation folds (:func:`~cetrus.stats.lasso_cv.cv_lasso`).
    lambda_rule : {"min", "1se"}, keyword-only
        ``lambda.min`` (default) or ``lambda.1se``.
    n_jobs : int, keyword-only, optional
        Threads of the LASSO's cross-validation; pass ``1`` inside worker processes
        that already use every core.
    positive : keyword-only, optional
        The case level of the outcome.

    Returns
    -------
    FeatureSelection
        With :meth:`FeatureSelection.score` giving the radiomics score of any cohort.

    See Also
    --------
    cetrus.stats.screening.mwu_pvalues, cetrus.stats.screening.spearman_filter,
    cetrus.stats.lasso_cv.cv_lasso, cetrus.stats.radscore.radiomics_score : the steps.

    Notes
    -----
    Edge cases: columns with an undefined p-value (constant) never pass the screen; if
    nothing passes, ``selected`` is empty and the score is the intercept-only model
    (``logit(mean(y))``) with an :class:`~cetrus.errors.UndefinedStatisticWarning`. A
    single surviving feature is still fitted.

    References
    ----------
    .. [1] Tibshirani R (1996). Regression shrinkage and selection via the lasso.
       *J R Stat Soc B* 58:267–288.
    .. [2] R: ``wilcox.test``, ``cor(X, method = "spearman")``,
       ``glmnet::cv.glmnet(X, y, family = "binomial")``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> d = pd.DataFrame(rng.normal(size=(80, 4)), columns=["a", "b", "c", "d"])
    >>> d["y"] = (d["a"] - d["b"] + rng.normal(size=80) > 0).astype(int)
    >>> fs = select_features(data=d, outcome="y", folds=5, n_jobs=1)
    >>> fs.after_mwu, fs.selected
    (('a', 'b'), ('a', 'b'))
    """
    X, y = resolve_xy(X, y, data, outcome, features, "select_features")
    if not isinstance(X, pd.DataFrame):
        raise InputError("'X' of select_features must be a DataFrame (feature names are reported).")
    choice(lambda_rule, ("min", "1se"), "lambda_rule", "select_features")
    if not 0.0 < float(p_threshold) <= 1.0:
        raise InputError(
            f"The 'p_threshold' parameter of select_features must be in (0, 1]. "
            f"Got {p_threshold!r} instead."
        )
    arr, names = feature_matrix(X)
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
    after_spearman = (
        tuple(spearman_filter(Xs[list(after_mwu)], order, threshold=rho_threshold))
        if after_mwu
        else ()
    )
    base = _ScreenFields(
        mwu_pvalues={str(k): float(v) for k, v in pv.items()},  # index: feature_matrix names
        after_mwu=after_mwu,
        after_spearman=after_spearman,
        p_threshold=float(p_threshold),
        rho_threshold=float(rho_threshold),
        n=int(yv.size),
        n_cases=int(yv.sum()),
    )
    method = (
        f"Mann-Whitney U (wilcox.test at R's defaults) p < {float(p_threshold):g}; Spearman |rho| <= {float(rho_threshold):g} "
        "greedy by ascending p; "
    )
    if not lasso:
        return FeatureSelection(
            **base,
            selected=after_spearman,
            coefficients={},
            intercept=float("nan"),
            lambda_=float("nan"),
            lambda_rule=lambda_rule,
            cv=None,
            lasso=False,
            method=method + "no LASSO",
        )
    ybar = float(yv.mean())
    if not after_spearman:
        warnings.warn(
            "no feature passed the Mann-Whitney screen: the radiomics score is the "
            "intercept-only model.",
            UndefinedStatisticWarning,
            stacklevel=2,
        )
        return FeatureSelection(
            **base,
            selected=(),
            coefficients={},
            intercept=math.log(ybar / (1 - ybar)),
            lambda_=float("nan"),
            lambda_rule=lambda_rule,
            cv=None,
            lasso=True,
            method=method + "LASSO skipped",
        )
    cv = cv_lasso(
        Xs[list(after_spearman)], yv, folds=folds, seed=seed, foldid=foldid, n_jobs=n_jobs
    )
    rs = radiomics_score(cv, lambda_rule=lambda_rule)
    return FeatureSelection(
        **base,
        selected=rs.features,
        coefficients=rs.coefficients,
        intercept=rs.intercept,
        lambda_=rs.lambda_,
        lambda_rule=lambda_rule,
        cv=cv,
        lasso=True,
        method=method + f"LASSO logistic (glmnet lognet), {cv.n_folds}-fold "
        f"CV deviance, lambda.{lambda_rule}",
    )
