"""What the PostgreSQL stores of people's records (drafts, profiles) share: how an owner is
keyed in a row, read back from one, and the health check's question to the server."""

from __future__ import annotations

from bot.drafts.model import Owner
from bot.drafts.storage import StorageError
from bot.store.postgres import Pool, failures_told

NO_ENTERPRISE = "-"  # the enterprise column of an owner without one (a key column is never NULL)


def owner_key(owner: Owner) -> tuple[str, str, str]:
    return owner.enterprise or NO_ENTERPRISE, owner.team, owner.user


def row_owner(enterprise: str, team: str, user: str) -> Owner:
    return Owner(team=team, user=user, enterprise=None if enterprise == NO_ENTERPRISE else enterprise)


def primary_writable(pool: Pool, shown: str) -> None:
    """Raise StorageError unless the database takes writes now (not a read-only standby)."""
    with failures_told(shown), pool.connection() as conn:
        if conn.execute("SELECT 1 WHERE NOT pg_is_in_recovery()").fetchone() is None:
            raise StorageError(f"the database at {shown} (DATABASE_URL) is read-only (a standby)")
