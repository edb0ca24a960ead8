"""The training/test split of the study: stratified 8:2, one split per seed.

The paper drew 10 random 8:2 splits and reported one (Section 2.1). Its Tables 3–4
imply a test cohort of 24 cases + 152 controls out of 122 + 756 (every test
sensitivity is k/24 and specificity k/152) — exactly the allocation of scikit-learn's
``train_test_split(test_size=0.2, stratify=y)``: ``ceil(0.2·878) = 176`` test patients,
split between the classes by the largest remainders of ``176·(756, 122)/878``.
We use that function, so a seed here is scikit-learn's ``random_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cetrus._results import Result
from cetrus.errors import InputError

__all__ = ["Split", "stratified_split"]


@dataclass(frozen=True, slots=True)
class Split(Result):
    """Boolean mask of the training rows (``~train`` is the test cohort) and how it was drawn."""

    train: np.ndarray
    seed: int
    test_fraction: float
    stratified: bool
    n_train: int
    n_test: int
    train_cases: int
    test_cases: int
    method: str = "sklearn.model_selection.train_test_split"


def stratified_split(
    y: Any,
    seed: int,
    *,
    test_fraction: float = 0.2,
    stratify: bool = True,
    outcome_name: str = "outcome",
) -> Split:
    """Split rows into training and test cohorts (deterministic in ``seed``).

    Raises :class:`~cetrus.InputError` naming ``outcome_name`` when either cohort
    would have no case or no control (no AUC is defined there).
    """
    from sklearn.model_selection import train_test_split

    y = np.asarray(y).astype(bool)
    if not 0.0 < float(test_fraction) < 1.0:
        raise InputError(
            f"The 'test_fraction' parameter of stratified_split must be in (0, 1). "
            f"Got {test_fraction!r} instead."
        )
    idx = np.arange(y.size)
    try:
        _, test_idx = train_test_split(
            idx, test_size=test_fraction, random_state=int(seed), stratify=y if stratify else None
        )
    except ValueError as exc:  # e.g. a class with a single member
        raise InputError(f"cannot split {outcome_name!r} 8:2 with seed {seed}: {exc}") from None
    train = np.ones(y.size, dtype=bool)
    train[test_idx] = False
    for name, mask in (("training", train), ("test", ~train)):
        cases = int(y[mask].sum())
        if cases == 0 or cases == int(mask.sum()):
            what = "case" if cases == 0 else "control"
            raise InputError(
                f"the split with seed {seed} leaves no {what} of {outcome_name!r} "
                f"in the {name} cohort ({int(mask.sum())} patients); "
                f"use more patients or stratify the split"
            )
    return Split(
        train,
        int(seed),
        float(test_fraction),
        bool(stratify),
        int(train.sum()),
        int((~train).sum()),
        int(y[train].sum()),
        int(y[~train].sum()),
    )
