"""Decision curve analysis: net benefit of models against treat-all and treat-none.

Equals ``dcurves::dca()`` for a binary outcome (Vickers & Elkin 2006, *Med Decis Making*
26:565; Vickers et al. 2019, *Diagn Progn Res* 3:18): at a threshold probability
:math:`p_t`, a patient is treated when the model's risk is **≥** :math:`p_t`, and

.. math::

    \\mathrm{NB}(p_t) = \\frac{TP}{n} - \\frac{FP}{n}\\,\\frac{p_t}{1 - p_t} - \\text{harm},
    \\qquad
    \\text{interventions avoided} = \\frac{\\mathrm{NB} - \\mathrm{NB}_{\\text{all}}}
    {p_t / (1 - p_t)} \\times n_{\\text{per}}.

``dcurves`` computes the true/false positive rates as the fraction of cases (controls)
at or above the threshold times the prevalence (one minus it), which equals TP/n and
FP/n in a cohort study and lets a case-control study supply the population
``prevalence``. Treat-all is the model with risk 1 for everyone, treat-none the strategy
that treats nobody (net benefit 0 at every threshold, 0 included, as in ``dcurves``).
The default grid is ``dcurves``' ``seq(0, 0.99, by = 0.01)``; interventions avoided at
threshold 0 divide by zero (``nan``/``inf``, as there).

Checked against the authors' Python port (PyPI ``dcurves``) in the tests; R's ``dcurves``
is not among the Debian packages here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError
from cetrus.stats._data import column as _col

__all__ = ["DecisionCurve", "decision_curve", "DEFAULT_THRESHOLDS"]

#: ``dcurves::dca``'s default thresholds, ``seq(0, 0.99, by = 0.01)``
DEFAULT_THRESHOLDS: tuple[float, ...] = tuple(i / 100 for i in range(100))

ALL, NONE = "all", "none"


@dataclass(frozen=True, slots=True, repr=False)
class DecisionCurve(Result):
    """Net benefit per model and threshold (``dcurves::dca()``'s ``dca`` table).

    ``frame`` (also ``to_frame()``) is tidy, one row per (model, threshold), models in
    the given order then ``"all"`` and ``"none"``; columns ``model, threshold, n,
    prevalence, harm, test_pos_rate, tp_rate, fp_rate, net_benefit,
    net_intervention_avoided`` (``dcurves``' names). ``print`` shows the net benefit
    per strategy at up to ten thresholds of the grid.

    See Also
    --------
    decision_curve : computes it.

    Examples
    --------
    >>> from cetrus.stats import decision_curve
    >>> dc = decision_curve([0, 0, 1, 1], {"m": [0.1, 0.4, 0.35, 0.8]}, thresholds=[0.2, 0.5])
    >>> dc
    DecisionCurve(n_models=1, n_thresholds=2, n=4, prevalence=0.5)
    >>> print(dc)
    Decision curve analysis (dcurves::dca): n = 4, prevalence 0.5
    <BLANKLINE>
    net benefit
     threshold      m   all  none
           0.2 0.4375 0.375     0
           0.5   0.25     0     0
    >>> dc.to_frame().shape
    (6, 10)
    """

    _headline: ClassVar[tuple[str, ...]] = ("n_models", "n_thresholds", "n", "prevalence")

    models: tuple[str, ...]
    thresholds: tuple[float, ...]
    n: int
    prevalence: float
    nper: float
    frame: pd.DataFrame

    @property
    def n_models(self) -> int:
        """How many models (treat-all and treat-none aside)."""
        return len(self.models)

    @property
    def n_thresholds(self) -> int:
        """How many threshold probabilities."""
        return len(self.thresholds)

    def to_frame(self) -> pd.DataFrame:
        """The long table: one row per (model, threshold)."""
        return self.frame.copy()

    def _print_lines(self) -> list[str]:
        wide = self.frame.pivot(index="threshold", columns="model", values="net_benefit")
        wide = wide[list(self.models) + [ALL, NONE]]
        if len(wide) > 10:  # ten thresholds spread over the grid
            wide = wide.iloc[np.unique(np.linspace(0, len(wide) - 1, 10).round().astype(int))]
        wide.columns.name = None
        body = wide.reset_index().to_string(index=False, float_format=format_value)
        return [
            f"Decision curve analysis (dcurves::dca): n = {self.n}, prevalence "
            f"{format_value(self.prevalence)}",
            "",
            "net benefit",
        ] + body.splitlines()

    def net_benefit(self, model: str) -> pd.Series:
        """Net benefit of ``model`` (or ``"all"``/``"none"``) indexed by threshold."""
        rows = self.frame[self.frame["model"] == model]
        if rows.empty:
            raise KeyError(f"no model {model!r} (models: {', '.join(self.models)}, all, none)")
        return rows.set_index("threshold")["net_benefit"]

    def to_dict(self) -> dict[str, Any]:
        from cetrus._results import json_safe

        return {
            "models": list(self.models),
            "thresholds": list(self.thresholds),
            "n": self.n,
            "prevalence": self.prevalence,
            "nper": self.nper,
            "rows": json_safe(self.frame.to_dict(orient="records")),
        }


def _outcome(y: Any, positive: Any) -> np.ndarray:
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.size == 0:
        raise InputError("decision_curve: y_true must be a non-empty 1-D array")
    if pd.isna(pd.Series(arr)).any():
        raise InputError("decision_curve: y_true has missing values")
    if positive is None:
        values = set(pd.unique(arr).tolist())
        if not values <= {0, 1}:
            raise InputError(
                f"decision_curve: y_true must be 0/1 (or name positive=); "
                f"got values {sorted(map(str, values))[:5]}"
            )
        return arr.astype(bool)
    return arr == positive


def decision_curve(
    y_true: Any = None,
    risks: Mapping[str, Any] | Any = None,
    *,
    data: pd.DataFrame | None = None,
    outcome: str | None = None,
    thresholds: Sequence[float] | None = None,
    harm: Mapping[str, float] | None = None,
    prevalence: float | None = None,
    nper: float = 1,
    positive: Any = None,
) -> DecisionCurve:
    """Decision curve analysis of one or more risk models (``dcurves::dca``).

    Parameters
    ----------
    y_true : array-like, optional
        Outcome, 0/1 (or any values with ``positive`` naming the case value).
    risks : mapping name → array-like, or one array-like
        Predicted probabilities in [0, 1] per model (one array is named ``"model"``).
        With ``data``: one column name or a list of column names (they name the models).
    data : pandas.DataFrame, optional
        Take the outcome and the risks from its columns.
    outcome : str, optional
        Column name of the outcome in ``data``.
    thresholds : sequence of float, optional
        Threshold probabilities in [0, 1); default ``seq(0, 0.99, by = 0.01)``.
    harm : mapping name → float, optional
        Harm of each model's test, subtracted from its net benefit (``dca(harm=)``).
    prevalence : float, optional
        Population prevalence for a case-control sample (``dca(prevalence=)``); default
        the sample's.
    nper : float
        Interventions avoided per ``nper`` patients (``dca``'s ``nper``), default 1.
    positive : optional
        The case value of the outcome (default: 0/1 coding, 1 the case).

    Returns
    -------
    DecisionCurve
        The long table (``to_frame()``) and :meth:`DecisionCurve.net_benefit`.

    See Also
    --------
    cetrus.stats.roc.auc_ci : discrimination of the same risks.
    cetrus.stats.calibration.val_prob : their calibration.

    Notes
    -----
    A patient is treated when the risk is at or above the threshold. Interventions
    avoided at threshold 0 divide by zero (``nan``/``inf``, as ``dcurves``). An outcome
    without cases or without controls, risks outside [0, 1], thresholds outside
    [0, 1) or a model called ``"all"``/``"none"`` raise
    :class:`~cetrus.errors.InputError`.

    References
    ----------
    Vickers AJ, Elkin EB. Decision curve analysis: a novel method for evaluating prediction
    models. Med Decis Making 2006;26:565–74. R: ``dcurves::dca(outcome ~ models, data,
    thresholds = seq(0, 0.99, by = 0.01))``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats import decision_curve
    >>> dc = decision_curve([0, 0, 1, 1], {"m": [0.1, 0.4, 0.35, 0.8]}, thresholds=[0.2, 0.5])
    >>> [round(v, 4) for v in dc.net_benefit("m")]
    [0.4375, 0.25]
    >>> df = pd.DataFrame({"y": [0, 0, 1, 1], "m": [0.1, 0.4, 0.35, 0.8]})
    >>> decision_curve(data=df, outcome="y", risks=["m"], thresholds=[0.2, 0.5]).frame.equals(
    ...     dc.frame)
    True
    """
    if data is not None:
        if not isinstance(data, pd.DataFrame):
            raise InputError(
                f"The 'data' parameter of decision_curve must be a pandas "
                f"DataFrame. Got {type(data).__name__} instead."
            )
        if y_true is not None:
            raise InputError(
                "decision_curve takes arrays or data= with column names, not "
                "both; 'y_true' was given with data=."
            )
        y_true = _col(data, outcome, "outcome", "decision_curve")
        names = [risks] if isinstance(risks, str) else risks
        if names is None or isinstance(names, Mapping) or not len(names):
            raise InputError(
                "The 'risks' parameter of decision_curve must be column names when data= is given."
            )
        risks = {str(c): _col(data, c, "risks", "decision_curve").to_numpy() for c in names}
    elif outcome is not None:
        raise InputError(
            "The 'outcome' parameter of decision_curve is a column name and "
            "needs data= (a DataFrame); pass arrays positionally otherwise."
        )
    elif y_true is None or risks is None:
        raise InputError(
            "decision_curve needs y_true and risks (arrays), or data= with "
            "outcome and risks (column names)."
        )
    case = _outcome(y_true, positive)
    n = int(case.size)
    if not isinstance(risks, Mapping):
        risks = {"model": risks}
    if not risks:
        raise InputError("decision_curve: no model given")
    names = [str(k) for k in risks]
    clash = [k for k in names if k in (ALL, NONE)]
    if clash:
        raise InputError(
            f"decision_curve: a model may not be called {clash[0]!r} (the "
            "treat-all and treat-none strategies carry those names)"
        )
    columns = {}
    for name, values in zip(names, risks.values()):
        arr = np.asarray(values, dtype=float)
        if arr.shape != (n,):
            raise InputError(
                f"decision_curve: model {name!r} has {arr.size} risks for {n} outcomes"
            )
        bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
        if bad.any():
            raise InputError(
                f"decision_curve: model {name!r}: risks must be probabilities in "
                f"[0, 1]; value {float(arr[bad][0])!r} at position {int(np.flatnonzero(bad)[0])}"
            )
        columns[name] = arr
    columns[ALL] = np.ones(n)
    columns[NONE] = np.zeros(n)

    grid = np.asarray(DEFAULT_THRESHOLDS if thresholds is None else thresholds, dtype=float)
    if grid.ndim != 1 or grid.size == 0:
        raise InputError("decision_curve: thresholds must be a non-empty 1-D sequence")
    bad = ~np.isfinite(grid) | (grid < 0) | (grid >= 1)
    if bad.any():
        raise InputError(
            f"decision_curve: thresholds must lie in [0, 1); got {float(grid[bad][0])!r}"
        )
    harm = dict(harm or {})
    unknown = [k for k in harm if k not in names]
    if unknown:
        raise InputError(f"decision_curve: harm names no model {unknown[0]!r}")
    n_case = int(case.sum())
    if n_case == 0 or n_case == n:
        raise InputError(
            f"decision_curve: the outcome needs both cases and controls (cases: {n_case} of {n})"
        )
    if prevalence is None:
        prev = n_case / n
    else:
        prev = float(prevalence)
        if not 0 < prev < 1:
            raise InputError(f"decision_curve: prevalence must lie in (0, 1); got {prevalence!r}")
    if not np.isfinite(nper) or nper <= 0:
        raise InputError(f"decision_curve: nper must be > 0; got {nper!r}")

    odds = grid / (1 - grid)
    rows = []
    nb_all = None
    for name in names + [ALL, NONE]:
        r = columns[name]
        # treated when risk >= threshold: counts from the sorted risks of cases and controls
        r_case = np.sort(r[case])
        r_ctrl = np.sort(r[~case])
        above_case = r_case.size - np.searchsorted(r_case, grid, side="left")
        above_ctrl = r_ctrl.size - np.searchsorted(r_ctrl, grid, side="left")
        if name == NONE:  # treats nobody, also at threshold 0 (as dcurves)
            above_case = np.zeros_like(above_case)
            above_ctrl = np.zeros_like(above_ctrl)
        tp = above_case / r_case.size * prev
        fp = above_ctrl / r_ctrl.size * (1 - prev)
        test_pos = (above_case + above_ctrl) / n
        nb = tp - odds * fp - float(harm.get(name, 0.0))
        if name == ALL:
            nb_all = nb
        rows.append(
            pd.DataFrame(
                {
                    "model": name,
                    "threshold": grid,
                    "n": n,
                    "prevalence": prev,
                    "harm": float(harm.get(name, 0.0)),
                    "test_pos_rate": test_pos,
                    "tp_rate": tp,
                    "fp_rate": fp,
                    "net_benefit": nb,
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    assert nb_all is not None  # the loop always visits ALL
    nb_all_rep = np.tile(nb_all, len(names) + 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["net_intervention_avoided"] = (
            (frame["net_benefit"].to_numpy() - nb_all_rep) / np.tile(odds, len(names) + 2) * nper
        )
    return DecisionCurve(
        models=tuple(names),
        thresholds=tuple(grid.tolist()),
        n=n,
        prevalence=prev,
        nper=float(nper),
        frame=frame,
    )
