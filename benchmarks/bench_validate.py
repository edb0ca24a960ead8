"""Bootstrap internal validation: cetrus's validate_logistic and calibrate_logistic against
rms::validate(lrm) and rms::calibrate
with B = 200 on n = 702 and 3 predictors, same data, same run (issue 11: at least 5×
faster than rms). Both sides draw their own resamples; the R time includes the lrm fit
validate needs (x = TRUE, y = TRUE), as cetrus's includes its full-data fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats.optimism import calibrate_logistic, validate_logistic

B = "validate"


def _data(n: int, seed: int = 5) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {"a": rng.normal(size=n), "b": rng.normal(size=n), "c": (rng.random(n) < 0.4).astype(float)}
    )
    lp = -1.5 + 0.8 * X["a"] - 0.5 * X["b"] + 0.7 * X["c"]
    y = (rng.random(n) < 1 / (1 + np.exp(-lp))).astype(int)
    return X, y


def run(quick: bool = False) -> list[dict]:
    n, boots = 702, 200
    X, y = _data(n)
    rep = 2 if quick else 3
    t = best_of(lambda: validate_logistic(X, y, B=boots, seed=1), rep)
    d = X.assign(y=y.astype(float))
    r = r_best_of(
        f"f <- rms::lrm(y ~ a + b + c, data = d, x = TRUE, y = TRUE); "
        f"invisible(rms::validate(f, B = {boots}))",
        repeat=rep,
        packages=("rms",),
        d=d,
    )
    tc = best_of(lambda: calibrate_logistic(X, y, B=boots, seed=1), rep)
    rc = r_best_of(
        f"f <- rms::lrm(y ~ a + b + c, data = d, x = TRUE, y = TRUE); "
        f"invisible(rms::calibrate(f, B = {boots}))",
        repeat=rep,
        packages=("rms",),
        d=d,
    )
    return [
        row(B, f"validate_logistic B={boots} n={n} p=3", t, "s"),
        row(B, f"rms::validate(lrm) B={boots}", r, "s"),
        row(B, "speed-up vs rms (validate)", r / t, "x", target=">= 5", met=r / t >= 5),
        row(B, f"calibrate_logistic B={boots} n={n} p=3", tc, "s"),
        row(B, f"rms::calibrate(lrm) B={boots}", rc, "s"),
        row(B, "speed-up vs rms (calibrate)", rc / tc, "x", target=">= 5", met=rc / tc >= 5),
    ]
