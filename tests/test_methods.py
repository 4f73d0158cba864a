"""The pymcdm adapters give pymcdm's own scores, and ranks follow each method's direction."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pymcdm import methods as pm
from scipy.stats import rankdata

from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.errors import InputError, PortfolioError
from mcda_qualify.core.methods import METHODS, score
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import available_methods, rank, rank_scores

pytestmark = pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")

ADAPTED = ["vikor", "promethee_ii", "spotis", "wsm", "wpm", "copras", "moora"]


def _pymcdm_body(method, bounds=None):
    if method == "vikor":
        return pm.VIKOR(v=0.5)
    if method == "promethee_ii":
        return pm.PROMETHEE_II("usual")
    if method == "spotis":
        return pm.SPOTIS(bounds)
    return getattr(pm, method.upper())()


def _problem(rng, n=None, m=None):
    n = n or int(rng.integers(3, 10))
    m = m or int(rng.integers(2, 6))
    matrix = rng.uniform(1.0, 100.0, size=(n, m))
    weights = rng.dirichlet(np.ones(m))
    types = rng.choice([-1, 1], size=m)
    types[0], types[-1] = 1, -1  # at least one of each
    return matrix, weights, types


def test_every_method_is_registered_with_a_direction_and_source():
    assert set(ADAPTED) | {"topsis"} <= set(available_methods())
    for name, info in METHODS.items():
        assert info.name == name
        assert info.better in ("higher", "lower")
        assert info.source


@pytest.mark.parametrize("method", ADAPTED)
def test_score_equals_direct_pymcdm_call(method):
    rng = np.random.default_rng(abs(hash(method)) % 2**32)
    for _ in range(25):
        matrix, weights, types = _problem(rng)
        bounds = np.column_stack([matrix.min(axis=0) - 1, matrix.max(axis=0) + 1])
        ours = score(method, matrix, weights, types, bounds=bounds)
        theirs = _pymcdm_body(method, bounds)(matrix, weights, types)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
        # weights need not sum to one: the adapter normalises them first
        np.testing.assert_allclose(score(method, matrix, 7.5 * weights, types, bounds=bounds), theirs, atol=1e-12)


@pytest.mark.parametrize("method", ADAPTED)
def test_ranks_follow_the_methods_direction(method):
    rng = np.random.default_rng(12345)
    for _ in range(25):
        matrix, weights, types = _problem(rng)
        bounds = np.column_stack([matrix.min(axis=0), matrix.max(axis=0)])
        body = _pymcdm_body(method, bounds)
        s = score(method, matrix, weights, types, bounds=bounds)
        ours = rank_scores(s, METHODS[method].better)
        if len(np.unique(np.round(s, 12))) == len(s):  # without ties, pymcdm's ranking is the same
            assert ours.tolist() == body.rank(s).astype(int).tolist()
        best = np.argmax(s) if METHODS[method].better == "higher" else np.argmin(s)
        assert ours[best] == 1


def _random_portfolio(rng, n=7):
    """A portfolio with numeric criteria: two with bounds (one cost, one benefit), two without."""
    crit = criteria_from_dict({"name": "random", "criteria": [
        {"id": "c0", "name": "C0", "direction": "benefit", "bounds": [0, 200]},
        {"id": "c1", "name": "C1", "direction": "cost", "bounds": [0, 200]},
        {"id": "c2", "name": "C2", "direction": "benefit"},
        {"id": "c3", "name": "C3", "direction": "cost"},
    ]})
    frame = pd.DataFrame(rng.uniform(1, 100, size=(n, 4)), columns=crit.ids)
    frame.insert(0, "id", [f"O{i:02d}" for i in range(n)])
    return crit, load_portfolio(frame, crit)


@pytest.mark.parametrize("method", ADAPTED)
def test_rank_equals_pymcdm_on_a_portfolio(method):
    rng = np.random.default_rng(99)
    for _ in range(10):
        crit, p = _random_portfolio(rng)
        w = rng.dirichlet(np.ones(4))
        # SPOTIS: the criteria's bounds where given, else the data range
        bounds = np.array([[0, 200], [0, 200],
                           [p.matrix[:, 2].min(), p.matrix[:, 2].max()],
                           [p.matrix[:, 3].min(), p.matrix[:, 3].max()]])
        theirs = _pymcdm_body(method, bounds)(p.matrix, w, crit.types)
        r = rank(p, w, method)
        np.testing.assert_allclose(r.table["score"].to_numpy(), theirs, atol=1e-12)
        expected = rankdata(-np.round(theirs, 12) if METHODS[method].better == "higher" else np.round(theirs, 12),
                            method="min").astype(int)
        assert r.table["rank"].tolist() == expected.tolist()
        assert r.better == METHODS[method].better and r.normalization is None
        assert r.source == METHODS[method].source
        if method == "spotis":
            assert r.details["bounds_from_data"] == ["c2", "c3"]


def test_rank_with_exclude_equals_pymcdm_on_the_rest():
    rng = np.random.default_rng(5)
    crit, p = _random_portfolio(rng)
    r = rank(p, [1, 2, 3, 4], "vikor", exclude=["c1"])
    keep = [0, 2, 3]
    theirs = pm.VIKOR()(p.matrix[:, keep], np.array([1, 3, 4]) / 8, crit.types[keep])
    np.testing.assert_allclose(r.table["score"].to_numpy(), theirs, atol=1e-12)
    assert list(r.weights.index) == ["c0", "c2", "c3"] and r.excluded == ["c1"]


def test_method_options_pass_through():
    rng = np.random.default_rng(8)
    crit, p = _random_portfolio(rng)
    w = crit.default_weights()
    r = rank(p, None, "vikor", vikor_v=0.2)
    np.testing.assert_allclose(r.table["score"], pm.VIKOR(v=0.2)(p.matrix, w, crit.types), atol=1e-12)
    thresholds = np.ptp(p.matrix, axis=0) / 2
    r = rank(p, None, "promethee_ii", promethee_preference="vshape", promethee_p=thresholds)
    expected = pm.PROMETHEE_II("vshape", p=thresholds)(p.matrix, w, crit.types)
    np.testing.assert_allclose(r.table["score"], expected, atol=1e-12)
    r = rank(p, None, "promethee_ii", promethee_preference="level", promethee_p=thresholds,
             promethee_q=thresholds / 4)
    expected = pm.PROMETHEE_II("level", p=thresholds, q=thresholds / 4)(p.matrix, w, crit.types)
    np.testing.assert_allclose(r.table["score"], expected, atol=1e-12)


def test_promethee_preference_without_its_thresholds():
    m, w, t = np.array([[4.0, 3, 2], [3, 2, 4], [5, 1, 3]]), np.array([0.5, 0.3, 0.2]), np.ones(3)
    with pytest.raises(ValueError, match=r"'vshape' needs promethee_p"):
        score("promethee_ii", m, w, t, promethee_preference="vshape")
    with pytest.raises(ValueError, match=r"'level' needs promethee_p and promethee_q"):
        score("promethee_ii", m, w, t, promethee_preference="level")
    with pytest.raises(ValueError, match="unknown PROMETHEE preference function"):
        score("promethee_ii", m, w, t, promethee_preference="gaussian")


# Reference figures printed in the pymcdm 1.4.0 docstrings of each method (the examples whose
# weights sum to one; our adapters normalise weights, so the WSM/WPM examples with weights summing
# to 2 do not apply). Each method's own sources are named in mcda_qualify.methods.METHODS.
DOCSTRING_CASES = {
    "vikor": (  # pymcdm.methods.VIKOR docstring
        [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]],
        [0.25, 0.25, 0.25, 0.25], [1, 1, 1, 1], None, 4, [0.5679, 0.7667, 1, 0.7493, 0]),
    "promethee_ii": (  # pymcdm.methods.PROMETHEE_II docstring, 'usual' preference function
        [[4, 3, 2], [3, 2, 4], [5, 1, 3]], [0.5, 0.3, 0.2], [1, 1, 1], None, 2, [0.1, -0.3, 0.2]),
    "spotis": (  # pymcdm.methods.SPOTIS docstring
        [[10.5, -3.1, 1.7], [-4.7, 0, 3.4], [8.1, 0.3, 1.3], [3.2, 7.3, -5.3]], [0.2, 0.3, 0.5], [1, -1, 1],
        [[-5, 12], [-6, 10], [-8, 5]], 4, [0.1989, 0.3705, 0.3063, 0.7491]),
    "copras": (  # pymcdm.methods.COPRAS docstring
        [[1543, 2000, 39000, 15, 13.76, 3.86, 5, 3, 5000], [1496, 3600, 43000, 14, 14, 2.5, 4, 4, 4000],
         [1584, 3100, 24500, 10, 13.1, 3.7, 2, 2, 3500], [1560, 2700, 36000, 12, 13.2, 3.2, 3, 3, 3500],
         [1572, 2500, 31500, 13, 13.3, 3.4, 3, 2, 3500], [1580, 2400, 20000, 12, 12.8, 3.9, 2, 2, 3000]],
        [0.2027, 0.1757, 0.1622, 0.1351, 0.1081, 0.0946, 0.0676, 0.0405, 0.0135], [-1, -1, -1, 1, 1, -1, 1, 1, 1],
        None, 4, [0.9459, 1.0, 0.8192, 0.8839, 0.8556, 0.7789]),
    "moora": (  # pymcdm.methods.MOORA docstring
        [[1.5, 3, 5, 3.3], [2, 7, 5, 3.35], [3, 1, 5, 3.07], [2.2, 4, 5, 3.5], [2, 5, 3, 3.09], [3.2, 2, 3, 3.48],
         [2.775, 3, 5, 3.27]], [0.3, 0.2, 0.1, 0.4], [-1, 1, 1, 1], None, 4,
        [0.1801, 0.2345, 0.0625, 0.1757, 0.1683, 0.0742, 0.1197]),
}


@pytest.mark.parametrize("method", list(DOCSTRING_CASES))
def test_pymcdm_docstring_reference(method):
    matrix, weights, types, bounds, decimals, expected = DOCSTRING_CASES[method]
    s = score(method, np.array(matrix, dtype=float), np.array(weights), np.array(types),
              bounds=None if bounds is None else np.array(bounds, dtype=float))
    assert np.round(s, decimals).tolist() == expected


def test_method_names_are_forgiving(case):
    assert rank(case, method="PROMETHEE-II").method == "promethee_ii"


def test_unknown_method(case):
    with pytest.raises(InputError) as err:
        rank(case, method="electre")
    assert "unknown method (got 'electre')" in str(err.value)
    assert "topsis" in str(err.value)
    with pytest.raises(ValueError, match="unknown method"):
        score("electre", np.ones((2, 2)), np.ones(2), np.ones(2))


def test_batches_only_for_topsis():
    with pytest.raises(ValueError, match="one weight vector"):
        score("vikor", np.eye(3) + 1, np.full((2, 3), 1 / 3), np.ones(3))


def test_spotis_needs_bounds():
    with pytest.raises(ValueError, match="SPOTIS needs bounds"):
        score("spotis", np.eye(3) + 1, np.full(3, 1 / 3), np.ones(3))


@pytest.mark.parametrize("method", ["wpm", "copras"])
def test_methods_that_need_positive_values(method, small, tk):
    rows = tk.small_rows()
    rows[1][2] = "0"
    p = load_portfolio(pd.DataFrame(rows, columns=tk.SMALL_HEADER).assign(effort=[10, 20, 30]), small)
    with pytest.raises(PortfolioError) as err:
        rank(p, method=method)
    msg = str(err.value)
    assert f"method '{method}' needs values > 0" in msg
    assert "row 1 (id B)" in msg and "column 'deal_size'" in msg


def test_rank_scores_competition_ranking():
    assert rank_scores(np.array([0.3, 0.9, 0.3, 0.1]), "higher").tolist() == [2, 1, 2, 4]
    assert rank_scores(np.array([0.3, 0.9, 0.3, 0.1]), "lower").tolist() == [2, 4, 2, 1]
    # float noise below 1e-12 never splits a tie
    assert rank_scores(np.array([0.5, 0.5 + 1e-15, 0.2]), "higher").tolist() == [1, 1, 3]
    # along the last axis for a batch
    assert rank_scores(np.array([[1.0, 2.0], [2.0, 1.0]]), "higher").tolist() == [[2, 1], [1, 2]]
