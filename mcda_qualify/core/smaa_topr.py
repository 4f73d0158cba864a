"""SMAA-2 rank acceptability of the top r ranks only: memory grows with N * r, not N^2.

Lahdelma, R. & Salminen, P. (2001). SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making. Operations Research 49(3), 444-454. The rank acceptability b_i^k is the share of
weight samples in which opportunity i has rank k; here only k = 1..r is counted.

Rank-major counting: per chunk of samples, the scores (chunk, N) are computed as matrix products
(TOPSIS: squared weights times the weight-free squared gaps, Hwang & Yoon 1981; WSM: sum-normalised
matrix, Fishburn 1967), ``np.argpartition`` picks each sample's r best, a sort of those r orders them
(ties broken by input order, the earlier first, as in :func:`mcda_qualify.sensitivity.smaa2`), and one
``np.bincount`` over (opportunity * r + rank) adds the chunk into an (N, r) count. Peak memory is about
4 arrays of ``chunk`` x N floats plus N * r counts. Numeric core: arrays in, arrays out; never prints.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import methods
from .batch import sum_normalize

__all__ = ["TopRAcceptability", "topr_acceptability", "smaa2_topr"]

#: scores per chunk (chunk x N) when ``chunk_size`` is not given: 2^22 floats = 32 MiB per array
CHUNK_ELEMENTS = 1 << 22


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


def _scorer(matrix: np.ndarray, types: np.ndarray, method: str, normalization: str):
    if method == "wsm":
        rs = sum_normalize(matrix, types).T.copy()  # (M, N)
        return lambda w: (w / w.sum(axis=1, keepdims=True)) @ rs
    if method != "topsis":
        raise ValueError(f"unknown method {method!r}; expected 'topsis' or 'wsm'")
    if normalization not in methods.NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {methods.NORMALIZATIONS}")
    r = methods.normalize(matrix, types, normalization)
    gp = np.ascontiguousarray(((r - r.max(axis=0)) ** 2).T)
    gm = np.ascontiguousarray(((r - r.min(axis=0)) ** 2).T)

    def topsis(w: np.ndarray) -> np.ndarray:
        w2 = w * w
        dp = w2 @ gp
        np.sqrt(dp, out=dp)
        dm = w2 @ gm
        np.sqrt(dm, out=dm)
        dp += dm
        dm /= dp
        return dm

    return topsis


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
    score = _scorer(x, np.asarray(types), method, normalization)
    k = w.shape[0]
    size = max(1, CHUNK_ELEMENTS // n) if chunk_size is None else int(chunk_size)
    if size < 1:
        raise ValueError("chunk_size must be >= 1")
    counts = np.zeros(n * r, dtype=np.int64)
    cw = np.zeros((n, m))
    ranks = np.arange(r)
    for c0 in range(0, k, size):
        wc = w[c0:c0 + size]
        s = score(wc)  # (c, N), larger is better
        s = np.round(s, methods.TIE_DECIMALS)  # equal to 12 decimals: a tie, broken by input order
        c = s.shape[0]
        if r < n:
            top = np.argpartition(-s, r - 1, axis=1)[:, :r]
            # a tie across the r-th place: argpartition may pick any of the tied; take the earliest
            picked = np.take_along_axis(s, top, axis=1)
            cut = picked.min(axis=1, keepdims=True)
            tied = np.flatnonzero((s == cut).sum(axis=1) > (picked == cut).sum(axis=1))
            if tied.size:
                top[tied] = np.argsort(-s[tied], axis=1, kind="stable")[:, :r]
        else:
            top = np.broadcast_to(np.arange(n), (c, n))
        ts = np.take_along_axis(s, top, axis=1)
        order = _order_rows(ts, top)
        best = np.take_along_axis(top, order, axis=1)  # (c, r): opportunity at rank 1..r
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
        score = _scorer(plan.x, plan.types, method, normalization)
        group = max(1, CHUNK_ELEMENTS // n)
        for g0 in range(0, cand.size, group):
            cg = cand[g0:g0 + group]
            s = np.round(score(central[cg]), methods.TIE_DECIMALS)
            conf[cg] = (np.argmax(s, axis=1) == cg).astype(float)
    conf_se = np.where(np.isnan(conf), np.nan, 0.0)
    alpha = meta_weights(n, meta)
    return SMAAResult(res.acceptability, res.counts, central, conf, np.full(n, np.nan), alpha, res.standard_error,
                      conf_se, k, plan.entropy, plan.block, method, normalization, plan.weights.describe(), None)


def _order_rows(ts: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Per row: order by score descending, then index ascending (r is small: a stable argsort twice)."""
    o = np.argsort(idx, axis=1, kind="stable")
    o2 = np.argsort(-np.take_along_axis(ts, o, axis=1), axis=1, kind="stable")
    return np.take_along_axis(o, o2, axis=1)
