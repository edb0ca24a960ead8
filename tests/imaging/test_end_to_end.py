"""Generated ultrasound-like images → extract → rater agreement → selection → radiomics score."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("torch")

from cetrus.imaging import extract_features, read_features  # noqa: E402
from cetrus.imaging.synthetic import make_image_set  # noqa: E402
from cetrus.stats.feature_agreement import rater_agreement  # noqa: E402
from cetrus.stats.roc import auc_ci  # noqa: E402
from cetrus.stats.selection import select_features  # noqa: E402


@pytest.mark.slow
def test_images_to_radiomics_score(tmp_path):
    manifest, outcomes = make_image_set(
        tmp_path / "images",
        n_patients=12,
        seed=7,
        modalities=("TDUS", "CEUS"),
        shape=(48, 64),
        mask_format="nii.gz",
    )
    out = extract_features(
        manifest,
        tmp_path / "features.parquet",
        weights="none",
        seed=0,
        size=48,
        batch_size=12,
        cache_dir=tmp_path / "cache",
    )
    features, meta = read_features(out)
    assert features.shape == (12 * 2 * 2, 3 + 1920) and meta["weights"]["kind"] == "random"

    agreement = rater_agreement(features)
    assert set(agreement.mean) == {"TDUS", "CEUS"}
    for m in ("TDUS", "CEUS"):
        # the second rater's outline is a slight perturbation: features agree well
        assert 0.5 < agreement.mean[m] <= 1.0 and agreement.n_patients[m] == 12

    ceus = features[(features["modality"] == "CEUS") & (features["rater"] == "1")]
    ceus = ceus.set_index("patient_id").loc[outcomes["patient_id"]]
    X = ceus.filter(regex=r"^f\d{4}$").astype(float)
    reliable = agreement.reliable("CEUS", 0.75)
    assert reliable
    y = outcomes["metastasis"].to_numpy()
    fs = select_features(X[reliable].reset_index(drop=True), y, folds=3, seed=1)
    assert set(fs.after_spearman) <= set(fs.after_mwu) <= set(reliable)
    score = fs.score(X.reset_index(drop=True))
    assert score.shape == (12,) and np.isfinite(score).all()
    if fs.selected:  # the score separates the training cases it was fitted on
        assert auc_ci(y, score).estimate > 0.6
