"""`mcda-qualify plan | learn | outcome` in-process (typer's CliRunner): every format, the exit-2 cases of
issues 15 and 16, outcomes kept as history in the store, and the store's layout-1 -> layout-2 upgrade."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.io import store
from mcda_qualify.io.outcomes import history_from_store, outcomes, record_outcome
from mcda_qualify.learn import JSON_KEYS
from mcda_qualify.plan import plan

runner = CliRunner()
CAPS = ["--capacity", "sales_effort=600", "--capacity", "pursuit_cost=900"]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def strict(text: str):
    def bad(name):
        raise AssertionError(f"non-strict JSON constant {name}")

    return json.loads(text, parse_constant=bad)


def one_error(r, *needles):
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("error: ")
    for n in needles:
        assert n in r.stderr, f"{n!r} not in {r.stderr!r}"


@pytest.fixture(scope="module")
def rows(tk):
    with tk.CASE.open(encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def history_path(tk):
    return tk.ROOT / "case_studies" / "telecom_b2b" / "history" / "history.csv"


# ---------------------------------------------------------------------------------------------
# plan
# ---------------------------------------------------------------------------------------------


def test_plan_json_is_the_library_plan_and_meets_the_capacities(tk, case, rows):
    r = invoke("plan", tk.CASE, *CAPS, "--format", "json")
    assert r.exit_code == 0, r.stderr
    doc = strict(r.stdout)
    assert doc == json.loads(json.dumps(plan(case, capacities={"sales_effort": 600, "pursuit_cost": 900}).to_json()))
    chosen = [o["id"] for o in doc["opportunities"] if o["selected"]]
    for col, lim in (("sales_effort", 600), ("pursuit_cost", 900)):
        used = sum(float(rows[i][col]) for i in chosen)     # read with the csv module, not our loader
        assert used <= lim and doc["capacities"][col] == {"limit": lim, "used": used}
    assert {"OPP-08", "OPP-09"} == {o["id"] for o in doc["opportunities"] if not o["eligible"]}
    assert not any(o["selected"] and not o["eligible"] for o in doc["opportunities"])


def test_plan_table_names_the_plan_and_why_the_rest_is_left_out(tk):
    r = invoke("plan", tk.CASE, *CAPS)                      # --criteria defaults to the bundled file
    assert r.exit_code == 0, r.stderr
    doc = strict(invoke("plan", tk.CASE, *CAPS, "-f", "json").stdout)
    head = r.stdout.splitlines()[0]
    assert f"total {doc['total']:.4f}" in head
    assert f"{sum(o['selected'] for o in doc['opportunities'])} of 14 opportunities selected" in head
    marked = {ln.split()[1] for ln in r.stdout.splitlines() if ln.startswith("  x OPP-")}
    assert marked == {o["id"] for o in doc["opportunities"] if o["selected"]}
    assert "sales_effort: uses 560 of 600" in r.stdout
    assert "OPP-03: left out" in r.stdout and "enters the plan if sales_effort grows by" in r.stdout


def test_plan_csv_and_output_file(tk, tmp_path):
    out = tmp_path / "plan.csv"
    r = invoke("plan", tk.CASE, *CAPS, "-o", out)
    assert r.exit_code == 0, r.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == 14 and {"id", "selected", "eligible", "sales_effort", "pursuit_cost", "reasons"} <= set(table[0])
    doc = strict(invoke("plan", tk.CASE, *CAPS, "-f", "json").stdout)
    assert [t["id"] for t in table if t["selected"] == "True"] == [o["id"] for o in doc["opportunities"] if o["selected"]]


def test_plan_frontier_is_non_decreasing(tk):
    r = invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "--frontier", "sales_effort", "--levels", "8", "-f", "json")
    assert r.exit_code == 0, r.stderr
    fr = strict(r.stdout)["frontier"]
    assert len(fr) == 8
    totals = [f["total"] for f in fr]
    assert all(b >= a - 1e-12 for a, b in zip(totals, totals[1:]))
    text = invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "--frontier", "sales_effort", "--levels", "8").stdout
    assert "Efficient frontier (8 levels" in text


def test_plan_robust_is_reproducible_and_classifies(tk):
    args = ("plan", tk.CASE, *CAPS, "--robust", "300", "--seed", "42", "-f", "json")
    a, b = invoke(*args), invoke(*args)
    assert a.exit_code == 0, a.stderr
    assert a.stdout == b.stdout
    acc = {o["id"]: o["acceptability"] for o in strict(a.stdout)["opportunities"]}
    assert all(0.0 <= v <= 1.0 for v in acc.values())
    assert acc["OPP-08"] == 0.0 and acc["OPP-09"] == 0.0      # ineligible: in no sampled plan
    t = invoke("plan", tk.CASE, *CAPS, "--robust", "300", "--seed", "42")
    assert "Robust plan: 300 weight samples" in t.stdout and "core (in every sampled plan)" in t.stdout


def test_plan_side_constraints_reach_the_library(tk, rows):
    r = invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "--per", "owner=1", "--must", "OPP-06",
               "--never", "OPP-01", "--max-count", "4", "-f", "json")
    assert r.exit_code == 0, r.stderr
    chosen = [o["id"] for o in strict(r.stdout)["opportunities"] if o["selected"]]
    owners = [rows[i]["owner"] for i in chosen]
    assert len(owners) == len(set(owners)) and "OPP-06" in chosen and "OPP-01" not in chosen and len(chosen) <= 4
    r = invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "--requires", "OPP-03=OPP-14", "--must", "OPP-03", "-f", "json")
    chosen = [o["id"] for o in strict(r.stdout)["opportunities"] if o["selected"]]
    assert {"OPP-03", "OPP-14"} <= set(chosen)
    r = invoke("plan", tk.CASE, "--capacity", "sales_effort=2000", "--only-status", "Qualified", "-f", "json")
    chosen = [o["id"] for o in strict(r.stdout)["opportunities"] if o["selected"]]
    assert chosen == ["OPP-03"]


@pytest.mark.parametrize("args, needles", [
    (["--capacity", "sales_effort=-5"], ["--capacity 'sales_effort=-5'", ">= 0"]),
    (["--capacity", "sales_effort=lots"], ["'lots' is not a number"]),
    (["--capacity", "x"], ["expected NAME=VALUE"]),
    (["--capacity", "sales_efort=600"], ["unknown column", "sales_efort", "did you mean 'sales_effort'"]),
    (["--capacity", "sales_effort=600", "--must", "OPP-08"], ["a must is not eligible", "OPP-08", "risk"]),
    (["--capacity", "sales_effort=600", "--must", "OPP-99"], ["unknown opportunity id", "OPP-99"]),
    (["--capacity", "sales_effort=600", "--per", "customer=1.5"], ["--per 'customer=1.5'", "whole number"]),
    (["--capacity", "sales_effort=600", "--objective", "profit"], ["unknown objective", "profit"]),
    ([], ["at least one --capacity"]),
    (["--capacity", "sales_effort=100", "--must", "OPP-01", "--must", "OPP-03"],
     ["no plan satisfies", "capacity sales_effort <= 100", "must OPP-03"]),
])
def test_plan_bad_input_exits_2_with_a_located_message(tk, args, needles):
    one_error(invoke("plan", tk.CASE, *args), *needles)


# ---------------------------------------------------------------------------------------------
# learn
# ---------------------------------------------------------------------------------------------


def test_learn_json_has_exactly_the_contract_keys(history_path):
    r = invoke("learn", history_path, "--samples", "300", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = strict(r.stdout)
    assert set(doc) == set(JSON_KEYS)
    with history_path.open(encoding="utf-8") as f:
        oc = [row["outcome"] for row in csv.DictReader(f)]
    assert (doc["n_won"], doc["n_lost"]) == (oc.count("won"), oc.count("lost"))
    assert doc["auc_interval"]["samples"] == 300


def test_learn_table_shows_every_figure(history_path, tk):
    r = invoke("learn", history_path, "--samples", "300", "--current", tk.CASE)
    assert r.exit_code == 0, r.stderr
    doc = strict(invoke("learn", history_path, "--samples", "300", "-f", "json").stdout)
    out = r.stdout
    assert f"{doc['n_decided']} ({doc['n_won']} won, {doc['n_lost']} lost)" in out
    iv = doc["auc_interval"]
    assert f"AUC {doc['auc']:.3f}, 95% interval {iv['low']:.3f} to {iv['high']:.3f}" in out
    assert "Win rate per status" in out and "Lift of the top third" in out
    assert f"Brier score {doc['brier']:.3f}" in out and "Reliability" in out
    assert f"fitting error {doc['fit_error']:.4f}" in out
    top = max(doc["implied_weights"], key=doc["implied_weights"].get)
    lo, hi = doc["implied_weight_ranges"][top]
    assert f"{doc['implied_weights'][top]:.3f}     {lo:.3f} - {hi:.3f}" in out
    assert "Ranking of today's opportunities" in out and "OPP-01" in out


def test_learn_warns_below_30_decided_deals(tmp_path, history_path):
    lines = history_path.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "small.csv"
    small.write_text("\n".join(lines[:21]) + "\n", encoding="utf-8")
    r = invoke("learn", small, "--samples", "200")
    assert r.exit_code == 0, r.stderr
    assert "warning: only" in r.stdout and "interval" in r.stdout


def _history(tmp_path, history_path, edit):
    lines = history_path.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(lines))
    edit(rows)
    p = tmp_path / "bad.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return p


def test_learn_bad_histories_exit_2_located(tmp_path, history_path):
    future = (date.today() + timedelta(days=30)).isoformat()

    def cases():
        def no_won(rows):
            for r in rows[1:]:
                r[19] = "lost" if r[19] == "won" else r[19]

        def no_lost(rows):
            for r in rows[1:]:
                r[19] = "won" if r[19] == "lost" else r[19]

        def label(rows):
            rows[3][19] = "wonn"

        def dup(rows):
            rows[5][0] = rows[4][0]

        def fut(rows):
            rows[2][20] = future

        return [(no_won, ["no won deals", "outcome"]), (no_lost, ["no lost deals"]),
                (label, ["unknown outcome label", "did you mean 'won'", "row 4", "outcome"]),
                (dup, ["duplicate id", "SYN-004", "id"]),
                (fut, ["date in the future", future, "decided"])]

    assert next(csv.reader(history_path.open(encoding="utf-8")))[19:21] == ["outcome", "decided"]
    for edit, needles in cases():
        r = invoke("learn", _history(tmp_path, history_path, edit))
        one_error(r, *needles)


def test_learn_reports_every_problem_of_a_history_at_once(tmp_path, history_path):
    def edit(rows):
        rows[3][19] = "maybe"
        rows[5][0] = rows[4][0]
        rows[2][20] = "2999-01-01"

    r = invoke("learn", _history(tmp_path, history_path, edit))
    assert r.exit_code == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()  # one error line per problem, all in one run
    assert len(lines) == 3 and all(line.startswith("error: ") for line in lines), r.stderr
    for needle in ("maybe", "duplicate id", "2999-01-01"):
        assert sum(needle in line for line in lines) == 1, (needle, r.stderr)


def test_learn_refuses_csv_and_a_missing_history(history_path):
    one_error(invoke("learn", history_path, "-f", "csv"), "table or json")
    one_error(invoke("learn"), "HISTORY file or --db")


# ---------------------------------------------------------------------------------------------
# outcome and the store
# ---------------------------------------------------------------------------------------------


@pytest.fixture()
def db(tmp_path, tk):
    path = tmp_path / "d.sqlite"
    r = invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "Q4", "--db", path, "--author", "Ana")
    assert r.exit_code == 0, r.stderr
    return path


def test_outcome_recorded_history_kept_latest_wins(db):
    r = invoke("outcome", db, "OPP-01", "won", "--decided", "2025-03-01", "--author", "Ana")
    assert r.exit_code == 0, r.stderr
    assert "recorded OPP-01 won, decided 2025-03-01 in Q4, against version 1" in r.stdout
    r = invoke("outcome", db, "OPP-01", "Lost", "--decided", "2025-03-02", "--note", "typo fixed")
    assert r.exit_code == 0 and "revision 2" in r.stdout
    invoke("outcome", db, "OPP-02", "no_bid")
    every = outcomes(db, "Q4")
    assert every[["opportunity", "revision", "outcome"]].values.tolist() == [
        ["OPP-01", 1, "won"], ["OPP-01", 2, "lost"], ["OPP-02", 1, "no bid"]]
    assert every.loc[1, "note"] == "typo fixed" and every.loc[0, "author"] == "Ana"
    hist = history_from_store(db, "Q4").set_index("id")
    assert hist.loc["OPP-01", "outcome"] == "lost" and hist.loc["OPP-01", "decided"] == "2025-03-02"
    assert hist.loc["OPP-02", "outcome"] == "no bid" and hist.loc["OPP-03", "outcome"] == "open"
    assert len(hist) == 14


def test_outcome_goes_to_the_latest_version_that_holds_the_id(db, tk, tmp_path, rows):
    text = tk.CASE.read_text(encoding="utf-8").splitlines()
    v2 = tmp_path / "v2.csv"
    v2.write_text("\n".join(ln for ln in text if not ln.startswith("OPP-14,")) + "\n", encoding="utf-8")
    assert invoke("save", v2, "-c", tk.CRITERIA_FILE, "-d", "Q4", "--db", db).exit_code == 0
    rec = record_outcome(db, "Q4", "OPP-14", "lost", decided="2025-02-01")
    assert rec.version == 1                      # v2 dropped OPP-14: the version that qualified it
    assert record_outcome(db, "Q4", "OPP-01", "won").version == 2
    hist = history_from_store(db, "Q4").set_index("id")
    assert len(hist) == 14 and hist.loc["OPP-14", "outcome"] == "lost"
    assert str(hist.loc["OPP-14", "sales_effort"]) == rows["OPP-14"]["sales_effort"]


@pytest.mark.parametrize("args, needles", [
    (["OPP-99", "won"], ["no saved version", "OPP-99", "did you mean"]),
    (["OPP-01", "wonn"], ["unknown outcome", "did you mean 'won'"]),
    (["OPP-01", "won", "--decided", "2999-01-01"], ["date in the future", "2999-01-01"]),
    (["OPP-01", "won", "--decided", "01/02/2025"], ["not a date", "01/02/2025"]),
    (["OPP-01", "open", "--decided", "2025-01-01"], ["open deal"]),
    (["OPP-01", "won", "--decision", "Q5"], ["no such decision", "Q5", "Q4"]),
])
def test_outcome_bad_input_exits_2(db, args, needles):
    one_error(invoke("outcome", db, *args), *needles)
    assert outcomes(db, "Q4").empty             # nothing was written


def test_learn_from_the_store(db, history_path, tk):
    """Outcomes recorded for the case study's deals give a history that learn reads through --db."""
    sample = {"OPP-01": "won", "OPP-02": "won", "OPP-03": "won", "OPP-04": "lost", "OPP-05": "lost",
              "OPP-06": "won", "OPP-07": "lost", "OPP-11": "lost", "OPP-08": "no bid"}
    for oid, oc in sample.items():
        record_outcome(db, "Q4", oid, oc, decided="2025-06-30")
    r = invoke("learn", "--db", db, "--decision", "Q4", "--samples", "200", "-f", "json")
    assert r.exit_code == 0, r.stderr
    doc = strict(r.stdout)
    assert (doc["n_won"], doc["n_lost"]) == (4, 4)
    t = invoke("learn", "--db", db, "--samples", "200")
    assert "warning: only 8 decided deals" in t.stdout and "the history's open deals" in t.stdout


def test_layout_1_store_is_read_as_is_and_upgraded_by_the_first_write(db):
    with sqlite3.connect(db) as conn:                # make it a layout-1 store: no outcomes table
        conn.execute("DROP TABLE outcomes")
        conn.execute("PRAGMA user_version = 1")
    assert store.list_versions(db, "Q4")["version"].tolist() == [1]
    assert outcomes(db, "Q4").empty and len(history_from_store(db, "Q4")) == 14
    with sqlite3.connect(db) as conn:                # reading changed nothing
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'outcomes'").fetchone()[0] == 0
    r = invoke("outcome", db, "OPP-01", "won")
    assert r.exit_code == 0, r.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.STORE_SCHEMA == 2
    assert outcomes(db, "Q4")["outcome"].tolist() == ["won"]
    assert store.load_version(db, "Q4", 1).ids[0] == "OPP-01"


def test_plan_robust_under_judgment_uncertainty(tk):
    judg = tk.ROOT / "case_studies" / "telecom_b2b" / "judgments.yaml"
    r = invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "-j", judg, "--robust", "200", "--seed", "1",
               "--judgment-uncertainty", "1")
    assert r.exit_code == 0, r.stderr
    assert "every judgment moved up to 1 Saaty-scale step(s)" in r.stdout
    one_error(invoke("plan", tk.CASE, "--capacity", "sales_effort=600", "--robust", "200", "--judgment-uncertainty", "1"),
              "--judgment-uncertainty needs --judgments")
