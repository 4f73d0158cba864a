"""Sensitivity analysis and SMAA-2 on arrays: weight sweeps, exact rank-reversal points, stability
intervals, critical criteria, stochastic multicriteria acceptability analysis, "what it takes".

Numeric core: arrays in, arrays out. Nothing here reads files, knows labels or prints; the labelled
layer is :mod:`mcda_qualify.sensitivity_frames`. Bad arguments raise :class:`ValueError` (the labelled
layer turns user input problems into :class:`~mcda_qualify.errors.InputError` first).

Conventions (docs/sensitivity.md has the formulas and sources):

* ``matrix`` (N, M): N opportunities, M criteria; ``types`` +1 benefit / -1 cost, as in pymcdm.
* Methods: ``"topsis"`` (our batched TOPSIS, ``normalization`` "vector" or "minmax") and ``"wsm"``
  (weighted sum with pymcdm's sum normalisation, as :func:`mcda_qualify.methods.score` computes it).
  Both are invariant to scaling all weights, which the sweep and critical-criterion maths rely on.
* Weight sweep of criterion j: w_j(t) = t and w_k(t) = (1 - t) w_k / sum_{l != j} w_l for k != j,
  t in [0, 1]; the current weights are the point t = w_j (weights normalised to sum 1).
* Ranks: competition ranks of :func:`mcda_qualify.methods.rank_scores` in sweeps and "what it takes";
  in SMAA every sample ranks the opportunities 1..N with ties (scores equal to about 12 significant
  digits) broken by input order, so that every row and column of the acceptability matrix sums to 1.
"""
from __future__ import annotations

import math
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from scipy.optimize import brentq

from . import methods as core
from .methods import rank_scores

__all__ = [
    "SENSITIVITY_METHODS",
    "sum_normalize",
    "normalize_stack",
    "batch_scores",
    "stack_scores",
    "proportional_weights",
    "WeightSweep",
    "weight_sweep",
    "Reversals",
    "reversal_points",
    "Stability",
    "stability_intervals",
    "weight_change",
    "Criticality",
    "critical_criteria",
    "UniformWeights",
    "DirichletWeights",
    "IntervalWeights",
    "OrdinalWeights",
    "SampledWeights",
    "ScoreRanges",
    "triangular",
    "SMAAResult",
    "smaa2",
    "release_scratch",
    "draw_weights",
    "draw_matrices",
    "meta_weights",
    "ahp_weight_samples",
    "improvement_scores",
    "Improvement",
    "smallest_improvement",
]

SENSITIVITY_METHODS: tuple[str, ...] = ("topsis", "wsm")
#: samples per random block in SMAA: each block draws from its own stream (see :func:`smaa2`)
BLOCK_FIXED = 1024
BLOCK_STACK = 256
#: a gemm of rows x M x N at most this size runs on one OpenBLAS thread (no clash with our workers)
_GEMM_SINGLE = 1 << 18
#: samples x opportunities below which the default is one thread
_THREAD_MIN = 1 << 22


def _check_method(method: str, normalization: str) -> None:
    if method not in SENSITIVITY_METHODS:
        raise ValueError(f"unknown method {method!r} for sensitivity analysis; expected one of {SENSITIVITY_METHODS}")
    if method == "topsis" and normalization not in core.NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {core.NORMALIZATIONS}")


def _unit(weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    s = w.sum(axis=-1, keepdims=True)
    if np.any(~np.isfinite(w)) or np.any(w < 0) or np.any(s <= 0):
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w / s


# ---------------------------------------------------------------------------------------------
# scoring: one matrix with many weight vectors, or a stack of matrices
# ---------------------------------------------------------------------------------------------


def sum_normalize(matrix: np.ndarray, types: np.ndarray) -> np.ndarray:
    """pymcdm's sum normalisation (used by its WSM): x / sum x for benefit, (1/x) / sum(1/x) for cost.

    Works on (N, M) and on stacks (K, N, M) along the opportunity axis; needs values > 0.
    """
    x = np.asarray(matrix, dtype=float)
    if np.any(x <= 0):
        raise ValueError("WSM's sum normalisation needs values > 0")
    cost = np.asarray(types) < 0
    y = np.where(cost, 1.0 / x, x)
    return y / y.sum(axis=-2, keepdims=True)


def normalize_stack(stack: np.ndarray, types: np.ndarray, normalization: str = "vector") -> np.ndarray:
    """Column normalisation of every matrix of a stack (K, N, M), as :func:`methods.normalize` does for one.

    vector: r = x / sqrt(sum_i x^2), cost 1 - r (Hwang & Yoon 1981); minmax: (x - min) / (max - min),
    cost (max - x) / (max - min). Vectorised over K: per-sample normalisation without a loop.
    """
    x = np.asarray(stack, dtype=float)
    cost = np.asarray(types) < 0
    if normalization == "vector":
        r = x / np.sqrt(np.einsum("knm,knm->km", x, x))[:, None, :]
        return np.where(cost, 1.0 - r, r)
    if normalization == "minmax":
        lo, hi = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
        return np.where(cost, hi - x, x - lo) / (hi - lo)
    raise ValueError(f"unknown normalization {normalization!r}; expected one of {core.NORMALIZATIONS}")


def _stack_sq_distances(stack: np.ndarray, weights: np.ndarray, types: np.ndarray,
                        normalization: str) -> tuple[np.ndarray, np.ndarray]:
    """Squared TOPSIS distances (K, N) of a stack (K, N, M) with weights (K, M) or (M,)."""
    r = normalize_stack(stack, types, normalization)
    gp = r - r.max(axis=1, keepdims=True)
    gp *= gp
    gm = r - r.min(axis=1, keepdims=True)
    gm *= gm
    w = np.asarray(weights, dtype=float)
    w2 = w * w
    if w2.ndim == 1:
        return gp @ w2, gm @ w2
    return np.einsum("knm,km->kn", gp, w2), np.einsum("knm,km->kn", gm, w2)


def batch_scores(method: str, matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 normalization: str = "vector") -> np.ndarray:
    """Scores (K, N) of one matrix (N, M) under a batch of weight vectors (K, M) (or (N,) for (M,)).

    TOPSIS: :func:`mcda_qualify.methods.topsis` (Hwang & Yoon 1981), closeness, higher better.
    WSM: s = W R^T with R the sum-normalised matrix (Fishburn 1967; pymcdm's WSM), higher better.
    """
    _check_method(method, normalization)
    if method == "topsis":
        return core.topsis(matrix, weights, types, normalization)
    return _unit(weights) @ sum_normalize(matrix, types).T


def stack_scores(method: str, stack: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 normalization: str = "vector") -> np.ndarray:
    """Scores (K, N) of a stack of matrices (K, N, M), each normalised on its own (3-D, no loop).

    ``weights`` is one vector (M,) for every matrix or one per matrix (K, M). TOPSIS closeness
    C = D- / (D+ + D-) (Hwang & Yoon 1981); WSM with sum normalisation (Fishburn 1967).
    """
    _check_method(method, normalization)
    if method == "topsis":
        dp2, dm2 = _stack_sq_distances(stack, weights, types, normalization)
        dp, dm = np.sqrt(dp2), np.sqrt(dm2)
        return dm / (dp + dm)
    r = sum_normalize(stack, types)
    w = _unit(weights)
    return r @ w if w.ndim == 1 else np.einsum("knm,km->kn", r, w)


# ---------------------------------------------------------------------------------------------
# weight sweep, reversal points, stability intervals, critical criteria
# ---------------------------------------------------------------------------------------------


def proportional_weights(weights: np.ndarray, criterion: int, t: np.ndarray | float) -> np.ndarray:
    """Weights along the sweep of ``criterion``: w_j(t) = t, w_k(t) = (1 - t) w_k / sum_{l != j} w_l.

    ``t`` scalar gives (M,); an array (K,) gives (K, M): the whole sweep as one batch. Equivalent to
    changing w_j alone and renormalising (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1)).
    """
    w = _unit(weights)
    j = int(criterion)
    rest = 1.0 - w[j]
    if w.ndim != 1 or not 0 <= j < w.size:
        raise ValueError("weights must be one vector and criterion an index into it")
    if rest <= 0:
        raise ValueError("a sweep needs another criterion with weight > 0")
    tt = np.asarray(t, dtype=float)
    out = (1.0 - tt)[..., None] * (w / rest)
    out[..., j] = tt
    return out


@dataclass(frozen=True)
class WeightSweep:
    """Scores and competition ranks (K, N) of every opportunity at the K weights ``t`` of one criterion."""

    criterion: int
    t: np.ndarray
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    current: float


def weight_sweep(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, criterion: int,
                 t: int | np.ndarray = 101, *, method: str = "topsis",
                 normalization: str = "vector") -> WeightSweep:
    """Sweep one criterion's weight over [0, 1], the others rescaled in proportion (one batched call).

    ``t``: number of evenly spaced points (the current weight is added) or the points themselves.
    Scores by :func:`batch_scores` (TOPSIS: Hwang & Yoon 1981; WSM: Fishburn 1967).
    """
    w = _unit(weights)
    if np.ndim(t) == 0:
        grid = np.union1d(np.linspace(0.0, 1.0, int(t)), [w[criterion]])
    else:
        grid = np.asarray(t, dtype=float)
    if np.any((grid < 0) | (grid > 1)):
        raise ValueError("sweep points must lie in [0, 1]")
    wt = proportional_weights(w, criterion, grid)
    s = batch_scores(method, matrix, wt, types, normalization)
    return WeightSweep(int(criterion), grid, wt, s, rank_scores(s, "higher"), float(w[criterion]))


@dataclass(frozen=True)
class Reversals:
    """Rank-reversal points, one entry per (criterion, weight, pair).

    ``a`` ranks above ``b`` just below ``weight`` and ``b`` above ``a`` just above it; ``score_a`` and
    ``score_b`` are their (equal) scores at the point. Sorted by criterion, weight, a, b.
    """

    criterion: np.ndarray
    weight: np.ndarray
    a: np.ndarray
    b: np.ndarray
    score_a: np.ndarray
    score_b: np.ndarray

    def __len__(self) -> int:
        return int(self.weight.size)

    def of(self, criterion: int) -> "Reversals":
        k = self.criterion == criterion
        return Reversals(self.criterion[k], self.weight[k], self.a[k], self.b[k], self.score_a[k], self.score_b[k])


def _sorted_reversals(rows: list[tuple[int, float, int, int, float, float]]) -> Reversals:
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    if not rows:
        e = np.empty(0)
        ei = np.empty(0, dtype=int)
        return Reversals(ei, e, ei.copy(), ei.copy(), e.copy(), e.copy())
    c, t, a, b, s_a, s_b = map(np.array, zip(*rows))
    return Reversals(c.astype(int), t.astype(float), a.astype(int), b.astype(int), s_a.astype(float), s_b.astype(float))


def _wsm_reversals(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, j: int) -> list[tuple]:
    """Closed form: along the sweep s_i(t) = A_i + t B_i with A_i = sum_{k != j} w_k r_ik / sum_{l != j} w_l
    and B_i = r_ij - A_i, so a pair crosses at t* = (A_b - A_a) / (B_a - B_b), kept when 0 < t* < 1."""
    r = sum_normalize(matrix, types)
    wr = proportional_weights(w, j, 0.0)
    A = r @ wr
    B = r[:, j] - A
    n = len(A)
    ia, ib = np.triu_indices(n, 1)
    den = B[ia] - B[ib]
    with np.errstate(divide="ignore", invalid="ignore"):
        ts = (A[ib] - A[ia]) / den
    ok = (den != 0) & (ts > 0) & (ts < 1)
    rows = []
    for p in np.flatnonzero(ok):
        x, y, t = int(ia[p]), int(ib[p]), float(ts[p])
        a, b = (x, y) if B[x] < B[y] else (y, x)  # the smaller slope is ahead before the crossing
        s = float(A[a] + t * B[a])
        rows.append((j, t, a, b, s, float(A[b] + t * B[b])))
    return rows


def _topsis_pair(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, normalization: str,
                 j: int) -> Callable[[float, int, int], tuple[float, float]]:
    """Closeness of two opportunities at sweep weight t, for root finding (weight-free gaps precomputed)."""
    r = core.normalize(matrix, types, normalization)
    gp, gm = (r - r.max(axis=0)) ** 2, (r - r.min(axis=0)) ** 2
    base = proportional_weights(w, j, 0.0)

    def closeness(t: float, a: int, b: int) -> tuple[float, float]:
        wt = base * (1.0 - t)
        wt[j] = t
        w2 = wt * wt
        out = []
        for i in (a, b):
            dp, dm = math.sqrt(float(gp[i] @ w2)), math.sqrt(float(gm[i] @ w2))
            out.append(dm / (dp + dm))
        return out[0], out[1]

    return closeness


def _topsis_reversals(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, normalization: str, j: int,
                      grid: int, xtol: float) -> list[tuple]:
    """Brackets from sign changes of C_a - C_b on a batched grid, then brentq on C_a(t) - C_b(t)."""
    ts = np.linspace(0.0, 1.0, grid)
    s = core.topsis(matrix, proportional_weights(w, j, ts), types, normalization)
    n = s.shape[1]
    ia, ib = np.triu_indices(n, 1)
    f = _topsis_pair(matrix, w, types, normalization, j)
    rows: list[tuple] = []
    step = max(1, 4_000_000 // grid)
    gidx = np.arange(grid)[:, None]
    for p0 in range(0, ia.size, step):
        pa, pb = ia[p0:p0 + step], ib[p0:p0 + step]
        d = s[:, pa] - s[:, pb]
        sg = np.sign(np.nan_to_num(d, nan=0.0))
        # last grid point at or before g with a non-zero difference: brackets skip exact zeros
        last = np.maximum.accumulate(np.where(sg != 0, gidx, -1), axis=0)
        prev = np.vstack([np.full((1, pa.size), -1), last[:-1]])
        gg, qq = np.nonzero((sg != 0) & (prev >= 0))
        g0s = prev[gg, qq]
        change = sg[gg, qq] * sg[g0s, qq] < 0
        for g, q, g0 in zip(gg[change], qq[change], g0s[change]):
            x, y = int(pa[q]), int(pb[q])
            a, b = (x, y) if sg[g0, q] > 0 else (y, x)  # a is ahead at the left end of the bracket

            def diff(t: float, a: int = a, b: int = b) -> float:
                ca, cb = f(t, a, b)
                return ca - cb

            t = float(brentq(diff, ts[g0], ts[g], xtol=xtol, rtol=4 * np.finfo(float).eps, maxiter=200))
            ca, cb = f(t, a, b)
            rows.append((j, t, a, b, ca, cb))
    return rows


def reversal_points(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                    criteria: Iterable[int] | None = None, *, method: str = "topsis",
                    normalization: str = "vector", grid: int = 2001, xtol: float = 1e-12) -> Reversals:
    """Every weight t in (0, 1) of each criterion's sweep at which two opportunities swap.

    WSM: closed form (scores are linear in t). TOPSIS: sign changes of C_a - C_b on a batched grid of
    ``grid`` points bracket each root, refined by Brent's method (scipy.optimize.brentq, ``xtol``);
    a pair that crosses twice within one grid step (1/(grid-1)) is not seen. Sources: Triantaphyllou &
    Sanchez (1997), Decision Sciences 28(1), 151-194 (WSM closed form); Brent (1973), Algorithms for
    Minimization without Derivatives (root finding).
    """
    _check_method(method, normalization)
    x = np.asarray(matrix, dtype=float)
    w = _unit(weights)
    crit = range(x.shape[1]) if criteria is None else [int(c) for c in criteria]
    rows: list[tuple] = []
    for j in crit:
        if method == "wsm":
            rows += _wsm_reversals(x, w, types, j)
        else:
            rows += _topsis_reversals(x, w, types, normalization, j, int(grid), xtol)
    return _sorted_reversals(rows)


@dataclass(frozen=True)
class Stability:
    """Per criterion (M,): current weight and the weight ranges, containing it, within which the top
    opportunity (``top_lo``..``top_hi``) and the full ranking (``ranking_lo``..``ranking_hi``) stay."""

    weight: np.ndarray
    top: int
    top_lo: np.ndarray
    top_hi: np.ndarray
    ranking_lo: np.ndarray
    ranking_hi: np.ndarray


def _top(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, method: str, normalization: str) -> int:
    s = batch_scores(method, matrix, w, types, normalization)
    return int(np.flatnonzero(rank_scores(s, "higher") == 1)[0])


def _interval(points: np.ndarray, t0: float) -> tuple[float, float]:
    lo = points[points <= t0]
    hi = points[points >= t0]
    return (float(lo.max()) if lo.size else 0.0, float(hi.min()) if hi.size else 1.0)


def stability_intervals(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                        method: str = "topsis", normalization: str = "vector",
                        reversals: Reversals | None = None, grid: int = 2001) -> Stability:
    """Stability intervals of every criterion's weight, from the nearest reversal points either side.

    The ranking interval ends at the nearest reversal of any pair; the top interval at the nearest
    reversal involving the current top opportunity (the first with rank 1). Ends 0 and 1 mean no
    reversal up to that end of the sweep. Weight stability intervals after Mareschal (1988), EJOR
    33(1), 54-64, here along the proportional sweep. ``reversals`` must cover every criterion.
    """
    w = _unit(weights)
    rv = reversals if reversals is not None else reversal_points(
        matrix, w, types, method=method, normalization=normalization, grid=grid)
    top = _top(np.asarray(matrix, dtype=float), w, types, method, normalization)
    m = w.size
    tl, th, rl, rh = (np.empty(m) for _ in range(4))
    for j in range(m):
        here = rv.criterion == j
        rl[j], rh[j] = _interval(rv.weight[here], w[j])
        mine = here & ((rv.a == top) | (rv.b == top))
        tl[j], th[j] = _interval(rv.weight[mine], w[j])
    return Stability(w, top, tl, th, rl, rh)


def weight_change(t: np.ndarray | float, w0: np.ndarray | float) -> np.ndarray | float:
    """Change D of the current weight w0 (others unchanged, then all renormalised) that gives sweep weight t.

    (w0 + D) / (1 + D) = t, so D = (t - w0) / (1 - t): Triantaphyllou & Sanchez's (1997) change of one
    weight, up to their sign (their delta is a decrease: W*_k = W_k - delta).
    """
    return (np.asarray(t, dtype=float) - w0) / (1.0 - np.asarray(t, dtype=float))


@dataclass(frozen=True)
class Criticality:
    """Critical criteria after Triantaphyllou & Sanchez (1997, Decision Sciences 28(1), 151-194).

    Per criterion (M,): the smallest relative change (percent of the current weight, signed: > 0 an
    increase) that changes the top opportunity (``pt_pct``) and any ranking (``pa_pct``), their absolute
    changes and the pairs that swap (indices; -1 and NaN where no change of that weight does it);
    ``criticality`` = |pa_pct| (their criticality degree D'_k, percent) and ``sensitivity`` = 1 / D'_k
    (0 when infeasible). ``pt_criterion``/``pa_criterion``: the PT and PA critical criteria (or None).
    """

    weight: np.ndarray
    top: int
    pt_pct: np.ndarray
    pt_change: np.ndarray
    pt_a: np.ndarray
    pt_b: np.ndarray
    pa_pct: np.ndarray
    pa_change: np.ndarray
    pa_a: np.ndarray
    pa_b: np.ndarray
    criticality: np.ndarray
    sensitivity: np.ndarray
    pt_criterion: int | None
    pa_criterion: int | None


def critical_criteria(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                      method: str = "topsis", normalization: str = "vector",
                      reversals: Reversals | None = None, grid: int = 2001) -> Criticality:
    """PT and PA critical criteria and sensitivity coefficients (Triantaphyllou & Sanchez 1997).

    A change D of one weight W_k with the others unchanged and all renormalised is the sweep point
    t = (W_k + D) / (1 + D), because WSM and TOPSIS rankings are invariant to scaling the weights. So
    every reversal point t* gives the exact change D = (t* - W_k) / (1 - t*) and the relative change
    100 D / W_k. For WSM this is T&S's closed form delta'_{k,i,j} = (P_j - P_i) / (a_jk - a_ik) (with
    the opposite sign); for TOPSIS the reversal points come from root finding (:func:`reversal_points`).
    """
    w = _unit(weights)
    x = np.asarray(matrix, dtype=float)
    rv = reversals if reversals is not None else reversal_points(
        x, w, types, method=method, normalization=normalization, grid=grid)
    top = _top(x, w, types, method, normalization)
    m = w.size
    out = {k: np.full(m, np.nan) for k in ("pt_pct", "pt_change", "pa_pct", "pa_change")}
    pairs = {k: np.full(m, -1, dtype=int) for k in ("pt_a", "pt_b", "pa_a", "pa_b")}
    for j in range(m):
        here = np.flatnonzero(rv.criterion == j)
        if not here.size:
            continue
        d = weight_change(rv.weight[here], w[j])
        pct = 100.0 * d / w[j]
        for tag, mask in (("pa", np.ones(here.size, bool)),
                          ("pt", (rv.a[here] == top) | (rv.b[here] == top))):
            if not mask.any():
                continue
            k = np.flatnonzero(mask)[np.argmin(np.abs(pct[mask]))]
            out[f"{tag}_pct"][j], out[f"{tag}_change"][j] = pct[k], d[k]
            pairs[f"{tag}_a"][j], pairs[f"{tag}_b"][j] = rv.a[here[k]], rv.b[here[k]]
    crit = np.abs(out["pa_pct"])
    with np.errstate(divide="ignore"):
        sens = np.where(np.isfinite(crit), 1.0 / crit, 0.0)

    def best(v: np.ndarray) -> int | None:
        a = np.abs(v)
        return int(np.nanargmin(a)) if np.isfinite(a).any() else None

    return Criticality(w, top, out["pt_pct"], out["pt_change"], pairs["pt_a"], pairs["pt_b"],
                       out["pa_pct"], out["pa_change"], pairs["pa_a"], pairs["pa_b"], crit, sens,
                       best(out["pt_pct"]), best(out["pa_pct"]))


# ---------------------------------------------------------------------------------------------
# SMAA-2: weight models, score uncertainty, the batched simulation
# ---------------------------------------------------------------------------------------------


class WeightModel(Protocol):
    """Draws weight vectors (n, M) on the simplex from a numpy Generator."""

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class UniformWeights:
    """No preference information: uniform on the simplex = Dirichlet(1, ..., 1), drawn as normalised
    standard exponentials (Lahdelma & Salminen 2001; Tervonen & Lahdelma 2007, EJOR 178(2), 500-513)."""

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        e = rng.standard_exponential((n, m))
        e /= e.sum(axis=1, keepdims=True)
        return e

    def describe(self) -> dict[str, Any]:
        return {"model": "uniform", "distribution": "Dirichlet(1,...,1): uniform on the weight simplex"}


@dataclass(frozen=True)
class DirichletWeights:
    """Around given weights: Dirichlet(c * w) with mean w and Var(w_j) = w_j (1 - w_j) / (c + 1)
    (moments of the Dirichlet distribution; Kotz, Balakrishnan & Johnson (2000), Continuous
    Multivariate Distributions, ch. 49)."""

    center: np.ndarray
    concentration: float = 100.0

    def __post_init__(self) -> None:
        c = np.asarray(self.center, dtype=float)
        if c.ndim != 1 or np.any(~np.isfinite(c)) or np.any(c <= 0):
            raise ValueError("Dirichlet weights need a centre with every weight > 0")
        if not (np.isfinite(self.concentration) and self.concentration > 0):
            raise ValueError("the Dirichlet concentration must be a finite number > 0")
        object.__setattr__(self, "center", c / c.sum())

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != self.center.size:
            raise ValueError(f"centre has {self.center.size} weights for {m} criteria")
        return rng.dirichlet(self.concentration * self.center, size=n)

    def describe(self) -> dict[str, Any]:
        return {"model": "dirichlet", "center": self.center.tolist(), "concentration": float(self.concentration),
                "distribution": "Dirichlet(concentration * center): mean = center, "
                                "var_j = w_j (1 - w_j) / (concentration + 1)"}


@dataclass(frozen=True)
class IntervalWeights:
    """Per-criterion intervals lower_j <= w_j <= upper_j: uniform on {w in the simplex within the bounds}.

    Drawn as w = lower + (1 - sum lower) * d with d uniform on the simplex (an affine map of the simplex
    onto {w >= lower, sum w = 1}, so still uniform there), rejecting draws above an upper bound
    (Tervonen & Lahdelma 2007, EJOR 178(2), 500-513, on sampling constrained weights).
    """

    lower: np.ndarray
    upper: np.ndarray
    min_acceptance: float = 1e-4

    def __post_init__(self) -> None:
        lo, hi = np.asarray(self.lower, dtype=float), np.asarray(self.upper, dtype=float)
        if lo.shape != hi.shape or lo.ndim != 1:
            raise ValueError("lower and upper bounds need one value per criterion")
        if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)) or np.any(lo < 0) or np.any(hi > 1) or np.any(lo > hi):
            raise ValueError("weight intervals must satisfy 0 <= lower <= upper <= 1")
        if lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
            raise ValueError(f"no weights sum to 1 within the intervals (sum of lower {lo.sum():g}, "
                             f"sum of upper {hi.sum():g})")
        object.__setattr__(self, "lower", lo)
        object.__setattr__(self, "upper", hi)
        rate = self._accept(np.random.default_rng(0), 4096)[1]
        if rate < self.min_acceptance:
            raise ValueError(f"weight intervals are too narrow to sample (acceptance {rate:.2g}); widen them")
        object.__setattr__(self, "_rate", max(rate, self.min_acceptance))

    def _accept(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, float]:
        d = UniformWeights().draw(rng, n, self.lower.size)
        w = self.lower + (1.0 - self.lower.sum()) * d
        ok = np.all(w <= self.upper, axis=1)
        return w[ok], float(ok.mean())

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != self.lower.size:
            raise ValueError(f"intervals given for {self.lower.size} criteria, matrix has {m}")
        got: list[np.ndarray] = []
        have = 0
        while have < n:
            need = n - have
            w, _ = self._accept(rng, int(math.ceil(1.2 * need / self._rate)) + 16)
            got.append(w)
            have += len(w)
        return np.concatenate(got)[:n]

    def describe(self) -> dict[str, Any]:
        return {"model": "intervals", "lower": self.lower.tolist(), "upper": self.upper.tolist(),
                "distribution": "uniform on the simplex within the intervals (scaled Dirichlet(1) + rejection)"}


@dataclass(frozen=True)
class OrdinalWeights:
    """An importance order of the criteria (indices, most important first): uniform simplex samples sorted
    in decreasing order and assigned along the order, i.e. uniform on {w_order[0] >= w_order[1] >= ...}
    (Tervonen & Lahdelma 2007, EJOR 178(2), 500-513)."""

    order: Sequence[int]

    def __post_init__(self) -> None:
        o = [int(i) for i in self.order]
        if sorted(o) != list(range(len(o))):
            raise ValueError("an ordinal weight order must name every criterion exactly once")
        object.__setattr__(self, "order", tuple(o))

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != len(self.order):
            raise ValueError(f"order names {len(self.order)} criteria, matrix has {m}")
        u = -np.sort(-UniformWeights().draw(rng, n, m), axis=1)
        w = np.empty_like(u)
        w[:, list(self.order)] = u
        return w

    def describe(self) -> dict[str, Any]:
        return {"model": "ordinal", "order": list(self.order),
                "distribution": "uniform on the simplex, sorted along the importance order"}


@dataclass(frozen=True)
class SampledWeights:
    """Weight vectors given as samples (K, M), e.g. from :func:`ahp_weight_samples`; rows renormalised."""

    samples: np.ndarray
    source: str = "given samples"

    def __post_init__(self) -> None:
        s = np.asarray(self.samples, dtype=float)
        if s.ndim != 2 or s.shape[0] == 0:
            raise ValueError("weight samples must be an array (K, M) with K >= 1")
        object.__setattr__(self, "samples", _unit(s))

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        """n rows resampled with replacement (SMAA itself walks the samples in order instead)."""
        if self.samples.shape[1] != m:
            raise ValueError(f"weight samples have {self.samples.shape[1]} criteria, expected {m}")
        return self.samples[rng.integers(0, self.samples.shape[0], size=n)]

    def describe(self) -> dict[str, Any]:
        return {"model": "samples", "source": self.source, "samples": int(self.samples.shape[0])}


def triangular(rng: np.random.Generator, low: np.ndarray, likely: np.ndarray, high: np.ndarray,
               size: tuple[int, ...]) -> np.ndarray:
    """Triangular(low, likely, high) draws by the inverse CDF, vectorised (low < high everywhere).

    The same algorithm as numpy's ``Generator.triangular`` (one uniform U per value: low +
    sqrt(U (high - low)(likely - low)) when U <= (likely - low) / (high - low), else high -
    sqrt((1 - U)(high - low)(high - likely))), so the same generator gives the same values, without
    the per-element cost of broadcasting three parameter arrays. (Inverse CDF of the triangular
    distribution: Johnson, Kotz & Balakrishnan (1995), Continuous Univariate Distributions, vol. 2.)
    """
    base = high - low
    u = rng.random(size)
    left = np.sqrt(u * ((likely - low) * base)) + low
    right = high - np.sqrt((1.0 - u) * ((high - likely) * base))
    return np.where(u <= (likely - low) / base, left, right)


@dataclass(frozen=True)
class ScoreRanges:
    """Uncertain criterion values: per cell [low, high], uniform, or triangular(low, likely, high) where
    ``likely`` is given (not NaN), drawn as numpy's ``Generator.triangular`` draws them (see
    :func:`triangular`). Cells with low == high keep the value ``base``. Arrays (N, M)."""

    base: np.ndarray
    low: np.ndarray
    high: np.ndarray
    likely: np.ndarray | None = None

    def __post_init__(self) -> None:
        base = np.asarray(self.base, dtype=float)
        lo, hi = np.asarray(self.low, dtype=float), np.asarray(self.high, dtype=float)
        lk = np.full(base.shape, np.nan) if self.likely is None else np.asarray(self.likely, dtype=float)
        if not (base.shape == lo.shape == hi.shape == lk.shape) or base.ndim != 2:
            raise ValueError("base, low, high (and likely) must be arrays of the same shape (N, M)")
        if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)) or np.any(lo > base) or np.any(base > hi):
            raise ValueError("every cell needs low <= value <= high")
        given = ~np.isnan(lk)
        if np.any(given & ((lk < lo) | (lk > hi))):
            raise ValueError("every likely value must lie in [low, high]")
        for k, v in (("base", base), ("low", lo), ("high", hi), ("likely", lk)):
            object.__setattr__(self, k, v)
        unc = hi > lo
        # flat cell indices (row-major) of the uniform and the triangular cells
        object.__setattr__(self, "_uni", np.flatnonzero(unc & ~given))
        object.__setattr__(self, "_tri", np.flatnonzero(unc & given))

    @property
    def uncertain(self) -> int:
        return int(self._uni.size + self._tri.size)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n matrices (n, N, M): uniform cells first, then triangular cells, in row-major cell order."""
        cells = self.base.size
        x = np.empty((n, cells))
        x[:] = self.base.ravel()
        u, t = self._uni, self._tri
        lo, hi = self.low.ravel(), self.high.ravel()
        if u.size:
            x[:, u] = lo[u] + (hi[u] - lo[u]) * rng.random((n, u.size))
        if t.size:
            x[:, t] = triangular(rng, lo[t], self.likely.ravel()[t], hi[t], (n, t.size))
        return x.reshape(n, *self.base.shape)

    def describe(self) -> dict[str, Any]:
        return {"uniform_cells": int(self._uni.size), "triangular_cells": int(self._tri.size)}


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


def _scratch(name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A float64 work array of ``shape`` from this thread's scratch buffers, reused between chunks and
    calls: first-touch page faults of fresh multi-megabyte arrays cost as much as the arithmetic here.
    The caller must copy anything it returns out of it."""
    need = int(np.prod(shape)) * 8
    if need > _SCRATCH_MAX:
        return np.empty(shape)
    bufs = getattr(_LOCAL, "bufs", None)
    if bufs is None:
        bufs = _LOCAL.bufs = {}
    buf = bufs.get(name)
    if buf is None or buf.nbytes < need:
        buf = bufs[name] = np.empty(need, dtype=np.uint8)
    return buf[:need].view(np.float64).reshape(shape)


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
        alt = keys.view(np.int64)
        np.bitwise_and(alt, np.int64(self.mask), out=alt)
        best = alt[:, 0].copy()
        np.multiply(alt, self.n, out=alt)
        np.add(alt, self.ar, out=alt)
        counts = np.bincount(alt.ravel(), minlength=self.n * self.n)
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
            first = np.argmin(self._pack(v, invert=gm is None), axis=-1)
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


def _entropy(seed: int | np.random.SeedSequence | None) -> int:
    if isinstance(seed, np.random.SeedSequence):
        ss = seed
    else:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
        ss = np.random.SeedSequence(None if seed is None else int(seed))
    ent = ss.entropy
    if not isinstance(ent, (int, np.integer)):
        raise ValueError("seed sequences with a list of entropy words are not supported")
    return int(ent)


def _prepare_smaa(matrix: np.ndarray, types: np.ndarray, samples: int | None, weights: WeightModel | None,
                  scores: ScoreRanges | None, method: str, normalization: str,
                  seed: int | np.random.SeedSequence | None, chunk_size: int | None,
                  workers: int | None) -> tuple[_Plan, list[tuple[int, int]], int]:
    _check_method(method, normalization)
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
        per = (1 << 21) // n if scores is None else (1 << 21) // (n * m)
        size = max(block, per // block * block)
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
    matrix is one ``np.bincount`` on the flattened (opportunity * N + rank) indices. Samples run in
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
        counts += c
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
            keys = plan.keys(central[cand].copy())
            conf[cand] = (np.argmin(keys, axis=1) == cand).astype(float)
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


def ahp_weight_samples(judgments: np.ndarray, samples: int, seed: int | np.random.SeedSequence | None = None,
                       *, steps: int = 1, method: str = "geometric") -> np.ndarray:
    """Weight samples (K, n) from a pairwise judgment matrix (n, n) with each judgment uncertain.

    Every given judgment a_ij above the diagonal (a value of Saaty's 1-9 scale, 1/9 .. 9) moves to a
    scale value at most ``steps`` positions away, each reachable position equally likely; a_ji =
    1 / a_ij. Missing judgments (NaN or 0) stay missing. Complete matrices: priorities by the row
    geometric mean (Crawford & Williams 1985) or the eigenvector (Saaty 1980), batched over K via
    :func:`mcda_qualify.ahp.priorities`; incomplete ones by logarithmic least squares
    (:func:`judges_weight_samples`). Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
    """
    from . import ahp
    from .errors import JudgmentError

    a = np.asarray(judgments, dtype=float)
    missing = np.isnan(a) | (a == 0)
    if missing.any():
        if method != "geometric":
            raise JudgmentError("judgment uncertainty on incomplete judgments uses logarithmic least squares",
                                value=method, expected="method='geometric'")
        return judges_weight_samples([a], None, samples, seed, steps=steps)
    ahp.priorities(a, method)  # validates (shape, positivity, reciprocity) with JudgmentError
    n = a.shape[0]
    iu, ju = np.triu_indices(n, 1)
    moved = _perturbed_logs(a[iu, ju], samples, seed, steps)
    logs = np.zeros((int(samples), n, n))
    logs[:, iu, ju] = moved
    logs[:, ju, iu] = -moved
    return ahp.priorities(np.exp(logs), method)


def _perturbed_logs(values: np.ndarray, samples: int, seed: int | np.random.SeedSequence | None,
                    steps: int) -> np.ndarray:
    """(K, P) logs of the judgments ``values`` (P,), each moved up to ``steps`` scale positions."""
    from . import ahp
    from .errors import JudgmentError

    scale = np.log(ahp.SAATY_SCALE)
    la = np.log(values)
    pos = np.argmin(np.abs(la[:, None] - scale), axis=1)
    off = np.abs(la - scale[pos]) > 0.01
    if off.any():
        q = int(np.flatnonzero(off)[0])
        raise JudgmentError(f"judgment number {q + 1} is not on Saaty's 1-9 scale", value=float(values[q]),
                            expected="1/9 .. 1/2, 1, 2 .. 9")
    if int(samples) < 1 or int(steps) < 0:
        raise ValueError("samples must be >= 1 and steps >= 0")
    rng = np.random.default_rng(np.random.SeedSequence(_entropy(seed)))
    lo = np.maximum(pos - steps, 0)
    hi = np.minimum(pos + steps, scale.size - 1)
    return scale[rng.integers(lo, hi + 1, size=(int(samples), values.size))]


def judges_weight_samples(matrices: Sequence[np.ndarray], judge_weights: Sequence[float] | None, samples: int,
                          seed: int | np.random.SeedSequence | None = None, *, steps: int = 1) -> np.ndarray:
    """Weight samples (K, n) from one or several judges' (possibly incomplete) matrices, every given
    judgment moved within ``steps`` Saaty-scale positions.

    Weighted logarithmic least squares over all judges' judgments (Crawford & Williams 1985; Bozoki,
    Fulop & Ronyai 2010 for incomplete matrices): minimise sum_k omega_k sum_(i,j given by k)
    (log a_ij^k - y_i + y_j)^2, i.e. solve L y = r with the judge-weighted Laplacian L of the
    comparison graph (the same for every sample) and r_i = sum omega_k log a_ij^k. One
    pseudo-inverse serves all K samples: a matrix product, no loop over samples. With complete
    matrices this equals the row geometric mean of the weighted geometric mean of the judges (AIJ).
    """
    from .errors import JudgmentError

    mats = [np.asarray(m, dtype=float) for m in matrices]
    n = mats[0].shape[0]
    omega = np.ones(len(mats)) if judge_weights is None else np.asarray(judge_weights, dtype=float)
    omega = omega / omega.sum()
    ii, jj, ww, vals = [], [], [], []
    for k, m in enumerate(mats):
        iu, ju = np.triu_indices(n, 1)
        given = ~(np.isnan(m[iu, ju]) | (m[iu, ju] == 0))
        ii.append(iu[given])
        jj.append(ju[given])
        ww.append(np.full(int(given.sum()), omega[k]))
        vals.append(m[iu, ju][given])
    i, j, w, v = map(np.concatenate, (ii, jj, ww, vals))
    if v.size == 0:
        raise JudgmentError("no judgments to sample", expected="at least n - 1 connected judgments")
    lap = np.zeros((n, n))
    np.add.at(lap, (i, j), -w)
    np.add.at(lap, (j, i), -w)
    lap[np.diag_indices(n)] = -lap.sum(axis=1)
    if np.linalg.matrix_rank(lap) < n - 1:
        raise JudgmentError("the comparison graph is not connected: weights are undefined",
                            expected="judgments that link every criterion")
    logs = _perturbed_logs(v, samples, seed, steps)          # (K, P)
    incidence = np.zeros((v.size, n))                        # r = logs @ (w * (e_i - e_j))
    incidence[np.arange(v.size), i] = w
    incidence[np.arange(v.size), j] = -w
    y = (logs @ incidence) @ np.linalg.pinv(lap)             # (K, n), rows sum to 0
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# "what it takes": the smallest single-criterion improvement
# ---------------------------------------------------------------------------------------------


def improvement_scores(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, i: int, j: int,
                       values: np.ndarray, *, method: str = "topsis", normalization: str = "vector") -> np.ndarray:
    """Scores (G, N) of every opportunity when x_ij takes each of the G ``values`` (one 3-D batch).

    Changing one value changes the column's normalisation, so every score is recomputed (TOPSIS:
    Hwang & Yoon 1981; WSM: Fishburn 1967).
    """
    x = np.asarray(matrix, dtype=float)
    v = np.asarray(values, dtype=float).reshape(-1)
    stack = np.broadcast_to(x, (v.size, *x.shape)).copy()
    stack[:, i, j] = v
    return stack_scores(method, stack, weights, types, normalization)


@dataclass(frozen=True)
class Improvement:
    """Smallest improvement of one value for one target: the value needed (None when no candidate
    reaches the target, ``already`` when the current value does) and the score and rank it gives."""

    target: str
    value: float | None
    score: float | None
    rank: int | None
    already: bool


TARGETS: tuple[str, ...] = ("one_place", "top", "threshold")


def smallest_improvement(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, i: int, j: int,
                         candidates: np.ndarray, *, continuous: bool, threshold: float | None = None,
                         method: str = "topsis", normalization: str = "vector",
                         rtol: float = 1e-9) -> dict[str, Improvement]:
    """For each target, the first of ``candidates`` (ordered from the smallest improvement of x_ij
    on) that lifts opportunity i one place (``one_place``), to rank 1 (``top``), or to a score >=
    ``threshold``. With ``continuous`` the step between the last failing and the first succeeding
    candidate is narrowed by batched multisection (33 points a round) to ``rtol`` of the candidate span.
    The question is Triantaphyllou & Sanchez's (1997) critical measure of performance (the smallest
    change of one a_ij that changes a ranking), answered by direct search for TOPSIS and WSM.
    """
    x = np.asarray(matrix, dtype=float)
    cand = np.asarray(candidates, dtype=float).reshape(-1)
    vals = np.concatenate([[x[i, j]], cand])
    s = improvement_scores(x, weights, types, i, j, vals, method=method, normalization=normalization)
    ranks = rank_scores(s, "higher")[:, i]
    r0 = int(ranks[0])
    conds: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
        "one_place": lambda sc, rk: rk < r0,
        "top": lambda sc, rk: rk == 1,
    }
    if threshold is not None:
        conds["threshold"] = lambda sc, rk: sc >= threshold
    span = abs(cand[-1] - vals[0]) if cand.size else 0.0
    out: dict[str, Improvement] = {}
    for name, ok in conds.items():
        good = ok(s[:, i], ranks)
        if good[0] and name != "one_place":
            out[name] = Improvement(name, float(vals[0]), float(s[0, i]), r0, True)
            continue
        if name == "one_place" and r0 == 1:
            out[name] = Improvement(name, float(vals[0]), float(s[0, i]), r0, True)
            continue
        hit = np.flatnonzero(good[1:])
        if not hit.size:
            out[name] = Improvement(name, None, None, None, False)
            continue
        g = int(hit[0]) + 1
        lo, hi = vals[g - 1], vals[g]
        sc, rk = float(s[g, i]), int(ranks[g])
        while continuous and abs(hi - lo) > rtol * max(span, 1e-300):
            pts = np.linspace(lo, hi, 35)[1:-1]
            ps = improvement_scores(x, weights, types, i, j, pts, method=method, normalization=normalization)
            pr = rank_scores(ps, "higher")[:, i]
            okp = np.flatnonzero(ok(ps[:, i], pr))
            if okp.size:
                q = int(okp[0])
                lo, hi = (pts[q - 1] if q > 0 else lo), pts[q]
                sc, rk = float(ps[q, i]), int(pr[q])
            else:
                lo = pts[-1]
        out[name] = Improvement(name, float(hi), sc, rk, False)
    return out
