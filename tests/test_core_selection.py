"""Bid plan MILP (mcda_qualify.core.selection): exact against exhaustive enumeration of all subsets."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda_qualify.core.selection import InfeasiblePlan, frontier, optimal_plan, what_it_takes
from mcda_qualify.core.selection_robust import robust_plan


# ---------------------------------------------------------------------------------------------
# an independent brute force: every subset, every constraint checked by its meaning
# ---------------------------------------------------------------------------------------------

def _ok(x: np.ndarray, inst: dict, skip: tuple = ()) -> bool:
    n = x.size
    for c, (u, lim) in enumerate(inst["capacities"]):
        if ("capacity", c) not in skip and u @ x > lim + 1e-9:
            return False
    for i in inst["must"]:
        if ("must", i) not in skip and not x[i]:
            return False
    for i in inst["never"]:
        if ("never", i) not in skip and x[i]:
            return False
    for i in range(n):
        if not inst["eligible"][i] and ("ineligible", i) not in skip and x[i]:
            return False
    for g, (lab, k, exact) in enumerate(inst["groups"]):
        for v in set(lab[lab >= 0].tolist()):
            if ("group", g, v) in skip:
                continue
            cnt = int(x[lab == v].sum())
            if cnt > k or (exact and cnt != k):
                return False
    for a, b in inst["requires"]:
        if ("requires", a, b) not in skip and x[a] and not x[b]:
            return False
    cnt = int(x.sum())
    if inst["min_count"] is not None and ("min_count",) not in skip and cnt < inst["min_count"]:
        return False
    if inst["max_count"] is not None and ("max_count",) not in skip and cnt > inst["max_count"]:
        return False
    return True


def _brute(values: np.ndarray, inst: dict, force: int | None = None) -> float:
    best = -np.inf
    for bits in itertools.product((0, 1), repeat=values.size):
        x = np.array(bits, dtype=bool)
        if (force is None or x[force]) and _ok(x, inst):
            best = max(best, float(values[x].sum()))
    return best


def _args(inst: dict) -> dict:
    return {k: inst[k] for k in ("eligible", "capacities", "must", "never", "groups", "requires", "min_count", "max_count")}


@st.composite
def instances(draw, max_n: int = 12):
    n = draw(st.integers(1, max_n))
    vals = np.array(draw(st.lists(st.integers(-300, 1000), min_size=n, max_size=n)), dtype=float) / 1000
    ncap = draw(st.integers(0, 2))
    caps = [(np.array(draw(st.lists(st.integers(0, 20), min_size=n, max_size=n)), dtype=float),
             float(draw(st.integers(0, 80)))) for _ in range(ncap)]
    idx = st.integers(0, n - 1)
    groups = [(np.array(draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))), draw(st.integers(0, 2)),
               draw(st.booleans())) for _ in range(draw(st.integers(0, 2)))]
    lo = draw(st.none() | st.integers(0, 4))
    hi = draw(st.none() | st.integers(0, n))
    inst = {
        "eligible": np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))) | draw(st.booleans()),
        "capacities": caps,
        "must": sorted(set(draw(st.lists(idx, max_size=2)))),
        "never": sorted(set(draw(st.lists(idx, max_size=2)))),
        "groups": groups,
        "requires": [tuple(p) for p in draw(st.lists(st.tuples(idx, idx), max_size=3)) if p[0] != p[1]],
        "min_count": lo,
        "max_count": hi,
    }
    return vals, inst


def _skip_key(c) -> tuple:
    return (c.kind, *c.ref)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_plan_equals_exhaustive_enumeration(case):
    vals, inst = case
    best = _brute(vals, inst)
    if best == -np.inf:
        with pytest.raises(InfeasiblePlan) as err:
            optimal_plan(vals, **_args(inst))
        conflict = [_skip_key(c) for c in err.value.conflict]
        assert conflict, "an infeasible problem names at least one constraint"
        # the named set alone is infeasible, and dropping any one of it makes it feasible (irreducible)
        every = _all_keys(inst, vals.size)
        rest = tuple(k for k in every if k not in conflict)
        assert not any(_ok(np.array(b, bool), inst, rest) for b in itertools.product((0, 1), repeat=vals.size))
        for drop in conflict:
            assert any(_ok(np.array(b, bool), inst, rest + (drop,)) for b in itertools.product((0, 1), repeat=vals.size))
        return
    sol = optimal_plan(vals, **_args(inst))
    assert _ok(sol.selected, inst)
    assert sol.total == pytest.approx(best, abs=1e-6)
    assert sol.total == pytest.approx(vals[sol.selected].sum())
    for c, (u, _) in enumerate(inst["capacities"]):
        assert sol.used[c] == pytest.approx(u @ sol.selected)


def _all_keys(inst: dict, n: int) -> list[tuple]:
    keys = [("capacity", c) for c in range(len(inst["capacities"]))]
    keys += [("must", i) for i in inst["must"]] + [("never", i) for i in inst["never"]]
    keys += [("ineligible", i) for i in range(n) if not inst["eligible"][i]]
    keys += [("group", g, v) for g, (lab, _, _) in enumerate(inst["groups"]) for v in set(lab[lab >= 0].tolist())]
    keys += [("requires", a, b) for a, b in inst["requires"]]
    return keys + [("min_count",), ("max_count",)]


def test_nonpositive_values_only_when_forced():
    v = np.array([0.5, 0.0, -0.2, 0.3])
    assert optimal_plan(v).selected.tolist() == [True, False, False, True]
    # two more are needed: the zero-valued one comes before the negative one
    assert optimal_plan(v, min_count=3).selected.tolist() == [True, True, False, True]
    assert optimal_plan(v, must=[2]).selected.tolist() == [True, False, True, True]


def test_conflict_names_must_and_capacity():
    v = np.array([1.0, 1.0, 1.0])
    u = np.array([5.0, 5.0, 1.0])
    with pytest.raises(InfeasiblePlan) as err:
        optimal_plan(v, capacities=[(u, 8.0)], must=[0, 1], never=[2])
    assert {(c.kind, c.ref) for c in err.value.conflict} == {("capacity", (0,)), ("must", (0,)), ("must", (1,))}
    assert isinstance(err.value, ValueError)


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="capacities\\[0\\] limit"):
        optimal_plan(np.ones(2), capacities=[(np.ones(2), -1.0)])
    with pytest.raises(ValueError, match="must"):
        optimal_plan(np.ones(2), must=[5])
    with pytest.raises(ValueError, match="groups\\[0\\] labels"):
        optimal_plan(np.ones(2), groups=[(np.array([0.5, 1.0]), 1, False)])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=9))
def test_frontier_non_decreasing_and_optimal_at_each_level(case):
    vals, inst = case
    if not inst["capacities"]:
        inst["capacities"] = [(np.arange(vals.size, dtype=float) + 1, 5.0)]
    try:
        fr = frontier(vals, **_args(inst), capacity_index=0, levels=6)
    except InfeasiblePlan:
        return
    t = fr.totals[fr.feasible]
    assert np.all(np.diff(t) >= -1e-12)
    u0 = inst["capacities"][0][0]
    for level, total, sel, ok in zip(fr.levels, fr.totals, fr.selected, fr.feasible):
        at = dict(inst, capacities=[(u0, level)] + inst["capacities"][1:])
        best = _brute(vals, at)
        if not ok:
            assert best == -np.inf
            continue
        assert total == pytest.approx(best, abs=1e-6)
        assert _ok(sel, at)
        up = dict(inst, capacities=[(u0, level + 1)] + inst["capacities"][1:])
    assert fr.next_unit[-1] == pytest.approx(_brute(vals, up) - fr.totals[-1], abs=1e-6) if fr.feasible[-1] else True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=9), st.integers(0, 2**31 - 1))
def test_robust_plan_each_sample_exactly_optimal(case, seed):
    vals, inst = case
    if _brute(vals, inst) == -np.inf:
        return
    rng = np.random.default_rng(seed)
    samples = vals + rng.normal(0, 0.2, (6, vals.size))
    res = robust_plan(samples, **_args(inst), max_enumerate=3)   # small, so the branch and bound runs
    for k in range(samples.shape[0]):
        assert _ok(res.selected[k], inst)
        assert res.totals[k] == pytest.approx(_brute(samples[k], inst), abs=1e-6)
    assert np.allclose(res.acceptability, res.selected.mean(axis=0))
    assert np.array_equal(res.core | res.borderline | res.exterior, np.ones(vals.size, bool))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=8), st.integers(0, 7))
def test_what_it_takes(case, item):
    vals, inst = case
    item = item % vals.size
    opt = _brute(vals, inst)
    if opt == -np.inf:
        return
    w = what_it_takes(vals, **_args(inst), item=item)
    with_i = _brute(vals, inst, force=item)
    if w.in_plan:
        assert with_i == pytest.approx(opt, abs=1e-6)
        return
    if with_i == -np.inf:
        assert w.value_increase == np.inf
    else:
        assert w.value_increase == pytest.approx(opt - with_i, abs=1e-6)
        raised = vals.copy()
        raised[item] += w.value_increase
        assert _brute(raised, inst, force=item) == pytest.approx(_brute(raised, inst), abs=1e-6)
    for c, d in enumerate(w.capacity_increase):
        u, lim = inst["capacities"][c]
        at = lambda L: dict(inst, capacities=[(uu, L if cc == c else ll) for cc, (uu, ll) in enumerate(inst["capacities"])])
        if np.isnan(d):   # no increase of this capacity alone brings it in: check the widest
            big = at(lim + u.sum() + 1)
            assert _brute(vals, big, force=item) < _brute(vals, big) - 1e-9
            continue
        assert d >= 0
        assert _brute(vals, at(lim + d), force=item) == pytest.approx(_brute(vals, at(lim + d)), abs=1e-6)
        if d > 0.5:   # usages are integers: half a unit less is not enough
            assert _brute(vals, at(lim + d - 0.5), force=item) < _brute(vals, at(lim + d - 0.5)) - 1e-9


def test_robust_plan_50_items_exact_against_single_plans():
    rng = np.random.default_rng(3)
    n, k = 50, 12
    usage = rng.integers(30, 300, n).astype(float)
    base = rng.uniform(0.2, 0.8, n)
    samples = base + rng.normal(0, 0.03, (k, n))
    res = robust_plan(samples, capacities=[(usage, 0.3 * usage.sum())], max_count=20)
    for s in range(k):
        ref = optimal_plan(samples[s], capacities=[(usage, 0.3 * usage.sum())], max_count=20)
        assert res.totals[s] == pytest.approx(ref.total, abs=1e-9)
