"""Every parity case of ``validation/`` as a test: live R, at DESIGN.md's tolerances."""

from __future__ import annotations

import pytest

from validation.harness import discover, run_case

CASES = discover()


def test_cases_registered():
    families = {c.statistic for c in CASES}
    assert {"auc_delong", "roc_test_delong", "youden", "diagnostics"} <= families
    # issue 11's statistics: pROC's toolbox, rms validate/calibrate
    assert {"partial_auc", "roc_test_unpaired", "roc_test_one_sided", "coords_input",
            "coords_best", "ci_coords_bootstrap", "ci_thresholds_bootstrap", "power_roc_test",
            "var_cov_delong", "validate", "calibrate"} <= families


@pytest.mark.r
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_parity(case, r):
    rows = run_case(case)
    failed = [row for row in rows if not row["pass"]]
    assert rows, "a parity case must produce checks"
    assert not failed, "\n".join(
        f"{f['quantity']}: python={f['python']} r={f['r']} |diff|={f['abs_diff']} tol={f['tolerance']}"
        for f in failed)
