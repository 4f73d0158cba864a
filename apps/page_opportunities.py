"""Opportunities: the bundled case study, an upload, or edits in the table; bad input never replaces good."""
from __future__ import annotations

import pandas as pd
import streamlit as st
import ui_state

S = ui_state.S
crit = ui_state.criteria()
st.header("Opportunities")
st.caption(f"Source: {S.table_source}. Scale criteria take the level number or its label.")

up = st.file_uploader("Upload an opportunity table (CSV or XLSX)", type=["csv", "xlsx"], key="upload")
if ui_state.fresh_upload(up, "upload_done"):
    err = ui_state.load_upload(up.name, up.getvalue())
    if err:
        S.upload_error = err
    else:
        S.upload_error = None
        S.editor_version = S.get("editor_version", 0) + 1
if S.get("upload_error"):
    st.error(f"Upload not used, the previous table is kept: {S.upload_error}")
    if S.get("table_problems") is not None and len(S.table_problems) > 1:
        st.dataframe(S.table_problems, hide_index=True, width="stretch", key="upload_problems")
for note in S.get("read_notes", []):
    st.caption(note)
st.caption("A raw CRM export (other column names, your own words for the levels)? Use the Import page.")

config = {}
for c in crit.criteria:
    help_text = c.description
    if c.scale:
        help_text += " Levels: " + "; ".join(f"{k} = {v.label}" + (f" ({v.description})" if v.description else "")
                                             for k, v in sorted(c.scale.items()))
    elif c.unit:
        help_text += f" Unit: {c.unit}."
    config[c.id] = st.column_config.Column(c.name, help=help_text)

edited = st.data_editor(S.table, num_rows="dynamic", column_config=config, hide_index=True, width="stretch",
                        key=f"editor_{S.get('editor_version', 0)}")
if not edited.equals(S.table):
    frame = edited.copy()
    frame.attrs.update(where="edited table", first_row=2)
    err = ui_state.set_table(frame, "edited table")
    if err:
        st.error(f"Edit not applied, the ranking still uses the previous table: {err}")
        if S.get("table_problems") is not None and len(S.table_problems) > 1:
            st.dataframe(S.table_problems, hide_index=True, width="stretch", key="edit_problems")
    else:
        st.success("Edit applied.")

with st.expander("Add an opportunity"):
    st.caption("Every field starts empty: a forgotten one is refused, never read as the best level.")
    with st.form("add_form", clear_on_submit=False):
        new = {"id": st.text_input("id", key="add_id"), "name": st.text_input("name", key="add_name")}
        for c in crit.criteria:
            if c.scale:
                labels = [v.label for _, v in sorted(c.scale.items())]
                new[c.id] = st.selectbox(c.name, labels, index=None, placeholder="choose a level",
                                         help=c.description, key=f"add_{c.id}")
            else:
                lo, hi = c.bounds if c.bounds else (0.0, 1e9)
                new[c.id] = st.number_input(f"{c.name} ({c.unit or ''})", min_value=float(lo), max_value=float(hi),
                                            value=None, placeholder="enter a number", help=c.description,
                                            key=f"add_{c.id}")
        if st.form_submit_button("Add"):
            names = {c.id: c.name for c in crit.criteria}
            missing = [names.get(k, k) for k, v in new.items()
                       if k != "name" and (v is None or (isinstance(v, str) and not v.strip()))]
            if missing:
                st.error("Not added: fill in " + ", ".join(missing) + ".")
            else:
                row = {col: "" for col in S.table.columns}
                row.update({k: (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for k, v in new.items()})
                frame = pd.concat([S.table, pd.DataFrame([row])], ignore_index=True)
                frame.attrs.update(where="new opportunity", first_row=2)
                err = ui_state.set_table(frame, "edited table")
                if err:
                    st.error(f"Not added: {err}")
                else:
                    S.editor_version = S.get("editor_version", 0) + 1
                    st.rerun()
