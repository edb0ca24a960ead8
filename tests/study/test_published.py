"""The transcription of the paper's numbers is internally consistent."""

from __future__ import annotations

import pytest

from cetrus.errors import InputError
from cetrus.study import published as pub


@pytest.fixture(scope="module")
def p():
    return pub.load()


def test_counts_in_text(p):
    assert p.n_patients == 878
    assert p.n_metastasis == 122
    assert p.selected_features == {"TDUS": 76, "CDUS": 42, "CEUS": 101}
    assert p.mean_icc == {"TDUS": 0.92, "CDUS": 0.91, "CEUS": 0.94}


def test_table1_counts_sum_to_cohort(p):
    for name, row in p.categorical.items():
        assert sum(row["metastasis"]) == p.n_metastasis, name
        assert sum(row["metastasis"]) + sum(row["non_metastasis"]) == p.n_patients, name


def test_table1_percentages_are_of_the_whole_cohort(p):
    for name, row in p.categorical.items():
        for group in ("metastasis", "non_metastasis"):
            for count, pct in zip(row[group], row[f"percent_{group}"]):
                # 0.01, not 0.005: the paper prints 469/878 = 53.417 % as 53.41
                assert abs(100 * count / p.n_patients - pct) < 0.01, (name, count, pct)


def test_table1_quartiles_ordered(p):
    for name, row in p.continuous.items():
        for group in ("metastasis", "non_metastasis"):
            median, q1, q3 = row[group]
            assert q1 <= median <= q3, name


def test_split_counts_follow_from_the_text(p):
    n_test = p.count("test_cases") + p.count("test_controls")
    n_train = p.count("train_cases") + p.count("train_controls")
    assert n_train + n_test == p.n_patients
    assert p.count("train_cases") + p.count("test_cases") == p.n_metastasis
    assert n_test == 176  # ceil(0.2 * 878)


@pytest.mark.parametrize("cohort", ["training", "test"])
@pytest.mark.parametrize("model", pub.MODELS)
def test_performance_rows_consistent(p, cohort, model):
    row = p.performance(cohort, model)
    cases = p.count("train_cases" if cohort == "training" else "test_cases")
    controls = p.count("train_controls" if cohort == "training" else "test_controls")
    assert row["auc_ci_low"] < row["auc"] < row["auc_ci_high"]
    tp = round(row["sensitivity"] * cases)
    tn = round(row["specificity"] * controls)
    # every printed metric follows from one confusion table (to the printed 3 decimals)
    assert abs(tp / cases - row["sensitivity"]) < 6e-4
    assert abs(tn / controls - row["specificity"]) < 6e-4
    assert abs((tp + tn) / (cases + controls) - row["accuracy"]) < 6e-4
    fp = controls - tn
    assert abs(tp / (tp + fp) - row["ppv"]) < 6e-4
    assert abs(tn / (tn + cases - tp) - row["npv"]) < 6e-4


def test_source_recorded(p):
    assert "Section 3.3" in p.source("selected_features")
    assert p.source("counts", "patients").startswith("Abstract")
    assert p.performance("test", "CEUS")["table"] == 3


def test_missing_file_names_it(tmp_path):
    with pytest.raises(InputError, match="nope.toml"):
        pub.load(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="cohort 'validation'"):
        pub.load().performance("validation", "CEUS")
