"""Tie rule by a tolerance relative to the score scale, and competition ranks without scipy.stats."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from mcda_qualify.core.ties import RTOL, rank_scores, tie_tolerance

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def test_tolerance_is_relative_above_the_floor():
    assert tie_tolerance([0.2, -0.5]) == pytest.approx(RTOL)
    assert tie_tolerance([50.0, -100.0]) == pytest.approx(100 * RTOL)
    np.testing.assert_allclose(tie_tolerance([[1e3, 0.0], [0.1, 0.2]]), [1e3 * RTOL, RTOL])


def test_one_ulp_apart_tie_and_resolvable_differences_do_not():
    a = 0.7
    assert rank_scores([a, np.nextafter(a, 1.0), 0.1]).tolist() == [1, 1, 3]
    assert rank_scores([a, a + 1e-6, 0.1]).tolist() == [2, 1, 3]
    big = 87.5  # e.g. a COPRAS utility degree
    assert rank_scores([big, np.nextafter(big, 0.0)]).tolist() == [1, 1]


def test_noise_around_zero_ties_net_flows():
    assert rank_scores([1e-17, -1e-17, 0.0, -0.4]).tolist() == [1, 1, 1, 4]


def test_chaining_is_single_linkage():
    tol = RTOL
    s = [0.0, 0.6 * tol, 1.2 * tol, 5 * tol]
    assert rank_scores(s, "lower").tolist() == [1, 1, 1, 4]


def test_direction():
    assert rank_scores([3.0, 1.0, 2.0], "lower").tolist() == [3, 1, 2]
    assert rank_scores([3.0, 1.0, 2.0], "higher").tolist() == [1, 3, 2]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-1000, 1000), min_size=1, max_size=30), st.sampled_from(["higher", "lower"]))
def test_equals_scipy_rankdata_min_on_well_separated_scores(values, better):
    from scipy.stats import rankdata

    s = np.asarray(values, dtype=float) / 7.0  # distinct values are >= 1/7 apart, equal ones equal
    key = -s if better == "higher" else s
    assert rank_scores(s, better).tolist() == rankdata(key, method="min").astype(int).tolist()


@settings(max_examples=200, deadline=None)
@given(arrays(float, st.integers(1, 25), elements=finite), st.randoms(use_true_random=False))
def test_permutation_invariance(s, rnd):
    perm = list(range(s.size))
    rnd.shuffle(perm)
    perm = np.array(perm)
    np.testing.assert_array_equal(rank_scores(s[perm]), rank_scores(s)[perm])


@settings(max_examples=100, deadline=None)
@given(arrays(float, st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 8)), elements=finite))
def test_batch_over_leading_axes_equals_row_by_row(s):
    batch = rank_scores(s, "lower")
    for idx in np.ndindex(s.shape[:-1]):
        np.testing.assert_array_equal(batch[idx], rank_scores(s[idx], "lower"))


@settings(max_examples=100, deadline=None)
@given(arrays(float, st.integers(1, 25), elements=finite))
def test_ranks_are_competition_ranks(s):
    r = rank_scores(s)
    assert r.min() == 1 and r.max() <= s.size
    for k in np.unique(r):  # a rank k shared by c scores means k - 1 scores are strictly better
        assert np.sum(r < k) == k - 1


def test_no_scipy_stats_import():
    import subprocess
    import sys

    code = "import sys, mcda_qualify.core.ties as t; t.rank_scores([1.0, 2.0]); print('scipy.stats' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("scores, kw, word", [([1.0, np.nan], {}, "scores"), ([], {}, "scores"),
                                              ([1.0], {"better": "up"}, "better"), ([1.0], {"rtol": -1}, "rtol")])
def test_bad_arguments(scores, kw, word):
    with pytest.raises(ValueError, match=word):
        rank_scores(scores, **kw)
