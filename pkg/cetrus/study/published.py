"""The paper's published numbers (Tables 1–4 and the counts in its text) as data.

The numbers are transcribed once, in ``fixtures/published.toml``, each with the table
or section it comes from. :func:`load` reads them into a :class:`Published` object that
the pipeline's appendix (published vs regenerated) and the replica cohort use; nothing
else in cetrus hard-codes a number from the paper.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cetrus.errors import InputError

__all__ = ["Published", "load", "default_path", "MODELS", "METRICS"]

#: the five models of Tables 3–4, in the order the manuscript shows them
MODELS = ("Clinical", "TDUS", "CDUS", "CEUS", "Integrated")
#: the metrics of Tables 3–4 (AUC carries its DeLong CI)
METRICS = ("auc", "accuracy", "sensitivity", "specificity", "ppv", "npv")


def default_path() -> Path:
    """``fixtures/published.toml`` at the repository root."""
    return Path(__file__).resolve().parents[3] / "fixtures" / "published.toml"


@dataclass(frozen=True)
class Published:
    """Published values; ``raw`` is the parsed TOML (every value's ``source`` kept)."""

    raw: dict[str, Any] = field(repr=False)
    path: Path

    def count(self, name: str) -> float:
        """A count from the text, e.g. ``count("patients") == 878``."""
        try:
            return self.raw["counts"][name]["value"]
        except KeyError:
            raise InputError(f"published count {name!r} is not in {self.path.name}") from None

    @property
    def n_patients(self) -> int:
        return int(self.count("patients"))

    @property
    def n_metastasis(self) -> int:
        return int(self.count("metastasis"))

    @property
    def selected_features(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.raw["selected_features"].items() if k != "source"}

    @property
    def mean_icc(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.raw["mean_icc"].items() if k != "source"}

    @property
    def categorical(self) -> dict[str, dict[str, Any]]:
        """Table 1 categorical rows: levels, counts per group, percentages, p."""
        return self.raw["table1"]["categorical"]

    @property
    def continuous(self) -> dict[str, dict[str, Any]]:
        """Table 1 continuous rows: ``metastasis``/``non_metastasis`` = [median, P25, P75]."""
        return self.raw["table1"]["continuous"]

    @property
    def univariate(self) -> dict[str, dict[str, Any]]:
        return self.raw["table2"]["univariate"]

    @property
    def multivariable(self) -> dict[str, dict[str, Any]]:
        return self.raw["table2"]["multivariable"]

    @property
    def retained(self) -> tuple[str, ...]:
        return tuple(self.raw["table2"]["retained"]["variables"])

    def performance(self, cohort: str, model: str) -> dict[str, float]:
        """Table 3/4 row as ``{auc, auc_ci_low, auc_ci_high, accuracy, …, table}``."""
        try:
            row = self.raw["performance"][cohort][model]
        except KeyError:
            raise InputError(f"no published performance for cohort {cohort!r}, model {model!r} "
                             f"(cohorts: training, test; models: {', '.join(MODELS)})") from None
        out = {"auc": row["auc"][0], "auc_ci_low": row["auc"][1], "auc_ci_high": row["auc"][2]}
        out.update({m: row[m] for m in METRICS[1:]})
        out["table"] = row["table"]
        return out

    def source(self, *keys: str) -> str:
        """The ``source`` recorded for a section, e.g. ``source("counts", "patients")``."""
        node: Any = self.raw
        found = node.get("source", "")
        for k in keys:
            node = node[k]
            if isinstance(node, dict) and "source" in node:
                found = node["source"]
        return str(found)


def load(path: str | Path | None = None) -> Published:
    """Read the published numbers (default: ``fixtures/published.toml``)."""
    p = Path(path) if path is not None else default_path()
    if not p.is_file():
        raise InputError(f"published-numbers file not found: {p}")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot parse {p.name}: {exc}") from None
    return Published(raw, p)
