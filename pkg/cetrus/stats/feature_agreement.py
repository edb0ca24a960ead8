"""Rater agreement of radiomics features: one ICC per feature, and per modality.

The paper (Section 2.4) has two sonographers delineate the ROIs of a subset of
patients and keeps the features whose intraclass correlation between the two raters'
values is good; it reports the mean ICC per modality (0.92 / 0.91 / 0.94). The ICC of
every feature is :func:`cetrus.stats.reliability.icc_many` (``psych::ICC(lmer = FALSE)``
per feature, vectorised); this module matches the raters' tables and summarises.

=======================  ==============================================================
name                     R twin
=======================  ==============================================================
:func:`agreement`        ``sapply(features, function(f) psych::ICC(cbind(r1[[f]], r2[[f]]),
                         lmer = FALSE)$results["Single_random_raters", "ICC"])``
:func:`rater_agreement`  the same per modality of a long features table, and its mean
=======================  ==============================================================
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._features import feature_matrix
from cetrus.stats._validation import choice

__all__ = ["RaterAgreement", "agreement", "rater_agreement"]


def agreement(
    features_r1: pd.DataFrame,
    features_r2: pd.DataFrame,
    *,
    form: str = "ICC2",
    conf_level: float = 0.95,
) -> pd.Series:
    """Per-feature ICC between two raters' ROIs (rows = the same patients, matched by index).

    Parameters
    ----------
    features_r1, features_r2 : DataFrame
        The two raters' feature tables: same columns, same patients (row labels),
        rows in any order.
    form : str, keyword-only
        One of psych's six forms (``ICC1``, ``ICC2``, ``ICC3``, ``ICC1k``, ``ICC2k``,
        ``ICC3k``); default ``ICC2``, two-way random effects, absolute agreement, single
        rater.
    conf_level : float, keyword-only
        Passed to :func:`~cetrus.stats.reliability.icc_many` (the CIs are not returned).

    Returns
    -------
    pandas.Series
        The ICC of each feature (index: the feature names; name: ``form``).

    See Also
    --------
    cetrus.stats.reliability.icc_many : the ICCs, all features at once.
    rater_agreement : the same from a long table, per modality.

    Notes
    -----
    Features whose ratings do not vary (e.g. dead ReLU channels) give ``nan``, silently
    (they are counted by :func:`rater_agreement`). Different columns or patients, or
    duplicated row labels: :class:`~cetrus.errors.InputError`.

    References
    ----------
    .. [1] Shrout PE, Fleiss JL (1979). Intraclass correlations: uses in assessing rater
       reliability. *Psychol Bull* 86:420–428.
    .. [2] R: ``psych::ICC(cbind(r1, r2), lmer = FALSE)$results["Single_random_raters", ]``.

    Examples
    --------
    >>> import pandas as pd
    >>> r1 = pd.DataFrame({"f1": [1.0, 2, 3, 4, 5], "f2": [3.0, 1, 4, 1, 5]}, index=list("ABCDE"))
    >>> r2 = pd.DataFrame({"f1": [5.0, 4.4, 2.7, 2.1, 1.2], "f2": [3.0, 3, 2, 2, 1]},
    ...                   index=list("EDCBA"))  # rows are matched by label
    >>> agreement(r1, r2).round(3)
    f1    0.988
    f2    0.029
    Name: ICC2, dtype: float64
    """
    from cetrus.stats.reliability import FORMS, icc_many

    choice(form, tuple(FORMS), "form", "agreement")
    if not isinstance(features_r1, pd.DataFrame) or not isinstance(features_r2, pd.DataFrame):
        raise InputError("agreement needs two DataFrames (rows = patients, columns = features).")
    if list(features_r1.columns) != list(features_r2.columns):
        extra = set(features_r1.columns) ^ set(features_r2.columns)
        what = (
            f"column {sorted(map(str, extra))[0]!r} is in one only"
            if extra
            else "columns differ in order"
        )
        raise InputError(f"the raters' feature tables must have the same columns ({what}).")
    if features_r1.index.has_duplicates or features_r2.index.has_duplicates:
        raise InputError("the raters' feature tables must have unique row labels (patients).")
    if set(features_r1.index) != set(features_r2.index):
        diff = sorted(map(str, set(features_r1.index) ^ set(features_r2.index)))
        raise InputError(
            f"the raters' feature tables must cover the same patients ({diff[0]!r} is in one only)."
        )
    a, _ = feature_matrix(features_r1, "features_r1")
    b, _ = feature_matrix(features_r2.loc[features_r1.index], "features_r2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedStatisticWarning)  # dead (all-zero) features
        res = icc_many(np.stack([a, b], axis=1), conf_level=conf_level)
    return pd.Series(res.estimate[form], index=list(features_r1.columns), name=form)


@dataclass(frozen=True, slots=True, repr=False)
class RaterAgreement(Result):
    """Per-modality rater agreement of a features table (the paper's mean ICC 0.92/0.91/0.94).

    Attributes
    ----------
    icc : dict
        ``{modality: pandas.Series}`` — the ICC of every feature.
    mean : dict
        ``{modality: mean ICC}`` over the features with a defined ICC.
    n_patients, n_undefined : dict
        Patients rated by both raters; features with an undefined ICC.
    raters : tuple of str
        The two raters compared.
    form : str
        The ICC form (default ``ICC2``).

    See Also
    --------
    rater_agreement : builds it.

    Notes
    -----
    ``print`` gives one line per modality; :meth:`to_frame` the same table;
    :meth:`reliable` the features above a threshold.

    References
    ----------
    .. [1] R: ``psych::ICC(lmer = FALSE)`` per feature.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> base = rng.normal(size=(12, 3))
    >>> rows = [{"patient_id": i, "modality": "CEUS", "rater": r,
    ...          **{f"f{j}": base[i, j] + 0.2 * rng.normal() for j in range(3)}}
    ...         for r in ("A", "B") for i in range(12)]
    >>> res = rater_agreement(pd.DataFrame(rows))
    >>> print(res)
    Rater agreement (ICC2), raters A vs B
    <BLANKLINE>
    modality  patients  features  undefined mean ICC
        CEUS        12         3          0   0.9237
    >>> res.reliable("CEUS", 0.95)
    ['f0', 'f1']
    """

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
        return {
            "mean": self.mean,
            "n_patients": self.n_patients,
            "n_undefined": self.n_undefined,
            "raters": list(self.raters),
            "form": self.form,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per modality: ``modality``, ``n_patients``, ``n_features``,
        ``n_undefined``, ``mean`` (ICC)."""
        return pd.DataFrame(
            [
                {
                    "modality": m,
                    "n_patients": self.n_patients[m],
                    "n_features": int(self.icc[m].size),
                    "n_undefined": self.n_undefined[m],
                    "mean": self.mean[m],
                }
                for m in self.icc
            ]
        )

    def __repr__(self) -> str:
        means = ", ".join(f"{m}={format_value(v)}" for m, v in self.mean.items())
        return f"RaterAgreement(form={self.form!r}, raters={self.raters!r}, mean: {means})"

    def _print_lines(self) -> list[str]:
        frame = self.to_frame()
        frame["mean"] = [format_value(v) for v in frame["mean"]]
        frame.columns = ["modality", "patients", "features", "undefined", "mean ICC"]
        return [
            f"Rater agreement ({self.form}), raters {self.raters[0]} vs {self.raters[1]}",
            "",
            *frame.to_string(index=False).splitlines(),
        ]


def rater_agreement(
    data: pd.DataFrame,
    *,
    raters: Sequence[str] | None = None,
    form: str = "ICC2",
    feature_prefix: str = "f",
) -> RaterAgreement:
    """ICC per feature and its mean, per modality, from a long features table.

    Parameters
    ----------
    data : DataFrame
        What :func:`cetrus.imaging.extract.extract_features` writes: columns
        ``patient_id``, ``modality``, ``rater`` and feature columns starting with
        ``feature_prefix``; one row per (patient, modality, rater).
    raters : pair of str, keyword-only, optional
        The two raters to compare (default: the two there are).
    form : str, keyword-only
        The ICC form (default ``ICC2``), see :func:`agreement`.
    feature_prefix : str, keyword-only
        Feature columns are those whose name starts with it (default ``"f"``).

    Returns
    -------
    RaterAgreement

    See Also
    --------
    agreement : one modality, two wide tables.
    cetrus.stats.reliability.icc : the six ICC forms of one rating.

    Notes
    -----
    Patients without both raters' ROIs are left out (``n_patients`` counts the rest;
    fewer than 2: :class:`~cetrus.errors.InputError`). Undefined ICCs (features that do
    not vary, e.g. dead ReLU channels) are excluded from the mean and counted in
    ``n_undefined``.

    References
    ----------
    .. [1] Koo TK, Li MY (2016). A guideline of selecting and reporting intraclass
       correlation coefficients for reliability research. *J Chiropr Med* 15:155–163.
    .. [2] R: ``psych::ICC(lmer = FALSE)`` per feature.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"patient_id": [1, 2, 3, 1, 2, 3], "modality": "TDUS",
    ...                   "rater": ["A", "A", "A", "B", "B", "B"],
    ...                   "f1": [1.0, 2.0, 3.0, 1.1, 2.2, 2.9]})
    >>> rater_agreement(d)
    RaterAgreement(form='ICC2', raters=('A', 'B'), mean: TDUS=0.989)
    """
    features = data
    if not isinstance(features, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of rater_agreement must be a pandas DataFrame. "
            f"Got {type(features).__name__} instead."
        )
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
            raise InputError(
                f"rater agreement needs exactly two raters; found {len(present)} "
                f"({', '.join(present)}); pass raters=(A, B)."
            )
        pair = (present[0], present[1])
    else:
        pair = tuple(str(r) for r in raters)  # type: ignore[assignment]
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
            raise InputError(
                f"modality {modality!r}: fewer than 2 patients have both raters' ROIs."
            )
        s = agreement(ra.loc[common], rb.loc[common], form=form)
        icc[str(modality)] = s
        defined = s.dropna()
        mean[str(modality)] = float(defined.mean()) if len(defined) else float("nan")
        n_pat[str(modality)] = int(len(common))
        n_undef[str(modality)] = int(s.isna().sum())
    return RaterAgreement(
        icc=icc, mean=mean, n_patients=n_pat, n_undefined=n_undef, raters=pair, form=form
    )
