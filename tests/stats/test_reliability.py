"""cetrus.stats.reliability: frozen psych values, pingouin, a naive ANOVA, invariances, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats import icc, icc_many, icc_wide
from cetrus.stats.reliability import FORMS, MCGRAW_WONG

SF = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)

# R 4.2.2, psych 2.2.9:
#   sf <- matrix(c(9,2,5,8, 6,1,3,2, 8,4,6,8, 7,1,2,6, 10,5,6,9, 6,2,4,7), ncol = 4, byrow = TRUE)
#   options(digits = 17); ICC(sf, lmer = FALSE)$results
R_SF = {  # form: (ICC, F, df1, df2, p, lower, upper)
    "ICC1": (
        0.16574176840547555,
        1.794678492239469,
        5,
        18,
        0.16476880834463961,
        -0.132932324874750873,
        0.72256006232812109,
    ),
    "ICC2": (
        0.28976377952755922,
        11.027247956403272,
        5,
        15,
        0.00013456651648433693,
        0.018786513374712047,
        0.76108436964895310,
    ),
    "ICC3": (
        0.71484071484071487,
        11.027247956403272,
        5,
        15,
        0.00013456651648433693,
        0.342464765033925367,
        0.94585825995535955,
    ),
    "ICC1k": (
        0.44279713367926893,
        1.794678492239469,
        5,
        18,
        0.16476880834463961,
        -0.884442155238118977,
        0.91241542034077561,
    ),
    "ICC2k": (
        0.62005054759898925,
        11.027247956403272,
        5,
        15,
        0.00013456651648433693,
        0.071136815302503487,
        0.92723204016772198,
    ),
    "ICC3k": (
        0.90931554237706946,
        11.027247956403272,
        5,
        15,
        0.00013456651648433693,
        0.675674713816304728,
        0.98589167816906231,
    ),
}
# ICC(sf, lmer = FALSE, alpha = 0.1)$results[, c("lower bound", "upper bound")]
R_SF_90 = {
    "ICC1": (-0.096722203657742117, 0.64339831070442322),
    "ICC2": (0.042901191540539951, 0.69107060661835673),
    "ICC3": (0.411834130919044139, 0.92583280768027942),
    "ICC1k": (-0.545041724736867295, 0.87830103540640758),
    "ICC2k": (0.152037053855958254, 0.89947670011362502),
    "ICC3k": (0.736897678577052240, 0.98036605604721416),
}

_FIELDS = ("estimate", "statistic", "df1", "df2", "pvalue", "ci_low", "ci_high")


def _ratings(n=30, k=3, seed=0, rater_sd=0.5, target_sd=1.0):
    rng = np.random.default_rng(seed)
    return (
        rng.normal(scale=target_sd, size=(n, 1))
        + rng.normal(scale=rater_sd, size=(1, k))
        + rng.normal(size=(n, k))
    )


def _long(x: np.ndarray) -> pd.DataFrame:
    n, k = x.shape
    return pd.DataFrame(
        {
            "target": np.repeat([f"t{i}" for i in range(n)], k),
            "rater": np.tile([f"r{j}" for j in range(k)], n),
            "rating": x.ravel(),
        }
    )


def _naive(x: np.ndarray) -> dict[str, float]:
    """Shrout & Fleiss's ICCs from a textbook two-way ANOVA written with explicit loops."""
    n, k = x.shape
    grand = sum(x[i, j] for i in range(n) for j in range(k)) / (n * k)
    rows = [sum(x[i]) / k for i in range(n)]
    cols = [sum(x[:, j]) / n for j in range(k)]
    ssb = k * sum((r - grand) ** 2 for r in rows)
    ssj = n * sum((c - grand) ** 2 for c in cols)
    sst = sum((x[i, j] - grand) ** 2 for i in range(n) for j in range(k))
    sse = sst - ssb - ssj
    msb, msj, mse = ssb / (n - 1), ssj / (k - 1), sse / ((n - 1) * (k - 1))
    msw = (ssj + sse) / (n * (k - 1))
    with np.errstate(divide="ignore", invalid="ignore"):  # msb = 0: ±inf, as icc_wide gives
        return _forms_naive(msb, msj, mse, msw, n, k)


def _forms_naive(msb, msj, mse, msw, n, k):
    return {
        "ICC1": (msb - msw) / (msb + (k - 1) * msw),
        "ICC2": (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n),
        "ICC3": (msb - mse) / (msb + (k - 1) * mse),
        "ICC1k": (msb - msw) / msb,
        "ICC2k": (msb - mse) / (msb + (msj - mse) / n),
        "ICC3k": (msb - mse) / msb,
    }


# --------------------------------------------------------------------------- R values


def test_shrout_fleiss_matches_psych():
    res = icc_wide(SF)
    for form, expected in R_SF.items():
        got = [getattr(res[form], f) for f in _FIELDS]
        assert_allclose(got, expected, rtol=0, atol=1e-12, err_msg=form)
        assert res[form].mcgraw_wong == MCGRAW_WONG[form]
    assert (res.n_targets, res.n_raters, res.n_dropped) == (6, 4, 0)


def test_conf_level_090_matches_psych():
    res = icc_wide(SF, conf_level=0.90)
    for form, (lo, hi) in R_SF_90.items():
        assert_allclose([res[form].ci_low, res[form].ci_high], [lo, hi], atol=1e-12)
    wide = icc_wide(SF, conf_level=0.99)
    for form in FORMS:  # a higher level gives a wider interval around the same estimate
        assert (
            wide[form].ci_low
            < res[form].ci_low
            < res[form].estimate
            < res[form].ci_high
            < wide[form].ci_high
        )


# --------------------------------------------------------------------------- pingouin


@pytest.mark.filterwarnings("ignore:The inplace keyword")
@pytest.mark.parametrize("seed,n,k", [(0, 30, 3), (1, 12, 2), (2, 50, 5)])
def test_agrees_with_pingouin(seed, n, k):
    import pingouin as pg

    x = _ratings(n, k, seed)
    long = _long(x)
    res = icc(long, "target", "rater", "rating")
    ref = pg.intraclass_corr(long, targets="target", raters="rater", ratings="rating")
    pg_type = {
        "ICC1": "ICC(1,1)",
        "ICC2": "ICC(A,1)",
        "ICC3": "ICC(C,1)",
        "ICC1k": "ICC(1,k)",
        "ICC2k": "ICC(A,k)",
        "ICC3k": "ICC(C,k)",
    }
    for form in FORMS:
        row = ref.set_index("Type").loc[pg_type[form]]
        assert_allclose(
            [res[form].estimate, res[form].statistic, res[form].pvalue],
            [row["ICC"], row["F"], row["pval"]],
            rtol=1e-10,
            atol=1e-12,
        )
        assert (res[form].df1, res[form].df2) == (row["df1"], row["df2"])
        # pingouin rounds its CI95 to two decimals
        assert_allclose([res[form].ci_low, res[form].ci_high], row["CI95"], atol=0.005 + 1e-12)


# --------------------------------------------------------------------------- naive reference


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 25), k=st.integers(2, 6), seed=st.integers(0, 10_000))
def test_matches_naive_anova(n, k, seed):
    x = np.round(_ratings(n, k, seed) * 4) / 4  # quarter steps: ties, exact sums
    res = icc_wide(x)
    if not np.isfinite(res.ICC2.estimate):
        return
    for form, value in _naive(x).items():
        assert res[form].estimate == pytest.approx(value, rel=1e-9, abs=1e-9)


def test_icc_many_equals_icc_wide_per_feature():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 3, 7)) + rng.normal(size=(40, 1, 7)) * np.linspace(0.2, 3, 7)
    many = icc_many(x, conf_level=0.9)
    assert (many.n_targets, many.n_raters, many.n_features) == (40, 3, 7)
    for f in range(7):
        one = icc_wide(x[:, :, f], conf_level=0.9)
        for form in FORMS:
            for field in _FIELDS:
                got = np.broadcast_to(getattr(many, field)[form], (7,))[f]
                assert got == pytest.approx(getattr(one[form], field), rel=1e-12, abs=1e-13)
    frame = many.to_frame("ICC2")
    assert list(frame.columns) == list(_FIELDS) and len(frame) == 7


# --------------------------------------------------------------------------- invariances


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), shift=st.floats(-50, 50), scale=st.floats(0.1, 20))
def test_invariant_to_order_location_and_scale(seed, shift, scale):
    x = _ratings(15, 3, seed)
    base = icc_wide(x)
    rng = np.random.default_rng(seed)
    moved = icc_wide(scale * x[rng.permutation(15)][:, rng.permutation(3)] + shift)
    for form in FORMS:
        for field in ("estimate", "statistic", "pvalue", "ci_low", "ci_high"):
            assert getattr(moved[form], field) == pytest.approx(
                getattr(base[form], field), rel=1e-8, abs=1e-10
            )


def test_rater_bias_lowers_agreement_but_not_consistency():
    x = _ratings(40, 2, 5, rater_sd=0.0)
    biased = x + np.array([0.0, 3.0])
    a, b = icc_wide(x), icc_wide(biased)
    assert b.ICC3.estimate == pytest.approx(a.ICC3.estimate, rel=1e-12)  # consistency
    assert b.ICC2.estimate < a.ICC2.estimate - 0.2  # absolute agreement


def test_long_input_any_row_order_equals_wide():
    x = _ratings(20, 4, 7)
    long = _long(x).sample(frac=1.0, random_state=1)
    a, b = icc(long, "target", "rater", "rating"), icc_wide(x)
    for form in FORMS:
        assert a[form].estimate == pytest.approx(b[form].estimate, rel=1e-12)
    frame = a.to_frame()
    assert list(frame.index) == list(FORMS)


def test_icc_many_benchmark_size_runs_and_stays_finite():
    x = _ratings(878, 2, 11)[:, :, None] + np.random.default_rng(0).normal(size=(878, 2, 64))
    res = icc_many(x)
    assert res.estimate["ICC2"].shape == (64,) and np.isfinite(res.estimate["ICC2"]).all()


# --------------------------------------------------------------------------- edge cases, errors


def test_missing_rating_is_an_error_by_default():
    long = _long(_ratings(10, 3, 1))
    long.loc[4, "rating"] = np.nan
    with pytest.raises(InputError, match="missing ratings for 1 target.*drop_incomplete"):
        icc(long, "target", "rater", "rating")


def test_drop_incomplete_drops_targets_listwise():
    x = _ratings(10, 3, 1)
    long = _long(x)
    long = long.drop(index=[0]).reset_index(drop=True)  # target t0 lacks rater r0
    long.loc[long.index[-1], "rating"] = np.nan  # target t9 lacks rater r2
    res = icc(long, "target", "rater", "rating", drop_incomplete=True)
    ref = icc_wide(x[1:9])
    assert res.n_dropped == 2 and res.n_targets == 8
    assert res.ICC2.estimate == pytest.approx(ref.ICC2.estimate, rel=1e-12)
    wide = x.copy()
    wide[0, 1] = np.nan
    assert icc_wide(wide, drop_incomplete=True).n_targets == 9


@pytest.mark.parametrize(
    "matrix,message",
    [
        (np.ones((5, 1)), "at least two raters"),
        (np.ones((1, 3)), "at least two targets"),
        (np.array([[1.0, np.inf], [2.0, 3.0]]), "finite"),
        (np.array([["1", "x"], ["2", "3"]], dtype=object), "non-numeric rating 'x'"),
    ],
)
def test_bad_wide_input(matrix, message):
    with pytest.raises(InputError, match=message):
        icc_wide(matrix)


def test_bad_long_input():
    long = _long(_ratings(6, 2, 2))
    with pytest.raises(InputError, match=r"pair \('t1', 'r0'\) is rated 2 times"):
        icc(pd.concat([long, long.iloc[[2]]]), "target", "rater", "rating")
    with pytest.raises(InputError, match="at least two raters"):
        icc(long[long.rater == "r0"], "target", "rater", "rating")
    with pytest.raises(InputError, match="at least two targets"):
        icc(long[long.target == "t0"], "target", "rater", "rating")
    bad = long.astype({"rating": object})
    bad.loc[3, "rating"] = "high"
    with pytest.raises(InputError, match="'rating' must be numeric.*'high'"):
        icc(bad, "target", "rater", "rating")
    with pytest.raises(InputError, match="'ratings' column 'score' is not in the data"):
        icc(long, "target", "rater", "score")
    with pytest.raises(InputError, match="conf_level"):
        icc(long, "target", "rater", "rating", conf_level=95)
    few = long.drop(index=[0, 3, 5, 7, 9])  # only t5 keeps both ratings
    with pytest.raises(InputError, match="1 remain"):
        icc(few, "target", "rater", "rating", drop_incomplete=True)


def test_icc_many_errors():
    x = _ratings(10, 2, 0)[:, :, None].repeat(3, axis=2)
    with pytest.raises(InputError, match="3-dimensional"):
        icc_many(x[:, :, 0])
    x[4, 1, 2] = np.nan
    with pytest.raises(InputError, match="target 4, rater 1, feature 2"):
        icc_many(x)
    with pytest.raises(InputError, match="at least two raters"):
        icc_many(np.ones((10, 1, 3)))


def test_constant_ratings_are_undefined_with_a_warning():
    x = _ratings(10, 2, 0)[:, :, None].repeat(2, axis=2)
    x[:, :, 1] = 4.2
    with pytest.warns(UndefinedStatisticWarning, match="1 feature"):
        res = icc_many(x)
    assert np.isnan(res.estimate["ICC2"][1]) and np.isfinite(res.estimate["ICC2"][0])
    with pytest.warns(UndefinedStatisticWarning):
        assert np.isnan(icc_wide(np.full((5, 3), 2.0)).ICC3.estimate)


def test_no_warning_for_ordinary_data_and_json_safe():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = icc_wide(SF)
    d = res.to_dict()
    assert d["ICC2"]["mcgraw_wong"] == "ICC(A,1)" and d["conf_level"] == 0.95


# --------------------------------------------------------------------------- display


def test_icc_prints_like_psych_print_icc():
    # R: print(ICC(sf, lmer = FALSE)) — the row names, the column order and the footer
    res = icc_wide(SF)
    lines = str(res).splitlines()
    assert lines[2] == "Intraclass correlation coefficients"
    assert lines[3].split() == [
        "type",
        "ICC",
        "F",
        "df1",
        "df2",
        "p",
        "lower",
        "bound",
        "upper",
        "bound",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[4:10]}
    assert list(rows) == [
        "Single_raters_absolute",
        "Single_random_raters",
        "Single_fixed_raters",
        "Average_raters_absolute",
        "Average_random_raters",
        "Average_fixed_raters",
    ]
    for cells, form in zip(rows.values(), FORMS):
        icc_, f, df1, df2, p, lo, hi = R_SF[form]
        assert cells[0] == form
        assert [float(c) for c in cells[1:]] == pytest.approx(
            [icc_, f, df1, df2, p, lo, hi], rel=5e-4
        )
    assert lines[-1].split() == [
        "Number",
        "of",
        "subjects",
        "=",
        "6",
        "Number",
        "of",
        "Judges",
        "=",
        "4",
    ]
    assert repr(res).startswith("ICCResult(ICC1=0.1657, ICC2=0.2898, ICC3=0.7148")
    assert "<table" in res._repr_html_() and "Single" not in res._repr_html_()


def test_frame_is_a_deprecated_alias_of_to_frame():
    res = icc_wide(SF)
    with pytest.warns(DeprecationWarning, match="to_frame"):
        old = res.frame()
    pd.testing.assert_frame_equal(old, res.to_frame())
    many = icc_many(np.stack([SF, SF + 1], axis=2))
    with pytest.warns(DeprecationWarning, match="to_frame"):
        old = many.frame("ICC3")
    pd.testing.assert_frame_equal(old, many.to_frame("ICC3"))
    assert len(repr(many)) < 200
    text = str(many)
    assert "2 features" in text and all(f in text for f in FORMS)
    with pytest.raises(InputError, match="to_frame"):
        many.to_frame("ICC4")


def test_docstring_examples_run():
    # the numpydoc Examples are doctests; `make test` runs them here
    import doctest

    import cetrus.stats.reliability as mod

    result = doctest.testmod(mod, verbose=False)
    assert result.attempted > 0 and result.failed == 0
