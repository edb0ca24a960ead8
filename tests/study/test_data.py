"""load_study on a study unlike the replica (tests/study/second_study.py, feature tables):
the missing-value policy, k-level categoricals, any outcome coding, rater tables of any
name, and one-line errors naming the file, column and value."""

from __future__ import annotations

import pandas as pd
import pytest

from cetrus.cli import main
from cetrus.errors import InputError
from cetrus.study.config import load_config
from cetrus.study.data import load_study
from tests.study.second_study import make_second_study


@pytest.fixture
def second(tmp_path):
    return make_second_study(tmp_path, n_patients=60, images=False)


def _edit_clinical(config_path, fn):
    f = config_path.parent / "clinical.csv"
    d = pd.read_csv(f, dtype=str)
    fn(d)
    d.to_csv(f, index=False)


def test_complete_case_counts_and_levels(second):
    data = load_study(load_config(second))
    ex = data.exclusions
    assert ex["policy"] == "complete-case" and ex["n_input"] == 60 and ex["excluded"] == 4
    assert ex["missing"] == {"age": 2, "size_mm": 2} and ex["n"] == len(data.clinical) == 56
    assert set(data.clinical["grade"]) == {"G1", "G2", "G3"}
    assert data.clinical["_y"].sum() == data.y.sum() > 0  # "yes" is the case level
    assert set(data.raters) == {"BMODE", "PDUS"}
    assert list(data.raters["PDUS"]) == ["r1", "r2"] and data.model_rater["PDUS"] == "r1"
    # features follow the clinical rows (the excluded patients dropped)
    assert len(data.features["BMODE"]) == 56


def test_missing_values_under_error_policy_name_columns_and_counts(second):
    second.write_text(second.read_text().replace('policy = "complete-case"', 'policy = "error"'))
    with pytest.raises(
        InputError,
        match=r"clinical\.csv: missing values in age \(2\), "
        r"size_mm \(2\); set \[missing\] policy",
    ):
        load_study(load_config(second))


def test_value_not_in_levels(second):
    _edit_clinical(second, lambda d: d.__setitem__("grade", d["grade"].where(d.index != 3, "G4")))
    with pytest.raises(
        InputError,
        match=r"column 'grade' has value 'G4', not one of "
        r"variables\.grade\.levels \['G1', 'G2', 'G3'\]",
    ):
        load_study(load_config(second))


def test_level_without_patients(second):
    second.write_text(
        second.read_text().replace(
            'levels = ["G1", "G2", "G3"]', 'levels = ["G1", "G2", "G3", "G4"]'
        )
    )
    with pytest.raises(InputError, match=r"level 'G4' of variables\.grade\.levels has no patient"):
        load_study(load_config(second))


def test_outcome_without_the_positive_value(second):
    second.write_text(second.read_text().replace('positive = "yes"', 'positive = "Yes"'))
    with pytest.raises(
        InputError,
        match=r"outcome column 'relapse' must have two values, one of "
        r"them outcome\.positive = 'Yes'; got \['no', 'yes'\]",
    ):
        load_study(load_config(second))


def test_feature_table_with_a_stranger(second):
    f = second.parent / "features" / "PDUS_r2.csv"
    d = pd.read_csv(f, dtype={"pid": str})
    d.loc[0, "pid"] = "NOBODY"
    d.to_csv(f, index=False)
    with pytest.raises(
        InputError,
        match=r"PDUS_r2\.csv: 1 patient\(s\) of clinical\.csv have no "
        r"features",
    ):
        load_study(load_config(second))


def test_one_rater_skips_agreement_and_says_so(second, tmp_path):
    text = second.read_text()
    for m in ("BMODE", "PDUS"):
        text = text.replace(
            f'features = {{ r1 = "features/{m}_r1.parquet", r2 = "features/{m}_r2.csv" }}',
            f'features = {{ r1 = "features/{m}_r1.parquet" }}',
        )
    text = text.replace("spread = true", "spread = false")
    second.write_text(text)
    assert main(["analyze", "--config", str(second)]) == 0
    inc = second.parent / "results" / "include"
    assert (
        "Rater agreement was not assessed: each modality has features of one rater"
        in (inc / "agreement_results.md").read_text()
    )
    assert r"not computed: models.spread \= false" in (inc / "spread_results.md").read_text()


def test_no_clinical_variable_retained_means_no_integrated_model(second):
    # only noise variables: nothing is retained, so no clinical and no integrated model
    text = second.read_text()
    start = text.index("[variables.size_mm]")
    end = text.index("[variables.grade]")
    text = text[:start] + text[end:]
    start = text.index("[variables.grade]")
    end = text.index("[variables.site]")
    text = text[:start] + text[end:].replace("spread = true", "spread = false")
    second.write_text(text)
    assert main(["analyze", "--config", str(second)]) == 0
    import json

    results = json.loads((second.parent / "results" / "results.json").read_text())
    assert results["table2"]["retained"] == []
    assert set(results["models"]) == {"BMODE", "PDUS"}
    assert results["steps"]["clinical_models"]["status"] == "skipped"
    text = (second.parent / "results" / "include" / "models_results.md").read_text()
    assert "No clinical variable was retained: there is no clinical and no integrated model" in text


def test_init_never_overwrites(tmp_path, capsys):
    assert main(["init", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        ".gitignore",
        "_extensions",
        "_quarto.yml",
        "manuscript.qmd",
        "reference.docx",
        "study.toml",
        "style.css",
        "validation.qmd",
    ]
    capsys.readouterr()
    assert main(["init", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists" in err[0]
