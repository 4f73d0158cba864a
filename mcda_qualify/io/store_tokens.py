"""Access tokens of a team meeting, kept in the decision store: a secret per stakeholder link.

``mcda-qualify app --team`` serves the app to a team. The facilitator hands each stakeholder a link
carrying a secret token; with it, that stakeholder can change their own judgments and nobody else's.
Only a salted SHA-256 hash of each token is stored (the secret itself is shown once, when the link is
made), compared in constant time. Tokens are random 192-bit strings (``secrets.token_urlsafe``), so a
fast hash with a per-token salt is enough: there is no password to guess.

The ``tokens`` table is created by the first token written; stores without it read as having no
tokens, and the table does not change the store's layout version, so older mcda-qualify versions
still open a store that has one.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from typing import TYPE_CHECKING, Any

from .store import StoreError, _name, _path, _read, _write
from .workspace_schema import utc_now

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FACILITATOR", "create_token", "check_token", "list_tokens", "revoke_tokens", "hash_token"]

#: the role of the person who makes the links and sets the judges' weights
FACILITATOR = "facilitator"

_TABLE = """CREATE TABLE IF NOT EXISTS tokens (
    decision TEXT NOT NULL,
    judge TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'judge')),
    salt TEXT NOT NULL,
    hash TEXT NOT NULL,
    created TEXT NOT NULL,
    revoked TEXT
)"""


def hash_token(token: str, salt: str) -> str:
    """sha256(salt + token), hex."""
    return hashlib.sha256((salt + token).encode("utf-8")).hexdigest()


def _has_tokens(conn: sqlite3.Connection | None) -> bool:
    return conn is not None and conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tokens'").fetchone()[0] > 0


def create_token(db: str | os.PathLike | None, decision: str, judge: str | None = None) -> str:
    """A new secret for ``judge`` of ``decision`` (or, with no judge, for the facilitator); earlier
    tokens of the same person are revoked. Returns the secret: it is not stored and cannot be shown again."""
    name = _name(decision, "decision", db)
    who = "" if judge is None else _name(judge, "judge", db)
    role = FACILITATOR if judge is None else "judge"
    token = secrets.token_urlsafe(24)
    salt = secrets.token_hex(16)

    def body(conn: sqlite3.Connection) -> None:
        now = utc_now()
        conn.execute(_TABLE)
        conn.execute("UPDATE tokens SET revoked = ? WHERE decision = ? AND judge = ? AND role = ? AND revoked IS NULL",
                     (now, name, who, role))
        conn.execute("INSERT INTO tokens (decision, judge, role, salt, hash, created) VALUES (?, ?, ?, ?, ?, ?)",
                     (name, who, role, salt, hash_token(token, salt), now))

    _write(db, body)
    return token


def check_token(db: str | os.PathLike | None, decision: str, token: str | None) -> dict[str, Any] | None:
    """``{"role": "facilitator" | "judge", "judge": name or None}`` for a valid, unrevoked token of
    ``decision``; None for anything else (no store, no token, a wrong or revoked one)."""
    if not token or not isinstance(token, str) or not _path(db).exists():
        return None
    name = _name(decision, "decision", db)

    def body(conn: sqlite3.Connection | None) -> list[tuple[str, str, str, str]]:
        if not _has_tokens(conn):
            return []
        return conn.execute("SELECT judge, role, salt, hash FROM tokens WHERE decision = ? AND revoked IS NULL",
                            (name,)).fetchall()

    try:
        rows = _read(db, body)
    except StoreError:
        return None
    for judge, role, salt, digest in rows:
        if hmac.compare_digest(hash_token(token, salt), digest):
            return {"role": role, "judge": judge or None}
    return None


def list_tokens(db: str | os.PathLike | None, decision: str) -> "pd.DataFrame":
    """The links made for ``decision``: judge, role, created, revoked (never the secrets or hashes)."""
    import pandas as pd

    cols = ["judge", "role", "created", "revoked"]
    name = _name(decision, "decision", db)
    if not _path(db).exists():
        return pd.DataFrame(columns=cols)

    def body(conn: sqlite3.Connection | None) -> list[tuple[Any, ...]]:
        if not _has_tokens(conn):
            return []
        return conn.execute(f"SELECT {', '.join(cols)} FROM tokens WHERE decision = ? ORDER BY created, judge",
                            (name,)).fetchall()

    return pd.DataFrame(_read(db, body), columns=cols)


def revoke_tokens(db: str | os.PathLike | None, decision: str, judge: str | None = None) -> int:
    """Revoke the live tokens of ``judge`` (None: the facilitator's); returns how many."""
    name = _name(decision, "decision", db)
    who = "" if judge is None else _name(judge, "judge", db)
    role = FACILITATOR if judge is None else "judge"

    def body(conn: sqlite3.Connection) -> int:
        conn.execute(_TABLE)
        cur = conn.execute("UPDATE tokens SET revoked = ? WHERE decision = ? AND judge = ? AND role = ? "
                           "AND revoked IS NULL", (utc_now(), name, who, role))
        return int(cur.rowcount)

    return _write(db, body)
