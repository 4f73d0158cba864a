"""Sensitivity: how fragile is the ranking? Sweeps, reversal points, stability, SMAA, what it takes."""
from __future__ import annotations

import time

import streamlit as st
import ui_state

from mcda_qualify import comparison, plots
from mcda_qualify import sensitivity as sf
from mcda_qualify.errors import InputError
from mcda_qualify.ranking import rank

S = ui_state.S
crit = ui_state.criteria()
st.header("Sensitivity")
method = S.method if S.method in ("topsis", "wsm") else "topsis"
if method != S.method:
    st.info(f"The weight analyses use TOPSIS (the ranking page uses {S.method}).")
w = ui_state.weight_vector()
opts = {"method": method, "normalization": S.normalization, "exclude": S.get("exclude", [])}
p = ui_state.portfolio()
passing = st.toggle("Only opportunities that pass every gate", value=False, key="passing_only",
                    help="Leave out what fails a knock-out gate: its rank reversals change no decision.")
if passing:
    from mcda_qualify.qualify import gate_failures

    p = ui_state.memo("passing", (ui_state.fingerprint(p),),
                      lambda: p.subset([i for i, f in zip(p.ids, gate_failures(p)) if not f]))
key = ui_state.inputs_key() + (passing, method)
top_n = ui_state.TOP_N
names = {c.id: c.name for c in crit.criteria}
used = [c for c in crit.ids if c not in opts["exclude"]]

try:
    c = st.selectbox("Criterion to sweep", used, format_func=names.get, key="sweep_criterion")
    # heavy views: the top opportunities only (lines and the reversal points among them)
    shown = ui_state.memo("top_ids", key, lambda: rank(p, w, **opts).sorted()["id"].head(top_n).tolist())
    sweep = ui_state.memo("sweep", key + (c,), lambda: sf.weight_sweep(p, c, w, points=201, ids=shown, **opts))
    rev = ui_state.memo("reversals", key + (c,), lambda: sf.reversal_points(p, w, criteria=[c], among=shown, **opts))
    current = float(sweep.loc[sweep["current"], "weight"].iloc[0]) if sweep["current"].any() else None
    st.plotly_chart(ui_state.memo("fig_sweep", key + (c,), lambda: plots.sweep_figure(
        sweep, rev, current_weight=current)), key="sweep")
    st.caption(f"The other weights are rescaled in proportion. {len(rev)} rank reversals on this criterion"
               f"{' among the opportunities shown' if len(shown) < len(p) else ''}; "
               "the marked points are exact (closed form), not grid readings. "
               + ui_state.hidden_note(len(shown), len(p)))
    stab = ui_state.memo("stability", key, lambda: sf.stability_intervals(p, w, **opts))
    st.plotly_chart(ui_state.memo("fig_tornado", key, lambda: plots.tornado_figure(stab)), key="tornado")
except InputError as exc:
    st.error(str(exc))

st.subheader("SMAA-2: rank acceptability")
c1, c2, c3 = st.columns(3)
S.smaa_samples = c1.select_slider("Samples", [1_000, 5_000, 10_000, 50_000, 100_000], value=S.smaa_samples,
                                  key="smaa_samples_select")
model = c2.selectbox("Weight uncertainty", ["dirichlet", "uniform"], key="smaa_model",
                     format_func={"dirichlet": "around our weights", "uniform": "no information"}.get)
S.smaa_concentration = c3.slider("Agreement on the weights (Dirichlet concentration)", 5.0, 500.0,
                                 float(S.smaa_concentration), key="smaa_conc", disabled=model != "dirichlet")
try:
    t0 = time.perf_counter()
    # beyond SMAA_FULL_MAX opportunities only ranks 1..TOP_N are counted (memory N x 15, not N^2)
    top_r = None if len(p) <= ui_state.SMAA_FULL_MAX else min(ui_state.SMAA_TOP_R, len(p))
    frames = ui_state.memo("smaa", key + (S.smaa_samples, model, S.smaa_concentration, S.seed), lambda: sf.smaa(
        p, S.smaa_samples, weights=w, weight_model=model, concentration=S.smaa_concentration, seed=S.seed,
        top_r=top_r, score_uncertainty="auto" if top_r is None else False, **opts))
    ms = (time.perf_counter() - t0) * 1000
    acc = frames.acceptability
    best = frames.summary.sort_values(["first_rank", "rank"], ascending=[False, True]).head(top_n)["id"].tolist()
    view = acc.loc[best, acc.columns[:top_n]]
    skey = key + (S.smaa_samples, model, S.smaa_concentration, S.seed)
    st.plotly_chart(ui_state.memo("fig_heatmap", skey, lambda: plots.acceptability_heatmap(view)), key="smaa_heatmap")
    st.plotly_chart(ui_state.memo("fig_acc_bars", skey, lambda: plots.acceptability_bars(view)), key="smaa_bars")
    if len(best) < len(p) or len(acc.columns) > top_n:
        st.caption(ui_state.hidden_note(len(best), len(p)) + f" Ranks 1 to {len(view.columns)} shown"
                   + (" (only those were counted)." if top_r else "."))
    st.dataframe(frames.summary, width="stretch", key="smaa_summary")
    st.caption(f"{S.smaa_samples:,} samples, seed {S.seed}, computed in {ms:.0f} ms (Lahdelma & Salminen 2001).")
except InputError as exc:
    st.error(str(exc))

st.subheader("What it takes")
ids = p.ids
target = st.selectbox("Opportunity", ids, index=min(1, len(ids) - 1), key="wit_id")
wit_key = ("what_it_takes", key + (target,))
if len(p) > ui_state.WHAT_IT_TAKES_AUTO_MAX and wit_key[1] not in {k[1] for k in S.get("_memo", {}) if k[0] == wit_key[0]}:
    # every candidate value re-scores the whole table: on a long pipeline only on request
    if not st.button(f"Compute what it takes for {target} (re-scores all {len(p):,} opportunities per candidate value)",
                     key="wit_go"):
        st.stop()
try:
    wit = ui_state.memo("what_it_takes", key + (target,), lambda: comparison.what_it_takes(p, target, w, **opts))
    show = wit[wit["reachable"] | wit["already"]][["target", "criterion", "current_label", "needed_label",
                                                   "steps_needed", "new_score", "new_rank", "gates_pass"]]
    if show.empty:
        st.info(f"No single-criterion improvement lifts {target}.")
    else:
        st.dataframe(show, hide_index=True, width="stretch", key="wit")
except InputError as exc:
    st.error(str(exc))
