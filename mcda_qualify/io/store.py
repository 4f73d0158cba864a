"""Decision store: every saved version of a decision's workspace, and each judge's judgments, in SQLite.

One file holds many decisions (by name). Saving a decision adds a new version (1, 2, ...) with the
time (UTC), author, note, the inputs hash and the complete workspace JSON; nothing is ever
overwritten, so any version can be loaded, compared (:func:`diff`) or restored (:func:`restore`,
which adds a new version with the old content).

The file is ``db`` when given, else ``$MCDA_QUALIFY_DB``, else ``~/.mcda-qualify/decisions.sqlite``.
It uses WAL journaling and a busy timeout; every write is one ``BEGIN IMMEDIATE ... COMMIT``
transaction, so a process killed half-way leaves the previous versions intact, and concurrent
writers are serialised (each gets its own version number; a clash on the unique
``(decision, version)`` is retried).
"""
from __future__ import annotations

import json
import math
import os
import random
import sqlite3
import time
import unicodedata
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from ..errors import InputError
from .workspace import Workspace, _jsonable, load_workspace
from .workspace_schema import WorkspaceError, _check_judgments, _check_triples, utc_now

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "ENV_VAR",
    "DEFAULT_DB",
    "STORE_SCHEMA",
    "StoreError",
    "default_db_path",
    "connect",
    "save",
    "list_versions",
    "load_version",
    "restore",
    "list_decisions",
    "resolve_decision",
    "save_judgments",
    "load_judgments",
    "judgment_history",
    "panel_judgments",
    "WeightChange",
    "ScoreChange",
    "StatusChange",
    "CellChange",
    "SettingChange",
    "CriteriaChange",
    "VersionDiff",
    "diff",
    "diff_workspaces",
    "history_text",
    "diff_text",
    "format_diff",
]

#: environment variable naming the store file
ENV_VAR = "MCDA_QUALIFY_DB"
#: the store file when neither ``db`` nor the environment variable names one
DEFAULT_DB = Path("~/.mcda-qualify/decisions.sqlite")
#: layout version of the SQLite tables (``PRAGMA user_version``); 2 added ``outcomes`` (io/outcomes.py)
STORE_SCHEMA = 2
#: how long a writer waits for another writer's transaction (milliseconds)
BUSY_TIMEOUT_MS = 30_000
#: attempts of one write when its version number clashes with another writer's
WRITE_ATTEMPTS = 8

# Test hook: called inside the write transaction just before COMMIT (tests kill the process here).
_before_commit: Callable[[sqlite3.Connection], None] | None = None

_T = TypeVar("_T")

#: every table a decision store may hold (tokens: io/store_tokens.py and outcomes: io/outcomes.py are
#: made when first used)
STORE_TABLES = frozenset({"decisions", "versions", "judgments", "tokens", "outcomes"})

_TABLES = (
    """CREATE TABLE IF NOT EXISTS decisions (
        name TEXT PRIMARY KEY NOT NULL,
        created TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS versions (
        decision TEXT NOT NULL REFERENCES decisions(name),
        version INTEGER NOT NULL CHECK (version >= 1),
        time TEXT NOT NULL,
        author TEXT NOT NULL,
        note TEXT NOT NULL,
        hash TEXT NOT NULL,
        restored_from INTEGER,
        workspace TEXT NOT NULL,
        UNIQUE (decision, version)
    )""",
    """CREATE TABLE IF NOT EXISTS judgments (
        decision TEXT NOT NULL REFERENCES decisions(name),
        judge TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        time TEXT NOT NULL,
        author TEXT NOT NULL,
        note TEXT NOT NULL,
        weight NOT NULL,
        judgments TEXT NOT NULL,
        UNIQUE (decision, judge, revision)
    )""",
    """CREATE TABLE IF NOT EXISTS outcomes (
        decision TEXT NOT NULL REFERENCES decisions(name),
        opportunity TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        version INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        decided TEXT,
        time TEXT NOT NULL,
        author TEXT NOT NULL,
        note TEXT NOT NULL,
        UNIQUE (decision, opportunity, revision)
    )""",
)


class StoreError(InputError):
    """A problem with the decision store or a request to it (unknown decision, version, bad file).
    ``key`` names the record (``decision 'Q4'``), shown as it is."""

    def _key_text(self) -> str:
        return str(self.key)


# ---------------------------------------------------------------------------------------------
# connection
# ---------------------------------------------------------------------------------------------


def default_db_path() -> Path:
    """``$MCDA_QUALIFY_DB`` if set (and not empty), else ``~/.mcda-qualify/decisions.sqlite``."""
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env).expanduser() if env else DEFAULT_DB.expanduser()


def _path(db: str | os.PathLike | None) -> Path:
    return default_db_path() if db is None else Path(db).expanduser()


def _sqlite_error(exc: sqlite3.Error, where: str) -> StoreError:
    text = str(exc)
    if "not a database" in text:
        return StoreError("not an SQLite database", file=where, expected="a decision store written by mcda-qualify")
    if "readonly" in text:
        return StoreError("the store is read-only", file=where, expected="write permission on the file and its folder")
    if "locked" in text or "busy" in text:
        return StoreError(f"the store stayed busy ({text})", file=where,
                          expected=f"no other program holding a write transaction for more than {BUSY_TIMEOUT_MS // 1000} s")
    return StoreError(f"database error ({text})", file=where)


def connect(db: str | os.PathLike | None = None, *, create: bool = True, readonly: bool = False) -> sqlite3.Connection:
    """Open the store (WAL, busy timeout, foreign keys), creating file and tables if ``create``.

    The connection is in autocommit mode; writes open their own ``BEGIN IMMEDIATE`` transaction.
    ``readonly`` opens the file with SQLite's ``mode=ro`` (what the read commands use): nothing is
    created or converted, so reading an empty or foreign file never turns it into a store.
    """
    from urllib.parse import quote

    from .files import check_input, path_exists

    p = _path(db)
    where = str(p)
    if not path_exists(p, error=StoreError):
        if not create or readonly:
            raise StoreError("no decision store here", file=where,
                             expected=f"the path of a store (or set {ENV_VAR}); it is created by the first save")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder ({exc.strerror})", file=where) from None
    else:  # a regular file (not a folder, pipe or device); a store has no size cap
        check_input(p, "a decision store (.sqlite file)", max_size=2**62, error=StoreError)
    try:
        if readonly:
            uri = "file:" + quote(os.path.abspath(p)) + "?mode=ro"
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        else:
            conn = sqlite3.connect(str(p), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, where) from None
    if readonly:
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > STORE_SCHEMA:
                raise StoreError(f"written by a newer mcda-qualify (store layout {version})", file=where,
                                 expected=f"store layout {STORE_SCHEMA} or older; upgrade mcda-qualify")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables - STORE_TABLES:
                raise StoreError("an SQLite database, but not a decision store", file=where,
                                 value=sorted(tables), expected="a store written by mcda-qualify (or a new file)")
        except sqlite3.Error as exc:
            conn.close()
            raise _sqlite_error(exc, where) from None
        except BaseException:
            conn.close()
            raise
        return conn
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        # switching to WAL and creating the tables can meet SQLITE_BUSY without the busy handler being
        # called (two processes creating a new store at once): retry until the busy timeout is spent
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                _ensure_schema(conn, where, create)
                break
            except sqlite3.OperationalError as exc:
                _rollback(conn)
                if not _busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.005 + 0.02 * random.random())
    except sqlite3.Error as exc:
        conn.close()
        raise _sqlite_error(exc, where) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _ensure_schema(conn: sqlite3.Connection, where: str, create: bool) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > STORE_SCHEMA:
        raise StoreError(f"written by a newer mcda-qualify (store layout {version})", file=where,
                         expected=f"store layout {STORE_SCHEMA} or older; upgrade mcda-qualify")
    if version == STORE_SCHEMA:
        return
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables - STORE_TABLES:
        raise StoreError("an SQLite database, but not a decision store", file=where,
                         value=sorted(tables), expected="a store written by mcda-qualify (or a new file)")
    if not create and (not tables or version >= 1):
        return  # an empty file: reads see no decisions; an older layout is upgraded by the first write
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < STORE_SCHEMA:
            for sql in _TABLES:
                conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {STORE_SCHEMA}")
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _busy(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _write(db: str | os.PathLike | None, body: Callable[[sqlite3.Connection], _T]) -> _T:
    """Run ``body`` in one BEGIN IMMEDIATE transaction; retry while busy or on a version clash."""
    where = str(_path(db))
    with closing(connect(db, create=True)) as conn:
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        clashes = 0
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                out = body(conn)
                if _before_commit is not None:
                    _before_commit(conn)
                conn.execute("COMMIT")
                return out
            except sqlite3.IntegrityError as exc:
                _rollback(conn)
                clashes += 1
                if "UNIQUE" in str(exc) and clashes < WRITE_ATTEMPTS:
                    continue  # another writer took the number: read the next one again
                raise _sqlite_error(exc, where) from None
            except sqlite3.Error as exc:
                _rollback(conn)
                if _busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.005 + 0.02 * random.random())
                    continue
                raise _sqlite_error(exc, where) from None
            except BaseException:
                _rollback(conn)
                raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:  # pragma: no cover - the connection is closed next anyway
            pass


def _read(db: str | os.PathLike | None, body: Callable[[sqlite3.Connection], _T]) -> _T:
    where = str(_path(db))
    with closing(connect(db, create=False, readonly=True)) as conn:
        try:
            if not _has_tables(conn):
                return body(None)  # type: ignore[arg-type]
            return body(conn)
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, where) from None


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'versions'").fetchone()[0] > 0


# ---------------------------------------------------------------------------------------------
# checks
# ---------------------------------------------------------------------------------------------


def _name(value: Any, what: str, db: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError(f"{what} name must be non-empty text", file=str(_path(db)), value=value, has_value=True,
                         expected=f"a {what} name such as 'telecom-q3'")
    name = value.strip()
    if len(name) > 200 or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise StoreError(f"{what} name must be at most 200 characters with no control characters",
                         file=str(_path(db)), value=name[:80], expected=f"a short {what} name")
    return name


def _text(value: Any, what: str, db: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StoreError(f"{what} must be text", file=str(_path(db)), value=value, has_value=True)
    return value


def _as_workspace(workspace: Workspace | Mapping[str, Any] | str) -> Workspace:
    if isinstance(workspace, Workspace):
        return workspace
    if isinstance(workspace, Mapping):
        return Workspace.from_dict(dict(workspace))
    if isinstance(workspace, str):
        return load_workspace(workspace)
    raise WorkspaceError("a workspace must be a Workspace, a workspace mapping or JSON text",
                         value=type(workspace).__name__, has_value=True)


def _known(conn: sqlite3.Connection | None) -> list[str]:
    if conn is None:
        return []
    return [r[0] for r in conn.execute("SELECT name FROM decisions ORDER BY name")]


def _check_decision(conn: sqlite3.Connection | None, decision: str, db: Any) -> None:
    if conn is None or conn.execute("SELECT 1 FROM decisions WHERE name = ?", (decision,)).fetchone() is None:
        known = _known(conn)
        raise StoreError("no such decision", file=str(_path(db)), value=decision,
                         expected=f"one of: {', '.join(known)}" if known else "a decision saved before (the store is empty)")


def _latest(conn: sqlite3.Connection, decision: str) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM versions WHERE decision = ?", (decision,)).fetchone()[0])


def _version_row(conn: sqlite3.Connection, decision: str, version: int | None, db: Any) -> tuple[int, str]:
    latest = _latest(conn, decision)
    if latest == 0:
        raise StoreError("the decision has no saved versions yet (only judgments)", file=str(_path(db)),
                         key=f"decision '{decision}'")
    if version is None:
        version = latest
    if isinstance(version, bool) or not isinstance(version, int):
        raise StoreError("a version is a whole number", file=str(_path(db)), key=f"decision '{decision}'",
                         value=version, has_value=True, expected=f"1 to {latest}")
    if not 1 <= version <= latest:  # also keeps numbers past SQLite's 64-bit integers out of the query
        raise StoreError("no such version", file=str(_path(db)), key=f"decision '{decision}'", value=version,
                         expected=f"a version from 1 to {latest}")
    row = conn.execute("SELECT workspace FROM versions WHERE decision = ? AND version = ?", (decision, version)).fetchone()
    if row is None:
        raise StoreError("no such version", file=str(_path(db)), key=f"decision '{decision}'", value=version,
                         expected=f"a version from 1 to {latest}")
    return version, row[0]


# ---------------------------------------------------------------------------------------------
# versions
# ---------------------------------------------------------------------------------------------


def _insert_version(conn: sqlite3.Connection, decision: str, text: str, digest: str, author: str, note: str,
                    restored_from: int | None) -> int:
    now = utc_now()
    conn.execute("INSERT OR IGNORE INTO decisions (name, created) VALUES (?, ?)", (decision, now))
    version = _latest(conn, decision) + 1
    conn.execute(
        "INSERT INTO versions (decision, version, time, author, note, hash, restored_from, workspace) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (decision, version, now, author, note, digest, restored_from, text),
    )
    return version


def save(db: str | os.PathLike | None, decision: str, workspace: Workspace | Mapping[str, Any] | str,
         author: str | None = None, note: str | None = None) -> int:
    """Save ``workspace`` as the next version of ``decision``; returns the new version number.

    The workspace (a :class:`~mcda_qualify.workspace.Workspace`, a workspace mapping or JSON text)
    is validated first and stored as its canonical JSON. ``author`` defaults to the workspace's
    ``meta.author``, else ``"unknown"``.
    """
    name = _name(decision, "decision", db)
    ws = _as_workspace(workspace)
    who = _text(author if author is not None else (ws.meta.author or "unknown"), "author", db)
    why = _text(note, "note", db)
    text, digest = ws.to_json(), ws.inputs_hash()
    return _write(db, lambda conn: _insert_version(conn, name, text, digest, who, why, None))


def list_versions(db: str | os.PathLike | None, decision: str) -> "pd.DataFrame":
    """The versions of ``decision``, oldest first: version, time, author, note, hash (inputs hash)."""
    import pandas as pd

    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> pd.DataFrame:
        _check_decision(conn, name, db)
        rows = conn.execute("SELECT version, time, author, note, hash FROM versions WHERE decision = ? ORDER BY version",
                            (name,)).fetchall()
        return pd.DataFrame(rows, columns=["version", "time", "author", "note", "hash"]).astype({"version": int})

    return _read(db, body)


def load_version(db: str | os.PathLike | None, decision: str, version: int | None = None) -> Workspace:
    """The workspace saved as ``version`` of ``decision`` (None: the latest), upgraded and validated."""
    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> tuple[int, str]:
        _check_decision(conn, name, db)
        return _version_row(conn, name, version, db)

    number, text = _read(db, body)
    return load_workspace(text, source=f"{_path(db)} [{name} v{number}]")


def restore(db: str | os.PathLike | None, decision: str, version: int, author: str | None = None,
            note: str | None = None) -> int:
    """Save the content of an earlier ``version`` again as a new version; returns its number."""
    name = _name(decision, "decision", db)
    who = _text(author if author is not None else "unknown", "author", db)
    why = _text(note if note is not None else f"restore of version {version}", "note", db)

    def body(conn: sqlite3.Connection) -> int:
        _check_decision(conn, name, db)
        number, _ = _version_row(conn, name, version, db)
        text, digest = conn.execute("SELECT workspace, hash FROM versions WHERE decision = ? AND version = ?",
                                    (name, number)).fetchone()
        return _insert_version(conn, name, text, digest, who, why, number)

    return _write(db, body)


def list_decisions(db: str | os.PathLike | None = None) -> "pd.DataFrame":
    """Every decision: decision, versions, updated (time of the latest version), author (of it), judges."""
    import pandas as pd

    cols = ["decision", "versions", "updated", "author", "judges"]

    def body(conn: sqlite3.Connection | None) -> pd.DataFrame:
        if conn is None:
            return pd.DataFrame(columns=cols)
        rows = conn.execute(
            """SELECT d.name,
                      (SELECT COUNT(*) FROM versions v WHERE v.decision = d.name),
                      (SELECT time FROM versions v WHERE v.decision = d.name ORDER BY version DESC LIMIT 1),
                      (SELECT author FROM versions v WHERE v.decision = d.name ORDER BY version DESC LIMIT 1),
                      (SELECT COUNT(DISTINCT judge) FROM judgments j WHERE j.decision = d.name)
               FROM decisions d ORDER BY d.name"""
        ).fetchall()
        return pd.DataFrame(rows, columns=cols).astype({"versions": int, "judges": int})

    return _read(db, body)


def resolve_decision(db: str | os.PathLike | None, decision: str | None = None) -> str:
    """``decision`` checked to exist; when None, the store's only decision (else a clear error)."""
    if decision is not None:
        name = _name(decision, "decision", db)
        _read(db, lambda conn: _check_decision(conn, name, db))
        return name
    known = _read(db, _known)
    if not known:
        raise StoreError("the store holds no decisions", file=str(_path(db)), expected="a store with saved decisions")
    if len(known) > 1:
        raise StoreError(f"the store holds {len(known)} decisions; name one", file=str(_path(db)),
                         expected=f"--decision NAME with one of: {', '.join(known)}")
    return known[0]


# ---------------------------------------------------------------------------------------------
# judgments per judge
# ---------------------------------------------------------------------------------------------


def _check_one_judge(judgments: Any, db: Any) -> Any:
    data = _jsonable(judgments, "judgments")
    try:
        if isinstance(data, list):
            _check_triples(data, "judgments")
        elif isinstance(data, dict):
            if "judges" in data:
                raise ValueError("one judge's judgments cannot hold 'judges'; save each judge separately")
            _check_judgments(data)
        else:
            raise ValueError("judgments must be a list of [a, b, value] or a mapping with 'judgments' or 'matrix'")
    except ValueError as exc:
        raise StoreError(str(exc), file=str(_path(db)), key="judgments",
                         expected="[[a, b, value], ...] or {labels, judgments} with value a number or text such as '1/3'") from None
    return data


def save_judgments(db: str | os.PathLike | None, decision: str, judge: str, judgments: Any, *,
                   weight: float = 1, author: str | None = None, note: str | None = None) -> int:
    """Save one judge's judgments for ``decision`` (a new revision for that judge); returns the revision.

    ``judgments``: a list of ``[a, b, value]`` or a mapping ``{labels, judgments}`` (or ``matrix``),
    stored as given. ``weight`` is the judge's weight in the panel (default 1). The decision need
    not have a saved version yet.
    """
    name = _name(decision, "decision", db)
    who = _name(judge, "judge", db)
    data = _check_one_judge(judgments, db)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not (math.isfinite(weight) and weight > 0):
        raise StoreError("a judge's weight must be a positive number", file=str(_path(db)), key=f"judge '{who}'",
                         value=weight, has_value=True, expected="a number > 0 (default 1)")
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    by = _text(author if author is not None else who, "author", db)
    why = _text(note, "note", db)

    def body(conn: sqlite3.Connection) -> int:
        now = utc_now()
        conn.execute("INSERT OR IGNORE INTO decisions (name, created) VALUES (?, ?)", (name, now))
        rev = conn.execute("SELECT COALESCE(MAX(revision), 0) + 1 FROM judgments WHERE decision = ? AND judge = ?",
                           (name, who)).fetchone()[0]
        conn.execute("INSERT INTO judgments (decision, judge, revision, time, author, note, weight, judgments) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (name, who, rev, now, by, why, weight, text))
        return int(rev)

    return _write(db, body)


def _stored_json(text: Any, db: Any) -> Any:
    """Judgments kept in the store, parsed strictly (a damaged or crafted store is an error, not a crash)."""
    from .json_loader import loads_strict

    if not isinstance(text, str):
        raise StoreError("stored judgments are not text", file=str(_path(db)), value=type(text).__name__, has_value=True)
    return loads_strict(text, str(_path(db)), error=StoreError, expected="judgments saved by mcda-qualify")


_LATEST_JUDGMENTS = """SELECT judge, weight, judgments FROM judgments j WHERE decision = ? AND revision =
    (SELECT MAX(revision) FROM judgments k WHERE k.decision = j.decision AND k.judge = j.judge) ORDER BY judge"""


def load_judgments(db: str | os.PathLike | None, decision: str) -> dict[str, Any]:
    """The latest judgments of every judge of ``decision``: {judge: judgments}, judges by name."""
    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> dict[str, Any]:
        _check_decision(conn, name, db)
        return {j: _stored_json(t, db) for j, _, t in conn.execute(_LATEST_JUDGMENTS, (name,))}

    return _read(db, body)


def judgment_history(db: str | os.PathLike | None, decision: str, judge: str | None = None) -> "pd.DataFrame":
    """Every revision of the judgments of ``decision`` (or of one ``judge``): judge, revision, time,
    author, note, weight, judgments."""
    import pandas as pd

    name = _name(decision, "decision", db)
    cols = ["judge", "revision", "time", "author", "note", "weight", "judgments"]

    def body(conn: sqlite3.Connection | None) -> pd.DataFrame:
        _check_decision(conn, name, db)
        sql = f"SELECT {', '.join(cols)} FROM judgments WHERE decision = ?"
        args: tuple[Any, ...] = (name,)
        if judge is not None:
            sql += " AND judge = ?"
            args += (judge,)
        rows = [(*r[:-1], _stored_json(r[-1], db)) for r in conn.execute(sql + " ORDER BY judge, revision", args)]
        return pd.DataFrame(rows, columns=cols)

    return _read(db, body)


def panel_judgments(db: str | os.PathLike | None, decision: str) -> dict[str, Any] | None:
    """The latest judgments of every judge as one group document ``{labels?, judges: [{name, weight,
    judgments | matrix}]}`` (the per-judge form of a workspace), or None when there are none."""
    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> list[tuple[str, Any, str]]:
        _check_decision(conn, name, db)
        return conn.execute(_LATEST_JUDGMENTS, (name,)).fetchall()

    rows = _read(db, body)
    if not rows:
        return None
    labels: list[str] = []
    judges = []
    for judge, weight, text in rows:
        data = _stored_json(text, db)
        entry: dict[str, Any] = {"name": judge, "weight": weight}
        if isinstance(data, list):
            entry["judgments"] = data
        else:
            labels.extend(x for x in data.get("labels", []) if x not in labels)
            entry.update({k: v for k, v in data.items() if k in ("judgments", "matrix")})
        judges.append(entry)
    return {"labels": labels, "judges": judges} if labels else {"judges": judges}


