"""Weighted sum with named normalisations, against pymcdm, pyDecision and scikit-criteria."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mcda_qualify.core.wsm import WSM_NORMALIZATIONS, wsm, wsm_normalize


def _random(rng):
    n, m = int(rng.integers(2, 12)), int(rng.integers(1, 7))
    x = rng.uniform(1.0, 100.0, (n, m))
    w = rng.uniform(0.05, 1.0, m)
    return x, w / w.sum(), rng.choice([1, -1], m)


def test_pymcdm_docstring_problem_by_hand():
    """Sum normalisation by hand on pymcdm's WSM example matrix (weights normalised by their sum):
    benefit x/sum x, cost (1/x)/sum(1/x)."""
    x = np.array([[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9], [77, 21, 17, 11]], float)
    t = np.array([1, 1, -1, -1])
    r = np.column_stack([x[:, 0] / x[:, 0].sum(), x[:, 1] / x[:, 1].sum(),
                         (1 / x[:, 2]) / (1 / x[:, 2]).sum(), (1 / x[:, 3]) / (1 / x[:, 3]).sum()])
    np.testing.assert_allclose(wsm_normalize(x, t, "sum"), r)
    w = np.array([8, 5, 6, 7]) / 26
    np.testing.assert_allclose(wsm(x, w, t, "sum"), r @ w)


def test_matches_independent_implementations_on_200_random_problems():
    """sum: pymcdm WSM (default sum_normalization) and scikit-criteria InvertMinimize + SumScaler +
    WeightedSumModel. max: pyDecision saw_method (x/max, min/x), pymcdm WSM with
    linear_normalization, scikit-criteria InvertMinimize + MaxAbsScaler (= x/max for positive data) (convention difference: pymcdm's
    *max_normalization* uses 1 - x/max for costs and is not our ``max``). minmax: pymcdm WSM with
    minmax_normalization and scikit-criteria NegateMinimize + MinMaxScaler."""
    from pymcdm import normalizations as pn
    from pymcdm.methods import WSM
    from pyDecision.algorithm import saw_method
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.preprocessing.invert_objectives import InvertMinimize, NegateMinimize
    from skcriteria.preprocessing.scalers import MaxAbsScaler, MinMaxScaler, SumScaler

    def sk(x, w, t, invert, scaler):
        dm = skc.mkdm(x, [max if k > 0 else min for k in t], weights=w)
        dm = scaler(target="matrix").transform(invert().transform(dm))
        return WeightedSumModel().evaluate(dm).e_.score

    rng = np.random.default_rng(1967)
    for _ in range(200):
        x, w, t = _random(rng)
        s_sum, s_max, s_mm = (wsm(x, w, t, k) for k in WSM_NORMALIZATIONS)
        np.testing.assert_allclose(s_sum, WSM()(x, w, t, validation=False), atol=1e-12)
        np.testing.assert_allclose(s_sum, sk(x, w, t, InvertMinimize, SumScaler), atol=1e-12)
        saw = saw_method(x, ["max" if k > 0 else "min" for k in t], w, graph=False, verbose=False)
        np.testing.assert_allclose(s_max, saw[:, 1], atol=1e-12)
        np.testing.assert_allclose(s_max, WSM(pn.linear_normalization)(x, w, t, validation=False), atol=1e-12)
        np.testing.assert_allclose(s_max, sk(x, w, t, InvertMinimize, MaxAbsScaler), atol=1e-12)
        np.testing.assert_allclose(s_mm, WSM(pn.minmax_normalization)(x, w, t, validation=False), atol=1e-12)
        np.testing.assert_allclose(s_mm, sk(x, w, t, NegateMinimize, MinMaxScaler), atol=1e-12)


def test_constant_column_contributes_zero_under_minmax():
    x = np.array([[1.0, 7.0], [3.0, 7.0], [2.0, 7.0]])
    np.testing.assert_allclose(wsm_normalize(x, [1, -1], "minmax")[:, 1], 0.0)
    np.testing.assert_allclose(wsm(x, [0.5, 0.5], [1, -1], "minmax"), [0.0, 0.5, 0.25])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(WSM_NORMALIZATIONS))
def test_batch_and_bounds(seed, normalization):
    x, w, t = _random(np.random.default_rng(seed))
    one = wsm(x, w, t, normalization)
    batch = wsm(x, np.stack([w, 3 * w]), t, normalization)
    np.testing.assert_allclose(batch, np.stack([one, one]), atol=1e-14)
    r = wsm_normalize(x, t, normalization)
    assert r.min() >= 0 and r.max() <= 1 + 1e-12


@pytest.mark.parametrize(
    "kw, word",
    [
        (dict(matrix=[[1.0, np.nan], [2, 3]]), "matrix"),
        (dict(matrix=[[1.0, 0.0], [2, 3]]), "matrix"),
        (dict(weights=[1, -1]), "weights"),
        (dict(weights=[0, 0]), "weights"),
        (dict(types=[1]), "types"),
        (dict(normalization="vector"), "normalization"),
    ],
)
def test_bad_arguments_name_the_argument(kw, word):
    args = dict(matrix=[[1.0, 2.0], [2.0, 3.0]], weights=[1, 1], types=[1, -1])
    args.update(kw)
    with pytest.raises(ValueError, match=word):
        wsm(**args)
