"""Ties between scores, by a tolerance relative to the score scale, and competition ranks.

Rule (one rule for rankings, SMAA and reversals; issue 13, point 5):

    tie_tolerance(scores) = rtol * max(floor, max |score|)      rtol = 1e-9, floor = 1.0

taken along the last axis (one tolerance per ranking). Why this form:

* Relative: the float noise of a score is proportional to the magnitude of the terms that make it
  (a few ulps, 2.2e-16 each, times the number of criteria), so the tolerance must scale with the
  scores. Above the floor the rule is scale-invariant: multiplying every score by c > 0 leaves the
  ties unchanged while max |score| stays >= floor (e.g. COPRAS utility degrees on 0..100).
* The floor of 1.0: the scores of this package are built from terms of size <= 1 (closeness,
  net flows, VIKOR Q, weighted normalised values). A net flow that should be 0 comes out as
  +-1e-17 after cancellation, so the scale of its noise is 1, not the (tiny) score itself.
  Callers whose scores are meaningfully smaller than 1e-9 apart pass ``floor`` smaller.
* 1e-9 is 10^6 times above the noise of sums of a few hundred terms and far below any difference
  a person would act on (criteria values carry a few significant digits).

Grouping chains (single linkage): scores sorted, a new group starts where two *consecutive* sorted
scores differ by more than the tolerance; so a, a + 0.6 tol, a + 1.2 tol form one group although
the ends are 1.2 tol apart. Chaining is what makes the groups well defined (a tie relation must be
transitive to give ranks) and independent of the order of the input.

Ranks are competition ranks ("1224"): tied scores share the lowest rank, the next group skips. No
scipy.stats (importing it costs about a second, issue 12): numpy argsort only.
"""
from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["RTOL", "FLOOR", "tie_tolerance", "rank_scores"]

RTOL = 1e-9
FLOOR = 1.0


def tie_tolerance(scores: np.ndarray, rtol: float = RTOL, floor: float = FLOOR) -> np.ndarray:
    """Tolerance ``rtol * max(floor, max|scores|)`` along the last axis (shape: leading axes)."""
    s = np.asarray(scores, dtype=float)
    if s.ndim == 0 or s.shape[-1] == 0:
        raise ValueError(f"scores must have at least one element along the last axis; got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    if not (rtol >= 0 and floor >= 0):
        raise ValueError(f"rtol and floor must be non-negative; got rtol={rtol!r}, floor={floor!r}")
    return rtol * np.maximum(floor, np.abs(s).max(axis=-1))


def rank_scores(
    scores: np.ndarray,
    better: Literal["higher", "lower"] = "higher",
    rtol: float = RTOL,
    floor: float = FLOOR,
) -> np.ndarray:
    """Competition ranks (1 = best) along the last axis; scores within the tolerance tie.

    Works on any leading axes, e.g. (K, N) ranks K rankings of N alternatives at once.
    """
    if better not in ("higher", "lower"):
        raise ValueError(f"better must be 'higher' or 'lower'; got {better!r}")
    s = np.asarray(scores, dtype=float)
    tol = tie_tolerance(s, rtol, floor)
    key = -s if better == "higher" else s
    order = np.argsort(key, axis=-1, kind="stable")
    ks = np.take_along_axis(key, order, axis=-1)
    n = s.shape[-1]
    new_group = np.ones(s.shape, dtype=bool)
    new_group[..., 1:] = np.diff(ks, axis=-1) > tol[..., None]
    pos = np.broadcast_to(np.arange(n), s.shape)
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=-1)
    ranks = np.empty(s.shape, dtype=int)
    np.put_along_axis(ranks, order, start + 1, axis=-1)
    return ranks
