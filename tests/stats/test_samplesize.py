"""Sample size for a binary-outcome prediction model (Riley et al.; R's pmsampsize).

R's pmsampsize is not a Debian package and its Python port needs Python >= 3.12, so the
checks are the numbers pmsampsize's own test suite pins (tests/testthat/test_bin.R of
pmsampsize 1.0.x, reproduced with ``legacy_rounding=True``), the worked example of Riley
et al. under current pmsampsize (662, DESIGN.md), the criteria recomputed from their
formulas, and the C-statistic conversion against a large simulated cohort fitted by
logistic regression (pmsampsize's own method, cstat2rsq.R)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cetrus.errors import InputError
from cetrus.stats.samplesize import cox_snell_from_c, max_cox_snell, sample_size_binary

# pmsampsize tests/testthat/test_bin.R (1.0.x): inputs -> criteria n and EPP (Final last)
PINNED = [
    (
        dict(cox_snell_r2=0.288, parameters=24, prevalence=0.174),
        (623, 668, 221, 668),
        (4.52, 4.84, 1.6, 4.84),
    ),
    (
        dict(cox_snell_r2=0.55, parameters=24, prevalence=0.174),
        (255, 532, 221, 532),
        (1.85, 3.86, 1.6, 3.86),
    ),
    (
        dict(cox_snell_r2=0.288, parameters=36, prevalence=0.174),
        (934, 1002, 221, 1002),
        (4.51, 4.84, 1.07, 4.84),
    ),
    (
        dict(cox_snell_r2=0.288, parameters=24, prevalence=0.25),
        (623, 583, 289, 623),
        (6.49, 6.07, 3.01, 6.49),
    ),
]


@pytest.mark.parametrize("kwargs, sizes, epp", PINNED)
def test_pmsampsize_own_tests_with_its_old_rounding(kwargs, sizes, epp):
    res = sample_size_binary(**kwargs, legacy_rounding=True)
    assert res.n_criteria + (res.n,) == sizes
    got = tuple(round(e, 2) for e in res.epp_criteria) + (round(res.events_per_parameter, 2),)
    assert got == epp


def test_riley_example_under_current_pmsampsize():
    res = sample_size_binary(0.174, 24, cox_snell_r2=0.288)
    assert res.n == 662 and res.criterion == 2
    assert res.n_criteria == (623, 662, 221)
    assert res.events == pytest.approx(662 * 0.174)
    assert res.final_shrinkage == pytest.approx(0.288 / (0.288 + 0.05 * max_cox_snell(0.174)))
    assert "based on user inputs = 662," in str(res)  # pmsampsize's closing sentence


def test_criteria_from_their_formulas():
    phi, p, r2, s = 0.3, 10, 0.2, 0.9
    res = sample_size_binary(phi, p, cox_snell_r2=r2, shrinkage=s, mmoe=0.04)
    max_r2 = 1 - (phi**phi * (1 - phi) ** (1 - phi)) ** 2
    s2 = r2 / (r2 + 0.05 * max_r2)
    expect = (
        math.ceil(p / ((s - 1) * math.log(1 - r2 / s))),
        math.ceil(p / ((s2 - 1) * math.log(1 - r2 / s2))),
        math.ceil((1.96 / 0.04) ** 2 * phi * (1 - phi)),
    )
    assert res.n_criteria == expect and res.n == max(expect)
    assert res.max_cox_snell_r2 == pytest.approx(max_r2, rel=1e-14)


def test_nagelkerke_input_is_scaled_by_max_r2():
    a = sample_size_binary(0.174, 24, nagelkerke_r2=0.5)
    b = sample_size_binary(0.174, 24, cox_snell_r2=0.5 * max_cox_snell(0.174))
    assert a.n_criteria == b.n_criteria and a.r2_source == "nagelkerke"


@pytest.mark.slow
@pytest.mark.parametrize("c, phi", [(0.7, 0.2), (0.81, 0.77), (0.9, 0.5)])
def test_c_statistic_conversion_matches_a_large_simulated_cohort(c, phi):
    """pmsampsize's cstat2rsq: simulate the normal linear-predictor model, fit logistic
    regression, Cox-Snell R² from the deviances; cetrus computes the limit exactly."""
    import statsmodels.api as sm
    from scipy.stats import norm

    rng = np.random.default_rng(123456)
    n = 400_000
    mu = math.sqrt(2) * norm.ppf(c)
    events = int(phi * n)
    lp = np.concatenate([rng.normal(mu, 1, events), rng.normal(0, 1, n - events)])
    y = np.concatenate([np.ones(events), np.zeros(n - events)])
    fit = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit()
    simulated = 1 - math.exp(-(fit.null_deviance - fit.deviance) / n)
    assert cox_snell_from_c(c, phi) == pytest.approx(simulated, abs=3e-3)
    # the model is symmetric in which group is called the event (pmsampsize's labels)
    assert cox_snell_from_c(c, phi) == pytest.approx(cox_snell_from_c(c, 1 - phi), rel=1e-10)


@pytest.mark.parametrize(
    "args, kwargs, match",
    [
        ((0.0, 10), {"cox_snell_r2": 0.1}, r"prevalence must lie in \(0, 1\)"),
        ((1.0, 10), {"cox_snell_r2": 0.1}, "prevalence"),
        ((0.2, 0), {"cox_snell_r2": 0.1}, "parameters must be a whole number >= 1"),
        ((0.2, 2.5), {"cox_snell_r2": 0.1}, "parameters"),
        ((0.2, 10), {}, "exactly one of"),
        ((0.2, 10), {"cox_snell_r2": 0.1, "c_statistic": 0.8}, "exactly one of"),
        ((0.2, 10), {"cox_snell_r2": 0.65}, "largest a model reaches"),
        ((0.2, 10), {"c_statistic": 0.5}, r"C statistic must lie in \(0.5, 1\)"),
        ((0.2, 10), {"c_statistic": 1.0}, "C statistic"),
        ((0.2, 10), {"cox_snell_r2": 0.1, "shrinkage": 1.0}, "shrinkage"),
        ((0.2, 10), {"cox_snell_r2": 0.1, "mmoe": 0}, "mmoe"),
        ((0.5, 10), {"cox_snell_r2": 0.5, "shrinkage": 0.4}, "below the shrinkage"),
    ],
)
def test_bad_input_is_one_clear_error(args, kwargs, match):
    with pytest.raises(InputError, match=match):
        sample_size_binary(*args, **kwargs)


def test_sample_size_prints_pmsampsize_summary_and_table():
    res = sample_size_binary(0.174, 24, cox_snell_r2=0.288)
    assert len(repr(res)) < 200 and repr(res).startswith("SampleSize(n=662, criterion=2")
    lines = str(res).splitlines()
    assert lines[4].split() == [
        "Samp_size",
        "Shrinkage",
        "Parameter",
        "CS_Rsq",
        "Max_Rsq",
        "Nag_Rsq",
        "EPP",
    ]
    assert lines[5].split()[:3] == ["Criteria", "1", "623"]
    assert lines[8].split()[:2] == ["Final", "662"]
    assert "with 116 events" in lines[-1]
    frame = res.to_frame()
    assert frame.shape == (4, 8)
    assert list(frame["n"]) == [623, 662, 221, 662]
    assert "<table" in res._repr_html_()
