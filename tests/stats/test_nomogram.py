"""cetrus.stats.nomogram: frozen rms values, R's pretty(), the points arithmetic, errors, figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy.special import expit

from cetrus.errors import ConvergenceError, InputError
from cetrus.stats.nomogram import nomogram, r_format, r_pretty

# --------------------------------------------------------------------------- R's pretty

# R 4.2.2, options(digits = 17):
#   pretty(c(1, 10)); pretty(c(0.02, 0.98), n = 10); pretty(c(-3.2, 7.7)); pretty(0);
#   pretty(c(5, 5)); pretty(c(1, 1 + 1e-15)); pretty(c(0, 145.3), n = 10);
#   pretty(c(-0.0013, 0.0041), n = 10)
R_PRETTY = [
    (([1, 10], 5), [0, 2, 4, 6, 8, 10]),
    (
        ([0.02, 0.98], 10),
        [
            0.0,
            0.10000000000000001,
            0.20000000000000001,
            0.30000000000000004,
            0.40000000000000002,
            0.5,
            0.60000000000000009,
            0.70000000000000007,
            0.80000000000000004,
            0.90000000000000002,
            1.0,
        ],
    ),
    (([-3.2, 7.7], 5), [-4, -2, 0, 2, 4, 6, 8]),
    (([0.0], 5), [-1, 0]),
    (([5, 5], 5), [0, 5]),
    (([1, 1 + 1e-15], 5), [0.0, 1.0000000000000011]),
    (([0, 145.3], 10), [0, 20, 40, 60, 80, 100, 120, 140, 160]),
    (
        ([-0.0013, 0.0041], 10),
        [
            -0.0015,
            -0.001,
            -0.0005,
            0.0,
            0.0005,
            0.001,
            0.0015,
            0.002,
            0.0025,
            0.0030000000000000005,
            0.0035,
            0.004,
            0.0045000000000000005,
        ],
    ),
]


@pytest.mark.parametrize("args,expected", R_PRETTY)
def test_r_pretty_frozen(args, expected):
    x, n = args
    assert_array_equal(r_pretty(x, n), np.array(expected, dtype=float))


def test_r_pretty_ignores_non_finite_and_empty():
    assert_array_equal(r_pretty([np.nan, 1, 10, np.inf]), r_pretty([1, 10]))
    assert r_pretty([np.nan]).size == 0


@settings(max_examples=200, deadline=None)
@given(lo=st.floats(-1e6, 1e6), width=st.floats(1e-6, 1e6), n=st.integers(1, 12))
def test_r_pretty_covers_the_range_with_round_steps(lo, width, n):
    hi = lo + width
    s = r_pretty([lo, hi], n)
    steps = np.diff(s)
    unit = steps.mean()
    # covered up to R's rounding epsilon of 1e-10 steps
    assert s[0] <= lo + 1e-10 * unit and s[-1] >= hi - 1e-10 * unit
    # differences of large values carry rounding of order eps · |value|
    rounding = 4e-16 * max(abs(lo), abs(hi)) / unit + 1e-9
    assert_allclose(steps / unit, 1.0, atol=rounding)
    mantissa = unit / 10 ** np.floor(np.log10(unit))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 10 * rounding
    assert n // 3 <= len(steps) <= 2 * n + 2


def test_r_format_like_r_format():
    # R: format(0.1); format(1e-4); format(44); format(0.30000000000000004); format(1e5); format(2.5)
    assert [r_format(v) for v in (0.1, 1e-4, 44.0, 0.30000000000000004, 1e5, 2.5, -3.5, 0.0)] == [
        "0.1",
        "1e-04",
        "44",
        "0.3",
        "1e+05",
        "2.5",
        "-3.5",
        "0",
    ]


# --------------------------------------------------------------------------- rms, infert

# R 4.2.2, rms 6.5-0:
#   d <- infert; dd <- datadist(d); options(datadist = "dd")
#   f <- lrm(case ~ age + parity + induced + spontaneous, data = d)
#   nom <- nomogram(f, fun = plogis); info <- attr(nom, "info"); options(digits = 17)
#   coef(f); info$sc; info$Intercept; nom$age$points; nom$parity$points; nom$total.points$x;
#   info$lp.at; nom$lp$x; nom[["Predicted Value"]]$x.real; nom[["Predicted Value"]]$x
LRM_INFERT = {
    "(Intercept)": -2.852390367654214387,
    "age": 0.053180987482125554,
    "parity": -0.708830062869866384,
    "induced": 1.189656210689653548,
    "spontaneous": 1.925338237782338036,
}
RMS_SC = 25.969462933220239
RMS_INTERCEPT = -6.0417509952309016
RMS_AGE_POINTS = [
    0.0,
    2.7621633663382164,
    5.5243267326764389,
    8.2864900990146548,
    11.0486534653528707,
    13.8108168316910938,
    16.5729801980293097,
    19.3351435643675273,
    22.0973069307057486,
    24.8594702970439592,
    27.6216336633821804,
    30.3837970297204016,
    33.1459603960586122,
]
RMS_PARITY_POINTS = [
    92.039680218255825,
    73.631744174604648,
    55.223808130953500,
    36.815872087302324,
    18.407936043651159,
    0.0,
]
RMS_LP_POINTS = [
    66.007908256124551,
    78.992639722734665,
    91.977371189344794,
    104.962102655954908,
    117.946834122565036,
    130.931565589175136,
    143.916297055785265,
    156.901028522395393,
    169.885759989005521,
    182.870491455615621,
    195.855222922225749,
    208.839954388835878,
]
RMS_RISK_POINTS = [
    99.840213003846529,
    120.899692255028242,
    134.897135603791952,
    146.371311651293667,
    156.901028489836023,
    167.430758077929340,
    178.904935682871724,
    192.902407384008967,
]
PREDICTORS = ["age", "parity", "induced", "spontaneous"]


@pytest.fixture(scope="module")
def infert() -> pd.DataFrame:
    """R's ``datasets::infert`` (the five columns used), saved with
    ``write.csv(infert[c("case", "age", "parity", "induced", "spontaneous")])``."""
    from pathlib import Path

    return pd.read_csv(Path(__file__).parent / "data" / "infert.csv")


@pytest.fixture(scope="module")
def nom_infert(infert):
    return nomogram(infert, "case", PREDICTORS, coefficients=LRM_INFERT)


def test_infert_equals_rms(nom_infert):
    nom = nom_infert
    assert nom.scale == pytest.approx(RMS_SC, rel=1e-14)
    assert nom.intercept == pytest.approx(RMS_INTERCEPT, rel=1e-14)
    assert_array_equal(nom.axes["age"].values, np.arange(20, 45, 2))  # pretty(c(21, 44), 10)
    assert not nom.axes["age"].discrete
    assert_allclose(nom.axes["age"].points, RMS_AGE_POINTS, atol=1e-12)
    assert_array_equal(nom.axes["parity"].values, [1, 2, 3, 4, 5, 6])  # 6 distinct: discrete
    assert nom.axes["parity"].discrete
    assert_allclose(nom.axes["parity"].points, RMS_PARITY_POINTS, atol=1e-12)
    assert_allclose(nom.axes["spontaneous"].points, [0, 50, 100], atol=1e-12)  # widest: 100 points
    assert_array_equal(nom.total_points_at, np.arange(0, 221, 20))
    assert_allclose(nom.lp_at, np.arange(-3.5, 2.01, 0.5))
    assert_allclose(nom.lp_points, RMS_LP_POINTS, atol=1e-12)
    assert_allclose(nom.risk_at, np.arange(1, 9) / 10)
    # rms places risk ticks by approx() on a 1,000-point table (0.5 sits 3e-8 from lp = 0)
    assert_allclose(nom.risk_points, RMS_RISK_POINTS, atol=1e-10)
    assert abs(nom.risk_points[4] - (0 - RMS_INTERCEPT) * RMS_SC) > 1e-8


def test_points_for_new_patients(nom_infert):
    nom = nom_infert
    patients = pd.DataFrame(
        {"age": [26, 40, 31.5], "parity": [1, 6, 2], "induced": [0, 2, 1], "spontaneous": [2, 0, 1]}
    )
    by_axis = nom.predictor_points(patients)
    # a patient whose values are axis ticks gets exactly the ticks' points
    assert by_axis.loc[0, "age"] == pytest.approx(RMS_AGE_POINTS[3], abs=1e-12)
    assert by_axis.loc[1, "parity"] == pytest.approx(0.0, abs=1e-12)
    total = nom.points(patients)
    assert_allclose(total, by_axis.sum(axis=1))
    lp_naive = LRM_INFERT["(Intercept)"] + sum(LRM_INFERT[p] * patients[p] for p in PREDICTORS)
    assert_allclose(nom.linear_predictor(patients), lp_naive, atol=1e-12)
    assert_allclose(nom.probability(patients), expit(lp_naive), atol=1e-14)
    assert_allclose(nom.points_to_probability(total), expit(lp_naive), atol=1e-14)
    # a mapping works too
    assert nom.points({"age": 26, "parity": 1, "induced": 0, "spontaneous": 2})[0] == pytest.approx(
        total[0]
    )


def test_fit_with_cetrus_logit_equals_lrm_coefficients(infert):
    pytest.importorskip("cetrus.stats.logistic")
    nom = nomogram(infert, "case", PREDICTORS)
    ref = nomogram(infert, "case", PREDICTORS, coefficients=LRM_INFERT)
    assert nom.scale == pytest.approx(ref.scale, rel=1e-6)
    for p in PREDICTORS:
        assert_allclose(nom.axes[p].points, ref.axes[p].points, atol=1e-6)
    assert_allclose(nom.points(infert), ref.points(infert), atol=1e-6)


# --------------------------------------------------------------------------- the construction rules


def _frame(seed=0, n=300):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "ten": rng.integers(0, 10, n).astype(float),
            "eleven": rng.integers(0, 11, n).astype(float),
            "marker": rng.normal(50, 10, n),
        }
    )
    lp = -1 + 0.2 * d["ten"] - 0.1 * d["eleven"] + 0.03 * (d["marker"] - 50)
    d["y"] = (rng.random(n) < expit(lp)).astype(int)
    return d


def _coefs(**kw):
    return {"(Intercept)": -1.0, **kw}


def test_discrete_axis_up_to_ten_distinct_values():
    d = _frame()
    nom = nomogram(
        d, "y", ["ten", "eleven", "marker"], coefficients=_coefs(ten=0.2, eleven=-0.1, marker=0.03)
    )
    assert nom.axes["ten"].discrete and len(nom.axes["ten"].values) == 10
    assert not nom.axes["eleven"].discrete
    assert_array_equal(nom.axes["eleven"].values, r_pretty([0, 10], 10))


@settings(max_examples=40, deadline=None)
@given(
    b=st.lists(st.floats(-3, 3).filter(lambda v: abs(v) > 1e-3), min_size=3, max_size=3),
    seed=st.integers(0, 1000),
)
def test_widest_axis_gets_maxscale_and_points_are_linear(b, seed):
    d = _frame(seed)
    preds = ["ten", "eleven", "marker"]
    nom = nomogram(d, "y", preds, coefficients=_coefs(**dict(zip(preds, b))))
    spans = [np.ptp(nom.axes[p].points) for p in preds]
    assert max(spans) == pytest.approx(100.0)
    for p, beta in zip(preds, b):
        ax = nom.axes[p]
        assert ax.points.min() == pytest.approx(0.0, abs=1e-12)
        assert_allclose(np.diff(ax.points), nom.scale * beta * np.diff(ax.values), atol=1e-9)
    # total points → linear predictor → probability round-trips the model
    lp = -1 + d[preds].to_numpy() @ np.array(b)
    assert_allclose(nom.linear_predictor(d), lp, atol=1e-9)
    assert nom.total_points_at[0] == 0 and nom.total_points_at[-1] >= 100
    assert (np.diff(nom.risk_at) > 0).all() and (np.diff(nom.risk_points) > 0).all()


def test_one_predictor_total_axis_is_pretty_0_100():
    d = _frame()
    nom = nomogram(d, "y", ["marker"], coefficients=_coefs(marker=0.05))
    assert_array_equal(nom.total_points_at, r_pretty([0, 100], 10))


# --------------------------------------------------------------------------- errors


class _Unconverged:
    converged = False
    coefficients = {"(Intercept)": 0.0, "marker": 40.0}
    predictors = ("marker",)


def test_unconverged_fit_is_an_error():
    with pytest.raises(ConvergenceError, match="did not converge"):
        nomogram(_frame(), "y", ["marker"], fit=_Unconverged())


def test_separated_data_fitted_here_is_an_error():
    pytest.importorskip("cetrus.stats.logistic")
    d = pd.DataFrame({"x": np.arange(20.0), "y": [0] * 10 + [1] * 10})
    with pytest.raises(ConvergenceError, match="separation by x"):
        nomogram(d, "y", ["x"])


@pytest.mark.parametrize(
    "change,kwargs,message",
    [
        (lambda d: d.assign(marker=3.0), {"marker": 0.1}, "'marker' is constant"),
        (lambda d: d.assign(marker="high"), {"marker": 0.1}, "'marker' is constant"),
        (
            lambda d: d.assign(marker=np.where(np.arange(len(d)) == 5, np.nan, d["marker"])),
            {"marker": 0.1},
            "'marker' has 1 missing",
        ),
        (lambda d: d, {}, "coefficient 'marker' is missing"),
        (lambda d: d, {"marker": 0.0}, "every coefficient is 0"),
        (lambda d: d, {"marker": 0.1, "ten": 1.0}, "coefficient 'ten' has no predictor"),
        (lambda d: d, {"marker": np.inf}, "not finite"),
        (lambda d: d.drop(columns="marker"), {"marker": 0.1}, "column 'marker' is not in the data"),
    ],
)
def test_bad_input(change, kwargs, message):
    with pytest.raises((InputError, ConvergenceError), match=message):
        nomogram(change(_frame()), "y", ["marker"], coefficients=_coefs(**kwargs))


def test_fit_and_coefficients_are_exclusive():
    with pytest.raises(InputError, match="either 'fit' or 'coefficients'"):
        nomogram(_frame(), "y", ["marker"], fit=_Unconverged(), coefficients=_coefs(marker=1.0))


# --------------------------------------------------------------------------- figure


def test_figure_png_and_svg(nom_infert, tmp_path):
    from cetrus.report.fig_nomogram import plot_nomogram

    paths = plot_nomogram(nom_infert, tmp_path / "nomogram_infert", title="infert")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = paths[1].read_text()
    for text in ("Points", "Total Points", "Linear Predictor", "Risk", "spontaneous"):
        assert text in svg


# --------------------------------------------------------------------------- factors


def _staged(seed=7, n=300):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame(
        {
            "age": rng.normal(60, 10, n).round(),
            "stage": rng.choice(["I", "II", "III"], n),
            "male": rng.choice(["no", "yes"], n),
        }
    )
    eta = (
        -0.5
        + 0.05 * (d.age - 60)
        + d.stage.map({"I": 0, "II": 0.7, "III": 1.5})
        + 0.4 * (d.male == "yes")
    )
    d["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    return d


def test_two_level_factor_equals_its_0_1_coding():
    d = _staged()
    a = nomogram(d, "y", ["age", "male"])
    b = nomogram(d.assign(male=(d.male == "yes").astype(int)), "y", ["age", "male"])
    assert a.axes["male"].labels == ("no", "yes") and b.axes["male"].labels == ("0", "1")
    np.testing.assert_allclose(a.axes["male"].points, b.axes["male"].points, rtol=1e-12)
    assert a.scale == pytest.approx(b.scale, rel=1e-12)
    np.testing.assert_allclose(
        a.probability(d), b.probability(d.assign(male=(d.male == "yes").astype(int))), rtol=1e-12
    )


def test_multi_level_factor_axis_from_coefficients():
    d = _staged()
    coefs = {"(Intercept)": -1.0, "age": 0.05, "stageII": 0.7, "stageIII": 1.5}
    nom = nomogram(d, "y", ["age", "stage"], coefficients=coefs)
    ax = nom.axes["stage"]
    assert ax.kind == "categorical" and ax.labels == ("I", "II", "III") and ax.discrete
    np.testing.assert_allclose(ax.points, np.array([0.0, 0.7, 1.5]) * nom.scale, rtol=1e-12)
    # a patient's linear predictor is the model's
    lp = nom.linear_predictor({"age": [50.0, 70.0], "stage": ["III", "I"]})
    np.testing.assert_allclose(lp, [-1.0 + 2.5 + 1.5, -1.0 + 3.5], rtol=1e-12)
    # the reference can be another level (its coefficient is 0): same predictions
    other = nomogram(
        d,
        "y",
        ["age", "stage"],
        coefficients={"(Intercept)": -1.0 + 1.5, "age": 0.05, "stageI": -1.5, "stageII": 0.7 - 1.5},
    )
    np.testing.assert_allclose(other.probability(d), nom.probability(d), rtol=1e-12)
    with pytest.raises(InputError, match="not on its axis"):
        nom.points({"age": [50.0], "stage": ["IV"]})
    with pytest.raises(InputError, match="all levels but one"):
        nomogram(
            d, "y", ["age", "stage"], coefficients={"(Intercept)": 0.0, "age": 0.1, "stageII": 0.7}
        )


def test_factor_fitted_here_uses_logits_reference():
    d = _staged()
    nom = nomogram(d, "y", ["age", "stage"], reference={"stage": "III"})
    assert set(nom.coefficients) == {"(Intercept)", "age", "stageI", "stageII"}
    assert "stage:" in str(nom) and len(repr(nom)) < 120
    frame = nom.to_frame()
    assert frame.loc[frame.axis == "stage", "label"].tolist() == ["I", "II", "III"]
