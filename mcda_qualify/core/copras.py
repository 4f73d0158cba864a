"""COPRAS, the COmplex PRoportional ASsessment method, as its authors define it.

Zavadskas, E. K., Kaklauskas, A. & Sarka, V. (1994). The new method of multicriteria complex
proportional assessment of projects. Technological and Economic Development of Economy 1(3),
131-139. Same formulas in Zavadskas, Kaklauskas, Peldschus & Turskis (2007), The Baltic Journal of
Road and Bridge Engineering 2(4), 195-203.

Steps, for N alternatives and M criteria with weights w (divided by their sum here):

1. sum normalisation of every column, d_ij = w_j x_ij / sum_k x_kj (benefit and cost alike);
2. S+_i = sum of d_ij over benefit criteria, S-_i = sum of d_ij over cost criteria;
3. relative significance Q_i = S+_i + (S-_min sum_k S-_k) / (S-_i sum_k (S-_min / S-_k)),
   which equals S+_i + sum_k S-_k / (S-_i sum_k 1/S-_k) (S-_min cancels);
4. utility degree N_i = 100 Q_i / max_k Q_k. Larger is better for both Q and N.

Conventions (ours, documented because the paper does not cover them):

* No cost criterion (or every cost weight zero): the cost term is defined as 0, so Q = S+. This is
  the limit of the formula when the costs do not discriminate, and it is what pyDecision does;
  pymcdm and scikit-criteria refuse such problems.
* Values must be non-negative, every column sum positive, and cost values strictly positive (S-_i
  is divided by). Weights are divided by their sum; N is invariant to that, Q scales with it.
* pymcdm 1.4.0 computes Q = S+ + (S-_min S-)/(S- (S-_min / S-)) = S+ + S- (the sum over k is
  missing), so a higher cost *raises* its score. This module does not share that defect.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mcda_qualify.core._checks import check_matrix, check_types, check_weights, normalise_weights

__all__ = ["copras", "copras_explain", "CoprasExplanation"]


@dataclass(frozen=True)
class CoprasExplanation:
    """Intermediate tables of one COPRAS evaluation (N alternatives, M criteria)."""

    normalized: np.ndarray  # x_ij / sum_k x_kj, (N, M)
    weighted: np.ndarray    # d_ij = w_j x_ij / sum_k x_kj, (N, M)
    s_plus: np.ndarray      # S+_i, (N,)
    s_minus: np.ndarray     # S-_i, (N,); zeros when there is no cost criterion
    q: np.ndarray           # relative significance Q_i, (N,)
    utility: np.ndarray     # utility degree N_i = 100 Q_i / max Q, (N,)


def _prepare(matrix, weights, types, *, batch: bool):
    x = check_matrix(matrix)
    m = x.shape[1]
    t = check_types(types, m)
    w = normalise_weights(check_weights(weights, m, batch=batch))
    if np.any(x < 0):
        raise ValueError("matrix must be non-negative for COPRAS (sum normalisation)")
    col = x.sum(axis=0)
    if np.any(col <= 0):
        raise ValueError(f"matrix column(s) {np.flatnonzero(col <= 0).tolist()} sum to zero; COPRAS divides by the column sum")
    if np.any(x[:, t < 0] <= 0):
        raise ValueError("matrix must be strictly positive in cost criteria for COPRAS (S- is a divisor)")
    return x, w, t, x / col


def _q(s_plus: np.ndarray, s_minus: np.ndarray) -> np.ndarray:
    """Q from S+ and S- along the last axis; the cost term is 0 where every S- is 0 (no cost weight)."""
    has_cost = np.all(s_minus > 0, axis=-1, keepdims=True)
    safe = np.where(has_cost, s_minus, 1.0)
    term = safe.sum(axis=-1, keepdims=True) / (safe * np.sum(1.0 / safe, axis=-1, keepdims=True))
    return s_plus + np.where(has_cost, term, 0.0)


def copras(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Relative significance Q (larger is better) of textbook COPRAS (Zavadskas et al. 1994).

    ``weights`` of shape (M,) give Q of shape (N,); a batch (K, M) gives (K, N) in one call.
    """
    x, w, t, r = _prepare(matrix, weights, types, batch=True)
    s_plus = w[..., t > 0] @ r[:, t > 0].T
    s_minus = w[..., t < 0] @ r[:, t < 0].T
    return _q(s_plus, s_minus)


def copras_explain(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> CoprasExplanation:
    """COPRAS for one weight vector (M,) with its intermediate tables and the utility degree."""
    x, w, t, r = _prepare(matrix, weights, types, batch=False)
    d = r * w
    s_plus = d[:, t > 0].sum(axis=1)
    s_minus = d[:, t < 0].sum(axis=1)
    q = _q(s_plus, s_minus)
    return CoprasExplanation(r, d, s_plus, s_minus, q, 100.0 * q / q.max())
