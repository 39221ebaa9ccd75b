"""`bot.goals.storage.DraftStore` on PostgreSQL: one row per draft, any number of hosts.

Every statement binds its parameters; none is formatted into SQL. A read-edit-write runs in
one transaction under a transaction-scoped advisory lock on the draft's key, so two hosts
editing one draft (or creating it: there is no row yet to lock) take turns and lose
nothing. The DM-message lock is a session advisory lock on the owner, waited for without
holding a connection, so waiting threads never empty the pool.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from psycopg import Connection
from psycopg.rows import TupleRow
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from bot.goals.model import ID, Draft, Owner
from bot.goals.storage import Edit, StorageError, applied
from bot.store.folders import named_owner
from bot.store.people_rows import owner_key, primary_writable, verified
from bot.store.postgres import Pool, failures_told, session_lock

_KEY = "enterprise = %s AND team = %s AND slack_user = %s"
_LOCK_WAIT = 30.0  # seconds: a DM post takes one Slack call, plus its retries


def _lock_name(kind: str, owner: Owner, draft_id: str = "") -> str:
    return "\x1f".join((kind, *owner_key(owner), draft_id))


def _draft(document: object, owner: Owner) -> Draft:
    try:
        return Draft.model_validate(document)
    except ValidationError:
        raise StorageError(f"a stored draft of {owner.user} does not read as one; it was left untouched") from None


class DraftRows:
    def __init__(self, pool: Pool, shown_url: str) -> None:
        self._pool = pool
        self._shown = shown_url

    def get(self, owner: Owner, draft_id: str) -> Draft | None:
        if not ID.fullmatch(draft_id):
            return None
        with failures_told(self._shown), self._pool.connection() as conn:
            row = conn.execute(f"SELECT document FROM drafts WHERE {_KEY} AND id = %s",
                               (*owner_key(owner), draft_id)).fetchone()
        return _draft(row[0], owner) if row else None

    def list(self, owner: Owner) -> list[Draft]:
        with failures_told(self._shown), self._pool.connection() as conn:
            rows = conn.execute(f"SELECT document FROM drafts WHERE {_KEY} ORDER BY updated_at DESC",
                                owner_key(owner)).fetchall()
        return [_draft(row[0], owner) for row in rows]

    def save(self, draft: Draft) -> Draft:
        stored = draft.model_copy(update={"updated_at": datetime.now(UTC)})
        with failures_told(self._shown), self._pool.connection() as conn:
            self._put(conn, stored)
        return stored

    def change(self, owner: Owner, draft_id: str, edit: Edit, *, touch: bool = True) -> Draft | None:
        if not ID.fullmatch(draft_id):
            return None
        with failures_told(self._shown), self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                         (_lock_name("draft", owner, draft_id),))
            row = conn.execute(f"SELECT document FROM drafts WHERE {_KEY} AND id = %s",
                               (*owner_key(owner), draft_id)).fetchone()
            stored = applied(edit, _draft(row[0], owner) if row else None, owner, draft_id, touch=touch)
            if stored is None:
                return None
            self._put(conn, stored)
        return stored

    def delete(self, owner: Owner, draft_id: str) -> bool:
        if not ID.fullmatch(draft_id):
            return False
        with failures_told(self._shown), self._pool.connection() as conn:
            cursor = conn.execute(f"DELETE FROM drafts WHERE {_KEY} AND id = %s", (*owner_key(owner), draft_id))
            return cursor.rowcount > 0

    @contextmanager
    def messages_lock(self, owner: Owner) -> Iterator[None]:
        with session_lock(self._pool, self._shown, _lock_name("messages", owner), _LOCK_WAIT) as held:
            if not held:
                raise StorageError(f"{owner.user}'s DM messages stayed locked for {_LOCK_WAIT:.0f} s")
            yield

    def due_messages(self, saved_before: datetime, limit: int) -> Sequence[tuple[Owner, str]]:
        with failures_told(self._shown), self._pool.connection() as conn:
            rows = conn.execute(
                "SELECT enterprise, team, slack_user, id FROM drafts WHERE (document->>'message_due') = 'true' "
                "AND updated_at < %s ORDER BY updated_at LIMIT %s", (saved_before, limit)).fetchall()
        return [(named_owner(enterprise, team, user), id_)
                for enterprise, team, user, id_ in rows]

    def writable(self) -> None:
        primary_writable(self._pool, self._shown)

    def check(self) -> None:
        with failures_told(self._shown), self._pool.connection() as conn:
            conn.execute("SELECT 1 FROM drafts LIMIT 1")

    def verify(self) -> int:
        return verified(self._pool, self._shown, "drafts", _draft)

    def repair(self) -> int:
        return 0  # a write is a transaction: a cut one leaves nothing behind

    def owners(self) -> Iterator[Owner]:
        with failures_told(self._shown), self._pool.connection() as conn:
            rows = conn.execute("SELECT DISTINCT enterprise, team, slack_user FROM drafts "
                                "ORDER BY enterprise, team, slack_user").fetchall()
        for enterprise, team, user in rows:
            yield named_owner(enterprise, team, user)

    def _put(self, conn: Connection[TupleRow], draft: Draft) -> None:
        document = json.loads(draft.model_dump_json())
        conn.execute(
            "INSERT INTO drafts (enterprise, team, slack_user, id, document, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (enterprise, team, slack_user, id) "
            "DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at",
            (*owner_key(draft.owner), draft.id, Jsonb(document), draft.updated_at))
