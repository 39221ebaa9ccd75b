"""PostgreSQL: one connection pool per process, the schema's migrations, and what a failure
of the database looks like to the rest of Goals (`StorageError`, never a driver error).

Migrations are the numbered `.sql` files in `migrations/`, applied in order, each in its own
transaction, under an advisory lock: ten hosts starting at once migrate once. The version
is the highest number applied; a database newer than the code knows is refused.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from typing import Any

import psycopg
import psycopg_pool
from psycopg import Connection
from psycopg.rows import TupleRow

from bot.goals.storage import StorageError
from bot.settings import DatabaseSettings

Pool = psycopg_pool.ConnectionPool[Connection[TupleRow]]
# Any value will do, as long as no other code of ours takes it: the migrations' lock.
_MIGRATION_LOCK = 7_112_026
_MIGRATION_FILE = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")
DRIVER_FAILURES = (psycopg.Error, psycopg_pool.PoolTimeout, OSError)
_LOCK_POLL = 0.02  # seconds between tries of a session lock held elsewhere


class DatabaseUnavailable(StorageError):
    """The database could not be reached, refused us, or did not answer in time."""


def _conninfo(settings: DatabaseSettings) -> str:
    return settings.url.get_secret_value()


def _options(settings: DatabaseSettings) -> dict[str, Any]:
    return {"autocommit": True, "connect_timeout": settings.connect_timeout,
            "options": f"-c statement_timeout={settings.statement_timeout_ms}",
            "application_name": "goals"}


GATE_CONNECTIONS = 2  # the replay memory's own, beside GOALS_DB_POOL_SIZE


def open_pool(settings: DatabaseSettings, *, size: int | None = None, name: str = "goals") -> Pool:
    """A pool of the process; made after gunicorn forks, since connections must not cross a fork.

    Connections are opened on demand and checked before use, so after a database restart
    or failover the next request gets a fresh one.
    """
    return psycopg_pool.ConnectionPool(
        _conninfo(settings), min_size=0, max_size=size or settings.pool_size, timeout=settings.pool_wait,
        kwargs=_options(settings), check=psycopg_pool.ConnectionPool.check_connection,
        name=name, open=True)


@contextmanager
def failures_told(settings_shown: str) -> Iterator[None]:
    """Driver errors as `DatabaseUnavailable`, naming DATABASE_URL with its password masked."""
    try:
        yield
    except DRIVER_FAILURES as error:
        raise DatabaseUnavailable(f"the database at {settings_shown} (DATABASE_URL) failed: "
                                  f"{_first_line(error)}") from error


@contextmanager
def session_lock(pool: Pool, shown: str, key: int | str, wait: float) -> Iterator[bool]:
    """A session advisory lock across every host: True once held, False if another session
    still held it after `wait` seconds. `key`: a number, or a name (hashed by the server).

    Polled for, a connection taken for each try and given back between them: waiters never
    empty the pool. The holder keeps one connection meanwhile, since a session lock lives as
    long as its session; if unlocking fails, that connection is closed, which releases it."""
    expression = "hashtextextended(%s, 0)" if isinstance(key, str) else "%s"
    deadline = time.monotonic() + max(wait, 0.0)
    held: Connection[TupleRow] | None = None
    with failures_told(shown):
        while True:
            conn = pool.getconn()
            try:
                row = conn.execute(f"SELECT pg_try_advisory_lock({expression})", (key,)).fetchone()
            except BaseException:
                pool.putconn(conn)
                raise
            if row and row[0]:
                held = conn
                break
            pool.putconn(conn)
            if time.monotonic() >= deadline:
                break
            time.sleep(min(_LOCK_POLL, max(deadline - time.monotonic(), 0.0)))
    if held is None:
        yield False
        return
    try:
        yield True
    finally:
        try:
            held.execute(f"SELECT pg_advisory_unlock({expression})", (key,))
        except Exception:
            held.close()  # a dropped session has released its locks; the pool replaces it
        finally:
            pool.putconn(held)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def migrations() -> list[tuple[int, str]]:
    """(version, SQL) of every migration shipped with the code, in order."""
    found = []
    for entry in resources.files("bot.store").joinpath("migrations").iterdir():
        match = _MIGRATION_FILE.fullmatch(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    return sorted(found)


def code_version() -> int:
    return max(version for version, _ in migrations())


def migrate(settings: DatabaseSettings) -> tuple[int, int]:
    """Apply what the database lacks; (version before, version after). Raises
    DatabaseUnavailable, or StorageError for a schema newer than this code."""
    with failures_told(settings.shown), psycopg.connect(_conninfo(settings), **_options(settings)) as conn:
        conn.execute("SET statement_timeout = 0")  # a migration may take longer than a request
        conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS goals_schema (version integer NOT NULL, "
                         "applied_at timestamptz NOT NULL DEFAULT now())")
            row = conn.execute("SELECT coalesce(max(version), 0) FROM goals_schema").fetchone()
            before = int(row[0]) if row else 0
            newest = code_version()
            if before > newest:
                raise StorageError(f"the database at {settings.shown} (DATABASE_URL) has schema version "
                                   f"{before}, newer than this Goals knows ({newest}): deploy the newer Goals")
            for version, sql in migrations():
                if version > before:
                    with conn.transaction():
                        conn.execute(sql.encode())
                        conn.execute("INSERT INTO goals_schema (version) VALUES (%s)", (version,))
            return before, max(before, newest)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
