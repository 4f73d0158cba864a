"""SMAA's tie step (core.smaa._Plan.break_ties) against the plain rule of core.ties on every score.

break_ties computes scores only where a screen on the packed keys cannot rule a tie out (issue 12: the
full mode must not pay for the tie rule of issue 13 on every score). These tests check that it orders
every row exactly as the plain rule does: scores within the chained tolerance of core.ties tie, and
tied opportunities rank by input order. The rows are built to hit the screen's edges: near twins just
inside and outside the tolerance, scores next to 0 and 1 where the closeness moves slowly with the key,
exact zeros, infinities and NaN (0/0), duplicates, and 2 to 60 opportunities.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mcda_qualify.core import smaa
from mcda_qualify.core.ties import RTOL, rank_scores
from mcda_qualify.core.weight_models import UniformWeights

TOL = RTOL  # every score here is <= 1, so the tolerance is RTOL * FLOOR


def plan(n: int, method: str) -> smaa._Plan:
    x = np.random.default_rng(0).uniform(1.0, 2.0, size=(n, 2))
    return smaa._Plan(x, np.array([1, 1]), method, "vector", UniformWeights(), None, 1, 0, 1024)


def reference(p: smaa._Plan, keys: np.ndarray) -> np.ndarray:
    """Sorted keys reordered by the plain rule: competition ranks of the scores (core.ties), then index."""
    v = p.values(keys)
    idx = np.bitwise_and(keys, p.mask).astype(np.int64)
    out = keys.copy()
    for i in range(keys.shape[0]):
        finite = ~np.isnan(v[i])
        ranks = np.full(v.shape[1], v.shape[1] + 1, dtype=np.int64)  # NaN (0/0) last, never tied
        if finite.any():
            ranks[finite] = rank_scores(v[i][finite], "higher")
        nan_order = np.where(finite, 0, np.arange(v.shape[1]))  # NaN keep their sorted order
        out[i] = keys[i][np.lexsort((idx[i], nan_order, ranks))]
    return out


def packed(p: smaa._Plan, scores: np.ndarray) -> np.ndarray:
    """Sorted keys (C, N) of closeness (TOPSIS) or weighted-sum (WSM) scores, as smaa's chunks hold them."""
    if p.method == "topsis":  # keys hold q = ((1 - C) / C)^2
        with np.errstate(divide="ignore", invalid="ignore"):
            q = ((1.0 - scores) / scores) ** 2
        q[np.isnan(scores)] = np.nan
        keys = p._pack(q, invert=False)
    else:
        keys = p._pack(scores.copy(), invert=True)
    keys.sort(axis=1)
    return keys


SPECIAL = [0.0, 1.0, 1e-12, 1e-9, 2e-9, 1 - 1e-12, 1 - 3e-9, 0.5, np.nan]


@st.composite
def score_rows(draw: st.DrawFn, method: str) -> np.ndarray:
    n = draw(st.integers(2, 60))
    c = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # where the scores sit: anywhere, crowded near 0 or near 1 (where TOPSIS's closeness moves slowly)
    centre = draw(st.sampled_from([0.5, 1e-6, 1 - 1e-6, 1e-10, 1 - 1e-10]))
    spread = draw(st.sampled_from([0.4, 1e-3, 1e-7, 1e-9]))
    s = np.clip(centre + spread * rng.uniform(-1, 1, size=(c, n)), 0.0, 1.0)
    # near twins: a copy of another score moved by a fraction of the tolerance (inside and outside)
    for _ in range(draw(st.integers(0, 2 * n))):
        i, j, k = rng.integers(c), rng.integers(n), rng.integers(n)
        s[i, j] = np.clip(s[i, k] + TOL * draw(st.sampled_from([0.0, 0.3, 0.9, 0.999, 1.001, 1.1, 2.5, -0.7])), 0, 1)
    for _ in range(draw(st.integers(0, 3))):
        s[rng.integers(c), rng.integers(n)] = draw(st.sampled_from(SPECIAL))
    if method == "wsm":
        s = np.nan_to_num(s, nan=0.25)  # a weighted sum of positive values is never NaN
    return s


@pytest.mark.parametrize("method", ["topsis", "wsm"])
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_break_ties_orders_rows_as_the_plain_rule(method: str, data: st.DataObject) -> None:
    s = data.draw(score_rows(method))
    p = plan(s.shape[1], method)
    keys = packed(p, s)
    expected = reference(p, keys)
    got = p.break_ties(keys.copy())
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("method", ["topsis", "wsm"])
def test_twins_in_the_middle_of_a_long_row_are_found(method: str) -> None:
    """A tie between positions 1 and N-2, where only the screen looks, inside and just outside the tolerance."""
    rng = np.random.default_rng(3)
    s = np.sort(rng.uniform(0.2, 0.8, size=(4, 200)))[:, ::-1].copy()  # input order = score order
    s[0, 101] = s[0, 100] + 0.5 * TOL  # tied, and the later input scores a hair higher
    s[1, 101] = s[1, 100] + 1.5 * TOL  # not tied: the later input ranks first
    s[2, 52] = s[2, 51] + 0.6 * TOL
    s[2, 51] = s[2, 50] + 0.6 * TOL  # chained: three tied although the ends are 1.2 tol apart
    p = plan(200, method)
    keys = packed(p, s)
    got = p.break_ties(keys.copy())
    np.testing.assert_array_equal(got, reference(p, keys))
    order = np.bitwise_and(got, p.mask).astype(int)
    np.testing.assert_array_equal(order[0, 100:102], [100, 101])  # tied: input order
    np.testing.assert_array_equal(order[1, 100:102], [101, 100])  # not tied: score order
    np.testing.assert_array_equal(order[2, 50:53], [50, 51, 52])
    changed = (got != keys).any(axis=1)
    assert not changed[3]  # a row without near scores is left as it is


def test_closeness_next_to_zero_and_one_is_judged_on_the_scores() -> None:
    """Near C = 0 or 1 a large step in the key is a tiny step in closeness: the screen must not clear it."""
    s = np.array([[1.0, 1 - 4e-10, 0.6, 0.5, 0.4, 3e-10, 1e-10, 0.0],
                  [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 2e-10, 1e-10]])
    p = plan(s.shape[1], "topsis")
    keys = packed(p, s)
    got = p.break_ties(keys.copy())
    np.testing.assert_array_equal(got, reference(p, keys))


def test_smaa_with_near_twins_ranks_them_by_input_order() -> None:
    """Through smaa2: twins 1e-12 apart (far inside the tolerance) share first place, the earlier one counted."""
    rng = np.random.default_rng(1)
    x = rng.uniform(1.0, 10.0, size=(30, 4))
    x[7] = x[3] * (1 + 1e-13)
    x[3, 0] *= 1 + 1e-12  # 3 is a hair better on a benefit criterion: still tied with 7
    r = smaa.smaa2(x, np.array([1, 1, -1, 1]), samples=4000, seed=2)
    # the twins are ranked next to each other with the earlier input (3) always ahead
    ranks_3 = r.counts[3] @ np.arange(30)
    ranks_7 = r.counts[7] @ np.arange(30)
    assert ranks_3 < ranks_7
    assert r.counts[7, 0] == 0
