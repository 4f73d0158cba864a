"""Issue 11, reading: only regular files below a size cap; one strict YAML loader (duplicate keys,
recursion, alias bombs); JSON with a depth limit and finite numbers; OS errors on a path are
InputErrors naming it; spreadsheets with a row cap. Each case shows the message and exit code 2."""
from __future__ import annotations

import json
import os
import time

import pytest
import yaml

from mcda_qualify.errors import InputError
from mcda_qualify.io import files, spreadsheets, yaml_loader
from mcda_qualify.io.json_loader import loads_strict
from mcda_qualify.io.workspace import load_workspace

from testkit import err_of, invoke


@pytest.fixture()
def fifo(tmp_path):
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    return p


# ------------------------------------------------------------------ files that are not regular files
def test_fifo_is_refused_without_blocking(fifo, small_yaml):
    t0 = time.monotonic()
    err_of(invoke("rank", fifo, "-c", small_yaml), "pipe.csv", "named pipe (FIFO), not a regular file")
    err_of(invoke("rank", small_yaml, "-c", fifo), "pipe.csv", "named pipe")
    err_of(invoke("ahp", fifo), "pipe.csv", "named pipe")
    assert time.monotonic() - t0 < 20


@pytest.mark.parametrize("option", ["-c", "-w", "-j"])
def test_dev_zero_as_any_input_is_refused(option, small_csv, small_yaml):
    args = ["rank", small_csv, "-c", small_yaml] if option != "-c" else ["rank", small_csv]
    err_of(invoke(*args, option, "/dev/zero"), "/dev/zero: is a device, not a regular file")


def test_dev_zero_as_table_and_workspace(small_yaml, tmp_path):
    err_of(invoke("rank", "/dev/zero", "-c", small_yaml), "/dev/zero: is a device")
    err_of(invoke("report", "/dev/zero", "-o", tmp_path / "r.html"), "/dev/zero: is a device")


def test_folder_and_missing(small_yaml, tmp_path):
    err_of(invoke("rank", tmp_path, "-c", small_yaml), "is a folder")
    err_of(invoke("report", tmp_path / "nope.json", "-o", tmp_path / "r.html"), "nope.json: workspace file not found")


def test_name_too_long_is_an_input_error(small_yaml, tmp_path):
    long = tmp_path / ("x" * 300 + ".csv")
    err_of(invoke("rank", long, "-c", small_yaml), "the path is too long")
    err_of(invoke("rank", tmp_path / "a.csv", "-c", tmp_path / ("y" * 300 + ".yaml")), "the path is too long")
    err_of(invoke("history", tmp_path / ("z" * 300 + ".sqlite")), "the path is too long")


def test_unreadable_folder_is_an_input_error(tmp_path, monkeypatch):
    """Path.exists() raising (no search permission) becomes an InputError naming the path."""
    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "stat", denied)
    with pytest.raises(InputError, match="locked/a.csv: permission denied"):
        files.read_bytes_checked(tmp_path / "locked" / "a.csv")
    with pytest.raises(InputError, match="permission denied"):
        files.path_exists(tmp_path / "locked")


def test_size_cap_from_the_environment(small_csv, small_yaml, monkeypatch):
    monkeypatch.setenv(files.MAX_BYTES_ENV, "10")
    msg = err_of(invoke("rank", small_csv, "-c", small_yaml), "file too large", files.MAX_BYTES_ENV)
    assert "small" in msg
    monkeypatch.setenv(files.MAX_BYTES_ENV, "lots")
    err_of(invoke("rank", small_csv, "-c", small_yaml), "is not a positive whole number")


def test_default_cap_is_generous():
    assert files.DEFAULT_MAX_BYTES == 50 * 1024 * 1024


# ------------------------------------------------------------------ YAML
def test_duplicate_key_names_key_and_both_lines(small_csv, small_yaml, write):
    crit = write("dup.yaml", "name: A\ncriteria:\n  - {id: a, name: A, direction: cost}\nname: B\n")
    err_of(invoke("rank", small_csv, "-c", crit), "dup.yaml: line 4", "duplicate key 'name' (first on line 1, again on line 4)")
    w = write("w.yaml", "deal_size: 1\nrisk: 2\ndeal_size: 3\n")
    err_of(invoke("rank", small_csv, "-c", small_yaml, "-w", w), "w.yaml: line 3",
           "duplicate key 'deal_size' (first on line 1, again on line 3)")


def test_merge_keys_may_be_overridden():
    assert yaml_loader.load_yaml("base: &b {x: 1, y: 2}\nm: {<<: *b, x: 3}\n")["m"] == {"x": 3, "y": 2}


def test_recursive_document_is_refused(small_csv, write):
    err_of(invoke("rank", small_csv, "-c", write("r.yaml", "&a [*a]\n")), "recursive document")
    err_of(invoke("ahp", write("j.yaml", "judgments: &j [[a, b, 3], *j]\n")), "recursive document")


def _bomb(levels: int = 9) -> str:
    text = 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels + 1):
        text += f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n"
    return text


def test_alias_bomb_in_judgment_notes_is_refused_fast(tmp_path, tk):
    """The bomb sits in free-text notes that `save -j` would have expanded into the workspace."""
    j = (tk.ROOT / "case_studies" / "telecom_b2b" / "judgments.yaml").read_text(encoding="utf-8")
    notes = "notes:\n" + "".join("  " + line + "\n" for line in _bomb().splitlines())
    path = tmp_path / "j.yaml"
    path.write_text(j + "\n" + notes, encoding="utf-8")
    t0 = time.monotonic()
    res = invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "-j", path, "--db", tmp_path / "s.sqlite")
    err_of(res, "j.yaml", "expands to more than 50,000 values")
    assert time.monotonic() - t0 < 20
    assert not (tmp_path / "s.sqlite").exists()


def test_yaml_limits_direct():
    with pytest.raises(yaml.YAMLError, match="expands to more than"):
        yaml_loader.load_yaml(_bomb())
    with pytest.raises(yaml.YAMLError, match="nest"):
        yaml_loader.load_yaml("x: " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(yaml.YAMLError, match="nested more than 100"):
        yaml_loader.load_yaml("x: " + "[" * 150 + "]" * 150)
    with pytest.raises(yaml.YAMLError, match="more than 50,000 values"):
        yaml_loader.load_yaml("\n".join(f"k{i}: {i}" for i in range(60_000)))
    with pytest.raises(yaml.YAMLError, match="number too large"):
        yaml_loader.load_yaml("n: " + "9" * 400)
    with pytest.raises(yaml.YAMLError, match="could not determine a constructor"):
        yaml_loader.load_yaml("!!python/object/apply:os.system ['true']")
    assert yaml_loader.load_yaml("d: 2025-01-31") == {"d": "2025-01-31"}  # dates stay text (JSON-able)


def test_pure_python_loader_has_the_same_rules(monkeypatch):
    monkeypatch.setattr(yaml_loader, "_CBase", None)
    with pytest.raises(yaml.YAMLError, match="duplicate key"):
        yaml_loader.load_yaml("a: 1\na: 2\n")
    with pytest.raises(yaml.YAMLError, match="nested more than 100"):
        yaml_loader.load_yaml("x: " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(yaml.YAMLError, match="recursive"):
        yaml_loader.load_yaml("&a [*a]")


def test_no_safe_load_of_user_files_left():
    """Every YAML of a user goes through the strict loader (the app's export uses safe_dump only)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    hits = [str(p) for d in ("mcda_qualify", "apps") for p in (root / d).rglob("*.py")
            if "yaml.safe_load(" in p.read_text(encoding="utf-8")]
    assert hits == []


# ------------------------------------------------------------------ JSON
def test_deep_json_is_an_input_error(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    err_of(invoke("report", p, "-o", tmp_path / "r.html"), "deep.json: not valid JSON (nested more than 100 levels deep)")
    with pytest.raises(InputError, match="nested more than 100"):
        loads_strict('{"a": ' * 150 + "1" + "}" * 150, "x.json")


@pytest.mark.parametrize("text, needle", [('{"x": NaN}', "NaN is not a JSON number"),
                                          ('{"x": -Infinity}', "-Infinity is not a JSON number"),
                                          ('{"x": 1e400}', "too large for a float"),
                                          ('{"x": ' + "9" * 400 + "}", "number too large"),
                                          ('{"x": ' + "9" * 5000 + "}", "number too large")])
def test_json_numbers_are_finite(text, needle, tmp_path):
    p = tmp_path / "w.json"
    p.write_text(text, encoding="utf-8")
    err_of(invoke("report", p, "-o", tmp_path / "r.html"), "w.json", needle)
    with pytest.raises(InputError, match=needle):
        load_workspace(text, source="t")


# ------------------------------------------------------------------ tables
def test_csv_row_cap(small_yaml, tk, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    p = tmp_path / "o.csv"
    p.write_text(tk.csv_text(tk.SMALL_HEADER, tk.small_rows()), encoding="utf-8")
    err_of(invoke("rank", p, "-c", small_yaml), "o.csv: too many rows (3; at most 2)")


def test_csv_column_cap(small_yaml, tmp_path):
    p = tmp_path / "wide.csv"
    p.write_text(",".join(f"c{i}" for i in range(2000)) + "\n" + ",".join("1" * 2000) + "\n", encoding="utf-8")
    err_of(invoke("rank", p, "-c", small_yaml), "too many columns (2,000; at most 1,000)")


def test_xlsx_row_cap_and_unpacked_size(small_yaml, tk, tmp_path, monkeypatch):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(tk.SMALL_HEADER)
    for r in tk.small_rows():
        ws.append(r)
    p = tmp_path / "o.xlsx"
    wb.save(p)
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 2)
    err_of(invoke("rank", p, "-c", small_yaml), "o.xlsx", "too many rows")
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_XML_BYTES", 100)
    err_of(invoke("rank", p, "-c", small_yaml), "o.xlsx: workbook too large to read in reasonable time",
           "saved as CSV")


def test_xlsx_that_is_not_a_zip(small_yaml, tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    err_of(invoke("rank", p, "-c", small_yaml), "broken.xlsx", "cannot open the workbook")


def test_workspace_text_too_large(monkeypatch):
    monkeypatch.setenv(files.MAX_BYTES_ENV, "5000")
    with pytest.raises(InputError, match="workspace too large"):
        load_workspace(b"{" + b" " * 6000 + b"}", source="upload.json")


def test_stored_judgments_are_parsed_strictly(tmp_path):
    import sqlite3

    from mcda_qualify.io import store

    db = tmp_path / "s.sqlite"
    store.save_judgments(db, "q", "ana", [["a", "b", 3]])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE judgments SET judgments = ?", ("[" * 5000 + "]" * 5000,))
    with pytest.raises(InputError, match="nested more than 100 levels"):
        store.load_judgments(db, "q")


def test_json_dumps_of_loaded_workspace_is_strict(tmp_path, tk):
    out = tmp_path / "w.json"
    res = invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", tmp_path / "s.sqlite", "-o", out)
    assert res.exit_code == 0, res.stderr
    json.loads(out.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(c))
