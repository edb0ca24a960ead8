"""Small ultrasound-like image sets with two raters' masks, for tests, benchmarks and demos.

Not data: a seeded generator of images that *look like* the inputs (speckled
grey-scale B-mode, RGB colour Doppler with red/blue flow, brighter contrast
enhancement) so that the whole chain manifest → extraction → agreement → selection
runs on real files. The lesion of a "case" (outcome 1) is larger and more
heterogeneous than a control's, so selection has something to find; rater 2's
ellipse is rater 1's, slightly perturbed, as two sonographers would draw it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from cetrus.imaging.manifest import DEFAULT_MODALITIES


def _ellipse(shape: tuple[int, int], cy: float, cx: float, ry: float, rx: float,
             angle: float, wobble: np.ndarray | None = None) -> np.ndarray:
    yy, xx = np.mgrid[0:shape[0], 0:shape[1]].astype(np.float64)
    dy, dx = yy - cy, xx - cx
    c, s = np.cos(angle), np.sin(angle)
    u, v = (c * dx + s * dy) / rx, (-s * dx + c * dy) / ry
    r = np.hypot(u, v)
    if wobble is not None:  # irregular margin: radius modulated by a few harmonics
        theta = np.arctan2(v, u)
        r = r / (1.0 + sum(a * np.cos((k + 2) * theta + ph) for k, (a, ph) in enumerate(wobble)))
    return r <= 1.0


def ultrasound_image(rng: np.random.Generator, shape: tuple[int, int], lesion: np.ndarray,
                     modality: str, case: bool) -> np.ndarray:
    """One image, uint8 ``(rows, cols)`` (TDUS, CEUS) or ``(rows, cols, 3)`` (CDUS)."""
    h, w = shape
    depth = np.linspace(1.0, 0.55, h)[:, None]  # attenuation with depth
    tissue = 0.45 * depth * rng.rayleigh(1.0, size=shape)  # speckle
    contrast = 0.35 if case else 0.22
    inside = lesion * (contrast + (0.25 if case else 0.1) * rng.rayleigh(1.0, size=shape))
    img = np.where(lesion, inside, tissue)
    if modality == "CEUS":
        img = np.where(lesion, img * (1.9 if case else 1.4), img * 0.7)
    img = np.clip(img, 0, 1)
    if modality != "CDUS":
        return (img * 255).astype(np.uint8)
    rgb = np.repeat(img[..., None], 3, axis=2)
    n_blobs = rng.poisson(6 if case else 2) + 1
    ys, xs = np.nonzero(lesion)
    for _ in range(n_blobs):
        i = rng.integers(ys.size)
        blob = _ellipse(shape, ys[i], xs[i], rng.uniform(2, 5), rng.uniform(2, 5), rng.uniform(0, np.pi))
        colour = np.array([0.9, 0.1, 0.1]) if rng.random() < 0.5 else np.array([0.1, 0.2, 0.9])
        rgb[blob] = colour
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def make_image_set(root: str | Path, *, n_patients: int = 8, seed: int = 0,
                   modalities: Sequence[str] = DEFAULT_MODALITIES, raters: Sequence[str] = ("1", "2"),
                   shape: tuple[int, int] = (96, 128), prevalence: float = 0.5,
                   mask_format: str = "png") -> tuple[Path, pd.DataFrame]:
    """Write images, masks and ``manifest.csv`` under ``root``; return (manifest path, outcomes).

    The outcomes DataFrame has ``patient_id`` and ``metastasis`` (0/1). Paths in the
    manifest are relative to it. ``mask_format`` is ``"png"`` or ``"nii.gz"``.
    """
    from PIL import Image

    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "masks").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_cases = max(1, int(round(n_patients * prevalence)))
    outcome = np.zeros(n_patients, dtype=int)
    outcome[rng.choice(n_patients, n_cases, replace=False)] = 1
    h, w = shape
    rows = []
    for i in range(n_patients):
        pid = f"P{i + 1:03d}"
        case = bool(outcome[i])
        size = rng.uniform(0.22, 0.32) if case else rng.uniform(0.14, 0.24)
        cy, cx = rng.uniform(0.4, 0.6) * h, rng.uniform(0.4, 0.6) * w
        ry, rx = size * h, size * w * rng.uniform(0.8, 1.2)
        angle = rng.uniform(0, np.pi)
        wobble = np.column_stack([rng.uniform(0, 0.12 if case else 0.05, 3), rng.uniform(0, 2 * np.pi, 3)])
        truth = _ellipse(shape, cy, cx, ry, rx, angle, wobble)
        for modality in modalities:
            image = ultrasound_image(rng, shape, truth, modality, case)
            img_path = root / "images" / f"{pid}_{modality}.png"
            Image.fromarray(image).save(img_path)
            for r_i, rater in enumerate(raters):
                if r_i == 0:
                    mask = truth
                else:  # a second sonographer: slightly different outline
                    mask = _ellipse(shape, cy + rng.normal(0, 1.0), cx + rng.normal(0, 1.0),
                                    ry * rng.uniform(0.93, 1.07), rx * rng.uniform(0.93, 1.07),
                                    angle + rng.normal(0, 0.05), wobble)
                mask_path = root / "masks" / f"{pid}_{modality}_r{rater}.{mask_format}"
                write_mask(mask_path, mask)
                rows.append({"patient_id": pid, "modality": modality, "rater": rater,
                             "image": img_path.relative_to(root).as_posix(),
                             "mask": mask_path.relative_to(root).as_posix()})
    manifest = root / "manifest.csv"
    pd.DataFrame(rows).to_csv(manifest, index=False)
    outcomes = pd.DataFrame({"patient_id": [f"P{i + 1:03d}" for i in range(n_patients)],
                             "metastasis": outcome})
    return manifest, outcomes


def write_mask(path: str | Path, mask: np.ndarray) -> Path:
    """Save a boolean mask as PNG (0/255) or NIfTI (``.nii``/``.nii.gz``, ITK axis order)."""
    path = Path(path)
    name = path.name.lower()
    if name.endswith(".nii") or name.endswith(".nii.gz"):
        import nibabel as nib

        # ITK-SNAP stores a 2-D segmentation as (x, y, 1) = (column, row, 1)
        data = np.asarray(mask, dtype=np.uint8).T[:, :, None]
        nib.save(nib.Nifti1Image(data, affine=np.eye(4)), str(path))
    else:
        from PIL import Image

        Image.fromarray((np.asarray(mask, dtype=np.uint8) * 255)).save(path)
    return path
