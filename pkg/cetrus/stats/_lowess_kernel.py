"""Compiled kernel of R's ``lowess(iter = 0)`` for the bootstrap calibration loop.

``rms::calibrate`` smooths twice per resample (its own rows and the original data), so a
B = 200 run smooths 400 times. The array form in :func:`cetrus.stats.calibration.lowess`
computes every anchor's weighted fit as one anchors × window array, which is exact but
costs milliseconds per call; this scalar loop, compiled by numba when it is installed
(extra ``fast``), walks the points once as Cleveland's algorithm does and takes tens of
microseconds. Without numba :func:`compiled` returns ``None`` and the array form is used;
both give R's smooth (tests compare them on data with ties, steps and constant runs).

The arithmetic follows the array form, not R's source: fits are
``Σ w·y + b·Σ w·(x − a)·y`` with ``b = (x_i − a)/c`` (sums over the raw weights,
divided by their total once), the tricube ``(1 − (r/h)³)³``,
weight 1 within ``0.001·h`` (``r/h`` taken as ``r·(1/h)``), points beyond ``0.999·h`` dropped, no slope when
``h = 0`` or ``√c ≤ 0.001·range(x)``. Cleveland WS (1979) JASA 74:829–836; R's
``stats::lowess`` (``clowess``) with ``iter = 0``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

_KERNEL: Callable[..., None] | None = None
_TRIED = False


def _smooth(xs: np.ndarray, ys: np.ndarray, ns: int, delta: float, fit: np.ndarray) -> None:
    """Fill ``fit`` with the iter = 0 lowess of sorted ``xs``, ``ys`` (window ``ns`` points)."""
    n = xs.shape[0]
    rng = xs[n - 1] - xs[0]
    w = np.empty(n)
    nleft = 0
    nright = ns - 1
    last = -1
    i = 0
    while True:
        # slide the window right while its left end is farther from x_i than the next point
        while nright < n - 1 and xs[i] - xs[nleft] > xs[nright + 1] - xs[i]:
            nleft += 1
            nright += 1
        xa = xs[i]
        h = max(xa - xs[nleft], xs[nright] - xa)
        h9 = 0.999 * h
        h1 = 0.001 * h
        inv_h = 1.0 / h if h > 0.0 else 0.0
        # weights of the window, from nleft to the last point within 0.999 h on the right;
        # the weighted sums are taken with the raw weights and divided by their total once
        total = 0.0
        sx = 0.0
        sy = 0.0
        j = nleft
        while j < n:
            r = abs(xs[j] - xa)
            if r <= h9:
                if r <= h1:  # also every point at x_i when h = 0 (r = 0 = h1)
                    wj = 1.0
                else:
                    u = r * inv_h
                    t = 1.0 - u * u * u
                    wj = t * t * t
                w[j] = wj
                total += wj
                sx += wj * xs[j]
                sy += wj * ys[j]
            elif xs[j] > xa:
                break
            else:
                w[j] = 0.0
            j += 1
        nrt = j - 1
        if total > 0.0:
            a = sx / total
            c = 0.0
            sxy = 0.0
            for j in range(nleft, nrt + 1):
                d = xs[j] - a
                wd = w[j] * d
                c += wd * d
                sxy += wd * ys[j]
            c /= total
            value = sy / total
            if h > 0.0 and np.sqrt(c) > 0.001 * rng:
                value += (xa - a) / c * (sxy / total)
            fit[i] = value
        else:
            fit[i] = ys[i]
        # points between the previous anchor and this one: linear interpolation
        if last < i - 1:
            denom = xs[i] - xs[last]
            for j in range(last + 1, i):
                alpha = (xs[j] - xs[last]) / denom
                fit[j] = alpha * fit[i] + (1.0 - alpha) * fit[last]
        last = i
        # ties share the anchor's fit; the next anchor is the last point within delta
        cut = xs[last] + delta
        k = last + 1
        while k < n:
            if xs[k] > cut:
                break
            if xs[k] == xs[last]:
                fit[k] = fit[last]
                last = k
            k += 1
        i = max(last + 1, k - 1)
        if last >= n - 1:
            break


def compiled() -> Callable[..., None] | None:
    """The numba-compiled :func:`_smooth`, or ``None`` when numba is not installed."""
    global _KERNEL, _TRIED
    if not _TRIED:
        _TRIED = True
        try:
            import numba
        except ImportError:
            return None
        _KERNEL = numba.njit(cache=True, nogil=True)(_smooth)
    return _KERNEL


def smooth_sorted(
    xs: np.ndarray, ys: np.ndarray, ns: int, delta: float, kernel: Any = None
) -> np.ndarray:
    """Run the kernel (compiled when available, else the Python loop) on sorted data."""
    fit = np.empty(xs.shape[0])
    (kernel or compiled() or _smooth)(xs, ys, ns, float(delta), fit)
    return fit
