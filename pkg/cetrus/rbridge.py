"""The one module that talks to R (through rpy2).

Everything else in cetrus — the parity suite, benchmarks, the manuscript's audit —
goes through :func:`r_eval`, :func:`r_dataset` and :func:`versions`, so conversion
rules live in one place:

* Python → R: numpy/pandas 1-d data become atomic vectors (float, int, logical,
  character); DataFrames become ``data.frame`` (string/categorical → factor);
  ``None`` → ``NULL``; dicts → named lists; scalars → length-1 vectors.
* R → Python: named lists → ``dict``; unnamed lists → ``list``; atomic vectors
  → numpy arrays, length-1 vectors → Python scalars, named vectors → ``dict``;
  ``NA`` → ``nan``/``None``; ``data.frame`` → pandas DataFrame; ``NULL`` → ``None``.

rpy2 is pinned to 3.5.17 in constraints.txt (the metadata asks for >= 3.5.17): 3.6.x
needs R ≥ 4.5 (``R_getVar``) and does not load against Debian bookworm's R 4.2. Importing this module never imports rpy2; the
first call does, and a missing R or rpy2 raises :class:`RUnavailableError` with
the install line.
"""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from cetrus.errors import RUnavailableError

#: R packages the parity suite relies on (and the Debian packages that carry them).
R_PACKAGES = ("pROC", "rms", "psych", "glmnet", "MASS", "car")
DEBIAN_PACKAGES = "r-base-core r-cran-proc r-cran-rms r-cran-psych r-cran-glmnet"
CRAN_INSTALL = 'install.packages(c("pROC", "rms", "psych", "glmnet", "car"))'

_messages: list[str] = []


@functools.lru_cache(maxsize=1)
def _robjects():
    """Import rpy2 once, route R's console output into a buffer, return ``robjects``.

    Starting R sets ``LD_LIBRARY_PATH`` in this process's environment (R's ``ldpaths``:
    ``/usr/lib/R/lib:/usr/lib/x86_64-linux-gnu:…``). The dynamic loader of *this* process
    read it at start-up and never again, so R does not need it here; but every child
    process inherits it — and a Python child then loads the system's ``libpython``
    instead of its own (pandoc, a worker, ``python -m cetrus`` from a test). It is put
    back as it was once R is up.
    """
    saved = os.environ.get("LD_LIBRARY_PATH")
    try:
        import rpy2.rinterface_lib.callbacks as callbacks
        import rpy2.robjects as ro
    except Exception as exc:  # rpy2 missing; R missing or incompatible (OSError, RRuntimeError…)
        if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] == "rpy2":
            raise RUnavailableError(
                "rpy2 is not installed; install the 'r' extra of cetrus: pip install "
                "'cetrus[r]' (with R older than 4.5 add 'rpy2==3.5.17')"
            ) from exc
        raise RUnavailableError(
            f"rpy2 could not start R ({type(exc).__name__}: {exc}); install R "
            f"(Debian: apt-get install {DEBIAN_PACKAGES}); rpy2 3.6 needs R >= 4.5, with "
            f"an older R install rpy2==3.5.17"
        ) from exc
    finally:
        if saved is None:
            os.environ.pop("LD_LIBRARY_PATH", None)
        else:
            os.environ["LD_LIBRARY_PATH"] = saved
    callbacks.consolewrite_print = _messages.append
    callbacks.consolewrite_warnerror = _messages.append
    return ro


def r_messages(clear: bool = True) -> list[str]:
    """What R printed (messages, warnings) since the last call."""
    out = list(_messages)
    if clear:
        _messages.clear()
    return out


@functools.cache
def require(*packages: str) -> None:
    """Load R packages quietly, raising :class:`RUnavailableError` naming the missing ones."""
    ro = _robjects()
    missing = [
        p
        for p in packages
        if not ro.r(f'isTRUE(suppressWarnings(requireNamespace("{p}", quietly = TRUE)))')[0]
    ]
    if missing:
        raise RUnavailableError(
            f"R package(s) {', '.join(missing)} not installed; Debian: apt-get install "
            f"{DEBIAN_PACKAGES}; elsewhere in R: {CRAN_INSTALL}"
        )
    for p in packages:
        ro.r(f"suppressPackageStartupMessages(library({p}))")


def available(*packages: str) -> tuple[bool, str]:
    """``(True, "")`` when R, rpy2 and ``packages`` load; else ``(False, reason)``."""
    try:
        require(*(packages or R_PACKAGES))
    except RUnavailableError as exc:
        return False, str(exc)
    return True, ""


def versions(packages: Iterable[str] = R_PACKAGES) -> dict[str, str]:
    """R version and versions of the given R packages (``"not installed"`` when absent)."""
    ro = _robjects()
    import rpy2

    out = {
        "R": ro.r("paste(R.version$major, R.version$minor, sep='.')")[0],
        "rpy2": rpy2.__version__,
    }
    for p in packages:
        v = ro.r(
            f'if (requireNamespace("{p}", quietly=TRUE)) as.character(packageVersion("{p}")) '
            f'else "not installed"'
        )[0]
        out[p] = str(v)
    return out


# --------------------------------------------------------------------------- conversion


def to_r(value: Any):
    """Convert a Python value to an R object (see the module docstring)."""
    ro = _robjects()
    if value is None:
        return ro.NULL
    if isinstance(value, pd.DataFrame):
        return _df_to_r(value)
    if isinstance(value, Mapping):
        return ro.ListVector({str(k): to_r(v) for k, v in value.items()})
    if isinstance(value, (pd.Series, pd.Index)):
        dtype = value.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            # the dtype's categories serve a Series and a CategoricalIndex (which has no .cat)
            return ro.FactorVector(
                ro.StrVector([str(v) for v in value.astype(str)]),
                levels=ro.StrVector([str(c) for c in dtype.categories]),
            )
        value = value.to_numpy()
    if isinstance(value, (list, tuple)):
        value = np.asarray(value)
    if np.isscalar(value) or isinstance(value, np.generic):
        value = np.asarray([value])
    if isinstance(value, np.ndarray):
        if value.ndim == 2:
            flat = to_r(value.ravel(order="F"))
            return ro.r["matrix"](flat, nrow=value.shape[0], ncol=value.shape[1])
        kind = value.dtype.kind
        if kind == "b":
            return ro.BoolVector(value.tolist())
        if kind in "iu":
            return ro.IntVector(value.astype(np.int64).tolist())
        if kind == "f":
            return ro.FloatVector(value.astype(np.float64).tolist())
        return ro.StrVector([None if pd.isna(v) else str(v) for v in value.tolist()])
    return value  # already an R object


def _df_to_r(df: pd.DataFrame):
    ro = _robjects()
    cols = {}
    for name in df.columns:
        col = df[name]
        if col.dtype.kind == "O" or isinstance(col.dtype, pd.CategoricalDtype):
            cat = col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype("category")
            cols[str(name)] = to_r(cat)
        else:
            cols[str(name)] = to_r(col.to_numpy())
    return ro.DataFrame(cols)


def to_py(obj: Any) -> Any:
    """Convert an R object to Python (see the module docstring)."""
    ro = _robjects()
    import rpy2.rinterface as ri
    from rpy2.rinterface import NULLType

    if isinstance(obj, NULLType) or obj is ro.NULL:
        return None
    if isinstance(obj, ro.DataFrame) or (
        hasattr(obj, "rclass") and "data.frame" in list(obj.rclass)
    ):
        return pd.DataFrame({str(k): _vector_to_np(obj.rx2(k)) for k in obj.names})
    if isinstance(obj, (ro.ListVector, ri.ListSexpVector)):
        names = list(obj.names) if obj.names is not ro.NULL and obj.names is not None else None
        items = [to_py(v) for v in obj]
        if names and all(n not in ("", None) for n in names):
            return dict(zip(names, items))
        return items
    if getattr(obj, "typeof", None) in _ATOMIC:
        arr = _vector_to_np(obj)
        names = getattr(obj, "names", None)
        if names is not None and names is not ro.NULL and len(list(names)) == len(arr):
            keys = [str(n) for n in names]
            if all(keys):
                return dict(zip(keys, arr.tolist()))
        if arr.size == 1 and not _has_dim(obj):
            return arr[0].item() if isinstance(arr[0], np.generic) else arr[0]
        return arr
    return obj  # functions, calls, environments…: left as R objects


def _atomic_types():
    import rpy2.rinterface as ri

    t = ri.RTYPES
    return {t.REALSXP, t.INTSXP, t.LGLSXP, t.STRSXP, t.CPLXSXP}


class _AtomicTypes:
    """Lazy set of R's atomic vector types (rpy2 is imported on first use only)."""

    def __contains__(self, item) -> bool:
        return item in _atomic_types()


_ATOMIC = _AtomicTypes()


def _has_dim(obj) -> bool:
    ro = _robjects()
    return ro.r["dim"](obj) is not ro.NULL and not isinstance(ro.r["dim"](obj), type(ro.NULL))


def _vector_to_np(vec) -> np.ndarray:
    ro = _robjects()
    import rpy2.rinterface as ri

    if isinstance(vec, ro.FactorVector):
        levels = list(vec.levels)
        return np.array([levels[i - 1] if i != ri.NA_Integer else None for i in vec], dtype=object)
    rtype = getattr(vec, "typeof", None)
    if rtype == ri.RTYPES.REALSXP:
        arr = np.array(list(vec), dtype=np.float64)
    elif rtype == ri.RTYPES.INTSXP:
        vals = list(vec)
        if any(v == ri.NA_Integer for v in vals):
            arr = np.array([np.nan if v == ri.NA_Integer else v for v in vals], dtype=np.float64)
        else:
            arr = np.array(vals, dtype=np.int64)
    elif rtype == ri.RTYPES.LGLSXP:
        vals = list(vec)
        arr = np.array([None if v == ri.NA_Logical else bool(v) for v in vals], dtype=object)
        if all(v is not None for v in arr):
            arr = arr.astype(bool)
    elif rtype == ri.RTYPES.STRSXP:
        arr = np.array([None if v == ri.NA_Character else str(v) for v in vec], dtype=object)
    else:
        arr = np.array(list(vec), dtype=object)
    dim = ro.r["dim"](vec)
    if dim is not ro.NULL and not isinstance(dim, type(ro.NULL)) and len(dim) == 2:
        arr = arr.reshape((int(dim[0]), int(dim[1])), order="F")
    return arr


# --------------------------------------------------------------------------- evaluation


def r_eval(
    code: str, *, packages: Iterable[str] = (), convert: bool = True, **bindings: Any
) -> Any:
    """Evaluate R ``code`` in a fresh environment where each binding is an R variable.

    Returns the value of the last expression, converted by :func:`to_py` unless
    ``convert=False``. R errors raise ``rpy2``'s ``RRuntimeError`` with R's message.

    Examples
    --------
    >>> r_eval("as.numeric(pROC::auc(y, x, levels = c(0, 1), direction = '<'))",
    ...        packages=["pROC"], y=[0, 0, 1, 1], x=[0.1, 0.4, 0.35, 0.8])  # doctest: +SKIP
    0.75
    """
    ro = _robjects()
    if packages:
        require(*tuple(packages))
    with _quiet_rpy2():
        env = ro.r("new.env(parent = globalenv())")
        for name, value in bindings.items():
            env[name] = to_r(value)
        result = ro.baseenv["eval"](ro.baseenv["parse"](text=code), env)
        return to_py(result) if convert else result


@contextlib.contextmanager
def _quiet_rpy2():
    """Hide rpy2 3.5's own DeprecationWarning about its internal ``conversion.rpy2py`` use."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"The use of \w+ in module rpy2\.robjects\.conversion",
            category=DeprecationWarning,
        )
        yield


def r_dataset(package: str, name: str) -> pd.DataFrame:
    """A data set shipped with an R package (e.g. ``r_dataset("pROC", "aSAH")``) as a DataFrame.

    Factors become object columns of their labels.
    """
    require(package)
    return r_eval(
        f'local({{ e <- new.env(); data("{name}", package = "{package}", envir = e); '
        f'as.data.frame(e[["{name}"]]) }})'
    )


def r_home() -> str | None:
    """``R_HOME`` as rpy2 would find it, or ``None``."""
    return os.environ.get("R_HOME")
