"""DenseNet201 and its penultimate-layer features (the paper's Section 2.5).

The paper takes "the penultimate layer of DenseNet201 (features.adaptive_avg_pool2d)":
in torchvision's ``DenseNet.forward`` that is

    features(x) → ReLU → adaptive_avg_pool2d(·, 1×1) → flatten   (1,920 values)

i.e. exactly the input of ``model.classifier``; :class:`PenultimateFeatures` computes
it with torchvision's own modules (tested against a forward hook on the classifier).

Weights
-------
``"imagenet"``
    torchvision's ``DenseNet201_Weights.IMAGENET1K_V1`` through torchvision's real
    loading path. The file is looked up in the torch hub cache *first*; when it is not
    there we stop with a message saying which file to put where, instead of starting
    a download that cannot succeed offline.
a path
    A state-dict file (``torch.load(..., weights_only=True)``) of a torchvision
    DenseNet201; a ``{"state_dict": …}`` checkpoint and old torchvision key names
    (``norm.1`` …) are accepted. Only ``features.*`` is used; the classifier may have
    any number of classes.
``"none"``
    Seeded random initialisation (torchvision's init under ``torch.manual_seed(seed)``)
    for tests and the replica cohort; every output records it.

Torch is imported inside the functions (``import cetrus`` stays light).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from cetrus.errors import InputError

N_FEATURES = 1920
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
IMAGENET_WEIGHTS = "DenseNet201_Weights.IMAGENET1K_V1"

# torchvision's pre-0.4 checkpoints name dense-layer parts 'norm.1', 'conv.2', …
_OLD_KEY = re.compile(
    r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"
)


def imagenet_weights_file() -> tuple[Path, str]:
    """Where torchvision keeps (or would download) the ImageNet DenseNet201 weights, and the URL."""
    import torch
    from torchvision.models import DenseNet201_Weights

    url = DenseNet201_Weights.IMAGENET1K_V1.url
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(url), url


def file_sha256(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def weights_identity(weights: str | os.PathLike = "imagenet", *, seed: int = 0) -> dict[str, Any]:
    """A JSON-safe identity of the weights, without building the network.

    ``kind`` is ``imagenet`` | ``file`` | ``random``; files are identified by their
    SHA-256, random weights by the seed and the torch/torchvision versions. It enters
    the extraction cache key and the output's metadata. Raises :class:`InputError`
    (saying which file to put where) when the weights are not available.
    """
    import torch
    import torchvision

    kind = _kind(weights)
    if kind == "imagenet":
        file, url = imagenet_weights_file()
        if not file.is_file():
            raise InputError(
                f"ImageNet weights for DenseNet201 are not in the torch hub cache and cannot be "
                f"downloaded here: put {file.name} (from {url}) at {file} (the directory follows "
                f"$TORCH_HOME), or pass a state-dict file as weights, or 'none' for seeded "
                f"random weights"
            )
        return {
            "kind": "imagenet",
            "name": IMAGENET_WEIGHTS,
            "file": str(file),
            "sha256": file_sha256(file),
        }
    if kind == "random":
        return {
            "kind": "random",
            "seed": int(seed),
            "torch": torch.__version__,
            "torchvision": torchvision.__version__,
            "note": "seeded random initialisation, NOT pretrained: for tests/replica only",
        }
    path = Path(weights)
    if not path.is_file():
        raise InputError(
            f"weights must be 'imagenet', 'none' or a state-dict file; file not found: {path}"
        )
    return {"kind": "file", "file": str(path.resolve()), "sha256": file_sha256(path)}


def _kind(weights: str | os.PathLike) -> str:
    if isinstance(weights, str) and weights.lower() == "imagenet":
        return "imagenet"
    if isinstance(weights, str) and weights.lower() == "none":
        return "random"
    return "file"


def build_densenet201(weights: str | os.PathLike = "imagenet", *, seed: int = 0):
    """A torchvision DenseNet201 in eval mode, and :func:`weights_identity` of its weights."""
    import torch
    from torchvision.models import DenseNet201_Weights, densenet201

    identity = weights_identity(weights, seed=seed)
    if identity["kind"] == "imagenet":
        # torchvision's own path: finds the cached file, applies its key fix-ups
        model = densenet201(weights=DenseNet201_Weights.IMAGENET1K_V1, progress=False)
    elif identity["kind"] == "random":
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(int(seed))
            model = densenet201(weights=None)
    else:
        model = densenet201(weights=None)
        _load_feature_state(model, Path(weights))
    model.eval()
    return model, identity


def _load_feature_state(model, path: Path) -> None:
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle with code, not a torch file, truncated…
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise InputError(f"weights file is not a loadable state dict ({first}): {path}") from None
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise InputError(f"weights file does not hold a state dict: {path}")
    fixed: dict[str, Any] = {}
    for key, value in state.items():
        key = key[len("module.") :] if key.startswith("module.") else key
        m = _OLD_KEY.match(key)
        fixed[m.group(1) + m.group(2) if m else key] = value
    features = {k[len("features.") :]: v for k, v in fixed.items() if k.startswith("features.")}
    if not features:
        raise InputError(f"weights file has no 'features.*' entries of a DenseNet201: {path}")
    try:
        missing, unexpected = model.features.load_state_dict(features, strict=False)
    except RuntimeError as exc:  # shape mismatch: another architecture
        raise InputError(
            f"weights file does not fit DenseNet201 "
            f"({str(exc).strip().splitlines()[-1].strip()[:160]}): {path}"
        ) from None
    if missing or unexpected:
        what = f"missing {missing[0]!r}" if missing else f"unexpected {unexpected[0]!r}"
        raise InputError(f"weights file does not fit DenseNet201 features ({what}): {path}")


def penultimate(model):
    """A module mapping ``(N, 3, H, W)`` images to the ``(N, 1920)`` classifier input."""
    import torch
    import torch.nn.functional as F

    class PenultimateFeatures(torch.nn.Module):
        """features → ReLU → adaptive average pool (1×1) → flatten, as DenseNet.forward."""

        def __init__(self, densenet) -> None:
            super().__init__()
            self.features = densenet.features

        def forward(self, x):
            out = F.relu(self.features(x), inplace=True)
            out = F.adaptive_avg_pool2d(out, (1, 1))
            return torch.flatten(out, 1)

    return PenultimateFeatures(model).eval()
