"""Decision curves: net benefit of each model against the threshold probability, with
treat-all and treat-none (as ``dcurves::dca(...) |> plot()`` draws them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cetrus.report.fig_roc import _pyplot, _save

__all__ = ["plot_decision"]


def plot_decision(
    decision: dict,
    path_stem: str | Path,
    *,
    names: dict[str, str] | None = None,
    title: str = "",
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Draw the decision curves of the ``decision`` step's results; save PNG/SVG.

    The y axis runs from a little below 0 to the largest net benefit (treat-all falls far
    below 0 at high thresholds; like ``dcurves``' plot, it is cut there).
    """
    names = names or {}
    plt = _pyplot()
    x = np.asarray(decision["thresholds"], dtype=float)
    nb = decision["net_benefit"]
    fig, ax = plt.subplots(figsize=(6.0, 4.4))
    try:
        for name, values in nb.items():
            if name in ("all", "none"):
                continue
            ax.plot(x, values, lw=1.6, label=names.get(name, name))
        ax.plot(x, nb["all"], color="0.45", lw=1.0, label="Treat all")
        ax.plot(x, nb["none"], color="black", lw=1.0, ls="--", label="Treat none")
        top = max(float(np.nanmax(v)) for v in nb.values())
        top = top if top > 0 else 0.05
        ax.set(
            xlim=(float(x.min()), float(x.max())),
            ylim=(-0.1 * top, 1.05 * top),
            xlabel="Threshold probability",
            ylabel="Net benefit",
            title=title,
        )
        ax.legend(loc="upper right", fontsize=8, frameon=False)
        return _save(fig, Path(path_stem), formats, dpi)
    finally:
        plt.close(fig)
