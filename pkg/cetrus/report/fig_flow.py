"""The flow of participants (the paper's Figure 1; TRIPOD+AI's flow diagram) and example
ROIs with both raters' contours.

Both are drawn from what the analysis really did: counts from the results (patients in
the clinical table, exclusions for missing values with the variables concerned, the
analysed cohort, the split and its cohorts), and ROIs from the study's image manifest.
A study's own words (labels, modality names) are drawn as plain text (matplotlib's
mathtext markers escaped).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cetrus.report._figsave import save_figure

__all__ = ["plot_flow", "plot_example_rois", "plain"]


def plain(text: Any) -> str:
    """A study's words as literal matplotlib text (``$`` would start mathtext)."""
    return str(text).replace("$", r"\$")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _box(ax, x: float, y: float, text: str, *, width: float = 0.42, color: str = "#f4f6f8"):
    ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=9.5,
        wrap=True,
        bbox={"boxstyle": "round,pad=0.6", "facecolor": color, "edgecolor": "0.35"},
        transform=ax.transAxes,
    )


def _arrow(ax, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>", "color": "0.3", "lw": 1.0},
    )


def plot_flow(
    results: dict,
    config,
    path_stem: str | Path,
    *,
    formats: Sequence[str] = ("png",),
    dpi: int = 200,
) -> list[Path]:
    """Patients in → excluded (why) → analysed → split → training / test, with cases."""
    plt = _pyplot()
    c = results["cohort"]
    miss = results.get("missing", {})
    oc = config.outcome
    case, control = plain(oc.case_label), plain(oc.control_label)
    fig, ax = plt.subplots(figsize=(8, 6.2))
    ax.axis("off")
    n_input = miss.get("n_input", c.get("n_input", c["n"]))
    _box(ax, 0.5, 0.92, f"Patients in the clinical table\nn = {n_input}")
    if miss.get("excluded"):
        why = ", ".join(
            f"{plain(_label(config, col))} ({k})" for col, k in miss.get("missing", {}).items()
        )
        _box(
            ax,
            0.82,
            0.74,
            f"Excluded: n = {miss['excluded']}\nmissing values:\n{why}",
            color="#fdecea",
        )
        _arrow(ax, (0.5, 0.74), (0.645, 0.74))
    _arrow(ax, (0.5, 0.86), (0.5, 0.62))
    _box(ax, 0.5, 0.56, f"Analysed\nn = {c['n']}\n{c['cases']} {case}, {c['controls']} {control}")
    how = "stratified by outcome" if c.get("stratified") else "not stratified"
    train_pct = f"{100 * (1 - c['test_fraction']):g}"
    test_pct = f"{100 * c['test_fraction']:g}"
    _arrow(ax, (0.5, 0.48), (0.5, 0.40))
    _box(
        ax,
        0.5,
        0.36,
        f"Random split {train_pct}:{test_pct} ({how}, seed {c['split_seed']})",
        color="white",
    )
    for x, key, name in ((0.25, "training", "Training cohort"), (0.75, "test", "Test cohort")):
        part = c[key]
        _arrow(ax, (0.5, 0.32), (x, 0.20))
        _box(
            ax,
            x,
            0.12,
            f"{name}\nn = {part['n']}\n{part['cases']} {case}\n{part['controls']} {control}",
        )
    if config.synthetic:
        ax.text(0.01, 0.0, "SYNTHETIC data", transform=ax.transAxes, fontsize=8, color="#a00")
    try:
        stem = Path(path_stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        return [
            save_figure(fig, stem.with_suffix(f".{f}"), dpi=dpi if f == "png" else None)
            for f in formats
        ]
    finally:
        plt.close(fig)


def _label(config, column: str) -> str:
    from cetrus.errors import InputError

    try:
        return config.variable(column).label
    except InputError:  # not a clinical variable (an id or outcome column): its own name
        return column


RATER_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e")


def plot_example_rois(
    examples: Sequence[dict],
    path_stem: str | Path,
    *,
    formats: Sequence[str] = ("png",),
    dpi: int = 200,
    margin: int = 16,
) -> list[Path]:
    """One panel per example: the image around the ROI with each rater's contour.

    ``examples``: dicts with ``title``, ``image`` (2-D or RGB array in [0, 1]) and
    ``masks`` (rater → boolean array of the image's shape).
    """
    plt = _pyplot()
    k = len(examples)
    fig, axes = plt.subplots(1, k, figsize=(3.3 * k, 3.6), squeeze=False)
    handles: dict[str, Any] = {}  # legend label -> a proxy artist of that rater's contour
    for ax, ex in zip(axes[0], examples):
        image = np.asarray(ex["image"])
        union = np.zeros(image.shape[:2], dtype=bool)
        for m in ex["masks"].values():
            union |= np.asarray(m, dtype=bool)
        rows, cols = np.flatnonzero(union.any(axis=1)), np.flatnonzero(union.any(axis=0))
        r0, r1 = max(rows[0] - margin, 0), min(rows[-1] + margin + 1, image.shape[0])
        c0, c1 = max(cols[0] - margin, 0), min(cols[-1] + margin + 1, image.shape[1])
        crop = image[r0:r1, c0:c1]
        ax.imshow(crop, cmap="gray" if crop.ndim == 2 else None, vmin=0, vmax=1)
        for j, (rater, mask) in enumerate(ex["masks"].items()):
            color = RATER_COLORS[j % len(RATER_COLORS)]
            cs = ax.contour(
                np.asarray(mask, dtype=float)[r0:r1, c0:c1],
                levels=[0.5],
                colors=[color],
                linewidths=1.4,
            )
            handles.setdefault(plain(f"rater {rater}"), cs.legend_elements()[0][0])
        ax.set_title(plain(ex["title"]), fontsize=9)
        ax.axis("off")
    fig.legend(
        list(handles.values()),
        list(handles.keys()),
        loc="lower center",
        ncol=len(handles),
        fontsize=9,
        frameon=False,
    )
    fig.tight_layout(rect=(0, 0.08, 1, 0.94))
    try:
        stem = Path(path_stem)
        stem.parent.mkdir(parents=True, exist_ok=True)
        return [
            save_figure(fig, stem.with_suffix(f".{f}"), dpi=dpi if f == "png" else None)
            for f in formats
        ]
    finally:
        plt.close(fig)
