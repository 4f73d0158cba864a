"""Judgments worth a second look at any CR (issue 14): circular triads (Kendall & Babington Smith 1940)
and the judgments whose reversal changes the top opportunity; the sweep chart that stays legible."""
from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify import plots
from mcda_qualify import sensitivity as sf
from mcda_qualify.core.ahp_review import intransitive_triads
from mcda_qualify.judgment_impact import pivotal_judgments, top_qualified
from mcda_qualify.portfolio import load_portfolio


def _tournament(wins: np.ndarray) -> np.ndarray:
    """A reciprocal judgment matrix with a_ij = 3 where i beats j, 1/3 where j beats i."""
    return np.where(wins, 3.0, 1 / 3.0) + np.eye(len(wins)) * (1 - 1 / 3.0)


def test_one_cycle_found_once():
    a = np.array([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]])  # 0 > 1 > 2 > 0
    assert intransitive_triads(a) == [(0, 1, 2)]
    b = a.T.copy()  # 0 < 1 < 2 < 0: the other way round
    assert intransitive_triads(b) == [(0, 2, 1)]
    ties = np.array([[1, 3, 1], [1 / 3, 1, 3], [1, 1 / 3, 1]])  # a tie is no preference: no cycle
    assert intransitive_triads(ties) == []
    missing = np.array([[1, 3, np.nan], [1 / 3, 1, 3], [np.nan, 1 / 3, 1]])
    assert intransitive_triads(missing) == []


@pytest.mark.parametrize("n", [5, 7, 9])
def test_regular_tournament_has_the_maximum_number_of_circular_triads(n):
    # Kendall & Babington Smith (1940): at most (n^3 - n) / 24 circular triads for odd n, reached when
    # every item wins (n - 1) / 2 comparisons (a regular tournament): 5 for n = 5, 14 for 7, 30 for 9
    wins = np.array([[0 < (j - i) % n <= (n - 1) // 2 for j in range(n)] for i in range(n)])
    assert len(intransitive_triads(_tournament(wins))) == (n ** 3 - n) // 24


@settings(max_examples=60, deadline=None)
@given(st.integers(3, 9).flatmap(lambda n: st.lists(st.booleans(), min_size=n * (n - 1) // 2,
                                                      max_size=n * (n - 1) // 2).map(lambda b: (n, b))))
def test_count_equals_kendalls_formula(case):
    # c = n(n-1)(2n-1)/12 - (1/2) sum_i s_i^2, s_i the number of wins of item i (Kendall & Babington Smith 1940)
    n, bits = case
    wins = np.zeros((n, n), dtype=bool)
    for (i, j), b in zip(combinations(range(n), 2), bits):
        wins[i, j], wins[j, i] = b, not b
    s = wins.sum(axis=1)
    expected = n * (n - 1) * (2 * n - 1) / 12 - 0.5 * float((s ** 2).sum())
    found = intransitive_triads(_tournament(wins))
    assert len(found) == expected
    for x, y, z in found:
        assert wins[x, y] and wins[y, z] and wins[z, x]


@pytest.fixture(scope="module")
def port(criteria, tk):
    return load_portfolio(tk.CASE, criteria)


def test_pivotal_judgment_changes_the_top_opportunity(port, tk):
    from mcda_qualify.decision import decide

    doc = yaml.safe_load((tk.CASE.parent / "judgments.yaml").read_text(encoding="utf-8"))
    found = pivotal_judgments(doc, "Sales director", port)
    pair = {(r["a"], r["b"]): r for r in found}
    assert ("deal_size", "sales_effort") in pair
    r = pair[("deal_size", "sales_effort")]
    assert r["given"] == 5 and r["reversed"] == pytest.approx(0.2) and r["top"] == "OPP-03"
    # independent check: reverse that judgment by hand and decide again
    for j in doc["judges"]:
        if j["name"] == "Sales director":
            j["judgments"] = [[a, b, "1/5" if (a, b) == ("deal_size", "sales_effort") else v]
                              for a, b, v in j["judgments"]]
    result, _ = decide(port, None, "topsis", judgments=doc)
    assert top_qualified(result, port) == r["top_if_reversed"] != "OPP-03"


def test_sweep_highlights_the_best_and_names_reversals(port):
    sweep = sf.weight_sweep(port, "risk", points=51)
    rv = sf.reversal_points(port, criteria=["risk"])
    fig = plots.sweep_figure(sweep, rv, highlight=3, criterion_label="Delivery and commercial risk")
    lines = [t for t in fig.data if t.mode == "lines"]
    grey = [t for t in lines if t.line.color == "#c8c8c8"]
    assert len(lines) == len(port) and len(grey) == len(port) - 3
    assert sum(bool(t.showlegend) for t in grey) == 1  # one legend entry for all the grey lines
    marks = next(t for t in fig.data if t.name == "reversal points")
    assert all("swap places" in x and "(OPP-" in x for x in marks.text)
    assert fig.layout.xaxis.tickformat == ".0%" and "Delivery and commercial risk" in fig.layout.title.text


def test_score_bar_by_name_sets_gate_failures_apart(port):
    from mcda_qualify.decision import decide

    result, _ = decide(port, None, "topsis")
    fig = plots.score_bar_figure(result.sorted(), by_name=True)
    fail = next(t for t in fig.data if t.name == "fails a gate")
    assert fail.marker.pattern.shape == "x" and set(fail.customdata) == {"OPP-08", "OPP-09"}
    assert "Sovereign cloud platform" in fig.layout.yaxis.categoryarray
