"""The paper's own published numbers, audited: the facts a statistician finds by hand."""

from __future__ import annotations

import json

import pytest

from cetrus.audit import FINDINGS_JSON, REPORT_HTML, audit, run_audit
from cetrus.study.published import load


@pytest.fixture(scope="module")
def findings():
    return audit(load())


def one(findings, check, title_part):
    hits = [f for f in findings if f.check == check and title_part in f.title]
    assert len(hits) == 1, [f.title for f in findings if f.check == check]
    return hits[0]


def test_table1_p_values_are_chi_square_without_correction(findings):
    f = one(findings, "categorical_p", "Test behind")
    assert f.values["variants"] == ["chisq_uncorrected"]
    assert f.severity == "low"  # R's chisq.test default would not reproduce them
    sex = one(findings, "categorical_p", "Sex")
    # chisq.test(matrix(c(84, 38, 469, 287), 2))$p.value (Yates) = 0.1784; correct = FALSE: 0.1480
    assert sex.values["chisq_yates"] == pytest.approx(0.1784, abs=5e-5)
    assert sex.values["chisq_uncorrected"] == pytest.approx(0.1480, abs=5e-5)


def test_cohort_sizes_reconcile_tables_3_and_4(findings):
    training = one(findings, "cohort_size", "Training cohort")
    assert training.values["sizes"] == [[98, 604]]
    split = one(findings, "cohort_size", "reconcile")
    assert split.values["combinations"] == [[[98, 604], [24, 152]]]
    test = one(findings, "cohort_size", "Test cohort")
    assert [24, 152] in test.values["sizes"] and test.values["n_sizes"] > 1  # alone, not unique


def test_ceus_and_integrated_share_a_test_matrix(findings):
    f = one(findings, "shared_matrix", "Test cohort")
    assert sorted(f.values["models"]) == ["CEUS", "Integrated"]
    assert f.values["matrix"] == [16, 8, 112, 40]
    assert not [x for x in findings if x.check == "shared_matrix" and "Training" in x.title]
    assert all(x.verdict == "consistent" for x in findings if x.check == "confusion_matrix")


def test_sex_percentage_needs_adjusted_rounding(findings):
    f = one(findings, "percentages", "Sex")
    assert f.cells == ("table1.categorical.Sex.percent_non_metastasis[0]",)
    assert "469/878" in f.detail and "53.42" in f.detail
    assert one(findings, "percentages", "not of each group").values["denominator"] == "table"


def test_table2_does_not_match_table1_counts(findings):
    for var in ("Sex", "Smoking", "Drinking"):
        f = one(findings, "crude_or", var)
        assert f.verdict == "inconsistent"
    drinking = one(findings, "crude_or", "Drinking")
    # (46 * 527) / (76 * 229) = 1.393; the printed CI implies a fit on ~711 patients: training (702)
    assert drinking.values["crude_or"] == pytest.approx(46 * 527 / (76 * 229))
    assert drinking.values["nearest_cohort"] == "training"
    assert 690 < drinking.values["n_implied"] < 730


def test_significance_claims_rest_on_cis_touching_1(findings):
    claims = [f for f in findings if f.check == "significance_claim"]
    assert {f.cells[0] for f in claims} == {
        "table2.univariate.Drinking.or",
        "table2.univariate.PLT.or",
        "table2.multivariable.Drinking.or",
        "table2.multivariable.PLT.or",
    }
    assert all(f.verdict == "cannot tell" for f in claims)


def test_text_matches_tables(findings):
    statements = [f for f in findings if f.check == "statement"]
    assert len(statements) == 15
    assert all(f.verdict == "consistent" for f in statements), [
        f.detail for f in statements if f.verdict != "consistent"
    ]


def test_run_audit_writes_json_and_html(tmp_path):
    out = run_audit(None or load().path, tmp_path / "audit")
    doc = json.loads((out / FINDINGS_JSON).read_text())
    assert doc["schema"] == "cetrus-audit/1" and doc["summary"]["n"] == len(doc["findings"])
    order = ["high", "medium", "low", "info"]
    ranks = [order.index(f["severity"]) for f in doc["findings"]]
    assert ranks == sorted(ranks)
    html = (out / REPORT_HTML).read_text()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert "chisq.test(tab, correct = FALSE)" in html


@pytest.mark.r
def test_every_r_snippet_runs_in_r(findings, r):
    """The R code of each finding is valid R that runs at R's defaults (live R)."""
    snippets = [f.r_code for f in findings if f.r_code]
    assert len(snippets) > 50
    for code in snippets:
        r.r_eval("invisible(capture.output(local({" + code + "\n})))")
    # and reproduces the headline: chisq.test(correct = FALSE) gives Sex's printed 0.148
    sex = next(f for f in findings if f.check == "categorical_p" and "Sex" in f.title)
    p = r.r_eval(sex.r_code.splitlines()[0] + "\nchisq.test(tab, correct = FALSE)$p.value")
    assert round(float(p), 3) == 0.148
