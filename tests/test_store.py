"""Decision store: versions, diff, restore, per-judge judgments, crash safety and concurrent writers."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mcda_qualify.io import store

from mcda_qualify.io import store_diff
from mcda_qualify.criteria import load_criteria
from mcda_qualify.io.tables import read_table
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.qualify import qualify
from mcda_qualify.io.store import StoreError
from mcda_qualify.io.workspace import Workspace, WorkspaceError, inputs_hash, workspace_from

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
CRITERIA_FILE = ROOT / "criteria" / "qualify_selling_opportunity.yaml"
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture(scope="module")
def versions() -> tuple[Workspace, Workspace, Workspace]:
    """Three workspaces of one decision: v1 as filed; v2 more weight on risk, one cell, one deal added,
    one dropped, another method setting; v3 without results."""
    crit = load_criteria(CRITERIA_FILE)
    raw, _ = read_table(CASE)
    ws1 = Workspace.from_dict(workspace_from(crit, raw, results=qualify(load_portfolio(raw, crit)),
                                             meta={"author": "alice", "note": "as filed"}))
    w2 = dict(crit.weights)
    w2["risk"] = 0.40
    raw2 = raw.copy()
    raw2.loc[0, "risk"] = "high"
    extra = raw2.iloc[[1]].copy()
    extra.loc[:, "id"] = "OPP-15"
    raw2 = raw2[raw2["id"] != "OPP-14"]
    import pandas as pd

    raw2 = pd.concat([raw2, extra], ignore_index=True)
    settings = {"exclude": ["financing"], "thresholds": {"qualified": 0.6, "conditional": 0.45}}
    dec2 = qualify(load_portfolio(raw2, crit), w2, exclude=["financing"], thresholds=settings["thresholds"])
    ws2 = Workspace.from_dict(workspace_from(crit, raw2, weights=w2, settings=settings, results=dec2,
                                             meta={"author": "bob"}))
    d3 = ws2.to_dict()
    d3["results"] = None
    d3["weights"]["deal_size"] = 0.3
    ws3 = Workspace.from_dict(d3)
    return ws1, ws2, ws3


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "decisions.sqlite"


@pytest.fixture()
def filled(db: Path, versions) -> Path:
    ws1, ws2, _ = versions
    assert store.save(db, "telecom-q3", ws1, note="first cut") == 1
    assert store.save(db, "telecom-q3", ws2, author="bob", note="more weight on risk") == 2
    return db


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# versions
# ---------------------------------------------------------------------------------------------


def test_save_list_load(filled, versions):
    ws1, ws2, _ = versions
    v = store.list_versions(filled, "telecom-q3")
    assert list(v.columns) == ["version", "time", "author", "note", "hash"]
    assert list(v["version"]) == [1, 2]
    assert list(v["author"]) == ["alice", "bob"]  # alice from the workspace's meta.author
    assert list(v["note"]) == ["first cut", "more weight on risk"]
    assert list(v["hash"]) == [inputs_hash(ws1), inputs_hash(ws2)]
    assert all(t.endswith("Z") and "T" in t for t in v["time"])
    assert store.load_version(filled, "telecom-q3", 1) == ws1
    assert store.load_version(filled, "telecom-q3") == ws2
    assert store.load_version(filled, "telecom-q3").to_json() == ws2.to_json()
    assert "telecom-q3 v2" in store.load_version(filled, "telecom-q3").source


def test_store_is_wal_with_busy_timeout(filled):
    conn = store.connect(filled)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store.BUSY_TIMEOUT_MS
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.STORE_SCHEMA
    finally:
        conn.close()


def test_save_accepts_mapping_and_json_text(db, versions):
    ws1 = versions[0]
    assert store.save(db, "a", ws1.to_dict()) == 1
    assert store.save(db, "a", ws1.to_json()) == 2
    assert store.load_version(db, "a", 1) == store.load_version(db, "a", 2) == ws1


def test_save_refuses_invalid_workspace(db, versions):
    d = versions[0].to_dict()
    d["schema_version"] = 99
    with pytest.raises(WorkspaceError, match="newer"):
        store.save(db, "a", d)
    with pytest.raises(StoreError, match="decision name"):
        store.save(db, "  ", versions[0])


def test_unknown_decision_and_version(filled):
    with pytest.raises(StoreError) as e:
        store.load_version(filled, "telecom-q4")
    assert "no such decision" in str(e.value) and "telecom-q3" in str(e.value) and str(filled) in str(e.value)
    with pytest.raises(StoreError) as e:
        store.load_version(filled, "telecom-q3", 7)
    assert "no such version" in str(e.value) and "1 to 2" in str(e.value)


def test_reading_a_missing_store_does_not_create_it(tmp_path):
    p = tmp_path / "nope.sqlite"
    with pytest.raises(StoreError, match="no decision store"):
        store.list_versions(p, "x")
    assert not p.exists()


def test_not_a_database(tmp_path):
    p = tmp_path / "notes.sqlite"
    p.write_text("hello, this is not SQLite " * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        store.list_decisions(p)


def test_foreign_sqlite_refused(tmp_path):
    p = tmp_path / "other.sqlite"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StoreError, match="not a decision store"):
        store.list_decisions(p)


def test_newer_store_layout_refused(filled):
    with sqlite3.connect(filled) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer mcda-qualify"):
        store.list_decisions(filled)


def test_decision_with_only_judgments(db):
    store.save_judgments(db, "q", "alice", [["risk", "deal_size", 3]])
    assert list(store.list_decisions(db)["versions"]) == [0]
    with pytest.raises(StoreError, match="no saved versions"):
        store.load_version(db, "q")
    with pytest.raises(StoreError, match="no saved versions"):
        store_diff.diff(db, "q")
    assert "decision q: 0 versions" in store_diff.history_text(db)


def test_default_path_from_env(tmp_path, monkeypatch, versions):
    target = tmp_path / "env" / "d.sqlite"
    monkeypatch.setenv(store.ENV_VAR, str(target))
    assert store.default_db_path() == target
    assert store.save(None, "x", versions[0]) == 1
    assert target.exists() and list(store.list_decisions()["decision"]) == ["x"]
    monkeypatch.delenv(store.ENV_VAR)
    assert store.default_db_path() == Path("~/.mcda-qualify/decisions.sqlite").expanduser()


def test_list_decisions_and_resolve(filled, versions):
    store.save(filled, "retail", versions[0])
    store.save_judgments(filled, "retail", "alice", [["risk", "deal_size", 3]])
    d = store.list_decisions(filled)
    assert list(d.columns) == ["decision", "versions", "updated", "author", "judges"]
    assert list(d["decision"]) == ["retail", "telecom-q3"] and list(d["versions"]) == [1, 2]
    assert list(d["judges"]) == [1, 0]
    assert store.resolve_decision(filled, "retail") == "retail"
    with pytest.raises(StoreError) as e:
        store.resolve_decision(filled)
    assert "2 decisions" in str(e.value) and "--decision NAME" in str(e.value) and "retail, telecom-q3" in str(e.value)


# ---------------------------------------------------------------------------------------------
# diff and restore
# ---------------------------------------------------------------------------------------------


def test_diff_names_weight_rank_status_and_table_changes(filled):
    d = store_diff.diff(filled, "telecom-q3", 1, 2)
    assert (d.decision, d.v1, d.v2) == ("telecom-q3", 1, 2)
    w = {c.criterion: c for c in d.weights}
    assert w["risk"].old == pytest.approx(0.14) and w["risk"].new == pytest.approx(0.40 / (1 + 0.26 - 0.06))
    assert w["financing"].old == pytest.approx(0.06) and w["financing"].new == 0.0  # excluded in v2
    s = {c.id: c for c in d.scores}
    assert s["OPP-01"].old_rank != s["OPP-01"].new_rank
    assert s["OPP-01"].new_score < s["OPP-01"].old_score  # risk up from medium to high, risk weighs more
    assert any(c.old_rank != c.new_rank for c in d.scores)
    assert d.statuses and all(c.old != c.new for c in d.statuses)
    assert d.added == ["OPP-15"] and d.removed == ["OPP-14"]
    assert [(c.id, c.column, c.old, c.new) for c in d.cells] == [("OPP-01", "risk", "medium", "high")]
    assert {c.key: (c.old, c.new) for c in d.settings} == {
        "exclude": ([], ["financing"]), "thresholds.qualified": (None, 0.6), "thresholds.conditional": (None, 0.45)}
    assert d.results_compared and not d.same_inputs and not d.judgments_changed and d.criteria == []


def test_diff_text(filled):
    text = store_diff.diff_text(filled, None, 1, 2)  # one decision in the store: no name needed
    assert text.startswith("decision telecom-q3: version 1 -> version 2")
    assert "weights (normalised):" in text and "  risk: 0.1400 -> " in text
    assert "OPP-01 Private 5G campus network: score" in text and "rank" in text
    assert "opportunities added: OPP-15" in text and "opportunities removed: OPP-14" in text
    assert "OPP-01 risk: 'medium' -> 'high'" in text
    assert "status:" in text
    assert store_diff.diff_text(filled, "telecom-q3") == text  # defaults: latest against the one before


def test_diff_without_results_leaves_scores_empty(filled, versions):
    assert store.save(filled, "telecom-q3", versions[2], note="no results") == 3
    d = store_diff.diff(filled, "telecom-q3", 2, 3)
    assert d.scores == [] and d.statuses == [] and not d.results_compared
    assert [c.criterion for c in d.weights if c.old != c.new] != []
    assert "not compared" in store_diff.diff_text(filled, "telecom-q3", 2, 3)


def test_diff_of_equal_versions(filled):
    v = store.restore(filled, "telecom-q3", 1)
    d = store_diff.diff(filled, "telecom-q3", 1, v)
    assert d.empty and d.same_inputs
    assert store_diff.diff_text(filled, "telecom-q3", 1, v).endswith("no changes")


def test_restore_gives_new_version_equal_to_old(filled):
    v = store.restore(filled, "telecom-q3", 1, author="carol")
    assert v == 3
    assert store.load_version(filled, "telecom-q3", 3) == store.load_version(filled, "telecom-q3", 1)
    assert store.load_version(filled, "telecom-q3") == store.load_version(filled, "telecom-q3", 1)
    rows = store.list_versions(filled, "telecom-q3")
    last = rows.iloc[-1]
    assert (last["author"], last["note"], last["hash"]) == ("carol", "restore of version 1", rows.iloc[0]["hash"])
    assert store.load_version(filled, "telecom-q3", 2) != store.load_version(filled, "telecom-q3", 3)
    with pytest.raises(StoreError, match="no such version"):
        store.restore(filled, "telecom-q3", 9)


def test_history_text(filled):
    store.save_judgments(filled, "telecom-q3", "alice", [["risk", "deal_size", 3]])
    text = store_diff.history_text(filled)
    assert str(filled) in text and "decision telecom-q3: 2 versions" in text
    assert "first cut" in text and "more weight on risk" in text and "bob" in text
    assert "judgments: alice (1 revision" in text
    assert store_diff.history_text(filled, "telecom-q3").count("decision telecom-q3") == 1


def test_history_text_escapes_control_characters(db, versions):
    store.save(db, "x", versions[0], author="eve", note="line1\n\x1b[31mred")
    text = store_diff.history_text(db)
    assert "\x1b" not in text and "\\x1b[31mred" in text and "line1\\x0a" in text


# ---------------------------------------------------------------------------------------------
# judgments per judge
# ---------------------------------------------------------------------------------------------


def test_judgments_per_judge_latest_and_history(db):
    assert store.save_judgments(db, "q", "bob", [["risk", "deal_size", 5]]) == 1
    assert store.save_judgments(db, "q", "alice", {"labels": ["risk", "deal_size"],
                                                   "judgments": [["risk", "deal_size", 3]]}, weight=2) == 1
    assert store.save_judgments(db, "q", "alice", {"labels": ["risk", "deal_size"],
                                                   "judgments": [["risk", "deal_size", "1/3"]]}, weight=2) == 2
    latest = store.load_judgments(db, "q")
    assert list(latest) == ["alice", "bob"]
    assert latest["alice"]["judgments"] == [["risk", "deal_size", "1/3"]]
    assert latest["bob"] == [["risk", "deal_size", 5]]
    h = store.judgment_history(db, "q")
    assert list(zip(h["judge"], h["revision"])) == [("alice", 1), ("alice", 2), ("bob", 1)]
    assert h.iloc[0]["judgments"]["judgments"] == [["risk", "deal_size", 3]]
    assert list(store.judgment_history(db, "q", "bob")["revision"]) == [1]
    panel = store.panel_judgments(db, "q")
    assert panel == {"labels": ["risk", "deal_size"], "judges": [
        {"name": "alice", "weight": 2, "judgments": [["risk", "deal_size", "1/3"]]},
        {"name": "bob", "weight": 1, "judgments": [["risk", "deal_size", 5]]}]}
    # the panel is a valid per-judge judgments section of a workspace
    crit = load_criteria(CRITERIA_FILE)
    raw, _ = read_table(CASE)
    ws = Workspace.from_dict(workspace_from(crit, raw, judgments=panel))
    assert ws.judgments == panel


def test_judgments_refused_when_malformed(db):
    with pytest.raises(StoreError, match="positive"):
        store.save_judgments(db, "q", "bob", [["risk", "deal_size", -1]])
    with pytest.raises(StoreError, match="judges"):
        store.save_judgments(db, "q", "bob", {"judges": []})
    with pytest.raises(StoreError, match="weight"):
        store.save_judgments(db, "q", "bob", [["risk", "deal_size", 2]], weight=0)
    with pytest.raises(StoreError, match="judge name"):
        store.save_judgments(db, "q", "", [["risk", "deal_size", 2]])


def test_load_judgments_of_decision_without_any(filled):
    assert store.load_judgments(filled, "telecom-q3") == {}
    assert store.panel_judgments(filled, "telecom-q3") is None


# ---------------------------------------------------------------------------------------------
# crash safety and concurrency
# ---------------------------------------------------------------------------------------------

KILLED_CHILD = r"""
import sys, time
from mcda_qualify.io import store
from mcda_qualify.io.workspace import load_workspace
db, wsfile = sys.argv[1], sys.argv[2]
data = load_workspace(wsfile).to_dict()
data["meta"]["note"] = "x" * 6_000_000  # large: uncommitted pages spill into the WAL file

def stop_here(conn):
    # the new version row is written inside the open transaction; tell the parent, then wait to be killed
    n = conn.execute("SELECT COUNT(*) FROM versions WHERE decision = 'telecom-q3'").fetchone()[0]
    sys.stdout.write(f"ready {n}\n")
    sys.stdout.flush()
    time.sleep(120)

store._before_commit = stop_here
store.save(db, "telecom-q3", data, author="doomed", note="never committed")
sys.stdout.write("committed\n")
"""


def test_killed_writer_leaves_previous_versions_intact(filled, versions, tmp_path):
    wsfile = tmp_path / "ws.json"
    wsfile.write_text(versions[0].to_json(), encoding="utf-8")
    child = subprocess.Popen([sys.executable, "-c", KILLED_CHILD, str(filled), str(wsfile)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=CHILD_ENV, cwd=ROOT)
    try:
        line = child.stdout.readline()
        assert line.strip() == "ready 3", child.stderr.read() if not line else line  # v3 exists inside the transaction
        wal = Path(str(filled) + "-wal")
        assert wal.exists() and wal.stat().st_size > 1_000_000  # part of the version is on disk
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert integrity(filled) == "ok"
    v = store.list_versions(filled, "telecom-q3")
    assert list(v["version"]) == [1, 2] and "doomed" not in set(v["author"])
    assert store.load_version(filled, "telecom-q3", 1) == versions[0]
    assert store.load_version(filled, "telecom-q3", 2) == versions[1]
    assert store.save(filled, "telecom-q3", versions[2], note="after the crash") == 3  # the lock was released
    assert integrity(filled) == "ok"


WRITER_CHILD = r"""
import sys, time
from pathlib import Path
from mcda_qualify.io import store
db, wsfile, who, n, go = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])
text = Path(wsfile).read_text(encoding="utf-8")
from mcda_qualify.io.workspace import load_workspace
load_workspace(text)  # warm up the lazy imports so that both writers really overlap
sys.stdout.write("ready\n"); sys.stdout.flush()
while not go.exists():
    time.sleep(0.005)
got = [store.save(db, "telecom-q3", text, author=who, note=f"{who} {i}") for i in range(n)]
sys.stdout.write(" ".join(map(str, got)) + "\n")
"""


def test_two_concurrent_writers_get_distinct_versions(db, versions, tmp_path):
    n = 15
    wsfile = tmp_path / "ws.json"
    wsfile.write_text(versions[0].to_json(), encoding="utf-8")
    go = tmp_path / "go"
    kids = [subprocess.Popen([sys.executable, "-c", WRITER_CHILD, str(db), str(wsfile), who, str(n), str(go)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=CHILD_ENV, cwd=ROOT)
            for who in ("w1", "w2")]
    try:
        for k in kids:
            assert k.stdout.readline().strip() == "ready", k.stderr.read()
        go.touch()
        outs = [k.communicate(timeout=120) for k in kids]
    finally:
        for k in kids:
            if k.poll() is None:
                k.kill()
                k.wait()
    assert [k.returncode for k in kids] == [0, 0], [o[1] for o in outs]
    got = [list(map(int, o[0].split())) for o in outs]
    assert all(len(g) == n and g == sorted(g) for g in got)
    assert sorted(got[0] + got[1]) == list(range(1, 2 * n + 1))
    v = store.list_versions(db, "telecom-q3")
    assert list(v["version"]) == list(range(1, 2 * n + 1))
    assert sorted(v["author"].value_counts().to_dict().items()) == [("w1", n), ("w2", n)]
    assert integrity(db) == "ok"
    assert store.load_version(db, "telecom-q3") == versions[0]


def test_write_retries_on_version_clash(db, versions, monkeypatch):
    """A clash on (decision, version) is retried: simulate another writer taking the number first."""
    store.save(db, "q", versions[0])
    real = store._latest
    calls = {"n": 0}

    def stale(conn: sqlite3.Connection, decision: str) -> int:
        calls["n"] += 1
        return real(conn, decision) - (1 if calls["n"] == 1 else 0)  # first read is stale

    monkeypatch.setattr(store, "_latest", stale)
    assert store.save(db, "q", versions[0]) == 2
    assert calls["n"] == 2
    assert list(store.list_versions(db, "q")["version"]) == [1, 2]
