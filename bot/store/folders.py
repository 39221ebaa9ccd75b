"""What the file stores share of their folders."""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

from bot.goals.model import Owner

LEFTOVER_AFTER_S = 600  # a temporary file this old belongs to no write still running


NO_ENTERPRISE = "-"  # where an owner without an enterprise is filed (a folder, a key column: never empty)


def owner_path(root: Path, owner: Owner) -> Path:
    """A person's own file under `root`: enterprise ("-" for none), team, user."""
    return root / (owner.enterprise or NO_ENTERPRISE) / owner.team / f"{owner.user}.json"


def named_owner(enterprise: str, team: str, user: str) -> Owner:
    """The owner filed under these names (folders, or a row's key columns); raises pydantic's
    ValidationError for names that are no person's."""
    return Owner(team=team, user=user, enterprise=None if enterprise == NO_ENTERPRISE else enterprise)


class PathLocks:
    """One holder of a path at a time, across threads (a lock each) and processes (a lock file)."""

    def __init__(self) -> None:
        self._locks: dict[Path, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    @contextmanager
    def locked(self, path: Path) -> Iterator[None]:
        with self._locks_lock:
            lock = self._locks.setdefault(path, threading.Lock())
        path.parent.mkdir(parents=True, exist_ok=True)
        with lock, FileLock(str(path) + ".lock", poll_interval=0.005):
            yield


def remove_leftovers(root: Path, older_than: float = LEFTOVER_AFTER_S) -> int:
    """Temporary files of writes a kill cut short (a write's own lasts milliseconds); how many."""
    removed = 0
    cutoff = time.time() - older_than
    for leftover in root.rglob(".*.json.*") if root.is_dir() else []:
        if leftover.is_file() and leftover.stat().st_mtime < cutoff:
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed


def probe_writable(folder: Path) -> None:
    """Raise OSError unless a file could be written in `folder` now (made if missing); leaves nothing."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
        pass
