"""Input handling shared by the feature-selection modules (screening, LASSO, CV, score).

Every public function there takes arrays (``X``, ``y``) *or* ``data=`` plus column names
(``outcome=``, ``features=``), as pingouin does; :func:`resolve_xy` turns either form
into the same ``(X, y)`` pair, and :func:`feature_matrix` checks the features.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from cetrus.errors import InputError
from cetrus.stats._validation import binary_outcome


def resolve_x(X: Any, data: Any, features: Sequence[Any] | None, func: str) -> Any:
    """``X`` as given, or ``data[features]`` (default: every column of ``data``)."""
    if data is None:
        if X is None:
            raise InputError(
                f"{func} needs the features: pass X (array or DataFrame) or data= with features=."
            )
        if features is not None:
            raise InputError(
                f"The 'features' parameter of {func} names columns of data=; "
                f"pass data= too, or select the columns of X yourself."
            )
        return X
    if X is not None:
        raise InputError(f"{func} takes X or data=, not both.")
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    cols = list(data.columns) if features is None else list(features)
    _check_columns(data, cols, "features", func)
    return data[cols]


def resolve_xy(
    X: Any, y: Any, data: Any, outcome: Any, features: Sequence[Any] | None, func: str
) -> tuple[Any, Any]:
    """``(X, y)`` from arrays, or from ``data=`` + ``outcome=`` (+ ``features=``, default:
    every other column)."""
    if data is None:
        if outcome is not None:
            raise InputError(
                f"The 'outcome' parameter of {func} names a column of data=; "
                f"pass data= too, or pass the outcome itself as y."
            )
        if y is None:
            raise InputError(f"{func} needs the outcome: pass y, or data= with outcome=.")
        return resolve_x(X, None, features, func), y
    if y is not None:
        raise InputError(f"{func} takes y or data= with outcome=, not both.")
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    if outcome is None:
        raise InputError(f"{func} with data= needs outcome= (the outcome's column name).")
    _check_columns(data, [outcome], "outcome", func)
    if features is None:
        features = [c for c in data.columns if c != outcome]
    elif outcome in list(features):
        raise InputError(f"The outcome column {outcome!r} is also listed in 'features' of {func}.")
    return resolve_x(X, data, features, func), data[outcome]


def _check_columns(data: pd.DataFrame, cols: list, param: str, func: str) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        shown = ", ".join(map(str, list(data.columns)[:12]))
        raise InputError(
            f"The {param!r} column {missing[0]!r} of {func} is not in the data (columns: {shown})."
        )


def feature_matrix(X: Any, name: str = "X") -> tuple[np.ndarray, tuple[str, ...]]:
    """X as float64 (n, p) and its column names (``x0, x1, …`` for arrays)."""
    if isinstance(X, pd.DataFrame):
        names = tuple(str(c) for c in X.columns)
        bad = [
            (c, dt)
            for c, dt in X.dtypes.items()
            if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt))
        ]
        if bad:
            raise InputError(
                f"column {str(bad[0][0])!r} of {name!r} must be numeric (dtype {bad[0][1]})."
            )
        arr = X.to_numpy(dtype=np.float64)
    else:
        arr = np.asarray(X, dtype=np.float64)
        if arr.ndim == 1:
            arr = arr[:, None]
        names = tuple(f"x{j}" for j in range(arr.shape[1] if arr.ndim == 2 else 0))
    if arr.ndim != 2:
        raise InputError(
            f"{name!r} must be two-dimensional (rows = patients). Got shape {arr.shape} instead."
        )
    if not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(
            f"{name!r} has a missing or infinite value (row {int(bad[0])}, column "
            f"{names[int(bad[1])]!r}); drop or impute it first."
        )
    return arr, names


def lasso_outcome(y: Any, n: int, positive: Any) -> np.ndarray:
    """The binary outcome as 0/1 floats, with at least 2 cases and 2 controls (glmnet's rule)."""
    out = binary_outcome(y, "y", positive=positive)
    if out.is_case.size != n:
        raise InputError(f"'y' has {out.is_case.size} values but X has {n} rows.")
    if min(out.n_cases, out.n_controls) < 2:
        # glmnet refuses a class with 0 or 1 observations
        raise InputError(
            f"'y' needs at least 2 cases and 2 controls for the LASSO; got "
            f"{out.n_cases} case(s) and {out.n_controls} control(s)."
        )
    return out.is_case.astype(np.float64)


def columns_for(X: Any, features: Sequence[str]) -> np.ndarray:
    """The columns ``features`` of a DataFrame (by name) or of an array (all, in order)."""
    if isinstance(X, pd.DataFrame):
        missing = [f for f in features if f not in X.columns]
        if missing:
            raise InputError(f"column {missing[0]!r} (a selected feature) not found in the data.")
        arr, _ = feature_matrix(X[list(features)])
        return arr
    arr, _ = feature_matrix(X)
    if arr.shape[1] != len(features):
        raise InputError(
            f"X must have {len(features)} columns (the features in order). "
            f"Got {arr.shape[1]} instead."
        )
    return arr
