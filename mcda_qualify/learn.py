"""Learn from won and lost deals: does the qualification predict wins, and which weights does the history imply?

A history is an opportunity table (the same columns as :func:`~mcda_qualify.portfolio.load_portfolio`
reads) with an ``outcome`` column (won / lost / no bid / withdrawn / open; case-insensitive, ``no_bid``
and ``no-bid`` accepted) and an optional ``decided`` ISO date. :func:`learn`:

* ranks the whole history with the given weights and method (the same call as a decision,
  :func:`~mcda_qualify.decision.decide`), then backtests the score among the decided pursued deals
  (won / lost): AUC with a stratified bootstrap interval (:mod:`mcda_qualify.core.backtest`), win rate
  per status band, lift of the top third; Brier score and reliability table of ``win_probability``
  where the table has it; a warning below 30 decided deals;
* fits the weights the history implies: UTA-STAR with one segment per criterion on the criteria
  normalised as the ranking normalises them (:func:`mcda_qualify.core.disaggregation.additive_linear`),
  each won deal preferred to each lost one (or, ``basis="bid"``, each bid deal to each no-bid one),
  with post-optimality weight ranges and the fitting error;
* ranks today's opportunities (``current``, else the history's open deals) under the stated and
  the implied weights, side by side.
"""
from __future__ import annotations

import difflib
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .core import methods as core_methods
from .core import backtest as bt
from .core.disaggregation import DEFAULT_DELTA, UtaResult, additive_linear
from .criteria import CriteriaSet
from .errors import InputError
from .portfolio import Portfolio, check_rankable, load_portfolio, read_table

__all__ = ["OUTCOMES", "HistoryError", "LearnResult", "learn", "load_history", "MIN_DECIDED", "JSON_KEYS"]

OUTCOMES = ("won", "lost", "no bid", "withdrawn", "open")
#: below this many decided deals the figures come with a plain warning
MIN_DECIDED = 30
JSON_KEYS = ("n_decided", "n_won", "n_lost", "auc", "auc_interval", "win_rate_by_status", "brier",
             "reliability", "implied_weights", "implied_weight_ranges", "fit_error")
_ABSENT = {"", "nan", "none", "null", "na", "n/a"}


class HistoryError(InputError):
    """Every problem found in a history at once; ``problems`` holds one located error each."""

    def __init__(self, problems: Sequence[InputError], file: str | None = None) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problems in the history", file=file)

    @property
    def message(self) -> str:
        if len(self.problems) == 1:
            return self.problems[0].message
        head = f"{self.file}: " if self.file else ""
        return head + f"{len(self.problems)} problems in the history:" + "".join(
            f"\n  - {p.message}" for p in self.problems)


def _norm_outcome(text: str) -> str:
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _blank(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or str(v).strip().lower() in _ABSENT


def _check_history(frame: pd.DataFrame, where: str, numbers: list[int] | None, today: date) -> tuple[list[str], list[date | None]]:
    """Outcome labels, decided dates and ids of a raw history table; raises :class:`HistoryError` with all problems."""
    problems: list[InputError] = []
    cols = [str(c).strip().lower() for c in frame.columns]
    frame = frame.copy()
    frame.columns = cols

    def row(i: int, ident: str = "") -> str:
        base = str(numbers[i]) if numbers is not None else str(i)
        return f"{base} (id {ident})" if ident else base

    if "outcome" not in cols:
        near = difflib.get_close_matches("outcome", cols, n=1, cutoff=0.6)
        hint = f" (is column '{near[0]}' meant? rename it 'outcome')" if near else ""
        raise HistoryError([InputError("no 'outcome' column" + hint, file=where, value=cols, has_value=True,
                                       expected=f"a column 'outcome' with one of: {', '.join(OUTCOMES)}")], file=where)
    ids = ["" if _blank(v) else str(v).strip() for v in frame["id"].tolist()] if "id" in cols else [""] * len(frame)
    seen: dict[str, str] = {}
    for i, ident in enumerate(ids):
        if "id" in cols and ident in seen:
            problems.append(InputError(f"duplicate id (first used on row {seen[ident]})", file=where, row=row(i),
                                       column="id", value=ident, expected="each id once"))
        elif ident:
            seen[ident] = row(i)
    outcomes: list[str] = []
    for i, v in enumerate(frame["outcome"].tolist()):
        text = "" if _blank(v) else str(v)
        label = _norm_outcome(text)
        if label not in OUTCOMES:
            near = difflib.get_close_matches(label, OUTCOMES, n=1, cutoff=0.5)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(InputError(("missing outcome" if not label else "unknown outcome label") + hint, file=where,
                                       row=row(i, ids[i]), column="outcome", value=text or None, has_value=True,
                                       expected=f"one of {', '.join(OUTCOMES)}"))
        outcomes.append(label)
    decided: list[date | None] = [None] * len(frame)
    if "decided" in cols:
        for i, v in enumerate(frame["decided"].tolist()):
            if _blank(v):
                continue
            text = str(v).strip()
            d = _parse_date(text)
            if d is None:
                problems.append(InputError("not a date", file=where, row=row(i, ids[i]), column="decided", value=text,
                                           expected="an ISO date YYYY-MM-DD (or leave it empty)"))
            elif d > today:
                problems.append(InputError("date in the future", file=where, row=row(i, ids[i]), column="decided",
                                           value=text, expected=f"a date on or before today ({today.isoformat()})"))
            elif outcomes[i] == "open":
                problems.append(InputError("an open deal has a decided date", file=where, row=row(i, ids[i]),
                                           column="decided", value=text, expected="no date, or an outcome other than 'open'"))
            decided[i] = d
    n_won, n_lost = outcomes.count("won"), outcomes.count("lost")
    if n_won == 0 or n_lost == 0:
        missing = "won" if n_won == 0 else "lost"
        problems.append(InputError(f"no {missing} deals: a backtest compares won with lost deals", file=where,
                                   column="outcome", value={"won": n_won, "lost": n_lost}, has_value=True,
                                   expected="at least one 'won' and one 'lost' outcome"))
    if problems:
        raise HistoryError(problems, file=where)
    return outcomes, decided


def load_history(source: str | Path | pd.DataFrame | Portfolio, criteria: CriteriaSet, *, sheet: str | int | None = None,
                 today: date | None = None) -> tuple[Portfolio, list[str], list[date | None]]:
    """Validate a history (all outcome/date/id problems at once), then load it as a :class:`Portfolio`.

    Returns the portfolio and, per row, the normalised outcome and the decided date (or None).
    """
    today = today or date.today()
    if isinstance(source, Portfolio):
        outcomes, decided = _check_history(source.table, source.source, None, today)
        return source, outcomes, decided
    if isinstance(source, pd.DataFrame):
        where = source.attrs.get("where", "history")
        first = source.attrs.get("first_row")
        numbers = None if first is None else [int(first) + i for i in range(len(source))]
        outcomes, decided = _check_history(source, where, numbers, today)
        return load_portfolio(source, criteria), outcomes, decided
    frame, _ = read_table(source, sheet)
    outcomes, decided = _check_history(frame, frame.attrs["where"], list(frame.attrs["row_numbers"]), today)
    return load_portfolio(source, criteria, sheet=sheet), outcomes, decided


def _probabilities(portfolio: Portfolio, rows: np.ndarray) -> np.ndarray | None:
    """``win_probability`` of the given rows as numbers in [0, 1] (a percentage allowed), or None without the column."""
    if "win_probability" not in portfolio.table.columns:
        return None
    out = []
    for i in rows:
        v = portfolio.table["win_probability"].iloc[i]
        text = "" if _blank(v) else str(v).strip()
        pct = text.endswith("%")
        try:
            x = float(text.rstrip("%").replace(",", ".")) / (100.0 if pct else 1.0)
        except ValueError:
            x = float("nan")
        if not (math.isfinite(x) and 0.0 <= x <= 1.0):
            raise InputError("not a probability", file=portfolio.source, row=portfolio.rows[i], column="win_probability",
                             value=text or None, has_value=True, expected="a number between 0 and 1 (or 0%-100%)")
        out.append(x)
    return np.array(out)


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


@dataclass(frozen=True)
class LearnResult:
    """What the history says. ``to_json`` gives the contract's keys; the rest is for tables and charts.

    ``reasons`` explains every figure that is undefined (None) under the key of that figure.
    """

    n_decided: int
    n_won: int
    n_lost: int
    auc: float | None
    auc_interval: bt.AucInterval | None
    win_rate_by_status: dict[str, dict[str, Any]] | None
    lift: bt.Lift | None
    brier: float | None
    reliability: bt.Reliability | None
    implied: UtaResult | None
    implied_weights: dict[str, float | None] | None
    implied_weight_ranges: dict[str, list[float] | None] | None
    fit_error: float | None
    stated_weights: dict[str, float]
    ranking_change: pd.DataFrame | None
    method: str
    normalization: str
    basis: str
    warnings: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: exactly :data:`JSON_KEYS`, plus ``<key>_reason`` for each key that is null."""
        iv = None
        if self.auc_interval is not None:
            iv = {"low": self.auc_interval.low, "high": self.auc_interval.high, "level": self.auc_interval.level,
                  "samples": self.auc_interval.samples, "method": "percentile bootstrap, won and lost resampled separately"}
        rel = None
        if self.reliability is not None:
            r = self.reliability
            rel = [{"low": float(r.edges[k]), "high": float(r.edges[k + 1]), "n": int(r.counts[k]),
                    "mean_predicted": _num(r.mean_predicted[k]), "observed_rate": _num(r.observed_rate[k])}
                   for k in range(r.counts.size)]
        out: dict[str, Any] = {
            "n_decided": self.n_decided, "n_won": self.n_won, "n_lost": self.n_lost,
            "auc": _num(self.auc), "auc_interval": iv, "win_rate_by_status": self.win_rate_by_status,
            "brier": _num(self.brier), "reliability": rel, "implied_weights": self.implied_weights,
            "implied_weight_ranges": self.implied_weight_ranges, "fit_error": _num(self.fit_error),
        }
        for k in JSON_KEYS:
            if out[k] is None:
                out[f"{k}_reason"] = self.reasons.get(k, "not computed")
        if self.implied_weights is not None and any(v is None for v in self.implied_weights.values()):
            out["implied_weights_reason"] = self.reasons.get("implied_weights", "")
        return out

    def to_json(self, indent: int | None = 2) -> str:
        """Strict JSON (no NaN, no Infinity)."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)


def _status_rates(result: Any, rows: np.ndarray, won: np.ndarray) -> dict[str, dict[str, Any]] | None:
    if "status" not in getattr(result, "table", pd.DataFrame()).columns:
        return None
    from .qualify import CONDITIONAL, NOT_QUALIFIED, QUALIFIED

    status = np.asarray(result.table["status"].tolist(), dtype=object)[rows]
    out = {}
    for s in (QUALIFIED, CONDITIONAL, NOT_QUALIFIED):
        mask = status == s
        n, w = int(mask.sum()), int(won[mask].sum())
        out[s] = {"n": n, "won": w, "win_rate": (w / n) if n else None}
    return out


def _benefit_values(matrix: np.ndarray, types: np.ndarray, method: str, normalization: str) -> tuple[np.ndarray, str]:
    """The criteria as the ranking normalises them (benefit form): TOPSIS's normalisation, else min-max."""
    norm = normalization if method == "topsis" else "minmax"
    return core_methods.normalize(matrix, types, norm), norm


def learn(
    history: str | Path | pd.DataFrame | Portfolio,
    criteria: CriteriaSet,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    method: str = "topsis",
    *,
    judgments: Any = None,
    normalization: str = "vector",
    thresholds: Mapping[str, float] | None = None,
    current: str | Path | pd.DataFrame | Portfolio | None = None,
    basis: str = "outcome",
    samples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
    top_fraction: float = 1 / 3,
    bins: int = 5,
    delta: float = DEFAULT_DELTA,
    post_optimality: float = 0.1,
    today: date | None = None,
    sheet: str | int | None = None,
) -> LearnResult:
    """Backtest the qualification on a history and fit the weights the history implies (see the module doc).

    ``weights`` / ``judgments`` / ``method`` / ``normalization`` / ``thresholds`` are those of
    :func:`~mcda_qualify.decision.decide`. ``basis``: ``"outcome"`` (won preferred to lost) or
    ``"bid"`` (won or lost, i.e. bid, preferred to no bid: the team's own go / no-go decisions).
    """
    from .decision import decide

    if basis not in ("outcome", "bid"):
        raise InputError("unknown basis for the implied weights", value=basis, expected="'outcome' or 'bid'")
    method = method.lower().replace("-", "_")
    if method not in core_methods.METHODS:
        raise InputError("learn ranks with a method of the numeric core", value=method,
                         expected=f"one of {', '.join(core_methods.METHODS)}")
    portfolio, outcomes, _ = load_history(history, criteria, sheet=sheet, today=today)
    result, _info = decide(portfolio, weights, method, judgments=judgments, normalization=normalization,
                           thresholds=thresholds)
    ranking = getattr(result, "ranking", result)
    stated = {k: float(v) for k, v in ranking.weights.items()}
    oc = np.array(outcomes, dtype=object)
    rows = np.flatnonzero(np.isin(oc, ("won", "lost")))
    won = oc[rows] == "won"
    n_won, n_lost = int(won.sum()), int((~won).sum())
    scores = ranking.table["score"].to_numpy(dtype=float)
    oriented = scores if ranking.better == "higher" else -scores
    warnings, reasons = [], {}
    if rows.size < MIN_DECIDED:
        warnings.append(f"only {rows.size} decided deals (won or lost): the figures are fragile below about "
                        f"{MIN_DECIDED}; read the interval, not the point estimate")
    a = bt.auc(oriented[rows], won)
    iv = bt.auc_bootstrap(oriented[rows], won, samples=samples, seed=seed, level=level)
    lift = bt.lift(oriented[rows], won, top_fraction) if rows.size >= 2 else None
    by_status = _status_rates(result, rows, won)
    if by_status is None:
        reasons["win_rate_by_status"] = f"method {method!r} has no status bands (give thresholds)"
    prob = _probabilities(portfolio, rows)
    brier = rel = None
    if prob is None:
        reasons["brier"] = reasons["reliability"] = "the history has no 'win_probability' column"
    else:
        brier, rel = bt.brier(prob, won), bt.reliability(prob, won, bins)

    # implied weights: UTA-STAR, one segment per criterion, on the ranking's normalised criteria
    crit_ids = criteria.ids
    values, norm_used = _benefit_values(portfolio.matrix, criteria.types, method, normalization)
    if basis == "outcome":
        fit_rows, better = rows, won
    else:
        fit_rows = np.flatnonzero(np.isin(oc, ("won", "lost", "no bid")))
        better = oc[fit_rows] != "no bid"
        if better.all() or not better.any():
            raise InputError("basis 'bid' needs both bid (won or lost) and 'no bid' deals", file=portfolio.source,
                             column="outcome", expected="at least one 'no bid' outcome")
    sub = values[fit_rows]
    varying = np.flatnonzero(sub.max(axis=0) > sub.min(axis=0))
    fixed = [crit_ids[j] for j in range(len(crit_ids)) if j not in set(varying)]
    up, down = np.flatnonzero(better), np.flatnonzero(~better)
    prefs = np.column_stack([np.repeat(up, down.size), np.tile(down, up.size)])
    implied: dict[str, float | None] = {cid: None for cid in crit_ids}
    ranges: dict[str, list[float] | None] = {cid: None for cid in crit_ids}
    fit = None
    if varying.size:
        fit = additive_linear(sub[:, varying], preferences=prefs, delta=delta, post_optimality=post_optimality)
        for k, j in enumerate(varying):
            implied[crit_ids[j]] = float(fit.weights[k])
            ranges[crit_ids[j]] = [float(fit.weight_ranges[k, 0]), float(fit.weight_ranges[k, 1])]
        if fixed:
            reasons["implied_weights"] = (f"constant among the deals fitted, so the history says nothing of their "
                                          f"weight: {', '.join(fixed)}")
    else:  # every decided deal has the same values: nothing tells a won deal from a lost one
        reasons["implied_weights"] = ("no criterion varies among the deals fitted, so the history implies no "
                                      "weights (every decided deal has the same values)")
        reasons["fit_error"] = reasons["implied_weight_ranges"] = reasons["implied_weights"]

    change = None
    if fit is not None:
        change = _ranking_change(current, portfolio, oc, criteria, method, normalization, stated,
                                 {c: (w or 0.0) for c, w in implied.items()}, sheet)
        if change is None:
            reasons["ranking_change"] = "no current opportunities: give current=..., or keep 'open' deals in the history"
    else:
        reasons["ranking_change"] = "no implied weights to rank with"
    return LearnResult(int(rows.size), n_won, n_lost, a, iv, by_status, lift, brier, rel, fit, implied, ranges,
                       None if fit is None else float(fit.fit_error), stated, change, method, norm_used, basis,
                       warnings, reasons)


def _ranking_change(current: Any, history: Portfolio, oc: np.ndarray, criteria: CriteriaSet, method: str,
                    normalization: str, stated: dict[str, float], implied: dict[str, float], sheet: Any) -> pd.DataFrame | None:
    """Rank per id of today's opportunities under the stated and the implied weights."""
    if current is None:
        open_ids = [history.ids[i] for i in np.flatnonzero(oc == "open")]
        if len(open_ids) < 2:
            return None
        port = history.subset(open_ids)
    elif isinstance(current, Portfolio):
        port = current
    else:
        port = load_portfolio(current, criteria, sheet=sheet)
    if len(port) < 2:
        return None
    check_rankable(port)
    better = core_methods.METHODS[method].better
    types = criteria.types
    out = pd.DataFrame({"id": port.ids, "name": port.names})
    for label, w in (("stated", stated), ("implied", implied)):
        wv = np.array([w.get(c, 0.0) for c in criteria.ids])
        s = np.asarray(core_methods.score(method, port.matrix, wv / wv.sum(), types, normalization=normalization), dtype=float)
        out[f"score_{label}"] = s
        out[f"rank_{label}"] = core_methods.rank_scores(s, better)
    out["rank_change"] = out["rank_stated"] - out["rank_implied"]
    return out.sort_values(["rank_stated", "id"], kind="stable").reset_index(drop=True)
