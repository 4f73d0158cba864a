"""Ranking and qualification: table with status and reasons, charts, contributions, method comparison."""
from __future__ import annotations

import streamlit as st

import ui_state
from mcda_qualify.errors import InputError
from mcda_qualify.ranking import available_methods

S = ui_state.S
st.header("Ranking and qualification")

c1, c2 = st.columns(2)
methods = available_methods()
c1.selectbox("Method", methods, index=methods.index(S.method), key="method_select",
             on_change=lambda: S.update(method=S.method_select),
             help="TOPSIS and AHP ratings give a 0-1 score with qualification bands; the other methods rank only.")
c2.selectbox("TOPSIS normalisation", ["vector", "minmax"], index=["vector", "minmax"].index(S.normalization),
             key="norm_select", on_change=lambda: S.update(normalization=S.norm_select),
             help="vector: Hwang & Yoon (1981); minmax: pymcdm's default. The scores differ between them.")

try:
    result = ui_state.decision()
except InputError as exc:
    st.error(str(exc))
    st.stop()

ranking = getattr(result, "ranking", result)
table = ui_state.result_table(result)
st.caption(f"{ranking.method.upper()}: {ranking.source}. A {ranking.better} score is better.")
st.dataframe(table, hide_index=True, width="stretch", key="ranking_table")
