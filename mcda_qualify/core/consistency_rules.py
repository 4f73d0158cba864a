"""Consistency thresholds and one verdict rule for Saaty's CR and the geometric consistency index (GCI).

GCI thresholds: Aguaron, J., & Moreno-Jimenez, J. M. (2003). The geometric consistency index:
approximated thresholds. European Journal of Operational Research 147(1), 137-145 -- unrounded
0.3147 (n = 3), 0.3526 (n = 4), 0.370 (n > 4) (often quoted rounded as 0.31 / 0.35 / 0.37).

How the two thresholds correspond (derived here and checked in tests/test_core_consistency_rules.py):
for a matrix a_ij = (w_i / w_j) exp(e_ij) with small log-errors e_ij (row-geometric-mean residuals),
lambda_max - n ~= (1/n) sum_{i<j} e_ij^2 and GCI = 2/((n-1)(n-2)) sum_{i<j} e_ij^2, hence

    GCI ~= 2n/(n-2) * CI = 2n/(n-2) * RI(n) * CR          (exact for n = 3 to first order in e).

With Alonso & Lamata's (2006) RI (0.5245, 0.8815, 1.1086) and CR = 0.10 this gives 0.3147 (n=3),
0.3526 (n=4) and 0.3695 (n=5) -- the published GCI thresholds. So the unrounded thresholds are the
GCI images of CR = 0.10 for every n, NOT of Saaty's (1994) size-dependent CR limits 0.05 / 0.08,
whose GCI images would be 0.1573 (n=3) and 0.2821 (n=4). Consequences for the verdicts:
* CR <= 0.10 with the Alonso-Lamata RI and GCI <= gci_threshold(n) agree except within the
  first-order error (a thin band around the threshold); for n = 3 the relation is exact,
  CR = (cosh(sqrt(GCI/3)) - 1) / RI(3), and the matrix at GCI = 0.3147 has CR = 0.1009, so the
  verdicts differ only for 0.10 < CR <= 0.1009.
* With Saaty's (1980) RI (0.58, 0.90) the GCI threshold matches CR ~= 0.0904 (n=3; exactly 0.0912)
  and 0.0979 (n=4); matrices with CR between those and 0.10 pass CR but fail GCI.
* With the ``"saaty_1994"`` CR rule (0.05 / 0.08) matrices with CR in (0.05, ~0.10] (n=3) or
  (0.08, ~0.10] (n=4) fail CR but pass GCI.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mcda_qualify.errors import JudgmentError

__all__ = [
    "GCI_THRESHOLDS_UNROUNDED",
    "GCI_THRESHOLD_LARGE",
    "Verdict",
    "consistency_verdict",
    "gci_per_cr",
    "gci_threshold",
]

#: Aguaron & Moreno-Jimenez (2003), EJOR 147, 137-145: GCI thresholds by n, unrounded.
GCI_THRESHOLDS_UNROUNDED: dict[int, float] = {3: 0.3147, 4: 0.3526}
GCI_THRESHOLD_LARGE = 0.370


@dataclass(frozen=True)
class Verdict:
    """A consistency verdict and what decided it.

    ``decided_by`` is ``"cr"``, ``"gci"`` or ``"n<=2"`` (a matrix of size <= 2 is always consistent);
    ``value`` / ``threshold`` are the deciding index and its limit. When both indices are given,
    ``other`` names the one that did not decide, ``other_consistent`` its verdict and ``agree``
    whether the two verdicts coincide (None when only one index was given).
    """

    consistent: bool
    decided_by: str
    value: float | None
    threshold: float | None
    rule: str
    other: str | None = None
    other_consistent: bool | None = None
    agree: bool | None = None


def gci_threshold(n: int) -> float | None:
    """Unrounded GCI threshold (Aguaron & Moreno-Jimenez 2003): 0.3147 (n=3), 0.3526 (n=4), 0.370 (n>4).

    None for n < 3 (a matrix of size 1 or 2 is always consistent; GCI is 0).
    """
    if int(n) != n or n < 1:
        raise JudgmentError("n: matrix size must be a positive integer", value=n, expected="n >= 1")
    if n < 3:
        return None
    return GCI_THRESHOLDS_UNROUNDED.get(int(n), GCI_THRESHOLD_LARGE)


def gci_per_cr(n: int, ri: float) -> float:
    """First-order factor k with GCI ~= k * CR: k = 2n/(n-2) * RI(n) (derivation in the module docstring)."""
    if int(n) != n or n < 3:
        raise JudgmentError("n: the GCI-CR relation needs n >= 3", value=n, expected="n >= 3")
    if not np.isfinite(ri) or ri <= 0:
        raise JudgmentError("ri: random index must be positive", value=ri, expected="RI(n) > 0")
    return 2.0 * n / (n - 2) * float(ri)


def _cr_limit(n: int, cr_threshold: float | str) -> float:
    if isinstance(cr_threshold, str):
        if cr_threshold == "flat":
            return 0.1
        if cr_threshold == "saaty_1994":
            return 0.05 if n <= 3 else (0.08 if n == 4 else 0.10)
        raise JudgmentError("cr_threshold: unknown CR threshold rule", value=cr_threshold,
                            expected="a number > 0, 'flat' or 'saaty_1994'")
    t = float(cr_threshold)
    if not np.isfinite(t) or t <= 0:
        raise JudgmentError("cr_threshold: must be a positive number", value=cr_threshold, expected="> 0")
    return t


def _index(name: str, x: float | None) -> float | None:
    if x is None:
        return None
    v = float(x)
    if not np.isfinite(v) or v < -1e-12:
        raise JudgmentError(f"{name}: must be a finite number >= 0", value=x, expected=">= 0")
    return max(v, 0.0)


def consistency_verdict(cr: float | None = None, gci: float | None = None, *, n: int,
                        cr_threshold: float | str = 0.1) -> Verdict:
    """One verdict rule for CR and GCI: the CR decides when given, otherwise the GCI.

    * n <= 2: consistent (decided_by ``"n<=2"``).
    * ``cr`` given: consistent iff CR <= the CR limit -- a number (default 0.1, Saaty 1980), ``"flat"``
      (0.1) or ``"saaty_1994"`` (0.05 n=3, 0.08 n=4, 0.10 n>4; Saaty, T. L. (1994). Fundamentals of
      Decision Making and Priority Theory with the AHP. RWS Publications). A GCI given as well is
      judged against :func:`gci_threshold` and reported as ``other`` with ``agree``.
    * only ``gci`` given: consistent iff GCI <= :func:`gci_threshold` (n) (Aguaron & Moreno-Jimenez 2003).
    Where the two can disagree is explained in the module docstring (the GCI thresholds are the
    first-order images of CR = 0.10 under Alonso & Lamata's RI).
    """
    if int(n) != n or n < 1:
        raise JudgmentError("n: matrix size must be a positive integer", value=n, expected="n >= 1")
    n = int(n)
    crv, gv = _index("cr", cr), _index("gci", gci)
    if crv is None and gv is None:
        raise JudgmentError("consistency_verdict needs cr or gci", expected="a CR and/or a GCI value")
    if n <= 2:
        return Verdict(consistent=True, decided_by="n<=2", value=None, threshold=None,
                       rule="a matrix of size <= 2 is always consistent")
    g_thr = gci_threshold(n)
    if crv is not None:
        limit = _cr_limit(n, cr_threshold)
        ok = crv <= limit
        rule = f"CR <= {limit:g}" + (f" ({cr_threshold})" if isinstance(cr_threshold, str) else "")
        if gv is None:
            return Verdict(consistent=bool(ok), decided_by="cr", value=crv, threshold=limit, rule=rule)
        g_ok = bool(gv <= g_thr)
        return Verdict(consistent=bool(ok), decided_by="cr", value=crv, threshold=limit, rule=rule,
                       other="gci", other_consistent=g_ok, agree=bool(ok) == g_ok)
    return Verdict(consistent=bool(gv <= g_thr), decided_by="gci", value=gv, threshold=g_thr,
                   rule=f"GCI <= {g_thr:g} (Aguaron & Moreno-Jimenez 2003, n = {n})")
