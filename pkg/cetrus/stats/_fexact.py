"""Fisher's exact test on r×c tables: the two-sided p by the network algorithm.

Private helper of :func:`cetrus.stats.groups.fisher_exact` (R's ``fisher.test`` runs
FEXACT, Mehta & Patel 1983; scipy has no r×c exact test, so the algorithm is ours).
"""

from __future__ import annotations

import math

import numpy as np

from cetrus.errors import InputError

_FEXACT_TOL = 3.45254e-7  # FEXACT's TOL: "probability <= observed" up to this, on the log scale
_MERGE_TOL = 1e-9  # past path values closer than this (log scale) are one value
_MAX_WORK = 30_000_000  # partial tables generated before giving up (R: workspace error)
#: work units charged per network node visited (its Python overhead, ~ that of 1000 tables)
_NODE_WORK = 1000
#: most categories (columns of the 2 x k table) Fisher's exact test is run on in a group
#: comparison; a variable with more is usually continuous (R's fisher.test runs out of
#: workspace on such tables: "FEXACT error 40. Out of workspace.")
FISHER_MAX_LEVELS = 50


def _n_compositions(total: int, caps: np.ndarray) -> int:
    """How many rows :func:`_compositions_array` would return (counted, not built)."""
    ways = [1] + [0] * total  # ways[t]: vectors over the parts so far summing to t
    for cap in (int(x) for x in caps):
        prefix = [0]
        for w in ways:
            prefix.append(prefix[-1] + w)
        ways = [prefix[t + 1] - prefix[max(0, t - cap)] for t in range(total + 1)]
    return ways[total]


def _compositions_array(total: int, caps: np.ndarray) -> np.ndarray:
    """Every integer vector ``v`` (one per row) with ``0 <= v <= caps``, ``sum(v) == total``."""
    caps = np.asarray(caps, dtype=np.int64)
    k = caps.size
    suffix = np.concatenate([np.cumsum(caps[::-1])[::-1], [0]])
    if total > suffix[0] or total < 0:
        return np.zeros((0, k), dtype=np.int64)
    rows = np.zeros((1, 0), dtype=np.int64)
    rem = np.array([total], dtype=np.int64)
    for i in range(k - 1):
        lo = np.maximum(0, rem - suffix[i + 1])
        hi = np.minimum(caps[i], rem)
        counts = hi - lo + 1
        idx = np.repeat(np.arange(rows.shape[0]), counts)
        start = np.repeat(np.cumsum(counts) - counts, counts)
        vals = lo[idx] + (np.arange(idx.size) - start)
        rows = np.column_stack([rows[idx], vals])
        rem = rem[idx] - vals
    return np.column_stack([rows, rem])


def _waterfill(total: np.ndarray, caps: np.ndarray, lf: np.ndarray) -> np.ndarray:
    """Least ``Σ_j log n_j!`` over integers ``0 <= n_j <= caps_j`` summing to ``total``
    (caps sorted ascending on the last axis): fill the caps below the even share, split
    the rest evenly (``log n!`` is convex, so this greedy allocation is optimal)."""
    total = np.asarray(total, dtype=np.int64)
    out = np.zeros(total.shape)
    left = total.copy()
    m = caps.shape[-1]
    slots = np.full(total.shape, m, dtype=np.int64)
    done = np.zeros(total.shape, dtype=bool)
    for j in range(m):
        cap = caps[..., j]
        fill = ~done & (cap * slots <= left)  # cap below the even share: filled
        out = np.where(fill, out + lf[np.where(fill, cap, 0)], out)
        left = np.where(fill, left - cap, left)
        slots = np.where(fill, slots - 1, slots)
        done |= ~fill
    q, rem = np.divmod(left, np.maximum(slots, 1))
    even = rem * lf[q + 1] + (slots - rem) * lf[q]
    return out + np.where(slots > 0, even, 0.0)


def _fisher_rxc_p(obs: np.ndarray) -> float:
    r"""Exact two-sided p of an r×c table: the network algorithm (Mehta & Patel 1983).

    The p-value is :math:`\sum P(T)` over the tables :math:`T` with the observed
    margins and :math:`\log P(T) \le \log P(T_{obs}) + 3.45254\cdot10^{-7}` (FEXACT's
    tolerance, R's ``fisher.test``), with
    :math:`P(T) = \prod r_i! \prod c_j! / (N! \prod n_{ij}!)`.

    Tables are built one column (of the longer dimension, smallest sums first) at a
    time; a node of the network is the sorted vector of remaining row sums, and
    paths reaching a node with the same past value :math:`\sum_j (\log c_j! -
    \sum_i \log n_{ij}!)` are merged (their multiplicities add). A path is settled
    early when even the most probable completion still counts (all its completions
    are added in closed form, :math:`\sum_{T'} \prod_j c_j!/\prod n_{ij}! =
    N'!/\prod r'_i!`) or the least probable one does not (dropped), by bounds from
    the row/column relaxations (:math:`\log` factorial is convex and superadditive).
    The last two columns are summed exactly: for each node the completion values are
    sorted once and every past value is settled by binary search, so the result is
    exact, not approximate.
    """
    from scipy.special import gammaln

    obs = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
    if min(obs.shape) < 2:
        return 1.0
    if obs.shape[0] > obs.shape[1]:
        obs = obs.T  # rows: the shorter dimension (node keys); columns: the stages
    rows = obs.sum(axis=1).astype(np.int64)
    order = np.argsort(obs.sum(axis=0), kind="stable")
    obs = obs[:, order]
    cols = obs.sum(axis=0).astype(np.int64)
    n = int(rows.sum())
    lf = gammaln(np.arange(n + 2, dtype=np.float64) + 1.0)
    dro = lf[n] - lf[rows].sum()  # log(N! / prod r_i!)
    threshold = float((lf[cols] - lf[obs].sum(axis=0)).sum()) + _FEXACT_TOL
    ncol = cols.size
    last = ncol - 2  # stage at which the two remaining columns are summed exactly
    suffix_lf = np.concatenate([np.cumsum(lf[cols][::-1])[::-1], [0.0]])

    def bounds(states: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Per state (row): an upper bound on the largest and a lower bound on the
        smallest completion value from stage k on."""
        rest = cols[k:]
        # a row spread as evenly as the column sums allow: its least sum of log n!
        low_rows = _waterfill(
            states, np.broadcast_to(np.sort(rest), states.shape + rest.shape), lf
        ).sum(axis=1)
        low_cols = _waterfill(
            np.broadcast_to(rest, (states.shape[0], rest.size)),
            np.broadcast_to(states[:, None, :], (states.shape[0], rest.size, states.shape[1])),
            lf,
        ).sum(axis=1)
        # log n! is convex: a row's largest sum of log n! fills the largest column sums
        # first (and a column's, the largest row sums first)
        caps = np.sort(rest)[::-1]
        prev = np.concatenate([[0], np.cumsum(caps)[:-1]])
        by_row = lf[np.clip(states[:, :, None] - prev[None, None, :], 0, caps[None, None, :])].sum(
            axis=(1, 2)
        )
        scap = states[:, ::-1]
        sprev = np.concatenate(
            [np.zeros((states.shape[0], 1), dtype=np.int64), np.cumsum(scap, axis=1)[:, :-1]],
            axis=1,
        )
        by_col = lf[np.clip(rest[None, :, None] - sprev[:, None, :], 0, scap[:, None, :])].sum(
            axis=(1, 2)
        )
        high = np.minimum(by_row, by_col)
        base = suffix_lf[k]
        return base - np.maximum(low_rows, low_cols), base - high

    base = int(rows.max()) + 1
    packed = rows.size * math.log2(base) < 62
    powers = base ** np.arange(rows.size, dtype=np.int64) if packed else None
    total = 0.0
    states = np.sort(rows)[None, :]
    past = [np.zeros(1)]
    freq = [np.ones(1)]
    work = 0
    for k in range(last):
        c = int(cols[k])
        ids: dict[tuple, int] = {}
        d_nodes, d_vals, d_wts = [], [], []
        for s_i in range(states.shape[0]):
            state = states[s_i]
            if work + _n_compositions(c, state) * past[s_i].size > _MAX_WORK:
                raise InputError(
                    "fisher_exact: the table is too large for the exact network "
                    f"algorithm (more than {_MAX_WORK:,} partial tables); use "
                    "chi_square instead."
                )
            fills = _compositions_array(c, state)
            gain = lf[c] - lf[fills].sum(axis=1)
            daughters = np.sort(state[None, :] - fills, axis=1)
            if packed:  # sorted state -> one int64 (fast unique)
                keys, first, inv = np.unique(
                    daughters @ powers, return_index=True, return_inverse=True
                )
                local = daughters[first]
            else:
                local, inv = np.unique(daughters, axis=0, return_inverse=True)
            gid = np.array(
                [ids.setdefault(tuple(row), len(ids)) for row in local.tolist()], dtype=np.int64
            )
            pv, fq = past[s_i], freq[s_i]
            work += pv.size * gain.size + _NODE_WORK
            if work > _MAX_WORK:
                raise InputError(
                    "fisher_exact: the table is too large for the exact network "
                    f"algorithm (more than {_MAX_WORK:,} partial tables); use "
                    "chi_square instead."
                )
            d_nodes.append(np.repeat(gid[inv.ravel()], pv.size))
            d_vals.append((gain[:, None] + pv[None, :]).ravel())
            d_wts.append(np.tile(fq, gain.size))
        uniq = np.array(list(ids), dtype=np.int64).reshape(len(ids), rows.size)
        work += uniq.size * (ncol - k)  # the bounds below cost nodes x rows x columns left
        if work > _MAX_WORK:
            raise InputError(
                "fisher_exact: the table is too large for the exact network "
                f"algorithm (more than {_MAX_WORK:,} partial tables); use "
                "chi_square instead."
            )
        inverse = np.concatenate(d_nodes)
        vals = np.concatenate(d_vals)
        wts = np.concatenate(d_wts)
        hi, lo = bounds(uniq, k + 1)
        settled = vals + hi[inverse] <= threshold
        if settled.any():  # every completion counts: N'!/prod r'! in closed form
            sums = uniq.sum(axis=1)
            log_all = lf[sums] - lf[uniq].sum(axis=1)
            total += float(
                (wts[settled] * np.exp(vals[settled] + log_all[inverse[settled]] - dro)).sum()
            )
        live = ~settled & (vals + lo[inverse] <= threshold)
        vals, wts, node = vals[live], wts[live], inverse[live]
        # merge equal past values at the same node (sorted by node, then value)
        o = np.lexsort((vals, node))
        vals, wts, node = vals[o], wts[o], node[o]
        new = np.ones(vals.size, dtype=bool)
        new[1:] = (node[1:] != node[:-1]) | (np.diff(vals) > _MERGE_TOL)
        starts = np.flatnonzero(new)
        vals, wts, node = vals[starts], np.add.reduceat(wts, starts), node[starts]
        keep, first = np.unique(node, return_index=True)
        bounds_at = np.append(first, node.size)
        states = uniq[keep]
        past = [vals[bounds_at[i] : bounds_at[i + 1]] for i in range(keep.size)]
        freq = [wts[bounds_at[i] : bounds_at[i + 1]] for i in range(keep.size)]
        if states.shape[0] == 0:
            return float(min(1.0, total))
    ca, cb = int(cols[last]), int(cols[last + 1])
    for s_i in range(states.shape[0]):
        state = states[s_i]
        pv, fq = past[s_i], freq[s_i]
        fills = _compositions_array(ca, state)
        fut = lf[ca] + lf[cb] - lf[fills].sum(axis=1) - lf[state[None, :] - fills].sum(axis=1)
        fut.sort()
        top = fut[-1]
        csum = np.cumsum(np.exp(fut - top))
        idx = np.searchsorted(fut, threshold - pv, side="right")
        ok = idx > 0
        if ok.any():
            total += float((fq[ok] * np.exp(pv[ok] + top - dro) * csum[idx[ok] - 1]).sum())
    return float(min(1.0, total))
