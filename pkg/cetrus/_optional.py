"""Optional dependencies: which extra brings which module, and the one-line error.

``pip install cetrus`` installs what the statistics need (numpy, scipy, pandas,
statsmodels, python-glmnet, threadpoolctl, tabulate). Everything else comes with an
extra, and code that needs it imports it through :func:`import_optional` (or checks a
whole extra with :func:`require_extra`), so that a missing module is a
:class:`~cetrus.errors.MissingExtraError` naming the extra, not a traceback:

>>> from cetrus._optional import install_hint
>>> install_hint("torch")
"pip install 'cetrus[imaging]'"
"""

from __future__ import annotations

import importlib
from types import ModuleType

from cetrus.errors import MissingExtraError

#: extra -> the import names it provides (pyproject.toml's [project.optional-dependencies])
EXTRAS: dict[str, tuple[str, ...]] = {
    "r": ("rpy2",),
    "imaging": ("torch", "torchvision", "PIL", "pydicom", "nibabel", "tqdm"),
    "study": ("sklearn", "pyarrow", "matplotlib"),
}
#: import name -> distribution name, where they differ
DISTRIBUTION = {"PIL": "pillow", "sklearn": "scikit-learn", "rpy2": "rpy2"}
#: import name -> extra
EXTRA_OF = {module: extra for extra, modules in EXTRAS.items() for module in modules}

__all__ = [
    "EXTRAS",
    "EXTRA_OF",
    "import_optional",
    "install_hint",
    "missing_extra",
    "require_extra",
]


def install_hint(module: str) -> str:
    """The pip command that installs ``module`` (a top-level import name) with cetrus."""
    root = module.split(".")[0]
    extra = EXTRA_OF.get(root)
    if extra is None:
        return f"pip install {DISTRIBUTION.get(root, root)}"
    return f"pip install 'cetrus[{extra}]'"


def missing_extra(
    module: str, needed_by: str, exc: BaseException | None = None
) -> MissingExtraError:
    """The one-line error for ``module`` missing (or failing to import) in ``needed_by``."""
    root = module.split(".")[0]
    extra = EXTRA_OF.get(root)
    name = DISTRIBUTION.get(root, root)
    what = f"the {extra!r} extra of cetrus" if extra else name
    if exc is None or (
        isinstance(exc, ModuleNotFoundError) and (exc.name or root).split(".")[0] == root
    ):
        return MissingExtraError(
            f"{needed_by} needs {name}, which is not installed; install "
            f"{what}: {install_hint(root)}"
        )
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return MissingExtraError(
        f"{needed_by} needs {name}, which is installed but does not "
        f"import ({type(exc).__name__}: {first}); reinstall {what}: "
        f"{install_hint(root)}"
    )


def import_optional(module: str, needed_by: str) -> ModuleType:
    """``importlib.import_module(module)``, or :class:`MissingExtraError` naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise missing_extra(module, needed_by, exc) from exc


def require_extra(extra: str, needed_by: str, modules: tuple[str, ...] | None = None) -> None:
    """Import every module of ``extra`` (or the given subset) now, before any work is done."""
    for module in modules if modules is not None else EXTRAS[extra]:
        import_optional(module, needed_by)
