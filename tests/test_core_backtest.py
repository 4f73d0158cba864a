"""Backtest core: AUC (Hanley & McNeil 1982), stratified bootstrap interval, Brier, reliability, lift."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu, norm

from mcda_qualify.core.backtest import auc, auc_bootstrap, brier, lift, reliability


def test_auc_hanley_mcneil_1982_table_1():
    """Hanley & McNeil (1982), Radiology 143, 29-36, Table 1: 109 CT images rated on a 5-point scale
    (1 definitely normal .. 5 definitely abnormal); 58 normal: 33, 6, 6, 11, 2; 51 abnormal: 3, 2, 2,
    11, 33. The paper reports an area of 0.893 (ties counted 1/2)."""
    normal = np.repeat([1, 2, 3, 4, 5], [33, 6, 6, 11, 2])
    abnormal = np.repeat([1, 2, 3, 4, 5], [3, 2, 2, 11, 33])
    scores = np.r_[abnormal, normal]
    positive = np.r_[np.ones(51, bool), np.zeros(58, bool)]
    assert auc(scores, positive) == pytest.approx(0.893, abs=5e-4)


@pytest.mark.parametrize("seed", range(5))
def test_auc_equals_mann_whitney_u(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    scores = rng.integers(0, 6, n).astype(float) if seed % 2 else rng.normal(size=n)  # ties on odd seeds
    won = rng.random(n) < 0.4
    won[:2] = [True, False]
    u = mannwhitneyu(scores[won], scores[~won]).statistic
    assert auc(scores, won) == pytest.approx(u / (won.sum() * (~won).sum()), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=2, max_size=30))
def test_auc_properties(data):
    s = np.array([d[0] for d in data], dtype=float)
    y = np.array([d[1] for d in data])
    if y.all() or not y.any():
        return
    a = auc(s, y)
    assert 0.0 <= a <= 1.0
    assert auc(-s, y) == pytest.approx(1.0 - a, abs=1e-12)          # reversing the score
    assert auc(np.exp(s / 3.0) * 7 + 2, y) == pytest.approx(a, abs=1e-12)  # any increasing transform
    assert auc(s, ~y) == pytest.approx(1.0 - a, abs=1e-12)


def test_auc_perfect_and_ties():
    assert auc([3, 2, 1, 0], [True, True, False, False]) == 1.0
    assert auc([1, 1, 1, 1], [True, False, True, False]) == 0.5


def test_bootstrap_is_stratified_and_reproducible():
    rng = np.random.default_rng(1)
    s = rng.normal(size=40)
    y = np.arange(40) < 15
    a = auc_bootstrap(s, y, samples=500, seed=7)
    b = auc_bootstrap(s, y, samples=500, seed=7)
    assert np.array_equal(a.replicates, b.replicates)
    assert a.auc == pytest.approx(auc(s, y))
    assert a.low <= a.auc <= a.high and a.method == "percentile"
    # with every score distinct and perfect separation, every stratified replicate is 1
    c = auc_bootstrap(np.arange(10.0), np.arange(10) >= 5, samples=200, seed=0)
    assert np.all(c.replicates == 1.0)


def test_bootstrap_interval_covers_true_auc_at_nominal_rate():
    """Binormal model: lost ~ N(0, 1), won ~ N(d, 1), so the true AUC is Phi(d / sqrt 2)."""
    t0 = time.perf_counter()
    rng = np.random.default_rng(20241)
    d, n1, n0, reps = 1.0, 40, 40, 200
    true_auc = norm.cdf(d / np.sqrt(2))
    hits = 0
    for _ in range(reps):
        s = np.r_[rng.normal(d, 1, n1), rng.normal(0, 1, n0)]
        y = np.r_[np.ones(n1, bool), np.zeros(n0, bool)]
        iv = auc_bootstrap(s, y, samples=2000, seed=rng, level=0.95)
        hits += iv.low <= true_auc <= iv.high
    coverage = hits / reps
    assert 0.88 <= coverage <= 0.99, coverage
    assert time.perf_counter() - t0 < 20


def test_brier_hand_values():
    assert brier([1.0, 0.0], [True, False]) == 0.0
    assert brier([0.5, 0.5, 0.5], [True, False, True]) == 0.25
    # (0.8-1)^2 + (0.3-0)^2 + (0.6-0)^2 = 0.04 + 0.09 + 0.36 = 0.49 over 3
    assert brier([0.8, 0.3, 0.6], [1, 0, 0]) == pytest.approx(0.49 / 3)


def test_reliability_table():
    p = np.array([0.05, 0.15, 0.5, 0.55, 0.95, 1.0])
    y = np.array([0, 0, 1, 0, 1, 1], bool)
    r = reliability(p, y, bins=5)
    assert r.counts.tolist() == [2, 0, 2, 0, 2]      # 1.0 falls in the last, closed bin
    assert r.mean_predicted[0] == pytest.approx(0.10)
    assert r.observed_rate[2] == pytest.approx(0.5)
    assert np.isnan(r.mean_predicted[1]) and np.isnan(r.observed_rate[3])
    assert r.observed_rate[4] == 1.0


def test_lift_with_a_tie_at_the_cut():
    # 6 deals, top third = 2 places; scores 9 (won), then three tied at 5 (won, lost, lost)
    s = np.array([9, 5, 5, 5, 1, 0], float)
    y = np.array([1, 1, 0, 0, 1, 0], bool)
    lf = lift(s, y, 1 / 3)
    assert lf.n_top == 2
    assert lf.top_rate == pytest.approx((1 + 1 / 3) / 2)       # one sure win + 1 place among 3 ties, 1 of them won
    assert lf.base_rate == pytest.approx(0.5)
    assert lf.rest_rate == pytest.approx((3 - (1 + 1 / 3)) / 4)
    assert lf.lift == pytest.approx(lf.top_rate / 0.5)
    # the same data in another order gives the same answer
    perm = np.array([3, 0, 5, 1, 4, 2])
    assert lift(s[perm], y[perm]).top_rate == pytest.approx(lf.top_rate)


@pytest.mark.parametrize("call, word", [
    (lambda: auc([1, 2], [True, True]), "won"),
    (lambda: auc([1, 2, 3], [True, False]), "same length"),
    (lambda: auc([1, np.nan], [True, False]), "finite"),
    (lambda: auc_bootstrap([1, 2], [True, False], samples=5), "samples"),
    (lambda: auc_bootstrap([1, 2], [True, False], level=1.5), "level"),
    (lambda: brier([1.2], [True]), "prob"),
    (lambda: reliability([0.2], [True], bins=0), "bins"),
    (lambda: lift([1, 2], [True, False], top_fraction=1.0), "top_fraction"),
])
def test_bad_arguments_name_the_argument(call, word):
    with pytest.raises(ValueError, match=word):
        call()
