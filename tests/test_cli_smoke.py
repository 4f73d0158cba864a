"""End-to-end smoke test: the installed console script on the bundled case study, as a user runs it."""
from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "mcda-qualify"
CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
CRITERIA = ROOT / "criteria" / "qualify_selling_opportunity.yaml"
STATUSES = ("Qualified", "Conditional", "Not qualified")


def _run(*args):
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_console_script_is_installed():
    assert EXE.is_file(), f"{EXE} missing: install the project (make install)"


def test_qualify_the_case_study():
    r = _run("qualify", CASE, "--criteria", CRITERIA)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    with CASE.open(encoding="utf-8", newline="") as f:
        ids = [row["id"] for row in csv.DictReader(f)]
    assert len(ids) == 14
    # one line per opportunity: rank, id, name, score, status
    line = re.compile(r"^\s*(\d+)\s+(\S+)\s+.*?\s(\d\.\d{4})\s+(" + "|".join(STATUSES) + r")$")
    rows = {}
    lines = r.stdout.splitlines()
    for k, text in enumerate(lines):
        m = line.match(text)
        if m:
            reasons = []
            for follow in lines[k + 1:]:
                if not follow.startswith("      - "):
                    break
                reasons.append(follow.strip()[2:])
            rows[m.group(2)] = (int(m.group(1)), float(m.group(3)), m.group(4), reasons)
    assert sorted(rows) == sorted(ids)
    assert sorted(v[0] for v in rows.values())[0] == 1
    for oid in ("OPP-08", "OPP-09"):  # both have no solution available: the gate knocks them out
        rank, score, status, reasons = rows[oid]
        assert status == "Not qualified"
        assert any(x.startswith("fails gate solution_availability: not available") for x in reasons)
    assert any(v[2] != "Not qualified" for v in rows.values())


def test_help():
    r = _run("--help")
    assert r.returncode == 0
    assert "qualify" in r.stdout and "rank" in r.stdout
    assert r.stderr == ""


# -- the process ends without the interpreter's teardown (cli._exit_now): nothing of the output is lost --


def _buffered(*args):
    """The console script with Python's default block-buffered stdout (PYTHONUNBUFFERED unset)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([str(EXE), *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120, env=env)


def _case_pipeline(tmp_path: Path, copies: int) -> Path:
    """The case study repeated ``copies`` times with fresh ids: a long table for long outputs."""
    with CASE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = tmp_path / "long.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        for c in range(copies):
            for row in rows:
                w.writerow({**row, "id": f"{row['id']}-{c:04d}"})
    return out


def test_long_output_reaches_stdout_whole(tmp_path):
    from typer.testing import CliRunner

    from mcda_qualify.cli import app

    table = _case_pipeline(tmp_path, 150)  # 2,100 opportunities, about 0.5 MB of JSON
    r = _buffered("rank", table, "-f", "json")
    assert r.returncode == 0, r.stderr
    inproc = CliRunner().invoke(app, ["rank", str(table), "-f", "json"])
    assert inproc.exit_code == 0
    assert r.stdout == inproc.stdout
    assert len(r.stdout) > 400_000


def test_output_file_is_complete_when_the_process_ends(tmp_path):
    out = tmp_path / "ranking.csv"
    r = _buffered("rank", _case_pipeline(tmp_path, 40), "-o", out)
    assert r.returncode == 0, r.stderr
    with out.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == 14 * 40


def test_reader_that_goes_away_is_no_error(tmp_path):
    p = subprocess.Popen([str(EXE), "rank", str(_case_pipeline(tmp_path, 150)), "-f", "json"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout.read(64)
    p.stdout.close()  # like `| head -c 64`
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0, err
    assert err == ""


def test_exit_codes_of_the_process(tmp_path):
    assert _run("rank", CASE).returncode == 0
    bad = _buffered("rank", tmp_path / "missing.csv")
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    usage = _run("rank", CASE, "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    assert _run("--version").returncode == 0
    bare = _run()  # no arguments: the help, and no empty "error:" line
    assert "Usage" in bare.stdout + bare.stderr and "error:" not in bare.stderr


def test_closed_standard_output_is_a_clear_error():
    r = subprocess.run(f"'{EXE}' rank '{CASE}' >&-", shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and "standard output is closed" in r.stderr and "Traceback" not in r.stderr
