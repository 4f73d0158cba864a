"""SMAA weight models (uniform, Dirichlet, interval, ordinal, sampled, judgment uncertainty) and
score uncertainty (ranges, triangular).

Numeric core (arrays in, arrays out; bad arguments raise :class:`ValueError`). The conventions
(``matrix``, ``types``, the methods, the weight sweep, ranks and ties) are those of
:mod:`mcda_qualify.core.batch`; docs/sensitivity.md has the formulas and sources.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .batch import unit_weights



class WeightModel(Protocol):
    """Draws weight vectors (n, M) on the simplex from a numpy Generator."""

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray: ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class UniformWeights:
    """No preference information: uniform on the simplex = Dirichlet(1, ..., 1), drawn as normalised
    standard exponentials (Lahdelma & Salminen 2001; Tervonen & Lahdelma 2007, EJOR 178(2), 500-513)."""

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        e = rng.standard_exponential((n, m))
        e /= e.sum(axis=1, keepdims=True)
        return e

    def describe(self) -> dict[str, Any]:
        return {"model": "uniform", "distribution": "Dirichlet(1,...,1): uniform on the weight simplex"}


@dataclass(frozen=True)
class DirichletWeights:
    """Around given weights: Dirichlet(c * w) with mean w and Var(w_j) = w_j (1 - w_j) / (c + 1)
    (moments of the Dirichlet distribution; Kotz, Balakrishnan & Johnson (2000), Continuous
    Multivariate Distributions, ch. 49)."""

    center: np.ndarray
    concentration: float = 100.0

    def __post_init__(self) -> None:
        c = np.asarray(self.center, dtype=float)
        if c.ndim != 1 or np.any(~np.isfinite(c)) or np.any(c <= 0):
            raise ValueError("Dirichlet weights need a centre with every weight > 0")
        if not (np.isfinite(self.concentration) and self.concentration > 0):
            raise ValueError("the Dirichlet concentration must be a finite number > 0")
        object.__setattr__(self, "center", c / c.sum())

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != self.center.size:
            raise ValueError(f"centre has {self.center.size} weights for {m} criteria")
        return rng.dirichlet(self.concentration * self.center, size=n)

    def describe(self) -> dict[str, Any]:
        return {"model": "dirichlet", "center": self.center.tolist(), "concentration": float(self.concentration),
                "distribution": "Dirichlet(concentration * center): mean = center, "
                                "var_j = w_j (1 - w_j) / (concentration + 1)"}


@dataclass(frozen=True)
class IntervalWeights:
    """Per-criterion intervals lower_j <= w_j <= upper_j: uniform on {w in the simplex within the bounds}.

    Drawn as w = lower + (1 - sum lower) * d with d uniform on the simplex (an affine map of the simplex
    onto {w >= lower, sum w = 1}, so still uniform there), rejecting draws above an upper bound
    (Tervonen & Lahdelma 2007, EJOR 178(2), 500-513, on sampling constrained weights).
    """

    lower: np.ndarray
    upper: np.ndarray
    min_acceptance: float = 1e-4

    def __post_init__(self) -> None:
        lo, hi = np.asarray(self.lower, dtype=float), np.asarray(self.upper, dtype=float)
        if lo.shape != hi.shape or lo.ndim != 1:
            raise ValueError("lower and upper bounds need one value per criterion")
        if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)) or np.any(lo < 0) or np.any(hi > 1) or np.any(lo > hi):
            raise ValueError("weight intervals must satisfy 0 <= lower <= upper <= 1")
        if lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
            raise ValueError(f"no weights sum to 1 within the intervals (sum of lower {lo.sum():g}, "
                             f"sum of upper {hi.sum():g})")
        object.__setattr__(self, "lower", lo)
        object.__setattr__(self, "upper", hi)
        rate = self._accept(np.random.default_rng(0), 4096)[1]
        if rate < self.min_acceptance:
            raise ValueError(f"weight intervals are too narrow to sample (acceptance {rate:.2g}); widen them")
        object.__setattr__(self, "_rate", max(rate, self.min_acceptance))

    def _accept(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, float]:
        d = UniformWeights().draw(rng, n, self.lower.size)
        w = self.lower + (1.0 - self.lower.sum()) * d
        ok = np.all(w <= self.upper, axis=1)
        return w[ok], float(ok.mean())

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != self.lower.size:
            raise ValueError(f"intervals given for {self.lower.size} criteria, matrix has {m}")
        got: list[np.ndarray] = []
        have = 0
        while have < n:
            need = n - have
            w, _ = self._accept(rng, int(math.ceil(1.2 * need / self._rate)) + 16)
            got.append(w)
            have += len(w)
        return np.concatenate(got)[:n]

    def describe(self) -> dict[str, Any]:
        return {"model": "intervals", "lower": self.lower.tolist(), "upper": self.upper.tolist(),
                "distribution": "uniform on the simplex within the intervals (scaled Dirichlet(1) + rejection)"}


@dataclass(frozen=True)
class OrdinalWeights:
    """An importance order of the criteria (indices, most important first): uniform simplex samples sorted
    in decreasing order and assigned along the order, i.e. uniform on {w_order[0] >= w_order[1] >= ...}
    (Tervonen & Lahdelma 2007, EJOR 178(2), 500-513)."""

    order: Sequence[int]

    def __post_init__(self) -> None:
        o = [int(i) for i in self.order]
        if sorted(o) != list(range(len(o))):
            raise ValueError("an ordinal weight order must name every criterion exactly once")
        object.__setattr__(self, "order", tuple(o))

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        if m != len(self.order):
            raise ValueError(f"order names {len(self.order)} criteria, matrix has {m}")
        u = -np.sort(-UniformWeights().draw(rng, n, m), axis=1)
        w = np.empty_like(u)
        w[:, list(self.order)] = u
        return w

    def describe(self) -> dict[str, Any]:
        return {"model": "ordinal", "order": list(self.order),
                "distribution": "uniform on the simplex, sorted along the importance order"}


@dataclass(frozen=True)
class SampledWeights:
    """Weight vectors given as samples (K, M), e.g. from :func:`ahp_weight_samples`; rows renormalised."""

    samples: np.ndarray
    source: str = "given samples"

    def __post_init__(self) -> None:
        s = np.asarray(self.samples, dtype=float)
        if s.ndim != 2 or s.shape[0] == 0:
            raise ValueError("weight samples must be an array (K, M) with K >= 1")
        object.__setattr__(self, "samples", unit_weights(s))

    def draw(self, rng: np.random.Generator, n: int, m: int) -> np.ndarray:
        """n rows resampled with replacement (SMAA itself walks the samples in order instead)."""
        if self.samples.shape[1] != m:
            raise ValueError(f"weight samples have {self.samples.shape[1]} criteria, expected {m}")
        return self.samples[rng.integers(0, self.samples.shape[0], size=n)]

    def describe(self) -> dict[str, Any]:
        return {"model": "samples", "source": self.source, "samples": int(self.samples.shape[0])}


def triangular(rng: np.random.Generator, low: np.ndarray, likely: np.ndarray, high: np.ndarray,
               size: tuple[int, ...]) -> np.ndarray:
    """Triangular(low, likely, high) draws by the inverse CDF, vectorised (low < high everywhere).

    The same algorithm as numpy's ``Generator.triangular`` (one uniform U per value: low +
    sqrt(U (high - low)(likely - low)) when U <= (likely - low) / (high - low), else high -
    sqrt((1 - U)(high - low)(high - likely))), so the same generator gives the same values, without
    the per-element cost of broadcasting three parameter arrays. (Inverse CDF of the triangular
    distribution: Johnson, Kotz & Balakrishnan (1995), Continuous Univariate Distributions, vol. 2.)
    """
    base = high - low
    u = rng.random(size)
    left = np.sqrt(u * ((likely - low) * base)) + low
    right = high - np.sqrt((1.0 - u) * ((high - likely) * base))
    return np.where(u <= (likely - low) / base, left, right)


@dataclass(frozen=True)
class ScoreRanges:
    """Uncertain criterion values: per cell [low, high], uniform, or triangular(low, likely, high) where
    ``likely`` is given (not NaN), drawn as numpy's ``Generator.triangular`` draws them (see
    :func:`triangular`). Cells with low == high keep the value ``base``. Arrays (N, M)."""

    base: np.ndarray
    low: np.ndarray
    high: np.ndarray
    likely: np.ndarray | None = None

    def __post_init__(self) -> None:
        base = np.asarray(self.base, dtype=float)
        lo, hi = np.asarray(self.low, dtype=float), np.asarray(self.high, dtype=float)
        lk = np.full(base.shape, np.nan) if self.likely is None else np.asarray(self.likely, dtype=float)
        if not (base.shape == lo.shape == hi.shape == lk.shape) or base.ndim != 2:
            raise ValueError("base, low, high (and likely) must be arrays of the same shape (N, M)")
        if np.any(~np.isfinite(lo)) or np.any(~np.isfinite(hi)) or np.any(lo > base) or np.any(base > hi):
            raise ValueError("every cell needs low <= value <= high")
        given = ~np.isnan(lk)
        if np.any(given & ((lk < lo) | (lk > hi))):
            raise ValueError("every likely value must lie in [low, high]")
        for k, v in (("base", base), ("low", lo), ("high", hi), ("likely", lk)):
            object.__setattr__(self, k, v)
        unc = hi > lo
        # flat cell indices (row-major) of the uniform and the triangular cells
        object.__setattr__(self, "_uni", np.flatnonzero(unc & ~given))
        object.__setattr__(self, "_tri", np.flatnonzero(unc & given))

    @property
    def uncertain(self) -> int:
        return int(self._uni.size + self._tri.size)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """n matrices (n, N, M): uniform cells first, then triangular cells, in row-major cell order."""
        cells = self.base.size
        x = np.empty((n, cells))
        x[:] = self.base.ravel()
        u, t = self._uni, self._tri
        lo, hi = self.low.ravel(), self.high.ravel()
        if u.size:
            x[:, u] = lo[u] + (hi[u] - lo[u]) * rng.random((n, u.size))
        if t.size:
            x[:, t] = triangular(rng, lo[t], self.likely.ravel()[t], hi[t], (n, t.size))
        return x.reshape(n, *self.base.shape)

    def describe(self) -> dict[str, Any]:
        return {"uniform_cells": int(self._uni.size), "triangular_cells": int(self._tri.size)}


def ahp_weight_samples(judgments: np.ndarray, samples: int, seed: int | np.random.SeedSequence | None = None,
                       *, steps: int = 1, method: str = "geometric") -> np.ndarray:
    """Weight samples (K, n) from a pairwise judgment matrix (n, n) with each judgment uncertain.

    Every given judgment a_ij above the diagonal (a value of Saaty's 1-9 scale, 1/9 .. 9) moves to a
    scale value at most ``steps`` positions away, each reachable position equally likely; a_ji =
    1 / a_ij. Missing judgments (NaN or 0) stay missing. Complete matrices: priorities by the row
    geometric mean (Crawford & Williams 1985) or the eigenvector (Saaty 1980), batched over K via
    :func:`mcda_qualify.ahp.priorities`; incomplete ones by logarithmic least squares
    (:func:`judges_weight_samples`). Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
    """
    from . import ahp
    from ..errors import JudgmentError

    a = np.asarray(judgments, dtype=float)
    missing = np.isnan(a) | (a == 0)
    if missing.any():
        if method != "geometric":
            raise JudgmentError("judgment uncertainty on incomplete judgments uses logarithmic least squares",
                                value=method, expected="method='geometric'")
        return judges_weight_samples([a], None, samples, seed, steps=steps)
    ahp.priorities(a, method)  # validates (shape, positivity, reciprocity) with JudgmentError
    n = a.shape[0]
    iu, ju = np.triu_indices(n, 1)
    moved = _perturbed_logs(a[iu, ju], samples, seed, steps)
    logs = np.zeros((int(samples), n, n))
    logs[:, iu, ju] = moved
    logs[:, ju, iu] = -moved
    return ahp.priorities(np.exp(logs), method)


def _perturbed_logs(values: np.ndarray, samples: int, seed: int | np.random.SeedSequence | None,
                    steps: int) -> np.ndarray:
    """(K, P) logs of the judgments ``values`` (P,), each moved up to ``steps`` scale positions."""
    from . import ahp
    from ..errors import JudgmentError

    scale = np.log(ahp.SAATY_SCALE)
    la = np.log(values)
    pos = np.argmin(np.abs(la[:, None] - scale), axis=1)
    off = np.abs(la - scale[pos]) > 0.01
    if off.any():
        q = int(np.flatnonzero(off)[0])
        raise JudgmentError(f"judgment number {q + 1} is not on Saaty's 1-9 scale", value=float(values[q]),
                            expected="1/9 .. 1/2, 1, 2 .. 9")
    if int(samples) < 1 or int(steps) < 0:
        raise ValueError("samples must be >= 1 and steps >= 0")
    rng = np.random.default_rng(np.random.SeedSequence(_entropy(seed)))
    lo = np.maximum(pos - steps, 0)
    hi = np.minimum(pos + steps, scale.size - 1)
    return scale[rng.integers(lo, hi + 1, size=(int(samples), values.size))]


def judges_weight_samples(matrices: Sequence[np.ndarray], judge_weights: Sequence[float] | None, samples: int,
                          seed: int | np.random.SeedSequence | None = None, *, steps: int = 1) -> np.ndarray:
    """Weight samples (K, n) from one or several judges' (possibly incomplete) matrices, every given
    judgment moved within ``steps`` Saaty-scale positions.

    Weighted logarithmic least squares over all judges' judgments (Crawford & Williams 1985; Bozoki,
    Fulop & Ronyai 2010 for incomplete matrices): minimise sum_k omega_k sum_(i,j given by k)
    (log a_ij^k - y_i + y_j)^2, i.e. solve L y = r with the judge-weighted Laplacian L of the
    comparison graph (the same for every sample) and r_i = sum omega_k log a_ij^k. One
    pseudo-inverse serves all K samples: a matrix product, no loop over samples. With complete
    matrices this equals the row geometric mean of the weighted geometric mean of the judges (AIJ).
    """
    from ..errors import JudgmentError

    mats = [np.asarray(m, dtype=float) for m in matrices]
    n = mats[0].shape[0]
    omega = np.ones(len(mats)) if judge_weights is None else np.asarray(judge_weights, dtype=float)
    omega = omega / omega.sum()
    ii, jj, ww, vals = [], [], [], []
    for k, m in enumerate(mats):
        iu, ju = np.triu_indices(n, 1)
        given = ~(np.isnan(m[iu, ju]) | (m[iu, ju] == 0))
        ii.append(iu[given])
        jj.append(ju[given])
        ww.append(np.full(int(given.sum()), omega[k]))
        vals.append(m[iu, ju][given])
    i, j, w, v = map(np.concatenate, (ii, jj, ww, vals))
    if v.size == 0:
        raise JudgmentError("no judgments to sample", expected="at least n - 1 connected judgments")
    lap = np.zeros((n, n))
    np.add.at(lap, (i, j), -w)
    np.add.at(lap, (j, i), -w)
    lap[np.diag_indices(n)] = -lap.sum(axis=1)
    if np.linalg.matrix_rank(lap) < n - 1:
        raise JudgmentError("the comparison graph is not connected: weights are undefined",
                            expected="judgments that link every criterion")
    logs = _perturbed_logs(v, samples, seed, steps)          # (K, P)
    incidence = np.zeros((v.size, n))                        # r = logs @ (w * (e_i - e_j))
    incidence[np.arange(v.size), i] = w
    incidence[np.arange(v.size), j] = -w
    y = (logs @ incidence) @ np.linalg.pinv(lap)             # (K, n), rows sum to 0
    e = np.exp(y - y.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)

def _entropy(seed: int | np.random.SeedSequence | None) -> int:
    if isinstance(seed, np.random.SeedSequence):
        ss = seed
    else:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
        ss = np.random.SeedSequence(None if seed is None else int(seed))
    ent = ss.entropy
    if not isinstance(ent, (int, np.integer)):
        raise ValueError("seed sequences with a list of entropy words are not supported")
    return int(ent)
