"""The notebook-style example (examples/notebook_analysis.py) runs and prints readable,
R-like results for a whole analysis (issue 14's 'done when')."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "notebook_analysis.py"


@pytest.mark.slow
def test_notebook_example_runs_and_prints_each_block(capsys):
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    blocks = [
        "SYNTHETIC cohort: 300 patients",
        "metastasis = yes (n = 61)",  # Table 1
        "gradeG2",
        "gradeG3",  # formula terms, R's names
        "R: glm(y ~ age + cea + grade, family = binomial)",  # summary() with its call
        "Profile 95% low",  # both CI kinds
        "Area under the curve:",
        "(DeLong)",  # auc_ci as pROC prints
        "DeLong's test for two correlated ROC curves",  # paired test
        "data:  p_combined and p_clinical",  # named by its columns
        "Call: psych::ICC(x, lmer = FALSE)",  # ICC as psych prints
        "Brier",
        "Emax",  # val.prob's vector
        "Bootstrap calibration (rms::calibrate), B = 50",  # calibrate
        "Points per unit of linear predictor",
    ]  # nomogram
    missing = [b for b in blocks if b not in out]
    assert not missing, f"the example no longer prints: {missing}"
    # readable: no dataclass dump, no line a notebook reader would have to scroll past
    assert "array([" not in out and max(len(line) for line in out.splitlines()) < 200
