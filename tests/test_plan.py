"""Labelled bid plan on the telecom case study (mcda_qualify.plan)."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from mcda_qualify.criteria import load_criteria
from mcda_qualify.errors import InputError
from mcda_qualify.plan import PlanInfeasible, additive_scores, plan
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.qualify import gate_failures
from mcda_qualify.ranking import rank

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pf():
    crit = load_criteria(ROOT / "criteria" / "qualify_selling_opportunity.yaml")
    return load_portfolio(ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv", crit)


def _brute(values, usage, limit, eligible, ok=lambda x: True):
    idx = np.flatnonzero(eligible)
    best, arg = -np.inf, None
    for bits in itertools.product((0, 1), repeat=idx.size):
        x = np.zeros(values.size, bool)
        x[idx] = np.array(bits, bool)
        if usage @ x <= limit and ok(x) and values[x].sum() > best:
            best, arg = values[x].sum(), x
    return best, arg


def test_plan_is_the_best_subset_of_eligible_opportunities(pf):
    r = plan(pf, capacities={"sales_effort": 600})
    scores = rank(pf).table["score"].to_numpy()          # TOPSIS closeness: additive as is
    eligible = np.array([not f for f in gate_failures(pf)])
    usage = pf.table["sales_effort"].to_numpy(dtype=float)
    best, _ = _brute(scores, usage, 600, eligible)
    assert r.total == pytest.approx(best, abs=1e-9)
    assert r.table["eligible"].tolist() == eligible.tolist()
    sel = r.table["selected"].to_numpy()
    assert usage[sel].sum() <= 600 and not np.any(sel & ~eligible)
    assert r.capacities.loc[0, "used"] == usage[sel].sum()
    # OPP-08 (very high risk) and OPP-09 (no solution) fail the gates
    assert {"OPP-08", "OPP-09"} == set(r.table.loc[~r.table["eligible"], "id"])


def test_json_shape_and_strictness(pf):
    r = plan(pf, capacities={"sales_effort": 600, "pursuit_cost": 900}, frontier="sales_effort", levels=5)
    j = r.to_json()
    json.dumps(j, allow_nan=False)
    assert set(j) == {"objective", "total", "capacities", "opportunities", "frontier"}
    assert set(j["capacities"]["pursuit_cost"]) == {"limit", "used"}
    assert set(j["opportunities"][0]) == {"id", "name", "eligible", "selected", "reasons", "acceptability"}
    assert set(j["frontier"][0]) == {"limit", "total", "selected"}
    totals = [f["total"] for f in j["frontier"]]
    assert totals == sorted(totals) and len(totals) == 5
    assert j["frontier"][0]["limit"] == 40.0                          # OPP-12, the least effort
    assert j["frontier"][-1]["limit"] == pf.table["sales_effort"][[not f for f in gate_failures(pf)]].sum()


def test_side_constraints(pf):
    r = plan(pf, capacities={"sales_effort": 600}, per={"owner": 1}, must=["OPP-03"], never=["OPP-02"],
             requires=[("OPP-13", "OPP-10")], max_count=4)
    t = r.table[r.table["selected"]]
    assert "OPP-03" in set(t["id"]) and "OPP-02" not in set(t["id"]) and len(t) <= 4
    owners = pf.table.set_index("id").loc[list(t["id"]), "owner"]
    assert owners.is_unique
    assert "OPP-13" not in set(t["id"]) or "OPP-10" in set(t["id"])
    scores = rank(pf).table["score"].to_numpy()
    eligible = np.array([not f for f in gate_failures(pf)])
    own = pf.table["owner"].to_numpy()
    ids = pf.ids

    def ok(x):
        chosen = [ids[i] for i in np.flatnonzero(x)]
        return ("OPP-03" in chosen and "OPP-02" not in chosen and len(chosen) <= 4
                and len(set(own[x])) == len(chosen) and ("OPP-13" not in chosen or "OPP-10" in chosen))

    best, _ = _brute(scores, pf.table["sales_effort"].to_numpy(dtype=float), 600, eligible, ok)
    assert r.total == pytest.approx(best, abs=1e-9)


def test_objectives(pf):
    ev = plan(pf, capacities={"pursuit_cost": 500}, objective="expected_value", explain=False)
    t = pf.table
    expected = t["win_probability"] * t["value"] - t["pursuit_cost"]   # qualify.py's EV
    assert np.allclose(ev.table["value"], expected)
    # OPP-02: 0.60 x 1500 - 55 = 845 (figures of the case study's table)
    assert ev.table.set_index("id").loc["OPP-02", "value"] == pytest.approx(845.0)
    ws = plan(pf, capacities={"sales_effort": 600}, objective="weighted_score", explain=False)
    assert np.allclose(ws.table["value"], ws.table["score"] * t["win_probability"])
    vk = plan(pf, method="vikor", capacities={"sales_effort": 600}, thresholds={"qualified": 0.3, "conditional": 0.6},
              explain=False)
    assert np.allclose(vk.table["value"], 1 - vk.table["score"])
    assert np.allclose(additive_scores("promethee_ii", np.array([-1.0, 0.0, 0.5])), [0.0, 0.5, 0.75])
    with pytest.raises(InputError, match="additive"):
        plan(pf, method="moora", capacities={"sales_effort": 600}, thresholds={"qualified": 0.1, "conditional": 0.0})


def test_what_it_takes_in_reasons(pf):
    r = plan(pf, capacities={"sales_effort": 600, "pursuit_cost": 900})
    row = r.table.set_index("id").loc["OPP-06"]
    assert not row["selected"] and row["sales_effort_increase"] > 0
    # with that much more effort OPP-06 is in an optimal plan
    more = plan(pf, capacities={"sales_effort": 600 + row["sales_effort_increase"], "pursuit_cost": 900},
                must=["OPP-06"], explain=False)
    best = plan(pf, capacities={"sales_effort": 600 + row["sales_effort_increase"], "pursuit_cost": 900}, explain=False)
    assert more.total == pytest.approx(best.total, abs=1e-9)
    assert any("enters the plan if sales_effort grows by" in s for s in row["reasons"])


def test_robust_plan(pf):
    a = plan(pf, capacities={"sales_effort": 600}, robust=300, seed=5, explain=False)
    b = plan(pf, capacities={"sales_effort": 600}, robust=300, seed=5, explain=False)
    acc = a.table["acceptability"].to_numpy()
    assert np.array_equal(acc, b.table["acceptability"].to_numpy())
    assert np.all((acc >= 0) & (acc <= 1))
    assert np.all(acc[~a.table["eligible"].to_numpy()] == 0)
    assert np.allclose(acc, a.robust["sample_plans"].mean(axis=0))
    assert set(a.table["robust_class"]) <= {"core", "borderline", "exterior"}
    with pytest.raises(InputError, match="expected value does not depend"):
        plan(pf, capacities={"sales_effort": 600}, objective="expected_value", robust=10)


@pytest.mark.parametrize("kw, match", [
    ({"capacities": {"sales_efort": 600}}, "did you mean 'sales_effort'"),
    ({"capacities": {"sales_effort": -5}}, "capacity limit must be a number >= 0"),
    ({"capacities": {"customer": 5}}, "column 'customer'.*needs a number"),
    ({"capacities": {"sales_effort": 600}, "must": ["OPP-08"]}, "must is not eligible: fails gate risk.*OPP-08"),
    ({"capacities": {"sales_effort": 600}, "must": ["OPP-01"], "never": ["OPP-01"]}, "both a must and a never"),
    ({"capacities": {"sales_effort": 600}, "never": ["OPP-1"]}, "unknown opportunity id.*OPP-1"),
    ({"capacities": {"sales_effort": 600}, "per": {"ownr": 1}}, "did you mean 'owner'"),
    ({"capacities": {"sales_effort": 600}, "objective": "profit"}, "unknown objective"),
])
def test_bad_input_is_located(pf, kw, match):
    with pytest.raises(InputError, match=match):
        plan(pf, **kw)


def test_infeasible_names_a_conflict(pf):
    with pytest.raises(PlanInfeasible) as err:
        plan(pf, capacities={"sales_effort": 300}, must=["OPP-03", "OPP-06", "OPP-02"])
    # 260 + 180 > 300: the two big deals and the capacity; OPP-02 is not part of the conflict
    assert err.value.conflict and set(err.value.conflict) == {"capacity sales_effort <= 300", "must OPP-03", "must OPP-06"}
    assert isinstance(err.value, InputError)
