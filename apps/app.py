"""mcda-qualify app: weight the criteria together, compare opportunities, see the ranking move.

Run with ``make run`` or ``mcda-qualify app`` (binds to 127.0.0.1). Every number on screen comes
from an ``mcda_qualify`` function that a script can call too.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent))  # sibling modules when run by path

import ui_state  # noqa: E402
import ui_team  # noqa: E402

st.set_page_config(page_title="mcda-qualify", page_icon=":material/checklist:", layout="wide")
ui_state.init()
ui_state.sync_judges()  # what the other stakeholders saved reaches this session on every run
ui_team.identity()  # team mode: whose link is this (before any widget is drawn)

HERE = Path(__file__).resolve().parent
pages = [
    st.Page(str(HERE / "page_weights.py"), title="Weights", icon=":material/balance:", default=True),
    st.Page(str(HERE / "page_opportunities.py"), title="Opportunities", icon=":material/table:"),
    st.Page(str(HERE / "page_ranking.py"), title="Ranking", icon=":material/leaderboard:"),
    st.Page(str(HERE / "page_sensitivity.py"), title="Sensitivity", icon=":material/ssid_chart:"),
    st.Page(str(HERE / "page_export.py"), title="Export", icon=":material/download:"),
    st.Page(str(HERE / "page_import.py"), title="Import", icon=":material/upload_file:"),
    st.Page(str(HERE / "page_plan.py"), title="Plan", icon=":material/event_available:"),
    st.Page(str(HERE / "page_learn.py"), title="Learn", icon=":material/school:"),
]
nav = st.navigation(pages)
with st.sidebar:
    st.caption(f"Criteria: {ui_state.criteria().name} ({len(ui_state.criteria().ids)})")
    p = ui_state.portfolio()
    st.caption(f"Opportunities: {ui_state.S.table_source} ({0 if p is None else len(p)} rows)")
    st.caption(f"Settings: {ui_state.settings().text()}")
ui_team.badge()
if ui_state.portfolio() is None and nav.title not in ("Opportunities", "Import"):
    st.header(nav.title)
    for note in ui_state.S.get("messages", []):
        st.info(note)
    st.warning("No opportunities for these criteria yet: import an export on the Import page, or fill the "
               "table on the Opportunities page.")
    st.stop()
nav.run()
