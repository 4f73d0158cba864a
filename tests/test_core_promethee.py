"""PROMETHEE II (Brans & Vincke 1985) with per-criterion preference functions."""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from mcda_qualify.core.promethee import PREFERENCE_FUNCTIONS, criterion_flows, preference, promethee_flows, promethee_ii

_PYD = {"usual": "t1", "u-shape": "t2", "v-shape": "t3", "level": "t4", "linear": "t5", "gaussian": "t6"}


def test_six_generalised_criteria_at_their_breakpoints():
    """Brans & Vincke (1985), Management Science 31(6), 647-656, the six generalised criteria
    (types I-VI), evaluated at and around q = 1, p = 3, s = 2."""
    d = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0, 4.0])
    kw = dict(q=1.0, p=3.0, s=2.0)
    np.testing.assert_allclose(preference(d, "usual", **kw), [0, 0, 1, 1, 1, 1, 1])
    np.testing.assert_allclose(preference(d, "u-shape", **kw), [0, 0, 0, 0, 1, 1, 1])
    np.testing.assert_allclose(preference(d, "v-shape", **kw), [0, 0, 1 / 6, 1 / 3, 2 / 3, 1, 1])
    np.testing.assert_allclose(preference(d, "level", **kw), [0, 0, 0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(preference(d, "linear", **kw), [0, 0, 0, 0, 0.5, 1, 1])
    g = 1 - np.exp(-d**2 / 8)
    np.testing.assert_allclose(preference(d, "gaussian", **kw), np.where(d > 0, g, 0))


def test_hand_worked_three_alternatives_mixed_functions():
    """Worked by hand from the definitions (no published table with per-criterion functions was
    found in the sources reachable here; see the report). a = (10, 4), b = (12, 9), c = (15, 5);
    criterion 1 benefit, linear q = 1, p = 4; criterion 2 cost, level q = 1, p = 3; w = (.6, .4).
    P1: a-b d=-2:0, b-a 2:(2-1)/3=1/3, a-c -5:0, c-a 5:1, b-c -3:0, c-b 3:2/3.
    P2 (cost, d = x_b - x_a): a over b 5:1, b over a 0, a over c 1:0, c over a 0, c over b 4:1, b over c 0.
    pi(a,b)=.4, pi(b,a)=.2, pi(a,c)=0, pi(c,a)=.6, pi(b,c)=0, pi(c,b)=.6*2/3+.4=.8.
    phi+ = (.4, .2, 1.4)/2, phi- = (.8, 1.2, 0)/2, phi = (-.2, -.5, .7)."""
    x = [[10.0, 4.0], [12.0, 9.0], [15.0, 5.0]]
    plus, minus, net = promethee_flows(x, [0.6, 0.4], [1, -1], ["linear", "level"], q=[1, 1], p=[4, 3])
    np.testing.assert_allclose(plus, [0.2, 0.1, 0.7])
    np.testing.assert_allclose(minus, [0.4, 0.6, 0.0])
    np.testing.assert_allclose(net, [-0.2, -0.5, 0.7])


def _random(rng, all_benefit=False):
    n, m = int(rng.integers(2, 10)), int(rng.integers(1, 6))
    x = rng.integers(0, 20, (n, m)).astype(float)  # integers: differences hit the thresholds exactly
    w = rng.uniform(0.05, 1.0, m)
    t = np.ones(m, dtype=int) if all_benefit else rng.choice([1, -1], m)
    fs = list(rng.choice(list(PREFERENCE_FUNCTIONS), m))
    q = rng.integers(0, 4, m).astype(float)
    p = q + rng.integers(1, 6, m)
    s = rng.uniform(0.5, 5.0, m)
    return x, w / w.sum(), t, fs, q, p, s


def test_matches_pydecision_on_200_random_problems():
    """pyDecision's promethee_ii (types t1..t6) treats every criterion as a benefit, so cost columns
    are passed negated; it divides pi by the weight sum, as we do. Its flows come sorted with
    1-based ids in column 0."""
    from pyDecision.algorithm import promethee_ii as pyd_promethee_ii

    rng = np.random.default_rng(1985)
    for _ in range(200):
        x, w, t, fs, q, p, s = _random(rng)
        if x.shape[0] < 2:
            continue
        ours = promethee_ii(x, w, t, fs, q=q, p=p, s=s)
        flow = pyd_promethee_ii(x * t, w, q, s, p, [_PYD[f] for f in fs], sort=False, graph=False, verbose=False)
        np.testing.assert_allclose(ours[flow[:, 0].astype(int) - 1], flow[:, 1], atol=1e-12)


@pytest.mark.parametrize("function", ["usual", "u-shape", "v-shape", "level", "linear"])
def test_matches_pymcdm_for_its_five_functions(function):
    """pymcdm's PROMETHEE_II takes one function for all criteria (names usual, ushape, vshape,
    level, vshape_2) and no Gaussian; weights passed normalised."""
    from pymcdm.methods import PROMETHEE_II

    name = {"u-shape": "ushape", "v-shape": "vshape", "linear": "vshape_2"}.get(function, function)
    rng = np.random.default_rng(647)
    for _ in range(40):
        x, w, t, _, q, p, _ = _random(rng)
        need = PREFERENCE_FUNCTIONS[function]
        kw = {k: v for k, v in (("q", q), ("p", p)) if k in need}
        theirs = PROMETHEE_II(name, **kw)(x, w, t, validation=False)
        np.testing.assert_allclose(promethee_ii(x, w, t, function, **kw), theirs, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_blocks_do_not_change_the_flows_and_batches_match(seed, block):
    x, w, t, fs, q, p, s = _random(np.random.default_rng(seed))
    whole = criterion_flows(x, t, fs, q, p, s)
    blocked = criterion_flows(x, t, fs, q, p, s, block_rows=block)
    np.testing.assert_allclose(blocked[0], whole[0], atol=1e-13)
    np.testing.assert_allclose(blocked[1], whole[1], atol=1e-13)
    net = promethee_ii(x, w, t, fs, q=q, p=p, s=s)
    assert abs(net.sum()) < 1e-12  # net flows sum to zero
    batch = promethee_ii(x, np.stack([w, w[::-1]]), t, fs, q=q, p=p, s=s)
    np.testing.assert_allclose(batch[0], net, atol=1e-14)


def test_memory_is_block_by_n_not_n_squared_by_m():
    """Issue 11: 10,000 rows must not need an (N, N, M) table. With N = 3,000 and M = 4 that table
    would be 288 MB; peak traced memory must stay under 5 blocks of BLOCK_ELEMENTS float64."""
    rng = np.random.default_rng(0)
    x = rng.random((3000, 4))
    tracemalloc.start()
    net = promethee_ii(x, [1, 1, 1, 1], [1, -1, 1, -1], ["linear", "gaussian", "level", "usual"],
                       q=[0.1, None, 0.1, None], p=[0.3, None, 0.2, None], s=[None, 0.2, None, None])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5 * 2**21 * 8
    assert net.shape == (3000,) and abs(net.sum()) < 1e-9


def test_one_alternative_has_zero_flow():
    np.testing.assert_array_equal(promethee_ii([[1.0, 2.0]], [1, 1], [1, -1]), [0.0])


@pytest.mark.parametrize(
    "kw, word",
    [
        (dict(matrix=[[1.0, np.nan], [2, 3]]), "matrix"),
        (dict(weights=[1, -1]), "weights"),
        (dict(weights=[0, 0]), "weights"),
        (dict(types=[1, -1, 1]), "types"),
        (dict(functions=["usual"]), "functions"),
        (dict(functions="sigmoid"), "functions"),
        (dict(functions="v-shape"), "p"),
        (dict(functions="u-shape"), "q"),
        (dict(functions="gaussian", s=[1.0, 0.0]), "s"),
        (dict(functions="linear", q=[2, 2], p=[1, 3]), "p"),
        (dict(functions="level", q=[1, 1, 1], p=[2, 2]), "q"),
        (dict(block_rows=0), "block_rows"),
    ],
)
def test_bad_arguments_name_the_argument(kw, word):
    args = dict(matrix=[[1.0, 2.0], [2.0, 3.0]], weights=[1, 1], types=[1, -1])
    args.update(kw)
    with pytest.raises(ValueError, match=word):
        promethee_ii(**args)
