"""SMAA-2, batched: rank acceptability, central weights and confidence factors from many samples.

Numeric core (arrays in, arrays out; bad arguments raise :class:`ValueError`). The conventions
(``matrix``, ``types``, the methods, the weight sweep, ranks and ties) are those of
:mod:`mcda_qualify.core.batch`; docs/sensitivity.md has the formulas and sources.
"""
from __future__ import annotations

import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import methods as core
from .batch import check_method, _stack_sq_distances, normalize_stack, sum_normalize
from .ties import FLOOR, RTOL
from .weight_models import WeightModel, ScoreRanges, SampledWeights, UniformWeights, _entropy

BLOCK_FIXED = 1024
BLOCK_STACK = 256
#: a gemm of rows x M x N at most this size runs on one OpenBLAS thread (no clash with our workers)
_GEMM_SINGLE = 1 << 18
#: samples x opportunities below which the default is one thread
_THREAD_MIN = 1 << 22
#: a chunk counts into N^2 bins (one bincount) while N <= this many times its samples; beyond, the
#: caller adds each sample's N distinct (opportunity, rank) indices into the one N x N count in place
_BINCOUNT_ROWS = 2



@dataclass(frozen=True)
class SMAAResult:
    """SMAA-2 indices (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454).

    ``acceptability`` (N, N): b_i^r, share of samples in which opportunity i has rank r (column r-1);
    ``counts`` the integer counts behind it. ``central_weights`` (N, M): mean weight vector of the
    samples in which i ranks first (NaN row when it never does). ``confidence`` (N,): share of the
    sampled matrices in which i ranks first with its central weights (0 or 1 for exact values; NaN when
    it has no central weights). ``holistic`` = acceptability @ ``meta_weights``. Standard errors are
    sqrt(p (1 - p) / K). ``seed``: the SeedSequence entropy that reproduces the run.
    """

    acceptability: np.ndarray
    counts: np.ndarray
    central_weights: np.ndarray
    confidence: np.ndarray
    holistic: np.ndarray
    meta_weights: np.ndarray
    standard_error: np.ndarray
    confidence_se: np.ndarray
    samples: int
    seed: int | None
    block: int
    method: str
    normalization: str
    weight_model: dict[str, Any] = field(default_factory=dict)
    score_model: dict[str, Any] | None = None


def meta_weights(n: int, kind: str | Sequence[float] = "centroid") -> np.ndarray:
    """Meta-weights alpha_1 = 1 >= alpha_2 >= ... >= alpha_n >= 0 of the holistic acceptability index.

    ``centroid`` (default): alpha_r = sum_{i=r}^n 1/i / sum_{i=1}^n 1/i; ``linear``: (n - r) / (n - 1);
    ``inverse``: 1 / r (Lahdelma & Salminen 2001 discuss such decreasing meta-weights). Or give them.
    """
    if isinstance(kind, str):
        r = np.arange(1, n + 1, dtype=float)
        if kind == "centroid":
            h = np.cumsum((1.0 / r)[::-1])[::-1]
            return h / h[0]
        if kind == "linear":
            return (n - r) / (n - 1) if n > 1 else np.ones(1)
        if kind == "inverse":
            return 1.0 / r
        raise ValueError(f"unknown meta-weights {kind!r}; expected centroid, linear, inverse or {n} numbers")
    a = np.asarray(kind, dtype=float)
    if a.shape != (n,) or np.any(~np.isfinite(a)) or np.any(np.diff(a) > 0) or a.min() < 0 or a[0] != 1:
        raise ValueError(f"meta-weights must be {n} numbers with 1 = a_1 >= a_2 >= ... >= a_n >= 0")
    return a


def _block_rng(entropy: int, stream: int, block: int) -> np.random.Generator:
    """The generator of one random block: its own SeedSequence child, independent of chunking."""
    return np.random.default_rng(np.random.SeedSequence(entropy, spawn_key=(stream, block)))


def _gemm_rows(m: int, n: int) -> int:
    """Rows per gemm call: the largest power of two in [16, 1024] with rows * m * n <= 2^18.

    Small enough for OpenBLAS to run each call on one thread, so the SMAA worker threads do not fight
    BLAS's own; a power of two divides the random block, so every sample's row is computed by an
    identically shaped call whatever the chunking (bit-identical results).
    """
    g = 16
    while g < 1024 and 2 * g * m * n <= _GEMM_SINGLE:
        g *= 2
    return g


_LOCAL = threading.local()
#: scratch buffers above this size are not kept between chunks
_SCRATCH_MAX = 1 << 28


def _scratch(name: str, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    """A work array (float64 unless ``dtype``) of ``shape`` from this thread's scratch buffers, reused
    between chunks and calls: first-touch page faults of fresh multi-megabyte arrays cost as much as the
    arithmetic here. The caller must copy anything it returns out of it."""
    size = np.dtype(dtype).itemsize
    need = int(np.prod(shape)) * size
    if need > _SCRATCH_MAX:
        return np.empty(shape, dtype=dtype)
    bufs = getattr(_LOCAL, "bufs", None)
    if bufs is None:
        bufs = _LOCAL.bufs = {}
    buf = bufs.get(name)
    if buf is None or buf.nbytes < need:
        buf = bufs[name] = np.empty(need, dtype=np.uint8)
    return buf[:need].view(dtype).reshape(shape)


def release_scratch() -> int:
    """Free this thread's SMAA scratch buffers (kept between calls to avoid page faults); returns bytes freed."""
    bufs = getattr(_LOCAL, "bufs", None) or {}
    freed = sum(b.nbytes for b in bufs.values())
    _LOCAL.bufs = {}
    return freed


def _rows_matmul(a: np.ndarray, b: np.ndarray, rows: int, out: np.ndarray | None = None) -> np.ndarray:
    """a (C, M) @ b (M, N) as gemm calls of ``rows`` rows each (the remainder in one more call)."""
    c, n = a.shape[0], b.shape[1]
    out = np.empty((c, n)) if out is None else out
    r = c - c % rows
    if r:
        np.matmul(a[:r].reshape(-1, rows, a.shape[1]), b, out=out[:r].reshape(-1, rows, n))
    if r < c:
        np.matmul(a[r:], b, out=out[r:])
    return out


class _Plan:
    """Everything a chunk of the SMAA simulation needs, prepared once."""

    def __init__(self, matrix: np.ndarray, types: np.ndarray, method: str, normalization: str,
                 weights: WeightModel, scores: ScoreRanges | None, samples: int, entropy: int | None,
                 block: int) -> None:
        self.x = np.asarray(matrix, dtype=float)
        self.n, self.m = self.x.shape
        self.types = np.asarray(types)
        self.method, self.normalization = method, normalization
        self.weights, self.scores = weights, scores
        self.k, self.entropy, self.block = samples, entropy, block
        bits = max(1, int(math.ceil(math.log2(self.n))))
        self.mask = np.uint64((1 << bits) - 1)
        self.keep = ~self.mask
        self.idx = np.arange(self.n, dtype=np.uint64)
        self.ar = np.arange(self.n, dtype=np.int64)
        self.rows = _gemm_rows(self.m, self.n)
        if scores is None:
            if method == "topsis":
                r = core.normalize(self.x, self.types, normalization)
                self.gpT = np.ascontiguousarray(((r - r.max(axis=0)) ** 2).T)
                self.gmT = np.ascontiguousarray(((r - r.min(axis=0)) ** 2).T)
            else:
                self.rT = np.ascontiguousarray(sum_normalize(self.x, self.types).T)

    # -- random inputs, block by block ------------------------------------------------------
    def blocks(self, k0: int, k1: int) -> range:
        return range(k0 // self.block, (k1 - 1) // self.block + 1)

    def block_size(self, b: int) -> int:
        return min(self.block, self.k - b * self.block)

    def draw_weights(self, k0: int, k1: int) -> np.ndarray:
        if isinstance(self.weights, SampledWeights):
            return self.weights.samples[k0:k1]
        assert self.entropy is not None
        parts = [self.weights.draw(_block_rng(self.entropy, 0, b), self.block_size(b), self.m)
                 for b in self.blocks(k0, k1)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def draw_matrices(self, k0: int, k1: int) -> np.ndarray:
        assert self.scores is not None and self.entropy is not None
        parts = [self.scores.draw(_block_rng(self.entropy, 1, b), self.block_size(b)) for b in self.blocks(k0, k1)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    # -- sortable keys: the score order in the high bits, the opportunity index in the low bits --
    def _pack(self, v: np.ndarray, invert: bool) -> np.ndarray:
        """uint64 keys whose ascending order is best first; ties (equal high bits) by input order.

        v >= 0 here, so its IEEE-754 bits order like its values; ``invert`` flips them (higher better).
        The low ceil(log2 N) of the 52 mantissa bits make way for the index: values closer than about
        2^-(52 - ceil(log2 N)) relative count as tied.
        """
        k = v.view(np.uint64)
        if invert:
            np.invert(k, out=k)
        np.bitwise_and(k, self.keep, out=k)
        np.bitwise_or(k, self.idx, out=k)
        return k

    def values(self, keys: np.ndarray) -> np.ndarray:
        """The scores (closeness for TOPSIS, the weighted sum for WSM) behind packed keys, any shape.

        Exact up to the low index bits (relative 2^-(52 - ceil(log2 N))), far below the tie tolerance.
        """
        k = np.bitwise_and(keys, self.keep)
        if self.method != "topsis":
            np.invert(k, out=k)
        v = k.view(np.float64)
        if self.method == "topsis":  # keys hold q = (D+)^2 / (D-)^2; closeness C = 1 / (1 + sqrt(q))
            with np.errstate(invalid="ignore", divide="ignore"):
                v = 1.0 / (1.0 + np.sqrt(v))
        return v

    @staticmethod
    def _tolerance(v: np.ndarray) -> np.ndarray:
        """core.ties' tolerance along the last axis; NaN scores (0/0) are ignored, never tied."""
        with np.errstate(invalid="ignore"):
            top = np.fmax.reduce(np.abs(v), axis=-1)
        return RTOL * np.fmax(FLOOR, top)

    def break_ties(self, keys: np.ndarray) -> np.ndarray:
        """Sorted keys (C, N), best first: within each group of tied scores (chained, as in
        core.ties) reorder by input order. Rows without ties (almost all) are left as they are.

        The exact rule needs every score (a square root and a division each, for TOPSIS), which would
        cost as much as the sort. So the scores are computed only for the two end pairs of every row
        and for the rows that a screen on the keys themselves cannot clear (:meth:`_screen`).
        """
        c, n = keys.shape
        if n < 5:
            return self._exact_rows(keys, np.arange(c))
        ends = self.values(keys[:, [0, 1, n - 2, n - 1]]).reshape(c, 2, 2)  # float64 scores, best first
        # one tolerance for the chunk, the largest of its rows' (the exact step uses each row's own)
        tol = RTOL * max(FLOOR, float(np.fmax.reduce(ends[:, 0, 0])))
        with np.errstate(invalid="ignore"):
            near = ~(ends[:, :, 0] - ends[:, :, 1] > tol)  # NaN: look at the row
        rows = np.flatnonzero(near[:, 0] | near[:, 1] | self._screen(keys, ends, tol))
        return self._exact_rows(keys, rows) if rows.size else keys

    def _screen(self, keys: np.ndarray, ends: np.ndarray, tol: float) -> np.ndarray:
        """Rows (bool, C) whose middle pairs (positions 1..N-2) may hold a tie, from the keys alone.

        Between positions 1 and N-2 a sorted row's scores lie in [v(N-2), v(1)]. Along that range the
        score moves by at least ``g`` per unit of log(q) (TOPSIS: |dC/d ln q| = C (1 - C) / 2, smallest
        at an end of the range; WSM: s >= v(N-2)), so a tie (gap <= tol) needs |Delta ln q| <= tol / g.
        Adjacent positive doubles k ulps apart differ by at least k * 2^-53 in log, and the low index
        bits move a key by less than 2^bits: so a pair whose keys differ by more than
        tol / g * 2^53 * 1.01 (the margin covers the float64 rounding of g and of the exact rule) + 2^bits
        is not tied. A row with a score of 0 (or 1 for TOPSIS) or NaN in that range gets no bound.
        """
        c, n = keys.shape
        inner = ends[:, 0, 1], ends[:, 1, 0]  # v(1), v(N-2)
        if self.method == "topsis":  # 2^-50: the computed 1 - C is within about 2^-53 of the true one
            g = np.minimum(inner[0] * ((1.0 - 2.0 ** -50) - inner[0]), inner[1] * ((1.0 - 2.0 ** -50) - inner[1]))
            g *= 0.5
        else:
            g = inner[1].copy()
        np.maximum(g, 0.0, out=g)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            limit = np.divide(tol * 2.0 ** 53 * 1.01, g, out=g)
        limit += float(self.mask) + 1.0
        gap = _scratch("tie_gap", (c, n), np.uint64)
        flat, pairs = keys.reshape(-1), gap.reshape(-1)
        np.subtract(flat[1:], flat[:-1], out=pairs[:-1])
        gap[:, 0] = gap[:, n - 2:] = np.iinfo(np.uint64).max  # the end pairs and the pair across rows
        if float(gap.min()) > limit.max():  # one contiguous pass clears the whole chunk (the usual case)
            return np.zeros(c, dtype=bool)
        return ~(gap.min(axis=1).astype(np.float64) > limit)

    def _exact_rows(self, keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """break_ties' exact rule on some rows of sorted keys (C, W), W <= N (a window of each row's best
        is settled within itself): the float64 scores, chained tolerance."""
        sub = keys[rows]
        v = self.values(sub)
        tol = RTOL * np.fmax(FLOOR, v[:, 0])
        with np.errstate(invalid="ignore"):
            tied = v[:, :-1] - v[:, 1:] <= tol[:, None]
        has = tied.any(axis=1)
        if has.any():
            sub, tied, rows = sub[has], tied[has], rows[has]
            group = np.zeros(sub.shape, dtype=np.int64)
            np.cumsum(~tied, axis=1, out=group[:, 1:])
            idx = np.bitwise_and(sub, self.mask).astype(np.int64)
            order = np.argsort(group * self.n + idx, axis=1, kind="stable")
            keys[rows] = np.take_along_axis(sub, order, axis=1)
        return keys

    def first(self, keys: np.ndarray) -> np.ndarray:
        """Index of the first-ranked opportunity for unsorted keys (..., N): the lowest input index
        of the top group of tied scores (core.ties' chained tolerance)."""
        best = np.argmin(keys, axis=-1)
        v = self.values(keys)
        bv = np.take_along_axis(v, best[..., None], axis=-1)
        tol = self._tolerance(v)[..., None]
        with np.errstate(invalid="ignore"):
            near = np.count_nonzero(np.abs(v - bv) <= tol, axis=-1) > 1
        if not near.any():
            return best
        vr, tr = v[near], tol[near]
        order = np.argsort(np.where(np.isnan(vr), -np.inf, -vr), axis=-1, kind="stable")
        sv = np.take_along_axis(vr, order, axis=-1)
        with np.errstate(invalid="ignore"):
            breaks = ~(sv[:, :-1] - sv[:, 1:] <= tr)
        length = np.where(breaks.any(axis=1), np.argmax(breaks, axis=1) + 1, self.n)
        members = np.where(np.arange(self.n) < length[:, None], order, self.n)
        best = best.copy()
        best[near] = members.min(axis=1)
        return best

    def keys(self, w: np.ndarray, x: np.ndarray | None = None) -> np.ndarray:
        """Keys (C, N) for weights (C, M) on the fixed matrix, or per sample on the stack x (C, N, M).

        TOPSIS ranks by q = (D+)^2 / (D-)^2, which orders like the closeness 1 / (1 + sqrt(q)) reversed.
        For the fixed matrix the keys live in this thread's scratch buffer: use them before the next call.
        """
        if self.method == "topsis":
            if x is None:
                w2 = w * w
                shape = (w.shape[0], self.n)
                dp = _rows_matmul(w2, self.gpT, self.rows, _scratch("dp", shape))
                dm = _rows_matmul(w2, self.gmT, self.rows, _scratch("dm", shape))
            else:
                dp, dm = _stack_sq_distances(x, w, self.types, self.normalization)
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(dp, dm, out=dp)
            return self._pack(dp, invert=False)
        if x is None:
            s = _rows_matmul(w, self.rT, self.rows, _scratch("dp", (w.shape[0], self.n)))
        else:
            s = np.einsum("knm,km->kn", sum_normalize(x, self.types), w)
        return self._pack(s, invert=True)

    # -- one chunk of the main pass ----------------------------------------------------------
    def run(self, k0: int, k1: int) -> tuple[np.ndarray, np.ndarray]:
        w = self.draw_weights(k0, k1)
        x = self.draw_matrices(k0, k1) if self.scores is not None else None
        keys = self.keys(w, x)
        del x
        keys.sort(axis=1)
        keys = self.break_ties(keys)
        alt = keys.view(np.int64)
        np.bitwise_and(alt, np.int64(self.mask), out=alt)
        best = alt[:, 0].copy()
        np.multiply(alt, self.n, out=alt)
        np.add(alt, self.ar, out=alt)
        if self.n <= _BINCOUNT_ROWS * alt.shape[0]:
            counts = np.bincount(alt.ravel(), minlength=self.n * self.n)
        else:  # N^2 bins per chunk would dwarf the chunk: hand over the indices (the caller adds them)
            counts = alt.copy()
        del keys, alt
        # central weights: per-block sums of the weight vectors whose sample ranks i first (bincount with
        # weights = the masked matrix product onehot(first)^T W), kept per block so sums never depend on chunking
        nb = len(self.blocks(k0, k1))
        where = ((np.arange(k0, k1) - k0) // self.block) * self.n + best
        cw = np.stack([np.bincount(where, weights=w[:, j], minlength=nb * self.n) for j in range(self.m)], axis=-1)
        return counts, cw.reshape(nb, self.n, self.m)

    # -- one chunk of the confidence pass (sampled matrices, central weights fixed) ---------------
    def confidence(self, k0: int, k1: int, wc: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """How often each candidate ranks first with its central weights, over this chunk's matrices."""
        x = self.draw_matrices(k0, k1)
        c = x.shape[0]
        if self.method == "topsis":
            r = normalize_stack(x, self.types, self.normalization)
            gp, gm = (r - r.max(axis=1, keepdims=True)) ** 2, (r - r.min(axis=1, keepdims=True)) ** 2
            w = (wc * wc).T
        else:
            gp, gm, w = sum_normalize(x, self.types), None, wc.T
        del x
        hits = np.zeros(cand.size, dtype=np.int64)
        group = max(1, (1 << 22) // (c * self.n))
        for g0 in range(0, cand.size, group):
            sl = slice(g0, min(cand.size, g0 + group))
            v = np.ascontiguousarray(np.swapaxes(gp @ w[:, sl], 1, 2))  # (C, g, N)
            if gm is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    v /= np.swapaxes(gm @ w[:, sl], 1, 2)
            first = self.first(self._pack(v, invert=gm is None))
            hits[sl] = np.count_nonzero(first == cand[sl], axis=0)
        return hits


def _chunks(k: int, size: int) -> list[tuple[int, int]]:
    return [(k0, min(k, k0 + size)) for k0 in range(0, k, size)]


def _map_ordered(fn: Callable[[tuple[int, int]], Any], items: list[tuple[int, int]], workers: int) -> Iterator[Any]:
    """fn over items in order; with workers > 1 on a thread pool with a bounded window (memory)."""
    if workers <= 1 or len(items) <= 1:
        for it in items:
            yield fn(it)
        return
    with ThreadPoolExecutor(max_workers=workers) as ex:
        window: deque = deque()
        for it in items:
            window.append(ex.submit(fn, it))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()



def _prepare_smaa(matrix: np.ndarray, types: np.ndarray, samples: int | None, weights: WeightModel | None,
                  scores: ScoreRanges | None, method: str, normalization: str,
                  seed: int | np.random.SeedSequence | None, chunk_size: int | None,
                  workers: int | None) -> tuple[_Plan, list[tuple[int, int]], int]:
    check_method(method, normalization)
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError("SMAA needs a matrix (N, M) with N >= 2 opportunities")
    if np.asarray(types).shape != (x.shape[1],):
        raise ValueError("types needs one entry per criterion")
    wm: WeightModel = weights if weights is not None else UniformWeights()
    if isinstance(wm, SampledWeights):
        if wm.samples.shape[1] != x.shape[1]:
            raise ValueError(f"weight samples have {wm.samples.shape[1]} criteria, matrix has {x.shape[1]}")
        k = wm.samples.shape[0] if samples is None else int(samples)
        if k != wm.samples.shape[0]:
            raise ValueError(f"samples={k} but {wm.samples.shape[0]} weight samples were given")
    else:
        k = 10_000 if samples is None else int(samples)
    if k < 1:
        raise ValueError("SMAA needs samples >= 1")
    if scores is not None:
        if scores.base.shape != x.shape:
            raise ValueError("score ranges must have the matrix's shape")
        if method == "wsm" and np.any(scores.low <= 0):
            raise ValueError("WSM's sum normalisation needs values > 0, including every low value")
    elif method == "wsm":
        sum_normalize(x, types)  # raises for values <= 0
    needs_rng = not isinstance(wm, SampledWeights) or scores is not None
    ent = _entropy(seed) if needs_rng else None
    block = BLOCK_FIXED if scores is None else BLOCK_STACK
    n, m = x.shape
    nw = max(1, int(workers if workers is not None else min(4, os.cpu_count() or 1)))
    if workers is None and k * n * (1 if scores is None else 4 * m) < _THREAD_MIN:
        nw = 1  # thread start-up costs more than it saves on small problems
    if chunk_size is None:
        if scores is None:  # about 2^16 scores a chunk: its work arrays stay in a core's L2 cache
            size = max(block, -(-((1 << 16) // n) // block) * block)
        else:
            size = max(block, (1 << 21) // (n * m) // block * block)
        if nw > 1:  # give every worker something to do
            size = min(size, max(block, -(-k // nw // block) * block if k >= nw * block else block))
    else:
        if int(chunk_size) < 1:
            raise ValueError("chunk_size must be >= 1")
        size = -(-int(chunk_size) // block) * block
    plan = _Plan(x, types, method, normalization, wm, scores, k, ent, block)
    return plan, _chunks(k, size), nw


def smaa2(
    matrix: np.ndarray,
    types: np.ndarray,
    *,
    samples: int | None = None,
    weights: WeightModel | None = None,
    scores: ScoreRanges | None = None,
    method: str = "topsis",
    normalization: str = "vector",
    seed: int | np.random.SeedSequence | None = None,
    chunk_size: int | None = None,
    workers: int | None = None,
    meta: str | Sequence[float] = "centroid",
) -> SMAAResult:
    """SMAA-2 (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454), batched.

    Every sampled weight vector is scored in matrix products (TOPSIS: W**2 (K, M) times the weight-free
    squared gaps (M, N)); each sample's ranking is one sort of packed 64-bit keys; the acceptability
    matrix is one ``np.bincount`` per chunk on the flattened (opportunity * N + rank) indices (for large
    N, where N^2 bins per chunk would dominate, each sample's indices are added in place instead, so
    the only N x N arrays are the results; see :func:`mcda_qualify.core.smaa_topr.smaa2_topr` for a
    top-r mode whose memory grows with N * r). Samples run in
    chunks of ``chunk_size`` (rounded up to the random block: 1024 samples, 256 with ``scores``) on
    ``workers`` threads. Random numbers are drawn per block, each block from its own SeedSequence
    child (stream, block), so results depend on ``seed`` only, never on ``chunk_size`` or ``workers``.

    ``weights``: a weight model (default :class:`UniformWeights`); ``scores``: optional
    :class:`ScoreRanges` (the matrix varies per sample and is normalised per sample, 3-D batched).
    ``samples`` defaults to 10,000 (or the number of given weight samples).
    """
    plan, chunks, nw = _prepare_smaa(matrix, types, samples, weights, scores, method, normalization,
                                     seed, chunk_size, workers)
    n, m, k = plan.n, plan.m, plan.k
    counts = np.zeros(n * n, dtype=np.int64)
    cw = np.zeros((n, m))
    for c, parts in _map_ordered(lambda ab: plan.run(*ab), chunks, nw):
        if c.ndim == 1:
            counts += c
        else:
            for row in c:  # one sample: N distinct indices, so a fancy-indexed add counts each once
                counts[row] += 1
        for p in parts:  # block order: the same sums whatever the chunking
            cw += p
    counts = counts.reshape(n, n)
    acc = counts / k
    first = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first[:, None] > 0, cw / first[:, None], np.nan)
    cand = np.flatnonzero(first > 0)
    conf = np.full(n, np.nan)
    conf_se = np.full(n, np.nan)
    if cand.size:
        if scores is None:
            group = max(1, (1 << 21) // n)  # candidates per batch: no |cand| x N keys at once
            for g0 in range(0, cand.size, group):
                cg = cand[g0:g0 + group]
                keys = plan.keys(central[cg].copy())
                conf[cg] = (plan.first(keys) == cg).astype(float)
            conf_se[cand] = 0.0
        else:
            hits = np.zeros(cand.size, dtype=np.int64)
            wc = central[cand]
            for h in _map_ordered(lambda ab: plan.confidence(ab[0], ab[1], wc, cand), chunks, nw):
                hits += h
            conf[cand] = hits / k
            conf_se[cand] = np.sqrt(conf[cand] * (1 - conf[cand]) / k)
    alpha = meta_weights(n, meta)
    return SMAAResult(acc, counts, central, conf, acc @ alpha, alpha, np.sqrt(acc * (1 - acc) / k), conf_se,
                      k, plan.entropy, plan.block, method, normalization, plan.weights.describe(),
                      None if scores is None else scores.describe())


def draw_weights(weights: WeightModel, samples: int, n_criteria: int,
                 seed: int | np.random.SeedSequence | None) -> np.ndarray:
    """The weight samples (K, M) that :func:`smaa2` draws for this model and seed (no score ranges)."""
    x = np.ones((2, n_criteria))
    plan, _, _ = _prepare_smaa(x, np.ones(n_criteria), samples, weights, None, "topsis", "vector", seed, None, 1)
    return plan.draw_weights(0, plan.k)


def draw_matrices(scores: ScoreRanges, samples: int, seed: int | np.random.SeedSequence | None,
                  weights: WeightModel | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The weights (K, M) and matrices (K, N, M) that :func:`smaa2` draws with score ranges and this seed."""
    plan, _, _ = _prepare_smaa(scores.base, np.ones(scores.base.shape[1]), samples, weights, scores,
                               "topsis", "vector", seed, None, 1)
    return plan.draw_weights(0, plan.k), plan.draw_matrices(0, plan.k)
