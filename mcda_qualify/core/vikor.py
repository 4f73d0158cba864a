"""VIKOR: group utility S, individual regret R, compromise index Q and the compromise solution.

Opricovic, S. & Tzeng, G.-H. (2004). Compromise solution by MCDM methods: A comparative analysis
of VIKOR and TOPSIS. European Journal of Operational Research 156(2), 445-455 (section 3, steps
1-5). Steps, for weights w (divided by their sum here) and v in [0, 1]:

1. f*_j, f-_j: best and worst value of criterion j (max/min for a benefit, min/max for a cost);
2. S_i = sum_j w_j (f*_j - f_ij)/(f*_j - f-_j), R_i = max_j of the same terms;
3. Q_i = v (S_i - S*)/(S- - S*) + (1 - v)(R_i - R*)/(R- - R*), S* = min S, S- = max S (same for R);
4. rank by Q (smaller is better): a1 first, a2 second;
5. a1 is the single compromise solution if both hold:
   C1 acceptable advantage, Q(a2) - Q(a1) >= DQ with DQ = 1/(N - 1);
   C2 acceptable stability, a1 is also best ranked by S or by R.
   Otherwise the compromise set is {a1, a2} when only C2 fails, and {a1, ..., aM} with M the
   largest position where Q(aM) - Q(a1) < DQ when C1 fails.

Conventions for degenerate inputs (the paper assumes they do not occur):

* A criterion with f*_j == f-_j (constant column) does not discriminate: its term is 0 (pymcdm
  raises; pyDecision adds 1e-16 to the divisor, which also gives 0).
* S constant (S- == S*) or R constant: that part of Q is defined as 0 instead of 0/0.
* Comparisons in C1 and C2 use the tie tolerance of :mod:`mcda_qualify.core.ties`, so float noise
  does not decide a condition. Ties in Q keep the original order (stable sort).
* One alternative: it is the compromise solution and both conditions hold.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mcda_qualify.core._checks import check_matrix, check_types, check_weights, normalise_weights
from mcda_qualify.core.ties import tie_tolerance

__all__ = ["vikor", "VikorResult"]


@dataclass(frozen=True)
class VikorResult:
    """VIKOR's three measures (smaller is better) and the compromise solution set."""

    S: np.ndarray                 # group utility, (N,)
    R: np.ndarray                 # individual regret, (N,)
    Q: np.ndarray                 # compromise index, (N,)
    compromise: np.ndarray        # indices of the compromise set, in order of Q
    acceptable_advantage: bool    # condition C1
    acceptable_stability: bool    # condition C2
    v: float

    @property
    def failed(self) -> tuple[str, ...]:
        """Names of the conditions that do not hold (empty when a1 is the single compromise)."""
        out = []
        if not self.acceptable_advantage:
            out.append("acceptable advantage")
        if not self.acceptable_stability:
            out.append("acceptable stability")
        return tuple(out)


def _scaled(a: np.ndarray) -> np.ndarray:
    lo, span = a.min(), a.max() - a.min()
    return (a - lo) / span if span > 0 else np.zeros_like(a)


def vikor(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, v: float = 0.5) -> VikorResult:
    """VIKOR of Opricovic & Tzeng (2004) for one weight vector (M,); see the module docstring."""
    x = check_matrix(matrix)
    n, m = x.shape
    t = check_types(types, m)
    w = normalise_weights(check_weights(weights, m, batch=False))
    if not (np.isfinite(v) and 0.0 <= v <= 1.0):
        raise ValueError(f"v must be in [0, 1]; got {v!r}")
    best = np.where(t > 0, x.max(axis=0), x.min(axis=0))
    worst = np.where(t > 0, x.min(axis=0), x.max(axis=0))
    span = best - worst
    live = span != 0
    terms = np.zeros_like(x)
    terms[:, live] = w[live] * (best[live] - x[:, live]) / span[live]
    S, R = terms.sum(axis=1), terms.max(axis=1)
    Q = v * _scaled(S) + (1.0 - v) * _scaled(R)
    if n == 1:
        return VikorResult(S, R, Q, np.array([0]), True, True, float(v))
    order = np.argsort(Q, kind="stable")
    a1 = order[0]
    dq = 1.0 / (n - 1)
    tol_q = tie_tolerance(Q)
    advantage = bool(Q[order[1]] - Q[a1] >= dq - tol_q)
    stability = bool(S[a1] - S.min() <= tie_tolerance(S) or R[a1] - R.min() <= tie_tolerance(R))
    if advantage and stability:
        comp = order[:1]
    elif advantage:
        comp = order[:2]
    else:
        comp = order[Q[order] - Q[a1] < dq - tol_q]
    return VikorResult(S, R, Q, comp, advantage, stability, float(v))
