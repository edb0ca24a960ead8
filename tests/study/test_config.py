"""study.toml: the replica config and the scaffolded template load; bad configs fail with
one line naming the key and the file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from cetrus.errors import InputError
from cetrus.study.config import load_config

REPO = Path(__file__).resolve().parents[2]


def test_replica_config():
    c = load_config(REPO / "study.toml")
    assert c.synthetic and c.replica is not None
    assert [m.name for m in c.modalities] == ["TDUS", "CDUS", "CEUS"]
    assert [r for r, _ in c.modalities[0].features] == ["rater1", "rater2"]
    assert c.split.seeds == tuple(range(10)) and c.split.reported_seed in c.split.seeds
    assert c.split.test_fraction == 0.2
    assert c.table1.percent_base == "cohort" and c.table1.chisq_correct is False
    assert len(c.variables) == 15 and c.variable("sex").reference == "Male"
    assert c.variable("drinking").table_order == ("Yes", "No")
    assert c.manuscript == REPO / "reports" / "manuscript.qmd"
    assert c.published == REPO / "pkg" / "cetrus" / "data" / "paper" / "published.toml"


def test_default_config_is_the_one_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"study config not found: .*study\.toml .*cetrus init"):
        load_config()


def test_template_config_loads_with_its_defaults(tmp_path):
    """The commented study.toml `cetrus init` writes is a valid config as it stands."""
    text = (resources.files("cetrus") / "templates" / "study.toml").read_text()
    (tmp_path / "study.toml").write_text(text)
    c = load_config(tmp_path / "study.toml")
    assert [m.name for m in c.modalities] == ["MOD1", "MOD2"]
    assert c.variable("grade").levels == ("G1", "G2", "G3")
    assert c.missing.policy == "error" and c.published is None
    assert c.results_dir == tmp_path / "results" and c.render_dir == tmp_path / "_output"
    assert c.split.test_fraction == 0.3


def test_tiny_config(tiny_study):
    c = load_config(tiny_study)
    assert c.clinical == tiny_study.parent / "clinical.csv"
    assert c.selection.lasso_folds == 5 and c.models.spread is False
    c.require_files()


@pytest.mark.parametrize(
    "edit, match",
    [
        (
            ("[selection]", "[selection]\nlasso_fold = 3"),
            r"study\.toml: unknown key selection\.lasso_fold",
        ),
        (("[study]", "[study]\ncolour = 1"), r"unknown key study\.colour"),
        (("[split]", "[splits]"), r"unknown key splits"),
        (("reported_seed = 0", "reported_seed = 7"), r"split\.reported_seed \(7\) must be one of"),
        (("lasso_folds = 5", 'lasso_folds = "five"'), r"selection\.lasso_folds must be an integer"),
        (("lasso_folds = 5", "lasso_folds = 1"), r"selection\.lasso_folds must be in \[3, 1000\]"),
        (
            ('type = "continuous"\nlabel = "PLT"', 'type = "numeric"\nlabel = "PLT"'),
            r"variables\.plt\.type must be one of",
        ),
        (
            ('levels = ["No", "Yes"]', 'levels = ["No"]'),
            r"variables\.drinking\.levels must list at least two",
        ),
        (('levels = ["No", "Yes"]', 'levels = ["No", "No"]'), r"lists a level twice"),
        (("[selection]", '[selection]\nicc_form = "ICC9"'), r"selection\.icc_form must be one of"),
        (
            ("[selection]", "[selection]\nconf_level = 1.5"),
            r"selection\.conf_level must be in \(0, 1\)",
        ),
        (
            ("[models]", "[output]\ndecimals = -1\n[models]"),
            r"output\.decimals must be in \[0, 10\]",
        ),
        (("[models]", "[output]\ndpi = 0\n[models]"), r"output\.dpi must be in \[30, 1200\]"),
        (("[models]", '[missing]\npolicy = "drop"\n[models]'), r"missing\.policy must be one of"),
        (
            ("[models]", "[extraction]\nbatch_size = 0\n[models]"),
            r"extraction\.batch_size must be in",
        ),
        (
            ("[models]", '[extraction]\nweigths = "none"\n[models]'),
            r"unknown key extraction\.weigths",
        ),
        (("seeds = [0, 1]", "seeds = [0, -1]"), r"split\.seeds\[1\] must be in"),
        (
            (
                "[modalities.TDUS.features]",
                '[modalities.TDUS]\nmanifest = "m.csv"\n[modalities.TDUS.features]',
            ),
            r"give exactly one of manifest",
        ),
        (("positive = 1", "positive = [1]"), r"outcome\.positive must be"),
    ],
)
def test_bad_config_names_the_key(tiny_study, edit, match):
    text = tiny_study.read_text()
    assert edit[0] in text
    tiny_study.write_text(text.replace(edit[0], edit[1], 1))
    with pytest.raises(InputError, match=match) as err:
        load_config(tiny_study)
    assert "\n" not in str(err.value)


def test_missing_file_names_key_and_file(tiny_study):
    (tiny_study.parent / "f_CDUS_2.parquet").unlink()
    c = load_config(tiny_study)
    with pytest.raises(
        InputError, match=r"modalities\.CDUS\.features\.rater2 = .*f_CDUS_2\.parquet.*not found"
    ):
        c.require_files()


def test_missing_config(tmp_path):
    with pytest.raises(InputError, match="study config not found"):
        load_config(tmp_path / "nope.toml")


def test_non_utf8_config(tmp_path):
    (tmp_path / "study.toml").write_bytes(b'[study]\ntitle = "\xff"\n')
    with pytest.raises(InputError, match=r"study\.toml: not UTF-8"):
        load_config(tmp_path / "study.toml")
