"""Every ranking method of score() against at least two independent implementations on random problems.

Coverage (the other files hold the rest; test-only dependencies pymcdm, pyDecision, scikit-criteria):

=============  ==========================================================================
TOPSIS         pymcdm (tests/test_topsis.py), pyDecision and scikit-criteria (here)
VIKOR          pymcdm, pyDecision, scikit-criteria (tests/test_core_vikor.py)
PROMETHEE II   pyDecision, pymcdm (tests/test_core_promethee.py, tests/test_methods.py)
WSM            pymcdm, pyDecision, scikit-criteria (tests/test_core_wsm.py)
COPRAS         pyDecision, scikit-criteria, hand formula (tests/test_core_copras.py, test_methods.py)
WPM            pymcdm (tests/test_methods.py), scikit-criteria and the formula (here)
MOORA          pymcdm (tests/test_methods.py), pyDecision and scikit-criteria (here)
SPOTIS         pymcdm (tests/test_methods.py), pyDecision, scikit-criteria and the formula (here)
=============  ==========================================================================

Convention differences are named where a test passes its inputs differently.
"""
from __future__ import annotations

import numpy as np
import pytest

from mcda_qualify.core.methods import score

pytestmark = pytest.mark.filterwarnings("ignore")


def _problems(seed: int, count: int = 200):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, m = int(rng.integers(3, 12)), int(rng.integers(2, 7))
        x = rng.uniform(1.0, 100.0, (n, m))
        w = rng.uniform(0.05, 1.0, m)
        t = rng.choice([-1, 1], m)
        t[0], t[-1] = 1, -1  # scikit-criteria's and pyDecision's ratio methods are happiest with both kinds
        yield x, w / w.sum(), t


def _mm(t):
    return ["max" if k > 0 else "min" for k in t]


def _dm(x, w, t):
    import skcriteria as skc

    return skc.mkdm(x, [max if k > 0 else min for k in t], weights=w)


def test_topsis_vector_against_pydecision_and_skcriteria():
    """pyDecision's topsis_method and scikit-criteria's TOPSIS (after VectorScaler) divide by the
    column norm and pick the ideal per objective. We turn costs into 1 - r instead: the distances, so
    the closeness, are the same (Hwang & Yoon 1981)."""
    from pyDecision.algorithm import topsis_method
    from skcriteria.agg.similarity import TOPSIS
    from skcriteria.preprocessing.scalers import VectorScaler

    for x, w, t in _problems(1981):
        ours = score("topsis", x, w, t, normalization="vector")
        np.testing.assert_allclose(ours, topsis_method(x, w, _mm(t), graph=False, verbose=False), atol=1e-12)
        res = TOPSIS().evaluate(VectorScaler(target="matrix").transform(_dm(x, w, t)))
        np.testing.assert_allclose(ours, res.e_.similarity, atol=1e-12)


def test_topsis_minmax_against_skcriteria_and_the_formula():
    """scikit-criteria: MinMaxScaler maps every column (x - min)/(max - min) and TOPSIS takes the cost
    ideal at the minimum; ours maps costs to (max - x)/(max - min): the same distances."""
    from skcriteria.agg.similarity import TOPSIS
    from skcriteria.preprocessing.scalers import MinMaxScaler

    for x, w, t in _problems(1982):
        ours = score("topsis", x, w, t, normalization="minmax")
        res = TOPSIS().evaluate(MinMaxScaler(target="matrix").transform(_dm(x, w, t)))
        np.testing.assert_allclose(ours, res.e_.similarity, atol=1e-12)
        r = (x - x.min(axis=0)) / np.ptp(x, axis=0)
        v = r * w
        best = np.where(t > 0, v.max(axis=0), v.min(axis=0))
        worst = np.where(t > 0, v.min(axis=0), v.max(axis=0))
        dp, dm = np.linalg.norm(v - best, axis=1), np.linalg.norm(v - worst, axis=1)
        np.testing.assert_allclose(ours, dm / (dp + dm), atol=1e-12)


def test_wpm_against_skcriteria_and_the_formula():
    """pymcdm's WPM (ours): prod_j r_ij^w_j with sum normalisation, costs as (1/x)/sum(1/x).
    scikit-criteria's WeightedProductModel wants maximised, scaled input (InvertMinimize 1/x, then
    SumScaler) and returns log10 of the product: compared as 10**score."""
    from skcriteria.agg.simple import WeightedProductModel
    from skcriteria.preprocessing.invert_objectives import InvertMinimize
    from skcriteria.preprocessing.scalers import SumScaler

    for x, w, t in _problems(1922):
        ours = score("wpm", x, w, t)
        y = np.where(t > 0, x, 1.0 / x)
        r = y / y.sum(axis=0)
        np.testing.assert_allclose(ours, np.prod(r ** w, axis=1), rtol=1e-12)
        dm = SumScaler(target="matrix").transform(InvertMinimize().transform(_dm(x, w, t)))
        np.testing.assert_allclose(ours, 10 ** WeightedProductModel().evaluate(dm).e_.score, rtol=1e-10)


def test_moora_against_pydecision_and_skcriteria():
    """Ratio system (Brauers & Zavadskas 2006). pyDecision's moora_method returns (id, score) rows;
    scikit-criteria's RatioMOORA takes the vector-normalised matrix (VectorScaler)."""
    from pyDecision.algorithm import moora_method
    from skcriteria.agg.moora import RatioMOORA
    from skcriteria.preprocessing.scalers import VectorScaler

    for x, w, t in _problems(2006):
        ours = score("moora", x, w, t)
        pyd = moora_method(x, w, _mm(t), graph=False, verbose=False)
        np.testing.assert_allclose(ours[pyd[:, 0].astype(int) - 1], pyd[:, 1], atol=1e-12)
        res = RatioMOORA().evaluate(VectorScaler(target="matrix").transform(_dm(x, w, t)))
        np.testing.assert_allclose(ours, res.e_.score, atol=1e-12)


def test_spotis_against_pydecision_skcriteria_and_the_formula():
    """SPOTIS (Dezert et al. 2020): d_i = sum_j w_j |x_ij - isp_j| / (max_j - min_j), smaller is better,
    the ideal point at the favourable bound. pyDecision adds 1e-16 to the divisor (negligible here)."""
    from pyDecision.algorithm import spotis_method
    from skcriteria.agg.spotis import SPOTIS

    rng = np.random.default_rng(2020)
    for x, w, t in _problems(2020):
        lo, hi = x.min(axis=0) - rng.uniform(0, 10, x.shape[1]), x.max(axis=0) + rng.uniform(0, 10, x.shape[1])
        bounds = np.column_stack([lo, hi])
        ours = score("spotis", x, w, t, bounds=bounds)
        isp = np.where(t > 0, hi, lo)
        np.testing.assert_allclose(ours, (np.abs(x - isp) / (hi - lo)) @ w, atol=1e-12)
        np.testing.assert_allclose(ours, spotis_method(x, _mm(t), w, lo, hi, graph=False, verbose=False), atol=1e-12)
        res = SPOTIS().evaluate(_dm(x, w, t), bounds=bounds)
        np.testing.assert_allclose(ours, res.e_.score, atol=1e-12)
