"""Input checks shared by the statistics (never ``assert``).

Every message names the argument (or column) and the offending value, following
one template, so the CLI can print it as a single line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cetrus.errors import InputError


@dataclass(frozen=True, slots=True)
class BinaryOutcome:
    """A binary outcome coded as booleans (``True`` = case) plus how it was coded."""

    is_case: np.ndarray
    levels: tuple[Any, Any]  # (control level, case level)

    @property
    def n_cases(self) -> int:
        return int(self.is_case.sum())

    @property
    def n_controls(self) -> int:
        return int(self.is_case.size - self.is_case.sum())


def _as_1d(values: Any, name: str) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if arr.ndim != 1:
        raise InputError(f"{name!r} must be one-dimensional. Got shape {arr.shape} instead.")
    return arr


def numeric_vector(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """Return ``values`` as a 1-d float64 array, or raise naming ``name``."""
    arr = _as_1d(values, name)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        try:
            arr = pd.to_numeric(pd.Series(arr), errors="raise").to_numpy(dtype=np.float64)
        except (ValueError, TypeError):
            bad = next((v for v in arr if _not_number(v)), None)
            raise InputError(
                f"{name!r} must be numeric. Got non-numeric value {bad!r} instead."
            ) from None
    arr = np.asarray(arr, dtype=np.float64)
    if not allow_nan:
        n_missing = int(np.isnan(arr).sum())
        if n_missing:
            raise InputError(
                f"{name!r} has {n_missing} missing value(s) (first at position "
                f"{int(np.flatnonzero(np.isnan(arr))[0])}); drop or impute them first."
            )
    if np.isinf(arr).any():
        raise InputError(f"{name!r} must be finite. Got an infinite value instead.")
    return arr


def _not_number(v: Any) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return True
    return False


def binary_outcome(values: Any, name: str = "y_true", *, positive: Any = None) -> BinaryOutcome:
    """Code a two-level outcome as booleans.

    The case level is ``positive`` when given, else the larger of the two sorted
    levels (so 0/1 → 1 is the case, ``"no"/"yes"`` → ``"yes"``), as DESIGN.md's
    outcome-coding contract says.
    """
    arr = _as_1d(values, name)
    missing = pd.isna(arr)
    if missing.any():
        raise InputError(
            f"{name!r} has {int(missing.sum())} missing value(s) (first at position "
            f"{int(np.flatnonzero(missing)[0])}); drop them first."
        )
    levels = sorted(pd.unique(arr).tolist(), key=_level_key)
    if positive is not None:
        positive = _match_level(positive, levels, name)
    if len(levels) > 2:
        shown = ", ".join(repr(v) for v in levels[:6]) + (", …" if len(levels) > 6 else "")
        raise InputError(f"{name!r} must have exactly two levels. Got {len(levels)}: {shown}.")
    if len(levels) < 2:
        raise InputError(
            f"{name!r} must have two levels (cases and controls). Got a single level {levels[0]!r}."
            if levels
            else f"{name!r} is empty."
        )
    case = levels[1] if positive is None else positive
    control = levels[0] if case == levels[1] else levels[1]
    return BinaryOutcome(is_case=(arr == case), levels=(control, case))


def _level_key(v: Any) -> tuple[int, Any]:
    # numbers before strings, each sorted naturally
    if isinstance(v, (bool, np.bool_)):
        return (0, int(v))
    if isinstance(v, (int, float, np.integer, np.floating)):
        return (0, float(v))
    return (1, str(v))


def _match_level(positive: Any, levels: Sequence[Any], name: str) -> Any:
    for level in levels:
        if level == positive or str(level) == str(positive):
            return level
        if not _not_number(level) and not _not_number(positive) and float(level) == float(positive):
            return level
    raise InputError(
        f"The positive level {positive!r} does not occur in {name!r} "
        f"(levels: {', '.join(repr(v) for v in levels)})."
    )


def same_length(**arrays: np.ndarray) -> None:
    """Raise if the named arrays differ in length."""
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        desc = ", ".join(f"{k}={n}" for k, n in lengths.items())
        raise InputError(f"Inputs must have the same length. Got {desc}.")


def conf_level(value: float, func: str) -> float:
    """Check a confidence level in (0, 1)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = float("nan")
    if not 0.0 < v < 1.0:
        raise InputError(
            f"The 'conf_level' parameter of {func} must be a number in (0, 1). Got {value!r} instead."
        )
    return v


def choice(value: Any, options: Sequence[Any], param: str, func: str) -> Any:
    """Check that ``value`` is one of ``options``."""
    if value not in options:
        opts = ", ".join(repr(o) for o in options)
        raise InputError(
            f"The {param!r} parameter of {func} must be one of {opts}. Got {value!r} instead."
        )
    return value
