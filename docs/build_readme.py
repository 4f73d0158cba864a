"""Rebuild README.md from docs/readme_template.md with the real output of every example.

Run from the repository root: `.venv/bin/python docs/build_readme.py`. Each {{NAME}} in the template
is replaced by what the command below prints, so the README never shows invented numbers.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).parent / "mcda-qualify")
CASE = "case_studies/telecom_b2b/opportunities.csv"
CRIT = "criteria/qualify_selling_opportunity.yaml"
JUDG = "case_studies/telecom_b2b/judgments.yaml"


def run(*args: str, stderr: bool = False, head: int | None = None) -> str:
    res = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "COLUMNS": "120"})
    text = (res.stdout + (res.stderr if stderr else "")).rstrip("\n")
    lines = text.splitlines()
    if head is not None and len(lines) > head:
        lines = lines[:head] + ["..."]
    return "\n".join(lines)


def python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT).stdout.rstrip("\n")


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    typo = tmp / "typo.csv"
    lines = (ROOT / CASE).read_text(encoding="utf-8").splitlines()
    typo.write_text("\n".join([lines[0], lines[5].replace(",medium,", ",medum,", 1)]) + "\n", encoding="utf-8")
    api = (ROOT / "docs" / "examples" / "api_ranking.py").read_text(encoding="utf-8").strip()
    api2 = (ROOT / "docs" / "examples" / "api_sensitivity.py").read_text(encoding="utf-8").strip()
    db = tmp / "q4.sqlite"
    run(CLI, "save", CASE, "-c", CRIT, "-d", "Q4 pipeline", "--db", str(db), "--author", "Ana", "--note", "default weights")
    run(CLI, "save", CASE, "-c", CRIT, "-d", "Q4 pipeline", "--db", str(db), "--author", "Ben", "--note", "risk first",
        "-w", "docs/examples/risk_first.yaml")
    values = {
        "QUALIFY": run(CLI, "qualify", CASE, "--criteria", CRIT, head=34),
        "RANK_PROMETHEE": run(CLI, "rank", CASE, "-c", CRIT, "--method", "promethee_ii", head=8),
        "QUALIFY_JSON": run(CLI, "qualify", CASE, "-c", CRIT, "-f", "json", head=40),
        "RANK_VIKOR": run(CLI, "rank", CASE, "-c", CRIT, "--method", "vikor"),
        "TYPO": run(CLI, "qualify", str(typo), "-c", CRIT, stderr=True).replace(str(typo), "typo.csv"),
        "API_CODE": api,
        "API_OUT": python(api),
        "AHP_GROUP": run(CLI, "ahp", JUDG, "--criteria", CRIT),
        "QUALIFY_AHP": "\n".join(ln for ln in run(CLI, "qualify", CASE, "-c", CRIT, "--judgments", JUDG).splitlines()
                                 if not ln.startswith("      -")),
        "AHP_WC": run(CLI, "ahp", "docs/examples/wang_chin_2011.yaml"),
        "SENS": run(CLI, "sensitivity", CASE, "-c", CRIT, "--smaa", "10000", "--seed", "1"),
        "TIE": run(CLI, "sensitivity", "docs/examples/tie_opportunities.csv", "-c", "docs/examples/tie_criteria.yaml"),
        "API2_CODE": api2,
        "API2_OUT": python(api2),
        "BENCH": run(sys.executable, "benchmarks/bench_sensitivity.py"),
        "HISTORY": run(CLI, "history", str(db)).replace(str(db), "q4.sqlite"),
        "DIFF": run(CLI, "diff", str(db), "1", "2", head=24),
    }
    text = (ROOT / "docs" / "readme_template.md").read_text(encoding="utf-8")
    for k, v in values.items():
        text = text.replace("{{" + k + "}}", v)
    missing = re.findall(r"\{\{[A-Z0-9_]+\}\}", text)
    if missing:
        raise SystemExit(f"unfilled placeholders: {missing}")
    (ROOT / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
