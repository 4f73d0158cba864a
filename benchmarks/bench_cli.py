"""Start-up and pipeline-scale figures: the CLI's whole-process time (--help, rank, qualify on the case
study; best and median of 9 fresh processes), the heaviest imports on the `rank` path (python -X importtime), and
decide() (rank + qualify with reasons) on 10,000 opportunities.

    python benchmarks/bench_cli.py

The processes run this checkout's package (PYTHONPATH), as `python -m mcda_qualify.cli`. Also checks
that nothing on the rank/qualify path imports scipy.stats, pymcdm, plotly, openpyxl or streamlit.
Targets (issue 12): rank < 0.6 s wall; decide() at 10,000 rows < 0.5 s (quiet 2-core machine).
"""
from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

CASE = "case_studies/telecom_b2b/opportunities.csv"
CRITERIA = "criteria/qualify_selling_opportunity.yaml"
COMMANDS = {"--help": ["--help"], "rank": ["rank", CASE, "-c", CRITERIA], "qualify": ["qualify", CASE, "-c", CRITERIA]}
UNWANTED = ("scipy.stats", "pymcdm", "plotly", "openpyxl", "streamlit")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    return e


def process_time(args: list[str], repeat: int = 9) -> tuple[float, float, float]:
    """Best and median wall time of fresh processes, and the CPU time (user + sys) of the best run."""
    best, walls = (float("inf"), 0.0), []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mcda_qualify.cli", *args], cwd=ROOT, env=env(), check=True,
                       stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - t0
        walls.append(wall)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if wall < best[0]:
            best = (wall, cpu)
    return best[0], statistics.median(walls), best[1]


def importtime(args: list[str], top: int = 8) -> tuple[list[tuple[int, str]], list[str]]:
    """The top-level imports by cumulative microseconds, and any unwanted module imported."""
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "mcda_qualify.cli", *args], cwd=ROOT, env=env(),
                         capture_output=True, text=True, check=True)
    rows, names = [], set()
    for line in res.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        names.add(m.group(4))
        if m.group(3) == " ":  # a top-level import (one space of indent)
            rows.append((int(m.group(2)), m.group(4)))
    bad = sorted(n for n in names if n.split(".")[0] in {u.split(".")[0] for u in UNWANTED}
                 and any(n == u or n.startswith(u + ".") for u in UNWANTED))
    return sorted(rows, reverse=True)[:top], bad


def main() -> None:
    import compileall

    # as installed: the package's bytecode on disk (PYTHONDONTWRITEBYTECODE would otherwise recompile it every run)
    compileall.compile_dir(str(ROOT / "mcda_qualify"), quiet=1)
    load = os.getloadavg()
    print(f"CLI and decide(); {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'command (whole process, 9 runs)':<40}{'best wall':>10}{'median':>10}{'cpu':>10}")
    for name, args in COMMANDS.items():
        wall, med, cpu = process_time(args)
        print(f"mcda-qualify {name:<27}{wall * 1e3:>7.0f} ms{med * 1e3:>7.0f} ms{cpu * 1e3:>7.0f} ms")
    top, bad = importtime(COMMANDS["rank"])
    print("python -X importtime, `rank`: heaviest top-level imports (cumulative)")
    for us, name in top:
        print(f"  {name:<36}{us / 1e3:>8.0f} ms")
    print("  unwanted on the rank path: " + (", ".join(bad) if bad else f"none of {', '.join(UNWANTED)}"))

    from scale_data import pipeline

    from mcda_qualify.decision import decide

    for n in (2_000, 10_000):
        _, p = pipeline(n, 1)
        decide(p)
        ts = []
        for _ in range(3):
            t0 = time.perf_counter()
            decide(p)
            ts.append(time.perf_counter() - t0)
        print(f"decide() on {n:,} opportunities (rank + qualify with reasons): {min(ts) * 1e3:.0f} ms best of 3")
    print("targets: rank < 0.6 s wall; decide() at 10,000 < 0.5 s (before: 1.4 s; 570 ms at 2,000 rows, O(N^2 M))")


if __name__ == "__main__":
    main()
