"""Qualification: gates first (never outweighed), then score bands, then expected value."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mcda_qualify.errors import InputError
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.qualify import CONDITIONAL, NOT_QUALIFIED, QUALIFIED, gate_failures, qualify
from mcda_qualify.ranking import rank


def _case_frame(tk):
    return pd.read_csv(tk.CASE, dtype=str, keep_default_na=False)


def _best_everywhere(criteria):
    """The best label or bound of every criterion, as a table cell."""
    out = {}
    for c in criteria.criteria:
        if c.scale:
            level = max(c.scale) if c.direction == "benefit" else min(c.scale)
            out[c.id] = c.scale[level].label
        else:
            out[c.id] = str(c.bounds[1] if c.direction == "benefit" else c.bounds[0])
    return out


def _band(score, t):
    return QUALIFIED if score >= t["qualified"] else CONDITIONAL if score >= t["conditional"] else NOT_QUALIFIED


@pytest.mark.parametrize("exclude", [["solution_availability"], []])
def test_a_failed_gate_is_never_outweighed(exclude, criteria, tk):
    frame = _case_frame(tk)
    star = {"id": "OPP-STAR", "name": "Best at everything", **_best_everywhere(criteria),
            "solution_availability": "not available", "value": "9000", "win_probability": "0.9", "pursuit_cost": "1"}
    frame = pd.concat([frame, pd.DataFrame([star])], ignore_index=True)
    p = load_portfolio(frame, criteria)
    i = p.ids.index("OPP-STAR")
    others = [j for j, cid in enumerate(criteria.ids) if cid != "solution_availability"]
    # it dominates every other opportunity on every criterion but the gated one ...
    signed = p.matrix[:, others] * criteria.types[others]
    assert np.all(signed[i] >= signed)
    d = qualify(p, exclude=exclude)
    row = d.table.iloc[i]
    # ... its score is in the qualified band (with the gated criterion left out of the ranking it is
    # the ideal itself, closeness 1 and rank 1) ...
    assert row["score"] >= d.thresholds["qualified"]
    if exclude:
        assert row["score"] == pytest.approx(1.0) and row["rank"] == 1
    # ... and it is still not qualified
    assert row["status"] == NOT_QUALIFIED
    assert not row["gates_passed"]
    assert row["reasons"][0].startswith("fails gate solution_availability: not available")
    assert "(needs at least on roadmap)" in row["reasons"][0]
    assert any("never outweighed" in r for r in row["reasons"])


def test_gate_failures_name_every_failed_gate(case, case_rows):
    fails = gate_failures(case)
    for row, reasons in zip(case_rows, fails):
        expect = []
        if row["risk"] == "very high":  # gate risk <= high
            expect.append("fails gate risk: very high (needs at most high)")
        if row["solution_availability"] == "not available":  # gate solution_availability >= on roadmap
            expect.append("fails gate solution_availability: not available (needs at least on roadmap)")
        assert reasons == expect, row["id"]


def test_allowed_gate(small, tk):
    data = tk.small_dict()
    data["criteria"][2]["gate"] = {"allowed": ["partial", "FULL"]}
    from mcda_qualify.criteria import criteria_from_dict

    crit = criteria_from_dict(data)
    p = load_portfolio(pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER), crit)
    fails = gate_failures(p)
    assert fails[0] == [] and fails[1] == []
    assert fails[2] == ["fails gate risk: high (needs at most medium)",
                        "fails gate fit: none (needs one of partial, FULL)"]


def test_bands_from_the_criteria_file(case, criteria_yaml):
    d = qualify(case)
    t = criteria_yaml["qualification"]
    assert d.thresholds == {"qualified": t["qualified"], "conditional": t["conditional"]}
    seen = set()
    for _, row in d.table.iterrows():
        expected = NOT_QUALIFIED if not row["gates_passed"] else _band(row["score"], t)
        assert row["status"] == expected, row["id"]
        seen.add(row["status"])
        reason = next(r for r in row["reasons"] if r.startswith("score "))
        assert f"{row['score']:.4f}" in reason
    assert seen == {QUALIFIED, CONDITIONAL, NOT_QUALIFIED}  # the case study shows every band


def test_bands_move_with_the_thresholds(case):
    r = rank(case)
    s = r.table["score"]
    q, c = float(s.quantile(0.75)), float(s.quantile(0.25))
    d = qualify(case, ranking=r, thresholds={"qualified": q, "conditional": c})
    for _, row in d.table.iterrows():
        if row["gates_passed"]:
            assert row["status"] == _band(row["score"], {"qualified": q, "conditional": c})
    assert d.ranking is r


def test_explicit_thresholds_for_a_lower_is_better_method(case):
    t = {"qualified": 0.3, "conditional": 0.6}
    d = qualify(case, method="vikor", thresholds=t)
    assert d.ranking.better == "lower"
    for _, row in d.table.iterrows():
        s = row["score"]
        expected = (NOT_QUALIFIED if not row["gates_passed"] else
                    QUALIFIED if s <= 0.3 else CONDITIONAL if s <= 0.6 else NOT_QUALIFIED)
        assert row["status"] == expected
    assert any("<= 0.3 (qualified band)" in r for rs in d.table["reasons"] for r in rs)


def test_thresholds_on_the_wrong_side(case):
    with pytest.raises(InputError, match=r"conditional >= qualified \(lower scores are better\)"):
        qualify(case, method="vikor", thresholds={"qualified": 0.6, "conditional": 0.3})
    with pytest.raises(InputError, match=r"conditional <= qualified \(higher scores are better\)"):
        qualify(case, thresholds={"qualified": 0.3, "conditional": 0.6})


@pytest.mark.parametrize("bad", [{"qualified": 0.6}, {"qualified": "high", "conditional": 0.2},
                                 {"qualified": float("nan"), "conditional": 0.2}])
def test_malformed_thresholds(bad, case):
    with pytest.raises(InputError, match="thresholds"):
        qualify(case, thresholds=bad)


@pytest.mark.parametrize("method", ["vikor", "promethee_ii", "spotis", "wsm", "wpm", "copras", "moora"])
def test_a_method_without_bands_needs_thresholds(method, case):
    with pytest.raises(InputError) as err:
        qualify(case, method=method)
    msg = str(err.value)
    assert f"method '{method}' scores on another scale" in msg
    assert "--qualified X --conditional Y" in msg


def test_expected_value_and_break_even_from_the_case_study(case, case_rows):
    d = qualify(case)
    # by hand, from the case study's row OPP-01: value 2600, win probability 0.45, pursuit cost 130
    row = d.table.set_index("id").loc["OPP-01"]
    assert row["expected_value"] == pytest.approx(0.45 * 2600 - 130)  # = 1040
    assert row["break_even_probability"] == pytest.approx(130 / 2600)  # = 0.05
    assert any(r.startswith("expected value 1,040 = 45% x 2,600 - 130; break-even win probability 5%")
               for r in row["reasons"])
    # and every row, from the csv module's reading of the file
    for r, (_, out) in zip(case_rows, d.table.iterrows()):
        p, v, c = float(r["win_probability"]), float(r["value"]), float(r["pursuit_cost"])
        assert out["expected_value"] == pytest.approx(p * v - c)
        assert out["break_even_probability"] == pytest.approx(c / v)


def test_percentage_probability_and_negative_expected_value(small, tk):
    frame = pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER)
    frame["value"] = ["1000", "100", "50"]
    frame["win_probability"] = ["35%", "0.5", "10%"]
    frame["pursuit_cost"] = ["50", "80", "100"]
    d = qualify(load_portfolio(frame, small))
    t = d.table.set_index("id")
    assert t.loc["A", "expected_value"] == pytest.approx(0.35 * 1000 - 50)
    assert any("= 35% x 1,000 - 50" in r for r in t.loc["A", "reasons"])
    assert t.loc["B", "expected_value"] == pytest.approx(0.5 * 100 - 80)
    assert "expected value is negative: pursuing costs more than it is expected to return" in t.loc["B", "reasons"]
    assert t.loc["C", "break_even_probability"] == pytest.approx(2.0)
    assert any("break-even win probability never (cost exceeds value)" in r for r in t.loc["C", "reasons"])


def test_no_ev_columns_no_ev(small, tk):
    d = qualify(load_portfolio(pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER), small))
    assert "expected_value" not in d.table.columns
    assert not any("expected value" in r for rs in d.table["reasons"] for r in rs)


def test_filled_cells_are_given_as_reasons(small, tk):
    rows = tk.small_rows()
    rows[1][4] = ""
    p = load_portfolio(pd.DataFrame(rows, columns=tk.SMALL_HEADER), small, missing="worst")
    d = qualify(p)
    reasons = d.table.set_index("id").loc["B", "reasons"]
    assert "fit was missing: filled with none (worst level of the scale)" in reasons


def test_sorted_is_best_first(case):
    d = qualify(case)
    s = d.sorted()
    assert s["rank"].is_monotonic_increasing
    assert s["score"].is_monotonic_decreasing
    assert sorted(s["id"]) == sorted(case.ids)


def test_strongest_and_weakest_are_real_extremes(case):
    d = qualify(case)
    for i, reasons in enumerate(d.table["reasons"]):
        for r in reasons:
            if r.startswith("strongest on ") or r.startswith("weakest on "):
                best = r.startswith("strongest")
                for part in r.split(" on ", 1)[1].split("), "):
                    cid = part.split(" (")[0]
                    j = case.criteria.ids.index(cid)
                    col = case.matrix[:, j] * case.criteria[cid].sign
                    pos = (col[i] - col.min()) / (col.max() - col.min())
                    assert (pos >= 0.75) if best else (pos <= 0.25), (case.ids[i], r)


_LEVELS = st.sampled_from(["low", "medium", "high"])
_FITS = st.sampled_from(["none", "partial", "full"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 1000), _LEVELS, _FITS, st.integers(1, 400)), min_size=3, max_size=8),
       st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=4, max_size=4),
       st.sampled_from(["vector", "minmax"]))
def test_gate_failures_are_never_qualified_whatever_the_weights(tk, rows, weights, norm):
    from mcda_qualify.criteria import criteria_from_dict

    crit = criteria_from_dict(tk.small_dict())
    frame = pd.DataFrame([[f"o{i}", f"O{i}", str(a), b, c, str(d)] for i, (a, b, c, d) in enumerate(rows)],
                         columns=tk.SMALL_HEADER)
    p = load_portfolio(frame, crit)
    assume(all(np.ptp(p.matrix[:, j]) > 0 for j in range(p.matrix.shape[1])))
    d = qualify(p, weights, normalization=norm)
    for (_, row), (_, risk, _, _) in zip(d.table.iterrows(), rows):
        if risk == "high":  # the gate: risk at most medium
            assert row["status"] == NOT_QUALIFIED and not row["gates_passed"]
        else:
            assert row["gates_passed"]
            assert row["status"] == _band(row["score"], d.thresholds)
