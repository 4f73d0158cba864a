"""TOPSIS against published figures and against pymcdm's independent implementation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import minmax_normalization, vector_normalization
from scipy.stats import rankdata

from mcda_qualify.errors import InputError
from mcda_qualify.core.methods import normalize, score, topsis, topsis_explain
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import rank

PYMCDM_NORM = {"vector": vector_normalization, "minmax": minmax_normalization}

# pymcdm's input validation warns about dominant alternatives in random problems; that is not a failure
pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")


# ------------------------------------------------------------------------------------------------
# published reference cases
# ------------------------------------------------------------------------------------------------


def test_tzeng_huang_2011():
    """Tzeng, G.-H., & Huang, J.-J. (2011). Multiple Attribute Decision Making: Methods and
    Applications. CRC Press. TOPSIS example, also used in scikit-criteria's TOPSIS test:
    vector normalisation, every criterion a benefit."""
    matrix = np.array([[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]], dtype=float)
    weights = np.array([0.3, 0.4, 0.3])
    types = np.array([1, 1, 1])
    expected_closeness = [0.5037, 0.6581, 0.7482, 0.3340]  # published, 4 decimals
    expected_ranks = [3, 2, 1, 4]                            # published
    c = topsis(matrix, weights, types, "vector")
    assert np.round(c, 4).tolist() == expected_closeness
    assert rankdata(-c, method="min").astype(int).tolist() == expected_ranks


PYMCDM_DOC_MATRIX = np.array([[1, 3000], [2, 3750], [5, 4500]], dtype=float)


def test_pymcdm_docstring_minmax():
    """pymcdm 1.4.0, pymcdm.methods.TOPSIS docstring example (its default min-max normalisation);
    data after Opricovic & Tzeng (2004), EJOR 156(2), 445-455. Published result [0.500, 0.617, 0.500]."""
    c = topsis(PYMCDM_DOC_MATRIX, np.array([0.5, 0.5]), np.array([-1, 1]), "minmax")
    assert np.round(c, 3).tolist() == [0.500, 0.617, 0.500]


def test_pymcdm_docstring_data_with_vector_normalisation():
    """The same pymcdm 1.4.0 docstring data with vector normalisation
    (pymcdm TOPSIS(normalization_function=vector_normalization)): [0.762, 0.722, 0.238]."""
    c = topsis(PYMCDM_DOC_MATRIX, np.array([0.5, 0.5]), np.array([-1, 1]), "vector")
    assert np.round(c, 3).tolist() == [0.762, 0.722, 0.238]


def test_the_normalisations_differ_on_the_same_data():
    a = topsis(PYMCDM_DOC_MATRIX, np.array([0.5, 0.5]), np.array([-1, 1]), "vector")
    b = topsis(PYMCDM_DOC_MATRIX, np.array([0.5, 0.5]), np.array([-1, 1]), "minmax")
    assert not np.allclose(a, b)


# ------------------------------------------------------------------------------------------------
# agreement with pymcdm
# ------------------------------------------------------------------------------------------------


def _random_problem(rng):
    n, m = int(rng.integers(2, 12)), int(rng.integers(1, 7))
    matrix = rng.uniform(0.5, 100.0, size=(n, m)) * rng.uniform(0.01, 100.0, size=m)
    weights = rng.dirichlet(np.ones(m))
    types = rng.choice([-1, 1], size=m)
    return matrix, weights, types


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_agrees_with_pymcdm_on_200_random_problems(normalization):
    rng = np.random.default_rng(20240611)
    body = TOPSIS(normalization_function=PYMCDM_NORM[normalization])
    for _ in range(200):
        matrix, weights, types = _random_problem(rng)
        ours = topsis(matrix, weights, types, normalization)
        theirs = body(matrix, weights, types)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
        assert ours.shape == (matrix.shape[0],)
        assert np.all((ours >= 0) & (ours <= 1))


def test_score_topsis_is_topsis():
    rng = np.random.default_rng(7)
    matrix, weights, types = _random_problem(rng)
    for norm in ("vector", "minmax"):
        np.testing.assert_array_equal(score("topsis", matrix, weights, types, normalization=norm),
                                      topsis(matrix, weights, types, norm))


def test_rank_on_the_case_study_equals_pymcdm(case, criteria):
    """The labelled layer (portfolio -> rank) gives pymcdm's closeness on the bundled case study."""
    for norm in ("vector", "minmax"):
        r = rank(case, normalization=norm)
        theirs = TOPSIS(PYMCDM_NORM[norm])(case.matrix, criteria.default_weights(), criteria.types)
        np.testing.assert_allclose(r.table["score"].to_numpy(), theirs, atol=1e-12)
        assert r.table["rank"].tolist() == rankdata(-np.round(theirs, 12), method="min").astype(int).tolist()
        assert r.normalization == norm and r.better == "higher" and r.method == "topsis"


# ------------------------------------------------------------------------------------------------
# batches and explanations
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_batch_of_weights_equals_single_calls(normalization):
    rng = np.random.default_rng(11)
    matrix = rng.uniform(1, 50, size=(9, 5))
    types = np.array([1, -1, 1, -1, 1])
    batch = rng.dirichlet(np.ones(5), size=64)
    out = topsis(matrix, batch, types, normalization)
    assert out.shape == (64, 9)
    singles = np.array([topsis(matrix, w, types, normalization) for w in batch])
    np.testing.assert_allclose(out, singles, rtol=0, atol=1e-14)
    np.testing.assert_allclose(score("topsis", matrix, batch, types, normalization=normalization), singles, atol=1e-14)


@pytest.mark.parametrize("normalization", ["vector", "minmax"])
def test_explanation_shares_and_distances(normalization):
    rng = np.random.default_rng(3)
    for _ in range(20):
        matrix, weights, types = _random_problem(rng)
        ex = topsis_explain(matrix, weights, types, normalization)
        n, m = matrix.shape
        assert ex.normalized.shape == ex.weighted.shape == ex.share_ideal.shape == (n, m)
        # shares of each row sum to one (or are all zero where the row sits on the ideal / anti-ideal)
        for shares, dist in ((ex.share_ideal, ex.d_ideal), (ex.share_anti_ideal, ex.d_anti_ideal)):
            sums = shares.sum(axis=1)
            np.testing.assert_allclose(sums[dist > 0], 1.0, atol=1e-12)
            np.testing.assert_array_equal(sums[dist == 0], 0.0)
            assert np.all(shares >= 0)
        # the tables reproduce the distances and the closeness (Hwang & Yoon 1981, steps 3-6)
        np.testing.assert_allclose(ex.weighted, ex.normalized * weights, atol=1e-15)
        np.testing.assert_allclose(ex.ideal, ex.weighted.max(axis=0))
        np.testing.assert_allclose(ex.anti_ideal, ex.weighted.min(axis=0))
        dp = np.sqrt(((ex.weighted - ex.ideal) ** 2).sum(axis=1))
        dm = np.sqrt(((ex.weighted - ex.anti_ideal) ** 2).sum(axis=1))
        np.testing.assert_allclose(ex.d_ideal, dp, atol=1e-12)
        np.testing.assert_allclose(ex.d_anti_ideal, dm, atol=1e-12)
        np.testing.assert_allclose(ex.share_ideal * (dp ** 2)[:, None], (ex.weighted - ex.ideal) ** 2, atol=1e-12)
        np.testing.assert_allclose(ex.closeness, dm / (dp + dm), atol=1e-12)
        np.testing.assert_allclose(ex.closeness, topsis(matrix, weights, types, normalization), atol=1e-12)


def test_explain_takes_one_weight_vector():
    with pytest.raises(ValueError, match="one weight vector"):
        topsis_explain(PYMCDM_DOC_MATRIX, np.array([[0.5, 0.5]]), np.array([-1, 1]))


def test_ranking_contributions_table(case):
    r = rank(case)
    c = r.contributions()
    assert len(c) == len(case) * len(case.criteria.ids)
    sums = c.groupby("id")["share_of_distance_to_ideal"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-12)
    assert set(c["criterion"]) == set(case.criteria.ids)
    with pytest.raises(InputError, match="contributions are defined for TOPSIS"):
        rank(case, method="vikor").contributions()


# ------------------------------------------------------------------------------------------------
# normalisation
# ------------------------------------------------------------------------------------------------


def test_normalize_formulas():
    x = np.array([[3.0, 10.0], [4.0, 30.0]])
    v = normalize(x, np.array([1, -1]), "vector")
    np.testing.assert_allclose(v[:, 0], [3 / 5, 4 / 5])
    np.testing.assert_allclose(v[:, 1], 1 - np.array([10, 30]) / np.sqrt(1000))
    mm = normalize(x, np.array([1, -1]), "minmax")
    np.testing.assert_allclose(mm, [[0, 1], [1, 0]])
    with pytest.raises(ValueError, match="unknown normalization"):
        normalize(x, np.array([1, -1]), "sum")


def test_rank_refuses_unknown_normalization(case):
    with pytest.raises(InputError, match=r"unknown normalization \(got 'l2'\)"):
        rank(case, normalization="l2")


def test_ties_share_the_best_rank(small, tk):
    rows = tk.small_rows()
    rows[2] = ["C", "Copy of A", *rows[0][2:]]
    p = load_portfolio(pd.DataFrame(rows, columns=tk.SMALL_HEADER), small)
    r = rank(p)
    a, c = r.table.set_index("id").loc[["A", "C"], "rank"]
    assert a == c
    assert sorted(r.table["rank"]) in ([1, 1, 3], [1, 2, 2])
    assert list(r.sorted()["id"]) == sorted(r.sorted()["id"], key=lambda i: (int(r.table.set_index("id").loc[i, "rank"]), i))
