"""The display protocol every result shares (cetrus._results.Result)."""

from dataclasses import dataclass

import numpy as np

from cetrus._results import Result, format_value


@dataclass(frozen=True, slots=True, repr=False)
class _Demo(Result):
    estimate: float
    pvalue: float
    values: np.ndarray
    method: str = "demo <b>test</b>"


def test_repr_is_short_and_skips_arrays():
    r = _Demo(0.123456789, 1e-20, np.arange(100_000))
    assert repr(r) == "_Demo(estimate=0.1235, pvalue=1e-20, method='demo <b>test</b>')"


def test_str_names_method_and_frame_is_one_tidy_row():
    r = _Demo(0.5, float("nan"), np.arange(3))
    assert str(r).splitlines()[0] == "demo <b>test</b>"
    assert "pvalue: NA" in str(r)
    frame = r.to_frame()
    assert list(frame.columns) == ["estimate", "pvalue", "method"] and len(frame) == 1


def test_html_escapes_user_text():
    html = _Demo(0.5, 0.1, np.arange(3))._repr_html_()
    assert "<b>test</b>" not in html and "&lt;b&gt;test&lt;/b&gt;" in html


def test_format_value_as_r_prints():
    assert [format_value(v) for v in (True, 3, float("inf"), -float("inf"), 0.000123456)] == [
        "TRUE",
        "3",
        "Inf",
        "-Inf",
        "0.0001235",
    ]
