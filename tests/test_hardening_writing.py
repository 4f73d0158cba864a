"""Issue 11, writing: an output that is an input is refused; outputs are written to a temporary file
and renamed, so a failure (a full disk) leaves the previous file intact; read commands never modify
a file; `save -o` says plainly that the version was saved when only the extra file failed."""
from __future__ import annotations

import errno
import hashlib
import os

import pytest

from mcda_qualify.errors import InputError
from mcda_qualify.io import files, store
from mcda_qualify.io.workspace import save_workspace

from testkit import err_of, invoke


def digest(p) -> str:
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def _full_disk(monkeypatch):
    def boom(f, data):
        f.write(data[: len(data) // 2])  # a partial write, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_write_all", boom)


# ------------------------------------------------------------------ output == input
@pytest.mark.parametrize("command", ["rank", "qualify", "sensitivity"])
@pytest.mark.parametrize("which", ["table", "criteria"])
def test_output_over_an_input_is_refused(command, which, small_csv, small_yaml):
    target = small_csv if which == "table" else small_yaml
    before = digest(target)
    err_of(invoke(command, small_csv, "-c", small_yaml, "-o", target),
           "the output is one of the command's inputs, which would be overwritten")
    assert digest(target) == before


def test_output_through_a_symlink_to_an_input_is_refused(small_csv, small_yaml, tmp_path):
    link = tmp_path / "link.csv"
    link.symlink_to(small_csv)
    before = digest(small_csv)
    err_of(invoke("qualify", small_csv, "-c", small_yaml, "-o", link), "would be overwritten")
    assert digest(small_csv) == before


def test_ahp_report_save_outputs_over_inputs(tk, tmp_path):
    j = tmp_path / "j.yaml"
    j.write_text("judgments:\n  - [risk, deal_size, 3]\n", encoding="utf-8")
    err_of(invoke("ahp", j, "-o", j), "would be overwritten")
    db = tmp_path / "s.sqlite"
    err_of(invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", db, "-o", db), "would be overwritten")
    assert not db.exists()  # refused before anything was saved
    ws = tmp_path / "w.json"
    assert invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", db, "-o", ws).exit_code == 0
    before = digest(ws)
    link = tmp_path / "r.html"
    link.symlink_to(ws)
    err_of(invoke("report", ws, "-o", link), "would be overwritten")
    assert digest(ws) == before


# ------------------------------------------------------------------ atomic outputs
@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_full_disk_leaves_the_previous_output_intact(fmt, small_csv, small_yaml, tmp_path, monkeypatch):
    out = tmp_path / "out.txt"
    out.write_text("PREVIOUS RESULT\n", encoding="utf-8")
    _full_disk(monkeypatch)
    err_of(invoke("rank", small_csv, "-c", small_yaml, "-f", fmt, "-o", out),
           "out.txt: cannot write the output (no space left on the device) (the previous file is unchanged)")
    assert out.read_text(encoding="utf-8") == "PREVIOUS RESULT\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("suffix", [".html", ".xlsx"])
def test_full_disk_during_a_report_leaves_no_empty_file(suffix, tk, tmp_path, monkeypatch):
    ws = tmp_path / "w.json"
    assert invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", tmp_path / "s.sqlite", "-o", ws).exit_code == 0
    out = tmp_path / f"report{suffix}"
    out.write_bytes(b"old report")
    _full_disk(monkeypatch)
    err_of(invoke("report", ws, "-o", out, "--smaa", "50"), "cannot write the report (no space left on the device)")
    assert out.read_bytes() == b"old report"
    new = tmp_path / f"new{suffix}"
    err_of(invoke("report", ws, "-o", new, "--smaa", "50"), "no space left")
    assert not new.exists()


def test_write_atomic_keeps_the_mode_and_replaces(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("x", encoding="utf-8")
    os.chmod(p, 0o640)
    files.write_atomic(p, "new")
    assert p.read_text(encoding="utf-8") == "new" and (p.stat().st_mode & 0o777) == 0o640
    with pytest.raises(InputError, match="is a folder"):
        files.write_atomic(tmp_path, "x")


def test_save_workspace_refuses_an_input(tk, tmp_path):
    from mcda_qualify.io.workspace import workspace_from

    ws = workspace_from(tk.CRITERIA_FILE, tk.CASE)
    with pytest.raises(InputError, match="would be overwritten"):
        save_workspace(ws, tk.CASE, inputs=[tk.CASE])


# ------------------------------------------------------------------ save -o after the commit
def test_save_o_failure_after_the_commit_says_the_version_was_saved(tk, tmp_path, monkeypatch):
    db = tmp_path / "s.sqlite"
    _full_disk(monkeypatch)
    msg = err_of(invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", db, "-o", tmp_path / "w.json"),
                 f"version 1 was saved to {db}; writing {tmp_path / 'w.json'} failed", "do not save again")
    assert "retry" not in msg
    assert list(store.list_versions(db, "q")["version"]) == [1]


# ------------------------------------------------------------------ read commands never write
def test_history_on_an_empty_file_does_not_make_it_a_store(tmp_path):
    p = tmp_path / "empty.sqlite"
    p.write_bytes(b"")
    res = invoke("history", p)
    assert res.exit_code == 0 and "no decisions" in res.stdout
    assert p.read_bytes() == b""
    err_of(invoke("diff", p, "1", "2"), "the store holds no decisions")
    assert p.read_bytes() == b""


def test_read_commands_leave_every_input_unchanged(tk, tmp_path):
    db = tmp_path / "s.sqlite"
    for _ in range(2):
        assert invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", db).exit_code == 0
    j = tk.ROOT / "case_studies" / "telecom_b2b" / "judgments.yaml"
    watched = [db, tk.CASE, tk.CRITERIA_FILE, j]
    before = [digest(p) for p in watched]
    mtime = db.stat().st_mtime_ns
    for args in (("history", db), ("diff", db, "1", "2"), ("ahp", j), ("rank", tk.CASE, "-c", tk.CRITERIA_FILE)):
        assert invoke(*args).exit_code == 0
    assert [digest(p) for p in watched] == before
    assert db.stat().st_mtime_ns == mtime


def test_history_on_a_foreign_file_is_refused_unchanged(tmp_path):
    p = tmp_path / "notes.sqlite"
    p.write_text("just some text\n", encoding="utf-8")
    err_of(invoke("history", p), "notes.sqlite: not an SQLite database")
    assert p.read_text(encoding="utf-8") == "just some text\n"
