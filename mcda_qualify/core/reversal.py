"""Weight sweeps, exact rank-reversal points, stability intervals and critical criteria.

Numeric core: arrays in, arrays out; nothing here reads files, knows labels or prints. Bad arguments
raise :class:`ValueError`; the labelled layer (:mod:`mcda_qualify.sensitivity`) turns user input
problems into :class:`~mcda_qualify.errors.InputError` first.

Conventions (docs/sensitivity.md has the formulas and sources):

* ``matrix`` (N, M): N opportunities, M criteria; ``types`` +1 benefit / -1 cost, as in pymcdm.
* Methods: ``"topsis"`` (our batched TOPSIS, ``normalization`` "vector" or "minmax") and ``"wsm"``
  (weighted sum with pymcdm's sum normalisation, as :func:`mcda_qualify.methods.score` computes it).
  Both are invariant to scaling all weights, which the sweep and critical-criterion maths rely on.
* Weight sweep of criterion j: w_j(t) = t and w_k(t) = (1 - t) w_k / sum_{l != j} w_l for k != j,
  t in [0, 1]; the current weights are the point t = w_j (weights normalised to sum 1).
* Ranks: competition ranks of :func:`mcda_qualify.methods.rank_scores` in sweeps and "what it takes"
  (ties by :mod:`mcda_qualify.core.ties`: within 1e-9 * max(1, max |score|), chained); a pair whose
  scores are within that tolerance is tied, not crossing, and never gives a reversal point;
  in SMAA every sample ranks the opportunities 1..N with tied scores (same rule) broken by input
  order, so that every row and column of the acceptability matrix sums to 1.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from . import methods as core
from .methods import rank_scores
from .ties import tie_tolerance
from .batch import check_method, unit_weights, batch_scores, sum_normalize



def proportional_weights(weights: np.ndarray, criterion: int, t: np.ndarray | float) -> np.ndarray:
    """Weights along the sweep of ``criterion``: w_j(t) = t, w_k(t) = (1 - t) w_k / sum_{l != j} w_l.

    ``t`` scalar gives (M,); an array (K,) gives (K, M): the whole sweep as one batch. Equivalent to
    changing w_j alone and renormalising (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1)).
    """
    w = unit_weights(weights)
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
    w = unit_weights(weights)
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
    # parallel within the tie tolerance (core.ties): the pair never swaps, it stays tied or apart
    ok = (np.abs(den) > tie_tolerance(B)) & (ts > 0) & (ts < 1)
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
            out.append(dm / (dp + dm) if dp + dm > 0 else 0.5)  # all tie: see methods.closeness
        return out[0], out[1]

    return closeness


def _topsis_reversals(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, normalization: str, j: int,
                      grid: int, xtol: float) -> list[tuple]:
    """Brackets from sign changes of C_a - C_b on a batched grid, then brentq on C_a(t) - C_b(t)."""
    ts = np.linspace(0.0, 1.0, grid)
    s = core.topsis(matrix, proportional_weights(w, j, ts), types, normalization)
    n = s.shape[1]
    ia, ib = np.triu_indices(n, 1)
    tol = tie_tolerance(np.nan_to_num(s))[:, None]
    f = _topsis_pair(matrix, w, types, normalization, j)
    rows: list[tuple] = []
    step = max(1, 4_000_000 // grid)
    gidx = np.arange(grid)[:, None]
    for p0 in range(0, ia.size, step):
        pa, pb = ia[p0:p0 + step], ib[p0:p0 + step]
        d = s[:, pa] - s[:, pb]
        # a pair tied at a grid point (within core.ties' tolerance) is neither ahead nor behind there
        d[np.abs(d) <= tol] = 0.0
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
    return _sorted_reversals(_snap_ties(rows, x, w, types, method, normalization))


#: a reversal of a pair tied at the current weights that lies this close to the current weight is at it
SNAP = 1e-6


def _snap_ties(rows: list[tuple], x: np.ndarray, w: np.ndarray, types: np.ndarray, method: str,
               normalization: str) -> list[tuple]:
    """Put exactly at the current weight w_j the reversals of pairs that are tied now (scores within
    the tolerance of :mod:`mcda_qualify.core.ties`, as the ranking sees them) found within :data:`SNAP` of it:
    root finding stops about 1e-12 short, which would otherwise turn the tie into a tiny stability
    interval on one side. Such a point means "tied at the current weights" (issue 17)."""
    if not rows:
        return rows
    s0 = batch_scores(method, x, w, types, normalization)
    tol = float(tie_tolerance(s0))
    out = []
    for j, t, a, b, sa, sb in rows:
        if abs(s0[a] - s0[b]) <= tol and abs(t - w[j]) <= SNAP:
            t, sa, sb = float(w[j]), float(s0[a]), float(s0[b])
        out.append((j, t, a, b, sa, sb))
    return out


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
    w = unit_weights(weights)
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
    w = unit_weights(weights)
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
