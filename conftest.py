"""Repository-root pytest hook: the docstring examples of ``cetrus.stats`` run as doctests.

``pytest`` (``make test``) collects ``pkg/cetrus/stats`` (pyproject's ``testpaths``) and
this hook turns each of its modules into a doctest module; nothing else under ``pkg/``
is collected. ``--doctest-modules`` over all of ``tests/`` is not used: it would import
every ``conftest.py`` a second time as a module named ``conftest`` and clash.
``pytest --doctest-modules pkg/cetrus/stats/roc.py`` still works (pytest's own
collector then takes over and this hook stands aside).
"""

from __future__ import annotations

from pathlib import Path

STATS = Path(__file__).resolve().parent / "pkg" / "cetrus" / "stats"


def pytest_collect_file(file_path: Path, parent):
    if (
        file_path.suffix != ".py"
        or parent.config.option.doctestmodules
        or not file_path.resolve().is_relative_to(STATS)
    ):
        return None
    from _pytest.doctest import DoctestModule  # pytest's own collector of --doctest-modules

    return DoctestModule.from_parent(parent, path=file_path)
