"""AppTest timings of every page of the Streamlit app at 14 (the case study), 1,000 and 10,000
opportunities: the first render of a page (cold: results computed) and a rerun with nothing changed
(warm: results from the session's cache), plus a weight slider move on the Weights page (the decision
and the live chance of ranking first recomputed; the median of 2 x repeat + 1 moves, each to a weight
not used before).

    python benchmarks/bench_app.py [--sizes 14,1000,10000] [--repeat 3]

Synthetic pipelines come from benchmarks/scale_data.py (the case study's columns drawn independently).
The table is put into the session as an upload would (validated by load_portfolio). Targets (issue 12):
warm reruns under 100 ms on the case study and under 300 ms at 1,000 opportunities; the Sensitivity
page at 10,000 opportunities renders in under 5 s.
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from scale_data import pipeline_table  # noqa: E402

APP = str(HERE.parent / "apps" / "app.py")
PAGES = ["page_weights.py", "page_opportunities.py", "page_ranking.py", "page_sensitivity.py", "page_export.py",
         "page_plan.py", "page_learn.py", "page_import.py"]


def best(fn, repeat: int) -> float:
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def measure(n: int, repeat: int) -> dict[str, tuple[float, float]]:
    """{page: (cold seconds, warm seconds)} and 'slider' for one table size."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=900)
    at.run()
    if n != 14:
        from mcda_qualify.portfolio import load_portfolio

        table = pipeline_table(n, seed=12)
        table.attrs["where"] = f"synthetic pipeline of {n:,} rows"
        at.session_state["table"] = table
        at.session_state["portfolio"] = load_portfolio(table, at.session_state["criteria"])
        at.session_state["table_source"] = f"synthetic pipeline ({n:,} rows)"
    out: dict[str, tuple[float, float]] = {}
    for page in PAGES:
        t0 = time.perf_counter()
        at.switch_page(page).run()
        cold = time.perf_counter() - t0
        if at.exception:
            raise SystemExit(f"{page} at {n} rows: {[e.value for e in at.exception]}")
        warm = best(lambda: at.run(), repeat)
        out[page] = (cold, warm)
    at.switch_page("page_weights.py").run()
    # every move a weight not seen before in this session (the default is 70): no cached result to reuse;
    # the median of the moves, not the best, so that one lucky move does not stand for them all
    values = iter(range(11, 11 + 2 * repeat + 1))
    moves = []
    for _ in range(2 * repeat + 1):
        t0 = time.perf_counter()
        at.slider(key="w_risk").set_value(next(values)).run()
        moves.append(time.perf_counter() - t0)
        if at.exception:
            raise SystemExit(f"slider move at {n} rows: {[e.value for e in at.exception]}")
    out["slider move (Weights)"] = (float("nan"), statistics.median(moves))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="14,1000,10000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    try:  # AppTest's bare-mode warnings ("missing ScriptRunContext") are noise here
        from streamlit.logger import set_log_level

        set_log_level("error")
    except ImportError:
        pass
    sizes = [int(s) for s in args.sizes.split(",")]
    load = os.getloadavg()
    print(f"AppTest page timings, {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    res = {n: measure(n, args.repeat) for n in sizes}
    head = "".join(f"{f'{n:,} cold':>13}{f'{n:,} rerun':>13}" for n in sizes)
    print(f"{'page':<24}{head}")
    for page in [*PAGES, "slider move (Weights)"]:
        cells = ""
        for n in sizes:
            cold, warm = res[n][page]
            cells += (f"{'-':>13}" if cold != cold else f"{cold * 1e3:>10.0f} ms") + f"{warm * 1e3:>10.0f} ms"
        print(f"{page:<24}{cells}")
    print("targets: rerun < 100 ms at 14 and < 300 ms at 1,000 opportunities; Sensitivity at 10,000 renders < 5 s")


if __name__ == "__main__":
    main()
