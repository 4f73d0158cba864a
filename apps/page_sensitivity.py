"""Sensitivity: how fragile is the ranking? Sweeps, reversal points, stability, SMAA, what it takes."""
from __future__ import annotations

import time

import streamlit as st
import ui_state

from mcda_qualify import comparison, plots
from mcda_qualify import sensitivity as sf
from mcda_qualify.errors import InputError

from mcda_qualify.degenerate import stability_notes

S = ui_state.S
crit = ui_state.criteria()

st.header("Sensitivity")
method = S.method if S.method in ("topsis", "wsm") else "topsis"
if method != S.method:
    st.info(f"The weight analyses use TOPSIS (the ranking page uses {S.method}).")
w = ui_state.weight_vector()
opts = {"method": method, "normalization": S.normalization, "exclude": ui_state.excluded()}
p = ui_state.portfolio()
if st.toggle("Only opportunities that pass every gate", value=False, key="passing_only",
             help="Leave out what fails a knock-out gate: its rank reversals change no decision."):
    from mcda_qualify.qualify import gate_failures

    p = p.subset([i for i, f in zip(p.ids, gate_failures(p)) if not f])
names = {c.id: c.name for c in crit.criteria}
used = [c for c in crit.ids if c not in opts["exclude"]]

if len(p) < 2:  # e.g. only one opportunity passes every gate (issue 17)
    st.info(f"{len(p)} opportunity(ies) to analyse: nothing can change places, so there is no sensitivity to show.")
elif len(used) < 2:
    st.info(f"One criterion in use ({names[used[0]]}): its weight is always 1, so no weight change can alter "
            "the ranking. There is nothing to sweep.")
else:
    try:
        c = st.selectbox("Criterion to sweep", used, format_func=names.get, key="sweep_criterion")
        sweep = sf.weight_sweep(p, c, w, points=201, **opts)
        rev = sf.reversal_points(p, w, criteria=[c], **opts)
        current = float(sweep.loc[sweep["current"], "weight"].iloc[0]) if sweep["current"].any() else None
        st.plotly_chart(plots.sweep_figure(sweep, rev, current_weight=current), key="sweep")
        st.caption(f"The other weights are rescaled in proportion. {len(rev)} rank reversals on this criterion; "
                   "the marked points are exact (root finding), not grid readings.")
        stab = sf.stability_intervals(p, w, **opts)
        st.plotly_chart(plots.tornado_figure(stab), key="tornado")
        for note in stability_notes(stab):  # a single-point interval in words (issue 17)
            st.info(note)
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
    frames = sf.smaa(p, S.smaa_samples, weights=w, weight_model=model, concentration=S.smaa_concentration,
                     seed=S.seed, **opts)
    ms = (time.perf_counter() - t0) * 1000
    st.plotly_chart(plots.acceptability_heatmap(frames.acceptability), key="smaa_heatmap")
    st.plotly_chart(plots.acceptability_bars(frames.acceptability), key="smaa_bars")
    st.dataframe(frames.summary, width="stretch", key="smaa_summary")
    st.caption(f"{S.smaa_samples:,} samples, seed {S.seed}, computed in {ms:.0f} ms (Lahdelma & Salminen 2001).")
except InputError as exc:
    st.error(str(exc))

st.subheader("What it takes")
ids = p.ids
target = st.selectbox("Opportunity", ids, index=min(1, len(ids) - 1), key="wit_id") if ids else None
try:
    if target is None:
        raise InputError("no opportunity to improve")
    wit = comparison.what_it_takes(p, target, w, **opts)
    show = wit[wit["reachable"] | wit["already"]][["target", "criterion", "current_label", "needed_label",
                                                   "steps_needed", "new_score", "new_rank", "gates_pass"]]
    if show.empty:
        st.info(f"No single-criterion improvement lifts {target}.")
    else:
        st.dataframe(show, hide_index=True, width="stretch", key="wit")
except InputError as exc:
    st.error(str(exc))
