"""Any valid workspace opens on every page of the app without an exception (hypothesis generates them:
2 to 30 criteria of every kind, small tables, with and without judgments), and so do a workspace saved
by the CLI, a restored store version, a team's own criteria file and an export through the import page."""
from __future__ import annotations

import json
import os
import random
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from mcda_qualify.cli import app as cli
from mcda_qualify.criteria import default_criteria_path, load_criteria
from mcda_qualify.io.workspace import save_workspace, workspace_from

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "apps" / "app.py")
CASE = ROOT / "case_studies" / "telecom_b2b"
EXPORTS = CASE / "exports"
PAGES = ["page_weights.py", "page_opportunities.py", "page_ranking.py", "page_sensitivity.py", "page_export.py",
         "page_import.py"]
SAATY = [9, 7, 5, 3, 2, 1, "1/2", "1/3", "1/5", "1/7", "1/9"]


@contextmanager
def env(**files: Path | str):
    """The environment variables through which `mcda-qualify app` hands its files over."""
    keys = {f"MCDA_QUALIFY_{k.upper()}": str(v) for k, v in files.items()}
    old = {k: os.environ.get(k) for k in keys}
    os.environ.update(keys)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _app(tmp: Path) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["db_path"] = str(tmp / "decisions.sqlite")
    at.session_state["smaa_samples"] = 1_000  # small and quick; the pages are what is tested
    return at


def _every_page(at: AppTest, ahp: bool = True) -> AppTest:
    """Run the app, visit every page (and the AHP view of the Weights page); no exception anywhere."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.header, page
    if ahp:
        at.switch_page("page_weights.py").run()
        at.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
        assert not at.exception, [e.value for e in at.exception]
        at.radio(key="mode_radio").set_value("Direct weights").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------------------------------------
# generated workspaces
# ------------------------------------------------------------------------------------------------


@st.composite
def criterion(draw, i: int) -> dict:
    kind = draw(st.sampled_from(["scale", "bounded", "unbounded"]))
    c: dict = {"id": f"c{i}_{draw(st.sampled_from(['risk', 'size', 'fit', 'x']))}", "name": f"Criterion {i}",
               "direction": draw(st.sampled_from(["cost", "benefit"]))}
    if kind == "scale":
        k = draw(st.integers(2, 6))
        words = draw(st.lists(st.sampled_from(["none", "low", "medium", "high", "very high", "critical", "some",
                                               "full", "partial", "n/a"]), min_size=k, max_size=k, unique=True))
        c["scale"] = {j + 1: w for j, w in enumerate(words)}
        if draw(st.booleans()):
            c["gate"] = {"max": k} if c["direction"] == "cost" else {"min": 1}
    elif kind == "bounded":
        lo = draw(st.integers(-50, 50))
        c["bounds"] = [lo, lo + draw(st.integers(1, 1000))]
        c["unit"] = "kEUR"
        if draw(st.booleans()):
            c["gate"] = {"min": lo} if c["direction"] == "benefit" else {"max": c["bounds"][1]}
    return c


@st.composite
def workspaces(draw) -> dict:
    m = draw(st.integers(2, 30))
    crits = [draw(criterion(i)) for i in range(m)]
    doc = {"name": f"Generated ({m} criteria)", "criteria": crits}
    if draw(st.booleans()):
        doc["weights"] = {c["id"]: draw(st.integers(1, 9)) for c in crits}
    n = draw(st.integers(2, 5))
    rng = random.Random(draw(st.integers(0, 2**16)))
    rows = []
    for r in range(n):
        row = {"id": f"O-{r}", "name": f"Opportunity {r}"}
        for c in crits:
            if "scale" in c:
                row[c["id"]] = rng.choice(list(c["scale"].values()))
            elif "bounds" in c:
                lo, hi = c["bounds"]
                row[c["id"]] = round(rng.uniform(lo, hi), 2)
            else:
                row[c["id"]] = round(rng.uniform(0, 500), 1)
        rows.append(row)
    weights = None
    judgments = None
    mode = draw(st.sampled_from(["file", "normalised", "points", "judgments", "group"]))
    ids = [c["id"] for c in crits]
    if mode == "normalised":  # as `mcda-qualify save` writes them
        raw = [rng.uniform(0.01, 1) for _ in ids]
        weights = {k: v / sum(raw) for k, v in zip(ids, raw)}
    elif mode == "points":
        weights = {k: float(rng.randint(1, 100)) for k in ids}
    elif mode == "judgments":
        judgments = {"labels": ids, "judgments": [[ids[0], b, rng.choice(SAATY)] for b in ids[1:]]}
    elif mode == "group":
        judgments = {"labels": ids, "judges": [
            {"name": who, "weight": 1, "judgments": [[a, b, rng.choice(SAATY)] for a, b in zip(ids, ids[1:])]}
            for who in ("Sales", "Finance")]}
    settings_ = {"method": draw(st.sampled_from(["topsis", "wsm", "vikor"])), "normalization": "vector",
                 "exclude": [], "missing": "error"}
    return {"criteria": doc, "rows": rows, "weights": weights, "judgments": judgments, "settings": settings_}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
          derandomize=True)
@given(ws=workspaces())
def test_any_valid_workspace_opens_on_every_page(ws, tmp_path_factory):
    import pandas as pd

    tmp = tmp_path_factory.mktemp("ws")
    frame = pd.DataFrame(ws["rows"], dtype=object)
    doc = workspace_from(ws["criteria"], frame, weights=ws["weights"], judgments=ws["judgments"],
                         settings=ws["settings"])
    path = tmp / "ws.json"
    from mcda_qualify.io.workspace import Workspace

    save_workspace(Workspace.from_dict(doc), path)
    with env(workspace=path):
        at = _every_page(_app(tmp), ahp=True)
    assert at.session_state["criteria"].ids == [c["id"] for c in ws["criteria"]["criteria"]]
    assert len(at.session_state["portfolio"]) == len(ws["rows"])


# ------------------------------------------------------------------------------------------------
# workspaces from the CLI and the store; the team's own criteria; an export through the import page
# ------------------------------------------------------------------------------------------------


def test_a_cli_saved_workspace_opens_on_every_page(tmp_path):
    ws = tmp_path / "ws.json"
    r = CliRunner().invoke(cli, ["save", str(CASE / "opportunities.csv"), "-d", "pipeline", "--db",
                                 str(tmp_path / "d.sqlite"), "-o", str(ws)])
    assert r.exit_code == 0, r.stderr
    assert max(json.loads(ws.read_text())["weights"] or {"x": 0.14}.values()) < 1  # normalised weights
    with env(workspace=ws):
        at = _every_page(_app(tmp_path))
    # the sliders show the shares as importance points, the largest at ui_state.TOP_POINTS (70), the others
    # in proportion: the weights in force are the saved ones
    crit = load_criteria(default_criteria_path())
    saved = json.loads(ws.read_text())["weights"] or dict(zip(crit.ids, crit.default_weights().tolist()))
    shown = at.session_state["weights"]
    assert max(shown.values()) == pytest.approx(70)
    for k, v in saved.items():
        assert shown[k] / sum(shown.values()) == pytest.approx(v / sum(saved.values()))


def test_a_cli_saved_workspace_with_judgments_opens_on_every_page(tmp_path):
    ws = tmp_path / "ws.json"
    r = CliRunner().invoke(cli, ["save", str(CASE / "opportunities.csv"), "-d", "pipeline", "-j", str(CASE / "judgments.yaml"),
                                 "--db", str(tmp_path / "d.sqlite"), "-o", str(ws)])
    assert r.exit_code == 0, r.stderr
    with env(workspace=ws):
        at = _every_page(_app(tmp_path))
    assert set(at.session_state["judges"]) == {"Sales director", "CFO", "Delivery head"}


def test_a_restored_store_version_opens_on_every_page(tmp_path):
    db = tmp_path / "decisions.sqlite"
    r = CliRunner().invoke(cli, ["save", str(CASE / "opportunities.csv"), "-d", "Telecom B2B pipeline", "--db", str(db)])
    assert r.exit_code == 0, r.stderr
    at = _app(tmp_path)
    at.run()
    at.switch_page("page_export.py").run()
    at.selectbox(key="version_pick").set_value(1).run()
    at.button(key="restore_version").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


FOUR = {"name": "Our four criteria", "criteria": [
    {"id": "margin", "name": "Margin", "direction": "benefit", "unit": "kEUR", "bounds": [0, 10000]},
    {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"}},
    {"id": "fit", "name": "Fit", "direction": "benefit", "scale": {1: "poor", 2: "good"}},
    {"id": "effort", "name": "Effort", "direction": "cost", "unit": "days"},
]}


def test_own_criteria_set_the_bundled_judgments_aside_and_every_page_opens(tmp_path):
    crit = tmp_path / "four.yaml"
    crit.write_text(yaml.safe_dump(FOUR), encoding="utf-8")
    opp = tmp_path / "opps.csv"
    opp.write_text("id,name,margin,risk,fit,effort\nA,Alpha,500,low,good,10\nB,Beta,900,high,poor,30\n"
                   "C,Gamma,200,medium,good,5\n", encoding="utf-8")
    with env(criteria=crit, opportunities=opp):
        at = _every_page(_app(tmp_path))
    assert at.session_state["criteria"].ids == ["margin", "risk", "fit", "effort"]
    # the bundled judgments (about the eTOM criteria) were set aside with a message, never applied
    assert list(at.session_state["judges"]) == ["Team"]
    assert set(at.session_state["judges_set_aside"]) == {"Sales director", "CFO", "Delivery head"}
    assert set(at.session_state["ahp_weights"]) == {"margin", "risk", "fit", "effort"}


def test_uploading_a_criteria_file_in_the_app(tmp_path):
    at = _app(tmp_path)
    at.run()
    at.switch_page("page_import.py").run()
    at.file_uploader(key="criteria_upload").set_value(("four.yaml", yaml.safe_dump(FOUR).encode(), "text/yaml")).run()
    assert not at.exception and at.session_state["criteria"].ids == ["margin", "risk", "fit", "effort"]
    assert at.session_state["portfolio"] is None  # the case study does not fit: nothing ranks on a wrong table
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
    at.switch_page("page_ranking.py").run()
    assert any("No opportunities for these criteria" in w.value for w in at.warning)
    bad = b"name: x\ncriteria: [{id: Risk, name: r, direction: cost}]\n"
    at.switch_page("page_import.py").run()
    at.file_uploader(key="criteria_upload").set_value(("bad.yaml", bad, "text/yaml")).run()
    assert any("Criteria not used" in e.value for e in at.error)
    assert at.session_state["criteria"].ids == ["margin", "risk", "fit", "effort"]


def test_the_import_page_takes_the_salesforce_export_with_its_profile(tmp_path):
    at = _app(tmp_path)
    at.run()
    at.switch_page("page_import.py").run()
    at.file_uploader(key="export_upload").set_value(
        ("salesforce_pipeline.csv", (EXPORTS / "salesforce_pipeline.csv").read_bytes(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    # before a profile: the suggestion leaves values open, so there are problems, marked, and no 'use'
    assert at.button(key="imp_use").disabled
    assert len(at.session_state["import_problems"]) > 0
    at.file_uploader(key="profile_upload").set_value(
        ("salesforce.profile.yaml", (EXPORTS / "salesforce.profile.yaml").read_bytes(), "text/yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.button(key="imp_use").disabled, [e.value for e in at.error]
    at.button(key="imp_use").click().run()
    assert any("Using 14 opportunities" in s.value for s in at.success)
    at.switch_page("page_ranking.py").run()
    assert at.dataframe[0].value["id"].tolist()[0] == "OPP-03"  # the case study's ranking
    assert at.session_state["table_source"] == "import salesforce_pipeline.csv"


def test_the_import_page_maps_a_column_and_a_value_by_hand(tmp_path):
    crit = tmp_path / "four.yaml"
    crit.write_text(yaml.safe_dump(FOUR), encoding="utf-8")
    export = "Deal,Gross margin (EUR),Risk level,Fit,Days\nA,\"1,200,000\",Lo,good,10\nB,\"300,000\",High,poor,20\n"
    with env(criteria=crit):
        at = _app(tmp_path)
        at.run()
    at.switch_page("page_import.py").run()
    at.file_uploader(key="export_upload").set_value(("crm.csv", export.encode(), "text/csv")).run()
    assert not at.exception
    header = ["Deal", "Gross margin (EUR)", "Risk level", "Fit", "Days"]
    for k, target in enumerate(["id", "margin", "risk", "fit", "effort"]):
        at.selectbox(key=f"imp_col_{k}").set_value(target).run()
    assert [at.selectbox(key=f"imp_col_{k}").value for k in range(len(header))] == ["id", "margin", "risk", "fit", "effort"]
    problems = at.session_state["import_problems"]
    assert "Lo" in problems["value"].tolist()  # 'Lo' is no label of risk yet: a problem, its cell marked
    at.selectbox(key="imp_val_risk_0").set_value("low").run()  # the distinct values not on the scale: High? no, Lo
    at.text_input(key="imp_unit_margin").set_value("0.001").run()
    assert not at.button(key="imp_use").disabled, at.session_state["import_problems"]
    at.button(key="imp_use").click().run()
    p = at.session_state["portfolio"]
    assert p.ids == ["A", "B"] and p.matrix[:, 0].tolist() == [1200.0, 300.0]
