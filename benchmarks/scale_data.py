"""Synthetic pipelines of any size for the benchmarks, built from the bundled case study.

Every column of the case study is drawn independently: labelled (scale) columns from the values the
case study uses, numeric columns uniformly within the range it spans (rounded as it is). So the
tables look like the case study (same criteria, same kinds of values, about 10% failing a gate) at
1,000 or 50,000 rows. Deterministic for a seed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
CRITERIA = ROOT / "criteria" / "qualify_selling_opportunity.yaml"


def pipeline_table(n: int, seed: int = 0) -> pd.DataFrame:
    """An opportunity table of ``n`` rows in the case study's format (text cells, as read from a CSV)."""
    base = pd.read_csv(CASE, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    out = {"id": [f"OPP-{i:05d}" for i in range(1, n + 1)],
           "name": [f"Opportunity {i}" for i in range(1, n + 1)]}
    for col in base.columns:
        if col in ("id", "name"):
            continue
        vals = base[col].to_numpy()
        try:
            num = vals.astype(float)
        except ValueError:
            out[col] = rng.choice(vals, size=n)
            continue
        lo, hi = num.min(), num.max()
        x = rng.uniform(lo, hi, size=n)
        x = np.round(x, 2) if col == "win_probability" else np.round(x)
        out[col] = [f"{v:g}" for v in x]
    return pd.DataFrame(out)


def pipeline(n: int, seed: int = 0):
    """(criteria, portfolio) of a synthetic pipeline of ``n`` opportunities."""
    from mcda_qualify.criteria import load_criteria
    from mcda_qualify.portfolio import load_portfolio

    crit = load_criteria(CRITERIA)
    table = pipeline_table(n, seed)
    table.attrs["where"] = f"synthetic pipeline of {n:,} rows"
    return crit, load_portfolio(table, crit)
