"""Issue 11, point 8: generated bad files and arguments fed to the command line in-process.

Whatever the input, every command ends with exit code 0 (it made sense of it) or 2 (a clear
`error:` message), never a traceback, and never changes any of its input files (hashed before and
after). Hypothesis generates the files from valid ones: random bytes, truncations, and mutations that
insert huge numbers, non-finite numbers, control characters, wrong types and YAML/JSON oddities.
Derandomised and without an example database, so `make test` runs the same examples each time.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mcda_qualify.cli import app

runner = CliRunner()

ROOT = Path(__file__).resolve().parents[1]

CRITERIA = {
    "name": "Fuzz",
    "criteria": [
        {"id": "deal_size", "name": "Deal size", "direction": "benefit", "bounds": [0, 1000]},
        {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"},
         "gate": {"max": 2}},
        {"id": "effort", "name": "Effort", "direction": "cost"},
    ],
    "weights": {"deal_size": 3, "risk": 2, "effort": 1},
}
TABLE = "id,name,deal_size,risk,effort\nA,Alpha,500,low,10\nB,Beta,300,medium,20\nC,Gamma,100,high,30\nD,Delta,700,low,25\n"
WEIGHTS = "deal_size: 0.5\nrisk: 0.3\neffort: 0.2\n"
JUDGMENTS = "labels: [deal_size, risk, effort]\njudgments:\n  - [deal_size, risk, 2]\n  - [risk, effort, 3]\n  - [deal_size, effort, 5]\n"


def _workspace() -> str:
    import pandas as pd

    from mcda_qualify.io.workspace import Workspace, workspace_from

    frame = pd.read_csv(__import__("io").StringIO(TABLE), dtype=str)
    ws = workspace_from(CRITERIA, frame, weights={"deal_size": 3, "risk": 2, "effort": 1},
                        settings={"method": "topsis"})
    return Workspace.from_dict(ws).to_json()


BASE = {"c.yaml": yaml.safe_dump(CRITERIA, sort_keys=False), "t.csv": TABLE, "w.yaml": WEIGHTS,
        "j.yaml": JUDGMENTS, "ws.json": _workspace()}

NASTY = ["9" * 400, "-" + "9" * 320, "1e400", "-1e999", ".nan", ".inf", "NaN", "Infinity", "1e-400", "0", "-1",
         "\x1b[31m", "\x1b]0;x\x07", "\u202e", "\x9b", "\x7f", "\x00", "\r", "\t", "\n", ",", ";", '"', "'",
         "[", "]", "{", "}", ":", "- ", "&a [*a]", "*a", "<<: *a", "!!python/object/apply:os.system ['true']",
         "!!binary AAAA", "true", "null", "~", "[1, 2]", "{x: 1}", "2025-01-31", "1/0", "0x10", "0o7", "1_000",
         "label", "risk", "value", "id", "  ", "é", "\ufeff", "\u2028"]

ARGS = st.fixed_dictionaries({
    "method": st.sampled_from(["topsis", "ahp", "vikor", "wsm", "wpm", "copras", "moora", "spotis", "promethee_ii",
                               "nope", "TOPSIS", "\x1b[31m", ""]),
    "normalization": st.sampled_from(["vector", "minmax", "zscore", ""]),
    "format": st.sampled_from(["table", "json", "csv"]),
    "smaa": st.sampled_from(["0", "50", "-3", "99999999999999999999", "x"]),
    "version": st.sampled_from(["1", "2", "0", "-1", "99999999999999999999", "x"]),
    "extra": st.sampled_from([[], ["--missing", "worst"], ["--exclude", "effort"], ["--exclude", "nope"],
                              ["--sheet", "1"], ["--qualified", "0.6"], ["--qualified", "0.6", "--conditional", "nan"]]),
})


@st.composite
def bad_content(draw, base: str) -> bytes:
    kind = draw(st.sampled_from(["bytes", "truncate", "mutate", "mutate", "mutate", "repeat"]))
    raw = base.encode("utf-8")
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "truncate":
        return raw[: draw(st.integers(0, len(raw)))]
    if kind == "repeat":  # a duplicated line: duplicate keys in YAML, a duplicate row in CSV
        lines = raw.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        return b"\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1:])
    text = base
    for _ in range(draw(st.integers(1, 3))):
        pos = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 6))
        text = text[:pos] + draw(st.sampled_from(NASTY)) + text[pos + cut:]
    return text.encode("utf-8", "surrogatepass")


def _commands(d: Path, a: dict) -> list[list[str]]:
    c, t, w, j, ws, db = (str(d / n) for n in ("c.yaml", "t.csv", "w.yaml", "j.yaml", "ws.json", "s.sqlite"))
    common = ["-m", a["method"], "-n", a["normalization"], *a["extra"]]
    return [
        ["rank", t, "-c", c, "-f", a["format"], *common],
        ["qualify", t, "-c", c, "-w", w, "-f", a["format"], "-o", str(d / "out.txt"), *common],
        ["rank", t, "-c", c, "-j", j, "-f", "json"],
        ["ahp", j, "-f", "json" if a["format"] == "json" else "table"],
        ["sensitivity", t, "-c", c, "--smaa", a["smaa"], "--seed", "1"],
        ["save", t, "-c", c, "-d", "fuzz", "--db", db, "-o", str(d / "saved.json"), "-j", j],
        ["history", db],
        ["diff", db, a["version"], "1"],
        ["report", ws, "-o", str(d / "r.html"), "--smaa", "20"],
    ]


def _digests(d: Path, names) -> dict[str, str]:
    return {n: hashlib.sha256((d / n).read_bytes()).hexdigest() for n in names}


def _check(res, args) -> None:
    out = (res.stdout or "") + (res.stderr or "")
    assert res.exit_code in (0, 2), (args, res.exit_code, repr(res.exception), out[-800:])
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, repr(res.exception))
    assert "Traceback" not in out, (args, out[-800:])
    if res.exit_code == 2 and res.stderr.strip():
        assert "\x1b" not in res.stderr, (args, res.stderr)


FILES = st.fixed_dictionaries({name: st.one_of(st.none(), bad_content(text)) for name, text in BASE.items()}).filter(
    lambda f: any(v is not None for v in f.values()))


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=FILES, args=ARGS, store=st.one_of(st.none(), st.binary(max_size=64)))
def test_bad_files_and_arguments_exit_0_or_2_and_inputs_stay_unchanged(files, args, store):
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        for name, text in BASE.items():
            data = files.get(name)
            (d / name).write_bytes(text.encode("utf-8") if data is None else data)
        names = list(BASE)
        if store is not None:  # a store file of random bytes (or empty): read commands must leave it as it is
            (d / "s.sqlite").write_bytes(store)
            names.append("s.sqlite")
        before = _digests(d, names)
        for cmd in _commands(d, args):
            if cmd[0] == "save" and "s.sqlite" in names:
                continue  # save writes the store by design; the other commands only read it
            _check(runner.invoke(app, cmd), cmd)
        assert _digests(d, names) == before


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(argv=st.lists(st.sampled_from(["rank", "qualify", "ahp", "sensitivity", "report", "save", "history", "diff",
                                      "-c", "-w", "-j", "-o", "-f", "-m", "--smaa", "99999999999999999999", "-1",
                                      "x.csv", "", "\x1b", "--db", "--sheet", "json", "1", "--help", "--version"]),
                      min_size=1, max_size=6))
def test_random_argument_lists_never_crash(argv):
    """(`app` starts a server, so it is left out here; its --port range has its own test.)"""
    with tempfile.TemporaryDirectory() as tmp:
        res = runner.invoke(app, argv, env={"MCDA_QUALIFY_DB": str(Path(tmp) / "s.sqlite")})
        _check(res, argv)
