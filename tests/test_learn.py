"""The labelled learn layer: history validation, backtest figures, implied weights, strict JSON."""
from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

from mcda_qualify.criteria import criteria_from_dict, load_criteria
from mcda_qualify.errors import InputError
from mcda_qualify.learn import JSON_KEYS, HistoryError, learn, load_history
from mcda_qualify.core.methods import normalize

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "case_studies" / "telecom_b2b" / "history" / "history.csv"
CRITERIA = ROOT / "criteria" / "qualify_selling_opportunity.yaml"
TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def crit():
    return load_criteria(CRITERIA)


@pytest.fixture(scope="module")
def case(crit):
    return learn(HISTORY, crit, samples=500, today=TODAY)


def test_case_study_counts_and_strict_json(case):
    with HISTORY.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    won = sum(r["outcome"] == "won" for r in rows)
    lost = sum(r["outcome"] == "lost" for r in rows)
    doc = json.loads(case.to_json())     # allow_nan=False inside: a NaN would have raised
    assert set(doc) == set(JSON_KEYS)    # every figure defined here, so no *_reason keys
    assert (doc["n_won"], doc["n_lost"], doc["n_decided"]) == (won, lost, won + lost)
    assert 0.0 <= doc["auc_interval"]["low"] <= doc["auc"] <= doc["auc_interval"]["high"] <= 1.0
    assert sum(v["n"] for v in doc["win_rate_by_status"].values()) == won + lost
    assert sum(b["n"] for b in doc["reliability"]) == won + lost
    assert sum(doc["implied_weights"].values()) == pytest.approx(1.0)
    for cid, (lo, hi) in doc["implied_weight_ranges"].items():
        assert lo - 1e-7 <= doc["implied_weights"][cid] <= hi + 1e-7
    assert doc["fit_error"] >= 0


def test_case_study_auc_is_mann_whitney_on_the_decision_scores(case, crit):
    from mcda_qualify.decision import decide
    from mcda_qualify.portfolio import load_portfolio

    port = load_portfolio(HISTORY, crit)
    result, _ = decide(port, None, "topsis")
    table = result.table.assign(outcome=port.table["outcome"].str.lower().to_numpy())
    w = table.loc[table.outcome == "won", "score"].to_numpy()
    lo = table.loc[table.outcome == "lost", "score"].to_numpy()
    assert case.auc == pytest.approx(mannwhitneyu(w, lo).statistic / (w.size * lo.size), abs=1e-12)


def test_case_study_ranking_change_covers_the_open_deals(case):
    with HISTORY.open(encoding="utf-8") as fh:
        open_ids = sorted(r["id"] for r in csv.DictReader(fh) if r["outcome"] == "open")
    ch = case.ranking_change
    assert sorted(ch["id"]) == open_ids
    assert sorted(ch["rank_stated"]) == list(range(1, len(open_ids) + 1))
    assert (ch["rank_change"] == ch["rank_stated"] - ch["rank_implied"]).all()


def _toy_criteria():
    return criteria_from_dict({"name": "toy", "criteria": [
        {"id": "fit", "name": "Fit", "direction": "benefit", "bounds": [0, 10]},
        {"id": "risk", "name": "Risk", "direction": "cost", "bounds": [0, 10]},
        {"id": "size", "name": "Size", "direction": "benefit", "bounds": [0, 10]},
    ]})


def test_recovery_through_the_labelled_layer():
    """Outcomes from a known weighted sum of the TOPSIS-normalised criteria, with a clear margin around
    the win threshold: zero fitting error, and the known weights inside the reported ranges."""
    rng = np.random.default_rng(3)
    crit = _toy_criteria()
    x_all = x = rng.uniform(1, 9, (120, 3))
    v = normalize(x, crit.types, "vector")
    w0 = np.array([0.5, 0.3, 0.2])
    u = v @ w0
    lo_cut, hi_cut = np.quantile(u, [0.4, 0.6])
    keep = (u < lo_cut) | (u > hi_cut)            # drop the deals near the threshold
    x, u = x[keep], u[keep]
    frame = pd.DataFrame({"id": [f"D{i}" for i in range(len(u))], "fit": x[:, 0], "risk": x[:, 1], "size": x[:, 2],
                          "outcome": np.where(u > hi_cut, "Won", "LOST")})
    res = learn(frame, crit, weights={"fit": 1, "risk": 1, "size": 1}, samples=200, delta=0.01, today=TODAY)
    assert res.fit_error == pytest.approx(0.0, abs=1e-7)
    # learn normalises the rows it is given: v = x / ||x_all|| = (x / ||x_kept||) * ||x_kept|| / ||x_all||, cost
    # columns 1 - that, so on the kept rows' scale the same ranking comes from w0 * ||x_kept|| / ||x_all||
    scale = np.linalg.norm(x, axis=0) / np.linalg.norm(x_all, axis=0)
    w_kept = w0 * scale / (w0 * scale).sum()
    for cid, w in zip(["fit", "risk", "size"], w_kept):
        lo, hi = res.implied_weight_ranges[cid]
        assert lo - 1e-6 <= w <= hi + 1e-6, (cid, lo, w, hi)
    doc = res.to_dict()
    assert doc["brier"] is None and "brier_reason" in doc and "reliability_reason" in doc
    assert doc["win_rate_by_status"] is not None


def _bad_csv(tmp_path: Path) -> Path:
    p = tmp_path / "bad.csv"
    p.write_text(
        "id,fit,risk,size,outcome,decided\n"
        "A,5,5,5,won,2025-01-10\n"
        "B,4,4,4,wom,2025-02-01\n"           # row 3: unknown label
        "A,3,3,3,won,2025-03-01\n"           # row 4: duplicate id
        "C,2,2,2,no_bid,2031-01-01\n"        # row 5: future date
        "D,6,6,6,Withdrawn,10/03/2025\n",    # row 6: not ISO
        encoding="utf-8")
    return p


def test_bad_history_reports_every_problem_with_its_location(tmp_path):
    p = _bad_csv(tmp_path)
    with pytest.raises(HistoryError) as info:
        learn(p, _toy_criteria(), today=TODAY)
    err = info.value
    assert isinstance(err, InputError)
    text = str(err)
    assert "5 problems" in text
    found = {(str(e.row).split()[0] if e.row is not None else None, e.column): e for e in err.problems}
    assert "did you mean 'won'" in found[("3", "outcome")].problem and found[("3", "outcome")].value == "wom"
    assert "duplicate id" in found[("4", "id")].problem
    assert "future" in found[("5", "decided")].problem and found[("5", "decided")].value == "2031-01-01"
    assert "not a date" in found[("6", "decided")].problem
    assert "no lost deals" in found[(None, "outcome")].problem
    for e in err.problems:
        assert e.file == str(p) and e.expected


def test_outcome_labels_are_case_insensitive_and_accept_no_bid_spellings():
    frame = pd.DataFrame({"id": list("ABCDEF"), "fit": [1, 2, 3, 4, 5, 6], "risk": [6, 5, 4, 3, 2, 1],
                          "size": [1, 3, 2, 5, 4, 6],
                          "outcome": ["WON", "Lost", "no_bid", "No-Bid", "no bid", " open "]})
    _, outcomes, decided = load_history(frame, _toy_criteria(), today=TODAY)
    assert outcomes == ["won", "lost", "no bid", "no bid", "no bid", "open"]
    assert decided == [None] * 6


def test_few_decided_deals_warn_and_missing_outcome_column_is_located(tmp_path):
    frame = pd.DataFrame({"id": list("ABCDE"), "fit": [1, 2, 3, 4, 5], "risk": [5, 4, 3, 2, 1],
                          "size": [2, 1, 4, 3, 5], "outcome": ["won", "lost", "won", "lost", "open"]})
    res = learn(frame, _toy_criteria(), weights={"fit": 1, "risk": 1, "size": 1}, samples=100, today=TODAY)
    assert res.n_decided == 4 and res.warnings and "30" in res.warnings[0]
    with pytest.raises(HistoryError, match="no 'outcome' column.*'outcomes' meant"):
        load_history(frame.rename(columns={"outcome": "outcomes"}), _toy_criteria(), today=TODAY)


def test_bid_basis_uses_the_teams_go_no_go_decisions(crit):
    res = learn(HISTORY, crit, basis="bid", samples=100, today=TODAY)
    assert res.basis == "bid" and sum(v for v in res.implied_weights.values()) == pytest.approx(1.0)
    with pytest.raises(InputError, match="basis"):
        learn(HISTORY, crit, basis="vibes", today=TODAY)
