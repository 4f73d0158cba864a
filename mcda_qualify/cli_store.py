"""Commands on decisions that last: ``report``, ``save``, ``history``, ``diff``.

Registered on :data:`mcda_qualify.cli.app` when the CLI module is imported (see the end of
:mod:`mcda_qualify.cli`). No ``from __future__ import annotations``: typer reads the option types.
"""
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import InputError, safe_text
from .cli import CriteriaOpt, DbOpt, DecisionOpt, ExcludeOpt, HeaderRowOpt, JudgmentsOpt, MAX_SMAA, MappingOpt, MethodOpt, Missing, MissingOpt, NormOpt, Opportunities, SheetOpt, WeightsOpt, _criteria_path, _decide_loaded, _emit, _load, _run, app


@app.command()
def report(
    workspace: Annotated[Path, typer.Argument(help="Workspace JSON (from `save -o`, the app's export, or a store version).", show_default=False)],
    output: Annotated[Path, typer.Option("--output", "-o", help="report.html (self-contained) or report.xlsx.", show_default=False)],
    smaa: Annotated[int, typer.Option("--smaa", help="SMAA samples in the sensitivity section.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="SMAA seed (the same seed gives the same report).")] = 0,
) -> None:
    """A report management can keep: inputs with their hash, weights, ranking with reasons, sensitivity."""

    def body() -> None:
        from .report import excel_report, html_report
        from .io.workspace import load_workspace

        from .io.files import check_not_input, write_atomic

        suffix = output.suffix.lower()
        if suffix not in (".html", ".htm", ".xlsx"):
            raise InputError("unknown report format", file=str(output), value=output.suffix or "(none)",
                             expected=".html or .xlsx")
        check_not_input(output, (workspace,))
        if not 1 <= smaa <= MAX_SMAA:
            raise InputError("--smaa must be a number of samples from 1 to 1,000,000", value=smaa)
        ws = load_workspace(workspace)
        if suffix in (".html", ".htm"):
            data: str | bytes = html_report(ws, smaa_samples=smaa, seed=seed)
        else:
            data = excel_report(ws, smaa_samples=smaa, seed=seed)
        write_atomic(output, data, inputs=(workspace,), what="the report")
        typer.echo(f"wrote {safe_text(output)}", err=True)

    _run(body)




@app.command()
def save(
    opportunities: Opportunities,
    decision: Annotated[str, typer.Option("--decision", "-d", help="Name of the decision to save a version of.", show_default=False)],
    criteria: CriteriaOpt = None,
    weights: WeightsOpt = None,
    judgments: JudgmentsOpt = None,
    method: MethodOpt = "topsis",
    normalization: NormOpt = "vector",
    sheet: SheetOpt = None,
    mapping: MappingOpt = None,
    header_row: HeaderRowOpt = None,
    missing: MissingOpt = Missing.error,
    exclude: ExcludeOpt = None,
    db: DbOpt = None,
    author: Annotated[Optional[str], typer.Option(help="Who saves this version.")] = None,
    note: Annotated[Optional[str], typer.Option(help="Why: a note kept with the version.")] = None,
    workspace: Annotated[Optional[Path], typer.Option("--workspace", "-o", help="Also write the workspace JSON file.")] = None,
) -> None:
    """Save the decision (inputs, settings and results) as a new version in the store."""

    def body() -> None:
        from .io import store
        from .io.files import check_not_input
        from .io.workspace import save_workspace, workspace_from
        from .judgments import read_document

        inputs = (opportunities, criteria, weights, judgments, mapping)
        db_file = store.default_db_path() if db is None else db
        if workspace is not None:  # refuse a bad -o before anything is saved
            check_not_input(workspace, (*inputs, db_file))
        crit_path = _criteria_path(criteria)
        crit, portfolio, clean = _load(opportunities, crit_path, sheet, missing, mapping, header_row)
        result, _ = _decide_loaded(portfolio, weights, judgments, method, normalization, exclude)
        from .weights import load_weights

        jdata = read_document(judgments) if judgments is not None else None
        # a clean table keeps its text as written; an import keeps the clean table it gave
        table = clean if clean is not None else (opportunities if sheet is None and header_row is None else portfolio)
        ws = workspace_from(crit_path, table,
                            weights=load_weights(weights) if weights is not None else None, judgments=jdata,
                            settings={"method": method, "normalization": normalization, "exclude": exclude or [],
                                      "missing": missing.value},
                            results=result, meta={"author": author, "note": note})
        version = store.save(db, decision, ws, author=author, note=note)
        saved = f"{safe_text(decision)} version {version} in {safe_text(db_file)}"
        if workspace is not None:
            try:
                save_workspace(ws, workspace, inputs=(*inputs, db_file))
            except InputError as exc:
                raise InputError(f"version {version} was saved to {db_file}; writing {workspace} failed: {exc.problem} "
                                 "(do not save again: the version is in the store; `mcda-qualify history` lists it)") from None
        typer.echo(f"saved {saved}")

    _run(body)


@app.command()
def history(
    db: Annotated[Optional[Path], typer.Argument(help="Decision store (default: $MCDA_QUALIFY_DB or ~/.mcda-qualify/decisions.sqlite).")] = None,
    decision: DecisionOpt = None,
) -> None:
    """Every saved version: when, who, why, and the hash of its inputs."""

    def body() -> None:
        from .io.store_diff import history_text

        _emit(history_text(db, decision), None)

    _run(body)


@app.command()
def diff(
    db: Annotated[Path, typer.Argument(help="Decision store (SQLite).", show_default=False)],
    v1: Annotated[int, typer.Argument(help="Older version.", show_default=False)],
    v2: Annotated[int, typer.Argument(help="Newer version.", show_default=False)],
    decision: DecisionOpt = None,
) -> None:
    """What changed between two versions: weights, settings, cells, scores, ranks and statuses."""

    def body() -> None:
        from .io.store_diff import diff_text

        _emit(diff_text(db, decision, v1, v2), None)

    _run(body)
