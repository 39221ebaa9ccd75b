"""The profile store: what Goals remembers of each person (`Profile`), one small JSON file each
(`<data>/.profiles/<enterprise>/<team>/<user>.json`), safe across threads, processes and crashes.

Written as the draft store writes (`bot.store.draft_files`): under a thread lock and a file
lock, to a temporary file that is fsynced and renamed over the old one, so a crash leaves the
old profile or the new. A file that cannot be read as a profile is refused (`ProfileCorrupt`,
naming it) and never written over. A profile is one document, so no TinyDB: the file holds
`{"profile": <Profile as JSON>}`.

Who has reminders due is kept beside, as the draft store keeps its due DM messages: an empty
marker file per person, `<data>/.reminders-due/<minute>/<enterprise>/<team>/<user>`, in a
folder named for the minute (UTC) their `Reminders.due_at` falls in, so a sweep lists folders
in name order and stops at the first after now, reading only who is due. A change makes the
new marker before it writes the profile and removes the old one after: a crash leaves a
marker too many (dropped by the next sweep or `repair`, once the profile says it is stale),
never one too few.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import filelock
from pydantic import ValidationError

from bot.goals.model import Owner, Profile
from bot.goals.storage import ProfileEdit, StorageError, applied_profile
from bot.store.draft_files import AtomicJSONStorage
from bot.store.folders import (
    LEFTOVER_AFTER_S,
    PathLocks,
    named_owner,
    owner_path,
    probe_writable,
    remove_leftovers,
)

_KEY = "profile"
DUE_DIR = ".reminders-due"  # beside `.profiles`, whose every `*.json` must be a profile
SWEEP_LOCK = ".reminders-sweep.lock"  # in the data directory
_MINUTE = "%Y%m%dT%H%MZ"  # a marker folder's name: sorts as the minutes it names
_MARKER_TRIES = 10  # a folder emptied and removed by another host just as a marker is made in it

log = logging.getLogger(__name__)


class ProfileCorrupt(StorageError):
    """A profile file that cannot be read; it is left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"profile store file {path} cannot be read ({reason}); "
                         "it was left untouched: restore it from a backup or move it aside")


class ProfileFiles:
    """`bot.goals.storage.ProfileStore` on JSON files under `root` (the data directory's `.profiles`)."""

    def __init__(self, root: Path, due_root: Path | None = None) -> None:
        self.root = root
        self.due_root = due_root or root.parent / DUE_DIR
        self._sweep_file = root.parent / SWEEP_LOCK
        self._locks = PathLocks()
        # A FileLock excludes holders across processes; the thread lock makes the exclusion
        # between this store's own threads not depend on how filelock treats one process.
        self._sweep = threading.Lock()

    def path(self, owner: Owner) -> Path:
        return owner_path(self.root, owner)

    def get(self, owner: Owner) -> Profile | None:
        # No lock: a write renames a whole file into place, so a read finds the old or the new
        # one; and none makes a folder or lock file for someone Goals knows nothing of.
        return _read(self.path(owner), owner)

    def change(self, owner: Owner, edit: ProfileEdit) -> Profile | None:
        path = self.path(owner)
        with self._locks.locked(path):
            current = _read(path, owner)
            stored = applied_profile(edit, current, owner)
            if stored is None:
                return None
            old = self._marker(owner, current.reminders.due_at) if current else None
            new = self._marker(owner, stored.reminders.due_at)
            if new is not None:
                _touch(new, self.due_root)
            AtomicJSONStorage(str(path)).write({_KEY: json.loads(stored.model_dump_json())})
            if old is not None and old != new:
                _unmark(old, self.due_root)
        return stored

    def due(self, now: datetime, limit: int) -> Sequence[Owner]:
        """Read from the markers (`change`): only the folders of minutes up to `now` are opened."""
        return tuple(itertools.islice(self._due(_utc(now)), max(limit, 0)))

    def _due(self, now: datetime) -> Iterator[Owner]:
        last = now.strftime(_MINUTE)
        for minute in _names(self.due_root):
            if _minute(minute) is None:
                continue  # not a folder of ours
            if minute > last:
                return
            # Soonest first to the minute, in the markers' order within one: each profile is
            # read only when its person is asked for, so a page costs its own length.
            for marker, owner in _markers(self.due_root / minute):
                due_at = self._due_at(marker, owner)
                if due_at is not None and due_at <= now:
                    yield owner
            _prune(self.due_root / minute, self.due_root)

    def _due_at(self, marker: Path, owner: Owner) -> datetime | None:
        """When the marker's person is due, if their profile says the marker is theirs; a
        stale marker is removed. None for a stale one, or a profile that cannot be read."""
        try:
            profile = _read(self.path(owner), owner)
        except ProfileCorrupt as error:
            log.warning("reminders of %s (team %s) skipped: %s", owner.user, owner.team, error)
            return None  # one broken file must not stop everyone else's reminders
        if profile is not None and self._marker(owner, profile.reminders.due_at) == marker:
            return _utc(profile.reminders.due_at) if profile.reminders.due_at else None
        self._drop_if_stale(marker, owner)
        return None

    def _drop_if_stale(self, marker: Path, owner: Owner) -> bool:
        """Remove `marker` if the owner's profile, read under their lock, does not name it:
        read without the lock, a change may have made the marker and not yet written the
        profile that names it."""
        path = self.path(owner)
        with self._locks.locked(path):
            try:
                profile = _read(path, owner)
            except ProfileCorrupt:
                return False  # left for `verify` to name; the marker may yet be true
            if profile is not None and self._marker(owner, profile.reminders.due_at) == marker:
                return False
            _unmark(marker, self.due_root)
        return True

    def _marker(self, owner: Owner, due_at: datetime | None) -> Path | None:
        if due_at is None:
            return None
        return (self.due_root / _utc(due_at).strftime(_MINUTE) / (owner.enterprise or "-") / owner.team
                / owner.user)

    @contextmanager
    def sweep_lock(self, wait: float) -> Iterator[bool]:
        """A lock file in the data directory, taken afresh each time: a FileLock object is
        re-entrant in the thread that holds it, and a sweep must exclude every other."""
        deadline = time.monotonic() + max(wait, 0.0)
        if not self._sweep.acquire(timeout=max(wait, 0.0)):
            yield False
            return
        try:
            self._sweep_file.parent.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(str(self._sweep_file), thread_local=False, poll_interval=0.02)
            try:
                lock.acquire(timeout=max(deadline - time.monotonic(), 0.0))
            except filelock.Timeout:
                yield False
                return
            try:
                yield True
            finally:
                lock.release()
        finally:
            self._sweep.release()

    def writable(self) -> None:
        probe_writable(self.root)
        probe_writable(self.due_root)

    def verify(self) -> int:
        """Read every profile file; raise ProfileCorrupt naming the first bad one."""
        count = 0
        for path, owner in self._files():
            if _read(path, owner) is not None:
                count += 1
        return count

    def owners(self) -> Iterator[Owner]:
        for _, owner in self._files():
            yield owner

    def repair(self, older_than: float = LEFTOVER_AFTER_S) -> int:
        """Leftovers of writes cut short, and due markers their profile no longer names."""
        removed = remove_leftovers(self.root, older_than)
        for minute in _names(self.due_root):
            if _minute(minute) is None:
                continue
            for marker, owner in _markers(self.due_root / minute):
                removed += self._drop_if_stale(marker, owner)
            _prune(self.due_root / minute, self.due_root)
        return removed

    def _files(self) -> Iterator[tuple[Path, Owner]]:
        for path in sorted(self.root.rglob("*.json")) if self.root.is_dir() else []:
            parts = path.relative_to(self.root).parts
            if len(parts) != 3 or path.name.startswith("."):
                continue
            enterprise, team = parts[0], parts[1]
            try:
                owner = named_owner(enterprise, team, path.stem)
            except ValidationError:
                raise ProfileCorrupt(path, "its folders name no person") from None
            yield path, owner


def _read(path: Path, owner: Owner) -> Profile | None:
    """The profile in `path`, None if there is no file; ProfileCorrupt if it is not the owner's profile."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProfileCorrupt(path, type(error).__name__) from None
    if not isinstance(data, dict) or not isinstance(data.get(_KEY), dict):
        raise ProfileCorrupt(path, "not a JSON object holding a profile")
    try:
        profile = Profile.model_validate(data[_KEY])
    except ValidationError:
        raise ProfileCorrupt(path, "its profile does not read as one") from None
    if profile.owner != owner:
        raise ProfileCorrupt(path, "it holds another person's profile")
    return profile


def _utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive one is taken as UTC (as the PostgreSQL store takes it)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _minute(name: str) -> datetime | None:
    try:
        return datetime.strptime(name, _MINUTE)
    except ValueError:
        return None


def _names(folder: Path) -> list[str]:
    """The entries of `folder`, sorted; none if another host removed it meanwhile."""
    try:
        return sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _markers(minute: Path) -> Iterator[tuple[Path, Owner]]:
    """The markers in one minute's folder, and whose each is; a name that is no person's is skipped."""
    for enterprise in _names(minute):
        for team in _names(minute / enterprise):
            for user in _names(minute / enterprise / team):
                marker = minute / enterprise / team / user
                if not marker.is_file():
                    continue
                try:
                    owner = named_owner(enterprise, team, user)
                except ValidationError:
                    continue
                yield marker, owner


def _touch(marker: Path, due_root: Path) -> None:
    """Make `marker`, and its folders: another host may remove an emptied folder (`_prune`)
    between their making and the marker's, so that is tried again."""
    for _ in range(_MARKER_TRIES):
        try:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
            return
        except FileNotFoundError:
            continue
    raise OSError(f"the reminder index {due_root} kept losing the folder of {marker}")


def _unmark(marker: Path, due_root: Path) -> None:
    marker.unlink(missing_ok=True)
    _prune(marker.parent, due_root)


def _prune(folder: Path, due_root: Path) -> None:
    """Remove `folder` and those above it up to `due_root` while empty: a sweep lists every
    minute's folder up to now, so emptied ones must not pile up. A folder another change
    just made a marker in is not empty, and stays."""
    for empty in (folder, *folder.parents):
        if empty == due_root or due_root not in empty.parents:
            return
        try:
            empty.rmdir()
        except OSError:
            return  # not empty (or already gone): nothing above it is empty either
