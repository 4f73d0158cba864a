"""Invariants of TOPSIS that hold for every input, checked with hypothesis.

Matrices are drawn with values in [1, 100] and every column spread out (no constant columns, which
the labelled layer refuses anyway), so that each property is exercised on non-degenerate data.
"""
from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mcda_qualify.core.methods import topsis
from mcda_qualify.ranking import rank_scores

NORMS = st.sampled_from(["vector", "minmax"])
SETTINGS = settings(max_examples=75, deadline=None)


@st.composite
def problems(draw, min_n=2, max_n=8, max_m=5):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, max_m))
    value = st.floats(min_value=1.0, max_value=100.0, allow_nan=False, allow_infinity=False)
    matrix = np.array(draw(st.lists(st.lists(value, min_size=m, max_size=m), min_size=n, max_size=n)))
    # every column spread out: at least 1% of its largest value between its extremes
    assume(np.all(np.ptp(matrix, axis=0) > 0.01 * matrix.max(axis=0)))
    weights = np.array(draw(st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=m, max_size=m)))
    types = np.array(draw(st.lists(st.sampled_from([-1, 1]), min_size=m, max_size=m)))
    return matrix, weights, types


@SETTINGS
@given(problems(), NORMS, st.data())
def test_scaling_a_column_changes_nothing(problem, norm, data):
    matrix, weights, types = problem
    j = data.draw(st.integers(0, matrix.shape[1] - 1))
    k = data.draw(st.floats(min_value=1e-3, max_value=1e3))
    scaled = matrix.copy()
    scaled[:, j] *= k
    np.testing.assert_allclose(topsis(scaled, weights, types, norm), topsis(matrix, weights, types, norm),
                               rtol=1e-9, atol=1e-12)


@SETTINGS
@given(problems(), NORMS, st.randoms(use_true_random=False))
def test_permuting_opportunities_permutes_the_result(problem, norm, rnd):
    matrix, weights, types = problem
    perm = list(range(matrix.shape[0]))
    rnd.shuffle(perm)
    before = topsis(matrix, weights, types, norm)
    after = topsis(matrix[perm], weights, types, norm)
    np.testing.assert_allclose(after, before[perm], rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(rank_scores(after, "higher"), rank_scores(before, "higher")[perm])


@SETTINGS
@given(problems(), NORMS, st.floats(min_value=1e-4, max_value=1e4))
def test_scaling_all_weights_changes_nothing(problem, norm, k):
    matrix, weights, types = problem
    np.testing.assert_allclose(topsis(matrix, k * weights, types, norm), topsis(matrix, weights, types, norm),
                               rtol=1e-9, atol=1e-12)


@SETTINGS
@given(problems(min_n=3), NORMS, st.data())
def test_a_dominating_opportunity_never_ranks_below(problem, norm, data):
    matrix, weights, types = problem
    n, m = matrix.shape
    i, j = data.draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True))
    gaps = np.array(data.draw(st.lists(st.floats(min_value=0.0, max_value=5.0), min_size=m, max_size=m)))
    assume(gaps.max() > 0)
    # j becomes i made worse on every criterion: lower on benefits, higher on costs
    matrix = matrix.copy()
    matrix[j] = np.where(types > 0, matrix[i] - gaps, matrix[i] + gaps)
    assume(np.all(np.ptp(matrix, axis=0) > 0))
    c = topsis(matrix, weights, types, norm)
    assert c[i] >= c[j] - 1e-12
    ranks = rank_scores(c, "higher")
    assert ranks[i] <= ranks[j]


@SETTINGS
@given(problems(), NORMS)
def test_closeness_lies_in_the_unit_interval_and_extremes_are_reached_by_ideals(problem, norm):
    matrix, weights, types = problem
    c = topsis(matrix, weights, types, norm)
    assert np.all((c >= -1e-15) & (c <= 1 + 1e-15))
    # an opportunity equal to the ideal on every criterion has closeness 1; the anti-ideal 0
    best = np.where(types > 0, matrix.max(axis=0), matrix.min(axis=0))
    worst = np.where(types > 0, matrix.min(axis=0), matrix.max(axis=0))
    c2 = topsis(np.vstack([matrix, best, worst]), weights, types, norm)
    assert abs(c2[-2] - 1) < 1e-12 and abs(c2[-1]) < 1e-12


@SETTINGS
@given(problems(max_n=6), NORMS, st.integers(1, 6))
def test_batch_equals_single_calls(problem, norm, k):
    matrix, weights, types = problem
    batch = np.vstack([weights * (i + 1) ** 0.5 + i * 0.1 for i in range(k)])
    out = topsis(matrix, batch, types, norm)
    for row, w in zip(out, batch):
        np.testing.assert_allclose(row, topsis(matrix, w, types, norm), rtol=1e-12, atol=1e-14)
