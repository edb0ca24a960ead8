"""Reading ultrasound images and ROI masks as users have them.

Images
    PNG, JPEG, BMP and TIFF (Pillow) and DICOM (pydicom; recognised by the ``DICM``
    marker at byte 128, whatever the file's extension). Grey or colour (colour Doppler
    and CEUS screenshots are often RGB). Returned as float32 in [0, 1], shape
    ``(rows, cols)`` for grey and ``(rows, cols, 3)`` for colour.

Masks
    PNG/BMP/TIFF (any 2-D label image) or NIfTI (``.nii``/``.nii.gz``, as ITK-SNAP
    saves a segmentation of a 2-D image: voxel axes ``(x, y[, 1])`` = (column, row),
    so the array is transposed to ``(rows, cols)``). A mask must be *binary*: 0 for
    background and one non-zero label; returned as a boolean array.

Intensity scaling (documented because it changes the network's input):
8-bit images are divided by 255, 16-bit by 65,535, DICOM by ``2**BitsStored - 1``
(``MONOCHROME1`` is inverted so that bright means high signal); floating-point images
(and signed DICOM) are min–max scaled to [0, 1].

Every error raised here is an :class:`~cetrus.errors.InputError` with one line; the
manifest layer prefixes the manifest row it came from.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from cetrus._optional import import_optional
from cetrus.errors import InputError

#: the most pixels (rows x columns) an image or mask may have; checked from the file's
#: header before any pixel is decoded (an ultrasound frame has about 0.3-2 million)
MAX_PIXELS = 50_000_000

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".dcm", ".dicom")
MASK_SUFFIXES = (".png", ".bmp", ".tif", ".tiff", ".nii", ".nii.gz")


def is_dicom(data: bytes) -> bool:
    """True when ``data`` carries the DICOM preamble marker (``DICM`` at byte 128)."""
    return len(data) >= 132 and data[128:132] == b"DICM"


def is_nifti(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith(".nii") or name.endswith(".nii.gz")


# --------------------------------------------------------------------------- images


def read_image(path: str | Path, data: bytes | None = None) -> np.ndarray:
    """Decode an image file into float32 in [0, 1], ``(rows, cols)`` or ``(rows, cols, 3)``.

    ``data`` (the file's bytes, when the caller already read them to hash them) avoids
    a second read.
    """
    path = Path(path)
    if data is None:
        data = _read_bytes(path, "image")
    if is_dicom(data):
        return _read_dicom(path, data)
    from PIL import Image, UnidentifiedImageError

    try:
        with _pil_open(data) as im:
            _check_pixels(im.size[1], im.size[0], path, "image")
            if getattr(im, "n_frames", 1) > 1:
                raise InputError(
                    f"image has {im.n_frames} frames; export the one frame to analyse: {path}"
                )
            return _pil_to_float(im, path)
    except InputError:
        raise
    except UnidentifiedImageError:
        raise InputError(f"image is not a readable PNG/JPEG/BMP/TIFF/DICOM file: {path}") from None
    except Image.DecompressionBombError:
        raise InputError(
            f"image has more than {MAX_PIXELS:,} pixels (Pillow refuses it as a "
            f"decompression bomb): {path}"
        ) from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt file
        raise InputError(f"image cannot be decoded ({_first_line(exc)}): {path}") from None


def image_shape(path: str | Path, data: bytes | None = None) -> tuple[int, int]:
    """``(rows, cols)`` of an image from its header only (no pixel decoding)."""
    path = Path(path)
    if data is None:
        data = _read_bytes(path, "image")
    if is_dicom(data):
        pydicom = import_optional("pydicom", "reading a DICOM image")

        try:
            ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
            rows, cols = int(ds.Rows), int(ds.Columns)
        except Exception as exc:  # pydicom raises many types for broken files
            raise InputError(f"DICOM header unreadable ({_first_line(exc)}): {path}") from None
        _check_pixels(rows, cols, path, "image")
        return rows, cols
    from PIL import Image, UnidentifiedImageError

    try:
        with _pil_open(data) as im:
            cols, rows = im.size
    except Image.DecompressionBombError:
        raise InputError(
            f"image has more than {MAX_PIXELS:,} pixels (Pillow refuses it as a "
            f"decompression bomb): {path}"
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InputError(f"image is not a readable PNG/JPEG/BMP/TIFF/DICOM file: {path}") from None
    _check_pixels(rows, cols, path, "image")
    return rows, cols


def _pil_open(data: bytes):
    """Pillow's ``Image.open`` without its decompression-bomb *warning* (an extra stderr
    line); cetrus refuses images above :data:`MAX_PIXELS` itself, naming the file."""
    import warnings

    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data))


def _check_pixels(rows: int, cols: int, path: Path, what: str) -> None:
    """Refuse an image larger than :data:`MAX_PIXELS` before its pixels are decoded."""
    if rows * cols > MAX_PIXELS:
        raise InputError(
            f"{what} is {cols}x{rows} pixels (width x height), more than the "
            f"{MAX_PIXELS:,} cetrus reads: {path}"
        )


def _pil_to_float(im, path: Path) -> np.ndarray:
    mode = im.mode
    if mode in ("P", "PA", "CMYK", "YCbCr", "LAB", "HSV"):
        im = im.convert("RGB")
    elif mode == "RGBA":
        im = im.convert("RGB")  # alpha is display-only in ultrasound exports
    elif mode in ("1", "LA"):
        im = im.convert("L")
    arr = np.asarray(im)
    if mode.startswith("I;16") or (arr.dtype.kind in "iu" and arr.dtype.itemsize == 2):
        return _scale_int(arr.astype(np.float32), 65535.0)
    if arr.dtype.kind == "f":
        return _minmax(arr)
    if mode == "I":  # 32-bit integer container, usually holding 16-bit data
        top = 65535.0 if arr.size == 0 or arr.max() <= 65535 else float(np.iinfo(np.int32).max)
        return _scale_int(arr.astype(np.float32), top)
    if arr.dtype == bool:
        return arr.astype(np.float32)
    return _scale_int(arr.astype(np.float32), 255.0)


def _scale_int(arr: np.ndarray, top: float) -> np.ndarray:
    return np.clip(arr / np.float32(top), 0.0, 1.0).astype(np.float32, copy=False)


def _minmax(arr: np.ndarray) -> np.ndarray:
    arr = np.asarray(arr, dtype=np.float32)
    if not np.isfinite(arr).all():
        raise InputError("image has non-finite pixel values")
    lo, hi = float(arr.min()), float(arr.max())
    if hi <= lo:
        return np.zeros_like(arr)
    return (arr - lo) / np.float32(hi - lo)


def _read_dicom(path: Path, data: bytes) -> np.ndarray:
    pydicom = import_optional("pydicom", "reading a DICOM image")

    try:
        ds = pydicom.dcmread(io.BytesIO(data))
        _check_pixels(
            int(getattr(ds, "Rows", 0) or 0), int(getattr(ds, "Columns", 0) or 0), path, "image"
        )
        frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
        if frames > 1:
            raise InputError(f"DICOM has {frames} frames; export the one frame to analyse: {path}")
        arr = ds.pixel_array  # pydicom 3 returns YBR photometric data converted to RGB
    except InputError:
        raise
    except Exception as exc:  # missing decoder plugin, truncated data, …
        raise InputError(f"DICOM pixel data unreadable ({_first_line(exc)}): {path}") from None
    photometric = str(getattr(ds, "PhotometricInterpretation", "MONOCHROME2")).upper()
    if arr.ndim == 3 and arr.shape[-1] == 4:
        arr = arr[..., :3]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[-1] != 3):
        raise InputError(f"DICOM pixel array has unsupported shape {arr.shape}: {path}")
    if arr.dtype.kind == "f" or int(getattr(ds, "PixelRepresentation", 0)) == 1:
        out = _minmax(arr)
    else:
        bits = int(getattr(ds, "BitsStored", arr.dtype.itemsize * 8) or arr.dtype.itemsize * 8)
        out = _scale_int(arr.astype(np.float32), float(2**bits - 1))
    if photometric == "MONOCHROME1":
        out = 1.0 - out
    return np.ascontiguousarray(out, dtype=np.float32)


# --------------------------------------------------------------------------- masks


def read_mask(path: str | Path, data: bytes | None = None) -> np.ndarray:
    """Decode a binary ROI mask into a boolean ``(rows, cols)`` array.

    Raises :class:`InputError` when the mask has more than one non-zero label (e.g. an
    anti-aliased or multi-label export), is not 2-D, or cannot be decoded. An all-zero
    mask is returned as is (the caller names the row when rejecting it).
    """
    path = Path(path)
    if data is None:
        data = _read_bytes(path, "mask")
    if is_nifti(path):
        arr = _read_nifti(path, data)
    else:
        from PIL import Image, UnidentifiedImageError

        try:
            with _pil_open(data) as im:
                _check_pixels(im.size[1], im.size[0], path, "mask")
                arr = np.asarray(im)
        except InputError:
            raise
        except Image.DecompressionBombError:
            raise InputError(
                f"mask has more than {MAX_PIXELS:,} pixels (Pillow refuses it as a "
                f"decompression bomb): {path}"
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise InputError(f"mask is not a readable PNG/BMP/TIFF/NIfTI file: {path}") from None
        if arr.ndim == 3:
            # colour-saved masks: every channel must carry the same label
            rgb = arr[..., :3]
            if not (rgb == rgb[..., :1]).all():
                raise InputError(
                    f"mask is colour with differing channels; save it as a "
                    f"single-channel label image: {path}"
                )
            arr = rgb[..., 0]
    if arr.ndim != 2:
        raise InputError(f"mask must be 2-D; got shape {arr.shape}: {path}")
    inside = arr != 0
    labels = arr[inside]
    if labels.size and not (labels == labels[0]).all():  # O(n) check; sort only to report
        values = np.unique(arr)
        shown = ", ".join(f"{v:g}" for v in values[:6].astype(float)) + (
            ", …" if values.size > 6 else ""
        )
        raise InputError(
            f"mask is not binary ({values.size} distinct values: {shown}); "
            f"expected 0 and one label: {path}"
        )
    return inside


def _read_nifti(path: Path, data: bytes) -> np.ndarray:
    nib = import_optional("nibabel", "reading a NIfTI mask")

    try:
        # nibabel detects gzip from the name; from_bytes needs the uncompressed stream
        raw = data
        if str(path).lower().endswith(".gz"):
            import gzip

            raw = gzip.decompress(data)
        img = nib.Nifti1Image.from_bytes(raw)
        if int(np.prod(img.shape, dtype=np.float64)) > MAX_PIXELS:
            raise InputError(
                f"NIfTI mask has shape {img.shape}, more than the {MAX_PIXELS:,} "
                f"pixels cetrus reads: {path}"
            )
        arr = np.asanyarray(img.dataobj)
    except InputError:
        raise
    except Exception as exc:  # nibabel raises several types for broken files
        raise InputError(f"NIfTI mask unreadable ({_first_line(exc)}): {path}") from None
    while arr.ndim > 2 and arr.shape[-1] == 1:
        arr = arr[..., 0]
    if arr.ndim != 2:
        raise InputError(f"NIfTI mask must be one 2-D slice; got shape {arr.shape}: {path}")
    # voxel axes are (x = column, y = row): transpose to (rows, cols)
    return np.ascontiguousarray(arr.T)


# --------------------------------------------------------------------------- helpers


def _read_bytes(path: Path, what: str) -> bytes:
    import stat as _stat

    try:
        st = path.stat()
        if not _stat.S_ISDIR(st.st_mode) and not _stat.S_ISREG(st.st_mode):
            raise InputError(f"{what} is not a regular file (a device, FIFO or socket): {path}")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory: {path}") from None
    except OSError as exc:
        raise InputError(f"{what} unreadable ({exc.strerror or exc}): {path}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__
