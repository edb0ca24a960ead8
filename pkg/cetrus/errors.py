"""Exceptions and warnings shared by every part of cetrus.

One template for bad parameters, in the spirit of scikit-learn's
``InvalidParameterError``: *"The 'X' parameter of F must be …. Got … instead."*
The CLI turns every :class:`CetrusError` into exit status 2 and one line on stderr.
"""

from __future__ import annotations


class CetrusError(Exception):
    """Base class of every error cetrus raises on purpose."""


class InputError(CetrusError, ValueError):
    """Bad input: a missing column, a wrong type, an impossible value."""


class ConvergenceError(CetrusError, RuntimeError):
    """A model fit did not converge (or the data are separated)."""


class RUnavailableError(CetrusError, RuntimeError):
    """R, rpy2 or an R package is missing; the message says which and how to install."""


class MissingExtraError(CetrusError, ImportError):
    """An optional dependency is not installed. The message is one line naming the
    cetrus extra that brings it (``pip install 'cetrus[imaging]'``); the CLI prints it
    and exits with status 2."""


class OutputError(CetrusError, OSError):
    """An output could not be written (disk full, read-only folder, …); nothing was
    half-written. The message names the output."""


class CetrusWarning(UserWarning):
    """Base class of cetrus warnings."""


class UndefinedStatisticWarning(CetrusWarning):
    """A statistic is undefined for this input and is returned as ``nan``."""


class SeparationWarning(CetrusWarning):
    """(Quasi-)complete separation in a logistic model."""


class ConvergenceWarning(CetrusWarning):
    """An iterative fit stopped before converging (the result is partial), as R warns."""


class AUCBelowHalfWarning(CetrusWarning):
    """The AUC under the chosen direction is below 0.5: the marker ranks the other way.

    pROC's ``direction = "auto"`` would flip the direction; cetrus keeps the direction
    asked for and says so.
    """


def param_error(param: str, func: str, expected: str, got: object) -> InputError:
    """Build the one-template error for a bad parameter value."""
    return InputError(f"The {param!r} parameter of {func} must be {expected}. Got {got!r} instead.")
