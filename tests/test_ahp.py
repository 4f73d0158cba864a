"""Worked examples and unit tests of the AHP numeric core (mcda_qualify.ahp).

Figures are copied from their published sources (named beside each); tests read no files.
"""
from __future__ import annotations

import numpy as np
import pytest

from mcda_qualify.core import ahp

from mcda_qualify.core import ahp_review

from mcda_qualify.core import ahp_group

from mcda_qualify.core import ahp_ratings
from mcda_qualify.errors import JudgmentError

# --------------------------------------------------------------------------- reference figures
# RI(n), n = 1..15, as published:
RI_REFERENCE = {
    # Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.
    "saaty_1980": [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59],
    # Saaty, T. L. (2005). Theory and Applications of the ANP. RWS Publications, p. 31.
    "saaty_2005": [0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.4, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59],
    # Alonso, J. A., & Lamata, M. T. (2006). IJUFKS 14(4), 445-459.
    "alonso_lamata_2006": [0, 0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854,
                           1.5141, 1.5365, 1.5551, 1.5713, 1.5838],
    # Tummala, V. M. R., & Ling, H. (1998). Theory and Decision 44(3), 221-230 (pymcdm's table).
    "tummala_ling_1998": [0, 0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882,
                          1.5117, 1.5356, 1.5571, 1.5714, 1.5831],
}

# Case "drinks": Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
# Int. J. Services Sciences 1(1), 83-98. Relative consumption of drinks in the USA.
DRINKS_LABELS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_PUBLISHED_WEIGHTS_3DP = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]  # Saaty 2008
DRINKS_EIGENVECTOR_4DP = [0.1775, 0.0191, 0.0418, 0.1164, 0.1896, 0.1288, 0.3268]
DRINKS_GEOMETRIC_4DP = [0.1787, 0.0185, 0.0422, 0.1165, 0.1911, 0.1286, 0.3243]
DRINKS_LAMBDA_MAX_4DP = 7.1766
DRINKS_CI_5DP = 0.02944
DRINKS_CR_4DP = {"saaty_2005": 0.0218, "saaty_1980": 0.0223}
DRINKS_PUBLISHED_CR_3DP = 0.022  # Saaty 2008

# Case "wang_chin_6x6": Wang, Y. M., & Chin, K. S. (2011). A linear programming approximation to
# the eigenvector method in the AHP. Information Sciences 181(23), 5240-5248.
WANG_CHIN = [
    [1, 4, 3, 1, 3, 4],
    [1 / 4, 1, 7, 3, 1 / 5, 1],
    [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
    [1, 1 / 3, 5, 1, 1, 1 / 3],
    [1 / 3, 5, 5, 1, 1, 3],
    [1 / 4, 1, 6, 3, 1 / 3, 1],
]
WANG_CHIN_EIGENVECTOR_4DP = [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391]
WANG_CHIN_LAMBDA_MAX_4DP = 7.4199  # inconsistent under every RI table (CR about 0.23)


# --------------------------------------------------------------------------- RI tables
@pytest.mark.parametrize("name", list(RI_REFERENCE))
def test_ri_tables_match_the_published_values(name):
    for n, expected in enumerate(RI_REFERENCE[name], start=1):
        assert ahp.random_index(n, name) == pytest.approx(expected, abs=1e-12)


def test_alonso_lamata_regression_extends_beyond_15():
    # Alonso & Lamata (2006): lambda_max(random) = 2.7699 n - 4.3513
    assert ahp.random_index(20, "alonso_lamata_2006") == pytest.approx((1.7699 * 20 - 4.3513) / 19)
    # and continues the table upwards from RI(15) = 1.5838
    assert 1.5838 < ahp.random_index(16, "alonso_lamata_2006") < 1.61


@pytest.mark.parametrize("name", ["saaty_1980", "saaty_2005", "tummala_ling_1998"])
def test_other_tables_refuse_n_beyond_15_naming_the_option(name):
    with pytest.raises(JudgmentError) as err:
        ahp.random_index(16, name)
    assert name in str(err.value) and "alonso_lamata_2006" in str(err.value) and "16" in str(err.value)


def test_custom_ri_sequence_and_its_errors():
    assert ahp.random_index(3, [0, 0, 0.6]) == 0.6
    c = ahp.consistency(DRINKS, ri_table=[0, 0, 0.5, 0.9, 1.1, 1.2, 1.5])
    assert c.ri_table == "custom" and c.cr == pytest.approx(c.ci / 1.5)
    with pytest.raises(JudgmentError, match="custom RI table stops at n=3"):
        ahp.random_index(4, [0, 0, 0.6])
    with pytest.raises(JudgmentError, match="unknown RI table"):
        ahp.random_index(3, "saaty")
    with pytest.raises(JudgmentError, match=r"RI\(3\) is not usable"):
        ahp.random_index(3, [0, 0, 0])


# --------------------------------------------------------------------------- drinks (Saaty 2008)
def test_drinks_eigenvector_weights_lambda_ci():
    c = ahp.consistency(DRINKS)
    assert np.round(c.weights, 4).tolist() == DRINKS_EIGENVECTOR_4DP
    assert np.round(c.weights, 3).tolist() == DRINKS_PUBLISHED_WEIGHTS_3DP
    assert round(c.lambda_max, 4) == DRINKS_LAMBDA_MAX_4DP
    assert round(c.ci, 5) == DRINKS_CI_5DP
    assert c.n == 7 and c.consistent


def test_drinks_geometric_mean_weights():
    w = ahp.priorities(DRINKS, "geometric")
    assert np.round(w, 4).tolist() == DRINKS_GEOMETRIC_4DP


@pytest.mark.parametrize("name", list(RI_REFERENCE))
def test_drinks_cr_under_each_ri_table(name):
    c = ahp.consistency(DRINKS, ri_table=name)
    expected = DRINKS_CI_5DP / RI_REFERENCE[name][6]  # CR = CI / RI(7), from the published CI
    assert c.cr == pytest.approx(expected, abs=5e-6)
    assert c.ri == RI_REFERENCE[name][6] and c.ri_table == name
    if name in DRINKS_CR_4DP:
        assert round(c.cr, 4) == DRINKS_CR_4DP[name]
    assert round(c.cr, 3) == DRINKS_PUBLISHED_CR_3DP


# --------------------------------------------------------------------------- Wang & Chin (2011)
def test_wang_chin_weights_and_lambda():
    lam, w = ahp.principal_eigen(WANG_CHIN)
    assert np.round(w, 4).tolist() == WANG_CHIN_EIGENVECTOR_4DP
    assert round(lam, 4) == WANG_CHIN_LAMBDA_MAX_4DP


@pytest.mark.parametrize("name", list(RI_REFERENCE))
def test_wang_chin_inconsistent_under_every_table(name):
    c = ahp.consistency(WANG_CHIN, ri_table=name)
    ci = (WANG_CHIN_LAMBDA_MAX_4DP - 6) / 5
    assert c.cr == pytest.approx(ci / RI_REFERENCE[name][5], abs=2e-5)
    assert 0.22 < c.cr < 0.24 and not c.consistent


# --------------------------------------------------------------------------- pymcdm agreement
def _random_saaty_matrix(rng: np.random.Generator, n: int) -> np.ndarray:
    scale = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = scale[rng.integers(len(scale))]
            a[j, i] = 1 / a[i, j]
    return a


def test_eigenvector_and_cr_agree_with_pymcdm():
    from pymcdm.weights.subjective import AHP  # pymcdm 1.4: principal eigenvector, Tummala & Ling RI

    rng = np.random.default_rng(20240611)
    for _ in range(60):
        a = _random_saaty_matrix(rng, int(rng.integers(3, 11)))
        model = AHP(matrix=a)
        np.testing.assert_allclose(ahp.priorities(a, "eigenvector"), model(), rtol=0, atol=1e-9)
        assert ahp.consistency(a, ri_table="tummala_ling_1998").cr == pytest.approx(model.get_cr(), abs=1e-9)


def test_batched_priorities_equal_one_by_one():
    rng = np.random.default_rng(7)
    stack = np.stack([_random_saaty_matrix(rng, 5) for _ in range(40)])
    for method in ("eigenvector", "geometric"):
        batch = ahp.priorities(stack, method)
        assert batch.shape == (40, 5)
        np.testing.assert_allclose(batch, [ahp.priorities(m, method) for m in stack], atol=1e-12)
    np.testing.assert_allclose(ahp.consistency_ratio(stack), [ahp.consistency(m).cr for m in stack], atol=1e-12)
    np.testing.assert_allclose(ahp.lambda_max(stack), [ahp.consistency(m).lambda_max for m in stack], atol=1e-12)


# --------------------------------------------------------------------------- small n, thresholds, GCI
def test_n1_and_n2_have_cr_zero():
    c1 = ahp.consistency([[1]])
    assert c1.cr == 0 and c1.weights.tolist() == [1.0] and c1.consistent
    c2 = ahp.consistency([[1, 9], [1 / 9, 1]])
    assert c2.cr == 0 and c2.lambda_max == 2 and c2.weights == pytest.approx([0.9, 0.1])
    assert ahp.consistency_ratio([[1, 9], [1 / 9, 1]]) == 0.0


def test_threshold_rules():
    assert ahp.cr_threshold(3) == 0.1 and ahp.cr_threshold(3, "flat") == 0.1
    # Saaty (1994): 0.05 for n = 3, 0.08 for n = 4, 0.10 beyond
    assert [ahp.cr_threshold(n, "saaty_1994") for n in (3, 4, 5, 9)] == [0.05, 0.08, 0.1, 0.1]
    a = [[1, 2, 6], [1 / 2, 1, 2], [1 / 6, 1 / 2, 1]]
    b = [[1, 3, 5], [1 / 3, 1, 4], [1 / 5, 1 / 4, 1]]  # CR between 0.05 and 0.1 for n = 3
    cr_b = ahp.consistency(b).cr
    assert 0.05 < cr_b < 0.1
    assert ahp.consistency(b).consistent and not ahp.consistency(b, threshold="saaty_1994").consistent
    assert ahp.consistency(a, threshold=0.2).threshold == 0.2
    with pytest.raises(JudgmentError, match="unknown CR threshold rule"):
        ahp.cr_threshold(3, "strict")
    with pytest.raises(JudgmentError, match="CR threshold must be positive"):
        ahp.cr_threshold(3, -1)


def test_gci_formula_and_thresholds():
    # GCI = 2/((n-1)(n-2)) sum_{i<j} ln^2(a_ij w_j / w_i) with w the row geometric mean
    a = np.array(WANG_CHIN)
    w = ahp.priorities(a, "geometric")
    n = 6
    expected = 2 / ((n - 1) * (n - 2)) * sum(np.log(a[i, j] * w[j] / w[i]) ** 2
                                             for i in range(n) for j in range(i + 1, n))
    c = ahp.consistency(a, method="geometric")
    assert c.gci == pytest.approx(expected, rel=1e-12)
    assert ahp.geometric_consistency_index(a) == pytest.approx(expected, rel=1e-12)
    assert c.gci_threshold == 0.37 and c.gci_consistent is False and expected > 0.37
    # Aguaron & Moreno-Jimenez (2003) thresholds, unrounded (issue 13: they were 0.31 / 0.35 / 0.37)
    assert [ahp.gci_threshold(n) for n in (2, 3, 4, 5, 12)] == [None, 0.3147, 0.3526, 0.370, 0.370]
    assert ahp.GCI_THRESHOLDS == {3: 0.3147, 4: 0.3526}
    assert ahp.consistency(a).gci is None  # eigenvector method: no GCI


# --------------------------------------------------------------------------- diagnostics
def test_judgment_errors_are_one_on_a_consistent_matrix_and_ratio_otherwise():
    w = np.array([0.5, 0.3, 0.2])
    consistent = w[:, None] / w[None, :]
    np.testing.assert_allclose(ahp_review.judgment_errors(consistent, w), np.ones((3, 3)), atol=1e-15)
    e = ahp_review.judgment_errors(WANG_CHIN, WANG_CHIN_EIGENVECTOR_4DP)
    assert e[0, 2] == pytest.approx(3 * 0.0348 / 0.3208, rel=1e-3)
    assert ahp_review.judgments_to_review(consistent) == []


def test_nearest_scale_value_uses_ratio_distance():
    assert ahp_review.nearest_scale_value(9.2) == 9.0
    assert ahp_review.nearest_scale_value(1.4) == 1.0  # sqrt(2) = 1.414 is the midpoint in log terms
    assert ahp_review.nearest_scale_value(1.42) == 2.0
    assert ahp_review.nearest_scale_value(0.3) == pytest.approx(1 / 3)
    assert ahp_review.nearest_scale_value(100) == 9.0 and ahp_review.nearest_scale_value(1e-3) == pytest.approx(1 / 9)
    np.testing.assert_allclose(ahp_review.nearest_scale_value(np.array([2.9, 0.26])), [3, 1 / 4])


def test_judgments_to_review_worst_first_with_consistent_values():
    reviews = ahp_review.judgments_to_review(WANG_CHIN)
    assert len(reviews) == 15
    logs = [abs(np.log(r.error)) for r in reviews]
    assert logs == sorted(logs, reverse=True)
    w = np.array(ahp.priorities(WANG_CHIN))
    for r in reviews:
        assert r.given == pytest.approx(WANG_CHIN[r.i][r.j])
        assert r.consistent_value == pytest.approx(w[r.i] / w[r.j])
        assert r.error == pytest.approx(r.given / r.consistent_value)
        assert r.suggested == ahp_review.nearest_scale_value(r.consistent_value)
    assert len(ahp_review.judgments_to_review(WANG_CHIN, top=3)) == 3


def test_inconsistent_triads_koczkodaj():
    # a_13 should be a_12 * a_23 = 6: given 2, ratio r = 2/6 = 1/3, Koczkodaj index 1 - 1/3
    a = [[1, 2, 2], [1 / 2, 1, 3], [1 / 2, 1 / 3, 1]]
    triads = ahp_review.inconsistent_triads(a)
    assert len(triads) == 1 and (triads[0].i, triads[0].j, triads[0].k) == (0, 1, 2)
    assert triads[0].ratio == pytest.approx(1 / 3) and triads[0].index == pytest.approx(2 / 3)
    assert ahp_review.koczkodaj_index(a) == pytest.approx(2 / 3)
    assert ahp_review.koczkodaj_index([[1, 2], [0.5, 1]]) == 0.0
    worst = ahp_review.inconsistent_triads(WANG_CHIN, top=1)[0]
    assert (worst.i, worst.j, worst.k) == (1, 3, 4) and worst.index == pytest.approx(1 - 1 / 15)


def test_repair_brings_wang_chin_below_threshold_and_leaves_input_untouched():
    original = np.array(WANG_CHIN)
    before = original.copy()
    rep = ahp_review.propose_repair(original, ri_table="saaty_1980", threshold=0.1)
    np.testing.assert_array_equal(original, before)  # never modifies its input
    assert rep.cr_before == pytest.approx(ahp.consistency(before).cr)
    assert rep.consistent and rep.cr_after < 0.1
    assert rep.cr_after == pytest.approx(ahp.consistency(rep.matrix).cr)
    assert 1 <= len(rep.steps) <= 15
    scale = set(np.round(ahp.SAATY_SCALE, 12))
    for s in rep.steps:
        assert round(s.new, 12) in scale and s.new != s.old
        assert rep.matrix[s.j, s.i] == pytest.approx(1 / rep.matrix[s.i, s.j])
    assert rep.steps[-1].cr_after == rep.cr_after
    # unchanged pairs keep their values
    changed = {(s.i, s.j) for s in rep.steps}
    for i in range(6):
        for j in range(i + 1, 6):
            if (i, j) not in changed:
                assert rep.matrix[i, j] == before[i, j]


@pytest.mark.parametrize("name", list(RI_REFERENCE))
def test_repair_under_every_table_and_continuous(name):
    rep = ahp_review.propose_repair(WANG_CHIN, ri_table=name, scale="continuous")
    assert rep.consistent and rep.cr_after <= 0.1


def test_repair_respects_max_steps_and_consistent_input():
    rep = ahp_review.propose_repair(WANG_CHIN, max_steps=1)
    assert len(rep.steps) == 1 and not rep.consistent
    ok = ahp_review.propose_repair(DRINKS)
    assert ok.steps == () and ok.consistent and ok.cr_after == ok.cr_before


# --------------------------------------------------------------------------- incomplete
def test_harker_matrix_diagonal_counts_missing_entries():
    a = np.array([[1, 2, np.nan], [1 / 2, 1, 3], [np.nan, 1 / 3, 1]])
    c = ahp.harker_matrix(a)
    assert c.tolist() == [[2, 2, 0], [0.5, 1, 3], [0, 1 / 3, 2]]


def test_completion_of_a_consistent_partial_matrix_is_exact():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    full = w[:, None] / w[None, :]
    part = full.copy()
    part[0, 3] = part[3, 0] = np.nan
    part[1, 3] = 0.0  # 0 also marks a missing judgment ...
    part[3, 1] = 0.0
    for method, name in (("eigenvector", "harker_1987"), ("geometric", "llsm")):
        comp = ahp.complete(part, method)
        assert comp.method == name
        np.testing.assert_allclose(comp.weights, w, atol=1e-12)
        np.testing.assert_allclose(comp.matrix, full, rtol=1e-12)
        assert [(i, j) for i, j, _ in comp.inferred] == [(0, 3), (1, 3)]
        assert comp.inferred[0][2] == pytest.approx(4.0)
        np.testing.assert_allclose(ahp.priorities(part, method), w, atol=1e-12)


def test_one_sided_judgment_is_read_as_reciprocal():
    a = np.array([[1, 3, np.nan], [np.nan, 1, 2], [1 / 6, np.nan, 1]])
    assert not ahp.missing_mask(a).any()
    assert ahp.priorities(a) == pytest.approx(ahp.priorities([[1, 3, 6], [1 / 3, 1, 2], [1 / 6, 1 / 2, 1]]))


def test_llsm_is_the_geometric_mean_on_complete_matrices():
    np.testing.assert_allclose(ahp.llsm_priorities(DRINKS), ahp.priorities(DRINKS, "geometric"), atol=1e-14)


def test_incomplete_consistency_uses_the_completed_matrix():
    a = np.array(WANG_CHIN)
    a[0, 5] = a[5, 0] = np.nan
    c = ahp.consistency(a)
    comp = ahp.complete(a)
    assert c.lambda_max == pytest.approx(ahp.principal_eigen(comp.matrix)[0])
    np.testing.assert_allclose(c.weights, comp.weights)
    # reviews list only given judgments
    assert all((r.i, r.j) != (0, 5) for r in ahp_review.judgments_to_review(a))
    rep = ahp_review.propose_repair(a)
    assert np.isnan(rep.matrix[0, 5]) and rep.consistent


def test_disconnected_graph_is_refused():
    a = np.full((4, 4), np.nan)
    np.fill_diagonal(a, 1)
    a[0, 1], a[1, 0], a[2, 3], a[3, 2] = 2, 0.5, 3, 1 / 3
    assert ahp.connected_components(a) == [[0, 1], [2, 3]]
    for method in ("eigenvector", "geometric"):
        with pytest.raises(JudgmentError, match=r"not connected: \[0, 1\] \| \[2, 3\]"):
            ahp.complete(a, method)


# --------------------------------------------------------------------------- groups
def test_aij_is_the_weighted_geometric_mean():
    a = np.array([[1, 2], [1 / 2, 1]])
    b = np.array([[1, 8], [1 / 8, 1]])
    assert ahp_group.aggregate_judgments([a, b])[0, 1] == pytest.approx(4.0)
    # weights 3:1 -> 2^0.75 * 8^0.25 = 2^1.5
    assert ahp_group.aggregate_judgments([a, b], [3, 1])[0, 1] == pytest.approx(2 ** 1.5)
    c = np.array([[1, np.nan], [np.nan, 1]])
    assert ahp_group.aggregate_judgments([a, c])[0, 1] == pytest.approx(2.0)  # only the judge who gave it


def test_aip_means():
    ws = np.array([[0.6, 0.4], [0.2, 0.8]])
    np.testing.assert_allclose(ahp_group.aggregate_priorities(ws), [0.4, 0.6])
    g = np.sqrt(ws[0] * ws[1])
    np.testing.assert_allclose(ahp_group.aggregate_priorities(ws, mean="geometric"), g / g.sum())
    np.testing.assert_allclose(ahp_group.aggregate_priorities(ws, [1, 3]), [0.3, 0.7])
    with pytest.raises(JudgmentError, match="unknown mean"):
        ahp_group.aggregate_priorities(ws, mean="median")


def test_consensus_indicator_goepel():
    same = np.array([[0.5, 0.3, 0.2]] * 3)
    assert ahp_group.consensus_indicator(same) == pytest.approx(1.0)
    # hand computation of Goepel's S* for two judges on n = 2 (scale max M = 9):
    ws = np.array([[0.9, 0.1], [0.1, 0.9]])
    h = lambda p: -np.sum(p * np.log(p))  # noqa: E731
    h_alpha, h_gamma = h(ws[0]), h(np.array([0.5, 0.5]))
    m = np.exp(-(h_gamma - h_alpha))
    c = np.exp(h(np.array([9, 1]) / 10)) / 2
    assert ahp_group.consensus_indicator(ws) == pytest.approx((m - c) / (1 - c))
    assert ahp_group.consensus_indicator(ws) < ahp_group.consensus_indicator(np.array([[0.6, 0.4], [0.5, 0.5]]))


def test_disagreements_sorted_by_log_spread():
    a = np.array([[1, 2, 3], [1 / 2, 1, 1], [1 / 3, 1, 1]])
    b = np.array([[1, 2, 1 / 3], [1 / 2, 1, 4], [3, 1 / 4, 1]])
    d = ahp_group.disagreements([a, b])
    assert [(x.i, x.j) for x in d] == [(0, 2), (1, 2)]  # (0, 1) agrees and is left out
    assert d[0].log_sd == pytest.approx(np.log(3))  # ln 3 and -ln 3 around 0
    assert d[0].values == (3.0, pytest.approx(1 / 3))


def test_group_input_errors():
    with pytest.raises(JudgmentError, match="no judges given"):
        ahp_group.aggregate_judgments([])
    with pytest.raises(JudgmentError, match="differ in size"):
        ahp_group.aggregate_judgments([np.eye(2), np.eye(3)])
    with pytest.raises(JudgmentError, match="judge weights must be positive"):
        ahp_group.aggregate_judgments([np.eye(2), np.eye(2)], [1, 0])
    with pytest.raises(JudgmentError, match="judge weights have the wrong length"):
        ahp_group.aggregate_judgments([np.eye(2), np.eye(2)], [1, 2, 3])


# --------------------------------------------------------------------------- hierarchy
def test_global_weights_multiply_down_the_tree():
    local = {"root": {"commercial": 0.6, "delivery": 0.4},
             "commercial": {"size": 0.75, "strategic": 0.25},
             "delivery": {"risk": 0.5, "effort": 0.5}}
    g = ahp_group.global_weights(local, "root")
    assert g == pytest.approx({"size": 0.45, "strategic": 0.15, "risk": 0.2, "effort": 0.2})
    assert list(g) == ["size", "strategic", "risk", "effort"]
    assert sum(g.values()) == pytest.approx(1.0)
    full = ahp_group.global_weights(local, "root", include_internal=True)
    assert full["commercial"] == pytest.approx(0.6)


def test_global_weights_errors():
    with pytest.raises(JudgmentError, match="do not sum to 1"):
        ahp_group.global_weights({"r": {"a": 0.5, "b": 0.4}}, "r")
    with pytest.raises(JudgmentError, match="cycle"):
        ahp_group.global_weights({"r": {"a": 1.0}, "a": {"r": 1.0}}, "r")
    with pytest.raises(JudgmentError, match="root of the hierarchy"):
        ahp_group.global_weights({"r": {"a": 1.0}}, "x")


# --------------------------------------------------------------------------- ratings and relative modes
def test_linear_level_priorities_default():
    assert ahp_ratings.linear_level_priorities(5).tolist() == [0.2, 0.4, 0.6, 0.8, 1.0]
    with pytest.raises(JudgmentError, match="positive integer"):
        ahp_ratings.linear_level_priorities(0)


def test_ratings_scores_sum_of_weighted_ideal_level_priorities():
    # Saaty (1986/2008) ratings: score = sum_j w_j p_j[level]
    levels = np.array([[4, 0], [2, 3], [0, 4]])
    p = [ahp_ratings.linear_level_priorities(5), np.array([1, 2, 4, 6, 8])]  # second one not yet ideal
    w = np.array([0.7, 0.3])
    scores = ahp_ratings.ratings_scores(levels, p, w)
    assert scores == pytest.approx([0.7 * 1 + 0.3 * 1 / 8, 0.7 * 0.6 + 0.3 * 6 / 8, 0.7 * 0.2 + 0.3 * 1])
    batch = ahp_ratings.ratings_scores(levels, p, np.array([w, [0.5, 0.5]]))
    assert batch.shape == (2, 3) and batch[0] == pytest.approx(scores)
    with pytest.raises(JudgmentError, match=r"level index out of range at row 1, criterion 0 \(got 7\)"):
        ahp_ratings.ratings_scores([[0, 0], [7, 0]], p, w)
    with pytest.raises(JudgmentError, match="do not sum to 1"):
        ahp_ratings.ratings_scores(levels, p, [0.7, 0.7])
    with pytest.raises(JudgmentError, match="one level-priority vector per criterion"):
        ahp_ratings.ratings_scores(levels, p[:1], w)


def test_relative_scores_distributive_and_ideal():
    m1 = [[1, 3], [1 / 3, 1]]  # local priorities 0.75, 0.25
    m2 = [[1, 1 / 4], [4, 1]]  # 0.2, 0.8
    w = [0.6, 0.4]
    assert ahp_ratings.relative_scores([m1, m2], w) == pytest.approx([0.6 * 0.75 + 0.4 * 0.2, 0.6 * 0.25 + 0.4 * 0.8])
    ideal = ahp_ratings.relative_scores([m1, m2], w, mode="ideal")
    assert ideal == pytest.approx([0.6 * 1 + 0.4 * 0.25, 0.6 * 1 / 3 + 0.4 * 1])
    np.testing.assert_allclose(ahp_ratings.local_priorities([m1, m2]), [[0.75, 0.25], [0.2, 0.8]])


# --------------------------------------------------------------------------- core input errors
@pytest.mark.parametrize("matrix, message", [
    ([[1, 2, 3], [1 / 2, 1, 4]], "wrong shape"),
    ([[1, -2], [-0.5, 1]], r"entry pair \(0, 1\) is not a positive finite number \(got -2.0\)"),
    ([[1, np.inf], [0, 1]], "not a positive finite number"),
    ([[2, 2], [0.5, 1]], r"diagonal entry pair \(0, 0\) is not 1 \(got 2.0\)"),
    ([[1, 2], [2, 1]], r"not reciprocal at pair \(0, 1\) and pair \(1, 0\) \(got \(2.0, 2.0\)\)"),
    ([["a", 2], [0.5, 1]], "not numeric"),
])
def test_core_rejects_bad_matrices(matrix, message):
    with pytest.raises(JudgmentError, match=message):
        ahp.priorities(matrix)


def test_core_rejects_unknown_method_and_incomplete_batches():
    with pytest.raises(JudgmentError, match="unknown priority method.*'eigenvector' or 'geometric'"):
        ahp.priorities(DRINKS, "mean")
    stack = np.stack([np.array(DRINKS)] * 2)
    stack[1, 0, 1] = stack[1, 1, 0] = np.nan
    with pytest.raises(JudgmentError, match="incomplete matrices are not batched"):
        ahp.priorities(stack)
    with pytest.raises(JudgmentError, match="missing entry"):
        ahp.lambda_max(stack[1])
    with pytest.raises(JudgmentError, match="weights have the wrong length"):
        ahp_review.judgment_errors(DRINKS, [0.5, 0.5])
