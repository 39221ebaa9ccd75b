"""The one place stores are built, from `Settings`: PostgreSQL when DATABASE_URL is set,
else the TinyDB files under GOALS_DATA_DIR (the embedded default, one host)."""

from __future__ import annotations

from bot.goals.storage import Stores
from bot.settings import StoreSettings
from bot.store.draft_files import DraftFiles
from bot.store.profile_files import ProfileFiles
from bot.store.replay_files import ReplayFiles

REPLAY_DIR = ".replay"  # under the data directory; draft store folders are ids, never dotted
PROFILES_DIR = ".profiles"  # under the data directory, as REPLAY_DIR


def prepare_stores(settings: StoreSettings) -> str:
    """Once per deployment's start (before gunicorn forks): migrate the database, or check the
    files' folder. Returns a line saying which store is used; raises StorageError."""
    if settings.database is not None:
        from bot.store.postgres import migrate

        before, after = migrate(settings.database)
        migrated = f", migrated from version {before} to {after}" if after != before else ""
        return f"store: PostgreSQL at {settings.database.shown}, schema version {after}{migrated}"
    DraftFiles(settings.data_dir).check()
    return f"store: files under {settings.data_dir} (GOALS_DATA_DIR)"


def open_stores(settings: StoreSettings) -> Stores:
    """The stores of one process (one gunicorn worker: build it after the fork)."""
    if settings.database is not None:
        from bot.store.draft_rows import DraftRows
        from bot.store.postgres import GATE_CONNECTIONS, open_pool
        from bot.store.profile_rows import ProfileRows
        from bot.store.replay_rows import ReplayRows

        # The gate's replay memory has connections of its own: every request passes it, and
        # drafts held busy (a DM message's lock is held over a Slack call) must not stop it.
        pool = open_pool(settings.database)
        gate = open_pool(settings.database, size=GATE_CONNECTIONS, name="goals-gate")
        shown = settings.database.shown

        def close() -> None:
            pool.close()
            gate.close()

        return Stores(drafts=DraftRows(pool, shown), replay=ReplayRows(gate, shown),
                      profiles=ProfileRows(pool, shown), close=close)
    return Stores(drafts=DraftFiles(settings.data_dir), replay=ReplayFiles(settings.data_dir / REPLAY_DIR),
                  profiles=ProfileFiles(settings.data_dir / PROFILES_DIR))
