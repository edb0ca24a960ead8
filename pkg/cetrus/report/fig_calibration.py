"""Calibration curve in the style of ``rms::val.prob(p, y)``'s plot.

Ideal line (thick grey), logistic calibration (solid: ``plogis(a + b·logit)`` over
logits −7…7), nonparametric ``lowess(p, y, iter = 0)`` (dotted), the distribution of
predicted probabilities as spikes along the bottom (cases up, controls down, as
val.prob's ``riskdist``), and the val.prob statistics printed top left.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cetrus.report._figsave import save_figure

__all__ = ["plot_calibration", "plot_calibration_grid"]

_SHOWN = [
    ("Dxy", "dxy"),
    ("C (ROC)", "c"),
    ("R2", "r2"),
    ("D", "d"),
    ("U", "u"),
    ("Q", "q"),
    ("Brier", "brier"),
    ("Intercept", "intercept"),
    ("Slope", "slope"),
    ("Emax", "emax"),
    ("E90", "e90"),
    ("Eavg", "eavg"),
    ("S:z", "spiegelhalter_z"),
    ("S:p", "spiegelhalter_pvalue"),
]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from cetrus._optional import missing_extra

        raise missing_extra("matplotlib", "plot_calibration", exc) from exc
    return plt


def _draw(
    ax, y: Any, prob: Any, *, title: str = "", positive: Any = None, stats_size: float = 6.5
) -> None:
    """One calibration panel (see the module docstring) on ``ax``."""
    from scipy.special import expit

    from cetrus.stats._validation import binary_outcome
    from cetrus.stats.calibration import lowess, val_prob

    res = val_prob(y, prob, positive=positive)
    p = np.asarray(prob, dtype=float)
    case = binary_outcome(y, "y", positive=positive).is_case
    ax.plot([0, 1], [0, 1], color="0.85", lw=6, label="Ideal", solid_capstyle="butt")
    grid = np.linspace(-7, 7, 200)
    ax.plot(
        expit(grid),
        expit(res.intercept + res.slope * grid),
        color="black",
        lw=1,
        label="Logistic calibration",
    )
    xs, fit = lowess(p, case.astype(float))
    ax.plot(xs, fit, color="black", lw=1, ls=":", label="Nonparametric")
    # risk distribution: spikes proportional to counts in 101 bins, cases up, controls down
    bins = np.linspace(0, 1, 102)
    for sign, mask in ((1, case), (-1, ~case)):
        counts, edges = np.histogram(p[mask], bins=bins)
        if counts.max(initial=0) > 0:
            h = 0.04 * counts / counts.max()
            mids = (edges[:-1] + edges[1:]) / 2
            keep = counts > 0
            ax.vlines(mids[keep], 0.0, sign * h[keep], color="black", lw=0.6)
    ax.axhline(0, color="black", lw=0.4)
    lines = [f"{name:<10}{getattr(res, field):>9.3f}" for name, field in _SHOWN]
    ax.text(
        0.01,
        0.99,
        "\n".join(lines),
        transform=ax.transAxes,
        va="top",
        ha="left",
        family="monospace",
        fontsize=stats_size,
    )
    ax.set(
        xlim=(0, 1),
        ylim=(-0.05, 1),
        xlabel="Predicted Probability",
        ylabel="Actual Probability",
        title=str(title).replace("$", r"\$"),
    )
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.08), fontsize=7, frameon=False)


def _save(fig, path_stem: str | Path, formats: Sequence[str], dpi: int) -> list[Path]:
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    return [
        save_figure(fig, stem.with_suffix(f".{f}"), dpi=dpi, bbox_inches="tight") for f in formats
    ]


def plot_calibration(
    y: Any,
    prob: Any,
    path_stem: str | Path,
    *,
    title: str = "",
    positive: Any = None,
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Draw the calibration plot of ``prob`` against outcomes ``y``; save PNG and SVG.

    Returns the written paths (``path_stem`` + ``.png`` / ``.svg``). The statistics
    are those of :func:`cetrus.stats.calibration.val_prob` (equal to rms's).
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.4, 5.2))
    try:
        _draw(ax, y, prob, title=title, positive=positive)
        return _save(fig, path_stem, formats, dpi)
    finally:
        plt.close(fig)


def plot_calibration_grid(
    panels: Sequence[tuple[str, Any, Any]],
    path_stem: str | Path,
    *,
    columns: int = 2,
    formats: Sequence[str] = ("png",),
    dpi: int = 150,
) -> list[Path]:
    """Several calibration panels in one figure, ``columns`` per row (readable at page
    width), each ``(title, y, prob)``; drawn, not pasted, so sharp in every format."""
    plt = _pyplot()
    k = len(panels)
    cols = min(columns, k)
    rows = -(-k // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.0 * cols, 4.9 * rows), squeeze=False)
    try:
        for ax, (title, y, prob) in zip(axes.flat, panels):
            _draw(ax, y, prob, title=title)
        for ax in list(axes.flat)[k:]:
            ax.axis("off")
        fig.tight_layout()
        return _save(fig, path_stem, formats, dpi)
    finally:
        plt.close(fig)
