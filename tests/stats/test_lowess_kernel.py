"""The compiled lowess loop equals the array form (both are R's lowess(iter = 0); the
array form is checked against live R in validation/cases/calibration.py)."""

import os

import numpy as np
import pytest

from cetrus.errors import InputError
from cetrus.stats import _lowess_kernel as kernel
from cetrus.stats.calibration import lowess


def _cases():
    rng = np.random.default_rng(11)
    for trial in range(120):
        n = int(rng.integers(2, 700))
        x = rng.random(n)
        if trial % 4 == 1:
            x = np.round(x, 2)  # many ties
        elif trial % 4 == 2:
            x = np.round(x * 5) / 5  # a few tied steps
        elif trial % 4 == 3:
            x[: n // 2] = 0.5  # a long constant run
        y = (rng.random(n) < x).astype(float) if trial % 2 else rng.normal(size=n)
        yield x, y, (2 / 3, 0.1, 1.0)[trial % 3]


def test_python_loop_equals_array_form():
    # the uncompiled loop runs everywhere, so this holds even without numba
    for x, y, f in _cases():
        xs, want = lowess(x, y, f=f, engine="arrays")
        order = np.argsort(x, kind="stable")
        ns = max(min(int(f * x.size + 1e-7), x.size), 2)
        got = kernel.smooth_sorted(xs, y[order], ns, 0.01 * (xs[-1] - xs[0]), kernel=kernel._smooth)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_compiled_equals_array_form():
    if kernel.compiled() is None:
        if os.environ.get("CI"):
            pytest.fail("numba missing under CI: make setup installs the extra 'fast'")
        pytest.skip("numba not installed (extra 'fast'); the Python loop is tested above")
    for x, y, f in _cases():
        xa, fa = lowess(x, y, f=f, engine="arrays")
        xc, fc = lowess(x, y, f=f, engine="compiled")
        np.testing.assert_array_equal(xa, xc)
        np.testing.assert_allclose(fc, fa, rtol=0, atol=1e-12)


def test_unknown_engine_is_refused():
    with pytest.raises(InputError, match="engine must be"):
        lowess([1.0, 2.0, 3.0], [0.0, 1.0, 0.0], engine="fortran")
