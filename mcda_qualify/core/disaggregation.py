"""Preference disaggregation: the additive value model that best reproduces past holistic preferences.

UTA-STAR by linear programming (scipy ``linprog``, HiGHS):

* Jacquet-Lagreze, E. & Siskos, J. (1982), Assessing a set of additive utility functions for
  multicriteria decision-making, the UTA method, European Journal of Operational Research 10(2),
  151-164 (UTA: piecewise-linear marginal values, one error per alternative).
* Siskos, J. & Yannacopoulos, D. (1985), UTASTAR: an ordinal regression method for building additive
  value functions, Investigacao Operacional 5(1), 39-53 (UTA-STAR: the marginal values written as
  non-negative increments w_ij, so monotonicity is a bound; a double error sigma+ / sigma- per
  alternative).
* Siskos, Y., Grigoroudis, E. & Matsatsinis, N. F. (2005), UTA methods, in Figueira, Greco & Ehrgott
  (eds.), Multiple Criteria Decision Analysis: State of the Art Surveys, Springer, 297-343
  (the algorithm as implemented here, with its post-optimality analysis, section 2.3).

The model. Criterion i has alpha_i equal segments between its worst and best value (the observed
range unless ``bounds`` are given); u_i(g_i^1) = 0 at the worst value and u_i(g_i^{j+1}) - u_i(g_i^j) =
w_ij >= 0, with sum_ij w_ij = 1, so the weight of criterion i is u_i(best) = sum_j w_ij. The global
value is u(a) = sum_i u_i(g_i(a)), linear between breakpoints, and with errors
u'(a) = u(a) - sigma+(a) + sigma-(a). A strict preference a > b requires u'(a) - u'(b) >= delta, an
indifference u'(a) - u'(b) = 0; the LP minimises F = sum_a (sigma+(a) + sigma-(a)).

Post-optimality (Siskos et al. 2005, sec. 2.3): on the polyhedron F <= F* + k(F*), with
k(F*) = max(post_optimality * F*, post_abs), each weight u_i(best) is maximised and minimised (2M LPs);
the min/max give the weight ranges, and the **reported model is the mean of the M solutions that
maximise each weight** (the "average solution" the chapter proposes; the R package MCDA's
``averageValueFunctionsPO`` uses the same).

``delta``: the separation threshold of a strict preference; Siskos et al. (2005) use delta = 0.05 in
their numerical example (and delta must let (levels - 1) * delta <= 1 for an error-free fit of a
ranking with that many levels). Default 0.05.

``additive_linear`` is the one-segment special case on given scores: u(a) = sum_i w_i v_i(a) with
w >= 0, sum w = 1, where v (N, M) are already-normalised benefit-form values (any affine scale per
column). A strict preference then needs u'(a) - u'(b) >= delta * sum_i w_i span_i, span_i being the
range of column i, which for min-max normalised columns (span 1) is exactly UTA-STAR with alpha_i = 1,
and otherwise the same constraint written in the columns' own units (so the fitted weights are the
weights of those normalised values).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog
from scipy.stats import kendalltau

__all__ = ["UtaResult", "uta_star", "additive_linear", "preferences_from_ranking", "DEFAULT_DELTA"]

DEFAULT_DELTA = 0.05
_SOLUTION = "mean of the M post-optimal solutions that maximise each criterion's weight (Siskos et al. 2005, sec. 2.3)"


@dataclass(frozen=True)
class UtaResult:
    """A fitted additive value model.

    ``breakpoints[i]`` (alpha_i + 1,) run from the worst to the best value of criterion i and
    ``marginal_values[i]`` are u_i there (reported model); ``weights`` (M,) = u_i(best) sum to 1;
    ``weight_ranges`` (M, 2) are the post-optimal min and max; ``global_values`` (N,) the reported
    model's u(a); ``fit_error`` is F* (sum of sigma+ + sigma- at the optimum) and ``errors`` (N, 2)
    the optimum's sigma+ and sigma-; ``bound`` = F* + k(F*) used for post-optimality;
    ``kendall_tau`` compares the reported model with a given ranking (None without one);
    ``reproduced`` is the share of the preference statements the reported model satisfies
    (strict ones by a positive margin, indifferences within 1e-9).
    """

    breakpoints: list[np.ndarray]
    marginal_values: list[np.ndarray]
    weights: np.ndarray
    weight_ranges: np.ndarray
    global_values: np.ndarray
    fit_error: float
    errors: np.ndarray
    bound: float
    increments: np.ndarray
    delta: float
    kendall_tau: float | None
    reproduced: float
    solution: str = _SOLUTION
    linear: bool = False
    directions: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def value(self, performance: np.ndarray) -> np.ndarray:
        """Global values of new alternatives (N', M) under the reported model (clipped to the range)."""
        x = np.atleast_2d(np.asarray(performance, dtype=float))
        if self.linear:
            return x @ self.weights
        out = np.zeros(x.shape[0])
        for i, (bp, mv) in enumerate(zip(self.breakpoints, self.marginal_values)):
            t = _position(x[:, i], bp[0], bp[-1])
            out += np.interp(t, np.linspace(0.0, 1.0, bp.size), mv)
        return out


def preferences_from_ranking(ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive statements of a weak order (rank 1 best; equal ranks are ties), as UTA-STAR uses.

    Returns (preferences (P, 2), indifferences (Q, 2)) of row indices: a row (a, b) of the first
    means a is preferred to b, of the second that they are indifferent.
    """
    r = np.asarray(ranks, dtype=float)
    if r.ndim != 1 or r.size < 2 or not np.all(np.isfinite(r)):
        raise ValueError("ranking must be a 1-D array of at least two finite ranks")
    order = np.argsort(r, kind="stable")
    a, b = order[:-1], order[1:]
    tie = r[a] == r[b]
    return np.column_stack([a[~tie], b[~tie]]), np.column_stack([a[tie], b[tie]])


def _pairs(arg: np.ndarray | None, n: int, name: str) -> np.ndarray:
    if arg is None:
        return np.zeros((0, 2), dtype=int)
    p = np.asarray(arg)
    if p.size == 0:
        return np.zeros((0, 2), dtype=int)
    if p.ndim != 2 or p.shape[1] != 2 or not np.issubdtype(p.dtype, np.integer):
        raise ValueError(f"{name} must be an integer array of shape (P, 2) of row indices")
    if p.min() < 0 or p.max() >= n:
        raise ValueError(f"{name} refers to a row outside 0..{n - 1}")
    if np.any(p[:, 0] == p[:, 1]):
        raise ValueError(f"{name} compares an alternative with itself")
    return p.astype(int)


def _statements(n: int, preferences, indifferences, ranking) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    if ranking is not None:
        if preferences is not None or indifferences is not None:
            raise ValueError("give ranking, or preferences/indifferences, not both")
        r = np.asarray(ranking, dtype=float)
        if r.shape != (n,):
            raise ValueError(f"ranking must have one rank per alternative ({n}), got shape {r.shape}")
        p, q = preferences_from_ranking(r)
        return p, q, r
    p, q = _pairs(preferences, n, "preferences"), _pairs(indifferences, n, "indifferences")
    if p.shape[0] + q.shape[0] == 0:
        raise ValueError("no preference information: give ranking, preferences or indifferences")
    return p, q, None


def _position(g: np.ndarray, worst: float, best: float) -> np.ndarray:
    return np.clip((g - worst) / (best - worst), 0.0, 1.0)


def _check_delta(delta: float, post_optimality: float, post_abs: float) -> None:
    if not (np.isfinite(delta) and 0.0 < delta < 1.0):
        raise ValueError(f"delta must be in (0, 1) (got {delta!r})")
    if not (np.isfinite(post_optimality) and post_optimality >= 0):
        raise ValueError(f"post_optimality must be >= 0 (got {post_optimality!r})")
    if not (np.isfinite(post_abs) and post_abs >= 0):
        raise ValueError(f"post_abs must be >= 0 (got {post_abs!r})")


def _solve(c: np.ndarray, a_ub: np.ndarray, b_ub: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray) -> np.ndarray:
    res = linprog(c, A_ub=a_ub if a_ub.size else None, b_ub=b_ub if a_ub.size else None,
                  A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if res.status == 2:  # per-alternative errors cannot absorb a cycle such as a > b > a
        raise ValueError("preferences/indifferences contradict each other (a cycle of strict preferences, or a strict "
                         "preference between alternatives stated indifferent): no value model can hold them")
    if res.status != 0:
        raise RuntimeError(f"linprog (HiGHS) failed: {res.message}")
    return res.x


def _fit(coef: np.ndarray, groups: np.ndarray, sep: np.ndarray, prefs: np.ndarray, indiff: np.ndarray,
         delta: float, post_optimality: float, post_abs: float) -> tuple[np.ndarray, np.ndarray, float, np.ndarray, float]:
    """The UTA-STAR LP on u = coef @ x (x >= 0, sum x = 1), and its post-optimality analysis.

    Returns (reported x, weight ranges (M, 2), F*, errors at the optimum (N, 2), bound).
    """
    n, k = coef.shape
    m = int(groups.max()) + 1
    nv = k + 2 * n

    def rows(pairs: np.ndarray, with_sep: bool) -> np.ndarray:
        r = np.zeros((pairs.shape[0], nv))
        a, b = pairs[:, 0], pairs[:, 1]
        r[:, :k] = coef[a] - coef[b] - (delta * sep if with_sep else 0.0)
        idx = np.arange(pairs.shape[0])
        np.add.at(r, (idx, k + a), -1.0)       # -sigma+(a)
        np.add.at(r, (idx, k + n + a), 1.0)    # +sigma-(a)
        np.add.at(r, (idx, k + b), 1.0)        # +sigma+(b)
        np.add.at(r, (idx, k + n + b), -1.0)   # -sigma-(b)
        return r

    a_ub = -rows(prefs, True)                  # u'(a) - u'(b) - delta * sep.x >= 0
    b_ub = np.zeros(a_ub.shape[0])
    total = np.zeros((1, nv))
    total[0, :k] = 1.0
    a_eq = np.vstack([total, rows(indiff, False)])
    b_eq = np.r_[1.0, np.zeros(indiff.shape[0])]
    c = np.r_[np.zeros(k), np.ones(2 * n)]
    z = _solve(c, a_ub, b_ub, a_eq, b_eq)
    f_star = float(max(c @ z, 0.0))
    errors = np.column_stack([z[k:k + n], z[k + n:]])
    bound = f_star + max(post_optimality * f_star, post_abs)
    a_po = np.vstack([a_ub, c[None, :]]) if a_ub.size else c[None, :]
    b_po = np.r_[b_ub, bound]
    ranges = np.zeros((m, 2))
    maxima = []
    for i in range(m):
        obj = np.zeros(nv)
        obj[:k] = (groups == i).astype(float)
        lo = _solve(obj, a_po, b_po, a_eq, b_eq)
        hi = _solve(-obj, a_po, b_po, a_eq, b_eq)
        ranges[i] = [obj @ lo, obj @ hi]
        maxima.append(hi[:k])
    x = np.mean(maxima, axis=0)
    return x, np.clip(ranges, 0.0, 1.0), f_star, errors, bound


def _summary(u: np.ndarray, prefs: np.ndarray, indiff: np.ndarray, ranks: np.ndarray | None) -> tuple[float | None, float]:
    ok = np.r_[u[prefs[:, 0]] - u[prefs[:, 1]] > 1e-9, np.abs(u[indiff[:, 0]] - u[indiff[:, 1]]) <= 1e-9]
    tau = None
    if ranks is not None:
        t = kendalltau(-ranks, u).statistic
        tau = float(t) if np.isfinite(t) else None
    return tau, float(ok.mean())


def uta_star(
    performance: np.ndarray,
    directions: np.ndarray,
    segments: int | np.ndarray = 2,
    *,
    preferences: np.ndarray | None = None,
    indifferences: np.ndarray | None = None,
    ranking: np.ndarray | None = None,
    delta: float = DEFAULT_DELTA,
    bounds: np.ndarray | None = None,
    post_optimality: float = 0.1,
    post_abs: float = 1e-6,
) -> UtaResult:
    """UTA-STAR (Siskos & Yannacopoulos 1985; Siskos et al. 2005): piecewise-linear marginal values.

    ``performance`` (N, M); ``directions`` (M,) +1 benefit / -1 cost; ``segments`` alpha_i (an int
    for all criteria or (M,)); preference information as ``ranking`` (N,) (1 best, ties allowed) or
    ``preferences`` (P, 2) / ``indifferences`` (Q, 2) row-index pairs; ``bounds`` (M, 2) low/high of
    each criterion's scale (default: the observed range).
    """
    x = np.asarray(performance, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1 or not np.all(np.isfinite(x)):
        raise ValueError("performance must be a finite (N, M) array with N >= 2")
    n, m = x.shape
    d = np.asarray(directions)
    if d.shape != (m,) or not np.all(np.isin(d, (-1, 1))):
        raise ValueError(f"directions must be {m} values of +1 (benefit) or -1 (cost)")
    seg = np.broadcast_to(np.asarray(segments), (m,)).astype(int) if np.ndim(segments) == 0 else np.asarray(segments)
    if seg.shape != (m,) or not np.issubdtype(seg.dtype, np.integer) or np.any(seg < 1):
        raise ValueError(f"segments must be an integer >= 1 or {m} of them")
    _check_delta(delta, post_optimality, post_abs)
    if bounds is None:
        lo, hi = x.min(axis=0), x.max(axis=0)
    else:
        b = np.asarray(bounds, dtype=float)
        if b.shape != (m, 2) or np.any(b[:, 0] > x.min(axis=0)) or np.any(b[:, 1] < x.max(axis=0)):
            raise ValueError(f"bounds must be (M, 2) low/high covering every value")
        lo, hi = b[:, 0], b[:, 1]
    flat = np.flatnonzero(hi <= lo)
    if flat.size:
        raise ValueError(f"performance column {int(flat[0])} is constant: no segments to fit (give bounds or leave it out)")
    worst = np.where(d > 0, lo, hi)
    best = np.where(d > 0, hi, lo)
    prefs, indiff, ranks = _statements(n, preferences, indifferences, ranking)
    groups = np.repeat(np.arange(m), seg)
    seg_index = np.concatenate([np.arange(s) for s in seg])
    t = _position(x, worst, best)                            # (N, M) in [0, 1], 1 = best
    coef = np.clip(t[:, groups] * seg[groups] - seg_index, 0.0, 1.0)   # share of each segment covered
    inc, ranges, f_star, errors, bound = _fit(coef, groups, np.ones(coef.shape[1]), prefs, indiff,
                                              delta, post_optimality, post_abs)
    weights = np.bincount(groups, weights=inc, minlength=m)
    bps, mvs = [], []
    for i in range(m):
        bps.append(worst[i] + (best[i] - worst[i]) * np.linspace(0.0, 1.0, seg[i] + 1))
        mvs.append(np.r_[0.0, np.cumsum(inc[groups == i])])
    u = coef @ inc
    tau, share = _summary(u, prefs, indiff, ranks)
    return UtaResult(bps, mvs, weights, ranges, u, f_star, errors, bound, inc, float(delta), tau, share,
                     directions=d.astype(int))


def additive_linear(
    values: np.ndarray,
    *,
    preferences: np.ndarray | None = None,
    indifferences: np.ndarray | None = None,
    ranking: np.ndarray | None = None,
    delta: float = DEFAULT_DELTA,
    spans: np.ndarray | None = None,
    post_optimality: float = 0.1,
    post_abs: float = 1e-6,
) -> UtaResult:
    """Implied weights of a weighted sum u(a) = values[a] @ w: UTA-STAR with one segment per criterion.

    ``values`` (N, M) are benefit-form normalised scores (larger is better). A strict preference
    needs a margin delta * (spans @ w); ``spans`` default to each column's observed range, so that
    min-max normalised values give exactly UTA-STAR with alpha_i = 1. Breakpoints and marginal values
    are the column's range and [0, w_i * span_i].
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2 or v.shape[0] < 2 or v.shape[1] < 1 or not np.all(np.isfinite(v)):
        raise ValueError("values must be a finite (N, M) array with N >= 2")
    n, m = v.shape
    _check_delta(delta, post_optimality, post_abs)
    sp = v.max(axis=0) - v.min(axis=0) if spans is None else np.asarray(spans, dtype=float)
    if sp.shape != (m,) or not np.all(np.isfinite(sp)):
        raise ValueError(f"spans must be {m} finite numbers")
    flat = np.flatnonzero(sp <= 0)
    if flat.size:
        raise ValueError(f"values column {int(flat[0])} is constant: its weight cannot be learned (leave it out)")
    prefs, indiff, ranks = _statements(n, preferences, indifferences, ranking)
    coef = v - v.min(axis=0)
    w, ranges, f_star, errors, bound = _fit(coef, np.arange(m), sp, prefs, indiff, delta, post_optimality, post_abs)
    lo = v.min(axis=0)
    bps = [np.array([lo[i], lo[i] + sp[i]]) for i in range(m)]
    mvs = [np.array([0.0, w[i] * sp[i]]) for i in range(m)]
    u = v @ w
    tau, share = _summary(u, prefs, indiff, ranks)
    return UtaResult(bps, mvs, w.copy(), ranges, u, f_star, errors, bound, w, float(delta), tau, share,
                     linear=True, directions=np.ones(m, dtype=int))
