"""The new core methods reach users: COPRAS, PROMETHEE II blocks, VIKOR's compromise set, WSM
normalisations and the one tie rule, through rank(), the criteria file and the command line."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.core import batch, reversal, smaa
from mcda_qualify.core.methods import score
from mcda_qualify.core.promethee import promethee_ii
from mcda_qualify.core.vikor import vikor
from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.errors import CriteriaError, InputError
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import rank, rank_scores
from mcda_qualify.sensitivity_summary import sensitivity_summary

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


# ------------------------------------------------------------------------------------------------
# COPRAS and MOORA on the case study and without cost criteria
# ------------------------------------------------------------------------------------------------


def test_copras_puts_the_risky_bespoke_opp08_in_the_bottom_half(tk):
    res = invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "copras", "-f", "json")
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)["opportunities"]
    pos = {r["id"]: r["rank"] for r in rows}
    assert pos["OPP-08"] > len(rows) / 2
    assert "Zavadskas" in json.loads(res.output)["source"] and "pymcdm" not in json.loads(res.output)["source"]


@pytest.fixture()
def all_benefit(tmp_path):
    crit = {"name": "All benefit", "criteria": [
        {"id": "size", "name": "Size", "direction": "benefit"},
        {"id": "fit", "name": "Fit", "direction": "benefit"},
        {"id": "margin", "name": "Margin", "direction": "benefit"}],
        "weights": {"size": 0.5, "fit": 0.3, "margin": 0.2}}
    x = np.array([[3.0, 2.0, 9.0], [5.0, 1.0, 4.0], [1.0, 7.0, 2.0], [4.0, 4.0, 4.0]])
    cpath, opath = tmp_path / "c.yaml", tmp_path / "o.csv"
    cpath.write_text(yaml.safe_dump(crit), encoding="utf-8")
    frame = pd.DataFrame(x, columns=["size", "fit", "margin"])
    frame.insert(0, "id", ["A", "B", "C", "D"])
    frame.to_csv(opath, index=False)
    return cpath, opath, x, np.array([0.5, 0.3, 0.2])


@pytest.mark.parametrize("method", ["moora", "copras"])
def test_moora_and_copras_without_a_cost_criterion(all_benefit, method):
    cpath, opath, x, w = all_benefit
    res = invoke("rank", opath, "-c", cpath, "-m", method, "-f", "json")
    assert res.exit_code == 0, res.output
    got = {r["id"]: r["score"] for r in json.loads(res.output)["opportunities"]}
    if method == "moora":  # ratio system, vector normalisation, no cost to subtract
        want = (x / np.sqrt((x ** 2).sum(axis=0))) @ w
    else:  # COPRAS: Q = S+ when nothing is a cost; utility degree Q / max Q
        q = (x / x.sum(axis=0)) @ w
        want = q / q.max()
    np.testing.assert_allclose([got[i] for i in "ABCD"], want, atol=1e-12)


# ------------------------------------------------------------------------------------------------
# PROMETHEE II: per-criterion blocks in the criteria file
# ------------------------------------------------------------------------------------------------


def _small_with(tk, blocks):
    data = tk.small_dict()
    for c in data["criteria"]:
        if c["id"] in blocks:
            c["promethee"] = blocks[c["id"]]
    return data


def test_promethee_blocks_drive_the_ranking(tk):
    blocks = {"deal_size": {"function": "linear", "q": 50, "p": 250}, "effort": {"function": "v-shape", "p": 15}}
    crit = criteria_from_dict(_small_with(tk, blocks))
    p = load_portfolio(pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER), crit)
    r = rank(p, method="promethee_ii")
    want = promethee_ii(p.matrix, crit.default_weights(), crit.types, ["linear", "usual", "usual", "v-shape"],
                        q=[50, None, None, None], p=[250, None, None, 15])
    np.testing.assert_allclose(r.table["score"], want, atol=1e-15)
    assert r.details["promethee"] == {"deal_size": "linear (q=50, p=250)", "risk": "usual", "fit": "usual",
                                      "effort": "v-shape (p=15)"}
    # the usual-only ranking differs: the thresholds are really used
    usual = promethee_ii(p.matrix, crit.default_weights(), crit.types)
    assert not np.allclose(usual, want)
    # excluded criteria drop their block with them
    r2 = rank(p, method="promethee_ii", exclude=["deal_size"])
    assert list(r2.details["promethee"]) == ["risk", "fit", "effort"]


def test_promethee_cli_names_the_functions(tk, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(_small_with(tk, {"effort": {"function": "gaussian", "s": 8}})), encoding="utf-8")
    opp = tmp_path / "o.csv"
    opp.write_text(tk.csv_text(tk.SMALL_HEADER, tk.small_rows()), encoding="utf-8")
    res = invoke("rank", opp, "-c", path, "-m", "promethee_ii")
    assert res.exit_code == 0, res.output
    assert "PROMETHEE preference functions: effort gaussian (s=8); others usual" in res.output
    js = json.loads(invoke("rank", opp, "-c", path, "-m", "promethee_ii", "-f", "json").output)
    assert js["promethee"]["effort"] == "gaussian (s=8)"


@pytest.mark.parametrize("block, words", [
    ({"function": "v-shap", "p": 3}, ["unknown preference function 'v-shap'", "did you mean 'v-shape'?"]),
    ({"function": "gausian", "s": 3}, ["did you mean 'gaussian'?"]),
    ({"function": "level", "q": 1}, ["'level' needs the preference threshold p"]),
    ({"function": "u-shape"}, ["'u-shape' needs the indifference threshold q"]),
    ({"function": "linear", "q": 5, "p": 2}, ["q (5.0) must be below p (2.0)"]),
    ({"function": "v-shape", "p": -1}, ["preference threshold p must be > 0"]),
    ({"function": "u-shape", "q": -1}, ["indifference threshold q must be >= 0"]),
    ({"function": "v-shape", "p": float("nan")}, ["finite number"]),
    ({"function": "usual", "p": 2}, ["'usual' does not use p"]),
])
def test_promethee_block_errors_are_located(tk, block, words):
    with pytest.raises(CriteriaError) as err:
        criteria_from_dict(_small_with(tk, {"effort": block}), source="crit.yaml")
    msg = str(err.value)
    assert "crit.yaml" in msg and "criteria[3] (id effort).promethee" in msg
    for w in words:
        assert w in msg


def test_promethee_block_error_exits_2_on_the_cli(tk, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(_small_with(tk, {"effort": {"function": "vshape"}})), encoding="utf-8")
    opp = tmp_path / "o.csv"
    opp.write_text(tk.csv_text(tk.SMALL_HEADER, tk.small_rows()), encoding="utf-8")
    res = invoke("rank", opp, "-c", path, "-m", "promethee_ii")
    assert res.exit_code == 2
    assert "error:" in res.output and "'v-shape' needs the preference threshold p" in res.output
    assert "Traceback" not in res.output


# ------------------------------------------------------------------------------------------------
# VIKOR's compromise set
# ------------------------------------------------------------------------------------------------


def test_vikor_compromise_in_the_ranking_and_on_the_cli(tk, case, criteria):
    r = rank(case, method="vikor")
    res = vikor(case.matrix, criteria.default_weights(), criteria.types)
    np.testing.assert_allclose(r.table["score"], res.Q, atol=1e-15)
    comp = r.compromise
    assert comp["ids"] == [case.ids[i] for i in res.compromise]
    assert comp["acceptable_advantage"] is res.acceptable_advantage
    assert comp["acceptable_stability"] is res.acceptable_stability
    assert comp["dq"] == pytest.approx(1 / (len(case) - 1))
    assert r.explanation is r.details["vikor"]
    out = invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "vikor").output
    yn = {True: "yes", False: "no"}
    assert (f"Compromise set: {', '.join(comp['ids'])} (acceptable advantage: {yn[res.acceptable_advantage]}, "
            f"acceptable stability: {yn[res.acceptable_stability]}") in out
    js = json.loads(invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "vikor", "-f", "json").output)
    assert js["compromise"]["ids"] == comp["ids"]
    assert set(js["compromise"]) == {"ids", "acceptable_advantage", "acceptable_stability", "dq", "v"}


def test_vikor_compromise_set_when_advantage_fails():
    """Opricovic & Tzeng (2004)'s rule through rank(): C1 fails, so the set holds every alternative
    within DQ of the best Q (hand-checked: Q = [0, 0.25, 1], DQ = 0.5)."""
    crit = criteria_from_dict({"name": "t", "criteria": [
        {"id": "a", "name": "A", "direction": "benefit"}, {"id": "b", "name": "B", "direction": "benefit"}]})
    p = load_portfolio(pd.DataFrame({"id": ["X", "Y", "Z"], "a": [10.0, 8.0, 0.0], "b": [9.0, 10.0, 0.0]}), crit)
    r = rank(p, [0.5, 0.5], "vikor", vikor_v=0.5)
    # S = [0.05, 0.1, 1], R = [0.05, 0.1, 0.5] -> Q = [0, 0.5*0.05/0.95 + 0.5*0.05/0.45, 1]
    q_y = 0.5 * 0.05 / 0.95 + 0.5 * 0.05 / 0.45
    np.testing.assert_allclose(r.table["score"], [0.0, q_y, 1.0], atol=1e-15)
    assert r.compromise["ids"] == ["X", "Y"] and r.compromise["acceptable_advantage"] is False
    with pytest.raises(InputError, match="VIKOR's v"):
        rank(p, None, "vikor", vikor_v=1.5)


# ------------------------------------------------------------------------------------------------
# WSM normalisations
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("norm", ["sum", "max", "minmax"])
def test_wsm_normalization_reaches_rank_and_the_cli(tk, case, criteria, norm):
    r = rank(case, method="wsm", wsm_normalization=norm)
    np.testing.assert_allclose(r.table["score"], score("wsm", case.matrix, criteria.default_weights(),
                                                       criteria.types, wsm_normalization=norm), atol=1e-15)
    assert r.normalization == norm
    out = invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "wsm", "--wsm-normalization", norm).output
    assert f"WSM, {norm} normalisation" in out.splitlines()[0]
    q = invoke("qualify", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "wsm", "--wsm-normalization", norm,
               "--qualified", "0.5", "--conditional", "0.3", "-f", "json")
    assert q.exit_code == 0 and json.loads(q.output)["normalization"] == norm


def test_max_and_sum_rank_the_case_study_differently(case):
    a = rank(case, method="wsm", wsm_normalization="sum").table["rank"].tolist()
    b = rank(case, method="wsm", wsm_normalization="max").table["rank"].tolist()
    assert a != b  # the convention changes numbers and ranks, hence a named option


def test_unknown_wsm_normalization_and_refusal_in_sensitivity(tk, case):
    with pytest.raises(InputError, match="unknown WSM normalization"):
        rank(case, method="wsm", wsm_normalization="vector")
    with pytest.raises(InputError, match="supports the sum normalisation only"):
        sensitivity_summary(case, method="wsm", wsm_normalization="minmax")
    res = invoke("sensitivity", tk.CASE, "-c", tk.CRITERIA_FILE, "-m", "wsm", "--wsm-normalization", "max")
    assert res.exit_code == 2 and "supports the sum normalisation only" in res.output


def test_sensitivity_wsm_scores_are_score_wsm_with_sum(case, criteria):
    """core/batch.py's sum_normalize is the 'sum' normalisation of score('wsm') (what sensitivity sweeps)."""
    rng = np.random.default_rng(4)
    ws = rng.dirichlet(np.ones(len(criteria.ids)), size=20)
    np.testing.assert_allclose(batch.batch_scores("wsm", case.matrix, ws, criteria.types),
                               score("wsm", case.matrix, ws, criteria.types, wsm_normalization="sum"), atol=1e-15)


# ------------------------------------------------------------------------------------------------
# one tie rule: rankings, sweeps, reversals, SMAA
# ------------------------------------------------------------------------------------------------


def _near_twins():
    """Rows 0 and 1 differ by 1e-12 relative (row 1 marginally better): tied under core.ties."""
    x = np.array([[5.0, 3.0, 7.0], [5.0, 3.0, 7.0 * (1 + 1e-12)], [2.0, 6.0, 1.0], [8.0, 1.0, 4.0]])
    return x, np.array([1, -1, 1]), np.array([0.4, 0.3, 0.3])


def test_rankings_sweeps_and_smaa_share_the_tie_rule():
    x, t, w = _near_twins()
    for method in ("topsis", "wsm"):
        s = score(method, x, w, t)
        assert s[1] > s[0]  # not equal as floats...
        ranks = rank_scores(s, "higher")
        assert ranks[0] == ranks[1]  # ...but tied in the ranking
        sw = reversal.weight_sweep(x, w, t, 0, 11, method=method)
        assert np.all(sw.ranks[:, 0] == sw.ranks[:, 1])
        # SMAA breaks ties by input order: row 0 (earlier) is ahead of row 1 in every sample
        res = smaa.smaa2(x, t, samples=2048, seed=1, method=method)
        assert res.counts[1, 0] == 0
        assert np.all(np.cumsum(res.counts[0]) >= np.cumsum(res.counts[1]))
        # no reversal point between the twins: they are tied, not crossing
        rv = reversal.reversal_points(x, w, t, method=method)
        assert not np.any(((rv.a == 0) & (rv.b == 1)) | ((rv.a == 1) & (rv.b == 0)))


def test_smaa_ties_follow_input_order_not_float_noise():
    """The twins swap places if their noise is flipped; SMAA's shares do not, they follow input order."""
    x, t, _ = _near_twins()
    y = x.copy()
    y[[0, 1], 2] = y[[1, 0], 2]  # now row 0 is the marginally better one
    a = smaa.smaa2(x, t, samples=4096, seed=7, method="topsis")
    b = smaa.smaa2(y, t, samples=4096, seed=7, method="topsis")
    np.testing.assert_array_equal(a.counts, b.counts)


def test_cli_rank_does_not_import_scipy_stats(tk):
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom mcda_qualify.cli import app\n"
            f"r = CliRunner().invoke(app, ['rank', {str(tk.CASE)!r}, '-c', {str(tk.CRITERIA_FILE)!r}, '-m', 'copras'])\n"
            "assert r.exit_code == 0, r.output\nprint('scipy.stats' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
