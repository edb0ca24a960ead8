"""Which modality joins the clinical model: by cross-validated AUC in the training cohort
(default ``best_cv``), by test AUC only when ``best_test`` is configured (and then the
manuscript says so as a limitation), or fixed by name."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cetrus.cli import main
from cetrus.errors import InputError
from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze
from tests.study.conftest import write_tiny_study

REPO = Path(__file__).resolve().parents[2]


def _study(folder: Path, models: str = "") -> Path:
    path = write_tiny_study(folder)
    if models:
        path.write_text(path.read_text().replace("[models]\n", f"[models]\n{models}\n"))
    return path


@pytest.fixture(scope="module")
def best_cv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("best_cv")
    config = load_config(_study(folder))
    res = analyze(config, folder / "results")
    return config, res, folder / "results"


@pytest.fixture(scope="module")
def best_test(tmp_path_factory):
    folder = tmp_path_factory.mktemp("best_test")
    config = load_config(_study(folder, 'integrated = "best_test"'))
    res = analyze(config, folder / "results")
    return config, res, folder / "results"


def test_default_rule_is_cross_validation_in_the_training_cohort(best_cv):
    config, res, out = best_cv
    assert config.models.integrated == "best_cv"
    ch = res["integrated_choice"]
    assert ch["rule"] == "best_cv" and ch["cv"]["selection"] == "refit"
    assert ch["cv"]["folds"] == 10 and ch["cv"]["predictors"] == res["table2"]["retained"]
    means = {m: r["mean"] for m, r in ch["cv"]["auc"].items()}
    assert set(means) == {"TDUS", "CDUS", "CEUS"}
    for r in ch["cv"]["auc"].values():
        assert len(r["fold_auc"]) == 10 and r["failed_folds"] == 0
        assert r["mean"] == pytest.approx(np.mean(r["fold_auc"]), abs=1e-15)
    assert ch["modality"] == max(means, key=means.get) == res["integrated_modality"]
    # the integrated model is built on that modality's score
    assert res["models"]["Integrated"]["predictors"][-1] == f"score_{ch['modality']}"
    # said in results, tables and text
    saved = json.loads((out / "results.json").read_text())
    assert saved["integrated_choice"]["modality"] == ch["modality"]
    table = pd.read_csv(out / "tables" / "integrated_choice.csv")
    assert list(table["Modality"]) == ["TDUS", "CDUS", "CEUS"]
    assert table.loc[table["Chosen"] == "yes", "Modality"].tolist() == [ch["modality"]]
    methods = (out / "include" / "models_methods.md").read_text()
    assert "highest mean AUC over 10 stratified cross-validation folds of the training" in methods
    assert "repeated within each fold" in methods
    results_text = (out / "include" / "models_results.md").read_text()
    assert "highest cross-validated AUC in the training cohort" in results_text
    assert "{#tbl-model-choice}" in results_text
    assert json.loads((out / "values.yml").read_text())["res"]["integrated_rule"] == (
        "the modality with the highest cross-validated AUC in the training cohort"
    )


def test_cv_never_sees_the_test_cohort(best_cv, tmp_path):
    """Replacing every test patient's features by noise changes no CV AUC."""
    config, res, _ = best_cv
    folder = tmp_path / "noisy"
    folder.mkdir()
    path = _study(folder)
    clinical = pd.read_csv(folder / "clinical.csv")
    test_ids = set(clinical["pid"][~_train_mask(config, res)])
    rng = np.random.default_rng(1)
    for f in folder.glob("f_*.parquet"):
        feats = pd.read_parquet(f)
        rows = feats["pid"].isin(test_ids).to_numpy()
        cols = feats.columns[1:]
        feats.loc[rows, cols] = rng.lognormal(size=(rows.sum(), len(cols))).astype(np.float32)
        feats.to_parquet(f, index=False)
    other = analyze(load_config(path), folder / "results")
    assert other["integrated_choice"]["cv"] == res["integrated_choice"]["cv"]
    # ... while the test AUCs did change
    assert other["performance"]["test"]["CEUS"]["auc"] != res["performance"]["test"]["CEUS"]["auc"]


def _train_mask(config, res) -> np.ndarray:
    from cetrus.study.data import load_study
    from cetrus.study.split import stratified_split

    data = load_study(config)
    return stratified_split(data.y, res["cohort"]["split_seed"], test_fraction=0.2).train


def test_fixed_selection_cv_matches_an_independent_computation(tmp_path):
    """cv_selection = "fixed": the training cohort's scores + clinical predictors, k-fold
    logistic fits, mean fold AUC — recomputed here with scikit-learn and checked."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    from cetrus.study.data import load_study

    config = load_config(_study(tmp_path, 'cv_selection = "fixed"\ncv_folds = 5\ncv_seed = 3'))
    res = analyze(config, tmp_path / "results")
    cv = res["integrated_choice"]["cv"]
    assert cv["selection"] == "fixed" and cv["folds"] == 5 and cv["seed"] == 3
    data = load_study(config)
    train = _train_mask(config, res)
    y = data.y.astype(int)
    retained = cv["predictors"]
    clin = pd.get_dummies(data.clinical[retained], drop_first=True).astype(float).to_numpy()
    rows = np.flatnonzero(train)
    for m, r in cv["auc"].items():
        sel = res["selection"][m]
        X = data.features[m]
        score = (
            X[sel["features"]].to_numpy(float)
            @ np.array([sel["coefficients"][f] for f in sel["features"]])
            + sel["intercept"]
        )
        design = np.column_stack([clin, score])
        aucs = []
        for a, b in StratifiedKFold(5, shuffle=True, random_state=3).split(rows, y[rows]):
            lr = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12)
            lr.fit(design[rows[a]], y[rows[a]])
            aucs.append(roc_auc_score(y[rows[b]], lr.predict_proba(design[rows[b]])[:, 1]))
        np.testing.assert_allclose(r["fold_auc"], aucs, atol=1e-9)


def test_best_test_only_when_configured_and_stated_as_a_limitation(best_cv, best_test):
    sentence = "was chosen by its test AUC, which uses the test cohort for model selection"
    _, res_cv, out_cv = best_cv
    _, res_t, out_t = best_test
    # best_test: the highest test AUC among the modalities' models, no CV
    ch = res_t["integrated_choice"]
    assert ch["rule"] == "best_test" and "cv" not in ch
    test_auc = {m: res_t["performance"]["test"][m]["auc"] for m in ("TDUS", "CDUS", "CEUS")}
    assert ch["modality"] == max(test_auc, key=test_auc.get)
    assert ch["test_auc"] == pytest.approx(test_auc, abs=1e-15)
    assert sentence in (out_t / "include" / "discussion.md").read_text()
    assert sentence in (out_t / "include" / "choice_limitation.md").read_text()
    assert "highest test AUC" in (out_t / "include" / "models_methods.md").read_text()
    assert not (out_t / "tables" / "integrated_choice.csv").exists()
    # best_cv: the sentence is absent everywhere
    for name in ("discussion", "choice_limitation", "models_methods", "models_results"):
        assert sentence not in (out_cv / "include" / f"{name}.md").read_text()
        assert "highest test AUC" not in (out_cv / "include" / f"{name}.md").read_text()
    assert (out_cv / "include" / "choice_limitation.md").read_text() == ""


def test_fixed_modality(tmp_path):
    config = load_config(_study(tmp_path, 'integrated = "TDUS"'))
    res = analyze(config, tmp_path / "results")
    assert res["integrated_choice"] == {
        "rule": "fixed",
        "modality": "TDUS",
        "criterion": "fixed in the study configuration",
    }
    assert res["integrated_modality"] == "TDUS"
    text = (tmp_path / "results" / "include" / "discussion.md").read_text()
    assert "chosen by its test AUC" not in text
    assert (
        "fixed in the study configuration"
        in (tmp_path / "results" / "include" / "models_methods.md").read_text()
    )


@pytest.mark.parametrize(
    "line, key, words",
    [
        (
            'integrated = "best"',
            "models.integrated",
            "must be 'best_cv' or 'best_test' or a modality (TDUS, CDUS, CEUS); got 'best'",
        ),
        ('cv_selection = "nested"', "models.cv_selection", "must be one of 'refit', 'fixed'"),
        ("cv_folds = 1", "models.cv_folds", "must be in [2, 100]"),
    ],
)
def test_bad_config_value_is_one_line(tmp_path, capsys, line, key, words):
    path = _study(tmp_path, line)
    with pytest.raises(InputError, match="study.toml: " + key):
        load_config(path)
    assert main(["analyze", "--config", str(path), "--out", str(tmp_path / "res")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and key in err[0] and words in err[0] and "study.toml" in err[0]
    assert not (tmp_path / "res").exists()


def test_more_folds_than_a_small_study_allows_are_capped_and_said(tmp_path, capsys):
    """Stratified folds need a patient of each outcome per fold: a study with fewer cases
    in its training cohort than cv_folds gets as many folds as it has, recorded."""
    path = _study(tmp_path, "cv_folds = 90")
    assert main(["analyze", "--config", str(path), "--out", str(tmp_path / "res")]) == 0
    err = capsys.readouterr().err
    results = json.loads((tmp_path / "res" / "results.json").read_text())
    cv = results["integrated_choice"]["cv"]
    cases = results["cohort"]["training"]["cases"]
    least = min(cases, results["cohort"]["training"]["controls"])
    assert cv["folds_requested"] == 90 and cv["folds"] == least < 90
    assert all(len(a["fold_auc"]) == least for a in cv["auc"].values())
    assert f"{least} folds (models.cv_folds = 90" in err


def test_replica_keeps_the_papers_choice():
    assert load_config(REPO / "study.toml").models.integrated == "best_test"
