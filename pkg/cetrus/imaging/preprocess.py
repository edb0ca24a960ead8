"""From an image and its ROI mask to the network's input tensor.

Steps (each configurable through :class:`Preprocessing`):

1. optionally set pixels outside the mask to 0 (``mask_outside``);
2. crop to the mask's bounding box grown by ``margin`` pixels (clipped to the image);
3. resize to ``size × size`` with Pillow's bilinear (or bicubic) filter, which widens
   its support when shrinking (antialiasing), on float32 intensities;
4. grey → 3 identical channels (colour images keep their RGB channels);
5. ImageNet normalisation ``(x − mean) / std`` per channel, on [0, 1] intensities.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from cetrus.errors import InputError
from cetrus.imaging.model import IMAGENET_MEAN, IMAGENET_STD


@dataclass(frozen=True, slots=True)
class Preprocessing:
    """How an ROI becomes a network input; recorded in the output and in the cache key."""

    size: int = 224
    margin: int = 0
    mask_outside: bool = False
    interpolation: str = "bilinear"
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD

    def __post_init__(self) -> None:
        if not isinstance(self.size, (int, np.integer)) or self.size < 32:
            raise InputError(
                f"The 'size' parameter of Preprocessing must be an integer >= 32. "
                f"Got {self.size!r} instead."
            )
        if not isinstance(self.margin, (int, np.integer)) or self.margin < 0:
            raise InputError(
                f"The 'margin' parameter of Preprocessing must be an integer >= 0 "
                f"(pixels). Got {self.margin!r} instead."
            )
        if self.interpolation not in ("bilinear", "bicubic"):
            raise InputError(
                f"The 'interpolation' parameter of Preprocessing must be one of "
                f"'bilinear', 'bicubic'. Got {self.interpolation!r} instead."
            )

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["mean"], d["std"] = list(self.mean), list(self.std)
        return d


def bounding_box(mask: np.ndarray, margin: int = 0) -> tuple[int, int, int, int]:
    """``(row0, row1, col0, col1)`` (half-open) of the mask's non-zero pixels, grown by ``margin``."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        raise InputError("mask is empty")
    h, w = mask.shape
    return (
        max(int(rows[0]) - margin, 0),
        min(int(rows[-1]) + 1 + margin, h),
        max(int(cols[0]) - margin, 0),
        min(int(cols[-1]) + 1 + margin, w),
    )


def roi_array(
    image: np.ndarray,
    mask: np.ndarray | None,
    settings: Preprocessing,
    box: tuple[int, int, int, int] | None = None,
) -> np.ndarray:
    """The normalised ``(3, size, size)`` float32 array of one ROI.

    Pure numpy/Pillow (no torch ops), so preparing the next batch in a background
    thread does not compete with the network for torch's thread pool. ``box`` (from
    :func:`bounding_box`) skips recomputing it; then ``mask`` may be ``None`` unless
    ``settings.mask_outside``.
    """
    from PIL import Image

    if mask is None:
        if box is None or settings.mask_outside:
            raise InputError("roi_array needs the mask (or its box without mask_outside)")
        r0, r1, c0, c1 = box
    else:
        if image.shape[:2] != mask.shape:
            raise InputError(
                f"mask size {mask.shape[1]}x{mask.shape[0]} differs from image "
                f"size {image.shape[1]}x{image.shape[0]} (width x height)"
            )
        r0, r1, c0, c1 = box if box is not None else bounding_box(mask, settings.margin)
    crop = image[r0:r1, c0:c1]
    if settings.mask_outside and mask is not None:  # (no mask with mask_outside raised above)
        m = mask[r0:r1, c0:c1]
        crop = crop * (m[..., None] if crop.ndim == 3 else m)
    resample = (
        Image.Resampling.BILINEAR
        if settings.interpolation == "bilinear"
        else Image.Resampling.BICUBIC
    )
    channels = [crop] if crop.ndim == 2 else [crop[..., k] for k in range(3)]
    out = np.empty((3, settings.size, settings.size), dtype=np.float32)
    for k, ch in enumerate(channels):
        im = Image.fromarray(np.ascontiguousarray(ch, dtype=np.float32), mode="F")
        out[k] = np.asarray(im.resize((settings.size, settings.size), resample))
    if len(channels) == 1:
        out[1] = out[0]
        out[2] = out[0]
    mean = np.asarray(settings.mean, dtype=np.float32)[:, None, None]
    std = np.asarray(settings.std, dtype=np.float32)[:, None, None]
    out -= mean
    out /= std
    return out


def roi_tensor(image: np.ndarray, mask: np.ndarray, settings: Preprocessing):
    """:func:`roi_array` as a torch tensor."""
    import torch

    return torch.from_numpy(roi_array(image, mask, settings))
