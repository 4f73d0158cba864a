"""GCI thresholds (unrounded) and the CR/GCI verdict rule of mcda_qualify.core.consistency_rules.

Published figures copied here:
* Aguaron, J., & Moreno-Jimenez, J. M. (2003). The geometric consistency index: approximated
  thresholds. EJOR 147, 137-145: GCI thresholds 0.3147 (n=3), 0.3526 (n=4), 0.370 (n>4).
* Alonso, J. A., & Lamata, M. T. (2006). IJUFKS 14(4), 445-459: RI(3..5) = 0.5245, 0.8815, 1.1086.
* Saaty (1980): RI(3), RI(4) = 0.58, 0.90.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.core import ahp
from mcda_qualify.core.consistency_rules import (
    consistency_verdict,
    gci_per_cr,
    gci_threshold,
)

RI_AL = {3: 0.5245, 4: 0.8815, 5: 1.1086}
RI_SAATY_1980 = {3: 0.58, 4: 0.90}


def _triad(r: float) -> np.ndarray:
    """3x3 matrix a12 = a23 = 1, a13 = r: triad ratio r, the only inconsistency of a 3x3 matrix."""
    return np.array([[1.0, 1.0, r], [1.0, 1.0, 1.0], [1 / r, 1.0, 1.0]])


def _cr_gci(a: np.ndarray, table: str = "alonso_lamata_2006") -> tuple[float, float]:
    c = ahp.consistency(a, method="geometric", ri_table=table)
    return c.cr, c.gci


def test_unrounded_thresholds_as_published():
    assert gci_threshold(3) == 0.3147
    assert gci_threshold(4) == 0.3526
    for n in range(5, 16):
        assert gci_threshold(n) == 0.370
    assert gci_threshold(1) is None and gci_threshold(2) is None


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_threshold_rejects_bad_n(bad):
    with pytest.raises(ValueError, match="n"):
        gci_threshold(bad)


def test_thresholds_are_the_first_order_images_of_cr_010_under_alonso_lamata_ri():
    # GCI ~= 2n/(n-2) * RI(n) * CR; the published thresholds equal CR = 0.10 for n = 3, 4 (and ~ n = 5)
    assert gci_per_cr(3, RI_AL[3]) * 0.10 == pytest.approx(0.3147, abs=5e-5)
    assert gci_per_cr(4, RI_AL[4]) * 0.10 == pytest.approx(0.3526, abs=5e-5)
    assert gci_per_cr(5, RI_AL[5]) * 0.10 == pytest.approx(0.370, abs=1e-3)
    # ... and not the images of Saaty's (1994) 0.05 / 0.08 limits
    assert gci_per_cr(3, RI_AL[3]) * 0.05 == pytest.approx(0.1573, abs=5e-5)
    assert gci_per_cr(4, RI_AL[4]) * 0.08 == pytest.approx(0.2821, abs=5e-5)


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_first_order_relation_on_nearly_consistent_matrices(n):
    rng = np.random.default_rng(n)
    iu = np.triu_indices(n, 1)
    for _ in range(50):
        w = rng.random(n) + 0.1
        v = w[iu[0]] / w[iu[1]] * np.exp(rng.normal(0, 0.02, iu[0].size))
        a = np.ones((n, n))
        a[iu], a[iu[1], iu[0]] = v, 1 / v
        cr, gci = _cr_gci(a)
        assert gci == pytest.approx(gci_per_cr(n, ahp.random_index(n, "alonso_lamata_2006")) * cr, rel=5e-3)


def test_n3_exact_relation_and_where_cr_and_gci_can_disagree():
    # n = 3: GCI = (ln r)^2 / 3 and CR = (cosh(ln r / 3) - 1) / RI(3), exactly
    for r in (1.5, 2.0, 3.0, 5.0, 9.0):
        cr, gci = _cr_gci(_triad(r))
        assert gci == pytest.approx(np.log(r) ** 2 / 3, rel=1e-12)
        assert cr == pytest.approx((np.cosh(np.log(r) / 3) - 1) / RI_AL[3], rel=1e-9)
    # the matrix AT the GCI threshold: its exact CR is 0.1009 (Alonso-Lamata RI), 0.0912 (Saaty 1980 RI)
    r_star = np.exp(np.sqrt(3 * 0.3147))
    cr_al, gci = _cr_gci(_triad(r_star))
    assert gci == pytest.approx(0.3147, rel=1e-12)
    assert cr_al == pytest.approx(0.1009, abs=5e-5)
    cr_s, _ = _cr_gci(_triad(r_star), "saaty_1980")
    assert cr_s == pytest.approx(0.0912, abs=5e-5)
    # a grid through the threshold: CR (flat 0.1, Alonso-Lamata RI) and GCI disagree only for CR in (0.1, 0.1009]
    for r in np.exp(np.linspace(0.5, 1.5, 401)):
        cr, gci = _cr_gci(_triad(r))
        v = consistency_verdict(cr, gci, n=3)
        if not v.agree:
            assert 0.1 < cr <= 0.101 and gci <= 0.3147


def test_n4_cr_and_gci_verdicts_agree_except_near_the_threshold():
    rng = np.random.default_rng(4)
    n, iu = 4, np.triu_indices(4, 1)
    crs, disagree = [], []
    for s in np.linspace(0.2, 0.6, 300):
        w = rng.random(n) + 0.1
        v = w[iu[0]] / w[iu[1]] * np.exp(rng.normal(0, s, iu[0].size))
        a = np.ones((n, n))
        a[iu], a[iu[1], iu[0]] = v, 1 / v
        cr, gci = _cr_gci(a)
        crs.append(cr)
        if not consistency_verdict(cr, gci, n=n).agree:
            disagree.append(cr)
    assert min(crs) < 0.05 and max(crs) > 0.2  # the sample straddles the threshold
    assert len(disagree) <= 0.03 * len(crs)
    assert all(abs(c - 0.1) < 0.01 for c in disagree)


def test_saaty_1994_limits_disagree_with_the_gci_below_cr_010():
    # n = 3 matrix with CR = 0.07: fails Saaty's (1994) 0.05 but passes the GCI 0.3147
    r = np.exp(3 * np.arccosh(1 + 0.07 * RI_AL[3]))
    cr, gci = _cr_gci(_triad(r))
    assert cr == pytest.approx(0.07, rel=1e-9)
    v = consistency_verdict(cr, gci, n=3, cr_threshold="saaty_1994")
    assert v.decided_by == "cr" and v.threshold == 0.05 and not v.consistent
    assert v.other == "gci" and v.other_consistent and v.agree is False


def test_rule_cr_decides_when_given_else_gci():
    v = consistency_verdict(0.12, 0.2, n=5)
    assert (v.consistent, v.decided_by, v.value, v.threshold) == (False, "cr", 0.12, 0.1)
    assert v.other_consistent is True and v.agree is False
    g = consistency_verdict(gci=0.36, n=4)
    assert (g.consistent, g.decided_by, g.threshold, g.agree) == (False, "gci", 0.3526, None)
    assert consistency_verdict(gci=0.36, n=5).consistent
    assert consistency_verdict(cr=0.08, n=4, cr_threshold="saaty_1994").consistent
    t = consistency_verdict(cr=5.0, n=2)
    assert t.consistent and t.decided_by == "n<=2"


def test_rule_errors_name_the_argument():
    with pytest.raises(ValueError, match="cr or gci"):
        consistency_verdict(n=4)
    with pytest.raises(ValueError, match="cr_threshold"):
        consistency_verdict(0.1, n=4, cr_threshold="strict")
    with pytest.raises(ValueError, match="gci"):
        consistency_verdict(gci=float("nan"), n=4)
    with pytest.raises(ValueError, match="n"):
        consistency_verdict(0.1, n=0)


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0.0, max_value=2.5))
def test_n3_verdicts_agree_outside_the_band(log_r):
    cr, gci = _cr_gci(_triad(float(np.exp(log_r))))
    v = consistency_verdict(cr, gci, n=3)
    assert v.agree or 0.1 < cr <= 0.101
