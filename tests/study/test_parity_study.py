"""``cetrus validate`` / :func:`cetrus.study.parity.validate_study` on small studies: every
section produces rows and passes against live R, and a corrupted number in results.json
makes its row fail (the check can fail)."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.study.conftest import write_tiny_study

pytestmark = pytest.mark.r

SECTIONS = {
    "cohort",
    "table1",
    "table2",
    "icc",
    "selection",
    "table3_4",
    "delong",
    "calibration",
    "nomogram",
}

# a study unlike the replica: other modality names, one with three raters and one with a
# single rater, a 3-level categorical variable (reference first), missing values under
# complete-case, a 70:30 split
OTHER = """
[study]
title = "Other study"

[data]
clinical = "clinical.csv"
id = "id"

[outcome]
column = "relapse"
positive = "yes"
label = "Relapse"
case_label = "Relapse"
control_label = "No relapse"

[variables.age]
type = "continuous"
label = "Age"
[variables.grade]
type = "categorical"
label = "Grade"
levels = ["G1", "G2", "G3"]
[variables.crp]
type = "continuous"
label = "CRP"

[modalities.BMODE.features]
A = "bmode_A.csv"
B = "bmode_B.csv"
C = "bmode_C.csv"
[modalities.PDUS.features]
A = "pdus_A.csv"

[missing]
policy = "complete-case"

[split]
test_fraction = 0.3
seeds = [0]
reported_seed = 0

[selection]
lasso_folds = 5

[models]
spread = false
workers = 1
"""


def write_other_study(folder: Path, n: int = 160, seed: int = 3, *, signal: bool = True) -> Path:
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.35
    ids = [f"S{i:03d}" for i in range(n)]
    clinical = pd.DataFrame(
        {
            "id": ids,
            "relapse": np.where(y, "yes", "no"),
            "age": rng.normal(55, 9, n).round(1),
            "grade": rng.choice(["G1", "G2", "G3"], n, p=[0.4, 0.35, 0.25]),
            "crp": rng.gamma(2.0, 3.0 + 3.0 * y * signal).round(2),
        }
    )
    clinical.loc[[5, 17, 40], "crp"] = np.nan  # complete-case: 5 patients excluded
    clinical.loc[[17, 61, 99], "grade"] = None
    clinical.to_csv(folder / "clinical.csv", index=False)
    for m, shift in (("bmode", 0.9), ("pdus", 0.6)):
        x = rng.normal(size=(n, 15)) + shift * y[:, None] * (np.arange(15) < 4)
        for r in ("A", "B", "C") if m == "bmode" else ("A",):
            xr = x + (r != "A") * rng.normal(scale=0.2, size=x.shape)
            f = pd.DataFrame(xr, columns=[f"feat{j}" for j in range(15)])
            f.insert(0, "id", ids)
            f.to_csv(folder / f"{m}_{r}.csv", index=False)
    (folder / "study.toml").write_text(OTHER)
    return folder / "study.toml"


def _analyse(folder: Path, config_path: Path):
    from cetrus.study.config import load_config
    from cetrus.study.pipeline import analyze

    config = load_config(config_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyze(config, folder / "results")
    return config, folder / "results"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity-tiny")
    return _analyse(folder, write_tiny_study(folder))


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity-other")
    return _analyse(folder, write_other_study(folder))


@pytest.fixture(scope="module")
def no_clinical(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parity-noclin")
    return _analyse(folder, write_other_study(folder, seed=5, signal=False))


def _failures(table: pd.DataFrame) -> str:
    bad = table[~table["pass"].astype(bool)]
    return "\n".join(
        f"{r.statistic}::{r.case} {r.quantity}: python={r.python} r={r.r} "
        f"diff={r.abs_diff} tol={r.tolerance}"
        for r in bad.itertuples()
    )


def test_tiny_study_every_section_passes(tiny, r):
    from cetrus.study.parity import validate_study

    config, results = tiny
    lines = []
    table = validate_study(config, results, log=lines.append)
    assert set(table["statistic"]) >= SECTIONS
    assert len(table) > 100
    assert table["pass"].all(), _failures(table)
    # one progress line per case, then the total
    assert len([line for line in lines if " checks, " in line]) == table["case"].nunique()
    assert lines[-1].startswith(f"validate: {len(table)} checks in ")
    on_disk = pd.read_csv(results / "parity.csv")
    assert len(on_disk) == len(table) and on_disk["pass"].all()
    md = (results / "parity.md").read_text()
    assert f"**{len(table)} checks in" in md and "0 failed" in md
    # every modality's ICC and selection, every model of the results in Tables 3-4
    assert set(table.loc[table.statistic == "icc", "case"]) == {
        f"{m}: ICC vs psych::ICC" for m in ("TDUS", "CDUS", "CEUS")
    }
    models = json.loads((results / "results.json").read_text())["performance"]["test"]
    t34 = table.loc[table.statistic == "table3_4", "quantity"]
    for model in models:
        assert t34.str.startswith(f"{model} test AUC").any(), model


def test_corrupted_number_fails_its_row(tiny, r, tmp_path):
    from cetrus.study.parity import validate_study

    config, results = tiny
    bad = tmp_path / "results"
    shutil.copytree(results, bad)
    res = json.loads((bad / "results.json").read_text())
    res["table1"]["stats"]["Age"]["pvalue"] *= 1.001
    model = next(iter(res["performance"]["test"]))
    res["performance"]["test"][model]["auc"] += 1e-6
    (bad / "results.json").write_text(json.dumps(res))
    table = validate_study(config, bad)
    failed = table[~table["pass"].astype(bool)]
    assert set(failed["quantity"]) == {
        f"Age P ({res['table1']['stats']['Age']['test']})",
        f"{model} test AUC",
    }, _failures(table)
    assert "2 failed" in (bad / "parity.md").read_text()


def test_other_study_k_levels_one_rater(other, r):
    """Other modality names, a 3-level categorical variable, three raters (ICC of all three)
    and one rater (no ICC), missing values under complete-case, a 70:30 split."""
    from cetrus.study.parity import validate_study

    config, results = other
    table = validate_study(config, results)
    assert table["pass"].all(), _failures(table)
    assert set(table.loc[table.statistic == "icc", "case"]) == {"BMODE: ICC vs psych::ICC"}
    assert json.loads((results / "results.json").read_text())["icc"]["BMODE"]["raters"] == [
        "A",
        "B",
        "C",
    ]
    t1 = table[table.statistic == "table1"]
    for level in ("G1", "G2", "G3"):
        assert t1["quantity"].str.contains(f"Grade={level} n").any(), level
    t2 = table.loc[table.statistic == "table2", "quantity"]
    assert t2.str.contains("gradeG2 OR").any() and t2.str.contains("gradeG3 OR").any()
    assert t2.str.contains("grade P (whole variable", regex=False).any()
    cohort = table[table.statistic == "cohort"].set_index("quantity")
    assert float(cohort.loc["patients analysed", "r"]) == 155
    assert cohort.loc["missing values per column", "r"] == str((("crp", 3), ("grade", 3)))


def test_no_clinical_variable_retained(no_clinical, r):
    """No clinical model and no integrated model: Tables 3-4 check the modalities' models,
    the calibration the model the results calibrate."""
    from cetrus.study.parity import validate_study

    config, results = no_clinical
    res = json.loads((results / "results.json").read_text())
    assert res["table2"]["retained"] == []
    assert set(res["performance"]["test"]) == {"BMODE", "PDUS"}
    table = validate_study(config, results)
    assert table["pass"].all(), _failures(table)
    t34 = table.loc[table.statistic == "table3_4", "quantity"]
    assert not t34.str.contains("Integrated|Clinical").any()
    assert t34.str.startswith("PDUS test AUC").any()


def test_cli_validate(tiny, r, capsys, tmp_path, monkeypatch):
    from cetrus import rbridge
    from cetrus.cli import main
    from cetrus.errors import RUnavailableError

    config, results = tiny

    def run(*argv):
        try:
            code = main(["validate", "--config", str(config.path), *map(str, argv)])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("--results", results)
    assert code == 0, err
    assert json.loads(out)["failed"] == 0 and "R parity" in err
    # a wrong number in results.json: exit 1, the count on stdout
    bad = tmp_path / "bad"
    shutil.copytree(results, bad)
    res = json.loads((bad / "results.json").read_text())
    res["cohort"]["cases"] += 1
    (bad / "results.json").write_text(json.dumps(res))
    code, out, err = run("--results", bad)
    assert code == 1 and json.loads(out)["failed"] == 1, err
    # no results folder: one line, exit 2
    code, out, err = run("--results", tmp_path / "none")
    assert code == 2 and err.count("\n") == 1 and "run cetrus analyze --config" in err

    # R missing: one line, exit 2 (R's absence simulated: require raises as it does then)
    def missing(*packages):
        raise RUnavailableError("rpy2 could not start R (OSError: libR.so not found); install R")

    monkeypatch.setattr(rbridge, "require", missing)
    code, out, err = run("--results", results)
    assert code == 2 and err.count("\n") == 1 and "could not start R" in err


@pytest.mark.r
def test_skipped_calibration_is_not_validated(r, tmp_path):
    """A study whose calibration step was skipped (a separated final model) validates
    every other section; R is not asked for val.prob of a model that has none."""
    import json

    from cetrus.study.config import load_config
    from cetrus.study.parity import validate_study
    from cetrus.study.pipeline import analyze
    from tests.study.conftest import write_tiny_study

    config = load_config(write_tiny_study(tmp_path))
    analyze(config, config.results_dir)
    res_path = config.results_dir / "results.json"
    res = json.loads(res_path.read_text())
    res.pop("calibration")
    res["steps"]["calibration"] = {"status": "skipped", "reason": "test"}
    res_path.write_text(json.dumps(res))
    table = validate_study(config, config.results_dir)
    assert len(table) > 100 and table["pass"].astype(bool).all()
    # the final model's own section is not sent to R; every model's val.prob still is
    cases = set(table.loc[table["statistic"].eq("calibration"), "case"])
    assert not any(c.endswith("model: rms::val.prob") and "every model" not in c for c in cases)
    assert "every model, both cohorts: rms::val.prob" in cases
