"""AHP as a ranking method: ratings (absolute measurement, Saaty 1986) and relative mode.

Ratings have no single published portfolio to reproduce, so these tests check the defining
properties: the score is the weighted sum of ideal-normalised level priorities computed by hand,
an opportunity's score never depends on the others, the best level everywhere scores 1, and
relative mode equals the core's synthesis of the same matrices.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mcda_qualify.core import ahp

from mcda_qualify.core import ahp_ratings
from mcda_qualify.errors import InputError
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.qualify import qualify
from mcda_qualify.ranking import rank


def _frame(rows):
    return pd.DataFrame(rows, columns=["id", "name", "deal_size", "risk", "fit", "effort"])


def test_ratings_by_hand(small):
    p = load_portfolio(_frame([["A", "a", 500, "low", "full", 10], ["B", "b", 250, "high", "partial", 20]]), small)
    r = rank(p, method="ahp", exclude=["effort"])
    w = np.array([4, 3, 2]) / 9
    # deal_size: numeric, bounds [0, 1000], continuous default 1/5 + 4/5 u
    size = 0.2 + 0.8 * np.array([0.5, 0.25])
    # risk (cost, 3 levels): worst-first order high, medium, low -> priorities 1/3, 2/3, 1
    risk = np.array([1.0, 1 / 3])
    # fit (benefit): none, partial, full -> 1/3, 2/3, 1
    fit = np.array([1.0, 2 / 3])
    expected = w[0] * size + w[1] * risk + w[2] * fit
    np.testing.assert_allclose(r.table["score"].to_numpy(), expected, rtol=0, atol=1e-12)
    assert r.better == "higher" and r.method == "ahp"


def test_numeric_criterion_without_bounds_is_refused(small):
    p = load_portfolio(_frame([["A", "a", 500, "low", "full", 10], ["B", "b", 250, "high", "partial", 20]]), small)
    with pytest.raises(InputError, match="effort.*AHP ratings need bounds"):
        rank(p, method="ahp")


def test_best_everywhere_scores_one_and_is_absolute(criteria, case):
    crit = criteria
    best = {"id": "BEST", "name": "best"}
    for c in crit.criteria:
        if c.scale:
            best[c.id] = max(c.scale) if c.direction == "benefit" else min(c.scale)
        else:
            best[c.id] = c.bounds[1] if c.direction == "benefit" else c.bounds[0]
    base = rank(case, method="ahp").table.set_index("id")["score"]
    frame = pd.concat([case.table[["id", "name", *crit.ids]], pd.DataFrame([best])], ignore_index=True)
    bigger = rank(load_portfolio(frame, crit), method="ahp").table.set_index("id")["score"]
    assert bigger["BEST"] == pytest.approx(1.0, abs=1e-12)
    # absolute measurement: adding an opportunity changes no other score (TOPSIS would)
    pd.testing.assert_series_equal(base, bigger.drop("BEST"), check_exact=False, rtol=0, atol=1e-15)


def test_single_opportunity_can_be_rated(criteria, case):
    one = load_portfolio(case.table.iloc[[0]][["id", "name", *criteria.ids]], criteria)
    with pytest.raises(InputError, match="only one opportunity"):
        rank(one, method="topsis")
    r = rank(one, method="ahp")
    assert r.table["rank"].tolist() == [1] and 0 < r.table["score"].iloc[0] <= 1


def test_level_priorities_from_judgments(small):
    p = load_portfolio(_frame([["A", "a", 500, "low", "full", 10], ["B", "b", 250, "high", "partial", 20]]), small)
    # judgments between the risk levels (worst first: high, medium, low)
    m = np.array([[1, 1 / 3, 1 / 5], [3, 1, 1 / 3], [5, 3, 1]], dtype=float)
    pr = ahp.priorities(m)
    r = rank(p, method="ahp", exclude=["effort"], level_priorities={"risk": pr})
    ideal = pr / pr.max()
    w = np.array([4, 3, 2]) / 9
    expected = w[0] * (0.2 + 0.8 * np.array([0.5, 0.25])) + w[1] * ideal[[2, 0]] + w[2] * np.array([1.0, 2 / 3])
    np.testing.assert_allclose(r.table["score"].to_numpy(), expected, atol=1e-12)
    with pytest.raises(InputError, match="one per level"):
        rank(p, method="ahp", exclude=["effort"], level_priorities={"risk": [1, 2]})
    with pytest.raises(InputError, match="scale"):
        rank(p, method="ahp", exclude=["effort"], level_priorities={"deal_size": [1, 2]})


def test_relative_mode_matches_core(small):
    p = load_portfolio(_frame([["A", "a", 500, "low", "full", 10], ["B", "b", 250, "high", "partial", 20],
                               ["C", "c", 100, "medium", "none", 5]]), small)
    comps = {
        "deal_size": [["A", "B", 2], ["A", "C", 5], ["B", "C", 3]],
        "risk": [["A", "B", 5], ["A", "C", 2], ["C", "B", 3]],
        "fit": [["A", "B", 2], ["A", "C", 7], ["B", "C", 4]],
    }
    r = rank(p, method="ahp", exclude=["effort"], mode="relative", comparisons=comps)
    mats = []
    for cid in ("deal_size", "risk", "fit"):
        m = np.ones((3, 3))
        idx = {"A": 0, "B": 1, "C": 2}
        for a, b, v in comps[cid]:
            m[idx[a], idx[b]], m[idx[b], idx[a]] = v, 1 / v
        mats.append(m)
    expected = ahp_ratings.relative_scores(np.stack(mats), np.array([4, 3, 2]) / 9)
    np.testing.assert_allclose(r.table["score"].to_numpy(), expected, atol=1e-12)
    assert r.table.set_index("id")["rank"]["A"] == 1
    with pytest.raises(InputError, match="comparisons"):
        rank(p, method="ahp", exclude=["effort"], mode="relative", comparisons={"risk": comps["risk"]})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # case is read only
@given(st.lists(st.floats(0.05, 1.0), min_size=12, max_size=12), st.floats(0.1, 10.0))
def test_weight_scaling_changes_nothing(criteria, case, w, k):
    a = rank(case, dict(zip(criteria.ids, w)), method="ahp").table["score"].to_numpy()
    b = rank(case, dict(zip(criteria.ids, np.array(w) * k)), method="ahp").table["score"].to_numpy()
    np.testing.assert_allclose(a, b, atol=1e-12)


def test_ahp_bands_from_the_criteria_file(criteria, case):
    d = qualify(case, method="ahp")
    band = criteria.qualification.methods["ahp"]
    for row in d.table.itertuples():
        if not row.gates_passed:
            assert row.status == "Not qualified"
        elif row.score >= band.qualified:
            assert row.status == "Qualified"
        elif row.score >= band.conditional:
            assert row.status == "Conditional"
        else:
            assert row.status == "Not qualified"
    assert "Qualified" in set(d.table["status"])
