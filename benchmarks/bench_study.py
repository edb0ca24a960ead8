"""A second study end to end: ``cetrus paper`` on 120 patients from images (issue 9).

Two modalities (BMODE grey PNG, PDUS RGB DICOM), two raters (PNG and NIfTI masks) — 480
ROIs — 3-level categorical variables, missing values (complete-case), a 70:30 split over
5 seeds, DenseNet201 with seeded random weights (``weights = "none"``: no download here)
at 224×224, a cold feature cache; then the R parity of the study's numbers and the
render. Target: ≤ 180 s on a 2-core machine. Rows also say where the time goes (feature
extraction, each analysis step, validation against R, rendering). No R reference: there
is no R twin of the whole study (its statistics are compared with R in validation/).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from benchmarks._timing import row

B = "study"


def run(quick: bool = False) -> list[dict]:
    import os

    from cetrus.cli import main
    from tests.study.second_study import make_second_study

    n = 40 if quick else 120
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "study"
        assert main(["init", str(root)]) == 0
        make_second_study(root, n_patients=n, images=True, image_size=224)
        os.environ["CETRUS_CACHE_DIR"] = str(Path(tmp) / "cache")  # cold cache
        config = str(root / "study.toml")
        phases = {}
        try:  # what `cetrus paper` runs, phase by phase
            for phase in ("analyze", "validate", "render"):
                t0 = time.perf_counter()
                code = main([phase, "--config", config])
                phases[phase] = time.perf_counter() - t0
                if code != 0:
                    raise RuntimeError(f"cetrus {phase} exited {code}")
        finally:
            os.environ.pop("CETRUS_CACHE_DIR", None)
        results = json.loads((root / "results" / "results.json").read_text())
        clock = json.loads((root / "results" / "run.json").read_text())
    total = sum(phases.values())
    rows = [
        row(
            B,
            f"cetrus paper, {n} patients, {4 * n} ROIs from images (cold cache)",
            total,
            "s",
            target="<= 180 s",
            met=total <= 180,
        )
    ]
    rows.append(row(B, "  analyze", phases["analyze"], "s"))
    for name, seconds in clock["timings"].items():
        rows.append(row(B, f"    {name}", seconds, "s"))
    for name, step in results["steps"].items():
        rows.append(row(B, f"    step {name} ({step['status']})", clock["steps"][name], "s"))
    for m, sel in results["selection"].items():
        rows.append(
            row(
                B,
                f"    {m}: features after MWU / Spearman / LASSO "
                f"({sel['after_mwu']}/{sel['after_spearman']}/{sel['selected']})",
                sel["selected"],
                "features",
            )
        )
    rows.append(row(B, "  validate (R twin of every number)", phases["validate"], "s"))
    rows.append(row(B, "  render (pandoc: HTML, DOCX, validation HTML)", phases["render"], "s"))
    return rows
