"""SMAA-2 rank acceptability of the top r ranks only: memory grows with N * r, not N^2.

Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making. Operations Research 49(3), 444-454. The rank acceptability b_i^k is the share of
weight samples in which opportunity i has rank k; here only k = 1..r is counted.

Rank-major counting: per chunk of samples, the sortable keys (chunk, N) of
:func:`mcda_qualify.core.smaa.smaa2` are computed as matrix products (TOPSIS: squared weights times
the weight-free squared gaps, Hwang & Yoon 1981; WSM: sum-normalised matrix, Fishburn 1967) with the
opportunity index in their low bits; r + 1 passes of ``argmin`` (or one ``np.partition`` for r > 16)
pick each sample's r + 1 best in order, the tie rule of core.ties settles them as in smaa2 (scores within
the chained tolerance tie, the earlier opportunity first; see :func:`top_r`), and one ``np.bincount``
over (opportunity * r + rank) adds the chunk into an (N, r) count. Peak memory is about
3 arrays of ``chunk`` x N plus N * r counts. Numeric core: arrays in, arrays out; never prints.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .batch import check_method
from .ties import FLOOR, RTOL

__all__ = ["TopRAcceptability", "topr_acceptability", "smaa2_topr"]

#: scores per chunk (chunk x N) when ``chunk_size`` is not given: 2^19 floats = 4 MiB per array (fewer
#: page faults than larger chunks: measured fastest at 1,000 and 10,000 opportunities)
CHUNK_ELEMENTS = 1 << 19
#: up to this many ranks, each is found by one argmin pass over the keys; beyond, one partition
ARGMIN_RANKS = 16


def _plan(x: np.ndarray, types: np.ndarray, method: str, normalization: str, w: np.ndarray):
    """The scoring of :func:`mcda_qualify.core.smaa.smaa2` (same keys, hence the same ranks and ties)."""
    from .smaa import _Plan
    from .weight_models import SampledWeights

    return _Plan(x, types, method, normalization, SampledWeights(w), None, w.shape[0], None, 1024)


def _keys(plan, w: np.ndarray) -> np.ndarray:
    """The keys of ``plan.keys`` for a fixed matrix, as one gemm per distance: at large N the plan's
    row-blocked gemm (kept for bit-identical chunking in smaa2) runs at a fraction of BLAS speed.
    The two agree except within float noise, far inside the tie tolerance. The keys live in this
    thread's scratch buffer: use them before the next call."""
    from .smaa import _scratch

    shape = (w.shape[0], plan.n)  # into this thread's scratch buffers: fresh arrays of this size page-fault
    if plan.method == "topsis":
        w2 = w * w
        dp = np.matmul(w2, plan.gpT, out=_scratch("dp", shape))
        dm = np.matmul(w2, plan.gmT, out=_scratch("dm", shape))
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(dp, dm, out=dp)
        return plan._pack(dp, invert=False)
    return plan._pack(np.matmul(w, plan.rT, out=_scratch("dp", shape)), invert=True)


def top_r(plan, keys: np.ndarray, r: int) -> np.ndarray:
    """The r best opportunities of each row of unsorted keys (C, N), in rank order, under the tie rule
    of core.ties that smaa2 applies (scores within the chained tolerance tie; tied ones by input order).

    The r + 1 smallest keys of each row come out in order (r + 1 argmin passes, or one partition for
    larger r), the tie rule is applied to that window, and a row whose window ends inside a tie group
    (ranks r and r + 1 tied: the group may go on past the window) is sorted whole and settled as in
    smaa2. ``keys`` is overwritten.
    """
    c, n = keys.shape
    w = min(r + 1, n)
    where = None
    if w == n or r > ARGMIN_RANKS:
        part = np.partition(keys, w - 1, axis=1)[:, :w] if w < n else keys.copy()
        part.sort(axis=1)
    else:  # w passes of argmin beat a partition of the whole row
        rows = np.arange(c)
        part = np.empty((c, w), dtype=keys.dtype)
        where = np.empty((c, w), dtype=np.int64)
        for q in range(w):
            i = np.argmin(keys, axis=1)
            where[:, q], part[:, q] = i, keys[rows, i]
            keys[rows, i] = np.iinfo(np.uint64).max
    if w == 1:
        return np.bitwise_and(part, plan.mask).astype(np.int64)
    taken = part.copy()
    if w < n:
        v = plan.values(part[:, [0, w - 2, w - 1]])
        tol = RTOL * np.fmax(FLOOR, v[:, 0])
        with np.errstate(invalid="ignore"):
            open_end = ~(v[:, 1] - v[:, 2] > tol)  # NaN: settle the row whole
    else:
        open_end = np.zeros(c, dtype=bool)
    part = plan._exact_rows(part, np.flatnonzero(~open_end))
    f = np.flatnonzero(open_end)
    if f.size:
        if where is not None:  # put back the keys the argmin passes took out
            keys[f[:, None], where[f]] = taken[f]
        part[f] = plan.break_ties(np.sort(keys[f], axis=1))[:, :w]
    return np.bitwise_and(part[:, :r], plan.mask).astype(np.int64)


@dataclass(frozen=True)
class TopRAcceptability:
    """Rank acceptability of ranks 1..r: ``acceptability`` (N, r) = ``counts`` / ``samples``;
    ``standard_error`` sqrt(b (1 - b) / K). Column k - 1 is rank k. ``first_weight_sums`` (N, M): the
    sum of the weight samples in which each opportunity ranks first (central weights = sums / counts)."""

    acceptability: np.ndarray
    counts: np.ndarray
    standard_error: np.ndarray
    samples: int
    r: int
    first_weight_sums: np.ndarray | None = None


def topr_acceptability(matrix: np.ndarray, types: np.ndarray, weight_samples: np.ndarray, r: int, *,
                       method: str = "topsis", normalization: str = "vector",
                       chunk_size: int | None = None) -> TopRAcceptability:
    """Acceptability of ranks 1..r for every opportunity over K weight samples (K, M).

    Draw the samples with :func:`mcda_qualify.sensitivity.draw_weights` (any weight model, seeded) to
    get the same samples as :func:`mcda_qualify.sensitivity.smaa2`; its first r columns are equal to
    this result. Memory: O(chunk x N + N x r), never N x N.
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or not np.all(np.isfinite(x)):
        raise ValueError("matrix must be a finite (N, M) array")
    n, m = x.shape
    w = np.asarray(weight_samples, dtype=float)
    if w.ndim != 2 or w.shape[1] != m or w.shape[0] < 1 or np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weight_samples must be a (K, {m}) array of finite weights >= 0, K >= 1")
    if np.any(w.sum(axis=1) <= 0):
        raise ValueError("weight_samples: every sample needs a weight > 0")
    r = int(r)
    if not 1 <= r <= n:
        raise ValueError(f"r must be between 1 and the number of opportunities ({n})")
    check_method(method, normalization)
    plan = _plan(x, np.asarray(types), method, normalization, w)
    k = w.shape[0]
    size = max(1, CHUNK_ELEMENTS // n) if chunk_size is None else int(chunk_size)
    if size < 1:
        raise ValueError("chunk_size must be >= 1")
    counts = np.zeros(n * r, dtype=np.int64)
    cw = np.zeros((n, m))
    ranks = np.arange(r)
    for c0 in range(0, k, size):
        wc = w[c0:c0 + size]
        best = top_r(plan, _keys(plan, wc), r)  # (c, r): each sample's r best, in rank order
        counts += np.bincount((best * r + ranks).ravel(), minlength=n * r)
        for j in range(m):
            cw[:, j] += np.bincount(best[:, 0], weights=wc[:, j], minlength=n)
    counts = counts.reshape(n, r)
    acc = counts / k
    return TopRAcceptability(acc, counts, np.sqrt(acc * (1 - acc) / k), k, r, cw)


def smaa2_topr(matrix: np.ndarray, types: np.ndarray, r: int, *, samples: int | None = None,
               weights: Any = None, method: str = "topsis", normalization: str = "vector",
               seed: int | np.random.SeedSequence | None = None, chunk_size: int | None = None,
               meta: str | Sequence[float] = "centroid") -> Any:
    """SMAA-2 (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454) limited to ranks 1..r.

    The same weight samples as :func:`mcda_qualify.core.smaa.smaa2` for the same ``weights`` model
    and ``seed`` (so its first r acceptability columns are equal), counted with
    :func:`topr_acceptability`: memory O(chunk x N + N x r), never N x N, so 50,000 opportunities fit.
    Returns a :class:`~mcda_qualify.core.smaa.SMAAResult` whose ``acceptability``, ``counts`` and
    ``standard_error`` have r columns; ``central_weights`` and ``confidence`` (exact values: does i
    rank first with its central weights) as in SMAA-2; ``holistic`` is NaN (it needs every rank).
    Score uncertainty (sampled matrices) is not supported here.
    """
    from .smaa import SMAAResult, _prepare_smaa, meta_weights

    plan, _, _ = _prepare_smaa(matrix, types, samples, weights, None, method, normalization, seed, None, 1)
    n, k = plan.n, plan.k
    r = int(r)
    if not 1 <= r <= n:
        raise ValueError(f"r must be between 1 and the number of opportunities ({n})")
    w = plan.draw_weights(0, k)
    res = topr_acceptability(plan.x, plan.types, w, r, method=method, normalization=normalization,
                             chunk_size=chunk_size)
    first = res.counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first[:, None] > 0, res.first_weight_sums / first[:, None], np.nan)
    cand = np.flatnonzero(first > 0)
    conf = np.full(n, np.nan)
    if cand.size:
        group = max(1, CHUNK_ELEMENTS // n)
        for g0 in range(0, cand.size, group):
            cg = cand[g0:g0 + group]
            keys = _keys(plan, central[cg])
            conf[cg] = (plan.first(keys) == cg).astype(float)  # the tie rule, as smaa2
    conf_se = np.where(np.isnan(conf), np.nan, 0.0)
    alpha = meta_weights(n, meta)
    return SMAAResult(res.acceptability, res.counts, central, conf, np.full(n, np.nan), alpha, res.standard_error,
                      conf_se, k, plan.entropy, plan.block, method, normalization, plan.weights.describe(), None)
