"""The DOCX a study renders: journal-like styles from the shipped reference document,
table columns sized to their contents, numbers that never break across lines."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cetrus.report.tables import markdown

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "pkg" / "cetrus" / "templates" / "reference.docx"


def test_reference_docx_styles():
    with zipfile.ZipFile(REFERENCE) as z:
        styles = z.read("word/styles.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert 'w:ascii="Times New Roman"' in styles.split("</w:docDefaults>")[0]
    table = re.search(r'<w:style [^>]*w:styleId="Table".*?</w:style>', styles, re.S).group(0)
    assert "<w:tblBorders><w:top" in table and "<w:tcBorders><w:bottom" in table
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
    assert "Arial" in heading and 'w:color w:val="000000"' in heading


def test_the_script_writes_the_shipped_file(tmp_path):
    """scripts/make_reference_docx.py regenerates the committed file from pandoc's default
    (same pandoc, same bytes)."""
    out = tmp_path / "reference.docx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_reference_docx.py"), str(out)],
        check=True,
        capture_output=True,
    )
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(REFERENCE) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml")


def test_columns_are_sized_by_their_longest_token():
    """A column is never narrower than the longest word or number it holds (plus the
    cell's padding): lines break between tokens, never inside a number or a word."""
    frame = pd.DataFrame(
        {
            "Variable": ["Tumour size (mm)", "Sex"],
            "Cases (n = 122)": ["60.00 (52.00, 68.00)", "84 (9.57%)"],
            "AUC": ["0.939 (0.912–0.967)", "NA"],
            "P": ["0.876", "<0.001"],
            "Specificity (95%CI)": ["0.823 (0.790 - 0.852)", "0.5"],
        }
    )
    md = markdown(frame)
    head, sep, *rows = md.splitlines()
    dashes = [len(c) for c in sep.strip("|").split("|")]
    # "Variable"; "(52.00,"; "(0.912–" (breaks after the dash); "<0.001"; "Specificity"
    assert dashes == [
        len("Variable") + 3,
        len("(52.00,") + 3,
        len("(0.912–") + 3,
        len("<0.001") + 3,
        len("Specificity") + 3,
    ]
    assert "60.00 \\(52.00, 68.00\\)" in rows[0]  # the text itself is unchanged


@pytest.mark.slow
def test_rendered_docx_uses_the_styles_and_sized_columns(tmp_path):
    from cetrus.cli import main
    from tests.study.second_study import make_second_study

    study = tmp_path / "study"
    assert main(["init", str(study)]) == 0
    assert (study / "reference.docx").read_bytes() == REFERENCE.read_bytes()
    config = make_second_study(study, n_patients=60, images=False)
    config.write_text(config.read_text().replace("spread = true", "spread = false"))
    assert main(["paper", "--config", str(config), "--no-validate"]) == 0
    with zipfile.ZipFile(study / "_output" / "manuscript.docx") as z:
        styles = z.read("word/styles.xml").decode()
        doc = z.read("word/document.xml").decode()
    assert 'w:ascii="Times New Roman"' in styles and "<w:tblBorders><w:top" in styles
    grids = re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", doc, re.S)
    assert grids
    widths = [[int(w) for w in re.findall(r'w:w="(\d+)"', g)] for g in grids]
    assert any(len(set(w)) > 1 for w in widths)  # columns differ: sized by their contents
