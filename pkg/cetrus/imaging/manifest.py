"""The image manifest: one row per (patient, modality, rater) ROI.

A CSV with the columns ``patient_id, modality, rater, image, mask`` (others are
ignored). ``image`` and ``mask`` are paths, absolute or relative to the manifest's
folder. Identifiers are read as text, so ``007`` stays ``007``.

Every problem found here or later while reading the files is reported with the
manifest row it concerns, e.g.::

    manifest.csv row 3 (patient 'P003', CEUS, rater '2'): mask is empty: masks/P003.png
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cetrus.errors import InputError

COLUMNS = ("patient_id", "modality", "rater", "image", "mask")
#: the paper's three modalities: grey-scale, colour Doppler and contrast-enhanced TRUS
#: (the replica's names; no function restricts the names to these by default)
DEFAULT_MODALITIES = ("TDUS", "CDUS", "CEUS")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One ROI: where its image and mask are, and how to name it in messages."""

    index: int  # 0-based data row
    patient_id: str
    modality: str
    rater: str
    image: Path
    mask: Path
    source: str  # manifest file name, for messages

    @property
    def label(self) -> str:
        return (
            f"{self.source} row {self.index + 1} (patient {self.patient_id!r}, "
            f"{self.modality}, rater {self.rater!r})"
        )

    def error(self, message: str) -> InputError:
        """An :class:`InputError` naming this row."""
        return InputError(f"{self.label}: {message}")


@dataclass(frozen=True, slots=True)
class Manifest:
    """The validated rows of a manifest file."""

    path: Path
    rows: tuple[ManifestRow, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[ManifestRow]:
        return iter(self.rows)

    def frame(self) -> pd.DataFrame:
        """The rows as a DataFrame (absolute paths)."""
        return pd.DataFrame(
            {
                "patient_id": [r.patient_id for r in self.rows],
                "modality": [r.modality for r in self.rows],
                "rater": [r.rater for r in self.rows],
                "image": [str(r.image) for r in self.rows],
                "mask": [str(r.mask) for r in self.rows],
            }
        )


def read_manifest(path: str | Path, *, modalities: Sequence[str] | None = None) -> Manifest:
    """Read and check a manifest CSV.

    Parameters
    ----------
    path : path to the CSV.
    modalities : the allowed modality names (default ``None``: any name). Matching is
        exact (case-sensitive); a row naming another modality is an error naming the
        row, its value and the allowed names.

    Raises
    ------
    InputError
        Missing file or column, an empty cell, an unknown modality, or a duplicated
        ``(patient_id, modality, rater)`` — each naming the row. Whether the image and
        mask files exist and are valid is checked when they are read
        (:func:`cetrus.imaging.extract.extract_features`), also naming the row.
    """
    from cetrus._fs import regular_file

    p = regular_file(path, "manifest")
    try:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read manifest {p}: {first}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"manifest {p.name} lacks column {missing[0]!r} (needs "
            f"{', '.join(COLUMNS)}; has {', '.join(map(str, frame.columns))})"
        )
    if frame.empty:
        raise InputError(f"manifest {p.name} has no rows")
    base = p.resolve().parent
    allowed = None if modalities is None else tuple(modalities)
    rows: list[ManifestRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, rec in enumerate(frame[list(COLUMNS)].itertuples(index=False)):
        values = {c: str(v).strip() for c, v in zip(COLUMNS, rec)}
        row = ManifestRow(
            i,
            values["patient_id"],
            values["modality"],
            values["rater"],
            _resolve(base, values["image"]),
            _resolve(base, values["mask"]),
            p.name,
        )
        empty = [c for c in COLUMNS if not values[c]]
        if empty:
            raise row.error(f"empty {empty[0]!r}")
        for what, f in (("image", row.image), ("mask", row.mask)):
            if _special(f):  # a device or FIFO would be read (hashed) forever
                raise row.error(f"{what} is not a regular file (a device, FIFO or socket): {f}")
        if allowed is not None and row.modality not in allowed:
            raise row.error(f"unknown modality {row.modality!r} (allowed: {', '.join(allowed)})")
        key = (row.patient_id, row.modality, row.rater)
        if key in seen:
            raise row.error(f"duplicates row {seen[key] + 1} (same patient, modality and rater)")
        seen[key] = i
        rows.append(row)
    return Manifest(p, tuple(rows))


def _special(path: Path) -> bool:
    """True for an existing path that is neither a regular file nor a folder."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False  # missing or unreadable: said, naming the row, when it is read
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _resolve(base: Path, text: str) -> Path:
    q = Path(text).expanduser()
    return q if q.is_absolute() else base / q
