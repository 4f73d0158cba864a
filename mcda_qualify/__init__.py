"""mcda-qualify: qualify selling opportunities (TM Forum eTOM 1.1.9.1) with MCDA.

The public API is imported lazily so that ``mcda-qualify --help`` stays fast: numpy, pandas,
pydantic and pymcdm load only when a function that needs them is first used.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import CriteriaError, InputError, JudgmentError, PortfolioError, WeightsError

__version__ = "0.1.0"

_LAZY = {
    "load_criteria": "criteria",
    "CriteriaSet": "criteria",
    "load_portfolio": "portfolio",
    "Portfolio": "portfolio",
    "topsis": "core.methods",
    "topsis_explain": "core.methods",
    "rank": "ranking",
    "Ranking": "ranking",
    "qualify": "qualify",
    "Decision": "qualify",
    "load_weights": "weights",
    "resolve_weights": "weights",
    "decide": "decision",
    "judgment_weights": "decision",
    "load_judgments": "judgments",
    "ahp_summary": "judgments_summary",
    "load_workspace": "io.workspace",
    "html_report": "report",
}

__all__ = ["__version__", "InputError", "CriteriaError", "PortfolioError", "WeightsError", "JudgmentError", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mcda_qualify' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
