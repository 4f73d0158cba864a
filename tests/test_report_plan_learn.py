"""The report's Bid plan and Track record sections, the workspace's optional plan block, and the four
figures of the plan and learn pages."""
from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from mcda_qualify import plots
from mcda_qualify.io.workspace import Workspace, WorkspaceError, inputs_hash, workspace_from
from mcda_qualify.learn import learn
from mcda_qualify.plan import plan
from mcda_qualify.report import html_report

PLAN = {"capacities": {"sales_effort": 600, "pursuit_cost": 900}, "must": ["OPP-06"]}


@pytest.fixture(scope="module")
def history(tk):
    return tk.ROOT / "case_studies" / "telecom_b2b" / "history" / "history.csv"


def _ws(tk, settings=None):
    return Workspace.from_dict(workspace_from(tk.CRITERIA_FILE, tk.CASE, settings=settings or {}))


def _text(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    end = html.index("<h2>", start + 5)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end]))


def test_workspace_plan_block_is_optional_and_leaves_old_documents_as_they_were(tk):
    plain = _ws(tk)
    assert "plan" not in plain.to_dict()["settings"]           # no key: older files dump and hash as before
    with_plan = _ws(tk, {"plan": PLAN})
    assert with_plan.settings.plan.capacities == PLAN["capacities"]
    assert with_plan.settings.plan.objective == "score" and with_plan.settings.plan.never == []
    assert inputs_hash(with_plan) != inputs_hash(plain)
    again = Workspace.from_dict(json.loads(with_plan.to_json()))
    assert again == with_plan
    with pytest.raises(WorkspaceError, match="capacity limits must be numbers >= 0"):
        _ws(tk, {"plan": {"capacities": {"sales_effort": -1}}})
    with pytest.raises(WorkspaceError, match="objective"):
        _ws(tk, {"plan": {"capacities": {"sales_effort": 1}, "objective": "profit"}})


def test_report_has_a_bid_plan_section_only_with_a_plan(tk, case):
    assert "<h2>Bid plan</h2>" not in html_report(_ws(tk), smaa_samples=200)
    text = _text(html_report(_ws(tk, {"plan": PLAN}), smaa_samples=200, seed=5), "Bid plan")
    r = plan(case, capacities=PLAN["capacities"], must=PLAN["must"])
    assert f"{len(r.selected)} selected, total {r.total:.4f}" in text
    assert f"sales_effort {r.capacities.loc[0, 'used']:g} of 600" in text
    assert "Must: OPP-06" in text and "Robust plan" in text and "1,000 weight samples" in text


def test_report_says_when_no_plan_meets_the_constraints(tk):
    bad = {"capacities": {"sales_effort": 50}, "must": ["OPP-01"]}
    text = _text(html_report(_ws(tk, {"plan": bad}), smaa_samples=200), "Bid plan")
    assert "No plan: no plan satisfies these constraints together" in text and "must OPP-01" in text


def test_report_track_record_section(tk, history, criteria):
    ws = _ws(tk)
    assert "<h2>Track record</h2>" not in html_report(ws, smaa_samples=200)
    text = _text(html_report(ws, smaa_samples=200, history=history), "Track record")
    r = learn(history, criteria, current=ws.portfolio())
    assert f"{r.n_decided} decided deals ({r.n_won} won, {r.n_lost} lost)" in text
    assert f"AUC {r.auc:.3f}" in text and f"fitting error {r.fit_error:.4f}" in text
    assert "OPP-03" in text                                   # today's opportunities re-ranked


def test_frontier_figure(case):
    r = plan(case, capacities={"sales_effort": 600}, frontier="sales_effort", levels=6)
    fig = plots.frontier_figure(r.frontier, column="sales_effort", limit=600)
    assert list(fig.data[0].y) == pytest.approx(r.frontier["total"].tolist())
    assert fig.data[0].line.shape == "hv" and fig.layout.shapes[0].x0 == 600


def test_acceptability_plan_bars(case):
    r = plan(case, capacities={"sales_effort": 600}, robust=200, seed=1)
    fig = plots.acceptability_plan_bars(r.table, samples=200)
    shown = {i: x for tr in fig.data for i, x in zip(tr.y, tr.x)}
    assert shown == pytest.approx(dict(zip(r.table["id"], r.table["acceptability"])))
    assert {tr.name for tr in fig.data} <= {"core", "borderline", "exterior"}


def test_reliability_figure_skips_empty_bins():
    rel = [{"low": 0.0, "high": 0.5, "n": 0, "mean_predicted": None, "observed_rate": None},
           {"low": 0.5, "high": 1.0, "n": 4, "mean_predicted": 0.7, "observed_rate": 0.75}]
    fig = plots.reliability_figure(rel)
    assert list(fig.data[1].x) == [0.7] and list(fig.data[1].y) == [0.75]
    assert list(fig.data[0].x) == [0, 1]                      # the diagonal


def test_weights_comparison_figure():
    fig = plots.weights_comparison_figure({"a": 0.5, "b": 0.3, "c": 0.2}, {"a": 0.2, "b": 0.8, "c": None},
                                          ranges={"a": [0.1, 0.3], "b": [0.6, 0.9], "c": None})
    today, implied = fig.data
    assert list(today.x) == ["b", "a", "c"] and list(today.y) == [0.3, 0.5, 0.2]
    assert implied.y[0] == 0.8 and implied.y[1] == 0.2 and pd.isna(implied.y[2])
    assert list(implied.error_y.array) == pytest.approx([0.1, 0.1, 0.0])
    assert list(implied.error_y.arrayminus) == pytest.approx([0.2, 0.1, 0.0])


def test_history_csv_is_labelled_synthetic(history):
    with history.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and all("(synthetic)" in r["name"] for r in rows)
