"""The app with long pipelines (issue 12): the live ranking shows the best rows and says how many are
hidden, long tables drop the tint but keep the gate failures said, the live chance of ranking first
takes fewer samples and says so, and the Export page's workspace is built once per state of what it
holds. The limits are lowered here so that the bundled case study (14 opportunities) crosses them.
The ``at`` fixture (a fresh session) and the private decision store come from conftest.py."""
from __future__ import annotations

import json
import sys

from streamlit.testing.v1 import AppTest


def _ui_state():
    return sys.modules["ui_state"]  # the app's own module, imported by its first run


def _frame(at: AppTest, column: str):
    return next(d for d in at.dataframe if column in d.value.columns)


def test_live_ranking_shows_the_best_rows_and_says_how_many_are_hidden(at, monkeypatch):
    monkeypatch.setattr(_ui_state(), "LIVE_ROWS", 5)
    at.run()
    live = _frame(at, "gates").value
    assert len(live) == 5 and list(live["rank"]) == sorted(live["rank"])
    captions = [c.value for c in at.caption]
    assert any("Top 5 of 14 opportunities shown (9 hidden)" in c for c in captions)
    # OPP-08 and OPP-09 fail the availability gate; OPP-09 ranks below the top 5 and is still named
    gate = next(c for c in captions if "knock-out gate" in c)
    assert "OPP-08" in gate and "OPP-09" in gate and "OPP-09" not in set(live["id"])


def test_long_ranking_drops_the_tint_but_says_which_rows_fail(at, monkeypatch):
    at.switch_page("page_ranking.py").run()
    tinted = _frame(at, "gates")
    assert tinted.proto.arrow_data.styler.styles  # up to TINT_MAX rows: a Styler with the tint
    assert any("Tinted rows fail a knock-out gate" in c.value for c in at.caption)
    monkeypatch.setattr(_ui_state(), "TINT_MAX", 10)
    at.run()
    plain = _frame(at, "gates")
    assert not plain.proto.arrow_data.HasField("styler")
    assert len(plain.value) == 14 and not (plain.value == "None").any().any()
    gate = next(c.value for c in at.caption if "knock-out gate" in c.value)
    assert "2 rows fail a knock-out gate" in gate and "OPP-08" in gate and "OPP-09" in gate


def test_live_chance_of_ranking_first_takes_fewer_samples_for_a_long_pipeline(at, monkeypatch):
    full = next(m.value for m in at.markdown if "Chance of ranking first" in m.value)
    assert "10,000 samples" in full and "(not" not in full
    ui = _ui_state()
    monkeypatch.setattr(ui, "LIVE_CELLS", 14 * 300)
    monkeypatch.setattr(ui, "LIVE_MIN_SAMPLES", 200)
    assert ui.live_samples(14, 10_000) == 300 and ui.live_samples(10**6, 10_000) == 200
    assert ui.live_samples(14, 250) == 250  # never more than the settings ask for
    at.run()
    few = next(m.value for m in at.markdown if "Chance of ranking first" in m.value)
    assert "300 samples" in few and "not 10,000" in few and "Sensitivity page uses them all" in few
    chances = next(d.value for d in at.dataframe if "first" in d.value.columns)["first"]
    assert 0 < chances.sum() <= 1 + 1e-9 and ((chances * 300) % 1 < 1e-6).all()  # shares of 300 samples


def test_export_workspace_is_rebuilt_when_what_it_holds_changes(at):
    at.switch_page("page_export.py").run()
    assert not at.exception, [e.value for e in at.exception]
    h0, doc0 = at.session_state["inputs_hash"], at.session_state["workspace_json"]
    at.run()  # nothing changed: the same workspace, hash and bytes
    assert at.session_state["inputs_hash"] == h0 and at.session_state["workspace_json"] == doc0
    at.session_state["smaa_samples"] = 5_000  # a setting the workspace holds
    at.run()
    doc1 = at.session_state["workspace_json"]
    assert json.loads(doc1)["settings"]["smaa"]["samples"] == 5_000 and at.session_state["inputs_hash"] != h0
    at.session_state["author"] = "Ana"  # the author is in the workspace's meta, not in the inputs hash
    at.run()
    assert json.loads(at.session_state["workspace_json"])["meta"].get("author") == "Ana"


def test_plan_page_on_a_long_pipeline_solves_once_and_asks_before_the_extras(at, monkeypatch):
    """Past PLAN_LIVE_MAX opportunities the frontier and "what it takes" (an exact solve per level or per
    opportunity) run when asked; a rerun with nothing changed solves nothing again."""
    import mcda_qualify.plan as plan_mod

    calls = []
    real = plan_mod.plan
    monkeypatch.setattr(plan_mod, "plan", lambda *a, **k: calls.append(k) or real(*a, **k))
    monkeypatch.setattr(_ui_state(), "PLAN_LIVE_MAX", 10)
    at.switch_page("page_plan.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(calls) == 1 and calls[0]["frontier"] is None and calls[0]["explain"] is False
    assert any("computed when you ask for them" in c.value for c in at.caption)
    at.run()
    assert len(calls) == 1  # the same inputs: the kept plan
    at.checkbox(key="plan_explain").check().run()
    assert len(calls) == 2 and calls[1]["explain"] is True


def test_learn_page_offers_the_bundled_history_only_with_the_bundled_criteria(tmp_path, monkeypatch, tk):
    import yaml

    crit, table = tmp_path / "c.yaml", tmp_path / "p.csv"
    crit.write_text(yaml.safe_dump(tk.small_dict(), sort_keys=False), encoding="utf-8")
    table.write_text(tk.csv_text(tk.SMALL_HEADER, tk.small_rows()), encoding="utf-8")
    monkeypatch.setenv("MCDA_QUALIFY_CRITERIA", str(crit))
    monkeypatch.setenv("MCDA_QUALIFY_OPPORTUNITIES", str(table))
    app = AppTest.from_file(str(tk.ROOT / "apps" / "app.py"), default_timeout=60)
    app.run()
    app.switch_page("page_learn.py").run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert not any("Bundled" in o for o in app.radio(key="learn_source").options)
    assert any("offered with the bundled criteria only" in c.value for c in app.caption)


def test_learn_page_with_the_bundled_criteria_learns_once(at, monkeypatch):
    import mcda_qualify.learn as learn_mod

    calls = []
    real = learn_mod.learn
    monkeypatch.setattr(learn_mod, "learn", lambda *a, **k: calls.append(1) or real(*a, **k))
    at.switch_page("page_learn.py").run()
    assert not at.exception and any("Bundled" in o for o in at.radio(key="learn_source").options)
    at.run()
    assert len(calls) == 1


def test_plan_page_past_the_automatic_size_solves_on_request(at, monkeypatch):
    import mcda_qualify.plan as plan_mod

    calls = []
    real = plan_mod.plan
    monkeypatch.setattr(plan_mod, "plan", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setattr(_ui_state(), "WHAT_IT_TAKES_AUTO_MAX", 10)
    at.switch_page("page_plan.py").run()
    assert not calls and not at.exception
    at.button(key="plan_go").click().run()
    assert len(calls) == 1 and not at.exception
    at.run()  # solved for these inputs: shown without asking again
    assert len(calls) == 1 and any(m.label == "Selected" for m in at.metric)
