"""Test helper: the former grid search for reversal points (benchmarks/grid_reversal.py), the baseline
the closed form is checked against. It lives outside the package; this module loads it by path."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "grid_reversal.py"
_NAME = "_mcda_qualify_grid_baseline"


def _load():
    if _NAME in sys.modules:
        return sys.modules[_NAME]
    spec = importlib.util.spec_from_file_location(_NAME, _PATH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[_NAME] = mod
    spec.loader.exec_module(mod)
    return mod


_grid = _load()
reversal_points = _grid.reversal_points
stability_intervals = _grid.stability_intervals
critical_criteria = _grid.critical_criteria
