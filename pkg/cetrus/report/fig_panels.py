"""A placeholder figure that says what is missing, so the manuscript still renders."""

from __future__ import annotations

from pathlib import Path

from cetrus.report._figsave import save_figure

__all__ = ["placeholder"]


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
