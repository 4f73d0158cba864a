"""Command line, bid plan: ``mcda-qualify plan``. Thin: parse, call :func:`mcda_qualify.plan.plan`, present.

Registered on the main app by :func:`register` (called at the end of :mod:`mcda_qualify.cli`, whose
helpers it reuses). No ``from __future__ import annotations`` here: typer reads the option types of
the command defined inside :func:`register` from its live annotations.
"""
import json
import math
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .errors import InputError

__all__ = ["register", "parse_pairs", "plan_text", "plan_csv"]


def parse_pairs(items: Optional[list[str]], option: str, kind: str) -> list[tuple[str, Any]]:
    """``["a=1", ...]`` -> ``[("a", 1.0), ...]``; ``kind``: number, count (whole >= 0) or id. Every bad item is
    named with its option and what was expected, all at once."""
    out: list[tuple[str, Any]] = []
    bad: list[str] = []
    example = {"number": "sales_effort=600", "count": "customer=1", "id": "OPP-05=OPP-02"}[kind]
    for raw in items or []:
        key, sep, val = str(raw).partition("=")
        key, val = key.strip(), val.strip()
        if not sep or not key or not val:
            bad.append(f"{option} {raw!r}: expected NAME=VALUE, e.g. {example}")
            continue
        if kind == "id":
            out.append((key, val))
            continue
        try:
            x = float(val)
        except ValueError:
            bad.append(f"{option} {raw!r}: {val!r} is not a number (e.g. {example})")
            continue
        if kind == "count":
            if not (math.isfinite(x) and x >= 0 and x.is_integer()):
                bad.append(f"{option} {raw!r}: {val!r} is not a whole number >= 0 (e.g. {example})")
                continue
            out.append((key, int(x)))
        else:
            if not math.isfinite(x) or x < 0:
                bad.append(f"{option} {raw!r}: the limit must be a number >= 0 (e.g. {example})")
                continue
            out.append((key, x))
    keys = [k for k, _ in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup and kind != "id":
        bad.append(f"{option}: {', '.join(dup)} given twice (give each column once)")
    if bad:
        raise InputError("; ".join(bad), value=None)
    return out


def _cell(v: Any, fmt: str = "{:g}") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return fmt.format(v)


def plan_text(result: Any, *, method: str, robust_asked: bool) -> str:
    """The plan as a text table: capacities, the opportunities (selected first, by value), reasons of
    the left-out ones, the frontier and the robust plan when asked."""
    t = result.table
    caps = result.capacities
    cols = caps["column"].tolist()
    total = f"{result.total:,.0f}" if result.objective == "expected_value" else f"{result.total:.4f}"
    lines = [f"Bid plan: maximise {result.objective} ({method.upper()}), total {total}, "
             f"{int(t['selected'].sum())} of {len(t)} opportunities selected"]
    for r in caps.to_dict("records"):
        lines.append(f"  {r['column']}: uses {r['used']:g} of {r['limit']:g} (slack {r['slack']:g})")
    name_w = min(34, max(4, *(len(str(n)) for n in t["name"])))
    id_w = max(2, *(len(str(i)) for i in t["id"]))
    cap_w = [max(len(c), 6) for c in cols]
    head = (f"  {'':1} {'id':<{id_w}}  {'name':<{name_w}}  {'value':>8}  "
            + "  ".join(f"{c:>{w}}" for c, w in zip(cols, cap_w))
            + (f"  {'accept.':>7}  {'class':<10}" if robust_asked else "") + "  status")
    lines += [head, "  " + "-" * (len(head) - 2)]
    order = t.assign(_k=~t["selected"], _e=~t["eligible"]).sort_values(["_k", "_e", "value"], ascending=[True, True, False])
    for r in order.to_dict("records"):
        mark = "x" if r["selected"] else ("-" if not r["eligible"] else " ")
        name = str(r["name"])
        name = name if len(name) <= name_w else name[: name_w - 1] + "~"
        value = f"{r['value']:,.0f}" if result.objective == "expected_value" else f"{r['value']:.4f}"
        line = (f"  {mark:1} {r['id']:<{id_w}}  {name:<{name_w}}  {value:>8}  "
                + "  ".join(f"{_cell(r[c]):>{w}}" for c, w in zip(cols, cap_w)))
        if robust_asked:
            line += f"  {_cell(r['acceptability'], '{:6.1%}'):>7}  {str(r['robust_class'] or '-'):<10}"
        line += f"  {r['status'] if r['status'] is not None else ''}"
        lines.append(line.rstrip())
    lines.append("  x selected, - not eligible (a gate failed, or the status is filtered out)")
    left = order[~order["selected"]]
    if len(left):
        lines.append("Why left out, and what it takes to get in:")
        for r in left.to_dict("records"):
            why = [x for x in r["reasons"] if not x.startswith("in ") or "sampled" not in x]
            lines.append(f"  {r['id']}: " + "; ".join(why))
    if len(result.frontier):
        f = result.frontier
        lines.append(f"Efficient frontier ({len(f)} levels; marginal: objective per unit of capacity to the next level):")
        lines.append(f"  {'limit':>10}  {'total':>8}  {'marginal':>9}  selected")
        for r in f.to_dict("records"):
            lines.append(f"  {r['limit']:>10.1f}  {r['total']:>8.4f}  {_cell(r['marginal'], '{:9.5f}'):>9}  "
                         + ", ".join(r["selected"]))
    if robust_asked and result.robust:
        rb = result.robust
        wm = rb.get("weight_model") or {}
        desc = wm.get("distribution", wm.get("model")) if isinstance(wm, dict) else str(wm)
        if isinstance(wm, dict) and wm.get("model") == "dirichlet":
            desc = f"Dirichlet around the weights, concentration {wm['concentration']:g}"
        n_core = int((t["robust_class"] == "core").sum())
        n_border = int((t["robust_class"] == "borderline").sum())
        n_ext = int((t["robust_class"] == "exterior").sum())
        lines.append(f"Robust plan: {rb['samples']:,} weight samples ({desc}; seed {rb['seed']}), each sample's plan "
                     f"solved exactly ({rb['solver_calls']} HiGHS solve(s), {rb['seconds']:.2f} s); "
                     "Liesio, Mild & Salo 2007.")
        lines.append(f"  core (in every sampled plan) {n_core}, borderline {n_border}, exterior (in none) {n_ext}")
    return "\n".join(lines)


def plan_csv(result: Any) -> str:
    """The opportunity table of the plan (reasons joined with '; ')."""
    from .io.export import to_csv_text

    t = result.table.copy()
    t["reasons"] = ["; ".join(r) for r in t["reasons"]]
    return to_csv_text(t)


def register(app: typer.Typer) -> None:
    """Add ``plan`` to ``app``."""
    from .cli import (
        ExcludeOpt,
        FormatOpt,
        JudgmentsOpt,
        MethodOpt,
        Missing,
        MissingOpt,
        NormOpt,
        Opportunities,
        OutputOpt,
        SheetOpt,
        WeightsOpt,
        Fmt,
        HeaderRowOpt,
        MappingOpt,
        _emit,
        _fmt,
        _judgment_samples,
        _load,
        _run,
    )

    CritOpt = Annotated[Optional[Path], typer.Option("--criteria", "-c", help="Criteria YAML file (default: the bundled eTOM criteria, criteria/qualify_selling_opportunity.yaml).", show_default=False)]

    @app.command("plan")
    def plan_cmd(
        opportunities: Opportunities,
        capacity: Annotated[Optional[list[str]], typer.Option("--capacity", help="COLUMN=LIMIT: the chosen opportunities' COLUMN sums to at most LIMIT (repeatable), e.g. sales_effort=600.")] = None,
        criteria: CritOpt = None,
        weights: WeightsOpt = None,
        judgments: JudgmentsOpt = None,
        method: MethodOpt = "topsis",
        normalization: NormOpt = "vector",
        objective: Annotated[str, typer.Option("--objective", help="score (the method's score made additive), expected_value (win_probability x value - pursuit_cost) or weighted_score (score x win_probability).")] = "score",
        must: Annotated[Optional[list[str]], typer.Option("--must", help="An opportunity id the plan must contain (repeatable).")] = None,
        never: Annotated[Optional[list[str]], typer.Option("--never", help="An opportunity id the plan must leave out (repeatable).")] = None,
        per: Annotated[Optional[list[str]], typer.Option("--per", help="COLUMN=K: at most K opportunities per value of COLUMN (repeatable), e.g. customer=1.")] = None,
        per_exactly: Annotated[Optional[list[str]], typer.Option("--per-exactly", help="COLUMN=K: exactly K opportunities per value of COLUMN.")] = None,
        requires: Annotated[Optional[list[str]], typer.Option("--requires", help="A=B: opportunity A only together with B (repeatable).")] = None,
        min_count: Annotated[Optional[int], typer.Option("--min-count", help="At least this many opportunities.")] = None,
        max_count: Annotated[Optional[int], typer.Option("--max-count", help="At most this many opportunities.")] = None,
        only_status: Annotated[Optional[list[str]], typer.Option("--only-status", help="Consider only opportunities with this status (repeatable): Qualified, Conditional, 'Not qualified'.")] = None,
        frontier: Annotated[Optional[str], typer.Option("--frontier", help="A capacity column: the best total as its limit varies (efficient frontier).")] = None,
        levels: Annotated[int, typer.Option("--levels", help="Levels of the frontier.")] = 20,
        robust: Annotated[Optional[int], typer.Option("--robust", help="Robust plan: N weight samples, each sample's plan solved exactly; plan acceptability per opportunity.")] = None,
        seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed of the robust plan (the same seed gives the same figures).")] = None,
        weight_model: Annotated[str, typer.Option("--weight-model", help="Robust plan weights: dirichlet (around the weights in force) or uniform (no information).")] = "dirichlet",
        concentration: Annotated[float, typer.Option(help="Dirichlet concentration (larger = closer to the weights).")] = 100.0,
        judgment_steps: Annotated[int, typer.Option("--judgment-uncertainty", help="With --judgments and --robust: move every judgment up to this many Saaty-scale steps and propagate it to the weights (0: off).")] = 0,
        format: FormatOpt = None,
        output: OutputOpt = None,
        sheet: SheetOpt = None,
        mapping: MappingOpt = None,
        header_row: HeaderRowOpt = None,
        missing: MissingOpt = Missing.error,
        exclude: ExcludeOpt = None,
    ) -> None:
        """Bid plan: the best set of eligible opportunities within the capacities (exact 0-1 program, HiGHS)."""

        def body() -> None:
            from .plan import plan

            caps = dict(parse_pairs(capacity, "--capacity", "number"))
            per_k = dict(parse_pairs(per, "--per", "count"))
            per_x = dict(parse_pairs(per_exactly, "--per-exactly", "count"))
            req = parse_pairs(requires, "--requires", "id")
            if not caps and frontier is None:
                raise InputError("a plan needs at least one --capacity COLUMN=LIMIT (or --frontier COLUMN)",
                                 expected="e.g. --capacity sales_effort=600")
            if weights is not None and judgments is not None:
                raise InputError("give --weights or --judgments, not both")
            crit, portfolio, _ = _load(opportunities, criteria, sheet, missing, mapping, header_row)
            w: Any = None
            if weights is not None:
                from .weights import load_weights

                w = load_weights(weights)
            samples, model = _judgment_samples(judgments, crit, robust, seed, judgment_steps, "--robust", weight_model)
            result = plan(portfolio, w, method, capacities=caps, objective=objective, must=must or (),
                          never=never or (), per=per_k or None, per_exactly=per_x or None, requires=req,
                          min_count=min_count, max_count=max_count, only_statuses=only_status, frontier=frontier,
                          levels=levels, robust=robust, weight_model=model, concentration=concentration,
                          weight_samples=samples, seed=seed, judgments=judgments, normalization=normalization,
                          exclude=exclude or ())
            if samples is not None:
                result.robust["weight_model"] = {"model": "judgments", "distribution": (
                    f"from {judgments}, every judgment moved up to {judgment_steps} Saaty-scale step(s)")}
            f = _fmt(format, output)
            if f is Fmt.json:
                text = json.dumps(result.to_json(), indent=2, ensure_ascii=False, allow_nan=False)
            elif f is Fmt.csv:
                text = plan_csv(result)
            else:
                text = plan_text(result, method=result.method, robust_asked=robust is not None)
            _emit(text, output)

        _run(body)
