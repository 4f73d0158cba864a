"""Issue 11, core API: topsis raises ValueError naming the argument for negative or all-zero weights,
wrong shapes and non-finite values (it used to square negative weights away, return NaN for zero
weights and broadcast a `types` of the wrong length)."""
from __future__ import annotations

import numpy as np
import pytest

from mcda_qualify.core.methods import topsis

X = np.array([[250.0, 16, 12, 5], [200, 16, 8, 3], [300, 32, 16, 4], [275, 32, 8, 4], [225, 16, 16, 2]])
T = np.array([-1, 1, 1, 1])
W = np.array([0.25, 0.25, 0.25, 0.25])


@pytest.mark.parametrize("kwargs, needle", [
    ({"weights": np.array([0.5, -0.2, 0.4, 0.3])}, "weights must be non-negative"),
    ({"weights": np.zeros(4)}, "weights must not be all zero"),
    ({"weights": np.array([[0.2, 0.2, 0.3, 0.3], [0, 0, 0, 0]])}, "weights must not be all zero"),
    ({"weights": np.array([0.5, np.nan, 0.4, 0.3])}, "weights must be finite"),
    ({"weights": np.array([0.5, 0.5])}, "weights must have shape"),
    ({"types": np.array([1, -1])}, "types must have shape (M,) with M = 4"),
    ({"types": np.array([1, 0, 1, 1])}, "types must be +1 (benefit) or -1 (cost)"),
    ({"matrix": np.array([[1.0, np.inf, 1, 1], [2, 2, 2, 2]])}, "matrix has a non-finite value at row 0, column 1"),
    ({"matrix": np.array([1.0, 2, 3, 4])}, "matrix must be 2-D"),
    ({"normalization": "zscore"}, "unknown normalization"),
])
def test_topsis_names_the_bad_argument(kwargs, needle):
    args = {"matrix": X, "weights": W, "types": T, **kwargs}
    with pytest.raises(ValueError) as err:
        topsis(args["matrix"], args["weights"], args["types"], args.get("normalization", "vector"))
    assert needle in str(err.value)


def test_good_calls_unchanged_single_and_batch():
    single = topsis(X, W, T)
    batch = topsis(X, np.vstack([W, W * 3]), T)
    np.testing.assert_allclose(batch[0], single, rtol=1e-12)
    np.testing.assert_allclose(batch[1], single, rtol=1e-12)  # closeness is invariant to scaling the weights
    assert np.all(np.isfinite(single)) and np.all((0 <= single) & (single <= 1))


def test_huge_weights_do_not_overflow():
    np.testing.assert_allclose(topsis(X, W * 1e300, T), topsis(X, W, T), rtol=1e-12)
