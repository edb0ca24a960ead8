"""The replica cohort: exact Table 1 counts and quartiles, determinism, ICC targets, labels."""

from __future__ import annotations

import json

import numpy as np
import pyarrow.parquet as pq
import pytest

from cetrus._fs import MARKER
from cetrus.cli import main
from cetrus.errors import InputError
from cetrus.study import published as pub
from cetrus.study.replica import (
    CLINICAL,
    LABEL,
    MODALITIES,
    N_FEATURES,
    make_replica,
    write_replica,
)


@pytest.fixture(scope="module")
def rep():
    return make_replica(0)


@pytest.fixture(scope="module")
def published():
    return pub.load()


def test_size_and_outcome(rep, published):
    c = rep.clinical
    assert len(c) == published.n_patients == 878
    assert c["metastasis"].sum() == published.n_metastasis == 122
    assert (c[LABEL.lower()] == 1).all()


def test_table1_counts_exact(rep, published):
    c = rep.clinical
    for col, (name, kind, *_rest) in CLINICAL.items():
        if kind != "categorical":
            continue
        row = published.categorical[name]
        for group, y in (("metastasis", 1), ("non_metastasis", 0)):
            counts = c.loc[c["metastasis"] == y, col].value_counts()
            assert [int(counts.get(level, 0)) for level in row["levels"]] == row[group], (
                name,
                group,
            )


def test_males_with_metastasis_is_84(rep):
    c = rep.clinical
    assert int(((c["sex"] == "Male") & (c["metastasis"] == 1)).sum()) == 84


def test_table1_quartiles_within_2_percent(rep, published):
    c = rep.clinical
    for col, (name, kind, *_rest) in CLINICAL.items():
        if kind != "continuous":
            continue
        for group, y in (("metastasis", 1), ("non_metastasis", 0)):
            x = c.loc[c["metastasis"] == y, col].astype(float).to_numpy()
            median, q1, q3 = published.continuous[name][group]
            got = np.quantile(x, [0.5, 0.25, 0.75])  # type 7, as R's quantile()
            for g, want in zip(got, (median, q1, q3)):
                assert abs(g - want) <= 0.02 * abs(want) + 1e-12, (name, group, g, want)


def test_deterministic_by_seed(rep):
    again = make_replica(0)
    assert again.clinical.equals(rep.clinical)
    for key in rep.features:
        assert again.features[key].equals(rep.features[key])
    other = make_replica(1)
    assert not other.clinical.equals(rep.clinical)
    assert not np.array_equal(
        other.features[("CEUS", 1)].iloc[:, 1:].to_numpy(),
        rep.features[("CEUS", 1)].iloc[:, 1:].to_numpy(),
    )


def test_features_are_densenet_like(rep):
    for m in MODALITIES:
        for r in (1, 2):
            f = rep.features[(m, r)]
            x = f.drop(columns="patient_id").to_numpy()
            assert x.shape == (878, N_FEATURES) and x.dtype == np.float32
            assert (x >= 0).all()
            assert list(f["patient_id"]) == list(rep.clinical["patient_id"])
    # correlated in blocks: neighbours within a block correlate, across blocks they do not
    x = rep.features[("TDUS", 1)].iloc[:, 1:].to_numpy(dtype=float)
    within = np.corrcoef(x[:, 0], x[:, 1])[0, 1]
    across = np.corrcoef(x[:, 0], x[:, 40])[0, 1]
    assert within > 0.3 and abs(across) < 0.2


def test_mean_icc_near_the_paper(rep, published):
    from cetrus.stats.reliability import icc_many

    for m in MODALITIES:
        ratings = np.stack(
            [
                rep.features[(m, 1)].iloc[:, 1:].to_numpy(float),
                rep.features[(m, 2)].iloc[:, 1:].to_numpy(float),
            ],
            axis=1,
        )
        mean = float(np.nanmean(icc_many(ratings).estimate["ICC2"]))
        assert abs(mean - published.mean_icc[m]) < 0.01, (m, mean)


def test_planted_signal_ceus_strongest(rep):
    from cetrus.stats.groups import mann_whitney

    y = rep.clinical["metastasis"].to_numpy() == 1
    n_sig = {}
    for m in MODALITIES:
        x = rep.features[(m, 1)].iloc[:, 1:].to_numpy(float)
        p = np.asarray(mann_whitney(x[y], x[~y]).pvalue)
        n_sig[m] = int((p < 0.001).sum())
    assert n_sig["CEUS"] > n_sig["CDUS"]


def test_written_folder_is_labelled_synthetic(tmp_path):
    out = write_replica(tmp_path / "rep", 2)
    names = sorted(p.name for p in out.iterdir() if p.name != MARKER)  # MARKER: cetrus wrote it
    assert (out / MARKER).read_text().split()[0] == "replica"
    assert all(n.startswith(LABEL) for n in names), names
    assert len([n for n in names if n.endswith(".parquet")]) == 6
    assert "not patient data" in (out / f"{LABEL}_README.md").read_text()
    meta = json.loads(
        pq.read_schema(out / f"{LABEL}_features_CEUS_rater2.parquet").metadata[b"cetrus"]
    )
    assert meta["synthetic"] is True and meta["rater"] == 2
    manifest = json.loads((out / f"{LABEL}_manifest.json").read_text())
    assert manifest["seed"] == 2 and manifest["label"] == LABEL
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_bad_seed():
    with pytest.raises(InputError, match="seed"):
        make_replica(-1)


def test_cli(tmp_path, capsys):
    assert main(["replica", "--out", str(tmp_path / "r"), "--seed", "4"]) == 0
    assert json.loads(capsys.readouterr().out)["synthetic"] is True
    (tmp_path / "file").write_text("x")
    assert main(["replica", "--out", str(tmp_path / "file")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a folder" in err[0]
