"""Top-r rank acceptability (mcda_qualify.core.smaa_topr) against the full SMAA-2 of
mcda_qualify.sensitivity (same weight samples: counts of ranks 1..r equal) and a pymcdm loop."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import vector_normalization

from mcda_qualify.core import smaa, weight_models
from mcda_qualify.core.smaa_topr import smaa2_topr, topr_acceptability

PROPS = settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("method,norm", [("topsis", "vector"), ("topsis", "minmax"), ("wsm", "vector")])
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 25), m=st.integers(2, 6), r=st.integers(1, 25),
       chunk=st.integers(1, 3000), dup=st.booleans())
def test_top_r_counts_equal_the_full_smaa(method: str, norm: str, seed: int, n: int, m: int, r: int, chunk: int,
                                          dup: bool) -> None:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, m))
    if dup and n > 2:
        x[2] = x[0]  # equal rows: tied in every sample, the earlier ranks first (as in smaa2)
    types = np.where(rng.random(m) < 0.4, -1, 1)
    r = min(r, n)
    full = smaa.smaa2(x, types, samples=2000, seed=seed, method=method, normalization=norm)
    w = smaa.draw_weights(weight_models.UniformWeights(), 2000, m, seed)
    got = topr_acceptability(x, types, w, r, method=method, normalization=norm, chunk_size=chunk)
    np.testing.assert_array_equal(got.counts, full.counts[:, :r])
    np.testing.assert_allclose(got.acceptability, full.acceptability[:, :r])
    np.testing.assert_array_equal(got.counts.sum(axis=0), 2000)  # every rank 1..r is taken once per sample


def test_first_rank_equals_a_pymcdm_loop() -> None:
    rng = np.random.default_rng(4)
    x = rng.uniform(1.0, 10.0, size=(30, 4))
    types = np.array([1, -1, 1, 1])
    w = rng.dirichlet(np.ones(4), size=500)
    body = TOPSIS(normalization_function=vector_normalization)
    want = np.zeros((30, 3), dtype=int)
    for wk in w:
        order = np.argsort(-body(x, wk, types, validation=False), kind="stable")[:3]
        want[order, np.arange(3)] += 1
    np.testing.assert_array_equal(topr_acceptability(x, types, w, 3).counts, want)


def test_bad_arguments_are_refused() -> None:
    x = np.ones((3, 2)) + np.eye(3, 2)
    w = np.full((5, 2), 0.5)
    with pytest.raises(ValueError, match="r must"):
        topr_acceptability(x, np.array([1, 1]), w, 4)
    with pytest.raises(ValueError, match="weight_samples"):
        topr_acceptability(x, np.array([1, 1]), w[:, :1], 1)
    with pytest.raises(ValueError, match="method"):
        topr_acceptability(x, np.array([1, 1]), w, 1, method="vikor")


@pytest.mark.parametrize("method,norm", [("topsis", "vector"), ("wsm", "vector")])
def test_smaa2_topr_equals_the_full_smaa_on_ranks_central_weights_and_confidence(method: str, norm: str) -> None:
    rng = np.random.default_rng(11)
    x = rng.uniform(1.0, 10.0, size=(40, 5))
    types = np.array([1, -1, 1, 1, -1])
    wm = weight_models.DirichletWeights(np.full(5, 0.2), 20.0)
    full = smaa.smaa2(x, types, samples=3000, weights=wm, seed=5, method=method, normalization=norm)
    top = smaa2_topr(x, types, 3, samples=3000, weights=wm, seed=5, method=method, normalization=norm, chunk_size=700)
    np.testing.assert_array_equal(top.counts, full.counts[:, :3])
    np.testing.assert_allclose(top.standard_error, full.standard_error[:, :3])
    np.testing.assert_allclose(top.central_weights, full.central_weights, rtol=1e-12, equal_nan=True)
    np.testing.assert_array_equal(top.confidence, full.confidence)
    assert top.seed == full.seed and np.isnan(top.holistic).all() and top.acceptability.shape == (40, 3)


def test_full_smaa_counts_in_place_for_large_n_like_bincount() -> None:
    """Beyond _BINCOUNT_ROWS x chunk opportunities the chunk hands over its indices (no N^2 bins per
    chunk): the acceptability is the same as with one bincount per chunk, for any chunking."""
    rng = np.random.default_rng(3)
    x = rng.uniform(1.0, 10.0, size=(3000, 4))
    types = np.array([1, 1, -1, 1])
    small = smaa.smaa2(x, types, samples=2048, seed=2, chunk_size=1024, workers=1)  # 3000 > 2 x 1024
    big = smaa.smaa2(x, types, samples=2048, seed=2, chunk_size=2048, workers=1)  # one bincount
    np.testing.assert_array_equal(small.counts, big.counts)
    np.testing.assert_array_equal(small.counts.sum(axis=0), 2048)
    np.testing.assert_array_equal(small.counts.sum(axis=1), 2048)


@pytest.mark.parametrize("method", ["topsis", "wsm"])
@PROPS
@given(seed=st.integers(0, 2**31 - 1), n=st.integers(3, 30), r=st.integers(1, 20), twins=st.integers(1, 4),
       gap=st.sampled_from([0.0, 1e-14, 1e-12, 3e-11]))
def test_top_r_applies_the_tie_rule_of_the_full_smaa(method: str, seed: int, n: int, r: int, twins: int,
                                                     gap: float) -> None:
    """Near twins (scores within core.ties' tolerance but not equal to the bit) tie in both modes, the
    earlier input first, also when a tie group straddles rank r; the old top-r (keys only) did not."""
    rng = np.random.default_rng(seed)
    m = 4
    x = rng.uniform(1.0, 10.0, size=(n, m))
    for _ in range(twins):  # a later row a hair better than an earlier one: the earlier must still rank first
        a, b = sorted(rng.choice(n, size=2, replace=False))
        x[b] = x[a] * (1 + gap * rng.uniform(0.5, 1.0, size=m))
    types = np.array([1, 1, 1, 1])
    r = min(r, n)
    full = smaa.smaa2(x, types, samples=1500, seed=seed, method=method)
    top = smaa2_topr(x, types, r, samples=1500, seed=seed, method=method, chunk_size=400)
    np.testing.assert_array_equal(top.counts, full.counts[:, :r])
    np.testing.assert_array_equal(top.confidence, full.confidence)
