"""Compose per-modality PNG panels into one figure (Figure 4: A TDUS, B CDUS, C CEUS)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from cetrus.report._figsave import save_figure

__all__ = ["compose_panels", "placeholder"]


def compose_panels(pngs: Sequence[str | Path], out: str | Path, *, labels: Sequence[str] = (),
                   dpi: int = 150) -> Path:
    """Place PNG images side by side with panel labels; write ``out`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    images = [plt.imread(str(p)) for p in pngs]
    widths = [im.shape[1] / im.shape[0] for im in images]
    fig, axes = plt.subplots(1, len(images), figsize=(4.2 * len(images), 4.6),
                             gridspec_kw={"width_ratios": widths})
    axes = [axes] if len(images) == 1 else list(axes)
    try:
        for k, (ax, im) in enumerate(zip(axes, images)):
            ax.imshow(im)
            ax.axis("off")
            if k < len(labels):
                ax.set_title(labels[k], loc="left", fontsize=11, fontweight="bold")
        out = Path(out)
        return save_figure(fig, out, dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)


def placeholder(out: str | Path, text: str, *, dpi: int = 100) -> Path:
    """A PNG saying what is missing, so the manuscript still renders (and says so)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 2.2))
    try:
        ax.axis("off")
        ax.text(0.5, 0.5, text, ha="center", va="center", wrap=True, fontsize=11, color="#a00")
        out = Path(out)
        return save_figure(fig, out, dpi=dpi)
    finally:
        plt.close(fig)
