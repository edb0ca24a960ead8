"""``cetrus extract MANIFEST --out FEATURES.parquet``: DenseNet201 features of every ROI."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "extract", help="DenseNet201 penultimate features of every manifest ROI → parquet")
    p.add_argument("manifest", metavar="MANIFEST",
                   help="CSV with patient_id, modality, rater, image, mask (paths may be "
                        "relative to the manifest)")
    p.add_argument("--out", required=True, metavar="FEATURES.parquet",
                   help="output parquet (written atomically)")
    p.add_argument("--weights", default="imagenet", metavar="imagenet|none|PATH",
                   help="ImageNet weights from the torch hub cache (default), 'none' for seeded "
                        "random weights (tests only), or a state-dict file")
    p.add_argument("--seed", type=int, default=0, help="seed of --weights none (default 0)")
    p.add_argument("--device", default="cpu", metavar="cpu|cuda", help="torch device (default cpu)")
    p.add_argument("--batch-size", type=int, default=16, metavar="N", help="images per forward pass")
    p.add_argument("--no-cache", action="store_true",
                   help="recompute everything; neither read nor write the feature cache")
    p.add_argument("--cache-dir", default=None, metavar="DIR",
                   help="feature cache (default $CETRUS_CACHE_DIR or ~/.cache/cetrus/features)")
    p.add_argument("--size", type=int, default=224, help="network input size (default 224)")
    p.add_argument("--margin", type=int, default=0, help="pixels added around the mask's box")
    p.add_argument("--mask-outside", action="store_true",
                   help="set pixels outside the mask to zero before cropping")
    p.add_argument("--modalities", default="TDUS,CDUS,CEUS", metavar="A,B,…",
                   help="allowed modality names, comma-separated; 'any' allows all")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    p.set_defaults(handler=_extract)


def _extract(args):
    from cetrus.cli._common import CLIError
    from cetrus.imaging import run_extraction

    if args.batch_size < 1:
        raise CLIError(f"--batch-size must be >= 1; got {args.batch_size}")
    modalities = None if args.modalities.strip().lower() == "any" else \
        tuple(m.strip() for m in args.modalities.split(",") if m.strip())
    report = run_extraction(args.manifest, args.out, weights=args.weights, seed=args.seed,
                     device=args.device, batch_size=args.batch_size, cache=not args.no_cache,
                     cache_dir=args.cache_dir, size=args.size, margin=args.margin,
                     mask_outside=args.mask_outside, modalities=modalities, progress=args.progress)
    return report.to_dict()
