"""Weighted sum model with named normalisations.

Fishburn, P. C. (1967). Additive utilities with incomplete product sets: application to priorities
and assignments. Operations Research 15(3), 537-542 (the additive model, score_i = sum_j w_j r_ij);
MacCrimmon, K. R. (1968), Decisionmaking among multiple-attribute alternatives, RAND RM-4823-ARPA
(simple additive weighting with linear normalisation). Weights are divided by their sum.

Normalisations (r_ij in benefit form, larger is better); the choice changes rankings, so it is
always named:

``sum``    benefit x / sum x, cost (1/x) / sum(1/x)  (pymcdm's ``sum_normalization``; with its
           1/x for costs, also scikit-criteria's InvertMinimize + SumScaler)
``max``    benefit x / max x, cost min x / x          (SAW, "linear" normalisation; pyDecision's
           ``saw_method``, pymcdm's ``linear_normalization``; *not* pymcdm's
           ``max_normalization``, whose cost form is 1 - x / max x)
``minmax`` benefit (x - min)/(max - min), cost (max - x)/(max - min)  (pymcdm's
           ``minmax_normalization``, scikit-criteria's NegateMinimize + MinMaxScaler). A constant
           column does not discriminate and contributes 0 (pymcdm gives it 1 for every
           alternative, which shifts all scores equally and changes no ranking).

``sum`` and ``max`` are ratio scales: they need non-negative values, a positive column sum/max
for benefits and strictly positive values for costs (both divide by x).
"""
from __future__ import annotations

import numpy as np

from mcda_qualify.core._checks import check_matrix, check_types, check_weights, normalise_weights

__all__ = ["WSM_NORMALIZATIONS", "wsm_normalize", "wsm"]

WSM_NORMALIZATIONS: tuple[str, ...] = ("sum", "max", "minmax")


def wsm_normalize(matrix: np.ndarray, types: np.ndarray, normalization: str = "sum") -> np.ndarray:
    """Column-wise normalisation (N, M) into benefit form; see the module docstring."""
    if normalization not in WSM_NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {WSM_NORMALIZATIONS}")
    x = check_matrix(matrix)
    cost = check_types(types, x.shape[1]) < 0
    if normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        live = span > 0
        r = np.zeros_like(x)
        r[:, live] = np.where(cost[live], hi[live] - x[:, live], x[:, live] - lo[live]) / span[live]
        return r
    if np.any(x < 0):
        raise ValueError(f"matrix must be non-negative for the {normalization!r} normalisation")
    if np.any(x[:, cost] <= 0):
        raise ValueError(f"matrix must be strictly positive in cost criteria for the {normalization!r} normalisation (1/x)")
    xb = x[:, ~cost]
    denom = xb.sum(axis=0) if normalization == "sum" else xb.max(axis=0)
    if np.any(denom <= 0):
        raise ValueError(f"matrix has a benefit column of zeros; the {normalization!r} normalisation divides by it")
    r = np.empty_like(x)
    r[:, ~cost] = xb / denom
    inv = 1.0 / x[:, cost]
    r[:, cost] = inv / inv.sum(axis=0) if normalization == "sum" else inv / inv.max(axis=0)
    return r


def wsm(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, normalization: str = "sum") -> np.ndarray:
    """Weighted sum sum_j w_j r_ij (larger is better); weights (M,) -> (N,), (K, M) -> (K, N)."""
    r = wsm_normalize(matrix, types, normalization)
    w = normalise_weights(check_weights(weights, r.shape[1]))
    return w @ r.T
