"""A tiny study (200 patients, 3 modalities × 2 raters × 20 features) written to disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

CONFIG = """
[study]
title = "Tiny test study"
synthetic = false

[data]
clinical = "clinical.csv"
id = "pid"

[outcome]
column = "event"
positive = 1
label = "Event"
case_label = "Event group"
control_label = "No-event group"

[variables.age]
type = "continuous"
label = "Age"
unit = "years"
[variables.drinking]
type = "categorical"
label = "Drinking"
levels = ["No", "Yes"]
[variables.plt]
type = "continuous"
label = "PLT"

[modalities.TDUS.features]
rater1 = "f_TDUS_1.parquet"
rater2 = "f_TDUS_2.parquet"
[modalities.CDUS.features]
rater1 = "f_CDUS_1.parquet"
rater2 = "f_CDUS_2.parquet"
[modalities.CEUS.features]
rater1 = "f_CEUS_1.parquet"
rater2 = "f_CEUS_2.parquet"

[split]
seeds = [0, 1]
reported_seed = 0

[selection]
lasso_folds = 5

[models]
spread = {spread}
workers = 1
"""


def write_tiny_study(folder: Path, *, n: int = 200, spread: bool = False, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    clinical = pd.DataFrame(
        {
            "pid": [f"P{i:03d}" for i in range(n)],
            "event": y,
            "age": rng.normal(60, 10, n).round(1),
            "drinking": np.where(rng.random(n) < 0.3 + 0.3 * y, "Yes", "No"),
            "plt": rng.normal(260 + 60 * y, 50, n).round(1),
        }
    )
    clinical.to_csv(folder / "clinical.csv", index=False)
    for k, m in enumerate(("TDUS", "CDUS", "CEUS")):
        x = rng.normal(size=(n, 20)) + (0.4 + 0.4 * k) * y[:, None] * (np.arange(20) < 5)
        x = np.exp(0.4 * x)
        for r in (1, 2):
            xr = np.abs(x + (r - 1) * rng.normal(scale=0.1, size=x.shape))
            f = pd.DataFrame(xr.astype(np.float32), columns=[f"f{j:02d}" for j in range(20)])
            f.insert(0, "pid", clinical["pid"])
            f.to_parquet(folder / f"f_{m}_{r}.parquet", index=False)
    path = folder / "study.toml"
    path.write_text(CONFIG.replace("{spread}", "true" if spread else "false"))
    return path


@pytest.fixture
def tiny_study(tmp_path) -> Path:
    return write_tiny_study(tmp_path)
