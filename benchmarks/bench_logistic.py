"""Logistic regression with profile CIs: ``logit(ci="profile")`` against R's ``glm`` +
``confint`` (MASS's profile + spline), on the same data in the same run.

Target (issue 10): 15 predictors, n = 878 (the replica's size), at least as fast as R.
Also timed: the Wald-CI fit alone, and a larger n = 20,000 fit (where the separation LP
used to run on every fit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks._timing import best_of, r_best_of, row
from cetrus.stats.logistic import logit

B = "logistic"


def _data(n: int, k: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k))
    X[:, 0] = rng.normal(270, 60, n)  # a large-scale predictor, as platelet counts
    beta = rng.normal(0, 0.3, k) / np.r_[60.0, np.ones(k - 1)]
    eta = -1.0 + (X - X.mean(axis=0)) @ beta
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
    names = [f"x{j + 1}" for j in range(k)]
    return pd.DataFrame(X, columns=names).assign(y=y), names


def run(quick: bool = False) -> list[dict]:
    rows = []
    n, k = 878, 15
    d, names = _data(n, k)
    fml = "y ~ " + " + ".join(names)
    rep = 2 if quick else 5
    t_prof = best_of(lambda: logit(d, "y", names, ci="profile"), rep)
    r_prof = r_best_of(
        f"f <- glm({fml}, family = binomial, data = d); suppressMessages(confint(f))",
        repeat=rep,
        packages=("MASS",),
        d=d,
    )
    rows.append(row(B, f"logit(ci='profile') {n} x {k}", t_prof, "s"))
    rows.append(row(B, "R glm + confint (MASS profile)", r_prof, "s"))
    rows.append(
        row(
            B,
            "speed-up vs R (profile CIs)",
            r_prof / t_prof,
            "x",
            target=">= 1",
            met=r_prof / t_prof >= 1,
        )
    )
    t_wald = best_of(lambda: logit(d, "y", names), rep)
    r_wald = r_best_of(
        f"f <- glm({fml}, family = binomial, data = d); summary(f); confint.default(f)",
        repeat=rep,
        d=d,
    )
    rows.append(row(B, f"logit(ci='wald') {n} x {k}", t_wald, "s"))
    rows.append(row(B, "R glm + summary + confint.default", r_wald, "s"))
    rows.append(row(B, "speed-up vs R (Wald)", r_wald / t_wald, "x"))
    big_n = 5000 if quick else 20000
    d2, names2 = _data(big_n, k, seed=1)
    t_big = best_of(lambda: logit(d2, "y", names2), 3)
    r_big = r_best_of(
        f"f <- glm(y ~ {' + '.join(names2)}, family = binomial, data = d); summary(f)",
        repeat=3,
        d=d2,
    )
    rows.append(row(B, f"logit(ci='wald') {big_n:,} x {k}", t_big, "s"))
    rows.append(row(B, f"R glm + summary {big_n:,} x {k}", r_big, "s"))
    rows.append(row(B, f"speed-up vs R (Wald, n = {big_n:,})", r_big / t_big, "x"))
    return rows
