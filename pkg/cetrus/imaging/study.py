"""Features of a study's modalities, split per modality and rater.

A study's ``[modalities.NAME]`` get their features either from one image manifest
(:func:`study_features`: extraction with the content-hash cache) or from the long
table ``cetrus extract`` writes (:func:`split_feature_table`). Both return the same
shape::

    {modality: {rater: DataFrame(patient_id, f0000, f0001, …)}}

``patient_id`` is text; the feature columns are float64 (the extracted float32 values,
widened without change). Modalities follow the order asked for, raters the order in
which they first appear, and every table of a modality lists its patients in the
order in which they first appear for that modality. Reordering to the clinical table
and matching patients is the caller's job (it knows the clinical table).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cetrus.errors import InputError
from cetrus.imaging.extract import ID_COLUMNS, manifest_features
from cetrus.imaging.manifest import read_manifest

__all__ = ["study_features", "split_feature_table"]

_FEATURE = r"^f\d{4}$"


def study_features(
    manifest: str | Path,
    modalities: Sequence[str],
    *,
    weights: str | os.PathLike = "imagenet",
    seed: int = 0,
    size: int = 224,
    margin: int = 0,
    batch_size: int = 16,
    device: str = "cpu",
    mask_outside: bool = False,
    cache_dir: str | Path | None = None,
    progress: bool | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, dict[str, pd.DataFrame]]:
    """Extract the DenseNet201 features of a study's image manifest, per modality and rater.

    Parameters
    ----------
    manifest : the manifest CSV (``patient_id, modality, rater, image, mask``; see
        :func:`~cetrus.imaging.manifest.read_manifest`). Any rater names.
    modalities : the study's modality names (``[modalities.NAME]`` of study.toml).
        A manifest row naming another modality is an error naming the manifest file,
        the row, its value and these names; a name with no row is an error too.
    weights, seed, size, margin, batch_size, device, mask_outside : as
        :func:`~cetrus.imaging.extract.extract_features` (``[extraction]`` of study.toml).
        The features do not depend on ``batch_size`` (see "Determinism" in
        :mod:`cetrus.imaging.extract`).
    cache_dir : the feature cache (``None`` or ``""``: ``$CETRUS_CACHE_DIR`` or
        ``~/.cache/cetrus/features``). ROIs whose image, mask, settings and weights
        are unchanged are read from it, not recomputed.
    progress : progress bar on stderr (default: when stderr is a terminal and CI is not set).
    log : called with one-line progress messages (what is cached, what runs, timing).

    Returns
    -------
    ``{modality: {rater: DataFrame}}``, each frame ``patient_id`` (str) and
    ``f0000 …`` (float64), as described in the module docstring.

    Raises
    ------
    InputError
        Unknown or absent modality, duplicated ``(patient_id, modality, rater)``,
        an unreadable image or mask (each naming the manifest row), unavailable
        weights, a bad setting.
    """
    names = _modality_names(modalities)
    if cache_dir is not None and str(cache_dir) == "":
        cache_dir = None  # study.toml's `cache_dir = ""`: the default cache
    say = log if log is not None else (lambda message: None)
    start = time.perf_counter()
    m = read_manifest(manifest, modalities=names)
    present = {row.modality for row in m.rows}
    absent = [name for name in names if name not in present]
    if absent:
        raise InputError(
            f"manifest {m.path.name} has no row of modality {absent[0]!r} "
            f"(its modalities: {', '.join(sorted(present))})"
        )
    counts = ", ".join(f"{name} {sum(r.modality == name for r in m.rows)}" for name in names)
    say(f"extraction: {len(m.rows)} ROIs in {m.path.name} ({counts})")
    run = manifest_features(
        m,
        weights=weights,
        seed=seed,
        device=device,
        batch_size=batch_size,
        cache=True,
        cache_dir=cache_dir,
        size=size,
        margin=margin,
        mask_outside=mask_outside,
        progress=progress,
    )
    seconds = time.perf_counter() - start
    say(
        f"extraction: {run.n_cached} ROIs from the cache, {run.n_extracted} extracted "
        f"({run.meta['weights']['kind']} weights, {run.device}) in {seconds:.1f} s"
    )
    return _split(run.frame, names, str(m.path.name))


def split_feature_table(
    frame: pd.DataFrame, modality: str, source_name: str
) -> dict[str, pd.DataFrame]:
    """Split a long feature table into one wide table per rater, for one modality.

    Parameters
    ----------
    frame : columns ``patient_id, modality, rater`` and feature columns (what
        ``cetrus extract`` writes; read with :func:`~cetrus.imaging.read_features` or
        pandas). Feature columns are all the other columns.
    modality : the modality whose rows to keep.
    source_name : the file's name, for messages.

    Returns
    -------
    ``{rater: DataFrame(patient_id, features…)}``, raters in order of first
    appearance, ``patient_id`` as text, features float64.

    Raises
    ------
    InputError
        A missing id column, no row of ``modality`` (naming the modalities present),
        a duplicated ``(patient_id, modality, rater)``, an empty id, a non-numeric or
        missing feature value.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{source_name}: expected a table, got {type(frame).__name__}")
    frame = frame.reset_index(drop=True)
    missing = [c for c in ID_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source_name} lacks column {missing[0]!r} (a long feature table needs "
            f"{', '.join(ID_COLUMNS)} and feature columns, as `cetrus extract` writes)"
        )
    ids = frame[list(ID_COLUMNS)].astype(str).apply(lambda col: col.str.strip())
    present = list(dict.fromkeys(ids["modality"]))
    if modality not in present:
        raise InputError(
            f"{source_name} has no row of modality {modality!r} "
            f"(its modalities: {', '.join(present) if present else 'none'})"
        )
    return _split(
        pd.concat([ids, frame.drop(columns=list(ID_COLUMNS))], axis=1), [modality], source_name
    )[modality]


# --------------------------------------------------------------------------- internals


def _modality_names(modalities: Sequence[str]) -> tuple[str, ...]:
    if isinstance(modalities, str) or not all(isinstance(x, str) and x.strip() for x in modalities):
        raise InputError(
            f"The 'modalities' parameter of study_features must be a list of "
            f"non-empty names. Got {modalities!r} instead."
        )
    names = tuple(modalities)
    if not names:
        raise InputError(
            "The 'modalities' parameter of study_features must name at least one "
            "modality. Got an empty list instead."
        )
    dup = [n for i, n in enumerate(names) if n in names[:i]]
    if dup:
        raise InputError(f"The 'modalities' parameter of study_features names {dup[0]!r} twice.")
    return names


def _split(
    frame: pd.DataFrame, modalities: Sequence[str], source_name: str
) -> dict[str, dict[str, pd.DataFrame]]:
    """``frame``: text id columns + feature columns; one wide table per (modality, rater)."""
    features = [c for c in frame.columns if c not in ID_COLUMNS]
    if not features:
        raise InputError(f"{source_name} has no feature columns besides {', '.join(ID_COLUMNS)}")
    empty = frame["patient_id"].isin(["", "nan", "None"])
    if empty.any():
        raise InputError(
            f"{source_name} row {int(np.flatnonzero(empty)[0]) + 1}: empty 'patient_id'"
        )
    dup = frame.duplicated(list(ID_COLUMNS))
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        pid, mod, rater = (frame[c].iloc[i] for c in ID_COLUMNS)
        raise InputError(
            f"{source_name} row {i + 1}: patient {pid!r}, modality {mod!r}, rater "
            f"{rater!r} occurs twice (one row per patient, modality and rater)"
        )
    out: dict[str, dict[str, pd.DataFrame]] = {}
    for modality in modalities:
        part = frame[frame["modality"] == modality]
        order = list(dict.fromkeys(part["patient_id"]))
        raters: dict[str, pd.DataFrame] = {}
        for rater in dict.fromkeys(part["rater"]):
            rows = part[part["rater"] == rater].set_index("patient_id")
            rows = rows.loc[[p for p in order if p in rows.index]]
            values = _numeric(rows[features], source_name, modality, rater)
            table = pd.DataFrame(values, columns=features)
            table.insert(0, "patient_id", rows.index.astype(str).to_numpy())
            raters[str(rater)] = table
        out[modality] = raters
    return out


def _numeric(block: pd.DataFrame, source_name: str, modality: str, rater: str) -> np.ndarray:
    try:
        values = block.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        for col in block.columns:
            bad = pd.to_numeric(block[col], errors="coerce").isna() & block[col].notna()
            if bad.any():
                raise InputError(
                    f"{source_name}: column {col!r} (modality {modality!r}, rater "
                    f"{rater!r}, patient {bad.index[bad][0]!r}) is not numeric: "
                    f"{block[col][bad].iloc[0]!r}"
                ) from None
        raise InputError(
            f"{source_name}: feature columns of modality {modality!r}, rater "
            f"{rater!r} are not numeric"
        ) from None
    if not np.isfinite(values).all():
        r, c = np.argwhere(~np.isfinite(values))[0]
        raise InputError(
            f"{source_name}: column {block.columns[c]!r} (modality {modality!r}, rater "
            f"{rater!r}, patient {block.index[r]!r}) has a missing or infinite value"
        )
    return values
