"""Extraction results depend only on the ROIs: batch size 1, 3 or all, one ROI per run, or a
cache that already held some ROIs give bit-identical features (and the same parquet bytes);
every forward pass has the one fixed shape; the forward size is part of the cache key."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from cetrus.imaging import extract as X  # noqa: E402
from cetrus.imaging import model as M  # noqa: E402
from tests.study.second_study import make_second_study  # noqa: E402

SIZE = 64
N_ROIS = 11  # not a multiple of the CPU forward size: the last pass is filled up


@pytest.fixture(scope="module")
def manifest(tmp_path_factory):
    root = tmp_path_factory.mktemp("det")
    make_second_study(root / "study", n_patients=10, seed=3)
    frame = pd.read_csv(root / "study" / "manifest.csv", dtype=str).head(N_ROIS)
    for col in ("image", "mask"):
        frame[col] = [str(root / "study" / p) for p in frame[col]]
    path = root / "manifest.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def passes(monkeypatch):
    """The batch dimension of every forward pass the extraction runs."""
    seen: list[int] = []
    real = M.penultimate

    def recording(model):
        net = real(model)
        net.register_forward_pre_hook(lambda mod, args: seen.append(int(args[0].shape[0])))
        return net

    monkeypatch.setattr(M, "penultimate", recording)
    return seen


def _run(manifest, out, **kw):
    kw = {"weights": "none", "size": SIZE, "progress": False, "cache": False, **kw}
    return X.run_extraction(manifest, out, **kw)


def _features(path) -> np.ndarray:
    frame, _ = X.read_features(path)
    return frame[X.feature_columns()].to_numpy()


@pytest.mark.slow
def test_batch_size_one_by_one_and_cache_history_give_identical_bits(manifest, tmp_path, passes):
    forward = X.FORWARD_SIZE["cpu"]
    ref = tmp_path / "all.parquet"
    _run(manifest, ref, batch_size=N_ROIS)
    want = _features(ref)
    assert want.shape == (N_ROIS, 1920) and np.isfinite(want).all()
    for bs in (1, 3):
        out = tmp_path / f"bs{bs}.parquet"
        _run(manifest, out, batch_size=bs)
        assert out.read_bytes() == ref.read_bytes(), f"batch size {bs}"
    # one ROI per run: each alone in its own extraction
    frame = pd.read_csv(manifest, dtype=str)
    for k in range(N_ROIS):
        one = tmp_path / f"one{k}.csv"
        frame.iloc[[k]].to_csv(one, index=False)
        got = _features(_run(one, tmp_path / f"one{k}.parquet", batch_size=1).out_path)
        assert np.array_equal(got[0], want[k]), f"ROI {k} alone"
    # a partly filled cache: ROIs 0, 4 and 7 extracted earlier (in another run, other
    # companions), the rest now
    cache = tmp_path / "cache"
    some = tmp_path / "some.csv"
    frame.iloc[[0, 4, 7]].to_csv(some, index=False)
    _run(some, tmp_path / "some.parquet", batch_size=2, cache=True, cache_dir=cache)
    mixed = tmp_path / "mixed.parquet"
    rep = _run(manifest, mixed, batch_size=5, cache=True, cache_dir=cache)
    assert (rep.n_cached, rep.n_extracted) == (3, N_ROIS - 3)
    assert mixed.read_bytes() == ref.read_bytes()
    # every pass the network ran had the one fixed shape
    assert passes and set(passes) == {forward}


def test_forward_size_is_in_the_cache_key(manifest, tmp_path, monkeypatch):
    frame = pd.read_csv(manifest, dtype=str)
    one = tmp_path / "one.csv"
    frame.iloc[[0]].to_csv(one, index=False)
    cache = tmp_path / "cache"
    first = _run(one, tmp_path / "a.parquet", cache=True, cache_dir=cache)
    again = _run(one, tmp_path / "b.parquet", cache=True, cache_dir=cache)
    assert (first.n_cached, again.n_cached) == (0, 1)
    monkeypatch.setitem(X.FORWARD_SIZE, "cpu", X.FORWARD_SIZE["cpu"] + 1)
    other = _run(one, tmp_path / "c.parquet", cache=True, cache_dir=cache)
    assert other.n_cached == 0  # a vector made with another pass size is not reused
    _, meta = X.read_features(tmp_path / "c.parquet")
    assert meta["forward_size"] == X.FORWARD_SIZE["cpu"]
