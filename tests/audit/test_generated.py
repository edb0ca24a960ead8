"""Simulated papers: consistent ones raise nothing; each deliberate error is flagged.

Every simulated paper is a real analysis of a seeded random cohort, printed at its
decimals (tests/audit/_gen.py). A deliberate error changes one printed cell the way a
typo, a copy-paste or an undisclosed subset would.
"""

from __future__ import annotations

import copy

import _gen
import pytest

SEEDS = [0, 1, 2, 3, 5, 8, 13]


def flagged(findings, check=None):
    return [
        f for f in findings if f.verdict == "inconsistent" and (check is None or f.check == check)
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_consistent_tables_flag_nothing(seed, audit_doc):
    doc = _gen.simulate(seed)
    findings = audit_doc(doc, _gen.statements(doc))
    assert not flagged(findings), [(f.check, f.title, f.detail) for f in flagged(findings)]
    assert not [f for f in findings if f.severity in ("high", "medium")]
    checks = {f.check for f in findings}
    # every family of checks ran and said something
    assert {
        "percentages",
        "categorical_p",
        "or_symmetry",
        "or_pvalue",
        "crude_or",
        "cohort_size",
        "confusion_matrix",
        "auc_ci",
        "median_grid",
        "grim",
        "continuous_p",
        "statement",
    } <= checks


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_consistent_tables_recover_the_truth(seed, audit_doc):
    doc = _gen.simulate(seed, declare_split=False)
    findings = audit_doc(doc)
    # the test variant behind the P values is among those reported for every row
    summary = next(
        f for f in findings if f.check == "categorical_p" and f.title.startswith("Test behind")
    )
    assert doc["truth"]["variant"] in summary.values["variants"]
    # the split sizes, not given in the file, are recovered from the threshold metrics
    split = next(f for f in findings if f.check == "cohort_size" and "combinations" in f.values)
    assert len(split.values["combinations"]) >= 1
    cases = sum(c[0] for c in split.values["combinations"][0])
    assert cases == doc["cohorts"]["all"]["cases"]


def _mutate(seed, fn):
    doc = _gen.simulate(seed, declare_split=True)
    bad = copy.deepcopy(doc)
    fn(bad)
    return doc, bad


def _bump_percent(d):
    row = d["table1"]["categorical"]["Sex"]
    row["percent_event"][0] = round(row["percent_event"][0] + 1.3, 1)


def _bad_pvalue(d):
    row = d["table1"]["categorical"]["Smoker"]
    row.pop("pvalue_bound", None)
    row["pvalue"] = 0.999 if row["pvalue"] < 0.5 else 0.002


def _bad_sensitivity(d):
    row = d["performance"]["test"]["ModelA"]
    row["sensitivity"] = round(
        min(row["sensitivity"] + 0.05, 1.0)
        if row["sensitivity"] < 0.9
        else row["sensitivity"] - 0.05,
        3,
    )


def _asymmetric_or(d):
    row = d["table2"]["univariate"]["Sex"]
    row["or"][2] = round(row["or"][2] * 1.6, 2)


def _bad_or_p(d):
    row = d["table2"]["univariate"]["Smoker"]
    row.pop("pvalue_bound", None)
    row["pvalue"] = 0.001 if row["pvalue"] > 0.2 else 0.9


def _claim_with_ci_over_1(d):
    row = d["table2"]["univariate"]["Sex"]
    row["or"] = [1.1, 0.7, 1.73]
    row.pop("pvalue_bound", None)
    row["pvalue"] = 0.68
    row["significant"] = True


def _crude_or_subset(d):
    row = d["table2"]["univariate"]["Smoker"]
    row["or"] = [round(v * 1.4, 2) for v in row["or"]]
    row.pop("significant", None)
    row.pop("pvalue_bound", None)
    row["pvalue"] = 0.5  # keep the P out of the way of this check (it is flagged separately)


def _wide_auc_ci(d):
    row = d["performance"]["test"]["ModelB"]
    a = row["auc"][0]
    row["auc"] = [a, max(round(a - 0.45, 3), 0.0), min(round(a + 0.45, 3), 1.0)]


def _asymmetric_auc_ci(d):
    row = d["performance"]["training"]["ModelC"]
    a, lo, hi = row["auc"]
    row["auc"] = [a, round(lo - 0.02, 3), round(hi - 0.0, 3)]


def _median_outside(d):
    row = d["table1"]["continuous"]["Age"]
    med, q1, q3 = row["event"]
    row["event"] = [q3 + 5.0, q1, q3]


def _median_off_grid(d):
    row = d["table1"]["continuous"]["Age"]
    row["no_event"][0] = row["no_event"][0] + 0.25


def _bad_t_p(d):
    row = d["table1"]["continuous"]["Score"]
    row.pop("pvalue_bound", None)
    row["pvalue"] = 0.999 if row["pvalue"] < 0.5 else 0.0011


def _more_counted_than_cohort(d):
    row = d["table1"]["categorical"]["Stage"]
    row["event"][0] += 7
    row.pop("percent_event", None)
    row.pop("percent_no_event", None)


MUTATIONS = {
    "percentage off by 1.3 points": (
        _bump_percent,
        "percentages",
        "table1.categorical.Sex.percent_event[0]",
    ),
    "categorical P no variant gives": (
        _bad_pvalue,
        "categorical_p",
        "table1.categorical.Smoker.pvalue",
    ),
    "sensitivity off by 0.05": (
        _bad_sensitivity,
        "confusion_matrix",
        "performance.test.ModelA.sensitivity",
    ),
    "OR CI not log-symmetric": (_asymmetric_or, "or_symmetry", "table2.univariate.Sex.or"),
    "OR P against its CI": (_bad_or_p, "or_pvalue", "table2.univariate.Smoker.pvalue"),
    "significance claimed, CI includes 1": (
        _claim_with_ci_over_1,
        "significance_claim",
        "table2.univariate.Sex.or",
    ),
    "univariate OR from another subset": (
        _crude_or_subset,
        "crude_or",
        "table2.univariate.Smoker.or",
    ),
    "AUC CI too wide for the test cohort": (_wide_auc_ci, "auc_ci", "performance.test.ModelB.auc"),
    "AUC CI not symmetric": (_asymmetric_auc_ci, "auc_ci", "performance.training.ModelC.auc"),
    "median outside its quartiles": (_median_outside, "quartiles", "table1.continuous.Age.event"),
    "median impossible for the n": (
        _median_off_grid,
        "median_grid",
        "table1.continuous.Age.no_event",
    ),
    "t-test P against means and SDs": (_bad_t_p, "continuous_p", "table1.continuous.Score.pvalue"),
    "more patients counted than the cohort has": (
        _more_counted_than_cohort,
        "table1_counts",
        "table1.categorical.Stage.event",
    ),
}


@pytest.mark.parametrize("seed", [0, 4])
@pytest.mark.parametrize("name", list(MUTATIONS))
def test_each_deliberate_error_is_flagged(name, seed, audit_doc):
    fn, check, cell = MUTATIONS[name]
    doc, bad = _mutate(seed, fn)
    assert not flagged(audit_doc(doc), check)  # the unmutated paper is clean for this check
    hits = flagged(audit_doc(bad), check)
    assert hits, f"{name}: no inconsistent {check} finding"
    assert any(cell in c for f in hits for c in f.cells), [f.cells for f in hits]


def test_grim_flags_an_impossible_mean(audit_doc):
    # 30 cases: a mean of integers is a multiple of 1/30; x.x15 cannot be one
    doc = _gen.simulate(7, n=150, prevalence=0.2, declare_split=True)
    n_cases = doc["cohorts"]["all"]["cases"]
    assert n_cases < 100
    bad = copy.deepcopy(doc)
    mean = bad["table1"]["continuous"]["Score"]["event"][0]
    candidates = [round(mean + k / 100, 2) for k in range(-20, 21)]
    impossible = next(
        m
        for m in candidates
        if not any(
            abs(m - j / n_cases) <= 0.005 for j in range(int(m * n_cases) - 2, int(m * n_cases) + 3)
        )
    )
    bad["table1"]["continuous"]["Score"]["event"][0] = impossible
    bad["table1"]["continuous"]["Score"]["pvalue"] = 0.5
    assert not flagged(audit_doc(doc), "grim")
    hits = flagged(audit_doc(bad), "grim")
    assert hits and hits[0].severity == "high"


def test_wrong_statement_is_flagged(audit_doc):
    doc = _gen.simulate(2, declare_split=True)
    auc = doc["performance"]["training"]["ModelA"]["auc"][0]
    wrong = round(auc + 0.011, 3)
    sentences = [
        f"Model A reached an AUC of {wrong:.3f} in the training cohort.",
        "The groups differed in sex (P < 0.05)."
        if doc["table1"]["categorical"]["Sex"]["pvalue"] > 0.06
        else "The groups did not differ in sex (P > 0.05).",
    ]
    findings = audit_doc(doc, sentences)
    hits = flagged(findings, "statement")
    assert len(hits) == 2, [(f.title, f.detail) for f in findings if f.check == "statement"]


def test_unreconcilable_cohort_is_flagged(audit_doc):
    doc = _gen.simulate(3, declare_split=True)
    bad = copy.deepcopy(doc)
    bad["cohorts"]["test"]["cases"] += 1  # the declared size no longer gives the printed metrics
    bad["cohorts"]["test"]["n"] += 1
    hits = flagged(audit_doc(bad), "cohort_size")
    assert any("cohorts.test" in c or "performance.test" in c for f in hits for c in f.cells)


@pytest.mark.r
def test_r_snippets_of_broken_papers_run(r, audit_doc):
    """R code of every kind of finding (clean and flagged) is valid R (live R)."""
    doc, bad = _mutate(4, lambda d: [fn(d) for fn, _, _ in MUTATIONS.values()])
    findings = audit_doc(bad, _gen.statements(doc)) + audit_doc(doc, _gen.statements(doc))
    kinds = {f.check for f in findings if f.r_code}
    assert {
        "grim",
        "median_grid",
        "continuous_p",
        "crude_or",
        "auc_ci",
        "confusion_matrix",
    } <= kinds
    for f in findings:
        if f.r_code:
            r.r_eval("invisible(capture.output(local({" + f.r_code + "\n})))")
