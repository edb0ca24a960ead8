"""Decision curve analysis against the dcurves authors' Python port (R's dcurves is not a
Debian package here), by hand on small cases, and bad input."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd
import pytest

from cetrus.errors import InputError
from cetrus.stats.decision import DEFAULT_THRESHOLDS, decision_curve

COLUMNS = ["test_pos_rate", "tp_rate", "fp_rate", "net_benefit", "net_intervention_avoided"]


def _dcurves():
    """The reference: installed by the test extra; a CI run without it fails."""
    if os.environ.get("CI"):
        import dcurves

        return dcurves
    return pytest.importorskip("dcurves")


def _data(seed: int, n: int = 300):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    tied = np.clip(rng.beta(2, 5, n) + 0.2 * y, 0, 1).round(2)  # risks on the grid: ties
    smooth = rng.random(n)
    return y, {"tied": tied, "smooth": smooth}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"harm": {"tied": 0.01}},
        {"prevalence": 0.2},
        {"nper": 100},
        {"thresholds": [0.05, 0.1, 0.333, 0.5]},
    ],
)
def test_equals_the_dcurves_port(seed, kwargs):
    dcurves = _dcurves()
    y, risks = _data(seed)
    frame = pd.DataFrame({"y": y, **risks})
    ref_kwargs = dict(kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = dcurves.dca(data=frame, outcome="y", modelnames=list(risks), **ref_kwargs)
    mine = decision_curve(y, risks, **kwargs).frame
    ref = ref.sort_values(["model", "threshold"]).reset_index(drop=True)
    mine = mine.sort_values(["model", "threshold"]).reset_index(drop=True)
    assert ref["model"].tolist() == mine["model"].tolist()
    np.testing.assert_allclose(mine["threshold"], ref["threshold"], rtol=0, atol=0)
    for col in COLUMNS:
        np.testing.assert_allclose(
            mine[col].to_numpy(float),
            ref[col].to_numpy(float),
            rtol=1e-12,
            atol=1e-14,
            equal_nan=True,
            err_msg=col,
        )


def test_by_hand():
    # cases 0.35, 0.8; controls 0.1, 0.4; treated when risk >= threshold
    dc = decision_curve([0, 0, 1, 1], {"m": [0.1, 0.4, 0.35, 0.8]}, thresholds=[0.2, 0.4, 0.5])
    nb = dc.net_benefit("m")
    # 0.2: TP 2, FP 1 -> 2/4 - 1/4 * 0.25; 0.4: TP 1, FP 1 (0.4 >= 0.4) -> 1/4 - 1/4 * 2/3
    assert nb.tolist() == pytest.approx([0.5 - 0.25 * 0.25, 0.25 - 0.25 * 2 / 3, 0.25])
    assert dc.net_benefit("all").tolist() == pytest.approx(
        [0.5 - 0.5 * 0.25, 0.5 - 0.5 * 2 / 3, 0.0]
    )
    assert dc.net_benefit("none").tolist() == [0.0, 0.0, 0.0]
    avoided = dc.frame[dc.frame["model"] == "m"]["net_intervention_avoided"].to_numpy()
    odds = np.array([0.25, 2 / 3, 1.0])
    assert avoided == pytest.approx((nb.to_numpy() - dc.net_benefit("all").to_numpy()) / odds)


def test_default_grid_is_dcurves():
    y, risks = _data(3, 50)
    dc = decision_curve(y, risks["smooth"])
    assert dc.thresholds == DEFAULT_THRESHOLDS and len(dc.thresholds) == 100
    assert dc.thresholds[0] == 0.0 and dc.thresholds[-1] == 0.99
    assert dc.models == ("model",)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"thresholds": [0.1, 1.0]}, r"\[0, 1\); got 1.0"),
        ({"thresholds": [-0.1]}, r"got -0.1"),
        ({"thresholds": []}, "non-empty"),
        ({"prevalence": 0.0}, r"prevalence must lie in \(0, 1\); got 0.0"),
        ({"prevalence": 1}, "prevalence"),
        ({"nper": 0}, "nper"),
        ({"harm": {"other": 0.1}}, "harm names no model 'other'"),
    ],
)
def test_bad_input_is_one_clear_error(kwargs, match):
    with pytest.raises(InputError, match=match):
        decision_curve([0, 1, 0, 1], {"m": [0.1, 0.9, 0.2, 0.7]}, **kwargs)


def test_bad_risks_and_outcomes():
    with pytest.raises(InputError, match=r"model 'm'.*\[0, 1\]; value 1.5 at position 1"):
        decision_curve([0, 1], {"m": [0.2, 1.5]})
    with pytest.raises(InputError, match="has 3 risks for 2 outcomes"):
        decision_curve([0, 1], {"m": [0.2, 0.5, 0.1]})
    with pytest.raises(InputError, match="both cases and controls"):
        decision_curve([1, 1], {"m": [0.2, 0.5]})
    with pytest.raises(InputError, match="may not be called 'all'"):
        decision_curve([0, 1], {"all": [0.2, 0.5]})
    with pytest.raises(InputError, match="0/1"):
        decision_curve(["a", "b"], {"m": [0.2, 0.5]})
    assert decision_curve(
        ["a", "b"], {"m": [0.2, 0.5]}, positive="b", thresholds=[0.3]
    ).net_benefit("m").tolist() == [0.5]


# --------------------------------------------------------------------------- display and API (issue 14)


def test_decision_curve_presents_itself():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 2, 300)
    risks = {"<m&1>": rng.uniform(size=300), "m2": rng.uniform(size=300)}
    dc = decision_curve(y, risks)
    assert len(repr(dc)) < 200 and "n_thresholds=100" in repr(dc)
    lines = str(dc).splitlines()
    assert lines[0].startswith("Decision curve analysis (dcurves::dca): n = 300")
    assert lines[2] == "net benefit"
    assert lines[3].split() == ["threshold", "<m&1>", "m2", "all", "none"]
    assert len(lines) == 4 + 10  # ten thresholds spread over the grid
    assert dc.to_frame().shape == (4 * 100, 10)
    html = dc._repr_html_()
    assert "&lt;m&amp;1&gt;" in html and "<m&1>" not in html


def test_decision_curve_data_form_equals_arrays():
    df = pd.DataFrame(
        {
            "y": [0, 0, 1, 1, 0, 1],
            "a": [0.1, 0.4, 0.35, 0.8, 0.2, 0.6],
            "b": [0.3, 0.2, 0.5, 0.7, 0.1, 0.9],
        }
    )
    via_data = decision_curve(data=df, outcome="y", risks=["a", "b"])
    via_arrays = decision_curve(df["y"].to_numpy(), {"a": df["a"], "b": df["b"]})
    pd.testing.assert_frame_equal(via_data.frame, via_arrays.frame)
    one = decision_curve(data=df, outcome="y", risks="a")
    assert one.models == ("a",)
    with pytest.raises(InputError, match="column names"):
        decision_curve(data=df, outcome="y", risks={"a": df["a"]})
    with pytest.raises(InputError, match="needs data="):
        decision_curve(outcome="y", risks=["a"])
