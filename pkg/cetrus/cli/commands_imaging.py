"""``cetrus extract MANIFEST --out FEATURES.parquet``: DenseNet201 features of every ROI."""

from __future__ import annotations

import argparse

from cetrus.cli._common import nonneg_int_type, path_type, positive_int_type, seed_type

DESCRIPTION = """\
DenseNet201 penultimate features (1,920 per ROI) of every manifest row, written as ONE
long parquet table: patient_id, modality, rater, f0000 ... f1919, one row per manifest
row. A study reads it with [modalities.NAME] features = "FILE.parquet" (the rows of
NAME, split per rater). Features are cached by the content of image and mask, so a
re-run extracts only what changed; they do not depend on --batch-size."""


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "extract",
        help="DenseNet201 penultimate features of every manifest ROI → parquet",
        description=DESCRIPTION,
    )
    p.add_argument(
        "manifest",
        type=path_type,
        metavar="MANIFEST",
        help="CSV with patient_id, modality, rater, image, mask (paths may be "
        "relative to the manifest; any modality and rater names)",
    )
    p.add_argument(
        "--out",
        type=path_type,
        required=True,
        metavar="FEATURES.parquet",
        help="output parquet (written atomically; required)",
    )
    p.add_argument(
        "--weights",
        default="imagenet",
        metavar="imagenet|none|PATH",
        help="'imagenet': torchvision's ImageNet weights from the torch hub cache "
        "(no download; the error names the file to put there); 'none': seeded "
        "random weights (tests only); or a state-dict file (default: imagenet)",
    )
    p.add_argument("--seed", type=seed_type, default=0, help="seed of --weights none (default: 0)")
    p.add_argument(
        "--device", default="cpu", metavar="cpu|cuda[:N]", help="torch device (default: cpu)"
    )
    p.add_argument(
        "--batch-size",
        type=positive_int_type,
        default=16,
        metavar="N",
        help="ROIs decoded per step, rounded up to whole forward passes (the "
        "network always runs passes of a fixed size: 8 ROIs on CPU, 32 on "
        "CUDA); speed and memory only, not the values (default: 16)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="recompute everything; neither read nor write the feature cache "
        "(default: use the cache)",
    )
    p.add_argument(
        "--cache-dir",
        type=path_type,
        default=None,
        metavar="DIR",
        help="feature cache (default: $CETRUS_CACHE_DIR, else "
        "$XDG_CACHE_HOME/cetrus/features or ~/.cache/cetrus/features)",
    )
    p.add_argument(
        "--size",
        type=positive_int_type,
        default=224,
        metavar="PIXELS",
        help="network input size, square (default: 224)",
    )
    p.add_argument(
        "--margin",
        type=nonneg_int_type,
        default=0,
        metavar="PIXELS",
        help="pixels added around the mask's bounding box (default: 0)",
    )
    p.add_argument(
        "--mask-outside",
        action="store_true",
        help="set pixels outside the mask to zero before cropping (default: off)",
    )
    p.add_argument(
        "--modalities",
        default="any",
        metavar="any|A,B,…",
        help="allowed modality names, comma-separated; a manifest row naming another "
        "is an error (default: any)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal and CI is not set)",
    )
    p.set_defaults(handler=_extract)


def _extract(args):
    from cetrus.cli._common import CLIError
    from cetrus.imaging import run_extraction

    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be >= 1; got {args.batch_size}")
    if args.modalities.strip().lower() == "any":
        modalities = None
    else:
        modalities = tuple(m.strip() for m in args.modalities.split(",") if m.strip())
        if not modalities:
            raise CLIError(
                f"--modalities must be 'any' or comma-separated names; got {args.modalities!r}"
            )
    from cetrus._fs import check_output_file

    check_output_file(args.out, "--out", owned=_written_by_extract)  # before minutes of work
    report = run_extraction(
        args.manifest,
        args.out,
        weights=args.weights,
        seed=args.seed,
        device=args.device,
        batch_size=args.batch_size,
        cache=not args.no_cache,
        cache_dir=args.cache_dir,
        size=args.size,
        margin=args.margin,
        mask_outside=args.mask_outside,
        modalities=modalities,
        progress=args.progress,
    )
    return report.to_dict()


def _written_by_extract(path) -> bool:
    """A parquet file carrying the metadata ``cetrus extract`` writes."""
    try:
        import pyarrow.parquet as pq

        from cetrus.imaging.extract import METADATA_KEY

        return METADATA_KEY in (pq.read_schema(path).metadata or {})
    except Exception:  # noqa: BLE001 - unreadable or not parquet: not ours
        return False
