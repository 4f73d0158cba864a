"""Commands for a raw CRM export: ``import`` (with an import profile) and ``template``.

Registered on :data:`mcda_qualify.cli.app` when the CLI module is imported (see the end of
:mod:`mcda_qualify.cli`). No ``from __future__ import annotations``: typer reads the option types.
"""
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from .errors import InputError
from .cli import CriteriaOpt, HeaderRowOpt, MappingOpt, Missing, MissingOpt, SheetOpt, _criteria_path, _notes, _run, app


@app.command("import")
def import_cmd(
    export: Annotated[Path, typer.Argument(help="A CRM export (CSV or XLSX) or any opportunity table.", show_default=False)],
    mapping: MappingOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the clean table here (.csv or .xlsx; default: CSV on standard output).")] = None,
    criteria: CriteriaOpt = None,
    sheet: SheetOpt = None,
    header_row: HeaderRowOpt = None,
    missing: MissingOpt = Missing.error,
    suggest: Annotated[Optional[Path], typer.Option("--suggest", help="Instead of importing, write a starting import profile for this export (columns and values matched by name; check it, fill the blanks).", show_default=False)] = None,
) -> None:
    """Turn a raw CRM export into a clean opportunity table with an import profile, reporting every problem at once."""

    def body() -> None:
        from .criteria import load_criteria
        from .importing import read_opportunities, write_table

        crit_path = _criteria_path(criteria)
        crit = load_criteria(crit_path)
        inputs = tuple(x for x in (export, mapping, crit_path) if x is not None)
        if suggest is not None:
            _suggest(export, crit, suggest, sheet, header_row, inputs)
            return
        clean, info = read_opportunities(export, crit, mapping=mapping, sheet=sheet, header_row=header_row,
                                         missing=missing.value)
        typer.echo(info.summary(), err=True)
        _notes(info)
        from .portfolio import load_portfolio

        portfolio = load_portfolio(clean, crit, missing=missing.value)
        if output is None:
            from .io.export import to_csv_text

            sys.stdout.write(to_csv_text(clean))
            return
        write_table(clean, output, inputs=inputs)
        typer.echo(f"wrote {output}: {len(portfolio)} opportunities, {len(clean.columns)} columns", err=True)

    _run(body)


def _suggest(export: Path, crit: Any, out: Path, sheet: str | None, header_row: int | None,
             inputs: tuple[Path, ...]) -> None:
    """Write the starting profile of :func:`mcda_qualify.io.suggest.suggest_profile` as YAML."""
    import yaml

    from .io.export import write_atomic
    from .io.spreadsheets import read_raw
    from .io.suggest import suggest_profile

    if any(out.exists() and Path(i).exists() and out.resolve() == Path(i).resolve() for i in inputs):
        raise InputError("the output would overwrite an input", file=str(out), expected="another file name")
    raw, info = read_raw(export, sheet=sheet, header_row=header_row)
    typer.echo(info.summary(), err=True)
    _notes(info)
    prof = suggest_profile(raw, crit)
    if info.kind == "xlsx":
        prof["sheet"] = info.sheet
    if info.header_row != 1:
        prof["header_row"] = info.header_row
    unmapped = [c for c in map(str, raw.columns) if c not in prof["columns"]]
    open_values = sorted(f"{t}: {k}" for t, m in prof.get("values", {}).items() for k, v in m.items() if v is None)
    targets = set(prof["columns"].values())
    no_column = [c for c in crit.ids if c not in targets]
    head = (f"# Import profile suggested for {export.name}: check every line.\n"
            + (f"# Criteria with no column yet (map an export column to each): {', '.join(no_column)}\n" if no_column else "")
            + (f"# Not mapped (kept as extra columns; map them or set them to null): {', '.join(unmapped)}\n" if unmapped else "")
            + (f"# Values with no guess (fill in a scale label): {'; '.join(open_values)}\n" if open_values else ""))
    write_atomic(out, (head + yaml.safe_dump(prof, sort_keys=False, allow_unicode=True)).encode("utf-8"))
    typer.echo(f"wrote {out}: {len(prof['columns'])} columns mapped, {len(unmapped)} not mapped, "
               f"{len(open_values)} values to fill", err=True)


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="pipeline.xlsx (dropdowns, number checks, notes, instructions) or pipeline.csv (header only).", show_default=False)],
    criteria: CriteriaOpt = None,
    no_expected_value: Annotated[bool, typer.Option("--no-expected-value", help="Leave out the value, win_probability and pursuit_cost columns.")] = False,
) -> None:
    """A blank pipeline to fill in for these criteria; a filled template loads with no mapping."""

    def body() -> None:
        from .criteria import load_criteria
        from .io.export import write_atomic
        from .io.template import template_bytes

        crit_path = _criteria_path(criteria)
        crit = load_criteria(crit_path)
        suffix = output.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise InputError("unknown template format", file=str(output), value=output.suffix or "(none)",
                             expected="a file name ending in .xlsx or .csv")
        if output.exists() and output.resolve() == crit_path.resolve():
            raise InputError("the output would overwrite an input", file=str(output), expected="another file name")
        write_atomic(output, template_bytes(crit, suffix[1:], expected_value=not no_expected_value))
        typer.echo(f"wrote {output}: columns id, name, {', '.join(crit.ids)}"
                   + ("" if no_expected_value else ", value, win_probability, pursuit_cost"), err=True)

    _run(body)
