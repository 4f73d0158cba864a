"""lambda_max-optimal completion, completion_weights and the incomplete-matrix random index.

Published figures copied here:
* Bozoki, S., Fulop, J., & Ronyai, L. (2010). On optimal completion of incomplete pairwise
  comparison matrices. Math. Comput. Modelling 52, 318-333, Example 3 (Section 6 of the preprint):
  a 4x4 matrix with one missing entry x lying in the triads (a13, a14) = (5, 2) and (a23, a24) = (3, 4);
  van Uden's estimate sqrt(2/5 * 4/3) = 0.73029674334 and the lambda_max-optimal x = 0.7302965066047
  ("equals van Uden's approximation up to 6 digits"). The entry a12 is not in the text we could
  read; the test runs several values of it (the optimum x does not depend on it).
* Alonso & Lamata (2006) RI(3..7) = 0.5245, 0.8815, 1.1086, 1.2479, 1.3417 (complete matrices, entries
  uniform on Saaty's 17 values -- the same generator as Agoston & Csato 2022 at m = 0).
Independent implementation: AHPy (Bozoki et al.'s cyclic coordinates method).
"""
from __future__ import annotations

import itertools

import ahpy  # test-only dependency (cross-check)
import ahpy.ahpy as ahpy_module
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.core import ahp
from mcda_qualify.core.completion import (
    completion_weights,
    incomplete_random_index,
    max_missing,
    optimal_completion,
    simulate_random_index,
)

from testkit import random_incomplete

RI_AL = {3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417}


def _ahpy(a: np.ndarray, **kw) -> tuple[np.ndarray, float]:
    n = a.shape[0]
    names = [f"e{i}" for i in range(n)]
    comps = {(names[i], names[j]): float(a[i, j]) for i, j in zip(*np.triu_indices(n, 1))
             if not np.isnan(a[i, j])}
    c = ahpy.Compare("m", comps, random_index="saaty", **kw)
    return np.array([c.local_weights[x] for x in names]), float(c.consistency_ratio)


def _lam(a: np.ndarray) -> float:
    return float(np.linalg.eigvals(a).real.max())


# --------------------------------------------------------------------------- published example
@pytest.mark.parametrize("a12", [1 / 9, 1 / 3, 1.0, 2.0, 9.0])
def test_bozoki_2010_example_3(a12):
    u = np.array([[1, a12, 5, 2], [1 / a12, 1, 3, 4], [1 / 5, 1 / 3, 1, np.nan], [1 / 2, 1 / 4, np.nan, 1]])
    full, lam = optimal_completion(u)
    assert full[2, 3] == pytest.approx(0.7302965066047, abs=1e-6)   # their optimum, 6 digits
    assert full[2, 3] == pytest.approx(0.73029674334, abs=1e-9)     # = van Uden's value here
    assert full[3, 2] == pytest.approx(1 / full[2, 3], rel=1e-12)
    assert lam == pytest.approx(_lam(full), rel=1e-12)
    for x in (0.7302965066047 * 0.99, 0.7302965066047 * 1.01, 1.0):
        v = full.copy()
        v[2, 3], v[3, 2] = x, 1 / x
        assert lam <= _lam(v) + 1e-12


# --------------------------------------------------------------------------- AHPy cross-check
def _tight_ahpy(monkeypatch):
    """AHPy's 1-D search is scipy's bounded Brent with xatol 1e-5 on the entry, which alone limits its
    weights to ~1e-5; the shim below only tightens that tolerance (xatol 1e-12) as AHPy's module sees it."""
    import scipy.optimize as spo

    class _Shim:
        @staticmethod
        def minimize_scalar(*args, **kwargs):
            kwargs.setdefault("options", {})["xatol"] = 1e-12
            return spo.minimize_scalar(*args, **kwargs)

    monkeypatch.setattr(ahpy_module, "spo", _Shim)


def test_reproduces_ahpy_weights_and_cr_to_1e6(monkeypatch):
    """35 random incomplete matrices, n = 4..6, 1..3 missing pairs (not spanning trees, on which AHPy's
    cycle-to-cycle stopping rule cycles). Conventions: AHPy's tolerance 3e-7 on the change of the
    missing entries per cycle, precision 12 decimals, CR with Saaty's 2005 RI ('saaty' = saaty_2005)."""
    _tight_ahpy(monkeypatch)
    rng = np.random.default_rng(2010)
    worst_w = worst_cr = 0.0
    for _ in range(35):
        n = int(rng.integers(4, 7))
        m = int(rng.integers(1, min(3, max_missing(n) - 1) + 1))
        a = random_incomplete(rng, n, m)
        w_ref, cr_ref = _ahpy(a, precision=12, tolerance=3e-7)
        res = completion_weights(a, "optimal", "eigenvector", ri_table="saaty_2005")
        worst_w = max(worst_w, float(np.abs(res.weights - w_ref).max()))
        worst_cr = max(worst_cr, abs(res.cr - cr_ref))
        assert res.missing == m and res.ri == ahp.random_index(n, "saaty_2005")
    assert worst_w < 1e-6
    assert worst_cr < 1e-6


def test_at_ahpy_defaults_we_are_at_least_as_optimal():
    """AHPy's default tolerance (1e-4) stops early: weights agree to 1e-3 and our lambda_max is never larger."""
    rng = np.random.default_rng(7)
    for _ in range(12):
        n = int(rng.integers(4, 7))
        a = random_incomplete(rng, n, int(rng.integers(1, 3)))
        names = [f"e{i}" for i in range(n)]
        comps = {(names[i], names[j]): float(a[i, j]) for i, j in zip(*np.triu_indices(n, 1))
                 if not np.isnan(a[i, j])}
        c = ahpy.Compare("m", comps, precision=12)
        full, lam = optimal_completion(a)
        w_ref = np.array([c.local_weights[x] for x in names])
        assert np.abs(ahp.priorities(full) - w_ref).max() < 1e-3
        assert lam <= _lam(c._matrix) + 1e-12


# --------------------------------------------------------------------------- properties
def test_spanning_tree_completes_consistently():
    a = np.full((4, 4), np.nan)
    np.fill_diagonal(a, 1.0)
    for i, j, v in [(0, 1, 3.0), (1, 2, 1 / 2), (1, 3, 7.0)]:
        a[i, j], a[j, i] = v, 1 / v
    full, lam = optimal_completion(a)
    assert lam == pytest.approx(4.0, abs=1e-10)
    assert full[0, 2] == pytest.approx(1.5, rel=1e-9) and full[2, 3] == pytest.approx(14.0, rel=1e-9)
    res = completion_weights(a)
    assert res.cr == 0.0 and res.ri == 0.0 and res.missing == 3
    assert res.weights == pytest.approx(ahp.llsm_priorities(a), abs=1e-10)


def test_consistent_partial_matrix_and_complete_matrix():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    a = w[:, None] / w[None, :]
    full, lam = optimal_completion(a)
    assert np.array_equal(full, a) and lam == pytest.approx(4.0, abs=1e-12)
    b = a.copy()
    b[0, 3] = b[3, 0] = 0.0  # 0 = missing, as in ahp.py
    full, lam = optimal_completion(b)
    assert full == pytest.approx(a, rel=1e-9) and lam == pytest.approx(4.0, abs=1e-10)


def test_disconnected_graph_is_refused():
    a = np.array([[1, 2, np.nan, np.nan], [0.5, 1, np.nan, np.nan],
                  [np.nan, np.nan, 1, 4], [np.nan, np.nan, 0.25, 1]])
    with pytest.raises(ValueError, match="not connected"):
        optimal_completion(a)
    with pytest.raises(ValueError, match="not connected"):
        completion_weights(a)


def test_harker_and_llsm_options_reproduce_ahp():
    rng = np.random.default_rng(3)
    a = random_incomplete(rng, 5, 3)
    h = completion_weights(a, "harker", "eigenvector", ri_table="saaty_1980")
    assert h.weights == pytest.approx(ahp.priorities(a, "eigenvector"), abs=1e-12)  # Harker (1987)
    g = completion_weights(a, "llsm", "geometric", ri_table="saaty_1980")
    assert g.weights == pytest.approx(ahp.llsm_priorities(a), abs=1e-12)
    o = completion_weights(a, ri_table="saaty_1980")
    assert o.completion == "optimal" and o.lambda_max <= min(h.completion_lambda_max, g.completion_lambda_max)
    assert h.lambda_max == pytest.approx(o.lambda_max, abs=1e-12)  # CR always uses the optimal lambda_max
    with pytest.raises(ValueError, match="completion"):
        completion_weights(a, "mean")
    with pytest.raises(ValueError, match="method"):
        completion_weights(a, method="power")


@settings(max_examples=25, deadline=None)
@given(st.integers(4, 6), st.integers(0, 10_000))
def test_optimum_is_stationary_and_below_other_completions(n, seed):
    rng = np.random.default_rng(seed)
    a = random_incomplete(rng, n, int(rng.integers(1, max_missing(n) + 1)))
    full, lam = optimal_completion(a)
    for method in ("eigenvector", "geometric"):
        assert lam <= _lam(ahp.complete(a, method).matrix) + 1e-10
    miss = np.argwhere(np.triu(ahp.missing_mask(a), 1))
    for i, j in miss:
        for f in (np.exp(1e-3), np.exp(-1e-3)):
            v = full.copy()
            v[i, j], v[j, i] = full[i, j] * f, full[j, i] / f
            assert _lam(v) >= lam - 1e-12


# --------------------------------------------------------------------------- random index
def test_ri_complete_tables_and_limits():
    assert incomplete_random_index(5, 2, "saaty_1980") == 1.12  # complete-matrix table, m ignored
    for n, ri in RI_AL.items():
        assert incomplete_random_index(n, 0) == ri  # m = 0: Alonso & Lamata (2006)
    assert incomplete_random_index(5, max_missing(5)) == 0.0  # spanning tree
    assert incomplete_random_index(2, 0) == 0.0
    with pytest.raises(ValueError, match="missing"):
        incomplete_random_index(4, 4)
    with pytest.raises(ValueError, match="table"):
        incomplete_random_index(4, 1, "csato")


@pytest.mark.parametrize("n", [4, 5])
def test_simulation_reproduces_alonso_lamata_on_complete_matrices(n):
    mean, se = simulate_random_index(n, 0, samples=6000, seed=n)
    assert abs(mean - RI_AL[n]) < 4 * se + 1e-3


def test_simulated_ri_decreases_with_missing_pairs_and_is_seeded():
    ri = [simulate_random_index(5, m, samples=1500, seed=11)[0] for m in range(7)]
    assert all(x > y for x, y in itertools.pairwise(ri))
    assert ri[-1] == pytest.approx(0.0, abs=1e-9)
    assert simulate_random_index(5, 2, samples=500, seed=1) == simulate_random_index(5, 2, samples=500, seed=1)


def test_cr_of_incomplete_matrix_names_its_random_index():
    rng = np.random.default_rng(5)
    a = random_incomplete(rng, 5, 2)
    res = completion_weights(a, ri_samples=1000, seed=3)
    assert res.ri_table == "agoston_csato_2022" and "reproduction" in res.ri_source
    assert res.ri == incomplete_random_index(5, 2, samples=1000, seed=3) < RI_AL[5]
    assert res.cr == pytest.approx((res.lambda_max - 5) / 4 / res.ri, rel=1e-12)
    full = completion_weights(a, ri_table="alonso_lamata_2006")
    assert "alonso_lamata_2006" in full.ri_source and full.cr < res.cr
