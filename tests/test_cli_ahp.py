"""`mcda-qualify ahp` and `rank --judgments`: JSON keys, readable text, bad judgments exit 2.

Reference figures: Wang, Y. M., & Chin, K. S. (2011). A linear programming approximation to the
eigenvector method in the AHP. Information Sciences 181(23), 5240-5248: lambda_max 7.4199 and
eigenvector weights .3208 .1395 .0348 .1285 .2374 .1391 (CR about 0.23, inconsistent).
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.judgments import load_judgments
from mcda_qualify.judgments_summary import weights_from_judgments
from mcda_qualify.ranking import rank

runner = CliRunner()
WANG_CHIN = [
    ["c1", "c2", 4], ["c1", "c3", 3], ["c1", "c4", 1], ["c1", "c5", 3], ["c1", "c6", 4],
    ["c2", "c3", 7], ["c2", "c4", 3], ["c2", "c5", "1/5"], ["c2", "c6", 1],
    ["c3", "c4", "1/5"], ["c3", "c5", "1/5"], ["c3", "c6", "1/6"],
    ["c4", "c5", 1], ["c4", "c6", "1/3"], ["c5", "c6", 3],
]
WANG_CHIN_W = [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391]


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def wang_chin(tmp_path):
    p = tmp_path / "wc.yaml"
    p.write_text(yaml.safe_dump({"labels": [f"c{i}" for i in range(1, 7)], "judgments": WANG_CHIN}))
    return p


def test_ahp_json_keys_and_figures(wang_chin):
    res = invoke("ahp", wang_chin, "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in ("weights", "lambda_max", "ci", "cr", "ri", "ri_table", "consistent", "judgments_to_review"):
        assert key in out
    np.testing.assert_allclose([out["weights"][f"c{i}"] for i in range(1, 7)], WANG_CHIN_W, atol=5e-5)
    assert out["lambda_max"] == pytest.approx(7.4199, abs=5e-5)
    assert out["consistent"] is False and out["ri_table"] == "saaty_1980"
    first = out["judgments_to_review"][0]
    assert set(first) >= {"a", "b", "given", "suggested", "error"}


@pytest.mark.parametrize("table", ["saaty_1980", "saaty_2005", "alonso_lamata_2006"])
def test_ahp_ri_table_option(wang_chin, table):
    out = json.loads(invoke("ahp", wang_chin, "--ri", table, "-f", "json").stdout)
    assert out["ri_table"] == table
    assert out["cr"] == pytest.approx(out["ci"] / out["ri"])


def test_ahp_text_shows_review_and_repair(wang_chin):
    res = invoke("ahp", wang_chin)
    assert res.exit_code == 0
    assert "INCONSISTENT" in res.stdout
    assert "c1 vs c3: given 3" in res.stdout and "suggest 9" in res.stdout
    assert "proposed repair (not applied)" in res.stdout


def test_group_case_study_text(tk):
    res = invoke("ahp", tk.ROOT / "case_studies/telecom_b2b/judgments.yaml", "--criteria", tk.CRITERIA_FILE)
    assert res.exit_code == 0, res.output
    for name in ("Sales director", "Delivery head", "CFO"):
        assert f"judge {name}" in res.stdout
    assert "consensus" in res.stdout and "most disputed pairs" in res.stdout


def test_geometric_method(wang_chin):
    out = json.loads(invoke("ahp", wang_chin, "--method", "geometric", "-f", "json").stdout)
    assert out["method"] == "geometric" and out["gci"] is not None


@pytest.mark.parametrize("body, needle", [
    ({"labels": ["a", "b"], "judgments": [["a", "b", 0]]}, "a"),
    ({"labels": ["a", "b"], "judgments": [["a", "b", "abc"]]}, "abc"),
    ({"labels": ["a", "b"], "judgments": [["a", "a", 3]]}, "a"),
    ({"labels": ["a", "b"], "judgments": [["a", "b", 12]]}, "12"),
    ({"labels": ["a", "b", "c", "d"], "judgments": [["a", "b", 3], ["c", "d", 2]]}, "connected"),
    ({"labels": ["a", "b"], "judgments": [["a", "b", 3], ["b", "a", 3]]}, "a"),
])
def test_bad_judgments_exit_2(tmp_path, tk, body, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(yaml.safe_dump(body))
    res = tk.run_cli("ahp", p)
    tk.assert_clean_error(res.returncode, res.stderr, str(p), needle)


def test_unknown_label_against_criteria(tmp_path, tk, wang_chin):
    res = tk.run_cli("ahp", wang_chin, "--criteria", tk.CRITERIA_FILE)
    tk.assert_clean_error(res.returncode, res.stderr, "c1")


def test_rank_with_judgments_uses_ahp_weights(tk, criteria, case):
    path = tk.ROOT / "case_studies/telecom_b2b/judgments.yaml"
    res = invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "--judgments", path, "-f", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    w = weights_from_judgments(load_judgments(path, labels=criteria.ids))
    for k, v in w.items():
        assert out["weights"][k] == pytest.approx(v, abs=1e-12)
    # the case study's aggregate misses 38 of 66 pairs: its CR (optimal lambda_max 12.734, CI 0.0667) is
    # judged against Agoston & Csato's RI(12, 38) ~ 0.495, not the complete-matrix 1.48 (CR 0.045 before
    # issue 13), so it is now 0.135, inconsistent, with a warning naming the rule
    info = out["weights_from_judgments"]
    assert info["completion"] == "optimal" and info["missing_pairs"] == 38
    assert info["ri_table"] == "agoston_csato_2022" and "RI(n=12, missing=38)" in info["ri_source"]
    assert info["consistent"] is False and info["cr"] == pytest.approx(0.135, abs=0.005)
    assert "judgments are inconsistent" in res.stderr and "rule CR <= 0.1" in res.stderr
    expected = rank(case, w).sorted()["id"].tolist()
    assert [o["id"] for o in out["opportunities"]] == expected


def test_rank_with_weights_and_judgments_is_refused(tk):
    res = tk.run_cli("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "--weights", "w.yaml", "--judgments", "j.yaml")
    tk.assert_clean_error(res.returncode, res.stderr, "not both")


def test_inconsistent_judgments_warn_on_rank(tmp_path, tk, criteria):
    ids = criteria.ids
    # every criterion twice as important as... risk says so; then chains of 9s that contradict it (CR about 0.22)
    js = ([[ids[0], c, 2] for c in ids[1:]] + [[ids[i], ids[1], 9] for i in range(2, 7)]
          + [[ids[i + 1], ids[i], 9] for i in range(2, 7)])
    p = tmp_path / "j.yaml"
    p.write_text(yaml.safe_dump({"judgments": js}))
    res = tk.run_cli("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "--judgments", p)
    assert res.returncode == 0
    assert "warning:" in res.stderr and "inconsistent" in res.stderr and "review" in res.stderr
