"""Shared CLI plumbing: a one-line-error parser, data loading and column checks."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from cetrus.errors import CetrusError


class CLIError(CetrusError):
    """A bad command line or data file; printed as one line, exit 2."""


#: help that already names its default: "(default: X)", "(… ; default X)", "default: X"
_SAYS_DEFAULT = re.compile(r"(?:\(|;\s|,\s|^)default\b|\bdefault:", re.IGNORECASE)


class DefaultsHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default (or says it is required).

    Help that already names its default (``(default: …)``, written where the default
    needs words: "when stderr is a terminal", "the config's") is left as it is; otherwise
    ``(default: X)`` is appended (``off`` for a flag, ``none`` for no value). Descriptions
    keep their line breaks.
    """

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if (
            not action.option_strings
            or _SAYS_DEFAULT.search(text)
            or action.default is argparse.SUPPRESS
        ):
            return text
        if action.required:
            return f"{text} (required)".strip()
        default = action.default
        if isinstance(action, argparse._StoreTrueAction) and default is False:
            shown = "off"
        elif default is None or default == []:
            shown = "none"
        else:
            shown = str(default).replace("%", "%%")
        return f"{text} (default: {shown})".strip()


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports usage errors as a single line (exit 2) and shows every
    option's default in ``--help`` (:class:`DefaultsHelpFormatter`)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", DefaultsHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


@dataclass
class Table:
    """A loaded data file with the rows dropped for missing values."""

    frame: pd.DataFrame
    path: Path
    dropped_missing: int = 0


def read_table(path: str | Path) -> pd.DataFrame:
    """Read CSV (any other extension is read as CSV too) or parquet; clear error when missing."""
    from cetrus._fs import regular_file

    try:
        p = regular_file(path, "data file")
    except CetrusError as exc:
        raise CLIError(str(exc)) from None
    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            from cetrus._optional import import_optional

            import_optional("pyarrow", f"reading {p.name}")  # pandas' parquet engine
            return pd.read_parquet(p)
        return pd.read_csv(p, float_precision="round_trip")  # as R's read.csv parses
    except UnicodeDecodeError as exc:
        raise CLIError(f"cannot read {p}: not UTF-8 text (byte {exc.start})") from None
    except MemoryError:
        raise CLIError(f"cannot read {p}: out of memory") from None
    except CetrusError:  # a missing extra: its own line
        raise
    except Exception as exc:  # noqa: BLE001 - pyarrow/pandas raise many types for a bad file
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CLIError(f"cannot read {p}: {first[:300]}") from None


def load(path: str | Path, columns: Sequence[str], *, drop_missing: bool = False) -> Table:
    """Load ``path``, check ``columns`` exist, and handle missing values in them.

    Missing values are an error naming the column and row unless ``drop_missing``,
    which drops incomplete rows and reports how many.
    """
    frame = read_table(path)
    p = Path(path)
    unknown = [c for c in columns if c not in frame.columns]
    if unknown:
        avail = ", ".join(map(str, frame.columns[:12])) + (", …" if frame.shape[1] > 12 else "")
        raise CLIError(f"column {unknown[0]!r} not found in {p.name} (columns: {avail})")
    used = frame[list(dict.fromkeys(columns))]
    missing = used.isna()
    dropped = 0
    if missing.values.any():
        if not drop_missing:
            col = missing.any().idxmax()
            row = int(np.flatnonzero(missing[col].to_numpy())[0])
            n = int(missing[col].sum())
            raise CLIError(
                f"column {col!r} in {p.name} has {n} missing value(s) (first at data row "
                f"{row + 1}); pass --drop-missing to drop incomplete rows"
            )
        keep = ~missing.any(axis=1)
        dropped = int((~keep).sum())
        frame = frame.loc[keep].reset_index(drop=True)
    return Table(frame, p, dropped)


def numeric_column(table: Table, column: str) -> np.ndarray:
    """A column as float64, or an error naming the column, file and first bad value."""
    s = table.frame[column]
    if s.dtype.kind in "iufb":
        return s.to_numpy(dtype=np.float64)
    converted = pd.to_numeric(s, errors="coerce")
    bad = converted.isna() & s.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise CLIError(
            f"column {column!r} in {table.path.name} must be numeric; "
            f"got {s.iloc[row]!r} at data row {row + 1}"
        )
    return converted.to_numpy(dtype=np.float64)


def outcome_column(table: Table, column: str, positive=None):
    """Check the outcome column has exactly two levels; errors name the file and column."""
    from cetrus.errors import InputError
    from cetrus.stats._validation import binary_outcome

    try:
        return binary_outcome(table.frame[column], column, positive=positive)
    except InputError as exc:
        raise CLIError(f"{table.path.name}: {exc}") from None


def add_data_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "data", type=path_type, metavar="DATA", help="CSV (or parquet) file, one row per patient"
    )
    parser.add_argument(
        "--drop-missing",
        action="store_true",
        help="drop rows with a missing value in the used columns (reported)",
    )


def add_outcome_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outcome", required=True, metavar="COL", help="binary outcome column")
    parser.add_argument(
        "--positive",
        default=None,
        metavar="LEVEL",
        help="the case level (default: the larger of the two sorted levels)",
    )


def conf_level_type(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1), got {text!r}") from None
    if not 0 < v < 1:
        raise argparse.ArgumentTypeError(f"must be a number in (0, 1), got {text!r}")
    return v


SEED_MAX = 2**32 - 1


def seed_type(text: str) -> int:
    """A seed: an integer in [0, 2**32 - 1] (numpy's and the study config's range)."""
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an integer in [0, {SEED_MAX}], got {text!r}"
        ) from None
    if not 0 <= v <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must be an integer in [0, {SEED_MAX}], got {text!r}")
    return v


def positive_int_type(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return v


def nonneg_int_type(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}") from None
    if v < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}")
    return v


def int_range(lo: int, hi: int):
    """An argparse type: an integer in [lo, hi] (a bound keeps the run time bounded)."""

    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be an integer in [{lo:,}, {hi:,}], got {text!r}"
            ) from None
        if not lo <= v <= hi:
            raise argparse.ArgumentTypeError(
                f"must be an integer in [{lo:,}, {hi:,}], got {text!r}"
            )
        return v

    return parse


def path_type(text: str) -> str:
    """A file or folder argument: an empty string (``--out ''``) is refused, not read as '.'."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must name a file or folder, got an empty string")
    if "\0" in text:
        raise argparse.ArgumentTypeError(f"contains a NUL byte: {text!r}")
    return text


def with_provenance(result: dict, table: Table) -> dict:
    """Add how many rows were used (and dropped) to a CLI result."""
    out = dict(result)
    out["n"] = out.get("n", len(table.frame))
    if table.dropped_missing:
        out["dropped_missing"] = table.dropped_missing
    return out


def warn(message: str) -> None:
    print(f"cetrus: warning: {message}", file=sys.stderr)
