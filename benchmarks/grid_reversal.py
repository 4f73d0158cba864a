"""The former grid search for rank-reversal points: the BASELINE of the benchmarks and of one test only.

The package computes reversal points in closed form (:mod:`mcda_qualify.core.exact_reversal`). This is
the search it replaced, kept verbatim so the benchmark can time it and the tests can check that the
closed form finds every point it finds (tests/grid_baseline.py loads this file). Not part of the package.

WSM: closed form (scores are linear in t). TOPSIS: sign changes of C_a - C_b on a batched grid of
``grid`` points bracket each root, refined by Brent's method (scipy.optimize.brentq, ``xtol``); a pair
that crosses twice within one grid step (1/(grid-1)) is not seen. Sources: Triantaphyllou & Sanchez
(1997), Decision Sciences 28(1), 151-194 (WSM closed form); Brent (1973), Algorithms for Minimization
without Derivatives (root finding). Stability intervals after Mareschal (1988), EJOR 33(1), 54-64.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable

import numpy as np
from scipy.optimize import brentq

from mcda_qualify.core import methods as core
from mcda_qualify.core.batch import check_method, sum_normalize, unit_weights
from mcda_qualify.core.exact_reversal import criticality_from_reversals, stability_from_reversals
from mcda_qualify.core.reversal import (Criticality, Reversals, Stability, proportional_weights, top_opportunity)


def _sorted_reversals(rows: list[tuple[int, float, int, int, float, float]]) -> Reversals:
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    if not rows:
        e = np.empty(0)
        ei = np.empty(0, dtype=int)
        return Reversals(ei, e, ei.copy(), ei.copy(), e.copy(), e.copy())
    c, t, a, b, s_a, s_b = map(np.array, zip(*rows))
    return Reversals(c.astype(int), t.astype(float), a.astype(int), b.astype(int), s_a.astype(float), s_b.astype(float))


def _wsm_reversals(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, j: int) -> list[tuple]:
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
        last = np.maximum.accumulate(np.where(sg != 0, gidx, -1), axis=0)
        prev = np.vstack([np.full((1, pa.size), -1), last[:-1]])
        gg, qq = np.nonzero((sg != 0) & (prev >= 0))
        g0s = prev[gg, qq]
        change = sg[gg, qq] * sg[g0s, qq] < 0
        for g, q, g0 in zip(gg[change], qq[change], g0s[change]):
            x, y = int(pa[q]), int(pb[q])
            a, b = (x, y) if sg[g0, q] > 0 else (y, x)

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
    """Grid bracketing + brentq (TOPSIS), closed form (WSM): the former implementation."""
    check_method(method, normalization)
    x = np.asarray(matrix, dtype=float)
    w = unit_weights(weights)
    crit = range(x.shape[1]) if criteria is None else [int(c) for c in criteria]
    rows: list[tuple] = []
    for j in crit:
        if method == "wsm":
            rows += _wsm_reversals(x, w, types, j)
        else:
            rows += _topsis_reversals(x, w, types, normalization, j, int(grid), xtol)
    return _sorted_reversals(rows)


def stability_intervals(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                        method: str = "topsis", normalization: str = "vector",
                        reversals: Reversals | None = None, grid: int = 2001) -> Stability:
    w = unit_weights(weights)
    rv = reversals if reversals is not None else reversal_points(
        matrix, w, types, method=method, normalization=normalization, grid=grid)
    top = top_opportunity(np.asarray(matrix, dtype=float), w, types, method, normalization)
    return stability_from_reversals(w, top, rv)  # the derivation is shared; only the roots differ


def critical_criteria(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                      method: str = "topsis", normalization: str = "vector",
                      reversals: Reversals | None = None, grid: int = 2001) -> Criticality:
    w = unit_weights(weights)
    x = np.asarray(matrix, dtype=float)
    rv = reversals if reversals is not None else reversal_points(
        x, w, types, method=method, normalization=normalization, grid=grid)
    top = top_opportunity(x, w, types, method, normalization)
    return criticality_from_reversals(w, top, rv)  # the derivation is shared; only the roots differ
