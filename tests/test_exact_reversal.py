"""Closed-form reversal points (mcda_qualify.core.exact_reversal) against independent references.

References: the former grid search with Brent's method (benchmarks/grid_reversal.py, loaded by the test
helper tests/grid_baseline.py; equal wherever its grid sees a crossing); a dense brute-force scan of C_a - C_b computed by methods.topsis (or the batched
WSM) at 20,001 sweep points (every sign change must hold a closed-form root); Triantaphyllou &
Sanchez's (1997, Decision Sciences 28(1), 151-194) Theorem 1 for the WSM, coded here on its own.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import grid_baseline
from mcda_qualify.core import methods
from mcda_qualify.core import batch, reversal
from mcda_qualify.core import exact_reversal as ex
from mcda_qualify.criteria import load_criteria
from mcda_qualify.portfolio import load_portfolio

VARIANTS = [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")]
PROPS = settings(max_examples=25, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GRID = 2001


def random_problem(seed: int, n: int, m: int, ratings: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positive matrix (uniform values, or 1..5 ratings with their ties), mixed types, weights > 0."""
    rng = np.random.default_rng(seed)
    if ratings:
        x = rng.integers(1, 6, size=(n, m)).astype(float)
        const = np.flatnonzero(x.max(axis=0) == x.min(axis=0))
        x[0, const] = np.where(x[0, const] < 5, x[0, const] + 1, 1.0)  # no degenerate column
    else:
        x = rng.uniform(1.0, 10.0, size=(n, m))
    types = np.where(rng.random(m) < 0.4, -1, 1)
    w = rng.uniform(0.05, 1.0, size=m)
    return x, types, w / w.sum()


def scores_along(method: str, norm: str, x: np.ndarray, types: np.ndarray, w: np.ndarray, j: int,
                 t: np.ndarray) -> np.ndarray:
    """Independent scores (K, N) at sweep weights t: methods.topsis, or the batched WSM."""
    wt = reversal.proportional_weights(w, j, t)
    if method == "topsis":
        return methods.topsis(x, wt, types, norm)
    return batch.batch_scores("wsm", x, wt, types)


def pair_key(rv: reversal.Reversals, n: int) -> np.ndarray:
    return np.minimum(rv.a, rv.b) * n + np.maximum(rv.a, rv.b)


def check_against_grid(x, types, w, method, norm, new: reversal.Reversals) -> None:
    """Every grid point is a closed-form point (same criterion, same a and b, |dt| <= 1e-7); every
    closed-form point the grid lacks is a tie at the current weight or one of two roots of the same
    pair inside one grid step (a double crossing the grid cannot see)."""
    old = grid_baseline.reversal_points(x, w, types, method=method, normalization=norm, grid=GRID)
    n = x.shape[0]
    matched = np.zeros(len(new), dtype=bool)
    for c, t, a, b in zip(old.criterion, old.weight, old.a, old.b):
        cand = np.flatnonzero((new.criterion == c) & (new.a == a) & (new.b == b))
        assert cand.size, f"grid point {t} of pair ({a}, {b}), criterion {c}, missing"
        k = cand[np.argmin(np.abs(new.weight[cand] - t))]
        assert abs(new.weight[k] - t) <= 1e-7
        matched[k] = True
    cell = np.floor(new.weight * (GRID - 1)).astype(int)
    key = pair_key(new, n)
    for k in np.flatnonzero(~matched):
        c = new.criterion[k]
        if new.weight[k] == w[c]:
            continue  # a tie at the current weight
        same = (new.criterion == c) & (key == key[k]) & (cell == cell[k])
        assert same.sum() == 2, (c, new.weight[k], new.a[k], new.b[k])


def check_dense(x, types, w, method, norm, new: reversal.Reversals, dense: int = 20_001) -> None:
    """Every strict sign change of C_a - C_b between neighbours of a dense grid has a root inside,
    and at every point the two scores agree with an independent evaluation."""
    n, m = x.shape
    ts = np.linspace(0.0, 1.0, dense)
    ia, ib = np.triu_indices(n, 1)
    key = pair_key(new, n)
    for j in range(m):
        s = scores_along(method, norm, x, types, w, j, ts)
        d = s[:, ia] - s[:, ib]
        noise = 1e-13
        flip = (d[:-1] * d[1:] < 0) & (np.abs(d[:-1]) > noise) & (np.abs(d[1:]) > noise)
        g, p = np.nonzero(flip)
        mine = new.criterion == j
        roots_t, roots_k = new.weight[mine], key[mine]
        for gg, pp in zip(g, p):
            inside = (roots_k == ia[pp] * n + ib[pp]) & (roots_t >= ts[gg] - 1e-9) & (roots_t <= ts[gg + 1] + 1e-9)
            assert inside.any(), f"sign change of pair ({ia[pp]}, {ib[pp]}) in [{ts[gg]}, {ts[gg + 1]}], criterion {j}"
    assert np.all(np.isfinite(new.weight)) and np.all(np.isfinite(new.score_a)) and np.all(np.isfinite(new.score_b))
    assert np.all((new.weight > 0) & (new.weight < 1) | (new.weight == w[new.criterion]))
    np.testing.assert_allclose(new.score_a, new.score_b, rtol=0, atol=1e-9)
    for j in range(m):
        mine = np.flatnonzero(new.criterion == j)
        if mine.size:
            s = scores_along(method, norm, x, types, w, j, new.weight[mine])
            np.testing.assert_allclose(s[np.arange(mine.size), new.a[mine]], new.score_a[mine], rtol=0, atol=1e-12)


@pytest.mark.parametrize("method,norm", VARIANTS)
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 12), m=st.integers(2, 6), ratings=st.booleans())
def test_closed_form_equals_the_grid_and_misses_no_sign_change(method: str, norm: str, seed: int, n: int, m: int,
                                                                ratings: bool) -> None:
    x, types, w = random_problem(seed, n, m, ratings)
    new = ex.reversal_points(x, w, types, method=method, normalization=norm)
    assert np.all(np.diff(new.criterion) >= 0)
    for j in range(m):  # sorted by weight, then a, b within a criterion
        mine = new.of(j)
        order = np.lexsort((mine.b, mine.a, mine.weight))
        np.testing.assert_array_equal(order, np.arange(len(mine)))
    check_against_grid(x, types, w, method, norm, new)
    check_dense(x, types, w, method, norm, new)


def triantaphyllou_wsm_points(x: np.ndarray, types: np.ndarray, w: np.ndarray, k: int) -> list[tuple[float, int, int]]:
    """T&S (1997) Theorem 1: A_i, A_j swap when W_k decreases by delta = (P_j - P_i) / (a_jk - a_ik),
    after renormalisation the sweep weight t = (W_k - delta) / (1 - delta)."""
    a = np.column_stack([(x[:, j] if types[j] > 0 else 1 / x[:, j]) for j in range(x.shape[1])])
    a = a / a.sum(axis=0)
    p = a @ w
    out = []
    for i in range(x.shape[0]):
        for j in range(i + 1, x.shape[0]):
            if a[j, k] != a[i, k]:
                delta = (p[j] - p[i]) / (a[j, k] - a[i, k])
                t = (w[k] - delta) / (1 - delta)
                if delta < w[k] and 0 < t < 1:
                    out.append((t, i, j))
    return sorted(out)


@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 12), m=st.integers(2, 6))
def test_wsm_points_equal_triantaphyllou_sanchez_theorem_1(seed: int, n: int, m: int) -> None:
    x, types, w = random_problem(seed, n, m, ratings=False)
    rv = ex.reversal_points(x, w, types, method="wsm")
    for k in range(m):
        want = triantaphyllou_wsm_points(x, types, w, k)
        got = rv.of(k)
        assert len(got) == len(want)
        np.testing.assert_allclose(np.sort(got.weight), [t for t, _, _ in want], rtol=0, atol=1e-12)


def test_a_double_crossing_within_one_grid_step_is_found() -> None:
    """Opportunities 0 and 1 swap twice inside [0.344, 0.3445], one step of the 2,001-point grid:
    the grid search sees nothing, the closed form both, and a scan at 1e-7 spacing confirms them."""
    x = np.array([[9.0, 3.0, 5.0], [8.0, 6.0, 3.52674765], [1.0, 7.0, 2.0]])
    types = np.array([1, 1, 1])
    w = np.array([0.3, 0.3, 0.4])
    old = grid_baseline.reversal_points(x, w, types, [0])
    assert not np.any((np.minimum(old.a, old.b) == 0) & (np.maximum(old.a, old.b) == 1))
    new = ex.reversal_points(x, w, types, [0])
    mine = (np.minimum(new.a, new.b) == 0) & (np.maximum(new.a, new.b) == 1)
    t = new.weight[mine]
    assert t.size == 2 and 0.344 < t[0] < t[1] < 0.3445
    ts = np.linspace(0.344, 0.3445, 5001)  # 1e-7 apart
    s = methods.topsis(x, reversal.proportional_weights(w, 0, ts), types)
    d = np.sign(s[:, 0] - s[:, 1])
    flips = ts[1:][d[1:] != d[:-1]]
    assert flips.size == 2
    np.testing.assert_allclose(flips, t, atol=1e-7)
    # orientation: the one ahead just below each root is a
    assert (new.a[mine][0], new.a[mine][1]) == ((0, 1) if d[0] > 0 else (1, 0))


def test_ties_at_the_current_weight_are_reversals_there() -> None:
    # symmetric pair: tied at the current weights (0.5, 0.5) and crossing there, for both criteria
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    w = np.array([0.5, 0.5])
    for method, norm in VARIANTS[:2]:
        rv = ex.reversal_points(x, w, np.array([1, 1]), method=method, normalization=norm)
        pair = np.minimum(rv.a, rv.b) * 3 + np.maximum(rv.a, rv.b) == 1
        np.testing.assert_array_equal(rv.weight[pair], [0.5, 0.5])
        st_ = ex.stability_intervals(x, w, np.array([1, 1]), method=method, normalization=norm)
        np.testing.assert_array_equal(st_.ranking_lo, [0.5, 0.5])
        np.testing.assert_array_equal(st_.ranking_hi, [0.5, 0.5])
    # near twins: scores within the tie tolerance (core.ties) at the current weights and at both ends of
    # every sweep differ by float noise only; the ranking ties them throughout, so no reversal, and no
    # change of a weight is critical because of them
    x = np.array([[3.0, 5.0, 2.0], [3.0, 5.0 * (1 + 4e-12), 2.0], [1.0, 2.0, 7.0], [6.0, 1.0, 4.0]])
    types, w = np.array([1, 1, 1]), np.array([0.5, 0.3, 0.2])
    c = methods.topsis(x, w, types)
    assert 0 < c[1] - c[0] < 1e-12
    rv = ex.reversal_points(x, w, types)
    pair = np.minimum(rv.a, rv.b) * 4 + np.maximum(rv.a, rv.b) == 1
    assert not pair.any()
    cc = ex.critical_criteria(x, w, types)
    assert np.all(cc.pa_pct != 0.0)
    # equal rows are tied along every sweep: never a reversal
    x2 = np.vstack([x[:1], x])
    rv2 = ex.reversal_points(x2, w, types)
    assert not np.any(np.minimum(rv2.a, rv2.b) * 5 + np.maximum(rv2.a, rv2.b) == 1)


@pytest.mark.parametrize("method,norm", VARIANTS)
def test_case_study(method: str, norm: str, tk) -> None:
    """The bundled case study (14 opportunities, 12 criteria, 1-5 ratings): equal to the grid, no
    sign change missed, and the same stability intervals and critical criteria as the grid search."""
    crit = load_criteria(tk.CRITERIA_FILE)
    pf = load_portfolio(tk.CASE, crit)
    x, types = pf.matrix, pf.criteria.types
    w = crit.default_weights()
    w = w / w.sum()
    new = ex.reversal_points(x, w, types, method=method, normalization=norm)
    assert len(new) > 0
    check_against_grid(x, types, w, method, norm, new)
    check_dense(x, types, w, method, norm, new)
    old = grid_baseline.reversal_points(x, w, types, method=method, normalization=norm)
    assert len(old) == len(new)  # so the two sets are equal up to 1e-7 (checked above)
    s_new = ex.stability_intervals(x, w, types, method=method, normalization=norm, reversals=new)
    s_old = grid_baseline.stability_intervals(x, w, types, method=method, normalization=norm, reversals=old)
    assert s_new.top == s_old.top
    for f in ("top_lo", "top_hi", "ranking_lo", "ranking_hi"):
        np.testing.assert_allclose(getattr(s_new, f), getattr(s_old, f), atol=1e-7)
    c_new = ex.critical_criteria(x, w, types, method=method, normalization=norm, reversals=new)
    c_old = grid_baseline.critical_criteria(x, w, types, method=method, normalization=norm, reversals=old)
    np.testing.assert_allclose(c_new.pa_pct, c_old.pa_pct, rtol=1e-5)
    np.testing.assert_allclose(c_new.pt_pct, c_old.pt_pct, rtol=1e-5)
    assert (c_new.pa_criterion, c_new.pt_criterion) == (c_old.pa_criterion, c_old.pt_criterion)


@pytest.mark.parametrize("method,norm", VARIANTS)
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 10), m=st.integers(2, 5), ratings=st.booleans())
def test_stability_intervals_keep_inside_and_break_outside(method: str, norm: str, seed: int, n: int, m: int,
                                                           ratings: bool) -> None:
    x, types, w = random_problem(seed, n, m, ratings)
    st_ = ex.stability_intervals(x, w, types, method=method, normalization=norm)
    rng = np.random.default_rng(seed)

    def ranks(j: int, t: np.ndarray) -> np.ndarray:
        return methods.rank_scores(scores_along(method, norm, x, types, w, j, np.atleast_1d(t)), "higher")

    base = methods.rank_scores(scores_along(method, norm, x, types, w, 0, np.array([w[0]])), "higher")[0]
    assert base[st_.top] == 1 and np.all(base[:st_.top] > 1)
    for j in range(m):
        lo, hi, tlo, thi = st_.ranking_lo[j], st_.ranking_hi[j], st_.top_lo[j], st_.top_hi[j]
        assert tlo <= lo <= w[j] <= hi <= thi
        if hi > lo:
            assert (ranks(j, rng.uniform(lo, hi, 20)) == base).all()
        if thi > tlo:
            assert (ranks(j, rng.uniform(tlo, thi, 20))[:, st_.top] == 1).all()
        for edge, step in ((lo, -1e-6), (hi, 1e-6)):
            if 0 < edge < 1 and edge != w[j]:
                assert (ranks(j, edge + step) != base).any()
        for edge, step in ((tlo, -1e-6), (thi, 1e-6)):
            if 0 < edge < 1 and edge != w[j]:
                assert ranks(j, edge + step)[0, st_.top] != 1


@pytest.mark.parametrize("method,norm", VARIANTS)
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 10), m=st.integers(2, 5))
def test_critical_change_alone_then_renormalised_changes_the_ranking(method: str, norm: str, seed: int, n: int,
                                                                     m: int) -> None:
    x, types, w = random_problem(seed, n, m, ratings=False)
    cc = ex.critical_criteria(x, w, types, method=method, normalization=norm)

    def ranks(wk: np.ndarray) -> np.ndarray:
        s = methods.topsis(x, wk, types, norm) if method == "topsis" else batch.batch_scores("wsm", x, wk, types)
        return methods.rank_scores(s, "higher")

    base = ranks(w)
    for k in range(m):
        d = cc.pa_change[k]
        if np.isnan(d):
            assert cc.sensitivity[k] == 0
            continue
        assert np.isclose(100 * d / w[k], cc.pa_pct[k]) and np.isclose(cc.sensitivity[k], 1 / abs(cc.pa_pct[k]))
        before, after = w.copy(), w.copy()
        # 1e-3 of the change, not less: nearer the reversal the two scores differ by less than the tie
        # tolerance (1e-9, core.ties) and rank as tied on both sides
        before[k] += (1 - 1e-3) * d  # change this weight alone, the others unchanged, renormalise
        after[k] += (1 + 1e-3) * d
        assert (ranks(before / before.sum()) == base).all() and (ranks(after / after.sum()) != base).any()


def test_bad_arguments_are_refused() -> None:
    x, types, w = random_problem(0, 4, 3, False)
    with pytest.raises(ValueError, match="method"):
        ex.reversal_points(x, w, types, method="vikor")
    with pytest.raises(ValueError, match="normalization"):
        ex.reversal_points(x, w, types, normalization="sum")
    with pytest.raises(ValueError, match="weights"):
        ex.reversal_points(x, w[:2], types)
    with pytest.raises(ValueError, match="criteria"):
        ex.reversal_points(x, w, types, [3])


def test_the_package_functions_are_the_closed_form() -> None:
    """core.reversal's reversal_points / stability_intervals / critical_criteria are the closed form
    (the grid search lives only in benchmarks/); the deprecated ``grid`` is accepted and ignored."""
    x = np.array([[9.0, 3.0, 5.0], [8.0, 6.0, 3.52674765], [1.0, 7.0, 2.0]])
    types, w = np.array([1, 1, 1]), np.array([0.3, 0.3, 0.4])
    got = reversal.reversal_points(x, w, types, grid=11, xtol=1e-3)
    want = ex.reversal_points(x, w, types)
    for f in ("criterion", "weight", "a", "b", "score_a", "score_b"):
        np.testing.assert_array_equal(getattr(got, f), getattr(want, f))
    assert reversal.stability_intervals(x, w, types, grid=5).ranking_hi.tolist() == \
        ex.stability_intervals(x, w, types).ranking_hi.tolist()
    np.testing.assert_array_equal(reversal.critical_criteria(x, w, types, grid=5).pa_pct,
                                  ex.critical_criteria(x, w, types).pa_pct)
    assert not hasattr(reversal, "_topsis_reversals") and not hasattr(reversal, "brentq")


@pytest.mark.parametrize("method,norm", VARIANTS)
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 30), m=st.integers(2, 5), ratings=st.booleans())
def test_stability_and_critical_from_n_pairs_equal_those_from_all_reversal_points(method: str, norm: str, seed: int,
                                                                                  n: int, m: int, ratings: bool) -> None:
    """Without ``reversals`` the intervals and critical criteria come from the N - 1 adjacent pairs
    and the N - 1 pairs with the top (the first swap away from t0 is between neighbours): equal to
    the same quantities derived from every reversal point."""
    x, types, w = random_problem(seed, n, m, ratings)
    rv = ex.reversal_points(x, w, types, method=method, normalization=norm)
    fast = ex.stability_intervals(x, w, types, method=method, normalization=norm)
    full = ex.stability_intervals(x, w, types, method=method, normalization=norm, reversals=rv)
    assert fast.top == full.top
    for f in ("top_lo", "top_hi", "ranking_lo", "ranking_hi"):
        np.testing.assert_allclose(getattr(fast, f), getattr(full, f), rtol=0, atol=1e-12)
    cf = ex.critical_criteria(x, w, types, method=method, normalization=norm)
    cr = ex.critical_criteria(x, w, types, method=method, normalization=norm, reversals=rv)
    for f in ("pt_pct", "pa_pct", "pt_change", "pa_change", "criticality", "sensitivity"):
        np.testing.assert_allclose(getattr(cf, f), getattr(cr, f), rtol=1e-9, atol=1e-12, equal_nan=True)
    assert (cf.pt_criterion, cf.pa_criterion) == (cr.pt_criterion, cr.pa_criterion)
    # the pair named is one of the pairs that swap at that weight (several may, e.g. equal rows)
    for tag in ("pa", "pt"):
        pct, a, b = getattr(cf, f"{tag}_pct"), getattr(cf, f"{tag}_a"), getattr(cf, f"{tag}_b")
        for k in np.flatnonzero(~np.isnan(pct)):
            d = getattr(cf, f"{tag}_change")[k]
            t = (w[k] + d) / (1 + d)
            hit = (rv.criterion == k) & (rv.a == a[k]) & (rv.b == b[k]) & np.isclose(rv.weight, t, rtol=0, atol=1e-9)
            assert hit.any(), (tag, k, t, a[k], b[k])


def test_reversal_points_among_a_subset_are_the_subset_of_all() -> None:
    x, types, w = random_problem(7, 25, 4, False)
    among = [3, 0, 17, 9, 22]
    part = ex.reversal_points(x, w, types, among=among)
    full = ex.reversal_points(x, w, types)
    keep = np.isin(full.a, among) & np.isin(full.b, among)
    for f in ("criterion", "weight", "a", "b", "score_a"):
        np.testing.assert_array_equal(getattr(part, f), getattr(full, f)[keep])
    with pytest.raises(ValueError, match="among"):
        ex.reversal_points(x, w, types, among=[25])
