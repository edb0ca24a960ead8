"""The radiomics score: the LASSO's linear predictor at the chosen lambda.

The paper (Section 2.6) turns the features the LASSO keeps into one number per
patient, the *radiomics score* (Rad-score)

.. math:: \\text{score}_i = \\hat\\beta_0 + \\sum_{j \\in S} \\hat\\beta_j x_{ij},

with :math:`S` the features whose coefficient at ``lambda.min`` (or ``lambda.1se``) is
not zero — R's ``predict(cv, newx, s = "lambda.min", type = "link")``.

=========================  =========================================================
name                       R twin (glmnet 4.1-6)
=========================  =========================================================
:func:`radiomics_score`    ``coef(cv, s = "lambda.min")``, its non-zero rows
:class:`RadiomicsScore`    ``predict(cv, newx, s = "lambda.min", type = "link")``
=========================  =========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.stats._features import columns_for
from cetrus.stats._validation import choice

__all__ = ["RadiomicsScore", "radiomics_score"]


@dataclass(frozen=True, slots=True, repr=False)
class RadiomicsScore(Result):
    """A linear score: ``intercept + Σ coefficient × feature`` over the chosen features.

    Attributes
    ----------
    features : tuple of str
        The features with a non-zero coefficient, in the path's column order.
    coefficients : dict
        ``{feature: coefficient}`` on the features' original scale.
    intercept : float
    lambda_ : float
        The lambda the coefficients come from (``nan``: intercept-only, no LASSO fitted).
    lambda_rule : str
        ``"min"`` (``lambda.min``) or ``"1se"`` (``lambda.1se``).

    See Also
    --------
    radiomics_score : builds it from a cross-validated path.
    cetrus.stats.selection.FeatureSelection.radscore : the paper's score.

    Notes
    -----
    With no feature (nothing passed the screens) the score is the intercept for every
    row. :meth:`score` (also the call ``s(X)``) takes a DataFrame (columns by name) or
    an array holding exactly the chosen features, in order.

    References
    ----------
    .. [1] R: ``predict(cv.glmnet, newx, s = "lambda.min", type = "link")``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = RadiomicsScore(features=("a", "c"), coefficients={"a": 0.5, "c": -2.0},
    ...                    intercept=1.0, lambda_=0.02, lambda_rule="min")
    >>> s(pd.DataFrame({"a": [2.0, 0.0], "b": [9.0, 9.0], "c": [1.0, 0.5]}))
    array([0., 0.])
    >>> print(s)
    Radiomics score (LASSO linear predictor at lambda.min = 0.02)
    <BLANKLINE>
        feature coefficient
    (Intercept)           1
              a         0.5
              c          -2
    """

    features: tuple[str, ...]
    coefficients: dict[str, float]
    intercept: float
    lambda_: float
    lambda_rule: str

    _headline: ClassVar[tuple[str, ...]] = ("n_features", "intercept", "lambda_", "lambda_rule")

    @property
    def n_features(self) -> int:
        """Number of features in the score."""
        return len(self.features)

    def score(self, X: Any) -> np.ndarray:
        """The score of each row of ``X`` (a DataFrame holding the features, or an array
        of exactly those columns in order)."""
        if not self.features:
            return np.full(len(X), float(self.intercept))
        arr = columns_for(X, self.features)
        return arr @ np.array([self.coefficients[f] for f in self.features]) + self.intercept

    def __call__(self, X: Any) -> np.ndarray:
        return self.score(X)

    def to_frame(self) -> pd.DataFrame:
        """``feature``, ``coefficient``: ``(Intercept)`` first, then the features
        (``coef(cv, s = …)``'s non-zero rows)."""
        return pd.DataFrame(
            {
                "feature": ["(Intercept)", *self.features],
                "coefficient": [
                    float(self.intercept),
                    *(float(self.coefficients[f]) for f in self.features),
                ],
            }
        )

    def _print_lines(self) -> list[str]:
        head = (
            "Radiomics score (intercept only: no LASSO fit)"
            if not np.isfinite(self.lambda_)
            else f"Radiomics score (LASSO linear predictor at lambda.{self.lambda_rule} = "
            f"{format_value(self.lambda_)})"
        )
        frame = self.to_frame()
        frame["coefficient"] = [format_value(v) for v in frame["coefficient"]]
        return [head, "", *frame.to_string(index=False).splitlines()]


def radiomics_score(cv: Any, *, lambda_rule: str = "min") -> RadiomicsScore:
    """The radiomics score of a cross-validated LASSO at ``lambda.min`` or ``lambda.1se``.

    Parameters
    ----------
    cv : LassoCV
        From :func:`cetrus.stats.lasso_cv.cv_lasso`.
    lambda_rule : {"min", "1se"}, keyword-only
        ``"min"``: the largest lambda with minimal CV deviance (glmnet's ``lambda.min``,
        the paper's choice); ``"1se"``: the largest within one standard error of it.

    Returns
    -------
    RadiomicsScore
        The non-zero coefficients of the full-data path at that lambda and its intercept.

    See Also
    --------
    cetrus.stats.lasso_cv.cv_lasso : the cross-validation.
    cetrus.stats.selection.select_features : the paper's whole selection.

    Notes
    -----
    The lambda is one of the path's own lambdas (``cv.glmnet``'s ``lambda.min`` always
    is), so no interpolation is needed.

    References
    ----------
    .. [1] R: ``coef(cv, s = "lambda.min")`` and ``predict(cv, newx, s = "lambda.min")``.

    Examples
    --------
    >>> import numpy as np
    >>> from cetrus.stats.lasso_cv import cv_lasso
    >>> rng = np.random.default_rng(1)
    >>> X = rng.normal(size=(80, 4))
    >>> y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    >>> s = radiomics_score(cv_lasso(X, y, folds=5, seed=0, n_jobs=1))
    >>> s.features, round(s.coefficients["x0"], 3)
    (('x0',), 1.766)
    """
    choice(lambda_rule, ("min", "1se"), "lambda_rule", "radiomics_score")
    i = cv.index_min if lambda_rule == "min" else cv.index_1se
    coef = cv.path.coef[:, i]
    features = tuple(f for f, c in zip(cv.path.features, coef) if c != 0)
    return RadiomicsScore(
        features=features,
        coefficients={f: float(c) for f, c in zip(cv.path.features, coef) if c != 0},
        intercept=float(cv.path.intercept[i]),
        lambda_=float(cv.lambdas[i]),
        lambda_rule=lambda_rule,
    )
