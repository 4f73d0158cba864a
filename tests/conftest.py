"""Shared fixtures of the foundation tests: the bundled criteria and case study, a small criteria set,
and helpers that write temporary input files and run the command line.

Helpers reach tests through the session fixture ``tk`` (not ``from conftest import``), so that another
conftest.py in a sub-folder can never shadow them. Tests only read files of this repository
(criteria/, case_studies/) and write under ``tmp_path``.
"""
from __future__ import annotations

import copy
import csv
import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest
import yaml

from mcda_qualify.criteria import CriteriaSet, criteria_from_dict, load_criteria
from mcda_qualify.portfolio import Portfolio, load_portfolio

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
CRITERIA_FILE = ROOT / "criteria" / "qualify_selling_opportunity.yaml"

#: a small criteria set covering every kind of criterion: numeric with bounds, numeric without bounds,
#: scales (one of them with a level labelled 'none'), cost and benefit, a gate
SMALL: dict[str, Any] = {
    "name": "Small test set",
    "criteria": [
        {"id": "deal_size", "name": "Deal size", "direction": "benefit", "unit": "kEUR", "bounds": [0, 1000]},
        {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"},
         "gate": {"max": 2}},
        {"id": "fit", "name": "Fit", "direction": "benefit", "scale": {1: "none", 2: "partial", 3: "full"}},
        {"id": "effort", "name": "Effort", "direction": "cost", "unit": "days"},
    ],
    "weights": {"deal_size": 4, "risk": 3, "fit": 2, "effort": 1},
    "qualification": {"qualified": 0.6, "conditional": 0.4},
}
SMALL_HEADER = ["id", "name", "deal_size", "risk", "fit", "effort"]
SMALL_ROWS = [
    ["A", "Alpha", "500", "low", "full", "10"],
    ["B", "Beta", "300", "medium", "partial", "20"],
    ["C", "Gamma", "100", "high", "none", "30"],
]

CLI_EXE = Path(sys.executable).parent / "mcda-qualify"


def csv_text(header: list[str], rows: list[list[str]], sep: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue()


@pytest.fixture(scope="session")
def criteria() -> CriteriaSet:
    return load_criteria(CRITERIA_FILE)


@pytest.fixture(scope="session")
def criteria_yaml() -> dict[str, Any]:
    """The bundled criteria file as plain YAML data, read independently of our loader."""
    return yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def case_rows() -> list[dict[str, str]]:
    """The case study as read by the csv module (an independent reader)."""
    with CASE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture()
def case(criteria: CriteriaSet) -> Portfolio:
    return load_portfolio(CASE, criteria)


@pytest.fixture()
def small() -> CriteriaSet:
    return criteria_from_dict(SMALL, source="small.yaml")


@pytest.fixture()
def write(tmp_path: Path) -> Callable[..., Path]:
    """write(name, text, encoding='utf-8') -> path under tmp_path; bytes are written as given."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return p

    return _write


@pytest.fixture()
def small_csv(write: Callable[..., Path]) -> Path:
    return write("small.csv", csv_text(SMALL_HEADER, SMALL_ROWS))


@pytest.fixture()
def small_yaml(write: Callable[..., Path]) -> Path:
    return write("small.yaml", yaml.safe_dump(SMALL, sort_keys=False))


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed console script ``mcda-qualify`` in a fresh process."""
    return subprocess.run([str(CLI_EXE), *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=120)


def assert_clean_error(code: int, stderr: str, *needles: str) -> None:
    """Exit status 2, one line on stderr that starts with 'error:', no traceback, every needle in it."""
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    for n in needles:
        assert n in lines[0], f"{n!r} not in {lines[0]!r}"


@pytest.fixture(autouse=True)
def _own_store(tmp_path, monkeypatch):
    """Every test's decision store is its own (the app reads the store on every run, the CLI's store
    commands default to it): never the user's ~/.mcda-qualify. A test may point it elsewhere."""
    monkeypatch.setenv("MCDA_QUALIFY_DB", str(tmp_path / "own.sqlite"))


@pytest.fixture()
def at():
    """A fresh Streamlit app session (AppTest) on the bundled case study, after its first run."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / "apps" / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


@pytest.fixture(scope="session")
def tk() -> SimpleNamespace:
    """Constants and helpers: paths, the small criteria set (fresh copies), csv_text, run_cli, assert_clean_error."""
    return SimpleNamespace(
        ROOT=ROOT, CASE=CASE, CRITERIA_FILE=CRITERIA_FILE, CLI_EXE=CLI_EXE,
        small_dict=lambda: copy.deepcopy(SMALL), SMALL_HEADER=list(SMALL_HEADER),
        small_rows=lambda: copy.deepcopy(SMALL_ROWS),
        csv_text=csv_text, run_cli=run_cli, assert_clean_error=assert_clean_error,
    )
