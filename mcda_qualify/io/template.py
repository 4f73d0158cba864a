"""A blank pipeline to fill in: one column per criterion, ready for ``load_portfolio`` with no profile.

Excel (.xlsx): a dropdown of the scale's labels for each scale criterion, decimal validation within
the bounds for numeric ones, the criterion's description as a note on its header cell, a frozen
header and an 'Instructions' sheet. CSV: the header row only (UTF-8 with a BOM so that Excel shows
accents), which loads as it is once rows are added.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO

from ..criteria import CriteriaSet, Criterion
from ..errors import InputError

__all__ = ["TEMPLATE_ROWS", "template_bytes", "template_columns", "write_template"]

TEMPLATE_ROWS = 1000  # rows that carry the data validation
EV_NOTES = {
    "value": "Value of winning the deal (same unit as your amounts, e.g. kEUR). Optional, with the next two.",
    "win_probability": "Probability of winning if we bid: a number between 0 and 1 (0.45 for 45%).",
    "pursuit_cost": "Cost of pursuing the deal (bid, pre-sales), same unit as value.",
}


def template_columns(criteria: CriteriaSet, expected_value: bool = True) -> list[str]:
    """The template's header: id, name, the criterion ids in order, then value, win_probability, pursuit_cost."""
    return ["id", "name", *criteria.ids, *(EV_NOTES if expected_value else [])]


def _note(c: Criterion) -> str:
    lines = [f"{c.name} ({c.direction}: {'higher' if c.direction == 'benefit' else 'lower'} is better)"]
    if c.description:
        lines.append(c.description)
    if c.scale is not None:
        lines.append("Choose: " + ", ".join(f"{lv.label}" for _, lv in sorted(c.scale.items())))
    else:
        unit = f" in {c.unit}" if c.unit else ""
        rng = f" between {c.bounds[0]:g} and {c.bounds[1]:g}" if c.bounds else ""
        lines.append(f"A number{unit}{rng}.")
    if c.gate is not None:
        g = c.gate
        parts = [f"at least {_label(c, g.min)}" if g.min is not None else "",
                 f"at most {_label(c, g.max)}" if g.max is not None else "",
                 f"one of {g.allowed}" if g.allowed else ""]
        lines.append("Knock-out gate: " + ", ".join(p for p in parts if p) + ".")
    return "\n".join(lines)


def _label(c: Criterion, x: float) -> str:
    return c.describe(x)


def _list_formula(labels: list[str]) -> str | None:
    """An inline list for data validation, or None when Excel's 255-character limit or a comma forbids it."""
    if any("," in lb or '"' in lb for lb in labels):
        return None
    text = ",".join(labels)
    return f'"{text}"' if len(text) <= 255 else None


def write_template(criteria: CriteriaSet, path: str | Path, *, expected_value: bool = True,
                   rows: int = TEMPLATE_ROWS) -> Path:
    """Write a blank pipeline for ``criteria`` to ``path`` (.xlsx or .csv) and return the path."""
    p = Path(path)
    header = template_columns(criteria, expected_value)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        with p.open("w", newline="", encoding="utf-8-sig") as fh:
            csv.writer(fh).writerow(header)
        return p
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError("unknown template format", file=str(p), value=p.suffix or "(none)", expected="a path ending in .xlsx or .csv")
    _write_xlsx(criteria, p, header, rows)
    return p


def template_bytes(criteria: CriteriaSet, fmt: str = "xlsx", *, expected_value: bool = True,
                   rows: int = TEMPLATE_ROWS) -> bytes:
    """The template as bytes (for a download button): ``fmt`` is 'xlsx' or 'csv'."""
    header = template_columns(criteria, expected_value)
    if fmt == "csv":
        buf = io.StringIO(newline="")
        csv.writer(buf).writerow(header)
        return buf.getvalue().encode("utf-8-sig")
    if fmt != "xlsx":
        raise ValueError(f"fmt must be 'xlsx' or 'csv', got {fmt!r}")
    out = io.BytesIO()
    _write_xlsx(criteria, out, header, rows)
    return out.getvalue()


def _write_xlsx(criteria: CriteriaSet, p: Path | IO[bytes], header: list[str], rows: int) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    ws = book.active
    ws.title = "Opportunities"
    ws.append(header)
    lists = None
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for j, col in enumerate(header, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(row=1, column=j)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[letter].width = max(12, min(40, len(col) + 4))
        area = f"{letter}2:{letter}{rows + 1}"
        if col in criteria.ids:
            c = criteria[col]
            cell.comment = Comment(_note(c), "mcda-qualify", width=320, height=160)
            if c.scale is not None:
                labels = [lv.label for _, lv in sorted(c.scale.items())]
                formula = _list_formula(labels)
                if formula is None:  # labels on a hidden sheet, referred to by range
                    if lists is None:
                        lists = book.create_sheet("Lists")
                        lists.sheet_state = "hidden"
                    k = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
                    lists.cell(row=1, column=k, value=c.id)
                    for r, lb in enumerate(labels, start=2):
                        lists.cell(row=r, column=k, value=lb)
                    kl = get_column_letter(k)
                    formula = f"=Lists!${kl}$2:${kl}${len(labels) + 1}"
                dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
                dv.error = f"Choose one of the labels of '{c.name}'."
            elif c.bounds is not None:
                dv = DataValidation(type="decimal", operator="between", formula1=f"{c.bounds[0]:g}",
                                    formula2=f"{c.bounds[1]:g}", allow_blank=True)
                dv.error = f"A number between {c.bounds[0]:g} and {c.bounds[1]:g}" + (f" {c.unit}." if c.unit else ".")
            else:
                dv = DataValidation(type="custom", formula1=f"ISNUMBER({letter}2)", allow_blank=True)
                dv.error = "A number."
        elif col in EV_NOTES:
            cell.comment = Comment(EV_NOTES[col], "mcda-qualify", width=300, height=80)
            if col == "win_probability":
                dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
                dv.error = "A probability between 0 and 1."
            else:
                dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
                dv.error = "An amount of 0 or more."
        else:
            cell.comment = Comment("A unique identifier per opportunity (required)." if col == "id" else
                                   "A short name (optional; the id is used when empty).", "mcda-qualify")
            continue
        dv.errorTitle, dv.showErrorMessage = "Not allowed here", True
        dv.add(area)
        ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    _instructions(book.create_sheet("Instructions"), criteria, header)
    if lists is not None:  # the hidden lists go last: data first, then the instructions
        book.move_sheet(lists, offset=len(book.sheetnames) - 1 - book.index(lists))
    book.save(p)


def _instructions(ws, criteria: CriteriaSet, header: list[str]) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Font

    lines: list[tuple[str, ...]] = [
        (f"Pipeline template for '{criteria.name}'",),
        ("Fill one row per opportunity on the sheet 'Opportunities'. Keep the header row as it is.",),
        ("Scale criteria: pick a label from the dropdown. Numbers: plain numbers within the range shown.",),
        ("value, win_probability and pursuit_cost are optional; give all three or leave all three empty.",),
        ("Then: mcda-qualify rank --opportunities THIS_FILE (no import profile needed).",),
        (),
        ("column", "criterion", "direction", "allowed values", "description"),
    ]
    for col in header:
        if col in criteria.ids:
            c = criteria[col]
            allowed = (", ".join(lv.label for _, lv in sorted(c.scale.items())) if c.scale is not None else
                       "number" + (f" in {c.unit}" if c.unit else "") +
                       (f", {c.bounds[0]:g} to {c.bounds[1]:g}" if c.bounds else ""))
            lines.append((col, c.name, c.direction, allowed, c.description))
        elif col in EV_NOTES:
            lines.append((col, "", "", "number", EV_NOTES[col]))
        else:
            lines.append((col, "", "", "text", "unique identifier (required)" if col == "id" else "short name (optional)"))
    for row in lines:
        ws.append(list(row))
    ws["A1"].font = Font(bold=True, size=13)
    for cell in ws[7]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (24, 36, 10, 48, 80)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
