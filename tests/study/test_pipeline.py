"""The study pipeline: bad input fails clearly with nothing half-written; a tiny study runs
end to end (results.json, tables, figures)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cetrus.cli import main
from cetrus.errors import InputError
from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze, load_study


def _no_leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".results")]


def test_clinical_without_outcome(tiny_study, tmp_path):
    f = tmp_path / "clinical.csv"
    pd.read_csv(f).drop(columns="event").to_csv(f, index=False)
    out = tmp_path / "results"
    with pytest.raises(InputError, match=r"clinical\.csv: outcome column .*'event' not found"):
        analyze(load_config(tiny_study), out)
    assert not out.exists() and not _no_leftovers(tmp_path)


def test_feature_patients_do_not_match(tiny_study, tmp_path):
    f = tmp_path / "f_CEUS_1.parquet"
    frame = pd.read_parquet(f)
    frame.loc[3, "pid"] = "STRANGER"
    frame.to_parquet(f, index=False)
    with pytest.raises(
        InputError,
        match=r"f_CEUS_1\.parquet: 1 patient\(s\) of clinical\.csv have "
        r"no features \(first: 'P003'\)",
    ):
        load_study(load_config(tiny_study))


def test_missing_variable_column(tiny_study, tmp_path):
    f = tmp_path / "clinical.csv"
    pd.read_csv(f).drop(columns="plt").to_csv(f, index=False)
    with pytest.raises(
        InputError, match=r"clinical\.csv: column 'plt' \(variables\.plt\) not found"
    ):
        load_study(load_config(tiny_study))


def test_unknown_category(tiny_study, tmp_path):
    f = tmp_path / "clinical.csv"
    d = pd.read_csv(f)
    d.loc[0, "drinking"] = "Sometimes"
    d.to_csv(f, index=False)
    with pytest.raises(
        InputError,
        match=r"column 'drinking' has value 'Sometimes', not one of "
        r"variables\.drinking\.levels",
    ):
        load_study(load_config(tiny_study))


def test_split_without_cases_in_test(tiny_study, tmp_path):
    # one case only: a stratified 8:2 split cannot put a case in both cohorts
    f = tmp_path / "clinical.csv"
    d = pd.read_csv(f)
    d["event"] = 0
    d.loc[0, "event"] = 1
    d.to_csv(f, index=False)
    out = tmp_path / "results"
    with pytest.raises(InputError, match=r"'event'"):
        analyze(load_config(tiny_study), out)
    assert not out.exists() and not _no_leftovers(tmp_path)


def test_unstratified_split_with_no_test_case_is_named(tiny_study, tmp_path):
    f = tmp_path / "clinical.csv"
    d = pd.read_csv(f)
    d["event"] = 0
    d.loc[[0, 1], "event"] = 1
    d.to_csv(f, index=False)
    text = tiny_study.read_text().replace("[split]", "[split]\nstratify = false")
    tiny_study.write_text(text)
    y = d["event"].to_numpy()
    # find a seed whose unstratified test cohort gets no case, and report it
    from sklearn.model_selection import train_test_split

    seed = next(
        s
        for s in range(200)
        if y[train_test_split(np.arange(y.size), test_size=0.2, random_state=s)[1]].sum() == 0
    )
    tiny_study.write_text(
        text.replace("seeds = [0, 1]", f"seeds = [{seed}]").replace(
            "reported_seed = 0", f"reported_seed = {seed}"
        )
    )
    with pytest.raises(
        InputError, match=rf"seed {seed} leaves no case of 'event' in the test cohort"
    ):
        analyze(load_config(tiny_study), tmp_path / "results")


def test_cli_error_is_one_line(tiny_study, tmp_path, capsys):
    (tmp_path / "f_TDUS_1.parquet").unlink()
    assert main(["analyze", "--config", str(tiny_study), "--out", str(tmp_path / "res")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and "modalities.TDUS.features.rater1" in err[0]
        and "f_TDUS_1.parquet" in err[0]
    )
    assert not (tmp_path / "res").exists()


@pytest.mark.slow
def test_tiny_study_end_to_end(tiny_study, tmp_path):
    out = tmp_path / "results"
    res = analyze(load_config(tiny_study), out)
    saved = json.loads((out / "results.json").read_text())
    assert saved["cohort"]["n"] == 200
    assert saved["cohort"]["training"]["n"] + saved["cohort"]["test"]["n"] == 200
    assert set(saved["performance"]["test"]) == {"Clinical", "TDUS", "CDUS", "CEUS", "Integrated"}
    assert "plt" in saved["table2"]["retained"]
    # the modality with the strongest planted signal is the integrated one
    assert res["integrated_modality"] == max(
        ("TDUS", "CDUS", "CEUS"), key=lambda m: saved["performance"]["test"][m]["auc"]
    )
    for t in ("table1", "table2", "table3", "table4", "performance", "icc", "selection", "delong"):
        assert (out / "tables" / f"{t}.csv").is_file() and (out / "tables" / f"{t}.md").is_file()
    # no [published] file: no appendix table, and an empty appendix passage
    assert not (out / "tables" / "comparison.csv").exists()
    assert (out / "include" / "appendix.md").read_text() == ""
    steps = saved["steps"]
    assert steps["spread"] == {
        "status": "skipped",
        "reason": "models.spread = false in the study config",
    }
    clock = json.loads((out / "run.json").read_text())  # the run's clock, apart
    assert set(clock["steps"]) == set(steps) - {"clinical_models"} and "created" in clock
    # spread switched off, and no anticipated performance for the sample size: skipped,
    # each with its reason; every other step ran
    assert all(
        s["status"] == "done" for k, s in steps.items() if k not in ("spread", "sample_size")
    )
    assert "c_statistic" in steps["sample_size"]["reason"]
    for f in ("lasso.png", "roc_test.png", "roc_test.svg", "nomogram.png", "calibration_test.png"):
        assert (out / "figures" / f).is_file(), f
    # the threshold comes from the training cohort and is applied unchanged to test
    p = saved["performance"]
    assert p["training"]["CEUS"]["threshold"] == p["test"]["CEUS"]["threshold"]
    t = p["test"]["CEUS"]
    assert t["tp"] + t["fn"] == saved["cohort"]["test"]["cases"]
    assert abs(t["sensitivity"] - t["tp"] / (t["tp"] + t["fn"])) < 1e-12
    values = json.loads((out / "values.yml").read_text())["res"]
    assert values["n"] == "200" and values["ceus_test_auc"] == f"{t['auc']:.3f}"
    assert not _no_leftovers(tmp_path)
