"""What Goals needs of a store: the Protocols every backend implements, and the failure they
raise. Declared here, beside the code that uses them; backends live in `bot.store` and are
built once, from `Settings`, by `bot.store.factory.open_stores`.

Every method takes the owner from the caller, who takes it from the signed request: a draft
id alone never reaches another person's drafts, and an id that is not shaped like one finds
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from bot.goals.model import Draft, Owner, Profile


class StorageError(Exception):
    """The store could not be read or written; nothing was changed by the failed call."""


# What a caller must expect from a store call that fails: the backend's own error, or the
# operating system's (a full disk, a read-only directory) for the file store.
STORAGE_FAILURES: tuple[type[Exception], ...] = (StorageError, OSError)

Edit = Callable[[Draft | None], Draft | None]


def applied(edit: Edit, current: Draft | None, owner: Owner, draft_id: str, *, touch: bool) -> Draft | None:
    """What a backend's `change` stores: `edit` of the current draft, marked as edited now if
    `touch`; None to store nothing. An edit may not move a draft to another owner or id."""
    edited = edit(current)
    if edited is None:
        return None
    if edited.owner != owner or edited.id != draft_id:
        raise ValueError("an edit may not move a draft to another owner or id")
    return edited.model_copy(update={"updated_at": datetime.now(UTC)}) if touch else edited


class PersonStore(Protocol):
    """What every store of people's records (drafts, profiles) does besides its own job: the
    health check, and `goals store check`, `--repair` and `copy` on the host."""

    def writable(self) -> None:
        """For the health check: raise StorageError (or OSError) unless a write could be
        made now. Quick, and writes nobody's data."""
        ...

    def verify(self) -> int:
        """Offline (`goals store check`): read every record; raise StorageError naming the
        first that cannot be read. Returns how many records there are."""
        ...

    def owners(self) -> Iterator[Owner]:
        """Everyone with a record, each once (`goals store copy`)."""
        ...

    def repair(self) -> int:
        """Offline (`goals store check --repair`): remove what writes cut short left behind
        (never a record); returns how many things were removed."""
        ...


class DraftStore(PersonStore, Protocol):
    """Each person's drafts."""

    def get(self, owner: Owner, draft_id: str) -> Draft | None:
        """The owner's draft with that id; None for anyone else's, or a crafted id."""
        ...

    def list(self, owner: Owner) -> list[Draft]:
        """The owner's drafts, most recently edited first."""
        ...

    def save(self, draft: Draft) -> Draft:
        """Insert or replace `draft` for its owner, marked as edited now; returns it as stored."""
        ...

    def change(self, owner: Owner, draft_id: str, edit: Edit, *, touch: bool = True) -> Draft | None:
        """Read, edit and write one draft as one step, so concurrent edits of one draft never
        lose each other's values. `edit` gets the stored draft (None if there is none) and
        returns what to store (None: store nothing). Returns it as stored; `touch` marks it
        as edited now (not for bookkeeping such as where its message is)."""
        ...

    def delete(self, owner: Owner, draft_id: str) -> bool:
        """Delete the owner's draft; False if there was none."""
        ...

    def messages_lock(self, owner: Owner) -> AbstractContextManager[None]:
        """Held while the owner's DM messages are posted, updated or marked deleted and where
        they are is recorded, across every worker and host: two saves of one new draft post
        its message once, and a delete never misses a message still on its way. Apart from
        the drafts' own lock, because Slack calls take long and saves must not wait on them."""
        ...

    def due_messages(self, saved_before: datetime, limit: int) -> Sequence[tuple[Owner, str]]:
        """(owner, draft id) of drafts saved before `saved_before` whose DM message their save
        left due: work a crash or a restart left undone, for any host to finish."""
        ...

    def check(self) -> None:
        """At start-up: raise StorageError if the store cannot be used at all. Quick whatever
        the store holds (a broken record is refused when it is first read, naming it)."""
        ...


ProfileEdit = Callable[[Profile | None], Profile | None]


def applied_profile(edit: ProfileEdit, current: Profile | None, owner: Owner) -> Profile | None:
    """What a backend's `ProfileStore.change` stores: `edit` of the current profile, marked as
    changed now; None to store nothing. An edit may not move a profile to another owner."""
    edited = edit(current)
    if edited is None:
        return None
    if edited.owner != owner:
        raise ValueError("an edit may not move a profile to another owner")
    return edited.model_copy(update={"updated_at": datetime.now(UTC)})


class ProfileStore(PersonStore, Protocol):
    """Each person's profile (`Profile`): one small document per person."""

    def get(self, owner: Owner) -> Profile | None:
        """The owner's profile; None if Goals remembers nothing of them yet."""
        ...

    def change(self, owner: Owner, edit: ProfileEdit) -> Profile | None:
        """Read, edit and write the owner's profile as one step (two hosts changing it at once
        lose nothing). `edit` gets the stored profile (None if there is none) and returns what
        to store (None: store nothing); returns it as stored, marked as changed now. An edit
        may not move a profile to another owner."""
        ...

    def due(self, now: datetime, limit: int) -> Sequence[Owner]:
        """Up to `limit` people whose reminders are due at `now` (`Reminders.due_at` at or
        before it), soonest first (to the minute). Read from an index kept by `change`, never
        by reading every profile: a sweep costs what is due, not what is stored."""
        ...

    def sweep_lock(self, wait: float) -> AbstractContextManager[bool]:
        """Held by one reminder sweep at a time, across every process and host. Yields True
        once held; False if another sweep still held it after `wait` seconds (0: no waiting)."""
        ...


class ReplayMemory(Protocol):
    """The signatures of requests already answered, for Slack's five-minute window."""

    def first_time(self, timestamp: str, signature: str) -> bool:
        """True the first time this signed request is seen; False for a replay."""
        ...

    def writable(self) -> None:
        """Raise StorageError (or OSError) unless a signature could be remembered now."""
        ...


@dataclass(frozen=True)
class Stores:
    """Everything the app writes, built once per process."""

    drafts: DraftStore
    replay: ReplayMemory
    profiles: ProfileStore
    close: Callable[[], None] = lambda: None  # connections given back, at a process's end

    def trouble(self) -> str | None:
        """Why the app could not serve now (a store it cannot write), or None."""
        for what, probe in (("the draft store", self.drafts.writable), ("the replay memory", self.replay.writable),
                            ("the profile store", self.profiles.writable)):
            try:
                probe()
            except STORAGE_FAILURES as error:
                return f"{what} cannot be written: {error}"
        return None
