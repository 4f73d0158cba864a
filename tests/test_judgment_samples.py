"""Judgment uncertainty propagated to weights: weighted LLSM over (incomplete, group) judgments."""
from __future__ import annotations

import numpy as np
import pytest

from mcda_qualify.core import ahp

from mcda_qualify.core import ahp_group
from mcda_qualify.errors import JudgmentError
from mcda_qualify.core.weight_models import ahp_weight_samples, judges_weight_samples
from mcda_qualify.sensitivity import judgment_weight_samples


def _consistent(w):
    return np.outer(w, 1 / w)


def test_zero_steps_reproduce_the_geometric_mean():
    # Saaty (2008) drinks matrix; with no movement every sample equals the row geometric mean
    m = np.array([[1, 9, 5, 2, 1, 1, 1 / 2], [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
                  [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9], [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
                  [1, 9, 4, 2, 1, 2, 1 / 2], [1, 9, 3, 1, 1 / 2, 1, 1 / 3], [2, 9, 9, 3, 2, 3, 1]])
    w = judges_weight_samples([m], None, 5, seed=1, steps=0)
    np.testing.assert_allclose(w, np.tile(ahp.priorities(m, "geometric"), (5, 1)), atol=1e-12)
    # published geometric-mean weights to 4 dp: .1787 .0185 .0422 .1165 .1911 .1286 .3243
    np.testing.assert_allclose(w[0], [.1787, .0185, .0422, .1165, .1911, .1286, .3243], atol=5e-5)


def test_incomplete_matrix_uses_llsm():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    m = _consistent(w)
    m[0, 2] = m[2, 0] = np.nan  # a missing pair: consistent judgments still give w exactly
    np.testing.assert_allclose(ahp_weight_samples(m, 3, seed=0, steps=0), np.tile(w, (3, 1)), atol=1e-12)
    with pytest.raises(JudgmentError, match="geometric"):
        ahp_weight_samples(m, 3, seed=0, method="eigenvector")


def test_group_equals_aij_when_complete():
    rng = np.random.default_rng(2)
    mats = []
    iu, ju = np.triu_indices(4, 1)
    for _ in range(3):  # complete reciprocal matrices with values on Saaty's scale
        m = np.ones((4, 4))
        v = ahp.SAATY_SCALE[rng.integers(0, 17, size=iu.size)]
        m[iu, ju], m[ju, iu] = v, 1 / v
        mats.append(m)
    jw = np.array([1.0, 2.0, 1.0])
    w = judges_weight_samples(mats, jw, 2, seed=0, steps=0)[0]
    aij = ahp_group.aggregate_judgments(np.stack(mats), jw / jw.sum())
    np.testing.assert_allclose(w, ahp.priorities(aij, "geometric"), atol=1e-12)


def test_perturbation_stays_within_one_step_and_is_seeded():
    m = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    a = judges_weight_samples([m], None, 400, seed=9, steps=1)
    b = judges_weight_samples([m], None, 400, seed=9, steps=1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, a[0])  # it does move
    # the most extreme sample: every judgment one step up (4, 6, 3) or down (2, 4, 1): bounds on w_1
    hi = ahp.priorities(np.array([[1, 4, 6], [1 / 4, 1, 1], [1 / 6, 1, 1]]), "geometric")[0]
    lo = ahp.priorities(np.array([[1, 2, 4], [1 / 2, 1, 3], [1 / 4, 1 / 3, 1]]), "geometric")[0]
    assert lo - 1e-12 <= a[:, 0].min() and a[:, 0].max() <= hi + 1e-12


def test_disconnected_and_case_study(criteria, tk):
    m = np.full((4, 4), np.nan)
    np.fill_diagonal(m, 1)
    m[0, 1], m[1, 0], m[2, 3], m[3, 2] = 3, 1 / 3, 2, 1 / 2
    with pytest.raises(JudgmentError, match="not connected"):
        judges_weight_samples([m], None, 10, seed=0)
    df = judgment_weight_samples(tk.ROOT / "case_studies/telecom_b2b/judgments.yaml", criteria, 500, seed=1)
    assert list(df.columns) == criteria.ids and len(df) == 500
    np.testing.assert_allclose(df.sum(axis=1), 1, atol=1e-12)
