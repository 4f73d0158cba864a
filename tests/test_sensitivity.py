"""Numeric core of the sensitivity analysis and SMAA-2 (mcda_qualify.sensitivity).

References for the expected values are computed independently here: pymcdm's TOPSIS and WSM called
one weight vector at a time, Triantaphyllou & Sanchez's (1997) closed form for the WSM, and brute-force
evaluation of the rankings at the reported points.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm.methods import TOPSIS, WSM
from pymcdm.normalizations import minmax_normalization, vector_normalization

from mcda_qualify.core import methods as core
from mcda_qualify.core import batch, improvement, reversal, smaa, weight_models
from mcda_qualify.errors import JudgmentError
from mcda_qualify.ranking import rank_scores

NORMS = {"vector": vector_normalization, "minmax": minmax_normalization}
FAST = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def problem(seed: int, n: int = 7, m: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random positive matrix, mixed criterion types and positive weights summing to 1."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, m))
    types = np.where(rng.random(m) < 0.4, -1, 1)
    types[0] = 1
    w = rng.uniform(0.2, 1.0, size=m)
    return x, types, w / w.sum()


def pymcdm_counts(x: np.ndarray | list, weights: np.ndarray, types: np.ndarray, body) -> np.ndarray:
    """Rank acceptability counts from a loop over pymcdm, ties by input order (a stable sort)."""
    n = (x if isinstance(x, np.ndarray) and x.ndim == 2 else x[0]).shape[0]
    counts = np.zeros((n, n), dtype=int)
    for k, w in enumerate(weights):
        xk = x if isinstance(x, np.ndarray) and x.ndim == 2 else x[k]
        p = body(xk, w, types, validation=False)
        order = np.argsort(-p, kind="stable")
        counts[order, np.arange(n)] += 1
    return counts


# ---------------------------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("norm", sorted(NORMS))
@FAST
@given(seed=st.integers(0, 10_000))
def test_stack_scores_equal_pymcdm_per_sample(norm: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, types, _ = problem(seed, n=6, m=5)
    stack = x * rng.uniform(0.8, 1.2, size=(9, *x.shape))
    w = rng.dirichlet(np.ones(5), size=9)
    got = batch.stack_scores("topsis", stack, w, types, norm)
    body = TOPSIS(normalization_function=NORMS[norm])
    want = np.array([body(stack[k], w[k], types, validation=False) for k in range(9)])
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)
    # one weight vector for every matrix, and the fixed-matrix batch
    np.testing.assert_allclose(batch.stack_scores("topsis", stack, w[0], types, norm),
                               [body(s, w[0], types, validation=False) for s in stack], atol=1e-9)
    np.testing.assert_allclose(batch.batch_scores("topsis", x, w, types, norm),
                               [body(x, wk, types, validation=False) for wk in w], atol=1e-9)


@FAST
@given(seed=st.integers(0, 10_000))
def test_wsm_scores_equal_pymcdm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, types, _ = problem(seed)
    w = rng.dirichlet(np.ones(x.shape[1]), size=5)
    want = np.array([WSM()(x, wk, types, validation=False) for wk in w])
    np.testing.assert_allclose(batch.batch_scores("wsm", x, w, types), want, atol=1e-12)
    stack = np.stack([x, x * 1.5])
    np.testing.assert_allclose(batch.stack_scores("wsm", stack, w[:2], types), want[:2], atol=1e-12)


def test_unknown_method_and_nonpositive_wsm_are_refused() -> None:
    x, types, w = problem(0)
    with pytest.raises(ValueError, match="unknown method"):
        batch.batch_scores("vikor", x, w, types)
    with pytest.raises(ValueError, match="values > 0"):
        batch.batch_scores("wsm", x - 5, w, types)


# ---------------------------------------------------------------------------------------------
# weight sweep
# ---------------------------------------------------------------------------------------------


def test_proportional_weights_keep_the_others_in_proportion() -> None:
    w = np.array([0.5, 0.3, 0.2])
    wt = reversal.proportional_weights(w, 1, np.array([0.0, 0.3, 0.6, 1.0]))
    np.testing.assert_allclose(wt.sum(axis=1), 1.0)
    np.testing.assert_allclose(wt[:, 1], [0.0, 0.3, 0.6, 1.0])
    np.testing.assert_allclose(wt[:3, 0] / wt[:3, 2], 2.5)
    np.testing.assert_array_equal(wt[3], [0.0, 1.0, 0.0])
    np.testing.assert_allclose(wt[1], w)  # t = current weight gives the current weights


def test_sweep_is_one_batch_matching_single_evaluations() -> None:
    x, types, w = problem(3)
    sw = reversal.weight_sweep(x, w, types, 2, 11)
    assert sw.t.size == 12 and sw.current in sw.t  # 11 points and the current weight
    assert sw.current == pytest.approx(w[2], abs=1e-15)
    for t, s in zip(sw.t, sw.scores):
        np.testing.assert_allclose(s, core.topsis(x, reversal.proportional_weights(w, 2, t), types), atol=1e-14)
    np.testing.assert_array_equal(sw.ranks, rank_scores(sw.scores, "higher"))


# ---------------------------------------------------------------------------------------------
# reversal points
# ---------------------------------------------------------------------------------------------


def triantaphyllou_wsm_points(x: np.ndarray, types: np.ndarray, w: np.ndarray, k: int) -> list[tuple[float, int, int]]:
    """T&S (1997) Theorem 1: A_i and A_j swap when W_k decreases by delta = (P_j - P_i) / (a_jk - a_ik),
    feasible when delta < W_k; after renormalisation that is the weight t = (W_k - delta) / (1 - delta)."""
    a = np.column_stack([(x[:, j] if types[j] > 0 else 1 / x[:, j]) for j in range(x.shape[1])])
    a = a / a.sum(axis=0)
    p = a @ w
    out = []
    n = x.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            if a[j, k] == a[i, k]:
                continue
            delta = (p[j] - p[i]) / (a[j, k] - a[i, k])
            if delta < w[k]:
                t = (w[k] - delta) / (1 - delta)
                if 0 < t < 1:
                    out.append((t, i, j))
    return sorted(out)


@FAST
@given(seed=st.integers(0, 10_000))
def test_wsm_reversal_points_equal_the_closed_form(seed: int) -> None:
    x, types, w = problem(seed)
    rv = reversal.reversal_points(x, w, types, method="wsm")
    for k in range(x.shape[1]):
        want = triantaphyllou_wsm_points(x, types, w, k)
        got = rv.of(k)
        assert len(got) == len(want)
        order = np.argsort(got.weight)
        np.testing.assert_allclose(got.weight[order], [t for t, _, _ in want], rtol=0, atol=1e-12)
        assert [tuple(sorted((int(a), int(b)))) for a, b in zip(got.a[order], got.b[order])] == \
            [(i, j) for _, i, j in want]
        np.testing.assert_allclose(got.score_a, got.score_b, atol=1e-12)


def check_reversals(x: np.ndarray, types: np.ndarray, w: np.ndarray, rv: reversal.Reversals, method: str,
                    norm: str = "vector") -> None:
    """At each point the two scores are equal, and a leads just below it and b just above it."""
    for c, t, a, b in zip(rv.criterion, rv.weight, rv.a, rv.b):
        s = batch.batch_scores(method, x, reversal.proportional_weights(w, c, np.array([t - 1e-6, t, t + 1e-6])), types, norm)
        assert abs(s[1, a] - s[1, b]) <= 1e-9
        assert s[0, a] > s[0, b] and s[2, a] < s[2, b]


@pytest.mark.parametrize("norm", sorted(NORMS))
@FAST
@given(seed=st.integers(0, 10_000))
def test_topsis_reversal_points_are_exact_crossings(norm: str, seed: int) -> None:
    x, types, w = problem(seed, n=6, m=3)
    rv = reversal.reversal_points(x, w, types, normalization=norm)
    check_reversals(x, types, w, rv, "topsis", norm)
    assert np.all((rv.weight > 0) & (rv.weight < 1))
    # none missed: every pair whose order differs at the ends of a fine grid step is reported there
    ts = np.linspace(0, 1, 20_001)
    for j in range(x.shape[1]):
        s = core.topsis(x, reversal.proportional_weights(w, j, ts), types, norm)
        mine = rv.of(j)
        for a in range(x.shape[0]):
            for b in range(a + 1, x.shape[0]):
                d = np.sign(s[:, a] - s[:, b])
                d = d[d != 0]
                flips = int(np.count_nonzero(d[1:] != d[:-1]))
                found = int(np.count_nonzero(((mine.a == a) & (mine.b == b)) | ((mine.a == b) & (mine.b == a))))
                assert found == flips


def test_wsm_reversal_points_pass_the_same_crossing_check() -> None:
    x, types, w = problem(11, n=8)
    rv = reversal.reversal_points(x, w, types, method="wsm")
    assert len(rv) > 0
    check_reversals(x, types, w, rv, "wsm")


def test_symmetric_pair_crosses_at_equal_weights() -> None:
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    rv = reversal.reversal_points(x, np.array([0.3, 0.7]), np.array([1, 1]))
    # weight of criterion 0: t = 0.5 where both are equal; opportunity 1 leads below, 0 above
    np.testing.assert_allclose(rv.of(0).weight, [0.5], atol=1e-12)
    assert (rv.of(0).a[0], rv.of(0).b[0]) == (1, 0)


# ---------------------------------------------------------------------------------------------
# stability intervals and critical criteria
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["topsis", "wsm"])
@FAST
@given(seed=st.integers(0, 10_000))
def test_stability_intervals_keep_inside_and_break_outside(method: str, seed: int) -> None:
    x, types, w = problem(seed, n=6, m=3)
    st_ = reversal.stability_intervals(x, w, types, method=method)
    rng = np.random.default_rng(seed)
    base = rank_scores(batch.batch_scores(method, x, w, types), "higher")
    for j in range(x.shape[1]):
        lo, hi = st_.ranking_lo[j], st_.ranking_hi[j]
        tlo, thi = st_.top_lo[j], st_.top_hi[j]
        assert tlo <= lo <= w[j] <= hi <= thi
        inside = rng.uniform(lo, hi, size=20)
        ranks = rank_scores(batch.batch_scores(method, x, reversal.proportional_weights(w, j, inside), types), "higher")
        assert (ranks == base).all()
        tops = rank_scores(batch.batch_scores(method, x, reversal.proportional_weights(w, j, rng.uniform(tlo, thi, 20)), types), "higher")
        assert (tops[:, st_.top] == 1).all()
        for edge, step in ((lo, -1e-6), (hi, 1e-6)):
            if 0 < edge < 1:
                r = rank_scores(batch.batch_scores(method, x, reversal.proportional_weights(w, j, edge + step), types), "higher")
                assert (r != base).any()
        for edge, step in ((tlo, -1e-6), (thi, 1e-6)):
            if 0 < edge < 1:
                r = rank_scores(batch.batch_scores(method, x, reversal.proportional_weights(w, j, edge + step), types), "higher")
                assert r[st_.top] != 1


@FAST
@given(seed=st.integers(0, 10_000))
def test_wsm_critical_criteria_equal_triantaphyllou_sanchez(seed: int) -> None:
    x, types, w = problem(seed)
    cc = reversal.critical_criteria(x, w, types, method="wsm")
    top = int(np.argmax(batch.batch_scores("wsm", x, w, types)))
    assert cc.top == top
    pa, pt = [], []
    for k in range(x.shape[1]):
        pts = triantaphyllou_wsm_points(x, types, w, k)
        # T&S relative change delta' = 100 delta / W_k, delta = (W_k - t) / (1 - t) (a decrease)
        rel = [(100 * (w[k] - t) / (1 - t) / w[k], i, j) for t, i, j in pts]
        best = min((abs(r) for r, _, _ in rel), default=np.nan)
        best_top = min((abs(r) for r, i, j in rel if top in (i, j)), default=np.nan)
        np.testing.assert_allclose(np.abs(cc.pa_pct[k]), best, rtol=1e-9)
        np.testing.assert_allclose(np.abs(cc.pt_pct[k]), best_top, rtol=1e-9)
        np.testing.assert_allclose(cc.sensitivity[k], 0.0 if np.isnan(best) else 1 / best, rtol=1e-12)
        pa.append(best)
        pt.append(best_top)
    assert cc.pa_criterion == int(np.nanargmin(pa))
    assert cc.pt_criterion == (None if np.all(np.isnan(pt)) else int(np.nanargmin(pt)))


@FAST
@given(seed=st.integers(0, 10_000))
def test_topsis_critical_change_alone_then_renormalised_changes_the_ranking(seed: int) -> None:
    x, types, w = problem(seed, n=6, m=3)
    cc = reversal.critical_criteria(x, w, types)
    base = rank_scores(core.topsis(x, w, types), "higher")
    for k in range(x.shape[1]):
        d = cc.pa_change[k]
        if np.isnan(d):
            continue
        assert np.isclose(100 * d / w[k], cc.pa_pct[k])
        ranks = []
        # 1e-3 of the change, not less: closer to the reversal point the two closeness values differ by
        # less than the tie tolerance (1e-9, core.ties) and rank as tied on both sides
        for f in (1 - 1e-3, 1 + 1e-3):
            wk = w.copy()
            wk[k] += f * d  # change this weight alone, the others unchanged
            ranks.append(rank_scores(core.topsis(x, wk / wk.sum(), types), "higher"))
        assert (ranks[0] == base).all() and (ranks[1] != base).any()


# ---------------------------------------------------------------------------------------------
# SMAA-2
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("norm", sorted(NORMS))
def test_symmetric_opportunities_share_the_first_rank(norm: str) -> None:
    x = np.array([[1.0, 0.0], [0.0, 1.0]])
    r = smaa.smaa2(x, np.array([1, 1]), samples=20_000, seed=7, normalization=norm)
    se = np.sqrt(0.25 / r.samples)
    assert abs(r.acceptability[0, 0] - 0.5) <= 3 * se
    assert abs(r.acceptability[1, 0] - 0.5) <= 3 * se
    np.testing.assert_allclose(r.standard_error[0, 0], np.sqrt(r.acceptability[0, 0] * (1 - r.acceptability[0, 0]) / 20_000))
    # the one ranking first has the larger weight on its own criterion: central weights mirror each other
    assert r.central_weights[0, 0] > 0.5 > r.central_weights[1, 0]
    np.testing.assert_allclose(r.central_weights[0], r.central_weights[1][::-1], atol=0.02)
    np.testing.assert_array_equal(r.confidence, [1.0, 1.0])


@pytest.mark.parametrize("norm", sorted(NORMS))
def test_smaa_acceptability_equals_a_pymcdm_loop(norm: str) -> None:
    x, types, _ = problem(5, n=12, m=5)
    r = smaa.smaa2(x, types, samples=1500, seed=3, normalization=norm)
    w = smaa.draw_weights(weight_models.UniformWeights(), 1500, 5, 3)
    want = pymcdm_counts(x, w, types, TOPSIS(normalization_function=NORMS[norm]))
    np.testing.assert_array_equal(r.counts, want)
    first = np.argmax(core.topsis(x, w, types, norm), axis=1)
    for i in range(12):
        if (first == i).any():
            np.testing.assert_allclose(r.central_weights[i], w[first == i].mean(axis=0), atol=1e-12)
        else:
            assert np.isnan(r.central_weights[i]).all() and np.isnan(r.confidence[i])


def test_smaa_wsm_equals_a_pymcdm_loop() -> None:
    x, types, _ = problem(8, n=10, m=4)
    r = smaa.smaa2(x, types, samples=1200, seed=1, method="wsm")
    w = smaa.draw_weights(weight_models.UniformWeights(), 1200, 4, 1)
    np.testing.assert_array_equal(r.counts, pymcdm_counts(x, w, types, WSM()))


@pytest.mark.parametrize("norm", sorted(NORMS))
def test_smaa_with_score_ranges_equals_a_pymcdm_loop(norm: str) -> None:
    rng = np.random.default_rng(2)
    x, types, _ = problem(9, n=8, m=4)
    likely = np.where(rng.random(x.shape) < 0.5, x, np.nan)
    sr = weight_models.ScoreRanges(x, x * 0.8, x * 1.25, likely)
    r = smaa.smaa2(x, types, samples=600, seed=4, scores=sr, normalization=norm)
    w, mats = smaa.draw_matrices(sr, 600, 4)
    np.testing.assert_array_equal(r.counts, pymcdm_counts(mats, w, types, TOPSIS(normalization_function=NORMS[norm])))
    # confidence: share of the sampled matrices in which i is first with its central weights
    for i in np.flatnonzero(r.counts[:, 0]):
        first = np.argmax(batch.stack_scores("topsis", mats, r.central_weights[i], types, norm), axis=1)
        assert r.confidence[i] == pytest.approx(np.mean(first == i), abs=1e-12)
    assert mats.min() >= (x * 0.8).min() and np.all(mats >= x * 0.8) and np.all(mats <= x * 1.25)


@pytest.mark.parametrize("with_ranges", [False, True])
def test_chunked_and_unchunked_smaa_are_identical(with_ranges: bool) -> None:
    x, types, _ = problem(4, n=9, m=4)
    sr = weight_models.ScoreRanges(x, x * 0.9, x * 1.1) if with_ranges else None
    k = 3000  # not a multiple of the random block
    whole = smaa.smaa2(x, types, samples=k, seed=11, scores=sr, chunk_size=k, workers=1)
    for chunk, workers in ((1, 1), (1, 3), (2048, 2)):
        part = smaa.smaa2(x, types, samples=k, seed=11, scores=sr, chunk_size=chunk, workers=workers)
        np.testing.assert_array_equal(part.counts, whole.counts)
        np.testing.assert_array_equal(part.acceptability, whole.acceptability)
        np.testing.assert_array_equal(part.central_weights, whole.central_weights)
        np.testing.assert_array_equal(part.confidence, whole.confidence)
        np.testing.assert_array_equal(part.holistic, whole.holistic)


def test_seed_reproduces_and_another_seed_differs() -> None:
    x, types, _ = problem(6, n=8, m=4)
    a = smaa.smaa2(x, types, samples=2000, seed=123)
    b = smaa.smaa2(x, types, samples=2000, seed=123)
    c = smaa.smaa2(x, types, samples=2000, seed=124)
    np.testing.assert_array_equal(a.counts, b.counts)
    np.testing.assert_array_equal(a.central_weights, b.central_weights)
    assert not np.array_equal(a.counts, c.counts)
    assert a.seed == 123
    fresh = smaa.smaa2(x, types, samples=500)
    again = smaa.smaa2(x, types, samples=500, seed=fresh.seed)
    np.testing.assert_array_equal(fresh.counts, again.counts)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 9), m=st.integers(1, 5), k=st.integers(1, 700),
       model=st.sampled_from(["uniform", "dirichlet", "ordinal"]))
def test_smaa_invariants(seed: int, n: int, m: int, k: int, model: str) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1, 5, size=(n, m))
    x[0, 0] += 1.0  # no constant column
    x[1, :] = x[1] * 1.0001 + 0.01
    types = np.where(rng.random(m) < 0.5, -1, 1)
    wm = {"uniform": weight_models.UniformWeights(), "dirichlet": weight_models.DirichletWeights(rng.uniform(0.1, 1, m), 20.0),
          "ordinal": weight_models.OrdinalWeights(list(rng.permutation(m)))}[model]
    r = smaa.smaa2(x, types, samples=k, seed=seed, weights=wm)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(r.acceptability.sum(axis=1), 1.0)
    assert r.counts.sum() == k * n
    ok = r.counts[:, 0] > 0
    np.testing.assert_allclose(r.central_weights[ok].sum(axis=1), 1.0)
    assert np.all(r.central_weights[ok] >= 0) and np.isnan(r.central_weights[~ok]).all()
    assert set(np.unique(r.confidence[ok])) <= {0.0, 1.0}
    assert np.all((r.holistic >= -1e-12) & (r.holistic <= 1 + 1e-12))
    np.testing.assert_allclose(r.holistic, r.acceptability @ smaa.meta_weights(n))
    assert np.all(r.standard_error <= 0.5 / np.sqrt(k) + 1e-15)


def test_weight_models_draw_what_they_state() -> None:
    m, k = 4, 40_000
    u = smaa.draw_weights(weight_models.UniformWeights(), k, m, 1)
    np.testing.assert_allclose(u.sum(axis=1), 1.0)
    # uniform on the simplex: Dirichlet(1) has mean 1/m and variance (m - 1) / (m^2 (m + 1))
    np.testing.assert_allclose(u.mean(axis=0), 0.25, atol=4 * np.sqrt(3 / 80 / k))
    np.testing.assert_allclose(u.var(axis=0), 3 / 80, rtol=0.05)
    c = np.array([0.4, 0.3, 0.2, 0.1])
    d = smaa.draw_weights(weight_models.DirichletWeights(c, 50.0), k, m, 2)
    np.testing.assert_allclose(d.mean(axis=0), c, atol=4 * np.sqrt(0.24 / 51 / k))
    np.testing.assert_allclose(d.var(axis=0), c * (1 - c) / 51, rtol=0.05)
    lo, hi = np.array([0.1, 0.2, 0.0, 0.0]), np.array([0.5, 0.6, 0.3, 0.2])
    iv = smaa.draw_weights(weight_models.IntervalWeights(lo, hi), 5000, m, 3)
    assert np.all(iv >= lo - 1e-12) and np.all(iv <= hi + 1e-12)
    np.testing.assert_allclose(iv.sum(axis=1), 1.0)
    o = smaa.draw_weights(weight_models.OrdinalWeights([2, 0, 3, 1]), 5000, m, 4)
    assert np.all(o[:, 2] >= o[:, 0]) and np.all(o[:, 0] >= o[:, 3]) and np.all(o[:, 3] >= o[:, 1])
    # sorting uniform samples: the largest weight's mean is (1/m) sum_{i=1}^m 1/i
    assert o[:, 2].mean() == pytest.approx(np.sum(1 / np.arange(1, 5)) / 4, abs=0.01)


def test_sampled_weights_are_used_as_given() -> None:
    x, types, _ = problem(1, n=5, m=3)
    w = np.random.default_rng(0).dirichlet(np.ones(3), size=300) * 7.0  # rescaled rows are renormalised
    r = smaa.smaa2(x, types, weights=weight_models.SampledWeights(w))
    assert r.samples == 300 and r.seed is None
    np.testing.assert_array_equal(r.counts, pymcdm_counts(x, w / w.sum(axis=1, keepdims=True), types,
                                                          TOPSIS(normalization_function=vector_normalization)))


def test_bad_smaa_inputs_are_refused() -> None:
    x, types, _ = problem(1, n=5, m=3)
    with pytest.raises(ValueError, match="seed"):
        smaa.smaa2(x, types, samples=10, seed=-1)
    with pytest.raises(ValueError, match="no weights sum to 1"):
        weight_models.IntervalWeights(np.array([0.5, 0.5, 0.5]), np.ones(3))
    with pytest.raises(ValueError, match="too narrow"):
        weight_models.IntervalWeights(np.zeros(10), np.full(10, 0.1001))  # a sliver around w = 1/10
    with pytest.raises(ValueError, match="every criterion exactly once"):
        weight_models.OrdinalWeights([0, 0, 1])
    with pytest.raises(ValueError, match="low <= value <= high"):
        weight_models.ScoreRanges(x, x + 1, x + 2)
    with pytest.raises(ValueError, match="samples=5"):
        smaa.smaa2(x, types, samples=5, weights=weight_models.SampledWeights(np.ones((4, 3))))


def test_meta_weights() -> None:
    np.testing.assert_allclose(smaa.meta_weights(3), [1.0, (1 / 2 + 1 / 3) / (1 + 1 / 2 + 1 / 3), (1 / 3) / (11 / 6)])
    np.testing.assert_allclose(smaa.meta_weights(3, "linear"), [1.0, 0.5, 0.0])
    np.testing.assert_allclose(smaa.meta_weights(4, "inverse"), [1, 1 / 2, 1 / 3, 1 / 4])
    with pytest.raises(ValueError):
        smaa.meta_weights(3, [1.0, 0.2, 0.5])


# ---------------------------------------------------------------------------------------------
# AHP judgment uncertainty
# ---------------------------------------------------------------------------------------------


def test_ahp_samples_move_each_judgment_within_one_scale_step() -> None:
    k = 6000
    w = weight_models.ahp_weight_samples(np.array([[1.0, 3.0], [1 / 3, 1.0]]), k, seed=5)
    # two items: w_1 = a / (1 + a) with a in {2, 3, 4}, each a third of the samples
    values, counts = np.unique(np.round(w[:, 0], 12), return_counts=True)
    np.testing.assert_allclose(values, [2 / 3, 3 / 4, 4 / 5])
    np.testing.assert_allclose(counts / k, 1 / 3, atol=3 * np.sqrt(2 / 9 / k))
    top = weight_models.ahp_weight_samples(np.array([[1.0, 9.0], [1 / 9, 1.0]]), 2000, seed=5)
    np.testing.assert_allclose(np.unique(np.round(top[:, 0], 12)), [8 / 9, 9 / 10])
    exact = weight_models.ahp_weight_samples(np.array([[1.0, 3.0], [1 / 3, 1.0]]), 3, seed=5, steps=0)
    np.testing.assert_allclose(exact, [[0.75, 0.25]] * 3)


def test_ahp_samples_are_reproducible_and_batched() -> None:
    a = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    w1 = weight_models.ahp_weight_samples(a, 500, seed=9)
    np.testing.assert_array_equal(w1, weight_models.ahp_weight_samples(a, 500, seed=9))
    assert w1.shape == (500, 3)
    np.testing.assert_allclose(w1.sum(axis=1), 1.0)
    assert np.all(w1[:, 0] > w1[:, 2])  # one step never reverses 3 or 5 into a preference for item 3


def test_ahp_samples_refuse_judgments_off_the_scale() -> None:
    with pytest.raises(JudgmentError, match="Saaty"):
        weight_models.ahp_weight_samples(np.array([[1.0, 2.5], [0.4, 1.0]]), 10)


# ---------------------------------------------------------------------------------------------
# what it takes
# ---------------------------------------------------------------------------------------------


def test_smallest_improvement_is_the_threshold_of_the_target() -> None:
    x, types, w = problem(21, n=6, m=3)
    s0 = core.topsis(x, w, types)
    i = int(np.argmin(s0))  # the last one
    j = 0  # a benefit criterion
    cand = np.linspace(x[i, j], 40.0, 201)[1:]
    out = improvement.smallest_improvement(x, w, types, i, j, cand, continuous=True, threshold=float(np.median(s0)))
    for target, imp in out.items():
        assert not imp.already
        if imp.value is None:
            continue
        s_at = improvement.improvement_scores(x, w, types, i, j, [imp.value, imp.value - 1e-6 * (40 - x[i, j])])
        r_at = rank_scores(s_at, "higher")[:, i]
        r0 = rank_scores(s0, "higher")[i]
        ok = {"one_place": lambda s, r: r < r0, "top": lambda s, r: r == 1,
              "threshold": lambda s, r: s >= np.median(s0)}[target]
        assert ok(s_at[0, i], r_at[0]) and not ok(s_at[1, i], r_at[1])
        assert imp.score == pytest.approx(s_at[0, i]) and imp.rank == r_at[0]


def test_improvement_scores_renormalise_the_whole_column() -> None:
    x, types, w = problem(2, n=5, m=3)
    vals = np.array([1.0, 50.0])
    got = improvement.improvement_scores(x, w, types, 1, 2, vals)
    for v, s in zip(vals, got):
        y = x.copy()
        y[1, 2] = v
        np.testing.assert_allclose(s, core.topsis(y, w, types), atol=1e-12)


def test_triangular_draws_are_numpys() -> None:
    rng = np.random.default_rng(0)
    lo = rng.uniform(0, 1, 50)
    hi = lo + rng.uniform(0.1, 2, 50)
    mode = lo + rng.uniform(0, 1, 50) * (hi - lo)
    ours = weight_models.triangular(np.random.default_rng(42), lo, mode, hi, (300, 50))
    numpy = np.random.default_rng(42).triangular(lo, mode, hi, size=(300, 50))
    np.testing.assert_allclose(ours, numpy, rtol=1e-15, atol=1e-15)


def test_scratch_buffers_do_not_leak_into_results() -> None:
    x, types, _ = problem(12, n=6, m=3)
    a = smaa.smaa2(x, types, samples=1500, seed=2)
    keep = a.counts.copy(), a.central_weights.copy()
    smaa.smaa2(x * np.arange(1, 7)[:, None], types, samples=1500, seed=3)  # reuses the same scratch
    np.testing.assert_array_equal(a.counts, keep[0])
    np.testing.assert_array_equal(a.central_weights, keep[1])
    assert smaa.release_scratch() > 0 and smaa.release_scratch() == 0
    b = smaa.smaa2(x, types, samples=1500, seed=2)
    np.testing.assert_array_equal(b.counts, a.counts)
