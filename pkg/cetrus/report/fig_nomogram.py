"""The nomogram figure in the classic rms layout (``plot(nomogram(...))``).

Rows, top to bottom: *Points* (0–100), one axis per predictor at its points, *Total
Points*, *Linear Predictor* and *Risk*. As in rms, the three bottom axes are drawn
compressed onto the width of the Points axis: a total of ``T`` points sits at
``T · 100 / max(total-points axis)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cetrus.report._figsave import save_figure

if TYPE_CHECKING:  # pragma: no cover
    from cetrus.stats.nomogram import Nomogram

__all__ = ["plot_nomogram"]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from cetrus._optional import missing_extra

        raise missing_extra("matplotlib", "plot_nomogram", exc) from exc
    return plt


def _axis(
    ax,
    y: float,
    positions: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    name: str,
    *,
    x_label: float,
    minor: Sequence[float] | np.ndarray = (),
    above: bool = False,
) -> None:
    """One horizontal scale as rms draws it: a line, ticks pointing down, labels below
    (above for the Points scale), the scale's name at the left margin."""
    pos = np.asarray(positions, dtype=float)
    if pos.size == 0:
        return
    ax.plot([pos.min(), pos.max()], [y, y], color="black", lw=0.9, solid_capstyle="butt")
    for p in minor:
        ax.plot([p, p], [y, y - 0.08], color="black", lw=0.6)
    last_below = last_above = -np.inf
    for p, lab in sorted(zip(pos, labels)):
        ax.plot([p, p], [y, y - 0.15], color="black", lw=0.8)
        room = 0.9 * max(len(lab), 1) + 1.2  # label width in points-axis units
        if above:
            ax.text(p, y + 0.1, lab, ha="center", va="bottom", fontsize=7.5)
        elif p - last_below >= room:
            ax.text(p, y - 0.2, lab, ha="center", va="top", fontsize=7.5)
            last_below = p
        elif p - last_above >= room:  # too close below: put it above the line, as rms does
            ax.text(p, y + 0.06, lab, ha="center", va="bottom", fontsize=7.5)
            last_above = p
        # else: no room on either side; the tick stays, its label is left out (unreadable)
    ax.text(x_label, y, name, ha="left", va="center", fontsize=9)


def plot_nomogram(
    nom: Nomogram,
    path_stem: str | Path,
    *,
    title: str | None = None,
    risk_label: str = "Risk",
    labels: dict[str, str] | None = None,
    tick_labels: dict[str, dict[str, str]] | None = None,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Draw ``nom`` like ``plot(rms::nomogram(fit, fun = plogis))`` and save PNG and SVG.

    Parameters
    ----------
    nom : Nomogram
        From :func:`cetrus.stats.nomogram.nomogram`.
    path_stem : path
        Output path without extension; ``.png`` (200 dpi) and ``.svg`` are written.
    title, risk_label, labels : keyword-only
        Optional figure title, the name of the risk axis and display names per predictor.
    tick_labels : dict predictor → {tick text → display text}, keyword-only
        E.g. ``{"Sex": {"0": "Female", "1": "Male"}}``: a 0/1 indicator's ticks shown as
        the levels they stand for.

    Returns
    -------
    list of Path
        The files written.
    """
    from cetrus.stats.nomogram import r_format, r_pretty

    plt = _pyplot()
    labels = labels or {}
    tick_labels = tick_labels or {}
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)

    n_rows = 1 + len(nom.predictors) + 3
    fig_h = 0.55 * n_rows + (0.5 if title else 0.2)
    fig, ax = plt.subplots(figsize=(9.0, fig_h))
    x_label = -32.0
    y = n_rows - 1.0

    top = r_pretty([0, nom.maxscale], 10)
    minor = r_pretty([0, nom.maxscale], 20)
    _axis(
        ax, y, top, [r_format(v) for v in top], "Points", x_label=x_label, minor=minor, above=True
    )
    for p in nom.predictors:
        y -= 1
        a = nom.axes[p]
        ticks = [tick_labels.get(p, {}).get(t, t) for t in a.labels]
        _axis(ax, y, a.points, ticks, labels.get(p, p), x_label=x_label)

    stretch = nom.maxscale / float(np.max(nom.total_points_at))
    y -= 1
    _axis(
        ax,
        y,
        nom.total_points_at * stretch,
        [r_format(v) for v in nom.total_points_at],
        "Total Points",
        x_label=x_label,
        minor=r_pretty([0, float(np.max(nom.total_points_at))], 20) * stretch,
    )
    y -= 1
    _axis(
        ax,
        y,
        nom.lp_points * stretch,
        [r_format(v) for v in nom.lp_at],
        "Linear Predictor",
        x_label=x_label,
    )
    y -= 1
    _axis(
        ax,
        y,
        nom.risk_points * stretch,
        [r_format(v) for v in nom.risk_at],
        risk_label,
        x_label=x_label,
    )

    ax.set_xlim(-33, nom.maxscale + 4)
    ax.set_ylim(y - 0.6, n_rows - 0.45)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    written = []
    for ext in formats:
        out = stem.with_suffix(f".{ext}")
        written.append(save_figure(fig, out, dpi=200 if ext == "png" else None))
    plt.close(fig)
    return written
