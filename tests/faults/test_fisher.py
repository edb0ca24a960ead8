"""Fisher's exact test answers within a bounded time and memory, or says why it will not."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from cetrus.errors import InputError
from cetrus.stats._fexact import FISHER_MAX_LEVELS, _compositions_array, _n_compositions
from cetrus.stats.groups import fisher_exact
from tests.faults.conftest import one_error, run_cli


@pytest.fixture
def continuous(tmp_path):
    rng = np.random.default_rng(3)
    n = 900
    frame = pd.DataFrame(
        {
            "group": rng.integers(0, 2, n),
            "age": rng.normal(60, 9, n),
            "rounded": rng.normal(60, 9, n).round(),
        }
    )
    path = tmp_path / "cohort.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "argv", [["--test", "fisher"], ["--test", "auto", "--kind", "categorical"]]
)
def test_fisher_on_a_continuous_variable_is_refused_quickly(continuous, capsys, argv):
    t0 = time.perf_counter()
    rc, err, _ = run_cli(
        capsys, "stat", "compare", continuous, "--group", "group", "--variable", "age", *argv
    )
    one_error(rc, err, "cohort.csv", "'age'", "900 distinct values", str(FISHER_MAX_LEVELS))
    assert time.perf_counter() - t0 < 10


def test_table_beyond_the_budget_fails_in_seconds_not_memory():
    # 10 x 10, n = 878: the network would build ~10^12 column compositions (was: killed for
    # memory); counted first, refused at once
    rng = np.random.default_rng(1)
    table = rng.multinomial(878, np.full(100, 0.01)).reshape(10, 10)
    t0 = time.perf_counter()
    with pytest.raises(InputError, match="too large for the exact network"):
        fisher_exact(table)
    assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("n, answers", [(120, True), (500, False)])
def test_ten_levels_answer_or_refuse_in_seconds(tmp_path, capsys, n, answers):
    # a 2 x 10 table: n = 120 has an exact answer; n = 500 is past the network's budget
    # (R 4.2's fisher.test stops too: "FEXACT error 7 ... LDSTP is too small")
    rng = np.random.default_rng(3)
    path = tmp_path / "ten.csv"
    pd.DataFrame({"g": rng.integers(0, 2, n), "level": rng.integers(0, 10, n)}).to_csv(
        path, index=False
    )
    t0 = time.perf_counter()
    rc, err, out = run_cli(
        capsys,
        "stat",
        "compare",
        path,
        "--group",
        "g",
        "--variable",
        "level",
        "--test",
        "fisher",
        "--kind",
        "categorical",
    )
    if answers:
        assert rc == 0 and 0 < json.loads(out)["pvalue"] <= 1, err
    else:
        one_error(rc, err, "ten.csv", "too large for the exact network")
    assert time.perf_counter() - t0 < 20


def test_composition_count_matches_the_enumeration():
    for total, caps in [(5, [2, 3, 4]), (7, [1, 1, 2]), (0, [3, 3]), (12, [5, 0, 9, 4])]:
        caps = np.array(caps)
        assert _n_compositions(total, caps) == len(_compositions_array(total, caps))
    # the small tables of the R-frozen tests still run
    job = np.array([[1, 2, 1, 0], [3, 3, 6, 1], [10, 10, 14, 9], [6, 7, 12, 11]])
    assert fisher_exact(job).pvalue == pytest.approx(0.78268493896563884, rel=1e-9)
