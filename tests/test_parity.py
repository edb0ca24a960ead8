"""Every parity case of ``validation/`` as a test: live R, at DESIGN.md's tolerances."""

from __future__ import annotations

import pytest

from validation.harness import discover, run_case

CASES = discover()


def test_cases_registered():
    families = {c.statistic for c in CASES}
    assert {"auc_delong", "roc_test_delong", "youden", "diagnostics"} <= families
    # issue 11's statistics: pROC's toolbox, rms validate/calibrate
    assert {
        "partial_auc",
        "roc_test_unpaired",
        "roc_test_one_sided",
        "coords_input",
        "coords_best",
        "ci_coords_bootstrap",
        "ci_thresholds_bootstrap",
        "power_roc_test",
        "var_cov_delong",
        "validate",
        "calibrate",
    } <= families


@pytest.mark.r
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_parity(case, r):
    rows = run_case(case)
    failed = [row for row in rows if not row["pass"]]
    assert rows, "a parity case must produce checks"
    assert not failed, "\n".join(
        f"{f['quantity']}: python={f['python']} r={f['r']} |diff|={f['abs_diff']} tol={f['tolerance']}"
        for f in failed
    )


@pytest.mark.r
def test_starting_r_leaves_the_environment_of_child_processes_alone(r):
    """R's start-up sets LD_LIBRARY_PATH (its ldpaths); a child Python then loaded the
    system's libpython and failed ("undefined symbol" in _ssl). rbridge puts it back."""
    import os
    import subprocess
    import sys

    from cetrus import rbridge

    rbridge.r_eval("1 + 1")
    assert "/usr/lib/R/lib" not in os.environ.get("LD_LIBRARY_PATH", "")
    child = subprocess.run(
        [sys.executable, "-c", "import ssl, pyarrow; print('ok')"], capture_output=True, text=True
    )
    assert child.returncode == 0 and child.stdout.strip() == "ok", child.stderr
