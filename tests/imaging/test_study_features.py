"""A study's features from one manifest (any modality and rater names), and from `cetrus extract`'s
long table; batch-size independence of the extracted values; errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from cetrus.errors import InputError  # noqa: E402
from cetrus.imaging import extract as extract_module  # noqa: E402
from cetrus.imaging import read_features, split_feature_table, study_features  # noqa: E402
from tests.study.second_study import make_second_study  # noqa: E402

SIZE = 64  # network input; DenseNet201 at 224 is ~8 ROIs/s on 2 cores
N = 12


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("second")
    make_second_study(root, n_patients=N, seed=5)
    return root


@pytest.fixture(scope="module")
def extracted(study, tmp_path_factory):
    """One cold extraction of the whole study (module cache), and what it logged."""
    cache = tmp_path_factory.mktemp("cache")
    messages: list[str] = []
    features = study_features(
        study / "manifest.csv",
        ["BMODE", "PDUS"],
        weights="none",
        size=SIZE,
        cache_dir=cache,
        progress=False,
        log=messages.append,
    )
    return features, messages, cache


def _subset_manifest(study, tmp_path, n_patients=3, modality="BMODE"):
    """The first patients' rows of one modality, absolute paths."""
    frame = pd.read_csv(study / "manifest.csv", dtype=str)
    frame = frame[frame["modality"] == modality]
    frame = frame[frame["patient_id"].isin(frame["patient_id"].unique()[:n_patients])]
    frame["image"] = [str(study / p) for p in frame["image"]]
    frame["mask"] = [str(study / p) for p in frame["mask"]]
    path = tmp_path / "manifest.csv"
    frame.to_csv(path, index=False)
    return path


def test_shapes_raters_and_patient_order(study, extracted):
    features, messages, _ = extracted
    clinical = pd.read_csv(study / "clinical.csv", dtype={"pid": str})
    assert list(features) == ["BMODE", "PDUS"]
    for modality in ("BMODE", "PDUS"):
        assert list(features[modality]) == ["r1", "r2"]
        for table in features[modality].values():
            assert table.shape == (N, 1 + 1920)
            assert table.columns[0] == "patient_id" and table.columns[1] == "f0000"
            assert table.columns[-1] == "f1919"
            assert table["patient_id"].tolist() == clinical["pid"].tolist()  # manifest order
            assert all(isinstance(p, str) for p in table["patient_id"])
            values = table.iloc[:, 1:].to_numpy()
            assert values.dtype == np.float64 and np.isfinite(values).all()
        # two raters' outlines differ slightly: close but not identical features
        r1, r2 = (features[modality][r].iloc[:, 1:].to_numpy() for r in ("r1", "r2"))
        assert not np.array_equal(r1, r2)
    # grey PNG B-mode and RGB DICOM power Doppler give different features
    assert not np.array_equal(
        features["BMODE"]["r1"].iloc[:, 1:].to_numpy(),
        features["PDUS"]["r1"].iloc[:, 1:].to_numpy(),
    )
    assert messages[0] == f"extraction: {4 * N} ROIs in manifest.csv (BMODE {2 * N}, PDUS {2 * N})"
    assert messages[1].startswith(
        f"extraction: 0 ROIs from the cache, {4 * N} extracted (random weights, cpu)"
    )


def test_second_run_comes_from_the_cache(study, extracted, monkeypatch):
    features, _, cache = extracted

    def no_network(*args, **kwargs):
        raise AssertionError("the network ran although every ROI is cached")

    monkeypatch.setattr(extract_module, "_run_network", no_network)
    messages: list[str] = []
    again = study_features(
        study / "manifest.csv",
        ["PDUS", "BMODE"],
        weights="none",
        size=SIZE,
        cache_dir=cache,
        progress=False,
        log=messages.append,
    )
    assert messages[1].startswith(f"extraction: {4 * N} ROIs from the cache, 0 extracted")
    assert list(again) == ["PDUS", "BMODE"]  # the order asked for
    for modality in ("BMODE", "PDUS"):
        for rater in ("r1", "r2"):
            pd.testing.assert_frame_equal(again[modality][rater], features[modality][rater])


def test_values_do_not_depend_on_batch_size_or_cache_history(study, tmp_path, extracted):
    """Bit-identical features for batch sizes 1 and 16 and for a half-cached run.

    The reference is the module's extraction (batch size 16, 48 ROIs); here 2 patients'
    B-mode ROIs (4) run again alone and in other batches with other companions.
    """
    features, _, _ = extracted
    manifest = _subset_manifest(study, tmp_path, n_patients=2)
    reference = {r: t.iloc[:2].reset_index(drop=True) for r, t in features["BMODE"].items()}
    got = study_features(
        manifest,
        ["BMODE"],
        weights="none",
        size=SIZE,
        batch_size=1,
        cache_dir=tmp_path / "cache1",
        progress=False,
    )["BMODE"]
    for rater in ("r1", "r2"):
        pd.testing.assert_frame_equal(got[rater], reference[rater], check_exact=True)
    # half the ROIs cached beforehand (rater r1 alone: one batch of 2), the other half
    # extracted afterwards (one batch of 2 other companions)
    frame = pd.read_csv(manifest, dtype=str)
    half = tmp_path / "half.csv"
    frame[frame["rater"] == "r1"].to_csv(half, index=False)
    study_features(
        half,
        ["BMODE"],
        weights="none",
        size=SIZE,
        batch_size=2,
        cache_dir=tmp_path / "mixed",
        progress=False,
    )
    messages: list[str] = []
    got = study_features(
        manifest,
        ["BMODE"],
        weights="none",
        size=SIZE,
        batch_size=5,
        cache_dir=tmp_path / "mixed",
        progress=False,
        log=messages.append,
    )["BMODE"]
    assert messages[1].startswith("extraction: 2 ROIs from the cache, 2 extracted")
    for rater in ("r1", "r2"):
        pd.testing.assert_frame_equal(got[rater], reference[rater], check_exact=True)


def test_cli_long_table_split_equals_study_features(study, extracted, tmp_path):
    from cetrus.cli import main

    features, _, cache = extracted
    out = tmp_path / "all.parquet"
    # default --modalities any: BMODE/PDUS are accepted
    assert (
        main(
            [
                "extract",
                str(study / "manifest.csv"),
                "--out",
                str(out),
                "--weights",
                "none",
                "--size",
                str(SIZE),
                "--cache-dir",
                str(cache),
                "--no-progress",
            ]
        )
        == 0
    )
    long, meta = read_features(out)
    assert list(long.columns[:3]) == ["patient_id", "modality", "rater"] and len(long) == 4 * N
    assert meta["weights"]["kind"] == "random"
    for modality in ("BMODE", "PDUS"):
        split = split_feature_table(long, modality, out.name)
        assert list(split) == ["r1", "r2"]
        for rater in ("r1", "r2"):
            pd.testing.assert_frame_equal(split[rater], features[modality][rater], check_exact=True)
    # the same from a CSV whose ids pandas reads as numbers
    small = pd.DataFrame(
        {
            "patient_id": [7, 8, 7, 8],
            "modality": ["M"] * 4,
            "rater": ["a", "a", "b", "b"],
            "f0000": [1.0, 2.0, 3.0, 4.0],
        }
    )
    small.to_csv(tmp_path / "small.csv", index=False)
    split = split_feature_table(pd.read_csv(tmp_path / "small.csv"), "M", "small.csv")
    assert split["b"]["patient_id"].tolist() == ["7", "8"]
    assert split["b"]["f0000"].tolist() == [3.0, 4.0]


def _rewrite(study, tmp_path, edit):
    frame = pd.read_csv(study / "manifest.csv", dtype=str)
    frame["image"] = [str(study / p) for p in frame["image"]]
    frame["mask"] = [str(study / p) for p in frame["mask"]]
    edit(frame)
    path = tmp_path / "bad_manifest.csv"
    frame.to_csv(path, index=False)
    return path


def test_manifest_errors_name_file_row_and_value(study, tmp_path):
    kw = dict(weights="none", size=SIZE, cache_dir=tmp_path / "c", progress=False)
    with pytest.raises(
        InputError,
        match=r"^manifest\.csv row 3 \(patient 'H2-001', PDUS, rater "
        r"'r1'\): unknown modality 'PDUS' \(allowed: BMODE\)$",
    ):
        study_features(study / "manifest.csv", ["BMODE"], **kw)
    with pytest.raises(
        InputError,
        match=r"manifest\.csv has no row of modality 'CEUS' "
        r"\(its modalities: BMODE, PDUS\)",
    ):
        study_features(study / "manifest.csv", ["BMODE", "PDUS", "CEUS"], **kw)
    dup = _rewrite(
        study, tmp_path, lambda f: f.__setitem__("rater", f["rater"].where(f.index != 1, "r1"))
    )
    with pytest.raises(
        InputError,
        match=r"bad_manifest\.csv row 2 \(patient 'H2-001', BMODE, rater "
        r"'r1'\): duplicates row 1",
    ):
        study_features(dup, ["BMODE", "PDUS"], **kw)
    for bad in ("BMODE", [], ["BMODE", "BMODE"], ["BMODE", ""]):
        with pytest.raises(InputError, match="'modalities' parameter of study_features"):
            study_features(study / "manifest.csv", bad, **kw)
    with pytest.raises(InputError, match="'batch_size'"):
        study_features(study / "manifest.csv", ["BMODE", "PDUS"], **{**kw, "batch_size": 0})
    assert not (tmp_path / "c").exists()  # nothing ran, nothing cached


def test_imagenet_weights_missing_is_one_line_naming_the_file(study, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "th"))
    with pytest.raises(InputError) as err:
        study_features(
            study / "manifest.csv",
            ["BMODE", "PDUS"],
            size=SIZE,
            cache_dir=tmp_path / "c",
            progress=False,
        )
    message = str(err.value)
    assert "\n" not in message
    assert str(tmp_path / "th" / "hub" / "checkpoints" / "densenet201-c1103571.pth") in message


def test_split_feature_table_errors():
    frame = pd.DataFrame(
        {
            "patient_id": ["1", "2", "1"],
            "modality": ["A", "A", "B"],
            "rater": ["x", "x", "x"],
            "f0000": [0.5, 1.5, 2.5],
        }
    )
    with pytest.raises(
        InputError,
        match=r"^all\.parquet has no row of modality 'C' \(its "
        r"modalities: A, B\)$",
    ):
        split_feature_table(frame, "C", "all.parquet")
    with pytest.raises(InputError, match=r"all\.parquet lacks column 'rater'"):
        split_feature_table(frame.drop(columns="rater"), "A", "all.parquet")
    dup = pd.concat([frame, frame.iloc[[1]]])
    with pytest.raises(
        InputError,
        match=r"all\.parquet row 4: patient '2', modality 'A', rater 'x' "
        r"occurs twice",
    ):
        split_feature_table(dup, "A", "all.parquet")
    text = frame.assign(f0000=["0.5", "oops", "2"])
    with pytest.raises(
        InputError,
        match=r"column 'f0000' \(modality 'A', rater 'x', patient '2'\) "
        r"is not numeric: 'oops'",
    ):
        split_feature_table(text, "A", "all.parquet")
    with pytest.raises(InputError, match=r"patient '2'\) has a missing or infinite value"):
        split_feature_table(frame.assign(f0000=[0.5, np.nan, 2.0]), "A", "all.parquet")
    with pytest.raises(InputError, match="no feature columns"):
        split_feature_table(frame.drop(columns="f0000"), "A", "all.parquet")
    out = split_feature_table(frame, "A", "all.parquet")
    assert list(out) == ["x"] and out["x"]["f0000"].tolist() == [0.5, 1.5]


def test_generated_study_is_the_one_described(study):
    clinical = pd.read_csv(study / "clinical.csv", dtype={"pid": str})
    assert list(clinical.columns) == ["pid", "relapse", "age", "size_mm", "grade", "site", "sex"]
    assert set(clinical["relapse"]) == {"yes", "no"}
    assert round(0.35 * N) == (clinical["relapse"] == "yes").sum()
    assert clinical[["size_mm", "age"]].isna().sum().tolist() == [2, 2]
    assert set(clinical["grade"]) <= {"G1", "G2", "G3"} and set(clinical["sex"]) <= {"F", "M"}
    manifest = pd.read_csv(study / "manifest.csv")
    assert len(manifest) == 4 * N
    assert manifest.loc[manifest["modality"] == "PDUS", "image"].str.endswith(".dcm").all()
    assert manifest.loc[manifest["rater"] == "r2", "mask"].str.endswith(".nii.gz").all()
    import tomllib

    config = tomllib.loads((study / "study.toml").read_text())
    assert set(config["modalities"]) == {"BMODE", "PDUS"}
    assert config["split"] == {"test_fraction": 0.3, "seeds": [0, 1, 2, 3, 4], "reported_seed": 0}
    assert config["extraction"]["weights"] == "none" and config["extraction"]["image_size"] == 96
    assert config["study"]["synthetic"] is True and config["models"]["spread"] is True
    assert config["missing"] == {"policy": "complete-case"}
    assert {m["manifest"] for m in config["modalities"].values()} == {"manifest.csv"}
    assert "published" not in config and "replica" not in config
    assert json.dumps(config["outcome"]["positive"]) == '"yes"'


def test_generated_study_without_images_has_per_rater_tables(tmp_path):
    import tomllib

    path = make_second_study(tmp_path, n_patients=20, images=False, n_missing=3)
    config = tomllib.loads(path.read_text())
    tables = config["modalities"]["PDUS"]["features"]
    assert tables == {"r1": "features/PDUS_r1.parquet", "r2": "features/PDUS_r2.csv"}
    r1 = pd.read_parquet(tmp_path / tables["r1"])
    r2 = pd.read_csv(tmp_path / tables["r2"], dtype={"pid": str})
    assert r1.shape == r2.shape == (20, 41) and r1["pid"].tolist() == r2["pid"].tolist()
    assert not (tmp_path / "manifest.csv").exists()
    clinical = pd.read_csv(tmp_path / "clinical.csv")
    assert clinical[["size_mm", "age"]].isna().sum().tolist() == [2, 1]
    with pytest.raises(ValueError, match="n_patients"):
        make_second_study(tmp_path / "x", n_patients=5)
