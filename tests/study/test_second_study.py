"""A second study unlike the replica, end to end, as a new user runs it: `cetrus init`, the
study's own files (other modality names, PNG and RGB DICOM images, PNG and NIfTI masks,
3-level categorical variables, missing values, a 70:30 split over 5 seeds), then
`cetrus paper --config`. The rendered manuscript must name this study and none of the
paper's specifics; its validation report must show every R check passing."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from cetrus.cli import main
from tests.study.second_study import make_second_study

#: the paper's specifics, which must not leak into another study's manuscript
PAPER_WORDS = (
    "CETRUS",
    "Xia",
    "TDUS",
    "CDUS",
    "CEUS",
    "8:2",
    "878",
    "rectal",
    "distant metastasis",
    "replica cohort",
)


def _plain(docx: Path) -> str:
    from cetrus.report.render import _pandoc

    return subprocess.run(
        [_pandoc(), "-t", "plain", "--wrap=none", str(docx)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("second-study")
    assert main(["init", str(root)]) == 0
    make_second_study(root, n_patients=80, images=True, image_size=64)
    from cetrus import rbridge

    validate = rbridge.available()[0]
    args = ["paper", "--config", str(root / "study.toml")] + ([] if validate else ["--no-validate"])
    assert main(args) == 0
    return root, validate


@pytest.mark.slow
def test_manuscript_names_this_study_only(rendered):
    root, _ = rendered
    out = root / "_output"
    text = _plain(out / "manuscript.docx")
    html = (out / "manuscript.html").read_text()
    for word in (
        "BMODE",
        "PDUS",
        "G1",
        "G2",
        "G3",
        "low",
        "mid",
        "high",
        "70:30",
        "excluded because of missing values",
        "Relapse",
        "r1",
        "r2",
        "SYNTHETIC",
    ):
        assert word in text, word
    for word in PAPER_WORDS:
        assert word not in text, word
        assert word not in re.sub(r"<[^>]+>", " ", html), word
    results = json.loads((root / "results" / "results.json").read_text())
    assert results["missing"]["excluded"] == 4 and results["cohort"]["n"] == 76
    assert results["cohort"]["test_fraction"] == 0.3
    assert set(results["selection"]) == {"BMODE", "PDUS"}
    assert set(results["icc"]) == {"BMODE", "PDUS"}
    # every modality against every other (and the clinical/integrated models when present)
    pairs = {(p["model_a"], p["model_b"]) for p in results["comparisons"]["test"]}
    assert ("BMODE", "PDUS") in pairs
    # Table 2: the 3-level variables get one likelihood-ratio P each and R's dummy names
    assert set(results["table2"]["whole_variable_p"]) == {"grade", "site"}
    terms = {t["term"] for u in results["table2"]["univariate"] for t in u["terms"]}
    assert {"gradeG2", "gradeG3", "sitemid", "sitehigh", "sexM"} <= terms


@pytest.mark.slow
def test_validation_report_shows_every_check_passing(rendered):
    root, validate = rendered
    html = (root / "_output" / "validation.html").read_text()
    if not validate:
        assert "Not validated yet" in html
        return
    import pandas as pd

    parity = pd.read_csv(root / "results" / "parity.csv")
    assert len(parity) > 50 and parity["pass"].astype(bool).all(), (
        parity.loc[~parity["pass"].astype(bool)].head().to_string()
    )
    assert "0 failed" in html


@pytest.mark.slow
def test_flow_and_example_rois_come_from_this_study(rendered):
    """The flow of participants counts this study's exclusions and split; the example ROIs
    show one analysed case and one control of its first imaged modality, both raters."""
    root, _ = rendered
    results = json.loads((root / "results" / "results.json").read_text())
    figs = results["figures"]
    assert "flow.png" in figs["flow"] and "example_rois.png" in figs["example_rois"]
    assert results["example_rois"] == {"modality": "BMODE", "n": 2}
    html = (root / "_output" / "manuscript.html").read_text()
    assert 'id="fig-flow"' in html and 'id="fig-rois"' in html
    text = _plain(root / "_output" / "manuscript.docx")
    assert "Flow of participants" in text and "with each rater’s contour" in text.replace("'", "’")
