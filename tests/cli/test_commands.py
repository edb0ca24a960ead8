"""The command line as a whole: every option's help shows its default, `cetrus stat`
JSON carries its schema version, and `cetrus validate --suite` / `cetrus bench` run the
checkout's suites (one line when there is no checkout)."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cetrus.cli import STAT_SCHEMA, build_parser


def _parsers(parser: argparse.ArgumentParser, name: str = "cetrus"):
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub, child in action.choices.items():
                yield from _parsers(child, f"{name} {sub}")


def test_every_option_has_help_that_shows_its_default():
    names, missing = [], []
    for name, parser in _parsers(build_parser()):
        names.append(name)
        formatter = parser._get_formatter()
        for action in parser._actions:
            if not action.option_strings or isinstance(
                action, (argparse._HelpAction, argparse._VersionAction)
            ):
                continue
            text = formatter._expand_help(action) if action.help else ""
            says = re.search(r"(\(|; |, )default\b|\(required\)$", text)
            if not (action.help or "").strip() or not says:
                missing.append(f"{name} {'/'.join(action.option_strings)}: {text!r}")
    assert "cetrus stat auc" in names and "cetrus bench" in names and len(names) > 15
    assert not missing, "\n".join(missing)


def test_help_appends_defaults_and_keeps_worded_ones(cli):
    code, out, _ = cli("stat", "auc", "--help")
    text = " ".join(out.split())
    assert code == 0
    assert "(default: 0.95)" in text and "(default: delong)" in text and "(required)" in text
    assert "(default: off)" in text  # --drop-missing, a flag
    code, out, _ = cli("extract", "--help")
    text = " ".join(out.split())
    assert "(default: when stderr is a terminal and CI is not set)" in text
    assert "default: 16)" in text
    assert "(default: 16) (default" not in text  # a worded default is not repeated
    # the description keeps its line breaks
    assert "f0000 ... f1919, one row per manifest\nrow. A study reads it" in out


@pytest.fixture()
def data(tmp_path):
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 60)
    path = tmp_path / "d.csv"
    pd.DataFrame({"y": y, "x": rng.normal(size=60) + y}).to_csv(path, index=False)
    return path


def test_stat_json_starts_with_its_schema_version(cli, data):
    code, out, err = cli("stat", "auc", data, "--outcome", "y", "--score", "x")
    got = json.loads(out)
    assert code == 0 and STAT_SCHEMA == 2
    assert list(got)[0] == "schema" and got["schema"] == 2 and "estimate" in got


def test_other_commands_carry_no_schema_key(cli, tmp_path):
    code, out, _ = cli("init", tmp_path / "s")
    assert code == 0 and "schema" not in json.loads(out)


# ------------------------------------------------------------- validate --suite and bench


def test_validate_suite_options_do_not_mix_with_a_study(cli):
    code, _, err = cli("validate", "-k", "icc")
    assert code == 2 and err.splitlines() == [
        "cetrus: error: -k selects cases of the parity suite: use it with --suite"
    ]
    code, _, err = cli("validate", "--suite", "--config", "study.toml")
    assert code == 2 and err.splitlines() == [
        "cetrus: error: --config is an option of a study's validation, not of --suite"
    ]
    code, _, err = cli("validate", "--suite", "--icc-features", "3")
    assert code == 2 and "--icc-features is an option of a study's validation" in err


@pytest.mark.parametrize(
    "argv, folder", [(("validate", "--suite"), "validation"), (("bench", "--quick"), "benchmarks")]
)
def test_suites_outside_a_checkout_say_so_in_one_line(cli, monkeypatch, tmp_path, argv, folder):
    """From a wheel: the imported cetrus lives in site-packages and the current folder
    is no checkout."""
    import cetrus

    fake = tmp_path / "site-packages" / "cetrus" / "__init__.py"
    monkeypatch.setattr(cetrus, "__file__", str(fake))
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"cetrus: error: cetrus {argv[0]}{' --suite' if folder == 'validation' else ''} needs "
        f"the {folder}/ folder of a cetrus checkout, which an installed wheel does not ship; "
        f"run it inside a clone of the repository (none found at {tmp_path.resolve()} or above)"
    ]


def test_bench_runs_the_checkouts_benchmarks_with_the_options(cli, monkeypatch):
    from cetrus.cli.commands_checkout import find_checkout, import_from_checkout

    root = find_checkout("benchmarks", "bench")
    assert (root / "benchmarks" / "__main__.py").is_file()
    module = import_from_checkout("benchmarks.__main__", "bench")
    assert Path(module.__file__).resolve() == root / "benchmarks" / "__main__.py"
    seen = []
    monkeypatch.setattr(module, "main", lambda argv: seen.append(argv) or 1)
    code, out, err = cli("bench", "-k", "roc", "--quick")
    assert seen == [["-k", "roc", "--quick"]] and code == 1  # a missed target: exit 1


@pytest.mark.r
def test_validate_suite_runs_selected_parity_cases(cli, r):
    code, out, err = cli("validate", "--suite", "-k", "icc::Shrout & Fleiss 1979 (psych")
    got = json.loads(out)
    assert code == 0 and got["failed"] == 0 and got["checks"] > 0
    assert got["parity_csv"].endswith("parity-selection.csv") and "icc" in err
    code, out, err = cli("validate", "--suite", "-k", "no such case, surely")
    assert code == 2 and err.splitlines() == [
        "cetrus: error: no parity case matches 'no such case, surely'"
    ]
