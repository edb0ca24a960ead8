"""Fixtures of the audit tests: simulated papers written to disk, and the audit of them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _gen  # noqa: E402

from tests.cli.conftest import cli  # noqa: E402  (the shared in-process CLI runner)

__all__ = ["cli", "write", "audit_doc"]


@pytest.fixture()
def write(tmp_path):
    """``write(doc, sentences=None) -> path`` of a published-numbers file in a fresh folder."""
    counter = iter(range(10**6))

    def run(doc, sentences=None):
        return _gen.write(doc, tmp_path / f"paper{next(counter)}", sentences=sentences)

    return run


@pytest.fixture()
def audit_doc(write):
    """``audit_doc(doc, sentences=None) -> findings``."""
    from cetrus.audit import audit
    from cetrus.study.published import load

    def run(doc, sentences=None):
        return audit(load(write(doc, sentences)))

    return run
