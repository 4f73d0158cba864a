"""Learn from won and lost deals: does the qualification predict wins, which weights does the history imply?"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
import ui_state

from mcda_qualify import plots
from mcda_qualify.errors import InputError
from mcda_qualify.learn import learn

S = ui_state.S
BUNDLED = ui_state.ROOT / "case_studies" / "telecom_b2b" / "history" / "history.csv"
st.header("Learn from won and lost deals")
st.caption("A history is an opportunity table with an 'outcome' column (won / lost / no bid / withdrawn / open) "
           "and optionally 'decided' (YYYY-MM-DD). The figures use today's weights and method.")

FROM_BUNDLED, FROM_UPLOAD, FROM_STORE = ("Bundled synthetic history (telecom case study, invented)",
                                        "Upload a history", "The decision store")
sources = [FROM_BUNDLED, FROM_UPLOAD, FROM_STORE]
with BUNDLED.open(encoding="utf-8") as f:  # the bundled history has the bundled criteria's columns only
    bundled_fits = set(ui_state.criteria().ids) <= set(f.readline().strip().split(","))
if not bundled_fits:
    sources.remove(FROM_BUNDLED)
    st.caption("The bundled synthetic history is offered with the bundled criteria only: yours differ.")
choice = st.radio("History", sources, key="learn_source")
c1, c2 = st.columns(2)
samples = int(c1.number_input("Bootstrap samples of the AUC interval", 200, 20_000, 2000, step=200, key="learn_samples"))
basis = c2.radio("Implied weights from", ["outcome", "bid"], horizontal=True, key="learn_basis",
                 format_func={"outcome": "won over lost", "bid": "our bid / no-bid decisions"}.get)


def _run(history: object, label: str, ident: object) -> None:
    """learn() once per state of its inputs (``ident`` names the history: a path, a file's hash, a store)."""
    key = (ui_state.inputs_key(), ident, basis, samples, S.seed)
    try:
        r = ui_state.memo("learn", key, lambda: learn(
            history, ui_state.criteria(), ui_state.weight_vector(), S.method, normalization=S.normalization,
            basis=basis, samples=samples, seed=S.seed, current=ui_state.portfolio()))
    except InputError as exc:
        st.error(str(exc))
        st.stop()
    S.learn_result, S.learn_label = r, label


if choice == FROM_BUNDLED:
    _run(BUNDLED, "the bundled synthetic history", str(BUNDLED))
elif choice == FROM_UPLOAD:
    up = st.file_uploader("History (CSV or XLSX)", type=["csv", "xlsx"], key="learn_upload")
    if up is None:
        st.info("Upload a history to learn from it.")
        st.stop()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"history{Path(up.name).suffix.lower() or '.csv'}"
        path.write_bytes(up.getvalue())
        _run(path, up.name, hashlib.sha256(up.getvalue()).hexdigest())
else:
    from mcda_qualify.io.outcomes import history_from_store

    if not ui_state.db_path().exists():
        st.info(f"No decision store yet at {ui_state.db_path()}: save a version on the Export page, then record "
                "outcomes with `mcda-qualify outcome DB ID won`.")
        st.stop()
    try:
        frame = history_from_store(ui_state.db_path(), S.decision_name)
    except InputError as exc:
        st.error(str(exc))
        st.stop()
    _run(frame, f"'{S.decision_name}' in the store", hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest())

r = S.learn_result
for w in r.warnings:
    st.warning(w)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Decided deals", f"{r.n_decided}", help=f"{r.n_won} won, {r.n_lost} lost")
iv = r.auc_interval
c2.metric("AUC", "-" if r.auc is None else f"{r.auc:.3f}",
          help="The chance that a won deal scores above a lost one; 0.5 is chance (Hanley & McNeil 1982).")
c3.metric(f"{iv.level:.0%} interval" if iv else "interval", f"{iv.low:.3f} - {iv.high:.3f}" if iv else "-")
c4.metric("Lift of the top third", "-" if r.lift is None or r.lift.lift is None else f"{r.lift.lift:.2f}")
st.caption(f"From {S.learn_label}: {r.n_won} won, {r.n_lost} lost; {iv.samples:,} bootstrap samples, seed {S.seed}."
           + (" The interval includes 0.5: the history cannot tell the score from chance yet."
              if iv and iv.low <= 0.5 <= iv.high else ""))
doc = r.to_dict()
if doc["win_rate_by_status"]:
    st.dataframe(pd.DataFrame([{"status": k, **v} for k, v in doc["win_rate_by_status"].items()]),
                 hide_index=True, key="learn_status")
st.subheader("Calibration of the stated win probability")
if doc["reliability"]:
    st.plotly_chart(plots.reliability_figure(doc["reliability"]), key="learn_reliability")
    st.caption(f"Brier score {r.brier:.3f} (0 is perfect; always saying 50% scores 0.25; Brier 1950).")
else:
    st.info(r.reasons.get("reliability", "no win_probability column"))

st.subheader("Weights the history implies")
st.plotly_chart(plots.weights_comparison_figure(r.stated_weights, r.implied_weights, ranges=r.implied_weight_ranges),
                key="learn_weights")
wt = pd.DataFrame({"criterion": list(r.stated_weights), "today": list(r.stated_weights.values()),
                   "implied": [r.implied_weights.get(c) for c in r.stated_weights],
                   "range low": [(r.implied_weight_ranges.get(c) or [None, None])[0] for c in r.stated_weights],
                   "range high": [(r.implied_weight_ranges.get(c) or [None, None])[1] for c in r.stated_weights]})
st.dataframe(wt, hide_index=True, key="learn_weights_table")
st.caption(f"UTA-STAR, one segment per criterion (Siskos & Yannacopoulos 1985); fitting error {r.fit_error:.4f}. "
           "The range holds every weight consistent with the history (post-optimality)."
           + (f" {r.reasons['implied_weights']}." if r.reasons.get("implied_weights") else ""))
if r.ranking_change is not None:
    st.subheader("Today's opportunities under the implied weights")
    st.dataframe(r.ranking_change, hide_index=True, width="stretch", key="learn_ranking_change")

st.subheader("Adopt the implied weights")
st.caption("Sets the weight sliders to the implied weights (a criterion the history says nothing about gets 0) "
           f"and saves a new version of '{S.decision_name}' in {ui_state.db_path()}; the current weights are saved "
           "first when the decision has no version yet, so the diff shows what changed.")
author = st.text_input("Your name", value=S.get("author", ""), key="learn_author")
if st.button("Adopt the implied weights as a new version", key="learn_adopt"):
    try:
        before = ui_state.versions()
        if before is None or not len(before):
            ui_state.save_version(ui_state.decision(), author or "unknown", "weights before adopting the implied ones")
        old = int(ui_state.versions()["version"].max())
        S.weights = {c: round(float(r.implied_weights.get(c) or 0.0) * 100, 9) for c in r.stated_weights}
        S.weights_mode = "direct"
        for k in [k for k in S if str(k).startswith("w_")]:
            del S[k]
        new = ui_state.save_version(ui_state.decision(), author or "unknown",
                                    f"implied weights learned from {S.learn_label} (AUC {r.auc:.3f})")
    except InputError as exc:
        st.error(str(exc))
    else:
        S.learn_adopted = (old, new)
if S.get("learn_adopted"):
    old, new = S.learn_adopted
    st.success(f"Saved version {new} with the implied weights.")
    st.code(ui_state.diff_text(old, new), language=None)
