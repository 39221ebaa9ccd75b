"""What every storage backend must do: the `DraftStore`, `ProfileStore` and `ReplayMemory`
Protocols of `bot.goals.storage`, tested through those Protocols only, once per backend.

A backend is one entry of DRAFT_BACKENDS, PROFILE_BACKENDS or REPLAY_BACKENDS: given the test's request, a
context (set up before the test, torn down after it) that gives `open`, which opens one
more store on the same storage: a restart, or another gunicorn worker. Adding a backend
(PostgreSQL, say) is adding one entry; its id is in every test's name ("[files]").

What is about one backend's own storage (files, locks, paths, faults of the disk) is tested
beside it: tests/store/test_draft_files.py, tests/store/test_profile_files.py and
tests/store/test_replay_files.py for the files, tests/store/test_postgres.py and
tests/store/test_profile_rows.py for PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import TypeVar

import pytest

from bot.frames.frameworks import Framework
from bot.goals.model import Draft, Owner, Profile
from bot.goals.storage import DraftStore, ProfileStore, ReplayMemory, Stores
from bot.settings import store_settings
from bot.store.draft_files import DraftFiles
from bot.store.factory import PROFILES_DIR, open_stores
from bot.store.profile_files import ProfileFiles
from bot.store.replay_files import ReplayFiles

S = TypeVar("S")
# A backend: given the test's request (for its fixtures), a context that gives `open`.
Backend = Callable[[pytest.FixtureRequest], AbstractContextManager[Callable[[], S]]]


@contextmanager
def on_postgres(request: pytest.FixtureRequest) -> Iterator[Callable[[], Stores]]:
    """Stores on this run's test database, emptied for the test; each opened one has its own
    pool, as another host or gunicorn worker would."""
    settings = store_settings(location=request.getfixturevalue("database_url"))
    opened: list[Stores] = []

    def open_one() -> Stores:
        opened.append(open_stores(settings))
        return opened[-1]

    try:
        yield open_one
    finally:
        for stores in opened:
            stores.close()


def _files(request: pytest.FixtureRequest) -> Path:
    return Path(request.getfixturevalue("tmp_path"))


@contextmanager
def _drafts_on_postgres(request: pytest.FixtureRequest) -> Iterator[Callable[[], DraftStore]]:
    with on_postgres(request) as open_one:
        yield lambda: open_one().drafts


@contextmanager
def _replay_on_postgres(request: pytest.FixtureRequest) -> Iterator[Callable[[], ReplayMemory]]:
    with on_postgres(request) as open_one:
        yield lambda: open_one().replay


@contextmanager
def _profiles_on_postgres(request: pytest.FixtureRequest) -> Iterator[Callable[[], ProfileStore]]:
    with on_postgres(request) as open_one:
        yield lambda: open_one().profiles


DRAFT_BACKENDS: dict[str, Backend[DraftStore]] = {
    "files": lambda request: nullcontext(lambda: DraftFiles(_files(request))),
    "postgres": _drafts_on_postgres,
}
PROFILE_BACKENDS: dict[str, Backend[ProfileStore]] = {
    "files": lambda request: nullcontext(lambda: ProfileFiles(_files(request) / PROFILES_DIR)),
    "postgres": _profiles_on_postgres,
}
REPLAY_BACKENDS: dict[str, Backend[ReplayMemory]] = {
    "files": lambda request: nullcontext(lambda: ReplayFiles(_files(request) / "replay")),
    "postgres": _replay_on_postgres,
}


@pytest.fixture(params=list(DRAFT_BACKENDS))
def open_draft_store(request: pytest.FixtureRequest) -> Iterator[Callable[[], DraftStore]]:
    """Opens one more DraftStore on this test's storage (a restart, another worker)."""
    with DRAFT_BACKENDS[request.param](request) as open_store:
        yield open_store


@pytest.fixture
def draft_store(open_draft_store: Callable[[], DraftStore]) -> DraftStore:
    return open_draft_store()


@pytest.fixture(params=list(PROFILE_BACKENDS))
def open_profile_store(request: pytest.FixtureRequest) -> Iterator[Callable[[], ProfileStore]]:
    """Opens one more ProfileStore on this test's storage (a restart, another worker)."""
    with PROFILE_BACKENDS[request.param](request) as open_store:
        yield open_store


@pytest.fixture
def profile_store(open_profile_store: Callable[[], ProfileStore]) -> ProfileStore:
    return open_profile_store()


@pytest.fixture(params=list(REPLAY_BACKENDS))
def open_replay_memory(request: pytest.FixtureRequest) -> Iterator[Callable[[], ReplayMemory]]:
    """Opens one more ReplayMemory on this test's storage (another gunicorn worker)."""
    with REPLAY_BACKENDS[request.param](request) as open_memory:
        yield open_memory


@pytest.fixture
def replay_memory(open_replay_memory: Callable[[], ReplayMemory]) -> ReplayMemory:
    return open_replay_memory()


PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2")


def draft(owner: Owner = PAT, **values: str) -> Draft:
    return Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                 canon_fingerprint="abc", values=values)


# DraftStore: get, list, save, delete ------------------------------------------------------------

def test_save_get_list_delete(draft_store: DraftStore) -> None:
    store = draft_store
    first = store.save(draft(**{"r-1.kr1.target": "72%"}))
    second = store.save(draft())  # several drafts of the same frame are fine
    assert store.get(PAT, first.id) == first
    assert [d.id for d in store.list(PAT)] == [second.id, first.id]  # last edited first
    updated = store.save(first.model_copy(update={"values": {"r-1.kr1.target": "80%"}}))
    assert store.get(PAT, first.id).values == {"r-1.kr1.target": "80%"}  # type: ignore[union-attr]
    assert updated.updated_at > first.updated_at
    assert store.delete(PAT, first.id) is True
    assert store.get(PAT, first.id) is None
    assert [d.id for d in store.list(PAT)] == [second.id]


def test_a_delete_is_true_once(draft_store: DraftStore) -> None:
    mine = draft_store.save(draft())
    assert draft_store.delete(PAT, mine.id) is True
    assert draft_store.delete(PAT, mine.id) is False
    assert draft_store.delete(PAT, draft().id) is False  # an id never saved


def test_a_draft_is_only_ever_its_owners(draft_store: DraftStore) -> None:
    store = draft_store
    mine = store.save(draft(**{"k": "secret target"}))
    assert store.get(SAM, mine.id) is None
    assert store.delete(SAM, mine.id) is False
    assert store.list(SAM) == []
    assert store.get(PAT, mine.id) == mine
    other_team = Owner(team="T2", user="U1")
    assert store.get(other_team, mine.id) is None


def test_someone_with_no_drafts_finds_none(draft_store: DraftStore) -> None:
    assert draft_store.list(SAM) == []
    assert draft_store.get(SAM, "a" * 32) is None
    assert draft_store.delete(SAM, "a" * 32) is False


@pytest.mark.parametrize("crafted", ["../U2", "", "x" * 65, "a/b", "..", "id with space"])
def test_crafted_ids_find_nothing(draft_store: DraftStore, crafted: str) -> None:
    store = draft_store
    store.save(draft())
    assert store.get(PAT, crafted) is None
    assert store.delete(PAT, crafted) is False
    # ... and are refused before anything is asked: Sam, who has no drafts, gets none.
    asked: list[Draft | None] = []
    assert store.get(SAM, crafted) is None
    assert store.delete(SAM, crafted) is False
    assert store.change(SAM, crafted, lambda current: asked.append(current)) is None
    assert asked == []


def test_another_store_on_the_same_storage_sees_every_draft(open_draft_store: Callable[[], DraftStore]) -> None:
    """A restart, or another gunicorn worker."""
    ids = {open_draft_store().save(draft(owner)).id for owner in (PAT, SAM, PAT)}
    reopened = open_draft_store()
    reopened.check()
    assert reopened.verify() == 3
    assert set(reopened.owners()) == {PAT, SAM}
    assert {d.id for d in reopened.list(PAT) + reopened.list(SAM)} == ids


SAVES_EACH = 200
PEOPLE = [Owner(team="T1", user=f"U{n}") for n in range(4)]  # two writers per person below


def test_concurrent_saves_from_threads_lose_nothing(draft_store: DraftStore) -> None:
    """8 threads x 200 saves on one store: two threads per person contend for each person's drafts."""
    store = draft_store
    saved: dict[Owner, list[str]] = {owner: [] for owner in PEOPLE}
    lock = threading.Lock()

    def work(owner: Owner) -> None:
        for _ in range(SAVES_EACH):
            stored = store.save(draft(owner))
            with lock:
                saved[owner].append(stored.id)

    threads = [threading.Thread(target=work, args=(PEOPLE[n % len(PEOPLE)],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(len(ids) for ids in saved.values()) == 8 * SAVES_EACH
    for owner, ids in saved.items():
        assert sorted(d.id for d in store.list(owner)) == sorted(ids)


# DraftStore: change ---------------------------------------------------------------------------

def test_change_of_a_missing_draft_asks_the_edit_with_none(draft_store: DraftStore) -> None:
    """`edit` gets None when there is no such draft: returning None stores nothing,
    returning a draft (a new one, with that id) stores it."""
    fresh = draft(**{"k": "new"})
    asked: list[Draft | None] = []
    assert draft_store.change(PAT, fresh.id, lambda current: asked.append(current)) is None
    assert asked == [None]
    assert draft_store.get(PAT, fresh.id) is None and draft_store.list(PAT) == []
    stored = draft_store.change(PAT, fresh.id, lambda current: fresh if current is None else None)
    assert stored is not None and (stored.id, stored.values) == (fresh.id, {"k": "new"})
    assert draft_store.get(PAT, fresh.id) == stored


def test_an_edit_marks_the_draft_edited_unless_told_not_to(draft_store: DraftStore) -> None:
    first = draft_store.save(draft())
    second = draft_store.save(draft())
    # Bookkeeping (where its DM message is), touch=False: not an edit, so neither updated_at
    # nor the listing's order moves.
    kept = draft_store.change(PAT, first.id, lambda current: current and current.model_copy(
        update={"dm_channel": "D1", "dm_ts": "1.2"}), touch=False)
    assert kept is not None and (kept.dm_channel, kept.dm_ts) == ("D1", "1.2")
    assert kept.updated_at == first.updated_at
    assert draft_store.get(PAT, first.id) == kept
    assert [d.id for d in draft_store.list(PAT)] == [second.id, first.id]
    # An edit of its values: edited now, so listed first.
    edited = draft_store.change(PAT, first.id, lambda current: current and current.model_copy(
        update={"values": {"k": "v"}}))
    assert edited is not None and edited.updated_at > second.updated_at
    assert draft_store.get(PAT, first.id) == edited
    assert [d.id for d in draft_store.list(PAT)] == [first.id, second.id]


def test_concurrent_edits_of_one_draft_lose_no_value(draft_store: DraftStore) -> None:
    """8 threads x 25 edits of the same draft, each adding a value of its own: `change` reads,
    edits and writes as one step, so no edit writes over another's."""
    store = draft_store
    shared = store.save(draft())

    def add(key: str) -> Callable[[Draft | None], Draft | None]:
        return lambda current: current and current.model_copy(update={"values": {**current.values, key: "v"}})

    def work(n: int) -> None:
        for i in range(25):
            store.change(PAT, shared.id, add(f"t{n}.{i}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = store.get(PAT, shared.id)
    assert stored is not None
    assert sorted(stored.values) == sorted(f"t{n}.{i}" for n in range(8) for i in range(25))


def test_an_edit_cannot_move_a_draft_to_another_owner_or_id(draft_store: DraftStore) -> None:
    store = draft_store
    mine = store.save(draft(**{"k": "mine"}))
    for moved in ({"owner": SAM}, {"id": "another"}):
        with pytest.raises(ValueError):
            store.change(PAT, mine.id, lambda current, moved=moved: current and current.model_copy(update=moved))
    assert store.list(PAT) == [mine]
    assert store.list(SAM) == []


# DraftStore: messages_lock --------------------------------------------------------------------

def test_the_messages_lock_has_one_holder_across_threads_and_workers(
        open_draft_store: Callable[[], DraftStore]) -> None:
    """4 threads x 20 holds of Pat's messages lock, through two stores on one storage (two
    workers): never two holders at once."""
    stores = [open_draft_store(), open_draft_store()]
    holders, most, entries = 0, 0, 0
    count = threading.Lock()

    def work(store: DraftStore) -> None:
        nonlocal holders, most, entries
        for _ in range(20):
            with store.messages_lock(PAT):
                with count:
                    holders += 1
                    entries += 1
                    most = max(most, holders)
                time.sleep(0.001)  # a Slack call, in short
                with count:
                    holders -= 1

    threads = [threading.Thread(target=work, args=(stores[n % 2],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert entries == 4 * 20
    assert most == 1


def test_saves_do_not_wait_for_the_messages_lock(draft_store: DraftStore) -> None:
    """Slack calls are made under the messages lock and take long: the owner's saves, edits
    and reads go on meanwhile."""
    kept = draft_store.save(draft())
    with ThreadPoolExecutor(max_workers=1) as pool, draft_store.messages_lock(PAT):
        saved = pool.submit(draft_store.save, draft(**{"k": "meanwhile"})).result(timeout=10)
        edited = pool.submit(draft_store.change, PAT, kept.id, lambda current: current and current.model_copy(
            update={"values": {"k": "edited"}})).result(timeout=10)
        listed = pool.submit(draft_store.list, PAT).result(timeout=10)
    assert edited is not None
    assert [d.id for d in listed] == [edited.id, saved.id]


# ReplayMemory -------------------------------------------------------------------------------------

SIGNATURE = "v0=" + "ab" * 32


def test_a_signature_is_new_once(replay_memory: ReplayMemory) -> None:
    guard = replay_memory
    assert guard.first_time("1700000000", SIGNATURE)
    assert not guard.first_time("1700000000", SIGNATURE)
    assert guard.first_time("1700000000", "v0=" + "cd" * 32)


def test_a_replay_to_another_worker_is_not_new(open_replay_memory: Callable[[], ReplayMemory]) -> None:
    first_worker, second_worker = open_replay_memory(), open_replay_memory()
    assert first_worker.first_time("1700000000", SIGNATURE)
    assert not second_worker.first_time("1700000000", SIGNATURE)
    assert second_worker.first_time("1700000000", "v0=" + "cd" * 32)
    assert not first_worker.first_time("1700000000", "v0=" + "cd" * 32)


def test_workers_share_one_memory(open_replay_memory: Callable[[], ReplayMemory]) -> None:
    firsts: list[bool] = []
    guards = [open_replay_memory() for _ in range(8)]
    threads = [threading.Thread(target=lambda g=guard: firsts.append(g.first_time("1700000000", SIGNATURE)))
               for guard in guards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(firsts) == [False] * 7 + [True]


def test_odd_headers_do_not_raise(replay_memory: ReplayMemory) -> None:
    guard = replay_memory
    assert guard.first_time("not-a-time", "\udcff odd")
    assert not guard.first_time("not-a-time", "\udcff odd")


def test_a_request_is_remembered_for_all_of_slacks_five_minutes(replay_memory: ReplayMemory) -> None:
    # Bolt takes timestamps up to five minutes either way of now: a request signed five minutes
    # ago must still be remembered when one signed five minutes ahead opens a new minute.
    guard = replay_memory
    now = 1700000000
    assert guard.first_time(str(now - 5 * 60), SIGNATURE)
    assert guard.first_time(str(now + 5 * 60), "v0=" + "cd" * 32)
    assert not guard.first_time(str(now - 5 * 60), SIGNATURE)


# DraftStore: DM messages a save left due ---------------------------------------------------------

def test_due_messages_are_those_a_write_left_due_and_saved_before_the_time_asked(
        open_draft_store: Callable[[], DraftStore]) -> None:
    store = open_draft_store()
    due = store.save(draft(**{"k": "v"}).model_copy(update={"message_due": True}))
    done = store.save(draft(SAM))
    later = due.updated_at + timedelta(seconds=1)
    assert list(store.due_messages(later, 10)) == [(PAT, due.id)]
    assert list(open_draft_store().due_messages(later, 10)) == [(PAT, due.id)]  # every host sees it
    assert list(store.due_messages(due.updated_at - timedelta(seconds=1), 10)) == []  # too fresh
    store.change(PAT, due.id, lambda current: current and current.model_copy(update={"message_due": False}),
                 touch=False)
    assert list(store.due_messages(later, 10)) == []
    again = store.change(SAM, done.id, lambda current: current and current.model_copy(update={"message_due": True}))
    assert again is not None
    assert list(store.due_messages(again.updated_at + timedelta(seconds=1), 10)) == [(SAM, done.id)]
    assert store.delete(SAM, done.id)
    assert list(store.due_messages(again.updated_at + timedelta(seconds=1), 10)) == []


def test_due_messages_come_at_most_as_many_as_asked(draft_store: DraftStore) -> None:
    saved = [draft_store.save(draft(**{"k": str(n)}).model_copy(update={"message_due": True})) for n in range(5)]
    later = max(d.updated_at for d in saved) + timedelta(seconds=1)
    assert len(draft_store.due_messages(later, 3)) == 3
    assert {draft_id for _, draft_id in draft_store.due_messages(later, 10)} == {d.id for d in saved}


def test_a_usable_store_says_it_can_be_written_and_writes_nobodys_data(
        draft_store: DraftStore, replay_memory: ReplayMemory) -> None:
    draft_store.writable()
    replay_memory.writable()
    assert list(draft_store.owners()) == []
    assert replay_memory.first_time("1700000000", "v0=probe-never-seen")  # remembered nothing


# ProfileStore ------------------------------------------------------------------------------------

ENTERPRISE_PAT = Owner(team="T1", user="U1", enterprise="E1")


def pick(owner: Owner = PAT) -> Callable[[Profile | None], Profile | None]:
    """An edit that sets the person's pick, making their profile if they have none."""
    return made_for(owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR)


def made_for(owner: Owner, **update: object) -> Callable[[Profile | None], Profile | None]:
    return lambda current: (current or Profile(owner=owner)).model_copy(update=update)


def test_someone_goals_knows_nothing_of_has_no_profile(profile_store: ProfileStore) -> None:
    assert profile_store.get(PAT) is None
    assert profile_store.verify() == 0
    assert list(profile_store.owners()) == []


def test_a_change_makes_the_profile_and_returns_it_as_stored(open_profile_store: Callable[[], ProfileStore]) -> None:
    store = open_profile_store()
    asked: list[Profile | None] = []

    def edit(current: Profile | None) -> Profile | None:
        asked.append(current)
        return pick()(current)

    stored = store.change(PAT, edit)
    assert asked == [None]
    assert stored is not None
    assert (stored.owner, stored.family, stored.level, stored.framework) == (
        PAT, "clinical-trials-ops", "M2", Framework.OKR)
    assert store.get(PAT) == stored
    assert open_profile_store().get(PAT) == stored  # a restart, another worker
    again = store.change(PAT, made_for(PAT, level="M3"))
    assert again is not None and (again.family, again.level) == ("clinical-trials-ops", "M3")
    assert store.get(PAT) == again


def test_an_edit_returning_none_stores_nothing(profile_store: ProfileStore) -> None:
    assert profile_store.change(PAT, lambda current: None) is None
    assert profile_store.get(PAT) is None
    kept = profile_store.change(PAT, pick())
    assert profile_store.change(PAT, lambda current: None) is None
    assert profile_store.get(PAT) == kept


def test_a_change_marks_the_profile_changed_now(profile_store: ProfileStore) -> None:
    first = profile_store.change(PAT, pick())
    assert first is not None
    stale = first.model_copy(update={"level": "M3", "updated_at": first.updated_at - timedelta(days=30)})
    second = profile_store.change(PAT, lambda current: stale)
    assert second is not None and second.level == "M3"
    assert second.updated_at > first.updated_at
    assert profile_store.get(PAT) == second


def test_an_edit_cannot_move_a_profile_to_another_owner(profile_store: ProfileStore) -> None:
    mine = profile_store.change(PAT, pick())
    with pytest.raises(ValueError):
        profile_store.change(PAT, lambda current: Profile(owner=SAM, family="stolen"))
    with pytest.raises(ValueError):
        profile_store.change(SAM, lambda current: Profile(owner=PAT, family="planted"))
    assert profile_store.get(PAT) == mine
    assert profile_store.get(SAM) is None


def test_a_profile_is_only_ever_its_owners(open_profile_store: Callable[[], ProfileStore]) -> None:
    store = open_profile_store()
    pat = store.change(PAT, made_for(PAT, family="clinical-trials-ops"))
    sam = store.change(SAM, made_for(SAM, family="biostatistics", framework=Framework.SMART))
    elsewhere = store.change(ENTERPRISE_PAT, made_for(ENTERPRISE_PAT, level="M5"))
    assert store.get(PAT) == pat and store.get(SAM) == sam and store.get(ENTERPRISE_PAT) == elsewhere
    assert store.get(Owner(team="T2", user="U1")) is None
    reopened = open_profile_store()
    assert reopened.verify() == 3
    assert sorted(reopened.owners(), key=repr) == sorted([PAT, SAM, ENTERPRISE_PAT], key=repr)


CHANGERS, CHANGES_EACH = 20, 5


def test_concurrent_changes_of_one_profile_lose_nothing(open_profile_store: Callable[[], ProfileStore]) -> None:
    """20 threads x 5 read-modify-writes of Pat's profile through two stores on one storage
    (two workers), each adding a mark of its own to `family`: none is written over."""
    stores = [open_profile_store(), open_profile_store()]

    def add(mark: str) -> Callable[[Profile | None], Profile | None]:
        return lambda current: (current or Profile(owner=PAT)).model_copy(
            update={"family": f"{(current and current.family) or ''}{mark},"})

    def work(n: int) -> None:
        for i in range(CHANGES_EACH):
            stores[n % 2].change(PAT, add(f"t{n}.{i}"))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CHANGERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = stores[0].get(PAT)
    assert stored is not None and stored.family is not None
    marks = stored.family.rstrip(",").split(",")
    assert sorted(marks) == sorted(f"t{n}.{i}" for n in range(CHANGERS) for i in range(CHANGES_EACH))


def test_a_usable_profile_store_says_it_can_be_written_and_writes_nobodys_data(profile_store: ProfileStore) -> None:
    profile_store.writable()
    assert list(profile_store.owners()) == []
    assert profile_store.get(PAT) is None


# ProfileStore: who has reminders due ----------------------------------------------------------

NOW = datetime(2025, 3, 10, 9, 30, 15, tzinfo=UTC)


def due_for(owner: Owner, moment: datetime | None) -> Callable[[Profile | None], Profile | None]:
    """An edit that sets when the person's reminders are next due, making their profile if they have none."""
    def edit(current: Profile | None) -> Profile | None:
        profile = current or Profile(owner=owner)
        return profile.model_copy(update={"reminders": profile.reminders.model_copy(update={"due_at": moment})})

    return edit


def person(n: int) -> Owner:
    return Owner(team="T9", user=f"U{n:04d}")


def test_those_due_at_or_before_now_are_due_soonest_first(profile_store: ProfileStore) -> None:
    store = profile_store
    store.change(PAT, due_for(PAT, NOW - timedelta(minutes=5)))
    store.change(SAM, due_for(SAM, NOW))  # due at now exactly: due
    store.change(ENTERPRISE_PAT, due_for(ENTERPRISE_PAT, NOW - timedelta(days=2)))
    store.change(person(1), due_for(person(1), NOW + timedelta(seconds=1)))  # in now's minute, not yet
    store.change(person(2), due_for(person(2), NOW + timedelta(hours=1)))
    store.change(person(3), due_for(person(3), None))
    store.change(person(4), pick(person(4)))  # reminders never set
    assert list(store.due(NOW, 10)) == [ENTERPRISE_PAT, PAT, SAM]
    assert list(store.due(NOW, 2)) == [ENTERPRISE_PAT, PAT]
    assert list(store.due(NOW, 0)) == []
    assert list(store.due(NOW + timedelta(seconds=1), 10)) == [ENTERPRISE_PAT, PAT, SAM, person(1)]
    assert list(store.due(NOW - timedelta(days=3), 10)) == []


def test_a_due_time_in_another_time_zone_is_the_same_moment(profile_store: ProfileStore) -> None:
    in_tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    profile_store.change(PAT, due_for(PAT, in_tokyo - timedelta(minutes=1)))
    profile_store.change(SAM, due_for(SAM, in_tokyo + timedelta(minutes=1)))
    assert list(profile_store.due(NOW, 10)) == [PAT]
    assert list(profile_store.due(in_tokyo + timedelta(minutes=1), 10)) == [PAT, SAM]


def test_a_change_of_the_due_time_moves_the_person(profile_store: ProfileStore) -> None:
    store = profile_store
    store.change(PAT, due_for(PAT, NOW - timedelta(hours=1)))
    store.change(SAM, due_for(SAM, NOW - timedelta(minutes=1)))
    assert list(store.due(NOW, 10)) == [PAT, SAM]
    store.change(PAT, due_for(PAT, NOW + timedelta(days=1)))  # sent: next due tomorrow
    assert list(store.due(NOW, 10)) == [SAM]
    assert list(store.due(NOW + timedelta(days=1), 10)) == [SAM, PAT]
    store.change(SAM, due_for(SAM, None))  # nothing more due
    assert list(store.due(NOW + timedelta(days=1), 10)) == [PAT]
    store.change(PAT, due_for(PAT, NOW - timedelta(days=1)))  # earlier again
    store.change(PAT, made_for(PAT, level="M3"))  # a change of something else keeps it
    assert list(store.due(NOW, 10)) == [PAT]
    assert store.verify() == 2 and sorted(store.owners(), key=repr) == sorted([PAT, SAM], key=repr)


def test_another_store_on_the_same_storage_sees_who_is_due(open_profile_store: Callable[[], ProfileStore]) -> None:
    first, second = open_profile_store(), open_profile_store()
    first.change(PAT, due_for(PAT, NOW - timedelta(minutes=1)))
    assert list(second.due(NOW, 10)) == [PAT]
    second.change(PAT, due_for(PAT, NOW + timedelta(minutes=1)))
    second.change(SAM, due_for(SAM, NOW))
    assert list(first.due(NOW, 10)) == [SAM]
    assert list(open_profile_store().due(NOW, 10)) == [SAM]  # a restart


def test_among_many_profiles_only_those_due_are_due(profile_store: ProfileStore) -> None:
    store = profile_store
    due = {person(7): NOW - timedelta(days=1), person(150): NOW - timedelta(seconds=1), person(299): NOW}
    for n in range(300):
        owner = person(n)
        moment = due.get(owner, NOW + timedelta(minutes=n + 1) if n % 2 else None)
        store.change(owner, due_for(owner, moment))
    assert list(store.due(NOW, 100)) == [person(7), person(150), person(299)]


def test_the_sweep_lock_has_one_holder_across_workers(open_profile_store: Callable[[], ProfileStore]) -> None:
    first, second = open_profile_store(), open_profile_store()
    with first.sweep_lock(0) as held:
        assert held is True
        with second.sweep_lock(0) as also:
            assert also is False
        started = time.monotonic()
        with second.sweep_lock(0.2) as also:
            assert also is False
        assert time.monotonic() - started >= 0.2
        with first.sweep_lock(0) as again:  # the same store, as another thread of it would
            assert again is False
    with second.sweep_lock(0) as held:
        assert held is True


def test_the_sweep_lock_is_had_once_its_holder_lets_go_within_the_wait(
        open_profile_store: Callable[[], ProfileStore]) -> None:
    first, second = open_profile_store(), open_profile_store()
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.sweep_lock(0) as held:
            assert held
            holding.set()
            release.wait(10)
            time.sleep(0.2)

    with ThreadPoolExecutor(max_workers=1) as pool:
        holder = pool.submit(hold)
        assert holding.wait(10)
        release.set()
        started = time.monotonic()
        with second.sweep_lock(10) as held:
            assert held is True
            waited = time.monotonic() - started
        holder.result(timeout=10)
    assert 0.1 < waited < 5


def test_the_sweep_lock_has_one_holder_across_threads(open_profile_store: Callable[[], ProfileStore]) -> None:
    """8 threads, through two stores on one storage, each trying for the lock 10 times."""
    stores = [open_profile_store(), open_profile_store()]
    holders, most, entries = 0, 0, 0
    count = threading.Lock()

    def work(store: ProfileStore) -> None:
        nonlocal holders, most, entries
        for _ in range(10):
            with store.sweep_lock(5) as held:
                if not held:
                    continue
                with count:
                    holders += 1
                    entries += 1
                    most = max(most, holders)
                time.sleep(0.002)
                with count:
                    holders -= 1

    threads = [threading.Thread(target=work, args=(stores[n % 2],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert entries == 8 * 10  # each waited its turn, well within 5 s
    assert most == 1
