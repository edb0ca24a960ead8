"""Is a results folder still the analysis of its inputs? (``cetrus prepare``, ``analyze
--if-stale``.)

``quarto render`` runs the project's ``pre-render`` step before every render, also of
one format or one document. Re-running the whole analysis each time costs minutes while
Quarto's own share is seconds, so the analysis records what it was computed from — a
SHA-256 over the cetrus version, the study config's bytes and the bytes of every input
file it names (clinical table, feature tables, image manifests *and the images and masks
they list*, the published-values file, a local weights file) — in
``<results>/inputs.json``, and the next run compares.

Content, not modification times: a checkout, a copy or ``touch`` changes no fingerprint;
an edited value, a replaced image or a new cetrus version does. The fingerprint does not
cover the Python environment beyond cetrus itself (a new numpy or torch changes no hash:
delete the results folder, or run ``cetrus analyze``, to recompute after an upgrade).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["INPUTS_FILE", "fingerprint", "is_fresh", "write_fingerprint"]

INPUTS_FILE = "inputs.json"
_CHUNK = 1 << 20


def _hash_file(digest: hashlib._Hash, path: Path) -> None:
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)


def _input_files(config) -> list[tuple[str, Path]]:
    """Every file the analysis reads, named by the key that points at it."""
    files: list[tuple[str, Path]] = [("data.clinical", Path(config.clinical))]
    for m in config.modalities:
        files += [(key, Path(p)) for key, p in m.files]
        if m.manifest is not None and Path(m.manifest).is_file():
            from cetrus.imaging.manifest import read_manifest

            for row in read_manifest(m.manifest):
                if row.modality == m.name:
                    files.append((f"{m.manifest.name}: {row.label} image", row.image))
                    files.append((f"{m.manifest.name}: {row.label} mask", row.mask))
    if config.published is not None:
        files.append(("published.file", Path(config.published)))
    weights = getattr(config.extraction, "weights", "imagenet")
    if weights not in ("imagenet", "none") and any(m.manifest for m in config.modalities):
        files.append(("extraction.weights", Path(weights)))
    return files


def fingerprint(config) -> dict:
    """``{"cetrus": version, "config": name, "files": n, "sha256": hex}`` of the inputs.

    A missing input file raises the config's own "file not found" error (naming the key).
    """
    from cetrus import __version__

    config.require_files()
    digest = hashlib.sha256()
    digest.update(f"cetrus {__version__}\n".encode())
    digest.update(Path(config.path).read_bytes())
    files = _input_files(config)
    for key, path in files:
        digest.update(f"\n{key}\n".encode())
        _hash_file(digest, path)
    return {
        "cetrus": __version__,
        "config": Path(config.path).name,
        "files": len(files),
        "sha256": digest.hexdigest(),
    }


def write_fingerprint(folder: Path, print_: dict) -> None:
    """Record ``print_`` in ``folder/inputs.json`` (inside the folder being built)."""
    (Path(folder) / INPUTS_FILE).write_text(
        json.dumps(print_, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def is_fresh(results: Path, print_: dict) -> bool:
    """True when ``results`` holds a complete analysis of exactly these inputs."""
    results = Path(results)
    try:
        recorded = json.loads((results / INPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        recorded == print_
        and (results / "results.json").is_file()
        and (results / "values.yml").is_file()
    )
