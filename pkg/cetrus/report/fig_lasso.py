"""Figure 4 of the paper: LASSO coefficient paths and the cross-validation curve.

The manuscript's figure is :func:`plot_lasso_rows` (one full-width row per modality);
:func:`plot_lasso` draws one modality alone.

Left: each feature's coefficient against log(λ) (``plot(glmnet_fit, xvar = "lambda")``);
right: the CV binomial deviance with ±1 SE bars (``plot(cv.glmnet_fit)``); both mark
``lambda.min`` and ``lambda.1se`` with dotted lines and show the number of non-zero
coefficients along the top axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from cetrus.report._figsave import save_figure

if TYPE_CHECKING:  # pragma: no cover
    from cetrus.stats.lasso import LassoPath
    from cetrus.stats.lasso_cv import LassoCV


def _draw(ax1, ax2, path: LassoPath, cv: LassoCV, *, labels: tuple[str, str]) -> None:
    """The coefficient paths (ax1) and the CV curve (ax2) of one LASSO fit."""
    import matplotlib.pyplot as plt

    lam = np.asarray(path.lambdas, dtype=float)
    coef = np.asarray(path.coef, dtype=float)
    loglam = np.log(lam)
    active = np.flatnonzero(np.any(coef != 0, axis=1))
    cmap = plt.get_cmap("tab20")
    for k, j in enumerate(active):
        ax1.plot(loglam, coef[j], lw=0.9, color=cmap(k % 20))
    ax1.axhline(0.0, color="0.6", lw=0.6)
    ax1.set_xlabel("log(λ)")
    ax1.set_ylabel("coefficient")
    ax1.set_title(labels[0], loc="left")

    cvl = np.log(np.asarray(cv.lambdas, dtype=float))
    ax2.errorbar(
        cvl,
        cv.cvm,
        yerr=[cv.cvm - cv.cvlo, cv.cvup - cv.cvm],
        fmt="o",
        ms=3,
        color="#c0392b",
        ecolor="0.65",
        elinewidth=0.8,
        capsize=1.5,
    )
    ax2.set_xlabel("log(λ)")
    ax2.set_ylabel("binomial deviance (CV)")
    ax2.set_title(labels[1], loc="left")

    for ax, lams, nz in ((ax1, loglam, (coef != 0).sum(axis=0)), (ax2, cvl, np.asarray(cv.nzero))):
        for value, style in ((cv.lambda_min, ":"), (cv.lambda_1se, "--")):
            ax.axvline(np.log(value), color="0.25", ls=style, lw=0.9)
        ax.invert_xaxis()  # large penalty (few features) on the left, as glmnet's plots read
        top = ax.secondary_xaxis("top")
        ticks = np.linspace(0, len(lams) - 1, min(6, len(lams))).round().astype(int)
        top.set_xticks(lams[ticks])
        top.set_xticklabels([str(int(v)) for v in np.asarray(nz)[ticks]])
        top.set_xlabel("non-zero coefficients", fontsize=8)
    ax2.text(
        0.98,
        0.97,
        f"λ.min = {cv.lambda_min:.3g} (dotted)\nλ.1se = {cv.lambda_1se:.3g} (dashed)",
        transform=ax2.transAxes,
        va="top",
        ha="right",
        fontsize=8,
        bbox={"facecolor": "white", "edgecolor": "0.8", "alpha": 0.9},
    )


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from cetrus._optional import missing_extra

        raise missing_extra("matplotlib", "plot_lasso", exc) from exc
    return plt


def plot_lasso(
    path: LassoPath,
    cv: LassoCV,
    path_stem: str | Path,
    *,
    title: str | None = None,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Draw the two panels and save ``<path_stem>.<format>`` for each of ``formats``
    (PNG at 200 dpi).

    ``path`` is usually ``cv.path`` (the full-data fit); coefficients are on the
    original feature scale, as glmnet reports and plots them.
    """
    plt = _pyplot()
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    _draw(
        ax1,
        ax2,
        path,
        cv,
        labels=("A  LASSO coefficient paths", f"B  {cv.n_folds}-fold cross-validation"),
    )
    if title:
        fig.suptitle(title)
    try:
        return [
            save_figure(fig, stem.with_suffix(f".{f}"), dpi=200 if f == "png" else None)
            for f in formats
        ]
    finally:
        plt.close(fig)


def plot_lasso_rows(
    fits: Sequence[tuple[str, LassoPath, LassoCV]],
    path_stem: str | Path,
    *,
    formats: Sequence[str] = ("png",),
) -> list[Path]:
    """The paper's Figure 4 made readable at page width: one full-width row per modality,
    its coefficient paths (left) and CV curve (right), rows labelled (A), (B), … with the
    modality's name. ``fits`` is ``(name, path, cv)`` per modality. Saves
    ``<path_stem>.<format>`` for each format (PNG at 200 dpi)."""
    plt = _pyplot()
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    rows = len(fits)
    fig, axes = plt.subplots(
        rows, 2, figsize=(10, 3.5 * rows), constrained_layout=True, squeeze=False
    )
    for k, (name, path, cv) in enumerate(fits):
        letter = chr(65 + k) if k < 26 else str(k + 1)
        _draw(
            axes[k][0],
            axes[k][1],
            path,
            cv,
            labels=(
                f"({letter}) {name}: LASSO coefficient paths",
                f"({letter}) {name}: {cv.n_folds}-fold cross-validation",
            ),
        )
    try:
        return [
            save_figure(fig, stem.with_suffix(f".{f}"), dpi=200 if f == "png" else None)
            for f in formats
        ]
    finally:
        plt.close(fig)
