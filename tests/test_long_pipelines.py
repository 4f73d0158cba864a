"""Long pipelines (hundreds of opportunities): bounded explanations, bounded outputs, clear refusals.

Checked on a generated table with the small criteria set of conftest, not the bundled case study.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mcda_qualify import plan as plan_mod
from mcda_qualify import sensitivity_summary as summary_mod
from mcda_qualify.errors import InputError
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import named_ids, rank


def _table(n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "id": [f"O{i:04d}" for i in range(n)], "name": [f"Deal {i}" for i in range(n)],
        "deal_size": rng.integers(10, 1000, n).astype(str), "risk": rng.choice(["low", "medium", "high"], n),
        "fit": rng.choice(["none", "partial", "full"], n), "effort": rng.integers(5, 200, n).astype(str),
    })


def test_named_ids_names_at_most_ten():
    assert named_ids(["A"]) == "A" and named_ids(["A", "B", "C"]) == "A, B and C"
    text = named_ids([f"X{i}" for i in range(25)])
    assert text.startswith("X0, X1") and text.endswith("X9 and 15 more")


def test_plan_explains_the_best_left_out_only(small, monkeypatch):
    p = load_portfolio(_table(120), small)
    monkeypatch.setattr(plan_mod, "EXPLAIN_MAX", 4)
    r = plan_mod.plan(p, capacities={"effort": 600})
    t = r.table
    left = t[t["eligible"] & ~t["selected"]]
    explained = left[left["value_increase"].notna()]
    assert len(explained) == 4
    # the explained ones are the best left out by value
    assert set(explained["id"]) == set(left.sort_values("value", ascending=False)["id"].head(4))
    # and the answer is right: raising the value by that much brings the opportunity in
    i = int(explained.index[0])
    assert explained.loc[i, "value_increase"] >= 0


def test_robust_plan_too_large_is_refused_at_once(small, monkeypatch):
    p = load_portfolio(_table(60), small)
    monkeypatch.setattr(plan_mod, "ROBUST_MAX_CELLS", 100)
    with pytest.raises(InputError, match="robust plan too large"):
        plan_mod.plan(p, capacities={"effort": 600}, robust=50, seed=1)


def test_summary_of_a_long_pipeline_is_bounded_and_strict_json(small, monkeypatch):
    monkeypatch.setattr(summary_mod, "LIST_ALL_MAX", 30)
    p = load_portfolio(_table(80), small)
    s = summary_mod.sensitivity_summary(p, smaa=300, seed=1)
    text = json.dumps(s, allow_nan=False)  # strict JSON
    assert "top 15 of 80" in s["reversal_points_scope"]
    top15 = set(rank(p).sorted()["id"].head(15))  # every listed pair is among the top 15 at the current weights
    listed = {x for pts in s["reversal_points"].values() for r in pts for x in (r["a"], r["b"])}
    assert len(listed) <= 15 and listed <= top15
    assert all(len(v) == 15 for v in s["rank_acceptability"].values())  # ranks 1..15 counted
    assert "ranks 1 to 15" in s["smaa_scope"] and len(text) < 2_000_000
    # stability intervals still use every opportunity: the same as the full analysis of the same table
    monkeypatch.setattr(summary_mod, "LIST_ALL_MAX", 1000)
    full = summary_mod.sensitivity_summary(p)
    for key in ("stability_intervals", "top_stability_intervals"):
        for c, span in full[key].items():
            assert span == pytest.approx(s[key][c], abs=1e-12), (key, c)
