"""Rank-reversal points, stability intervals and critical criteria: the closed form of the package
(mcda_qualify.core.reversal -> core.exact_reversal) against the former grid search with Brent's method
(benchmarks/grid_reversal.py, 2,001 points), side by side, with ratios.

    python benchmarks/bench_reversal.py [--quick]

Problems: synthetic pipelines in the case study's format (benchmarks/scale_data.py), TOPSIS with
vector normalisation, 12 criteria. The grid search is timed on a few criteria and scaled to all 12
(criteria are independent); at 1,000 rows it is not run (about N^2 x 100 slower) but extrapolated from
100 rows by the N^2 growth of its pair loop (the output says which figures are extrapolated).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import grid_reversal  # noqa: E402
from scale_data import pipeline  # noqa: E402

from mcda_qualify.core import reversal  # noqa: E402


def best_of(fn, repeat: int) -> tuple[float, object]:
    out, ts = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return min(ts), out


def arrays(n: int, seed: int = 5):
    crit, p = pipeline(n, seed)
    w = crit.default_weights()
    return p.matrix, w / w.sum(), p.criteria.types


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"Reversal points, closed form vs grid search; {os.cpu_count()} CPUs, load average "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    rows = []
    # 100 x 12: closed form, all criteria; grid on `sub` criteria, scaled to 12
    x, w, ty = arrays(100)
    m = x.shape[1]
    t_cf, rv = best_of(lambda: reversal.reversal_points(x, w, ty), 3 if args.quick else 5)
    sub = 2 if args.quick else 4
    t_g, old = best_of(lambda: grid_reversal.reversal_points(x, w, ty, list(range(sub))), 1)
    grid100 = t_g * m / sub
    same = len(old) == int(np.count_nonzero(rv.criterion < sub))
    rows.append(("all reversal points, 100 x 12", t_cf, grid100, f"grid: {sub} of 12 criteria timed, x{m / sub:g}",
                 f"{len(rv):,} points; grid finds {len(old):,} of the closed form's "
                 f"{int(np.count_nonzero(rv.criterion < sub)):,} on those criteria" + ("" if same else " (fewer)")))
    t_s, _ = best_of(lambda: reversal.stability_intervals(x, w, ty), 5)
    rows.append(("stability intervals, 100 x 12", t_s, grid100, "grid: needs all its points first", ""))
    # 1,000 x 12: closed form measured; grid extrapolated by N^2 from 100 rows
    x, w, ty = arrays(1000)
    t_cf1, rv1 = best_of(lambda: reversal.reversal_points(x, w, ty), 1 if args.quick else 2)
    rows.append(("all reversal points, 1,000 x 12", t_cf1, grid100 * 100, "grid: extrapolated x100 (N^2) from 100 rows",
                 f"{len(rv1):,} points"))
    t_s1, _ = best_of(lambda: reversal.stability_intervals(x, w, ty), 3)
    t_c1, _ = best_of(lambda: reversal.critical_criteria(x, w, ty), 3)
    rows.append(("stability intervals, 1,000 x 12", t_s1, None, "N - 1 pairs per criterion", ""))
    rows.append(("critical criteria, 1,000 x 12", t_c1, None, "N - 1 pairs per criterion", ""))
    x, w, ty = arrays(10_000)
    t_s2, _ = best_of(lambda: reversal.stability_intervals(x, w, ty), 2)
    rows.append(("stability intervals, 10,000 x 12", t_s2, None, "N - 1 pairs per criterion", ""))

    print(f"{'case':<36}{'closed form':>13}{'grid search':>14}{'ratio':>10}  note")
    for name, ours, grid, note, extra in rows:
        g = "-" if grid is None else (f"{grid:,.1f} s" if grid >= 1 else f"{grid * 1e3:,.0f} ms")
        ratio = "-" if grid is None else f"{grid / ours:,.0f}x"
        o = f"{ours * 1e3:,.1f} ms" if ours < 1 else f"{ours:,.2f} s"
        print(f"{name:<36}{o:>13}{g:>14}{ratio:>10}  {note}{'; ' + extra if extra else ''}")
    print("targets: all reversal points 100 x 12 < 50 ms, 1,000 x 12 < 2 s (quiet 2-core machine)")


if __name__ == "__main__":
    main()
