"""`bot.goals.storage.ProfileStore` on PostgreSQL: one row per person, any number of hosts.

Every statement binds its parameters. A change runs in one transaction under a
transaction-scoped advisory lock on the person (there may be no row yet to lock with
SELECT ... FOR UPDATE), so two hosts changing one profile take turns and lose nothing.

When a person's reminders are next due is also a column, `remind_at`, written in the same
statement as the document and indexed where set: a sweep reads only who is due. The sweep's
own lock is a session advisory lock, waited for without holding a connection.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from psycopg.types.json import Jsonb
from pydantic import ValidationError

from bot.goals.model import Owner, Profile
from bot.goals.storage import ProfileEdit, StorageError, applied_profile
from bot.store.folders import named_owner
from bot.store.people_rows import owner_key, primary_writable, verified
from bot.store.postgres import Pool, failures_told, session_lock

_KEY = "enterprise = %s AND team = %s AND slack_user = %s"
# The reminder sweep's session advisory lock. Any value will do, as long as no other code of
# ours takes it: not postgres._MIGRATION_LOCK (7_112_026); the per-person locks are hashes of
# their names (hashtextextended), which land on a fixed value like this one with odds of 2^-64.
_SWEEP_LOCK = 7_112_027


def _profile(document: object, owner: Owner) -> Profile:
    try:
        profile = Profile.model_validate(document)
    except ValidationError:
        profile = None
    if profile is None or profile.owner != owner:
        raise StorageError(f"the stored profile of {owner.user} (team {owner.team}) does not read as theirs; "
                           "it was left untouched")
    return profile


class ProfileRows:
    def __init__(self, pool: Pool, shown_url: str) -> None:
        self._pool = pool
        self._shown = shown_url

    def get(self, owner: Owner) -> Profile | None:
        with failures_told(self._shown), self._pool.connection() as conn:
            row = conn.execute(f"SELECT document FROM profiles WHERE {_KEY}", owner_key(owner)).fetchone()
        return _profile(row[0], owner) if row else None

    def change(self, owner: Owner, edit: ProfileEdit) -> Profile | None:
        with failures_told(self._shown), self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                         ("\x1f".join(("profile", *owner_key(owner))),))
            row = conn.execute(f"SELECT document FROM profiles WHERE {_KEY}", owner_key(owner)).fetchone()
            stored = applied_profile(edit, _profile(row[0], owner) if row else None, owner)
            if stored is None:
                return None
            due_at = stored.reminders.due_at
            conn.execute(
                "INSERT INTO profiles (enterprise, team, slack_user, document, updated_at, remind_at) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (enterprise, team, slack_user) "
                "DO UPDATE SET document = EXCLUDED.document, updated_at = EXCLUDED.updated_at, "
                "remind_at = EXCLUDED.remind_at",
                (*owner_key(owner), Jsonb(json.loads(stored.model_dump_json())), stored.updated_at,
                 _utc(due_at) if due_at else None))
        return stored

    def due(self, now: datetime, limit: int) -> Sequence[Owner]:
        with failures_told(self._shown), self._pool.connection() as conn:
            rows = conn.execute("SELECT enterprise, team, slack_user FROM profiles WHERE remind_at <= %s "
                                "ORDER BY remind_at LIMIT %s", (_utc(now), max(limit, 0))).fetchall()
        return [named_owner(enterprise, team, user) for enterprise, team, user in rows]

    def sweep_lock(self, wait: float) -> AbstractContextManager[bool]:
        return session_lock(self._pool, self._shown, _SWEEP_LOCK, wait)

    def writable(self) -> None:
        primary_writable(self._pool, self._shown)

    def verify(self) -> int:
        return verified(self._pool, self._shown, "profiles", _profile)

    def owners(self) -> Iterator[Owner]:
        with failures_told(self._shown), self._pool.connection() as conn:
            rows = conn.execute("SELECT enterprise, team, slack_user FROM profiles "
                                "ORDER BY enterprise, team, slack_user").fetchall()
        for enterprise, team, user in rows:
            yield named_owner(enterprise, team, user)

    def repair(self) -> int:
        return 0  # a write is a transaction: a cut one leaves nothing behind


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one is taken as UTC (as the file store takes it), not in the
    session's time zone."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
