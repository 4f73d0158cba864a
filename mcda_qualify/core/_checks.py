"""Argument checks shared by the numeric core (issue 11, point 7).

Every check raises :class:`ValueError` naming the argument, so a bad call fails loudly instead of
returning NaN. The labelled layer validates user input earlier and with file/row/column context;
these checks are the last line of defence for scripts that call the core directly.
"""
from __future__ import annotations

import numpy as np

__all__ = ["check_matrix", "check_weights", "check_types", "normalise_weights"]


def check_matrix(matrix: np.ndarray, *, min_rows: int = 1) -> np.ndarray:
    """A finite 2-D float array (N alternatives, M criteria) with N >= ``min_rows`` and M >= 1."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"matrix must be 2-D of shape (N, M) with M >= 1; got shape {x.shape}")
    if x.shape[0] < min_rows:
        raise ValueError(f"matrix needs at least {min_rows} row(s) (alternatives); got {x.shape[0]}")
    if not np.all(np.isfinite(x)):
        bad = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"matrix has a non-finite value at row {bad[0]}, column {bad[1]}")
    return x


def check_weights(weights: np.ndarray, m: int, *, batch: bool = True) -> np.ndarray:
    """Finite, non-negative weights of shape (M,) (or (K, M) when ``batch``), none all zero."""
    w = np.asarray(weights, dtype=float)
    shapes = "(M,) or (K, M)" if batch else "(M,)"
    if w.ndim not in ((1, 2) if batch else (1,)) or w.shape[-1] != m:
        raise ValueError(f"weights must have shape {shapes} with M = {m}; got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError("weights must be finite")
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    if np.any(w.sum(axis=-1) <= 0):
        raise ValueError("weights must not be all zero")
    return w


def normalise_weights(w: np.ndarray) -> np.ndarray:
    """Weights divided by their sum along the last axis (checked weights only)."""
    return w / w.sum(axis=-1, keepdims=True)


def check_types(types: np.ndarray, m: int) -> np.ndarray:
    """Criterion types of length M: +1 benefit (more is better), -1 cost (less is better)."""
    t = np.asarray(types)
    if t.ndim != 1 or t.shape[0] != m:
        raise ValueError(f"types must have shape (M,) with M = {m}; got shape {t.shape}")
    if not np.all(np.isin(t, (1, -1))):
        raise ValueError(f"types must be +1 (benefit) or -1 (cost); got {t.tolist()}")
    return t.astype(int)
