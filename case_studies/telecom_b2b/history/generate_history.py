"""SYNTHETIC DATA. Generate a two-year history of past opportunities of the telecom B2B provider.

Everything this script writes is invented: no row describes a real deal, customer or person. It
exists so that ``mcda-qualify learn`` and :func:`mcda_qualify.learn.learn` can be shown on a history
of the case study's shape (see README.md next to this file).

Run from the repository root (fixed seed, so the output is the same on every run):

    python case_studies/telecom_b2b/history/generate_history.py

It writes ``history.csv`` next to itself: the columns of ``../opportunities.csv`` (the 12 criteria of
``criteria/qualify_selling_opportunity.yaml`` as scale labels or numbers, ``value``,
``win_probability``, ``pursuit_cost``) plus ``outcome`` (won / lost / no bid / withdrawn / open) and
``decided`` (ISO date of the outcome; empty for open deals), 80 rows dated 2024-07-01 to 2026-06-30.

How the outcomes arise (the "hidden" model the analysis is meant to recover):

1. Criteria are drawn independently (scale levels from plausible frequencies; deal size log-normal,
   sales effort growing with deal size).
2. Each criterion is mapped to a benefit-form value in [0, 1] (level position on its scale; cost
   criteria reversed) and the latent attractiveness is the weighted sum with HIDDEN_WEIGHTS below.
3. Bid decision: deals that fail a gate (very high risk, no solution) are not bid; of the rest the
   team does not bid on about one in twelve, chosen at random. A few bids are withdrawn.
4. A bid deal is won when latent + Normal(0, NOISE) exceeds WIN_THRESHOLD.
5. The sales team's stated ``win_probability`` is an over-confident, noisy view of the true chance.
6. The most recent deals (last 10) are still open.
"""
from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SEED = 20240701
N = 80
START, END = date(2024, 7, 1), date(2026, 6, 30)
OPEN_LAST = 10
NOISE = 0.06
WIN_THRESHOLD = 0.59

#: the additive model behind the outcomes (benefit form; sums to 1) - deliberately unlike the default weights
HIDDEN_WEIGHTS = {
    "requirements_fit": 0.22, "solution_availability": 0.14, "customer_importance": 0.14, "risk": 0.12,
    "commitment": 0.10, "sales_effort": 0.06, "strategic_importance": 0.04, "deal_size": 0.04,
    "resources": 0.04, "customisation": 0.04, "financing": 0.03, "wider_application": 0.03,
}

SCALES = {  # labels by level (1 = first), as in criteria/qualify_selling_opportunity.yaml
    "risk": ["very low", "low", "medium", "high", "very high"],
    "resources": ["minimal", "modest", "significant", "large", "critical"],
    "financing": ["none", "low", "moderate", "high", "very high"],
    "commitment": ["one-off", "tentative", "probable", "committed", "strategic partner"],
    "strategic_importance": ["none", "low", "medium", "high", "critical"],
    "wider_application": ["none", "limited", "moderate", "broad", "product"],
    "customer_importance": ["marginal", "minor", "regular", "key", "top"],
    "requirements_fit": ["poor", "partial", "fair", "good", "excellent"],
    "customisation": ["standard", "light", "moderate", "heavy", "bespoke"],
    "solution_availability": ["not available", "on roadmap", "in capacity", "available"],
}
FREQ = {  # how often each level occurs
    "risk": [0.08, 0.31, 0.34, 0.22, 0.05],
    "resources": [0.10, 0.30, 0.30, 0.22, 0.08],
    "financing": [0.20, 0.30, 0.25, 0.18, 0.07],
    "commitment": [0.08, 0.22, 0.30, 0.28, 0.12],
    "strategic_importance": [0.05, 0.15, 0.35, 0.30, 0.15],
    "wider_application": [0.10, 0.25, 0.30, 0.25, 0.10],
    "customer_importance": [0.10, 0.20, 0.35, 0.25, 0.10],
    "requirements_fit": [0.05, 0.15, 0.30, 0.35, 0.15],
    "customisation": [0.15, 0.30, 0.28, 0.20, 0.07],
    "solution_availability": [0.05, 0.22, 0.26, 0.47],
}
COST = {"risk", "resources", "financing", "customisation", "sales_effort"}
COLUMNS = ["id", "name", "customer", "owner", "risk", "sales_effort", "deal_size", "resources", "financing",
           "commitment", "strategic_importance", "wider_application", "customer_importance", "requirements_fit",
           "customisation", "solution_availability", "value", "win_probability", "pursuit_cost", "outcome", "decided"]
OFFERS = ["Private 5G campus", "Managed SD-WAN", "Managed SOC", "Sovereign cloud", "IoT telematics", "Unified communications",
          "Edge computing", "Contact centre as a service", "Campus Wi-Fi", "Dark fibre backbone", "Multi-cloud fabric",
          "LPWAN sensors", "Video surveillance as a service", "Network slicing pilot", "Data centre interconnect"]
CUSTOMERS = ["Regional bank", "Logistics group", "University hospital", "Municipal utility", "Retail chain", "Insurance group",
             "Automotive supplier", "Port authority", "Federal agency", "Stadium operator", "Pharmaceutical company",
             "Rail operator", "Agricultural cooperative", "Media group", "Airport operator", "Chemicals plant"]
OWNERS = ["J. Weber", "A. Rossi", "M. Dubois", "K. Nowak", "S. Berg", "L. Moreau"]


def generate(seed: int = SEED) -> list[dict[str, object]]:
    """The synthetic rows (dicts keyed by COLUMNS), oldest first."""
    rng = np.random.default_rng(seed)
    levels = {c: rng.choice(len(f), size=N, p=f) for c, f in FREQ.items()}          # 0-based levels
    deal_size = np.clip(np.round(np.exp(rng.normal(np.log(4000), 0.8, N)), -2), 300, 40000)
    sales_effort = np.clip(np.round(25 + 1.6 * np.sqrt(deal_size) + rng.normal(0, 20, N)), 20, 380)
    value = np.round(deal_size * rng.uniform(0.22, 0.38, N), -1)
    pursuit_cost = np.round(sales_effort * rng.uniform(0.9, 1.15, N))

    benefit = {c: lv / (len(FREQ[c]) - 1) for c, lv in levels.items()}              # level position in [0, 1]
    benefit["deal_size"] = np.log(deal_size / 300) / np.log(40000 / 300)
    benefit["sales_effort"] = (sales_effort - 20) / (380 - 20)
    for c in COST:
        benefit[c] = 1 - benefit[c]
    latent = sum(w * benefit[c] for c, w in HIDDEN_WEIGHTS.items())

    fails_gate = (levels["risk"] == 4) | (levels["solution_availability"] == 0)
    no_bid = fails_gate | (rng.random(N) < 0.08)
    withdrawn = ~no_bid & (rng.random(N) < 0.05)
    won = latent + rng.normal(0, NOISE, N) > WIN_THRESHOLD
    true_p = 1 / (1 + np.exp(-(latent - WIN_THRESHOLD) / NOISE * 1.6))
    stated = np.clip(np.round((0.2 + 0.6 * true_p + rng.normal(0, 0.1, N)) * 20) / 20, 0.05, 0.9)

    span = (END - START).days
    days = np.sort(rng.choice(span + 1, size=N, replace=False))
    rows = []
    for i in range(N):
        is_open = i >= N - OPEN_LAST
        outcome = ("open" if is_open else "no bid" if no_bid[i] else "withdrawn" if withdrawn[i]
                   else "won" if won[i] else "lost")
        row: dict[str, object] = {
            "id": f"SYN-{i + 1:03d}",
            "name": f"{OFFERS[rng.integers(len(OFFERS))]} (synthetic)",
            "customer": CUSTOMERS[rng.integers(len(CUSTOMERS))],
            "owner": OWNERS[rng.integers(len(OWNERS))],
            "sales_effort": int(sales_effort[i]), "deal_size": int(deal_size[i]),
            "value": int(value[i]), "win_probability": f"{stated[i]:.2f}", "pursuit_cost": int(pursuit_cost[i]),
            "outcome": outcome, "decided": "" if is_open else (START + timedelta(days=int(days[i]))).isoformat(),
        }
        for c, labels in SCALES.items():
            row[c] = labels[levels[c][i]]
        rows.append(row)
    return rows


def main() -> Path:
    out = Path(__file__).with_name("history.csv")
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(generate())
    return out


if __name__ == "__main__":
    print(f"wrote {main()} (SYNTHETIC data)")
