"""Streamlit app through streamlit.testing.v1.AppTest: every page loads, weights move the ranking,
judgments warn and their suggestion lowers the CR, a bad upload keeps the previous table."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "apps" / "app.py")
PAGES = ["page_weights.py", "page_opportunities.py", "page_ranking.py", "page_sensitivity.py", "page_export.py",
         "page_import.py"]


def _top(at: AppTest) -> str:
    return at.metric[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads(at, page):
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.header, "each page has a header"


def test_slider_changes_the_ranking(at):
    before = at.dataframe[0].value["id"].tolist()
    assert _top(at) == "OPP-03"
    at.slider(key="w_risk").set_value(100).run()
    at.slider(key="w_deal_size").set_value(1).run()  # sliders: 0-100 points, the largest default weight at 70
    after = at.dataframe[0].value["id"].tolist()
    assert after != before and _top(at) == "OPP-02"
    # the weight survives a visit to another page
    at.switch_page("page_ranking.py").run()
    at.switch_page("page_weights.py").run()
    assert at.slider(key="w_risk").value == 100 and _top(at) == "OPP-02"


def _cr(at: AppTest) -> float:
    text = next(m.value for m in at.markdown if "consistency ratio" in m.value)
    return float(text.split("CR ")[1].split("**")[0])


def test_inconsistent_judgment_warns_and_suggestion_lowers_cr(at):
    at.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
    assert not at.exception
    consistent_cr = _cr(at)
    at.select_slider(key="pair_Sales director_deal_size_sales_effort").set_value(Fraction(1, 9)).run()
    at.select_slider(key="pair_Sales director_risk_sales_effort").set_value(Fraction(9)).run()
    bad = _cr(at)
    assert bad > 0.1 > consistent_cr
    assert any("inconsistent" in w.value for w in at.warning)
    apply = [b for b in at.button if b.key and b.key.startswith("apply_")]
    assert apply, "a one-click suggestion is offered"
    apply[0].click().run()
    assert _cr(at) < bad


def test_ahp_mode_ranks_with_group_weights(at):
    at.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
    caption = next(c.value for c in at.caption if c.value.startswith("Weights in force"))
    # the three stakeholders' aggregated (AIJ) weight, missing pairs completed lambda_max-optimally (issue 13;
    # Harker's completion, the default before, gave 12.9%): the app shows what weights_from_judgments gives
    from mcda_qualify.judgments import load_judgments
    from mcda_qualify.judgments_summary import weights_from_judgments

    case = Path(APP).parents[1] / "case_studies" / "telecom_b2b" / "judgments.yaml"
    w = weights_from_judgments(load_judgments(case))
    assert f"requirements_fit {w['requirements_fit']:.1%}" in caption
    assert f"{weights_from_judgments(load_judgments(case), completion='harker')['requirements_fit']:.1%}" == "12.9%"


def test_bad_csv_shows_error_and_keeps_table(at):
    at.switch_page("page_opportunities.py").run()
    before = at.session_state["table"].copy()
    bad = b"id,name,risk\nX,broken,7\n"
    at.file_uploader(key="upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert any("bad.csv" in e.value and "criterion columns are missing" in e.value for e in at.error)
    assert at.session_state["table"].equals(before)
    at.switch_page("page_weights.py").run()
    assert _top(at) == "OPP-03"


def test_good_upload_replaces_table(at, tk):
    at.switch_page("page_opportunities.py").run()
    text = tk.CASE.read_text(encoding="utf-8").splitlines()
    small = "\n".join(text[:4]) + "\n"  # header and three opportunities
    at.file_uploader(key="upload").set_value(("three.csv", small.encode(), "text/csv")).run()
    assert not at.error
    assert len(at.session_state["portfolio"]) == 3


def _fresh(tmp_path) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.session_state["db_path"] = str(tmp_path / "decisions.sqlite")
    app.run()
    return app


def test_workspace_export_then_import_gives_the_same_ranking(tmp_path):
    a = _fresh(tmp_path)
    a.slider(key="w_risk").set_value(80).run()
    a.switch_page("page_ranking.py").run()
    ranking_a = a.dataframe[0].value[["id", "score", "rank", "status"]].reset_index(drop=True)
    a.switch_page("page_export.py").run()
    assert not a.exception, [e.value for e in a.exception]
    data = a.session_state["workspace_json"]

    b = _fresh(tmp_path)
    b.switch_page("page_export.py").run()
    b.file_uploader(key="ws_upload").set_value(("ws.json", data.encode(), "application/json")).run()
    assert not b.error, [e.value for e in b.error]
    b.switch_page("page_ranking.py").run()
    ranking_b = b.dataframe[0].value[["id", "score", "rank", "status"]].reset_index(drop=True)
    assert ranking_a.equals(ranking_b)
    b.switch_page("page_weights.py").run()
    assert b.slider(key="w_risk").value == 80


def test_bad_workspace_keeps_the_work(tmp_path):
    a = _fresh(tmp_path)
    a.slider(key="w_risk").set_value(90).run()
    a.switch_page("page_export.py").run()
    a.file_uploader(key="ws_upload").set_value(("ws.json", b'{"schema_version": 99}', "application/json")).run()
    assert any("ws.json" in e.value for e in a.error)
    a.switch_page("page_weights.py").run()
    assert a.slider(key="w_risk").value == 90


def test_save_versions_and_restore(tmp_path):
    a = _fresh(tmp_path)
    a.switch_page("page_export.py").run()
    a.text_input(key="author_input").set_value("Ana").run()
    a.button(key="save_version").click().run()
    assert any("Saved version 1" in s.value for s in a.success)
    a.switch_page("page_weights.py").run()
    a.slider(key="w_risk").set_value(100).run()
    a.slider(key="w_deal_size").set_value(1).run()
    assert _top(a) == "OPP-02"
    a.switch_page("page_export.py").run()
    a.button(key="save_version").click().run()
    assert any("Saved version 2" in s.value for s in a.success)
    assert "risk" in next(c.value for c in a.code)  # the diff of versions 1 and 2 names the weight
    a.selectbox(key="version_pick").set_value(1).run()
    a.button(key="restore_version").click().run()
    a.switch_page("page_weights.py").run()
    assert _top(a) == "OPP-03"


def test_stakeholders_share_judgments_through_the_store(tmp_path):
    sales = _fresh(tmp_path)
    sales.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
    cfo = _fresh(tmp_path)
    cfo.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
    cfo.selectbox(key="judge_select").set_value("CFO").run()
    before = cfo.session_state["ahp_weights"]["deal_size"]

    # the sales director, in their own browser, says deal size matters far more than risk, and saves
    sales.select_slider(key="pair_Sales director_risk_deal_size").set_value(Fraction(1, 9)).run()
    sales.button(key="save_judge").click().run()
    assert any("revision 1" in s.value for s in sales.success)

    cfo.run()  # the CFO's next refresh
    assert cfo.session_state["judges"]["Sales director"]["pairs"][("risk", "deal_size")] == pytest.approx(1 / 9)
    assert cfo.session_state["ahp_weights"]["deal_size"] > before


def test_report_download_builds_the_report(tmp_path, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    built = {}
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):  # the bytes the browser gets on click
        built["report"] = data_callable
        return real(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    a = _fresh(tmp_path)
    a.switch_page("page_export.py").run()
    assert not a.exception
    assert "OPP-03" in built["report"]()


def test_import_judgments_matrix_form_and_hierarchy(at, criteria):
    import yaml

    ids = criteria.ids
    at.radio(key="mode_radio").set_value("Pairwise judgments (AHP)").run()
    flat = {"labels": ids, "judgments": [[ids[0], c, 2] for c in ids[1:]]}
    at.file_uploader(key="import_judgments").set_value(("team.yaml", yaml.safe_dump(flat).encode(), "text/yaml")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(at.session_state["judges"]) == ["Team"]
    assert at.session_state["ahp_weights"][ids[0]] > at.session_state["ahp_weights"][ids[1]]

    import numpy as np

    m = np.ones((len(ids), len(ids)))
    m[0, 1:], m[1:, 0] = 3, 1 / 3  # risk three times as important as each other criterion
    matrix = {"labels": ids, "matrix": [[None if (i and j and i != j) else float(m[i, j]) for j in range(len(ids))]
                                        for i in range(len(ids))]}
    at.file_uploader(key="import_judgments").set_value(("m.yaml", yaml.safe_dump(matrix).encode(), "text/yaml")).run()
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["judges"]["Team"]["pairs"][(ids[0], ids[1])] == pytest.approx(3)

    tree = {"labels": ["commercial", "delivery"], "judgments": [["commercial", "delivery", 3]],
            "children": {"commercial": {"labels": ids[:6], "judgments": [[ids[0], c, 1] for c in ids[1:6]]},
                         "delivery": {"labels": ids[6:], "judgments": [[ids[6], c, 1] for c in ids[7:]]}}}
    at.file_uploader(key="import_judgments").set_value(("tree.yaml", yaml.safe_dump(tree).encode(), "text/yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("hierarchy" in i.value for i in at.info)
    w = at.session_state["weights"]
    assert w[ids[0]] == pytest.approx(75 / 6) and w[ids[6]] == pytest.approx(25 / 6)
