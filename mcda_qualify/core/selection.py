"""Bid plan: the best subset of opportunities under capacities and side constraints (a 0-1 MILP).

Numeric core: arrays in, arrays out; numpy and scipy only. The model, for N opportunities with
objective values v (N,) and decision x in {0, 1}^N:

    maximise  sum_i v_i x_i
    s.t.      sum_i u_ci x_i <= L_c              for every capacity c (usage u_c >= 0, limit L_c >= 0)
              x_i = 1 (must), x_i = 0 (never, and every ineligible opportunity)
              sum_{i: g_i = l} x_i <= k  (or = k)  for every label l >= 0 of a group column g
              x_a <= x_b                         for every requirement "a only with b"
              min_count <= sum_i x_i <= max_count

It is solved exactly by ``scipy.optimize.milp`` (HiGHS; Huangfu & Hall (2018), Parallelizing the dual
revised simplex method, Mathematical Programming Computation 10(1), 119-142) with a relative gap of 0.
An opportunity whose objective value is <= 0 is never worth selecting: it is selected only when a
constraint forces it (must, min_count, an exact group count, a requirement of a selected one). To make
that hold among ties, each value <= 0 is lowered by ``TIE = 1e-9 * max(1, max |v|)`` in the solver's
objective; reported totals use the values as given. Group labels < 0 belong to no group.

Infeasible constraints raise :class:`InfeasiblePlan`, naming an irreducible conflicting set found by
deletion filtering (Chinneck & Dravnieks (1991), Locating minimal infeasible constraint sets in linear
programs, ORSA Journal on Computing 3(2), 157-168): drop each constraint in turn and keep it out while
the rest stays infeasible; what remains is infeasible and every proper subset of it is feasible.
"""
from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["Constraint", "InfeasiblePlan", "Problem", "PlanSolution", "make_problem", "optimal_plan", "solve_problem",
           "Frontier", "frontier", "WhatItTakes", "what_it_takes", "TIE"]

TIE = 1e-9
#: feasibility tolerance on the constraint rows (usages are typically integers)
FEAS_TOL = 1e-7
_QUIET = threading.Lock()


@dataclass(frozen=True)
class Constraint:
    """One named constraint of the model. ``kind``: capacity, must, never, ineligible, group, requires,
    min_count, max_count; ``ref``: its indices (capacity index; item; (group spec, label); (a, b); ())."""

    kind: str
    ref: tuple
    text: str


class InfeasiblePlan(ValueError):
    """No subset satisfies the constraints; ``conflict`` is an irreducible infeasible set of them."""

    def __init__(self, conflict: Sequence[Constraint]) -> None:
        self.conflict = list(conflict)
        super().__init__("no plan satisfies these constraints together: " + "; ".join(c.text for c in self.conflict))


@dataclass(frozen=True)
class Problem:
    """Validated arrays of one plan problem (see :func:`make_problem`)."""

    values: np.ndarray          # (N,)
    eligible: np.ndarray        # (N,) bool
    usage: np.ndarray           # (C, N)
    limits: np.ndarray          # (C,)
    must: np.ndarray            # item indices
    never: np.ndarray
    groups: tuple               # ((labels (N,) int, k, exact), ...)
    requires: np.ndarray        # (R, 2)
    min_count: int
    max_count: int

    @property
    def n(self) -> int:
        return self.values.size

    def with_limit(self, c: int, limit: float) -> "Problem":
        lim = self.limits.copy()
        lim[c] = limit
        return _replace(self, limits=lim)

    def with_values(self, values: np.ndarray) -> "Problem":
        return _replace(self, values=np.asarray(values, dtype=float))

    def with_must(self, i: int) -> "Problem":
        return _replace(self, must=np.union1d(self.must, [i]).astype(int))

    def rows(self, drop_capacity: int | None = None) -> list[tuple[Constraint, np.ndarray, np.ndarray, np.ndarray]]:
        """Every constraint as (Constraint, A (r, N), lower (r,), upper (r,))."""
        n = self.n
        out = []
        unit = np.eye(n)
        for c, (u, lim) in enumerate(zip(self.usage, self.limits)):
            if c != drop_capacity:
                out.append((Constraint("capacity", (c,), f"capacity {c} <= {lim:g}"), u[None], [-np.inf], [lim]))
        for i in self.must:
            out.append((Constraint("must", (int(i),), f"must {i}"), unit[i][None], [1.0], [np.inf]))
        for i in self.never:
            out.append((Constraint("never", (int(i),), f"never {i}"), unit[i][None], [-np.inf], [0.0]))
        for i in np.flatnonzero(~self.eligible):
            out.append((Constraint("ineligible", (int(i),), f"{i} is ineligible"), unit[i][None], [-np.inf], [0.0]))
        for g, (labels, k, exact) in enumerate(self.groups):
            for lab in np.unique(labels[labels >= 0]):
                word = "exactly" if exact else "at most"
                row = (labels == lab).astype(float)[None]
                out.append((Constraint("group", (g, int(lab)), f"group {g} label {lab}: {word} {k}"), row,
                            [float(k) if exact else -np.inf], [float(k)]))
        for a, b in self.requires:
            row = np.zeros((1, n))
            row[0, a], row[0, b] = 1.0, -1.0
            out.append((Constraint("requires", (int(a), int(b)), f"{a} only with {b}"), row, [-np.inf], [0.0]))
        if self.min_count > 0:
            out.append((Constraint("min_count", (), f"at least {self.min_count}"), np.ones((1, n)), [float(self.min_count)], [np.inf]))
        if self.max_count < n:
            out.append((Constraint("max_count", (), f"at most {self.max_count}"), np.ones((1, n)), [-np.inf], [float(self.max_count)]))
        return out


def _replace(p: Problem, **kw) -> Problem:
    d = {k: getattr(p, k) for k in Problem.__dataclass_fields__}
    d.update(kw)
    return Problem(**d)


def _index_array(idx: Sequence[int] | np.ndarray, n: int, name: str) -> np.ndarray:
    a = np.asarray(idx if idx is not None else [], dtype=float).ravel()
    if a.size and (np.any(a != np.round(a)) or a.min() < 0 or a.max() >= n):
        raise ValueError(f"{name} must hold item indices in 0..{n - 1}")
    return np.unique(a.astype(int))


def make_problem(values: np.ndarray, eligible: np.ndarray | None = None,
                 capacities: Sequence[tuple[np.ndarray, float]] = (), must: Sequence[int] = (),
                 never: Sequence[int] = (), groups: Sequence[tuple[np.ndarray, int, bool]] = (),
                 requires: Sequence[tuple[int, int]] = (), min_count: int | None = None,
                 max_count: int | None = None) -> Problem:
    """Check the arguments of :func:`optimal_plan` and pack them; ValueError names the bad argument."""
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
        raise ValueError("values must be a non-empty 1-D array of finite numbers")
    n = v.size
    e = np.ones(n, bool) if eligible is None else np.asarray(eligible, dtype=bool)
    if e.shape != (n,):
        raise ValueError(f"eligible must have shape ({n},)")
    usage, limits = [], []
    for c, (u, lim) in enumerate(capacities):
        u = np.asarray(u, dtype=float)
        if u.shape != (n,) or not np.all(np.isfinite(u)) or np.any(u < 0):
            raise ValueError(f"capacities[{c}] usage must be {n} finite numbers >= 0")
        if not (np.isfinite(lim) and lim >= 0):
            raise ValueError(f"capacities[{c}] limit must be a finite number >= 0 (got {lim!r})")
        usage.append(u)
        limits.append(float(lim))
    gs = []
    for g, (labels, k, exact) in enumerate(groups):
        lab = np.asarray(labels)
        if lab.shape != (n,) or not np.issubdtype(lab.dtype, np.integer):
            raise ValueError(f"groups[{g}] labels must be {n} integers (< 0: in no group)")
        if int(k) != k or k < 0:
            raise ValueError(f"groups[{g}] k must be an integer >= 0")
        gs.append((lab.astype(int), int(k), bool(exact)))
    req = np.asarray(list(requires), dtype=float).reshape(-1, 2)
    if req.size and (np.any(req != np.round(req)) or req.min() < 0 or req.max() >= n):
        raise ValueError(f"requires must hold pairs of item indices in 0..{n - 1}")
    lo = 0 if min_count is None else min_count
    hi = n if max_count is None else max_count
    if int(lo) != lo or int(hi) != hi or lo < 0 or hi < 0:
        raise ValueError("min_count and max_count must be integers >= 0")
    return Problem(v, e, np.array(usage).reshape(len(usage), n), np.array(limits, dtype=float),
                   _index_array(must, n, "must"), _index_array(never, n, "never"), tuple(gs),
                   req.astype(int), int(lo), int(min(hi, n)))


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence HiGHS' stray debug lines on the C-level stdout (scipy 1.17's HiGHS prints some), so
    that a caller writing JSON to stdout stays valid. Serialised by a lock: it swaps file descriptor 1."""
    with _QUIET:
        try:
            sys.stdout.flush()
            fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
            saved = os.dup(fd)
        except (OSError, ValueError, AttributeError):
            yield
            return
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), fd)
                yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def _objective(v: np.ndarray) -> np.ndarray:
    tie = TIE * max(1.0, float(np.max(np.abs(v))) if v.size else 1.0)
    return np.where(v > 0, v, v - tie)


def _solve(c: np.ndarray, rows: list, n: int, lower: np.ndarray | None = None,
           upper: np.ndarray | None = None, maximise: bool = True) -> np.ndarray | None:
    """x maximising (or minimising) c @ x over the rows, or None when infeasible."""
    cons = [LinearConstraint(np.vstack([r[1] for r in rows]), np.concatenate([np.ravel(r[2]) for r in rows]),
                             np.concatenate([np.ravel(r[3]) for r in rows]))] if rows else []
    lb = np.zeros(n) if lower is None else lower
    ub = np.ones(n) if upper is None else upper
    with _quiet():
        res = milp(-c if maximise else c, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons,
                   options={"mip_rel_gap": 0.0, "presolve": True})
    if res.status == 2:
        return None
    if res.status != 0 or res.x is None:
        raise RuntimeError(f"HiGHS did not solve the plan: {res.message}")
    return np.round(res.x).astype(bool)


def _conflict(rows: list, n: int) -> list[Constraint]:
    """Deletion filter (Chinneck & Dravnieks 1991): an irreducible infeasible subset of ``rows``."""
    keep = list(rows)
    k = 0
    while k < len(keep):
        trial = keep[:k] + keep[k + 1:]
        if _solve(np.zeros(n), trial, n) is None:
            keep = trial
        else:
            k += 1
    return [r[0] for r in keep]


@dataclass(frozen=True)
class PlanSolution:
    """An optimal plan: ``selected`` (N,) bool, ``total`` = sum of the selected values, ``used`` (C,)."""

    selected: np.ndarray
    total: float
    used: np.ndarray
    status: str = "optimal"


def _solution(p: Problem, x: np.ndarray) -> PlanSolution:
    return PlanSolution(x, float(p.values[x].sum()), p.usage @ x.astype(float))


def solve_problem(p: Problem, *, drop_capacity: int | None = None) -> PlanSolution:
    """Optimal plan of a packed :class:`Problem`; raises :class:`InfeasiblePlan` with a conflict."""
    rows = p.rows(drop_capacity)
    x = _solve(_objective(p.values), rows, p.n)
    if x is None:
        raise InfeasiblePlan(_conflict(rows, p.n))
    return _solution(p, x)


def optimal_plan(values: np.ndarray, eligible: np.ndarray | None = None,
                 capacities: Sequence[tuple[np.ndarray, float]] = (), must: Sequence[int] = (),
                 never: Sequence[int] = (), groups: Sequence[tuple[np.ndarray, int, bool]] = (),
                 requires: Sequence[tuple[int, int]] = (), min_count: int | None = None,
                 max_count: int | None = None) -> PlanSolution:
    """The subset maximising sum v_i x_i under every constraint (see the module docstring), exactly.

    ``capacities``: (usage (N,), limit) pairs; ``groups``: (labels (N,) int, k, exact) - at most k
    (exactly k when ``exact``) per label >= 0; ``requires``: (a, b) pairs, a only if b.
    """
    return solve_problem(make_problem(values, eligible, capacities, must, never, groups, requires,
                                      min_count, max_count))


# ---------------------------------------------------------------------------------------------
# efficient frontier
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frontier:
    """Best total as capacity ``capacity`` varies. ``feasible`` False where no plan exists at a level
    (total NaN, nothing selected). ``marginal``: forward difference quotient (total[l+1] - total[l]) /
    (level[l+1] - level[l]) (NaN at the last level); ``next_unit``: total(level + 1) - total(level),
    both solved exactly (no LP duals: a MILP has none that price a unit of capacity)."""

    capacity: int
    levels: np.ndarray
    totals: np.ndarray
    selected: np.ndarray
    feasible: np.ndarray
    marginal: np.ndarray
    next_unit: np.ndarray


def frontier_levels(p: Problem, c: int, levels: int) -> np.ndarray:
    """From the smallest useful level (the must-set's usage, else the least usage of an eligible item)
    to "everything" (the sum of the eligible usages), ``levels`` evenly spaced values."""
    u = p.usage[c]
    ok = p.eligible.copy()
    ok[p.never] = False
    if p.must.size:
        lo = float(u[p.must].sum())
    else:
        pos = u[ok & (u > 0)]
        lo = float(pos.min()) if pos.size else 0.0
    hi = max(float(u[ok].sum()), lo)
    return np.unique(np.linspace(lo, hi, int(levels)))


def _best_at(p: Problem, c: int, level: float) -> PlanSolution | None:
    try:
        return solve_problem(p.with_limit(c, level))
    except InfeasiblePlan:
        return None


def frontier(values: np.ndarray, eligible: np.ndarray | None = None,
             capacities: Sequence[tuple[np.ndarray, float]] = (), must: Sequence[int] = (),
             never: Sequence[int] = (), groups: Sequence[tuple[np.ndarray, int, bool]] = (),
             requires: Sequence[tuple[int, int]] = (), min_count: int | None = None,
             max_count: int | None = None, *, capacity_index: int = 0, levels: int = 20) -> Frontier:
    """Efficient frontier of capacity ``capacity_index`` (its limit is replaced by each level; the other
    constraints stay). Non-decreasing by construction: raising a limit only enlarges the feasible set,
    and a level's plan is kept at the next level when the solver's plan there is not better."""
    p = make_problem(values, eligible, capacities, must, never, groups, requires, min_count, max_count)
    c = int(capacity_index)
    if not 0 <= c < p.limits.size:
        raise ValueError(f"capacity_index must be in 0..{p.limits.size - 1}")
    if int(levels) < 2:
        raise ValueError("levels must be an integer >= 2")
    lv = frontier_levels(p, c, levels)
    tot = np.full(lv.size, np.nan)
    sel = np.zeros((lv.size, p.n), bool)
    nxt = np.full(lv.size, np.nan)
    prev: PlanSolution | None = None
    for k, level in enumerate(lv):
        s = _best_at(p, c, level)
        if prev is not None and (s is None or s.total < prev.total):
            s = prev
        if s is not None:
            tot[k], sel[k] = s.total, s.selected
            up = _best_at(p, c, level + 1.0)
            nxt[k] = max(up.total, s.total) - s.total if up is not None else 0.0
        prev = s
    marg = np.full(lv.size, np.nan)
    marg[:-1] = np.diff(tot) / np.diff(lv)
    return Frontier(c, lv, tot, sel, ~np.isnan(tot), marg, nxt)


# ---------------------------------------------------------------------------------------------
# what it takes to get into the plan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatItTakes:
    """For item ``item``: ``in_plan`` (already selected), ``value_increase`` delta = OPT - OPT(i forced in)
    (inf when no plan contains i), ``capacity_increase`` (C,): the smallest increase of each capacity alone
    after which a plan containing i is optimal (NaN when no increase of that capacity does it)."""

    item: int
    in_plan: bool
    value_increase: float
    capacity_increase: np.ndarray


def _tol(p: Problem) -> float:
    return 1e-9 * max(1.0, float(np.abs(p.values).sum()))


def _capacity_increase(p: Problem, i: int, c: int, best: float) -> float:
    """Smallest Delta >= 0 with OPT_i(L + Delta) >= OPT(L + Delta), L the limit of capacity c.

    Iterates: u = min usage_c of a plan containing i worth at least f = OPT(L) (capacity c dropped);
    no level in [L, u) lets i in (there OPT_i < f <= OPT). At L' = max(L, u), stop if OPT_i(L') >=
    OPT(L'), else repeat from L' (OPT strictly grew, so this ends)."""
    forced = p.with_must(i)
    limit, level, f = float(p.limits[c]), float(p.limits[c]), best
    rows = forced.rows(drop_capacity=c)
    for _ in range(4 * p.n + 4):
        floor = (p.values[None], [f - _tol(p)], [np.inf])
        x = _solve(p.usage[c], rows + [(None, *floor)], p.n, maximise=False)
        if x is None:
            return float("nan")
        level = max(level, float(p.usage[c] @ x))
        g = _best_at(forced, c, level)
        f_new = _best_at(p, c, level)
        if g is not None and f_new is not None and g.total >= f_new.total - _tol(p):
            return level - limit
        if f_new is None:
            return float("nan")
        f = f_new.total
    raise RuntimeError("capacity search did not converge")


def what_it_takes(values: np.ndarray, eligible: np.ndarray | None = None,
                  capacities: Sequence[tuple[np.ndarray, float]] = (), must: Sequence[int] = (),
                  never: Sequence[int] = (), groups: Sequence[tuple[np.ndarray, int, bool]] = (),
                  requires: Sequence[tuple[int, int]] = (), min_count: int | None = None,
                  max_count: int | None = None, *, item: int, capacity_search: bool = True,
                  base: PlanSolution | None = None) -> WhatItTakes:
    """What brings item i into the optimal plan.

    Value: raising v_i by delta raises every plan containing i by delta, so i enters (ties count as in)
    exactly when OPT(i forced in) + delta >= OPT, i.e. delta = OPT - OPT(i forced in), both solved with
    v_i as it is. Capacity: see :func:`_capacity_increase` (one capacity at a time, the others fixed);
    ``capacity_search=False`` leaves it NaN (it re-solves up to 4N + 4 times per capacity). ``base``: the
    optimal plan of these constraints when the caller has it (saves one solve).
    """
    p = make_problem(values, eligible, capacities, must, never, groups, requires, min_count, max_count)
    i = int(item)
    if not 0 <= i < p.n:
        raise ValueError(f"item must be in 0..{p.n - 1}")
    base = solve_problem(p) if base is None else base
    if base.selected[i]:
        return WhatItTakes(i, True, 0.0, np.zeros(p.limits.size))
    try:
        g = solve_problem(p.with_must(i)).total
        delta = max(0.0, base.total - g)
    except InfeasiblePlan:
        delta = float("inf")
    caps = (np.array([_capacity_increase(p, i, c, base.total) for c in range(p.limits.size)]) if capacity_search
            else np.full(p.limits.size, np.nan))
    return WhatItTakes(i, False, delta, caps)
