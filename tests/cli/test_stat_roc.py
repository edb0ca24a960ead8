"""``cetrus stat auc | roc-test | threshold``: JSON out, exit 2 + one line on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from cetrus.cli import main
from cetrus.stats import auc_ci, roc_test, youden_threshold


@pytest.fixture()
def data(tmp_path):
    rng = np.random.default_rng(0)
    n = 120
    y = rng.integers(0, 2, n)
    frame = pd.DataFrame(
        {
            "status": np.where(y == 1, "meta", "none"),
            "a": rng.normal(size=n) + y,
            "b": rng.normal(size=n) + 0.5 * y,
            "text": ["x"] * n,
            "multi": rng.integers(0, 3, n),
        }
    )
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    return path, frame


def test_auc_json_equals_api(cli, data):
    path, frame = data
    code, out, err = cli(
        "stat", "auc", str(path), "--outcome", "status", "--score", "a", "--positive", "meta"
    )
    assert code == 0 and err == ""
    got = json.loads(out)
    ref = auc_ci(frame["status"], frame["a"], positive="meta")
    assert got["estimate"] == pytest.approx(ref.estimate, abs=1e-15) and "warning" not in got
    assert {
        "estimate",
        "ci_low",
        "ci_high",
        "variance",
        "conf_level",
        "method",
        "direction",
        "n_cases",
        "n_controls",
    } <= set(got)


def test_auc_below_half_is_said_on_stderr_and_in_the_json(cli, data):
    path, frame = data
    # the case level defaults to the larger sorted level, "none": 'a' ranks the other way
    code, out, err = cli("stat", "auc", str(path), "--outcome", "status", "--score", "a")
    got = json.loads(out)
    assert code == 0 and got["estimate"] < 0.5 and got["direction"] == "<"
    assert err.startswith("cetrus: warning: AUC = ") and "< 0.5" in err and err.count("\n") == 1
    assert "direction='auto'" in got["warning"]
    code, out, err = cli(
        "stat", "auc", str(path), "--outcome", "status", "--score", "a", "--direction", ">"
    )
    assert code == 0 and err == "" and json.loads(out)["estimate"] > 0.5


def test_positive_level_and_options(cli, data):
    path, frame = data
    code, out, _ = cli(
        "stat",
        "auc",
        str(path),
        "--outcome",
        "status",
        "--score",
        "a",
        "--positive",
        "meta",
        "--conf-level",
        "0.9",
        "--direction",
        "auto",
    )
    got = json.loads(out)
    ref = auc_ci(frame["status"], frame["a"], positive="meta", conf_level=0.9, direction="auto")
    assert code == 0 and got["ci_low"] == pytest.approx(ref.ci_low, abs=1e-15)
    assert got["conf_level"] == 0.9


def test_roc_test_and_threshold(cli, data):
    path, frame = data
    code, out, _ = cli(
        "stat",
        "roc-test",
        str(path),
        "--outcome",
        "status",
        "--positive",
        "meta",
        "--score",
        "a",
        "--score",
        "b",
    )
    got = json.loads(out)
    ref = roc_test(frame["status"], frame["a"], frame["b"], positive="meta")
    assert code == 0 and got["statistic"] == pytest.approx(ref.statistic, abs=1e-12)
    assert {"estimate", "difference", "ci_low", "ci_high", "statistic", "pvalue"} <= set(got)

    code, out, _ = cli(
        "stat",
        "threshold",
        str(path),
        "--outcome",
        "status",
        "--positive",
        "meta",
        "--score",
        "a",
        "--rule",
        "youden",
    )
    got = json.loads(out)
    ref = youden_threshold(frame["status"], frame["a"], positive="meta")
    assert code == 0 and got["threshold"] == ref.threshold
    assert {"threshold", "sensitivity", "specificity", "accuracy", "ppv", "npv"} <= set(got)

    code, out, _ = cli(
        "stat",
        "threshold",
        str(path),
        "--outcome",
        "status",
        "--positive",
        "meta",
        "--score",
        "a",
        "--threshold",
        "0.25",
    )
    assert code == 0 and json.loads(out)["threshold"] == 0.25


def test_drop_missing_reports_count(cli, tmp_path, data):
    _, frame = data
    frame = frame.copy()
    frame.loc[[3, 7], "a"] = np.nan
    path = tmp_path / "m.csv"
    frame.to_csv(path, index=False)
    code, _, err = cli("stat", "auc", str(path), "--outcome", "status", "--score", "a")
    assert code == 2 and "'a'" in err and "2 missing" in err and err.count("\n") == 1
    code, out, _ = cli(
        "stat", "auc", str(path), "--outcome", "status", "--score", "a", "--drop-missing"
    )
    got = json.loads(out)
    assert code == 0 and got["dropped_missing"] == 2 and got["n"] == len(frame) - 2


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--outcome", "status", "--score", "nope"], "column 'nope' not found"),
        (["--outcome", "status", "--score", "text"], "column 'text' in d.csv must be numeric"),
        (["--outcome", "multi", "--score", "a"], "exactly two levels"),
        (["--outcome", "status", "--score", "a", "--positive", "zzz"], "positive level 'zzz'"),
        (["--outcome", "status", "--score", "a", "--conf-level", "95"], "conf-level"),
    ],
)
def test_bad_input_exit_2_one_line(cli, data, args, needle):
    path, _ = data
    code, out, err = cli("stat", "auc", str(path), *args)
    assert code == 2
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err and out == ""


def test_argparse_errors_are_one_line(capsys, data):
    path, _ = data
    with pytest.raises(SystemExit) as exc:
        main(["stat", "auc", str(path), "--outcome", "status"])
    _, err = capsys.readouterr()
    assert exc.value.code == 2 and err.count("\n") == 1 and "--score" in err


def test_missing_file_and_single_class(cli, tmp_path):
    code, _, err = cli("stat", "auc", str(tmp_path / "none.csv"), "--outcome", "y", "--score", "x")
    assert code == 2 and "not found" in err
    path = tmp_path / "one.csv"
    pd.DataFrame({"y": [1, 1, 1], "x": [1.0, 2, 3]}).to_csv(path, index=False)
    code, _, err = cli("stat", "auc", str(path), "--outcome", "y", "--score", "x")
    assert code == 2 and "single level 1" in err


def test_roc_test_needs_two_scores(cli, data):
    path, _ = data
    code, _, err = cli("stat", "roc-test", str(path), "--outcome", "status", "--score", "a")
    assert code == 2 and "exactly twice" in err


def test_console_script_no_traceback(data):
    path, _ = data
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "cetrus.cli",
            "stat",
            "auc",
            str(path),
            "--outcome",
            "status",
            "--score",
            "text",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("cetrus: error:") and proc.stderr.count("\n") == 1
