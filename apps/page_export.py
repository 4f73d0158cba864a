"""Export results (CSV, Excel) and the workspace; save versions of the decision and restore them."""
from __future__ import annotations

import pandas as pd
import streamlit as st
import ui_state
import ui_team

from mcda_qualify.errors import InputError
from mcda_qualify.io.export import to_csv_text, to_excel_bytes
from mcda_qualify.report import html_report, ranking_with_inputs

S = ui_state.S
st.header("Export and history")

result = ui_state.decision_or_stop()
ranking = getattr(result, "ranking", result)
table = ui_state.result_table(result)
names = {c.id: c.name for c in ui_state.criteria().criteria}
weights = pd.DataFrame({"criterion": ranking.weights.index, "name": [names.get(c, c) for c in ranking.weights.index],
                        "weight": ranking.weights.to_numpy()})
tables = {"ranking": ranking_with_inputs(table, S.table), "weights": weights, "opportunities": S.table}
big = len(table) > ui_state.EXCEL_EAGER_MAX  # a longer table's Excel file is built when downloaded


def _excel() -> bytes:  # no session state here: with big tables it runs on the download's own thread
    if ranking.method == "topsis":
        tables["contributions"] = ranking.contributions()
    return to_excel_bytes(tables)


# one state, one story: the workspace of this run feeds the report, the workspace file and the hash shown
ws = ui_state.workspace(result)
S.inputs_hash, ws_json = ui_state.workspace_hash_and_json(result)
st.markdown(f"Inputs hash `{S.inputs_hash[:16]}…` · {ui_state.settings().text()}",
            help=f"sha256 of criteria, weights or judgments, opportunities and settings: {S.inputs_hash}. "
                 "The report you download now carries the same hash.")

st.subheader("Results")
c1, c2 = st.columns(2)
key = ui_state.inputs_key()
c1.download_button("Ranking (CSV)", ui_state.memo("csv", key, lambda: to_csv_text(table)), file_name="ranking.csv",
                   mime="text/csv", key="dl_csv")
c2.download_button("All tables (Excel)", _excel if big else ui_state.memo("xlsx", key, _excel), file_name="decision.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx")
st.caption("Text that a spreadsheet would run as a formula (starting with =, +, -, @) is exported with a leading apostrophe.")

st.subheader("Report")
st.caption("Self-contained HTML, laid out for A4 landscape: inputs and their hash, weights, ranking with reasons, "
           "stability intervals and SMAA with the settings above. Built from what you see when you click, so it "
           "is never out of date.")


def _report(ws: object = ws) -> str:
    return html_report(ws)


st.download_button("Download the report (HTML)", _report, file_name="qualification_report.html", mime="text/html",
                   key="dl_report", on_click="ignore")

st.subheader("Workspace")
st.caption("One file with the criteria, weights or judgments, opportunities, settings and results; it loads back exactly.")
S.workspace_json = ws_json  # the bytes offered for download (kept for the round-trip test)
st.download_button("Workspace (JSON)", S.workspace_json, file_name="workspace.json", mime="application/json", key="dl_ws")
up = st.file_uploader("Open a workspace", type=["json"], key="ws_upload")
if ui_state.fresh_upload(up, "ws_upload_done"):
    err = ui_state.load_workspace_bytes(up.name, up.getvalue())
    if err:
        S.ws_error = err
    else:
        S.ws_error = None
        st.rerun()
if S.get("ws_error"):
    st.error(f"Workspace not opened, your current work is kept: {S.ws_error}")

st.subheader("Decision history")
c1, c2, c3 = st.columns(3)
S.decision_name = c1.text_input("Decision", value=S.decision_name, key="decision_input")
author = c2.text_input("Your name", value=S.get("author", ""), key="author_input")
note = c3.text_input("Note", key="note_input")
if not ui_team.can_write():
    st.caption("Read-only: saving and restoring versions needs your personal link.")
elif st.button("Save a version", key="save_version"):
    try:
        v = ui_state.save_version(result, author or "unknown", note)
    except InputError as exc:
        st.error(str(exc))
    else:
        st.success(f"Saved version {v} of '{S.decision_name}' in {ui_state.db_path()}.")
versions = ui_state.versions()
if versions is not None and len(versions):
    st.dataframe(versions, hide_index=True, width="stretch", key="versions")
    c1, c2 = st.columns(2)
    pick = c1.selectbox("Version", versions["version"].tolist()[::-1], key="version_pick")
    if c2.button("Restore this version", key="restore_version", disabled=not ui_team.can_write()):
        err = ui_state.restore_version(int(pick), author or "unknown")
        if err:
            st.error(err)
        else:
            st.rerun()
    if len(versions) >= 2:
        a, b = st.columns(2)
        v1 = a.selectbox("Compare", versions["version"].tolist(), key="diff_a")
        v2 = b.selectbox("with", versions["version"].tolist()[::-1], key="diff_b")
        st.code(ui_state.diff_text(int(v1), int(v2)), language=None)
else:
    st.caption("No saved versions yet.")
