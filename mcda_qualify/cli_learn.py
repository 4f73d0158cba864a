"""Command line, learning from outcomes: ``mcda-qualify learn`` and ``mcda-qualify outcome``.

Thin: parse, call :func:`mcda_qualify.learn.learn` or :func:`mcda_qualify.io.outcomes.record_outcome`,
present. Registered on the main app by :func:`register` (called at the end of :mod:`mcda_qualify.cli`).
No ``from __future__ import annotations``: typer reads the commands' live annotations.
"""
import math
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .errors import InputError

__all__ = ["register", "learn_text"]


def _pct(x: Any) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.0%}"


def _f(x: Any, fmt: str = "{:.3f}") -> str:
    return "-" if x is None or (isinstance(x, float) and not math.isfinite(x)) else fmt.format(x)


def learn_text(r: Any, source: str, current: str | None = None) -> str:
    """The learn result as text: counts, AUC with its interval, win rates, lift, calibration, implied
    weights against today's with their ranges, fitting error, ranking change."""
    lines = [f"Learning from {source}: {r.method.upper()} scores ({r.normalization} normalisation in the fit), "
             f"implied weights from {'won over lost' if r.basis == 'outcome' else 'bid over no bid'}"]
    lines.append(f"Decided deals (won or lost): {r.n_decided} ({r.n_won} won, {r.n_lost} lost)")
    for w in r.warnings:
        lines.append(f"warning: {w}")
    if r.auc is not None:
        iv = r.auc_interval
        ivt = (f", {iv.level:.0%} interval {iv.low:.3f} to {iv.high:.3f} ({iv.samples:,} bootstrap samples)"
               if iv is not None else "")
        lines.append(f"AUC {r.auc:.3f}{ivt}: the chance that a won deal scores above a lost one (0.5 = no better "
                     "than chance; Hanley & McNeil 1982)")
        if iv is not None and iv.low <= 0.5 <= iv.high:
            lines.append("  the interval includes 0.5: the history cannot tell the score from chance yet")
    if r.win_rate_by_status:
        lines.append("Win rate per status (decided deals):")
        for s, v in r.win_rate_by_status.items():
            lines.append(f"  {s:<14} {v['won']:>3} won of {v['n']:>3}  {_pct(v['win_rate']):>5}")
    elif "win_rate_by_status" in r.reasons:
        lines.append(f"Win rate per status: not available ({r.reasons['win_rate_by_status']})")
    if r.lift is not None:
        lf = r.lift
        lines.append(f"Lift of the top third ({lf.n_top} deals by score): win rate {_pct(lf.top_rate)} against "
                     f"{_pct(lf.rest_rate)} for the rest (base {_pct(lf.base_rate)}), lift {_f(lf.lift, '{:.2f}')}")
    if r.brier is not None:
        lines.append(f"Stated win_probability: Brier score {r.brier:.3f} (0 is perfect; always saying 50% scores 0.25; "
                     "Brier 1950). Reliability (Murphy & Winkler 1977):")
        rel = r.reliability
        lines.append(f"  {'stated':>11}  {'deals':>5}  {'mean stated':>11}  {'observed':>8}")
        for k in range(rel.counts.size):
            lines.append(f"  {rel.edges[k]:4.0%} - {rel.edges[k + 1]:<4.0%}  {int(rel.counts[k]):>5}  "
                         f"{_pct(rel.mean_predicted[k]):>11}  {_pct(rel.observed_rate[k]):>8}")
    elif "brier" in r.reasons:
        lines.append(f"Stated win_probability: not calibrated ({r.reasons['brier']})")
    fit = r.implied
    lines.append(f"Weights the history implies (UTA-STAR, one segment per criterion; Siskos & Yannacopoulos 1985), "
                 f"fitting error {_f(r.fit_error, '{:.4f}')}"
                 + (f", {fit.reproduced:.0%} of the {'won > lost' if r.basis == 'outcome' else 'bid > no bid'} "
                    "pairs reproduced" if fit is not None else "") + ":")
    width = max(len(c) for c in r.stated_weights)
    lines.append(f"  {'criterion':<{width}}  {'today':>6}  {'implied':>7}  {'consistent range':>16}")
    order = sorted(r.stated_weights, key=lambda c: -(r.implied_weights.get(c) or 0.0))
    for c in order:
        iw = r.implied_weights.get(c)
        rg = r.implied_weight_ranges.get(c)
        rgt = f"{rg[0]:.3f} - {rg[1]:.3f}" if rg else "(constant)"
        lines.append(f"  {c:<{width}}  {r.stated_weights[c]:6.3f}  {_f(iw):>7}  {rgt:>16}")
    if r.reasons.get("implied_weights"):
        lines.append(f"  {r.reasons['implied_weights']}")
    rc = r.ranking_change
    if rc is not None:
        which = current or "the history's open deals"
        lines.append(f"Ranking of today's opportunities ({which}) under today's and the implied weights:")
        id_w = max(2, *(len(str(i)) for i in rc["id"]))
        name_w = min(40, max(4, *(len(str(n)) for n in rc["name"])))
        lines.append(f"  {'id':<{id_w}}  {'name':<{name_w}}  {'today':>5}  {'implied':>7}  change")
        for row in rc.to_dict("records"):
            name = str(row["name"])
            name = name if len(name) <= name_w else name[: name_w - 1] + "~"
            ch = int(row["rank_change"])
            lines.append(f"  {row['id']:<{id_w}}  {name:<{name_w}}  {int(row['rank_stated']):>5}  "
                         f"{int(row['rank_implied']):>7}  {'+' if ch > 0 else ''}{ch if ch else '='}")
    elif "ranking_change" in r.reasons:
        lines.append(f"Ranking change: not shown ({r.reasons['ranking_change']})")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add ``learn`` and ``outcome`` to ``app``."""
    from .cli import DecisionOpt, Fmt, FormatOpt, JudgmentsOpt, OutputOpt, SheetOpt, WeightsOpt, _criteria_path, _emit, _fmt, _run

    @app.command("learn")
    def learn_cmd(
        history: Annotated[Optional[Path], typer.Argument(help="History: an opportunity table with an 'outcome' column (won / lost / no bid / withdrawn / open) and optionally 'decided' (YYYY-MM-DD). Or use --db.", show_default=False)] = None,
        criteria: Annotated[Optional[Path], typer.Option("--criteria", "-c", help="Criteria YAML file (default: the store version's criteria with --db, else the bundled eTOM criteria).", show_default=False)] = None,
        weights: WeightsOpt = None,
        judgments: JudgmentsOpt = None,
        method: Annotated[Optional[str], typer.Option("--method", "-m", help="topsis, vikor, promethee_ii, spotis, wsm, wpm, copras, moora (default: topsis, or the store version's).")] = None,
        normalization: Annotated[Optional[str], typer.Option("--normalization", "-n", help="TOPSIS normalisation: vector or minmax (default: vector, or the store version's).")] = None,
        basis: Annotated[str, typer.Option("--basis", help="Implied weights from won over lost deals (outcome) or from the team's go / no-go decisions (bid).")] = "outcome",
        samples: Annotated[int, typer.Option("--samples", help="Bootstrap samples of the AUC interval.")] = 2000,
        seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed (the same seed gives the same interval).")] = 0,
        current: Annotated[Optional[Path], typer.Option("--current", help="Today's opportunities to re-rank under the implied weights (default: the history's open deals).")] = None,
        db: Annotated[Optional[Path], typer.Option("--db", help="Decision store: learn from a decision's latest version joined with its recorded outcomes.")] = None,
        decision: DecisionOpt = None,
        format: FormatOpt = None,
        output: OutputOpt = None,
        sheet: SheetOpt = None,
    ) -> None:
        """Does the qualification predict wins (AUC, win rates, lift, calibration), and which weights does the history imply?"""

        def body() -> None:
            from .criteria import load_criteria
            from .learn import learn

            if (history is None) == (db is None):
                raise InputError("give a HISTORY file or --db DB (with --decision NAME), one of them",
                                 expected="e.g. mcda-qualify learn history.csv")
            if weights is not None and judgments is not None:
                raise InputError("give --weights or --judgments, not both")
            f = _fmt(format, output)
            if f is Fmt.csv:
                raise InputError("the learn command writes table or json", value="csv", expected="--format table or json")
            w: Any = None
            if weights is not None:
                from .weights import load_weights

                w = load_weights(weights)
            m, norm = method, normalization
            if db is not None:
                from .io import store
                from .io.outcomes import history_from_store

                name = store.resolve_decision(db, decision)
                ws = store.load_version(db, name)
                crit = load_criteria(criteria) if criteria is not None else ws.criteria()
                if w is None and judgments is None and criteria is None:
                    w = ws.weights  # None: the criteria's own weights
                m = m or ws.settings.method
                norm = norm or ws.settings.normalization
                source: Any = history_from_store(db, name)
                label = f"{db} [{name}]"
            else:
                crit = load_criteria(_criteria_path(criteria))
                source, label = history, str(history)
            result = learn(source, crit, w, m or "topsis", judgments=judgments, normalization=norm or "vector",
                           basis=basis, samples=samples, seed=seed, current=current, sheet=sheet)
            _emit(result.to_json() if f is Fmt.json else learn_text(result, label, None if current is None else str(current)),
                  output)

        _run(body)

    @app.command("outcome")
    def outcome_cmd(
        db: Annotated[Path, typer.Argument(help="Decision store (SQLite).", show_default=False)],
        opportunity: Annotated[str, typer.Argument(help="Opportunity id, as in the saved versions.", show_default=False)],
        outcome: Annotated[str, typer.Argument(help="won, lost, 'no bid', withdrawn or open.", show_default=False)],
        decision: DecisionOpt = None,
        decided: Annotated[Optional[str], typer.Option("--decided", help="Date of the outcome, YYYY-MM-DD (not in the future).")] = None,
        author: Annotated[Optional[str], typer.Option(help="Who records it.")] = None,
        note: Annotated[Optional[str], typer.Option(help="A note kept with the outcome.")] = None,
    ) -> None:
        """Record an opportunity's outcome against the latest version that holds it (history kept)."""

        def body() -> None:
            from .io import store
            from .io.outcomes import record_outcome

            name = store.resolve_decision(db, decision)
            rec = record_outcome(db, name, opportunity, outcome, decided=decided, author=author, note=note)
            when = f", decided {rec.decided}" if rec.decided else ""
            again = f" (revision {rec.revision}; earlier ones kept)" if rec.revision > 1 else ""
            typer.echo(f"recorded {rec.opportunity} {rec.outcome}{when} in {name}, against version {rec.version}{again}")

        _run(body)
