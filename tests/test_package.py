"""Package-level promises: a light import and the R bridge's conversions."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


def test_import_cetrus_is_light():
    code = (
        "import sys, cetrus, cetrus.stats, cetrus.cli; "
        # every optional module (an extra's): absent from a plain `pip install cetrus`
        "heavy = [m for m in ('torch', 'torchvision', 'rpy2', 'matplotlib', 'PIL', "
        "'pydicom', 'nibabel', 'tqdm') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_cli_parser_builds_without_heavy_imports():
    code = (
        "import sys; from cetrus.cli import build_parser; build_parser(); "
        "print(','.join(m for m in ('torch', 'rpy2', 'matplotlib') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


@pytest.mark.r
def test_rbridge_round_trips(r):
    out = r.r_eval(
        "list(n = length(x), s = sum(x), cls = class(f), lv = levels(f), "
        "ok = is.logical(b), df = nrow(d), nm = c(a = 1, b = 2))",
        x=np.arange(5.0),
        f=pd.Series(["b", "a", "b"], dtype="category"),
        b=np.array([True, False]),
        d=pd.DataFrame({"u": [1, 2], "v": ["p", "q"]}),
    )
    assert out["n"] == 5 and out["s"] == 10.0 and out["cls"] == "factor"
    assert list(out["lv"]) == ["a", "b"] and out["ok"] is True and out["df"] == 2
    assert out["nm"] == {"a": 1.0, "b": 2.0}


@pytest.mark.r
def test_rbridge_factor_levels_from_series_and_categorical_index(r):
    # levels in the dtype's order, not sorted; a CategoricalIndex (no .cat) converts too
    cat = pd.CategoricalDtype(["b", "a", "c"])
    for f in (
        pd.Series(["a", "b", "a"], dtype=cat),
        pd.CategoricalIndex(["a", "b", "a"], dtype=cat),
    ):
        out = r.r_eval("list(lv = levels(f), codes = as.integer(f))", f=f)
        assert list(out["lv"]) == ["b", "a", "c"] and list(out["codes"]) == [2, 1, 2]


@pytest.mark.r
def test_rbridge_versions_and_missing_package(r):
    from cetrus.errors import RUnavailableError

    v = r.versions()
    assert v["R"].startswith("4.") and v["rpy2"] == "3.5.17" and v["pROC"] != "not installed"
    with pytest.raises(RUnavailableError, match="noSuchPkg"):
        r.require("noSuchPkg")


def test_missing_r_skips_locally_but_fails_under_ci(monkeypatch):
    """A skipped parity test is not a pass: under CI a missing R must fail the run."""
    import importlib.util
    from pathlib import Path

    from _pytest.outcomes import Failed, Skipped

    from cetrus import rbridge

    # load tests/conftest.py by path: the bare name 'conftest' may be another folder's
    spec = importlib.util.spec_from_file_location(
        "_root_conftest", Path(__file__).with_name("conftest.py")
    )
    conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conftest)

    monkeypatch.setattr(rbridge, "available", lambda *p: (False, "R not installed (simulated)"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped, match="simulated"):
        conftest._r_or_fail()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="required under CI"):
        conftest._r_or_fail()


def test_stats_docstring_examples_are_collected_as_doctests():
    """`make test` (plain pytest) runs the Examples of cetrus.stats and nothing else of pkg/."""
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "pkg"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    items = [ln for ln in proc.stdout.splitlines() if "::" in ln]
    assert items and all(ln.startswith("pkg/cetrus/stats/") for ln in items)
    assert any("::cetrus.stats.reliability." in ln for ln in items)
