"""Scoring one decision matrix under many weight vectors, or a stack of matrices, in one call.

Numeric core: arrays in, arrays out; nothing here reads files, knows labels or prints. Bad arguments
raise :class:`ValueError`; the labelled layer (:mod:`mcda_qualify.sensitivity`) turns user input
problems into :class:`~mcda_qualify.errors.InputError` first.

Conventions (docs/sensitivity.md has the formulas and sources):

* ``matrix`` (N, M): N opportunities, M criteria; ``types`` +1 benefit / -1 cost, as in pymcdm.
* Methods: ``"topsis"`` (our batched TOPSIS, ``normalization`` "vector" or "minmax") and ``"wsm"``
  (weighted sum with pymcdm's sum normalisation, as :func:`mcda_qualify.core.methods.score` computes it).
  Both are invariant to scaling all weights, which the sweep and critical-criterion maths rely on.
* Weight sweep of criterion j: w_j(t) = t and w_k(t) = (1 - t) w_k / sum_{l != j} w_l for k != j,
  t in [0, 1]; the current weights are the point t = w_j (weights normalised to sum 1).
* Ranks: competition ranks of :func:`mcda_qualify.core.methods.rank_scores` in sweeps and "what it takes";
  in SMAA every sample ranks the opportunities 1..N with ties (within core.ties' tolerance,
  1e-9 * max(1, max |score|)) broken by input order, so that every row and column of the acceptability matrix sums to 1.
"""
from __future__ import annotations


import numpy as np

from . import methods as core

SENSITIVITY_METHODS: tuple[str, ...] = ("topsis", "wsm")


def check_method(method: str, normalization: str) -> None:
    if method not in SENSITIVITY_METHODS:
        raise ValueError(f"unknown method {method!r} for sensitivity analysis; expected one of {SENSITIVITY_METHODS}")
    if method == "topsis" and normalization not in core.NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {core.NORMALIZATIONS}")


def unit_weights(weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    s = w.sum(axis=-1, keepdims=True)
    if np.any(~np.isfinite(w)) or np.any(w < 0) or np.any(s <= 0):
        raise ValueError("weights must be finite, non-negative and not all zero")
    return w / s


# ---------------------------------------------------------------------------------------------
# scoring: one matrix with many weight vectors, or a stack of matrices
# ---------------------------------------------------------------------------------------------


def sum_normalize(matrix: np.ndarray, types: np.ndarray) -> np.ndarray:
    """pymcdm's sum normalisation (used by its WSM): x / sum x for benefit, (1/x) / sum(1/x) for cost.

    The same numbers as :func:`mcda_qualify.core.wsm.wsm_normalize` with ``"sum"`` (the default of
    ``score('wsm')``); the other WSM normalisations (max, minmax) are not offered by the sensitivity
    analyses, which refuse them (tests/test_methods_wiring.py checks both).

    Works on (N, M) and on stacks (K, N, M) along the opportunity axis; needs values > 0.
    """
    x = np.asarray(matrix, dtype=float)
    if np.any(x <= 0):
        raise ValueError("WSM's sum normalisation needs values > 0")
    cost = np.asarray(types) < 0
    y = np.where(cost, 1.0 / x, x)
    return y / y.sum(axis=-2, keepdims=True)


def normalize_stack(stack: np.ndarray, types: np.ndarray, normalization: str = "vector") -> np.ndarray:
    """Column normalisation of every matrix of a stack (K, N, M), as :func:`methods.normalize` does for one.

    vector: r = x / sqrt(sum_i x^2), cost 1 - r (Hwang & Yoon 1981); minmax: (x - min) / (max - min),
    cost (max - x) / (max - min). Vectorised over K: per-sample normalisation without a loop.
    """
    x = np.asarray(stack, dtype=float)
    cost = np.asarray(types) < 0
    if normalization == "vector":  # an all-zero column normalises to 0, as in methods.normalize
        norm = np.sqrt(np.einsum("knm,knm->km", x, x))[:, None, :]
        r = x / np.where(norm > 0, norm, 1.0)
        return np.where(cost & (norm > 0), 1.0 - r, r)
    if normalization == "minmax":  # a constant column normalises to 0 (contributes nothing)
        lo, hi = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
        span = hi - lo
        return np.where(span > 0, np.where(cost, hi - x, x - lo) / np.where(span > 0, span, 1.0), 0.0)
    raise ValueError(f"unknown normalization {normalization!r}; expected one of {core.NORMALIZATIONS}")


def _stack_sq_distances(stack: np.ndarray, weights: np.ndarray, types: np.ndarray,
                        normalization: str) -> tuple[np.ndarray, np.ndarray]:
    """Squared TOPSIS distances (K, N) of a stack (K, N, M) with weights (K, M) or (M,)."""
    r = normalize_stack(stack, types, normalization)
    gp = r - r.max(axis=1, keepdims=True)
    gp *= gp
    gm = r - r.min(axis=1, keepdims=True)
    gm *= gm
    w = np.asarray(weights, dtype=float)
    w2 = w * w
    if w2.ndim == 1:
        return gp @ w2, gm @ w2
    return np.einsum("knm,km->kn", gp, w2), np.einsum("knm,km->kn", gm, w2)


def batch_scores(method: str, matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 normalization: str = "vector") -> np.ndarray:
    """Scores (K, N) of one matrix (N, M) under a batch of weight vectors (K, M) (or (N,) for (M,)).

    TOPSIS: :func:`mcda_qualify.methods.topsis` (Hwang & Yoon 1981), closeness, higher better.
    WSM: s = W R^T with R the sum-normalised matrix (Fishburn 1967; pymcdm's WSM), higher better.
    """
    check_method(method, normalization)
    if method == "topsis":
        return core.topsis(matrix, weights, types, normalization)
    return unit_weights(weights) @ sum_normalize(matrix, types).T


def stack_scores(method: str, stack: np.ndarray, weights: np.ndarray, types: np.ndarray,
                 normalization: str = "vector") -> np.ndarray:
    """Scores (K, N) of a stack of matrices (K, N, M), each normalised on its own (3-D, no loop).

    ``weights`` is one vector (M,) for every matrix or one per matrix (K, M). TOPSIS closeness
    C = D- / (D+ + D-) (Hwang & Yoon 1981); WSM with sum normalisation (Fishburn 1967).
    """
    check_method(method, normalization)
    if method == "topsis":
        dp2, dm2 = _stack_sq_distances(stack, weights, types, normalization)
        return core.closeness(np.sqrt(dp2), np.sqrt(dm2))
    r = sum_normalize(stack, types)
    w = unit_weights(weights)
    return r @ w if w.ndim == 1 else np.einsum("knm,km->kn", r, w)
