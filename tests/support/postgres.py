"""A PostgreSQL database of the test run's own: created at the start, dropped at the end.

GOALS_TEST_DATABASE_URL names the server (default: this machine's, user postgres, trust
auth). Without a reachable server the PostgreSQL tests skip, saying why; under CI=true they
fail instead, since CI has one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("GOALS_TEST_DATABASE_URL", "").strip() or DEFAULT_SERVER


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is needed under CI=true: {reason}")
    pytest.skip(f"no PostgreSQL server to test against ({reason}); set GOALS_TEST_DATABASE_URL")


@contextmanager
def own_database() -> Iterator[str]:
    """A new, empty database on the test server; its URL. Dropped afterwards."""
    server = server_url()
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        unavailable(str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
        raise  # unreachable: skip or fail raised
    name = f"goals_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # a name of ours, not input: nothing to bind
    try:
        yield with_database(server, name)
    finally:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_tables(url: str) -> None:
    """Every table of Goals emptied, the schema kept (between tests)."""
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goals_schema'")]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables))
