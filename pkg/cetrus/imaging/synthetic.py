"""Small ultrasound-like image sets with two raters' masks, for tests, benchmarks and demos.

Not data: a seeded generator of images that *look like* the inputs (speckled
grey-scale B-mode, RGB colour Doppler with red/blue flow, RGB power Doppler in one
hue, brighter contrast enhancement; PNG or DICOM images, PNG or NIfTI masks) so that the whole chain manifest → extraction → agreement → selection
runs on real files. The lesion of a "case" (outcome 1) is larger and more
heterogeneous than a control's, so selection has something to find; rater 2's
ellipse is rater 1's, slightly perturbed, as two sonographers would draw it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cetrus.imaging.manifest import DEFAULT_MODALITIES


def _ellipse(
    shape: tuple[int, int],
    cy: float,
    cx: float,
    ry: float,
    rx: float,
    angle: float,
    wobble: np.ndarray | None = None,
) -> np.ndarray:
    yy, xx = np.mgrid[0 : shape[0], 0 : shape[1]].astype(np.float64)
    dy, dx = yy - cy, xx - cx
    c, s = np.cos(angle), np.sin(angle)
    u, v = (c * dx + s * dy) / rx, (-s * dx + c * dy) / ry
    r = np.hypot(u, v)
    if wobble is not None:  # irregular margin: radius modulated by a few harmonics
        theta = np.arctan2(v, u)
        r = r / (1.0 + sum(a * np.cos((k + 2) * theta + ph) for k, (a, ph) in enumerate(wobble)))
    return r <= 1.0


#: the image style of the replica's modality names; other names default to "grey"
STYLES = {"TDUS": "grey", "CDUS": "doppler", "CEUS": "contrast"}


def ultrasound_image(
    rng: np.random.Generator,
    shape: tuple[int, int],
    lesion: np.ndarray,
    modality: str,
    case: bool | float,
    *,
    style: str | None = None,
    variability: float = 0.0,
) -> np.ndarray:
    """One image, uint8 ``(rows, cols)`` (grey, contrast) or ``(rows, cols, 3)`` (Doppler).

    ``style`` is ``"grey"`` (B-mode), ``"doppler"`` (colour Doppler: red/blue flow),
    ``"power"`` (power Doppler: one orange hue whose brightness is the flow) or
    ``"contrast"`` (contrast enhancement); by default it follows :data:`STYLES` for
    ``modality`` (else ``"grey"``). A case's lesion is brighter, more heterogeneous
    and (Doppler) more vascular than a control's.
    """
    style = STYLES.get(modality, "grey") if style is None else style
    if style not in ("grey", "doppler", "power", "contrast"):
        raise ValueError(f"style must be 'grey', 'doppler', 'power' or 'contrast'; got {style!r}")
    h = shape[0]
    depth = np.linspace(1.0, 0.55, h)[:, None]  # attenuation with depth
    tissue = 0.45 * depth * rng.rayleigh(1.0, size=shape)  # speckle
    w = float(case)  # 1 = a case at full signal, 0 = a control; in between: weaker signal
    contrast = 0.22 + 0.13 * w
    texture = 0.1 + 0.15 * w
    if variability > 0:  # lesions differ between patients of one group, too
        contrast += rng.normal(0.0, variability)
        texture = max(0.02, texture + rng.normal(0.0, variability))
    inside = lesion * (contrast + texture * rng.rayleigh(1.0, size=shape))
    img = np.where(lesion, inside, tissue)
    if style == "contrast":
        img = np.where(lesion, img * (1.4 + 0.5 * w), img * 0.7)
    img = np.clip(img, 0, 1)
    if style in ("grey", "contrast"):
        return (img * 255).astype(np.uint8)
    rgb = np.repeat(img[..., None], 3, axis=2)
    n_blobs = rng.poisson(2.0 + 4.0 * w) + 1
    ys, xs = np.nonzero(lesion)
    for _ in range(n_blobs):
        i = rng.integers(ys.size)
        blob = _ellipse(
            shape, ys[i], xs[i], rng.uniform(2, 5), rng.uniform(2, 5), rng.uniform(0, np.pi)
        )
        if style == "power":
            colour = np.array([1.0, 0.55, 0.1]) * rng.uniform(0.6, 1.0)
        else:
            colour = np.array([0.9, 0.1, 0.1]) if rng.random() < 0.5 else np.array([0.1, 0.2, 0.9])
        rgb[blob] = colour
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def make_image_set(
    root: str | Path,
    *,
    n_patients: int = 8,
    seed: int = 0,
    modalities: Sequence[str] = DEFAULT_MODALITIES,
    raters: Sequence[str] = ("1", "2"),
    shape: tuple[int, int] = (96, 128),
    prevalence: float = 0.5,
    mask_format: str = "png",
    outcome: Sequence[int] | None = None,
    patient_ids: Sequence[str] | None = None,
    styles: Mapping[str, str] | None = None,
    image_formats: Mapping[str, str] | None = None,
    mask_formats: Mapping[str, str] | None = None,
    signal: float = 1.0,
    variability: float = 0.0,
) -> tuple[Path, pd.DataFrame]:
    """Write images, masks and ``manifest.csv`` under ``root``; return (manifest path, outcomes).

    The outcomes DataFrame has ``patient_id`` and ``metastasis`` (0/1). Paths in the
    manifest are relative to it. ``mask_format`` is ``"png"`` or ``"nii.gz"``.

    Optional, for studies unlike the replica: ``outcome`` (0/1 per patient, instead
    of drawing ``prevalence``), ``patient_ids`` (instead of ``P001 …``), ``styles``
    (modality → :func:`ultrasound_image` style), ``image_formats`` (modality →
    ``"png"`` or ``"dcm"``: DICOM, RGB for a colour style) and ``mask_formats``
    (rater → ``"png"``, ``"nii"`` or ``"nii.gz"``; default ``mask_format``), ``signal``
    (how far a case's lesion differs from a control's: 1 = fully, as by default; 0 = not
    at all; in between a weaker difference) and ``variability`` (the SD of each lesion's
    own brightness and texture around its group's: 0, the default, makes every lesion of
    a group alike, so any ``signal`` separates the groups perfectly).
    """
    from PIL import Image

    root = Path(root)
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "masks").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    if outcome is None:
        n_cases = max(1, int(round(n_patients * prevalence)))
        labels = np.zeros(n_patients, dtype=int)
        labels[rng.choice(n_patients, n_cases, replace=False)] = 1
    else:
        labels = np.asarray(outcome, dtype=int)
        if labels.shape != (n_patients,) or not np.isin(labels, (0, 1)).all():
            raise ValueError(f"outcome must be {n_patients} values 0/1")
    ids = (
        [f"P{i + 1:03d}" for i in range(n_patients)]
        if patient_ids is None
        else [str(p) for p in patient_ids]
    )
    if len(ids) != n_patients or len(set(ids)) != n_patients:
        raise ValueError(f"patient_ids must be {n_patients} distinct ids")
    styles = dict(styles or {})
    image_formats = dict(image_formats or {})
    mask_formats = dict(mask_formats or {})
    h, w = shape
    rows = []
    for i in range(n_patients):
        pid = ids[i]
        case = float(signal) if labels[i] else 0.0  # how far a case's lesion differs
        size = rng.uniform(0.14, 0.24) + 0.08 * case
        cy, cx = rng.uniform(0.4, 0.6) * h, rng.uniform(0.4, 0.6) * w
        ry, rx = size * h, size * w * rng.uniform(0.8, 1.2)
        angle = rng.uniform(0, np.pi)
        wobble = np.column_stack(
            [rng.uniform(0, 0.05 + 0.07 * case, 3), rng.uniform(0, 2 * np.pi, 3)]
        )
        truth = _ellipse(shape, cy, cx, ry, rx, angle, wobble)
        for modality in modalities:
            image = ultrasound_image(
                rng,
                shape,
                truth,
                modality,
                case,
                style=styles.get(modality),
                variability=variability,
            )
            fmt = image_formats.get(modality, "png")
            if fmt == "dcm":
                img_path = write_dicom(root / "images" / f"{pid}_{modality}.dcm", image)
            elif fmt == "png":
                img_path = root / "images" / f"{pid}_{modality}.png"
                Image.fromarray(image).save(img_path)
            else:
                raise ValueError(f"image format must be 'png' or 'dcm'; got {fmt!r}")
            for r_i, rater in enumerate(raters):
                if r_i == 0:
                    mask = truth
                else:  # a second sonographer: slightly different outline
                    mask = _ellipse(
                        shape,
                        cy + rng.normal(0, 1.0),
                        cx + rng.normal(0, 1.0),
                        ry * rng.uniform(0.93, 1.07),
                        rx * rng.uniform(0.93, 1.07),
                        angle + rng.normal(0, 0.05),
                        wobble,
                    )
                mfmt = mask_formats.get(rater, mask_format)
                stem = f"{pid}_{modality}_{rater}" if mask_formats else f"{pid}_{modality}_r{rater}"
                mask_path = root / "masks" / f"{stem}.{mfmt}"
                write_mask(mask_path, mask)
                rows.append(
                    {
                        "patient_id": pid,
                        "modality": modality,
                        "rater": rater,
                        "image": img_path.relative_to(root).as_posix(),
                        "mask": mask_path.relative_to(root).as_posix(),
                    }
                )
    manifest = root / "manifest.csv"
    pd.DataFrame(rows).to_csv(manifest, index=False)
    outcomes = pd.DataFrame({"patient_id": ids, "metastasis": labels})
    return manifest, outcomes


def write_dicom(path: str | Path, pixels: np.ndarray) -> Path:
    """Save a uint8 grey ``(rows, cols)`` or RGB ``(rows, cols, 3)`` image as an uncompressed
    ultrasound DICOM file (explicit VR little endian), as a scanner exports a frame."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, UltrasoundImageStorage, generate_uid

    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    if pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[2] != 3):
        raise ValueError(f"pixels must be (rows, cols) or (rows, cols, 3); got {pixels.shape}")
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = UltrasoundImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = UltrasoundImageStorage
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "US"
    ds.Rows, ds.Columns = pixels.shape[:2]
    ds.SamplesPerPixel = 3 if pixels.ndim == 3 else 1
    ds.PhotometricInterpretation = "RGB" if pixels.ndim == 3 else "MONOCHROME2"
    if pixels.ndim == 3:
        ds.PlanarConfiguration = 0
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit = 7
    ds.PixelRepresentation = 0
    ds.PixelData = pixels.tobytes()
    path = Path(path)
    ds.save_as(path, enforce_file_format=True)
    return path


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

        Image.fromarray(np.asarray(mask, dtype=np.uint8) * 255).save(path)
    return path
