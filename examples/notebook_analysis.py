"""A whole analysis with cetrus.stats, as a statistician would run it in a notebook.

Every step prints its result as R prints the twin (pROC, rms, psych, glm), so a reader
who knows R recognises each block. The cohort is SYNTHETIC: 300 simulated patients with
an outcome, a three-level factor, two numeric predictors, a radiomics score from each of
two models and that score measured by two raters. Run it with

    python examples/notebook_analysis.py

(the tests run it and check what it prints).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import cetrus.stats as cs


def synthetic_cohort(n: int = 300, seed: int = 7) -> pd.DataFrame:
    """A SYNTHETIC cohort: nothing here comes from patients."""
    rng = np.random.default_rng(seed)
    age = rng.normal(62, 9, n).round()
    grade = rng.choice(["G1", "G2", "G3"], size=n, p=[0.4, 0.4, 0.2])
    cea = rng.lognormal(1.2, 0.6, n).round(1)
    lp = (
        -4.0
        + 0.03 * age
        + 0.35 * np.log(cea)
        + np.select([grade == "G2", grade == "G3"], [0.4, 1.1], 0.0)
    )
    radiomics = lp + rng.normal(0, 1.0, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-(lp + 0.9 * (radiomics - lp))))).astype(int)
    return pd.DataFrame(
        {
            "metastasis": np.where(y == 1, "yes", "no"),
            "age": age,
            "grade": grade,
            "cea": cea,
            "rad_score": radiomics.round(4),
            "rad_score_rater2": (radiomics + rng.normal(0, 0.15, n)).round(4),
        }
    )


def main() -> None:
    df = synthetic_cohort()
    print(
        "SYNTHETIC cohort:",
        df.shape[0],
        "patients,",
        int((df["metastasis"] == "yes").sum()),
        "with metastasis\n",
    )

    # Table 1 by outcome, each row's test chosen by R's rule (normality, variance)
    t1 = cs.table_one(df, "metastasis", ["age", "cea", "grade"])
    print(t1.to_frame().to_string(index=False), "\n")

    # univariable and multivariable ORs by formula (R's term names: gradeG2, gradeG3)
    df["y"] = (df["metastasis"] == "yes").astype(int)
    for res in cs.univariate_logit("y ~ age + cea + C(grade, Treatment('G1'))", data=df):
        print(
            res.to_frame()[["term", "odds_ratio", "ci_low", "ci_high", "pvalue"]]
            .round(4)
            .to_string(index=False)
        )
    clinical = cs.logit("y ~ age + cea + C(grade, Treatment('G1'))", data=df, ci="profile")
    print()
    print(clinical.summary(), "\n")
    combined = cs.logit("y ~ age + cea + C(grade, Treatment('G1')) + rad_score", data=df)

    # discrimination: AUC with DeLong CI, paired DeLong test between the two models
    df["p_clinical"] = clinical.predict_proba(df)
    df["p_combined"] = combined.predict_proba(df)
    print(cs.auc_ci(data=df, outcome="y", score="p_combined"), "\n")
    print(cs.roc_test(data=df, outcome="y", score_a="p_combined", score_b="p_clinical"), "\n")

    # agreement of the radiomics score between the two raters (psych::ICC's table)
    long = pd.DataFrame(
        {
            "patient": np.tile(np.arange(len(df)), 2),
            "rater": np.repeat(["rater1", "rater2"], len(df)),
            "score": np.concatenate([df["rad_score"], df["rad_score_rater2"]]),
        }
    )
    print(cs.icc(long, targets="patient", raters="rater", ratings="score"), "\n")

    # calibration (rms::val.prob) and the bootstrap-corrected curve (rms::calibrate)
    print(cs.val_prob(data=df, outcome="y", score="p_combined"), "\n")
    cal = cs.calibrate_logistic(
        data=df.assign(
            grade2=(df["grade"] == "G2").astype(float), grade3=(df["grade"] == "G3").astype(float)
        ),
        outcome="y",
        predictors=["age", "cea", "grade2", "grade3", "rad_score"],
        B=50,
        seed=1,
    )
    print(cal, "\n")

    # the nomogram of the combined model (rms::nomogram's points per predictor)
    nom = cs.nomogram(df, "y", ["age", "cea", "grade", "rad_score"], reference={"grade": "G1"})
    print(nom)


if __name__ == "__main__":
    main()
