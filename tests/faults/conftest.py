"""Fault tests: every ``cetrus`` command answers bad input, a full or read-only disk,
Ctrl-C and kills with a result or ONE line — never a traceback, never a moved file.

Helpers: :func:`run_cli` runs the real CLI in-process (``cetrus.cli.main``) and returns
its exit status and stderr lines; :func:`one_error` asserts the failure shape the
project promises (exit 2, exactly one ``cetrus…: error:`` line and it is the last,
no traceback). The ``study`` fixture is the SYNTHETIC second study (features tables,
no images, 60 patients) with spread off (fast); ``spread_study`` turns the spread on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.study.second_study import make_second_study

REPO = Path(__file__).resolve().parents[2]
PKG = REPO / "pkg"


def run_cli(capsys, *argv: str) -> tuple[int, list[str], str]:
    """``cetrus ARGV`` in-process: (exit status, stderr lines, stdout)."""
    from cetrus.cli import main

    capsys.readouterr()
    try:
        rc = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse usage errors exit through SystemExit
        rc = exc.code if isinstance(exc.code, int) else 2
    cap = capsys.readouterr()
    return rc, cap.err.splitlines(), cap.out


def one_error(rc: int, err: list[str], *needles: str, status: int = 2) -> str:
    """The failure shape: ``status``, one error line (the last), no traceback; the line
    contains every needle (the file, key or value it must name)."""
    text = "\n".join(err)
    assert rc == status, text
    assert "Traceback" not in text, text
    errors = [ln for ln in err if ": error:" in ln]
    assert len(errors) == 1, text
    assert err[-1] == errors[0], text
    for needle in needles:
        assert needle in errors[0], (needle, errors[0])
    return errors[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PKG), str(REPO), env.get("PYTHONPATH", "")])
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run_sub(
    *argv: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """``python -m cetrus ARGV`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "cetrus", *map(str, argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def _study_source(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("second_study")
    make_second_study(root, n_patients=60, images=False, n_missing=0)
    return root


def _copy_study(src: Path, dst: Path, *, spread: bool, seeds: int = 5) -> Path:
    shutil.copytree(src, dst)
    toml = dst / "study.toml"
    text = toml.read_text()
    text = text.replace(
        "seeds = [0, 1, 2, 3, 4]", "seeds = [" + ", ".join(map(str, range(seeds))) + "]"
    )
    text = text.replace(
        "[models]\nspread = true",
        f"[models]\nspread = {'true' if spread else 'false'}\nworkers = 2",
    )
    assert ("spread = false" in text) != spread and "workers = 2" in text
    toml.write_text(text)
    return toml


@pytest.fixture
def study(_study_source, tmp_path) -> Path:
    """study.toml of a fresh copy of the small second study (no spread: seconds)."""
    return _copy_study(_study_source, tmp_path / "study", spread=False)


@pytest.fixture
def spread_study(_study_source, tmp_path) -> Path:
    """The same study with a 30-seed spread on 2 worker processes (killed mid-way)."""
    return _copy_study(_study_source, tmp_path / "study", spread=True, seeds=30)


@pytest.fixture(scope="session")
def results_of(_study_source, tmp_path_factory) -> Path:
    """A results folder of the small study, written once by ``cetrus analyze``."""
    root = tmp_path_factory.mktemp("analysed")
    toml = _copy_study(_study_source, root / "study", spread=False)
    from cetrus.cli import main

    assert main(["analyze", "--config", str(toml)]) == 0
    return toml
