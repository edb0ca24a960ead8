"""Minimum sample size for developing a prediction model with a binary outcome.

Riley et al.'s criteria, as R's ``pmsampsize(type = "b")`` (≥ 1.1.1, which no longer
rounds intermediate values) computes them:

1. small overfitting — expected uniform shrinkage ``S`` (default 0.9):
   :math:`n_1 = P / ((S - 1)\\ln(1 - R^2_{CS}/S))`;
2. small optimism in the apparent Nagelkerke R² (δ = 0.05): with
   :math:`\\max R^2_{CS} = 1 - (\\phi^{\\phi}(1-\\phi)^{1-\\phi})^2`,
   :math:`S_2 = R^2_{CS}/(R^2_{CS} + \\delta \\max R^2_{CS})` and :math:`n_2` as in 1 with
   :math:`S_2`;
3. precise overall risk (margin of error ``mmoe`` = 0.05 around the prevalence φ):
   :math:`n_3 = (1.96/\\text{mmoe})^2 \\phi(1-\\phi)`.

Each criterion is rounded up, and the required size is the largest (as pmsampsize
reports them); the shrinkage reported for criterion 3 and the final model is the larger
of S and S₂. ``legacy_rounding=True`` reproduces pmsampsize < 1.1.1, which rounded
max R² to 2 decimals and S₂ to 3 (its own tests pin 668 for Riley et al.'s example, where
current versions give 662), for checking papers computed with those versions. Sources: Riley RD et al. Minimum sample size
for developing a multivariable prediction model: Part II — binary and time-to-event
outcomes. Stat Med 2019;38:1276–96; Riley RD et al. Calculating the sample size required
for developing a clinical prediction model. BMJ 2020;368:m441.

An anticipated C statistic instead of R²: Riley et al. (Stat Med 2022;41:1304) turn it
into a Cox–Snell R² by assuming the linear predictor is normal with unit variance in both
outcome groups, means 0 and :math:`\\mu = \\sqrt2\\,\\Phi^{-1}(C)`. ``pmsampsize``
estimates that R² by simulating a million patients; cetrus computes its large-sample
limit exactly (under this model the logistic fit is the true conditional model, slope
μ, so the expected log-likelihood is a one-dimensional integral, done by Gauss–Hermite
quadrature). The two agree to pmsampsize's Monte-Carlo error (~1e-3 in R²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError

__all__ = ["SampleSize", "sample_size_binary", "cox_snell_from_c", "max_cox_snell"]

_Z = 1.96  # pmsampsize's literal (not qnorm(0.975))
_DELTA = 0.05  # criterion 2's optimism in the apparent Nagelkerke R²


@dataclass(frozen=True, slots=True, repr=False)
class SampleSize(Result):
    """The three criteria and the required size (``pmsampsize``'s results table).

    ``print`` lays it out as pmsampsize's summary (the criteria table and the closing
    sentence); ``to_frame()`` gives the table: one row per criterion and ``Final``.

    See Also
    --------
    sample_size_binary : computes it.

    Examples
    --------
    >>> from cetrus.stats.samplesize import sample_size_binary
    >>> res = sample_size_binary(0.174, 24, cox_snell_r2=0.288)
    >>> res
    SampleSize(n=662, criterion=2, events=115.2, events_per_parameter=4.799, final_shrinkage=0.9052)
    >>> print(res)
    NB: Assuming 0.05 acceptable difference in apparent & adjusted R-squared
    NB: Assuming 0.05 margin of error in estimation of intercept
    NB: Events per Predictor Parameter (EPP) assumes prevalence = 0.174
    <BLANKLINE>
               Samp_size Shrinkage Parameter CS_Rsq Max_Rsq Nag_Rsq  EPP
    Criteria 1       623     0.900        24  0.288   0.603   0.477 4.52
    Criteria 2       662     0.905        24  0.288   0.603   0.477 4.80
    Criteria 3       221     0.905        24  0.288   0.603   0.477 1.60
    Final            662     0.905        24  0.288   0.603   0.477 4.80
    <BLANKLINE>
     Minimum sample size required for new model development based on user inputs = 662,
     with 116 events (assuming an outcome prevalence = 0.174) and an EPP of 4.8
    >>> res.to_frame().shape
    (4, 8)
    """

    _headline: ClassVar[tuple[str, ...]] = (
        "n",
        "criterion",
        "events",
        "events_per_parameter",
        "final_shrinkage",
    )

    n: int  # required sample size: the largest criterion
    events: float  # n * prevalence
    events_per_parameter: float
    criterion: int  # which criterion decides (1, 2 or 3; the first on a tie)
    n_criteria: tuple[int, int, int]  # n of criteria 1, 2, 3 (rounded up)
    epp_criteria: tuple[float, float, float]  # events per parameter of each
    shrinkage_criteria: tuple[float, float, float]  # S, S2, max(S, S2)
    final_shrinkage: float  # max(S, S2), pmsampsize's "Final" row
    prevalence: float
    parameters: int
    cox_snell_r2: float
    max_cox_snell_r2: float
    nagelkerke_r2: float
    shrinkage: float
    mmoe: float
    r2_source: str  # "cox-snell", "nagelkerke" or "c-statistic"

    def to_frame(self) -> pd.DataFrame:
        """pmsampsize's results table: Criteria 1–3 and Final, one row each."""
        rows = [
            (f"Criteria {i + 1}", n, s, e)
            for i, (n, s, e) in enumerate(
                zip(self.n_criteria, self.shrinkage_criteria, self.epp_criteria)
            )
        ]
        rows.append(("Final", self.n, self.final_shrinkage, self.events_per_parameter))
        return pd.DataFrame(
            [
                {
                    "criterion": c,
                    "n": n,
                    "shrinkage": s,
                    "parameters": self.parameters,
                    "cox_snell_r2": self.cox_snell_r2,
                    "max_cox_snell_r2": self.max_cox_snell_r2,
                    "nagelkerke_r2": self.nagelkerke_r2,
                    "epp": e,
                }
                for c, n, s, e in rows
            ]
        )

    def _print_lines(self) -> list[str]:
        frame = self.to_frame()
        heads = ["Samp_size", "Shrinkage", "Parameter", "CS_Rsq", "Max_Rsq", "Nag_Rsq", "EPP"]
        widths = [9, 9, 9, 6, 7, 7, 4]
        lines = [
            f"NB: Assuming {_DELTA:g} acceptable difference in apparent & adjusted R-squared",
            f"NB: Assuming {self.mmoe:g} margin of error in estimation of intercept",
            f"NB: Events per Predictor Parameter (EPP) assumes prevalence = {self.prevalence:g}",
            "",
            " " * 10 + " " + " ".join(h.rjust(w) for h, w in zip(heads, widths)),
        ]
        for r in frame.itertuples(index=False):
            cells = [
                str(r.n),
                f"{r.shrinkage:.3f}",
                str(r.parameters),
                f"{r.cox_snell_r2:.3f}",
                f"{r.max_cox_snell_r2:.3f}",
                f"{r.nagelkerke_r2:.3f}",
                f"{r.epp:.2f}",
            ]
            lines.append(
                f"{r.criterion:<10} " + " ".join(c.rjust(w) for c, w in zip(cells, widths))
            )
        return lines + [
            "",
            " Minimum sample size required for new model development based on "
            f"user inputs = {self.n},",
            f" with {math.ceil(self.events)} events (assuming an outcome "
            f"prevalence = {self.prevalence:g}) and an EPP of "
            f"{self.events_per_parameter:.3g}",
        ]


def max_cox_snell(prevalence: float) -> float:
    """Largest Cox–Snell R² a model can reach at this prevalence:
    :math:`1 - (\\phi^{\\phi}(1-\\phi)^{1-\\phi})^2` (Riley et al. 2019).

    Parameters
    ----------
    prevalence : float
        Outcome proportion φ in (0, 1).

    Returns
    -------
    float

    See Also
    --------
    sample_size_binary : uses it for criterion 2 and a Nagelkerke R².

    Notes
    -----
    φ outside (0, 1) raises :class:`~cetrus.errors.InputError`.

    References
    ----------
    Riley RD et al. (2019). *Stat Med* 38:1276–1296. R: pmsampsize's ``max_r2``.

    Examples
    --------
    >>> from cetrus.stats.samplesize import max_cox_snell
    >>> round(max_cox_snell(0.174), 4)
    0.6032
    """
    phi = _prevalence(prevalence)
    return 1.0 - math.exp(2.0 * (phi * math.log(phi) + (1 - phi) * math.log(1 - phi)))


def cox_snell_from_c(c_statistic: float, prevalence: float, *, nodes: int = 200) -> float:
    """Large-sample Cox–Snell R² of a model with C statistic ``c_statistic`` (see the
    module docstring; Riley et al. 2022's normal linear-predictor model).

    Parameters
    ----------
    c_statistic : float
        Anticipated C statistic in (0.5, 1).
    prevalence : float
        Outcome proportion in (0, 1).
    nodes : int
        Gauss–Hermite nodes of the quadrature.

    Returns
    -------
    float

    See Also
    --------
    sample_size_binary : its ``c_statistic=`` argument.

    Notes
    -----
    pmsampsize simulates a million patients for this R²; the exact large-sample value
    here agrees to that simulation's error (~1e-3).

    References
    ----------
    Riley RD et al. (2022). *Stat Med* 41:1304–1312. R: ``pmsampsize::pmsampsize(type =
    "b", cstatistic =)`` (its ``cstat2rsq`` step).

    Examples
    --------
    >>> from cetrus.stats.samplesize import cox_snell_from_c
    >>> round(cox_snell_from_c(0.8, 0.2), 3)
    0.183
    """
    phi = _prevalence(prevalence)
    c = float(c_statistic)
    if not (0.5 < c < 1):
        raise InputError(f"C statistic must lie in (0.5, 1); got {c_statistic!r}")
    from scipy.special import log_expit, roots_hermitenorm
    from scipy.stats import norm

    mu = math.sqrt(2.0) * norm.ppf(c)
    x, w = roots_hermitenorm(nodes)  # ∫ f(x) φ(x) dx = Σ w f(x) / √(2π)
    w = w / math.sqrt(2.0 * math.pi)
    alpha = math.log(phi / (1 - phi)) - mu * mu / 2.0
    # events: LP ~ N(mu, 1); non-events: LP ~ N(0, 1); true model logit = alpha + mu * LP
    ll_events = float(np.sum(w * log_expit(alpha + mu * (x + mu))))
    ll_non = float(np.sum(w * log_expit(-(alpha + mu * x))))
    ll_model = phi * ll_events + (1 - phi) * ll_non
    ll_null = phi * math.log(phi) + (1 - phi) * math.log(1 - phi)
    return 1.0 - math.exp(-2.0 * (ll_model - ll_null))


def _prevalence(prevalence: float) -> float:
    try:
        phi = float(prevalence)
    except (TypeError, ValueError):
        raise InputError(f"prevalence must be a number in (0, 1); got {prevalence!r}") from None
    if not (0 < phi < 1):
        raise InputError(
            f"prevalence must lie in (0, 1) (a study with only cases or only "
            f"controls has no model to develop); got {prevalence!r}"
        )
    return phi


def _n_for(shrinkage: float, r2: float, parameters: int) -> float:
    return parameters / ((shrinkage - 1.0) * math.log(1.0 - r2 / shrinkage))


def sample_size_binary(
    prevalence: float,
    parameters: int,
    *,
    cox_snell_r2: float | None = None,
    nagelkerke_r2: float | None = None,
    c_statistic: float | None = None,
    shrinkage: float = 0.9,
    mmoe: float = 0.05,
    legacy_rounding: bool = False,
) -> SampleSize:
    """Minimum sample size to develop a logistic prediction model (``pmsampsize``).

    Parameters
    ----------
    prevalence : float
        Anticipated outcome proportion, in (0, 1).
    parameters : int
        Candidate predictor parameters (each level of a categorical variable counts).
    cox_snell_r2, nagelkerke_r2, c_statistic : float
        Exactly one: the anticipated model performance (``pmsampsize``'s ``csrsquared``,
        ``nagrsquared`` or ``cstatistic``).
    shrinkage : float
        Target expected uniform shrinkage, in (0, 1); default 0.9.
    mmoe : float
        Margin of error for the overall risk, in (0, 1); default 0.05.
    legacy_rounding : bool
        Round as pmsampsize < 1.1.1 did (max R² to 2 decimals, S₂ to 3).

    Returns
    -------
    SampleSize
        The three criteria and the required ``n`` (``print`` as pmsampsize's summary).

    See Also
    --------
    cox_snell_from_c, max_cox_snell

    Notes
    -----
    Exactly one of the three performance arguments; a Cox–Snell R² not below its
    maximum at this prevalence, or not below the shrinkage, raises
    :class:`~cetrus.errors.InputError`. Ties between criteria name the first.

    References
    ----------
    Riley et al., Stat Med 2019;38:1276–96 and BMJ 2020;368:m441. R: ``pmsampsize(type =
    "b", csrsquared =, parameters =, prevalence =)``.

    Examples
    --------
    Riley et al.'s worked example (R² 0.288, 24 parameters, prevalence 0.174):

    >>> from cetrus.stats.samplesize import sample_size_binary
    >>> sample_size_binary(0.174, 24, cox_snell_r2=0.288).n
    662
    >>> sample_size_binary(0.174, 24, c_statistic=0.8).n_criteria
    (1169, 715, 221)
    """
    phi = _prevalence(prevalence)
    if isinstance(parameters, bool) or int(parameters) != parameters or parameters < 1:
        raise InputError(f"parameters must be a whole number >= 1; got {parameters!r}")
    parameters = int(parameters)
    given = {
        k: v
        for k, v in (
            ("cox_snell_r2", cox_snell_r2),
            ("nagelkerke_r2", nagelkerke_r2),
            ("c_statistic", c_statistic),
        )
        if v is not None
    }
    if len(given) != 1:
        raise InputError(
            "give exactly one of cox_snell_r2, nagelkerke_r2, c_statistic; got "
            + (", ".join(given) or "none")
        )
    if not (0 < shrinkage < 1):
        raise InputError(f"shrinkage must lie in (0, 1); got {shrinkage!r}")
    if not (0 < mmoe < 1):
        raise InputError(f"mmoe must lie in (0, 1); got {mmoe!r}")
    max_r2 = max_cox_snell(phi)
    if cox_snell_r2 is not None:
        r2, source = float(cox_snell_r2), "cox-snell"
    elif nagelkerke_r2 is not None:
        if not (0 < nagelkerke_r2 < 1):
            raise InputError(f"nagelkerke_r2 must lie in (0, 1); got {nagelkerke_r2!r}")
        r2, source = float(nagelkerke_r2) * max_r2, "nagelkerke"
    else:
        assert c_statistic is not None  # exactly one of the three is given (checked above)
        r2, source = cox_snell_from_c(float(c_statistic), phi), "c-statistic"
    if not (0 < r2 < max_r2):
        raise InputError(
            f"cox_snell_r2 must lie in (0, {max_r2:.4f}), the largest a model "
            f"reaches at prevalence {phi}; got {r2!r}"
        )
    if r2 >= shrinkage:
        raise InputError(f"cox_snell_r2 {r2!r} must be below the shrinkage {shrinkage!r}")

    if legacy_rounding:
        max_r2 = round(max_r2, 2)
    n1 = math.ceil(_n_for(shrinkage, r2, parameters))
    s2 = r2 / (r2 + _DELTA * max_r2)
    if legacy_rounding:
        s2 = round(s2, 3)
    n2 = math.ceil(_n_for(s2, r2, parameters))
    n3 = math.ceil((_Z / mmoe) ** 2 * phi * (1 - phi))
    criteria = (n1, n2, n3)
    which = int(np.argmax(criteria)) + 1
    n = max(criteria)
    events = n * phi
    final_s = max(s2, float(shrinkage))
    return SampleSize(
        n=n,
        events=events,
        events_per_parameter=events / parameters,
        criterion=which,
        n_criteria=criteria,
        epp_criteria=(n1 * phi / parameters, n2 * phi / parameters, n3 * phi / parameters),
        shrinkage_criteria=(float(shrinkage), s2, final_s),
        final_shrinkage=final_s,
        prevalence=phi,
        parameters=parameters,
        cox_snell_r2=r2,
        max_cox_snell_r2=max_r2,
        nagelkerke_r2=r2 / max_r2,
        shrinkage=float(shrinkage),
        mmoe=float(mmoe),
        r2_source=source,
    )
