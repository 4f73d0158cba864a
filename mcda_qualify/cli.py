"""Command line: ``mcda-qualify rank|qualify|...``. Thin: parse, call the library, present.

Exit status: 0 success, 2 bad input (one line on stderr, no traceback), 1 a bug.
Library modules are imported inside the commands so that ``--help`` answers at once.
"""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from .errors import InputError, safe_text

app = typer.Typer(
    name="mcda-qualify",
    help="Qualify selling opportunities (eTOM 1.1.9.1) with multi-criteria decision analysis.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Fmt(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Missing(str, Enum):
    error = "error"
    worst = "worst"


Opportunities = Annotated[Path, typer.Argument(help="Opportunity table or CRM export: CSV (any delimiter; UTF-8, cp1252) or XLSX.", show_default=False)]
CriteriaOpt = Annotated[Optional[Path], typer.Option("--criteria", "-c", help="Criteria YAML file (default: the bundled eTOM criteria, criteria/qualify_selling_opportunity.yaml).", show_default=False)]
MappingOpt = Annotated[Optional[Path], typer.Option("--mapping", help="Import profile (YAML): how a CRM export's columns, values and numbers map onto the criteria.", show_default=False)]
HeaderRowOpt = Annotated[Optional[int], typer.Option("--header-row", help="Row of the column names (1-based; default: detected, a title block above it is skipped).", show_default=False)]
WeightsOpt = Annotated[Optional[Path], typer.Option("--weights", "-w", help="YAML mapping criterion -> weight (default: the criteria file's weights).")]
JudgmentsOpt = Annotated[Optional[Path], typer.Option("--judgments", "-j", help="AHP judgments YAML: rank with the weights they give.")]
MethodOpt = Annotated[str, typer.Option("--method", "-m", help="topsis, ahp, vikor, promethee_ii, spotis, wsm, wpm, copras, moora.")]
NormOpt = Annotated[str, typer.Option("--normalization", "-n", help="TOPSIS normalisation: vector (Hwang & Yoon 1981) or minmax.")]
# WSM has its own option, not --normalization: that one is TOPSIS's (default vector), and "minmax" of
# both would silently change WSM numbers for users who pass -n minmax for TOPSIS today.
WsmNormOpt = Annotated[str, typer.Option("--wsm-normalization", help="WSM normalisation: sum (default; x/sum x, (1/x)/sum(1/x) for costs, as pymcdm), max (SAW: x/max, min/x) or minmax.")]
FormatOpt = Annotated[Optional[Fmt], typer.Option("--format", "-f", help="Output format (default: from the -o extension, else table).")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")]
SheetOpt = Annotated[Optional[str], typer.Option("--sheet", help="Worksheet of an XLSX file (name or 0-based position).")]
MissingOpt = Annotated[Missing, typer.Option("--missing", help="Missing cells: 'error' (default) or 'worst' (fill with the criterion's worst value and say so).")]
DbOpt = Annotated[Optional[Path], typer.Option("--db", help="Decision store (SQLite). Default: $MCDA_QUALIFY_DB or ~/.mcda-qualify/decisions.sqlite.")]
DecisionOpt = Annotated[Optional[str], typer.Option("--decision", "-d", help="Decision name (needed when the store holds several).")]
ExcludeOpt = Annotated[Optional[list[str]], typer.Option("--exclude", "-x", help="Leave a criterion out of the ranking (repeatable); gates still apply.")]


def _run(body: Callable[[], None]) -> None:
    """Run a command body; bad input exits 2 with one ``error:`` line per problem on stderr."""
    try:
        body()
    except InputError as exc:
        _notes(getattr(exc, "table_info", None))
        for p in getattr(exc, "problems", None) or [exc]:
            typer.echo(f"{'note' if getattr(p, 'is_note', False) else 'error'}: {safe_text(p.message, keep=chr(10))}", err=True)
        raise typer.Exit(2) from None
    except BrokenPipeError:  # e.g. piped into `head`
        raise typer.Exit(0) from None


def _json_safe(text: str) -> str:
    """JSON text with the characters a terminal would act on (DEL, C1, bidi overrides) written as \\u
    escapes: the same data, still valid JSON (json.dumps already escapes the C0 control characters)."""
    if safe_text(text, keep="\n\t") == text:
        return text
    return "".join(f"\\u{ord(ch):04x}" if ch not in "\n\t" and safe_text(ch) != ch else ch for ch in text)


def _emit(text: str, output: Path | None, fmt: "Fmt | None" = None, inputs: tuple[Any, ...] = ()) -> None:
    """Print ``text``, or write it atomically to ``output`` (never over one of ``inputs``).

    User data never reaches the terminal raw: a table has control characters and bidi overrides
    escaped (:func:`mcda_qualify.errors.safe_text`), JSON has them as \\u escapes, and CSV on a terminal too.
    """
    text = text if text.endswith("\n") else text + "\n"
    if output is None and sys.stdout is None:  # started with standard output closed (`>&-`)
        raise InputError("standard output is closed: nowhere to write the result",
                         expected="a terminal, a pipe or a file (-o FILE)")
    if fmt is Fmt.json:
        text = _json_safe(text)
    elif fmt is not Fmt.csv or (output is None and sys.stdout.isatty()):
        text = safe_text(text, keep="\n\t")
    if output is None:
        sys.stdout.write(text)
        return
    from .io.files import write_atomic

    write_atomic(output, text, inputs=inputs)
    typer.echo(f"wrote {safe_text(output)}", err=True)


def _fmt(fmt: Fmt | None, output: Path | None) -> Fmt:
    if fmt is not None:
        return fmt
    if output is not None and output.suffix.lower() in (".json", ".csv"):
        return Fmt(output.suffix.lower()[1:])
    return Fmt.table


def _ratio(x: float | None) -> str:
    """A judgment as a person writes it: 3, 1/3, 2.5 ('-' when not given)."""
    if x is None:
        return "-"
    if x >= 1 or x <= 0:
        return f"{x:g}"
    inv = 1 / x
    return f"1/{inv:.0f}" if abs(inv - round(inv)) < 1e-9 else f"{x:.3g}"


def _notes(info: Any) -> None:
    """How a file was read, when there is something to say (encoding, title block, hidden sheets)."""
    for note in getattr(info, "notes", None) or []:
        typer.echo(f"note: {info.path}: {note}", err=True)


def _criteria_path(criteria: Path | None) -> Path:
    from .criteria import default_criteria_path

    return criteria if criteria is not None else default_criteria_path()


def _load(opportunities: Path, criteria: Path | None, sheet: str | None, missing: Missing,
          mapping: Path | None = None, header_row: int | None = None) -> tuple[Any, Any, Any]:
    """Criteria and opportunities (any file, with its import profile): (criteria, portfolio, clean table or None).

    Every file goes through :func:`mcda_qualify.importing.import_portfolio`; how it was read is
    said on stderr when there is something to say (encoding, title block, hidden sheets)."""
    from .criteria import load_criteria
    from .importing import read_opportunities
    from .portfolio import load_portfolio

    crit = load_criteria(_criteria_path(criteria))
    if mapping is None:
        from .importing import import_portfolio

        portfolio, info = import_portfolio(opportunities, crit, sheet=sheet, header_row=header_row,
                                           missing=missing.value)
        _notes(info)
        return crit, portfolio, None
    clean, info = read_opportunities(opportunities, crit, mapping=mapping, sheet=sheet, header_row=header_row,
                                     missing=missing.value)
    _notes(info)
    return crit, load_portfolio(clean, crit, missing=missing.value), clean


def _decide(opportunities: Path, criteria: Path | None, weights: Path | None, judgments: Path | None, method: str,
            normalization: str, sheet: str | None, missing: Missing, exclude: list[str] | None,
            thresholds: dict[str, float] | None, mapping: Path | None = None,
            header_row: int | None = None, wsm_normalization: str = "sum") -> tuple[Any, Any, dict[str, Any]]:
    """Load the inputs, then :func:`mcda_qualify.decision.decide`; warn on inconsistent judgments."""
    _crit, portfolio, _ = _load(opportunities, criteria, sheet, missing, mapping, header_row)
    result, info = _decide_loaded(portfolio, weights, judgments, method, normalization, exclude, thresholds,
                                  wsm_normalization)
    return portfolio, result, info


def _decide_loaded(portfolio: Any, weights: Path | None, judgments: Path | None, method: str, normalization: str,
                   exclude: list[str] | None, thresholds: dict[str, float] | None = None,
                   wsm_normalization: str = "sum") -> tuple[Any, dict[str, Any]]:
    from .decision import decide

    w = None
    if weights is not None:
        if judgments is not None:
            raise InputError("give --weights or --judgments, not both")
        from .weights import load_weights

        w = load_weights(weights)
    result, info = decide(portfolio, w, method, judgments=judgments, normalization=normalization,
                          exclude=exclude or (), thresholds=thresholds,
                          weights_source=str(weights) if weights is not None else None,
                          wsm_normalization=wsm_normalization)
    if info and not info["consistent"]:
        r = info.get("review")
        hint = (f"; review {r['a']} vs {r['b']} (given {_ratio(r['given'])}, suggested {_ratio(r['suggested'])})"
                if r else "")
        rule = info.get("verdict_rule") or f"CR <= {info['cr_threshold']:g}"
        cr = "" if info.get("cr") is None else f"CR {info['cr']:.3f}, "
        typer.echo(f"warning: {judgments}: judgments are inconsistent ({cr}rule {rule})"
                   f"{hint}. Run `mcda-qualify ahp {judgments}`.", err=True)
    return result, info


def _judgment_samples(judgments: Path | None, crit: Any, n: int | None, seed: int | None, steps: int,
                      count_option: str, weight_model: str) -> tuple[Any, str]:
    """Weight samples from uncertain judgments (``--judgment-uncertainty``) and the weight model to use:
    (None, ``weight_model``) when it is off."""
    if not steps:
        return None, weight_model
    if judgments is None or not n or steps < 0:
        raise InputError(f"--judgment-uncertainty needs --judgments and {count_option} N, and a number of steps >= 1",
                         value=steps)
    from .sensitivity import judgment_weight_samples

    return judgment_weight_samples(judgments, crit, n, seed, steps=steps), "samples"


def _text_table(portfolio: Any, result: Any, with_reasons: bool) -> str:
    ranking = getattr(result, "ranking", result)
    table = result.sorted()
    norm = f", {ranking.normalization} normalisation" if ranking.normalization else ""
    lines = [f"{portfolio.criteria.name}: {ranking.method.upper()}{norm}, {ranking.better} score is better"]
    if ranking.excluded:
        lines.append(f"excluded from the ranking: {', '.join(ranking.excluded)}")
    for f in portfolio.filled:
        lines.append(f"filled missing {f['column']} of {f['id']} with {f['value']:g} ({f['basis']})")
    name_w = min(44, max(4, *(len(str(n)) for n in table["name"])))
    id_w = max(2, *(len(str(i)) for i in table["id"]))
    has_status = "status" in table.columns
    head = f"{'rank':>4}  {'id':<{id_w}}  {'name':<{name_w}}  {'score':>8}" + ("  status" if has_status else "")
    lines += [head, "-" * len(head + ("         " if has_status else ""))]
    for r in table.to_dict("records"):
        name = str(r["name"])
        name = name if len(name) <= name_w else name[: name_w - 1] + "~"
        line = f"{int(r['rank']):>4}  {r['id']:<{id_w}}  {name:<{name_w}}  {r['score']:>8.4f}"
        if has_status:
            line += f"  {r['status']}"
        lines.append(line)
        if with_reasons and has_status:
            lines += [f"{'':>6}- {why}" for why in r["reasons"]]
    lines += _method_notes(ranking)
    lines += [f"note: {n}" for n in getattr(result, "notes", None) or ranking.notes]
    return "\n".join(lines)


def _method_notes(ranking: Any) -> list[str]:
    """The method's own conventions and conclusions: PROMETHEE functions, VIKOR's compromise set."""
    out = []
    funcs = ranking.details.get("promethee")
    if funcs:
        special = [f"{c} {f}" for c, f in funcs.items() if f != "usual"]
        out.append("PROMETHEE preference functions: " + (", ".join(special) + "; others usual" if special else "usual for every criterion"))
    comp = ranking.details.get("compromise")
    if comp:
        yn = {True: "yes", False: "no"}
        out.append(f"Compromise set: {', '.join(comp['ids'])} (acceptable advantage: {yn[comp['acceptable_advantage']]}, "
                   f"acceptable stability: {yn[comp['acceptable_stability']]}; v = {comp['v']:g}, DQ = {comp['dq']:.4g})")
    return out


def _csv(result: Any) -> str:
    from .io.export import to_csv_text

    table = result.sorted().copy()
    if "reasons" in table.columns:
        table["reasons"] = ["; ".join(r) for r in table["reasons"]]
    return to_csv_text(table)


def _present(portfolio: Any, result: Any, winfo: dict[str, Any], fmt: Fmt | None, output: Path | None, with_reasons: bool,
             inputs: tuple[Any, ...] = ()) -> None:
    f = _fmt(fmt, output)
    if f is Fmt.json:
        from .decision import result_payload

        text = json.dumps(result_payload(portfolio, result, winfo), indent=2, ensure_ascii=False, allow_nan=False)
    elif f is Fmt.csv:
        text = _csv(result)
        for n in getattr(result, "notes", None) or getattr(result, "ranking", result).notes:
            typer.echo(f"note: {n}", err=True)  # the CSV stays a plain table; the notes go to stderr
    else:
        text = _text_table(portfolio, result, with_reasons)
    _emit(text, output, f, inputs)


@app.command()
def rank(
    opportunities: Opportunities,
    criteria: CriteriaOpt = None,
    weights: WeightsOpt = None,
    judgments: JudgmentsOpt = None,
    method: MethodOpt = "topsis",
    normalization: NormOpt = "vector",
    format: FormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    mapping: MappingOpt = None,
    header_row: HeaderRowOpt = None,
    missing: MissingOpt = Missing.error,
    exclude: ExcludeOpt = None,
    wsm_normalization: WsmNormOpt = "sum",
) -> None:
    """Rank opportunities (best first), with their qualification status where the method has bands."""

    def body() -> None:
        inputs = (opportunities, criteria, weights, judgments, mapping)
        if output is not None:
            from .io.files import check_not_input

            check_not_input(output, inputs)  # before the work, not after
        portfolio, result, winfo = _decide(opportunities, criteria, weights, judgments, method, normalization,
                                           sheet, missing, exclude, None, mapping, header_row, wsm_normalization)
        _present(portfolio, result, winfo, format, output, with_reasons=False, inputs=inputs)

    _run(body)


@app.command()
def qualify(
    opportunities: Opportunities,
    criteria: CriteriaOpt = None,
    weights: WeightsOpt = None,
    judgments: JudgmentsOpt = None,
    method: MethodOpt = "topsis",
    normalization: NormOpt = "vector",
    format: FormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    mapping: MappingOpt = None,
    header_row: HeaderRowOpt = None,
    missing: MissingOpt = Missing.error,
    exclude: ExcludeOpt = None,
    qualified: Annotated[Optional[float], typer.Option(help="Qualified threshold on the method's score (default: the criteria file's).")] = None,
    conditional: Annotated[Optional[float], typer.Option(help="Conditional threshold on the method's score (default: the criteria file's).")] = None,
    wsm_normalization: WsmNormOpt = "sum",
) -> None:
    """Gates, then score bands: Qualified / Conditional / Not qualified, with the reasons."""

    def body() -> None:
        if (qualified is None) != (conditional is None):
            raise InputError("give both --qualified and --conditional, or neither")
        thresholds = None if qualified is None else {"qualified": qualified, "conditional": conditional}
        inputs = (opportunities, criteria, weights, judgments, mapping)
        if output is not None:
            from .io.files import check_not_input

            check_not_input(output, inputs)
        portfolio, result, winfo = _decide(opportunities, criteria, weights, judgments, method, normalization,
                                           sheet, missing, exclude, thresholds, mapping, header_row, wsm_normalization)
        if not hasattr(result, "thresholds"):
            from .qualify import qualify as decide

            result = decide(portfolio, ranking=result)  # raises the clear "give thresholds" error
        _present(portfolio, result, winfo, format, output, with_reasons=True, inputs=inputs)

    _run(body)


@app.command()
def sensitivity(
    opportunities: Opportunities,
    criteria: CriteriaOpt = None,
    weights: WeightsOpt = None,
    judgments: JudgmentsOpt = None,
    method: Annotated[str, typer.Option("--method", "-m", help="topsis or wsm (the weight analyses need a closed or root-found form).")] = "topsis",
    normalization: NormOpt = "vector",
    smaa: Annotated[int, typer.Option("--smaa", help="SMAA-2 samples (0: no SMAA).")] = 0,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed: the same seed gives the same SMAA figures.")] = None,
    weight_model: Annotated[str, typer.Option("--weight-model", help="SMAA weights: uniform (no information) or dirichlet (around the weights in force).")] = "uniform",
    concentration: Annotated[float, typer.Option(help="Dirichlet concentration for --weight-model dirichlet (larger = closer to the weights).")] = 100.0,
    passing_only: Annotated[bool, typer.Option("--passing-only", help="Analyse only the opportunities that pass every gate (the ones that can still be pursued).")] = False,
    judgment_steps: Annotated[int, typer.Option("--judgment-uncertainty", help="With --judgments and --smaa: move every judgment up to this many Saaty-scale steps and propagate it to the weights (0: off).")] = 0,
    smaa_top_r: Annotated[Optional[int], typer.Option("--smaa-top-r", help="With --smaa: count only ranks 1..R (memory grows with N x R, not N^2: for tens of thousands of opportunities).")] = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    sheet: SheetOpt = None,
    mapping: MappingOpt = None,
    header_row: HeaderRowOpt = None,
    missing: MissingOpt = Missing.error,
    exclude: ExcludeOpt = None,
    wsm_normalization: WsmNormOpt = "sum",
) -> None:
    """How fragile is the ranking: stability intervals, reversal points, critical criterion, SMAA-2."""

    def body() -> None:
        from .decision import judgment_weights
        from .sensitivity_summary import sensitivity_summary

        if output is not None:
            from .io.files import check_not_input

            check_not_input(output, (opportunities, criteria, weights, judgments, mapping))
        crit, portfolio, _ = _load(opportunities, criteria, sheet, missing, mapping, header_row)
        if passing_only:
            from .qualify import gate_failures

            n_all = len(portfolio)
            portfolio = portfolio.subset([i for i, f in zip(portfolio.ids, gate_failures(portfolio)) if not f])
            passing_note = f"--passing-only: {len(portfolio)} of {n_all} opportunities pass every gate"
        if weights is not None and judgments is not None:
            raise InputError("give --weights or --judgments, not both")
        w: Any = None
        if weights is not None:
            from .weights import load_weights

            w = load_weights(weights)
        elif judgments is not None:
            w, _ = judgment_weights(judgments, crit)
        if smaa < 0 or smaa > MAX_SMAA:
            raise InputError("--smaa must be 0 or a number of samples up to 1,000,000", value=smaa)
        samples, model = _judgment_samples(judgments, crit, smaa, seed, judgment_steps, "--smaa", weight_model)
        if smaa_top_r is not None and not smaa:
            raise InputError("--smaa-top-r needs --smaa N (the number of samples)", value=smaa_top_r)
        summary = sensitivity_summary(portfolio, w, method=method, normalization=normalization, smaa=smaa, seed=seed,
                                      exclude=exclude or (), weight_model=model, concentration=concentration,
                                      weight_samples=samples, wsm_normalization=wsm_normalization,
                                      smaa_top_r=smaa_top_r)
        if passing_only:
            summary["notes"] = [passing_note, *summary.get("notes", [])]
        if samples is not None:
            summary["weight_model"] = {"model": "judgments", "distribution": (
                f"from {judgments}, every judgment moved up to {judgment_steps} Saaty-scale step(s), weighted LLSM")}
            summary["seed"] = seed
        f = _fmt(format, output)
        if f is Fmt.csv:
            raise InputError("the sensitivity command writes table or json", value="csv", expected="--format table or json")
        text = (json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) if f is Fmt.json
                else _sensitivity_text(summary, portfolio))
        _emit(text, output, f, (opportunities, criteria, weights, judgments))

    _run(body)


def _pct(x: float) -> str:
    """A signed percentage: one decimal, or two significant digits below 0.05 (a crossing very near the
    current weight reads -0.00048, never -0.0)."""
    return f"{x:+.1f}" if abs(x) >= 0.05 else f"{x:+.2g}"


def _sensitivity_text(s: dict[str, Any], portfolio: Any) -> str:
    names = dict(zip(portfolio.ids, portfolio.names))
    norm = f", {s['normalization']} normalisation" if s.get("normalization") else ""
    top = "none" if s["top"] is None else f"{s['top']} {names[s['top']]}"
    if s.get("tied_for_first"):
        top = "tie between " + ", ".join(f"{i} {names[i]}" for i in s["tied_for_first"])
    lines = [f"Sensitivity of the {s['method'].upper()} ranking{norm}; top: {top}"]
    if s["weights"] and s["stability_intervals"]:
        lines += ["Weight of one criterion varied, the others rescaled in proportion:",
                  f"  {'criterion':<22} {'weight':>7}  {'top stays for':>15}  {'ranking stays for':>17}  reversals"]

    def span(lo: float, hi: float, width: int) -> str:  # a single point in words: holds only at this weight
        return f"{'only at ' + format(lo, '.3f'):>{2 * width + 3}}" if hi - lo <= 1e-9 else f"{lo:{width}.3f} - {hi:6.3f}"

    for c, w in s["weights"].items():
        if c not in s["stability_intervals"]:
            continue
        tlo, thi = s["top_stability_intervals"][c]
        rlo, rhi = s["stability_intervals"][c]
        lines.append(f"  {c:<22} {w:7.3f}  {span(tlo, thi, 6)}  {span(rlo, rhi, 8)}  {len(s['reversal_points'][c]):>9}")
    if s.get("reversal_points_scope"):
        lines.append(f"  ({s['reversal_points_scope']})")
    cc = s["critical_criterion"]
    for kind, what in (("pt", "the top opportunity"), ("pa", "any rank")):
        e = cc.get(kind)
        if e and e.get("tied_now"):
            lines.append(f"Critical criterion for {what}: {e['criterion']} ({e['a']} and {e['b']} are tied at the "
                         "current weights: any change of its weight decides which is ahead)")
        elif e:
            lines.append(f"Critical criterion for {what}: {e['criterion']} ({_pct(e['change_pct'])}% of its weight "
                         f"swaps {e['a']} and {e['b']}; Triantaphyllou & Sanchez 1997)")
        elif s["stability_intervals"]:
            lines.append(f"No single weight change alters {what}.")
    if "rank_acceptability" in s:
        n = len(s["rank_acceptability"])
        k = min(n, 3, len(next(iter(s["rank_acceptability"].values()))))
        wm = s["weight_model"]
        text = wm.get("distribution", wm.get("model")) if isinstance(wm, dict) else str(wm)
        if isinstance(wm, dict) and wm.get("model") == "dirichlet":
            text = f"Dirichlet around the weights, concentration {wm['concentration']:g}"
        lines.append(f"SMAA-2 ({s['samples']:,} samples; weights {text}; seed {s['seed']}), Lahdelma & Salminen 2001.")
        if s.get("smaa_scope"):
            lines.append(f"  ({s['smaa_scope']})")
        heads = "  ".join(f"{h:>6}" for h in ("first", "second", "third")[:k])
        lines.append(f"  {'':<8} {'':<34} {heads}   (rank acceptability, most often first on top)")
        order = sorted(s["rank_acceptability"], key=lambda i: [-a for a in s["rank_acceptability"][i]])
        from .sensitivity_summary import LIST_ALL_MAX, LIST_TOP

        shown = order if n <= LIST_ALL_MAX else order[:LIST_TOP]  # a long pipeline: the most often first
        for i in shown:
            acc = s["rank_acceptability"][i]
            conf = s["confidence"][i]
            cells = "  ".join(f"{a:6.1%}" for a in acc[:k])
            lines.append(f"  {i:<8} {names[i][:34]:<34} {cells}   confidence "
                         f"{'undefined (never first)' if conf is None else f'{conf:.0%}'}")
        if len(shown) < n:
            lines.append(f"  ... {n - len(shown):,} more opportunities (every one in --format json)")
    lines += [f"note: {n}" for n in s.get("notes", [])]
    return "\n".join(lines)


#: most SMAA samples a command takes (the report's and sensitivity's --smaa)
MAX_SMAA = 1_000_000

from . import cli_ahp, cli_app, cli_import, cli_store  # noqa: E402,F401  (their commands register on app)
from .cli_plan import register as _register_plan  # noqa: E402
from .cli_learn import register as _register_learn  # noqa: E402

_register_plan(app)
_register_learn(app)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"mcda-qualify {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """Qualify selling opportunities (eTOM 1.1.9.1) with multi-criteria decision analysis."""


def main() -> None:
    """Console entry point: usage errors are one line on stderr with exit 2, like bad input.

    Ends with :func:`_exit_now`: once the command's output is flushed, the interpreter's teardown
    (freeing pandas', pyarrow's and numpy's modules, about 0.1 s) has nothing left to do for the user.
    """
    _exit_now(_main_code())


def _main_code() -> int:
    usage_error = typer.BadParameter.__mro__[2]  # the parser's ClickException base (typer vendors click)
    try:
        code = app(standalone_mode=False)
    except usage_error as exc:
        sub = f" {sys.argv[1]}" if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else ""
        msg = safe_text(" ".join(exc.format_message().split()).replace("Value error, ", ""))
        sub = "" if msg.startswith("No such command") else sub
        if msg:  # no message: the help was asked for by giving no arguments, and is shown
            sys.stderr.write(f"error: {msg} (see 'mcda-qualify{sub} --help')\n")
        return int(getattr(exc, "exit_code", 2))
    except typer.Abort:
        sys.stderr.write("aborted\n")
        return 1
    except SystemExit as exc:  # as the interpreter would: an int is the status, text goes to stderr
        if isinstance(exc.code, int) or exc.code is None:
            return exc.code or 0
        sys.stderr.write(f"{exc.code}\n")
        return 1
    return code if isinstance(code, int) else 0


def _exit_now(code: int) -> None:
    """Flush the output, run the exit handlers, and end the process without the interpreter's teardown.

    Every file the command wrote is closed and renamed into place before this point (atomic writes);
    what is skipped is only the freeing of memory the operating system reclaims anyway.
    """
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # the reader went away (e.g. `| head`) or the stream is closed
            pass
    atexit._run_exitfuncs()  # what the interpreter would run at exit (none of ours; a library's perhaps)
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
