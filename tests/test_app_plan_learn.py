"""The Plan and Learn pages through streamlit.testing.v1.AppTest: the plan follows the capacity sliders and
the must list, the robust plan draws its acceptability bars, the learn page shows the backtest of the
bundled synthetic history, and adopting the implied weights saves a version with a diff."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from mcda_qualify.io import store

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "apps" / "app.py")
HISTORY = ROOT / "case_studies" / "telecom_b2b" / "history" / "history.csv"


@pytest.fixture()
def at(tmp_path) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    app.session_state["db_path"] = str(tmp_path / "decisions.sqlite")
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _plan_table(at: AppTest):
    return next(d.value for d in at.dataframe if "selected" in d.value.columns)


def _effort() -> dict[str, float]:
    with (ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv").open(encoding="utf-8", newline="") as f:
        return {r["id"]: float(r["sales_effort"]) for r in csv.DictReader(f)}


def test_plan_page_follows_the_capacity(at):
    at.switch_page("page_plan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Bid plan"
    effort = _effort()
    at.slider(key="cap_sales_effort").set_value(600.0).run()
    big = _plan_table(at)
    chosen = big.loc[big["selected"], "id"].tolist()
    assert chosen and sum(effort[i] for i in chosen) <= 600
    at.slider(key="cap_sales_effort").set_value(150.0).run()
    small = _plan_table(at)
    chosen_small = small.loc[small["selected"], "id"].tolist()
    assert sum(effort[i] for i in chosen_small) <= 150 and len(chosen_small) < len(chosen)
    assert at.session_state["plan_settings"]["capacities"]["sales_effort"] == 150.0
    assert any(c.proto.spec and "frontier" in c.proto.spec.lower() for c in at.get("plotly_chart"))


def test_plan_page_must_never_and_ineligible_must(at):
    at.switch_page("page_plan.py").run()
    at.multiselect(key="plan_must").set_value(["OPP-14"]).run()
    t = _plan_table(at)
    assert bool(t.set_index("id").loc["OPP-14", "selected"])
    at.multiselect(key="plan_never").set_value(["OPP-01"]).run()
    assert not bool(_plan_table(at).set_index("id").loc["OPP-01", "selected"])
    at.multiselect(key="plan_must").set_value(["OPP-08"]).run()      # fails the risk gate
    assert not at.exception
    assert any("a must is not eligible" in e.value and "OPP-08" in e.value for e in at.error)


def test_plan_page_robust_plan_draws_acceptability(at):
    at.switch_page("page_plan.py").run()
    at.number_input(key="plan_robust").set_value(500).run()
    assert not at.exception, [e.value for e in at.exception]
    t = _plan_table(at)
    assert t["acceptability"].between(0, 1).all() and set(t["robust_class"]) <= {"core", "borderline", "exterior"}
    assert any("Plan acceptability" in c.proto.spec for c in at.get("plotly_chart"))


def test_learn_page_bundled_history(at):
    at.switch_page("page_learn.py").run()
    assert not at.exception, [e.value for e in at.exception]
    with HISTORY.open(encoding="utf-8") as f:
        oc = [r["outcome"] for r in csv.DictReader(f)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Decided deals"] == str(oc.count("won") + oc.count("lost"))
    auc = float(metrics["AUC"])
    lo, hi = (float(x) for x in metrics["95% interval"].split(" - "))
    assert 0 <= lo <= auc <= hi <= 1
    specs = " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "Calibration" in specs and "implied by the history" in specs
    assert any("rank_implied" in d.value.columns for d in at.dataframe)


def test_learn_page_adopts_the_implied_weights_as_a_version(at):
    at.switch_page("page_learn.py").run()
    implied = at.session_state["learn_result"].implied_weights
    at.text_input(key="learn_author").input("Ana")
    at.button(key="learn_adopt").click().run()
    assert not at.exception, [e.value for e in at.exception]
    db = at.session_state["db_path"]
    versions = store.list_versions(db, at.session_state["decision_name"])
    assert versions["version"].tolist() == [1, 2]
    saved = store.load_version(db, at.session_state["decision_name"], 2).weights
    total = sum(v or 0.0 for v in implied.values())
    for c, v in implied.items():
        assert saved[c] / sum(saved.values()) == pytest.approx((v or 0.0) / total, abs=1e-9)
    assert any("Saved version 2" in s.value for s in at.success)
    assert any("weights" in c.value for c in at.code)


def test_learn_page_upload_and_store_sources_ask_for_input(at):
    at.switch_page("page_learn.py").run()
    at.radio(key="learn_source").set_value("Upload a history").run()
    assert not at.exception
    assert any("Upload a history" in i.value for i in at.info)
    at.radio(key="learn_source").set_value("The decision store").run()
    assert not at.exception
    assert any("No decision store yet" in i.value for i in at.info)
