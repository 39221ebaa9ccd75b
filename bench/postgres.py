"""A PostgreSQL database of the bench's own, filled fast (COPY), dropped afterwards.

The server is GOALS_BENCH_DATABASE_URL's (default: this machine's, user postgres). Without
one, the PostgreSQL figures are left out and the report says why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bot.goals.model import Draft, Owner
from bot.settings import store_settings
from bot.store.factory import prepare_stores

SERVER = os.environ.get("GOALS_BENCH_DATABASE_URL", "").strip() or "postgresql://postgres@127.0.0.1:5432/postgres"


def unavailable() -> str | None:
    """Why there is no PostgreSQL to measure, or None."""
    try:
        psycopg.connect(SERVER, connect_timeout=3).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


@contextmanager
def database() -> Iterator[str]:
    """A new database, migrated; its URL. Dropped afterwards."""
    name = f"goals_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(SERVER, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')  # our own name, not input
    url = urlunsplit(urlsplit(SERVER)._replace(path=f"/{name}"))
    try:
        prepare_stores(store_settings(location=url))
        yield url
    finally:
        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fill(url: str, people: int, per_person: int, draft: Draft) -> None:
    """`people` × `per_person` drafts shaped like `draft`, one COPY: the figures are about the
    store holding them, not the filling."""
    document = draft.model_dump(mode="json")
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy("COPY drafts (enterprise, team, slack_user, id, document, updated_at) FROM STDIN") as copy:
            for person in range(people):
                owner = Owner(team=f"T{person % 50}", user=f"U{person:07d}")
                for index in range(per_person):
                    row_id = f"{person:07d}x{index:03d}"
                    row = {**document, "id": row_id, "owner": owner.model_dump()}
                    copy.write_row(("-", owner.team, owner.user, row_id, psycopg.types.json.Jsonb(row), now))
        conn.execute("ANALYZE drafts")
