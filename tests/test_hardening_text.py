"""Issue 11, text output: control characters (ESC, C0, C1, DEL) and bidi overrides from user data are
escaped in every table, message, error location and did-you-mean hint (one helper: errors.safe_text)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.errors import InputError, safe_text
from mcda_qualify.io.store_diff import _clean

runner = CliRunner()

ESC, CSI_RED, OSC_TITLE, BIDI, C1, DEL = "\x1b", "\x1b[31m", "\x1b]0;pwned\x07", "\u202e", "\x9b", "\x7f"
RAW = (ESC, BIDI, C1, DEL, "\x07")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def assert_no_raw(text: str) -> None:
    for ch in RAW:
        assert ch not in text, (ch, text)


def test_safe_text_escapes_what_a_terminal_acts_on():
    assert safe_text(f"a{CSI_RED}b{BIDI}c{C1}d{DEL}\te\n") == "a\\x1b[31mb\\u202ec\\x9bd\\x7f\\x09e\\x0a"
    assert safe_text("line\nnext", keep="\n") == "line\nnext"
    assert safe_text("naïve — ok") == "naïve — ok"
    assert _clean(f"x{ESC}") == "x\\x1b"  # history and diff use the same helper


@pytest.fixture()
def evil_csv(tk, write):
    rows = tk.small_rows()
    rows[0][0] = f"A{CSI_RED}"
    rows[0][1] = f"Alpha{OSC_TITLE}{BIDI}"
    rows[1][1] = f"Beta{C1}{DEL}"
    return write("evil.csv", tk.csv_text(tk.SMALL_HEADER, rows))


@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_table_escapes_ids_and_names(command, evil_csv, small_yaml):
    res = invoke(command, evil_csv, "-c", small_yaml)
    assert res.exit_code == 0, res.stderr
    assert_no_raw(res.stdout)
    assert "A\\x1b[31m" in res.stdout and "\\u202e" in res.stdout


def test_json_stays_valid_and_carries_the_same_data(evil_csv, small_yaml):
    res = invoke("rank", evil_csv, "-c", small_yaml, "-f", "json")
    assert res.exit_code == 0
    assert_no_raw(res.stdout)
    ids = {o["id"] for o in json.loads(res.stdout)["opportunities"]}
    assert f"A{CSI_RED}" in ids  # escaped in the text, the same string once parsed


def test_csv_to_a_file_keeps_the_data(evil_csv, small_yaml, tmp_path):
    out = tmp_path / "r.csv"
    assert invoke("rank", evil_csv, "-c", small_yaml, "-o", out).exit_code == 0
    assert f"A{CSI_RED}" in out.read_text(encoding="utf-8")


def test_error_location_and_hint_are_escaped(tk, write, small_yaml):
    rows = tk.small_rows()
    rows[0][3] = f"lo{ESC}[2Jw"  # a label not on the scale, with a did-you-mean hint
    res = invoke("rank", write("e.csv", tk.csv_text(tk.SMALL_HEADER, rows)), "-c", small_yaml)
    assert res.exit_code == 2
    assert_no_raw(res.stderr)
    assert "did you mean 'low'" in res.stderr and "lo\\x1b[2Jw" in res.stderr


def test_header_with_escape_sequences_in_the_message(tk, write, small_yaml):
    header = [*tk.SMALL_HEADER[:2], f"deal{ESC}]0;x{chr(7)}", *tk.SMALL_HEADER[3:]]
    res = invoke("rank", write("h.csv", tk.csv_text(header, tk.small_rows())), "-c", small_yaml)
    assert res.exit_code == 2
    assert_no_raw(res.stderr)
    assert "missing criterion column" in res.stderr


def test_file_name_with_control_characters(tmp_path, small_yaml):
    res = invoke("rank", tmp_path / f"x{ESC}[31m.csv", "-c", small_yaml)
    assert res.exit_code == 2
    assert_no_raw(res.stderr)
    assert "x\\x1b[31m.csv: file not found" in res.stderr


def test_input_error_message_escapes_every_part():
    e = InputError(f"bad {ESC}", file=f"f{BIDI}.csv", row=f"2 (id {C1})", column=f"c{DEL}", value=f"v{ESC}",
                   expected=f"x{ESC}")
    assert_no_raw(e.message)
    assert str(e) == e.message


def test_ahp_labels_and_judge_names_are_escaped(write):
    risk, fit = '"risk\\e[31m"', '"fit\\u202e"'  # YAML escapes for ESC and RIGHT-TO-LEFT OVERRIDE
    j = write("j.yaml", f"judgments:\n  - [{risk}, deal, 3]\n  - [deal, {fit}, 2]\n  - [{risk}, {fit}, 6]\n")
    res = invoke("ahp", j)
    assert res.exit_code == 0, res.stderr
    assert_no_raw(res.stdout)
    assert "risk\\x1b[31m" in res.stdout


def test_usage_errors_are_escaped():
    from mcda_qualify import cli

    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", "import sys; from mcda_qualify.cli import main; sys.argv=['mcda-qualify', "
                        f"'rank', 'a.csv', '-c', 'c.yaml', '--format', 'x\\x1b[31m']; main()"],
                       capture_output=True, text=True, timeout=120, cwd=str(__import__('pathlib').Path(cli.__file__).parents[1]))
    assert r.returncode == 2
    assert ESC not in r.stderr and "x\\x1b[31m" in r.stderr
