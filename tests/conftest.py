"""Shared fixtures. ``r``: live R through rpy2 — skipped with the reason when R is missing,
and a *failure* when the ``CI`` environment variable is set (CI must have R)."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")


def _r_or_fail(*packages: str) -> None:
    from cetrus import rbridge

    ok, reason = rbridge.available(*packages)
    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"R is required under CI but unavailable: {reason}")
    pytest.skip(f"R unavailable: {reason}")


@pytest.fixture(scope="session")
def r():
    """The :mod:`cetrus.rbridge` module, with R and the parity packages loaded."""
    _r_or_fail()
    from cetrus import rbridge

    return rbridge
