"""Exact rank-reversal points along the proportional weight sweep, in closed form, for every pair at once.

Numeric core: arrays in, arrays out; never prints. Same signatures and records as the grid search of
:mod:`mcda_qualify.sensitivity` (``reversal_points``, ``stability_intervals``, ``critical_criteria``),
without a grid, so a pair that crosses twice within a grid step is not missed.

Sweep of criterion j (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1), 151-194): w_j(t) = t,
w_k(t) = (1 - t) v_k for k != j with v_k = w_k / sum_{l != j} w_l.

TOPSIS (Hwang & Yoon 1981, Multiple Attribute Decision Making, Springer, ch. 3.3.2). With vector or
min-max normalisation the normalised matrix r does not depend on the weights, and since weights are
>= 0 the weighted ideal (anti-ideal) of criterion k is w_k max_i r_ik (w_k min_i r_ik): the squared gaps
G+_ik = (r_ik - max r_k)^2, G-_ik = (r_ik - min r_k)^2 are weight-free. Along the sweep

    D+_i(t)^2 = (1 - t)^2 P_i + t^2 p_i,   P_i = sum_{k != j} v_k^2 G+_ik,  p_i = G+_ij
    D-_i(t)^2 = (1 - t)^2 Q_i + t^2 q_i    (same with G-),

i.e. D^2 = (1 - t)^2 (P + s p) with s = u^2, u = t / (1 - t), increasing in t on [0, 1).
C_a = C_b  <=>  D-_a D+_b = D-_b D+_a (denominators D+ + D- > 0). Both sides are >= 0, so squaring
loses nothing: x^2 - y^2 = (x - y)(x + y) has the sign of x - y (and of C_a - C_b) wherever x + y > 0
and vanishes with it where x = y = 0; there are no spurious roots. Divided by (1 - t)^4 > 0 the squared
equation is a QUADRATIC in s (a polynomial of degree <= 4 in t that is even in u):

    g(s) = (Q_a + s q_a)(P_b + s p_b) - (Q_b + s q_b)(P_a + s p_a) = A s^2 + B s + C,
    A = q_a p_b - q_b p_a,  B = Q_a p_b + q_a P_b - Q_b p_a - q_b P_a,  C = Q_a P_b - Q_b P_a,

and sign g(s(t)) = sign(C_a(t) - C_b(t)). A swap is a sign change of g: a simple real root s* > 0
(discriminant > 0; a double root is a touch, no swap), solved with the cancellation-free quadratic
formula (Press et al. 2007, Numerical Recipes, 3rd ed., sect. 5.6), t* = sqrt(s*) / (1 + sqrt(s*)).
At most two swaps per pair and criterion. WSM (Fishburn 1967; pymcdm's sum normalisation) is linear,
s_i(t) = A_i + t B_i: one root t* = (A_b - A_a) / (B_a - B_b) (T&S 1997, Theorem 1).

Records (:class:`~mcda_qualify.sensitivity.Reversals`): ``a`` ahead just below ``weight``, ``b`` just
above; crossings strictly inside (0, 1). Ties at the current weight t0 = w_j: a pair whose scores at t0
differ by at most ``TIE`` (the tolerance of :mod:`mcda_qualify.core.ties`) is already at a
reversal: a crossing within ``SNAP`` of t0 is reported at exactly t0; a tie without such a crossing (a
touch) adds one record at t0 with ``a`` the pair's member of higher score at t0 (the earlier one when
equal) -- there ``b`` does not overtake ``a``. Pairs tied along the whole sweep (e.g. equal rows: every
coefficient zero within ``FLAT`` of its terms; or scores within ``TIE`` at t0 and at both ends, near twins
that differ by float noise) are never a reversal. No record holds inf or NaN.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from . import methods
from .ties import FLOOR, RTOL
from .batch import sum_normalize
from .reversal import Criticality, Reversals, Stability, top_opportunity, weight_change

__all__ = ["reversal_points", "stability_intervals", "critical_criteria", "criticality_from_reversals",
           "stability_from_reversals", "TIE", "SNAP", "FLAT"]

#: scores closer than this are tied: core.ties' tolerance for scores of magnitude at most 1 (TOPSIS closeness,
#: sum-normalised WSM), RTOL * FLOOR
TIE = RTOL * FLOOR
#: a crossing this close to the current weight of a pair tied there is reported at the current weight
SNAP = 1e-9
#: coefficients below this share of the magnitude of their terms are rounding noise (pair tied throughout)
FLAT = 1e-13
#: pairs per vectorised block (bounds memory at about 40 arrays of this length)
PAIR_BLOCK = 1 << 14

_Rows = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _check(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, method: str,
           normalization: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if method not in ("topsis", "wsm"):
        raise ValueError(f"unknown method {method!r} for sensitivity analysis; expected 'topsis' or 'wsm'")
    if method == "topsis" and normalization not in methods.NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {methods.NORMALIZATIONS}")
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or not np.all(np.isfinite(x)):
        raise ValueError("matrix must be a finite (N, M) array")
    w = np.asarray(weights, dtype=float)
    if w.shape != (x.shape[1],) or np.any(~np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be M finite, non-negative numbers, not all zero")
    ty = np.asarray(types)
    if ty.shape != (x.shape[1],):
        raise ValueError("types must hold one +1 / -1 per criterion")
    return x, w / w.sum(), ty


def _pair_blocks(n: int, block: int | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """All pairs a < b of n items in blocks of about ``block`` pairs, row by row (no n x n array)."""
    block = PAIR_BLOCK if block is None else int(block)
    per_row = n - 1 - np.arange(n)
    ends = np.cumsum(per_row)
    a0 = 0
    while a0 < n - 1:
        a1 = int(np.searchsorted(ends, (ends[a0 - 1] if a0 else 0) + block, side="right"))
        a1 = min(max(a1, a0 + 1), n - 1)
        yield _runs(np.arange(a0, a1), per_row[a0:a1])
        a0 = a1


def _runs(rows: np.ndarray, cnt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (r, r + 1), ..., (r, r + cnt_r) for every r of ``rows``, flattened."""
    ia = np.repeat(rows, cnt)
    start = np.repeat(np.cumsum(cnt) - cnt, cnt)
    return ia, np.arange(ia.size) - start + ia + 1


def _sweep_base(w: np.ndarray, j: int) -> np.ndarray:
    rest = 1.0 - w[j]
    if rest <= 0:
        raise ValueError("a sweep needs another criterion with weight > 0")
    v = w / rest
    v[j] = 0.0
    return v


class _Topsis:
    """Per-opportunity sweep coefficients (P, p, Q, q) of one criterion and the pairwise quadratics."""

    def __init__(self, r: np.ndarray, w: np.ndarray, j: int) -> None:
        gp, gm = (r - r.max(axis=0)) ** 2, (r - r.min(axis=0)) ** 2
        v2 = _sweep_base(w, j) ** 2
        P, p, Q, q = gp @ v2, gp[:, j], gm @ v2, gm[:, j]
        self.X = np.stack([P, p, Q, q, P + p, Q + q])  # rows gathered together with one take

    def scores(self, t: np.ndarray | float, i: np.ndarray | None = None) -> np.ndarray:
        P, p, Q, q = self.X[:4] if i is None else self.X[:4].take(i, axis=1)
        t = np.asarray(t, dtype=float)
        c2, t2 = (1.0 - t) ** 2, t * t
        dp = np.sqrt(c2 * P + t2 * p)
        dm = np.sqrt(c2 * Q + t2 * q)
        return dm / (dp + dm)

    def _coef(self, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, ...]:
        """g(s) = A s^2 + B s + C of every pair and the magnitude of its terms (all >= 0)."""
        Pa, pa, Qa, qa, SPa, SQa = self.X.take(ia, axis=1)
        Pb, pb, Qb, qb, SPb, SQb = self.X.take(ib, axis=1)
        A = qa * pb
        A -= qb * pa
        C = Qa * Pb
        C -= Qb * Pa
        B = Qa * pb
        B += qa * Pb
        B -= Qb * pa
        B -= qb * Pa
        mag = SQa * SPb  # (Q_a + q_a)(P_b + p_b) + (Q_b + q_b)(P_a + p_a) = sum of the terms
        mag += SQb * SPa
        return A, B, C, mag

    def flat(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        A, B, C, mag = self._coef(ia, ib)
        return np.maximum(np.maximum(np.abs(A), np.abs(B)), np.abs(C)) <= FLAT * mag

    def crossings(self, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair index, t, 'ia ahead just below') for every sign change of C_ia - C_ib in (0, 1)."""
        A, B, C, mag = self._coef(ia, ib)
        disc = B * B
        disc -= 4.0 * A * C
        k = np.flatnonzero(disc > 0)
        A, B, C, mag, disc = A[k], B[k], C[k], mag[k], disc[k]
        live = np.maximum(np.maximum(np.abs(A), np.abs(B)), np.abs(C)) > FLAT * mag
        k, A, B, C, disc = k[live], A[live], B[live], C[live], disc[live]
        qq = -0.5 * (B + np.copysign(np.sqrt(disc), B))  # |qq| > 0 since disc > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.concatenate([qq / A, C / qq])
        kk, AA, BB = np.concatenate([k, k]), np.concatenate([A, A]), np.concatenate([B, B])
        ok = np.isfinite(s) & (s > 0)
        s, kk = s[ok], kk[ok]
        slope = 2.0 * AA[ok] * s + BB[ok]
        u = np.sqrt(s)
        t = u / (1.0 + u)
        keep = t < 1.0
        # g rising through the root: C_ia < C_ib just below, so ib is ahead below
        return kk[keep], t[keep], slope[keep] < 0


class _Wsm:
    """Scores s_i(t) = A_i + t B_i along the sweep (sum-normalised matrix, T&S 1997)."""

    def __init__(self, rs: np.ndarray, w: np.ndarray, j: int) -> None:
        A = rs @ _sweep_base(w, j)
        self.X = np.stack([A, rs[:, j] - A])

    def scores(self, t: np.ndarray | float, i: np.ndarray | None = None) -> np.ndarray:
        A, B = self.X if i is None else self.X.take(i, axis=1)
        return A + np.asarray(t, dtype=float) * B

    def flat(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        (Aa, Ba), (Ab, Bb) = self.X.take(ia, axis=1), self.X.take(ib, axis=1)
        return (np.abs(Aa - Ab) <= FLAT * (np.abs(Aa) + np.abs(Ab))) & \
            (np.abs(Ba - Bb) <= FLAT * (np.abs(Ba) + np.abs(Bb)))

    def crossings(self, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        (Aa, Ba), (Ab, Bb) = self.X.take(ia, axis=1), self.X.take(ib, axis=1)
        dA, dB = Aa - Ab, Ba - Bb
        with np.errstate(divide="ignore", invalid="ignore"):
            t = -dA / dB
        k = np.flatnonzero((dB != 0) & (t > 0) & (t < 1))
        live = ~self.flat(ia[k], ib[k])
        k = k[live]
        return k, t[k], dB[k] < 0


def _flat(model: "_Topsis | _Wsm", ta: np.ndarray, tb: np.ndarray) -> np.ndarray:
    """Pairs (tied at t0) that are tied along the whole sweep: equal coefficients within ``FLAT``, or
    scores within ``TIE`` at both ends too (near twins that differ by float noise): the ranking sees one
    tie throughout, never a reversal."""
    flat = model.flat(ta, tb)
    with np.errstate(invalid="ignore", divide="ignore"):
        e0, e1 = model.scores(0.0), model.scores(1.0)
    return flat | ((np.abs(e0[ta] - e0[tb]) <= TIE) & (np.abs(e1[ta] - e1[tb]) <= TIE))


def _tied_pairs(c0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (a < b) whose scores differ by at most TIE: one sort, no pair enumeration."""
    o = np.argsort(c0, kind="stable")
    s = c0[o]
    n = s.size
    cnt = np.searchsorted(s, s + TIE, side="right") - np.arange(n) - 1
    p, q = _runs(np.arange(n), np.maximum(cnt, 0))
    i, j = o[p], o[q]
    return np.minimum(i, j), np.maximum(i, j)


def _criterion_rows(model: _Topsis | _Wsm, n: int, t0: float, among: np.ndarray | None = None) -> _Rows:
    """Reversal rows (t, a, b, score_a, score_b) of one criterion, ties at t0 included; with ``among``
    (sorted indices) only the pairs of those opportunities."""
    ts, As, Bs = [np.empty(0)], [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for ia, ib in _pair_blocks(n if among is None else among.size):
        if among is not None:
            ia, ib = among[ia], among[ib]
        k, t, a_first = model.crossings(ia, ib)
        x, y = ia[k], ib[k]
        ts.append(t)
        As.append(np.where(a_first, x, y))
        Bs.append(np.where(a_first, y, x))
    t, a, b = np.concatenate(ts), np.concatenate(As), np.concatenate(Bs)
    c0 = model.scores(t0)
    if among is None:
        ta, tb = _tied_pairs(c0)
    else:
        ta, tb = _tied_pairs(c0[among])
        ta, tb = among[ta], among[tb]
    if ta.size:
        live = ~_flat(model, ta, tb)
        ta, tb = ta[live], tb[live]
    if ta.size:
        tied = ta * n + tb
        near = np.flatnonzero(np.abs(t - t0) <= SNAP)
        key = np.minimum(a[near], b[near]) * n + np.maximum(a[near], b[near])
        snap = near[np.isin(key, tied)]
        t[snap] = t0
        lone = ~np.isin(tied, key[np.isin(key, tied)])
        ta, tb = ta[lone], tb[lone]
        first = c0[ta] >= c0[tb]
        t = np.concatenate([t, np.full(ta.size, t0)])
        a = np.concatenate([a, np.where(first, ta, tb)])
        b = np.concatenate([b, np.where(first, tb, ta)])
    return t, a, b, model.scores(t, a), model.scores(t, b)


def _model(x: np.ndarray, types: np.ndarray, method: str, normalization: str):
    if method == "wsm":
        rs = sum_normalize(x, types)
        return lambda w, j: _Wsm(rs, w, j)
    r = methods.normalize(x, types, normalization)
    return lambda w, j: _Topsis(r, w, j)


def reversal_points(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                    criteria: Iterable[int] | None = None, *, method: str = "topsis",
                    normalization: str = "vector", grid: int = 2001, xtol: float = 1e-12,
                    among: Iterable[int] | None = None) -> Reversals:
    """Every weight t of each criterion's sweep at which two opportunities swap, in closed form.

    ``among``: only the pairs of these opportunities (indices), scored on the whole matrix (e.g. the
    top 15 of a 10,000-row table: 105 pairs instead of 50 million).
    TOPSIS: the real roots of one quadratic in s = (t / (1 - t))^2 per pair (module docstring); WSM:
    one linear root per pair (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1), 151-194). All
    pairs at once in vectorised blocks, no grid. ``grid`` and ``xtol`` are accepted for compatibility
    with :func:`mcda_qualify.sensitivity.reversal_points` and not used. Sorted by criterion, weight, a, b.
    """
    x, w, ty = _check(matrix, weights, types, method, normalization)
    m = x.shape[1]
    crit = list(range(m)) if criteria is None else [int(c) for c in criteria]
    if any(not 0 <= c < m for c in crit):
        raise ValueError(f"criteria must be indices 0..{m - 1}")
    make = _model(x, ty, method, normalization)
    n = x.shape[0]
    sub = None
    if among is not None:
        sub = np.unique(np.asarray(list(among), dtype=np.int64))
        if sub.size and (sub[0] < 0 or sub[-1] >= n):
            raise ValueError(f"among must be indices 0..{n - 1}")
    parts = []
    for j in sorted(set(crit)):
        t, a, b, sa, sb = _criterion_rows(make(w, j), n, float(w[j]), sub)
        o = _order(t, a * n + b)
        parts.append((np.full(t.size, j, dtype=np.int64), t[o], a[o], b[o], sa[o], sb[o]))
    if not parts:
        e, ei = np.empty(0), np.empty(0, dtype=np.int64)
        return Reversals(ei, e, ei.copy(), ei.copy(), e.copy(), e.copy())
    c, t, a, b, sa, sb = (np.concatenate(z) for z in zip(*parts))
    return Reversals(c, t, a.astype(np.int64, copy=False), b.astype(np.int64, copy=False), sa, sb)


def _order(t: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Order by t, then by ``key`` among equal t: one float argsort, a lexsort only on the equal runs."""
    o = np.argsort(t)
    ts = t[o]
    dup = np.flatnonzero(ts[1:] == ts[:-1])
    if dup.size:
        pos = np.union1d(dup, dup + 1)  # contiguous runs of equal t, in sorted position
        sub = o[pos]
        o[pos] = sub[np.lexsort((key[sub], t[sub]))]
    return o


def _interval(points: np.ndarray, t0: float) -> tuple[float, float]:
    lo, hi = points[points <= t0], points[points >= t0]
    return (float(lo.max()) if lo.size else 0.0, float(hi.min()) if hi.size else 1.0)


def _nearest(model: _Topsis | _Wsm, ia: np.ndarray, ib: np.ndarray, t0: float,
             c0: np.ndarray) -> tuple[tuple[float, int, int], tuple[float, int, int]]:
    """The nearest reversal at or below and at or above t0 among the pairs (ia, ib): (t, a, b) each,
    (0 or 1, -1, -1) where there is none. A non-flat pair tied at t0 is a reversal at t0 (as in
    :func:`reversal_points`: a = the higher score at t0, the earlier when equal)."""
    tie = (np.abs(c0[ia] - c0[ib]) <= TIE)
    if tie.any():
        ti, tj = ia[tie], ib[tie]
        live = ~_flat(model, ti, tj)
        if live.any():
            x, y = int(ti[live][0]), int(tj[live][0])
            a, b = (x, y) if c0[x] >= c0[y] else (y, x)
            return (t0, a, b), (t0, a, b)
    k, t, a_first = model.crossings(ia, ib)
    a = np.where(a_first, ia[k], ib[k])
    b = np.where(a_first, ib[k], ia[k])
    out = []
    for side, mask, pick, none in (("lo", t <= t0, np.argmax, 0.0), ("hi", t >= t0, np.argmin, 1.0)):
        if not mask.any():
            out.append((none, -1, -1))
            continue
        q = np.flatnonzero(mask)
        best = q[pick(t[q])]
        same = q[t[q] == t[best]]  # equal t: the smallest (a, b), as the sorted records would give
        best = same[np.lexsort((b[same], a[same]))[0]]
        out.append((float(t[best]), int(a[best]), int(b[best])))
    return out[0], out[1]


def _fast_sides(x: np.ndarray, w: np.ndarray, ty: np.ndarray, method: str, normalization: str,
                top: int) -> list[tuple[tuple, tuple, tuple, tuple]]:
    """Per criterion the nearest reversal on each side for the whole ranking and for the top, from
    N - 1 pairs each instead of N (N - 1) / 2: the first pair to swap as the weight moves away from
    t0 is adjacent in the order at t0 (were every adjacent pair still in order just after, so would
    every pair be), and a pair tied at t0 is a reversal there; the top's first swap is with one of
    the N - 1 others. O(N log N) per criterion."""
    make = _model(x, ty, method, normalization)
    n = x.shape[0]
    out = []
    for j in range(x.shape[1]):
        model, t0 = make(w, j), float(w[j])
        c0 = model.scores(t0)
        o = np.argsort(-c0, kind="stable")
        ta, tb = _tied_pairs(c0)
        if ta.size:
            live = ~_flat(model, ta, tb)
            ta, tb = ta[live], tb[live]
        if ta.size:  # a tie anywhere: the whole-ranking interval is [t0, t0]
            ia, ib = ta[:1], tb[:1]
        else:
            ia, ib = np.minimum(o[:-1], o[1:]), np.maximum(o[:-1], o[1:])
        lo, hi = _nearest(model, ia, ib, t0, c0)
        others = np.delete(np.arange(n), top)
        tlo, thi = _nearest(model, np.minimum(others, top), np.maximum(others, top), t0, c0)
        out.append((lo, hi, tlo, thi))
    return out


def stability_intervals(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                        method: str = "topsis", normalization: str = "vector",
                        reversals: Reversals | None = None, grid: int = 2001) -> Stability:
    """Stability intervals of every criterion's weight: the nearest exact reversal point on each side.

    Ranking interval: nearest reversal of any pair; top interval: nearest reversal involving the
    current top opportunity (first of rank 1). Ends 0 and 1: no reversal up to that end; a tie at the
    current weight gives a zero-width interval [w_j, w_j]. After Mareschal (1988), EJOR 33(1), 54-64,
    along the proportional sweep. ``grid`` is unused (compatibility).
    """
    x, w, ty = _check(matrix, weights, types, method, normalization)
    top = top_opportunity(x, w, ty, method, normalization)
    if reversals is None:  # only the nearest points matter: N - 1 pairs per criterion, not all
        sides = _fast_sides(x, w, ty, method, normalization, top)
        col = [np.array([sd[i][0] for sd in sides]) for i in range(4)]
        return Stability(w, top, col[2], col[3], col[0], col[1])
    return stability_from_reversals(w, top, reversals)


def stability_from_reversals(w: np.ndarray, top: int, rv: Reversals) -> Stability:
    """Stability intervals from a list of reversal points (every criterion's): per criterion the
    nearest point either side of the current weight, of any pair and of the pairs with ``top``."""
    m = w.size
    tl, th, rl, rh = (np.empty(m) for _ in range(4))
    for j in range(m):
        here = rv.criterion == j
        rl[j], rh[j] = _interval(rv.weight[here], w[j])
        mine = here & ((rv.a == top) | (rv.b == top))
        tl[j], th[j] = _interval(rv.weight[mine], w[j])
    return Stability(w, top, tl, th, rl, rh)


def critical_criteria(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                      method: str = "topsis", normalization: str = "vector",
                      reversals: Reversals | None = None, grid: int = 2001) -> Criticality:
    """PT and PA critical criteria and sensitivity coefficients from the exact reversal points.

    Triantaphyllou, E. & Sanchez, A. (1997). A sensitivity analysis approach for some deterministic
    multi-criteria decision-making methods. Decision Sciences 28(1), 151-194. A change D of W_k alone,
    then renormalised, is the sweep point t = (W_k + D) / (1 + D); each reversal point t* gives
    D = (t* - W_k) / (1 - t*) and the relative change 100 D / W_k; per criterion the smallest |change|
    over all pairs (PA) and over pairs with the top opportunity (PT). Sensitivity = 1 / criticality
    (0 when no change of that weight reverses a pair; inf when a pair is tied at the current weights).
    ``grid`` is unused (compatibility).
    """
    x, w, ty = _check(matrix, weights, types, method, normalization)
    top = top_opportunity(x, w, ty, method, normalization)
    if reversals is None:  # the smallest |change| is at the nearest reversal on one side (monotone in t)
        rows = []
        for j, (lo, hi, tlo, thi) in enumerate(_fast_sides(x, w, ty, method, normalization, top)):
            rows += [(j, t, a, b) for t, a, b in (lo, hi, tlo, thi) if a >= 0]
        c, t, a, b = (np.array([r[i] for r in rows], dtype=float if i == 1 else np.int64) for i in range(4))
        e = np.zeros(t.size)
        rv = Reversals(c, t, a, b, e, e)
    else:
        rv = reversals
    return criticality_from_reversals(w, top, rv)


def criticality_from_reversals(w: np.ndarray, top: int, rv: Reversals) -> Criticality:
    """Triantaphyllou & Sanchez (1997) from reversal points: per criterion the smallest change of its
    weight (others unchanged, then renormalised) that reverses any pair (PA) or a pair with ``top``
    (PT), as a percentage of the weight; criticality = |PA %|, sensitivity = 1 / criticality. A tie at
    the current weight is a change of 0 (criticality 0, sensitivity inf)."""
    m = w.size
    out = {k: np.full(m, np.nan) for k in ("pt_pct", "pt_change", "pa_pct", "pa_change")}
    pairs = {k: np.full(m, -1, dtype=int) for k in ("pt_a", "pt_b", "pa_a", "pa_b")}
    for j in range(m):
        here = np.flatnonzero(rv.criterion == j)
        if not here.size:
            continue
        d = np.asarray(weight_change(rv.weight[here], w[j]))
        with np.errstate(divide="ignore", invalid="ignore"):
            pct = np.where(d == 0, 0.0, 100.0 * d / w[j])
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
