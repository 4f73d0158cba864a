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

ADAPTED = ["vikor", "promethee_ii", "spotis", "wsm", "wpm", "moora"]  # same numbers as pymcdm 1.4.0
# COPRAS is not in ADAPTED: pymcdm 1.4.0's COPRAS is wrong (see test_pymcdm_copras_disagrees_with_the_textbook)


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
    assert set(ADAPTED) | {"topsis", "copras"} <= set(available_methods())
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
        assert r.better == METHODS[method].better
        assert r.normalization == ("sum" if method == "wsm" else None)  # WSM names its normalisation
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
    with pytest.raises(ValueError, match=r"'v-shape' preference function and needs a finite p"):
        score("promethee_ii", m, w, t, promethee_preference="vshape")
    with pytest.raises(ValueError, match=r"'level' preference function and needs a finite q"):
        score("promethee_ii", m, w, t, promethee_preference="level")
    with pytest.raises(ValueError, match="needs a finite s"):
        score("promethee_ii", m, w, t, promethee_preference="gaussian")
    with pytest.raises(ValueError, match="unknown preference function"):
        score("promethee_ii", m, w, t, promethee_preference="gauss-ish")


def test_promethee_per_criterion_functions_match_pydecision():
    """score() passes one function and thresholds per criterion to core.promethee; pyDecision's
    promethee_ii takes them per criterion too (types t1..t6, t5 = our 'linear', t6 Gaussian with s),
    treats every criterion as a benefit (cost columns passed negated) and returns (id, flow) rows."""
    from pyDecision.algorithm import promethee_ii as pyd

    rng = np.random.default_rng(1985)
    funcs, codes = ["usual", "u-shape", "v-shape", "level", "linear", "gaussian"], ["t1", "t2", "t3", "t4", "t5", "t6"]
    for _ in range(20):
        x, w, t = _problem(rng, m=6)
        q, p, s_ = rng.uniform(0, 10, 6), rng.uniform(11, 40, 6), rng.uniform(1, 20, 6)
        ours = score("promethee_ii", x, w, t, promethee_preference=funcs, promethee_q=q, promethee_p=p, promethee_s=s_)
        flow = pyd(x * t, w, q, s_, p, codes, sort=False, graph=False, verbose=False)
        np.testing.assert_allclose(ours[flow[:, 0].astype(int) - 1], flow[:, 1], atol=1e-12)


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
    "copras": (  # NOT pymcdm's (wrong) docstring values: Uysal & Inan (2022), Performance evaluation of
        # research assistants by COPRAS method, IJSSER, utility degrees N_i / 100 (equal weights)
        [[3.57, 4.00, 4.00, 83.75, 3, 9, 1], [3.07, 3.95, 4.00, 83.00, 3, 1, 3], [3.23, 3.54, 3.46, 66.00, 4, 0, 2],
         [3.42, 3.96, 4.00, 70.00, 5, 5, 7], [2.56, 3.37, 3.79, 82.00, 4, 4, 5]],
        [1 / 7] * 7, [1, 1, 1, 1, -1, 1, 1], None, 4, [1.0, 0.7885, 0.6338, 0.9865, 0.8689]),
    "moora": (  # pymcdm.methods.MOORA docstring
        [[1.5, 3, 5, 3.3], [2, 7, 5, 3.35], [3, 1, 5, 3.07], [2.2, 4, 5, 3.5], [2, 5, 3, 3.09], [3.2, 2, 3, 3.48],
         [2.775, 3, 5, 3.27]], [0.3, 0.2, 0.1, 0.4], [-1, 1, 1, 1], None, 4,
        [0.1801, 0.2345, 0.0625, 0.1757, 0.1683, 0.0742, 0.1197]),
}


@pytest.mark.parametrize("method", list(DOCSTRING_CASES))
def test_published_reference(method):
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


PYMCDM_COPRAS_DOCSTRING = (  # pymcdm.methods.COPRAS docstring, pymcdm 1.4.0
    [[1543, 2000, 39000, 15, 13.76, 3.86, 5, 3, 5000], [1496, 3600, 43000, 14, 14, 2.5, 4, 4, 4000],
     [1584, 3100, 24500, 10, 13.1, 3.7, 2, 2, 3500], [1560, 2700, 36000, 12, 13.2, 3.2, 3, 3, 3500],
     [1572, 2500, 31500, 13, 13.3, 3.4, 3, 2, 3500], [1580, 2400, 20000, 12, 12.8, 3.9, 2, 2, 3000]],
    [0.2027, 0.1757, 0.1622, 0.1351, 0.1081, 0.0946, 0.0676, 0.0405, 0.0135], [-1, -1, -1, 1, 1, -1, 1, 1, 1],
    [0.9459, 1.0, 0.8192, 0.8839, 0.8556, 0.7789])


def _copras_by_hand(x, w, t):
    """Zavadskas, Kaklauskas & Sarka (1994), written out: d = w x / colsum; Q = S+ + sum S- / (S- sum 1/S-)."""
    d = np.asarray(w) / np.sum(w) * x / x.sum(axis=0)
    sp, sm = d[:, t > 0].sum(axis=1), d[:, t < 0].sum(axis=1)
    q = sp + sm.sum() / (sm * np.sum(1 / sm))
    return q / q.max()


def test_pymcdm_copras_disagrees_with_the_textbook():
    """Documents why COPRAS is computed in-house: pymcdm 1.4.0 reproduces its own docstring values, which
    are S+ + S- (a higher cost raises the score); score('copras') gives the textbook formula instead."""
    x, w, t, pymcdm_doc = (np.array(v, dtype=float) for v in PYMCDM_COPRAS_DOCSTRING)
    theirs = pm.COPRAS()(x, w, t, validation=False)
    np.testing.assert_allclose(theirs, pymcdm_doc, atol=5e-5)
    d = w / w.sum() * x / x.sum(axis=0)
    s_sum = d.sum(axis=1)  # S+ + S-
    np.testing.assert_allclose(theirs, s_sum / s_sum.max(), atol=1e-12)
    ours = score("copras", x, w, t)
    np.testing.assert_allclose(ours, _copras_by_hand(x, w, t.astype(int)), atol=1e-12)
    assert np.max(np.abs(ours - theirs)) > 0.05
    # two rows equal but for a cost: pymcdm prefers the costlier, the textbook the cheaper
    two = np.array([[10.0, 1.0], [10.0, 5.0]])
    np.testing.assert_allclose(pm.COPRAS()(two, np.array([0.5, 0.5]), np.array([1, -1]), validation=False), [0.5, 1.0])
    assert rank_scores(score("copras", two, [0.5, 0.5], [1, -1]), "higher").tolist() == [1, 2]


def test_copras_equals_the_textbook_formula_on_random_problems():
    rng = np.random.default_rng(1994)
    for _ in range(200):
        x, w, t = _problem(rng)
        np.testing.assert_allclose(score("copras", x, w, t), _copras_by_hand(x, w, t), rtol=0, atol=1e-12)


@pytest.mark.parametrize("method", ["moora", "copras", "wsm", "vikor", "promethee_ii", "wpm", "spotis"])
def test_every_benefit_criterion_is_scored(method):
    """MOORA and COPRAS are well defined without a cost criterion (empty cost sums); pymcdm refuses
    MOORA then, so our MOORA is the ratio system written out (pymcdm's numbers when there is a cost)."""
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 10, (5, 3))
    b = np.column_stack([x.min(axis=0) - 1, x.max(axis=0) + 1])
    s = score(method, x, [0.5, 0.3, 0.2], np.ones(3), bounds=b)
    assert np.all(np.isfinite(s))
    if method == "moora":
        np.testing.assert_allclose(s, (x / np.linalg.norm(x, axis=0)) @ [0.5, 0.3, 0.2], atol=1e-15)
    if method == "copras":  # no cost: Q = S+
        np.testing.assert_allclose(s, _copras_by_hand_benefit(x, [0.5, 0.3, 0.2]), atol=1e-15)


def _copras_by_hand_benefit(x, w):
    sp = (np.asarray(w) * x / x.sum(axis=0)).sum(axis=1)
    return sp / sp.max()


def test_batched_weights_equal_one_by_one():
    rng = np.random.default_rng(17)
    x, _, t = _problem(rng, n=6, m=4)
    ws = rng.dirichlet(np.ones(4), size=5)
    for method in ("wsm", "copras", "promethee_ii", "moora"):
        batch = score(method, x, ws, t)
        assert batch.shape == (5, 6)
        for k in range(5):
            np.testing.assert_allclose(batch[k], score(method, x, ws[k], t), atol=1e-14)


@pytest.mark.parametrize("norm", ["sum", "max", "minmax"])
def test_wsm_normalizations_by_hand(norm):
    """sum: pymcdm's (1/x for costs); max: SAW x/max, min/x; minmax: (x - min)/(max - min)."""
    x = np.array([[2.0, 10.0], [4.0, 20.0], [8.0, 40.0]])
    w, t = np.array([0.25, 0.75]), np.array([1, -1])
    r = {"sum": np.column_stack([x[:, 0] / 14, (1 / x[:, 1]) / np.sum(1 / x[:, 1])]),
         "max": np.column_stack([x[:, 0] / 8, 10 / x[:, 1]]),
         "minmax": np.column_stack([(x[:, 0] - 2) / 6, (40 - x[:, 1]) / 30])}[norm]
    np.testing.assert_allclose(score("wsm", x, w, t, wsm_normalization=norm), r @ w, atol=1e-15)
