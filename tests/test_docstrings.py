"""Every public statistic documents itself the same way (numpydoc): parameters, what it
returns, related functions, the R function it equals, and an example that runs (the
examples run as doctests of pkg/cetrus/stats)."""

from __future__ import annotations

import inspect

import cetrus.stats as stats

FUNCTION_SECTIONS = ("Parameters", "Returns", "See Also", "References", "Examples")
CLASS_SECTIONS = ("See Also", "Examples")


def test_every_public_statistic_has_the_numpydoc_sections():
    missing = {}
    for name in dir(stats):
        obj = getattr(stats, name)
        if name.startswith("_") or inspect.ismodule(obj) or not callable(obj):
            continue
        doc = inspect.getdoc(obj) or ""
        wanted = CLASS_SECTIONS if inspect.isclass(obj) else FUNCTION_SECTIONS
        lacking = [s for s in wanted if f"{s}\n{'-' * len(s)}" not in doc]
        if lacking:
            missing[name] = lacking
    assert not missing, f"public names of cetrus.stats without these sections: {missing}"
