"""Never a crash: any single broken value gives a clear InputError or findings."""

from __future__ import annotations

import copy
import tomllib

import _gen
import numpy as np
import pytest

from cetrus.audit import audit
from cetrus.errors import InputError
from cetrus.study.published import default_path, load

PAPER = tomllib.loads(default_path().read_text(encoding="utf-8"))
REPLACEMENTS = ["text", -3, 0, 1e9, 0.5, [], [1.0], {"x": 1}, True, 150.0, -0.5]


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, path + (k,))
    elif isinstance(node, list) and node and not isinstance(node[0], (dict, list)):
        yield path
        for i in range(len(node)):
            yield path + (i,)
    else:
        yield path


LEAVES = [p for p in _leaves(PAPER) if p and p[0] not in ("meta",)]


def _set(doc, path, value):
    node = doc
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = value


@pytest.mark.parametrize("seed", range(60))
def test_a_broken_value_is_an_error_or_a_finding(seed, tmp_path):
    rng = np.random.default_rng(seed)
    doc = copy.deepcopy(PAPER)
    for _ in range(int(rng.integers(1, 3))):
        path = LEAVES[int(rng.integers(len(LEAVES)))]
        _set(doc, path, copy.deepcopy(REPLACEMENTS[int(rng.integers(len(REPLACEMENTS)))]))
    p = tmp_path / "published.toml"
    p.write_text(_gen.dumps(doc), encoding="utf-8")
    (tmp_path / "published_statements.txt").write_text("The CEUS model had an AUC of 0.740.\n")
    try:
        pub = load(p)
    except InputError as exc:
        msg = str(exc)
        assert "\n" not in msg and "published.toml" in msg
        return
    findings = audit(pub)
    assert findings
