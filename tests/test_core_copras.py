"""COPRAS (Zavadskas, Kaklauskas & Sarka 1994) against published figures and two implementations."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mcda_qualify.core.copras import copras, copras_explain
from mcda_qualify.core.ties import rank_scores


def test_uysal_inan_2022_research_assistants():
    """Uysal, O. & Inan, T. (2022). Performance evaluation of research assistants by COPRAS method.
    International Journal of Social Science and Economic Research: utility degrees N_i (%)."""
    x = [[3.57, 4.00, 4.00, 83.75, 3, 9, 1],
         [3.07, 3.95, 4.00, 83.00, 3, 1, 3],
         [3.23, 3.54, 3.46, 66.00, 4, 0, 2],
         [3.42, 3.96, 4.00, 70.00, 5, 5, 7],
         [2.56, 3.37, 3.79, 82.00, 4, 4, 5]]
    types = [1, 1, 1, 1, -1, 1, 1]  # lesson completion duration is the cost criterion
    ex = copras_explain(x, [1 / 7] * 7, types)
    np.testing.assert_allclose(ex.utility, [100.0000, 78.8501, 63.3837, 98.6506, 86.8878], atol=6e-5)
    assert rank_scores(ex.q).tolist() == [1, 4, 5, 2, 3]


def test_wieckowski_szyjewski_2022_ranking():
    """Wieckowski, J. & Szyjewski, Z. (2022). Practical study of selected multi-criteria methods
    comparison. Procedia Computer Science 207, 4565-4573: COPRAS ranking of seven alternatives."""
    x = [[3.5, 6.0, 1256.0, 4.0, 16.0, 3.0, 17.3, 8.0, 2.82, 4100.0],
         [3.1, 4.0, 1000.0, 2.0, 8.0, 1.0, 15.6, 5.0, 3.08, 3800.0],
         [3.6, 6.0, 2000.0, 4.0, 16.0, 3.0, 17.3, 5.0, 2.90, 4000.0],
         [3.0, 4.0, 1000.0, 2.0, 8.0, 2.0, 17.3, 5.0, 2.60, 3500.0],
         [3.3, 6.0, 1008.0, 4.0, 12.0, 3.0, 15.6, 8.0, 2.30, 3800.0],
         [3.6, 6.0, 1000.0, 2.0, 16.0, 3.0, 15.6, 5.0, 2.80, 4000.0],
         [3.5, 6.0, 1256.0, 2.0, 16.0, 1.0, 15.6, 6.0, 2.90, 4000.0]]
    w = [0.297, 0.025, 0.035, 0.076, 0.154, 0.053, 0.104, 0.017, 0.025, 0.214]
    types = [1] * 8 + [-1, -1]
    assert rank_scores(copras(x, w, types)).tolist() == [2, 7, 1, 6, 3, 4, 5]


def _random_problem(rng: np.random.Generator, all_benefit: bool = False):
    n, m = int(rng.integers(2, 12)), int(rng.integers(2, 7))
    x = rng.uniform(1.0, 100.0, (n, m))
    w = rng.uniform(0.05, 1.0, m)
    t = np.ones(m, dtype=int) if all_benefit else rng.choice([1, -1], m)
    if not all_benefit:
        t[0], t[-1] = 1, -1  # scikit-criteria needs a cost, and S+ should not be empty
    return x, w / w.sum(), t


def test_matches_pydecision_and_skcriteria_on_200_random_problems():
    """pyDecision's copras_method returns N/100; scikit-criteria's COPRAS expects the matrix already
    sum-normalised (SumScaler) and returns Q ("significances") and N ("score"). Both use the
    textbook formula; weights are passed normalised, as we normalise them."""
    from pyDecision.algorithm import copras_method
    import skcriteria as skc
    from skcriteria.agg.copras import COPRAS
    from skcriteria.preprocessing.scalers import SumScaler

    rng = np.random.default_rng(20240613)
    for _ in range(200):
        x, w, t = _random_problem(rng)
        ours = copras_explain(x, w, t)
        pyd = copras_method(x, w, ["max" if k > 0 else "min" for k in t], graph=False, verbose=False)
        np.testing.assert_allclose(ours.utility / 100.0, pyd[:, 1], rtol=0, atol=1e-12)
        dm = SumScaler(target="matrix").transform(skc.mkdm(x, [max if k > 0 else min for k in t], weights=w))
        res = COPRAS().evaluate(dm)
        np.testing.assert_allclose(ours.q, res.e_.significances, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.utility, res.e_.score, rtol=0, atol=1e-10)
        np.testing.assert_allclose(ours.s_minus, res.e_.S_min, rtol=0, atol=1e-12)


def test_all_benefit_is_s_plus_like_pydecision():
    """Issue 11: `rank --method copras` with only benefits crashed. Q = S+ (our definition; pyDecision
    does the same; pymcdm and scikit-criteria refuse the problem)."""
    from pyDecision.algorithm import copras_method

    rng = np.random.default_rng(11)
    for _ in range(50):
        x, w, t = _random_problem(rng, all_benefit=True)
        ex = copras_explain(x, w, t)
        np.testing.assert_allclose(ex.q, (x / x.sum(axis=0)) @ w, atol=1e-15)
        pyd = copras_method(x, w, ["max"] * len(t), graph=False, verbose=False)
        np.testing.assert_allclose(ex.utility / 100.0, pyd[:, 1], atol=1e-12)


def test_zero_cost_weight_drops_the_cost_term():
    x = [[1.0, 2.0], [3.0, 1.0]]
    np.testing.assert_allclose(copras(x, [1.0, 0.0], [1, -1]), [0.25, 0.75])


def test_pymcdm_140_copras_rewards_cost():
    """pymcdm 1.4.0 computes Q = S+ + S- (its sum over k is missing), so the costlier row wins;
    textbook COPRAS ranks the cheaper row first. Documents the defect we no longer inherit."""
    from pymcdm.methods import COPRAS as PymcdmCopras

    x, w, t = np.array([[10.0, 1.0], [10.0, 5.0]]), np.array([0.5, 0.5]), np.array([1, -1])
    theirs = PymcdmCopras()(x, w, t, validation=False)
    np.testing.assert_allclose(theirs, [0.5, 1.0])
    ours = copras(x, w, t)
    assert rank_scores(ours).tolist() == [1, 2]
    # textbook by hand: S+ = [.25, .25], S- = [1/12, 5/12]; Q = S+ + (1/2)/(S- * (12 + 12/5))
    np.testing.assert_allclose(ours, [0.25 + 0.5 / (1 / 12 * 14.4), 0.25 + 0.5 / (5 / 12 * 14.4)])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.1, 1000.0))
def test_utility_degree_invariant_to_weight_scale_and_batch_matches_single(seed, c):
    x, w, t = _random_problem(np.random.default_rng(seed))
    a = copras_explain(x, w, t).utility
    np.testing.assert_allclose(copras_explain(x, c * w, t).utility, a, rtol=1e-12)
    batch = copras(x, np.stack([w, w[::-1]]), t)
    np.testing.assert_allclose(batch[0], copras(x, w, t), rtol=1e-13)
    np.testing.assert_allclose(batch[1], copras(x, w[::-1], t), rtol=1e-13)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_raising_a_cost_never_raises_the_score(seed):
    rng = np.random.default_rng(seed)
    x, w, t = _random_problem(rng)
    i, j = int(rng.integers(x.shape[0])), int(np.flatnonzero(t < 0)[0])
    worse = x.copy()
    worse[i, j] *= 1.5
    # Q_i = S+_i + sum(S-) / (S-_i * sum_l 1/S-_l) (the S-_min of the textbook form cancels); a larger cost
    # of row i raises S-_i and lowers every other S-_l, so S-_i * sum_l 1/S-_l grows and Q_i falls. (Q_i
    # relative to another row's Q_k can rise: the common factor sum_l 1/S-_l changes too, so the test does
    # not claim that.)
    before, after = copras(x, w, t), copras(worse, w, t)
    assert after[i] <= before[i] * (1 + 1e-12)


@pytest.mark.parametrize(
    "matrix, weights, types, word",
    [
        ([[1.0, np.nan], [2.0, 3.0]], [1, 1], [1, -1], "matrix"),
        ([[1.0, -2.0], [2.0, 3.0]], [1, 1], [1, -1], "matrix"),
        ([[1.0, 0.0], [2.0, 3.0]], [1, 1], [1, -1], "matrix"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, -1], [1, -1], "weights"),
        ([[1.0, 2.0], [2.0, 3.0]], [0, 0], [1, -1], "weights"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, np.inf], [1, -1], "weights"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, 1, 1], [1, -1], "weights"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, 1], [1, -1, 1], "types"),
        ([[1.0, 2.0], [2.0, 3.0]], [1, 1], [1, 0], "types"),
    ],
)
def test_bad_arguments_name_the_argument(matrix, weights, types, word):
    with pytest.raises(ValueError, match=word):
        copras(matrix, weights, types)
