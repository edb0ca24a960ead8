"""The one place where cetrus writes a matplotlib figure to disk.

Every figure goes through :func:`save_figure`, so that a rerun writes the same bytes:

* SVG: matplotlib names clip paths, markers and glyphs with ids hashed from a salt that is
  a fresh UUID per process unless ``rcParams["svg.hashsalt"]`` is set; it is set to a
  fixed string *for this save only* (``rc_context``), so the user's own rcParams are left
  as they were. The ``<dc:date>`` element is left out (``Date: None``).
* PDF: no ``/CreationDate`` (``CreationDate: None``); matplotlib would otherwise write the
  clock's time (or ``$SOURCE_DATE_EPOCH``).
* PNG: matplotlib writes no time into a PNG; only ``Software`` (its version), which is
  the same on every run.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["save_figure", "SVG_HASHSALT"]

#: the salt of SVG ids: any fixed string makes them depend only on the figure's content
SVG_HASHSALT = "cetrus"

_METADATA = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def save_figure(fig, path: str | Path, **kwargs) -> Path:
    """``fig.savefig(path, **kwargs)`` with deterministic ids and no dates; return ``path``.

    The format is the file's extension (png, svg or pdf); ``metadata`` may not be given
    (it is what this function decides).
    """
    import matplotlib

    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in _METADATA:
        raise ValueError(f"figure format {fmt!r} of {path.name} is not one of png, svg, pdf")
    if "metadata" in kwargs:
        raise TypeError("save_figure sets the metadata itself (no dates, fixed ids)")
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(path, format=fmt, metadata=dict(_METADATA[fmt]), **kwargs)
    return path
