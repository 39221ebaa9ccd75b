"""The draft store: each person's drafts, in TinyDB, safe across threads, processes and crashes.

Shaped by what we measured of TinyDB 4.9 (design.md):
- every write rewrites the whole file, so each person gets a small file of their own
  (`<data>/drafts/<enterprise>/<team>/<user>.json`): a save costs the same whether 100 or
  100,000 other people have drafts;
- it is neither thread- nor process-safe, and a table caches its next id, so every
  operation opens the file fresh under a thread lock and a file lock;
- its file writes are not crash-safe, so `AtomicJSONStorage` writes a temporary file,
  fsyncs it and renames it over the old one: a crash leaves the old state or the new;
- it reads an empty or broken file as an empty database and overwrites it, so ours
  refuses to read one (`StoreCorrupt`) and the file is never written over.

Every call takes the owner (enterprise, team, user) from the caller, who takes it from the
signed payload; a draft id alone never reaches another person's file.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from bot.goals.model import ID, Draft, Owner
from bot.goals.storage import Edit, StorageError, applied
from bot.store.folders import (
    LEFTOVER_AFTER_S,
    PathLocks,
    named_owner,
    owner_path,
    probe_writable,
    remove_leftovers,
)

_TABLE = "drafts"
_STALE_MARKER_S = 60  # a marker older than a save's lifetime, with nothing due, is left over


class StoreCorrupt(StorageError):
    """A store file that cannot be read; it is left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"draft store file {path} cannot be read ({reason}); "
                         "it was left untouched: restore it from a backup or move it aside")


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and never overwrites a broken one.

    One instance serves one locked session on the file (`DraftFiles._open`), so it parses
    the file once and then answers from what it read and wrote: TinyDB reads the whole file
    for every step (a save is a look-up, an id, an insert), which grows with a person's
    drafts.
    """

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self._data: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._data is None:
            self._data = self._read()
        return self._data

    def _read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise StoreCorrupt(self.path, type(error).__name__) from None
        if not isinstance(data, dict):
            raise StoreCorrupt(self.path, "not a JSON object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                # dumps, not dump: json.dump streams through the pure-Python encoder, several
                # times slower than the C one dumps uses on a person's whole file.
                file.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            self._data = None  # the file still holds what it held
            raise
        self._data = data
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # make the rename itself durable
        finally:
            os.close(directory)


def _put(table: Any, document: dict[str, Any], draft_id: str) -> None:
    """Insert or replace one draft with one write of the file (TinyDB's upsert writes the
    whole file twice for a new document: an update that matches nothing, then the insert)."""
    if table.contains(Query().id == draft_id):
        table.update(document, Query().id == draft_id)
    else:
        table.insert(document)


class DraftFiles:
    """`bot.goals.storage.DraftStore` on TinyDB files under the data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.root = data_dir / "drafts"
        self._due = data_dir / ".due-messages"  # a marker per draft whose DM message is due
        self._locks = PathLocks()

    def path(self, owner: Owner) -> Path:
        return owner_path(self.root, owner)

    @contextmanager
    def _open(self, owner: Owner) -> Iterator[Any]:
        path = self.path(owner)
        with self._locks.locked(path):
            db = TinyDB(str(path), storage=AtomicJSONStorage)
            try:
                yield db.table(_TABLE, cache_size=0)
            finally:
                db.close()

    def messages_lock(self, owner: Owner) -> AbstractContextManager[None]:
        """A lock file beside the person's store file, shared by every gunicorn worker."""
        return self._locks.locked(self.path(owner).with_suffix(".messages"))

    def save(self, draft: Draft) -> Draft:
        """Insert or replace `draft` in its owner's file; returns it as stored."""
        stored = draft.model_copy(update={"updated_at": datetime.now(UTC)})
        with self._open(draft.owner) as table:
            self._write(table, stored)
        return stored

    def _write(self, table: Any, draft: Draft) -> None:
        """Write `draft`, keeping its due-message marker true: made before a write that leaves
        the message due, removed after one that does not (a crash between leaves a marker too
        many, which the next look drops, never one too few)."""
        marker = self._marker(draft.owner, draft.id)
        if draft.message_due:
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()
        _put(table, json.loads(draft.model_dump_json()), draft.id)
        if not draft.message_due:
            marker.unlink(missing_ok=True)

    def _marker(self, owner: Owner, draft_id: str) -> Path:
        return self._due / (owner.enterprise or "-") / owner.team / owner.user / draft_id

    def change(self, owner: Owner, draft_id: str, edit: Edit, *, touch: bool = True) -> Draft | None:
        """Read, edit and write under the owner's thread lock and file lock."""
        if not ID.fullmatch(draft_id):
            return None
        with self._open(owner) as table:
            document = table.get(Query().id == draft_id)
            current = Draft.model_validate(document) if isinstance(document, dict) else None
            stored = applied(edit, current, owner, draft_id, touch=touch)
            if stored is None:
                return None
            self._write(table, stored)
        return stored

    def get(self, owner: Owner, draft_id: str) -> Draft | None:
        """The owner's draft with that id; None for anyone else's, or a crafted id."""
        if not ID.fullmatch(draft_id) or not self._has_file(owner):
            return None
        with self._open(owner) as table:
            document = table.get(Query().id == draft_id)
        return Draft.model_validate(document) if isinstance(document, dict) else None

    def list(self, owner: Owner) -> list[Draft]:
        """The owner's drafts, most recently edited first."""
        if not self._has_file(owner):
            return []
        with self._open(owner) as table:
            documents = table.all()
        drafts = [Draft.model_validate(document) for document in documents]
        return sorted(drafts, key=lambda d: d.updated_at, reverse=True)

    def delete(self, owner: Owner, draft_id: str) -> bool:
        if not ID.fullmatch(draft_id) or not self._has_file(owner):
            return False
        with self._open(owner) as table:
            removed = bool(table.remove(Query().id == draft_id))
        self._marker(owner, draft_id).unlink(missing_ok=True)
        return removed

    def _has_file(self, owner: Owner) -> bool:
        """Whether the owner has ever saved a draft. Reads and deletes for someone without
        one (everyone who opens the Home tab) find nothing without making a folder and a
        lock file for them; a save that lands meanwhile is as if it came just after."""
        return self.path(owner).exists()

    def due_messages(self, saved_before: datetime, limit: int) -> Sequence[tuple[Owner, str]]:
        """Read from the markers (`_write`), not from every person's file."""
        return tuple(itertools.islice(self._due_drafts(saved_before), limit))

    def _due_drafts(self, saved_before: datetime) -> Iterator[tuple[Owner, str]]:
        for marker in sorted(self._due.rglob("*")) if self._due.is_dir() else []:
            parts = marker.relative_to(self._due).parts
            if len(parts) != 4 or not marker.is_file():
                continue
            enterprise, team, user, draft_id = parts
            try:
                owner = named_owner(enterprise, team, user)
            except ValidationError:
                continue
            draft = self.get(owner, draft_id)
            if draft is not None and draft.message_due:
                if draft.updated_at < saved_before:
                    yield owner, draft_id
            elif marker.stat().st_mtime < time.time() - _STALE_MARKER_S:  # a write that was cut short
                marker.unlink(missing_ok=True)

    def writable(self) -> None:
        probe_writable(self.root)

    def check(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise StorageError(f"the draft store {self.root} (under GOALS_DATA_DIR) is not a directory")

    def verify(self) -> int:
        """Read every store file; raise StoreCorrupt naming the first bad one."""
        count = 0
        for path in self._files():
            data = AtomicJSONStorage(str(path)).read() or {}
            for document in (data.get(_TABLE) or {}).values():
                try:
                    Draft.model_validate(document)
                except ValidationError:
                    raise StoreCorrupt(path, "a draft in it does not read as one") from None
                count += 1
        return count

    def repair(self, older_than: float = LEFTOVER_AFTER_S) -> int:
        return remove_leftovers(self.root, older_than)

    def owners(self) -> Iterator[Owner]:
        for path in self._files():
            enterprise, team = path.parent.parent.name, path.parent.name
            yield named_owner(enterprise, team, path.stem)

    def _files(self) -> Iterator[Path]:
        yield from sorted(self.root.rglob("*.json")) if self.root.is_dir() else []
