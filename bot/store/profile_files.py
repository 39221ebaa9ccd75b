"""The profile store: what Goals remembers of each person (`Profile`), one small JSON file each
(`<data>/.profiles/<enterprise>/<team>/<user>.json`), safe across threads, processes and crashes.

Written as the draft store writes (`bot.store.draft_files`): under a thread lock and a file
lock, to a temporary file that is fsynced and renamed over the old one, so a crash leaves the
old profile or the new. A file that cannot be read as a profile is refused (`ProfileCorrupt`,
naming it) and never written over. A profile is one document, so no TinyDB: the file holds
`{"profile": <Profile as JSON>}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.drafts.model import Owner, Profile
from bot.drafts.storage import ProfileEdit, StorageError, applied_profile
from bot.store.draft_files import AtomicJSONStorage
from bot.store.folders import LEFTOVER_AFTER_S, PathLocks, owner_path, probe_writable, remove_leftovers

_KEY = "profile"


class ProfileCorrupt(StorageError):
    """A profile file that cannot be read; it is left untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"profile store file {path} cannot be read ({reason}); "
                         "it was left untouched: restore it from a backup or move it aside")


class ProfileFiles:
    """`bot.drafts.storage.ProfileStore` on JSON files under `root` (the data directory's `.profiles`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._locks = PathLocks()

    def path(self, owner: Owner) -> Path:
        return owner_path(self.root, owner)

    def get(self, owner: Owner) -> Profile | None:
        # No lock: a write renames a whole file into place, so a read finds the old or the new
        # one; and none makes a folder or lock file for someone Goals knows nothing of.
        return _read(self.path(owner), owner)

    def change(self, owner: Owner, edit: ProfileEdit) -> Profile | None:
        path = self.path(owner)
        with self._locks.locked(path):
            stored = applied_profile(edit, _read(path, owner), owner)
            if stored is None:
                return None
            AtomicJSONStorage(str(path)).write({_KEY: json.loads(stored.model_dump_json())})
        return stored

    def writable(self) -> None:
        probe_writable(self.root)

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
        return remove_leftovers(self.root, older_than)

    def _files(self) -> Iterator[tuple[Path, Owner]]:
        for path in sorted(self.root.rglob("*.json")) if self.root.is_dir() else []:
            parts = path.relative_to(self.root).parts
            if len(parts) != 3 or path.name.startswith("."):
                continue
            enterprise, team = parts[0], parts[1]
            try:
                owner = Owner(team=team, user=path.stem, enterprise=None if enterprise == "-" else enterprise)
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
