"""`mcda-qualify save | history | diff`, and recomputing a saved workspace exactly."""
from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.decision import decide_workspace, result_payload
from mcda_qualify.io.store import load_version

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def db(tmp_path, tk, criteria):
    path = tmp_path / "d.sqlite"
    res = invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "Q4", "--db", path, "--author", "Ana", "--note", "first")
    assert res.exit_code == 0, res.output
    w = dict(criteria.weights)
    w["risk"] = 0.5
    wf = tmp_path / "w.yaml"
    wf.write_text(yaml.safe_dump(w))
    res = invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "Q4", "--db", path, "--author", "Ben", "-w", wf,
                 "-o", tmp_path / "ws.json")
    assert res.exit_code == 0, res.output
    return path


def test_history_lists_versions(db):
    res = invoke("history", db)
    assert res.exit_code == 0
    assert "Q4" in res.stdout and "Ana" in res.stdout and "Ben" in res.stdout and "first" in res.stdout


def test_diff_names_weight_and_rank_changes(db):
    res = invoke("diff", db, 1, 2)
    assert res.exit_code == 0, res.output
    assert "risk: 0.1400 ->" in res.stdout
    assert "rank 3 -> " in res.stdout or "rank 2 -> " in res.stdout
    assert "status:" in res.stdout


def test_saved_workspace_recomputes_identically(db, tk):
    ws = load_version(db, "Q4", 2)
    portfolio, result, _ = decide_workspace(ws)
    got = result_payload(portfolio, result)
    stored = ws.results.model_dump()["rows"]
    by_id = {r["id"]: r for r in stored}
    assert sorted(by_id) == sorted(r["id"] for r in got["opportunities"])
    for r in got["opportunities"]:
        assert r["score"] == by_id[r["id"]]["score"] and r["rank"] == by_id[r["id"]]["rank"]
        assert r["status"] == by_id[r["id"]]["status"] and r["reasons"] == by_id[r["id"]]["reasons"]
    cli = json.loads(invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "-f", "json").stdout)
    assert cli["weights"]["risk"] != got["weights"]["risk"]  # version 2 had its own weights


def test_unknown_version_exit_2(db, tk):
    res = tk.run_cli("diff", db, 1, 9)
    tk.assert_clean_error(res.returncode, res.stderr, "9")


def test_missing_store_exit_2(tmp_path, tk):
    res = tk.run_cli("history", tmp_path / "none.sqlite")
    tk.assert_clean_error(res.returncode, res.stderr, "none.sqlite")
