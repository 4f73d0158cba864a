"""Backtest of a qualification score against won and lost deals: AUC, bootstrap interval, Brier, lift.

Numeric core: arrays in, arrays out (numpy only); nothing here knows labels or prints.

* AUC as the Mann-Whitney statistic: Hanley, J. A. & McNeil, B. J. (1982), The meaning and use of
  the area under a receiver operating characteristic (ROC) curve, Radiology 143(1), 29-36: the AUC
  equals P(score of a random won deal > score of a random lost deal), ties counted 1/2, i.e.
  U / (n1 n0) with U the Mann-Whitney U of the won scores.
* Bootstrap interval: Efron, B. & Tibshirani, R. J. (1993), An Introduction to the Bootstrap,
  Chapman & Hall, ch. 13 (percentile interval); resampling is stratified (won and lost deals are
  resampled separately, so every replicate keeps n1 and n0).
* Brier, G. W. (1950), Verification of forecasts expressed in terms of probability, Monthly Weather
  Review 78(1), 1-3: the mean squared difference between the stated probability and the outcome.
* Reliability table: Murphy, A. H. & Winkler, R. L. (1977), Reliability of subjective probability
  forecasts of precipitation and temperature, Applied Statistics 26(1), 41-47: per probability bin,
  the mean stated probability against the observed frequency.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["auc", "auc_bootstrap", "AucInterval", "brier", "reliability", "Reliability", "lift", "Lift"]


def _split(scores: np.ndarray, won: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(scores, dtype=float)
    w = np.asarray(won)
    if s.ndim != 1 or w.shape != s.shape:
        raise ValueError(f"scores and won must be 1-D of the same length (got shapes {s.shape} and {w.shape})")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite numbers")
    if w.dtype != bool:
        if not np.all(np.isin(w, (0, 1))):
            raise ValueError("won must be booleans (or 0/1)")
        w = w.astype(bool)
    pos, neg = s[w], s[~w]
    if pos.size == 0 or neg.size == 0:
        raise ValueError(f"won needs at least one won and one lost case (got {pos.size} won, {neg.size} lost)")
    return pos, neg


def _pair_matrix(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    """P[i, j] = 1 if won i scores above lost j, 1/2 on a tie, else 0 (Hanley & McNeil 1982, eq. 1)."""
    d = pos[:, None] - neg[None, :]
    return (d > 0) + 0.5 * (d == 0)


def auc(scores: np.ndarray, won: np.ndarray) -> float:
    """Area under the ROC curve = U / (n1 n0), ties counted 1/2 (Hanley & McNeil 1982).

    Computed from mid-ranks: U = R1 - n1 (n1 + 1) / 2 with R1 the rank sum of the won cases.
    """
    pos, neg = _split(scores, won)
    allv = np.concatenate([pos, neg])
    order = np.argsort(allv, kind="mergesort")
    sv = allv[order]
    ranks = np.empty(allv.size)
    # mid-ranks: every member of a tie group gets the mean of the group's positions (1-based)
    starts = np.flatnonzero(np.r_[True, sv[1:] != sv[:-1]])
    ends = np.r_[starts[1:], sv.size]
    mid = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(mid, ends - starts)
    n1, n0 = pos.size, neg.size
    u = ranks[:n1].sum() - n1 * (n1 + 1) / 2.0
    return float(u / (n1 * n0))


@dataclass(frozen=True)
class AucInterval:
    """A bootstrap interval for the AUC (``method`` says which) and its replicates."""

    auc: float
    low: float
    high: float
    level: float
    samples: int
    method: str
    replicates: np.ndarray


def _counts(rng: np.random.Generator, n: int, samples: int) -> np.ndarray:
    """Multiplicities (samples, n) of n draws with replacement from n cases, one row per replicate."""
    draws = rng.integers(0, n, size=(samples, n)) + n * np.arange(samples)[:, None]
    return np.bincount(draws.ravel(), minlength=samples * n).reshape(samples, n).astype(float)


def auc_bootstrap(scores: np.ndarray, won: np.ndarray, samples: int = 2000,
                  seed: int | np.random.Generator | None = 0, level: float = 0.95) -> AucInterval:
    """Stratified percentile bootstrap interval for the AUC (Efron & Tibshirani 1993, ch. 13).

    Each replicate draws n1 won and n0 lost cases with replacement, separately. Vectorised: with
    multiplicity vectors c1 (n1,) and c0 (n0,) of a replicate, its AUC is c1' P c0 / (n1 n0) where
    P is the won-by-lost comparison matrix, so all replicates are one matrix product.
    """
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 10:
        raise ValueError(f"samples must be an integer >= 10 (got {samples!r})")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1) (got {level!r})")
    pos, neg = _split(scores, won)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    n1, n0 = pos.size, neg.size
    p = _pair_matrix(pos, neg)
    c1, c0 = _counts(rng, n1, samples), _counts(rng, n0, samples)
    reps = np.sum((c1 @ p) * c0, axis=1) / (n1 * n0)
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(reps, [alpha, 1.0 - alpha])
    return AucInterval(float(p.mean()), float(low), float(high), float(level), int(samples), "percentile", reps)


def _probabilities(prob: np.ndarray, won: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(prob, dtype=float)
    y = np.asarray(won)
    if p.ndim != 1 or y.shape != p.shape or p.size == 0:
        raise ValueError(f"prob and won must be non-empty 1-D arrays of the same length (got {p.shape} and {y.shape})")
    if not np.all(np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("prob must hold probabilities in [0, 1]")
    if y.dtype != bool and not np.all(np.isin(y, (0, 1))):
        raise ValueError("won must be booleans (or 0/1)")
    return p, y.astype(float)


def brier(prob: np.ndarray, won: np.ndarray) -> float:
    """Brier score mean((p - y)^2), y = 1 for a won deal (Brier 1950); 0 is perfect, 0.25 is a coin."""
    p, y = _probabilities(prob, won)
    return float(np.mean((p - y) ** 2))


@dataclass(frozen=True)
class Reliability:
    """Per probability bin: edges (bins + 1,), counts, mean stated probability and observed win rate
    (NaN where a bin is empty)."""

    edges: np.ndarray
    counts: np.ndarray
    mean_predicted: np.ndarray
    observed_rate: np.ndarray


def reliability(prob: np.ndarray, won: np.ndarray, bins: int = 5) -> Reliability:
    """Reliability table on ``bins`` equal-width bins of [0, 1], the last one closed (Murphy & Winkler 1977)."""
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"bins must be an integer >= 1 (got {bins!r})")
    p, y = _probabilities(prob, won)
    edges = np.linspace(0.0, 1.0, bins + 1)
    idx = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    counts = np.bincount(idx, minlength=bins)
    sum_p = np.bincount(idx, weights=p, minlength=bins)
    sum_y = np.bincount(idx, weights=y, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_p = np.where(counts > 0, sum_p / counts, np.nan)
        rate = np.where(counts > 0, sum_y / counts, np.nan)
    return Reliability(edges, counts, mean_p, rate)


@dataclass(frozen=True)
class Lift:
    """Win rate of the top fraction by score, of the rest, overall, and lift = top rate / overall rate."""

    n_top: int
    top_rate: float
    rest_rate: float
    base_rate: float
    lift: float


def lift(scores: np.ndarray, won: np.ndarray, top_fraction: float = 1 / 3) -> Lift:
    """Lift of the top ``top_fraction`` of cases by score (higher is better).

    The top group has k = round(n * top_fraction) cases (at least 1, at most n - 1). Cases tied at
    the cut share the remaining places in proportion, i.e. the expected result of breaking the tie
    at random, so the answer never depends on the input order.
    """
    if not 0.0 < top_fraction < 1.0:
        raise ValueError(f"top_fraction must be in (0, 1) (got {top_fraction!r})")
    s = np.asarray(scores, dtype=float)
    y = np.asarray(won)
    if s.ndim != 1 or y.shape != s.shape or s.size < 2:
        raise ValueError(f"scores and won must be 1-D of the same length >= 2 (got {s.shape} and {y.shape})")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite numbers")
    if y.dtype != bool and not np.all(np.isin(y, (0, 1))):
        raise ValueError("won must be booleans (or 0/1)")
    y = y.astype(float)
    n = s.size
    k = int(min(max(round(n * top_fraction), 1), n - 1))
    cut = np.sort(s)[::-1][k - 1]
    above = s > cut
    tied = s == cut
    slots = k - int(above.sum())
    wins_top = y[above].sum() + slots * y[tied].mean()
    base = y.mean()
    top_rate = wins_top / k
    rest_rate = (y.sum() - wins_top) / (n - k)
    return Lift(k, float(top_rate), float(rest_rate), float(base), float(top_rate / base) if base > 0 else float("nan"))
