"""Manifest → DenseNet201 penultimate features → one parquet file.

:func:`extract_features` reads every ROI of a manifest, runs the network in batches
(the next batch is decoded and resized in a background thread while the current one
runs), and writes one row per manifest row: ``patient_id, modality, rater`` and the
1,920 features ``f0000 … f1919`` (float32). The parquet's schema metadata (key
``cetrus``) records the preprocessing settings, the weights' identity, the device and
the library versions; :func:`read_features` returns both.

Cache
    Each ROI's features are stored under a key hashing the image's and the mask's
    *content*, the preprocessing settings, the weights' identity, the device type and
    the torch version; a re-run extracts only what changed. ``cache=False`` bypasses it
    (no reads, no writes). Location: ``cache_dir``, else ``$CETRUS_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/cetrus/features`` (``~/.cache/cetrus/features``).

Determinism
    An ROI's features do not depend on the batch size, on its place in a batch, on its
    batch companions or on what the cache already held. Every forward pass has the same
    shape: exactly :data:`FORWARD_SIZE` images for the device type (the last pass of a
    batch filled up by repeating its last image; those outputs are discarded), so the
    convolution library sees one input shape and picks one algorithm, and an image's
    features depend only on its own pixels and that fixed size. ``batch_size`` is the
    number of ROIs decoded per step, rounded up to a multiple of the forward size.
    Measured on CPU (torch 2.14, oneDNN, 224 px, random weights): a pass of ONE image
    takes another convolution path and differs by up to 2.4e-7 (features are ~1 in
    size) from the same image in a pass of 16; passes of 2 … 48 images gave each image
    bit-identical features whatever its position and companions. That is this CPU's
    heuristics; the fixed shape does not rely on it. The forward size is part of the
    cache key, so entries made under another size are not reused.
    ``tests/imaging/test_extract_determinism.py`` checks bit-identity for batch sizes 1, 3
    and all, one ROI per run, and a partly filled cache. On CUDA the algorithm choice is
    cuDNN's and not checked here (the device type is part of the cache key).

Errors
    Missing/unreadable image or mask, an empty or non-binary mask, a mask whose size
    differs from its image: an :class:`~cetrus.errors.InputError` naming the manifest
    row. Masks and image headers are checked before the network runs; the output is
    written to a temporary file and renamed, so a failed run leaves no partial file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError
from cetrus.imaging.manifest import Manifest, ManifestRow, read_manifest
from cetrus.imaging.model import N_FEATURES
from cetrus.imaging.preprocess import Preprocessing

ID_COLUMNS = ("patient_id", "modality", "rater")
FEATURE_FORMAT = "f{:04d}"
METADATA_KEY = b"cetrus"
#: bump when the meaning of a cached vector changes
_CACHE_VERSION = 2
#: images in every forward pass, per device type (see "Determinism"); CPU: measured
#: throughput at 224 px is flat from 4 images per pass up; CUDA: a larger pass (a choice, not
#: measured here)
FORWARD_SIZE = {"cpu": 8, "cuda": 32}
#: prepare the next batch in a background thread while the network runs
_PREFETCH = True


def feature_columns(n: int = N_FEATURES) -> list[str]:
    """``["f0000", …, "f1919"]``."""
    return [FEATURE_FORMAT.format(j) for j in range(n)]


@dataclass(frozen=True, slots=True)
class ExtractionReport(Result):
    """What a run did: where it wrote, how many ROIs came from the network vs the cache."""

    out: str
    n_rows: int
    n_extracted: int
    n_cached: int
    seconds: float
    images_per_second: float
    model_seconds: float
    weights: dict = field(default_factory=dict)
    preprocessing: dict = field(default_factory=dict)
    device: str = "cpu"

    @property
    def out_path(self) -> Path:
        return Path(self.out)


def default_cache_dir() -> Path:
    env = os.environ.get("CETRUS_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "cetrus" / "features"


def extract_features(
    manifest: str | Path | Manifest,
    out: str | Path,
    *,
    weights: str | os.PathLike = "imagenet",
    seed: int = 0,
    device: str = "cpu",
    batch_size: int = 16,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    size: int = 224,
    margin: int = 0,
    mask_outside: bool = False,
    modalities: Sequence[str] | None = None,
    progress: bool | None = None,
) -> Path:
    """Extract DenseNet201 penultimate features for every manifest row; return the parquet path.

    Parameters
    ----------
    manifest : path of the manifest CSV (see :func:`~cetrus.imaging.manifest.read_manifest`)
        or an already read :class:`~cetrus.imaging.manifest.Manifest`.
    out : the parquet file to write (atomically).
    weights : ``"imagenet"``, ``"none"`` (seeded random) or a state-dict path
        (see :mod:`cetrus.imaging.model`).
    seed : seed of the random initialisation (``weights="none"`` only).
    device : ``"cpu"``, ``"cuda"`` or ``"cuda:N"``.
    batch_size : ROIs decoded per step (rounded up to a multiple of the fixed forward-pass
        size :data:`FORWARD_SIZE`); speed and memory only, never the values.
    cache, cache_dir : see the module docstring.
    size, margin, mask_outside : see :class:`~cetrus.imaging.preprocess.Preprocessing`.
    modalities : allowed modality names (default ``None``: any).
    progress : progress bar on stderr (default: when stderr is a terminal and CI is not set).

    Notes
    -----
    The paper (Section 2.5) applies an ImageNet-pretrained DenseNet201 to each ROI
    and keeps the 1,920 outputs of its adaptive average pooling layer.
    """
    return run_extraction(
        manifest,
        out,
        weights=weights,
        seed=seed,
        device=device,
        batch_size=batch_size,
        cache=cache,
        cache_dir=cache_dir,
        size=size,
        margin=margin,
        mask_outside=mask_outside,
        modalities=modalities,
        progress=progress,
    ).out_path


def run_extraction(
    manifest: str | Path | Manifest,
    out: str | Path,
    *,
    weights: str | os.PathLike = "imagenet",
    seed: int = 0,
    device: str = "cpu",
    batch_size: int = 16,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    size: int = 224,
    margin: int = 0,
    mask_outside: bool = False,
    modalities: Sequence[str] | None = None,
    progress: bool | None = None,
) -> ExtractionReport:
    """As :func:`extract_features`, returning an :class:`ExtractionReport` (the CLI prints it)."""
    start = time.perf_counter()
    _check_batch_size(batch_size)
    _require_imaging()  # before the manifest's images are read: one line naming the extra
    m = (
        manifest
        if isinstance(manifest, Manifest)
        else read_manifest(manifest, modalities=modalities)
    )
    out = Path(out)
    run = manifest_features(
        m,
        weights=weights,
        seed=seed,
        device=device,
        batch_size=batch_size,
        cache=cache,
        cache_dir=cache_dir,
        size=size,
        margin=margin,
        mask_outside=mask_outside,
        progress=progress,
    )
    _write_parquet_atomic(run.frame, out, run.meta)
    seconds = time.perf_counter() - start
    return ExtractionReport(
        out=str(out),
        n_rows=len(m.rows),
        n_extracted=run.n_extracted,
        n_cached=run.n_cached,
        seconds=seconds,
        images_per_second=(run.n_unique_extracted / seconds)
        if run.n_unique_extracted
        else float("nan"),
        model_seconds=run.model_seconds,
        weights=run.meta["weights"],
        preprocessing=run.meta["preprocessing"],
        device=run.device,
    )


@dataclass(frozen=True, slots=True)
class ManifestFeatures:
    """Features of every manifest row, in manifest order, before anything is written.

    ``frame`` has ``patient_id, modality, rater`` and ``f0000 …`` (float32); ``meta`` is
    what the parquet's ``cetrus`` metadata records.
    """

    frame: pd.DataFrame
    meta: dict
    n_extracted: int  # rows whose features came from the network
    n_cached: int  # rows whose features came from the cache
    n_unique_extracted: int  # distinct ROIs run through the network (identical ROIs run once)
    model_seconds: float
    device: str


def manifest_features(
    m: Manifest,
    *,
    weights: str | os.PathLike = "imagenet",
    seed: int = 0,
    device: str = "cpu",
    batch_size: int = 16,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    size: int = 224,
    margin: int = 0,
    mask_outside: bool = False,
    progress: bool | None = None,
) -> ManifestFeatures:
    """The features of every row of a read manifest (cache, network, no output file).

    The engine under :func:`run_extraction` (which writes the parquet) and
    :func:`cetrus.imaging.study_features` (which splits per modality and rater).
    """
    _check_batch_size(batch_size)
    _require_imaging()
    settings = Preprocessing(size=size, margin=margin, mask_outside=mask_outside)
    dev = _device(device)

    import torch

    from cetrus.imaging.model import weights_identity

    identity = weights_identity(weights, seed=seed)
    forward = FORWARD_SIZE[dev.type]
    hashes = [_row_hashes(row) for row in m.rows]
    keys = [
        _cache_key(hi, hm, settings, identity, dev.type, torch.__version__, forward)
        for hi, hm in hashes
    ]
    store = (
        _Cache(Path(cache_dir) if cache_dir is not None else default_cache_dir()) if cache else None
    )

    vectors: dict[str, np.ndarray] = {}
    todo: dict[str, ManifestRow] = {}  # one row per distinct key (identical ROIs run once)
    for row, key in zip(m.rows, keys):
        if key in vectors or key in todo:
            continue
        hit = store.get(key) if store is not None else None
        if hit is not None:
            vectors[key] = hit
        else:
            todo[key] = row
    n_cached = sum(1 for k in keys if k in vectors)

    boxes = {key: _precheck(row, settings) for key, row in todo.items()}  # fail early

    model_seconds = 0.0
    if todo:
        model_vectors, model_seconds = _run_network(
            [(k, r, boxes[k]) for k, r in todo.items()],
            settings,
            weights,
            seed,
            dev,
            int(batch_size),
            progress,
        )
        for key, vec in model_vectors.items():
            vectors[key] = vec
            if store is not None:
                store.put(key, vec)

    features = np.stack([vectors[k] for k in keys]).astype(np.float32, copy=False)
    frame = pd.DataFrame(features, columns=feature_columns(features.shape[1]))
    ids = pd.DataFrame(
        {
            "patient_id": [r.patient_id for r in m.rows],
            "modality": [r.modality for r in m.rows],
            "rater": [r.rater for r in m.rows],
        }
    )
    frame = pd.concat([ids, frame], axis=1)
    meta = {
        "format": "cetrus-features/1",
        "model": "torchvision densenet201: features -> ReLU -> adaptive_avg_pool2d(1x1) -> flatten",
        "n_features": int(features.shape[1]),
        "weights": identity,
        "preprocessing": settings.to_dict(),
        "device": dev.type,
        "forward_size": forward,
        "versions": _versions(),
        "manifest": str(m.path),
    }
    return ManifestFeatures(
        frame=frame,
        meta=meta,
        n_extracted=len(keys) - n_cached,
        n_cached=n_cached,
        n_unique_extracted=len(todo),
        model_seconds=model_seconds,
        device=str(dev),
    )


def read_features(path: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A features parquet written by :func:`extract_features` and its ``cetrus`` metadata."""
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.is_file():
        raise InputError(f"features file not found: {p}")
    table = pq.read_table(p)
    raw = (table.schema.metadata or {}).get(METADATA_KEY)
    meta = json.loads(raw) if raw else {}
    return table.to_pandas(), meta


# --------------------------------------------------------------------------- internals


def _check_batch_size(batch_size) -> None:
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or batch_size < 1
    ):
        raise InputError(
            f"The 'batch_size' parameter of extract_features must be an integer "
            f">= 1. Got {batch_size!r} instead."
        )


def _require_imaging() -> None:
    """torch, torchvision and Pillow, or one :class:`~cetrus.errors.MissingExtraError`
    naming the ``imaging`` extra (pydicom and nibabel are checked when a DICOM image or a
    NIfTI mask is read)."""
    from cetrus._optional import require_extra

    require_extra("imaging", "DenseNet201 feature extraction", ("torch", "torchvision", "PIL"))


def _device(device: str):
    import torch

    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise InputError(
            f"The 'device' parameter of extract_features must be 'cpu', 'cuda' or "
            f"'cuda:N'. Got {device!r} instead."
        ) from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise InputError(
            f"device {device!r} requested but CUDA is not available "
            f"(torch.cuda.is_available() is False); use --device cpu"
        )
    if dev.type not in ("cpu", "cuda"):
        raise InputError(
            f"The 'device' parameter of extract_features must be 'cpu', 'cuda' or "
            f"'cuda:N'. Got {device!r} instead."
        )
    return dev


def _row_hashes(row: ManifestRow) -> tuple[str, str]:
    return _hash_file(row, row.image, "image"), _hash_file(row, row.mask, "mask")


def _hash_file(row: ManifestRow, path: Path, what: str) -> str:
    try:
        with open(path, "rb") as fh:
            return (
                hashlib.file_digest(fh, "sha256").hexdigest()
                if hasattr(hashlib, "file_digest")
                else hashlib.sha256(fh.read()).hexdigest()
            )
    except FileNotFoundError:
        raise row.error(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise row.error(f"{what} is a directory: {path}") from None
    except OSError as exc:
        raise row.error(f"{what} unreadable ({exc.strerror or exc}): {path}") from None


def _cache_key(
    image_hash: str,
    mask_hash: str,
    settings: Preprocessing,
    identity: dict,
    device_type: str,
    torch_version: str,
    forward_size: int,
) -> str:
    """Everything that changes a vector's numbers: the ROI's content, preprocessing, weights,
    device type, torch version and the forward-pass size (not the batch size: see
    "Determinism")."""
    ident = {k: v for k, v in identity.items() if k not in ("file", "note")}
    payload = json.dumps(
        {
            "v": _CACHE_VERSION,
            "image": image_hash,
            "mask": mask_hash,
            "pre": settings.to_dict(),
            "weights": ident,
            "device": device_type,
            "torch": torch_version,
            "forward": forward_size,
        },
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class _Cache:
    """One ``.npy`` per key under ``root/ab/abcdef….npy``; writes are atomic."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.npy"

    def get(self, key: str) -> np.ndarray | None:
        p = self._path(key)
        if not p.is_file():
            return None
        try:
            vec = np.load(p, allow_pickle=False)
        except (OSError, ValueError):
            return None  # a damaged entry is recomputed
        return vec if vec.shape == (N_FEATURES,) and vec.dtype == np.float32 else None

    def put(self, key: str, vec: np.ndarray) -> None:
        p = self._path(key)
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                np.save(fh, np.asarray(vec, dtype=np.float32))
            os.replace(tmp, p)
        except OSError as exc:  # an unwritable cache must not fail the extraction
            print(
                f"cetrus: warning: feature cache not writable ({exc}); continuing without it",
                file=sys.stderr,
            )


def _precheck(row: ManifestRow, settings: Preprocessing) -> tuple[int, int, int, int]:
    """Header/mask checks that need no pixel decoding of the image; returns the crop box."""
    from cetrus.imaging.io import image_shape, read_mask
    from cetrus.imaging.preprocess import bounding_box

    try:
        shape = image_shape(row.image)
        mask = read_mask(row.mask)
    except InputError as exc:
        raise row.error(str(exc)) from None
    if not mask.any():
        raise row.error(f"mask is empty: {row.mask}")
    if mask.shape != shape:
        raise row.error(
            f"mask size {mask.shape[1]}x{mask.shape[0]} differs from image size "
            f"{shape[1]}x{shape[0]} (width x height): {row.mask}"
        )
    return bounding_box(mask, settings.margin)


def _prepare(items: list[tuple[ManifestRow, tuple[int, int, int, int]]], settings: Preprocessing):
    """Decode and preprocess a batch (numpy/Pillow only: runs beside the network)."""
    import torch

    from cetrus.imaging.io import read_image, read_mask
    from cetrus.imaging.preprocess import roi_array

    arrays = []
    for row, box in items:
        try:
            image = read_image(row.image)
            # the mask itself is needed again only to zero the outside; else its box suffices
            mask = read_mask(row.mask) if settings.mask_outside else None
            arrays.append(roi_array(image, mask, settings, box))
        except InputError as exc:
            raise row.error(str(exc)) from None
    return torch.from_numpy(np.stack(arrays))


def _run_network(
    items: list[tuple[str, ManifestRow, tuple[int, int, int, int]]],
    settings: Preprocessing,
    weights,
    seed: int,
    dev,
    batch_size: int,
    progress: bool | None,
) -> tuple[dict[str, np.ndarray], float]:
    """Features of every item, and the seconds spent building the network (one-off)."""
    import torch

    from cetrus._optional import import_optional
    from cetrus._progress import progress_enabled
    from cetrus.imaging.model import build_densenet201, penultimate

    t0 = time.perf_counter()
    model, _ = build_densenet201(weights, seed=seed)
    net = penultimate(model).to(dev)
    build = time.perf_counter() - t0
    forward = FORWARD_SIZE[dev.type]
    step = -(-batch_size // forward) * forward  # a whole number of forward passes
    batches = [items[i : i + step] for i in range(0, len(items), step)]
    out: dict[str, np.ndarray] = {}
    disable = not progress_enabled(progress)
    tqdm = import_optional("tqdm.auto", "the extraction's progress bar").tqdm
    bar = tqdm(
        total=len(items), desc="DenseNet201 features", unit="img", file=sys.stderr, disable=disable
    )
    try:
        with torch.inference_mode():
            if _PREFETCH:
                with ThreadPoolExecutor(max_workers=1) as pool:
                    pending = pool.submit(_prepare, [(r, b) for _, r, b in batches[0]], settings)
                    for i, batch in enumerate(batches):
                        x = pending.result()
                        if i + 1 < len(batches):  # decode the next batch while this one runs
                            pending = pool.submit(
                                _prepare, [(r, b) for _, r, b in batches[i + 1]], settings
                            )
                        _forward(net, x, batch, dev, forward, out)
                        bar.update(len(batch))
            else:
                for batch in batches:
                    _forward(
                        net,
                        _prepare([(r, b) for _, r, b in batch], settings),
                        batch,
                        dev,
                        forward,
                        out,
                    )
                    bar.update(len(batch))
    finally:
        bar.close()
    return out, build


def _forward(net, x, batch, dev, forward: int, out: dict[str, np.ndarray]) -> None:
    """Run ``x`` in passes of exactly ``forward`` images (see "Determinism")."""
    import torch

    for start in range(0, x.shape[0], forward):
        part = x[start : start + forward]
        n = part.shape[0]
        if n < forward:  # fill up with copies of the last image; their outputs are dropped
            part = torch.cat([part, part[-1:].expand(forward - n, *part.shape[1:])])
        feats = net(part.to(dev, non_blocking=True)).float().cpu().numpy()[:n]
        for (key, _, _), vec in zip(batch[start : start + n], feats):
            out[key] = vec.astype(np.float32, copy=True)


def _versions() -> dict[str, str]:
    import torch
    import torchvision

    from cetrus import __version__

    return {
        "cetrus": __version__,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }


def _write_parquet_atomic(frame: pd.DataFrame, out: Path, meta: dict) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = dict(table.schema.metadata or {})
    merged[METADATA_KEY] = json.dumps(meta, sort_keys=True).encode()
    table = table.replace_schema_metadata(merged)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
