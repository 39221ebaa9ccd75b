"""What the PostgreSQL stores of people's records (drafts, profiles) share: how an owner is
keyed in a row (read back with `folders.named_owner`, as the files' folders are), and the
health check's question to the server."""

from __future__ import annotations

from bot.goals.model import Owner
from bot.goals.storage import StorageError
from bot.store.folders import NO_ENTERPRISE
from bot.store.postgres import Pool, failures_told


def owner_key(owner: Owner) -> tuple[str, str, str]:
    return owner.enterprise or NO_ENTERPRISE, owner.team, owner.user



def primary_writable(pool: Pool, shown: str) -> None:
    """Raise StorageError unless the database takes writes now (not a read-only standby)."""
    with failures_told(shown), pool.connection() as conn:
        if conn.execute("SELECT 1 WHERE NOT pg_is_in_recovery()").fetchone() is None:
            raise StorageError(f"the database at {shown} (DATABASE_URL) is read-only (a standby)")
