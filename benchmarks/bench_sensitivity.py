"""Benchmark of the batched SMAA-2 (mcda_qualify.sensitivity.smaa2) against the same SMAA written as a
loop over pymcdm's TOPSIS, one weight vector at a time.

    python benchmarks/bench_sensitivity.py [--quick]

One process. Ours is timed after one warm-up run (best and median of several runs); the loop does the
same work per sample (pymcdm TOPSIS with vector normalisation, a stable argsort, the acceptability
counts and the first-rank weight sums). For the large case the loop runs on a subset of the samples
and its time is extrapolated linearly (the output says so). Both give the same acceptability counts on
the same weight samples, which the script checks. Peak memory: tracemalloc's peak of the traced
allocations (numpy's included) during one extra run of ours, and the process's peak resident set size.

On this machine OPENBLAS_CORETYPE may be set; to time with it unset:
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/bench_sensitivity.py
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pymcdm.methods import TOPSIS  # noqa: E402
from pymcdm.normalizations import vector_normalization  # noqa: E402

from mcda_qualify.core import smaa, weight_models  # noqa: E402


def problem(n: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 100.0, size=(n, m))
    types = np.where(np.arange(m) % 3 == 2, -1, 1)
    return x, types


def ours(x: np.ndarray, types: np.ndarray, k: int, seed: int, scores: weight_models.ScoreRanges | None = None) -> smaa.SMAAResult:
    return smaa.smaa2(x, types, samples=k, seed=seed, scores=scores)


def timed(fn, repeat: int) -> tuple[float, float, object]:
    out = fn()  # warm-up (thread pool, BLAS, page faults)
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), statistics.median(ts), out


def pymcdm_loop(x: np.ndarray, types: np.ndarray, weights: np.ndarray) -> tuple[float, np.ndarray]:
    """The same SMAA as a Python loop over pymcdm: seconds and acceptability counts."""
    n = x.shape[0]
    body = TOPSIS(normalization_function=vector_normalization)
    counts = np.zeros((n, n), dtype=np.int64)
    cw = np.zeros((n, x.shape[1]))
    cols = np.arange(n)
    t0 = time.perf_counter()
    for w in weights:
        p = body(x, w, types, validation=False)
        order = np.argsort(-p, kind="stable")
        counts[order, cols] += 1
        cw[order[0]] += w
    return time.perf_counter() - t0, counts


def peak_traced(fn) -> float:
    smaa.release_scratch()  # count the scratch buffers too: allocate them under tracing
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and a smaller loop subset")
    args = ap.parse_args()
    quick = args.quick
    load = os.getloadavg()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE', '(unset)')} "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '(unset)')}")
    rows = []

    # 1. 10,000 samples x 50 opportunities x 10 criteria: the loop runs every sample
    k, n, m = 10_000, 50, 10
    x, types = problem(n, m, 1)
    best, med, res = timed(lambda: ours(x, types, k, 1), 5 if quick else 20)
    sub = 2_000 if quick else k
    w = smaa.draw_weights(weight_models.UniformWeights(), sub, m, 1)
    loop_s, counts = pymcdm_loop(x, types, w)
    same = np.array_equal(counts, res.counts if sub == k else ours(x, types, sub, 1).counts)
    loop_full = loop_s * k / sub
    note = "loop: all samples" if sub == k else f"loop: {sub:,} samples, x{k // sub} extrapolated"
    rows.append((f"{k:,} x {n} x {m}", best, med, loop_full, note, same))
    peak_small = peak_traced(lambda: ours(x, types, k, 1))

    # 2. the same with every cell uncertain (per-sample normalisation, 3-D batches); ours only
    sr = weight_models.ScoreRanges(x, x * 0.9, x * 1.1, x)
    best_u, med_u, _ = timed(lambda: ours(x, types, k, 2, sr), 2 if quick else 5)
    rows.append((f"{k:,} x {n} x {m}, score ranges", best_u, med_u, None, "triangular cells, confidence pass", None))

    # 3. 100,000 samples x 1,000 opportunities x 10 criteria, full 1000 x 1000 acceptability matrix
    k, n, m = 100_000, 1_000, 10
    x, types = problem(n, m, 3)
    best_b, med_b, res_b = timed(lambda: ours(x, types, k, 3), 1 if quick else 3)
    sub = 200 if quick else 1_000
    w = smaa.draw_weights(weight_models.UniformWeights(), sub, m, 3)
    loop_s, counts = pymcdm_loop(x, types, w)
    same_b = np.array_equal(counts, ours(x, types, sub, 3).counts)
    rows.append((f"{k:,} x {n:,} x {m}", best_b, med_b, loop_s * k / sub,
                 f"loop: {sub:,} samples, x{k // sub} extrapolated", same_b))
    peak_big = peak_traced(lambda: ours(x, types, k, 3))
    assert res_b.acceptability.shape == (n, n)

    print()
    print(f"{'case (samples x opportunities x criteria)':<44}{'ours best':>11}{'median':>10}{'pymcdm loop':>13}"
          f"{'ratio':>9}  {'same counts':<12}note")
    for name, b, md, lp, note, eq in rows:
        ratio = f"{lp / b:,.0f}x" if lp else "-"
        loop_txt = f"{lp * 1e3:,.0f} ms" if lp else "-"
        eq_txt = "-" if eq is None else ("yes" if eq else "NO")
        print(f"{name:<44}{b * 1e3:>8.1f} ms{md * 1e3:>7.1f} ms{loop_txt:>13}{ratio:>9}  {eq_txt:<12}{note}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"peak traced memory of one run (tracemalloc): {peak_small:,.1f} MiB (10,000 x 50 x 10), "
          f"{peak_big:,.1f} MiB (100,000 x 1,000 x 10)")
    print(f"peak resident set size of this whole process (getrusage): {rss:,.0f} MiB")
    print("targets: 10,000 x 50 x 10 < 20 ms and >= 100x the loop; 100,000 x 1,000 x 10 < 2 s and < 1 GB")
    tie_rule_cost(quick)
    top_r_child(quick)


def tie_rule_cost(quick: bool) -> None:
    """The full mode with the tie rule of core.ties (issue 13) against the same run with the tie step
    switched off (ties only between bit-equal scores, by input order: the behaviour before issue 13),
    interleaved run by run so that both see the same machine. Issue 12: unchanged for N <= 1,000."""
    plain = smaa._Plan.break_ties
    off = lambda self, keys: keys  # noqa: E731

    def run(x, types, k, tie_step):
        smaa._Plan.break_ties = plain if tie_step else off
        try:
            t0 = time.perf_counter()
            ours(x, types, k, 1)
            return time.perf_counter() - t0
        finally:
            smaa._Plan.break_ties = plain

    print()
    print("full mode, the tie rule's cost (best of interleaved runs):")
    print(f"{'samples x opportunities x criteria':<38}{'with tie rule':>15}{'without':>11}{'ratio':>8}")
    for k, n, m in [(10_000, 14, 9), (10_000, 50, 10), (10_000, 200, 10), (2_000, 1_000, 10)]:
        x, types = problem(n, m, 4)
        run(x, types, k, True), run(x, types, k, False)  # warm-up
        with_, without = [], []
        for _ in range(5 if quick else 25):
            with_.append(run(x, types, k, True))
            without.append(run(x, types, k, False))
        a, b = min(with_), min(without)
        print(f"{f'{k:,} x {n:,} x {m}':<38}{a * 1e3:>12.2f} ms{b * 1e3:>8.2f} ms{a / b:>7.2f}x")


TOP_R_CHILD = """
import sys, time
import numpy as np
from mcda_qualify.core.smaa_topr import smaa2_topr
n, k, r = (int(a) for a in sys.argv[1:4])
rng = np.random.default_rng(0)
x = rng.uniform(1.0, 100.0, size=(n, 12))
types = np.where(np.arange(12) % 3 == 2, -1, 1)
t0 = time.perf_counter()
res = smaa2_topr(x, types, r, samples=k, seed=1)
dt = time.perf_counter() - t0
assert (res.counts.sum(axis=0) == k).all()
# VmHWM: this process's own peak (ru_maxrss would include the parent's pages at fork)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(f"{dt:.3f} {hwm / 1024:.0f}")
"""


def top_r_child(quick: bool) -> None:
    """SMAA-2 top-r mode at 50,000 opportunities in a fresh process: its time and peak resident set
    (the full mode would need 50,000^2 x 8 bytes = 20 GB for the counts alone)."""
    import subprocess

    n, k, r = 50_000, (2_000 if quick else 10_000), 3
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1]) + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", TOP_R_CHILD, str(n), str(k), str(r)], capture_output=True, text=True,
                         check=True, env=env).stdout.split()
    print(f"SMAA-2 top-{r} mode, {k:,} samples x {n:,} opportunities x 12 criteria: {float(out[0]):.1f} s, "
          f"peak resident set {float(out[1]):,.0f} MiB (target: within 4 GB; memory N x r, not N^2)")


if __name__ == "__main__":
    main()
