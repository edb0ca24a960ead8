"""cetrus: regenerate the CETRUS deep-learning radiomics study and prove it against R.

Importing :mod:`cetrus` stays light: numpy/scipy-based statistics load on first
use of :mod:`cetrus.stats`; torch, rpy2 and matplotlib load only inside the
functions that need them.
"""

__version__ = "0.1.0"

from cetrus.errors import (  # noqa: F401  (re-exported public API)
    CetrusError,
    CetrusWarning,
    ConvergenceError,
    InputError,
    RUnavailableError,
    SeparationWarning,
    UndefinedStatisticWarning,
)

__all__ = [
    "__version__",
    "CetrusError",
    "CetrusWarning",
    "ConvergenceError",
    "InputError",
    "RUnavailableError",
    "SeparationWarning",
    "UndefinedStatisticWarning",
]
