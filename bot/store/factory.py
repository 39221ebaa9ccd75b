"""The one place stores are built: from `Settings`, once per process (after gunicorn forks)."""

from __future__ import annotations

from bot.drafts.storage import Stores
from bot.settings import Settings
from bot.store.draft_files import DraftFiles
from bot.store.replay_files import ReplayFiles

REPLAY_DIR = ".replay"  # under the data directory; draft store folders are ids, never dotted


def open_stores(settings: Settings) -> Stores:
    """The stores `settings` name: today, the TinyDB files under GOALS_DATA_DIR."""
    return Stores(drafts=DraftFiles(settings.data_dir), replay=ReplayFiles(settings.data_dir / REPLAY_DIR))
