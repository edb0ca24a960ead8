"""DenseNet201 features: equal to torchvision's classifier input; extraction, cache, errors.

Lean on purpose: DenseNet201 at 224×224 runs ~8 images/s on 2 CPU cores, so most
tests use a 64×64 input and a handful of ROIs.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from cetrus.errors import InputError  # noqa: E402
from cetrus.imaging import extract_features, read_features, run_extraction  # noqa: E402
from cetrus.imaging.model import (  # noqa: E402
    build_densenet201,
    imagenet_weights_file,
    penultimate,
    weights_identity,
)
from cetrus.imaging.synthetic import make_image_set, write_mask  # noqa: E402

SIZE = 64


@pytest.fixture(scope="module")
def random_model():
    return build_densenet201("none", seed=0)


@pytest.fixture()
def image_set(tmp_path):
    manifest, outcomes = make_image_set(
        tmp_path / "set", n_patients=2, modalities=("TDUS", "CDUS"), shape=(48, 64), seed=3
    )
    return manifest


def _run(manifest, out, cache_dir, **kw):
    kw.setdefault("size", SIZE)
    kw.setdefault("batch_size", 3)
    return run_extraction(manifest, out, weights="none", seed=0, cache_dir=cache_dir, **kw)


# --------------------------------------------------------------------------- the network


def test_penultimate_equals_torchvision_classifier_input(random_model):
    model, identity = random_model
    captured = {}
    hook = model.classifier.register_forward_hook(
        lambda m, inp, out: captured.setdefault("x", inp[0])
    )
    x = torch.randn(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(1))
    try:
        with torch.inference_mode():
            model(x)
            feats = penultimate(model)(x)
    finally:
        hook.remove()
    assert feats.shape == (2, 1920)
    torch.testing.assert_close(feats, captured["x"], rtol=0, atol=0)
    assert identity["kind"] == "random" and identity["seed"] == 0


def test_random_weights_are_seeded(random_model):
    model, _ = random_model
    again, _ = build_densenet201("none", seed=0)
    other, _ = build_densenet201("none", seed=1)
    w = "features.conv0.weight"
    assert torch.equal(model.state_dict()[w], again.state_dict()[w])
    assert not torch.equal(model.state_dict()[w], other.state_dict()[w])


def test_state_dict_file_with_old_key_names(tmp_path, random_model):
    model, _ = random_model
    state = {}
    for k, v in model.state_dict().items():  # torchvision's pre-0.4 checkpoints: norm1 -> norm.1
        if k.endswith("num_batches_tracked"):
            continue  # those checkpoints predate this buffer
        for part in ("norm1", "norm2", "relu1", "relu2", "conv1", "conv2"):
            k = k.replace(f".{part}.", f".{part[:-1]}.{part[-1]}.")
        state[k] = v
    path = tmp_path / "w.pth"
    torch.save({"state_dict": state}, path)
    loaded, ident = build_densenet201(path)
    assert ident["kind"] == "file" and len(ident["sha256"]) == 64
    x = torch.randn(1, 3, SIZE, SIZE)
    with torch.inference_mode():
        torch.testing.assert_close(penultimate(loaded)(x), penultimate(model)(x))
    torch.save({"features.conv0.weight": torch.zeros(3)}, tmp_path / "bad.pth")
    with pytest.raises(InputError, match="does not fit DenseNet201"):
        build_densenet201(tmp_path / "bad.pth")
    with pytest.raises(InputError, match="file not found"):
        build_densenet201(tmp_path / "none.pth")


def test_imagenet_weights_absent_says_where_to_put_them(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    file, url = imagenet_weights_file()
    assert file == tmp_path / "th" / "hub" / "checkpoints" / "densenet201-c1103571.pth"
    with pytest.raises(InputError) as err:
        weights_identity("imagenet")
    msg = str(err.value)
    assert str(file) in msg and url in msg and "\n" not in msg


@pytest.mark.slow
def test_imagenet_weights_load_through_torchvision_from_cache(tmp_path, monkeypatch, random_model):
    """The real torchvision path (hub cache, key fix-ups) with a stand-in checkpoint file."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    file, _ = imagenet_weights_file()
    file.parent.mkdir(parents=True)
    model, _ = random_model
    state = {k: v for k, v in model.state_dict().items()}
    torch.save(state, file)
    loaded, ident = build_densenet201("imagenet")
    assert ident["kind"] == "imagenet" and ident["name"] == "DenseNet201_Weights.IMAGENET1K_V1"
    w = "features.denseblock1.denselayer1.conv1.weight"
    assert torch.equal(loaded.state_dict()[w], state[w])


# --------------------------------------------------------------------------- extraction


def test_extract_writes_rows_metadata_and_uses_the_cache(tmp_path, image_set, random_model):
    out, cache = tmp_path / "features.parquet", tmp_path / "cache"
    first = _run(image_set, out, cache)
    assert (first.n_rows, first.n_extracted, first.n_cached) == (8, 8, 0)
    frame, meta = read_features(out)
    assert list(frame.columns[:3]) == ["patient_id", "modality", "rater"]
    assert frame.shape == (8, 3 + 1920) and frame.columns[-1] == "f1919"
    assert frame["f0000"].dtype == np.float32
    manifest = pd.read_csv(image_set, dtype=str)
    assert (
        frame[["patient_id", "modality", "rater"]].values.tolist()
        == manifest[["patient_id", "modality", "rater"]].values.tolist()
    )
    assert meta["weights"]["kind"] == "random" and meta["preprocessing"]["size"] == SIZE
    assert meta["n_features"] == 1920 and "torch" in meta["versions"]

    # the features are the network's on the preprocessed ROI
    from cetrus.imaging.io import read_image, read_mask
    from cetrus.imaging.preprocess import Preprocessing, roi_tensor

    row = pd.read_csv(image_set).iloc[3]
    base = image_set.parent
    x = roi_tensor(
        read_image(base / row["image"]), read_mask(base / row["mask"]), Preprocessing(size=SIZE)
    )
    with torch.inference_mode():
        direct = penultimate(random_model[0])(x[None])[0].numpy()
    np.testing.assert_allclose(
        frame.iloc[3, 3:].to_numpy(dtype=np.float32), direct, rtol=1e-4, atol=1e-5
    )

    # re-run: all from the cache, identical output
    second = _run(image_set, out, cache)
    assert (second.n_extracted, second.n_cached) == (0, 8)
    again, _ = read_features(out)
    pd.testing.assert_frame_equal(frame, again)

    # change one mask: only that row is recomputed
    mask_path = base / row["mask"]
    m = read_mask(mask_path)
    m[np.nonzero(m)[0][0], :] = True
    write_mask(mask_path, m)
    third = _run(image_set, out, cache)
    assert (third.n_extracted, third.n_cached) == (1, 7)
    # different preprocessing settings do not reuse the cache
    assert _run(image_set, out, cache, margin=4).n_extracted == 8
    # --no-cache neither reads nor writes it
    assert (
        _run(image_set, tmp_path / "nc.parquet", tmp_path / "nocache", cache=False).n_extracted == 8
    )
    assert not (tmp_path / "nocache").exists()


def _rewrite_manifest(manifest, edit):
    frame = pd.read_csv(manifest, dtype=str)
    edit(frame)
    frame.to_csv(manifest, index=False)


@pytest.mark.parametrize(
    "case,message",
    [
        ("missing image", r"row 2 \(patient 'P001', TDUS, rater '2'\): image not found"),
        ("empty mask", r"row 2 .*mask is empty"),
        ("size mismatch", r"row 2 .*mask size 10x12 differs from image size 64x48"),
        ("non-binary mask", r"row 2 .*mask is not binary"),
        ("unreadable image", r"row 2 .*image is not a readable"),
        ("duplicate", r"row 2 .*duplicates row 1"),
        ("unknown modality", r"row 2 .*unknown modality 'MRI'"),
    ],
)
def test_bad_input_names_the_row_and_leaves_no_file(tmp_path, image_set, case, message):
    base = image_set.parent
    frame = pd.read_csv(image_set, dtype=str)
    mask2 = base / frame.loc[1, "mask"]
    if case == "missing image":
        _rewrite_manifest(
            image_set, lambda f: f.__setitem__("image", f["image"].where(f.index != 1, "gone.png"))
        )
    elif case == "empty mask":
        write_mask(mask2, np.zeros((48, 64), bool))
    elif case == "size mismatch":
        write_mask(mask2, np.ones((12, 10), bool))
    elif case == "non-binary mask":
        from PIL import Image

        Image.fromarray(np.arange(48 * 64, dtype=np.uint16).reshape(48, 64) % 3).save(mask2)
    elif case == "unreadable image":
        (base / "junk.png").write_bytes(b"junk")
        _rewrite_manifest(
            image_set, lambda f: f.__setitem__("image", f["image"].where(f.index != 1, "junk.png"))
        )
    elif case == "duplicate":
        _rewrite_manifest(
            image_set, lambda f: f.__setitem__("rater", f["rater"].where(f.index != 1, "1"))
        )
    elif case == "unknown modality":
        _rewrite_manifest(
            image_set, lambda f: f.__setitem__("modality", f["modality"].where(f.index != 1, "MRI"))
        )
    out = tmp_path / "out.parquet"
    out.write_bytes(b"previous run")  # an older output is left untouched
    with pytest.raises(InputError, match=message):
        _run(image_set, out, tmp_path / "cache", modalities=("TDUS", "CDUS"))
    assert out.read_bytes() == b"previous run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "set"]


def test_write_failure_leaves_no_partial_file(tmp_path, image_set, monkeypatch):
    import pyarrow.parquet as pq

    def boom(table, where, **kw):
        with open(where, "wb") as fh:
            fh.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", boom)
    out = tmp_path / "o.parquet"
    with pytest.raises(OSError, match="disk full"):
        _run(image_set, out, tmp_path / "cache")
    assert not out.exists() and not list(tmp_path.glob(".o.parquet*"))


def test_extract_argument_errors(tmp_path, image_set):
    with pytest.raises(InputError, match="'batch_size'"):
        _run(image_set, tmp_path / "o.parquet", tmp_path / "c", batch_size=0)
    if not torch.cuda.is_available():
        with pytest.raises(InputError, match="CUDA is not available"):
            _run(image_set, tmp_path / "o.parquet", tmp_path / "c", device="cuda")
    with pytest.raises(InputError, match="'device'"):
        _run(image_set, tmp_path / "o.parquet", tmp_path / "c", device="tpu")


def test_extract_features_returns_path_and_cli(tmp_path, image_set, capsys):
    from cetrus.cli import main

    out = extract_features(
        image_set,
        tmp_path / "a.parquet",
        weights="none",
        size=SIZE,
        cache_dir=tmp_path / "c",
        batch_size=8,
    )
    assert out == tmp_path / "a.parquet" and out.is_file()
    rc = main(
        [
            "extract",
            str(image_set),
            "--out",
            str(tmp_path / "b.parquet"),
            "--weights",
            "none",
            "--size",
            str(SIZE),
            "--cache-dir",
            str(tmp_path / "c"),
            "--no-progress",
        ]
    )
    assert rc == 0
    report = json.loads(capsys.readouterr().out)
    assert (
        report["n_rows"] == 8 and report["n_cached"] == 8 and report["weights"]["kind"] == "random"
    )
    rc = main(
        [
            "extract",
            str(tmp_path / "nope.csv"),
            "--out",
            str(tmp_path / "x.parquet"),
            "--weights",
            "none",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("cetrus: error: manifest not found") and err.count("\n") == 1


def test_cli_extract_bad_row_is_one_line_exit_2(tmp_path, image_set):
    import subprocess
    import sys

    _rewrite_manifest(
        image_set, lambda f: f.__setitem__("modality", f["modality"].where(f.index != 2, "MRI"))
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cetrus.cli",
            "extract",
            str(image_set),
            "--out",
            str(tmp_path / "o.parquet"),
            "--weights",
            "none",
            "--modalities",
            "TDUS,CDUS",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CETRUS_CACHE_DIR": str(tmp_path / "c")},
    )
    assert proc.returncode == 2
    assert (
        proc.stderr.count("\n") == 1 and "row 3" in proc.stderr and "Traceback" not in proc.stderr
    )
    assert not (tmp_path / "o.parquet").exists()
