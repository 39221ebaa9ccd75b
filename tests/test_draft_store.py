"""The draft store: per-person files, owner checks, and nothing lost to threads, processes,
kills or broken files."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError
from tinydb import TinyDB

from bot.drafts.model import NO_TEAM, Draft, Owner
from bot.frames.frameworks import Framework
from bot.store.draft_files import AtomicJSONStorage, DraftFiles, StoreCorrupt

PAT = Owner(team="T1", user="U1")
SAM = Owner(team="T1", user="U2")


def draft(owner: Owner = PAT, **values: str) -> Draft:
    return Draft(owner=owner, family="clinical-trials-ops", level="M2", framework=Framework.OKR,
                 canon_fingerprint="abc", values=values)


def test_save_get_list_delete(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
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


def test_a_draft_is_only_ever_its_owners(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    mine = store.save(draft(**{"k": "secret target"}))
    assert store.get(SAM, mine.id) is None
    assert store.delete(SAM, mine.id) is False
    assert store.list(SAM) == []
    assert store.get(PAT, mine.id) == mine
    other_team = Owner(team="T2", user="U1")
    assert store.get(other_team, mine.id) is None


def test_an_edit_cannot_move_a_draft_to_another_person(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    mine = store.save(draft(**{"k": "secret target"}))
    before = store.path(PAT).read_bytes()
    with pytest.raises(ValueError):
        store.change(PAT, mine.id, lambda current: current and current.model_copy(update={"owner": SAM}))
    with pytest.raises(ValueError):
        store.change(PAT, mine.id, lambda current: current and current.model_copy(update={"id": "other"}))
    assert store.path(PAT).read_bytes() == before
    assert store.list(SAM) == []


@pytest.mark.parametrize("crafted", ["../U2", "", "x" * 65, "a/b", "..", "id with space"])
def test_crafted_ids_find_nothing(tmp_path: Path, crafted: str) -> None:
    store = DraftFiles(tmp_path)
    store.save(draft())
    assert store.get(PAT, crafted) is None
    assert store.delete(PAT, crafted) is False
    # ... and are refused before any file is touched: Sam, who has no drafts, gets none made.
    files = sorted(tmp_path.rglob("*"))
    asked: list[Draft | None] = []
    assert store.get(SAM, crafted) is None
    assert store.delete(SAM, crafted) is False
    assert store.change(SAM, crafted, lambda current: asked.append(current)) is None
    assert asked == []
    assert sorted(tmp_path.rglob("*")) == files


@pytest.mark.parametrize("value", ["../../etc", "..", ".", "_x", "-U1"])
@pytest.mark.parametrize("field", ["team", "user", "enterprise"])
def test_owner_ids_cannot_walk_the_file_system(field: str, value: str) -> None:
    values = {"team": "T1", "user": "U1", field: value}
    with pytest.raises(ValidationError):
        Owner(**values)


def test_no_id_shares_the_folder_or_file_of_a_missing_one() -> None:
    """A person with no enterprise (or, in an org-wide install, no team) is filed under "-":
    so "-" is never an id, and the teamless owner is spelt with NO_TEAM alone."""
    with pytest.raises(ValidationError):
        Owner(team="T1", user="U1", enterprise="-")
    with pytest.raises(ValidationError):
        Owner(team="T1", user="-")
    assert Owner(team=NO_TEAM, user="U1").team == "-"


def test_looking_at_no_drafts_leaves_no_trace(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    assert store.list(SAM) == [] and store.get(SAM, "a" * 32) is None and store.delete(SAM, "a" * 32) is False
    assert list(tmp_path.rglob("*")) == []  # no folder, no lock file for someone with no drafts


def test_each_person_has_a_file_of_their_own(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    store.save(draft(PAT))
    before = store.path(PAT).read_bytes()
    store.save(draft(SAM))
    assert store.path(SAM) != store.path(PAT)
    assert store.path(PAT).read_bytes() == before  # Sam's save did not rewrite Pat's file
    enterprise = Owner(team="T1", user="U1", enterprise="E9")
    assert store.path(enterprise) != store.path(PAT)


SAVES_EACH = 200
PEOPLE = [Owner(team="T1", user=f"U{n}") for n in range(4)]  # two writers per person below


def test_concurrent_saves_from_threads_lose_nothing(tmp_path: Path) -> None:
    """8 threads x 200 saves on one store: two threads per person contend for each file."""
    store = DraftFiles(tmp_path)
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


def _save_many(root: str, user: str, count: int) -> list[str]:
    store = DraftFiles(Path(root))
    owner = Owner(team="T1", user=user)
    return [store.save(draft(owner)).id for _ in range(count)]


def test_concurrent_saves_from_processes_lose_nothing(tmp_path: Path) -> None:
    """4 processes x 200 saves on one store, two processes per person (file locks)."""
    users = [PEOPLE[n % 2].user for n in range(4)]
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_save_many, [(str(tmp_path), user, SAVES_EACH) for user in users])
    assert sum(len(ids) for ids in results) == 4 * SAVES_EACH
    store = DraftFiles(tmp_path)
    for owner in PEOPLE[:2]:
        expected = sorted(i for user, ids in zip(users, results, strict=True) if user == owner.user for i in ids)
        assert sorted(d.id for d in store.list(owner)) == expected


def test_a_kill_during_a_burst_of_saves_keeps_every_acknowledged_save(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from bot.drafts.model import Draft, Owner
        from bot.store.draft_files import DraftFiles
        store = DraftFiles(Path({str(tmp_path)!r}))
        owner = Owner(team="T1", user="U1")
        while True:
            d = store.save(Draft(owner=owner, family="f", level="L", framework="okr",
                                 canon_fingerprint="x", values={{"k": "v" * 2000}}))
            print(d.id, flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    acknowledged: list[str] = []
    stdout = process.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: acknowledged.extend(line.strip() for line in stdout if line.strip()))
    reader.start()
    # Until the kill, look at the file as a kill at that instant would leave it: the old
    # store or the new one, whole, never one half written (a kill that lands on the ack is
    # too late in a save to catch that).
    path, half_written = DraftFiles(tmp_path).path(PAT), 0
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        try:
            json.loads(path.read_bytes())
        except FileNotFoundError:
            time.sleep(0.001)
        except ValueError:
            half_written += 1
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reader.join()
    stored = {d.id for d in DraftFiles(tmp_path).list(PAT)}
    assert half_written == 0
    assert len(acknowledged) >= 60
    assert set(acknowledged) <= stored


def test_a_corrupt_file_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    store.save(draft())
    path = store.path(PAT)
    path.write_bytes(b'{"drafts": {"1": {"id": "trunc')
    broken = path.read_bytes()
    with pytest.raises(StoreCorrupt) as caught:
        store.list(PAT)
    assert str(path) in str(caught.value)
    with pytest.raises(StoreCorrupt):
        store.save(draft())
    with pytest.raises(StoreCorrupt):
        store.verify()
    assert path.read_bytes() == broken
    path.write_bytes(b"")  # an empty file is broken too, not an empty database
    with pytest.raises(StoreCorrupt):
        store.save(draft())
    assert path.read_bytes() == b""


@pytest.mark.parametrize("content", [b"null", b"[]", b'"drafts"', b"0", b'{"drafts": {"1": {"id": "\xff"}}}'],
                         ids=["null", "a list", "a string", "a number", "not UTF-8"])
def test_a_file_that_is_not_a_json_object_is_refused_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    store = DraftFiles(tmp_path)
    path = store.path(PAT)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    for use in (lambda: store.list(PAT), lambda: store.save(draft()), store.verify):
        with pytest.raises(StoreCorrupt):
            use()
    assert path.read_bytes() == content


def test_a_file_that_cannot_be_read_is_never_written_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a missing file is an empty store: one the disk fails to read (EIO, EACCES) is not."""
    store = DraftFiles(tmp_path)
    kept = store.save(draft(**{"k": "before"}))
    before = store.path(PAT).read_bytes()
    read_bytes = Path.read_bytes

    def failing_disk(path: Path) -> bytes:
        if path == store.path(PAT):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", failing_disk)
    with pytest.raises(OSError):
        store.save(draft(**{"k": "new"}))
    with pytest.raises(OSError):
        store.list(PAT)
    monkeypatch.undo()
    assert store.path(PAT).read_bytes() == before
    assert store.list(PAT) == [kept]


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()],
                         ids=["disk full", "interrupted"])
def test_a_failed_write_leaves_the_previous_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 failure: BaseException) -> None:
    store = DraftFiles(tmp_path)
    kept = store.save(draft(**{"k": "before"}))
    before = store.path(PAT).read_bytes()

    def fail(*_: object) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(type(failure)):
        store.save(kept.model_copy(update={"values": {"k": "after"}}))
    monkeypatch.undo()
    assert store.path(PAT).read_bytes() == before
    assert store.get(PAT, kept.id).values == {"k": "before"}  # type: ignore[union-attr]
    assert [p.name for p in store.path(PAT).parent.iterdir() if p.name.startswith(".U1.json.")] == []


def test_a_restart_keeps_every_draft(tmp_path: Path) -> None:
    ids = {DraftFiles(tmp_path).save(draft(owner)).id for owner in (PAT, SAM, PAT)}
    reopened = DraftFiles(tmp_path)
    assert reopened.verify() == 3  # drafts, in
    assert set(reopened.owners()) == {PAT, SAM}  # two people's files
    assert {d.id for d in reopened.list(PAT) + reopened.list(SAM)} == ids


def test_a_failed_write_is_not_remembered_by_the_open_database(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """AtomicJSONStorage answers from what it read and wrote; after a write that failed, what
    it answers is what the file still holds, not the change that never landed."""
    db = TinyDB(str(tmp_path / "store.json"), storage=AtomicJSONStorage)
    table = db.table("drafts", cache_size=0)
    table.insert({"id": "kept"})

    def disk_full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        with pytest.raises(OSError):
            table.insert({"id": "lost"})
    assert [document["id"] for document in table.all()] == ["kept"]


def test_saves_do_not_depend_on_the_system_temporary_directory(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is made beside the store file: a rename is atomic only within one
    file system, and TMPDIR is often another one (or gone)."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-temporary-directory"))
    store = DraftFiles(tmp_path / "data")
    saved = store.save(draft())
    assert store.get(PAT, saved.id) == saved


def test_concurrent_edits_of_one_draft_lose_no_value(tmp_path: Path) -> None:
    """8 threads x 25 edits of the same draft, each adding a value of its own: `change` reads,
    edits and writes under the owner's locks, so no edit writes over another's."""
    store = DraftFiles(tmp_path)
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


def test_an_edit_cannot_move_a_draft_to_another_owner_or_id(tmp_path: Path) -> None:
    store = DraftFiles(tmp_path)
    mine = store.save(draft(**{"k": "mine"}))
    for moved in ({"owner": SAM}, {"id": "another"}):
        with pytest.raises(ValueError):
            store.change(PAT, mine.id, lambda current, moved=moved: current and current.model_copy(update=moved))
    assert store.list(PAT) == [mine]
    assert store.list(SAM) == []
