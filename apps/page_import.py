"""Import: your criteria file, a blank pipeline template, and a raw CRM export mapped onto the criteria
step by step (the import profile of the CLI's --mapping, built with the same functions)."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import ui_state
import yaml

from mcda_qualify.io.yaml_loader import load_yaml

from mcda_qualify.errors import InputError
from mcda_qualify.io.profile import profile_from_dict
from mcda_qualify.io.recode import apply_profile
from mcda_qualify.io.spreadsheets import list_sheets, read_raw
from mcda_qualify.io.suggest import suggest_profile
from mcda_qualify.io.template import template_bytes
from mcda_qualify.portfolio import load_portfolio

S = ui_state.S
KEEP, DROP = "(keep as an extra column)", "(leave out)"
FORMATS = {"detect": None, "1,234.56": {"decimal": ".", "thousands": ","}, "1.234,56": {"decimal": ",", "thousands": "."},
           "1 234,56": {"decimal": ",", "thousands": " "}, "1'234.56": {"decimal": ".", "thousands": "'"}}

st.header("Import your data")
for note in S.get("messages", []):
    st.info(note)
S.messages = []

# 1. criteria -------------------------------------------------------------------------------------
st.subheader("1. Criteria")
crit = ui_state.criteria()
st.caption(f"In force: **{crit.name}** ({len(crit.ids)} criteria: {', '.join(crit.ids)}).")
up = st.file_uploader("Use your own criteria file (YAML)", type=["yaml", "yml"], key="criteria_upload")
if ui_state.fresh_upload(up, "criteria_upload_done"):
    S.criteria_error = ui_state.load_criteria_bytes(up.name, up.getvalue())
    if S.criteria_error is None:
        st.rerun()
if S.get("criteria_error"):
    st.error(f"Criteria not used, the previous ones stay: {S.criteria_error}")
c1, c2 = st.columns(2)
c1.download_button("Blank pipeline (Excel: dropdowns, checks, notes)", template_bytes(crit, "xlsx"),
                   file_name="pipeline.xlsx", key="dl_template_xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
c2.download_button("Blank pipeline (CSV)", template_bytes(crit, "csv"), file_name="pipeline.csv", mime="text/csv",
                   key="dl_template_csv")
st.caption("A filled template loads as it is (Opportunities page, or `mcda-qualify rank pipeline.xlsx`).")

# 2. the export -----------------------------------------------------------------------------------
st.subheader("2. Your export")
c1, c2 = st.columns(2)
exp = c1.file_uploader("CRM export (CSV or XLSX)", type=["csv", "xlsx"], key="export_upload")
prof_up = c2.file_uploader("Import profile from last time (YAML, optional)", type=["yaml", "yml"], key="profile_upload")


def _reset() -> None:
    for k in [k for k in S if str(k).startswith("imp_")]:
        del S[k]
    S.pop("import_seed", None)


if ui_state.fresh_upload(exp, "export_upload_done"):
    S.import_file = (exp.name, exp.getvalue())
    _reset()
if ui_state.fresh_upload(prof_up, "profile_upload_done"):
    try:
        S.import_given = profile_from_dict(load_yaml(prof_up.getvalue().decode("utf-8-sig")), source=prof_up.name)
        S.import_profile_error = None
    except (InputError, yaml.YAMLError, UnicodeDecodeError) as exc:
        S.import_profile_error = str(exc)
    _reset()
if S.get("import_profile_error"):
    st.error(f"Profile not used: {S.import_profile_error}")
if not S.get("import_file"):
    st.caption("Upload an export: its sheet, header row, columns and values are mapped here step by step.")
    st.stop()

name, data = S.import_file
given = S.get("import_given")
if "import_dir" not in S:  # one folder per session; the export is written to it once per upload
    S.import_dir = tempfile.mkdtemp(prefix="mcda-import-")
tmp = Path(S.import_dir) / f"export{Path(name).suffix.lower() or '.csv'}"
if not tmp.exists() or tmp.read_bytes() != data:
    tmp.write_bytes(data)
sheet: Any = None
c1, c2 = st.columns(2)
try:
    sheets = list_sheets(tmp) if tmp.suffix in (".xlsx", ".xlsm") else []
except InputError:
    sheets = []
if sheets:
    options = ["(detect)"] + [n for n, _ in sheets]
    state = dict(sheets)
    first = options.index(given.sheet) if given is not None and given.sheet in options else 0
    pick = c1.selectbox("Sheet", options, index=first, key="imp_sheet",
                        format_func=lambda n: n if state.get(n, "visible") == "visible" else f"{n} ({state[n]})")
    sheet = None if pick == "(detect)" else pick
header_row = c2.number_input("Header row (0: detect)", min_value=0, max_value=1000, step=1, key="imp_header",
                             value=int(given.header_row or 0) if given is not None else 0)
try:
    raw, info = read_raw(tmp, sheet=sheet, header_row=int(header_row) or None)
except InputError as exc:
    st.error(str(exc).replace(str(tmp), name))
    st.stop()
st.caption(info.summary().replace(str(tmp), name))
for note in info.notes:
    st.caption(f"Note: {note}")
st.dataframe(raw.head(8), hide_index=True, width="stretch", key="imp_raw")

# 3. columns --------------------------------------------------------------------------------------
seed_key = (name, sheet, int(header_row))
if S.get("import_seed", (None,))[0] != seed_key:
    seed = suggest_profile(raw, crit)
    if given is not None:
        seed = {**seed, **given.model_dump(exclude_none=True)}
        seed["columns"] = {**{k: v for k, v in suggest_profile(raw, crit)["columns"].items() if k not in given.columns},
                           **given.columns}
        seed["numbers"] = given.numbers.model_dump() if given.numbers else seed.get("numbers")
    S.import_seed = (seed_key, seed)
seed = S.import_seed[1]
st.subheader("3. Columns")
st.caption("Each column of the export: which column of ours it is (pre-filled by name similarity).")
names = {c.id: f"{c.id} ({c.name})" for c in crit.criteria}
targets = [KEEP, DROP, "id", "name", *crit.ids, "value", "win_probability", "pursuit_cost"]
mapping: dict[str, str | None] = {}
cols = st.columns(3)
for k, col in enumerate(map(str, raw.columns)):
    pre = seed.get("columns", {}).get(col, KEEP) if col in seed.get("columns", {}) else KEEP
    pre = DROP if pre is None else pre
    choice = cols[k % 3].selectbox(col, targets, index=targets.index(pre) if pre in targets else 0, key=f"imp_col_{k}",
                                   format_func=lambda t: names.get(t, t))
    if choice == DROP:
        mapping[col] = None
    elif choice != KEEP:
        mapping[col] = choice

# 4. values and numbers ---------------------------------------------------------------------------
st.subheader("4. Values and numbers")
values: dict[str, dict[str, str]] = {}
units: dict[str, Any] = {}
for col, t in mapping.items():
    if t is None or t not in crit.ids and t not in ("value", "win_probability", "pursuit_cost"):
        continue
    c = crit[t] if t in crit.ids else None
    if c is not None and c.scale is not None:
        labels = [lv.label for _, lv in sorted(c.scale.items())]
        distinct = sorted({str(v).strip() for v in raw[col].tolist() if str(v).strip()})
        open_ = [v for v in distinct if c.level_of(v) is None][:50]
        if not open_:
            continue
        st.markdown(f"**{c.name}** (`{col}`): your words -> scale levels")
        vcols = st.columns(3)
        for i, v in enumerate(open_):
            pre = seed.get("values", {}).get(t, {}).get(v)
            opts = ["(not mapped)", *labels]
            guess = c.scale[c.level_of(str(pre))].label if pre is not None and c.level_of(str(pre)) is not None else None
            pick = vcols[i % 3].selectbox(v, opts, index=opts.index(guess) if guess in opts else 0, key=f"imp_val_{t}_{i}")
            if pick != "(not mapped)":
                values.setdefault(t, {})[v] = pick
    else:
        pre = seed.get("units", {}).get(t)
        text = st.text_input(f"Unit of `{col}` -> {t}: a factor (0.001 for EUR -> kEUR), 'percent' (60 -> 0.6), or empty",
                             value="" if pre is None else str(pre), key=f"imp_unit_{t}")
        if text.strip():
            try:
                units[t] = "percent" if text.strip().lower() == "percent" else float(text)
            except ValueError:
                st.error(f"Unit of {t}: '{text}' is not a number or 'percent'.")
fmt_seed = seed.get("numbers")
fmt_names = list(FORMATS)
fmt_pre = next((k for k, v in FORMATS.items() if v and fmt_seed and v["decimal"] == fmt_seed.get("decimal")
                and v["thousands"] == fmt_seed.get("thousands")), "detect")
fmt = st.selectbox("How numbers are written", fmt_names, index=fmt_names.index(fmt_pre), key="imp_numbers",
                   help="'detect': each column decides; a number such as 8.500 that reads two ways is then a problem, never a guess.")

profile: dict[str, Any] = {"columns": mapping}
if values:
    profile["values"] = values
if FORMATS[fmt]:
    profile["numbers"] = FORMATS[fmt]
if units:
    profile["units"] = units
if sheet is not None:
    profile["sheet"] = sheet
if int(header_row):
    profile["header_row"] = int(header_row)

# 5. preview --------------------------------------------------------------------------------------
st.subheader("5. Preview")
try:
    prof = profile_from_dict(profile, source="import profile")
    clean, problems = apply_profile(raw, prof, crit, name)
    if not problems:
        try:
            load_portfolio(clean, crit)
        except InputError as exc:
            problems = list(getattr(exc, "problems", None) or [exc])
except InputError as exc:
    clean, problems = raw.iloc[:0], list(getattr(exc, "problems", None) or [exc])
target_of = {col: t for col, t in mapping.items() if t is not None}
rows = {r: i for i, r in enumerate(clean.attrs.get("row_numbers", []))}
bad = {(rows[p.row], target_of.get(str(p.column), str(p.column))) for p in problems
       if p.row in rows and target_of.get(str(p.column), str(p.column)) in clean.columns}


def _mark(frame: pd.DataFrame) -> pd.DataFrame:
    css = pd.DataFrame("", index=frame.index, columns=frame.columns)
    for i, c in bad:
        css.iloc[i, list(frame.columns).index(c)] = "background-color: #f8d0d0"
    return css


if len(clean.columns):
    view = clean.reset_index(drop=True)
    st.dataframe(view.style.apply(_mark, axis=None) if bad else view, hide_index=True, width="stretch", key="imp_preview")
S.import_problems = ui_state.problem_rows(problems)  # also what the table below shows
if problems:
    st.error(f"{sum(not getattr(p, 'is_note', False) for p in problems)} problem(s): fix them above (map the "
             "column or the value, give the number format or unit) or in the export; the marked cells are the ones.")
    st.dataframe(S.import_problems, hide_index=True, width="stretch", key="imp_problems")
else:
    st.success(f"{len(clean)} opportunities, no problems.")
c1, c2 = st.columns(2)
if c1.button("Use this table", key="imp_use", disabled=bool(problems), type="primary"):
    err = ui_state.set_table(clean, f"import {name}")
    if err:
        st.error(err)
    else:
        S.editor_version = S.get("editor_version", 0) + 1
        st.success(f"Using {len(clean)} opportunities from {name}: see the Ranking page.")
c2.download_button("Download the import profile (YAML) for next quarter",
                   yaml.safe_dump(profile, sort_keys=False, allow_unicode=True), file_name="import.profile.yaml",
                   mime="text/yaml", key="imp_profile_download")
st.caption("Next time: upload the same kind of export with this profile, or run "
           "`mcda-qualify rank EXPORT --mapping import.profile.yaml`.")
