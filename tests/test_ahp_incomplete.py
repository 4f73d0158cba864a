"""Incomplete judgments through the labelled API and the CLI: the completion (optimal by default,
harker, llsm) named in every output, the CR with a random index for n and the missing pairs, the one
verdict rule, and the precomputed RI(n, m) table.

Independent implementation: AHPy (Bozoki, Fulop & Ronyai's 2010 lambda_max-optimal completion by
cyclic coordinates). Published figures: Alonso & Lamata (2006) complete-matrix RI(3..10) = 0.5245,
0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854 (the m = 0 row of the table reproduces them).
"""
from __future__ import annotations

import json
from fractions import Fraction

import ahpy  # test-only dependency (cross-check)
import ahpy.ahpy as ahpy_module
import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.core import ahp, completion, ri_incomplete_table
from mcda_qualify.core.completion import max_missing
from mcda_qualify.judgments import load_judgments, parse_judgments
from mcda_qualify.judgments_summary import ahp_summary, weights_from_judgments

from testkit import random_incomplete

runner = CliRunner()
RI_AL = {3: 0.5245, 4: 0.8815, 5: 1.1086, 6: 1.2479, 7: 1.3417, 8: 1.4056, 9: 1.4499, 10: 1.4854}
#: a 5x5 incomplete matrix (2 missing pairs: a-d, b-e), entries on Saaty's scale
INCOMPLETE = {"labels": ["a", "b", "c", "d", "e"], "judgments": [
    ["a", "b", 3], ["a", "c", 5], ["a", "e", "1/2"], ["b", "c", 2], ["b", "d", 4],
    ["c", "d", "1/3"], ["c", "e", "1/7"], ["d", "e", 2]]}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _text(v: float) -> str | int:
    f = Fraction(v).limit_denominator(9)
    return int(f) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _yaml(a: np.ndarray, path) -> list[str]:
    n = a.shape[0]
    names = [f"c{i}" for i in range(n)]
    js = [[names[i], names[j], _text(a[i, j])] for i, j in zip(*np.triu_indices(n, 1)) if not np.isnan(a[i, j])]
    path.write_text(yaml.safe_dump({"labels": names, "judgments": js}), encoding="utf-8")
    return names


def _tight_ahpy(monkeypatch):
    """AHPy's 1-D search is scipy's bounded Brent with xatol 1e-5 on the entry, which alone limits its
    weights to ~1e-5; this shim only tightens that tolerance (xatol 1e-12) as AHPy's module sees it."""
    import scipy.optimize as spo

    class _Shim:
        @staticmethod
        def minimize_scalar(*args, **kwargs):
            kwargs.setdefault("options", {})["xatol"] = 1e-12
            return spo.minimize_scalar(*args, **kwargs)

    monkeypatch.setattr(ahpy_module, "spo", _Shim)


# --------------------------------------------------------------------------- AHPy through the CLI
def test_cli_completion_optimal_reproduces_ahpy_to_1e6(tmp_path, monkeypatch):
    """`ahp --completion optimal -f json` on 15 random incomplete files (n = 4..7, 1..3 missing pairs, not
    spanning trees, on which AHPy's stopping rule cycles). Conventions: AHPy tolerance 3e-7, precision 12,
    its CR with Saaty's 2005 RI, hence `--ri saaty_2005` for the CR comparison."""
    _tight_ahpy(monkeypatch)
    rng = np.random.default_rng(1302)
    worst_w = worst_cr = 0.0
    for k in range(15):
        n = int(rng.integers(4, 8))
        m = int(rng.integers(1, min(3, max_missing(n) - 1) + 1))
        a = random_incomplete(rng, n, m)
        path = tmp_path / f"m{k}.yaml"
        names = _yaml(a, path)
        comps = {(names[i], names[j]): float(a[i, j]) for i, j in zip(*np.triu_indices(n, 1))
                 if not np.isnan(a[i, j])}
        ref = ahpy.Compare("m", comps, precision=12, tolerance=3e-7, random_index="saaty")
        res = invoke("ahp", path, "--completion", "optimal", "--ri", "saaty_2005", "-f", "json")
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["completion"] == "optimal" and out["missing_pairs"] == m and out["complete"] is False
        worst_w = max(worst_w, max(abs(out["weights"][x] - ref.local_weights[x]) for x in names))
        worst_cr = max(worst_cr, abs(out["cr"] - ref.consistency_ratio))
        # the labelled API gives the same weights without the CLI
        w = weights_from_judgments(load_judgments(path))
        assert max(abs(w[x] - out["weights"][x]) for x in names) < 1e-12
    assert worst_w < 1e-6
    assert worst_cr < 1e-6


# --------------------------------------------------------------------------- naming the completion and the RI
def test_incomplete_cr_names_its_random_index(tmp_path):
    p = tmp_path / "inc.yaml"
    p.write_text(yaml.safe_dump(INCOMPLETE))
    out = json.loads(invoke("ahp", p, "-f", "json").stdout)
    assert out["completion"] == "optimal" and "Bozoki" in out["completion_source"]
    assert out["missing_pairs"] == 2 and out["ri_table"] == "agoston_csato_2022"
    ri, se = ri_incomplete_table.RI_INCOMPLETE[(5, 2)]
    assert out["ri"] == ri and ri < RI_AL[5]
    assert "simulated reproduction" in out["ri_source"] and f"{ri_incomplete_table.SAMPLES:,} samples" in out["ri_source"]
    assert f"seed {ri_incomplete_table.SEED}" in out["ri_source"] and f"standard error {se:.4f}" in out["ri_source"]
    lam_opt = completion.optimal_completion(load_judgments(p).matrix)[1]
    assert out["lambda_max"] == pytest.approx(lam_opt, rel=1e-12)
    assert out["cr"] == pytest.approx((out["lambda_max"] - 5) / 4 / ri, rel=1e-12)
    assert out["verdict"]["decided_by"] == "cr" and out["verdict"]["consistent"] == out["consistent"]
    text = invoke("ahp", p).stdout
    assert "completion optimal" in text and "RI: agoston_csato_2022 RI(n=5, missing=2)" in text
    assert "2 pairs not given were inferred from the others (optimal completion)" in text
    geo = json.loads(invoke("ahp", p, "-m", "geometric", "-f", "json").stdout)
    v = geo["verdict"]
    assert v["decided_by"] == "cr" and v["other"] == "gci" and v["agree"] == (geo["gci_consistent"] == geo["consistent"])
    assert geo["gci_threshold"] == 0.370 and v["rule"] == "CR <= 0.1"
    gline = [x for x in invoke("ahp", p, "-m", "geometric").stdout.splitlines() if x.startswith("GCI")][0]
    assert ("agrees with the CR" in gline) == v["agree"] and "threshold 0.37" in gline
    # a complete-matrix table stays selectable and says it ignores the missing pairs
    al = json.loads(invoke("ahp", p, "--ri", "alonso_lamata_2006", "-f", "json").stdout)
    assert al["ri"] == RI_AL[5] and "2 missing pair(s) ignored" in al["ri_source"]
    assert al["cr"] == pytest.approx(out["cr"] * ri / RI_AL[5], rel=1e-12)


@pytest.mark.parametrize("name", ["harker", "llsm"])
def test_other_completions_are_selectable_and_named(tmp_path, name):
    p = tmp_path / "inc.yaml"
    p.write_text(yaml.safe_dump(INCOMPLETE))
    out = json.loads(invoke("ahp", p, "--completion", name, "-f", "json").stdout)
    opt = json.loads(invoke("ahp", p, "-f", "json").stdout)
    assert out["completion"] == name and name in invoke("ahp", p, "--completion", name).stdout
    method = "eigenvector" if name == "harker" else "geometric"
    m = load_judgments(p).matrix
    expected = ahp.complete(m, method).matrix
    assert [out["weights"][x] for x in "abcde"] == pytest.approx(ahp.priorities(expected), abs=1e-12)
    assert out["lambda_max"] == pytest.approx(opt["lambda_max"], rel=1e-12)  # CR: the optimal lambda_max
    assert out["completion_lambda_max"] >= opt["lambda_max"] - 1e-12
    bad = invoke("ahp", p, "--completion", "mean")
    assert bad.exit_code == 2 and "error:" in bad.output and "optimal" in bad.output


def test_harker_pins_the_numbers_of_before(tmp_path):
    """`completion="harker"` with the complete-matrix table gives the weights and, through
    completion_lambda_max, the CR that the summary gave before the optimal completion was the default
    (Harker 1987 weights; CR of the Harker-completed matrix with Saaty's 1980 RI = ahp.consistency)."""
    m = parse_judgments(INCOMPLETE).matrix
    old = ahp.consistency(m)  # the old path: Harker completion, complete-matrix RI
    s = ahp_summary(INCOMPLETE, completion="harker", ri_table="saaty_1980")
    assert [s["weights"][x] for x in "abcde"] == pytest.approx(old.weights, abs=1e-12)
    assert s["completion_lambda_max"] == pytest.approx(old.lambda_max, rel=1e-12)
    assert (s["completion_lambda_max"] - 5) / 4 / s["ri"] == pytest.approx(old.cr, rel=1e-12)
    node = parse_judgments(INCOMPLETE)
    assert weights_from_judgments(node, completion="harker") == pytest.approx(dict(zip("abcde", old.weights)))
    opt = weights_from_judgments(node)
    assert max(abs(opt[x] - dict(zip("abcde", old.weights))[x]) for x in "abcde") > 1e-4  # they differ


@pytest.mark.parametrize("name", ["optimal", "harker", "llsm"])
@pytest.mark.parametrize("method", ["eigenvector", "geometric"])
def test_complete_matrices_are_unaffected(name, method):
    """Same numbers as ahp.consistency (the path of before) for a complete matrix, whatever the completion."""
    rng = np.random.default_rng(4)
    a = random_incomplete(rng, 6, 0)
    labels = [f"c{i}" for i in range(6)]
    old = ahp.consistency(a, method=method)
    s = ahp_summary(a, labels=labels, method=method, completion=name)
    assert [s["weights"][x] for x in labels] == list(old.weights)
    assert (s["lambda_max"], s["ci"], s["ri"], s["cr"], s["consistent"]) == (
        old.lambda_max, old.ci, old.ri, old.cr, old.consistent)
    assert s["ri_table"] == "saaty_1980" and s["missing_pairs"] == 0 and s["complete"] is True
    assert s["gci"] == old.gci and s["gci_consistent"] == old.gci_consistent
    w = weights_from_judgments(parse_judgments(a, labels=labels), method=method, completion=name)
    assert [w[x] for x in labels] == list(ahp.priorities(a, method))


def test_group_aij_completes_optimally_and_judges_name_their_ri():
    doc = {"judges": [
        {"name": "ann", "judgments": [["a", "b", 3], ["b", "c", 2], ["a", "c", 5], ["c", "d", 4]]},
        {"name": "bob", "judgments": [["a", "b", 2], ["b", "c", 3], ["b", "d", 7], ["c", "d", 2]]}]}
    s = ahp_summary(doc)
    assert s["kind"] == "group" and s["completion"] == "optimal" and s["missing_pairs"] == 1  # a-d
    agg = np.array([[1, 6 ** 0.5, 5, np.nan], [6 ** -0.5, 1, 6 ** 0.5, 7], [1 / 5, 6 ** -0.5, 1, 8 ** 0.5],
                    [np.nan, 1 / 7, 8 ** -0.5, 1]])
    full, lam = completion.optimal_completion(agg)
    assert [s["weights"][x] for x in "abcd"] == pytest.approx(ahp.priorities(full), abs=1e-10)
    assert s["lambda_max"] == pytest.approx(lam, rel=1e-10)
    assert s["judges"]["ann"]["missing_pairs"] == 2 and s["judges"]["ann"]["ri_table"] == "agoston_csato_2022"
    assert s["judges"]["ann"]["ri"] == ri_incomplete_table.RI_INCOMPLETE[(4, 2)][0]
    assert s["judges"]["ann"]["cr"] > 0 and "RI(n=4, missing=2)" in s["judges"]["ann"]["ri_source"]
    json.dumps(s, allow_nan=False)


# --------------------------------------------------------------------------- rank/qualify JSON and the warning
def test_rank_json_names_completion_and_ri(tk, criteria, tmp_path):
    ids = criteria.ids
    js = [[ids[0], ids[1], 9], [ids[1], ids[2], 9], [ids[0], ids[2], "1/9"]]
    js += [[ids[2], x, 1] for x in ids[3:]]
    p = tmp_path / "j.yaml"
    p.write_text(yaml.safe_dump({"judgments": js}))
    res = invoke("rank", tk.CASE, "-c", tk.CRITERIA_FILE, "--judgments", p, "-f", "json")
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)["weights_from_judgments"]
    n = len(ids)
    assert info["completion"] == "optimal" and info["missing_pairs"] == n * (n - 1) // 2 - len(js)
    assert info["ri_table"] == "agoston_csato_2022" and "RI(n=" in info["ri_source"]
    assert info["consistent"] is False and info["verdict_rule"] == "CR <= 0.1"
    assert "judgments are inconsistent" in res.stderr and "rule CR <= 0.1" in res.stderr


# --------------------------------------------------------------------------- invariants


@settings(max_examples=20, deadline=None)
@given(st.integers(4, 7), st.integers(0, 10_000), st.sampled_from(["optimal", "harker", "llsm"]))
def test_summary_is_label_order_invariant_and_cr_is_ci_over_ri(n, seed, name):
    """Relabelling (permuting) the criteria permutes the weights and leaves lambda_max, RI and CR alone;
    CR = CI / RI(n, missing pairs) and the verdict is CR <= 0.1."""
    rng = np.random.default_rng(seed)
    a = random_incomplete(rng, n, int(rng.integers(0, max_missing(n) + 1)))
    labels = [f"c{i}" for i in range(n)]
    perm = rng.permutation(n)
    s = ahp_summary(a, labels=labels, completion=name)
    t = ahp_summary(a[np.ix_(perm, perm)], labels=[labels[i] for i in perm], completion=name)
    assert all(abs(s["weights"][x] - t["weights"][x]) < 1e-8 for x in labels)
    assert s["lambda_max"] == pytest.approx(t["lambda_max"], abs=1e-9) and s["ri"] == t["ri"]
    assert s["ri"] == completion.incomplete_random_index(n, s["missing_pairs"],
                                                         "agoston_csato_2022" if s["missing_pairs"] else "saaty_1980")
    if s["ri"] > 0:
        assert s["cr"] == pytest.approx(s["ci"] / s["ri"], rel=1e-12)
    assert s["consistent"] == (s["cr"] <= 0.1) == s["verdict"]["consistent"]
