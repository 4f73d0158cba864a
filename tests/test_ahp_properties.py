"""Property tests (hypothesis) of the AHP core and labelled layer."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.core import ahp

from mcda_qualify.core import ahp_review

from mcda_qualify.core import ahp_group
from mcda_qualify.judgments import parse_judgments

SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
FAST = settings(max_examples=100, deadline=None)


@st.composite
def weight_vectors(draw, min_n=1, max_n=9):
    n = draw(st.integers(min_n, max_n))
    w = np.array(draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n)))
    return w / w.sum()


@st.composite
def reciprocal_matrices(draw, min_n=3, max_n=8):
    n = draw(st.integers(min_n, max_n))
    upper = draw(st.lists(st.sampled_from(SCALE), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2))
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    a.T[np.triu_indices(n, 1)] = 1 / np.array(upper)
    return a


def _spanning_missing(draw, n: int) -> np.ndarray:
    """A missing mask that keeps the graph connected (a random spanning tree stays present)."""
    order = draw(st.permutations(range(n)))
    keep = np.zeros((n, n), dtype=bool)
    for k in range(1, n):
        parent = order[draw(st.integers(0, k - 1))]
        keep[order[k], parent] = keep[parent, order[k]] = True
    drop = draw(st.lists(st.booleans(), min_size=n * n, max_size=n * n))
    missing = np.array(drop).reshape(n, n)
    missing = np.triu(missing, 1)
    missing = missing | missing.T
    return missing & ~keep


@FAST
@given(weight_vectors(), st.sampled_from(["eigenvector", "geometric"]))
def test_consistent_matrix_gives_cr_zero_and_returns_w(w, method):
    a = w[:, None] / w[None, :]
    c = ahp.consistency(a, method=method)
    assert abs(c.cr) <= 1e-12
    np.testing.assert_allclose(ahp.priorities(a, method), w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(c.weights, w, rtol=0, atol=1e-12)


@FAST
@given(reciprocal_matrices(), st.data(), st.sampled_from(["eigenvector", "geometric"]))
def test_relabelling_permutes_the_result(a, data, method):
    n = a.shape[0]
    perm = np.array(data.draw(st.permutations(range(n))))
    w = ahp.priorities(a, method)
    wp = ahp.priorities(a[np.ix_(perm, perm)], method)
    np.testing.assert_allclose(wp, w[perm], atol=1e-10)
    assert abs(ahp.consistency(a[np.ix_(perm, perm)]).cr - ahp.consistency(a).cr) < 1e-10


@settings(max_examples=25, deadline=None)
@given(reciprocal_matrices(max_n=6), st.data())
def test_relabelling_in_the_labelled_layer(a, data):
    n = a.shape[0]
    labels = [f"c{i}" for i in range(n)]
    triples = [[labels[i], labels[j], float(a[i, j])] for i in range(n) for j in range(i + 1, n)]
    shuffled = data.draw(st.permutations(triples))
    j1 = parse_judgments(triples)
    j2 = parse_judgments(list(shuffled))
    w1 = dict(zip(j1.labels, ahp.priorities(j1.matrix)))
    w2 = dict(zip(j2.labels, ahp.priorities(j2.matrix)))
    assert set(w1) == set(w2)
    for k in w1:
        assert abs(w1[k] - w2[k]) < 1e-10


@FAST
@given(reciprocal_matrices(), st.integers(1, 5), st.sampled_from(["eigenvector", "geometric"]))
def test_group_of_identical_judges_equals_one_judge(a, k, method):
    stack = [a] * k
    agg = ahp_group.aggregate_judgments(stack, judge_weights=np.arange(1, k + 1))
    np.testing.assert_allclose(agg, a, rtol=1e-12)
    w = ahp.priorities(a, method)
    np.testing.assert_allclose(ahp.priorities(agg, method), w, atol=1e-10)
    np.testing.assert_allclose(ahp_group.aggregate_priorities(np.stack([w] * k)), w, atol=1e-12)
    assert abs(ahp_group.consensus_indicator(np.stack([w] * k)) - 1.0) < 1e-9
    assert ahp_group.disagreements(stack) == []


@FAST
@given(st.data(), st.sampled_from(["eigenvector", "geometric"]))
def test_aij_of_two_judges_is_the_elementwise_geometric_mean(data, method):
    a = data.draw(reciprocal_matrices())
    n = a.shape[0]
    b = data.draw(reciprocal_matrices(min_n=n, max_n=n))
    g = np.sqrt(a * b)
    agg = ahp_group.aggregate_judgments([a, b])
    np.testing.assert_allclose(agg, g, rtol=1e-12)
    np.testing.assert_allclose(ahp.priorities(agg, method), ahp.priorities(g, method), atol=1e-10)


@FAST
@given(st.data(), st.sampled_from(["eigenvector", "geometric"]))
def test_incomplete_filled_consistently_gives_the_complete_answer(data, method):
    a = data.draw(reciprocal_matrices())
    missing = _spanning_missing(data.draw, a.shape[0])
    part = a.copy()
    part[missing] = np.nan
    comp = ahp.complete(part, method)
    # fill the gaps with w_i / w_j from the incomplete solution: the complete matrix agrees
    filled = part.copy()
    filled[missing] = (comp.weights[:, None] / comp.weights[None, :])[missing]
    np.testing.assert_allclose(ahp.priorities(filled, method), comp.weights, atol=1e-9)
    np.testing.assert_allclose(comp.matrix, filled, rtol=1e-12)
    assert len(comp.inferred) == int(np.triu(missing, 1).sum())


@FAST
@given(weight_vectors(min_n=3), st.data(), st.sampled_from(["eigenvector", "geometric"]))
def test_incomplete_consistent_matrix_is_solved_exactly(w, data, method):
    a = w[:, None] / w[None, :]
    missing = _spanning_missing(data.draw, a.shape[0])
    part = a.copy()
    part[missing] = np.nan
    np.testing.assert_allclose(ahp.priorities(part, method), w, atol=1e-12)
    assert ahp.consistency(part, method=method).cr < 1e-12


@FAST
@given(reciprocal_matrices(), st.sampled_from(["eigenvector", "geometric"]))
def test_priorities_are_positive_sum_to_one_and_cr_nonnegative(a, method):
    w = ahp.priorities(a, method)
    assert np.all(w > 0) and abs(w.sum() - 1) < 1e-12
    c = ahp.consistency(a, method=method)
    assert c.cr >= 0 and c.lambda_max >= a.shape[0]


@FAST
@given(reciprocal_matrices())
def test_transpose_reverses_geometric_priorities(a):
    # reversing every judgment inverts the row geometric mean priorities (Crawford & Williams 1985)
    w = ahp.priorities(a, "geometric")
    inv = 1 / w
    np.testing.assert_allclose(ahp.priorities(a.T, "geometric"), inv / inv.sum(), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(reciprocal_matrices(min_n=3, max_n=7))
def test_repair_proposal_is_self_consistent_and_leaves_the_input(a):
    before = a.copy()
    rep = ahp_review.propose_repair(a)
    np.testing.assert_array_equal(a, before)
    assert abs(rep.cr_after - ahp.consistency(rep.matrix).cr) < 1e-12
    assert rep.consistent == (rep.cr_after <= 0.1)
    assert len(rep.steps) <= a.shape[0] * (a.shape[0] - 1) // 2
    work = before.copy()  # replaying the steps on the input gives the proposed matrix
    for s in rep.steps:
        assert work[s.i, s.j] == s.old
        assert np.min(np.abs(ahp.SAATY_SCALE - s.new)) < 1e-12
        work[s.i, s.j], work[s.j, s.i] = s.new, 1 / s.new
    np.testing.assert_allclose(work, rep.matrix, rtol=1e-15)
    if not rep.steps:
        assert rep.cr_after == rep.cr_before and (rep.consistent or rep.cr_before > 0.1)
