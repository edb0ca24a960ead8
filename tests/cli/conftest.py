"""The ``cli`` fixture shared by the CLI tests: run ``cetrus`` in-process, capture its output."""

from __future__ import annotations

import pytest

from cetrus.cli import main


@pytest.fixture()
def cli(capsys):
    """``cli(*argv) -> (exit code, stdout, stderr)``; argparse usage errors give their exit code."""

    def run(*argv):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
