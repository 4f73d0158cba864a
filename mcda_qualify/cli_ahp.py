"""The ``ahp`` command: weights from pairwise judgments, consistency, the judgments to review.

Registered on :data:`mcda_qualify.cli.app` when the CLI module is imported (see the end of
:mod:`mcda_qualify.cli`). No ``from __future__ import annotations``: typer reads the option types.
"""
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .errors import InputError
from .cli import Fmt, FormatOpt, OutputOpt, _emit, _fmt, _ratio, _run, app


@app.command("ahp")
def ahp_cmd(
    judgments: Annotated[Path, typer.Argument(help="Judgments YAML (flat, judges: or children:; see docs/ahp.md).", show_default=False)],
    method: Annotated[str, typer.Option("--method", "-m", help="Priority method: eigenvector (Saaty) or geometric (Crawford & Williams 1985).")] = "eigenvector",
    ri: Annotated[Optional[str], typer.Option("--ri", help="Random index table: saaty_1980, saaty_2005, alonso_lamata_2006, tummala_ling_1998 (complete-matrix tables, applied to every matrix) or agoston_csato_2022 (RI by size and missing pairs). Default: saaty_1980 for complete matrices, agoston_csato_2022 for incomplete ones.", show_default=False)] = None,
    aggregation: Annotated[str, typer.Option(help="Group aggregation: aij (judgments) or aip (priorities), Forman & Peniwati 1998.")] = "aij",
    criteria: Annotated[Optional[Path], typer.Option("--criteria", "-c", help="Check labels against this criteria file.")] = None,
    continuous: Annotated[bool, typer.Option(help="Accept ratios off Saaty's 1-9 scale.")] = False,
    completion: Annotated[str, typer.Option("--completion", help="Completion of missing judgments: optimal (lambda_max-optimal, Bozoki, Fulop & Ronyai 2010), harker (Harker 1987) or llsm (logarithmic least squares).")] = "optimal",
    format: FormatOpt = None,
    output: OutputOpt = None,
) -> None:
    """Weights from pairwise judgments, with consistency, judgments to review and group disagreement."""

    def body() -> None:
        from .judgments_summary import ahp_summary

        if output is not None:
            from .io.files import check_not_input

            check_not_input(output, (judgments, criteria))
        labels = None
        if criteria is not None:
            from .criteria import load_criteria

            labels = load_criteria(criteria).ids
        summary = ahp_summary(str(judgments), method=method, ri_table=ri, aggregation=aggregation, labels=labels,
                              scale="continuous" if continuous else None, completion=completion)
        f = _fmt(format, output)
        if f is Fmt.csv:
            raise InputError("the ahp command writes table or json", value="csv", expected="--format table or json")
        text = json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) if f is Fmt.json else _ahp_text(summary)
        _emit(text, output, f, (judgments, criteria))

    _run(body)


def _ahp_block(s: dict[str, Any], indent: str = "") -> list[str]:
    lines = []
    w = s.get("weights") or {}
    width = max((len(k) for k in w), default=4)
    for k, v in sorted(w.items(), key=lambda kv: -kv[1]):
        lines.append(f"{indent}  {k:<{width}}  {v:6.4f}  {'#' * int(round(v * 50))}")
    if s.get("cr") is not None:
        verdict = "consistent" if s.get("consistent") else "INCONSISTENT: revise the judgments below"
        lines.append(f"{indent}lambda_max {s['lambda_max']:.4f}, CI {s['ci']:.4f}, RI {s['ri']:g}, "
                     f"CR {s['cr']:.4f} ({verdict}, threshold {s.get('cr_threshold', 0.1):g})")
    if s.get("gci") is not None:
        v = s.get("verdict") or {}
        agree = "" if v.get("agree") is None else (
            ": agrees with the CR" if v["agree"] else
            f": {'consistent' if v['other_consistent'] else 'inconsistent'} by the GCI, but the CR decides")
        lines.append(f"{indent}GCI {s['gci']:.4f} (threshold {s['gci_threshold']:g}){agree}")
    if s.get("inferred"):
        lines.append(f"{indent}{len(s['inferred'])} pairs not given were inferred from the others "
                     f"({s.get('completion', 'optimal')} completion)")
    if s.get("missing_pairs") and s.get("ri_source"):
        lines.append(f"{indent}RI: {s['ri_source']}")
    review = s.get("judgments_to_review") or []
    if review and not s.get("consistent", True):
        lines.append(f"{indent}judgments to review (worst first):")
        for r in review[:5]:
            lines.append(f"{indent}  {r['a']} vs {r['b']}: given {_ratio(r['given'])}, consistent "
                         f"{r['consistent_value']:.3g} -> suggest {_ratio(r['suggested'])}")
    rep = s.get("repair")
    if rep and rep.get("changes"):
        lines.append(f"{indent}proposed repair (not applied):")
        for st in rep["changes"]:
            lines.append(f"{indent}  {st['a']} vs {st['b']}: {_ratio(st['old'])} -> {_ratio(st['new'])} (CR after {st['cr_after']:.4f})")
    return lines


def _ahp_text(s: dict[str, Any]) -> str:
    lines = [f"AHP weights from {s.get('source') or 'judgments'}: {s['method']} priorities, RI table {s['ri_table']}, "
             f"completion {s.get('completion', 'optimal')}"]
    lines += _ahp_block(s)
    for name, j in (s.get("judges") or {}).items():
        verdict = "consistent" if j.get("consistent") else "INCONSISTENT"
        lines.append(f"judge {name} (weight {j.get('weight', 1):.3g}): CR {j['cr']:.4f} {verdict}")
        if not j.get("consistent"):
            for r in (j.get("judgments_to_review") or [])[:3]:
                lines.append(f"  review {r['a']} vs {r['b']}: given {_ratio(r['given'])} -> suggest {_ratio(r['suggested'])}")
    if s.get("consensus"):
        c = s["consensus"]
        lines.append(f"consensus {c['value']:.3f} ({c['description']})")
    if s.get("disagreements"):
        lines.append("most disputed pairs:")
        for d in s["disagreements"][:5]:
            vals = ", ".join(f"{k} {_ratio(v)}" for k, v in d["values"].items())
            lines.append(f"  {d['a']} vs {d['b']}: {vals}")
    for label, child in (s.get("children") or {}).items():
        lines.append(f"under {label}:")
        lines += _ahp_block(child, indent="  ")
    if s.get("global_weights"):
        lines.append("global weights of the leaf criteria:")
        for k, v in sorted(s["global_weights"].items(), key=lambda kv: -kv[1]):
            lines.append(f"  {k:<24} {v:6.4f}")
    return "\n".join(lines)
