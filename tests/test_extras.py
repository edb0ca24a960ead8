"""Honest dependencies: ranges in the metadata, pins in constraints.txt, the statistics
without any extra, and a missing extra as ONE line naming it (API and CLI)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from cetrus._optional import EXTRAS, import_optional, install_hint, missing_extra
from cetrus.errors import CetrusError, MissingExtraError

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
#: every import name an extra brings, blocked at once; scikit-learn (the study's split and
#: folds) also comes with python-glmnet, a requirement, so it cannot be absent
OPTIONAL = sorted({m for mods in EXTRAS.values() for m in mods} - {"sklearn"})


def _requirements():
    project = PYPROJECT["project"]
    yield from project["dependencies"]
    for reqs in project["optional-dependencies"].values():
        yield from reqs


def test_metadata_has_ranges_and_constraints_have_the_pins():
    reqs = list(_requirements())
    assert not [r for r in reqs if "==" in r], "exact pins belong in constraints.txt"
    bare = [r for r in reqs if not r.startswith("cetrus[") and ">=" not in r]
    assert not bare, f"requirements without a lower bound: {bare}"
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version, f"constraints.txt line is not an exact pin: {line!r}"
            pins[name.lower().replace("_", "-")] = version
    assert pins["torch"] == "2.14.1" and pins["torchvision"] == "0.29.1"
    assert pins["rpy2"] == "3.5.17"
    for req in reqs:  # every requirement is pinned for CI
        name = req.split(">=")[0].split("[")[0].strip().lower().replace("_", "-")
        if name != "cetrus":
            assert name in pins, f"{name} has no pin in constraints.txt"


def test_extras_table_matches_pyproject():
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(EXTRAS) <= set(extras) and "all" in extras
    dist = {"PIL": "pillow", "sklearn": "scikit-learn"}
    for extra, modules in EXTRAS.items():
        names = {r.split(">=")[0].lower() for r in extras[extra]}
        assert {dist.get(m, m).lower() for m in modules} <= names, extra


def test_py_typed_ships():
    assert (REPO / "pkg" / "cetrus" / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["cetrus"]


def test_statistics_run_with_every_extra_blocked():
    """`pip install cetrus` (no extra) runs the statistics: block every optional module
    and compute an AUC, a LASSO path, a cross-validated selection, a logit and Table 1."""
    code = f"""
import sys
BLOCKED = {OPTIONAL!r}
class Blocker:  # an install without extras: importing any of them fails as if absent
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Blocker())
import numpy as np, pandas as pd
import cetrus, cetrus.stats as s
from cetrus.stats.logistic import logit
rng = np.random.default_rng(1)
n = 80
y = rng.integers(0, 2, n)
X = pd.DataFrame(rng.normal(size=(n, 6)) + y[:, None] * [1, .5, 0, 0, 0, 0],
                 columns=[f"f{{j}}" for j in range(6)])
print(round(s.auc_ci(y, X["f0"]).estimate, 6))
path = s.lasso_path(X, y, lambdas=[0.1, 0.01])
print(len(path.lambdas))
sel = s.select_features(X, y, folds=5, seed=0)
print(len(sel.selected) >= 1)
fit = logit(X.assign(y=y), "y", ["f0", "f1"])
print(fit.converged)
frame = X.assign(g=np.where(y == 1, "a", "b"))
print(len(s.table_one(frame, "g", ["f0", "f1"]).to_markdown()) > 0)
print(",".join(m for m in BLOCKED if m in sys.modules))
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == "2" and lines[2:5] == ["True", "True", "True"] and lines[5] == ""


def test_missing_extra_message_is_one_line_naming_the_extra():
    err = missing_extra("torch", "DenseNet201 feature extraction")
    assert isinstance(err, ImportError) and isinstance(err, CetrusError)
    assert str(err) == (
        "DenseNet201 feature extraction needs torch, which is not installed; "
        "install the 'imaging' extra of cetrus: pip install 'cetrus[imaging]'"
    )
    assert install_hint("sklearn.model_selection") == "pip install 'cetrus[study]'"
    assert install_hint("rpy2") == "pip install 'cetrus[r]'"
    # installed but broken (a missing shared library): said so, not "not installed"
    broken = missing_extra("torch", "x", ImportError("libcudnn.so.9: cannot open shared object"))
    assert "does not import" in str(broken) and "libcudnn" in str(broken)
    assert "\n" not in str(broken)


@pytest.fixture()
def no_torch(monkeypatch):
    """Simulate an install without the 'imaging' extra: `import torch` fails."""
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "torchvision", None)


def test_import_optional_turns_a_blocked_import_into_the_hint(no_torch):
    with pytest.raises(MissingExtraError, match=r"pip install 'cetrus\[imaging\]'$"):
        import_optional("torch", "DenseNet201 feature extraction")


def test_extraction_without_torch_names_the_extra_before_reading_anything(no_torch, tmp_path):
    """Before: ModuleNotFoundError: No module named 'torch' from deep inside the run."""
    from cetrus.imaging import extract_features, run_extraction

    for func in (run_extraction, extract_features):
        with pytest.raises(MissingExtraError) as info:
            func(tmp_path / "manifest.csv", tmp_path / "features.parquet")
        assert str(info.value).endswith("pip install 'cetrus[imaging]'")
        assert "DenseNet201 feature extraction needs torch" in str(info.value)
    assert not (tmp_path / "features.parquet").exists()


def test_cli_extract_without_torch_is_one_line_exit_2(no_torch, tmp_path, capsys):
    from cetrus.cli import main

    manifest = tmp_path / "manifest.csv"
    manifest.write_text("patient_id,modality,rater,image,mask\n")
    rc = main(["extract", str(manifest), "--out", str(tmp_path / "f.parquet")])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err
    assert err.splitlines() == [
        "cetrus: error: DenseNet201 feature extraction needs torch, "
        "which is not installed; install the 'imaging' extra of cetrus: "
        "pip install 'cetrus[imaging]'"
    ]


def test_cli_study_command_without_pyarrow_names_the_study_extra(monkeypatch, tmp_path, capsys):
    from cetrus.cli import main

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    rc = main(["replica", "--out", str(tmp_path / "rep")])
    err = capsys.readouterr().err.splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0].startswith("cetrus: error: write_replica needs pyarrow")
    assert err[0].endswith("pip install 'cetrus[study]'")
    assert not (tmp_path / "rep").exists()


def test_cli_reading_parquet_without_pyarrow_names_the_study_extra(monkeypatch, tmp_path, capsys):
    from cetrus.cli import main

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    data = tmp_path / "d.parquet"
    data.write_bytes(b"PAR1")
    rc = main(["stat", "auc", str(data), "--outcome", "y", "--score", "x"])
    err = capsys.readouterr().err.splitlines()
    assert rc == 2 and err == [
        "cetrus: error: reading d.parquet needs pyarrow, which is not "
        "installed; install the 'study' extra of cetrus: pip install "
        "'cetrus[study]'"
    ]


def test_cli_last_resort_maps_an_unwrapped_optional_import_to_its_extra(
    monkeypatch, tmp_path, capsys
):
    """An optional import somewhere that does not go through cetrus._optional still ends
    as the extra's line, not 'internal error'."""
    from cetrus.cli import commands_study, main

    def handler(args):
        import sklearn.model_selection  # noqa: F401 - blocked below

    monkeypatch.setattr(commands_study, "_replica", handler)
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.model_selection", None)
    rc = main(["replica", "--out", str(tmp_path / "rep")])
    err = capsys.readouterr().err.splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0].startswith("cetrus: error: cetrus replica needs scikit-learn")
    assert err[0].endswith("pip install 'cetrus[study]'")


def test_analyze_without_the_study_extra_fails_before_any_work(monkeypatch, tmp_path):
    from cetrus.study.pipeline import analyze

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(
        MissingExtraError,
        match=r"cetrus.study.analyze needs matplotlib.*"
        r"pip install 'cetrus\[study\]'",
    ):
        analyze(object(), tmp_path / "results")
    assert not (tmp_path / "results").exists()


def test_missing_rpy2_names_the_r_extra(monkeypatch):
    from cetrus import rbridge
    from cetrus.errors import RUnavailableError

    monkeypatch.setitem(sys.modules, "rpy2", None)
    monkeypatch.setitem(sys.modules, "rpy2.rinterface_lib", None)
    monkeypatch.setitem(sys.modules, "rpy2.rinterface_lib.callbacks", None)
    rbridge._robjects.cache_clear()
    try:
        with pytest.raises(RUnavailableError, match=r"pip install 'cetrus\[r\]'"):
            rbridge._robjects()
    finally:
        rbridge._robjects.cache_clear()
