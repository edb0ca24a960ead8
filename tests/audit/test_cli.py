"""``cetrus audit``: output, and one clear line (exit 2) for every kind of bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cetrus.study.published import default_path

PAPER = default_path().read_text(encoding="utf-8")


def test_audit_writes_report(cli, tmp_path):
    code, out, err = cli("audit", default_path(), "--out", tmp_path / "a")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["summary"]["by_verdict"]["inconsistent"] >= 3
    assert (tmp_path / "a" / "findings.json").is_file() and (
        tmp_path / "a" / "audit.html"
    ).is_file()
    assert "findings" in err


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    assert old in PAPER, old
    p = tmp_path / "published.toml"
    p.write_text(PAPER.replace(old, new, 1), encoding="utf-8")
    (tmp_path / "published_statements.txt").write_text("", encoding="utf-8")
    return p


BAD = {
    "percentage over 100": (
        "percent_metastasis = [9.57, 4.33]",
        "percent_metastasis = [109.57, 4.33]",
        r"line \d+: table1\.categorical\.Sex\.percent_metastasis\[0\] = 109\.57 is not a percentage",
    ),
    "CI lower bound above the estimate": (
        "or = [1.56, 1.00, 2.42]",
        "or = [1.56, 1.60, 2.42]",
        r"line \d+: table2\.univariate\.Drinking\.or CI lower bound 1\.6 exceeds",
    ),
    "more cases than patients": (
        "n = 176\ncases = 24",
        "n = 176\ncases = 240",
        r"line \d+: cohorts\.test\.cases = 240 exceeds the cohort's n = 176",
    ),
    "decimals missing": (
        'decimals = 3\nauc_ci = "DeLong"',
        'auc_ci = "DeLong"',
        r"performance: decimals is missing: the number of decimals as printed",
    ),
    "AUC CI upper below the AUC": (
        "auc = [0.740, 0.641, 0.840]",
        "auc = [0.740, 0.641, 0.700]",
        r"line \d+: performance\.test\.CEUS\.auc CI upper bound 0\.7 is below",
    ),
    "unknown cohort": (
        'cohort = "all"\ngroups',
        'cohort = "everyone"\ngroups',
        r"table1\.cohort = 'everyone' is not a cohort",
    ),
    "TOML syntax": ("[cohorts.all]", "[cohorts.all", r"cannot parse published\.toml: .*line \d+"),
    "a P value above 1": (
        "pvalue = 0.148",
        "pvalue = 1.48",
        r"table1\.categorical\.Sex\.pvalue = 1\.48 is not a P value",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_one_line_exit_2(name, cli, tmp_path):
    old, new, pattern = BAD[name]
    path = _variant(tmp_path, old, new)
    out_dir = tmp_path / "out"
    code, out, err = cli("audit", path, "--out", out_dir)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert re.search(pattern, err), err
    assert not out_dir.exists()  # nothing half-written


def test_error_names_the_right_line(cli, tmp_path):
    path = _variant(
        tmp_path, "percent_metastasis = [9.57, 4.33]", "percent_metastasis = [109.57, 4.33]"
    )
    code, _, err = cli("audit", path, "--out", tmp_path / "o")
    line = int(re.search(r"line (\d+)", err).group(1))
    assert "109.57" in path.read_text().splitlines()[line - 1]


def test_missing_file_and_missing_text(cli, tmp_path):
    code, _, err = cli("audit", tmp_path / "nope.toml", "--out", tmp_path / "o")
    assert code == 2 and "nope.toml" in err
    code, _, err = cli(
        "audit", default_path(), "--out", tmp_path / "o", "--text", tmp_path / "none.txt"
    )
    assert code == 2 and "none.txt" in err and len(err.strip().splitlines()) == 1


def test_failed_run_leaves_previous_output(cli, tmp_path):
    out_dir = tmp_path / "o"
    assert cli("audit", default_path(), "--out", out_dir)[0] == 0
    before = (out_dir / "findings.json").read_text()
    path = _variant(tmp_path, "pvalue = 0.148", "pvalue = 1.48")
    assert cli("audit", path, "--out", out_dir)[0] == 2
    assert (out_dir / "findings.json").read_text() == before
