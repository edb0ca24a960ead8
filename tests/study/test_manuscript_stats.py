"""Issue 11 B5 in the study pipeline: metric CIs and the threshold in Tables 3–4,
calibration of every model, optimism correction (rms::validate and the whole selection
repeated per resample), decision curves, the sample size, the model coefficients and
Table 1 by cohort — on the tiny study and the second (non-replica) study."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest

from cetrus.errors import InputError
from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze
from tests.study.conftest import write_tiny_study


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-b5")
    cfg = write_tiny_study(root, spread=False)
    _edit(
        cfg, "[models]", "[validation]\nbootstrap = 60\nselection_bootstrap = 6\nseed = 3\n[models]"
    )
    out = root / "results"
    analyze(load_config(cfg), out)
    return cfg, out, json.loads((out / "results.json").read_text())


def test_metric_cis_are_clopper_pearson_and_threshold_is_shown(tiny):
    from cetrus.stats.roc import clopper_pearson

    _, out, res = tiny
    counts = {
        "accuracy": lambda r: (r["tp"] + r["tn"], r["n"]),
        "sensitivity": lambda r: (r["tp"], r["tp"] + r["fn"]),
        "specificity": lambda r: (r["tn"], r["tn"] + r["fp"]),
        "ppv": lambda r: (r["tp"], r["tp"] + r["fp"]),
        "npv": lambda r: (r["tn"], r["tn"] + r["fn"]),
    }
    for cohort in ("training", "test"):
        for r in res["performance"][cohort].values():
            for k, f in counts.items():
                low, high = clopper_pearson(*f(r), 0.95)
                assert r[f"{k}_ci_low"] == pytest.approx(low, abs=1e-14)
                assert r[f"{k}_ci_high"] == pytest.approx(high, abs=1e-14)
                assert low <= r[k] <= high
    t3 = pd.read_csv(out / "tables" / "table3.csv")
    assert {"Sensitivity (95%CI)", "NPV (95%CI)", "Threshold"} <= set(t3.columns)
    ceus = res["performance"]["training"]["CEUS"]
    row = t3[t3["Model"] == "CEUS model"].iloc[0]
    assert row["Threshold"] == pytest.approx(round(ceus["threshold"], 3))
    assert row["Sensitivity (95%CI)"].startswith(f"{ceus['sensitivity']:.3f} (")


def test_calibration_of_every_model_keeps_the_final_models(tiny):
    from cetrus.study.steps import final_model

    _, out, res = tiny
    cal = res["calibration_models"]
    assert set(cal) == set(res["models"])
    assert all(set(per) == {"training", "test"} for per in cal.values())
    final = final_model(res)
    for k in ("slope", "intercept", "brier", "c", "emax"):  # the old output is unchanged
        assert cal[final]["test"][k] == res["calibration"][k]
    # in its own training cohort a logistic fit is calibrated in the large by construction
    assert abs(cal["Clinical"]["training"]["intercept"]) < 1e-6
    assert cal["Clinical"]["training"]["slope"] == pytest.approx(1.0, abs=1e-6)
    figs = out / "figures"
    assert (figs / "calibration_models_test.png").is_file()
    assert (figs / "calibration_models_training.png").is_file()
    assert (figs / "calibration_test.png").is_file()  # the final model's, as before
    text = (out / "include" / "calibration_models_results.md").read_text()
    assert "::: {#tbl-calibration-models}" in text and "::: {#fig-calibration-models-test}" in text


def test_rms_validate_of_clinical_and_integrated_models(tiny):
    from cetrus.stats.logistic import logit
    from cetrus.stats.optimism import validate_logistic
    from cetrus.study.steps import model_frame

    cfg, _, res = tiny
    val = res["validation"]
    assert val["B"] == 60 and val["seed"] == 3
    assert set(val["models"]) == {"Clinical", "Integrated"}
    clin = val["models"]["Clinical"]
    # apparent C is the reported training AUC
    assert clin["c_orig"] == pytest.approx(
        res["performance"]["training"]["Clinical"]["auc"], abs=1e-12
    )
    # the same numbers as validate_logistic on the model's design with the config's seed
    config = load_config(cfg)
    from cetrus.study.data import load_study
    from cetrus.study.split import stratified_split

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = load_study(config)
        train = stratified_split(data.y, 0, test_fraction=0.2).train
        frame = model_frame(config, data, {}).loc[train].reset_index(drop=True)
        preds = res["models"]["Clinical"]["predictors"]
        fit = logit(
            frame, "_y", preds, reference={"drinking": "No"} if "drinking" in preds else None
        )
        again = validate_logistic(
            fit.design(frame)[:, 1:], data.y[train].astype(float), B=60, seed=3
        ).table
    assert clin["table"]["Dxy"]["index_corrected"] == again.loc["Dxy", "index_corrected"]
    assert clin["table"]["Slope"]["optimism"] == again.loc["Slope", "optimism"]


def test_selection_repeated_in_every_resample(tiny):
    _, out, res = tiny
    vs = res["validation_selection"]
    assert vs["B"] == 6 and set(vs["models"]) == {"TDUS", "CDUS", "CEUS", "Integrated"}
    for m in ("TDUS", "CDUS", "CEUS"):
        e = vs["models"][m]
        # the apparent model is the reported one: its C is the reported training AUC
        assert e["c_orig"] == pytest.approx(res["performance"]["training"][m]["auc"], abs=1e-12)
        assert e["c_corrected"] == pytest.approx(e["c_orig"] - e["c_optimism"], abs=1e-12)
        assert 1 <= e["n_used"] <= 6
        assert len(vs["selected_counts"][m]) == 6
    # re-selecting the features costs the weakest modality more than rms would see
    assert vs["models"]["TDUS"]["c_optimism"] > 0
    table = pd.read_csv(out / "tables" / "validation.csv")
    assert len(table) == 2 + 4
    assert "whole selection repeated" in set(table["Procedure"])


def test_validate_refit_is_validate_logistic_for_a_plain_refit():
    from cetrus.stats.logistic import lrm_fit
    from cetrus.stats.optimism import validate_logistic, validate_refit

    rng = np.random.default_rng(1)
    n = 150
    X = rng.normal(size=(n, 2))
    y = (rng.random(n) < 1 / (1 + np.exp(-(X @ [1.0, -0.5])))).astype(float)
    X1 = np.column_stack([np.ones(n), X])

    def refit(rows):
        return {"m": X1 @ lrm_fit(X1[rows], y[rows], maxit=12).beta}

    a = validate_logistic(X, y, B=30, seed=4).table
    b = validate_refit(y, refit, B=30, seed=4)["m"].table
    np.testing.assert_allclose(b.to_numpy(), a.to_numpy(), rtol=0, atol=1e-12)


def test_decision_curves(tiny):
    _, out, res = tiny
    dc = res["decision"]
    t = np.asarray(dc["thresholds"])
    assert t.size == 99 and t[0] == 0.01 and t[-1] == 0.99
    prev = dc["prevalence"]
    assert prev == res["cohort"]["test"]["cases"] / res["cohort"]["test"]["n"]
    assert np.all(np.asarray(dc["net_benefit"]["none"]) == 0)
    np.testing.assert_allclose(
        dc["net_benefit"]["all"], prev - (1 - prev) * t / (1 - t), atol=1e-12
    )
    assert set(dc["net_benefit"]) == set(res["models"]) | {"all", "none"}
    assert (out / "figures" / "decision_test.png").is_file()
    assert len(pd.read_csv(out / "tables" / "decision_curve.csv")) == 99
    assert "::: {#fig-decision}" in (out / "include" / "decision_results.md").read_text()


def test_coefficients_table_and_score_weights(tiny):
    _, out, res = tiny
    coef = pd.read_csv(out / "tables" / "coefficients.csv")
    assert "Drinking: Yes (vs No)" in set(coef["Term"]) and "CEUS score" in set(coef["Term"])
    term = next(t for t in res["models"]["Clinical"]["terms"] if t["term"] == "plt")
    row = coef[(coef["Term"] == "PLT")].iloc[0]
    low = math.log(term["ci_low"])
    assert row["β (95%CI)"].split("(")[1].startswith(f"{low:.3f}")
    weights = pd.read_csv(out / "tables" / "score_weights.csv")
    for m, sel in res["selection"].items():
        w = weights[weights["Modality"] == m]
        assert float(w[w["Feature"] == "(Intercept)"]["Weight"].iloc[0]) == sel["intercept"]
        assert set(w["Feature"]) - {"(Intercept)"} == set(sel["coefficients"])
    assert "score_weights.csv" in (out / "include" / "coefficients_results.md").read_text()


def test_table1_by_cohort(tiny):
    _, out, res = tiny
    t = res["table1_cohort"]
    assert t["group_n"]["training"] + t["group_n"]["test"] == 200
    ev = t["stats"]["Event"]  # the outcome is the first row
    assert ev["training_cohort"]["Event group"] == res["cohort"]["training"]["cases"]
    md = (out / "tables" / "table1_cohort.md").read_text()
    assert f"Training cohort \\(n \\= {t['group_n']['training']}\\)" in md
    assert "Age \\(years\\)" in md
    inc = (out / "include" / "baseline_tables.md").read_text()
    assert "::: {#tbl-baseline}" in inc and "::: {#tbl-cohorts}" in inc
    assert "Test: " in inc and "MWU, Mann–Whitney U test" in inc  # the footnote of the tests


def test_sample_size_skipped_without_anticipated_performance(tiny):
    _, out, res = tiny
    st = res["steps"]["sample_size"]
    assert st["status"] == "skipped" and "c_statistic or cox_snell_r2" in st["reason"]
    assert "No sample-size calculation" in (out / "include" / "sample_size_results.md").read_text()


def test_skips_and_sample_size(tmp_path):
    from cetrus.stats.samplesize import sample_size_binary

    cfg = write_tiny_study(tmp_path, spread=False)
    _edit(
        cfg,
        "[models]",
        "[validation]\nbootstrap = 0\nselection_bootstrap = 0\n"
        "[sample_size]\nc_statistic = 0.75\n[decision]\nthreshold_min = 0.1\n"
        "threshold_max = 0.5\nthreshold_step = 0.05\n[models]",
    )
    res = analyze(load_config(cfg), tmp_path / "results")
    steps = res["steps"]
    assert steps["validation"]["reason"] == "validation.bootstrap = 0 in the study config"
    assert (
        steps["validation_selection"]["reason"]
        == "validation.selection_bootstrap = 0 in the study config"
    )
    assert not (tmp_path / "results" / "tables" / "validation.csv").exists()
    text = (tmp_path / "results" / "include" / "validation_results.md").read_text()
    from cetrus.report.tables import md_text

    assert md_text("validation.bootstrap = 0 in the study config") in text
    assert "tbl-validation" not in text
    ss = res["sample_size"]
    # 3 clinical parameters (age, drinking Yes, plt) + 3 scores
    assert ss["parameters"] == 6
    want = sample_size_binary(res["cohort"]["cases"] / 200, 6, c_statistic=0.75)
    assert ss["required_n"] == want.n and ss["criteria_n"] == list(want.n_criteria)
    assert ss["meets_training"] == (res["cohort"]["training"]["n"] >= want.n)
    assert res["decision"]["thresholds"] == pytest.approx([0.1 + 0.05 * k for k in range(9)])
    text = (tmp_path / "results" / "include" / "sample_size_results.md").read_text()
    assert f"at least {want.n} patients" in text


@pytest.mark.parametrize(
    "block, match",
    [
        ("[validation]\nbootstrap = -1", r"validation\.bootstrap must be in \[0, 100000\]"),
        (
            '[validation]\nselection_bootstrap = "20"',
            r"validation\.selection_bootstrap must be an integer",
        ),
        ("[validation]\nseed = -2", r"validation\.seed must be in"),
        ("[validation]\nB = 5", r"unknown key validation\.B"),
        ("[decision]\nthreshold_min = 1.0", r"decision\.threshold_min must be in \[0, 1\)"),
        (
            "[decision]\nthreshold_min = 0.5\nthreshold_max = 0.4",
            r"decision\.threshold_max \(0\.4\) must be above",
        ),
        ("[decision]\nthreshold_step = 0", r"decision\.threshold_step must be in"),
        ("[sample_size]\nc_statistic = 0.5", r"sample_size\.c_statistic must be in \(0\.5, 1\)"),
        ("[sample_size]\ncox_snell_r2 = 1.2", r"sample_size\.cox_snell_r2 must be in \(0, 1\)"),
        (
            "[sample_size]\nc_statistic = 0.8\ncox_snell_r2 = 0.1",
            r"sample_size\.c_statistic and sample_size\.cox_snell_r2 are both given",
        ),
        ("[sample_size]\nshrinkage = 1", r"sample_size\.shrinkage must be in \(0, 1\)"),
        ("[sample_size]\nc_stat = 0.8", r"unknown key sample_size\.c_stat"),
        ('[sample_size]\nc_statistic = "high"', r"sample_size\.c_statistic must be a number"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path, block, match):
    cfg = write_tiny_study(tmp_path, spread=False)
    _edit(cfg, "[models]", block + "\n[models]")
    with pytest.raises(InputError, match=r"^study\.toml: " + match) as err:
        load_config(cfg)
    assert "\n" not in str(err.value)


@pytest.mark.slow
def test_second_study_new_outputs(tmp_path):
    from cetrus.cli import main
    from tests.study.second_study import make_second_study

    assert main(["init", str(tmp_path)]) == 0
    cfg = make_second_study(tmp_path, n_patients=80, images=False)
    text = cfg.read_text()
    cfg.write_text(
        text.replace(
            "[models]",
            "[validation]\nselection_bootstrap = 4\n[sample_size]\ncox_snell_r2 = 0.2\n[models]",
            1,
        )
        if "[models]" in text
        else text + "\n[validation]\nselection_bootstrap = 4\n[sample_size]\ncox_snell_r2 = 0.2\n"
    )
    config = load_config(cfg)
    res = analyze(config, tmp_path / "res")
    out = tmp_path / "res"
    for step in (
        "table1_cohort",
        "calibration_models",
        "decision",
        "sample_size",
        "validation_selection",
    ):
        assert res["steps"][step]["status"] == "done", (step, res["steps"][step])
    # the parameters as encoded: a 3-level variable counts 2
    counts = res["sample_size"]["parameter_counts"]
    for v in config.variables:
        assert counts[v.column] == (len(v.levels) - 1 if v.categorical else 1)
    assert sum(k.startswith("score_") for k in counts) == len(config.modalities)
    # a 3-level categorical's terms in the coefficients table name their level
    coef = pd.read_csv(out / "tables" / "coefficients.csv")
    three = [v for v in config.variables if v.categorical and len(v.levels) == 3]
    retained = res["table2"]["retained"]
    for v in three:
        if v.column in retained:
            assert f"{v.label}: {v.levels[1]} (vs {v.reference})" in set(coef["Term"])
    # the modality names of this study, not the paper's
    names = {m.name for m in config.modalities}
    assert set(res["validation_selection"]["models"]) - {"Integrated"} == names
    assert all(
        f"calibration_{n}_test.png" in res["figures"].get(f"calibration_{n}_test", [""])[0]
        or "skipped" in res["calibration_models"][n]["test"]
        for n in res["models"]
    )
    for name in (
        "validation_results",
        "decision_results",
        "sample_size_results",
        "cohort_results",
        "coefficients_results",
    ):
        text = (out / "include" / f"{name}.md").read_text()
        assert text and "TDUS" not in text and "CEUS" not in text
