"""Rater agreement: the six Shrout–Fleiss intraclass correlations, equal to psych.

Validated against ``psych::ICC(x, lmer = FALSE)`` (psych 2.2.9) in
``validation/cases/reliability.py`` at 1e-9 (DESIGN.md), and against
``pingouin.intraclass_corr`` in the tests.

Model and formulas
------------------
``n`` targets are each rated by the same ``k`` raters. A two-way ANOVA of the
ratings without interaction gives the mean squares

* between targets ``MSB = k Σ_i (x̄_i· − x̄)² / (n − 1)``,
* between raters ``MSJ = n Σ_j (x̄_·j − x̄)² / (k − 1)``,
* residual ``MSE = Σ_ij (x_ij − x̄_i· − x̄_·j + x̄)² / ((n − 1)(k − 1))``,
* within targets (one-way) ``MSW = (SSJ + SSE) / (n (k − 1))``.

The six forms (Shrout & Fleiss 1979, *Psychol. Bull.* 86:420, Table 2; CIs from their
eqs. and, for ICC2, the Satterthwaite-type ``v`` of McGraw & Wong 1996, *Psychol.
Methods* 1:30, Table 7 — the same formulas ``psych::ICC`` evaluates):

======  ==========  =====================================================  ======================
form    McGraw–Wong estimate                                               F (df1, df2)
======  ==========  =====================================================  ======================
ICC1    ICC(1)      (MSB − MSW) / (MSB + (k − 1) MSW)                      MSB/MSW (n−1, n(k−1))
ICC2    ICC(A,1)    (MSB − MSE) / (MSB + (k − 1) MSE + k (MSJ − MSE) / n)   MSB/MSE (n−1, (n−1)(k−1))
ICC3    ICC(C,1)    (MSB − MSE) / (MSB + (k − 1) MSE)                      MSB/MSE (n−1, (n−1)(k−1))
ICC1k   ICC(k)      (MSB − MSW) / MSB                                      as ICC1
ICC2k   ICC(A,k)    (MSB − MSE) / (MSB + (MSJ − MSE) / n)                  as ICC2
ICC3k   ICC(C,k)    (MSB − MSE) / MSB                                      as ICC3
======  ==========  =====================================================  ======================

ICC(A,·) is *absolute agreement* (two-way random *or* mixed raters: the estimate is
the same), ICC(C,·) is *consistency*; SPSS calls ICC2 "two-way random, absolute
agreement, single measures", pingouin calls it ``ICC2`` with type ``ICC(A,1)``. The
p-value is the upper tail of F. With ``a = 1 − conf_level`` and ``F_q(d1, d2)`` the
``1 − a/2`` quantile:

* ICC1/ICC3: ``FL = F / F_q(df1, df2)``, ``FU = F · F_q(df2, df1)``, bounds
  ``(FL − 1)/(FL + k − 1)`` and ``(FU − 1)/(FU + k − 1)``; ICC1k/ICC3k: ``1 − 1/FL``,
  ``1 − 1/FU``.
* ICC2: with ``Fj = MSJ/MSE`` and ``ρ = ICC2``,
  ``v = (k−1)(n−1) (kρFj + n(1 + (k−1)ρ) − kρ)² / ((n−1) k²ρ²Fj² + (n(1 + (k−1)ρ) − kρ)²)``,
  ``FU* = F_q(n−1, v)``, ``FL* = F_q(v, n−1)``, lower
  ``n (MSB − FU* MSE) / (FU* (k MSJ + (kn − k − n) MSE) + n MSB)``, upper
  ``n (FL* MSB − MSE) / (k MSJ + (kn − k − n) MSE + n FL* MSB)``; ICC2k applies the
  Spearman–Brown step ``L k / (1 + L (k − 1))`` to each bound.

``lmer = TRUE`` (psych's default) versus ``lmer = FALSE``
--------------------------------------------------------
psych's default estimates the variance components by REML (``lme4::lmer``) and rebuilds
the mean squares from them. For complete data whose ANOVA variance components are all
non-negative, REML equals ANOVA and the two agree to lme4's optimiser tolerance
(~1e-4). REML, however, cannot return a negative variance: when raters differ *less*
than the residual (``MSJ < MSE``), REML sets the rater variance to 0, which makes
psych's rebuilt ``MSJ = MSE = MSW`` and collapses ICC2 and ICC3 (and ICC2k/ICC3k) onto
the one-way ICC1 (ICC1k), with ``F = MSB/MSW``; ANOVA keeps the negative component and
its ICC2 < ICC3. cetrus follows ``lmer = FALSE`` — the textbook Shrout–Fleiss
estimator every other package reports — and ``validation/cases/reliability.py`` shows
a truncating data set row by row.

Own code and library code
-------------------------
The F upper tail and quantiles come from scipy (``scipy.special.fdtrc``,
``scipy.stats.f.isf``, equal to R's ``pf``/``qf`` to ~1e-15). The mean squares are own
code because they are computed for every feature at once (an ``(n, k, features)``
array: 1,920 features in one pass); ``statsmodels``' ANOVA and
``pingouin.intraclass_corr`` give the same numbers one feature at a time.

Display: results print as psych's ``print.ICC`` (:class:`ICCResult`), ``to_frame()``
gives psych's ``$results`` table.

Edge cases
----------
* Fewer than two targets or two raters, a duplicated (target, rater) pair,
  non-numeric or infinite ratings: :class:`~cetrus.errors.InputError`.
* Missing ratings (a ``NaN``, or a target a rater never rated): an error naming the
  first incomplete target, unless ``drop_incomplete=True``, which drops every target
  lacking a rating (listwise, as psych's ``na.omit`` advice and pingouin's
  ``nan_policy="omit"``) and records how many in ``n_dropped``.
* Ratings that do not vary at all (``MSB = MSE = 0``): the ICCs are undefined — ``nan``
  with :class:`~cetrus.errors.UndefinedStatisticWarning`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cetrus._results import Result, format_value
from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats._validation import conf_level as _check_conf

__all__ = [
    "FORMS",
    "MCGRAW_WONG",
    "ICCForm",
    "ICCResult",
    "ICCManyResult",
    "icc",
    "icc_wide",
    "icc_many",
]

#: the six Shrout–Fleiss forms, in psych's row order
FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
#: McGraw & Wong (1996) names of the same forms (pingouin's ``Type`` column)
MCGRAW_WONG = {
    "ICC1": "ICC(1)",
    "ICC2": "ICC(A,1)",
    "ICC3": "ICC(C,1)",
    "ICC1k": "ICC(k)",
    "ICC2k": "ICC(A,k)",
    "ICC3k": "ICC(C,k)",
}
#: what each form means (psych's row names, spelt out)
DESCRIPTIONS = {
    "ICC1": "single rater, one-way random (absolute)",
    "ICC2": "single rater, two-way random, absolute agreement",
    "ICC3": "single rater, two-way mixed, consistency",
    "ICC1k": "mean of k raters, one-way random (absolute)",
    "ICC2k": "mean of k raters, two-way random, absolute agreement",
    "ICC3k": "mean of k raters, two-way mixed, consistency",
}
_METHOD = "two-way ANOVA mean squares (Shrout & Fleiss 1979), as psych::ICC(lmer = FALSE)"
#: psych's row names of ``$results``, in FORMS order
PSYCH_ROWS = {
    "ICC1": "Single_raters_absolute",
    "ICC2": "Single_random_raters",
    "ICC3": "Single_fixed_raters",
    "ICC1k": "Average_raters_absolute",
    "ICC2k": "Average_random_raters",
    "ICC3k": "Average_fixed_raters",
}


def _psych_table(rows: dict[str, dict[str, Any]]) -> list[str]:
    """psych's ``print.ICC`` table (type, ICC, F, df1, df2, p, lower/upper bound), 4 digits."""
    frame = pd.DataFrame(
        {
            "type": list(rows),
            "ICC": [format_value(r["estimate"]) for r in rows.values()],
            "F": [format_value(r["statistic"]) for r in rows.values()],
            "df1": [format_value(r["df1"]) for r in rows.values()],
            "df2": [format_value(r["df2"]) for r in rows.values()],
            "p": [format_value(r["pvalue"]) for r in rows.values()],
            "lower bound": [format_value(r["ci_low"]) for r in rows.values()],
            "upper bound": [format_value(r["ci_high"]) for r in rows.values()],
        },
        index=[PSYCH_ROWS[f] for f in rows],
    )
    return frame.to_string().splitlines()


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True, repr=False)
class ICCForm(Result):
    """One ICC form: estimate, its F test and confidence interval (a row of psych's table).

    Attributes
    ----------
    estimate : float
        The ICC.
    statistic, df1, df2, pvalue : float
        F statistic of the test ICC = 0, its degrees of freedom and upper-tail p-value.
    ci_low, ci_high : float
        Confidence interval at the result's ``conf_level``.
    mcgraw_wong : str
        McGraw & Wong's name of the form (``ICC(A,1)`` …).

    See Also
    --------
    ICCResult : the six forms together.

    Notes
    -----
    Take one from :class:`ICCResult` (``res["ICC2"]`` or ``res.ICC2``).

    References
    ----------
    .. [1] R: a row of ``psych::ICC(x, lmer = FALSE)$results``.

    Examples
    --------
    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> icc_wide(sf)["ICC2"]
    ICCForm(estimate=0.2898, statistic=11.03, df1=5, df2=15, pvalue=0.0001346, ci_low=0.01879, ci_high=0.7611, mcgraw_wong='ICC(A,1)')
    """

    estimate: float
    statistic: float
    df1: float
    df2: float
    pvalue: float
    ci_low: float
    ci_high: float
    mcgraw_wong: str


@dataclass(frozen=True, slots=True, repr=False)
class ICCResult(Result):
    """The six ICC forms of one set of ratings, plus the ANOVA they come from.

    Attributes
    ----------
    ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k : ICCForm
        The six forms (Shrout & Fleiss; psych's row order).
    conf_level : float
    n_targets, n_raters, n_dropped : int
        Targets used, raters, and targets dropped for a missing rating.
    ms_targets, ms_raters, ms_error, ms_within : float
        The ANOVA mean squares MSB, MSJ, MSE, MSW.
    method : str

    See Also
    --------
    icc, icc_wide : build it.
    ICCManyResult : many features at once.

    Notes
    -----
    Index it by form name (``res["ICC2"]``) or use the attributes; :attr:`forms` gives a
    ``{form: ICCForm}`` dict and :meth:`to_frame` psych's ``$results`` table. ``print``
    lays it out as psych's ``print.ICC`` (4 significant digits where psych rounds to 2).

    References
    ----------
    .. [1] R: ``psych::ICC(x, lmer = FALSE)`` and its ``print``.

    Examples
    --------
    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> res = icc_wide(sf)
    >>> res
    ICCResult(ICC1=0.1657, ICC2=0.2898, ICC3=0.7148, ICC1k=0.4428, ICC2k=0.6201, ICC3k=0.9093, n_targets=6, n_raters=4)
    >>> print(res)
    Call: psych::ICC(x, lmer = FALSE)
    <BLANKLINE>
    Intraclass correlation coefficients
                              type     ICC      F df1 df2          p lower bound upper bound
    Single_raters_absolute    ICC1  0.1657  1.795   5  18     0.1648     -0.1329      0.7226
    Single_random_raters      ICC2  0.2898  11.03   5  15  0.0001346     0.01879      0.7611
    Single_fixed_raters       ICC3  0.7148  11.03   5  15  0.0001346      0.3425      0.9459
    Average_raters_absolute  ICC1k  0.4428  1.795   5  18     0.1648     -0.8844      0.9124
    Average_random_raters    ICC2k  0.6201  11.03   5  15  0.0001346     0.07114      0.9272
    Average_fixed_raters     ICC3k  0.9093  11.03   5  15  0.0001346      0.6757      0.9859
    <BLANKLINE>
     Number of subjects = 6     Number of Judges =  4
    """

    ICC1: ICCForm
    ICC2: ICCForm
    ICC3: ICCForm
    ICC1k: ICCForm
    ICC2k: ICCForm
    ICC3k: ICCForm
    conf_level: float
    n_targets: int
    n_raters: int
    n_dropped: int
    ms_targets: float
    ms_raters: float
    ms_error: float
    ms_within: float
    method: str

    def __getitem__(self, form: str) -> ICCForm:
        if form not in FORMS:
            raise KeyError(f"unknown ICC form {form!r}; one of {', '.join(FORMS)}")
        return getattr(self, form)

    @property
    def forms(self) -> dict[str, ICCForm]:
        return {f: getattr(self, f) for f in FORMS}

    def to_frame(self) -> pd.DataFrame:
        """One row per form (psych's ``$results`` layout, cetrus's column names):
        ``estimate, statistic, df1, df2, pvalue, ci_low, ci_high, mcgraw_wong``, index
        ``form``."""
        rows = [{"form": f, **getattr(self, f).to_dict()} for f in FORMS]
        return pd.DataFrame(rows).set_index("form")

    def frame(self) -> pd.DataFrame:
        """Deprecated alias of :meth:`to_frame`."""
        warnings.warn(
            "ICCResult.frame() is deprecated; use to_frame().", DeprecationWarning, stacklevel=2
        )
        return self.to_frame()

    def __repr__(self) -> str:
        forms = ", ".join(f"{f}={format_value(getattr(self, f).estimate)}" for f in FORMS)
        return f"ICCResult({forms}, n_targets={self.n_targets}, n_raters={self.n_raters})"

    def _print_lines(self) -> list[str]:
        rows = {f: getattr(self, f).to_dict() for f in FORMS}
        lines = [
            "Call: psych::ICC(x, lmer = FALSE)",
            "",
            "Intraclass correlation coefficients",
            *_psych_table(rows),
            "",
            f" Number of subjects = {self.n_targets}     Number of Judges =  {self.n_raters}",
        ]
        if self.n_dropped:
            lines.append(f" ({self.n_dropped} target(s) with a missing rating dropped)")
        if self.conf_level != 0.95:
            lines.append(f" Confidence level of the bounds: {format_value(self.conf_level)}")
        return lines

    def _repr_html_(self) -> str:
        import html

        table = (
            self.to_frame()
            .reset_index()
            .to_html(escape=True, index=False, float_format=format_value, border=0)
        )
        return f"<div class='cetrus-result'><p><b>{html.escape(self.method)}</b></p>{table}</div>"


@dataclass(frozen=True, slots=True, repr=False)
class ICCManyResult(Result):
    """ICCs of many features at once: each field maps a form to an array over features.

    Attributes
    ----------
    estimate, statistic, pvalue, ci_low, ci_high : dict
        ``{form: array over features}``.
    df1, df2 : dict
        ``{form: degrees of freedom}`` (the same for every feature).
    conf_level : float
    n_targets, n_raters, n_features : int
    method : str

    See Also
    --------
    icc_many : builds it.
    ICCResult : one feature, with ``print`` as psych's.

    Notes
    -----
    ``print`` summarises each form over the features (mean, median, min, max, number
    undefined); :meth:`to_frame` gives one row per feature for a form.

    References
    ----------
    .. [1] R: ``psych::ICC(x[, , f], lmer = FALSE)`` for each feature ``f``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> truth = rng.normal(size=(30, 1, 4))
    >>> res = icc_many(truth + 0.5 * rng.normal(size=(30, 2, 4)))
    >>> res
    ICCManyResult(conf_level=0.95, n_targets=30, n_raters=2, n_features=4, method='two-way ANOVA mean squares (Shrout & Fleiss 1979), as psy...')
    >>> res.to_frame("ICC2")[["estimate", "ci_low", "ci_high"]].round(3)
       estimate  ci_low  ci_high
    0     0.783   0.591    0.890
    1     0.801   0.622    0.900
    2     0.819   0.653    0.909
    3     0.736   0.516    0.865
    """

    estimate: dict[str, np.ndarray]
    statistic: dict[str, np.ndarray]
    df1: dict[str, float]
    df2: dict[str, float]
    pvalue: dict[str, np.ndarray]
    ci_low: dict[str, np.ndarray]
    ci_high: dict[str, np.ndarray]
    conf_level: float
    n_targets: int
    n_raters: int
    n_features: int
    method: str

    def frame(self, form: str = "ICC2") -> pd.DataFrame:
        """Deprecated alias of :meth:`to_frame`."""
        warnings.warn(
            "ICCManyResult.frame() is deprecated; use to_frame().", DeprecationWarning, stacklevel=2
        )
        return self.to_frame(form)

    def _print_lines(self) -> list[str]:
        rows = []
        for f in FORMS:
            est = np.asarray(self.estimate[f], float)
            ok = est[np.isfinite(est)]
            stats = (ok.mean(), np.median(ok), ok.min(), ok.max()) if ok.size else (np.nan,) * 4
            rows.append(
                [
                    f,
                    MCGRAW_WONG[f],
                    *(format_value(float(v)) for v in stats),
                    int(est.size - ok.size),
                ]
            )
        frame = pd.DataFrame(
            rows, columns=["form", "type", "mean", "median", "min", "max", "undefined"]
        )
        return [
            f"Intraclass correlations of {self.n_features} features "
            f"({self.n_targets} targets x {self.n_raters} raters), psych::ICC(lmer = FALSE) "
            f"per feature",
            "",
            *frame.to_string(index=False).splitlines(),
        ]

    def to_frame(self, form: str = "ICC2") -> pd.DataFrame:
        """One row per feature for ``form``: estimate, statistic, df1, df2, pvalue, ci_low,
        ci_high."""
        if form not in FORMS:
            raise InputError(
                f"The 'form' parameter of ICCManyResult.to_frame must be one of "
                f"{', '.join(FORMS)}. Got {form!r} instead."
            )
        return pd.DataFrame(
            {
                "estimate": self.estimate[form],
                "statistic": self.statistic[form],
                "df1": self.df1[form],
                "df2": self.df2[form],
                "pvalue": self.pvalue[form],
                "ci_low": self.ci_low[form],
                "ci_high": self.ci_high[form],
            }
        )


# --------------------------------------------------------------------------- core


def _ms(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Mean squares MSB, MSJ, MSE, MSW of x (n, k, f), per feature, in float64.

    The residual sum of squares is summed directly (not ``SST − SSB − SSJ``) so it
    keeps full relative precision when raters agree closely.
    """
    n, k = x.shape[0], x.shape[1]
    centred = x - x.mean(axis=(0, 1), keepdims=True)
    row = centred.mean(axis=1, keepdims=True)  # (n, 1, f) target means
    col = centred.mean(axis=0, keepdims=True)  # (1, k, f) rater means
    resid = centred - row - col
    sse = np.einsum("ijf,ijf->f", resid, resid)
    ssb = k * np.einsum("if,if->f", row[:, 0, :], row[:, 0, :])
    ssj = n * np.einsum("jf,jf->f", col[0], col[0])
    # ratings that do not vary at all: exactly 0 (not centring round-off), so the ICCs are 0/0
    constant = x.max(axis=(0, 1)) == x.min(axis=(0, 1))
    for ss in (ssb, ssj, sse):
        ss[constant] = 0.0
    df_b, df_j, df_e = n - 1, k - 1, (n - 1) * (k - 1)
    return ssb / df_b, ssj / df_j, sse / df_e, (ssj + sse) / (n * (k - 1))


def _forms(msb, msj, mse, msw, n: int, k: int, conf_level: float) -> dict[str, dict[str, Any]]:
    """The six forms from mean squares (arrays over features); see the module docstring."""
    from scipy import special, stats

    alpha = 1.0 - conf_level
    df1, df11d, df21d = n - 1, n * (k - 1), (n - 1) * (k - 1)

    def fq(d1, d2):  # upper alpha/2 point of F(d1, d2), from the complement for accuracy
        return stats.f.isf(alpha / 2.0, d1, d2)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        icc1 = (msb - msw) / (msb + (k - 1) * msw)
        icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
        icc3 = (msb - mse) / (msb + (k - 1) * mse)
        icc1k = (msb - msw) / msb
        icc2k = (msb - mse) / (msb + (msj - mse) / n)
        icc3k = (msb - mse) / msb
        f11 = msb / msw
        f21 = msb / mse
        p11 = special.fdtrc(df1, df11d, f11)
        p21 = special.fdtrc(df1, df21d, f21)

        f1l = f11 / fq(df1, df11d)
        f1u = f11 * fq(df11d, df1)
        f3l = f21 / fq(df1, df21d)
        f3u = f21 * fq(df21d, df1)

        fj = msj / mse
        base = n * (1 + (k - 1) * icc2) - k * icc2
        vn = (k - 1) * (n - 1) * (k * icc2 * fj + base) ** 2
        vd = (n - 1) * k**2 * icc2**2 * fj**2 + base**2
        v = vn / vd
        ok = np.isfinite(v) & (v > 0)
        v_safe = np.where(ok, v, 1.0)
        f2u = np.where(ok, fq(df1, v_safe), np.nan)
        f2l = np.where(ok, fq(v_safe, df1), np.nan)
        denom = k * msj + (k * n - k - n) * mse
        l2 = n * (msb - f2u * mse) / (f2u * denom + n * msb)
        u2 = n * (f2l * msb - mse) / (denom + n * f2l * msb)

        out = {
            "ICC1": (
                icc1,
                f11,
                df1,
                df11d,
                p11,
                (f1l - 1) / (f1l + k - 1),
                (f1u - 1) / (f1u + k - 1),
            ),
            "ICC2": (icc2, f21, df1, df21d, p21, l2, u2),
            "ICC3": (
                icc3,
                f21,
                df1,
                df21d,
                p21,
                (f3l - 1) / (f3l + k - 1),
                (f3u - 1) / (f3u + k - 1),
            ),
            "ICC1k": (icc1k, f11, df1, df11d, p11, 1 - 1 / f1l, 1 - 1 / f1u),
            "ICC2k": (
                icc2k,
                f21,
                df1,
                df21d,
                p21,
                l2 * k / (1 + l2 * (k - 1)),
                u2 * k / (1 + u2 * (k - 1)),
            ),
            "ICC3k": (icc3k, f21, df1, df21d, p21, 1 - 1 / f3l, 1 - 1 / f3u),
        }
    keys = ("estimate", "statistic", "df1", "df2", "pvalue", "ci_low", "ci_high")
    return {form: dict(zip(keys, vals)) for form, vals in out.items()}


def _check_shape(n: int, k: int, func: str) -> None:
    if k < 2:
        raise InputError(f"{func} needs at least two raters to measure agreement. Got {k} rater.")
    if n < 2:
        raise InputError(f"{func} needs at least two targets (rated subjects). Got {n}.")


def _as_ratings_array(values: Any, name: str, ndim: int) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, (pd.DataFrame, pd.Series)) else np.asarray(values)
    if arr.ndim != ndim:
        raise InputError(f"{name!r} must be {ndim}-dimensional. Got shape {arr.shape} instead.")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.float64)
    if arr.dtype.kind not in "iuf":
        flat = pd.Series(arr.ravel(order="C"))
        conv = pd.to_numeric(flat, errors="coerce")
        bad = conv.isna() & flat.notna()
        if bad.any():
            raise InputError(
                f"{name!r} must be numeric. Got non-numeric rating {flat[bad].iloc[0]!r} instead."
            )
        arr = conv.to_numpy(dtype=np.float64).reshape(arr.shape)
    arr = np.asarray(arr, dtype=np.float64)
    if np.isinf(arr).any():
        raise InputError(f"{name!r} must be finite. Got an infinite rating instead.")
    return arr


def _undefined_warning(estimates: np.ndarray, what: str) -> None:
    n_bad = int(np.isnan(estimates).sum())
    if n_bad:
        warnings.warn(
            f"ICC is undefined (nan) for {n_bad} {what}: the ratings do not vary "
            f"(between-target and residual mean squares are 0).",
            UndefinedStatisticWarning,
            stacklevel=3,
        )


# --------------------------------------------------------------------------- public API


def icc_many(ratings: Any, *, conf_level: float = 0.95) -> ICCManyResult:
    """The six ICC forms for many features at once (vectorised; no loop over features).

    Parameters
    ----------
    ratings : array-like, shape (n_targets, n_raters, n_features)
        Complete ratings: ``ratings[i, j, f]`` is rater ``j``'s value of feature ``f``
        for target ``i``. Missing values are an error (drop incomplete targets first).
    conf_level : float, keyword-only
        Two-sided confidence level of the intervals (psych's ``alpha = 1 − conf_level``).

    Returns
    -------
    ICCManyResult
        ``estimate``, ``statistic``, ``pvalue``, ``ci_low``, ``ci_high``: dicts
        form → array of length ``n_features``; ``df1``/``df2``: dicts form → number.
        The per-feature rater agreement of the paper is ``.estimate["ICC2"]``.

    Notes
    -----
    Each feature gives exactly :func:`icc_wide` of its ``(n_targets, n_raters)`` slice
    (see the module docstring for the formulas; ``psych::ICC(lmer = FALSE)``). Time and
    memory are linear in the number of ratings: 1,920 features × 878 targets × 2 raters
    take tens of milliseconds (``python -m benchmarks -k icc``). Features whose ratings do
    not vary give ``nan`` and one :class:`~cetrus.errors.UndefinedStatisticWarning`.

    See Also
    --------
    icc_wide : one feature, psych's layout.
    cetrus.stats.feature_agreement.agreement : two raters' feature tables, matched by patient.

    References
    ----------
    .. [1] Shrout PE, Fleiss JL (1979). Intraclass correlations: uses in assessing rater
       reliability. *Psychol Bull* 86:420–428.
    .. [2] R: ``psych::ICC(ratings[, , f], lmer = FALSE)`` for each feature ``f``.

    Examples
    --------
    >>> import numpy as np
    >>> sf = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
    ...                [6, 2, 4, 7]], dtype=float)
    >>> res = icc_many(np.stack([sf, 2 * sf + 1], axis=2))  # two features
    >>> res.estimate["ICC3"].round(4)
    array([0.7148, 0.7148])
    """
    cl = _check_conf(conf_level, "icc_many")
    x = _as_ratings_array(ratings, "ratings", 3)
    n, k, nf = x.shape
    _check_shape(n, k, "icc_many")
    if nf < 1:
        raise InputError(f"'ratings' must hold at least one feature. Got shape {x.shape} instead.")
    nan = np.isnan(x)
    if nan.any():
        i, j, f = (int(v[0]) for v in np.nonzero(nan))
        raise InputError(
            f"'ratings' has {int(nan.sum())} missing value(s) (first: target {i}, "
            f"rater {j}, feature {f}); drop incomplete targets first."
        )
    forms = _forms(*_ms(x), n, k, cl)
    _undefined_warning(forms["ICC2"]["estimate"], "feature(s)")

    def per_form(key: str) -> dict[str, np.ndarray]:
        return {f: np.asarray(v[key], float) for f, v in forms.items()}

    def per_form_df(key: str) -> dict[str, float]:
        return {f: float(v[key]) for f, v in forms.items()}

    return ICCManyResult(
        estimate=per_form("estimate"),
        statistic=per_form("statistic"),
        df1=per_form_df("df1"),
        df2=per_form_df("df2"),
        pvalue=per_form("pvalue"),
        ci_low=per_form("ci_low"),
        ci_high=per_form("ci_high"),
        conf_level=cl,
        n_targets=n,
        n_raters=k,
        n_features=nf,
        method=_METHOD,
    )


def _icc_from_matrix(x: np.ndarray, cl: float, n_dropped: int, func: str) -> ICCResult:
    n, k = x.shape
    _check_shape(n, k, func)
    msb, msj, mse, msw = (float(v[0]) for v in _ms(x[:, :, None]))
    forms = _forms(np.array([msb]), np.array([msj]), np.array([mse]), np.array([msw]), n, k, cl)
    _undefined_warning(forms["ICC2"]["estimate"], "these ratings")
    built = {
        f: ICCForm(
            **{key: float(np.asarray(val).ravel()[0]) for key, val in v.items()},
            mcgraw_wong=MCGRAW_WONG[f],
        )
        for f, v in forms.items()
    }
    return ICCResult(
        **built,
        conf_level=cl,
        n_targets=n,
        n_raters=k,
        n_dropped=n_dropped,
        ms_targets=msb,
        ms_raters=msj,
        ms_error=mse,
        ms_within=msw,
        method=_METHOD,
    )


def _complete_targets(
    x: np.ndarray, labels: list, drop_incomplete: bool, func: str, name: str
) -> tuple[np.ndarray, int]:
    incomplete = np.isnan(x).any(axis=1)
    if not incomplete.any():
        return x, 0
    if not drop_incomplete:
        first = labels[int(np.flatnonzero(incomplete)[0])]
        raise InputError(
            f"{name} has missing ratings for {int(incomplete.sum())} target(s) (first: {first!r}); "
            f"pass drop_incomplete=True (CLI: --drop-incomplete) to drop targets lacking a rating."
        )
    kept = x[~incomplete]
    if kept.shape[0] < 2:
        raise InputError(
            f"{func} needs at least two targets rated by every rater; "
            f"{kept.shape[0]} remain after dropping {int(incomplete.sum())} "
            f"incomplete target(s)."
        )
    return kept, int(incomplete.sum())


def icc_wide(matrix: Any, *, conf_level: float = 0.95, drop_incomplete: bool = False) -> ICCResult:
    """Six ICC forms from a targets × raters matrix (psych's input layout).

    Parameters
    ----------
    matrix : array-like or DataFrame, shape (n_targets, n_raters)
        One row per target, one column per rater. ``NaN`` marks a missing rating.
    conf_level : float, keyword-only
        Two-sided confidence level (psych's ``alpha = 1 − conf_level``).
    drop_incomplete : bool, keyword-only
        Drop targets lacking any rating instead of raising (recorded in ``n_dropped``).

    Returns
    -------
    ICCResult
        Equal to ``psych::ICC(matrix, lmer = FALSE)`` (see the module docstring).

    See Also
    --------
    icc : long data (one row per rating), pingouin's layout.
    icc_many : many features at once.

    Notes
    -----
    Edge cases as the module docstring says (missing ratings raise unless
    ``drop_incomplete``; ratings that do not vary give ``nan``). Own code rather than
    ``pingouin.intraclass_corr``: the same numbers (checked in the tests), but pingouin
    is not a dependency and gives no vectorised many-feature form.

    References
    ----------
    .. [1] Shrout PE, Fleiss JL (1979). *Psychol Bull* 86:420–428.
    .. [2] McGraw KO, Wong SP (1996). Forming inferences about some intraclass correlation
       coefficients. *Psychol Methods* 1:30–46.
    .. [3] R: ``psych::ICC(x, lmer = FALSE)``.

    Examples
    --------
    Shrout & Fleiss (1979), the example of ``?psych::ICC``:

    >>> sf = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> res = icc_wide(sf)
    >>> round(res.ICC3.estimate, 4), round(res.ICC3.ci_low, 4), round(res.ICC3.ci_high, 4)
    (0.7148, 0.3425, 0.9459)
    >>> round(float(res.to_frame().loc["ICC2", "pvalue"]), 6)
    0.000135
    """
    cl = _check_conf(conf_level, "icc_wide")
    x = _as_ratings_array(matrix, "matrix", 2)
    labels = list(matrix.index) if isinstance(matrix, pd.DataFrame) else list(range(x.shape[0]))
    _check_shape(x.shape[0], x.shape[1], "icc_wide")
    x, dropped = _complete_targets(x, labels, drop_incomplete, "icc_wide", "'matrix'")
    return _icc_from_matrix(x, cl, dropped, "icc_wide")


def icc(
    data: pd.DataFrame,
    targets: str,
    raters: str,
    ratings: str,
    *,
    conf_level: float = 0.95,
    drop_incomplete: bool = False,
) -> ICCResult:
    """Six ICC forms from long data: one row per (target, rater) rating.

    Parameters
    ----------
    data : DataFrame
        Long-format ratings.
    targets, raters, ratings : str
        Column names: the rated subject (e.g. patient/ROI), the rater (e.g. sonographer)
        and the numeric rating (e.g. a feature value).
    conf_level : float, keyword-only
        Two-sided confidence level (psych's ``alpha = 1 − conf_level``).
    drop_incomplete : bool, keyword-only
        By default a missing rating (a ``NaN`` in ``ratings`` or a (target, rater) pair
        with no row) raises :class:`~cetrus.errors.InputError`. ``True`` drops every
        target lacking a rating from any rater (listwise deletion) and records the
        count in ``n_dropped``.

    Returns
    -------
    ICCResult
        ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k with F, df1, df2, p and CI, equal to
        ``psych::ICC(wide, lmer = FALSE)`` where ``wide`` has one column per rater.

    Raises
    ------
    InputError
        Missing columns, fewer than two raters or targets, a (target, rater) pair rated
        twice, non-numeric or infinite ratings, missing ratings (see above).

    See Also
    --------
    icc_wide : a targets × raters matrix (psych's layout).
    cetrus.stats.feature_agreement.rater_agreement : one ICC per radiomics feature.

    Notes
    -----
    The signature is pingouin's ``intraclass_corr(data, targets, raters, ratings)``;
    targets and raters keep their order of first appearance; ratings that do not vary
    give ``nan`` with :class:`~cetrus.errors.UndefinedStatisticWarning`.

    References
    ----------
    .. [1] Shrout PE, Fleiss JL (1979). *Psychol Bull* 86:420–428.
    .. [2] R: ``psych::ICC(wide, lmer = FALSE)``.

    Examples
    --------
    >>> import pandas as pd
    >>> long = pd.DataFrame({"roi": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                      "reader": ["A", "B"] * 4,
    ...                      "value": [1.0, 1.2, 2.0, 2.3, 3.1, 2.9, 4.0, 4.4]})
    >>> res = icc(data=long, targets="roi", raters="reader", ratings="value")
    >>> round(res.ICC2.estimate, 3), round(res.ICC2.ci_low, 3), res.n_targets
    (0.976, 0.772, 4)
    """
    func = "icc"
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    for param, col in (("targets", targets), ("raters", raters), ("ratings", ratings)):
        if col not in data.columns:
            raise InputError(
                f"The {param!r} column {col!r} is not in the data "
                f"(columns: {', '.join(map(str, data.columns[:12]))})."
            )
    cl = _check_conf(conf_level, func)
    frame = data[[targets, raters, ratings]]
    for col in (targets, raters):
        if frame[col].isna().any():
            row = int(np.flatnonzero(frame[col].isna().to_numpy())[0])
            raise InputError(
                f"column {col!r} has a missing label (first at row {row}); "
                f"every rating needs a {col}."
            )
    values = _as_ratings_array(frame[ratings], ratings, 1)
    dup = frame.duplicated(subset=[targets, raters], keep="first")
    if dup.any():
        first = frame.loc[dup].iloc[0]
        raise InputError(
            f"(target, rater) pair ({first[targets]!r}, {first[raters]!r}) is rated "
            f"{int(((frame[targets] == first[targets]) & (frame[raters] == first[raters])).sum())}"
            f" times; each target must be rated once by each rater."
        )
    t_codes, t_labels = pd.factorize(frame[targets], sort=False)
    r_codes, r_labels = pd.factorize(frame[raters], sort=False)
    n, k = len(t_labels), len(r_labels)
    _check_shape(n, k, func)
    wide = np.full((n, k), np.nan)
    wide[t_codes, r_codes] = values
    wide, dropped = _complete_targets(
        wide, list(t_labels), drop_incomplete, func, f"column {ratings!r}"
    )
    return _icc_from_matrix(wide, cl, dropped, func)
