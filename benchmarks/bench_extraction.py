"""DenseNet201 feature extraction: the whole pipeline's per-image cost vs the bare network.

Target (issue 5): the per-image cost of ``extract_features`` (hash the files, check the
masks, decode, crop, resize, normalise, forward, write the parquet) within 1.15× the
bare DenseNet201 forward pass at 224×224 with the same batch size, measured in the same
run. The per-image cost is the run's wall time minus the one-off construction of the
network (``ExtractionReport.model_seconds``, ~2-3 s, reported separately), divided by
the number of ROIs. Bare forward and pipeline runs are interleaved and the best of each
kept (this machine is shared). Random weights (``weights="none"``) cost the same as
ImageNet ones. No R reference: there is no R twin of a torchvision forward pass.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks._timing import row

B = "extraction"


def run(quick: bool = False) -> list[dict]:
    import time

    import torch

    from cetrus.imaging import run_extraction
    from cetrus.imaging.model import build_densenet201, penultimate
    from cetrus.imaging.synthetic import make_image_set

    batch = 8
    n = 16 if quick else 48
    rounds = 3
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # ultrasound-sized frames (480 x 640), two raters' masks each
        manifest, _ = make_image_set(
            tmp / "set", n_patients=n // 2, modalities=("CEUS",), shape=(480, 640), seed=0
        )
        model, _ = build_densenet201("none", seed=0)
        net = penultimate(model)
        x = torch.randn(batch, 3, 224, 224)

        def bare() -> float:
            with torch.inference_mode():
                t = time.perf_counter()
                for _ in range(n // batch):
                    net(x)
                return (time.perf_counter() - t) / (n // batch * batch)

        with torch.inference_mode():
            net(x)  # warm-up
        per_bare, per_pipe, build, whole = [], [], [], []
        for _ in range(rounds):
            per_bare.append(bare())
            rep = run_extraction(
                manifest,
                tmp / "f.parquet",
                weights="none",
                batch_size=batch,
                cache=False,
                progress=False,
            )
            per_pipe.append((rep.seconds - rep.model_seconds) / rep.n_extracted)
            build.append(rep.model_seconds)
            whole.append(rep.seconds)
        per_bare.append(bare())
    b, p = min(per_bare), min(per_pipe)
    ratio = p / b
    return [
        row(B, "bare DenseNet201 forward 224x224, per image", b, "s"),
        row(B, "bare forward throughput (CPU)", 1 / b, "img/s"),
        row(B, f"extract_features per image ({n} ROIs of 480x640)", p, "s"),
        row(B, "extract_features throughput (CPU)", 1 / p, "img/s"),
        row(
            B,
            "extraction / bare forward per image",
            ratio,
            "x",
            target="<= 1.15",
            met=ratio <= 1.15,
        ),
        row(B, "one-off: build DenseNet201 (random init)", min(build), "s"),
        row(B, "whole run incl. build", min(whole), "s"),
    ]
