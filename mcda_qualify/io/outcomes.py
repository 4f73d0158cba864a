"""Outcomes of opportunities (won / lost / no bid / withdrawn / open) in the decision store.

An outcome is recorded against the latest saved version of the decision whose opportunity table
contains that id (the version that qualified it). Nothing is overwritten: every call adds a row
(revision 1, 2, ... per opportunity) with the time, author and note; reading takes the latest
revision. The table ``outcomes`` came with store layout 2: a layout-1 store gains it on its first
write (:func:`mcda_qualify.io.store.connect`), and reading a layout-1 store sees no outcomes.

:func:`history_from_store` joins the opportunities with their latest outcomes into a history table
that :func:`mcda_qualify.learn.learn` reads.
"""
from __future__ import annotations

import difflib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from . import store
from .store import StoreError, _check_decision, _name, _path, _read, _text, _write
from .workspace_schema import utc_now

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["OutcomeRecord", "record_outcome", "outcomes", "history_from_store"]

_COLUMNS = ["opportunity", "revision", "version", "outcome", "decided", "time", "author", "note"]


@dataclass(frozen=True)
class OutcomeRecord:
    """What :func:`record_outcome` stored: the opportunity, its outcome, the version it was recorded
    against and the revision of this opportunity's outcome (1 for the first)."""

    decision: str
    opportunity: str
    outcome: str
    decided: str | None
    version: int
    revision: int


def _has_outcomes(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outcomes'").fetchone() is not None


def _ids_of(workspace_json: str) -> list[str]:
    opp = json.loads(workspace_json)["opportunities"]
    col = next((c for c in opp["columns"] if c.strip().lower() == "id"), None)
    if col is None:
        return []
    return ["" if r.get(col) is None else str(r[col]).strip() for r in opp["records"]]


def _outcome_label(value: Any, db: Any) -> str:
    from ..learn import OUTCOMES, _norm_outcome

    label = _norm_outcome(value) if isinstance(value, str) else ""
    if label not in OUTCOMES:
        near = difflib.get_close_matches(label, OUTCOMES, n=1, cutoff=0.5)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise StoreError("unknown outcome" + hint, file=str(_path(db)), value=value, has_value=True,
                         expected=f"one of {', '.join(OUTCOMES)}")
    return label


def _decided(value: Any, outcome: str, today: date, db: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        d = value.date()
    elif isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value).strip())
        except ValueError:
            raise StoreError("not a date", file=str(_path(db)), key="decided", value=value, has_value=True,
                             expected="an ISO date YYYY-MM-DD") from None
    if d > today:
        raise StoreError("date in the future", file=str(_path(db)), key="decided", value=d.isoformat(),
                         expected=f"a date on or before today ({today.isoformat()})")
    if outcome == "open":
        raise StoreError("an open deal has no decided date", file=str(_path(db)), key="decided", value=d.isoformat(),
                         expected="no date, or an outcome other than 'open'")
    return d.isoformat()


def record_outcome(db: str | os.PathLike | None, decision: str, opportunity: str, outcome: str, *,
                   decided: str | date | None = None, author: str | None = None, note: str | None = None,
                   today: date | None = None) -> OutcomeRecord:
    """Record ``outcome`` of ``opportunity`` (its id) in ``decision``: a new row, never an overwrite.

    ``outcome``: won, lost, no bid, withdrawn or open (case-insensitive; ``no_bid``/``no-bid`` too).
    ``decided``: an ISO date, not after ``today``; none for an open deal. The row names the latest
    version whose opportunity table holds the id; an id in no version is refused with the known ids.
    """
    name = _name(decision, "decision", db)
    oid = _name(opportunity, "opportunity id", db)
    label = _outcome_label(outcome, db)
    when = _decided(decided, label, today or date.today(), db)
    who = _text(author if author is not None else "unknown", "author", db)
    why = _text(note, "note", db)

    def body(conn: sqlite3.Connection) -> OutcomeRecord:
        _check_decision(conn, name, db)
        rows = conn.execute("SELECT version, workspace FROM versions WHERE decision = ? ORDER BY version DESC",
                            (name,)).fetchall()
        if not rows:
            raise StoreError("the decision has no saved versions yet: save one first", file=str(_path(db)),
                             key=f"decision '{name}'")
        version, known = None, []
        for v, text in rows:
            ids = _ids_of(text)
            if oid in ids:
                version = int(v)
                break
            known.extend(i for i in ids if i not in known)
        if version is None:
            near = difflib.get_close_matches(oid, known, n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise StoreError(f"no saved version of the decision holds this opportunity{hint}", file=str(_path(db)),
                             key=f"decision '{name}'", value=oid, expected=f"one of: {', '.join(known)}")
        rev = conn.execute("SELECT COALESCE(MAX(revision), 0) + 1 FROM outcomes WHERE decision = ? AND opportunity = ?",
                           (name, oid)).fetchone()[0]
        conn.execute("INSERT INTO outcomes (decision, opportunity, revision, version, outcome, decided, time, author, note) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (name, oid, rev, version, label, when, utc_now(), who, why))
        return OutcomeRecord(name, oid, label, when, version, int(rev))

    return _write(db, body)


def outcomes(db: str | os.PathLike | None, decision: str, *, latest: bool = False) -> "pd.DataFrame":
    """Every recorded outcome of ``decision`` (``latest``: only the latest per opportunity), by
    opportunity and revision: opportunity, revision, version, outcome, decided, time, author, note."""
    import pandas as pd

    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> list[tuple[Any, ...]]:
        _check_decision(conn, name, db)
        if not _has_outcomes(conn):
            return []  # a layout-1 store: no outcome recorded yet
        sql = f"SELECT {', '.join(_COLUMNS)} FROM outcomes o WHERE decision = ?"
        if latest:
            sql += " AND revision = (SELECT MAX(revision) FROM outcomes p WHERE p.decision = o.decision " \
                   "AND p.opportunity = o.opportunity)"
        return conn.execute(sql + " ORDER BY opportunity, revision", (name,)).fetchall()

    return pd.DataFrame(_read(db, body), columns=_COLUMNS).astype({"revision": int, "version": int})


def history_from_store(db: str | os.PathLike | None, decision: str) -> "pd.DataFrame":
    """A history table for :func:`mcda_qualify.learn.learn`: the latest version's opportunities, then the
    opportunities that only older versions hold but that have an outcome (their row from the version the
    outcome was recorded against), each with its latest ``outcome`` and ``decided`` date.

    An opportunity with no recorded outcome keeps the ``outcome`` cell of its table when it has one, else
    is ``open`` (not decided yet). Columns are the latest version's, plus ``outcome`` and ``decided``.
    """
    import pandas as pd

    name = _name(decision, "decision", db)
    latest_ws = store.load_version(db, name)
    frame = latest_ws.frame()
    number = int(store.list_versions(db, name)["version"].max())
    cols = list(frame.columns)
    idcol = next((c for c in cols if c.strip().lower() == "id"), None)
    if idcol is None:
        raise StoreError("the latest version's opportunity table has no 'id' column", file=str(_path(db)),
                         key=f"decision '{name}' v{number}", expected="a table with an id column")
    rec = outcomes(db, name, latest=True)
    ids = [str(i).strip() for i in frame[idcol]]
    extra = rec[~rec["opportunity"].isin(ids)]
    rows = [frame]
    for version, part in extra.groupby("version", sort=True):
        old = store.load_version(db, name, int(version)).frame()
        oid = next(c for c in old.columns if c.strip().lower() == "id")
        keep = old[old[oid].astype(str).str.strip().isin(part["opportunity"])].copy()
        keep = keep.rename(columns={oid: idcol})
        rows.append(keep.reindex(columns=cols))
    out = pd.concat(rows, ignore_index=True) if len(rows) > 1 else frame.copy()
    lower = {c.strip().lower(): c for c in cols}
    by_id = {r.opportunity: r for r in rec.itertuples(index=False)}
    out_col, dec_col = lower.get("outcome", "outcome"), lower.get("decided", "decided")
    old_outcome = out[out_col].tolist() if out_col in out.columns else [None] * len(out)
    old_decided = out[dec_col].tolist() if dec_col in out.columns else [None] * len(out)
    new_outcome, new_decided = [], []
    for i, oid in enumerate(str(x).strip() for x in out[idcol]):
        r = by_id.get(oid)
        if r is not None:
            new_outcome.append(r.outcome)
            new_decided.append(r.decided if isinstance(r.decided, str) else None)
        else:
            kept = old_outcome[i]
            new_outcome.append(kept if kept is not None and str(kept).strip() else "open")
            new_decided.append(old_decided[i])
    out[out_col] = pd.Series(new_outcome, dtype=object)
    out[dec_col] = pd.Series(new_decided, dtype=object)
    out.attrs["where"] = f"{_path(db)} [{name} v{number} with its outcomes]"
    out.attrs["first_row"] = 1
    return out
