"""Test helpers shared by several test files (plain functions; fixtures live in conftest.py).

Imported as ``from testkit import ...`` (pytest puts this folder on the path): the in-process CLI
runner and its error check, a CRM export with ten problems, and random incomplete AHP matrices.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.core import ahp

runner = CliRunner()


def invoke(*args):
    """``mcda-qualify ARGS`` in this process (paths and numbers passed as text)."""
    return runner.invoke(app, [str(a) for a in args])


def err_of(res, *needles):
    """Exit 2, a message starting with 'error:', no traceback, every needle in it; returns the message."""
    assert res.exit_code == 2, (res.exit_code, res.stderr, res.exception)
    assert "Traceback" not in res.stderr + res.stdout
    assert res.stderr.startswith("error: "), res.stderr
    for n in needles:
        assert n in res.stderr, (n, res.stderr)
    return res.stderr


def ten_problem_export(path: Path) -> Path:
    """An XLSX export whose rows hold ten different problems (each named in a comment)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Pipeline"
    ws.append(["Opp ID", "Opp Name", "Amount", "Risk", "Effort", "Margin", "Probability (%)", "Bid cost"])
    ws.append(["OPP-1", "A", "8.500", "Med", 10, 5, 60, 1])         # ambiguous 8.500
    ws.append(["OPP-2", "B", 300, "Medum", 20, 5, 50, 1])           # unknown label
    ws.append(["OPP-2", "C", 450, "Low", "lots", 5, 40, 1])         # duplicate id, text in a number column
    ws.append([None, "D", 200, "High", 30, 5, 120, 1])              # missing id, percent above 100
    ws.append(["OPP-5", "E", 100, "Low", "#DIV/0!", 5, 30, 1])      # error cell
    ws.append(["OPP-6", "F", 100, "Low", 900, "=1/0", 30, 1])       # outside bounds, formula without value
    wb.save(path)
    return path


def random_incomplete(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    """A random n x n Saaty-scale comparison matrix with m pairs missing (NaN), its graph connected."""
    iu = np.triu_indices(n, 1)
    while True:
        v = ahp.SAATY_SCALE[rng.integers(0, 17, iu[0].size)]
        a = np.ones((n, n))
        a[iu], a[iu[1], iu[0]] = v, 1 / v
        pick = rng.choice(iu[0].size, m, replace=False)
        a[iu[0][pick], iu[1][pick]] = np.nan
        a[iu[1][pick], iu[0][pick]] = np.nan
        if len(ahp.connected_components(a)) == 1:
            return a
