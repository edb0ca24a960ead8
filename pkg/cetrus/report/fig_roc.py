"""Figure 5 (ROC curves of the models in the test cohort) and the spread of test AUCs.

Curves are the empirical ROC curves of :func:`cetrus.stats.roc.roc_curve` (pROC's
thresholds), drawn as 1 − specificity against sensitivity, as ``pROC::plot.roc``
with ``legacy.axes = TRUE``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cetrus.report._figsave import save_figure

__all__ = ["plot_roc", "plot_auc_spread"]


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from cetrus._optional import missing_extra

        raise missing_extra("matplotlib", "plot_roc", exc) from exc
    return plt


def _save(fig, path_stem: Path, formats: Sequence[str], dpi: int) -> list[Path]:
    path_stem = Path(path_stem)
    path_stem.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for f in formats:
        p = path_stem.with_suffix(f".{f}")
        out.append(save_figure(fig, p, dpi=dpi, bbox_inches="tight"))
    return out


def plot_roc(
    curves: Mapping[str, tuple[Any, Any]],
    path_stem: str | Path,
    *,
    title: str = "",
    formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Draw one ROC curve per ``label → (y_true, y_score)`` and save PNG/SVG.

    Returns the written paths (``path_stem`` + ``.png``/``.svg``).
    """
    from cetrus.stats.roc import roc_curve

    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5.2, 5.0))
    try:
        for label, (y, score) in curves.items():
            c = roc_curve(y, score)
            # increasing threshold → decreasing sensitivity; plot from (1,1) down to (0,0)
            ax.step(1 - c.specificity, c.sensitivity, where="post", lw=1.8, label=label)
        ax.plot([0, 1], [0, 1], ls="--", lw=0.8, color="grey")
        ax.set(
            xlim=(-0.01, 1.01),
            ylim=(-0.01, 1.01),
            xlabel="1 − Specificity",
            ylabel="Sensitivity",
            title=title,
        )
        ax.set_aspect("equal")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        return _save(fig, Path(path_stem), formats, dpi)
    finally:
        plt.close(fig)


def plot_auc_spread(
    spread: dict, path_stem: str | Path, *, formats: Sequence[str] = ("png", "svg"), dpi: int = 150
) -> list[Path]:
    """Test AUC of each model on every split seed (the reported split highlighted)."""
    import numpy as np

    plt = _pyplot()
    names = list(spread["test_auc"])
    rep = spread["seeds"].index(spread["reported_seed"])
    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    try:
        for k, name in enumerate(names):
            a = np.asarray(spread["test_auc"][name], dtype=float)
            jitter = np.linspace(-0.12, 0.12, a.size)
            ax.scatter(k + jitter, a, s=18, color="tab:blue", alpha=0.7)
            ax.scatter(
                [k + jitter[rep]],
                [a[rep]],
                s=46,
                facecolor="none",
                edgecolor="tab:red",
                lw=1.5,
                label="reported split" if k == 0 else None,
            )
            ax.hlines(np.median(a), k - 0.25, k + 0.25, color="black", lw=1.2)
        ax.axhline(0.5, ls="--", lw=0.8, color="grey")
        ax.set_xticks(range(len(names)), names)
        ax.set(ylabel="Test AUC", title=f"Test AUC over {len(spread['seeds'])} random 8:2 splits")
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        return _save(fig, Path(path_stem), formats, dpi)
    finally:
        plt.close(fig)
