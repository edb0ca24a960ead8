"""The audit's building blocks against naive references, frozen R values and hostile input."""

from __future__ import annotations

import copy
import itertools
import json
from fractions import Fraction

import _gen
import numpy as np
import pytest

from cetrus.audit.auc import delong_var_max, hanley_mcneil_var
from cetrus.audit.confusion import matrices
from cetrus.audit.findings import Finding, r_num, r_vec, rank
from cetrus.audit.rounding import Printed, largest_remainder, round_rule
from cetrus.audit.table1 import p_variants


def test_printed_interval_is_closed_and_exact():
    p = Printed(0.1, 1)  # 0.05 .. 0.15, exactly
    assert (
        p.allows(Fraction(1, 20))
        and p.allows(Fraction(3, 20))
        and not p.allows(Fraction(151, 1000))
    )
    assert Printed(0.001, 3, "<").allows(0.0) and not Printed(0.001, 3, "<").allows(0.0011)
    assert Printed(53.41, 2).text == "53.41" and Printed(0.001, 3, "<").text == "<0.001"


def test_rounding_rules():
    q = Fraction(5, 2)  # 2.5
    assert round_rule(q, 0, "half_up") == 3 and round_rule(q, 0, "half_even") == 2
    assert round_rule(Fraction(2999, 1000), 2, "truncate") == Fraction(299, 100)
    # 84, 38, 469, 287 of 878: largest remainder gives 9.57, 4.33, 53.41, 32.69 (sum 100.00)
    lr = largest_remainder([Fraction(100 * c, 878) for c in (84, 38, 469, 287)], 2)
    assert [float(x) for x in lr] == [9.57, 4.33, 53.41, 32.69]
    assert round_rule(Fraction(100 * 469, 878), 2, "half_up") == Fraction(5342, 100)


def _naive_matrices(p, n, printed):
    out = []
    for tp, tn in itertools.product(range(p + 1), range(n + 1)):
        fn, fp = p - tp, n - tn
        vals = {
            "sensitivity": tp / p,
            "specificity": tn / n,
            "accuracy": (tp + tn) / (p + n),
            "ppv": tp / (tp + fp) if tp + fp else None,
            "npv": tn / (tn + fn) if tn + fn else None,
        }
        if all(
            vals[k] is not None and abs(vals[k] - v.value) <= 0.5 * 10**-v.decimals + 1e-12
            for k, v in printed.items()
        ):
            out.append((tp, fn, tn, fp))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_matrices_equal_a_brute_force_search(seed):
    rng = np.random.default_rng(seed)
    p, n = int(rng.integers(3, 40)), int(rng.integers(3, 60))
    tp, tn = int(rng.integers(1, p)), int(rng.integers(1, n))
    d = int(rng.choice([2, 3]))
    metrics = {
        "sensitivity": tp / p,
        "specificity": tn / n,
        "accuracy": (tp + tn) / (p + n),
        "ppv": tp / (tp + n - tn),
        "npv": tn / (tn + p - tp),
    }
    keep = rng.choice(list(metrics), size=int(rng.integers(2, 6)), replace=False)
    printed = {k: Printed(_gen.pr(metrics[k], d), d) for k in keep}
    fast = matrices(p, n, printed)
    assert (tp, p - tp, tn, n - tn) in fast
    assert fast == _naive_matrices(p, n, printed)


def test_paper_ceus_test_matrix():
    printed = {
        k: Printed(v, 3)
        for k, v in dict(
            accuracy=0.727, sensitivity=0.667, specificity=0.737, ppv=0.286, npv=0.933
        ).items()
    }
    assert matrices(24, 152, printed) == [(16, 8, 112, 40)]
    assert matrices(25, 152, printed) == []


def test_hanley_mcneil_and_binomial_against_frozen_r():
    # R: A <- 0.74; P <- 24; N <- 152; Q1 <- A/(2-A); Q2 <- 2*A^2/(1+A)
    #    (A*(1-A) + (P-1)*(Q1-A^2) + (N-1)*(Q2-A^2))/(P*N)
    assert hanley_mcneil_var(0.74, 24, 152) == pytest.approx(0.0036900095665408756, abs=1e-15)
    # R: binom.test(16, 24)$conf.int
    from cetrus.stats.roc import clopper_pearson

    assert clopper_pearson(16, 24) == pytest.approx(
        (0.44678038434035194, 0.84369771429086471), abs=1e-12
    )
    assert delong_var_max(0.74, 24, 152) > hanley_mcneil_var(0.74, 24, 152)


def test_p_variants_against_frozen_r():
    # R: tab <- matrix(c(84, 469, 38, 287), nrow = 2, byrow = TRUE)
    #    c(chisq.test(tab)$p.value, chisq.test(tab, correct = FALSE)$p.value, fisher.test(tab)$p.value)
    ps = p_variants(np.array([[84, 469], [38, 287]], float))
    assert ps["chisq_yates"] == pytest.approx(0.17841224252046706, abs=1e-12)
    assert ps["chisq_uncorrected"] == pytest.approx(0.14798274355407798, abs=1e-12)
    assert ps["fisher"] == pytest.approx(0.15811175936951319, abs=1e-12)


def test_r_code_takes_numbers_only():
    assert r_num(3) == "3" and r_num(0.1) == "0.1" and r_num(float("nan")) == "NA"
    assert r_vec([1, 2.5]) == "c(1, 2.5)"
    for bad in ("1); system('x')", True, None, [1]):
        with pytest.raises((TypeError, ValueError)):
            r_num(bad)


def test_findings_rank_by_severity_then_verdict():
    mk = lambda sev, ver: Finding("x", "t", ver, sev, "r", "m", "d")  # noqa: E731
    ranked = rank(
        [
            mk("info", "consistent"),
            mk("high", "cannot tell"),
            mk("high", "inconsistent"),
            mk("low", "inconsistent"),
        ]
    )
    assert [(f.severity, f.verdict) for f in ranked] == [
        ("high", "inconsistent"),
        ("high", "cannot tell"),
        ("low", "inconsistent"),
        ("info", "consistent"),
    ]
    with pytest.raises(ValueError):
        mk("urgent", "consistent")


HOSTILE = '<script>alert(1)</script>"); system("touch /tmp/pwned'


def test_hostile_labels_are_escaped_and_never_reach_r(tmp_path):
    from cetrus.audit import FINDINGS_JSON, REPORT_HTML, run_audit

    doc = _gen.simulate(1, declare_split=True)
    doc = copy.deepcopy(doc)
    doc["meta"]["title"] = HOSTILE
    cat = doc["table1"]["categorical"]
    cat[HOSTILE] = cat.pop("Sex")
    doc["table2"]["univariate"][HOSTILE] = doc["table2"]["univariate"].pop("Sex")
    doc["performance"]["test"][HOSTILE] = doc["performance"]["test"].pop("ModelA")
    path = _gen.write(
        doc, tmp_path / "p", sentences=[f"{HOSTILE} had an AUC of 0.5 in the test cohort."]
    )
    out = run_audit(path, tmp_path / "out")
    html = (out / REPORT_HTML).read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    findings = json.loads((out / FINDINGS_JSON).read_text())["findings"]
    assert any(HOSTILE in c for f in findings for c in f["cells"])  # the cells still name it
    for f in findings:
        assert (
            "script" not in f["r_code"]
            and "system" not in f["r_code"]
            and "touch" not in f["r_code"]
        )
