"""study.toml: the shipped replica config loads; bad configs fail naming the key/file."""

from __future__ import annotations

import pytest

from cetrus.errors import InputError
from cetrus.study.config import load_config


def test_default_config_is_the_replica():
    c = load_config()
    assert c.synthetic and c.replica is not None
    assert [m.name for m in c.modalities] == ["TDUS", "CDUS", "CEUS"]
    assert c.split.seeds == tuple(range(10)) and c.split.reported_seed in c.split.seeds
    assert c.split.test_fraction == 0.2
    assert len(c.variables) == 15 and c.variable("sex").reference == "Male"


def test_tiny_config(tiny_study):
    c = load_config(tiny_study)
    assert c.clinical == tiny_study.parent / "clinical.csv"
    assert c.selection.lasso_folds == 5 and c.models.spread is False
    c.require_files()


@pytest.mark.parametrize("edit, match", [
    (("[selection]", "[selection]\nlasso_fold = 3"), r"unknown key selection\.'lasso_fold'"),
    (("[study]", "[study]\ncolour = 1"), r"unknown key study\.'colour'"),
    (("[split]", "[splits]"), r"unknown key 'splits'"),
    (("reported_seed = 0", "reported_seed = 7"), r"split\.reported_seed \(7\) must be one of"),
    (("lasso_folds = 5", "lasso_folds = \"five\""), r"selection\.lasso_folds must be int"),
    (('type = "continuous"\nlabel = "PLT"', 'type = "numeric"\nlabel = "PLT"'),
     r"variables\.plt\.type must be"),
])
def test_bad_config_names_the_key(tiny_study, edit, match):
    text = tiny_study.read_text()
    assert edit[0] in text
    tiny_study.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(InputError, match=match):
        load_config(tiny_study)


def test_missing_file_names_key_and_file(tiny_study):
    (tiny_study.parent / "f_CDUS_2.parquet").unlink()
    c = load_config(tiny_study)
    with pytest.raises(InputError, match=r"modalities\.CDUS\.rater2 = .*f_CDUS_2\.parquet.*not found"):
        c.require_files()


def test_missing_config(tmp_path):
    with pytest.raises(InputError, match="study config not found"):
        load_config(tmp_path / "nope.toml")
