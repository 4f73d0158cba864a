"""`mcda-qualify sensitivity`: JSON keys of the issue, reproducible SMAA, readable text, bad input exit 2."""
from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from mcda_qualify.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def args(tk):
    return [tk.CASE, "--criteria", tk.CRITERIA_FILE]


def test_json_keys_without_smaa(args, criteria):
    res = invoke("sensitivity", *args, "-f", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out["stability_intervals"]) == set(criteria.ids)
    for c, (lo, hi) in out["stability_intervals"].items():
        assert 0 <= lo <= out["weights"][c] <= hi <= 1
    for c, points in out["reversal_points"].items():
        for p in points:
            assert set(p) >= {"weight", "a", "b"} and 0 < p["weight"] < 1
    assert "pt" in out["critical_criterion"] and "pa" in out["critical_criterion"]
    assert "rank_acceptability" not in out


def test_smaa_json_is_reproducible(args):
    a = json.loads(invoke("sensitivity", *args, "--smaa", "2000", "--seed", "5", "-f", "json").stdout)
    b = json.loads(invoke("sensitivity", *args, "--smaa", "2000", "--seed", "5", "-f", "json").stdout)
    c = json.loads(invoke("sensitivity", *args, "--smaa", "2000", "--seed", "6", "-f", "json").stdout)
    assert a["rank_acceptability"] == b["rank_acceptability"]
    assert a["rank_acceptability"] != c["rank_acceptability"]
    acc = np.array(list(a["rank_acceptability"].values()))
    np.testing.assert_allclose(acc.sum(axis=0), 1, atol=1e-12)
    np.testing.assert_allclose(acc.sum(axis=1), 1, atol=1e-12)
    assert set(a["central_weights"]) == set(a["rank_acceptability"]) == set(a["confidence"])


def test_judgments_and_text(args, tk):
    res = invoke("sensitivity", *args, "--judgments", tk.ROOT / "case_studies/telecom_b2b/judgments.yaml",
                 "--smaa", "1000", "--seed", "1")
    assert res.exit_code == 0, res.output
    assert "Critical criterion for the top opportunity" in res.stdout and "SMAA-2 (1,000 samples" in res.stdout


def test_bad_method_exit_2(args, tk):
    res = tk.run_cli("sensitivity", *args, "--method", "vikor")
    tk.assert_clean_error(res.returncode, res.stderr, "vikor")


def test_judgment_uncertainty(args, tk):
    j = tk.ROOT / "case_studies/telecom_b2b/judgments.yaml"
    res = invoke("sensitivity", *args, "-j", j, "--smaa", "2000", "--seed", "3", "--judgment-uncertainty", "1", "-f", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["weight_model"]["model"] == "judgments" and out["seed"] == 3
    acc = np.array(list(out["rank_acceptability"].values()))
    np.testing.assert_allclose(acc.sum(axis=1), 1, atol=1e-12)
    again = json.loads(invoke("sensitivity", *args, "-j", j, "--smaa", "2000", "--seed", "3",
                              "--judgment-uncertainty", "1", "-f", "json").stdout)
    assert again["rank_acceptability"] == out["rank_acceptability"]
    bad = tk.run_cli("sensitivity", *args, "--smaa", "100", "--judgment-uncertainty", "1")
    tk.assert_clean_error(bad.returncode, bad.stderr, "--judgments")


def test_passing_only_leaves_gate_failures_out(args):
    out = json.loads(invoke("sensitivity", *args, "--passing-only", "--smaa", "500", "--seed", "1", "-f", "json").stdout)
    assert "OPP-08" not in out["rank_acceptability"] and "OPP-09" not in out["rank_acceptability"]
    assert len(out["rank_acceptability"]) == 12
    for points in out["reversal_points"].values():
        assert all(p["a"] not in ("OPP-08", "OPP-09") and p["b"] not in ("OPP-08", "OPP-09") for p in points)


def test_long_pipeline_text_is_bounded_and_json_is_whole(tmp_path, tk):
    """1,000 opportunities of another criteria file, with twins and a constant column: the text lists the
    SMAA rows most often first (LIST_TOP) and says how many more; notes of ties are bounded; JSON has all."""
    import yaml

    from mcda_qualify.ranking import MAX_TIE_NOTES
    from mcda_qualify.sensitivity_summary import LIST_TOP

    rng = np.random.default_rng(5)
    rows = [[f"X{i:04d}", f"deal {i % 37}", str(int(rng.integers(10, 1000))), str(rng.choice(["low", "medium", "high"])),
             str(rng.choice(["none", "partial", "full"])), "50"] for i in range(1000)]  # effort constant
    for k in range(10, 30):  # twenty twins of rows 0..19: twenty groups identical on every criterion
        rows[k] = [f"X{k:04d}", *rows[k - 10][1:]]
    table = tmp_path / "p.csv"
    table.write_text(tk.csv_text(tk.SMALL_HEADER, rows), encoding="utf-8")
    crit = tmp_path / "c.yaml"
    crit.write_text(yaml.safe_dump(tk.small_dict(), sort_keys=False), encoding="utf-8")
    res = invoke("sensitivity", table, "-c", crit, "--smaa", "500", "--seed", "1")
    assert res.exit_code == 0, res.stderr
    smaa_rows = [ln for ln in res.stdout.splitlines() if ln.startswith("  X")]
    assert len(smaa_rows) == LIST_TOP
    assert f"... {1000 - LIST_TOP:,} more opportunities (every one in --format json)" in res.stdout
    notes = [ln for ln in res.stdout.splitlines() if ln.startswith("note: ")]
    assert sum("tie in every sample;" in ln for ln in notes) == MAX_TIE_NOTES
    assert any("more groups of opportunities that tie in every sample" in ln for ln in notes)
    assert any("more groups of opportunities with the same value on every criterion used" in ln for ln in notes)
    assert any("criterion 'effort'" in ln and "same value" in ln for ln in notes)
    doc = json.loads(invoke("sensitivity", table, "-c", crit, "--smaa", "500", "--seed", "1", "-f", "json").stdout)
    assert len(doc["rank_acceptability"]) == 1000


def test_percent_text_never_shows_a_negative_zero():
    from mcda_qualify.cli import _pct

    assert _pct(12.345) == "+12.3" and _pct(-3.0) == "-3.0" and _pct(0.05) == "+0.1"
    assert _pct(-0.00048) == "-0.00048" and _pct(0.0) == "+0"
