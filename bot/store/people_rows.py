"""What the PostgreSQL stores of people's records (drafts, profiles) share: how an owner is
keyed in a row (read back with `folders.named_owner`, as the files' folders are), reading
every row to check it, and the health check's question to the server."""

from __future__ import annotations

from collections.abc import Callable

from bot.goals.model import Owner
from bot.goals.storage import StorageError
from bot.store.folders import NO_ENTERPRISE, named_owner
from bot.store.postgres import Pool, failures_told


def owner_key(owner: Owner) -> tuple[str, str, str]:
    return owner.enterprise or NO_ENTERPRISE, owner.team, owner.user


def verified(pool: Pool, shown: str, table: str, read: Callable[[object, Owner], object]) -> int:
    """How many rows `table` holds, each read with `read` (which raises on one that cannot be
    read), in batches from a server-side cursor."""
    count = 0
    with failures_told(shown), pool.connection() as conn:
        cursor = conn.cursor(name=f"goals_verify_{table}")
        with conn.transaction():
            # `table` is one of this package's own names, never what anyone typed.
            for enterprise, team, user, document in cursor.execute(
                    f"SELECT enterprise, team, slack_user, document FROM {table}"):
                read(document, named_owner(enterprise, team, user))
                count += 1
    return count


def primary_writable(pool: Pool, shown: str) -> None:
    """Raise StorageError unless the database takes writes now (not a read-only standby)."""
    with failures_told(shown), pool.connection() as conn:
        if conn.execute("SELECT 1 WHERE NOT pg_is_in_recovery()").fetchone() is None:
            raise StorageError(f"the database at {shown} (DATABASE_URL) is read-only (a standby)")
