"""VIKOR (Opricovic & Tzeng 2004) against published figures, pymcdm, pyDecision and scikit-criteria."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mcda_qualify.core.vikor import vikor


def test_opricovic_tzeng_2004_example():
    """Opricovic, S. & Tzeng, G.-H. (2004), EJOR 156(2), 445-455, section 5: risk (cost) and
    altitude (benefit), equal weights: S = .5/.375/.5, R = .5/.25/.5, Q = 1/0/1; A2 is the compromise."""
    res = vikor([[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]], [0.5, 0.5], [-1, 1])
    np.testing.assert_allclose(res.S, [0.5, 0.375, 0.5])
    np.testing.assert_allclose(res.R, [0.5, 0.25, 0.5])
    np.testing.assert_allclose(res.Q, [1.0, 0.0, 1.0])
    assert res.compromise.tolist() == [1]
    assert res.acceptable_advantage and res.acceptable_stability and res.failed == ()


# Opricovic, S. & Tzeng, G.-H. (2007). Extended VIKOR method in comparison with outranking methods.
# EJOR 178(2), 514-529: six reservoir alternatives, eight criteria, four weight sets (W1..W4), S, R
# and Q to three decimals and the compromise solutions (A5; A5; {A3, A5, A6}; {A3, A5, A6}).
EXTENDED = np.array([
    [4184.3, 2914.0, 407.2, 251.0, 195, 244, 15, 2.41],
    [5211.9, 3630.0, 501.7, 308.3, 282, 346, 21, 1.41],
    [5021.3, 3920.5, 504.0, 278.6, 12, 56, 3, 4.42],
    [5566.1, 3957.9, 559.5, 335.3, 167, 268, 16, 3.36],
    [5060.5, 3293.5, 514.1, 284.2, 69, 90, 7, 4.04],
    [4317.9, 2925.9, 432.8, 239.3, 12, 55, 3, 4.36],
])
EXTENDED_TYPES = [1, -1, 1, 1, -1, -1, -1, 1]
EXTENDED_CASES = [
    ([1] * 8, [0.692, 0.7, 0.29, 0.423, 0.28, 0.346], [0.125, 0.125, 0.121, 0.125, 0.067, 0.125],
     [0.991, 1.0, 0.473, 0.670, 0.0, 0.578], [4], True),
    ([2, 2, 2, 2, 1, 1, 1, 1], [0.701, 0.6, 0.386, 0.365, 0.317, 0.459], [0.167, 0.114, 0.161, 0.167, 0.089, 0.167],
     [1.0, 0.533, 0.552, 0.563, 0.0, 0.686], [4], True),
    ([1, 1, 1, 1, 2, 2, 2, 2], [0.683, 0.8, 0.193, 0.48, 0.243, 0.232], [0.113, 0.167, 0.08, 0.122, 0.044, 0.083],
     [0.684, 1.0, 0.147, 0.554, 0.041, 0.191], [2, 4, 5], False),
    ([1, 1, 1, 1, 3.2, 3.2, 3.2, 3.2], [0.678, 0.857, 0.138, 0.513, 0.222, 0.167], [0.129, 0.190, 0.057, 0.139, 0.042, 0.060],
     [0.668, 1.0, 0.051, 0.588, 0.058, 0.078], [2, 4, 5], False),
]


@pytest.mark.parametrize("w, S, R, Q, comp, advantage", EXTENDED_CASES, ids=["W1", "W2", "W3", "W4"])
def test_opricovic_tzeng_2007_extended_example(w, S, R, Q, comp, advantage):
    res = vikor(EXTENDED, w, EXTENDED_TYPES)
    np.testing.assert_allclose(res.S, S, atol=1.5e-3)
    np.testing.assert_allclose(res.R, R, atol=1.5e-3)
    np.testing.assert_allclose(res.Q, Q, atol=1.5e-3)
    assert sorted(res.compromise.tolist()) == comp
    assert res.acceptable_advantage is advantage and res.acceptable_stability
    assert res.failed == (() if advantage else ("acceptable advantage",))


def _random(rng):
    n, m = int(rng.integers(3, 12)), int(rng.integers(2, 7))
    x = rng.uniform(1.0, 10.0, (n, m))
    w = rng.uniform(0.05, 1.0, m)
    return x, w / w.sum(), rng.choice([1, -1], m)


def test_matches_pymcdm_pydecision_and_skcriteria_on_200_random_problems():
    """pymcdm VIKOR gives Q; pyDecision vikor_method gives S, R, Q sorted by value (1-based ids in
    column 0) and adds 1e-16 to every divisor (negligible here); scikit-criteria gives S, R, Q and
    the compromise set by the paper's rules. Convention difference: pyDecision's `solution` is the
    whole Q ranking when both conditions hold or both fail (the paper: {a1}, resp. the a(M) within
    DQ), so its set is compared only when exactly one condition fails."""
    from pymcdm.methods import VIKOR
    from pyDecision.algorithm import vikor_method
    import skcriteria as skc
    from skcriteria.agg.vikor import VIKOR as SkVIKOR

    rng = np.random.default_rng(156445)
    seen = set()
    for _ in range(200):
        x, w, t = _random(rng)
        res = vikor(x, w, t)
        np.testing.assert_allclose(res.Q, VIKOR()(x, w, t, validation=False), atol=1e-12)
        fs, fr, fq, sol = vikor_method(x, w, ["max" if k > 0 else "min" for k in t], graph=False, verbose=False)
        for table, ours in ((fs, res.S), (fr, res.R), (fq, res.Q)):
            np.testing.assert_allclose(ours[table[:, 0].astype(int) - 1], table[:, 1], atol=1e-12)
        if res.acceptable_advantage != res.acceptable_stability:
            assert sorted(sol[:, 0].astype(int) - 1) == sorted(res.compromise.tolist())
        sk = SkVIKOR(use_compromise_set=False).evaluate(
            skc.mkdm(x, [max if k > 0 else min for k in t], weights=w))
        np.testing.assert_allclose(res.S, sk.e_.s_k, atol=1e-12)
        np.testing.assert_allclose(res.R, sk.e_.r_k, atol=1e-12)
        assert sorted(res.compromise.tolist()) == sorted(sk.e_.compromise_set.tolist())
        assert res.acceptable_advantage == sk.e_.acceptable_advantage
        assert res.acceptable_stability == sk.e_.acceptable_stability
        seen.add(res.failed)
    assert len(seen) >= 3  # the random problems exercise several branches of the rule


def test_constant_column_contributes_nothing():
    """Documented convention: f* == f- gives a zero term (pymcdm raises); Q equals that of the
    problem without the column (Q is invariant to rescaling S and R)."""
    x = np.array([[1.0, 5.0, 3.0], [2.0, 5.0, 1.0], [4.0, 5.0, 2.0]])
    full = vikor(x, [0.3, 0.3, 0.4], [1, 1, -1])
    without = vikor(x[:, [0, 2]], [0.3, 0.4], [1, -1])
    np.testing.assert_allclose(full.Q, without.Q, atol=1e-12)
    assert np.all(np.isfinite(full.S)) and np.all(np.isfinite(full.R))


def test_constant_regret_gives_zero_regret_term():
    """R equal for every alternative: its part of Q is 0 instead of 0/0 (scikit-criteria's
    'regret_all_equals' case), so Q = v (S - S*)/(S- - S*)."""
    res = vikor([[1.0, 0.0, 3.0], [0.0, 5.0, 6.0]], [1, 1, 1], [1, 1, 1], v=0.5)
    assert res.R[0] == pytest.approx(res.R[1])
    s = (res.S - res.S.min()) / (res.S.max() - res.S.min())
    np.testing.assert_allclose(res.Q, 0.5 * s)


def test_all_equal_alternatives_form_the_compromise_set():
    res = vikor([[2.0, 3.0]] * 4, [1, 1], [1, -1])
    np.testing.assert_array_equal(res.Q, 0.0)
    assert res.compromise.tolist() == [0, 1, 2, 3] and res.failed == ("acceptable advantage",)


def test_only_stability_fails_gives_a1_and_a2():
    """Five alternatives, all costs: A4 is best by Q with an acceptable advantage but best by
    neither S nor R (same setting as scikit-criteria's test of this branch)."""
    x = [[1, 101, 1, 101, 1], [101, 1, 101, 1, 101], [1, 1, 1, 1, 101], [11, 11, 11, 16, 61], [56] * 5]
    res = vikor(x, [0.2] * 5, [-1] * 5)
    assert res.failed == ("acceptable stability",)
    assert res.compromise.tolist() == [3, 4]


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_q_bounds_and_compromise_contains_best(seed):
    x, w, t = _random(np.random.default_rng(seed))
    res = vikor(x, w, t)
    assert res.Q.min() >= 0 and res.Q.max() <= 1 + 1e-12
    assert int(np.argmin(res.Q)) == res.compromise[0]
    np.testing.assert_allclose(vikor(x, 7 * w, t).Q, res.Q, atol=1e-12)


@pytest.mark.parametrize(
    "kw, word",
    [
        (dict(matrix=[[1.0, np.inf], [2, 3]]), "matrix"),
        (dict(weights=[1, -1]), "weights"),
        (dict(weights=[0, 0]), "weights"),
        (dict(weights=[[1, 1]]), "weights"),
        (dict(types=[1]), "types"),
        (dict(v=1.5), "v"),
    ],
)
def test_bad_arguments_name_the_argument(kw, word):
    args = dict(matrix=[[1.0, 2.0], [2.0, 3.0]], weights=[1, 1], types=[1, -1])
    args.update(kw)
    with pytest.raises(ValueError, match=word):
        vikor(**args)
