"""Robust bid plan: the optimal plan of every sampled value vector, and each opportunity's plan
acceptability (the share of samples whose optimal plan contains it).

In the spirit of Liesio, Mild & Salo (2007), Preference programming for robust portfolio modeling and
project selection, European Journal of Operational Research 181(3), 1488-1505: their core projects are
in every non-dominated portfolio over the whole set of feasible weights, exterior projects in none,
borderline projects in some. Here the weight set is *sampled* (an SMAA weight model), so:

* exact: each sample's plan is exactly optimal for that sample's values (a certified solution of the
  0-1 program, not a heuristic);
* sampled: the acceptability a_i = (1/K) sum_k x_ki estimates the probability, under the weight model,
  that i is in the optimal plan; core = {a_i = 1}, borderline = {0 < a_i < 1}, exterior = {a_i = 0}
  are the *sampled* classes. A sampled core may hold an opportunity that some unsampled weights would
  drop; Liesio et al.'s core is over every feasible weight and is not computed here.

Speed without a solver call per sample: per sample k, an upper bound UB_k(x_i = b) of every plan with
item i fixed to b is the smallest of Dantzig's fractional knapsack bounds over the capacities (Dantzig
(1957), Discrete-variable extremum problems, Operations Research 5(2), 266-288) and the count bound;
a lower bound LB_k is the best value of a pool of feasible plans. If UB_k(x_i = b) < LB_k, every optimal
plan of sample k has x_i = 1 - b (reduced-cost style variable fixing; Nemhauser & Wolsey (1988),
Integer and Combinatorial Optimization, Wiley, II.4). Samples with the same fixed pattern share one
enumeration of the feasible completions of their free items (when there are at most ``max_enumerate``
of them), scored for all those samples by one matrix product; the rest go to HiGHS with their fixings
as variable bounds, and each plan found joins the pool.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .selection import Problem, _solve, make_problem, solve_problem

__all__ = ["RobustPlan", "robust_plan"]


@dataclass(frozen=True)
class RobustPlan:
    """``selected`` (K, N): each sample's optimal plan; ``totals`` (K,); ``acceptability`` (N,);
    ``core`` / ``borderline`` / ``exterior`` (N,) bool; ``solver_calls``: HiGHS solves used;
    ``enumerated``: samples solved by enumeration of their free items."""

    selected: np.ndarray
    totals: np.ndarray
    acceptability: np.ndarray
    core: np.ndarray
    borderline: np.ndarray
    exterior: np.ndarray
    solver_calls: int
    enumerated: int


def _objective_rows(v: np.ndarray) -> np.ndarray:
    """The solver objective of :func:`selection._objective`, row by row."""
    tie = 1e-9 * np.maximum(1.0, np.abs(v).max(axis=1, keepdims=True))
    return np.where(v > 0, v, v - tie)


def _dantzig(vs: np.ndarray, us: np.ndarray, cv: np.ndarray, cu: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Fractional knapsack optimum per row (Dantzig 1957): max sum v_j y_j s.t. sum u_j y_j <= room,
    0 <= y <= 1, from values vs >= 0 and usages us >= 0 (Q, n) already in decreasing v/u order, and their
    running sums cv, cu. Items are taken whole while they fit, then a fraction of the next. -inf where
    room < 0."""
    q, n = vs.shape
    t = (cu <= room[:, None] + 1e-12).sum(axis=1)               # items taken whole
    rows = np.arange(q)
    last = np.maximum(t - 1, 0)
    taken = np.where(t > 0, cv[rows, last], 0.0)
    used = np.where(t > 0, cu[rows, last], 0.0)
    nxt = np.minimum(t, n - 1)
    un = us[rows, nxt]
    frac = np.where((t < n) & (un > 0), np.clip((room - used) / np.where(un > 0, un, 1.0), 0.0, 1.0) * vs[rows, nxt], 0.0)
    return np.where(room < 0, -np.inf, taken + frac)


def _upper_bounds(p: Problem, c: np.ndarray, fixed_in: np.ndarray, out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UB(x_i = 1) and UB(x_i = 0), each (Q, N), of rows c (Q, N) with per-row fixings (Q, N):
    Dantzig bounds per capacity and on their surrogate sum_c u_c / L_c <= C (Glover (1975), Surrogate
    constraint duality in mathematical programming, Operations Research 23(3), 434-451), and the count
    bound; groups and requirements are ignored (a relaxation).
    Each capacity sorts once; leaving item i out subtracts it from the running sums after its place."""
    q, n = c.shape
    free = ~fixed_in & ~out
    base = np.where(fixed_in, c, 0.0).sum(axis=1)
    pos = np.where(free, np.maximum(c, 0.0), 0.0)               # only a positive value can raise a bound
    total = pos.sum(axis=1)
    rows, cols = np.arange(q), np.arange(n)
    add = np.where(free, c, 0.0)
    ub1 = base[:, None] + add + (total[:, None] - pos)
    ub0 = base[:, None] + (total[:, None] - pos)
    caps = list(zip(p.usage, p.limits))
    if len(caps) > 1 and np.all(p.limits > 0):  # surrogate constraint sum_c u_c / L_c <= C (Glover 1975)
        caps.append(((p.usage / p.limits[:, None]).sum(axis=0), float(len(caps))))
    for u, lim in caps:
        room = lim - np.where(fixed_in, u, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(u > 0, pos / u, np.where(pos > 0, np.inf, 0.0))
        order = np.argsort(-ratio, axis=1, kind="stable")
        place = np.argsort(order, axis=1)
        vs = np.take_along_axis(pos, order, axis=1)
        us = np.where(np.take_along_axis(free, order, axis=1), u[order], 0.0)
        cv, cu = np.cumsum(vs, axis=1), np.cumsum(us, axis=1)
        for i in range(n):
            pi = place[:, i]
            after = cols >= pi[:, None]
            vi, ui = vs[rows, pi], us[rows, pi]
            vs_i, us_i = vs.copy(), us.copy()
            vs_i[rows, pi] = 0.0
            us_i[rows, pi] = 0.0
            cv_i, cu_i = cv - after * vi[:, None], cu - after * ui[:, None]
            fi = free[:, i]
            ub1[:, i] = np.minimum(ub1[:, i], base + add[:, i] + _dantzig(vs_i, us_i, cv_i, cu_i, room - np.where(fi, u[i], 0.0)))
            ub0[:, i] = np.minimum(ub0[:, i], base + _dantzig(vs_i, us_i, cv_i, cu_i, room))
    if p.max_count < n:                                           # the count_room best positive values
        count_room = p.max_count - fixed_in.sum(axis=1)
        srt = -np.sort(-pos, axis=1)
        cs = np.concatenate([np.zeros((q, 1)), np.cumsum(srt, axis=1)], axis=1)
        for i in range(n):
            fi = free[:, i]
            # the best r values without item i: the r best, or r + 1 best minus v_i when i is among them
            def top(r: np.ndarray) -> np.ndarray:
                rr = np.clip(r, 0, n)
                with_i = np.take_along_axis(cs, np.clip(rr + 1, 0, n)[:, None], 1)[:, 0] - pos[:, i]
                plain = np.take_along_axis(cs, rr[:, None], 1)[:, 0]
                kth = np.take_along_axis(srt, np.clip(rr - 1, 0, n - 1)[:, None], 1)[:, 0]
                return np.where((rr > 0) & (pos[:, i] >= kth) & (pos[:, i] > 0), np.maximum(with_i, plain - pos[:, i]), plain)
            r1 = count_room - fi
            ub1[:, i] = np.minimum(ub1[:, i], np.where(r1 >= 0, base + add[:, i] + top(r1), -np.inf))
            ub0[:, i] = np.minimum(ub0[:, i], np.where(count_room >= 0, base + top(count_room), -np.inf))
    ub1[out] = -np.inf
    ub0[fixed_in] = -np.inf
    return ub1, ub0


def _system(p: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every constraint row stacked: A (R, N), lower (R,), upper (R,)."""
    rows = p.rows()
    if not rows:
        return np.zeros((0, p.n)), np.zeros(0), np.zeros(0)
    return (np.vstack([r[1] for r in rows]), np.concatenate([np.ravel(r[2]) for r in rows]),
            np.concatenate([np.ravel(r[3]) for r in rows]))


def _feasible(system: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray) -> np.ndarray:
    """Which rows of x (S, N) satisfy every constraint of ``system``."""
    a, lo, hi = system
    ax = x.astype(float) @ a.T
    return np.all((ax >= lo - 1e-7) & (ax <= hi + 1e-7), axis=1)


def _enumerate(p: Problem, system: tuple, pat: np.ndarray, c: np.ndarray, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """Best feasible completion of a fixed pattern (1 in, 0 out, -1 free) for each row of c (k, N):
    (values (k,), plans (k, N)); value -inf where no completion is feasible."""
    free = np.flatnonzero(pat < 0)
    bits = ((np.arange(1 << free.size)[:, None] >> np.arange(free.size)) & 1).astype(bool)
    x = np.broadcast_to(pat == 1, (bits.shape[0], p.n)).copy()
    x[:, free] = bits
    x = x[_feasible(system, x)]
    val = np.full(c.shape[0], -np.inf)
    plan = np.zeros((c.shape[0], p.n), bool)
    if x.shape[0]:
        xf = x.astype(float)
        for s in range(0, c.shape[0], chunk):
            sc = c[s:s + chunk] @ xf.T
            best = np.argmax(sc, axis=1)
            val[s:s + chunk] = sc[np.arange(best.size), best]
            plan[s:s + chunk] = x[best]
    return val, plan


def robust_plan(values_samples: np.ndarray, eligible: np.ndarray | None = None,
                capacities: Sequence[tuple[np.ndarray, float]] = (), must: Sequence[int] = (),
                never: Sequence[int] = (), groups: Sequence[tuple[np.ndarray, int, bool]] = (),
                requires: Sequence[tuple[int, int]] = (), min_count: int | None = None,
                max_count: int | None = None, *, max_enumerate: int = 10, max_nodes: int = 256, chunk: int = 256) -> RobustPlan:
    """Exactly optimal plan of each row of ``values_samples`` (K, N) and the plan acceptability.

    Constraints as in :func:`mcda_qualify.core.selection.optimal_plan`; infeasible constraints raise
    :class:`~mcda_qualify.core.selection.InfeasiblePlan` (they do not depend on the values).
    """
    vs = np.asarray(values_samples, dtype=float)
    if vs.ndim != 2 or vs.shape[0] == 0 or not np.all(np.isfinite(vs)):
        raise ValueError("values_samples must be a non-empty array (K, N) of finite numbers")
    p = make_problem(vs.mean(axis=0), eligible, capacities, must, never, groups, requires, min_count, max_count)
    if vs.shape[1] != p.n:
        raise ValueError("values_samples must have one column per item")
    uniq, inverse = np.unique(vs, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    c = _objective_rows(uniq)
    first = solve_problem(p.with_values(uniq.mean(axis=0)))       # raises InfeasiblePlan when it must
    calls = 1
    # incumbents: the best plan of a pool of feasible plans; nodes: (sample, fixing pattern)
    pool = first.selected[None].astype(float)
    inc = c @ pool[0]
    plans = np.broadcast_to(first.selected, c.shape).copy()
    eps = 1e-9 * np.maximum(1.0, np.abs(c).sum(axis=1))
    root = np.full(c.shape, -1, np.int8)
    root[:, p.must] = 1
    root[:, ~p.eligible] = 0
    root[:, p.never] = 0
    node_k, node_s = np.arange(c.shape[0]), root
    rows = p.rows()
    system = _system(p)
    opened = np.zeros(c.shape[0], int)
    by_enum = np.ones(c.shape[0], bool)
    while node_k.size:
        cq = c[node_k]
        fin, out = node_s == 1, node_s == 0
        ub1, ub0 = _upper_bounds(p, cq, fin, out)
        lb = inc[node_k] - eps[node_k]
        free = node_s < 0
        node_ub = np.where(free, np.maximum(ub1, ub0), np.inf).min(axis=1)
        node_ub = np.where(free.any(axis=1), node_ub, np.max(np.maximum(ub1, ub0), axis=1))
        alive = node_ub >= lb
        node_s = np.where(free & (ub1 < lb[:, None]), 0, node_s)
        node_s = np.where((node_s < 0) & (ub0 < lb[:, None]), 1, node_s).astype(np.int8)
        node_k, node_s, cq, ub1, ub0 = node_k[alive], node_s[alive], cq[alive], ub1[alive], ub0[alive]
        nfree = (node_s < 0).sum(axis=1)
        leaf = nfree <= max_enumerate
        if leaf.any():
            pats, which = np.unique(node_s[leaf], axis=0, return_inverse=True)
            lk = node_k[leaf]
            cql = cq[leaf]
            which = which.ravel()
            for q, pat in enumerate(pats):
                m = np.flatnonzero(which == q)
                val, plan = _enumerate(p, system, pat, cql[m], chunk)
                better = val > inc[lk[m]]
                if better.any():
                    # several nodes of one sample may improve it in this loop: keep the best
                    for j in np.flatnonzero(better):
                        if val[j] > inc[lk[m[j]]]:
                            inc[lk[m[j]]], plans[lk[m[j]]] = val[j], plan[j]
        node_k, node_s, ub1, ub0 = node_k[~leaf], node_s[~leaf], ub1[~leaf], ub0[~leaf]
        if not node_k.size:
            break
        # share plans between samples: any plan found is feasible for every sample
        pool = np.unique(np.vstack([pool, plans.astype(float)]), axis=0)
        sc = c @ pool.T
        best = np.argmax(sc, axis=1)
        gain = sc[np.arange(c.shape[0]), best] > inc
        inc[gain], plans[gain] = sc[gain, best[gain]], pool[best[gain]].astype(bool)
        # samples with too many open nodes go to HiGHS instead
        opened += np.bincount(node_k, minlength=c.shape[0])
        heavy = np.flatnonzero(opened > max_nodes)
        if heavy.size:
            for k in heavy:
                x_k = _solve(c[k], rows, p.n, lower=(root[k] == 1).astype(float), upper=(root[k] != 0).astype(float))
                calls += 1
                plans[k], inc[k] = x_k, float(c[k] @ x_k)
            by_enum[heavy] = False
            opened[heavy] = -np.iinfo(int).max  # never again
            keep = ~np.isin(node_k, heavy)
            node_k, node_s, ub1, ub0 = node_k[keep], node_s[keep], ub1[keep], ub0[keep]
        # branch on the free item hardest to fix: the largest min(UB(x_i = 1), UB(x_i = 0))
        score = np.where(node_s < 0, np.minimum(ub1, ub0), -np.inf)
        br = np.argmax(score, axis=1)
        one, zero = node_s.copy(), node_s.copy()
        one[np.arange(br.size), br] = 1
        zero[np.arange(br.size), br] = 0
        node_k = np.concatenate([node_k, node_k])
        node_s = np.concatenate([one, zero])
    sel = plans[inverse]
    acc = sel.mean(axis=0)
    return RobustPlan(sel, (vs * sel).sum(axis=1), acc, acc == 1.0, (acc > 0) & (acc < 1), acc == 0.0,
                      calls, int(by_enum[inverse].sum()))
